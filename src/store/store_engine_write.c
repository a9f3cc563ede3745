/*
 * store_engine_write.c - the engine writes, one copy for both backends.
 * Each is one idempotent statement (INSERT ... ON CONFLICT DO NOTHING on
 * the table's UNIQUE key, or an UPDATE that sets a column only while it is
 * NULL) followed, when it changed something, by its audit entry.  New ids
 * are the workspace's largest plus one: the caller's write transaction
 * (BEGIN IMMEDIATE on SQLite, the workspace's advisory lock on PostgreSQL)
 * makes that safe.  The SQL is written once, ?1 always the workspace (the
 * other parameters are named beside each query), with PostgreSQL's casts
 * where it cannot tell a parameter's type (SQLite drops them: store_sql.c);
 * cl__dialects holds what differs.
 */
#include <stdio.h>
#include <string.h>

#include "store_engine_int.h"

#define S(x)                                                                   \
    {                                                                          \
        .s = (x)                                                               \
    }
#define I(x)                                                                   \
    {                                                                          \
        .i = (int64_t)(x)                                                      \
    }
#define D(x)                                                                   \
    {                                                                          \
        .d = (x)                                                               \
    }

/* The SQL of the writes. */
static const struct {
    const char *config_set;
    const char *task_add, *task_ids, *task_done;
    const char *task_mark_done, *task_mark_reminded, *task_mark_escalated;
    const char *outbox_add, *outbox_id, *outbox_mark;
    const char *session_open, *session_id, *session_set_pack;
    const char *session_close;
    const char *pc_add, *pc_id, *pc_checkin;
    const char *trigger_add, *trigger_id;
    const char *coaching_add, *coaching_id, *coaching_update;
    const char *flag_add, *link_add;
    /* cl_store_field_set, by CL__FIELD_*: the UPDATE */
    const char *field_sql[CL__FIELD_COUNT];
} SQL = {
    .config_set = "INSERT INTO config (workspace_id, key, value) "
                  "VALUES (?1, ?2, ?3) ON CONFLICT (workspace_id, "
                  "key) DO UPDATE SET value = excluded.value "
                  "WHERE config.value IS DISTINCT FROM excluded.value",
    .task_add =
        "INSERT INTO tasks (workspace_id, id, kind, assignee_id, due_on, "
        "status, subject_kind, subject_id, title, attendees, created_at) "
        "SELECT ?1, COALESCE(MAX(id), 0) + 1, ?2, ?3, ?4::date, 'open', ?5, "
        "?6, ?7, ?8, ?9 FROM tasks WHERE workspace_id = ?1 "
        "ON CONFLICT DO NOTHING",
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
                "subject_id = ?4 AND (?5::text IS NULL OR "
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
    .session_close = "UPDATE sessions SET status = 'closed', "
                     "closed_at = ?2 WHERE workspace_id = ?1 AND "
                     "id = ?3 AND status = 'open'",
    .pc_add = "INSERT INTO process_changes (workspace_id, id, "
              "session_id, owner_id, description, checkin_due) "
              "SELECT ?1, COALESCE(MAX(id), 0) + 1, ?2, ?3, ?4, "
              "?5::date FROM process_changes WHERE workspace_id = ?1 "
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
    .coaching_update =
        "UPDATE coaching_items SET note = COALESCE(?3::text, note), "
        "status = CASE WHEN ?4 = 1 THEN 'closed' ELSE status END "
        "WHERE workspace_id = ?1 AND id = ?2 AND status = 'open'",
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
        "id = ?2 AND health_score IS DISTINCT FROM ?3 AND ?4::text IS NOT "
        "NULL",
    .field_sql[CL__FIELD_CHURN_SALES_FLAGGED] =
        "UPDATE churns SET sales_flagged_on = ?4 WHERE workspace_id = ?1 "
        "AND id = ?2 AND sales_flagged_on IS NULL",
    .field_sql[CL__FIELD_CHURN_CLOSED] =
        "UPDATE churns SET closed_on = ?4 WHERE workspace_id = ?1 AND "
        "id = ?2 AND closed_on IS NULL",
    /* ?4 (the text, unused) must appear: SQLite binds only up to the
       highest parameter a statement names, PostgreSQL must know its
       type. */
    .field_sql[CL__FIELD_CHURN_REOPENED] =
        "UPDATE churns SET closed_on = NULLIF(?4, ?4)::date WHERE "
        "workspace_id = ?1 AND id = ?2 AND closed_on IS NOT NULL",
    .field_sql[CL__FIELD_PC_REMINDED] =
        "UPDATE process_changes SET reminded_on = ?4 WHERE workspace_id = "
        "?1 AND id = ?2 AND reminded_on IS NULL",
    .field_sql[CL__FIELD_PC_ESCALATED] =
        "UPDATE process_changes SET escalated_on = ?4 WHERE workspace_id = "
        "?1 AND id = ?2 AND escalated_on IS NULL",
};

