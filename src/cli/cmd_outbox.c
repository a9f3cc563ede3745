/* cmd_outbox.c - `closeloop outbox`: notifications and their delivery. */
#include <jansson.h>
#include <string.h>

#include "cli.h"
#include "core/visibility.h"
#include "store/store_api.h"
#include "store/store_engine.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_outbox = {
    "outbox", run, "list notifications and their delivery state",
    "usage: closeloop outbox [--recipient ID] [--as USER] [--channel C]\n"
    "                        [--format text|json] [--db URL]\n"
    "\n"
    "Lists outbox messages, oldest first.  Every notification has an\n"
    "'email' row (and a 'webhook' row when webhook_url is configured),\n"
    "sent by closeloop deliver, and an 'inbox' row: the recipient's in-app\n"
    "inbox, delivered at once.  JSON: an array of {id, recipient_id,\n"
    "channel, kind, status (pending, sent, dead), attempts, subject,\n"
    "idempotency_key, next_attempt_at, last_error, created_at, sent_at}.\n"
    "\n"
    "  --recipient ID  only messages to this user (their inbox: --channel "
    "inbox)\n"
    "  --as USER       only what USER may see, by the rules of the API:\n"
    "                  the messages to USER, whatever their role\n"
    "  --channel C     inbox, email, chat, digest, chat_channel or webhook\n"
    "  --format F      text (default) or json\n"
    "  --db URL        the workspace (default ./closeloop.db)\n"};

typedef struct ctx {
    int json;
    json_t *list;
    const cl_viewer *viewer; /* --as: NULL shows every message */
} ctx;

static int
row_cb(void *ud, const cl_store_outbox_row *o)
{
    ctx *c = ud;
    /* Every channel carries the same notification to its recipient: the
       rule of the API's inbox decides them all. */
    cl_vis_rel rel = {o->recipient_id, NULL, NULL};
    if (c->viewer && !cl_vis_fields(c->viewer, CL_VK_INBOX, &rel))
        return 0;
    if (!c->json) {
        printf("%-5lld %-8s %-10s %-18s %-8s %d  %s\n", (long long)o->id,
               o->channel, o->recipient_id, o->kind, o->status, o->attempts,
               o->subject ? o->subject : "");
        return 0;
    }
    json_array_append_new(
        c->list,
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s?, s:s?, s:s, s:s?, "
                  "s:s?, s:s, s:s?}",
                  "id", (json_int_t)o->id, "recipient_id", o->recipient_id,
                  "channel", o->channel, "kind", o->kind, "status", o->status,
                  "attempts", o->attempts, "subject", o->subject, "body",
                  o->body, "idempotency_key", o->idempotency_key,
                  "next_attempt_at", o->next_attempt_at, "last_error",
                  o->last_error, "created_at", o->created_at, "sent_at",
                  o->sent_at));
    return 0;
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"recipient", required_argument, NULL, 'r'},
        {"as", required_argument, NULL, 'A'},
        {"channel", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *format = "text", *recipient = NULL, *channel = NULL, *as = NULL;
    int c, rc = CLI_USAGE;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_outbox, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        switch (c) {
        case 'r':
            recipient = optarg;
            break;
        case 'A':
            as = optarg;
            break;
        case 'c':
            channel = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        default:
            return cli_usage(&cli_cmd_outbox, "unexpected option");
        }
    }
    if (c < 0)
        return rc;
    if (optind < argc)
        return cli_usage(&cli_cmd_outbox, "unexpected argument '%s'",
                         argv[optind]);
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage(&cli_cmd_outbox, "--format: expected text or json");
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_store_login who;
    cl_viewer viewer;
    if (as && (rc = cli_viewer(st, as, &who, &viewer)) != 0) {
        cl_store_close(st);
        return rc;
    }
    ctx x = {strcmp(format, "json") == 0, json_array(), as ? &viewer : NULL};
    cl_error err;
    cl_error_clear(&err);
    cl_err e = cl_store_outbox_each(st, recipient, channel, row_cb, &x, &err);
    cl_store_close(st);
    if (e == CL_OK && x.json) {
        json_dumpf(x.list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
    }
    json_decref(x.list);
    return e == CL_OK ? CLI_OK : cli_fail_error(&err);
}
