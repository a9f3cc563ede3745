/*
 * store_pg_query.c - the PostgreSQL backend's statement cache and query
 * primitives (exec, rows and stream of cl_store_ops): every statement is
 * prepared once per connection (PQprepare, named by its place in the cache)
 * and then run with PQexecPrepared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_int.h"

#define OID_INT8 20
#define OID_FLOAT8 701
#define MAXP 40
/* The most parameters of a statement: a read of the audit trails of
   CL_STORE_AUDIT_KEYS_MAX records takes two a record. */
#define MAXV (2 + 2 * CL_STORE_AUDIT_KEYS_MAX)

static uint64_t
fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

cl_err
cl__pg_fail(pg_store *s, const PGresult *r, const char *what, cl_error *err)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (msg == NULL)
        msg = PQerrorMessage(s->conn);
    cl_err code = CL_EDB;
    if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
        code = CL_ERETRY;
    /* The server dropped the session: its transaction is rolled back and
       the next one runs on a new connection (cl__pg_ready). */
    if (PQstatus(s->conn) == CONNECTION_BAD && s->base.in_tx)
        code = CL_ERETRY;
    char line[512];
    snprintf(line, sizeof line, "%s", msg ? msg : "unknown error");
    line[strcspn(line, "\n")] = '\0';
    return cl_error_set(err, code, "%s: %.48s: %s%s%s%s", s->where, what, line,
                        state ? " (SQLSTATE " : "", state ? state : "",
                        state ? ")" : "");
}

const char cl__pg_session_sql[] =
    "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; "
    "SET TimeZone = 'UTC'; SET extra_float_digits = 1; "
    "SET client_min_messages = error";

cl_err
cl__pg_ready(pg_store *s, cl_error *err)
{
    if (PQstatus(s->conn) == CONNECTION_OK)
        return CL_OK;
    if (s->base.in_tx)
        return cl_error_set(err, CL_ERETRY,
                            "%s: the connection to the server was lost "
                            "during the transaction; nothing of it was "
                            "committed",
                            s->where);
    PQreset(s->conn);
    if (PQstatus(s->conn) != CONNECTION_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(s->conn));
        msg[strcspn(msg, "\n")] = '\0';
        return cl_error_set(err, CL_EDB, "%s: connection lost: %s", s->where,
                            msg);
    }
    /* A new session: its prepared statements (and outbox claims) are
       gone. */
    for (size_t i = 0; i < s->cap; i++) {
        free(s->stmts[i].sql);
        memset(&s->stmts[i], 0, sizeof s->stmts[i]);
    }
    s->nstmts = 0;
    PGresult *r = PQexec(s->conn, cl__pg_session_sql);
    cl_err rc = PQresultStatus(r) == PGRES_COMMAND_OK
                    ? CL_OK
                    : cl__pg_fail(s, r, "session settings", err);
    PQclear(r);
    return rc;
}

/* 1 when a call that just failed may run again on a new connection: the
   connection broke outside a transaction. */
static int
lost(pg_store *s)
{
    return PQstatus(s->conn) == CONNECTION_BAD && !s->base.in_tx;
}

