/*
 * pipeline.h - the flags of the open pipeline (DESIGN 2, item 11): open
 * deals that match a churn pattern, fall outside the ICP, or carry a
 * champion-stability or slow-to-demo flag, each flag with its reason and
 * the strength of its evidence.
 *
 * One computation for two users: the pipeline report renders it
 * (report_pipeline.c), and the tick raises the flags that are new and
 * sends each AE and manager the day's digest (core/workflow.h, rule 7).
 * Definitions are in docs/metrics.md, "Pipeline at risk".
 */
#ifndef CL_PIPELINE_H
#define CL_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/workflow.h"
#include "snapshot.h"

typedef struct cl_pipeline_flag {
    int32_t deal;    /* the deal's row in the snapshot */
    cl_wf_pf kind;   /* churn_pattern, outside_icp, ... */
    double evidence; /* within the kind, higher is stronger: a churn
                        pattern's lift; the ICP criteria failed plus
                        (100 - ICP fit) / 100; 1 per champion signal plus
                        the tenure's shortfall; days to demo / threshold */
    char *reason;    /* one line, owned by the cl_pipeline */
    char *reason_words; /* the same for people: the ICP criteria in words
                           (issue 16); owned by the cl_pipeline */
} cl_pipeline_flag;

typedef struct cl_pipeline {
    size_t open_deals;     /* open deals considered */
    int32_t icp;           /* the ICP version row applied, or -1 */
    size_t churn_patterns; /* significant churn patterns matched against */
    cl_pipeline_flag *flags;
    size_t nflags; /* by deal (snapshot order); a deal's flags ranked */
} cl_pipeline;

/*
 * The flags of every open deal of s as of today.  On CL_OK the caller
 * releases *out with cl_pipeline_release; on failure *out is empty.
 * Returns CL_OK or CL_ENOMEM (pattern discovery's errors pass through).
 */
cl_err cl_pipeline_flags(const cl_snapshot *s, cl_day today, cl_pipeline *out,
                         cl_error *err);

/* Frees what p holds and leaves it empty (p may be NULL). */
void cl_pipeline_release(cl_pipeline *p);

/* A flagged deal of the report: its flags, in the cl_pipeline, strongest
   first. */
typedef struct cl_pipeline_deal {
    int32_t d;
    const cl_pipeline_flag *flags;
    size_t nflags;
} cl_pipeline_deal;

/*
 * The flagged deals of p in the report's order (by the strongest flag,
 * then more flags, then ARR, unknown last, then the deal id) into *out
 * (the caller frees it; it points into p), their number into *n, and the
 * flags of each kind into counts.  CL_OK or CL_ENOMEM.
 */
cl_err cl_pipeline_rank(const cl_snapshot *s, const cl_pipeline *p,
                        cl_pipeline_deal **out, size_t *n,
                        size_t counts[CL_WF_PF_COUNT], cl_error *err);

/* The order of the kinds in the report's summary (the order it always
   had). */
extern const cl_wf_pf cl_pipeline_summary_order[CL_WF_PF_COUNT];

#endif
