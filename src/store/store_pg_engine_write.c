/*
 * store_pg_engine_write.c - the PostgreSQL backend's engine writes.  Each
 * is one idempotent statement (INSERT ... ON CONFLICT DO NOTHING on the
 * table's UNIQUE key, or an UPDATE that sets a column only while it is
 * NULL) followed, when it changed something, by its audit entry.  New ids
 * are the workspace's largest plus one: the caller's write transaction
 * holds the workspace's advisory lock (store_pg.c), which makes that safe.
 * Audit JSON is built by json_build_object and compacted to the layout of
 * SQLite's json_object, so both backends write the same entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_int.h"

/* The audit JSON of each engine table, over its columns. */
static const char task_json[] =
    "json_build_object('id', id, 'kind', kind, 'assignee_id', assignee_id, "
    "'due_on', due_on, 'status', status, 'subject_kind', subject_kind, "
    "'subject_id', subject_id, 'attendees', attendees, 'done_at', done_at, "
    "'reminded_at', reminded_at, 'escalated_at', escalated_at)";
static const char outbox_json[] =
    "json_build_object('id', id, 'recipient_id', recipient_id, 'channel', "
    "channel, 'kind', kind, 'status', status, 'attempts', attempts, "
    "'next_attempt_at', next_attempt_at, 'last_error', last_error, "
    "'idempotency_key', idempotency_key)";
static const char session_json[] =
    "json_build_object('id', id, 'kind', kind, 'period', period, 'status', "
    "status, 'owner_id', owner_id, 'closed_at', closed_at, 'decisions', "
    "decisions::json)";
static const char pc_json[] =
    "json_build_object('id', id, 'session_id', session_id, 'owner_id', "
    "owner_id, "
    "'description', description, 'checkin_due', checkin_due, 'checkin_on', "
    "checkin_on, 'checkin_note', checkin_note, 'reminded_on', reminded_on, "
    "'escalated_on', escalated_on)";
static const char coaching_json[] =
    "json_build_object('id', id, 'ae_id', ae_id, 'session_id', session_id, "
    "'period', period, 'cause', cause, 'audience', audience)";
static const char flag_json[] =
    "json_build_object('key', key, 'subject_kind', subject_kind, 'subject_id', "
    "subject_id, 'flag', flag, 'field', field, 'reason', reason)";
static const char link_json[] =
    "json_build_object('new_deal_id', new_deal_id, 'original_deal_id', "
    "original_deal_id, 'months', months)";
static const char config_json[] =
    "json_build_object('key', key, 'value', value)";
static const char deal_health_json[] =
    "json_build_object('id', id, 'health_score', health_score)";
static const char churn_state_json[] =
    "json_build_object('id', id, 'sales_flagged_on', sales_flagged_on, "
    "'closed_on', closed_on)";

static cl_err
audit_id(pg_store *s, const char *table, const char *json, int64_t id,
         const char *action, cl_error *err)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    return cl__pg_audit_row(s, table, json, "id", key, action, NULL, err);
}

cl_err
cl__pgw_config_set(cl_store *st, const char *key, const char *value,
                   cl_error *err)
{
    int n = 0;
    cl_err rc =
        cl__pg_exec(PG(st), &n, err,
                    "INSERT INTO config (workspace_id, key, value) "
                    "VALUES ($1, $2, $3) ON CONFLICT (workspace_id, "
                    "key) DO UPDATE SET value = excluded.value "
                    "WHERE config.value IS DISTINCT FROM excluded.value",
                    "ss", key, value);
    if (rc == CL_OK && n)
        rc = cl__pg_audit_row(PG(st), "config", config_json, "key", key,
                              "config_set", NULL, err);
    return rc;
}

cl_err
cl__pgw_audit(cl_store *st, const char *entity, const char *entity_id,
              const char *action, const char *old_json, const char *new_json,
              cl_error *err)
{
    return st->ops->audit_append(st, entity, entity_id, action, old_json,
                                 new_json, err);
}

