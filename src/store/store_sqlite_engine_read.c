/*
 * store_sqlite_engine_read.c - the SQLite backend's engine ops: the column
 * accessors its rows are mapped through, and the table of the engine's
 * calls, written once in store_engine_read.c and store_engine_write.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_int.h"

/* ---- the cl__row accessors of a stepped statement ------------------------ */

static const char *
sq_col_text(const cl__row *r, int col)
{
    return cl__sq_text((sqlite3_stmt *)r->res, col);
}

static int64_t
sq_col_int(const cl__row *r, int col, int64_t dflt)
{
    sqlite3_stmt *st = (sqlite3_stmt *)r->res;
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return dflt;
    return sqlite3_column_int64(st, col);
}

static double
sq_col_real(const cl__row *r, int col)
{
    return sqlite3_column_double((sqlite3_stmt *)r->res, col);
}

static const cl__row_vt sq_row_vt = {sq_col_text, sq_col_int, sq_col_real};

int
cl__sq_map(void *ud, sqlite3_stmt *row)
{
    const cl__sq_map_ctx *m = ud;
    cl__row r = {&sq_row_vt, row, 0};
    return m->map(m->ud, &r);
}

const cl_store_engine_ops cl__sqlite_engine_ops = {
    .deals_sel = cl__engr_deals_sel,
    .reviews_unscored = cl__engr_reviews_unscored,
    .churns_sel = cl__engr_churns_sel,
    .users_by_role = cl__engr_users_by_role,
    .config_get = cl__engr_config_get,
    .config_set = cl__engw_config_set,
    .config_each = cl__engr_config_each,
    .audit = cl__engw_audit,
    .tasks_each = cl__engr_tasks_each,
    .task_add = cl__engw_task_add,
    .task_mark = cl__engw_task_mark,
    .task_done = cl__engw_task_done,
    .outbox_add = cl__engw_outbox_add,
    .outbox_each = cl__engr_outbox_each,
    .outbox_due = cl__engr_outbox_due,
    /* One writer per file: what is due is what this worker sends. */
    .outbox_claim = cl__engr_outbox_due,
    .outbox_mark = cl__engw_outbox_mark,
    .sessions_each = cl__engr_sessions_each,
    .session_open = cl__engw_session_open,
    .session_set_pack = cl__engw_session_set_pack,
    .session_pack = cl__engr_session_pack,
    .session_decide = cl__engw_session_decide,
    .session_close = cl__engw_session_close,
    .pcs_each = cl__engr_pcs_each,
    .pc_add = cl__engw_pc_add,
    .pc_checkin = cl__engw_pc_checkin,
    .trigger_add = cl__engw_trigger_add,
    .coaching_add = cl__engw_coaching_add,
    .coaching_each = cl__engr_coaching_each,
    .flag_add = cl__engw_flag_add,
    .flags_each = cl__engr_flags_each,
    .field_set = cl__engw_field_set,
    .deal_health = cl__engr_deal_health,
    .link_add = cl__engw_link_add,
    .link_get = cl__engr_link_get,
    .q = &cl__sq_engine_q,
};
