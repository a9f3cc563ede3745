/*
 * demo_loop_people.c - the simulated people of the demo's loop replay
 * (demo_loop.h): CSMs, AEs and leaders who mark their tasks done (most on
 * time, some late, a few never), RevOps holding the review sessions a few
 * business days after they open, and owners checking in on their process
 * changes.  Every decision comes from the loop's PRNG keyed by the work's
 * stable name, so the order in which work is seen changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/workflow.h"
#include "../engine/engine.h"
#include "../store/store_api.h"
#include "demo_loop_int.h"

/* ---- what people write ---------------------------------------------------
 */

/* A monthly debrief's finding and its one process change, with its owner. */
static const struct {
    const char *owner, *decision, *change;
} debriefs[] = {
    {"u-vp-sales-1",
     "Over-promised features lead the month's sales-attributable churn; "
     "written commitments go through the deal desk.",
     "Deal desk reviews every feature commitment in writing before "
     "signature."},
    {"u-vp-cs-1",
     "Failed adoption showed up in the first 90 days; check adoption at day "
     "30, not at renewal.",
     "Onboarding adds a day-30 adoption check with the champion for every "
     "new account."},
    {"u-marketing-1",
     "Small teams without an ops owner keep churning; qualify them out "
     "before the demo.",
     "Inbound qualification asks for team size and an ops owner before a "
     "demo is booked."},
    {"u-cs-manager-1",
     "Tags arrived late this month; CSMs tag within the 5-day window.",
     "The CS manager audits last week's churn tags every Monday."},
    {"u-vp-sales-1",
     "Phantom champions again: the churned deals had no executive sponsor.",
     "Qualification requires a named executive sponsor in the CRM before "
     "proposal."},
    {"u-revops-1",
     "Won-deal review completion slipped below target; the review comes "
     "before kickoff.",
     "Kickoff cannot be scheduled until the won-deal review is recorded."},
};

static const char *const badfit_decisions[] = {
    "Share the quarter's bad-fit cohort with Sales leadership, led by ARR "
    "lost.",
    "Keep the thresholds; re-check with next quarter's cohort.",
    "Deal approval reviews every go-live commitment under four weeks.",
    "Discovery adds a hands-on trial of the customer's main workflow."};

static const char *const icp_decisions[] = {
    "Keep the ICP definition: the segment rate ratios are within their "
    "intervals.",
    "Marketing drafts an ICP change raising the minimum team size to 25.",
    "Flag open pipeline that matches the churn profile to its AEs before "
    "proposal."};

static const char *const recovery_decisions[] = {
    "Timing recoveries dominate: a 90-day nurture for budget and timing "
    "losses.",
    "No over-promise cluster this quarter; no enablement review needed.",
    "Share the champion-change recoveries with Sales as a re-engagement "
    "playbook."};

static const char *const checkin_notes[] = {
    "In place for a month; first results reviewed with the team.",
    "Adopted by most of the team; two exceptions discussed one to one.",
    "Running as agreed; the effect shows in next month's debrief pack."};

/* ---- reading the open work -----------------------------------------------
 */

typedef struct work {
    int64_t id, session_id;
    char kind[40], subject[80], who[80], period[16];
    cl_day opened, due;
    int has_decisions;
} work;

typedef struct worklist {
    work *v;
    size_t n, cap;
    int oom;
} worklist;

static work *
push(worklist *w)
{
    if (cl_grow(&w->v, &w->cap, w->n + 1, sizeof *w->v) != CL_OK) {
        w->oom = 1;
        return NULL;
    }
    work *x = &w->v[w->n++];
    memset(x, 0, sizeof *x);
    return x;
}

static cl_day
day_of(const char *s)
{
    cl_day d;
    if (s == NULL || strlen(s) < 10 || cl_date_parse(s, 10, &d) != 0)
        return CL_WF_NO_DAY;
    return d;
}

static void
copy(char *dst, size_t len, const char *s)
{
    snprintf(dst, len, "%s", s ? s : "");
}

static int
task_cb(void *ud, const cl_store_task_row *t)
{
    work *x = push(ud);
    if (x == NULL)
        return 1;
    x->id = t->id;
    copy(x->kind, sizeof x->kind, t->kind);
    copy(x->subject, sizeof x->subject, t->subject_id);
    copy(x->who, sizeof x->who, t->assignee_id);
    x->opened = day_of(t->created_at);
    x->due = day_of(t->due_on);
    return 0;
}

static int
session_cb(void *ud, const cl_store_session_row *r)
{
    work *x = push(ud);
    if (x == NULL)
        return 1;
    x->id = r->id;
    copy(x->kind, sizeof x->kind, r->kind);
    copy(x->period, sizeof x->period, r->period);
    copy(x->who, sizeof x->who, r->owner_id ? r->owner_id : "u-revops-1");
    x->opened = day_of(r->opened_at);
    x->has_decisions = r->decisions && strcmp(r->decisions, "[]") != 0;
    return 0;
}

