/*
 * The store's engine calls (store_engine.h) against a real SQLite file:
 * each write applies once, audits what it changed, needs a transaction, and
 * rolls back with it; the reads select what the engine's rules need.
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

#include "store/store_engine.h"

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
put_row(cl_store *st, cl_kind kind, const char *const *cells)
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
    cl_testdb_make(f->path, "/tmp/cl-test-steng");
    assert_int_equal(cl_store_open(f->path, &f->st, &f->err), CL_OK);
    cl_store *st = f->st;
    assert_int_equal(cl_store_begin(st, "test", at("2026-06-01"), &f->err),
                     CL_OK);
    const char *users[][6] = {
        {"U1", "Ann", "ann@example.com", "ae", NULL, NULL},
        {"U2", "Sam", "sam@example.com", "sales_manager", NULL, NULL},
        {"U6", "Cid", "cid@example.com", "csm", NULL, NULL},
    };
    put_row(st, CL_KIND_USERS, users[1]);
    const char *u1[] = {"U1", "Ann", "ann@example.com", "ae", "U2", NULL};
    put_row(st, CL_KIND_USERS, u1);
    put_row(st, CL_KIND_USERS, users[2]);
    const char *acc[] = {"A1", "Acme", NULL, NULL,      NULL,
                         NULL, "U6",   NULL, "customer"};
    put_row(st, CL_KIND_ACCOUNTS, acc);
    const char *lost[] = {
        "D0",         "A1", "U1",         "new",  NULL, "closed_lost",
        "2025-01-01", NULL, "2025-03-01", "1000", NULL, NULL,
        NULL,         NULL, NULL,         NULL,   NULL};
    const char *won[] = {
        "D1",         "A1", "U1",         "new",   NULL, "closed_won",
        "2025-04-01", NULL, "2026-05-20", "60000", NULL, "80",
        NULL,         "3",  "false",      NULL,    NULL};
    const char *open[] = {"D2",        "A1",         "U1", "expansion", NULL,
                          "discovery", "2026-05-01", NULL, NULL,        "5000",
                          NULL,        NULL,         NULL, NULL,        NULL,
                          NULL,        NULL};
    put_row(st, CL_KIND_DEALS, lost);
    put_row(st, CL_KIND_DEALS, won);
    put_row(st, CL_KIND_DEALS, open);
    const char *ch[] = {"C1", "A1", NULL, "2026-05-25", "60000", NULL,
                        NULL, NULL, NULL, NULL,         NULL,    NULL};
    put_row(st, CL_KIND_CHURNS, ch);
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

typedef struct ids {
    char v[8][16];
    int n;
} ids;

static int
deal_id_cb(void *ud, const cl_store_deal_row *r)
{
    ids *x = ud;
    if (x->n < 8)
        snprintf(x->v[x->n++], 16, "%s", r->id);
    return 0;
}

static void
test_deal_selections(void **state)
{
    fixture *f = *state;
    ids x = {.n = 0};
    assert_int_equal(cl_store_deals_sel(f->st, CL_SD_WON_PENDING, "2026-05-01",
                                        deal_id_cb, &x, &f->err),
                     CL_OK);
    assert_int_equal(x.n, 1);
    assert_string_equal(x.v[0], "D1");
    /* Older than the lookback: not selected. */
    x.n = 0;
    assert_int_equal(cl_store_deals_sel(f->st, CL_SD_WON_PENDING, "2026-05-21",
                                        deal_id_cb, &x, &f->err),
                     CL_OK);
    assert_int_equal(x.n, 0);
    x.n = 0;
    assert_int_equal(
        cl_store_deals_sel(f->st, CL_SD_OPEN, NULL, deal_id_cb, &x, &f->err),
        CL_OK);
    assert_int_equal(x.n, 1);
    assert_string_equal(x.v[0], "D2");
    /* D1 and D2 were created after D0 was lost on the same account. */
    x.n = 0;
    assert_int_equal(cl_store_deals_sel(f->st, CL_SD_NEW_ON_LOST, "2025-01-01",
                                        deal_id_cb, &x, &f->err),
                     CL_OK);
    assert_int_equal(x.n, 2);
}

static int
deal_row_cb(void *ud, const cl_store_deal_row *r)
{
    *(cl_store_deal_row *)ud = *r;
    return 1;
}

