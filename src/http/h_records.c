/*
 * h_records.c - the canonical records (users, accounts, deals, churns,
 * recoveries, reviews, holidays): list with filters and pages, read,
 * create, and update with optimistic concurrency.
 *
 *   GET    /api/v1/KIND?FIELD=V&q=TEXT&limit=&offset=&cursor=
 *   GET    /api/v1/KIND/{id}          ETag
 *   POST   /api/v1/KIND               201, 409 when the key exists
 *   PUT    /api/v1/KIND/{id}          If-Match: 428 without, 412 stale
 *   PATCH  /api/v1/KIND/{id}          the same, only the fields given
 *
 * Values are checked by the importer's field rules (io/field.h), so a
 * record written here is one an import would accept.  The accounts and
 * deals lists, with their columns, ranges and sorts, are h_lists.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/engine.h"
#include "../engine/engine_people.h"
#include "../io/field.h"
#include "../store/store_api.h"
#include "../core/workflow.h"
#include "../store/store_engine.h"
#include "http_int.h"

/* ---- cursors ---------------------------------------------------------- */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/*
 * A cursor is base64url (no padding) of "TAG:TEXT": opaque to clients, safe
 * in a query string, and a cursor of one list is refused by another.
 */
void
cl__http_cursor_encode(const char *tag, const char *text, char *out, size_t len)
{
    char plain[CL_HTTP_CURSOR_MAX];
    size_t n = (size_t)snprintf(plain, sizeof plain, "%s:%s", tag, text);
    size_t o = 0;
    if (n >= sizeof plain)
        n = sizeof plain - 1;
    for (size_t i = 0; i < n && o + 5 < len; i += 3) {
        unsigned v = (unsigned char)plain[i] << 16;
        if (i + 1 < n)
            v |= (unsigned char)plain[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)plain[i + 2];
        out[o++] = b64[(v >> 18) & 63];
        out[o++] = b64[(v >> 12) & 63];
        if (i + 1 < n)
            out[o++] = b64[(v >> 6) & 63];
        if (i + 2 < n)
            out[o++] = b64[v & 63];
    }
    out[o] = '\0';
}

int
cl__http_cursor_decode(const char *tag, const char *cursor, char *out,
                       size_t len)
{
    char plain[CL_HTTP_CURSOR_MAX];
    size_t n = 0, bits = 0;
    unsigned acc = 0;
    for (const char *c = cursor; *c; c++) {
        const char *p = strchr(b64, *c);
        if (p == NULL || n + 1 >= sizeof plain)
            return -1;
        acc = (acc << 6) | (unsigned)(p - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            plain[n++] = (char)((acc >> bits) & 0xff);
        }
    }
    plain[n] = '\0';
    size_t tl = strlen(tag);
    if (bits >= 6 || n <= tl || memchr(plain, '\0', n) ||
        strncmp(plain, tag, tl) != 0 || plain[tl] != ':' || n - tl - 1 >= len)
        return -1;
    memcpy(out, plain + tl + 1, n - tl);
    return 0;
}

int
cl__http_cursor_page(cl_http_req *r, const char *tag, int64_t *limit,
                     int64_t *after, enum MHD_Result *done)
{
    const char *l = cl_http_query(r, "limit");
    const char *c = cl_http_query(r, "cursor");
    char text[32], *end;
    *limit = 50;
    *after = 0;
    if (l) {
        long long v = strtoll(l, &end, 10);
        if (!*l || *end || v < 1 || v > 500) {
            *done = cl_http_error(r, 400, "invalid", "limit",
                                  "limit must be a whole number 1..500");
            return -1;
        }
        *limit = v;
    }
    if (c) {
        long long v = 0;
        if (cl__http_cursor_decode(tag, c, text, sizeof text) == 0)
            v = strtoll(text, &end, 10);
        if (v <= 0 || *end) {
            *done = cl_http_error(r, 400, "invalid", "cursor",
                                  "cursor is not one this list gave out");
            return -1;
        }
        *after = v;
    }
    return 0;
}

/* ---- reading ---------------------------------------------------------- */

typedef struct list_ud {
    cl_http_req *r;
    cl_kind kind;
    json_t *items;
    int64_t skipped, hidden, limit, offset; /* for in-memory pages */
    int in_memory;
    unsigned need;              /* groups a row must show to match */
    int64_t scanned;            /* rows seen, shown or not */
    int more;                   /* a row after the page exists */
    char last[CL_HTTP_KEY_MAX]; /* key of the page's last row */
} list_ud;

