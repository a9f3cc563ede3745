/*
 * h_sessions.c - the loop's meetings and what comes of them:
 *   GET  /api/v1/sessions, GET /api/v1/sessions/{id} (with its pack)
 *   POST /api/v1/sessions/{id}/decisions, POST /api/v1/sessions/{id}/close
 *   POST /api/v1/sessions/{id}/change (the debrief's one process change)
 *   POST /api/v1/sessions (open now), POST /api/v1/sessions/schedule,
 *   GET  /api/v1/sessions/next (issue 16)
 *   GET  /api/v1/changes, POST /api/v1/changes/{id}/checkin
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
                      "status", s->status, "owner_id", s->owner_id, "opened_at",
                      s->opened_at, "closed_at", s->closed_at, "decisions",
                      dec ? dec : json_array(), "has_pack", s->has_pack));
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
    cl_err e =
        cl_store_sessions_each(r->st, 0, status, session_cb, items, &err);
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
    return cl_http_reply_json(r, 200,
                              json_pack("{s:I, s:s, s:o}", "id", (json_int_t)id,
                                        "status", "closed", "applied",
                                        stats_json(&stats)),
                              NULL);
}

/* ---- opened and scheduled by hand (issue 16) --------------------------- */

enum MHD_Result
cl__h_session_open(cl_http_req *r)
{
    static const cl_jfield f[] = {{"kind", CL_J_STRING, 1},
                                  {"period", CL_J_STRING, 1}};
    enum MHD_Result done;
    int64_t id = 0;
    int opened = 0;
    cl_error err;
    cl_engine_stats stats = {0};
    json_t *body = cl_http_body(r, f, 2, &done);
    if (!body)
        return done;
    cl_error_clear(&err);
    cl_err e = cl_engine_session_open(r->st, cl_http_jstr(body, "kind"),
                                      cl_http_jstr(body, "period"), r->user_id,
                                      r->now, &id, &opened, &stats, &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    json_t *one = json_array();
    e = cl_store_sessions_each(r->st, id, NULL, session_cb, one, &err);
    if (e == CL_OK)
        e = cl_http_name_items(r, one, "owner_id", "owner_name", &err);
    if (e != CL_OK || !json_array_size(one)) {
        json_decref(one);
        return cl_http_fail(r, e ? e : CL_EDB, &err);
    }
    json_t *doc = json_incref(json_array_get(one, 0));
    json_decref(one);
    json_object_set_new(doc, "opened", json_boolean(opened));
    return cl_http_reply_json(r, opened ? 201 : 200, doc, NULL);
}

enum MHD_Result
cl__h_session_schedule(cl_http_req *r)
{
    static const cl_jfield f[] = {{"kind", CL_J_STRING, 1},
                                  {"period", CL_J_STRING, 1},
                                  {"open_on", CL_J_STRING, 1}};
    enum MHD_Result done;
    cl_error err;
    json_t *body = cl_http_body(r, f, 3, &done);
    if (!body)
        return done;
    cl_error_clear(&err);
    cl_err e = cl_engine_session_schedule(
        r->st, cl_http_jstr(body, "kind"), cl_http_jstr(body, "period"),
        cl_http_jstr(body, "open_on"), r->user_id, r->now, &err);
    if (e != CL_OK) {
        json_decref(body);
        return cl_http_fail(r, e, &err);
    }
    return cl_http_reply_json(r, 200, body, NULL);
}

enum MHD_Result
cl__h_sessions_next(cl_http_req *r)
{
    cl_wf_next_session next[64];
    size_t n = 0;
    cl_error err;
    if (!cl_vis_may_list(&r->viewer, CL_VK_SESSION))
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read sessions");
    cl_error_clear(&err);
    cl_err e = cl_engine_sessions_next(r->st, r->now, next, 64, &n, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        char day[11];
        cl_date_format(next[i].open_on, day);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:b}", "kind",
                                               next[i].kind, "period",
                                               next[i].period, "open_on", day,
                                               "scheduled", next[i].scheduled));
    }
    /* The server's today: a client picks periods and days from it, not
       from its own clock. */
    char today[11];
    cl_date_format(cl_engine_today(r->st, r->now), today);
    json_t *doc = cl_http_page_doc(items, (int64_t)n, (int64_t)n, 0);
    json_object_set_new(doc, "today", json_string(today));
    return cl_http_reply_json(r, 200, doc, NULL);
}

/* ---- process changes -------------------------------------------------- */

static int
pc_cb(void *ud, const cl_store_pc_row *p)
{
    json_array_append_new(
        ud,
        json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?, s:s?, s:b, s:b}", "id",
                  (json_int_t)p->id, "session_id", (json_int_t)p->session_id,
                  "owner_id", p->owner_id, "description", p->description,
                  "checkin_due", p->checkin_due, "checkin_on", p->checkin_on,
                  "checkin_note", p->checkin_note, "reminded", p->reminded,
                  "escalated", p->escalated));
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
    cl_err e =
        cl_engine_change_record(r->st, id, cl_http_jstr(body, "owner_id"),
                                cl_http_jstr(body, "description"), r->user_id,
                                r->now, &pc, &stats, &err);
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
