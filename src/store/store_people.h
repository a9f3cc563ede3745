/*
 * store_people.h - the store calls of managing people (issue 16): the
 * People list, one-time links (invitations and password resets) and
 * deactivation.
 *
 * Links arrive as the SHA-256 hex digest of their secret: the secret
 * itself never reaches the store.  Writes run inside the caller's
 * transaction (CL_EINVAL outside one) and append their audit entry there.
 * Rows handed to a callback stay valid only during the callback.
 */
#ifndef CL_STORE_PEOPLE_H
#define CL_STORE_PEOPLE_H

#include "store.h"

/* A user as the People page shows it. */
typedef struct cl_store_person {
    const char *id, *name, *email, *role, *manager_id, *team;
    int has_password;
    const char *deactivated_at;    /* NULL while active */
    const char *invite_kind;       /* the live link: invite, reset; NULL */
    const char *invite_expires_at; /* its expiry, NULL without one */
} cl_store_person;

typedef int (*cl_store_person_cb)(void *ud, const cl_store_person *p);

/*
 * Calls cb for user id (NULL: every user, by name then id); the live link
 * is the unused one (a new link drops the old), expired or not.
 */
cl_err cl_store_people_each(cl_store *st, const char *id, cl_store_person_cb cb,
                            void *ud, cl_error *err);

/*
 * Stores a one-time link of kind ("invite" or "reset") for user_id that
 * expires at expires_at (ISO time, UTC): the user's unused links go (a
 * new link replaces the old one), audited as "invite_sent" or
 * "reset_sent" with the kind and expiry, never the secret.
 */
cl_err cl_store_onetime_add(cl_store *st, const char *user_id, const char *kind,
                            const char *token_hash, const char *expires_at,
                            cl_error *err);

/* A one-time link as stored; copies. */
typedef struct cl_store_onetime {
    char user_id[72], kind[16], expires_at[24];
    char used_at[24]; /* "" while unused */
} cl_store_onetime;

/* The link whose secret has token_hash into *out; *found 0 when none. */
cl_err cl_store_onetime_get(cl_store *st, const char *token_hash,
                            cl_store_onetime *out, int *found, cl_error *err);

/* Marks the link used at the transaction's time; *changed 0 when it was
   used already (another request won). */
cl_err cl_store_onetime_use(cl_store *st, const char *token_hash, int *changed,
                            cl_error *err);

/*
 * Deactivates (active 0) or reactivates (active 1) user_id, audited as
 * "deactivate" or "activate".  Deactivating also ends every browser
 * session of the user, revokes their API tokens (each audited) and drops
 * their unused links, at once and in the same transaction; their records
 * and audit entries stay.  *changed 0 when the user was in that state
 * already or does not exist; *revoked (may be NULL) counts the tokens.
 */
cl_err cl_store_user_active_set(cl_store *st, const char *user_id, int active,
                                int *changed, int *revoked, cl_error *err);

#endif
