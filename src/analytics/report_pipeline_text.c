/*
 * report_pipeline_text.c - the pipeline report written as JSON text.
 *
 * The report lists every flagged open deal: 6,236 of them and 2.7 MB at
 * 100,000 accounts, ten times that at a million.  As a jansson tree it
 * cost more than finding the flags: building it (a few dozen allocations a
 * deal), printing it (a callback and a key sort per object) and freeing it
 * were 60% of `report pipeline`'s instructions.  The CLI writes this text
 * instead; it is byte for byte what json_dumpf(JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER) prints for cl_report_pipeline's document
 * (tests/unit/test_report_pipeline.c holds the two equal), so the
 * JSON contract is the tree's.  The API keeps the tree, which it pages.
 */
#include "report.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "pipeline.h"

static void
put_str_or_null(cl_buf *b, const char *s)
{
    if (s)
        cl_buf_json_str(b, s);
    else
        cl_buf_add(b, "null", 4);
}

/* cl_json_num(v, decimals) as jansson prints it: whole numbers as
   integers, other reals with %.17g, a ".0" when that reads as an integer,
   and the exponent without '+' or leading zeros. */
static void
put_num(cl_buf *b, double v, int decimals)
{
    char t[48];
    if (isnan(v) || isinf(v)) {
        cl_buf_add(b, "null", 4);
        return;
    }
    double f = pow(10, decimals);
    double r = round(v * f) / f;
    if (r == floor(r) && fabs(r) < 9e15) {
        cl_buf_printf(b, "%" PRId64, (int64_t)r);
        return;
    }
    int n = snprintf(t, sizeof t, "%.17g", r);
    if (n < 0 || (size_t)n >= sizeof t - 2) {
        b->oom = 1;
        return;
    }
    if (strchr(t, '.') == NULL && strchr(t, 'e') == NULL) {
        memcpy(t + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(t, 'e');
    if (e) {
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, strlen(end) + 1);
            n = (int)strlen(t);
        }
    }
    cl_buf_add(b, t, (size_t)n);
}

/* ",\n" or "\n" and the indentation of depth (two spaces a level). */
static void
put_line(cl_buf *b, int comma, int depth)
{
    static const char spaces[] = "                    ";
    if (comma)
        cl_buf_add(b, ",", 1);
    cl_buf_add(b, "\n", 1);
    cl_buf_add(b, spaces, (size_t)(2 * depth));
}

static void
put_key(cl_buf *b, int comma, int depth, const char *key)
{
    put_line(b, comma, depth);
    cl_buf_json_str(b, key);
    cl_buf_add(b, ": ", 2);
}

static void
put_deal(cl_buf *b, const cl_snapshot *s, const cl_pipeline_deal *f,
         size_t rank)
{
    int32_t d = f->d, a = s->deal_account[d], ae = s->deal_ae[d];
    cl_buf_add(b, "{", 1);
    put_key(b, 0, 3, "deal_id");
    cl_buf_json_str(b, s->deal_id[d]);
    put_key(b, 1, 3, "account_id");
    put_str_or_null(b, a < 0 ? NULL : s->account_id[a]);
    put_key(b, 1, 3, "account");
    put_str_or_null(b, a < 0 ? NULL : s->account_name[a]);
    put_key(b, 1, 3, "ae_id");
    put_str_or_null(b, ae < 0 ? NULL : s->user_id[ae]);
    put_key(b, 1, 3, "stage");
    put_str_or_null(b, cl_snapshot_str(s, s->deal_stage[d]));
    put_key(b, 1, 3, "arr");
    put_num(b, s->deal_arr[d], 2);
    put_key(b, 1, 3, "flags");
    cl_buf_add(b, "[", 1);
    for (size_t k = 0; k < f->nflags; k++) {
        const cl_pipeline_flag *x = &f->flags[k];
        put_line(b, k > 0, 4);
        cl_buf_add(b, "{", 1);
        put_key(b, 0, 5, "flag");
        cl_buf_json_str(b, cl_wf_pf_name(x->kind));
        put_key(b, 1, 5, "reason");
        cl_buf_json_str(b, x->reason);
        put_key(b, 1, 5, "evidence");
        put_num(b, x->evidence, 2);
        put_key(b, 1, 5, "reason_words");
        cl_buf_json_str(b, x->reason_words);
        put_line(b, 0, 4);
        cl_buf_add(b, "}", 1);
    }
    put_line(b, 0, 3);
    cl_buf_add(b, "]", 1);
    put_key(b, 1, 3, "rank");
    cl_buf_printf(b, "%zu", rank);
    put_line(b, 0, 2);
    cl_buf_add(b, "}", 1);
}

cl_err
cl_report_pipeline_text(const cl_snapshot *s, const cl_report_opts *o,
                        cl_buf *out, cl_error *err)
{
    cl_pipeline p;
    cl_pipeline_deal *f;
    size_t nf, counts[CL_WF_PF_COUNT];
    cl_err rc;
    if ((rc = cl_pipeline_flags(s, o->today, &p, err)) != CL_OK)
        return rc;
    if ((rc = cl_pipeline_rank(s, &p, &f, &nf, counts, err)) != CL_OK) {
        cl_pipeline_release(&p);
        return rc;
    }
    char day[11];
    int32_t v = p.icp;
    cl_buf_add(out, "{", 1);
    put_key(out, 0, 1, "as_of");
    if (o->today == CL_DAY_NONE)
        cl_buf_add(out, "null", 4);
    else {
        cl_date_format(o->today, day);
        cl_buf_json_str(out, day);
    }
    put_key(out, 1, 1, "icp_version");
    if (v < 0)
        cl_buf_add(out, "null", 4);
    else
        cl_buf_printf(out, "%" PRId32, s->icp_version[v]);
    put_key(out, 1, 1, "churn_patterns");
    cl_buf_printf(out, "%zu", p.churn_patterns);
    put_key(out, 1, 1, "summary");
    cl_buf_add(out, "{", 1);
    put_key(out, 0, 2, "open_deals");
    cl_buf_printf(out, "%zu", p.open_deals);
    put_key(out, 1, 2, "flagged");
    cl_buf_printf(out, "%zu", nf);
    for (size_t t = 0; t < CL_WF_PF_COUNT; t++) {
        cl_wf_pf k = cl_pipeline_summary_order[t];
        put_key(out, 1, 2, cl_wf_pf_name(k));
        cl_buf_printf(out, "%zu", counts[k]);
    }
    put_line(out, 0, 1);
    cl_buf_add(out, "}", 1);
    put_key(out, 1, 1, "deals");
    if (nf == 0)
        cl_buf_add(out, "[]", 2);
    else {
        cl_buf_add(out, "[", 1);
        for (size_t i = 0; i < nf; i++) {
            put_line(out, i > 0, 2);
            put_deal(out, s, &f[i], i + 1);
        }
        put_line(out, 0, 1);
        cl_buf_add(out, "]", 1);
    }
    put_line(out, 0, 0);
    cl_buf_add(out, "}", 1);
    free(f);
    cl_pipeline_release(&p);
    if (out->oom)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    return CL_OK;
}
