/*
 * store_pg_engine_write.c - the PostgreSQL backend's query primitives
 * (cl__engine_q), which the SQL written once for both backends runs
 * through (the engine's calls, the record tables' reads, the server's
 * calls), PostgreSQL's side of the strings where the dialects differ, and
 * the two steps only PostgreSQL takes.  Audit JSON is built by
 * json_build_object and compacted to the layout of SQLite's json_object, so
 * both backends write the same entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_int.h"

static cl_err
exec_a(cl_store *st, int *changes, cl_error *err, const char *sql,
       const char *fmt, const cl__arg *a)
{
    return cl__pg_exec_a(PG(st), changes, err, sql, fmt, a);
}

static cl_err
stream_a(cl_store *st, cl__row_fn fn, void *ud, cl_error *err, const char *sql,
         const char *fmt, const cl__arg *a)
{
    cl__pg_map_ctx m = {fn, ud};
    return cl__pg_stream_a(PG(st), cl__pg_map, &m, err, sql, fmt, a);
}

static cl_err
rows_a(cl_store *st, cl__row_fn fn, void *ud, cl_error *err, const char *sql,
       const char *fmt, const cl__arg *a)
{
    cl__pg_map_ctx m = {fn, ud};
    return cl__pg_rows_a(PG(st), cl__pg_map, &m, err, sql, fmt, a);
}

static cl_err
audit_row(cl_store *st, const char *table, const char *json_expr,
          const char *keycol, const char *key, const char *action,
          const char *old_json, cl_error *err)
{
    return cl__pg_audit_row(PG(st), table, json_expr, keycol, key, action,
                            old_json, err);
}

static int
json_text_row(void *ud, const PGresult *r, int row)
{
    const char *v = cl__pg_text(r, row, 0);
    *(char **)ud = v ? strdup(v) : NULL;
    return 1;
}

/* The triggers' audit JSON with value and threshold written as SQLite
   writes a REAL. */
static cl_err
trigger_audit(cl_store *st, int64_t id, double value, double threshold,
              cl_error *err)
{
    pg_store *s = PG(st);
    char v[40], t[40], key[32];
    char *json = NULL;
    cl__sql_real_json(value, v, sizeof v);
    cl__sql_real_json(threshold, t, sizeof t);
    cl_err rc = cl__pg_rows(
        s, json_text_row, &json, err,
        "SELECT json_build_object('id', id, 'session_id', session_id, "
        "'rule', rule, 'period', period, 'value', $3::json, 'threshold', "
        "$4::json, 'fired', fired)::text FROM triggers WHERE "
        "workspace_id = $1 AND id = $2",
        "iss", id, v, t);
    if (rc != CL_OK)
        return rc;
    if (json == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    cl__sql_json_compact(json);
    snprintf(key, sizeof key, "%lld", (long long)id);
    rc = cl__engw_audit(&s->base, "triggers", key, "threshold_evaluated", NULL,
                        json, err);
    free(json);
    return rc;
}

/* The claim (if this worker holds one) ends with the transaction: a
   worker that claims after the commit sees the new status. */
static cl_err
outbox_marked(cl_store *st, int64_t id, cl_error *err)
{
    return cl__pg_release_later(PG(st), id, err);
}

const cl__engine_q cl__pg_engine_q = {
    .exec = exec_a,
    .rows = rows_a,
    .stream = stream_a,
    .audit_row = audit_row,
    .trigger_audit = trigger_audit,
    .outbox_marked = outbox_marked,
    .dialect = CL_SQL_PG,
};
