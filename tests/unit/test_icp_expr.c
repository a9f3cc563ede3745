/*
 * Unit tests: the ICP criteria language of docs/design.md section 7.  The
 * tables of cases are data files (tests/unit/data/icp_expr_*.tsv, read by
 * casefile.h); what is not a table stays here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casefile.h"
#include "testutil.h"

#include "core/icp_expr.h"

#define DESIGN_EXAMPLE                                                         \
    "employees >= 50 and has_ops_function = true and champion_level in "       \
    "(director, vp, c_level)"

/*
 * A record is a NULL-terminated list of field, value pairs; a field that is
 * not listed is unknown.
 */
static const char *
lookup(void *ud, const char *field)
{
    const char *const *rec = ud;
    for (size_t i = 0; rec[i]; i += 2)
        if (strcmp(rec[i], field) == 0)
            return rec[i + 1];
    return NULL;
}

/* Parses criteria (which must parse) and evaluates it against rec. */
static int
eval(const char *criteria, const char *const *rec)
{
    cl_icp_expr *e = NULL;
    cl_error err;
    cl_err rc = cl_icp_expr_parse(criteria, &e, &err);
    if (rc != CL_OK)
        fail_msg("'%s' did not parse: %s", criteria, err.msg);
    int r = cl_icp_expr_eval(e, lookup, (void *)rec);
    cl_icp_expr_free(e);
    return r;
}

/* Asserts that text fails to parse with exactly msg. */
static void
assert_parse_error(const char *text, const char *msg)
{
    cl_icp_expr *e = (cl_icp_expr *)&e; /* not NULL: parse must clear it */
    cl_error err = {CL_OK, ""};
    cl_err rc = cl_icp_expr_parse(text, &e, &err);
    if (rc != CL_EINVAL)
        fail_msg("'%s' parsed (rc %d), expected error \"%s\"", text, (int)rc,
                 msg);
    assert_int_equal(err.code, CL_EINVAL);
    assert_null(e);
    assert_string_equal(err.msg, msg);
}

/* The canonical text of text, which must parse. */
static char *
format_of(const char *text)
{
    cl_icp_expr *e = NULL;
    cl_error err;
    if (cl_icp_expr_parse(text, &e, &err) != CL_OK)
        fail_msg("'%s' did not parse: %s", text, err.msg);
    char *s = cl_icp_expr_format(e);
    assert_non_null(s);
    cl_icp_expr_free(e);
    return s;
}

/* A case of icp_expr_eval.tsv: criteria, record, result. */
static int
check_eval(char **cell, char *why, size_t whysize)
{
    const char *rec[41];
    size_t n = 0;
    for (char *p = cell[1]; *p && n < 40;) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        char *eq = strchr(p, '=');
        if (!eq) {
            snprintf(why, whysize, "field '%s' has no '='", p);
            return -1;
        }
        *eq = '\0';
        rec[n++] = p;
        rec[n++] = eq + 1;
        if (!bar)
            break;
        p = bar + 1;
    }
    rec[n] = NULL;
    static const char *const words[] = {"unknown", "out", "in"};
    int want = -2;
    for (int i = 0; i < 3; i++)
        if (strcmp(cell[2], words[i]) == 0)
            want = i - 1;
    if (want == -2) {
        snprintf(why, whysize, "result '%s' is not in, out or unknown",
                 cell[2]);
        return -1;
    }
    int got = eval(cell[0], rec);
    if (got != want) {
        snprintf(why, whysize, "'%s' gives %s", cell[0], words[got + 1]);
        return -1;
    }
    return 0;
}

static void
test_eval_table(void **state)
{
    (void)state;
    casefile_run("icp_expr_eval.tsv", "criteria\trecord\tresult", check_eval);
}

/* A case of icp_expr_errors.tsv: criteria, message (as assert_parse_error,
   naming the line on failure). */
static int
check_error(char **cell, char *why, size_t whysize)
{
    cl_icp_expr *e = (cl_icp_expr *)&e; /* not NULL: parse must clear it */
    cl_error err = {CL_OK, ""};
    cl_err rc = cl_icp_expr_parse(cell[0], &e, &err);
    if (rc != CL_EINVAL || err.code != CL_EINVAL || e) {
        snprintf(why, whysize, "'%s' parsed (rc %d)", cell[0], (int)rc);
        if (rc == CL_OK)
            cl_icp_expr_free(e);
        return -1;
    }
    if (strcmp(err.msg, cell[1]) != 0) {
        snprintf(why, whysize, "'%s' gives \"%s\"", cell[0], err.msg);
        return -1;
    }
    return 0;
}

static void
test_error_table(void **state)
{
    (void)state;
    casefile_run("icp_expr_errors.tsv", "criteria\tmessage", check_error);
}

/* A case of icp_expr_format.tsv: criteria, canonical text. */
static int
check_format(char **cell, char *why, size_t whysize)
{
    char *s = format_of(cell[0]);
    int ok = strcmp(s, cell[1]) == 0;
    if (!ok)
        snprintf(why, whysize, "'%s' formats as '%s'", cell[0], s);
    free(s);
    return ok ? 0 : -1;
}

static void
test_format_table(void **state)
{
    (void)state;
    casefile_run("icp_expr_format.tsv", "criteria\tcanonical", check_format);
}

/* A case of icp_expr_words.tsv: criteria, the words people read. */
static int
check_words(char **cell, char *why, size_t whysize)
{
    cl_icp_expr *e = NULL;
    cl_error err;
    if (cl_icp_expr_parse(cell[0], &e, &err) != CL_OK) {
        snprintf(why, whysize, "'%s' did not parse: %s", cell[0], err.msg);
        return -1;
    }
    char *w = cl_icp_expr_words(e);
    cl_icp_expr_free(e);
    assert_non_null(w);
    int ok = strcmp(w, cell[1]) == 0;
    if (!ok)
        snprintf(why, whysize, "'%s' reads '%s'", cell[0], w);
    free(w);
    return ok ? 0 : -1;
}

