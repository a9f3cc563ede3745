/* cmd_change.c - `closeloop change`: the debrief's one process change. */
#include <string.h>

#include "cli.h"
#include "engine/engine.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_change = {
    "change", run, "record a debrief's process change, or its check-in",
    "usage: closeloop change record SESSION --owner USER --description TEXT\n"
    "                 --by USER [--now T] [--db URL]\n"
    "       closeloop change checkin ID --note TEXT --by USER [--now T]\n"
    "\n"
    "record: the monthly debrief's one process change, with a named owner\n"
    "and a check-in due 30 days later (a process_change_checkin task).  A\n"
    "second change in the same debrief is refused.  A check-in past due\n"
    "reminds the owner (tick), and 5 business days later escalates to\n"
    "RevOps.\n"
    "\n"
    "checkin: records the check-in of process change ID (once).\n"};

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"owner", required_argument, NULL, 'o'},
        {"description", required_argument, NULL, 'd'},
        {"note", required_argument, NULL, 'n'},
        {"by", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *owner = NULL, *desc = NULL, *note = NULL, *by = NULL;
    int c, rc = CLI_USAGE;
    long long id;

    if (argc < 2 || (strcmp(argv[1], "record") && strcmp(argv[1], "checkin")))
        return cli_usage(&cli_cmd_change, "expected 'record' or 'checkin'");
    int record = strcmp(argv[1], "record") == 0;
    argc--;
    argv++;
    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_change, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        if (c == 'o')
            owner = optarg;
        else if (c == 'd')
            desc = optarg;
        else if (c == 'n')
            note = optarg;
        else if (c == 'b')
            by = optarg;
        else
            return cli_usage(&cli_cmd_change, "unexpected option");
    }
    if (c < 0)
        return rc;
    if (optind + 1 != argc || cli_parse_int(argv[optind], 1, INT64_MAX, &id))
        return cli_usage(&cli_cmd_change, "expected one numeric id");
    if (by == NULL)
        return cli_usage(&cli_cmd_change, "--by USER is required");
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error err;
    cl_error_clear(&err);
    int64_t pc = 0;
    cl_err e =
        record ? cl_engine_change_record(st, id, owner, desc, by, common.now,
                                         &pc, NULL, &err)
               : cl_engine_change_checkin(st, id, note, by, common.now, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    if (record)
        printf("process change %lld recorded in session %lld\n", (long long)pc,
               id);
    else
        printf("process change %lld checked in\n", id);
    return CLI_OK;
}
