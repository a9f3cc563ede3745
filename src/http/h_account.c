/*
 * h_account.c - GET /api/v1/accounts/{id}/page (everything a person needs
 * about one account in one call) and GET /api/v1/audit/{entity}/{id}.
 */
#include <stdio.h>
#include <string.h>

#include "../store/store_api.h"
#include "../store/store_engine.h"
#include "http_int.h"

/* ---- the audit trail -------------------------------------------------- */

static int
audit_cb(void *ud, const cl_audit_entry *e)
{
    json_t *items = ud;
    json_error_t je;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
                          (json_int_t)e->id, "at", e->at, "actor", e->actor,
                          "entity", e->entity, "entity_id", e->entity_id,
                          "action", e->action);
    json_t *old = e->old_json ? json_loads(e->old_json, 0, &je) : NULL;
    json_t *new = e->new_json ? json_loads(e->new_json, 0, &je) : NULL;
    json_object_set_new(o, "old", old ? old : json_null());
    json_object_set_new(o, "new", new ? new : json_null());
    json_array_append_new(items, o);
    return 0;
}

static cl_kind
entity_kind(const char *entity)
{
    cl_kind k = cl_kind_from_name(entity);
    if (k == CL_KIND_USERS || k == CL_KIND_ACCOUNTS || k == CL_KIND_DEALS ||
        k == CL_KIND_CHURNS || k == CL_KIND_RECOVERIES ||
        k == CL_KIND_REVIEWS || k == CL_KIND_HOLIDAYS)
        return k;
    return CL_KIND_NONE;
}

/* 1 if the viewer may read the trail of record id of kind. */
static int
audit_allowed(cl_http_req *r, cl_kind kind, const char *id, int *found,
              cl_error *err)
{
    cl_value key = {CL_V_TEXT, 0, 0, id}, row[32];
    if (cl_store_get(r->st, kind, &key, row, found, err) != CL_OK ||
        !*found)
        return 0;
    return cl_http_record_audit(r, kind, row);
}

/* A page of a record's trail: oldest first, the entries after `after`. */
typedef struct audit_page {
    json_t *items;
    int64_t after, limit;
    int more;
} audit_page;

static int
audit_page_cb(void *ud, const cl_audit_entry *e)
{
    audit_page *p = ud;
    if (e->id <= p->after)
        return 0;
    if ((int64_t)json_array_size(p->items) >= p->limit) {
        p->more = 1;
        return 1;
    }
    return audit_cb(p->items, e);
}

enum MHD_Result
cl__h_audit(cl_http_req *r)
{
    cl_kind kind = entity_kind(r->params[0]);
    cl_error err;
    int found = 0;
    int64_t limit, after;
    enum MHD_Result done;
    if (kind == CL_KIND_NONE)
        return cl_http_error(r, 404, "not_found", "entity",
                             "no audited record kind '%s'", r->params[0]);
    if (cl__http_cursor_page(r, "audit", &limit, &after, &done) < 0)
        return done;
    cl_error_clear(&err);
    int ok = audit_allowed(r, kind, r->params[1], &found, &err);
    if (err.code)
        return cl_http_fail(r, err.code, &err);
    if (!found)
        return cl_http_error(r, 404, "not_found", NULL, "no %s '%s'",
                             r->params[0], r->params[1]);
    if (!ok)
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read this record's history");
    audit_page p = {json_array(), after, limit, 0};
    cl_err e = cl_store_audit_each(r->st, cl_kind_get(kind)->table,
                                   r->params[1], audit_page_cb, &p, &err);
    if (e != CL_OK) {
        json_decref(p.items);
        return cl_http_fail(r, e, &err);
    }
    json_t *next = json_null();
    size_t n = json_array_size(p.items);
    if (p.more && n) {
        char id[32], cur[64];
        snprintf(id, sizeof id, "%lld",
                 (long long)json_integer_value(
                     json_object_get(json_array_get(p.items, n - 1), "id")));
        cl__http_cursor_encode("audit", id, cur, sizeof cur);
        next = json_string(cur);
    }
    return cl_http_reply_json(r, 200,
                              json_pack("{s:o, s:I, s:o}", "items", p.items,
                                        "limit", (json_int_t)limit,
                                        "next_cursor", next),
                              NULL);
}

