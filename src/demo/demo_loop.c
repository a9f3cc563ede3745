/*
 * demo_loop.c - the demo's loop replay (demo_loop.h): the acts of the
 * generator's window, the engine's tick and the simulated people, day by
 * day.  The simulated people and what they write are in
 * demo_loop_people.c.
 */
#include "demo_loop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/strset.h"
#include "demo_int.h"
#include "demo_loop_int.h"
#include "../io/import.h"

/* The loop's own PRNG stream (the generator uses 1 to 5). */
#define LOOP_STREAM 11

typedef struct act {
    cl_demo_verb verb;
    cl_day on;
    cl_kind kind;
    size_t seq;
    const char *actor;
    const char **cells; /* n cells, then the strings, in one block */
    size_t n;
} act;

struct cl_demo_loop {
    uint64_t seed;
    act *v;
    size_t n, cap;
    cl_strset *reviewed;  /* deals a REVIEW act will review */
    cl_strset *no_review; /* won new deals nobody reviews: tasks stay open */
    cl_calendar cal;
};

/* ---- building ------------------------------------------------------------
 */

cl_demo_loop *
cl_demo_loop_new(uint64_t seed)
{
    cl_demo_loop *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->seed = seed;
    l->reviewed = cl_strset_new();
    l->no_review = cl_strset_new();
    if (l->reviewed == NULL || l->no_review == NULL) {
        cl_demo_loop_free(l);
        return NULL;
    }
    return l;
}

void
cl_demo_loop_free(cl_demo_loop *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].cells);
    free(l->v);
    cl_strset_free(l->reviewed);
    cl_strset_free(l->no_review);
    cl_engine_calendar_free(&l->cal);
    free(l);
}

cl_err
cl_demo_loop_add(void *ud, const cl_demo_act *a, cl_error *err)
{
    cl_demo_loop *l = ud;
    if (cl_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v) != CL_OK)
        return cl_error_set(err, CL_ENOMEM, "demo: out of memory");
    /* One block: the cell pointers, then every string with its NUL. */
    size_t bytes = (a->n + 1) * sizeof(char *);
    for (size_t i = 0; i < a->n; i++)
        bytes += strlen(a->cells[i]) + 1;
    bytes += a->actor ? strlen(a->actor) + 1 : 0;
    const char **cells = malloc(bytes);
    if (cells == NULL)
        return cl_error_set(err, CL_ENOMEM, "demo: out of memory");
    char *p = (char *)(cells + a->n + 1);
    for (size_t i = 0; i <= a->n; i++) {
        const char *s = i < a->n ? a->cells[i] : a->actor;
        if (s == NULL) {
            cells[i] = NULL;
            continue;
        }
        size_t len = strlen(s) + 1;
        memcpy(p, s, len);
        cells[i] = p;
        p += len;
    }
    act *x = &l->v[l->n];
    *x = (act){a->verb, a->on, a->kind, l->n, cells[a->n], cells, a->n};
    l->n++;
    if (a->verb == CL_DEMO_REVIEW &&
        cl_strset_add(l->reviewed, cells[0], strlen(cells[0])) < 0)
        return cl_error_set(err, CL_ENOMEM, "demo: out of memory");
    return CL_OK;
}

