/* Unit tests: the default taxonomy and thresholds of docs/design.md
   section 5. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/config_keys.h"
#include "core/record.h"
#include "core/taxonomy.h"

static void
test_thirteen_causes_in_design_order(void **state)
{
    (void)state;
    size_t n;
    const cl_cause *c = cl_taxonomy_defaults(&n);
    assert_int_equal(n, 13);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(c[i].code, cl_cause_codes[i]);
        assert_true(strlen(c[i].definition) > 40);
        assert_true(strlen(c[i].label) > 0);
    }
    assert_null(cl_cause_codes[n]);
    assert_string_equal(c[0].code, "icp_miss");
    assert_string_equal(c[12].code, "financial_distress");
}

static void
test_sales_attributable_are_the_first_five(void **state)
{
    (void)state;
    const char *yes[] = {"icp_miss", "misaligned_use_case",
                         "feature_overpromise", "timeline_overpromise",
                         "phantom_champion"};
    const char *no[] = {"failed_adoption", "product_deficiency",
                        "poor_service", "goals_not_met", "competitive_loss",
                        "pricing", "business_change", "financial_distress"};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(cl_taxonomy_find(yes[i])->sales_attributable, 1);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(cl_taxonomy_find(no[i])->sales_attributable, 0);
    assert_null(cl_taxonomy_find("other"));
}

static void
test_bad_fit_categories(void **state)
{
    (void)state;
    assert_int_equal(cl_taxonomy_find("icp_miss")->badfit,
                     CL_BADFIT_WRONG_ICP);
    assert_int_equal(cl_taxonomy_find("misaligned_use_case")->badfit,
                     CL_BADFIT_MISALIGNED_USE_CASE);
    assert_int_equal(cl_taxonomy_find("feature_overpromise")->badfit,
                     CL_BADFIT_OVER_PROMISED);
    assert_int_equal(cl_taxonomy_find("timeline_overpromise")->badfit,
                     CL_BADFIT_OVER_PROMISED);
    assert_int_equal(cl_taxonomy_find("phantom_champion")->badfit,
                     CL_BADFIT_NONE);
    assert_string_equal(cl_badfit_code(CL_BADFIT_OVER_PROMISED),
                        "over_promised");
    assert_string_equal(cl_badfit_code(CL_BADFIT_WRONG_ICP), "wrong_icp");
}

static void
test_threshold_defaults(void **state)
{
    (void)state;
    struct {
        const char *key;
        double value;
    } want[] = {
        {"icp_review_share", 0.25},
        {"icp_review_due_days", 30},
        {"coaching_share", 0.20},
        {"discovery_review_share", 0.20},
        {"enablement_review_recoveries", 3},
        {"qualification_review_timing_share", 0.60},
        {"trust_cluster_share", 0.5},
        {"trust_cluster_min", 2},
        {"review_due_business_days", 5},
        {"review_senior_arr", 50000},
        {"review_completion_target", 0.80},
        {"debrief_due_business_days", 5},
        {"checkin_due_days", 30},
        {"champion_tenure_months", 6},
        {"slow_to_demo_days", 45},
        {"repeating_cause_quarters", 4},
        {"stale_icp_days", 183},
        {"signal_latency_days", 30},
    };
    size_t n;
    cl_threshold_defaults(&n);
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        const cl_threshold *t = cl_threshold_find(want[i].key);
        assert_non_null(t);
        assert_near(t->value, want[i].value, 1e-12);
    }
    assert_null(cl_threshold_find("nope"));
}

/* Every default lies in its own range, and the range check names the key
 * and the range when a value does not. */
static void
test_threshold_ranges(void **state)
{
    (void)state;
    size_t n;
    cl_error err;
    const cl_threshold *t = cl_threshold_defaults(&n);
    for (size_t i = 0; i < n; i++) {
        assert_true(t[i].min <= t[i].value && t[i].value <= t[i].max);
        assert_int_equal(cl_threshold_check(t[i].key, t[i].value, &err), CL_OK);
        if (strcmp(t[i].unit, "share") == 0)
            assert_true(t[i].min == 0 && t[i].max == 1);
    }
    assert_int_equal(
        cl_threshold_check("debrief_due_business_days", 1e308, &err),
        CL_EINVAL);
    assert_string_equal(err.msg, "debrief_due_business_days: expected a whole "
                                 "number from 1 to 366 (business_days), got "
                                 "1e+308");
    assert_int_equal(cl_threshold_check("debrief_due_business_days", 366, &err),
                     CL_OK);
    assert_int_equal(cl_threshold_check("debrief_due_business_days", 367, &err),
                     CL_EINVAL);
    assert_int_equal(cl_threshold_check("debrief_due_business_days", 0, &err),
                     CL_EINVAL);
    assert_int_equal(cl_threshold_check("debrief_due_business_days", 2.5, &err),
                     CL_EINVAL);
    assert_int_equal(cl_threshold_check("icp_review_share", 1.01, &err),
                     CL_EINVAL);
    assert_int_equal(cl_threshold_check("icp_review_share", -0.1, &err),
                     CL_EINVAL);
    assert_int_equal(cl_threshold_check("icp_review_share", 0.333, &err),
                     CL_OK);
    assert_int_equal(cl_threshold_check("icp_review_share", NAN, &err),
                     CL_EINVAL);
    assert_int_equal(cl_threshold_check("review_senior_arr", 1e10, &err),
                     CL_EINVAL);
    assert_int_equal(cl_threshold_check("nope", 1, &err), CL_ENOTFOUND);
    /* Reading back what an older closeloop stored unchecked. */
    const cl_threshold *d = cl_threshold_find("debrief_due_business_days");
    assert_true(cl_threshold_clamp(d, 1e308) == 366);
    assert_true(cl_threshold_clamp(d, -1e308) == 1);
    assert_true(cl_threshold_clamp(d, NAN) == 5);
    assert_true(cl_threshold_clamp(d, 7) == 7);
}

