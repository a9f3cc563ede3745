/* Unit tests: the CSV reader and writer (io/csv.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "io/csv.h"

/* Writes len bytes of data to a new temporary file; returns its path. */
static char *
write_temp(const char *data, size_t len)
{
    char *path = strdup("/tmp/cl_test_csv_XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

static cl_csv *
open_text(const char *data, char **path)
{
    *path = write_temp(data, strlen(data));
    cl_csv *c = NULL;
    cl_error err;
    assert_int_equal(cl_csv_open(*path, &c, &err), CL_OK);
    return c;
}

static void
close_and_remove(cl_csv *c, char *path)
{
    cl_csv_close(c);
    unlink(path);
    free(path);
}

/* Reads the next row, expecting success, n cells and the given line. */
static const char *const *
expect_row(cl_csv *c, size_t n, long line)
{
    const char *const *cells;
    size_t ncells;
    long l;
    cl_error err;
    cl_err rc = cl_csv_next(c, &cells, &ncells, &l, &err);
    if (rc != CL_OK)
        fail_msg("cl_csv_next: %s", err.msg);
    assert_int_equal(ncells, n);
    assert_int_equal(l, line);
    return cells;
}

static void
expect_end(cl_csv *c)
{
    const char *const *cells;
    size_t ncells = 99;
    long l;
    cl_error err;
    assert_int_equal(cl_csv_next(c, &cells, &ncells, &l, &err), CL_OK);
    assert_int_equal(ncells, 0);
}

/* Reads rows until an error, which must be CL_EINVAL with msg. */
static void
expect_error(cl_csv *c, const char *msg)
{
    const char *const *cells;
    size_t ncells;
    long l;
    cl_error err;
    for (int i = 0; i < 100; i++) {
        cl_err rc = cl_csv_next(c, &cells, &ncells, &l, &err);
        if (rc != CL_OK) {
            assert_int_equal(rc, CL_EINVAL);
            assert_string_equal(err.msg, msg);
            /* The error is sticky: the reader does not resume mid-row. */
            assert_int_equal(cl_csv_next(c, &cells, &ncells, &l, &err),
                             CL_EINVAL);
            assert_string_equal(err.msg, msg);
            return;
        }
        if (ncells == 0)
            fail_msg("end of input, expected error '%s'", msg);
    }
    fail_msg("no error after 100 rows, expected '%s'", msg);
}

static void
test_plain_rows(void **state)
{
    (void)state;
    char *path;
    cl_csv *c = open_text("id,name\n1,Acme\n2,Globex\n", &path);
    const char *const *r = expect_row(c, 2, 1);
    assert_string_equal(r[0], "id");
    assert_string_equal(r[1], "name");
    r = expect_row(c, 2, 2);
    assert_string_equal(r[0], "1");
    assert_string_equal(r[1], "Acme");
    r = expect_row(c, 2, 3);
    assert_string_equal(r[1], "Globex");
    expect_end(c);
    expect_end(c);
    close_and_remove(c, path);
}

static void
test_quoted_cells(void **state)
{
    (void)state;
    char *path;
    cl_csv *c = open_text("a,b,c\n"
                          "\"Acme, Inc.\",\"say \"\"hi\"\"\",\"\"\n"
                          " spaced , x ,\n",
                          &path);
    expect_row(c, 3, 1);
    const char *const *r = expect_row(c, 3, 2);
    assert_string_equal(r[0], "Acme, Inc.");
    assert_string_equal(r[1], "say \"hi\"");
    assert_string_equal(r[2], "");
    /* Spaces are data (RFC 4180); a trailing comma is one more empty cell. */
    r = expect_row(c, 3, 3);
    assert_string_equal(r[0], " spaced ");
    assert_string_equal(r[1], " x ");
    assert_string_equal(r[2], "");
    expect_end(c);
    close_and_remove(c, path);
}

static void
test_multiline_row_reports_its_first_line(void **state)
{
    (void)state;
    char *path;
    cl_csv *c = open_text("id,note\n"
                          "1,\"first line\nsecond line\nthird\"\n"
                          "2,after\n"
                          "\"multi\nline id\",x\n"
                          "3,last\n",
                          &path);
    expect_row(c, 2, 1);
    const char *const *r = expect_row(c, 2, 2);
    assert_string_equal(r[1], "first line\nsecond line\nthird");
    r = expect_row(c, 2, 5);
    assert_string_equal(r[0], "2");
    r = expect_row(c, 2, 6);
    assert_string_equal(r[0], "multi\nline id");
    r = expect_row(c, 2, 8);
    assert_string_equal(r[1], "last");
    expect_end(c);
    close_and_remove(c, path);
}

static void
test_crlf_bom_and_empty_lines(void **state)
{
    (void)state;
    char *path;
    cl_csv *c = open_text("\xEF\xBB\xBFid,name\r\n"
                          "\r\n"
                          "1,\"two\r\nlines\"\r\n"
                          "\n"
                          "\n"
                          "2,b\r\n"
                          "3,no final newline",
                          &path);
    const char *const *r = expect_row(c, 2, 1);
    assert_string_equal(r[0], "id"); /* no BOM bytes in the first cell */
    assert_string_equal(r[1], "name");
    r = expect_row(c, 2, 3);
    assert_string_equal(r[0], "1");
    assert_string_equal(r[1], "two\r\nlines");
    r = expect_row(c, 2, 7);
    assert_string_equal(r[1], "b");
    r = expect_row(c, 2, 8);
    assert_string_equal(r[1], "no final newline");
    expect_end(c);
    close_and_remove(c, path);
}

static void
test_malformed_quoting_names_its_line(void **state)
{
    (void)state;
    char *path;
    cl_csv *c = open_text("id,name\n1,ok\n2,\"Acme\"x\n3,never\n", &path);
    expect_row(c, 2, 1);
    expect_row(c, 2, 2);
    expect_error(c, "3: malformed quoting");
    close_and_remove(c, path);

    c = open_text("id,name\n\n1,Ac\"me\n", &path);
    expect_row(c, 2, 1);
    expect_error(c, "3: malformed quoting");
    close_and_remove(c, path);
}

static void
test_unterminated_quote_names_the_row_start(void **state)
{
    (void)state;
    char *path;
    cl_csv *c =
        open_text("id,name\n1,ok\n2,\"never closed\nmore\nand more\n", &path);
    expect_row(c, 2, 1);
    expect_row(c, 2, 2);
    expect_error(c, "3: unterminated quoted cell");
    close_and_remove(c, path);
}

static void
test_cell_longer_than_1_mib_refused(void **state)
{
    (void)state;
    size_t n = 1024 * 1024 + 10;
    char *data = malloc(n + 32);
    assert_non_null(data);
    strcpy(data, "id,name\n1,");
    size_t o = strlen(data);
    memset(data + o, 'x', n);
    o += n;
    data[o++] = '\n';
    char *path = write_temp(data, o);
    free(data);
    cl_csv *c = NULL;
    cl_error err;
    assert_int_equal(cl_csv_open(path, &c, &err), CL_OK);
    expect_row(c, 2, 1);
    expect_error(c, "2: cell longer than 1 MiB");
    close_and_remove(c, path);
}

/* A NUL byte inside a cell is kept in the cell's length, so the importer
 * can see that strlen() would cut the cell short. */
static void
test_nul_byte_in_a_cell_is_visible(void **state)
{
    (void)state;
    static const char data[] = "id,name\n1,ab\0cd\n\"2\",\"x\0\"\n3,ok\n";
    char *path = write_temp(data, sizeof data - 1);
    cl_csv *c = NULL;
    cl_error err;
    assert_int_equal(cl_csv_open(path, &c, &err), CL_OK);
    expect_row(c, 2, 1);
    assert_int_equal(cl_csv_cell_len(c, 0), 2);
    const char *const *r = expect_row(c, 2, 2);
    assert_string_equal(r[0], "1");
    assert_int_equal(cl_csv_cell_len(c, 0), 1);
    assert_int_equal(cl_csv_cell_len(c, 1), 5);
    assert_int_equal(strlen(r[1]), 2);
    assert_memory_equal(r[1], "ab\0cd", 6);
    /* Quoted too. */
    r = expect_row(c, 2, 3);
    assert_int_equal(cl_csv_cell_len(c, 1), 2);
    assert_int_equal(strlen(r[1]), 1);
    r = expect_row(c, 2, 4);
    assert_int_equal(cl_csv_cell_len(c, 1), 2);
    expect_end(c);
    close_and_remove(c, path);
}

static void
test_missing_file_is_named(void **state)
{
    (void)state;
    cl_csv *c = (cl_csv *)1;
    cl_error err;
    assert_int_equal(cl_csv_open("/nonexistent/x.csv", &c, &err), CL_EINVAL);
    assert_null(c);
    assert_non_null(strstr(err.msg, "/nonexistent/x.csv"));
}

static void
test_dash_reads_stdin(void **state)
{
    (void)state;
    char *path = write_temp("a,b\n1,2\n", 8);
    assert_non_null(freopen(path, "rb", stdin));
    cl_csv *c = NULL;
    cl_error err;
    assert_int_equal(cl_csv_open("-", &c, &err), CL_OK);
    expect_row(c, 2, 1);
    const char *const *r = expect_row(c, 2, 2);
    assert_string_equal(r[1], "2");
    expect_end(c);
    close_and_remove(c, path);
}

static void
test_200000_rows_and_progress(void **state)
{
    (void)state;
    enum { ROWS = 200000 };
    char *path = strdup("/tmp/cl_test_csv_big_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    fputs("id,name,arr,note\n", f);
    for (int i = 0; i < ROWS; i++) {
        if (i % 1000 == 7)
            fprintf(f, "d%d,\"Acme %d, Inc.\",%d.50,\"two\nlines\"\n", i, i, i);
        else
            fprintf(f, "d%d,Acme %d,%d,plain\n", i, i, i);
    }
    assert_int_equal(fclose(f), 0);

    cl_csv *c = NULL;
    cl_error err;
    assert_int_equal(cl_csv_open(path, &c, &err), CL_OK);
    uint64_t done, total;
    cl_csv_progress(c, &done, &total);
    assert_int_equal(done, 0);
    assert_true(total > 4000000);

    const char *const *cells;
    size_t n;
    long line, expect_line = 2;
    long rows = -1;
    char want[32];
    for (;;) {
        assert_int_equal(cl_csv_next(c, &cells, &n, &line, &err), CL_OK);
        if (n == 0)
            break;
        if (rows >= 0) {
            assert_int_equal(n, 4);
            assert_int_equal(line, expect_line);
            snprintf(want, sizeof want, "d%ld", rows);
            assert_string_equal(cells[0], want);
            expect_line += rows % 1000 == 7 ? 2 : 1;
        }
        rows++;
    }
    assert_int_equal(rows, ROWS);
    cl_csv_progress(c, &done, &total);
    assert_int_equal(done, total);
    close_and_remove(c, path);
}

static void
test_writer_round_trip(void **state)
{
    (void)state;
    const char *rows[3][4] = {
        {"id", "name", "note", "empty"},
        {"1", "Acme, Inc.", "say \"hi\"", NULL},
        {"2", " spaced ", "line one\nline two\r\nthree", ""},
    };
    char *path = strdup("/tmp/cl_test_csv_w_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    for (int i = 0; i < 3; i++)
        assert_int_equal(cl_csv_write_row(f, rows[i], 4), 0);
    assert_int_equal(fclose(f), 0);

    /* The exact bytes: only cells that need quoting are quoted. */
    f = fopen(path, "rb");
    char buf[512];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    buf[len] = '\0';
    fclose(f);
    assert_string_equal(buf, "id,name,note,empty\n"
                             "1,\"Acme, Inc.\",\"say \"\"hi\"\"\",\n"
                             "2, spaced ,\"line one\nline two\r\nthree\",\n");

    cl_csv *c = NULL;
    cl_error err;
    assert_int_equal(cl_csv_open(path, &c, &err), CL_OK);
    long lines[3] = {1, 2, 3};
    for (int i = 0; i < 3; i++) {
        const char *const *r = expect_row(c, 4, lines[i]);
        for (int j = 0; j < 4; j++)
            assert_string_equal(r[j], rows[i][j] ? rows[i][j] : "");
    }
    expect_end(c);
    close_and_remove(c, path);
}

/* Text a spreadsheet would run as a formula gets an apostrophe where the
 * caller asks for it; numbers passed unguarded stay numbers. */
static void
test_guarded_writer(void **state)
{
    (void)state;
    const char *row[] = {"=HYPERLINK(\"http://x\",\"y\")",
                         "-5",
                         "-5",
                         "+1",
                         "@x",
                         "\tt",
                         "\rr",
                         "'=q",
                         "'ok",
                         "a=b",
                         ""};
    const unsigned char guard[] = {1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(cl_csv_write_row_guarded(f, row, 11, guard), 0);
    fclose(f);
    assert_string_equal(buf, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","
                             "'-5,-5,'+1,'@x,'\tt,\"'\rr\",''=q,'ok,a=b,\n");
    free(buf);
    assert_true(cl_csv_is_formula("=1"));
    assert_true(cl_csv_is_formula("''-1"));
    assert_false(cl_csv_is_formula("'"));
    assert_false(cl_csv_is_formula(""));
    assert_int_equal(cl_csv_unguard("'=1", 3), 1);
    assert_int_equal(cl_csv_unguard("''=1", 4), 1);
    assert_int_equal(cl_csv_unguard("'ok", 3), 0);
    assert_int_equal(cl_csv_unguard("'", 1), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_rows),
        cmocka_unit_test(test_quoted_cells),
        cmocka_unit_test(test_multiline_row_reports_its_first_line),
        cmocka_unit_test(test_crlf_bom_and_empty_lines),
        cmocka_unit_test(test_malformed_quoting_names_its_line),
        cmocka_unit_test(test_unterminated_quote_names_the_row_start),
        cmocka_unit_test(test_cell_longer_than_1_mib_refused),
        cmocka_unit_test(test_nul_byte_in_a_cell_is_visible),
        cmocka_unit_test(test_missing_file_is_named),
        cmocka_unit_test(test_dash_reads_stdin),
        cmocka_unit_test(test_200000_rows_and_progress),
        cmocka_unit_test(test_writer_round_trip),
        cmocka_unit_test(test_guarded_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
