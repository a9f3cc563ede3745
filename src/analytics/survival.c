/*
 * survival.c - Kaplan-Meier curves and the log-rank test (see survival.h
 * and docs/statistics.md).
 */
#include "survival.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* R's tolerance for "S equals 0.5": sqrt(.Machine$double.eps). */
#define MEDIAN_TOL 1.4901161193847656e-08

static cl_err
check_obs(const double *time, const int *event, size_t n, const char *who,
          cl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!(time[i] >= 0.0) || !isfinite(time[i]))
            return cl_error_set(err, CL_EINVAL,
                                "%s: time %zu is %g, not a duration", who, i,
                                time[i]);
        if (event[i] != 0 && event[i] != 1)
            return cl_error_set(err, CL_EINVAL,
                                "%s: event %zu is %d, not 0 or 1", who, i,
                                event[i]);
    }
    return CL_OK;
}

/* Sorting an index array by time: qsort has no context argument, so the
 * items carry their time. */
typedef struct obs {
    double time;
    size_t i;
} obs;

static int
obs_cmp(const void *x, const void *y)
{
    const obs *a = x, *b = y;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Times that are whole numbers up to this (days, in practice) are sorted
   by counting, in O(n + range) instead of O(n log n). */
#define COUNT_SORT_MAX 4194304.0

/*
 * A counting sort of whole-number times: stable, so ties stay in index
 * order, the order obs_cmp gives.  Returns 0, or -1 when the times are not
 * all whole numbers in [0, COUNT_SORT_MAX] or memory is short (the caller
 * then sorts with qsort).  Checked times are finite and non-negative.
 */
static int
counting_sort(obs *o, const double *time, size_t n)
{
    double hi = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (time[i] != floor(time[i]) || !(time[i] <= COUNT_SORT_MAX))
            return -1;
        if (time[i] > hi)
            hi = time[i];
    }
    /* Not worth it for a few subjects over a long range. */
    if (hi > 8.0 * (double)n + 4096.0)
        return -1;
    size_t range = (size_t)hi + 1;
    size_t *at = calloc(range + 1, sizeof *at);
    if (!at)
        return -1;
    for (size_t i = 0; i < n; i++)
        at[(size_t)time[i] + 1]++;
    for (size_t t = 1; t <= range; t++)
        at[t] += at[t - 1];
    for (size_t i = 0; i < n; i++)
        o[at[(size_t)time[i]]++] = (obs){time[i], i};
    free(at);
    return 0;
}

static obs *
sorted_obs(const double *time, size_t n)
{
    obs *o = malloc(n * sizeof *o);
    if (!o)
        return NULL;
    if (counting_sort(o, time, n) == 0)
        return o;
    for (size_t i = 0; i < n; i++)
        o[i] = (obs){time[i], i};
    qsort(o, n, sizeof *o, obs_cmp);
    return o;
}

/* R's survfit_confint(conf.type = "log-log"); NA (here NaN) at S of 0 or 1. */
static void
loglog_bounds(double s, double se, double z, double *lo, double *hi)
{
    if (!(s > 0.0 && s < 1.0) || !isfinite(se)) {
        *lo = NAN;
        *hi = NAN;
        return;
    }
    double ls = log(s);
    double w = z * se / ls; /* negative */
    double c = log(-ls);
    *lo = exp(-exp(c - w));
    *hi = exp(-exp(c + w));
}

cl_err
cl_km_fit(const double *time, const int *event, size_t n, double z, cl_km *out,
          cl_error *err)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return cl_error_set(err, CL_EINVAL, "kaplan-meier: no observations");
    if (!(z > 0.0) || !isfinite(z))
        return cl_error_set(err, CL_EINVAL, "kaplan-meier: z must be positive");
    cl_err rc = check_obs(time, event, n, "kaplan-meier", err);
    if (rc != CL_OK)
        return rc;
    obs *o = sorted_obs(time, n);
    if (!o)
        return cl_error_set(err, CL_ENOMEM, "kaplan-meier: out of memory");
    size_t ndist = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || o[i].time != o[i - 1].time)
            ndist++;
    cl_km_step *st = malloc(ndist * sizeof *st);
    if (!st) {
        free(o);
        return cl_error_set(err, CL_ENOMEM, "kaplan-meier: out of memory");
    }
    double s = 1.0, cumvar = 0.0;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        double t = o[i].time;
        double risk = (double)(n - i), d = 0.0, cens = 0.0;
        for (; i < n && o[i].time == t; i++) {
            if (event[o[i].i])
                d += 1.0;
            else
                cens += 1.0;
        }
        /* All d events happen with all `risk` subjects present, the
         * censored ones of this time included: events before censorings. */
        if (d > 0.0) {
            s *= 1.0 - d / risk;
            cumvar = risk > d ? cumvar + d / (risk * (risk - d)) : INFINITY;
        }
        cl_km_step *p = &st[k++];
        p->time = t;
        p->n_risk = risk;
        p->n_event = d;
        p->n_censor = cens;
        p->surv = s;
        p->std_err = sqrt(cumvar);
        p->var = isinf(cumvar) ? NAN : s * s * cumvar;
        loglog_bounds(s, p->std_err, z, &p->lower, &p->upper);
    }
    free(o);
    out->n = n;
    out->n_steps = ndist;
    out->steps = st;
    out->z = z;
    return CL_OK;
}

