#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/protocol.h"
#include "validate.h"

/* ---- reading a plan file ---- */

long tpt_program_week(int64_t began, int64_t now)
{
    if (began < 0 || now < began) return 1;
    return 1 + (long)((now - began) / (7 * 86400));
}

void tpt_program_set_week(tpt_program *program, long week)
{
    if (week < 1) week = 1;
    program->week = week;
    for (size_t i = 0; i < program->nsteps; i++) {
        tpt_program_step *s = &program->steps[i];
        if (!s->weekly_seconds) continue;
        /* the weeks past the one that reaches the most change nothing: no overflow */
        long grown = week - 1 > (s->max_seconds - s->first_seconds) / s->weekly_seconds
                         ? s->max_seconds
                         : s->first_seconds + (week - 1) * s->weekly_seconds;
        s->hold_seconds = grown < s->max_seconds ? grown : s->max_seconds;
    }
}

static const char *const kind_names[] = {"general", "pressure", "stretch"};

static int read_step(tpt__validator *v, tpt__arena *arena, json_t *item, tpt_program_step *out)
{
    const char *kind, *s;
    int rc;
    if (!json_is_object(item)) return tpt__invalid(v, "a step must be an object");
    if ((rc = tpt__get_string(v, item, "kind", true, &kind))) return rc;
    int k = -1;
    for (int i = 0; i < 3; i++)
        k = strcmp(kind_names[i], kind) ? k : i;
    if (k < 0) return tpt__invalid(v, "unknown step kind \"%s\"", kind);
    out->kind = (tpt_step_kind)k;
    static const struct {
        const char *key;
        size_t offset;
        bool required;
    } texts[] = {
        {"id", offsetof(tpt_program_step, id), true},
        {"title", offsetof(tpt_program_step, title), true},
        {"instructions", offsetof(tpt_program_step, instructions), true},
        {"placement", offsetof(tpt_program_step, placement), false},
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        if ((rc = tpt__get_string(v, item, texts[i].key, texts[i].required, &s))) return rc;
        if (s && (rc = tpt__copy(v, arena, s, (const char **)((char *)out + texts[i].offset))))
            return rc;
    }
    static const struct {
        const char *key;
        size_t offset;
        long min, max;
    } numbers[] = {
        {"hold_seconds", offsetof(tpt_program_step, hold_seconds), 1, 3600},
        {"rest_seconds", offsetof(tpt_program_step, rest_seconds), 0, 600},
        {"repeats", offsetof(tpt_program_step, repeats), 1, 20},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        json_t *n = json_object_get(item, numbers[i].key);
        tpt__path_key(v, numbers[i].key);
        if (!json_is_integer(n) || json_integer_value(n) < numbers[i].min ||
            json_integer_value(n) > numbers[i].max)
            return tpt__invalid(v, "\"%s\" must be a whole number from %ld to %ld", numbers[i].key,
                                numbers[i].min, numbers[i].max);
        *(long *)((char *)out + numbers[i].offset) = (long)json_integer_value(n);
        tpt__path_pop(v);
    }
    out->first_seconds = out->hold_seconds;
    json_t *graded;
    if ((rc = tpt__get_object(v, item, "graded", false, &graded))) return rc;
    if (graded) {
        json_t *weekly = json_object_get(graded, "weekly_seconds"),
               *most = json_object_get(graded, "max_seconds");
        tpt__path_key(v, "graded");
        if (!json_is_integer(weekly) || json_integer_value(weekly) < 60 ||
            json_integer_value(weekly) > 3600 || !json_is_integer(most) ||
            json_integer_value(most) < out->hold_seconds || json_integer_value(most) > 3600 ||
            json_integer_value(weekly) % 60 || json_integer_value(most) % 60 ||
            out->hold_seconds % 60)
            return tpt__invalid(v, "\"graded\" is {\"weekly_seconds\": 60-3600, "
                                   "\"max_seconds\": from hold_seconds to 3600}, in whole "
                                   "minutes");
        out->weekly_seconds = (long)json_integer_value(weekly);
        out->max_seconds = (long)json_integer_value(most);
        tpt__path_pop(v);
    }
    json_t *cautions;
    if ((rc = tpt__get_array(v, item, "cautions", false, &cautions))) return rc;
    if (cautions) {
        tpt__path_key(v, "cautions");
        if ((rc = tpt__load_strings(v, arena, cautions, &out->cautions))) return rc;
        tpt__path_pop(v);
    }
    return 0;
}

