/*
 * report_badfit.c - the quarterly bad-fit review (docs/design.md section 2,
 * item 7).
 *
 * The quarter's tagged churn cohort, the share of each bad-fit category with
 * its Wilson interval, the thresholds that fire and the follow-up each one
 * opens, the revenue impact (first in the document: the review leads with
 * it), and the profile markers the bad-fit churns share, in cohort language.
 * Team-facing: no AE is ever named, only counted, unless the viewer has a
 * private view.  docs/metrics.md, "Quarterly bad-fit review", defines each
 * figure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "markers.h"
#include "report.h"
#include "stats.h"

static void
put(json_t *o, const char *key, json_t *v, int *bad)
{
    if (v == NULL || json_object_set_new(o, key, v) != 0)
        *bad = 1;
}

/* Appends a new object to a and returns it (NULL, with *bad set, on
   failure). */
static json_t *
push_obj(json_t *a, int *bad)
{
    json_t *e = json_object();
    if (e == NULL || a == NULL || json_array_append_new(a, e) != 0) {
        if (a == NULL)
            json_decref(e);
        *bad = 1;
        return NULL;
    }
    return e;
}

/* The deal a churn goes back to: its own, else the account's start. */
static int32_t
original_deal(const cl_snapshot *s, int32_t c)
{
    int32_t a = s->churn_account[c];
    if (s->churn_deal[c] >= 0)
        return s->churn_deal[c];
    return a >= 0 ? s->account_start_deal[a] : -1;
}

static cl_badfit
churn_badfit(const cl_snapshot *s, int32_t c)
{
    int cause = s->churn_cause[c];
    return cause < 0 ? CL_BADFIT_NONE : s->causes[cause].badfit;
}

/* ---- revenue impact ---------------------------------------------------- */

/*
 * ARR of each account at the start of the quarter (before p->first): the net
 * of its ARR movements dated before then when it has any; otherwise, for a
 * customer that started before then and had not churned, its start deal's
 * ARR plus its won expansions closed before then.  Renewal deals restate
 * the ARR rather than add to it, so they are not summed.
 */
static double
starting_arr(const cl_snapshot *s, const cl_period *p, double *arr)
{
    uint8_t *has = calloc(s->naccounts ? s->naccounts : 1, 1);
    double total = 0;
    if (has == NULL)
        return NAN;
    for (size_t a = 0; a < s->naccounts; a++)
        arr[a] = 0;
    for (size_t m = 0; m < s->narr; m++) {
        int32_t a = s->arr_account[m];
        if (a < 0)
            continue;
        has[a] = 1;
        if (s->arr_on[m] >= p->first || isnan(s->arr_amount[m]))
            continue;
        /* Amounts are positive; the kind carries the sign. */
        int k = s->arr_kind[m];
        arr[a] += k == 0 || k == 1 ? s->arr_amount[m] : -s->arr_amount[m];
    }
    for (size_t a = 0; a < s->naccounts; a++) {
        int32_t d0 = s->account_start_deal[a], c = s->account_first_churn[a];
        if (has[a] || d0 < 0 || s->account_start[a] >= p->first ||
            (c >= 0 && s->churn_on[c] < p->first))
            continue;
        arr[a] = isnan(s->deal_arr[d0]) ? 0 : s->deal_arr[d0];
    }
    for (size_t d = 0; d < s->ndeals; d++) {
        int32_t a = s->deal_account[d];
        if (a < 0 || has[a] || s->deal_type[d] != 1 ||
            s->deal_state[d] != CL_DEAL_WON || isnan(s->deal_arr[d]) ||
            s->deal_closed_on[d] == CL_DAY_NONE ||
            s->deal_closed_on[d] >= p->first)
            continue;
        int32_t c = s->account_first_churn[a];
        if (s->account_start_deal[a] >= 0 && s->account_start[a] < p->first &&
            !(c >= 0 && s->churn_on[c] < p->first))
            arr[a] += s->deal_arr[d];
    }
    for (size_t a = 0; a < s->naccounts; a++)
        if (arr[a] > 0.005)
            total += arr[a];
    free(has);
    return total;
}

