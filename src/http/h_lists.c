/*
 * h_lists.c - GET /api/v1/accounts and GET /api/v1/deals: the record lists
 * with the columns people rank them by (ARR, next renewal, health), range
 * filters, a sort on any column and keyset cursors (docs/server.md,
 * "Lists"; the columns: store_lists.h).
 *
 *   ?FIELD=V          a field of the kind equals V (as every record list)
 *   ?q=TEXT           the key or the (account's) name contains TEXT
 *   ?arr_min= &arr_max=            0..1000000000000
 *   ?renewal_from= &renewal_to=    YYYY-MM-DD
 *   ?health_min= &health_max=      0..100
 *   ?sort=COL or -COL              cl_store_lists_sort
 *   ?industry= &region= &open=     deals only: the account's; open deals
 *   ?limit= &offset= &cursor=
 *
 * What a role may not read it may not filter or sort on (docs/
 * visibility.md): health follows the health deal's AE as a deal's health
 * score does, the AE's name as deals' ae_id.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../store/store_api.h"
#include "../store/store_lists.h"
#include "http_int.h"

/* The request's parameters as read. */
typedef struct largs {
    cl_kind kind;
    const cl_kind_def *def;
    cl_store_filter f[16];
    size_t n;
    const char *bad;     /* an unknown parameter */
    const char *refused; /* a field the viewer may not filter on */
    cl_http_req *r;
} largs;

static int
is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* The parameters that are no field of the kind. */
static int
control(cl_kind kind, const char *key)
{
    static const char *const common[] = {
        "limit",      "offset",     "cursor",     "q",
        "sort",       "arr_min",    "arr_max",    "renewal_from",
        "renewal_to", "health_min", "health_max", NULL};
    for (size_t i = 0; common[i]; i++)
        if (is(key, common[i]))
            return 1;
    return kind == CL_KIND_DEALS &&
           (is(key, "open") || is(key, "industry") || is(key, "region"));
}

static enum MHD_Result
larg(void *cls, enum MHD_ValueKind vk, const char *key, const char *value)
{
    largs *q = cls;
    (void)vk;
    if (control(q->kind, key))
        return MHD_YES;
    if (cl_kind_field_index(q->def, key) < 0 || q->n == 16) {
        q->bad = key;
        return MHD_NO;
    }
    /* Keys and every base field apply as asked; a field the viewer reads
       on no record (or only on its own: none of these kinds has one) may
       not narrow the list. */
    if (cl_vis_filter_on(&q->r->viewer, cl_http_vis_kind(q->kind), key) !=
        CL_VF_ANY) {
        q->refused = key;
        return MHD_NO;
    }
    q->f[q->n].field = key;
    /* Booleans are stored as 0/1. */
    if (value && is(value, "true"))
        value = "1";
    else if (value && is(value, "false"))
        value = "0";
    q->f[q->n++].value = value ? value : "";
    return MHD_YES;
}

/* An amount 0..1e12 into *out; -1 when it is none. */
static int
parse_amount(const char *s, double *out)
{
    char *end;
    if (!*s)
        return -1;
    double v = strtod(s, &end);
    if (*end || !isfinite(v) || v < 0 || v > 1e12)
        return -1;
    *out = v;
    return 0;
}

static int
parse_score(const char *s, int *out)
{
    char *end;
    if (!*s)
        return -1;
    long v = strtol(s, &end, 10);
    if (*end || v < 0 || v > 100)
        return -1;
    *out = (int)v;
    return 0;
}

/* A listed record, copied out of the store's row. */
typedef struct item {
    char id[CL_HTTP_KEY_MAX];
    char *sk, *name, *person, *health_ae;
    int has_arr, health;
    double arr;
    char renewal[16];
} item;

typedef struct collect {
    item *it;
    size_t n, cap;
    int oom;
} collect;