/* The audit JSON of each table's rows: the key, value arguments of the
   backend's JSON object function (cl__dialect.json_object). */
/* A secret's value (config_keys.h) stays out of the audit log: the
   inbound webhooks' secrets, and the team chat channels' webhook URLs
   (whoever has one may post to the channel). */
#define CONFIG_JSON                                                            \
    "'key', key, 'value', CASE WHEN key LIKE '%secret' OR key LIKE "           \
    "'chat_channel_%_url' THEN '(secret)' ELSE value END"
#define TASK_JSON                                                              \
    "'id', id, 'kind', kind, 'assignee_id', assignee_id, 'due_on', due_on, "   \
    "'status', status, 'subject_kind', subject_kind, 'subject_id', "           \
    "subject_id, 'attendees', attendees, 'done_at', done_at, 'reminded_at', "  \
    "reminded_at, 'escalated_at', escalated_at"
#define OUTBOX_JSON                                                            \
    "'id', id, 'recipient_id', recipient_id, 'channel', channel, 'kind', "     \
    "kind, 'status', status, 'attempts', attempts, 'next_attempt_at', "        \
    "next_attempt_at, 'last_error', last_error, 'idempotency_key', "           \
    "idempotency_key"
#define PC_JSON                                                                \
    "'id', id, 'session_id', session_id, 'owner_id', owner_id, "               \
    "'description', description, 'checkin_due', checkin_due, 'checkin_on', "   \
    "checkin_on, 'checkin_note', checkin_note, 'reminded_on', reminded_on, "   \
    "'escalated_on', escalated_on"
#define COACHING_JSON                                                          \
    "'id', id, 'ae_id', ae_id, 'session_id', session_id, 'period', period, "   \
    "'cause', cause, 'audience', audience"
/* A follow-up's audit entry: the status, not the conversation's words,
   which stay on the private item. */
#define COACHING_STATUS_JSON "'id', id, 'ae_id', ae_id, 'status', status"
#define FLAG_JSON                                                              \
    "'key', key, 'subject_kind', subject_kind, 'subject_id', subject_id, "     \
    "'flag', flag, 'field', field, 'reason', reason"
#define LINK_JSON                                                              \
    "'new_deal_id', new_deal_id, 'original_deal_id', original_deal_id, "       \
    "'months', months"
#define CHURN_FIELD_JSON                                                       \
    "'id', id, 'sales_flagged_on', sales_flagged_on, 'closed_on', closed_on"

/* cl_store_field_set's audit JSON, by CL__FIELD_*. */
static const char *const field_json[CL__FIELD_COUNT] = {
    [CL__FIELD_DEAL_HEALTH] = "'id', id, 'health_score', health_score",
    [CL__FIELD_CHURN_SALES_FLAGGED] = CHURN_FIELD_JSON,
    [CL__FIELD_CHURN_CLOSED] = CHURN_FIELD_JSON,
    [CL__FIELD_CHURN_REOPENED] = CHURN_FIELD_JSON,
    [CL__FIELD_PC_REMINDED] = PC_JSON,
    [CL__FIELD_PC_ESCALATED] = PC_JSON,
};

