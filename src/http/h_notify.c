/*
 * h_notify.c - how a person gets their notifications (issues 15 and 16):
 *
 *   GET /api/v1/me/notifications            your own choice
 *   PUT /api/v1/me/notifications            change it
 *   GET /api/v1/people/{id}/notifications   someone's (the administrator)
 *   PUT /api/v1/people/{id}/notifications   change it for them
 *
 * The document: {"mode": "email" | "chat" | "digest", "chat_format":
 * "slack" | "teams" | null, "chat_url_set": bool, "digest_hour": 0-23}.
 * The chat webhook URL is write-only, as the settings' secrets are: a
 * person's Slack or Teams webhook lets anyone who has it post as closeloop.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../core/config_keys.h"
#include "../core/notify_route.h"
#include "../store/store_api.h"
#include "../store/store_engine.h"
#include "../store/store_notify.h"
#include "http_int.h"

static enum MHD_Result
reply(cl_http_req *r, const char *user_id, unsigned status)
{
    cl_store_notify_pref p;
    cl_error err;
    char hour[16];
    int found;
    cl_error_clear(&err);
    cl_err e = cl_store_notify_pref_get(r->st, user_id, &p, &found, &err);
    if (e == CL_OK)
        e = cl_store_config_get(r->st, "digest_hour", hour, sizeof hour, &found,
                                &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    if (!found || cl_config_check("digest_hour", hour, NULL) != CL_OK)
        strcpy(hour, "8");
    int set = p.url[0] != '\0';
    memset(p.url, 0, sizeof p.url);
    json_t *doc =
        json_pack("{s:s, s:s, s:s?, s:b, s:i}", "user_id", user_id, "mode",
                  p.mode, "chat_format", set && p.format[0] ? p.format : NULL,
                  "chat_url_set", set, "digest_hour", atoi(hour));
    return cl_http_reply_json(r, status, doc, NULL);
}

/* 1 when user_id is a user of the workspace; else queues the 404. */
static int
known(cl_http_req *r, const char *user_id, enum MHD_Result *done)
{
    cl_store_login u;
    cl_error err;
    int found = 0;
    cl_error_clear(&err);
    cl_err e = cl_store_login_get(r->st, user_id, 0, &u, &found, &err);
    if (e != CL_OK) {
        *done = cl_http_fail(r, e, &err);
        return 0;
    }
    if (!found) {
        *done =
            cl_http_error(r, 404, "not_found", NULL, "no user '%s'", user_id);
        return 0;
    }
    return 1;
}

static enum MHD_Result
set(cl_http_req *r, const char *user_id)
{
    static const cl_jfield f[] = {{"mode", CL_J_STRING, 1},
                                  {"chat_url", CL_J_STRING, 0},
                                  {"chat_format", CL_J_STRING, 0}};
    enum MHD_Result done;
    cl_nroute_mode mode = CL_NROUTE_EMAIL;
    const char *why;
    if (!known(r, user_id, &done))
        return done;
    json_t *body = cl_http_body(r, f, 3, &done);
    if (!body)
        return done;
    const char *m = cl_http_jstr(body, "mode");
    const char *url = cl_http_jstr(body, "chat_url");
    const char *fmt = cl_http_jstr(body, "chat_format");
    cl_store_notify_pref old = {0};
    cl_error err;
    int found;
    cl_error_clear(&err);
    cl_err e = cl_store_begin(r->st, r->user_id, r->now, &err);
    if (e == CL_OK)
        e = cl_store_notify_pref_get(r->st, user_id, &old, &found, &err);
    int had_url = old.url[0] != '\0';
    memset(old.url, 0, sizeof old.url);
    const char *field;
    why = cl_nroute_choice_check(m, url, fmt, had_url, &field);
    if (e == CL_OK && why) {
        cl_store_rollback(r->st);
        json_decref(body);
        return cl_http_error(r, 400, "invalid", field, "%s: %s", field, why);
    }
    (void)cl_nroute_mode_parse(m, &mode);
    /* A new webhook without its format is Slack's, the common one. */
    if (url && url[0] && !fmt)
        fmt = "slack";
    if (e == CL_OK)
        e = cl_store_notify_pref_set(r->st, user_id, cl_nroute_mode_name(mode),
                                     url, fmt, &err);
    if (e == CL_OK)
        e = cl_store_commit(r->st, &err);
    json_decref(body);
    if (e != CL_OK) {
        cl_store_rollback(r->st);
        return cl_http_fail(r, e, &err);
    }
    return reply(r, user_id, 200);
}

enum MHD_Result
cl__h_notify_me(cl_http_req *r)
{
    return reply(r, r->user_id, 200);
}

enum MHD_Result
cl__h_notify_me_set(cl_http_req *r)
{
    return set(r, r->user_id);
}

enum MHD_Result
cl__h_notify_user(cl_http_req *r)
{
    enum MHD_Result done;
    if (!known(r, r->params[0], &done))
        return done;
    return reply(r, r->params[0], 200);
}

enum MHD_Result
cl__h_notify_user_set(cl_http_req *r)
{
    return set(r, r->params[0]);
}
