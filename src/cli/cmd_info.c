/* cmd_info.c - `closeloop info`: what a workspace holds. */
#include <jansson.h>
#include <string.h>

#include "cli.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_info = {
    "info", run, "show what a workspace holds",
    "usage: closeloop info [--format text|json] [--db URL]\n"
    "\n"
    "Prints the workspace's backend, schema version, and how many records\n"
    "of each kind and audit entries it holds.\n"
    "\n"
    "  --format F  text (default) or json\n"
    "  --db URL    the workspace (default ./closeloop.db)\n"};

static int
run(int argc, char **argv)
{
    cli_common common;
    cl_store *st;
    cl_error err;
    int rc, version;
    int64_t counts[CL_KIND_COUNT], audit;

    cli_common_init(&common);
    if ((rc = cli_parse_common_only(&cli_cmd_info, argc, argv, &common)) >= 0)
        return rc;
    const char *format = common.format ? common.format : "text";
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage(&cli_cmd_info,
                         "--format: expected text or json, "
                         "got '%s'",
                         format);
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error_clear(&err);
    cl_err e = cl_store_schema_version(st, &version, &err);
    for (int k = 0; k < CL_KIND_COUNT && e == CL_OK; k++)
        e = cl_store_count(st, (cl_kind)k, &counts[k], &err);
    if (e == CL_OK)
        e = cl_store_audit_count(st, &audit, &err);
    const char *backend = cl_store_backend(st);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);

    if (strcmp(format, "json") == 0) {
        json_t *c = json_object();
        for (int k = 0; k < CL_KIND_COUNT; k++)
            json_object_set_new(c, cl_kind_get((cl_kind)k)->name,
                                json_integer(counts[k]));
        json_object_set_new(c, "audit", json_integer(audit));
        json_t *o =
            json_pack("{s:s, s:s, s:i, s:o}", "db", common.db, "backend",
                      backend, "schema_version", version, "counts", c);
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(o);
        return CLI_OK;
    }
    printf("workspace %s (%s, schema version %d)\n", common.db, backend,
           version);
    for (int k = 0; k < CL_KIND_COUNT; k++)
        printf("  %-14s %10lld\n", cl_kind_get((cl_kind)k)->name,
               (long long)counts[k]);
    printf("  %-14s %10lld\n", "audit entries", (long long)audit);
    return CLI_OK;
}
