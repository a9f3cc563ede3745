/*
 * report_monthly.c - the monthly churn debrief (docs/design.md section 2,
 * item 6).
 *
 * For one month: the accounts lost and the ARR they took, the causes they
 * were tagged with, what the customers said in their own words, how fast the
 * churns were tagged, and how many of the month's won `new` deals had their
 * won-deal review on time.  Accounts are named (the debrief is about them);
 * AEs never are.  docs/metrics.md, "Monthly churn debrief", defines each
 * figure.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "report.h"

/* Collects json_object_set_new failures so one check at the end suffices. */
static void
put(json_t *o, const char *key, json_t *v, int *bad)
{
    if (v == NULL || json_object_set_new(o, key, v) != 0)
        *bad = 1;
}

static void
push(json_t *a, json_t *v, int *bad)
{
    if (v == NULL || json_array_append_new(a, v) != 0)
        *bad = 1;
}

static json_t *
str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int
cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* One row of the causes table; code is NULL for the untagged churns. */
typedef struct cause_row {
    const char *code;
    const char *label;
    size_t count;
    double arr;
} cause_row;

/* By count, largest first, then by code ("untagged" sorts as a code). */
static int
cmp_cause(const void *a, const void *b)
{
    const cause_row *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->code, y->code);
}

/* A row to sort by day then id: the stable order of the lists (churns by
   churned_on, deals by closed_on).  The keys are copied so the comparison
   needs no global state. */
typedef struct keyed {
    cl_day day;
    const char *id;
    int32_t row;
} keyed;

static int
cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return strcmp(x->id, y->id);
}

static json_t *
account_name(const cl_snapshot *s, int32_t a)
{
    return a < 0 ? json_null() : json_string(s->account_name[a]);
}

