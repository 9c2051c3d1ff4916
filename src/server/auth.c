/* The cryptography of accounts (auth.h): Argon2id password hashes,
 * constant-time comparisons; tokens are record/token.h's. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"

#define PASSWORD_MIN 10
#define PASSWORD_MAX 256

static void hex(const uint8_t *bytes, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, bytes, n);
}

void srv_random_hex(size_t n, char *out)
{
    uint8_t bytes[64];
    randombytes_buf(bytes, n);
    hex(bytes, n, out);
}

int srv_password_hash(const char *pw, const char *field, char out[TPT_HASH_MAX + 1],
                      srv_response *res)
{
    size_t n = strlen(pw), chars = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++)
        chars += (*p & 0xC0) != 0x80; /* UTF-8: count the characters, not their bytes */
    if (chars < PASSWORD_MIN || chars > PASSWORD_MAX) {
        srv_reply_error(res, 400, "weak-password", field, "a password has %d to %d characters",
                        PASSWORD_MIN, PASSWORD_MAX);
        return -1;
    }
    char h[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(h, pw, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 ||
        strlen(h) > TPT_HASH_MAX) {
        srv_reply_error(res, 500, "internal", NULL, "cannot hash the password");
        return -1;
    }
    snprintf(out, TPT_HASH_MAX + 1, "%s", h);
    return 0;
}

int srv_password_matches(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int srv_password_decoy(const char *password)
{
    char dummy[crypto_pwhash_STRBYTES];
    return crypto_pwhash_str(dummy, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? 0
               : -1;
}

int srv_same_secret(const char *a, const char *b)
{
    size_t n = strlen(b);
    return strlen(a) == n && sodium_memcmp(a, b, n) == 0;
}

/* The hex BLAKE2b hash of "what", the address, and the email in lower case. */
static void failure_key(const char *what, const char *address, const char *email, char out[65])
{
    unsigned char hash[crypto_generichash_BYTES];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof hash);
    crypto_generichash_update(&st, (const unsigned char *)what, strlen(what) + 1);
    crypto_generichash_update(&st, (const unsigned char *)address, strlen(address) + 1);
    for (const char *c = email; *c; c++) {
        unsigned char lower = (unsigned char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        crypto_generichash_update(&st, &lower, 1);
    }
    crypto_generichash_final(&st, hash, sizeof hash);
    hex(hash, sizeof hash, out);
}

void srv_sign_in_key(const char *address, const char *email, char out[65])
{
    failure_key("tpt sign-in", address, email, out);
}

void srv_address_key(const char *address, char out[65])
{
    failure_key("tpt sign-in address", address, "", out);
}
