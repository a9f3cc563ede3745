/* Unit tests: dates, times, periods and the business calendar. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/date.h"

/* The day s names; fails the test if s does not parse. */
static cl_day
day_of(const char *s)
{
    cl_day d = 0;
    if (cl_date_parse(s, strlen(s), &d) != 0)
        fail_msg("\"%s\" did not parse", s);
    return d;
}

/* Compares as text so that a failure prints both dates. */
static void
assert_day(cl_day got, const char *want)
{
    char buf[11];
    cl_date_format(got, buf);
    assert_string_equal(buf, want);
}

static int
refused(const char *s)
{
    cl_day d = 12345;
    int rc = cl_date_parse(s, strlen(s), &d);
    return rc == -1 && d == 12345; /* and *out left alone */
}

static void
test_known_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(day_of("1970-01-01"), 0);
    assert_int_equal(day_of("1970-01-02"), 1);
    assert_int_equal(day_of("1969-12-31"), -1);
    assert_int_equal(day_of("2000-01-01"), 10957);
    assert_int_equal(day_of("1900-01-01"), -25567);
    assert_int_equal(cl_date_from_ymd(2026, 7, 1), day_of("2026-07-01"));
    /* Out-of-range months and days roll over. */
    assert_day(cl_date_from_ymd(2026, 13, 1), "2027-01-01");
    assert_day(cl_date_from_ymd(2024, 3, 0), "2024-02-29");
    assert_day(cl_date_from_ymd(2026, 0, 1), "2025-12-01");
}

/* Walks every day of 1900..2999 with an independent y/m/d counter: each
 * day formats to the counter's text, parses back to itself, splits into
 * the counter's fields and falls one weekday after the day before. */
static void
test_round_trip_every_day_1900_to_2999(void **state)
{
    (void)state;
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    cl_day d = day_of("1900-01-01");
    int wd = cl_date_weekday(d);
    assert_int_equal(wd, 0); /* 1900-01-01 was a Monday */
    long n = 0;
    for (int y = 1900; y <= 2999; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int last = dim[m - 1] + (m == 2 && leap);
            for (int dd = 1; dd <= last; dd++, d++, n++) {
                char want[40], got[11];
                snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, dd);
                cl_date_format(d, got);
                if (strcmp(got, want) != 0)
                    fail_msg("day %ld formats as %s, expected %s", (long)d, got,
                             want);
                cl_day back = -1;
                if (cl_date_parse(want, 10, &back) != 0 || back != d)
                    fail_msg("%s parses to %ld, expected %ld", want, (long)back,
                             (long)d);
                int gy, gm, gd;
                cl_date_ymd(d, &gy, &gm, &gd);
                if (gy != y || gm != m || gd != dd)
                    fail_msg("ymd of %s gives %d-%d-%d", want, gy, gm, gd);
                if (cl_date_weekday(d) != wd)
                    fail_msg("%s weekday %d, expected %d", want,
                             cl_date_weekday(d), wd);
                wd = (wd + 1) % 7;
            }
        }
    }
    assert_int_equal(n, 401767); /* 1100 years */
    assert_day(d - 1, "2999-12-31");
}

static void
test_weekdays_of_known_dates(void **state)
{
    (void)state;
    assert_int_equal(cl_date_weekday(day_of("2026-11-23")), 0); /* Mon */
    assert_int_equal(cl_date_weekday(day_of("2026-11-27")), 4); /* Fri */
    assert_int_equal(cl_date_weekday(day_of("2026-08-01")), 5); /* Sat */
    assert_int_equal(cl_date_weekday(day_of("2026-07-05")), 6); /* Sun */
    assert_int_equal(cl_date_weekday(day_of("2028-02-29")), 1); /* Tue */
    assert_int_equal(cl_date_weekday(day_of("1970-01-01")), 3); /* Thu */
    assert_int_equal(cl_date_weekday(day_of("1969-12-28")), 6); /* Sun */
}

