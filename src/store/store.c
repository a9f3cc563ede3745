/*
 * store.c - the backend-independent half of the store: picking a backend
 * from the url, transaction bookkeeping, and the upsert rule (write and audit
 * only what changed).
 */
#include "store_engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/taxonomy.h"
#include "../module/module.h"

/* Linked in the test programs; else closeloop-pg.so's (module.h). */
extern const cl__pg_api cl__pg_module __attribute__((weak));

static const cl__pg_api *
pg(cl_error *err)
{
    return cl_module_get("pg", &cl__pg_module, err);
}

cl_err
cl_store_open(const char *url, cl_store **out, cl_error *err)
{
    *out = NULL;
    if (url == NULL || *url == '\0')
        return cl_error_set(err, CL_EINVAL, "empty database url");
    const char *path = cl__store_sqlite_path(url);
    if (path == NULL) {
        const cl__pg_api *m = pg(err);
        return m ? m->open(url, out, err) : CL_EIO;
    }
    return cl__store_sqlite_open(path, out, err);
}

cl_err
cl_store_migrate(const char *from, const char *to, cl_migrate_cb cb, void *ud,
                 cl_error *err)
{
    const cl__pg_api *m = pg(err);
    return m ? m->migrate(from, to, cb, ud, err) : CL_EIO;
}

const char *
cl__store_sqlite_path(const char *url)
{
    if (strncmp(url, "postgres:", 9) == 0 ||
        strncmp(url, "postgresql:", 11) == 0)
        return NULL;
    return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
}

void
cl_store_close(cl_store *st)
{
    if (st == NULL)
        return;
    if (st->in_tx)
        cl_store_rollback(st);
    cl_buf_free(&st->json);
    for (int k = 0; k < CL_KIND_COUNT; k++)
        free(st->columns[k]);
    st->ops->close(st);
}

const char *
cl__store_columns(cl_store *st, cl_kind kind)
{
    if (st->columns[kind] == NULL) {
        cl_buf b = CL_BUF_INIT;
        cl__sql_columns(&b, cl_kind_get(kind));
        st->columns[kind] = cl_buf_take(&b, NULL);
    }
    return st->columns[kind];
}

const char *
cl_store_backend(const cl_store *st)
{
    return st->ops->name;
}

cl_err
cl_store_schema_version(cl_store *st, int *version, cl_error *err)
{
    return cl__rec_schema_version(st, version, err);
}

cl_err
cl_store_begin(cl_store *st, const char *actor, cl_time at, cl_error *err)
{
    if (st->in_tx)
        return cl_error_set(err, CL_EINVAL, "a transaction is already open");
    cl_store_end_read(st);
    snprintf(st->actor, sizeof st->actor, "%s", actor ? actor : "system");
    cl_time_format(at, st->at);
    cl_err rc = st->ops->begin(st, err);
    if (rc == CL_OK)
        st->in_tx = 1;
    return rc;
}

cl_err
cl_store_begin_checked(cl_store *st, const char *actor, cl_time at,
                       cl_error *err)
{
    if (st->in_tx)
        return cl_error_set(err, CL_EINVAL, "a transaction is already open");
    st->refs_checked = 1;
    cl_err rc = cl_store_begin(st, actor, at, err);
    if (rc != CL_OK)
        st->refs_checked = 0;
    return rc;
}

cl_err
cl_store_commit(cl_store *st, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL, "no transaction is open");
    cl_put_counts ignored = {0};
    cl_err rc = cl_store_put_flush(st, &ignored, err);
    if (rc != CL_OK)
        return rc;
    rc = st->ops->commit(st, err);
    if (rc == CL_OK) {
        st->in_tx = 0;
        st->refs_checked = 0;
    }
    return rc;
}

void
cl_store_end_read(cl_store *st)
{
    if (st->in_tx || st->ops->end_read == NULL)
        return;
    st->ops->end_read(st);
    st->in_read = 0;
}

cl_err
cl_store_read_begin(cl_store *st, cl_error *err)
{
    if (st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "a read snapshot inside a transaction");
    if (st->in_read || st->ops->read_begin == NULL)
        return CL_OK;
    cl_store_end_read(st);
    cl_err rc = st->ops->read_begin(st, err);
    if (rc == CL_OK)
        st->in_read = 1;
    return rc;
}

void
cl_store_rollback(cl_store *st)
{
    if (!st->in_tx)
        return;
    if (st->ops->bulk_drop)
        st->ops->bulk_drop(st);
    st->ops->rollback(st);
    st->in_tx = 0;
    st->refs_checked = 0;
}

