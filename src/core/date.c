/*
 * date.c - calendar dates, periods and the business calendar.
 *
 * Day numbers come from Howard Hinnant's days_from_civil / civil_from_days
 * (http://howardhinnant.github.io/date_algorithms.html), written out here.
 * They shift the year to start in March so that the leap day is the last day
 * of the shifted year, and count 400-year eras of 146097 days each.
 */
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CL_YEAR_MIN 1900
#define CL_YEAR_MAX 2999
#define SECS_PER_DAY 86400

/* Floor division and its remainder: the C operators round toward zero,
 * which is wrong for days and instants before 1970. */
static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int64_t
floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

static int
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Hinnant's days_from_civil, for m in 1..12 and any d (d - 1 is added
 * linearly, so d outside the month rolls over). */
static int64_t
days_from_civil(int64_t y, int m, int64_t d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400; /* 0..399 */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Hinnant's civil_from_days. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097; /* 0..146096 */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* 0..365 */
    int64_t mp = (5 * doy + 2) / 153;                      /* 0..11 */
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

cl_day
cl_date_from_ymd(int y, int m, int d)
{
    /* Normalise the month first so that month 13 is next January. */
    int64_t yy = (int64_t)y + floor_div((int64_t)m - 1, 12);
    int mm = (int)floor_mod((int64_t)m - 1, 12) + 1;
    return (cl_day)days_from_civil(yy, mm, d);
}

void
cl_date_ymd(cl_day day, int *y, int *m, int *d)
{
    int64_t yy;
    int mm, dd;
    civil_from_days(day, &yy, &mm, &dd);
    if (y)
        *y = (int)yy;
    if (m)
        *m = mm;
    if (d)
        *d = dd;
}

int
cl_date_weekday(cl_day day)
{
    /* 1970-01-01 was a Thursday, which is 3 when Monday is 0. */
    return (int)floor_mod((int64_t)day + 3, 7);
}

cl_day
cl_date_add_months(cl_day day, int n)
{
    int y, m, d;
    cl_date_ymd(day, &y, &m, &d);
    int64_t idx = (int64_t)y * 12 + (m - 1) + n;
    int ny = (int)floor_div(idx, 12);
    int nm = (int)floor_mod(idx, 12) + 1;
    int last = days_in_month(ny, nm);
    return cl_date_from_ymd(ny, nm, d > last ? last : d);
}

/* ---- parsing and formatting ---------------------------------------- */

/* Reads n ASCII digits (no sign, no spaces; isdigit() would follow the
 * locale) into *out.  Returns 0 or -1. */
static int
read_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* "YYYY-MM" at s (7 bytes available), year range checked. */
static int
parse_ym(const char *s, int *y, int *m)
{
    if (read_digits(s, 4, y) != 0 || s[4] != '-' ||
        read_digits(s + 5, 2, m) != 0)
        return -1;
    if (*y < CL_YEAR_MIN || *y > CL_YEAR_MAX || *m < 1 || *m > 12)
        return -1;
    return 0;
}

/* "YYYY-MM-DD" at s (10 bytes available). */
static int
parse_ymd(const char *s, cl_day *out)
{
    int y, m, d;
    if (parse_ym(s, &y, &m) != 0 || s[7] != '-' ||
        read_digits(s + 8, 2, &d) != 0)
        return -1;
    if (d < 1 || d > days_in_month(y, m))
        return -1;
    *out = cl_date_from_ymd(y, m, d);
    return 0;
}

int
cl_date_parse(const char *s, size_t len, cl_day *out)
{
    cl_day d;
    if (s == NULL || out == NULL || len != 10 || parse_ymd(s, &d) != 0)
        return -1;
    *out = d;
    return 0;
}

int
cl_month_parse(const char *s, size_t len, int *y, int *m)
{
    int yy, mm;
    if (s == NULL || len != 7 || parse_ym(s, &yy, &mm) != 0)
        return -1;
    if (y)
        *y = yy;
    if (m)
        *m = mm;
    return 0;
}

/* Writes v as exactly n digits, clamped to what n digits can hold, so that
 * an out-of-range year can never overrun the caller's fixed buffer. */
static char *
put_digits(char *p, int64_t v, int n)
{
    int64_t max = 1;
    for (int i = 0; i < n; i++)
        max *= 10;
    if (v < 0)
        v = 0;
    if (v >= max)
        v = max - 1;
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + n;
}

void
cl_date_format(cl_day d, char out[11])
{
    int64_t y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    char *p = put_digits(out, y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, dd, 2);
    *p = '\0';
}

void
cl_date_words(cl_day d, char out[CL_DATE_WORDS_MAX])
{
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr",
                                       "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec"};
    int64_t y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    if (y < 0)
        y = 0;
    if (y > 9999)
        y = 9999;
    snprintf(out, CL_DATE_WORDS_MAX, "%d %s %d", dd, months[m - 1], (int)y);
}

