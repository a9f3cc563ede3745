/*
 * store_lists.c - the accounts and pipeline lists (store_lists.h): one SQL
 * text for both backends, run through the backend's query primitives.
 *
 * The text is built from fixed pieces and the names of known columns only;
 * every value from a request is a parameter.  The sort value is selected
 * as a column (sk), so a keyset cursor continues after (sk, id) exactly:
 * numbers are compared as double precision on both backends, and a null
 * sorts as a value below every real one (-1, ''), first ascending.
 */
#include "store_lists.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_engine_int.h"

/* A year after the date column c, as text (29 February: 28 February). */
#define RENEWAL(c)                                                             \
    "CAST(CAST(substr(" c "::text, 1, 4) AS INTEGER) + 1 AS TEXT) || "         \
    "CASE WHEN substr(" c "::text, 6, 5) = '02-29' THEN '-02-28' ELSE "        \
    "substr(" c "::text, 5) END"

/* Every account with its derived columns (store_lists.h); ?1 is the
   workspace.  b is the latest won new or renewal deal, f the earliest won
   new deal, the one whose health the account page shows: each one seek of
   deals_account per account, which a page in key order makes for its own
   rows only (window functions over all deals measured three times slower
   sorted, thirty times in key order). */
/* clang-format off */
#define BOOK                                                                   \
    "SELECT a.id AS id, a.name AS name, a.industry AS industry, "              \
    "a.region AS region, a.status AS status, u.name AS csm_name, "             \
    "CASE WHEN a.status = 'churned' THEN 0 "                                   \
    "WHEN b.id IS NULL THEN NULL "                                             \
    "ELSE b.arr + COALESCE((SELECT sum(e.arr) FROM deals e "                   \
    "  WHERE e.workspace_id = ?1 AND e.account_id = a.id "                     \
    "  AND e.stage = 'closed_won' AND e.type = 'expansion' "                   \
    "  AND e.closed_on >= b.closed_on), 0) END AS arr, "                       \
    "CASE WHEN a.status = 'churned' OR b.id IS NULL THEN NULL "                \
    "ELSE " RENEWAL("b.closed_on") " END AS renewal_on, "                      \
    "f.health_score AS health, f.ae_id AS health_ae "                          \
    "FROM accounts a "                                                         \
    "LEFT JOIN users u ON u.workspace_id = a.workspace_id AND u.id = a.csm_id "\
    "LEFT JOIN deals b ON b.workspace_id = ?1 AND b.id = (SELECT d.id "        \
    "  FROM deals d WHERE d.workspace_id = ?1 AND d.account_id = a.id "        \
    "  AND d.stage = 'closed_won' AND d.type IN ('new', 'renewal') "           \
    "  AND d.closed_on IS NOT NULL "                                           \
    "  ORDER BY d.closed_on DESC, d.id DESC LIMIT 1) "                         \
    "LEFT JOIN deals f ON f.workspace_id = ?1 AND f.id = (SELECT d.id "        \
    "  FROM deals d WHERE d.workspace_id = ?1 AND d.account_id = a.id "        \
    "  AND d.stage = 'closed_won' AND d.type = 'new' "                         \
    "  AND d.closed_on IS NOT NULL ORDER BY d.closed_on, d.id LIMIT 1) "       \
    "WHERE a.workspace_id = ?1"
/* clang-format on */

/* A sort column: its name, its expression over the row y, and whether
   it is a number (compared as double precision; else as text). */
typedef struct sort_col {
    const char *name, *expr;
    int numeric;
} sort_col;

#define NUM(x) "CAST(COALESCE(" x ", -1) AS DOUBLE PRECISION)", 1

static const sort_col account_sorts[] = {
    {"id", "y.id", 0},
    {"name", "y.name", 0},
    {"industry", "COALESCE(y.industry, '')", 0},
    {"region", "COALESCE(y.region, '')", 0},
    {"csm", "COALESCE(y.csm_name, '')", 0},
    {"status", "y.status", 0},
    {"arr", NUM("y.arr")},
    {"renewal_on", "COALESCE(y.renewal_on, '')", 0},
    {"health", NUM("y.hv")},
    {NULL, NULL, 0},
};

static const sort_col deal_sorts[] = {
    {"id", "y.id", 0},
    {"account", "y.name", 0},
    {"ae", "COALESCE(y.ae_name, '')", 0},
    {"stage", "y.stage", 0},
    {"arr", NUM("y.arr")},
    {"created_on", "y.created_on", 0},
    {"renewal_on", "COALESCE(y.renewal_on, '')", 0},
    {"health", NUM("y.hv")},
    {NULL, NULL, 0},
};

