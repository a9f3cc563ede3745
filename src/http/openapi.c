/*
 * openapi.c - the OpenAPI 3 document, generated from the route table and
 * the record definitions, so every route is documented and nothing else.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "http_int.h"

static json_t *
type_schema(const char *t)
{
    if (!strcmp(t, "string[]"))
        return json_pack("{s:s, s:{s:s}}", "type", "array", "items", "type",
                         "string");
    return json_pack("{s:s}", "type", t);
}

/* A schema from the short form "a:string!,b:number". */
static json_t *
short_schema(const char *spec)
{
    json_t *props = json_object(), *req = json_array();
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *save = NULL, *f = strtok_r(buf, ",", &save); f;
         f = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(f, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char *t = colon + 1;
        size_t tl = strlen(t);
        if (tl && t[tl - 1] == '!') {
            t[tl - 1] = '\0';
            json_array_append_new(req, json_string(f));
        }
        json_object_set_new(props, f, type_schema(t));
    }
    json_t *s = json_pack("{s:s, s:o, s:b}", "type", "object", "properties",
                          props, "additionalProperties", 0);
    if (json_array_size(req))
        json_object_set_new(s, "required", req);
    else
        json_decref(req);
    return s;
}

static json_t *
record_schema(cl_kind kind, int with_required)
{
    const cl_kind_def *def = cl_kind_get(kind);
    json_t *props = json_object(), *req = json_array();
    for (size_t i = 0; i < def->nfields; i++) {
        const cl_field *f = &def->fields[i];
        const char *t = f->type == CL_F_INT     ? "integer"
                        : f->type == CL_F_BOOL  ? "boolean"
                        : f->type == CL_F_MONEY ? "number"
                        : f->type == CL_F_HOURS ? "number"
                                                : "string";
        json_t *p = json_pack("{s:s, s:b}", "type", t, "nullable",
                              !(f->flags & CL_FF_REQUIRED));
        if (f->type == CL_F_DATE)
            json_object_set_new(p, "format", json_string("date"));
        if (f->type == CL_F_ENUM && f->values) {
            json_t *e = json_array();
            for (const char *const *v = f->values; *v; v++)
                json_array_append_new(e, json_string(*v));
            json_object_set_new(p, "enum", e);
        }
        json_object_set_new(props, f->name, p);
        if (f->flags & CL_FF_REQUIRED)
            json_array_append_new(req, json_string(f->name));
    }
    json_t *s = json_pack("{s:s, s:o, s:b}", "type", "object", "properties",
                          props, "additionalProperties", 0);
    if (with_required && json_array_size(req))
        json_object_set_new(s, "required", req);
    else
        json_decref(req);
    return s;
}

static json_t *
error_response(const char *desc)
{
    return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", desc, "content",
                     "application/json", "schema", "$ref",
                     "#/components/schemas/Error");
}

static void
query_param(json_t *params, const char *name, const char *type,
            const char *desc)
{
    json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:s, s:{s:s}}",
                                            "name", name, "in", "query",
                                            "required", 0, "description", desc,
                                            "schema", "type", type));
}

/* The accounts' and deals' columns, ranges and sort (h_lists.c). */
static void
list_params(cl_kind kind, json_t *params)
{
    query_param(params, "arr_min", "number",
                "ARR at least this, 0..1000000000000 (an account's; the "
                "deal's)");
    query_param(params, "arr_max", "number",
                "ARR at most this, 0..1000000000000");
    query_param(params, "renewal_from", "string",
                "the (account's) next renewal on or after this YYYY-MM-DD");
    query_param(params, "renewal_to", "string",
                "the (account's) next renewal on or before this YYYY-MM-DD");
    query_param(params, "health_min", "integer",
                "the (account's) health at least this, 0..100 (a role "
                "that may not read health: 403 forbidden_field)");
    query_param(params, "health_max", "integer",
                "the (account's) health at most this, 0..100");
    query_param(params, "sort", "string",
                kind == CL_KIND_ACCOUNTS
                    ? "id, name, industry, region, csm, status, arr, "
                      "renewal_on or health; after '-' largest first"
                    : "id, account, ae, stage, arr, created_on, renewal_on "
                      "or health; after '-' largest first");
    if (kind == CL_KIND_DEALS) {
        query_param(params, "open", "boolean",
                    "true: deals not won or lost yet; false: only those");
        query_param(params, "industry", "string",
                    "the account's industry equals this");
        query_param(params, "region", "string",
                    "the account's region equals this");
    }
}

