/*
 * patterns_int.h - what patterns.c (the search) and pattern_text.c (the
 * conditions as text: evaluation, descriptions, JSON) share.  Not a public
 * header: reports use patterns.h.
 */
#ifndef CL_PATTERNS_INT_H
#define CL_PATTERNS_INT_H

#include "patterns.h"

/* The attributes a pattern may use, in the order they are searched. */
enum {
    CL__PA_EMPLOYEES,
    CL__PA_INDUSTRY,
    CL__PA_REGION,
    CL__PA_HAS_OPS,
    CL__PA_SOURCE,
    CL__PA_CHAMPION_LEVEL,
    CL__PA_TENURE,
    CL__PA_EXEC_SPONSOR,
    CL__PA_ICP_FIT,
    CL__PA_ARR,
    CL__PA_USE_CASE,
    CL__PA_COUNT
};

/* The canonical column of each attribute ("employees", ...). */
extern const char *const cl__pattern_fields[CL__PA_COUNT];

/* The attribute called field, or -1. */
int cl__pattern_attr(const char *field);

/*
 * Evaluates one condition on account a and deal d (either may be -1, which
 * makes the attributes it carries unknown): 1, 0, or -1 when the value is
 * unknown or the condition cannot be read.
 */
int cl__condition_eval(const cl_snapshot *s, const cl_condition *c,
                       int32_t a, int32_t d);

/* Writes p->description in cohort language for target t. */
void cl__pattern_describe(cl_pattern *p, cl_pattern_target t,
                          double base_rate);

#endif
