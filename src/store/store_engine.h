/*
 * store_engine.h - the store calls of the loop engine's shell and of
 * delivery: one function per query.
 *
 * Reads hand rows to a callback; the strings of a row belong to the store
 * and stay valid only during the callback (copy what you keep).  Dates are
 * "YYYY-MM-DD" text or NULL.  Writes must run inside the caller's
 * transaction (cl_store_begin) and are idempotent: an insert that hits its
 * UNIQUE key, or a "set once" field that is already set, changes nothing
 * and reports *inserted / *changed = 0.  Every write that changes something
 * appends its audit entry (actor and time of the transaction) in the same
 * transaction.  Writes outside a transaction return CL_EINVAL.
 */
#ifndef CL_STORE_ENGINE_H
#define CL_STORE_ENGINE_H

#include "store.h"

/* ---- deals ---------------------------------------------------------------
 */

/*
 * The dates the kickoff gate compares (cl_wf_kickoff_gate): the deal's
 * stored kickoff_on and its won-deal review's held_on, each CL_WF_NO_DAY
 * when there is none.  *found is 0 when the deal does not exist.  Two
 * record reads, no SQL of its own, so every backend has it.
 */
cl_err cl_store_kickoff_dates(cl_store *st, const char *deal_id,
                              cl_day *kickoff_on, cl_day *review_held_on,
                              int *found, cl_error *err);

typedef struct cl_store_deal_row {
    const char *id, *account_id, *ae_id;
    const char *ae_manager_id; /* the AE's manager, or NULL */
    const char *csm_id;        /* the account's CSM, or NULL */
    const char *cs_manager_id; /* that CSM's manager, or NULL */
    const char *type, *stage;
    const char *created_on, *first_demo_on, *closed_on, *kickoff_on;
    double arr;                 /* 0 when unknown */
    int icp_fit_score;          /* -1 unknown */
    int champion_tenure_months; /* -1 unknown */
    int exec_sponsor;           /* 1, 0, -1 unknown */
    const char *flags;          /* the codes of the flags raised on the
                                   deal, ';'-separated, or NULL */
    int review_done;            /* a reviews row exists */
    const char *account_name;   /* for messages people read; may be NULL */
    const char *ae_name;        /* the AE's name, or NULL */
} cl_store_deal_row;

typedef enum cl_store_deal_sel {
    CL_SD_ONE,            /* arg: the deal id */
    CL_SD_ACCOUNT,        /* arg: the account id */
    CL_SD_OPEN,           /* every deal not closed (arg unused) */
    CL_SD_WON_PENDING,    /* closed_won on or after arg (a date), with neither
                             a won_deal_review task nor a review */
    CL_SD_NEW_ON_LOST,    /* created on or after arg, not closed_lost, its
                             account has a closed_lost deal closed on or before
                             its creation, and no recovery link nor recovery
                             row names it yet */
    CL_SD_CHECKIN_PENDING /* closed_won, reviewed, its account not churned,
                             kickoff (else close) on or after arg, and
                             fewer than three check-in tasks (issue 14) */
} cl_store_deal_sel;

typedef int (*cl_store_deal_cb)(void *ud, const cl_store_deal_row *row);

/* Calls cb for each selected deal, by id.  Returns CL_OK or CL_EDB. */
cl_err cl_store_deals_sel(cl_store *st, cl_store_deal_sel sel, const char *arg,
                          cl_store_deal_cb cb, void *ud, cl_error *err);

/* ---- reviews -------------------------------------------------------------
 */

typedef struct cl_store_review_row {
    const char *deal_id, *held_on;
    const char *answers[7]; /* q1 .. q7, NULL when empty */
    const char *gut_read;   /* positive, neutral, worried or NULL */
    int icp_fit_score;      /* the deal's, -1 unknown */
} cl_store_review_row;

typedef int (*cl_store_review_cb)(void *ud, const cl_store_review_row *row);

/*
 * Calls cb, by deal id, for each closed_won deal that has a review but no
 * health score yet (its review arrived by import), each one's review
 * looked up by key.  Returns CL_OK or CL_EDB.
 */
