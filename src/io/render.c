/*
 * render.c - reports for people, from the report's JSON: the dispatch, and
 * the JSON and Markdown renderings.  Value formatting is in render_value.c,
 * CSV in render_csv.c, HTML in render_html.c.
 *
 * Nothing here knows a report.  Each rendering walks the document: scalars
 * become a key/value list, objects sections, arrays of flat objects tables,
 * arrays of strings bullet lists, so a field a builder adds shows up without
 * a change here.  Field names decide how a number reads (money, shares,
 * intervals, ratios); see cl__write_value.
 */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "render_int.h"

int
cl_format_parse(const char *name)
{
    static const char *const names[] = {"json", "md", "csv", "html"};
    for (int i = 0; i < 4; i++)
        if (name && strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

/* The row whose ci_low/ci_high fold into a column: the first that has them. */
static const char *
table_interval_key(json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *m = cl__interval_key(row);
        if (m)
            return m;
    }
    return NULL;
}

/* ---- Markdown -------------------------------------------------------- */

static void
md_plain(FILE *f, const char *s)
{
    /* Keep each value on its line of the list. */
    for (; *s; s++)
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void
md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else
            fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
    }
}

static void
md_heading(FILE *f, int level, const char *text)
{
    for (int i = 0; i < (level > 6 ? 6 : level); i++)
        fputc('#', f);
    fputc(' ', f);
    md_plain(f, text);
    fputs("\n\n", f);
}

static void
md_table(FILE *f, json_t *rows)
{
    json_t *cols = cl__columns(rows), *c, *row;
    const char *main = table_interval_key(rows);
    size_t i, j;
    char label[128];
    fputc('|', f);
    json_array_foreach(cols, j, c)
    {
        const char *k = json_string_value(c);
        if (cl__folded(k, main, json_array_get(rows, 0)))
            continue;
        cl__label(k, label, sizeof label);
        fprintf(f, " ");
        md_cell(f, label);
        fputs(cl__has_interval(k, main, json_array_get(rows, 0)) ? " (95% CI) |"
                                                                 : " |",
              f);
    }
    fputs("\n|", f);
    json_array_foreach(cols, j, c)
    {
        const char *k = json_string_value(c);
        if (cl__folded(k, main, json_array_get(rows, 0)))
            continue;
        json_t *first = json_object_get(json_array_get(rows, 0), k);
        fputs(json_is_number(first) ? " ---: |" : " --- |", f);
    }
    fputc('\n', f);
    json_array_foreach(rows, i, row)
    {
        fputc('|', f);
        json_array_foreach(cols, j, c)
        {
            const char *k = json_string_value(c);
            json_t *v = json_object_get(row, k);
            if (cl__folded(k, main, json_array_get(rows, 0)))
                continue;
            fputc(' ', f);
            if (v)
                cl__write_value(f, k, v, row, main, md_cell);
            fputs(" |", f);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
    json_decref(cols);
}

static void md_object(FILE *f, json_t *obj, int level, int top,
                      const char *skip);

/* An array in its own section: a table, subsections, or a bullet list. */
static void
md_array(FILE *f, const char *key, json_t *a, int level)
{
    size_t i;
    json_t *e;
    char label[128];
    if (json_array_size(a) == 0) {
        fputs("_None._\n\n", f);
    } else if (cl__is_table(a)) {
        md_table(f, a);
    } else if (cl__is_groups(a)) {
        json_array_foreach(a, i, e)
        {
            const char *name = cl__item_name(e);
            char num[160];
            if (!name) {
                cl__label(key, label, sizeof label);
                snprintf(num, sizeof num, "%s %zu", label, i + 1);
                name = num;
            }
            md_heading(f, level + 1, name);
            md_object(f, e, level + 1, 0, name == num ? NULL : name);
        }
    } else {
        json_array_foreach(a, i, e)
        {
            fputs("- ", f);
            if (json_is_object(e) || json_is_array(e)) {
                char *s = json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY);
                md_plain(f, s ? s : "");
                free(s);
            } else {
                cl__write_value(f, key, e, NULL, NULL, md_plain);
            }
            fputc('\n', f);
        }
        fputc('\n', f);
    }
}

/*
 * An object's fields in document order: runs of scalars as a key/value list
 * (under "Key figures" when they follow a section, so they do not read as
 * part of it), objects and arrays as sections one level down.
 */
static void
md_object(FILE *f, json_t *obj, int level, int top, const char *skip)
{
    const char *key, *main = cl__interval_key(obj);
    json_t *v;
    int in_list = 0, after_section = 0;
    char label[128];
    json_object_foreach(obj, key, v)
    {
        if (top && strcmp(key, "period") == 0 && json_is_string(v))
            continue;
        if (cl__folded(key, main, obj) ||
            (skip && json_is_string(v) && json_string_value(v) == skip))
            continue;
        if (strcmp(key, "note") == 0 && json_is_string(v)) {
            if (in_list)
                fputc('\n', f);
            in_list = 0;
            fputc('_', f);
            md_plain(f, json_string_value(v));
            fputs("_\n\n", f);
            continue;
        }
        if (cl__is_scalar(v) && !cl__is_string_list(v)) {
            if (!in_list && after_section) {
                md_heading(f, level + 1, "Key figures");
                after_section = 0;
            }
            cl__label(key, label, sizeof label);
            fputs("- **", f);
            md_plain(f, label);
            fputs(":** ", f);
            cl__write_value(f, key, v, obj, main, md_plain);
            fputc('\n', f);
            in_list = 1;
            continue;
        }
        if (in_list)
            fputc('\n', f);
        in_list = 0;
        after_section = 1;
        cl__label(key, label, sizeof label);
        md_heading(f, level + 1, label);
        if (json_is_object(v))
            md_object(f, v, level + 1, 0, NULL);
        else
            md_array(f, key, v, level + 1);
    }
    if (in_list)
        fputc('\n', f);
}

static void
md_render(const char *title, json_t *doc, FILE *f)
{
    json_t *period = json_object_get(doc, "period");
    fputs("# ", f);
    md_plain(f, title);
    if (json_is_string(period)) {
        fputs(" \xe2\x80\x94 ", f);
        md_plain(f, json_string_value(period));
    }
    fputs("\n\n", f);
    md_object(f, doc, 1, 1, NULL);
}

/* ---- dispatch -------------------------------------------------------- */

cl_err
cl_render(const char *name, const char *title, json_t *doc, cl_format format,
          FILE *f, cl_error *err)
{
    int rc = 0;
    switch (format) {
    case CL_FORMAT_JSON:
        rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (rc == 0 && fputc('\n', f) == EOF)
            rc = -1;
        break;
    case CL_FORMAT_MD:
        md_render(title, doc, f);
        break;
    case CL_FORMAT_CSV:
        rc = cl__render_csv(doc, f);
        break;
    case CL_FORMAT_HTML:
        return cl__render_html(name, title, doc, f, err);
    }
    if (rc != 0 || ferror(f))
        return cl_error_set(err, CL_EIO, "%s: writing the report failed", name);
    return CL_OK;
}
