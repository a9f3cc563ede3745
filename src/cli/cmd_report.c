/*
 * cmd_report.c - `closeloop report NAME`: builds a report from the workspace
 * and renders it as JSON, Markdown, CSV or HTML.
 *
 * The snapshot is loaded once; the builder is pure.  With -o the output goes
 * to a temporary file beside FILE that is renamed over it only when the whole
 * report was written, so a failed run leaves no half file.
 *
 * `report --pack` builds the quarterly pack (bad-fit, icp, recovery and
 * churn patterns) from one snapshot into a directory; --timing prints the
 * seconds spent loading and building to stderr (bench/reports.sh).
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analytics/patterns.h"
#include "analytics/report.h"
#include "cli.h"
#include "io/render.h"
#include "snapshot/snapshot_cache.h"

static int run(int argc, char **argv);

static char usage_text[4096];

static const char usage_head[] =
    "usage: closeloop report NAME [--period P] [--format json|md|csv|html]\n"
    "                        [-o FILE] [--private] [--no-cache] [--now T]\n"
    "                        [--db URL]\n"
    "       closeloop report --pack [--period P] -o DIR [--format F]\n"
    "                        [--timing] [--no-cache] [--now T] [--db URL]\n"
    "\n"
    "Builds report NAME from the workspace.  JSON is the machine contract;\n"
    "md is for pasting into a meeting doc, csv holds the tables (one section\n"
    "per table, see docs/reports.md), html is one self-contained file with\n"
    "its charts.\n"
    "\n"
    "  --period P     a month YYYY-MM or a quarter YYYYQn, as the report "
    "asks;\n"
    "                 default the last complete one before --now\n"
    "  --format F     json (default), md, csv or html\n"
    "  -o, --output FILE  write to FILE (replaced only when complete)\n"
    "  --private      a private view: may include individual AEs where the\n"
    "                 report allows (coaching, RevOps), and the ICP review's\n"
    "                 segments and patterns by Q7's gut read; never in team\n"
    "                 reports\n"
    "  --now T        today, YYYY-MM-DD (default the clock)\n"
    "  --pack         the quarterly pack from one load of the workspace:\n"
    "                 DIR/bad-fit.F, DIR/icp.F, DIR/recovery.F for quarter P\n"
    "                 and DIR/patterns.json (churn patterns as of --now)\n"
    "  --timing       print the seconds spent loading the workspace and\n"
    "                 building each report to stderr\n"
    "  --no-cache     read the workspace from the store, neither reading nor\n"
    "                 writing its snapshot cache (PATH.snapshot; see\n"
    "                 docs/reports.md)\n"
    "  --db URL       the workspace (default ./closeloop.db)\n"
    "\n"
    "Reports:\n";

const cli_command cli_cmd_report = {"report", run,
                                    "build a report (monthly, bad-fit, icp, "
                                    "recovery, health, audit, pipeline)",
                                    usage_text};

static const char *
period_text(cl_report_period kind)
{
    switch (kind) {
    case CL_REPORT_MONTH:
        return "month YYYY-MM";
    case CL_REPORT_QUARTER:
        return "quarter YYYYQn";
    case CL_REPORT_NOW:
        return "as of --now";
    }
    return "";
}

/* The usage text with the report table, built once from cl_reports(). */
static void
build_usage(void)
{
    size_t n, len;
    const cl_report_def *r = cl_reports(&n);
    snprintf(usage_text, sizeof usage_text, "%s", usage_head);
    for (size_t i = 0; i < n; i++) {
        len = strlen(usage_text);
        snprintf(usage_text + len, sizeof usage_text - len,
                 "  %-10s %-26s %s\n", r[i].name, r[i].title,
                 period_text(r[i].period));
    }
}

/* Writes the report to f: text when there is some, else doc rendered. */
static cl_err
put_report(FILE *f, const char *path, const cl_report_def *def, json_t *doc,
           const cl_buf *text, cl_format format, cl_error *err)
{
    cl_error_clear(err);
    if (!text)
        return cl_render(def->name, def->title, doc, format, f, err);
    if (fwrite(text->p, 1, text->len, f) != text->len || fputc('\n', f) == EOF)
        return cl_error_set(err, CL_EIO, "%s: write failed", path);
    return CL_OK;
}

