/*
 * Online copies of a SQLite workspace (store/store_backup.h): a copy holds
 * what was committed when it was taken and nothing of a transaction still
 * open; what it refuses.  SQLite only: the backup API is SQLite's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/date.h"
#include "store/store.h"
#include "store/store_backup.h"

typedef struct fixture {
    char dir[64], db[128], copy[128];
    cl_store *st;
} fixture;

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    cl_error err;
    snprintf(f->dir, sizeof f->dir, "/tmp/cl-test-backup-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof f->db, "%s/ws.db", f->dir);
    snprintf(f->copy, sizeof f->copy, "%s/copy.db", f->dir);
    assert_int_equal(cl_store_open(f->db, &f->st, &err), CL_OK);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    char cmd[96];
    cl_store_close(f->st);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static cl_value
T(const char *s)
{
    cl_value v = {.type = s ? CL_V_TEXT : CL_V_NULL, .s = s};
    return v;
}

static void
put_user(cl_store *st, const char *id)
{
    cl_value row[6] = {T(id),    T("Someone"), T("x@example.com"),
                       T("csm"), T(NULL),      T(NULL)};
    cl_put_result res;
    cl_error err;
    assert_int_equal(cl_store_put(st, CL_KIND_USERS, row, &res, &err), CL_OK);
}

typedef struct users_count {
    int64_t users;
    int tables;
} users_count;

static int
count_cb(void *ud, const char *table, int64_t rows)
{
    users_count *c = ud;
    c->tables++;
    if (strcmp(table, "users") == 0)
        c->users = rows;
    return 0;
}

/* The users of the copy at path, after checking it is sound. */
static int64_t
copy_users(const char *path)
{
    cl_store_check info;
    users_count c = {-1, 0};
    cl_error err;
    assert_int_equal(cl_store_backup_check(path, 1, count_cb, &c, &info, &err),
                     CL_OK);
    assert_true(info.integrity_ok);
    assert_string_equal(info.integrity, "ok");
    assert_int_equal(info.schema_version, CL_STORE_SCHEMA_VERSION);
    assert_true(c.tables > 10);
    return c.users;
}

static void
copy_has_committed_rows_only(void **state)
{
    fixture *f = *state;
    cl_error err;
    cl_time now = 1782000000;

    assert_int_equal(cl_store_begin(f->st, "test", now, &err), CL_OK);
    put_user(f->st, "u1");
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);
    /* A transaction left open, as a long import would: not in the copy. */
    assert_int_equal(cl_store_begin(f->st, "test", now, &err), CL_OK);
    put_user(f->st, "u2");
    put_user(f->st, "u3");
    assert_int_equal(cl_store_backup(f->db, f->copy, &err), CL_OK);
    assert_int_equal(copy_users(f->copy), 1);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);

    /* Taken again once it committed: every row. */
    unlink(f->copy);
    char url[160];
    snprintf(url, sizeof url, "sqlite:%s", f->db);
    assert_int_equal(cl_store_backup(url, f->copy, &err), CL_OK);
    assert_int_equal(copy_users(f->copy), 3);

    /* The copy is a workspace closeloop opens as it is. */
    cl_store *c;
    int64_t n;
    assert_int_equal(cl_store_open(f->copy, &c, &err), CL_OK);
    assert_int_equal(cl_store_count(c, CL_KIND_USERS, &n, &err), CL_OK);
    assert_int_equal(n, 3);
    cl_store_close(c);
}

static void
refuses_what_it_must(void **state)
{
    fixture *f = *state;
    cl_error err;
    char missing[160];
    struct stat sb;

    /* An existing destination is never written over. */
    FILE *fp = fopen(f->copy, "w");
    assert_non_null(fp);
    fputs("keep", fp);
    fclose(fp);
    assert_int_equal(cl_store_backup(f->db, f->copy, &err), CL_ECONFLICT);
    assert_int_equal(stat(f->copy, &sb), 0);
    assert_int_equal(sb.st_size, 4);
    assert_true(cl_store_backup_is_source(f->db, f->db));
    assert_false(cl_store_backup_is_source(f->db, f->copy));
    /* Its -wal, -shm and -journal, present or not, by any spelling. */
    char name[200];
    static const char *const own[] = {"-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "%s%s", f->db, own[i]);
        assert_true(cl_store_backup_is_source(f->db, name));
    }
    snprintf(name, sizeof name, "%s/./../%s/%s-wal", f->dir,
             strrchr(f->dir, '/') + 1, strrchr(f->db, '/') + 1);
    assert_true(cl_store_backup_is_source(f->db, name));
    snprintf(name, sizeof name, "%s/link", f->dir);
    char target[200];
    snprintf(target, sizeof target, "%s-wal", f->db);
    assert_int_equal(symlink(target, name), 0);
    assert_true(cl_store_backup_is_source(f->db, name));
    unlink(name);
    snprintf(name, sizeof name, "%s-walrus", f->db);
    assert_false(cl_store_backup_is_source(f->db, name));

    /* No workspace there: not found, and none is created. */
    snprintf(missing, sizeof missing, "%s/none.db", f->dir);
    unlink(f->copy);
    assert_int_equal(cl_store_backup(missing, f->copy, &err), CL_ENOTFOUND);
    assert_int_not_equal(stat(missing, &sb), 0);
    assert_int_not_equal(stat(f->copy, &sb), 0);

    /* PostgreSQL: a pointer to pg_dump, without connecting. */
    assert_int_equal(
        cl_store_backup("postgres://nobody@127.0.0.1:1/x", f->copy, &err),
        CL_EINVAL);
    assert_non_null(strstr(err.msg, "pg_dump"));
    assert_int_not_equal(stat(f->copy, &sb), 0);

    /* A file that is no workspace fails the check. */
    cl_store_check info;
    fp = fopen(f->copy, "w");
    fputs("not a database at all, not even close to one", fp);
    fclose(fp);
    assert_int_equal(cl_store_backup_check(f->copy, 1, NULL, NULL, &info, &err),
                     CL_EDB);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(copy_has_committed_rows_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(refuses_what_it_must, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
