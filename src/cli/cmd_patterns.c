/* cmd_patterns.c - `closeloop patterns`: profiles over-represented among
   churned customers, recovered deals or lost deals. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "analytics/patterns.h"
#include "cli.h"
#include "snapshot/snapshot_cache.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_patterns = {
    "patterns", run, "find profiles that churn, recover or lose more often",
    "usage: closeloop patterns [--target churn|recovery|lost] [--period P]\n"
    "                          [--format json|md] [--min-support N]\n"
    "                          [--private] [--no-cache] [--now T] [--db URL]\n"
    "\n"
    "Subgroup discovery over account and deal attributes (employees,\n"
    "industry, region, has_ops_function, source, champion_level,\n"
    "champion_tenure_months, exec_sponsor, icp_fit_score, arr, use_case,\n"
    "and from the won-deal review promises: Q4 concrete or none):\n"
    "conjunctions of up to three conditions whose target rate is above the\n"
    "base rate, ranked by weighted relative accuracy, each tested with\n"
    "Fisher's exact test; only those with a Benjamini-Hochberg q-value\n"
    "under 0.05 are shown (docs/metrics.md, \"Pattern discovery\").\n"
    "\n"
    "  --target T       churn (default): customers, target churned;\n"
    "                   recovery: closed_lost new deals, target recovered;\n"
    "                   lost: closed new deals, target closed_lost\n"
    "  --period P       YYYY-MM or YYYYQn: churn within P among customers\n"
    "                   active at its start, or deals closed within P\n"
    "  --format F       json (default) or md\n"
    "  --min-support N  smallest subgroup (default max(10, 1% of the\n"
    "                   population))\n"
    "  --private        search Q7's gut read too (private answers: not for\n"
    "                   team material; docs/visibility.md)\n"
    "  --no-cache       read the workspace from the store, neither reading\n"
    "                   nor writing its snapshot cache (see\n"
    "                   docs/reports.md)\n"
    "  --now T          the day to observe up to (default: today)\n"
    "  --db URL         the workspace (default ./closeloop.db)\n"};

static void
print_md(const cl_pattern_result *r)
{
    static const char *const what[] = {"Churned customers", "Recovered deals",
                                       "Lost deals"};
    printf("# Patterns: %s%s%s\n\n", what[r->target],
           r->has_period ? " in " : "", r->has_period ? r->period.label : "");
    printf("Population %zu, %zu with the target (base rate %.1f%%); "
           "minimum support %zu; %zu candidates tested.\n\n",
           r->population, r->targets,
           isnan(r->base_rate) ? 0.0 : r->base_rate * 100, r->min_support,
           r->tested);
    if (r->npatterns == 0) {
        printf("No pattern is significant (q < 0.05).\n");
        return;
    }
    printf("| # | Conditions | Count | Target | Rate | Lift | q-value |\n"
           "|---|---|---:|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < r->npatterns; i++) {
        const cl_pattern *p = &r->patterns[i];
        printf("| %zu | ", i + 1);
        for (size_t k = 0; k < p->nconditions; k++)
            printf("%s`%s %s %s`", k ? " and " : "", p->conditions[k].field,
                   p->conditions[k].op, p->conditions[k].value);
        printf(" | %zu | %zu | %.1f%% | %.2fx | %.2g |\n", p->count,
               p->target_count, p->rate * 100, p->lift, p->q_value);
    }
    printf("\n");
    for (size_t i = 0; i < r->npatterns; i++)
        printf("%zu. %s\n", i + 1, r->patterns[i].description);
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"format", required_argument, NULL, 'f'},
        {"target", required_argument, NULL, 't'},
        {"period", required_argument, NULL, 'p'},
        {"min-support", required_argument, NULL, 'm'},
        {"no-cache", no_argument, NULL, 'C'},
        {"private", no_argument, NULL, 'P'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    cl_pattern_opts po = {.target = CL_TARGET_CHURN};
    long long v;
    int c, t, rc = CLI_USAGE, no_cache = 0;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_patterns, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        switch (c) {
        case 'f':
            common.format = optarg;
            break;
        case 't':
            if ((t = cl_pattern_target_parse(optarg)) < 0)
                return cli_usage(&cli_cmd_patterns,
                                 "--target: expected churn, recovery or "
                                 "lost, got '%s'",
                                 optarg);
            po.target = (cl_pattern_target)t;
            break;
        case 'p':
            if (cl_period_parse(optarg, &po.period) != 0)
                return cli_usage(&cli_cmd_patterns,
                                 "--period: expected YYYY-MM or YYYYQn, "
                                 "got '%s'",
                                 optarg);
            po.has_period = 1;
            break;
        case 'C':
            no_cache = 1;
            break;
        case 'P':
            po.private_answers = 1;
            break;
        case 'm':
            if (cli_parse_int(optarg, 1, 1000000000, &v) != 0)
                return cli_usage(&cli_cmd_patterns,
                                 "--min-support: expected a number from 1, "
                                 "got '%s'",
                                 optarg);
            po.min_support = (size_t)v;
            break;
        default:
            return cli_usage(&cli_cmd_patterns, "unexpected option");
        }
    }
    if (c < 0)
        return rc;
    if (optind < argc)
        return cli_usage(&cli_cmd_patterns, "unexpected argument '%s'",
                         argv[optind]);
    const char *format = common.format ? common.format : "json";
    if (strcmp(format, "json") != 0 && strcmp(format, "md") != 0)
        return cli_usage(&cli_cmd_patterns,
                         "--format: expected json or md, got '%s'", format);
    po.today = cl_time_day(common.now);

    cl_store *st;
    cl_snapshot *s;
    cl_error err;
    cl_pattern_result r;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error_clear(&err);
    cl_err e = cl_snapshot_load_cached(st, common.db, !no_cache, &s, NULL,
                                       &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    e = cl_patterns_find(s, &po, &r, &err);
    cl_snapshot_free(s);
    if (e != CL_OK)
        return cli_fail_error(&err);
    if (strcmp(format, "md") == 0) {
        print_md(&r);
    } else {
        json_t *o = cl_patterns_json(&r);
        if (o == NULL) {
            cl_patterns_free(&r);
            return cli_fail(CL_ENOMEM, "out of memory");
        }
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(o);
    }
    cl_patterns_free(&r);
    return CLI_OK;
}
