/* cmd_session.c - `closeloop session`: the review sessions. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine/engine.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_session = {
    "session", run,
    "list, open, schedule, decide, close review sessions; show packs",
    "usage: closeloop session list [--status open|closed] [--format "
    "text|json]\n"
    "       closeloop session decide ID --text TEXT --by USER [--now T]\n"
    "       closeloop session close ID --by USER [--now T]\n"
    "       closeloop session pack ID\n"
    "       closeloop session open KIND PERIOD --by USER [--now T]\n"
    "       closeloop session schedule KIND PERIOD --on DAY --by USER [--now "
    "T]\n"
    "       closeloop session next [--now T]\n"
    "\n"
    "Sessions are opened by tick: the monthly debrief on the first business\n"
    "day of a month, the bad-fit, ICP and recovery reviews on the first\n"
    "business day of a quarter, each with its report pack, owned by RevOps.\n"
    "decide records a decision; close closes it (a monthly debrief needs\n"
    "its one process change first: closeloop change record) and sends every\n"
    "CSM a \"what changed\" note listing the decisions.  pack prints the\n"
    "session's report JSON.\n"
    "\n"
    "open opens a session now for a finished PERIOD, as the cadence would\n"
    "(its pack, its thresholds): KIND monthly_debrief (PERIOD YYYY-MM), or\n"
    "bad_fit_review, icp_review, recovery_review (PERIOD YYYYQn); at most\n"
    "five years back; opening one that exists opens nothing.  schedule has\n"
    "tick open it on DAY (from today to a year ahead; the period over by\n"
    "then) instead of the cadence's day; again moves the day.  next lists\n"
    "what opens next and when.  open and schedule are RevOps'.  Every\n"
    "command takes --db URL.\n"};

typedef struct ctx {
    int json;
    json_t *list;
} ctx;

static int
row_cb(void *ud, const cl_store_session_row *s)
{
    ctx *c = ud;
    if (!c->json) {
        printf("%-5lld %-16s %-8s %-7s %s\n", (long long)s->id, s->kind,
               s->period, s->status, s->owner_id ? s->owner_id : "-");
        return 0;
    }
    json_t *dec = s->decisions ? json_loads(s->decisions, 0, NULL) : NULL;
    json_array_append_new(
        c->list,
        json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s, s:s?, s:o, s:b}", "id",
                  (json_int_t)s->id, "kind", s->kind, "period", s->period,
                  "status", s->status, "owner_id", s->owner_id, "opened_at",
                  s->opened_at, "closed_at", s->closed_at, "decisions",
                  dec ? dec : json_array(), "has_pack", s->has_pack));
    return 0;
}

static void
print_next(const cl_wf_next_session *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char day[11];
        cl_date_format(s[i].open_on, day);
        printf("%-16s %-8s %s %s\n", s[i].kind, s[i].period, day,
               s[i].scheduled ? "scheduled" : "cadence");
    }
}

/* open, schedule and next: sessions named by kind and period. */
static int
by_kind(int verb, int argc, char **argv, cli_common *common, const char *by,
        const char *on)
{
    int args = verb == 6 ? 0 : 2;
    if (optind + args != argc)
        return cli_usage(&cli_cmd_session,
                         args ? "expected KIND PERIOD" : "unexpected argument");
    if (verb != 6 && by == NULL)
        return cli_usage(&cli_cmd_session, "--by USER is required");
    if (verb == 5 && on == NULL)
        return cli_usage(&cli_cmd_session, "--on DAY is required");
    cl_store *st;
    int rc;
    if ((rc = cli_open(common, &st)) != 0)
        return rc;
    cl_error err;
    cl_error_clear(&err);
    cl_err e;
    const char *kind = args ? argv[optind] : NULL;
    const char *period = args ? argv[optind + 1] : NULL;
    if (verb == 4) {
        int64_t id = 0;
        int opened = 0;
        cl_engine_stats stats = {0};
        e = cl_engine_session_open(st, kind, period, by, common->now, &id,
                                   &opened, &stats, &err);
        if (e == CL_OK)
            printf("session %lld %s: %s %s\n", (long long)id,
                   opened ? "opened" : "was open already", kind, period);
    } else if (verb == 5) {
        e = cl_engine_session_schedule(st, kind, period, on, by, common->now,
                                       &err);
        if (e == CL_OK)
            printf("%s %s scheduled to open on %s\n", kind, period, on);
    } else {
        cl_wf_next_session next[32];
        size_t n = 0;
        e = cl_engine_sessions_next(st, common->now, next, 32, &n, &err);
        if (e == CL_OK)
            print_next(next, n);
    }
    cl_store_close(st);
    return e == CL_OK ? CLI_OK : cli_fail_error(&err);
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"status", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"text", required_argument, NULL, 't'},
        {"by", required_argument, NULL, 'b'},
        {"on", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}};
    static const char *const verbs[] = {"list", "decide",   "close", "pack",
                                        "open", "schedule", "next",  NULL};
    cli_common common;
    const char *status = NULL, *format = "text", *text = NULL, *by = NULL;
    const char *on = NULL;
    int c, rc = CLI_USAGE;
    long long id = 0;

    int verb = argc >= 2 ? cl_enum_index(verbs, argv[1]) : -1;
    if (verb < 0)
        return cli_usage(&cli_cmd_session, "expected list, decide, close, "
                                           "pack, open, schedule or next");
    argc--;
    argv++;
    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_session, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        if (c == 's')
            status = optarg;
        else if (c == 'f')
            format = optarg;
        else if (c == 't')
            text = optarg;
        else if (c == 'b')
            by = optarg;
        else if (c == 'o')
            on = optarg;
        else
            return cli_usage(&cli_cmd_session, "unexpected option");
    }
    if (c < 0)
        return rc;
    if (verb >= 4)
        return by_kind(verb, argc, argv, &common, by, on);
    if (verb == 0 && optind != argc)
        return cli_usage(&cli_cmd_session, "unexpected argument '%s'",
                         argv[optind]);
    if (verb > 0 &&
        (optind + 1 != argc || cli_parse_int(argv[optind], 1, INT64_MAX, &id)))
        return cli_usage(&cli_cmd_session, "expected one session id");
    if ((verb == 1 || verb == 2) && by == NULL)
        return cli_usage(&cli_cmd_session, "--by USER is required");
    if (verb == 1 && text == NULL)
        return cli_usage(&cli_cmd_session, "--text TEXT is required");
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage(&cli_cmd_session, "--format: expected text or json");

    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error err;
    cl_error_clear(&err);
    cl_engine_stats stats = {0};
    cl_err e = CL_OK;
    ctx x = {strcmp(format, "json") == 0, json_array()};
    char *pack = NULL;
    switch (verb) {
    case 0:
        e = cl_store_sessions_each(st, 0, status, row_cb, &x, &err);
        if (e == CL_OK && x.json) {
            json_dumpf(x.list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            fputc('\n', stdout);
        }
        break;
    case 1:
        e = cl_engine_session_decide(st, id, text, by, common.now, &err);
        if (e == CL_OK)
            printf("session %lld: decision recorded\n", id);
        break;
    case 2:
        e = cl_engine_session_close(st, id, by, common.now, &stats, &err);
        if (e == CL_OK)
            printf("session %lld closed: %d notes sent\n", id,
                   stats.notifications);
        break;
    case 3:
        e = cl_store_session_pack(st, id, &pack, &err);
        if (e == CL_OK)
            puts(pack ? pack : "null");
        free(pack);
        break;
    }
    json_decref(x.list);
    cl_store_close(st);
    return e == CL_OK ? CLI_OK : cli_fail_error(&err);
}