/* Mean CS hours, up to the end of the quarter, of the accounts in set. */
static double
mean_hours(const double *hours, const uint8_t *set, size_t n, size_t *count)
{
    double sum = 0;
    size_t k = 0;
    for (size_t a = 0; a < n; a++)
        if (set[a]) {
            sum += hours[a];
            k++;
        }
    *count = k;
    return k ? sum / (double)k : NAN;
}

/* ARR lost, expansion ARR won before the churn, and NRR points of a group
   of churns, whose accounts' churn days are in day[] (CL_DAY_NONE: not in
   the group). */
static void
group_impact(const cl_snapshot *s, const cl_day *day, double lost, double start,
             json_t *o, int *bad)
{
    double expansion = 0;
    for (size_t d = 0; d < s->ndeals; d++) {
        int32_t a = s->deal_account[d];
        if (a < 0 || day[a] == CL_DAY_NONE || s->deal_type[d] != 1 ||
            s->deal_state[d] != CL_DEAL_WON || isnan(s->deal_arr[d]) ||
            s->deal_closed_on[d] == CL_DAY_NONE ||
            s->deal_closed_on[d] >= day[a])
            continue;
        expansion += s->deal_arr[d];
    }
    put(o, "arr_lost", cl_json_num(lost, 2), bad);
    put(o, "expansion_arr", cl_json_num(expansion, 2), bad);
    put(o, "nrr_points", cl_json_num(start > 0 ? 100 * lost / start : NAN, 2),
        bad);
}

/* The cohort's churns (tagged, in the quarter) and which are bad-fit. */
typedef struct cohort {
    int32_t *rows; /* tagged churns in the quarter */
    size_t n;
    size_t untagged;
    size_t count[4]; /* by cl_badfit */
    size_t nbad;     /* churns with any bad-fit category */
} cohort;

static cl_err
impact(const cl_snapshot *s, const cl_period *p, const cohort *co, json_t *doc,
       cl_error *err)
{
    size_t na = s->naccounts ? s->naccounts : 1;
    double *arr = malloc(na * sizeof *arr), *hours = calloc(na, sizeof *hours);
    cl_day *day_all = malloc(na * sizeof *day_all),
           *day_bad = malloc(na * sizeof *day_bad);
    uint8_t *in_all = calloc(na, 1), *in_bad = calloc(na, 1),
            *well = calloc(na, 1);
    int bad = 0;
    cl_err rc = CL_OK;

    if (!arr || !hours || !day_all || !day_bad || !in_all || !in_bad || !well) {
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
        goto out;
    }
    double start = starting_arr(s, p, arr);
    double lost_all = 0, lost_bad = 0;
    for (size_t a = 0; a < s->naccounts; a++)
        day_all[a] = day_bad[a] = CL_DAY_NONE;
    for (size_t i = 0; i < co->n; i++) {
        int32_t c = co->rows[i], a = s->churn_account[c];
        double l = isnan(s->churn_arr_lost[c]) ? 0 : s->churn_arr_lost[c];
        int isbad = churn_badfit(s, c) != CL_BADFIT_NONE;
        lost_all += l;
        lost_bad += isbad ? l : 0;
        if (a < 0)
            continue;
        /* An account churning twice: its expansions count up to the later. */
        in_all[a] = 1;
        if (day_all[a] == CL_DAY_NONE || s->churn_on[c] > day_all[a])
            day_all[a] = s->churn_on[c];
        if (isbad) {
            in_bad[a] = 1;
            if (day_bad[a] == CL_DAY_NONE || s->churn_on[c] > day_bad[a])
                day_bad[a] = s->churn_on[c];
        }
    }

    /* Well-fit: started by the quarter's end inside the ICP in effect at
       close, and not churned by the quarter's end. */
    for (size_t a = 0; a < s->naccounts; a++) {
        int32_t d0 = s->account_start_deal[a], c = s->account_first_churn[a];
        if (d0 < 0 || s->account_start[a] > p->last ||
            (c >= 0 && s->churn_on[c] <= p->last))
            continue;
        int32_t v = cl_snapshot_icp_at(s, s->account_start[a]);
        well[a] = cl_snapshot_in_icp(s, v, d0) == 1;
    }
    int y, m;
    cl_date_ymd(p->last, &y, &m, NULL);
    int32_t last_month = y * 12 + m - 1;
    for (size_t h = 0; h < s->ncs_hours; h++) {
        int32_t a = s->cs_hours_account[h];
        if (a >= 0 && s->cs_hours_month[h] <= last_month &&
            !isnan(s->cs_hours_hours[h]))
            hours[a] += s->cs_hours_hours[h];
    }

    json_t *o = json_object();
    put(doc, "impact", o, &bad);
    if (o == NULL)
        goto out;
    group_impact(s, day_all, lost_all, start, o, &bad);
    put(o, "starting_arr", cl_json_num(start, 2), &bad);
    json_t *b = json_object();
    put(o, "bad_fit", b, &bad);
    if (b) {
        put(b, "churns", json_integer((json_int_t)co->nbad), &bad);
        group_impact(s, day_bad, lost_bad, start, b, &bad);
    }
    size_t k_all, k_bad, k_well;
    double h_all = mean_hours(hours, in_all, s->naccounts, &k_all);
    double h_bad = mean_hours(hours, in_bad, s->naccounts, &k_bad);
    double h_well = mean_hours(hours, well, s->naccounts, &k_well);
    if (s->ncs_hours == 0) /* no CS hours recorded: unknown, not zero */
        h_all = h_bad = h_well = NAN;
    json_t *h = json_object();
    put(o, "cs_hours_per_account", h, &bad);
    if (h) {
        put(h, "cohort", cl_json_num(h_all, 2), &bad);
        put(h, "bad_fit", cl_json_num(h_bad, 2), &bad);
        put(h, "well_fit", cl_json_num(h_well, 2), &bad);
        put(h, "ratio", cl_json_num(h_well > 0 ? h_all / h_well : NAN, 4),
            &bad);
        put(h, "bad_fit_ratio",
            cl_json_num(h_well > 0 ? h_bad / h_well : NAN, 4), &bad);
        put(h, "cohort_accounts", json_integer((json_int_t)k_all), &bad);
        put(h, "bad_fit_accounts", json_integer((json_int_t)k_bad), &bad);
        put(h, "well_fit_accounts", json_integer((json_int_t)k_well), &bad);
    }
out:
    if (bad && rc == CL_OK)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    free(arr);
    free(hours);
    free(day_all);
    free(day_bad);
    free(in_all);
    free(in_bad);
    free(well);
    return rc;
}

