/*
 * cli.h - what the subcommands of the closeloop tool share.
 *
 * The tool uses only the library's public headers.  Each subcommand lives in
 * its own cmd_NAME.c and is listed once in the commands[] table of main.c.
 * Only main() ends the process; a subcommand returns its exit code.
 */
#ifndef CL_CLI_H
#define CL_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "core/date.h"
#include "core/err.h"
#include "store/store.h"

/* Exit codes (docs/workspace.md, "Exit codes"). */
enum { CLI_OK = 0, CLI_BAD_INPUT = 1, CLI_USAGE = 2, CLI_STORAGE = 3 };

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary; /* one line for `closeloop --help` */
    const char *usage;   /* the full --help text */
} cli_command;

/* Options every subcommand takes, filled by cli_common_option. */
typedef struct cli_common {
    const char *db; /* --db URL, default ./closeloop.db */
    cl_time now;    /* --now, default the system clock */
    int now_given;
    const char *format; /* --format, NULL when not given */
} cli_common;

/* The long options of cli_common, to splice into a command's table. */
#define CLI_COMMON_OPTIONS                                                     \
    {"db", required_argument, NULL, 'D'},                                      \
        {"now", required_argument, NULL, 'N'},                                 \
    {                                                                          \
        "help", no_argument, NULL, 'h'                                         \
    }

/* Sets the defaults: ./closeloop.db (or $CLOSELOOP_DB), the clock's now. */
void cli_common_init(cli_common *c);

/*
 * Handles option c (its value in optarg) of a common option, or getopt's
 * '?' and ':' for an unknown option or a missing value; returns 1 when it was
 * one, 0 when the command must handle it, and -1 after printing a usage error
 * (the command then returns CLI_USAGE).  --help prints the command's usage and
 * returns 2; the command then returns CLI_OK.
 */
int cli_common_option(const cli_command *cmd, int c, char **argv,
                      cli_common *common);

/*
 * The option loop of every subcommand: returns the next option that is the
 * command's own (its getopt value), 0 when the options are done, or -1 when
 * the command must return *exit_code now (after --help, or a usage error
 * already printed).  optstring starts with ':'.
 */
int cli_next_option(const cli_command *cmd, int argc, char **argv,
                    const char *optstring, const struct option *opts,
                    cli_common *common, int *exit_code);

/* Parses the --getopt loop in one go for a command with only common
   options; returns -1 when done normally, or an exit code to return. */
int cli_parse_common_only(const cli_command *cmd, int argc, char **argv,
                          cli_common *common);

/* Prints "closeloop: MESSAGE" and returns the exit code of code. */
int cli_fail(cl_err code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "closeloop CMD: MESSAGE (see closeloop CMD --help)", returns 2. */
int cli_usage(const cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints err's message and returns its exit code. */
int cli_fail_error(const cl_error *err);

/* Opens the workspace; on failure prints the reason and returns non-zero
   (the exit code), else 0. */
int cli_open(const cli_common *common, cl_store **st);

struct cl_store_login;
struct cl_viewer;

/*
 * --as USER of the listing commands: reads user id from st into *who and
 * makes *viewer (pointing into *who) the viewer the API would make of that
 * user once signed in.  An unknown user prints one line and returns 1;
 * returns 0 on success, else the exit code.
 */
int cli_viewer(cl_store *st, const char *id, struct cl_store_login *who,
               struct cl_viewer *viewer);

/* Parses a whole number within [min, max]; 0 on success, -1 otherwise. */
int cli_parse_int(const char *s, long long min, long long max, long long *out);

/* Writes a value of field f as canonical CSV text into buf. */
const char *cli_value_text(const cl_field *f, const cl_value *v, char *buf,
                           size_t len);

/* The subcommands. */
extern const cli_command cli_cmd_init, cli_cmd_import, cli_cmd_export,
    cli_cmd_info, cli_cmd_demo, cli_cmd_history, cli_cmd_report,
    cli_cmd_patterns, cli_cmd_tick, cli_cmd_tasks, cli_cmd_outbox,
    cli_cmd_deliver, cli_cmd_churn, cli_cmd_review, cli_cmd_kickoff,
    cli_cmd_recovery, cli_cmd_session, cli_cmd_change, cli_cmd_config,
    cli_cmd_migrate, cli_cmd_coaching, cli_cmd_serve, cli_cmd_user,
    cli_cmd_token, cli_cmd_backup, cli_cmd_icp, cli_cmd_notify, cli_cmd_crm;

struct cl_engine_stats;

/* Prints what an engine call applied, as text or JSON (cmd_tick.c). */
void cli_print_stats(const char *what, const struct cl_engine_stats *stats,
                     int json);

#endif
