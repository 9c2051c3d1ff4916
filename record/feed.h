/* A person's calendar feed (iCalendar, RFC 5545), which any phone's
 * calendar subscribes to at its private address: their appointments, the
 * home program's session times while self-treatment may go on, and a
 * daily "how is the pain today?" that opens the log. */
#ifndef TPT_RECORD_FEED_H
#define TPT_RECORD_FEED_H

#include <stdint.h>

#include "store.h"
#include "tpt/buf.h"

/* How long the daily events of a feed run from the plan (or from now). */
#define TPT_FEED_DAYS 42

/* Writes the feed of f->patient at `now` (UTC seconds) into out; links
 * open `base` (the server's address, no trailing slash). Appointments from
 * thirty days back are in it, a cancelled one marked so; no home session
 * while a warning sign that stops self-treatment stands, or before there
 * is a plan. */
int tpt_feed_write(tpt_store *store, const tpt_feed *f, const char *base, int64_t now, tpt_buf *out,
                   tpt_error *err);

#endif
