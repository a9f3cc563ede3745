/*
 * Unit tests: workflow_route.c, where a non-sales churn cause goes
 * (rule 2): an owner role per cause, a task due in business days, the
 * settings that change them, a retag that moves the follow-up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "wf_testutil.h"

#include "core/workflow.h"

/* The owners as the shell fills them: every non-sales cause with its
   default role and the first user of that role. */
static const cl_wf_route_owner owners[] = {
    {"failed_adoption", "vp_cs", "VPCS"},
    {"product_deficiency", "revops", "RO1"},
    {"poor_service", "vp_cs", "VPCS"},
    {"goals_not_met", "vp_cs", "VPCS"},
    {"competitive_loss", "marketing", "MK1"},
    {"pricing", "revops", "RO1"},
    {"business_change", "none", NULL},
    {"financial_distress", "vp_sales", "VPS"},
};

/* The user of the one cause_followup task of l, or NULL when none. */
static const char *
followup_of(const cl_wf_effects *l)
{
    const char *user = NULL;
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].kind == CL_WF_CREATE_TASK &&
            strcmp(l->items[i].what, "cause_followup") == 0) {
            assert_null(user);
            user = l->items[i].recipient_id;
        }
    return user;
}

static void
test_route_each_cause_to_its_role(void **state)
{
    (void)state;
    static const struct {
        const char *cause, *role, *user;
    } cases[] = {
        {"failed_adoption", "vp_cs", "VPCS"},
        {"product_deficiency", "revops", "RO1"},
        {"poor_service", "vp_cs", "VPCS"},
        {"goals_not_met", "vp_cs", "VPCS"},
        {"competitive_loss", "marketing", "MK1"},
        {"pricing", "revops", "RO1"},
        {"business_change", "none", NULL},
        {"financial_distress", "vp_sales", "VPS"},
        /* Sales-attributable causes follow the flag to Sales instead. */
        {"icp_miss", NULL, NULL},
        {"feature_overpromise", NULL, NULL},
        {"phantom_champion", NULL, NULL},
    };
    cl_wf_config c = config();
    c.route_owners = owners;
    c.nroute_owners = sizeof owners / sizeof owners[0];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cl_wf_churn ch = churn();
        ch.tag.primary_cause = cases[i].cause;
        cl_wf_effects l;
        cl_wf_effects_init(&l);
        const char *role = cl_wf_route_default(cases[i].cause);
        if (cases[i].role)
            assert_string_equal(role, cases[i].role);
        else
            assert_null(role);
        assert_int_equal(
            cl_wf_churn_routed(&c, NULL, &ch, D("2026-07-08"), &l, NULL),
            CL_OK);
        const char *user = followup_of(&l);
        if (cases[i].user == NULL) {
            assert_null(user);
            assert_int_equal(l.n, 0);
        } else {
            assert_non_null(user);
            assert_string_equal(user, cases[i].user);
            char key[96];
            snprintf(key, sizeof key, "cause_route:C9:%s:%s", cases[i].cause,
                     cases[i].user);
            assert_int_equal(must_key(&l, key)->kind, CL_WF_NOTIFY);
            assert_int_equal(l.n, 2);
        }
        cl_wf_effects_release(&l);
    }
}

static void
test_route_role_nobody_holds_goes_to_revops(void **state)
{
    (void)state;
    /* Marketing has no user yet; a setting moved pricing to cs_manager,
       whose first user is CSMGR1. */
    const cl_wf_route_owner set[] = {
        {"competitive_loss", "marketing", NULL},
        {"pricing", "cs_manager", "CSMGR1"},
    };
    cl_wf_config c = config();
    c.route_owners = set;
    c.nroute_owners = 2;
    static const struct {
        const char *cause, *user;
    } cases[] = {
        {"competitive_loss", "RO1"},
        {"pricing", "CSMGR1"},
        /* Not in the list: its default role, no user known: RevOps. */
        {"failed_adoption", "RO1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cl_wf_churn ch = churn();
        ch.tag.primary_cause = cases[i].cause;
        cl_wf_effects l;
        cl_wf_effects_init(&l);
        assert_int_equal(
            cl_wf_churn_routed(&c, NULL, &ch, D("2026-07-08"), &l, NULL),
            CL_OK);
        assert_string_equal(followup_of(&l), cases[i].user);
        cl_wf_effects_release(&l);
    }
    /* No RevOps either: nobody to give it to, no effects, no error. */
    c.revops_id = NULL;
    cl_wf_churn ch = churn();
    ch.tag.primary_cause = "competitive_loss";
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_churn_routed(&c, NULL, &ch, D("2026-07-08"), &l, NULL), CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);
}

