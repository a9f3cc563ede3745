/*
 * Unit tests: workflow_churn.c, the churn rules (rule 2) with fixed
 * clocks: the tagging task, the tag and its audit, the flag to Sales, closing
 * and reopening.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "wf_testutil.h"

#include "core/workflow.h"

static void
test_churn_recorded_creates_tagging_task(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_day hol[] = {D("2026-07-06")};
    cl_calendar cal = {hol, 1};
    cl_wf_churn ch = churn();
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_churn_recorded(&c, &cal, &ch, &l, NULL), CL_OK);
    assert_int_equal(l.n, 1);
    const cl_wf_effect *e = must_key(&l, "churn_tagging:C9");
    assert_string_equal(e->what, "churn_tagging");
    assert_string_equal(e->subject_kind, "churn");
    assert_string_equal(e->recipient_id, "CSM1");
    /* Friday 07-03, Monday holiday: as the review, Monday 07-13. */
    assert_day(e->due_on, "2026-07-13");
    cl_wf_effects_release(&l);

    /* Already tagged on arrival: no task. */
    ch.tag.primary_cause = "pricing";
    assert_int_equal(cl_wf_churn_recorded(&c, &cal, &ch, &l, NULL), CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);
}

static void
test_sales_attributable_tag_flags_ae_and_manager(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_churn ch = churn();
    cl_wf_tag t = {"feature_overpromise", "pricing;poor_service",
                   "They said SSO was never delivered",
                   "Promised SSO missing, champion lost face",
                   "AE promised a roadmap date in the last call"};
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    /* Tagged Wednesday 2026-07-08: debrief due Wednesday 2026-07-15. */
    assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSM1",
                                        D("2026-07-08"), &l, NULL),
                     CL_OK);
    const cl_wf_effect *e = must_key(&l, "churn_flag:C9:AE1");
    assert_int_equal(e->kind, CL_WF_NOTIFY);
    assert_string_equal(e->what, "churn_flag");
    assert_string_equal(e->recipient_id, "AE1");
    assert_non_null(strstr(e->body, "SSO was never delivered"));
    assert_string_equal(must_key(&l, "churn_flag:C9:SM1")->recipient_id, "SM1");
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 2);
    e = must_key(&l, "debrief:C9:AE1");
    assert_int_equal(e->kind, CL_WF_CREATE_TASK);
    assert_string_equal(e->what, "debrief");
    assert_day(e->due_on, "2026-07-15");
    assert_string_equal(e->attendees, "AE1;CSM1");
    assert_day(must_key(&l, "debrief:C9:CSM1")->due_on, "2026-07-15");
    assert_int_equal(count_kind(&l, CL_WF_CREATE_TASK), 2);
    e = must_key(&l, "sales_flagged:C9");
    assert_int_equal(e->kind, CL_WF_SET);
    e = must_key(&l, "done:churn_tagging:C9");
    assert_int_equal(e->kind, CL_WF_MARK_TASK);
    assert_int_equal(count_kind(&l, CL_WF_AUDIT), 1);
    e = &l.items[0];
    assert_int_equal(e->kind, CL_WF_AUDIT);
    assert_string_equal(e->what, "churn_tagged");
    assert_null(e->old_value);
    assert_string_equal(
        e->new_value,
        "primary=feature_overpromise;contributing=pricing;poor_service");
    /* Without the account's name the texts fall back to the ids. */
    e = must_key(&l, "churn_flag:C9:AE1");
    assert_non_null(strstr(e->title, "Churn C9 tagged"));
    cl_wf_effects_release(&l);

    /* Plain language (issue 16): the account by name, causes by label. */
    ch.account_name = "Acme Corp";
    assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSM1",
                                        D("2026-07-08"), &l, NULL),
                     CL_OK);
    e = must_key(&l, "churn_flag:C9:AE1");
    assert_string_equal(e->title, "Acme Corp churned: tagged Feature "
                                  "over-promise, a deal-attributable cause");
    assert_non_null(strstr(e->body, "Acme Corp churned;"));
    assert_null(strstr(e->body, "C9"));
    assert_null(strstr(e->body, "_"));
    assert_string_equal(must_key(&l, "debrief:C9:AE1")->title,
                        "AE+CSM debrief (20 minutes) on the churn of Acme "
                        "Corp");
    cl_wf_effects_release(&l);
}

