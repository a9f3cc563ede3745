/*
 * store_api.c - the server's calls of the store interface (store_api.h):
 * they run the SQL of store_api_sql.c, store_api_list.c and
 * store_api_settings.c, written once for both backends.
 */
#include "store_api.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_engine_int.h"

/* The ids of a user's live API tokens, gathered before revoking them. */
typedef struct live_ids {
    char (*id)[CL_TOKEN_ID_LEN];
    size_t n, cap;
    int oom;
} live_ids;

static int
live_cb(void *ud, const cl_store_token_row *t)
{
    live_ids *l = ud;
    if (t->revoked_at)
        return 0;
    if (cl_grow(&l->id, &l->cap, l->n + 1, sizeof l->id[0]) != CL_OK) {
        l->oom = 1;
        return 1;
    }
    snprintf(l->id[l->n++], CL_TOKEN_ID_LEN, "%s", t->id);
    return 0;
}

cl_err
cl_store_list(cl_store *st, cl_kind kind, const cl_store_filter *filters,
              size_t nfilters, int64_t limit, int64_t offset,
              cl_store_row_cb cb, void *ud, int64_t *total, cl_error *err)
{
    cl_store_list_req req = {filters, nfilters, NULL, NULL, limit, offset};
    return cl_store_list_page(st, kind, &req, cb, ud, total, err);
}

cl_err
cl_store_list_page(cl_store *st, cl_kind kind, const cl_store_list_req *req,
                   cl_store_row_cb cb, void *ud, int64_t *total, cl_error *err)
{
    return cl__api_list(st, kind, req, cb, ud, total, err);
}

cl_err
cl_store_login_get(cl_store *st, const char *key, int by_email,
                   cl_store_login *out, int *found, cl_error *err)
{
    return cl__api_login_get(st, key, by_email, out, found, err);
}

cl_err
cl_store_password_set(cl_store *st, const char *user_id, const char *hash,
                      int *found, cl_error *err)
{
    return cl__api_password_set(st, user_id, hash, found, err);
}

cl_err
cl_store_password_change(cl_store *st, const char *user_id, const char *hash,
                         const char *keep_hash, int *found, int *revoked,
                         cl_error *err)
{
    *found = 0;
    if (revoked)
        *revoked = 0;
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_password_change outside a transaction");
    cl_err e = cl_store_password_set(st, user_id, hash, found, err);
    if (e != CL_OK || !*found)
        return e;
    e = cl_store_websessions_end(st, user_id, keep_hash, err);
    if (e != CL_OK)
        return e;
    return cl_store_tokens_revoke_all(st, user_id, revoked, err);
}

cl_err
cl_store_tokens_revoke_all(cl_store *st, const char *user_id, int *revoked,
                           cl_error *err)
{
    if (revoked)
        *revoked = 0;
    /* The ids first: a row callback must not call the store. */
    live_ids ids = {NULL, 0, 0, 0};
    cl_err e = cl_store_tokens_each(st, user_id, NULL, live_cb, &ids, err);
    if (e == CL_OK && ids.oom)
        e = cl_error_set(err, CL_ENOMEM, "out of memory");
    for (size_t i = 0; e == CL_OK && i < ids.n; i++) {
        int changed = 0;
        e = cl_store_token_revoke(st, ids.id[i], &changed, err);
        if (e == CL_OK && changed && revoked)
            (*revoked)++;
    }
    free(ids.id);
    return e;
}

char *
cl__store_token_json(const char *id, const char *user_id)
{
    json_t *o = json_pack("{s:s, s:s}", "id", id, "user_id", user_id);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return text;
}

cl_err
cl_store_token_add(cl_store *st, const char *id, const char *user_id,
                   const char *token_hash, cl_error *err)
{
    return cl__api_token_add(st, id, user_id, token_hash, err);
}

cl_err
cl_store_token_revoke(cl_store *st, const char *id, int *changed, cl_error *err)
{
    return cl__api_token_revoke(st, id, changed, err);
}

cl_err
cl_store_token_user(cl_store *st, const char *token_hash, char *user_id,
                    int *found, cl_error *err)
{
    return cl__api_token_user(st, token_hash, user_id, found, err);
}

cl_err
cl_store_websession_add(cl_store *st, const char *token_hash,
                        const char *user_id, const char *csrf,
                        const char *expires_at, cl_error *err)
{
    return cl__api_websession_add(st, token_hash, user_id, csrf, expires_at,
                                  err);
}

cl_err
cl_store_websession_get(cl_store *st, const char *token_hash, const char *now,
                        char *user_id, char *csrf, int *found, cl_error *err)
{
    return cl__api_websession_get(st, token_hash, now, user_id, csrf, found,
                                  err);
}

cl_err
cl_store_websession_delete(cl_store *st, const char *token_hash, cl_error *err)
{
    return cl__api_websession_delete(st, token_hash, err);
}

