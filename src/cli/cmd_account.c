/* tpt account and tpt operator: the web application's accounts as the
 * installation's operator manages them on the server: listed, given a
 * password reset link, disabled, enabled, their sessions ended, deleted,
 * another role; and operator accounts made, which the web never makes.
 * Each change and its audit line land together. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "record/accounts.h"

const char cmd_account_help[] =
    "usage: tpt account list [--clinic ID] [--json]\n"
    "       tpt account reset EMAIL [--url URL]\n"
    "       tpt account disable EMAIL\n"
    "       tpt account enable EMAIL\n"
    "       tpt account end-sessions EMAIL\n"
    "       tpt account delete EMAIL\n"
    "       tpt account role EMAIL admin|practitioner\n"
    "  each with [--db PATH]\n"
    "\n"
    "The accounts of the web application (tpt serve), as the installation's\n"
    "operator manages them on the server; a clinic's admins do the same for their\n"
    "clinic on the Accounts page. Every change goes into the audit log.\n"
    "\n"
    "list          every account (or one clinic's): id, email, name, role, clinic\n"
    "              and whether it is disabled or deleted\n"
    "reset         a one-time link, valid 24 hours, to give the person: opening it\n"
    "              they choose a new password, and every session of the account\n"
    "              ends\n"
    "disable       the account can no longer sign in and its sessions end at once\n"
    "              (someone who left); enable lets it sign in again\n"
    "end-sessions  signs the account out everywhere (a lost phone)\n"
    "delete        the account is gone for good: its email is free again, its name\n"
    "              stays on the notes it signed and in the audit log\n"
    "role          an admin made a practitioner, or the other way\n"
    "A clinic keeps at least one admin who can sign in: the last one is not\n"
    "disabled, deleted or made a practitioner.\n"
    "\n"
    "options:\n"
    "  --clinic ID  one clinic's accounts\n"
    "  --url URL    the address people open tpt at (https://tpt.example.org), put\n"
    "               before the link; without it the link is a path to add to it\n"
    "  --json       as JSON\n"
    "  --db PATH    the database (default $XDG_DATA_HOME/tpt/tpt.db)\n";

const char cmd_operator_help[] =
    "usage: tpt operator add EMAIL --name NAME [--url URL] [--db PATH]\n"
    "       tpt operator list [--db PATH]\n"
    "\n"
    "The operator runs the installation: makes clinics and puts their first admin\n"
    "in them, manages the accounts of every clinic and reads the audit log of them\n"
    "all, and opens no patient's record. Operator accounts are made here, on the\n"
    "server, and never through the web application.\n"
    "\n"
    "add   a new operator account; prints a one-time link, valid 24 hours, to open\n"
    "      in a browser and choose its password (tpt account reset EMAIL makes a\n"
    "      new one)\n"
    "list  the operator accounts\n"
    "\n"
    "options:\n"
    "  --name NAME  the operator's name\n"
    "  --url URL    the address people open tpt at, put before the link\n"
    "  --db PATH    the database (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "\n"
    "example: tpt operator add ops@clinic.example --name \"Sam Ops\" \\\n"
    "             --url https://tpt.clinic.example\n";

enum { O_NAME = CLI_OWN(0), O_URL = CLI_OWN(1) };

/* The account of an email, any role; prints why not. */
static int find_account(tpt_store *store, const char *command, const char *email, tpt_user *out)
{
    tpt_error err = {0};
    if (tpt_store_user_by_email(store, email, out, &err) == 0) return 0;
    if (err.status != TPT_ERR_INPUT) return cli_report(&err);
    char shown[TPT_EMAIL_MAX * 4 + 1];
    fprintf(stderr, "tpt %s: no account '%s' (tpt account list shows them)\n", command,
            tpt_text_printable(email, shown, sizeof shown));
    return TPT_EXIT_BAD_INPUT;
}

