/*
 * workflow_sessions.c - sessions opened or scheduled by hand (issue 16):
 * the checks on kind, period and day, the schedules whose day has come,
 * and what opens next.  The cadence itself is in workflow_cadence.c.
 */
#include <stdio.h>
#include <string.h>

#include "workflow.h"
#include "workflow_int.h"

const char *
cl_wf_session_report(const char *kind)
{
    static const char *const map[][2] = {{"monthly_debrief", "monthly"},
                                         {"bad_fit_review", "bad-fit"},
                                         {"icp_review", "icp"},
                                         {"recovery_review", "recovery"}};
    for (size_t i = 0; kind && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], kind) == 0)
            return map[i][1];
    return NULL;
}

static int
exists(const cl_wf_session *existing, size_t n, const char *kind,
       const char *period)
{
    for (size_t i = 0; i < n; i++)
        if (existing[i].kind && existing[i].period &&
            strcmp(existing[i].kind, kind) == 0 &&
            strcmp(existing[i].period, period) == 0)
            return 1;
    return 0;
}

/* The kind and the period's shape; p parsed. */
static cl_err
check_kind_period(const char *kind, const char *period, cl_period *p,
                  cl_error *err)
{
    if (!cl_wf_session_report(kind))
        return cl_error_set_field(err, CL_EINVAL, "kind",
                                  "kind: expected monthly_debrief, "
                                  "bad_fit_review, icp_review or "
                                  "recovery_review");
    int debrief = strcmp(kind, "monthly_debrief") == 0;
    if (!period || cl_period_parse(period, p) != 0 ||
        (debrief && p->kind != CL_PERIOD_MONTH) ||
        (!debrief && p->kind != CL_PERIOD_QUARTER))
        return cl_error_set_field(err, CL_EINVAL, "period",
                                  debrief ? "period: a monthly debrief is for "
                                            "a month (YYYY-MM)"
                                          : "period: a review is for a "
                                            "quarter (YYYYQn)");
    return CL_OK;
}

/* The period is over before day and began at most the range back. */
static cl_err
check_range(const cl_period *p, cl_day day, cl_day today, cl_error *err)
{
    char first[11];
    cl_date_format(today - CL_WF_OPEN_BACK_DAYS, first);
    if (p->last >= day)
        return cl_error_set_field(err, CL_EINVAL, "period",
                                  "period: %s is not over yet; a session "
                                  "reviews a finished period",
                                  p->label);
    if (p->first < today - CL_WF_OPEN_BACK_DAYS)
        return cl_error_set_field(err, CL_EINVAL, "period",
                                  "period: %s began before %s; sessions go "
                                  "back at most five years",
                                  p->label, first);
    return CL_OK;
}

static void
push_open(cl_wf_effects *out, const cl_wf_config *cfg, const char *prefix,
          const char *kind, const char *period)
{
    cl_wf_effect *e =
        cl__wf_push(out, CL_WF_OPEN_SESSION,
                    cl__wf_fmt(out, "%s:%s:%s", prefix, kind, period));
    if (!e)
        return;
    e->what = cl__wf_str(out, kind);
    e->period = cl__wf_str(out, period);
    e->report = cl_wf_session_report(kind);
    e->recipient_id = cl__wf_str(out, cfg->revops_id);
    e->title = cl__wf_fmt(out, "%s %s", cl__wf_kind_words(kind), period);
}

cl_err
cl_wf_session_open_now(const cl_wf_config *cfg, const char *kind,
                       const char *period, cl_day today,
                       const cl_wf_session *existing, size_t nexisting,
                       cl_wf_effects *out, cl_error *err)
{
    cl_period p;
    cl_err rc = check_kind_period(kind, period, &p, err);
    if (rc == CL_OK)
        rc = check_range(&p, today, today, err);
    if (rc != CL_OK)
        return rc;
    if (!exists(existing, nexisting, kind, p.label))
        push_open(out, cfg, "manual", kind, p.label);
    return cl__wf_finish(out, err);
}

