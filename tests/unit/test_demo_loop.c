/* test_demo_loop.c - the demo's loop replay: what the generator hands it,
   and when the simulated people act. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/date.h"
#include "core/record.h"
#include "demo/demo.h"
#include "demo/demo_loop.h"

/* ---- rows as "KIND|cell|cell|..." strings, keyed by kind and id -------- */

typedef struct rec {
    char *key;  /* "KIND|ID" (reviews: the deal id) */
    char *text; /* the whole row */
} rec;

typedef struct recs {
    rec *v;
    size_t n, cap;
    /* the acts, when collecting a window */
    int verbs[4];
    cl_day first, last;
    int bad_actor, tagged_arrival;
} recs;

static char *
join(cl_kind kind, const char *const *cells, size_t n)
{
    size_t len = strlen(cl_kind_get(kind)->name) + 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(cells[i]) + 1;
    char *s = malloc(len);
    if (s == NULL) {
        /* cmocka's fail_msg() is not marked noreturn: without the return,
           gcc -O3 sees a sprintf to NULL and refuses the release build. */
        fail_msg("out of memory");
        return NULL;
    }
    char *p = s;
    p += sprintf(p, "%s", cl_kind_get(kind)->name);
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "|%s", cells[i]);
    return s;
}

/* Sets the record of (kind, id): a later row of the same record replaces
   the earlier one, as an import would. */
static void
put(recs *r, cl_kind kind, const char *const *cells, size_t n)
{
    char key[160];
    int keyed = kind == CL_KIND_DEALS || kind == CL_KIND_CHURNS ||
                kind == CL_KIND_RECOVERIES || kind == CL_KIND_REVIEWS;
    if (keyed)
        snprintf(key, sizeof key, "%d|%s", (int)kind, cells[0]);
    else
        snprintf(key, sizeof key, "%d|row%zu", (int)kind, r->n);
    char *text = join(kind, cells, n);
    for (size_t i = 0; keyed && i < r->n; i++)
        if (strcmp(r->v[i].key, key) == 0) {
            free(r->v[i].text);
            r->v[i].text = text;
            return;
        }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
        assert_non_null(r->v);
    }
    r->v[r->n++] = (rec){strdup(key), text};
}

static cl_err
emit(void *ud, cl_kind kind, const char *const *cells, size_t n, cl_error *err)
{
    (void)err;
    put(ud, kind, cells, n);
    return CL_OK;
}

typedef struct held {
    cl_demo_verb verb;
    cl_day on;
    cl_kind kind;
    char **cells;
    size_t n;
} held;

static held acts[20000];
static size_t nacts;

static cl_err
later(void *ud, const cl_demo_act *a, cl_error *err)
{
    recs *r = ud;
    (void)err;
    assert_true(nacts < sizeof acts / sizeof acts[0]);
    held *h = &acts[nacts++];
    *h = (held){a->verb, a->on, a->kind, calloc(a->n, sizeof(char *)), a->n};
    for (size_t i = 0; i < a->n; i++)
        h->cells[i] = strdup(a->cells[i]);
    r->verbs[a->verb]++;
    if (r->first == 0 || a->on < r->first)
        r->first = a->on;
    if (a->on > r->last)
        r->last = a->on;
    r->bad_actor += (a->verb == CL_DEMO_ARRIVE) != (a->actor == NULL);
    if (a->verb == CL_DEMO_ARRIVE && a->kind == CL_KIND_CHURNS) {
        int i = cl_kind_field_index(cl_kind_get(a->kind), "primary_cause");
        r->tagged_arrival += *a->cells[i] != '\0';
    }
    return CL_OK;
}

static int
held_cmp(const void *pa, const void *pb)
{
    const held *a = pa, *b = pb;
    return (a->on > b->on) - (a->on < b->on);
}

static int
text_cmp(const void *pa, const void *pb)
{
    return strcmp(((const rec *)pa)->text, ((const rec *)pb)->text);
}

static void
recs_free(recs *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].key);
        free(r->v[i].text);
    }
    free(r->v);
}

