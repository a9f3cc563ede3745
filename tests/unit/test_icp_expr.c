/* Unit tests: the ICP criteria language of docs/design.md section 7. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

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

static void
test_design_example_in_the_icp(void **state)
{
    (void)state;
    const char *const rec[] = {
        "employees", "120", "has_ops_function", "true", "champion_level",
        "vp",        NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, rec), 1);

    const char *const at_edge[] = {
        "employees", "50", "has_ops_function", "true", "champion_level",
        "director",  NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, at_edge), 1);

    const char *const c_level[] = {
        "employees", "5000",           "has_ops_function",
        "true",      "champion_level", "c_level",
        "region",    "EMEA",           NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, c_level), 1);
}

static void
test_design_example_outside_the_icp(void **state)
{
    (void)state;
    const char *const small[] = {
        "employees", "49", "has_ops_function", "true", "champion_level",
        "vp",        NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, small), 0);

    const char *const no_ops[] = {
        "employees", "120", "has_ops_function", "false", "champion_level",
        "vp",        NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, no_ops), 0);

    const char *const manager[] = {
        "employees", "120", "has_ops_function", "true", "champion_level",
        "manager",   NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, manager), 0);

    /* A known 0 decides `and` even when another value is unknown. */
    const char *const small_unknown_ops[] = {"employees", "10",
                                             "champion_level", "vp", NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, small_unknown_ops), 0);
}

static void
test_design_example_unknown(void **state)
{
    (void)state;
    const char *const no_ops[] = {"employees", "120", "champion_level", "vp",
                                  NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, no_ops), -1);

    /* Empty cells are unknown (docs/design.md section 7), as are ill-typed
       ones. */
    const char *const empty[] = {
        "employees", "",  "has_ops_function", "true", "champion_level",
        "vp",        NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, empty), -1);

    const char *const not_a_number[] = {
        "employees", "n/a", "has_ops_function", "true", "champion_level",
        "vp",        NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, not_a_number), -1);

    const char *const boss[] = {
        "employees", "120", "has_ops_function", "true", "champion_level",
        "boss",      NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, boss), -1);

    const char *const yes[] = {
        "employees", "120", "has_ops_function", "yes", "champion_level",
        "vp",        NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, yes), -1);

    const char *const nothing[] = {NULL};
    assert_int_equal(eval(DESIGN_EXAMPLE, nothing), -1);
}

static void
test_and_binds_tighter_than_or(void **state)
{
    (void)state;
    const char *c = "region = EMEA or region = APAC and employees > 100";
    const char *const emea_small[] = {"region", "EMEA", "employees", "10",
                                      NULL};
    const char *const apac_small[] = {"region", "APAC", "employees", "10",
                                      NULL};
    const char *const apac_big[] = {"region", "APAC", "employees", "200", NULL};
    /* (EMEA or APAC) and > 100 would give 0 here. */
    assert_int_equal(eval(c, emea_small), 1);
    assert_int_equal(eval(c, apac_small), 0);
    assert_int_equal(eval(c, apac_big), 1);

    const char *paren = "(region = EMEA or region = APAC) and employees > 100";
    assert_int_equal(eval(paren, emea_small), 0);
    assert_int_equal(eval(paren, apac_big), 1);

    /* a and b or c and d groups as (a and b) or (c and d). */
    const char *two = "region = EMEA and employees > 100 or region = APAC "
                      "and employees > 1000";
    assert_int_equal(eval(two, apac_big), 0);
    const char *const emea_big[] = {"region", "EMEA", "employees", "200", NULL};
    assert_int_equal(eval(two, emea_big), 1);
}