static char *
dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int
collect_row(void *ud, const cl_store_lists_row *row)
{
    collect *c = ud;
    if (cl_grow(&c->it, &c->cap, c->n + 1, sizeof c->it[0]) != CL_OK) {
        c->oom = 1;
        return 1;
    }
    item *x = &c->it[c->n++];
    memset(x, 0, sizeof *x);
    snprintf(x->id, sizeof x->id, "%s", row->id ? row->id : "");
    x->sk = strdup(row->sort_value);
    snprintf(x->renewal, sizeof x->renewal, "%s",
             row->renewal_on ? row->renewal_on : "");
    x->name = dup_or_null(row->name);
    x->person = dup_or_null(row->person);
    x->health_ae = dup_or_null(row->health_ae);
    x->has_arr = row->has_arr;
    x->arr = row->arr;
    x->health = row->health;
    if (!x->sk || (row->name && !x->name) || (row->person && !x->person) ||
        (row->health_ae && !x->health_ae))
        c->oom = 1;
    return 0;
}

static void
collect_free(collect *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->it[i].sk);
        free(c->it[i].name);
        free(c->it[i].person);
        free(c->it[i].health_ae);
    }
    free(c->it);
}

/* The record of x as the viewer may see it, with the list's columns. */
static cl_err
item_json(cl_http_req *r, cl_kind kind, const item *x, json_t **out,
          cl_error *err)
{
    cl_value key, row[32];
    int found = 0;
    *out = NULL;
    if (cl_http_record_key(kind, x->id, &key) < 0)
        return CL_OK;
    cl_err e = cl_store_get(r->st, kind, &key, row, &found, err);
    if (e != CL_OK || !found)
        return e;
    /* JSON first: the mask may read the store, which may reuse row. */
    json_t *full = cl_http_record_json(kind, row, CL_VG_ALL);
    unsigned mask = cl_http_record_mask(r, kind, row);
    if (!mask) {
        json_decref(full);
        return CL_OK;
    }
    json_t *o = cl_http_filter_json(kind, full, mask);
    json_decref(full);
    int deals = kind == CL_KIND_DEALS;
    if (deals) {
        json_object_set_new(o, "account_name",
                            x->name ? json_string(x->name) : json_null());
        if (mask & CL_VG_AE)
            json_object_set_new(
                o, "ae_name", x->person ? json_string(x->person) : json_null());
    } else {
        json_object_set_new(o, "csm_name",
                            x->person ? json_string(x->person) : json_null());
        json_object_set_new(o, "arr",
                            x->has_arr ? json_real(x->arr) : json_null());
    }
    json_object_set_new(o, "renewal_on",
                        x->renewal[0] ? json_string(x->renewal) : json_null());
    /* Health as the health deal's own health score is read. */
    cl_vis_rel rel = {.owner_id = x->health_ae};
    if (cl_vis_fields(&r->viewer, CL_VK_DEAL, &rel) & CL_VG_PRIVATE)
        json_object_set_new(o, deals ? "account_health" : "health_score",
                            x->health < 0 ? json_null()
                                          : json_integer(x->health));
    *out = o;
    return CL_OK;
}

/* Reads the range parameters into req; queues the 400 and returns -1 on a
   bad one. */