static int read_program(tpt__validator *v, json_t *root, tpt_program *p)
{
    const char *format, *self_care;
    json_t *home, *steps, *advice, *rules;
    int rc;
    if (!json_is_object(root)) return tpt__invalid(v, "a plan must be a JSON object");
    if ((rc = tpt__get_string(v, root, "format", true, &format))) return rc;
    if (strcmp(format, "tpt-plan") != 0) {
        tpt__path_key(v, "format");
        return tpt__invalid(v, "this is not a plan file (tpt plan --json writes one)");
    }
    if ((rc = tpt__get_string(v, root, "self_care", true, &self_care)) ||
        (rc = tpt__get_array(v, root, "advice", true, &advice)))
        return rc;
    /* The safety promise: no guided self-treatment while a red flag stands.
     * Only a plan that says so in every way is followed; an edited one that
     * contradicts itself is refused. */
    const char *level = json_string_value(json_object_get(root, "level"));
    json_t *screen = json_object_get(root, "screen");
    bool allowed = (strcmp(self_care, "allowed") == 0 || strcmp(self_care, "with-caution") == 0) &&
                   level && (strcmp(level, "none") == 0 || strcmp(level, "soon") == 0) &&
                   json_is_true(json_object_get(screen, "complete"));
    if (!allowed) {
        const char *first = json_string_value(json_array_get(advice, 0));
        return tpt__fail(v->err, TPT_ERR_INPUT, "this plan holds no self-treatment: %s",
                         first ? first : "see a clinician first");
    }
    /* what the plan was made from, when it says */
    json_t *from = json_object_get(root, "made_from");
    if (from) {
        json_t *screen_id = json_object_get(from, "screen"),
               *drawing_id = json_object_get(from, "drawing");
        if (!json_is_integer(screen_id) || !json_is_integer(drawing_id) ||
            json_integer_value(screen_id) < 1 || json_integer_value(drawing_id) < 1) {
            tpt__path_key(v, "made_from");
            return tpt__invalid(v, "\"made_from\" names the record's screen and drawing: "
                                   "{\"screen\": ID, \"drawing\": ID}");
        }
        p->screen = json_integer_value(screen_id);
        p->drawing = json_integer_value(drawing_id);
    }
    /* the plan's advice (the caution of a "soon" level among it) opens the session */
    if ((rc = tpt__load_strings(v, p->arena, advice, &p->advice))) return rc;
    if ((rc = tpt__get_object(v, root, "home", true, &home))) return rc;
    tpt__path_key(v, "home");
    if ((rc = tpt__get_array(v, home, "steps", true, &steps))) return rc;
    size_t n = json_array_size(steps);
    tpt__path_key(v, "steps");
    if (n == 0 || n > TPT_SESSION_MAX_STEPS)
        return tpt__invalid(v, "a program has between 1 and %d steps", TPT_SESSION_MAX_STEPS);
    p->steps = tpt__arena_alloc(p->arena, n * sizeof *p->steps);
    if (!p->steps) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        tpt__path_index(v, i);
        if ((rc = read_step(v, p->arena, json_array_get(steps, i), &p->steps[i]))) return rc;
        p->nsteps++;
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    tpt__path_pop(v);
    /* The stop advice: the plan's own rule for sharp or new pain. */
    if ((rc = tpt__get_array(v, root, "stop_rules", true, &rules))) return rc;
    size_t i;
    json_t *rule;
    json_array_foreach(rules, i, rule)
    {
        const char *id = json_string_value(json_object_get(rule, "id"));
        const char *text = json_string_value(json_object_get(rule, "text"));
        if (id && text && strcmp(id, "sharp-or-new-pain") == 0)
            return tpt__copy(v, p->arena, text, &p->stop_advice);
    }
    return tpt__invalid(v, "the plan has no stop rule for sharp or new pain");
}

tpt_program *tpt_program_read(const char *json, size_t len, const char *name, tpt_error *err)
{
    tpt__validator v = {
        .name = name, .text = json, .len = len, .err = err, .status = TPT_ERR_INPUT};
    tpt_program *p = calloc(1, sizeof *p);
    if (!p || !(p->arena = tpt__arena_new())) {
        free(p);
        tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
        return NULL;
    }
    p->week = 1;
    json_t *root = tpt__parse_json(&v);
    int rc = root ? read_program(&v, root, p) : TPT_ERR_INPUT;
    json_decref(root);
    if (rc) {
        tpt_program_free(p);
        return NULL;
    }
    return p;
}

