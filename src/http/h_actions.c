/*
 * h_actions.c - what CS does to a record, through the engine shell (the
 * same calls as the CLI):
 *   POST /api/v1/churns/{id}/tag, POST /api/v1/churns/{id}/close
 *   POST /api/v1/deals/{id}/review, POST /api/v1/deals/{id}/kickoff
 *   POST /api/v1/reviews/check (the generic-answer rule, for the form)
 *   POST /api/v1/recoveries/{id}/classify
 * Each answers with the record as it now is.
 */
#include <stdio.h>
#include <string.h>

#include "../core/review_answer.h"
#include "../core/workflow.h"
#include "../engine/engine.h"
#include "http_int.h"

/* A date field of body (YYYY-MM-DD), or today when absent. */
static int
day_field(cl_http_req *r, json_t *body, const char *name, cl_day *out,
          enum MHD_Result *done)
{
    const char *s = cl_http_jstr(body, name);
    if (!s) {
        *out = cl_engine_today(r->st, r->now);
        return 0;
    }
    if (cl_date_parse(s, strlen(s), out) != 0) {
        *done =
            cl_http_error(r, 400, "invalid", name,
                          "%s: expected a date YYYY-MM-DD, got '%s'", name, s);
        return -1;
    }
    return 0;
}

enum MHD_Result
cl__h_churn_tag(cl_http_req *r)
{
    static const cl_jfield f[] = {
        {"primary_cause", CL_J_STRING, 1},
        {"contributing_causes", CL_J_STRINGS, 0},
        {"stated_reason", CL_J_STRING, 0},
        {"diagnosis", CL_J_STRING, 0},
        {"predictive_behavior", CL_J_STRING, 0},
    };
    enum MHD_Result done;
    cl_error err;
    cl_engine_stats stats = {0};
    char contrib[1024] = "";
    json_t *body = cl_http_body(r, f, 5, &done);
    if (!body)
        return done;
    json_t *list = json_object_get(body, "contributing_causes");
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c)
    {
        size_t len = strlen(contrib);
        snprintf(contrib + len, sizeof contrib - len, "%s%s", len ? ";" : "",
                 json_string_value(c));
    }
    cl_wf_tag tag = {
        .primary_cause = cl_http_jstr(body, "primary_cause"),
        .contributing_causes = json_is_array(list) ? contrib : NULL,
        .stated_reason = cl_http_jstr(body, "stated_reason"),
        .diagnosis = cl_http_jstr(body, "diagnosis"),
        .predictive_behavior = cl_http_jstr(body, "predictive_behavior"),
    };
    cl_error_clear(&err);
    cl_err e = cl_engine_churn_tag(r->st, r->params[0], &tag, r->user_id,
                                   r->now, &stats, &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl__h_record_get(r);
}

enum MHD_Result
cl__h_churn_close(cl_http_req *r)
{
    enum MHD_Result done;
    cl_error err;
    json_t *body = cl_http_body(r, NULL, 0, &done);
    if (!body)
        return done;
    json_decref(body);
    cl_error_clear(&err);
    cl_err e =
        cl_engine_churn_close(r->st, r->params[0], r->user_id, r->now, &err);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl__h_record_get(r);
}

