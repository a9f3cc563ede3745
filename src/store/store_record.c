/*
 * store_record.c - the record tables' SQL, one copy for both backends: the
 * statements of cl_store_put (generated from the record table of
 * core/record.c, so a record's columns are named in one place), the audit
 * log's reads and appends, counts, scans and the schema version.  The SQL
 * is written with ?N placeholders and runs through the backend's query
 * primitives (cl_store_ops; store_sql.c rewrites it); a put's statements
 * through the backend's record primitive, which binds a record's values by
 * their field types and keeps its prepared statements per kind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_engine_int.h"

/* " WHERE workspace_id = ?1 AND "k1" = ?2 AND ...": the key's values are
   the first parameters after the workspace. */
static void
key_where(cl_buf *b, const cl_kind_def *def)
{
    cl_buf_str(b, " WHERE workspace_id = ?1");
    for (size_t i = 0; i < def->nkey; i++) {
        cl_buf_str(b, " AND ");
        cl__sql_ident(b, def->fields[i].name);
        cl_buf_printf(b, " = ?%d", (int)i + 2);
    }
}

char *
cl__rec_sql(cl_kind kind, cl__rec q)
{
    const cl_kind_def *def = cl_kind_get(kind);
    cl_buf b = CL_BUF_INIT;
    switch (q) {
    case CL__REC_AUDITED:
    case CL__REC_INSERT:
        if (q == CL__REC_AUDITED)
            cl_buf_str(&b, "WITH ins AS (");
        cl_buf_str(&b, "INSERT INTO ");
        cl__sql_ident(&b, def->table);
        cl_buf_str(&b, " (workspace_id, ");
        cl__sql_columns(&b, def);
        cl_buf_str(&b, ") VALUES (?1");
        for (size_t i = 0; i < def->nfields; i++)
            cl_buf_printf(&b, ", ?%d", (int)i + 2);
        cl_buf_str(&b, ") ON CONFLICT DO NOTHING");
        if (q == CL__REC_AUDITED) {
            /* at, actor, entity, entity_id and new after the values. */
            int k = (int)def->nfields + 2;
            cl_buf_printf(&b,
                          " RETURNING 1) INSERT INTO audit (workspace_id, "
                          "at, actor, entity, entity_id, action, old, new) "
                          "SELECT ?1, ?%d, ?%d, ?%d, ?%d, 'insert', NULL, "
                          "?%d FROM ins",
                          k, k + 1, k + 2, k + 3, k + 4);
        }
        break;
    case CL__REC_GET:
        cl_buf_str(&b, "SELECT ");
        cl__sql_columns(&b, def);
        cl_buf_str(&b, " FROM ");
        cl__sql_ident(&b, def->table);
        key_where(&b, def);
        break;
    case CL__REC_UPDATE:
    default:
        cl_buf_str(&b, "UPDATE ");
        cl__sql_ident(&b, def->table);
        cl_buf_str(&b, " SET ");
        for (size_t i = def->nkey; i < def->nfields; i++) {
            if (i > def->nkey)
                cl_buf_str(&b, ", ");
            cl__sql_ident(&b, def->fields[i].name);
            cl_buf_printf(&b, " = ?%d", (int)i + 2);
        }
        key_where(&b, def);
        break;
    }
    return cl_buf_take(&b, NULL);
}

cl_err
cl__rec_schema_version(cl_store *st, int *version, cl_error *err)
{
    int64_t v = 0;
    cl_err rc = cl__q_rows(st, cl__row_id_first, &v, err,
                           "SELECT max(version) FROM schema_migrations", "");
    *version = (int)v;
    return rc;
}

cl_err
cl__engw_audit(cl_store *st, const char *entity, const char *entity_id,
               const char *action, const char *old_json, const char *new_json,
               cl_error *err)
{
    return cl__q_exec(st, NULL, err,
                      "INSERT INTO audit (workspace_id, at, actor, entity, "
                      "entity_id, action, old, new) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                      "sssssss", st->at, st->actor, entity, entity_id, action,
                      old_json, new_json);
}

cl_err
cl__rec_count(cl_store *st, const char *table, int64_t *n, cl_error *err)
{
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM \"%s\" WHERE workspace_id = ?1", table);
    *n = 0;
    return cl__q_rows(st, cl__row_id_first, n, err, sql, "");
}

/* ---- scans of a record table -------------------------------------------- */

typedef struct each_ctx {
    const cl_kind_def *def;
    cl_store_row_cb cb;
    cl_store_id_cb idcb;
    void *ud;
} each_ctx;

static int
each_row(void *ud, const cl__row *r)
{
    each_ctx *c = ud;
    cl_value v[32];
    r->vt->record(r, c->def, v);
    return c->cb(c->ud, v);
}

static int
id_row(void *ud, const cl__row *r)
{
    each_ctx *c = ud;
    const char *id = r->vt->text(r, 0);
    return c->idcb(c->ud, id, id ? strlen(id) : 0);
}

cl_err
cl__rec_each(cl_store *st, cl_kind kind, cl_store_row_cb cb, void *ud,
             cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(kind);
    cl_buf b = CL_BUF_INIT;
    each_ctx c = {def, cb, NULL, ud};

    cl_buf_str(&b, "SELECT ");
    cl__sql_columns(&b, def);
    cl_buf_str(&b, " FROM ");
    cl__sql_ident(&b, def->table);
    cl_buf_str(&b, " WHERE workspace_id = ?1 ORDER BY ");
    for (size_t i = 0; i < def->nkey; i++) {
        if (i)
            cl_buf_str(&b, ", ");
        cl__sql_ident(&b, def->fields[i].name);
    }
    cl_err rc = b.oom ? cl_error_set(err, CL_ENOMEM, "out of memory")
                      : st->ops->stream(st, each_row, &c, err, b.p, "", NULL);
    cl_buf_free(&b);
    return rc;
}

