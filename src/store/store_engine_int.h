/*
 * store_engine_int.h - the engine reads' row-to-struct mapping, one copy for
 * both backends (store_engine_rows.c); not a public header.
 *
 * The SQL, written once, runs through the backend's query primitives
 * (cl_store_ops, store_int.h), which hand each result row to a mapper here
 * through a cl__row: its result, the row's index, and a small table of
 * column accessors.  The columns of each query are in the order the
 * mapper's comment names.
 */
#ifndef CL_STORE_ENGINE_INT_H
#define CL_STORE_ENGINE_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "store_engine.h"
#include "store_int.h"

/* Where a mapper hands its struct: the caller's callback and its ud. */
typedef struct cl__row_sink {
    union {
        cl_store_deal_cb deal;
        cl_store_review_cb review;
        cl_store_churn_cb churn;
        cl_store_user_cb user;
        cl_store_kv_cb kv;
        cl_store_task_cb task;
        cl_store_outbox_cb outbox;
        cl_store_session_cb session;
        cl_store_pc_cb pc;
        cl_store_coaching_cb coaching;
        cl_store_flag_cb flag;
    } cb;
    void *ud;
} cl__row_sink;

/*
 * The mappers of rows to the engine's structs; ud is a cl__row_sink whose
 * cb member of the same name is set.  Columns, in order:
 *   deal: id, account_id, ae_id, ae_manager_id, csm_id, cs_manager_id,
 *     type, stage, created_on, first_demo_on, closed_on, kickoff_on, arr,
 *     icp_fit_score, champion_tenure_months, exec_sponsor,
 *     flags (the deal's flag codes, ';'-separated), review_done,
 *     account_name, ae_name
 *   review: deal_id, held_on, q1 .. q7, gut_read, icp_fit_score
 *   churn: id, account_id, deal_id, ae_id, ae_manager_id, csm_id,
 *     churned_on, primary_cause, contributing_causes, stated_reason,
 *     diagnosis, predictive_behavior, tagged_by, tagged_on,
 *     sales_flagged_on, closed_on, sales_attributable, bad_fit_category,
 *     arr_lost, account_name
 *   user: id, name, email, role, manager_id
 *   kv: key, value
 *   task: id, kind, subject_kind, subject_id, assignee_id,
 *     assignee_manager_id, due_on, status, title, attendees, created_at,
 *     done_at, reminded_at, escalated_at
 *   outbox: id, recipient_id, recipient_email, channel, kind, subject,
 *     body, status, attempts, next_attempt_at, last_error,
 *     idempotency_key, created_at, sent_at, subject_kind, subject_id
 *   session: id, kind, period, status, owner_id, opened_at, closed_at,
 *     decisions, has_pack
 *   pc: id, session_id, owner_id, description, checkin_due, checkin_on,
 *     checkin_note, reminded_on, escalated_on
 *   coaching: id, session_id, ae_id, period, cause, note, audience, status
 *   flag: flag, field, reason
 */
int cl__row_deal(void *ud, const cl__row *r);
int cl__row_review(void *ud, const cl__row *r);
int cl__row_churn(void *ud, const cl__row *r);
int cl__row_user(void *ud, const cl__row *r);
int cl__row_kv(void *ud, const cl__row *r);
int cl__row_task(void *ud, const cl__row *r);
int cl__row_outbox(void *ud, const cl__row *r);
int cl__row_session(void *ud, const cl__row *r);
int cl__row_pc(void *ud, const cl__row *r);
int cl__row_coaching(void *ud, const cl__row *r);
int cl__row_flag(void *ud, const cl__row *r);

/* One text column into a caller's buffer; "" for NULL. */
typedef struct cl__row_text {
    char *buf;
    size_t len;
    int found; /* set to 1 when a row came */
} cl__row_text;

/* ud is a cl__row_text; reads column 0 of the first row. */
int cl__row_text_first(void *ud, const cl__row *r);

/* ud is an int; column 0 of the first row, -1 for NULL. */
int cl__row_int_first(void *ud, const cl__row *r);

/* ud is an int64_t; column 0 of the first row, 0 for NULL. */
int cl__row_id_first(void *ud, const cl__row *r);

