/*
 * report.h - the reports: pure functions from a snapshot to a JSON document.
 *
 * JSON is the machine contract (field names in snake_case, numbers as
 * numbers, dates as YYYY-MM-DD); the md, csv and html renderings in
 * io/render.h are made from the same document.  Each report lives in its
 * own report_NAME.c and is listed once in the reports[] table of report.c.
 * Team-facing reports never name an AE; only a private view (coaching, RevOps)
 * may, and only where the report says so.
 */
#ifndef CL_REPORT_H
#define CL_REPORT_H

#include <jansson.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/date.h"
#include "../core/err.h"
#include "snapshot.h"

typedef struct cl_report_opts {
    cl_period period; /* a month or a quarter, as the report asks */
    cl_day today;     /* "now": ages, open pipeline, what is overdue */
    int private_view; /* 1: the viewer may see individual AEs */
    /* 1: the viewer may read, and so count on, every review's private
       answers (Q7's gut read): the ICP review's segments and the patterns
       use them only then (docs/visibility.md). */
    int private_answers;
} cl_report_opts;

/*
 * Builds a report.  On success *out is a new JSON object the caller
 * releases with json_decref.
 */
typedef cl_err (*cl_report_fn)(const cl_snapshot *s, const cl_report_opts *o,
                               json_t **out, cl_error *err);

typedef enum cl_report_period {
    CL_REPORT_MONTH,   /* --period YYYY-MM, default the last full month */
    CL_REPORT_QUARTER, /* --period YYYYQn, default the last full quarter */
    CL_REPORT_NOW      /* as of today; no period */
} cl_report_period;

/*
 * Writes a report's JSON as text into out: exactly what json_dumpf(doc,
 * JSON_INDENT(2) | JSON_PRESERVE_ORDER) prints for the document its build
 * function makes, without the tree, for a report whose tree costs more
 * than its figures.  CL_OK, or an error (out then holds a part).
 */
typedef cl_err (*cl_report_text_fn)(const cl_snapshot *s,
                                    const cl_report_opts *o, cl_buf *out,
                                    cl_error *err);

typedef struct cl_report_def {
    const char *name;  /* monthly, bad-fit, icp, recovery, health, audit,
                          pipeline, patterns */
    const char *title; /* for people: "Monthly churn debrief" */
    cl_report_period period;
    cl_report_fn build;
    cl_report_text_fn text; /* NULL: render build's document */
} cl_report_def;

/* The reports in display order; *n receives their count. */
const cl_report_def *cl_reports(size_t *n);

/* The report called name, or NULL. */
const cl_report_def *cl_report_find(const char *name);

/*
 * The period a report covers when none is given: the last complete month
 * or quarter before today.
 */
cl_period cl_report_default_period(cl_report_period kind, cl_day today);

/*
 * The period def covers for text as of today: text NULL gives the default
 * period (a report as of today covers today's quarter).  CL_EINVAL with a
 * one-line message otherwise: text that is no period, a period of the other
 * kind, any period for a report as of today.  The message names neither
 * the CLI option nor the query field: the caller adds its own.  The one
 * rule for the CLI, the API and the pack.
 */
cl_err cl_report_resolve_period(const cl_report_def *def, const char *text,
                                cl_day today, cl_period *out, cl_error *err);

/* The builders (report_*.c). */
cl_err cl_report_monthly(const cl_snapshot *, const cl_report_opts *,
                         json_t **, cl_error *);
cl_err cl_report_bad_fit(const cl_snapshot *, const cl_report_opts *,
                         json_t **, cl_error *);
cl_err cl_report_icp(const cl_snapshot *, const cl_report_opts *, json_t **,
                     cl_error *);
cl_err cl_report_recovery(const cl_snapshot *, const cl_report_opts *,
                          json_t **, cl_error *);
cl_err cl_report_health(const cl_snapshot *, const cl_report_opts *,
                        json_t **, cl_error *);
cl_err cl_report_audit(const cl_snapshot *, const cl_report_opts *,
                       json_t **, cl_error *);
cl_err cl_report_pipeline(const cl_snapshot *, const cl_report_opts *,
                          json_t **, cl_error *);
cl_err cl_report_pipeline_text(const cl_snapshot *, const cl_report_opts *,
                               cl_buf *, cl_error *);
cl_err cl_report_patterns(const cl_snapshot *, const cl_report_opts *,
                          json_t **, cl_error *);

/* What a reader asks of the pipeline report's deals (the API's query). */
typedef struct cl_pipeline_query {
    const char *flag;  /* keep deals carrying this flag code; NULL: any */
    const char *ae_id; /* keep deals of this AE; NULL: any */
    const char *sort;  /* rank (by evidence, the report's order), arr,
                          deal_id, account, ae_id, stage or flags (how
                          many); ascending, or descending after a '-';
                          NULL: rank */
    int64_t limit;     /* deals to keep, < 0: all */
    int64_t offset;    /* deals to skip first */
} cl_pipeline_query;

/*
 * Narrows doc, a pipeline report, to the page q asks for: its deals
 * filtered, sorted (unknown values last; ties by rank) and sliced, and
 * total (the deals that match), offset, limit (null for all) and sort
 * added.  The summary stays that of the whole report.  Returns CL_OK, or
 * CL_EINVAL with err naming the bad field ("sort: ...", "flag: ...").
 */
cl_err cl_report_pipeline_query(json_t *doc, const cl_pipeline_query *q,
                                cl_error *err);

/*
 * The churn patterns as of today (cl_patterns_json: FDR-controlled,
 * best first), each with open_pipeline {deals, arr}: the open deals that
 * match it now; and the whole open_pipeline {open_deals, open_arr,
 * matching_deals, matching_arr} (a deal matching several patterns counts
 * once there).  The "patterns" report, and the ICP review's "patterns".
 * gut_read is searched only with private_answers (cl_pattern_opts).
 */
cl_err cl_report_patterns_json(const cl_snapshot *s, cl_day today,
                               int private_answers, json_t **out,
                               cl_error *err);

/* The quarters a trend covers: a range any request is held to. */
#define CL_TREND_MIN 2
#define CL_TREND_MAX 12

/* 1 if the report called name has a trend (bad-fit, health). */
int cl_report_has_trend(const char *name);

/*
 * The report's key figures for each of the `quarters` quarters ending with
 * o->period (bad-fit), or with the last complete quarter before o->today
 * (health), oldest first, each built by the report's own function:
 * {report, quarters: [{period, cohort_size, categories: [{category, label,
 * share, ci_low, ci_high, threshold}]}]} for bad-fit (never a private
 * view), {period, passed, failed, unknown, checks} for health (as the
 * report read the day after the quarter ended).  CL_EINVAL naming the
 * field for another report or quarters outside CL_TREND_MIN..MAX.
 */
cl_err cl_report_trend(const cl_report_def *def, const cl_snapshot *s,
                       const cl_report_opts *o, int quarters, json_t **out,
                       cl_error *err);

/* Helpers the builders share (report.c). */

/* A JSON date "YYYY-MM-DD", or null for CL_DAY_NONE. */
json_t *cl_json_day(cl_day d);

/* A JSON number rounded to `decimals` places, or null for NaN. */
json_t *cl_json_num(double v, int decimals);

#endif
