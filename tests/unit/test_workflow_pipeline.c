/*
 * Rule 7, the open pipeline's flags (core/workflow_pipeline.c): new flags
 * are raised once, and each AE and manager hears of them in one digest a
 * day, ranked by evidence, never one message per deal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "wf_testutil.h"

static cl_wf_deal
open_deal(const char *id, const char *ae, const char *manager, double arr)
{
    cl_wf_deal d = {0};
    d.id = id;
    d.account_id = "A1";
    d.ae_id = ae;
    d.ae_manager_id = manager;
    d.type = "new";
    d.stage = "proposal";
    d.created_on = D("2026-05-01");
    d.closed_on = CL_WF_NO_DAY;
    d.first_demo_on = CL_WF_NO_DAY;
    d.kickoff_on = CL_WF_NO_DAY;
    d.arr = arr;
    d.icp_fit_score = -1;
    d.champion_tenure_months = -1;
    d.exec_sponsor = -1;
    return d;
}

static cl_wf_pipeline_flag
flag(size_t deal, cl_wf_pf kind, double evidence, const char *reason)
{
    return (cl_wf_pipeline_flag){deal, kind, reason, evidence};
}

/* How many NOTIFY effects of kind what. */
static size_t
count_notify(const cl_wf_effects *l, const char *what)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->items[i].kind == CL_WF_NOTIFY &&
             strcmp(l->items[i].what, what) == 0;
    return n;
}

/* Fails unless the texts appear in body in this order. */
static void
assert_in_order(const char *body, const char *const *texts, size_t n)
{
    const char *at = body;
    for (size_t i = 0; i < n; i++) {
        const char *p = strstr(at, texts[i]);
        if (p == NULL)
            fail_msg("'%s' missing or out of order in:\n%s", texts[i], body);
        at = p + strlen(texts[i]);
    }
}

/*
 * Team of two AEs under SM1: AE1 has P0 (two flags) and P1, AE2 has P2.
 * One digest each for AE1, AE2 and SM1 on the day, none per deal.
 */
static void
test_one_digest_per_person_per_day(void **state)
{
    (void)state;
    cl_wf_deal d[3] = {open_deal("P0", "AE1", "SM1", 10000),
                       open_deal("P1", "AE1", "SM1", 20000),
                       open_deal("P2", "AE2", "SM1", 5000)};
    d[2].account_name = "Tidal Foods";
    d[2].ae_name = "Bob Exec";
    cl_wf_pipeline_flag f[4] = {
        flag(0, CL_WF_PF_CHAMPION_STABILITY, 1.5, "no executive sponsor"),
        flag(0, CL_WF_PF_OUTSIDE_ICP, 1.2,
             "outside ICP version 2: employees >= 50"),
        flag(1, CL_WF_PF_SLOW_TO_DEMO, 1.4,
             "no demo after 63 days in pipeline (over 45)"),
        flag(2, CL_WF_PF_CHURN_PATTERN, 4.1,
             "teams under 25 without an ops function"),
    };
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_pipeline_tick(d, 3, f, 4, NULL, 0, D("2026-06-16"), &l, NULL),
        CL_OK);
    assert_int_equal(count_kind(&l, CL_WF_FLAG), 4);
    const cl_wf_effect *e = must_key(&l, "pipeline_flag:outside_icp:P0");
    assert_string_equal(e->what, "outside_icp");
    assert_string_equal(e->subject_id, "P0");
    assert_string_equal(e->body, "outside ICP version 2: employees >= 50");
    must_key(&l, "pipeline_flag:champion_stability:P0");
    must_key(&l, "pipeline_flag:slow_to_demo:P1");
    must_key(&l, "pipeline_flag:churn_pattern:P2");

    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 3);
    assert_int_equal(count_notify(&l, "pipeline_digest"), 3);
    assert_int_equal(count_notify(&l, "pipeline_flag"), 0);
    e = must_key(&l, "pipeline_digest:2026-06-16:AE1");
    assert_string_equal(e->recipient_id, "AE1");
    assert_string_equal(e->subject_kind, "report");
    assert_string_equal(e->subject_id, "pipeline");
    assert_string_equal(e->title, "Pipeline digest 16 Jun 2026: 3 new flags "
                                  "on 2 deals");
    /* AE1's own deals: no AE named; P2 is not AE1's. */
    assert_null(strstr(e->body, "AE1"));
    assert_null(strstr(e->body, "P2"));
    e = must_key(&l, "pipeline_digest:2026-06-16:AE2");
    assert_string_equal(e->title, "Pipeline digest 16 Jun 2026: 1 new flag "
                                  "on 1 deal");
    assert_non_null(strstr(e->body, "Deal with Tidal Foods: matches a churn "
                                    "pattern: teams under 25 without an ops "
                                    "function"));
    assert_null(strstr(e->body, "P0"));
    /* The manager's digest has the whole team, each line naming the AE. */
    e = must_key(&l, "pipeline_digest:2026-06-16:SM1");
    assert_string_equal(e->title, "Pipeline digest 16 Jun 2026: 4 new flags "
                                  "on 3 deals");
    assert_non_null(strstr(e->body, "Deal with Tidal Foods (AE Bob Exec)"));
    assert_non_null(strstr(e->body, "Deal P1, account A1 (AE AE1)"));
    cl_wf_effects_release(&l);
}

