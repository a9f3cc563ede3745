/*
 * The importer's own rules (references, repeated keys, the rules that tie
 * columns together, headers, all-or-nothing), each with its exact message,
 * against a real SQLite file.  Single-cell rules are in test_field.c.
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

#include "io/import.h"

typedef struct fixture {
    char path[CL_TESTDB_URL];
    cl_store *st;
    char bad[16][1024];
    int nbad;
} fixture;

static void
on_bad(void *ud, const char *msg)
{
    fixture *f = ud;
    if (f->nbad < 16)
        snprintf(f->bad[f->nbad], sizeof f->bad[0], "%s", msg);
    f->nbad++;
}

/* Imports the rows of csv (a header line, then rows, '\n'-separated, no
   quoting) as kind; returns the result of finish. */
static cl_err
import_text(fixture *f, cl_kind kind, const char *csv, int skip_bad,
            cl_import_report *rep)
{
    cl_import_opts o = {.skip_bad = skip_bad, .source = "in.csv",
                        .on_bad = on_bad, .ud = f};
    cl_importer *imp;
    cl_error err;
    char *copy = strdup(csv), *save = NULL;
    long line = 0;
    cl_err rc;

    f->nbad = 0;
    assert_int_equal(cl_importer_new(f->st, kind, &o, &imp, &err), CL_OK);
    for (char *l = strtok_r(copy, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        const char *cells[32];
        size_t n = 0;
        char *p = l;
        line++;
        for (;;) {
            cells[n++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = '\0';
            p = c + 1;
        }
        if (line == 1) {
            rc = cl_importer_header(imp, cells, n, line, &err);
            if (rc != CL_OK) {
                snprintf(f->bad[0], sizeof f->bad[0], "%s", err.msg);
                f->nbad = 1;
                cl_importer_abort(imp);
                free(copy);
                return rc;
            }
        } else {
            assert_int_equal(cl_importer_row(imp, cells, n, line, &err),
                             CL_OK);
        }
    }
    free(copy);
    cl_import_report r;
    rc = cl_importer_finish(imp, &r, &err);
    if (rep)
        *rep = r;
    return rc;
}

static const char users[] =
    "id,name,email,role,manager_id,team\n"
    "vp,Vera,vera@x.io,vp_sales,,\n"
    "sm,Sam,sam@x.io,sales_manager,vp,East\n"
    "ae,Abe,abe@x.io,ae,sm,East\n"
    "csm,Cleo,cleo@x.io,csm,,CS\n";

static const char accounts[] =
    "id,name,employees,has_ops_function,csm_id,status\n"
    "a1,Acme,40,true,csm,customer\n"
    "a2,Bolt,12,false,csm,churned\n";

static const char deals[] =
    "id,account_id,ae_id,type,stage,created_on,first_demo_on,closed_on,"
    "loss_reason,kickoff_on\n"
    "d1,a1,ae,new,closed_won,2025-01-01,2025-01-10,2025-02-01,,2025-02-10\n"
    "d2,a2,ae,new,closed_won,2025-03-01,,2025-04-01,,\n"
    "d3,a2,ae,new,closed_won,2025-01-05,,2025-02-15,,\n"
    "d4,a1,ae,new,closed_lost,2024-01-01,,2024-03-01,budget,\n"
    "d5,a1,ae,new,demo,2025-06-01,,,,\n";

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    cl_error err;
    cl_testdb_make(f->path, "/tmp/cl-test-import");
    assert_int_equal(cl_store_open(f->path, &f->st, &err), CL_OK);
    assert_int_equal(import_text(f, CL_KIND_USERS, users, 0, NULL), CL_OK);
    assert_int_equal(import_text(f, CL_KIND_ACCOUNTS, accounts, 0, NULL),
                     CL_OK);
    assert_int_equal(import_text(f, CL_KIND_DEALS, deals, 0, NULL), CL_OK);
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

/* Imports one bad row after header and checks its one message. */
static void
expect_bad(fixture *f, cl_kind kind, const char *header, const char *row,
           const char *msg)
{
    char csv[1024];
    snprintf(csv, sizeof csv, "%s\n%s\n", header, row);
    assert_int_equal(import_text(f, kind, csv, 0, NULL), CL_EINVAL);
    assert_int_equal(f->nbad, 1);
    assert_string_equal(f->bad[0], msg);
}

static int64_t
count(fixture *f, cl_kind kind)
{
    int64_t n;
    cl_error err;
    assert_int_equal(cl_store_count(f->st, kind, &n, &err), CL_OK);
    return n;
}

static void
test_references_must_exist(void **state)
{
    fixture *f = *state;
    expect_bad(f, CL_KIND_DEALS, "id,account_id,type,stage,created_on",
               "d9,a9,new,demo,2025-01-01",
               "in.csv:2: account_id: no accounts record with id 'a9'");
    expect_bad(f, CL_KIND_USERS, "id,name,email,role,manager_id",
               "u9,Uma,uma@x.io,ae,boss",
               "in.csv:2: manager_id: no users record with id 'boss'");
}

static void
test_reference_to_an_earlier_row_of_the_same_file(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_text(f, CL_KIND_USERS,
                                 "id,name,email,role,manager_id\n"
                                 "m2,Mo,mo@x.io,sales_manager,\n"
                                 "u2,Uli,uli@x.io,ae,m2\n",
                                 0, NULL),
                     CL_OK);
    /* ... but not to a later one. */
    expect_bad(f, CL_KIND_USERS, "id,name,email,role,manager_id",
               "u3,Ula,ula@x.io,ae,m3\nm3,Mia,mia@x.io,sales_manager,",
               "in.csv:2: manager_id: no users record with id 'm3'");
}

static void
test_own_manager(void **state)
{
    expect_bad(*state, CL_KIND_USERS, "id,name,email,role,manager_id",
               "u4,Ula,ula@x.io,ae,u4",
               "in.csv:2: manager_id: no users record with id 'u4'");
    assert_int_equal(import_text(*state, CL_KIND_USERS,
                                 "id,name,email,role,manager_id\n"
                                 "ae,Abe,abe@x.io,ae,ae\n",
                                 0, NULL),
                     CL_EINVAL);
    assert_string_equal(((fixture *)*state)->bad[0],
                        "in.csv:2: manager_id: a user cannot be their own "
                        "manager");
}

static void
test_repeated_key_in_one_file(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_text(f, CL_KIND_HOLIDAYS,
                                 "on,name\n2026-12-25,Xmas\n"
                                 "2026-12-25,Christmas\n",
                                 0, NULL),
                     CL_EINVAL);
    assert_string_equal(f->bad[0],
                        "in.csv:3: on: '2026-12-25' appears twice in this "
                        "file");
}

