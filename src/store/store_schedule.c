/*
 * store_schedule.c - the session_schedule table (store_schedule.h), the
 * same SQL on both backends through the engine's query primitives.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "store_engine_int.h"
#include "store_schedule.h"

typedef struct sink {
    cl_store_schedule_cb cb;
    void *ud;
} sink;

static int
row(void *ud, const cl__row *r)
{
    const sink *s = ud;
    cl_store_schedule_row x = {
        r->vt->text(r, 0), r->vt->text(r, 1), r->vt->text(r, 2),
        r->vt->text(r, 3), r->vt->text(r, 4),
    };
    return s->cb(s->ud, &x);
}

cl_err
cl_store_schedules_each(cl_store *st, cl_store_schedule_cb cb, void *ud,
                        cl_error *err)
{
    sink s = {cb, ud};
    return cl__q_rows(st, row, &s, err,
                      "SELECT kind, period, open_on, by_id, created_at FROM "
                      "session_schedule WHERE workspace_id = ?1 ORDER BY "
                      "open_on, kind, period",
                      "");
}

cl_err
cl_store_schedule_set(cl_store *st, const char *kind, const char *period,
                      const char *open_on, const char *by_id, cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_schedule_set", err);
    if (rc != CL_OK)
        return rc;
    rc = cl__q_exec(st, NULL, err,
                    "INSERT INTO session_schedule (workspace_id, kind, "
                    "period, open_on, by_id, created_at) VALUES (?1, ?2, "
                    "?3, ?4, ?5, ?6) ON CONFLICT (workspace_id, kind, "
                    "period) DO UPDATE SET open_on = excluded.open_on, "
                    "by_id = excluded.by_id",
                    "sssss", kind, period, open_on, by_id, st->at);
    if (rc != CL_OK)
        return rc;
    char id[64];
    snprintf(id, sizeof id, "%s:%s", kind, period);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?}", "kind", kind, "period",
                          period, "open_on", open_on, "by", by_id);
    char *js = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!js)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    rc = cl__engw_audit(st, "session_schedule", id, "session_schedule", NULL,
                        js, err);
    free(js);
    return rc;
}
