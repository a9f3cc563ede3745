/*
 * store.h - the one storage interface of closeloop.
 *
 * A cl_store is an open workspace.  Backends (SQLite, PostgreSQL)
 * implement the same calls; nothing outside src/store/ sees SQL.  Every
 * change happens inside a transaction that names who made it and when, and
 * every record change writes its audit entry (old and new values) in that
 * same transaction, so a change and its audit entry land together or not
 * at all.
 *
 * Strings handed out by a read (cl_store_get, the row callbacks) belong to the
 * store and stay valid until the next call on the same store.  A row
 * callback must not call the same store: PostgreSQL streams one result per
 * connection at a time (SQLite would allow it).
 */
#ifndef CL_STORE_H
#define CL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/date.h"
#include "../core/err.h"
#include "../core/record.h"
#include "../core/taxonomy.h"

typedef struct cl_store cl_store;

/* The schema version this build writes; cl_store_open migrates up to it. */
#define CL_STORE_SCHEMA_VERSION 12

/*
 * Opens the workspace at url: a file path or "sqlite:PATH" (a missing file
 * is created), or a PostgreSQL database: "postgres://...",
 * "postgresql://..." (any libpq url), or "postgres:" for libpq's PG*
 * variables.  Pending migrations are applied and a new workspace is seeded
 * with the default taxonomy and thresholds.  On success the caller owns *out
 * and closes it with cl_store_close.
 *   CL_EINVAL  the url names no backend this build has
 *   CL_EDB     the database cannot be opened or migrated
 */
cl_err cl_store_open(const char *url, cl_store **out, cl_error *err);

/* Rolls back any open transaction and frees st.  NULL is allowed. */
void cl_store_close(cl_store *st);

/* "sqlite" or "postgres". */
const char *cl_store_backend(const cl_store *st);

/* The schema version of the open workspace. */
cl_err cl_store_schema_version(cl_store *st, int *version, cl_error *err);

/*
 * Starts a write transaction.  actor (e.g. a user id or "import") and at are
 * written into every audit entry of the transaction; actor is copied.
 */
cl_err cl_store_begin(cl_store *st, const char *actor, cl_time at,
                      cl_error *err);
/*
 * Like cl_store_begin, for a caller that checks every reference of what it
 * writes itself, against ids read inside this transaction (the importer):
 * the backend may skip its own foreign-key checks until the commit or
 * rollback.  Rows written must not change or delete keys others refer to.
 */
cl_err cl_store_begin_checked(cl_store *st, const char *actor, cl_time at,
                              cl_error *err);
cl_err cl_store_commit(cl_store *st, cl_error *err);
/* Undoes everything since cl_store_begin.  Safe without a transaction. */
void cl_store_rollback(cl_store *st);

/*
 * Finishes every read in progress outside a transaction.  A read keeps its
 * row (and, on SQLite, its view of the database) until the next call, so a
 * long-lived handle - a server thread's - calls this when a request is done;
 * otherwise its next reads could see the data as it was.  Strings from
 * earlier reads are invalid afterwards.  Does nothing inside a transaction.
 */
void cl_store_end_read(cl_store *st);

/*
 * Starts a read snapshot: every read until cl_store_end_read sees the
 * workspace as of one moment, so a page assembled from several reads is
 * consistent (and, on SQLite, the reads share one read transaction).
 * cl_store_begin ends it first.  CL_EINVAL inside a transaction.
 */
cl_err cl_store_read_begin(cl_store *st, cl_error *err);

typedef enum cl_put_result {
    CL_PUT_UNCHANGED = 0, /* the same values were there: nothing written */
    CL_PUT_INSERTED,
    CL_PUT_UPDATED
} cl_put_result;

/*
 * Inserts or updates one record of kind, keyed by its source key (the
 * first nkey fields of cl_kind_get(kind)).  row has nfields values in the
 * kind's column order.  Writes nothing, and no audit entry, when the stored
 * record already holds the same values.  Must run inside a transaction.
 *   CL_EINVAL  no transaction is open
 *   CL_EDB     the backend failed (the transaction should be rolled back)
 */
cl_err cl_store_put(cl_store *st, cl_kind kind, const cl_value *row,
                    cl_put_result *res, cl_error *err);

/* What a run of cl_store_put_bulk calls did, row by row. */
typedef struct cl_put_counts {
    int64_t inserted, updated, unchanged;
} cl_put_counts;

/*
 * Like cl_store_put, for a caller that writes many records of one kind in
 * one transaction (an import): the backend may hold the row and write it
 * with the next ones in one statement (PostgreSQL: COPY into a temporary
 * table, then one INSERT ... ON CONFLICT, one UPDATE and one audit INSERT
 * per batch, in row order).  The records held are written by the next
 * cl_store_put_flush (or cl_store_commit); until then reads do not see them,
 * so the caller must not read or put a record it holds again.  c (not NULL)
 * gets the results of the rows written by this call, which may be none or
 * a whole batch.  row's text is copied.  Return codes as cl_store_put.
 */
cl_err cl_store_put_bulk(cl_store *st, cl_kind kind, const cl_value *row,
                         cl_put_counts *c, cl_error *err);

