/*
 * store_sqlite_engine_write.c - the SQLite backend's engine writes.  Each
 * is one idempotent statement (INSERT ... ON CONFLICT DO NOTHING on the
 * table's UNIQUE key, or an UPDATE that sets a column only while it is
 * NULL) followed, when it changed something, by its audit entry.  New ids
 * are the workspace's largest plus one: the caller's write transaction
 * (BEGIN IMMEDIATE) makes that safe.
 */
#include <stdio.h>
#include <string.h>

#include "store_sqlite_int.h"

#define SQ(base) ((sq_store *)(base))

/* The audit JSON of each engine table, over its columns. */
static const char task_json[] =
    "json_object('id', id, 'kind', kind, 'assignee_id', assignee_id, "
    "'due_on', due_on, 'status', status, 'subject_kind', subject_kind, "
    "'subject_id', subject_id, 'attendees', attendees, 'done_at', done_at, "
    "'reminded_at', reminded_at, 'escalated_at', escalated_at)";
static const char outbox_json[] =
    "json_object('id', id, 'recipient_id', recipient_id, 'channel', "
    "channel, 'kind', kind, 'status', status, 'attempts', attempts, "
    "'next_attempt_at', next_attempt_at, 'last_error', last_error, "
    "'idempotency_key', idempotency_key)";
static const char session_json[] =
    "json_object('id', id, 'kind', kind, 'period', period, 'status', "
    "status, 'owner_id', owner_id, 'closed_at', closed_at, 'decisions', "
    "json(decisions))";
static const char pc_json[] =
    "json_object('id', id, 'session_id', session_id, 'owner_id', owner_id, "
    "'description', description, 'checkin_due', checkin_due, 'checkin_on', "
    "checkin_on, 'checkin_note', checkin_note, 'reminded_on', reminded_on, "
    "'escalated_on', escalated_on)";
static const char trigger_json[] =
    "json_object('id', id, 'session_id', session_id, 'rule', rule, "
    "'period', period, 'value', value, 'threshold', threshold, 'fired', "
    "fired)";
static const char coaching_json[] =
    "json_object('id', id, 'ae_id', ae_id, 'session_id', session_id, "
    "'period', period, 'cause', cause, 'audience', audience)";
static const char flag_json[] =
    "json_object('key', key, 'subject_kind', subject_kind, 'subject_id', "
    "subject_id, 'flag', flag, 'field', field, 'reason', reason)";
static const char link_json[] =
    "json_object('new_deal_id', new_deal_id, 'original_deal_id', "
    "original_deal_id, 'months', months)";
static const char config_json[] = "json_object('key', key, 'value', value)";
static const char deal_health_json[] =
    "json_object('id', id, 'health_score', health_score)";
static const char churn_state_json[] =
    "json_object('id', id, 'sales_flagged_on', sales_flagged_on, "
    "'closed_on', closed_on)";

static cl_err
audit_id(sq_store *s, const char *table, const char *json, int64_t id,
         const char *action, cl_error *err)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    return cl__sq_audit_row(s, table, json, "id", key, action, NULL, err);
}

cl_err
cl__sqw_config_set(cl_store *st, const char *key, const char *value,
                   cl_error *err)
{
    int n = 0;
    cl_err rc = cl__sq_exec(SQ(st), &n, err,
                            "INSERT INTO config (workspace_id, key, value) "
                            "VALUES (?1, ?2, ?3) ON CONFLICT (workspace_id, "
                            "key) DO UPDATE SET value = excluded.value "
                            "WHERE value IS NOT excluded.value",
                            "ss", key, value);
    if (rc == CL_OK && n)
        rc = cl__sq_audit_row(SQ(st), "config", config_json, "key", key,
                              "config_set", NULL, err);
    return rc;
}

cl_err
cl__sqw_audit(cl_store *st, const char *entity, const char *entity_id,
              const char *action, const char *old_json, const char *new_json,
              cl_error *err)
{
    return st->ops->audit_append(st, entity, entity_id, action, old_json,
                                 new_json, err);
}

