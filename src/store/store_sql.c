/*
 * store_sql.c - one SQL text for both backends.  Statements are written
 * once in SQLite's placeholder style (?1, ?2, ...) with PostgreSQL's casts
 * where PostgreSQL needs a parameter's type (?4::date); when a statement is
 * prepared, each backend rewrites the text into its dialect: PostgreSQL's
 * placeholders are $1, $2, ..., and SQLite drops the casts, which it has no
 * syntax for.  Quoted text and identifiers are copied as they are.  Where
 * the dialects really differ, the two strings stand side by side in
 * cl__dialects, at the end.
 */
#include <ctype.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store_engine_int.h"

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

void
cl__sql_int(cl_buf *b, int n)
{
    char d[12];
    int i = (int)sizeof d;
    do {
        d[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0 && i > 0);
    cl_buf_add(b, d + i, sizeof d - (size_t)i);
}

cl_err
cl__args_collect(const char *fmt, va_list ap, cl__arg *a, int max,
                 cl_error *err)
{
    for (int i = 0; fmt && fmt[i]; i++) {
        if (i >= max)
            return cl_error_set(err, CL_EINVAL, "too many parameters");
        switch (fmt[i]) {
        case 's':
            a[i].s = va_arg(ap, const char *);
            break;
        case 'i':
            a[i].i = va_arg(ap, int64_t);
            break;
        case 'd':
            a[i].d = va_arg(ap, double);
            break;
        default:
            return cl_error_set(err, CL_EINVAL, "bad parameter type '%c'",
                                fmt[i]);
        }
    }
    return CL_OK;
}

cl_err
cl__q_rows(cl_store *st, cl__row_fn fn, void *ud, cl_error *err,
           const char *sql, const char *fmt, ...)
{
    cl__arg a[CL__Q_MAXARGS];
    va_list ap;
    va_start(ap, fmt);
    cl_err rc = cl__args_collect(fmt, ap, a, CL__Q_MAXARGS, err);
    va_end(ap);
    if (rc != CL_OK)
        return rc;
    return st->ops->rows(st, fn, ud, err, sql, fmt, a);
}

cl_err
cl__q_exec(cl_store *st, int *changes, cl_error *err, const char *sql,
           const char *fmt, ...)
{
    cl__arg a[CL__Q_MAXARGS];
    va_list ap;
    va_start(ap, fmt);
    cl_err rc = cl__args_collect(fmt, ap, a, CL__Q_MAXARGS, err);
    va_end(ap);
    if (rc != CL_OK)
        return rc;
    return st->ops->exec(st, changes, err, sql, fmt, a);
}

/* SQLite's own formatter, the one its json_object writes a REAL with
   ("%!.15g": 15 significant digits, rounded as SQLite rounds, always a
   decimal point): the C library's %.15g rounds some halves the other way,
   and the audit entries of both backends must be the same text. */
void
cl__sql_real_json(double v, char *buf, size_t len)
{
    sqlite3_snprintf((int)len, buf, "%!.15g", v);
}

void
cl__sql_expand(cl_buf *b, const char *t, const char *s, int n)
{
    for (; *t; t++) {
        if (t[0] == '%' && t[1] == 's') {
            cl_buf_str(b, s);
            t++;
        } else if (t[0] == '%' && t[1] == 'd') {
            cl__sql_int(b, n);
            t++;
        } else {
            cl_buf_add(b, t, 1);
        }
    }
}

/* The advisory lock key of the workspace's outbox claims, with the message
   id as the second key. */
#define OUTBOX_KEY                                                             \
    "hashtext('closeloop.outbox.' || current_schema() || '.' || ?1::text)"

/* The strings of each dialect; cl__dialect (store_engine_int.h) says what
   each one is. */
const cl__dialect cl__dialects[2] = {
    [CL_SQL_SQLITE] =
        {
            .json_object = "json_object",
            .json_text = "%s",
            .trigger_values = "'value', json(?9), 'threshold', json(?10)",
            .text_agg = "group_concat",
            .session_json = "json_object('id', id, 'kind', kind, 'period', "
                            "period, 'status', "
                            "status, 'owner_id', owner_id, 'closed_at', "
                            "closed_at, 'decisions', "
                            "json(decisions))",
            .session_decide = "UPDATE sessions SET decisions = json_insert("
                              "COALESCE(decisions, '[]'), '$[#]', ?2) WHERE "
                              "workspace_id = ?1 AND id = ?3",
            .login_by_email = "SELECT id, name, email, role, manager_id, "
                              "password_hash, deactivated_at FROM users WHERE "
                              "workspace_id = ?1 AND "
                              "email = ?2 COLLATE NOCASE ORDER BY id LIMIT 1",
            .deals_by_account = "deals INDEXED BY deals_account",
            /* The audit table's rowid B-tree ends at the newest entry: one
               seek. */
            .audit_last =
                "SELECT id, at, actor, entity, entity_id, action, old, new "
                "FROM audit ORDER BY id DESC LIMIT 1",
            /* Column affinity makes a text value compare as the column's type.
             */
            .bool_text = "%s",
            .money_param = "?%d",
            /* lower() folds ASCII only; instr, not LIKE, so the text is
               literal. */
            .contains = "instr(lower(%s), ?%d) > 0",
            .text_of = "%s",
        },
    [CL_SQL_PG] =
        {
            .json_object = "json_build_object",
            /* Drops the blanks outside strings that json_build_object
               writes (" : ", ", "): a string is kept whole, escapes and
               all. */
            .json_text = "regexp_replace((%s)::text, "
                         "'(\"(?:[^\"\\\\]|\\\\.)*\")|[ \\t\\n\\r]+', "
                         "'\\1', 'g')",
            .trigger_values = "'value', ?9::json, 'threshold', ?10::json",
            .text_agg = "string_agg",
            .session_json = "json_build_object('id', id, 'kind', kind, "
                            "'period', period, 'status', "
                            "status, 'owner_id', owner_id, 'closed_at', "
                            "closed_at, 'decisions', "
                            "decisions::json)",
            .session_decide = "UPDATE sessions SET decisions = CASE WHEN "
                              "decisions IS NULL OR decisions = '[]' THEN "
                              "'[' || to_json(?2::text)::text || ']' ELSE "
                              "left(decisions, -1) || ',' || "
                              "to_json(?2::text)::text || ']' END WHERE "
                              "workspace_id = ?1 AND id = ?3",
            /* lower() under the "C" collation folds ASCII only, like NOCASE. */
            .login_by_email =
                "SELECT id, name, email, role, manager_id, "
                "password_hash, deactivated_at FROM users WHERE workspace_id = "
                "?1 AND "
                "lower(email) = lower(?2::text) ORDER BY id LIMIT 1",
            .deals_by_account = "deals",
            /*
             * The claim.  Rows another connection holds a claim on are
             * left out first (so two workers with more due messages than
             * their limit both make progress); the rest are locked FOR
             * UPDATE SKIP LOCKED: a row another worker is claiming or
             * marking this instant is skipped, not waited for, and a row
             * another worker marked sent meanwhile is re-read and dropped.
             * Each row is claimed with a session advisory lock (on the
             * workspace's outbox key and the row id), taken once: a row
             * this connection holds already is handed out again without a
             * second lock.  The limit counts claimed rows, not due ones:
             * the locks are read when the statement starts, so rows another
             * worker claimed and committed a moment later are still in due,
             * and with the limit on due they could fill it and leave this
             * worker nothing while others wait (1,000 of 1,209 sent, in
             * CI).  due is pulled one row at a time until the limit is
             * met, so it locks no more rows than it hands out, bar those
             * skipped.  Materialized: the locks are read once, and the lock
             * is tried on the rows of due only, never pushed down to a scan
             * of the whole outbox.  outbox_release gives the claim up
             * when the row is marked, and a worker that dies gives up its
             * claims with its connection, so a message it did not mark is
             * sent again by the next run, as on SQLite.
             */
            .outbox_claim =
                "WITH locks AS MATERIALIZED (SELECT objid::bigint AS id, "
                "pid = pg_backend_pid() AS mine FROM pg_locks WHERE "
                "locktype = 'advisory' AND objsubid = 2 AND database = "
                "(SELECT oid FROM pg_database WHERE datname = "
                "current_database()) AND classid = ((" OUTBOX_KEY
                "::bigint + 4294967296) % 4294967296)::oid), "
                "due AS (SELECT id FROM outbox WHERE workspace_id = ?1 "
                "AND status = 'pending' AND channel = ?2::text "
                "AND (next_attempt_at IS NULL OR next_attempt_at <= ?3::text) "
                "AND id NOT IN (SELECT id FROM locks WHERE NOT mine) "
                "ORDER BY id FOR UPDATE SKIP LOCKED), "
                "claimed AS MATERIALIZED (SELECT id FROM due WHERE CASE WHEN "
                "id IN (SELECT id FROM locks WHERE mine) THEN true ELSE "
                "pg_try_advisory_lock(" OUTBOX_KEY ", id::integer) END "
                "LIMIT ?4) ",
            /* Given up in the marking transaction: until it commits, the
               UPDATE's row lock makes a worker that claims skip the row,
               and after, the row is no longer due. */
            .outbox_release =
                "SELECT pg_advisory_unlock(" OUTBOX_KEY ", ?2::integer)",
            /* Filters compare as text, as on SQLite: a boolean as 1 or 0, money
               as a number (NULL, so no row, for text that is not one). */
            .bool_text = "(CASE WHEN %s THEN '1' ELSE '0' END)",
            .money_param =
                "(CASE WHEN ?%d::text ~ '^-?[0-9]+(\\.[0-9]*)?$' THEN "
                "?%d::text::numeric END)",
            /* ASCII-only case folding, as SQLite's lower(), whatever the
               database's locale; strpos, not LIKE, so the text is literal. */
            .contains = "strpos(translate(%s, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                        "'abcdefghijklmnopqrstuvwxyz'), ?%d::text) > 0",
            .text_of = "%s::text",
        },
};
