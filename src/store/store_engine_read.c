/*
 * store_engine_read.c - the engine reads, one copy for both backends: the
 * deals, churns, users, tasks, sessions, process changes, outbox rows and
 * coaching items the loop engine's shell and delivery look at.  The SQL is
 * written once with ?N placeholders and PostgreSQL's casts where it cannot
 * tell a parameter's type (store_sql.c rewrites it for each backend); it
 * runs through the backend's query primitives, and store_engine_rows.c maps
 * the rows.  Booleans are read as integers (::integer) so both backends
 * compare them the same way.
 */
#include <stdio.h>
#include <string.h>

#include "../core/taxonomy.h"
#include "store_engine_int.h"

/* ---- deals --------------------------------------------------------------- */

/* %s: the backend's text aggregate (cl__dialect.text_agg). */
static const char deal_select[] =
    "SELECT d.id, d.account_id, d.ae_id, ae.manager_id, a.csm_id, "
    "csm.manager_id, d.type, d.stage, d.created_on, d.first_demo_on, "
    "d.closed_on, d.kickoff_on, d.arr, d.icp_fit_score, "
    "d.champion_tenure_months, d.exec_sponsor, "
    "(SELECT %s(f.flag, ';') FROM flags f "
    "  WHERE f.workspace_id = d.workspace_id "
    "  AND f.subject_kind = 'deal' AND f.subject_id = d.id), "
    "EXISTS (SELECT 1 FROM reviews r WHERE r.workspace_id = d.workspace_id "
    "  AND r.deal_id = d.id), a.name, ae.name "
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
    [CL_SD_CHECKIN_PENDING] =
        "AND d.stage = 'closed_won' AND a.status <> 'churned' "
        "AND COALESCE(d.kickoff_on, d.closed_on) >= ?2 "
        "AND EXISTS (SELECT 1 FROM reviews r WHERE "
        "  r.workspace_id = d.workspace_id AND r.deal_id = d.id) "
        "AND (SELECT count(*) FROM tasks t WHERE "
        "  t.workspace_id = d.workspace_id AND t.subject_kind = 'deal' "
        "  AND t.subject_id = d.id AND t.kind IN ('review_checkin_1', "
        "  'review_checkin_2', 'review_checkin_3')) < 3",
};

cl_err
cl__engr_deals_sel(cl_store *st, cl_store_deal_sel sel, const char *arg,
                   cl_store_deal_cb cb, void *ud, cl_error *err)
{
    char sql[sizeof deal_select + 1024];
    cl__row_sink c = {.cb.deal = cb, .ud = ud};
    if ((size_t)sel >= sizeof deal_where / sizeof deal_where[0])
        return cl_error_set(err, CL_EINVAL, "unknown deal selection");
    snprintf(sql, sizeof sql, deal_select, CL__DIALECT(st)->text_agg);
    strcat(sql, deal_where[sel]);
    strcat(sql, " ORDER BY d.id");
    return cl__q_rows(st, cl__row_deal, &c, err, sql,
                      sel == CL_SD_OPEN ? "" : "s", arg);
}

/* ---- reviews ------------------------------------------------------------- */

/* The won deals without a score, each with its review by primary key;
   never a scan of the reviews' text (see docs/store.md for its cost). */
cl_err
cl__engr_reviews_unscored(cl_store *st, cl_store_review_cb cb, void *ud,
                          cl_error *err)
{
    cl__row_sink c = {.cb.review = cb, .ud = ud};
    return cl__q_rows(st, cl__row_review, &c, err,
                      "SELECT d.id, r.held_on, r.q1, r.q2, r.q3, r.q4, r.q5, "
                      "r.q6, r.q7, r.gut_read, d.icp_fit_score FROM deals d "
                      "JOIN reviews r ON r.workspace_id = d.workspace_id "
                      "AND r.deal_id = d.id WHERE d.workspace_id = ?1 "
                      "AND d.stage = 'closed_won' AND d.health_score IS NULL "
                      "ORDER BY d.id",
                      "");
}