static int
pc_cb(void *ud, const cl_store_pc_row *r)
{
    work *x = push(ud);
    if (x == NULL)
        return 1;
    x->id = r->id;
    x->session_id = r->session_id;
    copy(x->who, sizeof x->who, r->owner_id);
    x->due = day_of(r->checkin_due);
    return 0;
}

static int
deal_type_cb(void *ud, const cl_store_deal_row *r)
{
    copy(ud, 16, r->type ? r->type : "new");
    return 1;
}

/* ---- tasks ---------------------------------------------------------------
 */

/* Kinds nobody completes through an action of their own (`tasks done`). */
static int
done_by_hand(const char *kind)
{
    static const char *const kinds[] = {
        "debrief",           "icp_review",           "discovery_review",
        "enablement_review", "qualification_review", NULL};
    for (int i = 0; kinds[i]; i++)
        if (strcmp(kind, kinds[i]) == 0)
            return 1;
    return 0;
}

/*
 * 1 if people mark task x done by hand.  A won-deal review is done by the
 * review itself; the review tasks of renewals and expansions (the engine
 * opens one for every won deal) are closed by their CSM without one; a won
 * new deal that nobody reviews keeps its task open.
 */
static cl_err
by_hand(const cl_strset *reviewed, cl_strset *no_review, cl_store *st,
        const work *x, int *yes, cl_error *err)
{
    *yes = done_by_hand(x->kind);
    if (strcmp(x->kind, "won_deal_review") != 0)
        return CL_OK;
    size_t len = strlen(x->subject);
    if (cl_strset_has(reviewed, x->subject, len) ||
        cl_strset_has(no_review, x->subject, len))
        return CL_OK;
    char type[16] = "new";
    cl_err rc =
        cl_store_deals_sel(st, CL_SD_ONE, x->subject, deal_type_cb, type, err);
    if (rc != CL_OK)
        return rc;
    if (strcmp(type, "new") != 0)
        *yes = 1;
    else if (cl_strset_add(no_review, x->subject, len) < 0)
        return cl_error_set(err, CL_ENOMEM, "demo: out of memory");
    return CL_OK;
}

static cl_err
mark_done(cl_store *st, const work *x, cl_time now, int *changed, cl_error *err)
{
    cl_err rc = cl_store_begin(st, x->who[0] ? x->who : "demo", now, err);
    if (rc == CL_OK)
        rc = cl_store_task_done(st, x->id, changed, err);
    if (rc == CL_OK)
        return cl_store_commit(st, err);
    cl_store_rollback(st);
    return rc;
}

/* What AEs write when they answer ahead of the review (issue 14). */
static const char *const ae_q1[] = {
    "Their board set a churn target for Q3 after losing two large logos",
    "The CFO froze spreadsheet reporting after the March audit",
    "A competitor's renewal came up in June and the price doubled"};
static const char *const ae_q2[] = {
    "The VP Ops has her bonus tied to cutting onboarding time by 30%",
    "The champion was promised the regional director role if this lands",
    "The head of CS owns the retention number for the board in Q4"};
static const char *const ae_q3[] = {
    "Legal held the DPA for three weeks over EU hosting",
    "IT wanted SSO with Okta before signing; we committed to May",
    "Procurement pushed for a 20% discount until the CFO stepped in"};
static const char *const ae_q4[] = {
    "SSO live by 1 May and a weekly usage report to the VP",
    "Salesforce sync in the first 30 days, written in the order form",
    "Two onboarding sessions a week through the first month"};
static const char *const ae_q7[] = {
    "Expands to 60 seats once EMEA joins next year",
    "Renews flat unless the champion gets the promotion in Q2",
    "At risk by month 9 if the Okta integration slips again"};
static const char *const health_notes[] = {
    "Usage up to 40 weekly users; the champion presented at their QBR",
    "SSO slipped two weeks; admins still onboarding, sponsor engaged",
    "Weekly report going out; asked about the EMEA rollout price",
    "Champion on leave until next month; usage flat at 25 users"};

/* The AE answers its review questions, or the CSM records a check-in,
   on the day the act falls (issue 14).  A review already held refuses
   the AE's answers: that is the loop's own rule, not a demo failure. */
