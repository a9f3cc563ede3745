/*
 * The quarterly bad-fit review on a hand-made workspace
 * (tests/data/reports/monthly-badfit), every figure worked out here by hand,
 * and on demo data for the planted wrong-ICP quarter.
 *
 * 2026Q3 (07-01 .. 09-30) in that workspace:
 *
 *   churn  account  ARR    cause                 bad-fit category  AE
 *   C01    A01      12000  icp_miss              wrong_icp
 *   C02    A02       8000  icp_miss              wrong_icp
 *   C03    A03      20000  pricing               -
 *   C06    A03       1000  feature_overpromise   over_promised     Ada
 *   C07    A06       6000  icp_miss              wrong_icp
 *   C08    A07       4000  icp_miss              wrong_icp
 *   C09    A08       7000  misaligned_use_case   misaligned
 *   C10    A09       9000  misaligned_use_case   misaligned
 *   C11    A10      10000  timeline_overpromise  over_promised     Ben
 *   C12    A11       2000  timeline_overpromise  over_promised     Ada
 *   untagged: C04, C05, C13 (09-30).  Outside: C14 (06-30), C15 (10-01).
 *
 * Cohort 10 tagged churns, 9 of them bad-fit, 3 untagged.
 *
 * Wilson 95%, z = 1.959963984540054, for k of n = 10:
 *   centre = (p + z^2/2n) / (1 + z^2/n),
 *   half   = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2)
 *   4/10: 0.168180329706, 0.687326230266
 *   2/10: 0.056682151454, 0.509837528463
 *   3/10: 0.107791267406, 0.603221852539
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
#include "testdb.h"

#include "analytics/report.h"
#include "analytics/snapshot.h"
#include "demo/demo.h"
#include "io/import.h"
#include "snapshot/snapshot_load.h"

typedef struct fixture {
    char db[CL_TESTDB_URL];
    cl_snapshot *s;
} fixture;

static void
remove_db(const char *db)
{
    cl_testdb_drop(db);
}

static cl_store *
open_temp(fixture *f)
{
    cl_store *st;
    cl_error err;
    cl_testdb_make(f->db, "/tmp/cl-test-badfit");
    assert_int_equal(cl_store_open(f->db, &st, &err), CL_OK);
    return st;
}

static int
setup(void **state)
{
    static const char *const kinds[] = {
        "holidays", "users",   "icp",      "accounts",     "deals",
        "churns",   "reviews", "cs_hours", "arr_movements"};
    fixture *f = calloc(1, sizeof *f);
    cl_error err;
    cl_store *st = open_temp(f);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char file[512];
        cl_import_opts o = {0};
        cl_import_report rep;
        snprintf(file, sizeof file, "%s/reports/monthly-badfit/%s.csv",
                 CL_TEST_DATA_DIR, kinds[i]);
        assert_int_equal(cl_import_file(st, cl_kind_from_name(kinds[i]), file,
                                        &o, &rep, &err),
                         CL_OK);
    }
    assert_int_equal(cl_snapshot_load(st, &f->s, &err), CL_OK);
    cl_store_close(st);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    cl_snapshot_free(f->s);
    remove_db(f->db);
    free(f);
    return 0;
}

static cl_day
D(const char *s)
{
    cl_day d;
    assert_int_equal(cl_date_parse(s, strlen(s), &d), 0);
    return d;
}

static json_t *
build(const cl_snapshot *s, const char *label, int private_view)
{
    cl_report_opts o = {0};
    cl_error err;
    json_t *doc = NULL;
    assert_int_equal(cl_period_parse(label, &o.period), 0);
    o.today = D("2026-11-23");
    o.private_view = private_view;
    if (cl_report_bad_fit(s, &o, &doc, &err) != CL_OK)
        fail_msg("bad-fit: %s", err.msg);
    return doc;
}

/* The value at a dotted path ("categories.0.share"); fails if absent. */
static json_t *
J(json_t *v, const char *where)
{
    char buf[128], *save, *tok;
    snprintf(buf, sizeof buf, "%s", where);
    for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
        v = json_is_array(v) ? json_array_get(v, (size_t)atoi(tok))
                             : json_object_get(v, tok);
    if (v == NULL)
        fail_msg("no %s in the report", where);
    return v;
}

static double
N(json_t *doc, const char *where)
{
    json_t *v = J(doc, where);
    if (!json_is_number(v))
        fail_msg("%s is not a number", where);
    return json_number_value(v);
}

