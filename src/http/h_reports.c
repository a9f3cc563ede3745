/*
 * h_reports.c - GET /api/v1/reports and GET /api/v1/reports/{name}:
 * the same JSON as `closeloop report NAME --format json`.
 *
 * The snapshot is the expensive part, so one is kept for the whole server
 * and reloaded only when the audit log has grown (every change to a record
 * appends to it).  Threads share a snapshot by reference count: a request
 * keeps the one it started with even when a newer one replaces it.
 */
#include <stdlib.h>
#include <string.h>

#include "../analytics/report.h"
#include "../io/snapshot_load.h"
#include "../store/store_api.h"
#include "http_int.h"

typedef struct snap_entry {
    int64_t hw;
    cl_snapshot *snap;
    int refs;
} snap_entry;

static pthread_mutex_t snap_lock = PTHREAD_MUTEX_INITIALIZER;
static snap_entry *current;

static void
snap_release(snap_entry *e)
{
    pthread_mutex_lock(&snap_lock);
    int last = --e->refs == 0 && e != current;
    pthread_mutex_unlock(&snap_lock);
    if (last) {
        cl_snapshot_free(e->snap);
        free(e);
    }
}

void
cl__http_reports_release(void)
{
    pthread_mutex_lock(&snap_lock);
    snap_entry *e = current;
    current = NULL;
    pthread_mutex_unlock(&snap_lock);
    /* Drop the cache's own reference; a request still holding the entry
       frees it when it lets go (snap_release: no longer current). */
    pthread_mutex_lock(&snap_lock);
    int last = e && --e->refs == 0;
    pthread_mutex_unlock(&snap_lock);
    if (last) {
        cl_snapshot_free(e->snap);
        free(e);
    }
}

static cl_err
snap_get(cl_store *st, snap_entry **out, cl_error *err)
{
    int64_t hw;
    cl_err e = cl_store_audit_high_water(st, &hw, err);
    if (e != CL_OK)
        return e;
    pthread_mutex_lock(&snap_lock);
    if (current && current->hw == hw) {
        current->refs++;
        *out = current;
        pthread_mutex_unlock(&snap_lock);
        return CL_OK;
    }
    pthread_mutex_unlock(&snap_lock);
    snap_entry *n = calloc(1, sizeof *n);
    if (!n)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    if ((e = cl_snapshot_load(st, &n->snap, err)) != CL_OK) {
        free(n);
        return e;
    }
    n->hw = hw;
    n->refs = 1;
    pthread_mutex_lock(&snap_lock);
    snap_entry *old = current;
    current = n;
    n->refs++; /* the cache's own reference */
    int free_old = old && --old->refs == 0;
    pthread_mutex_unlock(&snap_lock);
    if (free_old) {
        cl_snapshot_free(old->snap);
        free(old);
    }
    *out = n;
    return CL_OK;
}

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
    snap_entry *s = NULL;
    cl_error_clear(&err);
    cl_err e = snap_get(r->st, &s, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    json_t *doc = NULL;
    e = def->build(s->snap, &o, &doc, &err);
    snap_release(s);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl_http_reply_json(r, 200, doc, NULL);
}
