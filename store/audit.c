/* The audit log for every backend (store.h): each line carries a hash of
 * its content and of the line before it, so that a line changed or removed
 * in the middle of the log shows: the next line's hash no longer holds.
 *
 * A line's hash is BLAKE2b-256 (libsodium) over "tpt audit 1\n", the
 * previous line's hash (32 zero bytes for the first line), and each field
 * as its length in decimal, ':', its bytes and '\n': the time, the account
 * id, the action, the patient id and the client's address. Pruning keeps
 * the hash of the last line it removed as the setting "audit_anchor", which
 * the first line kept is chained to. Lines written before the log was
 * chained (schema 9) have no hash and are counted apart, before the chain. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "tpt/printable.h"
#include "tpt/time.h"

#define ANCHOR "audit_anchor"
#define PAGE 1000 /* lines read at a time while verifying */

static void put_field(crypto_generichash_state *st, const char *text)
{
    char len[24];
    snprintf(len, sizeof len, "%zu:", strlen(text));
    crypto_generichash_update(st, (const unsigned char *)len, strlen(len));
    crypto_generichash_update(st, (const unsigned char *)text, strlen(text));
    crypto_generichash_update(st, (const unsigned char *)"\n", 1);
}

static void put_id(crypto_generichash_state *st, int64_t id)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)id);
    put_field(st, text);
}

/* The hash of a line after the line whose hash is prev. */
static void line_hash(const uint8_t prev[TPT_AUDIT_HASH_SIZE], const char *at, int64_t user,
                      const char *action, int64_t patient, const char *address,
                      uint8_t out[TPT_AUDIT_HASH_SIZE])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, TPT_AUDIT_HASH_SIZE);
    crypto_generichash_update(&st, (const unsigned char *)"tpt audit 1\n", 12);
    crypto_generichash_update(&st, prev, TPT_AUDIT_HASH_SIZE);
    put_field(&st, at);
    put_id(&st, user);
    put_field(&st, action);
    put_id(&st, patient);
    put_field(&st, address ? address : "");
    crypto_generichash_final(&st, out, TPT_AUDIT_HASH_SIZE);
}

/* The hash the first line is chained to: the anchor pruning left, or zeros. */
static int anchor(tpt_store *s, uint8_t out[TPT_AUDIT_HASH_SIZE], tpt_error *err)
{
    char hex[2 * TPT_AUDIT_HASH_SIZE + 1];
    memset(out, 0, TPT_AUDIT_HASH_SIZE);
    int rc = s->backend->setting_get(s, ANCHOR, hex, sizeof hex, err);
    if (rc || !*hex) return rc;
    size_t len;
    if (sodium_hex2bin(out, TPT_AUDIT_HASH_SIZE, hex, strlen(hex), NULL, &len, NULL) != 0 ||
        len != TPT_AUDIT_HASH_SIZE)
        return tpt_error_set(err, TPT_ERR_DATA, "the audit log's anchor is damaged");
    return 0;
}

/* Runs f inside the open transaction, or inside one of its own. */
static int in_transaction(tpt_store *s, int (*f)(tpt_store *s, void *arg, tpt_error *err),
                          void *arg, tpt_error *err)
{
    if (s->depth > 0) return f(s, arg, err);
    int rc = tpt_store_begin(s, err);
    if (rc) return rc;
    if ((rc = f(s, arg, err)) || (rc = tpt_store_commit(s, err))) tpt_store_rollback(s);
    return rc;
}

static int add_line(tpt_store *s, void *arg, tpt_error *err)
{
    const tpt_audit_line *line = arg;
    uint8_t prev[TPT_AUDIT_HASH_SIZE], hash[TPT_AUDIT_HASH_SIZE];
    bool found;
    int rc = s->backend->audit_last(s, prev, &found, err);
    if (!rc && !found) rc = anchor(s, prev, err);
    if (rc) return rc;
    line_hash(prev, line->at, line->user, line->action, line->patient, line->address, hash);
    return s->backend->audit_add(s, line, hash, err);
}

