/* A guided self-treatment session as a state machine. The caller owns the
 * clock: every call takes the time now, in milliseconds, so the same machine
 * runs on a terminal, in a browser and under a fake clock in tests.
 *
 *   pain before -> for each step: ready -> hold (-> rest -> hold)... -> check
 *   -> pain after -> done
 *
 * "Sharp or new pain" at any moment, or a yes at a step's check, ends the
 * session at once (the stop rule of the home program). */
#ifndef TPT_PROTOCOL_H
#define TPT_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/error.h"
#include "tpt/level.h"
#include "tpt/plan.h"
#include "tpt/sourced.h"

#define TPT_PROGRAM_FILE_MAX (1u << 20) /* bytes of a plan file a session reads */

/* A step of a home program, as read from a plan file. */
typedef struct tpt_program_step {
    tpt_step_kind kind;
    const char *id, *title, *instructions, *placement; /* placement may be NULL */
    long hold_seconds, rest_seconds, repeats;
    /* A graded step (a walk): the first week's time, what is added each
     * week and the most; weekly_seconds 0 for a step that stays the same. */
    long first_seconds, weekly_seconds, max_seconds;
    tpt_strings cautions;
} tpt_program_step;

typedef struct tpt_program {
    size_t nsteps;
    tpt_program_step *steps;
    const char *stop_advice; /* what to do after sharp or new pain */
    tpt_strings advice;      /* the plan's advice, shown before the first step */
    long week;               /* the week of the program its graded steps are set for, from 1 */
    /* The screen and drawing of the record the plan was made from (its
     * "made_from"), for a session to check they are still the latest; 0
     * when the plan names none. */
    int64_t screen, drawing;
    struct tpt__arena *arena;
} tpt_program;

/* Reads the home program of a plan file (tpt plan --json). A plan without
 * self-treatment (an emergency or urgent level) is refused with its advice. */
tpt_program *tpt_program_read(const char *json, size_t len, const char *name, tpt_error *err);
void tpt_program_free(tpt_program *program);

/* The week of a home program, 1 in its first seven days, from when it began
 * and the time now (seconds); 1 when it has not begun (began < 0). */
long tpt_program_week(int64_t began, int64_t now);
/* Sets every graded step for that week of the program: its first week's
 * time, and as much more each later week as the plan says, up to its most. */
void tpt_program_set_week(tpt_program *program, long week);

typedef enum tpt_session_state {
    TPT_SESSION_PAIN_BEFORE = 0, /* waiting for the pain rating before */
    TPT_SESSION_READY,           /* a step is shown: waiting for start or skip */
    TPT_SESSION_HOLD,            /* a hold is timed */
    TPT_SESSION_REST,            /* a rest between holds is timed */
    TPT_SESSION_CHECK,           /* asking about sharp or new pain after a step */
    TPT_SESSION_PAIN_AFTER,      /* waiting for the pain rating after */
    TPT_SESSION_DONE
} tpt_session_state;

typedef enum tpt_session_end {
    TPT_END_NONE = 0,
    TPT_END_COMPLETED,
    TPT_END_STOPPED,           /* the person stopped */
    TPT_END_SHARP_OR_NEW_PAIN, /* the stop rule */
} tpt_session_end;

typedef enum tpt_step_status {
    TPT_STEP_NOT_REACHED = 0,
    TPT_STEP_DONE,
    TPT_STEP_SKIPPED,
    TPT_STEP_INTERRUPTED
} tpt_step_status;

#define TPT_SESSION_MAX_STEPS TPT_PLAN_MAX_STEPS

typedef struct tpt_session {
    const tpt_program *program;
    double time_scale; /* 1 for real time; tests shorten the timers */
    tpt_session_state state;
    bool paused;
    size_t step;
    long repeat;                 /* 1-based hold of the current step */
    int64_t deadline, remaining; /* of the running (or paused) timer, ms */
    int64_t started, finished;   /* the first hold and the end, ms */
    int pain_before, pain_after; /* 0-10, or -1 when not given */
    unsigned bells;              /* holds ended so far: ring when it grows */
    tpt_session_end end;
    tpt_step_status status[TPT_SESSION_MAX_STEPS];
} tpt_session;

void tpt_session_init(tpt_session *s, const tpt_program *program, double time_scale);

/* Events. Each returns 0, or TPT_ERR_INPUT when it does not fit the state
 * (err says why). */
int tpt_session_pain(tpt_session *s, int pain, int64_t now, tpt_error *err);
int tpt_session_start(tpt_session *s, int64_t now, tpt_error *err);
int tpt_session_skip(tpt_session *s, int64_t now, tpt_error *err);
int tpt_session_pause(tpt_session *s, int64_t now, tpt_error *err);
int tpt_session_resume(tpt_session *s, int64_t now, tpt_error *err);
int tpt_session_stop(tpt_session *s, int64_t now, tpt_error *err);
/* Sharp or new pain reported during the session: it ends at once. */
int tpt_session_sharp_pain(tpt_session *s, int64_t now, tpt_error *err);
/* The answer at a step's check. */
int tpt_session_check(tpt_session *s, bool sharp_or_new_pain, int64_t now, tpt_error *err);
/* Moves the timers on to `now`; several holds may end in one call. */
void tpt_session_tick(tpt_session *s, int64_t now);

/* Milliseconds left on the running timer (0 when none runs). */
int64_t tpt_session_remaining(const tpt_session *s, int64_t now);
/* The share of the program's timed work done, 0 to 1. */
double tpt_session_progress(const tpt_session *s, int64_t now);
const char *tpt_session_end_name(tpt_session_end end);    /* "completed", ... */
const char *tpt_step_status_name(tpt_step_status status); /* "done", ... */

#endif
