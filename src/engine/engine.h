/*
 * engine.h - the imperative shell of the loop engine.
 *
 * Each call is one event: it reads the state the rule needs from the store,
 * calls the pure rule of core/workflow.h with the caller's clock, and
 * applies the effects in ONE transaction together with their audit entries
 * and the outbox rows of their notifications (an e-mail row, a webhook row
 * when a webhook is configured, and the recipient's in-app 'inbox' row,
 * delivered at once).  A refusal rolls everything back and leaves the
 * one-line reason in err.  Nothing here reads the system clock: `now` is
 * always an argument.
 *
 * Every function takes an open store with no transaction open and returns
 * CL_OK, CL_EINVAL (bad input), CL_ENOTFOUND (no such record),
 * CL_ECONFLICT (the rules refuse it now), CL_EDB or CL_ENOMEM.
 */
#ifndef CL_ENGINE_H
#define CL_ENGINE_H

#include "../core/strset.h"
#include "../core/tz.h"
#include "../core/workflow.h"
#include "../store/store_engine.h"

/* What a call applied (new rows only; repeats count nothing). */
typedef struct cl_engine_stats {
    int tasks;         /* tasks created */
    int marks;         /* tasks marked done, reminded or escalated */
    int notifications; /* notifications queued (one per recipient) */
    int sessions;      /* sessions opened */
    int triggers;      /* threshold evaluations recorded */
    int coaching;      /* coaching items created */
    int flags;         /* flags raised */
    int links;         /* recovery links made */
    int sets;          /* fields set (health score, flagged, chased) */
} cl_engine_stats;

/*
 * The workspace's business calendar (its holidays, ascending) into *cal;
 * cl_engine_calendar_free releases it.  Due dates count business days of
 * this calendar, so whoever steps through days as the engine does (the
 * demo's replay) reads it here.
 */
cl_err cl_engine_calendar(cl_store *st, cl_calendar *cal, cl_error *err);
void cl_engine_calendar_free(cl_calendar *cal);

/*
 * The workspace's time zone (setting timezone; UTC when not set, or when
 * the server has no such zone any more) into *out.  The engine's "today"
 * is the zone's day of now, and the server's daily tick runs at
 * --tick-hour of the zone.  CL_OK or the store's error.
 */
cl_err cl_engine_zone(cl_store *st, cl_tz *out, cl_error *err);

/*
 * The rule of IANA zone name (e.g. "Europe/Berlin") from the server's
 * tzdata ($TZDIR, or /usr/share/zoneinfo).  CL_EINVAL, with a one-line
 * message naming the setting timezone, when name is not one.
 */
cl_err cl_engine_zone_load(const char *name, cl_tz *out, cl_error *err);

/* The workspace's day of now (its zone's; UTC when the store cannot say):
   what the API calls today, as the engine does. */
cl_day cl_engine_today(cl_store *st, cl_time now);

/* 1 if stats holds no change at all. */
int cl_engine_stats_empty(const cl_engine_stats *stats);

/*
 * Everything that is due at now, in one transaction: won deals without a
 * review task, new deals on lost accounts, untagged churns without a
 * tagging task, sales-attributable tags (from imports) not yet notified
 * (these three only for records of the last `engine_lookback_days` days,
 * config, default 30, so importing years of history does not flood the
 * outbox), the initial health score of won deals whose review was
 * imported (any age: it notifies nobody), the session cadence with its
 * thresholds, pipeline flags, process-change check-ins and overdue tasks.
 * A second tick at the same time applies nothing.  stats may be NULL.
 */
cl_err cl_engine_tick(cl_store *st, cl_time now, cl_engine_stats *stats,
                      cl_error *err);

/*
 * Tags (or re-tags) churn_id by actor (a user id).  Fields of tag left NULL
 * keep their stored value, except the primary cause, which is required.
 */
cl_err cl_engine_churn_tag(cl_store *st, const char *churn_id,
                           const cl_wf_tag *tag, const char *actor, cl_time now,
                           cl_engine_stats *stats, cl_error *err);

/*
 * Writes one record (cl_store_put) inside the caller's open transaction
 * and applies the events it is: a churn tagged or re-tagged (as
 * cl_engine_churn_tag does, actor named in the audit; a changed tag also
 * sets tagged_by and tagged_on, a new record keeps them if given), a churn
 * recorded untagged (its tagging task), a deal closed won (its review
 * task) or created on a lost account (its recovery link), the last two
 * within the tick's lookback.  Other kinds are written only.  The caller
 * commits or rolls back; on error nothing of it may be committed.
 */
