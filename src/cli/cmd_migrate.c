/* cmd_migrate.c - `closeloop migrate`: a SQLite workspace into PostgreSQL. */
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "store/migrate.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_migrate = {
    "migrate", run, "copy a SQLite workspace into PostgreSQL",
    "usage: closeloop migrate --from sqlite:PATH --to postgres://URL\n"
    "\n"
    "Copies every table of the workspace (records, taxonomy, thresholds,\n"
    "settings, the engine's tasks, sessions and outbox, the audit log) into\n"
    "the PostgreSQL database, migrated first, in one transaction.  Row\n"
    "counts and a checksum per table are compared between the two sides\n"
    "before it commits; any difference writes nothing.  Refuses a target\n"
    "workspace that already holds records or audit entries.\n"
    "\n"
    "  --from URL  the SQLite workspace: PATH or sqlite:PATH\n"
    "  --to URL    postgres://user@host:port/db (or postgresql://...), or\n"
    "              postgres: to take everything from the PG* variables\n"
    "\n"
    "Prints one line per table: its rows and checksum.\n"};

static void
print_table(void *ud, const char *table, int64_t rows, uint64_t sum)
{
    (void)ud;
    printf("%-16s %10" PRId64 " rows  checksum %016" PRIx64 "  ok\n", table,
           rows, sum);
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {"from", required_argument, NULL, 'F'},
                                         {"to", required_argument, NULL, 'T'},
                                         {NULL, 0, NULL, 0}};
    cli_common common;
    const char *from = NULL, *to = NULL;
    int c, rc = CLI_USAGE;
    cl_error err;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_migrate, argc, argv, ":hF:T:", opts,
                                &common, &rc)) > 0) {
        if (c == 'F')
            from = optarg;
        else if (c == 'T')
            to = optarg;
        else
            return cli_usage(&cli_cmd_migrate, "unexpected option");
    }
    if (c < 0)
        return rc;
    if (optind < argc)
        return cli_usage(&cli_cmd_migrate, "unexpected argument '%s'",
                         argv[optind]);
    if (from == NULL || to == NULL)
        return cli_usage(&cli_cmd_migrate, "--from and --to are required");
    cl_error_clear(&err);
    if (cl_store_migrate(from, to, print_table, NULL, &err) != CL_OK)
        return cli_fail_error(&err);
    printf("migrated %s into %s\n", from, to);
    return CLI_OK;
}
