/*
 * report_health.c - loop health (docs/design.md section 2, item 12): is the
 * loop closing?
 *
 * Six checks for each of the last four complete quarters before today,
 * oldest first, and a summary of the latest.  A check that cannot be
 * computed (no data for the quarter) has pass = null and says why in its
 * note.  Definitions are in
 * docs/metrics.md, section "Loop health".
 */
#include "metrics.h"
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NQUARTERS 4
#define COVERAGE_TARGET 0.9

static int
in_period(cl_day d, const cl_period *p)
{
    return d != CL_DAY_NONE && d >= p->first && d <= p->last;
}

/*
 * The top-3 causes of the churn cohort of p (tagged churns with churned_on
 * in p): ranked by count, ties in taxonomy order; only causes with a churn.
 * top[] receives up to 3 cause indexes; returns how many.
 */
static int
top3(const cl_snapshot *s, const cl_period *p, int top[3])
{
    size_t count[CL_MAX_CAUSES] = {0};
    int k = 0;
    for (size_t c = 0; c < s->nchurns; c++)
        if (in_period(s->churn_on[c], p) && s->churn_cause[c] >= 0 &&
            s->churn_cause[c] < CL_MAX_CAUSES)
            count[s->churn_cause[c]]++;
    for (; k < 3; k++) {
        int best = -1;
        for (int i = 0; i < CL_MAX_CAUSES; i++) {
            int taken = 0;
            for (int m = 0; m < k; m++)
                taken |= top[m] == i;
            if (!taken && count[i] > 0 && (best < 0 || count[i] > count[best]))
                best = i;
        }
        if (best < 0)
            break;
        top[k] = best;
    }
    return k;
}

/* unit says how value and target read: "share" (a fraction, 1 is all),
   "days" or "cause" (a taxonomy code; the target is then a number of
   quarters). */
static json_t *
check(const char *name, const char *unit, int pass, json_t *value,
      json_t *target, const char *note)
{
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:s}", "check", name, "unit",
                     unit, "pass", pass < 0 ? json_null() : json_boolean(pass),
                     "value", value, "target", target, "note", note);
}

/* A share always as a JSON real, so 1 reads as 100% and not as a count. */
static json_t *
share(double v)
{
    return isnan(v) ? json_null() : json_real(round(v * 1e6) / 1e6);
}

/* The first cause in p's top 3 that is also in the top 3 of the n - 1
   quarters before it, or -1. */
static int
repeating_cause(const cl_snapshot *s, const cl_period *p, int n)
{
    int top[3], k = top3(s, p, top);
    for (int i = 0; i < k; i++) {
        int all = 1;
        for (int back = 1; back < n && all; back++) {
            cl_period q = cl_period_shift(p, -back);
            int t2[3], k2 = top3(s, &q, t2), in = 0;
            for (int m = 0; m < k2; m++)
                in |= t2[m] == top[i];
            all = in;
        }
        if (all)
            return top[i];
    }
    return -1;
}

static json_t *
stale_icp(const cl_snapshot *s, const cl_period *p)
{
    double days = cl_snapshot_threshold(s, "stale_icp_days");
    cl_day from = p->last - (cl_day)days + 1; /* the window's first day */
    cl_day last = CL_DAY_NONE;
    size_t tagged = 0;
    char note[200];
    for (size_t i = 0; i < s->nicp; i++)
        if (s->icp_effective_on[i] != CL_DAY_NONE &&
            s->icp_effective_on[i] <= p->last &&
            (last == CL_DAY_NONE || s->icp_effective_on[i] > last))
            last = s->icp_effective_on[i];
    /* An explicit decision not to change is a review of the definition
       (docs/design.md section 2, item 8): it counts as an update from the
       day it was made. */
    int reviewed = 0;
    for (size_t i = 0; i < s->nicp_reviews; i++)
        if (s->icp_review_on[i] <= p->last &&
            (last == CL_DAY_NONE || s->icp_review_on[i] > last)) {
            last = s->icp_review_on[i];
            reviewed = 1;
        }
    for (size_t c = 0; c < s->nchurns; c++)
        if (s->churn_tagged_on[c] != CL_DAY_NONE &&
            s->churn_tagged_on[c] >= from && s->churn_tagged_on[c] <= p->last)
            tagged++;
    int stale = last == CL_DAY_NONE || last < from;
    snprintf(note, sizeof note,
             "%zu churns tagged in the %.0f days to the quarter end; %s",
             tagged, days,
             last == CL_DAY_NONE ? "no ICP version in effect"
             : reviewed ? "days since the ICP review decided not to change it"
                        : "days since the last ICP version took effect");
    return check("stale_icp", "days", !(stale && tagged > 0),
                 last == CL_DAY_NONE ? json_null()
                                     : json_integer(p->last - last),
                 cl_json_num(days, 0), note);
}

