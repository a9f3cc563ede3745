/*
 * The monthly churn debrief on a hand-made workspace
 * (tests/data/reports/monthly-badfit), every figure worked out here by hand.
 *
 * July 2026 in that workspace (Wednesday 1 July; Friday 3 July a holiday):
 *
 *   churn  account  churned  ARR    cause                tagged  stated
 *   C01    A01      07-06    12000  icp_miss             07-10   yes
 *   C02    A02      07-15     8000  icp_miss             07-25   yes
 *   C03    A03      07-20    20000  pricing              07-21   yes
 *   C04    A04      07-28     5000  (untagged)                   yes
 *   C05    A05      07-30     3000  (untagged)                   no
 *   C06    A03      07-31     1000  feature_overpromise  08-11   yes
 *   (C14 churned 06-30 and is June's.)
 *
 *   won `new` deals closed in July, review due 5 business days after close:
 *   deal  closed  due    kickoff  held   status
 *   D21   07-01   07-09  07-15    07-09  on time (the holiday moves the
 *                                        due day from 07-08 to 07-09)
 *   D22   07-13   07-20  07-27    07-21  late
 *   D23   07-13   07-20  07-15    07-16  after kickoff (late)
 *   D24   07-20   07-27  -        -      missing (pending before 07-27)
 *   D25   07-22   07-29  07-24    07-24  on time (held on kickoff day)
 *   Not counted: X16 (an expansion won 07-08), L26 (a new deal lost 07-10),
 *   D20 (won 06-30).
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
#include "io/import.h"
#include "snapshot/snapshot_load.h"

static char db_path[CL_TESTDB_URL];

static int
setup(void **state)
{
    static const char *const kinds[] = {
        "holidays", "users",   "icp",      "accounts",     "deals",
        "churns",   "reviews", "cs_hours", "arr_movements"};
    cl_store *st;
    cl_error err;
    cl_testdb_make(db_path, "/tmp/cl-test-monthly");
    assert_int_equal(cl_store_open(db_path, &st, &err), CL_OK);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char file[512];
        /* Records only, as `closeloop demo` writes its history: the
           reports under test read data, not the engine's events. */
        cl_import_opts o = {.no_events = 1};
        cl_import_report rep;
        snprintf(file, sizeof file, "%s/reports/monthly-badfit/%s.csv",
                 CL_TEST_DATA_DIR, kinds[i]);
        assert_int_equal(cl_import_file(st, cl_kind_from_name(kinds[i]), file,
                                        &o, &rep, &err),
                         CL_OK);
    }
    cl_snapshot *s;
    assert_int_equal(cl_snapshot_load(st, &s, &err), CL_OK);
    cl_store_close(st);
    *state = s;
    return 0;
}

static int
teardown(void **state)
{
    cl_snapshot_free(*state);
    cl_testdb_drop(db_path);
    return 0;
}

static cl_day
D(const char *s)
{
    cl_day d;
    assert_int_equal(cl_date_parse(s, strlen(s), &d), 0);
    return d;
}

/* The report for period label as of today. */
static json_t *
build(const cl_snapshot *s, const char *label, const char *today)
{
    cl_report_opts o = {0};
    cl_error err;
    json_t *doc = NULL;
    assert_int_equal(cl_period_parse(label, &o.period), 0);
    o.today = D(today);
    if (cl_report_monthly(s, &o, &doc, &err) != CL_OK)
        fail_msg("monthly: %s", err.msg);
    return doc;
}

/* The value at a dotted path ("causes.0.code"); fails if absent. */
static json_t *
J(json_t *v, const char *path)
{
    char buf[128], *save, *tok;
    snprintf(buf, sizeof buf, "%s", path);
    for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
        v = json_is_array(v) ? json_array_get(v, (size_t)atoi(tok))
                             : json_object_get(v, tok);
    if (v == NULL)
        fail_msg("no %s in the report", path);
    return v;
}

