/*
 * report_icp.c - the quarterly ICP review (DESIGN section 2 item 8).
 *
 * 12-month churn by segment with intervals, ratios and log-rank tests;
 * Kaplan-Meier retention curves by start-year cohort; the ICP version in
 * effect at the end of the quarter; churn outside against inside the ICP;
 * and one suggested criterion change.  Team-facing: no AE is ever named.
 * docs/metrics.md ("icp report") gives every definition used here.
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "stats.h"
#include "survival.h"

enum {
    D_EMPLOYEES,
    D_INDUSTRY,
    D_REGION,
    D_SOURCE,
    D_LEVEL,
    D_TENURE,
    D_SPONSOR,
    D_OPS,
    D_FIT,
    NDIMS
};

static const char *const dim_names[NDIMS] = {
    "employees_band", "industry",         "region",
    "source",         "champion_level",   "champion_tenure_band",
    "exec_sponsor",   "has_ops_function", "icp_fit_band"};

/* Suggest a criterion only for a segment this significant and this bad. */
#define SUGGEST_P 0.05
#define SUGGEST_RATIO 1.5

static const int retention_days[] = {0, 30, 60, 90, 180, 270, 365, 540, 730};

/* One row of the segment table. */
typedef struct segment {
    int dim;
    int32_t code; /* -1: unknown value */
    const char *label;
    cl_churn12 c;
    double rest_churn; /* 12-month churn of the other customers */
    double ratio, rr, rr_lo, rr_hi, p;
    size_t admitted; /* customers the current ICP does not put outside */
} segment;

/* The value code of dimension dim for deal d (and its account), or -1. */
static int32_t
dim_value(const cl_snapshot *s, int dim, int32_t d)
{
    int32_t a = s->deal_account[d];
    switch (dim) {
    case D_EMPLOYEES:
        return a < 0 ? -1 : cl_band_employees(s->account_employees[a]);
    case D_INDUSTRY:
        return a < 0 ? -1 : s->account_industry[a];
    case D_REGION:
        return a < 0 ? -1 : s->account_region[a];
    case D_SOURCE:
        return s->deal_source[d];
    case D_LEVEL:
        return s->deal_champion_level[d];
    case D_TENURE:
        return cl_band_tenure(s->deal_champion_tenure[d]);
    case D_SPONSOR:
        return s->deal_exec_sponsor[d];
    case D_OPS:
        return a < 0 ? -1 : s->account_has_ops[a];
    default:
        return cl_band_icp_fit(s->deal_icp_fit[d]);
    }
}

static const char *
dim_label(const cl_snapshot *s, int dim, int32_t code)
{
    if (code < 0)
        return NULL;
    switch (dim) {
    case D_EMPLOYEES:
        return cl_employee_bands[code];
    case D_INDUSTRY:
    case D_REGION:
    case D_SOURCE:
        return cl_snapshot_str(s, code);
    case D_LEVEL:
        return cl_champion_levels[code];
    case D_TENURE:
        return cl_tenure_bands[code];
    case D_SPONSOR:
    case D_OPS:
        return code ? "true" : "false";
    default:
        return cl_icp_fit_bands[code];
    }
}

static int
by_label(const void *x, const void *y)
{
    return strcmp(((const segment *)x)->label, ((const segment *)y)->label);
}

static int
by_code(const void *x, const void *y)
{
    int32_t a = ((const segment *)x)->code, b = ((const segment *)y)->code;
    return (a > b) - (a < b);
}

static int
is_customer(const cl_snapshot *s, size_t a, cl_day end)
{
    return s->account_start[a] != CL_DAY_NONE && s->account_start[a] <= end &&
           s->account_start_deal[a] >= 0;
}

/* A p-value to 4 significant digits (tiny ones must not round to 0). */
static json_t *
json_p(double p)
{
    char buf[32];
    if (isnan(p))
        return json_null();
    snprintf(buf, sizeof buf, "%.4g", p);
    return json_real(strtod(buf, NULL));
}

static json_t *
json_churn12(const cl_churn12 *c)
{
    return json_pack(
        "{s:I,s:I,s:o,s:o,s:o}", "customers", (json_int_t)c->customers,
        "churned", (json_int_t)c->churned, "churn_12m",
        cl_json_num(c->churn_12m, 6), "ci_low", cl_json_num(c->ci_low, 6),
        "ci_high", cl_json_num(c->ci_high, 6));
}

/*
 * The customers observed up to end, gathered once for all the segments:
 * in account order, each one's survival time and event (as
 * cl_customer_survival gives them), first-year outcome, current-ICP
 * verdict and, while one dimension is computed, its value.  Splitting these
 * arrays per segment gives the same inputs, in the same order, as masking
 * every account again, at a fraction of the cost on a large workspace.
 */
