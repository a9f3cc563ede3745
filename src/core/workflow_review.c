/*
 * workflow_review.c - the won-deal review's asynchronous half (issue 14):
 * the AE's own answers, the 30/60/90-day check-ins and the health reading
 * each records.  Pure, like every rule of workflow.h.
 */
#include <stdio.h>
#include <string.h>

#include "workflow.h"
#include "workflow_int.h"

int
cl_wf_ae_question(int i)
{
    /* Q1 buying trigger, Q2 champion's stake, Q3 objections, Q4 promises,
       Q7 gut read: what the AE saw in the sale.  Q5 and Q6 are the CSM's. */
    return i == 0 || i == 1 || i == 2 || i == 3 || i == 6;
}

cl_err
cl_wf_review_answers(const cl_wf_deal *deal, int reviewed,
                     const char *const answers[7], const char *const merged[7],
                     const char *actor_id, cl_wf_effects *out, cl_error *err)
{
    char given[32] = "";
    int complete = 1;
    if (!deal->stage || strcmp(deal->stage, "closed_won") != 0)
        return cl__wf_refuse(out, err, CL_ECONFLICT, "deal", deal->id,
                             "%s is not closed won; only won deals are "
                             "reviewed",
                             cl__wf_deal_ref(out, deal, 1));
    if (reviewed)
        return cl__wf_refuse(out, err, CL_ECONFLICT, "deal", deal->id,
                             "review: the won-deal review of %s is "
                             "already held; its CSM owns the answers now",
                             cl__wf_deal_ref(out, deal, 0));
    for (int i = 0; i < 7; i++) {
        if (answers[i] == NULL)
            continue;
        if (!cl_wf_ae_question(i))
            return cl__wf_refuse(out, err, CL_EINVAL, "deal", deal->id,
                                 "q%d: not the AE's question; the CSM answers "
                                 "it in the review",
                                 i + 1);
        if (strlen(answers[i]) > CL_WF_ANSWER_MAX)
            return cl__wf_refuse(out, err, CL_EINVAL, "deal", deal->id,
                                 "q%d: at most %d characters", i + 1,
                                 CL_WF_ANSWER_MAX);
        size_t n = strlen(given);
        snprintf(given + n, sizeof given - n, "%sq%d", n ? ";" : "", i + 1);
    }
    if (given[0] == '\0')
        return cl__wf_refuse(out, err, CL_EINVAL, "deal", deal->id,
                             "answers: give at least one of q1, q2, q3, q4, "
                             "q7");
    for (int i = 0; i < 7; i++)
        if (cl_wf_ae_question(i) && cl__wf_blank(merged[i]))
            complete = 0;
    cl__wf_audit(out, "review_answers", "review", deal->id, actor_id, given,
                 NULL);
    if (complete)
        cl__wf_mark_done(out, NULL, "review_answers", deal->id, actor_id);
    return cl__wf_finish(out, err);
}

static const char *const checkin_kinds[] = {
    "review_checkin_1", "review_checkin_2", "review_checkin_3"};

const char *
cl_wf_checkin_kind(int n)
{
    return n >= 1 && n <= 3 ? checkin_kinds[n - 1] : NULL;
}

int
cl_wf_checkin_n(const char *kind)
{
    for (int n = 1; kind && n <= 3; n++)
        if (strcmp(kind, checkin_kinds[n - 1]) == 0)
            return n;
    return 0;
}

cl_err
cl_wf_review_checkins(const cl_wf_config *cfg, const cl_wf_deal *deal,
                      int reviewed, unsigned opened, cl_day today,
                      int lookback_days, cl_wf_effects *out, cl_error *err)
{
    if (!reviewed || !deal->stage || strcmp(deal->stage, "closed_won") != 0)
        return cl__wf_finish(out, err);
    cl_day anchor =
        deal->kickoff_on != CL_WF_NO_DAY ? deal->kickoff_on : deal->closed_on;
    const char *assignee = cl__wf_or(deal->csm_id, cfg->revops_id);
    if (anchor == CL_WF_NO_DAY || cl__wf_empty(assignee))
        return cl__wf_finish(out, err);
    for (int n = 1; n <= 3; n++) {
        int days = cfg->checkin_days[n - 1];
        cl_day due = anchor + days;
        if ((opened & (1u << (n - 1))) ||
            today < due - cfg->checkin_notice_days ||
            due < today - lookback_days)
            continue;
        const char *who = cl__wf_or(deal->account_name, deal->account_id);
        cl__wf_task(out, checkin_kinds[n - 1], "deal", deal->id, assignee, due,
                    0,
                    !cl__wf_empty(deal->account_name)
                        ? cl__wf_fmt(out, "%d-day check-in: %s", days,
                                     deal->account_name)
                        : cl__wf_fmt(out, "%d-day check-in: %s (deal %s)", days,
                                     who ? who : "", deal->id));
    }
    return cl__wf_finish(out, err);
}

cl_err
cl_wf_checkin_recorded(const cl_wf_task *task, int score, const char *note,
                       const char *actor_id, cl_wf_effects *out, cl_error *err)
{
    if (!cl_wf_checkin_n(task->kind) || !task->subject_kind ||
        strcmp(task->subject_kind, "deal") != 0)
        return cl__wf_refuse(out, err, CL_EINVAL, "task", task->id,
                             "This task is not a won-deal check-in");
    if (task->done)
        return cl__wf_refuse(out, err, CL_ECONFLICT, "task", task->id,
                             "This check-in is already recorded");
    if (score < 0 || score > 100)
        return cl__wf_refuse(out, err, CL_EINVAL, "task", task->id,
                             "score: expected a whole number from 0 to 100, "
                             "got %d",
                             score);
    if (cl__wf_blank(note))
        return cl__wf_refuse(out, err, CL_EINVAL, "task", task->id,
                             "note: say what the check-in found");
    if (strlen(note) > CL_WF_NOTE_MAX)
        return cl__wf_refuse(out, err, CL_EINVAL, "task", task->id,
                             "note: at most %d characters", CL_WF_NOTE_MAX);
    cl__wf_mark_done(out, cl__wf_fmt(out, "done:checkin:%s", task->id),
                     task->kind, task->subject_id, task->assignee_id);
    cl_wf_effect *e;
    e = cl__wf_push(out, CL_WF_SET,
                    cl__wf_fmt(out, "health_checkin:%s", task->id));
    if (e) {
        e->what = "health_score";
        e->subject_kind = "deal";
        e->subject_id = cl__wf_str(out, task->subject_id);
        e->new_value = cl__wf_fmt(out, "%d", score);
        e->value = score;
        e->title = "checkin";
        e->body = cl__wf_str(out, note);
        e->actor_id = cl__wf_str(out, actor_id);
    }
    cl__wf_audit(out, "health_checkin", "deal", task->subject_id, actor_id,
                 cl__wf_fmt(out, "%d", score), note);
    return cl__wf_finish(out, err);
}
