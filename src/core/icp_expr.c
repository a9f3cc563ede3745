/*
 * icp_expr.c - tokenizer, recursive-descent parser, evaluator and formatter
 * of the ICP criteria language (docs/design.md section 7).
 *
 *   expr    := or
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | primary
 *   primary := '(' expr ')' | FIELD op VALUE
 *            | FIELD ['not'] 'in' '(' VALUE (',' VALUE)* ')'
 *   op      := = != < <= > >=
 *
 * The tokenizer runs one token ahead of the parser, so the first token that
 * cannot be handled (a bad character included) is the one reported.  `and`
 * and `or` chains are n-ary nodes, so the tree is only as deep as the text's
 * parentheses and `not`s, which MAX_DEPTH bounds: evaluation, formatting and
 * freeing recurse safely.
 */
#include "icp_expr.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

/* Deeper nesting than this is surely not a profile anyone wrote by hand. */
#define MAX_DEPTH 100

/* Longest piece of user text quoted back in an error message, in bytes. */
#define MAX_QUOTE 60

enum ftype { FT_TEXT, FT_NUMBER, FT_BOOL, FT_LEVEL };

/* The fields criteria may use and their types, in one list. */
#define ICP_FIELDS(X)                                                          \
    X(industry, FT_TEXT)                                                       \
    X(employees, FT_NUMBER)                                                    \
    X(region, FT_TEXT)                                                         \
    X(has_ops_function, FT_BOOL)                                               \
    X(type, FT_TEXT)                                                           \
    X(source, FT_TEXT)                                                         \
    X(arr, FT_NUMBER)                                                          \
    X(icp_fit_score, FT_NUMBER)                                                \
    X(champion_level, FT_LEVEL)                                                \
    X(champion_tenure_months, FT_NUMBER)                                       \
    X(exec_sponsor, FT_BOOL)                                                   \
    X(use_case, FT_TEXT)

#define FIELD_NAME(name, type) #name,
#define FIELD_TYPE(name, type) type,

const char *const cl_icp_fields[] = {ICP_FIELDS(FIELD_NAME) NULL};

/* The type of each cl_icp_fields entry, by index. */
static const enum ftype field_types[] = {ICP_FIELDS(FIELD_TYPE)};

/* champion_level values, lowest first: the order `<` and `>=` use. */
static const char *const levels[] = {"ic", "manager", "director", "vp",
                                     "c_level"};
#define NLEVELS (sizeof levels / sizeof levels[0])

enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
static const char *const op_text[] = {"=", "!=", "<", "<=", ">", ">="};

enum kind { N_OR, N_AND, N_NOT, N_CMP, N_IN };

struct value {
    char *text; /* the value as written, unquoted */
    double num; /* FT_NUMBER: the number */
    int rank;   /* FT_LEVEL: index in levels[] */
};

struct cl_icp_expr {
    enum kind kind;
    cl_icp_expr **kids; /* N_OR, N_AND: nkids >= 2; N_NOT: one */
    size_t nkids;
    int field;          /* N_CMP, N_IN: index in cl_icp_fields */
    enum op op;         /* N_CMP */
    int negated;        /* N_IN: `not in` */
    struct value *vals; /* N_CMP: one; N_IN: nvals >= 1 */
    size_t nvals;
};

/* ---- tokenizer ---------------------------------------------------------- */

enum tok { T_END, T_LPAREN, T_RPAREN, T_COMMA, T_OP, T_WORD, T_STRING };

struct token {
    enum tok kind;
    size_t off; /* byte offset in the text */
    size_t len; /* bytes, quotes included for T_STRING */
    enum op op; /* T_OP */
};

struct parser {
    const char *src;
    size_t pos; /* byte offset where the next token starts looking */
    struct token cur;
    int depth;
    cl_error *err;
};

