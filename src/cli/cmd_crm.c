/*
 * cmd_crm.c - `closeloop crm writeback`: the write-back's pending requests,
 * shown (--dry-run) or sent once.
 */
#include <jansson.h>
#include <string.h>

#include "cli.h"
#include "notify/notify.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_crm = {
    "crm", run, "write decisions back to the CRM, or show what would go",
    "usage: closeloop crm writeback [--dry-run] [--format text|json]\n"
    "                               [--now YYYY-MM-DD[THH:MM]] [--db URL]\n"
    "\n"
    "The write-back (config crm_writeback: off, hubspot or salesforce)\n"
    "queues a PATCH of the CRM record when a churn is tagged (its account:\n"
    "root cause, contributing causes, days), a won-deal review is recorded\n"
    "(its deal: the day, Q1 and Q4) and, with crm_writeback_health on, when\n"
    "a health score is read.  The server sends them with its deliveries\n"
    "(and closeloop deliver); this command sends the due ones now.\n"
    "\n"
    "  --dry-run   send nothing: list each pending write-back as the request\n"
    "              it would be (method, URL, JSON body; never the token)\n"
    "  --format F  text (default) or json: an array of {id, method, url,\n"
    "              body, subject, object, record_id, attempts,\n"
    "              next_attempt_at, last_error, problem}\n"
    "  --now T     the time of the sending (default now)\n"
    "  --db URL    the workspace (default ./closeloop.db)\n"
    "\n"
    "Prints (without --dry-run): crm writeback: N sent, N retried, N dead,\n"
    "N waiting.\n"};

typedef struct ctx {
    int json, n;
    json_t *list;
} ctx;

static int
item_cb(void *ud, const cl_notify_crm_item *it)
{
    ctx *c = ud;
    c->n++;
    if (c->json) {
        json_array_append_new(c->list, cl_notify_crm_item_json(it));
        return 0;
    }
    if (it->url)
        printf("%s %s\n%s\n\n", it->method, it->url, it->body);
    else
        printf("# %s: cannot be sent: %s\n\n", it->subject ? it->subject : "",
               it->problem ? it->problem : "");
    return 0;
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"dry-run", no_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *format = "text";
    int c, rc = CLI_USAGE, dry = 0;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_crm, argc, argv, ":h", opts, &common,
                                &rc)) > 0) {
        switch (c) {
        case 'n':
            dry = 1;
            break;
        case 'f':
            format = optarg;
            break;
        default:
            return cli_usage(&cli_cmd_crm, "unexpected option");
        }
    }
    if (c < 0)
        return rc;
    if (optind >= argc || strcmp(argv[optind], "writeback") != 0)
        return cli_usage(&cli_cmd_crm, "expected: crm writeback");
    if (optind + 1 < argc)
        return cli_usage(&cli_cmd_crm, "unexpected argument '%s'",
                         argv[optind + 1]);
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage(&cli_cmd_crm, "--format: expected text or json");
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error err;
    cl_error_clear(&err);
    cl_err e;
    if (dry) {
        ctx x = {strcmp(format, "json") == 0, 0, json_array()};
        e = cl_notify_crm_pending(st, item_cb, &x, &err);
        if (e == CL_OK && x.json) {
            json_dumpf(x.list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            fputc('\n', stdout);
        } else if (e == CL_OK && x.n == 0) {
            printf("crm writeback: nothing pending\n");
        }
        json_decref(x.list);
    } else {
        cl_notify_stats stats;
        cl_notify_opts o = {.only = "crm"};
        e = cl_notify_run(st, common.now, &o, &stats, &err);
        if (e == CL_OK && strcmp(format, "json") == 0)
            printf("{\"sent\": %d, \"retried\": %d, \"dead\": %d, "
                   "\"waiting\": %d}\n",
                   stats.sent, stats.retried, stats.dead, stats.waiting);
        else if (e == CL_OK)
            printf("crm writeback: %d sent, %d retried, %d dead, %d "
                   "waiting\n",
                   stats.sent, stats.retried, stats.dead, stats.waiting);
    }
    cl_store_close(st);
    return e == CL_OK ? CLI_OK : cli_fail_error(&err);
}
