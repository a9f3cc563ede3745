/*
 * Open pipeline at risk on a hand-made workspace
 * (tests/data/reports/ops/pipeline), as of 2026-11-23.  ICP version 2
 * (employees >= 50 and has_ops_function = true) is in effect; version 3
 * takes effect in 2027.  Thirty customers differ only by industry: 9 of the
 * 10 Hospitality customers churned, 1 of the 20 Software ones, a planted
 * churn pattern.  Open deals, one flag each unless said:
 *   P01  none (demo on day 45 exactly: not slow)
 *   P02  outside_icp (60 employees, no ops function)
 *   P03  champion_stability (3 months in the role)
 *   P04  slow_to_demo (first demo on day 61)
 *   P05  slow_to_demo (no demo after 83 days)
 *   P06  champion_stability (no executive sponsor)
 *   P07  outside_icp, champion_stability, slow_to_demo
 *   P08  none (tenure and sponsor unknown)
 *   P09  none (employees unknown: the ICP cannot say)
 *   P10  churn_pattern (a Hospitality prospect)
 * L01 is closed_lost with every flag: not pipeline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "analytics/patterns.h"
#include "opsfixture.h"

static int
setup(void **state)
{
    *state = ops_load("pipeline");
    return 0;
}

static int
teardown(void **state)
{
    ops_free(*state);
    return 0;
}

static json_t *
run(void **state)
{
    return ops_run(cl_report_pipeline, *state, NULL, "2026-11-23", 0);
}

/* The deal with id, or NULL. */
static json_t *
deal(json_t *j, const char *id)
{
    json_t *d;
    size_t i;
    json_array_foreach(json_object_get(j, "deals"), i, d)
    {
        if (strcmp(json_string_value(json_object_get(d, "deal_id")), id) == 0)
            return d;
    }
    return NULL;
}

/* Asserts that deal id carries exactly the one flag, with reason. */
static void
assert_only_flag(json_t *j, const char *id, const char *flag,
                 const char *reason)
{
    json_t *d = deal(j, id);
    if (d == NULL)
        fail_msg("%s not flagged", id);
    json_t *flags = json_object_get(d, "flags");
    assert_int_equal(json_array_size(flags), 1);
    json_t *f = json_array_get(flags, 0);
    assert_string_equal(json_string_value(json_object_get(f, "flag")), flag);
    if (reason)
        assert_string_equal(json_string_value(json_object_get(f, "reason")),
                            reason);
}

static void
test_each_flag_alone(void **state)
{
    json_t *j = run(state);
    assert_only_flag(j, "P02", "outside_icp",
                     "outside ICP version 2: has_ops_function = true");
    assert_only_flag(j, "P03", "champion_stability",
                     "champion in the role 3 months (under 6)");
    assert_only_flag(j, "P06", "champion_stability", "no executive sponsor");
    assert_only_flag(j, "P04", "slow_to_demo",
                     "first demo 61 days after creation (over 45)");
    assert_only_flag(j, "P05", "slow_to_demo",
                     "no demo after 83 days in pipeline (over 45)");
    json_decref(j);
}

static void
test_churn_pattern_flag_names_the_pattern(void **state)
{
    /* The reason is the description of the best-ranked significant churn
       pattern the deal matches; find them as the report does. */
    cl_pattern_opts po = {0};
    cl_pattern_result pr;
    cl_error err;
    po.target = CL_TARGET_CHURN;
    po.today = ops_day("2026-11-23");
    assert_int_equal(cl_patterns_find(*state, &po, &pr, &err), CL_OK);
    assert_true(pr.npatterns >= 1);
    int32_t p10 = cl_snapshot_deal(*state, "P10");
    const char *why = NULL;
    for (size_t i = 0; i < pr.npatterns && why == NULL; i++)
        if (cl_pattern_matches_deal(*state, &pr.patterns[i], p10) == 1)
            why = pr.patterns[i].description;
    assert_non_null(why);
    assert_non_null(strstr(why, "Hospitality"));
    json_t *j = run(state);
    assert_only_flag(j, "P10", "churn_pattern", why);
    assert_int_equal(json_integer_value(json_object_get(j, "churn_patterns")),
                     (int)pr.npatterns);
    cl_patterns_free(&pr);
    json_decref(j);
}

static void
test_several_flags_and_unflagged_deals(void **state)
{
    json_t *j = run(state);
    json_t *d = deal(j, "P07");
    assert_non_null(d);
    json_t *flags = json_object_get(d, "flags");
    assert_int_equal(json_array_size(flags), 3);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(flags, 0), "reason")),
        "outside ICP version 2: employees >= 50; has_ops_function = true");
    /* For people, the same criteria in words (issue 16). */
    assert_string_equal(
        json_string_value(
            json_object_get(json_array_get(flags, 0), "reason_words")),
        "outside ICP version 2, which needs: employees at least 50; has an "
        "ops function");
    assert_string_equal(
        json_string_value(
            json_object_get(json_array_get(flags, 1), "reason_words")),
        "champion in the role 2 months (under 6); no executive sponsor");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(flags, 1), "reason")),
        "champion in the role 2 months (under 6); no executive sponsor");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(flags, 2), "reason")),
        "no demo after 175 days in pipeline (over 45)");
    assert_null(deal(j, "P01"));
    assert_null(deal(j, "P08"));
    assert_null(deal(j, "P09"));
    assert_null(deal(j, "L01"));
    json_decref(j);
}

