/*
 * report_icp_int.h - what the ICP review's files share (report_icp.c and
 * report_icp_seg.c); not a public header.
 */
#ifndef CL_REPORT_ICP_INT_H
#define CL_REPORT_ICP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"
#include "survival.h"

enum {
    D_EMPLOYEES,
    D_INDUSTRY,
    D_REGION,
    D_SOURCE,
    D_LEVEL,
    D_TENURE,
    D_SPONSOR,
    D_OPS,
    D_FIT,
    /* From the won-deal review (issue 14), not ICP criteria fields: no
       suggested criterion names them.  D_GUT only for a viewer who may
       count on Q7 (cl_report_opts.private_answers). */
    D_PROMISES,
    D_GUT,
    NDIMS
};

/* The dimensions' names in the report, by the enum above. */
extern const char *const cl__icp_dim_names[NDIMS];

/* One row of the segment table. */
typedef struct segment {
    int dim;
    int32_t code; /* -1: unknown value */
    const char *label;
    cl_churn12 c;
    double rest_churn; /* 12-month churn of the other customers */
    double ratio, rr, rr_lo, rr_hi, p;
    size_t admitted; /* customers the current ICP does not put outside */
} segment;

/* The value code of dimension dim for deal d (and its account), or -1. */
int32_t cl__icp_dim_value(const cl_snapshot *s, int dim, int32_t d);

/* 1 when account a is a customer (a won start deal) by end.  Inline: it
   is asked for every account in most of the report's passes, and as a
   call it was 8% of `report icp` at 1,000,000 accounts. */
static inline int
cl__icp_is_customer(const cl_snapshot *s, size_t a, cl_day end)
{
    return s->account_start[a] != CL_DAY_NONE && s->account_start[a] <= end &&
           s->account_start_deal[a] >= 0;
}

/* A p-value to 4 significant digits (tiny ones must not round to 0); JSON
   null for NaN.  The caller owns the reference. */
json_t *cl__icp_json_p(double p);

/*
 * The segments of every dimension, in report order (report_icp_seg.c):
 * *out gets *nout segments the caller frees; in_icp[a] is the current
 * ICP's verdict on account a.  Returns CL_OK or CL_ENOMEM.
 */
cl_err cl__icp_build_segments(const cl_snapshot *s, cl_day end,
                              double all_churn, const int8_t *in_icp,
                              int private_answers, segment **out, size_t *nout,
                              cl_error *err);

/* One row of the segment table as JSON; the caller owns the reference. */
json_t *cl__icp_segment_json(const segment *g);

#endif