/* Prints a reset link: the URL given, or the path to put after the server's address. */
static void print_link(const char *url, const char *token, const char *expires)
{
    char when[64];
    cli_local_time(expires, when, sizeof when);
    if (url) {
        size_t n = strlen(url);
        printf("  %.*s/#/reset/%s\n", (int)(n && url[n - 1] == '/' ? n - 1 : n), url, token);
    } else {
        printf("  /#/reset/%s\n", token);
        printf("(after the address tpt serve answers at, e.g. "
               "http://127.0.0.1:8321/#/reset/%.8s...)\n",
               token);
    }
    printf("It works once, until %s; give it only to this person.\n", when);
}

/* A change to one account and its audit line, together: begin, run, write
 * the line "ACTION EMAIL", commit. */
typedef int account_change(tpt_store *store, const tpt_user *u, void *arg, tpt_error *err);

static int change(tpt_store *store, const tpt_user *u, account_change *fn, void *arg,
                  const char *what)
{
    tpt_error err = {0};
    char action[TPT_ACTION_MAX + 1];
    /* an email of up to 254 bytes is cut to fit the line */
    snprintf(action, sizeof action, "%.60s %.*s", what, (int)sizeof action - 62, u->email);
    if (tpt_store_begin(store, &err) != 0) return cli_report(&err);
    int code = fn(store, u, arg, &err) != 0 ? cli_report(&err) : cli_audit(store, 0, action, 0);
    if (!code && tpt_store_commit(store, &err) != 0) code = cli_report(&err);
    if (code) tpt_store_rollback(store);
    return code;
}

/* arg: non-NULL to enable */
static int do_disable(tpt_store *store, const tpt_user *u, void *arg, tpt_error *err)
{
    char now[TPT_TIME_MAX];
    cli_now(now);
    int rc = arg ? 0 : tpt_account_not_last_admin(store, u, err);
    return rc ? rc : tpt_store_user_set_disabled(store, u->id, arg ? "" : now, err);
}

/* arg: the number of sessions ended (int64_t) */
static int do_end_sessions(tpt_store *store, const tpt_user *u, void *arg, tpt_error *err)
{
    return tpt_store_auth_session_delete_user(store, u->id, NULL, arg, err);
}

static int do_delete(tpt_store *store, const tpt_user *u, void *arg, tpt_error *err)
{
    (void)arg;
    char now[TPT_TIME_MAX];
    cli_now(now);
    int rc = tpt_account_not_last_admin(store, u, err);
    return rc ? rc : tpt_store_user_delete(store, u->id, now, err);
}

/* arg: the new role (tpt_role) */
static int do_role(tpt_store *store, const tpt_user *u, void *arg, tpt_error *err)
{
    tpt_role role = *(tpt_role *)arg;
    int rc = role == TPT_ROLE_ADMIN ? 0 : tpt_account_not_last_admin(store, u, err);
    return rc ? rc : tpt_store_user_set_role(store, u->id, role, err);
}

typedef struct reset_link {
    char token[65], expires[TPT_TIME_MAX];
} reset_link;

/* arg: the link made (reset_link) */
static int do_reset(tpt_store *store, const tpt_user *u, void *arg, tpt_error *err)
{
    reset_link *link = arg;
    return tpt_reset_issue(store, u, 0, (int64_t)time(NULL), link->token, link->expires, err);
}

static void print_account(const tpt_user *u)
{
    char name[TPT_NAME_MAX * 4 + 1], email[TPT_EMAIL_MAX * 4 + 1], clinic[64] = "-";
    if (u->clinic) snprintf(clinic, sizeof clinic, "%lld", (long long)u->clinic);
    printf("%-5lld %-32s %-24s %-12s %-6s %s\n", (long long)u->id,
           *u->email ? tpt_text_printable(u->email, email, sizeof email) : "-", /* deleted */
           tpt_text_printable(u->name, name, sizeof name), tpt_role_name(u->role), clinic,
           *u->deleted    ? "deleted"
           : *u->disabled ? "disabled"
                          : "active");
}

static json_t *account_json(const tpt_user *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)u->id, "email",
                     u->email, "name", u->name, "role", tpt_role_name(u->role), "clinic",
                     u->clinic ? json_integer(u->clinic) : json_null(), "disabled",
                     *u->disabled ? json_string(u->disabled) : json_null(), "deleted",
                     *u->deleted ? json_string(u->deleted) : json_null());
}

