/*
 * report_pipeline.c - open pipeline at risk (docs/design.md section 2,
 * item 11).
 *
 * Open deals that fall outside the current ICP, carry a champion-stability
 * or slow-to-demo flag, or match a significant churn pattern, each with its
 * reason and the strength of its evidence (cl_pipeline_flags, which the
 * tick's digest uses too), ranked by evidence.  It goes to the deal's AE
 * and their manager, so AE ids appear.  Definitions are in
 * docs/metrics.md, section "Pipeline at risk".
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns.h"
#include "pipeline.h"

#define MAX_CONJUNCTS 16

/*
 * The top-level conjuncts of an ICP criteria, each parsed on its own, so
 * that "outside the ICP" can name the criterion a deal fails.  A criteria
 * whose top level is not a plain `and` chain is one conjunct.
 */
typedef struct conjuncts {
    size_t n;
    char *text[MAX_CONJUNCTS];
    char *words[MAX_CONJUNCTS]; /* each in words, for people (issue 16) */
    cl_icp_expr *expr[MAX_CONJUNCTS];
    char *all_words; /* the whole criteria in words */
} conjuncts;

static void
conjuncts_free(conjuncts *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->text[i]);
        free(c->words[i]);
        cl_icp_expr_free(c->expr[i]);
    }
    c->n = 0;
}

/* Splits the canonical text of e on " and " at depth 0, outside quotes;
   leaves c->n = 0 when the top level holds an " or ". */
static void
conjuncts_split(const cl_icp_expr *e, conjuncts *c)
{
    char *t = cl_icp_expr_format(e);
    size_t start = 0, depth = 0, len;
    int quoted = 0;
    c->n = 0;
    if (t == NULL)
        return;
    len = strlen(t);
    for (size_t i = 0; i <= len; i++) {
        int cut = i == len;
        if (!cut) {
            if (t[i] == '\'')
                quoted = !quoted;
            else if (!quoted && t[i] == '(')
                depth++;
            else if (!quoted && t[i] == ')')
                depth--;
            else if (!quoted && depth == 0 && strncmp(t + i, " or ", 4) == 0) {
                conjuncts_free(c);
                free(t);
                return;
            } else if (!quoted && depth == 0 && strncmp(t + i, " and ", 5) == 0)
                cut = 1;
        }
        if (!cut)
            continue;
        if (c->n < MAX_CONJUNCTS) {
            char *part = strndup(t + start, i - start);
            cl_icp_expr *pe = NULL;
            if (part && cl_icp_expr_parse(part, &pe, NULL) == CL_OK) {
                c->text[c->n] = part;
                c->words[c->n] = cl_icp_expr_words(pe);
                c->expr[c->n++] = pe;
            } else {
                free(part);
            }
        }
        start = i + 5;
        i += 4;
    }
    free(t);
}

/* "outside ICP vN: the failing criteria" for deal d; returns how many
   criteria it fails (1 when the criteria is not an `and` chain).  With
   words, the criteria read as people say them ("outside ICP version 2,
   which needs: employees at least 50"). */
static int
icp_reason(const cl_snapshot *s, int32_t v, const conjuncts *c, int32_t d,
           int words, char *out, size_t size)
{
    size_t at = (size_t)snprintf(out, size,
                                 words ? "outside ICP version %d, which needs:"
                                       : "outside ICP version %d:",
                                 (int)s->icp_version[v]);
    int named = 0;
    /* Evaluate each conjunct through a shallow copy of the snapshot whose
       one ICP version is that conjunct, so the lookup is the snapshot's. */
    cl_snapshot one = *s;
    for (size_t i = 0; i < c->n && at < size; i++) {
        one.nicp = 1;
        one.icp_expr = (cl_icp_expr **)&c->expr[i];
        if (cl_snapshot_in_icp(&one, 0, d) == 0) {
            const char *t = words && c->words[i] ? c->words[i] : c->text[i];
            at += (size_t)snprintf(out + at, size - at, "%s %s",
                                   named ? ";" : "", t);
            named++;
        }
    }
    if (!named && at < size)
        snprintf(out + at, size - at, " %s",
                 words && c->all_words ? c->all_words : s->icp_criteria[v]);
    return named ? named : 1;
}

