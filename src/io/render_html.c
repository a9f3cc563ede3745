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
 * Every string from the data is HTML-escaped.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_int.h"

typedef struct html_ctx {
    FILE *f;
    int charts; /* for unique ids */
} html_ctx;

static void
esc(FILE *f, const char *s)
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

/* s cut to at most max bytes on a character boundary, with an ellipsis. */
static void
esc_short(FILE *f, const char *s, size_t max)
{
    char buf[128];
    size_t n = strlen(s);
    if (max >= sizeof buf - 4)
        max = sizeof buf - 4;
    if (n <= max) {
        esc(f, s);
        return;
    }
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    memcpy(buf, s, max);
    strcpy(buf + max, "\xe2\x80\xa6");
    esc(f, buf);
}

static const char *const palette[] = {"#1f77b4", "#d62728", "#2ca02c",
                                      "#9467bd", "#ff7f0e", "#8c564b"};
#define NPALETTE (sizeof palette / sizeof *palette)

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
        esc(f, label);
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
                cl__write_value(f, k, v, row, main, esc);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
    json_decref(cols);
}

/* ---- bar chart with interval whiskers -------------------------------- */

/* The metric a table's bars show, or NULL when it has none with an
   interval. */
static const char *
bar_metric(json_t *rows)
{
    static const char *const metrics[] = {"share", "churn_12m", "rate"};
    json_t *first = json_array_get(rows, 0);
    if (!json_object_get(first, "ci_low") || !json_object_get(first, "ci_high"))
        return NULL;
    for (size_t i = 0; i < 3; i++)
        if (json_object_get(first, metrics[i]))
            return metrics[i];
    return NULL;
}

/* The label of a bar: the row's first string or boolean field other than
   the grouping dimension. */
static void
bar_label(FILE *f, json_t *row, size_t index)
{
    const char *key;
    json_t *v;
    json_object_foreach(row, key, v)
    {
        if (strcmp(key, "dimension") == 0)
            continue;
        if (json_is_string(v)) {
            esc_short(f, json_string_value(v), 30);
            return;
        }
        if (json_is_boolean(v)) {
            fputs(json_is_true(v) ? "true" : "false", f);
            return;
        }
    }
    fprintf(f, "%zu", index + 1);
}

static double
num_or(json_t *v, double dflt)
{
    return json_is_number(v) ? json_number_value(v) : dflt;
}

static void
chart_title(html_ctx *c, const char *what, const char *metric)
{
    char label[128];
    cl__label(metric, label, sizeof label);
    fprintf(c->f, "<title id=\"chart%d-t\">", c->charts);
    esc(c->f, what);
    fputs(": ", c->f);
    esc(c->f, label);
    fputs(" with 95% intervals</title>\n", c->f);
}

static void
bar_chart(html_ctx *c, const char *what, json_t *rows, const char *metric)
{
    FILE *f = c->f;
    const double W = 640, left = 190, right = 70, top = 8, rowh = 26, axis = 40;
    size_t n = json_array_size(rows), i;
    double xmax = 0;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        double m = num_or(json_object_get(row, metric), 0);
        double hi = num_or(json_object_get(row, "ci_high"), m);
        double t = num_or(json_object_get(row, "threshold"), 0);
        xmax = fmax(xmax, fmax(m, fmax(hi, t)));
    }
    xmax = fmin(1, fmax(0.1, ceil(xmax * 10 - 1e-9) / 10));
    double step = xmax <= 0.2 ? 0.05 : xmax <= 0.6 ? 0.1 : 0.2;
    double H = top + rowh * (double)n + axis, pw = W - left - right;
    char label[128];
    cl__label(metric, label, sizeof label);

    c->charts++;
    fprintf(f,
            "<figure><svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" "
            "role=\"img\" aria-labelledby=\"chart%d-t\" aria-label=\"",
            W, H, c->charts);
    esc(f, what);
    fputs(": ", f);
    esc(f, label);
    fputs(" with 95% intervals\">\n", f);
    chart_title(c, what, metric);
    /* Grid and axis. */
    for (double x = 0; x <= xmax + 1e-9; x += step) {
        double px = left + pw * x / xmax;
        fprintf(f,
                "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\"/><text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"middle\">%.0f%%</text>\n",
                px, top, px, top + rowh * (double)n, px,
                top + rowh * (double)n + 16, x * 100);
    }
    fprintf(f,
            "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
            "y2=\"%.1f\"/>\n<text x=\"%.1f\" y=\"%.1f\" "
            "text-anchor=\"middle\">",
            left, top + rowh * (double)n, left + pw, top + rowh * (double)n,
            left + pw / 2, H - 4);
    esc(f, label);
    fputs(" (bars), 95% interval (whiskers)</text>\n", f);
    json_array_foreach(rows, i, row)
    {
        double y = top + rowh * (double)i;
        json_t *mv = json_object_get(row, metric);
        double m = num_or(mv, 0);
        double lo = num_or(json_object_get(row, "ci_low"), m);
        double hi = num_or(json_object_get(row, "ci_high"), m);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 6,
                y + rowh / 2 + 4);
        bar_label(f, row, i);
        fputs("</text>\n", f);
        if (!json_is_number(mv)) {
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">no data</text>\n", left + 4,
                    y + rowh / 2 + 4);
            continue;
        }
        fprintf(f,
                "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%.1f\"/>\n",
                left, y + 5, pw * fmin(m, xmax) / xmax, rowh - 10);
        double x1 = left + pw * fmin(lo, xmax) / xmax,
               x2 = left + pw * fmin(hi, xmax) / xmax, ym = y + rowh / 2;
        fprintf(f,
                "<path class=\"whisk\" d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1f"
                "M%.1f %.1fV%.1f\"/>\n",
                x1, ym, x2, x1, ym - 6, ym + 6, x2, ym - 6, ym + 6);
        json_t *t = json_object_get(row, "threshold");
        if (json_is_number(t)) {
            double xt = left + pw * fmin(json_number_value(t), xmax) / xmax;
            fprintf(f,
                    "<line class=\"thr\" x1=\"%.1f\" y1=\"%.1f\" "
                    "x2=\"%.1f\" y2=\"%.1f\"/>\n",
                    xt, y + 1, xt, y + rowh - 1);
        }
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%.1f%%</text>\n", left + pw + 6,
                ym + 4, m * 100);
    }
    fputs("</svg>", f);
    json_t *first = json_array_get(rows, 0);
    fputs("<figcaption>Bars: ", f);
    esc(f, label);
    fputs("; whiskers: 95% interval", f);
    if (json_object_get(first, "threshold"))
        fputs("; dashed red mark: threshold", f);
    fputs(".</figcaption></figure>\n", f);
}

