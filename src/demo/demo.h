/*
 * demo.h - realistic demo data with patterns a RevOps lead would recognise.
 *
 * Three years of a B2B SaaS company: users with managers, accounts, deals,
 * churns tagged with root causes, recoveries, won-deal reviews, CS hours,
 * ARR movements, ICP versions and holidays.  Planted on purpose:
 *   - small teams (under 20 employees) without an ops function churn several
 *     times the base rate;
 *   - champions under 6 months in the role churn about twice as often;
 *   - one recent quarter in which wrong-ICP churn is over its 25% threshold.
 * The same options give the same data, row for row.
 */
#ifndef CL_DEMO_H
#define CL_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "../core/date.h"
#include "../core/err.h"
#include "../core/record.h"

/*
 * What happens on a day of the loop replay window (cl_demo_opts.loop_days):
 * a record that arrives then, or what a person does then.  The row is in
 * the canonical CSV cells of kind, in the column order of cl_kind_get(kind).
 */
typedef enum cl_demo_verb {
    CL_DEMO_ARRIVE,  /* the row is imported on the day: a deal (its open
                        version, or its close), a churn (untagged) */
    CL_DEMO_TAG,     /* a churns row: the CSM tags the churn with its cause
                        and texts */
    CL_DEMO_REVIEW,  /* a reviews row: the CSM records the won-deal review */
    CL_DEMO_CLASSIFY /* a recoveries row: the CSM classifies the recovery of
                        its new deal, which the engine linked on arrival */
} cl_demo_verb;

typedef struct cl_demo_act {
    cl_demo_verb verb;
    cl_day on; /* the day it happens */
    cl_kind kind;
    const char *const *cells;
    size_t n;
    const char *actor; /* who acts (a user id); NULL for ARRIVE */
} cl_demo_act;

/*
 * Receives one act of the replay window; the act and its strings are valid
 * only during the call (copy what you keep).  A non-OK return stops the
 * generation.
 */
typedef cl_err (*cl_demo_later)(void *ud, const cl_demo_act *act,
                                cl_error *err);

typedef struct cl_demo_opts {
    int64_t accounts; /* number of accounts; 0 means the default, 600 */
    uint64_t seed;    /* the same seed gives the same data */
    cl_day today;     /* the data ends the day before today */
    /* Extra pipeline deals, for benchmarks: when above the ~1.6 deals per
       account the simulation gives, each account also gets closed_lost or
       open `new` deals (ids d-xNNNNNNN, from their own random stream, so
       the rest of the data is unchanged) to reach about this many deals
       per account on average.  0 adds none. */
    double deals_per_account;
    /* The loop replay window: 0 (or no `later`) gives every record
       finished, as if imported today.  N > 0: what happens from today - N
       on (a deal created or closed, a churn, its tag, a won-deal review, a
       recovery of a deal created then) is handed to `later` as acts with
       their day, instead of arriving finished through `emit`; records from
       before stay in `emit`, in the state they had on the window's first
       day (an open deal, an untagged churn).  The data is the same either
       way: replaying the acts in day order gives the records `emit` gives
       without a window. */
    int loop_days;
    cl_demo_later later; /* called with the ud of cl_demo_generate */
} cl_demo_opts;

/*
 * Receives one row as canonical CSV cells, in the column order of
 * cl_kind_get(kind); an empty string is an unknown value.  Rows of one kind
 * arrive together, kinds in dependency order: holidays, users, icp,
 * accounts, deals, churns, recoveries, reviews, cs_hours, arr_movements.
 * A non-OK return stops the generation and is returned by cl_demo_generate.
 */
typedef cl_err (*cl_demo_emit)(void *ud, cl_kind kind, const char *const *cells,
                               size_t n, cl_error *err);

cl_err cl_demo_generate(const cl_demo_opts *opts, cl_demo_emit emit, void *ud,
                        cl_error *err);

#endif