static int
is_word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* The 1-based character position of byte offset off (UTF-8 aware). */
static size_t
char_pos(const char *src, size_t off)
{
    size_t n = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)src[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* Records "position N: ..." for byte offset off and returns CL_EINVAL. */
#define fail_at(p, off, fmt, ...)                                              \
    cl_error_set((p)->err, CL_EINVAL, "position %zu: " fmt,                    \
                 char_pos((p)->src, (off)), __VA_ARGS__)

/* How many bytes of s (n long) to quote: at most MAX_QUOTE, whole chars. */
static int
quote_len(const char *s, size_t n)
{
    if (n > MAX_QUOTE) {
        n = MAX_QUOTE;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    return (int)n;
}

/* Reads the token at p->pos into p->cur. */
static cl_err
next_token(struct parser *p)
{
    const char *s = p->src;
    size_t i = p->pos;
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
        i++;
    struct token t = {T_END, i, 0, OP_EQ};
    unsigned char c = (unsigned char)s[i];
    if (c == '\0') {
        t.kind = T_END;
    } else if (c == '(' || c == ')' || c == ',') {
        t.kind = c == '(' ? T_LPAREN : c == ')' ? T_RPAREN : T_COMMA;
        t.len = 1;
    } else if (c == '=') {
        t.kind = T_OP, t.op = OP_EQ, t.len = 1;
    } else if (c == '!' && s[i + 1] == '=') {
        t.kind = T_OP, t.op = OP_NE, t.len = 2;
    } else if (c == '<' || c == '>') {
        int eq = s[i + 1] == '=';
        t.kind = T_OP, t.len = eq ? 2 : 1;
        t.op = c == '<' ? (eq ? OP_LE : OP_LT) : (eq ? OP_GE : OP_GT);
    } else if (c == '\'') {
        size_t j = i + 1;
        for (;;) {
            if (s[j] == '\0')
                return fail_at(p, i, "%s", "unterminated quoted value");
            if (s[j] == '\'' && s[j + 1] == '\'')
                j += 2;
            else if (s[j] == '\'')
                break;
            else
                j++;
        }
        t.kind = T_STRING, t.len = j + 1 - i;
    } else if (is_word_char(c)) {
        size_t j = i;
        while (is_word_char((unsigned char)s[j]))
            j++;
        t.kind = T_WORD, t.len = j - i;
    } else {
        /* Quote the whole UTF-8 character, not its first byte. */
        size_t n = 1;
        while (c >= 0x80 && ((unsigned char)s[i + n] & 0xC0) == 0x80)
            n++;
        return fail_at(p, i, "unexpected character '%.*s'", (int)n, s + i);
    }
    p->cur = t;
    p->pos = i + t.len;
    return CL_OK;
}

static int
word_is(const struct parser *p, const struct token *t, const char *kw)
{
    return t->kind == T_WORD && t->len == strlen(kw) &&
           strncasecmp(p->src + t->off, kw, t->len) == 0;
}

static int
is_keyword_text(const char *s, size_t n)
{
    static const char *const kws[] = {"and", "or", "not", "in"};
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
        if (n == strlen(kws[i]) && strncasecmp(s, kws[i], n) == 0)
            return 1;
    return 0;
}

/* ---- values ------------------------------------------------------------- */

/*
 * Parses -?digits[.digits] (all of s) into *out; returns 0 when s is not
 * such a number.  Hand-rolled rather than strtod so that neither the locale
 * nor exponents or hex can change what a criteria means.
 */
static int
parse_number(const char *s, double *out)
{
    int neg = 0;
    double v = 0, scale = 1;
    if (*s == '-')
        neg = 1, s++;
    if (!(*s >= '0' && *s <= '9'))
        return 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            v = v * 10 + (*s++ - '0'), scale *= 10;
    }
    if (*s != '\0')
        return 0;
    *out = (neg ? -v : v) / scale;
    return 1;
}

static int
level_rank(const char *s)
{
    for (size_t i = 0; i < NLEVELS; i++)
        if (strcmp(s, levels[i]) == 0)
            return (int)i;
    return -1;
}

static int
is_bool_text(const char *s)
{
    return strcmp(s, "true") == 0 || strcmp(s, "false") == 0;
}

/* The text of value token t: a copy of a word, or a quoted string unquoted. */
static char *
token_text(const struct parser *p, const struct token *t)
{
    const char *s = p->src + t->off;
    size_t n = t->len;
    if (t->kind == T_STRING)
        s++, n -= 2;
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        out[k++] = s[i];
        if (t->kind == T_STRING && s[i] == '\'')
            i++; /* the second quote of '' */
    }
    out[k] = '\0';
    return out;
}

