/*
 * pattern_levels.c - the levels of each attribute (bands, ordered splits,
 * values) and their bitsets over the population (docs/metrics.md,
 * "Pattern discovery").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "patterns_int.h"
#include "../core/buf.h"

#define MAX_ORDERED 8 /* bands of an ordered attribute */

/* The k-th smallest of v[0..n-1] (v is reordered). */
double
cl__select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return v[k];
}

static level *
add_level(search *x, int attr, uint64_t mask, int32_t str, const char *op,
          const char *value)
{
    if (cl_grow(&x->lv, &x->caplv, x->nlv + 1, sizeof *x->lv) != CL_OK)
        return NULL;
    level *l = &x->lv[x->nlv++];
    memset(l, 0, sizeof *l);
    l->attr = attr;
    l->mask = mask;
    l->str = str;
    snprintf(l->op, sizeof l->op, "%s", op);
    snprintf(l->value, sizeof l->value, "%s", value);
    return l;
}

static void
fmt_num(char *out, size_t len, double v)
{
    if (v == floor(v))
        snprintf(out, len, "%.0f", v);
    else
        snprintf(out, len, "%.2f", v);
}

/*
 * The levels of an ordered attribute of k bands: each band, then the
 * splits "below band j" and "band j or above".  edge[i] is band i's lower
 * bound (i >= 1); step is the unit below an edge (1, or 0.01 for money);
 * names (champion levels) replace numbers when given.
 */
static cl_err
ordered_levels(search *x, int attr, int k, const double *edge, double step,
               const char *const *names)
{
    char v[48], lo[24], hi[24];
    for (int i = 0; i < k; i++) {
        const char *op = names ? "=" : i == 0 ? "<" : i == k - 1 ? ">=" : "in";
        if (names)
            snprintf(v, sizeof v, "%s", names[i]);
        else if (i == 0)
            fmt_num(v, sizeof v, edge[1]);
        else if (i == k - 1)
            fmt_num(v, sizeof v, edge[i]);
        else {
            fmt_num(lo, sizeof lo, edge[i]);
            fmt_num(hi, sizeof hi, edge[i + 1] - step);
            snprintf(v, sizeof v, "%s-%s", lo, hi);
        }
        if (!add_level(x, attr, 1ull << i, -1, op, v))
            return CL_ENOMEM;
    }
    /* The ordered splits only for champion_level at director: the splits of
       the number bands mostly restate a band's pattern with more people
       (docs/metrics.md). */
    if (names == NULL)
        return CL_OK;
    for (int j = 1; j + 1 < k; j++) {
        if (j != 1)
            continue;
        if (names)
            snprintf(v, sizeof v, "%s", names[j + 1]);
        else
            fmt_num(v, sizeof v, edge[j + 1]);
        if (!add_level(x, attr, (2ull << j) - 1, -1, "<", v))
            return CL_ENOMEM;
    }
    for (int j = 2; j < 3; j++) {
        if (names)
            snprintf(v, sizeof v, "%s", names[j]);
        else
            fmt_num(v, sizeof v, edge[j]);
        if (!add_level(x, attr, ((1ull << k) - 1) & ~((1ull << j) - 1), -1,
                       ">=", v))
            return CL_ENOMEM;
    }
    return CL_OK;
}

/* Member i's code for attribute attr: a band, 0/1, or a string index; -1
   when unknown.  Writes the ARR quartile edges into arr_edge first. */
static void
codes(search *x, int attr, const double *arr_edge)
{
    const cl_snapshot *s = x->s;
    for (size_t i = 0; i < x->N; i++) {
        int32_t a = x->acc[i], d = x->deal[i], c = -1;
        switch (attr) {
        case CL__PA_EMPLOYEES:
            c = a < 0 ? -1 : cl_band_employees(s->account_employees[a]);
            break;
        case CL__PA_INDUSTRY:
            c = a < 0 ? -1 : s->account_industry[a];
            break;
        case CL__PA_REGION:
            c = a < 0 ? -1 : s->account_region[a];
            break;
        case CL__PA_HAS_OPS:
            c = a < 0 ? -1 : s->account_has_ops[a];
            break;
        case CL__PA_SOURCE:
            c = d < 0 ? -1 : s->deal_source[d];
            break;
        case CL__PA_USE_CASE:
            c = d < 0 ? -1 : s->deal_use_case[d];
            break;
        case CL__PA_CHAMPION_LEVEL:
            c = d < 0 ? -1 : s->deal_champion_level[d];
            break;
        case CL__PA_TENURE:
            c = d < 0 ? -1 : cl_band_tenure(s->deal_champion_tenure[d]);
            break;
        case CL__PA_EXEC_SPONSOR:
            c = d < 0 ? -1 : s->deal_exec_sponsor[d];
            break;
        case CL__PA_ICP_FIT:
            c = d < 0 ? -1 : cl_band_icp_fit(s->deal_icp_fit[d]);
            break;
        case CL__PA_PROMISES:
            c = cl_deal_promises(s, d);
            break;
        case CL__PA_GUT_READ:
            c = cl_deal_gut_read(s, d);
            break;
        case CL__PA_ARR:
            if (d >= 0 && !isnan(s->deal_arr[d])) {
                double v = s->deal_arr[d];
                c = (v >= arr_edge[1]) + (v >= arr_edge[2]) +
                    (v >= arr_edge[3]);
            }
            break;
        }
        x->code[i] = c;
    }
}

