/*
 * h_people.c - managing people (issue 16), the administrator's:
 *   GET  /api/v1/people                   everyone, with status and names
 *   POST /api/v1/people                   invite a new person (201)
 *   POST /api/v1/people/{id}/invite       send the invitation again
 *   POST /api/v1/people/{id}/reset        send a password-reset link
 *   POST /api/v1/people/{id}/deactivate   end sessions and tokens; keep
 *   POST /api/v1/people/{id}/activate     history; or undo that
 * and the one-time link's own, public ones (the link is the credential):
 *   POST /api/v1/auth/link                what the link is for, or why not
 *   POST /api/v1/auth/link/accept         choose the password, signed in
 *
 * The secret travels in request bodies, never in a request target, so no
 * access log holds it.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../core/people.h"
#include "../engine/engine_password.h"
#include "../engine/engine_people.h"
#include "../store/store_api.h"
#include "../store/store_people.h"
#include "http_int.h"

void cl__http_sha256_hex(const char *secret, char out[65]);

/* ---- the list --------------------------------------------------------- */

typedef struct people_ud {
    json_t *items;
    json_t *names; /* id -> name, for manager_name */
} people_ud;

static json_t *
str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static int
person_cb(void *ud, const cl_store_person *p)
{
    people_ud *u = ud;
    cl_people_status s = cl_people_status_of(
        p->has_password, p->invite_kind != NULL, p->deactivated_at != NULL);
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:o}", "id", p->id, "name",
        p->name, "email", p->email, "role", p->role, "role_label",
        cl_people_role_label(p->role), "manager_id", str_or_null(p->manager_id),
        "team", str_or_null(p->team), "status", cl_people_status_name(s),
        "deactivated_at", str_or_null(p->deactivated_at));
    json_object_set_new(o, "has_password", json_boolean(p->has_password));
    json_object_set_new(o, "link_kind", str_or_null(p->invite_kind));
    json_object_set_new(o, "link_expires_at",
                        str_or_null(p->invite_expires_at));
    json_array_append_new(u->items, o);
    json_object_set_new(u->names, p->id, json_string(p->name));
    return 0;
}

/* Every person (or only id) as the People page shows them. */
static cl_err
people_json(cl_http_req *r, const char *id, json_t **out, cl_error *err)
{
    people_ud u = {json_array(), json_object()};
    /* Managers are named even when only one person is asked for. */
    cl_err e = cl_store_people_each(r->st, NULL, person_cb, &u, err);
    size_t i;
    json_t *o;
    json_t *keep = json_array();
    json_array_foreach(u.items, i, o)
    {
        const char *m = json_string_value(json_object_get(o, "manager_id"));
        json_t *n = m ? json_object_get(u.names, m) : NULL;
        json_object_set(o, "manager_name", n ? n : json_null());
        if (!id || strcmp(json_string_value(json_object_get(o, "id")), id) == 0)
            json_array_append(keep, o);
    }
    json_decref(u.items);
    json_decref(u.names);
    *out = keep;
    return e;
}

enum MHD_Result
cl__h_people(cl_http_req *r)
{
    json_t *items;
    cl_error err;
    cl_error_clear(&err);
    cl_err e = people_json(r, NULL, &items, &err);
    if (e != CL_OK) {
        json_decref(items);
        return cl_http_fail(r, e, &err);
    }
    json_t *roles = json_array();
    for (size_t i = 0; cl_roles[i]; i++)
        json_array_append_new(
            roles, json_pack("{s:s, s:s}", "code", cl_roles[i], "label",
                             cl_people_role_label(cl_roles[i])));
    return cl_http_reply_json(
        r, 200,
        json_pack("{s:o, s:I, s:o}", "items", items, "total",
                  (json_int_t)json_array_size(items), "roles", roles),
        NULL);
}

/* The person id after a change, with the link made (may be NULL). */
static enum MHD_Result
reply_person(cl_http_req *r, unsigned status, const char *id,
             const cl_engine_link *link)
{
    json_t *items;
    cl_error err;
    cl_error_clear(&err);
    cl_err e = people_json(r, id, &items, &err);
    if (e != CL_OK || json_array_size(items) == 0) {
        json_decref(items);
        return cl_http_fail(r, e != CL_OK ? e : CL_EDB, &err);
    }
    json_t *doc = json_incref(json_array_get(items, 0));
    json_decref(items);
    /* The link itself, for an administrator without e-mail delivery to
       hand it over another way; reply.c marks JSON replies no-store. */
    if (link)
        json_object_set_new(doc, "link_url", json_string(link->url));
    return cl_http_reply_json(r, status, doc, NULL);
}

