/* cli.c - option handling, messages and helpers the subcommands share. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/visibility.h"
#include "store/store_api.h"

void
cli_common_init(cli_common *c)
{
    const char *env = getenv("CLOSELOOP_DB");
    c->db = env && *env ? env : "closeloop.db";
    /* The shell is the one place that reads the clock.  CLOSELOOP_NOW
       stands for --now on every command (main() has checked it parses):
       a test suite or a demo sets one instant for every process it runs,
       the server included, so nothing it checks depends on the hour. */
    c->now = (cl_time)time(NULL);
    c->now_given = 0;
    const char *fixed = getenv("CLOSELOOP_NOW");
    if (fixed && *fixed && cl_time_parse(fixed, &c->now) == 0)
        c->now_given = 1;
    c->format = NULL;
}

int
cli_common_option(const cli_command *cmd, int c, char **argv,
                  cli_common *common)
{
    const char *arg = optarg;
    switch (c) {
    case 'D':
        common->db = arg;
        return 1;
    case 'N':
        if (cl_time_parse(arg, &common->now) != 0) {
            cli_usage(cmd,
                      "--now: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, "
                      "got '%s'",
                      arg);
            return -1;
        }
        common->now_given = 1;
        return 1;
    case 'h':
        fputs(cmd->usage, stdout);
        return 2;
    case '?':
        /* main() silenced getopt, so the one line comes from here. */
        if (optopt && optopt != '?')
            cli_usage(cmd, "unknown option '-%c'", optopt);
        else
            cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
        return -1;
    case ':':
        cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
        return -1;
    }
    return 0;
}

int
cli_next_option(const cli_command *cmd, int argc, char **argv,
                const char *optstring, const struct option *opts,
                cli_common *common, int *exit_code)
{
    int c;
    while ((c = getopt_long(argc, argv, optstring, opts, NULL)) != -1) {
        int r = cli_common_option(cmd, c, argv, common);
        if (r == 0)
            return c;
        if (r == 2 || r < 0) {
            *exit_code = r == 2 ? CLI_OK : CLI_USAGE;
            return -1;
        }
    }
    return 0;
}

int
cli_parse_common_only(const cli_command *cmd, int argc, char **argv,
                      cli_common *common)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}};
    int c, rc = CLI_USAGE;
    while ((c = cli_next_option(cmd, argc, argv, ":f:h", opts, common, &rc)) >
           0) {
        if (c != 'f')
            return cli_usage(cmd, "unexpected option");
        common->format = optarg;
    }
    if (c < 0)
        return rc;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    return -1;
}

int
cli_fail(cl_err code, const char *fmt, ...)
{
    va_list ap;
    fputs("closeloop: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return cl_err_exit_code(code);
}

int
cli_usage(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "closeloop %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see closeloop %s --help)\n", cmd->name);
    return CLI_USAGE;
}

int
cli_fail_error(const cl_error *err)
{
    return cli_fail(err->code, "%s", err->msg);
}

int
cli_open(const cli_common *common, cl_store **st)
{
    cl_error err;
    cl_error_clear(&err);
    if (cl_store_open(common->db, st, &err) != CL_OK) {
        /* A url naming a backend this build lacks is a storage problem
           too, from the user's side: the workspace cannot be opened. */
        if (err.code == CL_EINVAL)
            err.code = CL_EDB;
        return cli_fail_error(&err);
    }
    return 0;
}

int
cli_viewer(cl_store *st, const char *id, cl_store_login *who, cl_viewer *viewer)
{
    cl_error err;
    int found = 0;
    cl_error_clear(&err);
    if (cl_store_login_get(st, id, 0, who, &found, &err) != CL_OK)
        return cli_fail_error(&err);
    if (!found)
        return cli_fail(CL_EINVAL, "--as: no user '%s'", id);
    /* What src/http/auth.c makes of a signed-in user. */
    viewer->user_id = who->id;
    viewer->role = who->role;
    viewer->customer_facing = 0;
    return 0;
}

int
cli_parse_int(const char *s, long long min, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

const char *
cli_value_text(const cl_field *f, const cl_value *v, char *buf, size_t len)
{
    switch (v->type) {
    case CL_V_NULL:
        return "";
    case CL_V_TEXT:
        return v->s;
    case CL_V_INT:
        if (f->type == CL_F_BOOL)
            return v->i ? "true" : "false";
        snprintf(buf, len, "%lld", (long long)v->i);
        return buf;
    case CL_V_REAL: {
        /* Money and hours: at most two decimals, no trailing zeros. */
        snprintf(buf, len, "%.2f", v->r);
        char *dot = strchr(buf, '.');
        if (dot) {
            char *e = buf + strlen(buf) - 1;
            while (e > dot && *e == '0')
                *e-- = '\0';
            if (e == dot)
                *e = '\0';
        }
        return buf;
    }
    }
    return "";
}
