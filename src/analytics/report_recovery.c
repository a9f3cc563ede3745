/*
 * report_recovery.c - the quarterly recovery review (docs/design.md
 * section 2, items 5 and 9).
 *
 * Recoveries are intelligence about where the sales process fails, never a
 * CS target: nothing here counts recoveries per CSM or sums "CS-sourced
 * ARR", and the team view says only that an AE cluster exists.  A
 * recovery marked not CS-led is counted apart (not_cs_led) and left out of
 * everything else.  Definitions
 * are in docs/metrics.md, section "Recovery review".
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/workflow.h"
#include "metrics.h"
#include "stats.h"

#define NTYPES 4 /* cl_recovery_types; index NTYPES is "untyped" */

/* Days in pipeline before the first demo, in bins: the inclusive upper
   bounds of the first five (the sixth, over 90, is open), then "no demo"
   and "unknown". */
static const int demo_upper[] = {14, 30, 45, 60, 90};
static const char *const demo_bins[] = {"0-14",    "15-30",  "31-45",
                                        "46-60",   "61-90",  "over 90",
                                        "no demo", "unknown"};
#define NDEMO_BINS 8

/* The day a recovery counts in: logged_on, else the new deal's created_on. */
static cl_day
recovery_day(const cl_snapshot *s, size_t r)
{
    if (s->recovery_logged_on[r] != CL_DAY_NONE)
        return s->recovery_logged_on[r];
    int32_t nd = s->recovery_new[r];
    return nd < 0 ? CL_DAY_NONE : s->deal_created_on[nd];
}

/* Whole calendar months from a to b (b >= a), or -1 when b < a. */
static int
whole_months(cl_day a, cl_day b)
{
    int ya, ma, da, yb, mb, db;
    if (b < a)
        return -1;
    cl_date_ymd(a, &ya, &ma, &da);
    cl_date_ymd(b, &yb, &mb, &db);
    int m = (yb * 12 + mb) - (ya * 12 + ma);
    if (db < da)
        m--;
    return m;
}

static int
cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* One cluster value: its label and count. */
typedef struct cval {
    char value[64];
    size_t count;
} cval;

static int
cmp_cval(const void *a, const void *b)
{
    const cval *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->value, y->value);
}

/* The value of dimension dim for recovery r (the original deal). */
static void
cluster_value(const cl_snapshot *s, size_t r, int dim, char out[64])
{
    int32_t od = s->recovery_original[r];
    int32_t a = od < 0 ? -1 : s->deal_account[od];
    const char *v = NULL;
    switch (dim) {
    case 0: {
        int b = a < 0 ? -1 : cl_band_employees(s->account_employees[a]);
        v = b < 0 ? NULL : cl_employee_bands[b];
        break;
    }
    case 1:
        v = a < 0 ? NULL : cl_snapshot_str(s, s->account_industry[a]);
        break;
    case 2:
        v = a < 0 ? NULL : cl_snapshot_str(s, s->account_region[a]);
        break;
    default:
        v = od < 0 || s->deal_loss_reason[od] < 0
                ? NULL
                : cl_loss_reasons[s->deal_loss_reason[od]];
        break;
    }
    snprintf(out, 64, "%s", v ? v : "unknown");
}

/* The CRM keeps only the final closed_lost stage, so the original deal's
   loss reason is what the fourth dimension is, and is called. */
static const char *const dims[] = {"employees_band", "industry", "region",
                                   "original_loss_reason"};
#define NDIMS 4

/* Days from the original deal's created_on to its first demo for
   recovery r, or -1 with *bin set to "no demo" or "unknown" (no original
   deal, no created_on, or a demo before creation: bad data). */
static int
demo_days(const cl_snapshot *s, size_t r, int *bin)
{
    int32_t od = s->recovery_original[r];
    if (od >= 0 && s->deal_first_demo_on[od] == CL_DAY_NONE) {
        *bin = NDEMO_BINS - 2;
        return -1;
    }
    if (od < 0 || s->deal_created_on[od] == CL_DAY_NONE ||
        s->deal_first_demo_on[od] < s->deal_created_on[od]) {
        *bin = NDEMO_BINS - 1;
        return -1;
    }
    int d = (int)(s->deal_first_demo_on[od] - s->deal_created_on[od]);
    int b = 0;
    while (b < 5 && d > demo_upper[b])
        b++;
    *bin = b;
    return d;
}

/* R's quantile type 7 of the sorted v[0..n-1] (n > 0). */
static double
quantile(const int *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)h;
    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* {bins: [{bin, count, share}], count, median, q1, q3, min, max}: days in
   pipeline before the first demo of the original deals. */
