/* config_keys.c - the delivery and routing settings (config_keys.h). */
#include "config_keys.h"

#include "crm.h"
#include "date.h"
#include "notify_route.h"
#include "tz.h"
#include "workflow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * max_attempts stops at 20: the retry delay doubles per attempt, and 20
 * doublings of a day already wait longer than anyone would.  The lookback
 * stops at ten years, the widest window of the loop's reports.
 */
static const cl_config_key keys[] = {
    {"smtp_url", NULL, 0, 0, "smtp://HOST:PORT (or smtps://) for e-mail"},
    {"smtp_from", NULL, 0, 0, "the sender address"},
    {"webhook_url", NULL, 0, 0, "http(s) URL that receives every notification"},
    {"webhook_format", NULL, 0, 0, "json (default) or slack"},
    {"max_attempts", "count", 1, 20,
     "delivery attempts before a message is dead (5)"},
    {"retry_base_seconds", "seconds", 1, 86400,
     "first retry delay, doubled per attempt (60)"},
    /* Each worker holds its batch's claims until it has sent it: a smaller
       batch spreads a backlog over more workers sooner. */
    {"deliver_batch", "count", 1, 10000,
     "messages of a channel one delivery round claims and sends (1000)"},
    {"engine_lookback_days", "days", 1, 3660,
     "how far back tick turns imported records into work (30)"},
    {"revops_id", NULL, 0, 0, "the RevOps user the loop routes to"},
    {"marketing_id", NULL, 0, 0, "the Marketing user the loop routes to"},
    {"vp_sales_id", NULL, 0, 0, "the VP Sales the loop routes to"},
    {"route_failed_adoption", NULL, 0, 0,
     "the role failed adoption routes to (a role or none; vp_cs)"},
    {"route_product_deficiency", NULL, 0, 0,
     "the role product deficiency routes to (a role or none; revops)"},
    {"route_poor_service", NULL, 0, 0,
     "the role poor service routes to (a role or none; vp_cs)"},
    {"route_goals_not_met", NULL, 0, 0,
     "the role goals not met routes to (a role or none; vp_cs)"},
    {"route_competitive_loss", NULL, 0, 0,
     "the role competitive loss routes to (a role or none; marketing)"},
    {"route_pricing", NULL, 0, 0,
     "the role pricing routes to (a role or none; revops)"},
    {"route_business_change", NULL, 0, 0,
     "the role business change routes to (a role or none; none)"},
    {"route_financial_distress", NULL, 0, 0,
     "the role financial distress routes to (a role or none; vp_sales)"},
    {"route_due_business_days", "business_days", 1, 60,
     "the routed follow-up task is due after this many business days (5)"},
    /* A link that lived longer than a month would outlive the reason it
       was sent; one hour is the least a person needs to open the mail. */
    {"invite_expiry_hours", "hours", 1, 720,
     "an invitation or password-reset link works this long (72)"},
    {"public_url", NULL, 0, 0,
     "the address people open closeloop at, for links in e-mails "
     "(http://127.0.0.1:8080)"},
    /* Inbound webhooks (docs/integrations.md): each is off until its
       secret or allow-list is set. */
    {"webhook_generic_secret", NULL, 16, 256,
     "the generic webhook's HMAC-SHA256 secret, 16 to 256 characters "
     "(write-only)",
     1},
    {"hubspot_app_secret", NULL, 16, 256,
     "the HubSpot app's client secret, which signs its webhooks, 16 to "
     "256 characters (write-only)",
     1},
    {"hubspot_webhook_url", NULL, 0, 0,
     "the target URL as set in the HubSpot app, when a proxy changes the "
     "address closeloop sees (it is signed)"},
    {"salesforce_org_ids", NULL, 0, 0,
     "the Salesforce organization ids (15 or 18 characters, comma-separated) "
     "whose Outbound Messages are taken"},
    {"salesforce_secret", NULL, 16, 256,
     "optional: the ?secret= the Outbound Message URL must carry, 16 to 256 "
     "characters (write-only)",
     1},
    /* Write-back (issue 15, docs/integrations.md): off until
       crm_writeback names the CRM; a token is write-only like the webhook
       secrets.  2048 characters hold any OAuth access token either CRM
       issues. */
    {"crm_writeback", NULL, 0, 0,
     "write root causes, review answers and health scores back to the CRM: "
     "off (default), hubspot or salesforce"},
    {"crm_base_url", NULL, 0, 0,
     "the CRM API's address: https://api.hubapi.com for HubSpot (default), "
     "the instance URL (https://NAME.my.salesforce.com) for Salesforce"},
    {"crm_token", NULL, 16, 2048,
     "the bearer token the write-back sends (a HubSpot private app token or "
     "a Salesforce access token), 16 to 2048 characters (write-only)",
     1},
    {"crm_api_version", NULL, 0, 0,
     "the Salesforce REST API version the write-back uses, vNN.N (v60.0)"},
    {"crm_writeback_health", NULL, 0, 0,
     "also write the health score (private to CS and the deal's AE): off "
     "(default) or on, only when the CRM field is restricted to them"},
    /* The workspace's calendar (issue 15): the day the engine calls today,
       the hour the server ticks, and which days count as business days. */
    {"timezone", NULL, 0, 0,
     "the workspace's time zone, an IANA name such as Europe/Berlin (UTC): "
     "the day of the daily run and the hour of --tick-hour"},
    {"business_days", NULL, 0, 0,
     "the working weekdays business-day deadlines count: day names or "
     "ranges, e.g. mon-fri (default), sun-thu, mon-fri,sat"},
    /* Issue 14: the won-deal review's check-ins, days after kickoff (or
       close); a year and a half is the furthest a first-year check-in
       goes. */
    {"checkin_first_days", "days", 1, 540,
     "the first won-deal check-in is due this many days after kickoff (30)"},
    {"checkin_second_days", "days", 1, 540,
     "the second check-in is due this many days after kickoff (60)"},
    {"checkin_third_days", "days", 1, 540,
     "the third check-in is due this many days after kickoff (90)"},
    {"checkin_notice_days", "days", 0, 60,
     "a check-in task opens this many days before it is due (7)"},
    /* Issue 16: the daily digest goes out at this hour to those
       who chose it; issue 15: up to three team channels (Slack or Teams
       incoming webhooks), each with the team-safe kinds it hears. */
    {"digest_hour", "hour", 0, 23,
     "the daily digest e-mail goes out from this hour of the workspace's "
     "time zone (8)"},
    {"chat_channel_1_url", NULL, 16, CL_NROUTE_URL_MAX,
     "team channel 1: its Slack or Teams incoming webhook URL (write-only)", 1},
    {"chat_channel_1_format", NULL, 0, 0,
     "team channel 1: slack (default) or teams"},
    {"chat_channel_1_kinds", NULL, 0, 0,
     "team channel 1: the team-safe kinds it hears, comma-separated "
     "(what_changed, cause_route, checkin_reminder)"},
    {"chat_channel_2_url", NULL, 16, CL_NROUTE_URL_MAX,
     "team channel 2: its Slack or Teams incoming webhook URL (write-only)", 1},
    {"chat_channel_2_format", NULL, 0, 0,
     "team channel 2: slack (default) or teams"},
    {"chat_channel_2_kinds", NULL, 0, 0,
     "team channel 2: the team-safe kinds it hears, comma-separated "
     "(what_changed, cause_route, checkin_reminder)"},
    {"chat_channel_3_url", NULL, 16, CL_NROUTE_URL_MAX,
     "team channel 3: its Slack or Teams incoming webhook URL (write-only)", 1},
    {"chat_channel_3_format", NULL, 0, 0,
     "team channel 3: slack (default) or teams"},
    {"chat_channel_3_kinds", NULL, 0, 0,
     "team channel 3: the team-safe kinds it hears, comma-separated "
     "(what_changed, cause_route, checkin_reminder)"},
};

