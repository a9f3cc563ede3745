/*
 * patterns.c - subgroup discovery (docs/metrics.md, "Pattern discovery").
 *
 * Each attribute is cut into levels (bands, the ordered splits between
 * them, or one value), each level is a bitset over the population, and a
 * candidate's counts are popcounts of ANDed bitsets, so a million members
 * cost 15,625 words per candidate.  Every single level and every pair of
 * levels on different attributes is tested; triples extend the best BEAM
 * pairs whose optimistic estimate can still reach the top list.  All
 * candidates tested form the Benjamini-Hochberg family.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "patterns_int.h"
#include "stats.h"
#include "../core/buf.h"

#define BEAM 32
#define LIFT_GAIN 1.10     /* a specialisation must beat its parent's lift */
#define MAX_OVERLAP 0.8    /* Jaccard of members above which two are one */
#define OVERLAP_WORDS 1024 /* members sampled for the overlap: 65,536 */

const char *
cl_pattern_target_name(cl_pattern_target t)
{
    static const char *const names[] = {"churn", "recovery", "lost"};
    return (unsigned)t < 3 ? names[t] : "unknown";
}

int
cl_pattern_target_parse(const char *name)
{
    for (int t = 0; name && t < 3; t++)
        if (strcmp(name, cl_pattern_target_name((cl_pattern_target)t)) == 0)
            return t;
    return -1;
}

static int
before(cl_day d, cl_day today)
{
    return today == CL_DAY_NONE || d <= today;
}

