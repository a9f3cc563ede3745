/*
 * snapshot.c - building the columnar snapshot from records.
 *
 * Records arrive in any order as cl_value rows.  Ids and text are interned in
 * cl_strsets, whose copies live as long as the snapshot; references are kept
 * as the referenced id's text until cl_snapshot_finish turns them into rows.
 */
#include "snapshot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/strset.h"

/* A reference not yet resolved: the interned id's text. */
typedef struct pending {
    const char **id; /* one per row; NULL when empty */
    size_t cap;
    /* The last id resolved early and its row: the store gives CS hours and
       ARR movements in account order, so most rows name the same account
       as the row before. */
    char last[48];
    int32_t last_row;
} pending;

enum {
    P_USER_MANAGER,
    P_ACCOUNT_CSM,
    P_DEAL_ACCOUNT,
    P_DEAL_AE,
    P_CHURN_ACCOUNT,
    P_CHURN_DEAL,
    P_CHURN_TAGGED_BY,
    P_RECOVERY_ORIGINAL,
    P_RECOVERY_NEW,
    P_RECOVERY_CSM,
    P_REVIEW_DEAL,
    P_CS_HOURS_ACCOUNT,
    P_ARR_ACCOUNT,
    P_ICP_OWNER,
    P_COUNT
};

/* A field's index in its kind's row, looked up by name once: the adders
   name fields with string literals, whose addresses are the keys. */
typedef struct field_slot {
    const char *name;
    const cl_kind_def *def;
    int index;
} field_slot;

#define FIELD_SLOTS 256

enum { ID_USERS, ID_ACCOUNTS, ID_DEALS };

struct cl_snapshot_int {
    field_slot fields[FIELD_SLOTS];
    cl_strset *text;     /* every string the snapshot keeps */
    cl_strset *interned; /* low-cardinality text: ordinal = index */
    cl_strset *ids[3];   /* users, accounts, deals: ordinal = row */
    size_t cap[CL_KIND_COUNT];
    pending ref[P_COUNT];
    size_t strings_cap;
    size_t notices_cap, tag_changes_cap, pcs_cap, icp_reviews_cap;
    int finished;
    /* Set by cl_snapshot_new_over: the columns live in block. */
    void *block;
    void (*release)(void *block);
};

/* --- growing columns ---------------------------------------------------- */

/* Every column of CL_SNAPSHOT_TABLES: where its pointer is, where its
   table's row count is, and the size of one value. */
typedef struct column {
    size_t off, count, size;
} column;

#define NO_COUNT(count)
#define COLUMN(type, name, count, ...)                                         \
    {offsetof(cl_snapshot, name), offsetof(cl_snapshot, count), sizeof(type)},

static const column columns[] = {CL_SNAPSHOT_TABLES(NO_COUNT, COLUMN, COLUMN)};

#undef NO_COUNT
#undef COLUMN

#define NCOLUMNS (sizeof columns / sizeof columns[0])

static void **
column_ptr(cl_snapshot *s, const column *c)
{
    return (void **)((char *)s + c->off);
}

/* Makes room for need rows in every column of the table counted by
   count_off, *cap being the room they have now. */
static int
grow_table(cl_snapshot *s, size_t count_off, size_t *cap, size_t need)
{
    /* Every column of the table grows from the same capacity to the same
       one; after a failure *cap stays, and a column already grown is only
       larger than it needs to be. */
    size_t n = *cap;
    for (size_t i = 0; i < NCOLUMNS; i++) {
        if (columns[i].count != count_off)
            continue;
        n = *cap;
        if (cl_grow(column_ptr(s, &columns[i]), &n, need, columns[i].size) !=
            CL_OK)
            return -1;
    }
    *cap = n;
    return 0;
}

/* Grows the columns of the table whose row count is s->count. */
#define GROW(s, count, cap, need)                                              \
    grow_table(s, offsetof(cl_snapshot, count), cap, need)

static int
grow_pending(pending *p, size_t need)
{
    return cl_grow(&p->id, &p->cap, need, sizeof *p->id) == CL_OK ? 0 : -1;
}

/* --- values ------------------------------------------------------------- */

static const char *
keep(cl_snapshot *s, const cl_value *v)
{
    uint32_t ord;
    const char *copy;
    if (v->type != CL_V_TEXT)
        return NULL;
    if (cl_strset_intern(s->in->text, v->s, strlen(v->s), &ord, &copy) < 0)
        return NULL;
    return copy;
}

/* Index of v's text in s->strings, or -1; -2 when out of memory. */
static int32_t
intern(cl_snapshot *s, const cl_value *v)
{
    uint32_t ord;
    const char *copy;
    if (v->type != CL_V_TEXT)
        return -1;
    int r = cl_strset_intern(s->in->interned, v->s, strlen(v->s), &ord, &copy);
    if (r < 0)
        return -2;
    if (r == 1) {
        if (cl_grow(&s->strings, &s->in->strings_cap, s->nstrings + 1,
                    sizeof *s->strings) != CL_OK)
            return -2;
        s->strings[s->nstrings++] = copy;
    }
    return (int32_t)ord;
}

