/*
 * stats.c - proportions, ratios and significance tests (see stats.h and
 * docs/statistics.md for the formulas and the R calls that check them).
 */
#include "stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

/* 2^53: beyond it a double no longer holds every integer. */
#define EXACT_INT_MAX 9007199254740992.0

double
cl_stats_pnorm(double x)
{
    return 0.5 * erfc(-x / M_SQRT2);
}

double
cl_stats_pnorm_upper(double x)
{
    return 0.5 * erfc(x / M_SQRT2);
}

/*
 * Lower-tail quantile for 0 < p <= 0.5.  A rational first guess
 * (Abramowitz and Stegun 26.2.23, error below 4.5e-4) is polished by Halley
 * steps on pnorm(x) - p.  Because erfc is accurate in the tail, each step
 * roughly cubes the relative error, so three steps reach full precision.
 */
static double
qnorm_lower(double p)
{
    double t = sqrt(-2.0 * log(p));
    double x =
        -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                  (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
    for (int i = 0; i < 4; i++) {
        double f = cl_stats_pnorm(x) - p;
        double dens = exp(-0.5 * x * x) / sqrt(2.0 * M_PI);
        if (dens == 0.0)
            break;
        double u = f / dens;
        double step = u / (1.0 + 0.5 * x * u);
        x -= step;
        if (fabs(step) <= 1e-17 * fabs(x))
            break;
    }
    return x;
}

double
cl_stats_qnorm(double p)
{
    if (isnan(p) || p < 0.0 || p > 1.0)
        return NAN;
    if (p == 0.0)
        return -INFINITY;
    if (p == 1.0)
        return INFINITY;
    if (p == 0.5)
        return 0.0;
    if (p < 0.5)
        return qnorm_lower(p);
    return -qnorm_lower(1.0 - p);
}

static int
bad_z(double z)
{
    return !(z > 0.0) || !isfinite(z);
}

cl_err
cl_stats_wilson(uint64_t k, uint64_t n, double z, cl_interval *out,
                cl_error *err)
{
    if (k > n)
        return cl_error_set(err, CL_EINVAL,
                            "wilson: %llu successes out of %llu trials",
                            (unsigned long long)k, (unsigned long long)n);
    if (bad_z(z))
        return cl_error_set(err, CL_EINVAL, "wilson: z must be positive");
    if (n == 0) {
        /* No trials: any proportion is possible, and there is no estimate. */
        out->est = NAN;
        out->lo = 0.0;
        out->hi = 1.0;
        return CL_OK;
    }
    double nn = (double)n;
    double ph = (double)k / nn;
    double z2 = z * z;
    double denom = 1.0 + z2 / nn;
    double centre = (ph + z2 / (2.0 * nn)) / denom;
    double half = z * sqrt(ph * (1.0 - ph) / nn + z2 / (4.0 * nn * nn)) / denom;
    out->est = ph;
    /* The bounds are exactly 0 and 1 at k = 0 and k = n; say so rather than
     * leave a rounding residue of 1e-17 for a report to print. */
    out->lo = k == 0 ? 0.0 : fmax(0.0, centre - half);
    out->hi = k == n ? 1.0 : fmin(1.0, centre + half);
    return CL_OK;
}

static void
set_nan(cl_interval *out)
{
    out->est = NAN;
    out->lo = NAN;
    out->hi = NAN;
}

cl_err
cl_stats_risk_ratio(uint64_t a, uint64_t n1, uint64_t c, uint64_t n2, double z,
                    cl_interval *out, int *corrected, cl_error *err)
{
    if (corrected)
        *corrected = 0;
    if (a > n1 || c > n2)
        return cl_error_set(err, CL_EINVAL,
                            "risk ratio: more events than subjects");
    if (bad_z(z))
        return cl_error_set(err, CL_EINVAL, "risk ratio: z must be positive");
    if (n1 == 0 || n2 == 0) {
        set_nan(out);
        return CL_OK;
    }
    double x1 = (double)a, m1 = (double)n1;
    double x2 = (double)c, m2 = (double)n2;
    if (a == 0 || c == 0) {
        /* Haldane-Anscombe: half a subject in each of the four cells. */
        x1 += 0.5;
        m1 += 1.0;
        x2 += 0.5;
        m2 += 1.0;
        if (corrected)
            *corrected = 1;
    }
    double lrr = log((x1 / m1) / (x2 / m2));
    double se = sqrt(1.0 / x1 - 1.0 / m1 + 1.0 / x2 - 1.0 / m2);
    out->est = exp(lrr);
    out->lo = exp(lrr - z * se);
    out->hi = exp(lrr + z * se);
    return CL_OK;
}

cl_err
cl_stats_rate_ratio(uint64_t a, double t1, uint64_t c, double t2, double z,
                    cl_interval *out, int *corrected, cl_error *err)
{
    if (corrected)
        *corrected = 0;
    if (!(t1 > 0.0) || !(t2 > 0.0) || !isfinite(t1) || !isfinite(t2))
        return cl_error_set(err, CL_EINVAL,
                            "rate ratio: exposure must be positive");
    if (bad_z(z))
        return cl_error_set(err, CL_EINVAL, "rate ratio: z must be positive");
    double x1 = (double)a, x2 = (double)c;
    if (a == 0 || c == 0) {
        x1 += 0.5;
        x2 += 0.5;
        if (corrected)
            *corrected = 1;
    }
    double lrr = log((x1 / t1) / (x2 / t2));
    double se = sqrt(1.0 / x1 + 1.0 / x2);
    out->est = exp(lrr);
    out->lo = exp(lrr - z * se);
    out->hi = exp(lrr + z * se);
    return CL_OK;
}

/*
 * Fisher's exact test.
 *
 * With the margins fixed (row totals r1, r2, first column total k, grand
 * total n), the top-left cell x is hypergeometric on [lo, hi] with
 * log-density f(x) = lchoose(r1, x) + lchoose(r2, k - x) up to a constant.
 * The density is log-concave, hence unimodal, and the ratio of neighbouring
 * terms falls monotonically away from the mode.  So:
 *   - the normaliser is the sum of terms walked out from the mode until the
 *     rest is provably negligible;
 *   - the terms no larger than the observed one form two tails, [lo, xl] and
 *     [xr, hi], whose inner ends are found by bisection on f;
 *   - each tail is walked outward from its inner end, again only until the
 *     rest is negligible.
 * Everything is scaled by the mode's term, so nothing overflows, and the
 * walks are O(sqrt(n)) terms long however far the observed table lies out.
 */
typedef struct hyper {
    double r1, r2, k;
    double lo, hi;
    double fmode; /* f at the mode, subtracted from every log-term */
} hyper;

static double
hyper_f(const hyper *h, double x)
{
    return -lgamma(x + 1.0) - lgamma(h->r1 - x + 1.0) - lgamma(h->k - x + 1.0) -
           lgamma(h->r2 - h->k + x + 1.0);
}

/* term(x + 1) / term(x) */
static double
ratio_up(const hyper *h, double x)
{
    return ((h->r1 - x) * (h->k - x)) / ((x + 1.0) * (h->r2 - h->k + x + 1.0));
}

/* term(x - 1) / term(x) */
static double
ratio_down(const hyper *h, double x)
{
    return (x * (h->r2 - h->k + x)) / ((h->r1 - x + 1.0) * (h->k - x + 1.0));
}

/*
 * Sum of the terms from x0 outward (dir = +1 up to hi, -1 down to lo), the
 * first being t0.  Stops once the remaining tail, bounded by the geometric
 * series of the current (and from here on larger-than-actual) ratio, is
 * below 1e-17 of the sum so far.
 */
static double
hyper_walk(const hyper *h, double x0, double t0, int dir)
{
    double sum = t0, t = t0, x = x0;
    for (;;) {
        if ((dir > 0 && x >= h->hi) || (dir < 0 && x <= h->lo))
            break;
        double r = dir > 0 ? ratio_up(h, x) : ratio_down(h, x);
        t *= r;
        x += dir;
        sum += t;
        if (t == 0.0 || (r < 1.0 && t * r / (1.0 - r) <= 1e-17 * sum))
            break;
    }
    return sum;
}

cl_err
cl_stats_fisher_2x2(uint64_t a, uint64_t b, uint64_t c, uint64_t d, double *p,
                    cl_error *err)
{
    double n = (double)a + (double)b + (double)c + (double)d;
    if (n > EXACT_INT_MAX)
        return cl_error_set(err, CL_EINVAL, "fisher: table total too large");
    hyper h;
    h.r1 = (double)a + (double)b;
    h.r2 = (double)c + (double)d;
    h.k = (double)a + (double)c;
    h.lo = fmax(0.0, h.k - h.r2);
    h.hi = fmin(h.r1, h.k);
    if (h.hi <= h.lo) {
        /* One possible table (a zero margin): it is the observed one. */
        *p = 1.0;
        return CL_OK;
    }
    double mode = floor((h.k + 1.0) * (h.r1 + 1.0) / (n + 2.0));
    mode = fmin(fmax(mode, h.lo), h.hi);
    h.fmode = hyper_f(&h, mode);
    double total =
        hyper_walk(&h, mode, 1.0, -1) + hyper_walk(&h, mode, 1.0, +1) - 1.0;

    /* R's rule: terms within a relative 1e-7 of the observed count as
     * equally extreme, so that ties broken by rounding still tie. */
    double x = (double)a;
    double thr = hyper_f(&h, x) - h.fmode + log1p(1e-7);
    double tail = 0.0;

    /* Left tail: the largest xl in [lo, mode] with f(xl) <= thr. */
    if (hyper_f(&h, h.lo) - h.fmode <= thr) {
        double lo = h.lo, hi = mode; /* f(lo) <= thr; find last such */
        if (hyper_f(&h, hi) - h.fmode <= thr)
            lo = hi;
        while (hi - lo > 1.0) {
            double mid = floor((lo + hi) / 2.0);
            if (hyper_f(&h, mid) - h.fmode <= thr)
                lo = mid;
            else
                hi = mid;
        }
        tail += hyper_walk(&h, lo, exp(hyper_f(&h, lo) - h.fmode), -1);
    }
    /* Right tail: the smallest xr in [mode + 1, hi] with f(xr) <= thr. */
    if (mode < h.hi && hyper_f(&h, h.hi) - h.fmode <= thr) {
        double lo = mode + 1.0, hi = h.hi; /* f(hi) <= thr; find first */
        if (hyper_f(&h, lo) - h.fmode <= thr)
            hi = lo;
        while (hi - lo > 1.0) {
            double mid = floor((lo + hi) / 2.0);
            if (hyper_f(&h, mid) - h.fmode <= thr)
                hi = mid;
            else
                lo = mid;
        }
        tail += hyper_walk(&h, hi, exp(hyper_f(&h, hi) - h.fmode), +1);
    }
    *p = fmin(1.0, tail / total);
    return CL_OK;
}

typedef struct bh_item {
    double p;
    size_t i;
} bh_item;

static int
bh_cmp(const void *x, const void *y)
{
    const bh_item *a = x, *b = y;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

cl_err
cl_stats_bh(const double *p, size_t n, double *q, cl_error *err)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(p[i]))
            continue;
        if (p[i] < 0.0 || p[i] > 1.0)
            return cl_error_set(err, CL_EINVAL,
                                "bh: p-value %zu is %g, outside [0, 1]", i,
                                p[i]);
        m++;
    }
    if (m == 0) {
        for (size_t i = 0; i < n; i++)
            q[i] = p[i];
        return CL_OK;
    }
    bh_item *it = malloc(m * sizeof *it);
    if (!it)
        return cl_error_set(err, CL_ENOMEM, "bh: out of memory");
    size_t j = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(p[i]))
            it[j++] = (bh_item){p[i], i};
    qsort(it, m, sizeof *it, bh_cmp);
    /* q of rank r (1-based, ascending) is min over s >= r of m p_(s) / s,
     * capped at 1: a running minimum from the largest p down.  All p have
     * been read into it[], so writing q in place of p is safe. */
    for (size_t i = 0; i < n; i++)
        if (isnan(p[i]))
            q[i] = p[i];
    double run = 1.0;
    for (size_t r = m; r > 0; r--) {
        double v = (double)m / (double)r * it[r - 1].p;
        if (v < run)
            run = v;
        q[it[r - 1].i] = run;
    }
    free(it);
    return CL_OK;
}

