/*
 * engine_tick.c - `tick`: everything due at an instant, found by scanning
 * the store for records whose effect is not applied yet, so imports trigger
 * the engine too and a repeated tick finds nothing left to do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/strset.h"
#include "engine_int.h"

/* A growable array of rule records, filled by a store read. */
typedef struct list {
    cl__eng *e;
    void *v;
    size_t n, cap, size;
} list;

static void *
list_push(list *l)
{
    if (cl_grow(&l->v, &l->cap, l->n + 1, l->size) != CL_OK) {
        l->e->oom = 1;
        return NULL;
    }
    return (char *)l->v + l->n++ * l->size;
}

static int
deal_cb(void *ud, const cl_store_deal_row *r)
{
    list *l = ud;
    cl_wf_deal *d = list_push(l);
    if (d == NULL)
        return 1;
    cl__eng_deal(l->e, r, d);
    return 0;
}

static int
churn_cb(void *ud, const cl_store_churn_row *r)
{
    list *l = ud;
    cl_wf_churn *c = list_push(l);
    if (c == NULL)
        return 1;
    cl__eng_churn(l->e, r, c);
    return 0;
}

static int
task_cb(void *ud, const cl_store_task_row *r)
{
    list *l = ud;
    cl_wf_task *t = list_push(l);
    if (t == NULL)
        return 1;
    cl__eng_task(l->e, r, t);
    return 0;
}

static int
session_cb(void *ud, const cl_store_session_row *r)
{
    list *l = ud;
    cl_wf_session *s = list_push(l);
    if (s == NULL)
        return 1;
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    *s = (cl_wf_session){cl__eng_str(l->e, id), cl__eng_str(l->e, r->kind),
                         cl__eng_str(l->e, r->period),
                         strcmp(r->status, "closed") == 0};
    return 0;
}

static int
pc_cb(void *ud, const cl_store_pc_row *r)
{
    list *l = ud;
    cl_wf_process_change *p = list_push(l);
    if (p == NULL)
        return 1;
    char id[32], sid[32];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    snprintf(sid, sizeof sid, "%lld", (long long)r->session_id);
    *p = (cl_wf_process_change){
        .id = cl__eng_str(l->e, id),
        .session_id = cl__eng_str(l->e, sid),
        .owner_id = cl__eng_str(l->e, r->owner_id),
        .description = cl__eng_str(l->e, r->description),
        .checkin_due = cl__eng_day(r->checkin_due),
        .checkin_on = cl__eng_day(r->checkin_on),
        .reminded = r->reminded,
        .escalated = r->escalated,
    };
    return 0;
}

/* Runs rule over every item of l, applying each call's effects. */
typedef cl_err (*item_rule)(cl__eng *e, void *item, cl_wf_effects *out,
                            cl_error *err);

static cl_err
each_item(cl__eng *e, list *l, item_rule rule, const cl_strset *only,
          cl_error *err)
{
    cl_err rc = CL_OK;
    cl_wf_effects fx;
    cl_wf_effects_init(&fx);
    for (size_t i = 0; i < l->n && rc == CL_OK; i++) {
        void *item = (char *)l->v + i * l->size;
        /* cl_wf_deal and cl_wf_churn both begin with their id. */
        const char *id = *(const char *const *)item;
        if (only && !cl_strset_has(only, id, strlen(id)))
            continue;
        rc = rule(e, item, &fx, err);
        /* A record the rule refuses (a won deal without a close date) is
           skipped: it must not hold up the rest of the tick. */
        if (rc == CL_EINVAL || rc == CL_ECONFLICT) {
            cl_error_clear(err);
            rc = CL_OK;
        } else if (rc == CL_OK) {
            rc = cl__eng_apply(e, &fx, err);
        }
        cl_wf_effects_release(&fx);
    }
    return rc;
}

static cl_err
won_rule(cl__eng *e, void *item, cl_wf_effects *out, cl_error *err)
{
    return cl_wf_deal_won(&e->cfg, &e->cal, item, out, err);
}

