/*
 * engine_int.h - what the files of the engine shell share; not public.
 */
#ifndef CL_ENGINE_INT_H
#define CL_ENGINE_INT_H

#include "../analytics/snapshot.h"
#include "../core/crm.h"
#include "../core/notify_route.h"
#include "../core/strset.h"
#include "../core/visibility.h"
#include "engine.h"

/* The most causes with an owner role a workspace routes (its taxonomy
   may hold more; the rest go to nobody until one is retired). */
#define CL__ENG_ROUTES 64

/* One event's context: the store, the clock, the workspace's rules. */
typedef struct cl__eng {
    cl_store *st;
    cl_time now;
    cl_day today;
    cl_wf_config cfg;
    cl_calendar cal; /* its holidays owned (cl_engine_calendar) */
    int webhook;     /* a webhook_url is configured: fan out to it too */
    cl_crm crm;      /* crm_writeback: where decisions are written back */
    int crm_health;  /* crm_writeback_health on: the health score too */
    /* The team chat channels (issue 15): the kinds each hears, "" for a
       channel without its URL. */
    char chat_kinds[CL_NROUTE_CHANNELS][256];
    int lookback_days;
    char revops[65], marketing[65], vp_sales[65];
    /* The workspace's taxonomy (cfg.causes points here; strings in strs). */
    cl_cause *causes;
    size_t ncauses, ccap;
    /* Who each non-sales cause routes to (cfg.route_owners points here). */
    cl_wf_route_owner routes[CL__ENG_ROUTES];
    char route_role[CL__ENG_ROUTES][32], route_user[CL__ENG_ROUTES][65];
    cl_engine_stats stats;
    const char *scan_actor; /* cl__eng_scan's actor */
    cl_snapshot *snap;      /* for session packs, loaded when first needed */
    int snap_records;       /* snap holds the records only (pipeline flags) */
    char **strs;            /* copies owned by the context */
    size_t nstrs, scap;
    int oom;
} cl__eng;

/*
 * Loads the workspace's thresholds, calendar and people, then opens the
 * transaction (actor, now).  On failure nothing is left open.
 */
cl_err cl__eng_begin(cl__eng *e, cl_store *st, const char *actor, cl_time now,
                     cl_error *err);

/*
 * As cl__eng_begin, inside the caller's open transaction: a record write
 * or an import applies its events before it commits.  cl__eng_detach
 * frees the context and adds its stats to *stats (may be NULL), leaving
 * the transaction to the caller.
 */
cl_err cl__eng_attach(cl__eng *e, cl_store *st, cl_time now, cl_error *err);
void cl__eng_detach(cl__eng *e, cl_engine_stats *stats);

/* Which pending work cl__eng_scan looks for. */
enum {
    CL__SCAN_DEALS = 1,  /* won deals without a review task, new on lost */
    CL__SCAN_CHURNS = 2, /* untagged without a tagging task, tags not yet
                            flagged to Sales or routed to their owner */
};

/*
 * The tick's search for records whose event is not applied yet (within
 * the lookback), applied: `what` a mask of CL__SCAN_*, `only` the ids to
 * consider (NULL: every record).  actor names the AUDIT rows of tags that
 * arrived without an event ("import").
 */
cl_err cl__eng_scan(cl__eng *e, int what, const cl_strset *only,
                    const char *actor, cl_error *err);

/*
 * Commits (rc == CL_OK) or rolls back, frees the context, and adds its
 * stats to *stats (may be NULL).  Returns rc or the commit's error.
 */
cl_err cl__eng_end(cl__eng *e, cl_err rc, cl_engine_stats *stats,
                   cl_error *err);

/* A copy of s owned by e (NULL stays NULL). */
const char *cl__eng_str(cl__eng *e, const char *s);

/* "YYYY-MM-DD" text as a day, CL_WF_NO_DAY when NULL or bad. */
cl_day cl__eng_day(const char *s);

/* Fills a rule's deal from a store row (strings copied into e). */
void cl__eng_deal(cl__eng *e, const cl_store_deal_row *r, cl_wf_deal *d);

/*
 * The display name of user_id, or NULL when there is no such user (the
 * caller's text then falls back to the id).  Copied into e.
 */
const char *cl__eng_user_name(cl__eng *e, const char *user_id);

