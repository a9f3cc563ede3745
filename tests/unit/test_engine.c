/*
 * The engine shell against a real workspace (SQLite, or PostgreSQL with
 * CLOSELOOP_TEST_PG): a tick applies each effect once, a repeated tick
 * applies nothing, a refused event changes nothing, imported reviews get
 * their initial health score.
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

#include "core/review_answer.h"
#include "engine/engine.h"

typedef struct fixture {
    char path[CL_TESTDB_URL];
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
    cl_testdb_make(f->path, "/tmp/cl-test-engine");
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
    cl_store_close(f->st);
    cl_testdb_drop(f->path);
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
    /* won_deal_review, its AE's review_answers (issue 14), churn_tagging */
    assert_int_equal(s.tasks, 3);
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

/* ---- imported reviews get their initial health score ----------------------
 */

static const char *const specific[] = {
    "New CFO mandated consolidation of tools",
    "Champion's bonus depends on cutting close time by 3 days",
    "Security review nearly stalled it for six weeks",
    "Promised SSO by Q3 and a dedicated onboarding lead",
    "Close time under 5 days by month 4 expands to EMEA",
    "Champion may move to the parent company next year",
    "Renews if the EMEA rollout lands before budget season"};

/* Imports (cl_store_put, as `closeloop import` does) deal_id's review. */
static void
import_review(fixture *f, const char *deal_id, const char *held_on,
              const char *const q[7], const char *gut_read)
{
    const char *row[] = {deal_id, held_on, q[0],     q[1], q[2], q[3], q[4],
                         q[5],    q[6],    gut_read, NULL, NULL, NULL, NULL};
    assert_int_equal(cl_store_begin(f->st, "import", at("2026-06-03"), &f->err),
                     CL_OK);
    put(f->st, CL_KIND_REVIEWS, row);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
}

static int
health(fixture *f, const char *deal_id)
{
    int score = -2;
    assert_int_equal(cl_store_deal_health(f->st, deal_id, &score, &f->err),
                     CL_OK);
    return score;
}

/* The score the rules give these answers (docs/design.md section 2, item 4:
   Q2, Q5, Q7, the gut read and the ICP fit at close). */
static int
expected_score(const char *const q[7], const char *gut_read, int icp_fit)
{
    return cl_wf_health_score(cl_review_answer_generic(q[1], NULL),
                              cl_review_answer_generic(q[4], NULL),
                              cl_review_answer_generic(q[6], NULL), gut_read,
                              icp_fit);
}

typedef struct seen {
    const char *actor, *action;
    int n;
} seen;

static int
audit_cb(void *ud, const cl_audit_entry *a)
{
    seen *s = ud;
    s->n +=
        strcmp(a->action, s->action) == 0 && strcmp(a->actor, s->actor) == 0;
    return 0;
}

/* Audit entries of deal_id with action by actor. */
static int
deal_audits(fixture *f, const char *deal_id, const char *actor,
            const char *action)
{
    seen s = {actor, action, 0};
    assert_int_equal(
        cl_store_audit_each(f->st, "deals", deal_id, audit_cb, &s, &f->err),
        CL_OK);
    return s.n;
}

static int
outbox_cb(void *ud, const cl_store_outbox_row *m)
{
    (void)m;
    ++*(int *)ud;
    return 0;
}

static int
outbox_rows(fixture *f)
{
    int n = 0;
    assert_int_equal(
        cl_store_outbox_each(f->st, NULL, NULL, outbox_cb, &n, &f->err), CL_OK);
    return n;
}

static int
flag_cb(void *ud, const char *flag, const char *field, const char *reason)
{
    (void)flag, (void)field, (void)reason;
    ++*(int *)ud;
    return 0;
}

static void
test_tick_scores_imported_reviews(void **state)
{
    fixture *f = *state;
    /* D2 closed two years ago, long before the engine's lookback window;
       its review has generic answers, a worried gut read, no ICP fit. */
    const char *old[] = {
        "D2",         "A1", "U1",         "expansion", NULL, "closed_won",
        "2024-01-10", NULL, "2024-03-01", "20000",     NULL, NULL,
        NULL,         NULL, NULL,         NULL,        NULL};
    assert_int_equal(cl_store_begin(f->st, "import", at("2026-06-01"), &f->err),
                     CL_OK);
    put(f->st, CL_KIND_DEALS, old);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
    const char *generic[7] = {specific[0], "Seemed enthusiastic", specific[2],
                              specific[3], specific[4],           specific[5],
                              "fine"};
    import_review(f, "D1", "2026-06-03", specific, "positive");
    import_review(f, "D2", "2024-03-05", generic, "worried");
    assert_int_equal(health(f, "D1"), -1);
    assert_int_equal(health(f, "D2"), -1);

    cl_engine_stats s = {0};
    assert_int_equal(cl_engine_tick(f->st, at("2026-06-04T08:00"), &s, &f->err),
                     CL_OK);
    assert_int_equal(s.sets, 2);
    assert_int_equal(s.flags, 0);
    assert_int_equal(health(f, "D1"), expected_score(specific, "positive", 80));
    assert_int_equal(health(f, "D1"), 95);
    assert_int_equal(health(f, "D2"), expected_score(generic, "worried", -1));
    assert_int_equal(health(f, "D2"), 10); /* 50 - 25 - 10 + 5 - 10 */
    /* Audited as the engine's change; nobody notified, nothing flagged. */
    assert_int_equal(deal_audits(f, "D1", "engine", "health_score_set"), 1);
    assert_int_equal(deal_audits(f, "D2", "engine", "health_score_set"), 1);
    assert_int_equal(outbox_rows(f), 0);
    int flags = 0;
    assert_int_equal(
        cl_store_flags_each(f->st, "deal", "D2", flag_cb, &flags, &f->err),
        CL_OK);
    assert_int_equal(flags, 0);

    /* A second tick applies nothing. */
    int64_t n = audits(f);
    cl_engine_stats again = {0};
    assert_int_equal(
        cl_engine_tick(f->st, at("2026-06-04T09:00"), &again, &f->err), CL_OK);
    assert_true(cl_engine_stats_empty(&again));
    assert_int_equal(audits(f), n);
}

/* The score of a review recorded in closeloop is the initial one: a later
   import of other answers does not make the tick score it again. */
static void
test_tick_keeps_a_recorded_score(void **state)
{
    fixture *f = *state;
    cl_wf_review r = {.gut_read = "positive"};
    memcpy(r.answers, specific, sizeof r.answers);
    assert_int_equal(cl_date_parse("2026-06-03", 10, &r.held_on), 0);
    assert_int_equal(cl_engine_review_record(f->st, "D1", &r, "U6",
                                             at("2026-06-03T10:00"), NULL,
                                             &f->err),
                     CL_OK);
    assert_int_equal(health(f, "D1"), 95);
    assert_int_equal(deal_audits(f, "D1", "U6", "health_score_set"), 1);
    const char *worse[7] = {"n/a", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"};
    import_review(f, "D1", "2026-06-03", worse, "worried");

    cl_engine_stats s = {0};
    assert_int_equal(cl_engine_tick(f->st, at("2026-06-04T08:00"), &s, &f->err),
                     CL_OK);
    assert_int_equal(s.sets, 0);
    assert_int_equal(health(f, "D1"), 95);
    assert_int_equal(deal_audits(f, "D1", "engine", "health_score_set"), 0);
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
        cmocka_unit_test_setup_teardown(test_tick_scores_imported_reviews,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_tick_keeps_a_recorded_score, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
