/*
 * store_api.h - the store calls of the HTTP server and of the user and
 * token commands: filtered pages of records, sign-in credentials, API
 * tokens, browser sessions, and the settings RevOps edits.
 *
 * Rows handed to a callback belong to the store and stay valid only during
 * the callback.  Writes must run inside the caller's transaction
 * (cl_store_begin) and return CL_EINVAL outside one; record and settings
 * writes append their audit entry in that transaction.  Secrets never reach
 * the store: tokens and session ids arrive as their SHA-256 hex digest.
 */
#ifndef CL_STORE_API_H
#define CL_STORE_API_H

#include "store.h"

/* ---- pages of records ------------------------------------------------------
 */

/* One equality filter: column `field` (a field of the kind) equals value. */
typedef struct cl_store_filter {
    const char *field;
    const char *value; /* compared as text; NULL matches SQL NULL */
} cl_store_filter;

/*
 * Calls cb for the records of kind that match every filter, in key order,
 * skipping `offset` and stopping after `limit` (limit < 0: no limit).
 * *total (may be NULL) receives the number of matching records.
 *   CL_EINVAL  a filter names no field of kind (err names it)
 *   CL_EDB     the backend failed
 */
cl_err cl_store_list(cl_store *st, cl_kind kind, const cl_store_filter *filters,
                     size_t nfilters, int64_t limit, int64_t offset,
                     cl_store_row_cb cb, void *ud, int64_t *total,
                     cl_error *err);

/* A page request of cl_store_list_page. */
typedef struct cl_store_list_req {
    const cl_store_filter *filters; /* equality filters, all must match */
    size_t nfilters;                /* at most 16 */
    /* NULL or "": no search; else the key, or the name of a kind with a
       "name" field, contains it, ASCII case-insensitively, literally (no
       wildcards). */
    const char *search;
    /* NULL: from the first record; else only records whose key (text of a
       one-field key) sorts after it: a keyset page, an index seek. */
    const char *after;
    int64_t limit;  /* < 0: no limit */
    int64_t offset; /* records skipped after the filters and `after` */
} cl_store_list_req;

/*
 * Calls cb for the records of kind that match req, in key order (byte
 * order of the key's text on both backends).  *total (may be NULL)
 * receives the number of records matching the filters and the search,
 * ignoring after, limit and offset.
 *   CL_EINVAL  a filter names no field of kind, or `after` is given for a
 *              kind with a compound key
 *   CL_EDB     the backend failed (also for an `after` the key's column
 *              cannot hold: check it with the key's field rule first)
 */
cl_err cl_store_list_page(cl_store *st, cl_kind kind,
                          const cl_store_list_req *req, cl_store_row_cb cb,
                          void *ud, int64_t *total, cl_error *err);

/*
 * Tunes the SQLite library for a process with many connections in many
 * threads (no global memory statistics, whose mutex every allocation
 * takes).  Call before the first cl_store_open of the process.
 */
void cl_store_threaded(void);

/* ---- users' credentials ----------------------------------------------------
 */

/* A user as sign-in needs it; copies, so it outlives the next call. */
typedef struct cl_store_login {
    char id[72], name[256], email[256], role[32], manager_id[72];
    char password_hash[192]; /* "" when no password is set */
    int deactivated;         /* 1: may not sign in (issue 16) */
} cl_store_login;

/*
 * Reads the user whose email (when by_email) or id is key into *out;
 * *found is 0 when there is none.  Emails compare case-insensitively.
 */
cl_err cl_store_login_get(cl_store *st, const char *key, int by_email,
                          cl_store_login *out, int *found, cl_error *err);

/* Sets user id's password hash (audited as "password_set" without the
   hash); *found 0 when no such user. */
cl_err cl_store_password_set(cl_store *st, const char *user_id,
                             const char *hash, int *found, cl_error *err);

/*
 * A password change, all of it, inside the caller's transaction: sets user
 * id's password hash (audited as "password_set"), ends the user's browser
 * sessions but keep_hash (NULL: all) and revokes every live API token of
 * the user (each audited as "token_revoke"): whoever knew the old password
 * may have signed in or minted a token with it.  *found 0 when no such
 * user (nothing changed); *revoked (may be NULL) counts the tokens revoked.
 *   CL_EINVAL  no transaction
 *   CL_EDB     the backend failed
 */
cl_err cl_store_password_change(cl_store *st, const char *user_id,
                                const char *hash, const char *keep_hash,
                                int *found, int *revoked, cl_error *err);

/*
 * Revokes every live API token of user_id (each audited as
 * "token_revoke") inside the caller's transaction; *revoked (may be NULL)
 * counts them.
 */
cl_err cl_store_tokens_revoke_all(cl_store *st, const char *user_id,
                                  int *revoked, cl_error *err);

/* ---- API tokens ------------------------------------------------------------
 */

/* Stores a token (audited as "token_create"). */
cl_err cl_store_token_add(cl_store *st, const char *id, const char *user_id,
                          const char *token_hash, cl_error *err);

/* Revokes token id; *changed 0 when unknown or revoked already. */
cl_err cl_store_token_revoke(cl_store *st, const char *id, int *changed,
                             cl_error *err);