cl_err
cl__pgw_task_add(cl_store *st, const cl_store_task_new *t, int *inserted,
                 int64_t *id, cl_error *err)
{
    int n = 0;
    cl_err rc = cl__pg_exec(
        PG(st), &n, err,
        "INSERT INTO tasks (workspace_id, id, kind, assignee_id, due_on, "
        "status, subject_kind, subject_id, title, attendees, created_at) "
        "SELECT $1, COALESCE(MAX(id), 0) + 1, $2, $3, $4::date, 'open', $5, "
        "$6, "
        "$7, $8, $9 FROM tasks WHERE workspace_id = $1 ON CONFLICT DO NOTHING",
        "ssssssss", t->kind, t->assignee_id, t->due_on, t->subject_kind,
        t->subject_id, t->title, t->attendees, st->at);
    *inserted = n > 0;
    *id = 0;
    if (rc == CL_OK)
        rc = cl__pg_rows(
            PG(st), cl__pg_map, &(cl__pg_map_ctx){cl__row_id_first, id}, err,
            "SELECT id FROM tasks WHERE workspace_id = $1 AND "
            "kind = $2 AND subject_kind IS NOT DISTINCT FROM "
            "$3::text AND subject_id IS NOT DISTINCT FROM "
            "$4::text AND assignee_id IS NOT DISTINCT FROM "
            "$5::text",
            "ssss", t->kind, t->subject_kind, t->subject_id, t->assignee_id);
    if (rc == CL_OK && n)
        rc = audit_id(PG(st), "tasks", task_json, *id, "task_created", err);
    return rc;
}

cl_err
cl__pgw_task_mark(cl_store *st, const char *kind, const char *subject_kind,
                  const char *subject_id, const char *assignee_id,
                  const char *mark, int *changed, cl_error *err)
{
    const char *sql;
    cl__row_ids x = {.n = 0};
    *changed = 0;
    if (strcmp(mark, "done") == 0)
        sql = "UPDATE tasks SET status = 'done', done_at = $2 WHERE id = $3 "
              "AND workspace_id = $1 AND status = 'open'";
    else if (strcmp(mark, "reminded") == 0)
        sql = "UPDATE tasks SET reminded_at = $2 WHERE id = $3 AND "
              "workspace_id = $1 AND reminded_at IS NULL";
    else if (strcmp(mark, "escalated") == 0)
        sql = "UPDATE tasks SET escalated_at = $2 WHERE id = $3 AND "
              "workspace_id = $1 AND escalated_at IS NULL";
    else
        return cl_error_set(err, CL_EINVAL, "unknown task mark '%s'", mark);
    cl_err rc = cl__pg_rows(
        PG(st), cl__pg_map, &(cl__pg_map_ctx){cl__row_ids_each, &x}, err,
        "SELECT id FROM tasks WHERE workspace_id = $1 AND "
        "kind = $2 AND subject_kind = $3 AND "
        "subject_id = $4 AND ($5::text IS NULL OR "
        "assignee_id = $5) ORDER BY id",
        "ssss", kind, subject_kind, subject_id, assignee_id);
    for (int i = 0; i < x.n && rc == CL_OK; i++) {
        int n = 0;
        rc = cl__pg_exec(PG(st), &n, err, sql, "si", st->at, x.v[i]);
        if (rc == CL_OK && n) {
            (*changed)++;
            char action[32];
            snprintf(action, sizeof action, "task_%s", mark);
            rc = audit_id(PG(st), "tasks", task_json, x.v[i], action, err);
        }
    }
    return rc;
}

cl_err
cl__pgw_task_done(cl_store *st, int64_t id, int *changed, cl_error *err)
{
    int n = 0;
    cl_err rc = cl__pg_exec(PG(st), &n, err,
                            "UPDATE tasks SET status = 'done', done_at = $2 "
                            "WHERE workspace_id = $1 AND id = $3 AND "
                            "status = 'open'",
                            "si", st->at, id);
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(PG(st), "tasks", task_json, id, "task_done", err);
    return rc;
}

cl_err
cl__pgw_outbox_add(cl_store *st, const cl_store_outbox_new *m, int *inserted,
                   cl_error *err)
{
    int n = 0;
    int64_t id = 0;
    int sent = m->status && strcmp(m->status, "sent") == 0;
    cl_err rc = cl__pg_exec(
        PG(st), &n, err,
        "INSERT INTO outbox (workspace_id, id, recipient_id, channel, kind, "
        "subject, body, status, idempotency_key, created_at, sent_at, "
        "subject_kind, subject_id) SELECT $1, COALESCE(MAX(id), 0) + 1, $2, "
        "$3, $4, $5, $6, $7, $8, $9, CASE WHEN $7 = 'sent' THEN $9 END, $10, "
        "$11 FROM outbox WHERE workspace_id = $1 ON CONFLICT DO NOTHING",
        "ssssssssss", m->recipient_id, m->channel, m->kind, m->subject, m->body,
        sent ? "sent" : "pending", m->key, st->at, m->subject_kind,
        m->subject_id);
    *inserted = n > 0;
    if (rc == CL_OK && n) {
        rc = cl__pg_rows(PG(st), cl__pg_map,
                         &(cl__pg_map_ctx){cl__row_id_first, &id}, err,
                         "SELECT id FROM outbox WHERE workspace_id = $1 AND "
                         "idempotency_key = $2",
                         "s", m->key);
        if (rc == CL_OK)
            rc = audit_id(PG(st), "outbox", outbox_json, id, "message_queued",
                          err);
    }
    return rc;
}

