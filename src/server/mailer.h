/* The sender of the outbox, a thread of tpt serve (mailer.c). */
#ifndef TPT_SERVER_MAILER_H
#define TPT_SERVER_MAILER_H

#include "request.h"

/* Starts the thread, which looks at the outbox every data->mail_interval
 * seconds until stopped; 0, or -1 when it cannot start. */
int srv_mailer_start(const srv_data *data);
/* Stops it after the message it is sending, if any. */
void srv_mailer_stop(void);

#endif
