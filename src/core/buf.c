/*
 * buf.c - the growable buffer, its JSON string writer and cl_grow (buf.h).
 */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
cl_buf_free(cl_buf *b)
{
    size_t limit = b->limit;
    free(b->p);
    *b = (cl_buf){.limit = limit};
}

void
cl_buf_reset(cl_buf *b)
{
    b->len = 0;
    b->oom = 0;
    if (b->p)
        b->p[0] = '\0';
}

int
cl_buf_reserve(cl_buf *b, size_t n)
{
    if (b->oom)
        return -1;
    if (n >= SIZE_MAX - b->len || (b->limit && b->len + n > b->limit)) {
        b->oom = 1;
        return -1;
    }
    if (n < b->cap - b->len) /* room for n bytes and the NUL */
        return 0;
    if (cl_grow(&b->p, &b->cap, b->len + n + 1, 1) != CL_OK) {
        b->oom = 1;
        return -1;
    }
    return 0;
}

void
cl_buf_add(cl_buf *b, const void *s, size_t n)
{
    if (cl_buf_reserve(b, n) != 0)
        return;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void
cl_buf_str(cl_buf *b, const char *s)
{
    cl_buf_add(b, s, strlen(s));
}

void
cl_buf_printf(cl_buf *b, const char *fmt, ...)
{
    va_list ap;
    if (b->oom)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if (cl_buf_reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
cl_buf_json_strn(cl_buf *b, const char *s, size_t n)
{
    /* As jansson escapes (\b, \f, upper-case hex), so that JSON written
       here and JSON jansson prints are the same bytes. */
    static const char hex[] = "0123456789ABCDEF";
    const char *end = s + n, *run = s;

    /* Most strings need no escape: reserve once for the common case. */
    if (cl_buf_reserve(b, n + 2) != 0)
        return;
    cl_buf_add(b, "\"", 1);
    for (; s < end; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        cl_buf_add(b, run, (size_t)(s - run));
        run = s + 1;
        char esc[6] = {'\\', (char)c};
        size_t len = 2;
        if (c == '\b')
            esc[1] = 'b';
        else if (c == '\f')
            esc[1] = 'f';
        else if (c == '\n')
            esc[1] = 'n';
        else if (c == '\r')
            esc[1] = 'r';
        else if (c == '\t')
            esc[1] = 't';
        else if (c < 0x20) {
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            len = 6;
        }
        cl_buf_add(b, esc, len);
    }
    cl_buf_add(b, run, (size_t)(s - run));
    cl_buf_add(b, "\"", 1);
}

void
cl_buf_json_str(cl_buf *b, const char *s)
{
    cl_buf_json_strn(b, s, strlen(s));
}

char *
cl_buf_take(cl_buf *b, size_t *len)
{
    char *p = b->oom ? NULL : b->p;
    if (b->oom)
        free(b->p);
    else if (p == NULL)
        p = calloc(1, 1);
    if (len)
        *len = p ? b->len : 0;
    *b = (cl_buf){.limit = b->limit};
    return p;
}

cl_err
cl_grow(void *pp, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return CL_OK;
    size_t n = *cap < 8 ? 16 : *cap;
    while (n < need && n <= SIZE_MAX / 2)
        n *= 2;
    if (n < need || elem == 0 || n > SIZE_MAX / elem)
        return CL_ENOMEM;
    /* pp may point to any object pointer type: read and write it as
       bytes, so no T ** is ever accessed as a void **. */
    void *p;
    memcpy(&p, pp, sizeof p);
    p = realloc(p, n * elem);
    if (p == NULL)
        return CL_ENOMEM;
    memcpy(pp, &p, sizeof p);
    *cap = n;
    return CL_OK;
}
