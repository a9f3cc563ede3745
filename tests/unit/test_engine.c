/*
 * The engine shell against a real SQLite file: a tick applies each effect
 * once, a repeated tick applies nothing, a refused event changes nothing.
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

#include "engine/engine.h"

typedef struct fixture {
    char path[64];
    cl_store *st;
    cl_error err;
} fixture;

static cl_time
at(const char *s)
{
    cl_time t = 0;
    assert_int_equal(cl_time_parse(s, &t), 0);
    return t;
}

static void
put(cl_store *st, cl_kind kind, const char *const *cells)
{
    const cl_kind_def *def = cl_kind_get(kind);
    cl_value row[32];
    cl_put_result res;
    cl_error err;
    for (size_t i = 0; i < def->nfields; i++) {
        const char *c = cells[i];
        row[i] = (cl_value){.type = c ? CL_V_TEXT : CL_V_NULL, .s = c};
        if (c && (def->fields[i].type == CL_F_INT ||
                  def->fields[i].type == CL_F_BOOL)) {
            row[i].type = CL_V_INT;
            row[i].i = strcmp(c, "true") == 0 ? 1 : atoll(c);
        } else if (c && def->fields[i].type == CL_F_MONEY) {
            row[i].type = CL_V_REAL;
            row[i].r = atof(c);
        }
    }
    assert_int_equal(cl_store_put(st, kind, row, &res, &err), CL_OK);
}

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->path, "/tmp/cl-test-engine-XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    unlink(f->path);
    assert_int_equal(cl_store_open(f->path, &f->st, &f->err), CL_OK);
    cl_store *st = f->st;
    assert_int_equal(cl_store_begin(st, "test", at("2026-06-01"), &f->err),
                     CL_OK);
    const char *mgr[] = {"U2", "Sam", "sam@example.com", "sales_manager",
                         NULL, NULL};
    const char *ae[] = {"U1", "Ann", "ann@example.com", "ae", "U2", NULL};
    const char *csm[] = {"U6", "Cid", "cid@example.com", "csm", NULL, NULL};
    const char *ops[] = {"U7",     "Rita", "rita@example.com",
                         "revops", NULL,   NULL};
    put(st, CL_KIND_USERS, mgr);
    put(st, CL_KIND_USERS, ae);
    put(st, CL_KIND_USERS, csm);
    put(st, CL_KIND_USERS, ops);
    const char *acc[] = {"A1", "Acme", NULL, NULL,      NULL,
                         NULL, "U6",   NULL, "customer"};
    put(st, CL_KIND_ACCOUNTS, acc);
    const char *won[] = {
        "D1",         "A1", "U1",         "new",   NULL, "closed_won",
        "2025-04-01", NULL, "2026-06-01", "60000", NULL, "80",
        NULL,         "24", "true",       NULL,    NULL};
    put(st, CL_KIND_DEALS, won);
    const char *ch[] = {"C1", "A1", "D1", "2026-06-01", "60000", NULL,
                        NULL, NULL, NULL, NULL,         NULL,    NULL};
    put(st, CL_KIND_CHURNS, ch);
    assert_int_equal(cl_store_commit(st, &f->err), CL_OK);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    char p[96];
    cl_store_close(f->st);
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

static int64_t
audits(fixture *f)
{
    int64_t n = 0;
    assert_int_equal(cl_store_audit_count(f->st, &n, &f->err), CL_OK);
    return n;
}

static void
test_tick_applies_once(void **state)
{
    fixture *f = *state;
    cl_engine_stats s = {0};
    assert_int_equal(cl_engine_tick(f->st, at("2026-06-02T08:00"), &s, &f->err),
                     CL_OK);
    assert_int_equal(s.tasks, 2);    /* won_deal_review, churn_tagging */
    assert_int_equal(s.sessions, 4); /* May's debrief and Q1's reviews */
    int64_t n = audits(f);
    cl_engine_stats again = {0};
    assert_int_equal(
        cl_engine_tick(f->st, at("2026-06-02T08:00"), &again, &f->err), CL_OK);
    assert_true(cl_engine_stats_empty(&again));
    assert_int_equal(audits(f), n);
}

static void
test_sales_tag_notifies_ae_and_manager(void **state)
{
    fixture *f = *state;
    cl_engine_stats s = {0};
    cl_wf_tag tag = {.primary_cause = "icp_miss"};
    assert_int_equal(cl_engine_churn_tag(f->st, "C1", &tag, "U6",
                                         at("2026-06-03T09:00"), &s, &f->err),
                     CL_OK);
    assert_int_equal(s.notifications, 2);
    assert_int_equal(s.tasks, 2); /* the AE's and the CSM's debrief */
    /* The same tag again is refused and changes nothing. */
    int64_t n = audits(f);
    assert_int_equal(cl_engine_churn_tag(f->st, "C1", &tag, "U6",
                                         at("2026-06-03T10:00"), &s, &f->err),
                     CL_EINVAL);
    assert_int_equal(audits(f), n);
}

static void
test_refused_kickoff_changes_nothing(void **state)
{
    fixture *f = *state;
    int64_t n = audits(f);
    cl_day d;
    assert_int_equal(cl_date_parse("2026-06-04", 10, &d), 0);
    assert_int_equal(cl_engine_kickoff(f->st, "D1", d, NULL, "U6",
                                       at("2026-06-04"), &f->err),
                     CL_ECONFLICT);
    assert_int_equal(audits(f), n);
    assert_int_equal(cl_engine_kickoff(f->st, "D1", d, "Go-live date", "U6",
                                       at("2026-06-04"), &f->err),
                     CL_OK);
    assert_int_equal(audits(f), n + 2); /* the deal update, the override */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tick_applies_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sales_tag_notifies_ae_and_manager,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_kickoff_changes_nothing,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
