/*
 * store_engine.c - the engine calls of the store interface: each checks
 * what is the same on every backend (a write needs a transaction) and runs
 * the call's one copy (store_engine_read.c, store_engine_write.c) over the
 * backend's query primitives.
 */
#include "store_engine.h"

#include <string.h>

#include "../core/workflow.h"

#include "store_engine_int.h"

cl_err
cl_store_deals_sel(cl_store *st, cl_store_deal_sel sel, const char *arg,
                   cl_store_deal_cb cb, void *ud, cl_error *err)
{
    return cl__engr_deals_sel(st, sel, arg, cb, ud, err);
}

cl_err
cl_store_reviews_unscored(cl_store *st, cl_store_review_cb cb, void *ud,
                          cl_error *err)
{
    return cl__engr_reviews_unscored(st, cb, ud, err);
}

cl_err
cl_store_churns_sel(cl_store *st, cl_store_churn_sel sel, const char *arg,
                    const char *arg2, cl_store_churn_cb cb, void *ud,
                    cl_error *err)
{
    return cl__engr_churns_sel(st, sel, arg, arg2, cb, ud, err);
}

cl_err
cl_store_users_by_role(cl_store *st, const char *role, cl_store_user_cb cb,
                       void *ud, cl_error *err)
{
    return cl__engr_users_by_role(st, role, cb, ud, err);
}

cl_err
cl_store_config_get(cl_store *st, const char *key, char *buf, size_t len,
                    int *found, cl_error *err)
{
    return cl__engr_config_get(st, key, buf, len, found, err);
}

cl_err
cl_store_config_set(cl_store *st, const char *key, const char *value,
                    cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_config_set outside a transaction");
    return cl__engw_config_set(st, key, value, err);
}

cl_err
cl_store_config_each(cl_store *st, cl_store_kv_cb cb, void *ud, cl_error *err)
{
    return cl__engr_config_each(st, cb, ud, err);
}

cl_err
cl_store_audit(cl_store *st, const char *entity, const char *entity_id,
               const char *action, const char *old_json, const char *new_json,
               cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_audit outside a transaction");
    return cl__engw_audit(st, entity, entity_id, action, old_json, new_json,
                          err);
}

cl_err
cl_store_deal_checkins(cl_store *st, const char *deal_id, unsigned *opened,
                       cl_error *err)
{
    return cl__engr_deal_checkins(st, deal_id, opened, err);
}

cl_err
cl_store_tasks_each(cl_store *st, const cl_store_task_filter *f,
                    cl_store_task_cb cb, void *ud, cl_error *err)
{
    return cl__engr_tasks_each(st, f, cb, ud, err);
}

cl_err
cl_store_tasks_settled(cl_store *st, cl_store_task_cb cb, void *ud,
                       cl_error *err)
{
    return cl__engr_tasks_settled(st, cb, ud, err);
}

cl_err
cl_store_task_add(cl_store *st, const cl_store_task_new *t, int *inserted,
                  int64_t *id, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_task_add outside a transaction");
    return cl__engw_task_add(st, t, inserted, id, err);
}

cl_err
cl_store_task_mark(cl_store *st, const char *kind, const char *subject_kind,
                   const char *subject_id, const char *assignee_id,
                   const char *mark, int *changed, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_task_mark outside a transaction");
    return cl__engw_task_mark(st, kind, subject_kind, subject_id, assignee_id,
                              mark, changed, err);
}

cl_err
cl_store_task_done(cl_store *st, int64_t id, int *changed, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_task_done outside a transaction");
    return cl__engw_task_done(st, id, changed, err);
}

cl_err
cl_store_outbox_add(cl_store *st, const cl_store_outbox_new *m, int *inserted,
                    cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_outbox_add outside a transaction");
    return cl__engw_outbox_add(st, m, inserted, err);
}

cl_err
cl_store_outbox_has(cl_store *st, const char *key, int *found, cl_error *err)
{
    /* One indexed read through the shared engine queries: both backends
       have it without a query of their own. */
    return cl__engw_outbox_has(st, key, found, err);
}