/* ---- Kaplan-Meier curves --------------------------------------------- */

/* The survival points of a retention group, or NULL. */
static json_t *
km_points(json_t *group)
{
    json_t *p = json_object_get(group, "points");
    json_t *first = json_array_get(p, 0);
    if (!cl__is_table(p) || !json_object_get(first, "day") ||
        !json_object_get(first, "survival"))
        return NULL;
    return p;
}

static int
is_km(json_t *groups)
{
    size_t i;
    json_t *g;
    if (!cl__is_groups(groups))
        return 0;
    json_array_foreach(groups, i, g)
    {
        if (!km_points(g))
            return 0;
    }
    return 1;
}

typedef struct km_scale {
    double left, top, pw, ph, xmax, ymin;
} km_scale;

static double
kx(const km_scale *s, double day)
{
    return s->left + s->pw * day / s->xmax;
}

static double
ky(const km_scale *s, double surv)
{
    return s->top + s->ph * (1 - surv) / (1 - s->ymin);
}

/* The step line through the points' field (survival, ci_low, ci_high),
   from (0, 1).  With back, walks the steps from the end to day 0. */
static void
km_steps(FILE *f, const km_scale *s, json_t *pts, const char *field, int back,
         int first_cmd)
{
    size_t n = json_array_size(pts);
    double prev = 1;
    /* Forward: the y after each point; backward uses the same corners. */
    double *ys = malloc((n + 1) * sizeof *ys), *xs = malloc(n * sizeof *xs);
    if (!ys || !xs) {
        free(ys);
        free(xs);
        return;
    }
    ys[0] = 1;
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(pts, i);
        double surv = num_or(json_object_get(p, "survival"), prev);
        xs[i] = num_or(json_object_get(p, "day"), 0);
        ys[i + 1] = num_or(json_object_get(p, field), surv);
        prev = ys[i + 1];
    }
    if (!back) {
        fprintf(f, "%c%.1f %.1f", first_cmd ? 'M' : 'L', kx(s, 0), ky(s, 1));
        for (size_t i = 0; i < n; i++)
            fprintf(f, "H%.1fV%.1f", kx(s, xs[i]), ky(s, ys[i + 1]));
    } else {
        for (size_t i = n; i-- > 0;)
            fprintf(f, "L%.1f %.1fL%.1f %.1f", kx(s, xs[i]), ky(s, ys[i + 1]),
                    kx(s, xs[i]), ky(s, ys[i]));
        fprintf(f, "L%.1f %.1f", kx(s, 0), ky(s, 1));
    }
    free(ys);
    free(xs);
}

