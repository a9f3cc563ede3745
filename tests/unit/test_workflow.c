/*
 * Unit tests: the deal and churn rules of the loop engine (issue 4 rules 1,
 * 2, 3 and 7) with fixed clocks.
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

static cl_wf_config
config(void)
{
    cl_wf_config c;
    cl_wf_config_defaults(&c);
    c.revops_id = "RO1";
    c.marketing_id = "MK1";
    c.vp_sales_id = "VPS";
    return c;
}

static cl_wf_deal
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

/* ---- rule 1: won-deal review --------------------------------------------- */

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
    cl_wf_effects_release(&l);
}

/* Issue 14: the AE answers Q1-Q4 and Q7, before the review is held. */
static void
test_review_answers_are_the_aes_own_questions(void **state)
{
    (void)state;
    cl_wf_deal d = won_deal("2026-07-15", 1000);
    const char *none[7] = {NULL};
    const char *q5[7] = {NULL, NULL, NULL, NULL, "renews if", NULL, NULL};
    const char *q1[7] = {"Board mandate in March", NULL};
    const char *all[7] = {"a", "b", "c", "d", NULL, NULL, "g"};
    cl_wf_effects l;
    cl_error err;
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_review_answers(&d, 0, none, none, "AE1", &l, &err),
                     CL_EINVAL);
    cl_wf_effects_release(&l);
    assert_int_equal(cl_wf_review_answers(&d, 0, q5, q5, "AE1", &l, &err),
                     CL_EINVAL);
    assert_string_equal(err.msg, "q5: not the AE's question; the CSM answers "
                                 "it in the review");
    cl_wf_effects_release(&l);
    assert_int_equal(cl_wf_review_answers(&d, 1, q1, q1, "AE1", &l, &err),
                     CL_ECONFLICT);
    cl_wf_effects_release(&l);
    /* Part of them: audited, the task stays open. */
    assert_int_equal(cl_wf_review_answers(&d, 0, q1, q1, "AE1", &l, &err),
                     CL_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].kind, CL_WF_AUDIT);
    assert_string_equal(l.items[0].new_value, "q1");
    cl_wf_effects_release(&l);
    /* All five: the AE's task is done. */
    assert_int_equal(cl_wf_review_answers(&d, 0, q1, all, "AE1", &l, &err),
                     CL_OK);
    const cl_wf_effect *e = must_key(&l, "done:review_answers:D123");
    assert_int_equal(e->kind, CL_WF_MARK_TASK);
    assert_string_equal(e->recipient_id, "AE1");
    cl_wf_effects_release(&l);
}

/* Issue 14: check-ins 30/60/90 days after kickoff (close without one),
   each opening a week ahead; history beyond the lookback never opens. */
