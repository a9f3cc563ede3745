/*
 * store_sqlite_engine_read.c - the SQLite backend's engine reads: the
 * deals, churns, users, tasks, sessions, process changes, outbox rows and
 * coaching items the loop engine's shell and delivery look at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_int.h"

#define SQ(base) ((sq_store *)(base))
#define T cl__sq_text
#define I cl__sq_int

/* ---- deals --------------------------------------------------------------- */

static const char deal_select[] =
    "SELECT d.id, d.account_id, d.ae_id, ae.manager_id, a.csm_id, "
    "csm.manager_id, d.type, d.stage, d.created_on, d.first_demo_on, "
    "d.closed_on, d.kickoff_on, d.arr, d.icp_fit_score, "
    "d.champion_tenure_months, d.exec_sponsor, "
    "EXISTS (SELECT 1 FROM flags f WHERE f.workspace_id = d.workspace_id "
    "  AND f.subject_kind = 'deal' AND f.subject_id = d.id "
    "  AND f.flag = 'champion_stability'), "
    "EXISTS (SELECT 1 FROM flags f WHERE f.workspace_id = d.workspace_id "
    "  AND f.subject_kind = 'deal' AND f.subject_id = d.id "
    "  AND f.flag = 'slow_to_demo'), "
    "EXISTS (SELECT 1 FROM reviews r WHERE r.workspace_id = d.workspace_id "
    "  AND r.deal_id = d.id) "
    "FROM deals d JOIN accounts a ON a.workspace_id = d.workspace_id "
    "  AND a.id = d.account_id "
    "LEFT JOIN users ae ON ae.workspace_id = d.workspace_id "
    "  AND ae.id = d.ae_id "
    "LEFT JOIN users csm ON csm.workspace_id = d.workspace_id "
    "  AND csm.id = a.csm_id "
    "WHERE d.workspace_id = ?1 ";

static const char *const deal_where[] = {
    [CL_SD_ONE] = "AND d.id = ?2",
    [CL_SD_ACCOUNT] = "AND d.account_id = ?2",
    [CL_SD_OPEN] = "AND d.stage NOT IN ('closed_won', 'closed_lost')",
    [CL_SD_WON_PENDING] =
        "AND d.stage = 'closed_won' AND d.closed_on >= ?2 "
        "AND NOT EXISTS (SELECT 1 FROM tasks t WHERE "
        "  t.workspace_id = d.workspace_id AND t.kind = 'won_deal_review' "
        "  AND t.subject_kind = 'deal' AND t.subject_id = d.id) "
        "AND NOT EXISTS (SELECT 1 FROM reviews r WHERE "
        "  r.workspace_id = d.workspace_id AND r.deal_id = d.id)",
    [CL_SD_NEW_ON_LOST] =
        "AND d.created_on >= ?2 AND d.stage <> 'closed_lost' "
        "AND NOT EXISTS (SELECT 1 FROM recovery_links l WHERE "
        "  l.workspace_id = d.workspace_id AND l.new_deal_id = d.id) "
        "AND NOT EXISTS (SELECT 1 FROM recoveries r WHERE "
        "  r.workspace_id = d.workspace_id AND r.new_deal_id = d.id) "
        "AND EXISTS (SELECT 1 FROM deals o WHERE "
        "  o.workspace_id = d.workspace_id AND o.account_id = d.account_id "
        "  AND o.id <> d.id AND o.stage = 'closed_lost' "
        "  AND o.closed_on <= d.created_on)",
};

typedef struct deal_ctx {
    cl_store_deal_cb cb;
    void *ud;
} deal_ctx;

static int
deal_row(void *ud, sqlite3_stmt *r)
{
    deal_ctx *c = ud;
    cl_store_deal_row d = {
        .id = T(r, 0),
        .account_id = T(r, 1),
        .ae_id = T(r, 2),
        .ae_manager_id = T(r, 3),
        .csm_id = T(r, 4),
        .cs_manager_id = T(r, 5),
        .type = T(r, 6),
        .stage = T(r, 7),
        .created_on = T(r, 8),
        .first_demo_on = T(r, 9),
        .closed_on = T(r, 10),
        .kickoff_on = T(r, 11),
        .arr = sqlite3_column_double(r, 12),
        .icp_fit_score = I(r, 13, -1),
        .champion_tenure_months = I(r, 14, -1),
        .exec_sponsor = I(r, 15, -1),
        .champion_flagged = I(r, 16, 0),
        .slow_demo_flagged = I(r, 17, 0),
        .review_done = I(r, 18, 0),
    };
    return c->cb(c->ud, &d);
}