/* Writes the rendering to path through a temporary file and a rename. */
static int
write_file(const char *path, const cl_report_def *def, json_t *doc,
           const cl_buf *text, cl_format format)
{
    size_t len = strlen(path);
    char *tmp;
    cl_error err;
    struct stat sb;
    /* A device or a pipe (-o /dev/null, -o /dev/stdout) is written as it
       is: renaming a file over it would replace the device node itself. */
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        FILE *f = fopen(path, "w");
        if (!f)
            return cli_fail(CL_EINVAL, "%s: cannot write: %s", path,
                            strerror(errno));
        cl_err e = put_report(f, path, def, doc, text, format, &err);
        if (fclose(f) != 0 && e == CL_OK)
            e = cl_error_set(&err, CL_EIO, "%s: write failed", path);
        return e != CL_OK ? cli_fail_error(&err) : CLI_OK;
    }
    tmp = malloc(len + 16);
    if (!tmp)
        return cli_fail(CL_ENOMEM, "out of memory");
    snprintf(tmp, len + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return cli_fail(CL_EINVAL, "%s: cannot write: %s", path, strerror(e));
    }
    /* mkstemp makes the file private; a report is as readable as any file
       the user writes, so honour the umask like fopen would. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        free(tmp);
        return cli_fail(CL_EIO, "%s: cannot write", path);
    }
    cl_err e = put_report(f, path, def, doc, text, format, &err);
    int failed = fflush(f) != 0 || fsync(fileno(f)) != 0;
    failed |= fclose(f) != 0;
    if (e != CL_OK || failed || rename(tmp, path) != 0) {
        int saved = errno;
        unlink(tmp);
        free(tmp);
        if (e != CL_OK)
            return cli_fail_error(&err);
        return cli_fail(CL_EIO, "%s: write failed: %s", path, strerror(saved));
    }
    free(tmp);
    return CLI_OK;
}

static double
seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
timing_line(int timing, const char *what, double t0, double t1)
{
    if (timing)
        fprintf(stderr, "timing %s %.6f\n", what, t1 - t0);
}

/* DIR/NAME.EXT, or NULL when out of memory. */
static char *
pack_path(const char *dir, const char *name, const char *ext)
{
    size_t n = strlen(dir) + strlen(name) + strlen(ext) + 3;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s.%s", dir, name, ext);
    return p;
}

/* The quarterly pack: one snapshot, three quarterly reports and the churn
   patterns, each written to dir. */
