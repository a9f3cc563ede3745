/* tz.c - a time zone's POSIX rule (tz.h). */
#include "tz.h"

#include <string.h>

void
cl_tz_utc(cl_tz *out)
{
    memset(out, 0, sizeof *out);
}

/* A zone abbreviation: three or more letters, or <...> of +, - and alnum. */
static const char *
abbrev(const char *p)
{
    const char *s = p;
    if (*p == '<') {
        for (p++; *p && *p != '>'; p++)
            if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                  (*p >= '0' && *p <= '9') || *p == '+' || *p == '-'))
                return NULL;
        return *p == '>' && p - s >= 4 ? p + 1 : NULL;
    }
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
        p++;
    return p - s >= 3 ? p : NULL;
}

static const char *
number(const char *p, int max, int *out)
{
    int n = 0, digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 3) {
        n = n * 10 + (*p++ - '0');
        digits++;
    }
    if (digits == 0 || n > max)
        return NULL;
    *out = n;
    return p;
}

/* [+-]hh[:mm[:ss]] into seconds; hours up to max. */
static const char *
hms(const char *p, int max, int *out)
{
    int sign = 1, h, m = 0, sec = 0;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    if ((p = number(p, max, &h)) == NULL)
        return NULL;
    if (*p == ':' && (p = number(p + 1, 59, &m)) != NULL && *p == ':')
        p = number(p + 1, 59, &sec);
    if (p == NULL)
        return NULL;
    *out = sign * (h * 3600 + m * 60 + sec);
    return p;
}

/* ,Mm.w.d[/time] */
static const char *
rule(const char *p, cl_tz_rule *r)
{
    if (*p++ != ',' || *p++ != 'M')
        return NULL;
    if ((p = number(p, 12, &r->m)) == NULL || r->m < 1 || *p++ != '.' ||
        (p = number(p, 5, &r->w)) == NULL || r->w < 1 || *p++ != '.' ||
        (p = number(p, 6, &r->d)) == NULL)
        return NULL;
    r->secs = 7200;
    if (*p == '/')
        p = hms(p + 1, 167, &r->secs);
    return p;
}

int
cl_tz_parse(const char *s, cl_tz *out)
{
    cl_tz z;
    int west;
    const char *p = s ? abbrev(s) : NULL;
    if (p == NULL || (p = hms(p, 24, &west)) == NULL)
        return -1;
    memset(&z, 0, sizeof z);
    z.std_east = -west;
    z.dst_east = z.std_east;
    if (*p) {
        if ((p = abbrev(p)) == NULL)
            return -1;
        z.has_dst = 1;
        z.dst_east = z.std_east + 3600;
        if (*p && *p != ',') {
            if ((p = hms(p, 24, &west)) == NULL)
                return -1;
            z.dst_east = -west;
        }
        /* Without rules POSIX leaves the dates to the implementation;
           tzdata always writes them, so a string without is refused. */
        if ((p = rule(p, &z.start)) == NULL || (p = rule(p, &z.end)) == NULL)
            return -1;
    }
    if (*p)
        return -1;
    *out = z;
    return 0;
}

/* The day of the rule's change in year y. */
static cl_day
rule_day(const cl_tz_rule *r, int y)
{
    cl_day first = cl_date_from_ymd(y, r->m, 1);
    /* cl_date_weekday counts from Monday; POSIX's d from Sunday. */
    int wd = (cl_date_weekday(first) + 1) % 7;
    cl_day d = first + (r->d - wd + 7) % 7 + 7 * (r->w - 1);
    cl_day next = cl_date_from_ymd(y, r->m + 1, 1);
    while (d >= next)
        d -= 7;
    return d;
}

int
cl_tz_offset(const cl_tz *z, cl_time t)
{
    if (!z->has_dst)
        return z->std_east;
    int y;
    cl_date_ymd(cl_time_day(t + z->std_east), &y, NULL, NULL);
    /* Each change happens at a local time of the offset it ends. */
    cl_time start =
        (cl_time)rule_day(&z->start, y) * 86400 + z->start.secs - z->std_east;
    cl_time end =
        (cl_time)rule_day(&z->end, y) * 86400 + z->end.secs - z->dst_east;
    int dst = start < end ? t >= start && t < end : t < end || t >= start;
    return dst ? z->dst_east : z->std_east;
}

cl_day
cl_tz_day(const cl_tz *z, cl_time t)
{
    return cl_time_day(t + cl_tz_offset(z, t));
}

int
cl_tz_hour(const cl_tz *z, cl_time t)
{
    cl_time local = t + cl_tz_offset(z, t);
    return (int)((local - (cl_time)cl_time_day(local) * 86400) / 3600);
}

int
cl_tz_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n > 64 || name[0] == '/')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-' ||
              c == '/'))
            return 0;
    }
    return 1;
}