static int
act_cmp(const void *pa, const void *pb)
{
    const act *a = pa, *b = pb;
    if (a->on != b->on)
        return a->on < b->on ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* ---- the pure helpers ----------------------------------------------------
 */

static uint64_t
key_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void
cl__demo_loop_rng(rng *r, uint64_t seed, const char *key)
{
    cl__demo_rng_seed(r, seed, LOOP_STREAM, key_hash(key));
}

cl_day
cl_demo_loop_act_day(uint64_t seed, const char *key, const cl_calendar *cal,
                     cl_day opened, cl_day due)
{
    rng r;
    cl__demo_loop_rng(&r, seed, key);
    if (due == CL_WF_NO_DAY)
        due = cl_cal_add_business_days(cal, opened, 5);
    int u = cl__demo_range(&r, 0, 99);
    if (u < 8)
        return CL_DEMO_NEVER;
    cl_day d =
        u < 28 ? cl_cal_add_business_days(cal, due, cl__demo_range(&r, 1, 8))
               : cl_cal_add_business_days(cal, due, -cl__demo_range(&r, 0, 3));
    return d < opened ? opened : d;
}

/* ---- one day -------------------------------------------------------------
 */

static cl_time
at(cl_day d, int hour)
{
    return (cl_time)d * 86400 + hour * 3600;
}

cl_err
cl__demo_loop_soft(cl_demo_loop_stats *s, cl_err rc, cl_error *err)
{
    if (rc != CL_EINVAL && rc != CL_ECONFLICT && rc != CL_ENOTFOUND)
        return rc;
    if (s->skipped++ == 0)
        snprintf(s->first_skip, sizeof s->first_skip, "%s", err->msg);
    cl_error_clear(err);
    return CL_OK;
}

static void
on_bad(void *ud, const char *msg)
{
    cl_demo_loop_stats *s = ud;
    if (s->skipped++ == 0)
        snprintf(s->first_skip, sizeof s->first_skip, "%s", msg);
}

/* Imports the rows that arrive in v[from, to), one import per kind. */
static cl_err
arrive(cl_demo_loop *l, cl_store *st, size_t from, size_t to, cl_day d,
       cl_demo_loop_stats *stats, cl_error *err)
{
    (void)l;
    for (int k = 0; k < CL_KIND_COUNT; k++) {
        const cl_kind_def *def = cl_kind_get((cl_kind)k);
        cl_importer *imp = NULL;
        cl_import_opts o = {.actor = "demo",
                            .now = at(d, 8),
                            .source = def->name,
                            .few_rows = 1,
                            .on_bad = on_bad,
                            .ud = stats};
        cl_err rc = CL_OK;
        for (size_t i = from; i < to && rc == CL_OK; i++) {
            act *a = &l->v[i];
            if (a->verb != CL_DEMO_ARRIVE || a->kind != (cl_kind)k)
                continue;
            if (imp == NULL) {
                const char *header[32];
                for (size_t f = 0; f < def->nfields; f++)
                    header[f] = def->fields[f].name;
                rc = cl_importer_new(st, (cl_kind)k, &o, &imp, err);
                if (rc == CL_OK)
                    rc = cl_importer_header(imp, header, def->nfields, 1, err);
            }
            if (rc == CL_OK)
                rc = cl_importer_row(imp, a->cells, a->n, 0, err);
            stats->arrivals++;
        }
        if (imp && rc != CL_OK) {
            cl_importer_abort(imp);
            return rc;
        }
        if (imp) {
            cl_import_report rep;
            rc = cl__demo_loop_soft(stats, cl_importer_finish(imp, &rep, err),
                                    err);
            if (rc != CL_OK)
                return rc;
        }
    }
    return CL_OK;
}

/* The cell named name of a's row, NULL when empty. */
static const char *
cell(const act *a, const char *name)
{
    int i = cl_kind_field_index(cl_kind_get(a->kind), name);
    return i >= 0 && (size_t)i < a->n && *a->cells[i] ? a->cells[i] : NULL;
}

/* The people's acts of the generator in v[from, to). */
static cl_err
acts(cl_demo_loop *l, cl_store *st, size_t from, size_t to, cl_day d,
     cl_demo_loop_stats *s, cl_error *err)
{
    cl_err rc = CL_OK;
    cl_time now = at(d, 10);
    for (size_t i = from; i < to && rc == CL_OK; i++) {
        act *a = &l->v[i];
        if (a->verb == CL_DEMO_TAG) {
            cl_wf_tag tag = {cell(a, "primary_cause"),
                             cell(a, "contributing_causes"),
                             cell(a, "stated_reason"), cell(a, "diagnosis"),
                             cell(a, "predictive_behavior")};
            rc = cl_engine_churn_tag(st, a->cells[0], &tag, a->actor, now,
                                     &s->engine, err);
            s->tags += rc == CL_OK;
        } else if (a->verb == CL_DEMO_REVIEW) {
            static const char *const q[7] = {"q1", "q2", "q3", "q4",
                                             "q5", "q6", "q7"};
            cl_wf_review rv = {.gut_read = cell(a, "gut_read"), .held_on = d};
            for (int k = 0; k < 7; k++)
                rv.answers[k] = cell(a, q[k]);
            rv.csm_flags[0] = cell(a, "implementation_risk");
            rv.csm_flags[1] = cell(a, "capacity_risk");
            rv.csm_flags[2] = cell(a, "context_gaps");
            rv.csm_note = cell(a, "csm_note");
            rc = cl_engine_review_record(st, a->cells[0], &rv, a->actor, now,
                                         &s->engine, err);
            s->reviews += rc == CL_OK;
        } else if (a->verb == CL_DEMO_CLASSIFY) {
            rc = cl_engine_recovery_classify(
                st, cell(a, "new_deal_id"), cell(a, "recovery_type"),
                cell(a, "cs_intervention"), cell(a, "what_changed"), -1,
                a->actor, now, err);
            s->recoveries += rc == CL_OK;
        }
        rc = cl__demo_loop_soft(s, rc, err);
    }
    return rc;
}

/* ---- the whole window ----------------------------------------------------
 */

typedef struct tally {
    cl_day today;
    cl_demo_loop_stats *s;
} tally;

static int
tally_cb(void *ud, const cl_store_task_row *t)
{
    tally *x = ud;
    cl_day due;
    if (strcmp(t->status, "open") != 0) {
        x->s->done_tasks++;
        return 0;
    }
    x->s->open_tasks++;
    if (t->due_on && cl_date_parse(t->due_on, strlen(t->due_on), &due) == 0 &&
        due < x->today)
        x->s->overdue_tasks++;
    return 0;
}

cl_err
cl_demo_loop_run(cl_demo_loop *l, cl_store *st, cl_day from, cl_day last,
                 cl_demo_loop_stats *stats, cl_error *err)
{
    memset(stats, 0, sizeof *stats);
    cl_engine_calendar_free(&l->cal);
    cl_err rc = cl_engine_calendar(st, &l->cal, err);
    if (rc != CL_OK)
        return rc;
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, act_cmp);
    size_t next = 0;
    for (cl_day d = from; d <= last && rc == CL_OK; d++) {
        if (!cl_cal_is_business_day(&l->cal, d))
            continue;
        /* Every four weeks of work the tables have grown enough that
           plans made on the month before are the wrong ones (the caller
           analyzed the records before the first day). */
        if (++stats->days % 20 == 0)
            rc = cl_store_analyze_all(st, err);
        size_t end = next;
        while (end < l->n && l->v[end].on <= d)
            end++;
        if (rc == CL_OK)
            rc = arrive(l, st, next, end, d, stats, err);
        if (rc == CL_OK)
            rc = cl_engine_tick(st, at(d, 9), &stats->engine, err);
        if (rc == CL_OK)
            rc = acts(l, st, next, end, d, stats, err);
        if (rc == CL_OK)
            rc = cl__demo_loop_people(l->seed, &l->cal, l->reviewed,
                                      l->no_review, st, d, stats, err);
        next = end;
    }
    if (rc == CL_OK)
        rc = cl_store_analyze_all(st, err);
    if (rc != CL_OK)
        return rc;
    tally x = {last + 1, stats};
    cl_store_task_filter f = {0};
    return cl_store_tasks_each(st, &f, tally_cb, &x, err);
}
