/*
 * h_reports.c - GET /api/v1/reports and GET /api/v1/reports/{name}:
 * the same JSON as `closeloop report NAME --format json`, or with
 * ?format=csv|md|html the same file as the CLI's, as a download.
 *
 * The snapshot is the expensive part, so the server keeps one for all its
 * threads (snapshot/snapshot_shared.h), reloaded only when the workspace's
 * key says it changed: the same rule as `closeloop report`'s cache file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analytics/report.h"
#include "../io/render.h"
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
        json_array_append_new(items,
                              json_pack("{s:s, s:s, s:s, s:b}", "name",
                                        defs[i].name, "title", defs[i].title,
                                        "period", period_kind(defs[i].period),
                                        "private_view", priv));
    }
    return cl_http_reply_json(r, 200, json_pack("{s:o}", "items", items), NULL);
}

/*
 * The pipeline report's query: flag, ae_id, sort, limit, offset.  What a
 * role may not read it may not filter or sort on (core/visibility.h): an
 * ae_id filter or sort is refused (403 forbidden_field) for a role that
 * reads no deal's AE, and for one that reads only its own deals' AEs it
 * keeps those only.  Returns 0, or -1 with *done queued.
 */
static int
pipeline_query(cl_http_req *r, cl_pipeline_query *q, int *paged,
               enum MHD_Result *done)
{
    int64_t limit, offset;
    q->flag = cl_http_query(r, "flag");
    q->ae_id = cl_http_query(r, "ae_id");
    q->sort = cl_http_query(r, "sort");
    q->limit = -1;
    q->offset = 0;
    *paged = q->flag || q->ae_id || q->sort || cl_http_query(r, "limit") ||
             cl_http_query(r, "offset");
    if (!*paged)
        return 0;
    if (cl_http_page(r, &limit, &offset, done) < 0)
        return -1;
    /* Without a limit the page runs to the end, as the report always did. */
    q->limit = cl_http_query(r, "limit") ? limit : -1;
    q->offset = offset;
    const char *sort = q->sort ? q->sort + (*q->sort == '-') : NULL;
    const char *field = q->ae_id                             ? "ae_id"
                        : sort && strcmp(sort, "ae_id") == 0 ? "ae_id"
                                                             : NULL;
    if (field == NULL)
        return 0;
    switch (cl_vis_filter_on(&r->viewer, CL_VK_DEAL, field)) {
    case CL_VF_REFUSE:
        *done = cl_http_error(r, 403, "forbidden_field", field,
                              "your role may not read %s of deals, so it "
                              "may not filter or sort on it",
                              field);
        return -1;
    case CL_VF_OWN:
        /* Only its own deals show it their AE: the filter keeps those. */
        if (q->ae_id && strcmp(q->ae_id, r->viewer.user_id) != 0)
            q->ae_id = "";
        else if (!q->ae_id)
            q->ae_id = r->viewer.user_id;
        break;
    case CL_VF_ANY:
        break;
    }
    return 0;
}

/* doc (stolen) rendered as format, as an attachment named after the
   report and its period: what a person downloads from the report page.
   CSV cells a spreadsheet would run as formulas are neutralised by the
   renderer (io/csv.h). */
static enum MHD_Result
reply_rendered(cl_http_req *r, const cl_report_def *def, json_t *doc,
               cl_format format)
{
    static const char *const types[] = {
        [CL_FORMAT_MD] = "text/markdown; charset=utf-8",
        [CL_FORMAT_CSV] = "text/csv; charset=utf-8",
        [CL_FORMAT_HTML] = "text/html; charset=utf-8"};
    static const char *const exts[] = {
        [CL_FORMAT_MD] = "md", [CL_FORMAT_CSV] = "csv", [CL_FORMAT_HTML] = "html"};
    char *text = NULL, name[96];
    size_t len = 0;
    cl_error err;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL) {
        json_decref(doc);
        return cl_http_error(r, 500, "internal", NULL, "out of memory");
    }
    const char *period = json_string_value(json_object_get(doc, "period"));
    cl_err e = cl_render(def->name, def->title, doc, format, f, &err);
    snprintf(name, sizeof name, "closeloop-%s%s%s.%s", def->name,
             period ? "-" : "", period ? period : "", exts[format]);
    json_decref(doc);
    if (fclose(f) != 0 && e == CL_OK)
        e = cl_error_set(&err, CL_ENOMEM, "out of memory");
    if (e != CL_OK) {
        free(text);
        return cl_http_fail(r, e, &err);
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    char disp[128];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", name);
    MHD_add_response_header(resp, "Content-Type", types[format]);
    MHD_add_response_header(resp, "Content-Disposition", disp);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    return cl_http_queue(r, 200, resp, len);
}

enum MHD_Result
cl__h_report(cl_http_req *r)
{
    const cl_report_def *def = cl_report_find(r->params[0]);
    const char *period = cl_http_query(r, "period");
    const char *priv = cl_http_query(r, "private");
    const char *fmt = cl_http_query(r, "format");
    int format = fmt ? cl_format_parse(fmt) : CL_FORMAT_JSON;
    cl_report_opts o = {0};
    cl_error err;
    int private_view = 0;

    if (!def)
        return cl_http_error(r, 404, "not_found", "name", "no report '%s'",
                             r->params[0]);
    if (format < 0)
        return cl_http_error(r, 400, "invalid", "format",
                             "format: expected json, csv, md or html, got "
                             "'%.32s'",
                             fmt);
    if (!cl_vis_report(&r->viewer, def->name, priv && !strcmp(priv, "1"),
                       &private_view))
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read the %s report", def->name);
    if (priv && !strcmp(priv, "1") && !private_view)
        return cl_http_error(r, 403, "forbidden", "private",
                             "the %s report has no private view for your "
                             "role",
                             def->name);
    o.today = cl_time_day(r->now);
    o.private_view = private_view;
    /* What a role may not read it may not count on: Q7 segments only for
       those who read every review's gut read. */
    o.private_answers = cl_vis_filter_on(&r->viewer, CL_VK_REVIEW,
                                         "gut_read") == CL_VF_ANY;
    if (cl_report_resolve_period(def, period, o.today, &o.period, &err) !=
        CL_OK)
        return cl_http_fail(r, CL_EINVAL, &err);
    cl_pipeline_query pq;
    int paged = 0;
    enum MHD_Result done;
    if (strcmp(def->name, "pipeline") == 0 &&
        pipeline_query(r, &pq, &paged, &done) < 0)
        return done;
    cl_snapshot_ref *s = NULL;
    cl_error_clear(&err);
    cl_err e =
        cl_snapshot_shared_get(r->srv->snapshots, r->st, r->srv->db, &s, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    json_t *doc = NULL;
    e = def->build(cl_snapshot_ref_snapshot(s), &o, &doc, &err);
    cl_snapshot_shared_release(r->srv->snapshots, s);
    if (e == CL_OK && paged)
        e = cl_report_pipeline_query(doc, &pq, &err);
    if (e != CL_OK) {
        json_decref(doc);
        return cl_http_fail(r, e, &err);
    }
    if (format != CL_FORMAT_JSON)
        return reply_rendered(r, def, doc, (cl_format)format);
    return cl_http_reply_json(r, 200, doc, NULL);
}
