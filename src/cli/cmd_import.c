/* cmd_import.c - `closeloop import KIND FILE`. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "io/import.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_import = {
    "import", run, "import canonical CSV records (all or nothing)",
    "usage: closeloop import KIND FILE [--mapping NAME|MAPFILE] [--skip-bad]\n"
    "                        [--ignore-extra] [--actor ID] [--now T]\n"
    "                        [--db URL]\n"
    "\n"
    "Imports FILE (canonical CSV, UTF-8, a header row; - for stdin) as\n"
    "records of KIND, in one transaction: a bad row is reported as\n"
    "FILE:LINE: COLUMN: message and nothing of the file is applied.\n"
    "Records are matched by their source id, so importing the same file\n"
    "again changes nothing.  Columns may come in any order.\n"
    "\n"
    "KIND and its columns (* required):\n"
    "  users          id*,name*,email*,role*,manager_id,team\n"
    "  accounts       id*,name*,industry,employees,region,has_ops_function,\n"
    "                 csm_id,customer_since,status*\n"
    "  deals          id*,account_id*,ae_id,type*,source,stage*,created_on*,\n"
    "                 first_demo_on,closed_on,arr,loss_reason,icp_fit_score,\n"
    "                 champion_level,champion_tenure_months,exec_sponsor,\n"
    "                 use_case,kickoff_on\n"
    "  churns         id*,account_id*,deal_id,churned_on*,arr_lost,\n"
    "                 stated_reason,diagnosis,predictive_behavior,\n"
    "                 primary_cause,contributing_causes,tagged_by,tagged_on\n"
    "  recoveries     id*,original_deal_id*,new_deal_id*,recovery_type,\n"
    "                 cs_intervention,what_changed,csm_id,logged_on,cs_led\n"
    "  reviews        deal_id*,held_on*,q1,q2,q3,q4,q5,q6,q7,gut_read\n"
    "  cs_hours       account_id*,month*,hours*\n"
    "  arr_movements  account_id*,on*,kind*,amount*\n"
    "  icp            version*,effective_on*,criteria*,owner_id,rationale\n"
    "  holidays       on*,name*\n"
    "\n"
    "  --mapping NAME|MAPFILE\n"
    "                  read FILE as a CRM export: salesforce or hubspot\n"
    "                  (users, accounts, deals), or a mapping file of\n"
    "                  column,source,transform rows (see docs/import.md);\n"
    "                  a bad value is reported as FILE:LINE: Source Column\n"
    "                  (column): message, other source columns are ignored\n"
    "  --skip-bad      apply the good rows and list every bad one\n"
    "  --ignore-extra  ignore columns that are not canonical\n"
    "  --actor ID      who the audit log names (default: import)\n"
    "  --now T         when the audit log says it happened\n"
    "                  (YYYY-MM-DD[THH:MM]; default: now)\n"
    "  --db URL        the workspace (default ./closeloop.db)\n"};

static void
print_bad(void *ud, const char *msg)
{
    (void)ud;
    fprintf(stderr, "%s\n", msg);
}

static void
print_progress(void *ud, int64_t rows, uint64_t done, uint64_t total)
{
    const char *kind = ud;
    if (total)
        fprintf(stderr, "\rimporting %s: %lld rows (%d%%)", kind,
                (long long)rows, (int)(done * 100 / total));
    else
        fprintf(stderr, "\rimporting %s: %lld rows", kind, (long long)rows);
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"skip-bad", no_argument, NULL, 's'},
        {"ignore-extra", no_argument, NULL, 'x'},
        {"actor", required_argument, NULL, 'a'},
        {"mapping", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    cl_import_opts io = {0};
    const char *mapping = NULL;
    int c, rc = CLI_USAGE;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_import, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        switch (c) {
        case 's':
            io.skip_bad = 1;
            break;
        case 'x':
            io.ignore_extra = 1;
            break;
        case 'a':
            io.actor = optarg;
            break;
        case 'm':
            mapping = optarg;
            break;
        default:
            return cli_usage(&cli_cmd_import, "unexpected option");
        }
    }
    if (c < 0)
        return rc;
    if (argc - optind != 2)
        return cli_usage(&cli_cmd_import, "expected KIND and FILE");
    const char *kind_name = argv[optind], *path = argv[optind + 1];
    cl_kind kind = cl_kind_from_name(kind_name);
    if (kind == CL_KIND_NONE)
        return cli_usage(&cli_cmd_import,
                         "unknown KIND '%s'; expected users, accounts, "
                         "deals, churns, recoveries, reviews, cs_hours, "
                         "arr_movements, icp or holidays",
                         kind_name);

    cl_import_report rep;
    cl_error err;
    cl_error_clear(&err);
    cl_mapping *map = NULL;
    if (mapping && strcmp(mapping, "canonical") != 0) {
        /* A preset by name, else a mapping file. */
        cl_err me = cl_mapping_is_preset(mapping)
                        ? cl_mapping_preset(mapping, kind, &map, &err)
                        : cl_import_mapping_load(mapping, kind, &map, &err);
        if (me == CL_EINVAL) {
            fprintf(stderr, "%s\n", err.msg);
            return CLI_BAD_INPUT;
        }
        if (me != CL_OK)
            return cli_fail_error(&err);
        io.mapping = map;
    }

    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0) {
        cl_mapping_free(map);
        return rc;
    }
    io.now = common.now;
    io.on_bad = print_bad;
    /* A progress line only for a person watching a terminal. */
    if (isatty(STDERR_FILENO)) {
        io.on_progress = print_progress;
        io.ud = (void *)kind_name;
    }
    cl_err e = cl_import_file(st, kind, path, &io, &rep, &err);
    if (io.on_progress && rep.rows >= 65536)
        fputc('\n', stderr);
    cl_store_close(st);
    cl_mapping_free(map);
    if (e == CL_EINVAL && rep.bad == 0 &&
        strncmp(err.msg, path, strlen(path)) == 0) {
        /* A bad header or malformed CSV: FILE:LINE: ..., like a bad row. */
        fprintf(stderr, "%s\n", err.msg);
        return CLI_BAD_INPUT;
    }
    if (e != CL_OK && rep.bad == 0)
        return cli_fail_error(&err);
    printf("%s: %lld rows: %lld inserted, %lld updated, %lld unchanged, "
           "%lld bad\n",
           kind_name, (long long)rep.rows, (long long)rep.inserted,
           (long long)rep.updated, (long long)rep.unchanged,
           (long long)rep.bad);
    if (e != CL_OK)
        return cli_fail_error(&err);
    return CLI_OK;
}