/* ---- categories and triggers ------------------------------------------- */

typedef struct rule {
    cl_badfit cat;
    const char *label;
    const char *share_key; /* the threshold on the share */
    const char *due_key;   /* its own due days, if the workspace sets it */
    const char *kind;      /* the follow-up it opens */
    const char *routes_to;
} rule;

static const rule rules[] = {
    {CL_BADFIT_WRONG_ICP, "Wrong ICP", "icp_review_share",
     "icp_review_due_days", "icp_review",
     "ICP definition review with Marketing"},
    {CL_BADFIT_MISALIGNED_USE_CASE, "Misaligned use case",
     "discovery_review_share", "discovery_review_due_days", "discovery_review",
     "discovery question review with Sales leadership"},
    {CL_BADFIT_OVER_PROMISED, "Over-promised", "coaching_share",
     "coaching_due_days", "coaching",
     "private coaching items for each concerned AE's manager and the VP "
     "Sales"},
};

/* One AE behind over-promised churns (private view only). */
typedef struct ae_row {
    int32_t user;
    const char *id;
    size_t churns;
} ae_row;

static int
cmp_ae(const void *a, const void *b)
{
    const ae_row *x = a, *y = b;
    if (x->churns != y->churns)
        return x->churns < y->churns ? 1 : -1;
    return strcmp(x->id, y->id);
}

static json_t *
user_ref(const cl_snapshot *s, int32_t u)
{
    if (u < 0)
        return json_null();
    return json_pack("{s:s, s:s}", "id", s->user_id[u], "name",
                     s->user_name[u]);
}

/* The coaching trigger's AE figures: how many AEs, and who only in a
   private view. */
