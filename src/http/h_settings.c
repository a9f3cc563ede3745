/*
 * h_settings.c - what RevOps tunes:
 *   GET   /api/v1/settings/taxonomy, POST /api/v1/settings/taxonomy,
 *   PATCH /api/v1/settings/taxonomy/{code}
 *   GET   /api/v1/settings/thresholds,
 *   PATCH /api/v1/settings/thresholds/{key}
 *   GET   /api/v1/settings/config, PATCH /api/v1/settings/config,
 *   GET   /api/v1/settings/config/keys (each setting's range and words)
 * (holidays and users are records: /api/v1/holidays, /api/v1/users).
 * Every PATCH needs If-Match with the ETag of what was read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/config_keys.h"
#include "../core/record.h"
#include "../core/taxonomy.h"
#include "../core/workflow.h"
#include "../engine/engine.h"
#include "../store/store_api.h"
#include "../store/store_engine.h"
#include "http_int.h"

/* A cause as the API shows it; owner_role is filled in by taxonomy(). */
static int
cause_cb(void *ud, const cl_cause *c)
{
    const char *category = cl_badfit_code(c->badfit);
    json_array_append_new(
        ud, json_pack("{s:s, s:s, s:s, s:b, s:s?, s:s, s:b}", "code", c->code,
                      "label", c->label, "definition", c->definition,
                      "sales_attributable", c->sales_attributable, "category",
                      *category ? category : NULL, "routes_to", c->routes_to,
                      "retired", c->retired));
    return 0;
}

/* A role code, or "none" (the cause is only monitored). */
static int
owner_role_ok(const char *v)
{
    return strcmp(v, "none") == 0 || cl_enum_index(cl_roles, v) >= 0;
}

/*
 * The role a non-sales cause's follow-up goes to: its route_CODE setting
 * (docs/design.md section 5), else the default, else none.  NULL for a
 * deal-attributable cause, which goes to the deal's AE and their manager.
 */
static cl_err
owner_role(cl_http_req *r, json_t *item, cl_error *err)
{
    char key[64], buf[32];
    int found = 0;
    const char *code = cl_http_jstr(item, "code");
    if (json_is_true(json_object_get(item, "sales_attributable"))) {
        json_object_set_new(item, "owner_role", json_null());
        return CL_OK;
    }
    snprintf(key, sizeof key, "route_%s", code);
    cl_err e = cl_store_config_get(r->st, key, buf, sizeof buf, &found, err);
    const char *role =
        found && owner_role_ok(buf) ? buf : cl_wf_route_default(code);
    json_object_set_new(item, "owner_role", json_string(role ? role : "none"));
    return e;
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
    size_t i;
    json_t *x;
    cl_err e = cl_store_causes(r->st, cause_cb, items, err);
    json_array_foreach(items, i, x) if (e == CL_OK) e = owner_role(r, x, err);
    return e;
}

/* The thresholds in the order of CL_THRESHOLDS (the rules of
   docs/design.md section 5 in turn), any other key after them. */
