/*
 * field.c - one cell's text checked against one canonical field.
 *
 * Every message quotes what the user wrote, so they can find it in their
 * file; quotes are cut to 40 characters and control characters or broken
 * UTF-8 are shown as '?' so the message stays one readable line.
 */
#include "field.h"

#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "../core/date.h"
#include "../core/icp_expr.h"
#include "../core/taxonomy.h"
#include "../store/store.h"
#include "csv.h"

#define ID_MAX 64
#define TEXT_MAX 65536
#define EMAIL_MAX 254
#define STAGE_MAX 40
#define QUOTE_MAX 40    /* characters of the input quoted in a message */
#define HOURS_MAX 744.0 /* 31 days of 24 hours */
/* 13 integer digits keep whole cents exact in a double. */
#define AMOUNT_INT_DIGITS 13

/*
 * Length of the UTF-8 sequence at s (at most n bytes), or 0 when it is not
 * valid: overlong forms, surrogates and code points past U+10FFFF are
 * refused, like every strict decoder.
 */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

/* 1 when s is valid UTF-8 with no NUL byte. */
static int
utf8_valid(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        if (s[i] >= 0x80) {
            size_t k = utf8_seq(s + i, len - i);
            if (!k)
                return 0;
            i += k;
        } else if (s[i] == 0) {
            return 0;
        } else {
            i++;
        }
    }
    return 1;
}

/* Writes text as a message may quote it into out (of size outsz). */
static void
quote(const char *text, size_t len, char *out, size_t outsz)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t o = 0, i = 0, chars = 0;
    while (i < len && chars < QUOTE_MAX && o + 5 < outsz) {
        size_t k = s[i] >= 0x80 ? utf8_seq(s + i, len - i) : 1;
        if (k == 0 || s[i] < 0x20 || s[i] == 0x7F) {
            out[o++] = '?';
            i += k ? k : 1;
        } else {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        }
        chars++;
    }
    if (i < len && o + 4 <= outsz) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

/* Sets err to "PREFIX'QUOTED'SUFFIX" and returns CL_EINVAL. */
static cl_err
bad(cl_error *err, const char *prefix, const char *text, size_t len,
    const char *suffix)
{
    char q[QUOTE_MAX * 4 + 8];
    quote(text, len, q, sizeof q);
    return cl_error_set(err, CL_EINVAL, "%s'%s'%s", prefix, q, suffix);
}