static cl_err
sq_deals_sel(cl_store *st, cl_store_deal_sel sel, const char *arg,
             cl_store_deal_cb cb, void *ud, cl_error *err)
{
    char sql[sizeof deal_select + 1024];
    deal_ctx c = {cb, ud};
    if ((size_t)sel >= sizeof deal_where / sizeof deal_where[0])
        return cl_error_set(err, CL_EINVAL, "unknown deal selection");
    strcpy(sql, deal_select);
    strcat(sql, deal_where[sel]);
    strcat(sql, " ORDER BY d.id");
    return cl__sq_rows(SQ(st), deal_row, &c, err, sql,
                       sel == CL_SD_OPEN ? "" : "s", arg);
}

/* ---- churns ---------------------------------------------------------------
 */

static const char churn_select[] =
    "SELECT c.id, c.account_id, c.odeal, dd.ae_id, ae.manager_id, "
    "a.csm_id, c.churned_on, c.primary_cause, c.contributing_causes, "
    "c.stated_reason, c.diagnosis, c.predictive_behavior, c.tagged_by, "
    "c.tagged_on, c.sales_flagged_on, c.closed_on, "
    "COALESCE(t.sales_attributable, 0), t.bad_fit_category, c.arr_lost "
    "FROM (SELECT c.*, COALESCE(c.deal_id, (SELECT d.id FROM deals d "
    "  WHERE d.workspace_id = c.workspace_id AND d.account_id = "
    "  c.account_id AND d.stage = 'closed_won' AND d.type = 'new' "
    "  ORDER BY d.closed_on, d.id LIMIT 1)) AS odeal "
    "  FROM churns c WHERE c.workspace_id = ?1) c "
    "JOIN accounts a ON a.workspace_id = c.workspace_id "
    "  AND a.id = c.account_id "
    "LEFT JOIN deals dd ON dd.workspace_id = c.workspace_id "
    "  AND dd.id = c.odeal "
    "LEFT JOIN users ae ON ae.workspace_id = c.workspace_id "
    "  AND ae.id = dd.ae_id "
    "LEFT JOIN taxonomy t ON t.workspace_id = c.workspace_id "
    "  AND t.code = c.primary_cause "
    "WHERE 1 ";

static const char *const churn_where[] = {
    [CL_SC_ONE] = "AND c.id = ?2",
    [CL_SC_UNTAGGED_PENDING] =
        "AND c.primary_cause IS NULL AND c.closed_on IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM tasks k WHERE "
        "  k.workspace_id = c.workspace_id AND k.kind = 'churn_tagging' "
        "  AND k.subject_kind = 'churn' AND k.subject_id = c.id)",
    [CL_SC_FLAG_PENDING] =
        "AND c.primary_cause IS NOT NULL AND t.sales_attributable = 1 "
        "AND c.sales_flagged_on IS NULL "
        "AND COALESCE(c.tagged_on, c.churned_on) >= ?2",
    [CL_SC_TAGGED_BETWEEN] = "AND c.primary_cause IS NOT NULL "
                             "AND c.churned_on >= ?2 AND c.churned_on <= ?3",
};

typedef struct churn_ctx {
    cl_store_churn_cb cb;
    void *ud;
} churn_ctx;

static int
churn_row(void *ud, sqlite3_stmt *r)
{
    churn_ctx *c = ud;
    cl_store_churn_row x = {
        .id = T(r, 0),
        .account_id = T(r, 1),
        .deal_id = T(r, 2),
        .ae_id = T(r, 3),
        .ae_manager_id = T(r, 4),
        .csm_id = T(r, 5),
        .churned_on = T(r, 6),
        .primary_cause = T(r, 7),
        .contributing_causes = T(r, 8),
        .stated_reason = T(r, 9),
        .diagnosis = T(r, 10),
        .predictive_behavior = T(r, 11),
        .tagged_by = T(r, 12),
        .tagged_on = T(r, 13),
        .sales_flagged_on = T(r, 14),
        .closed_on = T(r, 15),
        .sales_attributable = I(r, 16, 0),
        .bad_fit_category = T(r, 17),
        .arr_lost = sqlite3_column_double(r, 18),
    };
    return c->cb(c->ud, &x);
}

