/*
 * csv.h - an RFC 4180 CSV reader that knows the line each row starts on.
 *
 * Built on libcsv.  A row may span several physical lines when a quoted cell
 * holds a newline; the line reported is the one the row starts on.  Empty
 * lines are skipped.  A UTF-8 byte-order mark at the start is skipped; cells
 * that are not valid UTF-8 are reported as errors by the importer, not here.
 */
#ifndef CL_CSV_H
#define CL_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"

typedef struct cl_csv cl_csv;

/*
 * Opens path for reading ("-" reads standard input).  The caller closes
 * *out with cl_csv_close.
 *   CL_EINVAL  the file cannot be opened (the message names it and why)
 */
cl_err cl_csv_open(const char *path, cl_csv **out, cl_error *err);

/*
 * Reads the next row.  On success *cells points at *ncells NUL-terminated
 * cells and *line is the 1-based line the row starts on; they stay valid
 * until the next call.  At the end of input returns CL_OK with *ncells == 0.
 *   CL_EINVAL  malformed CSV, with err->msg "LINE: what is wrong"
 *   CL_EIO     a read failed
 */
cl_err cl_csv_next(cl_csv *csv, const char *const **cells, size_t *ncells,
                   long *line, cl_error *err);

/*
 * The length in bytes of cell i of the row cl_csv_next handed out last.  A
 * cell may hold a NUL byte, and then strlen() of it stops short: a caller
 * that must not lose bytes compares the two (the importer refuses such a
 * cell rather than import what precedes the NUL).
 */
size_t cl_csv_cell_len(const cl_csv *csv, size_t i);

/* Bytes consumed so far and the file's size (0 when unknown, e.g. a pipe). */
void cl_csv_progress(const cl_csv *csv, uint64_t *done, uint64_t *total);

void cl_csv_close(cl_csv *csv);

/*
 * A CSV writer: appends one row of n cells to f, quoting cells that hold a
 * comma, quote, CR or LF, and ends it with "\n".  NULL cells are written
 * empty.  Returns 0, or -1 when writing fails.
 */
#include <stdio.h>
int cl_csv_write_row(FILE *f, const char *const *cells, size_t n);

/*
 * 1 when a spreadsheet would run text as a formula: its first character is
 * '=', '+', '-', '@', TAB or CR (OWASP, "CSV Injection"), or it is one or
 * more apostrophes before one of those, so that a guard added by
 * cl_csv_write_row_guarded can always be told from one the text had.
 */
int cl_csv_is_formula(const char *text);

/*
 * cl_csv_write_row for files people open in a spreadsheet: a cell whose
 * guard[i] is set (guard NULL: every cell) and that cl_csv_is_formula()
 * is written with a leading apostrophe, which spreadsheets show as text.
 * Numbers and dates are passed with guard 0 so that -5 stays a number.
 * The importer removes the apostrophe again (cl_csv_unguard), so an
 * exported file imports to the same records.
 */
int cl_csv_write_row_guarded(FILE *f, const char *const *cells, size_t n,
                             const unsigned char *guard);

/*
 * The length of the guard cl_csv_write_row_guarded put in front of text
 * (len bytes): 1 when text is an apostrophe followed by formula text, else
 * 0.
 */
size_t cl_csv_unguard(const char *text, size_t len);

#endif
