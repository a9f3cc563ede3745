/*
 * field.h - reading one CSV cell as a canonical field.
 *
 * The single place where the text of a cell becomes a typed value, so every
 * import path (files, CRM mappings, the demo generator, the API later) checks
 * values the same way and reports them in the same words.
 */
#ifndef CL_FIELD_H
#define CL_FIELD_H

#include <stddef.h>

#include "../core/err.h"
#include "../core/record.h"

/*
 * Validates text (len bytes, NUL-terminated) against f and fills *out.  An
 * empty cell gives CL_V_NULL, or an error when f is required.  For TEXT
 * values out->s points into text, or into scratch when the value had to be
 * rewritten (a list in canonical form); scratch must hold len + 1 bytes.
 *   CL_EINVAL  with err->msg the problem in words, without file, line or
 *              column, e.g. "expected a date YYYY-MM-DD, got '2026-13-01'"
 * Reference checks (does the id exist) are the importer's, not this call's.
 */
cl_err cl_field_parse(const cl_field *f, const char *text, size_t len,
                      cl_value *out, char *scratch, cl_error *err);

/*
 * 1 when values of f are text a person wrote or chose (ids, free text,
 * codes, e-mail addresses, stage names, ICP expressions), 0 for numbers,
 * dates, months and booleans.  Text cells are the ones a CSV export guards
 * against formula injection (csv.h) and the importer unguards.
 */
int cl_field_is_text(const cl_field *f);

struct cl_store;

/*
 * The workspace's cause codes (its taxonomy, added and retired causes
 * included) as a NULL-terminated list, for the cause fields of a churn
 * (whose values in record.c are the defaults only), into *out; the caller
 * frees *out with free().  Issue 16: a record may carry a cause RevOps
 * added, and history may carry a retired one.
 */
cl_err cl_field_cause_codes(struct cl_store *st, const char ***out,
                            cl_error *err);

/* f, or a copy in tmp whose values are causes when f is a churn's cause
   field (values cl_cause_codes) and causes is not NULL. */
const cl_field *cl_field_with_causes(const cl_field *f,
                                     const char *const *causes, cl_field *tmp);

#endif
