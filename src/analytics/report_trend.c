/*
 * report_trend.c - a quarterly report's key figures over its last N
 * quarters: the bad-fit shares and the loop-health verdicts, each quarter
 * built by the report's own function, so a trend never disagrees with the
 * report of that quarter.  Pure: the quarters follow from the options'
 * period and today, never from the clock.
 */
#include <string.h>

#include "report.h"

/* The bad-fit review of p: its cohort and each category's share. */
static cl_err
badfit_point(const cl_snapshot *s, const cl_report_opts *o, cl_period p,
             json_t *items, cl_error *err)
{
    cl_report_opts q = *o;
    json_t *doc = NULL, *cats = json_array(), *c;
    size_t i;
    q.period = p;
    q.private_view = 0; /* the trend names no AE */
    cl_err e = cl_report_bad_fit(s, &q, &doc, err);
    if (e != CL_OK) {
        json_decref(cats);
        return e;
    }
    json_array_foreach(json_object_get(doc, "categories"), i, c)
        json_array_append_new(
            cats, json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "category",
                            json_object_get(c, "category"), "label",
                            json_object_get(c, "label"), "share",
                            json_object_get(c, "share"), "ci_low",
                            json_object_get(c, "ci_low"), "ci_high",
                            json_object_get(c, "ci_high"), "threshold",
                            json_object_get(c, "threshold")));
    json_array_append_new(items, json_pack("{s:s, s:O, s:o}", "period", p.label,
                                           "cohort_size",
                                           json_object_get(doc, "cohort_size"),
                                           "categories", cats));
    json_decref(doc);
    return CL_OK;
}

/* Loop health as it read the day after p ended: p is then its latest
   quarter, and its verdicts those of the report on that day. */
static cl_err
health_point(const cl_snapshot *s, const cl_report_opts *o, cl_period p,
             json_t *items, cl_error *err)
{
    cl_report_opts q = *o;
    json_t *doc = NULL;
    q.today = p.last + 1;
    cl_err e = cl_report_health(s, &q, &doc, err);
    if (e != CL_OK)
        return e;
    json_t *qs = json_object_get(doc, "quarters");
    json_t *last = json_array_get(qs, json_array_size(qs) - 1);
    json_t *sum = json_object_get(doc, "summary");
    json_array_append_new(
        items, json_pack("{s:s, s:O, s:O, s:O, s:O}", "period", p.label,
                         "passed", json_object_get(sum, "passed"), "failed",
                         json_object_get(sum, "failed"), "unknown",
                         json_object_get(sum, "unknown"), "checks",
                         json_object_get(last, "checks")));
    json_decref(doc);
    return CL_OK;
}

int
cl_report_has_trend(const char *name)
{
    return strcmp(name, "bad-fit") == 0 || strcmp(name, "health") == 0;
}

cl_err
cl_report_trend(const cl_report_def *def, const cl_snapshot *s,
                const cl_report_opts *o, int quarters, json_t **out,
                cl_error *err)
{
    int health = strcmp(def->name, "health") == 0;
    *out = NULL;
    if (!cl_report_has_trend(def->name))
        return cl_error_set_field(err, CL_EINVAL, "name",
                                  "report %s has no trend over quarters",
                                  def->name);
    if (quarters < CL_TREND_MIN || quarters > CL_TREND_MAX)
        return cl_error_set_field(err, CL_EINVAL, "quarters",
                                  "quarters: expected %d to %d, got %d",
                                  CL_TREND_MIN, CL_TREND_MAX, quarters);
    /* Health is as of today: its latest complete quarter ends the trend. */
    cl_period end = o->period;
    if (health) {
        cl_period cur = cl_period_of(CL_PERIOD_QUARTER, o->today);
        end = cl_period_shift(&cur, -1);
    }
    json_t *items = json_array();
    for (int i = quarters - 1; i >= 0; i--) {
        cl_period p = cl_period_shift(&end, -i);
        cl_err e = health ? health_point(s, o, p, items, err)
                          : badfit_point(s, o, p, items, err);
        if (e != CL_OK) {
            json_decref(items);
            return e;
        }
    }
    *out = json_pack("{s:s, s:o}", "report", def->name, "quarters", items);
    return CL_OK;
}
