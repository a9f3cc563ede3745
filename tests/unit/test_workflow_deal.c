/*
 * Unit tests: workflow_deal.c, the rules about deals with fixed clocks:
 * the won-deal review (rule 1) and recovery links (rule 3).
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

static cl_wf_review
good_review(void)
{
    cl_wf_review r = {
        {"New CFO mandated consolidation of tools",
         "Champion's bonus depends on cutting close time by 3 days",
         "Security review nearly stalled it for six weeks",
         "Promised SSO by Q3 and a dedicated onboarding lead",
         "Close time under 5 days by month 4 expands to EMEA",
         "Champion may move to the parent company next year",
         "Renews if the EMEA rollout lands before budget season"},
        "positive",
        0};
    r.held_on = D("2026-07-20");
    return r;
}

static void
test_review_due_skips_weekends(void **state)
{
    (void)state;
    cl_wf_config c = config();
    /* Wednesday 2026-07-15: Thu, Fri, Mon, Tue, Wed -> 2026-07-22. */
    assert_day(cl_wf_review_due(&c, NULL, D("2026-07-15"), CL_WF_NO_DAY),
               "2026-07-22");
    /* Friday 2026-07-17 -> the following Friday. */
    assert_day(cl_wf_review_due(&c, NULL, D("2026-07-17"), CL_WF_NO_DAY),
               "2026-07-24");
    /* A close on Saturday 2026-07-18 counts from the Monday after it:
       Mon 20 is the first, Fri 24 the fifth. */
    assert_day(cl_wf_review_due(&c, NULL, D("2026-07-18"), CL_WF_NO_DAY),
               "2026-07-24");
}

static void
test_review_due_friday_close_before_monday_holiday(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_day hol[] = {D("2026-07-06")};
    cl_calendar cal = {hol, 1};
    /* Close Friday 2026-07-03; Monday 07-06 is a holiday.  Counting
       business days after the close: Tue 07 (1), Wed 08 (2), Thu 09 (3),
       Fri 10 (4), [Sat 11, Sun 12 skipped], Mon 13 (5).  Without the
       holiday it would be Friday 07-10; the holiday pushes it one business
       day on, over the weekend, to Monday 2026-07-13. */
    assert_day(cl_wf_review_due(&c, &cal, D("2026-07-03"), CL_WF_NO_DAY),
               "2026-07-13");
    assert_day(cl_wf_review_due(&c, NULL, D("2026-07-03"), CL_WF_NO_DAY),
               "2026-07-10");
}

static void
test_review_due_before_an_early_kickoff(void **state)
{
    (void)state;
    cl_wf_config c = config();
    /* Close Wed 07-15 (5 business days: Wed 07-22); kickoff Mon 07-20:
       the business day before it is Fri 07-17, which is earlier. */
    assert_day(cl_wf_review_due(&c, NULL, D("2026-07-15"), D("2026-07-20")),
               "2026-07-17");
    /* Kickoff Tue 07-21 with Mon 07-20 a holiday: the business day before
       is again Fri 07-17. */
    cl_day hol[] = {D("2026-07-20")};
    cl_calendar cal = {hol, 1};
    assert_day(cl_wf_review_due(&c, &cal, D("2026-07-15"), D("2026-07-21")),
               "2026-07-17");
    /* A kickoff after the five days does not move the due day. */
    assert_day(cl_wf_review_due(&c, NULL, D("2026-07-15"), D("2026-07-30")),
               "2026-07-22");
    /* Kickoff the day after the close: the day before is the close day. */
    assert_day(cl_wf_review_due(&c, NULL, D("2026-07-15"), D("2026-07-16")),
               "2026-07-15");
    /* Kickoff on or before the close: due on the close day. */
    assert_day(cl_wf_review_due(&c, NULL, D("2026-07-15"), D("2026-07-15")),
               "2026-07-15");
    assert_day(cl_wf_review_due(&c, NULL, D("2026-07-15"), D("2026-07-01")),
               "2026-07-15");
    /* Close on Saturday, kickoff Monday: the business day before Monday is
       Friday, before the close, so the close day it is. */
    assert_day(cl_wf_review_due(&c, NULL, D("2026-07-18"), D("2026-07-20")),
               "2026-07-18");
}

