/*
 * render_html.c - a report as one self-contained HTML file: inline CSS,
 * inline SVG charts drawn here, no script and nothing fetched, so it opens
 * offline and can be mailed as is.
 *
 * The content is the Markdown rendering's, as sections, definition lists and
 * tables.  Two shapes also get a chart, each with a <title>, an aria-label
 * and the table of the same numbers beside it:
 *   - an array of objects with share, churn_12m or rate and ci_low/ci_high:
 *     horizontal bars with interval whiskers (and a dashed mark at each
 *     row's threshold); grouped by `dimension` when the rows have one;
 *   - an array of groups whose `points` have day and survival (retention):
 *     Kaplan-Meier step lines with shaded ci_low..ci_high bands.
 * Every string from the data is HTML-escaped.  The charts are drawn in
 * render_html_chart.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_int.h"

void
cl__html_esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}
static const char css[] =
    "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "margin:0;color:#1b1b1b;background:#fff}"
    "main{max-width:64rem;margin:0 auto;padding:1rem}"
    "h1{font-size:1.6rem;line-height:1.2}h2{font-size:1.3rem;margin-top:2rem;"
    "border-bottom:1px solid #ddd}h3,h4,h5,h6{font-size:1.05rem}"
    "table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}"
    "th,td{padding:.3rem .6rem;border-bottom:1px solid #e3e3e3;"
    "text-align:left;vertical-align:top}th{background:#f5f5f5}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}"
    ".table-wrap{overflow-x:auto;max-width:100%}"
    /* The chart above its table: report tables are too wide to share a
       line with a readable chart. */
    ".pair>figure,figure{margin:.5rem 0;max-width:46rem;overflow-x:auto}"
    "figcaption{font-size:.85rem;color:#555}"
    "svg.chart{width:100%;min-width:30rem;height:auto;display:block}"
    "svg text{font-size:13px;fill:#333}"
    ".bar{fill:#4e79a7}.whisk{stroke:#1b1b1b;stroke-width:1.5}"
    ".thr{stroke:#d62728;stroke-dasharray:4 3;stroke-width:2}"
    ".axis{stroke:#888}.grid{stroke:#eee}"
    "dl.kv{display:grid;grid-template-columns:max-content 1fr;"
    "gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}"
    ".note{color:#555}.legend span{display:inline-block;width:.8em;"
    "height:.8em;margin:0 .3em 0 .8em}"
    "@media (max-width:40rem){main{padding:.5rem}dl.kv{gap:.2rem .6rem}}";

/* ---- tables ---------------------------------------------------------- */

static const char *
rows_interval_key(json_t *rows)
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

