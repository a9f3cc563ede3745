/*
 * patterns.h - pattern discovery: which profiles are over-represented among
 * churned customers (or recovered, or lost deals).
 *
 * Subgroup discovery over account and deal attributes: numeric attributes
 * are binned (metrics.h bands, or quantiles), conjunctions of up to three
 * conditions are searched, each candidate is tested with Fisher's exact test
 * and the p-values are corrected with Benjamini-Hochberg; results are ranked
 * by weighted relative accuracy.
 */
#ifndef CL_PATTERNS_H
#define CL_PATTERNS_H

#include <jansson.h>
#include <stddef.h>

#include "snapshot.h"

typedef enum cl_pattern_target {
    CL_TARGET_CHURN,    /* customers; target: churned */
    CL_TARGET_RECOVERY, /* closed_lost new deals; target: recovered later */
    CL_TARGET_LOST      /* closed new deals; target: closed_lost */
} cl_pattern_target;

/* "churn", "recovery", "lost"; and back (-1 when unknown). */
const char *cl_pattern_target_name(cl_pattern_target t);
int cl_pattern_target_parse(const char *name);

/*
 * Populations (docs/metrics.md, "Pattern discovery"):
 *   churn     customers started on or before today; target: churned on or
 *             before today.  With a period P: customers started before P
 *             and not churned before P; target: churned within P.
 *   recovery  closed_lost `new` deals closed on or before today (within P
 *             if given); target: the original deal of a recovery.
 *   lost      closed `new` deals closed on or before today (within P if
 *             given); target: closed_lost.
 * today == CL_DAY_NONE means no limit.
 */
typedef struct cl_pattern_opts {
    cl_pattern_target target;
    int has_period; /* restrict to period */
    cl_period period;
    cl_day today;
    size_t min_support;  /* 0: a default scaled to the population */
    size_t max_patterns; /* 0: 20 */
    double max_q;        /* report patterns with q below this; 0: 0.05 */
    /* 1: the viewer may read (and so count on) every review's private
       answers; only then is gut_read searched (docs/visibility.md). */
    int private_answers;
} cl_pattern_opts;

/*
 * One condition, readable as ICP criteria text (core/icp_expr.h) except for
 * `in` on a number: employees, champion_tenure_months, icp_fit_score and
 * arr take = != < <= > >= with a number, and `in` with "LO-HI", both ends
 * inclusive (the band label "20-49"); champion_level takes a level name and
 * is ordered ic < manager < director < vp < c_level; has_ops_function and
 * exec_sponsor take = != with true or false; industry, region, source and
 * use_case take = != with a value and `in` with "a;b;c".  From the deal's
 * won-deal review: promises (Q4) is "concrete" when the answer names a
 * commitment (not generic, review_answer.h) and "none" otherwise;
 * gut_read (Q7) is positive, neutral or worried; both take = != and `in`
 * like text.  An unknown value (no review) never matches.
 */
typedef struct cl_condition {
    const char *field; /* canonical column, e.g. "employees" */
    const char *op;    /* "=", "!=", "<", "<=", ">", ">=", "in" */
    const char *value; /* e.g. "20", "false", "20-49", "ic;manager" */
    int attr, level;   /* internal: which attribute and which bin */
} cl_condition;

typedef struct cl_pattern {
    size_t nconditions;
    cl_condition conditions[3];
    size_t count;        /* population members matching */
    size_t target_count; /* of them, with the target */
    double rate, lift, p_value, q_value, quality;
    char description[320]; /* in cohort language, no names */
} cl_pattern;

typedef struct cl_pattern_result {
    cl_pattern_target target;
    int has_period;
    cl_period period;
    size_t population, targets;
    double base_rate;   /* NaN for an empty population */
    size_t min_support; /* the one used */
    size_t tested;      /* candidates tested: the BH family */
    size_t npatterns;
    cl_pattern *patterns; /* best first */
    struct cl_pattern_int *in;
} cl_pattern_result;

/*
 * Finds the patterns.  Returns CL_OK, CL_EINVAL for a bad target or
 * CL_ENOMEM.  On CL_OK the caller frees *out with cl_patterns_free (the
 * conditions' strings live in it).
 */
cl_err cl_patterns_find(const cl_snapshot *s, const cl_pattern_opts *o,
                        cl_pattern_result *out, cl_error *err);
void cl_patterns_free(cl_pattern_result *r);

/* 1 if open (or any) deal d and its account satisfy every condition of p,
   0 if not, -1 when an unknown value decides it. */
int cl_pattern_matches_deal(const cl_snapshot *s, const cl_pattern *p,
                            int32_t d);

/*
 * The JSON of the contract: target, period (label or null), population,
 * targets, base_rate, min_support, tested, patterns (each: conditions of
 * field/op/value, count, target_count, rate, lift, p_value, q_value,
 * quality, description), best first.  A new reference, or NULL when out of
 * memory.
 */
json_t *cl_patterns_json(const cl_pattern_result *r);

#endif
