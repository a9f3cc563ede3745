/*
 * store_schedule.h - sessions scheduled by hand for a day (issue 16,
 * schema v9): the rows the daily tick opens when their day comes.
 */
#ifndef CL_STORE_SCHEDULE_H
#define CL_STORE_SCHEDULE_H

#include "store.h"

typedef struct cl_store_schedule_row {
    const char *kind, *period, *open_on, *by_id, *created_at;
} cl_store_schedule_row;

typedef int (*cl_store_schedule_cb)(void *ud, const cl_store_schedule_row *r);

/* Every schedule, by the day it opens then kind and period. */
cl_err cl_store_schedules_each(cl_store *st, cl_store_schedule_cb cb, void *ud,
                               cl_error *err);

/* Schedules (kind, period) for open_on (YYYY-MM-DD), or moves its day;
   with its audit entry.  In a transaction. */
cl_err cl_store_schedule_set(cl_store *st, const char *kind, const char *period,
                             const char *open_on, const char *by_id,
                             cl_error *err);

#endif
