/*
 * Unit tests: workflow_cadence.c, the review sessions with fixed
 * clocks: the cadence at month, quarter and year ends (rule 4), the debrief's
 * one change (rule 5), the quarterly thresholds and their audiences and the
 * "what changed" note at close (rule 6).
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

/* The second quarter's sessions, opened on 2026-07-01, so that August's
   ticks below concern the month only. */
static const cl_wf_session q2_open[] = {{"1", "bad_fit_review", "2026Q2", 1},
                                        {"2", "icp_review", "2026Q2", 1},
                                        {"3", "recovery_review", "2026Q2", 0}};

static const cl_wf_session debrief = {"41", "monthly_debrief", "2026-07", 0};

static void
test_cadence_first_business_day_of_month(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    /* Saturday 2026-08-01: August's first business day is Monday 08-03. */
    assert_int_equal(cl_wf_cadence_tick(&c, NULL, T("2026-08-01T09:00"),
                                        q2_open, 3, &l, NULL),
                     CL_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(cl_wf_cadence_tick(&c, NULL, T("2026-08-03T00:00"),
                                        q2_open, 3, &l, NULL),
                     CL_OK);
    assert_int_equal(l.n, 1);
    const cl_wf_effect *e = must_key(&l, "cadence:monthly_debrief:2026-07");
    assert_int_equal(e->kind, CL_WF_OPEN_SESSION);
    assert_string_equal(e->what, "monthly_debrief");
    assert_string_equal(e->period, "2026-07");
    assert_string_equal(e->report, "monthly");
    assert_string_equal(e->recipient_id, "RO1");
    cl_wf_effects_release(&l);
}

static void
test_cadence_first_business_day_of_quarter(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    /* Thursday 2026-10-01. */
    assert_int_equal(
        cl_wf_cadence_tick(&c, NULL, T("2026-10-01T06:00"), NULL, 0, &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(must_key(&l, "cadence:monthly_debrief:2026-09")->report,
                        "monthly");
    assert_string_equal(must_key(&l, "cadence:bad_fit_review:2026Q3")->report,
                        "bad-fit");
    assert_string_equal(must_key(&l, "cadence:icp_review:2026Q3")->report,
                        "icp");
    const cl_wf_effect *e = must_key(&l, "cadence:recovery_review:2026Q3");
    assert_string_equal(e->report, "recovery");
    assert_string_equal(e->period, "2026Q3");
    assert_string_equal(e->recipient_id, "RO1");
    cl_wf_effects_release(&l);
}

static void
test_cadence_year_end_after_holiday(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_day hol[] = {D("2026-12-25"), D("2027-01-01")};
    cl_calendar cal = {hol, 2};
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    /* Friday 2027-01-01 is a holiday: nothing opens yet. */
    assert_int_equal(
        cl_wf_cadence_tick(&c, &cal, T("2027-01-01T12:00"), NULL, 0, &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 0);
    /* Monday 2027-01-04 opens December and the fourth quarter of 2026. */
    assert_int_equal(
        cl_wf_cadence_tick(&c, &cal, T("2027-01-04T08:00"), NULL, 0, &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 4);
    must_key(&l, "cadence:monthly_debrief:2026-12");
    must_key(&l, "cadence:bad_fit_review:2026Q4");
    must_key(&l, "cadence:icp_review:2026Q4");
    must_key(&l, "cadence:recovery_review:2026Q4");
    cl_wf_effects_release(&l);
}

static void
test_cadence_repeated_tick_same_keys(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_effects a, b;
    cl_wf_effects_init(&a);
    cl_wf_effects_init(&b);
    assert_int_equal(
        cl_wf_cadence_tick(&c, NULL, T("2026-10-01T06:00"), NULL, 0, &a, NULL),
        CL_OK);
    assert_int_equal(
        cl_wf_cadence_tick(&c, NULL, T("2026-10-01T06:00"), NULL, 0, &b, NULL),
        CL_OK);
    /* The shell inserts sessions under UNIQUE (kind, period): the second
       tick's effects hit the constraint and change nothing.  Same keys,
       same order, is what makes that work. */
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++)
        assert_string_equal(a.items[i].key, b.items[i].key);
    /* And once the shell has opened them, the rule itself skips them. */
    cl_wf_session open[4];
    for (size_t i = 0; i < a.n; i++) {
        open[i].id = "1";
        open[i].kind = a.items[i].what;
        open[i].period = a.items[i].period;
        open[i].closed = 0;
    }
    cl_wf_effects_release(&b);
    assert_int_equal(cl_wf_cadence_tick(&c, NULL, T("2026-10-01T06:00"), open,
                                        a.n, &b, NULL),
                     CL_OK);
    assert_int_equal(b.n, 0);
    cl_wf_effects_release(&a);
    cl_wf_effects_release(&b);
}

static void
test_cadence_mid_month_catch_up(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    /* No tick ran on 08-03: the 08-17 tick still opens July's debrief. */
    assert_int_equal(cl_wf_cadence_tick(&c, NULL, T("2026-08-17T09:00"),
                                        q2_open, 3, &l, NULL),
                     CL_OK);
    assert_int_equal(l.n, 1);
    must_key(&l, "cadence:monthly_debrief:2026-07");
    cl_wf_effects_release(&l);
    /* Without the Q2 sessions, the same tick opens them too. */
    assert_int_equal(
        cl_wf_cadence_tick(&c, NULL, T("2026-08-17T09:00"), NULL, 0, &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 4);
    must_key(&l, "cadence:recovery_review:2026Q2");
    cl_wf_effects_release(&l);
    /* Mid-quarter (2026-11-16), the Q3 sessions are still owed if missing. */
    cl_wf_session have[] = {{"5", "monthly_debrief", "2026-10", 1},
                            {"6", "bad_fit_review", "2026Q3", 0}};
    assert_int_equal(
        cl_wf_cadence_tick(&c, NULL, T("2026-11-16T09:00"), have, 2, &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 2);
    must_key(&l, "cadence:icp_review:2026Q3");
    must_key(&l, "cadence:recovery_review:2026Q3");
    cl_wf_effects_release(&l);
}

static void
test_process_change_exactly_one(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_error err;
    assert_int_equal(cl_wf_process_change_recorded(
                         &c, &debrief, NULL, "VPS",
                         "Add a security review step before proposal",
                         D("2026-08-05"), &l, &err),
                     CL_OK);
    const cl_wf_effect *e = must_key(&l, "process_change:41");
    assert_int_equal(e->kind, CL_WF_PROCESS_CHANGE);
    assert_string_equal(e->recipient_id, "VPS");
    assert_day(e->due_on, "2026-09-04"); /* 30 calendar days */
    e = must_key(&l, "process_change_checkin:41");
    assert_int_equal(e->kind, CL_WF_CREATE_TASK);
    assert_string_equal(e->recipient_id, "VPS");
    assert_day(e->due_on, "2026-09-04");
    cl_wf_effects_release(&l);

    cl_wf_process_change pc = {
        "9",          "41", "VPS", "Add a security review", D("2026-09-04"),
        CL_WF_NO_DAY, 0,    0};
    assert_int_equal(cl_wf_process_change_recorded(&c, &debrief, &pc, "AE1",
                                                   "A second change",
                                                   D("2026-08-06"), &l, &err),
                     CL_ECONFLICT);
    assert_non_null(strstr(err.msg, "exactly one"));
    assert_int_equal(l.n, 1);
    cl_wf_effects_release(&l);

    cl_wf_session bf = {"42", "bad_fit_review", "2026Q3", 0};
    assert_int_equal(cl_wf_process_change_recorded(&c, &bf, NULL, "VPS", "x",
                                                   D("2026-08-06"), &l, &err),
                     CL_ECONFLICT);
    cl_wf_effects_release(&l);
    cl_wf_session closed = debrief;
    closed.closed = 1;
    assert_int_equal(cl_wf_process_change_recorded(&c, &closed, NULL, "VPS",
                                                   "x", D("2026-08-06"), &l,
                                                   &err),
                     CL_ECONFLICT);
    cl_wf_effects_release(&l);
    assert_int_equal(cl_wf_process_change_recorded(&c, &debrief, NULL, " ", "x",
                                                   D("2026-08-06"), &l, &err),
                     CL_EINVAL);
    cl_wf_effects_release(&l);
}

static void
test_session_close_rules_and_what_changed(void **state)
{
    (void)state;
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_error err;
    const char *csms[] = {"CSM1", "CSM2", ""};
    assert_int_equal(
        cl_wf_session_close(&debrief, NULL, NULL, 0, csms, 3, &l, &err),
        CL_ECONFLICT);
    assert_non_null(strstr(err.msg, "process change"));
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 0);
    cl_wf_effects_release(&l);

    cl_wf_process_change pc = {
        "9",          "41", "VPS", "Add a security review", D("2026-09-04"),
        CL_WF_NO_DAY, 0,    0};
    const char *decisions[] = {"Pricing page copy to be reviewed"};
    assert_int_equal(
        cl_wf_session_close(&debrief, &pc, decisions, 1, csms, 3, &l, &err),
        CL_OK);
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 2);
    const cl_wf_effect *e = must_key(&l, "what_changed:monthly_debrief:"
                                         "2026-07:CSM1");
    assert_string_equal(e->what, "what_changed");
    /* Plain language: the session's kind in words, not its code. */
    assert_non_null(strstr(e->body, "What changed after Monthly debrief "
                                    "2026-07:"));
    assert_null(strstr(e->body, "monthly_debrief"));
    assert_non_null(strstr(e->body, "Add a security review"));
    assert_non_null(strstr(e->body, "check-in due 4 Sep 2026"));
    assert_non_null(strstr(e->body, "Pricing page copy"));
    must_key(&l, "what_changed:monthly_debrief:2026-07:CSM2");
    /* Without a name the owner is its id; with one, the name (issue 16). */
    assert_non_null(strstr(e->body, "(owner VPS,"));
    cl_wf_effects_release(&l);
    pc.owner_name = "Robin Vance";
    assert_int_equal(
        cl_wf_session_close(&debrief, &pc, decisions, 1, csms, 3, &l, &err),
        CL_OK);
    e = must_key(&l, "what_changed:monthly_debrief:2026-07:CSM1");
    assert_non_null(strstr(e->body, "(owner Robin Vance, check-in due"));
    assert_null(strstr(e->body, "VPS"));
    cl_wf_effects_release(&l);

    /* Quarterly sessions close without a process change. */
    cl_wf_session bf = {"42", "bad_fit_review", "2026Q3", 0};
    assert_int_equal(
        cl_wf_session_close(&bf, NULL, decisions, 1, csms, 2, &l, &err), CL_OK);
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 2);
    cl_wf_effects_release(&l);
    bf.closed = 1;
    assert_int_equal(
        cl_wf_session_close(&bf, NULL, decisions, 1, csms, 2, &l, &err),
        CL_ECONFLICT);
    cl_wf_effects_release(&l);
}

static void
test_what_changed_note_is_capped(void **state)
{
    (void)state;
    enum { N = 400 };
    static const char *decisions[N];
    for (int i = 0; i < N; i++)
        decisions[i] = "Qualification checklist gains a budget owner line";
    const char *csms[] = {"CSM1"};
    cl_wf_session bf = {"42", "bad_fit_review", "2026Q3", 0};
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_session_close(&bf, NULL, decisions, N, csms, 1, &l, NULL), CL_OK);
    const cl_wf_effect *e = must_key(&l, "what_changed:bad_fit_review:2026Q3:"
                                         "CSM1");
    size_t len = strlen(e->body);
    assert_true(len > 4096 && len < 8192);
    assert_non_null(strstr(e->body, "(more...)"));
    cl_wf_effects_release(&l);
}

static void
test_bad_fit_thresholds_and_audiences(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_session s = {"17", "bad_fit_review", "2026Q3", 0};
    cl_wf_ae_count by_ae[] = {
        {"AE1", "SM1", 3}, {"AE2", NULL, 2}, {"AE3", "SM1", 0}};
    cl_wf_quarter_figures f = {0};
    f.cohort_size = 20;
    f.wrong_icp_share = 0.30;
    f.over_promise_share = 0.25;
    f.misaligned_share = 0.20; /* at the threshold: does not fire */
    f.overpromise_by_ae = by_ae;
    f.n_overpromise_by_ae = 3;
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_session_opened(&c, &s, &f, D("2026-10-01"), &l, NULL), CL_OK);
    assert_int_equal(count_kind(&l, CL_WF_FIRE_TRIGGER), 3);
    const cl_wf_effect *e = must_key(&l, "trigger:icp_review_share:2026Q3");
    assert_int_equal(e->fired, 1);
    assert_near(e->value, 0.30, 1e-12);
    assert_near(e->threshold, 0.25, 1e-12);
    assert_string_equal(e->subject_id, "17");
    assert_int_equal(must_key(&l, "trigger:coaching_share:2026Q3")->fired, 1);
    assert_int_equal(
        must_key(&l, "trigger:discovery_review_share:2026Q3")->fired, 0);

    /* ICP review for Marketing and RevOps, due 30 days after opening. */
    e = must_key(&l, "icp_review:17:MK1");
    assert_string_equal(e->what, "icp_review");
    assert_day(e->due_on, "2026-10-31");
    assert_day(must_key(&l, "icp_review:17:RO1")->due_on, "2026-10-31");

    /* Issue 14, over-promise above its threshold: a deal-approval process
       review for RevOps and the VP Sales, and a private conversation of
       the VP Sales with each manager concerned (SM1; AE2 has none). */
    must_key(&l, "deal_approval_review:17:RO1");
    must_key(&l, "deal_approval_review:17:VPS");
    e = must_key(&l, "coaching_conversation:17:SM1");
    assert_string_equal(e->attendees, "VPS;SM1");
    assert_null(strstr(e->title, "AE"));
    e = must_key(&l, "coaching_conversation:17:VPS");
    assert_non_null(strstr(e->title, "SM1"));
    assert_int_equal(count_kind(&l, CL_WF_CREATE_TASK), 6);

    /* Coaching: one item per AE concerned, none for AE3. */
    assert_int_equal(count_kind(&l, CL_WF_COACHING_ITEM), 2);
    e = must_key(&l, "coaching:2026Q3:AE1:over_promise");
    assert_string_equal(e->recipient_id, "AE1");
    assert_string_equal(e->audience,
                        "user:AE1;user:SM1;role:vp_sales;role:revops");
    e = must_key(&l, "coaching:2026Q3:AE2:over_promise");
    assert_string_equal(e->audience, "user:AE2;role:vp_sales;role:revops");
    assert_null(find_key(&l, "coaching:2026Q3:AE3:over_promise"));

    /* Privacy: the only notification about coaching goes to AE1's manager,
       and nothing addressed to Marketing names an AE. */
    for (size_t i = 0; i < l.n; i++) {
        const cl_wf_effect *x = &l.items[i];
        if (x->kind == CL_WF_NOTIFY) {
            assert_string_equal(x->what, "coaching_item");
            assert_string_equal(x->recipient_id, "SM1");
        }
        if (x->recipient_id && strcmp(x->recipient_id, "MK1") == 0) {
            assert_null(strstr(x->title ? x->title : "", "AE"));
            assert_null(strstr(x->body ? x->body : "", "AE"));
        }
    }
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 1);
    cl_wf_effects_release(&l);

    /* At the thresholds exactly: every rule evaluated, none fires. */
    f.wrong_icp_share = 0.25;
    f.over_promise_share = 0.20;
    assert_int_equal(
        cl_wf_session_opened(&c, &s, &f, D("2026-10-01"), &l, NULL), CL_OK);
    assert_int_equal(count_kind(&l, CL_WF_FIRE_TRIGGER), 3);
    assert_int_equal(l.n, 3);
    cl_wf_effects_release(&l);

    /* Misaligned use case above 20%: a discovery review, and (issue 14)
       coaching for each AE involved, told to their manager. */
    cl_wf_ae_count mis[] = {{"AE4", "SM2", 1}};
    f.misaligned_by_ae = mis;
    f.n_misaligned_by_ae = 1;
    f.misaligned_share = 0.21;
    assert_int_equal(
        cl_wf_session_opened(&c, &s, &f, D("2026-10-01"), &l, NULL), CL_OK);
    e = must_key(&l, "discovery_review:17:RO1");
    assert_day(e->due_on, "2026-10-31");
    must_key(&l, "discovery_review:17:VPS");
    e = must_key(&l, "coaching:2026Q3:AE4:misaligned_use_case");
    assert_string_equal(e->audience,
                        "user:AE4;user:SM2;role:vp_sales;role:revops");
    assert_non_null(strstr(e->body, "misaligned use case"));
    assert_string_equal(
        must_key(&l, "coaching:2026Q3:AE4:misaligned_use_case:SM2")
            ->recipient_id,
        "SM2");
    assert_null(find_key(&l, "coaching_conversation:17:SM2"));
    cl_wf_effects_release(&l);
}

