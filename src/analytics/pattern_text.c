/*
 * pattern_text.c - a pattern's conditions as text: evaluating them on a deal
 * and its account, the sentence in cohort language, and the JSON contract.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "patterns_int.h"
#include "report.h"

const char *const cl__pattern_fields[CL__PA_COUNT] = {"employees",
                                                      "industry",
                                                      "region",
                                                      "has_ops_function",
                                                      "source",
                                                      "champion_level",
                                                      "champion_tenure_months",
                                                      "exec_sponsor",
                                                      "icp_fit_score",
                                                      "arr",
                                                      "use_case",
                                                      "promises",
                                                      "gut_read"};


int
cl__pattern_attr(const char *field)
{
    for (int i = 0; field && i < CL__PA_COUNT; i++)
        if (strcmp(field, cl__pattern_fields[i]) == 0)
            return i;
    return -1;
}

static int
is_number_attr(int a)
{
    return a == CL__PA_EMPLOYEES || a == CL__PA_TENURE || a == CL__PA_ICP_FIT ||
           a == CL__PA_ARR;
}

/* The attribute's value: *num for numbers, levels and booleans, *text for
   text; 0 when it is unknown. */
static int
attr_value(const cl_snapshot *s, int attr, int32_t a, int32_t d, double *num,
           const char **text)
{
    *text = NULL;
    switch (attr) {
    case CL__PA_EMPLOYEES:
        if (a < 0 || s->account_employees[a] < 1)
            return 0;
        *num = s->account_employees[a];
        return 1;
    case CL__PA_INDUSTRY:
        *text = a < 0 ? NULL : cl_snapshot_str(s, s->account_industry[a]);
        return *text != NULL;
    case CL__PA_REGION:
        *text = a < 0 ? NULL : cl_snapshot_str(s, s->account_region[a]);
        return *text != NULL;
    case CL__PA_HAS_OPS:
        if (a < 0 || s->account_has_ops[a] < 0)
            return 0;
        *num = s->account_has_ops[a];
        return 1;
    case CL__PA_SOURCE:
        *text = d < 0 ? NULL : cl_snapshot_str(s, s->deal_source[d]);
        return *text != NULL;
    case CL__PA_USE_CASE:
        *text = d < 0 ? NULL : cl_snapshot_str(s, s->deal_use_case[d]);
        return *text != NULL;
    case CL__PA_CHAMPION_LEVEL:
        if (d < 0 || s->deal_champion_level[d] < 0)
            return 0;
        *num = s->deal_champion_level[d];
        return 1;
    case CL__PA_TENURE:
        if (d < 0 || s->deal_champion_tenure[d] < 0)
            return 0;
        *num = s->deal_champion_tenure[d];
        return 1;
    case CL__PA_EXEC_SPONSOR:
        if (d < 0 || s->deal_exec_sponsor[d] < 0)
            return 0;
        *num = s->deal_exec_sponsor[d];
        return 1;
    case CL__PA_ICP_FIT:
        if (d < 0 || s->deal_icp_fit[d] < 0 || s->deal_icp_fit[d] > 100)
            return 0;
        *num = s->deal_icp_fit[d];
        return 1;
    case CL__PA_ARR:
        if (d < 0 || isnan(s->deal_arr[d]))
            return 0;
        *num = s->deal_arr[d];
        return 1;
    case CL__PA_PROMISES: {
        int c = cl_deal_promises(s, d);
        *text = c < 0 ? NULL : cl_promises_values[c];
        return *text != NULL;
    }
    case CL__PA_GUT_READ: {
        int g = cl_deal_gut_read(s, d);
        *text = g < 0 ? NULL : cl_gut_reads[g];
        return *text != NULL;
    }
    }
    return 0;
}

/* Reads a condition's value as a number of attribute attr: a number, a
   champion level or true/false.  0 when it cannot be read. */
static int
read_num(int attr, const char *v, double *out)
{
    if (attr == CL__PA_CHAMPION_LEVEL) {
        int i = cl_enum_index(cl_champion_levels, v);
        *out = i;
        return i >= 0;
    }
    if (attr == CL__PA_HAS_OPS || attr == CL__PA_EXEC_SPONSOR) {
        if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
            return 0;
        *out = v[0] == 't';
        return 1;
    }
    char *end;
    *out = strtod(v, &end);
    return end != v && *end == '\0';
}

