/*
 * date.h - calendar dates, periods and the business calendar.
 *
 * Dates are whole days counted from 1970-01-01 in the proleptic Gregorian
 * calendar, so arithmetic is integer arithmetic and comparison is `<`.
 * Nothing here reads the clock: "now" is always an argument.
 */
#ifndef CL_DATE_H
#define CL_DATE_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t cl_day;  /* days since 1970-01-01 */
typedef int64_t cl_time; /* seconds since 1970-01-01T00:00Z */

/* Years outside [1900, 2999] are refused by every parser here. */

/* The first and last day of those years: 1900-01-01 and 2999-12-31.  The
   business calendar works within them. */
#define CL_DAY_MIN ((cl_day)-25567)
#define CL_DAY_MAX ((cl_day)376199)

/*
 * Parses exactly "YYYY-MM-DD" (len bytes of s, no NUL needed) into *out.
 * Returns 0, or -1 if the text is not a real calendar date.
 */
int cl_date_parse(const char *s, size_t len, cl_day *out);

/*
 * Writes "YYYY-MM-DD" and a NUL into out.  A year outside 0000..9999 is
 * clamped to those bounds so that out never overflows.
 */
void cl_date_format(cl_day d, char out[11]);

/*
 * Writes the day as people read it, "14 Mar 2026" (the day without a
 * leading zero, the month's English abbreviation), and a NUL into out: for
 * notification titles and e-mail subjects (issue 16).  What is stored, and
 * the dates of JSON fields, stay "YYYY-MM-DD".  Years clamp as above.
 */
#define CL_DATE_WORDS_MAX 12
void cl_date_words(cl_day d, char out[CL_DATE_WORDS_MAX]);

/*
 * The day of year y, month m, day of month d.  No range check: month 13 is
 * January of the next year and day 0 is the last day of the month before,
 * which is what date arithmetic wants.
 */
cl_day cl_date_from_ymd(int y, int m, int d);

/* Splits day into year, month 1-12 and day 1-31 (any pointer may be NULL). */
void cl_date_ymd(cl_day day, int *y, int *m, int *d);

/* 0 = Monday ... 6 = Sunday. */
int cl_date_weekday(cl_day day);

/* day plus n calendar months, the day of month clamped to the month's end. */
cl_day cl_date_add_months(cl_day day, int n);

/* Parses exactly "YYYY-MM" (len bytes of s) into *y, *m.  Returns 0 or -1. */
int cl_month_parse(const char *s, size_t len, int *y, int *m);

/*
 * Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (UTC, 00:00 to 23:59; s is
 * NUL-terminated) into *out.  A bare date means its midnight.  Returns 0 or
 * -1.
 */
int cl_time_parse(const char *s, cl_time *out);

/* The day that the instant t falls on. */
cl_day cl_time_day(cl_time t);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" and a NUL into out. */
void cl_time_format(cl_time t, char out[21]);

typedef enum cl_period_kind {
    CL_PERIOD_MONTH,
    CL_PERIOD_QUARTER
} cl_period_kind;

typedef struct cl_period {
    cl_period_kind kind;
    int year;
    int index;     /* month 1-12 or quarter 1-4 */
    cl_day first;  /* first day, inclusive */
    cl_day last;   /* last day, inclusive */
    char label[8]; /* "2026-07" or "2026Q3" */
} cl_period;

/*
 * Parses "YYYY-MM" (a month) or "YYYYQn" (a quarter, n 1-4, upper-case Q)
 * from the NUL-terminated s.  Returns 0 or -1.
 */
int cl_period_parse(const char *s, cl_period *out);

/* The month or quarter that contains day. */
cl_period cl_period_of(cl_period_kind kind, cl_day day);

/* The period n periods after p (n may be negative). */
cl_period cl_period_shift(const cl_period *p, int n);

/*
 * The business calendar: the days outside the workspace's working weekdays
 * (Saturdays and Sundays by default) and its holidays are not business
 * days.  holidays must be sorted ascending; the calendar does
 * not own it.  Every cl_cal_ function takes cal == NULL as "no holidays".
 */
typedef struct cl_calendar {
    const cl_day *holidays;
    size_t nholidays;
    /* The working weekdays, bit 0 Monday ... bit 6 Sunday; 0 means Monday
       to Friday, so a zeroed calendar is the default one. */
    unsigned weekdays;
} cl_calendar;

/* Monday to Friday as a weekday mask. */
#define CL_CAL_MON_FRI 0x1fu

/*
 * Parses the setting business_days: day names mon tue wed thu fri sat sun,
 * single or as ranges, comma-separated ("mon-fri", "sun-thu", "mon-fri,sat",
 * "mon,wed,fri"); a range may wrap past Sunday.  Into *mask (bit 0 Monday).
 * Returns 0, or -1 for anything else or no day at all.
 */
int cl_cal_weekdays_parse(const char *s, unsigned *mask);

/* 1 if day is a business day, else 0.  Holidays are found by binary search. */
int cl_cal_is_business_day(const cl_calendar *cal, cl_day day);

/* The most business days one step of the calendar moves: ten years. */
#define CL_CAL_MAX_BUSINESS_DAYS 2610

/*
 * Into *out, the business day n business days after day (n > 0), before it
 * (n < 0), or the first business day on or after day (n == 0).  "5 business
 * days after a Friday close" is the following Friday when no holiday
 * intervenes.  For n != 0, day itself is never counted, business day or
 * not.
 *
 * n must be within +-CL_CAL_MAX_BUSINESS_DAYS and day within [CL_DAY_MIN,
 * CL_DAY_MAX].  Returns 0; or -1 when n or day is outside its range or the
 * answer would fall outside [CL_DAY_MIN, CL_DAY_MAX].  Then *out is still
 * a day within that range: n and day are clamped to their ranges and the
 * walk stops at the range's end.  The walk is one day at a time and never
 * longer than the range.
 */
int cl_cal_add_business_days_checked(const cl_calendar *cal, cl_day day, int n,
                                     cl_day *out);

/*
 * cl_cal_add_business_days_checked for callers whose n and day are in range
 * by construction (the thresholds are, by their ranges; the importers'
 * dates are): the same day, and on bad input the clamped one.
 */
cl_day cl_cal_add_business_days(const cl_calendar *cal, cl_day day, int n);

/* The first business day of the month or quarter p (clamped to CL_DAY_MAX
   as cl_cal_add_business_days is). */
cl_day cl_cal_first_business_day(const cl_calendar *cal, const cl_period *p);

#endif