static void
test_recovery_thresholds(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_session s = {"18", "recovery_review", "2026Q3", 0};
    cl_wf_quarter_figures f = {0};
    f.recoveries = 5;
    f.overpromise_recoveries = 3; /* >= 3 fires */
    f.timing_share = 0.60;        /* > 0.60 needed */
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_session_opened(&c, &s, &f, D("2026-10-01"), &l, NULL), CL_OK);
    assert_int_equal(
        must_key(&l, "trigger:enablement_review_recoveries:2026Q3")->fired, 1);
    assert_int_equal(
        must_key(&l, "trigger:qualification_review_timing_share:2026Q3")->fired,
        0);
    must_key(&l, "enablement_review:18:RO1");
    must_key(&l, "enablement_review:18:VPS");
    assert_int_equal(count_kind(&l, CL_WF_CREATE_TASK), 2);
    cl_wf_effects_release(&l);

    f.overpromise_recoveries = 2;
    f.timing_share = 0.61;
    assert_int_equal(
        cl_wf_session_opened(&c, &s, &f, D("2026-10-01"), &l, NULL), CL_OK);
    assert_null(find_key(&l, "enablement_review:18:RO1"));
    assert_day(must_key(&l, "qualification_review:18:RO1")->due_on,
               "2026-10-31");
    must_key(&l, "qualification_review:18:VPS");

    /* Issue 14: without trust or champion-change recoveries their rules
       are evaluated and do not fire. */
    assert_int_equal(
        must_key(&l, "trigger:champion_change_recoveries:2026Q3")->fired, 0);
    assert_int_equal(must_key(&l, "trigger:trust_recoveries:2026Q3")->fired, 0);
    assert_null(find_key(&l, "trigger:trust_cluster_share:2026Q3"));
    assert_int_equal(count_kind(&l, CL_WF_COACHING_ITEM), 0);
    cl_wf_effects_release(&l);

    /* No recoveries: the timing share is not evaluated at all. */
    f.recoveries = 0;
    f.timing_share = 0;
    assert_int_equal(
        cl_wf_session_opened(&c, &s, &f, D("2026-10-01"), &l, NULL), CL_OK);
    assert_int_equal(l.n, 1);
    assert_null(
        find_key(&l, "trigger:qualification_review_timing_share:2026Q3"));
    cl_wf_effects_release(&l);

    /* A monthly debrief has no thresholds. */
    assert_int_equal(
        cl_wf_session_opened(&c, &debrief, &f, D("2026-08-03"), &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);
}

