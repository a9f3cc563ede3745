/*
 * csv.c - the CSV reader and writer of csv.h, on top of libcsv.
 *
 * libcsv is a push parser: it calls back for each cell and each row end.
 * We turn it into a pull API by feeding it one physical line at a time and
 * queueing the rows it completes.  Feeding by line is what lets us know the
 * line each row starts on, even when a quoted cell spans several lines.
 *
 * Speed matters (imports of a million rows), so nothing is allocated per
 * cell: cell text goes into one growing byte buffer, cell offsets and rows
 * into growing arrays, all reset once the queued rows have been handed out.
 */
#include "csv.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/buf.h"

#define READ_BLOCK (256u * 1024u)
#define CELL_MAX (1024u * 1024u)
#define CELL_BLOCK (64u * 1024u)

/* libcsv's parser states (struct csv_parser.pstate); 0 is "between rows". */
#define PSTATE_ROW_NOT_BEGUN 0

typedef struct row {
    size_t first; /* index of the row's first cell in offs */
    size_t n;     /* number of cells */
    long line;    /* the line the row starts on */
} row;

/* Why a callback stopped the parse (callbacks cannot return an error). */
enum cb_fail { CB_OK = 0, CB_NOMEM, CB_TOOBIG };

struct cl_csv {
    FILE *f;
    int own_f;  /* 0 for stdin */
    int inited; /* csv_init has run, so csv_free must */
    char *path;
    struct csv_parser p;

    unsigned char *buf; /* the block read from f */
    size_t blen, bpos;
    int bom_checked;
    int eof;     /* f is exhausted */
    int done;    /* csv_fini has run: nothing more will come */
    cl_err fail; /* sticky error: every later call returns it */
    char fail_msg[sizeof(((cl_error *)0)->msg)];

    long cur_line; /* the physical line being fed (1-based) */
    long row_line; /* the line the row in progress starts on, or 0 */

    char *text; /* cell bytes, each cell NUL-terminated */
    size_t tlen, tcap;
    size_t *offs; /* offset of each cell in text */
    size_t ncell, ocap;
    size_t row_first; /* first cell of the row in progress */
    row *rows;        /* completed rows not yet handed out */
    size_t nrows, rpos, rcap;
    const char **ptrs; /* the pointers cl_csv_next hands out */
    size_t pcap;
    size_t *lens; /* and the lengths of those cells */
    size_t lcap;

    enum cb_fail cb_fail;
    uint64_t done_bytes, total_bytes;
};

/* RFC 4180 keeps spaces around unquoted cells; libcsv strips them unless
   told that no character is a space. */
static int
never_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void
on_cell(void *s, size_t len, void *ud)
{
    cl_csv *c = ud;
    if (c->cb_fail)
        return;
    if (len > CELL_MAX) {
        c->cb_fail = CB_TOOBIG;
        return;
    }
    if (cl_grow(&c->text, &c->tcap, c->tlen + len + 1, 1) ||
        cl_grow(&c->offs, &c->ocap, c->ncell + 1, sizeof *c->offs)) {
        c->cb_fail = CB_NOMEM;
        return;
    }
    c->offs[c->ncell++] = c->tlen;
    if (len)
        memcpy(c->text + c->tlen, s, len);
    c->tlen += len;
    c->text[c->tlen++] = '\0';
}

static void
on_row(int term, void *ud)
{
    (void)term;
    cl_csv *c = ud;
    if (c->cb_fail)
        return;
    if (cl_grow(&c->rows, &c->rcap, c->nrows + 1, sizeof *c->rows)) {
        c->cb_fail = CB_NOMEM;
        return;
    }
    /* Lines are fed one at a time, so a row with no recorded start began
       on the line being fed. */
    row *r = &c->rows[c->nrows++];
    r->first = c->row_first;
    r->n = c->ncell - c->row_first;
    r->line = c->row_line ? c->row_line : c->cur_line;
    c->row_first = c->ncell;
    c->row_line = 0;
}

static cl_err
fail(cl_csv *c, cl_error *err, cl_err code, long line, const char *what)
{
    c->fail = code;
    snprintf(c->fail_msg, sizeof c->fail_msg, "%ld: %s", line, what);
    return cl_error_set(err, code, "%s", c->fail_msg);
}

static cl_err
cb_failure(cl_csv *c, cl_error *err)
{
    if (c->cb_fail == CB_NOMEM)
        return fail(c, err, CL_ENOMEM, c->cur_line, "out of memory");
    return fail(c, err, CL_EINVAL, c->row_line ? c->row_line : c->cur_line,
                "cell longer than 1 MiB");
}

