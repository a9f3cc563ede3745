/*
 * workflow.h - the loop engine's rules, pure: (state + event + clock) ->
 * effects.
 *
 * Every rule of issue 4 is a function here.  It reads small plain structs
 * that the shell fills from the store, the event's data and the clock (a
 * cl_day or cl_time argument; nothing here reads the system clock), and
 * appends effects to a cl_wf_effects list that the caller owns.  It does no
 * I/O and never touches the store.
 *
 * Applying effects (the shell's job) is mechanical:
 *
 *   - Every effect carries a stable idempotency key derived from its rule and
 *     its subject ("won_deal_review:D123", "cadence:bad_fit_review:2026Q3").
 *     Running the same rule twice on the same state gives the same keys, so
 *     the shell applies an effect at most once: tasks by their UNIQUE
 *     (kind, subject_kind, subject_id, assignee_id), sessions by (kind,
 *     period), triggers by (rule, period), coaching items by (ae_id, period,
 *     cause), outbox rows by idempotency_key (the shell appends ":CHANNEL"
 *     to the key when it fans one NOTIFY out to several channels).  An
 *     INSERT that hits the constraint is "already applied", not an error.
 *   - The event's own change (the tag the CSM typed, the kickoff date, the
 *     review answers) is written by the shell from the command's input; the
 *     effects are what the rules add to it.
 *   - A refusal is one CL_WF_ERROR effect: the rule function then also
 *     returns its code and fills err, and the shell applies nothing of that
 *     call (it rolls the transaction back and reports the message).
 *   - AUDIT effects are rows for the append-only audit log; their keys are
 *     informative and the shell does not dedupe them (they only come from
 *     user events, never from a tick).
 *
 * Dates are cl_day; CL_WF_NO_DAY means "unknown / none".  Ids are strings
 * (the source systems' ids, or the store's ids as decimal text); NULL or ""
 * means "none".
 */
#ifndef CL_WORKFLOW_H
#define CL_WORKFLOW_H

#include <stddef.h>

#include "date.h"
#include "err.h"
#include "taxonomy.h"

/* "No date": below every real day, so it never compares as due. */
#define CL_WF_NO_DAY ((cl_day)INT32_MIN)

/* ---- effects ------------------------------------------------------------ */

typedef enum cl_wf_kind {
    /* Create a task.  what = task kind; subject_kind/subject_id = the record
       it is about; recipient_id = assignee; attendees = ';'-separated user
       ids or NULL; title; due_on.  Dedupe: the tasks UNIQUE constraint. */
    CL_WF_CREATE_TASK = 1,
    /* Mark an existing task.  what = task kind; subject_kind/subject_id;
       recipient_id = assignee, or NULL for every assignee of that task kind
       and subject; new_value = "done", "reminded" or "escalated".
       Applying it twice changes nothing (set the column if it is NULL). */
    CL_WF_MARK_TASK,
    /* Put a message in the outbox (and the recipient's in-app inbox).  what
       = notification kind (churn_flag, task_reminder, task_escalation,
       checkin_reminder, checkin_escalation, pipeline_digest, coaching_item,
       what_changed); recipient_id; title; body; subject_kind/subject_id.
       Dedupe: outbox idempotency_key = key. */
    CL_WF_NOTIFY,
    /* Open a review session.  what = session kind (monthly_debrief,
       bad_fit_review, icp_review, recovery_review); period = "2026-07" or
       "2026Q3"; recipient_id = owner (RevOps); report = the report whose
       JSON for period is the session's pack (monthly, bad-fit, icp,
       recovery).  Dedupe: sessions UNIQUE (kind, period). */
    CL_WF_OPEN_SESSION,
    /* Record a quarterly threshold's evaluation.  what = the threshold key
       (icp_review_share, ...); period; subject_id = the session id; value,
       threshold; fired = 1 if it fired.  Dedupe: triggers UNIQUE (rule,
       period).  Every evaluated rule gets one, fired or not. */
    CL_WF_FIRE_TRIGGER,
    /* A private coaching item.  recipient_id = the AE concerned; what = the
       cause ("over_promise"); period; subject_id = the session id; body = the
       note; audience = who may read it, ';'-separated "user:ID" and
       "role:NAME" entries (docs/design.md section 6).  Dedupe: coaching_items
       UNIQUE (ae_id, period, cause). */
    CL_WF_COACHING_ITEM,
    /* The debrief's one process change.  subject_id = the session id;
       recipient_id = owner; body = description; due_on = check-in due.
       Dedupe: process_changes UNIQUE (session_id). */
    CL_WF_PROCESS_CHANGE,
    /* Set one field of a record.  subject_kind/subject_id; what = field
       (health_score, reminded, escalated); new_value as text, value as a
       number.  Idempotent by nature.  health_score also adds a reading to
       the deal's health history, once per key: title = its source
       (review, checkin), body = its note, actor_id = who (issue 14). */
    CL_WF_SET,
    /* Raise a flag on a record.  subject_kind/subject_id; what = flag name
       (generic_answer, or a pipeline flag: cl_wf_pf_name); new_value = the
       field it concerns (q2, ...) or NULL; body = the reason.  Dedupe: key. */
    CL_WF_FLAG,
    /* Link a deal to an earlier one.  subject_id = the new deal; target_id =
       the original closed_lost deal; value = whole months to
       re-engagement.  Dedupe: key ("recovery_link:NEW"). */
    CL_WF_LINK,
    /* An audit row.  subject_kind/subject_id = entity; what = action;
       actor_id; old_value, new_value; body = the reason if any. */
    CL_WF_AUDIT,
    /* A refusal.  code = CL_ECONFLICT or CL_EINVAL; body = one-line message;
       subject_kind/subject_id when it concerns a record. */
    CL_WF_ERROR
} cl_wf_kind;

