/*
 * engine_people.h - the shell of managing people (issue 16): invitations
 * and password resets as one-time links sent by e-mail through the
 * outbox, the manager rules, deactivation.  One code path for the HTTP
 * API and the CLI.
 *
 * Every call takes an open store with no transaction open, runs its change
 * in ONE transaction with its audit entries (and the outbox row of its
 * e-mail), and leaves a one-line reason naming the field in err on
 * refusal.  Nothing here reads the clock: now is an argument.  Needs
 * libsodium initialised (sodium_init).
 */
#ifndef CL_ENGINE_PEOPLE_H
#define CL_ENGINE_PEOPLE_H

#include "../core/date.h"
#include "../core/err.h"
#include "../core/people.h"
#include "../store/store.h"

/* Room for a one-time link's URL and for its secret. */
#define CL_ENGINE_URL_MAX 600
#define CL_ENGINE_SECRET_MAX 80

/* The public address links start with, when the public_url setting is
   not set. */
#define CL_ENGINE_DEFAULT_URL "http://127.0.0.1:8080"

/* A person to invite; manager_id and team may be NULL or "". */
typedef struct cl_engine_person {
    const char *name, *email, *role, *manager_id, *team;
} cl_engine_person;

/* What an invitation or a reset made. */
typedef struct cl_engine_link {
    char user_id[CL_PEOPLE_ID_MAX];
    char url[CL_ENGINE_URL_MAX]; /* PUBLIC_URL/invite#SECRET */
    char expires_at[21];         /* ISO time, UTC */
} cl_engine_link;

/*
 * Invites a new person: checks the fields with the users import's rules
 * (and: the e-mail belongs to nobody yet; the manager is an active user),
 * derives a unique internal id from the name (or role), creates the user
 * without a password, stores a one-time link that expires after the
 * invite_expiry_hours setting (72) and queues the e-mail holding it.
 * *field (may be NULL) names the bad field on CL_EINVAL.
 *   CL_EINVAL  a field is wrong (err says which and why)
 */
cl_err cl_engine_invite(cl_store *st, const cl_engine_person *p,
                        const char *actor, cl_time now, cl_engine_link *out,
                        const char **field, cl_error *err);

/*
 * Sends user_id a new one-time link of kind "invite" (to a person who has
 * not chosen a password yet) or "reset" (a forgotten password); the old
 * link stops working.
 *   CL_ENOTFOUND  no such user
 *   CL_ECONFLICT  the user is deactivated, or an invite goes to someone
 *                 who has a password already (send a reset)
 */
cl_err cl_engine_link_send(cl_store *st, const char *user_id, const char *kind,
                           const char *actor, cl_time now, cl_engine_link *out,
                           cl_error *err);

/*
 * Checks manager_id (NULL or "": none) as the manager of user_id: it
 * names a user, an active one, and not user_id itself or someone who
 * reports to user_id (no loop of managers).  Reads only; any transaction.
 *   CL_EINVAL  err says why, naming manager_id
 */
cl_err cl_engine_manager_check(cl_store *st, const char *user_id,
                               const char *manager_id, cl_error *err);

/*
 * Checks email as the sign-in of user_id (NULL: a new user): nobody else
 * signs in with it (ASCII case ignored), since sign-in finds a user by
 * e-mail.  Reads only; any transaction.
 *   CL_EINVAL  err says why, naming email
 */
cl_err cl_engine_email_check(cl_store *st, const char *user_id,
                             const char *email, cl_error *err);

/*
 * Deactivates (active 0) or reactivates (active 1) user_id: see
 * cl_store_user_active_set.  A deactivated user who still manages active
 * people keeps them (the history of the loop names that manager); the
 * People page shows who reports to a deactivated manager.  *revoked (may
 * be NULL) counts the API tokens revoked.
 *   CL_ENOTFOUND  no such user
 *   CL_ECONFLICT  the user is in that state already, or deactivates itself
 */
cl_err cl_engine_user_active(cl_store *st, const char *user_id, int active,
                             const char *actor, cl_time now, int *revoked,
                             cl_error *err);

#endif
