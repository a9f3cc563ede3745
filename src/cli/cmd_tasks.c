/* cmd_tasks.c - `closeloop tasks`: open work and its due dates. */
#include <jansson.h>
#include <string.h>

#include "cli.h"
#include "core/visibility.h"
#include "core/workflow.h"
#include "store/store_api.h"
#include "store/store_engine.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_tasks = {
    "tasks", run, "list tasks (open work and due dates)",
    "usage: closeloop tasks [--assignee ID] [--as USER] [--kind K]\n"
    "                       [--status open|done] [--format text|json]\n"
    "                       [--db URL]\n"
    "       closeloop tasks done ID --by USER\n"
    "\n"
    "Lists tasks by due date.  JSON: an array of {id, kind, assignee_id,\n"
    "due_on, status, subject: {deal_id | churn_id | session_id | ...},\n"
    "title, attendees, reminded, escalated}.  Kinds: won_deal_review,\n"
    "churn_tagging, debrief, recovery_classification,\n"
    "process_change_checkin, icp_review, discovery_review,\n"
    "enablement_review, qualification_review, deal_brief_template,\n"
    "handoff_sla_review,\n"
    "review_completion_investigation (subject {quarter_id}).\n"
    "\n"
    "`tasks done ID` marks a task done (review tasks opened by a session's\n"
    "thresholds, for example); the others are done by the matching action\n"
    "(churn tag, review record, recovery classify, change checkin).\n"
    "\n"
    "  --assignee ID   only tasks of this user\n"
    "  --as USER       only what USER may see, by the rules of the API:\n"
    "                  their own tasks, their reports' (a manager), all\n"
    "                  (revops, admin)\n"
    "  --kind K        only tasks of this kind\n"
    "  --status S      open or done (default: both)\n"
    "  --format F      text (default) or json\n"
    "  --db URL        the workspace (default ./closeloop.db)\n"};

typedef struct ctx {
    int json;
    json_t *list;
    const cl_viewer *viewer; /* --as: NULL shows every task */
} ctx;

static int
row_cb(void *ud, const cl_store_task_row *t)
{
    ctx *c = ud;
    /* The same question GET /api/v1/tasks asks of every row. */
    cl_vis_rel rel = {t->assignee_id, t->assignee_manager_id, NULL};
    if (c->viewer && !cl_vis_fields(c->viewer, CL_VK_TASK, &rel))
        return 0;
    if (!c->json) {
        printf("%-5lld %-24s %-10s %-10s %-6s %s:%s\n", (long long)t->id,
               t->kind, t->assignee_id ? t->assignee_id : "-",
               t->due_on ? t->due_on : "-", t->status,
               t->subject_kind ? t->subject_kind : "-",
               t->subject_id ? t->subject_id : "-");
        return 0;
    }
    json_t *subject = json_object();
    if (t->subject_kind && t->subject_id) {
        char key[64];
        snprintf(key, sizeof key, "%s_id", t->subject_kind);
        json_object_set_new(subject, key, json_string(t->subject_id));
    }
    json_array_append_new(
        c->list,
        json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:o, s:s?, s:s?, s:b, s:b}",
                  "id", (json_int_t)t->id, "kind", t->kind, "assignee_id",
                  t->assignee_id, "due_on", t->due_on, "status", t->status,
                  "subject", subject, "title", t->title, "attendees",
                  t->attendees, "reminded", t->reminded, "escalated",
                  t->escalated));
    return 0;
}

static int
kind_cb(void *ud, const cl_store_task_row *t)
{
    snprintf(ud, 64, "%s", t->kind ? t->kind : "");
    return 1;
}

static int
done(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {"by", required_argument, NULL, 'b'},
                                         {NULL, 0, NULL, 0}};
    cli_common common;
    const char *by = NULL;
    long long id;
    int c, rc = CLI_USAGE, changed = 0;
    cl_store *st;
    cl_error err;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_tasks, argc, argv, ":h", opts, &common,
                                &rc)) > 0) {
        if (c != 'b')
            return cli_usage(&cli_cmd_tasks, "unexpected option");
        by = optarg;
    }
    if (c < 0)
        return rc;
    if (optind + 1 != argc || cli_parse_int(argv[optind], 1, INT64_MAX, &id))
        return cli_usage(&cli_cmd_tasks, "tasks done needs one task id");
    if (by == NULL)
        return cli_usage(&cli_cmd_tasks, "tasks done needs --by USER");
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error_clear(&err);
    /* A check-in is done by recording its reading (issue 14). */
    char kind[64] = "";
    cl_store_task_filter f = {.id = id};
    cl_err e = cl_store_tasks_each(st, &f, kind_cb, kind, &err);
    if (e == CL_OK && cl_wf_checkin_n(kind))
        e = cl_error_set(&err, CL_EINVAL,
                         "task %lld is a check-in: record it with its health "
                         "reading (closeloop review checkin %lld --score N "
                         "--note TEXT)",
                         id, id);
    if (e == CL_OK)
        e = cl_store_begin(st, by, common.now, &err);
    if (e == CL_OK)
        e = cl_store_task_done(st, id, &changed, &err);
    if (e == CL_OK && !changed)
        e = cl_error_set(&err, CL_ECONFLICT,
                         "task %lld does not exist or is done already", id);
    if (e == CL_OK)
        e = cl_store_commit(st, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    printf("task %lld done\n", id);
    return CLI_OK;
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"assignee", required_argument, NULL, 'a'},
        {"as", required_argument, NULL, 'A'},
        {"kind", required_argument, NULL, 'k'},
        {"status", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    cl_store_task_filter f = {0};
    const char *format = "text", *as = NULL;
    int c, rc = CLI_USAGE;

    if (argc > 1 && strcmp(argv[1], "done") == 0)
        return done(argc - 1, argv + 1);
    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_tasks, argc, argv, ":h", opts, &common,
                                &rc)) > 0) {
        switch (c) {
        case 'a':
            f.assignee_id = optarg;
            break;
        case 'A':
            as = optarg;
            break;
        case 'k':
            f.kind = optarg;
            break;
        case 's':
            f.status = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        default:
            return cli_usage(&cli_cmd_tasks, "unexpected option");
        }
    }
    if (c < 0)
        return rc;
    if (optind < argc)
        return cli_usage(&cli_cmd_tasks, "unexpected argument '%s'",
                         argv[optind]);
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage(&cli_cmd_tasks, "--format: expected text or json");
    if (f.status && strcmp(f.status, "open") != 0 &&
        strcmp(f.status, "done") != 0)
        return cli_usage(&cli_cmd_tasks, "--status: expected open or done");
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
    cl_err e = cl_store_tasks_each(st, &f, row_cb, &x, &err);
    cl_store_close(st);
    if (e == CL_OK && x.json) {
        json_dumpf(x.list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
    }
    json_decref(x.list);
    return e == CL_OK ? CLI_OK : cli_fail_error(&err);
}