static cl_err
created_rule(cl__eng *e, void *item, cl_wf_effects *out, cl_error *err)
{
    cl_wf_deal *d = item;
    list acc = {e, NULL, 0, 0, sizeof(cl_wf_deal)};
    cl_err rc = cl_store_deals_sel(e->st, CL_SD_ACCOUNT, d->account_id, deal_cb,
                                   &acc, err);
    if (rc == CL_OK)
        rc = cl_wf_deal_created(&e->cfg, d, acc.v, acc.n, out, err);
    free(acc.v);
    return rc;
}

static cl_err
churn_rule(cl__eng *e, void *item, cl_wf_effects *out, cl_error *err)
{
    return cl_wf_churn_recorded(&e->cfg, &e->cal, item, out, err);
}

/* A churn imported already tagged: the tag as an event on an untagged
   record, so the deal-attributable notice goes out once. */
static cl_err
flag_rule(cl__eng *e, void *item, cl_wf_effects *out, cl_error *err)
{
    cl_wf_churn *c = item;
    cl_wf_churn before = *c;
    cl_wf_tag tag = c->tag;
    memset(&before.tag, 0, sizeof before.tag);
    return cl_wf_churn_tagged(&e->cfg, &e->cal, &before, &tag, e->scan_actor,
                              e->today, out, err);
}

/* A non-sales tag that arrived without its event: routed to its owner.
   Only the routing: its audit entry was the write's own. */
static cl_err
route_rule(cl__eng *e, void *item, cl_wf_effects *out, cl_error *err)
{
    return cl_wf_churn_routed(&e->cfg, &e->cal, item, e->today, out, err);
}

/* A reviewed won deal (CL_SD_CHECKIN_PENDING): its check-ins that are in
   view today (issue 14). */
static cl_err
checkin_rule(cl__eng *e, void *item, cl_wf_effects *out, cl_error *err)
{
    const cl_wf_deal *d = item;
    unsigned opened = 0;
    /* The check-ins the deal has, whoever they went to. */
    cl_err rc = cl_store_deal_checkins(e->st, d->id, &opened, err);
    if (rc != CL_OK)
        return rc;
    return cl_wf_review_checkins(&e->cfg, d, 1, opened, e->today,
                                 e->lookback_days, out, err);
}

static cl_err
deal_scan(cl__eng *e, cl_store_deal_sel sel, const char *since, item_rule rule,
          const cl_strset *only, cl_error *err)
{
    list l = {e, NULL, 0, 0, sizeof(cl_wf_deal)};
    cl_err rc = cl_store_deals_sel(e->st, sel, since, deal_cb, &l, err);
    if (rc == CL_OK)
        rc = each_item(e, &l, rule, only, err);
    free(l.v);
    return rc;
}

static cl_err
churn_scan(cl__eng *e, cl_store_churn_sel sel, const char *since,
           item_rule rule, const cl_strset *only, cl_error *err)
{
    list l = {e, NULL, 0, 0, sizeof(cl_wf_churn)};
    cl_err rc = cl_store_churns_sel(e->st, sel, since, NULL, churn_cb, &l, err);
    if (rc == CL_OK)
        rc = each_item(e, &l, rule, only, err);
    free(l.v);
    return rc;
}

static cl_err settle(cl__eng *e, int what, const cl_strset *only,
                     cl_error *err);

cl_err
cl__eng_scan(cl__eng *e, int what, const cl_strset *only, const char *actor,
             cl_error *err)
{
    char since[11];
    cl_err rc = CL_OK;
    cl_date_format(e->today - e->lookback_days, since);
    e->scan_actor = actor;
    if (what & CL__SCAN_DEALS) {
        rc = deal_scan(e, CL_SD_WON_PENDING, since, won_rule, only, err);
        if (rc == CL_OK)
            rc =
                deal_scan(e, CL_SD_NEW_ON_LOST, since, created_rule, only, err);
        /* Check-ins: deals whose kickoff (or close) is recent enough that
           a check-in falls inside the lookback. */
        int last = 0;
        for (int i = 0; i < 3; i++)
            if (e->cfg.checkin_days[i] > last)
                last = e->cfg.checkin_days[i];
        char from[11];
        cl_date_format(e->today - e->lookback_days - last, from);
        if (rc == CL_OK)
            rc = deal_scan(e, CL_SD_CHECKIN_PENDING, from, checkin_rule, only,
                           err);
    }
    if (rc == CL_OK && (what & CL__SCAN_CHURNS)) {
        rc = churn_scan(e, CL_SC_UNTAGGED_PENDING, NULL, churn_rule, only, err);
        if (rc == CL_OK)
            rc = churn_scan(e, CL_SC_FLAG_PENDING, since, flag_rule, only, err);
        if (rc == CL_OK)
            rc = churn_scan(e, CL_SC_ROUTE_PENDING, since, route_rule, only,
                            err);
        /* A tag that took no tag event (a non-sales cause, one older than
           the lookback) still finishes its tagging task. */
        if (rc == CL_OK && only)
            rc = settle(e, CL__SCAN_CHURNS, only, err);
    }
    return rc;
}

