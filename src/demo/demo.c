/*
 * demo.c - the demo data generator.
 *
 * Every account's whole life (its deals, churn, recovery, review) is derived
 * from a PRNG seeded by (seed, account index) alone, so each kind's pass can
 * re-simulate the account instead of keeping a million lives in memory: the
 * generator needs O(1) memory per account and O(accounts) time per pass.
 * Global sequence numbers (deal, churn and recovery ids) are counted again
 * in every pass, in the same account order, so they always agree.
 *
 * This file holds the setup and the row building; the simulation is in
 * demo_sim.c, the passes in demo_people.c and demo_deals.c.
 */
#include "demo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "demo_int.h"

#define MAX_ACCOUNTS 50000000

/* ---- row building ------------------------------------------------------- */

void
cl__demo_row_start(gen *g)
{
    g->used = 0;
    g->n = 0;
}

void
cl__demo_cell(gen *g, const char *fmt, ...)
{
    char *p = g->buf + g->used;
    size_t room = sizeof g->buf - g->used;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(p, room, fmt, ap);
    va_end(ap);
    if (k < 0)
        k = 0;
    if ((size_t)k >= room)
        k = (int)room - 1; /* truncated; texts here are far shorter */
    g->used += (size_t)k + 1;
    if (g->n < sizeof g->cells / sizeof g->cells[0])
        g->cells[g->n++] = p;
}

void
cl__demo_cell_day(gen *g, cl_day d)
{
    char s[11] = "";
    if (d != NODAY)
        cl_date_format(d, s);
    cl__demo_cell(g, "%s", s);
}

cl_err
cl__demo_row_emit(gen *g, cl_kind k)
{
    const cl_kind_def *def = cl_kind_get(k);
    if (g->n != def->nfields)
        return cl_error_set(g->err, CL_EINVAL,
                            "demo: %s row has %zu cells, not %zu", def->name,
                            g->n, def->nfields);
    return g->emit(g->ud, k, g->cells, g->n, g->err);
}

cl_err
cl__demo_row_later(gen *g, cl_demo_verb verb, cl_day on, cl_kind k,
                   const char *actor)
{
    const cl_kind_def *def = cl_kind_get(k);
    if (g->n != def->nfields)
        return cl_error_set(g->err, CL_EINVAL,
                            "demo: %s row has %zu cells, not %zu", def->name,
                            g->n, def->nfields);
    cl_demo_act act = {verb, on, k, g->cells, g->n, actor};
    return g->o->later(g->ud, &act, g->err);
}

void
cl__demo_row_blank(gen *g, cl_kind k, const char *const *names)
{
    const cl_kind_def *def = cl_kind_get(k);
    for (; *names; names++) {
        int i = cl_kind_field_index(def, *names);
        if (i >= 0 && (size_t)i < g->n)
            g->cells[i] = "";
    }
}

/* ---- setup -------------------------------------------------------------- */

/* The n-th (1-based) weekday wd of month m; n = -1 means the last. */
static cl_day
nth_weekday(int y, int m, int wd, int n)
{
    if (n > 0) {
        cl_day d = cl_date_from_ymd(y, m, 1);
        while (cl_date_weekday(d) != wd)
            d++;
        return d + 7 * (n - 1);
    }
    cl_day d = cl_date_add_months(cl_date_from_ymd(y, m, 1), 1) - 1;
    while (cl_date_weekday(d) != wd)
        d--;
    return d;
}

cl_err
cl_demo_generate(const cl_demo_opts *opts, cl_demo_emit emit, void *ud,
                 cl_error *err)
{
    if (!opts || !emit)
        return cl_error_set(err, CL_EINVAL, "demo: no options or callback");
    if (opts->accounts < 0 || opts->accounts > MAX_ACCOUNTS)
        return cl_error_set(err, CL_EINVAL,
                            "demo: accounts must be 0 (600) to %d",
                            MAX_ACCOUNTS);
    int ty, tm, td;
    cl_date_ymd(opts->today, &ty, &tm, &td);
    if (ty < 1905 || ty > 2990)
        return cl_error_set(err, CL_EINVAL,
                            "demo: today must be between 1905 and 2990");
    gen *g = calloc(1, sizeof *g);
    if (!g)
        return cl_error_set(err, CL_ENOMEM, "demo: out of memory");
    g->o = opts;
    g->emit = emit;
    g->ud = ud;
    g->err = err;
    g->naccounts = opts->accounts ? opts->accounts : 600;
    g->today = opts->today;
    g->end = opts->today - 1;
    g->start = cl_date_add_months(opts->today, -36);
    g->icp2_on = cl_date_add_months(opts->today, -14);
    g->from = opts->loop_days > 0 && opts->later ? opts->today - opts->loop_days
                                                 : INT32_MAX;
    int64_t nae = g->naccounts / 75, ncsm = g->naccounts / 60;
    g->nae = nae < 8 ? 8 : nae > 200 ? 200 : (int)nae;
    g->ncsm = ncsm < 4 ? 4 : (int)ncsm;
    for (int y = ty - 3; y <= ty + 1; y++) {
        g->hol[g->nhol++] = cl_date_from_ymd(y, 1, 1);
        g->hol[g->nhol++] = nth_weekday(y, 5, 0, -1);
        g->hol[g->nhol++] = cl_date_from_ymd(y, 7, 4);
        g->hol[g->nhol++] = nth_weekday(y, 9, 0, 1);
        g->hol[g->nhol++] = nth_weekday(y, 11, 3, 4);
        g->hol[g->nhol++] = cl_date_from_ymd(y, 12, 25);
    }
    g->cal.holidays = g->hol;
    g->cal.nholidays = (size_t)g->nhol;
    g->low_month[0] = cl__demo_mkey(cl_date_add_months(g->today, -5));
    g->low_month[1] = cl__demo_mkey(cl_date_add_months(g->today, -11));
    g->q_base = cl__demo_qkey(g->start);
    cl_period now = cl_period_of(CL_PERIOD_QUARTER, g->today);
    cl_period planted = cl_period_shift(&now, -1);
    g->q_planted = cl__demo_qkey(planted.first) - g->q_base;
    for (int q = 0; q < NQ; q++)
        g->quota[q] = q == g->q_planted ? 0.38 : 0.12;

    cl_err (*const passes[])(gen *) = {
        cl__demo_pass_holidays,   cl__demo_pass_users,   cl__demo_pass_icp,
        cl__demo_pass_accounts,   cl__demo_pass_deals,   cl__demo_pass_churns,
        cl__demo_pass_recoveries, cl__demo_pass_reviews, cl__demo_pass_cs_hours,
        cl__demo_pass_arr};
    cl_err rc = CL_OK;
    for (size_t p = 0; p < sizeof passes / sizeof passes[0] && !rc; p++)
        rc = passes[p](g);
    free(g);
    return rc;
}