/* The cached statement for sql, prepared on first use. */
static cl_err
statement(pg_store *s, const char *sql, int n, const Oid *types,
          const char **name, cl_error *err)
{
    uint64_t h = fnv(sql);
    if (s->nstmts * 2 >= s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        pg_stmt *v = calloc(cap, sizeof *v);
        if (v == NULL)
            return cl_error_set(err, CL_ENOMEM, "out of memory");
        for (size_t i = 0; i < s->cap; i++) {
            if (s->stmts[i].sql == NULL)
                continue;
            size_t j = s->stmts[i].hash & (cap - 1);
            while (v[j].sql)
                j = (j + 1) & (cap - 1);
            v[j] = s->stmts[i];
        }
        free(s->stmts);
        s->stmts = v;
        s->cap = cap;
    }
    size_t j = h & (s->cap - 1);
    while (s->stmts[j].sql) {
        if (s->stmts[j].hash == h && strcmp(s->stmts[j].sql, sql) == 0) {
            *name = s->stmts[j].name;
            return CL_OK;
        }
        j = (j + 1) & (s->cap - 1);
    }
    pg_stmt *p = &s->stmts[j];
    snprintf(p->name, sizeof p->name, "cl%zu", s->nstmts);
    /* Shared SQL is written with ?N placeholders (store_sql.c); the cache
       keeps it by the text the caller gave. */
    cl_buf pg = {0};
    const char *text = sql;
    if (cl__sql_needs_rewrite(sql, CL_SQL_PG) &&
        (text = cl__sql_rewrite(&pg, sql, CL_SQL_PG)) == NULL) {
        cl_buf_free(&pg);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    PGresult *r = PQprepare(s->conn, p->name, text, n, types);
    cl_buf_free(&pg);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        cl_err rc = cl__pg_fail(s, r, sql, err);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    if ((p->sql = strdup(sql)) == NULL) {
        /* The statement exists on the server under p->name; without its
           text in the cache it would be prepared again under a new name. */
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    p->hash = h;
    s->nstmts++;
    *name = p->name;
    return CL_OK;
}

cl_err
cl__pg_run(pg_store *s, const char *sql, int n, const char *const *vals,
           const Oid *types, PGresult **out, cl_error *err)
{
    const char *name;
    cl_err rc;
    *out = NULL;
    /* A connection the server dropped (a restart, a failover, an idle
       timeout) is opened again once, outside a transaction: the
       statements run so are reads or idempotent writes. */
    for (int attempt = 0;; attempt++) {
        if ((rc = cl__pg_ready(s, err)) != CL_OK)
            return rc;
        rc = statement(s, sql, n, types, &name, err);
        if (rc == CL_OK) {
            PGresult *r = PQexecPrepared(s->conn, name, n, vals, NULL, NULL, 0);
            ExecStatusType st = PQresultStatus(r);
            if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
                *out = r;
                return CL_OK;
            }
            rc = cl__pg_fail(s, r, sql, err);
            PQclear(r);
        }
        if (attempt > 0 || !lost(s))
            return rc;
    }
}

cl_err
cl__pg_stream(pg_store *s, const char *sql, int n, const char *const *vals,
              const Oid *types, cl__pg_row_fn fn, void *ud, cl_error *err)
{
    const char *name;
    cl_err rc;
    for (int attempt = 0;; attempt++) {
        if ((rc = cl__pg_ready(s, err)) != CL_OK)
            return rc;
        rc = statement(s, sql, n, types, &name, err);
        if (rc == CL_OK &&
            (!PQsendQueryPrepared(s->conn, name, n, vals, NULL, NULL, 0) ||
             !PQsetSingleRowMode(s->conn)))
            rc = cl__pg_fail(s, NULL, sql, err);
        if (rc == CL_OK)
            break;
        if (attempt > 0 || !lost(s))
            return rc;
    }
    int stop = 0;
    PGresult *r;
    /* Every result is read, even after fn stops or a failure: the
       connection takes no other query until the last one. */
    while ((r = PQgetResult(s->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            if (!stop && rc == CL_OK)
                stop = fn(ud, r, 0);
        } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK &&
                   rc == CL_OK) {
            rc = cl__pg_fail(s, r, sql, err);
        }
        PQclear(r);
    }
    return rc;
}

/* Binds the workspace and fmt's arguments as text. */
typedef struct params {
    int n, nnum;
    const char *v[MAXV];
    Oid t[MAXV];
    char num[MAXP][32]; /* the numbers' text */
} params;

static cl_err
bind(pg_store *s, params *p, const char *fmt, const cl__arg *a, cl_error *err)
{
    p->n = 1;
    p->nnum = 1;
    snprintf(p->num[0], sizeof p->num[0], "%lld",
             (long long)s->base.workspace_id);
    p->v[0] = p->num[0];
    p->t[0] = OID_INT8;
    for (int i = 0; fmt && fmt[i]; i++) {
        int k = p->n++;
        if (k >= MAXV || (fmt[i] != 's' && p->nnum >= MAXP))
            return cl_error_set(err, CL_EINVAL, "too many parameters");
        switch (fmt[i]) {
        case 's':
            p->v[k] = a[i].s;
            p->t[k] = 0;
            break;
        case 'i':
            snprintf(p->num[p->nnum], sizeof p->num[0], "%lld",
                     (long long)a[i].i);
            p->v[k] = p->num[p->nnum++];
            p->t[k] = OID_INT8;
            break;
        case 'd':
            snprintf(p->num[p->nnum], sizeof p->num[0], "%.17g", a[i].d);
            p->v[k] = p->num[p->nnum++];
            p->t[k] = OID_FLOAT8;
            break;
        default:
            return cl_error_set(err, CL_EINVAL, "bad parameter type '%c'",
                                fmt[i]);
        }
    }
    return CL_OK;
}

/* ---- the cl__row accessors of a result row ------------------------------ */

static const char *
pg_col_text(const cl__row *r, int col)
{
    return cl__pg_text(r->res, r->row, col);
}

static int64_t
pg_col_int(const cl__row *r, int col, int64_t dflt)
{
    return cl__pg_int(r->res, r->row, col, dflt);
}

static double
pg_col_real(const cl__row *r, int col)
{
    return cl__pg_real(r->res, r->row, col);
}

static void
pg_col_record(const cl__row *r, const cl_kind_def *def, cl_value *row)
{
    cl__pg_read_row(r->res, r->row, def, row);
}

static const cl__row_vt pg_row_vt = {pg_col_text, pg_col_int, pg_col_real,
                                     pg_col_record};

/* A cl__row_fn and its ud, for cl__pg_stream's row function. */
typedef struct map_ctx {
    cl__row_fn fn;
    void *ud;
} map_ctx;

static int
map_row(void *ud, const PGresult *res, int row)
{
    const map_ctx *m = ud;
    cl__row r = {&pg_row_vt, res, row};
    return m->fn(m->ud, &r);
}

/* ---- the query primitives of cl_store_ops ---------------------------------
 */

/* Runs sql with the workspace and fmt's arguments bound; *out as
   cl__pg_run's. */
static cl_err
run(cl_store *st, const char *sql, const char *fmt, const cl__arg *a,
    PGresult **out, cl_error *err)
{
    params p;
    cl_err rc = bind(PG(st), &p, fmt, a, err);
    return rc == CL_OK ? cl__pg_run(PG(st), sql, p.n, p.v, p.t, out, err) : rc;
}

cl_err
cl__pg_q_exec(cl_store *st, int *changes, cl_error *err, const char *sql,
              const char *fmt, const cl__arg *a)
{
    PGresult *r;
    cl_err rc = run(st, sql, fmt, a, &r, err);
    if (rc != CL_OK)
        return rc;
    if (changes)
        *changes = atoi(PQcmdTuples(r));
    PQclear(r);
    return CL_OK;
}

cl_err
cl__pg_q_rows(cl_store *st, cl__row_fn fn, void *ud, cl_error *err,
              const char *sql, const char *fmt, const cl__arg *a)
{
    PGresult *r;
    cl_err rc = run(st, sql, fmt, a, &r, err);
    if (rc != CL_OK)
        return rc;
    int n = PQntuples(r);
    for (int i = 0; i < n; i++)
        if (map_row(&(map_ctx){fn, ud}, r, i))
            break;
    PQclear(r);
    return CL_OK;
}

cl_err
cl__pg_q_stream(cl_store *st, cl__row_fn fn, void *ud, cl_error *err,
                const char *sql, const char *fmt, const cl__arg *a)
{
    pg_store *s = PG(st);
    params p;
    map_ctx m = {fn, ud};
    cl_err rc = bind(s, &p, fmt, a, err);
    return rc == CL_OK ? cl__pg_stream(s, sql, p.n, p.v, p.t, map_row, &m, err)
                       : rc;
}

const char *
cl__pg_text(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

int64_t
cl__pg_int(const PGresult *r, int row, int col, int64_t dflt)
{
    if (PQgetisnull(r, row, col))
        return dflt;
    const char *v = PQgetvalue(r, row, col);
    if (v[0] == 't')
        return 1;
    if (v[0] == 'f')
        return 0;
    return strtoll(v, NULL, 10);
}

double
cl__pg_real(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    return strtod(PQgetvalue(r, row, col), NULL);
}
