/*
 * engine_zone.c - the workspace's time zone (setting timezone, an IANA
 * name): its rule read from the tzdata file of that name, the POSIX TZ
 * string tzdata writes on the file's last line (core/tz.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* Zone files are a few kilobytes; anything larger is not one. */
#define ZONE_FILE_MAX 65536

cl_err
cl_engine_zone_load(const char *name, cl_tz *out, cl_error *err)
{
    char path[512], buf[ZONE_FILE_MAX + 1];
    const char *dir = getenv("TZDIR");
    if (!cl_tz_name_ok(name))
        return cl_error_set(err, CL_EINVAL,
                            "timezone: expected an IANA zone name such as "
                            "Europe/Berlin, got '%.64s'",
                            name ? name : "");
    snprintf(path, sizeof path, "%s/%s",
             dir && *dir ? dir : "/usr/share/zoneinfo", name);
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    /* A TZif file of version 2 or later ends "\nRULE\n". */
    int ok = n >= 44 && n <= ZONE_FILE_MAX && memcmp(buf, "TZif", 4) == 0 &&
             buf[4] >= '2' && buf[n - 1] == '\n';
    if (ok) {
        buf[n - 1] = '\0';
        size_t i = n - 1;
        while (i > 0 && buf[i - 1] != '\n')
            i--;
        ok = i > 0 && cl_tz_parse(buf + i, out) == 0;
    }
    if (!ok)
        return cl_error_set(err, CL_EINVAL,
                            "timezone: '%s' is not a time zone this server "
                            "knows (an IANA name such as Europe/Berlin)",
                            name);
    return CL_OK;
}

cl_err
cl_engine_zone(cl_store *st, cl_tz *out, cl_error *err)
{
    char name[80];
    int found = 0;
    cl_tz_utc(out);
    cl_err rc =
        cl_store_config_get(st, "timezone", name, sizeof name, &found, err);
    if (rc != CL_OK || !found || name[0] == '\0' || strcmp(name, "UTC") == 0)
        return rc;
    /* A zone the server no longer has (tzdata removed a link) is UTC
       rather than a tick that cannot run. */
    cl_error why;
    if (cl_engine_zone_load(name, out, &why) != CL_OK)
        cl_tz_utc(out);
    return CL_OK;
}

cl_day
cl_engine_today(cl_store *st, cl_time now)
{
    cl_tz zone;
    cl_error err;
    cl_error_clear(&err);
    if (cl_engine_zone(st, &zone, &err) != CL_OK)
        cl_tz_utc(&zone);
    return cl_tz_day(&zone, now);
}