cl_err
cl__sqw_task_add(cl_store *st, const cl_store_task_new *t, int *inserted,
                 int64_t *id, cl_error *err)
{
    int n = 0;
    cl_err rc = cl__sq_exec(
        SQ(st), &n, err,
        "INSERT INTO tasks (workspace_id, id, kind, assignee_id, due_on, "
        "status, subject_kind, subject_id, title, attendees, created_at) "
        "SELECT ?1, COALESCE(MAX(id), 0) + 1, ?2, ?3, ?4, 'open', ?5, ?6, "
        "?7, ?8, ?9 FROM tasks WHERE workspace_id = ?1 ON CONFLICT DO NOTHING",
        "ssssssss", t->kind, t->assignee_id, t->due_on, t->subject_kind,
        t->subject_id, t->title, t->attendees, st->at);
    *inserted = n > 0;
    *id = 0;
    if (rc == CL_OK)
        rc = cl__sq_rows(
            SQ(st), cl__sq_map, &(cl__sq_map_ctx){cl__row_id_first, id}, err,
            "SELECT id FROM tasks WHERE workspace_id = ?1 AND "
            "kind = ?2 AND subject_kind IS ?3 AND subject_id IS "
            "?4 AND assignee_id IS ?5",
            "ssss", t->kind, t->subject_kind, t->subject_id, t->assignee_id);
    if (rc == CL_OK && n)
        rc = audit_id(SQ(st), "tasks", task_json, *id, "task_created", err);
    return rc;
}

cl_err
cl__sqw_task_mark(cl_store *st, const char *kind, const char *subject_kind,
                  const char *subject_id, const char *assignee_id,
                  const char *mark, int *changed, cl_error *err)
{
    const char *sql;
    cl__row_ids x = {.n = 0};
    *changed = 0;
    if (strcmp(mark, "done") == 0)
        sql = "UPDATE tasks SET status = 'done', done_at = ?6 WHERE id = ?7 "
              "AND workspace_id = ?1 AND status = 'open'";
    else if (strcmp(mark, "reminded") == 0)
        sql = "UPDATE tasks SET reminded_at = ?6 WHERE id = ?7 AND "
              "workspace_id = ?1 AND reminded_at IS NULL";
    else if (strcmp(mark, "escalated") == 0)
        sql = "UPDATE tasks SET escalated_at = ?6 WHERE id = ?7 AND "
              "workspace_id = ?1 AND escalated_at IS NULL";
    else
        return cl_error_set(err, CL_EINVAL, "unknown task mark '%s'", mark);
    cl_err rc = cl__sq_rows(
        SQ(st), cl__sq_map, &(cl__sq_map_ctx){cl__row_ids_each, &x}, err,
        "SELECT id FROM tasks WHERE workspace_id = ?1 AND "
        "kind = ?2 AND subject_kind = ?3 AND "
        "subject_id = ?4 AND (?5 IS NULL OR "
        "assignee_id = ?5) ORDER BY id",
        "ssss", kind, subject_kind, subject_id, assignee_id);
    for (int i = 0; i < x.n && rc == CL_OK; i++) {
        int n = 0;
        rc = cl__sq_exec(SQ(st), &n, err, sql, "sssssi", kind, subject_kind,
                         subject_id, assignee_id, st->at, x.v[i]);
        if (rc == CL_OK && n) {
            (*changed)++;
            char action[32];
            snprintf(action, sizeof action, "task_%s", mark);
            rc = audit_id(SQ(st), "tasks", task_json, x.v[i], action, err);
        }
    }
    return rc;
}

cl_err
cl__sqw_task_done(cl_store *st, int64_t id, int *changed, cl_error *err)
{
    int n = 0;
    cl_err rc = cl__sq_exec(SQ(st), &n, err,
                            "UPDATE tasks SET status = 'done', done_at = ?2 "
                            "WHERE workspace_id = ?1 AND id = ?3 AND "
                            "status = 'open'",
                            "si", st->at, id);
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(SQ(st), "tasks", task_json, id, "task_done", err);
    return rc;
}