static const sort_col *
sorts_of(cl_kind kind)
{
    return kind == CL_KIND_ACCOUNTS ? account_sorts
           : kind == CL_KIND_DEALS  ? deal_sorts
                                    : NULL;
}

const char *
cl_store_lists_sort(cl_kind kind, size_t i)
{
    const sort_col *cols = sorts_of(kind);
    for (size_t k = 0; cols && cols[k].name; k++)
        if (k == i)
            return cols[k].name;
    return NULL;
}

/* The SQL being built, and its parameters after the workspace. */
typedef struct qb {
    char sql[12288];
    size_t n;
    int over; /* the text did not fit */
    char fmt[48];
    cl__arg a[48];
    int na;
} qb;

static void put(qb *b, const char *f, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends f's text to the SQL; b->over when it does not fit. */
static void
put(qb *b, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int k = b->n < sizeof b->sql
                ? vsnprintf(b->sql + b->n, sizeof b->sql - b->n, f, ap)
                : 0;
    va_end(ap);
    if (k < 0 || b->n + (size_t)k >= sizeof b->sql)
        b->over = 1;
    else
        b->n += (size_t)k;
}

/* Adds parameter v of type t ('s', 'd', 'i'); its number (?N). */
static int
arg(qb *b, char t, cl__arg v)
{
    if (b->na + 1 >= (int)sizeof b->fmt) {
        b->over = 1;
        return 2;
    }
    b->fmt[b->na] = t;
    b->a[b->na++] = v;
    b->fmt[b->na] = '\0';
    return b->na + 1;
}

static int
arg_s(qb *b, const char *s)
{
    return arg(b, 's', (cl__arg){.s = s});
}

static int
arg_d(qb *b, double d)
{
    return arg(b, 'd', (cl__arg){.d = d});
}

static int
arg_i(qb *b, int64_t i)
{
    return arg(b, 'i', (cl__arg){.i = i});
}

/* needle as a LIKE pattern that matches it literally anywhere, ASCII
   lower case: %, _ and \ escaped with \. */
static void
like_pattern(char *out, size_t len, const char *needle)
{
    size_t o = 0;
    out[o++] = '%';
    for (const char *p = needle; *p && o + 4 < len; p++) {
        char c = *p;
        if (c == '%' || c == '_' || c == '\\')
            out[o++] = '\\';
        out[o++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    out[o++] = '%';
    out[o] = '\0';
}

/*
 * field of table t equals value, compared as the value's text means it
 * whatever the column's type on either backend, as every record list
 * compares (a boolean as 1 or 0, an amount as a number, a date as its
 * text); a value the field's type cannot hold matches nothing.
 */
static void
equal(qb *b, const char *t, const cl_field *f, const char *value)
{
    char *end;
    switch (f->type) {
    case CL_F_BOOL:
        if (strcmp(value, "1") != 0 && strcmp(value, "0") != 0)
            break;
        put(b,
            " AND (CASE WHEN %s.\"%s\" THEN 1 WHEN NOT %s.\"%s\" THEN 0 "
            "END) = ?%d",
            t, f->name, t, f->name, arg_i(b, value[0] == '1'));
        return;
    case CL_F_MONEY:
    case CL_F_HOURS: {
        double v = strtod(value, &end);
        if (!*value || *end)
            break;
        put(b, " AND CAST(%s.\"%s\" AS DOUBLE PRECISION) = ?%d", t, f->name,
            arg_d(b, v));
        return;
    }
    case CL_F_INT: {
        long long v = strtoll(value, &end, 10);
        if (!*value || *end)
            break;
        put(b, " AND %s.\"%s\" = ?%d", t, f->name, arg_i(b, v));
        return;
    }
    default:
        /* Text, ids, enums and dates: dates as their text. */
        put(b, " AND %s.\"%s\"::text = ?%d::text", t, f->name, arg_s(b, value));
        return;
    }
    put(b, " AND 1 = 0");
}

/* The inner rows (y) with their filters on the base tables. */
static cl_err
inner(qb *b, const cl_store_lists_req *q, const char *pattern, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(q->kind);
    if (q->kind == CL_KIND_ACCOUNTS) {
        put(b, "SELECT k.*, k.csm_name AS person, ");
    } else {
        put(b, "SELECT d.id AS id, k.name AS name, d.stage AS stage, "
               "w.name AS ae_name, w.name AS person, CAST(d.arr AS DOUBLE "
               "PRECISION) AS arr, "
               "d.created_on::text AS created_on, k.renewal_on AS "
               "renewal_on, k.health AS health, k.health_ae AS health_ae, ");
    }
    int h = arg_s(b, q->health_owner);
    put(b,
        "CASE WHEN ?%d::text IS NULL OR k.health_ae = ?%d::text THEN "
        "k.health END AS hv FROM (" BOOK,
        h, h);
    if (q->kind == CL_KIND_ACCOUNTS) {
        /* The account's own filters inside the book, before its columns
           are worked out. */
        for (size_t i = 0; i < q->nfilters; i++) {
            int f = cl_kind_field_index(def, q->filters[i].field);
            if (f < 0)
                return cl_error_set(err, CL_EINVAL, "%s: no field '%s'",
                                    def->name, q->filters[i].field);
            equal(b, "a", &def->fields[f], q->filters[i].value);
        }
        put(b, ") k");
    } else {
        put(b, ") k JOIN deals d ON d.workspace_id = ?1 AND d.account_id = "
               "k.id LEFT JOIN users w ON w.workspace_id = ?1 AND w.id = "
               "d.ae_id WHERE 1 = 1");
        for (size_t i = 0; i < q->nfilters; i++) {
            int f = cl_kind_field_index(def, q->filters[i].field);
            if (f < 0)
                return cl_error_set(err, CL_EINVAL, "%s: no field '%s'",
                                    def->name, q->filters[i].field);
            equal(b, "d", &def->fields[f], q->filters[i].value);
        }
        if (q->industry)
            put(b, " AND k.industry = ?%d", arg_s(b, q->industry));
        if (q->region)
            put(b, " AND k.region = ?%d", arg_s(b, q->region));
        if (q->open == 1)
            put(b, " AND d.stage NOT IN ('closed_won', 'closed_lost')");
        else if (q->open == 0)
            put(b, " AND d.stage IN ('closed_won', 'closed_lost')");
    }
    if (pattern) {
        int p = arg_s(b, pattern);
        if (q->kind == CL_KIND_ACCOUNTS)
            put(b, " WHERE");
        else
            put(b, " AND");
        put(b,
            " (lower(%s.id) LIKE ?%d ESCAPE '\\' OR lower(k.name) LIKE ?%d "
            "ESCAPE '\\')",
            q->kind == CL_KIND_ACCOUNTS ? "k" : "d", p, p);
    }
    return CL_OK;
}

/* The ranges, on the columns of y. */
static void
ranges(qb *b, const cl_store_lists_req *q)
{
    if (q->has_arr_min)
        put(b, " AND y.arr >= ?%d", arg_d(b, q->arr_min));
    if (q->has_arr_max)
        put(b, " AND y.arr <= ?%d", arg_d(b, q->arr_max));
    if (q->renewal_from)
        put(b, " AND y.renewal_on >= ?%d::text", arg_s(b, q->renewal_from));
    if (q->renewal_to)
        put(b, " AND y.renewal_on <= ?%d::text", arg_s(b, q->renewal_to));
    if (q->health_min >= 0)
        put(b, " AND y.hv >= ?%d", arg_i(b, q->health_min));
    if (q->health_max >= 0)
        put(b, " AND y.hv <= ?%d", arg_i(b, q->health_max));
}

typedef struct page_ud {
    cl_store_lists_cb cb;
    void *ud;
    int numeric;
    int64_t *total;
} page_ud;

static int
page_row(void *ud, const cl__row *r)
{
    page_ud *u = ud;
    char sk[40];
    const char *skt = r->vt->text(r, 6);
    if (u->numeric) {
        /* The double itself, every digit: the cursor compares equal. */
        snprintf(sk, sizeof sk, "%.17g", r->vt->real(r, 6));
        skt = sk;
    }
    cl_store_lists_row row = {
        .id = r->vt->text(r, 0),
        .name = r->vt->text(r, 1),
        .has_arr = r->vt->text(r, 2) != NULL,
        .arr = r->vt->real(r, 2),
        .renewal_on = r->vt->text(r, 3),
        .health = (int)r->vt->integer(r, 4, -1),
        .health_ae = r->vt->text(r, 5),
        .sort_value = skt ? skt : "",
        .person = r->vt->text(r, 7),
    };
    return u->cb(u->ud, &row);
}

static int
count_row(void *ud, const cl__row *r)
{
    page_ud *u = ud;
    *u->total = r->vt->integer(r, 0, 0);
    return 1;
}

cl_err
cl_store_lists_page(cl_store *st, const cl_store_lists_req *q,
                    cl_store_lists_cb cb, void *ud, int64_t *total,
                    cl_error *err)
{
    const sort_col *cols = sorts_of(q->kind);
    if (cols == NULL || q->nfilters > 16)
        return cl_error_set(err, CL_EINVAL, "bad list request");
    const sort_col *sc = &cols[0];
    if (q->sort) {
        sc = NULL;
        for (size_t i = 0; cols[i].name; i++)
            if (strcmp(cols[i].name, q->sort) == 0)
                sc = &cols[i];
        if (sc == NULL)
            return cl_error_set(err, CL_EINVAL, "no sort '%s'", q->sort);
    }
    int numeric = sc->numeric;
    char pattern[600];
    const char *pat = NULL;
    if (q->search && q->search[0]) {
        like_pattern(pattern, sizeof pattern, q->search);
        pat = pattern;
    }
    page_ud u = {cb, ud, numeric, total};
    cl_err rc;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0 && !total)
            continue;
        /* Too large for a server thread's stack. */
        qb *bp = calloc(1, sizeof *bp);
        if (bp == NULL)
            return cl_error_set(err, CL_ENOMEM, "out of memory");
        put(bp, pass == 0 ? "SELECT count(*) FROM (SELECT y.id FROM ("
                          : "SELECT x.id, x.name, x.arr, x.renewal_on, "
                            "x.hv, x.health_ae, x.sk, x.person FROM (SELECT "
                            "y.*, ");
        if (pass == 1)
            put(bp, "%s AS sk FROM (", sc->expr);
        if ((rc = inner(bp, q, pat, err)) != CL_OK) {
            free(bp);
            return rc;
        }
        put(bp, ") y WHERE 1 = 1");
        ranges(bp, q);
        if (pass == 0) {
            put(bp, ") x");
        } else {
            put(bp, ") x");
            if (q->after_id) {
                int v = numeric ? arg_d(bp, strtod(q->after_value, NULL))
                                : arg_s(bp, q->after_value);
                int id = arg_s(bp, q->after_id);
                put(bp,
                    " WHERE (x.sk %s ?%d%s OR (x.sk = ?%d%s AND x.id > "
                    "?%d::text))",
                    q->desc ? "<" : ">", v, numeric ? "" : "::text", v,
                    numeric ? "" : "::text", id);
            }
            put(bp, " ORDER BY x.sk%s, x.id LIMIT ?%d OFFSET ?%d",
                q->desc ? " DESC" : "",
                arg_i(bp, q->limit < 0 ? INT64_MAX : q->limit),
                arg_i(bp, q->offset < 0 ? 0 : q->offset));
        }
        if (bp->over) {
            free(bp);
            return cl_error_set(err, CL_EINVAL, "list query too long");
        }
        rc = st->ops->rows(st, pass == 0 ? count_row : page_row, &u, err,
                           bp->sql, bp->fmt, bp->a);
        free(bp);
        if (rc != CL_OK)
            return rc;
    }
    return CL_OK;
}

typedef struct values_ud {
    int (*cb)(void *ud, const char *value);
    void *ud;
} values_ud;

static int
value_row(void *ud, const cl__row *r)
{
    values_ud *u = ud;
    return u->cb(u->ud, r->vt->text(r, 0));
}

cl_err
cl_store_lists_values(cl_store *st, const char *column,
                      int (*cb)(void *ud, const char *value), void *ud,
                      cl_error *err)
{
    values_ud u = {cb, ud};
    if (strcmp(column, "industry") == 0)
        return cl__q_rows(st, value_row, &u, err,
                          "SELECT DISTINCT industry FROM accounts WHERE "
                          "workspace_id = ?1 AND industry IS NOT NULL ORDER "
                          "BY 1",
                          "");
    if (strcmp(column, "region") == 0)
        return cl__q_rows(st, value_row, &u, err,
                          "SELECT DISTINCT region FROM accounts WHERE "
                          "workspace_id = ?1 AND region IS NOT NULL ORDER BY "
                          "1",
                          "");
    return cl_error_set(err, CL_EINVAL, "no choices of '%s'", column);
}
