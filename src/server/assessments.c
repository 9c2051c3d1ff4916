/* A clinician's assessment of a red flag (/patients/ID/assessments). GET
 * lists the record's assessments: who, when, which flag, what was found.
 * POST {"flag", "finding"} records that a clinician assessed the concern
 * behind a flag standing in the record, which lifts it (record/flags.h).
 *
 * Who may: a clinic's admin or practitioner, on a record of their clinic
 * that is not their own. A patient reads the assessments of their own
 * record but records none: a patient never lifts a clinician's hold, and
 * nobody assesses their own red flags. */
#include <string.h>

#include "fields.h"
#include "handlers.h"
#include "record/views.h"

static void list(srv_ctx *c)
{
    tpt_assessment_list all;
    tpt_error err = {0};
    if (tpt_store_assessment_list(c->store, c->patient, &all, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < all.count; i++)
        json_array_append_new(items, tpt_assessment_json(c->store, &all.items[i]));
    tpt_assessment_list_free(&all);
    srv_record_audit(c, "read the assessments of warnings");
    c->res->body = json_pack("{s:o}", "assessments", items);
}

static void add(srv_ctx *c)
{
    if (!srv_as_clinician(c)) {
        srv_reply_error(c->res, 403, "forbidden", NULL,
                        c->caller.user.role == TPT_ROLE_PATIENT
                            ? "a patient account cannot lift a warning: a clinician of the "
                              "clinic records that they assessed it"
                            : "nobody assesses the warnings of their own record: a colleague "
                              "of the clinic records it");
        return;
    }
    const char *flag = srv_string_field(c->body, "flag", c->res), *finding;
    if (!flag || !(finding = srv_string_field(c->body, "finding", c->res))) return;
    if (strlen(finding) > TPT_TEXT_MAX) {
        srv_reply_error(c->res, 400, "invalid-field", "finding",
                        "what was found is at most %d bytes", TPT_TEXT_MAX);
        return;
    }
    tpt_flags flags;
    if (srv_flags(c, &flags) != 0) return;
    const tpt_flag *standing = tpt_flags_find(&flags, flag);
    if (!standing) {
        srv_reply_error(c->res, 409, "not-standing", "flag",
                        "no warning \"%.80s\" stands in this record (GET /patients/%lld lists "
                        "those that do)",
                        flag, (long long)c->patient);
        tpt_flags_free(&flags);
        return;
    }
    tpt_assessment a = {.patient = c->patient,
                        .author = c->caller.user.id,
                        .record = standing->record,
                        .finding = (char *)finding};
    snprintf(a.flag, sizeof a.flag, "%s", standing->id);
    tpt_flags_free(&flags);
    srv_now(c, a.at);
    tpt_error err = {0};
    if (tpt_store_assessment_add(c->store, &a, &a.id, &err) != 0) {
        srv_reply_failed(c->res, &err, "finding");
        return;
    }
    srv_record_audit(c, "recorded a clinician's assessment of a warning");
    /* the flags now, so the page shows what still stands */
    if (srv_flags(c, &flags) != 0) return;
    c->res->status = 201;
    c->res->body =
        json_pack("{s:o, s:{s:i, s:o, s:b}}", "assessment", tpt_assessment_json(c->store, &a),
                  "flags", "count", (int)flags.count, "standing", tpt_flags_json(c->store, &flags),
                  "self_care", !tpt_flags_stop(&flags));
    tpt_flags_free(&flags);
}

void srv_record_assessments(srv_ctx *c)
{
    const char *m = c->req->method;
    if (*c->rest)
        srv_reply_error(c->res, 404, "not-found", NULL, "no such endpoint: %s", c->req->path);
    else if (strcmp(m, "GET") == 0)
        list(c);
    else if (strcmp(m, "POST") == 0)
        add(c);
    else
        srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes GET or POST",
                        c->req->path);
}
