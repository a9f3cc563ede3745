/*
 * store_sqlite_int.h - the SQLite backend's handle, shared by its files
 * (store_sqlite.c and store_sqlite_engine*.c); not a public header.
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

/*
 * Query helpers of the engine files (store_sqlite_query.c).  ?1 is always
 * the workspace; fmt names the types of the parameters from ?2 on: 's' text
 * (NULL binds NULL), 'i' int64_t, 'd' double.
 */
typedef int (*cl__sq_row_fn)(void *ud, sqlite3_stmt *row);

/* Runs a write; *changes (may be NULL) gets sqlite3_changes. */
cl_err cl__sq_exec(sq_store *s, int *changes, cl_error *err, const char *sql,
                   const char *fmt, ...);

/* Runs a read, calling fn per row until it returns non-zero. */
cl_err cl__sq_rows(sq_store *s, cl__sq_row_fn fn, void *ud, cl_error *err,
                   const char *sql, const char *fmt, ...);

/* The same two with the parameters as an array (at most 16). */
cl_err cl__sq_exec_a(sq_store *s, int *changes, cl_error *err, const char *sql,
                     const char *fmt, const cl__arg *a);
cl_err cl__sq_rows_a(sq_store *s, cl__sq_row_fn fn, void *ud, cl_error *err,
                     const char *sql, const char *fmt, const cl__arg *a);

/* Column col as text, NULL for SQL NULL. */
const char *cl__sq_text(sqlite3_stmt *row, int col);

/* Column col as int, dflt for SQL NULL. */
int cl__sq_int(sqlite3_stmt *row, int col, int dflt);

/*
 * Appends an audit entry whose new value is the row of table where keycol =
 * key, rendered by the SQL expression json_expr (a json_object(...) over the
 * table's columns); old_json may be NULL.
 */
cl_err cl__sq_audit_row(sq_store *s, const char *table, const char *json_expr,
                        const char *keycol, const char *key, const char *action,
                        const char *old_json, cl_error *err);

/* Reads the kind's columns from column first_col on into row; money and
   hours come back as REAL (store_sqlite.c). */
void cl__sq_read_row(sqlite3_stmt *st, const cl_kind_def *def, int first_col,
                     cl_value *row);

/* The SQL and queries of the shared engine writes
 * (store_sqlite_engine_write.c). */
extern const cl__engine_q cl__sq_engine_q;

/*
 * The rows of the engine reads go to the shared mappers of
 * store_engine_int.h through cl__sq_map (store_sqlite_engine_read.c): pass it
 * as the row function with a cl__sq_map_ctx as ud; it hands each row to map as
 * a cl__row.
 */
typedef struct cl__sq_map_ctx {
    cl__row_fn map;
    void *ud;
} cl__sq_map_ctx;
int cl__sq_map(void *ud, sqlite3_stmt *row);

#endif
