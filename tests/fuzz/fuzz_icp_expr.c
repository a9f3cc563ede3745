/*
 * fuzz_icp_expr.c - libFuzzer target: the ICP criteria parser, formatter
 * and evaluator (core/icp_expr.h).
 *
 * The input is the criteria text.  Beyond "does not crash", it checks the
 * promise icp_expr.h makes: the canonical text of a parsed expression
 * parses again and renders identically, and evaluation gives 1, 0 or -1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/icp_expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Values the evaluator sees: a few of each type, some unreadable, chosen by
   the field name's length so every field gets a fixed value. */
static const char *
lookup(void *ud, const char *field)
{
    static const char *const vals[] = {"50", "true",    "director", "SaaS",
                                       "",   "n/a",     "-3.5",     "false",
                                       NULL, "c_level", "1e400",    "boss"};
    unsigned seed = *(const unsigned *)ud;
    return vals[(strlen(field) + seed) % (sizeof vals / sizeof vals[0])];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    cl_icp_expr *e = NULL;
    cl_error err;
    cl_error_clear(&err);
    cl_err rc = cl_icp_expr_parse(text, &e, &err);
    if (rc != CL_OK) {
        /* A syntax error is one line naming the position. */
        if (e != NULL ||
            (rc == CL_EINVAL && strncmp(err.msg, "position ", 9) != 0))
            abort();
        free(text);
        return 0;
    }
    char *canon = cl_icp_expr_format(e);
    if (canon) {
        cl_icp_expr *again = NULL;
        cl_error_clear(&err);
        if (cl_icp_expr_parse(canon, &again, &err) != CL_OK) {
            fprintf(stderr, "canonical text does not parse: %s\n  %s\n", canon,
                    err.msg);
            abort();
        }
        char *canon2 = cl_icp_expr_format(again);
        if (canon2 && strcmp(canon, canon2) != 0) {
            fprintf(stderr, "format is not stable:\n  %s\n  %s\n", canon,
                    canon2);
            abort();
        }
        free(canon2);
        cl_icp_expr_free(again);
    }
    free(canon);
    for (unsigned seed = 0; seed < 4; seed++) {
        int v = cl_icp_expr_eval(e, lookup, &seed);
        if (v < -1 || v > 1)
            abort();
    }
    cl_icp_expr_free(e);
    free(text);
    return 0;
}
