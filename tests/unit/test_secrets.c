/* The secrets of tpt serve (src/server/secrets.c): a clinic relay's
 * password sealed and opened again, refused under another key, for another
 * clinic, when tampered with or without a key; a password kept in plain
 * text before read as it is; the secret key found in a file, the
 * environment or made beside a SQLite database, and bad keys refused. */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sodium.h>

#include "../src/server/secrets.h"
#include "tempdir.h"
#include "tpt/calendar.h"

#define RELAY "smtps://desk:s3cret%3A%2F%40 of the relay@relay.example:465"
#define URL_ROOM (TPT_SMTP_URL_MAX + 1)

static srv_secret_key key_one, key_two;

static int setup(void **state)
{
    (void)state;
    if (sodium_init() < 0 || tempdir_make("secrets") != 0) return -1;
    randombytes_buf(key_one.bytes, sizeof key_one.bytes);
    randombytes_buf(key_two.bytes, sizeof key_two.bytes);
    unsetenv("TPT_SECRET_KEY");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return tempdir_remove();
}

static void sealed_opens_again_and_hides_the_password(void **state)
{
    (void)state;
    char sealed[URL_ROOM], again[URL_ROOM], opened[URL_ROOM], why[400];
    assert_int_equal(srv_relay_seal(&key_one, 7, RELAY, sealed, sizeof sealed, why, sizeof why), 0);
    assert_null(strstr(sealed, "s3cret"));
    assert_null(strstr(sealed, "of the relay"));
    /* the user and host stay readable; the password is the versioned form */
    assert_int_equal(strncmp(sealed, "smtps://desk:" SRV_SEALED_PREFIX, 18), 0);
    assert_non_null(strstr(sealed, "@relay.example:465"));
    assert_int_equal(srv_relay_password_state(&key_one, 7, sealed), SRV_RELAY_SEALED);
    assert_int_equal(srv_relay_open(&key_one, 7, sealed, opened, sizeof opened, why, sizeof why),
                     0);
    assert_string_equal(opened, RELAY);
    /* a nonce of its own each time: the same password never seals the same */
    assert_int_equal(srv_relay_seal(&key_one, 7, RELAY, again, sizeof again, why, sizeof why), 0);
    assert_string_not_equal(again, sealed);
    /* sealed again, a sealed value is kept as it is */
    assert_int_equal(srv_relay_seal(&key_one, 7, sealed, again, sizeof again, why, sizeof why), 0);
    assert_string_equal(again, sealed);
}

static void another_key_or_clinic_is_refused(void **state)
{
    (void)state;
    char sealed[URL_ROOM], opened[URL_ROOM], why[400];
    assert_int_equal(srv_relay_seal(&key_one, 7, RELAY, sealed, sizeof sealed, why, sizeof why), 0);
    assert_int_equal(srv_relay_open(&key_two, 7, sealed, opened, sizeof opened, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "another key"));
    assert_null(strstr(why, "s3cret"));
    assert_int_equal(srv_relay_password_state(&key_two, 7, sealed), SRV_RELAY_UNREADABLE);
    /* moved to another clinic's row, it does not open either */
    assert_int_equal(srv_relay_open(&key_one, 8, sealed, opened, sizeof opened, why, sizeof why),
                     -1);
    assert_int_equal(srv_relay_password_state(&key_one, 8, sealed), SRV_RELAY_UNREADABLE);
    /* no key at all */
    assert_int_equal(srv_relay_open(NULL, 7, sealed, opened, sizeof opened, why, sizeof why), -1);
    assert_non_null(strstr(why, "no secret key"));
    assert_int_equal(srv_relay_password_state(NULL, 7, sealed), SRV_RELAY_UNREADABLE);
}