static void
test_deal_row_joins_people(void **state)
{
    fixture *f = *state;
    cl_store_deal_row r;
    memset(&r, 0, sizeof r);
    assert_int_equal(
        cl_store_deals_sel(f->st, CL_SD_ONE, "D1", deal_row_cb, &r, &f->err),
        CL_OK);
    /* Strings are only valid in the callback; check the numbers. */
    assert_near(r.arr, 60000, 0.001);
    assert_int_equal(r.icp_fit_score, 80);
    assert_int_equal(r.champion_tenure_months, 3);
    assert_int_equal(r.exec_sponsor, 0);
    assert_int_equal(r.review_done, 0);
}

static void
test_task_add_is_idempotent_and_audited(void **state)
{
    fixture *f = *state;
    cl_store_task_new t = {"won_deal_review", "deal",      "D1", "U6", "U1",
                           "Review D1",       "2026-05-27"};
    int inserted = 0, changed = 0;
    int64_t id1 = 0, id2 = 0, n0 = audits(f);

    assert_int_equal(cl_store_task_add(f->st, &t, &inserted, &id1, &f->err),
                     CL_EINVAL); /* outside a transaction */
    assert_int_equal(cl_store_begin(f->st, "engine", at("2026-05-20"), &f->err),
                     CL_OK);
    assert_int_equal(cl_store_task_add(f->st, &t, &inserted, &id1, &f->err),
                     CL_OK);
    assert_int_equal(inserted, 1);
    assert_int_equal(cl_store_task_add(f->st, &t, &inserted, &id2, &f->err),
                     CL_OK);
    assert_int_equal(inserted, 0);
    assert_int_equal(id1, id2);
    assert_int_equal(cl_store_task_mark(f->st, "won_deal_review", "deal", "D1",
                                        NULL, "reminded", &changed, &f->err),
                     CL_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(cl_store_task_mark(f->st, "won_deal_review", "deal", "D1",
                                        NULL, "reminded", &changed, &f->err),
                     CL_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
    assert_int_equal(audits(f), n0 + 2); /* created, reminded */

    /* The deal now has a review task: no longer pending. */
    ids x = {.n = 0};
    assert_int_equal(cl_store_deals_sel(f->st, CL_SD_WON_PENDING, "2026-05-01",
                                        deal_id_cb, &x, &f->err),
                     CL_OK);
    assert_int_equal(x.n, 0);
}

static void
test_rollback_undoes_engine_writes(void **state)
{
    fixture *f = *state;
    int inserted = 0;
    int64_t n0 = audits(f);
    cl_store_outbox_new m = {"k:1:email",  "U1",      "email",
                             "churn_flag", "Subject", "Body",
                             "churn",      "C1",      "pending"};
    assert_int_equal(cl_store_begin(f->st, "engine", at("2026-06-01"), &f->err),
                     CL_OK);
    assert_int_equal(cl_store_outbox_add(f->st, &m, &inserted, &f->err), CL_OK);
    assert_int_equal(inserted, 1);
    cl_store_rollback(f->st);
    assert_int_equal(audits(f), n0);
    assert_int_equal(cl_store_begin(f->st, "engine", at("2026-06-01"), &f->err),
                     CL_OK);
    assert_int_equal(cl_store_outbox_add(f->st, &m, &inserted, &f->err), CL_OK);
    assert_int_equal(inserted, 1); /* the rolled-back row is not there */
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
}

typedef struct due {
    int n;
    int64_t id;
} due;

static int
due_cb(void *ud, const cl_store_outbox_row *r)
{
    due *d = ud;
    d->n++;
    d->id = r->id;
    assert_string_equal(r->recipient_email, "ann@example.com");
    return 0;
}

static void
test_outbox_due_and_mark(void **state)
{
    fixture *f = *state;
    int inserted = 0;
    cl_store_outbox_new m = {"k:2:email",  "U1",      "email",
                             "churn_flag", "Subject", "Body",
                             NULL,         NULL,      "pending"};
    cl_store_outbox_new in = {"k:2:inbox",  "U1",      "inbox",
                              "churn_flag", "Subject", "Body",
                              NULL,         NULL,      "sent"};
    assert_int_equal(cl_store_begin(f->st, "engine", at("2026-06-01"), &f->err),
                     CL_OK);
    assert_int_equal(cl_store_outbox_add(f->st, &m, &inserted, &f->err), CL_OK);
    assert_int_equal(cl_store_outbox_add(f->st, &in, &inserted, &f->err),
                     CL_OK);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);

    due d = {0, 0};
    assert_int_equal(cl_store_outbox_due(f->st, "email", "2026-06-01T00:00:00Z",
                                         10, due_cb, &d, &f->err),
                     CL_OK);
    assert_int_equal(d.n, 1);
    assert_int_equal(
        cl_store_begin(f->st, "deliver", at("2026-06-01"), &f->err), CL_OK);
    assert_int_equal(cl_store_outbox_mark(f->st, d.id, "pending", 1,
                                          "2026-06-01T00:01:00Z", "refused",
                                          &f->err),
                     CL_OK);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
    d.n = 0;
    assert_int_equal(cl_store_outbox_due(f->st, "email", "2026-06-01T00:00:59Z",
                                         10, due_cb, &d, &f->err),
                     CL_OK);
    assert_int_equal(d.n, 0); /* not before its next attempt */
    assert_int_equal(cl_store_outbox_due(f->st, "email", "2026-06-01T00:01:00Z",
                                         10, due_cb, &d, &f->err),
                     CL_OK);
    assert_int_equal(d.n, 1);
    /* Inbox rows are delivered when queued: never due. */
    d.n = 0;
    assert_int_equal(cl_store_outbox_due(f->st, "inbox", "2030-01-01T00:00:00Z",
                                         10, due_cb, &d, &f->err),
                     CL_OK);
    assert_int_equal(d.n, 0);
}

/* The ids a claim handed out, in order. */
typedef struct claimed {
    int64_t id[32];
    int n;
} claimed;

static int
claim_cb(void *ud, const cl_store_outbox_row *r)
{
    claimed *c = ud;
    if (c->n < 32)
        c->id[c->n++] = r->id;
    return 0;
}

static claimed
claim(cl_store *st, int limit)
{
    claimed c = {{0}, 0};
    cl_error err;
    assert_int_equal(cl_store_outbox_claim(st, "email", "2026-06-01T00:00:00Z",
                                           limit, claim_cb, &c, &err),
                     CL_OK);
    return c;
}

static void
mark_sent(cl_store *st, const claimed *c)
{
    cl_error err;
    assert_int_equal(cl_store_begin(st, "deliver", at("2026-06-01"), &err),
                     CL_OK);
    for (int i = 0; i < c->n; i++)
        assert_int_equal(
            cl_store_outbox_mark(st, c->id[i], "sent", 1, NULL, NULL, &err),
            CL_OK);
    assert_int_equal(cl_store_commit(st, &err), CL_OK);
}

static void
assert_ids(const claimed *c, int64_t first, int n)
{
    assert_int_equal(c->n, n);
    for (int i = 0; i < n; i++)
        assert_int_equal(c->id[i], first + i);
}

static void
test_two_workers_claim_disjoint_messages(void **state)
{
    fixture *f = *state;
    cl_store *b, *c3;
    int inserted;
    if (cl_testdb_pg() == NULL)
        skip(); /* SQLite: one writer per file, the claim is the due list */
    assert_int_equal(cl_store_begin(f->st, "engine", at("2026-06-01"), &f->err),
                     CL_OK);
    for (int i = 1; i <= 12; i++) {
        char key[16];
        snprintf(key, sizeof key, "k:%d", i);
        cl_store_outbox_new m = {key,    "U1", "email", "churn_flag", "Subject",
                                 "Body", NULL, NULL,    "pending"};
        assert_int_equal(cl_store_outbox_add(f->st, &m, &inserted, &f->err),
                         CL_OK);
    }
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
    assert_int_equal(cl_store_open(f->path, &b, &f->err), CL_OK);

    /* Worker A takes 1-5, worker B the next five, not A's. */
    claimed a1 = claim(f->st, 5), b1 = claim(b, 5);
    assert_ids(&a1, 1, 5);
    assert_ids(&b1, 6, 5);
    /* Asking again, each gets back what it holds (one claim per row). */
    claimed a2 = claim(f->st, 5);
    assert_ids(&a2, 1, 5);
    mark_sent(f->st, &a1);
    /* A's marks ended its claims: A goes on with what nobody holds. */
    claimed a3 = claim(f->st, 5);
    assert_ids(&a3, 11, 2);

    /* A worker that goes away leaves its messages to the others. */
    cl_store_close(b);
    assert_int_equal(cl_store_open(f->path, &c3, &f->err), CL_OK);
    claimed c1 = claim(c3, 10);
    assert_ids(&c1, 6, 5);
    mark_sent(c3, &c1);
    mark_sent(f->st, &a3);
    claimed none = claim(c3, 10);
    assert_int_equal(none.n, 0);
    cl_store_close(c3);
}

/* A message handed out twice to one worker is claimed once: when its send
   fails and it is due again, another worker may take it. */
static void
test_a_retried_message_is_left_to_any_worker(void **state)
{
    fixture *f = *state;
    cl_store *b;
    int inserted;
    if (cl_testdb_pg() == NULL)
        skip(); /* SQLite: one writer per file, the claim is the due list */
    assert_int_equal(cl_store_begin(f->st, "engine", at("2026-06-01"), &f->err),
                     CL_OK);
    cl_store_outbox_new m = {"k:1",  "U1", "email", "churn_flag", "Subject",
                             "Body", NULL, NULL,    "pending"};
    assert_int_equal(cl_store_outbox_add(f->st, &m, &inserted, &f->err), CL_OK);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
    assert_int_equal(cl_store_open(f->path, &b, &f->err), CL_OK);

    claimed a1 = claim(f->st, 5), a2 = claim(f->st, 5);
    assert_ids(&a1, 1, 1);
    assert_ids(&a2, 1, 1);
    assert_int_equal(claim(b, 5).n, 0);
    /* The send failed: due again at once, for whoever asks. */
    assert_int_equal(
        cl_store_begin(f->st, "deliver", at("2026-06-01"), &f->err), CL_OK);
    assert_int_equal(cl_store_outbox_mark(f->st, 1, "pending", 1,
                                          "2026-06-01T00:00:00Z", "timeout",
                                          &f->err),
                     CL_OK);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
    claimed b1 = claim(b, 5);
    assert_ids(&b1, 1, 1);
    cl_store_close(b);
}

static int
churn_cb(void *ud, const cl_store_churn_row *r)
{
    char *deal = ud;
    snprintf(deal, 16, "%s|%s|%s", r->deal_id ? r->deal_id : "-",
             r->ae_id ? r->ae_id : "-",
             r->ae_manager_id ? r->ae_manager_id : "-");
    return 0;
}

static void
test_churn_falls_back_to_first_won_deal(void **state)
{
    fixture *f = *state;
    char who[16] = "";
    assert_int_equal(cl_store_churns_sel(f->st, CL_SC_UNTAGGED_PENDING, NULL,
                                         NULL, churn_cb, who, &f->err),
                     CL_OK);
    assert_string_equal(who, "D1|U1|U2");
}

static void
test_fields_set_once(void **state)
{
    fixture *f = *state;
    int changed = 0, score = 0;
    assert_int_equal(cl_store_begin(f->st, "engine", at("2026-06-01"), &f->err),
                     CL_OK);
    assert_int_equal(cl_store_field_set(f->st, "churn", "C1", "sales_flagged",
                                        "2026-06-01", 1, &changed, &f->err),
                     CL_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(cl_store_field_set(f->st, "churn", "C1", "sales_flagged",
                                        "2026-06-02", 1, &changed, &f->err),
                     CL_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(cl_store_field_set(f->st, "deal", "D1", "health_score",
                                        NULL, 65, &changed, &f->err),
                     CL_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(cl_store_field_set(f->st, "deal", "D1", "stage", NULL, 0,
                                        &changed, &f->err),
                     CL_EINVAL);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
    assert_int_equal(cl_store_deal_health(f->st, "D1", &score, &f->err), CL_OK);
    assert_int_equal(score, 65);
}

/* Issue 14: a health reading is kept once per key, oldest first; the AE's
   answers are replaced whole. */
static int
reading_cb(void *ud, const cl_store_health_row *h)
{
    char *out = ud;
    size_t n = strlen(out);
    snprintf(out + n, 256 - n, "%s%d:%s:%s:%s", n ? "|" : "", h->score,
             h->source, h->recorded_on, h->note ? h->note : "-");
    return 0;
}

static int
answers_cb(void *ud, const cl_store_answers_row *a)
{
    snprintf(ud, 256, "%s/%s/%s", a->q[0] ? a->q[0] : "-",
             a->q[6] ? a->q[6] : "-", a->answered_by);
    return 1;
}

static void
test_health_readings_and_ae_answers(void **state)
{
    fixture *f = *state;
    char got[256] = "";
    int added = 0;
    cl_store_health_row r1 = {.deal_id = "D1",
                              .score = 70,
                              .source = "review",
                              .recorded_by = "U6",
                              .recorded_on = "2026-06-01"};
    cl_store_health_row r2 = {.deal_id = "D1",
                              .score = 55,
                              .source = "checkin",
                              .note = "SSO slipped",
                              .recorded_by = "U6",
                              .recorded_on = "2026-07-10"};
    assert_int_equal(cl_store_health_add(f->st, "k1", &r1, &added, &f->err),
                     CL_EINVAL); /* outside a transaction */
    assert_int_equal(cl_store_begin(f->st, "engine", at("2026-07-10"), &f->err),
                     CL_OK);
    assert_int_equal(cl_store_health_add(f->st, "k1", &r1, &added, &f->err),
                     CL_OK);
    assert_int_equal(added, 1);
    assert_int_equal(cl_store_health_add(f->st, "k1", &r2, &added, &f->err),
                     CL_OK);
    assert_int_equal(added, 0);
    assert_int_equal(cl_store_health_add(f->st, "k2", &r2, &added, &f->err),
                     CL_OK);
    assert_int_equal(added, 1);
    const char *q[7] = {"Board mandate", "b", "c", "d", NULL, NULL, "g"};
    assert_int_equal(cl_store_review_answers_put(f->st, "D1", q, "U3", &f->err),
                     CL_OK);
    q[6] = NULL;
    assert_int_equal(cl_store_review_answers_put(f->st, "D1", q, "U3", &f->err),
                     CL_OK);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
    assert_int_equal(
        cl_store_health_each(f->st, "D1", reading_cb, got, &f->err), CL_OK);
    assert_string_equal(
        got, "70:review:2026-06-01:-|55:checkin:2026-07-10:SSO slipped");
    assert_int_equal(
        cl_store_review_answers_get(f->st, "D1", answers_cb, got, &f->err),
        CL_OK);
    assert_string_equal(got, "Board mandate/-/U3");
}

static void
test_sessions_and_changes(void **state)
{
    fixture *f = *state;
    int inserted = 0, changed = 0;
    int64_t sid = 0, sid2 = 0, pc = 0, pc2 = 0;
    assert_int_equal(cl_store_begin(f->st, "engine", at("2026-07-01"), &f->err),
                     CL_OK);
    assert_int_equal(cl_store_session_open(f->st, "monthly_debrief", "2026-06",
                                           "U6", &inserted, &sid, &f->err),
                     CL_OK);
    assert_int_equal(inserted, 1);
    assert_int_equal(cl_store_session_open(f->st, "monthly_debrief", "2026-06",
                                           "U6", &inserted, &sid2, &f->err),
                     CL_OK);
    assert_int_equal(inserted, 0);
    assert_int_equal(sid, sid2);
    assert_int_equal(cl_store_pc_add(f->st, sid, "U2", "One change",
                                     "2026-07-31", &inserted, &pc, &f->err),
                     CL_OK);
    assert_int_equal(cl_store_pc_add(f->st, sid, "U2", "Another", "2026-07-31",
                                     &inserted, &pc2, &f->err),
                     CL_OK);
    assert_int_equal(inserted, 0);
    assert_int_equal(pc, pc2);
    assert_int_equal(
        cl_store_session_decide(f->st, sid, "Decision \"A\"", &f->err), CL_OK);
    assert_int_equal(cl_store_session_close(f->st, sid, &changed, &f->err),
                     CL_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(cl_store_session_close(f->st, sid, &changed, &f->err),
                     CL_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(
        cl_store_pc_checkin(f->st, pc, "2026-07-20", "done", &changed, &f->err),
        CL_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(cl_store_pc_checkin(f->st, pc, "2026-07-21", "again",
                                         &changed, &f->err),
                     CL_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
}

static void
test_config_round_trip(void **state)
{
    fixture *f = *state;
    char buf[64];
    int found = 1;
    int64_t n0 = audits(f);
    assert_int_equal(cl_store_config_get(f->st, "smtp_url", buf, sizeof buf,
                                         &found, &f->err),
                     CL_OK);
    assert_int_equal(found, 0);
    assert_int_equal(cl_store_begin(f->st, "U7", at("2026-06-01"), &f->err),
                     CL_OK);
    assert_int_equal(
        cl_store_config_set(f->st, "smtp_url", "smtp://h:25", &f->err), CL_OK);
    assert_int_equal(
        cl_store_config_set(f->st, "smtp_url", "smtp://h:25", &f->err), CL_OK);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
    assert_int_equal(cl_store_config_get(f->st, "smtp_url", buf, sizeof buf,
                                         &found, &f->err),
                     CL_OK);
    assert_int_equal(found, 1);
    assert_string_equal(buf, "smtp://h:25");
    assert_int_equal(audits(f), n0 + 1); /* the same value twice: one entry */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_deal_selections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deal_row_joins_people, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_task_add_is_idempotent_and_audited,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_undoes_engine_writes,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_two_workers_claim_disjoint_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_retried_message_is_left_to_any_worker, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox_due_and_mark, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_churn_falls_back_to_first_won_deal,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields_set_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_health_readings_and_ae_answers,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions_and_changes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_config_round_trip, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
