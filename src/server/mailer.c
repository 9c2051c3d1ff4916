/* The sender of the outbox: a thread of tpt serve that looks at the outbox
 * every few seconds, claims what is due (store.h: a message is claimed with
 * a lease, so two servers never send one message, and one claimed by a
 * server that died is sent by the next after its lease), sends it through
 * the clinic's own SMTP relay (or the server's, --smtp, relay.c) with libcurl, and
 * settles it: sent; queued again with the next try further off when the
 * relay cannot be reached or answers "not now" (4xx); failed when it
 * refuses the message for good (5xx). Every message sent or failed is in
 * the audit log. Without any relay nothing is claimed: the messages wait,
 * and the app shows them. */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "context.h"
#include "mailer.h"
#include "record/zone_file.h"
#include "secrets.h"
#include "tpt/mail.h"

#define LEASE_SECONDS 300 /* a send takes far less; after this another sender may take it */
#define CLAIM_MAX 20
#define RETRY_MAX_SECONDS 3600
#define SMTP_TIMEOUT 20

static struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool running, stopping;
    const srv_data *data;
} mailer = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* ---- one message through libcurl ---- */

typedef struct upload {
    const char *data;
    size_t len, at;
} upload;

static size_t read_upload(char *out, size_t size, size_t n, void *userdata)
{
    upload *u = userdata;
    size_t take = size * n < u->len - u->at ? size * n : u->len - u->at;
    memcpy(out, u->data + u->at, take);
    u->at += take;
    return take;
}

/* Sends a whole message; 0, or how it failed in `error`: *permanent when
 * the relay refused it for good (a 5xx answer). */
static int smtp_send(const char *relay, const char *password, const char *from, const char *to,
                     const tpt_buf *message, char error[TPT_NAME_MAX + 1], bool *permanent)
{
    CURL *curl = curl_easy_init();
    *permanent = false;
    if (!curl) {
        snprintf(error, TPT_NAME_MAX + 1, "cannot start the mail client");
        return -1;
    }
    char envelope_from[TPT_EMAIL_MAX + 3], envelope_to[TPT_EMAIL_MAX + 3];
    snprintf(envelope_from, sizeof envelope_from, "<%s>", from);
    snprintf(envelope_to, sizeof envelope_to, "<%s>", to);
    struct curl_slist *rcpt = curl_slist_append(NULL, envelope_to);
    upload u = {message->data, message->len, 0};
    char detail[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_URL, relay);
    /* with the user the URL names (relay.c) */
    if (password) curl_easy_setopt(curl, CURLOPT_PASSWORD, password);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, envelope_from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &u);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    /* STARTTLS when the relay offers it; smtps:// is TLS from the start */
    curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)SMTP_TIMEOUT);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
    CURLcode rc = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc == CURLE_OK) return 0;
    *permanent = code >= 500 && code < 600;
    int n = snprintf(error, TPT_NAME_MAX + 1, "%s%s%s (%ld)", curl_easy_strerror(rc),
                     *detail ? ": " : "", detail, code);
    (void)n; /* a long answer of the relay is cut to the room the outbox keeps for it */
    return -1;
}

/* ---- the outbox ---- */

/* The host of the server's address, for Message-IDs: "clinic.example". */
static void host_of(const char *base, char *out, size_t size)
{
    const char *p = strstr(base, "://");
    p = p ? p + 3 : base;
    size_t n = strcspn(p, ":/");
    snprintf(out, size, "%.*s", (int)(n ? n : 9), n ? p : "localhost");
}

/* The time `seconds` from now by the database's clock, which every instance
 * shares (a lease taken on one is judged on another by the same clock); the
 * machine's when the database cannot answer. */
static void clock_at(tpt_store *s, int64_t seconds, char out[TPT_TIME_MAX])
{
    int64_t t;
    if (!s || tpt_store_now(s, out, NULL) != 0 || tpt_time_parse(out, &t) != 0)
        t = (int64_t)time(NULL);
    tpt_time_format(t + seconds, out);
}

/* Settles message m as `state` (error and retry as tpt_store_message_settle
 * takes them) together with its audit line, `fmt` taking the message's kind
 * and `detail`: both are kept, or neither (the lease then ends, and the
 * message is claimed again). */
static void settle(tpt_store *s, const tpt_message *m, tpt_message_state state, const char *now,
                   const char *error, const char *retry, const char *fmt, const char *detail)
{
    char action[TPT_ACTION_MAX + 1];
    snprintf(action, sizeof action, fmt, tpt_message_kind_name(m->kind), detail);
    tpt_audit_line line = {.patient = m->patient, .action = action};
    snprintf(line.at, sizeof line.at, "%s", now);
    tpt_error err = {0};
    if (tpt_store_begin(s, &err) != 0 ||
        tpt_store_message_settle(s, m->id, state, now, error, retry, &err) != 0 ||
        tpt_store_audit_add(s, &line, &err) != 0 || tpt_store_commit(s, &err) != 0) {
        tpt_store_rollback(s);
        fprintf(stderr, "tpt serve: the outbox's message %lld: %s\n", (long long)m->id,
                err.message);
    }
}

