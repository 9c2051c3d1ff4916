/* The server's own mail relay as tpt serve is told it (relay.c). */
#ifndef TPT_SERVER_RELAY_H
#define TPT_SERVER_RELAY_H

#include <stddef.h>

#define SRV_RELAY_PASSWORD_MAX 512

/* Checks --smtp's url and finds the relay's password: from password_file
 * (--smtp-password-file, or NULL), else from $TPT_SMTP_PASSWORD. 0 with
 * *password malloc'd (NULL when the url names no user); or -1 with what is
 * wrong, said for the operator, in why. */
int srv_relay_setup(const char *url, const char *password_file, char **password, char *why,
                    size_t size);

#endif
