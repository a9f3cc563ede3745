/*
 * report_audit.c - the tagging audit for the CS manager (docs/design.md
 * section 2, item 3).
 *
 * Do CSMs tag consistently?  Each CSM's cause distribution against the rest
 * of the team, product_deficiency used as a catch-all, and churns left
 * untagged.  It names CSMs (a CS-management report) and never an AE.
 * Definitions are in docs/metrics.md, section "Tagging audit".
 */
#include "report.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/workflow.h"
#include "metrics.h"
#include "stats.h"

#define UNTAGGED_DAYS 14
#define SHORT_DIAGNOSIS 20 /* characters */
#define CATCH_ALL_FACTOR 2.0

static int
in_period(cl_day d, const cl_period *p)
{
    return d != CL_DAY_NONE && d >= p->first && d <= p->last;
}

/* Characters (UTF-8 code points) of text, without surrounding blanks. */
static size_t
text_chars(const char *t)
{
    if (t == NULL)
        return 0;
    while (isspace((unsigned char)*t))
        t++;
    size_t len = strlen(t);
    while (len > 0 && isspace((unsigned char)t[len - 1]))
        len--;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)t[i] & 0xC0) != 0x80;
    return n;
}

/* An untagged churn to list. */
typedef struct old_churn {
    cl_day on;
    const char *id;
    size_t row;
} old_churn;

static int
cmp_old(const void *a, const void *b)
{
    const old_churn *x = a, *y = b;
    if (x->on != y->on)
        return x->on < y->on ? -1 : 1;
    return strcmp(x->id, y->id);
}

static json_t *
cause_json(const cl_snapshot *s, int k)
{
    return k >= 0 && (size_t)k < s->ncauses ? json_string(s->causes[k].code)
                                            : json_null();
}

static json_t *
causes_json(const cl_snapshot *s, uint32_t mask)
{
    json_t *a = json_array();
    for (size_t k = 0; k < s->ncauses; k++)
        if (mask & ((uint32_t)1u << k))
            json_array_append_new(a, json_string(s->causes[k].code));
    return a;
}

static json_t *
time_json(cl_time t)
{
    char buf[21];
    if (t == CL_TIME_NONE)
        return json_null();
    cl_time_format(t, buf);
    return json_string(buf);
}

/* A person who changed a tag: named unless an AE (this report never names
   one), null when the change came from an import or is unattributed. */
static json_t *
actor_json(const cl_snapshot *s, int32_t u)
{
    if (u < 0 ||
        (s->user_role[u] >= 0 && strcmp(cl_roles[s->user_role[u]], "ae") == 0))
        return json_null();
    return json_pack("{s:s, s:s?}", "id", s->user_id[u], "name",
                     s->user_name[u]);
}

/*
 * Tag changes made in the period after the churn's AE was notified (the
 * churn flag queued strictly before the change): the tag Sales acted on is
 * no longer the tag on record.  Change rows are oldest first (the audit
 * trail's order).
 */
static cl_err
tags_changed(const cl_snapshot *s, const cl_report_opts *o, json_t **out)
{
    const cl_period *p = &o->period;
    cl_time *at = malloc((s->nchurns ? s->nchurns : 1) * sizeof *at);
    uint8_t *seen = calloc(s->nchurns ? s->nchurns : 1, 1);
    json_t *j = json_object(), *items = json_array();
    size_t changes = 0, churns = 0, primary = 0, notified = 0;
    if (at == NULL || seen == NULL || j == NULL || items == NULL) {
        free(at);
        free(seen);
        json_decref(j);
        json_decref(items);
        return CL_ENOMEM;
    }
    cl_churn_ae_notified(s, at);
    for (size_t c = 0; c < s->nchurns; c++)
        notified += at[c] != CL_TIME_NONE && in_period(cl_time_day(at[c]), p);
    for (size_t i = 0; i < s->ntag_changes; i++) {
        int32_t c = s->tag_change_churn[i];
        cl_time t = s->tag_change_at[i];
        if (c < 0 || (size_t)c >= s->nchurns || at[c] == CL_TIME_NONE ||
            t <= at[c] || !in_period(cl_time_day(t), p))
            continue;
        changes++;
        churns += !seen[c];
        seen[c] = 1;
        primary += s->tag_change_old_cause[i] != s->tag_change_new_cause[i];
        int32_t a = s->churn_account[c];
        json_array_append_new(
            items,
            json_pack(
                "{s:s, s:s?, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "churn_id",
                s->churn_id[c], "account_id", a < 0 ? NULL : s->account_id[a],
                "notified_at", time_json(at[c]), "changed_at", time_json(t),
                "changed_by", actor_json(s, s->tag_change_by[i]),
                "primary_before", cause_json(s, s->tag_change_old_cause[i]),
                "primary_after", cause_json(s, s->tag_change_new_cause[i]),
                "contributing_before",
                causes_json(s, s->tag_change_old_contributing[i]),
                "contributing_after",
                causes_json(s, s->tag_change_new_contributing[i])));
    }
    json_object_set_new(j, "notified", json_integer((json_int_t)notified));
    json_object_set_new(j, "churns", json_integer((json_int_t)churns));
    json_object_set_new(j, "changes", json_integer((json_int_t)changes));
    json_object_set_new(j, "primary_changed",
                        json_integer((json_int_t)primary));
    json_object_set_new(j, "items", items);
    free(at);
    free(seen);
    *out = j;
    return CL_OK;
}

