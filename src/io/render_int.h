/*
 * render_int.h - what the Markdown/CSV renderer (render.c) and the HTML
 * renderer (render_html.c) share: how a JSON field reads for a person.
 *
 * The renderers know no report: they walk the JSON document and decide by
 * shape (scalar, object, array of flat objects, array of groups) and by field
 * name (money, shares, intervals) how each value reads.
 */
#ifndef CL_RENDER_INT_H
#define CL_RENDER_INT_H

#include <jansson.h>
#include <stdio.h>

#include "../core/err.h"

/* Writes s to f with the escaping a format needs (Markdown cell, HTML). */
typedef void (*cl__esc_fn)(FILE *f, const char *s);

/* A person's label for a field name: "arr_lost" -> "ARR lost". */
void cl__label(const char *key, char *buf, size_t n);

/* 1 for null, string, number, boolean, or an array of those or of objects
   that hold only those (shown in one cell, joined with "; "). */
int cl__is_scalar(json_t *v);

/* 1 for a non-empty array of strings (a bullet list in its own section). */
int cl__is_string_list(json_t *v);

/* 1 for a non-empty array whose elements are all objects of scalars. */
int cl__is_table(json_t *a);

/* 1 for a non-empty array of objects that is not a table (each element is
   rendered as a subsection). */
int cl__is_groups(json_t *a);

/* The field of obj whose 95% interval its ci_low/ci_high siblings give (the
   last number before ci_low), or NULL. */
const char *cl__interval_key(json_t *obj);

/* 1 when key's value carries an interval in obj (main, or K_ci_low). */
int cl__has_interval(const char *key, const char *main, json_t *obj);

/* 1 when key is ci_low/ci_high folded into main's interval, or K_ci_low /
   K_ci_high folded into K's (K a field of obj). */
int cl__folded(const char *key, const char *main, json_t *obj);

/* The union of the keys of an array of objects, first-seen order; the caller
   json_decref's it. */
json_t *cl__columns(json_t *rows);

/* The display name of a group element: its first string field, or NULL. */
const char *cl__item_name(json_t *o);

/*
 * Writes value v of field key as a person reads it: money with thousands
 * separators, shares as percentages, intervals when key is main (parent's
 * ci_low/ci_high), nulls as an em dash.  Strings go through esc.
 */
void cl__write_value(FILE *f, const char *key, json_t *v, json_t *parent,
                     const char *main, cl__esc_fn esc);

/* 1 when field key holding v reads as a percentage. */
int cl__is_share(const char *key, json_t *v);

/* The CSV renderer (render_csv.c); returns 0 or -1 when writing failed. */
int cl__render_csv(json_t *doc, FILE *f);

/* The HTML renderer (render_html.c). */
cl_err cl__render_html(const char *name, const char *title, json_t *doc,
                       FILE *f, cl_error *err);

/* ---- the HTML rendering's parts (render_html.c, render_html_chart.c) ---- */

typedef struct html_ctx {
    FILE *f;
    int charts; /* for unique ids */
} html_ctx;

/* Writes s to f HTML-escaped (text and attribute values alike). */
void cl__html_esc(FILE *f, const char *s);

/* The metric a table's bars show ("share", "churn_12m" or "rate"), or NULL
   when it has none with an interval. */
const char *cl__html_bar_metric(json_t *rows);

/* Writes a figure of rows' metric as bars with interval whiskers, titled
   by what; grouped by `dimension` when the rows have one. */
void cl__html_bar_chart(html_ctx *c, const char *what, json_t *rows,
                        const char *metric);

/* 1 when groups is an array of groups whose points have day and survival
   (Kaplan-Meier curves). */
int cl__html_is_km(json_t *groups);

/* Writes a figure of the groups' Kaplan-Meier curves, titled by what. */
void cl__html_km_chart(html_ctx *c, const char *what, json_t *groups);

#endif