typedef struct cl_wf_effect {
    cl_wf_kind kind;
    const char *key;          /* idempotency key, never NULL */
    const char *what;         /* see cl_wf_kind */
    const char *subject_kind; /* deal, churn, session, process_change, task */
    const char *subject_id;
    const char *recipient_id; /* assignee, recipient, owner, AE */
    const char *actor_id;     /* AUDIT: who did it */
    const char *attendees;    /* CREATE_TASK: ';'-separated user ids */
    const char *audience;     /* COACHING_ITEM: "user:ID;role:NAME;..." */
    const char *period;       /* OPEN_SESSION, FIRE_TRIGGER, COACHING_ITEM */
    const char *report;       /* OPEN_SESSION: report name of the pack */
    const char *title;        /* one line for people */
    const char *body;         /* message, reason, description */
    const char *old_value;    /* AUDIT */
    const char *new_value;    /* AUDIT, SET, MARK_TASK, FLAG */
    const char *target_id;    /* LINK: the original deal */
    cl_day due_on;            /* CREATE_TASK, PROCESS_CHANGE, else NO_DAY */
    double value;             /* SET, LINK, FIRE_TRIGGER */
    double threshold;         /* FIRE_TRIGGER */
    int fired;                /* FIRE_TRIGGER */
    cl_err code;              /* ERROR */
} cl_wf_effect;

/*
 * The output list.  Strings of its effects live in an arena owned by the
 * list; they stay valid until cl_wf_effects_release.  Fields are public for
 * reading; change them only through the functions here.
 */
typedef struct cl_wf_effects {
    cl_wf_effect *items;
    size_t n;
    size_t cap;
    struct cl__wf_block *arena; /* private */
    int oom;                    /* private: an allocation failed */
} cl_wf_effects;

/* Makes an empty list.  Allocates nothing. */
void cl_wf_effects_init(cl_wf_effects *list);

/*
 * Frees the effects and every string they point to, and leaves the list
 * empty and ready for reuse (list may be NULL).
 */
void cl_wf_effects_release(cl_wf_effects *list);

/* The first CL_WF_ERROR effect of list, or NULL. */
const cl_wf_effect *cl_wf_effects_error(const cl_wf_effects *list);

/* Effect kind as a lower-case name ("create_task"), for logs and tests. */
const char *cl_wf_kind_name(cl_wf_kind kind);

/* ---- configuration ------------------------------------------------------ */

/*
 * The thresholds (docs/design.md section 5) and the people the rules route to.
 * The caller fills it from the workspace; cl_wf_config_defaults gives the
 * taxonomy defaults.  The struct does not own the id strings.
 */
typedef struct cl_wf_config {
    /* One field per row of CL_THRESHOLDS (taxonomy.h), of its type:
       icp_review_share, review_due_business_days, ... */
#define CL__WF_THRESHOLD_FIELD(key, type, ...) type key;
    CL_THRESHOLDS(CL__WF_THRESHOLD_FIELD)
#undef CL__WF_THRESHOLD_FIELD
    /* Not in the taxonomy table; rules of issue 4 with fixed defaults. */
    int churn_tagging_due_business_days;  /* (5) */
    int checkin_escalation_business_days; /* after check-in due (5) */
    int overdue_escalation_business_days; /* after task due (2) */
    int review_task_due_days; /* discovery/enablement/qualification (30) */
    /* Non-sales causes: the owner task's due day, business days after the
       tag (config route_due_business_days, 1-60, default 5). */
    int route_due_business_days;
    /* The won-deal review's check-ins (issue 14): days after kickoff (or
       close) of the 1st, 2nd, 3rd (config checkin_first_days, ...; 30, 60,
       90), and how many days before its due day a check-in task opens
       (checkin_notice_days, 7). */
    int checkin_days[3];
    int checkin_notice_days;
    /* Who each non-sales cause routes to (cl_wf_route_owner); the shell
       fills it from the route_CAUSE settings.  NULL/0: the defaults, with
       no user known (RevOps gets the task). */
    const struct cl_wf_route_owner *route_owners;
    size_t nroute_owners;
    /* The workspace's taxonomy, its causes added and retired ones
       included (the shell reads it); NULL/0: the defaults. */
    const cl_cause *causes;
    size_t ncauses;
    const char *revops_id;    /* owns sessions, gets escalations; required */
    const char *marketing_id; /* ICP review with Marketing; may be NULL */
    const char *vp_sales_id;  /* sales-side reviews; may be NULL */
} cl_wf_config;

/*
 * Fills cfg with the defaults of cl_threshold_defaults() and the fixed
 * defaults above; the three ids are set to NULL.
 */
void cl_wf_config_defaults(cl_wf_config *cfg);

/* ---- records (filled by the shell) -------------------------------------- */

typedef struct cl_wf_deal {
    const char *id;
    const char *account_id;
    const char *ae_id;
    const char *ae_manager_id; /* the AE's manager, or NULL */
    const char *csm_id;        /* the account's CSM, or NULL */
    const char *cs_manager_id; /* the CSM's manager, or NULL */
    const char *type;          /* new, expansion, renewal */
    const char *stage;         /* closed_won, closed_lost or open stage */
    cl_day created_on;
    cl_day closed_on;     /* NO_DAY while open */
    cl_day first_demo_on; /* NO_DAY if none yet */
    cl_day kickoff_on;    /* planned or held kickoff, or NO_DAY */
    double arr;
    int icp_fit_score;          /* 0-100, or -1 unknown */
    int champion_tenure_months; /* or -1 unknown */
    int exec_sponsor;           /* 1, 0, or -1 unknown */
    /* The pipeline flags already raised on the deal: bit (1u << kind) of
       each cl_wf_pf, so none is raised (and digested) twice. */
    unsigned flags_raised;
    /* Names for messages people read (the digest); NULL: the ids. */
    const char *account_name;
    const char *ae_name;
} cl_wf_deal;

/* 1 if stage is closed_won or closed_lost. */
int cl_wf_deal_closed(const cl_wf_deal *deal);

typedef struct cl_wf_tag {
    const char *primary_cause;       /* a taxonomy code; NULL = untagged */
    const char *contributing_causes; /* ';'-separated codes, or NULL */
    const char *stated_reason;
    const char *diagnosis;
    const char *predictive_behavior;
} cl_wf_tag;

