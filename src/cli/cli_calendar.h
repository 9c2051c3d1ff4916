/* What tpt appointment and tpt availability share: the clinic's calendar
 * opened for a command (its zone, the account acting), and a practitioner,
 * a service and a time as typed. Each prints why it fails and returns the
 * exit status. */
#ifndef TPT_CLI_CALENDAR_H
#define TPT_CLI_CALENDAR_H

#include "cli.h"
#include "record/calendar.h"

/* Opens the database and the calendar of the clinic (--clinic, or its only
 * one), with --as as the account acting (it must be the clinic's staff). */
int cli_calendar_open(const cli_common *common, const char *command, tpt_store **store,
                      tpt_calendar *cal);
/* A practitioner by their account's email. */
int cli_calendar_practitioner(const tpt_calendar *cal, const char *email, int64_t *out);
/* A service by its id or its name (any case). */
int cli_calendar_service(const tpt_calendar *cal, const char *text, int64_t *out);
/* A time typed for `option` on the clinic's clock. */
int cli_calendar_time(const tpt_calendar *cal, const char *option, const char *text, int64_t *out);

#endif