static const char *
S(json_t *doc, const char *where)
{
    json_t *v = J(doc, where);
    if (!json_is_string(v))
        fail_msg("%s is not a string", where);
    return json_string_value(v);
}

static void
test_cohort_and_categories(void **state)
{
    fixture *f = *state;
    json_t *doc = build(f->s, "2026Q3", 0);
    assert_string_equal(S(doc, "period"), "2026Q3");
    /* Untagged churns stay out of the cohort and are counted apart. */
    assert_int_equal(N(doc, "cohort_size"), 10);
    assert_int_equal(N(doc, "untagged"), 3);
    assert_int_equal(N(doc, "bad_fit_churns"), 9);

    json_t *c = J(doc, "categories");
    assert_int_equal(json_array_size(c), 3);
    /* wrong_icp: 4 / 10 = 0.4 > 0.25 fires. */
    assert_string_equal(S(c, "0.category"), "wrong_icp");
    assert_int_equal(N(c, "0.count"), 4);
    assert_near(N(c, "0.share"), 0.4, 1e-9);
    assert_near(N(c, "0.ci_low"), 0.168180, 1e-6);
    assert_near(N(c, "0.ci_high"), 0.687326, 1e-6);
    assert_near(N(c, "0.threshold"), 0.25, 1e-9);
    assert_true(json_is_true(J(c, "0.fired")));
    /* misaligned_use_case: 2 / 10 = 0.2, not above 0.2: does not fire. */
    assert_string_equal(S(c, "1.category"), "misaligned_use_case");
    assert_int_equal(N(c, "1.count"), 2);
    assert_near(N(c, "1.share"), 0.2, 1e-9);
    assert_near(N(c, "1.ci_low"), 0.056682, 1e-6);
    assert_near(N(c, "1.ci_high"), 0.509838, 1e-6);
    assert_near(N(c, "1.threshold"), 0.2, 1e-9);
    assert_true(json_is_false(J(c, "1.fired")));
    /* over_promised: feature + timeline over-promise, 3 / 10 > 0.2. */
    assert_string_equal(S(c, "2.category"), "over_promised");
    assert_int_equal(N(c, "2.count"), 3);
    assert_near(N(c, "2.share"), 0.3, 1e-9);
    assert_near(N(c, "2.ci_low"), 0.107791, 1e-6);
    assert_near(N(c, "2.ci_high"), 0.603222, 1e-6);
    assert_true(json_is_true(J(c, "2.fired")));
    json_decref(doc);
}

static void
test_triggers_due_across_the_holidays(void **state)
{
    fixture *f = *state;
    json_t *doc = build(f->s, "2026Q3", 0);
    /* 2026Q4 starts Thursday 10-01; 10-01 and 10-02 are holidays, so the
       session opens Monday 10-05 and reviews are due 30 days later, 11-04
       (10-31 without the holidays). */
    assert_string_equal(S(doc, "session_opens_on"), "2026-10-05");
    json_t *t = J(doc, "triggers");
    assert_int_equal(json_array_size(t), 2);
    assert_string_equal(S(t, "0.kind"), "icp_review");
    assert_string_equal(S(t, "0.due_on"), "2026-11-04");
    assert_non_null(strstr(S(t, "0.rule"), "40.0%"));
    /* Read by people: no setting key in the words (threshold_key has it). */
    assert_null(strstr(S(t, "0.rule"), "icp_review_share"));
    assert_string_equal(S(t, "1.kind"), "coaching");
    assert_string_equal(S(t, "1.due_on"), "2026-11-04");
    /* Ada (C06, C12) and Ben (C11): two AEs, counted, not named. */
    assert_int_equal(N(t, "1.aes_concerned"), 2);
    assert_null(json_object_get(json_array_get(t, 1), "items"));
    json_decref(doc);
}

