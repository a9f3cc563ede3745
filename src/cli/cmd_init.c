/* cmd_init.c - `closeloop init`: create or migrate a workspace. */
#include "cli.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_init = {
    "init", run, "create or migrate a workspace",
    "usage: closeloop init [--db URL]\n"
    "\n"
    "Creates the workspace if it does not exist, or applies the migrations\n"
    "it lacks, then seeds a new workspace with the default root-cause\n"
    "taxonomy and thresholds.  Running it again changes nothing.\n"
    "\n"
    "  --db URL   the workspace: a file path or sqlite:PATH, or a\n"
    "             PostgreSQL database: postgres://USER@HOST:PORT/DB,\n"
    "             postgresql://..., or postgres: (the PG* variables)\n"
    "             (default ./closeloop.db or $CLOSELOOP_DB)\n"};

static int
run(int argc, char **argv)
{
    cli_common common;
    cl_store *st;
    cl_error err;
    int version, rc;

    cli_common_init(&common);
    if ((rc = cli_parse_common_only(&cli_cmd_init, argc, argv, &common)) >= 0)
        return rc;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    if (cl_store_schema_version(st, &version, &err) != CL_OK) {
        cl_store_close(st);
        return cli_fail_error(&err);
    }
    printf("workspace ready: %s (schema version %d)\n", common.db, version);
    cl_store_close(st);
    return CLI_OK;
}