static cl_day
day(const cl_value *v)
{
    cl_day d;
    if (v->type != CL_V_TEXT || cl_date_parse(v->s, strlen(v->s), &d) != 0)
        return CL_DAY_NONE;
    return d;
}

static int
month(const cl_value *v)
{
    int y, m;
    if (v->type != CL_V_TEXT || cl_month_parse(v->s, strlen(v->s), &y, &m))
        return -1;
    return y * 12 + m - 1;
}

static double
money(const cl_value *v)
{
    if (v->type == CL_V_REAL)
        return v->r;
    if (v->type == CL_V_INT)
        return (double)v->i;
    return NAN;
}

static int64_t
num(const cl_value *v)
{
    return v->type == CL_V_INT ? v->i : -1;
}

static int8_t
enum_of(const char *const *values, const cl_value *v)
{
    return v->type == CL_V_TEXT ? (int8_t)cl_enum_index(values, v->s) : -1;
}

/* Marks a reference resolved when it was added (see refer). */
static const char resolved_mark[1];
#define RESOLVED resolved_mark

/* The id set each pending reference points into. */
static const int ref_target[P_COUNT] = {
    [P_USER_MANAGER] = ID_USERS,     [P_ACCOUNT_CSM] = ID_USERS,
    [P_DEAL_ACCOUNT] = ID_ACCOUNTS,  [P_DEAL_AE] = ID_USERS,
    [P_CHURN_ACCOUNT] = ID_ACCOUNTS, [P_CHURN_DEAL] = ID_DEALS,
    [P_CHURN_TAGGED_BY] = ID_USERS,  [P_RECOVERY_ORIGINAL] = ID_DEALS,
    [P_RECOVERY_NEW] = ID_DEALS,     [P_RECOVERY_CSM] = ID_USERS,
    [P_REVIEW_DEAL] = ID_DEALS,      [P_CS_HOURS_ACCOUNT] = ID_ACCOUNTS,
    [P_ARR_ACCOUNT] = ID_ACCOUNTS,   [P_ICP_OWNER] = ID_USERS};

/*
 * Records the reference v of row `row` and sets col[row].  When the
 * referenced record is already in (the store gives kinds in dependency
 * order), col[row] is its row now and nothing waits for
 * cl_snapshot_finish; otherwise col[row] is -1 and the id's text is kept
 * for cl_snapshot_finish to resolve.  Resolving early saves copying the
 * id and looking it up twice (a million accounts have 8 million CS-hours
 * rows that name them).
 */
static int
refer(cl_snapshot *s, int which, size_t row, const cl_value *v, int32_t *col)
{
    pending *p = &s->in->ref[which];
    if (grow_pending(p, row + 1) != 0)
        return -1;
    col[row] = -1;
    if (v->type != CL_V_TEXT) {
        p->id[row] = NULL;
        return 0;
    }
    size_t len = strlen(v->s);
    if (p->last_row >= 0 && len < sizeof p->last &&
        memcmp(p->last, v->s, len + 1) == 0) {
        col[row] = p->last_row;
        p->id[row] = RESOLVED;
        return 0;
    }
    int64_t found = cl_strset_find(s->in->ids[ref_target[which]], v->s, len);
    if (found >= 0) {
        col[row] = (int32_t)found;
        p->id[row] = RESOLVED;
        if (len < sizeof p->last) {
            memcpy(p->last, v->s, len + 1);
            p->last_row = (int32_t)found;
        }
        return 0;
    }
    p->id[row] = keep(s, v);
    return p->id[row] == NULL ? -1 : 0;
}

/* Registers the id of a new user, account or deal row. */
static int
add_id(cl_snapshot *s, int which, const cl_value *v, const char **copy,
       size_t row)
{
    uint32_t ord;
    int r = cl_strset_intern(s->in->ids[which], v->s, strlen(v->s), &ord, copy);
    /* Ids are unique in the store; a repeat would break row == ordinal. */
    return (r == 1 && ord == row) ? 0 : -1;
}

/* --- adding records ----------------------------------------------------- */

cl_snapshot *
cl_snapshot_new(void)
{
    cl_snapshot *s = calloc(1, sizeof *s);
    if (s == NULL || (s->in = calloc(1, sizeof *s->in)) == NULL) {
        free(s);
        return NULL;
    }
    for (int p = 0; p < P_COUNT; p++)
        s->in->ref[p].last_row = -1;
    s->in->text = cl_strset_new();
    s->in->interned = cl_strset_new();
    for (int i = 0; i < 3; i++)
        s->in->ids[i] = cl_strset_new();
    if (!s->in->text || !s->in->interned || !s->in->ids[0] || !s->in->ids[1] ||
        !s->in->ids[2]) {
        cl_snapshot_free(s);
        return NULL;
    }
    size_t n;
    const cl_cause *c = cl_taxonomy_defaults(&n);
    for (size_t i = 0; i < n && i < CL_MAX_CAUSES; i++)
        s->causes[i] = c[i];
    s->ncauses = n < CL_MAX_CAUSES ? n : CL_MAX_CAUSES;
    return s;
}

