/*
 * engine_events.c - what a person does: tag or close a churn, record a
 * review or a kickoff, classify a recovery, record a debrief's process
 * change and its check-in, decide and close a session.  Each is one
 * transaction: the person's own change (through the audited record API),
 * then the rule's effects.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "../core/buf.h"

/* Sets field name of row (a record of def) to text s (NULL keeps it); a
   boolean field from "true" or "false". */
static void
set_text(const cl_kind_def *def, cl_value *row, const char *name, const char *s)
{
    int i = cl_kind_field_index(def, name);
    if (i < 0 || s == NULL)
        return;
    if (def->fields[i].type == CL_F_BOOL) {
        row[i].type = *s ? CL_V_INT : CL_V_NULL;
        row[i].i = strcmp(s, "true") == 0;
        return;
    }
    row[i].type = *s ? CL_V_TEXT : CL_V_NULL;
    row[i].s = s;
}

/* Copies a record read from the store, its strings into e. */
static void
keep_row(cl__eng *e, const cl_kind_def *def, cl_value *row)
{
    for (size_t i = 0; i < def->nfields; i++)
        if (row[i].type == CL_V_TEXT)
            row[i].s = cl__eng_str(e, row[i].s);
}

static cl_err
put(cl__eng *e, cl_kind kind, const cl_value *row, cl_error *err)
{
    cl_put_result res;
    return cl_store_put(e->st, kind, row, &res, err);
}

static cl_err
run_rule_and_apply(cl__eng *e, cl_err rc, cl_wf_effects *fx, cl_error *err)
{
    if (rc == CL_OK)
        rc = cl__eng_apply(e, fx, err);
    cl_wf_effects_release(fx);
    return rc;
}

cl_err
cl_engine_churn_tag(cl_store *st, const char *churn_id, const cl_wf_tag *tag,
                    const char *actor, cl_time now, cl_engine_stats *stats,
                    cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(CL_KIND_CHURNS);
    cl_value key = {.type = CL_V_TEXT, .s = churn_id}, row[16];
    cl_wf_churn before;
    cl_wf_effects fx;
    cl__eng e;
    char today[11];
    int found = 0;

    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    cl_wf_effects_init(&fx);
    rc = cl__eng_check_may(&e, actor, "--by", CL_VA_CHURN_TAG, NULL, err);
    if (rc == CL_OK)
        rc = cl__eng_get_churn(&e, churn_id, &before, err);
    cl_wf_tag t = *tag;
    if (rc == CL_OK) {
        /* Signal texts not given keep what the record holds. */
        if (t.stated_reason == NULL)
            t.stated_reason = before.tag.stated_reason;
        if (t.diagnosis == NULL)
            t.diagnosis = before.tag.diagnosis;
        if (t.predictive_behavior == NULL)
            t.predictive_behavior = before.tag.predictive_behavior;
        if (t.contributing_causes && *t.contributing_causes == '\0')
            t.contributing_causes = NULL;
        if (t.primary_cause == NULL || *t.primary_cause == '\0')
            rc = cl_error_set(err, CL_EINVAL, "a tag needs a primary cause");
    }
    if (rc == CL_OK)
        rc = cl_wf_tag_retired_check(&e.cfg, &before.tag, &t, err);
    if (rc == CL_OK)
        rc = cl_wf_churn_tagged(&e.cfg, &e.cal, &before, &t, actor, e.today,
                                &fx, err);
    char ref[CL_WF_REF_MAX];
    if (rc == CL_OK && fx.n == 0)
        rc = cl_error_set(err, CL_EINVAL,
                          "%s already has this tag; nothing changed",
                          cl_wf_churn_ref(&before, 1, ref, sizeof ref));
    if (rc == CL_OK)
        rc = cl_store_get(st, CL_KIND_CHURNS, &key, row, &found, err);
    if (rc == CL_OK) {
        keep_row(&e, def, row);
        cl_date_format(e.today, today);
        set_text(def, row, "primary_cause", t.primary_cause);
        set_text(def, row, "contributing_causes",
                 t.contributing_causes ? t.contributing_causes : "");
        set_text(def, row, "stated_reason", t.stated_reason);
        set_text(def, row, "diagnosis", t.diagnosis);
        set_text(def, row, "predictive_behavior", t.predictive_behavior);
        set_text(def, row, "tagged_by", actor);
        set_text(def, row, "tagged_on", today);
        rc = put(&e, CL_KIND_CHURNS, row, err);
    }
    rc = run_rule_and_apply(&e, rc, &fx, err);
    return cl__eng_end(&e, rc, stats, err);
}

