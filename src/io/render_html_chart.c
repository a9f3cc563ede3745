/*
 * render_html_chart.c - the inline SVG charts of the HTML rendering
 * (render_html.c): horizontal bars with interval whiskers, and
 * Kaplan-Meier step lines with shaded interval bands.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_int.h"

/* s cut to at most max bytes on a character boundary, with an ellipsis. */
static void
esc_short(FILE *f, const char *s, size_t max)
{
    char buf[128];
    size_t n = strlen(s);
    if (max >= sizeof buf - 4)
        max = sizeof buf - 4;
    if (n <= max) {
        cl__html_esc(f, s);
        return;
    }
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    memcpy(buf, s, max);
    strcpy(buf + max, "\xe2\x80\xa6");
    cl__html_esc(f, buf);
}

static const char *const palette[] = {"#1f77b4", "#d62728", "#2ca02c",
                                      "#9467bd", "#ff7f0e", "#8c564b"};
#define NPALETTE (sizeof palette / sizeof *palette)

/* ---- bar chart with interval whiskers -------------------------------- */

/* The metric a table's bars show, or NULL when it has none with an
   interval. */
const char *
cl__html_bar_metric(json_t *rows)
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
    cl__html_esc(c->f, what);
    fputs(": ", c->f);
    cl__html_esc(c->f, label);
    fputs(" with 95% intervals</title>\n", c->f);
}

void
cl__html_bar_chart(html_ctx *c, const char *what, json_t *rows,
                   const char *metric)
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
    cl__html_esc(f, what);
    fputs(": ", f);
    cl__html_esc(f, label);
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
    cl__html_esc(f, label);
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
    cl__html_esc(f, label);
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

int
cl__html_is_km(json_t *groups)
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

/* A tick across the line at each point where customers still with us
   left follow-up since the point before (its "censored" count), as the
   web chart draws them: a reader tells a flat stretch with nobody left
   to observe from one where nobody churned. */
static void
censor_ticks(FILE *f, const km_scale *s, json_t *pts, const char *col)
{
    size_t j;
    json_t *p;
    int any = 0;
    json_array_foreach(pts, j, p)
    {
        if (num_or(json_object_get(p, "censored"), 0) <= 0)
            continue;
        if (!any)
            fprintf(f,
                    "<path class=\"censored\" fill=\"none\" stroke=\"%s\" "
                    "stroke-width=\"1.5\" d=\"",
                    col);
        any = 1;
        fprintf(f, "M%.1f %.1fv8", kx(s, num_or(json_object_get(p, "day"), 0)),
                ky(s, num_or(json_object_get(p, "survival"), 1)) - 4);
    }
    if (any)
        fputs("\"/>\n", f);
}

void
cl__html_km_chart(html_ctx *c, const char *what, json_t *groups)
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
    cl__html_esc(f, what);
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
        censor_ticks(f, &s, pts, col);
    }
    fputs("</svg><figcaption class=\"legend\">", f);
    json_array_foreach(groups, i, g)
    {
        const char *name = cl__item_name(g);
        fprintf(f, "<span style=\"background:%s\"></span>",
                palette[i % NPALETTE]);
        if (name)
            cl__html_esc(f, name);
        else
            fprintf(f, "%zu", i + 1);
    }
    fputs("<br>Lines: share still customers (Kaplan-Meier); shaded: 95% "
          "interval; ticks: customers still with us whose follow-up ended "
          "there (censored).</figcaption></figure>\n",
          f);
}
