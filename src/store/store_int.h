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

/* A backend's side of the engine's calls (store_engine.h): all but the
   outbox claim are written once over its query primitives. */
typedef struct cl_store_engine_ops {
    /* cl_store_outbox_claim: the due messages this worker may send. */
    cl_err (*outbox_claim)(cl_store *st, const char *channel, const char *now,
                           int limit, cl_store_outbox_cb cb, void *ud,
                           cl_error *err);
    /* The backend's query primitives, which the engine's calls
       (store_engine_read.c, store_engine_write.c) and most server calls
       (store_api_sql.c) run their SQL through (store_engine_int.h). */
    const struct cl__engine_q *q;
} cl_store_engine_ops;

/* The server's calls of store_api.h, one per call, same signatures. */
typedef struct cl_store_api_ops {
    cl_err (*list)(cl_store *st, cl_kind kind, const cl_store_list_req *req,
                   cl_store_row_cb cb, void *ud, int64_t *total, cl_error *err);
    cl_err (*cause_set)(cl_store *st, const char *code, const char *label,
                        const char *definition, int retire, int *found,
                        cl_error *err);
    cl_err (*threshold_set)(cl_store *st, const char *key, double value,
                            int *found, cl_error *err);
    cl_err (*holiday_delete)(cl_store *st, const char *on, int *found,
                             cl_error *err);
} cl_store_api_ops;

typedef struct cl_store_ops {
    const char *name;
    void (*close)(cl_store *st);
    cl_err (*schema_version)(cl_store *st, int *version, cl_error *err);
    cl_err (*begin)(cl_store *st, cl_error *err);
    cl_err (*commit)(cl_store *st, cl_error *err);
    void (*rollback)(cl_store *st);
    /* Inserts row unless its key exists; *inserted says which. */
    cl_err (*insert_new)(cl_store *st, cl_kind kind, const cl_value *row,
                         int *inserted, cl_error *err);
    /* Optional (NULL: insert_new then audit_append): inserts row unless its
       key exists and, when it did, appends its "insert" audit entry with
       new_json, in one round trip. */
    cl_err (*insert_audited)(cl_store *st, cl_kind kind, const cl_value *row,
                             const char *entity_id, const char *new_json,
                             int *inserted, cl_error *err);
    /* Optional (NULL: cl_store_put_bulk is cl_store_put): holds row (text
       copied) for the next bulk_flush, or writes the batch when full. */
    cl_err (*bulk_put)(cl_store *st, cl_kind kind, const cl_value *row,
                       cl_put_counts *c, cl_error *err);
    /* Writes the rows bulk_put holds; with bulk_put. */
    cl_err (*bulk_flush)(cl_store *st, cl_put_counts *c, cl_error *err);
    /* Forgets the rows bulk_put holds (the transaction ends); optional. */
    void (*bulk_drop)(cl_store *st);
    /* Optional: refreshes the planner's statistics inside the open
       transaction, after a bulk change. */
    cl_err (*analyze)(cl_store *st, cl_error *err);
    cl_err (*get)(cl_store *st, cl_kind kind, const cl_value *key,
                  cl_value *row, int *found, cl_error *err);
    cl_err (*update)(cl_store *st, cl_kind kind, const cl_value *row,
                     cl_error *err);
    /* Appends an audit entry (actor and time from the transaction). */
    cl_err (*audit_append)(cl_store *st, const char *entity,
                           const char *entity_id, const char *action,
                           const char *old_json, const char *new_json,
                           cl_error *err);
    cl_err (*count)(cl_store *st, cl_kind kind, int64_t *n, cl_error *err);
    cl_err (*each)(cl_store *st, cl_kind kind, cl_store_row_cb cb, void *ud,
                   cl_error *err);
    cl_err (*ids)(cl_store *st, cl_kind kind, cl_store_id_cb cb, void *ud,
                  cl_error *err);
    cl_err (*first_won_new_deal)(cl_store *st, const char *account_id,
                                 char *out, size_t outlen, int *found,
                                 cl_error *err);
    cl_err (*audit_each)(cl_store *st, const char *entity,
                         const char *entity_id, cl_store_audit_cb cb, void *ud,
                         cl_error *err);
    cl_err (*audit_count)(cl_store *st, int64_t *n, cl_error *err);
    cl_err (*audit_of)(cl_store *st, const cl_store_audit_key *keys, size_t n,
                       cl_store_audit_cb cb, void *ud, cl_error *err);
    /* Optional (NULL: nothing to end): finishes every read in progress,
       and the read snapshot when st->in_read. */
    void (*end_read)(cl_store *st);
    /* Optional (NULL: reads are not grouped): starts a read snapshot. */
    cl_err (*read_begin)(cl_store *st, cl_error *err);
    /* Optional (NULL: cl_store_audit_last answers CL_EINVAL). */
    cl_err (*audit_last)(cl_store *st, cl_store_audit_cb cb, void *ud,
                         cl_error *err);
    const cl_store_engine_ops *engine;
    const cl_store_api_ops *api;
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
};

/* The SQL dialects: statements are written once for both (store_sql.c). */
typedef enum cl_sql_dialect { CL_SQL_SQLITE, CL_SQL_PG } cl_sql_dialect;

/* 1 when sql has something to rewrite for dialect d: a ?N placeholder for
   PostgreSQL, a ::type cast for SQLite. */
int cl__sql_needs_rewrite(const char *sql, cl_sql_dialect d);

/* sql in dialect d, written over b's text: on PostgreSQL ?N becomes $N, on
   SQLite ::type casts are dropped; quoted text is kept.  b->p, or NULL when
   out of memory. */
const char *cl__sql_rewrite(cl_buf *b, const char *sql, cl_sql_dialect d);

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

/* Appends def's column names, quoted and comma-separated (store.c). */
void cl__sql_columns(cl_buf *b, const cl_kind_def *def);

/* The audit JSON of a new API token, {"id", "user_id"}, written by jansson
   (ids are user input: a quote or backslash must not break the entry);
   the caller frees it; NULL when out of memory (store_api.c). */
char *cl__store_token_json(const char *id, const char *user_id);

/* The file of a SQLite url (a path, or sqlite:PATH); NULL for a PostgreSQL
   url (postgres: or postgresql:).  The one place urls pick a backend. */
const char *cl__store_sqlite_path(const char *url);

/* Opens the PostgreSQL workspace at url: a postgres:// or postgresql://
   url, or "postgres:" for libpq's PG* variables (store_pg.c). */
cl_err cl__store_pg_open(const char *url, cl_store **out, cl_error *err);

/* Opens the SQLite workspace at path (store_sqlite.c). */
cl_err cl__store_sqlite_open(const char *path, cl_store **out, cl_error *err);

/* The backends' server calls (store_sqlite_api.c, store_pg_api.c). */
extern const cl_store_api_ops cl__sqlite_api_ops;
extern const cl_store_api_ops cl__pg_api_ops;

/* The SQLite backend's engine queries (store_sqlite_engine*.c). */
extern const cl_store_engine_ops cl__sqlite_engine_ops;

#endif
