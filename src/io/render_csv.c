/*
 * render_csv.c - the tables of a report as CSV sections.
 *
 * Every array of flat objects becomes one section: a line "# NAME" (the
 * field's name, dotted when nested in an object), a header of field names,
 * and the rows, RFC 4180 quoted.  An array of groups that each hold one table
 * (retention's cohorts and their points) is one section whose rows repeat the
 * group's own fields first.  The scalars (dotted for nested objects) come
 * first as the section "summary" with columns field,value.  Sections are
 * separated by a blank line.  Values are raw: numbers as in the JSON,
 * true/false, empty for null, arrays inside a row joined with "; ".  Text
 * that a spreadsheet would run as a formula ("=HYPERLINK(...)" in a stated
 * reason) gets a leading apostrophe.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "render_int.h"

/* A cell's text as a machine reads it: raw numbers, true/false, empty for
   null, nested values joined with "; ".  The caller frees it. */
static char *
csv_text(const char *key, json_t *v)
{
    char *s = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&s, &n);
    if (!m)
        return NULL;
    if (json_is_string(v))
        fputs(json_string_value(v), m);
    else if (json_is_integer(v))
        fprintf(m, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        fprintf(m, "%.15g", json_real_value(v));
    else if (json_is_boolean(v))
        fputs(json_is_true(v) ? "true" : "false", m);
    else if (json_is_object(v)) {
        const char *k;
        json_t *x;
        size_t i = 0;
        json_object_foreach(v, k, x)
        {
            char *t = csv_text(k, x);
            fprintf(m, "%s%s: %s", i++ ? "; " : "", k, t ? t : "");
            free(t);
        }
    } else if (json_is_array(v)) {
        json_t *arr = v, *e;
        size_t i;
        json_array_foreach(arr, i, e)
        {
            if (i > 0)
                fputs("; ", m);
            if (json_is_object(e)) {
                const char *k;
                json_t *x;
                size_t j = 0, cnt = json_object_size(e);
                json_object_foreach(e, k, x)
                {
                    char *t = csv_text(k, x);
                    fputs(j++ ? (cnt == 2 ? ": " : " ") : "", m);
                    fputs(t ? t : "", m);
                    free(t);
                }
            } else {
                char *t = csv_text(key, e);
                fputs(t ? t : "", m);
                free(t);
            }
        }
    }
    fclose(m);
    return s;
}

/* Writes one row of n texts and frees them.  Cells whose guard is set
   (NULL: all) and that a spreadsheet would run as a formula get a leading
   apostrophe (csv.h); numbers and booleans are passed unguarded, so -5
   stays a number. */
static int
csv_row(FILE *f, char **cells, size_t n, const unsigned char *guard)
{
    int rc = cl_csv_write_row_guarded(f, (const char *const *)cells, n, guard);
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    return rc;
}

/*
 * One section: "# NAME", the header, the rows.  With parents (an array of
 * groups), the rows are each parent's child table, and the parent's other
 * fields are prepended to each row (retention's cohort before its points).
 */