static double
N(json_t *doc, const char *path)
{
    json_t *v = J(doc, path);
    if (!json_is_number(v))
        fail_msg("%s is not a number", path);
    return json_number_value(v);
}

static const char *
S(json_t *doc, const char *path)
{
    json_t *v = J(doc, path);
    if (!json_is_string(v))
        fail_msg("%s is not a string", path);
    return json_string_value(v);
}

static void
test_accounts_arr_and_causes(void **state)
{
    json_t *doc = build(*state, "2026-07", "2026-08-12");
    assert_string_equal(S(doc, "period"), "2026-07");
    /* Six churns on five accounts: A03 churned twice (C03, C06). */
    assert_int_equal(N(doc, "churns"), 6);
    assert_int_equal(N(doc, "churned_accounts"), 5);
    /* 12000 + 8000 + 20000 + 5000 + 3000 + 1000 */
    assert_near(N(doc, "arr_lost"), 49000, 1e-9);
    assert_int_equal(N(doc, "tagged"), 4);
    assert_int_equal(N(doc, "untagged"), 2);

    /* By count, then code: icp_miss 2 and untagged 2 (i < u), then
       feature_overpromise 1 and pricing 1 (f < p). */
    json_t *c = J(doc, "causes");
    assert_int_equal(json_array_size(c), 4);
    assert_string_equal(S(c, "0.code"), "icp_miss");
    assert_string_equal(S(c, "0.label"), "Wrong ICP");
    assert_int_equal(N(c, "0.count"), 2);
    assert_near(N(c, "0.arr_lost"), 20000, 1e-9);
    assert_string_equal(S(c, "1.code"), "untagged");
    assert_int_equal(N(c, "1.count"), 2);
    assert_near(N(c, "1.arr_lost"), 8000, 1e-9);
    assert_string_equal(S(c, "2.code"), "feature_overpromise");
    assert_near(N(c, "2.arr_lost"), 1000, 1e-9);
    assert_string_equal(S(c, "3.code"), "pricing");
    assert_near(N(c, "3.arr_lost"), 20000, 1e-9);

    /* Sales-attributable among the 4 tagged: icp_miss x2 and
       feature_overpromise; pricing is not.  3 / 4. */
    assert_near(N(doc, "sales_attributable_share"), 0.75, 1e-9);
    json_decref(doc);
}

static void
test_stated_reasons_and_tagging_delay(void **state)
{
    json_t *doc = build(*state, "2026-07", "2026-08-12");
    /* In churned_on order; C05 said nothing and is left out. */
    json_t *r = J(doc, "stated_reasons");
    assert_int_equal(json_array_size(r), 5);
    assert_string_equal(S(r, "0.churn_id"), "C01");
    assert_string_equal(S(r, "0.account"), "Alder Bakery");
    assert_string_equal(S(r, "0.cause"), "icp_miss");
    assert_string_equal(S(r, "0.stated_reason"),
                        "We are too small to use half of it");
    assert_string_equal(S(r, "3.churn_id"), "C04");
    assert_true(json_is_null(J(r, "3.cause")));
    assert_string_equal(S(r, "4.churn_id"), "C06");
    assert_string_equal(S(r, "4.account"), "Cedar Labs");

    /* Days to tag: C01 4, C02 10, C03 1, C06 11 -> sorted 1 4 10 11,
       median (4 + 10) / 2 = 7, max 11. */
    assert_int_equal(N(doc, "days_to_tag.tagged"), 4);
    assert_near(N(doc, "days_to_tag.median"), 7, 1e-9);
    assert_near(N(doc, "days_to_tag.max"), 11, 1e-9);
    /* On 08-12, C04 (07-28) is 15 days untagged, C05 (07-30) 13. */
    assert_int_equal(N(doc, "untagged_over_14_days"), 1);

    /* Without engine records: no AE was notified of the 3 deal-attributable
       churns (C01, C02, C06), and no process change is recorded. */
    assert_int_equal(N(doc, "days_to_ae_notification.attributable"), 3);
    assert_int_equal(N(doc, "days_to_ae_notification.notified"), 0);
    assert_true(json_is_null(J(doc, "days_to_ae_notification.median")));
    assert_true(json_is_null(J(doc, "process_change")));
    assert_non_null(strstr(S(doc, "notes.process_change"), "change record"));
    json_decref(doc);
}

