/*
 * workflow_overdue.c - what a tick chases: overdue tasks (rule 8) and
 * process-change check-ins (rule 5).  Each reminder and each escalation goes
 * out once: the state says whether it went, and its key names only the
 * task or the process change, so a repeated tick gives the same key.
 */
#include <stdio.h>
#include <string.h>

#include "workflow.h"
#include "workflow_int.h"

static void
set_flag(cl_wf_effects *out, const char *subject_kind, const char *id,
         const char *field)
{
    cl_wf_effect *e = cl__wf_push(
        out, CL_WF_SET, cl__wf_fmt(out, "%s:%s:%s", field, subject_kind, id));
    if (!e)
        return;
    e->what = field;
    e->subject_kind = subject_kind;
    e->subject_id = cl__wf_str(out, id);
    e->new_value = "1";
    e->value = 1;
}

cl_err
cl_wf_checkins_tick(const cl_wf_config *cfg, const cl_calendar *cal,
                    const cl_wf_process_change *pcs, size_t n, cl_day today,
                    cl_wf_effects *out, cl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const cl_wf_process_change *pc = &pcs[i];
        if (pc->checkin_on != CL_WF_NO_DAY || pc->checkin_due == CL_WF_NO_DAY)
            continue;
        /* Titles are e-mail subjects: the day as people read it. */
        char due[CL_DATE_WORDS_MAX];
        cl_date_words(pc->checkin_due, due);
        if (today > pc->checkin_due && !pc->reminded &&
            !cl__wf_empty(pc->owner_id)) {
            cl__wf_notify(
                out, cl__wf_fmt(out, "checkin_reminder:%s", pc->id),
                "checkin_reminder", pc->owner_id, "process_change", pc->id,
                cl__wf_fmt(out, "Process-change check-in was due %s", due),
                cl__wf_or(pc->description, ""));
            set_flag(out, "process_change", pc->id, "reminded");
        }
        cl_day esc = cl_cal_add_business_days(
            cal, pc->checkin_due, cfg->checkin_escalation_business_days);
        if (today >= esc && !pc->escalated && !cl__wf_empty(cfg->revops_id)) {
            cl__wf_notify(out, cl__wf_fmt(out, "checkin_escalation:%s", pc->id),
                          "checkin_escalation", cfg->revops_id,
                          "process_change", pc->id,
                          cl__wf_fmt(out,
                                     "Process-change check-in overdue since %s "
                                     "(owner %s)",
                                     due,
                                     cl__wf_or(pc->owner_name,
                                               cl__wf_or(pc->owner_id, "?"))),
                          cl__wf_or(pc->description, ""));
            set_flag(out, "process_change", pc->id, "escalated");
        }
    }
    return cl__wf_finish(out, err);
}

/* The task's subject as people read it: by its account's name (or the
   session's period) when the engine found one, by its id only when not. */
static const char *
about(cl_wf_effects *out, const cl_wf_task *t)
{
    const char *kind = cl__wf_or(t->subject_kind, "task");
    if (cl__wf_empty(t->subject_name))
        return cl__wf_fmt(out, "%s %s", kind, cl__wf_or(t->subject_id, t->id));
    if (strcmp(kind, "churn") == 0)
        return cl__wf_fmt(out, "the churn of %s", t->subject_name);
    if (strcmp(kind, "deal") == 0)
        return cl__wf_fmt(out, "the deal with %s", t->subject_name);
    if (strcmp(kind, "session") == 0)
        return cl__wf_fmt(out, "the %s session", t->subject_name);
    return cl__wf_fmt(out, "%s %s", kind, t->subject_name);
}

static void
mark(cl_wf_effects *out, const cl_wf_task *t, const char *what)
{
    cl_wf_effect *e = cl__wf_push(out, CL_WF_MARK_TASK,
                                  cl__wf_fmt(out, "%s:task:%s", what, t->id));
    if (!e)
        return;
    e->what = cl__wf_str(out, t->kind);
    e->subject_kind = cl__wf_str(out, t->subject_kind);
    e->subject_id = cl__wf_str(out, t->subject_id);
    e->recipient_id = cl__wf_str(out, t->assignee_id);
    e->new_value = what;
}

cl_err
cl_wf_tasks_tick(const cl_wf_config *cfg, const cl_calendar *cal,
                 const cl_wf_task *tasks, size_t n, cl_day today,
                 cl_wf_effects *out, cl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const cl_wf_task *t = &tasks[i];
        if (t->done || t->due_on == CL_WF_NO_DAY || today < t->due_on)
            continue;
        if (t->kind && strcmp(t->kind, "process_change_checkin") == 0)
            continue;
        char due[CL_DATE_WORDS_MAX];
        cl_date_words(t->due_on, due);
        const char *what = about(out, t);
        if (!t->reminded && !cl__wf_empty(t->assignee_id)) {
            cl__wf_notify(out, cl__wf_fmt(out, "task_reminder:%s", t->id),
                          "task_reminder", t->assignee_id, "task", t->id,
                          cl__wf_fmt(out, "%s of %s due %s",
                                     cl__wf_kind_words(t->kind), what, due),
                          what);
            mark(out, t, "reminded");
        }
        cl_day esc = cl_cal_add_business_days(
            cal, t->due_on, cfg->overdue_escalation_business_days);
        const char *to = cl__wf_or(t->assignee_manager_id, cfg->revops_id);
        if (today >= esc && !t->escalated && !cl__wf_empty(to)) {
            cl__wf_notify(
                out, cl__wf_fmt(out, "task_escalation:%s", t->id),
                "task_escalation", to, "task", t->id,
                cl__wf_fmt(out, "Overdue: %s of %s, due %s",
                           cl__wf_kind_words(t->kind), what, due),
                cl__wf_fmt(out, "%s; assigned to %s", what,
                           cl__wf_or(t->assignee_name,
                                     cl__wf_or(t->assignee_id, "?"))));
            mark(out, t, "escalated");
        }
    }
    return cl__wf_finish(out, err);
}