int tpt_store_audit_add(tpt_store *s, const tpt_audit_line *line, tpt_error *err)
{
    int rc = tpt_time_check(line->at, err);
    if (rc) return rc;
    if (!line->action || !*line->action || strlen(line->action) > TPT_ACTION_MAX ||
        tpt_text_has_control(line->action, false))
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "an audit line's action has 1 to %d characters, no control ones",
                             TPT_ACTION_MAX);
    if (line->address && (strlen(line->address) > TPT_CLIENT_ADDRESS_MAX ||
                          tpt_text_has_control(line->address, false)))
        return tpt_error_set(err, TPT_ERR_INPUT, "a client's address has at most %d characters",
                             TPT_CLIENT_ADDRESS_MAX);
    if (line->user < 0 || line->patient < 0)
        return tpt_error_set(err, TPT_ERR_INPUT, "an audit line names ids from 1, or 0 for none");
    return in_transaction(s, add_line, (void *)line, err);
}

int tpt_store_audit_list(tpt_store *s, const tpt_audit_filter *f, tpt_audit_list *out,
                         tpt_error *err)
{
    memset(out, 0, sizeof *out);
    if (f->patient < 0 || f->clinic < 0 || f->before < 0)
        return tpt_error_set(err, TPT_ERR_INPUT, "an audit filter names ids from 1, or 0");
    return s->backend->audit_list(s, f, out, err);
}

int tpt_store_audit_verify(tpt_store *s, tpt_audit_check *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    uint8_t prev[TPT_AUDIT_HASH_SIZE], want[TPT_AUDIT_HASH_SIZE];
    bool chained = false; /* a hashed line has been read */
    int64_t after = 0;
    int rc = anchor(s, prev, err);
    for (;;) {
        tpt_audit_list page = {0};
        if (rc || (rc = s->backend->audit_chain(s, after, PAGE, &page, err))) return rc;
        for (size_t i = 0; i < page.count && !out->first_broken; i++) {
            const tpt_audit_entry *e = &page.items[i];
            out->lines++;
            if (!e->hashed && !chained) {
                out->unchained++;
                continue;
            }
            line_hash(prev, e->at, e->user, e->action, e->patient, e->address, want);
            if (!e->hashed || sodium_memcmp(want, e->hash, TPT_AUDIT_HASH_SIZE) != 0) {
                out->first_broken = e->id;
                break;
            }
            chained = true;
            memcpy(prev, e->hash, TPT_AUDIT_HASH_SIZE);
        }
        after = page.count ? page.items[page.count - 1].id : after;
        size_t n = page.count;
        tpt_audit_list_free(&page);
        if (out->first_broken || n < PAGE) break;
    }
    if (chained) sodium_bin2hex(out->head, sizeof out->head, prev, TPT_AUDIT_HASH_SIZE);
    if (out->first_broken)
        return tpt_error_set(err, TPT_ERR_DATA,
                             "the audit log's chain breaks at line %lld: that line was changed, "
                             "or a line before it removed",
                             (long long)out->first_broken);
    return 0;
}

typedef struct prune_job {
    const char *before;
    int64_t removed;
} prune_job;

static int prune(tpt_store *s, void *arg, tpt_error *err)
{
    prune_job *job = arg;
    uint8_t last[TPT_AUDIT_HASH_SIZE];
    bool anchored;
    int rc = s->backend->audit_prune(s, job->before, &job->removed, last, &anchored, err);
    if (rc || !job->removed) return rc;
    char hex[2 * TPT_AUDIT_HASH_SIZE + 1] = "";
    if (anchored) sodium_bin2hex(hex, sizeof hex, last, TPT_AUDIT_HASH_SIZE);
    /* no anchor when the lines removed were from before the chain */
    return s->backend->setting_set(s, ANCHOR, hex, err);
}

int tpt_store_audit_prune(tpt_store *s, const char *before, int64_t *removed, tpt_error *err)
{
    prune_job job = {before, 0};
    int rc = tpt_time_check(before, err);
    if (!rc) rc = in_transaction(s, prune, &job, err);
    if (removed) *removed = rc ? 0 : job.removed;
    return rc;
}