cl_err cl_store_reviews_unscored(cl_store *st, cl_store_review_cb cb, void *ud,
                                 cl_error *err);

/* ---- churns --------------------------------------------------------------
 */

typedef struct cl_store_churn_row {
    const char *id, *account_id;
    const char *deal_id; /* as recorded, else the account's first won new */
    const char *ae_id, *ae_manager_id, *csm_id;
    const char *churned_on;
    const char *primary_cause, *contributing_causes;
    const char *stated_reason, *diagnosis, *predictive_behavior;
    const char *tagged_by, *tagged_on;
    const char *sales_flagged_on, *closed_on;
    int sales_attributable;       /* of the primary cause, per taxonomy */
    const char *bad_fit_category; /* of the primary cause, or NULL */
    double arr_lost;
    const char *account_name; /* what people read (issue 16) */
} cl_store_churn_row;

typedef enum cl_store_churn_sel {
    CL_SC_ONE,              /* arg: the churn id */
    CL_SC_UNTAGGED_PENDING, /* untagged, open, no churn_tagging task */
    CL_SC_FLAG_PENDING,     /* tagged sales-attributable, not yet flagged,
                               tagged (or churned) on or after arg */
    CL_SC_TAGGED_BETWEEN,   /* tagged, churned_on in [arg, arg2] */
    CL_SC_ROUTE_PENDING     /* tagged with a cause that is not
                               sales-attributable, no cause_followup task,
                               tagged (or churned) on or after arg */
} cl_store_churn_sel;

typedef int (*cl_store_churn_cb)(void *ud, const cl_store_churn_row *row);

cl_err cl_store_churns_sel(cl_store *st, cl_store_churn_sel sel,
                           const char *arg, const char *arg2,
                           cl_store_churn_cb cb, void *ud, cl_error *err);

/* ---- users and configuration ---------------------------------------------
 */

typedef struct cl_store_user_row {
    const char *id, *name, *email, *role, *manager_id;
} cl_store_user_row;

typedef int (*cl_store_user_cb)(void *ud, const cl_store_user_row *row);

/* Active users with role (all active users when role is NULL), by id:
   the loop routes new work and notes to no deactivated person. */
cl_err cl_store_users_by_role(cl_store *st, const char *role,
                              cl_store_user_cb cb, void *ud, cl_error *err);

/* Reads config key into buf (NUL-terminated, truncated to len); *found 0
   when unset. */
cl_err cl_store_config_get(cl_store *st, const char *key, char *buf, size_t len,
                           int *found, cl_error *err);

/* Sets config key (inside a transaction; audited as entity "config"). */
cl_err cl_store_config_set(cl_store *st, const char *key, const char *value,
                           cl_error *err);

typedef int (*cl_store_kv_cb)(void *ud, const char *key, const char *value);
cl_err cl_store_config_each(cl_store *st, cl_store_kv_cb cb, void *ud,
                            cl_error *err);

/*
 * Appends an audit entry for an engine action (entity a table name,
 * entity_id its key, action e.g. "kickoff_override"; old/new JSON or NULL).
 */
cl_err cl_store_audit(cl_store *st, const char *entity, const char *entity_id,
                      const char *action, const char *old_json,
                      const char *new_json, cl_error *err);

/* ---- tasks ----------------------------------------------------------------
 */

typedef struct cl_store_task_row {
    int64_t id;
    const char *kind, *subject_kind, *subject_id;
    const char *assignee_id, *assignee_manager_id;
    const char *due_on, *status, *title, *attendees, *created_at, *done_at;
    int reminded, escalated;
} cl_store_task_row;

typedef struct cl_store_task_filter {
    const char *assignee_id;  /* NULL: any */
    const char *kind;         /* NULL: any */
    const char *status;       /* "open", "done" or NULL */
    int64_t id;               /* 0: any */
    const char *subject_kind; /* NULL: any */
    const char *subject_id;   /* NULL: any */
} cl_store_task_filter;

typedef int (*cl_store_task_cb)(void *ud, const cl_store_task_row *row);