/* Chi-square of one CSM's row against the rest of the team, over the
   causes with a non-zero total; null when it cannot be computed. */
static void
csm_chisq(const size_t *mine, const size_t *team, json_t *o)
{
    double cells[2 * CL_MAX_CAUSES];
    size_t k = 0, nmine = 0, nrest = 0;
    for (int c = 0; c < CL_MAX_CAUSES; c++) {
        if (team[c] == 0)
            continue;
        cells[k] = (double)mine[c];
        cells[CL_MAX_CAUSES + k] = (double)(team[c] - mine[c]);
        nmine += mine[c];
        nrest += team[c] - mine[c];
        k++;
    }
    cl_chisq r;
    if (k >= 2 && nmine > 0 && nrest > 0) {
        /* Row-major 2 x k: move the second row up against the first. */
        memmove(cells + k, cells + CL_MAX_CAUSES, k * sizeof *cells);
        if (cl_stats_chisq(cells, 2, k, &r, NULL) == CL_OK) {
            json_object_set_new(o, "chi_square", cl_json_num(r.statistic, 6));
            json_object_set_new(o, "df", cl_json_num(r.df, 0));
            json_object_set_new(o, "p_value", cl_json_num(r.p, 6));
            return;
        }
    }
    json_object_set_new(o, "chi_square", json_null());
    json_object_set_new(o, "df", json_null());
    json_object_set_new(o, "p_value", json_null());
}

