/* test_hubspot_event.c - HubSpot webhook events as canonical fields, case
   by case from tests/data/webhooks/hubspot_events.txt, and their ids. */
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

/* Every case of tests/data/webhooks/hubspot_events.txt: an event line,
   then the line it must map to. */
static void
test_cases(void **state)
{
    char path[512], ev[2048], want[1024];
    int n = 0;
    (void)state;
    snprintf(path, sizeof path, "%s/webhooks/hubspot_events.txt",
             CL_TEST_DATA_DIR);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    while (fgets(ev, sizeof ev, fp)) {
        if (ev[0] == '#' || ev[0] == '\n')
            continue;
        assert_non_null(fgets(want, sizeof want, fp));
        ev[strcspn(ev, "\n")] = '\0';
        want[strcspn(want, "\n")] = '\0';
        if (strcmp(map(ev), want) != 0)
            fail_msg("%s\n  got  %s\n  want %s", ev, map(ev), want);
        n++;
    }
    fclose(fp);
    assert_true(n >= 20);
}

static void
test_event_id(void **state)
{
    (void)state;
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
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_event_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
