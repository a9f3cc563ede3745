/*
 * h_sessions.c - the loop's meetings and what comes of them:
 *   GET  /api/v1/sessions, GET /api/v1/sessions/{id} (with its pack)
 *   POST /api/v1/sessions/{id}/decisions, POST /api/v1/sessions/{id}/close
 *   POST /api/v1/sessions/{id}/change (the debrief's one process change)
 *   GET  /api/v1/changes, POST /api/v1/changes/{id}/checkin
 *   GET  /api/v1/coaching, GET /api/v1/coaching/{id}
 * Actions go through the engine shell, as the CLI's do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/engine.h"
#include "../store/store_api.h"
#include "http_int.h"

static int
parse_id(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v <= 0)
        return -1;
    *out = v;
    return 0;
}

static json_t *
stats_json(const cl_engine_stats *s)
{
    return json_pack("{s:i, s:i, s:i}", "tasks", s->tasks, "notifications",
                     s->notifications, "marks", s->marks);
}

/* ---- sessions --------------------------------------------------------- */

static int
session_cb(void *ud, const cl_store_session_row *s)
{
    json_error_t je;
    json_t *dec = s->decisions ? json_loads(s->decisions, 0, &je) : NULL;
    json_array_append_new(
        ud, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:o, s:b}", "id",
                      (json_int_t)s->id, "kind", s->kind, "period", s->period,
                      "status", s->status, "owner_id", s->owner_id,
                      "opened_at", s->opened_at, "closed_at", s->closed_at,
                      "decisions", dec ? dec : json_array(), "has_pack",
                      s->has_pack));
    return 0;
}

enum MHD_Result
cl__h_sessions(cl_http_req *r)
{
    cl_error err;
    const char *status = cl_http_query(r, "status");
    if (!cl_vis_may_list(&r->viewer, CL_VK_SESSION))
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read sessions");
    json_t *items = json_array();
    cl_error_clear(&err);
    cl_err e = cl_store_sessions_each(r->st, 0, status, session_cb, items,
                                      &err);
    if (e == CL_OK)
        e = cl_http_name_items(r, items, "owner_id", "owner_name", &err);
    if (e != CL_OK) {
        json_decref(items);
        return cl_http_fail(r, e, &err);
    }
    return cl_http_reply_json(
        r, 200,
        cl_http_page_doc(items, (int64_t)json_array_size(items),
                         (int64_t)json_array_size(items), 0),
        NULL);
}

enum MHD_Result
cl__h_session_get(cl_http_req *r)
{
    int64_t id;
    cl_error err;
    if (parse_id(r->params[0], &id) < 0)
        return cl_http_error(r, 404, "not_found", NULL, "no session '%s'",
                             r->params[0]);
    if (!cl_vis_fields(&r->viewer, CL_VK_SESSION, NULL))
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read sessions");
    json_t *one = json_array();
    cl_error_clear(&err);
    cl_err e = cl_store_sessions_each(r->st, id, NULL, session_cb, one, &err);
    if (e == CL_OK)
        e = cl_http_name_items(r, one, "owner_id", "owner_name", &err);
    if (e != CL_OK || !json_array_size(one)) {
        json_decref(one);
        return e ? cl_http_fail(r, e, &err)
                 : cl_http_error(r, 404, "not_found", NULL, "no session %s",
                                 r->params[0]);
    }
    json_t *s = json_incref(json_array_get(one, 0));
    json_decref(one);
    /* The pack is the team-facing report the session was opened with. */
    char *pack = NULL;
    json_error_t je;
    if ((e = cl_store_session_pack(r->st, id, &pack, &err)) != CL_OK) {
        json_decref(s);
        return cl_http_fail(r, e, &err);
    }
    json_t *p = pack ? json_loads(pack, 0, &je) : NULL;
    free(pack);
    json_object_set_new(s, "pack", p ? p : json_null());
    return cl_http_reply_json(r, 200, s, NULL);
}

