/*
 * store_engine_write.c - the engine writes, one copy for both backends.
 * Each is one idempotent statement (INSERT ... ON CONFLICT DO NOTHING on
 * the table's UNIQUE key, or an UPDATE that sets a column only while it is
 * NULL) followed, when it changed something, by its audit entry.  New ids
 * are the workspace's largest plus one: the caller's write transaction
 * (BEGIN IMMEDIATE on SQLite, the workspace's advisory lock on PostgreSQL)
 * makes that safe.  The SQL is the backend's (cl__engine_sql); the
 * parameters after the workspace are named beside each query.
 */
#include <stdio.h>
#include <string.h>

#include "store_engine_int.h"

#define Q(st) ((st)->ops->engine->q)
#define SQL(st) (Q(st)->sql)
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

/* The id of the row the last query found, into *id (0 when none). */
static cl_err
find_id(cl_store *st, const char *sql, const char *fmt, const cl__arg *args,
        int64_t *id, cl_error *err)
{
    return Q(st)->rows(st, cl__row_id_first, id, err, sql, fmt, args);
}

static cl_err
audit_id(cl_store *st, const char *table, const char *json, int64_t id,
         const char *action, cl_error *err)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    return Q(st)->audit_row(st, table, json, "id", key, action, NULL, err);
}

cl_err
cl__engw_config_set(cl_store *st, const char *key, const char *value,
                    cl_error *err)
{
    int n = 0;
    /* key, value */
    cl_err rc = Q(st)->exec(st, &n, err, SQL(st)->config_set, "ss",
                            (cl__arg[]){S(key), S(value)});
    if (rc == CL_OK && n)
        rc = Q(st)->audit_row(st, "config", SQL(st)->config_json, "key", key,
                              "config_set", NULL, err);
    return rc;
}

cl_err
cl__engw_audit(cl_store *st, const char *entity, const char *entity_id,
               const char *action, const char *old_json, const char *new_json,
               cl_error *err)
{
    return st->ops->audit_append(st, entity, entity_id, action, old_json,
                                 new_json, err);
}

cl_err
cl__engw_task_add(cl_store *st, const cl_store_task_new *t, int *inserted,
                  int64_t *id, cl_error *err)
{
    int n = 0;
    /* kind, assignee_id, due_on, subject_kind, subject_id, title,
       attendees, created_at */
    cl_err rc =
        Q(st)->exec(st, &n, err, SQL(st)->task_add, "ssssssss",
                    (cl__arg[]){S(t->kind), S(t->assignee_id), S(t->due_on),
                                S(t->subject_kind), S(t->subject_id),
                                S(t->title), S(t->attendees), S(st->at)});
    *inserted = n > 0;
    *id = 0;
    /* kind, subject_kind, subject_id, assignee_id (NULL matches NULL) */
    if (rc == CL_OK)
        rc = find_id(st, SQL(st)->task_id, "ssss",
                     (cl__arg[]){S(t->kind), S(t->subject_kind),
                                 S(t->subject_id), S(t->assignee_id)},
                     id, err);
    if (rc == CL_OK && n)
        rc =
            audit_id(st, "tasks", SQL(st)->task_json, *id, "task_created", err);
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
        sql = SQL(st)->task_mark_done;
    else if (strcmp(mark, "reminded") == 0)
        sql = SQL(st)->task_mark_reminded;
    else if (strcmp(mark, "escalated") == 0)
        sql = SQL(st)->task_mark_escalated;
    else
        return cl_error_set(err, CL_EINVAL, "unknown task mark '%s'", mark);
    /* kind, subject_kind, subject_id, assignee_id (NULL: any) */
    cl_err rc = Q(st)->rows(
        st, cl__row_ids_each, &x, err, SQL(st)->task_ids, "ssss",
        (cl__arg[]){S(kind), S(subject_kind), S(subject_id), S(assignee_id)});
    for (int i = 0; i < x.n && rc == CL_OK; i++) {
        int n = 0;
        /* at, id */
        rc = Q(st)->exec(st, &n, err, sql, "si",
                         (cl__arg[]){S(st->at), I(x.v[i])});
        if (rc == CL_OK && n) {
            (*changed)++;
            char action[32];
            snprintf(action, sizeof action, "task_%s", mark);
            rc = audit_id(st, "tasks", SQL(st)->task_json, x.v[i], action, err);
        }
    }
    return rc;
}

