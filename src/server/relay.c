/* The server's own mail relay as tpt serve is told it: --smtp gives where
 * it is and the user (smtp://USER@HOST:PORT), the password comes from a
 * file only its owner can read (--smtp-password-file) or the environment
 * (TPT_SMTP_PASSWORD). A password in the URL is refused rather than used:
 * a process's arguments are open to every user of the machine (ps,
 * /proc/PID/cmdline) and the shell keeps them in its history, so by the
 * time tpt could warn the secret would already be out. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "relay.h"

static int refuse(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int refuse(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* The password of the file's bytes: its one line, without the line's end. */
static int password_line(const char *path, char *buf, size_t len, char **out, char *why,
                         size_t size)
{
    if (len && buf[len - 1] == '\n') len--; /* the line's end an editor adds */
    if (len && buf[len - 1] == '\r') len--;
    if (len > SRV_RELAY_PASSWORD_MAX)
        return refuse(why, size, "--smtp-password-file: %s holds more than %d bytes", path,
                      SRV_RELAY_PASSWORD_MAX);
    if (!len)
        return refuse(why, size,
                      "--smtp-password-file: %s is empty: it must hold the relay's password", path);
    if (memchr(buf, '\n', len) || memchr(buf, '\r', len) || memchr(buf, '\0', len))
        return refuse(why, size,
                      "--smtp-password-file: %s holds more than one line: it must hold the "
                      "relay's password alone",
                      path);
    if (!(*out = strndup(buf, len))) return refuse(why, size, "out of memory");
    return 0;
}

/* The password in path, its one line without the line's end: 0, or -1. */
static int read_password(const char *path, char **out, char *why, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return refuse(why, size, "--smtp-password-file: cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return refuse(why, size, "--smtp-password-file: %s is not a file", path);
    }
    /* as ssh judges a private key: only its owner may read or change it */
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        close(fd);
        return refuse(why, size,
                      "--smtp-password-file: %s is open to other users of this machine (mode "
                      "%04o); make it its owner's alone: chmod 600 %s",
                      path, (unsigned)(st.st_mode & 07777), path);
    }
    char buf[SRV_RELAY_PASSWORD_MAX + 2];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf && (n = read(fd, buf + len, sizeof buf - len)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            return refuse(why, size, "--smtp-password-file: cannot read %s: %s", path, strerror(e));
        }
        len += (size_t)n;
    }
    close(fd);
    int rc = password_line(path, buf, len, out, why, size);
    explicit_bzero(buf, sizeof buf);
    return rc;
}

int srv_relay_setup(const char *url, const char *password_file, char **password, char *why,
                    size_t size)
{
    *password = NULL;
    if (!url)
        return password_file ? refuse(why, size, "--smtp-password-file goes with --smtp URL") : 0;
    CURLU *u = curl_url();
    char *user = NULL, *secret = NULL;
    int rc = 0;
    if (!u || (strncmp(url, "smtp://", 7) != 0 && strncmp(url, "smtps://", 8) != 0) ||
        curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        rc = refuse(why, size, "--smtp takes smtp://HOST:PORT or smtps://USER@HOST:465");
    } else if (curl_url_get(u, CURLUPART_PASSWORD, &secret, 0) == CURLUE_OK) {
        /* the URL is not said back: it holds the secret */
        rc = refuse(why, size,
                    "--smtp carries a password, which every user of this machine can read (ps) "
                    "and the shell keeps in its history: give --smtp smtps://USER@HOST:PORT and "
                    "the password in a file only you can read (--smtp-password-file FILE) or in "
                    "TPT_SMTP_PASSWORD; then change the password, which was on view");
    } else {
        curl_url_get(u, CURLUPART_USER, &user, 0);
        const char *env = getenv("TPT_SMTP_PASSWORD");
        if (password_file)
            rc = read_password(password_file, password, why, size);
        else if (env && *env && !(*password = strdup(env)))
            rc = refuse(why, size, "out of memory");
        if (!rc && *password && !user)
            rc = refuse(why, size,
                        "the relay's password goes with a user: --smtp smtps://USER@HOST:PORT");
        else if (!rc && user && !*password)
            rc = refuse(why, size,
                        "--smtp names the user '%s' but no password: give it in a file only you "
                        "can read (--smtp-password-file FILE) or in TPT_SMTP_PASSWORD",
                        user);
        if (rc) {
            free(*password);
            *password = NULL;
        }
    }
    curl_free(user);
    curl_free(secret);
    curl_url_cleanup(u);
    return rc;
}
