/*
 * inbox.h - inbound events (issue 15): receiving them into the store's
 * inbox (store/store_inbox.h) and applying them through the engine, each
 * in a transaction of its own, the way the record API writes a record.
 *
 * An event's payload is what the source sent for that one event: the
 * generic webhook's body, one object of HubSpot's array, one Salesforce
 * Notification as JSON (sfdc_soap.h).  Applying it maps the payload onto
 * canonical fields (the source's mapping), merges them over the stored
 * record (a source may send one field), checks the result by the
 * importer's field rules and its references, and writes it with
 * cl_engine_put: a Closed Won opens its review task, a deal-attributable
 * tag notifies the AE, in the same transaction that marks the event
 * applied.  A refused event is marked failed with its one-line error, for
 * RevOps to retry or discard; a storage failure leaves it pending, for the
 * next apply (the server applies pending events when it starts).
 */
#ifndef CL_HTTP_INBOX_H
#define CL_HTTP_INBOX_H

#include <jansson.h>
#include <stdint.h>

#include "../core/date.h"
#include "../core/record.h"
#include "../store/store.h"

/* The sources, as stored. */
#define CL_INBOX_GENERIC "generic"
#define CL_INBOX_HUBSPOT "hubspot"
#define CL_INBOX_SALESFORCE "salesforce"

/* The longest source event id kept. */
#define CL_INBOX_ID_MAX 200

/*
 * Checks a generic webhook body {"id", "kind", "record"}: *kind the
 * record's kind (singular or plural name: deal, deals).  Only the kinds a
 * CRM or a CS tool sends are taken (accounts, deals, churns, recoveries,
 * reviews, cs_hours, arr_movements), not users or settings.
 *   CL_EINVAL  one line naming the field
 */
cl_err cl__inbox_generic_check(json_t *body, cl_kind *kind, cl_error *err);

/*
 * Stores n events of source (ids[i], payloads[i]) in one transaction;
 * inbox_ids[i] gets each one's inbox id, *added how many were new.
 */
cl_err cl__inbox_receive(cl_store *st, const char *source, size_t n,
                         const char *const *ids, const char *const *payloads,
                         cl_time now, int64_t *inbox_ids, int *added,
                         cl_error *err);

/* What applying an event did. */
typedef enum cl_inbox_outcome {
    CL_INBOX_SKIPPED, /* not in the status it was applied from */
    CL_INBOX_APPLIED,
    CL_INBOX_FAILED
} cl_inbox_outcome;

/*
 * Applies event id if its status is still from ("pending"): marks it
 * applied with the record's write, or failed with its error.  *out says
 * which.  Returns an error only when the store failed (the event is left
 * as it was).
 */
cl_err cl__inbox_apply(cl_store *st, int64_t id, cl_time now,
                       cl_inbox_outcome *out, cl_error *err);

/* Applies every pending event, oldest first; *applied and *failed count
   them (either may be NULL). */
cl_err cl__inbox_apply_pending(cl_store *st, cl_time now, int *applied,
                               int *failed, cl_error *err);

/* A one-line summary of an event's payload (what and which record) into
   out (len bytes), for the failed events' list. */
void cl__inbox_summary(const char *source, const char *payload, char *out,
                       size_t len);

#endif