cl_err cl_engine_put(cl_store *st, cl_kind kind, cl_value *row,
                     const char *actor, cl_time now, cl_put_result *res,
                     cl_engine_stats *stats, cl_error *err);

/*
 * The events of an import's rows, inside the import's open transaction
 * before it commits: for deals and churns whose id is in ids, what the
 * next tick would do for them (review and tagging tasks, recovery links,
 * the flag to Sales and the routing of a tag, within the lookback).  The
 * tick then finds them done.  Other kinds: nothing.
 */
cl_err cl_engine_imported(cl_store *st, cl_kind kind, const cl_strset *ids,
                          cl_time now, cl_engine_stats *stats, cl_error *err);

/* Closes a churn record; refused while it is untagged or lacks one of the
   three levels of signal (cl_wf_churn_close). */
cl_err cl_engine_churn_close(cl_store *st, const char *churn_id,
                             const char *actor, cl_time now, cl_error *err);

/* Reopens a closed churn, for reason (audited), so its tag can change. */
cl_err cl_engine_churn_reopen(cl_store *st, const char *churn_id,
                              const char *reason, const char *actor,
                              cl_time now, cl_error *err);

/*
 * Records the won-deal review of deal_id (all seven answers required).
 * An AE question (q1-q4, q7) left NULL takes the AE's own answer, saved
 * with cl_engine_review_answers; the CSM's flags and note are stored with
 * the review (issue 14).
 */
cl_err cl_engine_review_record(cl_store *st, const char *deal_id,
                               const cl_wf_review *review, const char *actor,
                               cl_time now, cl_engine_stats *stats,
                               cl_error *err);

/*
 * The deal's AE saves answers to its review questions (answers[i] NULL:
 * not given; only q1-q4 and q7 are the AE's) before the review is held
 * (cl_wf_review_answers).  Only that AE may (CL_EFORBIDDEN otherwise).
 * Audited; the AE's review_answers task is done once all five are
 * answered.
 */
cl_err cl_engine_review_answers(cl_store *st, const char *deal_id,
                                const char *const answers[7], const char *actor,
                                cl_time now, cl_error *err);

/*
 * Records the check-in of task_id (a review_checkin_N task): a health
 * reading score (0-100) and a note (cl_wf_checkin_recorded).  The task's
 * assignee or RevOps may (CL_EFORBIDDEN otherwise).  The deal's health
 * score becomes score and the reading joins its history.
 */
cl_err cl_engine_checkin(cl_store *st, int64_t task_id, int score,
                         const char *note, const char *actor, cl_time now,
                         cl_error *err);

/*
 * Records the kickoff of deal_id as held on held_on, through the kickoff
 * gate (cl_wf_kickoff_gate): refused (CL_ECONFLICT, naming kickoff_on)
 * unless the won-deal review was held on or before held_on, or
 * override_reason is given (then audited as kickoff_override).
 */
cl_err cl_engine_kickoff(cl_store *st, const char *deal_id, cl_day held_on,
                         const char *override_reason, const char *actor,
                         cl_time now, cl_error *err);

/*
 * Classifies a recovery: id is a recovery id (imported) or a new deal that
 * the engine linked to its lost original.  type is a recovery type.  The
 * recovery row is written (id "rec-NEWDEAL" when the engine made it) and
 * the recovery_classification task is done.  cs_led: 0 when CS did not
 * lead the recovery (the recovery review leaves it out), 1 when it did,
 * -1 to keep what the record says (empty reads as CS-led).
 */
cl_err cl_engine_recovery_classify(cl_store *st, const char *id,
                                   const char *type, const char *intervention,
                                   const char *what_changed, int cs_led,
                                   const char *actor, cl_time now,
                                   cl_error *err);

/* Records the one process change of session_id; *pc_id its id. */
cl_err cl_engine_change_record(cl_store *st, int64_t session_id,
                               const char *owner, const char *description,
                               const char *actor, cl_time now, int64_t *pc_id,
                               cl_engine_stats *stats, cl_error *err);

