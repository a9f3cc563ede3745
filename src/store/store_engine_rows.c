/*
 * store_engine_rows.c - the engine reads' row-to-struct mapping, shared by
 * the SQLite and PostgreSQL backends: each backend runs its own SQL and
 * reads columns through its cl__row accessors, so a field added to a row
 * struct is mapped once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_engine_int.h"

#define T(col) r->vt->text(r, (col))
#define I(col, dflt) r->vt->integer(r, (col), (dflt))
#define D(col) r->vt->real(r, (col))
/* A timestamp column read as "has it happened": NULL is no. */
#define SET(col) (T(col) != NULL)

int
cl__row_deal(void *ud, const cl__row *r)
{
    const cl__row_sink *s = ud;
    cl_store_deal_row d = {
        .id = T(0),
        .account_id = T(1),
        .ae_id = T(2),
        .ae_manager_id = T(3),
        .csm_id = T(4),
        .cs_manager_id = T(5),
        .type = T(6),
        .stage = T(7),
        .created_on = T(8),
        .first_demo_on = T(9),
        .closed_on = T(10),
        .kickoff_on = T(11),
        .arr = D(12),
        .icp_fit_score = (int)I(13, -1),
        .champion_tenure_months = (int)I(14, -1),
        .exec_sponsor = (int)I(15, -1),
        .flags = T(16),
        .review_done = (int)I(17, 0),
        .account_name = T(18),
        .ae_name = T(19),
    };
    return s->cb.deal(s->ud, &d);
}

int
cl__row_review(void *ud, const cl__row *r)
{
    const cl__row_sink *s = ud;
    cl_store_review_row v = {
        .deal_id = T(0),
        .held_on = T(1),
        .answers = {T(2), T(3), T(4), T(5), T(6), T(7), T(8)},
        .gut_read = T(9),
        .icp_fit_score = (int)I(10, -1),
    };
    return s->cb.review(s->ud, &v);
}

int
cl__row_churn(void *ud, const cl__row *r)
{
    const cl__row_sink *s = ud;
    cl_store_churn_row x = {
        .id = T(0),
        .account_id = T(1),
        .deal_id = T(2),
        .ae_id = T(3),
        .ae_manager_id = T(4),
        .csm_id = T(5),
        .churned_on = T(6),
        .primary_cause = T(7),
        .contributing_causes = T(8),
        .stated_reason = T(9),
        .diagnosis = T(10),
        .predictive_behavior = T(11),
        .tagged_by = T(12),
        .tagged_on = T(13),
        .sales_flagged_on = T(14),
        .closed_on = T(15),
        .sales_attributable = (int)I(16, 0),
        .bad_fit_category = T(17),
        .arr_lost = D(18),
        .account_name = T(19),
    };
    return s->cb.churn(s->ud, &x);
}

int
cl__row_user(void *ud, const cl__row *r)
{
    const cl__row_sink *s = ud;
    cl_store_user_row u = {T(0), T(1), T(2), T(3), T(4)};
    return s->cb.user(s->ud, &u);
}

int
cl__row_kv(void *ud, const cl__row *r)
{
    const cl__row_sink *s = ud;
    return s->cb.kv(s->ud, T(0), T(1));
}

int
cl__row_task(void *ud, const cl__row *r)
{
    const cl__row_sink *s = ud;
    cl_store_task_row t = {
        .id = I(0, 0),
        .kind = T(1),
        .subject_kind = T(2),
        .subject_id = T(3),
        .assignee_id = T(4),
        .assignee_manager_id = T(5),
        .due_on = T(6),
        .status = T(7),
        .title = T(8),
        .attendees = T(9),
        .created_at = T(10),
        .done_at = T(11),
        .reminded = SET(12),
        .escalated = SET(13),
    };
    return s->cb.task(s->ud, &t);
}

int
cl__row_outbox(void *ud, const cl__row *r)
{
    const cl__row_sink *s = ud;
    cl_store_outbox_row o = {
        .id = I(0, 0),
        .recipient_id = T(1),
        .recipient_email = T(2),
        .channel = T(3),
        .kind = T(4),
        .subject = T(5),
        .body = T(6),
        .status = T(7),
        .attempts = (int)I(8, 0),
        .next_attempt_at = T(9),
        .last_error = T(10),
        .idempotency_key = T(11),
        .created_at = T(12),
        .sent_at = T(13),
        .subject_kind = T(14),
        .subject_id = T(15),
    };
    return s->cb.outbox(s->ud, &o);
}

int
cl__row_session(void *ud, const cl__row *r)
{
    const cl__row_sink *s = ud;
    cl_store_session_row x = {
        .id = I(0, 0),
        .kind = T(1),
        .period = T(2),
        .status = T(3),
        .owner_id = T(4),
        .opened_at = T(5),
        .closed_at = T(6),
        .decisions = T(7),
        .has_pack = (int)I(8, 0),
    };
    return s->cb.session(s->ud, &x);
}

int
cl__row_pc(void *ud, const cl__row *r)
{
    const cl__row_sink *s = ud;
    cl_store_pc_row p = {
        .id = I(0, 0),
        .session_id = I(1, 0),
        .owner_id = T(2),
        .description = T(3),
        .checkin_due = T(4),
        .checkin_on = T(5),
        .checkin_note = T(6),
        .reminded = SET(7),
        .escalated = SET(8),
    };
    return s->cb.pc(s->ud, &p);
}

int
cl__row_coaching(void *ud, const cl__row *r)
{
    const cl__row_sink *s = ud;
    cl_store_coaching_row x = {
        .id = I(0, 0),
        .session_id = I(1, 0),
        .ae_id = T(2),
        .period = T(3),
        .cause = T(4),
        .note = T(5),
        .audience = T(6),
        .status = T(7),
    };
    return s->cb.coaching(s->ud, &x);
}

int
cl__row_flag(void *ud, const cl__row *r)
{
    const cl__row_sink *s = ud;
    return s->cb.flag(s->ud, T(0), T(1), T(2));
}

int
cl__row_text_first(void *ud, const cl__row *r)
{
    cl__row_text *c = ud;
    const char *v = T(0);
    snprintf(c->buf, c->len, "%s", v ? v : "");
    c->found = 1;
    return 1;
}

int
cl__row_int_first(void *ud, const cl__row *r)
{
    *(int *)ud = (int)I(0, -1);
    return 1;
}

int
cl__row_id_first(void *ud, const cl__row *r)
{
    *(int64_t *)ud = I(0, 0);
    return 1;
}

int
cl__row_dup_first(void *ud, const cl__row *r)
{
    cl__row_dup *c = ud;
    const char *p = T(0);
    if (p && (c->pack = strdup(p)) == NULL)
        c->oom = 1;
    return 1;
}

int
cl__row_link_first(void *ud, const cl__row *r)
{
    cl__row_link *c = ud;
    const char *v = T(0);
    /* original_deal_id is NOT NULL; "" keeps a bad row from reaching %s. */
    snprintf(c->out, c->len, "%s", v ? v : "");
    c->months = (int)I(1, 0);
    c->found = 1;
    return 1;
}

int
cl__row_ids_each(void *ud, const cl__row *r)
{
    cl__row_ids *x = ud;
    if (x->n < CL__ROW_IDS)
        x->v[x->n++] = I(0, 0);
    return x->n == CL__ROW_IDS;
}
