/* The red-flag screen: questions that must come before any self-treatment,
 * read from data/screen.json, and the rules that turn their answers into a
 * level and advice (spec/interface.md, `tpt screen`). A rule is a condition
 * over the answers (a yes, a no, a number past a threshold, a question not
 * answered, all / any / at least N of other conditions), so that signs
 * weigh in combination as the guidelines say, not each alone. */
#ifndef TPT_SCREEN_H
#define TPT_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/error.h"
#include "tpt/level.h"
#include "tpt/sourced.h"

#define TPT_SCREEN_MAX_QUESTIONS 64 /* one bit each in a rule's `reads` */
#define TPT_SCREEN_MAX_RULES 64
#define TPT_SCREEN_MAX_GROUPS 16
#define TPT_ANSWERS_FILE_MAX (64u << 10) /* bytes of an answers file */

typedef enum tpt_question_type { TPT_QUESTION_BOOLEAN = 0, TPT_QUESTION_INTEGER } tpt_question_type;

/* Questions are asked a group at a time, in the order of the groups. */
typedef struct tpt_question_group {
    const char *id, *title, *intro;
} tpt_question_group;

typedef struct tpt_question {
    const char *key;      /* the answer key of the interface */
    const char *question; /* asked in plain words */
    const char *example;  /* what a yes looks like, or how to answer */
    int group;            /* index into the groups */
    tpt_question_type type;
    bool unsure_is_yes; /* "not sure" counts as yes (every sign that is an emergency alone) */
    long min, max;      /* integer answers accepted */
    /* The level this answer raises on its own (a yes, or any number), every
     * other question unanswered: none for a sign that counts only in
     * combination. Worked out from the rules when the file loads. */
    tpt_level level;
    tpt_strings source;
} tpt_question;

struct tpt_condition; /* a rule's condition, as loaded (lib/screen_rules.c) */

typedef struct tpt_screen_rule {
    const char *id;     /* the flag's id: the answer key for a sign that counts alone */
    const char *reason; /* what the flag means, shown when it is raised */
    const char *advice; /* what to do about it */
    tpt_level level;
    const struct tpt_condition *when;
    uint64_t reads; /* bit 1 << question index for every question the condition reads */
    /* Less specific rules this one stands for when both are raised (their
     * level is never above this one's): cancer with nerve symptoms says more
     * than a history of cancer. Rule indexes. */
    size_t nreplaces;
    const int *replaces;
    /* About something that does not go away (a past cancer, thin bones):
     * answering again raises it again, so a clinician's assessment of it
     * also covers later screens that raise it from the same answers
     * (record/flags.c). Never an emergency rule. */
    bool lasting;
    tpt_strings source;
} tpt_screen_rule;

typedef struct tpt_screen_def {
    tpt_sources sources;
    struct {
        const char *advice;
        tpt_strings source;
    } levels[TPT_LEVEL_EMERGENCY + 1];
    size_t ngroups, nquestions, nrules;
    tpt_question_group *groups;
    tpt_question *questions; /* in the order they are asked: group by group */
    tpt_screen_rule *rules;  /* most serious first */
    struct tpt__arena *arena;
} tpt_screen_def;

/* Loads the questions and rules from JSON text; name is used as
 * name:line:column in messages. The caller owns the result
 * (tpt_screen_def_free). */
tpt_screen_def *tpt_screen_def_load(const char *json, size_t len, const char *name, tpt_error *err);
tpt_screen_def *tpt_screen_def_default(tpt_error *err);
void tpt_screen_def_free(tpt_screen_def *def);
/* Index of a question key, or -1. */
int tpt_screen_find(const tpt_screen_def *def, const char *key);

typedef enum tpt_answer_state {
    TPT_UNANSWERED = 0,
    TPT_ANSWER_NO,
    TPT_ANSWER_YES,
    TPT_ANSWER_UNSURE,
    TPT_ANSWER_NUMBER
} tpt_answer_state;

typedef struct tpt_answer {
    tpt_answer_state state;
    long number; /* for TPT_ANSWER_NUMBER */
} tpt_answer;

typedef struct tpt_answers {
    tpt_answer answer[TPT_SCREEN_MAX_QUESTIONS]; /* by question index */
} tpt_answers;

/* Reads answers as a JSON object: true/false for yes/no questions, whole
 * numbers for the others, "not-sure" for either. An unknown key, a wrong type
 * or a number out of range is an input error naming it (name:line:column). */
int tpt_answers_parse(const tpt_screen_def *def, const char *json, size_t len, const char *name,
                      tpt_answers *out, tpt_error *err);
/* Reads a typed reply to question q: y/yes, n/no, ?/not sure (and a whole
 * number for integer questions). */
int tpt_answer_reply(const tpt_screen_def *def, size_t q, const char *reply, tpt_answer *out,
                     tpt_error *err);
/* Whether the answer to key is yes or "not sure" (a fact a plan must take
 * care over, such as blood thinners); false for an unknown key. */
bool tpt_answers_maybe_yes(const tpt_screen_def *def, const tpt_answers *answers, const char *key);

typedef struct tpt_screen_result {
    tpt_level level;
    size_t nflags, nunanswered, nunsure, nneeded, nmissing;
    int flags[TPT_SCREEN_MAX_RULES]; /* rule indexes, most serious first, then in rule order */
    /* Question indexes: not answered (or "not sure" where that is not a yes);
     * answered "not sure"; unanswered and still able to change the result
     * (or a fact no rule reads, which the plan needs); unanswered and holding
     * back a clear screen (read by an urgent or emergency rule that is still
     * open). */
    int unanswered[TPT_SCREEN_MAX_QUESTIONS];
    int unsure[TPT_SCREEN_MAX_QUESTIONS];
    int needed[TPT_SCREEN_MAX_QUESTIONS];
    int missing[TPT_SCREEN_MAX_QUESTIONS];
    /* No urgent or emergency rule is left open by a missing answer: without
     * that, no screen can clear self-treatment. */
    bool complete;
    tpt_answers answers; /* the answers it was worked out from */
} tpt_screen_result;

void tpt_screen_evaluate(const tpt_screen_def *def, const tpt_answers *answers,
                         tpt_screen_result *out);
/* The questions whose answers raised rule r of the result (question
 * indexes, in question order); returns how many were written (at most max). */
size_t tpt_screen_flag_answers(const tpt_screen_def *def, const tpt_screen_result *result, int r,
                               int *out, size_t max);
/* Drops rule r from a result's flags (a flag a clinician lifted in the
 * record: record/plan_record.h) and sets the level to the most serious flag
 * left; nothing when it is not among them. */
void tpt_screen_result_drop(const tpt_screen_def *def, tpt_screen_result *result, int r);
/* Whether question q is still worth asking given the answers so far: it is
 * unanswered and its answer could change the result, or no rule reads it
 * (a fact for the plan). */
bool tpt_screen_question_needed(const tpt_screen_result *result, int q);

#endif
