/* Work that must not hold an HTTP thread: a bounded pool of worker threads
 * with a bounded queue. The HTTP threads each serve many connections, so a
 * request that computes Argon2id hashes (about 0.1 s of a core and 64 MiB
 * each: sign-in, the first account, a password change, an invitation taken
 * up) runs here while its connection waits, and the reads of everyone else
 * go on. The bound keeps a burst of sign-ins, or of guesses, from taking
 * every core and the memory of as many hashes. */
#ifndef TPT_SERVER_POOL_H
#define TPT_SERVER_POOL_H

#include <stddef.h>

typedef struct srv_pool srv_pool;

/* `workers` threads, at most `queue_max` jobs waiting; NULL when out of
 * memory or threads. */
srv_pool *srv_pool_new(unsigned workers, size_t queue_max);
/* Runs the jobs still queued, then ends the threads. NULL is safe. */
void srv_pool_free(srv_pool *pool);
/* Queues fn(arg): 0, or -1 when the queue is full (the caller answers 503). */
int srv_pool_submit(srv_pool *pool, void (*fn)(void *arg), void *arg);

#endif