void tpt_program_free(tpt_program *p)
{
    if (!p) return;
    tpt__arena_free(p->arena);
    free(p);
}

/* ---- the state machine ---- */

static const char *const state_names[] = {"waiting for the pain before",
                                          "showing a step",
                                          "in a hold",
                                          "in a rest",
                                          "asking about sharp pain",
                                          "waiting for the pain after",
                                          "finished"};

static int64_t ms(const tpt_session *s, long seconds)
{
    int64_t t = (int64_t)llround((double)seconds * 1000.0 * s->time_scale);
    return t > 0 ? t : 1;
}

static int wrong_state(const tpt_session *s, tpt_error *err, const char *what)
{
    return tpt__fail(err, TPT_ERR_INPUT, "cannot %s while %s", what, state_names[s->state]);
}

static bool running(const tpt_session *s)
{
    return s->state == TPT_SESSION_READY || s->state == TPT_SESSION_HOLD ||
           s->state == TPT_SESSION_REST || s->state == TPT_SESSION_CHECK;
}

void tpt_session_init(tpt_session *s, const tpt_program *program, double time_scale)
{
    memset(s, 0, sizeof *s);
    s->program = program;
    s->time_scale = time_scale > 0 ? time_scale : 1;
    s->pain_before = s->pain_after = -1;
    s->state = TPT_SESSION_PAIN_BEFORE;
}

static void finish(tpt_session *s, tpt_session_end end, int64_t now)
{
    s->end = end;
    s->paused = false;
    s->finished = now;
    s->state = TPT_SESSION_PAIN_AFTER;
}

/* The next step, or the pain rating after the last one. */
static void next_step(tpt_session *s, int64_t now)
{
    s->paused = false;
    if (++s->step < s->program->nsteps) {
        s->state = TPT_SESSION_READY;
        s->repeat = 0;
    } else {
        finish(s, TPT_END_COMPLETED, now);
    }
}

int tpt_session_pain(tpt_session *s, int pain, int64_t now, tpt_error *err)
{
    (void)now;
    if (pain < 0 || pain > 10)
        return tpt__fail(err, TPT_ERR_INPUT, "pain is a whole number from 0 (none) to 10 (worst)");
    if (s->state == TPT_SESSION_PAIN_BEFORE) {
        s->pain_before = pain;
        s->state = TPT_SESSION_READY;
        s->step = 0;
    } else if (s->state == TPT_SESSION_PAIN_AFTER) {
        s->pain_after = pain;
        s->state = TPT_SESSION_DONE;
    } else {
        return wrong_state(s, err, "rate the pain");
    }
    return 0;
}

int tpt_session_start(tpt_session *s, int64_t now, tpt_error *err)
{
    if (s->state != TPT_SESSION_READY) return wrong_state(s, err, "start a step");
    if (!s->started) s->started = now ? now : 1;
    s->state = TPT_SESSION_HOLD;
    s->repeat = 1;
    s->deadline = now + ms(s, s->program->steps[s->step].hold_seconds);
    return 0;
}

int tpt_session_skip(tpt_session *s, int64_t now, tpt_error *err)
{
    if (s->state != TPT_SESSION_READY && s->state != TPT_SESSION_HOLD &&
        s->state != TPT_SESSION_REST)
        return wrong_state(s, err, "skip a step");
    s->status[s->step] = TPT_STEP_SKIPPED;
    next_step(s, now);
    return 0;
}

int tpt_session_pause(tpt_session *s, int64_t now, tpt_error *err)
{
    if ((s->state != TPT_SESSION_HOLD && s->state != TPT_SESSION_REST) || s->paused)
        return wrong_state(s, err, s->paused ? "pause again" : "pause");
    tpt_session_tick(s, now);
    if (s->state != TPT_SESSION_HOLD && s->state != TPT_SESSION_REST) return 0; /* just ended */
    s->paused = true;
    s->remaining = s->deadline - now;
    return 0;
}

int tpt_session_resume(tpt_session *s, int64_t now, tpt_error *err)
{
    if (!s->paused) return wrong_state(s, err, "resume when not paused");
    s->paused = false;
    s->deadline = now + s->remaining;
    return 0;
}

