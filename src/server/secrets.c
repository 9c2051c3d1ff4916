/* The secrets of tpt serve (secrets.h). A clinic's own mail relay may name
 * a user and password (smtp://user:password@host:587) in the clinic's
 * settings, which the database keeps; so that a dump, a backup or a
 * read-only database account does not show the password, it is stored
 * sealed: XChaCha20-Poly1305 (libsodium) under a key kept outside the
 * database, with a random nonce per value and the clinic's id as associated
 * data, so a sealed value moved to another clinic's row does not open.
 *
 * Stored form: the password of the URL replaced by "enc1:" and the nonce and
 * ciphertext in URL-safe base64, so the relay's user and host stay readable
 * (and the settings show them without the key): smtp://desk:enc1:AbC...@host.
 * A password kept before sealing existed is plain text without the prefix;
 * it is read as it is and sealed when it is next saved (or at start). */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secrets.h"
#include "tpt/calendar.h"

#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define PREFIX_LEN (sizeof SRV_SEALED_PREFIX - 1)
#define KEY_HEX (2 * SRV_SECRET_KEY_BYTES)
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

int srv_refuse(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- files that hold a secret ---- */

/* The secret of the file's bytes: its one line, without the line's end. */
static int secret_line(const char *option, const char *what, const char *path, char *buf,
                       size_t len, size_t max, char **out, char *why, size_t size)
{
    if (len && buf[len - 1] == '\n') len--; /* the line's end an editor adds */
    if (len && buf[len - 1] == '\r') len--;
    if (len > max)
        return srv_refuse(why, size, "%s: %s holds more than %zu bytes", option, path, max);
    if (!len) return srv_refuse(why, size, "%s: %s is empty: it must hold %s", option, path, what);
    if (memchr(buf, '\n', len) || memchr(buf, '\r', len) || memchr(buf, '\0', len))
        return srv_refuse(why, size, "%s: %s holds more than one line: it must hold %s alone",
                          option, path, what);
    if (!(*out = strndup(buf, len))) return srv_refuse(why, size, "out of memory");
    return 0;
}

int srv_secret_file_read(const char *option, const char *what, const char *path, size_t max,
                         char **out, char *why, size_t size)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return srv_refuse(why, size, "%s: cannot open %s: %s", option, path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return srv_refuse(why, size, "%s: %s is not a file", option, path);
    }
    /* as ssh judges a private key: only its owner may read or change it */
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        close(fd);
        return srv_refuse(why, size,
                          "%s: %s is open to other users of this machine (mode %04o); make it its "
                          "owner's alone: chmod 600 %s",
                          option, path, (unsigned)(st.st_mode & 07777), path);
    }
    size_t room = max + 2, len = 0; /* the line's end, and one byte to tell a longer file */
    char *buf = malloc(room);
    if (!buf) {
        close(fd);
        return srv_refuse(why, size, "out of memory");
    }
    ssize_t n;
    while (len < room && (n = read(fd, buf + len, room - len)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            free(buf);
            return srv_refuse(why, size, "%s: cannot read %s: %s", option, path, strerror(e));
        }
        len += (size_t)n;
    }
    close(fd);
    int rc = secret_line(option, what, path, buf, len, max, out, why, size);
    sodium_memzero(buf, room);
    free(buf);
    return rc;
}

/* ---- the secret key ---- */

static int key_of_hex(const char *hex, srv_secret_key *key)
{
    size_t n = 0;
    const char *end;
    if (strlen(hex) != KEY_HEX ||
        sodium_hex2bin(key->bytes, sizeof key->bytes, hex, KEY_HEX, NULL, &n, &end) != 0)
        return -1;
    return n == sizeof key->bytes && !*end ? 0 : -1;
}

int srv_secret_key_read(const char *option, const char *path, srv_secret_key *key, char *why,
                        size_t size)
{
    char *hex;
    if (srv_secret_file_read(option, "the secret key", path, KEY_HEX, &hex, why, size) != 0)
        return -1;
    int rc = key_of_hex(hex, key);
    sodium_memzero(hex, strlen(hex));
    free(hex);
    if (rc)
        return srv_refuse(why, size,
                          "%s: %s does not hold a secret key: 64 hexadecimal digits, such as "
                          "(umask 077; openssl rand -hex 32 > %s) makes",
                          option, path, path);
    return 0;
}

