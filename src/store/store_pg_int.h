/*
 * store_pg_int.h - the PostgreSQL backend's handle and query helpers,
 * shared by its files (store_pg.c, store_pg_query.c, store_pg_bulk.c);
 * not a public header.
 */
#ifndef CL_STORE_PG_INT_H
#define CL_STORE_PG_INT_H

#include <libpq-fe.h>

#include "store_int.h"
#include "store_engine_int.h"

typedef int (*cl__pg_row_fn)(void *ud, const PGresult *r, int row);

/* One prepared statement of the connection, found by its SQL text. */
typedef struct pg_stmt {
    uint64_t hash;
    char *sql;
    char name[16];
} pg_stmt;

typedef struct pg_store {
    cl_store base;
    PGconn *conn;
    char where[160]; /* "postgres://host:port/db" for messages, no secrets */
    PGresult *kept;  /* the last get's rows: valid until the next get */
    char *kind_sql[CL_KIND_COUNT][CL__REC_N]; /* cl__rec_sql, by cl__rec */
    pg_stmt *stmts; /* open addressing, cap a power of two */
    size_t nstmts, cap;
    struct pg_bulk *bulk; /* rows cl_store_put_bulk holds (store_pg_bulk.c) */
} pg_store;

#define PG(base) ((pg_store *)(base))

/* The settings every connection starts with (UTF8, ISO dates, UTC). */
extern const char cl__pg_session_sql[];

/*
 * Makes sure the connection is up: one the server dropped is opened again
 * (PQreset, the statement cache emptied, the settings set again) unless a
 * transaction was open on it, which is CL_ERETRY: the server rolled it
 * back.  CL_EDB when the server cannot be reached.
 */
cl_err cl__pg_ready(pg_store *s, cl_error *err);

/*
 * Runs sql (parameters $1..$n, prepared once per connection on first use)
 * with the text values vals[0..n-1] (NULL binds NULL) of the given types
 * (0 lets the server infer one).  On success *out holds the result (the
 * caller PQclears it).  A failure is CL_ERETRY for a serialization failure
 * or deadlock (SQLSTATE 40001, 40P01), else CL_EDB.
 */
cl_err cl__pg_run(pg_store *s, const char *sql, int n, const char *const *vals,
                  const Oid *types, PGresult **out, cl_error *err);

/*
 * Like cl__pg_run for a read of many rows, streamed one row at a time
 * (single-row mode) so a large table is never held in memory whole: fn is
 * called per row until it returns non-zero.  fn must not use the store.
 */
cl_err cl__pg_stream(pg_store *s, const char *sql, int n,
                     const char *const *vals, const Oid *types,
                     cl__pg_row_fn fn, void *ud, cl_error *err);

/* Maps a failed result (or connection) to CL_ERETRY or CL_EDB with a
   message naming what. */
cl_err cl__pg_fail(pg_store *s, const PGresult *r, const char *what,
                   cl_error *err);

/* cl_store_ops's query primitives (store_pg_query.c): $1 the workspace,
   then fmt's parameters, typed as bound: 's' text (NULL binds NULL; the
   server infers its type, so write ?2::text where nothing else says), 'i'
   int8, 'd' float8. */
cl_err cl__pg_q_exec(cl_store *st, int *changes, cl_error *err, const char *sql,
                     const char *fmt, const cl__arg *a);
cl_err cl__pg_q_rows(cl_store *st, cl__row_fn fn, void *ud, cl_error *err,
                     const char *sql, const char *fmt, const cl__arg *a);
/* cl__pg_q_rows streamed (cl__pg_stream): fn must not use the store. */
cl_err cl__pg_q_stream(cl_store *st, cl__row_fn fn, void *ud, cl_error *err,
                       const char *sql, const char *fmt, const cl__arg *a);

/* Column col of row as text, NULL for SQL NULL. */
const char *cl__pg_text(const PGresult *r, int row, int col);

/* Column col as an integer (a boolean is 1 or 0), dflt for SQL NULL. */
int64_t cl__pg_int(const PGresult *r, int row, int col, int64_t dflt);

/* Column col as a double, 0 for SQL NULL. */
double cl__pg_real(const PGresult *r, int row, int col);

/* Reads the kind's columns of row (from column 0) into out: text points
   into r (store_pg.c). */
void cl__pg_read_row(const PGresult *r, int row, const cl_kind_def *def,
                     cl_value *out);

/* cl_store_put_bulk's ops (store_pg_bulk.c): bulk_put, bulk_flush,
   bulk_drop; cl__pg_bulk_free frees what they hold, at close. */
cl_err cl__pg_bulk_put(cl_store *base, cl_kind kind, const cl_value *row,
                       cl_put_counts *c, cl_error *err);
cl_err cl__pg_bulk_flush(cl_store *base, cl_put_counts *c, cl_error *err);
void cl__pg_bulk_drop(cl_store *base);
void cl__pg_bulk_free(pg_store *s);

/* Appends s as a field of COPY's text format: backslash, tab, newline and
   CR escaped (store_pg_bulk.c; store_migrate.c copies with it too). */
void cl__pg_copy_text(cl_buf *b, const char *s);

#endif