static const char deal_hdr[] =
    "id,account_id,type,stage,created_on,first_demo_on,closed_on,"
    "loss_reason,kickoff_on";

static void
test_deal_rules(void **state)
{
    fixture *f = *state;
    expect_bad(f, CL_KIND_DEALS, deal_hdr,
               "d9,a1,new,closed_won,2025-01-01,,,,",
               "in.csv:2: closed_on: required when stage is closed_won");
    expect_bad(f, CL_KIND_DEALS, deal_hdr,
               "d9,a1,new,proposal,2025-01-01,,2025-02-01,,",
               "in.csv:2: closed_on: must be empty while the deal is open "
               "(stage 'proposal')");
    expect_bad(f, CL_KIND_DEALS, deal_hdr,
               "d9,a1,new,closed_lost,2025-01-01,,2024-12-01,budget,",
               "in.csv:2: closed_on: 2024-12-01 is before created_on "
               "2025-01-01");
    expect_bad(f, CL_KIND_DEALS, deal_hdr,
               "d9,a1,new,demo,2025-01-01,2024-12-31,,,",
               "in.csv:2: first_demo_on: 2024-12-31 is before created_on "
               "2025-01-01");
    expect_bad(f, CL_KIND_DEALS, deal_hdr,
               "d9,a1,new,closed_won,2025-01-01,2025-03-01,2025-02-01,,",
               "in.csv:2: first_demo_on: 2025-03-01 is after closed_on "
               "2025-02-01");
    expect_bad(f, CL_KIND_DEALS, deal_hdr,
               "d9,a1,new,closed_won,2025-01-01,,2025-02-01,budget,",
               "in.csv:2: loss_reason: only a closed_lost deal has a loss "
               "reason");
    expect_bad(f, CL_KIND_DEALS, deal_hdr,
               "d9,a1,new,closed_lost,2025-01-01,,2025-02-01,,2025-02-03",
               "in.csv:2: kickoff_on: only a closed_won deal has a kickoff");
    expect_bad(f, CL_KIND_DEALS, deal_hdr,
               "d9,a1,new,closed_won,2025-01-01,,2025-02-01,,2025-01-20",
               "in.csv:2: kickoff_on: 2025-01-20 is before closed_on "
               "2025-02-01");
}