static void
test_impact_leads(void **state)
{
    fixture *f = *state;
    json_t *doc = build(f->s, "2026Q3", 0);
    /* Revenue impact is the first thing in the document. */
    void *it = json_object_iter(doc);
    assert_string_equal(json_object_iter_key(it), "impact");

    json_t *im = J(doc, "impact");
    /* 12000+8000+20000+1000+6000+4000+7000+9000+10000+2000 */
    assert_near(N(im, "arr_lost"), 79000, 1e-9);
    /* A01's expansion X01 (3000, 2025-09-01) was won before it churned;
       A02's X02 closed after its churn, A06's X06 was lost. */
    assert_near(N(im, "expansion_arr"), 3000, 1e-9);
    /* ARR of the customers active on 07-01:
       A01 9000 + X01 3000 = 12000 (deals; no movements)
       A02 10000 - 2000 contraction = 8000 (movements)
       A03 21000, A04 5000, A05 3000, A06 6000, A07 4000, A08 7000,
       A09 9000, A10 10000, A11 2000, A12 4000, A14 5000
       A15 10000 + X15 2000, A16..A20 10000 each (A20 started 06-30)
       A13 churned 06-30 (movements net 0); A21..A25 started in July.
       12000+8000+21000+5000+3000+6000+4000+7000+9000+10000+2000+4000
       +5000+12000+50000 = 158000. */
    assert_near(N(im, "starting_arr"), 158000, 1e-9);
    assert_near(N(im, "nrr_points"), 50, 1e-9); /* 100 * 79000 / 158000 */
    /* The bad-fit churns leave C03 (20000, pricing) out. */
    assert_int_equal(N(im, "bad_fit.churns"), 9);
    assert_near(N(im, "bad_fit.arr_lost"), 59000, 1e-9);
    assert_near(N(im, "bad_fit.expansion_arr"), 3000, 1e-9);
    assert_near(N(im, "bad_fit.nrr_points"), 37.34, 1e-9); /* 37.3418 */
    /* CS hours up to 2026-09: the 9 cohort accounts had A01 20+10,
       A02 20, the other 7 10 each: 120 / 9 = 13.33.  Well-fit: inside the
       ICP (employees >= 20 and ops function) and not churned by 09-30:
       A15..A19, A21..A25 (A20's ops function is unknown, so it is not
       known to fit): A15 10 (its 50 in 2026-10 is after the quarter),
       A16 10, A17 5, A18 5: 30 / 10 = 3.  Ratio 13.333 / 3 = 4.4444. */
    json_t *h = J(im, "cs_hours_per_account");
    assert_near(N(h, "cohort"), 13.33, 1e-9);
    assert_near(N(h, "well_fit"), 3, 1e-9);
    assert_near(N(h, "ratio"), 4.4444, 1e-9);
    assert_int_equal(N(h, "cohort_accounts"), 9);
    assert_int_equal(N(h, "well_fit_accounts"), 10);
    json_decref(doc);
}

static void
test_profile_markers(void **state)
{
    fixture *f = *state;
    json_t *doc = build(f->s, "2026Q3", 0);
    /* 25 customers started by 09-30 (A01..A25).  Among the 9 bad-fit
       churns (A01 A02 A03 A06 A07 A08 A09 A10 A11):
         1-19 employees: A01 A02 A06 A07 A08 A10 = 6 (67%) vs 8/25 (32%)
           customers, ratio 2.0833: a marker;
         champion < 6 months: D01 D02 D06 = 3 (33%) vs 3/25 (12%),
           ratio 2.7778: a marker (exactly the 3 churns needed);
         no ops function: 5 (56%) vs 10/25 (40%), ratio 1.39: not enough;
         APAC: 2 vs 2/25, ratio 2.78 but only 2 churns: not enough.
       Most churns first. */
    json_t *m = J(doc, "profile_markers");
    assert_int_equal(json_array_size(m), 2);
    assert_string_equal(S(m, "0.dimension"), "employees_band");
    assert_string_equal(S(m, "0.value"), "1-19");
    assert_int_equal(N(m, "0.churns"), 6);
    assert_int_equal(N(m, "0.customers"), 8);
    assert_near(N(m, "0.ratio"), 2.0833, 1e-9);
    assert_string_equal(
        S(m, "0.description"),
        "Teams of 1-19 employees: 6 of 9 bad-fit churns (67%) vs 32% of "
        "customers");
    assert_string_equal(S(m, "1.dimension"), "champion_tenure_band");
    assert_string_equal(S(m, "1.value"), "<6");
    assert_near(N(m, "1.ratio"), 2.7778, 1e-9);
    assert_string_equal(S(m, "1.description"),
                        "Champion under 6 months in the role: 3 of 9 bad-fit "
                        "churns (33%) vs 12% of customers");
    json_decref(doc);
}

