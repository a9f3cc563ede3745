/*
 * jsonw.c - the JSON text writer (jsonw.h).
 */
#include "jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
cl_jw_init(cl_jw *w)
{
    memset(w, 0, sizeof *w);
}

void
cl_jw_free(cl_jw *w)
{
    free(w->p);
    cl_jw_init(w);
}

static int
reserve(cl_jw *w, size_t n)
{
    if (w->failed)
        return 0;
    if (w->len + n + 1 <= w->cap)
        return 1;
    size_t cap = w->cap ? w->cap : 1024;
    while (cap < w->len + n + 1)
        cap *= 2;
    char *p = realloc(w->p, cap);
    if (p == NULL) {
        w->failed = 1;
        return 0;
    }
    w->p = p;
    w->cap = cap;
    return 1;
}

static void
put(cl_jw *w, const char *s, size_t n)
{
    if (!reserve(w, n))
        return;
    memcpy(w->p + w->len, s, n);
    w->len += n;
    w->p[w->len] = '\0';
}

/* The comma before a value or key, unless it follows a key or opens a
   container. */
static void
sep(cl_jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth > 0) {
        if (w->filled[w->depth - 1])
            put(w, ",", 1);
        w->filled[w->depth - 1] = 1;
    }
}

static void
open_(cl_jw *w, char c)
{
    sep(w);
    put(w, &c, 1);
    if (w->depth < CL_JW_DEPTH)
        w->filled[w->depth] = 0;
    w->depth++;
}

static void
close_(cl_jw *w, char c)
{
    put(w, &c, 1);
    if (w->depth > 0)
        w->depth--;
}

void
cl_jw_obj(cl_jw *w)
{
    open_(w, '{');
}

void
cl_jw_obj_end(cl_jw *w)
{
    close_(w, '}');
}

void
cl_jw_arr(cl_jw *w)
{
    open_(w, '[');
}

void
cl_jw_arr_end(cl_jw *w)
{
    close_(w, ']');
}

/* Appends s as a JSON string: quotes, and escapes for '"', '\\' and the
   control characters (UTF-8 passes through as it is). */
static void
quoted(cl_jw *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strlen(s);
    if (!reserve(w, n + 2))
        return;
    w->p[w->len++] = '"';
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(w, run, (size_t)(s - run));
        run = s + 1;
        char esc[7] = {'\\', 0};
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
        }
        put(w, esc, strlen(esc));
    }
    put(w, run, (size_t)(s - run));
    put(w, "\"", 1);
}

void
cl_jw_key(cl_jw *w, const char *key)
{
    sep(w);
    quoted(w, key);
    put(w, ":", 1);
    w->after_key = 1;
}

void
cl_jw_str(cl_jw *w, const char *s)
{
    if (s == NULL) {
        cl_jw_null(w);
        return;
    }
    sep(w);
    quoted(w, s);
}

void
cl_jw_int(cl_jw *w, int64_t v)
{
    char b[24];
    sep(w);
    put(w, b, (size_t)snprintf(b, sizeof b, "%lld", (long long)v));
}

void
cl_jw_real(cl_jw *w, double v)
{
    char b[40];
    if (!isfinite(v)) {
        cl_jw_null(w);
        return;
    }
    sep(w);
    /* The shortest of %.15g and %.17g that reads back as v; a ".0" keeps
       it a real, as jansson prints it. */
    int n = snprintf(b, sizeof b, "%.15g", v);
    if (strtod(b, NULL) != v)
        n = snprintf(b, sizeof b, "%.17g", v);
    if (strpbrk(b, ".eEn") == NULL)
        n += snprintf(b + n, sizeof b - (size_t)n, ".0");
    put(w, b, (size_t)n);
}

void
cl_jw_bool(cl_jw *w, int v)
{
    sep(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void
cl_jw_null(cl_jw *w)
{
    sep(w);
    put(w, "null", 4);
}

void
cl_jw_raw(cl_jw *w, const char *json)
{
    if (json == NULL || *json == '\0') {
        cl_jw_null(w);
        return;
    }
    sep(w);
    put(w, json, strlen(json));
}

char *
cl_jw_take(cl_jw *w, size_t *len)
{
    char *p = w->failed ? NULL : w->p;
    if (w->failed)
        free(w->p);
    else if (p == NULL)
        p = calloc(1, 1);
    *len = p ? w->len : 0;
    cl_jw_init(w);
    return p;
}