void
cl_km_free(cl_km *km)
{
    if (!km)
        return;
    free(km->steps);
    memset(km, 0, sizeof *km);
}

void
cl_km_at(const cl_km *km, double t, cl_km_point *out)
{
    if (isnan(t)) {
        *out = (cl_km_point){NAN, NAN, NAN, NAN, NAN, NAN};
        return;
    }
    /* Binary search: the number of steps with time <= t. */
    size_t lo = 0, hi = km->n_steps;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (km->steps[mid].time <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) {
        out->surv = 1.0;
        out->std_err = 0.0;
        out->se_surv = 0.0;
        out->lower = 1.0;
        out->upper = 1.0;
        out->n_risk = (double)km->n;
        return;
    }
    const cl_km_step *p = &km->steps[lo - 1];
    out->surv = p->surv;
    out->std_err = p->std_err;
    out->se_surv = sqrt(p->var);
    out->lower = p->lower;
    out->upper = p->upper;
    /* At risk at t: everyone from the first step at or after t on. */
    if (p->time == t)
        out->n_risk = p->n_risk;
    else if (lo < km->n_steps)
        out->n_risk = km->steps[lo].n_risk;
    else
        out->n_risk = 0.0;
}

/*
 * R's minmin() in survival:::survmean: among the steps whose y is not NA
 * and below 0.5 + tol, the first; if that one is 0.5 within tol and a later
 * one is lower, the midpoint of the two times.  which: 0 surv, 1 lower,
 * 2 upper.
 */
static double
km_minmin(const cl_km *km, int which)
{
    size_t first = km->n_steps;
    double y1 = 0.0;
    for (size_t i = 0; i < km->n_steps; i++) {
        const cl_km_step *p = &km->steps[i];
        double y = which == 0 ? p->surv : which == 1 ? p->lower : p->upper;
        if (isnan(y) || !(y < 0.5 + MEDIAN_TOL))
            continue;
        if (first == km->n_steps) {
            first = i;
            y1 = y;
            if (!(fabs(y1 - 0.5) < MEDIAN_TOL))
                return p->time;
        } else if (y < y1) {
            return (km->steps[first].time + p->time) / 2.0;
        }
    }
    return first == km->n_steps ? NAN : km->steps[first].time;
}

void
cl_km_median(const cl_km *km, double *median, double *lower, double *upper)
{
    if (median)
        *median = km_minmin(km, 0);
    if (lower)
        *lower = km_minmin(km, 1);
    if (upper)
        *upper = km_minmin(km, 2);
}

/*
 * Solves v x = b for the m x m symmetric matrix v (row-major, overwritten)
 * by Gaussian elimination with partial pivoting; b is overwritten by x.
 * Returns -1 if v is singular to working precision.
 */
static int
solve(double *v, double *b, size_t m)
{
    double scale = 0.0;
    for (size_t i = 0; i < m * m; i++)
        scale = fmax(scale, fabs(v[i]));
    for (size_t c = 0; c < m; c++) {
        size_t piv = c;
        for (size_t r = c + 1; r < m; r++)
            if (fabs(v[r * m + c]) > fabs(v[piv * m + c]))
                piv = r;
        if (!(fabs(v[piv * m + c]) > 1e-12 * scale))
            return -1;
        if (piv != c) {
            for (size_t j = 0; j < m; j++) {
                double tmp = v[c * m + j];
                v[c * m + j] = v[piv * m + j];
                v[piv * m + j] = tmp;
            }
            double tmp = b[c];
            b[c] = b[piv];
            b[piv] = tmp;
        }
        for (size_t r = c + 1; r < m; r++) {
            double f = v[r * m + c] / v[c * m + c];
            for (size_t j = c; j < m; j++)
                v[r * m + j] -= f * v[c * m + j];
            b[r] -= f * b[c];
        }
    }
    for (size_t c = m; c-- > 0;) {
        double sum = b[c];
        for (size_t j = c + 1; j < m; j++)
            sum -= v[c * m + j] * b[j];
        b[c] = sum / v[c * m + c];
    }
    return 0;
}

