/* cmd_backup.c - `closeloop backup`: an online copy of a SQLite workspace. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "store/store_backup.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_backup = {
    "backup", run, "copy a SQLite workspace, or check a copy",
    "usage: closeloop backup --to FILE [--force] [--format text|json]\n"
    "                        [--db URL]\n"
    "       closeloop backup --check FILE [--format text|json]\n"
    "\n"
    "--to copies the workspace into FILE with SQLite's online backup: the\n"
    "server, a tick or an import may keep running, and the copy is the\n"
    "workspace as one commit left it.  It is written to FILE.tmp and then\n"
    "renamed, so FILE is never half a copy.  Prints the copy's size and the\n"
    "rows of each table.  To restore, stop the server and copy FILE over\n"
    "the workspace file (docs/workspace.md, \"Backups\").\n"
    "\n"
    "--check opens a copy read-only and runs PRAGMA integrity_check; exit\n"
    "0 when it is sound, 1 when not.  JSON: {file, bytes, schema_version,\n"
    "integrity (only with --check), tables: {NAME: rows}}.\n"
    "\n"
    "A PostgreSQL workspace is backed up with pg_dump (docs/deploy.md).\n"
    "\n"
    "  --to FILE     write the copy to FILE\n"
    "  --force       replace FILE when it exists\n"
    "  --check FILE  check a copy instead\n"
    "  --format F    text (default) or json\n"
    "  --db URL      the workspace (default ./closeloop.db)\n"};

static int
table_cb(void *ud, const char *table, int64_t rows)
{
    json_object_set_new(ud, table, json_integer(rows));
    return 0;
}

/* Makes a rename in the directory of path durable. */
static void
sync_dir(const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(copy);
}

/* Prints what file holds; with check, whether it is sound.  The exit
   code. */
static int
describe(const char *file, int check, int json)
{
    cl_store_check info;
    cl_error err;
    struct stat sb;
    json_t *tables = json_object();

    cl_error_clear(&err);
    cl_err e =
        cl_store_backup_check(file, check, table_cb, tables, &info, &err);
    if (e != CL_OK) {
        json_decref(tables);
        return cli_fail_error(&err);
    }
    if (stat(file, &sb) != 0)
        sb.st_size = 0;
    if (json) {
        json_t *o = json_pack("{s:s, s:I, s:i}", "file", file, "bytes",
                              (json_int_t)sb.st_size, "schema_version",
                              info.schema_version);
        if (check)
            json_object_set_new(o, "integrity", json_string(info.integrity));
        json_object_set_new(o, "tables", tables);
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(o);
    } else {
        const char *name;
        json_t *rows;
        printf("%s: %lld bytes, schema version %d (this closeloop writes "
               "%d)\n",
               file, (long long)sb.st_size, info.schema_version,
               CL_STORE_SCHEMA_VERSION);
        if (check)
            printf("integrity: %s\n", info.integrity);
        json_object_foreach(tables, name, rows)
            printf("  %-28s %lld\n", name, (long long)json_integer_value(rows));
        json_decref(tables);
    }
    if (check && !info.integrity_ok)
        return cli_fail(CL_EINVAL, "%s: integrity check failed: %s", file,
                        info.integrity);
    return CLI_OK;
}

static int
backup(const cli_common *common, const char *to, int force, int json)
{
    struct stat sb;
    cl_error err;

    if (cl_store_backup_is_source(common->db, to))
        return cli_fail(CL_EINVAL,
                        "%s is the workspace itself or its -wal, -shm or "
                        "-journal file; choose another FILE",
                        to);
    if (!force && stat(to, &sb) == 0)
        return cli_fail(CL_ECONFLICT, "%s exists; --force replaces it", to);
    size_t n = strlen(to) + sizeof ".tmp";
    char *tmp = malloc(n);
    if (tmp == NULL)
        return cli_fail(CL_ENOMEM, "out of memory");
    snprintf(tmp, n, "%s.tmp", to);
    /* FILE.tmp is removed first: it must not be the workspace either. */
    if (cl_store_backup_is_source(common->db, tmp)) {
        int rc = cli_fail(CL_EINVAL,
                          "%s is the workspace itself or one of its files; "
                          "choose another FILE",
                          tmp);
        free(tmp);
        return rc;
    }
    /* A FILE.tmp left by a copy that died is ours to replace. */
    if (unlink(tmp) != 0 && errno != ENOENT) {
        int rc = cli_fail(CL_EIO, "%s: %s", tmp, strerror(errno));
        free(tmp);
        return rc;
    }
    cl_error_clear(&err);
    cl_err e = cl_store_backup(common->db, tmp, &err);
    if (e == CL_OK && rename(tmp, to) != 0)
        e = cl_error_set(&err, CL_EIO, "%s: %s", to, strerror(errno));
    if (e != CL_OK) {
        unlink(tmp);
        free(tmp);
        return cli_fail_error(&err);
    }
    free(tmp);
    sync_dir(to);
    return describe(to, 0, json);
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"to", required_argument, NULL, 't'},
        {"check", required_argument, NULL, 'c'},
        {"force", no_argument, NULL, 'F'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *to = NULL, *check = NULL, *format = "text";
    int c, rc = CLI_USAGE, force = 0;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_backup, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        switch (c) {
        case 't':
            to = optarg;
            break;
        case 'c':
            check = optarg;
            break;
        case 'F':
            force = 1;
            break;
        case 'f':
            format = optarg;
            break;
        default:
            return cli_usage(&cli_cmd_backup, "unexpected option");
        }
    }
    if (c < 0)
        return rc;
    if (optind < argc)
        return cli_usage(&cli_cmd_backup, "unexpected argument '%s'",
                         argv[optind]);
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage(&cli_cmd_backup, "--format: expected text or json");
    if ((to == NULL) == (check == NULL))
        return cli_usage(&cli_cmd_backup, "give one of --to FILE and "
                                          "--check FILE");
    if (check && force)
        return cli_usage(&cli_cmd_backup, "--force goes with --to");
    int json = strcmp(format, "json") == 0;
    return to ? backup(&common, to, force, json) : describe(check, 1, json);
}
