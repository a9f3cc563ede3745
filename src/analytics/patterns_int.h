/*
 * patterns_int.h - what patterns.c (the search) and pattern_text.c (the
 * conditions as text: evaluation, descriptions, JSON) share.  Not a public
 * header: reports use patterns.h.
 */
#ifndef CL_PATTERNS_INT_H
#define CL_PATTERNS_INT_H

#include "patterns.h"

/* The attributes a pattern may use, in the order they are searched. */
enum {
    CL__PA_EMPLOYEES,
    CL__PA_INDUSTRY,
    CL__PA_REGION,
    CL__PA_HAS_OPS,
    CL__PA_SOURCE,
    CL__PA_CHAMPION_LEVEL,
    CL__PA_TENURE,
    CL__PA_EXEC_SPONSOR,
    CL__PA_ICP_FIT,
    CL__PA_ARR,
    CL__PA_USE_CASE,
    /* From the won-deal review (issue 14): Q4's promises, concrete or
       none; Q7's gut read, searched only for a viewer who may count on it
       (cl_pattern_opts.private_answers). */
    CL__PA_PROMISES,
    CL__PA_GUT_READ,
    CL__PA_COUNT
};

/* The canonical column of each attribute ("employees", ...). */
extern const char *const cl__pattern_fields[CL__PA_COUNT];

/* The attribute called field, or -1. */
int cl__pattern_attr(const char *field);

/*
 * Evaluates one condition on account a and deal d (either may be -1, which
 * makes the attributes it carries unknown): 1, 0, or -1 when the value is
 * unknown or the condition cannot be read.
 */
int cl__condition_eval(const cl_snapshot *s, const cl_condition *c, int32_t a,
                       int32_t d);

/* Writes p->description in cohort language for target t. */
void cl__pattern_describe(cl_pattern *p, cl_pattern_target t, double base_rate);

/* ---- the search's state (patterns.c, pattern_levels.c) ---- */

/* One level of an attribute: a condition and its members. */
typedef struct level {
    int attr;
    uint64_t mask; /* ordered attributes: the band codes in it */
    int32_t str;   /* text attributes: the interned value */
    char op[3];
    char value[128]; /* text values that do not fit get no level */
    uint64_t *bits;
    size_t n, t;
} level;

/* A candidate conjunction. */
typedef struct cand {
    int16_t lv[3]; /* ascending level indexes */
    uint8_t k;     /* conditions; 0 once found unproductive */
    size_t n, t;
    double p, q, quality;
} cand;

struct cl_pattern_int {
    level *lv;
    size_t nlv;
};

typedef struct search {
    const cl_snapshot *s;
    size_t N, T, W, minsup;
    double base;
    int32_t *acc, *deal; /* member i's account and deal (-1 unknown) */
    uint64_t *target;
    int32_t *code;
    level *lv;
    size_t nlv, caplv;
    uint64_t *block[CL__PA_COUNT]; /* each attribute's bitsets */
    cand *c;
    size_t nc, capc;
    cl_error *err;
} search;

/* Appends attribute attr's useful levels (enough support, not everyone,
   not a copy of another) with their bitsets.  CL_OK or CL_ENOMEM. */
cl_err cl__pattern_levels(search *x, int attr);

/* The k-th smallest of v[0..n-1] (v is reordered); n > k. */
double cl__select_kth(double *v, size_t n, size_t k);

/* Over w words: the population count of a & b into *n, and of a & b &
   target into *t (when target and t are not NULL); a & b itself into out
   when out is not NULL. */
void cl__and_counts(const uint64_t *a, const uint64_t *b,
                    const uint64_t *target, uint64_t *out, size_t w, size_t *n,
                    size_t *t);

/* Population count of a & b over w words. */
size_t cl__popcount_and(const uint64_t *a, const uint64_t *b, size_t w);

/* 1 for industry, region, source and use_case. */
int cl__is_text_attr(int attr);

#endif
