/*
 * demo_sim.c - the PRNG and the simulated life of one account:
 * its deals, churn, recovery and review, from (seed, account index) alone
 * (the demo generator: demo.c; shared types in demo_int.h).
 */
#include "demo_int.h"

#include <math.h>
#include <string.h>

/* ---- PRNG: splitmix64 seeds xoshiro256** ------------------------------ */

static uint64_t
splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void
cl__demo_rng_seed(rng *r, uint64_t seed, uint64_t stream, uint64_t sub)
{
    uint64_t x =
        seed ^ (stream * 0xd1b54a32d192ed03ULL) ^ (sub * 0x8cb92ba72f3d8dd7ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

/* Uniform in [0, 1). */
static double
unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [lo, hi]; lo when hi < lo. */
int
cl__demo_range(rng *r, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

int
cl__demo_chance(rng *r, double p)
{
    return unit(r) < p;
}

double
cl__demo_normal(rng *r)
{
    double u = unit(r), v = unit(r);
    return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

/* An index into w[0..n-1] with probability proportional to w[i]. */
int
cl__demo_pick_w(rng *r, const int *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    int x = cl__demo_range(r, 0, total - 1);
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/* ---- weights ------------------------------------------------------------ */

static const int industry_w[] = {24, 14, 12, 12, 12, 10, 8, 8};
static const int region_w[] = {45, 30, 15, 10};
static const int source_w[] = {40, 35, 15, 10};
static const int use_case_w[] = {30, 25, 15, 20, 10};
static const int champ_w[] = {15, 30, 30, 17, 8};
const char *const cl__demo_open_stages[CL__DEMO_NSTAGES] = {
    "discovery", "demo", "proposal", "negotiation"};
const int cl__demo_loss_w[CL__DEMO_NLOSS] = {22, 24, 22, 10, 14, 8};

/* ---- the simulated life of one account ---------------------------------- */

int
cl__demo_qkey(cl_day d)
{
    cl_period p = cl_period_of(CL_PERIOD_QUARTER, d);
    return p.year * 4 + p.index - 1;
}

int
cl__demo_mkey(cl_day d)
{
    int y, m, dd;
    cl_date_ymd(d, &y, &m, &dd);
    return y * 12 + m - 1;
}

static int
round100(double x)
{
    return (int)(llround(x / 100.0) * 100);
}

static int
clampi(int x, int lo, int hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Outside the ICP version in effect on day: v1 employees >= 20, v2
   employees >= 50 and has_ops_function = true. */
int
cl__demo_outside_icp(const gen *g, const acct *a, cl_day day)
{
    if (day < g->icp2_on)
        return a->employees < 20;
    return a->employees < 50 || !a->ops;
}

void
cl__demo_deal_attrs(rng *r, const acct *a, deal *d)
{
    d->source = cl__demo_pick_w(r, source_w, NELEM(source_w));
    d->level = cl__demo_pick_w(r, champ_w, NELEM(champ_w));
    d->tenure = cl__demo_chance(r, 0.25)
                    ? cl__demo_range(r, 0, 5)
                    : 6 + (int)fmin(114, -log(1 - unit(r)) * 30);
    d->exec = cl__demo_chance(r, 0.6);
    d->use_case = cl__demo_pick_w(r, use_case_w, NELEM(use_case_w));
    double s = 50 + 12 * (log(a->employees) - 3.5) + (a->ops ? 12 : -12) +
               cl__demo_normal(r) * 10;
    d->score = clampi((int)lround(s), 0, 100);
    double arr = 1100 * pow(a->employees, 0.7) * exp(cl__demo_normal(r) * 0.35);
    d->arr = clampi(round100(arr), 1000, 250000);
    d->loss = -1;
    d->demo = d->closed = d->kickoff = NODAY;
}

/* A later deal with the same account keeps the first deal's champion, use
   case and fit score; the champion has been in the role longer by then. */
static void
follow_on(deal *d, const deal *d0, cl_day created)
{
    d->source = d0->source;
    d->level = d0->level;
    d->exec = d0->exec;
    d->use_case = d0->use_case;
    d->score = d0->score;
    d->created = created;
    d->tenure = clampi(d0->tenure + (created - d0->closed) / 30, 0, 600);
}

static deal *
add_deal(acct *a, int type)
{
    deal *d = &a->d[a->nd++];
    memset(d, 0, sizeof *d);
    d->type = type;
    d->loss = -1;
    d->demo = d->closed = d->kickoff = NODAY;
    return d;
}

/* A first demo some days after created, never after closed (or end). */
cl_day
cl__demo_demo_day(rng *r, cl_day created, cl_day last)
{
    int gap = cl__demo_chance(r, 0.12) ? cl__demo_range(r, 46, 90)
                                       : cl__demo_range(r, 2, 30);
    if (created + gap > last)
        gap = cl__demo_range(r, 0, last - created);
    return created + gap;
}

static void
add_mov(acct *a, cl_day on, int kind, int amount)
{
    if (a->nm >= MAXM || amount <= 0)
        return;
    for (int i = 0; i < a->nm; i++)
        if (a->m[i].on == on && a->m[i].kind == kind)
            return;
    a->m[a->nm++] = (mov){on, kind, amount};
}

/* The customer's life after the new deal d0 was won on a->since. */
static void
sim_customer(const gen *g, rng *r, acct *a, const deal *d0)
{
    cl_day w = a->since;
    double lam = 0.085;
    if (a->small)
        lam *= 4.5;
    if (d0->tenure < 6)
        lam *= 3.0;
    if (d0->score < 40)
        lam *= 1.15;
    int days = 30 + (int)(-log(1 - unit(r)) / lam * 365.0);
    cl_day churn = days > 4000 ? w + 4000 : w + days;
    a->churned = churn <= g->end;
    a->churn_on = churn;

    /* Reviews: fewer in the two low months; worried when churn comes. */
    double prate = 0.83;
    if (cl__demo_mkey(w) == g->low_month[0] ||
        cl__demo_mkey(w) == g->low_month[1])
        prate = 0.5;
    cl_day held = cl_cal_add_business_days(&g->cal, w, cl__demo_range(r, 1, 9));
    a->reviewed = cl__demo_chance(r, prate) && held <= g->end;
    a->review_on = held;
    static const int gw_churn[] = {20, 35, 45}, gw_ok[] = {55, 33, 12};
    a->gut = cl__demo_pick_w(r, churn - w < 540 ? gw_churn : gw_ok, 3);

    /* Renewals at each anniversary and up to two expansions, merged in date
       order so the running ARR is right at every step. */
    int cur = d0->arr;
    add_mov(a, w, 0, cur);
    cl_day exp_on[2];
    int nexp = cl__demo_chance(r, a->employees >= 200 ? 0.5 : 0.3)
                   ? (cl__demo_chance(r, 0.3) ? 2 : 1)
                   : 0;
    for (int i = 0; i < nexp; i++)
        exp_on[i] = w + cl__demo_range(r, 90, 700);
    if (nexp == 2 && exp_on[1] < exp_on[0]) {
        cl_day t = exp_on[0];
        exp_on[0] = exp_on[1];
        exp_on[1] = t;
    }
    if (nexp == 2 && exp_on[1] == exp_on[0])
        nexp = 1;
    int ei = 0;
    for (int k = 1; k <= 4; k++) {
        cl_day ann = cl_date_add_months(w, 12 * k);
        for (; ei < nexp && exp_on[ei] < ann; ei++) {
            cl_day on = exp_on[ei];
            cl_day created = on - cl__demo_range(r, 20, 60);
            if (created > g->end || created >= churn || a->nd >= MAXD)
                continue;
            deal *d = add_deal(a, D_EXPANSION);
            follow_on(d, d0, created);
            /* Deal sizes stay within 1,000-250,000, account ARR too. */
            d->arr = clampi(round100(cur * (0.1 + 0.4 * unit(r))), 1000,
                            250000 - cur);
            if (d->arr < 1000) {
                a->nd--;
                continue;
            }
            if (on <= g->end && on < churn) {
                d->stage = ST_WON;
                d->closed = on;
                d->demo = cl__demo_chance(r, 0.5)
                              ? cl__demo_demo_day(r, created, on)
                              : NODAY;
                cur += d->arr;
                add_mov(a, on, 1, d->arr);
            } else if (!a->churned && created >= g->end - 119) {
                d->stage = cl__demo_range(r, 1, 3);
            } else {
                a->nd--; /* would have closed before churn: drop it */
            }
        }
        if (ann >= churn || a->nd >= MAXD)
            break;
        cl_day created = ann - cl__demo_range(r, 30, 60);
        if (created > g->end)
            break;
        deal *d = add_deal(a, D_RENEWAL);
        follow_on(d, d0, created);
        if (ann <= g->end) {
            d->stage = ST_WON;
            d->closed = ann;
            if (cl__demo_chance(r, 0.12)) {
                int cut = round100(cur * (0.1 + 0.3 * unit(r)));
                if (cut > 0 && cur - cut >= 1000) {
                    cur -= cut;
                    add_mov(a, ann, 2, cut);
                }
            }
            d->arr = cur;
        } else {
            d->stage = cl__demo_range(r, 2, 3);
            d->arr = cur;
            break;
        }
    }
    a->churn_arr = cur;
    if (a->churned)
        add_mov(a, churn, 3, cur);
}

void
cl__demo_sim(const gen *g, int64_t idx, acct *a)
{
    rng r;
    cl__demo_rng_seed(&r, g->o->seed, 1, (uint64_t)idx);
    memset(a, 0, sizeof *a);
    a->idx = idx;
    a->won = a->rec_from = a->rec_to = -1;
    a->since = a->churn_on = a->rec_logged = NODAY;
    a->csm = -1;
    a->name_bits = rng_next(&r);
    a->industry = cl__demo_pick_w(&r, industry_w, NELEM(industry_w));
    a->region = cl__demo_pick_w(&r, region_w, NELEM(region_w));
    double e = exp(3.6 + 1.5 * cl__demo_normal(&r));
    a->employees = e < 1 ? 1 : e > 20000 ? 20000 : (int)lround(e);
    double pops = 0.05 + 0.12 * (log(a->employees) - 1.0);
    a->ops = cl__demo_chance(&r, pops < 0.05   ? 0.05
                                 : pops > 0.95 ? 0.95
                                               : pops);
    a->small = a->employees < 20 && !a->ops;
    a->ae = cl__demo_range(&r, 0, g->nae - 1);
    int csm = cl__demo_range(&r, 0, g->ncsm - 1);

    double u = unit(&r);
    int span = g->end - g->start;
    deal *d = add_deal(a, D_NEW);
    cl__demo_deal_attrs(&r, a, d);
    if (u < 0.35) {
        /* A lost prospect, some of whom come back later. */
        cl_day closed = g->start + 15 + cl__demo_range(&r, 0, span - 15);
        cl_day created = closed - cl__demo_range(&r, 15, 120);
        if (created < g->start)
            created = g->start;
        d->stage = ST_LOST;
        d->created = created;
        d->closed = closed;
        d->demo = cl__demo_chance(&r, 0.75)
                      ? cl__demo_demo_day(&r, created, closed)
                      : NODAY;
        d->loss = cl__demo_pick_w(&r, cl__demo_loss_w, NELEM(cl__demo_loss_w));
        cl_day back =
            cl_date_add_months(closed, 2) + cl__demo_range(&r, 0, 240);
        if (cl__demo_chance(&r, 0.22) && back <= g->end - 1) {
            /* The recovery type follows the original loss reason. */
            static const int tw[6][4] = {{15, 60, 10, 15}, {10, 75, 5, 10},
                                         {30, 35, 20, 15}, {10, 25, 5, 60},
                                         {20, 35, 35, 10}, {55, 25, 10, 10}};
            a->rec_from = 0;
            a->rec_type = cl__demo_pick_w(&r, tw[d->loss], 4);
            deal *n = add_deal(a, D_NEW);
            cl__demo_deal_attrs(&r, a, n);
            n->created = back;
            a->rec_to = 1;
            int cycle = cl__demo_range(&r, 20, 100);
            if (back + cycle > g->end) {
                n->stage = cl__demo_range(&r, 0, 3);
                if (n->stage > 0 && g->end > back)
                    n->demo = cl__demo_demo_day(&r, back, g->end);
                a->rec_logged = back + cl__demo_range(&r, 1, g->end - back);
            } else if (cl__demo_chance(&r, 0.72)) {
                n->stage = ST_WON;
                n->closed = back + cycle;
                n->demo = cl__demo_demo_day(&r, back, n->closed);
                a->rec_logged = n->closed + cl__demo_range(&r, 0, 14);
            } else {
                n->stage = ST_LOST;
                n->closed = back + cycle;
                n->demo = cl__demo_demo_day(&r, back, n->closed);
                n->loss = cl__demo_pick_w(&r, cl__demo_loss_w,
                                          NELEM(cl__demo_loss_w));
                a->rec_logged = back + cl__demo_range(&r, 1, 30);
            }
            if (a->rec_logged > g->end)
                a->rec_logged = g->end;
            a->csm = csm;
            if (n->stage == ST_WON)
                a->won = 1;
        }
    } else if (u < 0.42) {
        /* Open pipeline: created in the last 120 days. */
        d->created = g->end - cl__demo_range(&r, 0, 119);
        d->stage = cl__demo_range(&r, 0, 3);
        if (d->stage > 0 && g->end > d->created)
            d->demo = cl__demo_demo_day(&r, d->created, g->end);
    } else {
        /* Won, with more wins in recent months: the company is growing. */
        cl_day w =
            g->start + 120 + (cl_day)(pow(unit(&r), 0.85) * (span - 120));
        d->stage = ST_WON;
        d->closed = w;
        d->created = w - cl__demo_range(&r, 20, 120);
        d->demo = cl__demo_demo_day(&r, d->created, w);
        a->won = 0;
        a->csm = csm;
    }
    if (a->won >= 0) {
        deal *wd = &a->d[a->won];
        cl_day k = cl_cal_add_business_days(&g->cal, wd->closed,
                                            cl__demo_range(&r, 2, 20));
        wd->kickoff = k <= g->end ? k : NODAY;
        a->since = wd->closed;
        sim_customer(g, &r, a, wd);
        /* The kickoff gate: a reviewed deal kicks off on or after the day
           of its review, as closeloop would have let it. */
        if (a->reviewed && wd->kickoff != NODAY && wd->kickoff < a->review_on)
            wd->kickoff = a->review_on;
    }
}
