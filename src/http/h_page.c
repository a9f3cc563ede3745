/*
 * h_page.c - GET /api/v1/accounts/{id}/page: everything a person needs
 * about one account in one call (deals, the won-deal review and health,
 * churns with the latest one's tag, recoveries, the audit trail), as far as
 * the viewer may read it.
 *
 * This is the server's busiest read, so it is written as text as the rows
 * arrive (jsonw.h) rather than built as a jansson tree, and the audit log's
 * stored JSON is spliced in without being parsed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../store/store_api.h"
#include "../store/store_engine.h"
#include "http_int.h"
#include "jsonw.h"

/* What the page needs to remember of a deal after its row is gone. */
typedef struct page_deal {
    char id[72], ae_id[72], closed_on[16];
    int won_new;
} page_deal;

#define PAGE_MAX_RECOVERIES 64
#define PAGE_MAX_PEOPLE 64

typedef struct page {
    cl_http_req *r;
    cl_jw deals, churns, recoveries, audit;
    page_deal *d;
    size_t nd, capd;
    int oom;
    /* The latest churn: where its object starts in churns, and its cause. */
    size_t last_churn_at;
    char last_cause[64];
    int nchurns;
    char **churn_ids;
    size_t churn_cap;
    char *seen_recovery[PAGE_MAX_RECOVERIES];
    size_t nseen;
    /* The users the page names (their ids, to give their names). */
    char *people[PAGE_MAX_PEOPLE];
    size_t npeople;
} page;

static void
see_person(page *p, const char *id)
{
    if (id == NULL || *id == '\0')
        return;
    for (size_t i = 0; i < p->npeople; i++)
        if (strcmp(p->people[i], id) == 0)
            return;
    if (p->npeople < PAGE_MAX_PEOPLE &&
        (p->people[p->npeople] = strdup(id)) != NULL)
        p->npeople++;
}

/* Writes row as far as mask shows it, noting the users it names. */
static void
write_row(page *p, cl_jw *w, cl_kind kind, const cl_value *row, unsigned mask)
{
    const cl_kind_def *def = cl_kind_get(kind);
    cl_vis_kind vk = cl_http_vis_kind(kind);
    cl_http_record_write(w, kind, row, mask);
    for (size_t i = 0; i < def->nfields; i++) {
        const cl_field *f = &def->fields[i];
        if (f->type == CL_F_ID && f->ref == CL_KIND_USERS &&
            row[i].type == CL_V_TEXT &&
            (mask & cl_vis_field_group(vk, f->name)))
            see_person(p, row[i].s);
    }
}

static void
copy(char *dst, size_t len, const cl_value *v)
{
    snprintf(dst, len, "%s", v->type == CL_V_TEXT && v->s ? v->s : "");
}

static int
deal_cb(void *ud, const cl_value *row)
{
    page *p = ud;
    const cl_kind_def *def = cl_kind_get(CL_KIND_DEALS);
    if (cl_grow(&p->d, &p->capd, p->nd + 1, sizeof *p->d) != CL_OK) {
        p->oom = 1;
        return 1;
    }
    page_deal *d = &p->d[p->nd++];
    copy(d->id, sizeof d->id, &row[0]);
    copy(d->ae_id, sizeof d->ae_id, &row[cl_kind_field_index(def, "ae_id")]);
    copy(d->closed_on, sizeof d->closed_on,
         &row[cl_kind_field_index(def, "closed_on")]);
    const cl_value *stage = &row[cl_kind_field_index(def, "stage")];
    const cl_value *type = &row[cl_kind_field_index(def, "type")];
    d->won_new = stage->type == CL_V_TEXT && type->type == CL_V_TEXT &&
                 strcmp(stage->s, "closed_won") == 0 &&
                 strcmp(type->s, "new") == 0;
    write_row(p, &p->deals, CL_KIND_DEALS, row,
              cl_http_record_mask(p->r, CL_KIND_DEALS, row));
    return 0;
}

static int
churn_cb(void *ud, const cl_value *row)
{
    page *p = ud;
    const cl_kind_def *def = cl_kind_get(CL_KIND_CHURNS);
    /* The comma the writer puts before a second object is not part of it. */
    if (cl_grow(&p->churn_ids, &p->churn_cap, (size_t)p->nchurns + 1,
                sizeof *p->churn_ids) != CL_OK ||
        (p->churn_ids[p->nchurns] = strdup(row[0].s)) == NULL) {
        p->oom = 1;
        return 1;
    }
    p->last_churn_at = p->churns.b.len + (p->nchurns > 0);
    p->nchurns++;
    copy(p->last_cause, sizeof p->last_cause,
         &row[cl_kind_field_index(def, "primary_cause")]);
    write_row(p, &p->churns, CL_KIND_CHURNS, row,
              cl_http_record_mask(p->r, CL_KIND_CHURNS, row));
    return 0;
}