typedef struct cust_set {
    size_t n;
    double *time;
    int *event;
    uint8_t *fy_churned, *fy_observed; /* see first_year below */
    int8_t *in_icp;
    int32_t *value;
    /* Scratch for one segment: member then rest, and the groups. */
    double *t;
    int *e;
    size_t *g;
} cust_set;

static void
cust_set_free(cust_set *c)
{
    free(c->time), free(c->event), free(c->fy_churned), free(c->fy_observed);
    free(c->in_icp), free(c->value), free(c->t), free(c->e), free(c->g);
    memset(c, 0, sizeof *c);
}

static cl_err
cust_set_build(const cl_snapshot *s, cl_day end, const int8_t *in_icp,
               cust_set *c, cl_error *err)
{
    size_t n = 0, k = 0;
    int *ev = NULL;
    cl_err rc;

    memset(c, 0, sizeof *c);
    for (size_t a = 0; a < s->naccounts; a++)
        n += (size_t)is_customer(s, a, end);
    /* The survival data in account order, exactly as the reports use it. */
    if ((rc = cl_customer_survival(s, NULL, end, &c->time, &ev, &c->n, err)))
        return rc;
    c->event = ev;
    c->fy_churned = malloc(n + 1);
    c->fy_observed = malloc(n + 1);
    c->in_icp = malloc(n + 1);
    c->value = malloc((n + 1) * sizeof *c->value);
    c->t = malloc((n + 1) * sizeof *c->t);
    c->e = malloc((n + 1) * sizeof *c->e);
    c->g = malloc((n + 1) * sizeof *c->g);
    if (!c->fy_churned || !c->fy_observed || !c->in_icp || !c->value || !c->t ||
        !c->e || !c->g) {
        cust_set_free(c);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    /* cl_customer_survival takes every account started by end;
       is_customer also asks for a start deal, which every start has. */
    if (c->n != n) {
        cust_set_free(c);
        return cl_error_set(err, CL_EINVAL, "icp: inconsistent customers");
    }
    for (size_t a = 0; a < s->naccounts; a++) {
        if (!is_customer(s, a, end))
            continue;
        /* Churned within 365 days of start among customers whose first
           year is fully observed by end (churned in it, or started 365+
           days before). */
        int32_t ch = s->account_first_churn[a];
        cl_day on = ch >= 0 ? s->churn_on[ch] : CL_DAY_NONE;
        int churned =
            on != CL_DAY_NONE && on <= end && on - s->account_start[a] <= 365;
        c->fy_churned[k] = (uint8_t)churned;
        c->fy_observed[k] =
            (uint8_t)(churned || end - s->account_start[a] >= 365);
        c->in_icp[k] = in_icp[a];
        k++;
    }
    return CL_OK;
}

/*
 * Fills the figures of segment g over the customers of c whose
 * c->value equals g->code; the other customers are the rest.
 */
static cl_err
segment_figures(cust_set *c, segment *g, double all_churn, cl_error *err)
{
    size_t n1 = 0, n2 = 0;
    uint64_t k1 = 0, o1 = 0, k2 = 0, o2 = 0;
    cl_err rc;

    g->admitted = 0;
    g->p = NAN;
    /* Members first, then the rest, each in account order. */
    for (size_t i = 0; i < c->n; i++)
        n1 += c->value[i] == g->code;
    for (size_t i = 0, a = 0, b = n1; i < c->n; i++) {
        size_t at = c->value[i] == g->code ? a++ : b++;
        c->t[at] = c->time[i];
        c->e[at] = c->event[i];
        c->g[at] = at >= n1;
        if (at < n1) {
            g->admitted += c->in_icp[i] != 0;
            k1 += c->fy_churned[i], o1 += c->fy_observed[i];
        } else {
            k2 += c->fy_churned[i], o2 += c->fy_observed[i];
        }
    }
    n2 = c->n - n1;
    cl_churn12 r;
    if ((rc = cl_churn_12m_obs(c->t, c->e, n1, &g->c, err)) ||
        (rc = cl_churn_12m_obs(c->t + n1, c->e + n1, n2, &r, err)))
        return rc;
    g->rest_churn = r.churn_12m;
    g->ratio = all_churn > 0 ? g->c.churn_12m / all_churn : NAN;
    cl_interval rr = {NAN, NAN, NAN};
    if (o1 > 0 && o2 > 0 && k1 + k2 > 0 &&
        (rc =
             cl_stats_risk_ratio(k1, o1, k2, o2, CL_STATS_Z95, &rr, NULL, err)))
        return rc;
    g->rr = rr.est, g->rr_lo = rr.lo, g->rr_hi = rr.hi;
    /* The log-rank test of the segment against the rest over their whole
       observed lives; none when one side is empty or it is undefined. */
    if (n1 == 0 || n2 == 0)
        return CL_OK;
    cl_logrank lr;
    rc = cl_logrank_test(c->t, c->e, c->g, c->n, 2, &lr, NULL, NULL, err);
    if (rc == CL_OK)
        g->p = lr.p;
    else if (rc != CL_ENOMEM) /* undefined: no p-value, not a failure */
        rc = CL_OK;
    return rc;
}

/*
 * The histogram path: all the segments of one dimension from per-day
 * counts.  Survival times are whole days, so instead of sorting each
 * segment and its rest (three sorts of every customer per segment), one
 * pass counts events and observations per day and value; the Kaplan-Meier
 * and log-rank loops then walk the days.  They repeat cl_km_fit's,
 * cl_km_at's and cl_logrank_test's arithmetic step for step (the same
 * values in the same order), so the figures are the same to the last bit;
 * the unit tests and bench/reports.sh compare them.
 */

/* Days beyond which the histograms would cost more than they save. */
#define HIST_MAX_DAYS 200000

typedef struct day_hist {
    const uint32_t *ev, *all;   /* per day: events, events + censorings */
    const uint32_t *tev, *tall; /* the same over every customer */
    int rest;                   /* 1: tall - all, the other customers */
} day_hist;

static uint32_t
h_ev(const day_hist *h, size_t t)
{
    return h->rest ? h->tev[t] - h->ev[t] : h->ev[t];
}

static uint32_t
h_all(const day_hist *h, size_t t)
{
    return h->rest ? h->tall[t] - h->all[t] : h->all[t];
}

/* survival.c's log-log bounds, for the same figures. */
static void
loglog(double s, double se, double z, double *lo, double *hi)
{
    if (!(s > 0.0 && s < 1.0) || !isfinite(se)) {
        *lo = NAN;
        *hi = NAN;
        return;
    }
    double ls = log(s);
    double w = z * se / ls;
    double c = log(-ls);
    *lo = exp(-exp(c - w));
    *hi = exp(-exp(c + w));
}

/* cl_churn_12m_obs over n customers whose days are in h. */
static void
hist_churn12(const day_hist *h, size_t ndays, size_t n, cl_churn12 *out)
{
    out->customers = n;
    out->churned = 0;
    out->churn_12m = out->ci_low = out->ci_high = NAN;
    if (n == 0)
        return;
    double s = 1.0, cumvar = 0.0, surv = 1.0, var365 = 0.0;
    size_t seen = 0;
    int stepped = 0;
    for (size_t t = 0; t < ndays; t++) {
        uint32_t all = h_all(h, t);
        if (all == 0)
            continue;
        double risk = (double)(n - seen), d = (double)h_ev(h, t);
        out->churned += h_ev(h, t);
        if (d > 0.0) {
            s *= 1.0 - d / risk;
            cumvar = risk > d ? cumvar + d / (risk * (risk - d)) : INFINITY;
        }
        if (t <= 365) {
            stepped = 1;
            surv = s;
            var365 = cumvar;
        }
        seen += all;
    }
    double lower = 1.0, upper = 1.0;
    if (stepped)
        loglog(surv, sqrt(var365), CL_STATS_Z95, &lower, &upper);
    out->churn_12m = 1 - surv;
    out->ci_low = isnan(upper) ? out->churn_12m : 1 - upper;
    out->ci_high = isnan(lower) ? out->churn_12m : 1 - lower;
}

/* cl_logrank_test's p-value for two groups: the segment (m) and the rest
   (r); NaN when the test is undefined (a singular variance). */
static double
hist_logrank(const day_hist *m, const day_hist *r, size_t ndays, size_t n1,
             size_t n2)
{
    double risk0 = (double)n1, risk1 = (double)n2, ntot = (double)(n1 + n2);
    double ob1 = 0.0, ex0 = 0.0, ex1 = 0.0, v11 = 0.0;
    for (size_t t = 0; t < ndays; t++) {
        uint32_t a0 = h_all(m, t), a1 = h_all(r, t);
        if (a0 + a1 == 0)
            continue;
        double d0 = (double)h_ev(m, t), d1 = (double)h_ev(r, t);
        double d = d0 + d1;
        if (d > 0.0) {
            ob1 += d1;
            ex0 += d * risk0 / ntot;
            ex1 += d * risk1 / ntot;
            if (ntot > 1.0) {
                double kk = d * (ntot - d) / (ntot * (ntot - 1.0));
                v11 += risk1 * kk;
                v11 -= risk1 * risk1 * kk / ntot;
            }
        }
        risk0 -= (double)a0;
        risk1 -= (double)a1;
        ntot -= (double)(a0 + a1);
    }
    /* R keeps the groups with expected > 0 and drops the first: with one
       group left there is nothing to test (df 0, p 1). */
    if (!(ex0 > 0.0) || !(ex1 > 0.0))
        return 1.0;
    double dv = ob1 - ex1;
    if (!(fabs(v11) > 1e-12 * fabs(v11)))
        return NAN;
    double x = dv / v11;
    return cl_stats_pchisq_upper(x * dv, 1.0);
}

/*
 * Fills segs[0..nseg) (one dimension, every customer in exactly one of
 * them by c->value) from day histograms.  Returns CL_OK, or CL_ENOMEM.
 */
static cl_err
dim_figures_hist(cust_set *c, segment *segs, size_t nseg, size_t ndays,
                 const int32_t *slot_of, double all_churn, cl_error *err)
{
    size_t nh = (nseg + 1) * ndays;
    uint32_t *ev = calloc(nh, sizeof *ev), *all = calloc(nh, sizeof *all);
    uint64_t *k = calloc(3 * (nseg + 1), sizeof *k);
    size_t *cnt = calloc(nseg + 1, sizeof *cnt);
    if (!ev || !all || !k || !cnt) {
        free(ev), free(all), free(k), free(cnt);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    uint64_t *o = k + (nseg + 1), *adm = o + (nseg + 1);
    uint32_t *tev = ev + nseg * ndays, *tall = all + nseg * ndays;
    for (size_t i = 0; i < c->n; i++) {
        size_t g = (size_t)slot_of[c->value[i] + 1];
        size_t t = (size_t)c->time[i];
        ev[g * ndays + t] += (uint32_t)c->event[i];
        all[g * ndays + t]++;
        tev[t] += (uint32_t)c->event[i];
        tall[t]++;
        cnt[g]++;
        k[g] += c->fy_churned[i];
        o[g] += c->fy_observed[i];
        adm[g] += c->in_icp[i] != 0;
        k[nseg] += c->fy_churned[i];
        o[nseg] += c->fy_observed[i];
    }
    for (size_t g = 0; g < nseg; g++) {
        segment *sg = &segs[g];
        day_hist hm = {ev + g * ndays, all + g * ndays, tev, tall, 0};
        day_hist hr = hm;
        hr.rest = 1;
        size_t n1 = cnt[g], n2 = c->n - n1;
        cl_churn12 r;
        hist_churn12(&hm, ndays, n1, &sg->c);
        hist_churn12(&hr, ndays, n2, &r);
        sg->admitted = adm[g];
        sg->rest_churn = r.churn_12m;
        sg->ratio = all_churn > 0 ? sg->c.churn_12m / all_churn : NAN;
        uint64_t k1 = k[g], o1 = o[g], k2 = k[nseg] - k1, o2 = o[nseg] - o1;
        cl_interval rr = {NAN, NAN, NAN};
        cl_err rc;
        if (o1 > 0 && o2 > 0 && k1 + k2 > 0 &&
            (rc = cl_stats_risk_ratio(k1, o1, k2, o2, CL_STATS_Z95, &rr, NULL,
                                      err))) {
            free(ev), free(all), free(k), free(cnt);
            return rc;
        }
        sg->rr = rr.est, sg->rr_lo = rr.lo, sg->rr_hi = rr.hi;
        sg->p =
            n1 == 0 || n2 == 0 ? NAN : hist_logrank(&hm, &hr, ndays, n1, n2);
    }
    free(ev), free(all), free(k), free(cnt);
    return CL_OK;
}

/*
 * The segments of every dimension, in report order.  value[a] holds the
 * dimension's value for customer a while one dimension is computed.
 */
static cl_err
build_segments(const cl_snapshot *s, cl_day end, double all_churn,
               const int8_t *in_icp, segment **out, size_t *nout, cl_error *err)
{
    size_t cap = 64, n = 0;
    segment *segs = malloc(cap * sizeof *segs);
    uint8_t *seen = calloc(s->nstrings + 8, 1);
    int32_t *slot_of = malloc((s->nstrings + 16) * sizeof *slot_of);
    cust_set c;
    cl_err rc = cust_set_build(s, end, in_icp, &c, err);
    size_t ndays = 0;

    if (rc == CL_OK && (!segs || !seen))
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    if (rc != CL_OK)
        goto out;
    /* The day histograms need whole, bounded days (see dim_figures_hist). */
    for (size_t i = 0; i < c.n; i++) {
        double t = c.time[i];
        if (!(t >= 0 && t <= HIST_MAX_DAYS && t == floor(t))) {
            ndays = 0;
            break;
        }
        if ((size_t)t + 1 > ndays)
            ndays = (size_t)t + 1;
    }
    for (int dim = 0; dim < NDIMS; dim++) {
        size_t first = n;
        int unknown = 0;
        memset(seen, 0, s->nstrings + 8);
        for (size_t a = 0, k = 0; a < s->naccounts; a++) {
            if (!is_customer(s, a, end))
                continue;
            int32_t v = dim_value(s, dim, s->account_start_deal[a]);
            c.value[k++] = v;
            if (v < 0) {
                unknown = 1;
                continue;
            }
            if (seen[v])
                continue;
            seen[v] = 1;
            if (n == cap) {
                segment *p = realloc(segs, (cap *= 2) * sizeof *segs);
                if (p == NULL) {
                    rc = cl_error_set(err, CL_ENOMEM, "out of memory");
                    goto out;
                }
                segs = p;
            }
            segs[n++] =
                (segment){.dim = dim, .code = v, .label = dim_label(s, dim, v)};
        }
        /* Bands, champion levels and booleans in their own order; text
           values by their text. */
        int text = dim == D_INDUSTRY || dim == D_REGION || dim == D_SOURCE;
        qsort(segs + first, n - first, sizeof *segs, text ? by_label : by_code);
        if (unknown) {
            if (n == cap) {
                segment *p = realloc(segs, (cap *= 2) * sizeof *segs);
                if (p == NULL) {
                    rc = cl_error_set(err, CL_ENOMEM, "out of memory");
                    goto out;
                }
                segs = p;
            }
            segs[n++] = (segment){.dim = dim, .code = -1, .label = NULL};
        }
        /* Whole-day times in a sane range (always, from real dates) take
           the histogram path; anything else the general one. */
        int hist = ndays > 0 && slot_of != NULL;
        for (size_t i = 0; hist && i < c.n; i++)
            hist = c.value[i] >= -1 &&
                   c.value[i] + 1 < (int32_t)(s->nstrings + 16);
        if (hist) {
            for (size_t i = 0; i < s->nstrings + 16; i++)
                slot_of[i] = -1;
            for (size_t i = first; i < n; i++)
                slot_of[segs[i].code + 1] = (int32_t)(i - first);
            for (size_t i = 0; hist && i < c.n; i++)
                hist = slot_of[c.value[i] + 1] >= 0;
        }
        if (hist) {
            if ((rc = dim_figures_hist(&c, segs + first, n - first, ndays,
                                       slot_of, all_churn, err)))
                goto out;
            continue;
        }
        for (size_t i = first; i < n; i++)
            if ((rc = segment_figures(&c, &segs[i], all_churn, err)))
                goto out;
    }
out:
    cust_set_free(&c);
    free(seen), free(slot_of);
    if (rc) {
        free(segs);
        segs = NULL, n = 0;
    }
    *out = segs;
    *nout = n;
    return rc;
}

static json_t *
segment_json(const segment *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "dimension", json_string(dim_names[g->dim]));
    json_object_set_new(o, "value",
                        g->label ? json_string(g->label) : json_null());
    json_object_set_new(o, "customers",
                        json_integer((json_int_t)g->c.customers));
    json_object_set_new(o, "churned", json_integer((json_int_t)g->c.churned));
    json_object_set_new(o, "churn_12m", cl_json_num(g->c.churn_12m, 6));
    json_object_set_new(o, "ci_low", cl_json_num(g->c.ci_low, 6));
    json_object_set_new(o, "ci_high", cl_json_num(g->c.ci_high, 6));
    json_object_set_new(o, "ratio", cl_json_num(g->ratio, 4));
    json_object_set_new(o, "ratio_vs_rest_ci_low", cl_json_num(g->rr_lo, 4));
    json_object_set_new(o, "ratio_vs_rest_ci_high", cl_json_num(g->rr_hi, 4));
    json_object_set_new(o, "churn_12m_rest", cl_json_num(g->rest_churn, 6));
    json_object_set_new(o, "ratio_vs_rest", cl_json_num(g->rr, 4));
    json_object_set_new(o, "p_value", json_p(g->p));
    json_object_set_new(o, "excluded_by_current_icp",
                        json_boolean(g->c.customers > 0 && g->admitted == 0));
    return o;
}

/* One Kaplan-Meier curve of the customers in member (NULL: all). */
static cl_err
retention_curve(const cl_snapshot *s, const uint8_t *member, cl_day end,
                const char *cohort, json_t *list, cl_error *err)
{
    double *t;
    int *e;
    size_t n;
    cl_err rc;
    cl_km km = {0};

    if ((rc = cl_customer_survival(s, member, end, &t, &e, &n, err)))
        return rc;
    double observed = 0; /* the longest follow-up in the cohort */
    cl_day first = end;
    for (size_t a = 0; a < s->naccounts; a++)
        if (is_customer(s, a, end) && (!member || member[a]) &&
            s->account_start[a] < first)
            first = s->account_start[a];
    observed = end - first;
    json_t *points = json_array();
    if (n > 0 && (rc = cl_km_fit(t, e, n, CL_STATS_Z95, &km, err)) == CL_OK) {
        for (size_t i = 0; i < sizeof retention_days / sizeof *retention_days;
             i++) {
            cl_km_point p;
            if (retention_days[i] > observed)
                break;
            cl_km_at(&km, retention_days[i], &p);
            /* No churn yet: S is exactly 1 and so are its bounds. */
            int none = p.surv == 1 && isnan(p.lower);
            json_array_append_new(
                points,
                json_pack("{s:i,s:I,s:o,s:o,s:o}", "day", retention_days[i],
                          "at_risk", (json_int_t)p.n_risk, "survival",
                          cl_json_num(p.surv, 6), "ci_low",
                          cl_json_num(none ? 1 : p.lower, 6), "ci_high",
                          cl_json_num(none ? 1 : p.upper, 6)));
        }
        cl_km_free(&km);
    }
    free(t);
    free(e);
    json_array_append_new(list, json_pack("{s:s,s:I,s:o}", "cohort", cohort,
                                          "customers", (json_int_t)n, "points",
                                          points));
    return rc;
}

static cl_err
build_retention(const cl_snapshot *s, cl_day end, json_t *list, cl_error *err)
{
    int lo = 10000, hi = -1, y, m, d;
    cl_err rc = CL_OK;
    uint8_t *member = malloc(s->naccounts + 1);
    if (member == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    for (size_t a = 0; a < s->naccounts; a++)
        if (is_customer(s, a, end)) {
            cl_date_ymd(s->account_start[a], &y, &m, &d);
            lo = y < lo ? y : lo;
            hi = y > hi ? y : hi;
        }
    for (int year = lo; year <= hi && rc == CL_OK; year++) {
        size_t k = 0;
        for (size_t a = 0; a < s->naccounts; a++) {
            member[a] = 0;
            if (is_customer(s, a, end)) {
                cl_date_ymd(s->account_start[a], &y, &m, &d);
                k += member[a] = y == year;
            }
        }
        char label[16];
        snprintf(label, sizeof label, "%d", year);
        if (k > 0)
            rc = retention_curve(s, member, end, label, list, err);
    }
    free(member);
    return rc ? rc : retention_curve(s, NULL, end, "all", list, err);
}

/* Appends text to buf as a 'quoted' ICP value ('' for a quote). */
static void
quote(char *buf, size_t size, const char *text)
{
    size_t k = strlen(buf);
    if (k + 1 < size)
        buf[k++] = '\'';
    for (; *text && k + 3 < size; text++) {
        if (*text == '\'')
            buf[k++] = '\'';
        buf[k++] = *text;
    }
    buf[k++] = '\'';
    buf[k] = '\0';
}

/* The ICP criterion that puts segment g outside: the negation of its
   value, written in the criteria language of DESIGN section 7. */
static void
criterion(const segment *g, char *buf, size_t size)
{
    static const int emp[][2] = {
        {1, 19}, {20, 49}, {50, 199}, {200, 999}, {1000, -1}};
    static const int ten[][2] = {{0, 5}, {6, 11}, {12, 23}, {24, -1}};
    static const int fit[][2] = {{0, 39}, {40, 69}, {70, -1}};
    const int(*band)[2] = NULL;
    const char *field = NULL;
    switch (g->dim) {
    case D_EMPLOYEES:
        band = emp, field = "employees";
        break;
    case D_TENURE:
        band = ten, field = "champion_tenure_months";
        break;
    case D_FIT:
        band = fit, field = "icp_fit_score";
        break;
    case D_SPONSOR:
    case D_OPS:
        snprintf(buf, size, "%s = %s", dim_names[g->dim],
                 g->code ? "false" : "true");
        return;
    case D_LEVEL:
        snprintf(buf, size, "champion_level != %s", g->label);
        return;
    default:
        snprintf(buf, size, "%s != ", dim_names[g->dim]);
        quote(buf, size, g->label);
        return;
    }
    int lo = band[g->code][0], hi = band[g->code][1];
    if (g->code == 0)
        snprintf(buf, size, "%s >= %d", field, hi + 1);
    else if (hi < 0)
        snprintf(buf, size, "%s < %d", field, lo);
    else
        snprintf(buf, size, "(%s < %d or %s > %d)", field, lo, field, hi);
}

/* The segment in the words of a team-facing report, without an AE. */
static void
describe(const segment *g, char *buf, size_t size)
{
    const char *l = g->label, *with = g->code ? "with" : "without";
    switch (g->dim) {
    case D_EMPLOYEES:
        snprintf(buf, size, "Accounts with %s employees", l);
        break;
    case D_INDUSTRY:
        snprintf(buf, size, "Accounts in %s", l);
        break;
    case D_REGION:
        snprintf(buf, size, "Accounts in the %s region", l);
        break;
    case D_SOURCE:
        snprintf(buf, size, "Customers sourced from %s", l);
        break;
    case D_LEVEL:
        snprintf(buf, size, "Customers whose champion was at %s level", l);
        break;
    case D_TENURE:
        snprintf(buf, size,
                 "Customers whose champion had been %s months in the role", l);
        break;
    case D_SPONSOR:
        snprintf(buf, size, "Customers signed %s an executive sponsor", with);
        break;
    case D_OPS:
        snprintf(buf, size, "Accounts %s an ops function", with);
        break;
    default:
        snprintf(buf, size, "Customers with an ICP fit score of %s at close",
                 l);
    }
}

static cl_err
build_suggestion(const cl_snapshot *s, const cl_report_opts *o, int32_t v,
                 const segment *segs, size_t n, double all_churn, json_t **out,
                 cl_error *err)
{
    const segment *best = NULL;
    double best_excess = 0;
    for (size_t i = 0; i < n; i++) {
        const segment *g = &segs[i];
        /* Significant (log-rank), clearly worse than the other customers
           (first-year churn ratio over 1.5 with its interval above 1), and
           still admitted by the current ICP. */
        if (g->code < 0 || isnan(g->p) || g->p >= SUGGEST_P || isnan(g->rr) ||
            g->rr <= SUGGEST_RATIO || !(g->rr_lo > 1) || g->admitted == 0)
            continue;
        /* The churns a year the segment has over the same customers at the
           rest's rate: what excluding it would have saved. */
        double excess =
            (double)g->c.customers * (g->c.churn_12m - g->rest_churn);
        if (!best || excess > best_excess)
            best = g, best_excess = excess;
    }
    if (best == NULL) {
        *out = json_pack(
            "{s:n,s:n,s:s,s:n,s:n}", "criterion", "new_criteria", "rationale",
            "No segment is significantly worse than the other customers "
            "(log-rank p < 0.05 and first-year churn over 1.5x) among those "
            "the current ICP still admits: keep the criteria as they are.",
            "current_customers_touched", "open_deals_touched");
        return *out ? CL_OK : cl_error_set(err, CL_ENOMEM, "out of memory");
    }

    char crit[256] = "", text[4096], who[256], why[1024];
    criterion(best, crit, sizeof crit);
    if (v >= 0 && s->icp_expr[v])
        snprintf(text, sizeof text, "(%s) and (%s)", s->icp_criteria[v], crit);
    else
        snprintf(text, sizeof text, "%s", crit);
    cl_icp_expr *e;
    cl_err rc = cl_icp_expr_parse(text, &e, err);
    if (rc)
        return rc;
    char *formatted = cl_icp_expr_format(e);
    cl_icp_expr_free(e);
    if (formatted == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");

    /* The criterion is false exactly on the segment, so the new criteria
       put outside what is in the segment and not already outside. */
    cl_day today = o->today ? o->today : o->period.last;
    json_int_t cust = 0, deals = 0;
    for (size_t a = 0; a < s->naccounts; a++) {
        int32_t d = s->account_start_deal[a], c = s->account_first_churn[a];
        if (!is_customer(s, a, today) ||
            (c >= 0 && s->churn_on[c] != CL_DAY_NONE &&
             s->churn_on[c] <= today))
            continue;
        cust += dim_value(s, best->dim, d) == best->code &&
                cl_snapshot_in_icp(s, v, d) != 0;
    }
    int new_type = 0; /* cl_deal_types[0] is "new" */
    for (size_t d = 0; d < s->ndeals; d++)
        deals += s->deal_state[d] == CL_DEAL_OPEN &&
                 s->deal_type[d] == new_type &&
                 dim_value(s, best->dim, (int32_t)d) == best->code &&
                 cl_snapshot_in_icp(s, v, (int32_t)d) != 0;

    describe(best, who, sizeof who);
    char pv[32];
    if (best->p < 0.001)
        snprintf(pv, sizeof pv, "p < 0.001");
    else
        snprintf(pv, sizeof pv, "p = %.3f", best->p);
    snprintf(why, sizeof why,
             "%s: %zu customers, %zu churned; 12-month churn %.0f%% "
             "(95%% CI %.0f-%.0f%%) against %.0f%% for the other customers "
             "and %.0f%% overall; first-year churn %.1fx the other "
             "customers' (log-rank %s).  Requiring %s would put %lld active "
             "customers and %lld open new deals outside the ICP.",
             who, best->c.customers, best->c.churned, 100 * best->c.churn_12m,
             100 * best->c.ci_low, 100 * best->c.ci_high,
             100 * best->rest_churn, 100 * all_churn, best->rr, pv, crit,
             (long long)cust, (long long)deals);
    *out = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:o,s:o}", "criterion", crit,
        "new_criteria", formatted, "rationale", why, "dimension",
        dim_names[best->dim], "value", best->label, "current_customers_touched",
        cust, "open_deals_touched", deals, "ratio", cl_json_num(best->ratio, 4),
        "ratio_vs_rest", cl_json_num(best->rr, 4), "p_value", json_p(best->p));
    free(formatted);
    return *out ? CL_OK : cl_error_set(err, CL_ENOMEM, "out of memory");
}

static json_t *
version_json(const cl_snapshot *s, int32_t v, cl_day end)
{
    if (v < 0)
        return json_null();
    int32_t owner = s->icp_owner[v];
    const char *name = owner < 0             ? NULL
                       : s->user_name[owner] ? s->user_name[owner]
                                             : s->user_id[owner];
    return json_pack(
        "{s:i,s:o,s:s?,s:s?,s:s?,s:i}", "version", s->icp_version[v],
        "effective_on", cl_json_day(s->icp_effective_on[v]), "criteria",
        s->icp_criteria[v], "owner", name, "rationale", s->icp_rationale[v],
        "age_days", (int)(end - s->icp_effective_on[v]));
}

cl_err
cl_report_icp(const cl_snapshot *s, const cl_report_opts *o, json_t **out,
              cl_error *err)
{
    cl_day end = o->period.last;
    cl_churn12 all, in, outside;
    segment *segs = NULL;
    size_t nsegs = 0;
    json_t *r = NULL, *list, *sugg = NULL;
    cl_err rc;

    *out = NULL;
    int8_t *in_icp = malloc(s->naccounts + 1);
    uint8_t *m_in = calloc(s->naccounts + 1, 1),
            *m_out = calloc(s->naccounts + 1, 1);
    if (!in_icp || !m_in || !m_out) {
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
        goto out;
    }
    /* Each customer against the current version (for "already excluded")
       and against the version in effect when its start deal closed. */
    int32_t v = cl_snapshot_icp_at(s, end);
    size_t unknown = 0;
    for (size_t a = 0; a < s->naccounts; a++) {
        in_icp[a] = -1;
        if (!is_customer(s, a, end))
            continue;
        int32_t d = s->account_start_deal[a];
        in_icp[a] = (int8_t)cl_snapshot_in_icp(s, v, d);
        int at = cl_snapshot_in_icp(
            s, cl_snapshot_icp_at(s, s->deal_closed_on[d]), d);
        m_in[a] = at == 1;
        m_out[a] = at == 0;
        unknown += at < 0;
    }
    if ((rc = cl_churn_12m(s, NULL, end, &all, err)) ||
        (rc = cl_churn_12m(s, m_in, end, &in, err)) ||
        (rc = cl_churn_12m(s, m_out, end, &outside, err)) ||
        (rc = build_segments(s, end, all.churn_12m, in_icp, &segs, &nsegs,
                             err)) ||
        (rc =
             build_suggestion(s, o, v, segs, nsegs, all.churn_12m, &sugg, err)))
        goto out;

    r = json_object();
    json_object_set_new(r, "period", json_string(o->period.label));
    json_object_set_new(r, "observed_to", cl_json_day(end));
    json_object_set_new(r, "churn_12m_all", json_churn12(&all));
    list = json_array();
    for (size_t i = 0; i < nsegs; i++)
        json_array_append_new(list, segment_json(&segs[i]));
    json_object_set_new(r, "segments", list);
    list = json_array();
    json_object_set_new(r, "retention", list);
    if ((rc = build_retention(s, end, list, err)))
        goto out;
    json_object_set_new(r, "icp_version", version_json(s, v, end));
    json_object_set_new(r, "icp_outside", json_churn12(&outside));
    json_object_set_new(r, "icp_inside", json_churn12(&in));
    json_object_set_new(r, "icp_unknown_customers",
                        json_integer((json_int_t)unknown));
    json_object_set_new(r, "suggested_change", sugg);
    sugg = NULL;
    *out = r;
    r = NULL;
out:
    json_decref(r);
    json_decref(sugg);
    free(segs), free(in_icp), free(m_in), free(m_out);
    return rc;
}
