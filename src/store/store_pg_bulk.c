/*
 * store_pg_bulk.c - cl_store_put_bulk on PostgreSQL: a batch of records in
 * four round trips instead of one per record.
 *
 * The rows are held as COPY text.  A flush copies them into a temporary
 * table (cl_bulk_<table>, with the record table's column types), reads the
 * stored rows that differ from theirs (old and new values, rendered here
 * as the row path renders them: cl__store_row_json), copies those audit
 * objects into cl_bulk_chg, and runs one statement that inserts the new
 * rows, updates the changed ones and appends every audit entry in row
 * order.  The result is what cl_store_put row by row gives: the same rows,
 * the same audit entries in the same order, the same counts.  The
 * workspace's write lock (pg_begin) keeps the rows read in step 3 as they
 * are until the statement of step 5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_int.h"

/* Rows per batch: large enough that the round trips vanish, small enough
   that a batch's text stays a few MiB. */
#define BATCH_ROWS 20000

enum { B_SETUP, B_COPY, B_CHANGED, B_APPLY, B_APPLY_NEW, B_N };

struct pg_bulk {
    cl_kind kind;
    size_t n;    /* rows held */
    cl_buf rows; /* their COPY text */
    cl_buf chg;  /* the changed rows' COPY text (seq, old, new) */
    size_t nchg;
    cl_buf json, json2; /* scratch for the audit JSON */
    char *sql[CL_KIND_COUNT][B_N];
};

/* s as a COPY text field: backslash, tab, newline and CR escaped (the
   bulk writer's rows and store_migrate's copy). */
void
cl__pg_copy_text(cl_buf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        char esc;
        switch (*s) {
        case '\\':
            esc = '\\';
            break;
        case '\t':
            esc = 't';
            break;
        case '\n':
            esc = 'n';
            break;
        case '\r':
            esc = 'r';
            break;
        default:
            continue;
        }
        cl_buf_add(b, run, (size_t)(s - run));
        char e[2] = {'\\', esc};
        cl_buf_add(b, e, 2);
        run = s + 1;
    }
    cl_buf_add(b, run, (size_t)(s - run));
}

static void
tb_quoted(cl_buf *b, const char *prefix, const char *ident)
{
    cl_buf_str(b, prefix);
    cl_buf_str(b, "\"");
    cl_buf_str(b, ident);
    cl_buf_str(b, "\"");
}

/* ", p.c1, p.c2 ..." over fields [from, to) of def. */
static void
tb_cols(cl_buf *b, const cl_kind_def *def, const char *p, size_t from,
        size_t to, const char *sep)
{
    for (size_t i = from; i < to; i++) {
        if (i > from || sep[0] == ',')
            cl_buf_str(b, i > from ? ", " : sep);
        tb_quoted(b, p, def->fields[i].name);
    }
}

/* "t.k1 = b.k1 AND ..." over the key. */
static void
tb_key_join(cl_buf *b, const cl_kind_def *def)
{
    for (size_t i = 0; i < def->nkey; i++) {
        cl_buf_str(b, i ? " AND " : "");
        tb_quoted(b, "t.", def->fields[i].name);
        tb_quoted(b, " = b.", def->fields[i].name);
    }
}

