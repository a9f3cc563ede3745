/*
 * hubspot_event.h - one HubSpot webhook event (v3: the array HubSpot posts
 * holds one object per event) as canonical fields, through the HubSpot
 * mapping preset (mapping.h), so a property means what its column means
 * in a HubSpot export.  Pure: nothing here reads the store or the clock.
 *
 * HubSpot sends one property per event, by its internal name (dealstage,
 * amount, closedate, ...); internal values differ from the export's labels
 * (closedwon for "Closed Won", dates as milliseconds since 1970), so they
 * are put in the export's words first and then go through the preset's
 * transforms.
 */
#ifndef CL_HUBSPOT_EVENT_H
#define CL_HUBSPOT_EVENT_H

#include <jansson.h>

#include "../core/err.h"
#include "../core/record.h"

/* The longest event id (eventId, a number) as text, with its NUL. */
#define CL_HUBSPOT_EVENT_ID_MAX 32

/*
 * The event's eventId as text into out (the inbox's key), once the fields
 * every event has are there: eventId and subscriptionType.  What
 * the event says is read when it is applied (cl_hubspot_event_map), so a
 * value closeloop cannot read makes a failed event, not a refused request.
 *   CL_EINVAL  one of them missing or of the wrong type, naming it
 */
cl_err cl_hubspot_event_id(json_t *ev, char out[CL_HUBSPOT_EVENT_ID_MAX],
                           cl_error *err);

/*
 * Maps event ev onto the record it changes: *kind (deals or accounts) and
 * *fields, a new object with "id" (the objectId) and the canonical fields
 * the event sets (a creation sets none: the record must exist).  A deal
 * deal.associationChange of type DEAL_TO_COMPANY sets the deal's
 * account_id (fromObjectId's deal, toObjectId's company).  A deal
 * whose stage moves to closed_won or closed_lost gets closed_on from the
 * event's occurredAt (a later closedate event corrects it); an open stage
 * clears closed_on.  The caller frees *fields with json_decref.
 *   CL_OK       *fields NULL when the event changes nothing closeloop
 *               keeps (a contact, an unmapped property); err->msg says
 *               which, for the inbox's note
 *   CL_EINVAL   malformed, or a value the preset cannot read: one line
 *               naming the field
 *   CL_ENOMEM
 */
cl_err cl_hubspot_event_map(json_t *ev, cl_kind *kind, json_t **fields,
                            cl_error *err);

#endif
