/* Unit tests: where a notification goes (core/notify_route.h): the
   person's channel by their mode, the team-safe kinds a team channel may
   hear, the checks of a choice, when the digest is due and what it says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/notify_route.h"

static cl_time
at(const char *s)
{
    cl_time t;
    assert_int_equal(cl_time_parse(s, &t), 0);
    return t;
}

static void
test_personal_channel_follows_the_mode(void **state)
{
    (void)state;
    assert_string_equal(cl_nroute_personal(CL_NROUTE_EMAIL, 1, "churn_flag"),
                        "email");
    assert_string_equal(cl_nroute_personal(CL_NROUTE_CHAT, 1, "churn_flag"),
                        "chat");
    assert_string_equal(
        cl_nroute_personal(CL_NROUTE_DIGEST, 0, "task_reminder"), "digest");
    /* Chat without a webhook: e-mail rather than nowhere. */
    assert_string_equal(cl_nroute_personal(CL_NROUTE_CHAT, 0, "coaching_item"),
                        "email");
}

static void
test_modes_parse_and_name(void **state)
{
    (void)state;
    cl_nroute_mode m;
    assert_int_equal(cl_nroute_mode_parse("digest", &m), 0);
    assert_int_equal(m, CL_NROUTE_DIGEST);
    assert_string_equal(cl_nroute_mode_name(m), "digest");
    assert_int_equal(cl_nroute_mode_parse("Email", &m), -1);
    assert_int_equal(cl_nroute_mode_parse("", &m), -1);
    assert_int_equal(cl_nroute_mode_parse(NULL, &m), -1);
}

/* What names an AE or is private never reaches a team channel. */
static void
test_team_safe_kinds(void **state)
{
    (void)state;
    static const char *const safe[] = {"what_changed", "cause_route",
                                       "checkin_reminder"};
    static const char *const personal[] = {
        "churn_flag",
        "coaching_item",
        "debrief_outcome",
        "task_reminder",
        "task_escalation",
        "pipeline_digest",
        "invite",
        "checkin_escalation",
        "password_reset",
        "digest",
        "",
    };
    for (size_t i = 0; i < 3; i++)
        assert_true(cl_nroute_team_safe(safe[i]));
    for (size_t i = 0; i < sizeof personal / sizeof personal[0]; i++)
        assert_false(cl_nroute_team_safe(personal[i]));
    assert_false(cl_nroute_team_safe(NULL));
    /* A routed cause's body quotes the customer: its title only. */
    assert_false(cl_nroute_team_body("cause_route"));
    assert_true(cl_nroute_team_body("what_changed"));
    assert_true(cl_nroute_team_body("checkin_reminder"));
    assert_false(cl_nroute_team_body("churn_flag"));
    size_t n;
    const char *const *k = cl_nroute_team_kinds(&n);
    assert_int_equal(n, 3);
    assert_string_equal(k[0], "what_changed");
}

static void
test_channel_kinds_lists(void **state)
{
    (void)state;
    assert_null(cl_nroute_kinds_check(""));
    assert_null(cl_nroute_kinds_check("cause_route"));
    assert_null(cl_nroute_kinds_check(" what_changed , checkin_reminder "));
    assert_non_null(cl_nroute_kinds_check("cause_route,churn_flag"));
    assert_non_null(cl_nroute_kinds_check("coaching_item"));
    assert_non_null(cl_nroute_kinds_check("cause_route,,what_changed"));
    assert_non_null(cl_nroute_kinds_check("cause_routes"));
    assert_true(
        cl_nroute_kinds_has("what_changed, cause_route", "cause_route"));
    assert_false(cl_nroute_kinds_has("what_changed", "what"));
    assert_false(cl_nroute_kinds_has("", "what_changed"));
    assert_false(cl_nroute_kinds_has(NULL, "what_changed"));
}

