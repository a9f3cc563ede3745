/*
 * store_int.h - what store.c and the backends share; not a public header.
 *
 * store.c keeps the logic that is the same on every backend (the upsert
 * decision, audit entry ids, transaction bookkeeping); a backend implements
 * the primitive queries below.  A backend's handle embeds struct cl_store as
 * its first member.
 */
#ifndef CL_STORE_INT_H
#define CL_STORE_INT_H

#include "../core/buf.h"
#include "store.h"
#include "store_engine.h"
#include "store_api.h"
#include "migrate.h"

/* The SQL dialects: statements are written once for both (store_sql.c). */
typedef enum cl_sql_dialect { CL_SQL_SQLITE, CL_SQL_PG } cl_sql_dialect;

/* A query parameter; the fmt string beside it says which member is set:
   's' text (NULL binds NULL), 'i' int64_t, 'd' double. */
typedef union cl__arg {
    const char *s;
    int64_t i;
    double d;
} cl__arg;

typedef struct cl__row cl__row;

/* A backend's column accessors; col counts from 0. */
typedef struct cl__row_vt {
    /* Column col as text, NULL for SQL NULL; valid while the row is. */
    const char *(*text)(const cl__row *r, int col);
    /* Column col as an integer (a boolean is 1 or 0), dflt for SQL NULL. */
    int64_t (*integer)(const cl__row *r, int col, int64_t dflt);
    /* Column col as a double, 0 for SQL NULL. */
    double (*real)(const cl__row *r, int col);
    /* def's fields from column 0 on into row, typed as the backend stores
       them (money and hours as reals); text valid while the row is. */
    void (*record)(const cl__row *r, const cl_kind_def *def, cl_value *row);
} cl__row_vt;

/* One result row: res is the backend's result (a sqlite3_stmt or a
   PGresult), row its index where the backend needs one. */
struct cl__row {
    const cl__row_vt *vt;
    const void *res;
    int row;
};

/* A mapper: reads r, calls on; returns non-zero to stop the rows. */
typedef int (*cl__row_fn)(void *ud, const cl__row *r);

/* The statements of a record table that cl_store_put runs through a
   backend's record primitive (SQL from cl__rec_sql). */
typedef enum cl__rec {
    CL__REC_INSERT,  /* every field; nothing when the key exists */
    CL__REC_GET,     /* the key's fields; reads the row */
    CL__REC_UPDATE,  /* every field; the key's pick the row */
    CL__REC_AUDITED, /* INSERT, then its "insert" audit entry when it
                        inserted, in one statement (PostgreSQL only): every
                        field, then at, actor, entity, entity_id, new */
    CL__REC_N
} cl__rec;

/* The SQL of statement q on kind's table, ?1 the workspace and ?2... the
   values in field order; the caller frees it; NULL when out of memory
   (store_record.c). */
char *cl__rec_sql(cl_kind kind, cl__rec q);

/*
 * What a backend implements: transactions and read snapshots, the record
 * statements of a put, the bulk load, and the query primitives that every
 * other call's SQL, written once, runs through (exec, rows, stream; the
 * statements are written in SQLite's placeholder style and rewritten for
 * the backend's dialect when prepared, store_sql.c).
 */
typedef struct cl_store_ops {
    const char *name;
    /* Which of cl__dialects the backend speaks. */
    cl_sql_dialect dialect;
    void (*close)(cl_store *st);
    cl_err (*begin)(cl_store *st, cl_error *err);
    cl_err (*commit)(cl_store *st, cl_error *err);
    void (*rollback)(cl_store *st);
    /*
     * Runs record statement q of kind, binding ?1 the workspace, then
     * row's values (by their field types; the key's alone for
     * CL__REC_GET), then texts (CL__REC_AUDITED's five).  CL__REC_GET
     * reads the row into out (its text valid until the next call) and sets
     * *n to 1 when there is one; the others set *n to the rows written.
     */
    cl_err (*record)(cl_store *st, cl_kind kind, cl__rec q, const cl_value *row,
                     const char *const *texts, cl_value *out, int *n,
                     cl_error *err);
    /* 1 when record runs CL__REC_AUDITED: a backend behind a network hop
       inserts and audits in one round trip. */
    int audited_insert;
    /* Optional (NULL: cl_store_put_bulk is cl_store_put): holds row (text
       copied) for the next bulk_flush, or writes the batch when full. */
    cl_err (*bulk_put)(cl_store *st, cl_kind kind, const cl_value *row,
                       cl_put_counts *c, cl_error *err);
    /* Writes the rows bulk_put holds; with bulk_put. */
    cl_err (*bulk_flush)(cl_store *st, cl_put_counts *c, cl_error *err);
    /* Forgets the rows bulk_put holds (the transaction ends); optional. */
    void (*bulk_drop)(cl_store *st);
    /* Optional: refreshes the planner's statistics inside the open
       transaction, after a bulk change of kind's table. */
    cl_err (*analyze)(cl_store *st, cl_kind kind, cl_error *err);
    /* Optional (NULL: nothing to end): finishes every read in progress,
       and the read snapshot when st->in_read. */
    void (*end_read)(cl_store *st);
    /* Optional (NULL: reads are not grouped): starts a read snapshot. */
    cl_err (*read_begin)(cl_store *st, cl_error *err);
    /* The query primitives: sql with ?1 bound to the workspace and ?2...
       to args, typed by fmt ('s' text, NULL binds NULL; 'i' int64_t; 'd'
       double).  exec runs a write; *changes (may be NULL) gets the rows it
       touched. */
    cl_err (*exec)(cl_store *st, int *changes, cl_error *err, const char *sql,
                   const char *fmt, const cl__arg *args);
    /* Runs a read, handing each row to fn until it returns non-zero. */
    cl_err (*rows)(cl_store *st, cl__row_fn fn, void *ud, cl_error *err,
                   const char *sql, const char *fmt, const cl__arg *args);
    /* rows for a read of a whole table or log: streamed one row at a time
       on PostgreSQL, so fn must not call the store. */
    cl_err (*stream)(cl_store *st, cl__row_fn fn, void *ud, cl_error *err,
                     const char *sql, const char *fmt, const cl__arg *args);
} cl_store_ops;

