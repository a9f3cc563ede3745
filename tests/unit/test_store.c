/*
 * The store contract: what every backend must do, run against a real
 * SQLite file, or against PostgreSQL when CLOSELOOP_TEST_PG names a
 * database (testdb.h).
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

#include "core/date.h"
#include "store/store.h"

typedef struct fixture {
    char path[CL_TESTDB_URL];
    cl_store *st;
} fixture;

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    cl_testdb_make(f->path, "/tmp/cl-test-store");
    cl_error err;
    assert_int_equal(cl_store_open(f->path, &f->st, &err), CL_OK);
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

static cl_value
T(const char *s)
{
    cl_value v = {.type = s ? CL_V_TEXT : CL_V_NULL, .s = s};
    return v;
}

static cl_value
I(int64_t i)
{
    cl_value v = {.type = CL_V_INT, .i = i};
    return v;
}

static cl_time
at(const char *s)
{
    cl_time t;
    assert_int_equal(cl_time_parse(s, &t), 0);
    return t;
}

static void
put_user(cl_store *st, const char *id, const char *name, cl_put_result want)
{
    cl_value row[6] = {T(id),    T(name), T("x@example.com"),
                       T("csm"), T(NULL), T(NULL)};
    cl_put_result res;
    cl_error err;
    assert_int_equal(cl_store_put(st, CL_KIND_USERS, row, &res, &err), CL_OK);
    assert_int_equal(res, want);
}

static int64_t
audit_count(cl_store *st)
{
    int64_t n;
    cl_error err;
    assert_int_equal(cl_store_audit_count(st, &n, &err), CL_OK);
    return n;
}

static void
test_new_workspace_is_migrated_and_seeded(void **state)
{
    fixture *f = *state;
    int version;
    cl_error err;
    double v;
    assert_int_equal(cl_store_schema_version(f->st, &version, &err), CL_OK);
    assert_int_equal(version, CL_STORE_SCHEMA_VERSION);
    assert_string_equal(cl_store_backend(f->st), cl_testdb_backend());
    assert_int_equal(cl_store_threshold(f->st, "icp_review_share", &v, &err),
                     CL_OK);
    assert_near(v, 0.25, 1e-12);
    assert_int_equal(cl_store_threshold(f->st, "nope", &v, &err), CL_ENOTFOUND);
    for (int k = 0; k < CL_KIND_COUNT; k++) {
        int64_t n = -1;
        assert_int_equal(cl_store_count(f->st, (cl_kind)k, &n, &err), CL_OK);
        assert_int_equal(n, 0);
    }
    assert_int_equal(audit_count(f->st), 0);
}

static int
collect_cause(void *ud, const cl_cause *c)
{
    int *n = ud;
    const cl_cause *def = cl_taxonomy_find(c->code);
    assert_non_null(def);
    assert_string_equal(c->label, def->label);
    assert_int_equal(c->sales_attributable, def->sales_attributable);
    (*n)++;
    return 0;
}

static void
test_taxonomy_is_seeded_once(void **state)
{
    fixture *f = *state;
    cl_error err;
    int n = 0;
    assert_int_equal(cl_store_causes(f->st, collect_cause, &n, &err), CL_OK);
    assert_int_equal(n, 13);
    /* Reopening neither migrates nor seeds again. */
    cl_store_close(f->st);
    assert_int_equal(cl_store_open(f->path, &f->st, &err), CL_OK);
    n = 0;
    assert_int_equal(cl_store_causes(f->st, collect_cause, &n, &err), CL_OK);
    assert_int_equal(n, 13);
}

static void
test_put_inserts_updates_and_skips_unchanged(void **state)
{
    fixture *f = *state;
    cl_error err;
    assert_int_equal(
        cl_store_begin(f->st, "u-revops", at("2026-07-01T09:30"), &err), CL_OK);
    put_user(f->st, "u1", "Ana", CL_PUT_INSERTED);
    put_user(f->st, "u1", "Ana", CL_PUT_UNCHANGED);
    put_user(f->st, "u1", "Ana Lima", CL_PUT_UPDATED);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);
    assert_int_equal(audit_count(f->st), 2);

    cl_value key = T("u1"), row[6];
    int found;
    assert_int_equal(
        cl_store_get(f->st, CL_KIND_USERS, &key, row, &found, &err), CL_OK);
    assert_int_equal(found, 1);
    assert_string_equal(row[1].s, "Ana Lima");
    assert_int_equal(row[4].type, CL_V_NULL);
    key = T("u2");
    assert_int_equal(
        cl_store_get(f->st, CL_KIND_USERS, &key, row, &found, &err), CL_OK);
    assert_int_equal(found, 0);
}

