/*
 * engine_sessions.c - sessions opened now or scheduled by hand (issue 16).
 * The engine stays the one place that creates sessions: a session opened
 * here goes through the same OPEN_SESSION effect as the cadence's, so its
 * pack and thresholds are built the same way, and (kind, period) is
 * unique, so opening twice opens once.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../store/store_schedule.h"
#include "engine_int.h"

typedef struct sessions {
    cl__eng *e;
    cl_wf_session *v;
    size_t n, cap;
    int oom;
} sessions;

static void *
grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return *v;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = realloc(*v, c * size);
    if (p) {
        *v = p;
        *cap = c;
    }
    return p;
}

static int
session_cb(void *ud, const cl_store_session_row *r)
{
    sessions *l = ud;
    if (!grow((void **)&l->v, &l->cap, l->n, sizeof *l->v)) {
        l->oom = 1;
        return 1;
    }
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    l->v[l->n++] = (cl_wf_session){
        cl__eng_str(l->e, id), cl__eng_str(l->e, r->kind),
        cl__eng_str(l->e, r->period), strcmp(r->status, "closed") == 0};
    return 0;
}

static cl_err
load_sessions(cl__eng *e, sessions *l, cl_error *err)
{
    *l = (sessions){.e = e};
    cl_err rc = cl_store_sessions_each(e->st, 0, NULL, session_cb, l, err);
    if (rc == CL_OK && (l->oom || e->oom))
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    return rc;
}

typedef struct schedules {
    cl__eng *e;
    cl_wf_schedule *v;
    size_t n, cap;
    int oom;
} schedules;

static int
schedule_cb(void *ud, const cl_store_schedule_row *r)
{
    schedules *l = ud;
    if (!grow((void **)&l->v, &l->cap, l->n, sizeof *l->v)) {
        l->oom = 1;
        return 1;
    }
    l->v[l->n++] =
        (cl_wf_schedule){cl__eng_str(l->e, r->kind),
                         cl__eng_str(l->e, r->period), cl__eng_day(r->open_on)};
    return 0;
}

static cl_err
load_schedules(cl__eng *e, schedules *l, cl_error *err)
{
    *l = (schedules){.e = e};
    cl_err rc = cl_store_schedules_each(e->st, schedule_cb, l, err);
    if (rc == CL_OK && (l->oom || e->oom))
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    return rc;
}

/* The id of (kind, period), 0 when it has none. */
static int64_t
find(const sessions *l, const char *kind, const char *period)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].kind, kind) == 0 &&
            strcmp(l->v[i].period, period) == 0)
            return atoll(l->v[i].id);
    return 0;
}

cl_err
cl_engine_session_open(cl_store *st, const char *kind, const char *period,
                       const char *actor, cl_time now, int64_t *id, int *opened,
                       cl_engine_stats *stats, cl_error *err)
{
    cl__eng e;
    cl_wf_effects fx;
    sessions l = {0};
    *id = 0;
    *opened = 0;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    cl_wf_effects_init(&fx);
    rc = cl__eng_check_may(&e, actor, "--by", CL_VA_SESSION_OPEN, NULL, err);
    if (rc == CL_OK)
        rc = load_sessions(&e, &l, err);
    if (rc == CL_OK)
        rc = cl_wf_session_open_now(&e.cfg, kind, period, e.today, l.v, l.n,
                                    &fx, err);
    int before = e.stats.sessions;
    if (rc == CL_OK)
        rc = cl__eng_apply(&e, &fx, err);
    cl_wf_effects_release(&fx);
    free(l.v);
    l = (sessions){0};
    if (rc == CL_OK)
        rc = load_sessions(&e, &l, err);
    if (rc == CL_OK) {
        cl_period p;
        cl_period_parse(period, &p);
        *id = find(&l, kind, p.label);
        *opened = e.stats.sessions > before;
    }
    free(l.v);
    if (rc == CL_OK && *opened) {
        /* Who opened it by hand, and when: the cadence's own need none. */
        char sid[32], *js = NULL;
        snprintf(sid, sizeof sid, "%lld", (long long)*id);
        json_t *o = json_pack("{s:s, s:s, s:s}", "kind", kind, "period", period,
                              "by", actor);
        js = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        rc = js ? cl_store_audit(st, "sessions", sid, "session_open", NULL, js,
                                 err)
                : cl_error_set(err, CL_ENOMEM, "out of memory");
        free(js);
    }
    return cl__eng_end(&e, rc, stats, err);
}

