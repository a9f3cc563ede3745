/*
 * cmd_notify.c - `closeloop notify USER`: how a person gets their
 * notifications (issues 15 and 16), as the "My notifications" page and
 * PUT /api/v1/me/notifications set it.  The chat webhook URL is a secret:
 * it is read from stdin, never from the command line, where other users of
 * the machine could read it, and never printed.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/notify_route.h"
#include "store/store_engine.h"
#include "store/store_notify.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_notify = {
    "notify", run, "show or choose how a person gets their notifications",
    "usage: closeloop notify USER [--mode email|chat|digest]\n"
    "                        [--chat-url-stdin] [--chat-format slack|teams]\n"
    "                        [--no-chat] [--db URL]\n"
    "\n"
    "Without options, prints how USER gets their notifications.\n"
    "--mode email: one e-mail per notification, at once (the default).\n"
    "--mode chat: a direct message through USER's own Slack or Teams\n"
    "incoming webhook, at once; needs the webhook.\n"
    "--mode digest: one e-mail a day, from the digest_hour setting (UTC,\n"
    "8), with everything since the last one.\n"
    "--chat-url-stdin reads the webhook URL (http:// or https://, at most\n"
    "1000 characters) from stdin; --chat-format says whose it is (slack,\n"
    "the default, or teams); --no-chat removes it.  The in-app inbox gets\n"
    "every notification whatever the mode.\n"};

static int
show(cl_store *st, const char *user)
{
    cl_store_notify_pref p;
    cl_error err;
    int found;
    cl_error_clear(&err);
    if (cl_store_notify_pref_get(st, user, &p, &found, &err) != CL_OK)
        return cli_fail_error(&err);
    printf("%s: %s", user, p.mode);
    if (p.url[0])
        printf(" (chat webhook set: %s)", p.format[0] ? p.format : "slack");
    putchar('\n');
    memset(p.url, 0, sizeof p.url);
    return CLI_OK;
}

/* Reads the webhook URL (one line) from stdin into buf; NULL or why. */
static const char *
read_url(char *buf, size_t len)
{
    if (!fgets(buf, (int)len, stdin))
        return "expected the webhook URL on stdin";
    if (!strchr(buf, '\n') && strlen(buf) == len - 1)
        return "expected at most 1000 characters";
    buf[strcspn(buf, "\r\n")] = '\0';
    return NULL;
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"mode", required_argument, NULL, 'm'},
        {"chat-url-stdin", no_argument, NULL, 'u'},
        {"chat-format", required_argument, NULL, 'f'},
        {"no-chat", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *mode = NULL, *format = NULL, *url = NULL;
    char urlbuf[CL_NROUTE_URL_MAX + 2];
    int c, rc = CLI_USAGE, read_stdin = 0, no_chat = 0;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_notify, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        if (c == 'm')
            mode = optarg;
        else if (c == 'u')
            read_stdin = 1;
        else if (c == 'f')
            format = optarg;
        else if (c == 'n')
            no_chat = 1;
        else
            return cli_usage(&cli_cmd_notify, "unexpected option");
    }
    if (c < 0)
        return rc;
    if (optind + 1 != argc)
        return cli_usage(&cli_cmd_notify, "expected one USER");
    if (read_stdin && no_chat)
        return cli_usage(&cli_cmd_notify,
                         "--chat-url-stdin and --no-chat exclude each other");
    const char *user = argv[optind];
    if (read_stdin) {
        const char *why = read_url(urlbuf, sizeof urlbuf);
        if (why)
            return cli_fail(CL_EINVAL, "chat_url: %s (stdin)", why);
        url = urlbuf;
    } else if (no_chat) {
        url = "";
    }
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_value key = {.type = CL_V_TEXT, .s = user}, row[8];
    int found = 0;
    cl_error err;
    cl_error_clear(&err);
    cl_err e = cl_store_get(st, CL_KIND_USERS, &key, row, &found, &err);
    if (e == CL_OK && !found)
        e = cl_error_set(&err, CL_EINVAL, "no user '%s'", user);
    if (e != CL_OK) {
        cl_store_close(st);
        return cli_fail_error(&err);
    }
    if (!mode && !url && !format) {
        rc = show(st, user);
        cl_store_close(st);
        return rc;
    }
    cl_store_notify_pref old;
    e = cl_store_notify_pref_get(st, user, &old, &found, &err);
    const char *field;
    const char *why = cl_nroute_choice_check(
        mode ? mode : old.mode, url, format, old.url[0] != '\0', &field);
    memset(old.url, 0, sizeof old.url);
    if (e == CL_OK && why)
        e = cl_error_set(&err, CL_EINVAL, "--%s: %s",
                         strcmp(field, "mode") == 0          ? "mode"
                         : strcmp(field, "chat_format") == 0 ? "chat-format"
                                                             : "chat-url-stdin",
                         why);
    if (url && url[0] && !format)
        format = "slack";
    if (e == CL_OK)
        e = cl_store_begin(st, "notify", common.now, &err);
    if (e == CL_OK)
        e = cl_store_notify_pref_set(st, user, mode ? mode : old.mode, url,
                                     format, &err);
    if (e == CL_OK)
        e = cl_store_commit(st, &err);
    memset(urlbuf, 0, sizeof urlbuf);
    if (e != CL_OK) {
        cl_store_rollback(st);
        cl_store_close(st);
        return cli_fail_error(&err);
    }
    rc = show(st, user);
    cl_store_close(st);
    return rc;
}