typedef struct audit_seen {
    int n;
    char action[2][16];
    char old_name[64];
    char actor[32];
    char at[32];
} audit_seen;

static int
collect_audit(void *ud, const cl_audit_entry *e)
{
    audit_seen *a = ud;
    if (a->n < 2)
        snprintf(a->action[a->n], sizeof a->action[0], "%s", e->action);
    if (e->old_json)
        snprintf(a->old_name, sizeof a->old_name, "%s",
                 strstr(e->old_json, "\"name\":\"Ana\"") ? "Ana" : "?");
    snprintf(a->actor, sizeof a->actor, "%s", e->actor);
    snprintf(a->at, sizeof a->at, "%s", e->at);
    a->n++;
    return 0;
}

static void
test_audit_entry_has_who_when_old_and_new(void **state)
{
    fixture *f = *state;
    cl_error err;
    assert_int_equal(
        cl_store_begin(f->st, "u-revops", at("2026-07-01T09:30"), &err), CL_OK);
    put_user(f->st, "u1", "Ana", CL_PUT_INSERTED);
    put_user(f->st, "u1", "Ana Lima", CL_PUT_UPDATED);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);
    audit_seen a = {0};
    assert_int_equal(
        cl_store_audit_each(f->st, "users", "u1", collect_audit, &a, &err),
        CL_OK);
    assert_int_equal(a.n, 2);
    assert_string_equal(a.action[0], "insert");
    assert_string_equal(a.action[1], "update");
    assert_string_equal(a.old_name, "Ana");
    assert_string_equal(a.actor, "u-revops");
    assert_string_equal(a.at, "2026-07-01T09:30:00Z");
    a.n = 0;
    assert_int_equal(
        cl_store_audit_each(f->st, "users", "u9", collect_audit, &a, &err),
        CL_OK);
    assert_int_equal(a.n, 0);
}

static void
test_rollback_leaves_nothing(void **state)
{
    fixture *f = *state;
    cl_error err;
    int64_t n;
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    put_user(f->st, "u1", "Ana", CL_PUT_INSERTED);
    cl_store_rollback(f->st);
    assert_int_equal(cl_store_count(f->st, CL_KIND_USERS, &n, &err), CL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(audit_count(f->st), 0);
}

static void
test_put_outside_transaction_is_refused(void **state)
{
    fixture *f = *state;
    cl_value row[6] = {T("u1"),  T("A"),  T("a@b.co"),
                       T("csm"), T(NULL), T(NULL)};
    cl_put_result res;
    cl_error err;
    assert_int_equal(cl_store_put(f->st, CL_KIND_USERS, row, &res, &err),
                     CL_EINVAL);
}

static void
test_audit_log_is_append_only(void **state)
{
    fixture *f = *state;
    cl_error err;
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    put_user(f->st, "u1", "Ana", CL_PUT_INSERTED);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);
    char msg[512];
    assert_int_not_equal(cl_testdb_exec(f->path,
                                        "UPDATE audit SET actor = "
                                        "'x'",
                                        msg, sizeof msg),
                         0);
    assert_non_null(strstr(msg, "the audit log is append-only"));
    assert_int_not_equal(
        cl_testdb_exec(f->path, "DELETE FROM audit", msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "the audit log is append-only"));
    assert_int_equal(audit_count(f->st), 1);
}

static void
put_account(cl_store *st, const char *id)
{
    cl_value row[9] = {T(id), T("Acme"), T(NULL), I(40),        T(NULL),
                       I(1),  T(NULL),   T(NULL), T("customer")};
    cl_put_result res;
    cl_error err;
    assert_int_equal(cl_store_put(st, CL_KIND_ACCOUNTS, row, &res, &err),
                     CL_OK);
}

