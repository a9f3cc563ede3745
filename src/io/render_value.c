/*
 * render_value.c - how a JSON field reads for a person, shared by the
 * Markdown, CSV and HTML renderers: labels from field names, money, shares
 * and intervals, and the shapes (scalar, table, groups) that decide the
 * layout.  See render_int.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_int.h"

static const struct {
    const char *key, *label;
} label_overrides[] = {
    {"churn_12m", "12-month churn"},
    {"churn_12m_all", "12-month churn, all customers"},
    {"p_value", "p-value"},
    {"q_value", "q-value"},
    {"ci_low", "CI low"},
    {"ci_high", "CI high"},
};

static const char *const acronyms[] = {"arr",  "icp", "ae",  "aes", "csm",
                                       "csms", "cs",  "nrr", "ci",  "id",
                                       "crm",  "mrr", "vp",  "cs"};

void
cl__label(const char *key, char *buf, size_t n)
{
    for (size_t i = 0; i < sizeof label_overrides / sizeof *label_overrides;
         i++)
        if (strcmp(key, label_overrides[i].key) == 0) {
            snprintf(buf, n, "%s", label_overrides[i].label);
            return;
        }
    if (strncmp(key, "churn_12m_", 10) == 0) {
        char rest[96];
        cl__label(key + 10, rest, sizeof rest);
        if (rest[0] >= 'A' && rest[0] <= 'Z' &&
            !(rest[1] >= 'A' && rest[1] <= 'Z'))
            rest[0] = (char)(rest[0] - 'A' + 'a');
        snprintf(buf, n, "12-month churn, %s", rest);
        return;
    }
    size_t o = 0;
    const char *p = key;
    int first = 1;
    while (*p && o + 1 < n) {
        size_t len = strcspn(p, "_");
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)len, p);
        int acr = 0;
        for (size_t i = 0; i < sizeof acronyms / sizeof *acronyms; i++)
            if (strcmp(word, acronyms[i]) == 0)
                acr = 1;
        for (size_t i = 0; word[i] && o + 1 < n; i++) {
            char c = word[i];
            if (acr && c >= 'a' && c <= 'z' &&
                !(c == 's' && word[i + 1] == '\0' && i >= 2))
                c = (char)(c - 'a' + 'A');
            else if (first && i == 0 && c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            buf[o++] = c;
        }
        first = 0;
        p += len;
        if (*p == '_') {
            p++;
            if (*p && o + 1 < n)
                buf[o++] = ' ';
        }
    }
    buf[o] = '\0';
}

/* The last '_'-separated word of key. */
static const char *
last_word(const char *key)
{
    const char *u = strrchr(key, '_');
    return u ? u + 1 : key;
}

static int
has_word(const char *key, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = key; *p;) {
        size_t len = strcspn(p, "_");
        if (len == wl && strncmp(p, word, wl) == 0)
            return 1;
        p += len;
        if (*p)
            p++;
    }
    return 0;
}

int
cl__is_share(const char *key, json_t *v)
{
    const char *w = last_word(key);
    if (strcmp(w, "share") == 0 || strcmp(w, "rate") == 0 ||
        strcmp(w, "survival") == 0 || strncmp(key, "churn_12m", 9) == 0 ||
        strcmp(key, "ci_low") == 0 || strcmp(key, "ci_high") == 0)
        return 1;
    /* Thresholds, targets and check values are shares or counts; only a
       fraction reads as a percentage. */
    if ((strcmp(w, "threshold") == 0 || strcmp(w, "target") == 0 ||
         strcmp(key, "value") == 0 || strcmp(w, "baseline") == 0) &&
        json_is_real(v)) {
        double d = json_real_value(v);
        return d >= 0 && d <= 1;
    }
    return 0;
}

static int
is_money(const char *key)
{
    return has_word(key, "arr") || has_word(key, "amount") ||
           has_word(key, "revenue") || has_word(key, "mrr");
}

