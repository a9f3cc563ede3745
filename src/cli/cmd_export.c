/* cmd_export.c - `closeloop export KIND`: records as canonical CSV. */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "io/csv.h"
#include "io/field.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_export = {
    "export", run, "write records of a kind as canonical CSV",
    "usage: closeloop export KIND [-o FILE] [--db URL]\n"
    "\n"
    "Writes every record of KIND (see closeloop import --help) as canonical\n"
    "CSV: the header in canonical column order, records in source-id order.\n"
    "Importing the output into another workspace recreates the records.\n"
    "Text cells that a spreadsheet would run as a formula (first character\n"
    "= + - @, TAB or CR) get a leading ', which import removes again.\n"
    "\n"
    "  -o, --output FILE  write to FILE instead of standard output\n"
    "  --db URL           the workspace (default ./closeloop.db)\n"};

typedef struct export_ctx {
    FILE *f;
    const cl_kind_def *def;
    unsigned char text[32]; /* which columns are text (guarded) */
    int failed;
} export_ctx;

static int
write_row(void *ud, const cl_value *row)
{
    export_ctx *x = ud;
    const char *cells[32];
    char bufs[32][32];
    for (size_t i = 0; i < x->def->nfields; i++)
        cells[i] = cli_value_text(&x->def->fields[i], &row[i], bufs[i],
                                  sizeof bufs[i]);
    if (cl_csv_write_row_guarded(x->f, cells, x->def->nfields, x->text) != 0) {
        x->failed = 1;
        return 1;
    }
    return 0;
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *out = NULL;
    int c, rc = CLI_USAGE;

    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_export, argc, argv, ":ho:", opts,
                                &common, &rc)) > 0) {
        if (c != 'o')
            return cli_usage(&cli_cmd_export, "unexpected option");
        out = optarg;
    }
    if (c < 0)
        return rc;
    if (argc - optind != 1)
        return cli_usage(&cli_cmd_export, "expected KIND");
    cl_kind kind = cl_kind_from_name(argv[optind]);
    if (kind == CL_KIND_NONE)
        return cli_usage(&cli_cmd_export, "unknown KIND '%s'", argv[optind]);

    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    /* People open exports in spreadsheets: text cells that would run as
       formulas get a leading apostrophe, which import removes again. */
    export_ctx x = {stdout, cl_kind_get(kind), {0}, 0};
    for (size_t i = 0; i < x.def->nfields; i++)
        x.text[i] = (unsigned char)cl_field_is_text(&x.def->fields[i]);
    if (out && (x.f = fopen(out, "w")) == NULL) {
        cl_store_close(st);
        return cli_fail(CL_EINVAL, "%s: cannot write: %s", out,
                        strerror(errno));
    }
    const char *header[32];
    for (size_t i = 0; i < x.def->nfields; i++)
        header[i] = x.def->fields[i].name;
    cl_error err;
    cl_error_clear(&err);
    cl_err e = CL_OK;
    if (cl_csv_write_row(x.f, header, x.def->nfields) != 0)
        x.failed = 1;
    else
        e = cl_store_each(st, kind, write_row, &x, &err);
    cl_store_close(st);
    if (fflush(x.f) != 0)
        x.failed = 1;
    if (out && fclose(x.f) != 0)
        x.failed = 1;
    if (e != CL_OK)
        return cli_fail_error(&err);
    if (x.failed)
        return cli_fail(CL_EIO, "%s: write failed", out ? out : "stdout");
    return CLI_OK;
}
