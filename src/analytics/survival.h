/*
 * survival.h - Kaplan-Meier curves and the log-rank test.
 *
 * Pure computation over (time, event) arrays: no I/O, no clock.  Each
 * result matches R's survival package (survfit with conf.type = "log-log",
 * survdiff) to 1e-6; docs/statistics.md has the formulas and the R calls.
 *
 * Conventions, all R's:
 *   - time is any non-negative finite duration (days, months); event is 1
 *     for the event (churn) and 0 for censored (still a customer).
 *   - At a time where events and censorings tie, the events happen first:
 *     the censored subjects still count as at risk for those events.
 *   - The curve has one step per distinct observed time, event or not, as
 *     survfit's default output does; steps with n_event == 0 leave S as is.
 */
#ifndef CL_SURVIVAL_H
#define CL_SURVIVAL_H

#include <stddef.h>

#include "../core/err.h"

/* One distinct observed time of a Kaplan-Meier curve. */
typedef struct cl_km_step {
    double time;
    double n_risk;   /* subjects with time >= this time */
    double n_event;  /* events at this time */
    double n_censor; /* censorings at this time */
    double surv;     /* S(time), the product-limit estimate */
    double std_err;  /* R's std.err: the standard error of -log S(time),
                        sqrt(sum of d / (n (n - d))) (Greenwood) */
    double var;      /* Greenwood variance of S itself, surv^2 std_err^2;
                        once S = 0, std_err is INFINITY and var NaN (R) */
    double lower;    /* log-log confidence bounds for S; NaN where R has */
    double upper;    /* NA: S = 1 (no event yet) or S = 0 */
} cl_km_step;

/* A Kaplan-Meier curve; create with cl_km_fit, release with cl_km_free. */
typedef struct cl_km {
    size_t n;          /* subjects */
    size_t n_steps;    /* distinct observed times */
    cl_km_step *steps; /* ascending in time, owned by the curve */
    double z;          /* the normal quantile the bounds were built with */
} cl_km;

/*
 * Fits the Kaplan-Meier estimate, R's
 * survfit(Surv(time, event) ~ 1, conf.type = "log-log").
 *
 *   time, event  n observations; event[i] is 0 (censored) or 1 (event).
 *   n            at least 1.
 *   z            normal quantile for the bounds, e.g. CL_STATS_Z95
 *                (stats.h); R's conf.int = 0.95.
 *   out          receives the curve.  On success the caller owns
 *                out->steps and releases them with cl_km_free(out); on
 *                failure *out is left empty (cl_km_free is still safe).
 *
 * Log-log bounds: exp(-exp(log(-log S) -/+ z std_err / log S)).
 * Returns CL_OK, CL_EINVAL (n == 0, a negative or non-finite time, an event
 * other than 0 or 1, z not positive) or CL_ENOMEM.
 */
cl_err cl_km_fit(const double *time, const int *event, size_t n, double z,
                 cl_km *out, cl_error *err);

/* Releases the steps of km and empties it.  km may be NULL. */
void cl_km_free(cl_km *km);

/* The curve evaluated at an arbitrary time. */
typedef struct cl_km_point {
    double surv;    /* S(t): the step function, right-continuous */
    double std_err; /* standard error of -log S(t), as in cl_km_step */
    double se_surv; /* standard error of S(t): R summary()'s std.err */
    double lower;   /* log-log bounds of the step t falls on (NaN where */
    double upper;   /* that step has NaN); [1, 1] before the first step */
    double n_risk;  /* subjects with time >= t */
} cl_km_point;

/*
 * S(t) with its bounds, R's summary(fit, times = t, extend = TRUE): the
 * values of the last step at or before t.  Before the first step S is 1
 * with bounds [1, 1] and std errors 0.  After the last observed time the curve
 * stays at its last value (R refuses such t unless extend = TRUE) and
 * n_risk is 0.  t must not be NaN; a NaN t gives NaN fields.
 */
void cl_km_at(const cl_km *km, double t, cl_km_point *out);

/*
 * Median survival with its interval, as print(fit) reports them in R
 * (survival:::survmean): the first time at which S <= 0.5; when S equals
 * 0.5 (within 1.5e-8) over a flat stretch and later drops below it, the
 * midpoint of that time and the time of the drop.  The bounds apply the
 * same rule to the lower and the upper curve.  Any of the three is NaN when
 * its curve never reaches 0.5 (R's NA).
 */
void cl_km_median(const cl_km *km, double *median, double *lower,
                  double *upper);

/* The result of a log-rank test. */
typedef struct cl_logrank {
    double statistic; /* chi-square */
    double df;        /* groups with expected events > 0, minus 1 */
    double p;         /* upper tail of chi-square(df) */
} cl_logrank;

/*
 * The log-rank test of equal survival in k groups, R's
 * survdiff(Surv(time, event) ~ group) (rho = 0).
 *
 *   group     n group numbers in [0, k).
 *   observed  NULL or k doubles: events per group.
 *   expected  NULL or k doubles: expected events per group under the null.
 *
 * As in R, groups with no expected events are left out of the statistic
 * and the df; with fewer than two groups left the statistic is 0, df 0 and
 * p 1.  Returns CL_OK, CL_EINVAL (bad time, event or group, k < 2, or a
 * singular variance matrix) or CL_ENOMEM.
 */
cl_err cl_logrank_test(const double *time, const int *event,
                       const size_t *group, size_t n, size_t k, cl_logrank *out,
                       double *observed, double *expected, cl_error *err);

#endif
