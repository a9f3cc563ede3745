/*
 * fuzz_webhook.c - libFuzzer target: what an unauthenticated sender puts
 * in front of the inbound webhooks' pure parts (issue 15).  The first byte
 * picks the part, the rest is the body:
 *
 *   0  a Salesforce Outbound Message: cl_sfdc_soap_parse, then each
 *      notification through cl_sfdc_note_map
 *   1  a HubSpot webhook body: each event's id and cl_hubspot_event_map
 *   2  the two signature checks over the body with fixed headers
 *
 * Beyond "does not crash": a parsed message holds 1 to 100 notifications,
 * each with its id; a mapped record always names its id.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/webhook_sig.h"
#include "io/hubspot_event.h"
#include "io/sfdc_soap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_fields(json_t *fields)
{
    if (fields && !json_is_string(json_object_get(fields, "id")))
        abort();
    json_decref(fields);
}

static void
soap(const char *body, size_t len)
{
    char *org = NULL;
    json_t *notes = NULL;
    cl_error err;
    if (cl_sfdc_soap_parse(body, len, &org, &notes, &err) != CL_OK)
        return;
    size_t n = json_array_size(notes);
    if (org == NULL || n == 0 || n > CL_SFDC_MAX_NOTES)
        abort();
    for (size_t i = 0; i < n; i++) {
        json_t *note = json_array_get(notes, i);
        cl_kind kind;
        json_t *fields = NULL;
        if (!json_is_string(json_object_get(note, "notification_id")))
            abort();
        if (cl_sfdc_note_map(note, &kind, &fields, &err) == CL_OK)
            check_fields(fields);
    }
    free(org);
    json_decref(notes);
}

static void
hubspot(const char *body, size_t len)
{
    json_t *events = json_loadb(body, len, 0, NULL);
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev)
    {
        char id[CL_HUBSPOT_EVENT_ID_MAX];
        cl_kind kind;
        json_t *fields = NULL;
        cl_error err;
        if (cl_hubspot_event_id(ev, id, &err) == CL_OK && !*id)
            abort();
        if (cl_hubspot_event_map(ev, &kind, &fields, &err) == CL_OK)
            check_fields(fields);
    }
    json_decref(events);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 256 * 1024)
        return 0;
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    const char *why;
    switch (data[0] % 3) {
    case 0:
        soap(body, len);
        break;
    case 1:
        hubspot(body, len);
        break;
    default:
        /* Never accepted: the signature cannot match a random body. */
        if (cl_webhook_sig_generic("fuzz-secret-0123456789", "1795082400",
                                   "sha256=00", body, len, 1795082400,
                                   &why) == 0 ||
            cl_webhook_sig_hubspot("fuzz-secret-0123456789", "POST",
                                   "http://x/", "1795082400000", "AAAA", body,
                                   len, 1795082400, &why) == 0)
            abort();
        break;
    }
    return 0;
}
