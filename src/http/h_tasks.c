/*
 * h_tasks.c - the caller's work: GET /api/v1/tasks, GET /api/v1/tasks/{id},
 * POST /api/v1/tasks/{id}/done, GET /api/v1/inbox,
 * POST /api/v1/inbox/{id}/read, POST /api/v1/inbox/read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../store/store_api.h"
#include "../engine/engine.h"
#include "../store/store_engine.h"
#include "../core/workflow.h"
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

/* ---- names of people --------------------------------------------------- */

/* The display names of the assignees and attendees of items, as a new JSON
   object by id in *out: looked up by key, a user at most once. */
static cl_err
user_names(cl_http_req *r, json_t *items, json_t **out, cl_error *err)
{
    json_t *m = json_object(), *t;
    size_t i;
    cl_err e = CL_OK;
    *out = NULL;
    if (m == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    json_array_foreach(items, i, t)
    {
        if (e == CL_OK)
            e = cl_http_user_name(
                r, m, json_string_value(json_object_get(t, "assignee_id")),
                err);
        const char *att = json_string_value(json_object_get(t, "attendees"));
        char id[128];
        for (const char *p = att; e == CL_OK && p && *p;) {
            size_t len = strcspn(p, ";");
            snprintf(id, sizeof id, "%.*s", (int)len, p);
            e = cl_http_user_name(r, m, id, err);
            p += len + (p[len] == ';');
        }
    }
    if (e != CL_OK) {
        json_decref(m);
        return e;
    }
    *out = m;
    return CL_OK;
}

/* Adds assignee_name and attendee_names (the attendees' names in their
   order; an unknown id stands for itself) to each task of items. */
static void
name_tasks(json_t *items, json_t *names)
{
    size_t i;
    json_t *t;
    json_array_foreach(items, i, t)
    {
        const char *a = json_string_value(json_object_get(t, "assignee_id"));
        json_t *n = a ? json_object_get(names, a) : NULL;
        if (n)
            json_object_set(t, "assignee_name", n);
        const char *att = json_string_value(json_object_get(t, "attendees"));
        if (!att)
            continue;
        json_t *list = json_array();
        char id[128];
        for (const char *p = att; *p;) {
            size_t len = strcspn(p, ";");
            snprintf(id, sizeof id, "%.*s", (int)len, p);
            json_t *nm = id[0] ? json_object_get(names, id) : NULL;
            if (id[0])
                json_array_append_new(list,
                                      nm ? json_incref(nm) : json_string(id));
            p += len + (p[len] == ';');
        }
        json_object_set_new(t, "attendee_names", list);
    }
}

typedef struct tasks_ud {
    cl_http_req *r;
    json_t *items;
    int64_t total, limit, offset;
    char today[11];
} tasks_ud;

static int
task_cb(void *ud, const cl_store_task_row *t)
{
    tasks_ud *u = ud;
    cl_vis_rel rel = {t->assignee_id, t->assignee_manager_id, NULL};
    if (!cl_vis_fields(&u->r->viewer, CL_VK_TASK, &rel))
        return 0;
    if (u->total++ < u->offset ||
        (int64_t)json_array_size(u->items) >= u->limit)
        return 0;
    int overdue = t->due_on && strcmp(t->status, "open") == 0 &&
                  strcmp(t->due_on, u->today) < 0;
    json_array_append_new(
        u->items,
        json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:s?, s:s?, "
                  "s:s?, s:s?, s:b, s:b, s:b}",
                  "id", (json_int_t)t->id, "kind", t->kind, "subject_kind",
                  t->subject_kind, "subject_id", t->subject_id, "assignee_id",
                  t->assignee_id, "due_on", t->due_on, "status", t->status,
                  "title", t->title, "attendees", t->attendees, "created_at",
                  t->created_at, "done_at", t->done_at, "reminded", t->reminded,
                  "escalated", t->escalated, "overdue", overdue));
    return 0;
}

