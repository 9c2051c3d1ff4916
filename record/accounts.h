/* What both programs do to accounts beyond storing them: issue a password
 * reset link, and keep every clinic with an admin who can sign in. The
 * server's admins do it through the web application (POST
 * /users/ID/reset...), the installation's operator on the command line
 * (tpt account, tpt operator). */
#ifndef TPT_RECORD_ACCOUNTS_H
#define TPT_RECORD_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/* How long a password reset link stays valid. */
#define TPT_RESET_HOURS 24

/* A new password reset link for the account `user`, issued by `by` (0: the
 * command line) at `now` (seconds since 1970): the token to hand out (64
 * hex digits) and when it expires; only the token's hash is stored. A
 * disabled or deleted account gets none (TPT_ERR_CONFLICT). */
int tpt_reset_issue(tpt_store *store, const tpt_user *user, int64_t by, int64_t now, char token[65],
                    char expires[TPT_TIME_MAX], tpt_error *err);
/* 0 when `user` may stop being an admin who can sign in (disabled,
 * deleted, made a practitioner): they are not one, or their clinic keeps
 * another; else TPT_ERR_CONFLICT saying so. */
int tpt_account_not_last_admin(tpt_store *store, const tpt_user *user, tpt_error *err);

#endif
