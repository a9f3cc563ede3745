/* cmd_kickoff.c - `closeloop kickoff`: a won deal's kickoff held. */
#include <string.h>

#include "cli.h"
#include "engine/engine.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_kickoff = {
    "kickoff", run, "record a won deal's kickoff as held",
    "usage: closeloop kickoff DEAL --held-on YYYY-MM-DD\n"
    "                 [--override-reason TEXT] --by USER [--now T] [--db URL]\n"
    "\n"
    "Records the kickoff date.  Refused (exit 1) unless the won-deal review\n"
    "was held on or before that date, or --override-reason says why; the\n"
    "override is audited (closeloop history --entity deals).\n"};

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"held-on", required_argument, NULL, 'o'},
        {"override-reason", required_argument, NULL, 'r'},
        {"by", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *by = NULL, *held = NULL, *reason = NULL;
    int c, rc = CLI_USAGE;
    cl_day day;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_kickoff, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        if (c == 'o')
            held = optarg;
        else if (c == 'r')
            reason = optarg;
        else if (c == 'b')
            by = optarg;
        else
            return cli_usage(&cli_cmd_kickoff, "unexpected option");
    }
    if (c < 0)
        return rc;
    if (optind + 1 != argc)
        return cli_usage(&cli_cmd_kickoff, "expected one deal id");
    if (by == NULL || held == NULL)
        return cli_usage(&cli_cmd_kickoff, "--held-on and --by are required");
    if (cl_date_parse(held, strlen(held), &day) != 0)
        return cli_fail(CL_EINVAL, "--held-on: expected YYYY-MM-DD, got '%s'",
                        held);
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error err;
    cl_error_clear(&err);
    cl_err e =
        cl_engine_kickoff(st, argv[optind], day, reason, by, common.now, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    printf("kickoff of %s held on %s%s\n", argv[optind], held,
           reason ? " (override audited)" : "");
    return CLI_OK;
}
