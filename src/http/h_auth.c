/*
 * h_auth.c - POST /api/v1/auth/login, POST /api/v1/auth/logout,
 * GET /api/v1/me.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../core/taxonomy.h"
#include "../store/store_api.h"
#include "../engine/engine.h"
#include "../engine/engine_password.h"
#include "http_int.h"

void cl__http_sha256_hex(const char *secret, char out[65]);

/* Browser sessions last twelve hours. */
#define SESSION_SECONDS (12 * 3600)

static int
cause_label_cb(void *ud, const cl_cause *c)
{
    json_object_set_new(ud, c->code, json_string(c->label));
    return 0;
}

/* Who signed in, the server's day (it may run with --now): the UI's date
   defaults, and the workspace's cause labels by code, so every page names
   a cause as the taxonomy does (relabelled, added or retired) without a
   settings read.  A failed read of the labels leaves them out: the UI
   then words the codes. */
static json_t *
me_json(const cl_http_req *r, const char *id, const char *name,
        const char *email, const char *role, const char *manager_id)
{
    char today[11];
    cl_error err;
    cl_date_format(cl_engine_today(r->st, r->now), today);
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}", "id", id, "name",
                            name, "email", email, "role", role, "manager_id",
                            manager_id && *manager_id ? json_string(manager_id)
                                                      : json_null(),
                            "today", today);
    json_t *labels = json_object();
    cl_error_clear(&err);
    if (cl_store_causes(r->st, cause_label_cb, labels, &err) == CL_OK)
        json_object_set_new(doc, "cause_labels", labels);
    else
        json_decref(labels);
    return doc;
}

static enum MHD_Result
too_many(cl_http_req *r, int wait)
{
    char secs[16];
    snprintf(secs, sizeof secs, "%d", wait);
    json_t *e = json_pack("{s:{s:s, s:s, s:n}}", "error", "code",
                          "rate_limited", "message",
                          "too many failed sign-ins; try again later", "field");
    char *text = json_dumps(e, JSON_COMPACT);
    json_decref(e);
    size_t len = strlen(text);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    MHD_add_response_header(resp, "Retry-After", secs);
    return cl_http_queue(r, 429, resp, len);
}

enum MHD_Result
cl__h_login(cl_http_req *r)
{
    static const cl_jfield fields[] = {{"email", CL_J_STRING, 1},
                                       {"password", CL_J_STRING, 1}};
    enum MHD_Result done;
    char addr[64];
    json_t *body = cl_http_body(r, fields, 2, &done);
    if (!body)
        return done;
    const char *email = cl_http_jstr(body, "email");
    const char *password = cl_http_jstr(body, "password");
    cl__http_client_addr(r, addr);
    int wait = cl__http_login_blocked(email, addr, r->now);
    if (wait > 0) {
        json_decref(body);
        return too_many(r, wait);
    }
    cl_store_login u;
    cl_error err;
    int found = 0;
    cl_error_clear(&err);
    cl_err e = cl_store_login_get(r->st, email, 1, &u, &found, &err);
    if (e != CL_OK) {
        json_decref(body);
        return cl_http_fail(r, e, &err);
    }
    /* Unknown users and users without a password fail the same way, and
       still pay for a hash, so the answer does not say which it was. */
    int ok = cl_engine_password_check(found ? u.password_hash : "", password);
    if (!ok) {
        cl__http_login_failed(email, addr, r->now);
        json_decref(body);
        return cl_http_error(r, 401, "bad_credentials", NULL,
                             "wrong email or password");
    }
    /* Only who knows the password learns that the account is
       deactivated: to anyone else it is a wrong password like any other. */
    if (u.deactivated) {
        json_decref(body);
        return cl_http_error(r, 403, "account_deactivated", NULL,
                             "this account is deactivated; ask your "
                             "administrator");
    }
    cl__http_login_ok(email, addr);
    json_decref(body);
    return cl__http_session_start(r, &u);
}

enum MHD_Result
cl__http_session_start(cl_http_req *r, const cl_store_login *u)
{
    cl_error err;
    cl_err e;
    cl_error_clear(&err);
    unsigned char raw[32];
    char token[65], csrf[65], hash[65], expires[21];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, sizeof token, raw, sizeof raw);
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(csrf, sizeof csrf, raw, sizeof raw);
    cl__http_sha256_hex(token, hash);
    cl_time_format(r->now + SESSION_SECONDS, expires);
    if ((e = cl_store_begin(r->st, u->id, r->now, &err)) == CL_OK &&
        (e = cl_store_websession_add(r->st, hash, u->id, csrf, expires,
                                     &err)) == CL_OK)
        e = cl_store_commit(r->st, &err);
    if (e != CL_OK) {
        cl_store_rollback(r->st);
        return cl_http_fail(r, e, &err);
    }
    char cookie[256];
    snprintf(cookie, sizeof cookie,
             "cl_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
             token, SESSION_SECONDS, cl_http_secure(r) ? "; Secure" : "");
    json_t *doc =
        json_pack("{s:o, s:s}", "user",
                  me_json(r, u->id, u->name, u->email, u->role, u->manager_id),
                  "csrf_token", csrf);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    size_t len = strlen(text);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "Set-Cookie", cookie);
    return cl_http_queue(r, 200, resp, len);
}

enum MHD_Result
cl__h_logout(cl_http_req *r)
{
    const char *cookie =
        MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "cl_session");
    cl_error err;
    cl_error_clear(&err);
    if (cookie && *cookie) {
        char hash[65];
        cl__http_sha256_hex(cookie, hash);
        cl_err e = cl_store_websession_delete(r->st, hash, &err);
        if (e != CL_OK)
            return cl_http_fail(r, e, &err);
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(resp, "Set-Cookie",
                            "cl_session=; Path=/; HttpOnly; SameSite=Strict; "
                            "Max-Age=0");
    return cl_http_queue(r, 204, resp, 0);
}

enum MHD_Result
cl__h_me(cl_http_req *r)
{
    json_t *doc =
        me_json(r, r->user_id, r->name, r->email, r->role, r->manager_id);
    if (r->via_cookie)
        json_object_set_new(doc, "csrf_token", json_string(r->csrf));
    return cl_http_reply_json(r, 200, doc, NULL);
}

enum MHD_Result
cl__h_hello(cl_http_req *r)
{
    return cl_http_reply_json(r, 200, json_pack("{s:s}", "hello", "closeloop"),
                              NULL);
}

enum MHD_Result
cl__h_openapi(cl_http_req *r)
{
    return cl_http_reply_json(r, 200, cl__http_openapi(), NULL);
}
