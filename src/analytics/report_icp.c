/*
 * report_icp.c - the quarterly ICP review (docs/design.md section 2, item 8).
 *
 * 12-month churn by segment with intervals, ratios and log-rank tests;
 * Kaplan-Meier retention curves by start-year cohort; the ICP version in
 * effect at the end of the quarter; churn outside against inside the ICP;
 * and one suggested criterion change.  Team-facing: no AE is ever named.
 * docs/metrics.md ("icp report") gives every definition used here.  The
 * segment table is built in report_icp_seg.c.
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "report_icp_int.h"
#include "stats.h"
#include "survival.h"

const char *const cl__icp_dim_names[NDIMS] = {
    "employees_band", "industry",         "region",
    "source",         "champion_level",   "champion_tenure_band",
    "exec_sponsor",   "has_ops_function", "icp_fit_band",
    "promises",       "gut_read"};

/* Suggest a criterion only for a segment this significant and this bad. */
#define SUGGEST_P 0.05
#define SUGGEST_RATIO 1.5

static const int retention_days[] = {0, 30, 60, 90, 180, 270, 365, 540, 730};

/* The value code of dimension dim for deal d (and its account), or -1. */
int32_t
cl__icp_dim_value(const cl_snapshot *s, int dim, int32_t d)
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
    case D_PROMISES:
        return cl_deal_promises(s, d);
    case D_GUT:
        return cl_deal_gut_read(s, d);
    default:
        return cl_band_icp_fit(s->deal_icp_fit[d]);
    }
}