/*
 * Ranked by evidence: the kind first (churn pattern, outside the ICP,
 * champion stability, slow to demo), then the evidence within the kind
 * (higher first), then the bigger deal, then the deal id.
 */
static void
test_digest_ranked_by_evidence(void **state)
{
    (void)state;
    cl_wf_deal d[4] = {open_deal("P0", "AE1", "SM1", 1000),
                       open_deal("P1", "AE1", "SM1", 90000),
                       open_deal("P2", "AE1", "SM1", 5000),
                       open_deal("P3", "AE1", "SM1", 5000)};
    /* Given in the worst order on purpose. */
    cl_wf_pipeline_flag f[7] = {
        flag(0, CL_WF_PF_SLOW_TO_DEMO, 3.0, "slow P0"),
        flag(1, CL_WF_PF_SLOW_TO_DEMO, 1.1, "slow P1"),
        flag(2, CL_WF_PF_CHAMPION_STABILITY, 1.0, "champion P2"),
        flag(3, CL_WF_PF_OUTSIDE_ICP, 1.0, "icp P3"),
        flag(2, CL_WF_PF_OUTSIDE_ICP, 1.0, "icp P2"),
        flag(1, CL_WF_PF_OUTSIDE_ICP, 2.3, "icp P1"),
        flag(0, CL_WF_PF_CHURN_PATTERN, 2.0, "pattern P0"),
    };
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_pipeline_tick(d, 4, f, 7, NULL, 0, D("2026-06-16"), &l, NULL),
        CL_OK);
    static const char *const order[] = {
        "1. Deal P0, account A1: matches a churn pattern: pattern P0\n",
        "2. Deal P1, account A1: outside the ICP: icp P1\n",
        /* Equal evidence, equal ARR: by deal id. */
        "3. Deal P2, account A1: outside the ICP: icp P2\n",
        "4. Deal P3, account A1: outside the ICP: icp P3\n",
        "5. Deal P2, account A1: champion stability: champion P2\n",
        "6. Deal P0, account A1: slow to demo: slow P0\n",
        "7. Deal P1, account A1: slow to demo: slow P1\n",
    };
    const cl_wf_effect *e = must_key(&l, "pipeline_digest:2026-06-16:AE1");
    assert_in_order(e->body, order, 7);
    /* The manager reads the same ranking. */
    e = must_key(&l, "pipeline_digest:2026-06-16:SM1");
    assert_in_order(e->body,
                    (const char *const[]){"Deal P0, account A1 (AE AE1): "
                                          "matches a churn pattern",
                                          "Deal P1, account A1 (AE AE1): "
                                          "outside the ICP"},
                    2);
    cl_wf_effects_release(&l);

    /* The same evidence on two deals: the bigger deal first. */
    cl_wf_pipeline_flag g[2] = {flag(0, CL_WF_PF_OUTSIDE_ICP, 1.0, "small"),
                                flag(1, CL_WF_PF_OUTSIDE_ICP, 1.0, "big")};
    assert_int_equal(
        cl_wf_pipeline_tick(d, 4, g, 2, NULL, 0, D("2026-06-16"), &l, NULL),
        CL_OK);
    e = must_key(&l, "pipeline_digest:2026-06-16:AE1");
    assert_in_order(e->body, (const char *const[]){"1. Deal P1", "2. Deal P0"},
                    2);
    cl_wf_effects_release(&l);

    assert_true(cl_wf_pf_cmp(CL_WF_PF_CHURN_PATTERN, 1.1, CL_WF_PF_OUTSIDE_ICP,
                             9.0) < 0);
    assert_true(
        cl_wf_pf_cmp(CL_WF_PF_OUTSIDE_ICP, 2.0, CL_WF_PF_OUTSIDE_ICP, 1.0) < 0);
    assert_int_equal(
        cl_wf_pf_cmp(CL_WF_PF_SLOW_TO_DEMO, 1.0, CL_WF_PF_SLOW_TO_DEMO, 1.0),
        0);
    assert_string_equal(cl_wf_pf_name(CL_WF_PF_OUTSIDE_ICP), "outside_icp");
    assert_int_equal(cl_wf_pf_parse("slow_to_demo"), CL_WF_PF_SLOW_TO_DEMO);
    assert_int_equal(cl_wf_pf_parse("pipeline_flag"), -1);
}