/* Issue 14, the recovery review: trust recoveries clustering on one AE
   (the report's trust_ae_cluster rule, the same thresholds) open a private
   coaching item for that AE, told to the manager only, and private
   conversations; champion-change recoveries open a deal-brief template
   task; trust recoveries a handoff-SLA task. */
static void
test_recovery_trust_cluster_coaching_and_tasks(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_session s = {"19", "recovery_review", "2026Q3", 0};
    cl_wf_ae_count trust[] = {{"AE1", "SM1", 2}, {"AE2", "SM2", 1}};
    cl_wf_quarter_figures f = {0};
    f.recoveries = 4;
    f.trust_recoveries = 3;
    f.champion_change_recoveries = 1;
    f.trust_by_ae = trust;
    f.n_trust_by_ae = 2;
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_session_opened(&c, &s, &f, D("2026-10-01"), &l, NULL), CL_OK);
    const cl_wf_effect *e = must_key(&l, "trigger:trust_cluster_share:2026Q3");
    assert_int_equal(e->fired, 1);
    assert_near(e->value, 2 / 3.0, 1e-12);
    assert_near(e->threshold, 0.5, 1e-12);

    /* One coaching item, for AE1 only (AE2 is not in the cluster). */
    assert_int_equal(count_kind(&l, CL_WF_COACHING_ITEM), 1);
    e = must_key(&l, "coaching:2026Q3:AE1:trust_breakdown");
    assert_string_equal(e->recipient_id, "AE1");
    assert_string_equal(e->audience,
                        "user:AE1;user:SM1;role:vp_sales;role:revops");
    assert_string_equal(e->body, "2 recoveries of AE1 won back after a trust "
                                 "breakdown in 2026Q3");
    assert_null(find_key(&l, "coaching:2026Q3:AE2:trust_breakdown"));
    /* Told to AE1's manager only; no notice names an AE to anyone else. */
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 1);
    assert_string_equal(
        must_key(&l, "coaching:2026Q3:AE1:trust_breakdown:SM1")->recipient_id,
        "SM1");
    /* The private conversations: SM1 with the VP Sales; not SM2. */
    e = must_key(&l, "coaching_conversation:19:SM1");
    assert_string_equal(e->attendees, "VPS;SM1");
    assert_non_null(strstr(e->title, "trust"));
    must_key(&l, "coaching_conversation:19:VPS");
    assert_null(find_key(&l, "coaching_conversation:19:SM2"));

    /* Champion change: the deal-brief template; trust: the handoff SLA;
       RevOps and the VP Sales, due review_task_due_days later. */
    assert_int_equal(
        must_key(&l, "trigger:champion_change_recoveries:2026Q3")->fired, 1);
    assert_int_equal(must_key(&l, "trigger:trust_recoveries:2026Q3")->fired, 1);
    e = must_key(&l, "deal_brief_template:19:RO1");
    assert_day(e->due_on, "2026-10-31");
    assert_non_null(strstr(e->title, "champion"));
    must_key(&l, "deal_brief_template:19:VPS");
    e = must_key(&l, "handoff_sla_review:19:RO1");
    assert_non_null(strstr(e->title, "handoff"));
    must_key(&l, "handoff_sla_review:19:VPS");
    /* Team tasks name no AE. */
    for (size_t i = 0; i < l.n; i++) {
        const cl_wf_effect *x = &l.items[i];
        if (x->kind == CL_WF_CREATE_TASK &&
            strcmp(x->what, "coaching_conversation") != 0)
            assert_null(strstr(x->title, "AE"));
    }
    assert_int_equal(count_kind(&l, CL_WF_CREATE_TASK), 6);
    cl_wf_effects_release(&l);

    /* Below the cluster rule: 1 of 3 each, or 2 of 5 (under half), or one
       trust recovery only (under trust_cluster_min): no coaching, and the
       handoff task still opens. */
    cl_wf_ae_count spread[] = {
        {"AE1", "SM1", 2}, {"AE2", "SM2", 2}, {"AE3", "SM2", 1}};
    f.trust_recoveries = 5;
    f.trust_by_ae = spread;
    f.n_trust_by_ae = 3;
    f.champion_change_recoveries = 0;
    assert_int_equal(
        cl_wf_session_opened(&c, &s, &f, D("2026-10-01"), &l, NULL), CL_OK);
    assert_int_equal(must_key(&l, "trigger:trust_cluster_share:2026Q3")->fired,
                     0);
    assert_int_equal(count_kind(&l, CL_WF_COACHING_ITEM), 0);
    assert_null(find_key(&l, "coaching_conversation:19:SM1"));
    assert_null(find_key(&l, "deal_brief_template:19:RO1"));
    must_key(&l, "handoff_sla_review:19:RO1");
    cl_wf_effects_release(&l);

    cl_wf_ae_count one[] = {{"AE1", "SM1", 1}};
    f.trust_recoveries = 1;
    f.trust_by_ae = one;
    f.n_trust_by_ae = 1;
    assert_int_equal(
        cl_wf_session_opened(&c, &s, &f, D("2026-10-01"), &l, NULL), CL_OK);
    assert_int_equal(must_key(&l, "trigger:trust_cluster_share:2026Q3")->fired,
                     0);
    assert_int_equal(count_kind(&l, CL_WF_COACHING_ITEM), 0);
    cl_wf_effects_release(&l);

    /* The thresholds are the workspace's: with trust_cluster_min 1 the
       single recovery is a cluster. */
    c.trust_cluster_min = 1;
    assert_int_equal(
        cl_wf_session_opened(&c, &s, &f, D("2026-10-01"), &l, NULL), CL_OK);
    e = must_key(&l, "coaching:2026Q3:AE1:trust_breakdown");
    assert_string_equal(e->body, "1 recovery of AE1 won back after a trust "
                                 "breakdown in 2026Q3");
    cl_wf_effects_release(&l);
}

