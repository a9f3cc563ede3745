/*
 * store_sqlite_api.c - the server's store calls (store_api.h) on SQLite.
 *
 * store_api.c dispatches to these through the backend's api ops
 * (store_int.h); the PostgreSQL backend has its own in store_pg_api.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_api.h"
#include "store_sqlite_int.h"

static cl_err
need_sqlite(cl_store *st, cl_error *err)
{
    (void)st;
    (void)err;
    return CL_OK; /* dispatched here by the sqlite ops only */
}

static cl_err
need_tx(cl_store *st, const char *what, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL, "%s outside a transaction", what);
    return CL_OK;
}

static void
copy(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src ? src : "");
}

/* ---- pages of records ----------------------------------------------------*/

/* needle, ASCII letters folded to lower case, into buf (len bytes). */
static void
ascii_lower(char *buf, size_t len, const char *needle)
{
    size_t i = 0;
    for (; needle[i] && i + 1 < len; i++)
        buf[i] = needle[i] >= 'A' && needle[i] <= 'Z'
                     ? (char)(needle[i] - 'A' + 'a')
                     : needle[i];
    buf[i] = '\0';
}

static cl_err
sq_api_list(cl_store *st, cl_kind kind, const cl_store_list_req *req,
            cl_store_row_cb cb, void *ud, int64_t *total, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(kind);
    char where[2048], sql[4096], needle[512];
    size_t wl = 0;
    sqlite3_stmt *q = NULL;
    cl_err rc;

    if ((rc = need_sqlite(st, err)) != CL_OK)
        return rc;
    if (def == NULL || req->nfilters > 16)
        return cl_error_set(err, CL_EINVAL, "bad list request");
    if (req->after && def->nkey != 1)
        return cl_error_set(err, CL_EINVAL, "%s: no keyset pages", def->name);
    sq_store *s = (sq_store *)st;
    const cl_store_filter *filters = req->filters;
    size_t nfilters = req->nfilters;
    int search = req->search && req->search[0];
    where[0] = '\0';
    for (size_t i = 0; i < nfilters; i++) {
        /* Column names come from the record table, never from the
           request, so the SQL text is built only from known names. */
        int f = cl_kind_field_index(def, filters[i].field);
        if (f < 0)
            return cl_error_set(err, CL_EINVAL, "%s: no field '%s'", def->name,
                                filters[i].field);
        wl += (size_t)snprintf(where + wl, sizeof where - wl,
                               filters[i].value ? " AND \"%s\" = ?%zu"
                                                : " AND \"%s\" IS ?%zu",
                               def->fields[f].name, i + 2);
    }
    if (search) {
        /* instr, not LIKE: the text is literal (no % or _ wildcards), and
           lower() folds ASCII only, as the PostgreSQL twin does. */
        ascii_lower(needle, sizeof needle, req->search);
        int nf = cl_kind_field_index(def, "name");
        wl += (size_t)snprintf(where + wl, sizeof where - wl,
                               " AND (instr(lower(\"%s\"), ?%zu) > 0",
                               def->fields[0].name, nfilters + 2);
        if (nf > 0)
            wl += (size_t)snprintf(where + wl, sizeof where - wl,
                                   " OR instr(lower(\"%s\"), ?%zu) > 0",
                                   def->fields[nf].name, nfilters + 2);
        wl += (size_t)snprintf(where + wl, sizeof where - wl, ")");
    }
    const char *cols = cl__sq_columns(s, kind);
    if (cols == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    char order[256];
    size_t ol = 0;
    order[0] = '\0';
    for (size_t i = 0; i < def->nkey; i++)
        /* The store keeps the planner's statistics (store_sqlite.c), so a
           filter's index is sought, and it yields key order itself: the
           table's key ends every index of a WITHOUT ROWID table. */
        ol += (size_t)snprintf(order + ol, sizeof order - ol, "%s\"%s\"",
                               i ? ", " : "", def->fields[i].name);

    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0 && !total)
            continue;
        if (pass == 0)
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM \"%s\" WHERE workspace_id = ?1%s",
                     def->table, where);
        else
            snprintf(sql, sizeof sql,
                     "SELECT %s FROM \"%s\" WHERE workspace_id = ?1%s%s%s%s "
                     "ORDER BY %s LIMIT ?20 OFFSET ?21",
                     cols, def->table, where, req->after ? " AND \"" : "",
                     req->after ? def->fields[0].name : "",
                     req->after ? "\" > ?19" : "", order);
        /* Limits are parameters, so the cached statement serves every
           page of the same list. */
        if (cl__sq_stmt(s, sql, &q, err) != CL_OK)
            return CL_EDB;
        sqlite3_bind_int64(q, 1, st->workspace_id);
        if (pass == 1) {
            sqlite3_bind_int64(q, 20, req->limit);
            sqlite3_bind_int64(q, 21, req->offset < 0 ? 0 : req->offset);
        }
        for (size_t i = 0; i < nfilters; i++)
            if (filters[i].value)
                sqlite3_bind_text(q, (int)i + 2, filters[i].value, -1,
                                  SQLITE_STATIC);
        if (search)
            sqlite3_bind_text(q, (int)nfilters + 2, needle, -1, SQLITE_STATIC);
        if (pass == 1 && req->after)
            sqlite3_bind_text(q, 19, req->after, -1, SQLITE_STATIC);
        int src;
        cl_value row[32];
        while ((src = sqlite3_step(q)) == SQLITE_ROW) {
            if (pass == 0) {
                *total = sqlite3_column_int64(q, 0);
                continue;
            }
            cl__sq_read_row(q, def, 0, row);
            if (cb(ud, row))
                break;
        }
        if (src != SQLITE_ROW && src != SQLITE_DONE) {
            rc = cl_error_set(err, CL_EDB, "%s: list: %s", def->table,
                              sqlite3_errmsg(s->db));
            cl__sq_stmt_done(s, q);
            return rc;
        }
        cl__sq_stmt_done(s, q);
    }
    return CL_OK;
}

