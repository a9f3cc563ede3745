/*
 * store_pg_api.c - the server's store calls (store_api.h) on PostgreSQL:
 * the same queries, writes and audit entries as store_sqlite_api.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_int.h"

#define T cl__pg_text

/* ---- pages of records ---------------------------------------------------- */

/*
 * The filter on field f: the value compares as text, as on SQLite, whatever
 * the column's type here (a boolean as 1/0, money as a number).
 */
static int
filter_sql(char *buf, size_t len, const cl_field *f, const char *value,
           int param)
{
    if (value == NULL)
        return snprintf(buf, len, " AND \"%s\" IS NULL", f->name);
    switch (f->type) {
    case CL_F_BOOL:
        return snprintf(buf, len,
                        " AND (CASE WHEN \"%s\" THEN '1' ELSE '0' END) = "
                        "$%d::text",
                        f->name, param);
    case CL_F_MONEY:
    case CL_F_HOURS:
        return snprintf(buf, len,
                        " AND \"%s\" = (CASE WHEN $%d::text ~ "
                        "'^-?[0-9]+(\\.[0-9]*)?$' THEN $%d::text::numeric "
                        "END)",
                        f->name, param, param);
    case CL_F_INT:
    case CL_F_DATE:
        return snprintf(buf, len, " AND \"%s\"::text = $%d::text", f->name,
                        param);
    default:
        return snprintf(buf, len, " AND \"%s\" = $%d::text", f->name, param);
    }
}

/* ASCII-only case folding, as SQLite's lower(): the same matches on both
   backends whatever the database's locale. */
#define ASCII_LOWER(col)                                                       \
    "translate(" col ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "                        \
    "'abcdefghijklmnopqrstuvwxyz')"