enum MHD_Result
cl__h_people_invite(cl_http_req *r)
{
    static const cl_jfield fields[] = {{"name", CL_J_STRING, 1},
                                       {"email", CL_J_STRING, 1},
                                       {"role", CL_J_STRING, 1},
                                       {"manager_id", CL_J_STRING, 0},
                                       {"team", CL_J_STRING, 0}};
    enum MHD_Result done;
    json_t *body = cl_http_body(r, fields, 5, &done);
    if (!body)
        return done;
    cl_engine_person p = {
        .name = cl_http_jstr(body, "name"),
        .email = cl_http_jstr(body, "email"),
        .role = cl_http_jstr(body, "role"),
        .manager_id = cl_http_jstr(body, "manager_id"),
        .team = cl_http_jstr(body, "team"),
    };
    cl_engine_link link;
    cl_error err;
    const char *field = NULL;
    cl_error_clear(&err);
    cl_err e =
        cl_engine_invite(r->st, &p, r->user_id, r->now, &link, &field, &err);
    json_decref(body);
    if (e == CL_EINVAL && field)
        return cl_http_error(r, 400, "invalid", field, "%s", err.msg);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    enum MHD_Result res = reply_person(r, 201, link.user_id, &link);
    sodium_memzero(&link, sizeof link);
    return res;
}

/* POST /api/v1/people/{id}/invite and .../reset: the last path segment
   is the link's kind. */
enum MHD_Result
cl__h_people_link(cl_http_req *r)
{
    const char *kind =
        strstr(r->route->pattern, "/reset") != NULL ? "reset" : "invite";
    cl_engine_link link;
    cl_error err;
    cl_error_clear(&err);
    cl_err e = cl_engine_link_send(r->st, r->params[0], kind, r->user_id,
                                   r->now, &link, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    enum MHD_Result res = reply_person(r, 200, r->params[0], &link);
    sodium_memzero(&link, sizeof link);
    return res;
}

enum MHD_Result
cl__h_people_active(cl_http_req *r)
{
    int active = strstr(r->route->pattern, "/activate") != NULL;
    cl_error err;
    cl_error_clear(&err);
    cl_err e = cl_engine_user_active(r->st, r->params[0], active, r->user_id,
                                     r->now, NULL, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return reply_person(r, 200, r->params[0], NULL);
}

/* ---- "active" on user records ----------------------------------------- */

static int
inactive_cb(void *ud, const cl_store_person *p)
{
    if (p->deactivated_at)
        json_object_set_new(ud, p->id, json_true());
    return 0;
}

cl_err
cl__http_people_active(cl_http_req *r, json_t *items, cl_error *err)
{
    json_t *off = json_object();
    cl_err e = cl_store_people_each(r->st, NULL, inactive_cb, off, err);
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        const char *id = json_string_value(json_object_get(o, "id"));
        json_object_set_new(o, "active",
                            json_boolean(!id || !json_object_get(off, id)));
    }
    json_decref(off);
    return e;
}

/* ---- the link's own routes (public) ----------------------------------- */

/*
 * Reads the link whose secret is token into *l; queues the refusal and
 * returns 0 when it is unknown, used or expired (each said plainly, so
 * the person knows to ask for a new one), 1 when it may be used.
 */
static int
link_usable(cl_http_req *r, const char *token, cl_store_onetime *l,
            enum MHD_Result *done)
{
    char hash[65], now[21];
    int found = 0;
    cl_error err;
    cl_error_clear(&err);
    if (strlen(token) > 200) {
        *done = cl_http_error(r, 400, "invalid", "token",
                              "token: at most 200 characters");
        return 0;
    }
    cl__http_sha256_hex(token, hash);
    cl_err e = cl_store_onetime_get(r->st, hash, l, &found, &err);
    if (e != CL_OK) {
        *done = cl_http_fail(r, e, &err);
        return 0;
    }
    cl_time_format(r->now, now);
    if (!found)
        *done = cl_http_error(r, 404, "link_unknown", "token",
                              "this link is not valid (a newer one may have "
                              "replaced it); ask your administrator for a "
                              "new one");
    else if (l->used_at[0])
        *done = cl_http_error(r, 410, "link_used", "token",
                              "this link was used already; sign in with the "
                              "password you chose, or ask your "
                              "administrator for a new link");
    else if (strcmp(l->expires_at, now) <= 0)
        *done = cl_http_error(r, 410, "link_expired", "token",
                              "this link expired at %s UTC; ask your "
                              "administrator for a new one",
                              l->expires_at);
    return found && !l->used_at[0] && strcmp(l->expires_at, now) > 0;
}

enum MHD_Result
cl__h_link_check(cl_http_req *r)
{
    static const cl_jfield fields[] = {{"token", CL_J_STRING, 1}};
    enum MHD_Result done;
    json_t *body = cl_http_body(r, fields, 1, &done);
    if (!body)
        return done;
    cl_store_onetime l;
    int ok = link_usable(r, cl_http_jstr(body, "token"), &l, &done);
    json_decref(body);
    if (!ok)
        return done;
    cl_store_login u;
    int found = 0;
    cl_error err;
    cl_error_clear(&err);
    cl_err e = cl_store_login_get(r->st, l.user_id, 0, &u, &found, &err);
    if (e != CL_OK || !found)
        return cl_http_fail(r, e != CL_OK ? e : CL_EDB, &err);
    return cl_http_reply_json(
        r, 200,
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", l.kind, "name", u.name,
                  "email", u.email, "role_label", cl_people_role_label(u.role),
                  "expires_at", l.expires_at),
        NULL);
}

