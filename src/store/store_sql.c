/*
 * store_sql.c - one SQL text for both backends.  Statements are written
 * once in SQLite's placeholder style (?1, ?2, ...) with PostgreSQL's casts
 * where PostgreSQL needs a parameter's type (?4::date); when a statement is
 * prepared, each backend rewrites the text into its dialect: PostgreSQL's
 * placeholders are $1, $2, ..., and SQLite drops the casts, which it has no
 * syntax for.  Quoted text and identifiers are copied as they are.
 */
#include <ctype.h>
#include <string.h>

#include "store_int.h"

int
cl__sql_needs_rewrite(const char *sql, cl_sql_dialect d)
{
    return strstr(sql, d == CL_SQL_PG ? "?" : "::") != NULL;
}

const char *
cl__sql_rewrite(cl_buf *b, const char *sql, cl_sql_dialect d)
{
    cl_buf_reset(b);
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            /* A quoted string or identifier ends at its unescaped quote
               (a doubled quote is two strings back to back: the same). */
            const char *q = strchr(p + 1, *p);
            size_t n = q ? (size_t)(q - p) + 1 : strlen(p);
            cl_buf_add(b, p, n);
            p += n;
        } else if (d == CL_SQL_PG && *p == '?' &&
                   isdigit((unsigned char)p[1])) {
            cl_buf_add(b, "$", 1);
            p++;
        } else if (d == CL_SQL_SQLITE && p[0] == ':' && p[1] == ':') {
            p += 2;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
        } else {
            cl_buf_add(b, p, 1);
            p++;
        }
    }
    return b->oom ? NULL : b->p;
}
