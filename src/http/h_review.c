/*
 * h_review.c - the won-deal review's asynchronous half (issue 14):
 *   GET  /api/v1/deals/{id}/review/answers   the AE's answers, as far as
 *                                            the viewer may read them
 *   PUT  /api/v1/deals/{id}/review/answers   the deal's AE saves them
 *   POST /api/v1/tasks/{id}/checkin          a check-in's health reading
 * Writes go through the engine shell, as the CLI's do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/workflow.h"
#include "../engine/engine.h"
#include "../store/store_engine.h"
#include "http_int.h"

static const char *const qnames[7] = {"q1", "q2", "q3", "q4", "q5", "q6", "q7"};

typedef struct answers_doc {
    json_t *doc;
    unsigned mask;
} answers_doc;

static int
answers_cb(void *ud, const cl_store_answers_row *a)
{
    answers_doc *d = ud;
    for (int i = 0; i < 7; i++) {
        if (!cl_wf_ae_question(i))
            continue;
        /* Each answer as the review's own field would show. */
        unsigned g = cl_vis_field_group(CL_VK_REVIEW, qnames[i]);
        if (!(d->mask & g))
            continue;
        json_object_set_new(d->doc, qnames[i],
                            a->q[i] ? json_string(a->q[i]) : json_null());
    }
    json_object_set_new(d->doc, "answered_by", json_string(a->answered_by));
    json_object_set_new(d->doc, "answered_at", json_string(a->answered_at));
    return 1;
}

/* The deal's AE into ae (the visibility relation), 404 when no deal. */
static int
deal_ae(cl_http_req *r, char *ae, size_t len, enum MHD_Result *done)
{
    cl_value key = {CL_V_TEXT, 0, 0, r->params[0]}, row[32];
    cl_error err;
    int found = 0;
    cl_error_clear(&err);
    cl_err e = cl_store_get(r->st, CL_KIND_DEALS, &key, row, &found, &err);
    if (e != CL_OK) {
        *done = cl_http_fail(r, e, &err);
        return -1;
    }
    if (!found) {
        *done = cl_http_error(r, 404, "not_found", NULL, "no deal '%s'",
                              r->params[0]);
        return -1;
    }
    int ai = cl_kind_field_index(cl_kind_get(CL_KIND_DEALS), "ae_id");
    snprintf(ae, len, "%s", row[ai].type == CL_V_TEXT ? row[ai].s : "");
    return 0;
}

enum MHD_Result
cl__h_review_answers_get(cl_http_req *r)
{
    enum MHD_Result done;
    char ae[128];
    cl_error err;
    if (deal_ae(r, ae, sizeof ae, &done) < 0)
        return done;
    cl_vis_rel rel = {.owner_id = ae};
    unsigned mask = cl_vis_fields(&r->viewer, CL_VK_REVIEW, &rel);
    if (!mask)
        return cl_http_error(r, 403, "forbidden", NULL,
                             "your role may not read this deal's review");
    answers_doc d = {json_object(), mask};
    json_object_set_new(d.doc, "deal_id", json_string(r->params[0]));
    json_object_set_new(d.doc, "ae_id", ae[0] ? json_string(ae) : json_null());
    cl_error_clear(&err);
    cl_err e =
        cl_store_review_answers_get(r->st, r->params[0], answers_cb, &d, &err);
    if (e != CL_OK) {
        json_decref(d.doc);
        return cl_http_fail(r, e, &err);
    }
    return cl_http_reply_json(r, 200, d.doc, NULL);
}

enum MHD_Result
cl__h_review_answers_put(cl_http_req *r)
{
    static const cl_jfield f[] = {
        {"q1", CL_J_STRING, 0}, {"q2", CL_J_STRING, 0}, {"q3", CL_J_STRING, 0},
        {"q4", CL_J_STRING, 0}, {"q7", CL_J_STRING, 0},
    };
    enum MHD_Result done;
    cl_error err;
    json_t *body = cl_http_body(r, f, 5, &done);
    if (!body)
        return done;
    const char *answers[7] = {NULL};
    for (int i = 0; i < 7; i++)
        if (cl_wf_ae_question(i))
            answers[i] = cl_http_jstr(body, qnames[i]);
    cl_error_clear(&err);
    cl_err e = cl_engine_review_answers(r->st, r->params[0], answers,
                                        r->user_id, r->now, &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl__h_review_answers_get(r);
}

enum MHD_Result
cl__h_task_checkin(cl_http_req *r)
{
    static const cl_jfield f[] = {{"score", CL_J_INT, 1},
                                  {"note", CL_J_STRING, 1}};
    enum MHD_Result done;
    cl_error err;
    char *end;
    long long id = strtoll(r->params[0], &end, 10);
    if (*r->params[0] == '\0' || *end || id <= 0)
        return cl_http_error(r, 404, "not_found", NULL, "no task '%s'",
                             r->params[0]);
    json_t *body = cl_http_body(r, f, 2, &done);
    if (!body)
        return done;
    json_int_t score = json_integer_value(json_object_get(body, "score"));
    if (score < 0 || score > 100) {
        json_decref(body);
        return cl_http_error(r, 400, "invalid", "score",
                             "score: expected a whole number from 0 to 100, "
                             "got %lld",
                             (long long)score);
    }
    cl_error_clear(&err);
    cl_err e =
        cl_engine_checkin(r->st, id, (int)score, cl_http_jstr(body, "note"),
                          r->user_id, r->now, &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl__h_task_get(r);
}
