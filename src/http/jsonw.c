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
    cl_buf_free(&w->b);
    cl_jw_init(w);
}

static void
put(cl_jw *w, const char *s, size_t n)
{
    cl_buf_add(&w->b, s, n);
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

void
cl_jw_key(cl_jw *w, const char *key)
{
    sep(w);
    cl_buf_json_str(&w->b, key);
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
    cl_buf_json_str(&w->b, s);
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
    char *p = cl_buf_take(&w->b, len);
    cl_jw_init(w);
    return p;
}