cl_snapshot *
cl_snapshot_new_over(void *block, void (*release)(void *block))
{
    cl_snapshot *s = calloc(1, sizeof *s);
    if (s == NULL || (s->in = calloc(1, sizeof *s->in)) == NULL) {
        free(s);
        return NULL;
    }
    s->in->block = block;
    s->in->release = release;
    s->in->finished = 1;
    size_t n;
    const cl_cause *c = cl_taxonomy_defaults(&n);
    for (size_t i = 0; i < n && i < CL_MAX_CAUSES; i++)
        s->causes[i] = c[i];
    s->ncauses = n < CL_MAX_CAUSES ? n : CL_MAX_CAUSES;
    return s;
}

static const cl_value *
field(cl_snapshot *s, const cl_kind_def *def, const cl_value *row,
      const char *name)
{
    uintptr_t h = ((uintptr_t)name >> 2) ^ ((uintptr_t)def >> 5);
    field_slot *f = &s->in->fields[(h ^ (h >> 8)) % FIELD_SLOTS];
    if (f->name != name || f->def != def) {
        f->name = name;
        f->def = def;
        f->index = cl_kind_field_index(def, name);
    }
    return &row[f->index];
}

#define V(name) field(s, def, row, name)

static int
add_user(cl_snapshot *s, const cl_kind_def *def, const cl_value *row)
{
    size_t r = s->nusers;
    if (GROW(s, nusers, &s->in->cap[CL_KIND_USERS], r + 1) ||
        add_id(s, ID_USERS, V("id"), &s->user_id[r], r) ||
        refer(s, P_USER_MANAGER, r, V("manager_id"), s->user_manager))
        return -1;
    s->user_name[r] = keep(s, V("name"));
    s->user_email[r] = keep(s, V("email"));
    s->user_team[r] = keep(s, V("team"));
    s->user_role[r] = enum_of(cl_roles, V("role"));
    s->nusers++;
    return 0;
}

static int
add_account(cl_snapshot *s, const cl_kind_def *def, const cl_value *row)
{
    size_t r = s->naccounts;
    if (GROW(s, naccounts, &s->in->cap[CL_KIND_ACCOUNTS], r + 1) ||
        add_id(s, ID_ACCOUNTS, V("id"), &s->account_id[r], r) ||
        refer(s, P_ACCOUNT_CSM, r, V("csm_id"), s->account_csm))
        return -1;
    s->account_name[r] = keep(s, V("name"));
    if ((s->account_industry[r] = intern(s, V("industry"))) < -1 ||
        (s->account_region[r] = intern(s, V("region"))) < -1)
        return -1;
    s->account_employees[r] = (int32_t)num(V("employees"));
    s->account_has_ops[r] = (int8_t)num(V("has_ops_function"));
    s->account_customer_since[r] = day(V("customer_since"));
    s->account_status[r] = enum_of(cl_account_statuses, V("status"));
    s->account_start_deal[r] = -1;
    s->account_start[r] = CL_DAY_NONE;
    s->account_first_churn[r] = -1;
    s->naccounts++;
    return 0;
}

static int
add_deal(cl_snapshot *s, const cl_kind_def *def, const cl_value *row)
{
    size_t r = s->ndeals;
    if (GROW(s, ndeals, &s->in->cap[CL_KIND_DEALS], r + 1) ||
        add_id(s, ID_DEALS, V("id"), &s->deal_id[r], r) ||
        refer(s, P_DEAL_ACCOUNT, r, V("account_id"), s->deal_account) ||
        refer(s, P_DEAL_AE, r, V("ae_id"), s->deal_ae))
        return -1;
    s->deal_type[r] = enum_of(cl_deal_types, V("type"));
    if ((s->deal_source[r] = intern(s, V("source"))) < -1 ||
        (s->deal_stage[r] = intern(s, V("stage"))) < -1 ||
        (s->deal_use_case[r] = intern(s, V("use_case"))) < -1)
        return -1;
    const char *stage = V("stage")->s;
    s->deal_state[r] = strcmp(stage, "closed_won") == 0    ? CL_DEAL_WON
                       : strcmp(stage, "closed_lost") == 0 ? CL_DEAL_LOST
                                                           : CL_DEAL_OPEN;
    s->deal_created_on[r] = day(V("created_on"));
    s->deal_first_demo_on[r] = day(V("first_demo_on"));
    s->deal_closed_on[r] = day(V("closed_on"));
    s->deal_kickoff_on[r] = day(V("kickoff_on"));
    s->deal_arr[r] = money(V("arr"));
    s->deal_loss_reason[r] = enum_of(cl_loss_reasons, V("loss_reason"));
    s->deal_icp_fit[r] = (int16_t)num(V("icp_fit_score"));
    s->deal_champion_level[r] =
        enum_of(cl_champion_levels, V("champion_level"));
    s->deal_champion_tenure[r] = (int16_t)num(V("champion_tenure_months"));
    s->deal_exec_sponsor[r] = (int8_t)num(V("exec_sponsor"));
    s->deal_review_held_on[r] = CL_DAY_NONE;
    s->deal_review[r] = -1;
    s->ndeals++;
    return 0;
}