/* Records the check-in of process change pc_id (once). */
cl_err cl_engine_change_checkin(cl_store *st, int64_t pc_id, const char *note,
                                const char *actor, cl_time now, cl_error *err);

/*
 * Opens a session of kind for period now, as the cadence would (its pack,
 * its thresholds), with an audit entry naming actor (RevOps).  Opening a
 * (kind, period) that exists opens nothing: *id is the session's either
 * way, *opened 1 when this call opened it.  Refused as
 * cl_wf_session_open_now refuses.
 */
cl_err cl_engine_session_open(cl_store *st, const char *kind,
                              const char *period, const char *actor,
                              cl_time now, int64_t *id, int *opened,
                              cl_engine_stats *stats, cl_error *err);

/*
 * Schedules a session of kind for period to open on open_on (YYYY-MM-DD,
 * from today to a year ahead), or moves its day: the daily tick opens it
 * then and the cadence leaves it to that day.  Audited; refused as
 * cl_wf_session_schedule_check refuses.
 */
cl_err cl_engine_session_schedule(cl_store *st, const char *kind,
                                  const char *period, const char *open_on,
                                  const char *actor, cl_time now,
                                  cl_error *err);

/* What opens next at now, earliest first (cl_wf_sessions_next). */
cl_err cl_engine_sessions_next(cl_store *st, cl_time now,
                               cl_wf_next_session *out, size_t max, size_t *n,
                               cl_error *err);

/* Adds a decision to an open session. */
cl_err cl_engine_session_decide(cl_store *st, int64_t session_id,
                                const char *text, const char *actor,
                                cl_time now, cl_error *err);

/*
 * Records that the ICP review kept the definition (issue 14): owner (a
 * user) decided on now's day, for rationale (not blank), about the version
 * in effect, whose number goes to *version.  Audited; loop health counts
 * it as an ICP update.  CL_EINVAL (one line naming the field) for a
 * missing owner or rationale, or when no version is in effect yet.
 */
/*
 * The AE+CSM debrief of task task_id held (issue 16): the notes, and the
 * tag accepted or disputed (with a reason), by actor (the task's assignee
 * or RevOps).  Marks every debrief task of the churn done, audits the
 * outcome on the churn and tells the CSM (cl_wf_debrief_held).
 *   CL_ENOTFOUND no task task_id;  CL_EINVAL not a churn's debrief, a field
 *   (the message names it);  CL_ECONFLICT the task is done already, the
 *   churn is not tagged;  CL_EFORBIDDEN actor may not
 */
cl_err cl_engine_debrief_held(cl_store *st, int64_t task_id, const char *notes,
                              int disputed, const char *reason,
                              const char *actor, cl_time now, cl_error *err);

/*
 * Coaching items a sales lead opens and follows up (issue 16).  open: a
 * private item for AE ae_id (a user of role ae) on cause (a
 * sales-attributable taxonomy code or trust_breakdown) for quarter period
 * (YYYYQn), with an optional note (at most 4000 characters); *id its id.
 * follow: records the conversation's note on open item id (required unless
 * closing) and, with close, closes it.  Only the AE's manager, VP Sales or
 * RevOps may (actor); every change is audited, the note stays on the item.
 *   CL_EINVAL    a field (named in the message)
 *   CL_EFORBIDDEN actor may not (not the AE's manager, VP Sales or RevOps)
 *   CL_ECONFLICT the AE has that item already (open); the item is closed
 *                (follow)
 *   CL_ENOTFOUND no item id (follow)
 */
cl_err cl_engine_coaching_open(cl_store *st, const char *ae_id,
                               const char *cause, const char *period,
                               const char *note, const char *actor,
                               cl_time now, int64_t *id, cl_error *err);
cl_err cl_engine_coaching_follow(cl_store *st, int64_t id, const char *note,
                                 int close, const char *actor, cl_time now,
                                 cl_error *err);

cl_err cl_engine_icp_no_change(cl_store *st, const char *owner,
                               const char *rationale, const char *actor,
                               cl_time now, int64_t *version, cl_error *err);

/*
 * Closes a session: refused for a debrief without its process change; every
 * CSM gets a "what changed" note listing the decisions.
 */
cl_err cl_engine_session_close(cl_store *st, int64_t session_id,
                               const char *actor, cl_time now,
                               cl_engine_stats *stats, cl_error *err);

#endif
