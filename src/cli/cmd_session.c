/* tpt session: a guided self-treatment session on the terminal, driven by the
 * session state machine of libtpt (lib/protocol.c) and the real clock. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "record/plan_record.h"
#include "tpt/json.h"
#include "tpt/notice.h"
#include "tpt/protocol.h"

const char cmd_session_help[] =
    "usage: tpt session --plan FILE [--json]                  (on a terminal)\n"
    "       tpt session --plan FILE --answers FILE [--json] [--time-scale X]\n"
    "\n"
    "Guides one session of the home program of a plan (tpt plan --json > plan.json):\n"
    "asks how bad the pain is (0-10), then walks through each step with its\n"
    "instructions, a countdown and a progress bar, and a bell at the end of each\n"
    "hold; after each step it asks whether there is sharp or new pain, and a yes\n"
    "stops the session at once with the stop advice. At the end it asks the pain\n"
    "again and prints a summary (steps done, time, pain before and after).\n"
    "\n"
    "keys while a timer runs:\n"
    "  p  pause or resume        s  skip this step\n"
    "  q  stop the session       x  sharp or new pain: stop at once\n"
    "\n"
    "options:\n"
    "  --plan FILE|-       the plan (required); a plan without self-treatment is refused,\n"
    "                      and so is a stale one: made before the latest screen or\n"
    "                      drawing in your record (exit status 3)\n"
    "  --json              print the summary as JSON\n"
    "  --answers FILE|-    answer the prompts from a file, one answer a line, in order:\n"
    "                      a pain number, then for each step start|skip|stop|sharp,\n"
    "                      then no|yes at its check, and the pain at the end\n"
    "  --week N            the week of the program (1-520) for the steps that grow\n"
    "                      each week, such as the walk; by default the weeks since\n"
    "                      the first session of this program (a new plan with the\n"
    "                      same steps goes on in the same week; week 1 with --no-save)\n"
    "  --time-scale X      multiply every timer by X (0 < X <= 1); for tests only\n"
    "  --db PATH           the record to keep the session in (default\n"
    "                      $XDG_DATA_HOME/tpt/tpt.db); --no-save keeps nothing\n";

/* ---- clock and terminal ---- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct termios saved_termios;
static int raw_mode;
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void terminal_raw(int on)
{
    if (on == raw_mode || !isatty(STDIN_FILENO)) return;
    if (on) {
        struct termios t;
        tcgetattr(STDIN_FILENO, &saved_termios);
        t = saved_termios;
        t.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
        t.c_cc[VMIN] = 0;
        t.c_cc[VTIME] = 0;
        tcsetattr(STDIN_FILENO, TCSANOW, &t);
    } else {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
    }
    raw_mode = on;
}

static void restore_terminal(void)
{
    terminal_raw(0);
}

/* ---- prompts ---- */

typedef struct ui {
    FILE *answers; /* NULL: ask on the terminal */
    tpt_session *s;
    int bad_answer; /* a scripted answer could not be read: the run ends, exit 2 */
} ui;

/* One answer: from the answers file (echoed, so a transcript reads well) or
 * typed. Returns 0 at the end of the answers or on an interrupt. */
