/*
 * store_sqlite_query.c - small helpers that keep the engine queries of the
 * SQLite backend one statement each: bind by a type string, step, read
 * columns, audit a row as JSON.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store_sqlite_int.h"

cl_err
cl__sq_code(sqlite3 *db)
{
    int ec = sqlite3_errcode(db) & 0xff;
    return ec == SQLITE_BUSY || ec == SQLITE_LOCKED ? CL_ERETRY : CL_EDB;
}

static cl_err
q_error(sq_store *s, cl_error *err, const char *sql)
{
    /* The first words of the statement say which query failed. */
    return cl_error_set(err, cl__sq_code(s->db), "%s: %.40s...: %s", s->path,
                        sql, sqlite3_errmsg(s->db));
}

/* Takes the cached statement for sql and binds ?1 the workspace and ?2...
   the n args, typed by fmt. */
static cl_err
q_prepare(sq_store *s, const char *sql, const char *fmt, const cl__arg *a,
          sqlite3_stmt **out, cl_error *err)
{
    sqlite3_stmt *st;
    if (cl__sq_stmt(s, sql, &st, err) != CL_OK)
        return CL_EDB;
    /* A statement that does not name ?1 (a read of the whole file) binds
       nothing there. */
    int rc = sqlite3_bind_parameter_count(st) > 0
                 ? sqlite3_bind_int64(st, 1, s->base.workspace_id)
                 : SQLITE_OK;
    for (int i = 0; fmt && fmt[i] && rc == SQLITE_OK; i++) {
        int idx = i + 2;
        switch (fmt[i]) {
        case 's':
            rc = a[i].s
                     ? sqlite3_bind_text(st, idx, a[i].s, -1, SQLITE_TRANSIENT)
                     : sqlite3_bind_null(st, idx);
            break;
        case 'i':
            rc = sqlite3_bind_int64(st, idx, a[i].i);
            break;
        case 'd':
            rc = sqlite3_bind_double(st, idx, a[i].d);
            break;
        default:
            rc = SQLITE_MISUSE;
        }
    }
    if (rc != SQLITE_OK) {
        cl_err e = q_error(s, err, sql);
        cl__sq_stmt_done(s, st);
        return e;
    }
    *out = st;
    return CL_OK;
}

cl_err
cl__sq_exec_a(sq_store *s, int *changes, cl_error *err, const char *sql,
              const char *fmt, const cl__arg *a)
{
    sqlite3_stmt *st;
    cl_err rc = q_prepare(s, sql, fmt, a, &st, err);
    if (rc != CL_OK)
        return rc;
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = q_error(s, err, sql);
    else if (changes)
        *changes = sqlite3_changes(s->db);
    cl__sq_stmt_done(s, st);
    return rc;
}

cl_err
cl__sq_rows_a(sq_store *s, cl__sq_row_fn fn, void *ud, cl_error *err,
              const char *sql, const char *fmt, const cl__arg *a)
{
    sqlite3_stmt *st;
    cl_err rc = q_prepare(s, sql, fmt, a, &st, err);
    if (rc != CL_OK)
        return rc;
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ud, st))
            break;
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        rc = q_error(s, err, sql);
    cl__sq_stmt_done(s, st);
    return rc;
}

cl_err
cl__sq_exec(sq_store *s, int *changes, cl_error *err, const char *sql,
            const char *fmt, ...)
{
    cl__arg a[16];
    va_list ap;
    va_start(ap, fmt);
    cl_err rc = cl__args_collect(fmt, ap, a, 16, err);
    va_end(ap);
    return rc == CL_OK ? cl__sq_exec_a(s, changes, err, sql, fmt, a) : rc;
}

cl_err
cl__sq_rows(sq_store *s, cl__sq_row_fn fn, void *ud, cl_error *err,
            const char *sql, const char *fmt, ...)
{
    cl__arg a[16];
    va_list ap;
    va_start(ap, fmt);
    cl_err rc = cl__args_collect(fmt, ap, a, 16, err);
    va_end(ap);
    return rc == CL_OK ? cl__sq_rows_a(s, fn, ud, err, sql, fmt, a) : rc;
}

const char *
cl__sq_text(sqlite3_stmt *row, int col)
{
    return (const char *)sqlite3_column_text(row, col);
}

int
cl__sq_int(sqlite3_stmt *row, int col, int dflt)
{
    if (sqlite3_column_type(row, col) == SQLITE_NULL)
        return dflt;
    return sqlite3_column_int(row, col);
}

cl_err
cl__sq_audit_row(sq_store *s, const char *table, const char *json_expr,
                 const char *keycol, const char *key, const char *action,
                 const char *old_json, cl_error *err)
{
    char sql[1024];
    int n = snprintf(sql, sizeof sql,
                     "INSERT INTO audit (workspace_id, at, actor, entity, "
                     "entity_id, action, old, new) SELECT ?1, ?2, ?3, ?4, "
                     "?5, ?6, ?7, %s FROM \"%s\" WHERE workspace_id = ?1 "
                     "AND \"%s\" = ?5",
                     json_expr, table, keycol);
    if (n < 0 || (size_t)n >= sizeof sql)
        return cl_error_set(err, CL_EINVAL, "audit query too long");
    return cl__sq_exec(s, NULL, err, sql, "ssssss", s->base.at, s->base.actor,
                       table, key, action, old_json);
}