/* The audit entry of the row of table where keycol = key, its new value
   rendered by the INSERT itself; values, when not NULL, are bound as ?9
   and ?10 (a trigger's numbers).  The key is bound twice: as the entry's
   entity_id (text) and in the WHERE, where PostgreSQL gives it the key
   column's type (one parameter cannot be both). */
static cl_err
audit_insert(cl_store *st, const char *table, const char *json_expr,
             const char *keycol, const char *key, const char *action,
             const char *old_json, const char *const values[2], cl_error *err)
{
    cl_buf sql = CL_BUF_INIT;
    int n = 0;
    cl_buf_str(&sql, "INSERT INTO audit (workspace_id, at, actor, entity, "
                     "entity_id, action, old, new) SELECT ?1, ?2, ?3, ?4, "
                     "?5, ?6, ?7, ");
    cl__sql_expand(&sql, CL__DIALECT(st)->json_text, json_expr, 0);
    cl_buf_str(&sql, " FROM ");
    cl__sql_ident(&sql, table);
    cl_buf_str(&sql, " WHERE workspace_id = ?1 AND ");
    cl__sql_ident(&sql, keycol);
    cl_buf_str(&sql, " = ?8");
    cl_err rc = sql.oom
                    ? cl_error_set(err, CL_ENOMEM, "out of memory")
                    : st->ops->exec(
                          st, &n, err, sql.p, values ? "sssssssss" : "sssssss",
                          (cl__arg[]){S(st->at), S(st->actor), S(table), S(key),
                                      S(action), S(old_json), S(key),
                                      S(values ? values[0] : NULL),
                                      S(values ? values[1] : NULL)});
    cl_buf_free(&sql);
    if (rc == CL_OK && n == 0)
        rc = cl_error_set(err, CL_ENOTFOUND, "no %s row %s", table, key);
    return rc;
}

cl_err
cl__engw_audit_row(cl_store *st, const char *table, const char *json_expr,
                   const char *keycol, const char *key, const char *action,
                   const char *old_json, cl_error *err)
{
    return audit_insert(st, table, json_expr, keycol, key, action, old_json,
                        NULL, err);
}

/* Appends the audit entry of the row of table where keycol = key: its
   columns by json, key, value arguments of the backend's JSON object
   function (NULL: the backend's session JSON). */
static cl_err
audit_key(cl_store *st, const char *table, const char *json, const char *keycol,
          const char *key, const char *action, cl_error *err)
{
    char expr[1024];
    if (json == NULL)
        snprintf(expr, sizeof expr, "%s", CL__DIALECT(st)->session_json);
    else
        snprintf(expr, sizeof expr, "%s(%s)", CL__DIALECT(st)->json_object,
                 json);
    return audit_insert(st, table, expr, keycol, key, action, NULL, NULL, err);
}

/* The id of the row the last query found, into *id (0 when none). */
static cl_err
find_id(cl_store *st, const char *sql, const char *fmt, const cl__arg *args,
        int64_t *id, cl_error *err)
{
    return st->ops->rows(st, cl__row_id_first, id, err, sql, fmt, args);
}

static cl_err
audit_id(cl_store *st, const char *table, const char *json, int64_t id,
         const char *action, cl_error *err)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    return audit_key(st, table, json, "id", key, action, err);
}

cl_err
cl__engw_config_set(cl_store *st, const char *key, const char *value,
                    cl_error *err)
{
    int n = 0;
    /* key, value */
    cl_err rc = st->ops->exec(st, &n, err, SQL.config_set, "ss",
                              (cl__arg[]){S(key), S(value)});
    if (rc == CL_OK && n)
        rc =
            audit_key(st, "config", CONFIG_JSON, "key", key, "config_set", err);
    return rc;
}