static void
html_table(html_ctx *c, json_t *rows)
{
    FILE *f = c->f;
    json_t *cols = cl__columns(rows), *col, *row;
    const char *main = rows_interval_key(rows);
    size_t i, j;
    char label[128];
    fputs("<div class=\"table-wrap\"><table><thead><tr>", f);
    json_array_foreach(cols, j, col)
    {
        const char *k = json_string_value(col);
        if (cl__folded(k, main, json_array_get(rows, 0)))
            continue;
        cl__label(k, label, sizeof label);
        fputs("<th scope=\"col\">", f);
        cl__html_esc(f, label);
        fputs(cl__has_interval(k, main, json_array_get(rows, 0))
                  ? " (95% CI)</th>"
                  : "</th>",
              f);
    }
    fputs("</tr></thead><tbody>\n", f);
    json_array_foreach(rows, i, row)
    {
        fputs("<tr>", f);
        json_array_foreach(cols, j, col)
        {
            const char *k = json_string_value(col);
            json_t *v = json_object_get(row, k);
            if (cl__folded(k, main, json_array_get(rows, 0)))
                continue;
            fputs(json_is_number(v) ? "<td class=\"num\">" : "<td>", f);
            if (v)
                cl__write_value(f, k, v, row, main, cl__html_esc);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
    json_decref(cols);
}

/* ---- document -------------------------------------------------------- */

static void html_object(html_ctx *c, json_t *obj, int level, int top,
                        const char *skip);

static void
heading(html_ctx *c, int level, const char *text)
{
    int h = level > 6 ? 6 : level;
    fprintf(c->f, "<h%d>", h);
    cl__html_esc(c->f, text);
    fprintf(c->f, "</h%d>\n", h);
}

/* A table, with its bar chart beside it when its rows have an interval;
   one chart per dimension when the rows carry one. */
static void
html_table_section(html_ctx *c, const char *key, json_t *rows, int level)
{
    const char *metric = cl__html_bar_metric(rows);
    char label[128];
    cl__label(key, label, sizeof label);
    if (!metric) {
        html_table(c, rows);
        return;
    }
    if (!json_is_string(
            json_object_get(json_array_get(rows, 0), "dimension"))) {
        fputs("<div class=\"pair\">", c->f);
        cl__html_bar_chart(c, label, rows, metric);
        html_table(c, rows);
        fputs("</div>\n", c->f);
        return;
    }
    /* Dimensions in order of first appearance. */
    json_t *dims = json_array(), *seen = json_object(), *row;
    size_t i, j;
    json_array_foreach(rows, i, row)
    {
        json_t *d = json_object_get(row, "dimension");
        if (json_is_string(d) && !json_object_get(seen, json_string_value(d))) {
            json_object_set_new(seen, json_string_value(d), json_true());
            json_array_append(dims, d);
        }
    }
    json_t *d;
    json_array_foreach(dims, j, d)
    {
        json_t *sub = json_array();
        json_array_foreach(rows, i, row)
        {
            if (json_equal(json_object_get(row, "dimension"), d))
                json_array_append(sub, row);
        }
        char dl[128], what[300];
        cl__label(json_string_value(d), dl, sizeof dl);
        snprintf(what, sizeof what, "%s by %s", label, dl);
        heading(c, level + 1, dl);
        fputs("<div class=\"pair\">", c->f);
        cl__html_bar_chart(c, what, sub, metric);
        html_table(c, sub);
        fputs("</div>\n", c->f);
        json_decref(sub);
    }
    json_decref(dims);
    json_decref(seen);
}

static void
html_array(html_ctx *c, const char *key, json_t *a, int level)
{
    size_t i;
    json_t *e;
    char label[128];
    cl__label(key, label, sizeof label);
    if (json_array_size(a) == 0) {
        fputs("<p><em>None.</em></p>\n", c->f);
    } else if (cl__is_table(a)) {
        html_table_section(c, key, a, level);
    } else if (cl__is_groups(a)) {
        if (cl__html_is_km(a))
            cl__html_km_chart(c, label, a);
        json_array_foreach(a, i, e)
        {
            const char *name = cl__item_name(e);
            char num[160];
            if (!name) {
                snprintf(num, sizeof num, "%s %zu", label, i + 1);
                name = num;
            }
            fputs("<section>", c->f);
            heading(c, level + 1, name);
            html_object(c, e, level + 1, 0, name == num ? NULL : name);
            fputs("</section>\n", c->f);
        }
    } else {
        fputs("<ul>", c->f);
        json_array_foreach(a, i, e)
        {
            fputs("<li>", c->f);
            if (json_is_object(e) || json_is_array(e)) {
                char *s = json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY);
                cl__html_esc(c->f, s ? s : "");
                free(s);
            } else {
                cl__write_value(c->f, key, e, NULL, NULL, cl__html_esc);
            }
            fputs("</li>", c->f);
        }
        fputs("</ul>\n", c->f);
    }
}

/* As md_object in render.c: scalar runs as a definition list, objects and
   arrays as sections. */
static void
html_object(html_ctx *c, json_t *obj, int level, int top, const char *skip)
{
    FILE *f = c->f;
    const char *key, *main = cl__interval_key(obj);
    json_t *v;
    int in_list = 0, after_section = 0;
    char label[128];
    json_object_foreach(obj, key, v)
    {
        if ((top && strcmp(key, "period") == 0 && json_is_string(v)) ||
            cl__folded(key, main, obj) ||
            (skip && json_is_string(v) && json_string_value(v) == skip))
            continue;
        if (strcmp(key, "note") == 0 && json_is_string(v)) {
            if (in_list)
                fputs("</dl>\n", f);
            in_list = 0;
            fputs("<p class=\"note\"><em>", f);
            cl__html_esc(f, json_string_value(v));
            fputs("</em></p>\n", f);
            continue;
        }
        if (cl__is_scalar(v) && !cl__is_string_list(v)) {
            if (!in_list) {
                if (after_section)
                    heading(c, level + 1, "Key figures");
                after_section = 0;
                fputs("<dl class=\"kv\">\n", f);
            }
            in_list = 1;
            cl__label(key, label, sizeof label);
            fputs("<dt>", f);
            cl__html_esc(f, label);
            fputs("</dt><dd>", f);
            cl__write_value(f, key, v, obj, main, cl__html_esc);
            fputs("</dd>\n", f);
            continue;
        }
        if (in_list)
            fputs("</dl>\n", f);
        in_list = 0;
        after_section = 1;
        cl__label(key, label, sizeof label);
        fputs("<section>", f);
        heading(c, level + 1, label);
        if (json_is_object(v))
            html_object(c, v, level + 1, 0, NULL);
        else
            html_array(c, key, v, level + 1);
        fputs("</section>\n", f);
    }
    if (in_list)
        fputs("</dl>\n", f);
}

cl_err
cl__render_html(const char *name, const char *title, json_t *doc, FILE *f,
                cl_error *err)
{
    html_ctx c = {f, 0};
    json_t *period = json_object_get(doc, "period");
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
          "charset=\"utf-8\">\n<meta name=\"viewport\" "
          "content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    cl__html_esc(f, title);
    if (json_is_string(period)) {
        fputs(" &mdash; ", f);
        cl__html_esc(f, json_string_value(period));
    }
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>",
            css);
    cl__html_esc(f, title);
    if (json_is_string(period)) {
        fputs(" &mdash; ", f);
        cl__html_esc(f, json_string_value(period));
    }
    fputs("</h1>\n", f);
    html_object(&c, doc, 1, 1, NULL);
    fputs("</main>\n</body>\n</html>\n", f);
    if (ferror(f))
        return cl_error_set(err, CL_EIO, "%s: writing the report failed", name);
    return CL_OK;
}
