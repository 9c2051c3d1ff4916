/* The audit log and the installation's settings in PostgreSQL. The hashes
 * that chain the lines are computed by store/audit.c; here they are kept and
 * read. Lines written by several instances at once chain one after the
 * other through the chain's head (audit_head, one row): audit_last locks it
 * (SELECT ... FOR UPDATE) until the transaction ends, and audit_add moves it
 * to the line added, so that the next writer waits and then chains to that
 * line. The log's rows are read within the transaction's clinic (row-level
 * security); the head is not, so a line chains to the latest line whatever
 * clinic wrote it. store.c has checked the arguments. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "postgres.h"

/* ---- the audit log ---- */

static int audit_add(tpt__pg *c, const tpt_audit_line *line,
                     const uint8_t hash[TPT_AUDIT_HASH_SIZE], tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, line->at);
    tpt__pg_id(&p, line->user);
    tpt__pg_text(&p, line->action);
    tpt__pg_id(&p, line->patient);
    tpt__pg_text(&p, line->address ? line->address : "");
    tpt__pg_bytes(&p, hash, TPT_AUDIT_HASH_SIZE);
    PGresult *id = tpt__pg_run(c, "SELECT nextval(pg_get_serial_sequence('audit', 'id'))", NULL,
                               "writing the audit log", err);
    if (!id) return FAILED;
    tpt__pg_int(&p, tpt__pg_int64(c, id, 0, 0));
    c->pq->clear(id);
    /* the line belongs to the clinic of its patient, else of its account;
     * its id is drawn first, since RETURNING would have to read the row back
     * (a clinic's transaction may not: the policy lets anyone write lines);
     * then the head moves to it */
    PGresult *r =
        tpt__pg_run(c,
                    "WITH line AS (INSERT INTO audit (id, clinic_id, at, user_id, action, "
                    "patient_id, address, hash) OVERRIDING SYSTEM VALUE VALUES "
                    "($7, coalesce((SELECT clinic_id FROM patients WHERE id = $4), "
                    "(SELECT clinic_id FROM users WHERE id = $2), 0), "
                    "$1, $2, $3, $4, $5, $6)) "
                    "UPDATE audit_head SET line_id = $7, hash = $6",
                    &p, "writing the audit log", err);
    if (!r) return FAILED;
    long moved = tpt__pg_changed(c, r);
    c->pq->clear(r);
    return moved == 1 ? 0 : tpt_error_set(err, TPT_ERR_DATA, "the audit log's head is missing");
}

int tpt__pg_audit_add(tpt_store *s, const tpt_audit_line *line,
                      const uint8_t hash[TPT_AUDIT_HASH_SIZE], tpt_error *err)
{
    CALL(s, audit_add(c, line, hash, err));
}

/* A hash column, read as hexadecimal, into out: whether it holds one of
 * the right size (an empty one, as a copy from SQLite writes a line that
 * had none, is none). */
static bool hash_at(tpt__pg *c, PGresult *r, int i, int col, uint8_t out[TPT_AUDIT_HASH_SIZE])
{
    size_t len = 0;
    const char *hex = c->pq->getvalue(r, i, col);
    return !c->pq->getisnull(r, i, col) &&
           sodium_hex2bin(out, TPT_AUDIT_HASH_SIZE, hex, strlen(hex), NULL, &len, NULL) == 0 &&
           len == TPT_AUDIT_HASH_SIZE;
}

static int audit_last(tpt__pg *c, uint8_t hash[TPT_AUDIT_HASH_SIZE], bool *found, tpt_error *err)
{
    /* the head's lock is held until the transaction ends */
    PGresult *r = tpt__pg_run(c, "SELECT encode(hash, 'hex') FROM audit_head FOR UPDATE", NULL,
                              "reading the audit log's head", err);
    if (!r) return FAILED;
    int rows = c->pq->ntuples(r);
    *found = rows == 1 && hash_at(c, r, 0, 0, hash);
    c->pq->clear(r);
    return rows == 1 ? 0 : tpt_error_set(err, TPT_ERR_DATA, "the audit log's head is missing");
}

int tpt__pg_audit_last(tpt_store *s, uint8_t hash[TPT_AUDIT_HASH_SIZE], bool *found, tpt_error *err)
{
    CALL(s, audit_last(c, hash, found, err));
}

#define AUDIT_COLUMNS                                                                              \
    "a.id, tpt_utc_text(a.at), coalesce(a.user_id, 0), a.action, coalesce(a.patient_id, 0), "      \
    "u.name, u.email, p.name, a.address, "                                                         \
    "CASE WHEN u.operator THEN 'operator' ELSE u.role END, encode(a.hash, 'hex')"
#define AUDIT_JOINS                                                                                \
    " FROM audit a LEFT JOIN users u ON u.id = a.user_id "                                         \
    "LEFT JOIN patients p ON p.id = a.patient_id "