static void
test_not(void **state)
{
    (void)state;
    const char *const emea[] = {"region", "EMEA", "employees", "3", NULL};
    const char *const apac[] = {"region", "APAC", "employees", "3", NULL};
    const char *const none[] = {NULL};
    assert_int_equal(eval("not region = EMEA", emea), 0);
    assert_int_equal(eval("not region = EMEA", apac), 1);
    assert_int_equal(eval("not region = EMEA", none), -1);
    assert_int_equal(eval("not not region = EMEA", emea), 1);

    /* not binds tighter than and: (not EMEA) and > 5, which is 0 here. */
    assert_int_equal(eval("not region = EMEA and employees > 5", apac), 0);
    assert_int_equal(eval("not (region = EMEA and employees > 5)", apac), 1);
    assert_int_equal(eval("not (region = EMEA or employees < 5)", apac), 0);
}

static void
test_three_valued_logic(void **state)
{
    (void)state;
    const char *const rec[] = {"region", "EMEA", NULL};
    /* industry is unknown in rec. */
    assert_int_equal(eval("industry = saas or region = EMEA", rec), 1);
    assert_int_equal(eval("industry = saas or region = APAC", rec), -1);
    assert_int_equal(eval("industry = saas and region = APAC", rec), 0);
    assert_int_equal(eval("industry = saas and region = EMEA", rec), -1);
    assert_int_equal(eval("region = APAC or industry = saas", rec), -1);
    assert_int_equal(eval("region = EMEA and industry = saas", rec), -1);
    assert_int_equal(eval("not (industry = saas or region = APAC)", rec), -1);
    assert_int_equal(eval("industry in (saas, fintech)", rec), -1);
    assert_int_equal(eval("industry not in (saas, fintech)", rec), -1);
    assert_int_equal(eval("industry != saas", rec), -1);
    /* An empty cell is unknown, not a text that differs from every value. */
    const char *const empty[] = {"region", "", NULL};
    assert_int_equal(eval("region != EMEA", empty), -1);
    assert_int_equal(eval("region not in (EMEA)", empty), -1);
}

static void
test_in_and_not_in(void **state)
{
    (void)state;
    const char *const na[] = {"region", "NA", NULL};
    const char *const emea[] = {"region", "EMEA", NULL};
    const char *const lower[] = {"region", "emea", NULL};
    assert_int_equal(eval("region in (EMEA, APAC)", emea), 1);
    assert_int_equal(eval("region in (EMEA, APAC)", na), 0);
    assert_int_equal(eval("region not in (EMEA, APAC)", na), 1);
    assert_int_equal(eval("region not in (EMEA, APAC)", emea), 0);
    assert_int_equal(eval("region in (EMEA)", emea), 1);
    /* Values are case-sensitive. */
    assert_int_equal(eval("region in (EMEA)", lower), 0);
    assert_int_equal(eval("region = EMEA", lower), 0);
    assert_int_equal(eval("region != EMEA", lower), 1);

    const char *const big[] = {"employees", "250.0", NULL};
    assert_int_equal(eval("employees in (100, 250, 500)", big), 1);
    assert_int_equal(eval("employees not in (100, 500)", big), 1);
}

static void
test_quoted_values(void **state)
{
    (void)state;
    const char *const rec[] = {
        "use_case", "revenue ops", "industry", "O'Reilly media",
        "source",   "and",         "type",     "",
        NULL};
    assert_int_equal(eval("use_case = 'revenue ops'", rec), 1);
    assert_int_equal(eval("use_case = 'revenue  ops'", rec), 0);
    assert_int_equal(eval("industry = 'O''Reilly media'", rec), 1);
    assert_int_equal(eval("industry in ('x', 'O''Reilly media')", rec), 1);
    /* A keyword is a value only when quoted. */
    assert_int_equal(eval("source = 'and'", rec), 1);
    assert_int_equal(eval("source in ('AND', 'or')", rec), 0);
    assert_int_equal(eval("use_case = 'x' or industry != 'a''b'", rec), 1);
    /* Quoting does not make text of a number or a level. */
    const char *const deal[] = {"arr", "60000", "champion_level", "vp", NULL};
    assert_int_equal(
        eval("arr > '50000' and champion_level >= 'director'", deal), 1);
}