static void
test_deal_won_creates_review_task(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_deal d = won_deal("2026-07-15", 1000);
    d.kickoff_on = D("2026-07-20");
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_error err;
    assert_int_equal(cl_wf_deal_won(&c, NULL, &d, &l, &err), CL_OK);
    assert_int_equal(l.n, 2);
    const cl_wf_effect *e = must_key(&l, "won_deal_review:D123");
    assert_int_equal(e->kind, CL_WF_CREATE_TASK);
    assert_string_equal(e->what, "won_deal_review");
    assert_string_equal(e->subject_kind, "deal");
    assert_string_equal(e->subject_id, "D123");
    assert_string_equal(e->recipient_id, "CSM1");
    assert_day(e->due_on, "2026-07-17");
    assert_string_equal(e->attendees, "AE1");
    /* Issue 14: the AE is asked for its answers at once. */
    e = must_key(&l, "review_answers:D123");
    assert_int_equal(e->kind, CL_WF_CREATE_TASK);
    assert_string_equal(e->recipient_id, "AE1");
    assert_day(e->due_on, "2026-07-17");
    assert_string_equal(e->title,
                        "Answer the won-deal review questions for deal D123");
    cl_wf_effects_release(&l);

    /* Plain language (issue 16): the deal by its account's name. */
    d.account_name = "Acme Corp";
    assert_int_equal(cl_wf_deal_won(&c, NULL, &d, &l, &err), CL_OK);
    assert_string_equal(must_key(&l, "won_deal_review:D123")->title,
                        "Won-deal review for the deal with Acme Corp");
    assert_string_equal(must_key(&l, "review_answers:D123")->title,
                        "Answer the won-deal review questions for the deal "
                        "with Acme Corp");
    cl_wf_effects_release(&l);
}

static void
test_deal_won_senior_attendee_at_threshold(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_wf_deal d = won_deal("2026-07-15", 50000);
    assert_int_equal(cl_wf_deal_won(&c, NULL, &d, &l, NULL), CL_OK);
    assert_string_equal(must_key(&l, "won_deal_review:D123")->attendees,
                        "AE1;CSMGR1");
    cl_wf_effects_release(&l);

    d.arr = 49999.99;
    assert_int_equal(cl_wf_deal_won(&c, NULL, &d, &l, NULL), CL_OK);
    assert_string_equal(must_key(&l, "won_deal_review:D123")->attendees, "AE1");
    cl_wf_effects_release(&l);

    /* No CS manager: RevOps attends instead. */
    d.arr = 80000;
    d.cs_manager_id = NULL;
    assert_int_equal(cl_wf_deal_won(&c, NULL, &d, &l, NULL), CL_OK);
    assert_string_equal(must_key(&l, "won_deal_review:D123")->attendees,
                        "AE1;RO1");
    cl_wf_effects_release(&l);

    /* No CSM on the account: the task goes to RevOps. */
    d.csm_id = "";
    assert_int_equal(cl_wf_deal_won(&c, NULL, &d, &l, NULL), CL_OK);
    assert_string_equal(must_key(&l, "won_deal_review:D123")->recipient_id,
                        "RO1");
    cl_wf_effects_release(&l);
}

static void
test_deal_won_refuses_open_deal(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_deal d = won_deal("2026-07-15", 1000);
    d.stage = "negotiation";
    d.account_name = "Acme Corp";
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_error err;
    assert_int_equal(cl_wf_deal_won(&c, NULL, &d, &l, &err), CL_EINVAL);
    const cl_wf_effect *e = cl_wf_effects_error(&l);
    assert_non_null(e);
    assert_int_equal(e->code, CL_EINVAL);
    /* Issue 16: the refusal names the deal by its account, not its id. */
    assert_string_equal(err.msg, "The deal with Acme Corp is not closed won");
    assert_int_equal(count_kind(&l, CL_WF_CREATE_TASK), 0);
    cl_wf_effects_release(&l);
}

