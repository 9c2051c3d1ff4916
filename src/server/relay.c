/* The server's own mail relay as tpt serve is told it: --smtp gives where
 * it is and the user (smtp://USER@HOST:PORT), the password comes from a
 * file only its owner can read (--smtp-password-file) or the environment
 * (TPT_SMTP_PASSWORD). A password in the URL is refused rather than used:
 * a process's arguments are open to every user of the machine (ps,
 * /proc/PID/cmdline) and the shell keeps them in its history, so by the
 * time tpt could warn the secret would already be out. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relay.h"
#include "secrets.h"

int srv_relay_setup(const char *url, const char *password_file, char **password, char *why,
                    size_t size)
{
    *password = NULL;
    if (!url)
        return password_file ? srv_refuse(why, size, "--smtp-password-file goes with --smtp URL")
                             : 0;
    CURLU *u = curl_url();
    char *user = NULL, *secret = NULL;
    int rc = 0;
    if (!u || (strncmp(url, "smtp://", 7) != 0 && strncmp(url, "smtps://", 8) != 0) ||
        curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        rc = srv_refuse(why, size, "--smtp takes smtp://HOST:PORT or smtps://USER@HOST:465");
    } else if (curl_url_get(u, CURLUPART_PASSWORD, &secret, 0) == CURLUE_OK) {
        /* the URL is not said back: it holds the secret */
        rc =
            srv_refuse(why, size,
                       "--smtp carries a password, which every user of this machine can read (ps) "
                       "and the shell keeps in its history: give --smtp smtps://USER@HOST:PORT and "
                       "the password in a file only you can read (--smtp-password-file FILE) or in "
                       "TPT_SMTP_PASSWORD; then change the password, which was on view");
    } else {
        curl_url_get(u, CURLUPART_USER, &user, 0);
        const char *env = getenv("TPT_SMTP_PASSWORD");
        if (password_file)
            rc = srv_secret_file_read("--smtp-password-file", "the relay's password", password_file,
                                      SRV_RELAY_PASSWORD_MAX, password, why, size);
        else if (env && *env && !(*password = strdup(env)))
            rc = srv_refuse(why, size, "out of memory");
        if (!rc && *password && !user)
            rc = srv_refuse(why, size,
                            "the relay's password goes with a user: --smtp smtps://USER@HOST:PORT");
        else if (!rc && user && !*password)
            rc =
                srv_refuse(why, size,
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