enum MHD_Result
cl__h_tasks(cl_http_req *r)
{
    enum MHD_Result done;
    cl_error err;
    tasks_ud u = {r, json_array(), 0, 0, 0, ""};
    cl_store_task_filter f = {0};
    if (cl_http_page(r, &u.limit, &u.offset, &done) < 0) {
        json_decref(u.items);
        return done;
    }
    cl_date_format(cl_engine_today(r->st, r->now), u.today);
    /* By default the caller's own work; others' only where the rules let
       (a manager's reports, RevOps). */
    f.assignee_id = cl_http_query(r, "assignee");
    if (!f.assignee_id)
        f.assignee_id = r->user_id;
    else if (strcmp(f.assignee_id, "*") == 0)
        f.assignee_id = NULL;
    f.status = cl_http_query(r, "status");
    f.kind = cl_http_query(r, "kind");
    if (f.status && strcmp(f.status, "open") && strcmp(f.status, "done")) {
        json_decref(u.items);
        return cl_http_error(r, 400, "invalid", "status",
                             "status is open or done");
    }
    cl_error_clear(&err);
    cl_err e = cl_store_tasks_each(r->st, &f, task_cb, &u, &err);
    json_t *names = NULL;
    if (e == CL_OK && json_array_size(u.items))
        e = user_names(r, u.items, &names, &err);
    if (e == CL_OK)
        e = cl_http_name_accounts(r, u.items, &err);
    if (e != CL_OK) {
        json_decref(names);
        json_decref(u.items);
        return cl_http_fail(r, e, &err);
    }
    if (names)
        name_tasks(u.items, names);
    json_decref(names);
    return cl_http_reply_json(
        r, 200, cl_http_page_doc(u.items, u.total, u.limit, u.offset), NULL);
}

typedef struct one_task {
    char assignee[72], manager[72], kind[64];
    int found;
    tasks_ud *u;
} one_task;

static int
one_task_cb(void *ud, const cl_store_task_row *t)
{
    one_task *o = ud;
    snprintf(o->assignee, sizeof o->assignee, "%s",
             t->assignee_id ? t->assignee_id : "");
    snprintf(o->manager, sizeof o->manager, "%s",
             t->assignee_manager_id ? t->assignee_manager_id : "");
    snprintf(o->kind, sizeof o->kind, "%s", t->kind ? t->kind : "");
    o->found = 1;
    if (o->u)
        task_cb(o->u, t);
    return 1;
}

enum MHD_Result
cl__h_task_get(cl_http_req *r)
{
    cl_store_task_filter f = {0};
    cl_error err;
    tasks_ud u = {r, json_array(), 0, 1, 0, ""};
    one_task o = {"", "", "", 0, &u};
    if (parse_id(r->params[0], &f.id) < 0) {
        json_decref(u.items);
        return cl_http_error(r, 404, "not_found", NULL, "no task '%s'",
                             r->params[0]);
    }
    cl_date_format(cl_engine_today(r->st, r->now), u.today);
    cl_error_clear(&err);
    cl_err e = cl_store_tasks_each(r->st, &f, one_task_cb, &o, &err);
    if (e != CL_OK || !o.found) {
        json_decref(u.items);
        return e != CL_OK ? cl_http_fail(r, e, &err)
                          : cl_http_error(r, 404, "not_found", NULL,
                                          "no task %s", r->params[0]);
    }
    if (!json_array_size(u.items)) {
        json_decref(u.items);
        return cl_http_error(r, 403, "forbidden", NULL,
                             "this task is not yours to see");
    }
    json_t *names = NULL;
    if ((e = user_names(r, u.items, &names, &err)) != CL_OK ||
        (e = cl_http_name_accounts(r, u.items, &err)) != CL_OK) {
        json_decref(names);
        json_decref(u.items);
        return cl_http_fail(r, e, &err);
    }
    name_tasks(u.items, names);
    json_decref(names);
    json_t *t = json_incref(json_array_get(u.items, 0));
    json_decref(u.items);
    return cl_http_reply_json(r, 200, t, NULL);
}