static void
test_words_table(void **state)
{
    (void)state;
    casefile_run("icp_expr_words.tsv", "criteria\twords", check_words);
    char *w = cl_icp_text_words("employees >= 50");
    assert_string_equal(w, "employees at least 50");
    free(w);
    assert_null(cl_icp_text_words("employees >="));
}

/* The two errors a table cannot hold: no text at all, and a long unknown
   name, quoted back cut to 60 characters. */
static void
test_null_and_long_names(void **state)
{
    (void)state;
    assert_parse_error(NULL, "position 1: empty criteria");

    char text[200], msg[200];
    memset(text, 'x', 100);
    strcpy(text + 100, " = 1");
    snprintf(msg, sizeof msg, "position 1: unknown field '%.60s'", text);
    assert_parse_error(text, msg);
}

static void
test_every_field_is_usable(void **state)
{
    (void)state;
    const char *want[] = {"industry",
                          "employees",
                          "region",
                          "has_ops_function",
                          "type",
                          "source",
                          "arr",
                          "icp_fit_score",
                          "champion_level",
                          "champion_tenure_months",
                          "exec_sponsor",
                          "use_case"};
    size_t n = 0;
    while (cl_icp_fields[n])
        n++;
    assert_int_equal(n, 12);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(cl_icp_fields[i], want[i]);
        /* A value of the field's type, as an import would give it. */
        const char *v = strcmp(want[i], "has_ops_function") == 0 ||
                                strcmp(want[i], "exec_sponsor") == 0
                            ? "true"
                        : strcmp(want[i], "champion_level") == 0 ? "vp"
                        : strcmp(want[i], "employees") == 0 ||
                                strcmp(want[i], "arr") == 0 ||
                                strcmp(want[i], "icp_fit_score") == 0 ||
                                strcmp(want[i], "champion_tenure_months") == 0
                            ? "42"
                            : "saas";
        char text[128];
        snprintf(text, sizeof text, "%s = %s", want[i], v);
        const char *const rec[] = {want[i], v, NULL};
        assert_int_equal(eval(text, rec), 1);
    }
}

static void
test_nesting_limit(void **state)
{
    (void)state;
    char text[512];
    size_t n = 0;
    for (int i = 0; i < 100; i++)
        text[n++] = '(';
    strcpy(text + n, "region = NA");
    n += strlen("region = NA");
    for (int i = 0; i < 100; i++)
        text[n++] = ')';
    text[n] = '\0';
    const char *const na[] = {"region", "NA", NULL};
    assert_int_equal(eval(text, na), 1);

    memmove(text + 1, text, n + 1);
    text[0] = '(';
    strcat(text, ")");
    assert_parse_error(text, "position 101: criteria nested more than 100 "
                             "deep");

    char nots[512] = "";
    for (int i = 0; i < 101; i++)
        strcat(nots, "not ");
    strcat(nots, "region = NA");
    assert_parse_error(nots, "position 401: criteria nested more than 100 "
                             "deep");
}

static void
test_parse_clears_err_on_success(void **state)
{
    (void)state;
    cl_icp_expr *e = NULL;
    cl_error err = {CL_EINVAL, "stale"};
    assert_int_equal(cl_icp_expr_parse("region = NA", &e, &err), CL_OK);
    assert_non_null(e);
    assert_int_equal(err.code, CL_OK);
    assert_string_equal(err.msg, "");
    cl_icp_expr_free(e);
    cl_icp_expr_free(NULL);
    /* err may be NULL. */
    assert_int_equal(cl_icp_expr_parse("region = (", &e, NULL), CL_EINVAL);
    assert_null(e);
}

static void
test_format_round_trips(void **state)
{
    (void)state;
    static const char *const texts[] = {
        DESIGN_EXAMPLE,
        "region = EMEA or region = APAC and employees > 100",
        "(region = EMEA Or region = APAC) aNd not (employees > 100 or "
        "exec_sponsor = true)",
        "not not (use_case = 'it''s ''quoted''' or industry in ('a, b', "
        "'(', ')', 'not'))",
        "((((champion_level >= director))) and arr < 1000.25) or "
        "champion_tenure_months < 6",
        "region not in (EMEA) or not region in (NA)",
    };
    const char *const recs[][9] = {
        {"employees", "120", "has_ops_function", "true", "champion_level", "vp",
         "region", "EMEA", NULL},
        {"employees", "10", "region", "APAC", "exec_sponsor", "false",
         "use_case", "it's 'quoted'", NULL},
        {"industry", "a, b", "arr", "999", "champion_level", "director", NULL},
        {"champion_tenure_months", "3", "region", "NA", NULL},
        {NULL},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *once = format_of(texts[i]);
        char *twice = format_of(once);
        assert_string_equal(once, twice);
        /* The canonical text means what the original meant. */
        for (size_t r = 0; r < sizeof recs / sizeof recs[0]; r++)
            assert_int_equal(eval(once, recs[r]), eval(texts[i], recs[r]));
        free(once);
        free(twice);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_table),
        cmocka_unit_test(test_error_table),
        cmocka_unit_test(test_format_table),
        cmocka_unit_test(test_null_and_long_names),
        cmocka_unit_test(test_every_field_is_usable),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_parse_clears_err_on_success),
        cmocka_unit_test(test_format_round_trips),
        cmocka_unit_test(test_words_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