/* ---- the flags ------------------------------------------------------------
 */

/* Adds a flag to p, whose array has room for every flag (at most one of
   each kind per open deal); 0, or -1 when out of memory. */
static int
flag_add(cl_pipeline *p, int32_t d, cl_wf_pf kind, double evidence,
         const char *reason, const char *words)
{
    cl_pipeline_flag *f = &p->flags[p->nflags];
    f->reason = strdup(reason);
    f->reason_words = strdup(words ? words : reason);
    if (f->reason == NULL || f->reason_words == NULL) {
        free(f->reason);
        free(f->reason_words);
        return -1;
    }
    f->deal = d;
    f->kind = kind;
    f->evidence = evidence;
    p->nflags++;
    return 0;
}

static int
cmp_flag(const void *pa, const void *pb)
{
    const cl_pipeline_flag *a = pa, *b = pb;
    return cl_wf_pf_cmp(a->kind, a->evidence, b->kind, b->evidence);
}

void
cl_pipeline_release(cl_pipeline *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->nflags; i++)
        free(p->flags[i].reason), free(p->flags[i].reason_words);
    free(p->flags);
    memset(p, 0, sizeof *p);
    p->icp = -1;
}

cl_err
cl_pipeline_flags(const cl_snapshot *s, cl_day today, cl_pipeline *out,
                  cl_error *err)
{
    double tenure_min = cl_snapshot_threshold(s, "champion_tenure_months");
    double demo_max = cl_snapshot_threshold(s, "slow_to_demo_days");
    int32_t v = cl_snapshot_icp_at(s, today);
    conjuncts cj = {0};
    cl_pattern_result pr = {0};
    cl_pattern_opts po = {0};
    size_t nopen = 0;
    int oom = 0;
    cl_err rc;

    memset(out, 0, sizeof *out);
    out->icp = v;
    for (size_t d = 0; d < s->ndeals; d++)
        nopen += s->deal_state[d] == CL_DEAL_OPEN;
    out->open_deals = nopen;
    out->flags = malloc((CL_WF_PF_COUNT * nopen + 1) * sizeof *out->flags);
    if (out->flags == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    po.target = CL_TARGET_CHURN;
    po.today = today;
    if ((rc = cl_patterns_find(s, &po, &pr, err)) != CL_OK) {
        cl_pipeline_release(out);
        return rc;
    }
    out->churn_patterns = pr.npatterns;
    if (v >= 0 && s->icp_expr[v])
        conjuncts_split(s->icp_expr[v], &cj);
    if (v >= 0 && s->icp_expr[v])
        cj.all_words = cl_icp_expr_words(s->icp_expr[v]);

    for (size_t d = 0; d < s->ndeals && !oom; d++) {
        char why[400];
        size_t first = out->nflags;
        if (s->deal_state[d] != CL_DEAL_OPEN)
            continue;
        /* The best-ranked significant pattern the deal matches; its lift
           is the evidence. */
        for (size_t i = 0; i < pr.npatterns; i++)
            if (cl_pattern_matches_deal(s, &pr.patterns[i], (int32_t)d) == 1) {
                oom |= flag_add(out, (int32_t)d, CL_WF_PF_CHURN_PATTERN,
                                pr.patterns[i].lift, pr.patterns[i].description,
                                NULL);
                break;
            }
        if (v >= 0 && cl_snapshot_in_icp(s, v, (int32_t)d) == 0) {
            char words[400];
            int failed = icp_reason(s, v, &cj, (int32_t)d, 0, why, sizeof why);
            icp_reason(s, v, &cj, (int32_t)d, 1, words, sizeof words);
            int fit = s->deal_icp_fit[d];
            oom |= flag_add(
                out, (int32_t)d, CL_WF_PF_OUTSIDE_ICP,
                failed + (fit >= 0 && fit <= 100 ? (100 - fit) / 100.0 : 0.0),
                why, words);
        }
        int tenure = s->deal_champion_tenure[d];
        int short_tenure = tenure >= 0 && tenure < tenure_min;
        int no_sponsor = s->deal_exec_sponsor[d] == 0;
        if (short_tenure || no_sponsor) {
            int at = 0;
            double ev = no_sponsor;
            if (short_tenure) {
                at = snprintf(why, sizeof why,
                              "champion in the role %d months (under %.0f)",
                              tenure, tenure_min);
                ev += 1 + (tenure_min - tenure) / tenure_min;
            }
            if (no_sponsor)
                snprintf(why + at, sizeof why - (size_t)at,
                         "%sno executive sponsor", at ? "; " : "");
            oom |= flag_add(out, (int32_t)d, CL_WF_PF_CHAMPION_STABILITY, ev,
                            why, NULL);
        }
        cl_day created = s->deal_created_on[d], demo = s->deal_first_demo_on[d];
        int days = -1;
        if (created != CL_DAY_NONE && demo != CL_DAY_NONE &&
            demo - created > demo_max) {
            days = (int)(demo - created);
            snprintf(why, sizeof why,
                     "first demo %d days after creation (over %.0f)", days,
                     demo_max);
        } else if (created != CL_DAY_NONE && demo == CL_DAY_NONE &&
                   today - created > demo_max) {
            days = (int)(today - created);
            snprintf(why, sizeof why,
                     "no demo after %d days in pipeline (over %.0f)", days,
                     demo_max);
        }
        if (days >= 0)
            oom |= flag_add(out, (int32_t)d, CL_WF_PF_SLOW_TO_DEMO,
                            demo_max > 0 ? days / demo_max : days, why, NULL);
        if (out->nflags - first > 1)
            qsort(out->flags + first, out->nflags - first, sizeof *out->flags,
                  cmp_flag);
    }
    conjuncts_free(&cj);
    free(cj.all_words);
    cl_patterns_free(&pr);
    if (oom) {
        cl_pipeline_release(out);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    return CL_OK;
}

/* ---- the report -----------------------------------------------------------
 */

/* By the strongest flag, then more flags, then ARR (unknown last), then
   the deal id. */
static int
cmp_flagged(const cl_pipeline_deal *a, const cl_pipeline_deal *b,
            const cl_snapshot *s)
{
    int c = cl_wf_pf_cmp(a->flags[0].kind, a->flags[0].evidence,
                         b->flags[0].kind, b->flags[0].evidence);
    double x = s->deal_arr[a->d], y = s->deal_arr[b->d];
    if (c)
        return c;
    if (a->nflags != b->nflags)
        return a->nflags > b->nflags ? -1 : 1;
    if (isnan(x) != isnan(y))
        return isnan(x) ? 1 : -1;
    if (!isnan(x) && x != y)
        return x > y ? -1 : 1;
    return strcmp(s->deal_id[a->d], s->deal_id[b->d]);
}

/* qsort has no context argument: a bottom-up merge sort, stable. */
static int
sort_flagged(cl_pipeline_deal *f, size_t n, const cl_snapshot *s)
{
    cl_pipeline_deal *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (tmp == NULL)
        return -1;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n;
            size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = cmp_flagged(&f[j], &f[i], s) < 0 ? f[j++] : f[i++];
            while (i < mid)
                tmp[k++] = f[i++];
            while (j < hi)
                tmp[k++] = f[j++];
        }
        memcpy(f, tmp, n * sizeof *f);
    }
    free(tmp);
    return 0;
}

