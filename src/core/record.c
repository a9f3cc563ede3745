#include "record.h"

#include <math.h>
#include <string.h>

#include "taxonomy.h"

const char *const cl_roles[] = {"csm", "cs_manager", "ae", "sales_manager",
                                "vp_sales", "vp_cs", "marketing", "revops",
                                "admin", NULL};
const char *const cl_account_statuses[] = {"prospect", "customer", "churned",
                                           NULL};
const char *const cl_deal_types[] = {"new", "expansion", "renewal", NULL};
const char *const cl_champion_levels[] = {"ic", "manager", "director", "vp",
                                          "c_level", NULL};
const char *const cl_loss_reasons[] = {"budget", "timing", "competitor",
                                       "champion", "product_fit",
                                       "relationship", NULL};
const char *const cl_recovery_types[] = {"trust", "timing",
                                         "overpromise_repair",
                                         "champion_change", NULL};
const char *const cl_gut_reads[] = {"positive", "neutral", "worried", NULL};
const char *const cl_arr_kinds[] = {"new", "expansion", "contraction",
                                    "churn", NULL};

#define REQ CL_FF_REQUIRED
#define ID(n, f, r) {n, CL_F_ID, f, NULL, r, 0, 0}
#define TEXT(n, f) {n, CL_F_TEXT, f, NULL, CL_KIND_NONE, 0, 0}
#define TYPED(n, t, f) {n, t, f, NULL, CL_KIND_NONE, 0, 0}
#define ENUM(n, f, v) {n, CL_F_ENUM, f, v, CL_KIND_NONE, 0, 0}
#define INT(n, f, lo, hi) {n, CL_F_INT, f, NULL, CL_KIND_NONE, lo, hi}
#define N(a) (sizeof a / sizeof a[0])

static const cl_field users[] = {
    ID("id", REQ, CL_KIND_NONE),
    TEXT("name", REQ),
    TYPED("email", CL_F_EMAIL, REQ),
    ENUM("role", REQ, cl_roles),
    ID("manager_id", 0, CL_KIND_USERS),
    TEXT("team", 0),
};

static const cl_field accounts[] = {
    ID("id", REQ, CL_KIND_NONE),
    TEXT("name", REQ),
    TEXT("industry", 0),
    INT("employees", 0, 1, 10000000),
    TEXT("region", 0),
    TYPED("has_ops_function", CL_F_BOOL, 0),
    ID("csm_id", 0, CL_KIND_USERS),
    TYPED("customer_since", CL_F_DATE, 0),
    ENUM("status", REQ, cl_account_statuses),
};

static const cl_field deals[] = {
    ID("id", REQ, CL_KIND_NONE),
    ID("account_id", REQ, CL_KIND_ACCOUNTS),
    ID("ae_id", 0, CL_KIND_USERS),
    ENUM("type", REQ, cl_deal_types),
    TEXT("source", 0),
    TYPED("stage", CL_F_STAGE, REQ),
    TYPED("created_on", CL_F_DATE, REQ),
    TYPED("first_demo_on", CL_F_DATE, 0),
    TYPED("closed_on", CL_F_DATE, 0),
    TYPED("arr", CL_F_MONEY, 0),
    ENUM("loss_reason", 0, cl_loss_reasons),
    INT("icp_fit_score", 0, 0, 100),
    ENUM("champion_level", 0, cl_champion_levels),
    INT("champion_tenure_months", 0, 0, 600),
    TYPED("exec_sponsor", CL_F_BOOL, 0),
    TEXT("use_case", 0),
    TYPED("kickoff_on", CL_F_DATE, 0),
};

static const cl_field churns[] = {
    ID("id", REQ, CL_KIND_NONE),
    ID("account_id", REQ, CL_KIND_ACCOUNTS),
    ID("deal_id", 0, CL_KIND_DEALS),
    TYPED("churned_on", CL_F_DATE, REQ),
    TYPED("arr_lost", CL_F_MONEY, 0),
    TEXT("stated_reason", 0),
    TEXT("diagnosis", 0),
    TEXT("predictive_behavior", 0),
    ENUM("primary_cause", 0, cl_cause_codes),
    {"contributing_causes", CL_F_ENUM_LIST, 0, cl_cause_codes, CL_KIND_NONE,
     0, 0},
    ID("tagged_by", 0, CL_KIND_USERS),
    TYPED("tagged_on", CL_F_DATE, 0),
};

static const cl_field recoveries[] = {
    ID("id", REQ, CL_KIND_NONE),
    ID("original_deal_id", REQ, CL_KIND_DEALS),
    ID("new_deal_id", REQ, CL_KIND_DEALS),
    ENUM("recovery_type", 0, cl_recovery_types),
    TEXT("cs_intervention", 0),
    TEXT("what_changed", 0),
    ID("csm_id", 0, CL_KIND_USERS),
    TYPED("logged_on", CL_F_DATE, 0),
    /* Issue 14: false when CS did not lead the recovery; the record stays
       but the recovery review leaves it out.  Empty reads as true. */
    TYPED("cs_led", CL_F_BOOL, 0),
};

