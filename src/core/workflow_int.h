/*
 * workflow_int.h - what the workflow_*.c files share: building effects.
 *
 * The builders never fail visibly: an allocation failure sets list->oom and
 * returns NULL, and each rule ends with cl__wf_finish, which turns it into
 * CL_ENOMEM.  So a rule reads as a list of effects, not of error checks.
 */
#ifndef CL_WORKFLOW_INT_H
#define CL_WORKFLOW_INT_H

#include "workflow.h"

/* A copy of s (NULL stays NULL) in the list's arena. */
const char *cl__wf_str(cl_wf_effects *list, const char *s);

/* A printf-style string in the list's arena. */
const char *cl__wf_fmt(cl_wf_effects *list, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Appends an effect of kind with its key already in the arena, every other
 * field cleared (due_on = CL_WF_NO_DAY).  NULL on allocation failure.
 */
cl_wf_effect *cl__wf_push(cl_wf_effects *list, cl_wf_kind kind,
                          const char *key);

/* Appends an ERROR effect and fills err; returns code. */
cl_err cl__wf_refuse(cl_wf_effects *list, cl_error *err, cl_err code,
                     const char *subject_kind, const char *subject_id,
                     const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* CL_ENOMEM (and err filled) if an allocation failed, else CL_OK. */
cl_err cl__wf_finish(cl_wf_effects *list, cl_error *err);

/* 1 if s is NULL or empty. */
int cl__wf_empty(const char *s);

/* 1 if s is NULL, empty or only white space. */
int cl__wf_blank(const char *s);

/* s if non-empty, else fallback. */
const char *cl__wf_or(const char *s, const char *fallback);

/*
 * The words for a task or session kind in a title ("won_deal_review" ->
 * "Won-deal review"): titles go out as e-mail subjects, so they carry no
 * codes.  A kind it does not know is returned as it is; NULL gives "Task".
 */
const char *cl__wf_kind_words(const char *kind);

/* The churn as people read it: "the churn of Acme Corp", or "churn ID"
   when its account has no name (copied into list). */
const char *cl__wf_churn_words(cl_wf_effects *list, const cl_wf_churn *c);

/* The deal as people read it: "the deal with Acme Corp", or "deal ID"
   when its account has no name (copied into list). */
const char *cl__wf_deal_words(cl_wf_effects *list, const cl_wf_deal *d);

/* cl_wf_churn_ref and its kin, copied into list. */
const char *cl__wf_churn_ref(cl_wf_effects *list, const cl_wf_churn *c,
                             int cap);
const char *cl__wf_deal_ref(cl_wf_effects *list, const cl_wf_deal *d, int cap);
const char *cl__wf_session_ref(cl_wf_effects *list, const cl_wf_session *s,
                               int cap);

/*
 * CREATE_TASK: kind, subject, assignee, due; key "KIND:SUBJECT" when
 * per_assignee is 0, "KIND:SUBJECT:ASSIGNEE" when 1.
 */
cl_wf_effect *cl__wf_task(cl_wf_effects *list, const char *kind,
                          const char *subject_kind, const char *subject_id,
                          const char *assignee, cl_day due, int per_assignee,
                          const char *title);

/* MARK_TASK done: the task of kind on the deal subject_id, for recipient
   (NULL: every assignee); key "done:KIND:SUBJECT" unless key is given. */
cl_wf_effect *cl__wf_mark_done(cl_wf_effects *list, const char *key,
                               const char *kind, const char *subject_id,
                               const char *recipient);

/* AUDIT: action what on subject by actor, new value and reason (either
   may be NULL); key "audit:WHAT:SUBJECT". */
cl_wf_effect *cl__wf_audit(cl_wf_effects *list, const char *what,
                           const char *subject_kind, const char *subject_id,
                           const char *actor, const char *new_value,
                           const char *body);

/* NOTIFY with a key, recipient, kind, subject, title and body. */
cl_wf_effect *cl__wf_notify(cl_wf_effects *list, const char *key,
                            const char *kind, const char *recipient,
                            const char *subject_kind, const char *subject_id,
                            const char *title, const char *body);

/*
 * A churn re-tagged from a routed non-sales cause (churn->tag) to tag: when
 * the follow-up's owner changes (another user, a sales cause, a cause
 * routed to none), MARK_TASK done the old owner's cause_followup task and
 * AUDIT cause_followup_superseded (old and new cause:owner, actor_id).
 */
void cl__wf_route_superseded(const cl_wf_config *cfg, const cl_wf_churn *churn,
                             const cl_wf_tag *tag, const char *actor_id,
                             cl_wf_effects *out);

#endif
