/* notify_int.h - the transports of the delivery worker; not public. */
#ifndef CL_NOTIFY_INT_H
#define CL_NOTIFY_INT_H

#include "notify.h"
#include "../core/crm.h"

/* One message to send (copies owned by the worker). */
typedef struct cl__msg {
    int64_t id;
    char *recipient_id, *email, *channel, *kind, *subject, *body, *key;
    char *subject_kind, *subject_id, *created_at;
    int attempts;
} cl__msg;

/*
 * Sends m by e-mail through smtp_url from `from`; date is the RFC 5322 Date
 * header.  CL_OK, or CL_ERETRY (transient) / CL_EINVAL (never deliverable)
 * with the reason in err.
 */
cl_err cl__smtp_send(const char *smtp_url, const char *from, const char *date,
                     const cl__msg *m, cl_error *err);

/*
 * POSTs body, JSON, to url with key in its Idempotency-Key header, the one
 * request of the webhook and chat transports.  After the transfer, *why is
 * curl's reason when it failed (NULL when it did not), else *status the
 * HTTP status.  web_only: http and https only.  CL_OK, or CL_ERETRY when
 * curl cannot start.
 */
cl_err cl__post_json(const char *url, const char *body, const char *key,
                     int web_only, long *status, const char **why,
                     cl_error *err);

/* POSTs m to url as JSON (slack: {"text": ...}). */
cl_err cl__webhook_send(const char *url, int slack, const cl__msg *m,
                        cl_error *err);

/* POSTs m to a Slack (format "slack") or Teams ("teams") incoming webhook
   at url.  CL_OK, CL_ERETRY, or CL_EINVAL when the webhook refuses the post
   for good (removed, malformed), with the reason in err. */
cl_err cl__chat_send(const char *url, const char *format, const cl__msg *m,
                     cl_error *err);

/* The write-back's settings, read when the worker runs. */
typedef struct cl__crm_cfg {
    cl_crm crm;
    char base_url[512], token[2100], version[16];
} cl__crm_cfg;

/*
 * The request of a write-back row (the outbox body): url (base URL and the
 * record's path) and *json (the caller frees) the PATCH body.  CL_EINVAL
 * when the row cannot be sent (queued for another CRM, not a record id).
 */
cl_err cl__crm_request(const cl__crm_cfg *c, const char *row_body, char *url,
                       size_t url_len, char **json, cl_error *err);

/* PATCHes m onto its CRM record: CL_OK, CL_ERETRY (429, 5xx, 401, 403,
   network) or CL_EINVAL (any other refusal). */
cl_err cl__crm_send(const cl__crm_cfg *c, const cl__msg *m, cl_error *err);

/* The senders: the table closeloop-net.so exports as cl__net_module
   (module.h; net.c).  start readies libcurl, once per process. */
typedef struct cl__net_api {
    cl_err (*start)(cl_error *err);
    cl_err (*smtp_send)(const char *smtp_url, const char *from,
                        const char *date, const cl__msg *m, cl_error *err);
    cl_err (*webhook_send)(const char *url, int slack, const cl__msg *m,
                           cl_error *err);
    cl_err (*chat_send)(const char *url, const char *format, const cl__msg *m,
                        cl_error *err);
    cl_err (*crm_send)(const cl__crm_cfg *c, const cl__msg *m, cl_error *err);
} cl__net_api;

#endif
