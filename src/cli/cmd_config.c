/* cmd_config.c - `closeloop config`: the workspace's settings. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/workflow.h"
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
    "  max_attempts          delivery attempts before a message is dead (5)\n"
    "  retry_base_seconds    first retry delay, doubled per attempt (60)\n"
    "  engine_lookback_days  how far back tick turns imported records into\n"
    "                        work (30)\n"
    "  revops_id, marketing_id, vp_sales_id\n"
    "                        who the loop routes to (default: the first user\n"
    "                        with that role)\n"
    "  route_CAUSE           the role a non-sales cause routes to (a role or\n"
    "                        none; CAUSE: failed_adoption, "
    "product_deficiency,\n"
    "                        poor_service, goals_not_met, competitive_loss,\n"
    "                        pricing, business_change, financial_distress)\n"
    "  route_due_business_days\n"
    "                        its follow-up task's due day, 1-60 (5)\n"};

static const char *const keys[] = {"smtp_url",
                                   "smtp_from",
                                   "webhook_url",
                                   "webhook_format",
                                   "max_attempts",
                                   "retry_base_seconds",
                                   "engine_lookback_days",
                                   "revops_id",
                                   "marketing_id",
                                   "vp_sales_id",
                                   "route_failed_adoption",
                                   "route_product_deficiency",
                                   "route_poor_service",
                                   "route_goals_not_met",
                                   "route_competitive_loss",
                                   "route_pricing",
                                   "route_business_change",
                                   "route_financial_distress",
                                   "route_due_business_days",
                                   NULL};

static int
print_cb(void *ud, const char *key, const char *value)
{
    (void)ud;
    printf("%s=%s\n", key, value);
    return 0;
}

static const char *
check(const char *key, const char *value)
{
    long long n;
    if (cl_enum_index(keys, key) < 0)
        return "unknown key";
    int routing;
    const char *why = cl_wf_route_setting_check(key, value, &routing);
    if (routing)
        return why;
    if ((strcmp(key, "max_attempts") == 0 ||
         strcmp(key, "retry_base_seconds") == 0 ||
         strcmp(key, "engine_lookback_days") == 0) &&
        cli_parse_int(value, 1, 1000000, &n) != 0)
        return "expected a whole number >= 1";
    if (strcmp(key, "webhook_format") == 0 && strcmp(value, "json") != 0 &&
        strcmp(value, "slack") != 0)
        return "expected json or slack";
    if (strcmp(key, "smtp_url") == 0 && strncmp(value, "smtp://", 7) != 0 &&
        strncmp(value, "smtps://", 8) != 0)
        return "expected smtp://HOST:PORT or smtps://HOST:PORT";
    if (strcmp(key, "webhook_url") == 0 && strncmp(value, "http://", 7) != 0 &&
        strncmp(value, "https://", 8) != 0)
        return "expected an http:// or https:// URL";
    return NULL;
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
    if (set) {
        const char *why = check(key, argv[optind + 1]);
        if (why)
            return cli_fail(CL_EINVAL, "config %s: %s", key, why);
    }
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error err;
    cl_error_clear(&err);
    cl_err e = CL_OK;
    if (set) {
        e = cl_store_begin(st, "config", common.now, &err);
        if (e == CL_OK)
            e = cl_store_config_set(st, key, argv[optind + 1], &err);
        if (e == CL_OK)
            e = cl_store_commit(st, &err);
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
