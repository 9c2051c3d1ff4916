/* The lists of a record and of the accounts: freeing them, and the names of
 * record kinds and roles as the store and the API write them. */
#include <stdlib.h>
#include <string.h>

#include "tpt/account.h"
#include "tpt/error.h"
#include "tpt/record.h"

static const char *const kind_names[TPT_RECORD_KIND_COUNT] = {"screen", "drawing", "plan",
                                                              "session"};
static const char *const role_names[] = {"admin", "practitioner", "patient", "operator"};

const char *tpt_record_kind_name(tpt_record_kind kind)
{
    return (unsigned)kind < TPT_RECORD_KIND_COUNT ? kind_names[kind] : "?";
}

int tpt_record_kind_parse(const char *name, tpt_record_kind *out)
{
    for (int k = 0; name && k < TPT_RECORD_KIND_COUNT; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (tpt_record_kind)k;
            return 0;
        }
    }
    return TPT_ERR_INPUT;
}

const char *tpt_role_name(tpt_role role)
{
    return (unsigned)role <= TPT_ROLE_OPERATOR ? role_names[role] : "?";
}

int tpt_role_parse(const char *name, tpt_role *out)
{
    for (int r = 0; name && r <= TPT_ROLE_OPERATOR; r++) {
        if (strcmp(name, role_names[r]) == 0) {
            *out = (tpt_role)r;
            return 0;
        }
    }
    return TPT_ERR_INPUT;
}

/* Every list is {count, items}; the strings of an item are freed before. */
#define FREE_LIST(list)                                                                            \
    do {                                                                                           \
        free((list)->items);                                                                       \
        (list)->items = NULL;                                                                      \
        (list)->count = 0;                                                                         \
    } while (0)

void tpt_invitation_list_free(tpt_invitation_list *list)
{
    if (list) FREE_LIST(list);
}

void tpt_patient_list_free(tpt_patient_list *list)
{
    if (list) FREE_LIST(list);
}

void tpt_log_list_free(tpt_log_list *list)
{
    for (size_t i = 0; list && i < list->count; i++) {
        free(list->items[i].medication);
        free(list->items[i].note);
    }
    if (list) FREE_LIST(list);
}

void tpt_record_list_free(tpt_record_list *list)
{
    for (size_t i = 0; list && i < list->count; i++) {
        free(list->items[i].summary);
        free(list->items[i].input);
        free(list->items[i].json);
    }
    if (list) FREE_LIST(list);
}

void tpt_visit_list_free(tpt_visit_list *list)
{
    for (size_t i = 0; list && i < list->count; i++) {
        free(list->items[i].note);
        free(list->items[i].result);
    }
    if (list) FREE_LIST(list);
}

void tpt_amendment_list_free(tpt_amendment_list *list)
{
    for (size_t i = 0; list && i < list->count; i++)
        free(list->items[i].text);
    if (list) FREE_LIST(list);
}

void tpt_assessment_list_free(tpt_assessment_list *list)
{
    for (size_t i = 0; list && i < list->count; i++)
        free(list->items[i].finding);
    if (list) FREE_LIST(list);
}

void tpt_measure_list_free(tpt_measure_list *list)
{
    for (size_t i = 0; list && i < list->count; i++) {
        free(list->items[i].answers);
        free(list->items[i].names);
    }
    if (list) FREE_LIST(list);
}

void tpt_instrument_text_list_free(tpt_instrument_text_list *list)
{
    for (size_t i = 0; list && i < list->count; i++)
        free(list->items[i].text);
    if (list) FREE_LIST(list);
}

void tpt_clinic_list_free(tpt_clinic_list *list)
{
    if (list) FREE_LIST(list);
}

void tpt_user_list_free(tpt_user_list *list)
{
    if (list) FREE_LIST(list);
}

void tpt_audit_list_free(tpt_audit_list *list)
{
    if (list) FREE_LIST(list);
}