/* v with `decimals` decimals, thousands separated by commas. */
static void
fmt_thousands(double v, int decimals, char *buf, size_t n)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
    size_t intlen = strcspn(raw, ".");
    size_t o = 0;
    if (v < 0 && strspn(raw, "0.") != strlen(raw))
        buf[o++] = '-';
    for (size_t i = 0; raw[i] && o + 2 < n; i++) {
        if (i < intlen && i > 0 && (intlen - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = '\0';
}

/* Drops trailing zeros of a decimal fraction ("12.50" -> "12.5"). */
static void
trim_zeros(char *buf)
{
    char *dot = strchr(buf, '.');
    if (!dot)
        return;
    char *e = buf + strlen(buf) - 1;
    while (e > dot && *e == '0')
        *e-- = '\0';
    if (e == dot)
        *e = '\0';
}

static void
fmt_number(const char *key, json_t *v, char *buf, size_t n)
{
    double d = json_number_value(v);
    const char *w = last_word(key);
    if (cl__is_share(key, v))
        /* Half away from zero, as people round: 5/16 reads 31.3%. */
        snprintf(buf, n, "%.1f%%", round(d * 1000) / 10);
    else if (is_money(key))
        fmt_thousands(d, d == floor(d) ? 0 : 2, buf, n);
    else if (has_word(key, "ratio") || strcmp(w, "lift") == 0)
        snprintf(buf, n, "%.2fx", d);
    else if (strcmp(key, "p_value") == 0 || strcmp(key, "q_value") == 0) {
        if (d < 0.0001)
            snprintf(buf, n, "< 0.0001");
        else
            snprintf(buf, n, "%.4f", d);
    } else if (json_is_integer(v))
        fmt_thousands(d, 0, buf, n);
    else {
        fmt_thousands(d, fabs(d) < 1 ? 4 : 2, buf, n);
        trim_zeros(buf);
    }
}

const char *
cl__interval_key(json_t *obj)
{
    const char *key, *main = NULL;
    json_t *v;
    if (!json_is_object(obj) || !json_object_get(obj, "ci_low") ||
        !json_object_get(obj, "ci_high"))
        return NULL;
    json_object_foreach(obj, key, v)
    {
        if (strcmp(key, "ci_low") == 0)
            return main;
        if (json_is_number(v) || json_is_null(v))
            main = key;
    }
    return NULL;
}

/* The base of a "K_ci_low" / "K_ci_high" key present in obj, or 0. */
static size_t
suffix_base(const char *key, json_t *obj)
{
    static const char *const sfx[] = {"_ci_low", "_ci_high"};
    char base[128];
    size_t n = strlen(key);
    for (int i = 0; i < 2; i++) {
        size_t l = strlen(sfx[i]);
        if (n > l && n - l < sizeof base && strcmp(key + n - l, sfx[i]) == 0) {
            memcpy(base, key, n - l);
            base[n - l] = '\0';
            if (json_object_get(obj, base))
                return n - l;
        }
    }
    return 0;
}

int
cl__has_interval(const char *key, const char *main, json_t *obj)
{
    char k[140];
    if (main && strcmp(key, main) == 0)
        return 1;
    snprintf(k, sizeof k, "%s_ci_low", key);
    return obj && json_object_get(obj, k) != NULL;
}

int
cl__folded(const char *key, const char *main, json_t *obj)
{
    if (main && (strcmp(key, "ci_low") == 0 || strcmp(key, "ci_high") == 0))
        return 1;
    return obj && suffix_base(key, obj) > 0;
}

/* One element of an array shown in a cell: "field op value", "flag: why". */
static void
write_inline_object(FILE *f, json_t *o, cl__esc_fn esc)
{
    const char *key;
    json_t *v;
    size_t n = json_object_size(o), i = 0;
    json_object_foreach(o, key, v)
    {
        if (i > 0)
            fputs(n == 2 ? ": " : " ", f);
        cl__write_value(f, key, v, o, NULL, esc);
        i++;
    }
}

void
cl__write_value(FILE *f, const char *key, json_t *v, json_t *parent,
                const char *main, cl__esc_fn esc)
{
    char buf[96];
    switch (json_typeof(v)) {
    case JSON_NULL:
        fputs("\xe2\x80\x94", f); /* em dash */
        return;
    case JSON_TRUE:
        fputs("yes", f);
        return;
    case JSON_FALSE:
        fputs("no", f);
        return;
    case JSON_STRING:
        esc(f, json_string_value(v));
        return;
    case JSON_INTEGER:
    case JSON_REAL: {
        json_t *lo = parent ? json_object_get(parent, "ci_low") : NULL;
        json_t *hi = parent ? json_object_get(parent, "ci_high") : NULL;
        fmt_number(key, v, buf, sizeof buf);
        fputs(buf, f);
        if (parent && !(main && strcmp(key, main) == 0)) {
            char k[140];
            snprintf(k, sizeof k, "%s_ci_low", key);
            lo = json_object_get(parent, k);
            snprintf(k, sizeof k, "%s_ci_high", key);
            hi = json_object_get(parent, k);
            main = key;
        }
        if (main && strcmp(key, main) == 0 && json_is_number(lo) &&
            json_is_number(hi)) {
            /* The interval reads in the value's own unit. */
            char a[48], b[48];
            fmt_number(key, lo, a, sizeof a);
            fmt_number(key, hi, b, sizeof b);
            /* "42.7% (38.1-47.4%)", "2.10x (1.50-2.90x)": one unit. */
            size_t la = strlen(a);
            if (la > 0 && (a[la - 1] == '%' || a[la - 1] == 'x'))
                a[la - 1] = '\0';
            fprintf(f, " (%s\xe2\x80\x93%s)", a, b);
        }
        return;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *e;
        if (json_array_size(v) == 0) {
            fputs("\xe2\x80\x94", f);
            return;
        }
        json_array_foreach(v, i, e)
        {
            if (i > 0)
                fputs("; ", f);
            if (json_is_object(e))
                write_inline_object(f, e, esc);
            else
                cl__write_value(f, key, e, NULL, NULL, esc);
        }
        return;
    }
    case JSON_OBJECT: {
        const char *k;
        json_t *x;
        size_t i = 0;
        if (json_object_size(v) == 0)
            fputs("\xe2\x80\x94", f);
        json_object_foreach(v, k, x)
        {
            fputs(i++ ? "; " : "", f);
            esc(f, k);
            fputs(": ", f);
            cl__write_value(f, k, x, v, NULL, esc);
        }
        return;
    }
    }
}

static int
is_plain_scalar(json_t *v)
{
    return !json_is_object(v) && !json_is_array(v);
}

/* A value that reads in one table cell: a scalar, or an array of scalars
   or of small objects of scalars (flags, conditions), joined with "; ". */
static int
is_cell(json_t *v)
{
    size_t i;
    json_t *e;
    if (is_plain_scalar(v))
        return 1;
    if (json_is_object(v)) {
        /* A small dictionary (a cause distribution) reads "k: v; k: v". */
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            if (!is_plain_scalar(x))
                return 0;
        }
        return 1;
    }
    if (!json_is_array(v))
        return 0;
    json_array_foreach(v, i, e)
    {
        const char *k;
        json_t *x;
        if (is_plain_scalar(e))
            continue;
        /* Small objects (flag and reason; field, op and value) read as one
           phrase; larger ones (survival points) are a table of their own. */
        if (!json_is_object(e) || json_object_size(e) > 3)
            return 0;
        json_object_foreach(e, k, x)
        {
            if (!is_plain_scalar(x))
                return 0;
        }
    }
    return 1;
}

int
cl__is_scalar(json_t *v)
{
    size_t i;
    json_t *e;
    if (is_plain_scalar(v))
        return 1;
    if (!json_is_array(v) || json_array_size(v) == 0)
        return 0;
    json_array_foreach(v, i, e)
    {
        if (!is_plain_scalar(e))
            return 0;
    }
    return 1;
}

int
cl__is_string_list(json_t *v)
{
    size_t i;
    json_t *e;
    if (!json_is_array(v) || json_array_size(v) == 0)
        return 0;
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e))
            return 0;
    }
    return 1;
}