int
cl__is_text_attr(int attr)
{
    return attr == CL__PA_INDUSTRY || attr == CL__PA_REGION ||
           attr == CL__PA_SOURCE || attr == CL__PA_USE_CASE;
}

static int
cmp_str(const void *a, const void *b, void *ud)
{
    const cl_snapshot *s = ud;
    return strcmp(s->strings[*(const int32_t *)a],
                  s->strings[*(const int32_t *)b]);
}

/* qsort_r is not C11; a small insertion sort keeps text values in order. */
static void
sort_strings(int32_t *v, size_t n, const cl_snapshot *s)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp_str(&v[j - 1], &v[j], (void *)s) > 0;
             j--) {
            int32_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

/*
 * Population counts.  Built without -mpopcnt (the binary runs on any
 * x86-64), __builtin_popcountll is a call to libgcc's table-driven
 * __popcountdi2, 3-4% of a report that searches patterns.  Where the CPU
 * has the popcnt instruction a copy of the loop compiled for
 * it runs; elsewhere a branch-free SWAR count.
 */
static inline size_t
swar_count(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (size_t)((x * 0x0101010101010101ull) >> 56);
}

#define AND_COUNTS_LOOP(count)                                                 \
    do {                                                                       \
        size_t cn = 0, ct = 0;                                                 \
        for (size_t i = 0; i < w; i++) {                                       \
            uint64_t v = a[i] & b[i];                                          \
            if (out)                                                           \
                out[i] = v;                                                    \
            cn += count(v);                                                    \
            if (target)                                                        \
                ct += count(v & target[i]);                                    \
        }                                                                      \
        *n = cn;                                                               \
        if (t)                                                                 \
            *t = ct;                                                           \
    } while (0)

static void
and_counts_swar(const uint64_t *a, const uint64_t *b, const uint64_t *target,
                uint64_t *out, size_t w, size_t *n, size_t *t)
{
    AND_COUNTS_LOOP(swar_count);
}

#if defined(__x86_64__) && defined(__GNUC__)
#define POPCNT_COUNT(v) ((size_t)__builtin_popcountll(v))
__attribute__((target("popcnt"))) static void
and_counts_popcnt(const uint64_t *a, const uint64_t *b, const uint64_t *target,
                  uint64_t *out, size_t w, size_t *n, size_t *t)
{
    AND_COUNTS_LOOP(POPCNT_COUNT);
}
#endif

void
cl__and_counts(const uint64_t *a, const uint64_t *b, const uint64_t *target,
               uint64_t *out, size_t w, size_t *n, size_t *t)
{
#if defined(__x86_64__) && defined(__GNUC__)
    /* A load of a flag set when the program starts, not a cpuid. */
    if (__builtin_cpu_supports("popcnt")) {
        and_counts_popcnt(a, b, target, out, w, n, t);
        return;
    }
#endif
    and_counts_swar(a, b, target, out, w, n, t);
}

size_t
cl__popcount_and(const uint64_t *a, const uint64_t *b, size_t w)
{
    size_t n;
    cl__and_counts(a, b, NULL, NULL, w, &n, NULL);
    return n;
}

/* Builds the levels of one attribute with their bitsets, keeping those
   with enough support that are not everyone and not a copy of another. */
cl_err
cl__pattern_levels(search *x, int attr)
{
    const cl_snapshot *s = x->s;
    size_t first = x->nlv;
    double edge[MAX_ORDERED] = {0};
    cl_err rc = CL_OK;
    int32_t *map = NULL;

    if (attr == CL__PA_ARR) {
        double *v = malloc((x->N + 1) * sizeof *v);
        size_t m = 0;
        if (v == NULL)
            return CL_ENOMEM;
        for (size_t i = 0; i < x->N; i++)
            if (x->deal[i] >= 0 && !isnan(s->deal_arr[x->deal[i]]))
                v[m++] = s->deal_arr[x->deal[i]];
        for (int j = 1; j <= 3 && m > 0; j++)
            edge[j] = cl__select_kth(v, m, m * (size_t)j / 4);
        free(v);
        if (m == 0)
            return CL_OK;
    }
    codes(x, attr, edge);
    if (cl__is_text_attr(attr)) {
        size_t *cnt = calloc(s->nstrings + 1, sizeof *cnt);
        int32_t *vals = malloc((s->nstrings + 1) * sizeof *vals);
        map = malloc((s->nstrings + 1) * sizeof *map);
        size_t nv = 0;
        if (cnt == NULL || vals == NULL || map == NULL) {
            free(cnt);
            free(vals);
            free(map);
            return CL_ENOMEM;
        }
        for (size_t i = 0; i < x->N; i++)
            if (x->code[i] >= 0)
                cnt[x->code[i]]++;
        for (size_t i = 0; i < s->nstrings; i++) {
            map[i] = -1;
            if (cnt[i] >= x->minsup && cnt[i] < x->N &&
                strlen(s->strings[i]) < sizeof x->lv->value)
                vals[nv++] = (int32_t)i;
        }
        sort_strings(vals, nv, s);
        for (size_t i = 0; i < nv && rc == CL_OK; i++) {
            map[vals[i]] = (int32_t)(x->nlv - first);
            if (!add_level(x, attr, 0, vals[i], "=", s->strings[vals[i]]))
                rc = CL_ENOMEM;
        }
        free(cnt);
        free(vals);
    } else if (attr == CL__PA_HAS_OPS || attr == CL__PA_EXEC_SPONSOR) {
        if (!add_level(x, attr, 1, -1, "=", "false") ||
            !add_level(x, attr, 2, -1, "=", "true"))
            rc = CL_ENOMEM;
    } else if (attr == CL__PA_PROMISES) {
        if (!add_level(x, attr, 1, -1, "=", cl_promises_values[0]) ||
            !add_level(x, attr, 2, -1, "=", cl_promises_values[1]))
            rc = CL_ENOMEM;
    } else if (attr == CL__PA_GUT_READ) {
        for (int i = 0; cl_gut_reads[i] && rc == CL_OK; i++)
            if (!add_level(x, attr, 1ull << i, -1, "=", cl_gut_reads[i]))
                rc = CL_ENOMEM;
    } else if (attr == CL__PA_CHAMPION_LEVEL) {
        rc = ordered_levels(x, attr, 5, edge, 1, cl_champion_levels);
    } else if (attr == CL__PA_EMPLOYEES) {
        const double e[] = {0, 20, 50, 200, 1000};
        rc = ordered_levels(x, attr, 5, e, 1, NULL);
    } else if (attr == CL__PA_TENURE) {
        const double e[] = {0, 6, 12, 24};
        rc = ordered_levels(x, attr, 4, e, 1, NULL);
    } else if (attr == CL__PA_ICP_FIT) {
        const double e[] = {0, 40, 70};
        rc = ordered_levels(x, attr, 3, e, 1, NULL);
    } else if (attr == CL__PA_ARR) {
        rc = ordered_levels(x, attr, 4, edge, 0.01, NULL);
    }
    size_t nnew = x->nlv - first;
    uint64_t *bits =
        rc == CL_OK && nnew ? calloc(nnew * x->W + 1, sizeof *bits) : NULL;
    if (rc != CL_OK || (nnew && bits == NULL)) {
        free(map);
        x->nlv = first;
        return CL_ENOMEM;
    }
    for (size_t l = 0; l < nnew; l++)
        x->lv[first + l].bits = bits + l * x->W;
    for (size_t i = 0; i < x->N; i++) {
        int32_t c = x->code[i];
        if (c < 0)
            continue;
        uint64_t bit = 1ull << (i % 64);
        if (map) {
            if (map[c] >= 0)
                x->lv[first + map[c]].bits[i / 64] |= bit;
            continue;
        }
        for (size_t l = 0; l < nnew; l++)
            if (x->lv[first + l].mask >> c & 1)
                x->lv[first + l].bits[i / 64] |= bit;
    }
    free(map);
    x->block[attr] = bits;
    /* Keep the useful levels. */
    size_t keep = first;
    for (size_t l = first; l < first + nnew; l++) {
        level *v = &x->lv[l];
        v->n = cl__popcount_and(v->bits, v->bits, x->W);
        v->t = cl__popcount_and(v->bits, x->target, x->W);
        int dup = 0;
        for (size_t k = first; k < keep && !dup; k++)
            dup = x->lv[k].n == v->n &&
                  memcmp(x->lv[k].bits, v->bits, x->W * 8) == 0;
        if (v->n >= x->minsup && v->n < x->N && !dup)
            x->lv[keep++] = *v;
    }
    x->nlv = keep;
    return CL_OK;
}
