/*
 * mapping.h - reading a CRM export through a column mapping.
 *
 * A mapping names, for each canonical column of one kind, the column of the
 * source file it comes from (or two, joined with a space, e.g. a first and a
 * last name) and the transforms that turn the CRM's text into canonical text
 * ("Closed Won" -> closed_won, "03/07/2026" -> 2026-03-07, "USD 12,000.00"
 * -> 12000.00).  The importer hands each source row to the mapping and
 * validates what comes out exactly like a canonical file, so every canonical
 * rule still applies; the mapping only renames and rewrites.
 *
 * Built-in presets cover the kinds a CRM exports (users, accounts, deals)
 * for Salesforce and HubSpot; any other mapping is read from a small CSV
 * file (see docs/import.md).  Nothing here reads files or the clock: the
 * caller hands in the rows.
 */
#ifndef CL_MAPPING_H
#define CL_MAPPING_H

#include <stddef.h>

#include "../core/err.h"
#include "../core/record.h"

typedef struct cl_mapping cl_mapping;
typedef struct cl_mapping_run cl_mapping_run;

/*
 * The built-in preset name ("salesforce" or "hubspot") for kind into *out;
 * the caller frees it with cl_mapping_free.
 *   CL_EINVAL  no such preset, or the preset does not cover kind (the
 *              message says which kinds it covers)
 *   CL_ENOMEM
 */
cl_err cl_mapping_preset(const char *name, cl_kind kind, cl_mapping **out,
                         cl_error *err);

/* 1 when name is a built-in preset ("salesforce", "hubspot"), else 0. */
int cl_mapping_is_preset(const char *name);

/*
 * An empty mapping for kind, to be filled with cl_mapping_add; source names
 * the mapping file in messages (copied).  Freed with cl_mapping_free.
 *   CL_ENOMEM
 */
cl_err cl_mapping_new(cl_kind kind, const char *source, cl_mapping **out,
                      cl_error *err);

/*
 * Adds one rule, as one row of a mapping file: the canonical column, the
 * source header(s) ("First Name + Last Name" joins two with a space; empty
 * only with a const transform) and the transforms ("" for none; steps
 * joined with '|', e.g. "map:Closed Won=closed_won|slug").  line is the
 * file line, for messages.
 *   CL_EINVAL  err->msg "SOURCE:LINE: FIELD: message", FIELD one of column,
 *              source, transform
 *   CL_ENOMEM
 */
cl_err cl_mapping_add(cl_mapping *m, const char *column, const char *source,
                      const char *transform, long line, cl_error *err);

/* Frees m (NULL is fine).  Every run of m must be freed first. */
void cl_mapping_free(cl_mapping *m);

/*
 * The label messages use for canonical column name under m, "Close Date
 * (closed_on)", or NULL when m maps nothing onto it.  Owned by m.
 */
const char *cl_mapping_label(const cl_mapping *m, const char *column);

/*
 * Starts reading a source file through m: matches the rules to the source
 * header (n cells; headers are compared ignoring case and surrounding
 * blanks; columns no rule names are ignored) and gives the canonical header
 * the rows will be turned into (*hdr, *nhdr; owned by the run).  An
 * optional canonical column whose source column is absent is left out, so
 * the import keeps what is stored.
 *   CL_EINVAL  err->msg "COLUMN: message" (a required source column is
 *              missing, or the mapping gives a required column no source)
 *   CL_ENOMEM
 * The caller frees *out with cl_mapping_run_free.
 */
cl_err cl_mapping_start(const cl_mapping *m, const char *const *cells, size_t n,
                        cl_mapping_run **out, const char *const **hdr,
                        size_t *nhdr, cl_error *err);

/*
 * Turns one source row (n cells, in the source header's order) into cells
 * of the canonical header (*out, *nout; valid until the next call).  A value
 * a transform cannot read is CL_EINVAL with *column the label of the column
 * ("Close Date (closed_on)", or "row" for a row of the wrong width) and
 * err->msg the problem, e.g. "not a date '31/02/2026' (expected
 * MM/DD/YYYY)".
 *   CL_ENOMEM
 */
cl_err cl_mapping_row(cl_mapping_run *run, const char *const *cells, size_t n,
                      const char *const **out, size_t *nout,
                      const char **column, cl_error *err);

void cl_mapping_run_free(cl_mapping_run *run);

/*
 * One value of canonical column through the transforms m gives it (a
 * webhook's single property, not a file's row: if_closed does not apply),
 * the result into out (cap bytes).
 *   CL_ENOTFOUND  m maps nothing onto column
 *   CL_EINVAL     the value cannot be read (err->msg says why)
 */
cl_err cl_mapping_value(const cl_mapping *m, const char *column, const char *in,
                        char *out, size_t cap, cl_error *err);

/*
 * One transform chain applied to one value, for tests and for showing what
 * a mapping does: in is the source text, the result goes to out (cap bytes).
 *   CL_EINVAL  the transform does not parse, or the value cannot be read
 */
cl_err cl_mapping_transform(const char *transform, const char *in, char *out,
                            size_t cap, cl_error *err);

#endif