static cl_err
pg_api_list(cl_store *st, cl_kind kind, const cl_store_list_req *req,
            cl_store_row_cb cb, void *ud, int64_t *total, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(kind);
    pg_store *s = PG(st);
    char where[4096], sql[8192], cols[1536], order[256], needle[512];
    size_t wl = 0, cl = 0, ol = 0;
    const char *vals[24];
    char ws[32], lim[32], off[32];
    int n = 1;

    if (def == NULL || req->nfilters > 16)
        return cl_error_set(err, CL_EINVAL, "bad list request");
    if (req->after && def->nkey != 1)
        return cl_error_set(err, CL_EINVAL, "%s: no keyset pages", def->name);
    const cl_store_filter *filters = req->filters;
    size_t nfilters = req->nfilters;
    snprintf(ws, sizeof ws, "%lld", (long long)st->workspace_id);
    vals[0] = ws;
    where[0] = cols[0] = order[0] = '\0';
    for (size_t i = 0; i < nfilters; i++) {
        /* Column names come from the record table, never from the
           request. */
        int f = cl_kind_field_index(def, filters[i].field);
        if (f < 0)
            return cl_error_set(err, CL_EINVAL, "%s: no field '%s'", def->name,
                                filters[i].field);
        if (filters[i].value)
            vals[n++] = filters[i].value;
        int w = filter_sql(where + wl, sizeof where - wl, &def->fields[f],
                           filters[i].value, n);
        if (w < 0 || (size_t)w >= sizeof where - wl)
            return cl_error_set(err, CL_EINVAL, "list filter too long");
        wl += (size_t)w;
    }
    if (req->search && req->search[0]) {
        /* strpos, not LIKE: the text is literal (no % or _ wildcards). */
        size_t i = 0;
        for (; req->search[i] && i + 1 < sizeof needle; i++) {
            char c = req->search[i];
            needle[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        }
        needle[i] = '\0';
        vals[n++] = needle;
        int nf = cl_kind_field_index(def, "name");
        char key[96], name[96];
        snprintf(key, sizeof key, "\"%s\"::text", def->fields[0].name);
        snprintf(name, sizeof name, "\"%s\"",
                 nf > 0 ? def->fields[nf].name : def->fields[0].name);
        wl += (size_t)snprintf(
            where + wl, sizeof where - wl,
            " AND (strpos(" ASCII_LOWER("%s") ", $%d::text) > 0 OR "
                                              "strpos(" ASCII_LOWER(
                                                  "%s") ", $%d::text) > 0)",
            key, n, nf > 0 ? name : key, n);
    }
    for (size_t i = 0; i < def->nfields; i++)
        cl += (size_t)snprintf(cols + cl, sizeof cols - cl, "%s\"%s\"",
                               i ? ", " : "", def->fields[i].name);
    for (size_t i = 0; i < def->nkey; i++)
        ol += (size_t)snprintf(order + ol, sizeof order - ol, "%s\"%s\"",
                               i ? ", " : "", def->fields[i].name);

    PGresult *r;
    cl_err rc;
    if (total) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM \"%s\" WHERE workspace_id = $1%s",
                 def->table, where);
        if ((rc = cl__pg_run(s, sql, n, vals, NULL, &r, err)) != CL_OK)
            return rc;
        *total = cl__pg_int(r, 0, 0, 0);
        PQclear(r);
    }
    /* The keyset bound is untyped, so it takes the key column's type (a
       date for holidays) and the seek uses the primary key's index. */
    char after[128];
    after[0] = '\0';
    if (req->after) {
        vals[n++] = req->after;
        snprintf(after, sizeof after, " AND \"%s\" > $%d", def->fields[0].name,
                 n);
    }
    /* Limit and offset are parameters, so one statement serves every
       page; a NULL limit is no limit. */
    snprintf(lim, sizeof lim, "%lld", (long long)req->limit);
    snprintf(off, sizeof off, "%lld",
             (long long)(req->offset < 0 ? 0 : req->offset));
    vals[n] = req->limit < 0 ? NULL : lim;
    vals[n + 1] = off;
    snprintf(sql, sizeof sql,
             "SELECT %s FROM \"%s\" WHERE workspace_id = $1%s%s ORDER BY %s "
             "LIMIT $%d::bigint OFFSET $%d::bigint",
             cols, def->table, where, after, order, n + 1, n + 2);
    if ((rc = cl__pg_run(s, sql, n + 2, vals, NULL, &r, err)) != CL_OK)
        return rc;
    cl_value row[32];
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        cl__pg_read_row(r, i, def, row);
        if (cb(ud, row))
            break;
    }
    PQclear(r);
    return CL_OK;
}

/* ---- users' credentials -------------------------------------------------- */

/* ---- API tokens ---------------------------------------------------------- */

static int
json_row(void *ud, const PGresult *r, int row)
{
    const char *v = T(r, row, 0);
    *(char **)ud = v ? strdup(v) : NULL;
    return 1;
}

/* ---- browser sessions ---------------------------------------------------- */

/* ---- the in-app inbox ---------------------------------------------------- */

/* ---- settings ------------------------------------------------------------ */

static const char cause_json[] =
    "json_build_object('code', code, 'label', label, 'definition', "
    "definition, 'retired_at', retired_at)";

static cl_err
pg_api_cause_set(cl_store *st, const char *code, const char *label,
                 const char *definition, int retire, int *found, cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_cause_set", err);
    char *old = NULL;
    int n = 0;
    *found = 0;
    if (rc != CL_OK)
        return rc;
    pg_store *s = PG(st);
    rc = cl__pg_rows(s, json_row, &old, err,
                     "SELECT json_build_object('code', code, 'label', label, "
                     "'definition', definition, 'retired_at', "
                     "retired_at)::text FROM taxonomy WHERE "
                     "workspace_id = $1 AND code = $2",
                     "s", code);
    if (old)
        cl__pg_json_compact(old);
    /* A retirement keeps its first date; putting back in use clears it. */
    if (rc == CL_OK)
        rc = cl__pg_exec(s, &n, err,
                         "UPDATE taxonomy SET label = coalesce($3, label), "
                         "definition = coalesce($4, definition), "
                         "retired_at = CASE $5::text WHEN '1' THEN "
                         "coalesce(retired_at, $6) WHEN '0' THEN NULL "
                         "ELSE retired_at END WHERE "
                         "workspace_id = $1 AND code = $2",
                         "sssss", code, label, definition,
                         retire < 0 ? "-1"
                         : retire   ? "1"
                                    : "0",
                         st->at);
    if (rc == CL_OK && n > 0) {
        *found = 1;
        rc = cl__pg_audit_row(s, "taxonomy", cause_json, "code", code, "update",
                              old, err);
    }
    free(old);
    return rc;
}

