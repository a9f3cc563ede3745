/*
 * workflow_pipeline.c - rule 7: the open pipeline's flags, each raised
 * once, told to the deal's AE and the AE's manager in one digest a day per
 * person rather than one message per deal, strongest evidence first.
 *
 * Which flags a deal carries is the pipeline report's computation
 * (analytics/pipeline.h); this rule only decides what is new, what is
 * raised today and who is told.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workflow.h"
#include "workflow_int.h"

static const char *const pf_names[CL_WF_PF_COUNT] = {
    "churn_pattern", "outside_icp", "champion_stability", "slow_to_demo"};

static const char *const pf_words[CL_WF_PF_COUNT] = {
    "matches a churn pattern", "outside the ICP", "champion stability",
    "slow to demo"};

const char *
cl_wf_pf_name(cl_wf_pf kind)
{
    return (unsigned)kind < CL_WF_PF_COUNT ? pf_names[kind] : NULL;
}

const char *
cl_wf_pf_words(cl_wf_pf kind)
{
    return (unsigned)kind < CL_WF_PF_COUNT ? pf_words[kind] : NULL;
}

int
cl_wf_pf_parse(const char *name)
{
    for (int k = 0; name && k < CL_WF_PF_COUNT; k++)
        if (strcmp(name, pf_names[k]) == 0)
            return k;
    return -1;
}

int
cl_wf_pf_cmp(cl_wf_pf ka, double ea, cl_wf_pf kb, double eb)
{
    if (ka != kb)
        return ka < kb ? -1 : 1;
    if (isnan(ea) != isnan(eb))
        return isnan(ea) ? 1 : -1;
    if (!isnan(ea) && ea != eb)
        return ea > eb ? -1 : 1;
    return 0;
}

/* A flag raised today, with the deal it is on. */
typedef struct fresh {
    const cl_wf_pipeline_flag *f;
    const cl_wf_deal *d;
} fresh;

/* Ranked by evidence, then the bigger deal, then the deal id; the input
   order last, so the ranking is the same on every run. */
static int
fresh_cmp(const void *pa, const void *pb)
{
    const fresh *a = pa, *b = pb;
    int c =
        cl_wf_pf_cmp(a->f->kind, a->f->evidence, b->f->kind, b->f->evidence);
    if (c)
        return c;
    if (a->d->arr != b->d->arr && !isnan(a->d->arr) && !isnan(b->d->arr))
        return a->d->arr > b->d->arr ? -1 : 1;
    c = strcmp(cl__wf_or(a->d->id, ""), cl__wf_or(b->d->id, ""));
    if (c)
        return c;
    return a->f < b->f ? -1 : a->f > b->f;
}

static int
str_cmp(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static int
listed(const char *const *v, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] && strcmp(v[i], id) == 0)
            return 1;
    return 0;
}

/* Who hears of a deal's flags: its AE and the AE's manager, once each. */
static size_t
recipients(const cl_wf_deal *d, const char *who[2])
{
    size_t n = 0;
    if (!cl__wf_empty(d->ae_id))
        who[n++] = d->ae_id;
    if (!cl__wf_empty(d->ae_manager_id) && !listed(who, n, d->ae_manager_id))
        who[n++] = d->ae_manager_id;
    return n;
}

/* Appends s to the buffer at *at (room was counted beforehand). */
static char *
put(char *at, const char *s)
{
    size_t n = strlen(s);
    memcpy(at, s, n + 1);
    return at + n;
}

/*
 * The digest of user, the stamp-th reader: the lines of v (ranked) on
 * deals user hears of.  stamp[d] == stamp marks deal d counted already.
 */
