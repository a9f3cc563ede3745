/*
 * store_pg.c - the PostgreSQL backend, through libpq: one connection per
 * store handle, every statement prepared once per connection.
 *
 * Write transactions of a workspace are serialized by a transaction-scoped
 * advisory lock taken by begin (the counterpart of SQLite's BEGIN
 * IMMEDIATE): two servers or two `closeloop tick`s on one database apply
 * their transactions one after the other, each reading what the other
 * committed, so a session is opened once and engine ids (the workspace's
 * largest plus one) never collide.  Readers take no lock.  The transactions
 * the store itself owns (migrations at open, the outbox claim) are retried
 * on a serialization failure or deadlock; a caller's transaction reports
 * CL_ERETRY and the caller decides (docs/store.md).
 */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_pg.h"
#include "store_pg_int.h"

#define RETRIES 5

/* Runs a statement without parameters (simple protocol: may hold several). */
static cl_err
exec(pg_store *s, const char *sql, cl_error *err)
{
    cl_error ignored;
    cl_err rc0 = cl__pg_ready(s, err ? err : &ignored);
    if (rc0 != CL_OK)
        return rc0;
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    cl_err rc = CL_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = cl__pg_fail(s, r, sql, err);
    PQclear(r);
    return rc;
}

/* Record values as text parameters: $1 the workspace, then n values. */
typedef struct kparams {
    const char *v[40];
    char num[40][40];
} kparams;

static void
kbind(pg_store *s, kparams *p, const cl_kind_def *def, const cl_value *row,
      size_t from, size_t to)
{
    snprintf(p->num[0], sizeof p->num[0], "%lld",
             (long long)s->base.workspace_id);
    p->v[0] = p->num[0];
    for (size_t i = from; i < to; i++) {
        const cl_value *v = &row[i];
        size_t k = i + 1;
        switch (v->type) {
        case CL_V_NULL:
            p->v[k] = NULL;
            break;
        case CL_V_TEXT:
            p->v[k] = v->s;
            break;
        case CL_V_INT:
            snprintf(p->num[k], sizeof p->num[k], "%lld", (long long)v->i);
            p->v[k] = p->num[k];
            break;
        case CL_V_REAL: {
            cl_ftype t = def->fields[i].type;
            /* Money and hours are numeric(14,2): the importer allows two
               decimals, so the cents are the whole value. */
            snprintf(p->num[k], sizeof p->num[k],
                     (t == CL_F_MONEY || t == CL_F_HOURS) ? "%.2f" : "%.17g",
                     v->r);
            p->v[k] = p->num[k];
            break;
        }
        }
    }
}

void
cl__pg_read_row(const PGresult *r, int row, const cl_kind_def *def,
                cl_value *out)
{
    for (size_t i = 0; i < def->nfields; i++) {
        cl_value *v = &out[i];
        memset(v, 0, sizeof *v);
        if (PQgetisnull(r, row, (int)i)) {
            v->type = CL_V_NULL;
            continue;
        }
        switch (def->fields[i].type) {
        case CL_F_INT:
        case CL_F_BOOL:
            v->type = CL_V_INT;
            v->i = cl__pg_int(r, row, (int)i, 0);
            break;
        case CL_F_MONEY:
        case CL_F_HOURS:
            v->type = CL_V_REAL;
            v->r = cl__pg_real(r, row, (int)i);
            break;
        default:
            v->type = CL_V_TEXT;
            v->s = PQgetvalue(r, row, (int)i);
        }
    }
}

/* --- the operations ---------------------------------------------------- */

static void
pg_close(cl_store *base)
{
    pg_store *s = PG(base);
    PQclear(s->kept);
    for (int k = 0; k < CL_KIND_COUNT; k++)
        for (int q = 0; q < CL__REC_N; q++)
            free(s->kind_sql[k][q]);
    for (size_t i = 0; i < s->cap; i++)
        free(s->stmts[i].sql);
    free(s->stmts);
    cl__pg_bulk_free(s);
    if (s->conn)
        PQfinish(s->conn);
    free(s);
}

static cl_err
pg_begin(cl_store *base, cl_error *err)
{
    pg_store *s = PG(base);
    cl_err rc = exec(s, "BEGIN", err);
    if (rc == CL_OK)
        rc = cl__q_exec(base, NULL, err,
                        "SELECT pg_advisory_xact_lock("
                        "hashtext(current_schema()), ?1::integer)",
                        "");
    if (rc != CL_OK)
        exec(s, "ROLLBACK", NULL);
    return rc;
}