/* Fills acc, deal and target with the population of docs/metrics.md. */
static cl_err
population(search *x, const cl_pattern_opts *o)
{
    const cl_snapshot *s = x->s;
    size_t cap = (o->target == CL_TARGET_CHURN ? s->naccounts : s->ndeals) + 1;
    uint8_t *tg = calloc(cap, 1), *rec = NULL;
    x->acc = malloc(cap * sizeof *x->acc);
    x->deal = malloc(cap * sizeof *x->deal);
    if (o->target == CL_TARGET_RECOVERY &&
        (rec = calloc(s->ndeals + 1, 1)) != NULL)
        for (size_t r = 0; r < s->nrecoveries; r++) {
            int32_t d = s->recovery_original[r];
            cl_day on = s->recovery_logged_on[r];
            if (d >= 0 && (on == CL_DAY_NONE || before(on, o->today)))
                rec[d] = 1;
        }
    if (tg == NULL || x->acc == NULL || x->deal == NULL ||
        (o->target == CL_TARGET_RECOVERY && rec == NULL)) {
        free(tg);
        free(rec);
        return cl_error_set(x->err, CL_ENOMEM, "out of memory");
    }
    size_t n = 0;
    if (o->target == CL_TARGET_CHURN) {
        for (size_t a = 0; a < s->naccounts; a++) {
            cl_day st = s->account_start[a];
            int32_t c = s->account_first_churn[a];
            cl_day ch = c >= 0 ? s->churn_on[c] : CL_DAY_NONE;
            if (st == CL_DAY_NONE || !before(st, o->today))
                continue;
            int churned;
            if (o->has_period) {
                if (st >= o->period.first ||
                    (ch != CL_DAY_NONE && ch < o->period.first))
                    continue;
                churned = ch != CL_DAY_NONE && ch <= o->period.last &&
                          before(ch, o->today);
            } else {
                churned = ch != CL_DAY_NONE && before(ch, o->today);
            }
            x->acc[n] = (int32_t)a;
            x->deal[n] = s->account_start_deal[a];
            tg[n++] = (uint8_t)churned;
        }
    } else {
        for (size_t d = 0; d < s->ndeals; d++) {
            cl_day cl = s->deal_closed_on[d];
            int st = s->deal_state[d];
            if (s->deal_type[d] != 0 || cl == CL_DAY_NONE ||
                !before(cl, o->today) || st == CL_DEAL_OPEN ||
                (o->target == CL_TARGET_RECOVERY && st != CL_DEAL_LOST) ||
                (o->has_period &&
                 (cl < o->period.first || cl > o->period.last)))
                continue;
            x->acc[n] = s->deal_account[d];
            x->deal[n] = (int32_t)d;
            tg[n++] = o->target == CL_TARGET_LOST ? st == CL_DEAL_LOST : rec[d];
        }
    }
    x->N = n;
    x->W = (n + 63) / 64;
    x->target = calloc(x->W + 1, sizeof *x->target);
    if (x->target == NULL) {
        free(tg);
        free(rec);
        return cl_error_set(x->err, CL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        if (tg[i]) {
            x->target[i / 64] |= 1ull << (i % 64);
            x->T++;
        }
    free(tg);
    free(rec);
    return CL_OK;
}

static cl_err
add_cand(search *x, const int16_t *lv, int k, size_t n, size_t t)
{
    if (cl_grow(&x->c, &x->capc, x->nc + 1, sizeof *x->c) != CL_OK)
        return CL_ENOMEM;
    cand *c = &x->c[x->nc++];
    memset(c, 0, sizeof *c);
    memcpy(c->lv, lv, (size_t)k * sizeof *lv);
    c->k = (uint8_t)k;
    c->n = n;
    c->t = t;
    c->quality = ((double)t - (double)n * x->base) / (double)x->N;
    return cl_stats_fisher_2x2(t, n - t, x->T - t, x->N - n - (x->T - t), &c->p,
                               x->err);
}

/* Counts of the AND of a and b: members into *n, targets into *t; the AND
   itself into out when out is not NULL. */
static void
and_counts(const search *x, const uint64_t *a, const uint64_t *b, uint64_t *out,
           size_t *n, size_t *t)
{
    cl__and_counts(a, b, x->target, out, x->W, n, t);
}

static int
by_quality(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->quality != b->quality)
        return a->quality > b->quality ? -1 : 1;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    if (a->k != b->k)
        return a->k < b->k ? -1 : 1;
    for (int i = 0; i < a->k; i++)
        if (a->lv[i] != b->lv[i])
            return a->lv[i] < b->lv[i] ? -1 : 1;
    return 0;
}

static int
by_quality_idx(const void *pa, const void *pb, const cand *c)
{
    return by_quality(&c[*(const size_t *)pa], &c[*(const size_t *)pb]);
}

/* Tests the triples: the BEAM best pairs (by quality, among those whose
   optimistic estimate t/N * (1 - base) can still beat the max_patterns-th
   best quality so far), each with every level of a third attribute. */
static cl_err
level3(search *x, size_t max_patterns)
{
    size_t n2 = 0, *idx = malloc((x->nc + 1) * sizeof *idx);
    double *qs = malloc((x->nc + 1) * sizeof *qs);
    size_t hsize = 1;
    while (hsize < 4 * BEAM * (x->nlv + 1))
        hsize *= 2;
    uint64_t *seen = calloc(hsize, sizeof *seen);
    uint64_t *buf = malloc((x->W + 1) * sizeof *buf);
    cl_err rc = CL_OK;
    if (!idx || !qs || !seen || !buf) {
        rc = CL_ENOMEM;
        goto out;
    }
    /* The quality a triple must beat to enter the top list. */
    size_t nq = 0;
    for (size_t i = 0; i < x->nc; i++)
        if (x->c[i].quality > 0)
            qs[nq++] = -x->c[i].quality;
    double bar =
        nq >= max_patterns ? -cl__select_kth(qs, nq, max_patterns - 1) : 0.0;
    for (size_t i = 0; i < x->nc; i++)
        if (x->c[i].k == 2 && x->c[i].quality > 0 &&
            (double)x->c[i].t * (1 - x->base) / (double)x->N > bar)
            idx[n2++] = i;
    /* Selection of the BEAM best pairs (n2 is small). */
    for (size_t i = 0; i < n2 && i < BEAM; i++)
        for (size_t j = i + 1; j < n2; j++)
            if (by_quality_idx(&idx[j], &idx[i], x->c) < 0) {
                size_t t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
    if (n2 > BEAM)
        n2 = BEAM;
    for (size_t b = 0; b < n2 && rc == CL_OK; b++) {
        cand pair = x->c[idx[b]];
        size_t n, t;
        and_counts(x, x->lv[pair.lv[0]].bits, x->lv[pair.lv[1]].bits, buf, &n,
                   &t);
        for (size_t l = 0; l < x->nlv && rc == CL_OK; l++) {
            int a = x->lv[l].attr;
            if (a == x->lv[pair.lv[0]].attr || a == x->lv[pair.lv[1]].attr)
                continue;
            int16_t tri[3] = {pair.lv[0], pair.lv[1], (int16_t)l};
            for (int i = 2; i > 0 && tri[i] < tri[i - 1]; i--) {
                int16_t tmp = tri[i];
                tri[i] = tri[i - 1];
                tri[i - 1] = tmp;
            }
            uint64_t key = ((uint64_t)tri[0] + 1) << 40 |
                           ((uint64_t)tri[1] + 1) << 20 |
                           ((uint64_t)tri[2] + 1);
            size_t h = (size_t)(key * 0x9E3779B97F4A7C15ull) & (hsize - 1);
            while (seen[h] && seen[h] != key)
                h = (h + 1) & (hsize - 1);
            if (seen[h] == key)
                continue;
            seen[h] = key;
            and_counts(x, buf, x->lv[l].bits, NULL, &n, &t);
            if (n >= x->minsup && n < x->N)
                rc = add_cand(x, tri, 3, n, t);
        }
    }
out:
    free(idx);
    free(qs);
    free(seen);
    free(buf);
    return rc;
}

/* 1 if level a's members are all members of level b by definition. */
static int
level_within(const search *x, int a, int b)
{
    const level *la = &x->lv[a], *lb = &x->lv[b];
    return a == b || (la->attr == lb->attr && !cl__is_text_attr(la->attr) &&
                      (la->mask & ~lb->mask) == 0);
}

/* 1 if c only narrows k (each condition of k has one in c within it). */
static int
specialises(const search *x, const cand *c, const cand *k)
{
    for (int i = 0; i < k->k; i++) {
        int found = 0;
        for (int j = 0; j < c->k && !found; j++)
            found = level_within(x, c->lv[j], k->lv[i]);
        if (!found)
            return 0;
    }
    return 1;
}

static uint64_t
cand_key(const int16_t *lv, int k)
{
    uint64_t key = 0;
    for (int i = 0; i < k; i++)
        key = key << 20 | ((uint64_t)lv[i] + 1);
    return key;
}

/*
 * Marks (k = 0) the conjunctions that are not productive: those whose lift
 * is not LIFT_GAIN times the lift of each of their generalisations with one
 * condition fewer, so that a condition nearly everyone meets ("a champion
 * below C-level") never rides along with a real pattern.
 */
static cl_err
productive(search *x)
{
    size_t hsize = 1;
    while (hsize < 2 * x->nc + 2)
        hsize *= 2;
    uint64_t *keys = calloc(hsize, sizeof *keys);
    size_t *at = malloc(hsize * sizeof *at);
    uint8_t *drop = calloc(x->nc + 1, 1);
    if (!keys || !at || !drop) {
        free(keys);
        free(at);
        free(drop);
        return CL_ENOMEM;
    }
    for (size_t i = 0; i < x->nc; i++) {
        uint64_t key = cand_key(x->c[i].lv, x->c[i].k);
        size_t h = (size_t)(key * 0x9E3779B97F4A7C15ull) & (hsize - 1);
        while (keys[h])
            h = (h + 1) & (hsize - 1);
        keys[h] = key;
        at[h] = i;
    }
    for (size_t i = 0; i < x->nc; i++) {
        const cand *c = &x->c[i];
        double lift = (double)c->t / (double)c->n;
        for (int leave = 0; c->k > 1 && leave < c->k && !drop[i]; leave++) {
            int16_t sub[2];
            int m = 0;
            for (int j = 0; j < c->k; j++)
                if (j != leave)
                    sub[m++] = c->lv[j];
            uint64_t key = cand_key(sub, m);
            size_t h = (size_t)(key * 0x9E3779B97F4A7C15ull) & (hsize - 1);
            while (keys[h] && keys[h] != key)
                h = (h + 1) & (hsize - 1);
            if (keys[h] != key)
                continue;
            const cand *g = &x->c[at[h]];
            drop[i] = lift < (double)g->t / (double)g->n * LIFT_GAIN;
        }
    }
    for (size_t i = 0; i < x->nc; i++)
        if (drop[i])
            x->c[i].k = 0;
    free(keys);
    free(at);
    free(drop);
    return CL_OK;
}

static cl_err
search_all(search *x, const cl_pattern_opts *o, cl_pattern_result *r)
{
    cl_err rc = CL_OK;
    size_t maxp = o->max_patterns ? o->max_patterns : 20;
    double maxq = o->max_q > 0 ? o->max_q : 0.05;
    for (int a = 0; a < CL__PA_COUNT && rc == CL_OK; a++)
        if (a != CL__PA_GUT_READ || o->private_answers)
            rc = cl__pattern_levels(x, a);
    for (size_t i = 0; i < x->nlv && rc == CL_OK; i++) {
        int16_t one[1] = {(int16_t)i};
        rc = add_cand(x, one, 1, x->lv[i].n, x->lv[i].t);
    }
    for (size_t i = 0; i < x->nlv && rc == CL_OK; i++)
        for (size_t j = i + 1; j < x->nlv && rc == CL_OK; j++) {
            size_t n, t;
            if (x->lv[i].attr == x->lv[j].attr)
                continue;
            and_counts(x, x->lv[i].bits, x->lv[j].bits, NULL, &n, &t);
            int16_t two[2] = {(int16_t)i, (int16_t)j};
            if (n >= x->minsup && n < x->N)
                rc = add_cand(x, two, 2, n, t);
        }
    if (rc == CL_OK)
        rc = level3(x, maxp);
    if (rc != CL_OK)
        return rc;
    r->tested = x->nc;
    double *p = malloc((x->nc + 1) * sizeof *p);
    if (p == NULL)
        return CL_ENOMEM;
    for (size_t i = 0; i < x->nc; i++)
        p[i] = x->c[i].p;
    rc = cl_stats_bh(p, x->nc, p, x->err);
    for (size_t i = 0; i < x->nc && rc == CL_OK; i++)
        x->c[i].q = p[i];
    free(p);
    if (rc != CL_OK)
        return rc;
    if ((rc = productive(x)) != CL_OK)
        return rc;
    /* The significant over-represented candidates, best first. */
    size_t ns = 0;
    for (size_t i = 0; i < x->nc; i++)
        if (x->c[i].quality > 0 && x->c[i].q < maxq && x->c[i].k > 0)
            x->c[ns++] = x->c[i];
    if (ns > 1) /* x->c is NULL when nothing was tested */
        qsort(x->c, ns, sizeof *x->c, by_quality);
    r->patterns = calloc(maxp, sizeof *r->patterns);
    size_t *kept = malloc(maxp * sizeof *kept);
    if (r->patterns == NULL || kept == NULL) {
        free(kept);
        return CL_ENOMEM;
    }
    size_t nk = 0, sw = x->W < OVERLAP_WORDS ? x->W : OVERLAP_WORDS;
    uint64_t *cover = malloc((maxp + 1) * sw * sizeof *cover);
    if (cover == NULL) {
        free(kept);
        return CL_ENOMEM;
    }
    for (size_t i = 0; i < ns && nk < maxp; i++) {
        const cand *c = &x->c[i];
        double lift = (double)c->t / (double)c->n / x->base;
        int redundant = 0;
        for (size_t k = 0; k < nk && !redundant; k++) {
            const cand *kc = &x->c[kept[k]];
            double klift = (double)kc->t / (double)kc->n / x->base;
            redundant = specialises(x, c, kc) && lift < klift * LIFT_GAIN;
        }
        /* Much the same members as a better one (correlated attributes
           describing one group): measured on the first sw words. */
        uint64_t *mine = cover + nk * sw;
        for (size_t w = 0; w < sw; w++) {
            uint64_t v = ~0ull;
            for (int j = 0; j < c->k; j++)
                v &= x->lv[c->lv[j]].bits[w];
            mine[w] = v;
        }
        for (size_t k = 0; k < nk && !redundant; k++) {
            size_t both = cl__popcount_and(mine, cover + k * sw, sw);
            size_t a = cl__popcount_and(mine, mine, sw);
            size_t b = cl__popcount_and(cover + k * sw, cover + k * sw, sw);
            redundant = a + b - both > 0 &&
                        (double)both > MAX_OVERLAP * (double)(a + b - both);
        }
        if (redundant)
            continue;
        kept[nk] = i;
        cl_pattern *pt = &r->patterns[nk++];
        pt->nconditions = c->k;
        for (int j = 0; j < c->k; j++) {
            const level *l = &x->lv[c->lv[j]];
            pt->conditions[j] =
                (cl_condition){cl__pattern_fields[l->attr], l->op, l->value,
                               l->attr, c->lv[j]};
        }
        pt->count = c->n;
        pt->target_count = c->t;
        pt->rate = (double)c->t / (double)c->n;
        pt->lift = lift;
        pt->p_value = c->p;
        pt->q_value = c->q;
        pt->quality = c->quality;
        cl__pattern_describe(pt, o->target, x->base);
    }
    free(kept);
    free(cover);
    r->npatterns = nk;
    return CL_OK;
}

cl_err
cl_patterns_find(const cl_snapshot *s, const cl_pattern_opts *o,
                 cl_pattern_result *out, cl_error *err)
{
    search x = {.s = s, .err = err};
    cl_err rc;
    memset(out, 0, sizeof *out);
    if ((unsigned)o->target > CL_TARGET_LOST)
        return cl_error_set(err, CL_EINVAL, "patterns: unknown target");
    out->target = o->target;
    out->has_period = o->has_period;
    out->period = o->period;
    out->base_rate = NAN;
    if ((out->in = calloc(1, sizeof *out->in)) == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    if ((rc = population(&x, o)) != CL_OK)
        goto out;
    out->population = x.N;
    out->targets = x.T;
    x.minsup = o->min_support;
    if (x.minsup == 0) {
        size_t pct = (x.N + 99) / 100;
        x.minsup = pct > 10 ? pct : 10;
    }
    out->min_support = x.minsup;
    if (x.N == 0)
        goto out;
    x.base = (double)x.T / (double)x.N;
    out->base_rate = x.base;
    if (x.T == 0 || x.T == x.N)
        goto out;
    if ((x.code = malloc(x.N * sizeof *x.code)) == NULL) {
        rc = CL_ENOMEM;
        goto out;
    }
    rc = search_all(&x, o, out);
out:
    for (int a = 0; a < CL__PA_COUNT; a++)
        free(x.block[a]);
    for (size_t i = 0; i < x.nlv; i++)
        x.lv[i].bits = NULL;
    out->in->lv = x.lv;
    out->in->nlv = x.nlv;
    free(x.acc);
    free(x.deal);
    free(x.target);
    free(x.code);
    free(x.c);
    if (rc == CL_ENOMEM && err->code != CL_ENOMEM)
        cl_error_set(err, CL_ENOMEM, "out of memory");
    if (rc != CL_OK)
        cl_patterns_free(out);
    return rc;
}

void
cl_patterns_free(cl_pattern_result *r)
{
    if (r->in)
        free(r->in->lv);
    free(r->in);
    free(r->patterns);
    r->in = NULL;
    r->patterns = NULL;
    r->npatterns = 0;
}