/* ---- the account page ------------------------------------------------- */

typedef struct page {
    cl_http_req *r;
    json_t *deals, *churns, *recoveries;
} page;

static int
deal_cb(void *ud, const cl_value *row)
{
    page *p = ud;
    unsigned mask = cl_http_record_mask(p->r, CL_KIND_DEALS, row);
    json_array_append_new(p->deals,
                          cl_http_record_json(CL_KIND_DEALS, row, mask));
    return 0;
}

static int
churn_cb(void *ud, const cl_value *row)
{
    page *p = ud;
    json_array_append_new(p->churns,
                          cl_http_record_json(CL_KIND_CHURNS, row,
                                              cl_http_record_mask(
                                                  p->r, CL_KIND_CHURNS, row)));
    return 0;
}

static int
recovery_cb(void *ud, const cl_value *row)
{
    page *p = ud;
    json_t *o = cl_http_record_json(
        CL_KIND_RECOVERIES, row,
        cl_http_record_mask(p->r, CL_KIND_RECOVERIES, row));
    /* A recovery names two deals of the account: list it once. */
    size_t i;
    json_t *x;
    json_array_foreach(p->recoveries, i, x) if (json_equal(x, o))
    {
        json_decref(o);
        return 0;
    }
    json_array_append_new(p->recoveries, o);
    return 0;
}

typedef struct cause_label {
    const char *code;
    json_t *out;
} cause_label;

static int
cause_cb(void *ud, const cl_cause *c)
{
    cause_label *l = ud;
    if (l->code && strcmp(c->code, l->code) == 0) {
        l->out = json_pack("{s:s, s:s}", "label", c->label, "definition",
                           c->definition);
        return 1;
    }
    return 0;
}