cl_err
cl__pgw_outbox_mark(cl_store *st, int64_t id, const char *status, int attempts,
                    const char *next_attempt_at, const char *last_error,
                    cl_error *err)
{
    int n = 0;
    cl_err rc = cl__pg_exec(
        PG(st), &n, err,
        "UPDATE outbox SET status = $2, attempts = $3, next_attempt_at = $4, "
        "last_error = $5, sent_at = CASE WHEN $2 = 'sent' THEN $6 END "
        "WHERE workspace_id = $1 AND id = $7",
        "sisssi", status, (int64_t)attempts, next_attempt_at, last_error,
        st->at, id);
    if (rc == CL_OK && n == 0)
        return cl_error_set(err, CL_ENOTFOUND, "no outbox message %lld",
                            (long long)id);
    if (rc == CL_OK) {
        char action[32];
        snprintf(action, sizeof action, "message_%s", status);
        rc = audit_id(PG(st), "outbox", outbox_json, id, action, err);
    }
    /* The claim (if this worker holds one) ends with the transaction: a
       worker that claims after the commit sees the new status. */
    if (rc == CL_OK)
        rc = cl__pg_release_later(PG(st), id, err);
    return rc;
}

cl_err
cl__pgw_session_open(cl_store *st, const char *kind, const char *period,
                     const char *owner_id, int *inserted, int64_t *id,
                     cl_error *err)
{
    int n = 0;
    cl_err rc = cl__pg_exec(PG(st), &n, err,
                            "INSERT INTO sessions (workspace_id, id, kind, "
                            "period, status, owner_id, opened_at) SELECT $1, "
                            "COALESCE(MAX(id), 0) + 1, $2, $3, 'open', $4, $5 "
                            "FROM sessions WHERE workspace_id = $1 "
                            "ON CONFLICT DO NOTHING",
                            "ssss", kind, period, owner_id, st->at);
    *inserted = n > 0;
    *id = 0;
    if (rc == CL_OK)
        rc = cl__pg_rows(PG(st), cl__pg_map,
                         &(cl__pg_map_ctx){cl__row_id_first, id}, err,
                         "SELECT id FROM sessions WHERE workspace_id = $1 "
                         "AND kind = $2 AND period = $3",
                         "ss", kind, period);
    if (rc == CL_OK && n)
        rc = audit_id(PG(st), "sessions", session_json, *id, "session_opened",
                      err);
    return rc;
}

cl_err
cl__pgw_session_set_pack(cl_store *st, int64_t id, const char *pack,
                         cl_error *err)
{
    return cl__pg_exec(PG(st), NULL, err,
                       "UPDATE sessions SET pack = $2 WHERE workspace_id = $1 "
                       "AND id = $3 AND pack IS NULL",
                       "si", pack, id);
}

cl_err
cl__pgw_session_decide(cl_store *st, int64_t id, const char *text,
                       cl_error *err)
{
    int n = 0;
    cl_err rc = cl__pg_exec(PG(st), &n, err,
                            "UPDATE sessions SET decisions = CASE WHEN "
                            "decisions IS NULL OR decisions = '[]' THEN "
                            "'[' || to_json($2::text)::text || ']' ELSE "
                            "left(decisions, -1) || ',' || "
                            "to_json($2::text)::text || ']' END WHERE "
                            "workspace_id = $1 AND id = $3",
                            "si", text, id);
    if (rc == CL_OK && n == 0)
        return cl_error_set(err, CL_ENOTFOUND, "no session %lld",
                            (long long)id);
    if (rc == CL_OK)
        rc = audit_id(PG(st), "sessions", session_json, id, "session_decision",
                      err);
    return rc;
}