static void
test_review_checkins_open_a_week_ahead_of_kickoff_plus_days(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_deal d = won_deal("2026-07-15", 1000);
    cl_wf_effects l;
    cl_error err;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_review_checkins(&c, &d, 0, 0, D("2026-09-01"), 30, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 0); /* not reviewed */
    /* From the close: due 2026-08-14, opens 2026-08-07. */
    assert_int_equal(
        cl_wf_review_checkins(&c, &d, 1, 0, D("2026-08-06"), 30, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(
        cl_wf_review_checkins(&c, &d, 1, 0, D("2026-08-07"), 30, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 1);
    const cl_wf_effect *e = must_key(&l, "review_checkin_1:D123");
    assert_string_equal(e->what, "review_checkin_1");
    assert_string_equal(e->recipient_id, "CSM1");
    assert_day(e->due_on, "2026-08-14");
    cl_wf_effects_release(&l);
    /* A kickoff moves them: 2026-07-20 + 60 = 2026-09-18. */
    d.kickoff_on = D("2026-07-20");
    assert_int_equal(
        cl_wf_review_checkins(&c, &d, 1, 0, D("2026-09-11"), 30, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 2);
    assert_day(must_key(&l, "review_checkin_2:D123")->due_on, "2026-09-18");
    cl_wf_effects_release(&l);
    /* One already opened (for another CSM, before the account changed
       hands) is not opened again. */
    assert_int_equal(
        cl_wf_review_checkins(&c, &d, 1, 1u, D("2026-09-11"), 30, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 1);
    must_key(&l, "review_checkin_2:D123");
    cl_wf_effects_release(&l);
    /* Years later: all three are history. */
    assert_int_equal(
        cl_wf_review_checkins(&c, &d, 1, 0, D("2028-01-01"), 30, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);
}

/* Issue 14: a check-in records a health reading 0-100 and a note. */
static void
test_checkin_recorded_sets_health_with_its_source(void **state)
{
    (void)state;
    cl_wf_task t = {.id = "9",
                    .kind = "review_checkin_2",
                    .subject_kind = "deal",
                    .subject_id = "D123",
                    .assignee_id = "CSM1"};
    cl_wf_effects l;
    cl_error err;
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_checkin_recorded(&t, 101, "x", "CSM1", &l, &err),
                     CL_EINVAL);
    assert_string_equal(
        err.msg, "score: expected a whole number from 0 to 100, got 101");
    cl_wf_effects_release(&l);
    assert_int_equal(cl_wf_checkin_recorded(&t, 50, " ", "CSM1", &l, &err),
                     CL_EINVAL);
    cl_wf_effects_release(&l);
    assert_int_equal(
        cl_wf_checkin_recorded(&t, 64, "SSO live", "CSM1", &l, &err), CL_OK);
    const cl_wf_effect *e = must_key(&l, "health_checkin:9");
    assert_int_equal(e->kind, CL_WF_SET);
    assert_string_equal(e->what, "health_score");
    assert_string_equal(e->new_value, "64");
    assert_string_equal(e->title, "checkin");
    assert_string_equal(e->body, "SSO live");
    assert_int_equal(must_key(&l, "done:checkin:9")->kind, CL_WF_MARK_TASK);
    cl_wf_effects_release(&l);
    t.done = 1;
    assert_int_equal(cl_wf_checkin_recorded(&t, 64, "again", "CSM1", &l, &err),
                     CL_ECONFLICT);
    cl_wf_effects_release(&l);
    t.done = 0;
    t.kind = "won_deal_review";
    assert_int_equal(cl_wf_checkin_recorded(&t, 64, "x", "CSM1", &l, &err),
                     CL_EINVAL);
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
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_error err;
    assert_int_equal(cl_wf_deal_won(&c, NULL, &d, &l, &err), CL_EINVAL);
    const cl_wf_effect *e = cl_wf_effects_error(&l);
    assert_non_null(e);
    assert_int_equal(e->code, CL_EINVAL);
    assert_non_null(strstr(err.msg, "D123"));
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
                        "kickoff_on: deal D123 has no won-deal review "
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
                        "of deal D123 (held_on 2026-07-22); give an override "
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
                        "of deal D123 (held_on 2026-07-22)");
    cl_wf_effects_release(&l);
}

static void
test_health_score_formula(void **state)
{
    (void)state;
    /* 50 + 20 + 3 * 5 + 10 = 95, the best a review can give. */
    assert_int_equal(cl_wf_health_score(0, 0, 0, "positive", 70), 95);
    /* 50 + 0 + 15 + 0 (fit 69 is between the bands). */
    assert_int_equal(cl_wf_health_score(0, 0, 0, "neutral", 69), 65);
    /* Fit 40 is not below 40; fit 39 is: 65 - 15 = 50. */
    assert_int_equal(cl_wf_health_score(0, 0, 0, "neutral", 40), 65);
    assert_int_equal(cl_wf_health_score(0, 0, 0, "neutral", 39), 50);
    /* Unknown gut read and fit count as neutral and in-band. */
    assert_int_equal(cl_wf_health_score(0, 0, 0, NULL, -1), 65);
    /* One generic answer: 50 - 10 + 5 + 5 = 50. */
    assert_int_equal(cl_wf_health_score(1, 0, 0, NULL, -1), 50);
    /* 50 - 25 - 30 - 15 = -20, clamped to 0. */
    assert_int_equal(cl_wf_health_score(1, 1, 1, "worried", 10), 0);
    /* 50 - 25 + 15 = 40. */
    assert_int_equal(cl_wf_health_score(0, 0, 0, "worried", 55), 40);
}

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

/* ---- rule 2: churn --------------------------------------------------------
 */

static cl_wf_churn
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

/* ---- rule 2: routing of non-sales causes ----------------------------------
 */

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

/* ---- rule 3: recovery -----------------------------------------------------
 */

static void
test_whole_months(void **state)
{
    (void)state;
    assert_int_equal(cl_wf_whole_months(D("2026-01-31"), D("2026-02-28")), 1);
    assert_int_equal(cl_wf_whole_months(D("2026-01-15"), D("2026-02-14")), 0);
    assert_int_equal(cl_wf_whole_months(D("2026-01-15"), D("2026-02-15")), 1);
    assert_int_equal(cl_wf_whole_months(D("2025-09-30"), D("2026-04-15")), 6);
    assert_int_equal(cl_wf_whole_months(D("2025-11-10"), D("2027-01-10")), 14);
    assert_int_equal(cl_wf_whole_months(D("2026-05-01"), D("2026-04-01")), 0);
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

/* Rule 7, the open pipeline's flags: test_workflow_pipeline.c. */

static void
test_config_defaults_follow_the_taxonomy(void **state)
{
    (void)state;
    cl_wf_config c;
    cl_wf_config_defaults(&c);
    assert_near(c.icp_review_share, 0.25, 1e-12);
    assert_int_equal(c.icp_review_due_days, 30);
    assert_near(c.coaching_share, 0.20, 1e-12);
    assert_near(c.discovery_review_share, 0.20, 1e-12);
    assert_int_equal(c.enablement_review_recoveries, 3);
    assert_near(c.qualification_review_timing_share, 0.60, 1e-12);
    assert_int_equal(c.review_due_business_days, 5);
    assert_near(c.review_senior_arr, 50000, 0);
    assert_int_equal(c.debrief_due_business_days, 5);
    assert_int_equal(c.checkin_due_days, 30);
    assert_int_equal(c.champion_tenure_months, 6);
    assert_int_equal(c.slow_to_demo_days, 45);
    assert_int_equal(c.overdue_escalation_business_days, 2);
    assert_int_equal(c.checkin_escalation_business_days, 5);
    assert_null(c.revops_id);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_review_due_skips_weekends),
        cmocka_unit_test(test_review_due_friday_close_before_monday_holiday),
        cmocka_unit_test(test_review_due_before_an_early_kickoff),
        cmocka_unit_test(test_deal_won_creates_review_task),
        cmocka_unit_test(test_review_answers_are_the_aes_own_questions),
        cmocka_unit_test(
            test_review_checkins_open_a_week_ahead_of_kickoff_plus_days),
        cmocka_unit_test(test_checkin_recorded_sets_health_with_its_source),
        cmocka_unit_test(test_deal_won_senior_attendee_at_threshold),
        cmocka_unit_test(test_deal_won_refuses_open_deal),
        cmocka_unit_test(test_kickoff_before_review_needs_override),
        cmocka_unit_test(test_kickoff_gate_review_held_on_or_before_kickoff),
        cmocka_unit_test(
            test_kickoff_gate_import_allows_history_without_review),
        cmocka_unit_test(test_health_score_formula),
        cmocka_unit_test(test_review_recorded_scores_and_flags),
        cmocka_unit_test(test_imported_review_gets_only_its_score),
        cmocka_unit_test(test_review_needs_all_seven_answers),
        cmocka_unit_test(test_churn_recorded_creates_tagging_task),
        cmocka_unit_test(test_sales_attributable_tag_flags_ae_and_manager),
        cmocka_unit_test(test_not_attributable_tag_flags_no_one_in_sales),
        cmocka_unit_test(test_route_each_cause_to_its_role),
        cmocka_unit_test(test_route_role_nobody_holds_goes_to_revops),
        cmocka_unit_test(test_route_due_in_business_days_skips_holiday),
        cmocka_unit_test(test_route_setting_check),
        cmocka_unit_test(test_retag_moves_followup_to_new_owner),
        cmocka_unit_test(test_tag_change_audited_and_flags_once),
        cmocka_unit_test(test_tag_refuses_unknown_causes),
        cmocka_unit_test(test_churn_cannot_close_untagged),
        cmocka_unit_test(test_churn_close_needs_three_signals),
        cmocka_unit_test(test_closed_churn_tag_changes_only_after_reopen),
        cmocka_unit_test(test_whole_months),
        cmocka_unit_test(test_recovery_links_latest_lost_deal),
        cmocka_unit_test(test_config_defaults_follow_the_taxonomy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