/*
 * Reads the value at the current token into *v, checked against field's
 * type; `after` names the token before it for the error message.
 */
static cl_err
parse_value(struct parser *p, int field, const char *after, struct value *v)
{
    const struct token t = p->cur;
    if (!(t.kind == T_STRING ||
          (t.kind == T_WORD && !is_keyword_text(p->src + t.off, t.len))))
        return fail_at(p, t.off, "expected a value after '%s'", after);
    v->text = token_text(p, &t);
    if (!v->text)
        return cl_error_set(p->err, CL_ENOMEM, "out of memory");
    const char *name = cl_icp_fields[field];
    int q = quote_len(v->text, strlen(v->text));
    switch (field_types[field]) {
    case FT_NUMBER:
        if (!parse_number(v->text, &v->num))
            return fail_at(p, t.off, "%s needs a number, not '%.*s'", name, q,
                           v->text);
        break;
    case FT_BOOL:
        if (!is_bool_text(v->text))
            return fail_at(p, t.off, "%s must be true or false, not '%.*s'",
                           name, q, v->text);
        break;
    case FT_LEVEL:
        v->rank = level_rank(v->text);
        if (v->rank < 0)
            return fail_at(p, t.off,
                           "%s has no value '%.*s' (ic, manager, director, "
                           "vp, c_level)",
                           name, q, v->text);
        break;
    case FT_TEXT:
        break;
    }
    return next_token(p);
}

/* ---- parser ------------------------------------------------------------- */

static cl_icp_expr *
node_new(enum kind kind)
{
    cl_icp_expr *e = calloc(1, sizeof *e);
    if (e)
        e->kind = kind;
    return e;
}

void
cl_icp_expr_free(cl_icp_expr *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nkids; i++)
        cl_icp_expr_free(e->kids[i]);
    free(e->kids);
    for (size_t i = 0; i < e->nvals; i++)
        free(e->vals[i].text);
    free(e->vals);
    free(e);
}

/* Appends kid to e->kids (cap items allocated). */
static int
add_kid(cl_icp_expr *e, cl_icp_expr *kid, size_t *cap)
{
    if (cl_grow(&e->kids, cap, e->nkids + 1, sizeof *e->kids) != CL_OK)
        return 0;
    e->kids[e->nkids++] = kid;
    return 1;
}

static cl_err parse_or(struct parser *p, cl_icp_expr **out);

/* Checks that field's type allows the operator that starts at byte off. */
static cl_err
check_op(struct parser *p, size_t off, int field, int is_in, enum op op)
{
    const char *name = cl_icp_fields[field];
    switch (field_types[field]) {
    case FT_BOOL:
        if (is_in || (op != OP_EQ && op != OP_NE))
            return fail_at(p, off,
                           "%s is true or false and takes only = or !=", name);
        break;
    case FT_TEXT:
        if (!is_in && op != OP_EQ && op != OP_NE)
            return fail_at(p, off, "%s is text and takes only =, != or in",
                           name);
        break;
    case FT_NUMBER:
    case FT_LEVEL:
        break;
    }
    return CL_OK;
}

/* FIELD ['not'] 'in' '(' VALUE (',' VALUE)* ')', from the `in` or `not`. */
static cl_err
parse_in(struct parser *p, cl_icp_expr *e)
{
    cl_err rc;
    size_t cap = 0, off = p->cur.off;
    e->kind = N_IN;
    if (word_is(p, &p->cur, "not")) {
        e->negated = 1;
        if ((rc = next_token(p)))
            return rc;
        if (!word_is(p, &p->cur, "in"))
            return fail_at(p, p->cur.off, "%s", "expected 'in' after 'not'");
    }
    if ((rc = check_op(p, off, e->field, 1, OP_EQ)) || (rc = next_token(p)))
        return rc;
    if (p->cur.kind != T_LPAREN)
        return fail_at(p, p->cur.off, "%s", "expected '(' after 'in'");
    const char *after = "(";
    for (;;) {
        if ((rc = next_token(p)))
            return rc;
        if (cl_grow(&e->vals, &cap, e->nvals + 1, sizeof *e->vals) != CL_OK)
            return cl_error_set(p->err, CL_ENOMEM, "out of memory");
        struct value *v = &e->vals[e->nvals++];
        memset(v, 0, sizeof *v);
        if ((rc = parse_value(p, e->field, after, v)))
            return rc;
        if (p->cur.kind == T_RPAREN)
            return next_token(p);
        if (p->cur.kind != T_COMMA)
            return fail_at(p, p->cur.off, "%s", "expected ',' or ')'");
        after = ",";
    }
}