static cl_err
answer_or_checkin(uint64_t seed, cl_store *st, const work *x, const char *key,
                  cl_time now, cl_demo_loop_stats *s, cl_error *err)
{
    rng r;
    cl__demo_loop_rng(&r, seed, key);
    cl_err rc;
    if (strcmp(x->kind, "review_answers") == 0) {
        const char *a[7] = {PICK(&r, ae_q1),
                            PICK(&r, ae_q2),
                            PICK(&r, ae_q3),
                            PICK(&r, ae_q4),
                            NULL,
                            NULL,
                            PICK(&r, ae_q7)};
        rc = cl_engine_review_answers(st, x->subject, a, x->who, now, err);
    } else {
        rc = cl_engine_checkin(st, x->id, cl__demo_range(&r, 35, 90),
                               PICK(&r, health_notes), x->who, now, err);
    }
    if (rc == CL_ECONFLICT) {
        cl_error_clear(err);
        return CL_OK;
    }
    s->tasks_done += rc == CL_OK;
    return rc;
}

static cl_err
tasks(uint64_t seed, const cl_calendar *cal, const cl_strset *reviewed,
      cl_strset *no_review, cl_store *st, cl_day d, cl_demo_loop_stats *s,
      cl_error *err)
{
    worklist w = {0};
    cl_store_task_filter f = {.status = "open"};
    cl_err rc = cl_store_tasks_each(st, &f, task_cb, &w, err);
    if (rc == CL_OK && w.oom)
        rc = cl_error_set(err, CL_ENOMEM, "demo: out of memory");
    for (size_t i = 0; i < w.n && rc == CL_OK; i++) {
        const work *x = &w.v[i];
        int yes = 0, changed = 0;
        char key[256];
        if (strcmp(x->kind, "review_answers") == 0 ||
            cl_wf_checkin_n(x->kind)) {
            snprintf(key, sizeof key, "task:%s:%s:%s", x->kind, x->subject,
                     x->who);
            cl_day opened = x->opened == CL_WF_NO_DAY ? d : x->opened;
            if (d < cl_demo_loop_act_day(seed, key, cal, opened, x->due))
                continue;
            rc = answer_or_checkin(seed, st, x, key,
                                   (cl_time)d * 86400 + 11 * 3600, s, err);
            continue;
        }
        rc = by_hand(reviewed, no_review, st, x, &yes, err);
        if (rc != CL_OK || !yes)
            continue;
        snprintf(key, sizeof key, "task:%s:%s:%s", x->kind, x->subject, x->who);
        cl_day opened = x->opened == CL_WF_NO_DAY ? d : x->opened;
        if (d < cl_demo_loop_act_day(seed, key, cal, opened, x->due))
            continue;
        rc = mark_done(st, x, (cl_time)d * 86400 + 12 * 3600, &changed, err);
        s->tasks_done += changed;
    }
    free(w.v);
    return rc;
}

/* ---- sessions and check-ins ----------------------------------------------
 */

/* Holds session x: its decisions, a debrief's one change, the close. */
static cl_err
hold(uint64_t seed, cl_store *st, const work *x, cl_time now,
     cl_demo_loop_stats *s, cl_error *err)
{
    char key[96];
    rng r;
    snprintf(key, sizeof key, "hold:%s:%s", x->kind, x->period);
    cl__demo_loop_rng(&r, seed, key);
    cl_err rc = CL_OK;
    if (strcmp(x->kind, "monthly_debrief") == 0) {
        int c = cl__demo_range(&r, 0, NELEM(debriefs) - 1);
        if (!x->has_decisions) {
            rc = cl_engine_session_decide(st, x->id, debriefs[c].decision,
                                          x->who, now, err);
            s->decisions += rc == CL_OK;
            rc = cl__demo_loop_soft(s, rc, err);
        }
        int64_t pc = 0;
        if (rc == CL_OK) {
            rc = cl_engine_change_record(st, x->id, debriefs[c].owner,
                                         debriefs[c].change, x->who, now, &pc,
                                         &s->engine, err);
            s->changes += rc == CL_OK;
            rc = cl__demo_loop_soft(s, rc, err);
        }
    } else if (!x->has_decisions) {
        const char *const *texts = recovery_decisions;
        int n = NELEM(recovery_decisions);
        if (strcmp(x->kind, "bad_fit_review") == 0) {
            texts = badfit_decisions;
            n = NELEM(badfit_decisions);
        } else if (strcmp(x->kind, "icp_review") == 0) {
            texts = icp_decisions;
            n = NELEM(icp_decisions);
        }
        int first = cl__demo_range(&r, 0, n - 1);
        int count = 1 + cl__demo_chance(&r, 0.5);
        for (int k = 0; k < count && rc == CL_OK; k++) {
            rc = cl_engine_session_decide(st, x->id, texts[(first + k) % n],
                                          x->who, now, err);
            s->decisions += rc == CL_OK;
            rc = cl__demo_loop_soft(s, rc, err);
        }
    }
    if (rc == CL_OK) {
        rc = cl_engine_session_close(st, x->id, x->who, now, &s->engine, err);
        s->closed += rc == CL_OK;
        rc = cl__demo_loop_soft(s, rc, err);
    }
    return rc;
}

