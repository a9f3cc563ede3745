/*
 * metrics.h - the definitions every report shares (docs/metrics.md).
 *
 * A customer is an account with a closed_won deal of type new; it starts on
 * that deal's closed_on (cl_snapshot account_start).  The churn cohort of a
 * period is the churns with churned_on in it.  The 12-month churn of a group
 * is 1 - S(365 days) by Kaplan-Meier from start to the first churn (an event)
 * or to the end of the period (censored).
 */
#ifndef CL_METRICS_H
#define CL_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

/* Bands: the index of the band, or -1 when the value is unknown. */
int cl_band_employees(int32_t employees);     /* 1-19 20-49 50-199 ... */
int cl_band_tenure(int32_t months);           /* <6 6-11 12-23 24+ */
int cl_band_icp_fit(int32_t score);           /* 0-39 40-69 70-100 */
extern const char *const cl_employee_bands[]; /* NULL-terminated labels */
extern const char *const cl_tenure_bands[];
extern const char *const cl_icp_fit_bands[];

/* From deal d's won-deal review (issue 14): whether Q4 names a concrete
   promise (1: not generic by review_answer.h) or not (0); -1 without a
   review or with Q4 empty.  cl_promises_values names the codes. */
int cl_deal_promises(const cl_snapshot *s, int32_t d);
extern const char *const cl_promises_values[]; /* "none", "concrete" */

/* Deal d's Q7 gut read (an index of cl_gut_reads), or -1. */
int cl_deal_gut_read(const cl_snapshot *s, int32_t d);

/* The 12-month churn of a group of customers. */
typedef struct cl_churn12 {
    size_t customers; /* customers started on or before end */
    size_t churned;   /* of them, churned on or before end */
    double churn_12m; /* 1 - S(365); NaN without customers */
    double ci_low;    /* 95% interval, 1 - the log-log bounds of S(365) */
    double ci_high;
} cl_churn12;

/*
 * Computes the 12-month churn of the customers whose account row a has
 * member[a] != 0 (every customer when member is NULL), observed up to and
 * including end.
 */
cl_err cl_churn_12m(const cl_snapshot *s, const uint8_t *member, cl_day end,
                    cl_churn12 *out, cl_error *err);

/*
 * The 12-month churn of survival data already gathered (time[i] days,
 * event[i] 0 or 1, as cl_customer_survival gives them): the same figures
 * as cl_churn_12m, for callers that split one set of customers many ways.
 */
cl_err cl_churn_12m_obs(const double *time, const int *event, size_t n,
                        cl_churn12 *out, cl_error *err);

/*
 * The survival data of those customers: time[i] days from start to the
 * first churn (event[i] = 1) or to end (event[i] = 0), for the *n customers
 * that started on or before end.  The caller frees *time and *event.
 */
cl_err cl_customer_survival(const cl_snapshot *s, const uint8_t *member,
                            cl_day end, double **time, int **event, size_t *n,
                            cl_error *err);

/*
 * Won-deal reviews.  A won `new` deal's review is due review_due_business_days
 * business days after close and before kickoff; held on the kickoff day
 * still counts.  States, as the JSON spells them: on_time, late (after the
 * due day), after_kickoff, missing (none, and the due day has passed), and
 * pending (none yet, not yet due on today).
 */
typedef enum cl_review_state {
    CL_REVIEW_ON_TIME,
    CL_REVIEW_LATE,
    CL_REVIEW_AFTER_KICKOFF,
    CL_REVIEW_MISSING,
    CL_REVIEW_PENDING
} cl_review_state;

/* The due day of the review of won deal d. */
cl_day cl_review_due(const cl_snapshot *s, int32_t d);

/* The state of deal d's review as of today (CL_DAY_NONE: never pending). */
cl_review_state cl_review_state_of(const cl_snapshot *s, int32_t d,
                                   cl_day today);

/* "on_time", "late", "after_kickoff", "missing", "pending". */
const char *cl_review_state_name(cl_review_state st);

/*
 * The AE of churn c: the AE of its deal, else of its account's start deal
 * (the deal the engine flags the churn to); -1 when unknown.
 */
int32_t cl_churn_ae(const cl_snapshot *s, int32_t c);

/*
 * When Sales heard of each churn: at[c] is the earliest queue time of a
 * churn flag (notice) of churn c to its AE, CL_TIME_NONE when none; at has
 * s->nchurns entries.  A flag counts from the moment the engine queues it:
 * delivery retries are the outbox's business (cl_snapshot notice_sent_at).
 */
void cl_churn_ae_notified(const cl_snapshot *s, cl_time *at);

#endif