/* Makes a new key at path, whole or not at all: written beside it first and
 * linked in, so that a second server starting at once on the same database
 * reads the one key, never half of it. 0 made; 1 one is there already;
 * -1 with why. */
static int key_file_make(const char *path, srv_secret_key *key, char *why, size_t size)
{
    char tmp[4096], hex[KEY_HEX + 2];
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
        return srv_refuse(why, size, "the secret key's path is too long: %s", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return srv_refuse(why, size, "cannot make the secret key %s: %s", path, strerror(errno));
    randombytes_buf(key->bytes, sizeof key->bytes);
    sodium_bin2hex(hex, sizeof hex, key->bytes, sizeof key->bytes);
    hex[KEY_HEX] = '\n';
    int rc = fchmod(fd, 0600) == 0 && write(fd, hex, KEY_HEX + 1) == KEY_HEX + 1 && fsync(fd) == 0
                 ? 0
                 : -1;
    int e = errno;
    sodium_memzero(hex, sizeof hex);
    close(fd);
    if (rc == 0 && link(tmp, path) != 0) {
        e = errno;
        rc = e == EEXIST ? 1 : -1;
    }
    unlink(tmp);
    if (rc < 0)
        return srv_refuse(why, size, "cannot make the secret key %s: %s", path, strerror(e));
    return rc;
}

int srv_secret_key_setup(const char *key_file, const char *db, srv_secret_key *key, bool *have,
                         char *why, size_t size)
{
    *have = false;
    if (key_file) {
        if (srv_secret_key_read("--secret-key-file", key_file, key, why, size) != 0) return -1;
        *have = true;
        return 0;
    }
    const char *env = getenv("TPT_SECRET_KEY");
    if (env && *env) {
        if (key_of_hex(env, key) != 0)
            return srv_refuse(why, size,
                              "TPT_SECRET_KEY does not hold a secret key: 64 hexadecimal digits, "
                              "such as openssl rand -hex 32 makes");
        *have = true;
        return 0;
    }
    if (!db) {
        fprintf(stderr, "tpt serve: no secret key (--secret-key-file FILE or TPT_SECRET_KEY): a "
                        "clinic's own mail relay cannot keep a password on this server. Give every "
                        "instance the same key (docs/deploy.md).\n");
        return 0;
    }
    char path[4096];
    if (snprintf(path, sizeof path, "%s.key", db) >= (int)sizeof path)
        return srv_refuse(why, size, "the database's path is too long for a key beside it: %s", db);
    /* made only when there is none: a folder that is not writable is fine
     * once the key is there */
    int made = access(path, F_OK) == 0 ? 1 : key_file_make(path, key, why, size);
    if (made < 0) return -1;
    if (made == 0)
        fprintf(stderr,
                "tpt serve: made the secret key %s (mode 600): it keeps the clinics' mail relay "
                "passwords encrypted in the database. Keep a copy of it apart from the "
                "database's backups: without it those passwords must be entered again "
                "(docs/security.md).\n",
                path);
    else if (srv_secret_key_read("the secret key", path, key, why, size) != 0)
        return -1;
    *have = true;
    return 0;
}

/* ---- a clinic relay's password, sealed ---- */

/* The associated data of a clinic's sealed password: what it belongs to. */
static void bound_to(int64_t clinic, char out[64])
{
    snprintf(out, 64, "tpt relay password, clinic %lld", (long long)clinic);
}

/* Opens the sealed text (after the prefix) of len bytes into plain, which
 * has room for len bytes: 0 with *plain_len, or -1. */
static int open_sealed(const srv_secret_key *key, int64_t clinic, const char *text, size_t len,
                       unsigned char *plain, size_t *plain_len)
{
    unsigned char sealed[TPT_SMTP_URL_MAX];
    size_t n;
    char ad[64];
    if (!key || sodium_base642bin(sealed, sizeof sealed, text, len, NULL, &n, NULL, B64) != 0 ||
        n < NONCE_BYTES + TAG_BYTES)
        return -1;
    bound_to(clinic, ad);
    unsigned long long out_len;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &out_len, NULL, sealed + NONCE_BYTES,
                                                        n - NONCE_BYTES, (const unsigned char *)ad,
                                                        strlen(ad), sealed, key->bytes);
    *plain_len = (size_t)out_len;
    return rc == 0 ? 0 : -1;
}