/*
 * Inside a transaction, after a bulk change of kind's table (an import of
 * thousands of rows): refreshes the planner's statistics so that queries
 * later in the same transaction use the indexes.  SQLite plans with the
 * statistics of when the connection opened, when the table may have been
 * empty, and refreshes every table's (sampled); PostgreSQL's autovacuum
 * analyzes only after the commit, and there the kind's table is analyzed.
 */
cl_err cl_store_analyze(cl_store *st, cl_kind kind, cl_error *err);

/*
 * Refreshes the planner's statistics of every table, after one process
 * grew a workspace by thousands of rows outside an import (the demo and
 * its replay).  PostgreSQL keeps a connection's plan of a statement, made
 * when a table was nearly empty, until that table is analyzed: a replay on
 * a new workspace read the whole outbox for each lookup by key, and took
 * 17-70 s instead of its usual few.
 */
cl_err cl_store_analyze_all(cl_store *st, cl_error *err);

/* Writes the records cl_store_put_bulk holds, adding their results to c.
   CL_OK when none are held.  Return codes as cl_store_put. */
cl_err cl_store_put_flush(cl_store *st, cl_put_counts *c, cl_error *err);

/*
 * Reads the record of kind whose key is key[0..nkey-1] into row (nfields
 * values).  *found is 0 when there is none.
 */
cl_err cl_store_get(cl_store *st, cl_kind kind, const cl_value *key,
                    cl_value *row, int *found, cl_error *err);

/* The number of records of kind in the workspace. */
cl_err cl_store_count(cl_store *st, cl_kind kind, int64_t *n, cl_error *err);

/* Called once per row; return non-zero to stop early. */
typedef int (*cl_store_row_cb)(void *ud, const cl_value *row);

/* Calls cb for every record of kind, in key order.  cb must not call the
   store (PostgreSQL streams the rows over the connection). */
cl_err cl_store_each(cl_store *st, cl_kind kind, cl_store_row_cb cb, void *ud,
                     cl_error *err);

/* Called once per id; return non-zero to stop early. */
typedef int (*cl_store_id_cb)(void *ud, const char *id, size_t len);

/* Calls cb with the first key column of every record of kind (cb must not
   call the store). */
cl_err cl_store_ids(cl_store *st, cl_kind kind, cl_store_id_cb cb, void *ud,
                    cl_error *err);

/*
 * The id of the account's earliest closed_won deal of type new (by
 * closed_on, then id) into out (outlen bytes).  *found is 0 when it has none.
 */
cl_err cl_store_first_won_new_deal(cl_store *st, const char *account_id,
                                   char *out, size_t outlen, int *found,
                                   cl_error *err);

typedef struct cl_audit_entry {
    int64_t id;
    const char *at; /* "YYYY-MM-DDTHH:MM:SSZ" */
    const char *actor;
    const char *entity;    /* table name, e.g. "deals" */
    const char *entity_id; /* the key; parts of a compound key joined by '|' */
    const char *action;    /* "insert", "update", or an engine action */
    const char *old_json;  /* the record before, or NULL */
    const char *new_json;  /* the record after, or NULL */
} cl_audit_entry;

typedef int (*cl_store_audit_cb)(void *ud, const cl_audit_entry *e);

/*
 * Calls cb for each audit entry, oldest first; entity and entity_id filter
 * when not NULL.  cb must not call the store.
 */
cl_err cl_store_audit_each(cl_store *st, const char *entity,
                           const char *entity_id, cl_store_audit_cb cb,
                           void *ud, cl_error *err);

/* One record of the audit log's: its table name and key. */
typedef struct cl_store_audit_key {
    const char *entity, *entity_id;
} cl_store_audit_key;

#define CL_STORE_AUDIT_KEYS_MAX 200

/*
 * Calls cb for each audit entry of the n records in keys (1 <= n <=
 * CL_STORE_AUDIT_KEYS_MAX), oldest first: one read for a page that shows
 * the trails of several records together.  cb must not call the store.
 *   CL_EINVAL  n out of range
 */
cl_err cl_store_audit_of(cl_store *st, const cl_store_audit_key *keys, size_t n,
                         cl_store_audit_cb cb, void *ud, cl_error *err);

cl_err cl_store_audit_count(cl_store *st, int64_t *n, cl_error *err);

/*
 * Calls cb with the newest audit entry of the store, of any workspace, if
 * there is one (cheap: no count over the log), for a cache to tell whether
 * anything changed: the log is append-only, so its newest id grows with
 * every change.
 *   CL_EINVAL  the backend has no such query (use cl_store_audit_count)
 */
cl_err cl_store_audit_last(cl_store *st, cl_store_audit_cb cb, void *ud,
                           cl_error *err);

/* The id of the open workspace (rows of other workspaces are never seen). */
int64_t cl_store_workspace_id(const cl_store *st);

/* The workspace's taxonomy (seeded from the defaults), in display order. */
typedef int (*cl_store_cause_cb)(void *ud, const cl_cause *c);
cl_err cl_store_causes(cl_store *st, cl_store_cause_cb cb, void *ud,
                       cl_error *err);

/* Calls cb with every threshold of the workspace. */
typedef int (*cl_store_threshold_cb)(void *ud, const char *key, double value);
cl_err cl_store_thresholds(cl_store *st, cl_store_threshold_cb cb, void *ud,
                           cl_error *err);

/* The workspace's value of a threshold (seeded from the defaults). */
cl_err cl_store_threshold(cl_store *st, const char *key, double *value,
                          cl_error *err);

#endif