enum MHD_Result
cl__h_task_done(cl_http_req *r)
{
    cl_store_task_filter f = {0};
    one_task o = {"", "", "", 0, NULL};
    cl_error err;
    enum MHD_Result done;
    json_t *body = cl_http_body(r, NULL, 0, &done);
    if (!body)
        return done;
    json_decref(body);
    if (parse_id(r->params[0], &f.id) < 0)
        return cl_http_error(r, 404, "not_found", NULL, "no task '%s'",
                             r->params[0]);
    cl_error_clear(&err);
    cl_err e = cl_store_tasks_each(r->st, &f, one_task_cb, &o, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    if (!o.found)
        return cl_http_error(r, 404, "not_found", NULL, "no task %s",
                             r->params[0]);
    cl_vis_rel rel = {o.assignee, o.manager, NULL};
    if (!cl_vis_may(&r->viewer, CL_VA_TASK_DONE, &rel))
        return cl_http_error(r, 403, "forbidden", NULL,
                             "only the assignee or RevOps marks a task done");
    /* A check-in is done by recording its health reading (issue 14). */
    if (cl_wf_checkin_n(o.kind))
        return cl_http_error(r, 409, "conflict", "score",
                             "This task is a check-in: record it with its "
                             "health reading (POST /api/v1/tasks/%s/checkin)",
                             r->params[0]);
    int changed = 0;
    e = cl_store_begin(r->st, r->user_id, r->now, &err);
    if (e == CL_OK)
        e = cl_store_task_done(r->st, f.id, &changed, &err);
    if (e == CL_OK && !changed)
        e = cl_error_set(&err, CL_ECONFLICT, "This task is done already");
    if (e == CL_OK)
        e = cl_store_commit(r->st, &err);
    if (e != CL_OK) {
        cl_store_rollback(r->st);
        return cl_http_fail(r, e, &err);
    }
    return cl__h_task_get(r);
}

/* POST /api/v1/tasks/{id}/debrief: the AE+CSM debrief held, with its notes
   and the tag accepted or disputed (engine: cl_engine_debrief_held). */
enum MHD_Result
cl__h_task_debrief(cl_http_req *r)
{
    static const cl_jfield f[] = {{"notes", CL_J_STRING, 1},
                                  {"outcome", CL_J_STRING, 1},
                                  {"reason", CL_J_STRING, 0}};
    enum MHD_Result done;
    cl_error err;
    int64_t id;
    if (parse_id(r->params[0], &id) < 0)
        return cl_http_error(r, 404, "not_found", NULL, "no task '%s'",
                             r->params[0]);
    json_t *body = cl_http_body(r, f, 3, &done);
    if (!body)
        return done;
    const char *outcome = cl_http_jstr(body, "outcome");
    int disputed = outcome && strcmp(outcome, "disputed") == 0;
    if (!disputed && !(outcome && strcmp(outcome, "accepted") == 0)) {
        json_decref(body);
        return cl_http_error(r, 400, "invalid", "outcome",
                             "outcome: expected accepted or disputed");
    }
    cl_error_clear(&err);
    cl_err e = cl_engine_debrief_held(r->st, id, cl_http_jstr(body, "notes"),
                                      disputed, cl_http_jstr(body, "reason"),
                                      r->user_id, r->now, &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl__h_task_get(r);
}

/* ---- the inbox -------------------------------------------------------- */

static int
inbox_cb(void *ud, const cl_store_inbox_row *m)
{
    json_array_append_new(
        ud, json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s?, s:s?, s:s?, s:b}",
                      "id", (json_int_t)m->id, "kind", m->kind, "subject",
                      m->subject, "body", m->body, "created_at", m->created_at,
                      "read_at", m->read_at, "subject_kind", m->subject_kind,
                      "subject_id", m->subject_id, "unread", !m->read_at));
    return 0;
}

/* A page of the inbox: newest first, the messages older than `before`,
   of one kind when `kind` is set. */
typedef struct inbox_page {
    json_t *items;
    int64_t before, limit, offset, skipped, total, unread;
    int more;
    const char *kind;
    json_t *kinds; /* kind -> how many, over the whole inbox */
} inbox_page;

static int
inbox_page_cb(void *ud, const cl_store_inbox_row *m)
{
    inbox_page *p = ud;
    json_t *n = json_object_get(p->kinds, m->kind);
    json_object_set_new(p->kinds, m->kind,
                        json_integer(n ? json_integer_value(n) + 1 : 1));
    if (p->kind && strcmp(m->kind, p->kind) != 0)
        return 0;
    /* Every message (of the kind) counts for the totals, as before pages
       existed. */
    p->total++;
    p->unread += !m->read_at;
    if (p->before && m->id >= p->before)
        return 0;
    if (p->skipped++ < p->offset)
        return 0;
    if ((int64_t)json_array_size(p->items) >= p->limit) {
        p->more = 1;
        return 0;
    }
    return inbox_cb(p->items, m);
}

