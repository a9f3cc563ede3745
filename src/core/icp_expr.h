/*
 * icp_expr.h - the ICP criteria language of DESIGN section 7.
 *
 *   employees >= 50 and has_ops_function = true
 *       and champion_level in (director, vp, c_level)
 *
 * Comparisons = != < <= > >=, `in (...)`, and, or, not, parentheses.  Field
 * names are canonical account and deal columns; values are numbers, bare
 * words or 'quoted text'.  Keywords are case-insensitive.  Precedence: not >
 * and > or.
 */
#ifndef CL_ICP_EXPR_H
#define CL_ICP_EXPR_H

#include <stddef.h>

#include "err.h"

typedef struct cl_icp_expr cl_icp_expr;

/*
 * Parses text into *out.  On a syntax error or an unknown field returns
 * CL_EINVAL with err->msg "position N: what was expected" (N is the 1-based
 * character position).  The caller frees *out with cl_icp_expr_free.
 */
cl_err cl_icp_expr_parse(const char *text, cl_icp_expr **out, cl_error *err);

void cl_icp_expr_free(cl_icp_expr *e);

/*
 * Looks up a field of the record being evaluated: returns its value as text
 * ("true"/"false" for booleans, decimal text for numbers), or NULL when the
 * value is unknown.
 */
typedef const char *(*cl_icp_lookup)(void *ud, const char *field);

/*
 * Evaluates e against a record.  Returns 1 (in the ICP), 0 (outside) or -1
 * when an unknown value decides the result.  A comparison with an unknown
 * value is unknown; `and`/`or`/`not` follow three-valued logic.
 */
int cl_icp_expr_eval(const cl_icp_expr *e, cl_icp_lookup lookup, void *ud);

/* NULL-terminated list of the field names criteria may use. */
extern const char *const cl_icp_fields[];

#endif