static void
put_deal(cl_store *st, const char *id, const char *account, const char *type,
         const char *stage, const char *closed)
{
    cl_value row[17];
    for (int i = 0; i < 17; i++)
        row[i] = T(NULL);
    row[0] = T(id);
    row[1] = T(account);
    row[3] = T(type);
    row[5] = T(stage);
    row[6] = T("2024-01-01");
    row[8] = T(closed);
    cl_put_result res;
    cl_error err;
    assert_int_equal(cl_store_put(st, CL_KIND_DEALS, row, &res, &err), CL_OK);
}

static void
test_first_won_new_deal(void **state)
{
    fixture *f = *state;
    cl_error err;
    char id[64];
    int found;
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    put_account(f->st, "a1");
    put_deal(f->st, "d3", "a1", "new", "closed_won", "2024-05-01");
    put_deal(f->st, "d1", "a1", "expansion", "closed_won", "2024-01-01");
    put_deal(f->st, "d2", "a1", "new", "closed_won", "2024-03-01");
    put_deal(f->st, "d0", "a1", "new", "closed_lost", "2024-02-01");
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);
    assert_int_equal(
        cl_store_first_won_new_deal(f->st, "a1", id, sizeof id, &found, &err),
        CL_OK);
    assert_int_equal(found, 1);
    assert_string_equal(id, "d2");
    assert_int_equal(
        cl_store_first_won_new_deal(f->st, "a2", id, sizeof id, &found, &err),
        CL_OK);
    assert_int_equal(found, 0);
}

static void
test_newer_schema_is_refused(void **state)
{
    fixture *f = *state;
    cl_error err;
    cl_store_close(f->st);
    f->st = NULL;
    char msg[512];
    assert_int_equal(cl_testdb_exec(f->path,
                                    "INSERT INTO schema_migrations "
                                    "VALUES (999, 'x')",
                                    msg, sizeof msg),
                     0);
    assert_int_equal(cl_store_open(f->path, &f->st, &err), CL_EDB);
    assert_non_null(strstr(err.msg, "schema version 999 is newer"));
}

static void
test_lost_connection_is_reopened(void **state)
{
    fixture *f = *state;
    cl_error err;
    int64_t n = -1;
    if (cl_testdb_pg() == NULL)
        skip(); /* a SQLite file has no connection to lose */
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    put_user(f->st, "u1", "Ana", CL_PUT_INSERTED);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);

    /* Outside a transaction the next call opens a new session. */
    assert_int_equal(cl_testdb_kill(f->path), 0);
    assert_int_equal(cl_store_count(f->st, CL_KIND_USERS, &n, &err), CL_OK);
    assert_int_equal(n, 1);

    /* Inside one, the transaction is gone: CL_ERETRY, then a new one
       works and nothing of the lost one was kept. */
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    put_user(f->st, "u2", "Ben", CL_PUT_INSERTED);
    assert_int_equal(cl_testdb_kill(f->path), 0);
    cl_put_result res;
    cl_value row[6] = {T("u3"), T("Cy"), T("cy@example.com"),
                       T("ae"), T(NULL), T(NULL)};
    assert_int_equal(cl_store_put(f->st, CL_KIND_USERS, row, &res, &err),
                     CL_ERETRY);
    cl_store_rollback(f->st);
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    put_user(f->st, "u3", "Cy", CL_PUT_INSERTED);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);
    assert_int_equal(cl_store_count(f->st, CL_KIND_USERS, &n, &err), CL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(audit_count(f->st), 2);
}

static void
test_unopenable_path_is_a_storage_error(void **state)
{
    (void)state;
    cl_store *st;
    cl_error err;
    assert_int_equal(cl_store_open("/nonexistent-dir/x.db", &st, &err), CL_EDB);
    assert_null(st);
    /* Nothing listens on port 1: a storage error, not a crash or a file. */
    assert_int_equal(cl_store_open("postgres://127.0.0.1:1/x", &st, &err),
                     CL_EDB);
    assert_null(st);
    assert_non_null(strstr(err.msg, "cannot connect"));
}

