/* cmd_recovery.c - `closeloop recovery classify`: the recovery record. */
#include <string.h>

#include "cli.h"
#include "engine/engine.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_recovery = {
    "recovery", run, "classify a recovered deal",
    "usage: closeloop recovery classify RECOVERY|NEW_DEAL --type T\n"
    "                 --intervention TEXT --what-changed TEXT --by USER\n"
    "                 [--not-cs-led | --cs-led] [--now T] [--db URL]\n"
    "\n"
    "Writes the recovery record of a deal that came back after a loss:\n"
    "RECOVERY is an imported recovery id, or NEW_DEAL a new deal that tick\n"
    "linked to its account's lost deal (the record is then rec-NEW_DEAL).\n"
    "T: trust, timing, overpromise_repair or champion_change.  The\n"
    "recovery_classification task is done.  --not-cs-led: CS did not lead\n"
    "this recovery; it stays on record but the recovery review leaves it\n"
    "out (--cs-led undoes it; without either the record keeps its mark).\n"};

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"type", required_argument, NULL, 't'},
        {"intervention", required_argument, NULL, 'i'},
        {"what-changed", required_argument, NULL, 'w'},
        {"by", required_argument, NULL, 'b'},
        {"not-cs-led", no_argument, NULL, 'n'},
        {"cs-led", no_argument, NULL, 'c'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *by = NULL, *type = NULL, *inter = NULL, *what = NULL;
    int c, rc = CLI_USAGE, cs_led = -1;

    if (argc < 2 || strcmp(argv[1], "classify") != 0)
        return cli_usage(&cli_cmd_recovery, "expected 'classify'");
    argc--;
    argv++;
    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_recovery, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        if (c == 't')
            type = optarg;
        else if (c == 'i')
            inter = optarg;
        else if (c == 'w')
            what = optarg;
        else if (c == 'b')
            by = optarg;
        else if (c == 'n')
            cs_led = 0;
        else if (c == 'c')
            cs_led = 1;
        else
            return cli_usage(&cli_cmd_recovery, "unexpected option");
    }
    if (c < 0)
        return rc;
    if (optind + 1 != argc)
        return cli_usage(&cli_cmd_recovery, "expected one id");
    if (by == NULL || type == NULL)
        return cli_usage(&cli_cmd_recovery, "--type and --by are required");
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error err;
    cl_error_clear(&err);
    cl_err e = cl_engine_recovery_classify(st, argv[optind], type, inter, what,
                                           cs_led, by, common.now, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    printf("recovery %s classified %s%s\n", argv[optind], type,
           cs_led == 0 ? " (not CS-led)" : "");
    return CLI_OK;
}