/* Closing (reason NULL) or reopening a churn: the rule, then closed_on
   through the engine field; a field left as it was means the churn was
   already closed (or open) when this transaction looked. */
static cl_err
churn_open_close(cl_store *st, const char *churn_id, const char *reason,
                 const char *actor, cl_time now, cl_error *err)
{
    cl_wf_churn c;
    cl_wf_effects fx;
    cl__eng e;
    char today[11];
    int changed = 0, reopen = reason != NULL;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    cl_wf_effects_init(&fx);
    rc = cl__eng_check_may(&e, actor, "--by", CL_VA_CHURN_TAG, NULL, err);
    if (rc == CL_OK)
        rc = cl__eng_get_churn(&e, churn_id, &c, err);
    if (rc == CL_OK)
        rc = reopen ? cl_wf_churn_reopen(&c, reason, actor, &fx, err)
                    : cl_wf_churn_close(&c, actor, &fx, err);
    cl_date_format(e.today, today);
    if (rc == CL_OK)
        rc = cl_store_field_set(st, "churn", churn_id,
                                reopen ? "reopened" : "closed",
                                reopen ? NULL : today, 0, &changed, err);
    char ref[CL_WF_REF_MAX];
    if (rc == CL_OK && !changed)
        rc = cl_error_set(err, CL_ECONFLICT, "%s is already %s",
                          cl_wf_churn_ref(&c, 1, ref, sizeof ref),
                          reopen ? "open" : "closed");
    rc = run_rule_and_apply(&e, rc, &fx, err);
    return cl__eng_end(&e, rc, NULL, err);
}

cl_err
cl_engine_churn_close(cl_store *st, const char *churn_id, const char *actor,
                      cl_time now, cl_error *err)
{
    return churn_open_close(st, churn_id, NULL, actor, now, err);
}

cl_err
cl_engine_churn_reopen(cl_store *st, const char *churn_id, const char *reason,
                       const char *actor, cl_time now, cl_error *err)
{
    return churn_open_close(st, churn_id, reason ? reason : "", actor, now,
                            err);
}

typedef struct answers_copy {
    cl__eng *e;
    const char *q[7];
} answers_copy;

static int
answers_copy_cb(void *ud, const cl_store_answers_row *r)
{
    answers_copy *a = ud;
    for (int i = 0; i < 7; i++)
        a->q[i] = r->q[i] ? cl__eng_str(a->e, r->q[i]) : NULL;
    return 1;
}