/*
 * After the 128th, 1,024th, 8,192th and 65,536th task, message or flag a
 * connection adds, the loop's tables are analyzed.  PostgreSQL plans a
 * statement it runs again once, for any values: made on an empty table,
 * the plan of the audit entry's read of a task by id scanned the
 * workspace's tasks by another index, and an import of 160,000 deals that
 * opened 13,008 review tasks spent 14 s in it.  Analyzed, the table's
 * plans are made again with its size known.
 */
static cl_err
grew(cl_store *st, cl_error *err)
{
    int64_t n = ++st->loop_rows;
    if ((n != 128 && n != 1024 && n != 8192 && n != 65536) ||
        st->ops->analyze == NULL)
        return CL_OK;
    return st->ops->analyze(st, CL__ANALYZE_LOOP, err);
}

/* The task's match on a column: equal, or NULL for NULL.  One statement
   for each pattern of NULLs, not IS NOT DISTINCT FROM, which PostgreSQL
   does not look up in an index: the tasks' unique index took the kind and
   read every task of it, 13,008 in that import (18 s).  The parameter of a
   NULL is still named, so that it has a type. */
static const char *
match(const char *value, int first)
{
    static const char *const m[3][2] = {
        {"subject_kind = ?3", "subject_kind IS NULL AND ?3::text IS NULL"},
        {"subject_id = ?4", "subject_id IS NULL AND ?4::text IS NULL"},
        {"assignee_id = ?5", "assignee_id IS NULL AND ?5::text IS NULL"},
    };
    return m[first][value == NULL];
}

cl_err
cl__engw_task_add(cl_store *st, const cl_store_task_new *t, int *inserted,
                  int64_t *id, cl_error *err)
{
    char task_id[256];
    int n = 0;
    /* kind, assignee_id, due_on, subject_kind, subject_id, title,
       attendees, created_at */
    cl_err rc =
        st->ops->exec(st, &n, err, SQL.task_add, "ssssssss",
                      (cl__arg[]){S(t->kind), S(t->assignee_id), S(t->due_on),
                                  S(t->subject_kind), S(t->subject_id),
                                  S(t->title), S(t->attendees), S(st->at)});
    *inserted = n > 0;
    *id = 0;
    /* kind, subject_kind, subject_id, assignee_id (NULL matches NULL) */
    snprintf(task_id, sizeof task_id,
             "SELECT id FROM tasks WHERE workspace_id = ?1 AND kind = ?2 AND "
             "%s AND %s AND %s",
             match(t->subject_kind, 0), match(t->subject_id, 1),
             match(t->assignee_id, 2));
    if (rc == CL_OK)
        rc = find_id(st, task_id, "ssss",
                     (cl__arg[]){S(t->kind), S(t->subject_kind),
                                 S(t->subject_id), S(t->assignee_id)},
                     id, err);
    if (rc == CL_OK && n)
        rc = audit_id(st, "tasks", TASK_JSON, *id, "task_created", err);
    if (rc == CL_OK && n)
        rc = grew(st, err);
    return rc;
}

