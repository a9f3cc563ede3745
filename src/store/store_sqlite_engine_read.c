/*
 * store_sqlite_engine_read.c - the SQLite backend's engine ops: the column
 * accessors its rows are mapped through, and the table of the engine's
 * calls, written once in store_engine_read.c and store_engine_write.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_int.h"

/* ---- the cl__row accessors of a stepped statement ------------------------ */

static const char *
sq_col_text(const cl__row *r, int col)
{
    return cl__sq_text((sqlite3_stmt *)r->res, col);
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

int
cl__sq_map(void *ud, sqlite3_stmt *row)
{
    const cl__sq_map_ctx *m = ud;
    cl__row r = {&sq_row_vt, row, 0};
    return m->map(m->ud, &r);
}

const cl_store_engine_ops cl__sqlite_engine_ops = {
    /* One writer per file: what is due is what this worker sends. */
    .outbox_claim = cl__engr_outbox_due,
    .q = &cl__sq_engine_q,
};