/* Which of deal_id's won-deal check-ins exist (review_checkin_1..3),
   whoever they went to: bit n-1 for check-in n. */
cl_err cl_store_deal_checkins(cl_store *st, const char *deal_id,
                              unsigned *opened, cl_error *err);

/* Tasks matching f, by due day then id. */
cl_err cl_store_tasks_each(cl_store *st, const cl_store_task_filter *f,
                           cl_store_task_cb cb, void *ud, cl_error *err);

/* The open tasks whose record has arrived since they were opened: a
   won-deal review or review-answers task whose deal has a review, a
   tagging task whose churn has its primary cause, a recovery
   classification task whose new deal's recovery has its type.  By kind
   (in that order, review answers last), then due day and id. */
cl_err cl_store_tasks_settled(cl_store *st, cl_store_task_cb cb, void *ud,
                              cl_error *err);

typedef struct cl_store_task_new {
    const char *kind, *subject_kind, *subject_id, *assignee_id;
    const char *attendees, *title; /* may be NULL */
    const char *due_on;            /* YYYY-MM-DD */
} cl_store_task_new;

/* Inserts a task unless (kind, subject, assignee) exists; *id its id. */
cl_err cl_store_task_add(cl_store *st, const cl_store_task_new *t,
                         int *inserted, int64_t *id, cl_error *err);

/*
 * Marks the open tasks of kind and subject (every assignee when assignee_id
 * is NULL): mark "done" (status done, done_at), "reminded" or "escalated"
 * (their _at column), each only where not yet set.  *changed counts rows.
 */
cl_err cl_store_task_mark(cl_store *st, const char *kind,
                          const char *subject_kind, const char *subject_id,
                          const char *assignee_id, const char *mark,
                          int *changed, cl_error *err);

/* Marks task id done (if open).  *changed 0 when it was done already. */
cl_err cl_store_task_done(cl_store *st, int64_t id, int *changed,
                          cl_error *err);

/* ---- outbox and inbox -----------------------------------------------------
 */

typedef struct cl_store_outbox_row {
    int64_t id;
    const char *recipient_id, *recipient_email, *channel, *kind;
    const char *subject, *body, *status;
    int attempts;
    const char *next_attempt_at, *last_error, *idempotency_key;
    const char *created_at, *sent_at;
    const char *subject_kind, *subject_id;
} cl_store_outbox_row;

typedef struct cl_store_outbox_new {
    const char *key; /* the idempotency key (UNIQUE) */
    const char *recipient_id, *channel, *kind, *subject, *body;
    const char *subject_kind, *subject_id; /* may be NULL */
    const char *status;                    /* "pending" or "sent" */
} cl_store_outbox_new;

cl_err cl_store_outbox_add(cl_store *st, const cl_store_outbox_new *m,
                           int *inserted, cl_error *err);

typedef int (*cl_store_outbox_cb)(void *ud, const cl_store_outbox_row *row);

/* *found = 1 when the outbox holds a row with idempotency key key. */
cl_err cl_store_outbox_has(cl_store *st, const char *key, int *found,
                           cl_error *err);

/* Rows by id; recipient_id / channel filter when not NULL. */
cl_err cl_store_outbox_each(cl_store *st, const char *recipient_id,
                            const char *channel, cl_store_outbox_cb cb,
                            void *ud, cl_error *err);

/*
 * Pending rows of channel due at now ("YYYY-MM-DDTHH:MM:SSZ": no
 * next_attempt_at, or one <= now), by id, at most limit.
 */
cl_err cl_store_outbox_due(cl_store *st, const char *channel, const char *now,
                           int limit, cl_store_outbox_cb cb, void *ud,
                           cl_error *err);

/*
 * Like cl_store_outbox_due, for a delivery worker that will send the rows:
 * each row handed out is claimed, so another worker on the same database
 * does not get it while this one sends.  On PostgreSQL the rows are locked
 * with FOR UPDATE SKIP LOCKED and leased for 10 minutes (of now's clock):
 * cl_store_outbox_mark ends the lease, and a worker that dies leaves its
 * rows to be claimed again when the lease ends.  On SQLite (one writer, one
 * file) it is cl_store_outbox_due.  Outside a transaction.
 */