/*
 * Regularised incomplete gamma (Numerical Recipes 6.2): the series for P
 * converges fast when x < a + 1, the continued fraction for Q when x >= a + 1.
 * The iteration cap is generous because the number of terms grows like
 * sqrt(a); it is only reached for a far beyond any table's df.
 */
#define GAMMA_ITMAX 100000
#define GAMMA_EPS 1e-16
#define GAMMA_FPMIN (DBL_MIN / DBL_EPSILON)

static double
gamma_prefix(double a, double x)
{
    return exp(-x + a * log(x) - lgamma(a));
}

/* P(a, x) by its series; valid for all x, used for x < a + 1. */
static double
gamma_series(double a, double x)
{
    double ap = a, del = 1.0 / a, sum = del;
    for (int n = 0; n < GAMMA_ITMAX; n++) {
        ap += 1.0;
        del *= x / ap;
        sum += del;
        if (fabs(del) < fabs(sum) * GAMMA_EPS)
            break;
    }
    return sum * gamma_prefix(a, x);
}

/* Q(a, x) by the modified Lentz continued fraction, used for x >= a + 1. */
static double
gamma_cf(double a, double x)
{
    double b = x + 1.0 - a, c = 1.0 / GAMMA_FPMIN, d = 1.0 / b, h = d;
    for (int i = 1; i < GAMMA_ITMAX; i++) {
        double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (fabs(d) < GAMMA_FPMIN)
            d = GAMMA_FPMIN;
        c = b + an / c;
        if (fabs(c) < GAMMA_FPMIN)
            c = GAMMA_FPMIN;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < GAMMA_EPS)
            break;
    }
    return gamma_prefix(a, x) * h;
}