static void
test_order_fields_and_summary(void **state)
{
    /* Ranked by evidence (docs/metrics.md): by the deal's strongest flag,
       the churn pattern first (its lift), then outside the ICP (P07 fails
       two criteria, P02 one; both have ICP fit 75: + 0.25), champion
       stability (P03: 1 + (6 - 3) / 6; P06: no sponsor, 1), slow to demo
       (P05: 83 / 45 days, P04: 61 / 45). */
    static const char *const order[] = {"P10", "P07", "P02", "P03",
                                        "P06", "P05", "P04"};
    static const double evidence[] = {-1, 2.25, 1.25, 1.5, 1, 1.84, 1.36};
    json_t *j = run(state);
    assert_int_equal(json_array_size(json_object_get(j, "deals")), 7);
    for (size_t i = 0; i < 7; i++) {
        json_t *d = json_array_get(json_object_get(j, "deals"), i);
        json_t *top = json_array_get(json_object_get(d, "flags"), 0);
        assert_string_equal(json_string_value(json_object_get(d, "deal_id")),
                            order[i]);
        assert_int_equal(json_integer_value(json_object_get(d, "rank")), i + 1);
        if (evidence[i] >= 0)
            assert_near(json_number_value(json_object_get(top, "evidence")),
                        evidence[i], 1e-9);
    }
    /* The churn pattern's evidence is its lift. */
    assert_true(json_number_value(json_object_get(
                    json_array_get(ops_at(j, "deals", 0, "flags"), 0),
                    "evidence")) > 1);
    assert_string_equal(json_string_value(ops_at(j, "deals", 1, "ae_id")),
                        "U-AE1");
    assert_string_equal(json_string_value(ops_at(j, "deals", 1, "account")),
                        "Tiny No Ops");
    assert_string_equal(json_string_value(ops_at(j, "deals", 1, "account_id")),
                        "PA3");
    assert_string_equal(json_string_value(ops_at(j, "deals", 1, "stage")),
                        "discovery");
    assert_near(json_number_value(ops_at(j, "deals", 1, "arr")), 5000, 1e-9);
    assert_int_equal(json_integer_value(json_object_get(j, "icp_version")), 2);
    json_t *s = json_object_get(j, "summary");
    assert_int_equal(json_integer_value(json_object_get(s, "open_deals")), 10);
    assert_int_equal(json_integer_value(json_object_get(s, "flagged")), 7);
    assert_int_equal(json_integer_value(json_object_get(s, "outside_icp")), 2);
    assert_int_equal(
        json_integer_value(json_object_get(s, "champion_stability")), 3);
    assert_int_equal(json_integer_value(json_object_get(s, "slow_to_demo")), 3);
    assert_int_equal(json_integer_value(json_object_get(s, "churn_pattern")),
                     1);
    json_decref(j);
}

/* The deal ids of j's deals, ','-joined, into buf. */
static const char *
ids(json_t *j, char *buf, size_t len)
{
    json_t *d;
    size_t i, at = 0;
    buf[0] = '\0';
    json_array_foreach(json_object_get(j, "deals"), i, d)
    {
        at +=
            (size_t)snprintf(buf + at, len - at, "%s%s", i ? "," : "",
                             json_string_value(json_object_get(d, "deal_id")));
    }
    return buf;
}

