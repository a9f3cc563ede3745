/*
 * taxonomy.h - the churn root-cause taxonomy and the loop's thresholds.
 *
 * These are the defaults of DESIGN section 5, in one table each.  A workspace
 * is seeded from them; RevOps may then edit labels, definitions and threshold
 * values in the workspace, but never the codes, which other records and
 * reports refer to.
 */
#ifndef CL_TAXONOMY_H
#define CL_TAXONOMY_H

#include <stddef.h>

#include "err.h"

/* The bad-fit categories that quarterly thresholds look at. */
typedef enum cl_badfit {
    CL_BADFIT_NONE = 0,
    CL_BADFIT_WRONG_ICP,
    CL_BADFIT_MISALIGNED_USE_CASE,
    CL_BADFIT_OVER_PROMISED
} cl_badfit;

typedef struct cl_cause {
    const char *code;       /* stable machine code, e.g. "icp_miss" */
    const char *label;      /* human label, e.g. "Wrong ICP" */
    const char *definition; /* the written definition CSMs tag against */
    int sales_attributable; /* 1 if a tag notifies the AE and manager */
    cl_badfit badfit;       /* bad-fit category, or CL_BADFIT_NONE */
    const char *routes_to;  /* where the signal goes */
} cl_cause;

/* The default taxonomy, in display order; *n receives its length. */
const cl_cause *cl_taxonomy_defaults(size_t *n);

/* The default cause with this code, or NULL. */
const cl_cause *cl_taxonomy_find(const char *code);

/* NULL-terminated list of every cause code, in display order. */
extern const char *const cl_cause_codes[];

/* "wrong_icp", "misaligned_use_case", "over_promised", or "" for none. */
const char *cl_badfit_code(cl_badfit b);

/*
 * A threshold, its default and the range a workspace may set it to.  The
 * range is the one check of every value a person gives (the settings API,
 * `closeloop config`); docs/settings.md lists the same table.
 */
typedef struct cl_threshold {
    const char *key;         /* e.g. "icp_review_share" */
    double value;            /* the default */
    const char *unit;        /* "share", "days", "business_days", "count",
                                "currency", "months" */
    const char *description; /* the rule in words */
    double min, max;         /* the allowed values, inclusive */
    int whole;               /* 1 when only whole numbers make sense */
} cl_threshold;

/* The default thresholds; *n receives their count. */
const cl_threshold *cl_threshold_defaults(size_t *n);

/* The default threshold with this key, or NULL. */
const cl_threshold *cl_threshold_find(const char *key);

/*
 * Checks value against the range of the threshold key.
 * Returns CL_OK; CL_ENOTFOUND for an unknown key; CL_EINVAL when value is
 * outside [min, max], not finite, or not whole where it must be, with
 * err->msg one line naming the key and its range, e.g.
 * "debrief_due_business_days: expected a whole number from 1 to 366
 * (business_days), got 1e+308".
 */
cl_err cl_threshold_check(const char *key, double value, cl_error *err);

/*
 * value brought into t's range (NaN gives the default).  For values read
 * back from storage that an older closeloop let through unchecked: every
 * reader then works with a value the rules were written for.
 */
double cl_threshold_clamp(const cl_threshold *t, double value);

#endif
