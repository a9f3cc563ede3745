/*
 * workflow_cadence.c - the review sessions: the cadence that opens them
 * (rule 4), the debrief's one process change (rule 5), the quarterly
 * thresholds that fire when they open and the "what changed" note when they
 * close (rule 6).
 */
#include <stdio.h>
#include <string.h>

#include "workflow.h"
#include "workflow_int.h"

static int
session_exists(const cl_wf_session *existing, size_t n, const char *kind,
               const char *period)
{
    for (size_t i = 0; i < n; i++)
        if (existing[i].kind && existing[i].period &&
            strcmp(existing[i].kind, kind) == 0 &&
            strcmp(existing[i].period, period) == 0)
            return 1;
    return 0;
}

static void
open_session(cl_wf_effects *out, const cl_wf_config *cfg, const char *kind,
             const char *report, const cl_period *p,
             const cl_wf_session *existing, size_t nexisting)
{
    if (session_exists(existing, nexisting, kind, p->label))
        return;
    cl_wf_effect *e =
        cl__wf_push(out, CL_WF_OPEN_SESSION,
                    cl__wf_fmt(out, "cadence:%s:%s", kind, p->label));
    if (!e)
        return;
    e->what = kind;
    e->period = cl__wf_str(out, p->label);
    e->report = report;
    e->recipient_id = cl__wf_str(out, cfg->revops_id);
    e->title = cl__wf_fmt(out, "%s %s", cl__wf_kind_words(kind), p->label);
}

cl_err
cl_wf_cadence_tick(const cl_wf_config *cfg, const cl_calendar *cal, cl_time now,
                   const cl_wf_session *existing, size_t nexisting,
                   cl_wf_effects *out, cl_error *err)
{
    cl_day today = cl_time_day(now);
    cl_period month = cl_period_of(CL_PERIOD_MONTH, today);
    if (today >= cl_cal_first_business_day(cal, &month)) {
        cl_period prev = cl_period_shift(&month, -1);
        open_session(out, cfg, "monthly_debrief", "monthly", &prev, existing,
                     nexisting);
    }
    cl_period quarter = cl_period_of(CL_PERIOD_QUARTER, today);
    if (today >= cl_cal_first_business_day(cal, &quarter)) {
        cl_period prev = cl_period_shift(&quarter, -1);
        open_session(out, cfg, "bad_fit_review", "bad-fit", &prev, existing,
                     nexisting);
        open_session(out, cfg, "icp_review", "icp", &prev, existing, nexisting);
        open_session(out, cfg, "recovery_review", "recovery", &prev, existing,
                     nexisting);
    }
    return cl__wf_finish(out, err);
}

/* ---- rule 5: the debrief's one change ------------------------------------ */

cl_err
cl_wf_process_change_recorded(const cl_wf_config *cfg,
                              const cl_wf_session *session,
                              const cl_wf_process_change *existing,
                              const char *owner_id, const char *description,
                              cl_day today, cl_wf_effects *out, cl_error *err)
{
    if (!session->kind || strcmp(session->kind, "monthly_debrief") != 0)
        return cl__wf_refuse(out, err, CL_ECONFLICT, "session", session->id,
                             "%s is not a monthly debrief; process changes "
                             "belong to monthly debriefs",
                             cl__wf_session_ref(out, session, 1));
    if (session->closed)
        return cl__wf_refuse(out, err, CL_ECONFLICT, "session", session->id,
                             "%s is closed",
                             cl__wf_session_ref(out, session, 1));
    if (existing)
        return cl__wf_refuse(out, err, CL_ECONFLICT, "session", session->id,
                             "%s already has its one process change "
                             "(owner %s); a debrief records exactly one",
                             cl__wf_session_ref(out, session, 1),
                             cl__wf_or(existing->owner_name,
                                       cl__wf_or(existing->owner_id, "?")));
    if (cl__wf_blank(owner_id) || cl__wf_blank(description))
        return cl__wf_refuse(out, err, CL_EINVAL, "session", session->id,
                             "a process change needs an owner and a "
                             "description");
    cl_day due = today + cfg->checkin_due_days;
    cl_wf_effect *e =
        cl__wf_push(out, CL_WF_PROCESS_CHANGE,
                    cl__wf_fmt(out, "process_change:%s", session->id));
    if (e) {
        e->subject_kind = "session";
        e->subject_id = cl__wf_str(out, session->id);
        e->period = cl__wf_str(out, session->period);
        e->recipient_id = cl__wf_str(out, owner_id);
        e->body = cl__wf_str(out, description);
        e->due_on = due;
    }
    cl__wf_task(out, "process_change_checkin", "session", session->id, owner_id,
                due, 0,
                cl__wf_fmt(out,
                           "Check in on the process change of debrief "
                           "%s",
                           cl__wf_or(session->period, session->id)));
    return cl__wf_finish(out, err);
}