cl_err
cl_store_outbox_each(cl_store *st, const char *recipient_id,
                     const char *channel, cl_store_outbox_cb cb, void *ud,
                     cl_error *err)
{
    return cl__engr_outbox_each(st, recipient_id, channel, cb, ud, err);
}

cl_err
cl_store_outbox_claim(cl_store *st, const char *channel, const char *now,
                      int limit, cl_store_outbox_cb cb, void *ud, cl_error *err)
{
    return cl__engr_outbox_claim(st, channel, now, limit, cb, ud, err);
}

cl_err
cl_store_outbox_due(cl_store *st, const char *channel, const char *now,
                    int limit, cl_store_outbox_cb cb, void *ud, cl_error *err)
{
    return cl__engr_outbox_due(st, channel, now, limit, cb, ud, err);
}

cl_err
cl_store_outbox_mark(cl_store *st, int64_t id, const char *status, int attempts,
                     const char *next_attempt_at, const char *last_error,
                     cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_outbox_mark outside a transaction");
    return cl__engw_outbox_mark(st, id, status, attempts, next_attempt_at,
                                last_error, err);
}

cl_err
cl_store_sessions_each(cl_store *st, int64_t id, const char *status,
                       cl_store_session_cb cb, void *ud, cl_error *err)
{
    return cl__engr_sessions_each(st, id, status, cb, ud, err);
}

cl_err
cl_store_session_open(cl_store *st, const char *kind, const char *period,
                      const char *owner_id, int *inserted, int64_t *id,
                      cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_session_open outside a transaction");
    return cl__engw_session_open(st, kind, period, owner_id, inserted, id, err);
}

cl_err
cl_store_session_set_pack(cl_store *st, int64_t id, const char *pack,
                          cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_session_set_pack outside a transaction");
    return cl__engw_session_set_pack(st, id, pack, err);
}

cl_err
cl_store_session_pack(cl_store *st, int64_t id, char **pack, cl_error *err)
{
    return cl__engr_session_pack(st, id, pack, err);
}

cl_err
cl_store_session_decide(cl_store *st, int64_t id, const char *text,
                        cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_session_decide outside a transaction");
    return cl__engw_session_decide(st, id, text, err);
}

cl_err
cl_store_session_close(cl_store *st, int64_t id, int *changed, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_session_close outside a transaction");
    return cl__engw_session_close(st, id, changed, err);
}

cl_err
cl_store_pcs_each(cl_store *st, int64_t id, int64_t session_id,
                  int pending_only, cl_store_pc_cb cb, void *ud, cl_error *err)
{
    return cl__engr_pcs_each(st, id, session_id, pending_only, cb, ud, err);
}

cl_err
cl_store_pc_add(cl_store *st, int64_t session_id, const char *owner_id,
                const char *description, const char *checkin_due, int *inserted,
                int64_t *id, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_pc_add outside a transaction");
    return cl__engw_pc_add(st, session_id, owner_id, description, checkin_due,
                           inserted, id, err);
}

cl_err
cl_store_pc_checkin(cl_store *st, int64_t id, const char *on, const char *note,
                    int *changed, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_pc_checkin outside a transaction");
    return cl__engw_pc_checkin(st, id, on, note, changed, err);
}

cl_err
cl_store_trigger_add(cl_store *st, int64_t session_id, const char *rule,
                     const char *period, double value, double threshold,
                     int fired, int *inserted, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_trigger_add outside a transaction");
    return cl__engw_trigger_add(st, session_id, rule, period, value, threshold,
                                fired, inserted, err);
}

cl_err
cl_store_coaching_add(cl_store *st, const char *ae_id, int64_t session_id,
                      const char *period, const char *cause, const char *note,
                      const char *audience, int *inserted, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_coaching_add outside a transaction");
    return cl__engw_coaching_add(st, ae_id, session_id, period, cause, note,
                                 audience, inserted, err);
}

cl_err
cl_store_coaching_each(cl_store *st, cl_store_coaching_cb cb, void *ud,
                       cl_error *err)
{
    return cl__engr_coaching_each(st, cb, ud, err);
}