/* The one trust-cluster rule the report and the review share. */
static void
test_trust_cluster_rule(void **state)
{
    (void)state;
    assert_int_equal(cl_wf_trust_cluster(2, 3, 0.5, 2), 1);
    assert_int_equal(cl_wf_trust_cluster(2, 4, 0.5, 2), 1); /* half: fires */
    assert_int_equal(cl_wf_trust_cluster(2, 5, 0.5, 2), 0);
    assert_int_equal(cl_wf_trust_cluster(1, 1, 0.5, 2), 0);
    assert_int_equal(cl_wf_trust_cluster(0, 0, 0.5, 2), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cadence_first_business_day_of_month),
        cmocka_unit_test(test_cadence_first_business_day_of_quarter),
        cmocka_unit_test(test_cadence_year_end_after_holiday),
        cmocka_unit_test(test_cadence_repeated_tick_same_keys),
        cmocka_unit_test(test_cadence_mid_month_catch_up),
        cmocka_unit_test(test_process_change_exactly_one),
        cmocka_unit_test(test_session_close_rules_and_what_changed),
        cmocka_unit_test(test_what_changed_note_is_capped),
        cmocka_unit_test(test_bad_fit_thresholds_and_audiences),
        cmocka_unit_test(test_recovery_thresholds),
        cmocka_unit_test(test_recovery_trust_cluster_coaching_and_tasks),
        cmocka_unit_test(test_trust_cluster_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