/* ---- churns ---------------------------------------------------------------
 */

static const char churn_select[] =
    "SELECT c.id, c.account_id, c.odeal, dd.ae_id, ae.manager_id, "
    "a.csm_id, c.churned_on, c.primary_cause, c.contributing_causes, "
    "c.stated_reason, c.diagnosis, c.predictive_behavior, c.tagged_by, "
    "c.tagged_on, c.sales_flagged_on, c.closed_on, "
    "COALESCE(t.sales_attributable::integer, 0), t.bad_fit_category, "
    "c.arr_lost, a.name "
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
    "WHERE true ";

static const char *const churn_where[] = {
    [CL_SC_ONE] = "AND c.id = ?2",
    [CL_SC_UNTAGGED_PENDING] =
        "AND c.primary_cause IS NULL AND c.closed_on IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM tasks k WHERE "
        "  k.workspace_id = c.workspace_id AND k.kind = 'churn_tagging' "
        "  AND k.subject_kind = 'churn' AND k.subject_id = c.id)",
    [CL_SC_FLAG_PENDING] =
        "AND c.primary_cause IS NOT NULL AND t.sales_attributable::integer = 1 "
        "AND c.sales_flagged_on IS NULL "
        "AND COALESCE(c.tagged_on, c.churned_on) >= ?2",
    [CL_SC_TAGGED_BETWEEN] = "AND c.primary_cause IS NOT NULL "
                             "AND c.churned_on >= ?2 AND c.churned_on <= ?3",
    [CL_SC_ROUTE_PENDING] =
        "AND c.primary_cause IS NOT NULL "
        "AND COALESCE(t.sales_attributable::integer, 0) = 0 "
        "AND COALESCE(c.tagged_on, c.churned_on) >= ?2 "
        "AND NOT EXISTS (SELECT 1 FROM tasks k WHERE "
        "  k.workspace_id = c.workspace_id AND k.kind = 'cause_followup' "
        "  AND k.subject_kind = 'churn' AND k.subject_id = c.id)",
};

cl_err
cl__engr_churns_sel(cl_store *st, cl_store_churn_sel sel, const char *arg,
                    const char *arg2, cl_store_churn_cb cb, void *ud,
                    cl_error *err)
{
    char sql[sizeof churn_select + 1024];
    cl__row_sink c = {.cb.churn = cb, .ud = ud};
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
    return cl__q_rows(st, cl__row_churn, &c, err, sql, fmt, arg, arg2);
}

/* ---- users and configuration ----------------------------------------------
 */

cl_err
cl__engr_users_by_role(cl_store *st, const char *role, cl_store_user_cb cb,
                       void *ud, cl_error *err)
{
    cl__row_sink c = {.cb.user = cb, .ud = ud};
    return cl__q_rows(
        st, cl__row_user, &c, err,
        "SELECT id, name, email, role, manager_id FROM users "
        "WHERE workspace_id = ?1 AND (?2::text IS NULL OR role = ?2) "
        "AND deactivated_at IS NULL ORDER BY id",
        "s", role);
}

cl_err
cl__engr_config_get(cl_store *st, const char *key, char *buf, size_t len,
                    int *found, cl_error *err)
{
    cl__row_text c = {buf, len, 0};
    if (len)
        buf[0] = '\0';
    cl_err rc = cl__q_rows(st, cl__row_text_first, &c, err,
                           "SELECT value FROM config WHERE workspace_id = ?1 "
                           "AND key = ?2",
                           "s", key);
    *found = c.found;
    return rc;
}

cl_err
cl__engr_config_each(cl_store *st, cl_store_kv_cb cb, void *ud, cl_error *err)
{
    cl__row_sink c = {.cb.kv = cb, .ud = ud};
    return cl__q_rows(st, cl__row_kv, &c, err,
                      "SELECT key, value FROM config WHERE workspace_id = ?1 "
                      "ORDER BY key",
                      "");
}

