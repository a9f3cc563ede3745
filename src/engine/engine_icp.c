/*
 * engine_icp.c - the ICP review's explicit "reviewed, no change" decision
 * (issue 14).  An ICP version is a change; a review that keeps the
 * definition is a decision with an owner, a day and a rationale.  It is
 * kept in the audit log, on the version it reviewed: the log is already
 * append-only (triggers refuse UPDATE and DELETE), names who recorded it
 * and when, and every reader of the loop (snapshot, audit report, record
 * trail) sees it without a table of its own.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

typedef struct latest {
    cl_day today;
    int64_t version; /* 0: none in effect */
} latest;

/* The version in effect on today: the highest whose effective_on is due. */
static int
latest_cb(void *ud, const cl_value *row)
{
    latest *l = ud;
    const cl_kind_def *def = cl_kind_get(CL_KIND_ICP);
    const cl_value *on = &row[cl_kind_field_index(def, "effective_on")];
    cl_day d = on->type == CL_V_TEXT ? cl__eng_day(on->s) : CL_WF_NO_DAY;
    if (d != CL_WF_NO_DAY && d <= l->today && row[0].i > l->version)
        l->version = row[0].i;
    return 0;
}

cl_err
cl_engine_icp_no_change(cl_store *st, const char *owner, const char *rationale,
                        const char *actor, cl_time now, int64_t *version,
                        cl_error *err)
{
    cl__eng e;
    latest l = {cl_time_day(now), 0};
    char id[24], on[11];
    *version = 0;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    rc = cl__eng_check_user(&e, owner, "owner", err);
    /* The same rule as a version's rationale (core/record.h). */
    if (rc == CL_OK && cl_text_blank(rationale))
        rc = cl_error_set(err, CL_EINVAL,
                          "rationale: required: say why the definition "
                          "stays as it is");
    if (rc == CL_OK)
        rc = cl_store_each(st, CL_KIND_ICP, latest_cb, &l, err);
    if (rc == CL_OK && l.version == 0)
        rc = cl_error_set(err, CL_EINVAL,
                          "no ICP version is in effect: add version 1 "
                          "instead");
    if (rc == CL_OK) {
        snprintf(id, sizeof id, "%lld", (long long)l.version);
        cl_date_format(l.today, on);
        json_t *o = json_pack("{s:s, s:I, s:s, s:s}", "decided_on", on,
                              "version", (json_int_t)l.version, "owner_id",
                              owner, "rationale", rationale);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        rc = text ? cl_store_audit(st, "icp_versions", id, CL_ICP_NO_CHANGE,
                                   NULL, text, err)
                  : cl_error_set(err, CL_ENOMEM, "out of memory");
        free(text);
    }
    if (rc == CL_OK)
        *version = l.version;
    return cl__eng_end(&e, rc, NULL, err);
}
