/*
 * engine_pack.c - a session's pack: the JSON of its report for its period,
 * built from a snapshot of the workspace taken inside the tick's
 * transaction (loaded once per event, on the first session that needs it).
 * Packs are team-facing material: they are built without the private view,
 * so they never name an AE (docs/design.md section 6).
 */
#include <jansson.h>

#include "../analytics/report.h"
#include "../snapshot/snapshot_load.h"
#include "engine_int.h"

cl_err
cl__eng_pack(cl__eng *e, const char *report, const char *period, char **json,
             cl_error *err)
{
    const cl_report_def *def = cl_report_find(report);
    cl_report_opts o = {0};
    json_t *doc = NULL;
    cl_err rc;

    *json = NULL;
    if (def == NULL)
        return CL_OK;
    if (period == NULL ||
        cl_report_resolve_period(def, period, e->today, &o.period, err) !=
            CL_OK)
        return cl_error_set(err, CL_EINVAL, "session period '%s'",
                            period ? period : "");
    o.today = e->today;
    o.private_view = 0;
    /* A pack's reports read the loop's history too. */
    if (e->snap && e->snap_records) {
        cl_snapshot_free(e->snap);
        e->snap = NULL;
    }
    e->snap_records = 0;
    if (e->snap == NULL &&
        (rc = cl_snapshot_load(e->st, &e->snap, err)) != CL_OK)
        return rc;
    if ((rc = def->build(e->snap, &o, &doc, err)) != CL_OK)
        return rc;
    *json = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (*json == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    return CL_OK;
}
