/* tpt regions: the vocabulary a mark can use. */
#include <stdio.h>

#include "cli.h"
#include "tpt/json.h"

const char cmd_regions_help[] =
    "usage: tpt regions [--json]\n"
    "\n"
    "Lists the body chart regions a mark can name: the id, the views of the chart\n"
    "it is drawn in (F front, B back, L left side, R right side) and a plain label.\n"
    "Sided regions start with l. or r. (the person's own left and right).\n"
    "\n"
    "  --json    print the regions and the symptom kinds as JSON\n"
    "\n"
    "Symptom kinds: ache (default), sharp, burning, tingling, numb.\n";

int cmd_regions(int argc, char **argv)
{
    int opt;
    cli_args opts;
    cli_args_init(&opts, "regions", argc, argv, NULL, CLI_JSON);
    if ((opt = cli_args_next(&opts)) != 0)
        return opt < 0 ? opts.code : cli_bad_option("regions", argv);
    if (optind < argc) return cli_usage("regions", "unexpected argument '%s'", argv[optind]);

    tpt_error err = {0};
    tpt_regions *regions = tpt_regions_default(&err);
    if (!regions) return cli_report(&err);
    int code = 0;
    if (opts.common.json) {
        code = cli_print_json(tpt_regions_json(regions), stdout, 0);
    } else {
        printf("%-22s %s  %s\n", "region", "views", "label");
        for (size_t i = 0; i < regions->count; i++) {
            const tpt_region *r = &regions->region[i];
            printf("%-22s %c%c%c%c   %s\n", r->id, r->views & TPT_VIEW_FRONT ? 'F' : '-',
                   r->views & TPT_VIEW_BACK ? 'B' : '-', r->views & TPT_VIEW_LEFT ? 'L' : '-',
                   r->views & TPT_VIEW_RIGHT ? 'R' : '-', r->label);
        }
        printf("%zu regions. Kinds: ache (default), sharp, burning, tingling, numb.\n",
               regions->count);
    }
    tpt_regions_free(regions);
    return code;
}
