/*
 * cl_store_put_bulk (the importer's write path; COPY batches on
 * PostgreSQL) against cl_store_put row by row: the same puts into two fresh
 * workspaces must leave the same records, the same audit entries in the
 * same order, and the same counts.  Runs on either backend (testdb.h); on
 * PostgreSQL it crosses a batch boundary (20,000 rows).
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

#define NUSERS 20010

typedef struct text {
    char *p;
    size_t len, cap;
    int64_t lines;
    size_t nfields; /* of the kind being listed */
} text;

static void
put(text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
    memcpy(t->p + t->len, s, n + 1);
    t->len += n;
}

static int
row_line(void *ud, const cl_value *row)
{
    text *t = ud;
    char num[64];
    for (size_t i = 0; i < t->nfields; i++) {
        const cl_value *v = &row[i];
        switch (v->type) {
        case CL_V_TEXT:
            put(t, v->s);
            break;
        case CL_V_INT:
            snprintf(num, sizeof num, "%lld", (long long)v->i);
            put(t, num);
            break;
        case CL_V_REAL:
            snprintf(num, sizeof num, "%.2f", v->r);
            put(t, num);
            break;
        case CL_V_NULL:
            put(t, "~");
            break;
        }
        put(t, "|");
    }
    put(t, "\n");
    t->lines++;
    return 0;
}

static int
audit_line(void *ud, const cl_audit_entry *e)
{
    text *t = ud;
    const char *parts[] = {e->at,
                           e->actor,
                           e->entity,
                           e->entity_id,
                           e->action,
                           e->old_json ? e->old_json : "~",
                           e->new_json ? e->new_json : "~"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        put(t, parts[i]);
        put(t, "\t");
    }
    put(t, "\n");
    t->lines++;
    return 0;
}

static cl_value
T(const char *s)
{
    return s ? (cl_value){.type = CL_V_TEXT, .s = s}
             : (cl_value){.type = CL_V_NULL};
}

static cl_value
I(int64_t i)
{
    return (cl_value){.type = CL_V_INT, .i = i};
}

static cl_value
R(double r)
{
    return (cl_value){.type = CL_V_REAL, .r = r};
}

/* One put, by the row path or the bulk path. */
static void
put_row(cl_store *st, int bulk, cl_kind kind, const cl_value *row,
        cl_put_counts *c)
{
    cl_error err;
    if (bulk) {
        assert_int_equal(cl_store_put_bulk(st, kind, row, c, &err), CL_OK);
        return;
    }
    cl_put_result res;
    assert_int_equal(cl_store_put(st, kind, row, &res, &err), CL_OK);
    if (res == CL_PUT_INSERTED)
        c->inserted++;
    else if (res == CL_PUT_UPDATED)
        c->updated++;
    else
        c->unchanged++;
}

static void
user(cl_store *st, int bulk, int i, int round, cl_put_counts *c)
{
    char id[32], name[64], email[64], mgr[32];
    snprintf(id, sizeof id, "u%05d", i);
    /* Text COPY must escape: a tab, a newline, a backslash, a quote. */
    snprintf(name, sizeof name, "%s\t%d\\n\"%s\"\n%s", "Zoë", i,
             round && i % 3 == 0 ? "changed" : "same", "end");
    snprintf(email, sizeof email, "u%d@x.io", i);
    snprintf(mgr, sizeof mgr, "u%05d", i / 2);
    cl_value row[6] = {T(id),
                       T(name),
                       T(email),
                       T(i % 2 ? "ae" : "csm"),
                       T(i > 0 ? mgr : NULL),
                       T(round && i % 5 == 0 ? NULL : "East")};
    put_row(st, bulk, CL_KIND_USERS, row, c);
}

