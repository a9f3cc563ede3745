/*
 * demo_loop.h - the demo workspace's loop, replayed: months of the engine
 * having run, so the demo shows done and overdue tasks, AE notifications,
 * debriefs with their process change and check-in, closed quarterly
 * sessions and classified recoveries.
 *
 * The generator (demo.h) hands the records and acts of its replay window
 * to cl_demo_loop_add instead of importing them finished.  cl_demo_loop_run
 * then walks the window's business days in order; on each day D:
 *
 *   1. the records that arrive by D are imported (deals opened or closed,
 *      churns), one import per kind, at D 08:00;
 *   2. cl_engine_tick at D 09:00 (tasks, sessions on their cadence,
 *      thresholds, pipeline flags, reminders, escalations);
 *   3. the acts of the generator due by D, at D 10:00: churn tags
 *      (cl_engine_churn_tag), won-deal reviews (cl_engine_review_record),
 *      recovery classifications (cl_engine_recovery_classify);
 *   4. simulated people, at D 11:00 to 15:00: they mark their open tasks
 *      done (most on time, some late, a few never: cl_demo_loop_act_day),
 *      hold the open sessions a few business days after they open
 *      (decisions; a debrief's one process change; close) and check in on
 *      process changes.
 *
 * Every call goes through the engine or the importer, as the matching CLI
 * command would, with D's clock: nothing reads the system clock, and the
 * same acts and seed give the same workspace.
 */
#ifndef CL_DEMO_LOOP_H
#define CL_DEMO_LOOP_H

#include <stdint.h>

#include "../engine/engine.h"
#include "demo.h"

/* A day that never comes: the task is left undone. */
#define CL_DEMO_NEVER ((cl_day)INT32_MAX)

typedef struct cl_demo_loop cl_demo_loop;

typedef struct cl_demo_loop_stats {
    int days;       /* business days replayed */
    int arrivals;   /* rows imported on their day */
    int tags;       /* churns tagged */
    int reviews;    /* won-deal reviews recorded */
    int recoveries; /* recoveries classified */
    int tasks_done; /* tasks people marked done (`tasks done`) */
    int decisions;  /* session decisions */
    int changes;    /* process changes recorded */
    int checkins;   /* process-change check-ins */
    int closed;     /* sessions closed */
    int skipped;    /* acts the engine refused (see first_skip) */
    char first_skip[512];
    /* At the end of the replay: the workspace's tasks. */
    int done_tasks;
    int open_tasks;
    int overdue_tasks;      /* open with a due day before the last day */
    cl_engine_stats engine; /* what every engine call applied, summed */
} cl_demo_loop_stats;

/* A new, empty replay for the generator's seed; NULL when out of memory.
   Free with cl_demo_loop_free. */
cl_demo_loop *cl_demo_loop_new(uint64_t seed);

void cl_demo_loop_free(cl_demo_loop *loop);

/*
 * Keeps a copy of act (a cl_demo_later of the generator; pass the loop as
 * ud, or call it from one).  CL_ENOMEM when out of memory.
 */
cl_err cl_demo_loop_add(void *loop, const cl_demo_act *act, cl_error *err);

/*
 * Replays the business days from `from` to `last` (both included) into st,
 * a workspace that holds the generator's other rows.  stats is filled
 * (zeroed first).  Returns CL_OK, or the first error that stops it
 * (CL_EDB, CL_ENOMEM, CL_EINVAL for a bad row of the generator); an act
 * the engine refuses is counted in stats->skipped and the replay goes on.
 * The planner's statistics are refreshed every 20 business days and at
 * the end (cl_store_analyze_all); those of st's rows before the first day
 * are the caller's to refresh.
 */
cl_err cl_demo_loop_run(cl_demo_loop *loop, cl_store *st, cl_day from,
                        cl_day last, cl_demo_loop_stats *stats, cl_error *err);

/*
 * The day a simulated person acts on work opened on `opened` and due on
 * `due`: about 72% on time (0 to 3 business days before the due day, not
 * before it opened), 20% late (1 to 8 business days after), 8% never
 * (CL_DEMO_NEVER).  The same seed and key (the work's stable name, e.g.
 * "task:debrief:c-000123:u-ae-4") give the same day.  Pure.
 */
cl_day cl_demo_loop_act_day(uint64_t seed, const char *key,
                            const cl_calendar *cal, cl_day opened, cl_day due);

#endif
