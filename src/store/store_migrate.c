/*
 * store_migrate.c - a workspace copied from SQLite to PostgreSQL with COPY,
 * verified by row counts and per-table checksums before it commits.
 *
 * The target's column list and types (information_schema) drive both the
 * copy and the canonical rendering of a row, so the two sides render a value
 * the same way: booleans as 1/0, integers in decimal, money (numeric) to the
 * cent, doubles with 17 significant digits, text and days as text.
 */
#include "migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_engine_int.h"
#include "store_int.h"
#include "store_pg_int.h"
#include "store_sqlite_int.h"

/* Every table of a workspace, parents first (foreign keys). */
static const char *const tables[] = {
    "users",           "accounts",   "deals",          "churns",
    "recoveries",      "reviews",    "cs_hours",       "arr_movements",
    "icp_versions",    "holidays",   "taxonomy",       "thresholds",
    "config",          "sessions",   "tasks",          "outbox",
    "process_changes", "triggers",   "coaching_items", "flags",
    "recovery_links",  "api_tokens", "web_sessions",   "invites",
    "review_answers",  "health_readings", "audit",     "inbox",
    "session_schedule", "notify_prefs",
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* Seeded by every new workspace: replaced, not refused. */
static int
seeded(const char *table)
{
    return strcmp(table, "taxonomy") == 0 || strcmp(table, "thresholds") == 0;
}

enum { C_TEXT, C_BOOL, C_INT, C_MONEY, C_REAL };

typedef struct column {
    char name[64];
    int type;
} column;

static uint64_t
fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The canonical text of one value (NULL as "\x01"). */
static const char *
canon(int type, int is_null, const char *text, double d, long long i, char *tmp,
      size_t len)
{
    if (is_null)
        return "\x01";
    switch (type) {
    case C_BOOL:
    case C_INT:
        snprintf(tmp, len, "%lld", type == C_BOOL ? (long long)(i != 0) : i);
        return tmp;
    case C_MONEY:
        snprintf(tmp, len, "%.2f", d);
        return tmp;
    case C_REAL:
        snprintf(tmp, len, "%.17g", d);
        return tmp;
    default:
        return text;
    }
}

typedef struct mig {
    sq_store *src;
    pg_store *dst;
    cl_error *err;
} mig;

static int
column_row(void *ud, const cl__row *r)
{
    struct {
        column *v;
        int n;
    } *c = ud;
    if (c->n >= 40)
        return 1;
    column *col = &c->v[c->n++];
    snprintf(col->name, sizeof col->name, "%s", r->vt->text(r, 0));
    const char *t = r->vt->text(r, 1);
    col->type = strcmp(t, "boolean") == 0            ? C_BOOL
                : strcmp(t, "bigint") == 0           ? C_INT
                : strcmp(t, "integer") == 0          ? C_INT
                : strcmp(t, "numeric") == 0          ? C_MONEY
                : strcmp(t, "double precision") == 0 ? C_REAL
                                                     : C_TEXT;
    return 0;
}

/* The target's columns of table but workspace_id, in table order. */
static cl_err
columns(mig *m, const char *table, column *v, int *n)
{
    struct {
        column *v;
        int n;
    } c = {v, 0};
    cl_err rc = cl__q_rows(&m->dst->base, column_row, &c, m->err,
                           "SELECT column_name::text, data_type::text FROM "
                           "information_schema.columns WHERE "
                           "table_schema = current_schema() AND "
                           "table_name = ?2 AND column_name <> "
                           "'workspace_id' AND ?1::bigint IS NOT NULL "
                           "ORDER BY ordinal_position",
                           "s", table);
    *n = c.n;
    if (rc == CL_OK && c.n == 0)
        rc = cl_error_set(m->err, CL_EDB, "%s: no table %s", m->dst->where,
                          table);
    return rc;
}

static void
select_list(cl_buf *b, const column *c, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            cl_buf_str(b, ", ");
        cl_buf_str(b, "\"");
        cl_buf_str(b, c[i].name);
        cl_buf_str(b, "\"");
    }
}

/* Copies one table with COPY FROM STDIN; *rows and *sum describe what was
   read from the source. */