#define NO CL_WF_NO_DAY
#define HELD CL_WF_KICKOFF_HELD
#define IMPORTED CL_WF_KICKOFF_IMPORTED

static void
test_kickoff_before_review_needs_override(void **state)
{
    (void)state;
    cl_wf_deal d = won_deal("2026-07-15", 1000);
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_error err;
    assert_int_equal(cl_wf_kickoff_gate(&d, NO, D("2026-07-16"), HELD, NULL,
                                        "CSM1", &l, &err),
                     CL_ECONFLICT);
    assert_string_equal(err.msg,
                        "kickoff_on: this deal has no won-deal review "
                        "recorded; record it first or give an override "
                        "reason");
    assert_int_equal(cl_wf_effects_error(&l)->code, CL_ECONFLICT);
    cl_wf_effects_release(&l);

    assert_int_equal(cl_wf_kickoff_gate(&d, NO, D("2026-07-16"), HELD, "  ",
                                        "CSM1", &l, &err),
                     CL_ECONFLICT);
    cl_wf_effects_release(&l);

    assert_int_equal(cl_wf_kickoff_gate(&d, NO, D("2026-07-16"), HELD,
                                        "customer moved the date", "CSM1", &l,
                                        &err),
                     CL_OK);
    assert_int_equal(l.n, 1);
    const cl_wf_effect *e = must_key(&l, "kickoff_override:D123");
    assert_int_equal(e->kind, CL_WF_AUDIT);
    assert_string_equal(e->what, "kickoff_override");
    assert_string_equal(e->actor_id, "CSM1");
    assert_string_equal(e->body, "customer moved the date");
    assert_string_equal(e->new_value, "2026-07-16");
    cl_wf_effects_release(&l);
}

/* Issue 14: the gate compares dates; a review that exists but was held
   after the kickoff does not open it. */
static void
test_kickoff_gate_review_held_on_or_before_kickoff(void **state)
{
    (void)state;
    cl_wf_deal d = won_deal("2026-07-15", 1000);
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_error err;
    /* Held the day before, and the same day: open, no effects. */
    assert_int_equal(cl_wf_kickoff_gate(&d, D("2026-07-20"), D("2026-07-21"),
                                        HELD, NULL, "CSM1", &l, &err),
                     CL_OK);
    assert_int_equal(cl_wf_kickoff_gate(&d, D("2026-07-21"), D("2026-07-21"),
                                        HELD, NULL, "CSM1", &l, &err),
                     CL_OK);
    assert_int_equal(l.n, 0);
    /* Held the day after: refused, naming the field and both dates. */
    assert_int_equal(cl_wf_kickoff_gate(&d, D("2026-07-22"), D("2026-07-21"),
                                        HELD, NULL, "CSM1", &l, &err),
                     CL_ECONFLICT);
    assert_string_equal(err.msg,
                        "kickoff_on: 2026-07-21 is before the won-deal review "
                        "of this deal (held on 2026-07-22); give an override "
                        "reason to record it");
    assert_null(strchr(err.msg, '\n'));
    cl_wf_effects_release(&l);
    /* ... unless overridden, audited. */
    assert_int_equal(cl_wf_kickoff_gate(&d, D("2026-07-22"), D("2026-07-21"),
                                        HELD, "exec asked", "CSM1", &l, &err),
                     CL_OK);
    assert_string_equal(must_key(&l, "kickoff_override:D123")->body,
                        "exec asked");
    cl_wf_effects_release(&l);
}

/* Issue 14: an imported historic kickoff without a review is allowed
   (history from before closeloop); one before its review is not, and an
   import has no override. */
