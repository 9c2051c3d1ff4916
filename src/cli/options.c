/* Reading a command's options: its own, and those several commands share
 * (--db, --json, --clinic, --as), which are defined here once so that they
 * mean the same and are refused the same everywhere. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

/* getopt_long's values of the shared options: above any character. */
enum { SHARED = 0x1000 };

static const struct {
    struct option option;
    unsigned bit;
} shared[] = {
    {{"db", required_argument, NULL, SHARED + 0}, CLI_DB},
    {{"json", no_argument, NULL, SHARED + 1}, CLI_JSON},
    {{"clinic", required_argument, NULL, SHARED + 2}, CLI_CLINIC},
    {{"as", required_argument, NULL, SHARED + 3}, CLI_AS},
};

void cli_args_init(cli_args *a, const char *command, int argc, char **argv,
                   const struct option *own, unsigned takes)
{
    memset(a, 0, sizeof *a);
    a->command = command;
    a->argc = argc;
    a->argv = argv;
    size_t n = 0;
    for (; own && own[n].name && n < CLI_OPTIONS_MAX; n++)
        a->all[n] = own[n];
    a->nown = n;
    for (size_t i = 0; i < sizeof shared / sizeof *shared && n < CLI_OPTIONS_MAX; i++)
        if (takes & shared[i].bit) a->all[n++] = shared[i].option;
    opterr = 0;
}

int cli_args_next(cli_args *a)
{
    for (;;) {
        int opt = getopt_long(a->argc, a->argv, ":", a->all, NULL);
        if (opt == -1) return 0;
        if (opt == ':') {
            a->code = cli_usage(a->command, "option '%s' needs a value", a->argv[optind - 1]);
            return -1;
        }
        if (opt >= SHARED && opt < SHARED + (int)(sizeof shared / sizeof *shared)) {
            cli_common *c = &a->common;
            a->given |= shared[opt - SHARED].bit;
            if (opt == SHARED + 0) c->db = optarg;
            if (opt == SHARED + 1) c->json = true;
            if (opt == SHARED + 2) c->clinic = optarg;
            if (opt == SHARED + 3) c->as = optarg;
            continue;
        }
        if (opt == '?' || opt == 0) {
            a->code = cli_bad_option(a->command, a->argv);
            return -1;
        }
        for (size_t i = 0; i < a->nown; i++)
            if (a->all[i].val == opt) a->given |= CLI_OWN(i);
        return opt;
    }
}

int cli_args_only(const cli_args *a, const char *verb, unsigned allowed)
{
    for (size_t i = 0; i < sizeof shared / sizeof *shared; i++)
        if ((a->given & shared[i].bit) && !(allowed & shared[i].bit))
            return cli_usage(a->command, "%s does not take --%s", verb, shared[i].option.name);
    for (size_t i = 0; i < a->nown; i++)
        if ((a->given & CLI_OWN(i)) && !(allowed & CLI_OWN(i)))
            return cli_usage(a->command, "%s does not take --%s", verb, a->all[i].name);
    return 0;
}
