/* test_sfdc_soap.c - Salesforce Outbound Messages: the SOAP envelope
   read, refused when malformed or hostile, and mapped to canonical
   fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/sfdc_soap.h"

#define HEAD                                                                   \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"                               \
    "<soapenv:Envelope "                                                       \
    "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "             \
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"                 \
    "<soapenv:Body><notifications "                                            \
    "xmlns=\"http://soap.sforce.com/2005/09/outbound\">"                       \
    "<OrganizationId>00D000000000001AAA</OrganizationId>"                      \
    "<ActionId>04k000000000001AAA</ActionId>"
#define TAIL "</notifications></soapenv:Body></soapenv:Envelope>"
#define OPP                                                                    \
    "<Notification><Id>04l000000000001AAA</Id>"                                \
    "<sObject xsi:type=\"sf:Opportunity\" "                                    \
    "xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">"                     \
    "<sf:Id>006000000000001AAA</sf:Id>"                                        \
    "<sf:AccountId>001000000000001AAA</sf:AccountId>"                          \
    "<sf:StageName>Closed Won</sf:StageName>"                                  \
    "<sf:CloseDate>2026-11-16</sf:CloseDate>"                                  \
    "<sf:Amount>52000.0</sf:Amount>"                                           \
    "<sf:Type>New Business</sf:Type>"                                          \
    "<sf:LeadSource xsi:nil=\"true\"/>"                                        \
    "<sf:CreatedDate>2026-10-01T09:00:00.000Z</sf:CreatedDate>"                \
    "</sObject></Notification>"

/* Parses xml: "ORG N" and the notifications, or "ERR: message". */
static const char *
parse(const char *xml, json_t **notes)
{
    static char out[700];
    char *org = NULL;
    cl_error err;
    cl_error_clear(&err);
    *notes = NULL;
    if (cl_sfdc_soap_parse(xml, strlen(xml), &org, notes, &err) != CL_OK) {
        snprintf(out, sizeof out, "ERR: %s", err.msg);
        return out;
    }
    snprintf(out, sizeof out, "%s %zu", org, json_array_size(*notes));
    free(org);
    return out;
}

static const char *
dump(json_t *j)
{
    static char out[700];
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    snprintf(out, sizeof out, "%s", s);
    free(s);
    return out;
}

static void
test_parse_and_map(void **state)
{
    json_t *notes;
    (void)state;
    assert_string_equal(parse(HEAD OPP TAIL, &notes), "00D000000000001AAA 1");
    json_t *n = json_array_get(notes, 0);
    assert_string_equal(
        dump(n),
        "{\"fields\":{\"AccountId\":\"001000000000001AAA\",\"Amount\":"
        "\"52000.0\",\"CloseDate\":\"2026-11-16\",\"CreatedDate\":"
        "\"2026-10-01T09:00:00.000Z\",\"Id\":\"006000000000001AAA\","
        "\"LeadSource\":null,\"StageName\":\"Closed Won\",\"Type\":\"New "
        "Business\"},\"notification_id\":\"04l000000000001AAA\","
        "\"organization_id\":\"00D000000000001AAA\",\"type\":"
        "\"Opportunity\"}");
    cl_kind kind;
    json_t *fields;
    cl_error err;
    assert_int_equal(cl_sfdc_note_map(n, &kind, &fields, &err), CL_OK);
    assert_int_equal(kind, CL_KIND_DEALS);
    assert_string_equal(
        dump(fields),
        "{\"account_id\":\"001000000000001AAA\",\"arr\":\"52000.0\","
        "\"closed_on\":\"2026-11-16\",\"created_on\":\"2026-10-01\","
        "\"id\":\"006000000000001AAA\",\"source\":null,\"stage\":"
        "\"closed_won\",\"type\":\"new\"}");
    json_decref(fields);
    json_decref(notes);
}