cl_err
cl__pgw_session_close(cl_store *st, int64_t id, int *changed, cl_error *err)
{
    int n = 0;
    cl_err rc = cl__pg_exec(PG(st), &n, err,
                            "UPDATE sessions SET status = 'closed', "
                            "closed_at = $2 WHERE workspace_id = $1 AND "
                            "id = $3 AND status = 'open'",
                            "si", st->at, id);
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(PG(st), "sessions", session_json, id, "session_closed",
                      err);
    return rc;
}

cl_err
cl__pgw_pc_add(cl_store *st, int64_t session_id, const char *owner_id,
               const char *description, const char *checkin_due, int *inserted,
               int64_t *id, cl_error *err)
{
    int n = 0;
    cl_err rc =
        cl__pg_exec(PG(st), &n, err,
                    "INSERT INTO process_changes (workspace_id, id, "
                    "session_id, owner_id, description, checkin_due) "
                    "SELECT $1, COALESCE(MAX(id), 0) + 1, $2, $3, $4, "
                    "$5::date FROM process_changes WHERE workspace_id = $1 "
                    "ON CONFLICT DO NOTHING",
                    "isss", session_id, owner_id, description, checkin_due);
    *inserted = n > 0;
    *id = 0;
    if (rc == CL_OK)
        rc = cl__pg_rows(PG(st), cl__pg_map,
                         &(cl__pg_map_ctx){cl__row_id_first, id}, err,
                         "SELECT id FROM process_changes WHERE "
                         "workspace_id = $1 AND session_id = $2",
                         "i", session_id);
    if (rc == CL_OK && n)
        rc = audit_id(PG(st), "process_changes", pc_json, *id,
                      "process_change_recorded", err);
    return rc;
}

