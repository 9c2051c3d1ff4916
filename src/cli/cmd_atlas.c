/* tpt atlas: what tpt knows of each cause, and where it comes from. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tpt/json.h"

const char cmd_atlas_help[] =
    "usage: tpt atlas list [--json] [--atlas FILE]\n"
    "       tpt atlas show CAUSE [--json] [--atlas FILE]\n"
    "\n"
    "list   the trigger points (tp:...) and nerve roots (root:...) tpt can name,\n"
    "       with the prior probability it starts from (one side)\n"
    "show   one cause: where its trigger points lie, the regions it refers pain to\n"
    "       (core and occasional, with probabilities), the symptom kinds it gives,\n"
    "       what aggravates it, the examination findings that point to it, and the\n"
    "       source of every number\n"
    "\n"
    "  --json        print JSON\n"
    "  --atlas FILE  use this atlas file instead of the built-in one; the file is\n"
    "                checked and errors are reported as FILE:LINE:COLUMN: message\n"
    "\n"
    "example: tpt atlas show tp:piriformis\n";

static void print_sources(const char *what, const tpt_strings *s)
{
    char line[2048];
    size_t used = (size_t)snprintf(line, sizeof line, "%s: ", what);
    for (size_t i = 0; i < s->count && used < sizeof line; i++)
        used +=
            (size_t)snprintf(line + used, sizeof line - used, "%s[%s]", i ? " " : "", s->items[i]);
    cli_wrap(stdout, 4, line);
}

static void print_zone(const tpt_atlas *atlas, const tpt_cause *c, bool core)
{
    printf("  %s:\n", core ? "core zone (where it very often refers)" : "occasional zone");
    int any = 0;
    for (size_t z = 0; z < c->nzone; z++) {
        if (c->zone[z].core != core) continue;
        const tpt_region *r =
            &atlas->regions->region[tpt_region_at(atlas->regions, c->zone[z].key, TPT_LEFT)];
        printf("    %-20s %.2f  %s\n", r->side == TPT_MIDLINE ? r->id : r->id + 2, c->zone[z].p,
               r->label);
        any = 1;
    }
    if (!any) printf("    none\n");
}

static void print_cause(const tpt_atlas *atlas, const tpt_cause *c)
{
    char line[2048];
    printf("%s  %s (%s)\n\n", c->id, c->label, tpt_cause_kind_name(c->kind));
    snprintf(line, sizeof line, "Where: %s", c->location);
    cli_wrap(stdout, 2, line);
    printf("\n  Prior (one side): %.3f\n", c->prior.value);
    print_sources("source", &c->prior.source);
    putchar('\n');
    print_zone(atlas, c, true);
    print_zone(atlas, c, false);
    print_sources("source", &c->zone_source);
    printf("\n  Symptom kinds (share of its symptoms felt as each):\n   ");
    for (int k = 0; k < TPT_KIND_COUNT; k++)
        printf(" %s %.2f", tpt_kind_name((tpt_kind)k), c->kinds[k]);
    putchar('\n');
    print_sources("source", &c->kinds_source);
    if (c->aggravators.count) {
        printf("\n  Aggravated by:\n");
        for (size_t i = 0; i < c->aggravators.count; i++) {
            snprintf(line, sizeof line, "- %s", c->aggravators.items[i]);
            cli_wrap(stdout, 4, line);
        }
        print_sources("source", &c->aggravators_source);
    }
    if (c->nfindings) {
        printf("\n  Examination findings that point to it (likelihood ratio):\n");
        for (size_t i = 0; i < c->nfindings; i++) {
            const tpt_cause_finding *f = &c->findings[i];
            printf("    %-24s %5.2f  %s\n", atlas->findings[f->finding].id, f->lr.value,
                   atlas->findings[f->finding].label);
            print_sources("  source", &f->lr.source);
        }
    }
    /* The citations behind every key above, once each. */
    json_t *cited = tpt_cause_json(atlas, (int)(c - atlas->causes));
    json_t *sources = cited ? json_object_get(cited, "sources") : NULL;
    if (sources && json_object_size(sources)) {
        printf("\n  Sources:\n");
        const char *key;
        json_t *text;
        json_object_foreach(sources, key, text)
        {
            snprintf(line, sizeof line, "[%s] %s", key, json_string_value(text));
            cli_wrap(stdout, 4, line);
        }
    }
    json_decref(cited);
    printf("\n  Sources marked \"tpt:\" are tpt's own estimates where no published figure "
           "was found.\n  This is reference information, not a diagnosis.\n");
}

int cmd_atlas(int argc, char **argv)
{
    static const struct option options[] = {
        {"atlas", required_argument, NULL, 'a'},
        {0},
    };
    int opt;
    const char *atlas_path = NULL;
    cli_args opts;
    cli_args_init(&opts, "atlas", argc, argv, options, CLI_JSON);
    while ((opt = cli_args_next(&opts)) > 0)
        atlas_path = optarg; /* --atlas */
    if (opt < 0) return opts.code;
    int json = opts.common.json;
    if (optind >= argc) return cli_usage("atlas", "say list or show CAUSE");
    const char *verb = argv[optind++];
    int show = strcmp(verb, "show") == 0;
    if (!show && strcmp(verb, "list") != 0)
        return cli_usage("atlas", "unknown action '%s' (list or show CAUSE)", verb);
    if (show && optind >= argc) return cli_usage("atlas", "show needs a cause, e.g. tp:piriformis");
    if (optind + show < argc)
        return cli_usage("atlas", "unexpected argument '%s'", argv[optind + show]);

    cli_data data;
    int code = cli_load(&data, atlas_path);
    if (code) return code;
    const tpt_atlas *atlas = data.atlas;
    if (!show) {
        if (json) {
            code = cli_print_json(tpt_atlas_list_json(atlas), stdout, 0);
        } else {
            printf("%-30s %-14s %-6s %s\n", "cause", "kind", "prior", "label");
            for (size_t i = 0; i < atlas->ncauses; i++)
                printf("%-30s %-14s %.3f  %s\n", atlas->causes[i].id,
                       tpt_cause_kind_name(atlas->causes[i].kind), atlas->causes[i].prior.value,
                       atlas->causes[i].label);
        }
    } else {
        int c = tpt_atlas_find_cause(atlas, argv[optind]);
        if (c < 0) {
            fprintf(stderr, "tpt: unknown cause '%s' (tpt atlas list shows them all)\n",
                    argv[optind]);
            code = TPT_EXIT_BAD_INPUT;
        } else if (json) {
            code = cli_print_json(tpt_cause_json(atlas, c), stdout, 0);
        } else {
            print_cause(atlas, &atlas->causes[c]);
        }
    }
    cli_data_free(&data);
    return code;
}