cl_err
cl_engine_review_record(cl_store *st, const char *deal_id,
                        const cl_wf_review *review, const char *actor,
                        cl_time now, cl_engine_stats *stats, cl_error *err)
{
    static const char *const flag_fields[3] = {"implementation_risk",
                                               "capacity_risk", "context_gaps"};
    const cl_kind_def *def = cl_kind_get(CL_KIND_REVIEWS);
    cl_value row[16] = {{0}};
    cl_wf_deal d;
    cl_wf_effects fx;
    cl__eng e;
    char held[11], q[3] = "q1", ref[CL_WF_REF_MAX];
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    cl_wf_effects_init(&fx);
    cl_wf_review rv = *review;
    answers_copy ae = {&e, {NULL}};
    rc = cl__eng_check_may(&e, actor, "--by", CL_VA_REVIEW_RECORD, NULL, err);
    if (rc == CL_OK)
        rc = cl__eng_get_deal(&e, deal_id, &d, NULL, err);
    if (rc == CL_OK && (d.stage == NULL || strcmp(d.stage, "closed_won")))
        rc = cl_error_set(err, CL_ECONFLICT,
                          "%s is not closed won; only won deals are "
                          "reviewed",
                          cl_wf_deal_ref(&d, 1, ref, sizeof ref));
    /* The AE's questions the CSM left open take the AE's own answers. */
    if (rc == CL_OK)
        rc =
            cl_store_review_answers_get(st, deal_id, answers_copy_cb, &ae, err);
    for (int i = 0; rc == CL_OK && i < 7; i++)
        if (rv.answers[i] == NULL && cl_wf_ae_question(i))
            rv.answers[i] = ae.q[i];
    if (rc == CL_OK)
        rc = cl_wf_review_recorded(&d, &rv, &fx, err);
    /* The review's reading of the health history is the CSM's. */
    for (size_t i = 0; rc == CL_OK && i < fx.n; i++)
        if (fx.items[i].kind == CL_WF_SET && fx.items[i].actor_id == NULL)
            fx.items[i].actor_id = cl__eng_str(&e, actor);
    if (rc == CL_OK) {
        cl_date_format(rv.held_on, held);
        set_text(def, row, "deal_id", deal_id);
        set_text(def, row, "held_on", held);
        for (int i = 0; i < 7; i++) {
            q[1] = (char)('1' + i);
            set_text(def, row, q, rv.answers[i]);
        }
        set_text(def, row, "gut_read", rv.gut_read);
        for (int i = 0; i < 3; i++)
            set_text(def, row, flag_fields[i], rv.csm_flags[i]);
        set_text(def, row, "csm_note", rv.csm_note);
        rc = put(&e, CL_KIND_REVIEWS, row, err);
    }
    if (rc == CL_OK)
        rc = cl__eng_crm_review(&e, deal_id, held, rv.answers[0], rv.answers[3],
                                err);
    rc = run_rule_and_apply(&e, rc, &fx, err);
    return cl__eng_end(&e, rc, stats, err);
}

cl_err
cl_engine_review_answers(cl_store *st, const char *deal_id,
                         const char *const answers[7], const char *actor,
                         cl_time now, cl_error *err)
{
    cl_wf_deal d;
    cl_wf_effects fx;
    cl__eng e;
    int reviewed = 0;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    cl_wf_effects_init(&fx);
    answers_copy merged = {&e, {NULL}};
    rc = cl__eng_get_deal(&e, deal_id, &d, &reviewed, err);
    cl_vis_rel rel = {.owner_id = rc == CL_OK ? d.ae_id : NULL};
    if (rc == CL_OK)
        rc = cl__eng_check_may(&e, actor, "--by", CL_VA_REVIEW_ANSWER, &rel,
                               err);
    if (rc == CL_OK)
        rc = cl_store_review_answers_get(st, deal_id, answers_copy_cb, &merged,
                                         err);
    for (int i = 0; i < 7; i++)
        if (answers[i] != NULL)
            merged.q[i] = answers[i];
    if (rc == CL_OK)
        rc = cl_wf_review_answers(&d, reviewed, answers, merged.q, actor, &fx,
                                  err);
    if (rc == CL_OK)
        rc = cl_store_review_answers_put(st, deal_id, merged.q, actor, err);
    rc = run_rule_and_apply(&e, rc, &fx, err);
    return cl__eng_end(&e, rc, NULL, err);
}

typedef struct one_task {
    cl__eng *e;
    cl_wf_task t;
    int found;
} one_task;

static int
one_task_cb(void *ud, const cl_store_task_row *r)
{
    one_task *o = ud;
    cl__eng_task(o->e, r, &o->t);
    o->found = 1;
    return 1;
}

