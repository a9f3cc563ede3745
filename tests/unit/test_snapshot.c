/*
 * The analytics snapshot, loaded from a real workspace built from the
 * canonical fixtures (tests/data/canonical): columns, resolved references,
 * the derived customer start, ICP versions, thresholds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "testdb.h"

#include "analytics/snapshot.h"
#include "io/import.h"
#include "snapshot/snapshot_load.h"

static char path[CL_TESTDB_URL];

static int
setup(void **state)
{
    static const char *const kinds[] = {
        "users",   "accounts", "deals",         "churns", "recoveries",
        "reviews", "cs_hours", "arr_movements", "icp",    "holidays"};
    cl_store *st;
    cl_error err;
    cl_testdb_make(path, "/tmp/cl-test-snap");
    assert_int_equal(cl_store_open(path, &st, &err), CL_OK);
    for (size_t i = 0; i < 10; i++) {
        char file[512];
        cl_import_opts o = {0};
        cl_import_report rep;
        snprintf(file, sizeof file, "%s/canonical/%s.csv", CL_TEST_DATA_DIR,
                 kinds[i]);
        assert_int_equal(cl_import_file(st, cl_kind_from_name(kinds[i]), file,
                                        &o, &rep, &err),
                         CL_OK);
    }
    cl_snapshot *s;
    assert_int_equal(cl_snapshot_load(st, &s, &err), CL_OK);
    cl_store_close(st);
    *state = s;
    return 0;
}

static int
teardown(void **state)
{
    cl_snapshot_free(*state);
    cl_testdb_drop(path);
    return 0;
}

static cl_day
D(const char *s)
{
    cl_day d;
    assert_int_equal(cl_date_parse(s, strlen(s), &d), 0);
    return d;
}

static void
test_counts_and_references(void **state)
{
    cl_snapshot *s = *state;
    assert_int_equal(s->nusers, 9);
    assert_int_equal(s->naccounts, 6);
    assert_int_equal(s->ndeals, 8);
    assert_int_equal(s->nchurns, 2);
    int32_t u3 = cl_snapshot_user(s, "U003");
    assert_string_equal(s->user_name[u3], "Priya Nair");
    assert_string_equal(s->user_id[s->user_manager[u3]], "U002");
    assert_int_equal(s->user_manager[cl_snapshot_user(s, "U001")], -1);
    int32_t d5 = cl_snapshot_deal(s, "D005");
    assert_string_equal(s->account_id[s->deal_account[d5]], "A004");
    assert_string_equal(s->user_id[s->deal_ae[d5]], "U004");
    assert_string_equal(cl_snapshot_str(s, s->deal_use_case[d5]),
                        "inventory sync, two warehouses");
    assert_int_equal(s->deal_state[d5], CL_DEAL_WON);
    assert_near(s->deal_arr[d5], 40000, 1e-9);
    assert_int_equal(s->deal_champion_tenure[d5], 8);
    assert_int_equal(cl_snapshot_deal(s, "D999"), -1);
}

static void
test_unknown_values(void **state)
{
    cl_snapshot *s = *state;
    int32_t a6 = cl_snapshot_account(s, "A006");
    assert_int_equal(s->account_employees[a6], -1);
    assert_int_equal(s->account_has_ops[a6], -1);
    assert_int_equal(s->account_csm[a6], -1);
    assert_int_equal(s->account_customer_since[a6], CL_DAY_NONE);
    int32_t d6 = cl_snapshot_deal(s, "D006");
    assert_int_equal(s->deal_icp_fit[d6], -1);
    assert_int_equal(s->deal_champion_level[d6], -1);
    assert_int_equal(s->deal_first_demo_on[d6], CL_DAY_NONE);
    int32_t d8 = cl_snapshot_deal(s, "D008");
    assert_int_equal(s->deal_state[d8], CL_DEAL_OPEN);
    assert_int_equal(s->deal_closed_on[d8], CL_DAY_NONE);
}

static void
test_customer_start_is_first_won_new_deal(void **state)
{
    cl_snapshot *s = *state;
    /* A004 lost D004 in 2023, then won D005: its start is D005's close. */
    int32_t a4 = cl_snapshot_account(s, "A004");
    assert_string_equal(s->deal_id[s->account_start_deal[a4]], "D005");
    assert_int_equal(s->account_start[a4], D("2024-03-20"));
    /* A001's expansion D006 does not start it. */
    int32_t a1 = cl_snapshot_account(s, "A001");
    assert_string_equal(s->deal_id[s->account_start_deal[a1]], "D001");
    /* A prospect is no customer. */
    assert_int_equal(s->account_start_deal[cl_snapshot_account(s, "A006")], -1);
    int32_t a2 = cl_snapshot_account(s, "A002");
    assert_string_equal(s->churn_id[s->account_first_churn[a2]], "C001");
    assert_int_equal(s->account_first_churn[a1], -1);
}