struct cl_store {
    const cl_store_ops *ops;
    int64_t workspace_id;
    int in_tx;
    int in_read; /* a read snapshot is open (cl_store_read_begin) */
    char actor[128];
    char at[21];      /* "YYYY-MM-DDTHH:MM:SSZ" of the open transaction */
    cl_buf json;      /* reused buffer for inserts' audit JSON */
    int refs_checked; /* the open transaction's caller checks references */
    char *columns[CL_KIND_COUNT]; /* cl__store_columns */
    int64_t loop_rows; /* tasks, messages and flags this connection added */
};

/* ops->analyze's kinds beyond the records': every table, and the loop's
   (tasks, outbox, flags). */
#define CL__ANALYZE_ALL CL_KIND_COUNT
#define CL__ANALYZE_LOOP ((cl_kind)(CL_KIND_COUNT + 1))

/* 1 when sql has something to rewrite for dialect d: a ?N placeholder for
   PostgreSQL, a ::type cast for SQLite. */
int cl__sql_needs_rewrite(const char *sql, cl_sql_dialect d);

/* sql in dialect d, written over b's text: on PostgreSQL ?N becomes $N, on
   SQLite ::type casts are dropped; quoted text is kept.  b->p, or NULL when
   out of memory. */
const char *cl__sql_rewrite(cl_buf *b, const char *sql, cl_sql_dialect d);

/* A double as SQLite's json_object writes a REAL ("%!.15g"), so audit
   JSON is the same text on both backends (store_sql.c). */
void cl__sql_real_json(double v, char *buf, size_t len);

/* Appends template t with each %s replaced by s and each %d by n: the
   dialects' strings (cl__dialects), which are not formats the compiler
   could check (store_sql.c). */
void cl__sql_expand(cl_buf *b, const char *t, const char *s, int n);

/* CL_OK inside a transaction, else CL_EINVAL naming what (the server's
   writes, store_api_sql.c). */
cl_err cl__store_need_tx(cl_store *st, const char *what, cl_error *err);

/* The source key of row joined by '|': the audit entry's entity_id
   (store.c). */
void cl__store_key_text(const cl_kind_def *def, const cl_value *row, char *buf,
                        size_t len);

/*
 * row as its audit JSON (store.c): an object in column order, or with
 * compact the values alone as an array (an "insert" entry), written over
 * b's text; b->p, or NULL when out of memory.
 */
const char *cl__store_row_json(cl_buf *b, const cl_kind_def *def,
                               const cl_value *row, int compact);

/* Appends ident double-quoted, as the SQL of both backends names the
   record table's columns (names from the table definitions, so no quote to
   escape) (store.c). */
void cl__sql_ident(cl_buf *b, const char *ident);

/* Appends n >= 0 in decimal: the numbers of SQL built per request, where
   printf's cost shows (store_sql.c). */
void cl__sql_int(cl_buf *b, int n);

/* Appends def's column names, quoted and comma-separated (store.c). */
void cl__sql_columns(cl_buf *b, const cl_kind_def *def);

/* kind's column names as cl__sql_columns writes them, built once per
   handle (a page of records names them on every request); NULL when out
   of memory (store.c). */
const char *cl__store_columns(cl_store *st, cl_kind kind);

/* The audit JSON of a new API token, {"id", "user_id"}, written by jansson
   (ids are user input: a quote or backslash must not break the entry);
   the caller frees it; NULL when out of memory (store_api.c). */
char *cl__store_token_json(const char *id, const char *user_id);

/* The file of a SQLite url (a path, or sqlite:PATH); NULL for a PostgreSQL
   url (postgres: or postgresql:).  The one place urls pick a backend. */
const char *cl__store_sqlite_path(const char *url);

/* Seeds the workspace of st, in the transaction of its migration to
   version 1: its row, the default taxonomy and thresholds (store_seed.c). */
cl_err cl__store_seed(cl_store *st, cl_error *err);

/* Opens the PostgreSQL workspace at url: a postgres:// or postgresql://
   url, or "postgres:" for libpq's PG* variables (store_pg.c). */
cl_err cl__store_pg_open(const char *url, cl_store **out, cl_error *err);

/* cl_store_migrate's work (store_migrate.c). */
cl_err cl__pg_migrate(const char *from, const char *to, cl_migrate_cb cb,
                      void *ud, cl_error *err);

/* The PostgreSQL store's entry points: the table closeloop-pg.so exports
   as cl__pg_module (module.h; store_pg.c). */
typedef struct cl__pg_api {
    cl_err (*open)(const char *url, cl_store **out, cl_error *err);
    cl_err (*migrate)(const char *from, const char *to, cl_migrate_cb cb,
                      void *ud, cl_error *err);
} cl__pg_api;

/* Opens the SQLite workspace at path (store_sqlite.c). */
cl_err cl__store_sqlite_open(const char *path, cl_store **out, cl_error *err);

#endif