static int
read_ranges(cl_http_req *r, cl_store_lists_req *req, enum MHD_Result *done)
{
    const char *v;
    cl_day d1 = 0, d2 = 0;
    if ((v = cl_http_query(r, "arr_min")) &&
        !(req->has_arr_min = parse_amount(v, &req->arr_min) == 0)) {
        *done = cl_http_error(r, 400, "invalid", "arr_min",
                              "arr_min must be an amount 0..1000000000000");
        return -1;
    }
    if ((v = cl_http_query(r, "arr_max")) &&
        !(req->has_arr_max = parse_amount(v, &req->arr_max) == 0)) {
        *done = cl_http_error(r, 400, "invalid", "arr_max",
                              "arr_max must be an amount 0..1000000000000");
        return -1;
    }
    if (req->has_arr_min && req->has_arr_max && req->arr_min > req->arr_max) {
        *done = cl_http_error(r, 400, "invalid", "arr_max",
                              "arr_max must be at least arr_min");
        return -1;
    }
    req->renewal_from = cl_http_query(r, "renewal_from");
    req->renewal_to = cl_http_query(r, "renewal_to");
    if (req->renewal_from &&
        cl_date_parse(req->renewal_from, strlen(req->renewal_from), &d1) != 0) {
        *done = cl_http_error(r, 400, "invalid", "renewal_from",
                              "renewal_from must be a date YYYY-MM-DD");
        return -1;
    }
    if (req->renewal_to &&
        cl_date_parse(req->renewal_to, strlen(req->renewal_to), &d2) != 0) {
        *done = cl_http_error(r, 400, "invalid", "renewal_to",
                              "renewal_to must be a date YYYY-MM-DD");
        return -1;
    }
    if (req->renewal_from && req->renewal_to && d1 > d2) {
        *done = cl_http_error(r, 400, "invalid", "renewal_to",
                              "renewal_to must be on or after renewal_from");
        return -1;
    }
    req->health_min = req->health_max = -1;
    if ((v = cl_http_query(r, "health_min")) &&
        parse_score(v, &req->health_min) != 0) {
        *done = cl_http_error(r, 400, "invalid", "health_min",
                              "health_min must be a whole number 0..100");
        return -1;
    }
    if ((v = cl_http_query(r, "health_max")) &&
        parse_score(v, &req->health_max) != 0) {
        *done = cl_http_error(r, 400, "invalid", "health_max",
                              "health_max must be a whole number 0..100");
        return -1;
    }
    if (req->health_min >= 0 && req->health_max >= 0 &&
        req->health_min > req->health_max) {
        *done = cl_http_error(r, 400, "invalid", "health_max",
                              "health_max must be at least health_min");
        return -1;
    }
    return 0;
}

/* The sort parameter into req (NULL: the key); -1 with the 400 queued. */
static int
read_sort(cl_http_req *r, cl_kind kind, cl_store_lists_req *req,
          enum MHD_Result *done)
{
    const char *s = cl_http_query(r, "sort");
    if (!s)
        return 0;
    req->desc = s[0] == '-';
    const char *name = s + req->desc;
    const char *col;
    char list[256];
    size_t n = 0;
    list[0] = '\0';
    for (size_t i = 0; (col = cl_store_lists_sort(kind, i)) != NULL; i++) {
        if (is(col, name)) {
            req->sort = col;
            return 0;
        }
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "",
                              col);
    }
    *done = cl_http_error(r, 400, "invalid", "sort",
                          "sort must be one of %s, or one of them after '-' "
                          "for largest first",
                          list);
    return -1;
}

/*
 * Health and the AE's name follow what the viewer reads: a 403 naming the
 * parameter when it reads them on no record; health otherwise counts only
 * where the viewer reads it (req->health_owner).
 */
static int
read_rules(cl_http_req *r, cl_kind kind, cl_store_lists_req *req,
           enum MHD_Result *done)
{
    cl_vis_filter hf = cl_vis_filter_on(&r->viewer, CL_VK_DEAL, "health_score");
    const char *uses = cl_http_query(r, "health_min")         ? "health_min"
                       : cl_http_query(r, "health_max")       ? "health_max"
                       : req->sort && is(req->sort, "health") ? "sort"
                                                              : NULL;
    if (hf == CL_VF_REFUSE && uses) {
        *done = cl_http_error(r, 403, "forbidden_field", uses,
                              "your role may not read health scores, so it "
                              "may not filter or sort on them");
        return -1;
    }
    if (hf != CL_VF_ANY)
        req->health_owner = r->viewer.user_id;
    if (kind == CL_KIND_DEALS && req->sort && is(req->sort, "ae") &&
        cl_vis_filter_on(&r->viewer, CL_VK_DEAL, "ae_id") != CL_VF_ANY) {
        *done = cl_http_error(r, 403, "forbidden_field", "sort",
                              "your role may not read deals' AEs, so it may "
                              "not sort on them");
        return -1;
    }
    return 0;
}

/* The cursor's tag: the kind, and the sort when it is not the key. */
static void
cursor_tag(cl_kind kind, const char *sort_param, char *out, size_t len)
{
    if (sort_param)
        snprintf(out, len, "%s.%s", cl_kind_get(kind)->name, sort_param);
    else
        snprintf(out, len, "%s", cl_kind_get(kind)->name);
}

