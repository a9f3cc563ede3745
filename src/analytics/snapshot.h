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

/* The most causes a snapshot holds: the defaults and those a workspace
   added (issue 16); contributing causes are a bitmask of them. */
#define CL_MAX_CAUSES CL_TAXONOMY_MAX

/*
 * The snapshot's tables and their columns, in one list: the struct below,
 * the builder's growing and freeing (snapshot.c) and the cache file's
 * column table (snapshot/snapshot_cache.c) are all made from it, so a new
 * column is one row here.
 *
 *   N(count)                    a table: the member holding its row count
 *   X(type, name, count, kind)  a column of that table: type *name
 *   L(type, name, count)        a column kept in memory only: the cache
 *                               does not store it but rebuilds it on load
 *
 * kind says what the values are, which the cache checks in a file it reads:
 * TEXT (a string, NULL when empty), INT (an integer), REAL (a double),
 * DAY (a cl_day), ROW(count) (a row of that table), ENUM(values) (an index
 * into that NULL-terminated list), CAUSE (an index into causes, -1 for
 * none), BOOL (0 or 1), STATE (CL_DEAL_OPEN, WON or LOST, never unknown).
 */
#define CL_SNAPSHOT_TABLES(N, X, L)                                            \
    /* Interned text: industry, region, source, stage, use_case. */            \
    N(nstrings)                                                                \
    X(const char *, strings, nstrings, TEXT)                                   \
                                                                               \
    N(nusers)                                                                  \
    X(const char *, user_id, nusers, TEXT)                                     \
    X(const char *, user_name, nusers, TEXT)                                   \
    X(const char *, user_email, nusers, TEXT)                                  \
    X(const char *, user_team, nusers, TEXT)                                   \
    X(int8_t, user_role, nusers, ENUM(cl_roles))                               \
    X(int32_t, user_manager, nusers, ROW(nusers))                              \
                                                                               \
    N(naccounts)                                                               \
    X(const char *, account_id, naccounts, TEXT)                               \
    X(const char *, account_name, naccounts, TEXT)                             \
    X(int32_t, account_industry, naccounts, ROW(nstrings))                     \
    X(int32_t, account_region, naccounts, ROW(nstrings))                       \
    X(int32_t, account_employees, naccounts, INT)                              \
    X(int8_t, account_has_ops, naccounts, BOOL)                                \
    X(int32_t, account_csm, naccounts, ROW(nusers))                            \
    X(cl_day, account_customer_since, naccounts, DAY)                          \
    X(int8_t, account_status, naccounts, ENUM(cl_account_statuses))            \
    /* Derived: the customer's start (docs/metrics.md): the first              \
       closed_won `new` deal, its closed_on, and the earliest churn. */        \
    X(int32_t, account_start_deal, naccounts, ROW(ndeals))                     \
    X(cl_day, account_start, naccounts, DAY)                                   \
    X(int32_t, account_first_churn, naccounts, ROW(nchurns))                   \
                                                                               \
    N(ndeals)                                                                  \
    X(const char *, deal_id, ndeals, TEXT)                                     \
    X(int32_t, deal_account, ndeals, ROW(naccounts))                           \
    X(int32_t, deal_ae, ndeals, ROW(nusers))                                   \
    X(int8_t, deal_type, ndeals, ENUM(cl_deal_types))                          \
    X(int32_t, deal_source, ndeals, ROW(nstrings))                             \
    X(int32_t, deal_stage, ndeals, ROW(nstrings))                              \
    X(int32_t, deal_use_case, ndeals, ROW(nstrings))                           \
    X(int8_t, deal_state, ndeals, STATE)                                       \
    X(cl_day, deal_created_on, ndeals, DAY)                                    \
    X(cl_day, deal_first_demo_on, ndeals, DAY)                                 \
    X(cl_day, deal_closed_on, ndeals, DAY)                                     \
    X(cl_day, deal_kickoff_on, ndeals, DAY)                                    \
    X(double, deal_arr, ndeals, REAL)                                          \
    X(int8_t, deal_loss_reason, ndeals, ENUM(cl_loss_reasons))                 \
    X(int16_t, deal_icp_fit, ndeals, INT)                                      \
    X(int8_t, deal_champion_level, ndeals, ENUM(cl_champion_levels))           \
    X(int16_t, deal_champion_tenure, ndeals, INT) /* months */                 \
    X(int8_t, deal_exec_sponsor, ndeals, BOOL)                                 \
    /* Derived: the deal's earliest won-deal review, or CL_DAY_NONE, and       \
       its row (-1: none). */                                                  \
    X(cl_day, deal_review_held_on, ndeals, DAY)                                \
    X(int32_t, deal_review, ndeals, ROW(nreviews))                             \
                                                                               \
    N(nchurns)                                                                 \
    X(const char *, churn_id, nchurns, TEXT)                                   \
    X(int32_t, churn_account, nchurns, ROW(naccounts))                         \
    X(int32_t, churn_deal, nchurns, ROW(ndeals))                               \
    X(cl_day, churn_on, nchurns, DAY)                                          \
    X(double, churn_arr_lost, nchurns, REAL)                                   \
    X(const char *, churn_stated_reason, nchurns, TEXT)                        \
    X(const char *, churn_diagnosis, nchurns, TEXT)                            \
    X(const char *, churn_predictive, nchurns, TEXT)                           \
    X(int8_t, churn_cause, nchurns, CAUSE)        /* -1 untagged */            \
    X(uint32_t, churn_contributing, nchurns, INT) /* bit i: cause i */         \
    X(int32_t, churn_tagged_by, nchurns, ROW(nusers))                          \
    X(cl_day, churn_tagged_on, nchurns, DAY)                                   \
                                                                               \
    N(nrecoveries)                                                             \
    X(const char *, recovery_id, nrecoveries, TEXT)                            \
    X(const char *, recovery_cs_intervention, nrecoveries, TEXT)               \
    X(const char *, recovery_what_changed, nrecoveries, TEXT)                  \
    X(int32_t, recovery_original, nrecoveries, ROW(ndeals))                    \
    X(int32_t, recovery_new, nrecoveries, ROW(ndeals))                         \
    X(int8_t, recovery_type, nrecoveries, ENUM(cl_recovery_types))             \
    X(int32_t, recovery_csm, nrecoveries, ROW(nusers))                         \
    X(cl_day, recovery_logged_on, nrecoveries, DAY)                            \
    X(int8_t, recovery_cs_led, nrecoveries, BOOL)                              \
                                                                               \
    N(nreviews)                                                                \
    X(int32_t, review_deal, nreviews, ROW(ndeals))                             \
    X(cl_day, review_held_on, nreviews, DAY)                                   \
    X(const char *, review_q1, nreviews, TEXT)                                 \
    X(const char *, review_q2, nreviews, TEXT)                                 \
    X(const char *, review_q3, nreviews, TEXT)                                 \
    X(const char *, review_q4, nreviews, TEXT)                                 \
    X(const char *, review_q5, nreviews, TEXT)                                 \
    X(const char *, review_q6, nreviews, TEXT)                                 \
    X(const char *, review_q7, nreviews, TEXT)                                 \
    X(int8_t, review_gut, nreviews, ENUM(cl_gut_reads))                        \
                                                                               \
    N(ncs_hours)                                                               \
    X(int32_t, cs_hours_account, ncs_hours, ROW(naccounts))                    \
    X(int32_t, cs_hours_month, ncs_hours, INT) /* year * 12 + month - 1 */     \
    X(double, cs_hours_hours, ncs_hours, REAL)                                 \
                                                                               \
    N(narr)                                                                    \
    X(int32_t, arr_account, narr, ROW(naccounts))                              \
    X(cl_day, arr_on, narr, DAY)                                               \
    X(int8_t, arr_kind, narr, ENUM(cl_arr_kinds))                              \
    X(double, arr_amount, narr, REAL)                                          \
                                                                               \
    /* ICP versions, ascending by version; icp_expr is NULL for criteria       \
       that no longer parse. */                                                \
    N(nicp)                                                                    \
    X(int32_t, icp_version, nicp, INT)                                         \
    X(cl_day, icp_effective_on, nicp, DAY)                                     \
    X(const char *, icp_criteria, nicp, TEXT)                                  \
    X(const char *, icp_rationale, nicp, TEXT)                                 \
    X(int32_t, icp_owner, nicp, ROW(nusers))                                   \
    L(cl_icp_expr *, icp_expr, nicp)                                           \
                                                                               \
    /* Holidays, ascending (the calendar below is over them). */               \
    N(nholidays)                                                               \
    X(cl_day, holidays, nholidays, DAY)                                        \
                                                                               \
    /* The workspace's thresholds. */                                          \
    N(nthresholds)                                                             \
    X(const char *, threshold_key, nthresholds, TEXT)                          \
    X(double, threshold_value, nthresholds, REAL)                              \
                                                                               \
    /* The loop engine's records (cl_snapshot_add_notice and friends).         \
       Notices: the churn flags the engine queued for Sales (outbox kind       \
       churn_flag), one row per recipient, by queue time; sent_at is           \
       CL_TIME_NONE until delivered. */                                        \
    N(nnotices)                                                                \
    X(int32_t, notice_churn, nnotices, ROW(nchurns))                           \
    X(int32_t, notice_recipient, nnotices, ROW(nusers))                        \
    X(cl_time, notice_queued_at, nnotices, INT)                                \
    X(cl_time, notice_sent_at, nnotices, INT)                                  \
                                                                               \
    /* Tag changes: every audited change of a churn's primary or               \
       contributing causes (the first tag included), oldest first.  by is      \
       the actor's user row or -1; causes are -1 when untagged. */             \
    N(ntag_changes)                                                            \
    X(int32_t, tag_change_churn, ntag_changes, ROW(nchurns))                   \
    X(int32_t, tag_change_by, ntag_changes, ROW(nusers))                       \
    X(cl_time, tag_change_at, ntag_changes, INT)                               \
    X(int8_t, tag_change_old_cause, ntag_changes, CAUSE)                       \
    X(int8_t, tag_change_new_cause, ntag_changes, CAUSE)                       \
    X(uint32_t, tag_change_old_contributing, ntag_changes, INT)                \
    X(uint32_t, tag_change_new_contributing, ntag_changes, INT)                \
                                                                               \
    /* Process changes recorded in review sessions: the session's kind         \
       ("monthly_debrief") and period ("YYYY-MM"). */                          \
    N(npcs)                                                                    \
    X(const char *, pc_session_kind, npcs, TEXT)                               \
    X(const char *, pc_period, npcs, TEXT)                                     \
    X(int32_t, pc_owner, npcs, ROW(nusers))                                    \
    X(const char *, pc_description, npcs, TEXT)                                \
    X(cl_day, pc_checkin_due, npcs, DAY)                                       \
    X(cl_day, pc_checkin_on, npcs, DAY)                                        \
                                                                               \
    /* ICP reviews that decided not to change the definition (issue 14):       \
       the day of each decision, in the order recorded.  Loop health           \
       counts them as ICP updates. */                                          \
    N(nicp_reviews)                                                            \
    X(cl_day, icp_review_on, nicp_reviews, DAY)