cl_err
cl__sqw_outbox_add(cl_store *st, const cl_store_outbox_new *m, int *inserted,
                   cl_error *err)
{
    int n = 0;
    int64_t id = 0;
    int sent = m->status && strcmp(m->status, "sent") == 0;
    cl_err rc = cl__sq_exec(
        SQ(st), &n, err,
        "INSERT INTO outbox (workspace_id, id, recipient_id, channel, kind, "
        "subject, body, status, idempotency_key, created_at, sent_at, "
        "subject_kind, subject_id) SELECT ?1, COALESCE(MAX(id), 0) + 1, ?2, "
        "?3, ?4, ?5, ?6, ?7, ?8, ?9, CASE WHEN ?7 = 'sent' THEN ?9 END, ?10, "
        "?11 FROM outbox WHERE workspace_id = ?1 ON CONFLICT DO NOTHING",
        "ssssssssss", m->recipient_id, m->channel, m->kind, m->subject, m->body,
        sent ? "sent" : "pending", m->key, st->at, m->subject_kind,
        m->subject_id);
    *inserted = n > 0;
    if (rc == CL_OK && n) {
        rc = cl__sq_rows(SQ(st), cl__sq_map,
                         &(cl__sq_map_ctx){cl__row_id_first, &id}, err,
                         "SELECT id FROM outbox WHERE workspace_id = ?1 AND "
                         "idempotency_key = ?2",
                         "s", m->key);
        if (rc == CL_OK)
            rc = audit_id(SQ(st), "outbox", outbox_json, id, "message_queued",
                          err);
    }
    return rc;
}

cl_err
cl__sqw_outbox_mark(cl_store *st, int64_t id, const char *status, int attempts,
                    const char *next_attempt_at, const char *last_error,
                    cl_error *err)
{
    int n = 0;
    cl_err rc = cl__sq_exec(
        SQ(st), &n, err,
        "UPDATE outbox SET status = ?2, attempts = ?3, next_attempt_at = ?4, "
        "last_error = ?5, sent_at = CASE WHEN ?2 = 'sent' THEN ?6 END "
        "WHERE workspace_id = ?1 AND id = ?7",
        "sisssi", status, (int64_t)attempts, next_attempt_at, last_error,
        st->at, id);
    if (rc == CL_OK && n == 0)
        return cl_error_set(err, CL_ENOTFOUND, "no outbox message %lld",
                            (long long)id);
    if (rc == CL_OK) {
        char action[32];
        snprintf(action, sizeof action, "message_%s", status);
        rc = audit_id(SQ(st), "outbox", outbox_json, id, action, err);
    }
    return rc;
}

cl_err
cl__sqw_session_open(cl_store *st, const char *kind, const char *period,
                     const char *owner_id, int *inserted, int64_t *id,
                     cl_error *err)
{
    int n = 0;
    cl_err rc = cl__sq_exec(SQ(st), &n, err,
                            "INSERT INTO sessions (workspace_id, id, kind, "
                            "period, status, owner_id, opened_at) SELECT ?1, "
                            "COALESCE(MAX(id), 0) + 1, ?2, ?3, 'open', ?4, ?5 "
                            "FROM sessions WHERE workspace_id = ?1 "
                            "ON CONFLICT DO NOTHING",
                            "ssss", kind, period, owner_id, st->at);
    *inserted = n > 0;
    *id = 0;
    if (rc == CL_OK)
        rc = cl__sq_rows(SQ(st), cl__sq_map,
                         &(cl__sq_map_ctx){cl__row_id_first, id}, err,
                         "SELECT id FROM sessions WHERE workspace_id = ?1 "
                         "AND kind = ?2 AND period = ?3",
                         "ss", kind, period);
    if (rc == CL_OK && n)
        rc = audit_id(SQ(st), "sessions", session_json, *id, "session_opened",
                      err);
    return rc;
}

cl_err
cl__sqw_session_set_pack(cl_store *st, int64_t id, const char *pack,
                         cl_error *err)
{
    return cl__sq_exec(SQ(st), NULL, err,
                       "UPDATE sessions SET pack = ?2 WHERE workspace_id = ?1 "
                       "AND id = ?3 AND pack IS NULL",
                       "si", pack, id);
}

cl_err
cl__sqw_session_decide(cl_store *st, int64_t id, const char *text,
                       cl_error *err)
{
    int n = 0;
    cl_err rc = cl__sq_exec(SQ(st), &n, err,
                            "UPDATE sessions SET decisions = json_insert("
                            "COALESCE(decisions, '[]'), '$[#]', ?2) WHERE "
                            "workspace_id = ?1 AND id = ?3",
                            "si", text, id);
    if (rc == CL_OK && n == 0)
        return cl_error_set(err, CL_ENOTFOUND, "no session %lld",
                            (long long)id);
    if (rc == CL_OK)
        rc = audit_id(SQ(st), "sessions", session_json, id, "session_decision",
                      err);
    return rc;
}

