#include "metrics.h"

#include <math.h>
#include <stdlib.h>

#include "stats.h"
#include "survival.h"
#include "../core/review_answer.h"

const char *const cl_employee_bands[] = {"1-19",    "20-49", "50-199",
                                         "200-999", "1000+", NULL};
const char *const cl_tenure_bands[] = {"<6", "6-11", "12-23", "24+", NULL};
const char *const cl_icp_fit_bands[] = {"0-39", "40-69", "70-100", NULL};
const char *const cl_promises_values[] = {"none", "concrete", NULL};

int
cl_deal_promises(const cl_snapshot *s, int32_t d)
{
    int32_t r = d < 0 ? -1 : s->deal_review[d];
    const char *q4 = r < 0 ? NULL : s->review_q4[r], *why;
    if (q4 == NULL || q4[0] == '\0')
        return -1;
    return !cl_review_answer_generic(q4, &why);
}

int
cl_deal_gut_read(const cl_snapshot *s, int32_t d)
{
    int32_t r = d < 0 ? -1 : s->deal_review[d];
    return r < 0 ? -1 : s->review_gut[r];
}

int
cl_band_employees(int32_t e)
{
    if (e < 1)
        return -1;
    return e < 20 ? 0 : e < 50 ? 1 : e < 200 ? 2 : e < 1000 ? 3 : 4;
}

int
cl_band_tenure(int32_t m)
{
    if (m < 0)
        return -1;
    return m < 6 ? 0 : m < 12 ? 1 : m < 24 ? 2 : 3;
}

int
cl_band_icp_fit(int32_t score)
{
    if (score < 0 || score > 100)
        return -1;
    return score < 40 ? 0 : score < 70 ? 1 : 2;
}

cl_err
cl_customer_survival(const cl_snapshot *s, const uint8_t *member, cl_day end,
                     double **time, int **event, size_t *n, cl_error *err)
{
    size_t k = 0;
    *time = malloc((s->naccounts ? s->naccounts : 1) * sizeof **time);
    *event = malloc((s->naccounts ? s->naccounts : 1) * sizeof **event);
    if (*time == NULL || *event == NULL) {
        free(*time);
        free(*event);
        *time = NULL;
        *event = NULL;
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    for (size_t a = 0; a < s->naccounts; a++) {
        cl_day start = s->account_start[a];
        if (start == CL_DAY_NONE || start > end || (member && !member[a]))
            continue;
        int32_t c = s->account_first_churn[a];
        /* A churn dated before the start (bad data) counts at day 0. */
        if (c >= 0 && s->churn_on[c] != CL_DAY_NONE && s->churn_on[c] <= end) {
            cl_day t = s->churn_on[c] - start;
            (*time)[k] = t < 0 ? 0 : t;
            (*event)[k] = 1;
        } else {
            (*time)[k] = end - start;
            (*event)[k] = 0;
        }
        k++;
    }
    *n = k;
    return CL_OK;
}

cl_err
cl_churn_12m_obs(const double *time, const int *event, size_t n,
                 cl_churn12 *out, cl_error *err)
{
    cl_err rc = CL_OK;
    out->customers = n;
    out->churned = 0;
    out->churn_12m = out->ci_low = out->ci_high = NAN;
    for (size_t i = 0; i < n; i++)
        out->churned += (size_t)event[i];
    if (n > 0) {
        cl_km km;
        rc = cl_km_fit(time, event, n, CL_STATS_Z95, &km, err);
        if (rc == CL_OK) {
            cl_km_point p;
            cl_km_at(&km, 365, &p);
            out->churn_12m = 1 - p.surv;
            /* No event yet: S = 1 exactly, and the bound is the point. */
            out->ci_low = isnan(p.upper) ? out->churn_12m : 1 - p.upper;
            out->ci_high = isnan(p.lower) ? out->churn_12m : 1 - p.lower;
            cl_km_free(&km);
        }
    }
    return rc;
}

cl_err
cl_churn_12m(const cl_snapshot *s, const uint8_t *member, cl_day end,
             cl_churn12 *out, cl_error *err)
{
    double *time;
    int *event;
    size_t n;
    cl_err rc;

    out->customers = out->churned = 0;
    out->churn_12m = out->ci_low = out->ci_high = NAN;
    if ((rc = cl_customer_survival(s, member, end, &time, &event, &n, err)))
        return rc;
    rc = cl_churn_12m_obs(time, event, n, out, err);
    free(time);
    free(event);
    return rc;
}

cl_day
cl_review_due(const cl_snapshot *s, int32_t d)
{
    double bd = cl_snapshot_threshold(s, "review_due_business_days");
    return cl_cal_add_business_days(&s->calendar, s->deal_closed_on[d],
                                    isnan(bd) ? 5 : (int)bd);
}

cl_review_state
cl_review_state_of(const cl_snapshot *s, int32_t d, cl_day today)
{
    cl_day held = s->deal_review_held_on[d], due = cl_review_due(s, d);
    cl_day kickoff = s->deal_kickoff_on[d];
    if (held == CL_DAY_NONE)
        return today != CL_DAY_NONE && due >= today ? CL_REVIEW_PENDING
                                                    : CL_REVIEW_MISSING;
    if (kickoff != CL_DAY_NONE && held > kickoff)
        return CL_REVIEW_AFTER_KICKOFF;
    return held <= due ? CL_REVIEW_ON_TIME : CL_REVIEW_LATE;
}

const char *
cl_review_state_name(cl_review_state st)
{
    static const char *const names[] = {"on_time", "late", "after_kickoff",
                                        "missing", "pending"};
    return names[st];
}

int32_t
cl_churn_ae(const cl_snapshot *s, int32_t c)
{
    if (c < 0 || (size_t)c >= s->nchurns)
        return -1;
    int32_t d = s->churn_deal[c];
    if (d < 0 && s->churn_account[c] >= 0)
        d = s->account_start_deal[s->churn_account[c]];
    return d >= 0 ? s->deal_ae[d] : -1;
}

void
cl_churn_ae_notified(const cl_snapshot *s, cl_time *at)
{
    for (size_t c = 0; c < s->nchurns; c++)
        at[c] = CL_TIME_NONE;
    for (size_t i = 0; i < s->nnotices; i++) {
        int32_t c = s->notice_churn[i];
        if (c < 0 || (size_t)c >= s->nchurns ||
            s->notice_queued_at[i] == CL_TIME_NONE)
            continue;
        int32_t ae = cl_churn_ae(s, c);
        if (ae < 0 || s->notice_recipient[i] != ae)
            continue;
        if (at[c] == CL_TIME_NONE || s->notice_queued_at[i] < at[c])
            at[c] = s->notice_queued_at[i];
    }
}
