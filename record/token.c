/* One-time tokens (token.h), with libsodium's random bytes and BLAKE2b. */
#include <sodium.h>
#include <string.h>

#include "record/token.h"

#define TOKEN_BYTES 32

void tpt_token_new(char hex[65], uint8_t hash[TPT_TOKEN_HASH_SIZE])
{
    uint8_t token[TOKEN_BYTES];
    randombytes_buf(token, sizeof token);
    sodium_bin2hex(hex, 2 * TOKEN_BYTES + 1, token, sizeof token);
    crypto_generichash(hash, TPT_TOKEN_HASH_SIZE, token, sizeof token, NULL, 0);
    sodium_memzero(token, sizeof token);
}

int tpt_token_hash(const char *hex, uint8_t hash[TPT_TOKEN_HASH_SIZE])
{
    uint8_t raw[TOKEN_BYTES];
    size_t len;
    if (!hex || strlen(hex) != 2 * TOKEN_BYTES ||
        sodium_hex2bin(raw, sizeof raw, hex, 2 * TOKEN_BYTES, NULL, &len, NULL) != 0 ||
        len != TOKEN_BYTES)
        return -1;
    crypto_generichash(hash, TPT_TOKEN_HASH_SIZE, raw, sizeof raw, NULL, 0);
    return 0;
}
