/*
 * store_seed.c - what a new workspace starts with: its row, the default
 * taxonomy and the default thresholds, one copy for both backends, written
 * by their migration of version 1.
 */
#include <stdio.h>
#include <time.h>

#include "store_engine_int.h"

cl_err
cl__store_seed(cl_store *st, cl_error *err)
{
    /* The store is the shell: it may read the clock, and the day a
       workspace was created is the same text on both backends. */
    char now[24];
    time_t t0 = time(NULL);
    struct tm tm;
    gmtime_r(&t0, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cl_err rc = cl__q_exec(st, NULL, err,
                           "INSERT INTO workspaces (id, name, created_at) "
                           "VALUES (?1, 'default', ?2)",
                           "s", now);
    size_t n;
    const cl_cause *c = cl_taxonomy_defaults(&n);
    /* sales_attributable as text: PostgreSQL has no cast from a bigint
       parameter to its boolean column, and SQLite stores '1' as 1. */
    for (size_t i = 0; i < n && rc == CL_OK; i++)
        rc = cl__q_exec(
            st, NULL, err,
            "INSERT INTO taxonomy (workspace_id, code, position, label, "
            "definition, sales_attributable, bad_fit_category, routes_to) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            "sisssss", c[i].code, (int64_t)(i + 1), c[i].label, c[i].definition,
            c[i].sales_attributable ? "1" : "0",
            c[i].badfit == CL_BADFIT_NONE ? NULL : cl_badfit_code(c[i].badfit),
            c[i].routes_to);
    const cl_threshold *t = cl_threshold_defaults(&n);
    for (size_t i = 0; i < n && rc == CL_OK; i++)
        rc = cl__q_exec(st, NULL, err,
                        "INSERT INTO thresholds (workspace_id, key, value, "
                        "unit, description) VALUES (?1, ?2, ?3, ?4, ?5)",
                        "sdss", t[i].key, t[i].value, t[i].unit,
                        t[i].description);
    return rc;
}
