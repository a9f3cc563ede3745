/*
 * stats.h - proportions, ratios and significance tests for the reports.
 *
 * Pure computation: no I/O, no clock, no global state, so every function is
 * safe to call from any thread.  Each method matches the R function named in
 * its comment to 1e-6 or better; docs/statistics.md gives the formulas, the
 * conventions for zero counts and the R calls that verify them.
 *
 * Counts are uint64_t (a count is never negative); test inputs that R also
 * accepts as non-integers (chi-square cells) are doubles.  Intervals take the
 * normal quantile z rather than a confidence level, so the common case is the
 * exact constant CL_STATS_Z95 and any other level is cl_stats_qnorm(...).
 */
#ifndef CL_STATS_H
#define CL_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"

/* qnorm(0.975): the z of a two-sided 95% interval. */
#define CL_STATS_Z95 1.959963984540054

/* A point estimate with its interval; NaN where a value is undefined. */
typedef struct cl_interval {
    double est;
    double lo;
    double hi;
} cl_interval;

/*
 * Standard normal distribution function P(Z <= x), R's pnorm(x).  Accurate
 * to a few ulps over the whole line (it is erfc from libm).
 */
double cl_stats_pnorm(double x);

/*
 * Standard normal upper tail P(Z > x), R's pnorm(x, lower.tail = FALSE),
 * without the cancellation of 1 - cl_stats_pnorm(x) for large x.
 */
double cl_stats_pnorm_upper(double x);

/*
 * Standard normal quantile, R's qnorm(p) (Wichura's algorithm AS 241, the
 * one R uses; relative error about 1e-16).  Returns -INFINITY for p == 0,
 * INFINITY for p == 1 and NaN for p outside [0, 1] or NaN.
 */
double cl_stats_qnorm(double p);

/*
 * Wilson score interval for the proportion k/n.
 *
 *   k, n  successes and trials, k <= n.
 *   z     normal quantile, e.g. CL_STATS_Z95.
 *   out   est = k/n, lo and hi the Wilson bounds (without continuity
 *         correction; R's prop.test(correct = FALSE) gives the same bounds).
 *
 * n == 0 is defined, not an error: nothing is known, so est is NaN and the
 * interval is the whole range [0, 1].
 * Returns CL_OK, or CL_EINVAL if k > n or z is not positive and finite.
 */
cl_err cl_stats_wilson(uint64_t k, uint64_t n, double z, cl_interval *out,
                       cl_error *err);

/*
 * Ratio of two proportions (risk ratio) (a/n1) / (c/n2) with the log-method
 * interval exp(log(RR) +/- z * SE), SE = sqrt(1/a - 1/n1 + 1/c - 1/n2).
 *
 * Zero counts: when a or c is 0 the log method is undefined, so 0.5 is added
 * to every cell of the 2x2 table (a and c gain 0.5, n1 and n2 gain 1; the
 * Haldane-Anscombe correction) for the estimate and the interval alike, and
 * *corrected is set to 1.  When n1 or n2 is 0 there is no rate to compare:
 * est, lo and hi are NaN and CL_OK is returned.
 *
 *   corrected  may be NULL; receives 1 if the correction was applied.
 * Returns CL_OK, or CL_EINVAL if a > n1, c > n2 or z is not positive.
 */
cl_err cl_stats_risk_ratio(uint64_t a, uint64_t n1, uint64_t c, uint64_t n2,
                           double z, cl_interval *out, int *corrected,
                           cl_error *err);

/*
 * Ratio of two rates (events per unit of exposure) (a/t1) / (c/t2), with
 * the log-method interval, SE = sqrt(1/a + 1/c).  When a or c is 0, 0.5 is
 * added to both event counts (exposures unchanged) and *corrected is set.
 * Exposures must be positive and finite.
 * Returns CL_OK or CL_EINVAL.
 */
cl_err cl_stats_rate_ratio(uint64_t a, double t1, uint64_t c, double t2,
                           double z, cl_interval *out, int *corrected,
                           cl_error *err);

/*
 * Fisher's exact test, two-sided, for the 2x2 table
 *
 *        | col 1 | col 2
 *   row 1|   a   |   b
 *   row 2|   c   |   d
 *
 * The p-value is R's fisher.test(matrix(c(a, c, b, d), 2))$p.value: the sum
 * of the hypergeometric probabilities that are <= the observed table's,
 * with relative tolerance 1e-7.  Works in log space (lgamma) and only visits
 * the terms that matter, so the cost grows with the square root of the
 * counts, not the counts: tables with hundreds of thousands are fast.
 * p-values below about 1e-300 come back as 0, as in R.
 *
 * Returns CL_OK (a table with a zero margin has p = 1), or CL_EINVAL if the
 * total exceeds 2^53 (doubles could no longer count it exactly).
 */
cl_err cl_stats_fisher_2x2(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                           double *p, cl_error *err);

/*
 * Benjamini-Hochberg adjusted p-values (q-values), R's
 * p.adjust(p, method = "BH").  q[i] belongs to p[i] (the input order is
 * kept); q and p may be the same array.  NaN entries stay NaN and are not
 * counted in n, as R does with NA.
 *
 * Returns CL_OK, CL_EINVAL if a p-value is outside [0, 1], or CL_ENOMEM.
 * Allocates a temporary index array of n entries and frees it.
 */
cl_err cl_stats_bh(const double *p, size_t n, double *q, cl_error *err);

/* The result of a chi-square test. */
typedef struct cl_chisq {
    double statistic; /* sum of (observed - expected)^2 / expected */
    double df;        /* (r - 1) * (c - 1) */
    double p;         /* upper tail of the chi-square distribution */
} cl_chisq;

/*
 * Pearson's chi-square test of independence for an r x c table, R's
 * chisq.test(m, correct = FALSE) (no continuity correction, also for 2x2).
 *
 *   counts  r * c non-negative cells, row-major: counts[i * c + j].
 *   r, c    at least 2 each.
 *
 * Returns CL_OK, or CL_EINVAL for a negative or non-finite cell, r or c
 * below 2, or a row or column whose total is 0 (its expected counts would be
 * 0; R answers NaN there).
 */
cl_err cl_stats_chisq(const double *counts, size_t r, size_t c, cl_chisq *out,
                      cl_error *err);

/*
 * Upper tail of the chi-square distribution with df degrees of freedom,
 * R's pchisq(x, df, lower.tail = FALSE).  NaN for df <= 0 or x NaN.
 */
double cl_stats_pchisq_upper(double x, double df);

/*
 * Regularised incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x)
 * for a > 0, x >= 0: R's pgamma(x, a) and pgamma(x, a, lower.tail = FALSE).
 * Series for x < a + 1, Lentz's continued fraction otherwise (Numerical
 * Recipes, 6.2), so neither is computed as 1 minus the other.  NaN for
 * arguments outside the domain.
 */
double cl_stats_gamma_p(double a, double x);
double cl_stats_gamma_q(double a, double x);

#endif
