/*
 * demo_int.h - what the demo generator's files share (demo.c, demo_sim.c,
 * demo_people.c, demo_deals.c); not a public header.
 */
#ifndef CL_DEMO_INT_H
#define CL_DEMO_INT_H

#include <stdint.h>

#include "demo.h"

#define NODAY INT32_MIN
#define MAXD 12 /* deals per account: new, recovery, renewals, expansions */
#define MAXM 12 /* ARR movements per account */
#define NQ 24   /* quarters tracked for the planted ICP-miss quota */
/* Deals per account the simulation gives on average (1.60 at 100,000
   accounts); extra pipeline deals make up the rest of deals_per_account. */
#define BASE_DEALS_PER_ACCOUNT 1.6

typedef struct rng {
    uint64_t s[4];
} rng;

#define NELEM(a) ((int)(sizeof a / sizeof a[0]))
#define PICK(r, a) (a[cl__demo_range(r, 0, NELEM(a) - 1)])

/* ---- the simulated life of one account (demo_sim.c) --------------------- */

enum { D_NEW, D_EXPANSION, D_RENEWAL };
enum { ST_WON = -2, ST_LOST = -1 }; /* 0..3: an index into open_stages */

typedef struct deal {
    int type;
    int stage;
    cl_day created, demo, closed, kickoff;
    int arr;
    int loss;
    int score, level, tenure, exec, use_case, source;
} deal;

typedef struct mov {
    cl_day on;
    int kind; /* index into cl_arr_kinds */
    int amount;
} mov;

typedef struct acct {
    int64_t idx;
    int industry, region, employees, ops, small;
    int ae, csm;
    deal d[MAXD];
    int nd;
    int won;      /* index of the won new deal, or -1 */
    int rec_from; /* index of the lost deal a recovery came back from */
    int rec_to;   /* index of the recovery deal, or -1 */
    int rec_type;
    cl_day rec_logged;
    cl_day since;
    int churned;
    cl_day churn_on;
    int churn_arr;
    int reviewed, gut;
    cl_day review_on;
    mov m[MAXM];
    int nm;
    uint64_t name_bits;
} acct;

typedef struct gen {
    const cl_demo_opts *o;
    int64_t naccounts;
    cl_day today, end, start, icp2_on;
    cl_day from; /* the replay window's first day; INT32_MAX without one */
    cl_day hol[64];
    int nhol;
    cl_calendar cal;
    int nae, ncsm;
    int low_month[2]; /* y*12+m-1 of months with few reviews */
    int q_base;       /* y*4+q-1 of start's quarter */
    int q_planted;
    double quota[NQ];
    cl_demo_emit emit;
    void *ud;
    cl_error *err;
    /* the row being built */
    char buf[16384];
    size_t used;
    const char *cells[24];
    size_t n;
    int64_t ndeals, nchurns, nrecs;
} gen;

enum { CL__DEMO_NSTAGES = 4, CL__DEMO_NLOSS = 6 };
/* The open stages a deal passes, and the weights of the loss reasons. */
extern const char *const cl__demo_open_stages[CL__DEMO_NSTAGES];
extern const int cl__demo_loss_w[CL__DEMO_NLOSS];

/* Seeds r from (seed, stream, sub): the same three give the same numbers. */
void cl__demo_rng_seed(rng *r, uint64_t seed, uint64_t stream, uint64_t sub);
/* An integer in [lo, hi]. */
int cl__demo_range(rng *r, int lo, int hi);
/* 1 with probability p. */
int cl__demo_chance(rng *r, double p);
/* A standard normal deviate. */
double cl__demo_normal(rng *r);
/* An index into w[0..n), by weight. */
int cl__demo_pick_w(rng *r, const int *w, int n);
/* The quarter (y*4+q-1) and month (y*12+m-1) key of a day. */
int cl__demo_qkey(cl_day d);
int cl__demo_mkey(cl_day d);
/* Whether the account falls outside the ICP that holds on day. */
int cl__demo_outside_icp(const gen *g, const acct *a, cl_day day);
/* Draws the deal attributes (score, champion, use case, source) of d. */
void cl__demo_deal_attrs(rng *r, const acct *a, deal *d);
/* The first demo day of a deal created on created, at most last. */
cl_day cl__demo_demo_day(rng *r, cl_day created, cl_day last);
/* Simulates account idx's whole life into *a. */
void cl__demo_sim(const gen *g, int64_t idx, acct *a);

/* ---- row building (demo.c) --------------------------------------------- */

/* Starts a row in g's buffer. */
void cl__demo_row_start(gen *g);
/* Appends a cell, printf-style; a cell longer than the buffer is cut. */
void cl__demo_cell(gen *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends a day cell, "" for NODAY. */
void cl__demo_cell_day(gen *g, cl_day d);
/* Hands the row to the caller's emit; CL_EINVAL when its cells do not
   match kind k's fields. */
cl_err cl__demo_row_emit(gen *g, cl_kind k);

/*
 * Hands the row to opts->later as an act of verb on day on, by actor (may
 * be NULL); CL_EINVAL when its cells do not match kind k's fields.
 */
cl_err cl__demo_row_later(gen *g, cl_demo_verb verb, cl_day on, cl_kind k,
                          const char *actor);
/* Empties the named cells of the row being built (NULL-terminated). */
void cl__demo_row_blank(gen *g, cl_kind k, const char *const *names);

/* ---- the passes: each emits every row of its kinds, in account order ---- */

/* demo_people.c */
cl_err cl__demo_pass_users(gen *g);
cl_err cl__demo_pass_holidays(gen *g);
cl_err cl__demo_pass_icp(gen *g);
cl_err cl__demo_pass_accounts(gen *g);
/* demo_deals.c */
cl_err cl__demo_pass_deals(gen *g);
cl_err cl__demo_pass_churns(gen *g);
cl_err cl__demo_pass_recoveries(gen *g);
cl_err cl__demo_pass_reviews(gen *g);
cl_err cl__demo_pass_cs_hours(gen *g);
cl_err cl__demo_pass_arr(gen *g);

#endif