static int
add_churn(cl_snapshot *s, const cl_kind_def *def, const cl_value *row)
{
    size_t r = s->nchurns;
    if (GROW(s, nchurns, &s->in->cap[CL_KIND_CHURNS], r + 1) ||
        refer(s, P_CHURN_ACCOUNT, r, V("account_id"), s->churn_account) ||
        refer(s, P_CHURN_DEAL, r, V("deal_id"), s->churn_deal) ||
        refer(s, P_CHURN_TAGGED_BY, r, V("tagged_by"), s->churn_tagged_by))
        return -1;
    s->churn_id[r] = keep(s, V("id"));
    s->churn_on[r] = day(V("churned_on"));
    s->churn_arr_lost[r] = money(V("arr_lost"));
    s->churn_stated_reason[r] = keep(s, V("stated_reason"));
    s->churn_diagnosis[r] = keep(s, V("diagnosis"));
    s->churn_predictive[r] = keep(s, V("predictive_behavior"));
    const cl_value *primary = V("primary_cause");
    s->churn_cause[r] = (int8_t)cl_snapshot_cause(
        s, primary->type == CL_V_TEXT ? primary->s : NULL);
    const cl_value *list = V("contributing_causes");
    s->churn_contributing[r] =
        cl_snapshot_cause_mask(s, list->type == CL_V_TEXT ? list->s : NULL);
    s->churn_tagged_on[r] = day(V("tagged_on"));
    s->nchurns++;
    return 0;
}

int
cl_snapshot_cause(const cl_snapshot *s, const char *code)
{
    for (size_t i = 0; code && i < s->ncauses; i++)
        if (strcmp(s->causes[i].code, code) == 0)
            return (int)i;
    return -1;
}

uint32_t
cl_snapshot_cause_mask(const cl_snapshot *s, const char *list)
{
    uint32_t mask = 0;
    const char *p = list ? list : "";
    while (*p) {
        size_t n = strcspn(p, ";");
        for (size_t i = 0; i < s->ncauses; i++)
            if (strlen(s->causes[i].code) == n &&
                strncmp(s->causes[i].code, p, n) == 0)
                mask |= (uint32_t)1u << i;
        p += n + (p[n] == ';');
    }
    return mask;
}

static int
add_recovery(cl_snapshot *s, const cl_kind_def *def, const cl_value *row)
{
    size_t r = s->nrecoveries;
    if (GROW(s, nrecoveries, &s->in->cap[CL_KIND_RECOVERIES], r + 1) ||
        refer(s, P_RECOVERY_ORIGINAL, r, V("original_deal_id"),
              s->recovery_original) ||
        refer(s, P_RECOVERY_NEW, r, V("new_deal_id"), s->recovery_new) ||
        refer(s, P_RECOVERY_CSM, r, V("csm_id"), s->recovery_csm))
        return -1;
    s->recovery_id[r] = keep(s, V("id"));
    s->recovery_cs_intervention[r] = keep(s, V("cs_intervention"));
    s->recovery_what_changed[r] = keep(s, V("what_changed"));
    s->recovery_type[r] = enum_of(cl_recovery_types, V("recovery_type"));
    s->recovery_logged_on[r] = day(V("logged_on"));
    /* Empty reads as CS-led (issue 14). */
    s->recovery_cs_led[r] = num(V("cs_led")) != 0;
    s->nrecoveries++;
    return 0;
}

static int
add_review(cl_snapshot *s, const cl_kind_def *def, const cl_value *row)
{
    size_t r = s->nreviews;
    if (GROW(s, nreviews, &s->in->cap[CL_KIND_REVIEWS], r + 1) ||
        refer(s, P_REVIEW_DEAL, r, V("deal_id"), s->review_deal))
        return -1;
    s->review_held_on[r] = day(V("held_on"));
    s->review_q1[r] = keep(s, V("q1"));
    s->review_q2[r] = keep(s, V("q2"));
    s->review_q3[r] = keep(s, V("q3"));
    s->review_q4[r] = keep(s, V("q4"));
    s->review_q5[r] = keep(s, V("q5"));
    s->review_q6[r] = keep(s, V("q6"));
    s->review_q7[r] = keep(s, V("q7"));
    s->review_gut[r] = enum_of(cl_gut_reads, V("gut_read"));
    s->nreviews++;
    return 0;
}

