/*
 * wf_testutil.h - helpers shared by the workflow tests: the configuration
 * and the churn they start from, days and instants from text and finding
 * effects by key.
 * Include after <cmocka.h>.
 */
#ifndef CL_WF_TESTUTIL_H
#define CL_WF_TESTUTIL_H

#include <string.h>

#include "core/date.h"
#include "core/workflow.h"

static inline cl_day
D(const char *s)
{
    cl_day d = 0;
    if (cl_date_parse(s, strlen(s), &d) != 0)
        fail_msg("bad date in test: %s", s);
    return d;
}

/* The defaults, with a RevOps lead, a marketing lead and a VP Sales. */
static inline cl_wf_config
config(void)
{
    cl_wf_config c;
    cl_wf_config_defaults(&c);
    c.revops_id = "RO1";
    c.marketing_id = "MK1";
    c.vp_sales_id = "VPS";
    return c;
}

static inline cl_time
T(const char *s)
{
    cl_time t = 0;
    if (cl_time_parse(s, &t) != 0)
        fail_msg("bad time in test: %s", s);
    return t;
}

/* A churn of deal D123, recorded untagged, for the churn and routing rules. */
static inline cl_wf_churn
churn(void)
{
    cl_wf_churn c = {0};
    c.id = "C9";
    c.account_id = "A1";
    c.deal_id = "D123";
    c.ae_id = "AE1";
    c.ae_manager_id = "SM1";
    c.csm_id = "CSM1";
    c.churned_on = D("2026-06-30");
    c.recorded_on = D("2026-07-03");
    c.closed_on = CL_WF_NO_DAY;
    return c;
}

/* A won new deal D123 of AE1 (manager SM1) on account A1 of CSM1, closed on
   closed_on for arr; the deal and review rules start from it. */
static inline cl_wf_deal
won_deal(const char *closed_on, double arr)
{
    cl_wf_deal d = {0};
    d.id = "D123";
    d.account_id = "A1";
    d.ae_id = "AE1";
    d.ae_manager_id = "SM1";
    d.csm_id = "CSM1";
    d.cs_manager_id = "CSMGR1";
    d.type = "new";
    d.stage = "closed_won";
    d.created_on = D("2026-04-01");
    d.closed_on = D(closed_on);
    d.first_demo_on = CL_WF_NO_DAY;
    d.kickoff_on = CL_WF_NO_DAY;
    d.arr = arr;
    d.icp_fit_score = -1;
    d.champion_tenure_months = -1;
    d.exec_sponsor = -1;
    return d;
}

/* Fails unless day is the date text s, printing both. */
#define assert_day(day, s)                                                     \
    do {                                                                       \
        char buf_[11];                                                         \
        cl_date_format((day), buf_);                                           \
        assert_string_equal(buf_, (s));                                        \
    } while (0)

/* The effect with this key, or NULL. */
static inline const cl_wf_effect *
find_key(const cl_wf_effects *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].key, key) == 0)
            return &l->items[i];
    return NULL;
}

/* How many effects of kind the list holds. */
static inline size_t
count_kind(const cl_wf_effects *l, cl_wf_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->items[i].kind == kind;
    return n;
}

/* The effect with this key, which must exist. */
static inline const cl_wf_effect *
must_key(const cl_wf_effects *l, const char *key)
{
    const cl_wf_effect *e = find_key(l, key);
    if (!e) {
        for (size_t i = 0; i < l->n; i++)
            print_message("  have %s %s\n", cl_wf_kind_name(l->items[i].kind),
                          l->items[i].key);
        fail_msg("no effect with key %s", key);
    }
    return e;
}

#endif
