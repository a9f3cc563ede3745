/* cmd_churn.c - `closeloop churn tag|close|reopen`: what a CSM does to a
   churn. */
#include <string.h>

#include "cli.h"
#include "engine/engine.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_churn = {
    "churn", run, "tag a churn's root cause, close it, or reopen it",
    "usage: closeloop churn tag CHURN --primary CAUSE [--contributing A;B]\n"
    "                 [--stated TEXT] [--diagnosis TEXT] [--predictive TEXT]\n"
    "                 --by USER [--now T] [--db URL]\n"
    "       closeloop churn close CHURN --by USER [--now T] [--db URL]\n"
    "       closeloop churn reopen CHURN --reason TEXT --by USER [--now T]\n"
    "                 [--db URL]\n"
    "\n"
    "tag: records the root cause (a taxonomy code, docs/design.md section 5),\n"
    "the contributing causes and the three signal texts (the customer's\n"
    "stated reason, the CS diagnosis, the pre-sale behaviour that predicted\n"
    "it).  The churn_tagging task is done.  A sales-attributable primary\n"
    "cause notifies the original deal's AE and that AE's manager at once\n"
    "(outbox) and opens a debrief task for the AE and the CSM, due in 5\n"
    "business days; only once per churn.  Every later change is audited\n"
    "(closeloop history --entity churns).  Texts not given keep their stored\n"
    "value.\n"
    "\n"
    "close: closes the churn record; refused while it is untagged or while\n"
    "one of the three signal texts is empty.  A signal nobody knows is\n"
    "written 'not known: REASON'; the tagging audit counts them.  A closed\n"
    "churn's tag changes only after `reopen`, whose reason is audited.\n"
    "\n"
    "  --by USER   who does it (a user id)\n"
    "  --now T     the time of the action (default: the clock)\n"};

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"primary", required_argument, NULL, 'p'},
        {"contributing", required_argument, NULL, 'c'},
        {"stated", required_argument, NULL, 's'},
        {"diagnosis", required_argument, NULL, 'd'},
        {"predictive", required_argument, NULL, 'r'},
        {"by", required_argument, NULL, 'b'},
        {"reason", required_argument, NULL, 'R'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    cl_wf_tag tag = {0};
    const char *by = NULL, *reason = NULL;
    int c, rc = CLI_USAGE;

    if (argc < 2 || (strcmp(argv[1], "tag") && strcmp(argv[1], "close") &&
                     strcmp(argv[1], "reopen")))
        return cli_usage(&cli_cmd_churn, "expected 'tag', 'close' or 'reopen'");
    int is_tag = strcmp(argv[1], "tag") == 0;
    int is_reopen = strcmp(argv[1], "reopen") == 0;
    argc--;
    argv++;
    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_churn, argc, argv, ":h", opts, &common,
                                &rc)) > 0) {
        switch (c) {
        case 'p':
            tag.primary_cause = optarg;
            break;
        case 'c':
            tag.contributing_causes = optarg;
            break;
        case 's':
            tag.stated_reason = optarg;
            break;
        case 'd':
            tag.diagnosis = optarg;
            break;
        case 'r':
            tag.predictive_behavior = optarg;
            break;
        case 'b':
            by = optarg;
            break;
        case 'R':
            reason = optarg;
            break;
        default:
            return cli_usage(&cli_cmd_churn, "unexpected option");
        }
    }
    if (c < 0)
        return rc;
    if (optind + 1 != argc)
        return cli_usage(&cli_cmd_churn, "expected one churn id");
    if (by == NULL)
        return cli_usage(&cli_cmd_churn, "--by USER is required");
    if (is_tag && tag.primary_cause == NULL)
        return cli_usage(&cli_cmd_churn, "--primary CAUSE is required");
    if (is_reopen && reason == NULL)
        return cli_usage(&cli_cmd_churn, "--reason TEXT is required");
    const char *id = argv[optind];
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error err;
    cl_engine_stats stats = {0};
    cl_error_clear(&err);
    cl_err e =
        is_tag ? cl_engine_churn_tag(st, id, &tag, by, common.now, &stats, &err)
        : is_reopen
            ? cl_engine_churn_reopen(st, id, reason, by, common.now, &err)
            : cl_engine_churn_close(st, id, by, common.now, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    if (is_tag)
        printf("churn %s tagged %s: %d notifications, %d tasks\n", id,
               tag.primary_cause, stats.notifications, stats.tasks);
    else
        printf("churn %s %s\n", id, is_reopen ? "reopened" : "closed");
    return CLI_OK;
}
