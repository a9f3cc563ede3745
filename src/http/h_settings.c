/*
 * h_settings.c - what RevOps tunes:
 *   GET   /api/v1/settings/taxonomy, PATCH /api/v1/settings/taxonomy/{code}
 *   GET   /api/v1/settings/thresholds,
 *   PATCH /api/v1/settings/thresholds/{key}
 *   GET   /api/v1/settings/config, PATCH /api/v1/settings/config
 * (holidays and users are records: /api/v1/holidays, /api/v1/users).
 * Every PATCH needs If-Match with the ETag of what was read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/config_keys.h"
#include "../core/taxonomy.h"
#include "../store/store_api.h"
#include "../store/store_engine.h"
#include "http_int.h"

static int
cause_cb(void *ud, const cl_cause *c)
{
    json_array_append_new(
        ud,
        json_pack("{s:s, s:s, s:s, s:b, s:s}", "code", c->code, "label",
                  c->label, "definition", c->definition, "sales_attributable",
                  c->sales_attributable, "routes_to", c->routes_to));
    return 0;
}

/* A threshold as stored, with the range and unit it may be set in so a
   form can show them (taxonomy.h). */
static int
threshold_cb(void *ud, const char *key, double value)
{
    json_t *item = json_pack("{s:s, s:f}", "key", key, "value", value);
    const cl_threshold *t = cl_threshold_find(key);
    if (t)
        json_object_update_new(
            item, json_pack("{s:f, s:f, s:s, s:b, s:s}", "min", t->min, "max",
                            t->max, "unit", t->unit, "whole", t->whole,
                            "description", t->description));
    json_array_append_new(ud, item);
    return 0;
}

/* The item of list whose field `by` is key, or NULL. */
static json_t *
find(json_t *list, const char *by, const char *key)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i,
                       x) if (!strcmp(cl_http_jstr(x, by), key)) return x;
    return NULL;
}

typedef cl_err (*list_fn)(cl_http_req *r, json_t *items, cl_error *err);

static cl_err
taxonomy(cl_http_req *r, json_t *items, cl_error *err)
{
    return cl_store_causes(r->st, cause_cb, items, err);
}

static cl_err
thresholds(cl_http_req *r, json_t *items, cl_error *err)
{
    return cl_store_thresholds(r->st, threshold_cb, items, err);
}

/* GET of a settings list, each item with its ETag. */
static enum MHD_Result
get_list(cl_http_req *r, list_fn fn)
{
    cl_error err;
    if (!cl_vis_fields(&r->viewer, CL_VK_SETTINGS, NULL))
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read settings");
    json_t *items = json_array();
    cl_error_clear(&err);
    cl_err e = fn(r, items, &err);
    if (e != CL_OK) {
        json_decref(items);
        return cl_http_fail(r, e, &err);
    }
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x)
    {
        char etag[24];
        cl_http_etag(x, etag);
        json_object_set_new(x, "etag", json_string(etag));
    }
    return cl_http_reply_json(r, 200, json_pack("{s:o}", "items", items), NULL);
}

enum MHD_Result
cl__h_taxonomy(cl_http_req *r)
{
    return get_list(r, taxonomy);
}

enum MHD_Result
cl__h_thresholds(cl_http_req *r)
{
    return get_list(r, thresholds);
}

/*
 * The shared steps of a settings PATCH: the role, If-Match present, the
 * item exists and is unchanged.  Returns the body (caller frees) or NULL
 * with *done set.  Runs inside the transaction it opens.
 */
static json_t *
begin_patch(cl_http_req *r, const cl_jfield *f, size_t n, list_fn fn,
            const char *by, enum MHD_Result *done)
{
    cl_error err;
    const char *if_match =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-Match");
    if (!if_match) {
        *done = cl_http_error(r, 428, "if_match_required", "If-Match",
                              "send If-Match with the ETag you read");
        return NULL;
    }
    json_t *body = cl_http_body(r, f, n, done);
    if (!body)
        return NULL;
    cl_error_clear(&err);
    cl_err e = cl_store_begin(r->st, r->user_id, r->now, &err);
    json_t *items = json_array();
    if (e == CL_OK)
        e = fn(r, items, &err);
    if (e != CL_OK) {
        cl_store_rollback(r->st);
        json_decref(items);
        json_decref(body);
        *done = cl_http_fail(r, e, &err);
        return NULL;
    }
    json_t *item = find(items, by, r->params[0]);
    char etag[24];
    if (item)
        cl_http_etag(item, etag);
    if (!item || (strcmp(etag, if_match) && strcmp(if_match, "*"))) {
        cl_store_rollback(r->st);
        *done = !item ? cl_http_error(r, 404, "not_found", NULL, "no '%s'",
                                      r->params[0])
                      : cl_http_error(r, 412, "stale", NULL,
                                      "it changed since you read it (ETag "
                                      "%s); read it again",
                                      etag);
        json_decref(items);
        json_decref(body);
        return NULL;
    }
    json_decref(items);
    return body;
}

/* Commits and answers with the item as it now is. */
static enum MHD_Result
end_patch(cl_http_req *r, cl_err e, cl_error *err, list_fn fn, const char *by)
{
    if (e == CL_OK)
        e = cl_store_commit(r->st, err);
    if (e != CL_OK) {
        cl_store_rollback(r->st);
        return cl_http_fail(r, e, err);
    }
    json_t *items = json_array();
    e = fn(r, items, err);
    json_t *item = e == CL_OK ? find(items, by, r->params[0]) : NULL;
    if (!item) {
        json_decref(items);
        return cl_http_fail(r, e ? e : CL_EDB, err);
    }
    char etag[24];
    cl_http_etag(item, etag);
    json_incref(item);
    json_decref(items);
    return cl_http_reply_json(r, 200, item, etag);
}

