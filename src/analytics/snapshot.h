/*
 * snapshot.h - the workspace in memory, column by column, for analytics.
 *
 * The shell loads a snapshot once per run (io/snapshot_load.h) and every
 * report and statistic reads it; nothing in analytics touches the store or
 * the clock.  Columns are plain arrays indexed by row; references between
 * records are row indexes (-1 when unknown or dangling); low-cardinality
 * text (industry, region, source, stage, use case) is interned, so a column
 * holds indexes into `strings`.
 *
 * Unknown values: -1 for indexes, enums, counts and booleans; NAN for money;
 * CL_DAY_NONE for dates.
 */
#ifndef CL_SNAPSHOT_H
#define CL_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/date.h"
#include "../core/err.h"
#include "../core/icp_expr.h"
#include "../core/record.h"
#include "../core/taxonomy.h"

#define CL_DAY_NONE INT32_MIN
#define CL_TIME_NONE INT64_MIN

/* Where a deal stands. */
enum { CL_DEAL_OPEN = 0, CL_DEAL_WON = 1, CL_DEAL_LOST = 2 };

/* The number of cause codes; contributing causes are a bitmask of them. */
#define CL_NCAUSES 13

typedef struct cl_snapshot {
    /* Interned text: industry, region, source, stage, use_case. */
    const char **strings;
    size_t nstrings;

    size_t nusers;
    const char **user_id, **user_name, **user_email, **user_team;
    int8_t *user_role;      /* index into cl_roles */
    int32_t *user_manager;  /* user row */

    size_t naccounts;
    const char **account_id, **account_name;
    int32_t *account_industry, *account_region; /* string index */
    int32_t *account_employees;
    int8_t *account_has_ops;
    int32_t *account_csm;   /* user row */
    cl_day *account_customer_since;
    int8_t *account_status; /* index into cl_account_statuses */
    /* Derived: the customer's start (docs/metrics.md). */
    int32_t *account_start_deal; /* first closed_won `new` deal, or -1 */
    cl_day *account_start;       /* its closed_on, or CL_DAY_NONE */
    int32_t *account_first_churn;/* earliest churn row, or -1 */

    size_t ndeals;
    const char **deal_id;
    int32_t *deal_account, *deal_ae;  /* account row, user row */
    int8_t *deal_type;                /* index into cl_deal_types */
    int32_t *deal_source, *deal_stage, *deal_use_case; /* string index */
    int8_t *deal_state;               /* CL_DEAL_OPEN / WON / LOST */
    cl_day *deal_created_on, *deal_first_demo_on, *deal_closed_on,
        *deal_kickoff_on;
    double *deal_arr;
    int8_t *deal_loss_reason;         /* index into cl_loss_reasons */
    int16_t *deal_icp_fit;
    int8_t *deal_champion_level;      /* index into cl_champion_levels */
    int16_t *deal_champion_tenure;    /* months */
    int8_t *deal_exec_sponsor;
    cl_day *deal_review_held_on;      /* derived: its earliest won-deal
                                         review, or CL_DAY_NONE */

    size_t nchurns;
    const char **churn_id;
    int32_t *churn_account, *churn_deal;
    cl_day *churn_on;
    double *churn_arr_lost;
    const char **churn_stated_reason, **churn_diagnosis, **churn_predictive;
    int8_t *churn_cause;          /* index into cl_cause_codes, -1 untagged */
    uint16_t *churn_contributing; /* bit i: cl_cause_codes[i] */
    int32_t *churn_tagged_by;     /* user row */
    cl_day *churn_tagged_on;

    size_t nrecoveries;
    const char **recovery_id, **recovery_cs_intervention,
        **recovery_what_changed;
    int32_t *recovery_original, *recovery_new; /* deal rows */
    int8_t *recovery_type;        /* index into cl_recovery_types */
    int32_t *recovery_csm;        /* user row */
    cl_day *recovery_logged_on;

    size_t nreviews;
    int32_t *review_deal;
    cl_day *review_held_on;
    const char **review_q[7];     /* q1 .. q7, NULL when empty */
    int8_t *review_gut;           /* index into cl_gut_reads */

    size_t ncs_hours;
    int32_t *cs_hours_account;
    int32_t *cs_hours_month;      /* year * 12 + month - 1 */
    double *cs_hours_hours;

    size_t narr;
    int32_t *arr_account;
    cl_day *arr_on;
    int8_t *arr_kind;             /* index into cl_arr_kinds */
    double *arr_amount;

    /* ICP versions, ascending by version. */
    size_t nicp;
    int32_t *icp_version;
    cl_day *icp_effective_on;
    const char **icp_criteria, **icp_rationale;
    int32_t *icp_owner;           /* user row */
    cl_icp_expr **icp_expr;       /* NULL if it no longer parses */

    /* Holidays, ascending, and the business calendar over them. */
    size_t nholidays;
    cl_day *holidays;
    cl_calendar calendar;

    /* The workspace's taxonomy (labels may differ from the defaults), in
       cl_cause_codes order, and its thresholds. */
    cl_cause causes[CL_NCAUSES];
    size_t nthresholds;
    const char **threshold_key;
    double *threshold_value;

    /* The loop engine's records (cl_snapshot_add_notice and friends).
       Notices: the churn flags the engine queued for Sales (outbox kind
       churn_flag), one row per recipient, by queue time. */
    size_t nnotices;
    int32_t *notice_churn;        /* churn row */
    int32_t *notice_recipient;    /* user row */
    cl_time *notice_queued_at;    /* created_at of the outbox row */
    cl_time *notice_sent_at;      /* CL_TIME_NONE until delivered */

    /* Tag changes: every audited change of a churn's primary or
       contributing causes (the first tag included), oldest first. */
    size_t ntag_changes;
    int32_t *tag_change_churn;    /* churn row */
    int32_t *tag_change_by;       /* user row of the actor, or -1 */
    cl_time *tag_change_at;
    int8_t *tag_change_old_cause, *tag_change_new_cause; /* -1 untagged */
    uint16_t *tag_change_old_contributing, *tag_change_new_contributing;

    /* Process changes recorded in review sessions. */
    size_t npcs;
    const char **pc_session_kind; /* e.g. "monthly_debrief" */
    const char **pc_period;       /* the session's period, "YYYY-MM" */
    int32_t *pc_owner;            /* user row */
    const char **pc_description;
    cl_day *pc_checkin_due, *pc_checkin_on;

    /* ICP reviews that decided not to change the definition (issue 14):
       the day of each decision, in the order recorded.  Loop health counts
       them as ICP updates. */
    size_t nicp_reviews;
    cl_day *icp_review_on;

    struct cl_snapshot_int *in; /* builder state and id maps */
} cl_snapshot;

