/* test_demo.c - the demo generator: deterministic, valid, patterned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/date.h"
#include "core/record.h"
#include "core/taxonomy.h"
#include "demo/demo.h"

/* ---- collecting the rows ------------------------------------------------ */

typedef struct row {
    cl_kind kind;
    char **cells;
    size_t n;
} row;

typedef struct coll {
    row *rows;
    size_t n, cap;
    uint64_t hash;
    size_t fail_after; /* 0: never fail; else fail on that row */
} coll;

static void
hash_bytes(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        *h ^= s[i];
        *h *= 0x100000001b3ULL;
    }
}

static cl_err
collect(void *ud, cl_kind kind, const char *const *cells, size_t n,
        cl_error *err)
{
    coll *c = ud;
    if (c->fail_after && c->n + 1 >= c->fail_after)
        return cl_error_set(err, CL_EIO, "disk full");
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 4096;
        c->rows = realloc(c->rows, c->cap * sizeof *c->rows);
        assert_non_null(c->rows);
    }
    row *r = &c->rows[c->n++];
    r->kind = kind;
    r->n = n;
    r->cells = malloc(n * sizeof *r->cells);
    assert_non_null(r->cells);
    hash_bytes(&c->hash, &kind, sizeof kind);
    for (size_t i = 0; i < n; i++) {
        r->cells[i] = strdup(cells[i]);
        hash_bytes(&c->hash, cells[i], strlen(cells[i]) + 1);
    }
    return CL_OK;
}

static void
coll_free(coll *c)
{
    for (size_t i = 0; i < c->n; i++) {
        for (size_t j = 0; j < c->rows[i].n; j++)
            free(c->rows[i].cells[j]);
        free(c->rows[i].cells);
    }
    free(c->rows);
    memset(c, 0, sizeof *c);
}

static void
generate(coll *c, int64_t accounts, uint64_t seed, cl_day today)
{
    cl_demo_opts o = {accounts, seed, today, 0};
    cl_error err = {0};
    memset(c, 0, sizeof *c);
    c->hash = 0xcbf29ce484222325ULL;
    cl_err rc = cl_demo_generate(&o, collect, c, &err);
    if (rc)
        print_message("generate: %s\n", err.msg);
    assert_int_equal(rc, CL_OK);
}

/* ---- a small string -> index map ---------------------------------------- */

typedef struct smap {
    const char **keys;
    size_t *vals;
    size_t cap, n;
} smap;

static uint64_t
str_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    hash_bytes(&h, s, strlen(s));
    return h;
}

static void
smap_init(smap *m, size_t want)
{
    m->cap = 16;
    while (m->cap < want * 2)
        m->cap *= 2;
    m->keys = calloc(m->cap, sizeof *m->keys);
    m->vals = calloc(m->cap, sizeof *m->vals);
    m->n = 0;
}

/* Index of key, or (size_t)-1. */
static size_t
smap_get(const smap *m, const char *key)
{
    for (size_t i = str_hash(key) & (m->cap - 1); m->keys[i];
         i = (i + 1) & (m->cap - 1))
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
    return (size_t)-1;
}

/* Returns 0 if key was already there. */
static int
smap_put(smap *m, const char *key, size_t val)
{
    size_t i = str_hash(key) & (m->cap - 1);
    for (; m->keys[i]; i = (i + 1) & (m->cap - 1))
        if (strcmp(m->keys[i], key) == 0)
            return 0;
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
    return 1;
}

static void
smap_free(smap *m)
{
    free(m->keys);
    free(m->vals);
}

/* ---- helpers --------------------------------------------------------------
 */

static const char *
col(const row *r, const char *name)
{
    int i = cl_kind_field_index(cl_kind_get(r->kind), name);
    assert_true(i >= 0);
    return r->cells[i];
}

static cl_day
day_of(const char *s)
{
    cl_day d;
    if (!*s)
        return INT32_MIN;
    assert_int_equal(cl_date_parse(s, strlen(s), &d), 0);
    return d;
}