enum MHD_Result
cl__h_taxonomy_set(cl_http_req *r)
{
    static const cl_jfield f[] = {{"label", CL_J_STRING, 0},
                                  {"definition", CL_J_STRING, 0}};
    enum MHD_Result done;
    cl_error err;
    int found;
    json_t *body = begin_patch(r, f, 2, taxonomy, "code", &done);
    if (!body)
        return done;
    const char *label = cl_http_jstr(body, "label");
    const char *def = cl_http_jstr(body, "definition");
    if ((label && !*label) || (def && !*def)) {
        cl_store_rollback(r->st);
        json_decref(body);
        return cl_http_error(r, 400, "invalid",
                             label && !*label ? "label" : "definition",
                             "a cause needs a label and a definition");
    }
    cl_error_clear(&err);
    cl_err e =
        cl_store_cause_set(r->st, r->params[0], label, def, &found, &err);
    json_decref(body);
    return end_patch(r, e, &err, taxonomy, "code");
}

enum MHD_Result
cl__h_threshold_set(cl_http_req *r)
{
    static const cl_jfield f[] = {{"value", CL_J_NUMBER, 1}};
    enum MHD_Result done;
    cl_error err;
    int found;
    json_t *body = begin_patch(r, f, 1, thresholds, "key", &done);
    if (!body)
        return done;
    double v = json_number_value(json_object_get(body, "value"));
    json_decref(body);
    cl_error_clear(&err);
    if (cl_threshold_check(r->params[0], v, &err) != CL_OK) {
        cl_store_rollback(r->st);
        return cl_http_error(r, 400, "invalid", "value", "%s", err.msg);
    }
    cl_err e = cl_store_threshold_set(r->st, r->params[0], v, &found, &err);
    return end_patch(r, e, &err, thresholds, "key");
}

/* ---- delivery and routing configuration ------------------------------- */

static int
config_cb(void *ud, const char *key, const char *value)
{
    /* A secret is write-only: the API says it is set, never what it is. */
    if (cl_config_secret(key)) {
        json_object_set_new(ud, key, json_pack("{s:b}", "set", 1));
    } else if (cl_config_key_find(key)) {
        json_object_set_new(ud, key, json_string(value));
    }
    return 0;
}

static cl_err
config_doc(cl_http_req *r, json_t **out, cl_error *err)
{
    *out = json_object();
    return cl_store_config_each(r->st, config_cb, *out, err);
}

enum MHD_Result
cl__h_config(cl_http_req *r)
{
    cl_error err;
    json_t *doc;
    char etag[24];
    /* Delivery settings may hold credentials (an SMTP url): the route
       admits only the roles that change settings. */
    cl_error_clear(&err);
    cl_err e = config_doc(r, &doc, &err);
    if (e != CL_OK) {
        json_decref(doc);
        return cl_http_fail(r, e, &err);
    }
    cl_http_etag(doc, etag);
    return cl_http_reply_json(r, 200, doc, etag);
}

enum MHD_Result
cl__h_config_set(cl_http_req *r)
{
    cl_jfield f[32];
    size_t n = 0, nkeys;
    const cl_config_key *keys = cl_config_keys(&nkeys);
    enum MHD_Result done;
    cl_error err;
    json_t *doc;
    char etag[24];
    const char *if_match =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-Match");
    if (!if_match)
        return cl_http_error(r, 428, "if_match_required", "If-Match",
                             "send If-Match with the ETag you read");
    for (; n < nkeys && n < sizeof f / sizeof f[0]; n++)
        f[n] = (cl_jfield){keys[n].key, CL_J_STRING, 0};
    json_t *body = cl_http_body(r, f, n, &done);
    if (!body)
        return done;
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        cl_error_clear(&err);
        if (!json_is_string(v))
            cl_error_set(&err, CL_EINVAL,
                         "%s: null cannot be stored; give a value", key);
        else
            cl_config_check(key, json_string_value(v), &err);
        if (err.code != CL_OK) {
            /* key belongs to body: answer before freeing it. */
            done = cl_http_error(r, 400, "invalid", key, "%s", err.msg);
            json_decref(body);
            return done;
        }
    }
    cl_error_clear(&err);
    cl_err e = cl_store_begin(r->st, r->user_id, r->now, &err);
    if (e == CL_OK)
        e = config_doc(r, &doc, &err);
    if (e == CL_OK) {
        cl_http_etag(doc, etag);
        json_decref(doc);
        if (strcmp(etag, if_match) && strcmp(if_match, "*")) {
            cl_store_rollback(r->st);
            json_decref(body);
            return cl_http_error(r, 412, "stale", NULL,
                                 "the settings changed since you read them "
                                 "(ETag %s)",
                                 etag);
        }
    }
    json_object_foreach(body, key, v) if (e == CL_OK) e =
        cl_store_config_set(r->st, key, json_string_value(v), &err);
    json_decref(body);
    if (e == CL_OK)
        e = cl_store_commit(r->st, &err);
    if (e != CL_OK) {
        cl_store_rollback(r->st);
        return cl_http_fail(r, e, &err);
    }
    return cl__h_config(r);
}
