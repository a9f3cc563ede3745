/*
 * h_coaching.c - private coaching items (docs/visibility.md):
 *   GET  /api/v1/coaching, GET /api/v1/coaching/{id}
 *   POST /api/v1/coaching                 a sales lead opens one
 *   POST /api/v1/coaching/{id}/notes      records the conversation
 *   POST /api/v1/coaching/{id}/close      closes it (with a last note)
 * An item the caller may not see answers 404, as one that does not exist:
 * a 403 would tell an AE that a colleague has one.  Writes go through the
 * engine shell (engine_coaching.c), which decides who may.
 */
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
    json_array_append_new(u->items,
                          json_pack("{s:I, s:s, s:I, s:s, s:s, s:s?, s:s}",
                                    "id", (json_int_t)c->id, "ae_id", c->ae_id,
                                    "session_id", (json_int_t)c->session_id,
                                    "period", c->period, "cause", c->cause,
                                    "note", c->note, "status", c->status));
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

/* The roles that may open or follow up a coaching item at all; which
   AE's, the engine decides (the AE's manager, or VP Sales, or RevOps). */
static int
coaching_writer(const cl_http_req *r)
{
    const char *role = r->viewer.role ? r->viewer.role : "";
    return strcmp(role, "sales_manager") == 0 ||
           strcmp(role, "vp_sales") == 0 || strcmp(role, "revops") == 0;
}

static enum MHD_Result
not_a_writer(cl_http_req *r)
{
    return cl_http_error(r, 403, "forbidden", NULL,
                         "the AE's manager, VP Sales or RevOps opens and "
                         "follows up coaching items");
}

/* Item id as the caller may see it (201 after an open, 200 after a
   follow-up). */
static enum MHD_Result
reply_item(cl_http_req *r, int64_t id, unsigned status)
{
    cl_error err;
    json_t *items;
    size_t seen;
    cl_error_clear(&err);
    cl_err e = coaching_read(r, id, &items, &seen, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    json_t *c = json_incref(json_array_get(items, 0));
    json_decref(items);
    return cl_http_reply_json(r, status, c ? c : json_object(), NULL);
}

enum MHD_Result
cl__h_coaching_open(cl_http_req *r)
{
    static const cl_jfield f[] = {{"ae_id", CL_J_STRING, 1},
                                  {"cause", CL_J_STRING, 1},
                                  {"period", CL_J_STRING, 1},
                                  {"note", CL_J_STRING, 0}};
    enum MHD_Result done;
    cl_error err;
    int64_t id = 0;
    if (!coaching_writer(r))
        return not_a_writer(r);
    json_t *body = cl_http_body(r, f, 4, &done);
    if (!body)
        return done;
    cl_error_clear(&err);
    cl_err e = cl_engine_coaching_open(
        r->st, cl_http_jstr(body, "ae_id"), cl_http_jstr(body, "cause"),
        cl_http_jstr(body, "period"), cl_http_jstr(body, "note"), r->user_id,
        r->now, &id, &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return reply_item(r, id, 201);
}

/* POST .../notes and .../close: close says which. */
static enum MHD_Result
follow(cl_http_req *r, int close)
{
    static const cl_jfield f[] = {{"note", CL_J_STRING, 0}};
    enum MHD_Result done;
    cl_error err;
    int64_t id;
    json_t *items;
    size_t seen;
    if (!cl_vis_may_list(&r->viewer, CL_VK_COACHING))
        return coaching_refused(r);
    if (parse_id(r->params[0], &id) < 0)
        return no_coaching_item(r);
    cl_error_clear(&err);
    cl_err e = coaching_read(r, id, &items, &seen, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    size_t visible = json_array_size(items);
    json_decref(items);
    if (!visible)
        return no_coaching_item(r);
    if (!coaching_writer(r))
        return not_a_writer(r);
    json_t *body = cl_http_body(r, f, 1, &done);
    if (!body)
        return done;
    e = cl_engine_coaching_follow(r->st, id, cl_http_jstr(body, "note"), close,
                                  r->user_id, r->now, &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return reply_item(r, id, 200);
}

enum MHD_Result
cl__h_coaching_notes(cl_http_req *r)
{
    return follow(r, 0);
}

enum MHD_Result
cl__h_coaching_close(cl_http_req *r)
{
    return follow(r, 1);
}
