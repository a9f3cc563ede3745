/*
 * report_patterns.c - the churn patterns (patterns.h) and the open pipeline
 * that matches each: the profiles that churn more often, and how much of
 * what Sales is working on now has that profile.  Part of the ICP review
 * (report_icp.c) and a report of its own.  Cohort language only: no AE, no
 * account is named, so every role may read it.
 * Definitions are in docs/metrics.md, section "Churn patterns".
 */
#include "report.h"

#include <stdlib.h>

#include "patterns.h"

cl_err
cl_report_patterns_json(const cl_snapshot *s, cl_day today,
                        int private_answers, json_t **out, cl_error *err)
{
    cl_pattern_result pr = {0};
    cl_pattern_opts po = {.target = CL_TARGET_CHURN,
                          .today = today,
                          .private_answers = private_answers};
    cl_err rc;
    *out = NULL;
    if ((rc = cl_patterns_find(s, &po, &pr, err)) != CL_OK)
        return rc;
    json_t *j = cl_patterns_json(&pr);
    size_t *deals = calloc(pr.npatterns + 1, sizeof *deals);
    double *arr = calloc(pr.npatterns + 1, sizeof *arr);
    if (j == NULL || deals == NULL || arr == NULL) {
        json_decref(j);
        free(deals), free(arr);
        cl_patterns_free(&pr);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    size_t open = 0, matching = 0;
    double open_arr = 0, matching_arr = 0;
    for (size_t d = 0; d < s->ndeals; d++) {
        if (s->deal_state[d] != CL_DEAL_OPEN)
            continue;
        double a = s->deal_arr[d] > 0 ? s->deal_arr[d] : 0;
        int any = 0;
        open++;
        open_arr += a;
        for (size_t i = 0; i < pr.npatterns; i++)
            if (cl_pattern_matches_deal(s, &pr.patterns[i], (int32_t)d) == 1) {
                deals[i]++;
                arr[i] += a;
                any = 1;
            }
        matching += any;
        matching_arr += any ? a : 0;
    }
    json_t *list = json_object_get(j, "patterns"), *p;
    size_t i;
    json_array_foreach(list, i, p)
    {
        json_object_set_new(p, "open_pipeline",
                            json_pack("{s:I, s:o}", "deals",
                                      (json_int_t)deals[i], "arr",
                                      cl_json_num(arr[i], 2)));
    }
    json_object_set_new(j, "as_of", cl_json_day(today));
    json_object_set_new(j, "open_pipeline",
                        json_pack("{s:I, s:o, s:I, s:o}", "open_deals",
                                  (json_int_t)open, "open_arr",
                                  cl_json_num(open_arr, 2), "matching_deals",
                                  (json_int_t)matching, "matching_arr",
                                  cl_json_num(matching_arr, 2)));
    free(deals), free(arr);
    cl_patterns_free(&pr);
    *out = j;
    return CL_OK;
}

cl_err
cl_report_patterns(const cl_snapshot *s, const cl_report_opts *o, json_t **out,
                   cl_error *err)
{
    return cl_report_patterns_json(s, o->today, o->private_answers, out, err);
}
