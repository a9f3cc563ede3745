/*
 * jsonw.h - a JSON text writer for the server's hottest replies.
 *
 * jansson builds a tree and then prints it; for the account page that tree
 * (and re-parsing the audit log's stored JSON into it) cost more than all of
 * its SQL.  This writer appends text to a growing buffer instead, inserting
 * the commas itself, and splices stored JSON (already valid, written by the
 * store) in as it is.  Out of memory makes the writer "failed": later calls
 * do nothing and cl_jw_take returns NULL.
 */
#ifndef CL_JSONW_H
#define CL_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"

#define CL_JW_DEPTH 16

typedef struct cl_jw {
    cl_buf b; /* the text so far; b.oom makes the writer "failed" */
    int depth;
    /* Per open container: 1 once it holds a value (a comma comes next). */
    unsigned char filled[CL_JW_DEPTH];
    int after_key; /* the next value follows a key: no comma */
} cl_jw;

/* An empty writer (no allocation until the first append). */
void cl_jw_init(cl_jw *w);

/* Frees the buffer. */
void cl_jw_free(cl_jw *w);

/* Opens or closes an object or array. */
void cl_jw_obj(cl_jw *w);
void cl_jw_obj_end(cl_jw *w);
void cl_jw_arr(cl_jw *w);
void cl_jw_arr_end(cl_jw *w);

/* The key of the next value in the open object. */
void cl_jw_key(cl_jw *w, const char *key);

/* Values: a string (NULL writes null), numbers, true/false, null. */
void cl_jw_str(cl_jw *w, const char *s);
void cl_jw_int(cl_jw *w, int64_t v);
void cl_jw_real(cl_jw *w, double v);
void cl_jw_bool(cl_jw *w, int v);
void cl_jw_null(cl_jw *w);

/* A value that is JSON text already (NULL or "" writes null). */
void cl_jw_raw(cl_jw *w, const char *json);

/* The text (NUL-terminated; the caller frees it) and its length; the
   writer is empty afterwards.  NULL when an allocation failed. */
char *cl_jw_take(cl_jw *w, size_t *len);

#endif