static void
test_invalid_dates_refused(void **state)
{
    (void)state;
    const char *bad[] = {
        "2026-02-29",  "2100-02-29",
        "2026-1-05",   " 2026-01-05",
        "2026-01-05 ", "2026-01-05x",
        "2026-13-01",  "2026-00-10",
        "2026-01-00",  "2026-01-32",
        "2026-04-31",  "2026/01/05",
        "20260105",    "",
        "1899-12-31",  "3000-01-01",
        "+026-01-05",  "2026-0a-05",
        "2026-01-5 ",  "2026--1-05",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!refused(bad[i]))
            fail_msg("\"%s\" was accepted", bad[i]);
    /* The length is what counts, not a NUL. */
    cl_day d;
    assert_int_equal(cl_date_parse("2026-01-05x", 10, &d), 0);
    assert_day(d, "2026-01-05");
    assert_int_equal(cl_date_parse("2026-01-05", 9, &d), -1);
    assert_int_equal(cl_date_parse(NULL, 10, &d), -1);
    /* The edges of the accepted years. */
    assert_day(day_of("1900-01-01"), "1900-01-01");
    assert_day(day_of("2999-12-31"), "2999-12-31");
}

static void
test_leap_days(void **state)
{
    (void)state;
    assert_day(day_of("2024-02-29"), "2024-02-29");
    assert_day(day_of("2000-02-29"), "2000-02-29");
    assert_true(refused("2100-02-29"));
    assert_true(refused("1900-02-29"));
    assert_true(refused("2026-02-29"));
    assert_int_equal(day_of("2024-03-01") - day_of("2024-02-28"), 2);
    assert_int_equal(day_of("2100-03-01") - day_of("2100-02-28"), 1);
}

static void
test_add_months_clamps_to_month_end(void **state)
{
    (void)state;
    assert_day(cl_date_add_months(day_of("2024-01-31"), 1), "2024-02-29");
    assert_day(cl_date_add_months(day_of("2025-01-31"), 1), "2025-02-28");
    assert_day(cl_date_add_months(day_of("2024-03-31"), -1), "2024-02-29");
    assert_day(cl_date_add_months(day_of("2026-05-31"), 1), "2026-06-30");
    assert_day(cl_date_add_months(day_of("2026-11-15"), 3), "2027-02-15");
    assert_day(cl_date_add_months(day_of("2026-01-15"), -1), "2025-12-15");
    assert_day(cl_date_add_months(day_of("2024-02-29"), 12), "2025-02-28");
    assert_day(cl_date_add_months(day_of("2026-07-10"), -30), "2024-01-10");
    assert_day(cl_date_add_months(day_of("2026-07-10"), 0), "2026-07-10");
}

static void
test_month_parse(void **state)
{
    (void)state;
    int y = 0, m = 0;
    assert_int_equal(cl_month_parse("2026-07", 7, &y, &m), 0);
    assert_int_equal(y, 2026);
    assert_int_equal(m, 7);
    assert_int_equal(cl_month_parse("2026-13", 7, &y, &m), -1);
    assert_int_equal(cl_month_parse("2026-7", 6, &y, &m), -1);
    assert_int_equal(cl_month_parse("2026-07-01", 10, &y, &m), -1);
    assert_int_equal(cl_month_parse("1899-12", 7, &y, &m), -1);
}