/* The same puts, in two transactions, by one path; returns the counts. */
static void
run(cl_store *st, int bulk, cl_put_counts c[2])
{
    cl_error err;
    cl_time at;
    assert_int_equal(cl_time_parse("2026-07-01T09:30", &at), 0);
    memset(c, 0, 2 * sizeof *c);
    for (int round = 0; round < 2; round++) {
        assert_int_equal(cl_store_begin_checked(st, "import", at, &err), CL_OK);
        int n = round ? NUSERS + 10 : NUSERS;
        for (int i = 0; i < n; i++)
            user(st, bulk, i, round, &c[round]);
        /* Another kind in the same transaction, with a two-part key and
           hours; round 1 changes some, keeps some, adds one. */
        for (int i = 0; i < 4; i++) {
            char acc[16], id[16];
            snprintf(acc, sizeof acc, "a%d", i);
            snprintf(id, sizeof id, "u%05d", i);
            if (round == 0) {
                cl_value a[9] = {T(acc),       T("Acme"),
                                 T(NULL),      I(40),
                                 T("EU"),      I(i % 2),
                                 T(id),        T(i ? "2025-01-01" : NULL),
                                 T("customer")};
                put_row(st, bulk, CL_KIND_ACCOUNTS, a, &c[round]);
            }
            for (int m = 0; m < 2 + round; m++) {
                char month[16];
                snprintf(month, sizeof month, "2026-0%d", m + 1);
                cl_value h[3] = {T(acc), T(month),
                                 R(round && m == 0 && i % 2 ? 7.5 : 12.25)};
                put_row(st, bulk, CL_KIND_CS_HOURS, h, &c[round]);
            }
        }
        if (bulk)
            assert_int_equal(cl_store_put_flush(st, &c[round], &err), CL_OK);
        assert_int_equal(cl_store_commit(st, &err), CL_OK);
    }
}

static void
dump(cl_store *st, text *rows, text *audit)
{
    cl_error err;
    cl_kind kinds[] = {CL_KIND_USERS, CL_KIND_ACCOUNTS, CL_KIND_CS_HOURS};
    for (size_t k = 0; k < 3; k++) {
        rows->nfields = cl_kind_get(kinds[k])->nfields;
        assert_int_equal(cl_store_each(st, kinds[k], row_line, rows, &err),
                         CL_OK);
    }
    assert_int_equal(
        cl_store_audit_each(st, NULL, NULL, audit_line, audit, &err), CL_OK);
}

static void
test_bulk_writes_what_the_row_path_writes(void **state)
{
    (void)state;
    char url[2][CL_TESTDB_URL];
    text rows[2] = {{0}}, audit[2] = {{0}};
    cl_put_counts c[2][2];
    for (int bulk = 0; bulk < 2; bulk++) {
        cl_store *st;
        cl_error err;
        cl_testdb_make(url[bulk], "/tmp/cl-test-import-bulk");
        assert_int_equal(cl_store_open(url[bulk], &st, &err), CL_OK);
        run(st, bulk, c[bulk]);
        dump(st, &rows[bulk], &audit[bulk]);
        cl_store_close(st);
        cl_testdb_drop(url[bulk]);
    }
    /* The expected counts, so a path that wrote nothing fails too. */
    int64_t changed = 0;
    for (int i = 0; i < NUSERS; i++)
        changed += i % 3 == 0 || i % 5 == 0;
    for (int bulk = 0; bulk < 2; bulk++) {
        assert_int_equal(c[bulk][0].inserted, NUSERS + 4 + 8);
        assert_int_equal(c[bulk][0].updated, 0);
        /* Round 1: names of every third user and teams of every fifth
           change; 10 new users; 4 new hours, 2 changed, 6 the same. */
        assert_int_equal(c[bulk][1].inserted, 10 + 4);
        assert_int_equal(c[bulk][1].updated, changed + 2);
        assert_int_equal(c[bulk][1].unchanged, NUSERS - changed + 6);
    }
    assert_int_equal(rows[0].lines, NUSERS + 10 + 4 + 12);
    assert_string_equal(rows[0].p, rows[1].p);
    assert_int_equal(audit[0].lines, audit[1].lines);
    /* One entry per insert and per update (and the seed's, if any). */
    assert_true(audit[0].lines >= (NUSERS + 12) + (14 + changed + 2));
    assert_string_equal(audit[0].p, audit[1].p);
    for (int i = 0; i < 2; i++) {
        free(rows[i].p);
        free(audit[i].p);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bulk_writes_what_the_row_path_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