typedef struct cl_wf_churn {
    const char *id;
    const char *account_id;
    const char *deal_id;       /* the original deal */
    const char *ae_id;         /* the original deal's AE, or NULL */
    const char *ae_manager_id; /* that AE's manager, or NULL */
    const char *csm_id;
    cl_day churned_on;
    cl_day recorded_on; /* the day closeloop learnt of it */
    cl_wf_tag tag;      /* the current tag; primary_cause NULL if untagged */
    int sales_flagged;  /* the deal-attributable notifications went out */
    cl_day closed_on;   /* CL_WF_NO_DAY while open */
    /* The account's name, what people read (issue 16); NULL: the texts
       name the churn by its id. */
    const char *account_name;
} cl_wf_churn;

typedef struct cl_wf_task {
    const char *id; /* the store's id as text */
    const char *kind;
    const char *subject_kind;
    const char *subject_id;
    const char *assignee_id;
    const char *assignee_manager_id; /* or NULL: escalations go to RevOps */
    cl_day due_on;
    int done;      /* status = done */
    int reminded;  /* reminded_at is set */
    int escalated; /* escalated_at is set */
    /* What people read (issue 16), NULL when unknown: the texts fall back
       to the ids.  subject_name is the account's name for a churn or a
       deal, the period for a session. */
    const char *assignee_name;
    const char *subject_name;
} cl_wf_task;

typedef struct cl_wf_session {
    const char *id;     /* the store's id as text */
    const char *kind;   /* monthly_debrief, bad_fit_review, ... */
    const char *period; /* "2026-07" or "2026Q3" */
    int closed;
} cl_wf_session;

typedef struct cl_wf_process_change {
    const char *id; /* the store's id as text */
    const char *session_id;
    const char *owner_id;
    const char *description;
    cl_day checkin_due;
    cl_day checkin_on; /* NO_DAY until the check-in is recorded */
    int reminded;
    int escalated;
    const char *owner_name; /* the owner's name, NULL: the id (issue 16) */
} cl_wf_process_change;

/*
 * The words a refusal names a record by (issue 16): "the churn of Acme
 * Corp", "the deal with Acme Corp", "the monthly debrief of 2026-07", or
 * "this churn" (deal, session) when there is no name.  People read a
 * refusal on the record's own page, so it never shows the record's id.
 * cap starts the words with a capital, for the head of a sentence.  Writes
 * into buf (len bytes, CL_WF_REF_MAX is room enough) and returns it.
 */
#define CL_WF_REF_MAX 320
const char *cl_wf_churn_ref(const cl_wf_churn *c, int cap, char *buf,
                            size_t len);
const char *cl_wf_deal_ref(const cl_wf_deal *d, int cap, char *buf, size_t len);
const char *cl_wf_session_ref(const cl_wf_session *s, int cap, char *buf,
                              size_t len);

/* ---- rule 1: won-deal review -------------------------------------------- */

/*
 * The due day of a won deal's review: review_due_business_days business
 * days after closed_on, or the business day before kickoff_on if that is
 * earlier, but never before closed_on.  A kickoff on or before the close
 * day gives closed_on itself (the review is due at once; there is no
 * earlier day it could have been done).
 */
cl_day cl_wf_review_due(const cl_wf_config *cfg, const cl_calendar *cal,
                        cl_day closed_on, cl_day kickoff_on);

/*
 * Deal closed won: one won_deal_review task (subject deal) for the CSM
 * (RevOps when the account has none), due by cl_wf_review_due.  Attendees:
 * the AE, plus the CS manager (RevOps when none) at ARR >=
 * review_senior_arr.  Key "won_deal_review:DEAL".  And, when the deal has
 * an AE, a review_answers task for the AE due the same day (key
 * "review_answers:DEAL"): it answers its questions asynchronously
 * (cl_wf_review_answers; issue 14).
 * Returns CL_OK, CL_EINVAL (+ ERROR effect) if the deal is not closed won or
 * has no close date, CL_ENOMEM.
 */
cl_err cl_wf_deal_won(const cl_wf_config *cfg, const cl_calendar *cal,
                      const cl_wf_deal *deal, cl_wf_effects *out,
                      cl_error *err);

/* Where a kickoff date comes from; the gate treats history differently. */
typedef enum cl_wf_kickoff_source {
    CL_WF_KICKOFF_HELD = 0, /* `closeloop kickoff`, the API, a record PATCH */
    CL_WF_KICKOFF_IMPORTED  /* a deals import (history) */
} cl_wf_kickoff_source;

/*
 * The kickoff gate: a deal's kickoff_on is written only on or after the
 * day its won-deal review was held.  review_held_on: that review's held_on,
 * or CL_WF_NO_DAY when no review is recorded.
 *
 *   - review held on or before kickoff_on: allowed, no effects;
 *   - otherwise, from CL_WF_KICKOFF_HELD: refused (CL_ECONFLICT and an
 *     ERROR whose one-line message names kickoff_on) unless override_reason
 *     is non-blank; then allowed with an AUDIT effect (action
 *     "kickoff_override", new_value = kickoff_on, body = reason, actor);
 *   - from CL_WF_KICKOFF_IMPORTED: no review at all is allowed (history
 *     from before closeloop; docs/reviews.md says why), a review held after
 *     kickoff_on is refused (there is no override on import).
 *
 * The caller calls it only when kickoff_on changes (a re-import or a PATCH
 * that leaves the date as it is writes no kickoff).
 */
cl_err cl_wf_kickoff_gate(const cl_wf_deal *deal, cl_day review_held_on,
                          cl_day kickoff_on, cl_wf_kickoff_source source,
                          const char *override_reason, const char *actor_id,
                          cl_wf_effects *out, cl_error *err);

/*
 * The initial health score, 0-100:
 *
 *     50
 *     + gut read:  positive +20, neutral 0, worried -25 (unknown = neutral)
 *     + each of Q2, Q5, Q7: generic -10, specific +5
 *     + ICP fit at close: >= 70 +10, < 40 -15, else (or unknown) 0
 *     clamped to [0, 100]
 *
 * gut_read: "positive", "neutral", "worried" or NULL; icp_fit: 0-100 or -1.
 */
