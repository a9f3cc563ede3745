/*
 * h_report_trend.c - GET /api/v1/reports/{name}/trend?quarters=N
 * [&period=P]: a quarterly report's key figures over its last N quarters
 * (analytics/report.h, cl_report_trend), for the report pages' trend
 * charts.  Read as the report is: a role that may not read the report
 * may not read its trend.
 */
#include <stdlib.h>
#include <string.h>

#include "../analytics/report.h"
#include "../snapshot/snapshot_shared.h"
#include "http_int.h"

enum MHD_Result
cl__h_report_trend(cl_http_req *r)
{
    const cl_report_def *def = cl_report_find(r->params[0]);
    const char *period = cl_http_query(r, "period");
    const char *qtext = cl_http_query(r, "quarters");
    cl_report_opts o = {0};
    cl_error err;
    int priv = 0;
    long quarters = 8;

    if (!def || !cl_report_has_trend(def->name))
        return cl_http_error(r, 404, "not_found", "name",
                             "no trend for report '%.32s'", r->params[0]);
    if (!cl_vis_report(&r->viewer, def->name, 0, &priv))
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read the %s report", def->name);
    if (qtext) {
        char *end;
        quarters = strtol(qtext, &end, 10);
        if (*qtext == '\0' || *end != '\0' || quarters < CL_TREND_MIN ||
            quarters > CL_TREND_MAX)
            return cl_http_error(r, 400, "invalid", "quarters",
                                 "quarters: expected %d to %d, got '%.16s'",
                                 CL_TREND_MIN, CL_TREND_MAX, qtext);
    }
    o.today = cl_time_day(r->now);
    if (cl_report_resolve_period(def, period, o.today, &o.period, &err) !=
        CL_OK)
        return cl_http_fail(r, CL_EINVAL, &err);
    cl_snapshot_ref *s = NULL;
    cl_error_clear(&err);
    cl_err e =
        cl_snapshot_shared_get(r->srv->snapshots, r->st, r->srv->db, &s, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    json_t *doc = NULL;
    e = cl_report_trend(def, cl_snapshot_ref_snapshot(s), &o, (int)quarters,
                        &doc, &err);
    cl_snapshot_shared_release(r->srv->snapshots, s);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl_http_reply_json(r, 200, doc, NULL);
}
