#include "snapshot_load.h"

typedef struct load_ctx {
    cl_snapshot *s;
    cl_kind kind;
    cl_err rc;
    cl_error *err;
} load_ctx;

static int
add_row(void *ud, const cl_value *row)
{
    load_ctx *c = ud;
    c->rc = cl_snapshot_add(c->s, c->kind, row, c->err);
    return c->rc != CL_OK;
}

static int
add_cause(void *ud, const cl_cause *cause)
{
    load_ctx *c = ud;
    c->rc = cl_snapshot_set_cause(c->s, cause, c->err);
    return c->rc != CL_OK;
}

static int
add_threshold(void *ud, const char *key, double value)
{
    load_ctx *c = ud;
    c->rc = cl_snapshot_set_threshold(c->s, key, value, c->err);
    return c->rc != CL_OK;
}

cl_err
cl_snapshot_load(cl_store *st, cl_snapshot **out, cl_error *err)
{
    load_ctx c = {cl_snapshot_new(), CL_KIND_NONE, CL_OK, err};
    cl_err rc = CL_OK;

    *out = NULL;
    if (c.s == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    for (int k = 0; k < CL_KIND_COUNT && rc == CL_OK; k++) {
        c.kind = (cl_kind)k;
        rc = cl_store_each(st, c.kind, add_row, &c, err);
        if (rc == CL_OK)
            rc = c.rc;
    }
    if (rc == CL_OK && (rc = cl_store_causes(st, add_cause, &c, err)) == CL_OK)
        rc = c.rc;
    if (rc == CL_OK &&
        (rc = cl_store_thresholds(st, add_threshold, &c, err)) == CL_OK)
        rc = c.rc;
    if (rc == CL_OK)
        rc = cl_snapshot_finish(c.s, err);
    if (rc != CL_OK) {
        cl_snapshot_free(c.s);
        return rc;
    }
    *out = c.s;
    return CL_OK;
}
