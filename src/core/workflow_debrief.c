/*
 * workflow_debrief.c - the AE+CSM debrief held (issue 16): its notes and
 * whether the AE accepts the churn's tag or disputes it.  A dispute is
 * worth nothing unless it reaches the people who tagged: the CSM hears the
 * outcome either way, and the audit trail keeps it beside the tag.
 */
#include <stdio.h>
#include <string.h>

#include "workflow_int.h"

#define NOTES_MAX 4000

/* rc, with the input field it is about named in err (the API's
   error.field). */
static cl_err
on_field(cl_err rc, cl_error *err, const char *field)
{
    if (err)
        snprintf(err->field, sizeof err->field, "%s", field);
    return rc;
}

cl_err
cl_wf_debrief_held(const cl_wf_config *cfg, const cl_wf_churn *churn,
                   const char *actor_id, const char *notes, int disputed,
                   const char *reason, cl_wf_effects *out, cl_error *err)
{
    if (cl__wf_blank(churn->tag.primary_cause))
        return cl__wf_refuse(out, err, CL_ECONFLICT, "churn", churn->id,
                             "%s is not tagged: there is no tag to "
                             "debrief",
                             cl__wf_churn_ref(out, churn, 1));
    if (cl__wf_blank(notes))
        return on_field(cl__wf_refuse(out, err, CL_EINVAL, "churn", churn->id,
                                      "notes: required: what the debrief "
                                      "found"),
                        err, "notes");
    int long_notes = strlen(notes) > NOTES_MAX;
    if (long_notes || (reason && strlen(reason) > NOTES_MAX))
        return on_field(cl__wf_refuse(out, err, CL_EINVAL, "churn", churn->id,
                                      "%s: at most %d characters",
                                      long_notes ? "notes" : "reason",
                                      NOTES_MAX),
                        err, long_notes ? "notes" : "reason");
    if (disputed && cl__wf_blank(reason))
        return on_field(cl__wf_refuse(out, err, CL_EINVAL, "churn", churn->id,
                                      "reason: required to dispute the tag: "
                                      "say which cause it should be and why"),
                        err, "reason");
    const char *outcome = disputed ? "disputed" : "accepted";

    /* The meeting was held: every attendee's debrief task is done. */
    cl_wf_effect *e = cl__wf_push(
        out, CL_WF_MARK_TASK, cl__wf_fmt(out, "debrief_done:%s", churn->id));
    if (e) {
        e->what = "debrief";
        e->subject_kind = "churn";
        e->subject_id = cl__wf_str(out, churn->id);
        e->new_value = "done";
    }
    e = cl__wf_push(out, CL_WF_AUDIT,
                    cl__wf_fmt(out, "debrief_held:%s", churn->id));
    if (e) {
        e->what = "debrief_held";
        e->subject_kind = "churn";
        e->subject_id = cl__wf_str(out, churn->id);
        e->actor_id = cl__wf_str(out, actor_id);
        e->old_value = cl__wf_str(out, churn->tag.primary_cause);
        e->new_value = outcome;
        e->body = disputed ? cl__wf_fmt(out, "%s Disputed: %s", notes, reason)
                           : cl__wf_str(out, notes);
    }

    const char *what = cl__wf_churn_words(out, churn);
    const char *title =
        disputed ? cl__wf_fmt(out, "The AE disputes the tag of %s", what)
                 : cl__wf_fmt(out, "The AE accepts the tag of %s", what);
    const char *body =
        disputed
            ? cl__wf_fmt(out,
                         "Debrief of %s: the AE disputes the tag. Why: %s. "
                         "Notes: %s. Reopen the churn to change its tag.",
                         what, reason, notes)
            : cl__wf_fmt(out,
                         "Debrief of %s: the AE accepts the tag. Notes: %s.",
                         what, notes);
    /* The account's CSM; without one, RevOps, who can route it. */
    const char *to =
        !cl__wf_empty(churn->csm_id) ? churn->csm_id : cfg->revops_id;
    if (!cl__wf_empty(to) && !(actor_id && strcmp(to, actor_id) == 0))
        cl__wf_notify(out,
                      cl__wf_fmt(out, "debrief_outcome:%s:%s:%s", churn->id,
                                 churn->tag.primary_cause, to),
                      "debrief_outcome", to, "churn", churn->id, title, body);
    return cl__wf_finish(out, err);
}