static void
coaching_detail(const cl_snapshot *s, const cl_report_opts *o, const cohort *co,
                json_t *t, int *bad)
{
    ae_row *aes = calloc(co->n ? co->n : 1, sizeof *aes);
    size_t naes = 0, unknown = 0;
    if (aes == NULL) {
        *bad = 1;
        return;
    }
    for (size_t i = 0; i < co->n; i++) {
        int32_t c = co->rows[i];
        if (churn_badfit(s, c) != CL_BADFIT_OVER_PROMISED)
            continue;
        int32_t d = original_deal(s, c), u = d >= 0 ? s->deal_ae[d] : -1;
        if (u < 0) {
            unknown++;
            continue;
        }
        size_t j = 0;
        while (j < naes && aes[j].user != u)
            j++;
        if (j == naes) {
            aes[naes].user = u;
            aes[naes++].id = s->user_id[u];
        }
        aes[j].churns++;
    }
    put(t, "aes_concerned", json_integer((json_int_t)naes), bad);
    put(t, "churns_without_ae", json_integer((json_int_t)unknown), bad);
    if (o->private_view) {
        qsort(aes, naes, sizeof *aes, cmp_ae);
        json_t *items = json_array(), *vps = json_array();
        put(t, "items", items, bad);
        put(t, "vp_sales", vps, bad);
        for (size_t j = 0; items && j < naes; j++) {
            json_t *e = push_obj(items, bad);
            if (e == NULL)
                break;
            put(e, "ae", user_ref(s, aes[j].user), bad);
            put(e, "manager", user_ref(s, s->user_manager[aes[j].user]), bad);
            put(e, "churns", json_integer((json_int_t)aes[j].churns), bad);
        }
        int vp = cl_enum_index(cl_roles, "vp_sales");
        for (size_t u = 0; vps && u < s->nusers; u++)
            if (s->user_role[u] == vp &&
                json_array_append_new(vps, user_ref(s, (int32_t)u)) != 0)
                *bad = 1;
    }
    free(aes);
}

static void
categories(const cl_snapshot *s, const cl_report_opts *o, const cohort *co,
           json_t *doc, int *bad)
{
    cl_period next = cl_period_shift(&o->period, 1);
    cl_day opens = cl_cal_first_business_day(&s->calendar, &next);
    json_t *cats = json_array(), *trigs = json_array();
    double icp_due = cl_snapshot_threshold(s, "icp_review_due_days");

    put(doc, "categories", cats, bad);
    put(doc, "session_opens_on", cl_json_day(opens), bad);
    put(doc, "triggers", trigs, bad);
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        const rule *ru = &rules[r];
        size_t k = co->count[ru->cat];
        double thr = cl_snapshot_threshold(s, ru->share_key);
        cl_interval iv = {NAN, NAN, NAN};
        if (co->n)
            cl_stats_wilson(k, co->n, CL_STATS_Z95, &iv, NULL);
        int fired = co->n > 0 && !isnan(thr) && iv.est > thr;
        json_t *e = push_obj(cats, bad);
        if (e == NULL)
            return;
        put(e, "category", json_string(cl_badfit_code(ru->cat)), bad);
        put(e, "label", json_string(ru->label), bad);
        put(e, "count", json_integer((json_int_t)k), bad);
        put(e, "share", cl_json_num(iv.est, 6), bad);
        put(e, "ci_low", cl_json_num(iv.lo, 6), bad);
        put(e, "ci_high", cl_json_num(iv.hi, 6), bad);
        put(e, "threshold", cl_json_num(thr, 6), bad);
        put(e, "threshold_key", json_string(ru->share_key), bad);
        put(e, "fired", json_boolean(fired), bad);
        if (!fired)
            continue;

        /* Only the ICP review has its own due days by default; the others
           take them from the workspace if set, else the ICP review's. */
        double due = cl_snapshot_threshold(s, ru->due_key);
        if (isnan(due))
            due = icp_due;
        if (isnan(due))
            due = 30;
        char text[256];
        /* Rounded half up, as the rendered tables show shares.  People
           read it: the threshold's key is threshold_key, not in the text. */
        snprintf(text, sizeof text,
                 "%s share %.1f%% of the quarter's tagged churns (%zu of %zu) "
                 "is above the %.0f%% threshold",
                 ru->label, round(1000 * iv.est) / 10, k, co->n, 100 * thr);
        json_t *t = push_obj(trigs, bad);
        if (t == NULL)
            return;
        put(t, "kind", json_string(ru->kind), bad);
        put(t, "category", json_string(cl_badfit_code(ru->cat)), bad);
        put(t, "rule", json_string(text), bad);
        put(t, "opens_on", cl_json_day(opens), bad);
        put(t, "due_on", cl_json_day(opens + (cl_day)due), bad);
        put(t, "due_days", json_integer((json_int_t)due), bad);
        put(t, "routes_to", json_string(ru->routes_to), bad);
        if (ru->cat == CL_BADFIT_OVER_PROMISED) {
            put(t, "private", json_true(), bad);
            coaching_detail(s, o, co, t, bad);
        }
    }
}