/* Fails if any AE's id or name appears in doc's text, when it must not. */
static size_t
count_named_aes(const cl_snapshot *s, json_t *doc)
{
    char *text = json_dumps(doc, 0);
    int ae = cl_enum_index(cl_roles, "ae");
    size_t named = 0;
    assert_non_null(text);
    for (size_t u = 0; u < s->nusers; u++)
        if (s->user_role[u] == ae &&
            (strstr(text, s->user_id[u]) || strstr(text, s->user_name[u])))
            named++;
    free(text);
    return named;
}

static void
test_no_ae_named_unless_private(void **state)
{
    fixture *f = *state;
    json_t *doc = build(f->s, "2026Q3", 0);
    assert_int_equal(count_named_aes(f->s, doc), 0);
    json_decref(doc);

    /* The private view lists the coaching items: Ada 2 churns, Ben 1, both
       routed to their manager Mark Hale, and the VP Sales. */
    doc = build(f->s, "2026Q3", 1);
    assert_int_equal(count_named_aes(f->s, doc), 2);
    json_t *it = J(doc, "triggers.1.items");
    assert_int_equal(json_array_size(it), 2);
    assert_string_equal(S(it, "0.ae.name"), "Ada Closer");
    assert_int_equal(N(it, "0.churns"), 2);
    assert_string_equal(S(it, "0.manager.name"), "Mark Hale");
    assert_string_equal(S(it, "1.ae.id"), "u-ae-b");
    assert_int_equal(N(it, "1.churns"), 1);
    assert_string_equal(S(doc, "triggers.1.vp_sales.0.name"), "Vera Stone");
    json_decref(doc);
}

static void
test_quarter_without_churns(void **state)
{
    fixture *f = *state;
    json_t *doc = build(f->s, "2026Q1", 0);
    assert_int_equal(N(doc, "cohort_size"), 0);
    assert_true(json_is_null(J(doc, "categories.0.share")));
    assert_true(json_is_null(J(doc, "categories.0.ci_low")));
    assert_true(json_is_false(J(doc, "categories.0.fired")));
    assert_int_equal(json_array_size(J(doc, "triggers")), 0);
    assert_int_equal(json_array_size(J(doc, "profile_markers")), 0);
    /* The session after 2026Q1 opens on Wednesday 04-01, no holiday. */
    assert_string_equal(S(doc, "session_opens_on"), "2026-04-01");
    json_decref(doc);
}

static void
test_rejects_a_month(void **state)
{
    fixture *f = *state;
    cl_report_opts o = {0};
    cl_error err;
    json_t *doc = NULL;
    assert_int_equal(cl_period_parse("2026-07", &o.period), 0);
    assert_int_equal(cl_report_bad_fit(f->s, &o, &doc, &err), CL_EINVAL);
    assert_null(doc);
    assert_non_null(strstr(err.msg, "YYYYQn"));
}

/* ---- demo data ------------------------------------------------------------
 */

/* Feeds the generated rows through the importer, one transaction per kind,
   as `closeloop demo` does. */
typedef struct sink {
    cl_store *st;
    cl_importer *imp;
    cl_kind kind;
} sink;

static cl_err
emit(void *ud, cl_kind kind, const char *const *cells, size_t n, cl_error *err)
{
    sink *k = ud;
    cl_err rc;
    if (k->imp == NULL || kind != k->kind) {
        cl_import_report rep;
        if (k->imp && (rc = cl_importer_finish(k->imp, &rep, err)) != CL_OK)
            return rc;
        const cl_kind_def *def = cl_kind_get(kind);
        const char *header[32];
        for (size_t i = 0; i < def->nfields; i++)
            header[i] = def->fields[i].name;
        cl_import_opts o = {.source = def->name};
        k->kind = kind;
        if ((rc = cl_importer_new(k->st, kind, &o, &k->imp, err)) != CL_OK)
            return rc;
        if ((rc = cl_importer_header(k->imp, header, def->nfields, 1, err)))
            return rc;
    }
    return cl_importer_row(k->imp, cells, n, 0, err);
}

