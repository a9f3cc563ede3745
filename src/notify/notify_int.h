/* notify_int.h - the transports of the delivery worker; not public. */
#ifndef CL_NOTIFY_INT_H
#define CL_NOTIFY_INT_H

#include "notify.h"

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

/* POSTs m to url as JSON (slack: {"text": ...}). */
cl_err cl__webhook_send(const char *url, int slack, const cl__msg *m,
                        cl_error *err);

/* POSTs m to a Slack (format "slack") or Teams ("teams") incoming webhook
   at url.  CL_OK, CL_ERETRY, or CL_EINVAL when the webhook refuses the post
   for good (removed, malformed), with the reason in err. */
cl_err cl__chat_send(const char *url, const char *format, const cl__msg *m,
                     cl_error *err);

#endif