cl_err
cl_logrank_test(const double *time, const int *event, const size_t *group,
                size_t n, size_t k, cl_logrank *out, double *observed,
                double *expected, cl_error *err)
{
    if (k < 2)
        return cl_error_set(err, CL_EINVAL, "log-rank: need 2 or more groups");
    cl_err rc = check_obs(time, event, n, "log-rank", err);
    if (rc != CL_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (group[i] >= k)
            return cl_error_set(err, CL_EINVAL,
                                "log-rank: group %zu is %zu, not below %zu", i,
                                group[i], k);
    obs *o = sorted_obs(time, n);
    /* risk, deaths, obs, exp: k each; var: k x k; then the reduced system. */
    double *buf = calloc(4 * k + 2 * k * k + k, sizeof *buf);
    size_t *keep = malloc(k * sizeof *keep);
    if (!o || !buf || !keep) {
        rc = cl_error_set(err, CL_ENOMEM, "log-rank: out of memory");
        goto out;
    }
    double *risk = buf, *dth = risk + k, *ob = dth + k, *ex = ob + k;
    double *var = ex + k, *vv = var + k * k, *dv = vv + k * k;
    for (size_t i = 0; i < n; i++)
        risk[group[i]] += 1.0;

    double ntot = (double)n;
    for (size_t i = 0; i < n;) {
        double t = o[i].time;
        size_t j = i;
        double d = 0.0;
        for (size_t g = 0; g < k; g++)
            dth[g] = 0.0;
        for (; j < n && o[j].time == t; j++)
            if (event[o[j].i]) {
                dth[group[o[j].i]] += 1.0;
                d += 1.0;
            }
        if (d > 0.0) {
            for (size_t g = 0; g < k; g++) {
                ob[g] += dth[g];
                ex[g] += d * risk[g] / ntot;
            }
            /* Hypergeometric variance of the deaths split across groups;
             * a single subject at risk contributes none. */
            if (ntot > 1.0) {
                double kk = d * (ntot - d) / (ntot * (ntot - 1.0));
                for (size_t g = 0; g < k; g++) {
                    var[g * k + g] += risk[g] * kk;
                    for (size_t h = 0; h < k; h++)
                        var[g * k + h] -= risk[g] * risk[h] * kk / ntot;
                }
            }
        }
        /* Everyone observed at t, events and censorings, leaves now. */
        for (; i < j; i++) {
            risk[group[o[i].i]] -= 1.0;
            ntot -= 1.0;
        }
    }

    /* R: keep the groups with expected > 0, drop the first of them. */
    size_t m = 0;
    for (size_t g = 0; g < k; g++)
        if (ex[g] > 0.0)
            keep[m++] = g;
    out->statistic = 0.0;
    out->df = m > 0 ? (double)(m - 1) : 0.0;
    if (m >= 2) {
        size_t r = m - 1;
        for (size_t a = 0; a < r; a++) {
            dv[a] = ob[keep[a + 1]] - ex[keep[a + 1]];
            for (size_t b = 0; b < r; b++)
                vv[a * r + b] = var[keep[a + 1] * k + keep[b + 1]];
        }
        double *x = vv + r * r; /* spare room: vv has k * k >= r * r + r */
        memcpy(x, dv, r * sizeof *x);
        if (solve(vv, x, r) != 0) {
            rc = cl_error_set(err, CL_EINVAL,
                              "log-rank: singular variance matrix");
            goto out;
        }
        double chi = 0.0;
        for (size_t a = 0; a < r; a++)
            chi += x[a] * dv[a];
        out->statistic = chi;
    }
    out->p =
        out->df > 0.0 ? cl_stats_pchisq_upper(out->statistic, out->df) : 1.0;
    if (observed)
        memcpy(observed, ob, k * sizeof *ob);
    if (expected)
        memcpy(expected, ex, k * sizeof *ex);
out:
    free(o);
    free(buf);
    free(keep);
    return rc;
}