static void
test_end_read_lets_a_long_lived_handle_see_new_commits(void **state)
{
    fixture *f = *state;
    cl_error err;
    cl_store *other;
    int64_t n;
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    put_user(f->st, "u1", "Ana", CL_PUT_INSERTED);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);

    /* A read that returned a row stays open until the next call... */
    cl_value key = T("u1"), row[6];
    int found;
    assert_int_equal(
        cl_store_get(f->st, CL_KIND_USERS, &key, row, &found, &err), CL_OK);
    assert_int_equal(found, 1);
    /* ... while another process commits. */
    assert_int_equal(cl_store_open(f->path, &other, &err), CL_OK);
    assert_int_equal(cl_store_begin(other, "t", 0, &err), CL_OK);
    put_user(other, "u2", "Bo", CL_PUT_INSERTED);
    assert_int_equal(cl_store_commit(other, &err), CL_OK);
    cl_store_close(other);

    cl_store_end_read(f->st);
    assert_int_equal(cl_store_count(f->st, CL_KIND_USERS, &n, &err), CL_OK);
    assert_int_equal(n, 2);
}

typedef struct trail {
    int n;
    int64_t last_id;
    char ids[8][16];
} trail;

static int
collect_trail(void *ud, const cl_audit_entry *e)
{
    trail *t = ud;
    assert_true(e->id > t->last_id); /* oldest first */
    t->last_id = e->id;
    /* Entries come in object form, whatever the stored form. */
    assert_non_null(e->new_json);
    assert_int_equal(e->new_json[0], '{');
    if (t->n < 8)
        snprintf(t->ids[t->n], sizeof t->ids[0], "%s", e->entity_id);
    t->n++;
    return 0;
}

static void
test_audit_of_reads_several_trails_oldest_first(void **state)
{
    fixture *f = *state;
    cl_error err;
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    put_user(f->st, "u1", "Ana", CL_PUT_INSERTED);
    put_user(f->st, "u2", "Bo", CL_PUT_INSERTED);
    put_user(f->st, "u3", "Cy", CL_PUT_INSERTED);
    put_user(f->st, "u1", "Ana B", CL_PUT_UPDATED);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);

    cl_store_audit_key keys[] = {{"users", "u1"}, {"users", "u3"},
                                 {"accounts", "u2"}};
    trail t = {0};
    assert_int_equal(
        cl_store_audit_of(f->st, keys, 3, collect_trail, &t, &err), CL_OK);
    /* u1's insert, u3's insert, u1's update; not u2 (another entity's key
       of the same id is not its trail). */
    assert_int_equal(t.n, 3);
    assert_string_equal(t.ids[0], "u1");
    assert_string_equal(t.ids[1], "u3");
    assert_string_equal(t.ids[2], "u1");
    assert_int_equal(cl_store_audit_of(f->st, keys, 0, collect_trail, &t, &err),
                     CL_EINVAL);
    assert_int_equal(cl_store_audit_of(f->st, keys,
                                       CL_STORE_AUDIT_KEYS_MAX + 1,
                                       collect_trail, &t, &err),
                     CL_EINVAL);
}


static void
test_read_snapshot_sees_one_moment(void **state)
{
    fixture *f = *state;
    cl_error err;
    cl_store *other;
    int64_t n;
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    put_user(f->st, "u1", "Ana", CL_PUT_INSERTED);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);

    assert_int_equal(cl_store_read_begin(f->st, &err), CL_OK);
    assert_int_equal(cl_store_count(f->st, CL_KIND_USERS, &n, &err), CL_OK);
    assert_int_equal(n, 1);
    /* Another process commits while the snapshot is open... */
    assert_int_equal(cl_store_open(f->path, &other, &err), CL_OK);
    assert_int_equal(cl_store_begin(other, "t", 0, &err), CL_OK);
    put_user(other, "u2", "Bo", CL_PUT_INSERTED);
    assert_int_equal(cl_store_commit(other, &err), CL_OK);
    cl_store_close(other);
    /* ... and the snapshot's reads still see the moment it began. */
    assert_int_equal(cl_store_count(f->st, CL_KIND_USERS, &n, &err), CL_OK);
    assert_int_equal(n, 1);
    cl_store_end_read(f->st);
    assert_int_equal(cl_store_count(f->st, CL_KIND_USERS, &n, &err), CL_OK);
    assert_int_equal(n, 2);

    /* A write ends the snapshot by beginning its transaction. */
    assert_int_equal(cl_store_read_begin(f->st, &err), CL_OK);
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    put_user(f->st, "u3", "Cy", CL_PUT_INSERTED);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);
    assert_int_equal(cl_store_read_begin(f->st, &err), CL_OK);
    assert_int_equal(cl_store_count(f->st, CL_KIND_USERS, &n, &err), CL_OK);
    assert_int_equal(n, 3);
    cl_store_end_read(f->st);
    /* Not inside a transaction. */
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    assert_int_equal(cl_store_read_begin(f->st, &err), CL_EINVAL);
    cl_store_rollback(f->st);
}

