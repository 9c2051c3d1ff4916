/* The cryptography of accounts (libsodium): passwords as Argon2id hashes,
 * constant-time comparisons; the tokens of sessions and one-time links are
 * record/token.h's, which the command line makes too. */
#ifndef TPT_SERVER_AUTH_H
#define TPT_SERVER_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "record/token.h"
#include "reply.h"
#include "tpt/account.h"

/* n random bytes as 2n lower-case hex digits and a NUL. */
void srv_random_hex(size_t n, char *out);
/* Checks a new password's length and hashes it (Argon2id); 0, or an error in res. */
int srv_password_hash(const char *password, const char *field, char hash[TPT_HASH_MAX + 1],
                      srv_response *res);
/* Whether password is the one of the hash (constant time). */
int srv_password_matches(const char *hash, const char *password);
/* About the time a password check takes, for an email without an account:
 * 0, or -1 when the hash could not be made. */
int srv_password_decoy(const char *password);
/* Whether two texts are the same, in a time that does not tell where they differ. */
int srv_same_secret(const char *a, const char *b);
/* The keys failed sign-ins are counted under: one for the client's address
 * and the email (in lower case), one for the address alone. Hashes, so that
 * the table holds no email, known or guessed, and no address. */
void srv_sign_in_key(const char *address, const char *email, char out[65]);
void srv_address_key(const char *address, char out[65]);

#endif
