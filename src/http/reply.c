/*
 * reply.c - replies, errors, request bodies, query arguments and pages:
 * what every handler uses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_int.h"

enum MHD_Result
cl_http_queue(cl_http_req *r, unsigned status, struct MHD_Response *resp,
              size_t bytes)
{
    r->status = status;
    r->bytes = bytes;
    r->replied = 1;
    cl__http_guard_headers(resp, 0);
    enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result
cl_http_reply_text(cl_http_req *r, unsigned status, char *text, size_t len)
{
    if (!text)
        return MHD_NO;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    return cl_http_queue(r, status, resp, len);
}

/* doc (stolen) as a JSON response of *len bytes, not cached; NULL when
   it cannot be written. */
static struct MHD_Response *
json_response(json_t *doc, size_t *len)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!text)
        return NULL;
    *len = strlen(text);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(*len, text, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    return resp;
}

enum MHD_Result
cl_http_reply_json(cl_http_req *r, unsigned status, json_t *doc,
                   const char *etag)
{
    size_t len;
    struct MHD_Response *resp = json_response(doc, &len);
    if (!resp)
        return MHD_NO;
    if (etag)
        MHD_add_response_header(resp, "ETag", etag);
    return cl_http_queue(r, status, resp, len);
}

enum MHD_Result
cl_http_error(cl_http_req *r, unsigned status, const char *code,
              const char *field, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *e = json_pack("{s:s, s:s, s:s?}", "code", code, "message", msg,
                          "field", field);
    if (!e) /* msg echoed bytes of the request that are not UTF-8 */
        e = json_pack("{s:s, s:s, s:s?}", "code", code, "message",
                      "the request holds text that is not valid UTF-8", "field",
                      field);
    return cl_http_reply_json(r, status, json_pack("{s:o}", "error", e), NULL);
}

enum MHD_Result
cl__http_reply_busy(cl_http_req *r, unsigned seconds)
{
    char retry[16];
    size_t len;
    json_t *e = json_pack("{s:s, s:s, s:n}", "code", "busy", "message",
                          "the server holds too many request bodies; try "
                          "again shortly",
                          "field");
    struct MHD_Response *resp =
        json_response(json_pack("{s:o}", "error", e), &len);
    if (!resp)
        return MHD_NO;
    snprintf(retry, sizeof retry, "%u", seconds);
    MHD_add_response_header(resp, "Retry-After", retry);
    return cl_http_queue(r, 503, resp, len);
}

enum MHD_Result
cl_http_fail(cl_http_req *r, cl_err e, const cl_error *err)
{
    const char *msg = err && err->msg[0] ? err->msg : cl_strerror(e);
    const char *field = err && err->field[0] ? err->field : NULL;
    switch (e) {
    case CL_EINVAL:
    case CL_EUSAGE:
        return cl_http_error(r, 400, "invalid", field, "%s", msg);
    case CL_ENOTFOUND:
        return cl_http_error(r, 404, "not_found", field, "%s", msg);
    case CL_ECONFLICT:
        return cl_http_error(r, 409, "conflict", field, "%s", msg);
    case CL_EFORBIDDEN:
        return cl_http_error(r, 403, "forbidden", field, "%s", msg);
    case CL_ERETRY:
        return cl_http_error(r, 503, "retry", NULL, "%s", msg);
    default:
        /* Storage and I/O detail stays in the server's log. */
        fprintf(stderr, "closeloop serve: %s %s: %s\n", r->method, r->url, msg);
        return cl_http_error(r, 500, "internal", NULL, "the server failed (%s)",
                             cl_strerror(e));
    }
}

static const char *
jtype_name(cl_jtype t)
{
    switch (t) {
    case CL_J_STRING:
        return "a string";
    case CL_J_INT:
        return "an integer";
    case CL_J_NUMBER:
        return "a number";
    case CL_J_BOOL:
        return "true or false";
    case CL_J_STRINGS:
        return "an array of strings";
    }
    return "a value";
}

static int
jtype_ok(json_t *v, cl_jtype t)
{
    switch (t) {
    case CL_J_STRING:
        return json_is_string(v);
    case CL_J_INT:
        return json_is_integer(v);
    case CL_J_NUMBER:
        return json_is_number(v);
    case CL_J_BOOL:
        return json_is_boolean(v);
    case CL_J_STRINGS: {
        size_t i;
        json_t *x;
        if (!json_is_array(v))
            return 0;
        json_array_foreach(v, i, x) if (!json_is_string(x)) return 0;
        return 1;
    }
    }
    return 0;
}

json_t *
cl_http_body(cl_http_req *r, const cl_jfield *fields, size_t n,
             enum MHD_Result *done)
{
    json_error_t je;
    const char *key;
    json_t *v;
    json_t *doc = r->body_len ? json_loadb(r->body, r->body_len,
                                           JSON_REJECT_DUPLICATES, &je)
                              : json_object();
    if (!doc) {
        /* jansson quotes the offending bytes, which may not be UTF-8: a
           message that is not would make the error reply itself fail and
           the connection close without an answer. */
        for (char *c = je.text; *c; c++)
            if ((unsigned char)*c >= 0x80 || (unsigned char)*c < 0x20)
                *c = '?';
        *done = cl_http_error(r, 400, "bad_json", NULL,
                              "the body is not JSON: %s (at %d:%d)", je.text,
                              je.line, je.column);
        return NULL;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        *done = cl_http_error(r, 400, "bad_json", NULL,
                              "the body must be a JSON object");
        return NULL;
    }
    json_object_foreach(doc, key, v)
    {
        size_t i;
        for (i = 0; i < n && strcmp(fields[i].name, key) != 0; i++)
            ;
        if (i == n) {
            *done = cl_http_error(r, 400, "unknown_field", key,
                                  "unknown field '%s'", key);
            json_decref(doc);
            return NULL;
        }
        if (json_is_null(v) && !fields[i].required)
            continue;
        if (!jtype_ok(v, fields[i].type)) {
            *done = cl_http_error(r, 400, "wrong_type", key,
                                  "field '%s' must be %s", key,
                                  jtype_name(fields[i].type));
            json_decref(doc);
            return NULL;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (fields[i].required && !json_object_get(doc, fields[i].name)) {
            *done = cl_http_error(r, 400, "missing_field", fields[i].name,
                                  "field '%s' is required", fields[i].name);
            json_decref(doc);
            return NULL;
        }
    return doc;
}

const char *
cl_http_jstr(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

const char *
cl_http_query(cl_http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static int
parse_nonneg(const char *s, int64_t max, int64_t *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    long long v = strtoll(s, &end, 10);
    if (*end || v < 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

int
cl_http_page(cl_http_req *r, int64_t *limit, int64_t *offset,
             enum MHD_Result *done)
{
    const char *l = cl_http_query(r, "limit");
    const char *o = cl_http_query(r, "offset");
    *limit = 50;
    *offset = 0;
    if (l && parse_nonneg(l, 1000, limit) != 0) {
        *done = cl_http_error(r, 400, "invalid", "limit",
                              "limit must be a whole number 0..1000");
        return -1;
    }
    if (o && parse_nonneg(o, INT64_MAX / 2, offset) != 0) {
        *done = cl_http_error(r, 400, "invalid", "offset",
                              "offset must be a whole number >= 0");
        return -1;
    }
    return 0;
}

json_t *
cl_http_page_doc(json_t *items, int64_t total, int64_t limit, int64_t offset)
{
    return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total",
                     (json_int_t)total, "limit", (json_int_t)limit, "offset",
                     (json_int_t)offset);
}