/* Joins the key's parts with '|' into buf, the audit entry's entity_id. */
static void
key_text(const cl_kind_def *def, const cl_value *row, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    if (def->nkey == 1 && row[0].type == CL_V_TEXT) {
        /* The common case, once per written row: no formatting needed. */
        size_t n = strlen(row[0].s);
        if (n >= len)
            n = len - 1;
        memcpy(buf, row[0].s, n);
        buf[n] = '\0';
        return;
    }
    for (size_t i = 0; i < def->nkey && used < len; i++) {
        const cl_value *v = &row[i];
        int w = 0;
        const char *sep = i ? "|" : "";
        switch (v->type) {
        case CL_V_TEXT:
            w = snprintf(buf + used, len - used, "%s%s", sep, v->s);
            break;
        case CL_V_INT:
            w = snprintf(buf + used, len - used, "%s%lld", sep,
                         (long long)v->i);
            break;
        case CL_V_REAL:
            w = snprintf(buf + used, len - used, "%s%.2f", sep, v->r);
            break;
        case CL_V_NULL:
            w = snprintf(buf + used, len - used, "%s", sep);
            break;
        }
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* The record table's names in SQL text, for both backends. */
void
cl__sql_ident(cl_buf *b, const char *ident)
{
    cl_buf_str(b, "\"");
    cl_buf_str(b, ident);
    cl_buf_str(b, "\"");
}

void
cl__sql_columns(cl_buf *b, const cl_kind_def *def)
{
    for (size_t i = 0; i < def->nfields; i++) {
        if (i)
            cl_buf_str(b, ", ");
        cl__sql_ident(b, def->fields[i].name);
    }
}

/*
 * Renders a record as a flat JSON object in column order.  Written here
 * rather than with jansson because it runs once or twice per imported row
 * and the values are already validated: text is UTF-8, numbers are finite.
 * compact renders the values alone as an array, for the "insert" entries:
 * the field names were more than half of each entry's bytes, and an import
 * writes one entry per row.  audit_expand turns it back into the object,
 * byte for byte, before any reader sees it.
 */
static const char *
row_json(cl_buf *b, const cl_kind_def *def, const cl_value *row, int compact)
{
    char num[40];
    cl_buf_reset(b);
    cl_buf_add(b, compact ? "[" : "{", 1);
    for (size_t i = 0; i < def->nfields; i++) {
        const cl_value *v = &row[i];
        if (i)
            cl_buf_add(b, ",", 1);
        if (!compact) {
            cl_buf_json_str(b, def->fields[i].name);
            cl_buf_add(b, ":", 1);
        }
        switch (v->type) {
        case CL_V_NULL:
            cl_buf_add(b, "null", 4);
            break;
        case CL_V_TEXT:
            cl_buf_json_str(b, v->s);
            break;
        case CL_V_INT:
            if (def->fields[i].type == CL_F_BOOL)
                cl_buf_add(b, v->i ? "true" : "false", v->i ? 4 : 5);
            else
                cl_buf_printf(b, "%lld", (long long)v->i);
            break;
        case CL_V_REAL: {
            /* Money and hours: cents, without trailing zeros. */
            int n = snprintf(num, sizeof num, "%.2f", v->r);
            while (n > 0 && num[n - 1] == '0')
                n--;
            if (n > 0 && num[n - 1] == '.')
                n--;
            cl_buf_add(b, num, (size_t)n);
            break;
        }
        }
    }
    cl_buf_add(b, compact ? "]" : "}", 1);
    return b->oom ? NULL : b->p;
}

/* The end of the JSON value at p (a string, number or literal of
   row_json's compact array), or NULL when p holds none. */
static const char *
json_value_end(const char *p)
{
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++)
            if (*p == '\\' && p[1])
                p++;
        return *p == '"' ? p + 1 : NULL;
    }
    const char *q = p;
    while (*q && *q != ',' && *q != ']')
        q++;
    return q > p ? q : NULL;
}

/*
 * The object form of an "insert" entry that row_json stored compact: the
 * names of entity's fields spliced before the array's values.  NULL when
 * new_json is not such an array (an object, an engine entry, an array of
 * another length): the entry is then shown as stored.
 */
static const char *
audit_expand(cl_buf *b, const cl_audit_entry *e)
{
    const cl_kind_def *def = NULL;
    const char *p = e->new_json;

    if (p == NULL || p[0] != '[' || strcmp(e->action, "insert") != 0)
        return NULL;
    for (int k = 0; k < CL_KIND_COUNT && def == NULL; k++)
        if (strcmp(cl_kind_get((cl_kind)k)->table, e->entity) == 0)
            def = cl_kind_get((cl_kind)k);
    if (def == NULL)
        return NULL;
    cl_buf_reset(b);
    cl_buf_add(b, "{", 1);
    p++;
    for (size_t i = 0; i < def->nfields; i++) {
        const char *end = json_value_end(p);
        if (end == NULL || *end != (i + 1 < def->nfields ? ',' : ']'))
            return NULL;
        if (i)
            cl_buf_add(b, ",", 1);
        cl_buf_json_str(b, def->fields[i].name);
        cl_buf_add(b, ":", 1);
        cl_buf_add(b, p, (size_t)(end - p));
        p = end + 1;
    }
    if (*p != '\0')
        return NULL;
    cl_buf_add(b, "}", 1);
    return b->oom ? NULL : b->p;
}