enum MHD_Result
cl__h_session_decide(cl_http_req *r)
{
    static const cl_jfield f[] = {{"text", CL_J_STRING, 1}};
    enum MHD_Result done;
    int64_t id;
    cl_error err;
    json_t *body = cl_http_body(r, f, 1, &done);
    if (!body)
        return done;
    if (parse_id(r->params[0], &id) < 0) {
        json_decref(body);
        return cl_http_error(r, 404, "not_found", NULL, "no session '%s'",
                             r->params[0]);
    }
    cl_error_clear(&err);
    cl_err e = cl_engine_session_decide(r->st, id, cl_http_jstr(body, "text"),
                                        r->user_id, r->now, &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl__h_session_get(r);
}

enum MHD_Result
cl__h_session_close(cl_http_req *r)
{
    enum MHD_Result done;
    int64_t id;
    cl_error err;
    cl_engine_stats stats = {0};
    json_t *body = cl_http_body(r, NULL, 0, &done);
    if (!body)
        return done;
    json_decref(body);
    if (parse_id(r->params[0], &id) < 0)
        return cl_http_error(r, 404, "not_found", NULL, "no session '%s'",
                             r->params[0]);
    cl_error_clear(&err);
    cl_err e =
        cl_engine_session_close(r->st, id, r->user_id, r->now, &stats, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl_http_reply_json(
        r, 200,
        json_pack("{s:I, s:s, s:o}", "id", (json_int_t)id, "status", "closed",
                  "applied", stats_json(&stats)),
        NULL);
}

/* ---- process changes -------------------------------------------------- */

static int
pc_cb(void *ud, const cl_store_pc_row *p)
{
    json_array_append_new(
        ud, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?, s:s?, s:b, s:b}", "id",
                      (json_int_t)p->id, "session_id",
                      (json_int_t)p->session_id, "owner_id", p->owner_id,
                      "description", p->description, "checkin_due",
                      p->checkin_due, "checkin_on", p->checkin_on,
                      "checkin_note", p->checkin_note, "reminded",
                      p->reminded, "escalated", p->escalated));
    return 0;
}

enum MHD_Result
cl__h_changes(cl_http_req *r)
{
    cl_error err;
    json_t *items = json_array();
    cl_error_clear(&err);
    const char *pending = cl_http_query(r, "pending");
    cl_err e = cl_store_pcs_each(r->st, 0, 0, pending && !strcmp(pending, "1"),
                                 pc_cb, items, &err);
    if (e == CL_OK)
        e = cl_http_name_items(r, items, "owner_id", "owner_name", &err);
    if (e != CL_OK) {
        json_decref(items);
        return cl_http_fail(r, e, &err);
    }
    return cl_http_reply_json(
        r, 200,
        cl_http_page_doc(items, (int64_t)json_array_size(items),
                         (int64_t)json_array_size(items), 0),
        NULL);
}

