#include "taxonomy.h"

#include "record.h"

#include <math.h>
#include <string.h>

static const cl_cause causes[] = {
    {"icp_miss", "Wrong ICP",
     "The customer was outside the ideal customer profile at the time of "
     "sale (size, industry, maturity or missing function), so the product "
     "could not succeed there whatever CS did.",
     1, CL_BADFIT_WRONG_ICP, "ICP definition review with Marketing"},
    {"misaligned_use_case", "Misaligned use case",
     "The customer bought the product for a job it is not built to do; the "
     "gap between their use case and the product's was knowable in "
     "discovery.",
     1, CL_BADFIT_MISALIGNED_USE_CASE, "discovery questions, AE coaching"},
    {"feature_overpromise", "Feature over-promise",
     "A capability the customer relied on was promised, explicitly or by "
     "implication, during the sale and does not exist or does not work as "
     "described.",
     1, CL_BADFIT_OVER_PROMISED, "deal approval review, private AE coaching"},
    {"timeline_overpromise", "Timeline over-promise",
     "The customer was told they would be live or see value sooner than "
     "onboarding can deliver, and left when that date passed.",
     1, CL_BADFIT_OVER_PROMISED, "deal approval review, private AE coaching"},
    {"phantom_champion", "Phantom champion",
     "The person who drove the purchase had no real authority or left soon "
     "after, and nobody else in the account owned the outcome.",
     1, CL_BADFIT_NONE, "champion stability in qualification and deal briefs"},
    {"failed_adoption", "Failed adoption",
     "A good-fit customer never reached regular use because onboarding or "
     "enablement did not land.",
     0, CL_BADFIT_NONE, "onboarding process"},
    {"product_deficiency", "Product deficiency",
     "A specific product gap, defect or performance problem, that was not "
     "promised in the sale, made the customer leave.  Name the gap in the "
     "diagnosis; do not use this as a catch-all.",
     0, CL_BADFIT_NONE, "product and engineering priorities"},
    {"poor_service", "Poor service experience",
     "Support, services or CS interactions fell short of what the customer "
     "needed and they said so.",
     0, CL_BADFIT_NONE, "support, services, CS process"},
    {"goals_not_met", "Customer goals not met",
     "The product worked and was used, but the customer did not reach the "
     "outcome they bought it for.",
     0, CL_BADFIT_NONE, "CS process, shared best practices"},
    {"competitive_loss", "Competitive loss",
     "The customer moved to a competitor for capability, positioning or "
     "relationship reasons other than price.",
     0, CL_BADFIT_NONE, "product marketing, competitive positioning"},
    {"pricing", "Pricing",
     "Price or packaging, not value, was the deciding reason: the customer "
     "found the same value cheaper or could not fit the package.",
     0, CL_BADFIT_NONE, "pricing and packaging"},
    {"business_change", "Business change",
     "An event in the customer's business (acquisition, reorganisation, "
     "strategy change) removed the need, independent of fit or service.",
     0, CL_BADFIT_NONE, "none; monitored"},
    {"financial_distress", "Financial distress",
     "The customer could no longer pay: cost cutting, insolvency or loss of "
     "funding.",
     0, CL_BADFIT_NONE,
     "credit screening in qualification (if customer < 12 months)"},
};

#define NCAUSES (sizeof causes / sizeof causes[0])

const char *const cl_cause_codes[] = {"icp_miss",
                                      "misaligned_use_case",
                                      "feature_overpromise",
                                      "timeline_overpromise",
                                      "phantom_champion",
                                      "failed_adoption",
                                      "product_deficiency",
                                      "poor_service",
                                      "goals_not_met",
                                      "competitive_loss",
                                      "pricing",
                                      "business_change",
                                      "financial_distress",
                                      NULL};

const cl_cause *
cl_taxonomy_defaults(size_t *n)
{
    *n = NCAUSES;
    return causes;
}

const cl_cause *
cl_taxonomy_find(const char *code)
{
    for (size_t i = 0; i < NCAUSES; i++)
        if (strcmp(causes[i].code, code) == 0)
            return &causes[i];
    return NULL;
}

const char *
cl_badfit_code(cl_badfit b)
{
    switch (b) {
    case CL_BADFIT_WRONG_ICP:
        return "wrong_icp";
    case CL_BADFIT_MISALIGNED_USE_CASE:
        return "misaligned_use_case";
    case CL_BADFIT_OVER_PROMISED:
        return "over_promised";
    case CL_BADFIT_NONE:
        break;
    }
    return "";
}

cl_badfit
cl_badfit_parse(const char *code)
{
    for (int b = CL_BADFIT_WRONG_ICP; code && b <= CL_BADFIT_OVER_PROMISED; b++)
        if (strcmp(code, cl_badfit_code((cl_badfit)b)) == 0)
            return (cl_badfit)b;
    return CL_BADFIT_NONE;
}

const cl_cause *
cl_taxonomy_in(const cl_cause *list, size_t n, const char *code)
{
    if (list == NULL)
        return code ? cl_taxonomy_find(code) : NULL;
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(list[i].code, code) == 0)
            return &list[i];
    return NULL;
}

static int
code_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