static void
test_query_pages_sorts_and_filters(void **state)
{
    char buf[256];
    cl_error err;
    json_t *j = run(state);
    cl_pipeline_query q = {.limit = 3, .offset = 0};
    /* Pages of the evidence order; the summary is the whole report's. */
    assert_int_equal(cl_report_pipeline_query(j, &q, &err), CL_OK);
    assert_string_equal(ids(j, buf, sizeof buf), "P10,P07,P02");
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 7);
    assert_string_equal(json_string_value(json_object_get(j, "sort")), "rank");
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(j, "summary"), "flagged")),
                     7);
    json_decref(j);
    j = run(state);
    q.offset = 6;
    assert_int_equal(cl_report_pipeline_query(j, &q, &err), CL_OK);
    assert_string_equal(ids(j, buf, sizeof buf), "P04");
    json_decref(j);

    /* By ARR, largest first; by flags, most first, ties by rank. */
    j = run(state);
    q = (cl_pipeline_query){.sort = "-arr", .limit = -1};
    assert_int_equal(cl_report_pipeline_query(j, &q, &err), CL_OK);
    assert_string_equal(ids(j, buf, sizeof buf), "P04,P10,P03,P06,P02,P05,P07");
    json_decref(j);
    j = run(state);
    q = (cl_pipeline_query){.sort = "-flags", .limit = 2};
    assert_int_equal(cl_report_pipeline_query(j, &q, &err), CL_OK);
    assert_string_equal(ids(j, buf, sizeof buf), "P07,P10");
    json_decref(j);

    /* One flag, one AE, both. */
    j = run(state);
    q = (cl_pipeline_query){.flag = "slow_to_demo", .limit = -1};
    assert_int_equal(cl_report_pipeline_query(j, &q, &err), CL_OK);
    assert_string_equal(ids(j, buf, sizeof buf), "P07,P05,P04");
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 3);
    json_decref(j);
    j = run(state);
    q = (cl_pipeline_query){.flag = "slow_to_demo",
                            .ae_id = "U-AE2",
                            .sort = "deal_id",
                            .limit = -1};
    assert_int_equal(cl_report_pipeline_query(j, &q, &err), CL_OK);
    assert_string_equal(ids(j, buf, sizeof buf), "P04");
    json_decref(j);

    /* Bad input names its field. */
    j = run(state);
    q = (cl_pipeline_query){.sort = "health_score", .limit = -1};
    assert_int_equal(cl_report_pipeline_query(j, &q, &err), CL_EINVAL);
    assert_non_null(strstr(err.msg, "sort:"));
    q = (cl_pipeline_query){.flag = "generic_answer", .limit = -1};
    assert_int_equal(cl_report_pipeline_query(j, &q, &err), CL_EINVAL);
    assert_non_null(strstr(err.msg, "flag:"));
    json_decref(j);
}

/* Does deal object d carry flag? */
static int
has_flag(json_t *d, const char *flag)
{
    json_t *f;
    size_t i;
    json_array_foreach(json_object_get(d, "flags"), i, f)
    {
        if (strcmp(json_string_value(json_object_get(f, "flag")), flag) == 0)
            return 1;
    }
    return 0;
}

static void
test_demo_small_teams_without_ops_are_flagged(void **state)
{
    /* The demo plants a 4.5x churn hazard on teams under 20 people with no
       ops function, and its current ICP asks for 50+ employees and an ops
       function: every open deal of such a team must carry both the churn
       pattern and the outside-ICP flag, whatever the seed. */
    (void)state;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        cl_snapshot *s = ops_load_demo(seed, "2026-11-23");
        json_t *j = ops_run(cl_report_pipeline, s, NULL, "2026-11-23", 0);
        size_t small = 0;
        assert_true(json_integer_value(json_object_get(j, "churn_patterns")) >
                    0);
        for (size_t d = 0; d < s->ndeals; d++) {
            int32_t a = s->deal_account[d];
            if (s->deal_state[d] != CL_DEAL_OPEN || a < 0 ||
                s->account_employees[a] < 1 || s->account_employees[a] >= 20 ||
                s->account_has_ops[a] != 0)
                continue;
            small++;
            json_t *x = deal(j, s->deal_id[d]);
            if (x == NULL || !has_flag(x, "churn_pattern") ||
                !has_flag(x, "outside_icp"))
                fail_msg("seed %llu: %s not flagged as a small team",
                         (unsigned long long)seed, s->deal_id[d]);
        }
        assert_true(small > 0);
        json_decref(j);
        ops_free(s);
    }
}

/* The JSON text the CLI writes, byte for byte the tree's as jansson
   prints it (cl_render's json), on the fixture and on demo workspaces
   (an ICP in effect, churn patterns, reals and nulls). */
static void
assert_text_is_tree(const cl_snapshot *s, const char *today)
{
    cl_report_opts o = {0};
    cl_error err;
    cl_buf text = CL_BUF_INIT;
    json_t *j = NULL;
    o.today = ops_day(today);
    assert_int_equal(cl_report_pipeline(s, &o, &j, &err), CL_OK);
    assert_int_equal(cl_report_pipeline_text(s, &o, &text, &err), CL_OK);
    char *tree = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    assert_non_null(tree);
    assert_true(json_array_size(json_object_get(j, "deals")) > 0);
    assert_string_equal(text.p, tree);
    free(tree);
    json_decref(j);
    cl_buf_free(&text);
}

static void
test_text_is_the_tree_printed(void **state)
{
    assert_text_is_tree(*state, "2026-11-23");
    for (uint64_t seed = 1; seed <= 2; seed++) {
        cl_snapshot *s = ops_load_demo(seed, "2026-11-23");
        assert_text_is_tree(s, "2026-11-23");
        ops_free(s);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_flag_alone),
        cmocka_unit_test(test_churn_pattern_flag_names_the_pattern),
        cmocka_unit_test(test_several_flags_and_unflagged_deals),
        cmocka_unit_test(test_order_fields_and_summary),
        cmocka_unit_test(test_query_pages_sorts_and_filters),
        cmocka_unit_test(test_demo_small_teams_without_ops_are_flagged),
        cmocka_unit_test(test_text_is_the_tree_printed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
