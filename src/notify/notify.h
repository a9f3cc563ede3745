/*
 * notify.h - delivery of the outbox: e-mail over SMTP and JSON webhooks,
 * with retries, backoff and a dead letter.
 *
 * The engine commits a notification as outbox rows in the same transaction
 * as the change that caused it; this worker sends the pending rows.  A row
 * is marked sent only after its transport succeeded, in a transaction of
 * its own, so a process killed between commit and send sends it after the
 * restart, and one killed between send and mark sends it again with the
 * same idempotency key (the Message-ID header of the e-mail, the
 * Idempotency-Key header of the webhook), by which the receiver dedupes.
 *
 * Settings (closeloop config): smtp_url, smtp_from, webhook_url,
 * webhook_format (json | slack), max_attempts (5), retry_base_seconds (60).
 * Chat (issue 15): a person's direct messages (channel "chat") go to their
 * own Slack or Teams incoming webhook (store_notify.h), a team channel's
 * posts (channel "chat_channel", recipient "channel N") to the setting
 * chat_channel_N_url in chat_channel_N_format.  The daily digest (issue
 * 16): from digest_hour (UTC, 8) on, each person's held rows (channel
 * "digest") become one e-mail of the day, queued and marked in one
 * transaction, then sent with the other e-mails of the round.
 * The CRM write-back (channel "crm", crm.c): crm_writeback, crm_base_url,
 * crm_token, crm_api_version.
 * A failed attempt is retried after retry_base_seconds * 2^(attempts-1);
 * after max_attempts failures the row is 'dead'.  A channel that is not
 * configured is left pending (counted as waiting), not failed.
 */
#ifndef CL_NOTIFY_H
#define CL_NOTIFY_H

#include <jansson.h>

#include "../core/date.h"
#include "../core/err.h"
#include "../store/store_engine.h"

typedef struct cl_notify_stats {
    int sent;    /* delivered and marked sent */
    int retried; /* failed, rescheduled */
    int dead;    /* failed for the last time */
    int waiting; /* due but their channel is not configured */
    int digests; /* daily digest e-mails queued (issue 16) */
} cl_notify_stats;

typedef struct cl_notify_opts {
    int limit; /* at most this many messages per channel (0: deliver_batch) */
    /* Called after a successful send, before the row is marked sent (a hook
       for crash tests); NULL for none. */
    void (*after_send)(void *ud, int64_t id);
    void *ud;
    const char *only; /* one channel ("crm": the write-back); NULL: all */
    /* The workspace's offset east of UTC now (cl_engine_zone), in seconds:
       digest_hour is the workspace's hour. */
    int utc_offset;
} cl_notify_opts;

/*
 * Sends every pending message due at now, once.  opts may be NULL.
 * Returns CL_OK (even when messages failed: see stats), CL_EDB, CL_ENOMEM.
 */
cl_err cl_notify_run(cl_store *st, cl_time now, const cl_notify_opts *opts,
                     cl_notify_stats *stats, cl_error *err);

/* One pending write-back as it would be sent (strings valid during the
   callback).  url NULL, and problem set, for a row that cannot be sent. */
typedef struct cl_notify_crm_item {
    int64_t id;
    const char *method, *url, *body;
    const char *subject, *object, *record_id;
    int attempts;
    const char *next_attempt_at, *last_error, *problem;
} cl_notify_crm_item;

typedef int (*cl_notify_crm_cb)(void *ud, const cl_notify_crm_item *it);

/*
 * The write-back's pending rows (outbox channel "crm"), by id, each as the
 * request the worker would make with today's settings: method, URL and
 * JSON body (never the token).  Sends nothing: the dry run.  cb returns
 * non-zero to stop.  CL_OK, CL_EDB, CL_ENOMEM.
 */
cl_err cl_notify_crm_pending(cl_store *st, cl_notify_crm_cb cb, void *ud,
                             cl_error *err);

/* it as the JSON object the dry run shows (CLI --format json and the API):
   id, method, url, body (parsed), subject, object, record_id, attempts,
   next_attempt_at, last_error, problem; NULL when out of memory. */
json_t *cl_notify_crm_item_json(const cl_notify_crm_item *it);

/*
 * The Message-ID of an idempotency key into out: "<KEY.HASH@closeloop>"
 * with the key's characters outside [A-Za-z0-9._-] replaced by '.', HASH
 * the key's 64-bit FNV-1a in hex (so two keys never share one).
 */
void cl_notify_message_id(const char *key, char *out, size_t len);

#endif