#define NKEYS (sizeof keys / sizeof keys[0])

const cl_config_key *
cl_config_keys(size_t *n)
{
    *n = NKEYS;
    return keys;
}

const cl_config_key *
cl_config_key_find(const char *key)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].key, key) == 0)
            return &keys[i];
    return NULL;
}

int
cl_config_secret(const char *key)
{
    const cl_config_key *k = cl_config_key_find(key);
    return k && k->secret;
}

static int
prefixed(const char *value, const char *a, const char *b)
{
    return strncmp(value, a, strlen(a)) == 0 ||
           strncmp(value, b, strlen(b)) == 0;
}

cl_err
cl_config_check(const char *key, const char *value, cl_error *err)
{
    const cl_config_key *k = cl_config_key_find(key);
    const char *why = NULL;
    if (k == NULL)
        return cl_error_set(err, CL_ENOTFOUND, "%s: unknown key", key);
    if (k->unit) {
        char *end;
        errno = 0;
        long long n = strtoll(value, &end, 10);
        if (value[0] < '0' || value[0] > '9' || *end || errno || n < k->min ||
            n > k->max)
            return cl_error_set(err, CL_EINVAL,
                                "%s: expected a whole number from %lld to "
                                "%lld (%s), got '%.64s'",
                                key, k->min, k->max, k->unit, value);
        return CL_OK;
    }
    if (strncmp(key, "chat_channel_", 13) == 0) {
        size_t n = strlen(key);
        if (n > 4 && strcmp(key + n - 4, "_url") == 0)
            why = cl_nroute_url_check(value);
        else if (n > 7 && strcmp(key + n - 7, "_format") == 0)
            why = cl_nroute_format_check(value);
        else
            why = cl_nroute_kinds_check(value);
        return why ? cl_error_set(err, CL_EINVAL, "%s: %s", key, why) : CL_OK;
    }
    if (k->secret) {
        size_t n = strlen(value);
        for (const char *p = value; *p && !why; p++)
            if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
                why = "expected printable ASCII without spaces";
        if (!why && (n < (size_t)k->min || n > (size_t)k->max))
            return cl_error_set(err, CL_EINVAL,
                                "%s: expected %lld to %lld characters, got "
                                "%zu",
                                key, k->min, k->max, n);
        return why ? cl_error_set(err, CL_EINVAL, "%s: %s", key, why) : CL_OK;
    }
    if (strcmp(key, "salesforce_org_ids") == 0) {
        /* Ids of 15 or 18 letters and digits, comma-separated. */
        size_t run = 0;
        for (const char *p = value;; p++) {
            if (*p == ',' || *p == '\0') {
                if (run != 15 && run != 18)
                    why = "expected organization ids of 15 or 18 letters "
                          "and digits, comma-separated";
                run = 0;
                if (*p == '\0')
                    break;
            } else if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                       (*p >= 'A' && *p <= 'Z')) {
                run++;
            } else if (*p != ' ') {
                why = "expected organization ids of 15 or 18 letters and "
                      "digits, comma-separated";
            }
        }
        return why ? cl_error_set(err, CL_EINVAL, "%s: %s", key, why) : CL_OK;
    }
    if (strcmp(key, "hubspot_webhook_url") == 0 &&
        !prefixed(value, "http://", "https://"))
        return cl_error_set(err, CL_EINVAL,
                            "%s: expected an http:// or https:// URL", key);
    if (strncmp(key, "route_", 6) == 0) {
        int known;
        why = cl_wf_route_setting_check(key, value, &known);
        return why ? cl_error_set(err, CL_EINVAL, "%s: %s", key, why) : CL_OK;
    }
    if (strcmp(key, "timezone") == 0 && !cl_tz_name_ok(value))
        why = "expected an IANA zone name such as Europe/Berlin or UTC";
    if (strcmp(key, "business_days") == 0) {
        unsigned week;
        if (strlen(value) > 60 || cl_cal_weekdays_parse(value, &week) != 0)
            why = "expected day names mon tue wed thu fri sat sun or ranges, "
                  "comma-separated, e.g. mon-fri or sun-thu";
    }
    if (strcmp(key, "crm_writeback") == 0) {
        cl_crm crm;
        if (cl_crm_parse(value, &crm) != 0)
            why = "expected off, hubspot or salesforce";
    }
    if (strcmp(key, "crm_writeback_health") == 0 && strcmp(value, "off") != 0 &&
        strcmp(value, "on") != 0)
        why = "expected off or on";
    if (strcmp(key, "crm_api_version") == 0 && !cl_crm_version_ok(value))
        why = "expected a Salesforce API version from v20.0 to v99.9, "
              "e.g. v60.0";
    if (strcmp(key, "crm_base_url") == 0 &&
        (!prefixed(value, "http://", "https://") || strlen(value) > 400 ||
         strpbrk(value, " #?\"<>") != NULL))
        why = "expected an http:// or https:// address without spaces, "
              "query or fragment, at most 400 characters";
    if (strcmp(key, "webhook_format") == 0 && strcmp(value, "json") != 0 &&
        strcmp(value, "slack") != 0)
        why = "expected json or slack";
    if (strcmp(key, "smtp_url") == 0 && !prefixed(value, "smtp://", "smtps://"))
        why = "expected smtp://HOST:PORT or smtps://HOST:PORT";
    if (strcmp(key, "public_url") == 0 &&
        (!prefixed(value, "http://", "https://") || strlen(value) > 400 ||
         strpbrk(value, " #?\"<>") != NULL))
        why = "expected an http:// or https:// address without spaces, "
              "query or fragment, at most 400 characters";
    if (strcmp(key, "webhook_url") == 0 &&
        !prefixed(value, "http://", "https://"))
        why = "expected an http:// or https:// URL";
    return why ? cl_error_set(err, CL_EINVAL, "%s: %s", key, why) : CL_OK;
}