static int
add_cs_hours(cl_snapshot *s, const cl_kind_def *def, const cl_value *row)
{
    size_t r = s->ncs_hours;
    if (GROW(s, ncs_hours, &s->in->cap[CL_KIND_CS_HOURS], r + 1) ||
        refer(s, P_CS_HOURS_ACCOUNT, r, V("account_id"), s->cs_hours_account))
        return -1;
    s->cs_hours_month[r] = month(V("month"));
    s->cs_hours_hours[r] = money(V("hours"));
    s->ncs_hours++;
    return 0;
}

static int
add_arr(cl_snapshot *s, const cl_kind_def *def, const cl_value *row)
{
    size_t r = s->narr;
    if (GROW(s, narr, &s->in->cap[CL_KIND_ARR_MOVEMENTS], r + 1) ||
        refer(s, P_ARR_ACCOUNT, r, V("account_id"), s->arr_account))
        return -1;
    s->arr_on[r] = day(V("on"));
    s->arr_kind[r] = enum_of(cl_arr_kinds, V("kind"));
    s->arr_amount[r] = money(V("amount"));
    s->narr++;
    return 0;
}

static int
add_icp(cl_snapshot *s, const cl_kind_def *def, const cl_value *row)
{
    size_t r = s->nicp;
    if (GROW(s, nicp, &s->in->cap[CL_KIND_ICP], r + 1) ||
        refer(s, P_ICP_OWNER, r, V("owner_id"), s->icp_owner))
        return -1;
    s->icp_version[r] = (int32_t)num(V("version"));
    s->icp_effective_on[r] = day(V("effective_on"));
    s->icp_criteria[r] = keep(s, V("criteria"));
    s->icp_rationale[r] = keep(s, V("rationale"));
    s->icp_expr[r] = NULL;
    if (s->icp_criteria[r])
        cl_icp_expr_parse(s->icp_criteria[r], &s->icp_expr[r], NULL);
    s->nicp++;
    return 0;
}

static int
add_holiday(cl_snapshot *s, const cl_kind_def *def, const cl_value *row)
{
    if (GROW(s, nholidays, &s->in->cap[CL_KIND_HOLIDAYS], s->nholidays + 1))
        return -1;
    s->holidays[s->nholidays++] = day(V("on"));
    return 0;
}

cl_err
cl_snapshot_add(cl_snapshot *s, cl_kind kind, const cl_value *row,
                cl_error *err)
{
    static int (*const adders[CL_KIND_COUNT])(
        cl_snapshot *, const cl_kind_def *, const cl_value *) = {
        add_user,   add_account,  add_deal, add_churn, add_recovery,
        add_review, add_cs_hours, add_arr,  add_icp,   add_holiday};
    if (s->in->finished)
        return cl_error_set(err, CL_EINVAL, "snapshot already finished");
    if (adders[kind](s, cl_kind_get(kind), row) != 0)
        return cl_error_set(err, CL_ENOMEM,
                            "snapshot: out of memory or repeated id in %s",
                            cl_kind_get(kind)->name);
    return CL_OK;
}

cl_err
cl_snapshot_set_cause(cl_snapshot *s, const cl_cause *c, cl_error *err)
{
    if (s->in->block)
        return cl_error_set(err, CL_EINVAL, "snapshot is read-only");
    int i = cl_snapshot_cause(s, c->code);
    if (i < 0 && s->ncauses >= CL_MAX_CAUSES)
        return cl_error_set(err, CL_EINVAL,
                            "cause '%s': a workspace holds at most %d causes",
                            c->code, CL_MAX_CAUSES);
    cl_value cv = {.type = CL_V_TEXT, .s = c->code};
    if (i < 0) {
        const char *code = keep(s, &cv);
        if (code == NULL)
            return cl_error_set(err, CL_ENOMEM, "out of memory");
        i = (int)s->ncauses++;
        s->causes[i].code = code;
    }
    cl_value lv = {.type = CL_V_TEXT, .s = c->label};
    cl_value dv = {.type = CL_V_TEXT, .s = c->definition};
    cl_value rv = {.type = CL_V_TEXT, .s = c->routes_to};
    const char *label = keep(s, &lv), *definition = keep(s, &dv);
    const char *routes = keep(s, &rv);
    if (!label || !definition || !routes)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    s->causes[i].label = label;
    s->causes[i].definition = definition;
    s->causes[i].routes_to = routes;
    s->causes[i].sales_attributable = c->sales_attributable;
    s->causes[i].badfit = c->badfit;
    return CL_OK;
}

cl_err
cl_snapshot_set_threshold(cl_snapshot *s, const char *key, double value,
                          cl_error *err)
{
    size_t cap = 0;
    if (s->in->block)
        return cl_error_set(err, CL_EINVAL, "snapshot is read-only");
    for (size_t i = 0; i < s->nthresholds; i++)
        if (strcmp(s->threshold_key[i], key) == 0) {
            s->threshold_value[i] = value;
            return CL_OK;
        }
    cap = s->nthresholds; /* grow by exact need: a handful of keys */
    cl_value kv = {.type = CL_V_TEXT, .s = key};
    const char *k = keep(s, &kv);
    if (k == NULL || GROW(s, nthresholds, &cap, s->nthresholds + 1))
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    s->threshold_key[s->nthresholds] = k;
    s->threshold_value[s->nthresholds++] = value;
    return CL_OK;
}

