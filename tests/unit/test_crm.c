/* Unit tests: the write-back's mapping onto CRM records (core/crm.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/crm.h"

static void
test_parse(void **state)
{
    (void)state;
    cl_crm c;
    assert_int_equal(cl_crm_parse("off", &c), 0);
    assert_int_equal(c, CL_CRM_OFF);
    assert_int_equal(cl_crm_parse("", &c), 0);
    assert_int_equal(c, CL_CRM_OFF);
    assert_int_equal(cl_crm_parse("hubspot", &c), 0);
    assert_int_equal(c, CL_CRM_HUBSPOT);
    assert_int_equal(cl_crm_parse("salesforce", &c), 0);
    assert_int_equal(c, CL_CRM_SALESFORCE);
    assert_int_equal(cl_crm_parse("HubSpot", &c), -1);
    assert_int_equal(cl_crm_parse("pipedrive", &c), -1);
}

static void
test_record_ids(void **state)
{
    (void)state;
    assert_true(cl_crm_id_ok(CL_CRM_HUBSPOT, "4711"));
    assert_false(cl_crm_id_ok(CL_CRM_HUBSPOT, "A-1"));
    assert_false(cl_crm_id_ok(CL_CRM_HUBSPOT, ""));
    assert_false(cl_crm_id_ok(CL_CRM_HUBSPOT, "123456789012345678901"));
    assert_true(cl_crm_id_ok(CL_CRM_SALESFORCE, "001Aa000001AbCd"));
    assert_true(cl_crm_id_ok(CL_CRM_SALESFORCE, "001Aa000001AbCdAAA"));
    assert_false(cl_crm_id_ok(CL_CRM_SALESFORCE, "001Aa000001AbC"));
    assert_false(cl_crm_id_ok(CL_CRM_SALESFORCE, "001Aa000001AbC/"));
    assert_false(cl_crm_id_ok(CL_CRM_OFF, "4711"));
}

static void
test_paths(void **state)
{
    (void)state;
    char p[128];
    assert_int_equal(cl_crm_path(CL_CRM_HUBSPOT, NULL, 0, "4711", p, sizeof p),
                     0);
    assert_string_equal(p, "/crm/v3/objects/companies/4711");
    assert_int_equal(cl_crm_path(CL_CRM_HUBSPOT, NULL, 1, "90210", p, sizeof p),
                     0);
    assert_string_equal(p, "/crm/v3/objects/deals/90210");
    assert_int_equal(cl_crm_path(CL_CRM_SALESFORCE, "v60.0", 1,
                                 "006Aa000002XyZw", p, sizeof p),
                     0);
    assert_string_equal(p, "/services/data/v60.0/sobjects/Opportunity/"
                           "006Aa000002XyZw");
    assert_int_equal(cl_crm_path(CL_CRM_SALESFORCE, "60.0", 0,
                                 "001Aa000001AbCd", p, sizeof p),
                     -1);
    assert_int_equal(cl_crm_path(CL_CRM_HUBSPOT, NULL, 0, "../x", p, sizeof p),
                     -1);
    assert_int_equal(cl_crm_path(CL_CRM_HUBSPOT, NULL, 0, "4711", p, 10), -1);
}

/* Every field has a property in both CRMs, Salesforce's custom fields end
   in __c, and no two fields share one. */
static void
test_properties(void **state)
{
    (void)state;
    for (int f = 0; f < CL_CRMF_COUNT; f++) {
        const char *h = cl_crm_property(CL_CRM_HUBSPOT, (cl_crm_field)f);
        const char *s = cl_crm_property(CL_CRM_SALESFORCE, (cl_crm_field)f);
        assert_non_null(h);
        assert_non_null(s);
        assert_int_equal(strncmp(h, "closeloop_", 10), 0);
        assert_string_equal(s + strlen(s) - 3, "__c");
        for (int g = 0; g < f; g++)
            assert_string_not_equal(
                h, cl_crm_property(CL_CRM_HUBSPOT, (cl_crm_field)g));
    }
    assert_null(cl_crm_property(CL_CRM_OFF, CL_CRMF_ROOT_CAUSE));
    assert_string_equal(cl_crm_property(CL_CRM_SALESFORCE, CL_CRMF_HEALTH),
                        "Closeloop_Health_Score__c");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_record_ids),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
