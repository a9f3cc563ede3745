/*
 * h_events.c - the inbound events the webhooks stored (h_webhooks.c), for
 * RevOps: the failed ones to retry, once their cause is fixed, or discard.
 *
 *   GET  /api/v1/events?status=        the inbox, oldest first
 *   GET  /api/v1/events/{id}           one event with its payload
 *   POST /api/v1/events/{id}/retry     a failed event, applied again
 *   POST /api/v1/events/{id}/discard   a failed event, given up
 *
 * Both decisions are audited (store_inbox.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../store/store_inbox.h"
#include "http_int.h"
#include "inbox.h"

/* ---- the inbox, for RevOps -------------------------------------------------
 */

typedef struct list_ud {
    json_t *items;
    int64_t last;
    int full; /* with the payload */
} list_ud;

static int
event_cb(void *ud, const cl_inbox_event *ev)
{
    list_ud *u = ud;
    char summary[200];
    cl__inbox_summary(ev->source, ev->payload, summary, sizeof summary);
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:i, s:s?, s:s}", "id",
                  (json_int_t)ev->id, "source", ev->source, "event_id",
                  ev->event_id, "received_at", ev->received_at, "status",
                  ev->status, "error", ev->error, "attempts", ev->attempts,
                  "applied_at", ev->applied_at, "summary", summary);
    if (o && u->full) {
        json_t *p = json_loads(ev->payload, 0, NULL);
        json_object_set_new(o, "payload", p ? p : json_string(ev->payload));
    }
    if (o)
        json_array_append_new(u->items, o);
    u->last = ev->id;
    return 0;
}

static const char *const statuses[] = {"pending", "applied", "failed",
                                       "discarded", NULL};

enum MHD_Result
cl__h_events(cl_http_req *r)
{
    int64_t limit, after;
    enum MHD_Result done;
    cl_error err;
    const char *status = cl_http_query(r, "status");
    if (status && cl_enum_index(statuses, status) < 0)
        return cl_http_error(r, 400, "invalid", "status",
                             "status: expected pending, applied, failed or "
                             "discarded");
    if (cl__http_cursor_page(r, "events", &limit, &after, &done) < 0)
        return done;
    list_ud u = {.items = json_array()};
    cl_error_clear(&err);
    cl_err e = cl_store_inbox_list(r->st, status, after, limit + 1, event_cb,
                                   &u, &err);
    if (e != CL_OK) {
        json_decref(u.items);
        return cl_http_fail(r, e, &err);
    }
    json_t *doc = json_object();
    char next[CL_HTTP_CURSOR_MAX * 2], text[24];
    if ((int64_t)json_array_size(u.items) > limit) {
        json_array_remove(u.items, (size_t)limit);
        json_t *last = json_array_get(u.items, (size_t)limit - 1);
        snprintf(text, sizeof text, "%lld",
                 (long long)json_integer_value(json_object_get(last, "id")));
        cl__http_cursor_encode("events", text, next, sizeof next);
        json_object_set_new(doc, "next_cursor", json_string(next));
    } else {
        json_object_set_new(doc, "next_cursor", json_null());
    }
    json_object_set_new(doc, "items", u.items);
    return cl_http_reply_json(r, 200, doc, NULL);
}

/* Event {id} of the path as JSON with its payload into *out; 404 queued
   (returns -1, *done set) when there is none. */
static int
one_event(cl_http_req *r, int64_t *id, json_t **out, enum MHD_Result *done)
{
    char *end;
    int found = 0;
    cl_error err;
    long long v = strtoll(r->params[0], &end, 10);
    list_ud u = {.items = json_array(), .full = 1};
    *out = NULL;
    cl_error_clear(&err);
    cl_err e = v > 0 && !*end
                   ? cl_store_inbox_get(r->st, v, event_cb, &u, &found, &err)
                   : CL_OK;
    if (e != CL_OK || !found) {
        json_decref(u.items);
        *done = e != CL_OK ? cl_http_fail(r, e, &err)
                           : cl_http_error(r, 404, "not_found", NULL,
                                           "no event '%s'", r->params[0]);
        return -1;
    }
    *id = v;
    *out = json_incref(json_array_get(u.items, 0));
    json_decref(u.items);
    return 0;
}

enum MHD_Result
cl__h_event_get(cl_http_req *r)
{
    int64_t id;
    json_t *ev;
    enum MHD_Result done;
    if (one_event(r, &id, &ev, &done) < 0)
        return done;
    return cl_http_reply_json(r, 200, ev, NULL);
}

/* Moves a failed event to `to` (audited, by the caller), then for a retry
   applies it; replies with the event as it ends. */
static enum MHD_Result
decide(cl_http_req *r, const char *to)
{
    int64_t id;
    json_t *ev;
    enum MHD_Result done;
    int moved = 0;
    cl_error err;
    if (one_event(r, &id, &ev, &done) < 0)
        return done;
    json_decref(ev);
    cl_error_clear(&err);
    cl_err e = cl_store_begin(r->st, r->user_id, r->now, &err);
    if (e == CL_OK)
        e = cl_store_inbox_move(r->st, id, "failed", to, NULL, &moved, &err);
    if (e == CL_OK && moved)
        e = cl_store_commit(r->st, &err);
    if (e != CL_OK || !moved)
        cl_store_rollback(r->st);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    if (!moved)
        return cl_http_error(r, 409, "conflict", "status",
                             "status: only a failed event can be retried or "
                             "discarded");
    cl_inbox_outcome o;
    if (!strcmp(to, "pending") &&
        (e = cl__inbox_apply(r->st, id, r->now, &o, &err)) != CL_OK)
        return cl_http_fail(r, e, &err);
    if (one_event(r, &id, &ev, &done) < 0)
        return done;
    return cl_http_reply_json(r, 200, ev, NULL);
}

enum MHD_Result
cl__h_event_retry(cl_http_req *r)
{
    return decide(r, "pending");
}

enum MHD_Result
cl__h_event_discard(cl_http_req *r)
{
    return decide(r, "discarded");
}