static void
digest(cl_wf_effects *out, const char *day, const char *words, const char *user,
       const fresh *v, size_t n, const cl_wf_deal *deals, size_t *stamp,
       size_t mark)
{
    const char *lines[CL_WF_DIGEST_MAX_LINES];
    size_t nlines = 0, more = 0, ndeals = 0, len = 0;
    for (size_t i = 0; i < n; i++) {
        const cl_wf_deal *d = v[i].d;
        const char *who[2];
        size_t nw = recipients(d, who);
        if (!listed(who, nw, user))
            continue;
        if (stamp[d - deals] != mark) {
            stamp[d - deals] = mark;
            ndeals++;
        }
        if (nlines == CL_WF_DIGEST_MAX_LINES) {
            more++;
            continue;
        }
        /* Names where the store has them; a manager reads whose deal it
           is, an AE knows its own. */
        const char *acct = !cl__wf_empty(d->account_name) ? d->account_name
                           : !cl__wf_empty(d->account_id)
                               ? cl__wf_fmt(out, "account %s", d->account_id)
                               : "no account";
        int aside = !cl__wf_empty(d->ae_id) && strcmp(d->ae_id, user) != 0;
        /* The deal by its account's name; its id only when there is none
           (issue 16). */
        const char *deal =
            !cl__wf_empty(d->account_name)
                ? cl__wf_fmt(out, "Deal with %s", d->account_name)
                : cl__wf_fmt(out, "Deal %s, %s", cl__wf_or(d->id, "?"), acct);
        const char *line =
            deal ? cl__wf_fmt(out, "%zu. %s%s%s%s: %s: %s\n", nlines + 1, deal,
                              aside ? " (AE " : "",
                              aside ? cl__wf_or(d->ae_name, d->ae_id) : "",
                              aside ? ")" : "", cl_wf_pf_words(v[i].f->kind),
                              cl__wf_or(v[i].f->reason, ""))
                 : NULL;
        if (!line)
            return;
        lines[nlines++] = line;
        len += strlen(line);
    }
    if (nlines == 0)
        return;
    size_t nflags = nlines + more;
    const char *head = "New flags on open deals you own or manage, strongest "
                       "evidence first:\n\n";
    const char *tail =
        more ? cl__wf_fmt(out,
                          "\n...and %zu more; the pipeline report lists "
                          "every flagged deal.\n",
                          more)
             : "";
    if (!tail)
        return;
    char *body = malloc(strlen(head) + len + strlen(tail) + 1);
    if (!body) {
        out->oom = 1;
        return;
    }
    char *at = put(body, head);
    for (size_t i = 0; i < nlines; i++)
        at = put(at, lines[i]);
    put(at, tail);
    cl__wf_notify(out, cl__wf_fmt(out, "pipeline_digest:%s:%s", day, user),
                  "pipeline_digest", user, "report", "pipeline",
                  cl__wf_fmt(out,
                             "Pipeline digest %s: %zu new flag%s on %zu "
                             "deal%s",
                             words, nflags, nflags == 1 ? "" : "s", ndeals,
                             ndeals == 1 ? "" : "s"),
                  body);
    free(body);
}

cl_err
cl_wf_pipeline_tick(const cl_wf_deal *deals, size_t ndeals,
                    const cl_wf_pipeline_flag *flags, size_t nflags,
                    const char *const *digested, size_t ndigested, cl_day today,
                    cl_wf_effects *out, cl_error *err)
{
    for (size_t i = 0; i < nflags; i++)
        if (flags[i].deal >= ndeals ||
            (unsigned)flags[i].kind >= CL_WF_PF_COUNT)
            return cl__wf_refuse(out, err, CL_EINVAL, NULL, NULL,
                                 "pipeline flag %zu: deal %zu or kind %d "
                                 "out of range",
                                 i, flags[i].deal, (int)flags[i].kind);
    if (nflags == 0)
        return cl__wf_finish(out, err);
    fresh *v = malloc(nflags * sizeof *v);
    unsigned *taken = calloc(ndeals, sizeof *taken);
    size_t *stamp = calloc(ndeals, sizeof *stamp);
    const char **people = malloc(2 * nflags * sizeof *people);
    size_t n = 0, npeople = 0;
    if (!v || !taken || !stamp || !people) {
        out->oom = 1;
        goto out;
    }
    for (size_t i = 0; i < nflags; i++) {
        const cl_wf_pipeline_flag *f = &flags[i];
        const cl_wf_deal *d = &deals[f->deal];
        const char *who[2];
        int held = 0;
        if (cl_wf_deal_closed(d) || (d->flags_raised & (1u << f->kind)))
            continue;
        size_t nw = recipients(d, who);
        for (size_t k = 0; k < nw; k++)
            held |= listed(digested, ndigested, who[k]);
        if (!held)
            v[n++] = (fresh){f, d};
    }
    qsort(v, n, sizeof *v, fresh_cmp);
    /* One flag of a kind per deal: the strongest, should a caller give
       two. */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        size_t d = (size_t)(v[i].d - deals);
        unsigned bit = 1u << v[i].f->kind;
        if (taken[d] & bit)
            continue;
        taken[d] |= bit;
        v[kept++] = v[i];
    }
    n = kept;
    for (size_t i = 0; i < n; i++) {
        const char *name = cl_wf_pf_name(v[i].f->kind);
        cl_wf_effect *e = cl__wf_push(
            out, CL_WF_FLAG,
            cl__wf_fmt(out, "pipeline_flag:%s:%s", name, v[i].d->id));
        if (e) {
            e->what = name;
            e->subject_kind = "deal";
            e->subject_id = cl__wf_str(out, v[i].d->id);
            e->body = cl__wf_str(out, v[i].f->reason);
        }
        const char *who[2];
        size_t nw = recipients(v[i].d, who);
        for (size_t k = 0; k < nw; k++)
            if (!listed(people, npeople, who[k]))
                people[npeople++] = who[k];
    }
    qsort(people, npeople, sizeof *people, str_cmp);
    /* The key keeps the ISO day; the title, an e-mail subject, the day
       as people read it. */
    char day[11], words[CL_DATE_WORDS_MAX];
    cl_date_format(today, day);
    cl_date_words(today, words);
    for (size_t i = 0; i < npeople; i++)
        digest(out, day, words, people[i], v, n, deals, stamp, i + 1);
out:
    free(v);
    free(taken);
    free(stamp);
    free(people);
    return cl__wf_finish(out, err);
}