enum MHD_Result
cl__h_change_record(cl_http_req *r)
{
    static const cl_jfield f[] = {{"owner_id", CL_J_STRING, 1},
                                  {"description", CL_J_STRING, 1}};
    enum MHD_Result done;
    int64_t id, pc = 0;
    cl_error err;
    cl_engine_stats stats = {0};
    json_t *body = cl_http_body(r, f, 2, &done);
    if (!body)
        return done;
    if (parse_id(r->params[0], &id) < 0) {
        json_decref(body);
        return cl_http_error(r, 404, "not_found", NULL, "no session '%s'",
                             r->params[0]);
    }
    cl_error_clear(&err);
    cl_err e = cl_engine_change_record(
        r->st, id, cl_http_jstr(body, "owner_id"),
        cl_http_jstr(body, "description"), r->user_id, r->now, &pc, &stats,
        &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    json_t *one = json_array();
    e = cl_store_pcs_each(r->st, pc, 0, 0, pc_cb, one, &err);
    if (e != CL_OK || !json_array_size(one)) {
        json_decref(one);
        return cl_http_fail(r, e ? e : CL_EDB, &err);
    }
    json_t *doc = json_incref(json_array_get(one, 0));
    json_decref(one);
    return cl_http_reply_json(r, 201, doc, NULL);
}

enum MHD_Result
cl__h_change_checkin(cl_http_req *r)
{
    static const cl_jfield f[] = {{"note", CL_J_STRING, 1}};
    enum MHD_Result done;
    int64_t id;
    cl_error err;
    json_t *body = cl_http_body(r, f, 1, &done);
    if (!body)
        return done;
    if (parse_id(r->params[0], &id) < 0) {
        json_decref(body);
        return cl_http_error(r, 404, "not_found", NULL, "no change '%s'",
                             r->params[0]);
    }
    json_t *one = json_array();
    cl_error_clear(&err);
    cl_err e = cl_store_pcs_each(r->st, id, 0, 0, pc_cb, one, &err);
    if (e != CL_OK || !json_array_size(one)) {
        json_decref(one);
        json_decref(body);
        return e ? cl_http_fail(r, e, &err)
                 : cl_http_error(r, 404, "not_found", NULL, "no change %s",
                                 r->params[0]);
    }
    cl_vis_rel rel = {cl_http_jstr(json_array_get(one, 0), "owner_id"), NULL,
                      NULL};
    int may = cl_vis_may(&r->viewer, CL_VA_CHANGE_CHECKIN, &rel);
    json_decref(one);
    if (!may) {
        json_decref(body);
        return cl_http_error(r, 403, "forbidden", NULL,
                             "the change's owner or RevOps checks in");
    }
    e = cl_engine_change_checkin(r->st, id, cl_http_jstr(body, "note"),
                                 r->user_id, r->now, &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    one = json_array();
    e = cl_store_pcs_each(r->st, id, 0, 0, pc_cb, one, &err);
    json_t *doc = json_incref(json_array_get(one, 0));
    json_decref(one);
    return cl_http_reply_json(r, 200, doc ? doc : json_null(), NULL);
}

/* ---- coaching items --------------------------------------------------- */

typedef struct coach_ud {
    json_t *items;
    int64_t id;
} coach_ud;

/* Collects the rows only: the visibility rules need each AE's manager, and a
   row callback must not call the store (store.h). */
static int
coach_cb(void *ud, const cl_store_coaching_row *c)
{
    coach_ud *u = ud;
    if (u->id && c->id != u->id)
        return 0;
    json_array_append_new(
        u->items,
        json_pack("{s:I, s:s, s:I, s:s, s:s, s:s?, s:s}", "id",
                  (json_int_t)c->id, "ae_id", c->ae_id, "session_id",
                  (json_int_t)c->session_id, "period", c->period, "cause",
                  c->cause, "note", c->note, "status", c->status));
    return 0;
}

/* Reads the coaching items (only item id when id > 0) into *items, keeps
   those the viewer may see and names their AE (ae_name); *seen counts the
   items there were before the rules. */
static cl_err
coaching_read(cl_http_req *r, int64_t id, json_t **items, size_t *seen,
              cl_error *err)
{
    coach_ud u = {json_array(), id};
    if (u.items == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    cl_err e = cl_store_coaching_each(r->st, coach_cb, &u, err);
    *seen = json_array_size(u.items);
    json_t *kept = json_array();
    if (kept == NULL && e == CL_OK)
        e = cl_error_set(err, CL_ENOMEM, "out of memory");
    for (size_t i = 0; e == CL_OK && i < json_array_size(u.items); i++) {
        json_t *c = json_array_get(u.items, i);
        const char *ae_id = json_string_value(json_object_get(c, "ae_id"));
        cl_store_login ae;
        int found = 0;
        e = cl_store_login_get(r->st, ae_id, 0, &ae, &found, err);
        cl_vis_rel rel = {ae_id, found ? ae.manager_id : NULL, "ae"};
        if (e != CL_OK || !cl_vis_fields(&r->viewer, CL_VK_COACHING, &rel))
            continue;
        if (found)
            json_object_set_new(c, "ae_name", json_string(ae.name));
        json_array_append(kept, c);
    }
    json_decref(u.items);
    if (e != CL_OK) {
        json_decref(kept);
        return e;
    }
    *items = kept;
    return CL_OK;
}

/* The answer to a role that may see no coaching item at all. */
static enum MHD_Result
coaching_refused(cl_http_req *r)
{
    return cl_http_error(r, 403, "forbidden", NULL,
                         "coaching items are private to the AE, its "
                         "manager, VP Sales and RevOps");
}

enum MHD_Result
cl__h_coaching(cl_http_req *r)
{
    cl_error err;
    if (!cl_vis_may_list(&r->viewer, CL_VK_COACHING))
        return coaching_refused(r);
    json_t *items;
    size_t seen;
    cl_error_clear(&err);
    cl_err e = coaching_read(r, 0, &items, &seen, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    int64_t n = (int64_t)json_array_size(items);
    return cl_http_reply_json(r, 200, cl_http_page_doc(items, n, n, 0), NULL);
}

/* The one answer for an item that is missing and for one the caller may
   not see: a 403 would tell an AE that a colleague has a coaching item,
   and that is what these items keep private. */
static enum MHD_Result
no_coaching_item(cl_http_req *r)
{
    return cl_http_error(r, 404, "not_found", NULL, "no coaching item '%s'",
                         r->params[0]);
}

enum MHD_Result
cl__h_coaching_get(cl_http_req *r)
{
    cl_error err;
    int64_t id;
    json_t *items;
    size_t seen;
    /* A role that may see no coaching item at all is refused whatever the
       id, as the list refuses it: that tells nothing about any item. */
    if (!cl_vis_may_list(&r->viewer, CL_VK_COACHING))
        return coaching_refused(r);
    if (parse_id(r->params[0], &id) < 0)
        return no_coaching_item(r);
    cl_error_clear(&err);
    cl_err e = coaching_read(r, id, &items, &seen, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    /* An item that is not there costs the AE lookup one that is there
       but not the caller's makes, so the two take the same path. */
    if (seen == 0) {
        cl_store_login stand_in;
        int found = 0;
        e = cl_store_login_get(r->st, r->user_id, 0, &stand_in, &found, &err);
        if (e != CL_OK) {
            json_decref(items);
            return cl_http_fail(r, e, &err);
        }
    }
    if (!json_array_size(items)) {
        json_decref(items);
        return no_coaching_item(r);
    }
    json_t *c = json_incref(json_array_get(items, 0));
    json_decref(items);
    return cl_http_reply_json(r, 200, c, NULL);
}
