/*
 * cmd_serve.c - `closeloop serve`: the JSON API (and the web UI's files)
 * on libmicrohttpd, with the delivery worker and the daily tick inside,
 * until SIGTERM or SIGINT.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine/engine_password.h"
#include "http/http.h"
#include "module/module.h"

/* Linked in the test programs; else closeloop-serve.so's (module.h). */
extern const cl_http_api cl__serve_module __attribute__((weak));

static int run(int argc, char **argv);

const cli_command cli_cmd_serve = {
    "serve", run, "serve the JSON API and the web UI",
    "usage: closeloop serve [--listen ADDR:PORT] [--web DIR] [--threads N]\n"
    "                       [--tick-hour H] [--deliver-every S]\n"
    "                       [--client-connections N] [--read-timeout S]\n"
    "                       [--body-memory MIB] [--trust-proxy] [--quiet]\n"
    "                       [--now T] [--db URL]\n"
    "\n"
    "Serves the API under /api/v1/ (described at /api/v1/openapi.json)\n"
    "and, with --web, the files of DIR at /.  Runs the delivery worker\n"
    "and the daily tick inside.  Stops cleanly on SIGTERM or SIGINT:\n"
    "requests in flight finish, then the workers stop.\n"
    "\n"
    "  --listen ADDR:PORT  IPv4 address and port (default 127.0.0.1:8080;\n"
    "                      port 0 picks a free one, printed on start)\n"
    "  --web DIR           the web UI's built files\n"
    "  --threads N         request threads (default: the number of cores)\n"
    "  --tick-hour H       run `tick` at start and daily at hour H of the\n"
    "                      workspace's time zone (config timezone; UTC)\n"
    "                      (default 6; -1: never)\n"
    "  --deliver-every S   deliver notifications every S seconds (default\n"
    "                      30; 0: never)\n"
    "  --client-connections N\n"
    "                      connections one client address may hold open\n"
    "                      (default 64, 1..1000; behind a proxy every\n"
    "                      client is the proxy: see docs/deploy.md)\n"
    "  --read-timeout S    close a connection that sends nothing for S\n"
    "                      seconds: a stalled request or an idle\n"
    "                      keep-alive (default 30, 1..3600)\n"
    "  --body-memory MIB   memory all request bodies may hold together;\n"
    "                      past it a request is 503 with Retry-After\n"
    "                      (default 64, 1..4096; imports go to disk)\n"
    "  --trust-proxy       a reverse proxy in front: X-Forwarded-Proto:\n"
    "                      https makes session cookies Secure, and the\n"
    "                      sign-in rate limit counts the client as the\n"
    "                      right-most X-Forwarded-For address that is not\n"
    "                      the proxy's own or loopback (without it the\n"
    "                      header is ignored: clients can write it)\n"
    "  --quiet             no access log on stderr\n"
    "  --now T             the server's clock starts at T (YYYY-MM-DD or\n"
    "                      YYYY-MM-DDTHH:MM, UTC) and runs on from there;\n"
    "                      for tests and demos (default: the system clock)\n"
    "  --db URL            the workspace (default ./closeloop.db)\n"};

static int
parse_listen(const char *s, char *addr, size_t len, unsigned *port)
{
    const char *colon = strrchr(s, ':');
    long long p;
    if (!colon || (size_t)(colon - s) >= len || colon == s)
        return -1;
    memcpy(addr, s, (size_t)(colon - s));
    addr[colon - s] = '\0';
    if (cli_parse_int(colon + 1, 0, 65535, &p) != 0)
        return -1;
    *port = (unsigned)p;
    return 0;
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"listen", required_argument, NULL, 'l'},
        {"web", required_argument, NULL, 'w'},
        {"threads", required_argument, NULL, 't'},
        {"tick-hour", required_argument, NULL, 'H'},
        {"deliver-every", required_argument, NULL, 'e'},
        {"client-connections", required_argument, NULL, 'c'},
        {"read-timeout", required_argument, NULL, 'T'},
        {"body-memory", required_argument, NULL, 'm'},
        {"trust-proxy", no_argument, NULL, 'p'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    cl_http_opts o = {0};
    char addr[64] = "127.0.0.1";
    unsigned port = 8080;
    long long n;
    int c, rc = CLI_USAGE;

    o.tick_hour = 6;
    o.deliver_seconds = 30;
    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_serve, argc, argv, ":h", opts, &common,
                                &rc)) > 0) {
        switch (c) {
        case 'l':
            if (parse_listen(optarg, addr, sizeof addr, &port) != 0)
                return cli_usage(&cli_cmd_serve,
                                 "--listen: expected ADDR:PORT, got '%s'",
                                 optarg);
            break;
        case 'w':
            o.web_dir = optarg;
            break;
        case 't':
            if (cli_parse_int(optarg, 1, 256, &n) != 0)
                return cli_usage(&cli_cmd_serve, "--threads: 1..256");
            o.threads = (unsigned)n;
            break;
        case 'H':
            if (cli_parse_int(optarg, -1, 23, &n) != 0)
                return cli_usage(&cli_cmd_serve, "--tick-hour: -1..23");
            o.tick_hour = (int)n;
            break;
        case 'e':
            if (cli_parse_int(optarg, 0, 86400, &n) != 0)
                return cli_usage(&cli_cmd_serve, "--deliver-every: 0..86400");
            o.deliver_seconds = (int)n;
            break;
        case 'c':
            if (cli_parse_int(optarg, 1, CL_HTTP_MAX_CONNECTIONS, &n) != 0)
                return cli_usage(&cli_cmd_serve, "--client-connections: 1..%d",
                                 CL_HTTP_MAX_CONNECTIONS);
            o.client_connections = (unsigned)n;
            break;
        case 'T':
            if (cli_parse_int(optarg, 1, 3600, &n) != 0)
                return cli_usage(&cli_cmd_serve, "--read-timeout: 1..3600");
            o.read_timeout = (unsigned)n;
            break;
        case 'm':
            if (cli_parse_int(optarg, 1, 4096, &n) != 0)
                return cli_usage(&cli_cmd_serve, "--body-memory: 1..4096");
            o.body_memory = (size_t)n << 20;
            break;
        case 'p':
            o.trust_proxy = 1;
            break;
        case 'q':
            o.quiet = 1;
            break;
        default:
            return cli_usage(&cli_cmd_serve, "unexpected option");
        }
    }
    if (c < 0)
        return rc;
    if (optind != argc)
        return cli_usage(&cli_cmd_serve, "unexpected argument '%s'",
                         argv[optind]);
    o.db = common.db;
    if (common.now_given)
        o.clock_start = common.now;
    o.listen_addr = addr;
    o.port = (uint16_t)port;

    /* Every thread the server starts inherits this mask, so the signals
       arrive here, in sigwait, and nowhere else. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    cl_http_server *srv;
    cl_error err;
    cl_error_clear(&err);
    const cl_http_api *http = cl_module_get("serve", &cl__serve_module, &err);
    if (http == NULL || http->start(&o, &srv, &err) != CL_OK)
        return cli_fail_error(&err);
    printf("closeloop: serving http://%s:%u/ (workspace %s)\n", addr,
           (unsigned)http->port(srv), common.db);
    fflush(stdout);
    if (cl_engine_password_note())
        fprintf(stderr, "closeloop: %s\n", cl_engine_password_note());
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "closeloop: %s: stopping\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    http->stop(srv);
    fprintf(stderr, "closeloop: stopped\n");
    return CLI_OK;
}
