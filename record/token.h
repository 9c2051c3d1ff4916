/* One-time tokens: the secret of a session, an invitation or a password
 * reset link. A token is 32 random bytes, written as 64 hex digits where it
 * is handed out; the store keeps only its BLAKE2b hash, so that a copy of
 * the database opens no account. Both programs make them (tpt operator add
 * and tpt account reset print a reset link). */
#ifndef TPT_RECORD_TOKEN_H
#define TPT_RECORD_TOKEN_H

#include <stdint.h>

#include "tpt/account.h"

/* A new random token as 64 hex digits, and the hash it is kept as. */
void tpt_token_new(char hex[65], uint8_t hash[TPT_TOKEN_HASH_SIZE]);
/* A token as 64 hex digits to the hash it is kept as: 0, or -1 when it is
 * not 64 hex digits. */
int tpt_token_hash(const char *hex, uint8_t hash[TPT_TOKEN_HASH_SIZE]);

#endif