static void
test_route_due_in_business_days_skips_holiday(void **state)
{
    (void)state;
    cl_day hol[] = {D("2026-07-06")};
    cl_calendar cal = {hol, 1};
    static const struct {
        int days;
        const char *today, *due;
    } cases[] = {
        /* Friday 07-03, Monday 07-06 a holiday: Tue 07 is the first. */
        {5, "2026-07-03", "2026-07-13"},
        {1, "2026-07-03", "2026-07-07"},
        {2, "2026-07-08", "2026-07-10"},
        /* Saturday counts from Monday 07-13. */
        {1, "2026-07-11", "2026-07-13"},
        {60, "2026-07-01", "2026-09-24"},
    };
    cl_wf_config c = config();
    c.route_owners = owners;
    c.nroute_owners = sizeof owners / sizeof owners[0];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        c.route_due_business_days = cases[i].days;
        cl_wf_churn ch = churn();
        ch.tag.primary_cause = "poor_service";
        cl_wf_effects l;
        cl_wf_effects_init(&l);
        assert_int_equal(
            cl_wf_churn_routed(&c, &cal, &ch, D(cases[i].today), &l, NULL),
            CL_OK);
        const cl_wf_effect *e = must_key(&l, "cause_followup:C9:VPCS");
        assert_day(e->due_on, cases[i].due);
        cl_wf_effects_release(&l);
    }
}

static void
test_route_setting_check(void **state)
{
    (void)state;
    static const struct {
        const char *key, *value;
        int known, valid;
    } cases[] = {
        {"route_due_business_days", "1", 1, 1},
        {"route_due_business_days", "60", 1, 1},
        {"route_due_business_days", "0", 1, 0},
        {"route_due_business_days", "61", 1, 0},
        {"route_due_business_days", "5x", 1, 0},
        {"route_due_business_days", "", 1, 0},
        {"route_pricing", "vp_cs", 1, 1},
        {"route_pricing", "none", 1, 1},
        {"route_pricing", "ceo", 1, 0},
        {"route_pricing", "", 1, 0},
        {"route_business_change", "revops", 1, 1},
        /* Sales causes are not routed by a setting. */
        {"route_icp_miss", "vp_sales", 0, 0},
        {"route_nonsense", "vp_cs", 0, 0},
        {"smtp_url", "smtp://x", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int known = -1;
        const char *why =
            cl_wf_route_setting_check(cases[i].key, cases[i].value, &known);
        assert_int_equal(known, cases[i].known);
        if (cases[i].valid)
            assert_null(why);
        else
            assert_non_null(why);
    }
}

static void
test_retag_moves_followup_to_new_owner(void **state)
{
    (void)state;
    cl_wf_config c = config();
    c.route_owners = owners;
    c.nroute_owners = sizeof owners / sizeof owners[0];
    static const struct {
        const char *from, *to, *closed, *created;
    } cases[] = {
        /* Another owner: the first task closes, the new owner gets one. */
        {"failed_adoption", "competitive_loss", "VPCS", "MK1"},
        /* The same owner keeps its one task (told by a new notice). */
        {"failed_adoption", "poor_service", NULL, "VPCS"},
        /* Monitored only, or a sales cause: the task closes. */
        {"pricing", "business_change", "RO1", NULL},
        {"pricing", "icp_miss", "RO1", NULL},
        /* From a monitored or sales cause there is nothing to close. */
        {"business_change", "pricing", NULL, "RO1"},
        {"icp_miss", "pricing", NULL, "RO1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cl_wf_churn ch = churn();
        ch.tag.primary_cause = cases[i].from;
        ch.sales_flagged = 1;
        cl_wf_tag t = {cases[i].to, NULL, NULL, NULL, NULL};
        cl_wf_effects l;
        cl_wf_effects_init(&l);
        assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSM1",
                                            D("2026-07-08"), &l, NULL),
                         CL_OK);
        char key[96];
        if (cases[i].closed) {
            snprintf(key, sizeof key, "done:cause_followup:C9:%s",
                     cases[i].closed);
            const cl_wf_effect *e = must_key(&l, key);
            assert_int_equal(e->kind, CL_WF_MARK_TASK);
            assert_string_equal(e->recipient_id, cases[i].closed);
            snprintf(key, sizeof key, "cause_followup_superseded:C9:%s>%s",
                     cases[i].from, cases[i].to);
            e = must_key(&l, key);
            assert_int_equal(e->kind, CL_WF_AUDIT);
            assert_string_equal(e->actor_id, "CSM1");
        }
        assert_int_equal(count_kind(&l, CL_WF_MARK_TASK),
                         1 + (cases[i].closed != NULL));
        assert_int_equal(count_kind(&l, CL_WF_AUDIT),
                         1 + (cases[i].closed != NULL));
        const char *user = followup_of(&l);
        if (cases[i].created) {
            assert_non_null(user);
            assert_string_equal(user, cases[i].created);
        } else {
            assert_null(user);
        }
        cl_wf_effects_release(&l);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_each_cause_to_its_role),
        cmocka_unit_test(test_route_role_nobody_holds_goes_to_revops),
        cmocka_unit_test(test_route_due_in_business_days_skips_holiday),
        cmocka_unit_test(test_route_setting_check),
        cmocka_unit_test(test_retag_moves_followup_to_new_owner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
