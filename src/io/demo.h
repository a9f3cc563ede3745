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
