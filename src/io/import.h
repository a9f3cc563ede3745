/*
 * import.h - importing canonical records into a workspace.
 *
 * One import is one transaction: either every good row of the input is
 * applied with its audit entries, or (when any row is bad and skip_bad is
 * off) nothing is.  Rows are upserted by their source key, so importing the
 * same input twice changes nothing the second time.
 */
#ifndef CL_IMPORT_H
#define CL_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/date.h"
#include "../core/err.h"
#include "../core/record.h"
#include "../store/store.h"
#include "mapping.h"

/* Receives each bad row's one-line message "FILE:LINE: COLUMN: message". */
typedef void (*cl_import_bad_cb)(void *ud, const char *msg);

/* Receives progress now and then: rows read so far, bytes done and total. */
typedef void (*cl_import_progress_cb)(void *ud, int64_t rows, uint64_t done,
                                      uint64_t total);

typedef struct cl_import_opts {
    int skip_bad;       /* apply good rows even when some are bad */
    int ignore_extra;   /* ignore columns that are not canonical */
    const char *actor;  /* who the audit entries name; "import" if NULL */
    cl_time now;        /* when the audit entries say it happened */
    const char *source; /* the name used in messages ("FILE"); the path */
    /* Read the input through this mapping (a CRM export) instead of as
       canonical columns; NULL for canonical.  Not owned. */
    const cl_mapping *mapping;
    /* Check and write every row, then roll back: nothing is applied
       (rep.applied stays 0) however good the file.  For checking a file,
       and for the fuzzer, which imports into one workspace many times. */
    int dry_run;
    /* Write the rows only: no review or tagging task, flag or routing at
       commit (cl_engine_imported).  For `closeloop demo`'s history, which
       happened before its replay window (or, with --no-loop, has no loop
       at all); the replay's own arrivals keep their events. */
    int no_events;
    /* A handful of rows (the demo's daily arrivals): the store keeps its
       own reference checks.  Off, they would only repeat the importer's
       (cl_store_begin_checked), but turning them off and on costs SQLite
       a re-preparation of every statement of the connection, which only a
       file of many rows repays. */
    int few_rows;
    cl_import_bad_cb on_bad;
    cl_import_progress_cb on_progress;
    void *ud;
} cl_import_opts;

typedef struct cl_import_report {
    int64_t rows; /* data rows read */
    int64_t inserted;
    int64_t updated;
    int64_t unchanged;
    int64_t bad;
    int applied; /* 1 when the transaction was committed */
} cl_import_report;

typedef struct cl_importer cl_importer;

/*
 * Starts an import of kind into st: opens the transaction and loads what the
 * reference checks need.  The caller ends it with cl_importer_finish (which
 * also frees it) or cl_importer_abort.
 */
cl_err cl_importer_new(cl_store *st, cl_kind kind, const cl_import_opts *opts,
                       cl_importer **out, cl_error *err);

/*
 * Gives the header row.  Unknown columns are an error unless ignore_extra;
 * missing required columns are an error.  Returns CL_EINVAL with
 * err->msg "FILE:LINE: COLUMN: message".
 */
cl_err cl_importer_header(cl_importer *imp, const char *const *cells, size_t n,
                          long line, cl_error *err);

/*
 * Gives one data row (cells in header order).  A bad row is reported through
 * on_bad and counted; it is not an error of this call.  Returns CL_EDB or
 * CL_ENOMEM only when the import cannot go on.
 */
cl_err cl_importer_row(cl_importer *imp, const char *const *cells, size_t n,
                       long line, cl_error *err);

/*
 * Counts the row at line as bad without reading it: column (its name as
 * the file's header gives it) holds what cannot be imported, said by what
 * (e.g. "holds a NUL byte").  Reported through on_bad like any bad row.
 */
void cl_importer_bad_row(cl_importer *imp, long line, const char *column,
                         const char *what);

/*
 * Commits (no bad rows, or skip_bad) or rolls back, fills *rep, and frees
 * imp.  Returns CL_EINVAL when bad rows made it roll back, with err->msg
 * "FILE: N bad rows; nothing imported".
 */
cl_err cl_importer_finish(cl_importer *imp, cl_import_report *rep,
                          cl_error *err);

/* Rolls back and frees imp. */
void cl_importer_abort(cl_importer *imp);

/*
 * Reads the mapping file at path (CSV with the header column,source,
 * transform; see docs/import.md) for kind into *out, freed by the caller
 * with cl_mapping_free.
 *   CL_EINVAL  err->msg "FILE:LINE: FIELD: message", or the file cannot be
 *              read
 *   CL_ENOMEM
 */
cl_err cl_import_mapping_load(const char *path, cl_kind kind, cl_mapping **out,
                              cl_error *err);

/* Reads the CSV file at path (a header row, then data) and imports it. */
cl_err cl_import_file(cl_store *st, cl_kind kind, const char *path,
                      const cl_import_opts *opts, cl_import_report *rep,
                      cl_error *err);

#endif
