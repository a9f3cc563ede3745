/*
 * store_sqlite.c - the SQLite backend: one file, WAL, foreign keys on.
 *
 * The record statements (their SQL from store_record.c) are prepared once
 * per kind.  Each is reset before (not after) its next use, so text read
 * from a row stays valid until the next call, as store.h promises.
 */
#include "store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_sqlite.h"
#include "store_sqlite_int.h"

static cl_err
db_error(sq_store *s, cl_error *err, const char *what)
{
    return cl_error_set(err, cl__sq_code(s->db), "%s: %s: %s", s->path, what,
                        sqlite3_errmsg(s->db));
}

static cl_err
exec(sq_store *s, const char *sql, cl_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        cl_error_set(err, CL_EDB, "%s: %s", s->path,
                     msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return CL_EDB;
    }
    return CL_OK;
}

static cl_err
prepare(sq_store *s, const char *sql, sqlite3_stmt **out, cl_error *err)
{
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out,
                           NULL) != SQLITE_OK)
        return db_error(s, err, "prepare");
    return CL_OK;
}

/* --- the record statements -------------------------------------------- */

/* The kind's statement q, prepared on first use from the shared SQL
   (store_record.c) and kept for the connection. */
static cl_err
prepare_kind(sq_store *s, cl_kind kind, cl__rec q, sqlite3_stmt **out,
             cl_error *err)
{
    cl_err rc = CL_OK;
    if (s->kind_stmt[kind][q]) {
        *out = s->kind_stmt[kind][q];
        sqlite3_reset(*out);
        sqlite3_clear_bindings(*out);
        return CL_OK;
    }
    /* SQL text is a few hundred bytes; out of memory is still the
       caller's error, not an abort. */
    char *sql = cl__rec_sql(kind, q);
    rc = sql == NULL ? cl_error_set(err, CL_ENOMEM, "out of memory")
                     : prepare(s, sql, &s->kind_stmt[kind][q], err);
    free(sql);
    *out = s->kind_stmt[kind][q];
    return rc;
}

static int
bind_value(sqlite3_stmt *st, int idx, const cl_value *v)
{
    switch (v->type) {
    case CL_V_NULL:
        return sqlite3_bind_null(st, idx);
    case CL_V_INT:
        return sqlite3_bind_int64(st, idx, v->i);
    case CL_V_REAL:
        return sqlite3_bind_double(st, idx, v->r);
    case CL_V_TEXT:
        return sqlite3_bind_text(st, idx, v->s, -1, SQLITE_STATIC);
    }
    return SQLITE_MISUSE;
}

static void
read_value(sqlite3_stmt *st, int col, cl_value *v)
{
    memset(v, 0, sizeof *v);
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_INTEGER:
        v->type = CL_V_INT;
        v->i = sqlite3_column_int64(st, col);
        break;
    case SQLITE_FLOAT:
        v->type = CL_V_REAL;
        v->r = sqlite3_column_double(st, col);
        break;
    case SQLITE_TEXT:
    case SQLITE_BLOB:
        v->type = CL_V_TEXT;
        v->s = (const char *)sqlite3_column_text(st, col);
        break;
    default:
        v->type = CL_V_NULL;
    }
}

/* Money columns have REAL affinity: a whole amount comes back as REAL too. */
void
cl__sq_read_row(sqlite3_stmt *st, const cl_kind_def *def, int first_col,
                cl_value *row)
{
    for (size_t i = 0; i < def->nfields; i++) {
        read_value(st, first_col + (int)i, &row[i]);
        cl_ftype t = def->fields[i].type;
        if ((t == CL_F_MONEY || t == CL_F_HOURS) && row[i].type == CL_V_INT) {
            row[i].type = CL_V_REAL;
            row[i].r = (double)row[i].i;
        }
    }
}

/* --- the operations ---------------------------------------------------- */

/* 1 if a table that holds rows has no planner statistics. */
static int
stats_missing(sq_store *s)
{
    sqlite3_stmt *t, *probe;
    int missing = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name FROM sqlite_schema m WHERE type = "
                           "'table' AND name NOT LIKE 'sqlite_%' AND NOT "
                           "EXISTS (SELECT 1 FROM sqlite_stat1 t WHERE "
                           "t.tbl = m.name)",
                           -1, &t, NULL) != SQLITE_OK)
        return 1; /* no sqlite_stat1 yet */
    while (!missing && sqlite3_step(t) == SQLITE_ROW) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" LIMIT 1",
                 (const char *)sqlite3_column_text(t, 0));
        if (sqlite3_prepare_v2(s->db, sql, -1, &probe, NULL) == SQLITE_OK) {
            missing = sqlite3_step(probe) == SQLITE_ROW;
            sqlite3_finalize(probe);
        }
    }
    sqlite3_finalize(t);
    return missing;
}