cl_err
cl_store_coaching_update(cl_store *st, int64_t id, const char *note, int close,
                         int *changed, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_coaching_update outside a transaction");
    return cl__engw_coaching_update(st, id, note, close, changed, err);
}

cl_err
cl_store_flag_add(cl_store *st, const char *key, const char *subject_kind,
                  const char *subject_id, const char *flag, const char *field,
                  const char *reason, int *inserted, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_flag_add outside a transaction");
    return cl__engw_flag_add(st, key, subject_kind, subject_id, flag, field,
                             reason, inserted, err);
}

cl_err
cl_store_flags_each(cl_store *st, const char *subject_kind,
                    const char *subject_id, cl_store_flag_cb cb, void *ud,
                    cl_error *err)
{
    return cl__engr_flags_each(st, subject_kind, subject_id, cb, ud, err);
}

cl_err
cl_store_field_set(cl_store *st, const char *subject_kind,
                   const char *subject_id, const char *field, const char *text,
                   double value, int *changed, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_field_set outside a transaction");
    return cl__engw_field_set(st, subject_kind, subject_id, field, text, value,
                              changed, err);
}

cl_err
cl_store_deal_health(cl_store *st, const char *deal_id, int *score,
                     cl_error *err)
{
    return cl__engr_deal_health(st, deal_id, score, err);
}

cl_err
cl_store_link_add(cl_store *st, const char *new_deal_id,
                  const char *original_deal_id, int months, int *inserted,
                  cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_link_add outside a transaction");
    return cl__engw_link_add(st, new_deal_id, original_deal_id, months,
                             inserted, err);
}

cl_err
cl_store_link_get(cl_store *st, const char *new_deal_id, char *out,
                  size_t outlen, int *months, int *found, cl_error *err)
{
    return cl__engr_link_get(st, new_deal_id, out, outlen, months, found, err);
}

/* "YYYY-MM-DD" field i of row as a day, CL_WF_NO_DAY when empty. */
static cl_day
day_of(const cl_value *row, int i)
{
    cl_day d = CL_WF_NO_DAY;
    if (i >= 0 && row[i].type == CL_V_TEXT &&
        cl_date_parse(row[i].s, strlen(row[i].s), &d) != 0)
        d = CL_WF_NO_DAY;
    return d;
}

cl_err
cl_store_kickoff_dates(cl_store *st, const char *deal_id, cl_day *kickoff_on,
                       cl_day *review_held_on, int *found, cl_error *err)
{
    cl_value key = {.type = CL_V_TEXT, .s = deal_id}, row[32];
    int has = 0;
    *kickoff_on = *review_held_on = CL_WF_NO_DAY;
    cl_err rc = cl_store_get(st, CL_KIND_DEALS, &key, row, found, err);
    if (rc != CL_OK || !*found)
        return rc;
    *kickoff_on = day_of(
        row, cl_kind_field_index(cl_kind_get(CL_KIND_DEALS), "kickoff_on"));
    rc = cl_store_get(st, CL_KIND_REVIEWS, &key, row, &has, err);
    if (rc == CL_OK && has)
        *review_held_on = day_of(
            row, cl_kind_field_index(cl_kind_get(CL_KIND_REVIEWS), "held_on"));
    return rc;
}

cl_err
cl_store_review_answers_get(cl_store *st, const char *deal_id,
                            cl_store_answers_cb cb, void *ud, cl_error *err)
{
    return cl__engr_answers_get(st, deal_id, cb, ud, err);
}

cl_err
cl_store_review_answers_put(cl_store *st, const char *deal_id,
                            const char *const q[7], const char *by,
                            cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_review_answers_put outside a "
                            "transaction");
    return cl__engw_answers_put(st, deal_id, q, by, err);
}

cl_err
cl_store_health_add(cl_store *st, const char *key, const cl_store_health_row *r,
                    int *inserted, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_health_add outside a transaction");
    return cl__engw_health_add(st, key, r, inserted, err);
}

cl_err
cl_store_health_each(cl_store *st, const char *deal_id, cl_store_health_cb cb,
                     void *ud, cl_error *err)
{
    return cl__engr_health_each(st, deal_id, cb, ud, err);
}