cl_err
cl__engw_task_mark(cl_store *st, const char *kind, const char *subject_kind,
                   const char *subject_id, const char *assignee_id,
                   const char *mark, int *changed, cl_error *err)
{
    const char *sql;
    cl__row_ids x = {.n = 0};
    *changed = 0;
    if (strcmp(mark, "done") == 0)
        sql = SQL.task_mark_done;
    else if (strcmp(mark, "reminded") == 0)
        sql = SQL.task_mark_reminded;
    else if (strcmp(mark, "escalated") == 0)
        sql = SQL.task_mark_escalated;
    else
        return cl_error_set(err, CL_EINVAL, "unknown task mark '%s'", mark);
    /* kind, subject_kind, subject_id, assignee_id (NULL: any) */
    cl_err rc = st->ops->rows(
        st, cl__row_ids_each, &x, err, SQL.task_ids, "ssss",
        (cl__arg[]){S(kind), S(subject_kind), S(subject_id), S(assignee_id)});
    for (int i = 0; i < x.n && rc == CL_OK; i++) {
        int n = 0;
        /* at, id */
        rc = st->ops->exec(st, &n, err, sql, "si",
                           (cl__arg[]){S(st->at), I(x.v[i])});
        if (rc == CL_OK && n) {
            (*changed)++;
            char action[32];
            snprintf(action, sizeof action, "task_%s", mark);
            rc = audit_id(st, "tasks", TASK_JSON, x.v[i], action, err);
        }
    }
    return rc;
}

cl_err
cl__engw_task_done(cl_store *st, int64_t id, int *changed, cl_error *err)
{
    int n = 0;
    /* at, id */
    cl_err rc = st->ops->exec(st, &n, err, SQL.task_done, "si",
                              (cl__arg[]){S(st->at), I(id)});
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(st, "tasks", TASK_JSON, id, "task_done", err);
    return rc;
}

cl_err
cl__engw_outbox_add(cl_store *st, const cl_store_outbox_new *m, int *inserted,
                    cl_error *err)
{
    int n = 0;
    int64_t id = 0;
    int sent = m->status && strcmp(m->status, "sent") == 0;
    /* recipient_id, channel, kind, subject, body, status, idempotency_key,
       created_at (and sent_at when sent), subject_kind, subject_id */
    cl_err rc = st->ops->exec(
        st, &n, err, SQL.outbox_add, "ssssssssss",
        (cl__arg[]){S(m->recipient_id), S(m->channel), S(m->kind),
                    S(m->subject), S(m->body), S(sent ? "sent" : "pending"),
                    S(m->key), S(st->at), S(m->subject_kind),
                    S(m->subject_id)});
    *inserted = n > 0;
    if (rc == CL_OK && n) {
        /* idempotency_key */
        rc = find_id(st, SQL.outbox_id, "s", (cl__arg[]){S(m->key)}, &id, err);
        if (rc == CL_OK)
            rc = audit_id(st, "outbox", OUTBOX_JSON, id, "message_queued", err);
        if (rc == CL_OK)
            rc = grew(st, err);
    }
    return rc;
}

cl_err
cl__engw_outbox_has(cl_store *st, const char *key, int *found, cl_error *err)
{
    int64_t id = 0;
    /* idempotency_key */
    cl_err rc = find_id(st, SQL.outbox_id, "s", (cl__arg[]){S(key)}, &id, err);
    *found = rc == CL_OK && id > 0;
    return rc;
}

cl_err
cl__engw_outbox_mark(cl_store *st, int64_t id, const char *status, int attempts,
                     const char *next_attempt_at, const char *last_error,
                     cl_error *err)
{
    int n = 0;
    /* status, attempts, next_attempt_at, last_error, at, id */
    cl_err rc =
        st->ops->exec(st, &n, err, SQL.outbox_mark, "sisssi",
                      (cl__arg[]){S(status), I(attempts), S(next_attempt_at),
                                  S(last_error), S(st->at), I(id)});
    if (rc == CL_OK && n == 0)
        return cl_error_set(err, CL_ENOTFOUND, "no outbox message %lld",
                            (long long)id);
    if (rc == CL_OK) {
        char action[32];
        snprintf(action, sizeof action, "message_%s", status);
        rc = audit_id(st, "outbox", OUTBOX_JSON, id, action, err);
    }
    if (rc == CL_OK && CL__DIALECT(st)->outbox_release)
        rc =
            cl__q_exec(st, NULL, err, CL__DIALECT(st)->outbox_release, "i", id);
    return rc;
}