/* The SQL of step q for kind, built once per store. */
static const char *
bulk_sql(struct pg_bulk *bk, cl_kind kind, int q)
{
    const cl_kind_def *def = cl_kind_get(kind);
    const char *t = def->table;
    cl_buf b = CL_BUF_INIT;
    if (bk->sql[kind][q])
        return bk->sql[kind][q];
    switch (q) {
    case B_SETUP:
        /* Created once per connection (rolled back with the transaction
           that made it, then made again); emptied by every commit.  No
           JIT for the rest of the import's transaction: the planner's
           guesses of the batch tables' rows put step 5's cost past the
           JIT's thresholds, and LLVM compiled and inlined for 481 ms of
           its 1,035 (auto_explain, 20,000 deals); without it a
           100,000-account import takes 10.7-10.8 s instead of 13.2-13.6. */
        cl_buf_str(&b, "SET LOCAL client_min_messages = warning;"
                       "SET LOCAL jit = off;"
                       "CREATE TEMP TABLE IF NOT EXISTS ");
        cl_buf_str(&b, "\"cl_bulk_");
        cl_buf_str(&b, t);
        cl_buf_str(&b, "\" ON COMMIT DELETE ROWS AS SELECT 0::bigint AS cl_seq,"
                       " ''::text AS cl_entity_id, ''::text AS cl_new,"
                       " workspace_id");
        tb_cols(&b, def, "", 0, def->nfields, ", ");
        tb_quoted(&b, " FROM ", t);
        cl_buf_str(&b,
                   " WITH NO DATA;"
                   "CREATE TEMP TABLE IF NOT EXISTS cl_bulk_chg (cl_seq bigint,"
                   " cl_old text, cl_new text) ON COMMIT DELETE ROWS;"
                   "TRUNCATE cl_bulk_chg, \"cl_bulk_");
        cl_buf_str(&b, t);
        cl_buf_str(&b, "\"");
        break;
    case B_COPY:
        cl_buf_str(&b, "COPY \"cl_bulk_");
        cl_buf_str(&b, t);
        cl_buf_str(&b, "\" (cl_seq, cl_entity_id, cl_new, workspace_id");
        tb_cols(&b, def, "", 0, def->nfields, ", ");
        cl_buf_str(&b, ") FROM STDIN");
        break;
    case B_CHANGED:
        /* Stored values first (columns 0..n-1), the file's next, the
           row's number last.  Each batch row finds its stored row by the
           key's index: as a join, the planner hashed the whole table for
           every batch (a seq scan of 809,156 CS-hour rows per 20,000, 6.3
           s of a 19 s import); OFFSET 0 keeps the lateral subquery from
           being flattened back into that join. */
        cl_buf_str(&b, "SELECT ");
        tb_cols(&b, def, "t.", 0, def->nfields, "");
        tb_cols(&b, def, "b.", 0, def->nfields, ", ");
        cl_buf_str(&b, " , b.cl_seq FROM \"cl_bulk_");
        cl_buf_str(&b, t);
        cl_buf_str(&b, "\" b CROSS JOIN LATERAL (SELECT ");
        tb_cols(&b, def, "", 0, def->nfields, "");
        tb_quoted(&b, " FROM ", t);
        cl_buf_str(&b, " t WHERE t.workspace_id = $1 AND ");
        tb_key_join(&b, def);
        cl_buf_str(&b, " OFFSET 0) t WHERE ");
        if (def->nkey == def->nfields) {
            cl_buf_str(&b, "false");
        } else {
            cl_buf_str(&b, "(");
            tb_cols(&b, def, "t.", def->nkey, def->nfields, "");
            cl_buf_str(&b, ", NULL) IS DISTINCT FROM (");
            tb_cols(&b, def, "b.", def->nkey, def->nfields, "");
            cl_buf_str(&b, ", NULL)");
        }
        cl_buf_str(&b, " ORDER BY b.cl_seq");
        break;
    default:
        /* One statement: the CTEs' writes run whether or not the audit
           insert reads them; the snapshot is the one before them all, so
           the stored rows the update overwrites are the ones read. */
        tb_quoted(&b, "WITH ins AS (INSERT INTO ", t);
        cl_buf_str(&b, " (workspace_id");
        tb_cols(&b, def, "", 0, def->nfields, ", ");
        cl_buf_str(&b, ") SELECT workspace_id");
        tb_cols(&b, def, "", 0, def->nfields, ", ");
        cl_buf_str(&b, " FROM \"cl_bulk_");
        cl_buf_str(&b, t);
        cl_buf_str(&b, "\" ORDER BY cl_seq ON CONFLICT DO NOTHING RETURNING ");
        tb_cols(&b, def, "", 0, def->nkey, "");
        if (q == B_APPLY) {
            /* Only where stored rows change: the planner makes a hash of
               the whole stored table for the update's join. */
            tb_quoted(&b, "), upd AS (UPDATE ", t);
            cl_buf_str(&b, " t SET ");
            for (size_t i = def->nkey; i < def->nfields; i++) {
                cl_buf_str(&b, i > def->nkey ? ", " : "");
                tb_quoted(&b, "", def->fields[i].name);
                tb_quoted(&b, " = b.", def->fields[i].name);
            }
            if (def->nkey == def->nfields)
                cl_buf_str(&b, "workspace_id = t.workspace_id");
            cl_buf_str(&b, " FROM \"cl_bulk_");
            cl_buf_str(&b, t);
            cl_buf_str(&b, "\" b JOIN cl_bulk_chg c ON c.cl_seq = b.cl_seq"
                           " WHERE t.workspace_id = $1 AND ");
            tb_key_join(&b, def);
            cl_buf_str(&b, " RETURNING 1");
        }
        cl_buf_str(&b, ") INSERT INTO audit (workspace_id, at, actor,"
                       " entity, entity_id, action, old, new) SELECT $1, $2,"
                       " $3, $4, e.cl_entity_id, e.action, e.old, e.new FROM"
                       " (SELECT b.cl_seq, b.cl_entity_id, 'insert' AS action,"
                       " NULL::text AS old, b.cl_new AS new FROM \"cl_bulk_");
        cl_buf_str(&b, t);
        cl_buf_str(&b, "\" b JOIN ins t ON ");
        tb_key_join(&b, def);
        if (q == B_APPLY) {
            cl_buf_str(&b, " UNION ALL SELECT b.cl_seq, b.cl_entity_id,"
                           " 'update', c.cl_old, c.cl_new FROM \"cl_bulk_");
            cl_buf_str(&b, t);
            cl_buf_str(&b, "\" b JOIN cl_bulk_chg c ON c.cl_seq = b.cl_seq");
        }
        cl_buf_str(&b, ") e ORDER BY e.cl_seq");
        break;
    }
    return bk->sql[kind][q] = cl_buf_take(&b, NULL);
}

