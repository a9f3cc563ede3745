/*
 * fuzz_date.c - libFuzzer target: the date, time, month and period parsers
 * (core/date.h) that read what users type (--now, --period, CSV cells,
 * query arguments).
 *
 * The input is one text.  Beyond "does not crash", whatever a parser accepts
 * must be what date.h promises: a date formats back to the same ten
 * characters, a year within [1900, 2999], a period's days inside it and its
 * label parsing back to the same period.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok, const char *what, const char *text)
{
    if (!ok) {
        fprintf(stderr, "%s: '%s'\n", what, text);
        abort();
    }
}

static void
check_day(cl_day d, const char *text)
{
    int y, m, dd;
    char out[11];
    cl_date_ymd(d, &y, &m, &dd);
    check(y >= 1900 && y <= 2999, "year out of range", text);
    check(cl_date_from_ymd(y, m, dd) == d, "ymd does not round-trip", text);
    cl_date_format(d, out);
    cl_day back;
    check(cl_date_parse(out, 10, &back) == 0 && back == d,
          "formatted date does not parse back", text);
    int wd = cl_date_weekday(d);
    check(wd >= 0 && wd <= 6, "weekday out of range", text);
    /* Month arithmetic stays on the clamped day of the month. */
    cl_day later = cl_date_add_months(d, 13);
    int y2, m2, d2;
    cl_date_ymd(later, &y2, &m2, &d2);
    check(y2 * 12 + m2 == y * 12 + m + 13 && d2 <= dd,
          "add_months lands in the wrong month", text);
}

static void
check_period(const cl_period *p, const char *text)
{
    check(p->first <= p->last, "period ends before it starts", text);
    cl_period again;
    check(cl_period_parse(p->label, &again) == 0 && again.first == p->first &&
              again.last == p->last && again.kind == p->kind,
          "period label does not parse back", text);
    cl_period of = cl_period_of(p->kind, p->last);
    check(of.first == p->first, "period_of the last day differs", text);
    cl_period next = cl_period_shift(p, 1);
    check(next.first == p->last + 1, "next period does not follow", text);
    cl_period prev = cl_period_shift(&next, -1);
    check(prev.first == p->first && prev.last == p->last,
          "shift is not reversible", text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64)
        return 0;
    char text[65];
    memcpy(text, data, size);
    text[size] = '\0';

    cl_day d;
    if (cl_date_parse(text, size, &d) == 0) {
        check(size == 10, "a date is exactly YYYY-MM-DD", text);
        check_day(d, text);
    }
    int y, m;
    if (cl_month_parse(text, size, &y, &m) == 0)
        check(y >= 1900 && y <= 2999 && m >= 1 && m <= 12, "bad month", text);
    cl_time t;
    if (cl_time_parse(text, &t) == 0) {
        cl_day day = cl_time_day(t);
        check_day(day, text);
        char out[21];
        cl_time_format(t, out);
        /* "YYYY-MM-DDTHH:MM" of "YYYY-MM-DDTHH:MM:SSZ" is what was read. */
        out[16] = '\0';
        cl_time back;
        check(cl_time_parse(out, &back) == 0 && back == t,
              "formatted time does not parse back", text);
        check(t - (cl_time)day * 86400 < 86400, "minutes past midnight", text);
    }
    cl_period p;
    if (cl_period_parse(text, &p) == 0)
        check_period(&p, text);
    return 0;
}
