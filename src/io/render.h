/*
 * render.h - reports for people: Markdown, CSV and self-contained HTML.
 *
 * Every rendering is made from the report's JSON document, so the figures a
 * person reads are the figures the machine contract carries.
 */
#ifndef CL_RENDER_H
#define CL_RENDER_H

#include <jansson.h>
#include <stdio.h>

#include "../core/err.h"

typedef enum cl_format {
    CL_FORMAT_JSON,
    CL_FORMAT_MD,
    CL_FORMAT_CSV,
    CL_FORMAT_HTML
} cl_format;

/* Parses "json", "md", "csv", "html"; returns -1 for anything else. */
int cl_format_parse(const char *name);

/*
 * Writes doc as format to f.  name is the report's name ("bad-fit",
 * "patterns", ...) and title its human title.  HTML is one file with inline
 * CSS and SVG charts that opens offline.
 *   CL_EIO  writing failed
 */
cl_err cl_render(const char *name, const char *title, json_t *doc,
                 cl_format format, FILE *f, cl_error *err);

#endif
