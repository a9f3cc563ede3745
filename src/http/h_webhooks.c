/*
 * h_webhooks.c - inbound events (issue 15, docs/integrations.md).
 *
 *   POST /api/v1/webhooks/generic      X-Closeloop-Signature, one event
 *   POST /api/v1/webhooks/hubspot      X-HubSpot-Signature-v3, an array
 *   POST /api/v1/webhooks/salesforce   an Outbound Message (SOAP)
 *
 * The webhooks take no session or token: a CRM has none.  Each is verified
 * instead (a signature over the body, or Salesforce's organization id),
 * and refused with 401 before anything is stored.  A verified request's
 * events are stored raw, all or none, and then applied one by one
 * (inbox.h); the reply says what became of them.  A resent event is
 * stored once and applied once.  What failed is RevOps' (h_events.c).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../io/hubspot_event.h"
#include "../io/sfdc_soap.h"
#include "../store/store_engine.h"
#include "http_int.h"
#include "inbox.h"
#include "webhook_sig.h"

/* HubSpot sends at most 100 events per request. */
#define MAX_EVENTS 100

static const char *
header(cl_http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* Setting key into buf; 0 when it is unset (or empty). */
static int
setting(cl_http_req *r, const char *key, char *buf, size_t len)
{
    int found = 0;
    cl_error err;
    cl_error_clear(&err);
    if (cl_store_config_get(r->st, key, buf, len, &found, &err) != CL_OK)
        found = 0;
    return found && *buf;
}

static enum MHD_Result
not_configured(cl_http_req *r, const char *key)
{
    return cl_http_error(r, 403, "not_configured", key,
                         "this webhook is off until %s is set (settings)", key);
}

/*
 * The end of every webhook: when the checks before passed (e is CL_OK),
 * stores the n events and applies them (the new ones, and any a crash left
 * pending), and sets *doc to the reply's counts; else queues the refusal
 * (CL_EINVAL: 400 with err's line) and *doc is NULL, as it is when the
 * store fails.  Frees payloads either way.
 */
static enum MHD_Result
take(cl_http_req *r, const char *source, size_t n, const char *const *ids,
     char **payloads, cl_err e, cl_error *err, json_t **doc)
{
    int64_t inbox_ids[MAX_EVENTS];
    int added = 0, applied = 0, failed = 0;
    json_t *events = json_array();
    *doc = NULL;
    if (e == CL_OK)
        e = cl__inbox_receive(r->st, source, n, ids,
                              (const char *const *)payloads, r->now, inbox_ids,
                              &added, err);
    for (size_t i = 0; i < n; i++)
        free(payloads[i]);
    for (size_t i = 0; e == CL_OK && i < n; i++) {
        cl_inbox_outcome o;
        e = cl__inbox_apply(r->st, inbox_ids[i], r->now, &o, err);
        applied += o == CL_INBOX_APPLIED;
        failed += o == CL_INBOX_FAILED;
        json_array_append_new(events, json_integer(inbox_ids[i]));
    }
    if (e != CL_OK) {
        json_decref(events);
        /* Stored is stored: the events apply at the next start or retry,
           and the sender's resend finds them. */
        return e == CL_EINVAL
                   ? cl_http_error(r, 400, "invalid", NULL, "%s", err->msg)
                   : cl_http_fail(r, e, err);
    }
    *doc = json_pack("{s:I, s:i, s:i, s:i, s:o}", "received", (json_int_t)n,
                     "new", added, "applied", applied, "failed", failed,
                     "events", events);
    return *doc ? MHD_YES : cl_http_fail(r, CL_ENOMEM, NULL);
}

/* ---- the generic webhook ------------------------------------------------ */

enum MHD_Result
cl__h_webhook_generic(cl_http_req *r)
{
    char secret[300];
    const char *why;
    cl_error err;
    cl_kind kind;
    if (!setting(r, "webhook_generic_secret", secret, sizeof secret))
        return not_configured(r, "webhook_generic_secret");
    if (cl_webhook_sig_generic(secret, header(r, "X-Closeloop-Timestamp"),
                               header(r, "X-Closeloop-Signature"),
                               r->body ? r->body : "", r->body_len, r->now,
                               &why) != 0) {
        sodium_memzero(secret, sizeof secret);
        return cl_http_error(r, 401, "bad_signature", NULL, "%s", why);
    }
    sodium_memzero(secret, sizeof secret);
    json_error_t jerr;
    json_t *body = json_loadb(r->body ? r->body : "", r->body_len,
                              JSON_REJECT_DUPLICATES, &jerr);
    if (body == NULL)
        return cl_http_error(r, 400, "invalid_json", NULL,
                             "body: not JSON (line %d: %s)", jerr.line,
                             jerr.text);
    cl_error_clear(&err);
    if (cl__inbox_generic_check(body, &kind, &err) != CL_OK) {
        json_decref(body);
        return cl_http_error(r, 400, "invalid", NULL, "%s", err.msg);
    }
    char *payload = json_dumps(body, JSON_COMPACT);
    const char *id = json_string_value(json_object_get(body, "id"));
    json_t *doc;
    cl_err e = payload ? CL_OK : cl_error_set(&err, CL_ENOMEM, "out of memory");
    enum MHD_Result res =
        take(r, CL_INBOX_GENERIC, 1, &id, &payload, e, &err, &doc);
    json_decref(body);
    return doc ? cl_http_reply_json(r, 200, doc, NULL) : res;
}

/* ---- HubSpot ------------------------------------------------------------- */

/* The URL HubSpot signed: the setting hubspot_webhook_url when set (a
   proxy in front rewrites the address), else this request's own. */
static void
signed_uri(cl_http_req *r, char *out, size_t len)
{
    if (setting(r, "hubspot_webhook_url", out, len))
        return;
    const char *host = header(r, "Host");
    snprintf(out, len, "%s://%s%s", cl_http_secure(r) ? "https" : "http",
             host ? host : "", r->url);
}

enum MHD_Result
cl__h_webhook_hubspot(cl_http_req *r)
{
    char secret[300], uri[1100];
    const char *why;
    cl_error err;
    if (!setting(r, "hubspot_app_secret", secret, sizeof secret))
        return not_configured(r, "hubspot_app_secret");
    signed_uri(r, uri, sizeof uri);
    int bad = cl_webhook_sig_hubspot(
        secret, r->method, uri, header(r, "X-HubSpot-Request-Timestamp"),
        header(r, "X-HubSpot-Signature-v3"), r->body ? r->body : "",
        r->body_len, r->now, &why);
    sodium_memzero(secret, sizeof secret);
    if (bad)
        return cl_http_error(r, 401, "bad_signature", NULL, "%s", why);
    json_error_t jerr;
    json_t *body = json_loadb(r->body ? r->body : "", r->body_len, 0, &jerr);
    if (body == NULL)
        return cl_http_error(r, 400, "invalid_json", NULL,
                             "body: not JSON (line %d: %s)", jerr.line,
                             jerr.text);
    size_t n = json_array_size(body);
    if (!json_is_array(body) || n == 0 || n > MAX_EVENTS) {
        json_decref(body);
        return cl_http_error(r, 400, "invalid", NULL,
                             "body: expected an array of 1 to %d events",
                             MAX_EVENTS);
    }
    char ids[MAX_EVENTS][CL_HUBSPOT_EVENT_ID_MAX];
    const char *idp[MAX_EVENTS];
    char *payloads[MAX_EVENTS] = {0};
    cl_error_clear(&err);
    cl_err e = CL_OK;
    /* Every event is checked before any is stored: a malformed request is
       refused whole, and HubSpot resends it. */
    for (size_t i = 0; i < n && e == CL_OK; i++) {
        json_t *ev = json_array_get(body, i);
        e = json_is_object(ev)
                ? cl_hubspot_event_id(ev, ids[i], &err)
                : cl_error_set(&err, CL_EINVAL, "expected an object");
        if (e == CL_EINVAL) {
            char msg[sizeof err.msg];
            snprintf(msg, sizeof msg, "%s", err.msg);
            cl_error_set(&err, CL_EINVAL, "event %zu: %s", i + 1, msg);
        }
        idp[i] = ids[i];
        if (e == CL_OK && (payloads[i] = json_dumps(ev, JSON_COMPACT)) == NULL)
            e = cl_error_set(&err, CL_ENOMEM, "out of memory");
    }
    json_t *doc;
    enum MHD_Result res =
        take(r, CL_INBOX_HUBSPOT, n, idp, payloads, e, &err, &doc);
    json_decref(body);
    return doc ? cl_http_reply_json(r, 200, doc, NULL) : res;
}

/* ---- Salesforce -----------------------------------------------------------
 */

/* 1 when org is in the allow-list (comma-separated ids; the first 15
   characters decide, as an 18-character id only adds a checksum). */
static int
org_allowed(const char *list, const char *org)
{
    size_t ol = strlen(org) < 15 ? strlen(org) : 15;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        const char *s = p;
        size_t sl = n;
        while (sl && *s == ' ')
            s++, sl--;
        while (sl && s[sl - 1] == ' ')
            sl--;
        if (sl > 15)
            sl = 15;
        if (sl == ol && sl && !strncmp(s, org, sl))
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

enum MHD_Result
cl__h_webhook_salesforce(cl_http_req *r)
{
    char list[1024], secret[300];
    char *org = NULL;
    json_t *notes = NULL;
    cl_error err;
    if (!setting(r, "salesforce_org_ids", list, sizeof list))
        return not_configured(r, "salesforce_org_ids");
    if (setting(r, "salesforce_secret", secret, sizeof secret)) {
        const char *given = cl_http_query(r, "secret");
        size_t n = strlen(secret);
        int ok =
            given && strlen(given) == n && sodium_memcmp(given, secret, n) == 0;
        sodium_memzero(secret, sizeof secret);
        if (!ok)
            return cl_http_error(r, 401, "bad_signature", "secret",
                                 "secret: the URL's secret does not match "
                                 "salesforce_secret");
    }
    cl_error_clear(&err);
    if (cl_sfdc_soap_parse(r->body ? r->body : "", r->body_len, &org, &notes,
                           &err) != CL_OK)
        return err.code == CL_EINVAL
                   ? cl_http_error(r, 400, "invalid_xml", NULL, "%s", err.msg)
                   : cl_http_fail(r, err.code, &err);
    if (!org_allowed(list, org)) {
        json_decref(notes);
        enum MHD_Result res = cl_http_error(
            r, 401, "bad_signature", "OrganizationId",
            "OrganizationId: %.18s is not in salesforce_org_ids", org);
        free(org);
        return res;
    }
    free(org);
    size_t n = json_array_size(notes);
    const char *idp[CL_SFDC_MAX_NOTES];
    char *payloads[CL_SFDC_MAX_NOTES] = {0};
    cl_err e = CL_OK;
    for (size_t i = 0; i < n && e == CL_OK; i++) {
        json_t *note = json_array_get(notes, i);
        idp[i] = json_string_value(json_object_get(note, "notification_id"));
        if ((payloads[i] = json_dumps(note, JSON_COMPACT)) == NULL)
            e = cl_error_set(&err, CL_ENOMEM, "out of memory");
    }
    json_t *doc;
    enum MHD_Result res =
        take(r, CL_INBOX_SALESFORCE, n, idp, payloads, e, &err, &doc);
    json_decref(notes);
    if (doc == NULL)
        return res;
    json_decref(doc);
    /* Salesforce resends until it reads the Ack; a failed notification is
       kept here for RevOps, so it is acknowledged too. */
    const char *ack = cl_sfdc_soap_ack();
    size_t len = strlen(ack);
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        len, (void *)ack, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(resp, "Content-Type", "text/xml; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    return cl_http_queue(r, 200, resp, len);
}