static int prompt(ui *u, const char *question, char *buf, size_t size)
{
    fprintf(stderr, "%s", question);
    fflush(stderr);
    if (interrupted) return 0;
    if (!fgets(buf, (int)size, u->answers ? u->answers : stdin)) {
        fputc('\n', stderr);
        return 0;
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    if (u->answers) fprintf(stderr, "%s\n", buf);
    return 1;
}

static int ask_pain(ui *u, const char *when)
{
    char buf[64], q[128];
    snprintf(q, sizeof q, "\nHow bad is the pain %s, from 0 (none) to 10 (worst)? ", when);
    while (prompt(u, q, buf, sizeof buf)) {
        char *end;
        long v = strtol(buf, &end, 10);
        if (end != buf && *end == '\0' && v >= 0 && v <= 10) return (int)v;
        fprintf(stderr, "Please type a whole number from 0 to 10.\n");
        if (u->answers) { /* a script does not get a second try */
            u->bad_answer = 1;
            return -1;
        }
    }
    return -1;
}

static bool is(const char *answer, const char *a, const char *b)
{
    return strcmp(answer, a) == 0 || strcmp(answer, b) == 0;
}

/* ---- showing a step ---- */

static void show_step(const tpt_session *s)
{
    const tpt_program_step *st = &s->program->steps[s->step];
    fprintf(stderr, "\n== Step %zu of %zu: %s\n", s->step + 1, s->program->nsteps, st->title);
    if (st->kind == TPT_STEP_GENERAL && st->weekly_seconds)
        fprintf(stderr,
                "   %ld min in week %ld of the program (it grows each week, up to %ld min)\n",
                st->hold_seconds / 60, s->program->week, st->max_seconds / 60);
    else if (st->kind == TPT_STEP_GENERAL)
        fprintf(stderr, st->hold_seconds % 60 ? "   %ld s\n" : "   %ld min\n",
                st->hold_seconds % 60 ? st->hold_seconds : st->hold_seconds / 60);
    else
        fprintf(stderr, "   %ld x %ld s%s\n", st->repeats, st->hold_seconds,
                st->rest_seconds ? ", rest between" : "");
    char line[4096];
    if (st->placement) {
        snprintf(line, sizeof line, "Where: %s", st->placement);
        cli_wrap(stderr, 3, line);
    }
    cli_wrap(stderr, 3, st->instructions);
    for (size_t i = 0; i < st->cautions.count; i++) {
        snprintf(line, sizeof line, "Careful: %s", st->cautions.items[i]);
        cli_wrap(stderr, 3, line);
    }
}

static void draw_timer(const tpt_session *s, int64_t now)
{
    const tpt_program_step *st = &s->program->steps[s->step];
    int64_t left = tpt_session_remaining(s, now);
    int64_t length =
        (int64_t)((double)(s->state == TPT_SESSION_HOLD ? st->hold_seconds : st->rest_seconds) *
                  1000.0 * s->time_scale);
    int filled = length > 0 ? (int)(20 * (length - left) / length) : 20;
    if (filled < 0) filled = 0;
    if (filled > 20) filled = 20;
    long secs = (long)((left + 999) / 1000);
    fprintf(stderr, "\r   %s %ld/%ld  [%.*s%.*s] %ld:%02ld left  session %3.0f%%  %s   ",
            s->state == TPT_SESSION_REST   ? "rest"
            : st->kind == TPT_STEP_GENERAL ? "time"
                                           : "hold",
            s->repeat, st->repeats, filled, "####################", 20 - filled,
            "....................", secs / 60, secs % 60, 100 * tpt_session_progress(s, now),
            s->paused ? "PAUSED (p resumes)" : "");
    fflush(stderr);
}

/* Runs the timers of the current step until it ends or a key changes it. */
static void run_timers(ui *u)
{
    tpt_session *s = u->s;
    unsigned bells = s->bells;
    if (!u->answers) {
        fprintf(stderr, "   (p pause, s skip, q stop, x sharp or new pain)\n");
        terminal_raw(1);
    }
    while (s->state == TPT_SESSION_HOLD || s->state == TPT_SESSION_REST) {
        int64_t now = now_ms();
        if (interrupted) {
            tpt_session_stop(s, now, NULL);
            break;
        }
        struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
        int wait = 100;
        if (u->answers) { /* scripted: no keys, just sleep until the timer is due */
            int64_t left = tpt_session_remaining(s, now);
            wait = left < 100 ? (int)left + 1 : 100;
        }
        if (!u->answers && poll(&pfd, 1, wait) > 0) {
            char key;
            if (read(STDIN_FILENO, &key, 1) == 1) {
                now = now_ms();
                if (key == 'p') {
                    if (s->paused)
                        tpt_session_resume(s, now, NULL);
                    else
                        tpt_session_pause(s, now, NULL);
                } else if (key == 's') {
                    tpt_session_skip(s, now, NULL);
                    fprintf(stderr, "\n   skipped\n");
                } else if (key == 'q') {
                    tpt_session_stop(s, now, NULL);
                } else if (key == 'x') {
                    tpt_session_sharp_pain(s, now, NULL);
                }
            }
        } else if (u->answers) {
            struct timespec ts = {wait / 1000, (wait % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        now = now_ms();
        tpt_session_tick(s, now);
        if (s->bells != bells) {
            fputc('\a', stderr); /* the end of a hold */
            bells = s->bells;
        }
        if (s->state == TPT_SESSION_HOLD || s->state == TPT_SESSION_REST) draw_timer(s, now);
    }
    terminal_raw(0);
    fputc('\n', stderr);
}

/* ---- the session ---- */

static void run(ui *u)
{
    tpt_session *s = u->s;
    char buf[128];
    for (size_t i = 0; i < s->program->advice.count; i++) {
        fputc('\n', stderr);
        cli_wrap(stderr, 0, s->program->advice.items[i]);
    }
    int pain = ask_pain(u, "now, before you start");
    if (pain < 0) return; /* nothing started: nothing to stop */
    tpt_session_pain(s, pain, now_ms(), NULL);
    while (s->state != TPT_SESSION_PAIN_AFTER && s->state != TPT_SESSION_DONE) {
        if (s->state == TPT_SESSION_READY) {
            show_step(s);
            if (!prompt(u, "Enter (or start) to begin, s to skip, q to stop, x for sharp pain: ",
                        buf, sizeof buf)) {
                tpt_session_stop(s, now_ms(), NULL);
            } else if (is(buf, "", "start")) {
                tpt_session_start(s, now_ms(), NULL);
                run_timers(u);
            } else if (is(buf, "s", "skip")) {
                tpt_session_skip(s, now_ms(), NULL);
            } else if (is(buf, "q", "stop")) {
                tpt_session_stop(s, now_ms(), NULL);
            } else if (is(buf, "x", "sharp")) {
                tpt_session_sharp_pain(s, now_ms(), NULL);
            } else {
                fprintf(stderr, "Please press Enter, or type s, q or x.\n");
                if (u->answers) {
                    u->bad_answer = 1;
                    tpt_session_stop(s, now_ms(), NULL);
                }
            }
        } else if (s->state == TPT_SESSION_CHECK) {
            if (!prompt(u, "Any sharp pain, or a pain you have not had before? [y/n] ", buf,
                        sizeof buf)) {
                tpt_session_stop(s, now_ms(), NULL); /* no answer is no all-clear */
            } else if (is(buf, "y", "yes")) {
                tpt_session_check(s, true, now_ms(), NULL);
            } else if (is(buf, "n", "no")) {
                tpt_session_check(s, false, now_ms(), NULL);
            } else {
                fprintf(stderr, "Please answer y or n.\n");
                if (u->answers) {
                    u->bad_answer = 1;
                    tpt_session_stop(s, now_ms(), NULL);
                }
            }
        }
    }
    if (s->end == TPT_END_SHARP_OR_NEW_PAIN) {
        fprintf(stderr, "\nSTOP.\n");
        cli_wrap(stderr, 0, s->program->stop_advice);
    }
    pain = ask_pain(u, "now");
    if (pain >= 0) tpt_session_pain(s, pain, now_ms(), NULL);
}

static void print_summary(const tpt_session *s, double seconds)
{
    size_t done = 0, skipped = 0;
    for (size_t i = 0; i < s->program->nsteps; i++) {
        done += s->status[i] == TPT_STEP_DONE;
        skipped += s->status[i] == TPT_STEP_SKIPPED;
    }
    static const char *const how[] = {"Not started", "Session complete", "Session stopped",
                                      "Session stopped for sharp or new pain"};
    printf("%s.\n", how[s->end]);
    printf("Steps done: %zu of %zu", done, s->program->nsteps);
    if (skipped) printf(" (%zu skipped)", skipped);
    printf("\nTime: %ld min %02ld s\n", (long)seconds / 60, (long)seconds % 60);
    if (s->pain_before >= 0) printf("Pain before: %d/10\n", s->pain_before);
    if (s->pain_after >= 0) printf("Pain after: %d/10\n", s->pain_after);
    if (s->end == TPT_END_SHARP_OR_NEW_PAIN) {
        putchar('\n');
        cli_wrap(stdout, 0, s->program->stop_advice);
    }
    putchar('\n');
    cli_wrap(stdout, 0, TPT_NOT_A_DIAGNOSIS);
}

/* 0 when the plan was made from the record's latest screen and drawing;
 * else the exit code after saying why. A plan that names none is followed
 * only while the record holds no screen or drawing that could be newer. */
static int check_fresh(const char *plan_path, const tpt_program *program,
                       const tpt_record_list *records)
{
    tpt_plan_state state;
    tpt_plan_state_of(records, &state);
    const tpt_record *screen = state.latest_screen, *drawing = state.latest_drawing;
    const char *name = strcmp(plan_path, "-") == 0 ? "the plan" : plan_path;
    if (!program->screen) {
        if (!screen && !drawing) return 0;
        fprintf(stderr,
                "tpt session: %s does not say which screen and drawing it was made from (made "
                "with --no-save, or by an older tpt), and your record holds a screen or "
                "drawing it may be older than: make the plan from your latest ones first: "
                "tpt plan --from-record --json > plan.json\n",
                name);
        return TPT_EXIT_CONFLICT;
    }
    bool has_screen = false, has_drawing = false;
    for (size_t i = 0; i < records->count; i++) {
        has_screen |=
            records->items[i].kind == TPT_RECORD_SCREEN && records->items[i].id == program->screen;
        has_drawing |= records->items[i].kind == TPT_RECORD_DRAWING &&
                       records->items[i].id == program->drawing;
    }
    if (!has_screen || !has_drawing) {
        fprintf(stderr,
                "tpt session: %s was made from screen %lld and drawing %lld, which this record "
                "does not hold (a plan of another database?)\n",
                name, (long long)program->screen, (long long)program->drawing);
        return TPT_EXIT_BAD_INPUT;
    }
    bool newer_screen = screen->id != program->screen,
         newer_drawing = drawing->id != program->drawing;
    if (!newer_screen && !newer_drawing) return 0;
    char when[64];
    cli_local_time(newer_drawing && (!newer_screen || strcmp(drawing->at, screen->at) > 0)
                       ? drawing->at
                       : screen->at,
                   when, sizeof when);
    fprintf(stderr,
            "tpt session: %s is stale: it was made before your latest %s (%s), so no session "
            "follows it. Make a new plan from your latest screen and drawing first: tpt plan "
            "--from-record --json > plan.json\n",
            name,
            newer_screen && newer_drawing ? "screen and drawing"
            : newer_screen                ? "screen"
                                          : "drawing",
            when);
    return TPT_EXIT_CONFLICT;
}

/* 0 when the record at db lets the plan be followed: no serious red flag
 * stands and the plan is not stale; else the exit code after saying why.
 * *week is then the week of the program the record shows. */
static int check_record(const char *db, const char *plan_path, const tpt_program *program,
                        long *week)
{
    tpt_store *store;
    int64_t patient;
    int code = cli_open_store(db, &store, &patient);
    if (code) return code;
    tpt_record_list records;
    tpt_flags flags = {0};
    tpt_error err = {0};
    if (tpt_store_record_list(store, patient, -1, &records, &err) != 0) {
        code = cli_report(&err);
    } else if (tpt_flags_read(store, patient, &records, &flags, &err) != 0) {
        code = cli_report(&err);
    } else if (tpt_flags_stop(&flags)) {
        fprintf(stderr,
                "tpt session: your record holds a warning sign (%s) that stands: no guided "
                "self-treatment until %s.\n",
                tpt_level_name(flags.level),
                flags.items[0].clinician ? "the clinician who raised it, or a colleague, lifts it"
                                         : "a clinician has seen you and a new screen (tpt "
                                           "screen) is clear");
        if (tpt_flags_advice(&flags)) cli_wrap(stderr, 0, tpt_flags_advice(&flags));
        code = TPT_EXIT_BAD_INPUT;
    } else {
        code = check_fresh(plan_path, program, &records);
    }
    if (!code) *week = tpt_program_week(tpt_program_began(&records), (int64_t)time(NULL));
    tpt_flags_free(&flags);
    tpt_record_list_free(&records);
    tpt_store_close(store);
    return code;
}

int cmd_session(int argc, char **argv)
{
    static const struct option options[] = {
        {"plan", required_argument, NULL, 'p'},       {"answers", required_argument, NULL, 'a'},
        {"time-scale", required_argument, NULL, 't'}, {"week", required_argument, NULL, 'w'},
        {"no-save", no_argument, NULL, 'n'},          {0},
    };
    const char *plan_path = NULL, *answers_path = NULL;
    int opt, save_record = 1;
    double scale = 1;
    long week = 0; /* 0: from the record */
    cli_args opts;
    cli_args_init(&opts, "session", argc, argv, options, CLI_JSON | CLI_DB);
    while ((opt = cli_args_next(&opts)) > 0) {
        char *end;
        switch (opt) {
        case 'p':
            plan_path = optarg;
            break;
        case 'a':
            answers_path = optarg;
            break;
        case 't':
            scale = strtod(optarg, &end);
            if (*end || !(scale > 0 && scale <= 1))
                return cli_usage("session", "--time-scale takes a number above 0, at most 1");
            break;
        case 'w':
            week = strtol(optarg, &end, 10);
            if (*end || end == optarg || week < 1 || week > 520)
                return cli_usage("session", "--week takes a whole number from 1 to 520");
            break;
        case 'n':
            save_record = 0;
            break;
        }
    }
    if (opt < 0) return opts.code;
    int json = opts.common.json;
    const char *db = opts.common.db;
    if (optind < argc) return cli_usage("session", "unexpected argument '%s'", argv[optind]);
    if (!plan_path)
        return cli_usage("session", "a session follows a plan: tpt plan --json ... > plan.json, "
                                    "then tpt session --plan plan.json");
    if (!answers_path && !isatty(STDIN_FILENO))
        return cli_usage("session", "standard input is not a terminal: give the answers with "
                                    "--answers FILE");
    if (answers_path && strcmp(answers_path, "-") == 0 && strcmp(plan_path, "-") == 0)
        return cli_usage("session",
                         "the plan and the answers cannot both come from standard input");

    tpt_error err = {0};
    char *text = NULL;
    size_t len = 0;
    if (tpt_file_read(plan_path, TPT_PROGRAM_FILE_MAX, &text, &len, &err) != 0)
        return cli_report(&err);
    tpt_program *program = tpt_program_read(text, len, plan_path, &err);
    free(text);
    if (!program) return cli_report(&err);

    ui u = {0};
    if (answers_path) {
        u.answers = strcmp(answers_path, "-") == 0 ? stdin : fopen(answers_path, "r");
        if (!u.answers) {
            fprintf(stderr, "tpt: cannot open %s: %s\n", answers_path, strerror(errno));
            tpt_program_free(program);
            return TPT_EXIT_BAD_INPUT;
        }
    }
    /* The record may hold a warning sign, or a screen or drawing, newer than
     * the plan: none is guided past. */
    long record_week = 1;
    int refused = save_record ? check_record(db, plan_path, program, &record_week) : 0;
    if (refused) {
        if (u.answers && u.answers != stdin) fclose(u.answers);
        tpt_program_free(program);
        return refused;
    }
    tpt_program_set_week(program, week ? week : record_week);
    static tpt_session session;
    tpt_session_init(&session, program, scale);
    u.s = &session;
    atexit(restore_terminal);
    /* without SA_RESTART, so that Ctrl-C ends a prompt that is waiting */
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int64_t begin = now_ms();
    run(&u);
    double seconds = (double)(now_ms() - begin) / 1000.0;
    int code = 0;
    if (json)
        code = cli_print_json(tpt_session_summary_json(&session, seconds), stdout, 0);
    else
        print_summary(&session, seconds);
    if (u.bad_answer) {
        fprintf(stderr, "tpt session: an answer in %s could not be read\n", answers_path);
        code = TPT_EXIT_BAD_INPUT;
    }
    if (!code && save_record && session.pain_before >= 0) /* a session that began */
        code = cli_save_record(db, TPT_RECORD_SESSION, tpt_session_end_name(session.end), NULL,
                               tpt_session_summary_json(&session, seconds));
    if (u.answers && u.answers != stdin) fclose(u.answers);
    tpt_program_free(program);
    return code;
}