int cl_wf_health_score(int q2_generic, int q5_generic, int q7_generic,
                       const char *gut_read, int icp_fit);

typedef struct cl_wf_review {
    const char *answers[7]; /* q1 .. q7 */
    const char *gut_read;   /* positive, neutral, worried, or NULL */
    cl_day held_on;
    /* The CSM's own flags (issue 14): implementation risk, capacity risk,
       context gaps, each "true", "false" or NULL (not given); and a note.
       The shell stores them with the review; no rule reads them. */
    const char *csm_flags[3];
    const char *csm_note;
} cl_wf_review;

/*
 * A won-deal review recorded.  All seven answers are required (CL_EINVAL +
 * ERROR naming the missing ones), and gut_read must be NULL or a known
 * value.  Effects: one FLAG "generic_answer" per generic answer
 * (cl_review_answer_generic, review_answer.h; new_value =
 * "q2", body = reason, key "review_flag:DEAL:q2"); SET health_score on the
 * deal (key "health_score:DEAL"); MARK_TASK won_deal_review done, and
 * the AE's review_answers task done (issue 14).
 */
cl_err cl_wf_review_recorded(const cl_wf_deal *deal, const cl_wf_review *review,
                             cl_wf_effects *out, cl_error *err);

/*
 * The initial health score of a won deal whose review was stored without
 * cl_wf_review_recorded (an import, the demo): SET health_score on the
 * deal, the same effect (key "health_score:DEAL") that rule gives, and
 * nothing else.  The review is already stored, so nothing is refused: a
 * missing answer counts as generic and an unknown gut read as neutral.  It
 * raises no generic-answer flags, notifies nobody and marks no task, which
 * is why the tick may run it on reviews of any age.  icp_fit: the deal's
 * ICP fit at close, 0-100 or -1.  Returns CL_OK or CL_ENOMEM.
 */
cl_err cl_wf_review_health(const char *deal_id, const cl_wf_review *review,
                           int icp_fit, cl_wf_effects *out, cl_error *err);

/* ---- rule 1b: the won-deal review's asynchronous half (issue 14) -------- */

/*
 * The questions the deal's AE answers before or after the review meeting
 * (index into cl_wf_review.answers): Q1 buying trigger, Q2 champion's
 * stake, Q3 objections, Q4 promises, Q7 the 12-month gut read.  The CSM
 * answers Q5 and Q6 and owns the review.  1 if question i (0-6) is the
 * AE's.
 */
int cl_wf_ae_question(int i);

/* The longest answer, in bytes, the review and the AE's answers take. */
#define CL_WF_ANSWER_MAX 4000

/*
 * The deal's AE saves answers (NULL: not given this time) to its
 * questions.  merged: the AE's answers as they will be stored (those held
 * before, overwritten by these).  reviewed: 1 when the review is already
 * held.  Refused: the deal not closed won or already reviewed
 * (CL_ECONFLICT), no answer given, an answer to a question that is not
 * the AE's, or one over CL_WF_ANSWER_MAX (CL_EINVAL, naming the field).
 * Effects: AUDIT review_answers (entity review, new_value the questions
 * answered, "q1;q4"); when every AE question of merged is non-blank,
 * MARK_TASK review_answers done for the AE.
 */
cl_err cl_wf_review_answers(const cl_wf_deal *deal, int reviewed,
                            const char *const answers[7],
                            const char *const merged[7], const char *actor_id,
                            cl_wf_effects *out, cl_error *err);

/* The task kind of check-in n (1-3): "review_checkin_1", ... */
const char *cl_wf_checkin_kind(int n);

/* n (1-3) if kind is a check-in task kind, else 0. */
int cl_wf_checkin_n(const char *kind);

/*
 * The check-ins of a won deal, judged on today, once its review is held
 * (reviewed 1; 0 gives nothing): check-in n is due checkin_days[n-1] days after
 * the deal's kickoff_on (its close day when no kickoff is recorded) and opens
 * checkin_notice_days before that, as a CREATE_TASK review_checkin_N for
 * the CSM (RevOps when none), subject the deal, key
 * "review_checkin_N:DEAL".  A check-in due more than lookback_days before
 * today is history and never opens (an import of old reviews floods no
 * one).  Each opens once: opened has bit n-1 set for each check-in the
 * deal already has (whoever it went to, so a new CSM on the account does
 * not get the old CSM's again), and the task's UNIQUE key dedupes too, so a
 * re-tick adds none.
 */
cl_err cl_wf_review_checkins(const cl_wf_config *cfg, const cl_wf_deal *deal,
                             int reviewed, unsigned opened, cl_day today,
                             int lookback_days, cl_wf_effects *out,
                             cl_error *err);

/* The note of a check-in reading: at most this many bytes. */
#define CL_WF_NOTE_MAX 2000

/*
 * A check-in recorded on task (a review_checkin_N task on a deal) with a
 * health reading score (0-100, the scale of cl_wf_health_score) and a
 * note.  Refused: not a check-in task (CL_EINVAL), already done
 * (CL_ECONFLICT), score outside 0-100 or a blank or over-long note
 * (CL_EINVAL naming score or note).  Effects: MARK_TASK done; SET
 * health_score on the deal (key "health_checkin:TASK", title "checkin",
 * body the note, actor_id) so the account's score becomes this reading and
 * the shell keeps it in the history; AUDIT health_checkin on the deal.
 * The review's own score is the SET of cl_wf_review_recorded, title
 * "review".
 */
cl_err cl_wf_checkin_recorded(const cl_wf_task *task, int score,
                              const char *note, const char *actor_id,
                              cl_wf_effects *out, cl_error *err);

/* ---- rule 2: churn ------------------------------------------------------ */

/*
 * A churn recorded on churn->recorded_on: a churn_tagging task for the CSM
 * (RevOps when none) due churn_tagging_due_business_days business days
 * later; key "churn_tagging:CHURN".  A churn that arrives already tagged
 * (an import) gets no task: call cl_wf_churn_tagged with an untagged
 * "before" state instead.
 */
