/* cmd_demo.c - `closeloop demo`: a workspace full of realistic data. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "io/csv.h"
#include "demo/demo.h"
#include "demo/demo_loop.h"
#include "io/import.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_demo = {
    "demo", run, "fill a workspace with realistic demo data",
    "usage: closeloop demo [--accounts N] [--seed S] [--now T] [--csv DIR]\n"
    "                      [--loop-days N | --no-loop]\n"
    "                      [--deals-per-account X] [--db URL]\n"
    "\n"
    "Generates three years of a B2B SaaS company up to the day before T:\n"
    "users with managers, accounts, deals, churns tagged with root causes,\n"
    "recoveries, won-deal reviews, CS hours, ARR movements, ICP versions and\n"
    "holidays, with patterns a RevOps lead would recognise planted in it.\n"
    "The rows go through the same validation as `closeloop import`.  The\n"
    "same seed and T give the same data.\n"
    "\n"
    "Then the loop replays the last N days (default 180) as if closeloop had\n"
    "been running: what happened in them (deals created and closed, churns,\n"
    "their tags, won-deal reviews, recoveries) arrives on its day, the\n"
    "engine ticks every business day (tasks, AE notifications, sessions,\n"
    "reminders, escalations), and simulated people act through the same\n"
    "calls as the commands: most tasks done on time, some late, a few left\n"
    "overdue; debriefs held with their one process change and its check-in;\n"
    "quarterly sessions decided and closed.  Above 1000 accounts, and with\n"
    "--deals-per-account, there is no replay unless --loop-days is given (it\n"
    "ticks ~125 times over the whole workspace).\n"
    "\n"
    "  --accounts N  number of accounts (default 600)\n"
    "  --seed S      random seed (default 1)\n"
    "  --now T       the day the data ends before (default: today)\n"
    "  --csv DIR     write DIR/KIND.csv files instead of filling the\n"
    "                workspace (the records finished; no replay)\n"
    "  --loop-days N replay the loop over the last N days (1 to 1000)\n"
    "  --no-loop     no replay: every record arrives finished, and there\n"
    "                are no tasks, notifications or sessions yet\n"
    "  --deals-per-account X  for benchmarks: add lost and open pipeline\n"
    "                deals (ids d-x...) to about X deals per account on\n"
    "                average (the simulation alone gives about 1.6); the\n"
    "                other rows stay the same\n"
    "  --db URL      the workspace (default ./closeloop.db)\n"};

typedef struct demo_sink {
    /* Into a workspace: one importer, hence one transaction, per kind. */
    cl_store *st;
    cl_importer *imp;
    cl_import_opts opts;
    cl_import_report total[CL_KIND_COUNT];
    /* Into CSV files. */
    const char *dir;
    FILE *f;
    cl_kind kind;
    int64_t bad;
    /* The loop replay's acts, or NULL without one. */
    cl_demo_loop *loop;
} demo_sink;

static void
count_bad(void *ud, const char *msg)
{
    demo_sink *s = ud;
    /* Generated data that fails validation is a bug in the generator. */
    if (s->bad++ < 10)
        fprintf(stderr, "closeloop: demo generated a bad row: %s\n", msg);
}

static cl_err
end_kind(demo_sink *s, cl_error *err)
{
    cl_err rc = CL_OK;
    if (s->imp) {
        rc = cl_importer_finish(s->imp, &s->total[s->kind], err);
        s->imp = NULL;
    }
    if (s->f) {
        if (fclose(s->f) != 0)
            rc = cl_error_set(err, CL_EIO, "%s: write failed", s->dir);
        s->f = NULL;
    }
    return rc;
}

static cl_err
start_kind(demo_sink *s, cl_kind kind, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(kind);
    const char *header[32];
    cl_err rc;

    if ((rc = end_kind(s, err)) != CL_OK)
        return rc;
    s->kind = kind;
    for (size_t i = 0; i < def->nfields; i++)
        header[i] = def->fields[i].name;
    if (s->dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.csv", s->dir, def->name);
        if ((s->f = fopen(path, "w")) == NULL)
            return cl_error_set(err, CL_EIO, "%s: cannot write: %s", path,
                                strerror(errno));
        if (cl_csv_write_row(s->f, header, def->nfields) != 0)
            return cl_error_set(err, CL_EIO, "%s: write failed", path);
        return CL_OK;
    }
    s->opts.source = def->name;
    if ((rc = cl_importer_new(s->st, kind, &s->opts, &s->imp, err)) != CL_OK)
        return rc;
    return cl_importer_header(s->imp, header, def->nfields, 1, err);
}

