/*
 * engine_pack.c - a session's pack: the JSON of its report for its period.
 *
 * The report builders (analytics/report.h) are not in this build yet; until
 * they are, sessions open without a pack and this says so by returning
 * *json = NULL.  The shell stores whatever this returns.
 */
#include "engine_int.h"

cl_err
cl__eng_pack(cl__eng *e, const char *report, const char *period, char **json,
             cl_error *err)
{
    (void)e;
    (void)report;
    (void)period;
    (void)err;
    *json = NULL;
    return CL_OK;
}