static const char churn_hdr[] =
    "id,account_id,deal_id,churned_on,primary_cause,contributing_causes,"
    "tagged_by,tagged_on";

static void
test_churn_rules(void **state)
{
    fixture *f = *state;
    expect_bad(f, CL_KIND_CHURNS, churn_hdr,
               "c1,a2,,2025-09-01,,,csm,2025-09-03",
               "in.csv:2: primary_cause: required when tagged_by or "
               "tagged_on is given");
    expect_bad(f, CL_KIND_CHURNS, churn_hdr,
               "c1,a2,,2025-09-01,icp_miss,,,2025-09-03",
               "in.csv:2: tagged_by: required when primary_cause is given");
    expect_bad(f, CL_KIND_CHURNS, churn_hdr,
               "c1,a2,,2025-09-01,icp_miss,,csm,",
               "in.csv:2: tagged_on: required when primary_cause is given");
    expect_bad(f, CL_KIND_CHURNS, churn_hdr,
               "c1,a2,,2025-09-01,icp_miss,pricing;icp_miss,csm,2025-09-03",
               "in.csv:2: contributing_causes: 'icp_miss' is already the "
               "primary cause");
    expect_bad(f, CL_KIND_CHURNS, churn_hdr,
               "c1,a2,d1,2025-09-01,,,,",
               "in.csv:2: deal_id: deal 'd1' is on account 'a1', not 'a2'");
    assert_int_equal(count(f, CL_KIND_CHURNS), 0);
}

static int
find_churn_deal(void *ud, const cl_value *row)
{
    char *out = ud;
    snprintf(out, 32, "%s", row[2].type == CL_V_TEXT ? row[2].s : "");
    return 0;
}

static void
test_churn_without_deal_links_earliest_won_new_deal(void **state)
{
    fixture *f = *state;
    cl_error err;
    char deal[32] = "";
    assert_int_equal(import_text(f, CL_KIND_CHURNS,
                                 "id,account_id,deal_id,churned_on\n"
                                 "c1,a2,,2025-09-01\n",
                                 0, NULL),
                     CL_OK);
    assert_int_equal(cl_store_each(f->st, CL_KIND_CHURNS, find_churn_deal,
                                   deal, &err), CL_OK);
    /* d3 closed 2025-02-15, before d2 (2025-04-01). */
    assert_string_equal(deal, "d3");
}

static void
test_recovery_rules(void **state)
{
    fixture *f = *state;
    const char *hdr = "id,original_deal_id,new_deal_id";
    expect_bad(f, CL_KIND_RECOVERIES, hdr, "r1,d1,d5",
               "in.csv:2: original_deal_id: deal 'd1' is not closed_lost "
               "(stage 'closed_won')");
    expect_bad(f, CL_KIND_RECOVERIES, hdr, "r1,d4,d2",
               "in.csv:2: new_deal_id: deal 'd2' is on account 'a2', the "
               "original deal on 'a1'");
    expect_bad(f, CL_KIND_RECOVERIES, hdr, "r1,d4,d4",
               "in.csv:2: new_deal_id: is the original deal itself");
    assert_int_equal(import_text(f, CL_KIND_RECOVERIES, "id,original_deal_id,"
                                 "new_deal_id,recovery_type\nr1,d4,d5,timing\n",
                                 0, NULL),
                     CL_OK);
}

static void
test_review_rules(void **state)
{
    fixture *f = *state;
    const char *hdr = "deal_id,held_on,gut_read";
    expect_bad(f, CL_KIND_REVIEWS, hdr, "d4,2024-03-05,neutral",
               "in.csv:2: deal_id: deal 'd4' is not closed_won (stage "
               "'closed_lost')");
    expect_bad(f, CL_KIND_REVIEWS, hdr, "d1,2025-01-20,neutral",
               "in.csv:2: held_on: 2025-01-20 is before the deal closed "
               "(2025-02-01)");
}

static void
test_header_errors(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_text(f, CL_KIND_HOLIDAYS, "on,name,colour\n",
                                 0, NULL),
                     CL_EINVAL);
    assert_string_equal(f->bad[0],
                        "in.csv:1: colour: unknown column");
    assert_int_equal(import_text(f, CL_KIND_HOLIDAYS, "name\n", 0, NULL),
                     CL_EINVAL);
    assert_string_equal(f->bad[0], "in.csv:1: on: required column missing");
    assert_int_equal(import_text(f, CL_KIND_HOLIDAYS, "on,name,on\n", 0,
                                 NULL),
                     CL_EINVAL);
    assert_string_equal(f->bad[0], "in.csv:1: on: duplicate column");
}