static void
test_open_stage_and_account(void **state)
{
    json_t *notes, *fields;
    cl_kind kind;
    cl_error err;
    (void)state;
    const char *xml = HEAD
        "<Notification><Id>04l2</Id><sObject xsi:type=\"sf:Opportunity\" "
        "xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">"
        "<sf:Id>0062</sf:Id><sf:StageName>Negotiation/Review</sf:StageName>"
        "<sf:CloseDate>2026-12-20</sf:CloseDate></sObject></Notification>"
        "<Notification><Id>04l3</Id><sObject xsi:type=\"sf:Account\" "
        "xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">"
        "<sf:Id>0013</sf:Id><sf:Name>Acme &amp; Co</sf:Name>"
        "<sf:Type>Customer - Direct</sf:Type>"
        "<sf:NumberOfEmployees>250</sf:NumberOfEmployees></sObject>"
        "</Notification>"
        "<Notification><Id>04l4</Id><sObject xsi:type=\"sf:Lead\" "
        "xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">"
        "<sf:Id>00Q4</sf:Id></sObject></Notification>" TAIL;
    assert_string_equal(parse(xml, &notes), "00D000000000001AAA 3");
    /* An open opportunity keeps no close date, as the CSV preset. */
    assert_int_equal(
        cl_sfdc_note_map(json_array_get(notes, 0), &kind, &fields, &err),
        CL_OK);
    assert_string_equal(dump(fields), "{\"closed_on\":null,\"id\":\"0062\","
                                      "\"stage\":\"negotiation_review\"}");
    json_decref(fields);
    assert_int_equal(
        cl_sfdc_note_map(json_array_get(notes, 1), &kind, &fields, &err),
        CL_OK);
    assert_int_equal(kind, CL_KIND_ACCOUNTS);
    assert_string_equal(dump(fields),
                        "{\"employees\":\"250\",\"id\":\"0013\",\"name\":"
                        "\"Acme & Co\",\"status\":\"customer\"}");
    json_decref(fields);
    assert_int_equal(
        cl_sfdc_note_map(json_array_get(notes, 2), &kind, &fields, &err),
        CL_OK);
    assert_null(fields);
    assert_string_equal(err.msg, "sObject Lead: not kept by closeloop");
    json_decref(notes);
}

static void
test_refused(void **state)
{
    json_t *notes;
    (void)state;
    assert_non_null(strstr(parse("", &notes), "ERR: body: not XML"));
    assert_non_null(strstr(parse(HEAD OPP, &notes), "ERR: body: not XML"));
    assert_string_equal(parse("<a/>", &notes),
                        "ERR: body: expected a SOAP Envelope with a "
                        "notifications element "
                        "(http://soap.sforce.com/2005/09/outbound)");
    assert_string_equal(parse(HEAD TAIL, &notes),
                        "ERR: notifications: no Notification element");
    /* A DTD (the door to entity expansion and external fetches). */
    const char *dtd = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM "
                      "\"file:///etc/passwd\">]><x>&e;</x>";
    assert_string_equal(parse(dtd, &notes), "ERR: body: a DTD is not allowed");
    assert_string_equal(
        parse(HEAD "<Notification><Id>1</Id></Notification>" TAIL, &notes),
        "ERR: Notification 1: expected an Id and an sObject");
    /* Over 100 notifications. */
    char *big = malloc(200000);
    size_t o = (size_t)snprintf(big, 200000, "%s", HEAD);
    for (int i = 0; i < 101; i++)
        o += (size_t)snprintf(big + o, 200000 - o, "%s", OPP);
    snprintf(big + o, 200000 - o, "%s", TAIL);
    assert_string_equal(parse(big, &notes),
                        "ERR: notifications: over 100 Notification elements");
    free(big);
}

static void
test_ack(void **state)
{
    (void)state;
    assert_non_null(strstr(cl_sfdc_soap_ack(),
                           "<notificationsResponse "
                           "xmlns=\"http://soap.sforce.com/2005/09/outbound\">"
                           "<Ack>true</Ack></notificationsResponse>"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_map),
        cmocka_unit_test(test_open_stage_and_account),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_ack),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