/* --- the loop engine's records ---------------------------------------- */

static cl_err
refuse_over(const cl_snapshot *s, cl_error *err)
{
    return s->in->block ? cl_error_set(err, CL_EINVAL,
                                       "snapshot: read from a cache file, "
                                       "it cannot take more rows")
                        : CL_OK;
}

cl_err
cl_snapshot_add_notice(cl_snapshot *s, int32_t churn, int32_t recipient,
                       cl_time queued_at, cl_time sent_at, cl_error *err)
{
    if (refuse_over(s, err) != CL_OK)
        return CL_EINVAL;
    size_t r = s->nnotices;
    if (GROW(s, nnotices, &s->in->notices_cap, r + 1))
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    s->notice_churn[r] = churn;
    s->notice_recipient[r] = recipient;
    s->notice_queued_at[r] = queued_at;
    s->notice_sent_at[r] = sent_at;
    s->nnotices++;
    return CL_OK;
}

cl_err
cl_snapshot_add_tag_change(cl_snapshot *s, int32_t churn, int32_t by,
                           cl_time at, int8_t old_cause,
                           uint32_t old_contributing, int8_t new_cause,
                           uint32_t new_contributing, cl_error *err)
{
    if (refuse_over(s, err) != CL_OK)
        return CL_EINVAL;
    size_t r = s->ntag_changes;
    if (GROW(s, ntag_changes, &s->in->tag_changes_cap, r + 1))
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    s->tag_change_churn[r] = churn;
    s->tag_change_by[r] = by;
    s->tag_change_at[r] = at;
    s->tag_change_old_cause[r] = old_cause;
    s->tag_change_new_cause[r] = new_cause;
    s->tag_change_old_contributing[r] = old_contributing;
    s->tag_change_new_contributing[r] = new_contributing;
    s->ntag_changes++;
    return CL_OK;
}

static const char *
keep_text(cl_snapshot *s, const char *text)
{
    cl_value v = {.type = CL_V_TEXT, .s = text};
    return text ? keep(s, &v) : NULL;
}

cl_err
cl_snapshot_add_process_change(cl_snapshot *s, const char *session_kind,
                               const char *period, int32_t owner,
                               const char *description, cl_day checkin_due,
                               cl_day checkin_on, cl_error *err)
{
    if (refuse_over(s, err) != CL_OK)
        return CL_EINVAL;
    size_t r = s->npcs;
    if (GROW(s, npcs, &s->in->pcs_cap, r + 1))
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    s->pc_session_kind[r] = keep_text(s, session_kind);
    s->pc_period[r] = keep_text(s, period);
    s->pc_description[r] = keep_text(s, description);
    if ((session_kind && !s->pc_session_kind[r]) ||
        (period && !s->pc_period[r]) || (description && !s->pc_description[r]))
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    s->pc_owner[r] = owner;
    s->pc_checkin_due[r] = checkin_due;
    s->pc_checkin_on[r] = checkin_on;
    s->npcs++;
    return CL_OK;
}

cl_err
cl_snapshot_add_icp_review(cl_snapshot *s, cl_day on, cl_error *err)
{
    if (refuse_over(s, err) != CL_OK)
        return CL_EINVAL;
    if (GROW(s, nicp_reviews, &s->in->icp_reviews_cap, s->nicp_reviews + 1))
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    s->icp_review_on[s->nicp_reviews++] = on;
    return CL_OK;
}

/* --- finishing ---------------------------------------------------------- */

/* Builds id map which of a snapshot made by cl_snapshot_new_over; 0 or -1
   when out of memory. */
static int
build_ids(const cl_snapshot *s, int which)
{
    const char **ids = which == ID_USERS      ? s->user_id
                       : which == ID_ACCOUNTS ? s->account_id
                                              : s->deal_id;
    size_t n = which == ID_USERS      ? s->nusers
               : which == ID_ACCOUNTS ? s->naccounts
                                      : s->ndeals;
    cl_strset *set = cl_strset_new();
    for (size_t i = 0; set && i < n; i++) {
        uint32_t ord;
        const char *copy;
        /* A repeated id would break row == ordinal: no map then. */
        if (ids[i] == NULL ||
            cl_strset_intern(set, ids[i], strlen(ids[i]), &ord, &copy) != 1) {
            cl_strset_free(set);
            set = NULL;
        }
    }
    s->in->ids[which] = set;
    return set ? 0 : -1;
}

static int32_t
resolve(const cl_snapshot *s, int which, const char *id)
{
    if (id == NULL)
        return -1;
    if (s->in->ids[which] == NULL && build_ids(s, which) != 0)
        return -1;
    return (int32_t)cl_strset_find(s->in->ids[which], id, strlen(id));
}

