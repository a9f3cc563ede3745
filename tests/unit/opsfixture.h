/*
 * opsfixture.h - load a hand-made workspace for the ops report tests
 * (recovery, health, audit, pipeline) from tests/data/reports/ops/NAME/:
 * every canonical CSV present there is imported into a temporary SQLite
 * file, and the workspace is read back as an analytics snapshot.
 * Include after <cmocka.h>.
 */
#ifndef CL_OPSFIXTURE_H
#define CL_OPSFIXTURE_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "analytics/report.h"
#include "analytics/snapshot.h"
#include "demo/demo.h"
#include "io/import.h"
#include "snapshot/snapshot_load.h"

static char ops_db[64];

/* The snapshot is in memory once loaded: remove the workspace file. */
static inline void
ops_unlink(void)
{
    char p[96];
    unlink(ops_db);
    snprintf(p, sizeof p, "%s-wal", ops_db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", ops_db);
    unlink(p);
}

static inline cl_snapshot *
ops_load(const char *name)
{
    static const char *const kinds[] = {
        "users",   "accounts", "deals",         "churns", "recoveries",
        "reviews", "cs_hours", "arr_movements", "icp",    "holidays"};
    cl_store *st;
    cl_error err;
    cl_snapshot *s;
    strcpy(ops_db, "/tmp/cl-test-ops-XXXXXX");
    close(mkstemp(ops_db));
    unlink(ops_db);
    assert_int_equal(cl_store_open(ops_db, &st, &err), CL_OK);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char file[512];
        /* Records only, as `closeloop demo` writes its history: the
           reports under test read data, not the engine's events. */
        cl_import_opts o = {.no_events = 1};
        cl_import_report rep;
        snprintf(file, sizeof file, "%s/reports/ops/%s/%s.csv",
                 CL_TEST_DATA_DIR, name, kinds[i]);
        if (access(file, R_OK) != 0)
            continue;
        if (cl_import_file(st, cl_kind_from_name(kinds[i]), file, &o, &rep,
                           &err) != CL_OK)
            fail_msg("%s: %s", file, err.msg);
    }
    assert_int_equal(cl_snapshot_load(st, &s, &err), CL_OK);
    cl_store_close(st);
    ops_unlink();
    return s;
}

/* The demo generator's rows go through one importer per kind, as
   `closeloop demo` does. */
typedef struct ops_sink {
    cl_store *st;
    cl_importer *imp;
    cl_kind kind;
} ops_sink;

static inline cl_err
ops_sink_end(ops_sink *k, cl_error *err)
{
    cl_import_report rep;
    cl_err rc = CL_OK;
    if (k->imp)
        rc = cl_importer_finish(k->imp, &rep, err);
    k->imp = NULL;
    return rc;
}

static inline cl_err
ops_emit(void *ud, cl_kind kind, const char *const *cells, size_t n,
         cl_error *err)
{
    ops_sink *k = ud;
    cl_err rc;
    if (k->imp == NULL || kind != k->kind) {
        const cl_kind_def *def = cl_kind_get(kind);
        const char *header[32];
        /* Records only, as `closeloop demo` writes its history: the
           reports under test read data, not the engine's events. */
        cl_import_opts o = {.no_events = 1};
        if ((rc = ops_sink_end(k, err)) != CL_OK)
            return rc;
        for (size_t i = 0; i < def->nfields; i++)
            header[i] = def->fields[i].name;
        k->kind = kind;
        if ((rc = cl_importer_new(k->st, kind, &o, &k->imp, err)) != CL_OK)
            return rc;
        if ((rc = cl_importer_header(k->imp, header, def->nfields, 1, err)))
            return rc;
    }
    return cl_importer_row(k->imp, cells, n, 0, err);
}

/* The demo workspace of `closeloop demo --now today` with seed. */
static inline cl_snapshot *
ops_load_demo(uint64_t seed, const char *today)
{
    cl_error err;
    cl_snapshot *s;
    cl_day d;
    ops_sink k = {0};
    assert_int_equal(cl_date_parse(today, strlen(today), &d), 0);
    cl_demo_opts o = {0, seed, d, 0};
    strcpy(ops_db, "/tmp/cl-test-ops-XXXXXX");
    close(mkstemp(ops_db));
    unlink(ops_db);
    assert_int_equal(cl_store_open(ops_db, &k.st, &err), CL_OK);
    if (cl_demo_generate(&o, ops_emit, &k, &err) != CL_OK ||
        ops_sink_end(&k, &err) != CL_OK)
        fail_msg("demo: %s", err.msg);
    assert_int_equal(cl_snapshot_load(k.st, &s, &err), CL_OK);
    cl_store_close(k.st);
    ops_unlink();
    return s;
}

static inline void
ops_free(cl_snapshot *s)
{
    cl_snapshot_free(s);
}

static inline cl_day
ops_day(const char *s)
{
    cl_day d;
    assert_int_equal(cl_date_parse(s, strlen(s), &d), 0);
    return d;
}

/* Runs a report; fails the test on error. */
static inline json_t *
ops_run(cl_report_fn fn, const cl_snapshot *s, const char *period,
        const char *today, int private_view)
{
    cl_report_opts o = {0};
    cl_error err = {0};
    json_t *j = NULL;
    if (period)
        assert_int_equal(cl_period_parse(period, &o.period), 0);
    o.today = ops_day(today);
    o.private_view = private_view;
    if (fn(s, &o, &j, &err) != CL_OK)
        fail_msg("report failed: %s", err.msg);
    assert_non_null(j);
    return j;
}

/* The whole document as compact text, to search for names; free() it. */
static inline char *
ops_text(const json_t *j)
{
    return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
}

/* Member key of element i of array member arr of j. */
static inline json_t *
ops_at(const json_t *j, const char *arr, size_t i, const char *key)
{
    json_t *a = json_object_get(j, arr);
    assert_true(json_is_array(a));
    assert_true(i < json_array_size(a));
    return json_object_get(json_array_get(a, i), key);
}

#endif