static cl_err
thresholds(cl_http_req *r, json_t *items, cl_error *err)
{
    size_t n, i;
    json_t *x, *all = json_array();
    const cl_threshold *t = cl_threshold_defaults(&n);
    cl_err e = cl_store_thresholds(r->st, threshold_cb, all, err);
    for (size_t k = 0; e == CL_OK && k <= n; k++)
        json_array_foreach(all, i, x)
        {
            const cl_threshold *d = cl_threshold_find(cl_http_jstr(x, "key"));
            if (k < n ? d == &t[k] : d == NULL)
                json_array_append(items, x);
        }
    json_decref(all);
    return e;
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

/* A label or definition as given: NULL when absent, refused when empty
   or longer than max bytes. */
static int
text_ok(json_t *body, const char *field, size_t max, cl_error *err)
{
    const char *v = cl_http_jstr(body, field);
    if (v == NULL || (*v && strlen(v) <= max))
        return 1;
    cl_error_set_field(err, CL_EINVAL, field,
                       "%s: expected 1 to %zu characters, got %zu", field, max,
                       strlen(v));
    return 0;
}

/*
 * The owner role of body for cause code (sales-attributable or not) into
 * the route_CODE setting, inside the open transaction (audited as
 * config).  Absent: nothing changes.
 */
static cl_err
set_owner_role(cl_http_req *r, json_t *body, const char *code, int attributable,
               cl_error *err)
{
    /* "route_" and a code of the path (at most 159 bytes). */
    char key[192];
    const char *role = cl_http_jstr(body, "owner_role");
    if (role == NULL)
        return CL_OK;
    cl_err e = cl_cause_owner_check(attributable, role, err);
    if (e != CL_OK)
        return e;
    snprintf(key, sizeof key, "route_%s", code);
    return cl_store_config_set(r->st, key, role, err);
}

enum MHD_Result
cl__h_taxonomy_set(cl_http_req *r)
{
    static const cl_jfield f[] = {{"label", CL_J_STRING, 0},
                                  {"definition", CL_J_STRING, 0},
                                  {"retired", CL_J_BOOL, 0},
                                  {"owner_role", CL_J_STRING, 0}};
    enum MHD_Result done;
    cl_error err;
    int found;
    json_t *body = begin_patch(r, f, 4, taxonomy, "code", &done);
    if (!body)
        return done;
    const char *label = cl_http_jstr(body, "label");
    const char *def = cl_http_jstr(body, "definition");
    json_t *retired = json_object_get(body, "retired");
    int retire = json_is_boolean(retired) ? json_is_true(retired) : -1;
    cl_error_clear(&err);
    cl_err e =
        text_ok(body, "label", CL_CAUSE_LABEL_MAX, &err) &&
                text_ok(body, "definition", CL_CAUSE_DEFINITION_MAX, &err)
            ? CL_OK
            : CL_EINVAL;
    /* Whether the cause is deal-attributable: from the stored row. */
    json_t *items = json_array();
    if (e == CL_OK)
        e = cl_store_causes(r->st, cause_cb, items, &err);
    json_t *item = e == CL_OK ? find(items, "code", r->params[0]) : NULL;
    if (e == CL_OK)
        e = set_owner_role(
            r, body, r->params[0],
            item && json_is_true(json_object_get(item, "sales_attributable")),
            &err);
    json_decref(items);
    /* A change of owner only is the route setting's (audited there). */
    if (e == CL_OK && (label || def || retire >= 0))
        e = cl_store_cause_set(r->st, r->params[0], label, def, retire, &found,
                               &err);
    json_decref(body);
    return end_patch(r, e, &err, taxonomy, "code");
}

static int
count_cb(void *ud, const cl_cause *c)
{
    (void)c;
    ++*(size_t *)ud;
    return 0;
}

/* POST /api/v1/settings/taxonomy: a cause RevOps adds (issue 16). */
enum MHD_Result
cl__h_taxonomy_add(cl_http_req *r)
{
    static const cl_jfield f[] = {
        {"code", CL_J_STRING, 0},       {"label", CL_J_STRING, 1},
        {"definition", CL_J_STRING, 1}, {"sales_attributable", CL_J_BOOL, 1},
        {"category", CL_J_STRING, 0},   {"owner_role", CL_J_STRING, 0},
        {"routes_to", CL_J_STRING, 0}};
    enum MHD_Result done;
    cl_error err;
    char code[CL_CAUSE_CODE_MAX + 1];
    json_t *body = cl_http_body(r, f, sizeof f / sizeof f[0], &done);
    if (!body)
        return done;
    const char *given = cl_http_jstr(body, "code");
    const char *category = cl_http_jstr(body, "category");
    const char *routes_to = cl_http_jstr(body, "routes_to");
    cl_cause c = {
        .label = cl_http_jstr(body, "label"),
        .definition = cl_http_jstr(body, "definition"),
        .sales_attributable =
            json_is_true(json_object_get(body, "sales_attributable")),
        .badfit = cl_badfit_parse(category),
        .routes_to = routes_to ? routes_to : "",
    };
    if (given && *given)
        snprintf(code, sizeof code, "%s", given);
    else
        cl_cause_code_from_label(c.label, code, sizeof code);
    c.code = code;
    cl_error_clear(&err);
    /* An entered code is checked as entered, not as cut to fit. */
    cl_err e = given && strlen(given) > CL_CAUSE_CODE_MAX
                   ? cl_cause_code_check(given, &err)
                   : CL_OK;
    if (e == CL_OK && category && *category && c.badfit == CL_BADFIT_NONE)
        e = cl_error_set_field(&err, CL_EINVAL, "category",
                               "category: expected wrong_icp, "
                               "misaligned_use_case, over_promised or empty, "
                               "got '%.32s'",
                               category);
    if (e == CL_OK)
        e = cl_cause_check(&c, cl_http_jstr(body, "owner_role"), &err);
    if (e == CL_OK)
        e = cl_store_begin(r->st, r->user_id, r->now, &err);
    if (e == CL_OK) {
        size_t n = 0;
        e = cl_store_causes(r->st, count_cb, &n, &err);
        /* Reports keep a churn's causes as bits of one word. */
        if (e == CL_OK && n >= CL_TAXONOMY_MAX)
            e = cl_error_set_field(&err, CL_ECONFLICT, "code",
                                   "code: the taxonomy holds its most causes "
                                   "(%d, the retired ones included)",
                                   CL_TAXONOMY_MAX);
        if (e == CL_OK)
            e = cl_store_cause_add(r->st, &c, &err);
        if (e == CL_OK)
            e = set_owner_role(r, body, code, c.sales_attributable, &err);
        if (e == CL_OK)
            e = cl_store_commit(r->st, &err);
        if (e != CL_OK)
            cl_store_rollback(r->st);
    }
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    json_t *items = json_array();
    e = taxonomy(r, items, &err);
    json_t *item = e == CL_OK ? find(items, "code", code) : NULL;
    if (!item) {
        json_decref(items);
        return cl_http_fail(r, e ? e : CL_EDB, &err);
    }
    char etag[24];
    cl_http_etag(item, etag);
    json_object_set_new(item, "etag", json_string(etag));
    json_incref(item);
    json_decref(items);
    return cl_http_reply_json(r, 201, item, etag);
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

/* The delivery settings' ranges, units and descriptions (config_keys.c),
   so a form shows them without a copy of the table.  The route_CAUSE keys
   are the taxonomy's owner roles and are left out. */
enum MHD_Result
cl__h_config_keys(cl_http_req *r)
{
    size_t n;
    const cl_config_key *k = cl_config_keys(&n);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        if (strncmp(k[i].key, "route_", 6) == 0 &&
            strcmp(k[i].key, "route_due_business_days") != 0)
            continue;
        json_t *x = json_pack("{s:s, s:s?, s:s, s:b}", "key", k[i].key, "unit",
                              k[i].unit, "description", k[i].help, "secret",
                              k[i].secret);
        if (k[i].unit || k[i].secret)
            json_object_update_new(x, json_pack("{s:I, s:I}", "min",
                                                (json_int_t)k[i].min, "max",
                                                (json_int_t)k[i].max));
        json_array_append_new(items, x);
    }
    return cl_http_reply_json(r, 200, json_pack("{s:o}", "items", items), NULL);
}

enum MHD_Result
cl__h_config_set(cl_http_req *r)
{
    cl_jfield f[64]; /* more than the settings there are */
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
        else if (cl_config_check(key, json_string_value(v), &err) == CL_OK &&
                 strcmp(key, "timezone") == 0 &&
                 strcmp(json_string_value(v), "UTC") != 0) {
            /* A zone name must also be one this server's tzdata has. */
            cl_tz zone;
            cl_engine_zone_load(json_string_value(v), &zone, &err);
        }
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