cl_err
cl_engine_checkin(cl_store *st, int64_t task_id, int score, const char *note,
                  const char *actor, cl_time now, cl_error *err)
{
    cl_wf_effects fx;
    cl__eng e;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    cl_wf_effects_init(&fx);
    one_task o = {.e = &e};
    cl_store_task_filter f = {.id = task_id};
    rc = cl_store_tasks_each(st, &f, one_task_cb, &o, err);
    if (rc == CL_OK && !o.found)
        rc =
            cl_error_set(err, CL_ENOTFOUND, "no task %lld", (long long)task_id);
    cl_vis_rel rel = {.owner_id = o.t.assignee_id};
    if (rc == CL_OK)
        rc = cl__eng_check_may(&e, actor, "--by", CL_VA_TASK_DONE, &rel, err);
    if (rc == CL_OK)
        rc = cl_wf_checkin_recorded(&o.t, score, note, actor, &fx, err);
    rc = run_rule_and_apply(&e, rc, &fx, err);
    return cl__eng_end(&e, rc, NULL, err);
}

cl_err
cl_engine_kickoff(cl_store *st, const char *deal_id, cl_day held_on,
                  const char *override_reason, const char *actor, cl_time now,
                  cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(CL_KIND_DEALS);
    cl_value key = {.type = CL_V_TEXT, .s = deal_id}, row[32];
    cl_wf_deal d;
    cl_wf_effects fx;
    cl__eng e;
    char held[11];
    cl_day kickoff, review_held;
    int found = 0;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    cl_wf_effects_init(&fx);
    rc = cl__eng_check_may(&e, actor, "--by", CL_VA_KICKOFF, NULL, err);
    if (rc == CL_OK)
        rc = cl__eng_get_deal(&e, deal_id, &d, NULL, err);
    if (rc == CL_OK)
        rc = cl_store_kickoff_dates(st, deal_id, &kickoff, &review_held, &found,
                                    err);
    if (rc == CL_OK)
        rc = cl_wf_kickoff_gate(&d, review_held, held_on, CL_WF_KICKOFF_HELD,
                                override_reason, actor, &fx, err);
    if (rc == CL_OK)
        rc = cl_store_get(st, CL_KIND_DEALS, &key, row, &found, err);
    if (rc == CL_OK) {
        keep_row(&e, def, row);
        cl_date_format(held_on, held);
        set_text(def, row, "kickoff_on", held);
        rc = put(&e, CL_KIND_DEALS, row, err);
    }
    rc = run_rule_and_apply(&e, rc, &fx, err);
    return cl__eng_end(&e, rc, NULL, err);
}

/* The recovery row of id: an imported recovery, or one made for a linked
   new deal ("rec-NEWDEAL"). */
static cl_err
recovery_row(cl__eng *e, const char *id, cl_value *row, char *new_deal,
             size_t len, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(CL_KIND_RECOVERIES);
    cl_value key = {.type = CL_V_TEXT, .s = id};
    char orig[128], rid[128];
    int found = 0, months = 0;
    cl_err rc = cl_store_get(e->st, CL_KIND_RECOVERIES, &key, row, &found, err);
    if (rc != CL_OK)
        return rc;
    if (found) {
        keep_row(e, def, row);
        int ni = cl_kind_field_index(def, "new_deal_id");
        snprintf(new_deal, len, "%s", row[ni].s);
        return CL_OK;
    }
    rc = cl_store_link_get(e->st, id, orig, sizeof orig, &months, &found, err);
    if (rc == CL_OK && !found)
        return cl_error_set(err, CL_ENOTFOUND,
                            "'%s' is neither a recovery nor a new deal linked "
                            "to a lost one",
                            id);
    snprintf(new_deal, len, "%s", id);
    snprintf(rid, sizeof rid, "rec-%s", id);
    memset(row, 0, def->nfields * sizeof *row);
    set_text(def, row, "id", cl__eng_str(e, rid));
    set_text(def, row, "original_deal_id", cl__eng_str(e, orig));
    set_text(def, row, "new_deal_id", cl__eng_str(e, id));
    return rc;
}