static json_t *
demo_json(const cl_snapshot *s, const size_t *rows, size_t n)
{
    size_t bins[NDEMO_BINS] = {0}, nd = 0;
    int *days = malloc((n ? n : 1) * sizeof *days);
    if (days == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int b, d = demo_days(s, rows[i], &b);
        bins[b]++;
        if (d >= 0)
            days[nd++] = d;
    }
    qsort(days, nd, sizeof *days, cmp_int);
    json_t *list = json_array();
    for (int b = 0; b < NDEMO_BINS; b++)
        json_array_append_new(
            list, json_pack("{s:s, s:I, s:o}", "bin", demo_bins[b], "count",
                            (json_int_t)bins[b], "share",
                            cl_json_num(n ? (double)bins[b] / n : NAN, 6)));
    json_t *j =
        json_pack("{s:o, s:I, s:o, s:o, s:o, s:o, s:o}", "bins", list, "count",
                  (json_int_t)nd, "median",
                  cl_json_num(nd ? quantile(days, nd, 0.5) : NAN, 1), "q1",
                  cl_json_num(nd ? quantile(days, nd, 0.25) : NAN, 2), "q3",
                  cl_json_num(nd ? quantile(days, nd, 0.75) : NAN, 2), "min",
                  nd ? json_integer(days[0]) : json_null(), "max",
                  nd ? json_integer(days[nd - 1]) : json_null());
    free(days);
    return j;
}

static json_t *
clusters_json(const cl_snapshot *s, const size_t *rows, size_t n)
{
    json_t *list = json_array();
    cval *vals = malloc((n ? n : 1) * sizeof *vals);
    if (vals == NULL) {
        json_decref(list);
        return NULL;
    }
    for (int dim = 0; dim < NDIMS; dim++) {
        size_t nv = 0;
        for (size_t i = 0; i < n; i++) {
            char v[64];
            size_t j;
            cluster_value(s, rows[i], dim, v);
            for (j = 0; j < nv && strcmp(vals[j].value, v) != 0; j++)
                ;
            if (j == nv) {
                memcpy(vals[nv].value, v, sizeof v);
                vals[nv++].count = 0;
            }
            vals[j].count++;
        }
        qsort(vals, nv, sizeof *vals, cmp_cval);
        for (size_t j = 0; j < nv; j++)
            json_array_append_new(
                list, json_pack("{s:s, s:s, s:I, s:o}", "dimension", dims[dim],
                                "value", vals[j].value, "count",
                                (json_int_t)vals[j].count, "share",
                                cl_json_num((double)vals[j].count / n, 6)));
    }
    free(vals);
    return list;
}

/* {rule, value, threshold, fired, follow_up}. */
static json_t *
rule_json(const char *rule, json_t *value, double threshold, int fired,
          const char *follow_up)
{
    return json_pack("{s:s, s:o, s:o, s:b, s:s}", "rule", rule, "value", value,
                     "threshold", cl_json_num(threshold, 6), "fired", fired,
                     "follow_up", follow_up);
}

/* The trust-cluster rule; AE names only in a private view. */
static json_t *
trust_rule(const cl_snapshot *s, const cl_report_opts *o, const size_t *rows,
           size_t n)
{
    size_t ntrust = 0, top = 0;
    size_t *per_ae = calloc(s->nusers + 1, sizeof *per_ae);
    if (per_ae == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
        if (s->recovery_type[r] != 0)
            continue;
        ntrust++;
        int32_t od = s->recovery_original[r];
        if (od >= 0 && s->deal_ae[od] >= 0)
            per_ae[s->deal_ae[od]]++;
    }
    for (size_t u = 0; u < s->nusers; u++)
        if (per_ae[u] > top)
            top = per_ae[u];
    double share = ntrust ? (double)top / ntrust : NAN;
    double min_share = cl_snapshot_threshold(s, "trust_cluster_share");
    int min_count = (int)cl_snapshot_threshold(s, "trust_cluster_min");
    int fired =
        cl_wf_trust_cluster((int)top, (int)ntrust, min_share, min_count);
    json_t *j = rule_json("trust_ae_cluster", cl_json_num(share, 6), min_share,
                          fired, "coaching");
    char detail[128];
    if (fired)
        snprintf(detail, sizeof detail,
                 "%zu of %zu trust recoveries trace to one AE", top, ntrust);
    else if (ntrust == 0)
        snprintf(detail, sizeof detail, "no trust recoveries");
    else
        snprintf(detail, sizeof detail,
                 "no AE holds at least %d and %.0f%% of the %zu trust "
                 "recoveries",
                 min_count, min_share * 100, ntrust);
    json_object_set_new(j, "detail", json_string(detail));
    if (o->private_view && fired) {
        json_t *aes = json_array();
        for (size_t u = 0; u < s->nusers; u++)
            if (per_ae[u] == top)
                json_array_append_new(
                    aes, json_pack("{s:s, s:s?, s:I}", "ae_id", s->user_id[u],
                                   "name", s->user_name[u], "trust_recoveries",
                                   (json_int_t)top));
        json_object_set_new(j, "aes", aes);
    }
    free(per_ae);
    return j;
}

