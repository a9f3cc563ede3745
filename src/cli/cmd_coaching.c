/* cmd_coaching.c - `closeloop coaching --as USER`: private coaching items. */
#include <jansson.h>
#include <string.h>

#include "cli.h"
#include "store/store_engine.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_coaching = {
    "coaching", run, "list the coaching items a user may see",
    "usage: closeloop coaching --as USER [--format text|json] [--db URL]\n"
    "\n"
    "Coaching items are private (docs/design.md section 6): a user sees an\n"
    "item only if it concerns them (the AE), or they are that AE's manager,\n"
    "or their role is vp_sales or revops.  Everyone else gets an empty\n"
    "list.  JSON: an array of {id, ae_id, period, cause, note, session_id}.\n"};

typedef struct ctx {
    const char *user, *role;
    int json;
    json_t *list;
} ctx;

/* 1 if viewer (id, role) is in the item's audience "user:ID;role:NAME". */
static int
may_see(const char *audience, const char *id, const char *role)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", audience ? audience : "");
    for (char *save = NULL, *t = strtok_r(buf, ";", &save); t;
         t = strtok_r(NULL, ";", &save)) {
        if (strncmp(t, "user:", 5) == 0 && strcmp(t + 5, id) == 0)
            return 1;
        if (strncmp(t, "role:", 5) == 0 && strcmp(t + 5, role) == 0)
            return 1;
    }
    return 0;
}

static int
item_cb(void *ud, const cl_store_coaching_row *r)
{
    ctx *c = ud;
    if (!may_see(r->audience, c->user, c->role))
        return 0;
    if (!c->json) {
        printf("%-4lld %-8s %-8s %-14s %s\n", (long long)r->id, r->ae_id,
               r->period, r->cause, r->note ? r->note : "");
        return 0;
    }
    json_array_append_new(
        c->list,
        json_pack("{s:I, s:s, s:s, s:s, s:s?, s:I}", "id", (json_int_t)r->id,
                  "ae_id", r->ae_id, "period", r->period, "cause", r->cause,
                  "note", r->note, "session_id", (json_int_t)r->session_id));
    return 0;
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"as", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *as = NULL, *format = "text";
    int c, rc = CLI_USAGE;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_coaching, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        if (c == 'a')
            as = optarg;
        else if (c == 'f')
            format = optarg;
        else
            return cli_usage(&cli_cmd_coaching, "unexpected option");
    }
    if (c < 0)
        return rc;
    if (as == NULL || optind != argc)
        return cli_usage(&cli_cmd_coaching, "--as USER is required");
    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_value key = {.type = CL_V_TEXT, .s = as}, row[8];
    int found = 0;
    cl_error err;
    cl_error_clear(&err);
    char role[32] = "";
    cl_err e = cl_store_get(st, CL_KIND_USERS, &key, row, &found, &err);
    if (e == CL_OK && !found)
        e = cl_error_set(&err, CL_EINVAL, "--as: no user '%s'", as);
    if (e == CL_OK)
        snprintf(role, sizeof role, "%s", row[3].s);
    ctx x = {as, role, strcmp(format, "json") == 0, json_array()};
    if (e == CL_OK)
        e = cl_store_coaching_each(st, item_cb, &x, &err);
    cl_store_close(st);
    if (e == CL_OK && x.json) {
        json_dumpf(x.list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
    }
    json_decref(x.list);
    return e == CL_OK ? CLI_OK : cli_fail_error(&err);
}