/* Lists the accounts of a clinic (0: all), of one role only when only_role >= 0. */
static int list(tpt_store *store, int64_t clinic, int only_role, bool as_json)
{
    tpt_user_list users;
    tpt_error err = {0};
    if (tpt_store_user_list(store, clinic, &users, &err) != 0) return cli_report(&err);
    json_t *items = as_json ? json_array() : NULL;
    if (!as_json)
        printf("%-5s %-32s %-24s %-12s %-6s %s\n", "ID", "EMAIL", "NAME", "ROLE", "CLINIC",
               "STATUS");
    for (size_t i = 0; i < users.count; i++) {
        if (only_role >= 0 && users.items[i].role != (tpt_role)only_role) continue;
        if (as_json)
            json_array_append_new(items, account_json(&users.items[i]));
        else
            print_account(&users.items[i]);
    }
    tpt_user_list_free(&users);
    return as_json ? cli_print_json(json_pack("{s:o}", "accounts", items), stdout, 0) : 0;
}

int cmd_account(int argc, char **argv)
{
    static const struct option own[] = {
        {"name", required_argument, NULL, 'n'}, {"url", required_argument, NULL, 'u'}, {0}};
    cli_args a;
    cli_args_init(&a, "account", argc, argv, own, CLI_DB | CLI_JSON | CLI_CLINIC);
    const char *url = NULL;
    int opt;
    while ((opt = cli_args_next(&a)) > 0)
        if (opt == 'u') url = optarg;
    if (opt < 0) return a.code;
    if (optind >= argc)
        return cli_usage("account", "say list, reset, disable, enable, end-sessions, delete or "
                                    "role");
    const char *verb = argv[optind++];
    static const struct {
        const char *name;
        unsigned options;
        int nargs;
    } verbs[] = {{"list", CLI_DB | CLI_JSON | CLI_CLINIC, 0},
                 {"reset", CLI_DB | O_URL, 1},
                 {"disable", CLI_DB, 1},
                 {"enable", CLI_DB, 1},
                 {"end-sessions", CLI_DB, 1},
                 {"delete", CLI_DB, 1},
                 {"role", CLI_DB, 2}};
    size_t v = 0;
    while (v < sizeof verbs / sizeof *verbs && strcmp(verbs[v].name, verb) != 0)
        v++;
    if (v == sizeof verbs / sizeof *verbs) return cli_usage("account", "unknown action '%s'", verb);
    if (argc - optind != verbs[v].nargs)
        return cli_usage("account", "%s takes %s", verb,
                         verbs[v].nargs == 0   ? "no argument"
                         : verbs[v].nargs == 1 ? "the account's EMAIL"
                                               : "EMAIL and admin or practitioner");
    int code = cli_args_only(&a, verb, verbs[v].options);
    if (code) return code;
    tpt_role role;
    if (verbs[v].nargs == 2 && (tpt_role_parse(argv[optind + 1], &role) != 0 ||
                                (role != TPT_ROLE_ADMIN && role != TPT_ROLE_PRACTITIONER)))
        return cli_usage("account", "the role is admin or practitioner, not '%s'",
                         argv[optind + 1]);
    int64_t clinic = 0;
    if (a.common.clinic && (code = cli_parse_id("account", "--clinic", a.common.clinic, &clinic)))
        return code;

    tpt_store *store;
    if ((code = cli_open_store(a.common.db, &store, NULL))) return code;
    tpt_user u;
    if (v == 0) {
        code = list(store, clinic, -1, a.common.json);
    } else if (!(code = find_account(store, "account", argv[optind], &u))) {
        char shown[TPT_EMAIL_MAX * 4 + 1];
        tpt_text_printable(u.email, shown, sizeof shown);
        if (strcmp(verb, "reset") == 0) {
            reset_link link;
            if (!(code = change(store, &u, do_reset, &link, "issued a password reset link for"))) {
                printf("A password reset link for %s:\n", shown);
                print_link(url, link.token, link.expires);
            }
        } else if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0) {
            bool enable = *verb == 'e';
            if (!(code = change(store, &u, do_disable, enable ? &enable : NULL,
                                enable ? "enabled the account" : "disabled the account")))
                printf("%s %s.\n", shown,
                       enable ? "may sign in again"
                              : "is disabled: it cannot sign in, and its sessions have ended");
        } else if (strcmp(verb, "end-sessions") == 0) {
            int64_t ended = 0;
            if (!(code = change(store, &u, do_end_sessions, &ended, "ended the sessions of")))
                printf("Ended %lld session%s of %s.\n", (long long)ended, ended == 1 ? "" : "s",
                       shown);
        } else if (strcmp(verb, "delete") == 0) {
            if (!(code = change(store, &u, do_delete, NULL, "deleted the account")))
                printf("Deleted the account of %s; its name stays on what it signed and in the "
                       "audit log.\n",
                       shown);
        } else if (!(code = change(store, &u, do_role, &role,
                                   role == TPT_ROLE_ADMIN ? "made an admin of"
                                                          : "made a practitioner of"))) {
            printf("%s is now %s.\n", shown,
                   role == TPT_ROLE_ADMIN ? "an admin of the clinic" : "a practitioner");
        }
    }
    tpt_store_close(store);
    return code;
}

