/*
 * mapping.c - CRM exports onto canonical columns: rules, transforms, presets.
 *
 * A rule is one canonical column: its source header(s) and a chain of
 * transforms.  The transforms only rewrite text; whether the result is a
 * valid canonical value is field.c's to say, so a CRM export is held to
 * exactly the rules a canonical file is.  A transform reports only what it
 * alone can know (a date not in the export's format, an amount with
 * letters in the middle), quoting the source text.
 */
#include "mapping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"

#define MAX_RULES 32
#define MAX_STEPS 8
#define MAX_SRC 2
#define QUOTE_MAX 40

typedef enum op {
    OP_MAP,
    OP_DATE,
    OP_MONEY,
    OP_BOOL,
    OP_LOWER,
    OP_SLUG,
    OP_RANGE,
    OP_FIRST,
    OP_CONST,
    OP_IF_CLOSED
} op;

typedef struct pair {
    const char *from, *to;
} pair;

typedef struct step {
    op op;
    const char *arg; /* date format, const value, bool words */
    pair *pairs;     /* map */
    size_t npairs;
    const char *deflt; /* map: the value for anything unlisted, or NULL */
    const char *yes, *no;
} step;

/* A parsed chain; its strings point into spec, which it owns. */
typedef struct chain {
    char *spec;
    step steps[MAX_STEPS];
    size_t nsteps;
    int if_closed; /* empty unless the row's stage is closed */
    size_t grow;   /* the longest text a step may write, beyond the input */
} chain;

typedef struct rule {
    int field;
    char *src[MAX_SRC];
    size_t nsrc;
    chain ch;
    char *label; /* "Close Date (closed_on)" */
} rule;

struct cl_mapping {
    const cl_kind_def *def;
    char *source;
    rule rules[MAX_RULES];
    size_t nrules;
};

struct cl_mapping_run {
    const cl_mapping *m;
    size_t nsrc;                 /* cells of the source header */
    size_t nout;                 /* canonical columns given */
    size_t rule_of[MAX_RULES];   /* the rule of each canonical column */
    int col[MAX_RULES][MAX_SRC]; /* source column of each part */
    const char *hdr[MAX_RULES];
    const char *out[MAX_RULES];
    char *buf[MAX_RULES];
    size_t cap[MAX_RULES];
    char *a, *b; /* scratch for the chain */
    size_t acap, bcap;
    int stage; /* the canonical column of stage, or -1 */
};

/* ---------------------------------------------------------------- text */