int tpt_session_stop(tpt_session *s, int64_t now, tpt_error *err)
{
    if (!running(s)) return wrong_state(s, err, "stop");
    s->status[s->step] = TPT_STEP_INTERRUPTED;
    finish(s, TPT_END_STOPPED, now);
    return 0;
}

int tpt_session_sharp_pain(tpt_session *s, int64_t now, tpt_error *err)
{
    if (!running(s)) return wrong_state(s, err, "report sharp pain");
    if (s->status[s->step] != TPT_STEP_DONE) s->status[s->step] = TPT_STEP_INTERRUPTED;
    finish(s, TPT_END_SHARP_OR_NEW_PAIN, now);
    return 0;
}

int tpt_session_check(tpt_session *s, bool sharp_or_new_pain, int64_t now, tpt_error *err)
{
    if (s->state != TPT_SESSION_CHECK) return wrong_state(s, err, "answer the pain check");
    if (sharp_or_new_pain)
        finish(s, TPT_END_SHARP_OR_NEW_PAIN, now);
    else
        next_step(s, now);
    return 0;
}

void tpt_session_tick(tpt_session *s, int64_t now)
{
    /* Timers chain from their deadlines, not from `now`, so a late tick
     * neither stretches nor shortens the program. */
    while (!s->paused && (s->state == TPT_SESSION_HOLD || s->state == TPT_SESSION_REST) &&
           now >= s->deadline) {
        const tpt_program_step *step = &s->program->steps[s->step];
        if (s->state == TPT_SESSION_HOLD) {
            s->bells++;
            if (s->repeat >= step->repeats) {
                s->status[s->step] = TPT_STEP_DONE;
                s->state = TPT_SESSION_CHECK;
            } else if (step->rest_seconds > 0) {
                s->state = TPT_SESSION_REST;
                s->deadline += ms(s, step->rest_seconds);
            } else {
                s->repeat++;
                s->deadline += ms(s, step->hold_seconds);
            }
        } else {
            s->state = TPT_SESSION_HOLD;
            s->repeat++;
            s->deadline += ms(s, step->hold_seconds);
        }
    }
}

int64_t tpt_session_remaining(const tpt_session *s, int64_t now)
{
    if (s->state != TPT_SESSION_HOLD && s->state != TPT_SESSION_REST) return 0;
    if (s->paused) return s->remaining;
    return s->deadline > now ? s->deadline - now : 0;
}

static int64_t step_ms(const tpt_session *s, size_t i)
{
    const tpt_program_step *st = &s->program->steps[i];
    return st->repeats * ms(s, st->hold_seconds) + (st->repeats - 1) * ms(s, st->rest_seconds);
}

double tpt_session_progress(const tpt_session *s, int64_t now)
{
    int64_t total = 0, done = 0;
    for (size_t i = 0; i < s->program->nsteps; i++)
        total += step_ms(s, i);
    if (s->state == TPT_SESSION_PAIN_AFTER || s->state == TPT_SESSION_DONE) {
        if (s->end == TPT_END_COMPLETED) return 1;
    }
    for (size_t i = 0; i < s->step && i < s->program->nsteps; i++)
        done += step_ms(s, i);
    if (s->state == TPT_SESSION_HOLD || s->state == TPT_SESSION_REST) {
        const tpt_program_step *st = &s->program->steps[s->step];
        int64_t hold = ms(s, st->hold_seconds), rest = ms(s, st->rest_seconds);
        done += (s->repeat - 1) * (hold + rest);
        done += s->state == TPT_SESSION_HOLD ? hold - tpt_session_remaining(s, now)
                                             : hold + rest - tpt_session_remaining(s, now);
    } else if (s->state == TPT_SESSION_CHECK) {
        done += step_ms(s, s->step);
    }
    return total ? (double)done / (double)total : 0;
}

const char *tpt_session_end_name(tpt_session_end end)
{
    static const char *const names[] = {"none", "completed", "stopped", "sharp-or-new-pain"};
    return (unsigned)end <= TPT_END_SHARP_OR_NEW_PAIN ? names[end] : "?";
}

const char *tpt_step_status_name(tpt_step_status status)
{
    static const char *const names[] = {"not-reached", "done", "skipped", "interrupted"};
    return (unsigned)status <= TPT_STEP_INTERRUPTED ? names[status] : "?";
}
