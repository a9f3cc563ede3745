/* cmd_icp.c - `closeloop icp decide`: the ICP review's decision to keep the
   definition. */
#include <string.h>

#include "cli.h"
#include "engine/engine.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_icp = {
    "icp", run, "record that the ICP review kept the definition",
    "usage: closeloop icp decide --no-change --rationale TEXT --by USER\n"
    "                 [--owner USER] [--now T] [--db URL]\n"
    "\n"
    "Records the explicit decision not to change the ICP definition\n"
    "(docs/design.md section 2, item 8): the owner (default: --by), the day\n"
    "(--now) and the rationale, on the version in effect, in the audit log.\n"
    "Loop health's stale-ICP check counts it as a review.  A change of the\n"
    "definition is a new version instead: `closeloop import icp FILE`\n"
    "(versions are immutable; each names its owner and its rationale).\n"};

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"no-change", no_argument, NULL, 'k'},
        {"rationale", required_argument, NULL, 'r'},
        {"owner", required_argument, NULL, 'o'},
        {"by", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *why = NULL, *owner = NULL, *by = NULL;
    int c, rc = CLI_USAGE, keep = 0;

    if (argc < 2 || strcmp(argv[1], "decide") != 0)
        return cli_usage(&cli_cmd_icp, "expected 'decide'");
    argc--;
    argv++;
    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_icp, argc, argv, ":h", opts, &common,
                                &rc)) > 0) {
        if (c == 'k')
            keep = 1;
        else if (c == 'r')
            why = optarg;
        else if (c == 'o')
            owner = optarg;
        else if (c == 'b')
            by = optarg;
        else
            return cli_usage(&cli_cmd_icp, "unexpected option");
    }
    if (c < 0)
        return rc;
    if (optind != argc)
        return cli_usage(&cli_cmd_icp, "unexpected argument");
    if (!keep)
        return cli_usage(&cli_cmd_icp,
                         "--no-change is required (a change is a new version: "
                         "closeloop import icp FILE)");
    if (by == NULL)
        return cli_usage(&cli_cmd_icp, "--by USER is required");
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error err;
    cl_error_clear(&err);
    int64_t version = 0;
    cl_err e = cl_engine_icp_no_change(st, owner ? owner : by, why, by,
                                       common.now, &version, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    printf("ICP version %lld reviewed: no change\n", (long long)version);
    return CLI_OK;
}