static void
test_time_parse_and_format(void **state)
{
    (void)state;
    cl_time t = 0;
    assert_int_equal(cl_time_parse("2026-07-01T09:30", &t), 0);
    /* 2026-07-01 is day 20635; 9 h 30 min is 34200 s. */
    assert_int_equal(day_of("2026-07-01"), 20635);
    assert_int_equal(t, (int64_t)20635 * 86400 + 34200);
    assert_int_equal(t, 1782898200); /* `date -u -d 2026-07-01T09:30Z +%s` */
    assert_day(cl_time_day(t), "2026-07-01");
    char buf[21];
    cl_time_format(t, buf);
    assert_string_equal(buf, "2026-07-01T09:30:00Z");

    assert_int_equal(cl_time_parse("2026-07-01", &t), 0);
    assert_int_equal(t, (int64_t)20635 * 86400);
    assert_int_equal(cl_time_parse("2026-07-01T23:59", &t), 0);
    cl_time_format(t, buf);
    assert_string_equal(buf, "2026-07-01T23:59:00Z");
    assert_int_equal(cl_time_parse("2026-07-01T00:00", &t), 0);
    assert_int_equal(t, (int64_t)20635 * 86400);

    const char *bad[] = {"2026-07-01T24:00",    "2026-07-01T23:60",
                         "2026-07-01 09:30",    "2026-07-01T9:30",
                         "2026-07-01T09:30:00", "2026-07-01T09:30Z",
                         "2026-02-29T10:00",    "2026-07-01T",
                         "2026-07-01t09:30",    ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        t = 77;
        if (cl_time_parse(bad[i], &t) != -1 || t != 77)
            fail_msg("\"%s\" was accepted", bad[i]);
    }
    assert_int_equal(cl_time_parse(NULL, &t), -1);

    /* Before 1970 an instant still belongs to the day it falls on. */
    assert_day(cl_time_day(-1), "1969-12-31");
    cl_time_format(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    assert_int_equal(cl_time_parse("1900-01-01T12:00", &t), 0);
    assert_day(cl_time_day(t), "1900-01-01");
    cl_time_format(0, buf);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
}

static void
test_periods_parse(void **state)
{
    (void)state;
    cl_period p;
    assert_int_equal(cl_period_parse("2026-07", &p), 0);
    assert_int_equal(p.kind, CL_PERIOD_MONTH);
    assert_int_equal(p.year, 2026);
    assert_int_equal(p.index, 7);
    assert_day(p.first, "2026-07-01");
    assert_day(p.last, "2026-07-31");
    assert_string_equal(p.label, "2026-07");

    assert_int_equal(cl_period_parse("2026Q3", &p), 0);
    assert_int_equal(p.kind, CL_PERIOD_QUARTER);
    assert_int_equal(p.year, 2026);
    assert_int_equal(p.index, 3);
    assert_day(p.first, "2026-07-01");
    assert_day(p.last, "2026-09-30");
    assert_string_equal(p.label, "2026Q3");

    assert_int_equal(cl_period_parse("2024Q1", &p), 0);
    assert_day(p.first, "2024-01-01");
    assert_day(p.last, "2024-03-31");
    assert_int_equal(cl_period_parse("2026Q4", &p), 0);
    assert_day(p.last, "2026-12-31");
    assert_int_equal(cl_period_parse("2024-02", &p), 0);
    assert_day(p.last, "2024-02-29");
    assert_int_equal(cl_period_parse("2100-02", &p), 0);
    assert_day(p.last, "2100-02-28");

    const char *bad[] = {"2026Q5",  "2026-13", "2026q3",  "2026Q0",
                         "2026-00", "2026-7",  "2026Q3 ", "2026-07-01",
                         "1899Q4",  "3000-01", "2026Q",   "Q3 2026",
                         ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (cl_period_parse(bad[i], &p) != -1)
            fail_msg("\"%s\" was accepted", bad[i]);
}

static void
test_period_of_and_shift(void **state)
{
    (void)state;
    cl_period p = cl_period_of(CL_PERIOD_QUARTER, day_of("2026-08-15"));
    assert_string_equal(p.label, "2026Q3");
    assert_day(p.first, "2026-07-01");
    p = cl_period_of(CL_PERIOD_QUARTER, day_of("2026-12-31"));
    assert_string_equal(p.label, "2026Q4");
    p = cl_period_of(CL_PERIOD_MONTH, day_of("2024-02-29"));
    assert_string_equal(p.label, "2024-02");
    assert_day(p.last, "2024-02-29");

    cl_period q;
    assert_int_equal(cl_period_parse("2026Q1", &q), 0);
    p = cl_period_shift(&q, -1);
    assert_string_equal(p.label, "2025Q4");
    assert_int_equal(p.year, 2025);
    assert_int_equal(p.index, 4);
    assert_day(p.first, "2025-10-01");
    assert_day(p.last, "2025-12-31");
    p = cl_period_shift(&q, 7);
    assert_string_equal(p.label, "2027Q4");
    p = cl_period_shift(&q, -9);
    assert_string_equal(p.label, "2023Q4"); /* -8 is 2024Q1 */
    p = cl_period_shift(&q, 0);
    assert_string_equal(p.label, "2026Q1");

    assert_int_equal(cl_period_parse("2026-01", &q), 0);
    p = cl_period_shift(&q, -1);
    assert_string_equal(p.label, "2025-12");
    assert_day(p.last, "2025-12-31");
    assert_int_equal(cl_period_parse("2026-11", &q), 0);
    p = cl_period_shift(&q, 3);
    assert_string_equal(p.label, "2027-02");
    assert_day(p.first, "2027-02-01");
    assert_day(p.last, "2027-02-28");
    p = cl_period_shift(&q, -35);
    assert_string_equal(p.label, "2023-12");
}

static void
test_business_days_without_holidays(void **state)
{
    (void)state;
    cl_calendar cal = {NULL, 0};
    /* Mon + 5 = next Mon; Fri + 5 = next Fri. */
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-11-23"), 5),
               "2026-11-30");
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-11-27"), 5),
               "2026-12-04");
    /* From a Saturday the Saturday is not counted: Mon is the first. */
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-11-28"), 1),
               "2026-11-30");
    /* n == 0: the day itself if it is a business day, else the next. */
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-11-28"), 0),
               "2026-11-30");
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-11-29"), 0),
               "2026-11-30");
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-11-25"), 0),
               "2026-11-25");
    /* A NULL calendar means weekends only. */
    assert_day(cl_cal_add_business_days(NULL, day_of("2026-11-27"), 1),
               "2026-11-30");
    assert_true(cl_cal_is_business_day(&cal, day_of("2026-11-27")));
    assert_false(cl_cal_is_business_day(&cal, day_of("2026-11-28")));
    assert_false(cl_cal_is_business_day(&cal, day_of("2026-11-29")));
}