/* An empty snapshot to fill with cl_snapshot_add; NULL when out of memory.
   Free with cl_snapshot_free. */
cl_snapshot *cl_snapshot_new(void);
void cl_snapshot_free(cl_snapshot *s);

/*
 * An empty, finished snapshot whose columns and counts the caller fills by
 * pointing them into block, memory it hands over (io/snapshot_cache.c does
 * this for a snapshot read back from its cache file).  cl_snapshot_free
 * calls release(block) instead of freeing the columns; icp_expr and its
 * expressions stay the snapshot's own (malloc'd, freed as usual).  The id
 * maps behind cl_snapshot_user/account/deal are built on the first lookup.
 * cl_snapshot_add and the setters refuse such a snapshot.  NULL when out of
 * memory (block is then not released).
 */
cl_snapshot *cl_snapshot_new_over(void *block, void (*release)(void *block));

/*
 * Adds one record of kind (values in the kind's column order, as
 * cl_store_each gives them).  Records may arrive in any order; references
 * are resolved by cl_snapshot_finish.  Strings are copied.
 */
cl_err cl_snapshot_add(cl_snapshot *s, cl_kind kind, const cl_value *row,
                       cl_error *err);

/* Sets the workspace's label and definition of a cause, and a threshold. */
cl_err cl_snapshot_set_cause(cl_snapshot *s, const cl_cause *c,
                             cl_error *err);
cl_err cl_snapshot_set_threshold(cl_snapshot *s, const char *key,
                                 double value, cl_error *err);

/*
 * The loop engine's records, added after the records they name (rows are
 * already resolved: -1 for unknown).  They may be added before or after
 * cl_snapshot_finish; a snapshot made by cl_snapshot_new_over refuses
 * them (CL_EINVAL).  Strings are copied.  CL_ENOMEM when out of memory.
 * Tag changes must be added oldest first.
 */
cl_err cl_snapshot_add_notice(cl_snapshot *s, int32_t churn, int32_t recipient,
                              cl_time queued_at, cl_time sent_at,
                              cl_error *err);
cl_err cl_snapshot_add_tag_change(cl_snapshot *s, int32_t churn, int32_t by,
                                  cl_time at, int8_t old_cause, uint16_t old_contributing,
                                  int8_t new_cause, uint16_t new_contributing,
                                  cl_error *err);
cl_err cl_snapshot_add_process_change(cl_snapshot *s, const char *session_kind,
                                      const char *period, int32_t owner,
                                      const char *description,
                                      cl_day checkin_due, cl_day checkin_on,
                                      cl_error *err);

/* Adds a recorded "reviewed, no change" ICP decision of day on. */
cl_err cl_snapshot_add_icp_review(cl_snapshot *s, cl_day on, cl_error *err);

/* The bitmask of a ';'-separated list of cause codes (unknown codes are
   left out). */
uint16_t cl_snapshot_cause_mask(const char *list);

/* Resolves references and derives the customer columns.  Call once, after
   the last add. */
cl_err cl_snapshot_finish(cl_snapshot *s, cl_error *err);

/* The workspace's threshold key, or the default when it has none. */
double cl_snapshot_threshold(const cl_snapshot *s, const char *key);

/* Row of the record with this id, or -1 (after cl_snapshot_finish). */
int32_t cl_snapshot_user(const cl_snapshot *s, const char *id);
int32_t cl_snapshot_account(const cl_snapshot *s, const char *id);
int32_t cl_snapshot_deal(const cl_snapshot *s, const char *id);

/* The interned string s->strings[i], or NULL for -1. */
const char *cl_snapshot_str(const cl_snapshot *s, int32_t i);

/* The row of the ICP version in effect on day (the latest version whose
   effective_on is on or before day), or -1. */
int32_t cl_snapshot_icp_at(const cl_snapshot *s, cl_day day);

/* Evaluates ICP version row v against deal d and its account: 1 inside,
   0 outside, -1 when unknown values decide it or v has no expression. */
int cl_snapshot_in_icp(const cl_snapshot *s, int32_t v, int32_t d);

#endif