static void
test_keywords_are_case_insensitive(void **state)
{
    (void)state;
    const char *const rec[] = {"employees",    "60",    "region", "NA",
                               "exec_sponsor", "false", NULL};
    assert_int_equal(eval("employees >= 50 AND NOT region In (EMEA) Or "
                          "exec_sponsor = true",
                          rec),
                     1);
    assert_int_equal(eval("employees >= 50 aNd region NOT IN (NA)", rec), 0);
    assert_int_equal(eval("NOT NOT exec_sponsor = false", rec), 1);
    /* Field names and values are not. */
    assert_parse_error("Employees > 5",
                       "position 1: unknown field 'Employees'");
    assert_parse_error("exec_sponsor = TRUE",
                       "position 16: exec_sponsor must be true or false, "
                       "not 'TRUE'");
}

static void
test_numbers_compare_as_numbers(void **state)
{
    (void)state;
    /* Byte order would put "99" after "100". */
    const char *const emp[] = {"employees", "99", NULL};
    assert_int_equal(eval("employees < 100", emp), 1);
    assert_int_equal(eval("employees > 100", emp), 0);
    assert_int_equal(eval("employees = 99.0", emp), 1);
    assert_int_equal(eval("employees <= 99", emp), 1);
    assert_int_equal(eval("employees >= 99.5", emp), 0);

    const char *const arr[] = {
        "arr", "49999.75", "icp_fit_score", "70.00", "champion_tenure_months",
        "-2",  NULL};
    assert_int_equal(eval("arr > 49999.5", arr), 1);
    assert_int_equal(eval("arr < 49999.8", arr), 1);
    assert_int_equal(eval("arr >= 50000", arr), 0);
    assert_int_equal(eval("icp_fit_score = 70", arr), 1);
    assert_int_equal(eval("icp_fit_score != 70", arr), 0);
    assert_int_equal(eval("champion_tenure_months < 0", arr), 1);
    assert_int_equal(eval("champion_tenure_months > -2.5", arr), 1);
    assert_int_equal(eval("champion_tenure_months = -2", arr), 1);
    assert_int_equal(eval("arr > -1 and arr<50000", arr), 1);
}

static void
test_champion_level_is_ordered(void **state)
{
    (void)state;
    const char *levels[] = {"ic", "manager", "director", "vp", "c_level"};
    const int at_least_director[] = {0, 0, 1, 1, 1};
    const int below_manager[] = {1, 0, 0, 0, 0};
    const int above_vp[] = {0, 0, 0, 0, 1};
    const int at_most_director[] = {1, 1, 1, 0, 0};
    for (size_t i = 0; i < 5; i++) {
        const char *const rec[] = {"champion_level", levels[i], NULL};
        assert_int_equal(eval("champion_level >= director", rec),
                         at_least_director[i]);
        assert_int_equal(eval("champion_level < manager", rec),
                         below_manager[i]);
        assert_int_equal(eval("champion_level > vp", rec), above_vp[i]);
        assert_int_equal(eval("champion_level <= director", rec),
                         at_most_director[i]);
        assert_int_equal(eval("champion_level != vp", rec), i != 3);
    }
}

