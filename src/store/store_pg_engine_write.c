/*
 * store_pg_engine_write.c - the PostgreSQL backend's side of the engine
 * writes (store_engine_write.c holds their logic): the SQL of each, the
 * queries with an array of parameters they run through, and the two steps
 * only PostgreSQL takes.  Audit JSON is built by json_build_object and
 * compacted to the layout of SQLite's json_object, so both backends write
 * the same entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_int.h"

static cl_err
exec_a(cl_store *st, int *changes, cl_error *err, const char *sql,
       const char *fmt, const cl__arg *a)
{
    return cl__pg_exec_a(PG(st), changes, err, sql, fmt, a);
}

static cl_err
rows_a(cl_store *st, cl__row_fn fn, void *ud, cl_error *err, const char *sql,
       const char *fmt, const cl__arg *a)
{
    cl__pg_map_ctx m = {fn, ud};
    return cl__pg_rows_a(PG(st), cl__pg_map, &m, err, sql, fmt, a);
}

static cl_err
audit_row(cl_store *st, const char *table, const char *json_expr,
          const char *keycol, const char *key, const char *action,
          const char *old_json, cl_error *err)
{
    return cl__pg_audit_row(PG(st), table, json_expr, keycol, key, action,
                            old_json, err);
}

/* A REAL as SQLite's json_object writes it ("%!.15g": 15 significant
   digits, always a decimal point), so the audit entries of both backends
   are the same text. */
void
cl__pg_sqlite_real(double v, char *buf, size_t len)
{
    snprintf(buf, len, "%.15g", v);
    if (strpbrk(buf, ".ein") != NULL) {
        char *e = strchr(buf, 'e');
        if (e && !strchr(buf, '.')) {
            char tail[16];
            snprintf(tail, sizeof tail, "%s", e);
            snprintf(e, len - (size_t)(e - buf), ".0%s", tail);
        }
        return;
    }
    size_t n = strlen(buf);
    if (n + 3 <= len)
        memcpy(buf + n, ".0", 3);
}

static int
json_text_row(void *ud, const PGresult *r, int row)
{
    const char *v = cl__pg_text(r, row, 0);
    *(char **)ud = v ? strdup(v) : NULL;
    return 1;
}

/* The triggers' audit JSON with value and threshold written as SQLite
   writes a REAL. */