/* The causes table, the stated reasons and the tagging delays. */
static void
churn_section(const cl_snapshot *s, const cl_report_opts *o, const keyed *rows,
              size_t n, json_t *doc, int *bad)
{
    cause_row tab[CL_MAX_CAUSES + 1];
    size_t ntab = 0, tagged = 0, sales = 0, over14 = 0, unknown_arr = 0;
    size_t untagged = 0;
    double arr = 0;
    int *days = malloc((n ? n : 1) * sizeof *days);
    size_t ndays = 0;
    uint8_t *seen = calloc(s->naccounts ? s->naccounts : 1, 1);
    size_t accounts = 0;

    if (days == NULL || seen == NULL) {
        free(days);
        free(seen);
        *bad = 1;
        return;
    }
    for (size_t i = 0; i <= CL_MAX_CAUSES; i++) {
        tab[i].code = i < CL_MAX_CAUSES ? s->causes[i].code : "untagged";
        tab[i].label = i < CL_MAX_CAUSES ? s->causes[i].label : "Untagged";
        tab[i].count = 0;
        tab[i].arr = 0;
    }
    for (size_t i = 0; i < n; i++) {
        int32_t c = rows[i].row, a = s->churn_account[c];
        int cause = s->churn_cause[c];
        double lost = s->churn_arr_lost[c];
        cause_row *r = &tab[cause >= 0 ? cause : CL_MAX_CAUSES];
        if (a >= 0 && !seen[a]) {
            seen[a] = 1;
            accounts++;
        }
        r->count++;
        if (isnan(lost))
            unknown_arr++;
        else {
            r->arr += lost;
            arr += lost;
        }
        if (cause < 0) {
            untagged++;
            /* "Older than 14 days" is judged on the report's today. */
            if (o->today != CL_DAY_NONE && o->today - s->churn_on[c] > 14)
                over14++;
            continue;
        }
        tagged++;
        sales += s->causes[cause].sales_attributable != 0;
        if (s->churn_tagged_on[c] != CL_DAY_NONE)
            days[ndays++] = s->churn_tagged_on[c] - s->churn_on[c];
    }
    free(seen);

    put(doc, "churns", json_integer((json_int_t)n), bad);
    put(doc, "churned_accounts", json_integer((json_int_t)accounts), bad);
    put(doc, "arr_lost", cl_json_num(arr, 2), bad);
    put(doc, "arr_lost_unknown", json_integer((json_int_t)unknown_arr), bad);
    put(doc, "tagged", json_integer((json_int_t)tagged), bad);
    put(doc, "untagged", json_integer((json_int_t)untagged), bad);

    /* Keep only the causes that occur, then order them. */
    for (size_t i = 0; i <= CL_MAX_CAUSES; i++)
        if (tab[i].count)
            tab[ntab++] = tab[i];
    qsort(tab, ntab, sizeof *tab, cmp_cause);
    json_t *causes = json_array();
    put(doc, "causes", causes, bad);
    for (size_t i = 0; causes && i < ntab; i++) {
        json_t *e = json_object();
        push(causes, e, bad);
        if (e == NULL)
            break;
        put(e, "code", json_string(tab[i].code), bad);
        put(e, "label", json_string(tab[i].label), bad);
        put(e, "count", json_integer((json_int_t)tab[i].count), bad);
        put(e, "arr_lost", cl_json_num(tab[i].arr, 2), bad);
    }
    put(doc, "sales_attributable_share",
        tagged ? cl_json_num((double)sales / (double)tagged, 6) : json_null(),
        bad);

    json_t *reasons = json_array();
    put(doc, "stated_reasons", reasons, bad);
    for (size_t i = 0; reasons && i < n; i++) {
        int32_t c = rows[i].row;
        if (s->churn_stated_reason[c] == NULL)
            continue;
        json_t *e = json_object();
        push(reasons, e, bad);
        if (e == NULL)
            break;
        int cause = s->churn_cause[c];
        put(e, "churn_id", json_string(s->churn_id[c]), bad);
        put(e, "account", account_name(s, s->churn_account[c]), bad);
        put(e, "churned_on", cl_json_day(s->churn_on[c]), bad);
        put(e, "cause", str_or_null(cause >= 0 ? s->causes[cause].code : NULL),
            bad);
        put(e, "stated_reason", json_string(s->churn_stated_reason[c]), bad);
    }

    json_t *tag = json_object();
    put(doc, "days_to_tag", tag, bad);
    if (tag) {
        double median = NAN, max = NAN;
        if (ndays) {
            qsort(days, ndays, sizeof *days, cmp_int);
            median = ndays % 2 ? days[ndays / 2]
                               : (days[ndays / 2 - 1] + days[ndays / 2]) / 2.0;
            max = days[ndays - 1];
        }
        put(tag, "tagged", json_integer((json_int_t)ndays), bad);
        put(tag, "median", cl_json_num(median, 1), bad);
        put(tag, "max", cl_json_num(max, 0), bad);
    }
    free(days);
    put(doc, "untagged_over_14_days",
        o->today == CL_DAY_NONE ? json_null()
                                : json_integer((json_int_t)over14),
        bad);
}

static double
median_of(int *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_int);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/*
 * days_to_ae_notification: over the month's churns whose primary cause is
 * deal-attributable, the days from churned_on to the day the engine queued
 * the churn flag to the churn's AE (and from tagged_on, where known).  Null
 * when the month has no such churn.
 */
static void
notification_section(const cl_snapshot *s, const keyed *rows, size_t n,
                     json_t *doc, int *bad)
{
    cl_time *at = malloc((s->nchurns ? s->nchurns : 1) * sizeof *at);
    int *days = malloc((n ? n : 1) * sizeof *days);
    int *from_tag = malloc((n ? n : 1) * sizeof *from_tag);
    size_t attributable = 0, ndays = 0, ntag = 0;
    if (at == NULL || days == NULL || from_tag == NULL) {
        free(at);
        free(days);
        free(from_tag);
        *bad = 1;
        return;
    }
    cl_churn_ae_notified(s, at);
    for (size_t i = 0; i < n; i++) {
        int32_t c = rows[i].row;
        int k = s->churn_cause[c];
        if (k < 0 || k >= CL_MAX_CAUSES || !s->causes[k].sales_attributable)
            continue;
        attributable++;
        if (at[c] == CL_TIME_NONE)
            continue;
        cl_day on = cl_time_day(at[c]);
        /* A churn recorded (and flagged) before its churned_on counts 0. */
        days[ndays++] = on > s->churn_on[c] ? on - s->churn_on[c] : 0;
        if (s->churn_tagged_on[c] != CL_DAY_NONE)
            from_tag[ntag++] =
                on > s->churn_tagged_on[c] ? on - s->churn_tagged_on[c] : 0;
    }
    if (attributable == 0) {
        put(doc, "days_to_ae_notification", json_null(), bad);
    } else {
        json_t *e = json_object();
        put(doc, "days_to_ae_notification", e, bad);
        if (e) {
            double median = median_of(days, ndays);
            /* median_of sorted days. */
            double max = ndays ? days[ndays - 1] : NAN;
            put(e, "attributable", json_integer((json_int_t)attributable), bad);
            put(e, "notified", json_integer((json_int_t)ndays), bad);
            put(e, "not_notified",
                json_integer((json_int_t)(attributable - ndays)), bad);
            put(e, "median", cl_json_num(median, 1), bad);
            put(e, "max", cl_json_num(max, 0), bad);
            put(e, "median_from_tag", cl_json_num(median_of(from_tag, ntag), 1),
                bad);
        }
    }
    free(at);
    free(days);
    free(from_tag);
}

