/*
 * tz.h - the workspace's time zone, as a rule: a POSIX TZ string such as
 * the one at the end of every tzdata (TZif) file, e.g. "CET-1CEST,M3.5.0,
 * M10.5.0/3" for Europe/Berlin.  The shell reads the string from the zone
 * file of the IANA name (the timezone setting); everything here is pure,
 * the instant always an argument.
 *
 * The rule is the zone's current one, so a past instant before the zone's
 * last change of rule is reckoned by today's rule: closeloop asks the zone
 * what day and hour it is now (the daily tick) and around now, never about
 * history.
 */
#ifndef CL_TZ_H
#define CL_TZ_H

#include "date.h"

/* One change of offset: month m, week w (1-4, 5 = last), weekday d (0 =
   Sunday, as POSIX counts), at secs seconds of local time (may be negative
   or past 24 hours). */
typedef struct cl_tz_rule {
    int m, w, d;
    int secs;
} cl_tz_rule;

typedef struct cl_tz {
    int std_east; /* seconds east of UTC in standard time */
    int dst_east; /* in daylight saving time */
    int has_dst;
    cl_tz_rule start, end; /* DST starts (in standard time), ends (in DST) */
} cl_tz;

/* UTC. */
void cl_tz_utc(cl_tz *out);

/*
 * Parses a POSIX TZ string ("UTC0", "EST5EDT,M3.2.0,M11.1.0",
 * "<+0530>-5:30", "AEST-10AEDT,M10.1.0,M4.1.0/3").  Only the M form of
 * rules is taken (what tzdata writes).  Returns 0, or -1 when s is not one.
 */
int cl_tz_parse(const char *s, cl_tz *out);

/* The zone's offset east of UTC, in seconds, at the instant t. */
int cl_tz_offset(const cl_tz *z, cl_time t);

/* The local day and the local hour (0-23) of the instant t. */
cl_day cl_tz_day(const cl_tz *z, cl_time t);
int cl_tz_hour(const cl_tz *z, cl_time t);

/*
 * 1 when name can be an IANA zone name: 1 to 64 characters of letters,
 * digits, '_', '+', '-' and '/', no leading '/', no "." at all (so it
 * never leaves the zone directory).  Whether the zone exists is the shell's
 * question (its file).
 */
int cl_tz_name_ok(const char *name);

#endif
