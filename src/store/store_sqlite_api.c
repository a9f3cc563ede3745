/*
 * store_sqlite_api.c - the server's store calls (store_api.h) on SQLite.
 *
 * store_api.c dispatches to these through the backend's api ops
 * (store_int.h); the PostgreSQL backend has its own in store_pg_api.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_api.h"
#include "store_sqlite_int.h"

static cl_err
need_sqlite(cl_store *st, cl_error *err)
{
    (void)st;
    (void)err;
    return CL_OK; /* dispatched here by the sqlite ops only */
}

/* ---- pages of records ----------------------------------------------------*/

/* needle, ASCII letters folded to lower case, into buf (len bytes). */
static void
ascii_lower(char *buf, size_t len, const char *needle)
{
    size_t i = 0;
    for (; needle[i] && i + 1 < len; i++)
        buf[i] = needle[i] >= 'A' && needle[i] <= 'Z'
                     ? (char)(needle[i] - 'A' + 'a')
                     : needle[i];
    buf[i] = '\0';
}

static cl_err
sq_api_list(cl_store *st, cl_kind kind, const cl_store_list_req *req,
            cl_store_row_cb cb, void *ud, int64_t *total, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(kind);
    char where[2048], sql[4096], needle[512];
    size_t wl = 0;
    sqlite3_stmt *q = NULL;
    cl_err rc;

    if ((rc = need_sqlite(st, err)) != CL_OK)
        return rc;
    if (def == NULL || req->nfilters > 16)
        return cl_error_set(err, CL_EINVAL, "bad list request");
    if (req->after && def->nkey != 1)
        return cl_error_set(err, CL_EINVAL, "%s: no keyset pages", def->name);
    sq_store *s = (sq_store *)st;
    const cl_store_filter *filters = req->filters;
    size_t nfilters = req->nfilters;
    int search = req->search && req->search[0];
    where[0] = '\0';
    for (size_t i = 0; i < nfilters; i++) {
        /* Column names come from the record table, never from the
           request, so the SQL text is built only from known names. */
        int f = cl_kind_field_index(def, filters[i].field);
        if (f < 0)
            return cl_error_set(err, CL_EINVAL, "%s: no field '%s'", def->name,
                                filters[i].field);
        wl += (size_t)snprintf(where + wl, sizeof where - wl,
                               filters[i].value ? " AND \"%s\" = ?%zu"
                                                : " AND \"%s\" IS ?%zu",
                               def->fields[f].name, i + 2);
    }
    if (search) {
        /* instr, not LIKE: the text is literal (no % or _ wildcards), and
           lower() folds ASCII only, as the PostgreSQL twin does. */
        ascii_lower(needle, sizeof needle, req->search);
        int nf = cl_kind_field_index(def, "name");
        wl += (size_t)snprintf(where + wl, sizeof where - wl,
                               " AND (instr(lower(\"%s\"), ?%zu) > 0",
                               def->fields[0].name, nfilters + 2);
        if (nf > 0)
            wl += (size_t)snprintf(where + wl, sizeof where - wl,
                                   " OR instr(lower(\"%s\"), ?%zu) > 0",
                                   def->fields[nf].name, nfilters + 2);
        wl += (size_t)snprintf(where + wl, sizeof where - wl, ")");
    }
    const char *cols = cl__sq_columns(s, kind);
    if (cols == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    char order[256];
    size_t ol = 0;
    order[0] = '\0';
    for (size_t i = 0; i < def->nkey; i++)
        /* The store keeps the planner's statistics (store_sqlite.c), so a
           filter's index is sought, and it yields key order itself: the
           table's key ends every index of a WITHOUT ROWID table. */
        ol += (size_t)snprintf(order + ol, sizeof order - ol, "%s\"%s\"",
                               i ? ", " : "", def->fields[i].name);

    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0 && !total)
            continue;
        if (pass == 0)
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM \"%s\" WHERE workspace_id = ?1%s",
                     def->table, where);
        else
            snprintf(sql, sizeof sql,
                     "SELECT %s FROM \"%s\" WHERE workspace_id = ?1%s%s%s%s "
                     "ORDER BY %s LIMIT ?20 OFFSET ?21",
                     cols, def->table, where, req->after ? " AND \"" : "",
                     req->after ? def->fields[0].name : "",
                     req->after ? "\" > ?19" : "", order);
        /* Limits are parameters, so the cached statement serves every
           page of the same list. */
        if (cl__sq_stmt(s, sql, &q, err) != CL_OK)
            return CL_EDB;
        sqlite3_bind_int64(q, 1, st->workspace_id);
        if (pass == 1) {
            sqlite3_bind_int64(q, 20, req->limit);
            sqlite3_bind_int64(q, 21, req->offset < 0 ? 0 : req->offset);
        }
        for (size_t i = 0; i < nfilters; i++)
            if (filters[i].value)
                sqlite3_bind_text(q, (int)i + 2, filters[i].value, -1,
                                  SQLITE_STATIC);
        if (search)
            sqlite3_bind_text(q, (int)nfilters + 2, needle, -1, SQLITE_STATIC);
        if (pass == 1 && req->after)
            sqlite3_bind_text(q, 19, req->after, -1, SQLITE_STATIC);
        int src;
        cl_value row[32];
        while ((src = sqlite3_step(q)) == SQLITE_ROW) {
            if (pass == 0) {
                *total = sqlite3_column_int64(q, 0);
                continue;
            }
            cl__sq_read_row(q, def, 0, row);
            if (cb(ud, row))
                break;
        }
        if (src != SQLITE_ROW && src != SQLITE_DONE) {
            rc = cl_error_set(err, CL_EDB, "%s: list: %s", def->table,
                              sqlite3_errmsg(s->db));
            cl__sq_stmt_done(s, q);
            return rc;
        }
        cl__sq_stmt_done(s, q);
    }
    return CL_OK;
}