static cl_err
copy_table(mig *m, const char *table, const column *c, int n, int64_t *rows,
           uint64_t *sum)
{
    cl_buf sql = CL_BUF_INIT, line = CL_BUF_INIT, row = CL_BUF_INIT;
    sqlite3_stmt *st = NULL;
    cl_err rc = CL_OK;
    char ws[32], tmp[64];
    *rows = 0;
    *sum = 0;
    snprintf(ws, sizeof ws, "%lld", (long long)m->dst->base.workspace_id);

    cl_buf_str(&sql, "SELECT ");
    select_list(&sql, c, n);
    cl_buf_str(&sql, " FROM \"");
    cl_buf_str(&sql, table);
    cl_buf_str(&sql, "\" WHERE workspace_id = ?1");
    if (sql.oom)
        return cl_error_set(m->err, CL_ENOMEM, "out of memory");
    if (sqlite3_prepare_v2(m->src->db, sql.p, -1, &st, NULL) != SQLITE_OK) {
        rc = cl_error_set(m->err, CL_EDB, "%s: %s: %s", m->src->path, table,
                          sqlite3_errmsg(m->src->db));
        cl_buf_free(&sql);
        return rc;
    }
    sqlite3_bind_int64(st, 1, m->src->base.workspace_id);

    cl_buf_reset(&sql);
    cl_buf_str(&sql, "COPY \"");
    cl_buf_str(&sql, table);
    cl_buf_str(&sql, "\" (workspace_id, ");
    select_list(&sql, c, n);
    cl_buf_str(&sql, ") FROM STDIN");
    if (sql.oom) {
        rc = cl_error_set(m->err, CL_ENOMEM, "out of memory");
        goto out;
    }
    PGresult *r = PQexec(m->dst->conn, sql.p);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = cl__pg_fail(m->dst, r, table, m->err);
        PQclear(r);
        goto out;
    }
    PQclear(r);

    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        cl_buf_reset(&line);
        cl_buf_reset(&row);
        cl_buf_str(&line, ws);
        for (int i = 0; i < n; i++) {
            int null = sqlite3_column_type(st, i) == SQLITE_NULL;
            const char *text = (const char *)sqlite3_column_text(st, i);
            double d = sqlite3_column_double(st, i);
            long long iv = sqlite3_column_int64(st, i);
            const char *v =
                canon(c[i].type, null, text, d, iv, tmp, sizeof tmp);
            cl_buf_str(&row, v);
            cl_buf_add(&row, "\x1f", 1);
            cl_buf_add(&line, "\t", 1);
            if (null)
                cl_buf_str(&line, "\\N");
            else if (c[i].type == C_TEXT)
                cl__pg_copy_text(&line, text);
            else
                cl_buf_str(&line, v);
        }
        cl_buf_add(&line, "\n", 1);
        if (line.oom || row.oom) {
            rc = cl_error_set(m->err, CL_ENOMEM, "out of memory");
            break;
        }
        *sum += fnv(row.p, row.len);
        (*rows)++;
        if (PQputCopyData(m->dst->conn, line.p, (int)line.len) != 1) {
            rc = cl__pg_fail(m->dst, NULL, table, m->err);
            break;
        }
    }
    if (rc == CL_OK && src != SQLITE_DONE)
        rc = cl_error_set(m->err, CL_EDB, "%s: %s: %s", m->src->path, table,
                          sqlite3_errmsg(m->src->db));
    PQputCopyEnd(m->dst->conn, rc == CL_OK ? NULL : "migrate failed");
    while ((r = PQgetResult(m->dst->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == CL_OK)
            rc = cl__pg_fail(m->dst, r, table, m->err);
        PQclear(r);
    }
out:
    sqlite3_finalize(st);
    cl_buf_free(&sql);
    cl_buf_free(&line);
    cl_buf_free(&row);
    return rc;
}

typedef struct sum_ctx {
    const column *c;
    int n;
    int64_t rows;
    uint64_t sum;
    cl_buf row;
} sum_ctx;

static int
sum_row(void *ud, const cl__row *r)
{
    sum_ctx *x = ud;
    char tmp[64];
    cl_buf_reset(&x->row);
    for (int i = 0; i < x->n; i++) {
        const char *text = r->vt->text(r, i);
        int null = text == NULL;
        double d = null ? 0 : strtod(text, NULL);
        long long iv = null ? 0 : r->vt->integer(r, i, 0);
        cl_buf_str(&x->row,
                   canon(x->c[i].type, null, text, d, iv, tmp, sizeof tmp));
        cl_buf_add(&x->row, "\x1f", 1);
    }
    x->sum += fnv(x->row.p, x->row.len);
    x->rows++;
    return x->row.oom;
}

/* Counts and checksums table as the target now holds it. */
static cl_err
target_sum(mig *m, const char *table, const column *c, int n, int64_t *rows,
           uint64_t *sum)
{
    cl_buf sql = CL_BUF_INIT;
    sum_ctx x = {c, n, 0, 0, CL_BUF_INIT};
    cl_buf_str(&sql, "SELECT ");
    select_list(&sql, c, n);
    cl_buf_str(&sql, " FROM \"");
    cl_buf_str(&sql, table);
    cl_buf_str(&sql, "\" WHERE workspace_id = ?1");
    cl_err rc = sql.oom ? cl_error_set(m->err, CL_ENOMEM, "out of memory")
                        : m->dst->base.ops->stream(&m->dst->base, sum_row, &x,
                                                   m->err, sql.p, "", NULL);
    if (rc == CL_OK && x.row.oom)
        rc = cl_error_set(m->err, CL_ENOMEM, "out of memory");
    cl_buf_free(&sql);
    cl_buf_free(&x.row);
    *rows = x.rows;
    *sum = x.sum;
    return rc;
}

