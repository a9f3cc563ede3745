/*
 * demo_loop_int.h - what the files of the demo's loop replay share
 * (demo_loop.c, demo_loop_people.c); not a public header.
 */
#ifndef CL_DEMO_LOOP_INT_H
#define CL_DEMO_LOOP_INT_H

#include "../core/strset.h"
#include "demo_int.h"
#include "demo_loop.h"

/* Seeds r for the loop's decision named key (same seed and key, same r). */
void cl__demo_loop_rng(rng *r, uint64_t seed, const char *key);

/*
 * rc when it stops the replay; CL_OK for a refusal of the engine
 * (CL_EINVAL, CL_ECONFLICT, CL_ENOTFOUND), counted in s->skipped with the
 * first message kept, err cleared.
 */
cl_err cl__demo_loop_soft(cl_demo_loop_stats *s, cl_err rc, cl_error *err);

/*
 * What the simulated people do on day d (after the tick and the
 * generator's acts): mark open tasks done, hold the open sessions, check
 * in on process changes, read their notifications.  reviewed: deals whose review a generator act
 * records (their task is done by it); no_review: a cache of won new deals
 * nobody reviews (their task stays open).
 */
cl_err cl__demo_loop_people(uint64_t seed, const cl_calendar *cal,
                            const cl_strset *reviewed, cl_strset *no_review,
                            cl_store *st, cl_day d, cl_demo_loop_stats *s,
                            cl_error *err);

#endif
