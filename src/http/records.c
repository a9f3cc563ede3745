/*
 * records.c - canonical records as JSON, filtered through the visibility
 * rules; ETags.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/icp_expr.h"
#include "../core/visibility.h"
#include "../store/store_engine.h"
#include "http_int.h"
#include "jsonw.h"

cl_vis_kind
cl_http_vis_kind(cl_kind kind)
{
    switch (kind) {
    case CL_KIND_USERS: return CL_VK_USER;
    case CL_KIND_ACCOUNTS: return CL_VK_ACCOUNT;
    case CL_KIND_DEALS: return CL_VK_DEAL;
    case CL_KIND_CHURNS: return CL_VK_CHURN;
    case CL_KIND_RECOVERIES: return CL_VK_RECOVERY;
    case CL_KIND_REVIEWS: return CL_VK_REVIEW;
    case CL_KIND_HOLIDAYS: return CL_VK_HOLIDAY;
    default: return CL_VK_SETTINGS;
    }
}

int
cl_http_record_key(cl_kind kind, const char *id, cl_value *key)
{
    *key = (cl_value){.type = CL_V_TEXT, .s = id};
    if (cl_kind_get(kind)->fields[0].type != CL_F_INT)
        return 0;
    /* A numbered record (an ICP version): the path's text as its number;
       anything else names no record. */
    char *end;
    key->type = CL_V_INT;
    key->i = strtoll(id, &end, 10);
    return *id == '\0' || *end != '\0' ? -1 : 0;
}

cl_err
cl__http_row_refs(cl_store *st, cl_kind kind, const cl_value *row,
                  const char **field, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(kind);
    *field = NULL;
    for (size_t i = 0; i < def->nfields; i++) {
        const cl_field *f = &def->fields[i];
        if (f->type != CL_F_ID || f->ref == CL_KIND_NONE ||
            row[i].type != CL_V_TEXT)
            continue;
        cl_value key = row[i], other[32];
        int found = 0;
        cl_err e = cl_store_get(st, f->ref, &key, other, &found, err);
        if (e != CL_OK || !found) {
            *field = f->name;
            return cl_error_set(err, CL_EINVAL, "%s: no %s '%s'", f->name,
                                cl_kind_get(f->ref)->name, row[i].s);
        }
    }
    return CL_OK;
}

json_t *
cl_http_record_json(cl_kind kind, const cl_value *row, unsigned mask)
{
    const cl_kind_def *def = cl_kind_get(kind);
    cl_vis_kind vk = cl_http_vis_kind(kind);
    json_t *o = json_object();
    for (size_t i = 0; i < def->nfields; i++) {
        const cl_field *f = &def->fields[i];
        if (!(mask & cl_vis_field_group(vk, f->name)))
            continue;
        json_t *v;
        switch (row[i].type) {
        case CL_V_NULL:
            v = json_null();
            break;
        case CL_V_INT:
            v = f->type == CL_F_BOOL ? json_boolean(row[i].i)
                                     : json_integer(row[i].i);
            break;
        case CL_V_REAL:
            v = json_real(row[i].r);
            break;
        default:
            v = json_string(row[i].s);
        }
        json_object_set_new(o, f->name, v);
    }
    /* An ICP version's rule in words beside its text (issue 16): the UI
       shows it, the text stays what RevOps edits. */
    json_t *criteria = json_object_get(o, "criteria");
    if (kind == CL_KIND_ICP && json_is_string(criteria)) {
        char *words = cl_icp_text_words(json_string_value(criteria));
        json_object_set_new(o, "criteria_words",
                            words ? json_string(words) : json_null());
        free(words);
    }
    return o;
}