/* The query parameters of the paged lists: records filter by any of their
   fields, search, and page by offset or cursor; the inbox and the audit
   trail page by cursor. */
static void
query_params(const cl_http_route *rt, json_t *params)
{
    if (rt->handler == cl__h_record_list) {
        const cl_kind_def *def = cl_kind_get(rt->kind);
        query_param(params, "q", "string",
                    "the key or the name contains this text (ASCII case "
                    "ignored, no wildcards)");
        query_param(params, "limit", "integer", "page size, 0..1000 (50)");
        query_param(params, "offset", "integer", "records to skip");
        query_param(params, "cursor", "string",
                    "a next_cursor of this list: the page after it");
        for (size_t i = 0; i < def->nfields; i++)
            query_param(params, def->fields[i].name, "string",
                        "equals this value (a field your role may not "
                        "read is a 403 forbidden_field; see "
                        "docs/visibility.md)");
        if (rt->kind == CL_KIND_ACCOUNTS || rt->kind == CL_KIND_DEALS)
            list_params(rt->kind, params);
    } else if (rt->handler == cl__h_report) {
        query_param(params, "period", "string",
                    "a month YYYY-MM or a quarter YYYYQn, as the report "
                    "covers");
        query_param(params, "private", "string",
                    "1: the private view, where the role and the report "
                    "allow it");
        /* The pipeline report's deals page, sort and filter. */
        query_param(params, "flag", "string",
                    "pipeline: deals carrying this flag (outside_icp, "
                    "champion_stability, slow_to_demo, churn_pattern)");
        query_param(params, "ae_id", "string",
                    "pipeline: deals of this AE (a role that may not read "
                    "AEs gets 403 forbidden_field)");
        query_param(params, "sort", "string",
                    "pipeline: rank (by evidence, the default), arr, "
                    "deal_id, account, ae_id, stage or flags; a leading '-' "
                    "sorts descending");
        query_param(params, "limit", "integer",
                    "pipeline: page size, 0..1000 (all when absent)");
        query_param(params, "offset", "integer",
                    "pipeline: deals to skip");
    } else if (rt->handler == cl__h_inbox || rt->handler == cl__h_audit) {
        query_param(params, "limit", "integer", "page size, 1..500 (50)");
        query_param(params, "cursor", "string",
                    "a next_cursor of this list: the page after it");
        if (rt->handler == cl__h_inbox)
            query_param(params, "kind", "string",
                        "only notifications of this kind (1 to 64 of a-z, "
                        "0-9, _); total and unread count that kind, kinds "
                        "counts every kind of the inbox");
    }
}

