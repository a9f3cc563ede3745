/*
 * store_sqlite_engine_write.c - the SQLite backend's side of the engine
 * writes (store_engine_write.c holds their logic): the SQL of each, and
 * the queries with an array of parameters they run through.
 */
#include <stdio.h>

#include "store_sqlite_int.h"

#define SQ(base) ((sq_store *)(base))

static cl_err
exec_a(cl_store *base, int *changes, cl_error *err, const char *sql,
       const char *fmt, const cl__arg *a)
{
    return cl__sq_exec_a(SQ(base), changes, err, sql, fmt, a);
}

static cl_err
rows_a(cl_store *base, cl__row_fn fn, void *ud, cl_error *err, const char *sql,
       const char *fmt, const cl__arg *a)
{
    cl__sq_map_ctx m = {fn, ud};
    return cl__sq_rows_a(SQ(base), cl__sq_map, &m, err, sql, fmt, a);
}

static cl_err
audit_row(cl_store *st, const char *table, const char *json_expr,
          const char *keycol, const char *key, const char *action,
          const char *old_json, cl_error *err)
{
    return cl__sq_audit_row(SQ(st), table, json_expr, keycol, key, action,
                            old_json, err);
}

cl_err
cl__sqw_audit(cl_store *st, const char *entity, const char *entity_id,
              const char *action, const char *old_json, const char *new_json,
              cl_error *err)
{
    return cl__engw_audit(st, entity, entity_id, action, old_json, new_json,
                          err);
}