/* Writes "a, b, c" (the values of a NULL-terminated list) into out. */
static void
join_values(const char *const *values, char *out, size_t outsz)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; values && values[i] && o < outsz; i++) {
        int w = snprintf(out + o, outsz - o, "%s%s", i ? ", " : "", values[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static cl_err
parse_id(const char *text, size_t len, cl_value *out, cl_error *err)
{
    if (!utf8_valid(text, len))
        return cl_error_set(err, CL_EINVAL, "not valid UTF-8");
    int ok = len <= ID_MAX && text[0] != ' ' && text[len - 1] != ' ';
    for (size_t i = 0; ok && i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        /* C0 controls, DEL, and the C1 controls U+0080-U+009F. */
        if (c < 0x20 || c == 0x7F || c == ';' ||
            (c == 0xC2 && (unsigned char)text[i + 1] < 0xA0))
            ok = 0;
    }
    if (!ok)
        return bad(err,
                   "expected an id of 1-64 characters without ';' or "
                   "control characters, got ",
                   text, len, "");
    out->type = CL_V_TEXT;
    out->s = text;
    return CL_OK;
}

static cl_err
parse_text(const char *text, size_t len, cl_value *out, cl_error *err)
{
    if (len > TEXT_MAX)
        return cl_error_set(err, CL_EINVAL, "longer than 65536 bytes");
    if (!utf8_valid(text, len))
        return cl_error_set(err, CL_EINVAL, "not valid UTF-8");
    out->type = CL_V_TEXT;
    out->s = text;
    return CL_OK;
}

static cl_err
parse_int(const cl_field *f, const char *text, size_t len, cl_value *out,
          cl_error *err)
{
    size_t i = text[0] == '-';
    if (i == len)
        return bad(err, "expected a whole number, got ", text, len, "");
    int neg = (int)i;
    uint64_t mag = 0;
    int overflow = 0;
    for (; i < len; i++) {
        if (!is_digit(text[i]))
            return bad(err, "expected a whole number, got ", text, len, "");
        if (mag > (UINT64_MAX - 9) / 10)
            overflow = 1;
        else
            mag = mag * 10 + (uint64_t)(text[i] - '0');
    }
    /* Anything past int64 is surely outside [min, max]. */
    if (mag > (uint64_t)INT64_MAX)
        overflow = 1;
    int64_t v = overflow ? 0 : neg ? -(int64_t)mag : (int64_t)mag;
    if (overflow || v < f->min || v > f->max) {
        char q[QUOTE_MAX * 4 + 8];
        quote(text, len, q, sizeof q);
        return cl_error_set(err, CL_EINVAL,
                            "must be between %lld and %lld, got %s",
                            (long long)f->min, (long long)f->max, q);
    }
    out->type = CL_V_INT;
    out->i = v;
    return CL_OK;
}

/* MONEY and HOURS: digits, then optionally '.' and one or two digits. */
static cl_err
parse_amount(const cl_field *f, const char *text, size_t len, cl_value *out,
             cl_error *err)
{
    int hours = f->type == CL_F_HOURS;
    size_t i = 0;
    uint64_t whole = 0, cents = 0;
    size_t sig = 0; /* integer digits from the first non-zero one */
    while (i < len && is_digit(text[i])) {
        if (sig || text[i] != '0')
            sig++;
        if (sig <= AMOUNT_INT_DIGITS)
            whole = whole * 10 + (uint64_t)(text[i] - '0');
        i++;
    }
    size_t ndigits = i, ndec = 0;
    int ok = ndigits > 0;
    if (ok && i < len) {
        ok = text[i++] == '.';
        while (ok && i < len && is_digit(text[i]) && ndec < 2) {
            cents = cents * 10 + (uint64_t)(text[i++] - '0');
            ndec++;
        }
        ok = ok && ndec > 0 && i == len;
    }
    if (!ok)
        return bad(err,
                   hours ? "expected hours like 12 or 12.5, got "
                         : "expected an amount like 12000 or 12000.50, got ",
                   text, len, "");
    if (ndec == 1)
        cents *= 10;
    /* One division of an exact integer: the nearest double to the text. */
    double v =
        sig > AMOUNT_INT_DIGITS ? 1e300 : (double)(whole * 100 + cents) / 100.0;
    char q[QUOTE_MAX * 4 + 8];
    if (hours && v > HOURS_MAX) {
        quote(text, len, q, sizeof q);
        return cl_error_set(err, CL_EINVAL,
                            "must be at most 744 hours in a month, got %s", q);
    }
    if (sig > AMOUNT_INT_DIGITS) {
        quote(text, len, q, sizeof q);
        return cl_error_set(err, CL_EINVAL,
                            "must be at most 9999999999999.99, got %s", q);
    }
    out->type = CL_V_REAL;
    out->r = v;
    return CL_OK;
}

/* The index of the len bytes at s in values, or -1. */
static int
value_index(const char *const *values, const char *s, size_t len)
{
    for (int i = 0; values && values[i]; i++)
        if (strlen(values[i]) == len && memcmp(values[i], s, len) == 0)
            return i;
    return -1;
}

static cl_err
parse_enum(const cl_field *f, const char *text, size_t len, cl_value *out,
           cl_error *err)
{
    int k = value_index(f->values, text, len);
    if (k < 0) {
        char list[400];
        join_values(f->values, list, sizeof list);
        char prefix[440];
        snprintf(prefix, sizeof prefix, "expected one of %s, got ", list);
        return bad(err, prefix, text, len, "");
    }
    out->type = CL_V_TEXT;
    out->s = text;
    return CL_OK;
}

static int
is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* 1 when the len bytes at s are one of the ';'-separated items of list. */
static int
in_list(const char *list, size_t list_len, const char *s, size_t len)
{
    size_t i = 0;
    while (i < list_len) {
        const char *semi = memchr(list + i, ';', list_len - i);
        size_t n = semi ? (size_t)(semi - (list + i)) : list_len - i;
        if (n == len && memcmp(list + i, s, len) == 0)
            return 1;
        i += n + 1;
    }
    return 0;
}

static cl_err
parse_enum_list(const cl_field *f, const char *text, size_t len, cl_value *out,
                char *scratch, cl_error *err)
{
    size_t o = 0, i = 0;
    for (;;) {
        const char *semi = memchr(text + i, ';', len - i);
        size_t end = semi ? (size_t)(semi - text) : len;
        size_t a = i, b = end;
        while (a < b && is_blank(text[a]))
            a++;
        while (b > a && is_blank(text[b - 1]))
            b--;
        if (a == b)
            return cl_error_set(err, CL_EINVAL, "empty item in list");
        if (value_index(f->values, text + a, b - a) < 0) {
            char list[400];
            join_values(f->values, list, sizeof list);
            char suffix[440];
            snprintf(suffix, sizeof suffix, "; expected one of %s", list);
            return bad(err, "unknown value ", text + a, b - a, suffix);
        }
        if (in_list(scratch, o, text + a, b - a))
            return bad(err, "", text + a, b - a, " listed twice");
        if (o)
            scratch[o++] = ';';
        memcpy(scratch + o, text + a, b - a);
        o += b - a;
        if (!semi)
            break;
        i = end + 1;
    }
    scratch[o] = '\0';
    out->type = CL_V_TEXT;
    out->s = scratch;
    return CL_OK;
}

static cl_err
parse_email(const char *text, size_t len, cl_value *out, cl_error *err)
{
    if (!utf8_valid(text, len))
        return cl_error_set(err, CL_EINVAL, "not valid UTF-8");
    const char *at = memchr(text, '@', len);
    int ok = len <= EMAIL_MAX && at && at != text;
    if (ok) {
        const char *dom = at + 1;
        size_t dlen = len - (size_t)(dom - text);
        ok = dlen >= 3 && !memchr(dom, '@', dlen) && memchr(dom, '.', dlen) &&
             dom[0] != '.' && dom[dlen - 1] != '.';
    }
    for (size_t i = 0; ok && i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c <= ' ' || c == 0x7F)
            ok = 0;
    }
    if (!ok)
        return bad(err, "expected an e-mail address, got ", text, len, "");
    out->type = CL_V_TEXT;
    out->s = text;
    return CL_OK;
}

static cl_err
parse_stage(const char *text, size_t len, cl_value *out, cl_error *err)
{
    if (!utf8_valid(text, len))
        return cl_error_set(err, CL_EINVAL, "not valid UTF-8");
    int ok;
    if ((len == 10 && memcmp(text, "closed_won", 10) == 0) ||
        (len == 11 && memcmp(text, "closed_lost", 11) == 0)) {
        ok = 1;
    } else {
        /* Any other "closed..." would be a closed stage we cannot read. */
        ok = len <= STAGE_MAX && !(len >= 6 && memcmp(text, "closed", 6) == 0);
        for (size_t i = 0; ok && i < len; i++) {
            char c = text[i];
            ok = (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == ' ';
        }
    }
    if (!ok)
        return bad(err,
                   "expected an open stage name or closed_won or "
                   "closed_lost, got ",
                   text, len, "");
    out->type = CL_V_TEXT;
    out->s = text;
    return CL_OK;
}

static cl_err
parse_icp(const char *text, size_t len, cl_value *out, cl_error *err)
{
    if (!utf8_valid(text, len))
        return cl_error_set(err, CL_EINVAL, "not valid UTF-8");
    cl_icp_expr *e = NULL;
    cl_error perr;
    cl_error_clear(&perr);
    cl_err rc = cl_icp_expr_parse(text, &e, &perr);
    if (rc != CL_OK) {
        if (rc == CL_EINVAL)
            return cl_error_set(err, rc, "invalid criteria: %s", perr.msg);
        return cl_error_set(err, rc, "%s", perr.msg);
    }
    cl_icp_expr_free(e);
    out->type = CL_V_TEXT;
    out->s = text;
    return CL_OK;
}

int
cl_field_is_text(const cl_field *f)
{
    switch (f->type) {
    case CL_F_INT:
    case CL_F_MONEY:
    case CL_F_HOURS:
    case CL_F_DATE:
    case CL_F_MONTH:
    case CL_F_BOOL:
        return 0;
    default:
        return 1;
    }
}

cl_err
cl_field_parse(const cl_field *f, const char *text, size_t len, cl_value *out,
               char *scratch, cl_error *err)
{
    memset(out, 0, sizeof *out);
    out->type = CL_V_NULL;
    if (len == 0) {
        if (f->flags & CL_FF_REQUIRED)
            return cl_error_set(err, CL_EINVAL, "required");
        return CL_OK;
    }
    switch (f->type) {
    case CL_F_ID:
        return parse_id(text, len, out, err);
    case CL_F_TEXT:
        return parse_text(text, len, out, err);
    case CL_F_INT:
        return parse_int(f, text, len, out, err);
    case CL_F_MONEY:
    case CL_F_HOURS:
        return parse_amount(f, text, len, out, err);
    case CL_F_DATE: {
        cl_day d;
        if (cl_date_parse(text, len, &d) != 0)
            return bad(err, "expected a date YYYY-MM-DD, got ", text, len, "");
        out->type = CL_V_TEXT;
        out->s = text;
        return CL_OK;
    }
    case CL_F_MONTH: {
        int y, m;
        if (cl_month_parse(text, len, &y, &m) != 0)
            return bad(err, "expected a month YYYY-MM, got ", text, len, "");
        out->type = CL_V_TEXT;
        out->s = text;
        return CL_OK;
    }
    case CL_F_BOOL:
        if (len == 4 && memcmp(text, "true", 4) == 0)
            out->i = 1;
        else if (len == 5 && memcmp(text, "false", 5) == 0)
            out->i = 0;
        else
            return bad(err, "expected true or false, got ", text, len, "");
        out->type = CL_V_INT;
        return CL_OK;
    case CL_F_ENUM:
        return parse_enum(f, text, len, out, err);
    case CL_F_ENUM_LIST:
        return parse_enum_list(f, text, len, out, scratch, err);
    case CL_F_EMAIL:
        return parse_email(text, len, out, err);
    case CL_F_STAGE:
        return parse_stage(text, len, out, err);
    case CL_F_ICP_EXPR:
        return parse_icp(text, len, out, err);
    }
    return cl_error_set(err, CL_EINVAL, "unknown field type %d", (int)f->type);
}

/* One block: the list, then the codes it points at. */
typedef struct codes_block {
    const char *v[CL_TAXONOMY_MAX + 1];
    char s[CL_TAXONOMY_MAX][CL_CAUSE_CODE_MAX + 1];
    size_t n;
} codes_block;

static int
code_cb(void *ud, const cl_cause *c)
{
    codes_block *b = ud;
    if (b->n >= CL_TAXONOMY_MAX || strlen(c->code) > CL_CAUSE_CODE_MAX)
        return 0;
    snprintf(b->s[b->n], sizeof b->s[b->n], "%s", c->code);
    b->v[b->n] = b->s[b->n];
    b->n++;
    return 0;
}

cl_err
cl_field_cause_codes(struct cl_store *st, const char ***out, cl_error *err)
{
    codes_block *b = calloc(1, sizeof *b);
    *out = NULL;
    if (b == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    cl_err rc = cl_store_causes(st, code_cb, b, err);
    if (rc != CL_OK) {
        free(b);
        return rc;
    }
    *out = b->v; /* the block's first member: free(*out) frees it */
    return CL_OK;
}

const cl_field *
cl_field_with_causes(const cl_field *f, const char *const *causes,
                     cl_field *tmp)
{
    if (causes == NULL || f->values != cl_cause_codes)
        return f;
    *tmp = *f;
    tmp->values = causes;
    return tmp;
}