static void
test_booleans(void **state)
{
    (void)state;
    const char *const no[] = {"exec_sponsor", "false", NULL};
    const char *const yes[] = {"exec_sponsor", "true", NULL};
    const char *const none[] = {NULL};
    assert_int_equal(eval("exec_sponsor = false", no), 1);
    assert_int_equal(eval("exec_sponsor = false", yes), 0);
    assert_int_equal(eval("exec_sponsor != true", no), 1);
    assert_int_equal(eval("exec_sponsor != true", none), -1);
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
test_syntax_errors(void **state)
{
    (void)state;
    assert_parse_error("", "position 1: empty criteria");
    assert_parse_error("   \t\n ", "position 1: empty criteria");
    assert_parse_error(NULL, "position 1: empty criteria");
    assert_parse_error("employees >=",
                       "position 13: expected a value after '>='");
    assert_parse_error(">= 5", "position 1: expected a field name");
    assert_parse_error("()", "position 2: expected a field name");
    assert_parse_error("not", "position 4: expected a field name");
    assert_parse_error("employees > 5 and",
                       "position 18: expected a field name");
    assert_parse_error("employees > 5 or or region = NA",
                       "position 18: expected a field name");
    assert_parse_error("and = 5", "position 1: expected a field name");
    assert_parse_error("'employees' > 5", "position 1: expected a field name");
    assert_parse_error("(employees > 5 and region = EMEA",
                       "position 33: expected ')'");
    assert_parse_error("(employees > 5 region = EMEA)",
                       "position 16: expected ')'");
    assert_parse_error("region = EMEA foo",
                       "position 15: unexpected 'foo' after a complete "
                       "expression");
    assert_parse_error("region = EMEA)",
                       "position 14: unexpected ')' after a complete "
                       "expression");
    assert_parse_error("region = EMEA 'a b'",
                       "position 15: unexpected ''a b'' after a complete "
                       "expression");
    assert_parse_error("employees",
                       "position 10: expected =, !=, <, <=, >, >=, in or not "
                       "in after 'employees'");
    assert_parse_error("employees is 5",
                       "position 11: expected =, !=, <, <=, >, >=, in or not "
                       "in after 'employees'");
    assert_parse_error("region not = EMEA",
                       "position 12: expected 'in' after 'not'");
    assert_parse_error("region in EMEA",
                       "position 11: expected '(' after 'in'");
    assert_parse_error("region in ()",
                       "position 12: expected a value after '('");
    assert_parse_error("region in (EMEA,",
                       "position 17: expected a value after ','");
    assert_parse_error("region in (EMEA APAC)",
                       "position 17: expected ',' or ')'");
    assert_parse_error("region in (EMEA", "position 16: expected ',' or ')'");
    assert_parse_error("region = and",
                       "position 10: expected a value after '='");
    assert_parse_error("region != (EMEA)",
                       "position 11: expected a value after '!='");
    assert_parse_error("use_case = 'abc",
                       "position 12: unterminated quoted value");
    assert_parse_error("use_case = 'it''s",
                       "position 12: unterminated quoted value");
    assert_parse_error("employees > 5 & region = EMEA",
                       "position 15: unexpected character '&'");
    assert_parse_error("employees ! 5",
                       "position 11: unexpected character '!'");
    /* Positions count characters, not bytes. */
    assert_parse_error("industry = 'caf\xc3\xa9' and \xe2\x82\xac",
                       "position 23: unexpected character '\xe2\x82\xac'");
}

static void
test_field_and_value_errors(void **state)
{
    (void)state;
    assert_parse_error("emplyees > 5", "position 1: unknown field 'emplyees'");
    assert_parse_error("employees > 5 and stage = won",
                       "position 19: unknown field 'stage'");
    assert_parse_error("champion_level = boss",
                       "position 18: champion_level has no value 'boss' (ic, "
                       "manager, director, vp, c_level)");
    assert_parse_error("champion_level in (vp, VP)",
                       "position 24: champion_level has no value 'VP' (ic, "
                       "manager, director, vp, c_level)");
    assert_parse_error("has_ops_function > true",
                       "position 18: has_ops_function is true or false and "
                       "takes only = or !=");
    assert_parse_error("exec_sponsor in (true)",
                       "position 14: exec_sponsor is true or false and takes "
                       "only = or !=");
    assert_parse_error("exec_sponsor not in (true)",
                       "position 14: exec_sponsor is true or false and takes "
                       "only = or !=");
    assert_parse_error("exec_sponsor = yes",
                       "position 16: exec_sponsor must be true or false, not "
                       "'yes'");
    assert_parse_error("employees >= fifty",
                       "position 14: employees needs a number, not 'fifty'");
    assert_parse_error("arr > 1e5",
                       "position 7: arr needs a number, not '1e5'");
    assert_parse_error("arr > 5.", "position 7: arr needs a number, not '5.'");
    assert_parse_error("icp_fit_score in (70, 'high')",
                       "position 23: icp_fit_score needs a number, not "
                       "'high'");
    assert_parse_error("industry < saas",
                       "position 10: industry is text and takes only =, != "
                       "or in");
    assert_parse_error("use_case >= 'a'",
                       "position 10: use_case is text and takes only =, != "
                       "or in");

    /* A long unknown name is quoted back cut to 60 characters. */
    char text[200], msg[200];
    memset(text, 'x', 100);
    strcpy(text + 100, " = 1");
    snprintf(msg, sizeof msg, "position 1: unknown field '%.60s'", text);
    assert_parse_error(text, msg);
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
test_format_is_canonical(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"employees>=50   AND  has_ops_function=true and champion_level "
         "IN(director,vp ,c_level)",
         DESIGN_EXAMPLE},
        {"(region = EMEA or region = APAC) and employees > 100",
         "(region = EMEA or region = APAC) and employees > 100"},
        {"region = EMEA Or (region = APAC and employees > 100)",
         "region = EMEA or region = APAC and employees > 100"},
        {"((region = EMEA))", "region = EMEA"},
        {"region = EMEA and (region = APAC and employees > 1)",
         "region = EMEA and region = APAC and employees > 1"},
        {"(region = EMEA or region = APAC) or employees > 1",
         "region = EMEA or region = APAC or employees > 1"},
        {"(region = EMEA or region=APAC) and (employees<5 or arr>=1.50)",
         "(region = EMEA or region = APAC) and (employees < 5 or arr >= "
         "1.50)"},
        {"NOT (region = EMEA)", "not region = EMEA"},
        {"not (not region = EMEA)", "not not region = EMEA"},
        {"not (region = EMEA or region = APAC)",
         "not (region = EMEA or region = APAC)"},
        {"not(region=EMEA and employees>5)",
         "not (region = EMEA and employees > 5)"},
        {"(not region = EMEA) and employees > 5",
         "not region = EMEA and employees > 5"},
        {"industry = 'software'", "industry = software"},
        {"use_case = 'revenue ops'", "use_case = 'revenue ops'"},
        {"industry = 'O''Reilly'", "industry = 'O''Reilly'"},
        {"source = 'and'", "source = 'and'"},
        {"source = 'OR'", "source = 'OR'"},
        {"region = ''", "region = ''"},
        {"region not in ('x y',z)", "region not in ('x y', z)"},
        {"arr > '50000' and champion_level >= 'vp'",
         "arr > 50000 and champion_level >= vp"},
        {"employees != -5", "employees != -5"},
        {"industry = 'caf\xc3\xa9'", "industry = 'caf\xc3\xa9'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = format_of(cases[i][0]);
        assert_string_equal(s, cases[i][1]);
        free(s);
    }
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
        cmocka_unit_test(test_design_example_in_the_icp),
        cmocka_unit_test(test_design_example_outside_the_icp),
        cmocka_unit_test(test_design_example_unknown),
        cmocka_unit_test(test_and_binds_tighter_than_or),
        cmocka_unit_test(test_not),
        cmocka_unit_test(test_three_valued_logic),
        cmocka_unit_test(test_in_and_not_in),
        cmocka_unit_test(test_quoted_values),
        cmocka_unit_test(test_keywords_are_case_insensitive),
        cmocka_unit_test(test_numbers_compare_as_numbers),
        cmocka_unit_test(test_champion_level_is_ordered),
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_every_field_is_usable),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_field_and_value_errors),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_parse_clears_err_on_success),
        cmocka_unit_test(test_format_is_canonical),
        cmocka_unit_test(test_format_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
