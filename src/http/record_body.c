/*
 * record_body.c - a JSON request body as a record row: the field list a
 * record route's body may carry, and the conversion of the body's values
 * through the importer's field rules.  Nothing here reads the store, so the
 * conversion can be tested (and fuzzed, tests/fuzz) on its own; the handler
 * checks references afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../io/field.h"
#include "http_int.h"

static cl_jtype
jtype_of(const cl_field *f)
{
    switch (f->type) {
    case CL_F_INT:
        return CL_J_INT;
    case CL_F_BOOL:
        return CL_J_BOOL;
    case CL_F_MONEY:
    case CL_F_HOURS:
        return CL_J_NUMBER;
    default:
        return CL_J_STRING;
    }
}

size_t
cl_http_body_fields(cl_kind kind, cl_jfield *out, int all_optional)
{
    const cl_kind_def *def = cl_kind_get(kind);
    for (size_t i = 0; i < def->nfields; i++) {
        out[i].name = def->fields[i].name;
        out[i].type = jtype_of(&def->fields[i]);
        out[i].required =
            !all_optional && (def->fields[i].flags & CL_FF_REQUIRED);
    }
    return def->nfields;
}

void
cl_http_row_buf_free(cl_http_row_buf *b)
{
    for (int i = 0; i < CL_HTTP_ROW_MAX; i++) {
        free(b->text[i]);
        free(b->scratch[i]);
    }
}

cl_err
cl_http_json_row(cl_kind kind, json_t *rec, const char *const *causes,
                 cl_http_row_buf *b, const char **field, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(kind);
    memset(b, 0, sizeof *b);
    *field = NULL;
    for (size_t i = 0; i < def->nfields; i++) {
        cl_field tmp;
        const cl_field *f = cl_field_with_causes(&def->fields[i], causes, &tmp);
        json_t *v = json_object_get(rec, f->name);
        char num[64];
        const char *t = "";
        if (json_is_string(v))
            t = json_string_value(v);
        else if (json_is_integer(v))
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v)),
                t = num;
        else if (json_is_real(v))
            snprintf(num, sizeof num, "%.10g", json_real_value(v)), t = num;
        else if (json_is_boolean(v))
            t = json_is_true(v) ? "true" : "false";
        size_t len = strlen(t);
        b->text[i] = strdup(t);
        b->scratch[i] = malloc(len + 1);
        *field = f->name;
        if (!b->text[i] || !b->scratch[i])
            return cl_error_set(err, CL_ENOMEM, "out of memory");
        cl_err e =
            cl_field_parse(f, b->text[i], len, &b->row[i], b->scratch[i], err);
        if (e != CL_OK)
            return e;
    }
    *field = NULL;
    return CL_OK;
}