/* op VALUE, from the operator's token. */
static cl_err
parse_op_value(struct parser *p, cl_icp_expr *e)
{
    cl_err rc;
    e->op = p->cur.op;
    if ((rc = check_op(p, p->cur.off, e->field, 0, e->op)) ||
        (rc = next_token(p)))
        return rc;
    e->vals = calloc(1, sizeof *e->vals);
    if (!e->vals)
        return cl_error_set(p->err, CL_ENOMEM, "out of memory");
    e->nvals = 1;
    return parse_value(p, e->field, op_text[e->op], e->vals);
}

/* FIELD op VALUE or FIELD ['not'] in (...), from the field's token. */
static cl_err
parse_comparison(struct parser *p, cl_icp_expr **out)
{
    const struct token t = p->cur;
    const char *name = p->src + t.off;
    cl_err rc;
    if (t.kind != T_WORD || is_keyword_text(name, t.len))
        return fail_at(p, t.off, "%s", "expected a field name");
    int field = -1;
    for (int i = 0; cl_icp_fields[i]; i++)
        if (strlen(cl_icp_fields[i]) == t.len &&
            memcmp(cl_icp_fields[i], name, t.len) == 0)
            field = i;
    if (field < 0)
        return fail_at(p, t.off, "unknown field '%.*s'", quote_len(name, t.len),
                       name);
    if ((rc = next_token(p)))
        return rc;

    cl_icp_expr *e = node_new(N_CMP);
    if (!e)
        return cl_error_set(p->err, CL_ENOMEM, "out of memory");
    e->field = field;
    if (word_is(p, &p->cur, "in") || word_is(p, &p->cur, "not")) {
        rc = parse_in(p, e);
    } else if (p->cur.kind == T_OP) {
        rc = parse_op_value(p, e);
    } else {
        rc = fail_at(p, p->cur.off,
                     "expected =, !=, <, <=, >, >=, in or not in after '%s'",
                     cl_icp_fields[field]);
    }
    if (rc) {
        cl_icp_expr_free(e);
        return rc;
    }
    *out = e;
    return CL_OK;
}

/* Enters one level of nesting at the current token, or refuses to. */
static cl_err
enter(struct parser *p)
{
    if (++p->depth > MAX_DEPTH)
        return fail_at(p, p->cur.off, "criteria nested more than %d deep",
                       MAX_DEPTH);
    return CL_OK;
}

static cl_err
parse_not(struct parser *p, cl_icp_expr **out)
{
    cl_err rc;
    if (word_is(p, &p->cur, "not")) {
        if ((rc = enter(p)) || (rc = next_token(p)))
            return rc;
        cl_icp_expr *kid = NULL;
        if ((rc = parse_not(p, &kid)))
            return rc;
        p->depth--;
        cl_icp_expr *e = node_new(N_NOT);
        size_t cap = 0;
        if (!e || !add_kid(e, kid, &cap)) {
            cl_icp_expr_free(kid);
            cl_icp_expr_free(e);
            return cl_error_set(p->err, CL_ENOMEM, "out of memory");
        }
        *out = e;
        return CL_OK;
    }
    if (p->cur.kind == T_LPAREN) {
        if ((rc = enter(p)) || (rc = next_token(p)))
            return rc;
        if ((rc = parse_or(p, out)))
            return rc;
        p->depth--;
        if (p->cur.kind != T_RPAREN) {
            cl_icp_expr_free(*out);
            *out = NULL;
            return fail_at(p, p->cur.off, "%s", "expected ')'");
        }
        if ((rc = next_token(p))) {
            cl_icp_expr_free(*out);
            *out = NULL;
        }
        return rc;
    }
    return parse_comparison(p, out);
}