static cl_time
T(const char *text)
{
    cl_time t;
    assert_int_equal(cl_time_parse(text, &t), 0);
    return t;
}

static int32_t
churn_row(const cl_snapshot *s, const char *id)
{
    for (size_t c = 0; c < s->nchurns; c++)
        if (strcmp(s->churn_id[c], id) == 0)
            return (int32_t)c;
    fail_msg("no churn %s", id);
    return -1;
}

static void
notice(cl_snapshot *s, const char *churn, const char *to, const char *at)
{
    cl_error err;
    assert_int_equal(cl_snapshot_add_notice(s, churn_row(s, churn),
                                            cl_snapshot_user(s, to), T(at),
                                            CL_TIME_NONE, &err),
                     CL_OK);
}

/*
 * Days to AE notification, from churned_on to the day the churn flag to the
 * churn's AE was queued (the earliest flag), over the deal-attributable
 * churns of July:
 *   C01 (icp_miss, AE u-ae-a, churned 07-06, tagged 07-10): flagged 07-10
 *       (and again 07-12 on another channel): 4 days, 0 after the tag;
 *   C02 (icp_miss, AE u-ae-b, 07-15, tagged 07-25): its manager on 07-25
 *       does not count, the AE on 07-27: 12 days, 2 after the tag;
 *   C06 (feature_overpromise, 07-31): never flagged.
 *   C03 (pricing) is not deal-attributable: its flag is ignored.
 * notified 2 of 3, median (4 + 12) / 2 = 8, max 12, from the tag 1.
 */
static void
test_days_to_ae_notification(void **state)
{
    cl_snapshot *s = *state;
    notice(s, "C01", "u-ae-a", "2026-07-12T08:00");
    notice(s, "C01", "u-ae-a", "2026-07-10T10:00");
    notice(s, "C02", "u-mgr", "2026-07-25T09:00");
    notice(s, "C02", "u-ae-b", "2026-07-27T08:00");
    notice(s, "C03", "u-ae-a", "2026-07-21T08:00");
    json_t *doc = build(s, "2026-07", "2026-08-12");
    s->nnotices = 0; /* the other tests see no notices */
    json_t *e = J(doc, "days_to_ae_notification");
    assert_int_equal(N(e, "attributable"), 3);
    assert_int_equal(N(e, "notified"), 2);
    assert_int_equal(N(e, "not_notified"), 1);
    assert_near(N(e, "median"), 8, 1e-9);
    assert_near(N(e, "max"), 12, 1e-9);
    assert_near(N(e, "median_from_tag"), 1, 1e-9);
    assert_null(json_object_get(J(doc, "notes"), "days_to_ae_notification"));
    json_decref(doc);

    /* A month without a deal-attributable churn has no figure. */
    doc = build(s, "2026-05", "2026-08-12");
    assert_true(json_is_null(J(doc, "days_to_ae_notification")));
    assert_non_null(
        strstr(S(doc, "notes.days_to_ae_notification"), "deal-attributable"));
    json_decref(doc);
}

/*
 * The process change of July's debrief: June's and a bad-fit session's
 * are not July's.  Its check-in due 08-20 is pending on 08-12, overdue on
 * 08-21; checked in 08-25 it is late, on 08-20 on time.  An AE owner is
 * named only in a private view.
 */