static int
list_row(void *ud, const cl_value *row)
{
    list_ud *u = ud;
    /* The store reads one row past the page: it says whether there is a
       next page, and is never shown. */
    if (!u->in_memory && u->scanned++ >= u->limit) {
        u->more = 1;
        return 1;
    }
    unsigned mask = cl_http_record_mask(u->r, u->kind, row);
    if (!u->in_memory)
        snprintf(u->last, sizeof u->last, "%s", row[0].s ? row[0].s : "");
    /* A filter on a field the viewer reads only on its own records
       matches nothing else (cl_vis_filter_on). */
    if (!mask || (mask & u->need) != u->need) {
        u->hidden++;
        return 0;
    }
    if (u->in_memory) {
        if (u->skipped++ < u->offset)
            return 0;
        if ((int64_t)json_array_size(u->items) >= u->limit) {
            u->more = 1;
            return 0;
        }
        snprintf(u->last, sizeof u->last, "%s", row[0].s ? row[0].s : "");
    }
    json_array_append_new(u->items, cl_http_record_json(u->kind, row, mask));
    return 0;
}

typedef struct qargs {
    cl_store_filter f[16];
    size_t n;
    const cl_kind_def *def;
    const char *bad;
} qargs;

static enum MHD_Result
qarg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    qargs *q = cls;
    (void)kind;
    if (strcmp(key, "limit") == 0 || strcmp(key, "offset") == 0 ||
        strcmp(key, "cursor") == 0 || strcmp(key, "q") == 0)
        return MHD_YES;
    if (cl_kind_field_index(q->def, key) < 0 || q->n == 16) {
        q->bad = key;
        return MHD_NO;
    }
    q->f[q->n].field = key;
    /* Booleans are stored as 0/1. */
    if (value && strcmp(value, "true") == 0)
        value = "1";
    else if (value && strcmp(value, "false") == 0)
        value = "0";
    q->f[q->n++].value = value ? value : "";
    return MHD_YES;
}

/*
 * What a role may not read, it may not filter on: 403 naming the first
 * filter on a field the viewer reads on no record; *need gets the field
 * groups a row must show the viewer to match the others.  Returns -1 with
 * *done queued when refused.
 */
static int
filter_rules(cl_http_req *r, cl_kind kind, const qargs *q, unsigned *need,
             enum MHD_Result *done)
{
    cl_vis_kind vk = cl_http_vis_kind(kind);
    *need = 0;
    for (size_t i = 0; i < q->n; i++) {
        const char *field = q->f[i].field;
        switch (cl_vis_filter_on(&r->viewer, vk, field)) {
        case CL_VF_REFUSE:
            *done = cl_http_error(r, 403, "forbidden_field", field,
                                  "your role may not read %s of %s, so it "
                                  "may not filter on it",
                                  field, q->def->name);
            return -1;
        case CL_VF_OWN:
            *need |= cl_vis_field_group(vk, field);
            break;
        case CL_VF_ANY:
            break;
        }
    }
    return 0;
}

/* The key a cursor of kind continues after into key; -1 when it is not a
   cursor of this list or its key is no valid key of kind. */
static int
cursor_key(cl_kind kind, const char *cursor, char *key, size_t len)
{
    const cl_kind_def *def = cl_kind_get(kind);
    char scratch[CL_HTTP_KEY_MAX];
    cl_value v;
    cl_error err;
    if (cl__http_cursor_decode(def->name, cursor, key, len) < 0 || !key[0])
        return -1;
    /* The key's own field rule: a date key must be a date, so the bound
       never reaches the database as something its column cannot hold. */
    cl_error_clear(&err);
    if (cl_field_parse(&def->fields[0], key, strlen(key), &v, scratch, &err) !=
            CL_OK ||
        v.type != CL_V_TEXT || strcmp(v.s, key) != 0)
        return -1;
    return 0;
}

