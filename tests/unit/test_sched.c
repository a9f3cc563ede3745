/*
 * The scheduler's rule (src/sched/sched.h) with explicit times: the start
 * tick whatever the hour, one scheduled tick a day from the tick hour on,
 * none without a tick hour, delivery every deliver_seconds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sched/sched.h"

static cl_time
T(const char *s)
{
    cl_time t;
    assert_int_equal(cl_time_parse(s, &t), 0);
    return t;
}

/* Asks the rule at when plus sec seconds; returns tick * 2 + deliver. */
static int
due_at(const cl_sched_opts *o, cl_sched_state *st, const char *when, int sec)
{
    int tick, deliver;
    cl_sched_due(o, st, T(when) + sec, 0, &tick, &deliver);
    return tick * 2 + deliver;
}

static void
test_started_at_night_ticks_at_once_and_again_at_the_hour(void **state)
{
    (void)state;
    cl_sched_opts o = {.tick_hour = 6};
    cl_sched_state st = {0, -1, 0};
    assert_int_equal(due_at(&o, &st, "2026-12-05T01:00", 0), 2);
    assert_int_equal(due_at(&o, &st, "2026-12-05T03:00", 0), 0);
    assert_int_equal(due_at(&o, &st, "2026-12-05T05:59", 59), 0);
    assert_int_equal(due_at(&o, &st, "2026-12-05T06:00", 0), 2);
    assert_int_equal(due_at(&o, &st, "2026-12-05T23:59", 59), 0);
    assert_int_equal(due_at(&o, &st, "2026-12-06T00:30", 0), 0);
    assert_int_equal(due_at(&o, &st, "2026-12-06T06:00", 1), 2);
    assert_int_equal(due_at(&o, &st, "2026-12-06T06:00", 2), 0);
}

static void
test_started_after_the_hour_ticks_once_that_day(void **state)
{
    (void)state;
    cl_sched_opts o = {.tick_hour = 6};
    cl_sched_state st = {0, -1, 0};
    assert_int_equal(due_at(&o, &st, "2026-12-05T07:00", 0), 2);
    assert_int_equal(due_at(&o, &st, "2026-12-05T08:00", 0), 0);
    assert_int_equal(due_at(&o, &st, "2026-12-06T05:00", 0), 0);
    assert_int_equal(due_at(&o, &st, "2026-12-06T06:00", 0), 2);
    /* A server down for days ticks on the first round after. */
    assert_int_equal(due_at(&o, &st, "2026-12-09T10:00", 0), 2);
    assert_int_equal(due_at(&o, &st, "2026-12-09T11:00", 0), 0);
}

/* The tick hour is the workspace's: 06:00 in Berlin is 05:00 UTC in
   winter and 04:00 UTC in summer, across the change of 29 March 2026. */
static void
test_tick_hour_of_the_workspace_zone(void **state)
{
    (void)state;
    cl_sched_opts o = {.tick_hour = 6};
    cl_sched_state st = {0, -1, 0};
    int tick, deliver;
    cl_sched_due(&o, &st, T("2026-03-27T12:00"), 3600, &tick, &deliver);
    assert_int_equal(tick, 1); /* the start tick */
    cl_sched_due(&o, &st, T("2026-03-28T04:59"), 3600, &tick, &deliver);
    assert_int_equal(tick, 0);
    cl_sched_due(&o, &st, T("2026-03-28T05:00"), 3600, &tick, &deliver);
    assert_int_equal(tick, 1);
    /* Summer time: 04:00 UTC is 06:00. */
    cl_sched_due(&o, &st, T("2026-03-29T03:59"), 7200, &tick, &deliver);
    assert_int_equal(tick, 0);
    cl_sched_due(&o, &st, T("2026-03-29T04:00"), 7200, &tick, &deliver);
    assert_int_equal(tick, 1);
    /* New York: Monday 06:00 is 11:00 UTC; Sunday night UTC is no day. */
    cl_sched_state ny = {1, -1, 0};
    cl_sched_due(&o, &ny, T("2026-12-07T10:59"), -18000, &tick, &deliver);
    assert_int_equal(tick, 0);
    cl_sched_due(&o, &ny, T("2026-12-07T11:00"), -18000, &tick, &deliver);
    assert_int_equal(tick, 1);
    cl_sched_due(&o, &ny, T("2026-12-08T02:00"), -18000, &tick, &deliver);
    assert_int_equal(tick, 0);
}

static void
test_no_tick_hour_no_tick(void **state)
{
    (void)state;
    cl_sched_opts o = {.tick_hour = -1};
    cl_sched_state st = {0, -1, 0};
    assert_int_equal(due_at(&o, &st, "2026-12-05T01:00", 0), 0);
    assert_int_equal(due_at(&o, &st, "2026-12-05T06:00", 0), 0);
}

static void
test_delivery_every_deliver_seconds(void **state)
{
    (void)state;
    cl_sched_opts o = {.tick_hour = -1, .deliver_seconds = 30};
    cl_sched_state st = {0, -1, 0};
    assert_int_equal(due_at(&o, &st, "2026-12-05T01:00", 0), 1);
    assert_int_equal(due_at(&o, &st, "2026-12-05T01:00", 29), 0);
    assert_int_equal(due_at(&o, &st, "2026-12-05T01:00", 30), 1);
    assert_int_equal(due_at(&o, &st, "2026-12-05T01:00", 31), 0);
    o.deliver_seconds = 0;
    assert_int_equal(due_at(&o, &st, "2026-12-05T02:00", 0), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_started_at_night_ticks_at_once_and_again_at_the_hour),
        cmocka_unit_test(test_started_after_the_hour_ticks_once_that_day),
        cmocka_unit_test(test_tick_hour_of_the_workspace_zone),
        cmocka_unit_test(test_no_tick_hour_no_tick),
        cmocka_unit_test(test_delivery_every_deliver_seconds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
