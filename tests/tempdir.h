/* A directory of its own for a test's databases, made before and removed
 * after (cmocka group setup and teardown). */
#ifndef TPT_TESTS_TEMPDIR_H
#define TPT_TESTS_TEMPDIR_H

#include <stdio.h>
#include <stdlib.h>

static char tempdir[256];

/* The directory, /tmp/tpt-NAME-XXXXXX: 0, or -1 when it cannot be made. */
static inline int tempdir_make(const char *name)
{
    snprintf(tempdir, sizeof tempdir, "/tmp/tpt-%s-XXXXXX", name);
    return mkdtemp(tempdir) ? 0 : -1;
}

static inline int tempdir_remove(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tempdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A file in the directory (the text is overwritten by the next call). */
static inline const char *tempdir_path(const char *file)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", tempdir, file);
    return p;
}

#endif