static void tampered_values_are_refused(void **state)
{
    (void)state;
    char sealed[URL_ROOM], bad[URL_ROOM], opened[URL_ROOM], why[400];
    assert_int_equal(srv_relay_seal(&key_one, 7, RELAY, sealed, sizeof sealed, why, sizeof why), 0);
    char *text = sealed + strlen("smtps://desk:" SRV_SEALED_PREFIX);
    size_t len = strcspn(text, "@");
    for (size_t i = 0; i < len; i += 7) { /* a byte changed anywhere: nonce, text or tag */
        memcpy(bad, sealed, sizeof bad);
        char *c = bad + (text - sealed) + i;
        *c = *c == 'A' ? 'B' : 'A';
        assert_int_equal(srv_relay_open(&key_one, 7, bad, opened, sizeof opened, why, sizeof why),
                         -1);
    }
    /* cut short */
    memcpy(bad, sealed, sizeof bad);
    char *cut = bad + (text - sealed);
    memmove(cut + len / 2, cut + len, strlen(cut + len) + 1);
    assert_int_equal(srv_relay_open(&key_one, 7, bad, opened, sizeof opened, why, sizeof why), -1);
    /* emptied, not base64, too short to hold a nonce */
    const char *others[] = {"smtp://desk:" SRV_SEALED_PREFIX "@relay.example",
                            "smtp://desk:" SRV_SEALED_PREFIX "!!not base64!!@relay.example",
                            "smtp://desk:" SRV_SEALED_PREFIX "AAAA@relay.example"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        assert_int_equal(
            srv_relay_open(&key_one, 7, others[i], opened, sizeof opened, why, sizeof why), -1);
        assert_int_equal(srv_relay_password_state(&key_one, 7, others[i]), SRV_RELAY_UNREADABLE);
    }
}

static void plain_and_passwordless_relays_are_read_as_they_are(void **state)
{
    (void)state;
    char opened[URL_ROOM], sealed[URL_ROOM], why[400];
    const char *plain = "smtp://desk:hunter2@relay.example:587";
    assert_int_equal(srv_relay_password_state(&key_one, 7, plain), SRV_RELAY_PLAIN);
    assert_int_equal(srv_relay_open(&key_one, 7, plain, opened, sizeof opened, why, sizeof why), 0);
    assert_string_equal(opened, plain);
    assert_int_equal(srv_relay_open(NULL, 7, plain, opened, sizeof opened, why, sizeof why), 0);
    assert_string_equal(opened, plain);
    const char *none[] = {"", "smtp://relay.example:25", "smtps://desk@relay.example:465"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(srv_relay_password_state(NULL, 7, none[i]), SRV_RELAY_NONE);
        assert_int_equal(srv_relay_seal(NULL, 7, none[i], sealed, sizeof sealed, why, sizeof why),
                         0);
        assert_string_equal(sealed, none[i]);
        assert_int_equal(srv_relay_open(NULL, 7, none[i], opened, sizeof opened, why, sizeof why),
                         0);
        assert_string_equal(opened, none[i]);
    }
}

static void a_password_is_never_kept_plain(void **state)
{
    (void)state;
    char sealed[URL_ROOM], why[400], url[URL_ROOM];
    /* without a key: refused, not kept in plain text */
    assert_int_equal(srv_relay_seal(NULL, 7, RELAY, sealed, sizeof sealed, why, sizeof why), -1);
    assert_non_null(strstr(why, "--secret-key-file"));
    /* a password too long to fit once sealed: refused, saying how long one may be */
    char password[300];
    memset(password, 'p', sizeof password - 1);
    password[sizeof password - 1] = '\0';
    snprintf(url, sizeof url, "smtp://desk:%s@relay.example", password);
    assert_int_equal(srv_relay_seal(&key_one, 7, url, sealed, sizeof sealed, why, sizeof why), -1);
    assert_non_null(strstr(why, "too long"));
    /* one of 200 fits */
    snprintf(url, sizeof url, "smtp://desk:%.200s@relay.example", password);
    assert_int_equal(srv_relay_seal(&key_one, 7, url, sealed, sizeof sealed, why, sizeof why), 0);
}

