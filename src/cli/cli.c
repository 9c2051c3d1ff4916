#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "tpt/json.h"

int cli_report(const tpt_error *err)
{
    fprintf(stderr, "tpt: %s\n", err->message);
    return tpt_exit_status(err->status);
}

int cli_usage(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "tpt %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see: tpt %s --help)\n", command);
    return TPT_EXIT_BAD_INPUT;
}

int cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int cli_read_answers(const tpt_screen_def *def, const char *path, tpt_answers *answers)
{
    tpt_error err = {0};
    char *text = NULL;
    size_t len = 0;
    if (tpt_file_read(path, TPT_ANSWERS_FILE_MAX, &text, &len, &err) == 0) {
        tpt_answers_parse(def, text, len, strcmp(path, "-") ? path : "<stdin>", answers, &err);
        free(text);
    }
    return err.status ? cli_report(&err) : 0;
}

int cli_write_json(json_t *value, const char *path)
{
    if (!value) {
        fprintf(stderr, "tpt: out of memory\n");
        return 1;
    }
    size_t flags = TPT_JSON_DUMP_FLAGS | JSON_INDENT(2);
    struct stat st;
    int rc;
    if (strcmp(path, "-") == 0) {
        rc = json_dumpf(value, stdout, flags) || fputc('\n', stdout) == EOF;
    } else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or a pipe: written in place, never renamed over */
        FILE *f = fopen(path, "w");
        rc = !f || json_dumpf(value, f, flags) != 0;
        if (f && fclose(f) != 0) rc = 1;
    } else {
        /* A file is written beside the target and renamed over it, so that an
         * old file is never left half-replaced. */
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
        rc = json_dump_file(value, tmp, flags) != 0 || rename(tmp, path) != 0;
        if (rc) remove(tmp);
    }
    json_decref(value);
    if (rc) {
        fprintf(stderr, "tpt: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int cli_load(cli_data *data, const char *atlas_path)
{
    tpt_error err = {0};
    memset(data, 0, sizeof *data);
    data->regions = tpt_regions_default(&err);
    if (!data->regions) return cli_report(&err);
    if (!atlas_path) {
        data->atlas = tpt_atlas_default(data->regions, &err);
    } else {
        char *text = NULL;
        size_t len = 0;
        if (tpt_file_read(atlas_path, TPT_ATLAS_FILE_MAX, &text, &len, &err) == 0) {
            data->atlas = tpt_atlas_load(data->regions, text, len, atlas_path, &err);
            free(text);
        }
    }
    if (!data->atlas) {
        int code = cli_report(&err);
        cli_data_free(data);
        return code;
    }
    return 0;
}

void cli_data_free(cli_data *data)
{
    tpt_atlas_free(data->atlas);
    tpt_regions_free(data->regions);
    data->atlas = NULL;
    data->regions = NULL;
}

int cli_print_json(json_t *value, FILE *out, int compact)
{
    if (!value) {
        fprintf(stderr, "tpt: out of memory\n");
        return 1;
    }
    size_t flags = TPT_JSON_DUMP_FLAGS | (compact ? JSON_COMPACT : JSON_INDENT(2));
    int rc = json_dumpf(value, out, flags);
    json_decref(value);
    if (rc != 0 || fputc('\n', out) == EOF) {
        fprintf(stderr, "tpt: cannot write output\n");
        return 1;
    }
    return 0;
}

void cli_wrap(FILE *out, int indent, const char *text)
{
    cli_wrap_hanging(out, indent, indent, text);
}

void cli_wrap_hanging(FILE *out, int first, int rest, const char *text)
{
    const int width = 78;
    int col = 0, line = 0;
    while (*text) {
        while (*text == ' ')
            text++;
        size_t word = strcspn(text, " ");
        if (word == 0) break;
        int indent = line ? rest : first;
        if (col > indent && col + 1 + (int)word > width) {
            fputc('\n', out);
            col = 0;
            line++;
            indent = rest;
        }
        if (col == 0)
            col = fprintf(out, "%*s", indent, "");
        else
            col += fprintf(out, " ");
        col += fprintf(out, "%.*s", (int)word, text);
        text += word;
    }
    fputc('\n', out);
}

int cli_bad_option(const char *command, char **argv)
{
    /* optopt names a bad short option; a bad long one is the argument just read */
    if (optopt) return cli_usage(command, "unknown option '-%c'", optopt);
    return cli_usage(command, "unknown option '%s'", argv[optind - 1]);
}

/* Warnings, the most serious (lowest id) first; on stdout with a result, or
 * on stderr beside an error so that a typo never hides them. */
void cli_print_warnings(FILE *out, const tpt_atlas *atlas, unsigned warnings)
{
    for (int id = 0; id < TPT_WARNING_COUNT; id++) {
        if (!(warnings & (1u << id))) continue;
        char line[1024];
        snprintf(line, sizeof line, "WARNING (%s): %s", tpt_level_name(atlas->warnings[id].level),
                 atlas->warnings[id].advice);
        fputc('\n', out);
        cli_wrap(out, 0, line);
    }
}