static void
test_row_with_wrong_cell_count(void **state)
{
    expect_bad(*state, CL_KIND_HOLIDAYS, "on,name", "2026-12-25",
               "in.csv:2: row: has 1 cells, the header has 2");
}

static void
test_one_bad_row_applies_nothing_unless_skip_bad(void **state)
{
    fixture *f = *state;
    const char *csv = "on,name\n2026-12-25,Xmas\n2026-13-01,Nope\n"
                      "2026-12-26,Boxing Day\n";
    cl_import_report rep;
    assert_int_equal(import_text(f, CL_KIND_HOLIDAYS, csv, 0, &rep),
                     CL_EINVAL);
    assert_int_equal(rep.applied, 0);
    assert_int_equal(count(f, CL_KIND_HOLIDAYS), 0);
    assert_int_equal(import_text(f, CL_KIND_HOLIDAYS, csv, 1, &rep), CL_OK);
    assert_int_equal(rep.inserted, 2);
    assert_int_equal(rep.bad, 1);
    assert_string_equal(f->bad[0], "in.csv:3: on: expected a date "
                                   "YYYY-MM-DD, got '2026-13-01'");
    assert_int_equal(count(f, CL_KIND_HOLIDAYS), 2);
}

static void
test_reimport_changes_nothing(void **state)
{
    fixture *f = *state;
    cl_import_report rep;
    cl_error err;
    int64_t before, after;
    assert_int_equal(cl_store_audit_count(f->st, &before, &err), CL_OK);
    assert_int_equal(import_text(f, CL_KIND_DEALS, deals, 0, &rep), CL_OK);
    assert_int_equal(rep.unchanged, 5);
    assert_int_equal(rep.inserted + rep.updated, 0);
    assert_int_equal(cl_store_audit_count(f->st, &after, &err), CL_OK);
    assert_int_equal(after, before);
}

static void
test_partial_columns_keep_the_others(void **state)
{
    fixture *f = *state;
    cl_import_report rep;
    cl_error err;
    /* Only name and status: employees (40) and csm_id stay. */
    assert_int_equal(import_text(f, CL_KIND_ACCOUNTS,
                                 "id,name,status\na1,Acme Corp,customer\n",
                                 0, &rep),
                     CL_OK);
    assert_int_equal(rep.updated, 1);
    cl_value key = {.type = CL_V_TEXT, .s = "a1"}, row[9];
    int found;
    assert_int_equal(cl_store_get(f->st, CL_KIND_ACCOUNTS, &key, row, &found,
                                  &err), CL_OK);
    assert_string_equal(row[1].s, "Acme Corp");
    assert_int_equal(row[3].i, 40);
    assert_string_equal(row[6].s, "csm");
}

/* With the store's own foreign-key checks off during an import, the
   importer's are the only ones: a dangling reference after good rows is
   still refused, by name and line, and with skip_bad it alone is left out. */
static void
test_dangling_reference_refused_without_store_checks(void **state)
{
    fixture *f = *state;
    static const char csv[] = "id,account_id,ae_id,type,stage,created_on\n"
                              "d7,a1,ae,new,demo,2025-01-01\n"
                              "d8,a1,ghost,new,demo,2025-01-01\n"
                              "d9,nowhere,ae,new,demo,2025-01-01\n";
    cl_import_report rep;
    assert_int_equal(import_text(f, CL_KIND_DEALS, csv, 0, &rep), CL_EINVAL);
    assert_int_equal(f->nbad, 2);
    assert_string_equal(f->bad[0],
                        "in.csv:3: ae_id: no users record with id 'ghost'");
    assert_string_equal(f->bad[1], "in.csv:4: account_id: no accounts record "
                                   "with id 'nowhere'");
    assert_int_equal(count(f, CL_KIND_DEALS), 5);
    assert_int_equal(import_text(f, CL_KIND_DEALS, csv, 1, &rep), CL_OK);
    assert_int_equal(rep.inserted, 1);
    assert_int_equal(count(f, CL_KIND_DEALS), 6);
}

