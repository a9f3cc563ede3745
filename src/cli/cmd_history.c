/* cmd_history.c - `closeloop history`: the audit log. */
#include <jansson.h>
#include <string.h>

#include "cli.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_history = {
    "history", run, "show the audit log (who changed what, when)",
    "usage: closeloop history [--entity TABLE] [--id ID]\n"
    "                         [--format text|json] [--db URL]\n"
    "\n"
    "Prints audit entries, oldest first: when, who, which record, and its\n"
    "values before and after.  The audit log is append-only.\n"
    "\n"
    "  --entity TABLE  only this kind of record (users, deals, churns, ...)\n"
    "  --id ID         only this record (compound keys joined by '|')\n"
    "  --format F      text (default) or json\n"
    "  --db URL        the workspace (default ./closeloop.db)\n"};

typedef struct history_ctx {
    int json;
    json_t *list;
} history_ctx;

static json_t *
parse_or_null(const char *s)
{
    if (s == NULL)
        return json_null();
    json_t *v = json_loads(s, JSON_DECODE_ANY, NULL);
    return v ? v : json_string(s);
}

static int
print_entry(void *ud, const cl_audit_entry *e)
{
    history_ctx *h = ud;
    if (h->json) {
        json_array_append_new(
            h->list,
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id",
                      (json_int_t)e->id, "at", e->at, "actor", e->actor,
                      "entity", e->entity, "entity_id", e->entity_id, "action",
                      e->action, "old", parse_or_null(e->old_json), "new",
                      parse_or_null(e->new_json)));
        return 0;
    }
    printf("%s  %-12s %-7s %s %s\n", e->at, e->actor, e->action, e->entity,
           e->entity_id);
    if (e->old_json)
        printf("    old: %s\n", e->old_json);
    if (e->new_json)
        printf("    new: %s\n", e->new_json);
    return 0;
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"entity", required_argument, NULL, 'e'},
        {"id", required_argument, NULL, 'i'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *entity = NULL, *id = NULL, *format = "text";
    int c, rc = CLI_USAGE;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_history, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        switch (c) {
        case 'e':
            entity = optarg;
            break;
        case 'i':
            id = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        default:
            return cli_usage(&cli_cmd_history, "unexpected option");
        }
    }
    if (c < 0)
        return rc;
    if (optind < argc)
        return cli_usage(&cli_cmd_history, "unexpected argument '%s'",
                         argv[optind]);
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage(&cli_cmd_history,
                         "--format: expected text or "
                         "json, got '%s'",
                         format);
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    history_ctx h = {strcmp(format, "json") == 0, json_array()};
    cl_error err;
    cl_error_clear(&err);
    cl_err e = cl_store_audit_each(st, entity, id, print_entry, &h, &err);
    cl_store_close(st);
    if (e == CL_OK && h.json) {
        json_dumpf(h.list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
    }
    json_decref(h.list);
    return e == CL_OK ? CLI_OK : cli_fail_error(&err);
}
