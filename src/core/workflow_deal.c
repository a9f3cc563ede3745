/*
 * workflow_deal.c - the rules about deals: the won-deal review (rule 1)
 * and recovery links (rule 3).  The open-pipeline flags (rule 7) are in
 * workflow_pipeline.c.
 */
#include <stdio.h>
#include <string.h>

#include "record.h"
#include "review_answer.h"
#include "workflow.h"
#include "workflow_int.h"

cl_day
cl_wf_review_due(const cl_wf_config *cfg, const cl_calendar *cal,
                 cl_day closed_on, cl_day kickoff_on)
{
    cl_day due =
        cl_cal_add_business_days(cal, closed_on, cfg->review_due_business_days);
    if (kickoff_on == CL_WF_NO_DAY)
        return due;
    /* A kickoff on or before the close leaves no day to hold the review
       before it: due at once, on the close day. */
    if (kickoff_on <= closed_on)
        return closed_on;
    cl_day before = cl_cal_add_business_days(cal, kickoff_on, -1);
    if (before < due)
        due = before;
    return due < closed_on ? closed_on : due;
}

cl_err
cl_wf_deal_won(const cl_wf_config *cfg, const cl_calendar *cal,
               const cl_wf_deal *deal, cl_wf_effects *out, cl_error *err)
{
    if (!deal->stage || strcmp(deal->stage, "closed_won") != 0)
        return cl__wf_refuse(out, err, CL_EINVAL, "deal", deal->id,
                             "%s is not closed won",
                             cl__wf_deal_ref(out, deal, 1));
    if (deal->closed_on == CL_WF_NO_DAY)
        return cl__wf_refuse(out, err, CL_EINVAL, "deal", deal->id,
                             "%s has no close date",
                             cl__wf_deal_ref(out, deal, 1));
    const char *assignee = cl__wf_or(deal->csm_id, cfg->revops_id);
    if (cl__wf_empty(assignee))
        return cl__wf_refuse(out, err, CL_EINVAL, "deal", deal->id,
                             "%s: the account has no CSM and no RevOps "
                             "user is configured",
                             cl__wf_deal_ref(out, deal, 1));
    cl_day due = cl_wf_review_due(cfg, cal, deal->closed_on, deal->kickoff_on);
    const char *title =
        cl__wf_fmt(out, "Won-deal review for %s", cl__wf_deal_words(out, deal));
    cl_wf_effect *e = cl__wf_task(out, "won_deal_review", "deal", deal->id,
                                  assignee, due, 0, title);
    if (e) {
        /* The AE answers the questions; a senior account also brings the
           CS manager, or RevOps where the CSM has no manager. */
        const char *senior = NULL;
        if (deal->arr >= cfg->review_senior_arr)
            senior = cl__wf_or(deal->cs_manager_id, cfg->revops_id);
        const char *ae = cl__wf_or(deal->ae_id, NULL);
        if (ae && senior)
            e->attendees = cl__wf_fmt(out, "%s;%s", ae, senior);
        else if (ae || senior)
            e->attendees = cl__wf_str(out, ae ? ae : senior);
    }
    /* Issue 14: the AE answers its questions asynchronously, so it hears
       at once, with a task of its own due with the review. */
    if (!cl__wf_empty(deal->ae_id))
        cl__wf_task(
            out, "review_answers", "deal", deal->id, deal->ae_id, due, 0,
            cl__wf_fmt(out, "Answer the won-deal review questions for %s",
                       cl__wf_deal_words(out, deal)));
    return cl__wf_finish(out, err);
}

