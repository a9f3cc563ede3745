/* test_hubspot_event.c - HubSpot webhook events as canonical fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/hubspot_event.h"

/* The event (JSON text) mapped: "KIND {fields}" compact with sorted keys,
   "none: NOTE", or "ERR: message". */
static const char *
map(const char *text)
{
    static char out[600];
    cl_error err;
    cl_kind kind;
    json_t *fields = NULL;
    json_t *ev = json_loads(text, 0, NULL);
    assert_non_null(ev);
    cl_error_clear(&err);
    cl_err rc = cl_hubspot_event_map(ev, &kind, &fields, &err);
    if (rc != CL_OK) {
        snprintf(out, sizeof out, "ERR: %s", err.msg);
    } else if (fields == NULL) {
        snprintf(out, sizeof out, "none: %s", err.msg);
    } else {
        char *s = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS);
        snprintf(out, sizeof out, "%s %s", cl_kind_get(kind)->name, s);
        free(s);
    }
    json_decref(fields);
    json_decref(ev);
    return out;
}

#define DEAL(prop, value)                                                      \
    "{\"eventId\": 1, \"subscriptionType\": \"deal.propertyChange\", "         \
    "\"objectId\": 501, \"occurredAt\": 1795082400000, \"propertyName\": "     \
    "\"" prop "\", \"propertyValue\": " value "}"

static void
test_deal_properties(void **state)
{
    (void)state;
    /* The stage through the preset's words; closing dates the close. */
    assert_string_equal(map(DEAL("dealstage", "\"closedwon\"")),
                        "deals {\"closed_on\":\"2026-11-19\",\"id\":\"501\","
                        "\"stage\":\"closed_won\"}");
    assert_string_equal(map(DEAL("dealstage", "\"closedlost\"")),
                        "deals {\"closed_on\":\"2026-11-19\",\"id\":\"501\","
                        "\"stage\":\"closed_lost\"}");
    /* An open stage has no close date. */
    assert_string_equal(map(DEAL("dealstage", "\"Contract Sent\"")),
                        "deals {\"closed_on\":null,\"id\":\"501\","
                        "\"stage\":\"contract_sent\"}");
    assert_string_equal(map(DEAL("amount", "\"12,000.50\"")),
                        "deals {\"arr\":\"12000.50\",\"id\":\"501\"}");
    assert_string_equal(map(DEAL("amount", "12000")),
                        "deals {\"arr\":\"12000\",\"id\":\"501\"}");
    /* HubSpot's dates are milliseconds. */
    assert_string_equal(map(DEAL("closedate", "\"1795082400000\"")),
                        "deals {\"closed_on\":\"2026-11-19\",\"id\":\"501\"}");
    assert_string_equal(map(DEAL("dealtype", "\"newbusiness\"")),
                        "deals {\"id\":\"501\",\"type\":\"new\"}");
    assert_string_equal(map(DEAL("hubspot_owner_id", "\"U3\"")),
                        "deals {\"ae_id\":\"U3\",\"id\":\"501\"}");
    assert_string_equal(map(DEAL("amount", "null")),
                        "deals {\"arr\":null,\"id\":\"501\"}");
}

