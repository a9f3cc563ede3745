/* Unit tests: the workspace's time zone rule (core/tz.h) across daylight
   saving changes on both hemispheres, and the business calendar's working
   weekdays (core/date.h) across a weekend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/date.h"
#include "core/tz.h"

/* The instant "YYYY-MM-DDTHH:MM" (UTC) plus sec seconds. */
static cl_time
at(const char *s, int sec)
{
    cl_time t;
    assert_int_equal(cl_time_parse(s, &t), 0);
    return t + sec;
}

static cl_day
day(const char *s)
{
    cl_day d;
    assert_int_equal(cl_date_parse(s, strlen(s), &d), 0);
    return d;
}

static cl_tz
zone(const char *posix)
{
    cl_tz z;
    assert_int_equal(cl_tz_parse(posix, &z), 0);
    return z;
}

/* Europe/Berlin: CET, CEST from the last Sunday of March 02:00 to the last
   Sunday of October 03:00 (01:00 UTC both times). */
static void
test_berlin_changes_at_one_utc(void **state)
{
    (void)state;
    cl_tz z = zone("CET-1CEST,M3.5.0,M10.5.0/3");
    assert_int_equal(cl_tz_offset(&z, at("2026-03-29T01:00", -1)), 3600);
    assert_int_equal(cl_tz_offset(&z, at("2026-03-29T01:00", 0)), 7200);
    assert_int_equal(cl_tz_offset(&z, at("2026-10-25T01:00", -1)), 7200);
    assert_int_equal(cl_tz_offset(&z, at("2026-10-25T01:00", 0)), 3600);
    /* 23:30 UTC on a summer evening is already the next day there. */
    assert_int_equal(cl_tz_day(&z, at("2026-07-01T23:30", 0)),
                     day("2026-07-02"));
    assert_int_equal(cl_tz_hour(&z, at("2026-07-01T23:30", 0)), 1);
    assert_int_equal(cl_tz_hour(&z, at("2026-12-01T23:30", 0)), 0);
}

/* America/New_York: the second Sunday of March, the first of November. */
static void
test_new_york_is_behind_utc(void **state)
{
    (void)state;
    cl_tz z = zone("EST5EDT,M3.2.0,M11.1.0");
    assert_int_equal(cl_tz_offset(&z, at("2026-03-08T07:00", -1)), -18000);
    assert_int_equal(cl_tz_offset(&z, at("2026-03-08T07:00", 0)), -14400);
    assert_int_equal(cl_tz_offset(&z, at("2026-11-01T06:00", -1)), -14400);
    assert_int_equal(cl_tz_offset(&z, at("2026-11-01T06:00", 0)), -18000);
    /* 02:00 UTC on a Monday is still Sunday evening in New York. */
    assert_int_equal(cl_tz_day(&z, at("2026-06-08T02:00", 0)),
                     day("2026-06-07"));
    assert_int_equal(cl_tz_hour(&z, at("2026-06-08T02:00", 0)), 22);
}

/* Australia/Sydney: summer time spans the new year. */
static void
test_sydney_summer_spans_the_new_year(void **state)
{
    (void)state;
    cl_tz z = zone("AEST-10AEDT,M10.1.0,M4.1.0/3");
    assert_int_equal(cl_tz_offset(&z, at("2026-01-15T00:00", 0)), 39600);
    assert_int_equal(cl_tz_offset(&z, at("2026-04-04T16:00", -1)), 39600);
    assert_int_equal(cl_tz_offset(&z, at("2026-04-04T16:00", 0)), 36000);
    assert_int_equal(cl_tz_offset(&z, at("2026-10-03T16:00", -1)), 36000);
    assert_int_equal(cl_tz_offset(&z, at("2026-10-03T16:00", 0)), 39600);
    assert_int_equal(cl_tz_offset(&z, at("2026-12-31T23:00", 0)), 39600);
}