/* ---- rule 6: quarterly thresholds ---------------------------------------- */

static void
trigger(cl_wf_effects *out, const cl_wf_session *s, const char *rule,
        double value, double threshold, int fired)
{
    cl_wf_effect *e =
        cl__wf_push(out, CL_WF_FIRE_TRIGGER,
                    cl__wf_fmt(out, "trigger:%s:%s", rule, s->period));
    if (!e)
        return;
    e->what = rule;
    e->period = cl__wf_str(out, s->period);
    e->subject_kind = "session";
    e->subject_id = cl__wf_str(out, s->id);
    e->value = value;
    e->threshold = threshold;
    e->fired = fired;
}

/* A review task for each of two owners (the second may be NULL). */
static void
review_tasks(cl_wf_effects *out, const cl_wf_session *s, const char *kind,
             const char *a, const char *b, cl_day due, const char *title)
{
    const char *who[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        if (cl__wf_empty(who[i]))
            continue;
        if (i == 1 && !cl__wf_empty(who[0]) && strcmp(who[0], who[1]) == 0)
            continue;
        cl__wf_task(out, kind, "session", s->id, who[i], due, 1, title);
    }
}

int
cl_wf_trust_cluster(int top, int ntrust, double min_share, int min_count)
{
    return ntrust > 0 && top >= min_count && (double)top / ntrust >= min_share;
}

/* What a coaching item counts: churns of the AE tagged with a bad-fit
   category, or recoveries of deals the AE lost, by recovery type. */
typedef struct counted {
    const char *one, *many, *verb; /* "churn", "churns", "tagged as" */
} counted;

static const counted churns_tagged = {"churn", "churns", "tagged as"};
static const counted recoveries_typed = {"recovery", "recoveries",
                                         "won back after"};

/* A private coaching item (what: over_promise, misaligned_use_case,
   trust_breakdown) for each AE of by_ae with at least min counted; the
   AE's manager is told. */
static void
coaching(cl_wf_effects *out, const cl_wf_session *s, const char *what,
         const char *words, const counted *c, const cl_wf_ae_count *by_ae,
         size_t n, int min)
{
    for (size_t i = 0; i < n; i++) {
        const cl_wf_ae_count *a = &by_ae[i];
        if (a->count <= 0 || a->count < min || cl__wf_empty(a->ae_id))
            continue;
        cl_wf_effect *e = cl__wf_push(
            out, CL_WF_COACHING_ITEM,
            cl__wf_fmt(out, "coaching:%s:%s:%s", s->period, a->ae_id, what));
        if (!e)
            return;
        e->what = what;
        e->period = cl__wf_str(out, s->period);
        e->subject_kind = "session";
        e->subject_id = cl__wf_str(out, s->id);
        e->recipient_id = cl__wf_str(out, a->ae_id);
        /* docs/design.md section 6: the AE concerned, that AE's manager,
           vp_sales, revops; nobody else, and never a team report. */
        e->audience =
            cl__wf_empty(a->ae_manager_id)
                ? cl__wf_fmt(out, "user:%s;role:vp_sales;role:revops", a->ae_id)
                : cl__wf_fmt(out, "user:%s;user:%s;role:vp_sales;role:revops",
                             a->ae_id, a->ae_manager_id);
        e->body = cl__wf_fmt(out, "%d %s of %s %s %s in %s", a->count,
                             a->count == 1 ? c->one : c->many, a->ae_id,
                             c->verb, words, s->period);
        if (!cl__wf_empty(a->ae_manager_id))
            cl__wf_notify(out,
                          cl__wf_fmt(out, "coaching:%s:%s:%s:%s", s->period,
                                     a->ae_id, what, a->ae_manager_id),
                          "coaching_item", a->ae_manager_id, "session", s->id,
                          cl__wf_fmt(out, "Private coaching item for %s (%s)",
                                     a->ae_id, s->period),
                          e->body);
    }
}