static int
cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/*
 * Median days from churned_on to the day the churn flag reached the AE
 * (queued by the engine) over the quarter's tagged sales-attributable
 * churns that were flagged; at is cl_churn_ae_notified's.
 */
static json_t *
signal_latency(const cl_snapshot *s, const cl_period *p, const cl_time *at,
               int *days)
{
    double target = cl_snapshot_threshold(s, "signal_latency_days");
    size_t n = 0, attributable = 0;
    char note[200];
    for (size_t c = 0; c < s->nchurns; c++) {
        int k = s->churn_cause[c];
        if (!in_period(s->churn_on[c], p) || k < 0 || k >= CL_MAX_CAUSES ||
            !s->causes[k].sales_attributable)
            continue;
        attributable++;
        if (at[c] == CL_TIME_NONE)
            continue;
        int d = cl_time_day(at[c]) - s->churn_on[c];
        days[n++] = d < 0 ? 0 : d;
    }
    double median = NAN;
    if (n) {
        qsort(days, n, sizeof *days, cmp_int);
        median = n % 2 ? days[n / 2] : (days[n / 2 - 1] + days[n / 2]) / 2.0;
    }
    if (attributable)
        snprintf(note, sizeof note,
                 "median days from churn to the churn flag reaching the AE; "
                 "%zu of %zu sales-attributable churns of the quarter "
                 "flagged",
                 n, attributable);
    else
        snprintf(note, sizeof note,
                 "no sales-attributable churns in the quarter");
    return check("signal_latency", "days", n ? median <= target : -1,
                 cl_json_num(median, 1), cl_json_num(target, 0), note);
}

/*
 * Process changes whose check-in was due in p, checked in on or before the
 * due day (check-ins still open count as not on time once due); passes
 * when all were.
 */
static json_t *
process_change_checkins(const cl_snapshot *s, const cl_period *p)
{
    size_t due = 0, on_time = 0;
    char note[160];
    for (size_t i = 0; i < s->npcs; i++) {
        if (!in_period(s->pc_checkin_due[i], p))
            continue;
        due++;
        on_time += s->pc_checkin_on[i] != CL_DAY_NONE &&
                   s->pc_checkin_on[i] <= s->pc_checkin_due[i];
    }
    double rate = due ? (double)on_time / (double)due : NAN;
    if (due)
        snprintf(note, sizeof note,
                 "%zu of %zu process changes due for their check-in in the "
                 "quarter checked in on time",
                 on_time, due);
    else
        snprintf(note, sizeof note,
                 "no process-change check-in due in the quarter");
    return check("process_change_checkins", "share", due ? on_time == due : -1,
                 share(rate), share(1), note);
}

/* Won new deals closed in p (the ones a won-deal review is for), reviewed
   on time (metrics.h). */
static json_t *
review_completion(const cl_snapshot *s, const cl_period *p)
{
    double target = cl_snapshot_threshold(s, "review_completion_target");
    int due = (int)cl_snapshot_threshold(s, "review_due_business_days");
    size_t won = 0, on_time = 0;
    for (size_t d = 0; d < s->ndeals; d++) {
        if (s->deal_state[d] != CL_DEAL_WON || s->deal_type[d] != 0 ||
            !in_period(s->deal_closed_on[d], p))
            continue;
        won++;
        on_time +=
            cl_review_state_of(s, (int32_t)d, CL_DAY_NONE) == CL_REVIEW_ON_TIME;
    }
    double rate = won ? (double)on_time / won : NAN;
    char note[160];
    snprintf(note, sizeof note,
             "%zu of %zu won new deals reviewed within %d business days of "
             "close and before kickoff",
             on_time, won, due);
    return check("review_completion", "share", won ? rate >= target : -1,
                 share(rate), share(target), note);
}

