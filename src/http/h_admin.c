/*
 * h_admin.c - accounts and credentials, and deleting a holiday:
 *   POST   /api/v1/me/password           change one's own password
 *   POST   /api/v1/users/{id}/password   set another user's password
 *   GET    /api/v1/tokens                API tokens (own; user admins: all)
 *   POST   /api/v1/tokens                create one; the secret shown once
 *   POST   /api/v1/tokens/{id}/revoke    revoke one
 *   DELETE /api/v1/holidays/{id}         delete a holiday (by date)
 *
 * Who may administer other users is cl_vis_may(CL_VA_USERS) in
 * core/visibility.c, for passwords and tokens alike: a token acts as its
 * user, so whoever may mint one for another user may as well set their
 * password.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../core/people.h"
#include "../engine/engine_password.h"
#include "../store/store_api.h"
#include "http_int.h"

void cl__http_sha256_hex(const char *secret, char out[65]);

/* Queues the 400 when pw is no acceptable new password (the one rule of
   core/people.h); 1 when it is. */
static int
new_password_ok(cl_http_req *r, const char *pw, enum MHD_Result *done)
{
    const char *why = cl_people_password_check(pw);
    if (why)
        *done = cl_http_error(r, 400, "invalid", "new_password", "%s", why);
    return why == NULL;
}

/* The hash of the caller's session cookie (to keep that session), or
   NULL when the caller came with a bearer token. */
static const char *
own_session(cl_http_req *r, char hash[65])
{
    const char *cookie =
        MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "cl_session");
    if (!r->via_cookie || !cookie || !*cookie)
        return NULL;
    cl__http_sha256_hex(cookie, hash);
    return hash;
}

/*
 * Stores pw (hashed) as user_id's password, ends that user's browser
 * sessions but keep_hash and revokes their API tokens, in one
 * transaction; queues the reply.
 */