cl_err
cl_report_recovery(const cl_snapshot *s, const cl_report_opts *o, json_t **out,
                   cl_error *err)
{
    const cl_period *p = &o->period;
    size_t n = 0, not_cs_led = 0, bytype[NTYPES + 1] = {0};
    size_t *rows = malloc((s->nrecoveries ? s->nrecoveries : 1) * sizeof *rows);
    int *months =
        malloc((s->nrecoveries ? s->nrecoveries : 1) * sizeof *months);
    size_t nmonths = 0;
    cl_err rc;
    json_t *j = json_object();
    *out = NULL;
    if (rows == NULL || months == NULL || j == NULL)
        goto nomem;

    for (size_t r = 0; r < s->nrecoveries; r++) {
        cl_day d = recovery_day(s, r);
        if (d == CL_DAY_NONE || d < p->first || d > p->last)
            continue;
        /* Not led by CS: on record, but not evidence for this review. */
        if (!s->recovery_cs_led[r]) {
            not_cs_led++;
            continue;
        }
        rows[n++] = r;
        int t = s->recovery_type[r];
        bytype[t >= 0 && t < NTYPES ? t : NTYPES]++;
        int32_t od = s->recovery_original[r], nd = s->recovery_new[r];
        if (od >= 0 && nd >= 0 && s->deal_closed_on[od] != CL_DAY_NONE &&
            s->deal_created_on[nd] != CL_DAY_NONE) {
            int m = whole_months(s->deal_closed_on[od], s->deal_created_on[nd]);
            if (m >= 0)
                months[nmonths++] = m;
        }
    }

    json_object_set_new(j, "period", json_string(p->label));
    json_object_set_new(j, "recoveries", json_integer((json_int_t)n));
    json_object_set_new(j, "not_cs_led", json_integer((json_int_t)not_cs_led));

    json_t *types = json_array();
    json_object_set_new(j, "by_type", types);
    for (int t = 0; t <= NTYPES; t++) {
        cl_interval ci;
        if ((rc = cl_stats_wilson(bytype[t], n, CL_STATS_Z95, &ci, err)))
            goto fail;
        int none = n == 0;
        json_array_append_new(
            types,
            json_pack("{s:s, s:I, s:o, s:o, s:o}", "type",
                      t < NTYPES ? cl_recovery_types[t] : "untyped", "count",
                      (json_int_t)bytype[t], "share", cl_json_num(ci.est, 6),
                      "ci_low", none ? json_null() : cl_json_num(ci.lo, 6),
                      "ci_high", none ? json_null() : cl_json_num(ci.hi, 6)));
    }

    qsort(months, nmonths, sizeof *months, cmp_int);
    double median = NAN;
    if (nmonths)
        median = nmonths % 2
                     ? months[nmonths / 2]
                     : (months[nmonths / 2 - 1] + months[nmonths / 2]) / 2.0;
    json_object_set_new(
        j, "months_to_reengagement",
        json_pack("{s:I, s:o, s:o, s:o}", "count", (json_int_t)nmonths,
                  "median", cl_json_num(median, 1), "min",
                  nmonths ? json_integer(months[0]) : json_null(), "max",
                  nmonths ? json_integer(months[nmonths - 1]) : json_null()));

    json_t *cl = clusters_json(s, rows, n);
    if (cl == NULL)
        goto nomem;
    json_object_set_new(j, "clusters", cl);
    json_t *demo = demo_json(s, rows, n);
    if (demo == NULL)
        goto nomem;
    json_object_set_new(j, "days_to_first_demo", demo);

    /* Thresholds: timing share, over-promise count, trust cluster. */
    double tshare = n ? (double)bytype[1] / n : NAN;
    double tmax = cl_snapshot_threshold(s, "qualification_review_timing_share");
    double emin = cl_snapshot_threshold(s, "enablement_review_recoveries");
    json_t *th = json_array();
    json_array_append_new(th, rule_json("timing_share", cl_json_num(tshare, 6),
                                        tmax, n > 0 && tshare > tmax,
                                        "qualification_review"));
    json_array_append_new(th, rule_json("overpromise_recoveries",
                                        json_integer((json_int_t)bytype[2]),
                                        emin, (double)bytype[2] >= emin,
                                        "enablement_review"));
    json_t *trust = trust_rule(s, o, rows, n);
    if (trust == NULL) {
        json_decref(th);
        goto nomem;
    }
    json_array_append_new(th, trust);
    json_object_set_new(j, "thresholds", th);

    free(rows);
    free(months);
    *out = j;
    return CL_OK;
nomem:
    rc = cl_error_set(err, CL_ENOMEM, "out of memory");
fail:
    free(rows);
    free(months);
    json_decref(j);
    return rc;
}