/* A copy of one text column; pack NULL for NULL, oom set when strdup
   failed.  The caller frees pack. */
typedef struct cl__row_dup {
    char *pack;
    int oom;
} cl__row_dup;

/* ud is a cl__row_dup; column 0 of the first row. */
int cl__row_dup_first(void *ud, const cl__row *r);

/* A recovery link: original deal id (column 0) and months (column 1). */
typedef struct cl__row_link {
    char *out;
    size_t len;
    int months, found;
} cl__row_link;

/* ud is a cl__row_link; reads the first row. */
int cl__row_link_first(void *ud, const cl__row *r);

/* Up to CL__ROW_IDS ids of column 0, in row order. */
enum { CL__ROW_IDS = 64 };
typedef struct cl__row_ids {
    int64_t v[CL__ROW_IDS];
    int n;
} cl__row_ids;

/* ud is a cl__row_ids; stops when it is full. */
int cl__row_ids_each(void *ud, const cl__row *r);

/* The most parameters cl__q_rows and cl__q_exec take after the workspace. */
enum { CL__Q_MAXARGS = 16 };

/* The backend's rows and exec (cl_store_ops) with fmt's parameters ('s'
   text, 'i' int64_t, 'd' double) after the workspace as varargs
   (store_sql.c). */
cl_err cl__q_rows(cl_store *st, cl__row_fn fn, void *ud, cl_error *err,
                  const char *sql, const char *fmt, ...);
cl_err cl__q_exec(cl_store *st, int *changes, cl_error *err, const char *sql,
                  const char *fmt, ...);

/*
 * The engine reads of store_engine.h, one copy for both backends
 * (store_engine_read.c): the SQL runs through the backend's query
 * primitives and the rows go through the mappers above.
 */
cl_err cl__engr_deals_sel(cl_store *st, cl_store_deal_sel sel, const char *arg,
                          cl_store_deal_cb cb, void *ud, cl_error *err);
cl_err cl__engr_reviews_unscored(cl_store *st, cl_store_review_cb cb, void *ud,
                                 cl_error *err);
cl_err cl__engr_churns_sel(cl_store *st, cl_store_churn_sel sel,
                           const char *arg, const char *arg2,
                           cl_store_churn_cb cb, void *ud, cl_error *err);
cl_err cl__engr_users_by_role(cl_store *st, const char *role,
                              cl_store_user_cb cb, void *ud, cl_error *err);
cl_err cl__engr_config_get(cl_store *st, const char *key, char *buf, size_t len,
                           int *found, cl_error *err);
cl_err cl__engr_config_each(cl_store *st, cl_store_kv_cb cb, void *ud,
                            cl_error *err);
cl_err cl__engr_deal_checkins(cl_store *st, const char *deal_id,
                              unsigned *opened, cl_error *err);
cl_err cl__engr_tasks_each(cl_store *st, const cl_store_task_filter *f,
                           cl_store_task_cb cb, void *ud, cl_error *err);
cl_err cl__engr_tasks_settled(cl_store *st, cl_store_task_cb cb, void *ud,
                              cl_error *err);
cl_err cl__engr_outbox_each(cl_store *st, const char *recipient_id,
                            const char *channel, cl_store_outbox_cb cb,
                            void *ud, cl_error *err);
cl_err cl__engr_outbox_due(cl_store *st, const char *channel, const char *now,
                           int limit, cl_store_outbox_cb cb, void *ud,
                           cl_error *err);
cl_err cl__engr_outbox_claim(cl_store *st, const char *channel, const char *now,
                             int limit, cl_store_outbox_cb cb, void *ud,
                             cl_error *err);
cl_err cl__engr_sessions_each(cl_store *st, int64_t id, const char *status,
                              cl_store_session_cb cb, void *ud, cl_error *err);
cl_err cl__engr_session_pack(cl_store *st, int64_t id, char **pack,
                             cl_error *err);
cl_err cl__engr_pcs_each(cl_store *st, int64_t id, int64_t session_id,
                         int pending_only, cl_store_pc_cb cb, void *ud,
                         cl_error *err);