void
cl_http_record_write(cl_jw *w, cl_kind kind, const cl_value *row,
                     unsigned mask)
{
    const cl_kind_def *def = cl_kind_get(kind);
    cl_vis_kind vk = cl_http_vis_kind(kind);
    cl_jw_obj(w);
    for (size_t i = 0; i < def->nfields; i++) {
        const cl_field *f = &def->fields[i];
        if (!(mask & cl_vis_field_group(vk, f->name)))
            continue;
        cl_jw_key(w, f->name);
        switch (row[i].type) {
        case CL_V_NULL:
            cl_jw_null(w);
            break;
        case CL_V_INT:
            if (f->type == CL_F_BOOL)
                cl_jw_bool(w, (int)row[i].i);
            else
                cl_jw_int(w, row[i].i);
            break;
        case CL_V_REAL:
            cl_jw_real(w, row[i].r);
            break;
        default:
            cl_jw_str(w, row[i].s);
        }
    }
    /* As cl_http_record_json: an ICP version's rule in words. */
    int c = cl_kind_field_index(def, "criteria");
    if (kind == CL_KIND_ICP && c >= 0 && row[c].type == CL_V_TEXT &&
        (mask & cl_vis_field_group(vk, "criteria"))) {
        char *words = cl_icp_text_words(row[c].s);
        cl_jw_key(w, "criteria_words");
        if (words)
            cl_jw_str(w, words);
        else
            cl_jw_null(w);
        free(words);
    }
    cl_jw_obj_end(w);
}

json_t *
cl_http_filter_json(cl_kind kind, json_t *full, unsigned mask)
{
    cl_vis_kind vk = cl_http_vis_kind(kind);
    json_t *o = json_object(), *v;
    const char *k;
    json_object_foreach(full, k, v) if (mask & cl_vis_field_group(vk, k))
        json_object_set(o, k, v);
    return o;
}