/* ---- tasks ----------------------------------------------------------------
 */

/* The deal's won-deal check-ins that exist, whoever they went to, as bits
   (1: the first, 2: the second, 4: the third): one query the tasks' unique
   key answers with three seeks, where cl__engr_tasks_each's optional
   filters would scan the table. */
cl_err
cl__engr_deal_checkins(cl_store *st, const char *deal_id, unsigned *opened,
                       cl_error *err)
{
    int bits = 0;
    cl_err rc = cl__q_rows(
        st, cl__row_int_first, &bits, err,
        "SELECT COALESCE(sum(CASE k.kind WHEN 'review_checkin_1' THEN 1 "
        "WHEN 'review_checkin_2' THEN 2 ELSE 4 END), 0) FROM (SELECT "
        "DISTINCT kind FROM tasks WHERE workspace_id = ?1 AND kind IN "
        "('review_checkin_1', 'review_checkin_2', 'review_checkin_3') AND "
        "subject_kind = 'deal' AND subject_id = ?2) k",
        "s", deal_id);
    *opened = bits > 0 ? (unsigned)bits : 0;
    return rc;
}

#define TASK_SELECT                                                            \
    "SELECT t.id, t.kind, t.subject_kind, t.subject_id, t.assignee_id, "       \
    "u.manager_id, t.due_on, t.status, t.title, t.attendees, "                 \
    "t.created_at, t.done_at, t.reminded_at, t.escalated_at "                  \
    "FROM tasks t LEFT JOIN users u ON u.workspace_id = t.workspace_id "       \
    "AND u.id = t.assignee_id WHERE t.workspace_id = ?1 "

/* One read for the daily tick's settling, instead of a lookup of each open
   task's record: the open tasks by index (tasks_open), each record by its
   key. */
cl_err
cl__engr_tasks_settled(cl_store *st, cl_store_task_cb cb, void *ud,
                       cl_error *err)
{
    cl__row_sink c = {.cb.task = cb, .ud = ud};
    return cl__q_rows(
        st, cl__row_task, &c, err,
        TASK_SELECT
        "AND t.status = 'open' AND ("
        "(t.kind IN ('won_deal_review', 'review_answers') AND EXISTS ("
        "  SELECT 1 FROM reviews r WHERE r.workspace_id = t.workspace_id "
        "  AND r.deal_id = t.subject_id)) "
        "OR (t.kind = 'churn_tagging' AND EXISTS ("
        "  SELECT 1 FROM churns c WHERE c.workspace_id = t.workspace_id "
        "  AND c.id = t.subject_id AND c.primary_cause IS NOT NULL)) "
        "OR (t.kind = 'recovery_classification' AND EXISTS ("
        "  SELECT 1 FROM recoveries r WHERE r.workspace_id = t.workspace_id "
        "  AND r.new_deal_id = t.subject_id "
        "  AND r.recovery_type IS NOT NULL))) "
        "ORDER BY CASE t.kind WHEN 'won_deal_review' THEN 0 "
        "WHEN 'churn_tagging' THEN 1 WHEN 'recovery_classification' THEN 2 "
        "ELSE 3 END, t.due_on, t.id",
        "");
}

