/*
 * store_api_sql.c - the server's store calls (store_api.h) that are the
 * same SQL on both backends, written once with ?N placeholders and run
 * through the backend's query primitives (cl_store_ops, store_sql.c).
 * store_api.c calls them; what differs (the record lists, the settings
 * whose audit JSON a backend renders) stays in the backends' api ops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_engine_int.h"

#define TEXT(r, col) ((r)->vt->text((r), (col)))

cl_err
cl__store_need_tx(cl_store *st, const char *what, cl_error *err)
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

/* ---- users' credentials ------------------------------------------------- */

typedef struct login_ud {
    cl_store_login *out;
    int *found;
} login_ud;

static int
login_row(void *ud, const cl__row *r)
{
    login_ud *u = ud;
    copy(u->out->id, sizeof u->out->id, TEXT(r, 0));
    copy(u->out->name, sizeof u->out->name, TEXT(r, 1));
    copy(u->out->email, sizeof u->out->email, TEXT(r, 2));
    copy(u->out->role, sizeof u->out->role, TEXT(r, 3));
    copy(u->out->manager_id, sizeof u->out->manager_id, TEXT(r, 4));
    copy(u->out->password_hash, sizeof u->out->password_hash, TEXT(r, 5));
    u->out->deactivated = TEXT(r, 6) != NULL;
    *u->found = 1;
    return 1;
}

cl_err
cl__api_login_get(cl_store *st, const char *key, int by_email,
                  cl_store_login *out, int *found, cl_error *err)
{
    login_ud u = {out, found};
    *found = 0;
    memset(out, 0, sizeof *out);
    return cl__q_rows(st, login_row, &u, err,
                      by_email ? CL__DIALECT(st)->login_by_email
                               : "SELECT id, name, email, role, manager_id, "
                                 "password_hash, deactivated_at FROM users "
                                 "WHERE workspace_id = ?1 AND id = ?2",
                      "s", key);
}

cl_err
cl__api_password_set(cl_store *st, const char *user_id, const char *hash,
                     int *found, cl_error *err)
{
    int n = 0;
    cl_err rc = cl__store_need_tx(st, "cl_store_password_set", err);
    *found = 0;
    if (rc != CL_OK)
        return rc;
    rc = cl__q_exec(st, &n, err,
                    "UPDATE users SET password_hash = ?3 WHERE "
                    "workspace_id = ?1 AND id = ?2",
                    "ss", user_id, hash);
    if (rc != CL_OK || n == 0)
        return rc;
    *found = 1;
    /* The audit says that it changed, never what it changed to. */
    return cl__engw_audit(st, "users", user_id, "password_set", NULL, NULL,
                          err);
}

/* ---- API tokens --------------------------------------------------------- */