cl_err
cl_wf_session_schedule_check(const char *kind, const char *period,
                             cl_day open_on, cl_day today,
                             const cl_wf_session *existing, size_t nexisting,
                             cl_error *err)
{
    cl_period p;
    char a[11], b[11];
    cl_err rc = check_kind_period(kind, period, &p, err);
    if (rc != CL_OK)
        return rc;
    cl_date_format(today, a);
    cl_date_format(today + CL_WF_SCHEDULE_AHEAD_DAYS, b);
    if (open_on < today || open_on > today + CL_WF_SCHEDULE_AHEAD_DAYS)
        return cl_error_set_field(err, CL_EINVAL, "open_on",
                                  "open_on: expected a day from %s to %s", a,
                                  b);
    if ((rc = check_range(&p, open_on, today, err)) != CL_OK)
        return rc;
    if (exists(existing, nexisting, kind, p.label))
        return cl_error_set_field(err, CL_ECONFLICT, "period",
                                  "period: the %s of %s is open already",
                                  cl__wf_kind_words(kind), p.label);
    return CL_OK;
}

cl_err
cl_wf_schedule_tick(const cl_wf_config *cfg, const cl_wf_schedule *s, size_t n,
                    cl_day today, const cl_wf_session *existing,
                    size_t nexisting, cl_wf_effects *out, cl_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (s[i].kind && s[i].period && s[i].open_on <= today &&
            cl_wf_session_report(s[i].kind) &&
            !exists(existing, nexisting, s[i].kind, s[i].period))
            push_open(out, cfg, "schedule", s[i].kind, s[i].period);
    return cl__wf_finish(out, err);
}

static void
add_next(cl_wf_next_session *out, size_t max, size_t *n, const char *kind,
         const char *period, cl_day on, int scheduled)
{
    if (*n >= max)
        return;
    /* Kept sorted by day: insertion, the list is a handful long. */
    size_t at = *n;
    while (at > 0 && out[at - 1].open_on > on)
        at--;
    memmove(out + at + 1, out + at, (*n - at) * sizeof *out);
    out[at] = (cl_wf_next_session){"", "", on, scheduled};
    snprintf(out[at].kind, sizeof out[at].kind, "%s", kind);
    snprintf(out[at].period, sizeof out[at].period, "%s", period);
    (*n)++;
}

void
cl_wf_sessions_next(const cl_calendar *cal, cl_day today,
                    const cl_wf_schedule *s, size_t ns,
                    const cl_wf_session *existing, size_t nexisting,
                    cl_wf_next_session *out, size_t max, size_t *n)
{
    static const char *const reviews[] = {"bad_fit_review", "icp_review",
                                          "recovery_review"};
    *n = 0;
    for (size_t i = 0; i < ns; i++)
        if (s[i].kind && s[i].period &&
            !exists(existing, nexisting, s[i].kind, s[i].period))
            add_next(out, max, n, s[i].kind, s[i].period, s[i].open_on, 1);
    cl_period month = cl_period_of(CL_PERIOD_MONTH, today);
    cl_period quarter = cl_period_of(CL_PERIOD_QUARTER, today);
    cl_period nm = cl_period_shift(&month, 1),
              nq = cl_period_shift(&quarter, 1);
    int held = 0;
    for (size_t i = 0; i < ns; i++)
        held |= s[i].kind && s[i].period &&
                strcmp(s[i].kind, "monthly_debrief") == 0 &&
                strcmp(s[i].period, month.label) == 0;
    if (!held && !exists(existing, nexisting, "monthly_debrief", month.label))
        add_next(out, max, n, "monthly_debrief", month.label,
                 cl_cal_first_business_day(cal, &nm), 0);
    for (size_t k = 0; k < 3; k++) {
        held = 0;
        for (size_t i = 0; i < ns; i++)
            held |= s[i].kind && s[i].period &&
                    strcmp(s[i].kind, reviews[k]) == 0 &&
                    strcmp(s[i].period, quarter.label) == 0;
        if (!held && !exists(existing, nexisting, reviews[k], quarter.label))
            add_next(out, max, n, reviews[k], quarter.label,
                     cl_cal_first_business_day(cal, &nq), 0);
    }
}