#define FAIL_ROW(r, why)                                                       \
    do {                                                                       \
        print_message("%s row: %s: %s=%s\n", cl_kind_get((r)->kind)->name,     \
                      why,                                                     \
                      (r)->n ? cl_kind_get((r)->kind)->fields[0].name : "",    \
                      (r)->n ? (r)->cells[0] : "");                            \
        fail();                                                                \
    } while (0)
#define CHECK(r, cond)                                                         \
    do {                                                                       \
        if (!(cond))                                                           \
            FAIL_ROW(r, #cond);                                                \
    } while (0)

static cl_day TODAY; /* set by each test */

/* Cell syntax against the record table, as the importer reads it. */
static void
check_cells(const row *r)
{
    const cl_kind_def *def = cl_kind_get(r->kind);
    CHECK(r, r->n == def->nfields);
    for (size_t i = 0; i < r->n; i++) {
        const cl_field *f = &def->fields[i];
        const char *s = r->cells[i];
        if (!*s) {
            CHECK(r, !(f->flags & CL_FF_REQUIRED));
            continue;
        }
        switch (f->type) {
        case CL_F_ID:
            CHECK(r, strlen(s) <= 64 && !strchr(s, ';'));
            break;
        case CL_F_INT: {
            char *end;
            long long v = strtoll(s, &end, 10);
            CHECK(r, *end == 0 && v >= f->min && v <= f->max);
            break;
        }
        case CL_F_MONEY:
        case CL_F_HOURS: {
            char *end;
            double v = strtod(s, &end);
            CHECK(r, *end == 0 && v >= 0);
            const char *dot = strchr(s, '.');
            CHECK(r, !dot || strlen(dot + 1) <= 2);
            break;
        }
        case CL_F_DATE: {
            cl_day d;
            CHECK(r, cl_date_parse(s, strlen(s), &d) == 0);
            break;
        }
        case CL_F_MONTH: {
            int y, m;
            CHECK(r, cl_month_parse(s, strlen(s), &y, &m) == 0);
            break;
        }
        case CL_F_BOOL:
            CHECK(r, !strcmp(s, "true") || !strcmp(s, "false"));
            break;
        case CL_F_ENUM:
            CHECK(r, cl_enum_index(f->values, s) >= 0);
            break;
        case CL_F_ENUM_LIST: {
            char buf[256];
            snprintf(buf, sizeof buf, "%s", s);
            char *seen[16];
            int nseen = 0;
            for (char *t = strtok(buf, ";"); t; t = strtok(NULL, ";")) {
                CHECK(r, cl_enum_index(f->values, t) >= 0);
                for (int k = 0; k < nseen; k++)
                    CHECK(r, strcmp(seen[k], t) != 0);
                if (nseen < 16)
                    seen[nseen++] = t;
            }
            break;
        }
        case CL_F_EMAIL: {
            const char *at = strchr(s, '@');
            CHECK(r, at && at > s && strchr(at, '.'));
            break;
        }
        default:
            break;
        }
    }
}

/* ---- the invariants of every generated data set -------------------------- */

static void
check_all(const coll *c)
{
    static const cl_kind order[] = {CL_KIND_HOLIDAYS,   CL_KIND_USERS,
                                    CL_KIND_ICP,        CL_KIND_ACCOUNTS,
                                    CL_KIND_DEALS,      CL_KIND_CHURNS,
                                    CL_KIND_RECOVERIES, CL_KIND_REVIEWS,
                                    CL_KIND_CS_HOURS,   CL_KIND_ARR_MOVEMENTS};
    cl_day end = TODAY - 1;
    smap ids[CL_KIND_COUNT], keys, emails;
    for (int k = 0; k < CL_KIND_COUNT; k++)
        smap_init(&ids[k], c->n);
    smap_init(&keys, c->n);
    smap_init(&emails, c->n);
    char(*keybuf)[64] = calloc(c->n, sizeof *keybuf);
    assert_non_null(keybuf);
    /* per-account facts */
    cl_day *first_win = calloc(c->n, sizeof *first_win);
    assert_non_null(first_win);

    size_t oi = 0;
    for (size_t i = 0; i < c->n; i++) {
        const row *r = &c->rows[i];
        /* kinds in the documented order, each contiguous */
        while (oi < 10 && order[oi] != r->kind)
            oi++;
        CHECK(r, oi < 10);
        check_cells(r);
        const cl_kind_def *def = cl_kind_get(r->kind);
        /* references point to rows already emitted */
        for (size_t f = 0; f < r->n; f++)
            if (def->fields[f].type == CL_F_ID &&
                def->fields[f].ref != CL_KIND_NONE && r->cells[f][0])
                CHECK(r, smap_get(&ids[def->fields[f].ref], r->cells[f]) !=
                             (size_t)-1);
        if (def->nkey == 1) {
            CHECK(r, smap_put(&ids[r->kind], r->cells[0], i));
        } else {
            snprintf(keybuf[i], sizeof keybuf[i], "%d|%s|%s|%s", r->kind,
                     r->cells[0], r->cells[1],
                     def->nkey > 2 ? r->cells[2] : "");
            CHECK(r, smap_put(&keys, keybuf[i], i));
        }
        switch (r->kind) {
        case CL_KIND_USERS:
            CHECK(r, smap_put(&emails, col(r, "email"), i));
            break;
        case CL_KIND_ACCOUNTS: {
            const char *st = col(r, "status");
            int cust = strcmp(st, "prospect") != 0;
            CHECK(r, cust == (col(r, "customer_since")[0] != 0));
            CHECK(r, cust == (col(r, "csm_id")[0] != 0));
            break;
        }
        case CL_KIND_DEALS: {
            const char *stage = col(r, "stage");
            cl_day cr = day_of(col(r, "created_on"));
            cl_day demo = day_of(col(r, "first_demo_on"));
            cl_day cl = day_of(col(r, "closed_on"));
            cl_day ko = day_of(col(r, "kickoff_on"));
            int won = !strcmp(stage, "closed_won");
            int lost = !strcmp(stage, "closed_lost");
            CHECK(r, cr <= end);
            if (won || lost)
                CHECK(r, cl != INT32_MIN && cl >= cr && cl <= end);
            else
                CHECK(r, cl == INT32_MIN && cr >= end - 119);
            if (demo != INT32_MIN) {
                CHECK(r, demo >= cr && demo <= end);
                CHECK(r, cl == INT32_MIN || demo <= cl);
            }
            CHECK(r, lost == (col(r, "loss_reason")[0] != 0));
            if (ko != INT32_MIN)
                CHECK(r, won && ko >= cl && ko <= end);
            long arr = atol(col(r, "arr"));
            CHECK(r, arr >= 1000 && arr <= 250000 && arr % 100 == 0);
            size_t a = smap_get(&ids[CL_KIND_ACCOUNTS], col(r, "account_id"));
            if (!strcmp(col(r, "type"), "new")) {
                if (won && (first_win[a] == 0 || cl < first_win[a]))
                    first_win[a] = cl;
            } else {
                /* expansions and renewals only after the first win */
                CHECK(r, first_win[a] != 0 && cr > first_win[a]);
            }
            break;
        }
        case CL_KIND_CHURNS: {
            const row *acc = &c->rows[smap_get(&ids[CL_KIND_ACCOUNTS],
                                               col(r, "account_id"))];
            cl_day on = day_of(col(r, "churned_on"));
            CHECK(r, !strcmp(col(acc, "status"), "churned"));
            CHECK(r, on > day_of(col(acc, "customer_since")) && on <= end);
            CHECK(r, atol(col(r, "arr_lost")) > 0);
            const char *dl = col(r, "deal_id");
            if (*dl) {
                const row *d = &c->rows[smap_get(&ids[CL_KIND_DEALS], dl)];
                CHECK(r, !strcmp(col(d, "account_id"), col(acc, "id")));
                CHECK(r, !strcmp(col(d, "stage"), "closed_won"));
            }
            const char *pc = col(r, "primary_cause");
            int tagged = *pc != 0;
            CHECK(r, tagged == (col(r, "tagged_by")[0] != 0));
            CHECK(r, tagged == (col(r, "tagged_on")[0] != 0));
            CHECK(r, tagged || !col(r, "contributing_causes")[0]);
            if (tagged) {
                cl_day t = day_of(col(r, "tagged_on"));
                CHECK(r, t >= on + 1 && t <= on + 20 && t <= end);
                char buf[256];
                snprintf(buf, sizeof buf, ";%s;",
                         col(r, "contributing_causes"));
                char pat[64];
                snprintf(pat, sizeof pat, ";%s;", pc);
                CHECK(r, !strstr(buf, pat));
            }
            break;
        }
        case CL_KIND_RECOVERIES: {
            const row *o = &c->rows[smap_get(&ids[CL_KIND_DEALS],
                                             col(r, "original_deal_id"))];
            const row *n =
                &c->rows[smap_get(&ids[CL_KIND_DEALS], col(r, "new_deal_id"))];
            CHECK(r, !strcmp(col(o, "stage"), "closed_lost"));
            CHECK(r, !strcmp(col(n, "type"), "new"));
            CHECK(r, !strcmp(col(o, "account_id"), col(n, "account_id")));
            cl_day back = day_of(col(n, "created_on"));
            CHECK(r,
                  back >= cl_date_add_months(day_of(col(o, "closed_on")), 2));
            cl_day lg = day_of(col(r, "logged_on"));
            CHECK(r, lg > back && lg <= end);
            break;
        }
        case CL_KIND_REVIEWS: {
            const row *d =
                &c->rows[smap_get(&ids[CL_KIND_DEALS], col(r, "deal_id"))];
            CHECK(r, !strcmp(col(d, "stage"), "closed_won"));
            CHECK(r, !strcmp(col(d, "type"), "new"));
            cl_day h = day_of(col(r, "held_on"));
            CHECK(r, h >= day_of(col(d, "closed_on")) && h <= end);
            break;
        }
        case CL_KIND_CS_HOURS: {
            double h = atof(col(r, "hours"));
            CHECK(r, h >= 1 && h <= 40);
            break;
        }
        case CL_KIND_ARR_MOVEMENTS:
            CHECK(r, atof(col(r, "amount")) > 0);
            CHECK(r, day_of(col(r, "on")) <= end);
            break;
        default:
            break;
        }
    }
    /* every kind is present */
    for (int k = 0; k < CL_KIND_COUNT; k++)
        if (k != CL_KIND_CS_HOURS && k != CL_KIND_ARR_MOVEMENTS)
            assert_true(ids[k].n > 0);
    assert_true(keys.n > 0);
    for (int k = 0; k < CL_KIND_COUNT; k++)
        smap_free(&ids[k]);
    smap_free(&keys);
    smap_free(&emails);
    free(keybuf);
    free(first_win);
}

static size_t
count_kind(const coll *c, cl_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        n += c->rows[i].kind == k;
    return n;
}

/* ---- tests -----------------------------------------------------------------
 */

static void
test_deterministic(void **state)
{
    (void)state;
    cl_day today = cl_date_from_ymd(2026, 11, 23);
    coll a, b, d;
    generate(&a, 400, 7, today);
    generate(&b, 400, 7, today);
    generate(&d, 400, 8, today);
    assert_true(a.n > 1000);
    assert_int_equal(a.n, b.n);
    assert_true(a.hash == b.hash);
    assert_true(a.hash != d.hash);
    coll_free(&a);
    coll_free(&b);
    coll_free(&d);
}

static void
test_default_size_and_valid(void **state)
{
    (void)state;
    TODAY = cl_date_from_ymd(2026, 11, 23);
    coll c;
    generate(&c, 0, 42, TODAY);
    assert_int_equal(count_kind(&c, CL_KIND_ACCOUNTS), 600);
    /* 8 leaders and managers, 8 AEs, 10 CSMs */
    assert_int_equal(count_kind(&c, CL_KIND_USERS), 8 + 8 + 10);
    assert_int_equal(count_kind(&c, CL_KIND_ICP), 2);
    /* six holidays a year, three years back through next year */
    assert_int_equal(count_kind(&c, CL_KIND_HOLIDAYS), 30);
    size_t deals = count_kind(&c, CL_KIND_DEALS);
    assert_true(deals >= 600 * 3 / 2 && deals <= 600 * 4);
    check_all(&c);
    coll_free(&c);
}

static void
test_valid_other_dates(void **state)
{
    (void)state;
    /* a quarter's first day, a leap day, and a year-end */
    static const int days[][3] = {{2026, 10, 1}, {2028, 2, 29}, {2025, 12, 31}};
    for (int i = 0; i < 3; i++) {
        TODAY = cl_date_from_ymd(days[i][0], days[i][1], days[i][2]);
        coll c;
        generate(&c, 1500, (uint64_t)i + 100, TODAY);
        check_all(&c);
        coll_free(&c);
    }
}

static void
test_users_hierarchy(void **state)
{
    (void)state;
    coll c;
    generate(&c, 3000, 1, cl_date_from_ymd(2026, 11, 23));
    size_t ae = 0, csm = 0;
    for (size_t i = 0; i < c.n; i++) {
        const row *r = &c.rows[i];
        if (r->kind != CL_KIND_USERS)
            continue;
        const char *role = col(r, "role");
        const char *mgr = col(r, "manager_id");
        if (!strcmp(role, "ae")) {
            ae++;
            assert_true(!strncmp(mgr, "u-sales-manager-", 16));
        } else if (!strcmp(role, "csm")) {
            csm++;
            assert_string_equal(mgr, "u-cs-manager-1");
        } else if (!strcmp(role, "sales_manager")) {
            assert_string_equal(mgr, "u-vp-sales-1");
        } else if (!strcmp(role, "cs_manager")) {
            assert_string_equal(mgr, "u-vp-cs-1");
        }
    }
    assert_int_equal(ae, 40);
    assert_int_equal(csm, 50);
    coll_free(&c);
}

typedef struct user_count {
    int ae, csm;
} user_count;

/* Counts users and stops the generation when the users are done. */
static cl_err
count_users(void *ud, cl_kind kind, const char *const *cells, size_t n,
            cl_error *err)
{
    user_count *u = ud;
    (void)n;
    if (kind == CL_KIND_ICP)
        return cl_error_set(err, CL_ECONFLICT, "enough");
    if (kind == CL_KIND_USERS) {
        u->ae += !strcmp(cells[3], "ae");
        u->csm += !strcmp(cells[3], "csm");
    }
    return CL_OK;
}

static void
test_team_scales_with_accounts(void **state)
{
    (void)state;
    /* one AE per 75 accounts up to 200; one CSM per 60 accounts */
    cl_demo_opts o = {30000, 1, cl_date_from_ymd(2026, 11, 23), 0};
    user_count u = {0, 0};
    cl_error err = {0};
    assert_int_equal(cl_demo_generate(&o, count_users, &u, &err), CL_ECONFLICT);
    assert_int_equal(u.ae, 200);
    assert_int_equal(u.csm, 500);
}

static void
test_emit_error_stops(void **state)
{
    (void)state;
    cl_demo_opts o = {100, 1, cl_date_from_ymd(2026, 11, 23), 0};
    coll c;
    memset(&c, 0, sizeof c);
    c.fail_after = 50;
    cl_error err = {0};
    assert_int_equal(cl_demo_generate(&o, collect, &c, &err), CL_EIO);
    assert_string_equal(err.msg, "disk full");
    assert_int_equal(c.n, 49);
    coll_free(&c);
    o.accounts = -1;
    assert_int_equal(cl_demo_generate(&o, collect, &c, &err), CL_EINVAL);
    assert_int_equal(c.n, 0);
}

/* 12-month churn of customers who started at least a year ago, split by a
   predicate on the account and its won new deal. */
typedef struct acct_fact {
    int employees, ops, tenure;
    cl_day since, churned;
} acct_fact;

static void
check_patterns(uint64_t seed, cl_day today)
{
    coll c;
    generate(&c, 3000, seed, today);
    acct_fact *f = calloc(3001, sizeof *f);
    assert_non_null(f);
    for (size_t i = 0; i < c.n; i++) {
        const row *r = &c.rows[i];
        if (r->kind == CL_KIND_ACCOUNTS) {
            int a = atoi(col(r, "id") + 2);
            f[a].employees = atoi(col(r, "employees"));
            f[a].ops = !strcmp(col(r, "has_ops_function"), "true");
            f[a].since = day_of(col(r, "customer_since"));
            f[a].churned = INT32_MIN;
        } else if (r->kind == CL_KIND_DEALS && !strcmp(col(r, "type"), "new") &&
                   !strcmp(col(r, "stage"), "closed_won")) {
            int a = atoi(col(r, "account_id") + 2);
            f[a].tenure = atoi(col(r, "champion_tenure_months"));
        } else if (r->kind == CL_KIND_CHURNS) {
            f[atoi(col(r, "account_id") + 2)].churned =
                day_of(col(r, "churned_on"));
        }
    }
    /* [group][0]=started, [1]=churned within 365 days */
    int small[2][2] = {{0}}, champ[2][2] = {{0}};
    for (int a = 1; a <= 3000; a++) {
        if (f[a].since == INT32_MIN || f[a].since > today - 365)
            continue;
        int ch = f[a].churned != INT32_MIN && f[a].churned - f[a].since <= 365;
        int s = f[a].employees < 20 && !f[a].ops;
        int t = f[a].tenure < 6;
        small[s][0]++;
        small[s][1] += ch;
        champ[t][0]++;
        champ[t][1] += ch;
    }
    double rs = (double)small[1][1] / small[1][0],
           rn = (double)small[0][1] / small[0][0];
    double rt = (double)champ[1][1] / champ[1][0],
           ro = (double)champ[0][1] / champ[0][0];
    double all =
        (double)(small[0][1] + small[1][1]) / (small[0][0] + small[1][0]);
    print_message("seed %llu: 12m churn %.3f; small/no-ops %.3f vs %.3f "
                  "(%.2fx); champion<6m %.3f vs %.3f (%.2fx)\n",
                  (unsigned long long)seed, all, rs, rn, rs / rn, rt, ro,
                  rt / ro);
    assert_true(rs >= 2.5 * rn);
    assert_true(rt >= 1.6 * ro);
    assert_true(all >= 0.12 && all <= 0.30);

    /* icp_miss share of tagged churns per quarter */
    cl_period now = cl_period_of(CL_PERIOD_QUARTER, today);
    for (int back = 1; back <= 4; back++) {
        cl_period q = cl_period_shift(&now, -back);
        int tagged = 0, icp = 0;
        for (size_t i = 0; i < c.n; i++) {
            const row *r = &c.rows[i];
            if (r->kind != CL_KIND_CHURNS || !col(r, "primary_cause")[0])
                continue;
            cl_day on = day_of(col(r, "churned_on"));
            if (on < q.first || on > q.last)
                continue;
            tagged++;
            icp += !strcmp(col(r, "primary_cause"), "icp_miss");
        }
        double share = tagged ? (double)icp / tagged : 0;
        print_message("  %s: %d tagged, icp_miss %.3f\n", q.label, tagged,
                      share);
        assert_true(tagged >= 20);
        if (back == 1)
            assert_true(share > 0.25);
        else
            assert_true(share <= 0.25);
    }
    free(f);
    coll_free(&c);
}

static void
test_planted_patterns(void **state)
{
    (void)state;
    check_patterns(1, cl_date_from_ymd(2026, 11, 23));
    check_patterns(2, cl_date_from_ymd(2026, 10, 1));
    check_patterns(3, cl_date_from_ymd(2027, 3, 15));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_default_size_and_valid),
        cmocka_unit_test(test_valid_other_dates),
        cmocka_unit_test(test_users_hierarchy),
        cmocka_unit_test(test_team_scales_with_accounts),
        cmocka_unit_test(test_emit_error_stops),
        cmocka_unit_test(test_planted_patterns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
