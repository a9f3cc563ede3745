/*
 * h_account.c - GET /api/v1/audit/{entity}/{id}: one record's trail (the
 * account page itself is in h_page.c).
 */
#include <stdio.h>
#include <string.h>

#include "../store/store_api.h"
#include "../store/store_engine.h"
#include "http_int.h"

/* ---- the audit trail -------------------------------------------------- */

static int
audit_cb(void *ud, const cl_audit_entry *e)
{
    json_t *items = ud;
    json_error_t je;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
                          (json_int_t)e->id, "at", e->at, "actor", e->actor,
                          "entity", e->entity, "entity_id", e->entity_id,
                          "action", e->action);
    json_t *old = e->old_json ? json_loads(e->old_json, 0, &je) : NULL;
    json_t *new = e->new_json ? json_loads(e->new_json, 0, &je) : NULL;
    json_object_set_new(o, "old", old ? old : json_null());
    json_object_set_new(o, "new", new ? new : json_null());
    json_array_append_new(items, o);
    return 0;
}

static cl_kind
entity_kind(const char *entity)
{
    cl_kind k = cl_kind_from_name(entity);
    if (k == CL_KIND_USERS || k == CL_KIND_ACCOUNTS || k == CL_KIND_DEALS ||
        k == CL_KIND_CHURNS || k == CL_KIND_RECOVERIES ||
        k == CL_KIND_REVIEWS || k == CL_KIND_HOLIDAYS)
        return k;
    return CL_KIND_NONE;
}

/* 1 if the viewer may read the trail of record id of kind. */
static int
audit_allowed(cl_http_req *r, cl_kind kind, const char *id, int *found,
              cl_error *err)
{
    cl_value key = {CL_V_TEXT, 0, 0, id}, row[32];
    if (cl_store_get(r->st, kind, &key, row, found, err) != CL_OK ||
        !*found)
        return 0;
    return cl_http_record_audit(r, kind, row);
}

/* A page of a record's trail: oldest first, the entries after `after`. */
typedef struct audit_page {
    json_t *items;
    int64_t after, limit;
    int more;
} audit_page;

static int
audit_page_cb(void *ud, const cl_audit_entry *e)
{
    audit_page *p = ud;
    if (e->id <= p->after)
        return 0;
    if ((int64_t)json_array_size(p->items) >= p->limit) {
        p->more = 1;
        return 1;
    }
    return audit_cb(p->items, e);
}

enum MHD_Result
cl__h_audit(cl_http_req *r)
{
    cl_kind kind = entity_kind(r->params[0]);
    cl_error err;
    int found = 0;
    int64_t limit, after;
    enum MHD_Result done;
    if (kind == CL_KIND_NONE)
        return cl_http_error(r, 404, "not_found", "entity",
                             "no audited record kind '%s'", r->params[0]);
    if (cl__http_cursor_page(r, "audit", &limit, &after, &done) < 0)
        return done;
    cl_error_clear(&err);
    int ok = audit_allowed(r, kind, r->params[1], &found, &err);
    if (err.code)
        return cl_http_fail(r, err.code, &err);
    if (!found)
        return cl_http_error(r, 404, "not_found", NULL, "no %s '%s'",
                             r->params[0], r->params[1]);
    if (!ok)
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read this record's history");
    audit_page p = {json_array(), after, limit, 0};
    cl_err e = cl_store_audit_each(r->st, cl_kind_get(kind)->table,
                                   r->params[1], audit_page_cb, &p, &err);
    if (e != CL_OK) {
        json_decref(p.items);
        return cl_http_fail(r, e, &err);
    }
    json_t *next = json_null();
    size_t n = json_array_size(p.items);
    if (p.more && n) {
        char id[32], cur[64];
        snprintf(id, sizeof id, "%lld",
                 (long long)json_integer_value(
                     json_object_get(json_array_get(p.items, n - 1), "id")));
        cl__http_cursor_encode("audit", id, cur, sizeof cur);
        next = json_string(cur);
    }
    return cl_http_reply_json(r, 200,
                              json_pack("{s:o, s:I, s:o}", "items", p.items,
                                        "limit", (json_int_t)limit,
                                        "next_cursor", next),
                              NULL);
}
