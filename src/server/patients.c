/* A clinic's patients (GET and POST /api/v1/patients): the list, searched
 * and with the archived ones apart, each with the most serious warning
 * standing in the record; and a new patient. For admins and practitioners,
 * in their own clinic. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "handlers.h"
#include "record/flags.h"

#define PATIENTS_MAX 200 /* patients in one answer of the list */

/* The most serious warning standing in a patient's record, for the list to
 * show at a glance: its level, or null. */
static json_t *standing_flag(tpt_store *store, int64_t patient)
{
    tpt_flags flags;
    if (tpt_flags_read(store, patient, NULL, &flags, NULL) != 0) return json_null();
    json_t *level = flags.count ? json_string(tpt_level_name(flags.level)) : json_null();
    tpt_flags_free(&flags);
    return level;
}

void srv_patients_list(srv_ctx *c)
{
    srv_response *res = c->res;
    if (srv_sign_in_as(c, false, SRV_STAFF) != 0) return;
    tpt_store *store = c->store;
    const char *q = srv_request_arg(c->req, "q");
    if (q && strlen(q) > 200) {
        srv_reply_error(res, 400, "invalid-field", "q", "a search has at most 200 characters");
        return;
    }
    /* ?archived=true lists the archived records instead, to find one again */
    const char *archived = srv_request_arg(c->req, "archived");
    if (archived && strcmp(archived, "true") != 0 && strcmp(archived, "false") != 0) {
        srv_reply_error(res, 400, "invalid-field", "archived", "archived is true or false");
        return;
    }
    bool only_archived = archived && strcmp(archived, "true") == 0;
    tpt_patient_list list;
    tpt_error err = {0};
    if (tpt_store_patient_list(store, c->caller.user.clinic, q, only_archived, PATIENTS_MAX, &list,
                               &err) != 0) {
        srv_reply_failed(res, &err, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(
            items,
            json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)list.items[i].id, "name",
                      list.items[i].name, "flag", standing_flag(store, list.items[i].id),
                      "archived",
                      *list.items[i].archived ? json_string(list.items[i].archived) : json_null()));
    tpt_patient_list_free(&list);
    srv_audit(c, c->caller.user.id,
              only_archived
                  ? (q && *q ? "searched the archived patients" : "listed the archived patients")
              : q && *q ? "searched the patients"
                        : "listed the patients",
              0);
    res->body = json_pack("{s:o}", "patients", items);
}

void srv_patients_add(srv_ctx *c)
{
    json_t *body = c->body;
    srv_response *res = c->res;
    const char *name;
    if (srv_sign_in_as(c, true, SRV_STAFF) != 0 || !(name = srv_string_field(body, "name", res)))
        return;
    tpt_store *store = c->store;
    int64_t id;
    tpt_error err = {0};
    if (tpt_store_patient_add(store, name, c->caller.user.clinic, &id, &err) != 0) {
        srv_reply_failed(res, &err, NULL);
        return;
    }
    srv_audit(c, c->caller.user.id, "added the patient", id);
    res->status = 201;
    res->body = json_pack("{s:{s:I, s:s}}", "patient", "id", (json_int_t)id, "name", name);
}