static void
test_business_days_with_holidays(void **state)
{
    (void)state;
    cl_day hol[] = {day_of("2026-07-06"), day_of("2026-12-25"),
                    day_of("2027-01-01")};
    cl_calendar cal = {hol, 3};
    assert_false(cl_cal_is_business_day(&cal, day_of("2026-12-25")));
    assert_true(cl_cal_is_business_day(&cal, day_of("2026-12-24")));

    /* A close on Fri 2026-07-03; Sat, Sun, then the Monday holiday. */
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-07-03"), 1),
               "2026-07-07");
    /* ... and +5 lands on the Monday after: Tue 7, Wed 8, Thu 9, Fri 10,
     * Mon 13. */
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-07-03"), 5),
               "2026-07-13");

    /* +3 from Thu 2026-12-24: Fri 25 is a holiday, Sat 26 and Sun 27 are
     * the weekend, so Mon 28 is 1, Tue 29 is 2 and Wed 30 is 3. */
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-12-24"), 3),
               "2026-12-30");
    /* +5 from the same day across the year end: Mon 28 (1), Tue 29 (2),
     * Wed 30 (3), Thu 31 (4), Fri 2027-01-01 a holiday, Sat 2 and Sun 3
     * the weekend, Mon 2027-01-04 (5). */
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-12-24"), 5),
               "2027-01-04");
    /* n == 0 on a holiday moves past the holiday and the weekend. */
    assert_day(cl_cal_add_business_days(&cal, day_of("2027-01-01"), 0),
               "2027-01-04");
    /* Starting on a holiday, the holiday is not counted. */
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-12-25"), 1),
               "2026-12-28");
}

