/*
 * markers.c - the profile markers a group of churns shares (markers.h).
 */
#include "markers.h"

#include <stdio.h>
#include <stdlib.h>

#include "metrics.h"
#include "report.h"

/* The dimensions, in the order the markers are tie-broken. */
enum {
    DIM_EMP,
    DIM_OPS,
    DIM_LEVEL,
    DIM_TENURE,
    DIM_SPONSOR,
    DIM_FIT,
    DIM_INDUSTRY,
    DIM_REGION,
    DIM_SOURCE,
    NDIMS
};

static const char *const bool_values[] = {"false", "true", NULL};
static const char *const ops_phrases[] = {"No ops function", "An ops function"};
static const char *const sponsor_phrases[] = {"No executive sponsor",
                                              "An executive sponsor"};
static const char *const level_phrases[] = {
    "Champion an individual contributor", "Champion a manager",
    "Champion a director", "Champion a VP", "Champion in the C-suite"};
static const char *const tenure_phrases[] = {
    "Champion under 6 months in the role", "Champion 6-11 months in the role",
    "Champion 12-23 months in the role", "Champion 24+ months in the role"};

/* Each dimension in cohort language: a phrase per level, or prefix, value
   and suffix ("Teams of " "1-19" " employees"). */
static const struct dim {
    const char *name;            /* as the icp report names it */
    const char *const *values;   /* level labels; NULL: interned strings */
    const char *const *phrases;  /* one per level, or NULL */
    const char *prefix, *suffix; /* around the value when no phrases */
} dims[NDIMS] = {
    {"employees_band", cl_employee_bands, NULL, "Teams of ", " employees"},
    {"has_ops_function", bool_values, ops_phrases, NULL, NULL},
    {"champion_level", cl_champion_levels, level_phrases, NULL, NULL},
    {"champion_tenure_band", cl_tenure_bands, tenure_phrases, NULL, NULL},
    {"exec_sponsor", bool_values, sponsor_phrases, NULL, NULL},
    {"icp_fit_band", cl_icp_fit_bands, NULL, "ICP fit score ", " at close"},
    {"industry", NULL, NULL, "", " industry"},
    {"region", NULL, NULL, "Accounts in ", ""},
    {"source", NULL, NULL, "Sourced from ", ""},
};

static size_t
dim_levels(const cl_snapshot *s, int dim)
{
    size_t n = 0;
    if (dims[dim].values == NULL)
        return s->nstrings;
    while (dims[dim].values[n])
        n++;
    return n;
}

/* The level of account a / deal d on dim, or -1 when unknown. */
static int32_t
dim_level(const cl_snapshot *s, int dim, int32_t a, int32_t d)
{
    if (a < 0)
        return -1;
    switch (dim) {
    case DIM_EMP:
        return cl_band_employees(s->account_employees[a]);
    case DIM_OPS:
        return s->account_has_ops[a];
    case DIM_INDUSTRY:
        return s->account_industry[a];
    case DIM_REGION:
        return s->account_region[a];
    default:
        break;
    }
    if (d < 0)
        return -1;
    switch (dim) {
    case DIM_LEVEL:
        return s->deal_champion_level[d];
    case DIM_TENURE:
        return cl_band_tenure(s->deal_champion_tenure[d]);
    case DIM_SPONSOR:
        return s->deal_exec_sponsor[d];
    case DIM_FIT:
        return cl_band_icp_fit(s->deal_icp_fit[d]);
    default:
        return s->deal_source[d];
    }
}

static const char *
dim_value(const cl_snapshot *s, int dim, int32_t l)
{
    return dims[dim].values ? dims[dim].values[l] : cl_snapshot_str(s, l);
}

static void
dim_phrase(const cl_snapshot *s, int dim, int32_t l, char *buf, size_t n)
{
    const struct dim *d = &dims[dim];
    if (d->phrases)
        snprintf(buf, n, "%s", d->phrases[l]);
    else
        snprintf(buf, n, "%s%s%s", d->prefix, dim_value(s, dim, l), d->suffix);
}

typedef struct marker {
    int dim;
    int32_t level;
    size_t churns, customers;
    double ratio;
} marker;

/* Most bad-fit churns first, then the stronger ratio, then dimension and
   level order. */
