/* Unit tests: one SQL text for both backends (store/store_sql.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/store_int.h"

static void
check(const char *sql, cl_sql_dialect d, const char *want)
{
    cl_buf b = {0};
    const char *got = cl__sql_rewrite(&b, sql, d);
    assert_non_null(got);
    assert_string_equal(got, want);
    cl_buf_free(&b);
}

static void
test_pg_placeholders(void **state)
{
    (void)state;
    check("SELECT a FROM t WHERE w = ?1 AND b = ?12", CL_SQL_PG,
          "SELECT a FROM t WHERE w = $1 AND b = $12");
    /* Casts stay for PostgreSQL; a ? not before a digit is an operator. */
    check("UPDATE t SET d = ?4::date WHERE j ? 'k'", CL_SQL_PG,
          "UPDATE t SET d = $4::date WHERE j ? 'k'");
    assert_true(cl__sql_needs_rewrite("a = ?1", CL_SQL_PG));
    assert_false(cl__sql_needs_rewrite("a = $1", CL_SQL_PG));
}

static void
test_sqlite_casts(void **state)
{
    (void)state;
    check("SELECT COALESCE(x::integer, 0) FROM t WHERE (?2::text IS NULL)",
          CL_SQL_SQLITE, "SELECT COALESCE(x, 0) FROM t WHERE (?2 IS NULL)");
    assert_false(cl__sql_needs_rewrite("a = ?1", CL_SQL_SQLITE));
}

static void
test_quoted_text_kept(void **state)
{
    (void)state;
    check("SELECT '?1::x', \"a?2\", 'it''s ?3' FROM t WHERE a = ?1", CL_SQL_PG,
          "SELECT '?1::x', \"a?2\", 'it''s ?3' FROM t WHERE a = $1");
    check("SELECT json_insert(d, '$[#]', ?2), 'a::b' FROM t WHERE c::text",
          CL_SQL_SQLITE,
          "SELECT json_insert(d, '$[#]', ?2), 'a::b' FROM t WHERE c");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pg_placeholders),
        cmocka_unit_test(test_sqlite_casts),
        cmocka_unit_test(test_quoted_text_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