/* The user of the live token with token_hash into user_id (72 bytes). */
cl_err cl_store_token_user(cl_store *st, const char *token_hash, char *user_id,
                           int *found, cl_error *err);

/* ---- browser sessions ------------------------------------------------------
 */

/* Stores a sign-in session that ends at expires_at (ISO time, UTC). */
cl_err cl_store_websession_add(cl_store *st, const char *token_hash,
                               const char *user_id, const char *csrf,
                               const char *expires_at, cl_error *err);

/*
 * The session with token_hash that has not expired at now: its user into
 * user_id (72 bytes) and its CSRF token into csrf (72 bytes).
 */
cl_err cl_store_websession_get(cl_store *st, const char *token_hash,
                               const char *now, char *user_id, char *csrf,
                               int *found, cl_error *err);

/* Ends a session (sign-out).  Needs no transaction. */
cl_err cl_store_websession_delete(cl_store *st, const char *token_hash,
                                  cl_error *err);

/* ---- the in-app inbox ------------------------------------------------------
 */

typedef struct cl_store_inbox_row {
    int64_t id;
    const char *kind, *subject, *body, *created_at, *read_at;
    const char *subject_kind, *subject_id;
} cl_store_inbox_row;

typedef int (*cl_store_inbox_cb)(void *ud, const cl_store_inbox_row *row);

/* The inbox messages of recipient_id, newest first; id (0: all) picks one. */
cl_err cl_store_inbox_each(cl_store *st, const char *recipient_id, int64_t id,
                           cl_store_inbox_cb cb, void *ud, cl_error *err);

/* Marks inbox message id (0: every unread one) of recipient_id read
   (once); *changed counts the messages marked, 0 when read already or not
   theirs.  Needs no transaction: reading a message changes no record, so
   it is not audited. */
cl_err cl_store_inbox_read(cl_store *st, const char *recipient_id, int64_t id,
                           const char *at, int *changed, cl_error *err);

/* ---- settings --------------------------------------------------------------
 */

/*
 * Changes taxonomy cause code (audited): its label and definition (either
 * NULL to keep it), and retire: 1 retires it (kept for the tags and reports
 * that use it, no longer offered when tagging), 0 puts it back in use, -1
 * keeps it as it is.  *found 0 for an unknown code.
 */
cl_err cl_store_cause_set(cl_store *st, const char *code, const char *label,
                          const char *definition, int retire, int *found,
                          cl_error *err);

/*
 * Adds cause c at the end of the taxonomy (audited), in use; its
 * owner_role is not stored here (the route_CODE setting holds it).
 *   CL_ECONFLICT  a cause with c->code exists (err says so)
 */
cl_err cl_store_cause_add(cl_store *st, const cl_cause *c, cl_error *err);

/* Changes a threshold's value (audited); *found 0 for an unknown key. */
cl_err cl_store_threshold_set(cl_store *st, const char *key, double value,
                              int *found, cl_error *err);

/* ---- administration: sessions, tokens, holidays ---------------------------
 */

/*
 * Ends every browser session of user_id except the one whose token hash is
 * keep_hash (NULL: all of them), as a password change must.  Inside the
 * caller's transaction; not audited (the password change is).
 */
cl_err cl_store_websessions_end(cl_store *st, const char *user_id,
                                const char *keep_hash, cl_error *err);

/* An API token as lists show it: never its secret or hash. */
typedef struct cl_store_token_row {
    const char *id, *user_id, *created_at;
    const char *revoked_at; /* NULL while live */
} cl_store_token_row;

/* Called per token; a non-zero return stops the walk. */
typedef int (*cl_store_token_cb)(void *ud, const cl_store_token_row *row);

/*
 * Calls cb for the tokens of user_id (NULL: every user's) and, when id is
 * not NULL, only token id; oldest first.
 */
cl_err cl_store_tokens_each(cl_store *st, const char *user_id, const char *id,
                            cl_store_token_cb cb, void *ud, cl_error *err);

/* Room for a token's secret ("clt_" and 64 hex digits) and for its id. */
#define CL_TOKEN_SECRET_LEN 80
#define CL_TOKEN_ID_LEN 24

/*
 * Creates an API token for user_id inside the caller's transaction (the
 * one code path of `closeloop token create` and POST /api/v1/tokens): a
 * random secret into token, its id into id; only the secret's SHA-256 is
 * stored.  *user (may be NULL) receives the user.  Needs libsodium
 * initialised (sodium_init).
 *   CL_EINVAL  no user user_id (err says so), or no transaction
 *   CL_EDB     the backend failed
 */
cl_err cl_store_token_create(cl_store *st, const char *user_id,
                             char token[CL_TOKEN_SECRET_LEN],
                             char id[CL_TOKEN_ID_LEN], cl_store_login *user,
                             cl_error *err);

/*
 * Deletes the holiday on date `on` (YYYY-MM-DD), audited as "delete" with
 * the old row; *found 0 when there is none.  Inside a transaction.
 */
cl_err cl_store_holiday_delete(cl_store *st, const char *on, int *found,
                               cl_error *err);

#endif