static bool is_sealed(const char *password, size_t len)
{
    return len >= PREFIX_LEN && memcmp(password, SRV_SEALED_PREFIX, PREFIX_LEN) == 0;
}

srv_relay_password srv_relay_password_state(const srv_secret_key *key, int64_t clinic,
                                            const char *url)
{
    size_t len, plain_len;
    const char *password = tpt_relay_password(url, &len);
    if (!password) return SRV_RELAY_NONE;
    if (!is_sealed(password, len)) return SRV_RELAY_PLAIN;
    unsigned char plain[TPT_SMTP_URL_MAX];
    int rc = open_sealed(key, clinic, password + PREFIX_LEN, len - PREFIX_LEN, plain, &plain_len);
    sodium_memzero(plain, sizeof plain);
    return rc == 0 ? SRV_RELAY_SEALED : SRV_RELAY_UNREADABLE;
}

int srv_relay_seal(const srv_secret_key *key, int64_t clinic, const char *url, char *out,
                   size_t size, char *why, size_t why_size)
{
    size_t len;
    const char *password = tpt_relay_password(url, &len);
    if (!password || is_sealed(password, len)) {
        if (snprintf(out, size, "%s", url) >= (int)size)
            return srv_refuse(why, why_size, "the relay's address is too long");
        return 0;
    }
    if (!key)
        return srv_refuse(why, why_size,
                          "this server has no secret key to keep a relay's password with: its "
                          "operator gives tpt serve --secret-key-file (docs/security.md); a relay "
                          "without a password can be set");
    size_t head = (size_t)(password - url), tail = strlen(password + len);
    size_t sealed_len = NONCE_BYTES + len + TAG_BYTES;
    size_t text_len = sodium_base64_ENCODED_LEN(sealed_len, B64) - 1;
    unsigned char sealed[TPT_SMTP_URL_MAX];
    if (sealed_len > sizeof sealed || head + PREFIX_LEN + text_len + tail >= size)
        return srv_refuse(why, why_size,
                          "the relay's password is too long to keep encrypted: the address may "
                          "hold about %zu characters of password",
                          (size - head - tail - PREFIX_LEN - 1) * 3 / 4 - NONCE_BYTES - TAG_BYTES);
    char ad[64];
    bound_to(clinic, ad);
    randombytes_buf(sealed, NONCE_BYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        sealed + NONCE_BYTES, NULL, (const unsigned char *)password, len, (const unsigned char *)ad,
        strlen(ad), NULL, sealed, key->bytes);
    memcpy(out, url, head);
    memcpy(out + head, SRV_SEALED_PREFIX, PREFIX_LEN);
    sodium_bin2base64(out + head + PREFIX_LEN, size - head - PREFIX_LEN, sealed, sealed_len, B64);
    memcpy(out + head + PREFIX_LEN + text_len, password + len, tail + 1);
    return 0;
}

int srv_relay_open(const srv_secret_key *key, int64_t clinic, const char *url, char *out,
                   size_t size, char *why, size_t why_size)
{
    size_t len, plain_len;
    const char *password = tpt_relay_password(url, &len);
    if (!password || !is_sealed(password, len)) {
        if (snprintf(out, size, "%s", url) >= (int)size)
            return srv_refuse(why, why_size, "the relay's address is too long");
        return 0;
    }
    unsigned char plain[TPT_SMTP_URL_MAX];
    size_t head = (size_t)(password - url), tail = strlen(password + len);
    int rc = -1;
    if (!key)
        srv_refuse(why, why_size,
                   "its password was kept encrypted, and this server has no secret key "
                   "(--secret-key-file)");
    else if (open_sealed(key, clinic, password + PREFIX_LEN, len - PREFIX_LEN, plain, &plain_len) !=
             0)
        srv_refuse(why, why_size,
                   "its password does not open with this server's secret key: it was kept with "
                   "another key, or the stored value is damaged");
    else if (head + plain_len + tail >= size)
        srv_refuse(why, why_size, "the relay's address is too long");
    else {
        memcpy(out, url, head);
        memcpy(out + head, plain, plain_len);
        memcpy(out + head + plain_len, password + len, tail + 1);
        rc = 0;
    }
    sodium_memzero(plain, sizeof plain);
    return rc;
}