/*
 * One level of the and/or chain: operands from sub, joined by keyword kw
 * into one n-ary node of the given kind (or the lone operand itself).
 */
static cl_err
parse_chain(struct parser *p, cl_icp_expr **out, const char *kw, enum kind kind,
            cl_err (*sub)(struct parser *, cl_icp_expr **))
{
    cl_icp_expr *first = NULL, *e = NULL, *kid = NULL;
    size_t cap = 0;
    cl_err rc = sub(p, &first);
    if (rc)
        return rc;
    if (!word_is(p, &p->cur, kw)) {
        *out = first;
        return CL_OK;
    }
    e = node_new(kind);
    if (!e || !add_kid(e, first, &cap)) {
        cl_icp_expr_free(first);
        rc = cl_error_set(p->err, CL_ENOMEM, "out of memory");
        goto out;
    }
    while (word_is(p, &p->cur, kw)) {
        if ((rc = next_token(p)) || (rc = sub(p, &kid)))
            goto out;
        if (!add_kid(e, kid, &cap)) {
            cl_icp_expr_free(kid);
            rc = cl_error_set(p->err, CL_ENOMEM, "out of memory");
            goto out;
        }
    }
    *out = e;
    return CL_OK;
out:
    cl_icp_expr_free(e);
    return rc;
}

static cl_err
parse_and(struct parser *p, cl_icp_expr **out)
{
    return parse_chain(p, out, "and", N_AND, parse_not);
}

static cl_err
parse_or(struct parser *p, cl_icp_expr **out)
{
    return parse_chain(p, out, "or", N_OR, parse_and);
}

cl_err
cl_icp_expr_parse(const char *text, cl_icp_expr **out, cl_error *err)
{
    struct parser p = {text ? text : "", 0, {T_END, 0, 0, OP_EQ}, 0, err};
    cl_icp_expr *e = NULL;
    cl_err rc;
    *out = NULL;
    if ((rc = next_token(&p)))
        return rc;
    if (p.cur.kind == T_END)
        return cl_error_set(err, CL_EINVAL, "position 1: empty criteria");
    if ((rc = parse_or(&p, &e)))
        return rc;
    if (p.cur.kind != T_END) {
        cl_icp_expr_free(e);
        const char *s = p.src + p.cur.off;
        return fail_at(&p, p.cur.off,
                       "unexpected '%.*s' after a complete expression",
                       quote_len(s, p.cur.len), s);
    }
    *out = e;
    cl_error_clear(err);
    return CL_OK;
}

/* ---- evaluation --------------------------------------------------------- */

/* Applies op to the three-way comparison c (<0, 0, >0). */
static int
apply_op(enum op op, int c)
{
    switch (op) {
    case OP_EQ:
        return c == 0;
    case OP_NE:
        return c != 0;
    case OP_LT:
        return c < 0;
    case OP_LE:
        return c <= 0;
    case OP_GT:
        return c > 0;
    case OP_GE:
        return c >= 0;
    }
    return 0;
}

/*
 * Compares the record's value s with v under field's type: <0, 0 or >0, or
 * sets *unknown when s is not a value of that type.
 */
static int
compare(int field, const char *s, const struct value *v, int *unknown)
{
    double x;
    int r;
    switch (field_types[field]) {
    case FT_NUMBER:
        if (!parse_number(s, &x))
            break;
        return (x > v->num) - (x < v->num);
    case FT_LEVEL:
        if ((r = level_rank(s)) < 0)
            break;
        return (r > v->rank) - (r < v->rank);
    case FT_BOOL:
        if (!is_bool_text(s))
            break;
        return strcmp(s, v->text);
    case FT_TEXT:
        return strcmp(s, v->text);
    }
    *unknown = 1;
    return 0;
}

static int
eval_leaf(const cl_icp_expr *e, cl_icp_lookup lookup, void *ud)
{
    const char *s = lookup(ud, cl_icp_fields[e->field]);
    int unknown = 0;
    if (!s || !*s)
        return -1;
    if (e->kind == N_CMP) {
        int c = compare(e->field, s, &e->vals[0], &unknown);
        return unknown ? -1 : apply_op(e->op, c);
    }
    int found = 0;
    for (size_t i = 0; i < e->nvals && !found; i++) {
        found = compare(e->field, s, &e->vals[i], &unknown) == 0;
        if (unknown)
            return -1;
    }
    return e->negated ? !found : found;
}