/*
 * Raised once: the next day, with the flags recorded on the deals, the
 * rule raises nothing and sends nothing; a flag that is new that day is
 * the only one in the digest.  Closed deals are never flagged.
 */
static void
test_nothing_resent_for_flags_already_raised(void **state)
{
    (void)state;
    cl_wf_deal d[3] = {open_deal("P0", "AE1", "SM1", 1000),
                       open_deal("P1", "AE1", "SM1", 2000),
                       open_deal("P2", "AE2", "SM1", 3000)};
    d[2].stage = "closed_won";
    d[2].closed_on = D("2026-06-01");
    cl_wf_pipeline_flag f[3] = {
        flag(0, CL_WF_PF_OUTSIDE_ICP, 1.0, "icp P0"),
        flag(1, CL_WF_PF_CHAMPION_STABILITY, 1.0, "champion P1"),
        flag(2, CL_WF_PF_OUTSIDE_ICP, 1.0, "icp P2"),
    };
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_pipeline_tick(d, 3, f, 3, NULL, 0, D("2026-06-16"), &l, NULL),
        CL_OK);
    assert_int_equal(count_kind(&l, CL_WF_FLAG), 2);
    assert_null(find_key(&l, "pipeline_flag:outside_icp:P2"));
    assert_null(find_key(&l, "pipeline_digest:2026-06-16:AE2"));
    cl_wf_effects_release(&l);

    d[0].flags_raised = 1u << CL_WF_PF_OUTSIDE_ICP;
    d[1].flags_raised = 1u << CL_WF_PF_CHAMPION_STABILITY;
    assert_int_equal(
        cl_wf_pipeline_tick(d, 3, f, 3, NULL, 0, D("2026-06-17"), &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);

    /* P0 now also matches a churn pattern: only that is new. */
    cl_wf_pipeline_flag g[3] = {
        flag(0, CL_WF_PF_OUTSIDE_ICP, 1.0, "icp P0"),
        flag(0, CL_WF_PF_CHURN_PATTERN, 3.0, "pattern P0"),
        flag(1, CL_WF_PF_CHAMPION_STABILITY, 1.0, "champion P1"),
    };
    assert_int_equal(
        cl_wf_pipeline_tick(d, 3, g, 3, NULL, 0, D("2026-06-18"), &l, NULL),
        CL_OK);
    assert_int_equal(count_kind(&l, CL_WF_FLAG), 1);
    must_key(&l, "pipeline_flag:churn_pattern:P0");
    const cl_wf_effect *e = must_key(&l, "pipeline_digest:2026-06-18:AE1");
    assert_non_null(strstr(e->body, "pattern P0"));
    assert_null(strstr(e->body, "icp P0"));
    assert_null(strstr(e->body, "champion P1"));
    must_key(&l, "pipeline_digest:2026-06-18:SM1");
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 2);
    cl_wf_effects_release(&l);
}

/*
 * An AE who is their own manager (a founder selling) gets one digest, not
 * two; a deal with no AE and no manager is raised and tells nobody.
 */
static void
test_manager_who_is_the_ae_not_doubled(void **state)
{
    (void)state;
    cl_wf_deal d[2] = {open_deal("P0", "U1", "U1", 1000),
                       open_deal("P1", NULL, NULL, 1000)};
    cl_wf_pipeline_flag f[2] = {flag(0, CL_WF_PF_OUTSIDE_ICP, 1.0, "icp"),
                                flag(1, CL_WF_PF_OUTSIDE_ICP, 1.0, "icp")};
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_pipeline_tick(d, 2, f, 2, NULL, 0, D("2026-06-16"), &l, NULL),
        CL_OK);
    assert_int_equal(count_kind(&l, CL_WF_FLAG), 2);
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 1);
    const cl_wf_effect *e = must_key(&l, "pipeline_digest:2026-06-16:U1");
    assert_string_equal(e->title,
                        "Pipeline digest 16 Jun 2026: 1 new flag on 1 deal");
    cl_wf_effects_release(&l);
}

/*
 * A second tick on the same day: the people whose digest is out already
 * get no second one, and a new flag on their deals waits (not raised) for
 * tomorrow's digest; people without a digest yet get theirs.
 */