/* Quoted names, half hours, a change at a negative local hour. */
static void
test_other_forms(void **state)
{
    (void)state;
    cl_tz z = zone("IST-5:30");
    assert_int_equal(cl_tz_offset(&z, at("2026-06-01T00:00", 0)), 19800);
    z = zone("<+0530>-5:30");
    assert_int_equal(cl_tz_offset(&z, at("2026-06-01T00:00", 0)), 19800);
    z = zone("UTC0");
    assert_int_equal(cl_tz_offset(&z, at("2026-06-01T00:00", 0)), 0);
    /* America/Nuuk: -02, -01 from the last Sunday of March at -1:00 local
       (Saturday 23:00), i.e. 01:00 UTC. */
    z = zone("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
    assert_int_equal(cl_tz_offset(&z, at("2026-03-29T01:00", -1)), -7200);
    assert_int_equal(cl_tz_offset(&z, at("2026-03-29T01:00", 0)), -3600);
    cl_tz_utc(&z);
    assert_int_equal(cl_tz_offset(&z, at("2026-06-01T00:00", 0)), 0);
}

static void
test_refused(void **state)
{
    (void)state;
    cl_tz z;
    static const char *const bad[] = {
        "",
        "CET",
        "CE-1",
        "CET-1CEST",
        "CET-25",
        "CET-1CEST,J60,J300",
        "CET-1CEST,M13.5.0,M10.5.0",
        "CET-1CEST,M3.6.0,M10.5.0",
        "CET-1CEST,M3.5.7,M10.5.0",
        "CET-1 ",
        "<+05-5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(cl_tz_parse(bad[i], &z), -1);
    assert_int_equal(cl_tz_parse(NULL, &z), -1);
}

static void
test_zone_names(void **state)
{
    (void)state;
    assert_true(cl_tz_name_ok("Europe/Berlin"));
    assert_true(cl_tz_name_ok("America/Argentina/Buenos_Aires"));
    assert_true(cl_tz_name_ok("Etc/GMT+5"));
    assert_false(cl_tz_name_ok(""));
    assert_false(cl_tz_name_ok("/etc/passwd"));
    assert_false(cl_tz_name_ok("../etc/passwd"));
    assert_false(cl_tz_name_ok("Europe/Berlin "));
    assert_false(cl_tz_name_ok(NULL));
}

static void
test_weekdays_parse(void **state)
{
    (void)state;
    unsigned m;
    assert_int_equal(cl_cal_weekdays_parse("mon-fri", &m), 0);
    assert_int_equal(m, CL_CAL_MON_FRI);
    assert_int_equal(cl_cal_weekdays_parse("sun-thu", &m), 0);
    assert_int_equal(m, 0x4fu); /* Sunday (bit 6) and Monday to Thursday */
    assert_int_equal(cl_cal_weekdays_parse("mon,wed,fri", &m), 0);
    assert_int_equal(m, 0x15u);
    assert_int_equal(cl_cal_weekdays_parse("mon-fri,sat", &m), 0);
    assert_int_equal(m, 0x3fu);
    static const char *const bad[] = {
        "", "mon-", "monday", "mon,,fri", "Mon-Fri", "mon-fri,", "xyz"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(cl_cal_weekdays_parse(bad[i], &m), -1);
}

/* Five business days from a Thursday: over the weekend by default, over
   Friday and Saturday in a Sunday-to-Thursday week. */
static void
test_business_days_across_a_weekend(void **state)
{
    (void)state;
    cl_calendar mon_fri = {NULL, 0, 0};
    cl_calendar sun_thu = {NULL, 0, 0x4fu};
    cl_day thu = day("2026-06-04");
    assert_int_equal(cl_cal_add_business_days(&mon_fri, thu, 5),
                     day("2026-06-11"));
    assert_int_equal(cl_cal_add_business_days(&sun_thu, thu, 5),
                     day("2026-06-11"));
    /* One business day after Thursday: Friday, or Sunday. */
    assert_int_equal(cl_cal_add_business_days(&mon_fri, thu, 1),
                     day("2026-06-05"));
    assert_int_equal(cl_cal_add_business_days(&sun_thu, thu, 1),
                     day("2026-06-07"));
    assert_false(cl_cal_is_business_day(&sun_thu, day("2026-06-05")));
    assert_true(cl_cal_is_business_day(&sun_thu, day("2026-06-07")));
    /* A holiday on the Sunday moves it on to Monday. */
    cl_day hol[] = {day("2026-06-07")};
    cl_calendar sun_thu_hol = {hol, 1, 0x4fu};
    assert_int_equal(cl_cal_add_business_days(&sun_thu_hol, thu, 1),
                     day("2026-06-08"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_berlin_changes_at_one_utc),
        cmocka_unit_test(test_new_york_is_behind_utc),
        cmocka_unit_test(test_sydney_summer_spans_the_new_year),
        cmocka_unit_test(test_other_forms),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_zone_names),
        cmocka_unit_test(test_weekdays_parse),
        cmocka_unit_test(test_business_days_across_a_weekend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
