/*
 * h_icp.c - the ICP definition's own routes (issue 14): versions are added,
 * never changed or deleted, and a review may record that it kept the
 * definition.  Listing, reading and adding versions are the record routes
 * (h_records.c) with their checks; these are the rest.
 */
#include <jansson.h>

#include "../core/visibility.h"
#include "../engine/engine.h"
#include "http_int.h"

enum MHD_Result
cl__h_icp_immutable(cl_http_req *r)
{
    return cl_http_error(r, 405, "immutable", NULL,
                         "ICP versions are immutable: add a new version "
                         "(POST /api/v1/icp) with its owner and rationale");
}

enum MHD_Result
cl__h_icp_no_change(cl_http_req *r)
{
    static const cl_jfield f[] = {{"rationale", CL_J_STRING, 1},
                                  {"owner_id", CL_J_STRING, 0}};
    enum MHD_Result done;
    cl_error err;
    int64_t version = 0;
    json_t *body = cl_http_body(r, f, 2, &done);
    if (!body)
        return done;
    const char *owner = cl_http_jstr(body, "owner_id");
    if (owner == NULL)
        owner = r->user_id;
    cl_error_clear(&err);
    cl_err e =
        cl_engine_icp_no_change(r->st, owner, cl_http_jstr(body, "rationale"),
                                r->user_id, r->now, &version, &err);
    if (e != CL_OK) {
        json_decref(body);
        return cl_http_fail(r, e, &err);
    }
    char on[11];
    cl_date_format(cl_engine_today(r->st, r->now), on);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "version",
                          (json_int_t)version, "decided_on", on, "owner_id",
                          owner, "rationale", cl_http_jstr(body, "rationale"));
    json_decref(body);
    return cl_http_reply_json(r, 201, o, NULL);
}
