/* What the store's conformance suites share (conformance.c,
 * conformance_calendar.c): where their databases go, opening one, and
 * running a function in several processes at once.
 *
 *     conformance[_calendar] [BASE]
 *
 * BASE is where the test databases go: a directory (default: a new one under
 * /tmp) for a backend of file paths, or a URI prefix for a backend of
 * addresses, to which each test appends its own name; such databases must
 * be empty when the suite starts. main() copies argv[1] into `base` and
 * runs its tests with setup and teardown. */
#ifndef TPT_TESTS_STORE_COMMON_H
#define TPT_TESTS_STORE_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

static char base[512];
static bool made_dir; /* base is a directory this run made, removed at the end */

/* The address of a test's database. Like open_store and the two below,
 * not static: conformance_security.c, linked with conformance.c, uses them
 * too (conformance.h). */
const char *db(const char *name);
const char *db(const char *name)
{
    static char p[640];
    if (tpt_store_is_uri(base))
        snprintf(p, sizeof p, "%s%s", base, name);
    else
        snprintf(p, sizeof p, "%s/%s.db", base, name);
    return p;
}

/* The test's database `name`, opened; fails the test when it cannot be.
 * Not static: conformance_corrections.c, linked with conformance.c, opens
 * its databases with it too (conformance.h). Each suite's program includes
 * this file from one of its files only. */
tpt_store *open_store(const char *name);
tpt_store *open_store(const char *name)
{
    tpt_store *s;
    tpt_error err = {0};
    if (tpt_store_open(db(name), &s, &err) != 0) fail_msg("%s: %s", db(name), err.message);
    return s;
}

/* A window in which other processes would get in, were they let in. */
void pause_briefly(void);
void pause_briefly(void)
{
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

/* Runs fn(i) in `n` processes at once; each must exit 0. */
void in_processes(int n, int (*fn)(int i));
void in_processes(int n, int (*fn)(int i))
{
    pid_t pids[16];
    assert_true(n <= 16);
    for (int i = 0; i < n; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) _exit(fn(i));
    }
    for (int i = 0; i < n; i++) {
        int status;
        waitpid(pids[i], &status, 0);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) != 0) fail_msg("process %d exited %d", i, WEXITSTATUS(status));
    }
}

static int setup(void **state)
{
    (void)state;
    if (*base) return 0;
    snprintf(base, sizeof base, "/tmp/tpt-store-conformance-XXXXXX");
    made_dir = true;
    return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    if (!made_dir) return 0;
    char cmd[640];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    return system(cmd) == 0 ? 0 : -1;
}

#endif