double
cl_stats_gamma_p(double a, double x)
{
    if (!(a > 0.0) || !(x >= 0.0) || isinf(a))
        return NAN;
    if (x == 0.0)
        return 0.0;
    if (isinf(x))
        return 1.0;
    if (x < a + 1.0)
        return gamma_series(a, x);
    return 1.0 - gamma_cf(a, x);
}

double
cl_stats_gamma_q(double a, double x)
{
    if (!(a > 0.0) || !(x >= 0.0) || isinf(a))
        return NAN;
    if (x == 0.0)
        return 1.0;
    if (isinf(x))
        return 0.0;
    if (x < a + 1.0)
        return 1.0 - gamma_series(a, x);
    return gamma_cf(a, x);
}

double
cl_stats_pchisq_upper(double x, double df)
{
    if (isnan(x) || !(df > 0.0))
        return NAN;
    if (x <= 0.0)
        return 1.0;
    return cl_stats_gamma_q(df / 2.0, x / 2.0);
}

cl_err
cl_stats_chisq(const double *counts, size_t r, size_t c, cl_chisq *out,
               cl_error *err)
{
    if (r < 2 || c < 2)
        return cl_error_set(err, CL_EINVAL,
                            "chi-square: need at least 2 rows and 2 columns");
    double *col = calloc(c, sizeof *col);
    double *row = calloc(r, sizeof *row);
    cl_err rc = CL_OK;
    if (!col || !row) {
        rc = cl_error_set(err, CL_ENOMEM, "chi-square: out of memory");
        goto out;
    }
    double n = 0.0;
    for (size_t i = 0; i < r; i++)
        for (size_t j = 0; j < c; j++) {
            double v = counts[i * c + j];
            if (!(v >= 0.0) || !isfinite(v)) {
                rc = cl_error_set(err, CL_EINVAL,
                                  "chi-square: cell (%zu, %zu) is %g", i + 1,
                                  j + 1, v);
                goto out;
            }
            row[i] += v;
            col[j] += v;
            n += v;
        }
    for (size_t i = 0; i < r; i++)
        if (row[i] == 0.0) {
            rc = cl_error_set(err, CL_EINVAL, "chi-square: row %zu is empty",
                              i + 1);
            goto out;
        }
    for (size_t j = 0; j < c; j++)
        if (col[j] == 0.0) {
            rc = cl_error_set(err, CL_EINVAL, "chi-square: column %zu is empty",
                              j + 1);
            goto out;
        }
    double stat = 0.0;
    for (size_t i = 0; i < r; i++)
        for (size_t j = 0; j < c; j++) {
            double e = row[i] * col[j] / n;
            double dlt = counts[i * c + j] - e;
            stat += dlt * dlt / e;
        }
    out->statistic = stat;
    out->df = (double)(r - 1) * (double)(c - 1);
    out->p = cl_stats_pchisq_upper(stat, out->df);
out:
    free(col);
    free(row);
    return rc;
}