/* 1 if text is one of the ';'-separated items of list. */
static int
in_list(const char *list, const char *text)
{
    size_t n = strlen(text);
    for (const char *p = list;;) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, text, n) == 0)
            return 1;
        if (e == NULL)
            return 0;
        p = e + 1;
    }
}

int
cl__condition_eval(const cl_snapshot *s, const cl_condition *c, int32_t a,
                   int32_t d)
{
    int attr = cl__pattern_attr(c->field);
    double x = 0, v;
    const char *text;
    if (attr < 0 || c->op == NULL || c->value == NULL ||
        !attr_value(s, attr, a, d, &x, &text))
        return -1;
    const char *op = c->op;
    if (text) {
        if (strcmp(op, "=") == 0)
            return strcmp(text, c->value) == 0;
        if (strcmp(op, "!=") == 0)
            return strcmp(text, c->value) != 0;
        if (strcmp(op, "in") == 0)
            return in_list(c->value, text);
        return -1;
    }
    if (strcmp(op, "in") == 0) {
        if (is_number_attr(attr)) {
            /* "LO-HI", both inclusive. */
            char *end;
            double lo = strtod(c->value, &end);
            if (end == c->value || *end != '-')
                return -1;
            const char *h = end + 1;
            double hi = strtod(h, &end);
            if (end == h || *end != '\0')
                return -1;
            return x >= lo && x <= hi;
        }
        /* A list of champion levels or booleans. */
        char buf[64];
        for (const char *p = c->value;;) {
            const char *e = strchr(p, ';');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            if (len >= sizeof buf)
                return -1;
            memcpy(buf, p, len);
            buf[len] = '\0';
            if (!read_num(attr, buf, &v))
                return -1;
            if (v == x)
                return 1;
            if (e == NULL)
                return 0;
            p = e + 1;
        }
    }
    if (!read_num(attr, c->value, &v))
        return -1;
    if (strcmp(op, "=") == 0)
        return x == v;
    if (strcmp(op, "!=") == 0)
        return x != v;
    if (strcmp(op, "<") == 0)
        return x < v;
    if (strcmp(op, "<=") == 0)
        return x <= v;
    if (strcmp(op, ">") == 0)
        return x > v;
    if (strcmp(op, ">=") == 0)
        return x >= v;
    return -1;
}

int
cl_pattern_matches_deal(const cl_snapshot *s, const cl_pattern *p, int32_t d)
{
    if (d < 0 || (size_t)d >= s->ndeals)
        return -1;
    int32_t a = s->deal_account[d];
    int r = 1;
    for (size_t i = 0; i < p->nconditions; i++) {
        int m = cl__condition_eval(s, &p->conditions[i], a, d);
        if (m == 0)
            return 0;
        if (m < 0)
            r = -1;
    }
    return r;
}

/* ---- descriptions ---- */

/* snprintf that may truncate: phrases are bounded, and a cut phrase is
   better than none. */
static void put(char *out, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
put(char *out, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, len, fmt, ap);
    va_end(ap);
}

static const char *
level_label(const char *v)
{
    static const char *const labels[] = {"individual contributor", "manager",
                                         "director", "VP", "C-level"};
    int i = cl_enum_index(cl_champion_levels, v);
    return i >= 0 ? labels[i] : v;
}

/* A money amount as "$12,345" (cents only when there are any). */
static void
money(char *out, size_t len, const char *v)
{
    double x = strtod(v, NULL);
    long long whole = (long long)floor(x);
    int cents = (int)llround((x - (double)whole) * 100);
    char digits[32], grouped[48];
    put(digits, sizeof digits, "%lld", whole);
    size_t n = strlen(digits), k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[k++] = ',';
        grouped[k++] = digits[i];
    }
    grouped[k] = '\0';
    if (cents)
        put(out, len, "$%s.%02d", grouped, cents);
    else
        put(out, len, "$%s", grouped);
}

/* A number range "LO-HI" of a condition, split for phrases. */
static void
range(const char *v, char *lo, char *hi, size_t len)
{
    const char *dash = strchr(v, '-');
    size_t n = dash ? (size_t)(dash - v) : strlen(v);
    if (n >= len)
        n = len - 1;
    memcpy(lo, v, n);
    lo[n] = '\0';
    put(hi, len, "%s", dash ? dash + 1 : "");
}