static struct pg_bulk *
bulk_of(pg_store *s)
{
    if (s->bulk == NULL)
        s->bulk = calloc(1, sizeof *s->bulk);
    return s->bulk;
}

/* Appends row as a line of COPY text: its number, entity id, insert
   entry, workspace, then its values as kbind sends them. */
static cl_err
add_row(pg_store *s, struct pg_bulk *bk, const cl_kind_def *def,
        const cl_value *row, cl_error *err)
{
    char entity_id[256];
    cl_buf *b = &bk->rows;
    cl__store_key_text(def, row, entity_id, sizeof entity_id);
    const char *nj = cl__store_row_json(&bk->json, def, row, 1);
    if (nj == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    cl_buf_printf(b, "%zu\t", bk->n);
    cl__pg_copy_text(b, entity_id);
    cl_buf_add(b, "\t", 1);
    cl__pg_copy_text(b, nj);
    cl_buf_printf(b, "\t%lld", (long long)s->base.workspace_id);
    for (size_t i = 0; i < def->nfields; i++) {
        const cl_value *v = &row[i];
        cl_buf_add(b, "\t", 1);
        switch (v->type) {
        case CL_V_NULL:
            cl_buf_add(b, "\\N", 2);
            break;
        case CL_V_TEXT:
            cl__pg_copy_text(b, v->s);
            break;
        case CL_V_INT:
            cl_buf_printf(b, "%lld", (long long)v->i);
            break;
        case CL_V_REAL: {
            cl_ftype t = def->fields[i].type;
            cl_buf_printf(
                b, (t == CL_F_MONEY || t == CL_F_HOURS) ? "%.2f" : "%.17g",
                v->r);
            break;
        }
        }
    }
    cl_buf_add(b, "\n", 1);
    if (b->oom)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    bk->n++;
    return CL_OK;
}

/* Sends text to COPY ... FROM STDIN. */
static cl_err
copy_in(pg_store *s, const char *sql, const cl_buf *text, cl_error *err)
{
    cl_err rc = cl__pg_ready(s, err);
    if (rc != CL_OK)
        return rc;
    PGresult *r = PQexec(s->conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = cl__pg_fail(s, r, sql, err);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    if (PQputCopyData(s->conn, text->p, (int)text->len) != 1 ||
        PQputCopyEnd(s->conn, NULL) != 1)
        rc = cl__pg_fail(s, NULL, sql, err);
    while ((r = PQgetResult(s->conn)) != NULL) {
        if (rc == CL_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = cl__pg_fail(s, r, sql, err);
        PQclear(r);
    }
    return rc;
}

/* Reads nfields columns of r from column from, as cl__pg_read_row. */
static void
read_at(const PGresult *r, int row, const cl_kind_def *def, int from,
        cl_value *out)
{
    for (size_t i = 0; i < def->nfields; i++) {
        cl_value *v = &out[i];
        int c = from + (int)i;
        memset(v, 0, sizeof *v);
        if (PQgetisnull(r, row, c)) {
            v->type = CL_V_NULL;
            continue;
        }
        switch (def->fields[i].type) {
        case CL_F_INT:
        case CL_F_BOOL:
            v->type = CL_V_INT;
            v->i = cl__pg_int(r, row, c, 0);
            break;
        case CL_F_MONEY:
        case CL_F_HOURS:
            v->type = CL_V_REAL;
            v->r = cl__pg_real(r, row, c);
            break;
        default:
            v->type = CL_V_TEXT;
            v->s = PQgetvalue(r, row, c);
        }
    }
}

/* A stored row that differs from the file's: its "update" entry's old and
   new objects as COPY text for cl_bulk_chg. */
static int
changed_row(void *ud, const PGresult *r, int row)
{
    struct pg_bulk *bk = ud;
    const cl_kind_def *def = cl_kind_get(bk->kind);
    cl_value old[40], neu[40];
    int n = (int)def->nfields;
    read_at(r, row, def, 0, old);
    read_at(r, row, def, n, neu);
    /* The database compared typed values; the row path compares the
       values in hand (money to the cent): ask the same question. */
    int same = 1;
    for (size_t i = def->nkey; i < def->nfields && same; i++)
        same = cl_value_equal(&old[i], &neu[i]);
    if (same)
        return 0;
    const char *oj = cl__store_row_json(&bk->json, def, old, 0);
    const char *nj = cl__store_row_json(&bk->json2, def, neu, 0);
    if (oj == NULL || nj == NULL) {
        bk->chg.oom = 1;
        return 1;
    }
    cl_buf_str(&bk->chg, PQgetvalue(r, row, 2 * n));
    cl_buf_add(&bk->chg, "\t", 1);
    cl__pg_copy_text(&bk->chg, oj);
    cl_buf_add(&bk->chg, "\t", 1);
    cl__pg_copy_text(&bk->chg, nj);
    cl_buf_add(&bk->chg, "\n", 1);
    bk->nchg++;
    return 0;
}

static void
bulk_reset(struct pg_bulk *bk)
{
    bk->n = 0;
    cl_buf_reset(&bk->rows);
    cl_buf_reset(&bk->chg);
    bk->nchg = 0;
}

static cl_err
flush(pg_store *s, struct pg_bulk *bk, cl_put_counts *c, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(bk->kind);
    const char *q[B_N];
    char ws[32];
    cl_err rc = CL_OK;

    if (bk->n == 0)
        return CL_OK;
    for (int i = 0; i < B_N; i++)
        if ((q[i] = bulk_sql(bk, bk->kind, i)) == NULL)
            return cl_error_set(err, CL_ENOMEM, "out of memory");
    snprintf(ws, sizeof ws, "%lld", (long long)s->base.workspace_id);
    const char *vals[4] = {ws, s->base.at, s->base.actor, def->table};

    rc = cl__pg_ready(s, err);
    if (rc == CL_OK) {
        PGresult *r = PQexec(s->conn, q[B_SETUP]);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = cl__pg_fail(s, r, "bulk write: temporary table", err);
        PQclear(r);
    }
    if (rc == CL_OK)
        rc = copy_in(s, q[B_COPY], &bk->rows, err);
    if (rc == CL_OK)
        rc =
            cl__pg_stream(s, q[B_CHANGED], 1, vals, NULL, changed_row, bk, err);
    if (rc == CL_OK && bk->chg.oom)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    if (rc == CL_OK && bk->nchg > 0)
        rc = copy_in(s, "COPY cl_bulk_chg (cl_seq, cl_old, cl_new) FROM STDIN",
                     &bk->chg, err);
    if (rc == CL_OK) {
        PGresult *r;
        rc = cl__pg_run(s, q[bk->nchg > 0 ? B_APPLY : B_APPLY_NEW], 4, vals,
                        NULL, &r, err);
        if (rc == CL_OK) {
            int64_t audited = strtoll(PQcmdTuples(r), NULL, 10);
            int64_t ins = audited - (int64_t)bk->nchg;
            c->inserted += ins;
            c->updated += (int64_t)bk->nchg;
            c->unchanged += (int64_t)bk->n - ins - (int64_t)bk->nchg;
            PQclear(r);
        }
    }
    bulk_reset(bk);
    return rc;
}

cl_err
cl__pg_bulk_put(cl_store *base, cl_kind kind, const cl_value *row,
                cl_put_counts *c, cl_error *err)
{
    pg_store *s = PG(base);
    struct pg_bulk *bk = bulk_of(s);
    cl_err rc;
    if (bk == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    if (bk->n > 0 && bk->kind != kind && (rc = flush(s, bk, c, err)) != CL_OK)
        return rc;
    bk->kind = kind;
    if ((rc = add_row(s, bk, cl_kind_get(kind), row, err)) != CL_OK)
        return rc;
    if (bk->n >= BATCH_ROWS)
        return flush(s, bk, c, err);
    return CL_OK;
}

cl_err
cl__pg_bulk_flush(cl_store *base, cl_put_counts *c, cl_error *err)
{
    pg_store *s = PG(base);
    if (s->bulk == NULL)
        return CL_OK;
    return flush(s, s->bulk, c, err);
}

void
cl__pg_bulk_drop(cl_store *base)
{
    pg_store *s = PG(base);
    if (s->bulk)
        bulk_reset(s->bulk);
}

void
cl__pg_bulk_free(pg_store *s)
{
    struct pg_bulk *bk = s->bulk;
    if (bk == NULL)
        return;
    cl_buf_free(&bk->rows);
    cl_buf_free(&bk->chg);
    cl_buf_free(&bk->json);
    cl_buf_free(&bk->json2);
    for (int k = 0; k < CL_KIND_COUNT; k++)
        for (int q = 0; q < B_N; q++)
            free(bk->sql[k][q]);
    free(bk);
    s->bulk = NULL;
}
