/* cmd_review.c - `closeloop review record`: a won-deal review; `review
   answer`: the AE's own questions; `review checkin`: a 30/60/90-day
   check-in's health reading (issue 14). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine/engine.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_review = {
    "review", run, "record a won-deal review",
    "usage: closeloop review record DEAL --held-on YYYY-MM-DD --q1 TEXT ...\n"
    "                 --q7 TEXT [--gut-read positive|neutral|worried]\n"
    "                 [--implementation-risk true|false]\n"
    "                 [--capacity-risk true|false]\n"
    "                 [--context-gaps true|false] [--csm-note TEXT]\n"
    "                 --by USER [--now T] [--db URL]\n"
    "       closeloop review answer DEAL [--q1 TEXT] [--q2 TEXT] [--q3 TEXT]\n"
    "                 [--q4 TEXT] [--q7 TEXT] --by AE [--now T] [--db URL]\n"
    "       closeloop review checkin TASK --score 0-100 --note TEXT --by USER\n"
    "                 [--now T] [--db URL]\n"
    "       closeloop review flags DEAL [--db URL]\n"
    "\n"
    "record: the seven answers (Q1 buying trigger, Q2 champion's personal\n"
    "stake, Q3 objections, Q4 promises, Q5 what makes them expand or renew,\n"
    "Q6 risks, Q7 the AE's 12-month gut read), all required.  Generic\n"
    "answers (too short, or stock phrases such as \"seemed enthusiastic\",\n"
    "\"n/a\", \"tbd\") are flagged with the reason; Q2, Q5, Q7, the gut read\n"
    "and the ICP fit at close set the deal's initial health score.  The\n"
    "won_deal_review task is done.  An AE question (Q1-Q4, Q7) left out\n"
    "takes the AE's own answer (`review answer`).  The CSM's flags\n"
    "(implementation risk, capacity risk, context gaps) and note are kept\n"
    "with the review.\n"
    "\n"
    "answer: the deal's AE answers its questions (Q1-Q4, Q7) before the\n"
    "review is held; only that AE may.  Audited; the AE's review_answers\n"
    "task is done once all five are answered.\n"
    "\n"
    "checkin: records a review_checkin_N task (opened by `tick` 30, 60 and\n"
    "90 days after kickoff) with a health reading: the deal's health score\n"
    "becomes it, and the reading joins the account's health history.\n"
    "\n"
    "flags: the deal's health score (-1 when it has none yet; an imported\n"
    "review gets it at the next `closeloop tick`) and flags, one per line.\n"};

static int
flags_cb(void *ud, const char *flag, const char *field, const char *reason)
{
    (void)ud;
    printf("%s %s: %s\n", flag, field ? field : "-", reason ? reason : "");
    return 0;
}

static int
flags(int argc, char **argv)
{
    cli_common common;
    int rc;
    cli_common_init(&common);
    optind = 1;
    int c;
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {NULL, 0, NULL, 0}};
    rc = CLI_USAGE;
    while ((c = cli_next_option(&cli_cmd_review, argc, argv, ":h", opts,
                                &common, &rc)) > 0)
        return cli_usage(&cli_cmd_review, "unexpected option");
    if (c < 0)
        return rc;
    if (optind + 1 != argc)
        return cli_usage(&cli_cmd_review, "expected one deal id");
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error err;
    int score = -1;
    cl_error_clear(&err);
    cl_err e = cl_store_deal_health(st, argv[optind], &score, &err);
    if (e == CL_OK) {
        printf("health_score %d\n", score);
        e = cl_store_flags_each(st, "deal", argv[optind], flags_cb, NULL, &err);
    }
    cl_store_close(st);
    return e == CL_OK ? CLI_OK : cli_fail_error(&err);
}

static int
answer(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {"q1", required_argument, NULL, '1'},
                                         {"q2", required_argument, NULL, '2'},
                                         {"q3", required_argument, NULL, '3'},
                                         {"q4", required_argument, NULL, '4'},
                                         {"q7", required_argument, NULL, '7'},
                                         {"by", required_argument, NULL, 'b'},
                                         {NULL, 0, NULL, 0}};
    cli_common common;
    const char *answers[7] = {NULL}, *by = NULL;
    int c, rc = CLI_USAGE;
    cli_common_init(&common);
    optind = 1;
    while ((c = cli_next_option(&cli_cmd_review, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        if (c >= '1' && c <= '7')
            answers[c - '1'] = optarg;
        else if (c == 'b')
            by = optarg;
        else
            return cli_usage(&cli_cmd_review, "unexpected option");
    }
    if (c < 0)
        return rc;
    if (optind + 1 != argc)
        return cli_usage(&cli_cmd_review, "expected one deal id");
    if (by == NULL)
        return cli_usage(&cli_cmd_review, "--by is required");
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error err;
    cl_error_clear(&err);
    cl_err e = cl_engine_review_answers(st, argv[optind], answers, by,
                                        common.now, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    printf("answers to the review of %s saved\n", argv[optind]);
    return CLI_OK;
}

static int
checkin(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"score", required_argument, NULL, 's'},
        {"note", required_argument, NULL, 'n'},
        {"by", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *by = NULL, *score = NULL, *note = NULL;
    int c, rc = CLI_USAGE;
    cli_common_init(&common);
    optind = 1;
    while ((c = cli_next_option(&cli_cmd_review, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        if (c == 's')
            score = optarg;
        else if (c == 'n')
            note = optarg;
        else if (c == 'b')
            by = optarg;
        else
            return cli_usage(&cli_cmd_review, "unexpected option");
    }
    if (c < 0)
        return rc;
    if (optind + 1 != argc)
        return cli_usage(&cli_cmd_review, "expected one task id");
    if (by == NULL || score == NULL || note == NULL)
        return cli_usage(&cli_cmd_review,
                         "--score, --note and --by are required");
    char *end;
    long n = strtol(score, &end, 10);
    if (*score == '\0' || *end || n < 0 || n > 100)
        return cli_fail(CL_EINVAL,
                        "--score: expected a whole number from 0 to 100, "
                        "got '%s'",
                        score);
    long long task = strtoll(argv[optind], &end, 10);
    if (*end || task <= 0)
        return cli_fail(CL_EINVAL, "expected a task id, got '%s'",
                        argv[optind]);
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error err;
    cl_error_clear(&err);
    cl_err e = cl_engine_checkin(st, task, (int)n, note, by, common.now, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    printf("check-in %lld recorded: health score %ld\n", task, n);
    return CLI_OK;
}

/* "true" or "false" for a flag option, else NULL. */
static const char *
flag_value(const char *s)
{
    if (strcmp(s, "true") == 0)
        return "true";
    if (strcmp(s, "false") == 0)
        return "false";
    return NULL;
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"held-on", required_argument, NULL, 'o'},
        {"q1", required_argument, NULL, '1'},
        {"q2", required_argument, NULL, '2'},
        {"q3", required_argument, NULL, '3'},
        {"q4", required_argument, NULL, '4'},
        {"q5", required_argument, NULL, '5'},
        {"q6", required_argument, NULL, '6'},
        {"q7", required_argument, NULL, '7'},
        {"gut-read", required_argument, NULL, 'g'},
        {"by", required_argument, NULL, 'b'},
        {"implementation-risk", required_argument, NULL, 'I'},
        {"capacity-risk", required_argument, NULL, 'C'},
        {"context-gaps", required_argument, NULL, 'G'},
        {"csm-note", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0}};
    static const char flag_opts[] = "ICG";
    static const char *const flag_names[] = {
        "--implementation-risk", "--capacity-risk", "--context-gaps"};
    cli_common common;
    cl_wf_review review = {.held_on = CL_WF_NO_DAY};
    const char *by = NULL, *held = NULL;
    int c, rc = CLI_USAGE;

    if (argc >= 2 && strcmp(argv[1], "flags") == 0)
        return flags(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "answer") == 0)
        return answer(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "checkin") == 0)
        return checkin(argc - 1, argv + 1);
    if (argc < 2 || strcmp(argv[1], "record") != 0)
        return cli_usage(&cli_cmd_review,
                         "expected 'record', 'answer', 'checkin' or 'flags'");
    argc--;
    argv++;
    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_review, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        if (c >= '1' && c <= '7')
            review.answers[c - '1'] = optarg;
        else if (c == 'o')
            held = optarg;
        else if (c == 'g')
            review.gut_read = optarg;
        else if (c == 'b')
            by = optarg;
        else if (c == 'n')
            review.csm_note = optarg;
        else if (c && strchr(flag_opts, c)) {
            int i = (int)(strchr(flag_opts, c) - flag_opts);
            if ((review.csm_flags[i] = flag_value(optarg)) == NULL)
                return cli_fail(CL_EINVAL,
                                "%s: expected true or false, got '%s'",
                                flag_names[i], optarg);
        } else
            return cli_usage(&cli_cmd_review, "unexpected option");
    }
    if (c < 0)
        return rc;
    if (optind + 1 != argc)
        return cli_usage(&cli_cmd_review, "expected one deal id");
    if (by == NULL || held == NULL)
        return cli_usage(&cli_cmd_review, "--held-on and --by are required");
    if (cl_date_parse(held, strlen(held), &review.held_on) != 0)
        return cli_fail(CL_EINVAL, "--held-on: expected YYYY-MM-DD, got '%s'",
                        held);
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error err;
    cl_engine_stats stats = {0};
    cl_error_clear(&err);
    cl_err e = cl_engine_review_record(st, argv[optind], &review, by,
                                       common.now, &stats, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    printf("review of %s recorded: %d generic answers flagged\n", argv[optind],
           stats.flags);
    return CLI_OK;
}