cl_err
cl__engw_session_open(cl_store *st, const char *kind, const char *period,
                      const char *owner_id, int *inserted, int64_t *id,
                      cl_error *err)
{
    int n = 0;
    /* kind, period, owner_id, opened_at */
    cl_err rc =
        st->ops->exec(st, &n, err, SQL.session_open, "ssss",
                      (cl__arg[]){S(kind), S(period), S(owner_id), S(st->at)});
    *inserted = n > 0;
    *id = 0;
    /* kind, period */
    if (rc == CL_OK)
        rc = find_id(st, SQL.session_id, "ss", (cl__arg[]){S(kind), S(period)},
                     id, err);
    if (rc == CL_OK && n)
        rc = audit_id(st, "sessions", NULL, *id, "session_opened", err);
    return rc;
}

cl_err
cl__engw_session_set_pack(cl_store *st, int64_t id, const char *pack,
                          cl_error *err)
{
    /* pack, id */
    return st->ops->exec(st, NULL, err, SQL.session_set_pack, "si",
                         (cl__arg[]){S(pack), I(id)});
}

cl_err
cl__engw_session_decide(cl_store *st, int64_t id, const char *text,
                        cl_error *err)
{
    int n = 0;
    /* text, id */
    cl_err rc = st->ops->exec(st, &n, err, CL__DIALECT(st)->session_decide,
                              "si", (cl__arg[]){S(text), I(id)});
    if (rc == CL_OK && n == 0)
        return cl_error_set(err, CL_ENOTFOUND, "no session %lld",
                            (long long)id);
    if (rc == CL_OK)
        rc = audit_id(st, "sessions", NULL, id, "session_decision", err);
    return rc;
}

cl_err
cl__engw_session_close(cl_store *st, int64_t id, int *changed, cl_error *err)
{
    int n = 0;
    /* at, id */
    cl_err rc = st->ops->exec(st, &n, err, SQL.session_close, "si",
                              (cl__arg[]){S(st->at), I(id)});
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(st, "sessions", NULL, id, "session_closed", err);
    return rc;
}

cl_err
cl__engw_pc_add(cl_store *st, int64_t session_id, const char *owner_id,
                const char *description, const char *checkin_due, int *inserted,
                int64_t *id, cl_error *err)
{
    int n = 0;
    /* session_id, owner_id, description, checkin_due */
    cl_err rc = st->ops->exec(st, &n, err, SQL.pc_add, "isss",
                              (cl__arg[]){I(session_id), S(owner_id),
                                          S(description), S(checkin_due)});
    *inserted = n > 0;
    *id = 0;
    /* session_id */
    if (rc == CL_OK)
        rc = find_id(st, SQL.pc_id, "i", (cl__arg[]){I(session_id)}, id, err);
    if (rc == CL_OK && n)
        rc = audit_id(st, "process_changes", PC_JSON, *id,
                      "process_change_recorded", err);
    return rc;
}

cl_err
cl__engw_pc_checkin(cl_store *st, int64_t id, const char *on, const char *note,
                    int *changed, cl_error *err)
{
    int n = 0;
    /* on, note, id */
    cl_err rc = st->ops->exec(st, &n, err, SQL.pc_checkin, "ssi",
                              (cl__arg[]){S(on), S(note), I(id)});
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(st, "process_changes", PC_JSON, id,
                      "process_change_checkin", err);
    return rc;
}

/* A trigger's audit entry: value and threshold are the numbers just
   written, as SQLite writes a REAL (PostgreSQL writes a double its own
   way). */