int
cl_time_parse(const char *s, cl_time *out)
{
    if (s == NULL || out == NULL)
        return -1;
    size_t len = strlen(s);
    cl_day d;
    if ((len != 10 && len != 16) || parse_ymd(s, &d) != 0)
        return -1;
    int hh = 0, mm = 0;
    if (len == 16) {
        if (s[10] != 'T' || read_digits(s + 11, 2, &hh) != 0 || s[13] != ':' ||
            read_digits(s + 14, 2, &mm) != 0)
            return -1;
        if (hh > 23 || mm > 59)
            return -1;
    }
    *out = (cl_time)d * SECS_PER_DAY + hh * 3600 + mm * 60;
    return 0;
}

cl_day
cl_time_day(cl_time t)
{
    return (cl_day)floor_div(t, SECS_PER_DAY);
}

void
cl_time_format(cl_time t, char out[21])
{
    int64_t secs = floor_mod(t, SECS_PER_DAY);
    cl_date_format(cl_time_day(t), out);
    char *p = out + 10;
    *p++ = 'T';
    p = put_digits(p, secs / 3600, 2);
    *p++ = ':';
    p = put_digits(p, secs / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, secs % 60, 2);
    *p++ = 'Z';
    *p = '\0';
}

/* ---- periods ------------------------------------------------------- */

/* Fills first, last and label from kind, year and index. */
static cl_period
make_period(cl_period_kind kind, int year, int index)
{
    cl_period p;
    memset(&p, 0, sizeof p);
    p.kind = kind;
    p.year = year;
    p.index = index;
    char *l = put_digits(p.label, year, 4);
    if (kind == CL_PERIOD_MONTH) {
        p.first = cl_date_from_ymd(year, index, 1);
        p.last = cl_date_from_ymd(year, index + 1, 1) - 1;
        *l++ = '-';
        l = put_digits(l, index, 2);
    } else {
        int m1 = (index - 1) * 3 + 1;
        p.first = cl_date_from_ymd(year, m1, 1);
        p.last = cl_date_from_ymd(year, m1 + 3, 1) - 1;
        *l++ = 'Q';
        l = put_digits(l, index, 1);
    }
    *l = '\0';
    return p;
}

int
cl_period_parse(const char *s, cl_period *out)
{
    if (s == NULL || out == NULL)
        return -1;
    size_t len = strlen(s);
    int y, i;
    if (len == 7) {
        if (parse_ym(s, &y, &i) != 0)
            return -1;
        *out = make_period(CL_PERIOD_MONTH, y, i);
        return 0;
    }
    /* Only an upper-case Q: labels are compared as text elsewhere, so one
     * spelling per quarter. */
    if (len == 6 && read_digits(s, 4, &y) == 0 && s[4] == 'Q' && s[5] >= '1' &&
        s[5] <= '4') {
        if (y < CL_YEAR_MIN || y > CL_YEAR_MAX)
            return -1;
        *out = make_period(CL_PERIOD_QUARTER, y, s[5] - '0');
        return 0;
    }
    return -1;
}

cl_period
cl_period_of(cl_period_kind kind, cl_day day)
{
    int y, m, d;
    cl_date_ymd(day, &y, &m, &d);
    if (kind == CL_PERIOD_MONTH)
        return make_period(kind, y, m);
    return make_period(CL_PERIOD_QUARTER, y, (m - 1) / 3 + 1);
}