static json_t *
operation(const cl_http_route *rt)
{
    char opid[160];
    size_t n = 0;
    for (const char *p = rt->method; *p && n < sizeof opid - 1; p++)
        opid[n++] = (char)tolower((unsigned char)*p);
    for (const char *p = rt->pattern + 7; *p && n < sizeof opid - 1; p++)
        opid[n++] = isalnum((unsigned char)*p) ? *p : '_';
    opid[n] = '\0';

    json_t *op = json_pack("{s:s, s:s, s:[s]}", "operationId", opid,
                           "summary", rt->summary, "tags", rt->tag);
    json_t *params = json_array();
    for (const char *p = strchr(rt->pattern, '{'); p;
         p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        json_array_append_new(
            params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1,
                              (size_t)(end - p - 1), "in", "path", "required",
                              1, "schema", "type", "string"));
    }
    if (!strcmp(rt->method, "PUT") || !strcmp(rt->method, "PATCH"))
        json_array_append_new(
            params, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", "If-Match",
                              "in", "header", "required", 1, "schema", "type",
                              "string"));
    if (rt->body && !strcmp(rt->body, "csv")) {
        json_array_append_new(
            params, json_pack("{s:s, s:s, s:b, s:{s:s, s:[s, s, s]}}", "name",
                              "mapping", "in", "query", "required", 0,
                              "schema", "type", "string", "enum",
                              "canonical", "salesforce", "hubspot"));
        json_array_append_new(
            params, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", "skip_bad",
                              "in", "query", "required", 0, "schema", "type",
                              "boolean"));
    }
    query_params(rt, params);
    if (json_array_size(params))
        json_object_set_new(op, "parameters", params);
    else
        json_decref(params);
    if (rt->body && !strcmp(rt->body, "csv")) {
        /* A file upload: the CSV text itself, not a JSON object. */
        json_object_set_new(
            op, "requestBody",
            json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
                      "text/csv", "schema", "type", "string"));
    } else if (rt->body && !strcmp(rt->body, "events")) {
        /* HubSpot's array of events, each its own object. */
        json_object_set_new(
            op, "requestBody",
            json_pack("{s:b, s:{s:{s:{s:s, s:i, s:{s:s}}}}}", "required", 1,
                      "content", "application/json", "schema", "type",
                      "array", "maxItems", 100, "items", "type", "object"));
    } else if (rt->body && !strcmp(rt->body, "soap")) {
        json_object_set_new(
            op, "requestBody",
            json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
                      "text/xml", "schema", "type", "string"));
    } else if (rt->body) {
        json_t *schema = !strcmp(rt->body, "record")
                             ? record_schema(rt->kind,
                                             strcmp(rt->method, "PATCH") != 0)
                             : short_schema(rt->body);
        json_object_set_new(
            op, "requestBody",
            json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content",
                      "application/json", "schema", schema));
    }
    json_t *resp = json_object();
    const char *ok = (!strcmp(rt->method, "POST") && rt->body &&
                      !strcmp(rt->body, "record")) ||
                             rt->handler == cl__h_token_create
                         ? "201"
                     : rt->handler == cl__h_logout ||
                             rt->handler == cl__h_password_me ||
                             rt->handler == cl__h_password_user ||
                             !strcmp(rt->method, "DELETE")
                         ? "204"
                         : "200";
    json_object_set_new(resp, ok,
                        json_pack("{s:s}", "description", "success"));
    json_object_set_new(resp, "400", error_response("bad request"));
    if (rt->auth == CL_AUTH_USER) {
        json_object_set_new(resp, "401", error_response("not signed in"));
        json_object_set_new(resp, "403", error_response("the rules refuse"));
        json_object_set_new(
            op, "security",
            json_pack("[{s:[]}, {s:[]}]", "cookieAuth", "bearerAuth"));
    } else {
        json_object_set_new(op, "security", json_array());
    }
    if (rt->auth == CL_AUTH_NONE && !strcmp(rt->tag, "webhooks")) {
        json_object_set_new(resp, "401",
                            error_response("bad signature or timestamp"));
        json_object_set_new(resp, "403",
                            error_response("the webhook is not configured"));
    }
    if (strchr(rt->pattern, '{'))
        json_object_set_new(resp, "404", error_response("no such record"));
    if (!strcmp(rt->method, "PUT") || !strcmp(rt->method, "PATCH")) {
        json_object_set_new(resp, "412", error_response("stale If-Match"));
        json_object_set_new(resp, "428", error_response("If-Match missing"));
    }
    if (rt->handler == cl__h_token_revoke)
        json_object_set_new(resp, "409", error_response("revoked already"));
    if (rt->body && !strcmp(rt->body, "csv"))
        json_object_set_new(resp, "413", error_response("file too large"));
    if (rt->handler == cl__h_login || rt->handler == cl__h_password_me)
        json_object_set_new(resp, "429",
                            error_response("too many failed sign-ins"));
    json_object_set_new(op, "responses", resp);
    return op;
}

json_t *
cl__http_openapi(void)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < cl__http_nroutes; i++) {
        const cl_http_route *rt = &cl__http_routes[i];
        json_t *item = json_object_get(paths, rt->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, rt->pattern, item);
        }
        char m[16];
        size_t n = 0;
        for (const char *p = rt->method; *p && n < sizeof m - 1; p++)
            m[n++] = (char)tolower((unsigned char)*p);
        m[n] = '\0';
        json_object_set_new(item, m, operation(rt));
    }
    return json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:{s:{s:s, s:s, s:s}, "
        "s:{s:s, s:s}}, s:{s:{s:s, s:{s:{s:s, s:{s:{s:s}, s:{s:s}, "
        "s:{s:s, s:b}}, s:[s, s]}}, s:[s]}}}}",
        "openapi", "3.0.3", "info", "title", "closeloop API", "version",
        "0.1.0", "description",
        "The JSON API of closeloop. Browser sessions use the cl_session "
        "cookie and send X-CSRF-Token on writes; integrations send a bearer "
        "token. Errors are {\"error\": {\"code\", \"message\", \"field\"}}.",
        "servers", "url", "/", "paths", paths, "components",
        "securitySchemes", "cookieAuth", "type", "apiKey", "in", "cookie",
        "name", "cl_session", "bearerAuth", "type", "http", "scheme",
        "bearer", "schemas", "Error", "type", "object", "properties",
        "error", "type", "object", "properties", "code", "type", "string",
        "message", "type", "string", "field", "type", "string", "nullable",
        1, "required", "code", "message", "required", "error");
}