/* A p-value to 4 significant digits (tiny ones must not round to 0). */
json_t *
cl__icp_json_p(double p)
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
        if (cl__icp_is_customer(s, a, end) && (!member || member[a]) &&
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
            /* The customers whose follow-up ended since the last point
               (still customers at the end), for the censoring marks. */
            double from = i ? retention_days[i - 1] : -1;
            json_int_t censored = 0;
            for (size_t j = 0; j < n; j++)
                censored += !e[j] && t[j] > from && t[j] <= retention_days[i];
            json_array_append_new(
                points,
                json_pack("{s:i,s:I,s:I,s:o,s:o,s:o}", "day", retention_days[i],
                          "at_risk", (json_int_t)p.n_risk, "censored", censored,
                          "survival", cl_json_num(p.surv, 6), "ci_low",
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
    int lo = 10000, hi = -1, y;
    cl_err rc = CL_OK;
    uint8_t *member = malloc(s->naccounts + 1);
    /* Each customer's cohort year (0 for other accounts), found once
       rather than once per cohort: the dates were 15% of the report. */
    int16_t *cohort = malloc((s->naccounts + 1) * sizeof *cohort);
    if (member == NULL || cohort == NULL) {
        free(member), free(cohort);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    for (size_t a = 0; a < s->naccounts; a++) {
        cohort[a] = 0;
        if (cl__icp_is_customer(s, a, end)) {
            cl_date_ymd(s->account_start[a], &y, NULL, NULL);
            cohort[a] = (int16_t)y; /* 1900-2999: the parser's range */
            lo = y < lo ? y : lo;
            hi = y > hi ? y : hi;
        }
    }
    for (int year = lo; year <= hi && rc == CL_OK; year++) {
        size_t k = 0;
        for (size_t a = 0; a < s->naccounts; a++)
            k += member[a] = cohort[a] == year;
        char label[16];
        snprintf(label, sizeof label, "%d", year);
        if (k > 0)
            rc = retention_curve(s, member, end, label, list, err);
    }
    free(member);
    free(cohort);
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
   value, written in the criteria language of docs/design.md section 7. */
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
        snprintf(buf, size, "%s = %s", cl__icp_dim_names[g->dim],
                 g->code ? "false" : "true");
        return;
    case D_LEVEL:
        snprintf(buf, size, "champion_level != %s", g->label);
        return;
    default:
        snprintf(buf, size, "%s != ", cl__icp_dim_names[g->dim]);
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
    case D_PROMISES:
        snprintf(buf, size,
                 g->code ? "Customers promised something concrete at close"
                         : "Customers promised nothing concrete at close");
        break;
    case D_GUT:
        snprintf(buf, size, "Customers the AE's gut read at close called %s",
                 l);
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
        if (g->code < 0 || g->dim >= D_PROMISES || isnan(g->p) ||
            g->p >= SUGGEST_P || isnan(g->rr) ||
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
            "(some or strong evidence, p < 0.05, and first-year churn over "
            "1.5x) among those the current ICP still admits: keep the "
            "criteria as they are.",
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
        if (!cl__icp_is_customer(s, a, today) ||
            (c >= 0 && s->churn_on[c] != CL_DAY_NONE &&
             s->churn_on[c] <= today))
            continue;
        cust += cl__icp_dim_value(s, best->dim, d) == best->code &&
                cl_snapshot_in_icp(s, v, d) != 0;
    }
    int new_type = 0; /* cl_deal_types[0] is "new" */
    for (size_t d = 0; d < s->ndeals; d++)
        deals += s->deal_state[d] == CL_DEAL_OPEN &&
                 s->deal_type[d] == new_type &&
                 cl__icp_dim_value(s, best->dim, (int32_t)d) == best->code &&
                 cl_snapshot_in_icp(s, v, (int32_t)d) != 0;

    describe(best, who, sizeof who);
    /* The evidence in the words the pages use for p-values, the number
       kept beside them (issue 16). */
    char pv[64];
    const char *strength = best->p < 0.01   ? "strong"
                           : best->p < 0.05 ? "some"
                                            : "no";
    if (best->p < 0.001)
        snprintf(pv, sizeof pv, "%s evidence, p < 0.001", strength);
    else
        snprintf(pv, sizeof pv, "%s evidence, p = %.3f", strength, best->p);
    char *crit_words = cl_icp_text_words(crit);
    char *new_words = cl_icp_text_words(formatted);
    snprintf(why, sizeof why,
             "%s: %zu customers, %zu churned; 12-month churn %.0f%% "
             "(95%% CI %.0f-%.0f%%) against %.0f%% for the other customers "
             "and %.0f%% overall; first-year churn %.1fx the other "
             "customers' (%s).  Requiring %s would put %lld active "
             "customers and %lld open new deals outside the ICP.",
             who, best->c.customers, best->c.churned, 100 * best->c.churn_12m,
             100 * best->c.ci_low, 100 * best->c.ci_high,
             100 * best->rest_churn, 100 * all_churn, best->rr, pv,
             crit_words ? crit_words : crit, (long long)cust, (long long)deals);
    *out = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:o,s:o,s:s?,s:s?}", "criterion",
        crit, "new_criteria", formatted, "rationale", why, "dimension",
        cl__icp_dim_names[best->dim], "value", best->label,
        "current_customers_touched", cust, "open_deals_touched", deals, "ratio",
        cl_json_num(best->ratio, 4), "ratio_vs_rest", cl_json_num(best->rr, 4),
        "p_value", cl__icp_json_p(best->p), "criterion_words", crit_words,
        "new_criteria_words", new_words);
    free(crit_words);
    free(new_words);
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
    /* The criteria in words for people; the text stays for editing. */
    char *words = s->icp_expr[v] ? cl_icp_expr_words(s->icp_expr[v]) : NULL;
    json_t *j = json_pack(
        "{s:i,s:o,s:s?,s:s?,s:s?,s:i,s:s?}", "version", s->icp_version[v],
        "effective_on", cl_json_day(s->icp_effective_on[v]), "criteria",
        s->icp_criteria[v], "owner", name, "rationale", s->icp_rationale[v],
        "age_days", (int)(end - s->icp_effective_on[v]), "criteria_words",
        words);
    free(words);
    return j;
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
        if (!cl__icp_is_customer(s, a, end))
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
        (rc = cl__icp_build_segments(s, end, all.churn_12m, in_icp,
                                     o->private_answers, &segs, &nsegs,
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
        json_array_append_new(list, cl__icp_segment_json(&segs[i]));
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
    /* The patterns churn has shown up to the quarter's end, and the
       pipeline Sales works on now that has their profile. */
    json_t *pat;
    if ((rc = cl_report_patterns_json(s, end, o->private_answers, &pat, err)))
        goto out;
    json_object_set_new(r, "patterns", pat);
    *out = r;
    r = NULL;
out:
    json_decref(r);
    json_decref(sugg);
    free(segs), free(in_icp), free(m_in), free(m_out);
    return rc;
}
