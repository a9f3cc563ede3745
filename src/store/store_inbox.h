/*
 * store_inbox.h - the event inbox (issue 15): what a webhook received,
 * stored raw before it is applied.
 *
 * An event is keyed by its source ("generic", "hubspot", "salesforce") and
 * the id the source gave it; adding one that is stored already adds
 * nothing, so a resent event is applied once.  Its status moves pending ->
 * applied, or pending -> failed (with the one-line error) -> pending (a
 * retry) or discarded.  Every call but the reads runs inside the caller's
 * transaction (cl_store_begin); the SQL is one text for both backends.
 */
#ifndef CL_STORE_INBOX_H
#define CL_STORE_INBOX_H

#include <stdint.h>

#include "store.h"

/* One stored event; the strings are valid during the callback only. */
typedef struct cl_inbox_event {
    int64_t id;
    const char *source, *event_id, *received_at, *payload;
    const char *status; /* pending, applied, failed, discarded */
    const char *error;  /* why it failed, or NULL */
    const char *applied_at;
    int attempts; /* apply attempts so far */
} cl_inbox_event;

/* Called per event; non-zero stops the rows. */
typedef int (*cl_inbox_cb)(void *ud, const cl_inbox_event *ev);

/*
 * Stores the event (source, event_id) with its payload as pending, received
 * at the transaction's time, unless it is stored already.  *id gets the
 * event's id (new or not), *added 1 when it was new.  In a transaction.
 */
cl_err cl_store_inbox_add(cl_store *st, const char *source,
                          const char *event_id, const char *payload,
                          int64_t *id, int *added, cl_error *err);

/* Calls cb with event id if it exists (*found 1). */
cl_err cl_store_inbox_get(cl_store *st, int64_t id, cl_inbox_cb cb, void *ud,
                          int *found, cl_error *err);

/*
 * Events of status (NULL: any) with an id above after, oldest first, at
 * most limit (>= 1) of them.
 */
cl_err cl_store_inbox_list(cl_store *st, const char *status, int64_t after,
                           int64_t limit, cl_inbox_cb cb, void *ud,
                           cl_error *err);

/*
 * Moves event id from status `from` to `to`, with error (NULL clears it);
 * counts an attempt when `to` is applied or failed, and stamps applied_at
 * when it is applied.  *moved 0 when the event was not in `from` (someone
 * else moved it first: the caller's change is not to be made).  In a
 * transaction; audited when `to` is discarded or a failed event goes back
 * to pending (RevOps' decisions).
 */
cl_err cl_store_inbox_move(cl_store *st, int64_t id, const char *from,
                           const char *to, const char *error, int *moved,
                           cl_error *err);

#endif
