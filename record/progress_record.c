/* The person's record gathered from the store as the plain values
 * lib/progress.c judges (record/progress_record.h). */
#include <stdlib.h>
#include <string.h>

#include "record/flags.h"
#include "record/internal.h"
#include "record/progress_record.h"

/* Bound on the regions marked numb in one drawing that are remembered. */
#define NUMB_MAX 256

void tpt_drawing_each_mark(const char *input, void (*fn)(const char *mark, void *ctx), void *ctx)
{
    char *copy = input ? strdup(input) : NULL;
    char *save = NULL;
    bool skip = false;
    for (char *tok = copy ? strtok_r(copy, " \t\n", &save) : NULL; tok;
         tok = strtok_r(NULL, " \t\n", &save)) {
        if (skip) {
            skip = false;
            continue;
        }
        if (strcmp(tok, "--finding") == 0) {
            skip = true;
            continue;
        }
        fn(tok, ctx);
    }
    free(copy);
}

/* What the walk over the drawings remembers: the first drawing's numb
 * regions. A later one that marks another region numb is new numbness. */
typedef struct numb_walk {
    const tpt_progress_rules *rules;
    tpt_progress_record *g;
    bool first;
    size_t nfirst;
    char *regions[NUMB_MAX];
} numb_walk;

static void numb_mark(const char *mark, void *ctx)
{
    numb_walk *w = ctx;
    const char *kind = strchr(mark, ':');
    if (!kind) return;
    size_t nregion = (size_t)(kind - mark);
    kind++;
    const char *end = strchr(kind, ':');
    size_t nkind = end ? (size_t)(end - kind) : strlen(kind);
    if (strlen(w->rules->numb_kind) != nkind || strncmp(kind, w->rules->numb_kind, nkind) != 0)
        return;
    if (w->first) {
        if (w->nfirst < NUMB_MAX) w->regions[w->nfirst++] = strndup(mark, nregion);
        return;
    }
    for (size_t i = 0; i < w->nfirst; i++)
        if (w->regions[i] && strlen(w->regions[i]) == nregion &&
            strncmp(w->regions[i], mark, nregion) == 0)
            return;
    w->g->new_numbness = true;
}

static bool is_weakness_key(const tpt_progress_rules *rules, const char *id)
{
    for (size_t i = 0; i < rules->weakness_keys.count; i++)
        if (strcmp(rules->weakness_keys.items[i], id) == 0) return true;
    return false;
}

/* A screen's answer to a weakness question counts as new weakness. */
static void add_screen(const tpt_progress_rules *rules, const tpt_record *r, tpt_progress_record *g)
{
    json_t *root = r->json ? json_loads(r->json, 0, NULL) : NULL;
    json_t *flags = json_object_get(root, "flags");
    size_t i;
    json_t *flag;
    json_array_foreach(flags, i, flag)
    {
        const char *id = json_string_value(json_object_get(flag, "id"));
        if (id && is_weakness_key(rules, id)) g->new_weakness = true;
    }
    json_decref(root);
}

void tpt_progress_record_free(tpt_progress_record *g)
{
    free(g->pain);
    free(g->notes);
    free(g->sessions);
    free(g->session_records);
    for (size_t i = 0; g->session_bodies && i < g->nsessions; i++)
        json_decref(g->session_bodies[i]);
    free(g->session_bodies);
    free(g->flag_advice);
    tpt_record_list_free(&g->records);
    tpt_log_list_free(&g->log);
    memset(g, 0, sizeof *g);
}

int tpt_progress_record_read(tpt_store *store, int64_t patient, const tpt_progress_rules *rules,
                             tpt_progress_record *g, tpt_error *err)
{
    int rc;
    memset(g, 0, sizeof *g);
    if ((rc = tpt_store_log_list(store, patient, &g->log, err)) ||
        (rc = tpt_store_record_list(store, patient, -1, &g->records, err))) {
        tpt_progress_record_free(g);
        return rc;
    }
    g->pain = calloc(g->log.count + 1, sizeof *g->pain);
    g->notes = calloc(g->log.count + 1, sizeof *g->notes);
    g->sessions = calloc(g->records.count + 1, sizeof *g->sessions);
    g->session_records = calloc(g->records.count + 1, sizeof *g->session_records);
    g->session_bodies = calloc(g->records.count + 1, sizeof *g->session_bodies);
    if (!g->pain || !g->notes || !g->sessions || !g->session_records || !g->session_bodies) {
        tpt_progress_record_free(g);
        return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < g->log.count; i++) {
        const tpt_log_entry *e = &g->log.items[i];
        if (e->leg_pain < 0 && e->back_pain < 0) continue;
        g->notes[g->npain] = e->note;
        g->pain[g->npain++] = (tpt_pain_point){tpt__seconds_of(e->at), e->leg_pain, e->back_pain};
    }
    tpt_flags flags;
    if ((rc = tpt_flags_read(store, patient, &g->records, &flags, err)) != 0) {
        tpt_progress_record_free(g);
        return rc;
    }
    g->nflags = flags.count;
    g->flag_level = flags.level;
    const char *advice = tpt_flags_advice(&flags);
    g->flag_advice = advice ? strdup(advice) : NULL;
    tpt_flags_free(&flags);
    if (advice && !g->flag_advice) {
        tpt_progress_record_free(g);
        return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    }
    numb_walk walk = {.rules = rules, .g = g, .first = true};
    for (size_t i = 0; i < g->records.count; i++) {
        const tpt_record *r = &g->records.items[i];
        if (r->kind == TPT_RECORD_SCREEN) {
            add_screen(rules, r, g);
        } else if (r->kind == TPT_RECORD_SESSION) {
            json_t *root = r->json ? json_loads(r->json, 0, NULL) : NULL;
            const char *end = json_string_value(json_object_get(root, "end"));
            if (end && strcmp(end, "none") != 0) { /* a session that never began is not one */
                g->session_records[g->nsessions] = r;
                g->session_bodies[g->nsessions] = root;
                g->sessions[g->nsessions++] = (tpt_session_point){
                    tpt__seconds_of(r->at), strcmp(end, "sharp-or-new-pain") == 0};
            } else {
                json_decref(root);
            }
        } else if (r->kind == TPT_RECORD_DRAWING) {
            tpt_drawing_each_mark(r->input, numb_mark, &walk);
            walk.first = false;
        }
    }
    for (size_t i = 0; i < walk.nfirst; i++)
        free(walk.regions[i]);
    return 0;
}

void tpt_progress_record_input(const tpt_progress_record *g, int64_t now, tpt_progress_input *in)
{
    *in = (tpt_progress_input){
        .pain = g->pain,
        .npain = g->npain,
        .sessions = g->sessions,
        .nsessions = g->nsessions,
        .nflags = g->nflags,
        .flag_level = g->flag_level,
        .flag_advice = g->flag_advice,
        .new_numbness = g->new_numbness,
        .new_weakness = g->new_weakness,
        .now = now,
    };
}
