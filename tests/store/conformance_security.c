/* The store's contract for what keeps the records safe, through store.h
 * alone (every backend): accounts kept to a clinic, disabled, deleted and
 * given another role; invitations listed, withdrawn and spent by failures;
 * password reset links used once; the audit log's chain, its filters and
 * its pruning; settings; a record kept to its own account; an erased
 * record's tombstone; control characters refused. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conformance.h"

#define T0 "2026-11-21T10:00:00Z"

static int64_t add_user(tpt_store *s, const char *email, tpt_role role, int64_t clinic,
                        int64_t patient)
{
    tpt_user u = {.role = role, .clinic = clinic, .patient = patient};
    snprintf(u.email, sizeof u.email, "%s", email);
    snprintf(u.name, sizeof u.name, "Name of %s", email);
    snprintf(u.password_hash, sizeof u.password_hash, "$argon2id$x");
    int64_t id = 0;
    tpt_error err = {0};
    if (tpt_store_user_add(s, &u, &id, &err) != 0) fail_msg("%s: %s", email, err.message);
    return id;
}

static void add_session(tpt_store *s, int64_t user, int byte)
{
    tpt_auth_session a = {.user = user};
    memset(a.token_hash, byte, sizeof a.token_hash);
    snprintf(a.csrf, sizeof a.csrf, "csrf");
    snprintf(a.expires, sizeof a.expires, "2026-11-22T10:00:00Z");
    assert_int_equal(tpt_store_auth_session_add(s, &a, NULL), 0);
}

static bool has_session(tpt_store *s, int byte)
{
    uint8_t hash[TPT_TOKEN_HASH_SIZE];
    tpt_auth_session got;
    memset(hash, byte, sizeof hash);
    return tpt_store_auth_session_find(s, hash, &got, NULL) == 0;
}

static void accounts_are_kept_to_their_clinic_and_can_end(void **state)
{
    (void)state;
    tpt_store *s = open_store("lifecycle");
    tpt_error err = {0};
    int64_t north, south, count;
    assert_int_equal(tpt_store_clinic_add(s, "North", &north, NULL), 0);
    assert_int_equal(tpt_store_clinic_add(s, "South", &south, NULL), 0);
    int64_t owner = add_user(s, "owner@north.example", TPT_ROLE_ADMIN, north, 0);
    int64_t prac = add_user(s, "prac@north.example", TPT_ROLE_PRACTITIONER, north, 0);
    int64_t other = add_user(s, "prac@south.example", TPT_ROLE_PRACTITIONER, south, 0);
    int64_t op = add_user(s, "op@host.example", TPT_ROLE_OPERATOR, 0, 0);
    /* an operator belongs to no clinic, everyone else to one */
    tpt_user bad = {.role = TPT_ROLE_OPERATOR, .clinic = north};
    snprintf(bad.email, sizeof bad.email, "bad@x.example");
    snprintf(bad.name, sizeof bad.name, "Bad");
    assert_int_equal(tpt_store_user_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    bad.role = TPT_ROLE_PRACTITIONER;
    bad.clinic = 0;
    assert_int_equal(tpt_store_user_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    tpt_user found;
    assert_int_equal(tpt_store_user_by_id(s, op, &found, NULL), 0);
    assert_int_equal(found.role, TPT_ROLE_OPERATOR);
    assert_int_equal(found.clinic, 0);

    tpt_user_list users;
    assert_int_equal(tpt_store_user_list(s, north, &users, NULL), 0);
    assert_int_equal(users.count, 2);
    assert_int_equal(users.items[0].id, owner);
    assert_int_equal(users.items[1].id, prac);
    tpt_user_list_free(&users);
    assert_int_equal(tpt_store_user_list(s, 0, &users, NULL), 0);
    assert_int_equal(users.count, 4);
    tpt_user_list_free(&users);

    /* roles change between admin and practitioner only */
    assert_int_equal(tpt_store_admin_count(s, north, &count, NULL), 0);
    assert_int_equal(count, 1);
    assert_int_equal(tpt_store_user_set_role(s, prac, TPT_ROLE_ADMIN, NULL), 0);
    assert_int_equal(tpt_store_admin_count(s, north, &count, NULL), 0);
    assert_int_equal(count, 2);
    assert_int_equal(tpt_store_user_set_role(s, prac, TPT_ROLE_OPERATOR, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_user_set_role(s, op, TPT_ROLE_ADMIN, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_user_set_role(s, 9999, TPT_ROLE_ADMIN, &err), TPT_ERR_INPUT);

    /* disabling ends the sessions; the account stays and may come back */
    add_session(s, prac, 1);
    add_session(s, prac, 2);
    add_session(s, other, 3);
    assert_int_equal(tpt_store_user_set_disabled(s, prac, T0, NULL), 0);
    assert_false(has_session(s, 1) || has_session(s, 2));
    assert_true(has_session(s, 3));
    assert_int_equal(tpt_store_user_by_id(s, prac, &found, NULL), 0);
    assert_string_equal(found.disabled, T0);
    assert_int_equal(tpt_store_admin_count(s, north, &count, NULL), 0);
    assert_int_equal(count, 1); /* a disabled admin manages nothing */
    assert_int_equal(tpt_store_user_set_disabled(s, prac, "", NULL), 0);
    assert_int_equal(tpt_store_user_by_id(s, prac, &found, NULL), 0);
    assert_string_equal(found.disabled, "");
    assert_int_equal(tpt_store_user_set_disabled(s, prac, "soon", &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_user_set_disabled(s, 9999, T0, &err), TPT_ERR_INPUT);

    /* a deleted account keeps its name, frees its email, cannot sign in */
    add_session(s, other, 4);
    assert_int_equal(tpt_store_user_delete(s, other, T0, NULL), 0);
    assert_false(has_session(s, 3) || has_session(s, 4));
    assert_int_equal(tpt_store_user_by_email(s, "prac@south.example", &found, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_user_by_id(s, other, &found, NULL), 0);
    assert_string_equal(found.deleted, T0);
    assert_string_equal(found.disabled, T0);
    assert_string_equal(found.name, "Name of prac@south.example");
    assert_string_equal(found.password_hash, "");
    assert_int_equal(tpt_store_user_delete(s, other, T0, &err), TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_user_delete(s, 9999, T0, &err), TPT_ERR_INPUT);
    int64_t again = add_user(s, "PRAC@south.example", TPT_ROLE_PRACTITIONER, south, 0);
    assert_true(again > other);
    assert_int_equal(tpt_store_user_by_email(s, "prac@south.example", &found, NULL), 0);
    assert_int_equal(found.id, again);

    /* names and emails without control characters */
    tpt_user odd = {.role = TPT_ROLE_PRACTITIONER, .clinic = north};
    snprintf(odd.email, sizeof odd.email, "odd@x.example");
    snprintf(odd.name, sizeof odd.name, "Eve\x1b[2J");
    assert_int_equal(tpt_store_user_add(s, &odd, NULL, &err), TPT_ERR_INPUT);
    snprintf(odd.name, sizeof odd.name, "Eve");
    snprintf(odd.email, sizeof odd.email, "odd\n@x.example");
    assert_int_equal(tpt_store_user_add(s, &odd, NULL, &err), TPT_ERR_INPUT);
    int64_t id;
    assert_int_equal(tpt_store_clinic_add(s, "Tab\tClinic", &id, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_patient_add(s, "Ann\xc2\x9b", north, &id, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_patient_add(s, "Zoë", north, &id, NULL), 0); /* UTF-8 is fine */
    tpt_log_entry e = {.patient = id,
                       .leg_pain = -1,
                       .back_pain = 3,
                       .sitting_minutes = -1,
                       .walking_minutes = -1,
                       .sleep_disturbed = -1,
                       .note = "bad\rline"};
    snprintf(e.at, sizeof e.at, T0);
    assert_int_equal(tpt_store_log_add(s, &e, NULL, &err), TPT_ERR_INPUT);
    e.note = "two\nlines\tand a tab";
    assert_int_equal(tpt_store_log_add(s, &e, NULL, NULL), 0);
    tpt_store_close(s);
}

static tpt_invitation invitation(int byte, int64_t clinic, int64_t by, const char *expires)
{
    tpt_invitation inv = {.role = TPT_ROLE_PRACTITIONER, .clinic = clinic, .created_by = by};
    memset(inv.token_hash, byte, sizeof inv.token_hash);
    snprintf(inv.name, sizeof inv.name, "Invited %d", byte);
    snprintf(inv.created, sizeof inv.created, T0);
    snprintf(inv.expires, sizeof inv.expires, "%s", expires);
    return inv;
}

static void invitations_and_reset_links_are_used_once(void **state)
{
    (void)state;
    tpt_store *s = open_store("links");
    tpt_error err = {0};
    int64_t north, south;
    assert_int_equal(tpt_store_clinic_add(s, "North", &north, NULL), 0);
    assert_int_equal(tpt_store_clinic_add(s, "South", &south, NULL), 0);
    int64_t owner = add_user(s, "owner@north.example", TPT_ROLE_ADMIN, north, 0);
    const char *later = "2026-11-28T10:00:00Z";
    tpt_invitation a = invitation(1, north, owner, later), b = invitation(2, north, owner, later),
                   c = invitation(3, south, owner, later),
                   old = invitation(4, north, owner, "2026-11-21T11:00:00Z");
    snprintf(a.email, sizeof a.email, "a@north.example");
    assert_int_equal(tpt_store_invitation_add(s, &a, NULL), 0);
    assert_int_equal(tpt_store_invitation_add(s, &b, NULL), 0);
    assert_int_equal(tpt_store_invitation_add(s, &c, NULL), 0);
    assert_int_equal(tpt_store_invitation_add(s, &old, NULL), 0);
    tpt_invitation bad = invitation(5, north, owner, later);
    bad.role = TPT_ROLE_OPERATOR; /* operators are made on the server, never invited */
    assert_int_equal(tpt_store_invitation_add(s, &bad, &err), TPT_ERR_INPUT);

    /* waiting: unused, not withdrawn, in date; by clinic */
    tpt_invitation_list list;
    assert_int_equal(tpt_store_invitation_list(s, north, "2026-11-22T10:00:00Z", &list, NULL), 0);
    assert_int_equal(list.count, 2);
    assert_string_equal(list.items[0].name, "Invited 1");
    assert_string_equal(list.items[0].email, "a@north.example");
    assert_true(list.items[1].id > list.items[0].id);
    int64_t first = list.items[0].id, second = list.items[1].id;
    tpt_invitation_list_free(&list);
    assert_int_equal(tpt_store_invitation_list(s, 0, T0, &list, NULL), 0);
    assert_int_equal(list.count, 4);
    tpt_invitation_list_free(&list);

    tpt_invitation got;
    assert_int_equal(tpt_store_invitation_get(s, second, &got, NULL), 0);
    assert_string_equal(got.name, "Invited 2");
    assert_int_equal(tpt_store_invitation_get(s, 9999, &got, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_invitation_withdraw(s, second, T0, NULL), 0);
    assert_int_equal(tpt_store_invitation_withdraw(s, second, T0, &err), TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_invitation_withdraw(s, 9999, T0, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_invitation_use(s, b.token_hash, T0, &err), TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_invitation_find(s, b.token_hash, &got, NULL), 0);
    assert_string_equal(got.withdrawn, T0);
    assert_int_equal(tpt_store_invitation_use(s, c.token_hash, T0, NULL), 0);
    assert_int_equal(tpt_store_invitation_find(s, c.token_hash, &got, NULL), 0);
    /* used: nothing left to withdraw */
    assert_int_equal(tpt_store_invitation_withdraw(s, got.id, T0, &err), TPT_ERR_CONFLICT);

    /* refused accepts are counted in the store; at the bound it is spent */
    int failures = 0;
    assert_int_equal(tpt_store_invitation_fail(s, a.token_hash, 3, T0, &failures, NULL), 0);
    assert_int_equal(failures, 1);
    assert_int_equal(tpt_store_invitation_fail(s, a.token_hash, 3, T0, &failures, NULL), 0);
    assert_int_equal(tpt_store_invitation_get(s, first, &got, NULL), 0);
    assert_string_equal(got.withdrawn, "");
    assert_int_equal(got.failures, 2);
    assert_int_equal(tpt_store_invitation_fail(s, a.token_hash, 3, T0, &failures, NULL), 0);
    assert_int_equal(failures, 3);
    assert_int_equal(tpt_store_invitation_get(s, first, &got, NULL), 0);
    assert_string_equal(got.withdrawn, T0);
    assert_int_equal(tpt_store_invitation_use(s, a.token_hash, T0, &err), TPT_ERR_CONFLICT);
    uint8_t nobody[TPT_TOKEN_HASH_SIZE];
    memset(nobody, 9, sizeof nobody);
    assert_int_equal(tpt_store_invitation_fail(s, nobody, 3, T0, &failures, &err), TPT_ERR_INPUT);

    /* a reset link, used once; the account's other links die with it */
    int64_t prac = add_user(s, "prac@north.example", TPT_ROLE_PRACTITIONER, north, 0);
    tpt_password_reset r = {.user = prac, .created_by = owner}, r2, seen;
    memset(r.token_hash, 11, sizeof r.token_hash);
    snprintf(r.created, sizeof r.created, T0);
    snprintf(r.expires, sizeof r.expires, "2026-11-22T10:00:00Z");
    r2 = r;
    memset(r2.token_hash, 12, sizeof r2.token_hash);
    r2.created_by = 0; /* from the command line */
    assert_int_equal(tpt_store_reset_add(s, &r, NULL), 0);
    assert_int_equal(tpt_store_reset_add(s, &r2, NULL), 0);
    assert_int_equal(tpt_store_reset_find(s, r.token_hash, &seen, NULL), 0);
    assert_int_equal(seen.user, prac);
    assert_int_equal(seen.created_by, owner);
    assert_string_equal(seen.expires, "2026-11-22T10:00:00Z");
    assert_string_equal(seen.used, "");
    assert_int_equal(tpt_store_reset_use(s, r.token_hash, "2026-11-21T10:05:00Z", NULL), 0);
    assert_int_equal(tpt_store_reset_use(s, r.token_hash, "2026-11-21T10:06:00Z", &err),
                     TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_reset_use(s, r2.token_hash, "2026-11-21T10:06:00Z", &err),
                     TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_reset_find(s, r2.token_hash, &seen, NULL), 0);
    assert_string_equal(seen.used, "2026-11-21T10:05:00Z");
    assert_int_equal(tpt_store_reset_find(s, nobody, &seen, &err), TPT_ERR_INPUT);
    r.user = 0;
    assert_int_equal(tpt_store_reset_add(s, &r, &err), TPT_ERR_INPUT);
    tpt_store_close(s);
}

static void add_line(tpt_store *s, const char *at, int64_t user, int64_t patient,
                     const char *action, const char *address)
{
    tpt_audit_line line = {.user = user, .patient = patient, .action = action, .address = address};
    snprintf(line.at, sizeof line.at, "%s", at);
    tpt_error err = {0};
    if (tpt_store_audit_add(s, &line, &err) != 0) fail_msg("%s: %s", action, err.message);
}

static void the_audit_log_is_a_chain_that_can_be_pruned(void **state)
{
    (void)state;
    tpt_store *s = open_store("audit");
    tpt_error err = {0};
    tpt_audit_check check;
    assert_int_equal(tpt_store_audit_verify(s, &check, NULL), 0);
    assert_int_equal(check.lines, 0);
    assert_string_equal(check.head, "");
    int64_t north, south, ann, bob;
    assert_int_equal(tpt_store_clinic_add(s, "North", &north, NULL), 0);
    assert_int_equal(tpt_store_clinic_add(s, "South", &south, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Ann", north, &ann, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Bob", south, &bob, NULL), 0);
    int64_t owner = add_user(s, "owner@north.example", TPT_ROLE_ADMIN, north, 0);
    int64_t other = add_user(s, "prac@south.example", TPT_ROLE_PRACTITIONER, south, 0);
    add_line(s, "2026-01-01T10:00:00Z", owner, ann, "read the log", "192.0.2.1");
    add_line(s, "2026-01-02T10:00:00Z", other, bob, "read the log", "2001:db8::1");
    add_line(s, "2026-01-03T10:00:00Z", owner, 0, "signed in", "192.0.2.1");
    add_line(s, "2026-01-04T10:00:00Z", other, ann, "refused GET /api/v1/patients/1 (404)", NULL);
    add_line(s, "2026-01-05T10:00:00Z", 0, 0, "refused POST /api/v1/patients (401)",
             "198.51.100.7");

    /* a clinic's lines: its accounts' and its records' */
    tpt_audit_list list;
    tpt_audit_filter f = {.clinic = north, .limit = 10};
    assert_int_equal(tpt_store_audit_list(s, &f, &list, NULL), 0);
    assert_int_equal(list.count, 3);
    assert_string_equal(list.items[0].action, "refused GET /api/v1/patients/1 (404)");
    assert_int_equal(list.items[0].user_role, TPT_ROLE_PRACTITIONER);
    assert_string_equal(list.items[1].action, "signed in");
    assert_string_equal(list.items[2].address, "192.0.2.1");
    assert_true(list.items[2].hashed);
    int64_t newest = list.items[0].id;
    tpt_audit_list_free(&list);
    tpt_audit_filter page = {.clinic = north, .before = newest, .limit = 1};
    assert_int_equal(tpt_store_audit_list(s, &page, &list, NULL), 0);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].action, "signed in");
    tpt_audit_list_free(&list);
    tpt_audit_filter theirs = {.patient = bob, .limit = 10};
    assert_int_equal(tpt_store_audit_list(s, &theirs, &list, NULL), 0);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].address, "2001:db8::1");
    tpt_audit_list_free(&list);

    /* the chain holds; its head is the latest line's hash */
    assert_int_equal(tpt_store_audit_verify(s, &check, NULL), 0);
    assert_int_equal(check.lines, 5);
    assert_int_equal(check.first_broken, 0);
    assert_int_equal(strlen(check.head), 64);
    char head[65];
    snprintf(head, sizeof head, "%s", check.head);

    /* what an action may hold */
    add_line(s, T0, 0, 0, "fine", NULL);
    tpt_audit_line bad = {.at = T0, .action = "two\nlines"};
    assert_int_equal(tpt_store_audit_add(s, &bad, &err), TPT_ERR_INPUT);
    bad.action = "";
    assert_int_equal(tpt_store_audit_add(s, &bad, &err), TPT_ERR_INPUT);

    /* inside a transaction, a line goes with the change or not at all */
    assert_int_equal(tpt_store_begin(s, NULL), 0);
    add_line(s, T0, owner, ann, "rolled back", NULL);
    tpt_store_rollback(s);
    assert_int_equal(tpt_store_begin(s, NULL), 0);
    add_line(s, T0, owner, ann, "committed", NULL);
    assert_int_equal(tpt_store_commit(s, NULL), 0);
    assert_int_equal(tpt_store_audit_verify(s, &check, NULL), 0);
    assert_int_equal(check.lines, 7);
    assert_string_not_equal(check.head, head);

    /* pruning keeps the chain verifiable from the first line kept, and
     * never removes the latest line */
    int64_t removed;
    assert_int_equal(tpt_store_audit_prune(s, "2026-01-03T00:00:00Z", &removed, NULL), 0);
    assert_int_equal(removed, 2);
    assert_int_equal(tpt_store_audit_verify(s, &check, NULL), 0);
    assert_int_equal(check.lines, 5);
    add_line(s, "2026-11-22T10:00:00Z", owner, 0, "after pruning", NULL);
    assert_int_equal(tpt_store_audit_verify(s, &check, NULL), 0);
    assert_int_equal(tpt_store_audit_prune(s, "2030-01-01T00:00:00Z", &removed, NULL), 0);
    assert_int_equal(removed, 5);
    assert_int_equal(tpt_store_audit_verify(s, &check, NULL), 0);
    assert_int_equal(check.lines, 1);
    assert_int_equal(tpt_store_audit_prune(s, "yesterday", &removed, &err), TPT_ERR_INPUT);
    tpt_store_close(s);
}

/* Lines written by several processes at once, each inside a transaction
 * that waits a moment before it commits: each chains to the one before it,
 * whoever wrote it (a backend must serialize the chain's head). */
#define CHAIN_WRITERS 4
#define CHAIN_LINES 10

static int write_lines(int i)
{
    tpt_store *s = open_store("audit-race");
    tpt_error err = {0};
    char action[64];
    int rc = 0;
    for (int k = 0; !rc && k < CHAIN_LINES; k++) {
        tpt_audit_line line = {.action = action, .address = "192.0.2.9"};
        snprintf(line.at, sizeof line.at, "2026-02-0%dT10:00:%02dZ", i + 1, k);
        snprintf(action, sizeof action, "writer %d line %d", i, k);
        if ((rc = tpt_store_begin_shared(s, &err)) || (rc = tpt_store_audit_add(s, &line, &err)))
            break;
        pause_briefly();
        if ((rc = tpt_store_commit(s, &err))) tpt_store_rollback(s);
    }
    if (rc) fprintf(stderr, "writer %d: %s\n", i, err.message);
    tpt_store_close(s);
    return rc ? 1 : 0;
}

static void the_audit_chain_holds_under_concurrent_writers(void **state)
{
    (void)state;
    tpt_store *s = open_store("audit-race");
    tpt_store_close(s);
    in_processes(CHAIN_WRITERS, write_lines);
    s = open_store("audit-race");
    tpt_audit_check check;
    tpt_error err = {0};
    if (tpt_store_audit_verify(s, &check, &err) != 0) fail_msg("%s", err.message);
    assert_int_equal(check.lines, CHAIN_WRITERS * CHAIN_LINES);
    assert_int_equal(check.unchained, 0);
    tpt_store_close(s);
}

/* A line is written, and chained, from a transaction that sees no clinic or
 * another clinic than the line's (a refused attempt, a sign-in before
 * anyone's clinic is known); and a good sign-in takes its attempt off a
 * key's count. */
static void lines_of_any_clinic_and_forgiven_sign_ins(void **state)
{
    (void)state;
    tpt_store *s = open_store("audit-scoped");
    tpt_error err = {0};
    int64_t north, south, ann;
    assert_int_equal(tpt_store_clinic_add(s, "North", &north, NULL), 0);
    assert_int_equal(tpt_store_clinic_add(s, "South", &south, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Ann", north, &ann, NULL), 0);
    int64_t owner = add_user(s, "owner@north.example", TPT_ROLE_ADMIN, north, 0);
    int64_t other = add_user(s, "prac@south.example", TPT_ROLE_PRACTITIONER, south, 0);
    add_line(s, "2026-03-01T10:00:00Z", owner, ann, "read the log", "192.0.2.1");
    int64_t scopes[] = {TPT_SCOPE_NONE, south};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(tpt_store_scope(s, scopes[i], NULL), 0);
        assert_int_equal(tpt_store_begin_shared(s, NULL), 0);
        add_line(s, "2026-03-02T10:00:00Z", i ? other : 0, 0, "refused a call", "192.0.2.2");
        if (tpt_store_commit(s, &err) != 0) fail_msg("scope %zu: %s", i, err.message);
    }
    assert_int_equal(tpt_store_scope(s, south, NULL), 0);
    assert_int_equal(tpt_store_begin_shared(s, NULL), 0);
    add_line(s, "2026-03-03T10:00:00Z", other, ann, "refused GET /api/v1/patients/1 (404)",
             "192.0.2.3");
    if (tpt_store_commit(s, &err) != 0) fail_msg("%s", err.message);
    assert_int_equal(tpt_store_scope(s, TPT_SCOPE_ALL, NULL), 0);
    tpt_audit_check check;
    if (tpt_store_audit_verify(s, &check, &err) != 0) fail_msg("%s", err.message);
    assert_int_equal(check.lines, 4);
    /* the refused attempt on Ann's record is North's to read */
    tpt_audit_list list;
    tpt_audit_filter f = {.patient = ann, .limit = 10};
    assert_int_equal(tpt_store_audit_list(s, &f, &list, NULL), 0);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0].user, other);
    tpt_audit_list_free(&list);

    /* the address's count keeps its failures, less the good sign-in */
    tpt_sign_in_attempt a = {.key = "address",
                             .now = "2026-03-04T10:00:00Z",
                             .free_failures = 30,
                             .max_wait = 900,
                             .forget_before = "2026-03-03T10:00:00Z"};
    tpt_sign_in_failures kept;
    bool allowed;
    for (int i = 0; i < 3; i++)
        assert_int_equal(tpt_store_sign_in_reserve(s, &a, &allowed, &kept, NULL), 0);
    assert_int_equal(kept.failures, 3);
    assert_int_equal(tpt_store_sign_in_forgive(s, "address", NULL), 0);
    assert_int_equal(tpt_store_sign_in_failures(s, "address", &kept, NULL), 0);
    assert_int_equal(kept.failures, 2);
    assert_int_equal(tpt_store_sign_in_forgive(s, "nobody", NULL), 0); /* no key: nothing */
    tpt_store_close(s);
}

static void settings_are_kept_and_removed(void **state)
{
    (void)state;
    tpt_store *s = open_store("settings");
    tpt_error err = {0};
    char value[64];
    assert_int_equal(tpt_store_setting_get(s, "audit_retention_days", value, sizeof value, NULL),
                     0);
    assert_string_equal(value, "");
    assert_int_equal(tpt_store_setting_set(s, "audit_retention_days", "2190", NULL), 0);
    assert_int_equal(tpt_store_setting_set(s, "audit_retention_days", "365", NULL), 0);
    assert_int_equal(tpt_store_setting_get(s, "audit_retention_days", value, sizeof value, NULL),
                     0);
    assert_string_equal(value, "365");
    assert_int_equal(tpt_store_setting_set(s, "audit_retention_days", "", NULL), 0);
    assert_int_equal(tpt_store_setting_get(s, "audit_retention_days", value, sizeof value, NULL),
                     0);
    assert_string_equal(value, "");
    assert_int_equal(tpt_store_setting_set(s, "", "x", &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_setting_set(s, "k", "a\x1b", &err), TPT_ERR_INPUT);
    tpt_store_close(s);
}

static void records_kept_private_and_erased(void **state)
{
    (void)state;
    tpt_store *s = open_store("erase");
    tpt_error err = {0};
    int64_t north, ann, mine;
    assert_int_equal(tpt_store_clinic_add(s, "North", &north, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Ann", north, &ann, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Owner's own", north, &mine, NULL), 0);
    int64_t owner = add_user(s, "owner@north.example", TPT_ROLE_ADMIN, north, mine);
    int64_t patient = add_user(s, "ann@home.example", TPT_ROLE_PATIENT, north, ann);

    /* a record kept to its account leaves the clinic's list */
    assert_int_equal(tpt_store_patient_set_private(s, mine, owner, NULL), 0);
    tpt_patient p;
    assert_int_equal(tpt_store_patient_get(s, mine, &p, NULL), 0);
    assert_int_equal(p.private_to, owner);
    tpt_patient_list list;
    assert_int_equal(tpt_store_patient_list(s, north, NULL, false, 50, &list, NULL), 0);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0].id, ann);
    tpt_patient_list_free(&list);
    assert_int_equal(tpt_store_patient_set_private(s, mine, 0, NULL), 0); /* shared again */
    assert_int_equal(tpt_store_patient_list(s, north, NULL, false, 50, &list, NULL), 0);
    assert_int_equal(list.count, 2);
    tpt_patient_list_free(&list);
    assert_int_equal(tpt_store_patient_set_private(s, 9999, owner, &err), TPT_ERR_INPUT);

    /* Ann's record holds something of every kind, a signed note among them */
    tpt_log_entry e = {.patient = ann,
                       .leg_pain = 5,
                       .back_pain = -1,
                       .sitting_minutes = -1,
                       .walking_minutes = -1,
                       .sleep_disturbed = -1,
                       .note = "private words"};
    snprintf(e.at, sizeof e.at, T0);
    assert_int_equal(tpt_store_log_add(s, &e, NULL, NULL), 0);
    tpt_record r = {.patient = ann, .kind = TPT_RECORD_SCREEN, .summary = "none", .json = "{}"};
    snprintf(r.at, sizeof r.at, T0);
    int64_t screen;
    assert_int_equal(tpt_store_record_add(s, &r, &screen, NULL), 0);
    tpt_assessment a = {.patient = ann,
                        .author = owner,
                        .record = screen,
                        .finding = "no sign of spread on examination"};
    snprintf(a.at, sizeof a.at, T0);
    snprintf(a.flag, sizeof a.flag, "cancer-history");
    assert_int_equal(tpt_store_assessment_add(s, &a, NULL, NULL), 0);
    tpt_visit v = {.patient = ann, .note = "{\"kind\":\"intake\"}"};
    snprintf(v.at, sizeof v.at, T0);
    int64_t visit;
    assert_int_equal(tpt_store_visit_add(s, &v, &visit, NULL, NULL), 0);
    assert_int_equal(tpt_store_visit_sign(s, visit, owner, T0, NULL), 0);
    assert_int_equal(tpt_store_amendment_add(s, visit, owner, T0, "left, not right", NULL, NULL),
                     0);
    tpt_measure m = {.patient = ann, .instrument = "nrs-leg", .answers = "{}", .score = 5};
    snprintf(m.at, sizeof m.at, T0);
    assert_int_equal(tpt_store_measure_add(s, &m, NULL, NULL), 0);
    tpt_invitation inv = {
        .role = TPT_ROLE_PATIENT, .clinic = north, .patient = ann, .created_by = owner};
    memset(inv.token_hash, 5, sizeof inv.token_hash);
    snprintf(inv.name, sizeof inv.name, "Ann");
    snprintf(inv.created, sizeof inv.created, T0);
    snprintf(inv.expires, sizeof inv.expires, "2026-11-28T10:00:00Z");
    assert_int_equal(tpt_store_invitation_add(s, &inv, NULL), 0);
    add_session(s, patient, 6);
    add_line(s, T0, owner, ann, "read the log", NULL);

    assert_int_equal(tpt_store_patient_erase(s, ann, "2026-11-21T11:00:00Z", owner, NULL), 0);
    assert_int_equal(tpt_store_patient_get(s, ann, &p, NULL), 0); /* the tombstone */
    assert_string_equal(p.erased, "2026-11-21T11:00:00Z");
    assert_string_equal(p.name, "Erased record");
    assert_int_equal(p.clinic, north);
    tpt_log_list log;
    assert_int_equal(tpt_store_log_list(s, ann, &log, NULL), 0);
    assert_int_equal(log.count, 0);
    tpt_log_list_free(&log);
    tpt_record_list records;
    assert_int_equal(tpt_store_record_list(s, ann, -1, &records, NULL), 0);
    assert_int_equal(records.count, 0);
    tpt_record_list_free(&records);
    tpt_assessment_list assessments;
    assert_int_equal(tpt_store_assessment_list(s, ann, &assessments, NULL), 0);
    assert_int_equal(assessments.count, 0);
    tpt_assessment_list_free(&assessments);
    tpt_visit_list visits;
    assert_int_equal(tpt_store_visit_list(s, ann, &visits, NULL), 0);
    assert_int_equal(visits.count, 0);
    tpt_visit_list_free(&visits);
    tpt_amendment_list amendments;
    assert_int_equal(tpt_store_amendment_list(s, visit, &amendments, NULL), 0);
    assert_int_equal(amendments.count, 0);
    tpt_amendment_list_free(&amendments);
    tpt_measure_list measures;
    assert_int_equal(tpt_store_measure_list(s, ann, &measures, NULL), 0);
    assert_int_equal(measures.count, 0);
    tpt_measure_list_free(&measures);
    tpt_invitation got;
    assert_int_equal(tpt_store_invitation_find(s, inv.token_hash, &got, NULL), 0);
    assert_string_equal(got.withdrawn, "2026-11-21T11:00:00Z");
    tpt_user u;
    assert_int_equal(tpt_store_user_by_id(s, patient, &u, NULL), 0);
    assert_string_equal(u.deleted, "2026-11-21T11:00:00Z");
    assert_false(has_session(s, 6));
    /* the audit log of the record stays */
    tpt_audit_list audit;
    tpt_audit_filter f = {.patient = ann, .limit = 10};
    assert_int_equal(tpt_store_audit_list(s, &f, &audit, NULL), 0);
    assert_int_equal(audit.count, 1);
    assert_string_equal(audit.items[0].patient_name, "Erased record");
    tpt_audit_list_free(&audit);
    tpt_audit_check check;
    assert_int_equal(tpt_store_audit_verify(s, &check, NULL), 0);
    /* nothing is added to a tombstone, it leaves every list, and is erased once */
    assert_int_equal(tpt_store_log_add(s, &e, NULL, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_patient_list(s, north, NULL, false, 50, &list, NULL), 0);
    assert_int_equal(list.count, 1);
    tpt_patient_list_free(&list);
    assert_int_equal(tpt_store_patient_erase(s, ann, T0, owner, &err), TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_patient_erase(s, 9999, T0, owner, &err), TPT_ERR_INPUT);

    /* an owner's own record erased: the account stays, without a record */
    assert_int_equal(tpt_store_patient_erase(s, mine, T0, owner, NULL), 0);
    assert_int_equal(tpt_store_user_by_id(s, owner, &u, NULL), 0);
    assert_string_equal(u.deleted, "");
    assert_int_equal(u.patient, 0);
    assert_int_equal(tpt_store_check(s, NULL), 0);
    tpt_store_close(s);
}

const struct CMUnitTest conformance_security_tests[] = {
    cmocka_unit_test(accounts_are_kept_to_their_clinic_and_can_end),
    cmocka_unit_test(invitations_and_reset_links_are_used_once),
    cmocka_unit_test(the_audit_log_is_a_chain_that_can_be_pruned),
    cmocka_unit_test(the_audit_chain_holds_under_concurrent_writers),
    cmocka_unit_test(lines_of_any_clinic_and_forgiven_sign_ins),
    cmocka_unit_test(settings_are_kept_and_removed),
    cmocka_unit_test(records_kept_private_and_erased),
};
const size_t conformance_security_count =
    sizeof conformance_security_tests / sizeof *conformance_security_tests;