static void
test_business_days_backwards(void **state)
{
    (void)state;
    cl_day hol[] = {day_of("2026-12-25"), day_of("2027-01-01")};
    cl_calendar cal = {hol, 2};
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-11-30"), -1),
               "2026-11-27");
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-12-07"), -5),
               "2026-11-30");
    /* Back from Mon 2027-01-04: Jan 3 and 2 weekend, Jan 1 a holiday. */
    assert_day(cl_cal_add_business_days(&cal, day_of("2027-01-04"), -1),
               "2026-12-31");
    /* -3 from Tue 2026-12-29: Mon 28 (1), Sun 27, Sat 26, Fri 25 holiday,
     * Thu 24 (2), Wed 23 (3). */
    assert_day(cl_cal_add_business_days(&cal, day_of("2026-12-29"), -3),
               "2026-12-23");
    /* Forward then back by the same n returns to a business day. */
    cl_day start = day_of("2026-12-22");
    for (int n = 1; n <= 30; n++) {
        cl_day f = cl_cal_add_business_days(&cal, start, n);
        assert_int_equal(cl_cal_add_business_days(&cal, f, -n), start);
    }
}

static void
test_business_days_across_leap_day(void **state)
{
    (void)state;
    cl_calendar cal = {NULL, 0};
    /* 2028-02-29 is a Tuesday and a business day. */
    assert_true(cl_cal_is_business_day(&cal, day_of("2028-02-29")));
    assert_day(cl_cal_add_business_days(&cal, day_of("2028-02-28"), 1),
               "2028-02-29");
    /* Fri 25: Mon 28 (1), Tue 29 (2), Wed Mar 1 (3). */
    assert_day(cl_cal_add_business_days(&cal, day_of("2028-02-25"), 3),
               "2028-03-01");
    /* With the leap day a holiday, Mon 28 + 1 skips to Wed Mar 1. */
    cl_day hol[] = {day_of("2028-02-29")};
    cl_calendar h = {hol, 1};
    assert_day(cl_cal_add_business_days(&h, day_of("2028-02-28"), 1),
               "2028-03-01");
    assert_day(cl_cal_add_business_days(&h, day_of("2028-03-01"), -1),
               "2028-02-28");
}

static void
test_first_business_day_of_period(void **state)
{
    (void)state;
    cl_day hol[] = {day_of("2026-12-25"), day_of("2027-01-01")};
    cl_calendar cal = {hol, 2};
    cl_period p;
    assert_int_equal(cl_period_parse("2027Q1", &p), 0);
    assert_day(cl_cal_first_business_day(&cal, &p), "2027-01-04");
    /* Without the holiday, Fri 2027-01-01 itself. */
    cl_calendar none = {NULL, 0};
    assert_day(cl_cal_first_business_day(&none, &p), "2027-01-01");
    /* Aug 1 2026 is a Saturday. */
    assert_int_equal(cl_period_parse("2026-08", &p), 0);
    assert_day(cl_cal_first_business_day(&cal, &p), "2026-08-03");
    assert_int_equal(cl_period_parse("2026-07", &p), 0);
    assert_day(cl_cal_first_business_day(&cal, &p), "2026-07-01");
}

/* Binary search must find every holiday in a long list, first and last
 * included, and nothing between them. */
static void
test_many_holidays_binary_search(void **state)
{
    (void)state;
    enum { N = 1001 };
    static cl_day hol[N];
    cl_day base = day_of("2030-01-07"); /* a Monday */
    for (int i = 0; i < N; i++)
        hol[i] = base + 7 * i; /* every Monday */
    cl_calendar cal = {hol, N};
    for (int i = 0; i < N; i++) {
        assert_false(cl_cal_is_business_day(&cal, hol[i]));
        assert_true(cl_cal_is_business_day(&cal, hol[i] + 1));
    }
    assert_true(cl_cal_is_business_day(&cal, base - 7));
    assert_true(cl_cal_is_business_day(&cal, hol[N - 1] + 7));
    /* A week is now four business days: Fri + 4 = next Fri. */
    assert_day(cl_cal_add_business_days(&cal, base + 4, 4), "2030-01-18");
}

/* n and day outside their documented ranges are refused with -1, and the
 * day given back is still a bounded one; the walk never runs on. */
