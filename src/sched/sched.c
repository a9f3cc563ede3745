/*
 * sched.c - the scheduler's rule and its thread.
 */
#include "sched.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../engine/engine.h"
#include "../notify/notify.h"
#include "../store/store.h"

void
cl_sched_due(const cl_sched_opts *o, cl_sched_state *st, cl_time now,
             int utc_offset, int *tick, int *deliver)
{
    *tick = 0;
    *deliver = 0;
    if (o->tick_hour >= 0) {
        cl_time local = now + utc_offset;
        cl_day day = cl_time_day(local);
        int hour_passed = (local - (cl_time)day * 86400) / 3600 >= o->tick_hour;
        if (!st->started || (day != st->last_tick && hour_passed)) {
            *tick = 1;
            if (st->started || hour_passed)
                st->last_tick = day;
            st->started = 1;
        }
    }
    if (o->deliver_seconds > 0 &&
        now - st->last_deliver >= o->deliver_seconds) {
        *deliver = 1;
        st->last_deliver = now;
    }
}

struct cl_sched {
    cl_sched_opts o;
    char *db;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int stopping;
};

/* Waits up to seconds; 1 when the scheduler is stopping. */
static int
wait_stop(cl_sched *s, int seconds)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += seconds;
    pthread_mutex_lock(&s->lock);
    while (!s->stopping &&
           pthread_cond_timedwait(&s->cond, &s->lock, &ts) != ETIMEDOUT)
        ;
    int stop = s->stopping;
    pthread_mutex_unlock(&s->lock);
    return stop;
}

static void *
run(void *arg)
{
    cl_sched *s = arg;
    cl_sched_state state = {0, -1, 0};
    cl_error err;
    cl_store *st;
    cl_error_clear(&err);
    if (cl_store_open(s->db, &st, &err) != CL_OK) {
        fprintf(stderr, "closeloop serve: scheduler: %s\n", err.msg);
        return NULL;
    }
    /* The workspace's zone, read again each minute: RevOps may change it
       while the server runs. */
    cl_tz zone;
    cl_time zone_read = 0;
    cl_tz_utc(&zone);
    do {
        cl_time now = s->o.now(s->o.now_ud);
        int tick, deliver;
        if (zone_read == 0 || now - zone_read >= 60 || now < zone_read) {
            cl_error_clear(&err);
            if (cl_engine_zone(st, &zone, &err) != CL_OK)
                fprintf(stderr, "closeloop serve: timezone: %s\n", err.msg);
            zone_read = now;
        }
        cl_sched_due(&s->o, &state, now, cl_tz_offset(&zone, now), &tick,
                     &deliver);
        if (tick) {
            cl_engine_stats stats = {0};
            cl_error_clear(&err);
            if (cl_engine_tick(st, now, &stats, &err) != CL_OK)
                fprintf(stderr, "closeloop serve: tick: %s\n", err.msg);
            else if (!s->o.quiet)
                fprintf(stderr,
                        "tick: %d tasks, %d notifications, %d sessions\n",
                        stats.tasks, stats.notifications, stats.sessions);
        }
        if (deliver && s->o.sweep) {
            cl_error_clear(&err);
            if (s->o.sweep(st, now, s->o.sweep_ud, &err) != CL_OK)
                fprintf(stderr, "closeloop serve: inbox: %s\n", err.msg);
        }
        if (deliver) {
            cl_notify_opts no = {.utc_offset = cl_tz_offset(&zone, now)};
            cl_notify_stats ns;
            cl_error_clear(&err);
            if (cl_notify_run(st, now, &no, &ns, &err) != CL_OK)
                fprintf(stderr, "closeloop serve: deliver: %s\n", err.msg);
        }
    } while (!wait_stop(s, 1));
    cl_store_close(st);
    return NULL;
}

cl_err
cl_sched_start(const cl_sched_opts *o, cl_sched **out, cl_error *err)
{
    *out = NULL;
    if (o->tick_hour < 0 && o->deliver_seconds <= 0)
        return CL_OK;
    cl_sched *s = calloc(1, sizeof *s);
    if (s == NULL || (s->db = strdup(o->db)) == NULL) {
        free(s);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    s->o = *o;
    s->o.db = s->db;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->cond);
        free(s->db);
        free(s);
        return cl_error_set(err, CL_EIO, "cannot start the scheduler thread");
    }
    *out = s;
    return CL_OK;
}

void
cl_sched_stop(cl_sched *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->cond);
    free(s->db);
    free(s);
}