cl_err
cl__engw_task_done(cl_store *st, int64_t id, int *changed, cl_error *err)
{
    int n = 0;
    /* at, id */
    cl_err rc = Q(st)->exec(st, &n, err, SQL(st)->task_done, "si",
                            (cl__arg[]){S(st->at), I(id)});
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(st, "tasks", SQL(st)->task_json, id, "task_done", err);
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
    cl_err rc = Q(st)->exec(st, &n, err, SQL(st)->outbox_add, "ssssssssss",
                            (cl__arg[]){S(m->recipient_id), S(m->channel),
                                        S(m->kind), S(m->subject), S(m->body),
                                        S(sent ? "sent" : "pending"), S(m->key),
                                        S(st->at), S(m->subject_kind),
                                        S(m->subject_id)});
    *inserted = n > 0;
    if (rc == CL_OK && n) {
        /* idempotency_key */
        rc = find_id(st, SQL(st)->outbox_id, "s", (cl__arg[]){S(m->key)}, &id,
                     err);
        if (rc == CL_OK)
            rc = audit_id(st, "outbox", SQL(st)->outbox_json, id,
                          "message_queued", err);
    }
    return rc;
}

cl_err
cl__engw_outbox_has(cl_store *st, const char *key, int *found, cl_error *err)
{
    int64_t id = 0;
    /* idempotency_key */
    cl_err rc =
        find_id(st, SQL(st)->outbox_id, "s", (cl__arg[]){S(key)}, &id, err);
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
        Q(st)->exec(st, &n, err, SQL(st)->outbox_mark, "sisssi",
                    (cl__arg[]){S(status), I(attempts), S(next_attempt_at),
                                S(last_error), S(st->at), I(id)});
    if (rc == CL_OK && n == 0)
        return cl_error_set(err, CL_ENOTFOUND, "no outbox message %lld",
                            (long long)id);
    if (rc == CL_OK) {
        char action[32];
        snprintf(action, sizeof action, "message_%s", status);
        rc = audit_id(st, "outbox", SQL(st)->outbox_json, id, action, err);
    }
    if (rc == CL_OK && Q(st)->outbox_marked)
        rc = Q(st)->outbox_marked(st, id, err);
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
        Q(st)->exec(st, &n, err, SQL(st)->session_open, "ssss",
                    (cl__arg[]){S(kind), S(period), S(owner_id), S(st->at)});
    *inserted = n > 0;
    *id = 0;
    /* kind, period */
    if (rc == CL_OK)
        rc = find_id(st, SQL(st)->session_id, "ss",
                     (cl__arg[]){S(kind), S(period)}, id, err);
    if (rc == CL_OK && n)
        rc = audit_id(st, "sessions", SQL(st)->session_json, *id,
                      "session_opened", err);
    return rc;
}

cl_err
cl__engw_session_set_pack(cl_store *st, int64_t id, const char *pack,
                          cl_error *err)
{
    /* pack, id */
    return Q(st)->exec(st, NULL, err, SQL(st)->session_set_pack, "si",
                       (cl__arg[]){S(pack), I(id)});
}

cl_err
cl__engw_session_decide(cl_store *st, int64_t id, const char *text,
                        cl_error *err)
{
    int n = 0;
    /* text, id */
    cl_err rc = Q(st)->exec(st, &n, err, SQL(st)->session_decide, "si",
                            (cl__arg[]){S(text), I(id)});
    if (rc == CL_OK && n == 0)
        return cl_error_set(err, CL_ENOTFOUND, "no session %lld",
                            (long long)id);
    if (rc == CL_OK)
        rc = audit_id(st, "sessions", SQL(st)->session_json, id,
                      "session_decision", err);
    return rc;
}

cl_err
cl__engw_session_close(cl_store *st, int64_t id, int *changed, cl_error *err)
{
    int n = 0;
    /* at, id */
    cl_err rc = Q(st)->exec(st, &n, err, SQL(st)->session_close, "si",
                            (cl__arg[]){S(st->at), I(id)});
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(st, "sessions", SQL(st)->session_json, id,
                      "session_closed", err);
    return rc;
}