cl_err cl_store_outbox_claim(cl_store *st, const char *channel, const char *now,
                             int limit, cl_store_outbox_cb cb, void *ud,
                             cl_error *err);

/*
 * Records a delivery attempt of message id: status ("pending", "sent",
 * "dead"), attempts, next_attempt_at and last_error (NULL clears), sent_at
 * when status is sent.  Audited.
 */
cl_err cl_store_outbox_mark(cl_store *st, int64_t id, const char *status,
                            int attempts, const char *next_attempt_at,
                            const char *last_error, cl_error *err);

/* ---- sessions, process changes, triggers, coaching ------------------------
 */

typedef struct cl_store_session_row {
    int64_t id;
    const char *kind, *period, *status, *owner_id;
    const char *opened_at, *closed_at;
    const char *decisions; /* JSON array text or NULL */
    int has_pack;
} cl_store_session_row;

typedef int (*cl_store_session_cb)(void *ud, const cl_store_session_row *r);

/* Sessions by id; id 0 = all, status NULL = any. */
cl_err cl_store_sessions_each(cl_store *st, int64_t id, const char *status,
                              cl_store_session_cb cb, void *ud, cl_error *err);

/* Opens a session unless (kind, period) exists; *id its id either way. */
cl_err cl_store_session_open(cl_store *st, const char *kind, const char *period,
                             const char *owner_id, int *inserted, int64_t *id,
                             cl_error *err);

/* Attaches the session's pack (report JSON) if it has none. */
cl_err cl_store_session_set_pack(cl_store *st, int64_t id, const char *pack,
                                 cl_error *err);

/* The pack of session id into *pack (a copy the caller frees), or NULL. */
cl_err cl_store_session_pack(cl_store *st, int64_t id, char **pack,
                             cl_error *err);

/* Appends a decision to the session's list. */
cl_err cl_store_session_decide(cl_store *st, int64_t id, const char *text,
                               cl_error *err);

/* Closes an open session; *changed 0 when it was closed already. */
cl_err cl_store_session_close(cl_store *st, int64_t id, int *changed,
                              cl_error *err);

typedef struct cl_store_pc_row {
    int64_t id, session_id;
    const char *owner_id, *description, *checkin_due, *checkin_on;
    const char *checkin_note;
    int reminded, escalated;
} cl_store_pc_row;

typedef int (*cl_store_pc_cb)(void *ud, const cl_store_pc_row *row);

/* Process changes: of session_id (0 = all), pending_only = without check-in;
   id (0 = any) selects one. */
cl_err cl_store_pcs_each(cl_store *st, int64_t id, int64_t session_id,
                         int pending_only, cl_store_pc_cb cb, void *ud,
                         cl_error *err);

cl_err cl_store_pc_add(cl_store *st, int64_t session_id, const char *owner_id,
                       const char *description, const char *checkin_due,
                       int *inserted, int64_t *id, cl_error *err);

/* Records the check-in (once); *changed 0 when it had one. */
cl_err cl_store_pc_checkin(cl_store *st, int64_t id, const char *on,
                           const char *note, int *changed, cl_error *err);

/* Records a threshold's evaluation for (rule, period) once, audited; a
   later evaluation changes it only from not fired to fired (a threshold
   that fires late), *inserted 1 then too. */
cl_err cl_store_trigger_add(cl_store *st, int64_t session_id, const char *rule,
                            const char *period, double value, double threshold,
                            int fired, int *inserted, cl_error *err);

typedef struct cl_store_coaching_row {
    int64_t id, session_id;
    const char *ae_id, *period, *cause, *note, *audience, *status;
} cl_store_coaching_row;

typedef int (*cl_store_coaching_cb)(void *ud, const cl_store_coaching_row *r);

cl_err cl_store_coaching_add(cl_store *st, const char *ae_id,
                             int64_t session_id, const char *period,
                             const char *cause, const char *note,
                             const char *audience, int *inserted,
                             cl_error *err);