cl_err
cl_report_audit(const cl_snapshot *s, const cl_report_opts *o, json_t **out,
                cl_error *err)
{
    const cl_period *p = &o->period;
    size_t team[CL_MAX_CAUSES] = {0}, tagged = 0, pd = 0, pd_short = 0;
    /* Signals written "not known: REASON" (cl_wf_signal_check), by level,
       and the churns with any. */
    size_t unknown[3] = {0}, unknown_churns = 0;
    int pd_code = cl_snapshot_cause(s, "product_deficiency");
    size_t *per = calloc((s->nusers + 1) * CL_MAX_CAUSES, sizeof *per);
    json_t *j = json_object();
    *out = NULL;
    if (per == NULL || j == NULL) {
        free(per);
        json_decref(j);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }

    /* The audit set: tagged churns that churned or were tagged in P. */
    for (size_t c = 0; c < s->nchurns; c++) {
        int k = s->churn_cause[c];
        int32_t u = s->churn_tagged_by[c];
        if (k < 0 || k >= CL_MAX_CAUSES ||
            !(in_period(s->churn_on[c], p) ||
              in_period(s->churn_tagged_on[c], p)))
            continue;
        tagged++;
        team[k]++;
        if (u >= 0)
            per[(size_t)u * CL_MAX_CAUSES + k]++;
        if (k == pd_code) {
            pd++;
            pd_short += text_chars(s->churn_diagnosis[c]) < SHORT_DIAGNOSIS;
        }
        const char *sig[3] = {s->churn_stated_reason[c], s->churn_diagnosis[c],
                              s->churn_predictive[c]};
        int any = 0;
        for (int i = 0; i < 3; i++)
            if (cl_wf_signal_check(sig[i]) == CL_WF_SIGNAL_NOT_KNOWN) {
                unknown[i]++;
                any = 1;
            }
        unknown_churns += any;
    }

    json_object_set_new(j, "period", json_string(p->label));
    json_object_set_new(j, "tagged", json_integer((json_int_t)tagged));
    json_t *csms = json_array(), *heavy = json_array();
    json_object_set_new(j, "csms", csms);
    double team_pd = tagged ? (double)pd / tagged : NAN;
    /* Users in id order, so the list is stable whatever the load order. */
    size_t *order = malloc((s->nusers ? s->nusers : 1) * sizeof *order);
    size_t nord = 0;
    if (order == NULL) {
        free(per);
        json_decref(heavy);
        json_decref(j);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    for (size_t u = 0; u < s->nusers; u++) {
        size_t n = 0;
        for (int k = 0; k < CL_MAX_CAUSES; k++)
            n += per[u * CL_MAX_CAUSES + k];
        if (n == 0)
            continue;
        size_t at = nord++;
        while (at > 0 && strcmp(s->user_id[order[at - 1]], s->user_id[u]) > 0) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = u;
    }
    for (size_t i = 0; i < nord; i++) {
        size_t u = order[i], n = 0;
        const size_t *mine = per + u * CL_MAX_CAUSES;
        json_t *dist = json_object();
        for (int k = 0; k < CL_MAX_CAUSES; k++) {
            n += mine[k];
            if (mine[k])
                json_object_set_new(dist, s->causes[k].code,
                                    json_integer((json_int_t)mine[k]));
        }
        json_t *row = json_pack("{s:s, s:s?, s:I, s:o}", "csm_id",
                                s->user_id[u], "name", s->user_name[u],
                                "tagged", (json_int_t)n, "distribution", dist);
        csm_chisq(mine, team, row);
        json_array_append_new(csms, row);
        double share = pd_code >= 0 ? (double)mine[pd_code] / n : 0;
        if (pd > 0 && share > CATCH_ALL_FACTOR * team_pd)
            json_array_append_new(
                heavy,
                json_pack("{s:s, s:s?, s:I, s:I, s:o}", "csm_id", s->user_id[u],
                          "name", s->user_name[u], "tagged", (json_int_t)n,
                          "product_deficiency", (json_int_t)mine[pd_code],
                          "share", cl_json_num(share, 6)));
    }
    free(order);
    free(per);

    json_object_set_new(
        j, "product_deficiency_catch_all",
        json_pack("{s:I, s:o, s:I, s:o}", "count", (json_int_t)pd, "share",
                  cl_json_num(team_pd, 6), "short_diagnosis",
                  (json_int_t)pd_short, "csms_over_twice_team_share", heavy));

    json_object_set_new(j, "signals_not_known",
                        json_pack("{s:I, s:I, s:I, s:I}", "churns",
                                  (json_int_t)unknown_churns, "stated_reason",
                                  (json_int_t)unknown[0], "diagnosis",
                                  (json_int_t)unknown[1], "predictive_behavior",
                                  (json_int_t)unknown[2]));

    json_t *changed = NULL;
    if (tags_changed(s, o, &changed) != CL_OK) {
        json_decref(j);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    json_object_set_new(j, "tags_changed_after_notification", changed);

    /* Untagged churns older than 14 days, as of today, oldest first. */
    json_t *untagged = json_array();
    json_object_set_new(j, "untagged_over_14_days", untagged);
    old_churn *old = malloc((s->nchurns ? s->nchurns : 1) * sizeof *old);
    size_t nold = 0;
    if (old == NULL) {
        json_decref(j);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    for (size_t c = 0; c < s->nchurns; c++)
        if (s->churn_cause[c] < 0 && s->churn_on[c] != CL_DAY_NONE &&
            o->today - s->churn_on[c] > UNTAGGED_DAYS)
            old[nold++] = (old_churn){s->churn_on[c], s->churn_id[c], c};
    qsort(old, nold, sizeof *old, cmp_old);
    for (size_t i = 0; i < nold; i++) {
        int32_t a = s->churn_account[old[i].row];
        json_array_append_new(
            untagged,
            json_pack("{s:s, s:s?, s:o, s:I}", "churn_id", old[i].id,
                      "account_id", a < 0 ? NULL : s->account_id[a],
                      "churned_on", cl_json_day(old[i].on), "days_untagged",
                      (json_int_t)(o->today - old[i].on)));
    }
    free(old);
    *out = j;
    return CL_OK;
}