cl_err
cl_pipeline_rank(const cl_snapshot *s, const cl_pipeline *p,
                 cl_pipeline_deal **out, size_t *n,
                 size_t counts[CL_WF_PF_COUNT], cl_error *err)
{
    size_t nf = 0;
    cl_pipeline_deal *f = malloc((p->nflags ? p->nflags : 1) * sizeof *f);
    *out = NULL;
    *n = 0;
    if (f == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    for (size_t k = 0; k < CL_WF_PF_COUNT; k++)
        counts[k] = 0;
    for (size_t i = 0; i < p->nflags; i++) {
        counts[p->flags[i].kind]++;
        if (nf > 0 && f[nf - 1].d == p->flags[i].deal) {
            f[nf - 1].nflags++;
            continue;
        }
        f[nf++] = (cl_pipeline_deal){p->flags[i].deal, &p->flags[i], 1};
    }
    if (sort_flagged(f, nf, s) != 0) {
        free(f);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    *out = f;
    *n = nf;
    return CL_OK;
}

const cl_wf_pf cl_pipeline_summary_order[CL_WF_PF_COUNT] = {
    CL_WF_PF_OUTSIDE_ICP, CL_WF_PF_CHAMPION_STABILITY, CL_WF_PF_SLOW_TO_DEMO,
    CL_WF_PF_CHURN_PATTERN};

cl_err
cl_report_pipeline(const cl_snapshot *s, const cl_report_opts *o, json_t **out,
                   cl_error *err)
{
    cl_pipeline p;
    cl_pipeline_deal *f;
    size_t nf, counts[CL_WF_PF_COUNT];
    cl_err rc;
    *out = NULL;
    if ((rc = cl_pipeline_flags(s, o->today, &p, err)) != CL_OK)
        return rc;
    if ((rc = cl_pipeline_rank(s, &p, &f, &nf, counts, err)) != CL_OK) {
        cl_pipeline_release(&p);
        return rc;
    }

    json_t *j = json_object(), *deals = json_array(), *sum = json_object();
    int32_t v = p.icp;
    json_object_set_new(j, "as_of", cl_json_day(o->today));
    json_object_set_new(j, "icp_version",
                        v < 0 ? json_null() : json_integer(s->icp_version[v]));
    json_object_set_new(j, "churn_patterns",
                        json_integer((json_int_t)p.churn_patterns));
    json_object_set_new(sum, "open_deals",
                        json_integer((json_int_t)p.open_deals));
    json_object_set_new(sum, "flagged", json_integer((json_int_t)nf));
    for (size_t t = 0; t < CL_WF_PF_COUNT; t++) {
        cl_wf_pf k = cl_pipeline_summary_order[t];
        json_object_set_new(sum, cl_wf_pf_name(k),
                            json_integer((json_int_t)counts[k]));
    }
    json_object_set_new(j, "summary", sum);
    for (size_t i = 0; i < nf; i++) {
        int32_t d = f[i].d, a = s->deal_account[d], ae = s->deal_ae[d];
        json_t *fl = json_array();
        for (size_t k = 0; k < f[i].nflags; k++) {
            const cl_pipeline_flag *x = &f[i].flags[k];
            json_array_append_new(
                fl, json_pack("{s:s, s:s, s:o, s:s}", "flag",
                              cl_wf_pf_name(x->kind), "reason", x->reason,
                              "evidence", cl_json_num(x->evidence, 2),
                              "reason_words", x->reason_words));
        }
        json_array_append_new(
            deals, json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:I}",
                             "deal_id", s->deal_id[d], "account_id",
                             a < 0 ? NULL : s->account_id[a], "account",
                             a < 0 ? NULL : s->account_name[a], "ae_id",
                             ae < 0 ? NULL : s->user_id[ae], "stage",
                             cl_snapshot_str(s, s->deal_stage[d]), "arr",
                             cl_json_num(s->deal_arr[d], 2), "flags", fl,
                             "rank", (json_int_t)(i + 1)));
    }
    json_object_set_new(j, "deals", deals);
    free(f);
    cl_pipeline_release(&p);
    *out = j;
    return CL_OK;
}