cl_err
cl_wf_kickoff_gate(const cl_wf_deal *deal, cl_day review_held_on,
                   cl_day kickoff_on, cl_wf_kickoff_source source,
                   const char *override_reason, const char *actor_id,
                   cl_wf_effects *out, cl_error *err)
{
    char kick[11], held[11];
    cl_date_format(kickoff_on, kick);
    if (review_held_on != CL_WF_NO_DAY && review_held_on <= kickoff_on)
        return CL_OK;
    /* History from a CRM where reviews never existed: nothing to compare
       the kickoff with, and refusing it would make the import impossible.
       The review task (and the completion rate) still show the gap. */
    if (review_held_on == CL_WF_NO_DAY && source == CL_WF_KICKOFF_IMPORTED)
        return CL_OK;
    if (cl__wf_blank(override_reason) || source == CL_WF_KICKOFF_IMPORTED) {
        if (review_held_on == CL_WF_NO_DAY)
            return cl__wf_refuse(out, err, CL_ECONFLICT, "deal", deal->id,
                                 "kickoff_on: %s has no won-deal review "
                                 "recorded; record it first or give an "
                                 "override reason",
                                 cl__wf_deal_ref(out, deal, 0));
        cl_date_format(review_held_on, held);
        return cl__wf_refuse(out, err, CL_ECONFLICT, "deal", deal->id,
                             "kickoff_on: %s is before the won-deal review of "
                             "%s (held on %s)%s",
                             kick, cl__wf_deal_ref(out, deal, 0), held,
                             source == CL_WF_KICKOFF_IMPORTED
                                 ? ""
                                 : "; give an override reason to record it");
    }
    cl_wf_effect *e = cl__wf_push(
        out, CL_WF_AUDIT, cl__wf_fmt(out, "kickoff_override:%s", deal->id));
    if (e) {
        e->what = "kickoff_override";
        e->subject_kind = "deal";
        e->subject_id = cl__wf_str(out, deal->id);
        e->actor_id = cl__wf_str(out, actor_id);
        e->new_value = cl__wf_str(out, kick);
        e->body = cl__wf_str(out, override_reason);
    }
    return cl__wf_finish(out, err);
}

/* SET health_score: one effect for a review recorded or imported. */
static void
set_health(cl_wf_effects *out, const char *deal_id, int score)
{
    cl_wf_effect *e = cl__wf_push(out, CL_WF_SET,
                                  cl__wf_fmt(out, "health_score:%s", deal_id));
    if (e) {
        e->what = "health_score";
        e->subject_kind = "deal";
        e->subject_id = cl__wf_str(out, deal_id);
        e->new_value = cl__wf_fmt(out, "%d", score);
        e->value = score;
        e->title = "review"; /* the health history's source */
    }
}

cl_err
cl_wf_review_recorded(const cl_wf_deal *deal, const cl_wf_review *review,
                      cl_wf_effects *out, cl_error *err)
{
    char missing[40] = "";
    for (int i = 0; i < 7; i++) {
        if (cl__wf_blank(review->answers[i])) {
            size_t len = strlen(missing);
            snprintf(missing + len, sizeof missing - len, "%sq%d",
                     len ? ", " : "", i + 1);
        }
    }
    if (*missing)
        return cl__wf_refuse(out, err, CL_EINVAL, "deal", deal->id,
                             "answers: the review of %s needs all seven "
                             "answers; missing %s",
                             cl__wf_deal_ref(out, deal, 0), missing);
    if (review->gut_read && cl_enum_index(cl_gut_reads, review->gut_read) < 0)
        return cl__wf_refuse(out, err, CL_EINVAL, "deal", deal->id,
                             "gut_read: '%s' is not positive, neutral or "
                             "worried",
                             review->gut_read);
    int generic[7];
    for (int i = 0; i < 7; i++) {
        const char *why;
        generic[i] = cl_review_answer_generic(review->answers[i], &why);
        if (!generic[i])
            continue;
        cl_wf_effect *e =
            cl__wf_push(out, CL_WF_FLAG,
                        cl__wf_fmt(out, "review_flag:%s:q%d", deal->id, i + 1));
        if (e) {
            e->what = "generic_answer";
            e->subject_kind = "deal";
            e->subject_id = cl__wf_str(out, deal->id);
            e->new_value = cl__wf_fmt(out, "q%d", i + 1);
            e->body = why;
        }
    }
    set_health(out, deal->id,
               cl_wf_health_score(generic[1], generic[4], generic[6],
                                  review->gut_read, deal->icp_fit_score));
    cl_wf_effect *e =
        cl__wf_push(out, CL_WF_MARK_TASK,
                    cl__wf_fmt(out, "done:won_deal_review:%s", deal->id));
    if (e) {
        e->what = "won_deal_review";
        e->subject_kind = "deal";
        e->subject_id = cl__wf_str(out, deal->id);
        e->new_value = "done";
    }
    /* Held: what the AE had left to answer is the review's now. */
    cl__wf_mark_done(out, NULL, "review_answers", deal->id, NULL);
    return cl__wf_finish(out, err);
}

