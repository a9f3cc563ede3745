/*
 * store_int.h - what store.c and the backends share; not a public header.
 *
 * store.c keeps the logic that is the same on every backend (the upsert
 * decision, audit entry ids, transaction bookkeeping); a backend implements
 * the primitive queries below.  A backend's handle embeds struct cl_store as
 * its first member.
 */
#ifndef CL_STORE_INT_H
#define CL_STORE_INT_H

#include "store.h"

typedef struct cl_store_ops {
    const char *name;
    void (*close)(cl_store *st);
    cl_err (*schema_version)(cl_store *st, int *version, cl_error *err);
    cl_err (*begin)(cl_store *st, cl_error *err);
    cl_err (*commit)(cl_store *st, cl_error *err);
    void (*rollback)(cl_store *st);
    /* Inserts row unless its key exists; *inserted says which. */
    cl_err (*insert_new)(cl_store *st, cl_kind kind, const cl_value *row,
                         int *inserted, cl_error *err);
    cl_err (*get)(cl_store *st, cl_kind kind, const cl_value *key,
                  cl_value *row, int *found, cl_error *err);
    cl_err (*update)(cl_store *st, cl_kind kind, const cl_value *row,
                     cl_error *err);
    /* Appends an audit entry (actor and time from the transaction). */
    cl_err (*audit_append)(cl_store *st, const char *entity,
                           const char *entity_id, const char *action,
                           const char *old_json, const char *new_json,
                           cl_error *err);
    cl_err (*count)(cl_store *st, cl_kind kind, int64_t *n, cl_error *err);
    cl_err (*each)(cl_store *st, cl_kind kind, cl_store_row_cb cb, void *ud,
                   cl_error *err);
    cl_err (*ids)(cl_store *st, cl_kind kind, cl_store_id_cb cb, void *ud,
                  cl_error *err);
    cl_err (*first_won_new_deal)(cl_store *st, const char *account_id,
                                 char *out, size_t outlen, int *found,
                                 cl_error *err);
    cl_err (*audit_each)(cl_store *st, const char *entity,
                         const char *entity_id, cl_store_audit_cb cb,
                         void *ud, cl_error *err);
    cl_err (*audit_count)(cl_store *st, int64_t *n, cl_error *err);
    cl_err (*causes)(cl_store *st, cl_store_cause_cb cb, void *ud,
                     cl_error *err);
    cl_err (*thresholds)(cl_store *st, cl_store_threshold_cb cb, void *ud,
                         cl_error *err);
    cl_err (*threshold)(cl_store *st, const char *key, double *value,
                        cl_error *err);
} cl_store_ops;

struct cl_store {
    const cl_store_ops *ops;
    int64_t workspace_id;
    int in_tx;
    char actor[128];
    char at[21]; /* "YYYY-MM-DDTHH:MM:SSZ" of the open transaction */
    char *json;  /* reused buffer for inserts' audit JSON */
    size_t json_cap;
};

/* Opens the SQLite workspace at path (store_sqlite.c). */
cl_err cl__store_sqlite_open(const char *path, cl_store **out, cl_error *err);

#endif