static int
csv_section(FILE *f, const char *name, json_t *rows, json_t *parents,
            const char *child, int *first)
{
    if (!*first && fputc('\n', f) == EOF)
        return -1;
    *first = 0;
    if (fprintf(f, "# %s\n", name) < 0)
        return -1;
    json_t *pcols = parents ? json_array() : NULL, *cols, *c;
    size_t i, j, k;
    /* Parent columns: the parents' scalar fields. */
    if (parents) {
        json_t *all = cl__columns(parents);
        json_array_foreach(all, j, c)
        {
            if (strcmp(json_string_value(c), child) != 0)
                json_array_append(pcols, c);
        }
        json_decref(all);
    }
    if (parents) {
        json_t *p;
        rows = json_array();
        json_array_foreach(parents, i, p)
        {
            json_array_extend(rows, json_object_get(p, child));
        }
        cols = cl__columns(rows);
        json_decref(rows);
        rows = NULL;
    } else {
        cols = cl__columns(rows);
    }
    size_t np = pcols ? json_array_size(pcols) : 0, nc = json_array_size(cols);
    char **cells = calloc(np + nc + 1, sizeof *cells);
    unsigned char *guard = calloc(np + nc + 1, 1);
    if (!cells || !guard) {
        free(cells);
        free(guard);
        json_decref(cols);
        json_decref(pcols);
        return -1;
    }
    for (j = 0; j < np; j++)
        cells[j] = strdup(json_string_value(json_array_get(pcols, j)));
    for (j = 0; j < nc; j++)
        cells[np + j] = strdup(json_string_value(json_array_get(cols, j)));
    int rc = csv_row(f, cells, np + nc, NULL);
    json_t *row, *parent;
    size_t np_rows = parents ? json_array_size(parents) : 1;
    for (k = 0; rc == 0 && k < np_rows; k++) {
        parent = parents ? json_array_get(parents, k) : NULL;
        json_t *r = parent ? json_object_get(parent, child) : rows;
        json_array_foreach(r, i, row)
        {
            for (j = 0; j < np; j++) {
                const char *key = json_string_value(json_array_get(pcols, j));
                json_t *v = json_object_get(parent, key);
                cells[j] = v ? csv_text(key, v) : strdup("");
                guard[j] = !json_is_number(v);
            }
            for (j = 0; j < nc; j++) {
                const char *key = json_string_value(json_array_get(cols, j));
                json_t *v = json_object_get(row, key);
                cells[np + j] = v ? csv_text(key, v) : strdup("");
                guard[np + j] = !json_is_number(v);
            }
            if ((rc = csv_row(f, cells, np + nc, guard)) != 0)
                break;
        }
    }
    free(cells);
    free(guard);
    json_decref(cols);
    json_decref(pcols);
    return rc;
}

/* The one table field of every element of a group array, or NULL. */
static const char *
groups_child_table(json_t *a)
{
    const char *child = NULL, *key;
    json_t *e, *v;
    size_t i;
    json_array_foreach(a, i, e)
    {
        json_object_foreach(e, key, v)
        {
            if (cl__is_scalar(v) || json_is_null(v))
                continue;
            if (!cl__is_table(v) &&
                !(json_is_array(v) && json_array_size(v) == 0))
                return NULL;
            if (child && strcmp(child, key) != 0)
                return NULL;
            child = key;
        }
    }
    return child;
}

/* Collects the scalars of obj (dotted names for nested objects) into
   summary and writes its tables as sections. */
static int
csv_walk(FILE *f, json_t *obj, const char *prefix, json_t *summary,
         json_t *tables)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        char name[256];
        snprintf(name, sizeof name, "%s%s", prefix, key);
        if (cl__is_scalar(v) || (json_is_array(v) && json_array_size(v) == 0)) {
            json_array_append_new(summary, json_pack("[s,O]", name, v));
        } else if (json_is_object(v)) {
            char sub[sizeof name + 1];
            snprintf(sub, sizeof sub, "%s.", name);
            csv_walk(f, v, sub, summary, tables);
        } else if (cl__is_table(v) ||
                   (cl__is_groups(v) && groups_child_table(v))) {
            json_array_append_new(tables, json_pack("[s,O]", name, v));
        }
    }
    return 0;
}

int
cl__render_csv(json_t *doc, FILE *f)
{
    json_t *summary = json_array(), *tables = json_array(), *t;
    int first = 1, rc = 0;
    size_t i;
    csv_walk(f, doc, "", summary, tables);
    if (json_array_size(summary) > 0) {
        json_t *rows = json_array(), *p;
        json_array_foreach(summary, i, p)
        {
            json_array_append_new(rows, json_pack("{s:O,s:O}", "field",
                                                  json_array_get(p, 0), "value",
                                                  json_array_get(p, 1)));
        }
        rc = csv_section(f, "summary", rows, NULL, NULL, &first);
        json_decref(rows);
    }
    json_array_foreach(tables, i, t)
    {
        const char *name = json_string_value(json_array_get(t, 0));
        json_t *a = json_array_get(t, 1);
        if (rc != 0)
            break;
        if (cl__is_table(a))
            rc = csv_section(f, name, a, NULL, NULL, &first);
        else
            rc = csv_section(f, name, NULL, a, groups_child_table(a), &first);
    }
    json_decref(summary);
    json_decref(tables);
    return rc;
}