enum MHD_Result
cl__h_link_accept(cl_http_req *r)
{
    static const cl_jfield fields[] = {{"token", CL_J_STRING, 1},
                                       {"new_password", CL_J_STRING, 1}};
    enum MHD_Result done;
    json_t *body = cl_http_body(r, fields, 2, &done);
    if (!body)
        return done;
    const char *pw = cl_http_jstr(body, "new_password");
    const char *why = cl_people_password_check(pw);
    if (why) {
        json_decref(body);
        return cl_http_error(r, 400, "invalid", "new_password", "%s", why);
    }
    cl_store_onetime l;
    char token_hash[65];
    if (!link_usable(r, cl_http_jstr(body, "token"), &l, &done)) {
        json_decref(body);
        return done;
    }
    cl__http_sha256_hex(cl_http_jstr(body, "token"), token_hash);
    char hash[CL_ENGINE_PASSWORD_HASH_MAX];
    int failed = cl_engine_password_hash(pw, hash);
    json_decref(body);
    if (failed)
        return cl_http_error(r, 500, "internal", NULL,
                             "cannot hash the password (out of memory)");
    cl_error err;
    int used = 0, found = 0;
    cl_error_clear(&err);
    /* The link is spent in the same transaction that sets the password:
       of two racing requests, one wins and the other finds it used. */
    cl_err e = cl_store_begin(r->st, l.user_id, r->now, &err);
    if (e == CL_OK)
        e = cl_store_onetime_use(r->st, token_hash, &used, &err);
    if (e == CL_OK && !used)
        e = cl_error_set_field(&err, CL_ECONFLICT, "token",
                               "this link was used already");
    if (e == CL_OK)
        e = cl_store_password_change(r->st, l.user_id, hash, NULL, &found, NULL,
                                     &err);
    if (e == CL_OK && !found)
        e = cl_error_set(&err, CL_ENOTFOUND, "the user no longer exists");
    if (e == CL_OK)
        e = cl_store_commit(r->st, &err);
    sodium_memzero(hash, sizeof hash);
    if (e != CL_OK) {
        cl_store_rollback(r->st);
        return cl_http_fail(r, e, &err);
    }
    cl_store_login u;
    e = cl_store_login_get(r->st, l.user_id, 0, &u, &found, &err);
    if (e != CL_OK || !found)
        return cl_http_fail(r, e != CL_OK ? e : CL_EDB, &err);
    return cl__http_session_start(r, &u);
}
