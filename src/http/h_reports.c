/*
 * h_reports.c - GET /api/v1/reports and GET /api/v1/reports/{name}:
 * the same JSON as `closeloop report NAME --format json`.
 *
 * The snapshot is the expensive part, so the server keeps one for all its
 * threads (snapshot/snapshot_shared.h), reloaded only when the workspace's
 * key says it changed: the same rule as `closeloop report`'s cache file.
 */
#include <stdlib.h>
#include <string.h>

#include "../analytics/report.h"
#include "../snapshot/snapshot_shared.h"
#include "../store/store_api.h"
#include "http_int.h"

static const char *
period_kind(cl_report_period p)
{
    return p == CL_REPORT_MONTH     ? "month"
           : p == CL_REPORT_QUARTER ? "quarter"
                                    : "now";
}

enum MHD_Result
cl__h_reports(cl_http_req *r)
{
    size_t n;
    const cl_report_def *defs = cl_reports(&n);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        int priv;
        if (!cl_vis_report(&r->viewer, defs[i].name, 0, &priv))
            continue;
        cl_vis_report(&r->viewer, defs[i].name, 1, &priv);
        json_array_append_new(
            items, json_pack("{s:s, s:s, s:s, s:b}", "name", defs[i].name,
                             "title", defs[i].title, "period",
                             period_kind(defs[i].period), "private_view",
                             priv));
    }
    return cl_http_reply_json(r, 200, json_pack("{s:o}", "items", items),
                              NULL);
}

enum MHD_Result
cl__h_report(cl_http_req *r)
{
    const cl_report_def *def = cl_report_find(r->params[0]);
    const char *period = cl_http_query(r, "period");
    const char *priv = cl_http_query(r, "private");
    cl_report_opts o = {0};
    cl_error err;
    int private_view = 0;

    if (!def)
        return cl_http_error(r, 404, "not_found", "name", "no report '%s'",
                             r->params[0]);
    if (!cl_vis_report(&r->viewer, def->name, priv && !strcmp(priv, "1"),
                       &private_view))
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read the %s report",
                             def->name);
    if (priv && !strcmp(priv, "1") && !private_view)
        return cl_http_error(r, 403, "forbidden", "private",
                             "the %s report has no private view for your "
                             "role",
                             def->name);
    o.today = cl_time_day(r->now);
    o.private_view = private_view;
    if (cl_report_resolve_period(def, period, o.today, &o.period, &err) !=
        CL_OK)
        return cl_http_error(r, 400, "invalid", "period", "%s", err.msg);
    cl_snapshot_ref *s = NULL;
    cl_error_clear(&err);
    cl_err e = cl_snapshot_shared_get(r->srv->snapshots, r->st, r->srv->db,
                                      &s, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    json_t *doc = NULL;
    e = def->build(cl_snapshot_ref_snapshot(s), &o, &doc, &err);
    cl_snapshot_shared_release(r->srv->snapshots, s);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl_http_reply_json(r, 200, doc, NULL);
}