int
cl_icp_expr_eval(const cl_icp_expr *e, cl_icp_lookup lookup, void *ud)
{
    int r, any_unknown = 0;
    switch (e->kind) {
    case N_NOT:
        r = cl_icp_expr_eval(e->kids[0], lookup, ud);
        return r < 0 ? -1 : !r;
    case N_AND:
    case N_OR:
        /* The deciding value: 0 for and, 1 for or. */
        for (size_t i = 0; i < e->nkids; i++) {
            r = cl_icp_expr_eval(e->kids[i], lookup, ud);
            if (r == (e->kind == N_OR))
                return r;
            if (r < 0)
                any_unknown = 1;
        }
        return any_unknown ? -1 : e->kind == N_AND;
    case N_CMP:
    case N_IN:
        return eval_leaf(e, lookup, ud);
    }
    return -1;
}

/* ---- formatting --------------------------------------------------------- */

/* A value bare when it would read back as the same word, else quoted. */
static void
put_value(cl_buf *b, const char *s)
{
    size_t n = strlen(s);
    int bare = n > 0 && !is_keyword_text(s, n);
    for (size_t i = 0; bare && i < n; i++)
        bare = is_word_char((unsigned char)s[i]);
    if (bare) {
        cl_buf_add(b, s, n);
        return;
    }
    cl_buf_add(b, "'", 1);
    for (const char *q; (q = strchr(s, '\'')); s = q + 1)
        cl_buf_add(b, s, (size_t)(q - s) + 1), cl_buf_add(b, "'", 1);
    cl_buf_str(b, s);
    cl_buf_add(b, "'", 1);
}

/* Binding strength: a child weaker than its parent needs parentheses. */
static int
precedence(enum kind k)
{
    return k == N_OR ? 1 : k == N_AND ? 2 : k == N_NOT ? 3 : 4;
}

static void
format_node(cl_buf *b, const cl_icp_expr *e, int parent)
{
    int prec = precedence(e->kind);
    if (prec < parent)
        cl_buf_add(b, "(", 1);
    switch (e->kind) {
    case N_OR:
    case N_AND:
        for (size_t i = 0; i < e->nkids; i++) {
            if (i)
                cl_buf_str(b, e->kind == N_OR ? " or " : " and ");
            format_node(b, e->kids[i], prec);
        }
        break;
    case N_NOT:
        cl_buf_str(b, "not ");
        format_node(b, e->kids[0], prec);
        break;
    case N_CMP:
        cl_buf_str(b, cl_icp_fields[e->field]);
        cl_buf_add(b, " ", 1);
        cl_buf_str(b, op_text[e->op]);
        cl_buf_add(b, " ", 1);
        put_value(b, e->vals[0].text);
        break;
    case N_IN:
        cl_buf_str(b, cl_icp_fields[e->field]);
        cl_buf_str(b, e->negated ? " not in (" : " in (");
        for (size_t i = 0; i < e->nvals; i++) {
            if (i)
                cl_buf_str(b, ", ");
            put_value(b, e->vals[i].text);
        }
        cl_buf_add(b, ")", 1);
        break;
    }
    if (prec < parent)
        cl_buf_add(b, ")", 1);
}

char *
cl_icp_expr_format(const cl_icp_expr *e)
{
    cl_buf b = CL_BUF_INIT;
    format_node(&b, e, 0);
    return cl_buf_take(&b, NULL);
}

/* ---- words -------------------------------------------------------------- */

/* How each field reads in a sentence; a number field's unit, if any. */
static const struct {
    const char *label, *unit;
} field_words[] = {
    {"industry", NULL},
    {"employees", NULL},
    {"region", NULL},
    {"ops function", NULL},
    {"deal type", NULL},
    {"deal source", NULL},
    {"ARR", NULL},
    {"ICP fit score", NULL},
    {"champion's level", NULL},
    {"champion in role", "months"},
    {"executive sponsor", NULL},
    {"use case", NULL},
};