cl_err
cl_engine_recovery_classify(cl_store *st, const char *id, const char *type,
                            const char *intervention, const char *what_changed,
                            int cs_led, const char *actor, cl_time now,
                            cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(CL_KIND_RECOVERIES);
    cl_value row[16];
    cl__eng e;
    char new_deal[128], today[11];
    int changed = 0;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    rc = cl__eng_check_may(&e, actor, "--by", CL_VA_RECOVERY_CLASSIFY, NULL,
                           err);
    if (rc == CL_OK && cl_enum_index(cl_recovery_types, type) < 0)
        rc = cl_error_set(err, CL_EINVAL,
                          "--type: expected trust, timing, "
                          "overpromise_repair or champion_change, got '%s'",
                          type);
    if (rc == CL_OK && (intervention == NULL || *intervention == '\0' ||
                        what_changed == NULL || *what_changed == '\0'))
        rc = cl_error_set(err, CL_EINVAL,
                          "a recovery record needs --intervention and "
                          "--what-changed");
    if (rc == CL_OK)
        rc = recovery_row(&e, id, row, new_deal, sizeof new_deal, err);
    if (rc == CL_OK) {
        cl_date_format(e.today, today);
        set_text(def, row, "recovery_type", type);
        set_text(def, row, "cs_intervention", intervention);
        set_text(def, row, "what_changed", what_changed);
        set_text(def, row, "csm_id", actor);
        set_text(def, row, "logged_on", today);
        if (cs_led >= 0) {
            int ci = cl_kind_field_index(def, "cs_led");
            row[ci].type = CL_V_INT;
            row[ci].i = cs_led != 0;
        }
        rc = put(&e, CL_KIND_RECOVERIES, row, err);
    }
    if (rc == CL_OK)
        rc = cl_store_task_mark(st, "recovery_classification", "deal", new_deal,
                                NULL, "done", &changed, err);
    e.stats.marks += changed;
    return cl__eng_end(&e, rc, NULL, err);
}

/* ---- sessions -------------------------------------------------------------
 */

typedef struct session_state {
    cl__eng *e;
    cl_wf_session s;
    int found;
    const char *decisions;
    cl_wf_process_change pc;
    int64_t pc_session; /* the session of pc */
    int has_pc;
} session_state;

static int
session_cb(void *ud, const cl_store_session_row *r)
{
    session_state *x = ud;
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    x->s = (cl_wf_session){cl__eng_str(x->e, id), cl__eng_str(x->e, r->kind),
                           cl__eng_str(x->e, r->period),
                           strcmp(r->status, "closed") == 0};
    x->decisions = cl__eng_str(x->e, r->decisions);
    x->found = 1;
    return 1;
}

static int
pc_cb(void *ud, const cl_store_pc_row *r)
{
    session_state *x = ud;
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    x->pc = (cl_wf_process_change){
        .id = cl__eng_str(x->e, id),
        .session_id = x->s.id,
        .owner_id = cl__eng_str(x->e, r->owner_id),
        .description = cl__eng_str(x->e, r->description),
        .checkin_due = cl__eng_day(r->checkin_due),
        .checkin_on = cl__eng_day(r->checkin_on),
        .reminded = r->reminded,
        .escalated = r->escalated,
    };
    x->pc_session = r->session_id;
    x->has_pc = 1;
    return 1;
}

static cl_err
load_session(cl__eng *e, int64_t id, session_state *x, cl_error *err)
{
    memset(x, 0, sizeof *x);
    x->e = e;
    cl_err rc = cl_store_sessions_each(e->st, id, NULL, session_cb, x, err);
    if (rc == CL_OK && !x->found)
        return cl_error_set(err, CL_ENOTFOUND, "no session %lld",
                            (long long)id);
    if (rc == CL_OK)
        rc = cl_store_pcs_each(e->st, 0, id, 0, pc_cb, x, err);
    /* The owner by name in the texts people read (after the query: a
       callback may not call the store). */
    if (rc == CL_OK && x->has_pc)
        x->pc.owner_name = cl__eng_user_name(e, x->pc.owner_id);
    return rc;
}

