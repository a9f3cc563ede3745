/*
 * store_api_settings.c - the server's writes of settings (store_api.h): a
 * cause's label, definition and retirement, a threshold's value, a
 * holiday's removal, each with its audit entry, one SQL text for both
 * backends.  An entry's JSON is the backend's JSON object function
 * (cl__dialect.json_object) in SQLite's layout (json_text), or, for a
 * threshold's number, written here as SQLite writes a REAL, so both
 * backends write the same text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_engine_int.h"

/* The old row of table where the SQL condition cond holds (?2 the key), as
   JSON of the key, value arguments args, into *out (NULL: no row). */
static cl_err
old_json(cl_store *st, const char *args, const char *table, const char *cond,
         const char *key, char **out, cl_error *err)
{
    char obj[512];
    cl_buf sql = CL_BUF_INIT;
    cl__row_dup d = {NULL, 0};
    snprintf(obj, sizeof obj, "%s(%s)", CL__DIALECT(st)->json_object, args);
    cl_buf_str(&sql, "SELECT ");
    cl__sql_expand(&sql, CL__DIALECT(st)->json_text, obj, 0);
    cl_buf_str(&sql, " FROM ");
    cl_buf_str(&sql, table);
    cl_buf_str(&sql, " WHERE workspace_id = ?1 AND ");
    cl_buf_str(&sql, cond);
    cl_err rc =
        sql.oom ? cl_error_set(err, CL_ENOMEM, "out of memory")
                : cl__q_rows(st, cl__row_dup_first, &d, err, sql.p, "s", key);
    cl_buf_free(&sql);
    if (rc == CL_OK && d.oom)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    *out = d.pack;
    return rc;
}

#define CAUSE_JSON                                                             \
    "'code', code, 'label', label, 'definition', definition, 'retired_at', "   \
    "retired_at"

cl_err
cl__api_cause_set(cl_store *st, const char *code, const char *label,
                  const char *definition, int retire, int *found, cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_cause_set", err);
    char *old = NULL, expr[256];
    int n = 0;
    *found = 0;
    if (rc != CL_OK)
        return rc;
    rc = old_json(st, CAUSE_JSON, "taxonomy", "code = ?2", code, &old, err);
    /* A retirement keeps its first date; putting back in use clears it. */
    if (rc == CL_OK)
        rc = cl__q_exec(st, &n, err,
                        "UPDATE taxonomy SET label = coalesce(?3, label), "
                        "definition = coalesce(?4, definition), "
                        "retired_at = CASE ?5::text WHEN '1' THEN "
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
        snprintf(expr, sizeof expr, "%s(" CAUSE_JSON ")",
                 CL__DIALECT(st)->json_object);
        rc = cl__engw_audit_row(st, "taxonomy", expr, "code", code, "update",
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
value_row(void *ud, const cl__row *r)
{
    value_ud *u = ud;
    u->v = r->vt->real(r, 0);
    u->found = 1;
    return 1;
}

/* {"key":...,"value":...} as SQLite's json_object writes it. */
static char *
threshold_json(const char *key, double value)
{
    char num[40];
    cl_buf b = CL_BUF_INIT;
    cl__sql_real_json(value, num, sizeof num);
    cl_buf_str(&b, "{\"key\":");
    cl_buf_json_str(&b, key);
    cl_buf_printf(&b, ",\"value\":%s}", num);
    return cl_buf_take(&b, NULL);
}

cl_err
cl__api_threshold_set(cl_store *st, const char *key, double value, int *found,
                      cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_threshold_set", err);
    value_ud old = {0, 0};
    int n = 0;
    *found = 0;
    if (rc != CL_OK)
        return rc;
    rc = cl__q_rows(st, value_row, &old, err,
                    "SELECT value FROM thresholds WHERE workspace_id = ?1 "
                    "AND key = ?2",
                    "s", key);
    if (rc == CL_OK)
        rc = cl__q_exec(st, &n, err,
                        "UPDATE thresholds SET value = ?3 WHERE "
                        "workspace_id = ?1 AND key = ?2",
                        "sd", key, value);
    if (rc == CL_OK && n > 0) {
        *found = 1;
        char *oj = old.found ? threshold_json(key, old.v) : NULL;
        char *nj = threshold_json(key, value);
        if ((old.found && oj == NULL) || nj == NULL)
            rc = cl_error_set(err, CL_ENOMEM, "out of memory");
        else
            rc = cl__engw_audit(st, "thresholds", key, "update", oj, nj, err);
        free(oj);
        free(nj);
    }
    return rc;
}

cl_err
cl__api_holiday_delete(cl_store *st, const char *on, int *found, cl_error *err)
{
    cl_err rc = cl__store_need_tx(st, "cl_store_holiday_delete", err);
    char *old = NULL;
    int n = 0;
    *found = 0;
    if (rc != CL_OK)
        return rc;
    /* The old row in the layout cl_store_put audits a holiday with. */
    rc = old_json(st, "'on', \"on\"::text, 'name', name", "holidays",
                  "\"on\" = ?2::date", on, &old, err);
    if (rc == CL_OK && old)
        rc = cl__q_exec(st, &n, err,
                        "DELETE FROM holidays WHERE workspace_id = ?1 AND "
                        "\"on\" = ?2::date",
                        "s", on);
    if (rc == CL_OK && n > 0) {
        *found = 1;
        rc = cl__engw_audit(st, "holidays", on, "delete", old, NULL, err);
    }
    free(old);
    return rc;
}