/* Resolves the references refer left for later (the record came after). */
static void
resolve_all(cl_snapshot *s, int p, int which, int32_t *col, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s->in->ref[p].id[i] != RESOLVED)
            col[i] = resolve(s, which, s->in->ref[p].id[i]);
}

static int
cmp_day(const void *a, const void *b)
{
    cl_day x = *(const cl_day *)a, y = *(const cl_day *)b;
    return (x > y) - (x < y);
}

cl_err
cl_snapshot_finish(cl_snapshot *s, cl_error *err)
{
    if (s->in->finished)
        return CL_OK;
    resolve_all(s, P_USER_MANAGER, ID_USERS, s->user_manager, s->nusers);
    resolve_all(s, P_ACCOUNT_CSM, ID_USERS, s->account_csm, s->naccounts);
    resolve_all(s, P_DEAL_ACCOUNT, ID_ACCOUNTS, s->deal_account, s->ndeals);
    resolve_all(s, P_DEAL_AE, ID_USERS, s->deal_ae, s->ndeals);
    resolve_all(s, P_CHURN_ACCOUNT, ID_ACCOUNTS, s->churn_account, s->nchurns);
    resolve_all(s, P_CHURN_DEAL, ID_DEALS, s->churn_deal, s->nchurns);
    resolve_all(s, P_CHURN_TAGGED_BY, ID_USERS, s->churn_tagged_by, s->nchurns);
    resolve_all(s, P_RECOVERY_ORIGINAL, ID_DEALS, s->recovery_original,
                s->nrecoveries);
    resolve_all(s, P_RECOVERY_NEW, ID_DEALS, s->recovery_new, s->nrecoveries);
    resolve_all(s, P_RECOVERY_CSM, ID_USERS, s->recovery_csm, s->nrecoveries);
    resolve_all(s, P_REVIEW_DEAL, ID_DEALS, s->review_deal, s->nreviews);
    resolve_all(s, P_CS_HOURS_ACCOUNT, ID_ACCOUNTS, s->cs_hours_account,
                s->ncs_hours);
    resolve_all(s, P_ARR_ACCOUNT, ID_ACCOUNTS, s->arr_account, s->narr);
    resolve_all(s, P_ICP_OWNER, ID_USERS, s->icp_owner, s->nicp);

    /* A customer starts with its earliest won `new` deal (by closed_on,
       then id, as the importer links churns). */
    for (size_t d = 0; d < s->ndeals; d++) {
        int32_t a = s->deal_account[d];
        if (a < 0 || s->deal_state[d] != CL_DEAL_WON || s->deal_type[d] != 0 ||
            s->deal_closed_on[d] == CL_DAY_NONE)
            continue;
        int32_t cur = s->account_start_deal[a];
        if (cur < 0 || s->deal_closed_on[d] < s->deal_closed_on[cur] ||
            (s->deal_closed_on[d] == s->deal_closed_on[cur] &&
             strcmp(s->deal_id[d], s->deal_id[cur]) < 0)) {
            s->account_start_deal[a] = (int32_t)d;
            s->account_start[a] = s->deal_closed_on[d];
        }
    }
    /* One review per deal is the rule; if there are more, the first
       counts. */
    for (size_t r = 0; r < s->nreviews; r++) {
        int32_t d = s->review_deal[r];
        cl_day h = s->review_held_on[r];
        if (d >= 0 && h != CL_DAY_NONE &&
            (s->deal_review_held_on[d] == CL_DAY_NONE ||
             h < s->deal_review_held_on[d])) {
            s->deal_review_held_on[d] = h;
            s->deal_review[d] = (int32_t)r;
        }
    }
    for (size_t c = 0; c < s->nchurns; c++) {
        int32_t a = s->churn_account[c];
        if (a < 0)
            continue;
        int32_t cur = s->account_first_churn[a];
        if (cur < 0 || s->churn_on[c] < s->churn_on[cur])
            s->account_first_churn[a] = (int32_t)c;
    }

    /* ICP versions by version number; holidays ascending. */
    for (size_t i = 1; i < s->nicp; i++)
        for (size_t j = i; j > 0 && s->icp_version[j - 1] > s->icp_version[j];
             j--) {
#define SWAP(col)                                                              \
    do {                                                                       \
        __typeof__(col[0]) t_ = col[j];                                        \
        col[j] = col[j - 1];                                                   \
        col[j - 1] = t_;                                                       \
    } while (0)
            SWAP(s->icp_version);
            SWAP(s->icp_effective_on);
            SWAP(s->icp_criteria);
            SWAP(s->icp_rationale);
            SWAP(s->icp_owner);
            SWAP(s->icp_expr);
#undef SWAP
        }
    if (s->nholidays > 0)
        qsort(s->holidays, s->nholidays, sizeof *s->holidays, cmp_day);
    s->calendar.holidays = s->holidays;
    s->calendar.nholidays = s->nholidays;

    for (int p = 0; p < P_COUNT; p++) {
        free(s->in->ref[p].id);
        s->in->ref[p].id = NULL;
        s->in->ref[p].cap = 0;
    }
    s->in->finished = 1;
    (void)err;
    return CL_OK;
}

