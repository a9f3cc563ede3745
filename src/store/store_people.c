/*
 * store_people.c - the store calls of managing people (store_people.h),
 * the same SQL on both backends, written once with ?N placeholders.
 */
#include "store_people.h"

#include <stdio.h>
#include <string.h>

#include "store_api.h"
#include "store_engine_int.h"

#define TEXT(r, col) ((r)->vt->text((r), (col)))

typedef struct person_ud {
    cl_store_person_cb cb;
    void *ud;
} person_ud;

static int
person_row(void *ud, const cl__row *r)
{
    person_ud *u = ud;
    cl_store_person p = {
        .id = TEXT(r, 0),
        .name = TEXT(r, 1),
        .email = TEXT(r, 2),
        .role = TEXT(r, 3),
        .manager_id = TEXT(r, 4),
        .team = TEXT(r, 5),
        .has_password = r->vt->integer(r, 6, 0) != 0,
        .deactivated_at = TEXT(r, 7),
        .invite_kind = TEXT(r, 8),
        .invite_expires_at = TEXT(r, 9),
    };
    return u->cb(u->ud, &p);
}

cl_err
cl_store_people_each(cl_store *st, const char *id, cl_store_person_cb cb,
                     void *ud, cl_error *err)
{
    person_ud u = {cb, ud};
    return cl__q_rows(
        st, person_row, &u, err,
        "SELECT u.id, u.name, u.email, u.role, u.manager_id, u.team, "
        "CASE WHEN u.password_hash IS NULL OR u.password_hash = '' THEN 0 "
        "ELSE 1 END, u.deactivated_at, i.kind, i.expires_at FROM users u "
        "LEFT JOIN invites i ON i.workspace_id = u.workspace_id AND "
        "i.user_id = u.id AND i.used_at IS NULL WHERE "
        "u.workspace_id = ?1 AND (?2::text IS NULL OR u.id = ?2::text) "
        "ORDER BY u.name, u.id",
        "s", id);
}

cl_err
cl_store_onetime_add(cl_store *st, const char *user_id, const char *kind,
                     const char *token_hash, const char *expires_at,
                     cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_onetime_add", err);
    if (rc == CL_OK)
        rc = cl__q_exec(st, NULL, err,
                        "DELETE FROM invites WHERE workspace_id = ?1 AND "
                        "user_id = ?2 AND used_at IS NULL",
                        "s", user_id);
    if (rc == CL_OK)
        rc = cl__q_exec(st, NULL, err,
                        "INSERT INTO invites (workspace_id, token_hash, "
                        "user_id, kind, created_at, expires_at) VALUES (?1, "
                        "?2, ?3, ?4, ?5, ?6)",
                        "sssss", token_hash, user_id, kind, st->at, expires_at);
    if (rc != CL_OK)
        return rc;
    char js[160];
    snprintf(js, sizeof js, "{\"kind\":\"%s\",\"expires_at\":\"%s\"}",
             strcmp(kind, "reset") == 0 ? "reset" : "invite", expires_at);
    return cl_store_audit(st, "users", user_id,
                          strcmp(kind, "reset") == 0 ? "reset_sent"
                                                     : "invite_sent",
                          NULL, js, err);
}

static void
copy(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src ? src : "");
}

typedef struct link_ud {
    cl_store_onetime *out;
    int *found;
} link_ud;

static int
link_row(void *ud, const cl__row *r)
{
    link_ud *u = ud;
    copy(u->out->user_id, sizeof u->out->user_id, TEXT(r, 0));
    copy(u->out->kind, sizeof u->out->kind, TEXT(r, 1));
    copy(u->out->expires_at, sizeof u->out->expires_at, TEXT(r, 2));
    copy(u->out->used_at, sizeof u->out->used_at, TEXT(r, 3));
    *u->found = 1;
    return 1;
}

cl_err
cl_store_onetime_get(cl_store *st, const char *token_hash,
                     cl_store_onetime *out, int *found, cl_error *err)
{
    link_ud u = {out, found};
    *found = 0;
    memset(out, 0, sizeof *out);
    return cl__q_rows(st, link_row, &u, err,
                      "SELECT user_id, kind, expires_at, used_at FROM "
                      "invites WHERE workspace_id = ?1 AND token_hash = ?2",
                      "s", token_hash);
}

cl_err
cl_store_onetime_use(cl_store *st, const char *token_hash, int *changed,
                     cl_error *err)
{
    *changed = 0;
    cl_err rc = cl__store_need_tx(st, "cl_store_onetime_use", err);
    if (rc != CL_OK)
        return rc;
    return cl__q_exec(st, changed, err,
                      "UPDATE invites SET used_at = ?3 WHERE workspace_id = "
                      "?1 AND token_hash = ?2 AND used_at IS NULL",
                      "ss", token_hash, st->at);
}

cl_err
cl_store_user_active_set(cl_store *st, const char *user_id, int active,
                         int *changed, int *revoked, cl_error *err)
{
    *changed = 0;
    if (revoked)
        *revoked = 0;
    cl_err rc = cl__store_need_tx(st, "cl_store_user_active_set", err);
    if (rc != CL_OK)
        return rc;
    rc = active ? cl__q_exec(st, changed, err,
                             "UPDATE users SET deactivated_at = NULL WHERE "
                             "workspace_id = ?1 AND id = ?2 AND "
                             "deactivated_at IS NOT NULL",
                             "s", user_id)
                : cl__q_exec(st, changed, err,
                             "UPDATE users SET deactivated_at = ?3 WHERE "
                             "workspace_id = ?1 AND id = ?2 AND "
                             "deactivated_at IS NULL",
                             "ss", user_id, st->at);
    if (rc != CL_OK || *changed == 0)
        return rc;
    if (!active) {
        /* Whatever the user could sign in with ends now, not at its
           expiry: a departed colleague's laptop keeps no way in. */
        rc = cl_store_websessions_end(st, user_id, NULL, err);
        if (rc == CL_OK)
            rc = cl_store_tokens_revoke_all(st, user_id, revoked, err);
        if (rc == CL_OK)
            rc = cl__q_exec(st, NULL, err,
                            "DELETE FROM invites WHERE workspace_id = ?1 AND "
                            "user_id = ?2 AND used_at IS NULL",
                            "s", user_id);
    }
    if (rc != CL_OK)
        return rc;
    char js[64];
    snprintf(js, sizeof js, "{\"active\":%s}", active ? "true" : "false");
    return cl_store_audit(st, "users", user_id,
                          active ? "activate" : "deactivate", NULL, js, err);
}