static cl_err
sq_churns_sel(cl_store *st, cl_store_churn_sel sel, const char *arg,
              const char *arg2, cl_store_churn_cb cb, void *ud, cl_error *err)
{
    char sql[sizeof churn_select + 1024];
    churn_ctx c = {cb, ud};
    const char *fmt = "s";
    if ((size_t)sel >= sizeof churn_where / sizeof churn_where[0])
        return cl_error_set(err, CL_EINVAL, "unknown churn selection");
    if (sel == CL_SC_UNTAGGED_PENDING)
        fmt = "";
    else if (sel == CL_SC_TAGGED_BETWEEN)
        fmt = "ss";
    strcpy(sql, churn_select);
    strcat(sql, churn_where[sel]);
    strcat(sql, " ORDER BY c.id");
    return cl__sq_rows(SQ(st), churn_row, &c, err, sql, fmt, arg, arg2);
}

/* ---- users and configuration ----------------------------------------------
 */

typedef struct user_ctx {
    cl_store_user_cb cb;
    void *ud;
} user_ctx;

static int
user_row(void *ud, sqlite3_stmt *r)
{
    user_ctx *c = ud;
    cl_store_user_row u = {T(r, 0), T(r, 1), T(r, 2), T(r, 3), T(r, 4)};
    return c->cb(c->ud, &u);
}

static cl_err
sq_users_by_role(cl_store *st, const char *role, cl_store_user_cb cb, void *ud,
                 cl_error *err)
{
    user_ctx c = {cb, ud};
    return cl__sq_rows(SQ(st), user_row, &c, err,
                       "SELECT id, name, email, role, manager_id FROM users "
                       "WHERE workspace_id = ?1 AND (?2 IS NULL OR role = ?2) "
                       "ORDER BY id",
                       "s", role);
}

typedef struct text_ctx {
    char *buf;
    size_t len;
    int found;
} text_ctx;

static int
text_row(void *ud, sqlite3_stmt *r)
{
    text_ctx *c = ud;
    const char *v = T(r, 0);
    snprintf(c->buf, c->len, "%s", v ? v : "");
    c->found = 1;
    return 1;
}

static cl_err
sq_config_get(cl_store *st, const char *key, char *buf, size_t len, int *found,
              cl_error *err)
{
    text_ctx c = {buf, len, 0};
    if (len)
        buf[0] = '\0';
    cl_err rc = cl__sq_rows(SQ(st), text_row, &c, err,
                            "SELECT value FROM config WHERE workspace_id = ?1 "
                            "AND key = ?2",
                            "s", key);
    *found = c.found;
    return rc;
}

typedef struct kv_ctx {
    cl_store_kv_cb cb;
    void *ud;
} kv_ctx;

static int
kv_row(void *ud, sqlite3_stmt *r)
{
    kv_ctx *c = ud;
    return c->cb(c->ud, T(r, 0), T(r, 1));
}

static cl_err
sq_config_each(cl_store *st, cl_store_kv_cb cb, void *ud, cl_error *err)
{
    kv_ctx c = {cb, ud};
    return cl__sq_rows(SQ(st), kv_row, &c, err,
                       "SELECT key, value FROM config WHERE workspace_id = ?1 "
                       "ORDER BY key",
                       "");
}

/* ---- tasks ----------------------------------------------------------------
 */

typedef struct task_ctx {
    cl_store_task_cb cb;
    void *ud;
} task_ctx;

static int
task_row(void *ud, sqlite3_stmt *r)
{
    task_ctx *c = ud;
    cl_store_task_row t = {
        .id = sqlite3_column_int64(r, 0),
        .kind = T(r, 1),
        .subject_kind = T(r, 2),
        .subject_id = T(r, 3),
        .assignee_id = T(r, 4),
        .assignee_manager_id = T(r, 5),
        .due_on = T(r, 6),
        .status = T(r, 7),
        .title = T(r, 8),
        .attendees = T(r, 9),
        .created_at = T(r, 10),
        .done_at = T(r, 11),
        .reminded = sqlite3_column_type(r, 12) != SQLITE_NULL,
        .escalated = sqlite3_column_type(r, 13) != SQLITE_NULL,
    };
    return c->cb(c->ud, &t);
}

