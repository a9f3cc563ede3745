/*
 * store_api.c - the server's calls of the store interface (store_api.h),
 * handed to the backend's api ops.
 */
#include "store_api.h"

#include "store_int.h"

static cl_err
no_api(cl_store *st, cl_error *err)
{
    return cl_error_set(err, CL_EINVAL, "the %s backend has no server calls",
                        st->ops->name);
}

cl_err
cl_store_list(cl_store *st, cl_kind kind, const cl_store_filter *filters,
              size_t nfilters, int64_t limit, int64_t offset,
              cl_store_row_cb cb, void *ud, int64_t *total, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    cl_store_list_req req = {filters, nfilters, NULL, NULL, limit, offset};
    return cl_store_list_page(st, kind, &req, cb, ud, total, err);
}

cl_err
cl_store_list_page(cl_store *st, cl_kind kind, const cl_store_list_req *req,
                   cl_store_row_cb cb, void *ud, int64_t *total, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->list(st, kind, req, cb, ud, total, err);
}

cl_err
cl_store_audit_high_water(cl_store *st, int64_t *id, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->audit_high_water(st, id, err);
}

cl_err
cl_store_login_get(cl_store *st, const char *key, int by_email,
                   cl_store_login *out, int *found, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->login_get(st, key, by_email, out, found, err);
}

cl_err
cl_store_password_set(cl_store *st, const char *user_id, const char *hash,
                      int *found, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->password_set(st, user_id, hash, found, err);
}

cl_err
cl_store_token_add(cl_store *st, const char *id, const char *user_id,
                   const char *token_hash, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->token_add(st, id, user_id, token_hash, err);
}

cl_err
cl_store_token_revoke(cl_store *st, const char *id, int *changed, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->token_revoke(st, id, changed, err);
}

cl_err
cl_store_token_user(cl_store *st, const char *token_hash, char *user_id,
                    int *found, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->token_user(st, token_hash, user_id, found, err);
}

cl_err
cl_store_websession_add(cl_store *st, const char *token_hash,
                        const char *user_id, const char *csrf,
                        const char *expires_at, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->websession_add(st, token_hash, user_id, csrf,
                                        expires_at, err);
}

cl_err
cl_store_websession_get(cl_store *st, const char *token_hash, const char *now,
                        char *user_id, char *csrf, int *found, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->websession_get(st, token_hash, now, user_id, csrf,
                                        found, err);
}

cl_err
cl_store_websession_delete(cl_store *st, const char *token_hash, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->websession_delete(st, token_hash, err);
}

cl_err
cl_store_inbox_each(cl_store *st, const char *recipient_id, int64_t id,
                    cl_store_inbox_cb cb, void *ud, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->inbox_each(st, recipient_id, id, cb, ud, err);
}

cl_err
cl_store_inbox_read(cl_store *st, const char *recipient_id, int64_t id,
                    const char *at, int *changed, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->inbox_read(st, recipient_id, id, at, changed, err);
}

cl_err
cl_store_cause_set(cl_store *st, const char *code, const char *label,
                   const char *definition, int *found, cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->cause_set(st, code, label, definition, found, err);
}

cl_err
cl_store_threshold_set(cl_store *st, const char *key, double value, int *found,
                       cl_error *err)
{
    if (st->ops->api == NULL)
        return no_api(st, err);
    return st->ops->api->threshold_set(st, key, value, found, err);
}