cl_err cl__engr_coaching_each(cl_store *st, cl_store_coaching_cb cb, void *ud,
                              cl_error *err);
cl_err cl__engr_flags_each(cl_store *st, const char *subject_kind,
                           const char *subject_id, cl_store_flag_cb cb,
                           void *ud, cl_error *err);
cl_err cl__engr_deal_health(cl_store *st, const char *deal_id, int *score,
                            cl_error *err);
cl_err cl__engr_answers_get(cl_store *st, const char *deal_id,
                            cl_store_answers_cb cb, void *ud, cl_error *err);
cl_err cl__engr_health_each(cl_store *st, const char *deal_id,
                            cl_store_health_cb cb, void *ud, cl_error *err);
cl_err cl__engw_answers_put(cl_store *st, const char *deal_id,
                            const char *const q[7], const char *by,
                            cl_error *err);
cl_err cl__engw_health_add(cl_store *st, const char *key,
                           const cl_store_health_row *r, int *inserted,
                           cl_error *err);
cl_err cl__engr_link_get(cl_store *st, const char *new_deal_id, char *out,
                         size_t outlen, int *months, int *found, cl_error *err);

/* ---- the engine writes (store_engine_write.c) ---------------------------- */

/* fmt's arguments from ap into a, at most max of them ('s' text, 'i'
   int64_t, 'd' double): the varargs of every query helper (store_sql.c). */
cl_err cl__args_collect(const char *fmt, va_list ap, cl__arg *a, int max,
                        cl_error *err);

/* The fields cl_store_field_set writes. */
enum {
    CL__FIELD_DEAL_HEALTH,
    CL__FIELD_CHURN_SALES_FLAGGED,
    CL__FIELD_CHURN_CLOSED,
    CL__FIELD_CHURN_REOPENED,
    CL__FIELD_PC_REMINDED,
    CL__FIELD_PC_ESCALATED,
    CL__FIELD_COUNT
};

/* The few strings where the SQL of the two backends differs, side by side
   in store_sql.c's cl__dialects. */
typedef struct cl__dialect {
    /* The function that builds a JSON object of key, value arguments
       (json_object, json_build_object). */
    const char *json_object;
    /* A JSON object expression (%s) as text in the layout of SQLite's
       json_object, which has no blanks: the audit entries' new value. */
    const char *json_text;
    /* A trigger's value and threshold, key, value arguments of
       json_object: the JSON numbers in text parameters ?9 and ?10
       (cl__sql_real_json's text, as SQLite writes a REAL). */
    const char *trigger_values;
    /* The aggregate that joins text values with a separator (group_concat,
       string_agg). */
    const char *text_agg;
    /* The audit JSON of a session row, whose decisions column holds JSON
       text. */
    const char *session_json;
    /* Appends ?2 (text) to the JSON array in sessions.decisions of the
       session whose id is ?3. */
    const char *session_decide;
    /* The user whose email is ?2, ASCII case folded (id, name, email,
       role, manager_id, password_hash). */
    const char *login_by_email;
    /* The deals table in a FROM clause that seeks deals by account (SQLite
       needs the hint to pick the index). */
    const char *deals_by_account;
    /* The newest audit entry (its columns in cl_audit_entry's order) in
       one seek; NULL where the backend has none. */
    const char *audit_last;
    /* Where several workers share the outbox (PostgreSQL): the CTEs, up to
       and with "claimed", that claim the due messages of channel ?2 at ?3,
       at most ?4, and name their ids in claimed; NULL where one writer
       owns the file and what is due is what it sends. */
    const char *outbox_claim;
    /* Gives up this worker's claim on outbox message ?2, if it holds one;
       NULL with outbox_claim. */
    const char *outbox_release;
    /* A list filter's pieces (store_api_list.c) where the column types
       differ: a boolean column (%s) as '1' or '0', and the money value of
       text parameter ?%d, NULL unless a number. */
    const char *bool_text;
    const char *money_param;
    /* Whether column %s, ASCII letters folded to lower case, holds the
       literal text ?%d. */
    const char *contains;
    /* Column %s as text, where its type is another (an integer, a date). */
    const char *text_of;
} cl__dialect;