/* --- reading ------------------------------------------------------------ */

double
cl_snapshot_threshold(const cl_snapshot *s, const char *key)
{
    for (size_t i = 0; i < s->nthresholds; i++)
        if (strcmp(s->threshold_key[i], key) == 0)
            return s->threshold_value[i];
    const cl_threshold *t = cl_threshold_find(key);
    return t ? t->value : NAN;
}

int32_t
cl_snapshot_user(const cl_snapshot *s, const char *id)
{
    return resolve(s, ID_USERS, id);
}

int32_t
cl_snapshot_account(const cl_snapshot *s, const char *id)
{
    return resolve(s, ID_ACCOUNTS, id);
}

int32_t
cl_snapshot_deal(const cl_snapshot *s, const char *id)
{
    return resolve(s, ID_DEALS, id);
}

const char *
cl_snapshot_str(const cl_snapshot *s, int32_t i)
{
    return (i >= 0 && (size_t)i < s->nstrings) ? s->strings[i] : NULL;
}

int32_t
cl_snapshot_icp_at(const cl_snapshot *s, cl_day d)
{
    int32_t best = -1;
    for (size_t i = 0; i < s->nicp; i++)
        if (s->icp_effective_on[i] != CL_DAY_NONE &&
            s->icp_effective_on[i] <= d)
            best = (int32_t)i;
    return best;
}

typedef struct icp_record {
    const cl_snapshot *s;
    int32_t d, a;
    char buf[32];
} icp_record;

static const char *
icp_lookup(void *ud, const char *field)
{
    icp_record *r = ud;
    const cl_snapshot *s = r->s;
    int32_t d = r->d, a = r->a;
    long long v = -1;
    if (strcmp(field, "industry") == 0)
        return a < 0 ? NULL : cl_snapshot_str(s, s->account_industry[a]);
    if (strcmp(field, "region") == 0)
        return a < 0 ? NULL : cl_snapshot_str(s, s->account_region[a]);
    if (strcmp(field, "source") == 0)
        return cl_snapshot_str(s, s->deal_source[d]);
    if (strcmp(field, "use_case") == 0)
        return cl_snapshot_str(s, s->deal_use_case[d]);
    if (strcmp(field, "type") == 0)
        return s->deal_type[d] < 0 ? NULL : cl_deal_types[s->deal_type[d]];
    if (strcmp(field, "champion_level") == 0)
        return s->deal_champion_level[d] < 0
                   ? NULL
                   : cl_champion_levels[s->deal_champion_level[d]];
    if (strcmp(field, "has_ops_function") == 0 ||
        strcmp(field, "exec_sponsor") == 0) {
        int b = field[0] == 'h' ? (a < 0 ? -1 : s->account_has_ops[a])
                                : s->deal_exec_sponsor[d];
        return b < 0 ? NULL : b ? "true" : "false";
    }
    if (strcmp(field, "arr") == 0) {
        if (isnan(s->deal_arr[d]))
            return NULL;
        snprintf(r->buf, sizeof r->buf, "%.2f", s->deal_arr[d]);
        return r->buf;
    }
    if (strcmp(field, "employees") == 0)
        v = a < 0 ? -1 : s->account_employees[a];
    else if (strcmp(field, "icp_fit_score") == 0)
        v = s->deal_icp_fit[d];
    else if (strcmp(field, "champion_tenure_months") == 0)
        v = s->deal_champion_tenure[d];
    if (v < 0)
        return NULL;
    snprintf(r->buf, sizeof r->buf, "%lld", v);
    return r->buf;
}

int
cl_snapshot_in_icp(const cl_snapshot *s, int32_t v, int32_t d)
{
    if (v < 0 || (size_t)v >= s->nicp || s->icp_expr[v] == NULL)
        return -1;
    icp_record r = {s, d, s->deal_account[d], {0}};
    return cl_icp_expr_eval(s->icp_expr[v], icp_lookup, &r);
}

void
cl_snapshot_free(cl_snapshot *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nicp; i++)
        cl_icp_expr_free(s->icp_expr[i]);
    if (s->in && s->in->block) {
        /* The columns are the block's, but for the in-memory ones (L in
           CL_SNAPSHOT_TABLES): icp_expr. */
        free(s->icp_expr);
        if (s->in->release)
            s->in->release(s->in->block);
        for (int i = 0; i < 3; i++)
            cl_strset_free(s->in->ids[i]);
        free(s->in);
        free(s);
        return;
    }
    for (size_t i = 0; i < NCOLUMNS; i++)
        free(*column_ptr(s, &columns[i]));
    if (s->in) {
        cl_strset_free(s->in->text);
        cl_strset_free(s->in->interned);
        for (int i = 0; i < 3; i++)
            cl_strset_free(s->in->ids[i]);
        for (int p = 0; p < P_COUNT; p++)
            free(s->in->ref[p].id);
        free(s->in);
    }
    free(s);
}