cl_err
cl_engine_session_schedule(cl_store *st, const char *kind, const char *period,
                           const char *open_on, const char *actor, cl_time now,
                           cl_error *err)
{
    cl__eng e;
    sessions l = {0};
    cl_day on = CL_WF_NO_DAY;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    rc = cl__eng_check_may(&e, actor, "--by", CL_VA_SESSION_OPEN, NULL, err);
    if (rc == CL_OK &&
        (!open_on || (on = cl__eng_day(open_on)) == CL_WF_NO_DAY))
        rc = cl_error_set_field(err, CL_EINVAL, "open_on",
                                "open_on: expected a day YYYY-MM-DD");
    if (rc == CL_OK)
        rc = load_sessions(&e, &l, err);
    if (rc == CL_OK)
        rc = cl_wf_session_schedule_check(kind, period, on, e.today, l.v, l.n,
                                          err);
    free(l.v);
    if (rc == CL_OK) {
        cl_period p;
        char day[11];
        cl_period_parse(period, &p);
        cl_date_format(on, day);
        rc = cl_store_schedule_set(st, kind, p.label, day, actor, err);
    }
    return cl__eng_end(&e, rc, NULL, err);
}

cl_err
cl_engine_sessions_next(cl_store *st, cl_time now, cl_wf_next_session *out,
                        size_t max, size_t *n, cl_error *err)
{
    cl__eng e;
    sessions l = {0};
    schedules s = {0};
    *n = 0;
    cl_err rc = cl__eng_begin(&e, st, "engine", now, err);
    if (rc != CL_OK)
        return rc;
    rc = load_sessions(&e, &l, err);
    if (rc == CL_OK)
        rc = load_schedules(&e, &s, err);
    if (rc == CL_OK)
        cl_wf_sessions_next(&e.cal, e.today, s.v, s.n, l.v, l.n, out, max, n);
    free(l.v);
    free(s.v);
    return cl__eng_end(&e, rc, NULL, err);
}

cl_err
cl__eng_schedule_tick(cl__eng *e, const cl_wf_session *existing,
                      size_t nexisting, cl_wf_session **held, size_t *nheld,
                      cl_error *err)
{
    schedules s = {0};
    cl_wf_effects fx;
    *held = NULL;
    *nheld = 0;
    cl_err rc = load_schedules(e, &s, err);
    cl_wf_effects_init(&fx);
    if (rc == CL_OK)
        rc = cl_wf_schedule_tick(&e->cfg, s.v, s.n, e->today, existing,
                                 nexisting, &fx, err);
    if (rc == CL_OK)
        rc = cl__eng_apply(e, &fx, err);
    cl_wf_effects_release(&fx);
    /* Every scheduled (kind, period) is held back from the cadence: its
       day is the one RevOps chose. */
    if (rc == CL_OK && s.n) {
        *held = calloc(nexisting + s.n, sizeof **held);
        if (!*held)
            rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    if (rc == CL_OK && *held) {
        memcpy(*held, existing, nexisting * sizeof *existing);
        for (size_t i = 0; i < s.n; i++)
            (*held)[nexisting + i] =
                (cl_wf_session){"0", s.v[i].kind, s.v[i].period, 0};
        *nheld = nexisting + s.n;
    }
    free(s.v);
    return rc;
}