cl_err cl_wf_churn_recorded(const cl_wf_config *cfg, const cl_calendar *cal,
                            const cl_wf_churn *churn, cl_wf_effects *out,
                            cl_error *err);

/*
 * Whether a person may give tag to a churn whose tag was before (NULL:
 * untagged): a retired cause of cfg->causes only where before had it
 * already (as primary or contributing cause), so an old tag stays
 * editable while no new tag takes the cause.  CL_EINVAL with err->msg one
 * line naming primary_cause or contributing_causes and the cause's label.
 * Imports of past tags do not ask it.
 */
cl_err cl_wf_tag_retired_check(const cl_wf_config *cfg, const cl_wf_tag *before,
                               const cl_wf_tag *tag, cl_error *err);

/*
 * A churn tagged (or re-tagged) with tag by actor_id on day today.  churn is
 * the state before (its tag is the old tag).  The primary cause must be a
 * taxonomy code and every contributing cause too (CL_EINVAL + ERROR).
 * Effects: AUDIT (action "churn_tagged" the first time, "churn_tag_changed"
 * after; old and new as "primary=...;contributing=..."); MARK_TASK
 * churn_tagging done.  If the new primary cause is sales-attributable and
 * !churn->sales_flagged: NOTIFY churn_flag to the AE and the AE's manager
 * (keys "churn_flag:CHURN:USER"; RevOps if neither is known), CREATE_TASK
 * debrief for the AE and for the CSM due debrief_due_business_days business
 * days after today (keys "debrief:CHURN:USER"), and SET sales_flagged = 1 on
 * the churn.  A non-sales primary cause that differs from the old one
 * adds the effects of cl_wf_churn_routed.  A changed primary cause whose
 * follow-up owner changes (another user, a sales cause, a cause routed to
 * none) closes the old owner's cause_followup task, audited as
 * cause_followup_superseded.  A tag identical to the old one gives no
 * effects; any other tag of a closed churn is refused (CL_ECONFLICT +
 * ERROR): a closed churn's tag changes only once it is reopened.
 */
cl_err cl_wf_churn_tagged(const cl_wf_config *cfg, const cl_calendar *cal,
                          const cl_wf_churn *churn, const cl_wf_tag *tag,
                          const char *actor_id, cl_day today,
                          cl_wf_effects *out, cl_error *err);

/*
 * Whether tag may replace churn's tag: CL_ECONFLICT (err says why) when
 * the churn is closed and tag differs from its tag in any of the five
 * fields; a closed churn's tag changes only once it is reopened
 * (cl_wf_churn_reopen).  cl_wf_churn_tagged, a record write and an import
 * all ask this.
 */
cl_err cl_wf_churn_tag_check(const cl_wf_churn *churn, const cl_wf_tag *tag,
                             cl_error *err);

/*
 * Closing a churn record by actor_id.  Refused while untagged or closed
 * (CL_ECONFLICT + ERROR) and while any of the three levels of signal is
 * missing (CL_EINVAL + ERROR): the customer's stated reason, the CS
 * diagnosis and the pre-sale behaviour that predicted it.  A level nobody
 * knows is written "not known: REASON" (cl_wf_signal_check).  Effect:
 * AUDIT "churn_closed", new value "signals=known" or "not_known=" and the
 * levels not known (e.g. "not_known=stated_reason;diagnosis"), which the
 * tagging audit counts.
 */
cl_err cl_wf_churn_close(const cl_wf_churn *churn, const char *actor_id,
                         cl_wf_effects *out, cl_error *err);

/*
 * The AE+CSM debrief held (issue 16): notes (required, at most 4000
 * characters) and whether the tag is accepted or disputed (disputed needs a
 * reason).  Refused: an untagged churn (CL_ECONFLICT); no notes, a dispute
 * without a reason, a text too long (CL_EINVAL).  Effects: MARK_TASK done
 * every debrief task of the churn; AUDIT "debrief_held" on the churn by
 * actor_id, old value the primary cause, new value "accepted" or
 * "disputed", body the notes (and the reason); NOTIFY "debrief_outcome" to
 * the account's CSM (RevOps without one; nobody when the actor is that
 * person), keyed by churn, cause and recipient.
 */
cl_err cl_wf_debrief_held(const cl_wf_config *cfg, const cl_wf_churn *churn,
                          const char *actor_id, const char *notes,
                          int disputed, const char *reason, cl_wf_effects *out,
                          cl_error *err);

/*
 * Reopening a closed churn so that its tag can change: refused when the
 * churn is open (CL_ECONFLICT) or reason is empty (CL_EINVAL).  Effect:
 * AUDIT "churn_reopened", "closed" to "open", with the reason (body).
 */
cl_err cl_wf_churn_reopen(const cl_wf_churn *churn, const char *reason,
                          const char *actor_id, cl_wf_effects *out,
                          cl_error *err);

/* A signal text as closing a churn takes it. */
typedef enum cl_wf_signal {
    CL_WF_SIGNAL_MISSING = 0, /* empty, or "not known" without a reason */
    CL_WF_SIGNAL_KNOWN,
    CL_WF_SIGNAL_NOT_KNOWN /* "not known: REASON" (or "unknown - REASON") */
} cl_wf_signal;

/*
 * How text reads as a signal: "not known" or "unknown" (any case), then
 * ':', '-' or '(' and a reason of at least three letters, is NOT_KNOWN;
 * the same words without a reason are MISSING, as is an empty text.
 */
cl_wf_signal cl_wf_signal_check(const char *text);

/*
 * Routing of a non-sales cause (docs/design.md section 5, "goes to").  role:
 * the owner role of the cause (a code of cl_roles) or "none" (monitored, no
 * task); user_id: the first user with that role, by id (the same user on every
 * run, so the tick and an event never make two tasks), or NULL.
 */
typedef struct cl_wf_route_owner {
    const char *cause;
    const char *role;
    const char *user_id;
} cl_wf_route_owner;