static int
cmp_marker(const void *a, const void *b)
{
    const marker *x = a, *y = b;
    if (x->churns != y->churns)
        return x->churns < y->churns ? 1 : -1;
    if (x->ratio != y->ratio)
        return x->ratio < y->ratio ? 1 : -1;
    if (x->dim != y->dim)
        return x->dim - y->dim;
    return (x->level > y->level) - (x->level < y->level);
}

/* Appends one marker to list; sets *bad on failure. */
static void
add_marker(const cl_snapshot *s, const marker *m, size_t n, size_t ncust,
           const char *noun, json_t *list, int *bad)
{
    char phrase[160], text[400];
    double share = (double)m->churns / (double)n;
    double cshare = (double)m->customers / (double)ncust;
    dim_phrase(s, m->dim, m->level, phrase, sizeof phrase);
    snprintf(text, sizeof text,
             "%s: %zu of %zu %s (%.0f%%) vs %.0f%% of customers", phrase,
             m->churns, n, noun, 100 * share, 100 * cshare);
    json_t *e = json_pack(
        "{s:s, s:s, s:I, s:o, s:I, s:o, s:o, s:s}", "dimension",
        dims[m->dim].name, "value", dim_value(s, m->dim, m->level), "churns",
        (json_int_t)m->churns, "share", cl_json_num(share, 6), "customers",
        (json_int_t)m->customers, "customer_share", cl_json_num(cshare, 6),
        "ratio", cl_json_num(m->ratio, 4), "description", text);
    if (e == NULL || json_array_append_new(list, e) != 0)
        *bad = 1;
}

cl_err
cl_profile_markers(const cl_snapshot *s, const int32_t *acct,
                   const int32_t *deal, size_t n, cl_day end, const char *noun,
                   json_t **out, size_t *ncustomers, cl_error *err)
{
    size_t ncust = 0, cap = 0, nm = 0;
    int bad = 0;

    *out = NULL;
    for (int dim = 0; dim < NDIMS; dim++)
        cap += dim_levels(s, dim);
    size_t *cnt_grp = calloc(cap ? cap : 1, sizeof *cnt_grp),
           *cnt_cust = calloc(cap ? cap : 1, sizeof *cnt_cust);
    marker *m = calloc(cap ? cap : 1, sizeof *m);
    json_t *list = json_array();
    if (!cnt_grp || !cnt_cust || !m || !list) {
        bad = 1;
        goto out;
    }
    for (size_t a = 0; a < s->naccounts; a++) {
        if (s->account_start_deal[a] < 0 || s->account_start[a] > end)
            continue;
        ncust++;
        for (int dim = 0, off = 0; dim < NDIMS; off += dim_levels(s, dim++)) {
            int32_t l = dim_level(s, dim, (int32_t)a, s->account_start_deal[a]);
            if (l >= 0)
                cnt_cust[off + l]++;
        }
    }
    for (size_t i = 0; i < n; i++)
        for (int dim = 0, off = 0; dim < NDIMS; off += dim_levels(s, dim++)) {
            int32_t l = dim_level(s, dim, acct[i], deal[i]);
            if (l >= 0)
                cnt_grp[off + l]++;
        }
    for (int dim = 0, off = 0; dim < NDIMS; off += dim_levels(s, dim++))
        for (size_t l = 0; l < dim_levels(s, dim); l++) {
            size_t k = cnt_grp[off + l], c = cnt_cust[off + l];
            /* c == 0: the group's accounts are not customers (bad data). */
            if (k < CL_MARKER_MIN_CHURNS || c == 0)
                continue;
            double ratio =
                ((double)k / (double)n) / ((double)c / (double)ncust);
            if (ratio >= CL_MARKER_MIN_RATIO)
                m[nm++] = (marker){dim, (int32_t)l, k, c, ratio};
        }
    qsort(m, nm, sizeof *m, cmp_marker);
    for (size_t i = 0; i < nm && !bad; i++)
        add_marker(s, &m[i], n, ncust, noun, list, &bad);
out:
    free(cnt_grp);
    free(cnt_cust);
    free(m);
    if (bad) {
        json_decref(list);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    if (ncustomers)
        *ncustomers = ncust;
    *out = list;
    return CL_OK;
}