cl_err
cl__sqw_session_close(cl_store *st, int64_t id, int *changed, cl_error *err)
{
    int n = 0;
    cl_err rc = cl__sq_exec(SQ(st), &n, err,
                            "UPDATE sessions SET status = 'closed', "
                            "closed_at = ?2 WHERE workspace_id = ?1 AND "
                            "id = ?3 AND status = 'open'",
                            "si", st->at, id);
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(SQ(st), "sessions", session_json, id, "session_closed",
                      err);
    return rc;
}

cl_err
cl__sqw_pc_add(cl_store *st, int64_t session_id, const char *owner_id,
               const char *description, const char *checkin_due, int *inserted,
               int64_t *id, cl_error *err)
{
    int n = 0;
    cl_err rc =
        cl__sq_exec(SQ(st), &n, err,
                    "INSERT INTO process_changes (workspace_id, id, "
                    "session_id, owner_id, description, checkin_due) "
                    "SELECT ?1, COALESCE(MAX(id), 0) + 1, ?2, ?3, ?4, "
                    "?5 FROM process_changes WHERE workspace_id = ?1 "
                    "ON CONFLICT DO NOTHING",
                    "isss", session_id, owner_id, description, checkin_due);
    *inserted = n > 0;
    *id = 0;
    if (rc == CL_OK)
        rc = cl__sq_rows(SQ(st), cl__sq_map,
                         &(cl__sq_map_ctx){cl__row_id_first, id}, err,
                         "SELECT id FROM process_changes WHERE "
                         "workspace_id = ?1 AND session_id = ?2",
                         "i", session_id);
    if (rc == CL_OK && n)
        rc = audit_id(SQ(st), "process_changes", pc_json, *id,
                      "process_change_recorded", err);
    return rc;
}

cl_err
cl__sqw_pc_checkin(cl_store *st, int64_t id, const char *on, const char *note,
                   int *changed, cl_error *err)
{
    int n = 0;
    cl_err rc = cl__sq_exec(SQ(st), &n, err,
                            "UPDATE process_changes SET checkin_on = ?2, "
                            "checkin_note = ?3 WHERE workspace_id = ?1 AND "
                            "id = ?4 AND checkin_on IS NULL",
                            "ssi", on, note, id);
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(SQ(st), "process_changes", pc_json, id,
                      "process_change_checkin", err);
    return rc;
}

cl_err
cl__sqw_trigger_add(cl_store *st, int64_t session_id, const char *rule,
                    const char *period, double value, double threshold,
                    int fired, int *inserted, cl_error *err)
{
    int n = 0;
    int64_t id = 0;
    cl_err rc = cl__sq_exec(SQ(st), &n, err,
                            "INSERT INTO triggers (workspace_id, id, "
                            "session_id, rule, period, value, threshold, "
                            "fired, created_at) SELECT ?1, COALESCE(MAX(id), "
                            "0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM triggers "
                            "WHERE workspace_id = ?1 ON CONFLICT DO NOTHING",
                            "issddis", session_id, rule, period, value,
                            threshold, (int64_t)fired, st->at);
    *inserted = n > 0;
    if (rc == CL_OK && n) {
        rc = cl__sq_rows(SQ(st), cl__sq_map,
                         &(cl__sq_map_ctx){cl__row_id_first, &id}, err,
                         "SELECT id FROM triggers WHERE workspace_id = ?1 "
                         "AND rule = ?2 AND period = ?3",
                         "ss", rule, period);
        if (rc == CL_OK)
            rc = audit_id(SQ(st), "triggers", trigger_json, id,
                          "threshold_evaluated", err);
    }
    return rc;
}

cl_err
cl__sqw_coaching_add(cl_store *st, const char *ae_id, int64_t session_id,
                     const char *period, const char *cause, const char *note,
                     const char *audience, int *inserted, cl_error *err)
{
    int n = 0;
    int64_t id = 0;
    cl_err rc = cl__sq_exec(
        SQ(st), &n, err,
        "INSERT INTO coaching_items (workspace_id, id, ae_id, session_id, "
        "period, cause, note, audience, status, created_at) SELECT ?1, "
        "COALESCE(MAX(id), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8 FROM "
        "coaching_items WHERE workspace_id = ?1 ON CONFLICT DO NOTHING",
        "sisssss", ae_id, session_id, period, cause, note, audience, st->at);
    *inserted = n > 0;
    if (rc == CL_OK && n) {
        rc = cl__sq_rows(SQ(st), cl__sq_map,
                         &(cl__sq_map_ctx){cl__row_id_first, &id}, err,
                         "SELECT id FROM coaching_items WHERE "
                         "workspace_id = ?1 AND ae_id = ?2 AND period = ?3 "
                         "AND cause = ?4",
                         "sss", ae_id, period, cause);
        if (rc == CL_OK)
            rc = audit_id(SQ(st), "coaching_items", coaching_json, id,
                          "coaching_item_created", err);
    }
    return rc;
}