static void
km_chart(html_ctx *c, const char *what, json_t *groups)
{
    FILE *f = c->f;
    km_scale s = {56, 12, 640 - 56 - 16, 260, 0, 1};
    size_t i, j;
    json_t *g, *p;
    json_array_foreach(groups, i, g)
    {
        json_array_foreach(km_points(g), j, p)
        {
            s.xmax = fmax(s.xmax, num_or(json_object_get(p, "day"), 0));
            s.ymin = fmin(s.ymin, num_or(json_object_get(p, "survival"), 1));
            s.ymin = fmin(s.ymin, num_or(json_object_get(p, "ci_low"), 1));
        }
    }
    double xstep = s.xmax <= 180 ? 30 : s.xmax <= 730 ? 90 : 365;
    s.xmax = fmax(xstep, ceil(s.xmax / xstep) * xstep);
    s.ymin = fmax(0, floor(s.ymin * 10 - 1e-9) / 10);
    if (s.ymin > 0.9)
        s.ymin = 0.9;
    double ystep = 1 - s.ymin > 0.5 ? 0.2 : 0.1;
    double H = s.top + s.ph + 44;

    c->charts++;
    fprintf(f,
            "<figure><svg class=\"chart\" viewBox=\"0 0 640 %.0f\" "
            "role=\"img\" aria-labelledby=\"chart%d-t\" aria-label=\"",
            H, c->charts);
    esc(f, what);
    fputs(": Kaplan-Meier survival by cohort with 95% bands\">\n", f);
    chart_title(c, what, "survival");
    for (double y = 1; y >= s.ymin - 1e-9; y -= ystep)
        fprintf(f,
                "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\"/><text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"end\">%.0f%%</text>\n",
                s.left, ky(&s, y), s.left + s.pw, ky(&s, y), s.left - 4,
                ky(&s, y) + 4, y * 100);
    for (double x = 0; x <= s.xmax + 1e-9; x += xstep)
        fprintf(f,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.0f"
                "</text>\n",
                kx(&s, x), s.top + s.ph + 16, x);
    fprintf(f,
            "<path class=\"axis\" fill=\"none\" d=\"M%.1f %.1fV%.1fH%.1f\"/>"
            "\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">Days since "
            "start</text>\n<text transform=\"translate(12 %.1f) rotate(-90)\" "
            "text-anchor=\"middle\">Still customers</text>\n",
            s.left, s.top, s.top + s.ph, s.left + s.pw, s.left + s.pw / 2,
            H - 6, s.top + s.ph / 2);
    json_array_foreach(groups, i, g)
    {
        const char *col = palette[i % NPALETTE];
        json_t *pts = km_points(g);
        fprintf(f,
                "<path fill=\"%s\" fill-opacity=\"0.15\" stroke=\"none\" "
                "d=\"",
                col);
        km_steps(f, &s, pts, "ci_high", 0, 1);
        km_steps(f, &s, pts, "ci_low", 1, 0);
        fputs("Z\"/>\n", f);
        fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"",
                col);
        km_steps(f, &s, pts, "survival", 0, 1);
        fputs("\"/>\n", f);
    }
    fputs("</svg><figcaption class=\"legend\">", f);
    json_array_foreach(groups, i, g)
    {
        const char *name = cl__item_name(g);
        fprintf(f, "<span style=\"background:%s\"></span>",
                palette[i % NPALETTE]);
        if (name)
            esc(f, name);
        else
            fprintf(f, "%zu", i + 1);
    }
    fputs("<br>Lines: share still customers (Kaplan-Meier); shaded: 95% "
          "interval.</figcaption></figure>\n",
          f);
}

/* ---- document -------------------------------------------------------- */

static void html_object(html_ctx *c, json_t *obj, int level, int top,
                        const char *skip);

static void
heading(html_ctx *c, int level, const char *text)
{
    int h = level > 6 ? 6 : level;
    fprintf(c->f, "<h%d>", h);
    esc(c->f, text);
    fprintf(c->f, "</h%d>\n", h);
}

/* A table, with its bar chart beside it when its rows have an interval;
   one chart per dimension when the rows carry one. */
static void
html_table_section(html_ctx *c, const char *key, json_t *rows, int level)
{
    const char *metric = bar_metric(rows);
    char label[128];
    cl__label(key, label, sizeof label);
    if (!metric) {
        html_table(c, rows);
        return;
    }
    if (!json_is_string(
            json_object_get(json_array_get(rows, 0), "dimension"))) {
        fputs("<div class=\"pair\">", c->f);
        bar_chart(c, label, rows, metric);
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
        bar_chart(c, what, sub, metric);
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
        if (is_km(a))
            km_chart(c, label, a);
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
                esc(c->f, s ? s : "");
                free(s);
            } else {
                cl__write_value(c->f, key, e, NULL, NULL, esc);
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
            esc(f, json_string_value(v));
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
            esc(f, label);
            fputs("</dt><dd>", f);
            cl__write_value(f, key, v, obj, main, esc);
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
    esc(f, title);
    if (json_is_string(period)) {
        fputs(" &mdash; ", f);
        esc(f, json_string_value(period));
    }
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>",
            css);
    esc(f, title);
    if (json_is_string(period)) {
        fputs(" &mdash; ", f);
        esc(f, json_string_value(period));
    }
    fputs("</h1>\n", f);
    html_object(&c, doc, 1, 1, NULL);
    fputs("</main>\n</body>\n</html>\n", f);
    if (ferror(f))
        return cl_error_set(err, CL_EIO, "%s: writing the report failed", name);
    return CL_OK;
}
