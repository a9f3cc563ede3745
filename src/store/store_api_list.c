/*
 * store_api_list.c - pages of a record table for the server
 * (cl_store_list_page), one SQL generator for both backends: filters on
 * columns, a search of the key and the name, a keyset bound, a limit and an
 * offset, and the count of every match.  Values compare as text, as they
 * arrive in a request, whatever the column's type; where the backends'
 * types differ (booleans, money) the backend gives the expression
 * (cl_store_ops).
 */
#include <stdint.h>
#include <stdio.h>

#include "store_engine_int.h"

/* Parameters: the workspace, 16 filters, the search, the keyset bound, the
   limit and the offset. */
enum { MAX_FILTERS = 16, MAX_ARGS = MAX_FILTERS + 4 };

typedef struct list_ctx {
    const cl_kind_def *def;
    cl_store_row_cb cb;
    void *ud;
} list_ctx;

static int
list_row(void *ud, const cl__row *r)
{
    list_ctx *c = ud;
    cl_value row[32];
    r->vt->record(r, c->def, row);
    return c->cb(c->ud, row);
}

/* The filter of field f on text parameter ?param.  No cast where SQLite
   runs it: a statement with one is rewritten each time it runs. */
static void
filter_sql(cl_store *st, cl_buf *b, const cl_field *f, int param)
{
    char col[96];
    snprintf(col, sizeof col, "\"%s\"", f->name);
    cl_buf_str(b, " AND ");
    switch (f->type) {
    case CL_F_BOOL:
        cl__sql_expand(b, CL__DIALECT(st)->bool_text, col, param);
        cl_buf_str(b, " = ?");
        cl__sql_int(b, param);
        break;
    case CL_F_MONEY:
    case CL_F_HOURS:
        cl_buf_str(b, col);
        cl_buf_str(b, " = ");
        cl__sql_expand(b, CL__DIALECT(st)->money_param, col, param);
        break;
    case CL_F_INT:
    case CL_F_DATE:
        cl__sql_expand(b, CL__DIALECT(st)->text_of, col, param);
        cl_buf_str(b, " = ?");
        cl__sql_int(b, param);
        break;
    default:
        cl_buf_str(b, col);
        cl_buf_str(b, " = ?");
        cl__sql_int(b, param);
    }
}

cl_err
cl__api_list(cl_store *st, cl_kind kind, const cl_store_list_req *req,
             cl_store_row_cb cb, void *ud, int64_t *total, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(kind);
    cl__arg a[MAX_ARGS];
    char fmt[MAX_ARGS + 1], needle[512];
    int n = 0; /* parameters after the workspace */
    cl_buf where = CL_BUF_INIT, sql = CL_BUF_INIT;
    cl_err rc = CL_OK;

    if (def == NULL || req->nfilters > MAX_FILTERS)
        return cl_error_set(err, CL_EINVAL, "bad list request");
    if (req->after && def->nkey != 1)
        return cl_error_set(err, CL_EINVAL, "%s: no keyset pages", def->name);
    for (size_t i = 0; i < req->nfilters; i++) {
        /* Column names come from the record table, never from the
           request, so the SQL text is built only from known names. */
        const cl_store_filter *f = &req->filters[i];
        int fi = cl_kind_field_index(def, f->field);
        if (fi < 0) {
            cl_buf_free(&where);
            return cl_error_set(err, CL_EINVAL, "%s: no field '%s'", def->name,
                                f->field);
        }
        if (f->value == NULL) {
            cl_buf_printf(&where, " AND \"%s\" IS NULL", def->fields[fi].name);
            continue;
        }
        a[n].s = f->value;
        fmt[n++] = 's';
        filter_sql(st, &where, &def->fields[fi], n + 1);
    }
    if (req->search && req->search[0]) {
        /* A literal text (no % or _ wildcards), ASCII letters folded on
           both sides, whatever the database's locale. */
        size_t i = 0;
        for (; req->search[i] && i + 1 < sizeof needle; i++) {
            char c = req->search[i];
            needle[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        }
        needle[i] = '\0';
        a[n].s = needle;
        fmt[n++] = 's';
        char col[96];
        cl_buf key = CL_BUF_INIT; /* the key as text */
        int nf = cl_kind_field_index(def, "name");
        snprintf(col, sizeof col, "\"%s\"", def->fields[0].name);
        cl__sql_expand(&key, CL__DIALECT(st)->text_of, col, 0);
        cl_buf_str(&where, " AND (");
        cl__sql_expand(&where, CL__DIALECT(st)->contains, key.p ? key.p : col,
                       n + 1);
        if (nf > 0) {
            snprintf(col, sizeof col, "\"%s\"", def->fields[nf].name);
            cl_buf_str(&where, " OR ");
            cl__sql_expand(&where, CL__DIALECT(st)->contains, col, n + 1);
        }
        cl_buf_str(&where, ")");
        where.oom |= key.oom;
        cl_buf_free(&key);
    }
    fmt[n] = '\0';
    const char *cols = cl__store_columns(st, kind);
    if (cols == NULL || where.oom || cl_buf_reserve(&sql, 1024) != 0) {
        cl_buf_free(&where);
        cl_buf_free(&sql);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    if (total) {
        cl_buf_str(&sql, "SELECT count(*) FROM \"");
        cl_buf_str(&sql, def->table);
        cl_buf_str(&sql, "\" WHERE workspace_id = ?1");
        cl_buf_str(&sql, where.p ? where.p : "");
        *total = 0;
        rc = sql.oom ? cl_error_set(err, CL_ENOMEM, "out of memory")
                     : st->ops->rows(st, cl__row_id_first, total, err, sql.p,
                                     fmt, a);
    }
    if (req->after) {
        /* The keyset bound takes the key column's type (a date for
           holidays), so the seek uses the primary key's index. */
        a[n].s = req->after;
        fmt[n++] = 's';
        cl_buf_printf(&where, " AND \"%s\" > ?%d", def->fields[0].name, n + 1);
    }
    /* Limit and offset are parameters, so one statement serves every page
       of the same list; a negative limit is no limit. */
    a[n].i = req->limit < 0 ? INT64_MAX : req->limit;
    a[n + 1].i = req->offset < 0 ? 0 : req->offset;
    fmt[n] = fmt[n + 1] = 'i';
    fmt[n + 2] = '\0';
    cl_buf_reset(&sql);
    cl_buf_str(&sql, "SELECT ");
    cl_buf_str(&sql, cols);
    cl_buf_str(&sql, " FROM \"");
    cl_buf_str(&sql, def->table);
    cl_buf_str(&sql, "\" WHERE workspace_id = ?1");
    cl_buf_str(&sql, where.p ? where.p : "");
    cl_buf_str(&sql, " ORDER BY ");
    /* The store keeps the planner's statistics, so a filter's index is
       sought, and it yields key order itself: the table's key ends every
       index of a WITHOUT ROWID table. */
    for (size_t i = 0; i < def->nkey; i++) {
        if (i)
            cl_buf_str(&sql, ", ");
        cl__sql_ident(&sql, def->fields[i].name);
    }
    cl_buf_str(&sql, " LIMIT ?");
    cl__sql_int(&sql, n + 2);
    cl_buf_str(&sql, " OFFSET ?");
    cl__sql_int(&sql, n + 3);
    list_ctx c = {def, cb, ud};
    if (rc == CL_OK)
        rc = sql.oom || where.oom
                 ? cl_error_set(err, CL_ENOMEM, "out of memory")
                 : st->ops->rows(st, list_row, &c, err, sql.p, fmt, a);
    cl_buf_free(&where);
    cl_buf_free(&sql);
    return rc;
}