static void
test_kickoff_gate_import_allows_history_without_review(void **state)
{
    (void)state;
    cl_wf_deal d = won_deal("2026-07-15", 1000);
    d.account_name = "Acme Corp";
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_error err;
    assert_int_equal(cl_wf_kickoff_gate(&d, NO, D("2026-07-21"), IMPORTED, NULL,
                                        NULL, &l, &err),
                     CL_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(cl_wf_kickoff_gate(&d, D("2026-07-22"), D("2026-07-21"),
                                        IMPORTED, "reason", NULL, &l, &err),
                     CL_ECONFLICT);
    assert_string_equal(err.msg,
                        "kickoff_on: 2026-07-21 is before the won-deal review "
                        "of the deal with Acme Corp (held on 2026-07-22)");
    cl_wf_effects_release(&l);
}

static void
test_review_recorded_scores_and_flags(void **state)
{
    (void)state;
    cl_wf_deal d = won_deal("2026-07-15", 1000);
    d.icp_fit_score = 75;
    cl_wf_review r = good_review();
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_review_recorded(&d, &r, &l, NULL), CL_OK);
    assert_int_equal(count_kind(&l, CL_WF_FLAG), 0);
    const cl_wf_effect *e = must_key(&l, "health_score:D123");
    assert_int_equal(e->kind, CL_WF_SET);
    assert_string_equal(e->new_value, "95");
    e = must_key(&l, "done:won_deal_review:D123");
    assert_int_equal(e->kind, CL_WF_MARK_TASK);
    assert_string_equal(e->new_value, "done");
    assert_null(e->recipient_id);
    cl_wf_effects_release(&l);

    /* Generic Q2 and Q7, a generic Q1 (flagged, not scored), worried. */
    r.answers[0] = "tbd";
    r.answers[1] = "Seemed enthusiastic";
    r.answers[6] = "fine";
    r.gut_read = "worried";
    assert_int_equal(cl_wf_review_recorded(&d, &r, &l, NULL), CL_OK);
    assert_int_equal(count_kind(&l, CL_WF_FLAG), 3);
    e = must_key(&l, "review_flag:D123:q2");
    assert_string_equal(e->what, "generic_answer");
    assert_string_equal(e->new_value, "q2");
    assert_string_equal(e->body, "stock phrase");
    assert_string_equal(must_key(&l, "review_flag:D123:q7")->body,
                        "no name, number, date or commitment");
    must_key(&l, "review_flag:D123:q1");
    /* 50 - 25 - 10 + 5 - 10 + 10 = 20. */
    assert_string_equal(must_key(&l, "health_score:D123")->new_value, "20");
    cl_wf_effects_release(&l);
}

/* An imported review: the score the recorded review would get, and only
   that; no flags, no task marked, and a half-empty review is not refused. */
static void
test_imported_review_gets_only_its_score(void **state)
{
    (void)state;
    cl_wf_deal d = won_deal("2026-07-15", 1000);
    d.icp_fit_score = 35;
    cl_wf_review r = good_review();
    r.answers[0] = "tbd";
    r.answers[4] = "n/a";
    r.gut_read = "neutral";
    cl_wf_effects rec, imp;
    cl_wf_effects_init(&rec);
    cl_wf_effects_init(&imp);
    assert_int_equal(cl_wf_review_recorded(&d, &r, &rec, NULL), CL_OK);
    assert_int_equal(cl_wf_review_health("D123", &r, 35, &imp, NULL), CL_OK);
    assert_int_equal(imp.n, 1);
    const cl_wf_effect *e = must_key(&imp, "health_score:D123");
    assert_int_equal(e->kind, CL_WF_SET);
    assert_string_equal(e->what, "health_score");
    assert_string_equal(e->subject_kind, "deal");
    assert_string_equal(e->subject_id, "D123");
    /* 50 + 5 - 10 + 5 - 15 = 35, as when recorded. */
    assert_string_equal(e->new_value, "35");
    assert_true(e->value == 35);
    assert_string_equal(e->new_value,
                        must_key(&rec, "health_score:D123")->new_value);
    cl_wf_effects_release(&rec);
    cl_wf_effects_release(&imp);

    /* Missing Q2 and Q7 count as generic, an unknown gut read as neutral,
       an unknown fit as nothing: 50 - 10 + 5 - 10 = 35. */
    cl_wf_review sparse = {{NULL}, NULL, CL_WF_NO_DAY};
    sparse.answers[4] = "Close time under 5 days by month 4 expands to EMEA";
    assert_int_equal(cl_wf_review_health("D9", &sparse, -1, &imp, NULL), CL_OK);
    assert_int_equal(imp.n, 1);
    assert_string_equal(must_key(&imp, "health_score:D9")->new_value, "35");
    assert_int_equal(count_kind(&imp, CL_WF_FLAG), 0);
    assert_int_equal(count_kind(&imp, CL_WF_MARK_TASK), 0);
    cl_wf_effects_release(&imp);
}