/* The delivery settings have their ranges too, checked in one place. */
static void
test_config_key_ranges(void **state)
{
    (void)state;
    cl_error err;
    assert_int_equal(cl_config_check("max_attempts", "5", &err), CL_OK);
    assert_int_equal(cl_config_check("max_attempts", "0", &err), CL_EINVAL);
    assert_string_equal(err.msg, "max_attempts: expected a whole number from "
                                 "1 to 20 (count), got '0'");
    assert_int_equal(cl_config_check("max_attempts", "zero", &err), CL_EINVAL);
    assert_int_equal(cl_config_check("max_attempts", " 5", &err), CL_EINVAL);
    assert_int_equal(
        cl_config_check("retry_base_seconds", "99999999999999999999", &err),
        CL_EINVAL);
    assert_int_equal(cl_config_check("deliver_batch", "10000", &err), CL_OK);
    assert_int_equal(cl_config_check("deliver_batch", "10001", &err),
                     CL_EINVAL);
    assert_int_equal(cl_config_check("engine_lookback_days", "3660", &err),
                     CL_OK);
    assert_int_equal(cl_config_check("engine_lookback_days", "3661", &err),
                     CL_EINVAL);
    assert_int_equal(cl_config_check("webhook_format", "xml", &err), CL_EINVAL);
    assert_int_equal(cl_config_check("webhook_format", "slack", &err), CL_OK);
    assert_int_equal(cl_config_check("smtp_url", "http://x", &err), CL_EINVAL);
    assert_int_equal(cl_config_check("revops_id", "u-1", &err), CL_OK);
    assert_int_equal(cl_config_check("nope", "1", &err), CL_ENOTFOUND);
}

static void
test_record_kinds(void **state)
{
    (void)state;
    const char *names[] = {"users", "accounts", "deals", "churns",
                           "recoveries", "reviews", "cs_hours",
                           "arr_movements", "icp", "holidays"};
    for (int k = 0; k < CL_KIND_COUNT; k++) {
        assert_int_equal(cl_kind_from_name(names[k]), k);
        assert_string_equal(cl_kind_get(k)->name, names[k]);
    }
    assert_int_equal(cl_kind_from_name("tasks"), CL_KIND_NONE);
    const cl_kind_def *d = cl_kind_get(CL_KIND_DEALS);
    assert_int_equal(d->nfields, 17);
    assert_int_equal(cl_kind_field_index(d, "kickoff_on"), 16);
    assert_int_equal(cl_kind_field_index(d, "nope"), -1);
}