/* Coaching above its threshold is a conversation between the VP Sales and
   each manager of the AEs concerned (those of by_ae with at least min), in
   private: a task for each manager (with the VP as attendee) and one for
   the VP (with the managers).  topic: "over-promise", "trust". */
static void
conversations(cl_wf_effects *out, const cl_wf_config *cfg,
              const cl_wf_session *s, const char *topic,
              const cl_wf_ae_count *by_ae, size_t n, int min, cl_day due)
{
    const char *vp = cl__wf_empty(cfg->vp_sales_id) ? NULL : cfg->vp_sales_id;
    char managers[1024] = "";
    size_t len = 0;
    if (min < 1)
        min = 1;
    for (size_t i = 0; i < n; i++) {
        const char *m = by_ae[i].ae_manager_id;
        if (cl__wf_empty(m) || by_ae[i].count < min ||
            (vp && strcmp(m, vp) == 0))
            continue;
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = by_ae[k].count >= min &&
                   !cl__wf_empty(by_ae[k].ae_manager_id) &&
                   strcmp(by_ae[k].ae_manager_id, m) == 0;
        if (seen)
            continue;
        cl_wf_effect *e = cl__wf_task(
            out, "coaching_conversation", "session", s->id, m, due, 1,
            cl__wf_fmt(out,
                       "Private conversation with the VP Sales: %s "
                       "coaching on your team (%s)",
                       topic, s->period));
        if (e && vp)
            e->attendees = cl__wf_fmt(out, "%s;%s", vp, m);
        int w = snprintf(managers + len, sizeof managers - len, "%s%s",
                         len ? ", " : "", m);
        if (w > 0 && (size_t)w < sizeof managers - len)
            len += (size_t)w;
    }
    if (vp && len)
        cl__wf_task(out, "coaching_conversation", "session", s->id, vp, due, 1,
                    cl__wf_fmt(out,
                               "Private conversations on %s "
                               "coaching (%s) with: %s",
                               topic, s->period, managers));
}

/* A rule that fires on any recovery of a type (count >= 1): its trigger,
   and when it fires a review task for RevOps and the VP Sales. */
static void
any_recovery(cl_wf_effects *out, const cl_wf_config *cfg,
             const cl_wf_session *s, const char *rule, const char *task,
             int count, cl_day due, const char *title)
{
    trigger(out, s, rule, count, 1, count >= 1);
    if (count >= 1)
        review_tasks(out, s, task, cfg->revops_id, cfg->vp_sales_id, due,
                     title);
}

/* The recovery review's rules on trust and champion-change recoveries
   (issue 14): a trust cluster on one AE is private coaching; any
   champion-change recovery asks for champion questions in the deal brief;
   any trust recovery asks for a look at the sales-to-CS handoff SLA. */