cl_err
cl__engw_pc_add(cl_store *st, int64_t session_id, const char *owner_id,
                const char *description, const char *checkin_due, int *inserted,
                int64_t *id, cl_error *err)
{
    int n = 0;
    /* session_id, owner_id, description, checkin_due */
    cl_err rc = Q(st)->exec(st, &n, err, SQL(st)->pc_add, "isss",
                            (cl__arg[]){I(session_id), S(owner_id),
                                        S(description), S(checkin_due)});
    *inserted = n > 0;
    *id = 0;
    /* session_id */
    if (rc == CL_OK)
        rc = find_id(st, SQL(st)->pc_id, "i", (cl__arg[]){I(session_id)}, id,
                     err);
    if (rc == CL_OK && n)
        rc = audit_id(st, "process_changes", SQL(st)->pc_json, *id,
                      "process_change_recorded", err);
    return rc;
}

cl_err
cl__engw_pc_checkin(cl_store *st, int64_t id, const char *on, const char *note,
                    int *changed, cl_error *err)
{
    int n = 0;
    /* on, note, id */
    cl_err rc = Q(st)->exec(st, &n, err, SQL(st)->pc_checkin, "ssi",
                            (cl__arg[]){S(on), S(note), I(id)});
    *changed = n > 0;
    if (rc == CL_OK && n)
        rc = audit_id(st, "process_changes", SQL(st)->pc_json, id,
                      "process_change_checkin", err);
    return rc;
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
        Q(st)->exec(st, &n, err, SQL(st)->trigger_add, "issddis",
                    (cl__arg[]){I(session_id), S(rule), S(period), D(value),
                                D(threshold), I(fired), S(st->at)});
    *inserted = n > 0;
    if (rc == CL_OK && n) {
        /* rule, period */
        rc = find_id(st, SQL(st)->trigger_id, "ss",
                     (cl__arg[]){S(rule), S(period)}, &id, err);
        if (rc == CL_OK && Q(st)->trigger_audit)
            rc = Q(st)->trigger_audit(st, id, value, threshold, err);
        else if (rc == CL_OK)
            rc = audit_id(st, "triggers", SQL(st)->trigger_json, id,
                          "threshold_evaluated", err);
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
        Q(st)->exec(st, &n, err, SQL(st)->coaching_add, "sisssss",
                    (cl__arg[]){S(ae_id), I(session_id), S(period), S(cause),
                                S(note), S(audience), S(st->at)});
    *inserted = n > 0;
    if (rc == CL_OK && n) {
        /* ae_id, period, cause */
        rc = find_id(st, SQL(st)->coaching_id, "sss",
                     (cl__arg[]){S(ae_id), S(period), S(cause)}, &id, err);
        if (rc == CL_OK)
            rc = audit_id(st, "coaching_items", SQL(st)->coaching_json, id,
                          "coaching_item_created", err);
    }
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
        Q(st)->exec(st, &n, err, SQL(st)->flag_add, "sssssss",
                    (cl__arg[]){S(key), S(subject_kind), S(subject_id), S(flag),
                                S(field), S(reason), S(st->at)});
    *inserted = n > 0;
    if (rc == CL_OK && n)
        rc = Q(st)->audit_row(st, "flags", SQL(st)->flag_json, "key", key,
                              "flag_raised", NULL, err);
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
        cl_err rc = Q(st)->exec(
            st, &n, err, SQL(st)->field_sql[i], "sds",
            (cl__arg[]){S(subject_id), D(value), S(text ? text : "")});
        *changed = n > 0;
        if (rc == CL_OK && n) {
            char action[48];
            snprintf(action, sizeof action, "%s_set", field);
            rc = Q(st)->audit_row(st, fields[i].table, SQL(st)->field_json[i],
                                  "id", subject_id, action, NULL, err);
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
    cl_err rc = Q(st)->exec(
        st, &n, err, SQL(st)->link_add, "ssis",
        (cl__arg[]){S(new_deal_id), S(original_deal_id), I(months), S(st->at)});
    *inserted = n > 0;
    if (rc == CL_OK && n)
        rc = Q(st)->audit_row(st, "recovery_links", SQL(st)->link_json,
                              "new_deal_id", new_deal_id, "recovery_linked",
                              NULL, err);
    return rc;
}