static void
test_second_tick_same_day_holds_new_flags(void **state)
{
    (void)state;
    cl_wf_deal d[2] = {open_deal("P0", "AE1", "SM1", 1000),
                       open_deal("P1", "AE2", "SM2", 1000)};
    cl_wf_pipeline_flag f[2] = {flag(0, CL_WF_PF_OUTSIDE_ICP, 1.0, "icp P0"),
                                flag(1, CL_WF_PF_OUTSIDE_ICP, 1.0, "icp P1")};
    const char *const out_today[] = {"SM1"};
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_pipeline_tick(d, 2, f, 2, out_today, 1,
                                         D("2026-06-16"), &l, NULL),
                     CL_OK);
    assert_null(find_key(&l, "pipeline_flag:outside_icp:P0"));
    assert_null(find_key(&l, "pipeline_digest:2026-06-16:AE1"));
    assert_null(find_key(&l, "pipeline_digest:2026-06-16:SM1"));
    must_key(&l, "pipeline_flag:outside_icp:P1");
    must_key(&l, "pipeline_digest:2026-06-16:AE2");
    must_key(&l, "pipeline_digest:2026-06-16:SM2");
    cl_wf_effects_release(&l);

    /* The next day P0's flag goes out. */
    d[1].flags_raised = 1u << CL_WF_PF_OUTSIDE_ICP;
    assert_int_equal(
        cl_wf_pipeline_tick(d, 2, f, 2, NULL, 0, D("2026-06-17"), &l, NULL),
        CL_OK);
    must_key(&l, "pipeline_flag:outside_icp:P0");
    must_key(&l, "pipeline_digest:2026-06-17:AE1");
    must_key(&l, "pipeline_digest:2026-06-17:SM1");
    assert_int_equal(l.n, 3);
    cl_wf_effects_release(&l);
}

static void
test_bad_flag_refused(void **state)
{
    (void)state;
    cl_wf_deal d[1] = {open_deal("P0", "AE1", "SM1", 1000)};
    cl_wf_pipeline_flag f[1] = {flag(1, CL_WF_PF_OUTSIDE_ICP, 1.0, "icp")};
    cl_wf_effects l;
    cl_error err;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_pipeline_tick(d, 1, f, 1, NULL, 0, D("2026-06-16"), &l, &err),
        CL_EINVAL);
    assert_non_null(cl_wf_effects_error(&l));
    cl_wf_effects_release(&l);
}

/*
 * Many deals under one manager: the list and its arena grow, every string
 * stays where it was (ASan builds check the memory), and the manager's
 * digest lists the strongest CL_WF_DIGEST_MAX_LINES flags, then counts
 * the rest.
 */
static void
test_digest_of_many_flags(void **state)
{
    (void)state;
    enum { N = 300 };
    static cl_wf_deal d[N];
    static cl_wf_pipeline_flag f[N];
    static char ids[N][16], aes[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "P%03d", i);
        snprintf(aes[i], sizeof aes[i], "AE%03d", i);
        d[i] = open_deal(ids[i], aes[i], "SM1", 1000);
        /* Evidence grows with i: the last deals rank first. */
        f[i] = flag((size_t)i, CL_WF_PF_OUTSIDE_ICP, i / 100.0, "icp");
    }
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_pipeline_tick(d, N, f, N, NULL, 0, D("2026-01-05"), &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 2 * N + 1);
    assert_int_equal(count_kind(&l, CL_WF_FLAG), N);
    const cl_wf_effect *e = must_key(&l, "pipeline_digest:2026-01-05:AE000");
    assert_string_equal(e->recipient_id, "AE000");
    e = must_key(&l, "pipeline_digest:2026-01-05:SM1");
    assert_string_equal(e->title,
                        "Pipeline digest 5 Jan 2026: 300 new flags on 300 "
                        "deals");
    assert_in_order(e->body,
                    (const char *const[]){"1. Deal P299,", "50. Deal P250,",
                                          "...and 250 more"},
                    3);
    assert_null(strstr(e->body, "Deal P249,"));
    cl_wf_effects_release(&l);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l); /* releasing twice is harmless */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_digest_per_person_per_day),
        cmocka_unit_test(test_digest_ranked_by_evidence),
        cmocka_unit_test(test_nothing_resent_for_flags_already_raised),
        cmocka_unit_test(test_manager_who_is_the_ae_not_doubled),
        cmocka_unit_test(test_second_tick_same_day_holds_new_flags),
        cmocka_unit_test(test_bad_flag_refused),
        cmocka_unit_test(test_digest_of_many_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