cl_err
cl__engr_tasks_each(cl_store *st, const cl_store_task_filter *f,
                    cl_store_task_cb cb, void *ud, cl_error *err)
{
    cl__row_sink c = {.cb.task = cb, .ud = ud};
    return cl__q_rows(
        st, cl__row_task, &c, err,
        TASK_SELECT
        "AND (?2::text IS NULL OR t.assignee_id = ?2) "
        "AND (?3::text IS NULL OR t.kind = ?3) "
        "AND (?4::text IS NULL OR t.status = ?4) "
        "AND (?5 = 0 OR t.id = ?5) "
        "AND (?6::text IS NULL OR t.subject_kind = ?6) "
        "AND (?7::text IS NULL OR t.subject_id = ?7) ORDER BY t.due_on, t.id",
        "sssiss", f->assignee_id, f->kind, f->status, (int64_t)f->id,
        f->subject_kind, f->subject_id);
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

cl_err
cl__engr_outbox_each(cl_store *st, const char *recipient_id,
                     const char *channel, cl_store_outbox_cb cb, void *ud,
                     cl_error *err)
{
    char sql[sizeof outbox_select + 256];
    cl__row_sink c = {.cb.outbox = cb, .ud = ud};
    strcpy(sql, outbox_select);
    strcat(sql, "AND (?2::text IS NULL OR o.recipient_id = ?2) "
                "AND (?3::text IS NULL OR o.channel = ?3) ORDER BY o.id");
    return cl__q_rows(st, cl__row_outbox, &c, err, sql, "ss", recipient_id,
                      channel);
}

cl_err
cl__engr_outbox_due(cl_store *st, const char *channel, const char *now,
                    int limit, cl_store_outbox_cb cb, void *ud, cl_error *err)
{
    char sql[sizeof outbox_select + 256];
    cl__row_sink c = {.cb.outbox = cb, .ud = ud};
    strcpy(sql, outbox_select);
    strcat(sql, "AND o.status = 'pending' AND o.channel = ?2 "
                "AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?3) "
                "ORDER BY o.id LIMIT ?4");
    return cl__q_rows(st, cl__row_outbox, &c, err, sql, "ssi", channel, now,
                      (int64_t)limit);
}

cl_err
cl__engr_outbox_claim(cl_store *st, const char *channel, const char *now,
                      int limit, cl_store_outbox_cb cb, void *ud, cl_error *err)
{
    const char *claim = CL__DIALECT(st)->outbox_claim;
    if (claim == NULL)
        return cl__engr_outbox_due(st, channel, now, limit, cb, ud, err);
    cl_buf sql = CL_BUF_INIT;
    cl__row_sink c = {.cb.outbox = cb, .ud = ud};
    cl_buf_str(&sql, claim);
    cl_buf_str(&sql, outbox_select);
    cl_buf_str(&sql, "AND o.id IN (SELECT id FROM claimed) ORDER BY o.id");
    cl_err rc =
        sql.oom ? cl_error_set(err, CL_ENOMEM, "out of memory") : CL_ERETRY;
    /* The store's own transaction when the caller has none: retried on a
       serialization failure or deadlock. */
    for (int attempt = 0; rc == CL_ERETRY && attempt < 5; attempt++) {
        rc = cl__q_rows(st, cl__row_outbox, &c, err, sql.p, "ssi", channel, now,
                        (int64_t)limit);
        if (st->in_tx)
            break;
    }
    cl_buf_free(&sql);
    return rc;
}

/* ---- sessions, process changes, coaching --------------------------------- */

cl_err
cl__engr_sessions_each(cl_store *st, int64_t id, const char *status,
                       cl_store_session_cb cb, void *ud, cl_error *err)
{
    cl__row_sink c = {.cb.session = cb, .ud = ud};
    return cl__q_rows(st, cl__row_session, &c, err,
                      "SELECT id, kind, period, status, owner_id, opened_at, "
                      "closed_at, decisions, pack IS NOT NULL FROM sessions "
                      "WHERE workspace_id = ?1 AND (?2 = 0 OR id = ?2) "
                      "AND (?3::text IS NULL OR status = ?3) ORDER BY id",
                      "is", id, status);
}

cl_err
cl__engr_session_pack(cl_store *st, int64_t id, char **pack, cl_error *err)
{
    cl__row_dup c = {NULL, 0};
    cl_err rc = cl__q_rows(st, cl__row_dup_first, &c, err,
                           "SELECT pack FROM sessions WHERE workspace_id = ?1 "
                           "AND id = ?2",
                           "i", id);
    if (rc == CL_OK && c.oom)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    *pack = c.pack;
    return rc;
}

cl_err
cl__engr_pcs_each(cl_store *st, int64_t id, int64_t session_id,
                  int pending_only, cl_store_pc_cb cb, void *ud, cl_error *err)
{
    cl__row_sink c = {.cb.pc = cb, .ud = ud};
    return cl__q_rows(st, cl__row_pc, &c, err,
                      "SELECT id, session_id, owner_id, description, "
                      "checkin_due, checkin_on, checkin_note, reminded_on, "
                      "escalated_on FROM process_changes WHERE "
                      "workspace_id = ?1 AND (?2 = 0 OR id = ?2) "
                      "AND (?3 = 0 OR session_id = ?3) "
                      "AND (?4 = 0 OR checkin_on IS NULL) ORDER BY id",
                      "iii", id, session_id, (int64_t)pending_only);
}

cl_err
cl__engr_coaching_each(cl_store *st, cl_store_coaching_cb cb, void *ud,
                       cl_error *err)
{
    cl__row_sink c = {.cb.coaching = cb, .ud = ud};
    return cl__q_rows(st, cl__row_coaching, &c, err,
                      "SELECT id, session_id, ae_id, period, cause, note, "
                      "audience, status FROM coaching_items "
                      "WHERE workspace_id = ?1 ORDER BY id",
                      "");
}

/* ---- flags, health, links -------------------------------------------------
 */

cl_err
cl__engr_flags_each(cl_store *st, const char *subject_kind,
                    const char *subject_id, cl_store_flag_cb cb, void *ud,
                    cl_error *err)
{
    cl__row_sink c = {.cb.flag = cb, .ud = ud};
    return cl__q_rows(st, cl__row_flag, &c, err,
                      "SELECT flag, field, reason FROM flags WHERE "
                      "workspace_id = ?1 AND subject_kind = ?2 AND "
                      "subject_id = ?3 ORDER BY key",
                      "ss", subject_kind, subject_id);
}

cl_err
cl__engr_deal_health(cl_store *st, const char *deal_id, int *score,
                     cl_error *err)
{
    *score = -1;
    return cl__q_rows(st, cl__row_int_first, score, err,
                      "SELECT health_score FROM deals WHERE "
                      "workspace_id = ?1 AND id = ?2",
                      "s", deal_id);
}

/* ---- the AE's answers and the health history (issue 14) ------------------
 */

typedef struct answers_ctx {
    cl_store_answers_cb cb;
    void *ud;
} answers_ctx;

/* Columns: q1, q2, q3, q4, q7, answered_by, answered_at. */
static int
answers_row(void *ud, const cl__row *r)
{
    answers_ctx *c = ud;
    cl_store_answers_row a = {
        .q = {r->vt->text(r, 0), r->vt->text(r, 1), r->vt->text(r, 2),
              r->vt->text(r, 3), NULL, NULL, r->vt->text(r, 4)},
        .answered_by = r->vt->text(r, 5),
        .answered_at = r->vt->text(r, 6),
    };
    return c->cb(c->ud, &a);
}

cl_err
cl__engr_answers_get(cl_store *st, const char *deal_id, cl_store_answers_cb cb,
                     void *ud, cl_error *err)
{
    answers_ctx c = {cb, ud};
    return cl__q_rows(st, answers_row, &c, err,
                      "SELECT q1, q2, q3, q4, q7, answered_by, answered_at "
                      "FROM review_answers WHERE workspace_id = ?1 AND "
                      "deal_id = ?2",
                      "s", deal_id);
}

typedef struct health_ctx {
    cl_store_health_cb cb;
    void *ud;
} health_ctx;

/* Columns: id, deal_id, score, source, note, recorded_by, recorded_on. */
static int
health_row(void *ud, const cl__row *r)
{
    health_ctx *c = ud;
    cl_store_health_row h = {
        .id = r->vt->integer(r, 0, 0),
        .deal_id = r->vt->text(r, 1),
        .score = (int)r->vt->integer(r, 2, 0),
        .source = r->vt->text(r, 3),
        .note = r->vt->text(r, 4),
        .recorded_by = r->vt->text(r, 5),
        .recorded_on = r->vt->text(r, 6),
    };
    return c->cb(c->ud, &h);
}

cl_err
cl__engr_health_each(cl_store *st, const char *deal_id, cl_store_health_cb cb,
                     void *ud, cl_error *err)
{
    health_ctx c = {cb, ud};
    return cl__q_rows(st, health_row, &c, err,
                      "SELECT id, deal_id, score, source, note, recorded_by, "
                      "recorded_on FROM health_readings WHERE "
                      "workspace_id = ?1 AND deal_id = ?2 ORDER BY id",
                      "s", deal_id);
}

cl_err
cl__engr_link_get(cl_store *st, const char *new_deal_id, char *out,
                  size_t outlen, int *months, int *found, cl_error *err)
{
    cl__row_link c = {out, outlen, 0, 0};
    cl_err rc = cl__q_rows(st, cl__row_link_first, &c, err,
                           "SELECT original_deal_id, months FROM "
                           "recovery_links WHERE workspace_id = ?1 AND "
                           "new_deal_id = ?2",
                           "s", new_deal_id);
    *months = c.months;
    *found = c.found;
    return rc;
}

/* ---- taxonomy and thresholds (cl_store_causes, cl_store_threshold) ------ */

typedef struct cause_ctx {
    cl_store_cause_cb cb;
    void *ud;
} cause_ctx;

static int
cause_row(void *ud, const cl__row *r)
{
    cause_ctx *x = ud;
    cl_cause c = {
        .code = r->vt->text(r, 0),
        .label = r->vt->text(r, 1),
        .definition = r->vt->text(r, 2),
        .sales_attributable = (int)r->vt->integer(r, 3, 0),
        .badfit = cl_badfit_parse(r->vt->text(r, 4)),
        .routes_to = r->vt->text(r, 5),
        .retired = r->vt->text(r, 6) != NULL,
    };
    return x->cb(x->ud, &c);
}

cl_err
cl__engr_causes(cl_store *st, cl_store_cause_cb cb, void *ud, cl_error *err)
{
    cause_ctx c = {cb, ud};
    return cl__q_rows(st, cause_row, &c, err,
                      "SELECT code, label, definition, "
                      "sales_attributable::integer, bad_fit_category, "
                      "routes_to, retired_at "
                      "FROM taxonomy WHERE workspace_id = ?1 "
                      "ORDER BY position",
                      "");
}

typedef struct thr_ctx {
    cl_store_threshold_cb cb;
    void *ud;
    double value;
    int found;
} thr_ctx;

static int
thr_row(void *ud, const cl__row *r)
{
    thr_ctx *c = ud;
    return c->cb(c->ud, r->vt->text(r, 0), r->vt->real(r, 1));
}

cl_err
cl__engr_thresholds(cl_store *st, cl_store_threshold_cb cb, void *ud,
                    cl_error *err)
{
    thr_ctx c = {cb, ud, 0, 0};
    return cl__q_rows(st, thr_row, &c, err,
                      "SELECT key, value FROM thresholds WHERE "
                      "workspace_id = ?1 ORDER BY key",
                      "");
}

static int
value_row(void *ud, const cl__row *r)
{
    thr_ctx *c = ud;
    c->value = r->vt->real(r, 0);
    c->found = 1;
    return 1;
}

cl_err
cl__engr_threshold(cl_store *st, const char *key, double *value, cl_error *err)
{
    thr_ctx c = {NULL, NULL, 0, 0};
    cl_err rc = cl__q_rows(st, value_row, &c, err,
                           "SELECT value FROM thresholds WHERE "
                           "workspace_id = ?1 AND key = ?2",
                           "s", key);
    if (rc == CL_OK && !c.found)
        return cl_error_set(err, CL_ENOTFOUND, "no threshold '%s'", key);
    if (rc == CL_OK)
        *value = c.value;
    return rc;
}