cl_err
cl_engine_change_record(cl_store *st, int64_t session_id, const char *owner,
                        const char *description, const char *actor, cl_time now,
                        int64_t *pc_id, cl_engine_stats *stats, cl_error *err)
{
    session_state x;
    cl_wf_effects fx;
    cl__eng e;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    cl_wf_effects_init(&fx);
    rc = cl__eng_check_may(&e, actor, "--by", CL_VA_CHANGE_RECORD, NULL, err);
    if (rc == CL_OK)
        rc = cl__eng_check_user(&e, owner, "--owner", err);
    if (rc == CL_OK)
        rc = load_session(&e, session_id, &x, err);
    if (rc == CL_OK)
        rc = cl_wf_process_change_recorded(&e.cfg, &x.s,
                                           x.has_pc ? &x.pc : NULL, owner,
                                           description, e.today, &fx, err);
    rc = run_rule_and_apply(&e, rc, &fx, err);
    if (rc == CL_OK && (rc = load_session(&e, session_id, &x, err)) == CL_OK)
        *pc_id = x.has_pc ? atoll(x.pc.id) : 0;
    return cl__eng_end(&e, rc, stats, err);
}

cl_err
cl_engine_change_checkin(cl_store *st, int64_t pc_id, const char *note,
                         const char *actor, cl_time now, cl_error *err)
{
    cl__eng e;
    char today[11], sid[32];
    int changed = 0, marked = 0;
    session_state x = {0};
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    x.e = &e;
    rc = cl__eng_check_user(&e, actor, "--by", err);
    if (rc == CL_OK && (note == NULL || *note == '\0'))
        rc = cl_error_set(err, CL_EINVAL, "a check-in needs a --note");
    if (rc == CL_OK)
        rc = cl_store_pcs_each(st, pc_id, 0, 0, pc_cb, &x, err);
    if (rc == CL_OK && !x.has_pc)
        rc = cl_error_set(err, CL_ENOTFOUND, "no process change %lld",
                          (long long)pc_id);
    if (rc == CL_OK) {
        cl_vis_rel rel = {x.pc.owner_id, NULL, NULL};
        rc = cl__eng_check_may(&e, actor, "--by", CL_VA_CHANGE_CHECKIN, &rel,
                               err);
    }
    cl_date_format(e.today, today);
    if (rc == CL_OK)
        rc = cl_store_pc_checkin(st, pc_id, today, note, &changed, err);
    if (rc == CL_OK && !changed)
        rc = cl_error_set(err, CL_ECONFLICT,
                          "process change %lld already has its check-in",
                          (long long)pc_id);
    /* The check-in task is about the session the change belongs to. */
    snprintf(sid, sizeof sid, "%lld", (long long)x.pc_session);
    if (rc == CL_OK)
        rc = cl_store_task_mark(st, "process_change_checkin", "session", sid,
                                NULL, "done", &marked, err);
    return cl__eng_end(&e, rc, NULL, err);
}

cl_err
cl_engine_session_decide(cl_store *st, int64_t session_id, const char *text,
                         const char *actor, cl_time now, cl_error *err)
{
    session_state x;
    cl__eng e;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    rc = cl__eng_check_may(&e, actor, "--by", CL_VA_SESSION_DECIDE, NULL, err);
    if (rc == CL_OK && (text == NULL || *text == '\0'))
        rc = cl_error_set(err, CL_EINVAL, "a decision needs its text");
    if (rc == CL_OK)
        rc = load_session(&e, session_id, &x, err);
    char ref[CL_WF_REF_MAX];
    if (rc == CL_OK && x.s.closed)
        rc = cl_error_set(err, CL_ECONFLICT, "%s is closed",
                          cl_wf_session_ref(&x.s, 1, ref, sizeof ref));
    if (rc == CL_OK)
        rc = cl_store_session_decide(st, session_id, text, err);
    return cl__eng_end(&e, rc, NULL, err);
}