static void
test_choice_checks_name_their_field(void **state)
{
    (void)state;
    const char *field;
    char long_url[1100];
    assert_null(cl_nroute_choice_check("email", NULL, NULL, 0, &field));
    assert_null(cl_nroute_choice_check("chat", NULL, NULL, 1, &field));
    assert_null(cl_nroute_choice_check("chat", "https://h.example/x", "teams",
                                       0, &field));
    assert_string_equal(cl_nroute_choice_check("weekly", NULL, NULL, 0, &field),
                        "expected email, chat or digest");
    assert_string_equal(field, "mode");
    assert_non_null(cl_nroute_choice_check("chat", NULL, NULL, 0, &field));
    assert_string_equal(field, "chat_url");
    /* "" removes the stored webhook, so chat has none. */
    assert_non_null(cl_nroute_choice_check("chat", "", NULL, 1, &field));
    assert_string_equal(field, "chat_url");
    assert_non_null(
        cl_nroute_choice_check("email", "javascript:x", NULL, 0, &field));
    assert_string_equal(field, "chat_url");
    snprintf(long_url, sizeof long_url, "https://h.example/%0990d", 0);
    assert_string_equal(
        cl_nroute_choice_check("email", long_url, NULL, 0, &field),
        "expected at most 1000 characters");
    assert_non_null(
        cl_nroute_choice_check("digest", NULL, "discord", 0, &field));
    assert_string_equal(field, "chat_format");
}

static void
test_digest_due_from_its_hour(void **state)
{
    (void)state;
    cl_day d = -1, want;
    assert_int_equal(cl_date_parse("2026-06-03", 10, &want), 0);
    assert_false(cl_nroute_digest_due(at("2026-06-03T16:59"), 17, &d));
    assert_int_equal(d, -1);
    assert_true(cl_nroute_digest_due(at("2026-06-03T17:00"), 17, &d));
    assert_int_equal(d, want);
    assert_true(cl_nroute_digest_due(at("2026-06-03T23:59"), 17, &d));
    assert_int_equal(d, want);
    assert_true(cl_nroute_digest_due(at("2026-06-04T00:00"), 0, &d));
    assert_int_equal(d, want + 1);
    assert_false(cl_nroute_digest_due(at("2026-06-04T22:00"), 23, &d));
}

static void
test_digest_lists_every_item_oldest_first(void **state)
{
    (void)state;
    cl_nroute_item items[] = {
        {"Churn C1 flagged", "Line one\nLine two", "2026-06-03T09:00:00Z"},
        {"Task due", NULL, "2026-06-03T10:00:00Z"},
    };
    cl_buf s = CL_BUF_INIT, b = CL_BUF_INIT;
    cl_day d;
    assert_int_equal(cl_date_parse("2026-06-03", 10, &d), 0);
    cl_nroute_digest(items, 2, d, &s, &b);
    assert_false(s.oom || b.oom);
    assert_string_equal(
        s.p, "Your closeloop digest for 3 Jun 2026: 2 notifications");
    const char *one = strstr(b.p, "1. Churn C1 flagged (2026-06-03)\n"
                                  "   Line one\n   Line two\n");
    const char *two = strstr(b.p, "2. Task due (2026-06-03)\n");
    assert_non_null(one);
    assert_non_null(two);
    assert_true(one < two);
    cl_buf_free(&s);
    cl_buf_free(&b);
}

static void
test_digest_counts_what_it_does_not_list(void **state)
{
    (void)state;
    size_t n = CL_NROUTE_DIGEST_ITEMS + 7;
    cl_nroute_item *items = calloc(n, sizeof *items);
    assert_non_null(items);
    for (size_t i = 0; i < n; i++)
        items[i].subject = "A notice";
    cl_buf s = CL_BUF_INIT, b = CL_BUF_INIT;
    cl_nroute_digest(items, n, 0, &s, &b);
    assert_non_null(strstr(s.p, ": 107 notifications"));
    assert_non_null(strstr(b.p, "100. A notice"));
    assert_null(strstr(b.p, "101. A notice"));
    assert_non_null(strstr(b.p, "... and 7 more"));
    cl_buf_free(&s);
    cl_buf_free(&b);
    free(items);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_personal_channel_follows_the_mode),
        cmocka_unit_test(test_modes_parse_and_name),
        cmocka_unit_test(test_team_safe_kinds),
        cmocka_unit_test(test_channel_kinds_lists),
        cmocka_unit_test(test_choice_checks_name_their_field),
        cmocka_unit_test(test_digest_due_from_its_hour),
        cmocka_unit_test(test_digest_lists_every_item_oldest_first),
        cmocka_unit_test(test_digest_counts_what_it_does_not_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
