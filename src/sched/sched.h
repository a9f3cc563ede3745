/*
 * sched.h - the background scheduler of `closeloop serve`: the engine's
 * daily tick and outbox delivery, each on its own schedule, in one thread
 * with its own store connection.
 *
 * When a job is due is a pure rule (cl_sched_due, time as an argument); the
 * thread only reads the clock, asks the rule and runs what it says.
 */
#ifndef CL_SCHED_H
#define CL_SCHED_H

#include "../core/date.h"
#include "../core/err.h"
#include "../store/store.h"

typedef struct cl_sched_opts {
    const char *db;      /* the workspace url; copied */
    int tick_hour;       /* 0-23, the workspace's local hour; < 0: no tick */
    int deliver_seconds; /* <= 0: no delivery */
    int quiet;           /* 1: no line per tick on stderr */
    /* The clock the jobs run at, read once a round. */
    cl_time (*now)(void *ud);
    void *now_ud;
    /* Run before each delivery (NULL: none), on the scheduler's store: the
       server applies the inbox's events still pending, which a store
       failure in the request that received them left behind, so they are
       applied within deliver_seconds and their notices go out in the same
       round. */
    cl_err (*sweep)(cl_store *st, cl_time now, void *ud, cl_error *err);
    void *sweep_ud;
} cl_sched_opts;

/* What the rule remembers between rounds; zeroed before the first. */
typedef struct cl_sched_state {
    int started;      /* 1 once the start tick ran */
    cl_day last_tick; /* the day of the last scheduled tick, or -1 */
    cl_time last_deliver;
} cl_sched_state;

/*
 * The jobs due at now, given st (updated as if they ran): *tick is 1 for
 * the start tick (the first round, whatever the hour: what fell due while
 * the server was down is applied at once) and then once a day from
 * tick_hour on, of the workspace's local time (now + utc_offset seconds:
 * its day and hour, core/tz.h); *deliver is 1 every deliver_seconds.  The start
 * tick before the hour leaves that day's scheduled tick to come; the tick is
 * idempotent, so it finds only what became due since.
 */
void cl_sched_due(const cl_sched_opts *o, cl_sched_state *st, cl_time now,
                  int utc_offset, int *tick, int *deliver);

typedef struct cl_sched cl_sched;

/*
 * Starts the scheduler thread when o has a job (*out NULL otherwise).
 * CL_ENOMEM or CL_EIO (no thread) on failure.
 */
cl_err cl_sched_start(const cl_sched_opts *o, cl_sched **out, cl_error *err);

/* Stops the thread after its current job and frees s (NULL is ignored). */
void cl_sched_stop(cl_sched *s);

#endif
