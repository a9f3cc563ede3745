/*
 * store_lists.h - the accounts list and the pipeline (deals) list of the
 * web UI and the API: each record with what a person ranks accounts by
 * (ARR, the next renewal, health), filtered by ranges, searched, sorted by
 * any of its columns and paged by keyset (docs/server.md, "Lists").
 *
 * What the columns mean (one SQL text for both backends):
 *   arr         an account's ARR: its latest won new or renewal deal's ARR
 *               plus its won expansions closed since; 0 once churned; null
 *               with no won deal.  A deal's own ARR on the deals list.
 *   renewal_on  an account's next renewal: a year after that latest won
 *               new or renewal deal closed (28 February for 29 February);
 *               null once churned or with no won deal.  The deal's
 *               account's on the deals list.
 *   health      the health score of the account's earliest won new deal
 *               (the one the account page shows), with that deal's AE, whom
 *               its visibility follows (docs/visibility.md).
 */
#ifndef CL_STORE_LISTS_H
#define CL_STORE_LISTS_H

#include "store_api.h"

/* A page request of cl_store_lists_page. */
typedef struct cl_store_lists_req {
    cl_kind kind; /* CL_KIND_ACCOUNTS or CL_KIND_DEALS */
    /* Equality on the kind's own fields, all must match (at most 16). */
    const cl_store_filter *filters;
    size_t nfilters;
    /* NULL or "": no search; else the key or the (account's) name contains
       it, ASCII case-insensitively, literally. */
    const char *search;
    /* Deals: the account's industry and region equal these (NULL: any);
       open 1: open deals only, 0: closed only, -1: either. */
    const char *industry, *region;
    int open;
    /* Ranges, inclusive; has_* 0: no bound.  A record whose value is
       null matches no bound. */
    int has_arr_min, has_arr_max;
    double arr_min, arr_max;
    const char *renewal_from, *renewal_to; /* YYYY-MM-DD or NULL */
    int health_min, health_max;            /* -1: no bound */
    /* Non-NULL: the health of a record counts (for a bound, the order and
       the row) only where its health deal's AE is this user; elsewhere it
       is null, as if unknown.  For a viewer who reads health on its own
       deals only. */
    const char *health_owner;
    /* A column of cl_store_lists_sort; NULL: the key. */
    const char *sort;
    int desc; /* 1: largest first (ties by key, ascending) */
    /* NULL: from the first record; else after the record with key
       after_id and sort value after_value (the row's sort_value). */
    const char *after_id, *after_value;
    int64_t limit;  /* < 0: no limit */
    int64_t offset; /* skipped after the filters and `after` */
} cl_store_lists_req;

/* A listed record: its key and its columns (valid during the call). */
typedef struct cl_store_lists_row {
    const char *id;
    const char *name; /* the account's name */
    int has_arr;
    double arr;
    const char *renewal_on; /* NULL: none */
    int health;             /* -1: none, or hidden by health_owner */
    const char *health_ae;  /* the AE of the health deal, NULL: none */
    const char *person;     /* the account's CSM's name; the deal's AE's */
    const char *sort_value; /* what after_value takes to continue here */
} cl_store_lists_row;

typedef int (*cl_store_lists_cb)(void *ud, const cl_store_lists_row *row);

/*
 * The i-th sort column of kind (from 0), NULL past the last or for another
 * kind: accounts id, name, industry, region, csm (the CSM's name), status,
 * arr, renewal_on, health; deals id, account (its name), ae (the AE's
 * name), stage, arr, created_on, renewal_on, health.
 */
const char *cl_store_lists_sort(cl_kind kind, size_t i);

/*
 * Calls cb for the records that match req in its order (nulls first
 * ascending), until cb returns non-zero.  *total (may be NULL) receives
 * the number that match, ignoring after, limit and offset.
 *   CL_EINVAL  another kind, an unknown filter field or sort
 *   CL_EDB     the backend failed
 */
cl_err cl_store_lists_page(cl_store *st, const cl_store_lists_req *req,
                           cl_store_lists_cb cb, void *ud, int64_t *total,
                           cl_error *err);

/*
 * Calls cb for each distinct value of the accounts' column ("industry" or
 * "region"), in byte order, nulls left out: the choices of a filter.
 *   CL_EINVAL  another column
 */
cl_err cl_store_lists_values(cl_store *st, const char *column,
                             int (*cb)(void *ud, const char *value), void *ud,
                             cl_error *err);

#endif