/* By cl_sql_dialect (store_sql.c). */
extern const cl__dialect cl__dialects[2];

/* The dialect strings of st's backend. */
#define CL__DIALECT(st) (&cl__dialects[(st)->ops->dialect])

/*
 * The engine writes of store_engine.h, one copy for both backends:
 * each is one idempotent statement (INSERT ... ON CONFLICT DO NOTHING on
 * the table's UNIQUE key, or an UPDATE that sets a column only while it is
 * NULL) followed, when it changed something, by its audit entry.  They run
 * the SQL through the backend's query primitives.
 */
cl_err cl__engw_config_set(cl_store *st, const char *key, const char *value,
                           cl_error *err);
cl_err cl__engw_audit(cl_store *st, const char *entity, const char *entity_id,
                      const char *action, const char *old_json,
                      const char *new_json, cl_error *err);
cl_err cl__engw_task_add(cl_store *st, const cl_store_task_new *t,
                         int *inserted, int64_t *id, cl_error *err);
cl_err cl__engw_task_mark(cl_store *st, const char *kind,
                          const char *subject_kind, const char *subject_id,
                          const char *assignee_id, const char *mark,
                          int *changed, cl_error *err);
cl_err cl__engw_task_done(cl_store *st, int64_t id, int *changed,
                          cl_error *err);
cl_err cl__engw_outbox_add(cl_store *st, const cl_store_outbox_new *m,
                           int *inserted, cl_error *err);
cl_err cl__engw_outbox_has(cl_store *st, const char *key, int *found,
                           cl_error *err);
cl_err cl__engw_outbox_mark(cl_store *st, int64_t id, const char *status,
                            int attempts, const char *next_attempt_at,
                            const char *last_error, cl_error *err);
cl_err cl__engw_session_open(cl_store *st, const char *kind, const char *period,
                             const char *owner_id, int *inserted, int64_t *id,
                             cl_error *err);
cl_err cl__engw_session_set_pack(cl_store *st, int64_t id, const char *pack,
                                 cl_error *err);
cl_err cl__engw_session_decide(cl_store *st, int64_t id, const char *text,
                               cl_error *err);
cl_err cl__engw_session_close(cl_store *st, int64_t id, int *changed,
                              cl_error *err);
cl_err cl__engw_pc_add(cl_store *st, int64_t session_id, const char *owner_id,
                       const char *description, const char *checkin_due,
                       int *inserted, int64_t *id, cl_error *err);
cl_err cl__engw_pc_checkin(cl_store *st, int64_t id, const char *on,
                           const char *note, int *changed, cl_error *err);
cl_err cl__engw_trigger_add(cl_store *st, int64_t session_id, const char *rule,
                            const char *period, double value, double threshold,
                            int fired, int *inserted, cl_error *err);
cl_err cl__engw_coaching_add(cl_store *st, const char *ae_id,
                             int64_t session_id, const char *period,
                             const char *cause, const char *note,
                             const char *audience, int *inserted,
                             cl_error *err);
cl_err cl__engw_coaching_update(cl_store *st, int64_t id, const char *note,
                                int close, int *changed, cl_error *err);
cl_err cl__engw_flag_add(cl_store *st, const char *key,
                         const char *subject_kind, const char *subject_id,
                         const char *flag, const char *field,
                         const char *reason, int *inserted, cl_error *err);
cl_err cl__engw_field_set(cl_store *st, const char *subject_kind,
                          const char *subject_id, const char *field,
                          const char *text, double value, int *changed,
                          cl_error *err);
cl_err cl__engw_link_add(cl_store *st, const char *new_deal_id,
                         const char *original_deal_id, int months,
                         int *inserted, cl_error *err);

/* Appends an audit entry whose new value is the row of table where keycol
   = key, rendered by json_expr (a JSON object expression over its
   columns) in the layout of SQLite's json_object; old_json may be NULL.
   CL_ENOTFOUND when there is no such row. */
cl_err cl__engw_audit_row(cl_store *st, const char *table,
                          const char *json_expr, const char *keycol,
                          const char *key, const char *action,
                          const char *old_json, cl_error *err);