void
cl_store_threaded(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* ---- users' credentials ----------------------------------------------------
 */

/* ---- API tokens ------------------------------------------------------------
 */

/* ---- browser sessions ------------------------------------------------------
 */

/* ---- the in-app inbox ------------------------------------------------------
 */

/* ---- settings --------------------------------------------------------------
 */

static const char cause_json[] =
    "json_object('code', code, 'label', label, 'definition', definition, "
    "'retired_at', retired_at)";

typedef struct old_ud {
    char *json;
} old_ud;

static int
old_row(void *ud, sqlite3_stmt *row)
{
    old_ud *u = ud;
    const char *t = cl__sq_text(row, 0);
    u->json = t ? strdup(t) : NULL;
    return 1;
}

static cl_err
sq_api_cause_set(cl_store *st, const char *code, const char *label,
                 const char *definition, int retire, int *found, cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_cause_set", err);
    old_ud old = {NULL};
    int n = 0;
    *found = 0;
    if (rc != CL_OK)
        return rc;
    sq_store *s = (sq_store *)st;
    rc = cl__sq_rows(s, old_row, &old, err,
                     "SELECT json_object('code', code, 'label', label, "
                     "'definition', definition, 'retired_at', retired_at) "
                     "FROM taxonomy WHERE workspace_id = ?1 AND code = ?2",
                     "s", code);
    /* A retirement keeps its first date; putting back in use clears it. */
    if (rc == CL_OK)
        rc = cl__sq_exec(s, &n, err,
                         "UPDATE taxonomy SET label = coalesce(?3, label), "
                         "definition = coalesce(?4, definition), "
                         "retired_at = CASE ?5 WHEN '1' THEN "
                         "coalesce(retired_at, ?6) WHEN '0' THEN NULL "
                         "ELSE retired_at END WHERE "
                         "workspace_id = ?1 AND code = ?2",
                         "sssss", code, label, definition,
                         retire < 0 ? "-1"
                         : retire   ? "1"
                                    : "0",
                         st->at);
    if (rc == CL_OK && n > 0) {
        *found = 1;
        rc = cl__sq_audit_row(s, "taxonomy", cause_json, "code", code, "update",
                              old.json, err);
    }
    free(old.json);
    return rc;
}

static cl_err
sq_api_threshold_set(cl_store *st, const char *key, double value, int *found,
                     cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_threshold_set", err);
    old_ud old = {NULL};
    int n = 0;
    *found = 0;
    if (rc != CL_OK)
        return rc;
    sq_store *s = (sq_store *)st;
    rc = cl__sq_rows(s, old_row, &old, err,
                     "SELECT json_object('key', key, 'value', value) FROM "
                     "thresholds WHERE workspace_id = ?1 AND key = ?2",
                     "s", key);
    if (rc == CL_OK)
        rc = cl__sq_exec(s, &n, err,
                         "UPDATE thresholds SET value = ?3 WHERE "
                         "workspace_id = ?1 AND key = ?2",
                         "sd", key, value);
    if (rc == CL_OK && n > 0) {
        *found = 1;
        rc = cl__sq_audit_row(s, "thresholds",
                              "json_object('key', key, 'value', value)", "key",
                              key, "update", old.json, err);
    }
    free(old.json);
    return rc;
}

/* ---- administration ------------------------------------------------------
 */

static cl_err
sq_api_holiday_delete(cl_store *st, const char *on, int *found, cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_holiday_delete", err);
    old_ud old = {NULL};
    int n = 0;
    *found = 0;
    if (rc != CL_OK)
        return rc;
    sq_store *s = (sq_store *)st;
    /* The old row as cl_store_put writes a holiday's audit JSON. */
    rc = cl__sq_rows(s, old_row, &old, err,
                     "SELECT json_object('on', \"on\", 'name', name) FROM "
                     "holidays WHERE workspace_id = ?1 AND \"on\" = ?2",
                     "s", on);
    if (rc == CL_OK && old.json)
        rc = cl__sq_exec(s, &n, err,
                         "DELETE FROM holidays WHERE workspace_id = ?1 AND "
                         "\"on\" = ?2",
                         "s", on);
    if (rc == CL_OK && n > 0) {
        *found = 1;
        rc = cl__sqw_audit(st, "holidays", on, "delete", old.json, NULL, err);
    }
    free(old.json);
    return rc;
}

const cl_store_api_ops cl__sqlite_api_ops = {
    .list = sq_api_list,
    .cause_set = sq_api_cause_set,
    .threshold_set = sq_api_threshold_set,
    .holiday_delete = sq_api_holiday_delete,
};