enum MHD_Result
cl__h_churn_reopen(cl_http_req *r)
{
    static const cl_jfield f[] = {{"reason", CL_J_STRING, 1}};
    enum MHD_Result done;
    cl_error err;
    json_t *body = cl_http_body(r, f, 1, &done);
    if (!body)
        return done;
    cl_error_clear(&err);
    cl_err e = cl_engine_churn_reopen(r->st, r->params[0],
                                      cl_http_jstr(body, "reason"), r->user_id,
                                      r->now, &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl__h_record_get(r);
}

enum MHD_Result
cl__h_review_record(cl_http_req *r)
{
    /* The AE's questions (Q1-Q4, Q7) may be left out: the AE's own
       answers stand in for them (issue 14); the rule still wants all
       seven. */
    static const cl_jfield f[] = {
        {"q1", CL_J_STRING, 0},          {"q2", CL_J_STRING, 0},
        {"q3", CL_J_STRING, 0},          {"q4", CL_J_STRING, 0},
        {"q5", CL_J_STRING, 1},          {"q6", CL_J_STRING, 1},
        {"q7", CL_J_STRING, 0},          {"gut_read", CL_J_STRING, 0},
        {"held_on", CL_J_STRING, 0},     {"implementation_risk", CL_J_BOOL, 0},
        {"capacity_risk", CL_J_BOOL, 0}, {"context_gaps", CL_J_BOOL, 0},
        {"csm_note", CL_J_STRING, 0},
    };
    static const char *const flags[3] = {"implementation_risk", "capacity_risk",
                                         "context_gaps"};
    enum MHD_Result done;
    cl_error err;
    cl_engine_stats stats = {0};
    json_t *body = cl_http_body(r, f, 13, &done);
    if (!body)
        return done;
    cl_wf_review rv = {0};
    static const char *const q[] = {"q1", "q2", "q3", "q4", "q5", "q6", "q7"};
    for (int i = 0; i < 7; i++)
        rv.answers[i] = cl_http_jstr(body, q[i]);
    rv.gut_read = cl_http_jstr(body, "gut_read");
    for (int i = 0; i < 3; i++) {
        json_t *b = json_object_get(body, flags[i]);
        if (json_is_boolean(b))
            rv.csm_flags[i] = json_is_true(b) ? "true" : "false";
    }
    rv.csm_note = cl_http_jstr(body, "csm_note");
    if (day_field(r, body, "held_on", &rv.held_on, &done) < 0) {
        json_decref(body);
        return done;
    }
    cl_error_clear(&err);
    cl_err e = cl_engine_review_record(r->st, r->params[0], &rv, r->user_id,
                                       r->now, &stats, &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl__h_record_get(r);
}

/* The won-deal review form asks this as the CSM types, so the warnings it
   shows come from the same rule that flags the answers when the review is
   recorded (cl_review_answer_generic), not from a copy of it in the browser.
   Only the answers given are checked. */
enum MHD_Result
cl__h_review_check(cl_http_req *r)
{
    static const cl_jfield f[] = {
        {"q1", CL_J_STRING, 0}, {"q2", CL_J_STRING, 0}, {"q3", CL_J_STRING, 0},
        {"q4", CL_J_STRING, 0}, {"q5", CL_J_STRING, 0}, {"q6", CL_J_STRING, 0},
        {"q7", CL_J_STRING, 0},
    };
    static const char *const q[] = {"q1", "q2", "q3", "q4", "q5", "q6", "q7"};
    enum MHD_Result done;
    json_t *body = cl_http_body(r, f, 7, &done);
    if (!body)
        return done;
    json_t *flags = json_array();
    for (int i = 0; i < 7; i++) {
        const char *answer = cl_http_jstr(body, q[i]);
        const char *why = NULL;
        if (!answer || !cl_review_answer_generic(answer, &why))
            continue;
        json_array_append_new(
            flags, json_pack("{s:s, s:s}", "question", q[i], "reason", why));
    }
    json_decref(body);
    return cl_http_reply_json(r, 200,
                              json_pack("{s:o, s:I}", "flags", flags, "generic",
                                        (json_int_t)json_array_size(flags)),
                              NULL);
}

enum MHD_Result
cl__h_kickoff(cl_http_req *r)
{
    static const cl_jfield f[] = {{"held_on", CL_J_STRING, 0},
                                  {"override_reason", CL_J_STRING, 0}};
    enum MHD_Result done;
    cl_error err;
    cl_day held;
    json_t *body = cl_http_body(r, f, 2, &done);
    if (!body)
        return done;
    if (day_field(r, body, "held_on", &held, &done) < 0) {
        json_decref(body);
        return done;
    }
    cl_error_clear(&err);
    cl_err e = cl_engine_kickoff(r->st, r->params[0], held,
                                 cl_http_jstr(body, "override_reason"),
                                 r->user_id, r->now, &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    return cl__h_record_get(r);
}

enum MHD_Result
cl__h_recovery_classify(cl_http_req *r)
{
    static const cl_jfield f[] = {{"recovery_type", CL_J_STRING, 1},
                                  {"cs_intervention", CL_J_STRING, 0},
                                  {"what_changed", CL_J_STRING, 0},
                                  {"cs_led", CL_J_BOOL, 0}};
    enum MHD_Result done;
    cl_error err;
    json_t *body = cl_http_body(r, f, 4, &done);
    if (!body)
        return done;
    cl_error_clear(&err);
    json_t *led = json_object_get(body, "cs_led");
    cl_err e = cl_engine_recovery_classify(
        r->st, r->params[0], cl_http_jstr(body, "recovery_type"),
        cl_http_jstr(body, "cs_intervention"),
        cl_http_jstr(body, "what_changed"),
        json_is_boolean(led) ? json_is_true(led) : -1, r->user_id, r->now,
        &err);
    json_decref(body);
    if (e != CL_OK)
        return cl_http_fail(r, e, &err);
    /* A new deal's recovery is stored as rec-NEWDEAL. */
    char id[sizeof r->params[0]];
    snprintf(id, sizeof id, "%s", r->params[0]);
    cl_value key = {CL_V_TEXT, 0, 0, id}, row[32];
    int found = 0;
    char rec[sizeof r->params[0]];
    int n = snprintf(rec, sizeof rec, "rec-%s", id);
    if (cl_store_get(r->st, CL_KIND_RECOVERIES, &key, row, &found, &err) ==
            CL_OK &&
        !found && n > 0 && (size_t)n < sizeof rec)
        memcpy(r->params[0], rec, (size_t)n + 1);
    return cl__h_record_get(r);
}