static int
run_pack(const cl_snapshot *snap, const cl_report_opts *o, const char *dir,
         cl_format format, const char *ext, int timing)
{
    static const char *const names[] = {"bad-fit", "icp", "recovery"};
    cl_error err;
    double t0, t1;
    int rc = CLI_OK;

    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return cli_fail(CL_EINVAL, "%s: cannot create: %s", dir,
                        strerror(errno));
    cl_error_clear(&err);
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !rc; i++) {
        const cl_report_def *def = cl_report_find(names[i]);
        json_t *doc = NULL;
        t0 = seconds();
        cl_err e = def->build(snap, o, &doc, &err);
        t1 = seconds();
        if (e != CL_OK)
            return cli_fail_error(&err);
        timing_line(timing, def->name, t0, t1);
        char *path = pack_path(dir, def->name, ext);
        rc = path ? write_file(path, def, doc, NULL, format)
                  : cli_fail(CL_ENOMEM, "out of memory");
        timing_line(timing, "write", t1, seconds());
        free(path);
        json_decref(doc);
    }
    if (rc)
        return rc;

    cl_pattern_opts po = {.target = CL_TARGET_CHURN,
                          .today = o->today,
                          .private_answers = o->private_answers};
    cl_pattern_result r;
    t0 = seconds();
    cl_err e = cl_patterns_find(snap, &po, &r, &err);
    t1 = seconds();
    if (e != CL_OK)
        return cli_fail_error(&err);
    timing_line(timing, "patterns", t0, t1);
    json_t *doc = cl_patterns_json(&r);
    cl_patterns_free(&r);
    char *path = pack_path(dir, "patterns", "json");
    FILE *f = path && doc ? fopen(path, "w") : NULL;
    if (!f)
        rc = path && doc ? cli_fail(CL_EIO, "%s: cannot write: %s", path,
                                    strerror(errno))
                         : cli_fail(CL_ENOMEM, "out of memory");
    else if (json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
             fputc('\n', f) == EOF || fclose(f) != 0)
        rc = cli_fail(CL_EIO, "%s: write failed", path);
    timing_line(timing, "write", t1, seconds());
    free(path);
    json_decref(doc);
    return rc;
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"period", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"private", no_argument, NULL, 'P'},
        {"pack", no_argument, NULL, 'K'},
        {"timing", no_argument, NULL, 'T'},
        {"no-cache", no_argument, NULL, 'C'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *period = NULL, *out = NULL, *fmt = "json";
    int private_view = 0, pack = 0, timing = 0, no_cache = 0, c;
    int rc = CLI_USAGE;

    build_usage();
    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_report, argc, argv, ":ho:", opts,
                                &common, &rc)) > 0) {
        switch (c) {
        case 'p':
            period = optarg;
            break;
        case 'f':
            fmt = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'P':
            private_view = 1;
            break;
        case 'K':
            pack = 1;
            break;
        case 'T':
            timing = 1;
            break;
        case 'C':
            no_cache = 1;
            break;
        default:
            return cli_usage(&cli_cmd_report, "unexpected option");
        }
    }
    if (c < 0)
        return rc;
    if (pack && argc - optind != 0)
        return cli_usage(&cli_cmd_report, "--pack takes no report NAME");
    if (pack && !out)
        return cli_usage(&cli_cmd_report, "--pack needs -o DIR");
    if (!pack && argc - optind != 1)
        return cli_usage(&cli_cmd_report, "expected one report NAME");
    /* The pack's reports are all quarterly; bad-fit stands for them. */
    const cl_report_def *def = cl_report_find(pack ? "bad-fit" : argv[optind]);
    if (!def)
        return cli_usage(&cli_cmd_report,
                         "unknown report '%s' (monthly, bad-fit, icp, "
                         "recovery, health, audit, pipeline)",
                         argv[optind]);
    int format = cl_format_parse(fmt);
    if (format < 0)
        return cli_usage(&cli_cmd_report,
                         "--format: expected json, md, csv or html, got '%s'",
                         fmt);

    cl_report_opts o = {0};
    o.today = cl_time_day(common.now);
    o.private_view = private_view;
    o.private_answers = private_view;
    cl_error perr;
    if (cl_report_resolve_period(def, period, o.today, &o.period, &perr) !=
        CL_OK)
        return cli_usage(&cli_cmd_report, "--period: %s", perr.msg);

    cl_store *st;
    cl_snapshot *snap = NULL;
    cl_error err;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error_clear(&err);
    double t0 = seconds();
    cl_snapshot_cache_stats cache;
    cl_err e = cl_snapshot_load_cached(st, common.db, !no_cache, &snap,
                                       &cache, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    double t1 = seconds();
    timing_line(timing, "load", t0, t1);
    /* Where the snapshot came from, for bench/reports.sh: its cache file
       (the whole load), or the store with the cache then written (the
       writing, inside "load"). */
    if (cache.hit)
        timing_line(timing, "cache-read", t0, t1);
    else if (cache.written)
        timing_line(timing, "cache-write", 0, cache.write_seconds);
    if (pack) {
        rc = run_pack(snap, &o, out, (cl_format)format, fmt, timing);
        cl_snapshot_free(snap);
        return rc;
    }
    json_t *doc = NULL;
    /* A report that writes its JSON as text skips the tree (report.h). */
    cl_buf text = CL_BUF_INIT;
    int as_text = format == CL_FORMAT_JSON && def->text != NULL;
    t0 = seconds();
    e = as_text ? def->text(snap, &o, &text, &err)
                : def->build(snap, &o, &doc, &err);
    timing_line(timing, def->name, t0, seconds());
    cl_snapshot_free(snap);
    if (e != CL_OK) {
        cl_buf_free(&text);
        return cli_fail_error(&err);
    }

    if (out)
        rc = write_file(out, def, doc, as_text ? &text : NULL,
                        (cl_format)format);
    else if (as_text)
        rc = fwrite(text.p, 1, text.len, stdout) != text.len ||
                     fputc('\n', stdout) == EOF || fflush(stdout) != 0
                 ? cli_fail(CL_EIO, "stdout: write failed")
                 : CLI_OK;
    else {
        e = cl_render(def->name, def->title, doc, (cl_format)format, stdout,
                      &err);
        rc = e != CL_OK            ? cli_fail_error(&err)
             : fflush(stdout) != 0 ? cli_fail(CL_EIO, "stdout: write failed")
                                   : CLI_OK;
    }
    cl_buf_free(&text);
    json_decref(doc);
    return rc;
}
