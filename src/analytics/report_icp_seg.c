/*
 * report_icp_seg.c - the ICP review's segment table (report_icp.c): per
 * dimension value, 12-month churn with its interval, the ratio to the other
 * customers with a log-rank test, and how many the current ICP admits.
 * docs/metrics.md ("icp report") gives the definitions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "report_icp_int.h"
#include "stats.h"
#include "survival.h"
#include "../core/buf.h"

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
    case D_PROMISES:
        return cl_promises_values[code];
    case D_GUT:
        return cl_gut_reads[code];
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
        n += (size_t)cl__icp_is_customer(s, a, end);
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
        if (!cl__icp_is_customer(s, a, end))
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
cl_err
cl__icp_build_segments(const cl_snapshot *s, cl_day end, double all_churn,
                       const int8_t *in_icp, int private_answers,
                       segment **out, size_t *nout, cl_error *err)
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
        if (dim == D_GUT && !private_answers)
            continue;
        size_t first = n;
        int unknown = 0;
        memset(seen, 0, s->nstrings + 8);
        for (size_t a = 0, k = 0; a < s->naccounts; a++) {
            if (!cl__icp_is_customer(s, a, end))
                continue;
            int32_t v = cl__icp_dim_value(s, dim, s->account_start_deal[a]);
            c.value[k++] = v;
            if (v < 0) {
                unknown = 1;
                continue;
            }
            if (seen[v])
                continue;
            seen[v] = 1;
            if (cl_grow(&segs, &cap, n + 1, sizeof *segs) != CL_OK) {
                rc = cl_error_set(err, CL_ENOMEM, "out of memory");
                goto out;
            }
            segs[n++] =
                (segment){.dim = dim, .code = v, .label = dim_label(s, dim, v)};
        }
        /* A dimension nobody has a value of (the review's, in a workspace
           without reviews) says nothing: no rows. */
        if (n == first)
            continue;
        /* Bands, champion levels and booleans in their own order; text
           values by their text. */
        int text = dim == D_INDUSTRY || dim == D_REGION || dim == D_SOURCE;
        qsort(segs + first, n - first, sizeof *segs, text ? by_label : by_code);
        if (unknown) {
            if (cl_grow(&segs, &cap, n + 1, sizeof *segs) != CL_OK) {
                rc = cl_error_set(err, CL_ENOMEM, "out of memory");
                goto out;
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

json_t *
cl__icp_segment_json(const segment *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "dimension", json_string(cl__icp_dim_names[g->dim]));
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
    json_object_set_new(o, "p_value", cl__icp_json_p(g->p));
    json_object_set_new(o, "excluded_by_current_icp",
                        json_boolean(g->c.customers > 0 && g->admitted == 0));
    return o;
}