static cl_err
pg_commit(cl_store *base, cl_error *err)
{
    pg_store *s = PG(base);
    if (PQstatus(s->conn) != CONNECTION_OK)
        return cl__pg_ready(s, err); /* CL_ERETRY: rolled back */
    PGresult *r = PQexec(s->conn, "COMMIT");
    cl_err rc = CL_OK;
    if (PQresultStatus(r) != PGRES_COMMAND_OK &&
        PQstatus(s->conn) == CONNECTION_BAD)
        /* Lost while committing: the server may have committed. */
        rc = cl_error_set(err, CL_EDB,
                          "%s: commit: the connection was lost while "
                          "committing; the transaction may or may not have "
                          "been committed",
                          s->where);
    else if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = cl__pg_fail(s, r, "commit", err);
    else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
        /* A failed statement aborted the transaction: COMMIT rolled it
           back. */
        rc = cl_error_set(err, CL_EDB,
                          "%s: commit: the transaction had failed and was "
                          "rolled back",
                          s->where);
    PQclear(r);
    return rc;
}

static void
pg_rollback(cl_store *base)
{
    /* On a lost connection the server rolled back already. */
    if (PQstatus(PG(base)->conn) == CONNECTION_OK)
        PQclear(PQexec(PG(base)->conn, "ROLLBACK"));
}

/* No read holds anything on the server outside a transaction (every result
   is fetched whole or streamed to its end); only the last get's row is
   kept, and it is let go. */
static void
pg_end_read(cl_store *base)
{
    PQclear(PG(base)->kept);
    PG(base)->kept = NULL;
    if (base->in_read && PQstatus(PG(base)->conn) == CONNECTION_OK)
        PQclear(PQexec(PG(base)->conn, "COMMIT"));
}