/* The SET effects of the unscored reviews, built while the store reads. */
typedef struct scoring {
    cl_wf_effects *fx;
    cl_err rc;
    cl_error *err;
} scoring;

static int
unscored_cb(void *ud, const cl_store_review_row *r)
{
    scoring *s = ud;
    cl_wf_review review = {.gut_read = r->gut_read,
                           .held_on = cl__eng_day(r->held_on)};
    memcpy(review.answers, r->answers, sizeof review.answers);
    /* The rule copies what it keeps: the row's strings are the store's. */
    s->rc = cl_wf_review_health(r->deal_id, &review, r->icp_fit_score, s->fx,
                                s->err);
    return s->rc != CL_OK;
}

/*
 * The initial health score of every won deal whose review arrived by
 * import.  No lookback limit, unlike scan(): the score notifies nobody, so
 * years of imported reviews cost a score each and no outbox rows.  The
 * effects are collected first and applied after the read, so no row of
 * the read is updated while it is being read.
 */
static cl_err
scores(cl__eng *e, cl_error *err)
{
    cl_wf_effects fx;
    cl_wf_effects_init(&fx);
    scoring s = {&fx, CL_OK, err};
    cl_err rc = cl_store_reviews_unscored(e->st, unscored_cb, &s, err);
    if (rc == CL_OK)
        rc = s.rc;
    if (rc == CL_OK)
        rc = cl__eng_apply(e, &fx, err);
    cl_wf_effects_release(&fx);
    return rc;
}

/*
 * Open review (the CSM's and the AE's), tagging and recovery tasks whose
 * record arrived by import
 * (a reviews file, a churns file with the tag, a recoveries file with the
 * type) are done: nobody is reminded of work that is finished.  The AE's
 * review_answers task is settled by the review too (issue 14): once held,
 * nothing is left for the AE to answer.
 */
static cl_err
settle(cl__eng *e, int what, const cl_strset *only, cl_error *err)
{
    list done = {e, NULL, 0, 0, sizeof(cl_wf_task)};
    cl_err rc = cl_store_tasks_settled(e->st, task_cb, &done, err);
    for (size_t i = 0; i < done.n && rc == CL_OK; i++) {
        const cl_wf_task *t = (cl_wf_task *)done.v + i;
        int churn = strcmp(t->kind, "churn_tagging") == 0, changed = 0;
        if (!(what & (churn ? CL__SCAN_CHURNS : CL__SCAN_DEALS)) ||
            (only &&
             !cl_strset_has(only, t->subject_id, strlen(t->subject_id))))
            continue;
        rc = cl_store_task_mark(e->st, t->kind, t->subject_kind, t->subject_id,
                                NULL, "done", &changed, err);
        e->stats.marks += changed;
    }
    free(done.v);
    return rc;
}