cl_err
cl_store_inbox_each(cl_store *st, const char *recipient_id, int64_t id,
                    cl_store_inbox_cb cb, void *ud, cl_error *err)
{
    return cl__api_inbox_each(st, recipient_id, id, cb, ud, err);
}

cl_err
cl_store_inbox_read(cl_store *st, const char *recipient_id, int64_t id,
                    const char *at, int *changed, cl_error *err)
{
    return cl__api_inbox_read(st, recipient_id, id, at, changed, err);
}

cl_err
cl_store_cause_set(cl_store *st, const char *code, const char *label,
                   const char *definition, int retire, int *found,
                   cl_error *err)
{
    return cl__api_cause_set(st, code, label, definition, retire, found, err);
}

cl_err
cl_store_cause_add(cl_store *st, const cl_cause *c, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_cause_add outside a transaction");
    int n = 0;
    const char *badfit = cl_badfit_code(c->badfit);
    cl_err rc = cl__q_rows(st, cl__row_int_first, &n, err,
                           "SELECT 1 FROM taxonomy WHERE workspace_id = ?1 "
                           "AND code = ?2",
                           "s", c->code);
    if (rc == CL_OK && n)
        return cl_error_set_field(err, CL_ECONFLICT, "code",
                                  "code: a cause '%s' exists already", c->code);
    if (rc == CL_OK)
        rc = cl__q_exec(
            st, NULL, err,
            "INSERT INTO taxonomy (workspace_id, code, position, label, "
            "definition, sales_attributable, bad_fit_category, routes_to) "
            "SELECT ?1, ?2, coalesce(max(position), 0) + 1, ?3, ?4, "
            "(?5::text = '1'), ?6, ?7 FROM taxonomy WHERE workspace_id = ?1",
            "ssssss", c->code, c->label, c->definition,
            c->sales_attributable ? "1" : "0", *badfit ? badfit : NULL,
            c->routes_to ? c->routes_to : "");
    if (rc != CL_OK)
        return rc;
    json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:s?}", "code", c->code,
                          "label", c->label, "definition", c->definition,
                          "sales_attributable", c->sales_attributable,
                          "bad_fit_category", *badfit ? badfit : NULL);
    char *js = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (js == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    rc = cl__engw_audit(st, "taxonomy", c->code, "insert", NULL, js, err);
    free(js);
    return rc;
}

cl_err
cl_store_threshold_set(cl_store *st, const char *key, double value, int *found,
                       cl_error *err)
{
    return cl__api_threshold_set(st, key, value, found, err);
}

cl_err
cl_store_websessions_end(cl_store *st, const char *user_id,
                         const char *keep_hash, cl_error *err)
{
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_websessions_end outside a transaction");
    return cl__api_websessions_end(st, user_id, keep_hash, err);
}

cl_err
cl_store_tokens_each(cl_store *st, const char *user_id, const char *id,
                     cl_store_token_cb cb, void *ud, cl_error *err)
{
    return cl__api_tokens_each(st, user_id, id, cb, ud, err);
}

cl_err
cl_store_token_create(cl_store *st, const char *user_id,
                      char token[CL_TOKEN_SECRET_LEN], char id[CL_TOKEN_ID_LEN],
                      cl_store_login *user, cl_error *err)
{
    unsigned char raw[32], h[crypto_hash_sha256_BYTES];
    char secret[65], hash[65];
    cl_store_login u;
    int found = 0;

    token[0] = id[0] = '\0';
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_token_create outside a transaction");
    cl_err e = cl_store_login_get(st, user_id, 0, &u, &found, err);
    if (e != CL_OK)
        return e;
    if (!found)
        return cl_error_set(err, CL_EINVAL, "no user '%s'", user_id);
    /* 256 random bits: guessing is hopeless, so a plain SHA-256 (not a
       slow password hash) is enough to keep the stored form useless. */
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(secret, sizeof secret, raw, sizeof raw);
    snprintf(token, CL_TOKEN_SECRET_LEN, "clt_%s", secret);
    sodium_memzero(secret, sizeof secret);
    randombytes_buf(raw, 6);
    snprintf(id, CL_TOKEN_ID_LEN, "tok-");
    sodium_bin2hex(id + 4, CL_TOKEN_ID_LEN - 4, raw, 6);
    sodium_memzero(raw, sizeof raw);
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(hash, sizeof hash, h, sizeof h);
    e = cl_store_token_add(st, id, user_id, hash, err);
    if (e != CL_OK) {
        sodium_memzero(token, CL_TOKEN_SECRET_LEN);
        token[0] = id[0] = '\0';
        return e;
    }
    if (user)
        *user = u;
    return CL_OK;
}

cl_err
cl_store_holiday_delete(cl_store *st, const char *on, int *found, cl_error *err)
{
    *found = 0;
    if (!st->in_tx)
        return cl_error_set(err, CL_EINVAL,
                            "cl_store_holiday_delete outside a transaction");
    return cl__api_holiday_delete(st, on, found, err);
}