static cl_err
pg_read_begin(cl_store *base, cl_error *err)
{
    return exec(PG(base), "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                err);
}

static cl_err
pg_record(cl_store *base, cl_kind kind, cl__rec q, const cl_value *row,
          const char *const *texts, cl_value *out, int *n, cl_error *err)
{
    pg_store *s = PG(base);
    const cl_kind_def *def = cl_kind_get(kind);
    size_t nv = q == CL__REC_GET ? def->nkey : def->nfields;
    size_t nt = q == CL__REC_AUDITED ? 5 : 0;
    kparams p;
    PGresult *r;
    *n = 0;
    /* The SQL of the kind's statements, generated once per connection. */
    if (s->kind_sql[kind][q] == NULL &&
        (s->kind_sql[kind][q] = cl__rec_sql(kind, q)) == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    kbind(s, &p, def, row, 0, nv);
    for (size_t i = 0; i < nt; i++)
        p.v[nv + 1 + i] = texts[i];
    cl_err rc = cl__pg_run(s, s->kind_sql[kind][q], (int)(nv + nt + 1), p.v,
                           NULL, &r, err);
    if (rc != CL_OK)
        return rc;
    if (q != CL__REC_GET) {
        *n = atoi(PQcmdTuples(r));
        PQclear(r);
        return CL_OK;
    }
    /* The row's text stays valid until the next get (store.h). */
    PQclear(s->kept);
    s->kept = r;
    if (PQntuples(r) > 0) {
        cl__pg_read_row(r, 0, def, out);
        *n = 1;
    }
    return CL_OK;
}

/* The table's planner statistics, in the import's transaction (which
   sees its own rows): autovacuum analyzes only after the commit, and the
   import's events search the table it just filled.  Without this, the
   search for won deals that need a review took 1.9 s after 105,000 deals
   were imported (pg_stat_statements).  Only kind's table: all ten cost
   0.7 s after 100,000 accounts. */
static cl_err
pg_analyze(cl_store *base, cl_kind kind, cl_error *err)
{
    char sql[96];
    if (kind == CL__ANALYZE_ALL)
        return exec(PG(base), "ANALYZE", err);
    if (kind == CL__ANALYZE_LOOP)
        return exec(PG(base), "ANALYZE tasks, outbox, flags", err);
    snprintf(sql, sizeof sql, "ANALYZE \"%s\"", cl_kind_get(kind)->table);
    return exec(PG(base), sql, err);
}

static const cl_store_ops pg_ops = {
    .name = "postgres",
    .dialect = CL_SQL_PG,
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .record = pg_record,
    .audited_insert = 1,
    .bulk_put = cl__pg_bulk_put,
    .bulk_flush = cl__pg_bulk_flush,
    .bulk_drop = cl__pg_bulk_drop,
    .analyze = pg_analyze,
    .end_read = pg_end_read,
    .read_begin = pg_read_begin,
    .exec = cl__pg_q_exec,
    .rows = cl__pg_q_rows,
    .stream = cl__pg_q_stream,
};

/* --- opening, migrating --------------------------------------- */

#define NOW_TEXT                                                               \
    "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* Applies migration v in its own transaction, retried when the server
   reports a serialization failure or deadlock. */
static cl_err
apply(pg_store *s, int v, cl_error *err)
{
    cl_err rc = CL_OK;
    for (int attempt = 0; attempt < RETRIES; attempt++) {
        char mark[200];
        snprintf(mark, sizeof mark,
                 "INSERT INTO schema_migrations VALUES (%d, " NOW_TEXT ")", v);
        rc = exec(s, "BEGIN", err);
        /* In a transaction: a lost connection must fail it, not be
           reopened under it. */
        s->base.in_tx = rc == CL_OK;
        /* A script may be empty (a version another branch added, merged
           here as a placeholder): PostgreSQL refuses an empty query. */
        if (rc == CL_OK && *cl__pg_migration(v))
            rc = exec(s, cl__pg_migration(v), err);
        if (rc == CL_OK)
            rc = exec(s, mark, err);
        if (rc == CL_OK && v == 1)
            rc = cl__store_seed(&s->base, err);
        if (rc == CL_OK)
            rc = pg_commit(&s->base, err);
        if (rc != CL_OK)
            pg_rollback(&s->base);
        s->base.in_tx = 0;
        if (rc == CL_OK)
            return CL_OK;
        if (rc != CL_ERETRY)
            return rc;
    }
    return rc;
}

/* Applies every migration newer than the database's version, under a
   session advisory lock so two processes opening a new database do not
   both create it. */
static cl_err
migrate(pg_store *s, cl_error *err)
{
    cl_err rc =
        exec(s, "SELECT pg_advisory_lock(hashtext(current_schema()), 0)", err);
    if (rc != CL_OK)
        return rc;
    rc = exec(s,
              "CREATE TABLE IF NOT EXISTS schema_migrations ("
              "  version integer PRIMARY KEY,"
              "  applied_at text NOT NULL)",
              err);
    int version = 0;
    if (rc == CL_OK)
        rc = cl__rec_schema_version(&s->base, &version, err);
    if (rc == CL_OK && version > CL_STORE_SCHEMA_VERSION)
        rc = cl_error_set(err, CL_EDB,
                          "%s: schema version %d is newer than this "
                          "closeloop (%d); upgrade closeloop",
                          s->where, version, CL_STORE_SCHEMA_VERSION);
    for (int v = version + 1; v <= CL_STORE_SCHEMA_VERSION && rc == CL_OK; v++)
        rc = apply(s, v, err);
    exec(s, "SELECT pg_advisory_unlock(hashtext(current_schema()), 0)", NULL);
    return rc;
}

cl_err
cl__store_pg_open(const char *url, cl_store **out, cl_error *err)
{
    pg_store *s = calloc(1, sizeof *s);
    cl_err rc;

    *out = NULL;
    if (s == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    s->base.ops = &pg_ops;
    s->base.workspace_id = 1;
    /* "postgres:" alone: libpq takes everything from PG* variables. */
    if (strcmp(url, "postgres:") == 0 || strcmp(url, "postgresql:") == 0)
        url = "";
    s->conn = PQconnectdb(url);
    if (s->conn == NULL) {
        free(s);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    if (PQstatus(s->conn) != CONNECTION_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(s->conn));
        msg[strcspn(msg, "\n")] = '\0';
        rc = cl_error_set(err, CL_EDB, "postgres: cannot connect: %s", msg);
        goto fail;
    }
    snprintf(s->where, sizeof s->where, "postgres://%s:%s/%s", PQhost(s->conn),
             PQport(s->conn), PQdb(s->conn));
    rc = exec(s, cl__pg_session_sql, err);
    if (rc == CL_OK)
        rc = migrate(s, err);
    if (rc != CL_OK)
        goto fail;
    *out = &s->base;
    return CL_OK;
fail:
    pg_close(&s->base);
    return rc;
}

/* What closeloop-pg.so exports (module.h). */
const cl__pg_api cl__pg_module = {cl__store_pg_open, cl__pg_migrate};
