/*
 * report_pipeline.c - open pipeline at risk (DESIGN 2, item 11).
 *
 * Open deals that fall outside the current ICP, carry a champion-stability
 * or slow-to-demo flag, or match a significant churn pattern, each with its
 * reason.  It goes to the deal's AE and their manager, so AE ids appear.
 * Definitions are in docs/metrics.md, section "Pipeline at risk".
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns.h"

#define MAX_CONJUNCTS 16

/*
 * The top-level conjuncts of an ICP criteria, each parsed on its own, so
 * that "outside the ICP" can name the criterion a deal fails.  A criteria
 * whose top level is not a plain `and` chain is one conjunct.
 */
typedef struct conjuncts {
    size_t n;
    char *text[MAX_CONJUNCTS];
    cl_icp_expr *expr[MAX_CONJUNCTS];
} conjuncts;

static void
conjuncts_free(conjuncts *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->text[i]);
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

/* "outside ICP vN: the failing criteria" for deal d. */
static void
icp_reason(const cl_snapshot *s, int32_t v, const conjuncts *c, int32_t d,
           char *out, size_t size)
{
    size_t at = (size_t)snprintf(
        out, size, "outside ICP version %d:", (int)s->icp_version[v]);
    int named = 0;
    /* Evaluate each conjunct through a shallow copy of the snapshot whose
       one ICP version is that conjunct, so the lookup is the snapshot's. */
    cl_snapshot one = *s;
    for (size_t i = 0; i < c->n && at < size; i++) {
        one.nicp = 1;
        one.icp_expr = (cl_icp_expr **)&c->expr[i];
        if (cl_snapshot_in_icp(&one, 0, d) == 0) {
            at += (size_t)snprintf(out + at, size - at, "%s %s",
                                   named ? ";" : "", c->text[i]);
            named = 1;
        }
    }
    if (!named && at < size)
        snprintf(out + at, size - at, " %s", s->icp_criteria[v]);
}

/* A flagged deal: its row, flags and their reasons. */
typedef struct flagged {
    int32_t d;
    int nflags;
    json_t *flags;
} flagged;

static int
cmp_flagged(const void *pa, const void *pb, const cl_snapshot *s)
{
    const flagged *a = pa, *b = pb;
    double x = s->deal_arr[a->d], y = s->deal_arr[b->d];
    if (a->nflags != b->nflags)
        return a->nflags > b->nflags ? -1 : 1;
    if (isnan(x) != isnan(y))
        return isnan(x) ? 1 : -1;
    if (!isnan(x) && x != y)
        return x > y ? -1 : 1;
    return strcmp(s->deal_id[a->d], s->deal_id[b->d]);
}

/* qsort has no context argument; insertion keeps the order stable and the
   flagged list is a small part of the pipeline. */
static void
sort_flagged(flagged *f, size_t n, const cl_snapshot *s)
{
    for (size_t i = 1; i < n; i++) {
        flagged x = f[i];
        size_t k = i;
        while (k > 0 && cmp_flagged(&f[k - 1], &x, s) > 0) {
            f[k] = f[k - 1];
            k--;
        }
        f[k] = x;
    }
}

static void
add_flag(flagged *f, const char *flag, const char *reason)
{
    json_array_append_new(
        f->flags, json_pack("{s:s, s:s}", "flag", flag, "reason", reason));
    f->nflags++;
}

enum { F_ICP, F_CHAMPION, F_DEMO, F_PATTERN, NFLAGS };
static const char *const flag_names[] = {"outside_icp", "champion_stability",
                                         "slow_to_demo", "churn_pattern"};

