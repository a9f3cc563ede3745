/*
 * store_notify.h - how each person gets their notifications (schema v11,
 * table notify_prefs; issues 15 and 16) and the reads of the daily digest.
 */
#ifndef CL_STORE_NOTIFY_H
#define CL_STORE_NOTIFY_H

#include "store.h"

/* One person's choice; strings valid during the callback (or, from
   cl_store_notify_pref_get, in the caller's buffers). */
typedef struct cl_store_notify_pref {
    char mode[16];   /* email | chat | digest */
    char format[16]; /* slack | teams; "" when no chat webhook */
    char url[1024];  /* the chat webhook; "" when none (a secret) */
    char updated_at[21];
} cl_store_notify_pref;

/*
 * user_id's choice into *out; *found 0 (and out->mode "email") when the
 * person never chose.  In or outside a transaction.
 */
cl_err cl_store_notify_pref_get(cl_store *st, const char *user_id,
                                cl_store_notify_pref *out, int *found,
                                cl_error *err);

/*
 * Sets user_id's mode, and its chat webhook: url and format NULL keep the
 * stored ones, url "" clears both.  The audit entry names the mode and
 * whether a webhook is set, never the URL.  In a transaction; the caller
 * checked the values (core/notify_route.h).
 */
cl_err cl_store_notify_pref_set(cl_store *st, const char *user_id,
                                const char *mode, const char *url,
                                const char *format, cl_error *err);

#endif