static enum MHD_Result
store_password(cl_http_req *r, const char *user_id, const char *pw,
               const char *keep_hash)
{
    char hash[CL_ENGINE_PASSWORD_HASH_MAX];
    cl_error err;
    int found = 0;
    cl_error_clear(&err);
    if (cl_engine_password_hash(pw, hash) != 0)
        return cl_http_error(r, 500, "internal", NULL,
                             "cannot hash the password (out of memory)");
    cl_err e = cl_store_begin(r->st, r->user_id, r->now, &err);
    /* Whoever knew the old password may hold a session or a token: end
       the sessions but the one that made the change, revoke the tokens
       (the caller's own bearer token too: it may be the stolen one). */
    if (e == CL_OK)
        e = cl_store_password_change(r->st, user_id, hash, keep_hash, &found,
                                     NULL, &err);
    if (e == CL_OK && found)
        e = cl_store_commit(r->st, &err);
    if (e != CL_OK || !found) {
        cl_store_rollback(r->st);
        if (e != CL_OK)
            return cl_http_fail(r, e, &err);
        return cl_http_error(r, 404, "not_found", NULL, "no user '%s'",
                             user_id);
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    return cl_http_queue(r, 204, resp, 0);
}

enum MHD_Result
cl__h_password_me(cl_http_req *r)
{
    static const cl_jfield fields[] = {{"current_password", CL_J_STRING, 1},
                                       {"new_password", CL_J_STRING, 1}};
    enum MHD_Result done;
    json_t *body = cl_http_body(r, fields, 2, &done);
    if (!body)
        return done;
    const char *cur = cl_http_jstr(body, "current_password");
    const char *pw = cl_http_jstr(body, "new_password");
    if (!new_password_ok(r, pw, &done)) {
        json_decref(body);
        return done;
    }
    /* A stolen session must not become a way to guess the password: the
       sign-in rate limit counts these failures too. */
    char bucket[96];
    snprintf(bucket, sizeof bucket, "pw:%s", r->user_id);
    if (cl__http_login_blocked(r->email, bucket, r->now) > 0) {
        json_decref(body);
        return cl_http_error(r, 429, "rate_limited", "current_password",
                             "too many wrong passwords; try again later");
    }
    cl_store_login u;
    cl_error err;
    int found = 0;
    cl_error_clear(&err);
    cl_err e = cl_store_login_get(r->st, r->user_id, 0, &u, &found, &err);
    if (e != CL_OK) {
        json_decref(body);
        return cl_http_fail(r, e, &err);
    }
    if (!cl_engine_password_check(found ? u.password_hash : "", cur)) {
        cl__http_login_failed(r->email, bucket, r->now);
        json_decref(body);
        return cl_http_error(r, 403, "wrong_password", "current_password",
                             "the current password is not right");
    }
    char keep[65];
    enum MHD_Result res =
        store_password(r, r->user_id, pw, own_session(r, keep));
    json_decref(body);
    return res;
}

enum MHD_Result
cl__h_password_user(cl_http_req *r)
{
    static const cl_jfield fields[] = {{"new_password", CL_J_STRING, 1}};
    enum MHD_Result done;
    json_t *body = cl_http_body(r, fields, 1, &done);
    if (!body)
        return done;
    const char *pw = cl_http_jstr(body, "new_password");
    if (!new_password_ok(r, pw, &done)) {
        json_decref(body);
        return done;
    }
    char keep[65];
    const char *id = r->params[0];
    enum MHD_Result res = store_password(
        r, id, pw, strcmp(id, r->user_id) == 0 ? own_session(r, keep) : NULL);
    json_decref(body);
    return res;
}

/* ---- API tokens ------------------------------------------------------- */

static json_t *
token_json(const cl_store_token_row *t)
{
    return json_pack("{s:s, s:s, s:s, s:o}", "id", t->id, "user_id", t->user_id,
                     "created_at", t->created_at, "revoked_at",
                     t->revoked_at ? json_string(t->revoked_at) : json_null());
}

static int
token_cb(void *ud, const cl_store_token_row *t)
{
    json_array_append_new(ud, token_json(t));
    return 0;
}

enum MHD_Result
cl__h_tokens(cl_http_req *r)
{
    enum MHD_Result done;
    int64_t limit, offset;
    if (cl_http_page(r, &limit, &offset, &done) < 0)
        return done;
    /* User admins see every token (user_id=ID narrows); others their own. */
    const char *user = r->user_id;
    if (cl_vis_may(&r->viewer, CL_VA_USERS, NULL))
        user = cl_http_query(r, "user_id");
    json_t *all = json_array();
    cl_error err;
    cl_error_clear(&err);
    cl_err e = cl_store_tokens_each(r->st, user, NULL, token_cb, all, &err);
    if (e != CL_OK) {
        json_decref(all);
        return cl_http_fail(r, e, &err);
    }
    json_t *items = json_array();
    size_t n = json_array_size(all);
    for (size_t i = (size_t)offset; i < n; i++) {
        if ((int64_t)json_array_size(items) >= limit)
            break;
        json_array_append(items, json_array_get(all, i));
    }
    json_decref(all);
    return cl_http_reply_json(
        r, 200, cl_http_page_doc(items, (int64_t)n, limit, offset), NULL);
}

enum MHD_Result
cl__h_token_create(cl_http_req *r)
{
    static const cl_jfield fields[] = {{"user_id", CL_J_STRING, 0}};
    enum MHD_Result done;
    /* An empty body means "a token for me". */
    json_t *body =
        r->body_len ? cl_http_body(r, fields, 1, &done) : json_object();
    if (!body)
        return done;
    const char *user = cl_http_jstr(body, "user_id");
    if (!user || !*user)
        user = r->user_id;
    if (strcmp(user, r->user_id) != 0 &&
        !cl_vis_may(&r->viewer, CL_VA_USERS, NULL)) {
        json_decref(body);
        return cl_http_error(r, 403, "forbidden", "user_id",
                             "your role may create tokens for yourself only");
    }
    char token[CL_TOKEN_SECRET_LEN], id[CL_TOKEN_ID_LEN], uid[72];
    cl_store_login u;
    cl_error err;
    int found = 0;
    cl_error_clear(&err);
    snprintf(uid, sizeof uid, "%s", user);
    json_decref(body);
    cl_err e = cl_store_login_get(r->st, uid, 0, &u, &found, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    if (!found)
        return cl_http_error(r, 400, "invalid", "user_id", "no user '%s'", uid);
    e = cl_store_begin(r->st, r->user_id, r->now, &err);
    if (e == CL_OK)
        e = cl_store_token_create(r->st, uid, token, id, NULL, &err);
    if (e == CL_OK)
        e = cl_store_commit(r->st, &err);
    if (e != CL_OK) {
        cl_store_rollback(r->st);
        return cl_http_fail(r, e, &err);
    }
    /* The only time the secret leaves the server (reply.c marks every JSON
       reply no-store, so no cache keeps it). */
    json_t *doc =
        json_pack("{s:s, s:s, s:s}", "id", id, "token", token, "user_id", uid);
    sodium_memzero(token, sizeof token);
    return cl_http_reply_json(r, 201, doc, NULL);
}

typedef struct one_token {
    char user_id[72];
    int found, revoked;
} one_token;

static int
one_token_cb(void *ud, const cl_store_token_row *t)
{
    one_token *o = ud;
    snprintf(o->user_id, sizeof o->user_id, "%s", t->user_id);
    o->found = 1;
    o->revoked = t->revoked_at != NULL;
    return 1;
}

enum MHD_Result
cl__h_token_revoke(cl_http_req *r)
{
    const char *id = r->params[0];
    one_token o = {{0}, 0, 0};
    cl_error err;
    cl_error_clear(&err);
    cl_err e = cl_store_tokens_each(r->st, NULL, id, one_token_cb, &o, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    /* Someone else's token and no token look the same. */
    if (!o.found || (strcmp(o.user_id, r->user_id) != 0 &&
                     !cl_vis_may(&r->viewer, CL_VA_USERS, NULL)))
        return cl_http_error(r, 404, "not_found", NULL, "no token '%s'", id);
    if (o.revoked)
        return cl_http_error(r, 409, "conflict", NULL,
                             "This token is revoked already");
    int changed = 0;
    e = cl_store_begin(r->st, r->user_id, r->now, &err);
    if (e == CL_OK)
        e = cl_store_token_revoke(r->st, id, &changed, &err);
    if (e == CL_OK && !changed)
        e = cl_error_set(&err, CL_ECONFLICT, "This token is revoked already");
    if (e == CL_OK)
        e = cl_store_commit(r->st, &err);
    if (e != CL_OK) {
        cl_store_rollback(r->st);
        return cl_http_fail(r, e, &err);
    }
    json_t *items = json_array();
    e = cl_store_tokens_each(r->st, NULL, id, token_cb, items, &err);
    if (e != CL_OK) {
        json_decref(items);
        return cl_http_fail(r, e, &err);
    }
    json_t *doc = json_incref(json_array_get(items, 0));
    json_decref(items);
    return cl_http_reply_json(r, 200, doc, NULL);
}

/* ---- holidays --------------------------------------------------------- */

enum MHD_Result
cl__h_holiday_delete(cl_http_req *r)
{
    const char *on = r->params[0];
    cl_day day;
    /* Not a date: no holiday either (and PostgreSQL is spared a bad
       date literal). */
    if (cl_date_parse(on, strlen(on), &day) != 0)
        return cl_http_error(r, 404, "not_found", NULL, "no holiday on '%s'",
                             on);
    cl_error err;
    int found = 0;
    cl_error_clear(&err);
    cl_err e = cl_store_begin(r->st, r->user_id, r->now, &err);
    if (e == CL_OK)
        e = cl_store_holiday_delete(r->st, on, &found, &err);
    if (e == CL_OK && found)
        e = cl_store_commit(r->st, &err);
    if (e != CL_OK || !found) {
        cl_store_rollback(r->st);
        if (e != CL_OK)
            return cl_http_fail(r, e, &err);
        return cl_http_error(r, 404, "not_found", NULL, "no holiday on %s", on);
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    return cl_http_queue(r, 204, resp, 0);
}
