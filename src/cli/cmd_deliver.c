/* cmd_deliver.c - `closeloop deliver`: send the outbox once. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine/engine.h"
#include "notify/notify.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_deliver = {
    "deliver", run,
    "send pending notifications once (e-mail, chat, webhook, CRM)",
    "usage: closeloop deliver [--now YYYY-MM-DD[THH:MM]] [--db URL]\n"
    "\n"
    "Sends every outbox message due at --now: e-mail over SMTP (config\n"
    "smtp_url, smtp_from) with a Message-ID derived from the message's\n"
    "idempotency key, and JSON webhooks (config webhook_url,\n"
    "webhook_format json|slack) with an Idempotency-Key header.  A failed\n"
    "send is retried by a later deliver after retry_base_seconds (60),\n"
    "doubling each time; after max_attempts (5) the message is dead.  A\n"
    "channel that is not configured leaves its messages pending.  The\n"
    "in-app inbox copy of every message is delivered when it is queued.\n"
    "Chat messages go to each person's own Slack or Teams webhook (closeloop\n"
    "user notify) and to the team channels (config chat_channel_N_url,\n"
    "_format, _kinds).  From digest_hour (8, in the workspace's time\n"
    "zone: config timezone) on, the messages held for a person's daily\n"
    "digest become one e-mail of the day.\n"
    "The CRM write-back (config crm_writeback) is sent too: see\n"
    "closeloop crm --help.\n"
    "Prints: deliver: N sent, N retried, N dead, N waiting (and N digests\n"
    "queued, when there were).\n"};

/* Crash tests set CLOSELOOP_KILL_AFTER_SEND to die between a successful
   send and its mark, the window the idempotency key exists for. */
static void
kill_after_send(void *ud, int64_t id)
{
    (void)ud;
    (void)id;
    raise(SIGKILL);
}

static int
run(int argc, char **argv)
{
    cli_common common;
    cl_store *st;
    cl_error err;
    cl_notify_stats stats;
    int rc;

    cli_common_init(&common);
    if ((rc = cli_parse_common_only(&cli_cmd_deliver, argc, argv, &common)) >=
        0)
        return rc;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_notify_opts opts = {0};
    const char *k = getenv("CLOSELOOP_KILL_AFTER_SEND");
    if (k && *k)
        opts.after_send = kill_after_send;
    cl_error_clear(&err);
    cl_tz zone;
    cl_err e = cl_engine_zone(st, &zone, &err);
    opts.utc_offset = cl_tz_offset(&zone, common.now);
    if (e == CL_OK)
        e = cl_notify_run(st, common.now, &opts, &stats, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    printf("deliver: %d sent, %d retried, %d dead, %d waiting", stats.sent,
           stats.retried, stats.dead, stats.waiting);
    if (stats.digests)
        printf(", %d digest%s queued", stats.digests,
               stats.digests == 1 ? "" : "s");
    putchar('\n');
    return CLI_OK;
}