/* Sends one claimed message and settles it. */
static void deliver(tpt_store *s, const srv_data *data, const tpt_message *m)
{
    tpt_clinic_profile p;
    char now[TPT_TIME_MAX], error[TPT_NAME_MAX + 1] = "", id[160], host[128];
    int64_t seconds;
    clock_at(s, 0, now);
    tpt_time_parse(now, &seconds);
    if (tpt_store_clinic_profile_get(s, m->clinic, &p, NULL) != 0) return; /* the lease ends */
    const char *relay = data->smtp_url, *password = data->smtp_secret;
    char clinic_relay[TPT_SMTP_URL_MAX + 1], why[200];
    bool unreadable = false;
    if (*p.smtp_url) { /* the clinic's own, its password opened (secrets.c) */
        relay = clinic_relay;
        password = NULL;
        if (srv_relay_open(data->secret_key, m->clinic, p.smtp_url, clinic_relay,
                           sizeof clinic_relay, why, sizeof why) != 0) {
            fprintf(stderr,
                    "tpt serve: clinic %lld's own mail relay is not used: %s. The clinic's "
                    "admin enters the relay's password again in the clinic's settings.\n",
                    (long long)m->clinic, why);
            relay = NULL;
            unreadable = true;
        }
    }
    const char *from = *p.mail_from      ? p.mail_from
                       : *p.email        ? p.email
                       : data->mail_from ? data->mail_from
                                         : "tpt@localhost";
    tpt_buf body = {0}, message = {0};
    tpt_mail_fill(m->body, data->base_url, m->links, &body);
    tpt_zone *zone = tpt_zone_load(p.zone, NULL);
    host_of(data->base_url, host, sizeof host);
    /* the same on every try, so a mail system drops a second copy */
    snprintf(id, sizeof id, "<tpt-outbox-%lld@%s>", (long long)m->id, host);
    tpt_mail_write(&(tpt_mail){.from_name = p.name,
                               .from = from,
                               .to = m->to,
                               .subject = m->subject,
                               .body = body.data ? body.data : "",
                               .date = seconds,
                               .utc_offset = zone ? tpt_zone_offset(zone, seconds, NULL) : 0,
                               .message_id = id},
                   &message);
    tpt_zone_free(zone);
    bool permanent = false;
    int rc = !relay || message.failed
                 ? -1
                 : smtp_send(relay, password, from, m->to, &message, error, &permanent);
    if (!relay)
        snprintf(error, sizeof error, "%s",
                 unreadable ? "the clinic's mail relay password cannot be read: enter it again "
                              "in the clinic's settings"
                            : "no mail relay is set");
    sodium_memzero(clinic_relay, sizeof clinic_relay);
    sodium_memzero(p.smtp_url, sizeof p.smtp_url);
    if (message.failed) snprintf(error, sizeof error, "out of memory");
    tpt_buf_free(&body);
    tpt_buf_free(&message);
    clock_at(s, 0, now);
    if (rc == 0) {
        settle(s, m, TPT_MESSAGE_SENT, now, NULL, NULL, "calendar: sent the %s email%s", "");
    } else if (permanent) {
        settle(s, m, TPT_MESSAGE_FAILED, now, error, NULL,
               "calendar: the relay refused the %s email: %s", error);
    } else {
        /* try again later, further off each time */
        int64_t wait = (int64_t)(data->mail_interval > 0 ? data->mail_interval : 30);
        for (int i = 1; i < m->attempts && wait < RETRY_MAX_SECONDS; i++)
            wait *= 2;
        char retry[TPT_TIME_MAX];
        tpt_time_format(seconds + (wait < RETRY_MAX_SECONDS ? wait : RETRY_MAX_SECONDS), retry);
        settle(s, m, TPT_MESSAGE_QUEUED, now, error, retry,
               "calendar: could not send the %s email yet (%s): trying again later", error);
    }
}

static void *run(void *arg)
{
    (void)arg;
    const srv_data *data = mailer.data;
    tpt_store *s = NULL;
    pthread_mutex_lock(&mailer.lock);
    while (!mailer.stopping) {
        pthread_mutex_unlock(&mailer.lock);
        if (!s) tpt_store_open(data->db, &s, NULL);
        tpt_message_list due = {0};
        char now[TPT_TIME_MAX], lease[TPT_TIME_MAX];
        clock_at(s, 0, now);
        clock_at(s, LEASE_SECONDS, lease);
        if (s && tpt_store_message_claim(s, now, lease, data->smtp_url != NULL, CLAIM_MAX, &due,
                                         NULL) == 0) {
            for (size_t i = 0; i < due.count; i++)
                deliver(s, data, &due.items[i]);
        }
        tpt_message_list_free(&due);
        pthread_mutex_lock(&mailer.lock);
        if (mailer.stopping) break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += data->mail_interval > 0 ? data->mail_interval : 30;
        pthread_cond_timedwait(&mailer.wake, &mailer.lock, &until);
    }
    pthread_mutex_unlock(&mailer.lock);
    tpt_store_close(s);
    return NULL;
}

int srv_mailer_start(const srv_data *data)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return -1;
    mailer.data = data;
    mailer.stopping = false;
    /* the thread never takes the signals that stop the server: main awaits them */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    int rc = pthread_create(&mailer.thread, NULL, run, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) return -1;
    mailer.running = true;
    return 0;
}

void srv_mailer_stop(void)
{
    if (!mailer.running) return;
    pthread_mutex_lock(&mailer.lock);
    mailer.stopping = true;
    pthread_cond_signal(&mailer.wake);
    pthread_mutex_unlock(&mailer.lock);
    pthread_join(mailer.thread, NULL);
    mailer.running = false;
    curl_global_cleanup();
}
