/*
 * main.c - the closeloop command: finds the subcommand in commands[] and
 * runs it.  The only place that ends the process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "engine/engine_password.h"

static const cli_command *const commands[] = {
    &cli_cmd_init,     &cli_cmd_import,   &cli_cmd_export,  &cli_cmd_info,
    &cli_cmd_demo,     &cli_cmd_history,  &cli_cmd_report,  &cli_cmd_patterns,
    &cli_cmd_tick,     &cli_cmd_tasks,    &cli_cmd_churn,   &cli_cmd_review,
    &cli_cmd_kickoff,  &cli_cmd_recovery, &cli_cmd_session, &cli_cmd_change,
    &cli_cmd_coaching, &cli_cmd_outbox,   &cli_cmd_deliver, &cli_cmd_notify,
    &cli_cmd_config,   &cli_cmd_user,     &cli_cmd_token,   &cli_cmd_serve,
    &cli_cmd_migrate,  &cli_cmd_backup,   &cli_cmd_icp,     &cli_cmd_crm,
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void
print_help(FILE *f)
{
    fputs("usage: closeloop COMMAND [OPTIONS]\n"
          "\n"
          "closeloop closes the loop between Customer Success, Sales and "
          "Marketing.\n"
          "\n"
          "Commands:\n",
          f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("\n"
          "Every command takes --db URL (a file path or sqlite:PATH, or\n"
          "postgres://USER@HOST/DB, or postgres: for the PG* variables;\n"
          "default ./closeloop.db or $CLOSELOOP_DB) and --help.  Commands\n"
          "that act at an instant take --now T (default $CLOSELOOP_NOW, else\n"
          "the system clock).\n"
          "\n"
          "Exit codes: 0 ok, 1 bad input, 2 usage error, 3 storage error.\n",
          f);
}

int
main(int argc, char **argv)
{
    /* Subcommands report option errors in one line of their own. */
    opterr = 0;
    if (argc < 2) {
        print_help(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_help(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("closeloop 0.1.0");
        if (cl_engine_password_note())
            printf("%s\n", cl_engine_password_note());
        return CLI_OK;
    }
    const char *fixed = getenv("CLOSELOOP_NOW");
    cl_time t;
    if (fixed && *fixed && cl_time_parse(fixed, &t) != 0) {
        fprintf(stderr,
                "closeloop: CLOSELOOP_NOW: expected YYYY-MM-DD or "
                "YYYY-MM-DDTHH:MM, got '%s'\n",
                fixed);
        return CLI_USAGE;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[1], commands[i]->name) != 0)
            continue;
        /* `closeloop CMD --help` is the command's help whatever actions
           CMD has (a usage error would send the reader back here); a
           command that builds its help text when run answers it there. */
        if (argc == 3 && commands[i]->usage[0] &&
            (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
            fputs(commands[i]->usage, stdout);
            return CLI_OK;
        }
        return commands[i]->run(argc - 1, argv + 1);
    }
    fprintf(stderr, "closeloop: unknown command '%s' (see closeloop --help)\n",
            argv[1]);
    return CLI_USAGE;
}