static int
lower_c(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int
is_alnum(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* a equals b ignoring ASCII case and blanks around either. */
static int
same_text(const char *a, const char *b)
{
    while (is_blank((unsigned char)*a))
        a++;
    while (is_blank((unsigned char)*b))
        b++;
    size_t la = strlen(a), lb = strlen(b);
    while (la && is_blank((unsigned char)a[la - 1]))
        la--;
    while (lb && is_blank((unsigned char)b[lb - 1]))
        lb--;
    if (la != lb)
        return 0;
    for (size_t i = 0; i < la; i++)
        if (lower_c((unsigned char)a[i]) != lower_c((unsigned char)b[i]))
            return 0;
    return 1;
}

/* s in place without blanks around it. */
static char *
trim(char *s)
{
    while (is_blank((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && is_blank((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* s quoted for a message: cut to QUOTE_MAX bytes, control bytes as '?'. */
static const char *
quote(const char *s, char out[QUOTE_MAX + 4])
{
    size_t i = 0;
    for (; s[i] && i < QUOTE_MAX; i++)
        out[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
    if (s[i]) {
        memcpy(out + i, "...", 3);
        i += 3;
    }
    out[i] = '\0';
    return out;
}

static char *
dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* ------------------------------------------------------------- parsing */

static const char *const op_names[] = {"map",   "date",     "money", "bool",
                                       "lower", "slug",     "range", "first",
                                       "const", "if_closed"};

#define OPS_EXPECTED                                                           \
    "map, date, money, bool, lower, slug, range, first, const or "             \
    "if_closed"

static void
chain_free(chain *c)
{
    for (size_t i = 0; i < c->nsteps; i++)
        free(c->steps[i].pairs);
    free(c->spec);
    memset(c, 0, sizeof *c);
}

/* The next piece of *s up to sep (cut there), or NULL at the end. */
static char *
cut(char **s, char sep)
{
    char *p = *s;
    if (p == NULL)
        return NULL;
    char *e = strchr(p, sep);
    if (e) {
        *e = '\0';
        *s = e + 1;
    } else {
        *s = NULL;
    }
    return p;
}

/* A date format is YYYY, MM or M, DD or D and separators. */
static int
date_format_ok(const char *f)
{
    int y = 0, m = 0, d = 0;
    while (*f) {
        if (strncmp(f, "YYYY", 4) == 0) {
            y++;
            f += 4;
        } else if (*f == 'M') {
            m++;
            f += f[1] == 'M' ? 2 : 1;
        } else if (*f == 'D') {
            d++;
            f += f[1] == 'D' ? 2 : 1;
        } else if (is_alnum((unsigned char)*f)) {
            return 0;
        } else {
            f++;
        }
    }
    return y == 1 && m == 1 && d == 1;
}

/*
 * Parses spec (copied) into c.  Returns 0, or -1 with msg (len bytes) the
 * problem.
 */
static int
chain_parse(const char *spec, chain *c, char *msg, size_t len)
{
    memset(c, 0, sizeof *c);
    c->spec = dup_str(spec);
    if (c->spec == NULL) {
        snprintf(msg, len, "out of memory");
        return -1;
    }
    char *rest = trim(c->spec), *piece;
    if (*rest == '\0')
        return 0;
    while ((piece = cut(&rest, '|')) != NULL) {
        char *arg = strchr(piece, ':');
        if (arg)
            *arg++ = '\0';
        piece = trim(piece);
        size_t o = 0;
        while (o < sizeof op_names / sizeof op_names[0] &&
               strcmp(piece, op_names[o]) != 0)
            o++;
        if (o == sizeof op_names / sizeof op_names[0]) {
            char q[QUOTE_MAX + 4];
            snprintf(msg, len, "unknown transform '%s'; expected " OPS_EXPECTED,
                     quote(piece, q));
            return -1;
        }
        if (c->nsteps == MAX_STEPS) {
            snprintf(msg, len, "more than %d transforms", MAX_STEPS);
            return -1;
        }
        step *s = &c->steps[c->nsteps++];
        s->op = (op)o;
        s->arg = arg;
        switch (s->op) {
        case OP_MAP: {
            if (arg == NULL || *trim(arg) == '\0') {
                snprintf(msg, len,
                         "map needs FROM=TO pairs, e.g. "
                         "map:Closed Won=closed_won");
                return -1;
            }
            char *pairs = arg, *p;
            while ((p = cut(&pairs, ';')) != NULL) {
                char *eq = strchr(p, '=');
                if (eq == NULL) {
                    char q[QUOTE_MAX + 4];
                    snprintf(msg, len, "map pair '%s' has no '='",
                             quote(trim(p), q));
                    return -1;
                }
                *eq = '\0';
                const char *from = trim(p), *to = trim(eq + 1);
                size_t tl = strlen(to);
                if (tl > c->grow)
                    c->grow = tl;
                if (strcmp(from, "*") == 0) {
                    s->deflt = to;
                    continue;
                }
                pair *np = realloc(s->pairs, (s->npairs + 1) * sizeof *np);
                if (np == NULL) {
                    snprintf(msg, len, "out of memory");
                    return -1;
                }
                s->pairs = np;
                s->pairs[s->npairs].from = from;
                s->pairs[s->npairs].to = to;
                s->npairs++;
            }
            break;
        }
        case OP_DATE:
            s->arg = arg ? trim(arg) : "YYYY-MM-DD";
            if (!date_format_ok(s->arg)) {
                char q[QUOTE_MAX + 4];
                snprintf(msg, len,
                         "date format '%s' needs YYYY, MM and DD, e.g. "
                         "date:MM/DD/YYYY",
                         quote(s->arg, q));
                return -1;
            }
            if (c->grow < 10)
                c->grow = 10;
            break;
        case OP_BOOL:
            s->yes = s->no = NULL;
            if (arg) {
                char *slash = strchr(arg, '/');
                if (slash == NULL) {
                    snprintf(msg, len,
                             "bool takes TRUE/FALSE words, e.g. "
                             "bool:Yes/No");
                    return -1;
                }
                *slash = '\0';
                s->yes = trim(arg);
                s->no = trim(slash + 1);
            }
            if (c->grow < 5)
                c->grow = 5;
            break;
        case OP_CONST:
            s->arg = arg ? trim(arg) : "";
            if (strlen(s->arg) > c->grow)
                c->grow = strlen(s->arg);
            break;
        case OP_IF_CLOSED:
            c->if_closed = 1;
            c->nsteps--;
            break;
        default:
            if (arg) {
                snprintf(msg, len, "%s takes no argument", op_names[o]);
                return -1;
            }
            break;
        }
    }
    return 0;
}

/* --------------------------------------------------------- transforms */

static int
days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads 1 to max digits at *p into *v; returns the digits read. */
static int
digits(const char **p, int min, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && is_digit((unsigned char)**p)) {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n >= min ? n : 0;
}

/* The date in in as written by fmt (or ISO, which every export may use),
   a time after it ignored. */
static int
x_date(const char *fmt, const char *in, char *out, char *msg, size_t len)
{
    const char *p = in;
    int y = 0, m = 0, d = 0, ok = 1;
    if (*in == '\0') {
        out[0] = '\0';
        return 0;
    }
    if (is_digit((unsigned char)in[0]) && strlen(in) >= 10 && in[4] == '-' &&
        in[7] == '-') {
        /* ISO, as every CRM writes it through its API and HubSpot in its
           exports ("2026-03-07 14:30", "2026-03-07T14:30:00Z"). */
        ok = digits(&p, 4, 4, &y) && *p++ == '-' && digits(&p, 2, 2, &m) &&
             *p++ == '-' && digits(&p, 2, 2, &d);
    } else {
        const char *f = fmt;
        while (ok && *f) {
            if (strncmp(f, "YYYY", 4) == 0) {
                ok = digits(&p, 4, 4, &y);
                f += 4;
            } else if (*f == 'M') {
                ok = digits(&p, 1, 2, &m);
                f += f[1] == 'M' ? 2 : 1;
            } else if (*f == 'D') {
                ok = digits(&p, 1, 2, &d);
                f += f[1] == 'D' ? 2 : 1;
            } else {
                ok = *p == *f;
                p++;
                f++;
            }
        }
    }
    if (ok && *p != '\0' && *p != ' ' && *p != 'T')
        ok = 0;
    if (ok && (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)))
        ok = 0;
    if (!ok) {
        char q[QUOTE_MAX + 4];
        snprintf(msg, len, "not a date '%s' (expected %s)", quote(in, q), fmt);
        return -1;
    }
    char iso[32];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
    memcpy(out, iso, 11);
    return 0;
}

/*
 * An amount as exports write it, "USD 12,000.00", "$1,200", "12000 EUR":
 * a currency code or sign before or after, ',' (or ' ' or '\'') between
 * thousands, '.' before the cents.
 */
static int
x_money(const char *in, char *out, char *msg, size_t len)
{
    size_t n = strlen(in), s = 0, e = n, o = 0;
    while (s < n && !is_digit((unsigned char)in[s]) && in[s] != '-' &&
           in[s] != '.')
        s++;
    while (e > s && !is_digit((unsigned char)in[e - 1]))
        e--;
    int ok = s < e, dots = 0, letters = 0;
    /* What is around the number may only be a currency: one ISO code
       (three capitals), a sign ($, or the bytes of one like the euro) and
       blanks; "about 5k" is not an amount. */
    for (size_t i = 0; ok && i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (i >= s && i < e)
            continue;
        if (c >= 'A' && c <= 'Z')
            letters++;
        else
            ok = c == '$' || c == ' ' || c >= 0x80;
    }
    if (letters != 0 && letters != 3)
        ok = 0;
    for (size_t i = s; ok && i < e; i++) {
        char c = in[i];
        if (is_digit((unsigned char)c))
            out[o++] = c;
        else if (c == '-' && o == 0)
            out[o++] = c;
        else if (c == '.' && dots++ == 0)
            out[o++] = c;
        else if (!((c == ',' || c == ' ' || c == '\'') && dots == 0 && o > 0))
            ok = 0;
    }
    if (n == 0) {
        out[0] = '\0';
        return 0;
    }
    if (!ok) {
        char q[QUOTE_MAX + 4];
        snprintf(msg, len, "not an amount '%s'", quote(in, q));
        return -1;
    }
    out[o] = '\0';
    return 0;
}

static int
x_bool(const step *s, const char *in, char *out, char *msg, size_t len)
{
    static const char *const yes[] = {"yes", "true", "1", "y", "checked", NULL};
    static const char *const no[] = {"no", "false",     "0",
                                     "n",  "unchecked", NULL};
    if (*in == '\0') {
        out[0] = '\0';
        return 0;
    }
    if (s->yes) {
        if (same_text(in, s->yes)) {
            strcpy(out, "true");
            return 0;
        }
        if (same_text(in, s->no)) {
            strcpy(out, "false");
            return 0;
        }
    } else {
        for (int i = 0; yes[i]; i++)
            if (same_text(in, yes[i])) {
                strcpy(out, "true");
                return 0;
            }
        for (int i = 0; no[i]; i++)
            if (same_text(in, no[i])) {
                strcpy(out, "false");
                return 0;
            }
    }
    char q[QUOTE_MAX + 4];
    snprintf(msg, len, "not a yes or no '%s' (expected %s/%s)", quote(in, q),
             s->yes ? s->yes : "Yes", s->no ? s->no : "No");
    return -1;
}

/* A count or a range of counts, "51-200", "10,001+", "1,200": the lower
   bound, the number a range is sure of. */
static int
x_range(const char *in, char *out, char *msg, size_t len)
{
    size_t o = 0;
    const char *p = in;
    if (*in == '\0') {
        out[0] = '\0';
        return 0;
    }
    while (is_digit((unsigned char)*p) ||
           (*p == ',' && o > 0 && is_digit((unsigned char)p[1]))) {
        if (*p != ',')
            out[o++] = *p;
        p++;
    }
    if (*p == '.' && o > 0) /* "1200.0" from a spreadsheet */
        while (*++p == '0')
            ;
    if (o == 0 || !(*p == '\0' || *p == '-' || *p == '+' || *p == ' ' ||
                    (unsigned char)*p >= 0x80)) {
        char q[QUOTE_MAX + 4];
        snprintf(msg, len, "not a number or range '%s'", quote(in, q));
        return -1;
    }
    out[o] = '\0';
    return 0;
}

/* One step from in into out (which holds strlen(in) + grow + 1). */
static int
apply_step(const step *s, const char *in, char *out, char *msg, size_t len)
{
    size_t n = strlen(in), o = 0;
    switch (s->op) {
    case OP_MAP:
        for (size_t i = 0; i < s->npairs; i++)
            if (same_text(in, s->pairs[i].from)) {
                strcpy(out, s->pairs[i].to);
                return 0;
            }
        strcpy(out, s->deflt ? s->deflt : in);
        return 0;
    case OP_DATE:
        return x_date(s->arg, in, out, msg, len);
    case OP_MONEY:
        return x_money(in, out, msg, len);
    case OP_BOOL:
        return x_bool(s, in, out, msg, len);
    case OP_RANGE:
        return x_range(in, out, msg, len);
    case OP_LOWER:
        for (size_t i = 0; i <= n; i++)
            out[i] = (char)lower_c((unsigned char)in[i]);
        return 0;
    case OP_SLUG:
        /* "Closed Won" -> closed_won, "Proposal/Price Quote" ->
           proposal_price_quote: the canonical spelling of a name. */
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)in[i];
            if (is_alnum(c) || c >= 0x80)
                out[o++] = (char)lower_c(c);
            else if (o > 0 && out[o - 1] != '_')
                out[o++] = '_';
        }
        while (o > 0 && out[o - 1] == '_')
            o--;
        out[o] = '\0';
        return 0;
    case OP_FIRST: {
        /* "123;456" (a record with several associations): the first. */
        const char *semi = strchr(in, ';');
        size_t k = semi ? (size_t)(semi - in) : n;
        memcpy(out, in, k);
        out[k] = '\0';
        char *t = trim(out);
        memmove(out, t, strlen(t) + 1);
        return 0;
    }
    case OP_CONST:
        strcpy(out, s->arg);
        return 0;
    case OP_IF_CLOSED:
        break;
    }
    strcpy(out, in);
    return 0;
}

/* Runs c over in, ping-ponging between a and b (cap bytes each, enough for
   in plus c->grow); returns the result (a or b) or NULL with msg. */
static char *
apply_chain(const chain *c, const char *in, char *a, char *b, char *msg,
            size_t len)
{
    char *cur = a, *next = b;
    size_t n = strlen(in);
    memmove(a, in, n + 1);
    char *start = trim(a);
    memmove(a, start, strlen(start) + 1);
    for (size_t i = 0; i < c->nsteps; i++) {
        if (apply_step(&c->steps[i], cur, next, msg, len) != 0)
            return NULL;
        char *t = cur;
        cur = next;
        next = t;
    }
    return cur;
}

cl_err
cl_mapping_transform(const char *transform, const char *in, char *out,
                     size_t cap, cl_error *err)
{
    chain c;
    char msg[256];
    if (chain_parse(transform, &c, msg, sizeof msg) != 0) {
        chain_free(&c);
        return cl_error_set(err, CL_EINVAL, "%s", msg);
    }
    size_t need = strlen(in) + c.grow + 1;
    char *a = malloc(need), *b = malloc(need);
    cl_err rc = CL_OK;
    if (a == NULL || b == NULL) {
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    } else {
        char *r = apply_chain(&c, in, a, b, msg, sizeof msg);
        if (r == NULL)
            rc = cl_error_set(err, CL_EINVAL, "%s", msg);
        else if (strlen(r) >= cap)
            rc = cl_error_set(err, CL_EINVAL, "result too long");
        else
            strcpy(out, r);
    }
    free(a);
    free(b);
    chain_free(&c);
    return rc;
}

/* -------------------------------------------------------------- rules */

cl_err
cl_mapping_new(cl_kind kind, const char *source, cl_mapping **out,
               cl_error *err)
{
    cl_mapping *m = calloc(1, sizeof *m);
    *out = NULL;
    if (m == NULL ||
        (m->source = dup_str(source ? source : "mapping")) == NULL) {
        free(m);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    m->def = cl_kind_get(kind);
    *out = m;
    return CL_OK;
}

void
cl_mapping_free(cl_mapping *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->nrules; i++) {
        rule *r = &m->rules[i];
        for (size_t s = 0; s < r->nsrc; s++)
            free(r->src[s]);
        chain_free(&r->ch);
        free(r->label);
    }
    free(m->source);
    free(m);
}

cl_err
cl_mapping_add(cl_mapping *m, const char *column, const char *source,
               const char *transform, long line, cl_error *err)
{
    const cl_kind_def *def = m->def;
    char msg[256], q[QUOTE_MAX + 4];
    int f = cl_kind_field_index(def, column);
    if (f < 0)
        return cl_error_set(err, CL_EINVAL,
                            "%s:%ld: column: '%s' is not a %s column",
                            m->source, line, quote(column, q), def->name);
    for (size_t i = 0; i < m->nrules; i++)
        if (m->rules[i].field == f)
            return cl_error_set(err, CL_EINVAL,
                                "%s:%ld: column: %s is mapped twice", m->source,
                                line, column);
    if (m->nrules == MAX_RULES)
        return cl_error_set(err, CL_EINVAL, "%s:%ld: column: too many rules",
                            m->source, line);
    rule *r = &m->rules[m->nrules];
    memset(r, 0, sizeof *r);
    r->field = f;
    if (chain_parse(transform ? transform : "", &r->ch, msg, sizeof msg) != 0) {
        chain_free(&r->ch);
        return cl_error_set(err, CL_EINVAL, "%s:%ld: transform: %s", m->source,
                            line, msg);
    }
    if (r->ch.if_closed && def->kind != CL_KIND_DEALS) {
        chain_free(&r->ch);
        return cl_error_set(err, CL_EINVAL,
                            "%s:%ld: transform: if_closed is for deals "
                            "(it reads the stage)",
                            m->source, line);
    }
    int is_const = r->ch.nsteps > 0 && r->ch.steps[0].op == OP_CONST;
    /* The source: one header, or two joined by " + ". */
    char *copy = dup_str(source ? source : "");
    if (copy == NULL) {
        chain_free(&r->ch);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    char *rest = copy, *part;
    cl_err rc = CL_OK;
    while (rc == CL_OK && (part = rest) != NULL) {
        char *plus = strstr(rest, " + ");
        if (plus) {
            *plus = '\0';
            rest = plus + 3;
        } else {
            rest = NULL;
        }
        part = trim(part);
        if (*part == '\0' && (r->nsrc > 0 || rest != NULL || !is_const))
            rc = cl_error_set(err, CL_EINVAL,
                              "%s:%ld: source: empty; name the source "
                              "column (or use const:VALUE)",
                              m->source, line);
        else if (*part == '\0')
            break;
        else if (r->nsrc == MAX_SRC)
            rc = cl_error_set(err, CL_EINVAL,
                              "%s:%ld: source: at most %d columns joined "
                              "with ' + '",
                              m->source, line, MAX_SRC);
        else if ((r->src[r->nsrc] = dup_str(part)) == NULL)
            rc = cl_error_set(err, CL_ENOMEM, "out of memory");
        else
            r->nsrc++;
    }
    free(copy);
    if (rc == CL_OK) {
        size_t need = strlen(def->fields[f].name) + 4;
        for (size_t s = 0; s < r->nsrc; s++)
            need += strlen(r->src[s]) + 3;
        r->label = malloc(need);
        if (r->label == NULL) {
            rc = cl_error_set(err, CL_ENOMEM, "out of memory");
        } else if (r->nsrc == 0) {
            snprintf(r->label, need, "%s", def->fields[f].name);
        } else {
            size_t o = 0;
            for (size_t s = 0; s < r->nsrc; s++)
                o += (size_t)snprintf(r->label + o, need - o, "%s%s",
                                      s ? " + " : "", r->src[s]);
            snprintf(r->label + o, need - o, " (%s)", def->fields[f].name);
        }
    }
    if (rc != CL_OK) {
        for (size_t s = 0; s < r->nsrc; s++)
            free(r->src[s]);
        chain_free(&r->ch);
        free(r->label);
        memset(r, 0, sizeof *r);
        return rc;
    }
    m->nrules++;
    return CL_OK;
}

const char *
cl_mapping_label(const cl_mapping *m, const char *column)
{
    int f = cl_kind_field_index(m->def, column);
    for (size_t i = 0; f >= 0 && i < m->nrules; i++)
        if (m->rules[i].field == f)
            return m->rules[i].label;
    return NULL;
}

cl_err
cl_mapping_value(const cl_mapping *m, const char *column, const char *in,
                 char *out, size_t cap, cl_error *err)
{
    int f = cl_kind_field_index(m->def, column);
    const rule *r = NULL;
    char msg[256];
    for (size_t i = 0; f >= 0 && i < m->nrules && !r; i++)
        if (m->rules[i].field == f)
            r = &m->rules[i];
    if (r == NULL)
        return cl_error_set(err, CL_ENOTFOUND, "%s: not mapped", column);
    size_t need = strlen(in) + r->ch.grow + 1;
    char *a = malloc(need), *b = malloc(need);
    cl_err rc = CL_OK;
    if (a == NULL || b == NULL) {
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    } else {
        char *res = apply_chain(&r->ch, in, a, b, msg, sizeof msg);
        if (res == NULL)
            rc = cl_error_set(err, CL_EINVAL, "%s", msg);
        else if (strlen(res) >= cap)
            rc = cl_error_set(err, CL_EINVAL, "longer than %zu bytes", cap - 1);
        else
            strcpy(out, res);
    }
    free(a);
    free(b);
    return rc;
}

/* --------------------------------------------------------------- runs */

void
cl_mapping_run_free(cl_mapping_run *run)
{
    if (run == NULL)
        return;
    for (size_t i = 0; i < MAX_RULES; i++)
        free(run->buf[i]);
    free(run->a);
    free(run->b);
    free(run);
}

cl_err
cl_mapping_start(const cl_mapping *m, const char *const *cells, size_t n,
                 cl_mapping_run **out, const char *const **hdr, size_t *nhdr,
                 cl_error *err)
{
    const cl_kind_def *def = m->def;
    cl_mapping_run *run = calloc(1, sizeof *run);
    *out = NULL;
    if (run == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    run->m = m;
    run->nsrc = n;
    run->stage = -1;
    for (size_t f = 0; f < def->nfields; f++) {
        const rule *r = NULL;
        size_t ri = 0;
        for (; ri < m->nrules; ri++)
            if (m->rules[ri].field == (int)f) {
                r = &m->rules[ri];
                break;
            }
        int required = (def->fields[f].flags & CL_FF_REQUIRED) || f < def->nkey;
        if (r == NULL) {
            if (required) {
                cl_mapping_run_free(run);
                return cl_error_set(err, CL_EINVAL,
                                    "%s: required column; the mapping gives "
                                    "it no source",
                                    def->fields[f].name);
            }
            continue;
        }
        int present = 1;
        for (size_t s = 0; s < r->nsrc; s++) {
            int col = -1;
            for (size_t c = 0; c < n && col < 0; c++)
                if (same_text(cells[c], r->src[s]))
                    col = (int)c;
            if (col < 0 && required) {
                cl_mapping_run_free(run);
                return cl_error_set(err, CL_EINVAL,
                                    "%s (%s): required column missing",
                                    r->src[s], def->fields[f].name);
            }
            if (col < 0)
                present = 0;
            run->col[run->nout][s] = col;
        }
        if (!present)
            continue; /* left out: the import keeps what is stored */
        if (strcmp(def->fields[f].name, "stage") == 0)
            run->stage = (int)run->nout;
        run->rule_of[run->nout] = ri;
        run->hdr[run->nout] = def->fields[f].name;
        run->nout++;
    }
    *out = run;
    *hdr = run->hdr;
    *nhdr = run->nout;
    return CL_OK;
}

cl_err
cl_mapping_row(cl_mapping_run *run, const char *const *cells, size_t n,
               const char *const **out, size_t *nout, const char **column,
               cl_error *err)
{
    const cl_mapping *m = run->m;
    char msg[256];
    *column = "row";
    if (n != run->nsrc)
        return cl_error_set(err, CL_EINVAL, "has %zu cells, the header has %zu",
                            n, run->nsrc);
    for (size_t i = 0; i < run->nout; i++) {
        const rule *r = &m->rules[run->rule_of[i]];
        size_t len = 0;
        for (size_t s = 0; s < r->nsrc; s++)
            len += strlen(cells[run->col[i][s]]) + 1;
        size_t need = len + r->ch.grow + 1;
        if (cl_grow(&run->a, &run->acap, need, 1) != CL_OK ||
            cl_grow(&run->b, &run->bcap, need, 1) != CL_OK ||
            cl_grow(&run->buf[i], &run->cap[i], need, 1) != CL_OK)
            return cl_error_set(err, CL_ENOMEM, "out of memory");
        /* The parts joined with a space; an empty part adds nothing. */
        char *j = run->buf[i];
        size_t o = 0;
        j[0] = '\0';
        for (size_t s = 0; s < r->nsrc; s++) {
            char *part = (char *)cells[run->col[i][s]];
            size_t pl = strlen(part);
            while (pl && is_blank((unsigned char)part[pl - 1]))
                pl--;
            while (pl && is_blank((unsigned char)*part)) {
                part++;
                pl--;
            }
            if (pl == 0)
                continue;
            if (o)
                j[o++] = ' ';
            memcpy(j + o, part, pl);
            o += pl;
            j[o] = '\0';
        }
        char *res = apply_chain(&r->ch, j, run->a, run->b, msg, sizeof msg);
        if (res == NULL) {
            *column = r->label;
            return cl_error_set(err, CL_EINVAL, "%s", msg);
        }
        memcpy(run->buf[i], res, strlen(res) + 1);
        run->out[i] = run->buf[i];
    }
    /* A CRM keeps an expected close date on open deals; canonically an
       open deal has none. */
    if (run->stage >= 0) {
        const char *st = run->out[run->stage];
        int closed = !strcmp(st, "closed_won") || !strcmp(st, "closed_lost");
        for (size_t i = 0; i < run->nout && !closed; i++)
            if (m->rules[run->rule_of[i]].ch.if_closed)
                run->buf[i][0] = '\0';
    }
    *out = run->out;
    *nout = run->nout;
    return CL_OK;
}

/* ------------------------------------------------------------ presets */

typedef struct preset_rule {
    const char *column, *source, *transform;
} preset_rule;

/* Salesforce's default role names are the org's own; these are the usual
   ones, and anything else is tried as a canonical role name. */
#define SF_ROLES                                                               \
    "map:Account Executive=ae;AE=ae;Sales Rep=ae;"                             \
    "Customer Success Manager=csm;CSM=csm;"                                    \
    "Customer Success Team Lead=cs_manager;CS Manager=cs_manager;"             \
    "Sales Manager=sales_manager;VP Sales=vp_sales;"                           \
    "VP of Sales=vp_sales;VP Customer Success=vp_cs;"                          \
    "VP of Customer Success=vp_cs;Marketing Manager=marketing;"                \
    "Revenue Operations=revops;RevOps=revops;"                                 \
    "System Administrator=admin;Super Admin=admin|slug"

#define DEAL_TYPES                                                             \
    "map:New Business=new;New Customer=new;Existing Business=expansion;"       \
    "Existing Customer - Upgrade=expansion;Upsell=expansion;"                  \
    "Expansion=expansion;Renewal=renewal;"                                     \
    "Existing Customer - Replacement=renewal|slug"

static const preset_rule sf_users[] = {{"id", "User ID", ""},
                                       {"name", "Full Name", ""},
                                       {"email", "Email", ""},
                                       {"role", "Role", SF_ROLES},
                                       {"manager_id", "Manager ID", ""},
                                       {"team", "Department", ""},
                                       {NULL, NULL, NULL}};

static const preset_rule sf_accounts[] = {
    {"id", "Account ID", ""},
    {"name", "Account Name", ""},
    {"industry", "Industry", ""},
    {"employees", "Employees", "range"},
    {"region", "Billing Country", ""},
    {"status", "Type",
     "map:Prospect=prospect;Customer - Direct=customer;"
     "Customer - Channel=customer;Customer=customer;"
     "Former Customer=churned;*=prospect"},
    {NULL, NULL, NULL}};

static const preset_rule sf_deals[] = {
    {"id", "Opportunity ID", ""},
    {"account_id", "Account ID", ""},
    {"ae_id", "Owner ID", ""},
    {"type", "Type", DEAL_TYPES},
    {"source", "Lead Source", "slug"},
    {"stage", "Stage", "slug"},
    {"created_on", "Created Date", "date:MM/DD/YYYY"},
    {"closed_on", "Close Date", "date:MM/DD/YYYY|if_closed"},
    {"arr", "Amount", "money"},
    {NULL, NULL, NULL}};

static const preset_rule hs_users[] = {
    {"id", "User ID", ""},  {"name", "First Name + Last Name", ""},
    {"email", "Email", ""}, {"role", "Role", SF_ROLES},
    {"team", "Team", ""},   {NULL, NULL, NULL}};

static const preset_rule hs_accounts[] = {
    {"id", "Record ID", ""},
    {"name", "Company name", ""},
    {"industry", "Industry", ""},
    {"employees", "Number of Employees", "range"},
    {"region", "Country/Region", ""},
    {"customer_since", "Became a Customer Date", "date"},
    {"status", "Lifecycle Stage",
     "map:Customer=customer;Evangelist=customer;*=prospect"},
    {NULL, NULL, NULL}};

static const preset_rule hs_deals[] = {
    {"id", "Record ID", ""},
    {"account_id", "Associated Company IDs", "first"},
    {"type", "Deal Type", DEAL_TYPES},
    {"source", "Original Source Type", "slug"},
    {"stage", "Deal Stage", "slug"},
    {"created_on", "Create Date", "date"},
    {"closed_on", "Close Date", "date|if_closed"},
    {"arr", "Amount", "money"},
    {NULL, NULL, NULL}};

int
cl_mapping_is_preset(const char *name)
{
    return name && (!strcmp(name, "salesforce") || !strcmp(name, "hubspot"));
}

cl_err
cl_mapping_preset(const char *name, cl_kind kind, cl_mapping **out,
                  cl_error *err)
{
    const preset_rule *rules = NULL;
    int sf = name && !strcmp(name, "salesforce");
    *out = NULL;
    if (!cl_mapping_is_preset(name))
        return cl_error_set(err, CL_EINVAL,
                            "no mapping preset '%s'; expected salesforce or "
                            "hubspot (or a mapping file)",
                            name ? name : "");
    if (kind == CL_KIND_USERS)
        rules = sf ? sf_users : hs_users;
    else if (kind == CL_KIND_ACCOUNTS)
        rules = sf ? sf_accounts : hs_accounts;
    else if (kind == CL_KIND_DEALS)
        rules = sf ? sf_deals : hs_deals;
    if (rules == NULL)
        return cl_error_set(err, CL_EINVAL,
                            "the %s preset maps users, accounts and deals, "
                            "not %s; import %s as canonical CSV or with a "
                            "mapping file",
                            name, cl_kind_get(kind)->name,
                            cl_kind_get(kind)->name);
    char source[32];
    snprintf(source, sizeof source, "%s preset", name);
    cl_err rc = cl_mapping_new(kind, source, out, err);
    for (size_t i = 0; rc == CL_OK && rules[i].column; i++)
        rc = cl_mapping_add(*out, rules[i].column, rules[i].source,
                            rules[i].transform, (long)i + 1, err);
    if (rc != CL_OK) {
        cl_mapping_free(*out);
        *out = NULL;
    }
    return rc;
}
