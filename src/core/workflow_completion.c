/*
 * workflow_completion.c - won-deal review completion below its target
 * opens a RevOps investigation, at most once a quarter (docs/design.md
 * section 2, item 4; issue 14).
 */
#include <stdio.h>

#include "workflow.h"
#include "workflow_int.h"

cl_err
cl_wf_review_completion(const cl_wf_config *cfg, const char *month, int due,
                        int on_time, cl_day today, cl_wf_effects *out,
                        cl_error *err)
{
    int y, m;
    char tail;
    if (month == NULL || sscanf(month, "%4d-%2d%c", &y, &m, &tail) != 2 ||
        m < 1 || m > 12)
        return cl__wf_refuse(out, err, CL_EINVAL, NULL, NULL,
                             "month: '%s' is not YYYY-MM", month ? month : "");
    /* A month without won deals whose review was due has no rate. */
    if (due <= 0)
        return CL_OK;
    double rate = (double)on_time / due;
    if (rate >= cfg->review_completion_target)
        return CL_OK;
    const char *quarter = cl__wf_fmt(out, "%04dQ%d", y, (m - 1) / 3 + 1);
    const char *title = cl__wf_fmt(
        out,
        "Won-deal review completion %s: %.0f%% (%d of %d on time), below the "
        "%.0f%% target; find out why",
        month, rate * 100, on_time, due, cfg->review_completion_target * 100);
    cl_wf_effect *e = cl__wf_task(out, "review_completion_investigation",
                                  "quarter", quarter, cfg->revops_id,
                                  today + cfg->review_task_due_days, 0, title);
    if (e)
        e->body = title;
    return cl__wf_finish(out, err);
}
