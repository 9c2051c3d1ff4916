/* The secrets tpt serve is given, and the one it keeps in the database
 * (secrets.c): files that hold a secret, the secret key, and a clinic
 * relay's password sealed with that key before it is stored. */
#ifndef TPT_SERVER_SECRETS_H
#define TPT_SERVER_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SRV_SECRET_KEY_BYTES 32 /* crypto_aead_xchacha20poly1305_ietf_KEYBYTES */
/* What a stored relay password starts with once sealed: the format's version. */
#define SRV_SEALED_PREFIX "enc1:"

typedef struct srv_secret_key {
    unsigned char bytes[SRV_SECRET_KEY_BYTES];
} srv_secret_key;

/* Writes what is refused, for the operator, into why: -1, so that a check
 * ends with `return srv_refuse(why, size, ...)`. */
int srv_refuse(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Reads the secret in path: the file's one line without its end, at most
 * max bytes, from a regular file only its owner may read or change. `option`
 * names where the path came from and `what` what it holds, for the
 * refusals. 0 with *out malloc'd (the caller wipes and frees it), or -1 with
 * what is wrong in why. */
int srv_secret_file_read(const char *option, const char *what, const char *path, size_t max,
                         char **out, char *why, size_t size);

/* Reads the secret key in path (64 hexadecimal digits, the file its owner's
 * alone), `option` naming where the path came from: 0, or -1 with why. */
int srv_secret_key_read(const char *option, const char *path, srv_secret_key *key, char *why,
                        size_t size);

/* Finds the secret key: in key_file (--secret-key-file) when given, else in
 * $TPT_SECRET_KEY, else, for a SQLite file db, in DB.key beside it, made
 * (mode 600, said on stderr) when there is none. A key is 64 hexadecimal
 * digits. 0 with *have set (false for a PostgreSQL db given no key, said on
 * stderr); -1 with what is wrong in why. */
int srv_secret_key_setup(const char *key_file, const char *db, srv_secret_key *key, bool *have,
                         char *why, size_t size);

/* What a stored relay address holds for a password. */
typedef enum srv_relay_password {
    SRV_RELAY_NONE,      /* no password, or no relay */
    SRV_RELAY_PLAIN,     /* in plain text, as kept before sealing */
    SRV_RELAY_SEALED,    /* sealed, and opens with the key */
    SRV_RELAY_UNREADABLE /* sealed, and does not open: no key, another key, damaged */
} srv_relay_password;

/* What clinic's stored relay address url holds; key NULL for none. */
srv_relay_password srv_relay_password_state(const srv_secret_key *key, int64_t clinic,
                                            const char *url);

/* url as it is stored: a plain password sealed with key (with a nonce of
 * its own, bound to the clinic), a sealed one or none kept as it is. 0 with
 * out written; -1 with why (no key, or no room in size). */
int srv_relay_seal(const srv_secret_key *key, int64_t clinic, const char *url, char *out,
                   size_t size, char *why, size_t why_size);

/* The stored url as the relay is reached: a sealed password opened, a plain
 * one or none as it is. 0 with out written (it may hold a password: the
 * caller wipes it); -1 with why, which never holds the secret. */
int srv_relay_open(const srv_secret_key *key, int64_t clinic, const char *url, char *out,
                   size_t size, char *why, size_t why_size);

#endif
