/*
 * test_store_inbox.c - the event inbox's storage contract (store_inbox.h),
 * on SQLite and, with CLOSELOOP_TEST_PG, on PostgreSQL: an event is
 * stored once per source and id, moves only from the status it is in, and
 * RevOps' moves are audited.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"

#include "store/store.h"
#include "store/store_inbox.h"

/* The webhook's clock and RevOps' an hour later (2026-11-18T10:00Z). */
#define RECEIVED ((cl_time)1794996000)
#define DECIDED (RECEIVED + 3600)

typedef struct fixture {
    cl_store *st;
    cl_error err;
    char path[CL_TESTDB_URL];
} fixture;

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f->st = cl_testdb_open(f->path, "/tmp/cl-test-inbox"));
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    cl_testdb_close(((fixture *)*state)->path, ((fixture *)*state)->st);
    free(*state);
    return 0;
}

/* The events as "SOURCE/EVENT:STATUS:ATTEMPTS:ERROR" joined by ' ', in
   id order (PostgreSQL's identity may skip numbers: a refused duplicate
   takes one). */
typedef struct listing {
    char text[512];
} listing;

static int
list_cb(void *ud, const cl_inbox_event *ev)
{
    listing *l = ud;
    size_t n = strlen(l->text);
    snprintf(l->text + n, sizeof l->text - n, "%s%s/%s:%s:%d:%s", n ? " " : "",
             ev->source, ev->event_id, ev->status, ev->attempts,
             ev->error ? ev->error : "-");
    return 0;
}

static const char *
list(fixture *f, const char *status)
{
    static listing l;
    l.text[0] = '\0';
    assert_int_equal(
        cl_store_inbox_list(f->st, status, 0, 100, list_cb, &l, &f->err),
        CL_OK);
    return l.text;
}

static void
add(fixture *f, const char *source, const char *id, int64_t *out, int *added)
{
    assert_int_equal(
        cl_store_inbox_add(f->st, source, id, "{}", out, added, &f->err),
        CL_OK);
}

static void
test_stored_once(void **state)
{
    fixture *f = *state;
    int64_t a, b, c;
    int added;
    assert_int_equal(
        cl_store_begin(f->st, "webhook:hubspot", RECEIVED, &f->err), CL_OK);
    add(f, "hubspot", "1", &a, &added);
    assert_int_equal(added, 1);
    add(f, "hubspot", "1", &b, &added);
    assert_int_equal(added, 0);
    assert_int_equal(a, b);
    /* The same id from another source is another event. */
    add(f, "salesforce", "1", &c, &added);
    assert_int_equal(added, 1);
    assert_true(c > a);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
    assert_string_equal(list(f, NULL),
                        "hubspot/1:pending:0:- salesforce/1:pending:0:-");
    assert_string_equal(list(f, "failed"), "");
    /* Outside a transaction: refused. */
    assert_int_equal(
        cl_store_inbox_add(f->st, "hubspot", "2", "{}", &a, &added, &f->err),
        CL_EINVAL);
}

static void
test_moves(void **state)
{
    fixture *f = *state;
    int64_t id;
    int added, moved;
    cl_store *st = f->st;
    assert_int_equal(cl_store_begin(st, "webhook:generic", RECEIVED, &f->err),
                     CL_OK);
    add(f, "generic", "e1", &id, &added);
    /* Failed, with its error and one attempt. */
    assert_int_equal(cl_store_inbox_move(st, id, "pending", "failed",
                                         "account_id: no accounts 'A9'", &moved,
                                         &f->err),
                     CL_OK);
    assert_int_equal(moved, 1);
    /* From a status it is not in: nothing. */
    assert_int_equal(cl_store_inbox_move(st, id, "pending", "applied", NULL,
                                         &moved, &f->err),
                     CL_OK);
    assert_int_equal(moved, 0);
    assert_int_equal(cl_store_commit(st, &f->err), CL_OK);
    assert_string_equal(list(f, "failed"),
                        "generic/e1:failed:1:account_id: no accounts 'A9'");
    /* RevOps retries: back to pending (audited), then applied. */
    assert_int_equal(cl_store_begin(st, "U7", DECIDED, &f->err), CL_OK);
    assert_int_equal(
        cl_store_inbox_move(st, id, "failed", "pending", NULL, &moved, &f->err),
        CL_OK);
    assert_int_equal(cl_store_inbox_move(st, id, "pending", "applied", NULL,
                                         &moved, &f->err),
                     CL_OK);
    assert_int_equal(cl_store_commit(st, &f->err), CL_OK);
    assert_string_equal(list(f, NULL), "generic/e1:applied:2:-");
    int found;
    assert_int_equal(cl_store_inbox_get(st, 99, NULL, NULL, &found, &f->err),
                     CL_OK);
    assert_int_equal(found, 0);
    assert_int_equal(cl_store_inbox_get(st, id, NULL, NULL, &found, &f->err),
                     CL_OK);
    assert_int_equal(found, 1);
}

typedef struct audits {
    int n;
    char last[64];
} audits;

static int
audit_cb(void *ud, const cl_audit_entry *e)
{
    audits *a = ud;
    a->n++;
    snprintf(a->last, sizeof a->last, "%s %s", e->actor, e->action);
    return 0;
}

static void
test_discard_audited(void **state)
{
    fixture *f = *state;
    int64_t id;
    int added, moved;
    audits a = {0};
    assert_int_equal(
        cl_store_begin(f->st, "webhook:generic", RECEIVED, &f->err), CL_OK);
    add(f, "generic", "e2", &id, &added);
    assert_int_equal(cl_store_inbox_move(f->st, id, "pending", "failed", "x",
                                         &moved, &f->err),
                     CL_OK);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
    assert_int_equal(cl_store_begin(f->st, "U7", DECIDED, &f->err), CL_OK);
    assert_int_equal(cl_store_inbox_move(f->st, id, "failed", "discarded", NULL,
                                         &moved, &f->err),
                     CL_OK);
    assert_int_equal(cl_store_commit(f->st, &f->err), CL_OK);
    assert_string_equal(list(f, "discarded"), "generic/e2:discarded:1:-");
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    assert_int_equal(
        cl_store_audit_each(f->st, "inbox", key, audit_cb, &a, &f->err), CL_OK);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.last, "U7 inbox_discard");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stored_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discard_audited, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