/*
 * process_change: the process change recorded in the month's debrief
 * session (the first, should there be more), with its check-in.  The owner
 * is named unless it is an AE and the view is not private.
 */
static void
process_change_section(const cl_snapshot *s, const cl_report_opts *o,
                       json_t *doc, int *bad)
{
    const cl_period *p = &o->period;
    size_t i = 0;
    while (i < s->npcs &&
           !(s->pc_session_kind[i] &&
             strcmp(s->pc_session_kind[i], "monthly_debrief") == 0 &&
             s->pc_period[i] && strcmp(s->pc_period[i], p->label) == 0))
        i++;
    if (i == s->npcs) {
        put(doc, "process_change", json_null(), bad);
        return;
    }
    json_t *e = json_object();
    put(doc, "process_change", e, bad);
    if (e == NULL)
        return;
    int32_t u = s->pc_owner[i];
    int is_ae = u >= 0 && s->user_role[u] >= 0 &&
                strcmp(cl_roles[s->user_role[u]], "ae") == 0;
    if (u < 0 || (is_ae && !o->private_view))
        put(e, "owner", json_null(), bad);
    else
        put(e, "owner",
            json_pack("{s:s, s:s?}", "id", s->user_id[u], "name",
                      s->user_name[u]),
            bad);
    put(e, "description", str_or_null(s->pc_description[i]), bad);
    cl_day due = s->pc_checkin_due[i], on = s->pc_checkin_on[i];
    const char *status;
    if (on != CL_DAY_NONE)
        status = due == CL_DAY_NONE || on <= due ? "on_time" : "late";
    else if (o->today != CL_DAY_NONE && due != CL_DAY_NONE && o->today > due)
        status = "overdue";
    else
        status = "pending";
    put(e, "checkin_due", cl_json_day(due), bad);
    put(e, "checked_in_on", cl_json_day(on), bad);
    put(e, "checkin_status", json_string(status), bad);
    put(e, "late",
        json_boolean(strcmp(status, "late") == 0 ||
                     strcmp(status, "overdue") == 0),
        bad);
}