/*
 * The window changes when records arrive, never what they are: the rows
 * emitted at once, then the acts applied in day order (a deal's close
 * replacing its open version, a tag replacing the untagged churn), give
 * exactly the rows of the demo without a window.
 */
static void
test_window_gives_same_records(void **state)
{
    (void)state;
    cl_day today = cl_date_from_ymd(2026, 12, 4);
    recs plain = {0}, windowed = {0};
    cl_error err = {0};
    cl_demo_opts o = {400, 3, today, 0};
    assert_int_equal(cl_demo_generate(&o, emit, &plain, &err), CL_OK);
    o.loop_days = 180;
    o.later = later;
    nacts = 0;
    assert_int_equal(cl_demo_generate(&o, emit, &windowed, &err), CL_OK);

    /* Every kind of act happens, inside the window, with its actor. */
    for (int v = 0; v < 4; v++)
        assert_true(windowed.verbs[v] > 0);
    assert_true(windowed.first >= today - 180);
    assert_true(windowed.last <= today - 1);
    assert_int_equal(windowed.bad_actor, 0);
    assert_int_equal(windowed.tagged_arrival, 0);
    /* Records of the window are not in the first import finished. */
    assert_true(windowed.n < plain.n);

    qsort(acts, nacts, sizeof *acts, held_cmp); /* stable enough: see put */
    for (size_t i = 0; i < nacts; i++)
        put(&windowed, acts[i].kind, (const char *const *)acts[i].cells,
            acts[i].n);
    assert_int_equal(windowed.n, plain.n);
    qsort(plain.v, plain.n, sizeof *plain.v, text_cmp);
    qsort(windowed.v, windowed.n, sizeof *windowed.v, text_cmp);
    for (size_t i = 0; i < plain.n; i++)
        assert_string_equal(windowed.v[i].text, plain.v[i].text);

    for (size_t i = 0; i < nacts; i++) {
        for (size_t j = 0; j < acts[i].n; j++)
            free(acts[i].cells[j]);
        free(acts[i].cells);
    }
    recs_free(&plain);
    recs_free(&windowed);
}

/* Most work is done on time, some late, a few never; the same key gives
   the same day, and nobody acts before the work exists. */
static void
test_act_day(void **state)
{
    (void)state;
    cl_day hol[] = {cl_date_from_ymd(2026, 12, 25)};
    cl_calendar cal = {hol, 1};
    cl_day opened = cl_date_from_ymd(2026, 12, 14);
    cl_day due = cl_cal_add_business_days(&cal, opened, 5);
    int never = 0, late = 0, on_time = 0, n = 4000;
    for (int i = 0; i < n; i++) {
        char key[48];
        snprintf(key, sizeof key, "task:debrief:c-%06d:u-ae-1", i);
        cl_day d = cl_demo_loop_act_day(1, key, &cal, opened, due);
        assert_int_equal(d, cl_demo_loop_act_day(1, key, &cal, opened, due));
        if (d == CL_DEMO_NEVER) {
            never++;
            continue;
        }
        assert_true(d >= opened);
        assert_true(cl_cal_is_business_day(&cal, d));
        if (d > due)
            late++;
        else
            on_time++;
    }
    assert_true(on_time > n * 0.66 && on_time < n * 0.78);
    assert_true(late > n * 0.16 && late < n * 0.24);
    assert_true(never > n * 0.05 && never < n * 0.11);
    /* Another seed decides differently. */
    int differ = 0;
    for (int i = 0; i < 100; i++) {
        char key[32];
        snprintf(key, sizeof key, "task:x:%d", i);
        differ += cl_demo_loop_act_day(1, key, &cal, opened, due) !=
                  cl_demo_loop_act_day(2, key, &cal, opened, due);
    }
    assert_true(differ > 20);
    /* Work already past due when it opens is done when it opens at the
       earliest. */
    cl_day d = cl_demo_loop_act_day(1, "task:y", &cal, due, opened);
    assert_true(d == CL_DEMO_NEVER || d >= due);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_gives_same_records),
        cmocka_unit_test(test_act_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