/*
 * The name people know a task's subject by: the account's name for an
 * account, a churn or a deal, the period for a session; NULL when none.
 * Copied into e.
 */
const char *cl__eng_subject_name(cl__eng *e, const char *kind, const char *id);

/* Fills a rule's task from a store row (strings copied into e). */
void cl__eng_task(cl__eng *e, const cl_store_task_row *r, cl_wf_task *t);

/* Fills a rule's churn from a store row (strings copied into e). */
void cl__eng_churn(cl__eng *e, const cl_store_churn_row *r, cl_wf_churn *c);

/* Reads one deal / churn; CL_ENOTFOUND when there is none. */
cl_err cl__eng_get_deal(cl__eng *e, const char *id, cl_wf_deal *d,
                        int *review_done, cl_error *err);
cl_err cl__eng_get_churn(cl__eng *e, const char *id, cl_wf_churn *c,
                         cl_error *err);

/* CL_EINVAL unless user id exists. */
cl_err cl__eng_check_user(cl__eng *e, const char *id, const char *what,
                          cl_error *err);

/*
 * As cl__eng_check_user, then CL_EFORBIDDEN unless the user's role may do
 * action (core/visibility.h: the rule the API applies, so the CLI's --by
 * cannot attribute to a person what that person could not do); rel as for
 * cl_vis_may.  action CL_VA_COUNT checks only that the user exists.
 */
cl_err cl__eng_check_may(cl__eng *e, const char *id, const char *what,
                         cl_vis_action action, const cl_vis_rel *rel,
                         cl_error *err);

/*
 * Applies every effect of fx (see workflow.h for how each is deduped) and
 * counts what changed in e->stats.  Opening a session also evaluates its
 * thresholds and attaches its pack.
 */
cl_err cl__eng_apply(cl__eng *e, const cl_wf_effects *fx, cl_error *err);

/*
 * The write-back (engine_crm.c): an outbox row on channel "crm" that
 * PATCHes the record in the CRM crm_writeback names, in the caller's
 * transaction; nothing when the write-back is off or the record's id is
 * not one of that CRM's.  key makes the row's idempotency key.
 *   churn:  the churn's account gets its tag (read from the store).
 *   review: the won deal gets the review's day, Q1 and Q4.
 *   health: the deal gets the score, when crm_writeback_health is on.
 */
cl_err cl__eng_crm_churn(cl__eng *e, const char *churn_id, const char *key,
                         cl_error *err);
cl_err cl__eng_crm_review(cl__eng *e, const char *deal_id, const char *held_on,
                          const char *q1, const char *q4, cl_error *err);
cl_err cl__eng_crm_health(cl__eng *e, const char *deal_id, int score,
                          const char *day, const char *key, cl_error *err);

/*
 * The thresholds of quarterly session id (kind bad_fit_review or
 * recovery_review, period "YYYYQn") on today, applied: evaluated when the
 * session opens and, for a bad-fit review, on every tick while it is open,
 * as churns of the quarter's last weeks are tagged after it opened (their
 * tagging window).  The effects are keyed: a threshold that fires late
 * fires then, once (its trigger turns fired), and nothing repeats.
 */
/*
 * The schedules whose day has come, opened (engine_sessions.c); *held (the
 * caller frees) is existing with every scheduled (kind, period) added, for
 * the cadence to leave alone; NULL when there is no schedule.
 */
cl_err cl__eng_schedule_tick(cl__eng *e, const cl_wf_session *existing,
                             size_t nexisting, cl_wf_session **held,
                             size_t *nheld, cl_error *err);

cl_err cl__eng_thresholds(cl__eng *e, const char *kind, const char *period,
                          int64_t id, cl_error *err);

/*
 * The report pack of a session: the JSON text (the caller frees it) of
 * report for period, or *json = NULL when there is no such report.
 */
cl_err cl__eng_pack(cl__eng *e, const char *report, const char *period,
                    char **json, cl_error *err);

/*
 * The open pipeline's flags on tick (rule 7): the flags of the n open
 * deals computed as the pipeline report computes them, from e->snap
 * (loaded if not yet), and the effects of cl_wf_pipeline_tick applied:
 * the new ones raised, each AE and manager sent one digest for the day.
 */
cl_err cl__eng_pipeline(cl__eng *e, const cl_wf_deal *deals, size_t n,
                        cl_error *err);

#endif
