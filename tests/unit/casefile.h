/*
 * casefile.h - the runner of the data-driven unit tests: a table of cases
 * kept in a text file under tests/unit/data/, one case a line, so that
 * adding a case is adding a line.  Include after <cmocka.h>.
 *
 * The format: lines starting with '#' are comments and blank lines are
 * skipped; the first other line is the header, the column names separated
 * by tabs; every later line is a case, its cells separated by tabs, as many
 * as the header has.  In a cell, \t, \n and \\ stand for a tab, a newline
 * and a backslash; the file is UTF-8 and holds other text as it is.
 *
 * Meson passes the directory in CL_UNIT_DATA (tests/unit/meson.build), so
 * a test runs from any build directory; without it the runner falls back
 * to the source tree's path compiled in as CL_UNIT_DATA_DIR.
 */
#ifndef CL_CASEFILE_H
#define CL_CASEFILE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASEFILE_MAX_CELLS 8
#define CASEFILE_MAX_LINE 4096

/*
 * Checks one case: cell[0..ncells-1] are its cells, unescaped.  Returns 0
 * when the case holds, else writes what went wrong to why (whysize bytes)
 * and returns -1; the runner then fails the test naming the file and line.
 */
typedef int (*casefile_check)(char **cell, char *why, size_t whysize);

/* Replaces the escapes of s in place. */
static inline void
casefile_unescape_(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r == '\\' && (r[1] == 't' || r[1] == 'n' || r[1] == '\\')) {
            r++;
            *w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : '\\';
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* Splits line at tabs into cell; returns the number of cells. */
static inline size_t
casefile_split_(char *line, char **cell)
{
    size_t n = 0;
    for (char *p = line;; p++) {
        if (n == CASEFILE_MAX_CELLS)
            return n + 1; /* too many: the caller reports it */
        cell[n++] = p;
        p = strchr(p, '\t');
        if (!p)
            return n;
        *p = '\0';
    }
}

/*
 * Runs check on every case of the file name (e.g. "date_invalid.tsv"),
 * after checking that its header is header (the column names, tab
 * separated).  Fails the test on a missing file, a wrong header, a line
 * with the wrong number of cells, a failing case or a file without cases.
 * Returns the number of cases checked.
 */
static inline size_t
casefile_run(const char *name, const char *header, casefile_check check)
{
    const char *dir = getenv("CL_UNIT_DATA");
#ifdef CL_UNIT_DATA_DIR
    if (!dir || !*dir)
        dir = CL_UNIT_DATA_DIR;
#endif
    if (!dir)
        fail_msg("CL_UNIT_DATA is not set");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    size_t ncols = 1;
    for (const char *p = header; *p; p++)
        ncols += *p == '\t';
    static char line[CASEFILE_MAX_LINE];
    char *cell[CASEFILE_MAX_CELLS + 1];
    char why[512];
    long lineno = 0;
    size_t cases = 0;
    int seen_header = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        else if (!feof(f))
            fail_msg("%s:%ld: line longer than %d bytes", name, lineno,
                     CASEFILE_MAX_LINE - 2);
        if (len == 0 || line[0] == '#')
            continue;
        if (!seen_header) {
            if (strcmp(line, header) != 0)
                fail_msg("%s:%ld: header is '%s', expected '%s'", name, lineno,
                         line, header);
            seen_header = 1;
            continue;
        }
        size_t n = casefile_split_(line, cell);
        if (n != ncols)
            fail_msg("%s:%ld: %zu cells, the header has %zu", name, lineno, n,
                     ncols);
        for (size_t i = 0; i < n; i++)
            casefile_unescape_(cell[i]);
        why[0] = '\0';
        if (check(cell, why, sizeof why) != 0)
            fail_msg("%s:%ld: %s", name, lineno, why);
        cases++;
    }
    fclose(f);
    if (cases == 0)
        fail_msg("%s: no cases", name);
    return cases;
}

#endif