static void
test_process_change(void **state)
{
    cl_snapshot *s = *state;
    cl_error err;
    assert_int_equal(cl_snapshot_add_process_change(
                         s, "monthly_debrief", "2026-06",
                         cl_snapshot_user(s, "u-mgr"), "June's change",
                         D("2026-07-20"), D("2026-07-19"), &err),
                     CL_OK);
    assert_int_equal(cl_snapshot_add_process_change(
                         s, "bad_fit_review", "2026-07",
                         cl_snapshot_user(s, "u-mgr"), "not a debrief",
                         D("2026-08-01"), CL_DAY_NONE, &err),
                     CL_OK);
    assert_int_equal(
        cl_snapshot_add_process_change(s, "monthly_debrief", "2026-07",
                                       cl_snapshot_user(s, "u-mgr"),
                                       "Qualify team size in discovery",
                                       D("2026-08-20"), CL_DAY_NONE, &err),
        CL_OK);
    json_t *doc = build(s, "2026-07", "2026-08-12");
    json_t *pc = J(doc, "process_change");
    assert_string_equal(S(pc, "description"), "Qualify team size in discovery");
    assert_string_equal(S(pc, "owner.id"), "u-mgr");
    assert_string_equal(S(pc, "owner.name"), "Mark Hale");
    assert_string_equal(S(pc, "checkin_due"), "2026-08-20");
    assert_true(json_is_null(J(pc, "checked_in_on")));
    assert_string_equal(S(pc, "checkin_status"), "pending");
    assert_true(json_is_false(J(pc, "late")));
    json_decref(doc);

    doc = build(s, "2026-07", "2026-08-21");
    assert_string_equal(S(doc, "process_change.checkin_status"), "overdue");
    assert_true(json_is_true(J(doc, "process_change.late")));
    json_decref(doc);

    s->pc_checkin_on[2] = D("2026-08-25");
    doc = build(s, "2026-07", "2026-08-30");
    assert_string_equal(S(doc, "process_change.checked_in_on"), "2026-08-25");
    assert_string_equal(S(doc, "process_change.checkin_status"), "late");
    json_decref(doc);
    s->pc_checkin_on[2] = D("2026-08-20");
    doc = build(s, "2026-07", "2026-08-30");
    assert_string_equal(S(doc, "process_change.checkin_status"), "on_time");
    assert_true(json_is_false(J(doc, "process_change.late")));
    json_decref(doc);

    /* An AE owns it: not named in the team's report. */
    s->pc_owner[2] = cl_snapshot_user(s, "u-ae-a");
    doc = build(s, "2026-07", "2026-08-30");
    assert_true(json_is_null(J(doc, "process_change.owner")));
    json_decref(doc);
    cl_report_opts o = {0};
    assert_int_equal(cl_period_parse("2026-07", &o.period), 0);
    o.today = D("2026-08-30");
    o.private_view = 1;
    assert_int_equal(cl_report_monthly(s, &o, &doc, &err), CL_OK);
    assert_string_equal(S(doc, "process_change.owner.name"), "Ada Closer");
    json_decref(doc);
    s->npcs = 0;
}

static void
test_review_completion(void **state)
{
    json_t *doc = build(*state, "2026-07", "2026-08-12");
    json_t *rc = J(doc, "review_completion");
    assert_int_equal(N(rc, "closed_won"), 5);
    assert_int_equal(N(rc, "on_time"), 2); /* D21, D25 */
    assert_int_equal(N(rc, "late"), 2);    /* D22, and D23 after kickoff */
    assert_int_equal(N(rc, "after_kickoff"), 1);
    assert_int_equal(N(rc, "missing"), 1); /* D24 */
    assert_int_equal(N(rc, "pending"), 0);
    assert_near(N(rc, "rate"), 0.4, 1e-9); /* 2 / 5 */
    assert_near(N(rc, "target"), 0.8, 1e-9);
    assert_true(json_is_false(J(rc, "met_target")));

    json_t *d = J(rc, "deals");
    assert_int_equal(json_array_size(d), 5);
    static const char *const want[][3] = {
        {"D21", "2026-07-09", "on_time"},
        {"D22", "2026-07-20", "late"},
        {"D23", "2026-07-20", "after_kickoff"},
        {"D24", "2026-07-27", "missing"},
        {"D25", "2026-07-29", "on_time"}};
    for (size_t i = 0; i < 5; i++) {
        json_t *e = json_array_get(d, i);
        assert_string_equal(S(e, "deal_id"), want[i][0]);
        assert_string_equal(S(e, "due_on"), want[i][1]);
        assert_string_equal(S(e, "status"), want[i][2]);
    }
    assert_string_equal(S(d, "0.account"), "Umber Games");
    assert_true(json_is_null(J(d, "3.held_on")));
    json_decref(doc);
}