cl_err
cl_store_put(cl_store *st, cl_kind kind, const cl_value *row,
             cl_put_result *res, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(kind);
    char entity_id[256];
    int inserted = 0, found = 0, written = 0;
    cl_buf oldj = CL_BUF_INIT, newj = CL_BUF_INIT;
    cl_err rc;

    *res = CL_PUT_UNCHANGED;
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_put outside a "
                            "transaction");
    /* Most imports are mostly new rows: try the insert first, so a new row
       costs one write and its audit entry, and a known row one lookup. */
    key_text(def, row, entity_id, sizeof entity_id);
    if (st->ops->audited_insert) {
        /* A backend behind a network hop inserts and audits in one
           statement: the entry is rendered before we know it is needed. */
        const char *nj = row_json(&st->json, def, row, 1);
        if (nj == NULL)
            return cl_error_set(err, CL_ENOMEM, "out of memory");
        const char *texts[] = {st->at, st->actor, def->table, entity_id, nj};
        rc = st->ops->record(st, kind, CL__REC_AUDITED, row, texts, NULL,
                             &inserted, err);
        if (rc != CL_OK)
            return rc;
        if (inserted) {
            *res = CL_PUT_INSERTED;
            return CL_OK;
        }
    } else if ((rc = st->ops->record(st, kind, CL__REC_INSERT, row, NULL, NULL,
                                     &inserted, err)) != CL_OK) {
        return rc;
    }
    if (inserted) {
        *res = CL_PUT_INSERTED;
        const char *nj = row_json(&st->json, def, row, 1);
        if (nj == NULL)
            return cl_error_set(err, CL_ENOMEM, "out of memory");
        return cl__engw_audit(st, def->table, entity_id, "insert", NULL, nj,
                              err);
    }

    cl_value old[32];
    rc = st->ops->record(st, kind, CL__REC_GET, row, NULL, old, &found, err);
    if (rc != CL_OK)
        return rc;
    int same = 1;
    for (size_t i = def->nkey; i < def->nfields && same; i++)
        same = cl_value_equal(&old[i], &row[i]);
    if (same)
        return CL_OK;

    /* old[] lives in the backend's read statement: render it before the
       update touches the table. */
    const char *oj = row_json(&oldj, def, old, 0);
    const char *nj = row_json(&newj, def, row, 0);
    if (oj == NULL || nj == NULL)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    if (rc == CL_OK)
        rc = st->ops->record(st, kind, CL__REC_UPDATE, row, NULL, NULL,
                             &written, err);
    if (rc == CL_OK)
        rc = cl__engw_audit(st, def->table, entity_id, "update", oj, nj, err);
    cl_buf_free(&oldj);
    cl_buf_free(&newj);
    if (rc == CL_OK)
        *res = CL_PUT_UPDATED;
    return rc;
}

cl_err
cl_store_put_bulk(cl_store *st, cl_kind kind, const cl_value *row,
                  cl_put_counts *c, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_put_bulk outside a transaction");
    if (st->ops->bulk_put)
        return st->ops->bulk_put(st, kind, row, c, err);
    cl_put_result res;
    cl_err rc = cl_store_put(st, kind, row, &res, err);
    if (rc == CL_OK)
        switch (res) {
        case CL_PUT_INSERTED:
            c->inserted++;
            break;
        case CL_PUT_UPDATED:
            c->updated++;
            break;
        case CL_PUT_UNCHANGED:
            c->unchanged++;
            break;
        }
    return rc;
}

cl_err
cl_store_analyze(cl_store *st, cl_kind kind, cl_error *err)
{
    if (!st->in_tx || st->ops->analyze == NULL)
        return CL_OK;
    return st->ops->analyze(st, kind, err);
}

cl_err
cl_store_analyze_all(cl_store *st, cl_error *err)
{
    return st->ops->analyze ? st->ops->analyze(st, CL__ANALYZE_ALL, err)
                            : CL_OK;
}

cl_err
cl_store_put_flush(cl_store *st, cl_put_counts *c, cl_error *err)
{
    if (!st->in_tx || st->ops->bulk_flush == NULL)
        return CL_OK;
    return st->ops->bulk_flush(st, c, err);
}

void
cl__store_key_text(const cl_kind_def *def, const cl_value *row, char *buf,
                   size_t len)
{
    key_text(def, row, buf, len);
}

