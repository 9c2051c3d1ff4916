/* What tpt patient, tpt visit and tpt measure share: which clinic a command
 * works in, a patient of that clinic, the account a note is signed as, and
 * the audit log the web application keeps, which the command line writes to
 * as well so that it holds every change to a clinic's records. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_parse_id(const char *command, const char *what, const char *text, int64_t *out)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end || v < 1)
        return cli_usage(command, "%s is a number from 1 up, not '%s'", what, text);
    *out = (int64_t)v;
    return 0;
}

/* The clinics, one a line, for a message: "1 My clinic; 2 Northside". */
static void clinic_names(const tpt_clinic_list *list, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < list->count && used < size; i++) {
        int w = snprintf(out + used, size - used, "%s%lld %s", i ? "; " : "",
                         (long long)list->items[i].id, list->items[i].name);
        if (w < 0) break;
        used += (size_t)w;
    }
}

int cli_clinic_find(tpt_store *store, const char *command, const char *given, bool make,
                    tpt_clinic *out)
{
    tpt_error err = {0};
    memset(out, 0, sizeof *out);
    if (given) {
        int64_t id;
        int code = cli_parse_id(command, "--clinic", given, &id);
        if (code) return code;
        if (tpt_store_clinic_get(store, id, out, &err) == 0) return 0;
        if (err.status != TPT_ERR_INPUT) return cli_report(&err);
        fprintf(stderr, "tpt: no clinic %lld in this database\n", (long long)id);
        return TPT_EXIT_BAD_INPUT;
    }
    tpt_clinic_list list;
    if (tpt_store_clinic_list(store, &list, &err) != 0) return cli_report(&err);
    int code = 0;
    if (list.count == 1) {
        *out = list.items[0];
    } else if (list.count > 1) {
        char names[1024];
        clinic_names(&list, names, sizeof names);
        fprintf(stderr, "tpt: this database holds %zu clinics: say which with --clinic ID (%s)\n",
                list.count, names);
        code = TPT_EXIT_BAD_INPUT;
    } else if (make) {
        /* the name the web application gives a first clinic too */
        snprintf(out->name, sizeof out->name, "My clinic");
        if (tpt_store_clinic_add(store, out->name, &out->id, &err) != 0) code = cli_report(&err);
    }
    tpt_clinic_list_free(&list);
    return code;
}

int cli_clinic_patient(tpt_store *store, int64_t clinic, int64_t id, tpt_patient *out)
{
    tpt_error err = {0};
    if (tpt_store_patient_get(store, id, out, &err) != 0 && err.status != TPT_ERR_INPUT)
        return cli_report(&err);
    /* a patient of another clinic, or the person's own record, is no patient here */
    if (err.status || clinic <= 0 || out->clinic != clinic) {
        fprintf(stderr, "tpt: no patient %lld\n", (long long)id);
        return TPT_EXIT_BAD_INPUT;
    }
    return 0;
}

int cli_open_patient(const char *db, const char *command, const char *clinic_given,
                     const char *patient_text, tpt_store **store, tpt_patient *patient)
{
    int64_t id;
    tpt_clinic clinic;
    int code = cli_parse_id(command, "PATIENT", patient_text, &id);
    if (code || (code = cli_open_store(db, store, NULL))) return code;
    code = cli_clinic_find(*store, command, clinic_given, false, &clinic);
    if (!code) code = cli_clinic_patient(*store, clinic.id, id, patient);
    /* whoever opens a clinic's record on the server is in its audit log */
    if (!code) code = cli_audit(*store, 0, "opened the record", patient->id);
    if (code) {
        tpt_store_close(*store);
        *store = NULL;
    }
    return code;
}

int cli_account(tpt_store *store, const char *email, int64_t clinic, tpt_user *out)
{
    tpt_error err = {0};
    if (tpt_store_user_by_email(store, email, out, &err) != 0) {
        if (err.status != TPT_ERR_INPUT) return cli_report(&err);
        fprintf(stderr,
                "tpt: no account '%s' in this database (accounts are made in the web "
                "application: tpt serve)\n",
                email);
        return TPT_EXIT_BAD_INPUT;
    }
    if (out->role == TPT_ROLE_PATIENT) {
        fprintf(stderr,
                "tpt: %s is a patient's account: the clinic's practitioners and admins write "
                "and sign notes\n",
                out->email);
        return TPT_EXIT_BAD_INPUT;
    }
    if (out->clinic != clinic) {
        fprintf(stderr, "tpt: %s works in another clinic than this patient's\n", out->email);
        return TPT_EXIT_BAD_INPUT;
    }
    return 0;
}

void cli_account_text(tpt_store *store, int64_t user, char *out, size_t size)
{
    tpt_user u;
    if (user <= 0)
        snprintf(out, size, "no account");
    else if (tpt_store_user_by_id(store, user, &u, NULL) == 0)
        snprintf(out, size, "%s <%s>", u.name, u.email);
    else
        snprintf(out, size, "account %lld", (long long)user);
}

int cli_audit(tpt_store *store, int64_t user, const char *action, int64_t patient)
{
    char what[TPT_ACTION_MAX + 1];
    tpt_audit_line line = {.user = user, .patient = patient, .action = what};
    tpt_error err = {0};
    cli_now(line.at);
    snprintf(what, sizeof what, "%s (command line)", action);
    return tpt_store_audit_add(store, &line, &err) ? cli_report(&err) : 0;
}

int cli_change_begin(tpt_store *store)
{
    tpt_error err = {0};
    return tpt_store_begin(store, &err) ? cli_report(&err) : 0;
}

int cli_change_end(tpt_store *store, int code, int64_t user, const char *action, int64_t patient)
{
    tpt_error err = {0};
    if (!code) code = cli_audit(store, user, action, patient);
    if (!code && tpt_store_commit(store, &err) != 0) code = cli_report(&err);
    if (code) tpt_store_rollback(store);
    return code;
}