static int
recovery_cb(void *ud, const cl_value *row)
{
    page *p = ud;
    /* A recovery names two deals of the account: list it once. */
    for (size_t i = 0; i < p->nseen; i++)
        if (strcmp(p->seen_recovery[i], row[0].s) == 0)
            return 0;
    if (p->nseen < PAGE_MAX_RECOVERIES &&
        (p->seen_recovery[p->nseen] = strdup(row[0].s)) != NULL)
        p->nseen++;
    write_row(p, &p->recoveries, CL_KIND_RECOVERIES, row,
              cl_http_record_mask(p->r, CL_KIND_RECOVERIES, row));
    return 0;
}

static int
audit_cb(void *ud, const cl_audit_entry *e)
{
    page *p = ud;
    cl_jw *w = &p->audit;
    see_person(p, e->actor);
    cl_jw_obj(w);
    cl_jw_key(w, "id");
    cl_jw_int(w, e->id);
    cl_jw_key(w, "at");
    cl_jw_str(w, e->at);
    cl_jw_key(w, "actor");
    cl_jw_str(w, e->actor);
    cl_jw_key(w, "entity");
    cl_jw_str(w, e->entity);
    cl_jw_key(w, "entity_id");
    cl_jw_str(w, e->entity_id);
    cl_jw_key(w, "action");
    cl_jw_str(w, e->action);
    /* The store wrote these as JSON in the same transaction as the change. */
    cl_jw_key(w, "old");
    cl_jw_raw(w, e->old_json);
    cl_jw_key(w, "new");
    cl_jw_raw(w, e->new_json);
    cl_jw_obj_end(w);
    return 0;
}

typedef struct cause_label {
    const char *code;
    cl_jw *w;
    int found;
} cause_label;

static int
cause_cb(void *ud, const cl_cause *c)
{
    cause_label *l = ud;
    if (strcmp(c->code, l->code) != 0)
        return 0;
    cl_jw_obj(l->w);
    cl_jw_key(l->w, "label");
    cl_jw_str(l->w, c->label);
    cl_jw_key(l->w, "definition");
    cl_jw_str(l->w, c->definition);
    cl_jw_obj_end(l->w);
    l->found = 1;
    return 1;
}

/* The account's earliest won new deal (by close date, then id): the one
   whose review and health the page shows, as the store links churns. */
static const page_deal *
first_won(const page *p)
{
    const page_deal *best = NULL;
    for (size_t i = 0; i < p->nd; i++) {
        const page_deal *d = &p->d[i];
        if (!d->won_new)
            continue;
        int c = best ? strcmp(d->closed_on, best->closed_on) : -1;
        if (c < 0 || (c == 0 && strcmp(d->id, best->id) < 0))
            best = d;
    }
    return best;
}

/* One reading of the health history (issue 14). */
static int
health_cb(void *ud, const cl_store_health_row *h)
{
    page *p = ((void **)ud)[0];
    cl_jw *w = ((void **)ud)[1];
    see_person(p, h->recorded_by);
    cl_jw_obj(w);
    cl_jw_key(w, "on");
    cl_jw_str(w, h->recorded_on);
    cl_jw_key(w, "score");
    cl_jw_int(w, h->score);
    cl_jw_key(w, "source");
    cl_jw_str(w, h->source);
    cl_jw_key(w, "note");
    if (h->note)
        cl_jw_str(w, h->note);
    else
        cl_jw_null(w);
    cl_jw_key(w, "by");
    if (h->recorded_by)
        cl_jw_str(w, h->recorded_by);
    else
        cl_jw_null(w);
    cl_jw_obj_end(w);
    return 0;
}

/* Writes the won deal's review (as far as the viewer may) and health. */
static cl_err
write_review(page *p, const page_deal *won, cl_jw *out, cl_error *err)
{
    cl_http_req *r = p->r;
    cl_value dkey = {CL_V_TEXT, 0, 0, won->id}, row[32];
    int found = 0;
    cl_vis_rel rel = {.owner_id = won->ae_id};
    unsigned dmask = cl_vis_fields(&r->viewer, CL_VK_DEAL, &rel);

    cl_jw_key(out, "won_deal_review");
    cl_err e = cl_store_get(r->st, CL_KIND_REVIEWS, &dkey, row, &found, err);
    if (e != CL_OK)
        return e;
    if (found)
        /* The review's private answers follow the deal's AE. */
        write_row(p, out, CL_KIND_REVIEWS, row,
                  cl_vis_fields(&r->viewer, CL_VK_REVIEW, &rel));
    else
        cl_jw_null(out);

    cl_jw_key(out, "health");
    if (!(dmask & CL_VG_PRIVATE)) {
        cl_jw_null(out);
        return CL_OK;
    }
    int score = -1;
    if ((e = cl_store_deal_health(r->st, won->id, &score, err)) != CL_OK)
        return e;
    cl_jw_obj(out);
    cl_jw_key(out, "deal_id");
    cl_jw_str(out, won->id);
    cl_jw_key(out, "score");
    if (score < 0)
        cl_jw_null(out);
    else
        cl_jw_int(out, score);
    /* Every reading, oldest first: the review's, then each check-in's; the
       score above is the latest. */
    cl_jw_key(out, "history");
    cl_jw_arr(out);
    void *ud[2] = {p, out};
    e = cl_store_health_each(r->st, won->id, health_cb, ud, err);
    cl_jw_arr_end(out);
    cl_jw_obj_end(out);
    return e;
}