static cl_err
sq_tasks_each(cl_store *st, const cl_store_task_filter *f, cl_store_task_cb cb,
              void *ud, cl_error *err)
{
    task_ctx c = {cb, ud};
    return cl__sq_rows(
        SQ(st), task_row, &c, err,
        "SELECT t.id, t.kind, t.subject_kind, t.subject_id, t.assignee_id, "
        "u.manager_id, t.due_on, t.status, t.title, t.attendees, "
        "t.created_at, t.done_at, t.reminded_at, t.escalated_at "
        "FROM tasks t LEFT JOIN users u ON u.workspace_id = t.workspace_id "
        "AND u.id = t.assignee_id WHERE t.workspace_id = ?1 "
        "AND (?2 IS NULL OR t.assignee_id = ?2) "
        "AND (?3 IS NULL OR t.kind = ?3) AND (?4 IS NULL OR t.status = ?4) "
        "AND (?5 = 0 OR t.id = ?5) ORDER BY t.due_on, t.id",
        "sssi", f->assignee_id, f->kind, f->status, (int64_t)f->id);
}

/* ---- outbox ---------------------------------------------------------------
 */

static const char outbox_select[] =
    "SELECT o.id, o.recipient_id, u.email, o.channel, o.kind, o.subject, "
    "o.body, o.status, o.attempts, o.next_attempt_at, o.last_error, "
    "o.idempotency_key, o.created_at, o.sent_at, o.subject_kind, "
    "o.subject_id FROM outbox o LEFT JOIN users u ON "
    "u.workspace_id = o.workspace_id AND u.id = o.recipient_id "
    "WHERE o.workspace_id = ?1 ";

typedef struct outbox_ctx {
    cl_store_outbox_cb cb;
    void *ud;
} outbox_ctx;

static int
outbox_row(void *ud, sqlite3_stmt *r)
{
    outbox_ctx *c = ud;
    cl_store_outbox_row o = {
        .id = sqlite3_column_int64(r, 0),
        .recipient_id = T(r, 1),
        .recipient_email = T(r, 2),
        .channel = T(r, 3),
        .kind = T(r, 4),
        .subject = T(r, 5),
        .body = T(r, 6),
        .status = T(r, 7),
        .attempts = I(r, 8, 0),
        .next_attempt_at = T(r, 9),
        .last_error = T(r, 10),
        .idempotency_key = T(r, 11),
        .created_at = T(r, 12),
        .sent_at = T(r, 13),
        .subject_kind = T(r, 14),
        .subject_id = T(r, 15),
    };
    return c->cb(c->ud, &o);
}

static cl_err
sq_outbox_each(cl_store *st, const char *recipient_id, const char *channel,
               cl_store_outbox_cb cb, void *ud, cl_error *err)
{
    char sql[sizeof outbox_select + 256];
    outbox_ctx c = {cb, ud};
    strcpy(sql, outbox_select);
    strcat(sql, "AND (?2 IS NULL OR o.recipient_id = ?2) "
                "AND (?3 IS NULL OR o.channel = ?3) ORDER BY o.id");
    return cl__sq_rows(SQ(st), outbox_row, &c, err, sql, "ss", recipient_id,
                       channel);
}

static cl_err
sq_outbox_due(cl_store *st, const char *channel, const char *now, int limit,
              cl_store_outbox_cb cb, void *ud, cl_error *err)
{
    char sql[sizeof outbox_select + 256];
    outbox_ctx c = {cb, ud};
    strcpy(sql, outbox_select);
    strcat(sql, "AND o.status = 'pending' AND o.channel = ?2 "
                "AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?3) "
                "ORDER BY o.id LIMIT ?4");
    return cl__sq_rows(SQ(st), outbox_row, &c, err, sql, "ssi", channel, now,
                       (int64_t)limit);
}

/* ---- sessions, process changes, coaching --------------------------------- */

typedef struct session_ctx {
    cl_store_session_cb cb;
    void *ud;
} session_ctx;