/*
 * The phrase of one condition.  Returns 'S' for the subject ("teams under
 * 20 people"), 'P' for a prepositional phrase ("in fintech") and 'W' for a
 * phrase that follows "with" ("no ops function").
 */
static int
phrase(const cl_condition *c, char *out, size_t len)
{
    int attr = cl__pattern_attr(c->field);
    const char *op = c->op, *v = c->value;
    char lo[40], hi[40], m1[48], m2[48];
    int lt = strcmp(op, "<") == 0, ge = strcmp(op, ">=") == 0,
        in = strcmp(op, "in") == 0, eq = strcmp(op, "=") == 0;
    int tf = strcmp(v, "true") == 0;
    if (in && attr != CL__PA_CHAMPION_LEVEL)
        range(v, lo, hi, sizeof lo);
    switch (attr) {
    case CL__PA_EMPLOYEES:
        if (lt)
            put(out, len, "teams under %s people", v);
        else if (ge)
            put(out, len, "teams of %s or more people", v);
        else if (in)
            put(out, len, "teams of %s-%s people", lo, hi);
        else
            break;
        return 'S';
    case CL__PA_INDUSTRY:
    case CL__PA_REGION:
        if (!eq)
            break;
        put(out, len, "in %s", v);
        return 'P';
    case CL__PA_SOURCE:
        if (!eq)
            break;
        put(out, len, "sourced through %s", v);
        return 'P';
    case CL__PA_HAS_OPS:
        if (!eq)
            break;
        put(out, len, "%s", tf ? "an ops function" : "no ops function");
        return 'W';
    case CL__PA_EXEC_SPONSOR:
        if (!eq)
            break;
        put(out, len, "%s",
            tf ? "an executive sponsor" : "no executive sponsor");
        return 'W';
    case CL__PA_CHAMPION_LEVEL:
        if (lt)
            put(out, len, "a champion below %s", level_label(v));
        else if (ge)
            put(out, len, "a champion at %s level or above", level_label(v));
        else if (eq)
            put(out, len, "a champion at %s level", level_label(v));
        else
            break;
        return 'W';
    case CL__PA_TENURE:
        if (lt)
            put(out, len, "a champion under %s months in the role", v);
        else if (ge)
            put(out, len, "a champion %s or more months in the role", v);
        else if (in)
            put(out, len, "a champion %s-%s months in the role", lo, hi);
        else
            break;
        return 'W';
    case CL__PA_ICP_FIT:
        if (lt)
            put(out, len, "an ICP fit score under %s", v);
        else if (ge)
            put(out, len, "an ICP fit score of %s or more", v);
        else if (in)
            put(out, len, "an ICP fit score of %s-%s", lo, hi);
        else
            break;
        return 'W';
    case CL__PA_ARR:
        if (lt || ge) {
            money(m1, sizeof m1, v);
            put(out, len, lt ? "ARR under %s" : "ARR of %s or more", m1);
        } else if (in) {
            money(m1, sizeof m1, lo);
            money(m2, sizeof m2, hi);
            put(out, len, "ARR of %s-%s", m1, m2);
        } else {
            break;
        }
        return 'W';
    case CL__PA_USE_CASE:
        if (!eq)
            break;
        put(out, len, "a %s use case", v);
        return 'W';
    case CL__PA_PROMISES:
        if (!eq)
            break;
        put(out, len, "%s",
            strcmp(v, "concrete") == 0 ? "concrete promises made at close"
                                       : "no concrete promise at close");
        return 'W';
    case CL__PA_GUT_READ:
        if (!eq)
            break;
        put(out, len, "a %s gut read from the AE at close", v);
        return 'W';
    }
    put(out, len, "%s %s %s", c->field, op, v);
    return 'W';
}