static void
test_churn_tags(void **state)
{
    cl_snapshot *s = *state;
    assert_string_equal(s->churn_id[0], "C001");
    assert_string_equal(cl_cause_codes[s->churn_cause[0]], "icp_miss");
    uint32_t want =
        (uint32_t)((1u << cl_enum_index(cl_cause_codes, "phantom_champion")) |
                   (1u << cl_enum_index(cl_cause_codes, "failed_adoption")));
    assert_int_equal(s->churn_contributing[0], want);
    assert_int_equal(s->churn_contributing[1], 0);
    assert_string_equal(s->user_id[s->churn_tagged_by[0]], "U007");
    assert_int_equal(s->churn_tagged_on[0], D("2024-05-06"));
    assert_string_equal(s->churn_stated_reason[0],
                        "\"Too complex for a team our size\"");
}

static void
test_icp_versions(void **state)
{
    cl_snapshot *s = *state;
    assert_int_equal(s->nicp, 2);
    assert_int_equal(cl_snapshot_icp_at(s, D("2022-12-31")), -1);
    assert_int_equal(cl_snapshot_icp_at(s, D("2024-06-30")), 0);
    assert_int_equal(cl_snapshot_icp_at(s, D("2024-07-01")), 1);
    /* D002: 18 employees, no ops: outside both versions. */
    int32_t d2 = cl_snapshot_deal(s, "D002");
    assert_int_equal(cl_snapshot_in_icp(s, 0, d2), 0);
    /* D007: 45 employees: outside v1; D001 (240, ops) inside v2. */
    assert_int_equal(cl_snapshot_in_icp(s, 0, cl_snapshot_deal(s, "D007")), 0);
    assert_int_equal(cl_snapshot_in_icp(s, 1, cl_snapshot_deal(s, "D001")), 1);
    /* D008's account has unknown size and ops: unknown. */
    assert_int_equal(cl_snapshot_in_icp(s, 1, cl_snapshot_deal(s, "D008")), -1);
}

static void
test_calendar_and_thresholds(void **state)
{
    cl_snapshot *s = *state;
    assert_int_equal(s->nholidays, 3);
    /* Tue 2024-12-24 + 1 business day skips the 25th and 26th. */
    assert_int_equal(cl_cal_add_business_days(&s->calendar, D("2024-12-24"), 1),
                     D("2024-12-27"));
    assert_near(cl_snapshot_threshold(s, "icp_review_share"), 0.25, 1e-12);
    assert_near(cl_snapshot_threshold(s, "review_senior_arr"), 50000, 1e-9);
    assert_string_equal(s->causes[0].code, "icp_miss");
    assert_string_equal(s->causes[0].label, "Wrong ICP");
}

/* Issue 16: a cause the workspace added follows the defaults, and a tag
   list finds it by code. */
static void
test_added_cause(void **state)
{
    (void)state;
    cl_snapshot *s = cl_snapshot_new();
    cl_error err;
    assert_non_null(s);
    assert_int_equal(s->ncauses, 13);
    cl_cause c = {"late_invoicing",
                  "Late invoicing",
                  "Invoices were wrong.",
                  0,
                  CL_BADFIT_NONE,
                  "finance",
                  0};
    assert_int_equal(cl_snapshot_set_cause(s, &c, &err), CL_OK);
    assert_int_equal(s->ncauses, 14);
    assert_int_equal(cl_snapshot_cause(s, "late_invoicing"), 13);
    assert_string_equal(s->causes[13].label, "Late invoicing");
    assert_int_equal(cl_snapshot_cause(s, "icp_miss"), 0);
    assert_int_equal(cl_snapshot_cause(s, "nope"), -1);
    assert_int_equal(cl_snapshot_cause_mask(s, "pricing;late_invoicing;x"),
                     (1u << cl_snapshot_cause(s, "pricing")) | (1u << 13));
    /* Setting it again relabels it, no second slot. */
    c.label = "Invoicing errors";
    assert_int_equal(cl_snapshot_set_cause(s, &c, &err), CL_OK);
    assert_int_equal(s->ncauses, 14);
    assert_string_equal(s->causes[13].label, "Invoicing errors");
    /* No more than CL_MAX_CAUSES. */
    char code[24];
    for (int i = 14; i < CL_MAX_CAUSES; i++) {
        snprintf(code, sizeof code, "extra_%d", i);
        c.code = code;
        assert_int_equal(cl_snapshot_set_cause(s, &c, &err), CL_OK);
    }
    c.code = "one_too_many";
    assert_int_equal(cl_snapshot_set_cause(s, &c, &err), CL_EINVAL);
    assert_int_equal(s->ncauses, CL_MAX_CAUSES);
    cl_snapshot_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_references),
        cmocka_unit_test(test_unknown_values),
        cmocka_unit_test(test_customer_start_is_first_won_new_deal),
        cmocka_unit_test(test_churn_tags),
        cmocka_unit_test(test_icp_versions),
        cmocka_unit_test(test_calendar_and_thresholds),
        cmocka_unit_test(test_added_cause),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
