/* placeholder until the builder lands on this branch */
#include "report.h"

cl_err
cl_report_bad_fit(const cl_snapshot *s, const cl_report_opts *o, json_t **out,
              cl_error *err)
{
    (void)s;
    (void)o;
    *out = NULL;
    return cl_error_set(err, CL_EINVAL, "report not built yet");
}