/* cl_store_causes, cl_store_thresholds and cl_store_threshold's reads
   (store_engine_read.c), before store.c clamps the thresholds. */
cl_err cl__engr_causes(cl_store *st, cl_store_cause_cb cb, void *ud,
                       cl_error *err);
cl_err cl__engr_thresholds(cl_store *st, cl_store_threshold_cb cb, void *ud,
                           cl_error *err);
cl_err cl__engr_threshold(cl_store *st, const char *key, double *value,
                          cl_error *err);

/* The record tables' reads and the audit log's (store_record.c), the
   signatures of store.h's calls; count's table is a record table's or
   "audit". */
cl_err cl__rec_schema_version(cl_store *st, int *version, cl_error *err);
cl_err cl__rec_count(cl_store *st, const char *table, int64_t *n,
                     cl_error *err);
cl_err cl__rec_each(cl_store *st, cl_kind kind, cl_store_row_cb cb, void *ud,
                    cl_error *err);
cl_err cl__rec_ids(cl_store *st, cl_kind kind, cl_store_id_cb cb, void *ud,
                   cl_error *err);
cl_err cl__rec_first_won_new_deal(cl_store *st, const char *account_id,
                                  char *out, size_t outlen, int *found,
                                  cl_error *err);
cl_err cl__rec_audit_each(cl_store *st, const char *entity,
                          const char *entity_id, cl_store_audit_cb cb, void *ud,
                          cl_error *err);
cl_err cl__rec_audit_of(cl_store *st, const cl_store_audit_key *keys, size_t n,
                        cl_store_audit_cb cb, void *ud, cl_error *err);
cl_err cl__rec_audit_last(cl_store *st, cl_store_audit_cb cb, void *ud,
                          cl_error *err);

/* The server's calls of store_api.h, the same SQL on both backends
   (store_api_sql.c, store_api_list.c); the signatures are store_api.h's. */
cl_err cl__api_list(cl_store *st, cl_kind kind, const cl_store_list_req *req,
                    cl_store_row_cb cb, void *ud, int64_t *total,
                    cl_error *err);
cl_err cl__api_cause_set(cl_store *st, const char *code, const char *label,
                         const char *definition, int retire, int *found,
                         cl_error *err);
cl_err cl__api_threshold_set(cl_store *st, const char *key, double value,
                             int *found, cl_error *err);
cl_err cl__api_holiday_delete(cl_store *st, const char *on, int *found,
                              cl_error *err);
cl_err cl__api_login_get(cl_store *st, const char *key, int by_email,
                         cl_store_login *out, int *found, cl_error *err);
cl_err cl__api_password_set(cl_store *st, const char *user_id, const char *hash,
                            int *found, cl_error *err);
cl_err cl__api_token_add(cl_store *st, const char *id, const char *user_id,
                         const char *token_hash, cl_error *err);
cl_err cl__api_token_revoke(cl_store *st, const char *id, int *changed,
                            cl_error *err);
cl_err cl__api_token_user(cl_store *st, const char *token_hash, char *user_id,
                          int *found, cl_error *err);
cl_err cl__api_websession_add(cl_store *st, const char *token_hash,
                              const char *user_id, const char *csrf,
                              const char *expires_at, cl_error *err);
cl_err cl__api_websession_get(cl_store *st, const char *token_hash,
                              const char *now, char *user_id, char *csrf,
                              int *found, cl_error *err);
cl_err cl__api_websession_delete(cl_store *st, const char *token_hash,
                                 cl_error *err);
cl_err cl__api_inbox_each(cl_store *st, const char *recipient_id, int64_t id,
                          cl_store_inbox_cb cb, void *ud, cl_error *err);
cl_err cl__api_inbox_read(cl_store *st, const char *recipient_id, int64_t id,
                          const char *at, int *changed, cl_error *err);
cl_err cl__api_websessions_end(cl_store *st, const char *user_id,
                               const char *keep_hash, cl_error *err);
cl_err cl__api_tokens_each(cl_store *st, const char *user_id, const char *id,
                           cl_store_token_cb cb, void *ud, cl_error *err);

#endif