cl_err
cl__api_token_add(cl_store *st, const char *id, const char *user_id,
                  const char *token_hash, cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_token_add", err);
    if (rc != CL_OK)
        return rc;
    rc = cl__q_exec(st, NULL, err,
                    "INSERT INTO api_tokens (workspace_id, id, user_id, "
                    "token_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    "ssss", id, user_id, token_hash, st->at);
    if (rc != CL_OK)
        return rc;
    char *js = cl__store_token_json(id, user_id);
    if (js == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    rc = cl__engw_audit(st, "api_tokens", id, "token_create", NULL, js, err);
    free(js);
    return rc;
}

cl_err
cl__api_token_revoke(cl_store *st, const char *id, int *changed, cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_token_revoke", err);
    *changed = 0;
    if (rc != CL_OK)
        return rc;
    rc = cl__q_exec(st, changed, err,
                    "UPDATE api_tokens SET revoked_at = ?3 WHERE "
                    "workspace_id = ?1 AND id = ?2 AND revoked_at IS NULL",
                    "ss", id, st->at);
    if (rc != CL_OK || *changed == 0)
        return rc;
    return cl__engw_audit(st, "api_tokens", id, "token_revoke", NULL, NULL,
                          err);
}

typedef struct str_ud {
    char *a, *b;
    int *found;
} str_ud;

static int
str_row(void *ud, const cl__row *r)
{
    str_ud *u = ud;
    copy(u->a, 72, TEXT(r, 0));
    if (u->b)
        copy(u->b, 72, TEXT(r, 1));
    *u->found = 1;
    return 1;
}

cl_err
cl__api_token_user(cl_store *st, const char *token_hash, char *user_id,
                   int *found, cl_error *err)
{
    str_ud u = {user_id, NULL, found};
    *found = 0;
    return cl__q_rows(st, str_row, &u, err,
                      "SELECT user_id FROM api_tokens WHERE workspace_id = "
                      "?1 AND token_hash = ?2 AND revoked_at IS NULL",
                      "s", token_hash);
}

typedef struct token_ud {
    cl_store_token_cb cb;
    void *ud;
} token_ud;

static int
token_row(void *ud, const cl__row *r)
{
    token_ud *u = ud;
    cl_store_token_row t = {
        .id = TEXT(r, 0),
        .user_id = TEXT(r, 1),
        .created_at = TEXT(r, 2),
        .revoked_at = TEXT(r, 3),
    };
    return u->cb(u->ud, &t);
}

cl_err
cl__api_tokens_each(cl_store *st, const char *user_id, const char *id,
                    cl_store_token_cb cb, void *ud, cl_error *err)
{
    token_ud u = {cb, ud};
    return cl__q_rows(st, token_row, &u, err,
                      "SELECT id, user_id, created_at, revoked_at FROM "
                      "api_tokens WHERE workspace_id = ?1 AND (?2::text IS "
                      "NULL OR user_id = ?2::text) AND (?3::text IS NULL OR "
                      "id = ?3::text) ORDER BY created_at, id",
                      "ss", user_id, id);
}

/* ---- browser sessions --------------------------------------------------- */

cl_err
cl__api_websession_add(cl_store *st, const char *token_hash,
                       const char *user_id, const char *csrf,
                       const char *expires_at, cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_websession_add", err);
    if (rc != CL_OK)
        return rc;
    /* Expired sessions go when a new one starts: no sweeper thread. */
    rc = cl__q_exec(st, NULL, err,
                    "DELETE FROM web_sessions WHERE workspace_id = ?1 AND "
                    "expires_at < ?2",
                    "s", st->at);
    if (rc != CL_OK)
        return rc;
    return cl__q_exec(st, NULL, err,
                      "INSERT INTO web_sessions (workspace_id, token_hash, "
                      "user_id, csrf, created_at, expires_at) VALUES (?1, "
                      "?2, ?3, ?4, ?5, ?6)",
                      "sssss", token_hash, user_id, csrf, st->at, expires_at);
}

cl_err
cl__api_websession_get(cl_store *st, const char *token_hash, const char *now,
                       char *user_id, char *csrf, int *found, cl_error *err)
{
    str_ud u = {user_id, csrf, found};
    *found = 0;
    return cl__q_rows(st, str_row, &u, err,
                      "SELECT user_id, csrf FROM web_sessions WHERE "
                      "workspace_id = ?1 AND token_hash = ?2 AND "
                      "expires_at > ?3",
                      "ss", token_hash, now);
}

cl_err
cl__api_websession_delete(cl_store *st, const char *token_hash, cl_error *err)
{
    return cl__q_exec(st, NULL, err,
                      "DELETE FROM web_sessions WHERE workspace_id = ?1 AND "
                      "token_hash = ?2",
                      "s", token_hash);
}

cl_err
cl__api_websessions_end(cl_store *st, const char *user_id,
                        const char *keep_hash, cl_error *err)
{
    return cl__q_exec(st, NULL, err,
                      "DELETE FROM web_sessions WHERE workspace_id = ?1 AND "
                      "user_id = ?2::text AND (?3::text IS NULL OR "
                      "token_hash <> ?3::text)",
                      "ss", user_id, keep_hash);
}

/* ---- the in-app inbox --------------------------------------------------- */

typedef struct inbox_ud {
    cl_store_inbox_cb cb;
    void *ud;
} inbox_ud;

static int
inbox_row(void *ud, const cl__row *r)
{
    inbox_ud *u = ud;
    cl_store_inbox_row x = {
        .id = r->vt->integer(r, 0, 0),
        .kind = TEXT(r, 1),
        .subject = TEXT(r, 2),
        .body = TEXT(r, 3),
        .created_at = TEXT(r, 4),
        .read_at = TEXT(r, 5),
        .subject_kind = TEXT(r, 6),
        .subject_id = TEXT(r, 7),
    };
    return u->cb(u->ud, &x);
}

cl_err
cl__api_inbox_each(cl_store *st, const char *recipient_id, int64_t id,
                   cl_store_inbox_cb cb, void *ud, cl_error *err)
{
    inbox_ud u = {cb, ud};
    return cl__q_rows(st, inbox_row, &u, err,
                      "SELECT id, kind, subject, body, created_at, read_at, "
                      "subject_kind, subject_id FROM outbox WHERE "
                      "workspace_id = ?1 AND recipient_id = ?2 AND channel "
                      "= 'inbox' AND (?3 = 0 OR id = ?3) ORDER BY id DESC",
                      "si", recipient_id, id);
}

cl_err
cl__api_inbox_read(cl_store *st, const char *recipient_id, int64_t id,
                   const char *at, int *changed, cl_error *err)
{
    *changed = 0;
    return cl__q_exec(st, changed, err,
                      "UPDATE outbox SET read_at = ?4 WHERE workspace_id = "
                      "?1 AND recipient_id = ?2 AND (?3 = 0 OR id = ?3) AND "
                      "channel = 'inbox' AND read_at IS NULL",
                      "sis", recipient_id, id, at);
}
