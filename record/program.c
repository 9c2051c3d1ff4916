/* Reading a named file within a bound, and exit statuses (record/program.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/program.h"

int tpt_file_read(const char *path, size_t max, char **out, size_t *len, tpt_error *err)
{
    int from_stdin = strcmp(path, "-") == 0;
    const char *name = from_stdin ? "standard input" : path;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f) return tpt_error_set(err, TPT_ERR_INPUT, "cannot open %s: %s", path, strerror(errno));
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    int failed = ferror(f);
    if (!from_stdin) fclose(f);
    if (!buf) return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    if (failed || n > max) {
        free(buf);
        return failed ? tpt_error_set(err, TPT_ERR_INPUT, "cannot read %s", name)
                      : tpt_error_set(err, TPT_ERR_INPUT, "%s is larger than %zu bytes", name, max);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int tpt_exit_status(int status)
{
    switch (status) {
    case TPT_OK:
        return 0;
    case TPT_ERR_INPUT:
    case TPT_ERR_DATA:
        return TPT_EXIT_BAD_INPUT; /* a bad atlas file is bad input too */
    case TPT_ERR_CONFLICT:
        return TPT_EXIT_CONFLICT;
    case TPT_ERR_UNAVAILABLE:
        return TPT_EXIT_UNAVAILABLE;
    default:
        return 1;
    }
}