enum MHD_Result
cl__h_record_list(cl_http_req *r)
{
    cl_kind kind = r->route->kind;
    int64_t limit, offset, total = 0;
    enum MHD_Result done;
    qargs q = {.def = cl_kind_get(kind)};
    cl_error err;
    char after[CL_HTTP_KEY_MAX];

    if (kind == CL_KIND_ACCOUNTS || kind == CL_KIND_DEALS)
        return cl__h_lists(r);
    if (!cl_vis_may_list(&r->viewer, cl_http_vis_kind(kind)))
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read %s", q.def->name);
    if (cl_http_page(r, &limit, &offset, &done) < 0)
        return done;
    const char *cursor = cl_http_query(r, "cursor");
    const char *search = cl_http_query(r, "q");
    if (cursor && cursor_key(kind, cursor, after, sizeof after) < 0)
        return cl_http_error(r, 400, "invalid", "cursor",
                             "cursor is not one this list gave out");
    if (search && strlen(search) > 200)
        return cl_http_error(r, 400, "invalid", "q",
                             "q must be at most 200 characters");
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, qarg, &q);
    if (q.bad)
        return cl_http_error(r, 400, "unknown_field", q.bad,
                             "%s has no field '%s' to filter on", q.def->name,
                             q.bad);
    unsigned need;
    if (filter_rules(r, kind, &q, &need, &done) < 0)
        return done;
    list_ud u = {.r = r,
                 .kind = kind,
                 .items = json_array(),
                 .limit = limit,
                 .offset = offset};
    /* Users may hide rows from some roles, and a filter on a field read
       only on one's own records drops the others: page and count after
       that, so neither says what was dropped. */
    u.in_memory = kind == CL_KIND_USERS || need != 0;
    u.need = need;
    cl_store_list_req req = {.filters = q.f, .nfilters = q.n};
    req.search = search;
    req.after = cursor ? after : NULL;
    req.limit = u.in_memory ? -1 : limit + 1;
    req.offset = u.in_memory ? 0 : offset;
    cl_error_clear(&err);
    /* A continued page is an index seek: the count, a scan of every
       match, is left to the first page. */
    cl_err e = cl_store_list_page(r->st, kind, &req, list_row, &u,
                                  u.in_memory || cursor ? NULL : &total, &err);
    if (e != CL_OK) {
        json_decref(u.items);
        return cl_http_fail(r, e, &err);
    }
    if (u.in_memory)
        total = u.skipped;
    if (kind == CL_KIND_USERS &&
        (e = cl__http_people_active(r, u.items, &err)) != CL_OK) {
        json_decref(u.items);
        return cl_http_fail(r, e, &err);
    }
    json_t *doc = cl_http_page_doc(u.items, total, limit, offset);
    /* A continued page counts nothing, in memory or not: its count would
       be of what follows the cursor only. */
    if (cursor)
        json_object_set_new(doc, "total", json_null());
    char next[CL_HTTP_CURSOR_MAX * 2];
    if (u.more && u.last[0]) {
        cl__http_cursor_encode(q.def->name, u.last, next, sizeof next);
        json_object_set_new(doc, "next_cursor", json_string(next));
    } else {
        json_object_set_new(doc, "next_cursor", json_null());
    }
    return cl_http_reply_json(r, 200, doc, NULL);
}

typedef struct got {
    json_t *full;  /* every field, for the ETag */
    json_t *shown; /* what the viewer may see */
    unsigned mask;
} got;

static int
closed_on_cb(void *ud, const cl_store_churn_row *row)
{
    if (row->closed_on)
        snprintf(ud, 16, "%s", row->closed_on);
    return 1;
}

cl_err
cl__http_churn_closed_on(cl_http_req *r, const char *id, char out[16],
                         cl_error *err)
{
    out[0] = '\0';
    return cl_store_churns_sel(r->st, CL_SC_ONE, id, NULL, closed_on_cb, out,
                               err);
}