static void
test_not_attributable_tag_flags_no_one_in_sales(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_churn ch = churn();
    cl_wf_tag t = {"product_deficiency", NULL, "Reporting too slow",
                   "Known performance gap", NULL};
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSM1",
                                        D("2026-07-08"), &l, NULL),
                     CL_OK);
    /* No flag to Sales and no debrief; the cause's owner (RevOps, since
       no user is known here) gets the follow-up and its notice. */
    assert_null(find_key(&l, "churn_flag:C9:AE1"));
    assert_null(find_key(&l, "debrief:C9:AE1"));
    assert_null(find_key(&l, "sales_flagged:C9"));
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 1);
    assert_non_null(find_key(&l, "cause_route:C9:product_deficiency:RO1"));
    assert_int_equal(count_kind(&l, CL_WF_CREATE_TASK), 1);
    assert_non_null(find_key(&l, "cause_followup:C9:RO1"));
    assert_int_equal(count_kind(&l, CL_WF_AUDIT), 1);
    assert_int_equal(count_kind(&l, CL_WF_MARK_TASK), 1);
    cl_wf_effects_release(&l);
}

static void
test_tag_change_audited_and_flags_once(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_churn ch = churn();
    ch.tag.primary_cause = "pricing";
    cl_wf_tag t = {"icp_miss", NULL, NULL, NULL, NULL};
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    /* Not attributable -> attributable: audited, and the flag goes out. */
    assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSMGR1",
                                        D("2026-07-08"), &l, NULL),
                     CL_OK);
    const cl_wf_effect *e = &l.items[0];
    assert_int_equal(e->kind, CL_WF_AUDIT);
    assert_string_equal(e->what, "churn_tag_changed");
    assert_string_equal(e->actor_id, "CSMGR1");
    assert_string_equal(e->old_value, "primary=pricing;contributing=");
    assert_string_equal(e->new_value, "primary=icp_miss;contributing=");
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 2);
    cl_wf_effects_release(&l);

    /* The shell applied it: the churn is now flagged.  Another
       attributable cause is audited but flags nobody again. */
    ch.tag.primary_cause = "icp_miss";
    ch.sales_flagged = 1;
    t.primary_cause = "timeline_overpromise";
    assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSMGR1",
                                        D("2026-07-09"), &l, NULL),
                     CL_OK);
    assert_int_equal(count_kind(&l, CL_WF_AUDIT), 1);
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 0);
    assert_int_equal(count_kind(&l, CL_WF_CREATE_TASK), 0);
    cl_wf_effects_release(&l);

    /* Back to not attributable and to attributable again: still once. */
    ch.tag.primary_cause = "pricing";
    t.primary_cause = "phantom_champion";
    assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSMGR1",
                                        D("2026-07-10"), &l, NULL),
                     CL_OK);
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 0);
    cl_wf_effects_release(&l);

    /* The same tag again is no change: nothing to audit. */
    ch.tag.primary_cause = "phantom_champion";
    assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSMGR1",
                                        D("2026-07-10"), &l, NULL),
                     CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);
}

static void
test_tag_refuses_unknown_causes(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_churn ch = churn();
    cl_wf_tag t = {"bad_luck", NULL, NULL, NULL, NULL};
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_error err;
    assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSM1",
                                        D("2026-07-08"), &l, &err),
                     CL_EINVAL);
    assert_non_null(strstr(err.msg, "bad_luck"));
    cl_wf_effects_release(&l);
    t.primary_cause = "pricing";
    t.contributing_causes = "poor_service;weather";
    assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSM1",
                                        D("2026-07-08"), &l, &err),
                     CL_EINVAL);
    assert_non_null(strstr(err.msg, "weather"));
    assert_int_equal(l.n, 1);
    cl_wf_effects_release(&l);
    t.primary_cause = NULL;
    t.contributing_causes = NULL;
    assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSM1",
                                        D("2026-07-08"), &l, &err),
                     CL_EINVAL);
    cl_wf_effects_release(&l);
}

/* Issue 16: a workspace's own cause is taken and routed by its
   attributability; a retired one only where the old tag had it. */