static void
test_business_days_out_of_range(void **state)
{
    (void)state;
    cl_calendar cal = {NULL, 0};
    cl_day out = 0;
    /* The range's own ends are fine. */
    assert_int_equal(
        cl_cal_add_business_days_checked(&cal, day_of("2026-11-27"),
                                         CL_CAL_MAX_BUSINESS_DAYS, &out),
        0);
    assert_int_equal(
        cl_cal_add_business_days_checked(&cal, day_of("2026-11-27"),
                                         -CL_CAL_MAX_BUSINESS_DAYS, &out),
        0);
    assert_day(CL_DAY_MIN, "1900-01-01");
    assert_day(CL_DAY_MAX, "2999-12-31");
    /* A threshold of 1e308 business days becomes INT_MAX on the way in:
     * refused at once, clamped to ten years of business days. */
    cl_day from = day_of("2026-11-27");
    assert_int_equal(
        cl_cal_add_business_days_checked(&cal, from, INT_MAX, &out), -1);
    cl_day ten;
    assert_int_equal(cl_cal_add_business_days_checked(
                         &cal, from, CL_CAL_MAX_BUSINESS_DAYS, &ten),
                     0);
    assert_int_equal(out, ten);
    assert_int_equal(
        cl_cal_add_business_days_checked(&cal, from, INT_MIN, &out), -1);
    assert_true(out >= CL_DAY_MIN && out < from);
    /* The unchecked form gives the same clamped day. */
    assert_int_equal(cl_cal_add_business_days(&cal, from, INT_MAX), ten);
    /* Days outside 1900..2999 are refused. */
    assert_int_equal(cl_cal_add_business_days_checked(&cal, INT32_MAX, 1, &out),
                     -1);
    assert_true(out <= CL_DAY_MAX);
    assert_int_equal(
        cl_cal_add_business_days_checked(&cal, INT32_MIN, -1, &out), -1);
    assert_int_equal(out, CL_DAY_MIN);
    /* A walk that would leave the range stops at its end. */
    assert_int_equal(
        cl_cal_add_business_days_checked(&cal, day_of("2999-12-30"), 5, &out),
        -1);
    assert_day(out, "2999-12-31");
    assert_int_equal(
        cl_cal_add_business_days_checked(&cal, day_of("1900-01-02"), -5, &out),
        -1);
    assert_day(out, "1900-01-01");
    /* In range: 0 and the usual answer. */
    assert_int_equal(cl_cal_add_business_days_checked(&cal, from, 5, &out), 0);
    assert_day(out, "2026-12-04");
}

/* A holiday list that covers every weekday near the range's end cannot make
 * n == 0 look past 2999-12-31. */
static void
test_business_days_no_business_day_left(void **state)
{
    (void)state;
    static cl_day hol[40];
    cl_day first = day_of("2999-11-22");
    for (int i = 0; i < 40; i++)
        hol[i] = first + i;
    cl_calendar cal = {hol, 40};
    cl_day out;
    assert_int_equal(cl_cal_add_business_days_checked(&cal, first, 0, &out),
                     -1);
    assert_day(out, "2999-12-31");
    assert_int_equal(cl_cal_add_business_days_checked(&cal, first, 3, &out),
                     -1);
    assert_day(out, "2999-12-31");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_day_numbers),
        cmocka_unit_test(test_round_trip_every_day_1900_to_2999),
        cmocka_unit_test(test_weekdays_of_known_dates),
        cmocka_unit_test(test_invalid_dates_refused),
        cmocka_unit_test(test_leap_days),
        cmocka_unit_test(test_add_months_clamps_to_month_end),
        cmocka_unit_test(test_month_parse),
        cmocka_unit_test(test_time_parse_and_format),
        cmocka_unit_test(test_periods_parse),
        cmocka_unit_test(test_period_of_and_shift),
        cmocka_unit_test(test_business_days_without_holidays),
        cmocka_unit_test(test_business_days_with_holidays),
        cmocka_unit_test(test_business_days_backwards),
        cmocka_unit_test(test_business_days_across_leap_day),
        cmocka_unit_test(test_first_business_day_of_period),
        cmocka_unit_test(test_many_holidays_binary_search),
        cmocka_unit_test(test_business_days_out_of_range),
        cmocka_unit_test(test_business_days_no_business_day_left),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
