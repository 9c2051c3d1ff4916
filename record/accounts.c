/* Reset links and the last admin of a clinic (accounts.h). */
#include <string.h>

#include "record/accounts.h"
#include "record/token.h"
#include "tpt/time.h"

int tpt_reset_issue(tpt_store *store, const tpt_user *user, int64_t by, int64_t now, char token[65],
                    char expires[TPT_TIME_MAX], tpt_error *err)
{
    if (*user->disabled || *user->deleted)
        return tpt_error_set(err, TPT_ERR_CONFLICT,
                             "the account of %s is %s: it gets no reset link", user->email,
                             *user->deleted ? "deleted" : "disabled (enable it first)");
    tpt_password_reset r = {.user = user->id, .created_by = by};
    tpt_token_new(token, r.token_hash);
    tpt_time_format(now, r.created);
    tpt_time_format(now + TPT_RESET_HOURS * 3600, r.expires);
    memcpy(expires, r.expires, TPT_TIME_MAX);
    return tpt_store_reset_add(store, &r, err);
}

int tpt_account_not_last_admin(tpt_store *store, const tpt_user *user, tpt_error *err)
{
    int64_t admins = 0;
    if (user->role != TPT_ROLE_ADMIN || *user->disabled || *user->deleted) return 0;
    int rc = tpt_store_admin_count(store, user->clinic, &admins, err);
    if (rc) return rc;
    if (admins > 1) return 0;
    return tpt_error_set(err, TPT_ERR_CONFLICT,
                         "%s is the last admin of the clinic who can sign in: make another "
                         "account an admin first",
                         user->email);
}
