/*
 * test_mapping.c - CRM value transforms, presets and mapping rows.  The
 * transforms are a table of cases (tests/unit/data/mapping_transforms.tsv,
 * read by casefile.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "casefile.h"

#include "io/mapping.h"

/* The transform of in, or "ERR: message". */
static const char *
xf(const char *transform, const char *in)
{
    static char out[600];
    cl_error err;
    if (cl_mapping_transform(transform, in, out, sizeof out, &err) != CL_OK)
        snprintf(out, sizeof out, "ERR: %s", err.msg);
    return out;
}

/* A case of mapping_transforms.tsv: transform, input, output (a prefix
   when it ends in ...). */
static int
check_transform(char **cell, char *why, size_t whysize)
{
    const char *got = xf(cell[0], cell[1]);
    const char *want = cell[2];
    size_t n = strlen(want);
    int ok = n >= 3 && strcmp(want + n - 3, "...") == 0
                 ? strncmp(got, want, n - 3) == 0
                 : strcmp(got, want) == 0;
    if (!ok)
        snprintf(why, whysize, "%s of '%s' gives '%s'", cell[0], cell[1], got);
    return ok ? 0 : -1;
}

static void
test_transform_table(void **state)
{
    (void)state;
    casefile_run("mapping_transforms.tsv", "transform\tinput\toutput",
                 check_transform);
}

/* Runs one row through the salesforce deals preset. */
static void
test_preset_row(void **state)
{
    (void)state;
    cl_mapping *m;
    cl_mapping_run *run;
    cl_error err;
    const char *const *hdr, *const *out, *column;
    size_t nhdr, nout;
    const char *head[] = {
        "Opportunity Name", "Opportunity ID", "account id", "Type", "Stage",
        "Amount",           "Created Date",   "Close Date"};
    assert_int_equal(cl_mapping_preset("salesforce", CL_KIND_DEALS, &m, &err),
                     CL_OK);
    assert_int_equal(cl_mapping_start(m, head, 8, &run, &hdr, &nhdr, &err),
                     CL_OK);
    /* Owner ID and Lead Source are absent: left out, not emptied. */
    assert_int_equal(nhdr, 7);
    assert_string_equal(hdr[0], "id");
    assert_string_equal(hdr[6], "arr");
    const char *won[] = {
        "A",          "006A",         "001A",     "Existing Business",
        "Closed Won", "USD 1,000.00", "1/2/2026", "2/3/2026"};
    assert_int_equal(cl_mapping_row(run, won, 8, &out, &nout, &column, &err),
                     CL_OK);
    assert_int_equal(nout, 7);
    assert_string_equal(out[2], "expansion");
    assert_string_equal(out[3], "closed_won");
    assert_string_equal(out[4], "2026-01-02");
    assert_string_equal(out[5], "2026-02-03");
    assert_string_equal(out[6], "1000.00");
    const char *open[] = {
        "B", "006B",     "001A",     "New Business", "Negotiation/Review",
        "5", "1/2/2026", "6/30/2026"};
    assert_int_equal(cl_mapping_row(run, open, 8, &out, &nout, &column, &err),
                     CL_OK);
    assert_string_equal(out[3], "negotiation_review");
    assert_string_equal(out[5], ""); /* an expected close date */
    const char *bad[] = {"C",          "006C", "001A",     "New Business",
                         "Closed Won", "5",    "1/2/2026", "13/1/2026"};
    assert_int_equal(cl_mapping_row(run, bad, 8, &out, &nout, &column, &err),
                     CL_EINVAL);
    assert_string_equal(column, "Close Date (closed_on)");
    assert_int_equal(cl_mapping_row(run, bad, 7, &out, &nout, &column, &err),
                     CL_EINVAL);
    assert_string_equal(column, "row");
    assert_string_equal(cl_mapping_label(m, "arr"), "Amount (arr)");
    assert_null(cl_mapping_label(m, "use_case"));
    cl_mapping_run_free(run);

    /* A required source column missing. */
    assert_int_equal(cl_mapping_start(m, head, 3, &run, &hdr, &nhdr, &err),
                     CL_EINVAL);
    assert_string_equal(err.msg, "Type (type): required column missing");
    cl_mapping_free(m);

    assert_int_equal(cl_mapping_preset("hubspot", CL_KIND_CHURNS, &m, &err),
                     CL_EINVAL);
    assert_int_equal(cl_mapping_preset("pipedrive", CL_KIND_DEALS, &m, &err),
                     CL_EINVAL);
}

/* Rules as a mapping file gives them: joined sources, errors by line. */
static void
test_rules(void **state)
{
    (void)state;
    cl_mapping *m;
    cl_mapping_run *run;
    cl_error err;
    const char *const *hdr, *const *out, *column;
    size_t nhdr, nout;
    assert_int_equal(cl_mapping_new(CL_KIND_USERS, "u.csv", &m, &err), CL_OK);
    assert_int_equal(cl_mapping_add(m, "id", "Id", "", 2, &err), CL_OK);
    assert_int_equal(
        cl_mapping_add(m, "name", "First Name + Last Name", "", 3, &err),
        CL_OK);
    assert_int_equal(cl_mapping_add(m, "email", "Email", "lower", 4, &err),
                     CL_OK);
    assert_int_equal(cl_mapping_add(m, "role", "", "const:ae", 5, &err), CL_OK);
    assert_int_equal(cl_mapping_add(m, "role", "Role", "", 6, &err), CL_EINVAL);
    assert_string_equal(err.msg, "u.csv:6: column: role is mapped twice");
    assert_int_equal(cl_mapping_add(m, "team", "", "lower", 7, &err),
                     CL_EINVAL);
    assert_true(strncmp(err.msg, "u.csv:7: source: empty", 22) == 0);
    assert_int_equal(cl_mapping_add(m, "team", "T", "if_closed", 8, &err),
                     CL_EINVAL);
    assert_true(strncmp(err.msg, "u.csv:8: transform: if_closed", 29) == 0);
    assert_string_equal(cl_mapping_label(m, "name"),
                        "First Name + Last Name (name)");

    const char *head[] = {"Email", "Last Name", "First Name", "Id", "Extra"};
    assert_int_equal(cl_mapping_start(m, head, 5, &run, &hdr, &nhdr, &err),
                     CL_OK);
    assert_int_equal(nhdr, 4);
    const char *row[] = {"Ann@Example.COM", "Lee", "Ann", "u1", "x"};
    assert_int_equal(cl_mapping_row(run, row, 5, &out, &nout, &column, &err),
                     CL_OK);
    assert_string_equal(out[0], "u1");
    assert_string_equal(out[1], "Ann Lee");
    assert_string_equal(out[2], "ann@example.com");
    assert_string_equal(out[3], "ae");
    cl_mapping_run_free(run);
    cl_mapping_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transform_table),
        cmocka_unit_test(test_preset_row),
        cmocka_unit_test(test_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