cl_err
cl_wf_review_health(const char *deal_id, const cl_wf_review *review,
                    int icp_fit, cl_wf_effects *out, cl_error *err)
{
    /* Only the answers that weigh in the score are judged; a generic Q1
       changes nothing here, and flags are for reviews typed in closeloop. */
    set_health(
        out, deal_id,
        cl_wf_health_score(cl_review_answer_generic(review->answers[1], NULL),
                           cl_review_answer_generic(review->answers[4], NULL),
                           cl_review_answer_generic(review->answers[6], NULL),
                           review->gut_read, icp_fit));
    return cl__wf_finish(out, err);
}

/* ---- rule 3: recovery ---------------------------------------------------- */

/* 1 if deal is of type, or of unknown type (the caller may not know it). */
static int
is_type(const cl_wf_deal *deal, const char *type)
{
    return deal->type == NULL || strcmp(deal->type, type) == 0;
}

cl_err
cl_wf_deal_created(const cl_wf_config *cfg, const cl_wf_deal *deal,
                   const cl_wf_deal *account_deals, size_t n,
                   cl_wf_effects *out, cl_error *err)
{
    const cl_wf_deal *orig = NULL;
    /* A recovery is a lost prospect coming back as a new deal (docs/design.md
       section 2, item 5); a renewal after a lost expansion is the customer
       staying, not a recovery. */
    if (!is_type(deal, "new"))
        return CL_OK;
    for (size_t i = 0; i < n; i++) {
        const cl_wf_deal *d = &account_deals[i];
        if (d->id && deal->id && strcmp(d->id, deal->id) == 0)
            continue;
        if (!is_type(d, "new") || !d->stage ||
            strcmp(d->stage, "closed_lost") != 0 ||
            d->closed_on == CL_WF_NO_DAY || d->closed_on > deal->created_on)
            continue;
        if (d->account_id && deal->account_id &&
            strcmp(d->account_id, deal->account_id) != 0)
            continue;
        if (!orig || d->closed_on > orig->closed_on ||
            (d->closed_on == orig->closed_on &&
             strcmp(cl__wf_or(d->id, ""), cl__wf_or(orig->id, "")) > 0))
            orig = d;
    }
    if (!orig)
        return CL_OK;
    int months = cl_wf_whole_months(orig->closed_on, deal->created_on);
    cl_wf_effect *e = cl__wf_push(
        out, CL_WF_LINK, cl__wf_fmt(out, "recovery_link:%s", deal->id));
    if (e) {
        e->what = "recovery";
        e->subject_kind = "deal";
        e->subject_id = cl__wf_str(out, deal->id);
        e->target_id = cl__wf_str(out, orig->id);
        e->value = months;
        e->new_value = cl__wf_fmt(out, "%d", months);
    }
    const char *assignee = cl__wf_or(deal->csm_id, cfg->revops_id);
    if (!cl__wf_empty(assignee))
        cl__wf_task(out, "recovery_classification", "deal", deal->id, assignee,
                    deal->created_on + cfg->review_task_due_days, 0,
                    !cl__wf_empty(deal->account_name)
                        ? cl__wf_fmt(out,
                                     "Recovery record: %s returns after a "
                                     "lost deal (%d months)",
                                     deal->account_name, months)
                        : cl__wf_fmt(out,
                                     "Recovery record: deal %s returns after "
                                     "lost deal %s (%d months)",
                                     deal->id, orig->id, months));
    return cl__wf_finish(out, err);
}