static cl_err
emit(void *ud, cl_kind kind, const char *const *cells, size_t n, cl_error *err)
{
    demo_sink *s = ud;
    cl_err rc;
    if ((s->imp == NULL && s->f == NULL) || kind != s->kind)
        if ((rc = start_kind(s, kind, err)) != CL_OK)
            return rc;
    if (s->f)
        return cl_csv_write_row(s->f, cells, n) == 0
                   ? CL_OK
                   : cl_error_set(err, CL_EIO, "%s: write failed", s->dir);
    return cl_importer_row(s->imp, cells, n, 0, err);
}

/*
 * The records of each kind the demo gave: what the import applied, or,
 * after a replay (whose records arrived day by day), what the workspace
 * holds.
 */
static cl_err
summary(demo_sink *s, const char *db, cl_error *err)
{
    printf("demo workspace %s:", db);
    for (int k = 0; k < CL_KIND_COUNT; k++) {
        int64_t n =
            s->total[k].inserted + s->total[k].updated + s->total[k].unchanged;
        cl_err e = s->loop ? cl_store_count(s->st, (cl_kind)k, &n, err) : CL_OK;
        if (e != CL_OK)
            return e;
        printf("%s %lld %s", k ? "," : "", (long long)n,
               cl_kind_get((cl_kind)k)->name);
    }
    printf("\n");
    return CL_OK;
}

static cl_err
later(void *ud, const cl_demo_act *act, cl_error *err)
{
    demo_sink *s = ud;
    return cl_demo_loop_add(s->loop, act, err);
}

/* "s" unless n is 1. */
static const char *
s_(int n)
{
    return n == 1 ? "" : "s";
}