enum MHD_Result
cl__h_inbox(cl_http_req *r)
{
    int64_t limit, offset = 0, before;
    enum MHD_Result done;
    cl_error err;
    const char *o = cl_http_query(r, "offset");
    char *end;
    if (cl__http_cursor_page(r, "inbox", &limit, &before, &done) < 0)
        return done;
    if (o) {
        offset = strtoll(o, &end, 10);
        if (!*o || *end || offset < 0)
            return cl_http_error(r, 400, "invalid", "offset",
                                 "offset must be a whole number >= 0");
    }
    /* A kind is a notice's key: lower-case letters, digits and '_'. */
    const char *kind = cl_http_query(r, "kind");
    if (kind && (*kind == '\0' || strlen(kind) > 64 ||
                 strspn(kind, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
                     strlen(kind)))
        return cl_http_error(r, 400, "invalid", "kind",
                             "kind must be 1 to 64 lower-case letters, "
                             "digits or '_'");
    inbox_page p = {json_array(), before, limit, offset, 0, 0, 0, 0, kind,
                    json_object()};
    cl_error_clear(&err);
    /* The inbox is the caller's own: the query names no one else.  It is
       read whole for the unread count; one person's messages are few. */
    cl_err e =
        cl_store_inbox_each(r->st, r->user_id, 0, inbox_page_cb, &p, &err);
    if (e == CL_OK)
        e = cl_http_name_accounts(r, p.items, &err);
    if (e != CL_OK) {
        json_decref(p.items);
        json_decref(p.kinds);
        return cl_http_fail(r, e, &err);
    }
    json_t *doc = cl_http_page_doc(p.items, p.total, limit, offset);
    json_object_set_new(doc, "unread", json_integer((json_int_t)p.unread));
    json_object_set_new(doc, "kinds", p.kinds);
    size_t n = json_array_size(p.items);
    if (p.more && n) {
        char id[32], next[64];
        snprintf(id, sizeof id, "%lld",
                 (long long)json_integer_value(
                     json_object_get(json_array_get(p.items, n - 1), "id")));
        cl__http_cursor_encode("inbox", id, next, sizeof next);
        json_object_set_new(doc, "next_cursor", json_string(next));
    } else {
        json_object_set_new(doc, "next_cursor", json_null());
    }
    return cl_http_reply_json(r, 200, doc, NULL);
}

enum MHD_Result
cl__h_inbox_read(cl_http_req *r)
{
    int64_t id;
    cl_error err;
    enum MHD_Result done;
    json_t *body = cl_http_body(r, NULL, 0, &done);
    if (!body)
        return done;
    json_decref(body);
    if (parse_id(r->params[0], &id) < 0)
        return cl_http_error(r, 404, "not_found", NULL, "no message '%s'",
                             r->params[0]);
    json_t *one = json_array();
    cl_error_clear(&err);
    cl_err e = cl_store_inbox_each(r->st, r->user_id, id, inbox_cb, one, &err);
    if (e != CL_OK) {
        json_decref(one);
        return cl_http_fail(r, e, &err);
    }
    if (!json_array_size(one)) {
        json_decref(one);
        /* Someone else's message and no message look the same. */
        return cl_http_error(r, 404, "not_found", NULL,
                             "no message %s in your inbox", r->params[0]);
    }
    json_decref(one);
    char at[21];
    int changed;
    cl_time_format(r->now, at);
    e = cl_store_inbox_read(r->st, r->user_id, id, at, &changed, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    one = json_array();
    e = cl_store_inbox_each(r->st, r->user_id, id, inbox_cb, one, &err);
    if (e != CL_OK) {
        json_decref(one);
        return cl_http_fail(r, e, &err);
    }
    json_t *m = json_incref(json_array_get(one, 0));
    json_decref(one);
    return cl_http_reply_json(r, 200, m, NULL);
}

enum MHD_Result
cl__h_inbox_read_all(cl_http_req *r)
{
    cl_error err;
    enum MHD_Result done;
    json_t *body = cl_http_body(r, NULL, 0, &done);
    if (!body)
        return done;
    json_decref(body);
    char at[21];
    int marked;
    cl_time_format(r->now, at);
    cl_error_clear(&err);
    cl_err e = cl_store_inbox_read(r->st, r->user_id, 0, at, &marked, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl_http_reply_json(
        r, 200, json_pack("{s:i, s:i}", "marked", marked, "unread", 0), NULL);
}