/*
 * Keeps the planner's statistics whole, at open and at close.  The list
 * queries rely on them to seek an index rather than scan the table in key
 * order.  PRAGMA optimize (SQLite's advice for a closing connection)
 * analyzes only the tables this connection queried, and a workspace with
 * statistics for some tables and none for others gets bad plans (lookups by
 * account scanned the whole churn table).  So while some table with rows
 * has none, or after a bulk change, analyze every table, sampling so that
 * it stays fast on big workspaces.
 */
static void
refresh_stats(sq_store *s, int closing)
{
    static const char analyze[] = "PRAGMA analysis_limit = 1000; ANALYZE";
    sqlite3_int64 changed = sqlite3_total_changes64(s->db) - s->changes_at_open;
    if (!closing) {
        if (stats_missing(s))
            sqlite3_exec(s->db, analyze, NULL, NULL, NULL);
    } else if (changed > 0 && (changed >= 1000 || stats_missing(s)))
        sqlite3_exec(s->db, analyze, NULL, NULL, NULL);
    else
        sqlite3_exec(s->db, "PRAGMA analysis_limit = 1000; PRAGMA optimize",
                     NULL, NULL, NULL);
}

static cl_err
sq_analyze(cl_store *base, cl_kind kind, cl_error *err)
{
    (void)kind; /* every table, sampled: cheap here */
    sq_store *s = (sq_store *)base;
    if (sqlite3_exec(s->db, "PRAGMA analysis_limit = 1000; ANALYZE", NULL, NULL,
                     NULL) != SQLITE_OK)
        return db_error(s, err, "analyze");
    return CL_OK;
}

static void
sq_close(cl_store *base)
{
    sq_store *s = (sq_store *)base;
    for (int k = 0; k < CL_KIND_COUNT; k++)
        for (int q = 0; q < CL__REC_N; q++)
            sqlite3_finalize(s->kind_stmt[k][q]);
    sqlite3_finalize(s->begin);
    sqlite3_finalize(s->commit);
    sqlite3_finalize(s->rollback);
    cl__sq_stmt_free(s);
    if (s->db && s->begin)
        refresh_stats(s, 1);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

static cl_err
step_done(sq_store *s, sqlite3_stmt *st, cl_error *err, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        cl_err e = db_error(s, err, what);
        sqlite3_reset(st);
        return e;
    }
    sqlite3_reset(st);
    return CL_OK;
}

static void
sq_end_read(cl_store *base)
{
    sq_store *s = (sq_store *)base;
    /* A statement stepped to a row holds a read transaction, and with it a
       WAL snapshot, until it is reset. */
    sqlite3_stmt *st = NULL;
    while ((st = sqlite3_next_stmt(s->db, st)) != NULL)
        if (sqlite3_stmt_busy(st))
            sqlite3_reset(st);
    if (base->in_read) {
        sqlite3_step(s->commit);
        sqlite3_reset(s->commit);
    }
}

/* A deferred transaction: the first read takes the snapshot. */
static cl_err
sq_read_begin(cl_store *base, cl_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    if (cl__sq_stmt(s, "BEGIN DEFERRED", &st, err) != CL_OK)
        return CL_EDB;
    cl_err rc = sqlite3_step(st) == SQLITE_DONE
                    ? CL_OK
                    : db_error(s, err, "begin a read");
    cl__sq_stmt_done(s, st);
    return rc;
}

static cl_err
sq_begin(cl_store *base, cl_error *err)
{
    sq_store *s = (sq_store *)base;
    /* A read left unfinished (a cached get keeps its row for the caller)
       holds a snapshot; BEGIN IMMEDIATE on a snapshot another connection
       has since written past fails at once with SQLITE_BUSY_SNAPSHOT. */
    sq_end_read(base);
    /* The caller checks references itself (cl_store_begin_checked): the
       foreign-key lookups, two B-tree probes per imported deal, would only
       repeat its checks.  The pragma is a no-op inside a transaction, so it
       is set before BEGIN and restored after COMMIT or ROLLBACK. */
    if (base->refs_checked && sqlite3_exec(s->db, "PRAGMA foreign_keys = OFF",
                                           NULL, NULL, NULL) != SQLITE_OK)
        return db_error(s, err, "foreign_keys");
    cl_err rc = step_done(s, s->begin, err, "begin");
    if (rc != CL_OK && base->refs_checked)
        sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return rc;
}

static cl_err
sq_commit(cl_store *base, cl_error *err)
{
    sq_store *s = (sq_store *)base;
    cl_err rc = step_done(s, s->commit, err, "commit");
    if (rc == CL_OK && base->refs_checked)
        sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return rc;
}

static void
sq_rollback(cl_store *base)
{
    sq_store *s = (sq_store *)base;
    /* Reset every statement first: an active read would make the rollback
       fail with SQLITE_BUSY. */
    sqlite3_stmt *st = NULL;
    while ((st = sqlite3_next_stmt(s->db, st)) != NULL)
        if (st != s->rollback)
            sqlite3_reset(st);
    sqlite3_step(s->rollback);
    sqlite3_reset(s->rollback);
    if (base->refs_checked)
        sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
}