static cl_err
trigger_audit(cl_store *st, int64_t id, double value, double threshold,
              cl_error *err)
{
    char v[40], t[40], key[32], expr[512];
    cl__sql_real_json(value, v, sizeof v);
    cl__sql_real_json(threshold, t, sizeof t);
    snprintf(key, sizeof key, "%lld", (long long)id);
    snprintf(expr, sizeof expr,
             "%s('id', id, 'session_id', session_id, 'rule', rule, 'period', "
             "period, %s, 'fired', fired)",
             CL__DIALECT(st)->json_object, CL__DIALECT(st)->trigger_values);
    return audit_insert(st, "triggers", expr, "id", key, "threshold_evaluated",
                        NULL, (const char *const[]){v, t}, err);
}

cl_err
cl__engw_trigger_add(cl_store *st, int64_t session_id, const char *rule,
                     const char *period, double value, double threshold,
                     int fired, int *inserted, cl_error *err)
{
    int n = 0;
    int64_t id = 0;
    /* session_id, rule, period, value, threshold, fired, created_at */
    cl_err rc =
        st->ops->exec(st, &n, err, SQL.trigger_add, "issddis",
                      (cl__arg[]){I(session_id), S(rule), S(period), D(value),
                                  D(threshold), I(fired), S(st->at)});
    *inserted = n > 0;
    if (rc == CL_OK && n) {
        /* rule, period */
        rc = find_id(st, SQL.trigger_id, "ss", (cl__arg[]){S(rule), S(period)},
                     &id, err);
        if (rc == CL_OK)
            rc = trigger_audit(st, id, value, threshold, err);
    }
    return rc;
}

cl_err
cl__engw_coaching_add(cl_store *st, const char *ae_id, int64_t session_id,
                      const char *period, const char *cause, const char *note,
                      const char *audience, int *inserted, cl_error *err)
{
    int n = 0;
    int64_t id = 0;
    /* ae_id, session_id, period, cause, note, audience, created_at */
    cl_err rc =
        st->ops->exec(st, &n, err, SQL.coaching_add, "sisssss",
                      (cl__arg[]){S(ae_id), I(session_id), S(period), S(cause),
                                  S(note), S(audience), S(st->at)});
    *inserted = n > 0;
    if (rc == CL_OK && n) {
        /* ae_id, period, cause */
        rc = find_id(st, SQL.coaching_id, "sss",
                     (cl__arg[]){S(ae_id), S(period), S(cause)}, &id, err);
        if (rc == CL_OK)
            rc = audit_id(st, "coaching_items", COACHING_JSON, id,
                          "coaching_item_created", err);
    }
    return rc;
}

cl_err
cl__engw_coaching_update(cl_store *st, int64_t id, const char *note, int close,
                         int *changed, cl_error *err)
{
    int n = 0;
    /* id, note, close */
    cl_err rc = st->ops->exec(st, &n, err, SQL.coaching_update, "isi",
                              (cl__arg[]){I(id), S(note), I(close ? 1 : 0)});
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(st, "coaching_items", COACHING_STATUS_JSON, id,
                      close ? "coaching_item_closed"
                            : "coaching_item_conversation",
                      err);
    return rc;
}

cl_err
cl__engw_flag_add(cl_store *st, const char *key, const char *subject_kind,
                  const char *subject_id, const char *flag, const char *field,
                  const char *reason, int *inserted, cl_error *err)
{
    int n = 0;
    /* key, subject_kind, subject_id, flag, field, reason, created_at */
    cl_err rc =
        st->ops->exec(st, &n, err, SQL.flag_add, "sssssss",
                      (cl__arg[]){S(key), S(subject_kind), S(subject_id),
                                  S(flag), S(field), S(reason), S(st->at)});
    *inserted = n > 0;
    if (rc == CL_OK && n)
        rc = audit_key(st, "flags", FLAG_JSON, "key", key, "flag_raised", err);
    if (rc == CL_OK && n)
        rc = grew(st, err);
    return rc;
}

