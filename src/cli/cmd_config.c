/* cmd_config.c - `closeloop config`: the workspace's settings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/config_keys.h"
#include "core/taxonomy.h"
#include "core/workflow.h"
#include "engine/engine.h"
#include "store/store_api.h"
#include "store/store_engine.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_config = {
    "config", run, "set or show workspace settings (delivery, people)",
    "usage: closeloop config set KEY VALUE [--db URL]\n"
    "       closeloop config get [KEY] [--db URL]\n"
    "\n"
    "Keys:\n"
    "  smtp_url              smtp://HOST:PORT (or smtps://) for e-mail\n"
    "  smtp_from             the sender address\n"
    "  webhook_url           http(s) URL that receives every notification\n"
    "  webhook_format        json (default) or slack\n"
    "  max_attempts          delivery attempts before a message is dead\n"
    "                        (1..20, default 5)\n"
    "  retry_base_seconds    first retry delay, doubled per attempt\n"
    "                        (1..86400, default 60)\n"
    "  deliver_batch         messages of a channel one delivery round claims\n"
    "                        and sends (1..10000, default 1000)\n"
    "  engine_lookback_days  how far back tick turns imported records into\n"
    "                        work (1..3660, default 30)\n"
    "  revops_id, marketing_id, vp_sales_id\n"
    "                        who the loop routes to (default: the first user\n"
    "                        with that role)\n"
    "  route_CAUSE           the role a non-sales cause routes to (a role or\n"
    "                        none; CAUSE: failed_adoption, "
    "product_deficiency,\n"
    "                        poor_service, goals_not_met, competitive_loss,\n"
    "                        pricing, business_change, financial_distress,\n"
    "                        or a cause added to the workspace's taxonomy)\n"
    "  route_due_business_days\n"
    "                        its follow-up task's due day, 1-60 (5)\n"
    "  invite_expiry_hours   how long an invitation or password-reset link\n"
    "                        works (1..720, default 72)\n"
    "  public_url            the address people open closeloop at, the start\n"
    "                        of links in e-mails (http://127.0.0.1:8080)\n"
    "  webhook_generic_secret, hubspot_app_secret, salesforce_secret\n"
    "                        the inbound webhooks' secrets, 16-256\n"
    "                        characters; write-only in the API\n"
    "                        (docs/integrations.md)\n"
    "  salesforce_org_ids    Salesforce organizations whose Outbound\n"
    "                        Messages are taken (ids, comma-separated)\n"
    "  hubspot_webhook_url   the URL HubSpot signs, behind a proxy\n"
    "  digest_hour           the daily digest's hour, 0-23, in the\n"
    "                        workspace's time zone (timezone; 8)\n"
    "  chat_channel_N_url, chat_channel_N_format, chat_channel_N_kinds\n"
    "                        team channel N (1-3): its Slack or Teams\n"
    "                        incoming webhook (write-only in the API),\n"
    "                        slack or teams, and the team-safe kinds it\n"
    "                        hears: what_changed, cause_route,\n"
    "                        checkin_reminder (docs/integrations.md)\n"
    "  THRESHOLD             any threshold of the loop's rules, e.g.\n"
    "                        debrief_due_business_days; each has a range\n"
    "                        (docs/settings.md); get KEY shows its value\n"};

static int
print_cb(void *ud, const char *key, const char *value)
{
    (void)ud;
    printf("%s=%s\n", key, value);
    return 0;
}

/* The number a threshold is set to; NaN when text is not one, which the
   range check then refuses with the range in its message. */
static double
number(const char *text)
{
    char *end;
    double v = strtod(text, &end);
    return end == text || *end ? NAN : v;
}

typedef struct find_cause {
    const char *code;
    int found, attributable;
} find_cause;

static int
find_cause_cb(void *ud, const cl_cause *c)
{
    find_cause *f = ud;
    if (strcmp(c->code, f->code) == 0) {
        f->found = 1;
        f->attributable = c->sales_attributable;
    }
    return 0;
}

/*
 * route_CODE of a cause the defaults do not know: one of the workspace's
 * taxonomy (an added cause, or a deal-attributable one, which takes no
 * role), checked as the API's re-route (cl_cause_owner_check).
 */