static int audit_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    tpt_audit_entry *e = item;
    e->id = tpt__pg_int64(c, r, i, 0);
    tpt__pg_copy(c, r, i, 1, e->at, sizeof e->at);
    e->user = tpt__pg_int64(c, r, i, 2);
    tpt__pg_copy(c, r, i, 3, e->action, sizeof e->action);
    e->patient = tpt__pg_int64(c, r, i, 4);
    tpt__pg_copy(c, r, i, 5, e->user_name, sizeof e->user_name);
    tpt__pg_copy(c, r, i, 6, e->user_email, sizeof e->user_email);
    tpt__pg_copy(c, r, i, 7, e->patient_name, sizeof e->patient_name);
    tpt__pg_copy(c, r, i, 8, e->address, sizeof e->address);
    if (tpt__pg_null(c, r, i, 9) || tpt_role_parse(c->pq->getvalue(r, i, 9), &e->user_role) != 0)
        e->user_role = TPT_ROLE_PATIENT;
    e->hashed = hash_at(c, r, i, 10, e->hash);
    return 0;
}

static int audit_list(tpt__pg *c, const tpt_audit_filter *f, tpt_audit_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, f->patient);
    tpt__pg_int(&p, f->clinic);
    tpt__pg_int(&p, f->before);
    tpt__pg_int(&p, (int64_t)f->limit);
    PGresult *r =
        tpt__pg_run(c,
                    "SELECT " AUDIT_COLUMNS AUDIT_JOINS "WHERE ($1 <= 0 OR a.patient_id = $1) "
                    "AND ($2 <= 0 OR u.clinic_id = $2 OR p.clinic_id = $2) "
                    "AND ($3 <= 0 OR a.id < $3) ORDER BY a.id DESC LIMIT $4",
                    &p, "reading the audit log", err);
    if (!r) return FAILED;
    int rc =
        tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, audit_item, err);
    if (rc) tpt_audit_list_free(out);
    return rc;
}

int tpt__pg_audit_list(tpt_store *s, const tpt_audit_filter *f, tpt_audit_list *out, tpt_error *err)
{
    CALL(s, audit_list(c, f, out, err));
}

static int audit_chain(tpt__pg *c, int64_t after, size_t limit, tpt_audit_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, after);
    tpt__pg_int(&p, (int64_t)limit);
    PGresult *r =
        tpt__pg_run(c, "SELECT " AUDIT_COLUMNS AUDIT_JOINS "WHERE a.id > $1 ORDER BY a.id LIMIT $2",
                    &p, "reading the audit log", err);
    if (!r) return FAILED;
    int rc =
        tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, audit_item, err);
    if (rc) tpt_audit_list_free(out);
    return rc;
}

int tpt__pg_audit_chain(tpt_store *s, int64_t after, size_t limit, tpt_audit_list *out,
                        tpt_error *err)
{
    CALL(s, audit_chain(c, after, limit, out, err));
}

static int audit_prune(tpt__pg *c, const char *before, int64_t *removed,
                       uint8_t anchor[TPT_AUDIT_HASH_SIZE], bool *anchored, tpt_error *err)
{
    *removed = 0;
    *anchored = false;
    tpt__pg_params p = {0};
    tpt__pg_text(&p, before);
    /* the last line to go: older than `before`, never the chain's head; the
     * head is locked first, so that no line is added meanwhile */
    PGresult *r = tpt__pg_run(c,
                              "SELECT a.id, encode(a.hash, 'hex') FROM audit a, "
                              "(SELECT line_id FROM audit_head FOR UPDATE) h "
                              "WHERE a.at < $1 AND a.id < h.line_id ORDER BY a.id DESC LIMIT 1",
                              &p, "pruning the audit log", err);
    if (!r) return FAILED;
    int64_t last = 0;
    if (c->pq->ntuples(r) == 1) {
        last = tpt__pg_int64(c, r, 0, 0);
        *anchored = hash_at(c, r, 0, 1, anchor);
    }
    c->pq->clear(r);
    if (!last) return 0;
    tpt__pg_params q = {0};
    tpt__pg_int(&q, last);
    r = tpt__pg_run(c, "DELETE FROM audit WHERE id <= $1", &q, "pruning the audit log", err);
    if (!r) return FAILED;
    *removed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    return 0;
}

int tpt__pg_audit_prune(tpt_store *s, const char *before, int64_t *removed,
                        uint8_t anchor[TPT_AUDIT_HASH_SIZE], bool *anchored, tpt_error *err)
{
    CALL(s, audit_prune(c, before, removed, anchor, anchored, err));
}

/* ---- settings ---- */

static int setting_get(tpt__pg *c, const char *key, char *out, size_t size, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, key);
    PGresult *r =
        tpt__pg_run(c, "SELECT value FROM settings WHERE key = $1", &p, "reading a setting", err);
    if (!r) return FAILED;
    *out = '\0';
    if (c->pq->ntuples(r) == 1) tpt__pg_copy(c, r, 0, 0, out, size);
    c->pq->clear(r);
    return 0;
}

int tpt__pg_setting_get(tpt_store *s, const char *key, char *out, size_t size, tpt_error *err)
{
    CALL(s, setting_get(c, key, out, size, err));
}

int tpt__pg_setting_set(tpt_store *s, const char *key, const char *value, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, key);
    if (*value) tpt__pg_text(&p, value);
    CALL(s, tpt__pg_do(c,
                       *value ? "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT "
                                "(key) DO UPDATE SET value = excluded.value"
                              : "DELETE FROM settings WHERE key = $1",
                       &p, "keeping a setting", err));
}