static cl_err
schedules(cl__eng *e, cl_error *err)
{
    cl_wf_effects fx;
    cl_err rc;
    cl_wf_effects_init(&fx);

    list sessions = {e, NULL, 0, 0, sizeof(cl_wf_session)};
    cl_wf_session *held = NULL;
    size_t nheld = 0;
    rc = cl_store_sessions_each(e->st, 0, NULL, session_cb, &sessions, err);
    if (rc == CL_OK)
        rc = cl__eng_schedule_tick(e, sessions.v, sessions.n, &held, &nheld,
                                   err);
    if (rc == CL_OK)
        rc = cl_wf_cadence_tick(&e->cfg, &e->cal, e->now,
                                held ? held : sessions.v,
                                held ? nheld : sessions.n, &fx, err);
    free(held);
    if (rc == CL_OK)
        rc = cl__eng_apply(e, &fx, err);
    cl_wf_effects_release(&fx);
    /* Bad-fit reviews opened before today: their thresholds again, with
       the tags that came in since (issue 14). */
    for (size_t i = 0; i < sessions.n && rc == CL_OK; i++) {
        const cl_wf_session *s = &((cl_wf_session *)sessions.v)[i];
        if (!s->closed && s->kind && strcmp(s->kind, "bad_fit_review") == 0)
            rc = cl__eng_thresholds(e, s->kind, s->period, atoll(s->id), err);
    }
    free(sessions.v);

    list open = {e, NULL, 0, 0, sizeof(cl_wf_deal)};
    if (rc == CL_OK)
        rc = cl_store_deals_sel(e->st, CL_SD_OPEN, NULL, deal_cb, &open, err);
    if (rc == CL_OK)
        rc = cl__eng_pipeline(e, open.v, open.n, err);
    free(open.v);

    list pcs = {e, NULL, 0, 0, sizeof(cl_wf_process_change)};
    if (rc == CL_OK)
        rc = cl_store_pcs_each(e->st, 0, 0, 1, pc_cb, &pcs, err);
    /* Names for the texts people read, looked up only for the changes a
       tick may chase. */
    for (size_t i = 0; rc == CL_OK && i < pcs.n; i++) {
        cl_wf_process_change *p = (cl_wf_process_change *)pcs.v + i;
        if (p->checkin_due != CL_WF_NO_DAY && e->today > p->checkin_due &&
            !(p->reminded && p->escalated))
            p->owner_name = cl__eng_user_name(e, p->owner_id);
    }
    if (rc == CL_OK)
        rc = cl_wf_checkins_tick(&e->cfg, &e->cal, pcs.v, pcs.n, e->today, &fx,
                                 err);
    if (rc == CL_OK)
        rc = cl__eng_apply(e, &fx, err);
    cl_wf_effects_release(&fx);
    free(pcs.v);

    list tasks = {e, NULL, 0, 0, sizeof(cl_wf_task)};
    cl_store_task_filter f = {.status = "open"};
    if (rc == CL_OK)
        rc = cl_store_tasks_each(e->st, &f, task_cb, &tasks, err);
    for (size_t i = 0; rc == CL_OK && i < tasks.n; i++) {
        cl_wf_task *t = (cl_wf_task *)tasks.v + i;
        if (t->due_on != CL_WF_NO_DAY && e->today >= t->due_on &&
            !(t->reminded && t->escalated)) {
            t->assignee_name = cl__eng_user_name(e, t->assignee_id);
            t->subject_name =
                cl__eng_subject_name(e, t->subject_kind, t->subject_id);
        }
    }
    if (rc == CL_OK)
        rc = cl_wf_tasks_tick(&e->cfg, &e->cal, tasks.v, tasks.n, e->today, &fx,
                              err);
    if (rc == CL_OK)
        rc = cl__eng_apply(e, &fx, err);
    cl_wf_effects_release(&fx);
    free(tasks.v);
    return rc;
}

cl_err
cl_engine_tick(cl_store *st, cl_time now, cl_engine_stats *stats, cl_error *err)
{
    cl__eng e;
    cl_err rc = cl__eng_begin(&e, st, "engine", now, err);
    if (rc != CL_OK)
        return rc;
    rc =
        cl__eng_scan(&e, CL__SCAN_DEALS | CL__SCAN_CHURNS, NULL, "import", err);
    if (rc == CL_OK)
        rc = scores(&e, err);
    if (rc == CL_OK)
        rc = settle(&e, CL__SCAN_DEALS | CL__SCAN_CHURNS, NULL, err);
    if (rc == CL_OK)
        rc = schedules(&e, err);
    return cl__eng_end(&e, rc, stats, err);
}