/* Writes text to the temporary file name with mode; its path. */
static const char *file(const char *name, const char *text, mode_t mode)
{
    const char *path = tempdir_path(name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
    return path;
}

static void the_key_comes_from_a_file_or_the_environment(void **state)
{
    (void)state;
    srv_secret_key key;
    bool have;
    char why[640], hex[65];
    sodium_bin2hex(hex, sizeof hex, key_one.bytes, sizeof key_one.bytes);
    char line[80];
    snprintf(line, sizeof line, "%s\n", hex);
    const char *path = file("key", line, 0600);
    assert_int_equal(srv_secret_key_setup(path, NULL, &key, &have, why, sizeof why), 0);
    assert_true(have);
    assert_memory_equal(key.bytes, key_one.bytes, sizeof key.bytes);
    /* open to others, not a key, missing: refused, naming the file */
    path = file("open-key", line, 0644);
    assert_int_equal(srv_secret_key_setup(path, NULL, &key, &have, why, sizeof why), -1);
    assert_non_null(strstr(why, "(mode 0644)"));
    char not_hex[80];
    snprintf(not_hex, sizeof not_hex, "zz%.62s\n", hex); /* 64 digits, two of them not hex */
    const char *bad[] = {"short\n", not_hex, "", "0011\n2233\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        path = file("bad-key", bad[i], 0600);
        assert_int_equal(srv_secret_key_setup(path, NULL, &key, &have, why, sizeof why), -1);
        assert_false(have);
        assert_non_null(strstr(why, "--secret-key-file"));
    }
    assert_int_equal(srv_secret_key_setup(tempdir_path("none"), NULL, &key, &have, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "cannot open"));
    /* the environment, when no file is given */
    setenv("TPT_SECRET_KEY", hex, 1);
    memset(&key, 0, sizeof key);
    assert_int_equal(srv_secret_key_setup(NULL, NULL, &key, &have, why, sizeof why), 0);
    assert_true(have);
    assert_memory_equal(key.bytes, key_one.bytes, sizeof key.bytes);
    setenv("TPT_SECRET_KEY", "not a key", 1);
    assert_int_equal(srv_secret_key_setup(NULL, NULL, &key, &have, why, sizeof why), -1);
    assert_non_null(strstr(why, "TPT_SECRET_KEY"));
    unsetenv("TPT_SECRET_KEY");
    /* a PostgreSQL database given none: the server has no key */
    assert_int_equal(srv_secret_key_setup(NULL, NULL, &key, &have, why, sizeof why), 0);
    assert_false(have);
}

static void a_sqlite_database_gets_a_key_beside_it(void **state)
{
    (void)state;
    srv_secret_key first, second;
    bool have;
    char why[640], db[512];
    snprintf(db, sizeof db, "%s", tempdir_path("clinic.db"));
    assert_int_equal(srv_secret_key_setup(NULL, db, &first, &have, why, sizeof why), 0);
    assert_true(have);
    struct stat st;
    assert_int_equal(stat(tempdir_path("clinic.db.key"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 65); /* 64 hexadecimal digits and the line's end */
    /* the next start reads the same key, and leaves nothing else beside it */
    assert_int_equal(srv_secret_key_setup(NULL, db, &second, &have, why, sizeof why), 0);
    assert_memory_equal(first.bytes, second.bytes, sizeof first.bytes);
    glob_t left;
    assert_int_equal(glob(tempdir_path("clinic.db.key?*"), 0, NULL, &left), GLOB_NOMATCH);
    /* a key given goes first */
    assert_int_equal(srv_secret_key_setup(tempdir_path("key"), db, &second, &have, why, sizeof why),
                     0);
    assert_memory_equal(second.bytes, key_one.bytes, sizeof second.bytes);
    /* a folder that cannot hold it: said, not a key of nothing */
    assert_int_equal(
        srv_secret_key_setup(NULL, "/nonexistent-dir/tpt.db", &second, &have, why, sizeof why), -1);
    assert_non_null(strstr(why, "cannot make the secret key /nonexistent-dir/tpt.db.key"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sealed_opens_again_and_hides_the_password),
        cmocka_unit_test(another_key_or_clinic_is_refused),
        cmocka_unit_test(tampered_values_are_refused),
        cmocka_unit_test(plain_and_passwordless_relays_are_read_as_they_are),
        cmocka_unit_test(a_password_is_never_kept_plain),
        cmocka_unit_test(the_key_comes_from_a_file_or_the_environment),
        cmocka_unit_test(a_sqlite_database_gets_a_key_beside_it),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