int cmd_operator(int argc, char **argv)
{
    static const struct option own[] = {
        {"name", required_argument, NULL, 'n'}, {"url", required_argument, NULL, 'u'}, {0}};
    cli_args a;
    cli_args_init(&a, "operator", argc, argv, own, CLI_DB);
    const char *url = NULL, *name = NULL;
    int opt;
    while ((opt = cli_args_next(&a)) > 0) {
        if (opt == 'u') url = optarg;
        if (opt == 'n') name = optarg;
    }
    if (opt < 0) return a.code;
    if (optind >= argc) return cli_usage("operator", "say add EMAIL --name NAME, or list");
    const char *verb = argv[optind++];
    bool add = strcmp(verb, "add") == 0;
    if (!add && strcmp(verb, "list") != 0)
        return cli_usage("operator", "unknown action '%s' (add or list)", verb);
    if (argc - optind != (add ? 1 : 0))
        return cli_usage("operator", add ? "add takes the operator's EMAIL"
                                         : "list takes no "
                                           "argument");
    int code = cli_args_only(&a, verb, add ? CLI_DB | O_NAME | O_URL : CLI_DB);
    if (code) return code;
    if (add && !name) return cli_usage("operator", "add needs --name NAME");
    tpt_store *store;
    if ((code = cli_open_store(a.common.db, &store, NULL))) return code;
    if (!add) {
        code = list(store, 0, TPT_ROLE_OPERATOR, false);
        tpt_store_close(store);
        return code;
    }
    tpt_user u = {.role = TPT_ROLE_OPERATOR};
    snprintf(u.email, sizeof u.email, "%s", argv[optind]);
    snprintf(u.name, sizeof u.name, "%s", name);
    if (strlen(argv[optind]) > TPT_EMAIL_MAX || strlen(name) > TPT_NAME_MAX) {
        tpt_store_close(store);
        return cli_usage("operator", "an email has at most %d characters, a name %d", TPT_EMAIL_MAX,
                         TPT_NAME_MAX);
    }
    /* no password until the link is used: an empty hash matches none */
    char link[65], expires[TPT_TIME_MAX], action[TPT_ACTION_MAX + 1];
    tpt_error err = {0};
    snprintf(action, sizeof action, "made the operator account %.*s", (int)sizeof action - 27,
             u.email);
    if (tpt_store_begin(store, &err) != 0 || tpt_store_user_add(store, &u, &u.id, &err) != 0 ||
        tpt_reset_issue(store, &u, 0, (int64_t)time(NULL), link, expires, &err) != 0) {
        code = cli_report(&err);
    } else if (!(code = cli_audit(store, 0, action, 0)) && tpt_store_commit(store, &err) != 0) {
        code = cli_report(&err);
    }
    if (code) {
        tpt_store_rollback(store);
    } else {
        char shown[TPT_EMAIL_MAX * 4 + 1];
        printf("Made the operator account %s.\nOpen this link to choose its password:\n",
               tpt_text_printable(u.email, shown, sizeof shown));
        print_link(url, link, expires);
    }
    tpt_store_close(store);
    return code;
}