cl_err
cl__engw_field_set(cl_store *st, const char *subject_kind,
                   const char *subject_id, const char *field, const char *text,
                   double value, int *changed, cl_error *err)
{
    static const struct {
        const char *kind, *field, *table;
    } fields[] = {
        [CL__FIELD_DEAL_HEALTH] = {"deal", "health_score", "deals"},
        [CL__FIELD_CHURN_SALES_FLAGGED] = {"churn", "sales_flagged", "churns"},
        [CL__FIELD_CHURN_CLOSED] = {"churn", "closed", "churns"},
        [CL__FIELD_CHURN_REOPENED] = {"churn", "reopened", "churns"},
        [CL__FIELD_PC_REMINDED] = {"process_change", "reminded",
                                   "process_changes"},
        [CL__FIELD_PC_ESCALATED] = {"process_change", "escalated",
                                    "process_changes"},
    };
    *changed = 0;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strcmp(fields[i].kind, subject_kind) != 0 ||
            strcmp(fields[i].field, field) != 0)
            continue;
        int n = 0;
        /* subject_id, value, text ("" for NULL) */
        cl_err rc = st->ops->exec(
            st, &n, err, SQL.field_sql[i], "sds",
            (cl__arg[]){S(subject_id), D(value), S(text ? text : "")});
        *changed = n > 0;
        if (rc == CL_OK && n) {
            char action[48];
            snprintf(action, sizeof action, "%s_set", field);
            rc = audit_key(st, fields[i].table, field_json[i], "id", subject_id,
                           action, err);
        }
        return rc;
    }
    return cl_error_set(err, CL_EINVAL, "no engine field %s.%s", subject_kind,
                        field);
}

cl_err
cl__engw_link_add(cl_store *st, const char *new_deal_id,
                  const char *original_deal_id, int months, int *inserted,
                  cl_error *err)
{
    int n = 0;
    /* new_deal_id, original_deal_id, months, created_at */
    cl_err rc = st->ops->exec(
        st, &n, err, SQL.link_add, "ssis",
        (cl__arg[]){S(new_deal_id), S(original_deal_id), I(months), S(st->at)});
    *inserted = n > 0;
    if (rc == CL_OK && n)
        rc = audit_key(st, "recovery_links", LINK_JSON, "new_deal_id",
                       new_deal_id, "recovery_linked", err);
    return rc;
}

/* ---- the AE's answers and the health history (issue 14) ------------------
 */

cl_err
cl__engw_answers_put(cl_store *st, const char *deal_id, const char *const q[7],
                     const char *by, cl_error *err)
{
    int n = 0;
    /* deal, q1, q2, q3, q4, q7, by, at */
    return cl__q_exec(
        st, &n, err,
        "INSERT INTO review_answers (workspace_id, deal_id, q1, q2, q3, q4, "
        "q7, answered_by, answered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8, ?9) ON CONFLICT (workspace_id, deal_id) DO UPDATE SET "
        "q1 = excluded.q1, q2 = excluded.q2, q3 = excluded.q3, "
        "q4 = excluded.q4, q7 = excluded.q7, answered_by = "
        "excluded.answered_by, answered_at = excluded.answered_at",
        "ssssssss", deal_id, q[0], q[1], q[2], q[3], q[6], by, st->at);
}

cl_err
cl__engw_health_add(cl_store *st, const char *key, const cl_store_health_row *r,
                    int *inserted, cl_error *err)
{
    int n = 0;
    /* key, deal, score, source, note, by, on, created_at */
    cl_err rc = cl__q_exec(
        st, &n, err,
        "INSERT INTO health_readings (workspace_id, id, key, deal_id, score, "
        "source, note, recorded_by, recorded_on, created_at) SELECT ?1, "
        "COALESCE(MAX(id), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8::date, ?9 FROM "
        "health_readings WHERE workspace_id = ?1 ON CONFLICT DO NOTHING",
        "ssisssss", key, r->deal_id, (int64_t)r->score, r->source, r->note,
        r->recorded_by, r->recorded_on, st->at);
    *inserted = n > 0;
    return rc;
}