/* Reads record id of kind; *found 0 when there is none. */
static cl_err
read_record(cl_http_req *r, cl_kind kind, const char *id, got *g, int *found,
            cl_error *err)
{
    cl_value key, row[32];
    memset(g, 0, sizeof *g);
    if (cl_http_record_key(kind, id, &key) < 0) {
        *found = 0;
        return CL_OK;
    }
    cl_err e = cl_store_get(r->st, kind, &key, row, found, err);
    if (e != CL_OK || !*found)
        return e;
    /* JSON first: the mask may read the store, which may reuse row. */
    g->full = cl_http_record_json(kind, row, CL_VG_ALL);
    g->mask = cl_http_record_mask(r, kind, row);
    g->shown = cl_http_filter_json(kind, g->full, g->mask);
    if (kind == CL_KIND_DEALS && (g->mask & CL_VG_PRIVATE)) {
        int score = -1;
        if (cl_store_deal_health(r->st, id, &score, err) == CL_OK)
            json_object_set_new(g->shown, "health_score",
                                score < 0 ? json_null() : json_integer(score));
    }
    /* Whether a user may sign in is no imported field either. */
    if (kind == CL_KIND_USERS) {
        json_t *one = json_array();
        json_array_append(one, g->shown);
        cl_err ae = cl__http_people_active(r, one, err);
        json_decref(one);
        if (ae != CL_OK) {
            json_decref(g->full);
            json_decref(g->shown);
            memset(g, 0, sizeof *g);
            return ae;
        }
    }
    /* The engine's closed_on, not an imported field: in the ETag too, so
       closing or reopening is seen. */
    char closed[16];
    if (kind == CL_KIND_CHURNS) {
        if (cl__http_churn_closed_on(r, id, closed, err) != CL_OK) {
            json_decref(g->full);
            json_decref(g->shown);
            memset(g, 0, sizeof *g);
            return err->code;
        }
        json_t *v = *closed ? json_string(closed) : json_null();
        json_object_set(g->full, "closed_on", v);
        json_object_set_new(g->shown, "closed_on", v);
    }
    return CL_OK;
}

static void
got_free(got *g)
{
    json_decref(g->full);
    json_decref(g->shown);
}