cl_err
cl_cause_code_check(const char *code, cl_error *err)
{
    size_t n = code ? strlen(code) : 0;
    int ok =
        n >= 2 && n <= CL_CAUSE_CODE_MAX && code[0] >= 'a' && code[0] <= 'z';
    for (size_t i = 0; ok && i < n; i++)
        ok = code_char(code[i]);
    if (ok)
        return CL_OK;
    return cl_error_set_field(
        err, CL_EINVAL, "code",
        "code: expected 2 to %d characters of a-z, 0-9 and "
        "_, starting with a letter",
        CL_CAUSE_CODE_MAX);
}

void
cl_cause_code_from_label(const char *label, char *out, size_t size)
{
    size_t n = 0,
           max = size - 1 < CL_CAUSE_CODE_MAX ? size - 1 : CL_CAUSE_CODE_MAX;
    for (const char *p = label ? label : ""; *p && n < max; p++) {
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
        if (code_char(c) && c != '_') {
            if (n == 0 && c >= '0' && c <= '9' && max > 2) {
                out[n++] = 'c';
                out[n++] = '_';
            }
            out[n++] = c;
        } else if (n > 0 && out[n - 1] != '_') {
            out[n++] = '_';
        }
    }
    while (n > 0 && out[n - 1] == '_')
        n--;
    out[n] = '\0';
}

cl_err
cl_cause_owner_check(int attributable, const char *role, cl_error *err)
{
    if (attributable && role)
        return cl_error_set_field(err, CL_EINVAL, "owner_role",
                                  "owner_role: a deal-attributable cause goes "
                                  "to the deal's AE and their manager, not to "
                                  "a role");
    if (!attributable && role == NULL)
        return cl_error_set_field(err, CL_EINVAL, "owner_role",
                                  "owner_role: a cause that is not "
                                  "deal-attributable needs the role its "
                                  "follow-up goes to (or none)");
    if (role && strcmp(role, "none") != 0 && cl_enum_index(cl_roles, role) < 0)
        return cl_error_set_field(
            err, CL_EINVAL, "owner_role",
            "owner_role: expected a role (csm, cs_manager, ae, "
            "sales_manager, vp_sales, vp_cs, marketing, revops, admin) or "
            "none, got '%.32s'",
            role);
    return CL_OK;
}

/* A text of 1 to max bytes (0 to max when it may be empty). */
static cl_err
text_check(const char *field, const char *v, size_t max, int may_be_empty,
           cl_error *err)
{
    size_t n = v ? strlen(v) : 0;
    if ((n > 0 || may_be_empty) && n <= max)
        return CL_OK;
    return cl_error_set_field(err, CL_EINVAL, field,
                              "%s: expected %d to %zu characters, got %zu",
                              field, may_be_empty ? 0 : 1, max, n);
}

cl_err
cl_cause_check(const cl_cause *c, const char *owner_role, cl_error *err)
{
    cl_err e = text_check("label", c->label, CL_CAUSE_LABEL_MAX, 0, err);
    if (e == CL_OK)
        e = text_check("definition", c->definition, CL_CAUSE_DEFINITION_MAX, 0,
                       err);
    if (e == CL_OK)
        e = text_check("routes_to", c->routes_to, CL_CAUSE_ROUTES_MAX, 1, err);
    if (e == CL_OK)
        e = cl_cause_code_check(c->code, err);
    if (e == CL_OK && c->badfit != CL_BADFIT_NONE && !c->sales_attributable)
        e = cl_error_set_field(err, CL_EINVAL, "category",
                               "category: a bad-fit category is a sale's "
                               "mistake; the cause must be deal-attributable");
    if (e == CL_OK)
        e = cl_cause_owner_check(c->sales_attributable, owner_role, err);
    return e;
}

/* An int threshold takes whole numbers only (CL_THRESHOLDS). */
#define WHOLE_int 1
#define WHOLE_double 0
#define ROW(key, type, def, unit, min, max, description)                       \
    {#key, def, #unit, description, min, max, WHOLE_##type},

static const cl_threshold thresholds[] = {CL_THRESHOLDS(ROW)};

#undef ROW

#define NTHRESHOLDS (sizeof thresholds / sizeof thresholds[0])

const cl_threshold *
cl_threshold_defaults(size_t *n)
{
    *n = NTHRESHOLDS;
    return thresholds;
}

const cl_threshold *
cl_threshold_find(const char *key)
{
    for (size_t i = 0; i < NTHRESHOLDS; i++)
        if (strcmp(thresholds[i].key, key) == 0)
            return &thresholds[i];
    return NULL;
}

cl_err
cl_threshold_check(const char *key, double value, cl_error *err)
{
    const cl_threshold *t = cl_threshold_find(key);
    if (t == NULL)
        return cl_error_set(err, CL_ENOTFOUND, "no threshold '%s'", key);
    if (isfinite(value) && value >= t->min && value <= t->max &&
        (!t->whole || value == floor(value)))
        return CL_OK;
    return cl_error_set(err, CL_EINVAL,
                        "%s: expected %s from %g to %g (%s), got %g", key,
                        t->whole ? "a whole number" : "a number", t->min,
                        t->max, t->unit, value);
}

double
cl_threshold_clamp(const cl_threshold *t, double value)
{
    if (isnan(value))
        return t->value;
    return value < t->min ? t->min : value > t->max ? t->max : value;
}