/* champion_level values as people say them, in levels[] order. */
static const char *const level_words[] = {"individual contributor", "manager",
                                          "director", "VP", "C-level"};

/* The comparison read out: "at least", "under"... (negated: its opposite). */
static const char *const op_words[] = {"is",      "is not", "under",
                                       "at most", "over",   "at least"};
static const enum op op_negated[] = {OP_NE, OP_EQ, OP_GE, OP_GT, OP_LE, OP_LT};

static void
put_word_value(cl_buf *b, int field, const struct value *v)
{
    if (field_types[field] == FT_LEVEL && v->rank >= 0 &&
        (size_t)v->rank < NLEVELS)
        cl_buf_str(b, level_words[v->rank]);
    else
        cl_buf_str(b, v->text);
}

/* A comparison or list in words, negated when neg (a `not` above it). */
static void
words_leaf(cl_buf *b, const cl_icp_expr *e, int neg)
{
    int f = e->field;
    if (field_types[f] == FT_BOOL) {
        /* "= true" has it; "= false", "!= true" and a `not` do not. */
        int has = (e->op == OP_EQ) == (strcmp(e->vals[0].text, "true") == 0);
        if (neg)
            has = !has;
        /* Both boolean labels begin with a vowel. */
        cl_buf_str(b, has ? "has an " : "has no ");
        cl_buf_str(b, field_words[f].label);
        return;
    }
    cl_buf_str(b, field_words[f].label);
    if (e->kind == N_IN) {
        int none = e->negated != neg;
        if (e->nvals == 1)
            cl_buf_str(b, none ? " is not " : " is ");
        else
            cl_buf_str(b, none ? " is none of " : " is one of ");
        for (size_t i = 0; i < e->nvals; i++) {
            if (i)
                cl_buf_str(b, ", ");
            put_word_value(b, f, &e->vals[i]);
        }
        return;
    }
    enum op op = neg ? op_negated[e->op] : e->op;
    cl_buf_add(b, " ", 1);
    cl_buf_str(b, op_words[op]);
    cl_buf_add(b, " ", 1);
    put_word_value(b, f, &e->vals[0]);
    if (field_words[f].unit) {
        cl_buf_add(b, " ", 1);
        cl_buf_str(b, field_words[f].unit);
    }
}

static void
words_node(cl_buf *b, const cl_icp_expr *e, int parent, int neg)
{
    /* A `not` folds into the comparison below it ("under 50" for "not
       employees >= 50"); two cancel. */
    while (e->kind == N_NOT &&
           (e->kids[0]->kind == N_NOT || e->kids[0]->kind == N_CMP ||
            e->kids[0]->kind == N_IN)) {
        neg = !neg;
        e = e->kids[0];
    }
    if (e->kind == N_CMP || e->kind == N_IN) {
        words_leaf(b, e, neg);
        return;
    }
    if (neg) {
        cl_buf_str(b, "not (");
        words_node(b, e, 0, 0);
        cl_buf_add(b, ")", 1);
        return;
    }
    int prec = precedence(e->kind);
    if (prec < parent)
        cl_buf_add(b, "(", 1);
    if (e->kind == N_NOT) {
        cl_buf_str(b, "not (");
        words_node(b, e->kids[0], 0, 0);
        cl_buf_add(b, ")", 1);
    } else {
        for (size_t i = 0; i < e->nkids; i++) {
            if (i)
                cl_buf_str(b, e->kind == N_OR ? " or " : " and ");
            words_node(b, e->kids[i], prec, 0);
        }
    }
    if (prec < parent)
        cl_buf_add(b, ")", 1);
}

char *
cl_icp_expr_words(const cl_icp_expr *e)
{
    cl_buf b = CL_BUF_INIT;
    words_node(&b, e, 0, 0);
    return cl_buf_take(&b, NULL);
}

char *
cl_icp_text_words(const char *text)
{
    cl_icp_expr *e = NULL;
    if (cl_icp_expr_parse(text, &e, NULL) != CL_OK)
        return NULL;
    char *w = cl_icp_expr_words(e);
    cl_icp_expr_free(e);
    return w;
}
