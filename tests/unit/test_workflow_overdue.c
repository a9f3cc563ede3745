/*
 * Unit tests: workflow_overdue.c, what a tick chases, with fixed
 * clocks: overdue tasks (rule 8) and process-change check-ins (rule 5).
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

static cl_wf_task
task(void)
{
    cl_wf_task t = {
        "T7", "won_deal_review", "deal", "D123", "CSM1", "CSMGR1", 0, 0, 0, 0};
    t.due_on = D("2026-07-10"); /* a Friday */
    return t;
}

static void
test_checkin_reminder_and_escalation(void **state)
{
    (void)state;
    cl_wf_config c = config();
    /* Due Friday 2026-09-04; Monday 09-07 is a holiday.  Escalation 5
       business days after: Tue 08, Wed 09, Thu 10, Fri 11, Mon 14. */
    cl_day hol[] = {D("2026-09-07")};
    cl_calendar cal = {hol, 1};
    cl_wf_process_change pc = {
        "9",          "41", "VPS", "Add a security review", D("2026-09-04"),
        CL_WF_NO_DAY, 0,    0};
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_checkins_tick(&c, &cal, &pc, 1, D("2026-09-04"), &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 0); /* on the due day it is not yet past due */
    assert_int_equal(
        cl_wf_checkins_tick(&c, &cal, &pc, 1, D("2026-09-05"), &l, NULL),
        CL_OK);
    const cl_wf_effect *e = must_key(&l, "checkin_reminder:9");
    assert_string_equal(e->recipient_id, "VPS");
    assert_string_equal(e->what, "checkin_reminder");
    /* Issue 16: the title is an e-mail subject, its day as people read it. */
    assert_string_equal(e->title, "Process-change check-in was due 4 Sep 2026");
    e = must_key(&l, "reminded:process_change:9");
    assert_int_equal(e->kind, CL_WF_SET);
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 1);
    cl_wf_effects_release(&l);

    pc.reminded = 1;
    assert_int_equal(
        cl_wf_checkins_tick(&c, &cal, &pc, 1, D("2026-09-11"), &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(
        cl_wf_checkins_tick(&c, &cal, &pc, 1, D("2026-09-14"), &l, NULL),
        CL_OK);
    e = must_key(&l, "checkin_escalation:9");
    assert_string_equal(e->recipient_id, "RO1");
    must_key(&l, "escalated:process_change:9");
    assert_int_equal(count_kind(&l, CL_WF_NOTIFY), 1);
    cl_wf_effects_release(&l);

    pc.escalated = 1;
    assert_int_equal(
        cl_wf_checkins_tick(&c, &cal, &pc, 1, D("2026-09-30"), &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 0);
    /* A recorded check-in is never chased. */
    pc.reminded = pc.escalated = 0;
    pc.checkin_on = D("2026-09-10");
    assert_int_equal(
        cl_wf_checkins_tick(&c, &cal, &pc, 1, D("2026-09-30"), &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);
}

static void
test_overdue_reminder_then_escalation_once(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_task t = task();
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_tasks_tick(&c, NULL, &t, 1, D("2026-07-09"), &l, NULL), CL_OK);
    assert_int_equal(l.n, 0);
    /* On the due day: a reminder to the assignee. */
    assert_int_equal(
        cl_wf_tasks_tick(&c, NULL, &t, 1, D("2026-07-10"), &l, NULL), CL_OK);
    assert_int_equal(l.n, 2);
    const cl_wf_effect *e = must_key(&l, "task_reminder:T7");
    assert_string_equal(e->recipient_id, "CSM1");
    e = must_key(&l, "reminded:task:T7");
    assert_int_equal(e->kind, CL_WF_MARK_TASK);
    assert_string_equal(e->what, "won_deal_review");
    assert_string_equal(e->subject_id, "D123");
    assert_string_equal(e->recipient_id, "CSM1");
    cl_wf_effects_release(&l);

    /* Reminded: Monday 07-13 is one business day late, nothing new. */
    t.reminded = 1;
    assert_int_equal(
        cl_wf_tasks_tick(&c, NULL, &t, 1, D("2026-07-13"), &l, NULL), CL_OK);
    assert_int_equal(l.n, 0);
    /* Tuesday 07-14, two business days after: escalate to the manager. */
    assert_int_equal(
        cl_wf_tasks_tick(&c, NULL, &t, 1, D("2026-07-14"), &l, NULL), CL_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(must_key(&l, "task_escalation:T7")->recipient_id,
                        "CSMGR1");
    must_key(&l, "escalated:task:T7");
    cl_wf_effects_release(&l);

    t.escalated = 1;
    assert_int_equal(
        cl_wf_tasks_tick(&c, NULL, &t, 1, D("2026-07-31"), &l, NULL), CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);
}

static void
test_overdue_holidays_late_tick_and_skips(void **state)
{
    (void)state;
    cl_wf_config c = config();
    /* Monday 07-13 a holiday: escalation moves to Wednesday 07-15. */
    cl_day hol[] = {D("2026-07-13")};
    cl_calendar cal = {hol, 1};
    cl_wf_task t = task();
    t.reminded = 1;
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_tasks_tick(&c, &cal, &t, 1, D("2026-07-14"), &l, NULL), CL_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(
        cl_wf_tasks_tick(&c, &cal, &t, 1, D("2026-07-15"), &l, NULL), CL_OK);
    must_key(&l, "task_escalation:T7");
    cl_wf_effects_release(&l);

    /* A first tick long after: reminder and escalation together, the
       escalation to RevOps when the assignee has no manager. */
    cl_wf_task ts[3] = {task(), task(), task()};
    ts[0].assignee_manager_id = NULL;
    ts[1].id = "T8";
    ts[1].done = 1;
    ts[2].id = "T9";
    ts[2].kind = "process_change_checkin";
    assert_int_equal(
        cl_wf_tasks_tick(&c, NULL, ts, 3, D("2026-07-20"), &l, NULL), CL_OK);
    assert_int_equal(l.n, 4);
    must_key(&l, "task_reminder:T7");
    assert_string_equal(must_key(&l, "task_escalation:T7")->recipient_id,
                        "RO1");
    assert_null(find_key(&l, "task_reminder:T8"));
    assert_null(find_key(&l, "task_reminder:T9"));

    /* The same tick again gives the same keys, in the same order. */
    cl_wf_effects again;
    cl_wf_effects_init(&again);
    assert_int_equal(
        cl_wf_tasks_tick(&c, NULL, ts, 3, D("2026-07-20"), &again, NULL),
        CL_OK);
    assert_int_equal(again.n, l.n);
    for (size_t i = 0; i < l.n; i++)
        assert_string_equal(again.items[i].key, l.items[i].key);
    cl_wf_effects_release(&again);
    cl_wf_effects_release(&l);
}

/* Plain language (issue 16): the texts name the people and the account,
   and fall back to the ids only when the engine found no name. */
static void
test_overdue_texts_name_people_and_accounts(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_task t = task();
    t.assignee_name = "Casey Morgan";
    t.subject_name = "Acme Corp";
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_tasks_tick(&c, NULL, &t, 1, D("2026-07-20"), &l, NULL), CL_OK);
    const cl_wf_effect *e = must_key(&l, "task_escalation:T7");
    assert_string_equal(e->title, "Overdue: Won-deal review of the deal with "
                                  "Acme Corp, due 10 Jul 2026");
    assert_string_equal(e->body, "the deal with Acme Corp; assigned to "
                                 "Casey Morgan");
    e = must_key(&l, "task_reminder:T7");
    assert_null(strstr(e->title, "D123"));
    assert_null(strstr(e->body, "D123"));
    cl_wf_effects_release(&l);

    t.kind = "churn_tagging";
    t.subject_kind = "churn";
    t.subject_id = "c-000075";
    assert_int_equal(
        cl_wf_tasks_tick(&c, NULL, &t, 1, D("2026-07-20"), &l, NULL), CL_OK);
    e = must_key(&l, "task_escalation:T7");
    assert_string_equal(e->body, "the churn of Acme Corp; assigned to "
                                 "Casey Morgan");
    cl_wf_effects_release(&l);

    /* No names: the ids, as before. */
    t = task();
    assert_int_equal(
        cl_wf_tasks_tick(&c, NULL, &t, 1, D("2026-07-20"), &l, NULL), CL_OK);
    assert_string_equal(must_key(&l, "task_escalation:T7")->body,
                        "deal D123; assigned to CSM1");
    cl_wf_effects_release(&l);

    cl_wf_process_change pc = {"9",
                               "41",
                               "VPS",
                               "Add a security review",
                               D("2026-09-04"),
                               CL_WF_NO_DAY,
                               0,
                               0,
                               "Robin Vance"};
    assert_int_equal(
        cl_wf_checkins_tick(&c, NULL, &pc, 1, D("2026-09-30"), &l, NULL),
        CL_OK);
    e = must_key(&l, "checkin_escalation:9");
    assert_non_null(strstr(e->title, "(owner Robin Vance)"));
    assert_null(strstr(e->title, "VPS"));
    cl_wf_effects_release(&l);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checkin_reminder_and_escalation),
        cmocka_unit_test(test_overdue_reminder_then_escalation_once),
        cmocka_unit_test(test_overdue_holidays_late_tick_and_skips),
        cmocka_unit_test(test_overdue_texts_name_people_and_accounts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