static const cl__engine_sql sq_sql = {
    .config_set = "INSERT INTO config (workspace_id, key, value) "
                  "VALUES (?1, ?2, ?3) ON CONFLICT (workspace_id, "
                  "key) DO UPDATE SET value = excluded.value "
                  "WHERE value IS NOT excluded.value",
    .task_add =
        "INSERT INTO tasks (workspace_id, id, kind, assignee_id, due_on, "
        "status, subject_kind, subject_id, title, attendees, created_at) "
        "SELECT ?1, COALESCE(MAX(id), 0) + 1, ?2, ?3, ?4, 'open', ?5, ?6, "
        "?7, ?8, ?9 FROM tasks WHERE workspace_id = ?1 ON CONFLICT DO NOTHING",
    .task_id = "SELECT id FROM tasks WHERE workspace_id = ?1 AND "
               "kind = ?2 AND subject_kind IS ?3 AND subject_id IS "
               "?4 AND assignee_id IS ?5",
    .task_mark_done =
        "UPDATE tasks SET status = 'done', done_at = ?2 WHERE id = ?3 "
        "AND workspace_id = ?1 AND status = 'open'",
    .task_mark_reminded = "UPDATE tasks SET reminded_at = ?2 WHERE id = ?3 AND "
                          "workspace_id = ?1 AND reminded_at IS NULL",
    .task_mark_escalated =
        "UPDATE tasks SET escalated_at = ?2 WHERE id = ?3 AND "
        "workspace_id = ?1 AND escalated_at IS NULL",
    .task_ids = "SELECT id FROM tasks WHERE workspace_id = ?1 AND "
                "kind = ?2 AND subject_kind = ?3 AND "
                "subject_id = ?4 AND (?5 IS NULL OR "
                "assignee_id = ?5) ORDER BY id",
    .task_done = "UPDATE tasks SET status = 'done', done_at = ?2 "
                 "WHERE workspace_id = ?1 AND id = ?3 AND "
                 "status = 'open'",
    .outbox_add =
        "INSERT INTO outbox (workspace_id, id, recipient_id, channel, kind, "
        "subject, body, status, idempotency_key, created_at, sent_at, "
        "subject_kind, subject_id) SELECT ?1, COALESCE(MAX(id), 0) + 1, ?2, "
        "?3, ?4, ?5, ?6, ?7, ?8, ?9, CASE WHEN ?7 = 'sent' THEN ?9 END, ?10, "
        "?11 FROM outbox WHERE workspace_id = ?1 ON CONFLICT DO NOTHING",
    .outbox_id = "SELECT id FROM outbox WHERE workspace_id = ?1 AND "
                 "idempotency_key = ?2",
    .outbox_mark =
        "UPDATE outbox SET status = ?2, attempts = ?3, next_attempt_at = ?4, "
        "last_error = ?5, sent_at = CASE WHEN ?2 = 'sent' THEN ?6 END "
        "WHERE workspace_id = ?1 AND id = ?7",
    .session_open = "INSERT INTO sessions (workspace_id, id, kind, "
                    "period, status, owner_id, opened_at) SELECT ?1, "
                    "COALESCE(MAX(id), 0) + 1, ?2, ?3, 'open', ?4, ?5 "
                    "FROM sessions WHERE workspace_id = ?1 "
                    "ON CONFLICT DO NOTHING",
    .session_id = "SELECT id FROM sessions WHERE workspace_id = ?1 "
                  "AND kind = ?2 AND period = ?3",
    .session_set_pack = "UPDATE sessions SET pack = ?2 WHERE workspace_id = ?1 "
                        "AND id = ?3 AND pack IS NULL",
    .session_decide = "UPDATE sessions SET decisions = json_insert("
                      "COALESCE(decisions, '[]'), '$[#]', ?2) WHERE "
                      "workspace_id = ?1 AND id = ?3",
    .session_close = "UPDATE sessions SET status = 'closed', "
                     "closed_at = ?2 WHERE workspace_id = ?1 AND "
                     "id = ?3 AND status = 'open'",
    .pc_add = "INSERT INTO process_changes (workspace_id, id, "
              "session_id, owner_id, description, checkin_due) "
              "SELECT ?1, COALESCE(MAX(id), 0) + 1, ?2, ?3, ?4, "
              "?5 FROM process_changes WHERE workspace_id = ?1 "
              "ON CONFLICT DO NOTHING",
    .pc_id = "SELECT id FROM process_changes WHERE "
             "workspace_id = ?1 AND session_id = ?2",
    .pc_checkin = "UPDATE process_changes SET checkin_on = ?2, "
                  "checkin_note = ?3 WHERE workspace_id = ?1 AND "
                  "id = ?4 AND checkin_on IS NULL",
    .trigger_add = "INSERT INTO triggers (workspace_id, id, "
                   "session_id, rule, period, value, threshold, "
                   "fired, created_at) SELECT ?1, COALESCE(MAX(id), "
                   "0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM triggers "
                   "WHERE workspace_id = ?1 ON CONFLICT (workspace_id, "
                   "rule, period) DO UPDATE SET fired = 1, value = "
                   "excluded.value, threshold = excluded.threshold WHERE "
                   "triggers.fired = 0 AND excluded.fired = 1",
    .trigger_id = "SELECT id FROM triggers WHERE workspace_id = ?1 "
                  "AND rule = ?2 AND period = ?3",
    .coaching_add =
        "INSERT INTO coaching_items (workspace_id, id, ae_id, session_id, "
        "period, cause, note, audience, status, created_at) SELECT ?1, "
        "COALESCE(MAX(id), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8 FROM "
        "coaching_items WHERE workspace_id = ?1 ON CONFLICT DO NOTHING",
    .coaching_id = "SELECT id FROM coaching_items WHERE "
                   "workspace_id = ?1 AND ae_id = ?2 AND period = ?3 "
                   "AND cause = ?4",
    .flag_add = "INSERT INTO flags (workspace_id, key, "
                "subject_kind, subject_id, flag, field, reason, "
                "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                "?8) ON CONFLICT DO NOTHING",
    .link_add = "INSERT INTO recovery_links (workspace_id, "
                "new_deal_id, original_deal_id, months, "
                "created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                "ON CONFLICT DO NOTHING",
    .field_sql[CL__FIELD_DEAL_HEALTH] =
        "UPDATE deals SET health_score = ?3 WHERE workspace_id = ?1 AND "
        "id = ?2 AND health_score IS NOT ?3 AND ?4 IS NOT NULL",
    .field_sql[CL__FIELD_CHURN_SALES_FLAGGED] =
        "UPDATE churns SET sales_flagged_on = ?4 WHERE workspace_id = ?1 "
        "AND id = ?2 AND sales_flagged_on IS NULL",
    .field_sql[CL__FIELD_CHURN_CLOSED] =
        "UPDATE churns SET closed_on = ?4 WHERE workspace_id = ?1 AND "
        "id = ?2 AND closed_on IS NULL",
    /* ?4 (the text, unused) must appear: SQLite binds only up to the
       highest parameter a statement names. */
    .field_sql[CL__FIELD_CHURN_REOPENED] =
        "UPDATE churns SET closed_on = NULLIF(?4, ?4) WHERE workspace_id = ?1 "
        "AND id = ?2 AND closed_on IS NOT NULL",
    .field_sql[CL__FIELD_PC_REMINDED] =
        "UPDATE process_changes SET reminded_on = ?4 WHERE workspace_id = "
        "?1 AND id = ?2 AND reminded_on IS NULL",
    .field_sql[CL__FIELD_PC_ESCALATED] =
        "UPDATE process_changes SET escalated_on = ?4 WHERE workspace_id = "
        "?1 AND id = ?2 AND escalated_on IS NULL",
    .config_json = "json_object('key', key, 'value', value)",
    .task_json =
        "json_object('id', id, 'kind', kind, 'assignee_id', assignee_id, "
        "'due_on', due_on, 'status', status, 'subject_kind', subject_kind, "
        "'subject_id', subject_id, 'attendees', attendees, 'done_at', done_at, "
        "'reminded_at', reminded_at, 'escalated_at', escalated_at)",
    .outbox_json =
        "json_object('id', id, 'recipient_id', recipient_id, 'channel', "
        "channel, 'kind', kind, 'status', status, 'attempts', attempts, "
        "'next_attempt_at', next_attempt_at, 'last_error', last_error, "
        "'idempotency_key', idempotency_key)",
    .session_json =
        "json_object('id', id, 'kind', kind, 'period', period, 'status', "
        "status, 'owner_id', owner_id, 'closed_at', closed_at, 'decisions', "
        "json(decisions))",
    .pc_json =
        "json_object('id', id, 'session_id', session_id, 'owner_id', owner_id, "
        "'description', description, 'checkin_due', checkin_due, 'checkin_on', "
        "checkin_on, 'checkin_note', checkin_note, 'reminded_on', reminded_on, "
        "'escalated_on', escalated_on)",
    .trigger_json =
        "json_object('id', id, 'session_id', session_id, 'rule', rule, "
        "'period', period, 'value', value, 'threshold', threshold, 'fired', "
        "fired)",
    .coaching_json =
        "json_object('id', id, 'ae_id', ae_id, 'session_id', session_id, "
        "'period', period, 'cause', cause, 'audience', audience)",
    .flag_json =
        "json_object('key', key, 'subject_kind', subject_kind, 'subject_id', "
        "subject_id, 'flag', flag, 'field', field, 'reason', reason)",
    .link_json = "json_object('new_deal_id', new_deal_id, 'original_deal_id', "
                 "original_deal_id, 'months', months)",
    .field_json[CL__FIELD_DEAL_HEALTH] =
        "json_object('id', id, 'health_score', health_score)",
    .field_json[CL__FIELD_CHURN_SALES_FLAGGED] =
        "json_object('id', id, 'sales_flagged_on', sales_flagged_on, "
        "'closed_on', closed_on)",
    .field_json[CL__FIELD_CHURN_CLOSED] =
        "json_object('id', id, 'sales_flagged_on', sales_flagged_on, "
        "'closed_on', closed_on)",
    .field_json[CL__FIELD_CHURN_REOPENED] =
        "json_object('id', id, 'sales_flagged_on', sales_flagged_on, "
        "'closed_on', closed_on)",
    .field_json[CL__FIELD_PC_REMINDED] =
        "json_object('id', id, 'session_id', session_id, 'owner_id', owner_id, "
        "'description', description, 'checkin_due', checkin_due, 'checkin_on', "
        "checkin_on, 'checkin_note', checkin_note, 'reminded_on', reminded_on, "
        "'escalated_on', escalated_on)",
    .field_json[CL__FIELD_PC_ESCALATED] =
        "json_object('id', id, 'session_id', session_id, 'owner_id', owner_id, "
        "'description', description, 'checkin_due', checkin_due, 'checkin_on', "
        "checkin_on, 'checkin_note', checkin_note, 'reminded_on', reminded_on, "
        "'escalated_on', escalated_on)",

};

const cl__engine_q cl__sq_engine_q = {
    .exec = exec_a,
    .rows = rows_a,
    .audit_row = audit_row,
    .sql = &sq_sql,
};