enum MHD_Result
cl__h_record_get(cl_http_req *r)
{
    cl_kind kind = r->route->kind;
    got g;
    int found;
    cl_error err;
    char etag[24];
    cl_error_clear(&err);
    cl_err e = read_record(r, kind, r->params[0], &g, &found, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    if (!found)
        return cl_http_error(r, 404, "not_found", NULL, "no %s '%s'",
                             cl_kind_get(kind)->name, r->params[0]);
    if (!g.mask) {
        got_free(&g);
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read this record");
    }
    cl_http_etag(g.full, etag);
    json_t *shown = json_incref(g.shown);
    got_free(&g);
    return cl_http_reply_json(r, 200, shown, etag);
}

/* ---- writing ---------------------------------------------------------- */

/*
 * Fills b->row from the JSON object rec (every field of kind, missing =
 * empty) through the import's field rules and checks references; on a bad
 * value queues the 400 naming the field and returns -1.
 */
static int
to_row(cl_http_req *r, cl_kind kind, json_t *rec, cl_http_row_buf *b,
       enum MHD_Result *done)
{
    const char *bad;
    const char **causes = NULL;
    cl_error err;
    cl_error_clear(&err);
    if (kind == CL_KIND_CHURNS &&
        cl_field_cause_codes(r->st, &causes, &err) != CL_OK) {
        *done = cl_http_fail(r, err.code, &err);
        return -1;
    }
    cl_err parsed = cl_http_json_row(kind, rec, causes, b, &bad, &err);
    free(causes);
    if (parsed != CL_OK) {
        *done = cl_http_error(r, 400, "invalid", bad, "%s: %s", bad, err.msg);
        return -1;
    }
    cl_error_clear(&err);
    if (cl__http_row_refs(r->st, kind, b->row, &bad, &err) != CL_OK) {
        *done = cl_http_error(r, 400, "invalid", bad, "%s", err.msg);
        return -1;
    }
    /* A manager is an active user, and nobody manages their own
       manager (engine_people.h). */
    if (kind == CL_KIND_USERS) {
        const cl_kind_def *def = cl_kind_get(kind);
        const cl_value *m = &b->row[cl_kind_field_index(def, "manager_id")];
        const cl_value *em = &b->row[cl_kind_field_index(def, "email")];
        const char *which = "email";
        cl_err e = em->type == CL_V_TEXT
                       ? cl_engine_email_check(r->st, b->row[0].s, em->s, &err)
                       : CL_OK;
        if (e == CL_OK) {
            which = "manager_id";
            e = cl_engine_manager_check(
                r->st, b->row[0].s, m->type == CL_V_TEXT ? m->s : NULL, &err);
        }
        if (e != CL_OK) {
            *done = e == CL_EINVAL
                        ? cl_http_error(r, 400, "invalid", which, "%s", err.msg)
                        : cl_http_fail(r, e, &err);
            return -1;
        }
    }
    const char *why, *bad_field;
    if (kind == CL_KIND_ICP &&
        (bad_field = cl_icp_version_check(b->row, NULL, &why)) != NULL) {
        *done = cl_http_error(r, 400, "invalid", bad_field, "%s: %s", bad_field,
                              why);
        return -1;
    }
    return 0;
}

static int
may_write(cl_http_req *r, cl_kind kind)
{
    return cl_vis_may(&r->viewer,
                      kind == CL_KIND_USERS ? CL_VA_USERS
                      : kind == CL_KIND_ICP ? CL_VA_ICP_WRITE
                                            : CL_VA_RECORD_WRITE,
                      NULL);
}

/* The record's key as the path names it (ICP versions are numbers). */
static const char *
key_text(const cl_value *row, char *buf, size_t len)
{
    if (row[0].type == CL_V_INT) {
        snprintf(buf, len, "%lld", (long long)row[0].i);
        return buf;
    }
    return row[0].s;
}

/*
 * A change of a deal's kickoff_on through PUT or PATCH passes the same
 * kickoff gate as `closeloop kickoff` (cl_wf_kickoff_gate).  The record
 * API has no override: the refusal points to the kickoff route, which
 * takes an override reason and audits it.  A write that leaves the date as
 * it was is no kickoff and is not checked.  Returns CL_OK or the gate's
 * refusal (err says why).
 */
static cl_err
kickoff_gate(cl_http_req *r, const cl_http_row_buf *b, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(CL_KIND_DEALS);
    const cl_value *v = &b->row[cl_kind_field_index(def, "kickoff_on")];
    cl_day stored, held, kickoff;
    int found = 0;
    if (v->type != CL_V_TEXT ||
        cl_date_parse(v->s, strlen(v->s), &kickoff) != 0)
        return CL_OK;
    cl_err e =
        cl_store_kickoff_dates(r->st, b->row[0].s, &stored, &held, &found, err);
    if (e != CL_OK || !found || stored == kickoff)
        return e;
    /* The refusal names the deal by its account (issue 16). */
    const cl_value *acct = &b->row[cl_kind_field_index(def, "account_id")];
    const cl_kind_def *adef = cl_kind_get(CL_KIND_ACCOUNTS);
    cl_value arow[32];
    char name[200] = "";
    int afound = 0;
    if (acct->type == CL_V_TEXT &&
        cl_store_get(r->st, CL_KIND_ACCOUNTS, acct, arow, &afound, err) ==
            CL_OK &&
        afound) {
        const cl_value *n = &arow[cl_kind_field_index(adef, "name")];
        if (n->type == CL_V_TEXT && n->s)
            snprintf(name, sizeof name, "%s", n->s);
    }
    cl_error_clear(err);
    cl_wf_deal d = {.id = b->row[0].s, .account_name = name};
    cl_wf_effects fx;
    cl_wf_effects_init(&fx);
    e = cl_wf_kickoff_gate(&d, held, kickoff, CL_WF_KICKOFF_HELD, NULL, NULL,
                           &fx, err);
    cl_wf_effects_release(&fx);
    return e;
}

/* Writes b's row in a transaction; *etag_of gets the stored record. */
static enum MHD_Result
write_row(cl_http_req *r, cl_kind kind, cl_http_row_buf *b, unsigned status,
          const char *if_match)
{
    cl_error err;
    cl_put_result res;
    cl_error_clear(&err);
    cl_err e = cl_store_begin(r->st, r->user_id, r->now, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    /* Inside the write transaction: nobody changes the record between the
       check of its ETag and the write. */
    got g;
    int found = 0;
    char kbuf[24];
    const char *key = key_text(b->row, kbuf, sizeof kbuf);
    e = read_record(r, kind, key, &g, &found, &err);
    if (e == CL_OK && if_match == NULL && found) {
        got_free(&g);
        cl_store_rollback(r->st);
        return cl_http_error(
            r, 409, "exists", cl_kind_get(kind)->fields[0].name,
            "%s '%s' exists already%s", cl_kind_get(kind)->name, key,
            kind == CL_KIND_ICP ? " (ICP versions are immutable: add a new "
                                  "version)"
                                : "");
    }
    if (e == CL_OK && if_match && !found) {
        cl_store_rollback(r->st);
        return cl_http_error(r, 404, "not_found", NULL, "no %s '%s'",
                             cl_kind_get(kind)->name, key);
    }
    if (e == CL_OK && if_match) {
        char etag[24];
        cl_http_etag(g.full, etag);
        got_free(&g);
        if (strcmp(if_match, etag) != 0 && strcmp(if_match, "*") != 0) {
            cl_store_rollback(r->st);
            return cl_http_error(r, 412, "stale", NULL,
                                 "the record changed since you read it "
                                 "(ETag %s); read it again",
                                 etag);
        }
    }
    if (e == CL_OK && if_match && kind == CL_KIND_DEALS) {
        e = kickoff_gate(r, b, &err);
        if (e == CL_ECONFLICT) {
            cl_store_rollback(r->st);
            return cl_http_error(r, 409, "conflict", "kickoff_on",
                                 "%s (POST /api/v1/deals/%s/kickoff takes "
                                 "override_reason)",
                                 err.msg, b->row[0].s);
        }
    }
    /* The write's events (a churn tagged, a deal won) in the same
       transaction, as the CLI's event commands apply them. */
    if (e == CL_OK)
        e = cl_engine_put(r->st, kind, b->row, r->user_id, r->now, &res, NULL,
                          &err);
    if (e == CL_OK)
        e = cl_store_commit(r->st, &err);
    if (e != CL_OK) {
        cl_store_rollback(r->st);
        return cl_http_fail(r, e, &err);
    }
    char etag[24];
    e = read_record(r, kind, key, &g, &found, &err);
    if (e != CL_OK || !found)
        return cl_http_fail(r, e ? e : CL_EDB, &err);
    cl_http_etag(g.full, etag);
    json_t *shown = json_incref(g.shown);
    got_free(&g);
    return cl_http_reply_json(r, status, shown, etag);
}

enum MHD_Result
cl__h_record_create(cl_http_req *r)
{
    cl_kind kind = r->route->kind;
    cl_jfield fields[32];
    enum MHD_Result done;
    cl_http_row_buf b;
    if (!may_write(r, kind))
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not create %s",
                             cl_kind_get(kind)->name);
    size_t n = cl_http_body_fields(kind, fields, 0);
    json_t *body = cl_http_body(r, fields, n, &done);
    if (!body)
        return done;
    if (to_row(r, kind, body, &b, &done) < 0) {
        json_decref(body);
        cl_http_row_buf_free(&b);
        return done;
    }
    done = write_row(r, kind, &b, 201, NULL);
    json_decref(body);
    cl_http_row_buf_free(&b);
    return done;
}

enum MHD_Result
cl__h_record_update(cl_http_req *r)
{
    cl_kind kind = r->route->kind;
    const cl_kind_def *def = cl_kind_get(kind);
    int patch = strcmp(r->method, "PATCH") == 0;
    cl_jfield fields[32];
    enum MHD_Result done;
    cl_http_row_buf b;
    cl_error err;
    got g;
    int found;

    if (!may_write(r, kind))
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not change %s", def->name);
    const char *if_match =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-Match");
    if (!if_match)
        return cl_http_error(r, 428, "if_match_required", "If-Match",
                             "send If-Match with the ETag you read");
    size_t n = cl_http_body_fields(kind, fields, patch);
    /* PUT: the key comes from the path and need not be repeated. */
    fields[0].required = 0;
    json_t *body = cl_http_body(r, fields, n, &done);
    if (!body)
        return done;
    const char *key = cl_http_jstr(body, def->fields[0].name);
    if (key && strcmp(key, r->params[0]) != 0) {
        json_decref(body);
        return cl_http_error(r, 400, "invalid", def->fields[0].name,
                             "the %s of a record cannot change",
                             def->fields[0].name);
    }
    json_t *rec = body;
    if (patch) {
        cl_error_clear(&err);
        cl_err e = read_record(r, kind, r->params[0], &g, &found, &err);
        if (e != CL_OK || !found) {
            json_decref(body);
            return e != CL_OK
                       ? cl_http_fail(r, e, &err)
                       : cl_http_error(r, 404, "not_found", NULL, "no %s '%s'",
                                       def->name, r->params[0]);
        }
        rec = json_incref(g.full);
        got_free(&g);
        json_object_update(rec, body);
        json_decref(body);
    }
    json_object_set_new(rec, def->fields[0].name, json_string(r->params[0]));
    if (to_row(r, kind, rec, &b, &done) < 0) {
        json_decref(rec);
        cl_http_row_buf_free(&b);
        return done;
    }
    done = write_row(r, kind, &b, 200, if_match);
    json_decref(rec);
    cl_http_row_buf_free(&b);
    return done;
}
