/*
 * Unit tests: dates, times, periods and the business calendar.  The tables
 * of cases are data files (tests/unit/data/date_*.tsv, read by
 * casefile.h); what is not a table stays here.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casefile.h"
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

/* A case of date_weekdays.tsv: date, weekday. */
static int
check_weekday(char **cell, char *why, size_t whysize)
{
    static const char *const names[] = {"Mon", "Tue", "Wed", "Thu",
                                        "Fri", "Sat", "Sun"};
    int wd = cl_date_weekday(day_of(cell[0]));
    if (wd < 0 || wd > 6 || strcmp(names[wd], cell[1]) != 0) {
        snprintf(why, whysize, "%s is weekday %d", cell[0], wd);
        return -1;
    }
    return 0;
}

static void
test_weekday_table(void **state)
{
    (void)state;
    casefile_run("date_weekdays.tsv", "date\tweekday", check_weekday);
}

/* A case of date_words.tsv: date, the words people read. */
static int
check_words(char **cell, char *why, size_t whysize)
{
    char out[CL_DATE_WORDS_MAX];
    cl_date_words(day_of(cell[0]), out);
    if (strcmp(out, cell[1]) != 0) {
        snprintf(why, whysize, "%s reads '%s'", cell[0], out);
        return -1;
    }
    return 0;
}

static void
test_words_table(void **state)
{
    (void)state;
    casefile_run("date_words.tsv", "date\twords", check_words);
}

/* A case of date_refused.tsv: parser, text. */
static int
check_refused(char **cell, char *why, size_t whysize)
{
    const char *parser = cell[0], *text = cell[1];
    int ok;
    if (strcmp(parser, "date") == 0) {
        ok = refused(text);
    } else if (strcmp(parser, "time") == 0) {
        cl_time t = 77;
        ok = cl_time_parse(text, &t) == -1 && t == 77;
    } else if (strcmp(parser, "period") == 0) {
        cl_period p;
        ok = cl_period_parse(text, &p) == -1;
    } else {
        snprintf(why, whysize, "no parser '%s'", parser);
        return -1;
    }
    if (!ok)
        snprintf(why, whysize, "%s \"%s\" was accepted", parser, text);
    return ok ? 0 : -1;
}

static void
test_refused_table(void **state)
{
    (void)state;
    casefile_run("date_refused.tsv", "parser\ttext", check_refused);
}

/* A case of date_add_months.tsv: date, months, result. */
static int
check_add_months(char **cell, char *why, size_t whysize)
{
    char got[11];
    cl_date_format(cl_date_add_months(day_of(cell[0]), atoi(cell[1])), got);
    if (strcmp(got, cell[2]) != 0) {
        snprintf(why, whysize, "%s %s months gives %s", cell[0], cell[1], got);
        return -1;
    }
    return 0;
}

static void
test_add_months_table(void **state)
{
    (void)state;
    casefile_run("date_add_months.tsv", "date\tmonths\tresult",
                 check_add_months);
}

/* A case of date_business_days.tsv: holidays, from, n, result. */
static int
check_business_days(char **cell, char *why, size_t whysize)
{
    cl_day hol[16];
    size_t nhol = 0;
    if (strcmp(cell[0], "-") != 0)
        for (char *p = strtok(cell[0], ","); p && nhol < 16;
             p = strtok(NULL, ","))
            hol[nhol++] = day_of(p);
    cl_calendar cal = {hol, nhol};
    char got[11];
    cl_date_format(
        cl_cal_add_business_days(&cal, day_of(cell[1]), atoi(cell[2])), got);
    if (strcmp(got, cell[3]) != 0) {
        snprintf(why, whysize, "%s %+d business days gives %s", cell[1],
                 atoi(cell[2]), got);
        return -1;
    }
    return 0;
}

static void
test_business_days_table(void **state)
{
    (void)state;
    casefile_run("date_business_days.tsv", "holidays\tfrom\tn\tresult",
                 check_business_days);
}

static void
test_invalid_dates_refused(void **state)
{
    (void)state;
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
    assert_int_equal(day_of("2024-03-01") - day_of("2024-02-28"), 2);
    assert_int_equal(day_of("2100-03-01") - day_of("2100-02-28"), 1);
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
}

static void
test_business_days_backwards(void **state)
{
    (void)state;
    cl_day hol[] = {day_of("2026-12-25"), day_of("2027-01-01")};
    cl_calendar cal = {hol, 2};
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
        cmocka_unit_test(test_weekday_table),
        cmocka_unit_test(test_words_table),
        cmocka_unit_test(test_refused_table),
        cmocka_unit_test(test_add_months_table),
        cmocka_unit_test(test_business_days_table),
        cmocka_unit_test(test_invalid_dates_refused),
        cmocka_unit_test(test_leap_days),
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