static void
recovery_rules(cl_wf_effects *out, const cl_wf_config *cfg,
               const cl_wf_session *s, const cl_wf_quarter_figures *fig,
               cl_day due)
{
    int ntrust = fig->trust_recoveries, top = 0;
    for (size_t i = 0; i < fig->n_trust_by_ae; i++)
        if (fig->trust_by_ae[i].count > top)
            top = fig->trust_by_ae[i].count;
    if (ntrust > 0) {
        int fire = cl_wf_trust_cluster(top, ntrust, cfg->trust_cluster_share,
                                       cfg->trust_cluster_min);
        trigger(out, s, "trust_cluster_share", (double)top / ntrust,
                cfg->trust_cluster_share, fire);
        if (fire) {
            coaching(out, s, "trust_breakdown", "a trust breakdown",
                     &recoveries_typed, fig->trust_by_ae, fig->n_trust_by_ae,
                     top);
            conversations(out, cfg, s, "trust", fig->trust_by_ae,
                          fig->n_trust_by_ae, top, due);
        }
    }
    int champ = fig->champion_change_recoveries;
    any_recovery(out, cfg, s, "champion_change_recoveries",
                 "deal_brief_template", champ, due,
                 cl__wf_fmt(out,
                            "Deal-brief template: add questions on the "
                            "champion's standing (%d recover%s after a "
                            "champion change in %s)",
                            champ, champ == 1 ? "y" : "ies", s->period));
    any_recovery(out, cfg, s, "trust_recoveries", "handoff_sla_review", ntrust,
                 due,
                 cl__wf_fmt(out,
                            "Sales-to-CS handoff SLA review: %d recover%s "
                            "after a trust breakdown in %s",
                            ntrust, ntrust == 1 ? "y" : "ies", s->period));
}

cl_err
cl_wf_session_opened(const cl_wf_config *cfg, const cl_wf_session *session,
                     const cl_wf_quarter_figures *fig, cl_day today,
                     cl_wf_effects *out, cl_error *err)
{
    const cl_wf_session *s = session;
    if (!s->kind || !s->period || !s->id)
        return cl__wf_refuse(out, err, CL_EINVAL, "session", s->id,
                             "a session needs an id, a kind and a period");
    cl_day review_due = today + cfg->review_task_due_days;
    if (strcmp(s->kind, "bad_fit_review") == 0 && fig->cohort_size > 0) {
        int fire = fig->wrong_icp_share > cfg->icp_review_share;
        trigger(out, s, "icp_review_share", fig->wrong_icp_share,
                cfg->icp_review_share, fire);
        if (fire)
            review_tasks(out, s, "icp_review", cfg->marketing_id,
                         cfg->revops_id, today + cfg->icp_review_due_days,
                         cl__wf_fmt(out,
                                    "ICP definition review: wrong-ICP "
                                    "churn was %.0f%% of %s",
                                    fig->wrong_icp_share * 100, s->period));
        fire = fig->over_promise_share > cfg->coaching_share;
        trigger(out, s, "coaching_share", fig->over_promise_share,
                cfg->coaching_share, fire);
        if (fire) {
            coaching(out, s, "over_promise",
                     "over-promise (feature or timeline)", &churns_tagged,
                     fig->overpromise_by_ae, fig->n_overpromise_by_ae, 1);
            conversations(out, cfg, s, "over-promise", fig->overpromise_by_ae,
                          fig->n_overpromise_by_ae, 1, review_due);
            review_tasks(out, s, "deal_approval_review", cfg->revops_id,
                         cfg->vp_sales_id, review_due,
                         cl__wf_fmt(out,
                                    "Deal-approval process review: "
                                    "over-promise churn was %.0f%% of %s",
                                    fig->over_promise_share * 100, s->period));
        }
        fire = fig->misaligned_share > cfg->discovery_review_share;
        trigger(out, s, "discovery_review_share", fig->misaligned_share,
                cfg->discovery_review_share, fire);
        if (fire) {
            review_tasks(out, s, "discovery_review", cfg->revops_id,
                         cfg->vp_sales_id, review_due,
                         cl__wf_fmt(out,
                                    "Discovery question review: misaligned "
                                    "use case was %.0f%% of %s",
                                    fig->misaligned_share * 100, s->period));
            coaching(out, s, "misaligned_use_case", "misaligned use case",
                     &churns_tagged, fig->misaligned_by_ae,
                     fig->n_misaligned_by_ae, 1);
        }
    } else if (strcmp(s->kind, "recovery_review") == 0) {
        int fire =
            fig->overpromise_recoveries >= cfg->enablement_review_recoveries;
        trigger(out, s, "enablement_review_recoveries",
                fig->overpromise_recoveries, cfg->enablement_review_recoveries,
                fire);
        if (fire)
            review_tasks(out, s, "enablement_review", cfg->revops_id,
                         cfg->vp_sales_id, review_due,
                         cl__wf_fmt(out,
                                    "Enablement review: %d over-promise "
                                    "recoveries in %s",
                                    fig->overpromise_recoveries, s->period));
        if (fig->recoveries > 0) {
            fire = fig->timing_share > cfg->qualification_review_timing_share;
            trigger(out, s, "qualification_review_timing_share",
                    fig->timing_share, cfg->qualification_review_timing_share,
                    fire);
            if (fire)
                review_tasks(out, s, "qualification_review", cfg->revops_id,
                             cfg->vp_sales_id, review_due,
                             cl__wf_fmt(out,
                                        "Qualification review: timing "
                                        "recoveries were %.0f%% of %s",
                                        fig->timing_share * 100, s->period));
            recovery_rules(out, cfg, s, fig, review_due);
        }
    }
    return cl__wf_finish(out, err);
}

