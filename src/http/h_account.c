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

enum MHD_Result
cl__h_audit(cl_http_req *r)
{
    cl_kind kind = entity_kind(r->params[0]);
    cl_error err;
    int found = 0;
    if (kind == CL_KIND_NONE)
        return cl_http_error(r, 404, "not_found", "entity",
                             "no audited record kind '%s'", r->params[0]);
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
    json_t *items = json_array();
    cl_err e = cl_store_audit_each(r->st, cl_kind_get(kind)->table,
                                   r->params[1], audit_cb, items, &err);
    if (e != CL_OK) {
        json_decref(items);
        return cl_http_fail(r, e, &err);
    }
    return cl_http_reply_json(r, 200, json_pack("{s:o}", "items", items),
                              NULL);
}
