/*
 * icp_expr.h - the ICP criteria language of docs/design.md section 7.
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
 * Parses text into *out.  On a syntax error, an unknown field or a value the
 * field cannot take returns CL_EINVAL with err->msg "position N: what was
 * expected" (N is the 1-based character position of the offending token, in
 * UTF-8 characters; one past the end when the text ends too soon), and *out
 * is left NULL.  Blank text (or NULL) is "position 1: empty criteria".
 *
 * Field types are checked here, so a parsed expression never fails later:
 * has_ops_function and exec_sponsor take only = and != with true or false;
 * employees, arr, icp_fit_score and champion_tenure_months take numbers
 * (-?digits[.digits]); champion_level takes ic, manager, director, vp, c_level
 * and is ordered that way; the other fields are text and take =, != and in.
 * Returns CL_ENOMEM when an allocation fails.  The caller frees *out with
 * cl_icp_expr_free.
 */
cl_err cl_icp_expr_parse(const char *text, cl_icp_expr **out, cl_error *err);

/* Frees e and everything it holds; e may be NULL. */
void cl_icp_expr_free(cl_icp_expr *e);

/*
 * Renders e as canonical text: lower-case keywords, single spaces, only the
 * parentheses precedence needs, values bare when they can be and otherwise
 * 'quoted' with '' for a quote.  Equal criteria written differently render
 * the same, so the result is what to show and to diff between ICP versions;
 * parsing it gives an expression that renders identically.  Returns a
 * malloc'd string the caller frees, or NULL when an allocation fails.
 */
char *cl_icp_expr_format(const cl_icp_expr *e);

/*
 * Renders e in words for people (issue 16): fields by their labels,
 * comparisons read out ("champion in role at least 6 months", "industry is
 * one of SaaS, Fintech", "has no executive sponsor"), a `not` folded into
 * the comparison below it.  The canonical text stays what RevOps edits.
 * Returns a malloc'd string the caller frees, or NULL when an allocation
 * fails.
 */
char *cl_icp_expr_words(const cl_icp_expr *e);

/*
 * The criteria text in words (cl_icp_expr_words of its parse): a malloc'd
 * string the caller frees, NULL when text does not parse or on no memory.
 */
char *cl_icp_text_words(const char *text);

/*
 * Looks up a field of the record being evaluated: returns its value as text
 * ("true"/"false" for booleans, decimal text for numbers), or NULL when the
 * value is unknown.
 */
typedef const char *(*cl_icp_lookup)(void *ud, const char *field);

/*
 * Evaluates e against a record.  Returns 1 (in the ICP), 0 (outside) or -1
 * when an unknown value decides the result.  A comparison with an unknown
 * value is unknown; `and`/`or`/`not` follow three-valued logic (and: 0 if any
 * side is 0, else -1 if any is -1; or: 1 if any side is 1, else -1 if any is
 * -1; not -1 is -1).  An empty value, or one the field's type cannot hold
 * (a number field's "n/a", a champion_level of "boss"), counts as unknown.
 */
int cl_icp_expr_eval(const cl_icp_expr *e, cl_icp_lookup lookup, void *ud);

/* NULL-terminated list of the field names criteria may use. */
extern const char *const cl_icp_fields[];

#endif
