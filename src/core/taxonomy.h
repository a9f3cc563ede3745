/*
 * taxonomy.h - the churn root-cause taxonomy and the loop's thresholds.
 *
 * These are the defaults of docs/design.md section 5, in one table each.  A
 * workspace is seeded from them; RevOps may then edit labels, definitions and
 * threshold values in the workspace, but never the codes, which other records
 * and reports refer to.
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
    int retired; /* 1: kept for old tags and reports, no longer offered */
} cl_cause;

/* The default taxonomy, in display order; *n receives its length. */
const cl_cause *cl_taxonomy_defaults(size_t *n);

/* The default cause with this code, or NULL. */
const cl_cause *cl_taxonomy_find(const char *code);

/* NULL-terminated list of every cause code, in display order. */
extern const char *const cl_cause_codes[];

/* "wrong_icp", "misaligned_use_case", "over_promised", or "" for none. */
const char *cl_badfit_code(cl_badfit b);

/* The category of code (cl_badfit_code's words); NONE for NULL, "" or any
   other word. */
cl_badfit cl_badfit_parse(const char *code);

/*
 * The cause with this code in list (a workspace's taxonomy, n long), or
 * in the defaults when list is NULL; NULL when there is none.
 */
const cl_cause *cl_taxonomy_in(const cl_cause *list, size_t n,
                               const char *code);

/* The most causes a workspace's taxonomy holds, the defaults included:
   reports keep a cause's contributing causes as bits of one word. */
#define CL_TAXONOMY_MAX 32

/* The longest cause code: it names a setting (route_CODE) and fits the
   engine's buffers with room to spare. */
#define CL_CAUSE_CODE_MAX 40

/*
 * Checks a new cause's code: 2 to CL_CAUSE_CODE_MAX characters of a-z, 0-9
 * and '_', starting with a letter (it is stored in tags, CSV lists and
 * setting keys).  CL_EINVAL with err->msg one line naming "code".
 */
cl_err cl_cause_code_check(const char *code, cl_error *err);

/*
 * The code derived from a label into out (size at least
 * CL_CAUSE_CODE_MAX + 1): lower case, every run of other characters one
 * '_', cut at CL_CAUSE_CODE_MAX without a trailing '_'; "Late invoices &
 * billing" gives "late_invoices_billing".  "" when the label has no
 * letter or digit; a code starting with a digit gets "c_" before it.
 */
void cl_cause_code_from_label(const char *label, char *out, size_t size);

/* The longest label (a line of the tagging form's list), definition (a
   paragraph) and "where the signal goes" text of a cause, in bytes. */
#define CL_CAUSE_LABEL_MAX 80
#define CL_CAUSE_DEFINITION_MAX 2000
#define CL_CAUSE_ROUTES_MAX 200

/*
 * Checks the owner role given for a cause (attributable: deal-attributable
 * or not): a deal-attributable cause takes none (it goes to the deal's AE
 * and their manager), any other needs a role code of cl_roles or "none"
 * (only monitored).  role NULL means not given.  CL_EINVAL with err->field
 * "owner_role" and one line starting with it.
 */
cl_err cl_cause_owner_check(int attributable, const char *role, cl_error *err);

/*
 * Checks a cause a person adds (issue 16): its code (cl_cause_code_check),
 * a label of 1 to CL_CAUSE_LABEL_MAX bytes, a definition of 1 to
 * CL_CAUSE_DEFINITION_MAX, routes_to (NULL or "" for none) up to
 * CL_CAUSE_ROUTES_MAX, a bad-fit category only on a deal-attributable
 * cause (a category is a sale's mistake), and owner_role as
 * cl_cause_owner_check.  CL_EINVAL with err->field the field and one line
 * starting with it.
 */
cl_err cl_cause_check(const cl_cause *c, const char *owner_role, cl_error *err);

/*
 * The thresholds of docs/design.md section 5, one row each: the one list behind
 * the defaults table (cl_threshold_defaults, in this order), the fields of the
 * rules' configuration (cl_wf_config) and the engine's mapping of a workspace's
 * values onto them, so a new threshold is one row here.
 *
 *   X(key, type, default, unit, min, max, description)
 *
 * type is int for counts of days, months and records (only whole numbers
 * are accepted) and double otherwise.  Shares are fractions 0..1.  Day
 * counts stop at a year (366), or ten years where the rule looks back that
 * far (stale ICP, slow to demo): every due date stays a short, bounded walk
 * of the business calendar (date.h).  ARR stops at 1e9, far above any one
 * account.  docs/settings.md lists the same table.
 */
#define CL_THRESHOLDS(X)                                                       \
    X(icp_review_share, double, 0.25, share, 0, 1,                             \
      "wrong-ICP share of the quarter's churn cohort above which an ICP "      \
      "review opens")                                                          \
    X(icp_review_due_days, int, 30, days, 1, 366,                              \
      "ICP review due after it opens")                                         \
    X(coaching_share, double, 0.20, share, 0, 1,                               \
      "over-promise share above which private coaching opens")                 \
    X(discovery_review_share, double, 0.20, share, 0, 1,                       \
      "misaligned-use-case share above which a discovery question review "     \
      "opens")                                                                 \
    X(enablement_review_recoveries, int, 3, count, 1, 1000,                    \
      "over-promise recoveries in a quarter at or above which an enablement "  \
      "review opens")                                                          \
    X(qualification_review_timing_share, double, 0.60, share, 0, 1,            \
      "timing share of the quarter's recoveries above which a qualification "  \
      "review opens")                                                          \
    X(trust_cluster_share, double, 0.5, share, 0, 1,                           \
      "share of the quarter's trust recoveries one AE must hold, at or "       \
      "above, for private coaching to open")                                   \
    X(trust_cluster_min, int, 2, count, 1, 1000,                               \
      "trust recoveries one AE must hold, at or above, for private coaching "  \
      "to open")                                                               \
    X(review_due_business_days, int, 5, business_days, 1, 366,                 \
      "won-deal review due after close, and before kickoff")                   \
    X(review_senior_arr, double, 50000, currency, 0, 1e9,                      \
      "ARR at or above which the won-deal review adds the CS manager or "      \
      "RevOps")                                                                \
    X(review_completion_target, double, 0.80, share, 0, 1,                     \
      "monthly won-deal review completion target")                             \
    X(debrief_due_business_days, int, 5, business_days, 1, 366,                \
      "AE+CSM debrief due after a deal-attributable tag")                      \
    X(checkin_due_days, int, 30, days, 1, 366,                                 \
      "process-change check-in after the debrief")                             \
    X(champion_tenure_months, int, 6, months, 0, 120,                          \
      "champion tenure at close below which the champion-stability flag "      \
      "is raised")                                                             \
    X(slow_to_demo_days, int, 45, days, 1, 3660,                               \
      "days in pipeline before first demo above which the slow-to-demo flag "  \
      "is raised")                                                             \
    X(repeating_cause_quarters, int, 4, count, 1, 40,                          \
      "consecutive quarters with the same cause in the top 3 that fail "       \
      "loop health")                                                           \
    X(stale_icp_days, int, 183, days, 1, 3660,                                 \
      "days without an ICP change, while churns were tagged, that fail loop "  \
      "health")                                                                \
    X(signal_latency_days, int, 30, days, 1, 366,                              \
      "median days from churn to sales notification that loop health "         \
      "allows")

/*
 * A threshold, its default and the range a workspace may set it to.  The
 * range is the one check of every value a person gives (the settings API,
 * `closeloop config`).
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
