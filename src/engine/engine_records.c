/*
 * engine_records.c - the events of records written through the record API
 * or an import: a churn tagged there is flagged and routed as `closeloop
 * churn tag` does it, and a deal created or closed won gets its review task,
 * in the writer's own transaction, not at the next tick.  The tick finds
 * nothing left to do afterwards: these are the tick's own searches, and the
 * tag event sets what the tick's searches look for.
 */
#include <stdio.h>
#include <string.h>

#include "engine_int.h"

/* The text of field name of row (a churn), or NULL. */
static const char *
text_of(const cl_value *row, const char *name)
{
    int i = cl_kind_field_index(cl_kind_get(CL_KIND_CHURNS), name);
    return i >= 0 && row[i].type == CL_V_TEXT && *row[i].s ? row[i].s : NULL;
}

static int
same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static void
tag_of(const cl_value *row, cl_wf_tag *t)
{
    t->primary_cause = text_of(row, "primary_cause");
    t->contributing_causes = text_of(row, "contributing_causes");
    t->stated_reason = text_of(row, "stated_reason");
    t->diagnosis = text_of(row, "diagnosis");
    t->predictive_behavior = text_of(row, "predictive_behavior");
}

static int
tag_changed(const cl_wf_tag *a, const cl_wf_tag *b)
{
    return !same(a->primary_cause, b->primary_cause) ||
           !same(a->contributing_causes, b->contributing_causes) ||
           !same(a->stated_reason, b->stated_reason) ||
           !same(a->diagnosis, b->diagnosis) ||
           !same(a->predictive_behavior, b->predictive_behavior);
}

/* Sets text field name of row to s. */
static void
set_text(cl_value *row, const char *name, const char *s)
{
    int i = cl_kind_field_index(cl_kind_get(CL_KIND_CHURNS), name);
    if (i >= 0) {
        row[i].type = CL_V_TEXT;
        row[i].s = s;
    }
}

/*
 * A churn written with a tag that differs from the stored one: the tag
 * event, on the record as written but with the tag and flag it had.
 */
static cl_err
churn_tag_event(cl__eng *e, const char *id, const cl_wf_churn *before, int had,
                const cl_wf_tag *tag, const char *actor, cl_error *err)
{
    cl_wf_churn b;
    cl_wf_effects fx;
    cl_err rc = cl__eng_get_churn(e, id, &b, err);
    if (rc != CL_OK)
        return rc;
    if (had) {
        b.tag = before->tag;
        b.sales_flagged = before->sales_flagged;
    } else {
        memset(&b.tag, 0, sizeof b.tag);
        b.sales_flagged = 0;
    }
    cl_wf_effects_init(&fx);
    rc = cl_wf_churn_tagged(&e->cfg, &e->cal, &b, tag, actor, e->today, &fx,
                            err);
    if (rc == CL_OK)
        rc = cl__eng_apply(e, &fx, err);
    cl_wf_effects_release(&fx);
    return rc;
}

cl_err
cl_engine_put(cl_store *st, cl_kind kind, cl_value *row, const char *actor,
              cl_time now, cl_put_result *res, cl_engine_stats *stats,
              cl_error *err)
{
    if (kind != CL_KIND_CHURNS && kind != CL_KIND_DEALS)
        return cl_store_put(st, kind, row, res, err);
    cl__eng e;
    cl_err rc = cl__eng_attach(&e, st, now, err);
    if (rc != CL_OK)
        return rc;
    const char *id = cl__eng_str(&e, row[0].s);
    cl_strset *only = cl_strset_new();
    if (only == NULL || cl_strset_add(only, id, strlen(id)) < 0)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    cl_wf_churn before;
    cl_wf_tag tag = {0};
    int had = 0, tagged = 0;
    char today[11];
    if (rc == CL_OK && kind == CL_KIND_CHURNS) {
        rc = cl__eng_get_churn(&e, id, &before, err);
        had = rc == CL_OK;
        if (rc == CL_ENOTFOUND) {
            cl_error_clear(err);
            rc = CL_OK;
        }
        tag_of(row, &tag);
        /* Before the write: one that clears the tag never reaches
           cl_wf_churn_tagged. */
        if (had)
            rc = cl_wf_churn_tag_check(&before, &tag, err);
        if (rc == CL_OK && tag.primary_cause)
            rc = cl_wf_tag_retired_check(&e.cfg, had ? &before.tag : NULL, &tag,
                                         err);
        tagged = tag.primary_cause && (!had || tag_changed(&before.tag, &tag));
        /* A new record keeps who tagged it and when if the writer says; a
           changed tag is by this writer today, as `churn tag` records it
           (the tag's age decides what the tick would still pick up). */
        cl_date_format(e.today, today);
        if (tagged && (had || !text_of(row, "tagged_on")))
            set_text(row, "tagged_on", today);
        if (tagged && (had || !text_of(row, "tagged_by")))
            set_text(row, "tagged_by", actor);
    }
    if (rc == CL_OK)
        rc = cl_store_put(st, kind, row, res, err);
    if (rc == CL_OK && tagged)
        rc = churn_tag_event(&e, id, &before, had, &tag, actor, err);
    if (rc == CL_OK)
        rc = cl__eng_scan(
            &e, kind == CL_KIND_DEALS ? CL__SCAN_DEALS : CL__SCAN_CHURNS, only,
            actor, err);
    if (rc == CL_OK && e.oom)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    cl_strset_free(only);
    cl__eng_detach(&e, rc == CL_OK ? stats : NULL);
    return rc;
}

cl_err
cl_engine_imported(cl_store *st, cl_kind kind, const cl_strset *ids,
                   cl_time now, cl_engine_stats *stats, cl_error *err)
{
    int what = kind == CL_KIND_DEALS    ? CL__SCAN_DEALS
               : kind == CL_KIND_CHURNS ? CL__SCAN_CHURNS
                                        : 0;
    if (what == 0)
        return CL_OK;
    cl__eng e;
    cl_err rc = cl__eng_attach(&e, st, now, err);
    if (rc != CL_OK)
        return rc;
    rc = cl__eng_scan(&e, what, ids, "import", err);
    if (rc == CL_OK && e.oom)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    cl__eng_detach(&e, rc == CL_OK ? stats : NULL);
    return rc;
}