cl_err
cl_csv_open(const char *path, cl_csv **out, cl_error *err)
{
    *out = NULL;
    cl_csv *c = calloc(1, sizeof *c);
    if (!c)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    c->path = strdup(path);
    c->buf = malloc(READ_BLOCK);
    if (!c->path || !c->buf) {
        cl_csv_close(c);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    if (strcmp(path, "-") == 0) {
        c->f = stdin;
    } else {
        c->f = fopen(path, "rb");
        if (!c->f) {
            int e = errno;
            cl_csv_close(c);
            return cl_error_set(err, CL_EINVAL, "cannot open %s: %s", path,
                                strerror(e));
        }
        c->own_f = 1;
    }
    struct stat st;
    if (fstat(fileno(c->f), &st) == 0 && S_ISREG(st.st_mode))
        c->total_bytes = (uint64_t)st.st_size;
    if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        cl_csv_close(c);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    c->inited = 1;
    csv_set_space_func(&c->p, never_space);
    /* libcsv grows a cell's buffer by blk_size at a time (128 bytes by
       default): a cell near CELL_MAX then costs thousands of reallocs,
       each copying the cell so far (16 s under ASan for 1 MiB). */
    csv_set_blk_size(&c->p, CELL_BLOCK);
    c->cur_line = 1;
    *out = c;
    return CL_OK;
}

/* Refills buf from f.  Returns CL_OK (c->eof set at the end) or CL_EIO. */
static cl_err
refill(cl_csv *c, cl_error *err)
{
    c->blen = fread(c->buf, 1, READ_BLOCK, c->f);
    c->bpos = 0;
    if (c->blen == 0) {
        if (ferror(c->f)) {
            c->fail = CL_EIO;
            snprintf(c->fail_msg, sizeof c->fail_msg, "cannot read %s: %s",
                     c->path, strerror(errno));
            return cl_error_set(err, CL_EIO, "%s", c->fail_msg);
        }
        c->eof = 1;
        return CL_OK;
    }
    if (!c->bom_checked) {
        c->bom_checked = 1;
        if (c->blen >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0) {
            c->bpos = 3;
            c->done_bytes += 3;
        }
    }
    return CL_OK;
}

/* Moves the cells of the row in progress to the front of the buffers once
   every queued row has been handed out, so the buffers stay small. */
static void
compact(cl_csv *c)
{
    c->nrows = c->rpos = 0;
    size_t keep = c->ncell - c->row_first;
    if (keep == 0) {
        c->ncell = c->row_first = c->tlen = 0;
        return;
    }
    size_t base = c->offs[c->row_first];
    memmove(c->text, c->text + base, c->tlen - base);
    c->tlen -= base;
    for (size_t i = 0; i < keep; i++)
        c->offs[i] = c->offs[c->row_first + i] - base;
    c->ncell = keep;
    c->row_first = 0;
}

/* Feeds the rest of the current line (or of the block) to libcsv. */
static cl_err
feed(cl_csv *c, cl_error *err)
{
    const unsigned char *s = c->buf + c->bpos;
    size_t avail = c->blen - c->bpos;
    const unsigned char *nl = memchr(s, '\n', avail);
    size_t len = nl ? (size_t)(nl - s) + 1 : avail;

    size_t used = csv_parse(&c->p, s, len, on_cell, on_row, c);
    if (c->cb_fail)
        return cb_failure(c, err);
    if (used != len) {
        int e = csv_error(&c->p);
        if (e == CSV_EPARSE)
            return fail(c, err, CL_EINVAL, c->cur_line, "malformed quoting");
        if (e == CSV_ENOMEM)
            return fail(c, err, CL_ENOMEM, c->cur_line, "out of memory");
        return fail(c, err, CL_EINVAL, c->cur_line, csv_strerror(e));
    }
    c->bpos += len;
    c->done_bytes += len;
    if (c->p.pstate != PSTATE_ROW_NOT_BEGUN && c->row_line == 0)
        c->row_line = c->cur_line;
    /* A cell still open (an unterminated quote) must not grow without
       bound before its row ends. */
    if (c->p.entry_pos > CELL_MAX)
        return fail(c, err, CL_EINVAL, c->row_line ? c->row_line : c->cur_line,
                    "cell longer than 1 MiB");
    if (nl)
        c->cur_line++;
    return CL_OK;
}

static cl_err
finish(cl_csv *c, cl_error *err)
{
    c->done = 1;
    long start = c->row_line ? c->row_line : c->cur_line;
    if (csv_fini(&c->p, on_cell, on_row, c) != 0) {
        if (csv_error(&c->p) == CSV_EPARSE)
            return fail(c, err, CL_EINVAL, start, "unterminated quoted cell");
        return fail(c, err, CL_ENOMEM, start, "out of memory");
    }
    if (c->cb_fail)
        return cb_failure(c, err);
    return CL_OK;
}

cl_err
cl_csv_next(cl_csv *csv, const char *const **cells, size_t *ncells, long *line,
            cl_error *err)
{
    cl_csv *c = csv;
    *cells = NULL;
    *ncells = 0;
    *line = 0;
    if (c->fail)
        return cl_error_set(err, c->fail, "%s", c->fail_msg);
    if (c->rpos == c->nrows)
        compact(c);
    while (c->rpos == c->nrows) {
        if (c->done)
            return CL_OK;
        cl_err rc;
        if (c->bpos < c->blen)
            rc = feed(c, err);
        else if (!c->eof)
            rc = refill(c, err);
        else
            rc = finish(c, err);
        if (rc != CL_OK)
            return rc;
    }
    const row *r = &c->rows[c->rpos++];
    if (cl_grow(&c->ptrs, &c->pcap, r->n + 1, sizeof *c->ptrs) ||
        cl_grow(&c->lens, &c->lcap, r->n + 1, sizeof *c->lens))
        return fail(c, err, CL_ENOMEM, r->line, "out of memory");
    for (size_t i = 0; i < r->n; i++) {
        /* Cells lie one after the other, each with its NUL. */
        size_t k = r->first + i;
        size_t end = k + 1 < c->ncell ? c->offs[k + 1] : c->tlen;
        c->ptrs[i] = c->text + c->offs[k];
        c->lens[i] = end - c->offs[k] - 1;
    }
    c->ptrs[r->n] = NULL;
    *cells = c->ptrs;
    *ncells = r->n;
    *line = r->line;
    return CL_OK;
}

size_t
cl_csv_cell_len(const cl_csv *csv, size_t i)
{
    return csv->lens[i];
}

void
cl_csv_progress(const cl_csv *csv, uint64_t *done, uint64_t *total)
{
    *done = csv->done_bytes;
    *total = csv->total_bytes;
}

void
cl_csv_close(cl_csv *csv)
{
    if (!csv)
        return;
    if (csv->f && csv->own_f)
        fclose(csv->f);
    if (csv->inited)
        csv_free(&csv->p);
    free(csv->path);
    free(csv->buf);
    free(csv->text);
    free(csv->offs);
    free(csv->rows);
    free(csv->ptrs);
    free(csv->lens);
    free(csv);
}

int
cl_csv_is_formula(const char *text)
{
    const char *s = text;
    while (*s == '\'')
        s++;
    return *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
}

size_t
cl_csv_unguard(const char *text, size_t len)
{
    return len > 1 && text[0] == '\'' && cl_csv_is_formula(text + 1) ? 1 : 0;
}

/* One cell, RFC 4180 quoted when it must be, after the guard (or none). */
static int
write_cell(FILE *f, const char *s, const char *guard)
{
    int quote = s[strcspn(s, ",\"\r\n")] != '\0';
    if ((quote && putc('"', f) == EOF) || fputs(guard, f) == EOF)
        return -1;
    if (!quote)
        return fputs(s, f) == EOF ? -1 : 0;
    for (; *s; s++) {
        if (*s == '"' && putc('"', f) == EOF)
            return -1;
        if (putc(*s, f) == EOF)
            return -1;
    }
    return putc('"', f) == EOF ? -1 : 0;
}

/* A row; with guarding set, cells that guard (NULL: all) marks are
   guarded. */
static int
write_row(FILE *f, const char *const *cells, size_t n,
          const unsigned char *guard, int guarding)
{
    for (size_t i = 0; i < n; i++) {
        const char *s = cells[i] ? cells[i] : "";
        int g = guarding && (guard == NULL || guard[i]) && cl_csv_is_formula(s);
        if ((i && putc(',', f) == EOF) || write_cell(f, s, g ? "'" : "") != 0)
            return -1;
    }
    return putc('\n', f) == EOF ? -1 : 0;
}

int
cl_csv_write_row_guarded(FILE *f, const char *const *cells, size_t n,
                         const unsigned char *guard)
{
    return write_row(f, cells, n, guard, 1);
}

int
cl_csv_write_row(FILE *f, const char *const *cells, size_t n)
{
    return write_row(f, cells, n, NULL, 0);
}