/* The bad-fit churns' shared profile markers (markers.h). */
static cl_err
markers(const cl_snapshot *s, const cl_report_opts *o, const cohort *co,
        json_t *doc, cl_error *err)
{
    int32_t *acct = malloc((co->n ? co->n : 1) * sizeof *acct);
    int32_t *deal = malloc((co->n ? co->n : 1) * sizeof *deal);
    size_t n = 0, ncust = 0;
    json_t *list = NULL;
    int bad = 0;
    cl_err rc = CL_OK;
    if (acct == NULL || deal == NULL) {
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < co->n; i++) {
        int32_t c = co->rows[i];
        if (churn_badfit(s, c) == CL_BADFIT_NONE)
            continue;
        acct[n] = s->churn_account[c];
        deal[n++] = original_deal(s, c);
    }
    rc = cl_profile_markers(s, acct, deal, n, o->period.last, "bad-fit churns",
                            &list, &ncust, err);
    if (rc != CL_OK)
        goto out;
    put(doc, "profile_markers", list, &bad);
    put(doc, "profile_marker_basis",
        json_pack("{s:I, s:f, s:I, s:I}", "min_churns",
                  (json_int_t)CL_MARKER_MIN_CHURNS, "min_ratio",
                  CL_MARKER_MIN_RATIO, "bad_fit_churns", (json_int_t)n,
                  "customers", (json_int_t)ncust),
        &bad);
    if (bad)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
out:
    free(acct);
    free(deal);
    return rc;
}

cl_err
cl_report_bad_fit(const cl_snapshot *s, const cl_report_opts *o, json_t **out,
                  cl_error *err)
{
    const cl_period *p = &o->period;
    cohort co = {0};
    int bad = 0;
    cl_err rc;

    *out = NULL;
    if (p->kind != CL_PERIOD_QUARTER)
        return cl_error_set(err, CL_EINVAL,
                            "bad-fit: the period must be a quarter (YYYYQn), "
                            "got '%s'",
                            p->label);
    co.rows = malloc((s->nchurns ? s->nchurns : 1) * sizeof *co.rows);
    json_t *doc = json_object();
    if (co.rows == NULL || doc == NULL) {
        free(co.rows);
        json_decref(doc);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    for (size_t c = 0; c < s->nchurns; c++) {
        if (s->churn_on[c] == CL_DAY_NONE || s->churn_on[c] < p->first ||
            s->churn_on[c] > p->last)
            continue;
        if (s->churn_cause[c] < 0) {
            co.untagged++;
            continue;
        }
        co.rows[co.n++] = (int32_t)c;
        cl_badfit b = churn_badfit(s, (int32_t)c);
        co.count[b]++;
        co.nbad += b != CL_BADFIT_NONE;
    }

    /* Revenue impact leads the document. */
    if ((rc = impact(s, p, &co, doc, err)) != CL_OK)
        goto fail;
    put(doc, "period", json_string(p->label), &bad);
    put(doc, "from", cl_json_day(p->first), &bad);
    put(doc, "to", cl_json_day(p->last), &bad);
    put(doc, "cohort_size", json_integer((json_int_t)co.n), &bad);
    put(doc, "untagged", json_integer((json_int_t)co.untagged), &bad);
    put(doc, "bad_fit_churns", json_integer((json_int_t)co.nbad), &bad);
    categories(s, o, &co, doc, &bad);
    if ((rc = markers(s, o, &co, doc, err)) != CL_OK)
        goto fail;
    if (bad) {
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
        goto fail;
    }
    free(co.rows);
    *out = doc;
    return CL_OK;
fail:
    free(co.rows);
    json_decref(doc);
    return rc;
}