static void
test_tag_takes_workspace_causes_not_retired_ones(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_cause mine[] = {
        {"pricing", "Pricing", "d", 0, CL_BADFIT_NONE, "", 0},
        {"scope_creep", "Scope promised away", "d", 1, CL_BADFIT_OVER_PROMISED,
         "", 0},
        {"late_invoicing", "Late invoicing", "d", 0, CL_BADFIT_NONE, "", 1},
    };
    c.causes = mine;
    c.ncauses = 3;
    cl_wf_churn ch = churn();
    cl_wf_tag t = {"scope_creep", "pricing", NULL, NULL, NULL};
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_error err;
    assert_int_equal(cl_wf_tag_retired_check(&c, NULL, &t, NULL), CL_OK);
    assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSM1",
                                        D("2026-07-08"), &l, &err),
                     CL_OK);
    /* Deal-attributable in this workspace: the AE is flagged. */
    assert_non_null(must_key(&l, "churn_flag:C9:AE1"));
    cl_wf_effects_release(&l);
    /* A default cause this workspace does not hold is refused. */
    t.primary_cause = "icp_miss";
    assert_int_equal(cl_wf_churn_tagged(&c, NULL, &ch, &t, "CSM1",
                                        D("2026-07-08"), &l, &err),
                     CL_EINVAL);
    cl_wf_effects_release(&l);

    /* Retired: refused as primary or contributing cause, naming the field
       and the label... */
    t.primary_cause = "late_invoicing";
    t.contributing_causes = NULL;
    cl_error_clear(&err);
    assert_int_equal(cl_wf_tag_retired_check(&c, NULL, &t, &err), CL_EINVAL);
    assert_string_equal(err.field, "primary_cause");
    assert_string_equal(err.msg, "primary_cause: 'Late invoicing' is retired "
                                 "and no longer taken for new tags; choose "
                                 "another cause");
    t.primary_cause = "pricing";
    t.contributing_causes = "scope_creep;late_invoicing";
    cl_error_clear(&err);
    assert_int_equal(cl_wf_tag_retired_check(&c, NULL, &t, &err), CL_EINVAL);
    assert_string_equal(err.field, "contributing_causes");
    /* ...but a tag that had it keeps it, as primary or contributing. */
    cl_wf_tag before = {"late_invoicing", NULL, NULL, NULL, NULL};
    assert_int_equal(cl_wf_tag_retired_check(&c, &before, &t, NULL), CL_OK);
    before.primary_cause = "pricing";
    before.contributing_causes = "late_invoicing";
    t.primary_cause = "late_invoicing";
    t.contributing_causes = NULL;
    assert_int_equal(cl_wf_tag_retired_check(&c, &before, &t, NULL), CL_OK);
    /* A code that only starts like the retired one is another cause. */
    before.contributing_causes = "late_invoicing_old";
    assert_int_equal(cl_wf_tag_retired_check(&c, &before, &t, NULL), CL_EINVAL);
    /* Without a workspace taxonomy nothing is retired. */
    c.causes = NULL;
    c.ncauses = 0;
    t.primary_cause = "pricing";
    assert_int_equal(cl_wf_tag_retired_check(&c, NULL, &t, NULL), CL_OK);
}

static void
test_churn_cannot_close_untagged(void **state)
{
    (void)state;
    cl_wf_churn ch = churn();
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_error err;
    assert_int_equal(cl_wf_churn_close(&ch, "CSM1", &l, &err), CL_ECONFLICT);
    assert_non_null(strstr(err.msg, "untagged"));
    assert_non_null(cl_wf_effects_error(&l));
    cl_wf_effects_release(&l);
    ch.tag = (cl_wf_tag){"pricing", NULL, "Too expensive for us",
                         "Budget cut after the merger",
                         "Procurement pushed back on price twice"};
    assert_int_equal(cl_wf_churn_close(&ch, "CSM1", &l, &err), CL_OK);
    assert_null(cl_wf_effects_error(&l));
    const cl_wf_effect *e = must_key(&l, "churn_closed:C9");
    assert_string_equal(e->what, "churn_closed");
    assert_string_equal(e->actor_id, "CSM1");
    assert_string_equal(e->new_value, "signals=known");
    cl_wf_effects_release(&l);
}

/* Issue 14: closing needs the three levels of signal; "not known" needs a
   reason and is counted in the audit. */