static void
test_review_needs_all_seven_answers(void **state)
{
    (void)state;
    cl_wf_deal d = won_deal("2026-07-15", 1000);
    cl_wf_review r = good_review();
    r.answers[2] = NULL;
    r.answers[5] = "   ";
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_error err;
    assert_int_equal(cl_wf_review_recorded(&d, &r, &l, &err), CL_EINVAL);
    assert_non_null(strstr(err.msg, "missing q3, q6"));
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].kind, CL_WF_ERROR);
    cl_wf_effects_release(&l);

    r = good_review();
    r.gut_read = "great";
    assert_int_equal(cl_wf_review_recorded(&d, &r, &l, &err), CL_EINVAL);
    assert_non_null(strstr(err.msg, "great"));
    cl_wf_effects_release(&l);
}

static void
test_recovery_links_latest_lost_deal(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_deal others[4];
    others[0] = won_deal("2025-03-10", 0);
    others[0].id = "L1";
    others[0].stage = "closed_lost";
    others[1] = won_deal("2025-09-30", 0);
    others[1].id = "L2";
    others[1].stage = "closed_lost";
    others[2] = won_deal("2025-12-01", 0);
    others[2].id = "W1"; /* won, not a loss */
    /* Lost after the new deal was created: not its original. */
    others[3] = won_deal("2026-05-01", 0);
    others[3].id = "L3";
    others[3].stage = "closed_lost";
    cl_wf_deal nd = won_deal("2026-04-15", 0);
    nd.id = "N1";
    nd.stage = "discovery";
    nd.closed_on = CL_WF_NO_DAY;
    nd.created_on = D("2026-04-15");
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_deal_created(&c, &nd, others, 4, &l, NULL), CL_OK);
    const cl_wf_effect *e = must_key(&l, "recovery_link:N1");
    assert_int_equal(e->kind, CL_WF_LINK);
    assert_string_equal(e->subject_id, "N1");
    assert_string_equal(e->target_id, "L2");
    assert_near(e->value, 6, 0);
    e = must_key(&l, "recovery_classification:N1");
    assert_string_equal(e->recipient_id, "CSM1");
    assert_string_equal(e->subject_id, "N1");
    assert_int_equal(l.n, 2);
    cl_wf_effects_release(&l);

    /* No earlier loss: nothing to link. */
    assert_int_equal(cl_wf_deal_created(&c, &nd, &others[2], 2, &l, NULL),
                     CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);

    /* A renewal on the account is the customer staying, not a recovery;
       nor is a new deal after a lost expansion. */
    nd.type = "renewal";
    assert_int_equal(cl_wf_deal_created(&c, &nd, others, 4, &l, NULL), CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);
    nd.type = "new";
    others[0].type = others[1].type = "expansion";
    assert_int_equal(cl_wf_deal_created(&c, &nd, others, 4, &l, NULL), CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_review_due_skips_weekends),
        cmocka_unit_test(test_review_due_friday_close_before_monday_holiday),
        cmocka_unit_test(test_review_due_before_an_early_kickoff),
        cmocka_unit_test(test_deal_won_creates_review_task),
        cmocka_unit_test(test_deal_won_senior_attendee_at_threshold),
        cmocka_unit_test(test_deal_won_refuses_open_deal),
        cmocka_unit_test(test_kickoff_before_review_needs_override),
        cmocka_unit_test(test_kickoff_gate_review_held_on_or_before_kickoff),
        cmocka_unit_test(
            test_kickoff_gate_import_allows_history_without_review),
        cmocka_unit_test(test_review_recorded_scores_and_flags),
        cmocka_unit_test(test_imported_review_gets_only_its_score),
        cmocka_unit_test(test_review_needs_all_seven_answers),
        cmocka_unit_test(test_recovery_links_latest_lost_deal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