/* Writes a deal of an account that does not exist outside an import. */
static cl_err
put_orphan(fixture *f)
{
    cl_error err;
    cl_value row[32] = {{0}};
    const cl_kind_def *def = cl_kind_get(CL_KIND_DEALS);
    static const char *const cells[][2] = {{"id", "d-orphan"},
                                           {"account_id", "no-such-account"},
                                           {"type", "new"},
                                           {"stage", "demo"},
                                           {"created_on", "2025-01-01"}};
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        int k = cl_kind_field_index(def, cells[i][0]);
        row[k].type = CL_V_TEXT;
        row[k].s = cells[i][1];
    }
    cl_put_result res;
    assert_int_equal(cl_store_begin(f->st, "test", 0, &err), CL_OK);
    cl_err rc = cl_store_put(f->st, CL_KIND_DEALS, row, &res, &err);
    if (rc == CL_OK)
        rc = cl_store_commit(f->st, &err);
    cl_store_rollback(f->st);
    return rc;
}

/* The store's foreign-key checks are back once an import has committed or
   rolled back. */
static void
test_store_checks_references_again_after_an_import(void **state)
{
    fixture *f = *state;
    assert_int_not_equal(put_orphan(f), CL_OK);
    assert_int_equal(import_text(f, CL_KIND_DEALS,
                                 "id,account_id,type,stage,created_on\n"
                                 "d9,a9,new,demo,2025-01-01\n",
                                 0, NULL),
                     CL_EINVAL);
    assert_int_not_equal(put_orphan(f), CL_OK);
    assert_int_equal(count(f, CL_KIND_DEALS), 5);
}

typedef struct trail {
    int n;
    char action[16];
    char new_json[1024];
} trail;

static int
on_entry(void *ud, const cl_audit_entry *e)
{
    trail *t = ud;
    t->n++;
    snprintf(t->action, sizeof t->action, "%s", e->action);
    snprintf(t->new_json, sizeof t->new_json, "%s", e->new_json);
    return 0;
}

/* An imported row's audit entry shows the whole row, named field by field,
   however compactly it is stored; text with quotes, backslashes, commas
   and brackets survives. */
static void
test_audit_shows_each_imported_row(void **state)
{
    fixture *f = *state;
    cl_error err;
    trail t = {0};
    assert_int_equal(
        cl_store_audit_each(f->st, "deals", "d2", on_entry, &t, &err), CL_OK);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.action, "insert");
    assert_string_equal(
        t.new_json,
        "{\"id\":\"d2\",\"account_id\":\"a2\",\"ae_id\":\"ae\","
        "\"type\":\"new\",\"source\":null,\"stage\":\"closed_won\","
        "\"created_on\":\"2025-03-01\",\"first_demo_on\":null,"
        "\"closed_on\":\"2025-04-01\",\"arr\":null,\"loss_reason\":null,"
        "\"icp_fit_score\":null,\"champion_level\":null,"
        "\"champion_tenure_months\":null,\"exec_sponsor\":null,"
        "\"use_case\":null,\"kickoff_on\":null}");

    assert_int_equal(import_text(f, CL_KIND_ACCOUNTS,
                                 "id,name,employees,has_ops_function,status\n"
                                 "a3,Q\"uo\\te] [Co;x,7,true,prospect\n",
                                 0, NULL),
                     CL_OK);
    t = (trail){0};
    assert_int_equal(
        cl_store_audit_each(f->st, "accounts", "a3", on_entry, &t, &err),
        CL_OK);
    assert_int_equal(t.n, 1);
    assert_string_equal(
        t.new_json,
        "{\"id\":\"a3\",\"name\":\"Q\\\"uo\\\\te] [Co;x\",\"industry\":null,"
        "\"employees\":7,\"region\":null,\"has_ops_function\":true,"
        "\"csm_id\":null,\"customer_since\":null,\"status\":\"prospect\"}");
}

int
main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_references_must_exist),
        T_(test_reference_to_an_earlier_row_of_the_same_file),
        T_(test_own_manager),
        T_(test_repeated_key_in_one_file),
        T_(test_deal_rules),
        T_(test_churn_rules),
        T_(test_churn_without_deal_links_earliest_won_new_deal),
        T_(test_recovery_rules),
        T_(test_review_rules),
        T_(test_header_errors),
        T_(test_row_with_wrong_cell_count),
        T_(test_one_bad_row_applies_nothing_unless_skip_bad),
        T_(test_reimport_changes_nothing),
        T_(test_partial_columns_keep_the_others),
        T_(test_dangling_reference_refused_without_store_checks),
        T_(test_store_checks_references_again_after_an_import),
        T_(test_audit_shows_each_imported_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