/* ---- paging, sorting and filtering the report's deals ----------------------
 */

static const char *const sort_keys[] = {"rank",  "arr",   "deal_id", "account",
                                        "ae_id", "stage", "flags"};

/* A deal with the value it is sorted by. */
typedef struct sort_item {
    json_t *deal;
    const char *text; /* a text key, or NULL */
    double num;       /* a number key; NaN when unknown */
    json_int_t rank;
    int numeric, desc;
} sort_item;

static int
cmp_item(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    int c = 0;
    if (a->numeric) {
        /* Unknown values last, whichever the direction. */
        if (isnan(a->num) != isnan(b->num))
            return isnan(a->num) ? 1 : -1;
        if (!isnan(a->num) && a->num != b->num)
            c = a->num < b->num ? -1 : 1;
    } else {
        if ((a->text == NULL) != (b->text == NULL))
            return a->text == NULL ? 1 : -1;
        if (a->text)
            c = strcmp(a->text, b->text);
    }
    if (c)
        return a->desc ? -c : c;
    return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static int
has_flag(json_t *deal, const char *flag)
{
    json_t *f;
    size_t i;
    json_array_foreach(json_object_get(deal, "flags"), i, f)
    {
        const char *name = json_string_value(json_object_get(f, "flag"));
        if (name && strcmp(name, flag) == 0)
            return 1;
    }
    return 0;
}

/* The index of sort's key (a leading '-' allowed), or -1. */
static int
sort_key(const char *sort)
{
    if (sort && *sort == '-')
        sort++;
    for (size_t k = 0; sort && k < sizeof sort_keys / sizeof *sort_keys; k++)
        if (strcmp(sort, sort_keys[k]) == 0)
            return (int)k;
    return -1;
}

cl_err
cl_report_pipeline_query(json_t *doc, const cl_pipeline_query *q, cl_error *err)
{
    const char *sort = q->sort ? q->sort : "rank";
    int key = sort_key(sort);
    json_t *deals = json_object_get(doc, "deals"), *d;
    size_t n = 0, i;
    if (key < 0)
        return cl_error_set_field(err, CL_EINVAL, "sort",
                                  "sort: '%s' is none of rank, arr, deal_id, "
                                  "account, ae_id, stage, flags (a leading '-' "
                                  "sorts descending)",
                                  sort);
    if (q->flag && cl_wf_pf_parse(q->flag) < 0)
        return cl_error_set_field(
            err, CL_EINVAL, "flag",
            "flag: '%s' is none of outside_icp, "
            "champion_stability, slow_to_demo, churn_pattern",
            q->flag);
    if (!json_is_array(deals))
        return cl_error_set(err, CL_EINVAL, "not a pipeline report");
    sort_item *v = malloc((json_array_size(deals) + 1) * sizeof *v);
    if (v == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    json_array_foreach(deals, i, d)
    {
        const char *ae = json_string_value(json_object_get(d, "ae_id"));
        if ((q->flag && !has_flag(d, q->flag)) ||
            (q->ae_id && (ae == NULL || strcmp(ae, q->ae_id) != 0)))
            continue;
        sort_item *x = &v[n++];
        json_t *val = key == 6 ? json_object_get(d, "flags")
                               : json_object_get(d, sort_keys[key]);
        x->deal = d;
        x->rank = json_integer_value(json_object_get(d, "rank"));
        x->desc = *sort == '-';
        x->numeric = key <= 1 || key == 6;
        x->text = json_string_value(val);
        x->num = key == 6              ? (double)json_array_size(val)
                 : json_is_number(val) ? json_number_value(val)
                                       : NAN;
        if (key == 0)
            x->num = (double)x->rank;
    }
    qsort(v, n, sizeof *v, cmp_item);
    size_t from = q->offset < 0 ? 0 : (size_t)q->offset;
    size_t upto = q->limit < 0 || from + (size_t)q->limit > n
                      ? n
                      : from + (size_t)q->limit;
    json_t *page = json_array();
    for (i = from; i < upto; i++)
        json_array_append(page, v[i].deal);
    free(v);
    json_object_set_new(doc, "deals", page);
    json_object_set_new(doc, "total", json_integer((json_int_t)n));
    json_object_set_new(doc, "offset", json_integer((json_int_t)from));
    json_object_set_new(doc, "limit",
                        q->limit < 0 ? json_null()
                                     : json_integer((json_int_t)q->limit));
    json_object_set_new(doc, "sort", json_string(sort));
    return CL_OK;
}