typedef struct csms {
    cl__eng *e;
    const char **ids;
    size_t n, cap;
} csms;

static int
csm_cb(void *ud, const cl_store_user_row *u)
{
    csms *c = ud;
    if (cl_grow(&c->ids, &c->cap, c->n + 1, sizeof *c->ids) != CL_OK) {
        c->e->oom = 1;
        return 1;
    }
    c->ids[c->n++] = cl__eng_str(c->e, u->id);
    return 0;
}

cl_err
cl_engine_session_close(cl_store *st, int64_t session_id, const char *actor,
                        cl_time now, cl_engine_stats *stats, cl_error *err)
{
    session_state x;
    csms c = {0};
    cl_wf_effects fx;
    cl__eng e;
    const char **dec = NULL;
    size_t ndec = 0;
    int changed = 0;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    c.e = &e;
    cl_wf_effects_init(&fx);
    rc = cl__eng_check_may(&e, actor, "--by", CL_VA_SESSION_CLOSE, NULL, err);
    if (rc == CL_OK)
        rc = load_session(&e, session_id, &x, err);
    json_t *list =
        x.decisions && rc == CL_OK ? json_loads(x.decisions, 0, NULL) : NULL;
    if (json_is_array(list) && json_array_size(list)) {
        dec = calloc(json_array_size(list), sizeof *dec);
        for (size_t i = 0; dec && i < json_array_size(list); i++) {
            const char *s = json_string_value(json_array_get(list, i));
            if (s)
                dec[ndec++] = cl__eng_str(&e, s);
        }
    }
    json_decref(list);
    if (rc == CL_OK)
        rc = cl_store_users_by_role(st, "csm", csm_cb, &c, err);
    if (rc == CL_OK)
        rc = cl_wf_session_close(&x.s, x.has_pc ? &x.pc : NULL, dec, ndec,
                                 c.ids, c.n, &fx, err);
    if (rc == CL_OK)
        rc = cl_store_session_close(st, session_id, &changed, err);
    rc = run_rule_and_apply(&e, rc, &fx, err);
    free(dec);
    free(c.ids);
    return cl__eng_end(&e, rc, stats, err);
}

cl_err
cl_engine_debrief_held(cl_store *st, int64_t task_id, const char *notes,
                       int disputed, const char *reason, const char *actor,
                       cl_time now, cl_error *err)
{
    cl_store_task_filter f = {.id = task_id};
    cl_wf_churn c;
    cl_wf_effects fx;
    cl__eng e;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    one_task o = {.e = &e};
    cl_wf_effects_init(&fx);
    rc = cl_store_tasks_each(st, &f, one_task_cb, &o, err);
    if (rc == CL_OK && !o.found)
        rc =
            cl_error_set(err, CL_ENOTFOUND, "no task %lld", (long long)task_id);
    const cl_wf_task *t = &o.t;
    if (rc == CL_OK &&
        (!t->kind || strcmp(t->kind, "debrief") != 0 || !t->subject_kind ||
         strcmp(t->subject_kind, "churn") != 0 || !t->subject_id ||
         !*t->subject_id))
        rc = cl_error_set(err, CL_EINVAL, "This task is not a churn's debrief");
    if (rc == CL_OK && t->done)
        rc = cl_error_set(err, CL_ECONFLICT, "This debrief is done already");
    cl_vis_rel rel = {t->assignee_id, t->assignee_manager_id, NULL};
    if (rc == CL_OK)
        rc = cl__eng_check_may(&e, actor, "--by", CL_VA_TASK_DONE, &rel, err);
    if (rc == CL_OK)
        rc = cl__eng_get_churn(&e, t->subject_id, &c, err);
    if (rc == CL_OK)
        rc = cl_wf_debrief_held(&e.cfg, &c, actor, notes, disputed, reason, &fx,
                                err);
    rc = run_rule_and_apply(&e, rc, &fx, err);
    return cl__eng_end(&e, rc, NULL, err);
}