typedef struct value_ud {
    double v;
    int found;
} value_ud;

static int
value_row(void *ud, const PGresult *r, int row)
{
    value_ud *u = ud;
    u->v = cl__pg_real(r, row, 0);
    u->found = 1;
    return 1;
}

/* {"key":...,"value":...} as SQLite's json_object writes it: the number
   goes in as SQLite prints a REAL. */
static char *
threshold_json(const char *key, double value)
{
    char num[40];
    cl_buf b = CL_BUF_INIT;
    cl__pg_sqlite_real(value, num, sizeof num);
    cl_buf_str(&b, "{\"key\":");
    cl_buf_json_str(&b, key);
    cl_buf_printf(&b, ",\"value\":%s}", num);
    return cl_buf_take(&b, NULL);
}

static cl_err
pg_api_threshold_set(cl_store *st, const char *key, double value, int *found,
                     cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_threshold_set", err);
    value_ud old = {0, 0};
    int n = 0;
    *found = 0;
    if (rc != CL_OK)
        return rc;
    pg_store *s = PG(st);
    rc = cl__pg_rows(s, value_row, &old, err,
                     "SELECT value FROM thresholds WHERE workspace_id = $1 "
                     "AND key = $2",
                     "s", key);
    if (rc == CL_OK)
        rc = cl__pg_exec(s, &n, err,
                         "UPDATE thresholds SET value = $3 WHERE "
                         "workspace_id = $1 AND key = $2",
                         "sd", key, value);
    if (rc == CL_OK && n > 0) {
        *found = 1;
        char *oj = old.found ? threshold_json(key, old.v) : NULL;
        char *nj = threshold_json(key, value);
        if ((old.found && oj == NULL) || nj == NULL)
            rc = cl_error_set(err, CL_ENOMEM, "out of memory");
        else
            rc = st->ops->audit_append(st, "thresholds", key, "update", oj, nj,
                                       err);
        free(oj);
        free(nj);
    }
    return rc;
}

/* ---- administration ------------------------------------------------------ */

static cl_err
pg_api_holiday_delete(cl_store *st, const char *on, int *found, cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_holiday_delete", err);
    char *old = NULL;
    int n = 0;
    *found = 0;
    if (rc != CL_OK)
        return rc;
    pg_store *s = PG(st);
    /* The old row in the layout cl_store_put audits a holiday with. */
    rc = cl__pg_rows(s, json_row, &old, err,
                     "SELECT json_build_object('on', \"on\"::text, 'name', "
                     "name)::text FROM holidays WHERE workspace_id = $1 AND "
                     "\"on\" = $2::date",
                     "s", on);
    if (old)
        cl__pg_json_compact(old);
    if (rc == CL_OK && old)
        rc = cl__pg_exec(s, &n, err,
                         "DELETE FROM holidays WHERE workspace_id = $1 AND "
                         "\"on\" = $2::date",
                         "s", on);
    if (rc == CL_OK && n > 0) {
        *found = 1;
        rc =
            st->ops->audit_append(st, "holidays", on, "delete", old, NULL, err);
    }
    free(old);
    return rc;
}

const cl_store_api_ops cl__pg_api_ops = {
    .list = pg_api_list,
    .cause_set = pg_api_cause_set,
    .threshold_set = pg_api_threshold_set,
    .holiday_delete = pg_api_holiday_delete,
};
