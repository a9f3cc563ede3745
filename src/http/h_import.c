/*
 * h_import.c - POST /api/v1/imports/{kind}: the body is a canonical CSV
 * file, imported exactly as `closeloop import KIND FILE` imports it (the
 * same importer, one transaction, all or nothing unless skip_bad=true).
 *
 * The importer reads a file, and the body is one: the server streams an
 * upload route's body into an unnamed temporary file as it arrives (so 20
 * MiB imports do not sit in memory), and nothing is left behind when the
 * server stops mid-import.  Errors are the importer's
 * own "LINE: COLUMN: message" lines, without the file name the CLI puts in
 * front (an upload has none).  With ?mapping=salesforce|hubspot the body is
 * read through that CRM preset, and a column in an error is the source
 * header with the field, "Close Date (closed_on)".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../io/import.h"
#include "http_int.h"

/* The name the importer puts in front of its messages; stripped again. */
#define SOURCE "upload"

/* At most this many bad rows are listed; the rest are only counted. */
#define MAX_ERRORS 100

typedef struct bad_list {
    json_t *items; /* of {"line", "column", "message", "text"} */
    int64_t more;  /* bad rows past MAX_ERRORS */
} bad_list;

/* "upload:12: name: is required" -> "12: name: is required". */
static const char *
strip_source(const char *msg)
{
    size_t n = strlen(SOURCE);
    if (strncmp(msg, SOURCE, n) == 0 && msg[n] == ':')
        return msg + n + 1 + (msg[n + 1] == ' ');
    return msg;
}

/*
 * One error as JSON: the whole line as the CLI would print it (less the file
 * name), and its parts, so a client need not parse it.  A message without a
 * line number (a read error) has line 0 and no column.
 */
static json_t *
error_json(const char *full)
{
    const char *text = strip_source(full);
    char *end;
    long line = strtol(text, &end, 10);
    json_t *e = json_pack("{s:s}", "text", text);
    if (end == text || *end != ':') {
        json_object_set_new(e, "line", json_integer(0));
        json_object_set_new(e, "column", json_null());
        json_object_set_new(e, "message", json_string(text));
        return e;
    }
    json_object_set_new(e, "line", json_integer(line));
    const char *rest = end + 1 + (end[1] == ' ');
    /* A column is one word (a field name) before ": ". */
    const char *colon = strstr(rest, ": ");
    size_t clen = colon ? (size_t)(colon - rest) : 0;
    /* Or, through a mapping, the source header and the field:
       "Close Date (closed_on)". */
    int labelled = colon && clen > 3 && rest[clen - 1] == ')' &&
                   strstr(rest, " (") && strstr(rest, " (") < colon &&
                   strcspn(rest, ",") >= clen;
    if (colon && clen > 0 && (labelled || strcspn(rest, " ,") >= clen)) {
        json_object_set_new(e, "column", json_stringn(rest, clen));
        json_object_set_new(e, "message", json_string(colon + 2));
    } else {
        json_object_set_new(e, "column", json_null());
        json_object_set_new(e, "message", json_string(rest));
    }
    return e;
}

static void
on_bad(void *ud, const char *msg)
{
    bad_list *b = ud;
    if (json_array_size(b->items) < MAX_ERRORS)
        json_array_append_new(b->items, error_json(msg));
    else
        b->more++;
}

static json_t *
report_json(const char *kind, const cl_import_report *rep, int skip_bad)
{
    return json_pack(
        "{s:s, s:I, s:I, s:I, s:I, s:I, s:b}", "kind", kind, "rows",
        (json_int_t)rep->rows, "inserted", (json_int_t)rep->inserted, "updated",
        (json_int_t)rep->updated, "unchanged", (json_int_t)rep->unchanged,
        "skipped", (json_int_t)(skip_bad ? rep->bad : 0), "applied",
        rep->applied);
}

enum MHD_Result
cl__h_import(cl_http_req *r)
{
    const char *kind_name = r->params[0];
    const char *mapping = cl_http_query(r, "mapping");
    const char *skip = cl_http_query(r, "skip_bad");
    cl_import_opts io = {0};
    cl_error err;

    cl_kind kind = cl_kind_from_name(kind_name);
    if (kind == CL_KIND_NONE)
        return cl_http_error(r, 404, "not_found", "kind",
                             "no record kind '%s'; expected users, accounts, "
                             "deals, churns, recoveries, reviews, cs_hours, "
                             "arr_movements, icp or holidays",
                             kind_name);
    if (skip && strcmp(skip, "true") && strcmp(skip, "false") &&
        strcmp(skip, "1") && strcmp(skip, "0"))
        return cl_http_error(r, 400, "invalid", "skip_bad",
                             "skip_bad is true or false");
    io.skip_bad = skip && (!strcmp(skip, "true") || !strcmp(skip, "1"));
    cl_mapping *map = NULL;
    if (mapping && *mapping && strcmp(mapping, "canonical")) {
        /* Only the built-in presets: a mapping file names paths on the
           server, which an upload has no business reading. */
        if (!cl_mapping_is_preset(mapping))
            return cl_http_error(r, 400, "invalid", "mapping",
                                 "mapping is canonical, salesforce or "
                                 "hubspot");
        if (cl_mapping_preset(mapping, kind, &map, &err) != CL_OK)
            return cl_http_error(r, 400, "unsupported", "mapping", "%s",
                                 err.msg);
    }
    const char *ctype = MHD_lookup_connection_value(
        r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (ctype && strncmp(ctype, "text/csv", 8) &&
        strncmp(ctype, "text/plain", 10) &&
        strncmp(ctype, "application/octet-stream", 24)) {
        cl_mapping_free(map);
        return cl_http_error(r, 415, "unsupported_media_type", NULL,
                             "send the file as text/csv");
    }
    if (r->body_len == 0) {
        cl_mapping_free(map);
        return cl_http_error(r, 400, "invalid", NULL,
                             "the body is empty; send the CSV file with its "
                             "header row");
    }

    /* The body is on disk already (server.c streamed it there); the
       importer opens it by name. */
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", r->upload_fd);

    bad_list bad = {json_array(), 0};
    io.actor = r->user_id;
    io.now = r->now;
    io.source = SOURCE;
    io.mapping = map;
    io.on_bad = on_bad;
    io.ud = &bad;
    cl_import_report rep;
    cl_error_clear(&err);
    cl_err e = cl_import_file(r->st, kind, path, &io, &rep, &err);
    cl_mapping_free(map);

    if (e == CL_OK) {
        json_t *doc = report_json(kind_name, &rep, io.skip_bad);
        json_object_set_new(doc, "errors", bad.items);
        json_object_set_new(doc, "more_errors", json_integer(bad.more));
        return cl_http_reply_json(r, 200, doc, NULL);
    }
    if (e == CL_EINVAL) {
        /* Bad rows (nothing applied), or a bad header or malformed CSV:
           the one message, like a bad row. */
        if (rep.bad == 0)
            json_array_append_new(bad.items, error_json(err.msg));
        json_t *doc = report_json(kind_name, &rep, 0);
        json_object_set_new(doc, "errors", bad.items);
        json_object_set_new(doc, "more_errors", json_integer(bad.more));
        json_t *ed = json_pack("{s:s, s:s, s:n}", "code", "invalid", "message",
                               strip_source(err.msg), "field");
        json_object_set_new(doc, "error", ed);
        return cl_http_reply_json(r, 400, doc, NULL);
    }
    json_decref(bad.items);
    return cl_http_fail(r, e, &err);
}