cl_err
cl__rec_ids(cl_store *st, cl_kind kind, cl_store_id_cb cb, void *ud,
            cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(kind);
    char sql[160];
    each_ctx c = {def, NULL, cb, ud};
    snprintf(sql, sizeof sql,
             "SELECT \"%s\"::text FROM \"%s\" WHERE workspace_id = ?1",
             def->fields[0].name, def->table);
    return st->ops->stream(st, id_row, &c, err, sql, "", NULL);
}

cl_err
cl__rec_first_won_new_deal(cl_store *st, const char *account_id, char *out,
                           size_t outlen, int *found, cl_error *err)
{
    char sql[256];
    cl__row_text t = {out, outlen, 0};
    /* %s: the deals table, with SQLite's hint to seek by account. */
    snprintf(sql, sizeof sql,
             "SELECT id FROM %s WHERE workspace_id = ?1 AND "
             "account_id = ?2 AND stage = 'closed_won' AND "
             "type = 'new' ORDER BY closed_on, id LIMIT 1",
             CL__DIALECT(st)->deals_by_account);
    cl_err rc =
        cl__q_rows(st, cl__row_text_first, &t, err, sql, "s", account_id);
    *found = t.found;
    return rc;
}

/* ---- the audit log --------------------------------------------------------*/

#define AUDIT_COLS "SELECT id, at, actor, entity, entity_id, action, old, new "

typedef struct audit_ctx {
    cl_store_audit_cb cb;
    void *ud;
} audit_ctx;

static int
audit_row(void *ud, const cl__row *r)
{
    audit_ctx *c = ud;
    cl_audit_entry e = {
        .id = r->vt->integer(r, 0, 0),
        .at = r->vt->text(r, 1),
        .actor = r->vt->text(r, 2),
        .entity = r->vt->text(r, 3),
        .entity_id = r->vt->text(r, 4),
        .action = r->vt->text(r, 5),
        .old_json = r->vt->text(r, 6),
        .new_json = r->vt->text(r, 7),
    };
    return c->cb(c->ud, &e);
}

cl_err
cl__rec_audit_each(cl_store *st, const char *entity, const char *entity_id,
                   cl_store_audit_cb cb, void *ud, cl_error *err)
{
    audit_ctx c = {cb, ud};
    /* One record's trail, and one entity's (the snapshot reads the churns'
       and the ICP versions' of a log mostly about other records), must
       seek the audit_entity index: with the "?2 IS NULL OR" form of the
       general query SQLite walks the index over the whole log (for the
       churns of a 100,000-account workspace, twice the CPU of the seek). */
    const char *sql =
        entity && entity_id ? AUDIT_COLS
            "FROM audit WHERE workspace_id = ?1 AND entity = ?2 "
            "AND entity_id = ?3 ORDER BY id"
        : entity ? AUDIT_COLS "FROM audit WHERE workspace_id = ?1 AND "
                              "entity = ?2 ORDER BY id"
                 : AUDIT_COLS "FROM audit WHERE workspace_id = ?1 "
                              "AND (?2::text IS NULL OR entity = ?2) "
                              "AND (?3::text IS NULL OR entity_id = ?3) "
                              "ORDER BY id";
    /* ?3 only where the statement names it: PostgreSQL must know the
       type of every parameter. */
    return st->ops->stream(st, audit_row, &c, err, sql,
                           entity && !entity_id ? "s" : "ss",
                           (cl__arg[]){{.s = entity}, {.s = entity_id}});
}

/* SQLite plans the OR of (entity, entity_id) pairs as one seek of the
   audit_entity index per pair (a MULTI-INDEX OR), then sorts the few. */
cl_err
cl__rec_audit_of(cl_store *st, const cl_store_audit_key *keys, size_t n,
                 cl_store_audit_cb cb, void *ud, cl_error *err)
{
    cl_buf b = CL_BUF_INIT;
    cl__arg a[2 * CL_STORE_AUDIT_KEYS_MAX];
    char fmt[2 * CL_STORE_AUDIT_KEYS_MAX + 1];
    audit_ctx c = {cb, ud};
    cl_buf_str(&b, AUDIT_COLS "FROM audit WHERE workspace_id = ?1 AND (");
    for (size_t i = 0; i < n; i++) {
        cl_buf_str(&b, i ? " OR (entity = ?" : "(entity = ?");
        cl__sql_int(&b, (int)(2 * i + 2));
        cl_buf_str(&b, " AND entity_id = ?");
        cl__sql_int(&b, (int)(2 * i + 3));
        cl_buf_str(&b, ")");
        a[2 * i].s = keys[i].entity;
        a[2 * i + 1].s = keys[i].entity_id;
        fmt[2 * i] = fmt[2 * i + 1] = 's';
    }
    fmt[2 * n] = '\0';
    cl_buf_str(&b, ") ORDER BY id");
    cl_err rc = b.oom ? cl_error_set(err, CL_ENOMEM, "out of memory")
                      : st->ops->stream(st, audit_row, &c, err, b.p, fmt, a);
    cl_buf_free(&b);
    return rc;
}

cl_err
cl__rec_audit_last(cl_store *st, cl_store_audit_cb cb, void *ud, cl_error *err)
{
    audit_ctx c = {cb, ud};
    if (CL__DIALECT(st)->audit_last == NULL)
        return cl_error_set(err, CL_EINVAL, "%s: no audit_last query",
                            st->ops->name);
    return st->ops->rows(st, audit_row, &c, err, CL__DIALECT(st)->audit_last,
                         "", NULL);
}