/*
 * The default owner role of a cause: failed_adoption, poor_service and
 * goals_not_met -> vp_cs; product_deficiency and pricing -> revops;
 * competitive_loss -> marketing (product marketing); financial_distress ->
 * vp_sales (credit screening in qualification); business_change -> "none".
 * NULL for a sales-attributable or unknown cause (those follow rule 2's
 * flag to Sales).
 */
const char *cl_wf_route_default(const char *cause);

/*
 * Checks a routing setting: "route_CAUSE" (CAUSE non-sales; value a role
 * code or "none") or "route_due_business_days" (a whole number 1-60).
 * Returns NULL when valid, else the reason (static text); *known = 0 when
 * key is not a routing setting (known may be NULL).
 */
const char *cl_wf_route_setting_check(const char *key, const char *value,
                                      int *known);

/*
 * A churn tagged with a non-sales primary cause, on today: CREATE_TASK
 * cause_followup (subject the churn) for the owner of the cause
 * (cfg->route_owners, else the default role with no user known; a role
 * with no user routes to RevOps), due route_due_business_days business
 * days after today (key "cause_followup:CHURN:USER"), and NOTIFY
 * cause_route to that user (key "cause_route:CHURN:CAUSE:USER").  No
 * effects for
 * a sales-attributable cause, an untagged churn or a cause routed to
 * "none".  cl_wf_churn_tagged calls it; the tick calls it for tags that
 * arrived some other way, and the keys make the second call harmless.
 */
cl_err cl_wf_churn_routed(const cl_wf_config *cfg, const cl_calendar *cal,
                          const cl_wf_churn *churn, cl_day today,
                          cl_wf_effects *out, cl_error *err);

/* ---- rule 3: recovery ---------------------------------------------------- */

/*
 * Whole calendar months from `from` to `to` (0 if to < one month after
 * from; never negative).  2026-01-31 -> 2026-02-28 is 1 month.
 */
int cl_wf_whole_months(cl_day from, cl_day to);

/*
 * A new deal created.  account_deals: the other deals of the same account
 * (the new deal itself, if present, is skipped).  Only a deal of type new
 * can be a recovery, of a lost deal of type new (a NULL type counts as
 * new).  If one of them is
 * closed_lost with closed_on <= the new deal's created_on, the latest such
 * (by closed_on, then by id) is the original: LINK (key
 * "recovery_link:NEW", value = cl_wf_whole_months(original closed_on, new
 * created_on)) and CREATE_TASK recovery_classification for the CSM (RevOps
 * when none), subject the new deal, due review_task_due_days later (key
 * "recovery_classification:NEW").  No effects otherwise.
 */
cl_err cl_wf_deal_created(const cl_wf_config *cfg, const cl_wf_deal *deal,
                          const cl_wf_deal *account_deals, size_t n,
                          cl_wf_effects *out, cl_error *err);

/* ---- rule 4: cadence ----------------------------------------------------- */

/*
 * The cadence at instant now.  From the first business day of a month on
 * (any later tick in the month too), OPEN_SESSION monthly_debrief for the
 * previous month (report "monthly"); from the first business day of a
 * quarter on, bad_fit_review, icp_review and recovery_review for the
 * previous quarter (reports "bad-fit", "icp", "recovery").  Owner RevOps.
 * Keys "cadence:KIND:PERIOD".  Sessions listed in existing (any status) are
 * skipped; the shell's UNIQUE (kind, period) makes a repeat harmless anyway.
 * Only the previous period is opened: a workspace that did not tick for a
 * whole month does not get the older sessions back.
 */
cl_err cl_wf_cadence_tick(const cl_wf_config *cfg, const cl_calendar *cal,
                          cl_time now, const cl_wf_session *existing,
                          size_t nexisting, cl_wf_effects *out, cl_error *err);

/* ---- sessions opened or scheduled by hand (issue 16) -------------------- */

/* A session scheduled for a day: (kind, period) opens on open_on. */
typedef struct cl_wf_schedule {
    const char *kind, *period;
    cl_day open_on;
} cl_wf_schedule;

/* How far ahead a session may be scheduled, and how far back a period may
   be opened by hand (days). */
#define CL_WF_SCHEDULE_AHEAD_DAYS 365
#define CL_WF_OPEN_BACK_DAYS (5 * 366)

/* The report a session kind carries ("monthly", "bad-fit", "icp",
   "recovery"), NULL for a kind that is not a session's. */
const char *cl_wf_session_report(const char *kind);

/*
 * A session of kind for period opened by hand on today, as the cadence
 * opens it (OPEN_SESSION, owner RevOps, key "manual:KIND:PERIOD").  Refused
 * (CL_EINVAL, naming the field) for an unknown kind, a period that is not a
 * month (the debrief) or a quarter (the reviews), one not over before
 * today, or one that began more than CL_WF_OPEN_BACK_DAYS before today.
 * A (kind, period) in existing is no effect: opening is idempotent.
 */
cl_err cl_wf_session_open_now(const cl_wf_config *cfg, const char *kind,
                              const char *period, cl_day today,
                              const cl_wf_session *existing, size_t nexisting,
                              cl_wf_effects *out, cl_error *err);

/*
 * Checks a schedule asked on today: kind and period as above, except that
 * the period need only be over before open_on; open_on from today to
 * CL_WF_SCHEDULE_AHEAD_DAYS later.  Refused (CL_ECONFLICT) when (kind,
 * period) is in existing: that session is opened already.
 */
cl_err cl_wf_session_schedule_check(const char *kind, const char *period,
                                    cl_day open_on, cl_day today,
                                    const cl_wf_session *existing,
                                    size_t nexisting, cl_error *err);

/*
 * The schedules whose day has come (open_on <= today) and whose session
 * does not exist yet: OPEN_SESSION each, key "schedule:KIND:PERIOD".
 */
cl_err cl_wf_schedule_tick(const cl_wf_config *cfg, const cl_wf_schedule *s,
                           size_t n, cl_day today,
                           const cl_wf_session *existing, size_t nexisting,
                           cl_wf_effects *out, cl_error *err);