static cl_err
sq_record(cl_store *base, cl_kind kind, cl__rec q, const cl_value *row,
          const char *const *texts, cl_value *out, int *n, cl_error *err)
{
    sq_store *s = (sq_store *)base;
    const cl_kind_def *def = cl_kind_get(kind);
    size_t nv = q == CL__REC_GET ? def->nkey : def->nfields;
    sqlite3_stmt *st;
    (void)texts; /* no CL__REC_AUDITED here */
    *n = 0;
    cl_err rc = prepare_kind(s, kind, q, &st, err);
    if (rc != CL_OK)
        return rc;
    int brc = sqlite3_bind_int64(st, 1, s->base.workspace_id);
    for (size_t i = 0; i < nv && brc == SQLITE_OK; i++)
        brc = bind_value(st, (int)i + 2, &row[i]);
    if (brc != SQLITE_OK)
        return db_error(s, err, "bind");
    if (q != CL__REC_GET) {
        rc = step_done(s, st, err, def->table);
        if (rc == CL_OK)
            *n = sqlite3_changes(s->db);
        return rc;
    }
    /* The statement is reset at its next use, not now: the row's text
       stays valid until then (store.h). */
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        cl__sq_read_row(st, def, 0, out);
        *n = 1;
        return CL_OK;
    }
    if (src == SQLITE_DONE)
        return CL_OK;
    return db_error(s, err, def->table);
}

static const cl_store_ops sqlite_ops = {
    .name = "sqlite",
    .dialect = CL_SQL_SQLITE,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .record = sq_record,
    .analyze = sq_analyze,
    .end_read = sq_end_read,
    .read_begin = sq_read_begin,
    .exec = cl__sq_exec,
    .rows = cl__sq_rows,
    .stream = cl__sq_rows,
};

/* --- opening, migrating --------------------------------------- */

/* Applies every migration newer than the file's version, each in its own
   transaction with its schema_migrations row. */
static cl_err
migrate(sq_store *s, cl_error *err)
{
    cl_err rc = exec(s,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     "  version INTEGER PRIMARY KEY,"
                     "  applied_at TEXT NOT NULL)",
                     err);
    if (rc != CL_OK)
        return rc;
    int version;
    if ((rc = cl__rec_schema_version(&s->base, &version, err)) != CL_OK)
        return rc;
    if (version > CL_STORE_SCHEMA_VERSION)
        return cl_error_set(err, CL_EDB,
                            "%s: schema version %d is newer than this "
                            "closeloop (%d); upgrade closeloop",
                            s->path, version, CL_STORE_SCHEMA_VERSION);
    for (int v = version + 1; v <= CL_STORE_SCHEMA_VERSION; v++) {
        char mark[160];
        if ((rc = exec(s, "BEGIN IMMEDIATE", err)) != CL_OK)
            return rc;
        snprintf(mark, sizeof mark,
                 "INSERT INTO schema_migrations VALUES (%d, "
                 "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'))",
                 v);
        rc = exec(s, cl__sqlite_migration(v), err);
        if (rc == CL_OK)
            rc = exec(s, mark, err);
        if (rc == CL_OK && v == 1)
            rc = cl__store_seed(&s->base, err);
        if (rc == CL_OK)
            rc = exec(s, "COMMIT", err);
        if (rc != CL_OK) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    return CL_OK;
}

void
cl_store_threaded(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

cl_err
cl__store_sqlite_open(const char *path, cl_store **out, cl_error *err)
{
    sq_store *s = calloc(1, sizeof *s);
    cl_err rc;

    *out = NULL;
    if (s == NULL || (s->path = strdup(path)) == NULL) {
        free(s);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    s->base.ops = &sqlite_ops;
    s->base.workspace_id = 1;
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = cl_error_set(err, CL_EDB, "%s: cannot open: %s", path,
                          s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    /* WAL lets readers (the server, reports) run beside one writer;
       synchronous=NORMAL is durable across process crashes in WAL mode. */
    rc = exec(s,
              "PRAGMA journal_mode = WAL;"
              "PRAGMA synchronous = NORMAL;"
              "PRAGMA foreign_keys = ON;"
              "PRAGMA temp_store = MEMORY;"
              "PRAGMA cache_size = -65536;",
              err);
    if (rc != CL_OK)
        goto fail;
    if ((rc = migrate(s, err)) != CL_OK)
        goto fail;
    if ((rc = prepare(s, "BEGIN IMMEDIATE", &s->begin, err)) != CL_OK ||
        (rc = prepare(s, "COMMIT", &s->commit, err)) != CL_OK ||
        (rc = prepare(s, "ROLLBACK", &s->rollback, err)) != CL_OK)
        goto fail;
    refresh_stats(s, 0);
    /* Migrations, seeding and statistics are not changes of the user's
       data. */
    s->changes_at_open = sqlite3_total_changes64(s->db);
    *out = &s->base;
    return CL_OK;
fail:
    sq_close(&s->base);
    return rc;
}