static cl_err
trigger_audit(cl_store *st, int64_t id, double value, double threshold,
              cl_error *err)
{
    pg_store *s = PG(st);
    char v[40], t[40], key[32];
    char *json = NULL;
    cl__pg_sqlite_real(value, v, sizeof v);
    cl__pg_sqlite_real(threshold, t, sizeof t);
    cl_err rc = cl__pg_rows(
        s, json_text_row, &json, err,
        "SELECT json_build_object('id', id, 'session_id', session_id, "
        "'rule', rule, 'period', period, 'value', $3::json, 'threshold', "
        "$4::json, 'fired', fired)::text FROM triggers WHERE "
        "workspace_id = $1 AND id = $2",
        "iss", id, v, t);
    if (rc != CL_OK)
        return rc;
    if (json == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    cl__pg_json_compact(json);
    snprintf(key, sizeof key, "%lld", (long long)id);
    rc = s->base.ops->audit_append(&s->base, "triggers", key,
                                   "threshold_evaluated", NULL, json, err);
    free(json);
    return rc;
}

/* The claim (if this worker holds one) ends with the transaction: a
   worker that claims after the commit sees the new status. */
static cl_err
outbox_marked(cl_store *st, int64_t id, cl_error *err)
{
    return cl__pg_release_later(PG(st), id, err);
}

static const cl__engine_sql pg_sql = {
    .config_set = "INSERT INTO config (workspace_id, key, value) "
                  "VALUES ($1, $2, $3) ON CONFLICT (workspace_id, "
                  "key) DO UPDATE SET value = excluded.value "
                  "WHERE config.value IS DISTINCT FROM excluded.value",
    .task_add =
        "INSERT INTO tasks (workspace_id, id, kind, assignee_id, due_on, "
        "status, subject_kind, subject_id, title, attendees, created_at) "
        "SELECT $1, COALESCE(MAX(id), 0) + 1, $2, $3, $4::date, 'open', $5, "
        "$6, "
        "$7, $8, $9 FROM tasks WHERE workspace_id = $1 ON CONFLICT DO NOTHING",
    .task_id = "SELECT id FROM tasks WHERE workspace_id = $1 AND "
               "kind = $2 AND subject_kind IS NOT DISTINCT FROM "
               "$3::text AND subject_id IS NOT DISTINCT FROM "
               "$4::text AND assignee_id IS NOT DISTINCT FROM "
               "$5::text",
    .task_mark_done =
        "UPDATE tasks SET status = 'done', done_at = $2 WHERE id = $3 "
        "AND workspace_id = $1 AND status = 'open'",
    .task_mark_reminded = "UPDATE tasks SET reminded_at = $2 WHERE id = $3 AND "
                          "workspace_id = $1 AND reminded_at IS NULL",
    .task_mark_escalated =
        "UPDATE tasks SET escalated_at = $2 WHERE id = $3 AND "
        "workspace_id = $1 AND escalated_at IS NULL",
    .task_ids = "SELECT id FROM tasks WHERE workspace_id = $1 AND "
                "kind = $2 AND subject_kind = $3 AND "
                "subject_id = $4 AND ($5::text IS NULL OR "
                "assignee_id = $5) ORDER BY id",
    .task_done = "UPDATE tasks SET status = 'done', done_at = $2 "
                 "WHERE workspace_id = $1 AND id = $3 AND "
                 "status = 'open'",
    .outbox_add =
        "INSERT INTO outbox (workspace_id, id, recipient_id, channel, kind, "
        "subject, body, status, idempotency_key, created_at, sent_at, "
        "subject_kind, subject_id) SELECT $1, COALESCE(MAX(id), 0) + 1, $2, "
        "$3, $4, $5, $6, $7, $8, $9, CASE WHEN $7 = 'sent' THEN $9 END, $10, "
        "$11 FROM outbox WHERE workspace_id = $1 ON CONFLICT DO NOTHING",
    .outbox_id = "SELECT id FROM outbox WHERE workspace_id = $1 AND "
                 "idempotency_key = $2",
    .outbox_mark =
        "UPDATE outbox SET status = $2, attempts = $3, next_attempt_at = $4, "
        "last_error = $5, sent_at = CASE WHEN $2 = 'sent' THEN $6 END "
        "WHERE workspace_id = $1 AND id = $7",
    .session_open = "INSERT INTO sessions (workspace_id, id, kind, "
                    "period, status, owner_id, opened_at) SELECT $1, "
                    "COALESCE(MAX(id), 0) + 1, $2, $3, 'open', $4, $5 "
                    "FROM sessions WHERE workspace_id = $1 "
                    "ON CONFLICT DO NOTHING",
    .session_id = "SELECT id FROM sessions WHERE workspace_id = $1 "
                  "AND kind = $2 AND period = $3",
    .session_set_pack = "UPDATE sessions SET pack = $2 WHERE workspace_id = $1 "
                        "AND id = $3 AND pack IS NULL",
    .session_decide = "UPDATE sessions SET decisions = CASE WHEN "
                      "decisions IS NULL OR decisions = '[]' THEN "
                      "'[' || to_json($2::text)::text || ']' ELSE "
                      "left(decisions, -1) || ',' || "
                      "to_json($2::text)::text || ']' END WHERE "
                      "workspace_id = $1 AND id = $3",
    .session_close = "UPDATE sessions SET status = 'closed', "
                     "closed_at = $2 WHERE workspace_id = $1 AND "
                     "id = $3 AND status = 'open'",
    .pc_add = "INSERT INTO process_changes (workspace_id, id, "
              "session_id, owner_id, description, checkin_due) "
              "SELECT $1, COALESCE(MAX(id), 0) + 1, $2, $3, $4, "
              "$5::date FROM process_changes WHERE workspace_id = $1 "
              "ON CONFLICT DO NOTHING",
    .pc_id = "SELECT id FROM process_changes WHERE "
             "workspace_id = $1 AND session_id = $2",
    .pc_checkin = "UPDATE process_changes SET checkin_on = $2, "
                  "checkin_note = $3 WHERE workspace_id = $1 AND "
                  "id = $4 AND checkin_on IS NULL",
    .trigger_add = "INSERT INTO triggers (workspace_id, id, "
                   "session_id, rule, period, value, threshold, "
                   "fired, created_at) SELECT $1, COALESCE(MAX(id), "
                   "0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM triggers "
                   "WHERE workspace_id = $1 ON CONFLICT (workspace_id, "
                   "rule, period) DO UPDATE SET fired = 1, value = "
                   "EXCLUDED.value, threshold = EXCLUDED.threshold WHERE "
                   "triggers.fired = 0 AND EXCLUDED.fired = 1",
    .trigger_id = "SELECT id FROM triggers WHERE workspace_id = $1 "
                  "AND rule = $2 AND period = $3",
    .coaching_add =
        "INSERT INTO coaching_items (workspace_id, id, ae_id, session_id, "
        "period, cause, note, audience, status, created_at) SELECT $1, "
        "COALESCE(MAX(id), 0) + 1, $2, $3, $4, $5, $6, $7, 'open', $8 FROM "
        "coaching_items WHERE workspace_id = $1 ON CONFLICT DO NOTHING",
    .coaching_id = "SELECT id FROM coaching_items WHERE "
                   "workspace_id = $1 AND ae_id = $2 AND period = $3 "
                   "AND cause = $4",
    .flag_add = "INSERT INTO flags (workspace_id, key, "
                "subject_kind, subject_id, flag, field, reason, "
                "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                "$8) ON CONFLICT DO NOTHING",
    .link_add = "INSERT INTO recovery_links (workspace_id, "
                "new_deal_id, original_deal_id, months, "
                "created_at) VALUES ($1, $2, $3, $4, $5) "
                "ON CONFLICT DO NOTHING",
    .field_sql[CL__FIELD_DEAL_HEALTH] =
        "UPDATE deals SET health_score = $3 WHERE workspace_id = $1 AND "
        "id = $2 AND health_score IS DISTINCT FROM $3 AND $4::text IS NOT "
        "NULL",
    .field_sql[CL__FIELD_CHURN_SALES_FLAGGED] =
        "UPDATE churns SET sales_flagged_on = $4 WHERE workspace_id = $1 "
        "AND id = $2 AND sales_flagged_on IS NULL",
    .field_sql[CL__FIELD_CHURN_CLOSED] =
        "UPDATE churns SET closed_on = $4 WHERE workspace_id = $1 AND "
        "id = $2 AND closed_on IS NULL",
    /* $4 (the text, unused) must appear for its type to be known. */
    .field_sql[CL__FIELD_CHURN_REOPENED] =
        "UPDATE churns SET closed_on = NULLIF($4, $4)::date WHERE "
        "workspace_id = $1 AND id = $2 AND closed_on IS NOT NULL",
    .field_sql[CL__FIELD_PC_REMINDED] =
        "UPDATE process_changes SET reminded_on = $4 WHERE workspace_id = "
        "$1 AND id = $2 AND reminded_on IS NULL",
    .field_sql[CL__FIELD_PC_ESCALATED] =
        "UPDATE process_changes SET escalated_on = $4 WHERE workspace_id = "
        "$1 AND id = $2 AND escalated_on IS NULL",
    .config_json = "json_build_object('key', key, 'value', value)",
    .task_json =
        "json_build_object('id', id, 'kind', kind, 'assignee_id', assignee_id, "
        "'due_on', due_on, 'status', status, 'subject_kind', subject_kind, "
        "'subject_id', subject_id, 'attendees', attendees, 'done_at', done_at, "
        "'reminded_at', reminded_at, 'escalated_at', escalated_at)",
    .outbox_json =
        "json_build_object('id', id, 'recipient_id', recipient_id, 'channel', "
        "channel, 'kind', kind, 'status', status, 'attempts', attempts, "
        "'next_attempt_at', next_attempt_at, 'last_error', last_error, "
        "'idempotency_key', idempotency_key)",
    .session_json =
        "json_build_object('id', id, 'kind', kind, 'period', period, 'status', "
        "status, 'owner_id', owner_id, 'closed_at', closed_at, 'decisions', "
        "decisions::json)",
    .pc_json =
        "json_build_object('id', id, 'session_id', session_id, 'owner_id', "
        "owner_id, "
        "'description', description, 'checkin_due', checkin_due, 'checkin_on', "
        "checkin_on, 'checkin_note', checkin_note, 'reminded_on', reminded_on, "
        "'escalated_on', escalated_on)",
    .coaching_json =
        "json_build_object('id', id, 'ae_id', ae_id, 'session_id', session_id, "
        "'period', period, 'cause', cause, 'audience', audience)",
    .flag_json = "json_build_object('key', key, 'subject_kind', subject_kind, "
                 "'subject_id', "
                 "subject_id, 'flag', flag, 'field', field, 'reason', reason)",
    .link_json =
        "json_build_object('new_deal_id', new_deal_id, 'original_deal_id', "
        "original_deal_id, 'months', months)",
    .field_json[CL__FIELD_DEAL_HEALTH] =
        "json_build_object('id', id, 'health_score', health_score)",
    .field_json[CL__FIELD_CHURN_SALES_FLAGGED] =
        "json_build_object('id', id, 'sales_flagged_on', sales_flagged_on, "
        "'closed_on', closed_on)",
    .field_json[CL__FIELD_CHURN_CLOSED] =
        "json_build_object('id', id, 'sales_flagged_on', sales_flagged_on, "
        "'closed_on', closed_on)",
    .field_json[CL__FIELD_CHURN_REOPENED] =
        "json_build_object('id', id, 'sales_flagged_on', sales_flagged_on, "
        "'closed_on', closed_on)",
    .field_json[CL__FIELD_PC_REMINDED] =
        "json_build_object('id', id, 'session_id', session_id, 'owner_id', "
        "owner_id, "
        "'description', description, 'checkin_due', checkin_due, 'checkin_on', "
        "checkin_on, 'checkin_note', checkin_note, 'reminded_on', reminded_on, "
        "'escalated_on', escalated_on)",
    .field_json[CL__FIELD_PC_ESCALATED] =
        "json_build_object('id', id, 'session_id', session_id, 'owner_id', "
        "owner_id, "
        "'description', description, 'checkin_due', checkin_due, 'checkin_on', "
        "checkin_on, 'checkin_note', checkin_note, 'reminded_on', reminded_on, "
        "'escalated_on', escalated_on)",

};

const cl__engine_q cl__pg_engine_q = {
    .exec = exec_a,
    .rows = rows_a,
    .audit_row = audit_row,
    .trigger_audit = trigger_audit,
    .outbox_marked = outbox_marked,
    .sql = &pg_sql,
};