/* Issue 16: the code of a cause RevOps adds, from its label or entered. */
static void
test_cause_code_from_label(void **state)
{
    (void)state;
    char out[CL_CAUSE_CODE_MAX + 1];
    static const char *const cases[][2] = {
        {"Late invoicing", "late_invoicing"},
        {"Late invoices & billing", "late_invoices_billing"},
        {"  Price -- too HIGH!  ", "price_too_high"},
        {"already_a_code", "already_a_code"},
        {"2nd-line support", "c_2nd_line_support"},
        {"!!!", ""},
        {"", ""},
        {"Ünïcode label", "n_code_label"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cl_cause_code_from_label(cases[i][0], out, sizeof out);
        assert_string_equal(out, cases[i][1]);
    }
    /* Cut at the longest code, never ending in '_'. */
    cl_cause_code_from_label("A very long label that goes on and on beyond "
                             "forty characters",
                             out, sizeof out);
    assert_true(strlen(out) <= CL_CAUSE_CODE_MAX);
    assert_true(out[strlen(out) - 1] != '_');
    assert_int_equal(cl_cause_code_check(out, NULL), CL_OK);
}

static void
test_cause_code_check(void **state)
{
    (void)state;
    cl_error err;
    const char *good[] = {"late_invoicing", "ab", "x9_y",
                          "a234567890123456789012345678901234567890"};
    const char *bad[] = {
        "",       "a",  "Late",
        "9lives", "_x", "has space",
        "dash-y", NULL, "a2345678901234567890123456789012345678901"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(cl_cause_code_check(good[i], NULL), CL_OK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cl_error_clear(&err);
        assert_int_equal(cl_cause_code_check(bad[i], &err), CL_EINVAL);
        assert_string_equal(err.field, "code");
        assert_non_null(strstr(err.msg, "code: expected 2 to 40"));
    }
}

static void
test_badfit_parse_and_lookup(void **state)
{
    (void)state;
    for (int b = CL_BADFIT_NONE; b <= CL_BADFIT_OVER_PROMISED; b++)
        assert_int_equal(cl_badfit_parse(cl_badfit_code((cl_badfit)b)), b);
    assert_int_equal(cl_badfit_parse(NULL), CL_BADFIT_NONE);
    assert_int_equal(cl_badfit_parse("nonsense"), CL_BADFIT_NONE);
    /* NULL list: the defaults; a workspace's list: only its own. */
    assert_ptr_equal(cl_taxonomy_in(NULL, 0, "pricing"),
                     cl_taxonomy_find("pricing"));
    assert_null(cl_taxonomy_in(NULL, 0, NULL));
    cl_cause mine[] = {
        {"late_invoicing", "Late invoicing", "d", 0, CL_BADFIT_NONE, "", 1}};
    assert_ptr_equal(cl_taxonomy_in(mine, 1, "late_invoicing"), &mine[0]);
    assert_null(cl_taxonomy_in(mine, 1, "pricing"));
    assert_true(CL_TAXONOMY_MAX >= 13 && CL_TAXONOMY_MAX <= 32);
}

/* Issue 16: what a cause RevOps adds must have, field by field. */
static void
test_cause_check(void **state)
{
    (void)state;
    cl_error err;
    char long_label[CL_CAUSE_LABEL_MAX + 2];
    memset(long_label, 'x', sizeof long_label - 1);
    long_label[sizeof long_label - 1] = '\0';
    const cl_cause ok = {"late_invoicing",
                         "Late invoicing",
                         "Wrong invoices.",
                         0,
                         CL_BADFIT_NONE,
                         "",
                         0};
    assert_int_equal(cl_cause_check(&ok, "vp_cs", NULL), CL_OK);
    assert_int_equal(cl_cause_check(&ok, "none", NULL), CL_OK);
    const cl_cause deal = {
        "scope_creep", "Scope", "Sold too much.", 1, CL_BADFIT_OVER_PROMISED,
        NULL,          0};
    assert_int_equal(cl_cause_check(&deal, NULL, NULL), CL_OK);
    struct {
        cl_cause c;
        const char *owner, *field;
    } bad[] = {
        {{"late_invoicing", "", "d", 0, CL_BADFIT_NONE, "", 0},
         "vp_cs",
         "label"},
        {{"late_invoicing", long_label, "d", 0, CL_BADFIT_NONE, "", 0},
         "vp_cs",
         "label"},
        {{"late_invoicing", "L", NULL, 0, CL_BADFIT_NONE, "", 0},
         "vp_cs",
         "definition"},
        {{"", "L", "d", 0, CL_BADFIT_NONE, "", 0}, "vp_cs", "code"},
        {{"late_invoicing", "L", "d", 0, CL_BADFIT_WRONG_ICP, "", 0},
         "vp_cs",
         "category"},
        {{"late_invoicing", "L", "d", 0, CL_BADFIT_NONE, "", 0},
         NULL,
         "owner_role"},
        {{"late_invoicing", "L", "d", 0, CL_BADFIT_NONE, "", 0},
         "boss",
         "owner_role"},
        {{"scope_creep", "L", "d", 1, CL_BADFIT_NONE, "", 0},
         "vp_sales",
         "owner_role"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cl_error_clear(&err);
        assert_int_equal(cl_cause_check(&bad[i].c, bad[i].owner, &err),
                         CL_EINVAL);
        assert_string_equal(err.field, bad[i].field);
        assert_int_equal(strncmp(err.msg, bad[i].field, strlen(bad[i].field)),
                         0);
        assert_null(strchr(err.msg, '\n'));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thirteen_causes_in_design_order),
        cmocka_unit_test(test_sales_attributable_are_the_first_five),
        cmocka_unit_test(test_bad_fit_categories),
        cmocka_unit_test(test_threshold_defaults),
        cmocka_unit_test(test_threshold_ranges),
        cmocka_unit_test(test_config_key_ranges),
        cmocka_unit_test(test_record_kinds),
        cmocka_unit_test(test_cause_code_from_label),
        cmocka_unit_test(test_cause_code_check),
        cmocka_unit_test(test_badfit_parse_and_lookup),
        cmocka_unit_test(test_cause_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