static void
test_churn_close_needs_three_signals(void **state)
{
    (void)state;
    cl_wf_effects l;
    cl_error err;
    static const struct {
        const char *stated, *diagnosis, *predictive;
        cl_err rc;
        const char *missing, *audit;
    } cases[] = {
        {NULL, "d", "p", CL_EINVAL, "stated reason", NULL},
        {"s", "", "p", CL_EINVAL, "CS diagnosis", NULL},
        {"s", "d", "  ", CL_EINVAL, "pre-sale behaviour", NULL},
        {"not known", "d", "p", CL_EINVAL, "stated reason", NULL},
        {"s", "Unknown:", "p", CL_EINVAL, "CS diagnosis", NULL},
        {"not known: the customer declined the exit call", "d", "p", CL_OK,
         NULL, "not_known=stated_reason"},
        {"s", "unknown - CSM left before the renewal",
         "Not known (deal predates the CRM)", CL_OK, NULL,
         "not_known=diagnosis;predictive_behavior"},
        {"Unknowns in the rollout plan", "d", "p", CL_OK, NULL,
         "signals=known"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cl_wf_churn ch = churn();
        ch.tag = (cl_wf_tag){"pricing", NULL, cases[i].stated,
                             cases[i].diagnosis, cases[i].predictive};
        cl_wf_effects_init(&l);
        cl_error_clear(&err);
        assert_int_equal(cl_wf_churn_close(&ch, "CSM1", &l, &err), cases[i].rc);
        if (cases[i].missing) {
            assert_non_null(strstr(err.msg, cases[i].missing));
            assert_non_null(strstr(err.msg, "not known: "));
        } else {
            assert_string_equal(must_key(&l, "churn_closed:C9")->new_value,
                                cases[i].audit);
        }
        cl_wf_effects_release(&l);
    }
}

/* Issue 14: a closed churn's tag changes only once reopened, with a
   reason that is audited. */
static void
test_closed_churn_tag_changes_only_after_reopen(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_calendar cal = {NULL, 0};
    cl_wf_churn ch = churn();
    ch.tag = (cl_wf_tag){"pricing", NULL, "s", "d", "p"};
    ch.closed_on = D("2026-07-10");
    cl_wf_tag same = ch.tag;
    cl_wf_tag other = {"poor_service", NULL, "s", "d", "p"};
    cl_wf_effects l;
    cl_error err;
    cl_wf_effects_init(&l);
    /* The same tag again (a re-import) changes nothing and is no error. */
    assert_int_equal(cl_wf_churn_tagged(&c, &cal, &ch, &same, "CSM1",
                                        D("2026-07-13"), &l, &err),
                     CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_churn_tagged(&c, &cal, &ch, &other, "CSM1",
                                        D("2026-07-13"), &l, &err),
                     CL_ECONFLICT);
    assert_non_null(strstr(err.msg, "reopen"));
    cl_wf_effects_release(&l);
    /* Reopening: a reason is needed, and only a closed churn reopens. */
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_churn_reopen(&ch, "", "RO1", &l, &err), CL_EINVAL);
    cl_wf_effects_release(&l);
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_churn_reopen(&ch, "exit interview changed it", "RO1", &l, &err),
        CL_OK);
    const cl_wf_effect *e = must_key(&l, "churn_reopened:C9");
    assert_int_equal(e->kind, CL_WF_AUDIT);
    assert_string_equal(e->actor_id, "RO1");
    assert_string_equal(e->new_value, "open");
    assert_string_equal(e->body, "exit interview changed it");
    cl_wf_effects_release(&l);
    ch.closed_on = CL_WF_NO_DAY;
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_churn_reopen(&ch, "why", "RO1", &l, &err),
                     CL_ECONFLICT);
    cl_wf_effects_release(&l);
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_churn_tagged(&c, &cal, &ch, &other, "CSM1",
                                        D("2026-07-13"), &l, &err),
                     CL_OK);
    cl_wf_effects_release(&l);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_churn_recorded_creates_tagging_task),
        cmocka_unit_test(test_sales_attributable_tag_flags_ae_and_manager),
        cmocka_unit_test(test_not_attributable_tag_flags_no_one_in_sales),
        cmocka_unit_test(test_tag_change_audited_and_flags_once),
        cmocka_unit_test(test_tag_takes_workspace_causes_not_retired_ones),
        cmocka_unit_test(test_tag_refuses_unknown_causes),
        cmocka_unit_test(test_churn_cannot_close_untagged),
        cmocka_unit_test(test_churn_close_needs_three_signals),
        cmocka_unit_test(test_closed_churn_tag_changes_only_after_reopen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