enum MHD_Result
cl__h_account_page(cl_http_req *r)
{
    cl_value key = {CL_V_TEXT, 0, 0, r->params[0]}, row[32];
    cl_error err;
    int found = 0;
    cl_err e;
    cl_error_clear(&err);
    if ((e = cl_store_get(r->st, CL_KIND_ACCOUNTS, &key, row, &found,
                          &err)) != CL_OK)
        return cl_http_fail(r, e, &err);
    if (!found)
        return cl_http_error(r, 404, "not_found", NULL, "no account '%s'",
                             r->params[0]);
    unsigned amask = cl_http_record_mask(r, CL_KIND_ACCOUNTS, row);
    if (!amask)
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read this account");
    json_t *account = cl_http_record_json(CL_KIND_ACCOUNTS, row, amask);
    page p = {r, json_array(), json_array(), json_array()};
    cl_store_filter f = {"account_id", r->params[0]};
    e = cl_store_list(r->st, CL_KIND_DEALS, &f, 1, -1, 0, deal_cb, &p, NULL,
                      &err);
    if (e == CL_OK)
        e = cl_store_list(r->st, CL_KIND_CHURNS, &f, 1, -1, 0, churn_cb, &p,
                          NULL, &err);

    /* Per deal: health, its review, the recoveries that name it. */
    char first_won[128] = "";
    int has_won = 0;
    json_t *review = json_null(), *health = json_null();
    size_t i;
    json_t *deal;
    if (e == CL_OK)
        e = cl_store_first_won_new_deal(r->st, r->params[0], first_won,
                                        sizeof first_won, &has_won, &err);
    json_array_foreach(p.deals, i, deal)
    {
        if (e != CL_OK)
            break;
        const char *id = cl_http_jstr(deal, "id");
        cl_store_filter rf[2] = {{"new_deal_id", id}, {"original_deal_id", id}};
        for (int k = 0; k < 2 && e == CL_OK; k++)
            e = cl_store_list(r->st, CL_KIND_RECOVERIES, &rf[k], 1, -1, 0,
                              recovery_cb, &p, NULL, &err);
        if (e != CL_OK || !has_won || strcmp(id, first_won) != 0)
            continue;
        /* The won deal's review and health, as far as the viewer may. */
        cl_value dkey = {CL_V_TEXT, 0, 0, id}, rrow[32], drow[32];
        int dfound = 0, rfound = 0;
        unsigned dmask = 0;
        if ((e = cl_store_get(r->st, CL_KIND_DEALS, &dkey, drow, &dfound,
                              &err)) == CL_OK &&
            dfound)
            dmask = cl_http_record_mask(r, CL_KIND_DEALS, drow);
        if (e == CL_OK && (dmask & CL_VG_PRIVATE)) {
            int score = -1;
            e = cl_store_deal_health(r->st, id, &score, &err);
            health = json_pack("{s:s, s:o}", "deal_id", id, "score",
                               score < 0 ? json_null() : json_integer(score));
        }
        if (e == CL_OK)
            e = cl_store_get(r->st, CL_KIND_REVIEWS, &dkey, rrow, &rfound,
                             &err);
        if (e == CL_OK && rfound) {
            json_t *full = cl_http_record_json(CL_KIND_REVIEWS, rrow,
                                               CL_VG_ALL);
            /* The review's private answers follow the deal's AE. */
            unsigned rmask = cl_vis_fields(
                &r->viewer, CL_VK_REVIEW,
                &(cl_vis_rel){.owner_id = json_string_value(
                                  json_object_get(deal, "ae_id"))});
            json_decref(review);
            review = cl_http_filter_json(CL_KIND_REVIEWS, full, rmask);
            json_decref(full);
        }
    }

    /* The latest churn with its tag's label. */
    json_t *churn = json_null();
    size_t nch = json_array_size(p.churns);
    if (e == CL_OK && nch) {
        churn = json_deep_copy(json_array_get(p.churns, nch - 1));
        cause_label l = {cl_http_jstr(churn, "primary_cause"), NULL};
        if (l.code)
            e = cl_store_causes(r->st, cause_cb, &l, &err);
        json_object_set_new(churn, "tag", l.out ? l.out : json_null());
    }

    /* The trail: the account, its churns, and its deals and reviews where
       the viewer may read their whole history. */
    json_t *audit = json_array();
    if (e == CL_OK)
        e = cl_store_audit_each(r->st, "accounts", r->params[0], audit_cb,
                                audit, &err);
    json_t *c;
    json_array_foreach(p.churns, i, c) if (e == CL_OK) e =
        cl_store_audit_each(r->st, "churns", cl_http_jstr(c, "id"), audit_cb,
                            audit, &err);
    json_array_foreach(p.deals, i, deal)
    {
        const char *id = cl_http_jstr(deal, "id");
        cl_vis_rel rel = {.owner_id = json_string_value(
                              json_object_get(deal, "ae_id"))};
        if (e == CL_OK && cl_vis_audit(&r->viewer, CL_VK_DEAL, &rel))
            e = cl_store_audit_each(r->st, "deals", id, audit_cb, audit, &err);
        if (e == CL_OK && cl_vis_audit(&r->viewer, CL_VK_REVIEW, &rel))
            e = cl_store_audit_each(r->st, "reviews", id, audit_cb, audit,
                                    &err);
    }
    if (e != CL_OK) {
        json_decref(account);
        json_decref(p.deals);
        json_decref(p.churns);
        json_decref(p.recoveries);
        json_decref(review);
        json_decref(health);
        json_decref(churn);
        json_decref(audit);
        return cl_http_fail(r, e, &err);
    }
    return cl_http_reply_json(
        r, 200,
        json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "account",
                  account, "deals", p.deals, "won_deal_review", review,
                  "health", health, "churn", churn, "churns", p.churns,
                  "recoveries", p.recoveries, "audit", audit),
        NULL);
}
