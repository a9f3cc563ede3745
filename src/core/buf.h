/*
 * buf.h - one growable byte buffer, its JSON string writer, and the one
 * rule for growing an array.
 *
 * A cl_buf is a small value (its fields are public): zero it, append, and
 * check b->oom once at the end.  An allocation that fails (or would pass
 * b->limit) sets b->oom, and every later append does nothing, so a writer
 * of many pieces needs no check after each of them.  The text stays
 * NUL-terminated after every append, so b->p can be read as a C string
 * (it may also hold NULs appended with cl_buf_add: b->len is the length).
 */
#ifndef CL_BUF_H
#define CL_BUF_H

#include <stddef.h>

#include "err.h"

typedef struct cl_buf {
    char *p;      /* the bytes, NUL-terminated; NULL before the first append */
    size_t len;   /* bytes held, not counting the terminating NUL */
    size_t cap;   /* bytes allocated */
    size_t limit; /* the most bytes it may hold (0: no limit) */
    int oom;      /* sticky: an allocation failed or the limit was reached */
} cl_buf;

/* An empty buffer: no allocation until the first append. */
#define CL_BUF_INIT                                                            \
    {                                                                          \
        0                                                                      \
    }

/* Frees the bytes and leaves b empty (and its oom flag cleared). */
void cl_buf_free(cl_buf *b);

/* Empties b, keeping its allocation for reuse, and clears its oom flag. */
void cl_buf_reset(cl_buf *b);

/* Makes room for n more bytes (and the NUL).  Returns 0, or -1 after
   setting b->oom. */
int cl_buf_reserve(cl_buf *b, size_t n);

/* Appends n bytes of s (which may hold NULs). */
void cl_buf_add(cl_buf *b, const void *s, size_t n);

/* Appends the C string s. */
void cl_buf_str(cl_buf *b, const char *s);

/* Appends printf-style text. */
void cl_buf_printf(cl_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Appends n bytes of s as a quoted JSON string.  '"' and '\\' are
 * backslash-escaped, backspace, form feed, newline, CR and tab as \b, \f,
 * \n, \r and \t, the other control characters (NUL among them) as \u00XX
 * with upper-case hex, as jansson writes them; every
 * other byte, UTF-8 or not, is copied as it is (the callers hold text that
 * was checked for UTF-8 where it came in).
 */
void cl_buf_json_strn(cl_buf *b, const char *s, size_t n);

/* cl_buf_json_strn over the C string s. */
void cl_buf_json_str(cl_buf *b, const char *s);

/*
 * The bytes (NUL-terminated, "" when nothing was appended), which the
 * caller frees, and their length through len (may be NULL); b is empty
 * afterwards.  NULL when b->oom is set (the bytes are freed then).
 */
char *cl_buf_take(cl_buf *b, size_t *len);

/*
 * Grows the array *pp (of elem-byte items, *cap of them allocated) to hold
 * at least need items: the capacity doubles (at least 16 items) so that n
 * appends cost O(n).  pp is the address of the array pointer (any object
 * pointer type).  Returns CL_OK, or CL_ENOMEM with *pp and *cap unchanged
 * when the allocation fails or the size overflows.
 */
cl_err cl_grow(void *pp, size_t *cap, size_t need, size_t elem);

#endif