/* Won-deal review completion for the `new` deals closed in the month. */
static void
review_section(const cl_snapshot *s, const cl_report_opts *o, json_t *doc,
               int *bad)
{
    const cl_period *p = &o->period;
    double target = cl_snapshot_threshold(s, "review_completion_target");
    keyed *won = malloc((s->ndeals ? s->ndeals : 1) * sizeof *won);
    size_t nwon = 0, on_time = 0, late = 0, after = 0, missing = 0, pending = 0;

    if (won == NULL) {
        *bad = 1;
        return;
    }
    for (size_t d = 0; d < s->ndeals; d++)
        if (s->deal_state[d] == CL_DEAL_WON && s->deal_type[d] == 0 &&
            s->deal_closed_on[d] != CL_DAY_NONE &&
            s->deal_closed_on[d] >= p->first && s->deal_closed_on[d] <= p->last)
            won[nwon++] =
                (keyed){s->deal_closed_on[d], s->deal_id[d], (int32_t)d};
    qsort(won, nwon, sizeof *won, cmp_keyed);

    json_t *rc = json_object(), *list = json_array();
    put(doc, "review_completion", rc, bad);
    if (rc == NULL || list == NULL) {
        json_decref(list);
        free(won);
        *bad = 1;
        return;
    }
    for (size_t i = 0; i < nwon; i++) {
        int32_t d = won[i].row;
        cl_review_state st = cl_review_state_of(s, d, o->today);
        on_time += st == CL_REVIEW_ON_TIME;
        late += st == CL_REVIEW_LATE || st == CL_REVIEW_AFTER_KICKOFF;
        after += st == CL_REVIEW_AFTER_KICKOFF;
        missing += st == CL_REVIEW_MISSING;
        pending += st == CL_REVIEW_PENDING;
        json_t *e = json_object();
        push(list, e, bad);
        if (e == NULL)
            break;
        put(e, "deal_id", json_string(s->deal_id[d]), bad);
        put(e, "account", account_name(s, s->deal_account[d]), bad);
        put(e, "closed_on", cl_json_day(s->deal_closed_on[d]), bad);
        put(e, "due_on", cl_json_day(cl_review_due(s, d)), bad);
        put(e, "kickoff_on", cl_json_day(s->deal_kickoff_on[d]), bad);
        put(e, "held_on", cl_json_day(s->deal_review_held_on[d]), bad);
        put(e, "status", json_string(cl_review_state_name(st)), bad);
    }
    double rate = nwon ? (double)on_time / (double)nwon : NAN;
    put(rc, "closed_won", json_integer((json_int_t)nwon), bad);
    put(rc, "on_time", json_integer((json_int_t)on_time), bad);
    put(rc, "late", json_integer((json_int_t)late), bad);
    put(rc, "after_kickoff", json_integer((json_int_t)after), bad);
    put(rc, "missing", json_integer((json_int_t)missing), bad);
    put(rc, "pending", json_integer((json_int_t)pending), bad);
    put(rc, "rate", cl_json_num(rate, 6), bad);
    put(rc, "target", cl_json_num(target, 6), bad);
    put(rc, "met_target",
        isnan(rate) || isnan(target) ? json_null()
                                     : json_boolean(rate >= target),
        bad);
    put(rc, "due_business_days",
        cl_json_num(cl_snapshot_threshold(s, "review_due_business_days"), 0),
        bad);
    put(rc, "deals", list, bad);
    free(won);
}

cl_err
cl_report_monthly(const cl_snapshot *s, const cl_report_opts *o, json_t **out,
                  cl_error *err)
{
    const cl_period *p = &o->period;
    int bad = 0;

    *out = NULL;
    if (p->kind != CL_PERIOD_MONTH)
        return cl_error_set(err, CL_EINVAL,
                            "monthly: the period must be a month (YYYY-MM), "
                            "got '%s'",
                            p->label);
    keyed *rows = malloc((s->nchurns ? s->nchurns : 1) * sizeof *rows);
    json_t *doc = json_object();
    if (rows == NULL || doc == NULL) {
        free(rows);
        json_decref(doc);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    size_t n = 0;
    for (size_t c = 0; c < s->nchurns; c++)
        if (s->churn_on[c] != CL_DAY_NONE && s->churn_on[c] >= p->first &&
            s->churn_on[c] <= p->last)
            rows[n++] = (keyed){s->churn_on[c], s->churn_id[c], (int32_t)c};
    qsort(rows, n, sizeof *rows, cmp_keyed);

    put(doc, "period", json_string(p->label), &bad);
    put(doc, "from", cl_json_day(p->first), &bad);
    put(doc, "to", cl_json_day(p->last), &bad);
    churn_section(s, o, rows, n, doc, &bad);
    notification_section(s, rows, n, doc, &bad);
    free(rows);
    process_change_section(s, o, doc, &bad);
    review_section(s, o, doc, &bad);
    /* Why a figure of the loop engine is null. */
    json_t *notes = json_object();
    put(doc, "notes", notes, &bad);
    if (notes && json_is_null(json_object_get(doc, "days_to_ae_notification")))
        put(notes, "days_to_ae_notification",
            json_string("No churn of the month is tagged with a "
                        "deal-attributable cause."),
            &bad);
    if (notes && json_is_null(json_object_get(doc, "process_change")))
        put(notes, "process_change",
            json_string("No process change is recorded in the month's "
                        "debrief session (closeloop change record)."),
            &bad);
    if (bad) {
        json_decref(doc);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    *out = doc;
    return CL_OK;
}