/* The next opening of a session: when (kind, period) opens, and whether
   it is a schedule's day or the cadence's. */
typedef struct cl_wf_next_session {
    char kind[24];
    char period[8];
    cl_day open_on;
    int scheduled;
} cl_wf_next_session;

/*
 * What opens next, earliest first, into out (at most max; *n how many):
 * every schedule not opened yet, then the cadence's next debrief (for the
 * current month, on the first business day of the next) and next reviews
 * (for the current quarter) unless a schedule holds their (kind, period).
 */
void cl_wf_sessions_next(const cl_calendar *cal, cl_day today,
                         const cl_wf_schedule *s, size_t ns,
                         const cl_wf_session *existing, size_t nexisting,
                         cl_wf_next_session *out, size_t max, size_t *n);

/* ---- rule 5: the debrief's one change ------------------------------------ */

/*
 * A process change recorded in a session on today.  existing: the
 * session's process change, or NULL.  Refused (CL_ECONFLICT) unless the
 * session is an open monthly_debrief with none yet; owner and description
 * are required (CL_EINVAL).  Effects: PROCESS_CHANGE (check-in due
 * checkin_due_days later, key "process_change:SESSION") and CREATE_TASK
 * process_change_checkin for the owner, same due day, subject the session.
 */
cl_err cl_wf_process_change_recorded(const cl_wf_config *cfg,
                                     const cl_wf_session *session,
                                     const cl_wf_process_change *existing,
                                     const char *owner_id,
                                     const char *description, cl_day today,
                                     cl_wf_effects *out, cl_error *err);

/*
 * Check-ins on tick (today).  For each process change without a check-in:
 * after its due day (today > checkin_due) and not reminded, NOTIFY
 * checkin_reminder to the owner and SET reminded (key
 * "checkin_reminder:PC"); from checkin_escalation_business_days business
 * days after the due day on and not escalated, NOTIFY checkin_escalation to
 * RevOps and SET escalated (key "checkin_escalation:PC").
 */
cl_err cl_wf_checkins_tick(const cl_wf_config *cfg, const cl_calendar *cal,
                           const cl_wf_process_change *pcs, size_t n,
                           cl_day today, cl_wf_effects *out, cl_error *err);

/* ---- rule 6: quarterly thresholds and session close -----------------------
 */

typedef struct cl_wf_ae_count {
    const char *ae_id;
    const char *ae_manager_id; /* or NULL */
    int count; /* over-promise churns, or trust recoveries, of this AE */
} cl_wf_ae_count;

typedef struct cl_wf_quarter_figures {
    /* The quarter's tagged churn cohort (bad_fit_review). */
    int cohort_size;
    double wrong_icp_share;
    double over_promise_share;
    double misaligned_share;
    const cl_wf_ae_count *overpromise_by_ae;
    size_t n_overpromise_by_ae;
    const cl_wf_ae_count *misaligned_by_ae;
    size_t n_misaligned_by_ae;
    /* The quarter's CS-led recoveries (recovery_review); a recovery marked
       not CS-led is in none of these. */
    int recoveries;
    int overpromise_recoveries;
    double timing_share;
    int trust_recoveries;
    int champion_change_recoveries;
    /* Trust recoveries by the AE who lost the original deal. */
    const cl_wf_ae_count *trust_by_ae;
    size_t n_trust_by_ae;
} cl_wf_quarter_figures;

/*
 * The trust-cluster rule (docs/design.md section 2, item 9), one rule for
 * the recovery report and the recovery review: 1 when the AE holding the
 * most trust recoveries (top of ntrust) holds at least min_count of them
 * and at least min_share (thresholds trust_cluster_min and
 * trust_cluster_share), else 0.
 */
int cl_wf_trust_cluster(int top, int ntrust, double min_share, int min_count);

/*
 * The thresholds that fire when session opens (on today).  bad_fit_review:
 * icp_review_share (> : CREATE_TASK icp_review for Marketing and RevOps,
 * due icp_review_due_days later), coaching_share (> : one COACHING_ITEM
 * "over_promise" per AE with count > 0, audience the AE, the AE's manager,
 * role vp_sales, role revops, and a NOTIFY coaching_item to the AE's
 * manager only; a private coaching_conversation task for each of those
 * managers and for the VP Sales, each with the other as attendee (key
 * "coaching_conversation:SESSION:USER"); and deal_approval_review for
 * RevOps and the VP Sales), discovery_review_share (> : discovery_review,
 * and a COACHING_ITEM "misaligned_use_case" per AE of misaligned_by_ae,
 * as for over-promise).  recovery_review:
 * enablement_review_recoveries (>= : enablement_review),
 * qualification_review_timing_share (> : qualification_review);
 * trust_cluster_share (cl_wf_trust_cluster over trust_by_ae, when
 * trust_recoveries > 0: a COACHING_ITEM "trust_breakdown" for each AE at
 * the top count, audience and manager notice as for over-promise, and the
 * private coaching_conversation tasks); champion_change_recoveries (>= 1:
 * deal_brief_template); trust_recoveries (>= 1: handoff_sla_review); these
 * four only with recoveries > 0.  Review
 * tasks go to RevOps and the VP Sales (if configured), due
 * review_task_due_days later; task keys "KIND:SESSION:USER".  Every
 * evaluated rule gives a FIRE_TRIGGER (key "trigger:RULE:PERIOD").  Share
 * rules need a non-empty cohort (recoveries > 0 for the timing share).
 * Other kinds: no effects.
 */
cl_err cl_wf_session_opened(const cl_wf_config *cfg,
                            const cl_wf_session *session,
                            const cl_wf_quarter_figures *fig, cl_day today,
                            cl_wf_effects *out, cl_error *err);

/*
 * Closing session: refused if already closed (CL_ECONFLICT), and for a
 * monthly_debrief without its process change (pc NULL, CL_ECONFLICT).
 * Effects: NOTIFY what_changed to every CSM in csm_ids (key
 * "what_changed:KIND:PERIOD:CSM"), the body listing the decisions (and the
 * process change).  decisions: ndecisions strings, not owned.
 */