/* The record after which cursor continues into id and value; -1 when it
   is not a cursor of this list and sort.  A sorted cursor without a value
   (*value NULL) carries the key alone: see sort_value_of. */
static int
read_cursor(cl_kind kind, const char *tag, const char *cursor, int sorted,
            char *text, size_t len, const char **id, const char **value)
{
    cl_value key;
    if (cl__http_cursor_decode(tag, cursor, text, len) < 0 || !text[0])
        return -1;
    *id = text;
    *value = sorted ? NULL : text;
    if (sorted) {
        /* "ID;VALUE", or "ID" alone: an id holds no ';'. */
        char *semi = strchr(text, ';');
        if (semi) {
            *semi = '\0';
            *value = semi + 1;
        }
    }
    return cl_http_record_key(kind, *id, &key) < 0 || !**id ? -1 : 0;
}

static int
sort_value_cb(void *ud, const cl_store_lists_row *row)
{
    char **out = ud;
    *out = strdup(row->sort_value);
    return 1;
}

/*
 * The sort value of record id in req's sort, for a cursor that carries the
 * key alone: a sort value too long for a URL (an account's name may be
 * 64 KB) is read again from the record rather than carried.  Only the sort
 * and whose health counts decide the value, so the filters are dropped: a
 * record edited out of them since still marks the place.  *out is NULL
 * when the record is gone; the caller frees it.
 */
static cl_err
sort_value_of(cl_http_req *r, const cl_store_lists_req *req, const char *id,
              char **out, cl_error *err)
{
    cl_store_filter key = {"id", id};
    cl_store_lists_req q = {.kind = req->kind,
                            .filters = &key,
                            .nfilters = 1,
                            .open = -1,
                            .health_min = -1,
                            .health_max = -1,
                            .health_owner = req->health_owner,
                            .sort = req->sort,
                            .desc = req->desc,
                            .limit = 1};
    *out = NULL;
    return cl_store_lists_page(r->st, &q, sort_value_cb, out, NULL, err);
}

static int
value_cb(void *ud, const char *value)
{
    json_array_append_new(ud, json_string(value));
    return 0;
}

/* The accounts' industries and regions, for the filters' choices. */
static cl_err
choices(cl_http_req *r, json_t **out, cl_error *err)
{
    json_t *ind = json_array(), *reg = json_array();
    cl_err e = cl_store_lists_values(r->st, "industry", value_cb, ind, err);
    if (e == CL_OK)
        e = cl_store_lists_values(r->st, "region", value_cb, reg, err);
    *out = json_pack("{s:o, s:o}", "industry", ind, "region", reg);
    return e;
}