static void
test_demo_2026q3_fires_wrong_icp(void **state)
{
    (void)state;
    fixture f;
    cl_error err;
    cl_import_report rep;
    sink k = {open_temp(&f), NULL, CL_KIND_NONE};
    cl_demo_opts d = {.accounts = 600, .seed = 1, .today = D("2026-11-23")};
    if (cl_demo_generate(&d, emit, &k, &err) != CL_OK ||
        cl_importer_finish(k.imp, &rep, &err) != CL_OK)
        fail_msg("demo: %s", err.msg);
    assert_int_equal(cl_snapshot_load(k.st, &f.s, &err), CL_OK);
    cl_store_close(k.st);

    static const char *const quarters[] = {"2026Q1", "2026Q2", "2026Q3"};
    for (size_t q = 0; q < 3; q++) {
        json_t *doc = build(f.s, quarters[q], 0);
        json_t *wrong = J(doc, "categories.0");
        assert_string_equal(S(wrong, "category"), "wrong_icp");
        assert_true(N(doc, "cohort_size") > 0);
        if (q < 2) {
            assert_true(json_is_false(J(wrong, "fired")));
        } else {
            /* The planted quarter: about 37% wrong ICP. */
            assert_true(json_is_true(J(wrong, "fired")));
            assert_true(N(wrong, "share") > 0.25);
            assert_string_equal(S(doc, "triggers.0.kind"), "icp_review");
            assert_true(json_array_size(J(doc, "profile_markers")) > 0);
        }
        assert_int_equal(count_named_aes(f.s, doc), 0);
        json_decref(doc);
    }
    cl_snapshot_free(f.s);
    remove_db(f.db);
}

/* The trend: one point per quarter ending with the period, each the
   bad-fit review of its quarter; no AE named; the quarters in range.
   Health's trend ends with the last complete quarter before today, that
   quarter as the report read the day after it ended. */
static void
test_trend(void **state)
{
    fixture *f = *state;
    cl_report_opts o = {0};
    cl_error err;
    json_t *doc = NULL;
    assert_int_equal(cl_period_parse("2026Q3", &o.period), 0);
    o.today = D("2026-11-23");
    o.private_view = 1;
    assert_int_equal(cl_report_trend(cl_report_find("bad-fit"), f->s, &o, 3,
                                     &doc, &err),
                     CL_OK);
    json_t *qs = J(doc, "quarters");
    assert_int_equal(json_array_size(qs), 3);
    assert_string_equal(json_string_value(J(qs, "0.period")), "2026Q1");
    assert_string_equal(json_string_value(J(qs, "2.period")), "2026Q3");
    json_t *want = build(f->s, "2026Q3", 0);
    assert_int_equal(json_integer_value(J(qs, "2.cohort_size")), 10);
    assert_true(json_equal(J(qs, "2.categories.0.share"),
                           J(want, "categories.0.share")));
    assert_true(json_equal(J(qs, "2.categories.0.ci_high"),
                           J(want, "categories.0.ci_high")));
    char *text = json_dumps(doc, 0);
    assert_null(strstr(text, "Ada"));
    free(text);
    json_decref(want);
    json_decref(doc);

    assert_int_equal(cl_report_trend(cl_report_find("bad-fit"), f->s, &o,
                                     CL_TREND_MAX + 1, &doc, &err),
                     CL_EINVAL);
    assert_string_equal(err.field, "quarters");
    assert_int_equal(cl_report_trend(cl_report_find("bad-fit"), f->s, &o,
                                     CL_TREND_MIN - 1, &doc, &err),
                     CL_EINVAL);
    assert_int_equal(cl_report_trend(cl_report_find("monthly"), f->s, &o, 4,
                                     &doc, &err),
                     CL_EINVAL);

    assert_int_equal(cl_report_trend(cl_report_find("health"), f->s, &o, 2,
                                     &doc, &err),
                     CL_OK);
    assert_string_equal(json_string_value(J(doc, "quarters.1.period")),
                        "2026Q3");
    json_t *h = NULL;
    o.today = D("2026-10-01");
    assert_int_equal(cl_report_health(f->s, &o, &h, &err), CL_OK);
    assert_true(json_equal(J(doc, "quarters.1.checks"), J(h, "quarters.3.checks")));
    assert_true(json_equal(J(doc, "quarters.1.passed"), J(h, "summary.passed")));
    json_decref(h);
    json_decref(doc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cohort_and_categories),
        cmocka_unit_test(test_triggers_due_across_the_holidays),
        cmocka_unit_test(test_impact_leads),
        cmocka_unit_test(test_profile_markers),
        cmocka_unit_test(test_no_ae_named_unless_private),
        cmocka_unit_test(test_quarter_without_churns),
        cmocka_unit_test(test_rejects_a_month),
        cmocka_unit_test(test_demo_2026q3_fires_wrong_icp),
        cmocka_unit_test(test_trend),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