int
cl__is_table(json_t *a)
{
    size_t i;
    json_t *e;
    if (!json_is_array(a) || json_array_size(a) == 0)
        return 0;
    json_array_foreach(a, i, e)
    {
        const char *key;
        json_t *v;
        if (!json_is_object(e))
            return 0;
        json_object_foreach(e, key, v)
        {
            if (!is_cell(v))
                return 0;
        }
    }
    return 1;
}

int
cl__is_groups(json_t *a)
{
    size_t i;
    json_t *e;
    if (!json_is_array(a) || json_array_size(a) == 0 || cl__is_table(a))
        return 0;
    json_array_foreach(a, i, e)
    {
        if (!json_is_object(e))
            return 0;
    }
    return 1;
}

json_t *
cl__columns(json_t *rows)
{
    json_t *cols = json_array(), *seen = json_object(), *row;
    size_t i;
    json_array_foreach(rows, i, row)
    {
        const char *key;
        json_t *v;
        json_object_foreach(row, key, v)
        {
            if (!json_object_get(seen, key)) {
                json_object_set_new(seen, key, json_true());
                json_array_append_new(cols, json_string(key));
            }
        }
    }
    json_decref(seen);
    return cols;
}

const char *
cl__item_name(json_t *o)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        if (json_is_string(v))
            return json_string_value(v);
    }
    return NULL;
}