/* The whole copy, inside the target transaction the caller opened. */
static cl_err
copy_all(mig *m, cl_migrate_cb cb, void *ud)
{
    cl_err rc = CL_OK;
    char sql[160];
    for (size_t t = 0; t < NTABLES && rc == CL_OK; t++) {
        int64_t n = 0;
        snprintf(sql, sizeof sql,
                 seeded(tables[t])
                     ? "DELETE FROM \"%s\" WHERE workspace_id = ?1"
                     : "SELECT count(*) FROM \"%s\" WHERE workspace_id = ?1",
                 tables[t]);
        if (seeded(tables[t]))
            rc = cl__q_exec(&m->dst->base, NULL, m->err, sql, "");
        else if ((rc = cl__q_rows(&m->dst->base, cl__row_id_first, &n, m->err,
                                  sql, "")) == CL_OK &&
                 n > 0)
            rc = cl_error_set(m->err, CL_ECONFLICT,
                              "%s: the workspace is not empty (%lld rows in "
                              "%s); migrate only into a new workspace",
                              m->dst->where, (long long)n, tables[t]);
    }
    for (size_t t = 0; t < NTABLES && rc == CL_OK; t++) {
        column c[40];
        int n = 0;
        int64_t rows = 0, trows = 0;
        uint64_t sum = 0, tsum = 0;
        rc = columns(m, tables[t], c, &n);
        if (rc == CL_OK)
            rc = copy_table(m, tables[t], c, n, &rows, &sum);
        if (rc == CL_OK)
            rc = target_sum(m, tables[t], c, n, &trows, &tsum);
        if (rc == CL_OK && (rows != trows || sum != tsum))
            rc = cl_error_set(m->err, CL_EDB,
                              "%s: %s: the copy differs from the source "
                              "(%lld rows, checksum %016llx; source %lld "
                              "rows, %016llx); nothing was written",
                              m->dst->where, tables[t], (long long)trows,
                              (unsigned long long)tsum, (long long)rows,
                              (unsigned long long)sum);
        if (rc == CL_OK && cb)
            cb(ud, tables[t], rows, sum);
    }
    /* The audit's and the inbox's ids were copied: new rows continue
       after the largest. */
    static const char *const serial[] = {
        "SELECT setval(pg_get_serial_sequence('audit', 'id'), "
        "GREATEST((SELECT max(id) FROM audit), 1)) WHERE ?1::bigint IS NOT "
        "NULL",
        "SELECT setval(pg_get_serial_sequence('inbox', 'id'), "
        "GREATEST((SELECT max(id) FROM inbox), 1)) WHERE ?1::bigint IS NOT "
        "NULL"};
    for (size_t i = 0; rc == CL_OK && i < 2; i++)
        rc = cl__q_exec(&m->dst->base, NULL, m->err, serial[i], "");
    return rc;
}

/* Reports each table only once the copy committed. */
typedef struct report {
    struct {
        const char *table;
        int64_t rows;
        uint64_t sum;
    } v[NTABLES];
    size_t n;
} report;

static void
remember(void *ud, const char *table, int64_t rows, uint64_t sum)
{
    report *r = ud;
    if (r->n < NTABLES) {
        r->v[r->n].table = table;
        r->v[r->n].rows = rows;
        r->v[r->n].sum = sum;
        r->n++;
    }
}

cl_err
cl__pg_migrate(const char *from, const char *to, cl_migrate_cb cb, void *ud,
               cl_error *err)
{
    cl_store *src = NULL, *dst = NULL;
    cl_err rc;
    if (strncmp(from, "postgres", 8) == 0)
        return cl_error_set(err, CL_EINVAL,
                            "--from: expected a SQLite workspace (PATH or "
                            "sqlite:PATH), got %s",
                            from);
    if (strncmp(to, "postgres:", 9) != 0 && strncmp(to, "postgresql:", 11) != 0)
        return cl_error_set(err, CL_EINVAL,
                            "--to: expected a postgres:// url, got %s", to);
    /* Opening a missing file would create an empty workspace. */
    const char *path = strncmp(from, "sqlite:", 7) == 0 ? from + 7 : from;
    if (access(path, R_OK) != 0)
        return cl_error_set(err, CL_EINVAL, "--from: %s: no such workspace",
                            path);
    if ((rc = cl_store_open(from, &src, err)) != CL_OK)
        return rc;
    if ((rc = cl_store_open(to, &dst, err)) != CL_OK) {
        cl_store_close(src);
        return rc;
    }
    mig m = {(sq_store *)src, (pg_store *)dst, err};
    report rep;
    for (int attempt = 0; attempt < 5; attempt++) {
        rep.n = 0;
        rc = cl_store_begin(dst, "migrate", 0, err);
        if (rc == CL_OK)
            rc = copy_all(&m, remember, &rep);
        if (rc == CL_OK)
            rc = cl_store_commit(dst, err);
        if (rc == CL_OK)
            break;
        cl_store_rollback(dst);
        if (rc != CL_ERETRY)
            break;
    }
    if (rc == CL_OK && cb)
        for (size_t i = 0; i < rep.n; i++)
            cb(ud, rep.v[i].table, rep.v[i].rows, rep.v[i].sum);
    cl_store_close(dst);
    cl_store_close(src);
    return rc;
}