/* On SQLite, a read whose callback runs the same read again (the cached
   statement is in use) gets a statement of its own: each sees its own
   rows.  (PostgreSQL streams one result at a time: store.h forbids it.) */
typedef struct nested {
    cl_store *st;
    int outer, inner;
} nested;

static int
count_inner(void *ud, const cl_audit_entry *e)
{
    (void)e;
    ((nested *)ud)->inner++;
    return 0;
}

static int
nest_audit(void *ud, const cl_audit_entry *e)
{
    nested *n = ud;
    cl_error err;
    n->outer++;
    assert_string_equal(e->entity_id, "u1");
    assert_int_equal(
        cl_store_audit_each(n->st, "users", "u2", count_inner, n, &err), CL_OK);
    /* The outer loop's row is still readable after the inner read. */
    assert_string_equal(e->entity_id, "u1");
    return 0;
}

static void
test_sqlite_read_inside_the_same_read_sees_its_own_rows(void **state)
{
    fixture *f = *state;
    cl_error err;
    if (cl_testdb_pg())
        skip();
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    put_user(f->st, "u1", "Ana", CL_PUT_INSERTED);
    put_user(f->st, "u1", "Ana B", CL_PUT_UPDATED);
    put_user(f->st, "u2", "Bo", CL_PUT_INSERTED);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);
    for (int round = 0; round < 3; round++) {
        nested n = {f->st, 0, 0};
        assert_int_equal(
            cl_store_audit_each(f->st, "users", "u1", nest_audit, &n, &err),
            CL_OK);
        assert_int_equal(n.outer, 2);
        assert_int_equal(n.inner, 2);
    }
}

static int
sqlite_count(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

/* Lookups by account must seek the account index, which SQLite's planner
   does only with statistics for every table that holds rows. */
static void
test_sqlite_keeps_planner_statistics_whole(void **state)
{
    fixture *f = *state;
    cl_error err;
    if (cl_testdb_pg())
        skip();
    assert_int_equal(cl_store_begin(f->st, "t", 0, &err), CL_OK);
    put_user(f->st, "u1", "Ana", CL_PUT_INSERTED);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);
    cl_store_close(f->st);
    f->st = NULL;
    assert_int_equal(sqlite_count(f->path,
                                  "SELECT count(*) FROM sqlite_stat1 WHERE "
                                  "tbl = 'users'"),
                     2);
    /* Statistics for some tables only (as PRAGMA optimize leaves them): the
       next open completes them. */
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO accounts (workspace_id, id, name, status) VALUES "
             "(1, 'a1', 'Acme', 'customer')");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(sqlite_count(f->path, "SELECT count(*) FROM sqlite_stat1 "
                                           "WHERE tbl = 'accounts'"),
                     0);
    assert_int_equal(cl_store_open(f->path, &f->st, &err), CL_OK);
    assert_int_equal(sqlite_count(f->path, "SELECT count(*) FROM sqlite_stat1 "
                                           "WHERE tbl = 'accounts'"),
                     1);
}

int
main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_new_workspace_is_migrated_and_seeded),
        T_(test_taxonomy_is_seeded_once),
        T_(test_put_inserts_updates_and_skips_unchanged),
        T_(test_audit_entry_has_who_when_old_and_new),
        T_(test_rollback_leaves_nothing),
        T_(test_put_outside_transaction_is_refused),
        T_(test_audit_log_is_append_only),
        T_(test_first_won_new_deal),
        T_(test_newer_schema_is_refused),
        T_(test_lost_connection_is_reopened),
        T_(test_unopenable_path_is_a_storage_error),
        T_(test_audit_of_reads_several_trails_oldest_first),
        T_(test_read_snapshot_sees_one_moment),
        T_(test_sqlite_read_inside_the_same_read_sees_its_own_rows),
        T_(test_sqlite_keeps_planner_statistics_whole),
        T_(test_end_read_lets_a_long_lived_handle_see_new_commits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