static cl_err
sessions(uint64_t seed, const cl_calendar *cal, cl_store *st, cl_day d,
         cl_demo_loop_stats *s, cl_error *err)
{
    worklist w = {0};
    cl_err rc = cl_store_sessions_each(st, 0, "open", session_cb, &w, err);
    if (rc == CL_OK && w.oom)
        rc = cl_error_set(err, CL_ENOMEM, "demo: out of memory");
    for (size_t i = 0; i < w.n && rc == CL_OK; i++) {
        const work *x = &w.v[i];
        char key[96];
        rng r;
        snprintf(key, sizeof key, "session:%s:%s", x->kind, x->period);
        cl__demo_loop_rng(&r, seed, key);
        /* The monthly debrief within a week or so; the quarterly reviews
           take longer to prepare. */
        int wait = strcmp(x->kind, "monthly_debrief") == 0
                       ? cl__demo_range(&r, 2, 7)
                       : cl__demo_range(&r, 3, 12);
        cl_day opened = x->opened == CL_WF_NO_DAY ? d : x->opened;
        if (d >= cl_cal_add_business_days(cal, opened, wait))
            rc = hold(seed, st, x, (cl_time)d * 86400 + 14 * 3600, s, err);
    }
    free(w.v);
    return rc;
}

static cl_err
checkins(uint64_t seed, const cl_calendar *cal, cl_store *st, cl_day d,
         cl_demo_loop_stats *s, cl_error *err)
{
    worklist w = {0};
    cl_err rc = cl_store_pcs_each(st, 0, 0, 1, pc_cb, &w, err);
    if (rc == CL_OK && w.oom)
        rc = cl_error_set(err, CL_ENOMEM, "demo: out of memory");
    for (size_t i = 0; i < w.n && rc == CL_OK; i++) {
        const work *x = &w.v[i];
        char key[64];
        rng r;
        if (x->due == CL_WF_NO_DAY)
            continue;
        snprintf(key, sizeof key, "checkin:%lld", (long long)x->session_id);
        cl_day when = cl_demo_loop_act_day(seed, key, cal, x->due - 30, x->due);
        if (d < when)
            continue;
        cl__demo_loop_rng(&r, seed, key);
        rc =
            cl_engine_change_checkin(st, x->id, PICK(&r, checkin_notes), x->who,
                                     (cl_time)d * 86400 + 11 * 3600, err);
        s->checkins += rc == CL_OK;
        rc = cl__demo_loop_soft(s, rc, err);
    }
    free(w.v);
    return rc;
}

/* ---- reading the inbox ---------------------------------------------------
 */

typedef struct idlist {
    char (*v)[80];
    size_t n, cap;
    int oom;
} idlist;

static int
id_cb(void *ud, const char *id, size_t len)
{
    idlist *l = ud;
    if (cl_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v) != CL_OK) {
        l->oom = 1;
        return 1;
    }
    snprintf(l->v[l->n++], sizeof l->v[0], "%.*s", (int)len, id);
    return 0;
}

/* People catch up on their notifications on about a third of the business
   days, all at once at the end of the day: the newest stay unread, as in a
   real inbox. */
static cl_err
reading(uint64_t seed, cl_store *st, cl_day d, cl_error *err)
{
    idlist users = {0};
    cl_err rc = cl_store_ids(st, CL_KIND_USERS, id_cb, &users, err);
    if (rc == CL_OK && users.oom)
        rc = cl_error_set(err, CL_ENOMEM, "demo: out of memory");
    char at[21];
    cl_time_format((cl_time)d * 86400 + 16 * 3600, at);
    for (size_t i = 0; i < users.n && rc == CL_OK; i++) {
        char key[128];
        rng r;
        int marked;
        snprintf(key, sizeof key, "read:%s:%d", users.v[i], (int)d);
        cl__demo_loop_rng(&r, seed, key);
        if (cl__demo_chance(&r, 0.35))
            rc = cl_store_inbox_read(st, users.v[i], 0, at, &marked, err);
    }
    free(users.v);
    return rc;
}

cl_err
cl__demo_loop_people(uint64_t seed, const cl_calendar *cal,
                     const cl_strset *reviewed, cl_strset *no_review,
                     cl_store *st, cl_day d, cl_demo_loop_stats *s,
                     cl_error *err)
{
    cl_err rc = checkins(seed, cal, st, d, s, err);
    if (rc == CL_OK)
        rc = tasks(seed, cal, reviewed, no_review, st, d, s, err);
    if (rc == CL_OK)
        rc = sessions(seed, cal, st, d, s, err);
    if (rc == CL_OK)
        rc = reading(seed, st, d, err);
    return rc;
}