void
cl_store_threaded(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int
one_int64(void *ud, sqlite3_stmt *row)
{
    *(int64_t *)ud = sqlite3_column_int64(row, 0);
    return 1;
}

static cl_err
sq_api_audit_high_water(cl_store *st, int64_t *id, cl_error *err)
{
    cl_err rc = need_sqlite(st, err);
    *id = 0;
    if (rc != CL_OK)
        return rc;
    return cl__sq_rows((sq_store *)st, one_int64, id, err,
                       "SELECT coalesce(max(id), 0) FROM audit "
                       "WHERE workspace_id = ?1",
                       "");
}

/* ---- users' credentials ----------------------------------------------------
 */

typedef struct login_ud {
    cl_store_login *out;
    int *found;
} login_ud;

static int
login_row(void *ud, sqlite3_stmt *row)
{
    login_ud *u = ud;
    copy(u->out->id, sizeof u->out->id, cl__sq_text(row, 0));
    copy(u->out->name, sizeof u->out->name, cl__sq_text(row, 1));
    copy(u->out->email, sizeof u->out->email, cl__sq_text(row, 2));
    copy(u->out->role, sizeof u->out->role, cl__sq_text(row, 3));
    copy(u->out->manager_id, sizeof u->out->manager_id, cl__sq_text(row, 4));
    copy(u->out->password_hash, sizeof u->out->password_hash,
         cl__sq_text(row, 5));
    *u->found = 1;
    return 1;
}

static cl_err
sq_api_login_get(cl_store *st, const char *key, int by_email,
                 cl_store_login *out, int *found, cl_error *err)
{
    cl_err rc = need_sqlite(st, err);
    login_ud u = {out, found};
    *found = 0;
    memset(out, 0, sizeof *out);
    if (rc != CL_OK)
        return rc;
    return cl__sq_rows((sq_store *)st, login_row, &u, err,
                       by_email ? "SELECT id, name, email, role, manager_id, "
                                  "password_hash FROM users WHERE "
                                  "workspace_id = ?1 AND email = ?2 "
                                  "COLLATE NOCASE ORDER BY id LIMIT 1"
                                : "SELECT id, name, email, role, manager_id, "
                                  "password_hash FROM users WHERE "
                                  "workspace_id = ?1 AND id = ?2",
                       "s", key);
}

static cl_err
sq_api_password_set(cl_store *st, const char *user_id, const char *hash,
                    int *found, cl_error *err)
{
    int n = 0;
    cl_err rc = need_tx(st, "cl_store_password_set", err);
    *found = 0;
    if (rc != CL_OK)
        return rc;
    rc = cl__sq_exec((sq_store *)st, &n, err,
                     "UPDATE users SET password_hash = ?3 WHERE "
                     "workspace_id = ?1 AND id = ?2",
                     "ss", user_id, hash);
    if (rc != CL_OK || n == 0)
        return rc;
    *found = 1;
    /* The audit says that it changed, never what it changed to. */
    return cl__sqw_audit(st, "users", user_id, "password_set", NULL, NULL, err);
}

/* ---- API tokens ------------------------------------------------------------
 */

static cl_err
sq_api_token_add(cl_store *st, const char *id, const char *user_id,
                 const char *token_hash, cl_error *err)
{
    cl_err rc = need_tx(st, "cl_store_token_add", err);
    if (rc != CL_OK)
        return rc;
    rc = cl__sq_exec((sq_store *)st, NULL, err,
                     "INSERT INTO api_tokens (workspace_id, id, user_id, "
                     "token_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                     "ssss", id, user_id, token_hash, st->at);
    if (rc != CL_OK)
        return rc;
    char *js = cl__store_token_json(id, user_id);
    if (js == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    rc = cl__sqw_audit(st, "api_tokens", id, "token_create", NULL, js, err);
    free(js);
    return rc;
}

static cl_err
sq_api_token_revoke(cl_store *st, const char *id, int *changed, cl_error *err)
{
    cl_err rc = need_tx(st, "cl_store_token_revoke", err);
    *changed = 0;
    if (rc != CL_OK)
        return rc;
    rc = cl__sq_exec((sq_store *)st, changed, err,
                     "UPDATE api_tokens SET revoked_at = ?3 WHERE "
                     "workspace_id = ?1 AND id = ?2 AND revoked_at IS NULL",
                     "ss", id, st->at);
    if (rc != CL_OK || *changed == 0)
        return rc;
    return cl__sqw_audit(st, "api_tokens", id, "token_revoke", NULL, NULL, err);
}

typedef struct str_ud {
    char *a, *b;
    int *found;
} str_ud;

static int
str_row(void *ud, sqlite3_stmt *row)
{
    str_ud *u = ud;
    copy(u->a, 72, cl__sq_text(row, 0));
    if (u->b)
        copy(u->b, 72, cl__sq_text(row, 1));
    *u->found = 1;
    return 1;
}

static cl_err
sq_api_token_user(cl_store *st, const char *token_hash, char *user_id,
                  int *found, cl_error *err)
{
    cl_err rc = need_sqlite(st, err);
    str_ud u = {user_id, NULL, found};
    *found = 0;
    if (rc != CL_OK)
        return rc;
    return cl__sq_rows((sq_store *)st, str_row, &u, err,
                       "SELECT user_id FROM api_tokens WHERE workspace_id = "
                       "?1 AND token_hash = ?2 AND revoked_at IS NULL",
                       "s", token_hash);
}

/* ---- browser sessions ------------------------------------------------------
 */

static cl_err
sq_api_websession_add(cl_store *st, const char *token_hash, const char *user_id,
                      const char *csrf, const char *expires_at, cl_error *err)
{
    cl_err rc = need_tx(st, "cl_store_websession_add", err);
    if (rc != CL_OK)
        return rc;
    /* Expired sessions go when a new one starts: no sweeper thread. */
    rc = cl__sq_exec((sq_store *)st, NULL, err,
                     "DELETE FROM web_sessions WHERE workspace_id = ?1 AND "
                     "expires_at < ?2",
                     "s", st->at);
    if (rc != CL_OK)
        return rc;
    return cl__sq_exec((sq_store *)st, NULL, err,
                       "INSERT INTO web_sessions (workspace_id, token_hash, "
                       "user_id, csrf, created_at, expires_at) VALUES (?1, "
                       "?2, ?3, ?4, ?5, ?6)",
                       "sssss", token_hash, user_id, csrf, st->at, expires_at);
}

static cl_err
sq_api_websession_get(cl_store *st, const char *token_hash, const char *now,
                      char *user_id, char *csrf, int *found, cl_error *err)
{
    cl_err rc = need_sqlite(st, err);
    str_ud u = {user_id, csrf, found};
    *found = 0;
    if (rc != CL_OK)
        return rc;
    return cl__sq_rows((sq_store *)st, str_row, &u, err,
                       "SELECT user_id, csrf FROM web_sessions WHERE "
                       "workspace_id = ?1 AND token_hash = ?2 AND "
                       "expires_at > ?3",
                       "ss", token_hash, now);
}

static cl_err
sq_api_websession_delete(cl_store *st, const char *token_hash, cl_error *err)
{
    cl_err rc = need_sqlite(st, err);
    if (rc != CL_OK)
        return rc;
    return cl__sq_exec((sq_store *)st, NULL, err,
                       "DELETE FROM web_sessions WHERE workspace_id = ?1 AND "
                       "token_hash = ?2",
                       "s", token_hash);
}

/* ---- the in-app inbox ------------------------------------------------------
 */

typedef struct inbox_ud {
    cl_store_inbox_cb cb;
    void *ud;
} inbox_ud;

static int
inbox_row(void *ud, sqlite3_stmt *row)
{
    inbox_ud *u = ud;
    cl_store_inbox_row r = {
        .id = sqlite3_column_int64(row, 0),
        .kind = cl__sq_text(row, 1),
        .subject = cl__sq_text(row, 2),
        .body = cl__sq_text(row, 3),
        .created_at = cl__sq_text(row, 4),
        .read_at = cl__sq_text(row, 5),
        .subject_kind = cl__sq_text(row, 6),
        .subject_id = cl__sq_text(row, 7),
    };
    return u->cb(u->ud, &r);
}

static cl_err
sq_api_inbox_each(cl_store *st, const char *recipient_id, int64_t id,
                  cl_store_inbox_cb cb, void *ud, cl_error *err)
{
    cl_err rc = need_sqlite(st, err);
    inbox_ud u = {cb, ud};
    if (rc != CL_OK)
        return rc;
    return cl__sq_rows((sq_store *)st, inbox_row, &u, err,
                       "SELECT id, kind, subject, body, created_at, read_at, "
                       "subject_kind, subject_id FROM outbox WHERE "
                       "workspace_id = ?1 AND recipient_id = ?2 AND channel "
                       "= 'inbox' AND (?3 = 0 OR id = ?3) ORDER BY id DESC",
                       "si", recipient_id, id);
}

static cl_err
sq_api_inbox_read(cl_store *st, const char *recipient_id, int64_t id,
                  const char *at, int *changed, cl_error *err)
{
    cl_err rc = need_sqlite(st, err);
    *changed = 0;
    if (rc != CL_OK)
        return rc;
    return cl__sq_exec((sq_store *)st, changed, err,
                       "UPDATE outbox SET read_at = ?4 WHERE workspace_id = "
                       "?1 AND recipient_id = ?2 AND (?3 = 0 OR id = ?3) AND "
                       "channel = 'inbox' AND read_at IS NULL",
                       "sis", recipient_id, id, at);
}

/* ---- settings --------------------------------------------------------------
 */

static const char cause_json[] =
    "json_object('code', code, 'label', label, 'definition', definition)";

typedef struct old_ud {
    char *json;
} old_ud;

static int
old_row(void *ud, sqlite3_stmt *row)
{
    old_ud *u = ud;
    const char *t = cl__sq_text(row, 0);
    u->json = t ? strdup(t) : NULL;
    return 1;
}

static cl_err
sq_api_cause_set(cl_store *st, const char *code, const char *label,
                 const char *definition, int *found, cl_error *err)
{
    cl_err rc = need_tx(st, "cl_store_cause_set", err);
    old_ud old = {NULL};
    int n = 0;
    *found = 0;
    if (rc != CL_OK)
        return rc;
    sq_store *s = (sq_store *)st;
    rc = cl__sq_rows(s, old_row, &old, err,
                     "SELECT json_object('code', code, 'label', label, "
                     "'definition', definition) FROM taxonomy WHERE "
                     "workspace_id = ?1 AND code = ?2",
                     "s", code);
    if (rc == CL_OK)
        rc = cl__sq_exec(s, &n, err,
                         "UPDATE taxonomy SET label = coalesce(?3, label), "
                         "definition = coalesce(?4, definition) WHERE "
                         "workspace_id = ?1 AND code = ?2",
                         "sss", code, label, definition);
    if (rc == CL_OK && n > 0) {
        *found = 1;
        rc = cl__sq_audit_row(s, "taxonomy", cause_json, "code", code, "update",
                              old.json, err);
    }
    free(old.json);
    return rc;
}

static cl_err
sq_api_threshold_set(cl_store *st, const char *key, double value, int *found,
                     cl_error *err)
{
    cl_err rc = need_tx(st, "cl_store_threshold_set", err);
    old_ud old = {NULL};
    int n = 0;
    *found = 0;
    if (rc != CL_OK)
        return rc;
    sq_store *s = (sq_store *)st;
    rc = cl__sq_rows(s, old_row, &old, err,
                     "SELECT json_object('key', key, 'value', value) FROM "
                     "thresholds WHERE workspace_id = ?1 AND key = ?2",
                     "s", key);
    if (rc == CL_OK)
        rc = cl__sq_exec(s, &n, err,
                         "UPDATE thresholds SET value = ?3 WHERE "
                         "workspace_id = ?1 AND key = ?2",
                         "sd", key, value);
    if (rc == CL_OK && n > 0) {
        *found = 1;
        rc = cl__sq_audit_row(s, "thresholds",
                              "json_object('key', key, 'value', value)", "key",
                              key, "update", old.json, err);
    }
    free(old.json);
    return rc;
}

/* ---- administration ------------------------------------------------------
 */

static cl_err
sq_api_websessions_end(cl_store *st, const char *user_id,
                       const char *keep_hash, cl_error *err)
{
    return cl__sq_exec((sq_store *)st, NULL, err,
                       "DELETE FROM web_sessions WHERE workspace_id = ?1 AND "
                       "user_id = ?2 AND (?3 IS NULL OR token_hash <> ?3)",
                       "ss", user_id, keep_hash);
}

typedef struct token_ud {
    cl_store_token_cb cb;
    void *ud;
} token_ud;

static int
token_row(void *ud, sqlite3_stmt *row)
{
    token_ud *u = ud;
    cl_store_token_row t = {
        .id = cl__sq_text(row, 0),
        .user_id = cl__sq_text(row, 1),
        .created_at = cl__sq_text(row, 2),
        .revoked_at = cl__sq_text(row, 3),
    };
    return u->cb(u->ud, &t);
}

static cl_err
sq_api_tokens_each(cl_store *st, const char *user_id, const char *id,
                   cl_store_token_cb cb, void *ud, cl_error *err)
{
    token_ud u = {cb, ud};
    return cl__sq_rows((sq_store *)st, token_row, &u, err,
                       "SELECT id, user_id, created_at, revoked_at FROM "
                       "api_tokens WHERE workspace_id = ?1 AND (?2 IS NULL "
                       "OR user_id = ?2) AND (?3 IS NULL OR id = ?3) "
                       "ORDER BY created_at, id",
                       "ss", user_id, id);
}

static cl_err
sq_api_holiday_delete(cl_store *st, const char *on, int *found, cl_error *err)
{
    cl_err rc = need_tx(st, "cl_store_holiday_delete", err);
    old_ud old = {NULL};
    int n = 0;
    *found = 0;
    if (rc != CL_OK)
        return rc;
    sq_store *s = (sq_store *)st;
    /* The old row as cl_store_put writes a holiday's audit JSON. */
    rc = cl__sq_rows(s, old_row, &old, err,
                     "SELECT json_object('on', \"on\", 'name', name) FROM "
                     "holidays WHERE workspace_id = ?1 AND \"on\" = ?2",
                     "s", on);
    if (rc == CL_OK && old.json)
        rc = cl__sq_exec(s, &n, err,
                         "DELETE FROM holidays WHERE workspace_id = ?1 AND "
                         "\"on\" = ?2",
                         "s", on);
    if (rc == CL_OK && n > 0) {
        *found = 1;
        rc = cl__sqw_audit(st, "holidays", on, "delete", old.json, NULL, err);
    }
    free(old.json);
    return rc;
}

const cl_store_api_ops cl__sqlite_api_ops = {
    .list = sq_api_list,
    .audit_high_water = sq_api_audit_high_water,
    .login_get = sq_api_login_get,
    .password_set = sq_api_password_set,
    .token_add = sq_api_token_add,
    .token_revoke = sq_api_token_revoke,
    .token_user = sq_api_token_user,
    .websession_add = sq_api_websession_add,
    .websession_get = sq_api_websession_get,
    .websession_delete = sq_api_websession_delete,
    .inbox_each = sq_api_inbox_each,
    .inbox_read = sq_api_inbox_read,
    .cause_set = sq_api_cause_set,
    .threshold_set = sq_api_threshold_set,
    .websessions_end = sq_api_websessions_end,
    .tokens_each = sq_api_tokens_each,
    .holiday_delete = sq_api_holiday_delete,
};
