#include "report.h"

#include <math.h>
#include <string.h>

static const cl_report_def reports[] = {
    {"monthly", "Monthly churn debrief", CL_REPORT_MONTH, cl_report_monthly},
    {"bad-fit", "Quarterly bad-fit review", CL_REPORT_QUARTER,
     cl_report_bad_fit},
    {"icp", "Quarterly ICP review", CL_REPORT_QUARTER, cl_report_icp},
    {"recovery", "Quarterly recovery review", CL_REPORT_QUARTER,
     cl_report_recovery},
    {"health", "Loop health", CL_REPORT_NOW, cl_report_health},
    {"audit", "Tagging audit", CL_REPORT_QUARTER, cl_report_audit},
    {"pipeline", "Open pipeline at risk", CL_REPORT_NOW, cl_report_pipeline,
     cl_report_pipeline_text},
    {"patterns", "Churn patterns and the pipeline that matches them",
     CL_REPORT_NOW, cl_report_patterns},
};

const cl_report_def *
cl_reports(size_t *n)
{
    *n = sizeof reports / sizeof reports[0];
    return reports;
}

const cl_report_def *
cl_report_find(const char *name)
{
    for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++)
        if (strcmp(reports[i].name, name) == 0)
            return &reports[i];
    return NULL;
}

cl_period
cl_report_default_period(cl_report_period kind, cl_day today)
{
    cl_period_kind k =
        kind == CL_REPORT_MONTH ? CL_PERIOD_MONTH : CL_PERIOD_QUARTER;
    cl_period cur = cl_period_of(k, today);
    return cl_period_shift(&cur, -1);
}

cl_err
cl_report_resolve_period(const cl_report_def *def, const char *text,
                         cl_day today, cl_period *out, cl_error *err)
{
    if (def->period == CL_REPORT_NOW) {
        if (text)
            return cl_error_set_field(err, CL_EINVAL, "period",
                                      "report %s is as of today and takes no "
                                      "period",
                                      def->name);
        *out = cl_period_of(CL_PERIOD_QUARTER, today);
        return CL_OK;
    }
    if (!text) {
        *out = cl_report_default_period(def->period, today);
        return CL_OK;
    }
    int month = def->period == CL_REPORT_MONTH;
    const char *want = month ? "a month YYYY-MM" : "a quarter YYYYQn";
    cl_period p;
    if (cl_period_parse(text, &p) != 0)
        return cl_error_set_field(err, CL_EINVAL, "period",
                                  "expected %s, got '%s'", want, text);
    if ((p.kind == CL_PERIOD_MONTH) != month)
        return cl_error_set_field(
            err, CL_EINVAL, "period", "report %s covers %s; '%s' is a %s",
            def->name, want, text, month ? "quarter" : "month");
    *out = p;
    return CL_OK;
}

json_t *
cl_json_day(cl_day d)
{
    char buf[11];
    if (d == CL_DAY_NONE)
        return json_null();
    cl_date_format(d, buf);
    return json_string(buf);
}

json_t *
cl_json_num(double v, int decimals)
{
    if (isnan(v) || isinf(v))
        return json_null();
    double f = pow(10, decimals);
    double r = round(v * f) / f;
    /* Whole numbers as JSON integers, so 12000 reads as 12000. */
    if (r == floor(r) && fabs(r) < 9e15)
        return json_integer((json_int_t)r);
    return json_real(r);
}