cl_err
cl__sqw_flag_add(cl_store *st, const char *key, const char *subject_kind,
                 const char *subject_id, const char *flag, const char *field,
                 const char *reason, int *inserted, cl_error *err)
{
    int n = 0;
    cl_err rc = cl__sq_exec(SQ(st), &n, err,
                            "INSERT INTO flags (workspace_id, key, "
                            "subject_kind, subject_id, flag, field, reason, "
                            "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                            "?8) ON CONFLICT DO NOTHING",
                            "sssssss", key, subject_kind, subject_id, flag,
                            field, reason, st->at);
    *inserted = n > 0;
    if (rc == CL_OK && n)
        rc = cl__sq_audit_row(SQ(st), "flags", flag_json, "key", key,
                              "flag_raised", NULL, err);
    return rc;
}

cl_err
cl__sqw_field_set(cl_store *st, const char *subject_kind,
                  const char *subject_id, const char *field, const char *text,
                  double value, int *changed, cl_error *err)
{
    static const struct {
        const char *kind, *field, *table, *sql, *json;
    } fields[] = {
        {"deal", "health_score", "deals",
         "UPDATE deals SET health_score = ?3 WHERE workspace_id = ?1 AND "
         "id = ?2 AND health_score IS NOT ?3 AND ?4 IS NOT NULL",
         deal_health_json},
        {"churn", "sales_flagged", "churns",
         "UPDATE churns SET sales_flagged_on = ?4 WHERE workspace_id = ?1 "
         "AND id = ?2 AND sales_flagged_on IS NULL",
         churn_state_json},
        {"churn", "closed", "churns",
         "UPDATE churns SET closed_on = ?4 WHERE workspace_id = ?1 AND "
         "id = ?2 AND closed_on IS NULL",
         churn_state_json},
        {"process_change", "reminded", "process_changes",
         "UPDATE process_changes SET reminded_on = ?4 WHERE workspace_id = "
         "?1 AND id = ?2 AND reminded_on IS NULL",
         pc_json},
        {"process_change", "escalated", "process_changes",
         "UPDATE process_changes SET escalated_on = ?4 WHERE workspace_id = "
         "?1 AND id = ?2 AND escalated_on IS NULL",
         pc_json},
    };
    *changed = 0;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strcmp(fields[i].kind, subject_kind) != 0 ||
            strcmp(fields[i].field, field) != 0)
            continue;
        int n = 0;
        cl_err rc = cl__sq_exec(SQ(st), &n, err, fields[i].sql, "sds",
                                subject_id, value, text ? text : "");
        *changed = n > 0;
        if (rc == CL_OK && n) {
            char action[48];
            snprintf(action, sizeof action, "%s_set", field);
            rc = cl__sq_audit_row(SQ(st), fields[i].table, fields[i].json, "id",
                                  subject_id, action, NULL, err);
        }
        return rc;
    }
    return cl_error_set(err, CL_EINVAL, "no engine field %s.%s", subject_kind,
                        field);
}

cl_err
cl__sqw_link_add(cl_store *st, const char *new_deal_id,
                 const char *original_deal_id, int months, int *inserted,
                 cl_error *err)
{
    int n = 0;
    cl_err rc = cl__sq_exec(SQ(st), &n, err,
                            "INSERT INTO recovery_links (workspace_id, "
                            "new_deal_id, original_deal_id, months, "
                            "created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                            "ON CONFLICT DO NOTHING",
                            "ssis", new_deal_id, original_deal_id,
                            (int64_t)months, st->at);
    *inserted = n > 0;
    if (rc == CL_OK && n)
        rc =
            cl__sq_audit_row(SQ(st), "recovery_links", link_json, "new_deal_id",
                             new_deal_id, "recovery_linked", NULL, err);
    return rc;
}