cl_err
cl_report_pipeline(const cl_snapshot *s, const cl_report_opts *o, json_t **out,
                   cl_error *err)
{
    double tenure_min = cl_snapshot_threshold(s, "champion_tenure_months");
    double demo_max = cl_snapshot_threshold(s, "slow_to_demo_days");
    int32_t v = cl_snapshot_icp_at(s, o->today);
    conjuncts cj = {0};
    cl_pattern_result pr = {0};
    cl_pattern_opts po = {0};
    size_t nopen = 0, nf = 0, counts[NFLAGS] = {0};
    flagged *f = malloc((s->ndeals ? s->ndeals : 1) * sizeof *f);
    cl_err rc;
    *out = NULL;
    if (f == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    po.target = CL_TARGET_CHURN;
    po.today = o->today;
    if ((rc = cl_patterns_find(s, &po, &pr, err))) {
        free(f);
        return rc;
    }
    if (v >= 0 && s->icp_expr[v])
        conjuncts_split(s->icp_expr[v], &cj);

    for (size_t d = 0; d < s->ndeals; d++) {
        char why[400];
        if (s->deal_state[d] != CL_DEAL_OPEN)
            continue;
        nopen++;
        flagged *x = &f[nf];
        x->d = (int32_t)d;
        x->nflags = 0;
        x->flags = json_array();
        if (v >= 0 && cl_snapshot_in_icp(s, v, (int32_t)d) == 0) {
            icp_reason(s, v, &cj, (int32_t)d, why, sizeof why);
            add_flag(x, flag_names[F_ICP], why);
        }
        int tenure = s->deal_champion_tenure[d];
        int short_tenure = tenure >= 0 && tenure < tenure_min;
        int no_sponsor = s->deal_exec_sponsor[d] == 0;
        if (short_tenure || no_sponsor) {
            int at = 0;
            if (short_tenure)
                at = snprintf(why, sizeof why,
                              "champion in the role %d months (under %.0f)",
                              tenure, tenure_min);
            if (no_sponsor)
                snprintf(why + at, sizeof why - (size_t)at,
                         "%sno executive sponsor", at ? "; " : "");
            add_flag(x, flag_names[F_CHAMPION], why);
        }
        cl_day created = s->deal_created_on[d], demo = s->deal_first_demo_on[d];
        if (created != CL_DAY_NONE && demo != CL_DAY_NONE &&
            demo - created > demo_max) {
            snprintf(why, sizeof why,
                     "first demo %d days after creation (over %.0f)",
                     (int)(demo - created), demo_max);
            add_flag(x, flag_names[F_DEMO], why);
        } else if (created != CL_DAY_NONE && demo == CL_DAY_NONE &&
                   o->today - created > demo_max) {
            snprintf(why, sizeof why,
                     "no demo after %d days in pipeline (over %.0f)",
                     (int)(o->today - created), demo_max);
            add_flag(x, flag_names[F_DEMO], why);
        }
        /* The best-ranked significant pattern the deal matches. */
        for (size_t i = 0; i < pr.npatterns; i++)
            if (cl_pattern_matches_deal(s, &pr.patterns[i], (int32_t)d) == 1) {
                add_flag(x, flag_names[F_PATTERN], pr.patterns[i].description);
                break;
            }
        if (x->nflags == 0) {
            json_decref(x->flags);
            continue;
        }
        json_t *fl;
        size_t k;
        json_array_foreach(x->flags, k, fl)
        {
            const char *name = json_string_value(json_object_get(fl, "flag"));
            for (int t = 0; t < NFLAGS; t++)
                counts[t] += strcmp(name, flag_names[t]) == 0;
        }
        nf++;
    }
    sort_flagged(f, nf, s);

    json_t *j = json_object(), *deals = json_array(), *sum = json_object();
    json_object_set_new(j, "as_of", cl_json_day(o->today));
    json_object_set_new(j, "icp_version",
                        v < 0 ? json_null() : json_integer(s->icp_version[v]));
    json_object_set_new(j, "churn_patterns",
                        json_integer((json_int_t)pr.npatterns));
    json_object_set_new(sum, "open_deals", json_integer((json_int_t)nopen));
    json_object_set_new(sum, "flagged", json_integer((json_int_t)nf));
    for (int t = 0; t < NFLAGS; t++)
        json_object_set_new(sum, flag_names[t],
                            json_integer((json_int_t)counts[t]));
    json_object_set_new(j, "summary", sum);
    for (size_t i = 0; i < nf; i++) {
        int32_t d = f[i].d, a = s->deal_account[d], ae = s->deal_ae[d];
        json_array_append_new(
            deals,
            json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:o}", "deal_id",
                      s->deal_id[d], "account_id",
                      a < 0 ? NULL : s->account_id[a], "account",
                      a < 0 ? NULL : s->account_name[a], "ae_id",
                      ae < 0 ? NULL : s->user_id[ae], "stage",
                      cl_snapshot_str(s, s->deal_stage[d]), "arr",
                      cl_json_num(s->deal_arr[d], 2), "flags", f[i].flags));
    }
    json_object_set_new(j, "deals", deals);
    conjuncts_free(&cj);
    cl_patterns_free(&pr);
    free(f);
    *out = j;
    return CL_OK;
}