/* The latest churn's object with its tag's label and definition, and
   closed_on (null while open). */
static cl_err
write_latest_churn(page *p, cl_jw *out, cl_error *err)
{
    cl_jw_key(out, "churn");
    if (p->nchurns == 0) {
        cl_jw_null(out);
        return CL_OK;
    }
    /* The object runs to the list's closing bracket. */
    const char *obj = p->churns.b.p + p->last_churn_at;
    size_t n = strlen(obj) - 1;
    cl_jw tag;
    cl_jw_init(&tag);
    cause_label l = {p->last_cause, &tag, 0};
    cl_err e =
        p->last_cause[0] ? cl_store_causes(p->r->st, cause_cb, &l, err) : CL_OK;
    char closed[16] = "";
    if (e == CL_OK)
        e = cl__http_churn_closed_on(p->r, p->churn_ids[p->nchurns - 1], closed,
                                     err);
    /* The object without its closing brace, then the tag and the day. */
    cl_buf text = {.oom = tag.b.oom};
    cl_buf_printf(&text, "%.*s%s\"tag\":%s,\"closed_on\":", (int)(n - 1), obj,
                  n > 2 ? "," : "", l.found ? tag.b.p : "null");
    if (*closed)
        cl_buf_json_str(&text, closed);
    else
        cl_buf_str(&text, "null");
    cl_buf_str(&text, "}");
    cl_jw_free(&tag);
    char *t = cl_buf_take(&text, NULL);
    if (t == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    cl_jw_raw(out, t);
    free(t);
    return e;
}

/* The trail, oldest first: the account, its churns, and its deals and
   reviews where the viewer may read their whole history. */
static cl_err
write_audit(page *p, const char *account_id, cl_error *err)
{
    cl_http_req *r = p->r;
    size_t n = 0, cap = 1 + (size_t)p->nchurns + 2 * p->nd;
    cl_store_audit_key *keys = malloc(cap * sizeof *keys);
    if (keys == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    keys[n++] = (cl_store_audit_key){"accounts", account_id};
    for (int i = 0; i < p->nchurns; i++)
        keys[n++] = (cl_store_audit_key){"churns", p->churn_ids[i]};
    for (size_t i = 0; i < p->nd; i++) {
        cl_vis_rel rel = {.owner_id = p->d[i].ae_id};
        if (cl_vis_audit(&r->viewer, CL_VK_DEAL, &rel))
            keys[n++] = (cl_store_audit_key){"deals", p->d[i].id};
        if (cl_vis_audit(&r->viewer, CL_VK_REVIEW, &rel))
            keys[n++] = (cl_store_audit_key){"reviews", p->d[i].id};
    }
    cl_jw_arr(&p->audit);
    cl_err e = CL_OK;
    /* An account with hundreds of deals reads its trail in parts. */
    for (size_t at = 0; e == CL_OK && at < n; at += CL_STORE_AUDIT_KEYS_MAX) {
        size_t part =
            n - at < CL_STORE_AUDIT_KEYS_MAX ? n - at : CL_STORE_AUDIT_KEYS_MAX;
        e = cl_store_audit_of(r->st, keys + at, part, audit_cb, p, err);
    }
    cl_jw_arr_end(&p->audit);
    free(keys);
    return e;
}

/* "people": the names of the users the page names (CSM, AEs, who tagged,
   the audit's actors), each beside an id the viewer may see already. */
static cl_err
write_people(page *p, cl_jw *out, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(CL_KIND_USERS);
    int name = cl_kind_field_index(def, "name");
    cl_jw_key(out, "people");
    cl_jw_obj(out);
    for (size_t i = 0; i < p->npeople; i++) {
        cl_value key = {CL_V_TEXT, 0, 0, p->people[i]}, row[32];
        int found = 0;
        cl_err e =
            cl_store_get(p->r->st, CL_KIND_USERS, &key, row, &found, err);
        if (e != CL_OK)
            return e;
        if (found && row[name].type == CL_V_TEXT) {
            cl_jw_key(out, p->people[i]);
            cl_jw_str(out, row[name].s);
        }
    }
    cl_jw_obj_end(out);
    return CL_OK;
}

static void
page_free(page *p)
{
    cl_jw_free(&p->deals);
    cl_jw_free(&p->churns);
    cl_jw_free(&p->recoveries);
    cl_jw_free(&p->audit);
    for (size_t i = 0; i < p->nseen; i++)
        free(p->seen_recovery[i]);
    for (size_t i = 0; i < p->npeople; i++)
        free(p->people[i]);
    for (int i = 0; i < p->nchurns; i++)
        free(p->churn_ids[i]);
    free(p->churn_ids);
    free(p->d);
}

enum MHD_Result
cl__h_account_page(cl_http_req *r)
{
    const char *id = r->params[0];
    cl_value key = {CL_V_TEXT, 0, 0, id}, row[32];
    cl_error err;
    int found = 0;
    cl_err e;
    cl_error_clear(&err);
    if ((e = cl_store_get(r->st, CL_KIND_ACCOUNTS, &key, row, &found, &err)) !=
        CL_OK)
        return cl_http_fail(r, e, &err);
    if (!found)
        return cl_http_error(r, 404, "not_found", NULL, "no account '%s'", id);
    unsigned amask = cl_http_record_mask(r, CL_KIND_ACCOUNTS, row);
    if (!amask)
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read this account");

    page p;
    memset(&p, 0, sizeof p);
    p.r = r;
    cl_jw out;
    cl_jw_init(&out);
    cl_jw_obj(&out);
    cl_jw_key(&out, "account");
    write_row(&p, &out, CL_KIND_ACCOUNTS, row, amask);
    cl_jw_arr(&p.deals);
    cl_jw_arr(&p.churns);
    cl_jw_arr(&p.recoveries);
    cl_store_filter f = {"account_id", id};
    e = cl_store_list(r->st, CL_KIND_DEALS, &f, 1, -1, 0, deal_cb, &p, NULL,
                      &err);
    if (e == CL_OK)
        e = cl_store_list(r->st, CL_KIND_CHURNS, &f, 1, -1, 0, churn_cb, &p,
                          NULL, &err);
    /* Two seeks per deal beat one query with subqueries: SQLite builds a
       temporary table for each subquery (measured with callgrind). */
    for (size_t i = 0; e == CL_OK && i < p.nd; i++) {
        cl_store_filter rf[2] = {{"new_deal_id", p.d[i].id},
                                 {"original_deal_id", p.d[i].id}};
        for (int k = 0; k < 2 && e == CL_OK; k++)
            e = cl_store_list(r->st, CL_KIND_RECOVERIES, &rf[k], 1, -1, 0,
                              recovery_cb, &p, NULL, &err);
    }
    if (e == CL_OK && p.oom)
        e = cl_error_set(&err, CL_ENOMEM, "out of memory");
    cl_jw_arr_end(&p.deals);
    cl_jw_arr_end(&p.churns);
    cl_jw_arr_end(&p.recoveries);

    cl_jw_key(&out, "deals");
    cl_jw_raw(&out, p.deals.b.p);
    const page_deal *won = first_won(&p);
    if (e == CL_OK && won)
        e = write_review(&p, won, &out, &err);
    else {
        cl_jw_key(&out, "won_deal_review");
        cl_jw_null(&out);
        cl_jw_key(&out, "health");
        cl_jw_null(&out);
    }
    if (e == CL_OK)
        e = write_latest_churn(&p, &out, &err);
    cl_jw_key(&out, "churns");
    cl_jw_raw(&out, p.churns.b.p);
    cl_jw_key(&out, "recoveries");
    cl_jw_raw(&out, p.recoveries.b.p);
    if (e == CL_OK)
        e = write_audit(&p, id, &err);
    cl_jw_key(&out, "audit");
    cl_jw_raw(&out, p.audit.b.p);
    if (e == CL_OK)
        e = write_people(&p, &out, &err);
    cl_jw_obj_end(&out);
    /* A part cut short by out of memory must not be sent as if whole. */
    if (e == CL_OK && (p.deals.b.oom || p.churns.b.oom || p.recoveries.b.oom ||
                       p.audit.b.oom))
        e = cl_error_set(&err, CL_ENOMEM, "out of memory");
    page_free(&p);

    if (e != CL_OK) {
        cl_jw_free(&out);
        return cl_http_fail(r, e, &err);
    }
    size_t len;
    char *text = cl_jw_take(&out, &len);
    if (text == NULL)
        return cl_http_error(r, 500, "internal", NULL, "out of memory");
    return cl_http_reply_text(r, 200, text, len);
}