#define CL__SNAPSHOT_COUNT(count) size_t count;
#define CL__SNAPSHOT_COLUMN(type, name, ...) type *name;

typedef struct cl_snapshot {
    /* Every table of CL_SNAPSHOT_TABLES: its count, then its columns. */
    CL_SNAPSHOT_TABLES(CL__SNAPSHOT_COUNT, CL__SNAPSHOT_COLUMN,
                       CL__SNAPSHOT_COLUMN)

    /* The business calendar over the holidays. */
    cl_calendar calendar;

    /* The workspace's taxonomy (labels may differ from the defaults): the
       defaults in cl_cause_codes order, then the causes it added, in the
       order cl_snapshot_set_cause met them; ncauses of them. */
    cl_cause causes[CL_MAX_CAUSES];
    size_t ncauses;

    struct cl_snapshot_int *in; /* builder state and id maps */
} cl_snapshot;

#undef CL__SNAPSHOT_COUNT
#undef CL__SNAPSHOT_COLUMN

/* An empty snapshot to fill with cl_snapshot_add; NULL when out of memory.
   Free with cl_snapshot_free. */
cl_snapshot *cl_snapshot_new(void);
void cl_snapshot_free(cl_snapshot *s);

/*
 * An empty, finished snapshot whose columns and counts the caller fills by
 * pointing them into block, memory it hands over (snapshot/snapshot_cache.c
 * does this for a snapshot read back from its cache file).  cl_snapshot_free
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

/*
 * Sets the workspace's label and definition of a cause, and a threshold.
 * A cause the defaults lack is added after the others (CL_EINVAL when
 * CL_MAX_CAUSES are held); set causes before adding churns, whose causes
 * are looked up among them.
 */
cl_err cl_snapshot_set_cause(cl_snapshot *s, const cl_cause *c, cl_error *err);
cl_err cl_snapshot_set_threshold(cl_snapshot *s, const char *key, double value,
                                 cl_error *err);

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
                                  cl_time at, int8_t old_cause,
                                  uint32_t old_contributing, int8_t new_cause,
                                  uint32_t new_contributing, cl_error *err);
cl_err cl_snapshot_add_process_change(cl_snapshot *s, const char *session_kind,
                                      const char *period, int32_t owner,
                                      const char *description,
                                      cl_day checkin_due, cl_day checkin_on,
                                      cl_error *err);

/* Adds a recorded "reviewed, no change" ICP decision of day on. */
cl_err cl_snapshot_add_icp_review(cl_snapshot *s, cl_day on, cl_error *err);

/* The bitmask of a ';'-separated list of cause codes (unknown codes are
   left out), bit i for s->causes[i]. */
uint32_t cl_snapshot_cause_mask(const cl_snapshot *s, const char *list);

/* The index of the cause with this code in s->causes; -1 for NULL or an
   unknown code. */
int cl_snapshot_cause(const cl_snapshot *s, const char *code);

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