static void
test_companies_and_others(void **state)
{
    (void)state;
    assert_string_equal(
        map("{\"eventId\": 2, \"subscriptionType\": "
            "\"company.propertyChange\", \"objectId\": 9, \"propertyName\": "
            "\"lifecyclestage\", \"propertyValue\": \"customer\"}"),
        "accounts {\"id\":\"9\",\"status\":\"customer\"}");
    assert_string_equal(
        map("{\"eventId\": 2, \"subscriptionType\": \"company.creation\", "
            "\"objectId\": 9}"),
        "accounts {\"id\":\"9\"}");
    assert_string_equal(map("{\"eventId\": 3, \"subscriptionType\": "
                            "\"contact.propertyChange\", \"objectId\": 9}"),
                        "none: contact.propertyChange: not kept by closeloop");
    assert_string_equal(map(DEAL("hs_priority", "\"high\"")),
                        "none: deal.propertyChange: property hs_priority is "
                        "not mapped");
    /* A company associated with a deal is its account. */
    assert_string_equal(
        map("{\"eventId\": 4, \"subscriptionType\": "
            "\"deal.associationChange\", \"fromObjectId\": 501, "
            "\"toObjectId\": 9, \"associationType\": \"DEAL_TO_COMPANY\", "
            "\"associationRemoved\": false}"),
        "deals {\"account_id\":\"9\",\"id\":\"501\"}");
    assert_string_equal(
        map("{\"eventId\": 4, \"subscriptionType\": "
            "\"deal.associationChange\", \"fromObjectId\": 501, "
            "\"toObjectId\": 9, \"associationType\": \"DEAL_TO_COMPANY\", "
            "\"associationRemoved\": true}"),
        "none: deal.associationChange: a removed company is not applied (a "
        "deal keeps its account)");
    assert_string_equal(
        map("{\"eventId\": 4, \"subscriptionType\": "
            "\"deal.associationChange\", \"fromObjectId\": 501, "
            "\"toObjectId\": 9, \"associationType\": \"DEAL_TO_CONTACT\"}"),
        "none: deal.associationChange: DEAL_TO_CONTACT is not kept");
    assert_string_equal(
        map("{\"eventId\": 4, \"subscriptionType\": "
            "\"deal.associationChange\", \"associationType\": "
            "\"DEAL_TO_COMPANY\"}"),
        "ERR: fromObjectId, toObjectId: expected positive whole numbers");
    /* A contact event need not name an object closeloop knows. */
    assert_string_equal(
        map("{\"eventId\": 5, \"subscriptionType\": \"contact.creation\"}"),
        "none: contact.creation: not kept by closeloop");
    assert_string_equal(
        map("{\"eventId\": 3, \"subscriptionType\": \"deal.deletion\", "
            "\"objectId\": 9}"),
        "none: deal.deletion: not kept by closeloop");
}

static void
test_malformed(void **state)
{
    (void)state;
    assert_string_equal(map(DEAL("closedate", "\"31/02/2026\"")),
                        "ERR: closedate (closed_on): not a date '31/02/2026' "
                        "(expected YYYY-MM-DD)");
    assert_string_equal(map(DEAL("amount", "\"lots\"")),
                        "ERR: amount (arr): not an amount 'lots'");
    assert_string_equal(map(DEAL("amount", "[1]")),
                        "ERR: propertyValue: expected text for amount");
    assert_string_equal(map("{\"subscriptionType\": \"deal.creation\"}"),
                        "ERR: objectId: expected a positive whole number");
    assert_string_equal(map("{\"objectId\": 4}"),
                        "ERR: subscriptionType: expected text");
    assert_string_equal(
        map("{\"subscriptionType\": \"deal.propertyChange\", \"objectId\": 4}"),
        "ERR: propertyName: expected text");

    char id[CL_HUBSPOT_EVENT_ID_MAX];
    cl_error err;
    json_t *ev = json_loads("{\"eventId\": 123456789012, \"objectId\": 4, "
                            "\"subscriptionType\": \"deal.creation\"}",
                            0, NULL);
    assert_int_equal(cl_hubspot_event_id(ev, id, &err), CL_OK);
    assert_string_equal(id, "123456789012");
    json_decref(ev);
    ev = json_loads("{\"eventId\": 5, \"objectId\": 4}", 0, NULL);
    /* objectId is read when the event is applied: not every event has
       one (an association change). */
    assert_int_equal(cl_hubspot_event_id(ev, id, &err), CL_EINVAL);
    assert_string_equal(err.msg, "subscriptionType: expected text");
    json_decref(ev);
    ev = json_loads("{\"eventId\": \"1\"}", 0, NULL);
    assert_int_equal(cl_hubspot_event_id(ev, id, &err), CL_EINVAL);
    assert_string_equal(err.msg, "eventId: expected a positive whole number");
    json_decref(ev);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deal_properties),
        cmocka_unit_test(test_companies_and_others),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