/* Says what the loop replay did. */
static void
print_replay(const cl_demo_loop_stats *ls, cl_day from)
{
    const cl_engine_stats *x = &ls->engine;
    char day[11];
    int tasks = ls->done_tasks + ls->open_tasks;
    cl_date_format(from, day);
    printf("loop replayed over %d business day%s from %s: %d task%s (%d "
           "done, %d open, %d overdue), %d notification%s, %d session%s (%d "
           "closed), %d process change%s (%d checked in), %d churn%s tagged, "
           "%d review%s, %d recover%s classified\n",
           ls->days, s_(ls->days), day, tasks, s_(tasks), ls->done_tasks,
           ls->open_tasks, ls->overdue_tasks, x->notifications,
           s_(x->notifications), x->sessions, s_(x->sessions), ls->closed,
           ls->changes, s_(ls->changes), ls->checkins, ls->tags, s_(ls->tags),
           ls->reviews, s_(ls->reviews), ls->recoveries,
           ls->recoveries == 1 ? "y" : "ies");
    if (ls->skipped)
        fprintf(stderr,
                "closeloop: demo replay: %d acts refused by the engine; "
                "the first: %s\n",
                ls->skipped, ls->first_skip);
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"accounts", required_argument, NULL, 'a'},
        {"seed", required_argument, NULL, 's'},
        {"csv", required_argument, NULL, 'c'},
        {"deals-per-account", required_argument, NULL, 'x'},
        {"loop-days", required_argument, NULL, 'l'},
        {"no-loop", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    cl_demo_opts d = {.accounts = 600, .seed = 1};
    demo_sink sink = {.kind = CL_KIND_NONE};
    long long v;
    int c, rc = CLI_USAGE, loop_days = -1, no_loop = 0;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_demo, argc, argv, ":h", opts, &common,
                                &rc)) > 0) {
        switch (c) {
        case 'a':
            if (cli_parse_int(optarg, 1, 10000000, &v) != 0)
                return cli_usage(&cli_cmd_demo,
                                 "--accounts: expected a "
                                 "number from 1 to 10000000, got '%s'",
                                 optarg);
            d.accounts = v;
            break;
        case 's':
            if (cli_parse_int(optarg, 0, (1LL << 62), &v) != 0)
                return cli_usage(&cli_cmd_demo,
                                 "--seed: expected a "
                                 "non-negative number, got '%s'",
                                 optarg);
            d.seed = (uint64_t)v;
            break;
        case 'c':
            sink.dir = optarg;
            break;
        case 'l':
            if (cli_parse_int(optarg, 1, 1000, &v) != 0)
                return cli_usage(&cli_cmd_demo,
                                 "--loop-days: expected a number from 1 to "
                                 "1000, got '%s'",
                                 optarg);
            loop_days = (int)v;
            break;
        case 'n':
            no_loop = 1;
            break;
        case 'x': {
            char *end;
            errno = 0;
            double x = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(x >= 0 && x <= 12))
                return cli_usage(&cli_cmd_demo,
                                 "--deals-per-account: expected a number "
                                 "from 0 to 12, got '%s'",
                                 optarg);
            d.deals_per_account = x;
            break;
        }
        default:
            return cli_usage(&cli_cmd_demo, "unexpected option");
        }
    }
    if (c < 0)
        return rc;
    if (optind < argc)
        return cli_usage(&cli_cmd_demo, "unexpected argument '%s'",
                         argv[optind]);
    if (no_loop && loop_days > 0)
        return cli_usage(&cli_cmd_demo,
                         "--loop-days and --no-loop exclude each other");
    if (sink.dir && loop_days > 0)
        return cli_usage(&cli_cmd_demo,
                         "--csv writes the records finished; it has no "
                         "loop replay (--loop-days)");
    d.today = cl_time_day(common.now);
    /* The replay ticks over the whole workspace every business day: for
       large demos (benchmarks) only when asked for. */
    if (loop_days < 0)
        loop_days = d.accounts <= 1000 && d.deals_per_account == 0 ? 180 : 0;
    if (!no_loop && !sink.dir && loop_days > 0) {
        if ((sink.loop = cl_demo_loop_new(d.seed)) == NULL)
            return cli_fail(CL_ENOMEM, "out of memory");
        d.loop_days = loop_days;
        d.later = later;
    }

    if (sink.dir) {
        if (mkdir(sink.dir, 0777) != 0 && errno != EEXIST)
            return cli_fail(CL_EINVAL, "%s: cannot create: %s", sink.dir,
                            strerror(errno));
    } else if ((rc = cli_open(&common, &sink.st)) != 0) {
        return rc;
    }
    sink.opts.actor = "demo";
    sink.opts.now = common.now;
    /* The history is records only: the replay (or nobody, --no-loop)
       acts on them day by day, not all at once at --now. */
    sink.opts.no_events = 1;
    sink.opts.on_bad = count_bad;
    sink.opts.ud = &sink;

    cl_error err;
    cl_error_clear(&err);
    cl_err e = cl_demo_generate(&d, emit, &sink, &err);
    if (e == CL_OK)
        e = end_kind(&sink, &err);
    else if (sink.imp)
        cl_importer_abort(sink.imp);
    else if (sink.f)
        fclose(sink.f);
    /* Whether a replay or the tests' first tick comes next. */
    if (e == CL_OK && sink.st)
        e = cl_store_analyze_all(sink.st, &err);
    /* The replay runs over [today - loop_days, today): the data ends the
       day before today. */
    cl_day from = d.today - d.loop_days;
    cl_demo_loop_stats ls;
    if (e == CL_OK && sink.loop)
        e = cl_demo_loop_run(sink.loop, sink.st, from, d.today - 1, &ls, &err);
    if (e == CL_OK && !sink.dir)
        e = summary(&sink, common.db, &err);
    if (e == CL_OK && sink.loop)
        print_replay(&ls, from);
    cl_demo_loop_free(sink.loop);
    cl_store_close(sink.st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    if (sink.dir)
        printf("demo data written to %s/\n", sink.dir);
    return CLI_OK;
}