cl_err cl_store_coaching_each(cl_store *st, cl_store_coaching_cb cb, void *ud,
                              cl_error *err);

/* Sets open coaching item id's note (note NULL: unchanged) and, with
   close, closes it, audited; *changed 0 when no open item has that id. */
cl_err cl_store_coaching_update(cl_store *st, int64_t id, const char *note,
                                int close, int *changed, cl_error *err);

/* ---- flags, fields, links -------------------------------------------------
 */

/* Raises a flag once (by key). */
cl_err cl_store_flag_add(cl_store *st, const char *key,
                         const char *subject_kind, const char *subject_id,
                         const char *flag, const char *field,
                         const char *reason, int *inserted, cl_error *err);

typedef int (*cl_store_flag_cb)(void *ud, const char *flag, const char *field,
                                const char *reason);

/* The flags of a record, by key. */
cl_err cl_store_flags_each(cl_store *st, const char *subject_kind,
                           const char *subject_id, cl_store_flag_cb cb,
                           void *ud, cl_error *err);

/*
 * Sets one engine-owned field: ("deal", "health_score", value), ("churn",
 * "sales_flagged", day text), ("churn", "closed", day text),
 * ("process_change", "reminded" | "escalated", day text).  Date fields are
 * set only when NULL; health_score whenever it differs.  CL_EINVAL for any
 * other field.
 */
cl_err cl_store_field_set(cl_store *st, const char *subject_kind,
                          const char *subject_id, const char *field,
                          const char *text, double value, int *changed,
                          cl_error *err);

/* The deal's health score into *score (-1 when unset). */
cl_err cl_store_deal_health(cl_store *st, const char *deal_id, int *score,
                            cl_error *err);

/* Links new_deal to its original closed_lost deal, once. */
cl_err cl_store_link_add(cl_store *st, const char *new_deal_id,
                         const char *original_deal_id, int months,
                         int *inserted, cl_error *err);

/* The original deal of new_deal_id into out; *found 0 when unlinked. */
cl_err cl_store_link_get(cl_store *st, const char *new_deal_id, char *out,
                         size_t outlen, int *months, int *found, cl_error *err);

/* ---- the won-deal review's asynchronous half (issue 14) ------------------ */

/* The AE's answers of a deal: q[0..6] (only q1-q4 and q7 are kept; the
   others NULL), who saved them last and when. */
typedef struct cl_store_answers_row {
    const char *q[7];
    const char *answered_by;
    const char *answered_at;
} cl_store_answers_row;

typedef int (*cl_store_answers_cb)(void *ud, const cl_store_answers_row *r);

/* Calls cb once with the AE's answers of deal_id, or not at all. */
cl_err cl_store_review_answers_get(cl_store *st, const char *deal_id,
                                   cl_store_answers_cb cb, void *ud,
                                   cl_error *err);

/* Stores the AE's answers of deal_id (q1-q4, q7 as given, NULL for none),
   replacing what was there, stamped with the transaction's time; in a
   transaction.  The engine's audit effect says who and which. */
cl_err cl_store_review_answers_put(cl_store *st, const char *deal_id,
                                   const char *const q[7], const char *by,
                                   cl_error *err);

/* A reading of a deal's health score. */
typedef struct cl_store_health_row {
    int64_t id;
    const char *deal_id;
    int score;
    const char *source; /* review, checkin */
    const char *note;   /* or NULL */
    const char *recorded_by;
    const char *recorded_on; /* YYYY-MM-DD */
} cl_store_health_row;

typedef int (*cl_store_health_cb)(void *ud, const cl_store_health_row *r);

/* Adds a reading once per key (*inserted 0 when the key was there); in a
   transaction. */
cl_err cl_store_health_add(cl_store *st, const char *key,
                           const cl_store_health_row *r, int *inserted,
                           cl_error *err);

/* The readings of deal_id, oldest first. */
cl_err cl_store_health_each(cl_store *st, const char *deal_id,
                            cl_store_health_cb cb, void *ud, cl_error *err);

#endif