static const cl_field reviews[] = {
    ID("deal_id", REQ, CL_KIND_DEALS),
    TYPED("held_on", CL_F_DATE, REQ),
    TEXT("q1", 0),
    TEXT("q2", 0),
    TEXT("q3", 0),
    TEXT("q4", 0),
    TEXT("q5", 0),
    TEXT("q6", 0),
    TEXT("q7", 0),
    ENUM("gut_read", 0, cl_gut_reads),
    /* Issue 14: the CSM's own flags on the account, and a note saying
       why; internal like Q6's full context.  Optional CSV columns. */
    TYPED("implementation_risk", CL_F_BOOL, 0),
    TYPED("capacity_risk", CL_F_BOOL, 0),
    TYPED("context_gaps", CL_F_BOOL, 0),
    TEXT("csm_note", 0),
};

static const cl_field cs_hours[] = {
    ID("account_id", REQ, CL_KIND_ACCOUNTS),
    TYPED("month", CL_F_MONTH, REQ),
    TYPED("hours", CL_F_HOURS, REQ),
};

static const cl_field arr_movements[] = {
    ID("account_id", REQ, CL_KIND_ACCOUNTS),
    TYPED("on", CL_F_DATE, REQ),
    ENUM("kind", REQ, cl_arr_kinds),
    TYPED("amount", CL_F_MONEY, REQ),
};

/* Issue 14: a version names its owner and says why it changed. */
static const cl_field icp[] = {
    INT("version", REQ, 1, 1000000),
    TYPED("effective_on", CL_F_DATE, REQ),
    TYPED("criteria", CL_F_ICP_EXPR, REQ),
    ID("owner_id", REQ, CL_KIND_USERS),
    TEXT("rationale", REQ),
};

static const cl_field holidays[] = {
    TYPED("on", CL_F_DATE, REQ),
    TEXT("name", REQ),
};

static const cl_kind_def kinds[CL_KIND_COUNT] = {
    {CL_KIND_USERS, "users", "users", users, N(users), 1},
    {CL_KIND_ACCOUNTS, "accounts", "accounts", accounts, N(accounts), 1},
    {CL_KIND_DEALS, "deals", "deals", deals, N(deals), 1},
    {CL_KIND_CHURNS, "churns", "churns", churns, N(churns), 1},
    {CL_KIND_RECOVERIES, "recoveries", "recoveries", recoveries,
     N(recoveries), 1},
    {CL_KIND_REVIEWS, "reviews", "reviews", reviews, N(reviews), 1},
    {CL_KIND_CS_HOURS, "cs_hours", "cs_hours", cs_hours, N(cs_hours), 2},
    /* ARR movements have no source id: a movement is one kind of change to
       one account on one day, and re-importing it replaces the amount. */
    {CL_KIND_ARR_MOVEMENTS, "arr_movements", "arr_movements", arr_movements,
     N(arr_movements), 3},
    {CL_KIND_ICP, "icp", "icp_versions", icp, N(icp), 1},
    {CL_KIND_HOLIDAYS, "holidays", "holidays", holidays, N(holidays), 1},
};

const cl_kind_def *
cl_kind_get(cl_kind k)
{
    if (k < 0 || k >= CL_KIND_COUNT)
        return NULL;
    return &kinds[k];
}

cl_kind
cl_kind_from_name(const char *name)
{
    for (int k = 0; k < CL_KIND_COUNT; k++)
        if (strcmp(kinds[k].name, name) == 0)
            return (cl_kind)k;
    return CL_KIND_NONE;
}

int
cl_kind_field_index(const cl_kind_def *def, const char *name)
{
    for (size_t i = 0; i < def->nfields; i++)
        if (strcmp(def->fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

int
cl_value_equal(const cl_value *a, const cl_value *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case CL_V_NULL: return 1;
    case CL_V_INT: return a->i == b->i;
    case CL_V_REAL: return llround(a->r * 100) == llround(b->r * 100);
    case CL_V_TEXT: return strcmp(a->s, b->s) == 0;
    }
    return 0;
}

int
cl_text_blank(const char *s)
{
    return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

const char *
cl_icp_version_check(const cl_value *row, const cl_value *stored,
                     const char **why)
{
    const cl_kind_def *def = &kinds[CL_KIND_ICP];
    int r = cl_kind_field_index(def, "rationale");
    if (cl_text_blank(row[r].type == CL_V_TEXT ? row[r].s : NULL)) {
        *why = "required: say why the definition changes";
        return "rationale";
    }
    if (stored == NULL)
        return NULL;
    for (size_t f = 1; f < def->nfields; f++)
        if (!cl_value_equal(&row[f], &stored[f])) {
            *why = "differs from the stored version: ICP versions are "
                   "immutable; add a new version instead";
            return def->fields[f].name;
        }
    return NULL;
}

int
cl_enum_index(const char *const *values, const char *s)
{
    for (int i = 0; values[i]; i++)
        if (strcmp(values[i], s) == 0)
            return i;
    return -1;
}