enum MHD_Result
cl__h_lists(cl_http_req *r)
{
    cl_kind kind = r->route->kind;
    const cl_kind_def *def = cl_kind_get(kind);
    int64_t limit, offset, total = 0;
    enum MHD_Result done;
    largs q = {.kind = kind, .def = def, .r = r};
    cl_store_lists_req req = {.kind = kind, .open = -1};
    cl_error err;

    if (!cl_vis_may_list(&r->viewer, cl_http_vis_kind(kind)))
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read %s", def->name);
    if (cl_http_page(r, &limit, &offset, &done) < 0)
        return done;
    const char *search = cl_http_query(r, "q");
    if (search && strlen(search) > 200)
        return cl_http_error(r, 400, "invalid", "q",
                             "q must be at most 200 characters");
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, larg, &q);
    if (q.bad)
        return cl_http_error(r, 400, "unknown_field", q.bad,
                             "%s has no field '%s' to filter on", def->name,
                             q.bad);
    if (q.refused)
        return cl_http_error(r, 403, "forbidden_field", q.refused,
                             "your role may not read %s of %s, so it may "
                             "not filter on it",
                             q.refused, def->name);
    if (read_ranges(r, &req, &done) < 0 ||
        read_sort(r, kind, &req, &done) < 0 ||
        read_rules(r, kind, &req, &done) < 0)
        return done;
    if (kind == CL_KIND_DEALS) {
        const char *open = cl_http_query(r, "open");
        if (open && !is(open, "true") && !is(open, "false"))
            return cl_http_error(r, 400, "invalid", "open",
                                 "open must be true or false");
        req.open = open ? is(open, "true") : -1;
        req.industry = cl_http_query(r, "industry");
        req.region = cl_http_query(r, "region");
    }
    const char *sort_param = req.sort ? cl_http_query(r, "sort") : NULL;
    char tag[64], text[CL_HTTP_CURSOR_MAX];
    cursor_tag(kind, sort_param, tag, sizeof tag);
    const char *cursor = cl_http_query(r, "cursor");
    if (cursor && read_cursor(kind, tag, cursor, req.sort != NULL, text,
                              sizeof text, &req.after_id, &req.after_value) < 0)
        return cl_http_error(r, 400, "invalid", "cursor",
                             "cursor is not one this list gave out");
    char *looked_up = NULL;
    cl_error_clear(&err);
    if (cursor && req.after_value == NULL) {
        cl_err le = sort_value_of(r, &req, req.after_id, &looked_up, &err);
        if (le != CL_OK)
            return cl_http_fail(r, le, &err);
        if (looked_up == NULL)
            return cl_http_error(r, 400, "invalid", "cursor",
                                 "cursor continues after a record that is "
                                 "gone: start again from the first page");
        req.after_value = looked_up;
    }
    req.filters = q.f;
    req.nfilters = q.n;
    req.search = search;
    req.limit = limit + 1; /* one past the page: is there a next? */
    req.offset = offset;
    collect c = {0};
    cl_error_clear(&err);
    /* A continued page counts nothing: its count would be of what follows
       the cursor only. */
    cl_err e = cl_store_lists_page(r->st, &req, collect_row, &c,
                                   cursor ? NULL : &total, &err);
    free(looked_up);
    if (e == CL_OK && c.oom)
        e = cl_error_set(&err, CL_ENOMEM, "out of memory");
    json_t *items = json_array();
    size_t shown = c.n < (size_t)limit ? c.n : (size_t)limit;
    for (size_t i = 0; e == CL_OK && i < shown; i++) {
        json_t *o;
        e = item_json(r, kind, &c.it[i], &o, &err);
        if (e == CL_OK && o)
            json_array_append_new(items, o);
    }
    if (e != CL_OK) {
        collect_free(&c);
        json_decref(items);
        return cl_http_fail(r, e, &err);
    }
    json_t *doc = cl_http_page_doc(items, total, limit, offset);
    if (cursor)
        json_object_set_new(doc, "total", json_null());
    json_object_set_new(doc, "sort",
                        json_string(sort_param ? sort_param : "id"));
    json_t *next = json_null();
    if (c.n > (size_t)limit && shown > 0) {
        const item *last = &c.it[shown - 1];
        char plain[CL_HTTP_CURSOR_MAX], enc[CL_HTTP_CURSOR_MAX * 2];
        int k = req.sort
                    ? snprintf(plain, sizeof plain, "%s;%s", last->id, last->sk)
                    : snprintf(plain, sizeof plain, "%s", last->id);
        /* A sort value too long to carry: the key alone, and the next
           page reads the value again (sort_value_of).  A key fits. */
        if (k < 0 || (size_t)k + strlen(tag) + 1 >= sizeof plain)
            snprintf(plain, sizeof plain, "%s", last->id);
        cl__http_cursor_encode(tag, plain, enc, sizeof enc);
        next = json_string(enc);
    }
    json_object_set_new(doc, "next_cursor", next);
    collect_free(&c);
    /* The first page brings the choices of the industry and region
       filters: every role reads them on every account. */
    if (!cursor) {
        json_t *ch;
        cl_error_clear(&err);
        if ((e = choices(r, &ch, &err)) != CL_OK) {
            json_decref(ch);
            json_decref(doc);
            return cl_http_fail(r, e, &err);
        }
        json_object_set_new(doc, "choices", ch);
    }
    return cl_http_reply_json(r, 200, doc, NULL);
}
