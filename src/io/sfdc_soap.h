/*
 * sfdc_soap.h - Salesforce Outbound Messages (issue 15): the SOAP
 * `notifications` envelope read with libxml2, its Ack, and one
 * notification's sObject as canonical fields through the Salesforce
 * mapping preset (mapping.h).  Pure: nothing here reads the store, the
 * network or the clock.
 */
#ifndef CL_SFDC_SOAP_H
#define CL_SFDC_SOAP_H

#include <jansson.h>
#include <stddef.h>

#include "../core/err.h"
#include "../core/record.h"

/* Salesforce sends at most 100 notifications in one message. */
#define CL_SFDC_MAX_NOTES 100

/*
 * Reads an Outbound Message: *org gets its OrganizationId (a new string)
 * and *notes a new array with one object per Notification, in order:
 * {"notification_id", "organization_id", "type" (the sObject type without
 * its prefix: "Opportunity"), "fields" {API name: text or null}}.  A
 * document with a DTD is refused (no entity is ever expanded, nothing is
 * fetched).  The caller frees *org (free) and *notes (json_decref).
 *   CL_EINVAL  not XML, not a notifications envelope, over 100
 *              notifications, a Notification without Id or sObject: one
 *              line naming the element
 *   CL_ENOMEM
 */
cl_err cl_sfdc_soap_parse(const char *xml, size_t len, char **org,
                          json_t **notes, cl_error *err);

/* The SOAP envelope that acknowledges a message (static text). */
const char *cl_sfdc_soap_ack(void);

/*
 * Maps one notification (an object as cl_sfdc_soap_parse gives it) onto
 * *kind (deals for an Opportunity, accounts for an Account) and *fields,
 * a new object of the canonical fields it carries ("id" always).  An open
 * stage clears closed_on, as the CSV preset does.
 *   CL_OK      *fields NULL for an sObject type closeloop does not keep
 *              (err->msg names it)
 *   CL_EINVAL  a value the preset cannot read: one line naming the field
 *   CL_ENOMEM
 */
cl_err cl_sfdc_note_map(json_t *note, cl_kind *kind, json_t **fields,
                        cl_error *err);

#endif