static json_t *
attribute_coverage(const cl_snapshot *s, const cl_period *p)
{
    size_t won = 0, full = 0;
    for (size_t d = 0; d < s->ndeals; d++) {
        if (s->deal_state[d] != CL_DEAL_WON || s->deal_type[d] != 0 ||
            !in_period(s->deal_closed_on[d], p))
            continue;
        won++;
        full += s->deal_icp_fit[d] >= 0 && s->deal_champion_level[d] >= 0 &&
                s->deal_champion_tenure[d] >= 0 &&
                s->deal_exec_sponsor[d] >= 0 && s->deal_use_case[d] >= 0 &&
                s->deal_source[d] >= 0;
    }
    double rate = won ? (double)full / won : NAN;
    char note[240];
    snprintf(note, sizeof note,
             "%zu of %zu won new deals have their ICP fit score, champion's "
             "level, champion's months in the role, executive sponsor, use "
             "case and deal source",
             full, won);
    return check("attribute_coverage", "share",
                 won ? rate >= COVERAGE_TARGET : -1, share(rate),
                 share(COVERAGE_TARGET), note);
}

cl_err
cl_report_health(const cl_snapshot *s, const cl_report_opts *o, json_t **out,
                 cl_error *err)
{
    cl_period cur = cl_period_of(CL_PERIOD_QUARTER, o->today);
    int nrep = (int)cl_snapshot_threshold(s, "repeating_cause_quarters");
    int *days = malloc((s->nchurns ? s->nchurns : 1) * sizeof *days);
    cl_time *at = malloc((s->nchurns ? s->nchurns : 1) * sizeof *at);
    json_t *j = json_object(), *qs = json_array(), *last = NULL;
    *out = NULL;
    if (days == NULL || at == NULL || j == NULL || qs == NULL) {
        free(days);
        free(at);
        json_decref(j);
        json_decref(qs);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    if (nrep < 1)
        nrep = 4;
    cl_churn_ae_notified(s, at);

    json_object_set_new(j, "as_of", cl_json_day(o->today));
    json_object_set_new(j, "quarters", qs);
    for (int i = NQUARTERS; i >= 1; i--) {
        cl_period p = cl_period_shift(&cur, -i);
        json_t *checks = json_array();
        int rc = repeating_cause(s, &p, nrep);
        char note[160];
        snprintf(note, sizeof note,
                 "a cause in the top 3 of the churn cohort for %d "
                 "consecutive quarters ending with this one fails",
                 nrep);
        json_array_append_new(
            checks,
            check("repeating_cause", "cause", rc < 0,
                  rc < 0 ? json_null() : json_string(s->causes[rc].code),
                  json_integer(nrep), note));
        json_array_append_new(checks, stale_icp(s, &p));
        json_array_append_new(checks, signal_latency(s, &p, at, days));
        json_array_append_new(checks, review_completion(s, &p));
        json_array_append_new(checks, process_change_checkins(s, &p));
        json_array_append_new(checks, attribute_coverage(s, &p));
        last = json_pack("{s:s, s:o}", "period", p.label, "checks", checks);
        json_array_append_new(qs, last);
    }

    /* The latest quarter's verdicts. */
    json_t *passed = json_array(), *failed = json_array(),
           *unknown = json_array(), *c;
    size_t k;
    json_array_foreach(json_object_get(last, "checks"), k, c)
    {
        json_t *pass = json_object_get(c, "pass");
        json_t *name = json_object_get(c, "check");
        json_array_append(json_is_null(pass)   ? unknown
                          : json_is_true(pass) ? passed
                                               : failed,
                          name);
    }
    json_object_set_new(
        j, "summary",
        json_pack("{s:O, s:I, s:I, s:I, s:o, s:o, s:o}", "period",
                  json_object_get(last, "period"), "passed",
                  (json_int_t)json_array_size(passed), "failed",
                  (json_int_t)json_array_size(failed), "unknown",
                  (json_int_t)json_array_size(unknown), "passing", passed,
                  "failing", failed, "not_computed", unknown));
    free(days);
    free(at);
    *out = j;
    return CL_OK;
}