void
cl__pattern_describe(cl_pattern *p, cl_pattern_target t, double base_rate)
{
    static const char *const who[] = {"Customers", "Lost deals", "Deals"};
    static const char *const unit[] = {"customers", "lost deals", "deals"};
    static const char *const verb[] = {"churned", "recovered", "lost"};
    char subj[96] = "", preps[160] = "", with[256] = "", ph[3][128];
    size_t nwith = 0, iw = 0;
    int kinds[3], lvl = -1, ten = -1;
    for (size_t i = 0; i < p->nconditions && i < 3; i++) {
        kinds[i] = phrase(&p->conditions[i], ph[i], sizeof ph[i]);
        nwith += kinds[i] == 'W';
        if (strcmp(p->conditions[i].field, "champion_level") == 0)
            lvl = (int)i;
        if (strcmp(p->conditions[i].field, "champion_tenure_months") == 0)
            ten = (int)i;
    }
    /* One champion: "a champion below director under 6 months in the
       role", not "a champion ... and a champion ...". */
    static const char champ[] = "a champion ";
    if (lvl >= 0 && ten >= 0 && kinds[lvl] == 'W' && kinds[ten] == 'W' &&
        strncmp(ph[ten], champ, sizeof champ - 1) == 0 &&
        strncmp(ph[lvl], champ, sizeof champ - 1) == 0) {
        size_t n = strlen(ph[lvl]);
        put(ph[lvl] + n, sizeof ph[lvl] - n, " %s", ph[ten] + sizeof champ - 1);
        kinds[ten] = 0;
        nwith--;
    }
    for (size_t i = 0; i < p->nconditions && i < 3; i++) {
        if (kinds[i] == 'S' && subj[0] == '\0') {
            put(subj, sizeof subj, "%c%s", ph[i][0] - 32, ph[i] + 1);
        } else if (kinds[i] == 'P') {
            size_t n = strlen(preps);
            put(preps + n, sizeof preps - n, " %s", ph[i]);
        } else if (kinds[i] == 'W') {
            size_t n = strlen(with);
            const char *sep = iw == 0           ? " with "
                              : iw + 1 == nwith ? " and "
                                                : ", ";
            put(with + n, sizeof with - n, "%s%s", sep, ph[i]);
            iw++;
        }
    }
    if (subj[0] == '\0')
        put(subj, sizeof subj, "%s", who[t]);
    put(p->description, sizeof p->description,
        "%s%s%s: %zu %s, %zu %s (%.0f%% vs %.0f%% overall, %.1fx)", subj, preps,
        with, p->count, unit[t], p->target_count, verb[t], p->rate * 100,
        base_rate * 100, p->lift);
}

/* ---- JSON ---- */

/* A p-value to 6 significant digits (tiny ones must not round to 0). */
static json_t *
sig6(double v)
{
    char buf[32];
    if (isnan(v))
        return json_null();
    snprintf(buf, sizeof buf, "%.6g", v);
    return json_real(strtod(buf, NULL));
}

json_t *
cl_patterns_json(const cl_pattern_result *r)
{
    json_t *list = json_array();
    json_t *o = json_object();
    if (list == NULL || o == NULL) {
        json_decref(list);
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "target",
                        json_string(cl_pattern_target_name(r->target)));
    json_object_set_new(o, "period",
                        r->has_period ? json_string(r->period.label)
                                      : json_null());
    json_object_set_new(o, "population",
                        json_integer((json_int_t)r->population));
    json_object_set_new(o, "targets", json_integer((json_int_t)r->targets));
    json_object_set_new(o, "base_rate", cl_json_num(r->base_rate, 6));
    json_object_set_new(o, "min_support",
                        json_integer((json_int_t)r->min_support));
    json_object_set_new(o, "tested", json_integer((json_int_t)r->tested));
    for (size_t i = 0; i < r->npatterns; i++) {
        const cl_pattern *p = &r->patterns[i];
        json_t *conds = json_array();
        for (size_t k = 0; k < p->nconditions; k++)
            json_array_append_new(conds, json_pack("{s:s, s:s, s:s}", "field",
                                                   p->conditions[k].field, "op",
                                                   p->conditions[k].op, "value",
                                                   p->conditions[k].value));
        json_t *e = json_object();
        json_object_set_new(e, "conditions", conds);
        json_object_set_new(e, "count", json_integer((json_int_t)p->count));
        json_object_set_new(e, "target_count",
                            json_integer((json_int_t)p->target_count));
        json_object_set_new(e, "rate", cl_json_num(p->rate, 6));
        json_object_set_new(e, "lift", cl_json_num(p->lift, 4));
        json_object_set_new(e, "p_value", sig6(p->p_value));
        json_object_set_new(e, "q_value", sig6(p->q_value));
        json_object_set_new(e, "quality", sig6(p->quality));
        json_object_set_new(e, "description", json_string(p->description));
        json_array_append_new(list, e);
    }
    json_object_set_new(o, "patterns", list);
    return o;
}