static int
session_row(void *ud, sqlite3_stmt *r)
{
    session_ctx *c = ud;
    cl_store_session_row x = {
        .id = sqlite3_column_int64(r, 0),
        .kind = T(r, 1),
        .period = T(r, 2),
        .status = T(r, 3),
        .owner_id = T(r, 4),
        .opened_at = T(r, 5),
        .closed_at = T(r, 6),
        .decisions = T(r, 7),
        .has_pack = I(r, 8, 0),
    };
    return c->cb(c->ud, &x);
}

static cl_err
sq_sessions_each(cl_store *st, int64_t id, const char *status,
                 cl_store_session_cb cb, void *ud, cl_error *err)
{
    session_ctx c = {cb, ud};
    return cl__sq_rows(SQ(st), session_row, &c, err,
                       "SELECT id, kind, period, status, owner_id, opened_at, "
                       "closed_at, decisions, pack IS NOT NULL FROM sessions "
                       "WHERE workspace_id = ?1 AND (?2 = 0 OR id = ?2) "
                       "AND (?3 IS NULL OR status = ?3) ORDER BY id",
                       "is", id, status);
}

typedef struct pack_ctx {
    char *pack;
    int oom;
} pack_ctx;

static int
pack_row(void *ud, sqlite3_stmt *r)
{
    pack_ctx *c = ud;
    const char *p = T(r, 0);
    if (p && (c->pack = strdup(p)) == NULL)
        c->oom = 1;
    return 1;
}

static cl_err
sq_session_pack(cl_store *st, int64_t id, char **pack, cl_error *err)
{
    pack_ctx c = {NULL, 0};
    cl_err rc = cl__sq_rows(SQ(st), pack_row, &c, err,
                            "SELECT pack FROM sessions WHERE workspace_id = ?1 "
                            "AND id = ?2",
                            "i", id);
    if (rc == CL_OK && c.oom)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    *pack = c.pack;
    return rc;
}

typedef struct pc_ctx {
    cl_store_pc_cb cb;
    void *ud;
} pc_ctx;

static int
pc_row(void *ud, sqlite3_stmt *r)
{
    pc_ctx *c = ud;
    cl_store_pc_row p = {
        .id = sqlite3_column_int64(r, 0),
        .session_id = sqlite3_column_int64(r, 1),
        .owner_id = T(r, 2),
        .description = T(r, 3),
        .checkin_due = T(r, 4),
        .checkin_on = T(r, 5),
        .checkin_note = T(r, 6),
        .reminded = sqlite3_column_type(r, 7) != SQLITE_NULL,
        .escalated = sqlite3_column_type(r, 8) != SQLITE_NULL,
    };
    return c->cb(c->ud, &p);
}

static cl_err
sq_pcs_each(cl_store *st, int64_t id, int64_t session_id, int pending_only,
            cl_store_pc_cb cb, void *ud, cl_error *err)
{
    pc_ctx c = {cb, ud};
    return cl__sq_rows(SQ(st), pc_row, &c, err,
                       "SELECT id, session_id, owner_id, description, "
                       "checkin_due, checkin_on, checkin_note, reminded_on, "
                       "escalated_on FROM process_changes WHERE "
                       "workspace_id = ?1 AND (?2 = 0 OR id = ?2) "
                       "AND (?3 = 0 OR session_id = ?3) "
                       "AND (?4 = 0 OR checkin_on IS NULL) ORDER BY id",
                       "iii", id, session_id, (int64_t)pending_only);
}

typedef struct coaching_ctx {
    cl_store_coaching_cb cb;
    void *ud;
} coaching_ctx;

static int
coaching_row(void *ud, sqlite3_stmt *r)
{
    coaching_ctx *c = ud;
    cl_store_coaching_row x = {
        .id = sqlite3_column_int64(r, 0),
        .session_id = sqlite3_column_int64(r, 1),
        .ae_id = T(r, 2),
        .period = T(r, 3),
        .cause = T(r, 4),
        .note = T(r, 5),
        .audience = T(r, 6),
        .status = T(r, 7),
    };
    return c->cb(c->ud, &x);
}