cl_period
cl_period_shift(const cl_period *p, int n)
{
    int per_year = p->kind == CL_PERIOD_MONTH ? 12 : 4;
    int64_t idx = (int64_t)p->year * per_year + (p->index - 1) + n;
    return make_period(p->kind, (int)floor_div(idx, per_year),
                       (int)floor_mod(idx, per_year) + 1);
}

/* ---- business calendar --------------------------------------------- */

static int
is_holiday(const cl_calendar *cal, cl_day day)
{
    if (cal == NULL || cal->holidays == NULL)
        return 0;
    size_t lo = 0, hi = cal->nholidays;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->holidays[mid] < day)
            lo = mid + 1;
        else if (cal->holidays[mid] > day)
            hi = mid;
        else
            return 1;
    }
    return 0;
}

int
cl_cal_is_business_day(const cl_calendar *cal, cl_day day)
{
    unsigned week = cal && cal->weekdays ? cal->weekdays : CL_CAL_MON_FRI;
    return (week >> cl_date_weekday(day) & 1u) && !is_holiday(cal, day);
}

static int
weekday_name(const char *s, size_t n)
{
    static const char names[] = "montuewedthufrisatsun";
    if (n != 3)
        return -1;
    for (int i = 0; i < 7; i++)
        if (strncmp(s, names + 3 * i, 3) == 0)
            return i;
    return -1;
}

int
cl_cal_weekdays_parse(const char *s, unsigned *mask)
{
    unsigned m = 0;
    if (s == NULL || *s == '\0')
        return -1;
    for (const char *p = s;;) {
        size_t n = strcspn(p, ",");
        const char *dash = memchr(p, '-', n);
        int a, b;
        if (dash) {
            a = weekday_name(p, (size_t)(dash - p));
            b = weekday_name(dash + 1, n - (size_t)(dash - p) - 1);
        } else {
            a = b = weekday_name(p, n);
        }
        if (a < 0 || b < 0)
            return -1;
        /* A range wraps past Sunday: sun-thu is Sunday to Thursday. */
        for (int d = a;; d = (d + 1) % 7) {
            m |= 1u << d;
            if (d == b)
                break;
        }
        if (p[n] == '\0')
            break;
        p += n + 1;
    }
    *mask = m;
    return 0;
}

int
cl_cal_add_business_days_checked(const cl_calendar *cal, cl_day day, int n,
                                 cl_day *out)
{
    /* A walk, one day at a time: n is a handful of days in every rule of
     * docs/design.md section 5, and a walk needs no case for holidays that
     * fall on weekends.  Both ends of the walk are bounded: n by its range (the
     * thresholds' ranges keep rules far inside it) and the days walked by
     * [CL_DAY_MIN, CL_DAY_MAX], so a holiday list that covers every day
     * cannot make it run on. */
    int rc = 0;
    if (day < CL_DAY_MIN || day > CL_DAY_MAX) {
        day = day < CL_DAY_MIN ? CL_DAY_MIN : CL_DAY_MAX;
        rc = -1;
    }
    if (n > CL_CAL_MAX_BUSINESS_DAYS || n < -CL_CAL_MAX_BUSINESS_DAYS) {
        n = n > 0 ? CL_CAL_MAX_BUSINESS_DAYS : -CL_CAL_MAX_BUSINESS_DAYS;
        rc = -1;
    }
    if (n == 0) {
        while (!cl_cal_is_business_day(cal, day) && day < CL_DAY_MAX)
            day++;
        *out = day;
        return cl_cal_is_business_day(cal, day) ? rc : -1;
    }
    int step = n > 0 ? 1 : -1;
    cl_day end = n > 0 ? CL_DAY_MAX : CL_DAY_MIN;
    int left = n > 0 ? n : -n;
    while (left > 0) {
        if (day == end) {
            rc = -1;
            break;
        }
        day += step;
        if (cl_cal_is_business_day(cal, day))
            left--;
    }
    *out = day;
    return rc;
}

cl_day
cl_cal_add_business_days(const cl_calendar *cal, cl_day day, int n)
{
    cl_day out;
    (void)cl_cal_add_business_days_checked(cal, day, n, &out);
    return out;
}

cl_day
cl_cal_first_business_day(const cl_calendar *cal, const cl_period *p)
{
    return cl_cal_add_business_days(cal, p->first, 0);
}