void
cl_http_etag(json_t *doc, char out[24])
{
    /* FNV-1a over the compact, key-sorted text: equal records, equal tags. */
    char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    uint64_t h = 14695981039346656037ull;
    for (const char *p = text; p && *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    free(text);
    snprintf(out, 24, "\"%016llx\"", (unsigned long long)h);
}

typedef struct deal_ae {
    char ae[72], manager[72];
} deal_ae;

static int
deal_ae_cb(void *ud, const cl_store_deal_row *row)
{
    deal_ae *d = ud;
    snprintf(d->ae, sizeof d->ae, "%s", row->ae_id ? row->ae_id : "");
    snprintf(d->manager, sizeof d->manager, "%s",
             row->ae_manager_id ? row->ae_manager_id : "");
    return 1;
}

/* What the viewer's rules need to know of row (d holds the strings). */
static void
fill_rel(cl_http_req *r, cl_kind kind, const cl_value *row, cl_vis_rel *rel,
         deal_ae *d)
{
    cl_error err;
    memset(rel, 0, sizeof *rel);
    switch (kind) {
    case CL_KIND_USERS:
        rel->owner_id = row[0].s;
        rel->owner_role = row[3].s;
        break;
    case CL_KIND_DEALS:
        rel->owner_id = row[2].type == CL_V_TEXT ? row[2].s : NULL;
        break;
    case CL_KIND_REVIEWS:
        /* A review is private to the AE of its deal. */
        cl_error_clear(&err);
        if (row[0].type == CL_V_TEXT &&
            cl_store_deals_sel(r->st, CL_SD_ONE, row[0].s, deal_ae_cb, d,
                               &err) == CL_OK) {
            rel->owner_id = d->ae;
            rel->owner_manager_id = d->manager;
        }
        break;
    default:
        break;
    }
}

unsigned
cl_http_record_mask(cl_http_req *r, cl_kind kind, const cl_value *row)
{
    cl_vis_rel rel;
    deal_ae d = {"", ""};
    fill_rel(r, kind, row, &rel, &d);
    return cl_vis_fields(&r->viewer, cl_http_vis_kind(kind), &rel);
}

int
cl_http_record_audit(cl_http_req *r, cl_kind kind, const cl_value *row)
{
    cl_vis_rel rel;
    deal_ae d = {"", ""};
    fill_rel(r, kind, row, &rel, &d);
    return cl_vis_audit(&r->viewer, cl_http_vis_kind(kind), &rel);
}

/* ---- people's names ---------------------------------------------------- */

/* A text field of the record of kind keyed id, copied into out ("" when
   there is no such record or the field is empty). */
static cl_err
field_of(cl_http_req *r, cl_kind kind, const char *id, const char *field,
         char *out, size_t size, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(kind);
    cl_value key = {CL_V_TEXT, 0, 0, id}, row[32];
    int found = 0;
    out[0] = '\0';
    cl_err e = cl_store_get(r->st, kind, &key, row, &found, err);
    const cl_value *v = &row[cl_kind_field_index(def, field)];
    if (e == CL_OK && found && v->type == CL_V_TEXT)
        snprintf(out, size, "%s", v->s);
    return e;
}

cl_err
cl_http_user_name(cl_http_req *r, json_t *names, const char *id,
                  cl_error *err)
{
    char name[512];
    if (!id || !*id || json_object_get(names, id))
        return CL_OK;
    cl_err e = field_of(r, CL_KIND_USERS, id, "name", name, sizeof name, err);
    if (e == CL_OK && name[0])
        json_object_set_new(names, id, json_string(name));
    return e;
}

cl_err
cl_http_name_items(cl_http_req *r, json_t *items, const char *id_key,
                   const char *name_key, cl_error *err)
{
    json_t *names = json_object(), *it;
    size_t i;
    cl_err e = CL_OK;
    if (names == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    json_array_foreach(items, i, it)
    {
        const char *id = json_string_value(json_object_get(it, id_key));
        if (e == CL_OK)
            e = cl_http_user_name(r, names, id, err);
        json_t *n = id ? json_object_get(names, id) : NULL;
        if (n)
            json_object_set(it, name_key, n);
    }
    json_decref(names);
    return e;
}

typedef struct task_subject {
    char kind[32], id[128];
} task_subject;

static int
task_subject_cb(void *ud, const cl_store_task_row *t)
{
    task_subject *ts = ud;
    snprintf(ts->kind, sizeof ts->kind, "%s",
             t->subject_kind ? t->subject_kind : "");
    snprintf(ts->id, sizeof ts->id, "%s", t->subject_id ? t->subject_id : "");
    return 1;
}

/* The account of the subject kind:id ("" for subjects of no account); a
   task (a reminder is about one) stands for its own subject. */
static cl_err
subject_account(cl_http_req *r, const char *kind, const char *id, char *out,
                size_t size, cl_error *err)
{
    char deal[128];
    out[0] = '\0';
    if (!strcmp(kind, "task")) {
        task_subject ts = {"", ""};
        char *end;
        cl_store_task_filter f = {.id = strtoll(id, &end, 10)};
        if (*end || f.id <= 0)
            return CL_OK;
        cl_err e = cl_store_tasks_each(r->st, &f, task_subject_cb, &ts, err);
        if (e != CL_OK || !ts.kind[0] || !strcmp(ts.kind, "task"))
            return e;
        return subject_account(r, ts.kind, ts.id, out, size, err);
    }
    if (!strcmp(kind, "account")) {
        snprintf(out, size, "%s", id);
        return CL_OK;
    }
    if (!strcmp(kind, "deal"))
        return field_of(r, CL_KIND_DEALS, id, "account_id", out, size, err);
    if (!strcmp(kind, "churn"))
        return field_of(r, CL_KIND_CHURNS, id, "account_id", out, size, err);
    if (!strcmp(kind, "recovery")) {
        cl_err e = field_of(r, CL_KIND_RECOVERIES, id, "new_deal_id", deal,
                            sizeof deal, err);
        if (e != CL_OK || !deal[0])
            return e;
        return field_of(r, CL_KIND_DEALS, deal, "account_id", out, size,
                        err);
    }
    return CL_OK;
}

cl_err
cl_http_name_accounts(cl_http_req *r, json_t *items, cl_error *err)
{
    json_t *seen = json_object(), *it;
    size_t i;
    cl_err e = CL_OK;
    if (seen == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    json_array_foreach(items, i, it)
    {
        const char *kind = json_string_value(json_object_get(it, "subject_kind"));
        const char *id = json_string_value(json_object_get(it, "subject_id"));
        if (e != CL_OK || !kind || !id)
            continue;
        char key[160], acc[128], name[512];
        snprintf(key, sizeof key, "%s:%s", kind, id);
        json_t *known = json_object_get(seen, key);
        if (!known) {
            e = subject_account(r, kind, id, acc, sizeof acc, err);
            name[0] = '\0';
            if (e == CL_OK && acc[0])
                e = field_of(r, CL_KIND_ACCOUNTS, acc, "name", name,
                             sizeof name, err);
            known = acc[0] && name[0] ? json_pack("[s, s]", acc, name)
                                      : json_null();
            json_object_set_new(seen, key, known);
        }
        if (json_is_array(known)) {
            json_object_set(it, "account_id", json_array_get(known, 0));
            json_object_set(it, "account_name", json_array_get(known, 1));
        }
    }
    json_decref(seen);
    return e;
}
