/*
 * store_sqlite_int.h - the SQLite backend's handle, shared by its files
 * (store_sqlite*.c); not a public header.
 */
#ifndef CL_STORE_SQLITE_INT_H
#define CL_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store_int.h"
#include "store_engine_int.h"

typedef struct sq_stmt_slot sq_stmt_slot;

typedef struct sq_store {
    cl_store base;
    sqlite3 *db;
    char *path;
    sqlite3_stmt *kind_stmt[CL_KIND_COUNT][CL__REC_N];
    sqlite3_stmt *begin, *commit, *rollback;
    sq_stmt_slot *stmts; /* the statement cache (store_sqlite_stmt.c) */
    size_t nstmts;
    cl_buf sql; /* a statement's text without PostgreSQL's casts */
    sqlite3_int64 changes_at_open;
} sq_store;

/*
 * The statement cache (store_sqlite_stmt.c).  cl__sq_stmt hands out the
 * connection's prepared statement for sql (preparing it on first use), or a
 * one-off statement when that one is in use; the caller binds, steps and
 * gives it back with cl__sq_stmt_done, which resets it and clears its
 * bindings (or finalizes a one-off).  Text read from its rows is valid
 * until then.  cl__sq_stmt_free finalizes them all (at close).
 */
cl_err cl__sq_stmt(sq_store *s, const char *sql, sqlite3_stmt **out,
                   cl_error *err);
void cl__sq_stmt_done(sq_store *s, sqlite3_stmt *st);

/* The error of db's last call: CL_ERETRY when another connection held the
   lock past the busy timeout (a long tick or import: the same call may
   succeed later, and the server answers 503, as PostgreSQL's serialization
   failures), else CL_EDB. */
cl_err cl__sq_code(sqlite3 *db);
void cl__sq_stmt_free(sq_store *s);

/* Reads the kind's columns from column first_col on into row; money and
   hours come back as REAL (store_sqlite.c). */
void cl__sq_read_row(sqlite3_stmt *st, const cl_kind_def *def, int first_col,
                     cl_value *row);

/* The query primitives of the shared SQL, cl_store_ops's exec and rows
   (also its stream: a step reads one row) (store_sqlite_query.c). */
cl_err cl__sq_exec(cl_store *base, int *changes, cl_error *err, const char *sql,
                   const char *fmt, const cl__arg *a);
cl_err cl__sq_rows(cl_store *base, cl__row_fn fn, void *ud, cl_error *err,
                   const char *sql, const char *fmt, const cl__arg *a);

#endif
