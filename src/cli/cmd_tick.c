/* cmd_tick.c - `closeloop tick`: run everything that is due at --now. */
#include <jansson.h>
#include <string.h>

#include "cli.h"
#include "engine/engine.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_tick = {
    "tick", run, "run everything that is due at a time (--now)",
    "usage: closeloop tick [--now YYYY-MM-DD[THH:MM]] [--format text|json]\n"
    "                      [--db URL]\n"
    "\n"
    "Runs the loop engine at --now (default: the clock), in one transaction:\n"
    "won-deal review tasks for deals closed won, tagging tasks for untagged\n"
    "churns, deal-attributable notices for churns imported already tagged,\n"
    "recovery links for new deals on lost accounts (these for records of\n"
    "the last engine_lookback_days days, config, default 30), the monthly\n"
    "and quarterly review sessions with their thresholds, pipeline flags,\n"
    "process-change check-ins, and reminders and escalations of overdue\n"
    "tasks.  Notifications go to the outbox (see closeloop deliver).\n"
    "A second tick at the same time does nothing.\n"
    "\n"
    "  --now T       the time to run at (UTC)\n"
    "  --format F    text (default) or json: what the tick applied\n"
    "  --db URL      the workspace (default ./closeloop.db)\n"};

/* The stats of an engine call as JSON (shared by the event commands). */
static json_t *
stats_json(const cl_engine_stats *s)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "tasks",
                     s->tasks, "task_marks", s->marks, "notifications",
                     s->notifications, "sessions", s->sessions, "triggers",
                     s->triggers, "coaching_items", s->coaching, "flags",
                     s->flags, "links", s->links, "fields_set", s->sets);
}

void
cli_print_stats(const char *what, const cl_engine_stats *s, int json)
{
    if (json) {
        json_t *o = stats_json(s);
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(o);
        return;
    }
    if (cl_engine_stats_empty(s)) {
        printf("%s: nothing due\n", what);
        return;
    }
    printf("%s: %d tasks, %d task marks, %d notifications, %d sessions, "
           "%d thresholds, %d coaching items, %d flags, %d links, "
           "%d fields set\n",
           what, s->tasks, s->marks, s->notifications, s->sessions, s->triggers,
           s->coaching, s->flags, s->links, s->sets);
}

static int
run(int argc, char **argv)
{
    cli_common common;
    cl_store *st;
    cl_error err;
    cl_engine_stats stats = {0};
    int rc;

    cli_common_init(&common);
    if ((rc = cli_parse_common_only(&cli_cmd_tick, argc, argv, &common)) >= 0)
        return rc;
    const char *format = common.format ? common.format : "text";
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage(&cli_cmd_tick, "--format: expected text or json");
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error_clear(&err);
    cl_err e = cl_engine_tick(st, common.now, &stats, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    char at[21];
    cl_time_format(common.now, at);
    char what[40];
    snprintf(what, sizeof what, "tick %s", at);
    cli_print_stats(what, &stats, strcmp(format, "json") == 0);
    return CLI_OK;
}