cl_err
cl__pgw_pc_checkin(cl_store *st, int64_t id, const char *on, const char *note,
                   int *changed, cl_error *err)
{
    int n = 0;
    cl_err rc = cl__pg_exec(PG(st), &n, err,
                            "UPDATE process_changes SET checkin_on = $2, "
                            "checkin_note = $3 WHERE workspace_id = $1 AND "
                            "id = $4 AND checkin_on IS NULL",
                            "ssi", on, note, id);
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(PG(st), "process_changes", pc_json, id,
                      "process_change_checkin", err);
    return rc;
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

static cl_err
trigger_audit(pg_store *s, int64_t id, double value, double threshold,
              cl_error *err)
{
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

cl_err
cl__pgw_trigger_add(cl_store *st, int64_t session_id, const char *rule,
                    const char *period, double value, double threshold,
                    int fired, int *inserted, cl_error *err)
{
    int n = 0;
    int64_t id = 0;
    cl_err rc = cl__pg_exec(PG(st), &n, err,
                            "INSERT INTO triggers (workspace_id, id, "
                            "session_id, rule, period, value, threshold, "
                            "fired, created_at) SELECT $1, COALESCE(MAX(id), "
                            "0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM triggers "
                            "WHERE workspace_id = $1 ON CONFLICT DO NOTHING",
                            "issddis", session_id, rule, period, value,
                            threshold, (int64_t)fired, st->at);
    *inserted = n > 0;
    if (rc == CL_OK && n) {
        rc = cl__pg_rows(PG(st), cl__pg_map,
                         &(cl__pg_map_ctx){cl__row_id_first, &id}, err,
                         "SELECT id FROM triggers WHERE workspace_id = $1 "
                         "AND rule = $2 AND period = $3",
                         "ss", rule, period);
        if (rc == CL_OK)
            rc = trigger_audit(PG(st), id, value, threshold, err);
    }
    return rc;
}

cl_err
cl__pgw_coaching_add(cl_store *st, const char *ae_id, int64_t session_id,
                     const char *period, const char *cause, const char *note,
                     const char *audience, int *inserted, cl_error *err)
{
    int n = 0;
    int64_t id = 0;
    cl_err rc = cl__pg_exec(
        PG(st), &n, err,
        "INSERT INTO coaching_items (workspace_id, id, ae_id, session_id, "
        "period, cause, note, audience, status, created_at) SELECT $1, "
        "COALESCE(MAX(id), 0) + 1, $2, $3, $4, $5, $6, $7, 'open', $8 FROM "
        "coaching_items WHERE workspace_id = $1 ON CONFLICT DO NOTHING",
        "sisssss", ae_id, session_id, period, cause, note, audience, st->at);
    *inserted = n > 0;
    if (rc == CL_OK && n) {
        rc = cl__pg_rows(PG(st), cl__pg_map,
                         &(cl__pg_map_ctx){cl__row_id_first, &id}, err,
                         "SELECT id FROM coaching_items WHERE "
                         "workspace_id = $1 AND ae_id = $2 AND period = $3 "
                         "AND cause = $4",
                         "sss", ae_id, period, cause);
        if (rc == CL_OK)
            rc = audit_id(PG(st), "coaching_items", coaching_json, id,
                          "coaching_item_created", err);
    }
    return rc;
}

cl_err
cl__pgw_flag_add(cl_store *st, const char *key, const char *subject_kind,
                 const char *subject_id, const char *flag, const char *field,
                 const char *reason, int *inserted, cl_error *err)
{
    int n = 0;
    cl_err rc = cl__pg_exec(PG(st), &n, err,
                            "INSERT INTO flags (workspace_id, key, "
                            "subject_kind, subject_id, flag, field, reason, "
                            "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                            "$8) ON CONFLICT DO NOTHING",
                            "sssssss", key, subject_kind, subject_id, flag,
                            field, reason, st->at);
    *inserted = n > 0;
    if (rc == CL_OK && n)
        rc = cl__pg_audit_row(PG(st), "flags", flag_json, "key", key,
                              "flag_raised", NULL, err);
    return rc;
}

cl_err
cl__pgw_field_set(cl_store *st, const char *subject_kind,
                  const char *subject_id, const char *field, const char *text,
                  double value, int *changed, cl_error *err)
{
    static const struct {
        const char *kind, *field, *table, *sql, *json;
    } fields[] = {
        {"deal", "health_score", "deals",
         "UPDATE deals SET health_score = $3 WHERE workspace_id = $1 AND "
         "id = $2 AND health_score IS DISTINCT FROM $3 AND $4::text IS NOT "
         "NULL",
         deal_health_json},
        {"churn", "sales_flagged", "churns",
         "UPDATE churns SET sales_flagged_on = $4 WHERE workspace_id = $1 "
         "AND id = $2 AND sales_flagged_on IS NULL",
         churn_state_json},
        {"churn", "closed", "churns",
         "UPDATE churns SET closed_on = $4 WHERE workspace_id = $1 AND "
         "id = $2 AND closed_on IS NULL",
         churn_state_json},
        {"process_change", "reminded", "process_changes",
         "UPDATE process_changes SET reminded_on = $4 WHERE workspace_id = "
         "$1 AND id = $2 AND reminded_on IS NULL",
         pc_json},
        {"process_change", "escalated", "process_changes",
         "UPDATE process_changes SET escalated_on = $4 WHERE workspace_id = "
         "$1 AND id = $2 AND escalated_on IS NULL",
         pc_json},
    };
    *changed = 0;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strcmp(fields[i].kind, subject_kind) != 0 ||
            strcmp(fields[i].field, field) != 0)
            continue;
        int n = 0;
        cl_err rc = cl__pg_exec(PG(st), &n, err, fields[i].sql, "sds",
                                subject_id, value, text ? text : "");
        *changed = n > 0;
        if (rc == CL_OK && n) {
            char action[48];
            snprintf(action, sizeof action, "%s_set", field);
            rc = cl__pg_audit_row(PG(st), fields[i].table, fields[i].json, "id",
                                  subject_id, action, NULL, err);
        }
        return rc;
    }
    return cl_error_set(err, CL_EINVAL, "no engine field %s.%s", subject_kind,
                        field);
}

cl_err
cl__pgw_link_add(cl_store *st, const char *new_deal_id,
                 const char *original_deal_id, int months, int *inserted,
                 cl_error *err)
{
    int n = 0;
    cl_err rc = cl__pg_exec(PG(st), &n, err,
                            "INSERT INTO recovery_links (workspace_id, "
                            "new_deal_id, original_deal_id, months, "
                            "created_at) VALUES ($1, $2, $3, $4, $5) "
                            "ON CONFLICT DO NOTHING",
                            "ssis", new_deal_id, original_deal_id,
                            (int64_t)months, st->at);
    *inserted = n > 0;
    if (rc == CL_OK && n)
        rc =
            cl__pg_audit_row(PG(st), "recovery_links", link_json, "new_deal_id",
                             new_deal_id, "recovery_linked", NULL, err);
    return rc;
}
