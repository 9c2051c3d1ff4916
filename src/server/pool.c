/* The worker pool (pool.h): a ring of jobs under one mutex. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "pool.h"

typedef struct job {
    void (*fn)(void *arg);
    void *arg;
} job;

struct srv_pool {
    pthread_mutex_t lock;
    pthread_cond_t work;
    job *jobs; /* a ring of queue_max */
    size_t queue_max, head, count;
    bool stopping;
    unsigned nthreads;
    pthread_t *threads;
};

static void *worker(void *arg)
{
    srv_pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->count == 0 && !p->stopping)
            pthread_cond_wait(&p->work, &p->lock);
        if (p->count == 0) break; /* stopping, and nothing left to run */
        job j = p->jobs[p->head];
        p->head = (p->head + 1) % p->queue_max;
        p->count--;
        pthread_mutex_unlock(&p->lock);
        j.fn(j.arg);
        pthread_mutex_lock(&p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

srv_pool *srv_pool_new(unsigned workers, size_t queue_max)
{
    srv_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->jobs = calloc(queue_max, sizeof *p->jobs);
    p->threads = calloc(workers, sizeof *p->threads);
    p->queue_max = queue_max;
    if (!p->jobs || !p->threads || pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p->jobs);
        free(p->threads);
        free(p);
        return NULL;
    }
    pthread_cond_init(&p->work, NULL);
    for (; p->nthreads < workers; p->nthreads++)
        if (pthread_create(&p->threads[p->nthreads], NULL, worker, p) != 0) break;
    if (p->nthreads == 0) {
        srv_pool_free(p);
        return NULL;
    }
    return p;
}

void srv_pool_free(srv_pool *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->lock);
    free(p->jobs);
    free(p->threads);
    free(p);
}

int srv_pool_submit(srv_pool *p, void (*fn)(void *arg), void *arg)
{
    int rc = -1;
    pthread_mutex_lock(&p->lock);
    if (p->count < p->queue_max && !p->stopping) {
        p->jobs[(p->head + p->count) % p->queue_max] = (job){fn, arg};
        p->count++;
        pthread_cond_signal(&p->work);
        rc = 0;
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}