static cl_err
check_route(cl_store *st, const char *key, const char *value, cl_error *err)
{
    find_cause f = {.code = key + 6};
    cl_err e = cl_store_causes(st, find_cause_cb, &f, err);
    if (e != CL_OK)
        return e;
    if (!f.found)
        return cl_error_set(err, CL_EINVAL,
                            "%s: no cause '%.64s' in the workspace's "
                            "taxonomy",
                            key, f.code);
    cl_error why;
    cl_error_clear(&why);
    if (cl_cause_owner_check(f.attributable, value, &why) == CL_OK)
        return CL_OK;
    /* The API's message names its field; here the key is the field. */
    const char *m = why.msg;
    if (strncmp(m, "owner_role: ", 12) == 0)
        m += 12;
    return cl_error_set(err, CL_EINVAL, "%s: %s", key, m);
}

/* Stores a checked threshold value, audited as any change. */
static cl_err
set_threshold(cl_store *st, const char *key, double v, cl_error *err)
{
    int found = 0;
    cl_err e = cl_store_threshold_set(st, key, v, &found, err);
    if (e == CL_OK && !found)
        e = cl_error_set(err, CL_ENOTFOUND, "no threshold '%s'", key);
    return e;
}

static int
run(int argc, char **argv)
{
    cli_common common;
    int c, rc = CLI_USAGE;
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {NULL, 0, NULL, 0}};

    if (argc < 2 || (strcmp(argv[1], "set") && strcmp(argv[1], "get")))
        return cli_usage(&cli_cmd_config, "expected 'set' or 'get'");
    int set = strcmp(argv[1], "set") == 0;
    argc--;
    argv++;
    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_config, argc, argv, ":h", opts,
                                &common, &rc)) > 0)
        return cli_usage(&cli_cmd_config, "unexpected option");
    if (c < 0)
        return rc;
    int nargs = argc - optind;
    if (set ? nargs != 2 : nargs > 1)
        return cli_usage(&cli_cmd_config, set ? "set needs KEY VALUE"
                                              : "get takes at most one KEY");
    const char *key = nargs ? argv[optind] : NULL;
    const cl_threshold *threshold = key ? cl_threshold_find(key) : NULL;
    cl_error err;
    cl_error_clear(&err);
    const char *value = set ? argv[optind + 1] : NULL;
    /* Every value is checked against its range (taxonomy.h,
       config_keys.h) before the workspace is opened; the route of a
       cause the defaults do not know, against the workspace's taxonomy. */
    int known = 1;
    if (set && !threshold && strncmp(key, "route_", 6) == 0)
        cl_wf_route_setting_check(key, value, &known);
    if (set && known &&
        (threshold ? cl_threshold_check(key, number(value), &err)
                   : cl_config_check(key, value, &err)) != CL_OK)
        return cli_fail(CL_EINVAL, "config %s", err.msg);
    /* A zone name must also be one this server's tzdata has. */
    cl_tz zone;
    if (set && strcmp(key, "timezone") == 0 && strcmp(value, "UTC") != 0 &&
        cl_engine_zone_load(value, &zone, &err) != CL_OK)
        return cli_fail(CL_EINVAL, "config %s", err.msg);
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_err e = CL_OK;
    if (set && !known && (e = check_route(st, key, value, &err)) != CL_OK) {
        cl_store_close(st);
        return cli_fail(CL_EINVAL, "config %s", err.msg);
    }
    if (set) {
        e = cl_store_begin(st, "config", common.now, &err);
        if (e == CL_OK)
            e = threshold ? set_threshold(st, key, number(value), &err)
                          : cl_store_config_set(st, key, value, &err);
        if (e == CL_OK)
            e = cl_store_commit(st, &err);
        if (e != CL_OK)
            cl_store_rollback(st);
    } else if (threshold) {
        double v;
        e = cl_store_threshold(st, key, &v, &err);
        if (e == CL_OK)
            printf("%g\n", v);
    } else if (key) {
        char buf[1024];
        int found = 0;
        e = cl_store_config_get(st, key, buf, sizeof buf, &found, &err);
        if (e == CL_OK && !found)
            e = cl_error_set(&err, CL_ENOTFOUND, "config %s is not set", key);
        if (e == CL_OK)
            puts(buf);
    } else {
        e = cl_store_config_each(st, print_cb, NULL, &err);
    }
    cl_store_close(st);
    return e == CL_OK ? CLI_OK : cli_fail_error(&err);
}