static void
test_review_not_yet_due_is_pending(void **state)
{
    /* On 07-24, D24 (due 07-27) is not late yet. */
    json_t *doc = build(*state, "2026-07", "2026-07-24");
    assert_int_equal(N(doc, "review_completion.missing"), 0);
    assert_int_equal(N(doc, "review_completion.pending"), 1);
    assert_string_equal(S(doc, "review_completion.deals.3.status"), "pending");
    json_decref(doc);
}

static void
test_empty_month(void **state)
{
    json_t *doc = build(*state, "2026-05", "2026-08-12");
    assert_int_equal(N(doc, "churned_accounts"), 0);
    assert_near(N(doc, "arr_lost"), 0, 1e-9);
    assert_int_equal(json_array_size(J(doc, "causes")), 0);
    /* Nothing tagged, nothing closed: no share, no rate. */
    assert_true(json_is_null(J(doc, "sales_attributable_share")));
    assert_true(json_is_null(J(doc, "days_to_tag.median")));
    assert_int_equal(N(doc, "review_completion.closed_won"), 0);
    assert_true(json_is_null(J(doc, "review_completion.rate")));
    json_decref(doc);
}

static void
test_june_churn_counted_in_june(void **state)
{
    /* C14 (06-30, icp_miss) and D20 (won 06-30, never reviewed). */
    json_t *doc = build(*state, "2026-06", "2026-08-12");
    assert_int_equal(N(doc, "churned_accounts"), 1);
    assert_string_equal(S(doc, "causes.0.code"), "icp_miss");
    assert_near(N(doc, "sales_attributable_share"), 1, 1e-9);
    assert_int_equal(N(doc, "review_completion.closed_won"), 1);
    assert_int_equal(N(doc, "review_completion.missing"), 1);
    assert_near(N(doc, "review_completion.rate"), 0, 1e-9);
    json_decref(doc);
}

static void
test_no_ae_named(void **state)
{
    const cl_snapshot *s = *state;
    json_t *doc = build(s, "2026-07", "2026-08-12");
    char *text = json_dumps(doc, 0);
    int ae = cl_enum_index(cl_roles, "ae");
    size_t naes = 0;
    for (size_t u = 0; u < s->nusers; u++) {
        if (s->user_role[u] != ae)
            continue;
        naes++;
        if (strstr(text, s->user_id[u]) || strstr(text, s->user_name[u]))
            fail_msg("AE %s is named in the monthly report", s->user_id[u]);
    }
    assert_int_equal(naes, 3);
    free(text);
    json_decref(doc);
}

static void
test_rejects_a_quarter(void **state)
{
    cl_report_opts o = {0};
    cl_error err;
    json_t *doc = NULL;
    assert_int_equal(cl_period_parse("2026Q3", &o.period), 0);
    assert_int_equal(cl_report_monthly(*state, &o, &doc, &err), CL_EINVAL);
    assert_null(doc);
    assert_non_null(strstr(err.msg, "YYYY-MM"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accounts_arr_and_causes),
        cmocka_unit_test(test_stated_reasons_and_tagging_delay),
        cmocka_unit_test(test_review_completion),
        cmocka_unit_test(test_review_not_yet_due_is_pending),
        cmocka_unit_test(test_empty_month),
        cmocka_unit_test(test_june_churn_counted_in_june),
        cmocka_unit_test(test_no_ae_named),
        cmocka_unit_test(test_days_to_ae_notification),
        cmocka_unit_test(test_process_change),
        cmocka_unit_test(test_rejects_a_quarter),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
