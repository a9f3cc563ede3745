/*
 * store_sqlite_query.c - the SQLite backend's query primitives (exec and
 * rows of cl_store_ops), which the SQL written once for both backends runs
 * through (the engine's calls, the record tables' reads, the server's
 * calls): bind by a type string, step, hand each row to a mapper through
 * the column accessors.
 */
#include <stdio.h>
#include <string.h>

#include "store_sqlite_int.h"

#define SQ(base) ((sq_store *)(base))

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
   the args, typed by fmt.  Text is not copied: the statement is reset
   before the call that bound it returns. */
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
            rc = a[i].s ? sqlite3_bind_text(st, idx, a[i].s, -1, SQLITE_STATIC)
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
cl__sq_exec(cl_store *base, int *changes, cl_error *err, const char *sql,
            const char *fmt, const cl__arg *a)
{
    sq_store *s = SQ(base);
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

/* ---- the cl__row accessors of a stepped statement ------------------------ */

static const char *
sq_col_text(const cl__row *r, int col)
{
    return (const char *)sqlite3_column_text((sqlite3_stmt *)r->res, col);
}

static int64_t
sq_col_int(const cl__row *r, int col, int64_t dflt)
{
    sqlite3_stmt *st = (sqlite3_stmt *)r->res;
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return dflt;
    return sqlite3_column_int64(st, col);
}

static double
sq_col_real(const cl__row *r, int col)
{
    return sqlite3_column_double((sqlite3_stmt *)r->res, col);
}

static void
sq_col_record(const cl__row *r, const cl_kind_def *def, cl_value *row)
{
    cl__sq_read_row((sqlite3_stmt *)r->res, def, 0, row);
}

static const cl__row_vt sq_row_vt = {sq_col_text, sq_col_int, sq_col_real,
                                     sq_col_record};

/* A step reads one row, so this is also the stream of a whole table. */
cl_err
cl__sq_rows(cl_store *base, cl__row_fn fn, void *ud, cl_error *err,
            const char *sql, const char *fmt, const cl__arg *a)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st;
    cl_err rc = q_prepare(s, sql, fmt, a, &st, err);
    if (rc != CL_OK)
        return rc;
    cl__row r = {&sq_row_vt, st, 0};
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ud, &r))
            break;
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        rc = q_error(s, err, sql);
    cl__sq_stmt_done(s, st);
    return rc;
}
