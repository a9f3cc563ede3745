/*
 * engine_pipeline.c - the tick's pipeline flags (rule 7): the open deals'
 * flags as the pipeline report finds them (analytics/pipeline.h), from a
 * snapshot taken inside the tick's transaction, fed to
 * cl_wf_pipeline_tick with the flags already raised and the people whose
 * digest of today is already out, and its effects applied.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analytics/pipeline.h"
#include "../snapshot/snapshot_load.h"
#include "engine_int.h"

/* Adds id to the n people of v (room for it counted by the caller). */
static void
person_add(const char **v, size_t *n, const char *id)
{
    if (id == NULL || *id == '\0')
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(v[i], id) == 0)
            return;
    v[(*n)++] = id;
}

/*
 * Of the people who would hear of a new flag, those whose digest of today
 * is in the outbox already (notify() keys its inbox row "KEY:inbox").
 */
static cl_err
digested(cl__eng *e, const cl_wf_deal *deals, const cl_wf_pipeline_flag *f,
         size_t nf, const char **out, size_t *nout, cl_error *err)
{
    const char **who = malloc((2 * nf + 1) * sizeof *who);
    size_t n = 0;
    char day[11], key[256];
    cl_err rc = CL_OK;
    *nout = 0;
    if (who == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    for (size_t i = 0; i < nf; i++) {
        const cl_wf_deal *d = &deals[f[i].deal];
        if (d->flags_raised & (1u << f[i].kind))
            continue;
        person_add(who, &n, d->ae_id);
        person_add(who, &n, d->ae_manager_id);
    }
    cl_date_format(e->today, day);
    for (size_t i = 0; i < n && rc == CL_OK; i++) {
        int found = 0;
        snprintf(key, sizeof key, "pipeline_digest:%s:%s:inbox", day, who[i]);
        rc = cl_store_outbox_has(e->st, key, &found, err);
        if (rc == CL_OK && found)
            out[(*nout)++] = who[i];
    }
    free(who);
    return rc;
}

cl_err
cl__eng_pipeline(cl__eng *e, const cl_wf_deal *deals, size_t n, cl_error *err)
{
    cl_pipeline p = {0};
    cl_wf_pipeline_flag *f = NULL;
    const char **seen = NULL;
    int32_t *row_deal = NULL;
    size_t nf = 0, nseen = 0;
    cl_wf_effects fx;
    cl_err rc = CL_OK;

    cl_wf_effects_init(&fx);
    if (n == 0)
        goto out;
    if (e->snap == NULL) {
        if ((rc = cl_snapshot_load_records(e->st, &e->snap, err)) != CL_OK)
            goto out;
        e->snap_records = 1;
    }
    if ((rc = cl_pipeline_flags(e->snap, e->today, &p, err)) != CL_OK)
        goto out;
    /* The snapshot's rows of the open deals, to the rule's indices. */
    row_deal = malloc((e->snap->ndeals + 1) * sizeof *row_deal);
    f = malloc((p.nflags + 1) * sizeof *f);
    seen = malloc((2 * p.nflags + 1) * sizeof *seen);
    if (row_deal == NULL || f == NULL || seen == NULL) {
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < e->snap->ndeals; i++)
        row_deal[i] = -1;
    for (size_t i = 0; i < n; i++) {
        int32_t row = cl_snapshot_deal(e->snap, deals[i].id);
        if (row >= 0)
            row_deal[row] = (int32_t)i;
    }
    for (size_t i = 0; i < p.nflags; i++) {
        int32_t d = row_deal[p.flags[i].deal];
        if (d >= 0)
            f[nf++] = (cl_wf_pipeline_flag){(size_t)d, p.flags[i].kind,
                                            p.flags[i].reason_words,
                                            p.flags[i].evidence};
    }
    rc = digested(e, deals, f, nf, seen, &nseen, err);
    if (rc == CL_OK)
        rc = cl_wf_pipeline_tick(deals, n, f, nf, seen, nseen, e->today, &fx,
                                 err);
    if (rc == CL_OK)
        rc = cl__eng_apply(e, &fx, err);
out:
    cl_wf_effects_release(&fx);
    cl_pipeline_release(&p);
    free(row_deal);
    free(f);
    free(seen);
    return rc;
}
