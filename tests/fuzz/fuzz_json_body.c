/*
 * fuzz_json_body.c - libFuzzer target: a record route's JSON request body
 * (POST, PUT, PATCH /api/v1/KIND): cl_http_body's schema check, then the
 * conversion to a row through the importer's field rules
 * (cl_http_json_row), then the record back as JSON two ways: jansson's
 * (a single record's reply) and the hand-written writer's (the account
 * page).
 *
 * The first byte picks the record kind and whether every field is
 * optional (a PATCH); the rest is the body.  Beyond "does not crash": a row
 * that was accepted, written back as JSON, is accepted again as the same
 * row, and both writers give the same document.  Replies are built but go
 * nowhere: the request has no connection, so libmicrohttpd refuses to
 * queue them.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/visibility.h"
#include "http/http_int.h"
#include "http/jsonw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, json_t *a, json_t *b)
{
    char *sa = a ? json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    char *sb = b ? json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    fprintf(stderr, "%s\n  %s\n  %s\n", what, sa ? sa : "-", sb ? sb : "-");
    abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    cl_kind kind = (cl_kind)(data[0] % CL_KIND_COUNT);
    int patch = (data[0] / CL_KIND_COUNT) & 1;

    cl_http_req r;
    memset(&r, 0, sizeof r);
    r.method = patch ? "PATCH" : "POST";
    r.url = "/api/v1/fuzz";
    r.body_len = size - 1;
    r.body = malloc(size);
    if (!r.body)
        return 0;
    memcpy(r.body, data + 1, size - 1);
    r.body[size - 1] = '\0';

    cl_jfield fields[CL_HTTP_ROW_MAX];
    size_t n = cl_http_body_fields(kind, fields, patch);
    enum MHD_Result done;
    json_t *doc = cl_http_body(&r, fields, n, &done);
    free(r.body);
    if (!doc) {
        /* Refused: one 400 was built for it. */
        if (r.status != 400)
            abort();
        return 0;
    }

    cl_http_row_buf b;
    const char *bad;
    cl_error err;
    cl_error_clear(&err);
    if (cl_http_json_row(kind, doc, NULL, &b, &bad, &err) != CL_OK) {
        if (!bad || !err.msg[0])
            abort();
        cl_http_row_buf_free(&b);
        json_decref(doc);
        return 0;
    }

    /* The reply of GET /api/v1/KIND/{id}, and the account page's writer. */
    json_t *rec = cl_http_record_json(kind, b.row, CL_VG_ALL);
    cl_jw w;
    cl_jw_init(&w);
    cl_http_record_write(&w, kind, b.row, CL_VG_ALL);
    size_t len;
    char *text = cl_jw_take(&w, &len);
    cl_jw_free(&w);
    json_error_t je;
    json_t *written = text ? json_loadb(text, len, 0, &je) : NULL;
    if (text && !written) {
        fprintf(stderr, "the writer's JSON does not parse: %s\n  %s\n", je.text,
                text);
        abort();
    }
    if (written && !json_equal(rec, written))
        fail("the two writers differ", rec, written);
    free(text);
    json_decref(written);

    /* Read back: what was accepted is accepted again, unchanged. */
    cl_http_row_buf b2;
    cl_error_clear(&err);
    if (cl_http_json_row(kind, rec, NULL, &b2, &bad, &err) != CL_OK) {
        fprintf(stderr, "%s: %s\n", bad ? bad : "?", err.msg);
        fail("a stored record is refused when read back", doc, rec);
    }
    json_t *rec2 = cl_http_record_json(kind, b2.row, CL_VG_ALL);
    if (!json_equal(rec, rec2))
        fail("a record changes when read back", rec, rec2);
    json_decref(rec2);
    cl_http_row_buf_free(&b2);
    json_decref(rec);
    cl_http_row_buf_free(&b);
    json_decref(doc);
    return 0;
}
