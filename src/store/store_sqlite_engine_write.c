/*
 * store_sqlite_engine_write.c - the SQLite backend's side of the engine
 * writes (store_engine_write.c holds their logic and SQL): the queries with
 * an array of parameters they run through, and SQLite's JSON.
 */
#include <stdio.h>

#include "store_sqlite_int.h"

#define SQ(base) ((sq_store *)(base))

static cl_err
exec_a(cl_store *base, int *changes, cl_error *err, const char *sql,
       const char *fmt, const cl__arg *a)
{
    return cl__sq_exec_a(SQ(base), changes, err, sql, fmt, a);
}

static cl_err
rows_a(cl_store *base, cl__row_fn fn, void *ud, cl_error *err, const char *sql,
       const char *fmt, const cl__arg *a)
{
    cl__sq_map_ctx m = {fn, ud};
    return cl__sq_rows_a(SQ(base), cl__sq_map, &m, err, sql, fmt, a);
}

static cl_err
audit_row(cl_store *st, const char *table, const char *json_expr,
          const char *keycol, const char *key, const char *action,
          const char *old_json, cl_error *err)
{
    return cl__sq_audit_row(SQ(st), table, json_expr, keycol, key, action,
                            old_json, err);
}

const cl__engine_q cl__sq_engine_q = {
    .exec = exec_a,
    .rows = rows_a,
    .stream = rows_a, /* a step reads one row */
    .audit_row = audit_row,
    .json_object = "json_object",
    .text_agg = "group_concat",
    .session_json =
        "json_object('id', id, 'kind', kind, 'period', period, 'status', "
        "status, 'owner_id', owner_id, 'closed_at', closed_at, 'decisions', "
        "json(decisions))",
    .session_decide = "UPDATE sessions SET decisions = json_insert("
                      "COALESCE(decisions, '[]'), '$[#]', ?2) WHERE "
                      "workspace_id = ?1 AND id = ?3",
    .login_by_email =
        "SELECT id, name, email, role, manager_id, "
        "password_hash, deactivated_at FROM users WHERE workspace_id = ?1 AND "
        "email = ?2 COLLATE NOCASE ORDER BY id LIMIT 1",
    .deals_by_account = "deals INDEXED BY deals_account",
    /* The audit table's rowid B-tree ends at the newest entry: one seek. */
    .audit_last = "SELECT id, at, actor, entity, entity_id, action, old, new "
                  "FROM audit ORDER BY id DESC LIMIT 1",
    /* Column affinity makes a text value compare as the column's type. */
    .bool_text = "%s",
    .money_param = "?%d",
    /* lower() folds ASCII only; instr, not LIKE, so the text is literal. */
    .contains = "instr(lower(%s), ?%d) > 0",
};