/* Longest "what changed" body; decisions beyond it are cut with a note. */
#define NOTE_MAX 8192

cl_err
cl_wf_session_close(const cl_wf_session *session,
                    const cl_wf_process_change *pc,
                    const char *const *decisions, size_t ndecisions,
                    const char *const *csm_ids, size_t ncsm, cl_wf_effects *out,
                    cl_error *err)
{
    const cl_wf_session *s = session;
    if (s->closed)
        return cl__wf_refuse(out, err, CL_ECONFLICT, "session", s->id,
                             "%s is already closed",
                             cl__wf_session_ref(out, s, 1));
    int debrief = s->kind && strcmp(s->kind, "monthly_debrief") == 0;
    if (debrief && !pc)
        return cl__wf_refuse(out, err, CL_ECONFLICT, "session", s->id,
                             "%s cannot close without its one process "
                             "change",
                             cl__wf_session_ref(out, s, 1));
    char body[NOTE_MAX];
    size_t len = 0;
    int cut = 0;
#define ADD(...)                                                               \
    do {                                                                       \
        int w_ = snprintf(body + len, sizeof body - len, __VA_ARGS__);         \
        if (w_ < 0 || (size_t)w_ >= sizeof body - len)                         \
            cut = 1;                                                           \
        else                                                                   \
            len += (size_t)w_;                                                 \
    } while (0)
    /* The session by its kind in words: the note is read by people. */
    ADD("What changed after %s %s:",
        s->kind ? cl__wf_kind_words(s->kind) : "the session",
        cl__wf_or(s->period, ""));
    if (pc) {
        char due[CL_DATE_WORDS_MAX] = "?";
        if (pc->checkin_due != CL_WF_NO_DAY)
            cl_date_words(pc->checkin_due, due);
        ADD("\n- Process change (owner %s, check-in due %s): %s",
            cl__wf_or(pc->owner_name, cl__wf_or(pc->owner_id, "?")), due,
            cl__wf_or(pc->description, ""));
    }
    for (size_t i = 0; i < ndecisions && !cut; i++)
        ADD("\n- %s", cl__wf_or(decisions[i], ""));
    if (!pc && ndecisions == 0)
        ADD("\n- No change decided.");
#undef ADD
    /* A decision that did not fit is left out whole, not cut mid-word. */
    body[len] = '\0';
    if (cut && len + 16 < sizeof body)
        memcpy(body + len, "\n- (more...)", 13);
    for (size_t i = 0; i < ncsm; i++) {
        if (cl__wf_empty(csm_ids[i]))
            continue;
        cl__wf_notify(out,
                      cl__wf_fmt(out, "what_changed:%s:%s:%s",
                                 cl__wf_or(s->kind, "session"),
                                 cl__wf_or(s->period, s->id), csm_ids[i]),
                      "what_changed", csm_ids[i], "session", s->id,
                      cl__wf_fmt(out, "What changed: %s %s",
                                 cl__wf_kind_words(s->kind),
                                 cl__wf_or(s->period, "")),
                      body);
    }
    return cl__wf_finish(out, err);
}