const char *
cl__store_row_json(cl_buf *b, const cl_kind_def *def, const cl_value *row,
                   int compact)
{
    return row_json(b, def, row, compact);
}

cl_err
cl_store_get(cl_store *st, cl_kind kind, const cl_value *key, cl_value *row,
             int *found, cl_error *err)
{
    *found = 0;
    return st->ops->record(st, kind, CL__REC_GET, key, NULL, row, found, err);
}

cl_err
cl_store_count(cl_store *st, cl_kind kind, int64_t *n, cl_error *err)
{
    return cl__rec_count(st, cl_kind_get(kind)->table, n, err);
}

cl_err
cl_store_each(cl_store *st, cl_kind kind, cl_store_row_cb cb, void *ud,
              cl_error *err)
{
    return cl__rec_each(st, kind, cb, ud, err);
}

cl_err
cl_store_ids(cl_store *st, cl_kind kind, cl_store_id_cb cb, void *ud,
             cl_error *err)
{
    return cl__rec_ids(st, kind, cb, ud, err);
}

cl_err
cl_store_first_won_new_deal(cl_store *st, const char *account_id, char *out,
                            size_t outlen, int *found, cl_error *err)
{
    return cl__rec_first_won_new_deal(st, account_id, out, outlen, found, err);
}

/* Readers get every entry in object form (see audit_expand). */
typedef struct expand_ctx {
    cl_store_audit_cb cb;
    void *ud;
    cl_buf b;
} expand_ctx;

static int
expand_cb(void *ud, const cl_audit_entry *e)
{
    expand_ctx *x = ud;
    const char *nj = audit_expand(&x->b, e);
    if (nj == NULL)
        return x->cb(x->ud, e);
    cl_audit_entry c = *e;
    c.new_json = nj;
    return x->cb(x->ud, &c);
}

cl_err
cl_store_audit_each(cl_store *st, const char *entity, const char *entity_id,
                    cl_store_audit_cb cb, void *ud, cl_error *err)
{
    expand_ctx x = {cb, ud, CL_BUF_INIT};
    cl_err rc = cl__rec_audit_each(st, entity, entity_id, expand_cb, &x, err);
    cl_buf_free(&x.b);
    return rc;
}

cl_err
cl_store_audit_of(cl_store *st, const cl_store_audit_key *keys, size_t n,
                  cl_store_audit_cb cb, void *ud, cl_error *err)
{
    if (n == 0 || n > CL_STORE_AUDIT_KEYS_MAX)
        return cl_error_set(err, CL_EINVAL,
                            "the trails of %zu records in one read", n);
    expand_ctx x = {cb, ud, CL_BUF_INIT};
    cl_err rc = cl__rec_audit_of(st, keys, n, expand_cb, &x, err);
    cl_buf_free(&x.b);
    return rc;
}

cl_err
cl_store_audit_count(cl_store *st, int64_t *n, cl_error *err)
{
    return cl__rec_count(st, "audit", n, err);
}

cl_err
cl_store_audit_last(cl_store *st, cl_store_audit_cb cb, void *ud, cl_error *err)
{
    expand_ctx x = {cb, ud, CL_BUF_INIT};
    cl_err rc = cl__rec_audit_last(st, expand_cb, &x, err);
    cl_buf_free(&x.b);
    return rc;
}

int64_t
cl_store_workspace_id(const cl_store *st)
{
    return st->workspace_id;
}

cl_err
cl_store_causes(cl_store *st, cl_store_cause_cb cb, void *ud, cl_error *err)
{
    return cl__engr_causes(st, cb, ud, err);
}

/*
 * Thresholds are read through their range (taxonomy.h): a value an older
 * closeloop stored unchecked (1e308 business days) reaches every reader as
 * the nearest bound, so no rule converts or walks an absurd number.
 */
static double
in_range(const char *key, double value)
{
    const cl_threshold *t = cl_threshold_find(key);
    return t ? cl_threshold_clamp(t, value) : value;
}

cl_err
cl_store_threshold(cl_store *st, const char *key, double *value, cl_error *err)
{
    cl_err e = cl__engr_threshold(st, key, value, err);
    if (e == CL_OK)
        *value = in_range(key, *value);
    return e;
}

typedef struct clamp_ctx {
    cl_store_threshold_cb cb;
    void *ud;
} clamp_ctx;

static int
clamp_cb(void *ud, const char *key, double value)
{
    clamp_ctx *c = ud;
    return c->cb(c->ud, key, in_range(key, value));
}

cl_err
cl_store_thresholds(cl_store *st, cl_store_threshold_cb cb, void *ud,
                    cl_error *err)
{
    clamp_ctx c = {cb, ud};
    return cl__engr_thresholds(st, clamp_cb, &c, err);
}