cl_err cl_wf_session_close(const cl_wf_session *session,
                           const cl_wf_process_change *pc,
                           const char *const *decisions, size_t ndecisions,
                           const char *const *csm_ids, size_t ncsm,
                           cl_wf_effects *out, cl_error *err);

/* ---- rule 9: won-deal review completion --------------------------------- */

/*
 * The won-deal review completion of month ("2026-07"), judged when its
 * monthly_debrief session opens on today.  due: the month's won new deals
 * whose review is due by today (pending ones, due later, are left out, so
 * a month read on the 1st does not read low); on_time: of those, reviewed
 * on time (docs/metrics.md, "Review completion").  When due > 0 and
 * on_time / due < review_completion_target: CREATE_TASK
 * review_completion_investigation for RevOps, subject ("quarter",
 * "2026Q3": the month's quarter), due review_task_due_days later, key
 * "review_completion_investigation:2026Q3".  Once a quarter: a second month
 * below target in the same quarter gives the same key and the same task,
 * which the shell applies once.  CL_EINVAL (+ ERROR) for a bad month.
 */
cl_err cl_wf_review_completion(const cl_wf_config *cfg, const char *month,
                               int due, int on_time, cl_day today,
                               cl_wf_effects *out, cl_error *err);

/* ---- rules 7 and 8: pipeline and overdue tasks on tick ---------------------
 */

/*
 * The pipeline flags (DESIGN 2, item 11), in the order of the strength of
 * their evidence (docs/metrics.md, "Pipeline at risk"): a churn pattern is
 * found in the workspace's own churns and survives a false-discovery
 * control; the ICP is the written definition of who succeeds as a
 * customer; champion stability and slow to demo are one warning sign each.
 */
typedef enum cl_wf_pf {
    CL_WF_PF_CHURN_PATTERN = 0,
    CL_WF_PF_OUTSIDE_ICP,
    CL_WF_PF_CHAMPION_STABILITY,
    CL_WF_PF_SLOW_TO_DEMO,
    CL_WF_PF_COUNT
} cl_wf_pf;

/* The code of kind ("churn_pattern"), or NULL when out of range. */
const char *cl_wf_pf_name(cl_wf_pf kind);

/* kind in words for a message ("matches a churn pattern"), or NULL. */
const char *cl_wf_pf_words(cl_wf_pf kind);

/* The kind whose code is name, or -1. */
int cl_wf_pf_parse(const char *name);

/*
 * Ranking by evidence: negative when a flag of kind ka with evidence ea
 * ranks before one of kb, eb.  By kind first (the cl_wf_pf order), then
 * by evidence, higher first (NaN last).  0 when both tie; the caller
 * breaks ties (the deal's ARR, higher first, then the deal id).
 */
int cl_wf_pf_cmp(cl_wf_pf ka, double ea, cl_wf_pf kb, double eb);

/*
 * One flag an open deal carries now, as the pipeline report finds it
 * (analytics/pipeline.h).  evidence: how strong the flag is within its
 * kind, higher is stronger (docs/metrics.md gives each kind's measure:
 * a churn pattern's lift, the ICP criteria a deal fails, ...).
 */
typedef struct cl_wf_pipeline_flag {
    size_t deal; /* index of its deal in the rule's deals */
    cl_wf_pf kind;
    const char *reason; /* one line */
    double evidence;
} cl_wf_pipeline_flag;

/* At most this many flags are listed in one digest; the rest are counted
   and left to the pipeline report. */
#define CL_WF_DIGEST_MAX_LINES 50

/*
 * The daily pipeline digest, on tick (today).  deals: the open deals (a
 * closed one is skipped); flags: the flags they carry now.  A flag whose
 * kind is not in its deal's flags_raised is new:
 *
 *   - FLAG on the deal (what = cl_wf_pf_name, body = the reason), key
 *     "pipeline_flag:FLAG:DEAL";
 *   - ONE NOTIFY pipeline_digest to each person with new flags, the AE of
 *     the deal and the AE's manager (once when they are the same person),
 *     key "pipeline_digest:YYYY-MM-DD:USER", subject ("report",
 *     "pipeline").  Its body lists that person's new flags ranked by
 *     evidence (cl_wf_pf_cmp, then the deal's ARR higher first, then the
 *     deal id), one line each: the deal, its AE where the reader is not
 *     that AE, the flag in words and its reason; at most
 *     CL_WF_DIGEST_MAX_LINES lines, then how many more.
 *
 * digested: the users whose digest of today is already out (an earlier
 * tick of the same day).  A deal whose AE or manager is one of them keeps
 * its new flags for tomorrow's digest: none of them is raised today, so
 * no flag is raised without being told.  A deal with neither AE nor
 * manager gets its flags raised and tells nobody.  There are no
 * per-deal notifications.  Returns CL_OK, CL_EINVAL (+ ERROR) for a flag
 * whose deal or kind is out of range, CL_ENOMEM.
 */
cl_err cl_wf_pipeline_tick(const cl_wf_deal *deals, size_t ndeals,
                           const cl_wf_pipeline_flag *flags, size_t nflags,
                           const char *const *digested, size_t ndigested,
                           cl_day today, cl_wf_effects *out, cl_error *err);

/*
 * Open tasks on tick (today).  On or after the due day and not reminded:
 * NOTIFY task_reminder to the assignee and MARK_TASK reminded (key
 * "task_reminder:TASK").  From overdue_escalation_business_days business
 * days after the due day on and not escalated: NOTIFY task_escalation to
 * the assignee's manager (RevOps when none) and MARK_TASK escalated (key
 * "task_escalation:TASK").  Tasks of kind process_change_checkin are left to
 * cl_wf_checkins_tick, which has its own schedule.
 */
cl_err cl_wf_tasks_tick(const cl_wf_config *cfg, const cl_calendar *cal,
                        const cl_wf_task *tasks, size_t n, cl_day today,
                        cl_wf_effects *out, cl_error *err);

#endif