static cl_err
sq_coaching_each(cl_store *st, cl_store_coaching_cb cb, void *ud, cl_error *err)
{
    coaching_ctx c = {cb, ud};
    return cl__sq_rows(SQ(st), coaching_row, &c, err,
                       "SELECT id, session_id, ae_id, period, cause, note, "
                       "audience, status FROM coaching_items "
                       "WHERE workspace_id = ?1 ORDER BY id",
                       "");
}

/* ---- flags, health, links -------------------------------------------------
 */

typedef struct flag_ctx {
    cl_store_flag_cb cb;
    void *ud;
} flag_ctx;

static int
flag_row(void *ud, sqlite3_stmt *r)
{
    flag_ctx *c = ud;
    return c->cb(c->ud, T(r, 0), T(r, 1), T(r, 2));
}

static cl_err
sq_flags_each(cl_store *st, const char *subject_kind, const char *subject_id,
              cl_store_flag_cb cb, void *ud, cl_error *err)
{
    flag_ctx c = {cb, ud};
    return cl__sq_rows(SQ(st), flag_row, &c, err,
                       "SELECT flag, field, reason FROM flags WHERE "
                       "workspace_id = ?1 AND subject_kind = ?2 AND "
                       "subject_id = ?3 ORDER BY key",
                       "ss", subject_kind, subject_id);
}

static int
int_row(void *ud, sqlite3_stmt *r)
{
    *(int *)ud = I(r, 0, -1);
    return 1;
}

static cl_err
sq_deal_health(cl_store *st, const char *deal_id, int *score, cl_error *err)
{
    *score = -1;
    return cl__sq_rows(SQ(st), int_row, score, err,
                       "SELECT health_score FROM deals WHERE "
                       "workspace_id = ?1 AND id = ?2",
                       "s", deal_id);
}

typedef struct link_ctx {
    char *out;
    size_t len;
    int months, found;
} link_ctx;

static int
link_row(void *ud, sqlite3_stmt *r)
{
    link_ctx *c = ud;
    snprintf(c->out, c->len, "%s", T(r, 0));
    c->months = I(r, 1, 0);
    c->found = 1;
    return 1;
}

static cl_err
sq_link_get(cl_store *st, const char *new_deal_id, char *out, size_t outlen,
            int *months, int *found, cl_error *err)
{
    link_ctx c = {out, outlen, 0, 0};
    cl_err rc = cl__sq_rows(SQ(st), link_row, &c, err,
                            "SELECT original_deal_id, months FROM "
                            "recovery_links WHERE workspace_id = ?1 AND "
                            "new_deal_id = ?2",
                            "s", new_deal_id);
    *months = c.months;
    *found = c.found;
    return rc;
}

const cl_store_engine_ops cl__sqlite_engine_ops = {
    .deals_sel = sq_deals_sel,
    .churns_sel = sq_churns_sel,
    .users_by_role = sq_users_by_role,
    .config_get = sq_config_get,
    .config_set = cl__sqw_config_set,
    .config_each = sq_config_each,
    .audit = cl__sqw_audit,
    .tasks_each = sq_tasks_each,
    .task_add = cl__sqw_task_add,
    .task_mark = cl__sqw_task_mark,
    .task_done = cl__sqw_task_done,
    .outbox_add = cl__sqw_outbox_add,
    .outbox_each = sq_outbox_each,
    .outbox_due = sq_outbox_due,
    /* One writer per file: what is due is what this worker sends. */
    .outbox_claim = sq_outbox_due,
    .outbox_mark = cl__sqw_outbox_mark,
    .sessions_each = sq_sessions_each,
    .session_open = cl__sqw_session_open,
    .session_set_pack = cl__sqw_session_set_pack,
    .session_pack = sq_session_pack,
    .session_decide = cl__sqw_session_decide,
    .session_close = cl__sqw_session_close,
    .pcs_each = sq_pcs_each,
    .pc_add = cl__sqw_pc_add,
    .pc_checkin = cl__sqw_pc_checkin,
    .trigger_add = cl__sqw_trigger_add,
    .coaching_add = cl__sqw_coaching_add,
    .coaching_each = sq_coaching_each,
    .flag_add = cl__sqw_flag_add,
    .flags_each = sq_flags_each,
    .field_set = cl__sqw_field_set,
    .deal_health = sq_deal_health,
    .link_add = cl__sqw_link_add,
    .link_get = sq_link_get,
};
