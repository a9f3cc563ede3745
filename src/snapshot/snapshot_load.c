#include "snapshot_load.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/strset.h"
#include "../store/store_engine.h"

typedef struct load_ctx {
    cl_snapshot *s;
    cl_kind kind;
    cl_err rc;
    cl_error *err;
} load_ctx;

static int
add_row(void *ud, const cl_value *row)
{
    load_ctx *c = ud;
    c->rc = cl_snapshot_add(c->s, c->kind, row, c->err);
    return c->rc != CL_OK;
}

static int
add_cause(void *ud, const cl_cause *cause)
{
    load_ctx *c = ud;
    c->rc = cl_snapshot_set_cause(c->s, cause, c->err);
    return c->rc != CL_OK;
}

static int
add_threshold(void *ud, const char *key, double value)
{
    load_ctx *c = ud;
    c->rc = cl_snapshot_set_threshold(c->s, key, value, c->err);
    return c->rc != CL_OK;
}

/* --- the loop engine's records ------------------------------------------ */

typedef struct loop_ctx {
    cl_snapshot *s;
    cl_strset *churns; /* churn id -> row (ordinal) */
    cl_err rc;
    cl_error *err;
    /* Sessions: id -> kind and period (copies). */
    int64_t *sid;
    char **skind, **speriod;
    size_t nsessions, cap;
} loop_ctx;

static int32_t
churn_row(const loop_ctx *c, const char *id)
{
    return id ? (int32_t)cl_strset_find(c->churns, id, strlen(id)) : -1;
}

/* The store's times, "YYYY-MM-DDTHH:MM:SSZ" (seconds and Z optional). */
static cl_time
time_of(const char *text)
{
    char head[17];
    cl_time t;
    size_t len = text ? strlen(text) : 0;
    if (len < 16)
        return CL_TIME_NONE;
    memcpy(head, text, 16);
    head[16] = '\0';
    if (cl_time_parse(head, &t) != 0)
        return CL_TIME_NONE;
    const char *rest = text + 16;
    if (rest[0] == ':' && rest[1] >= '0' && rest[1] <= '5' && rest[2] >= '0' &&
        rest[2] <= '9') {
        t += (rest[1] - '0') * 10 + (rest[2] - '0');
        rest += 3;
    }
    if (rest[0] == 'Z')
        rest++;
    return *rest == '\0' ? t : CL_TIME_NONE;
}

static cl_day
day_of(const char *text)
{
    cl_day d;
    return text && cl_date_parse(text, strlen(text), &d) == 0 ? d : CL_DAY_NONE;
}

/* The churn flags to Sales: the notices. */
static int
add_notice(void *ud, const cl_store_outbox_row *r)
{
    loop_ctx *c = ud;
    if (!r->kind || strcmp(r->kind, "churn_flag") != 0 || !r->subject_kind ||
        strcmp(r->subject_kind, "churn") != 0)
        return 0;
    int32_t churn = churn_row(c, r->subject_id);
    cl_time queued = time_of(r->created_at);
    if (churn < 0 || queued == CL_TIME_NONE)
        return 0;
    c->rc = cl_snapshot_add_notice(
        c->s, churn,
        r->recipient_id ? cl_snapshot_user(c->s, r->recipient_id) : -1, queued,
        time_of(r->sent_at), c->err);
    return c->rc != CL_OK;
}

/* 0 when the record's JSON text surely has a null (or no) primary_cause:
   spares parsing the insert of every untagged churn. */
static int
tagged_text(const char *json)
{
    const char *p = json ? strstr(json, "\"primary_cause\"") : NULL;
    if (p == NULL)
        return 0;
    p += strlen("\"primary_cause\"");
    while (*p == ' ' || *p == ':' || *p == '\t' || *p == '\n')
        p++;
    return strncmp(p, "null", 4) != 0;
}

static int8_t
cause_of(const cl_snapshot *s, json_t *rec)
{
    return (int8_t)cl_snapshot_cause(
        s, json_string_value(json_object_get(rec, "primary_cause")));
}

static uint32_t
contributing_of(const cl_snapshot *s, json_t *rec)
{
    return cl_snapshot_cause_mask(
        s, json_string_value(json_object_get(rec, "contributing_causes")));
}

/*
 * The tag changes: the record-level entries of churns ("insert" of a
 * tagged churn, "update" that changes the primary or contributing causes),
 * which a tag through the engine and a re-import both write; the engine's
 * own churn_tagged / churn_tag_changed entries repeat them and are skipped.
 */
static int
add_tag_change(void *ud, const cl_audit_entry *e)
{
    loop_ctx *c = ud;
    int insert = strcmp(e->action, "insert") == 0;
    if (!insert && strcmp(e->action, "update") != 0)
        return 0;
    /* Cheap test first: most inserts are of untagged churns. */
    if (insert && !tagged_text(e->new_json))
        return 0;
    json_t *old =
        insert || !e->old_json ? NULL : json_loads(e->old_json, 0, NULL);
    json_t *new = e->new_json ? json_loads(e->new_json, 0, NULL) : NULL;
    int8_t oc = old ? cause_of(c->s, old) : -1,
           nc = new ? cause_of(c->s, new) : -1;
    uint32_t om = old ? contributing_of(c->s, old) : 0,
             nm = new ? contributing_of(c->s, new) : 0;
    json_decref(old);
    json_decref(new);
    int32_t churn = churn_row(c, e->entity_id);
    cl_time at = time_of(e->at);
    if (churn < 0 || at == CL_TIME_NONE || (oc == nc && om == nm))
        return 0;
    int32_t by = e->actor ? cl_snapshot_user(c->s, e->actor) : -1;
    c->rc =
        cl_snapshot_add_tag_change(c->s, churn, by, at, oc, om, nc, nm, c->err);
    return c->rc != CL_OK;
}

static int
add_session(void *ud, const cl_store_session_row *r)
{
    loop_ctx *c = ud;
    /* Three columns of one capacity: c->cap moves with the last. */
    size_t need = c->nsessions + 1, kcap = c->cap, pcap = c->cap;
    if (cl_grow(&c->skind, &kcap, need, sizeof *c->skind) != CL_OK ||
        cl_grow(&c->speriod, &pcap, need, sizeof *c->speriod) != CL_OK ||
        cl_grow(&c->sid, &c->cap, need, sizeof *c->sid) != CL_OK) {
        c->rc = cl_error_set(c->err, CL_ENOMEM, "out of memory");
        return 1;
    }
    size_t i = c->nsessions;
    c->sid[i] = r->id;
    c->skind[i] = r->kind ? strdup(r->kind) : NULL;
    c->speriod[i] = r->period ? strdup(r->period) : NULL;
    c->nsessions++;
    if ((r->kind && !c->skind[i]) || (r->period && !c->speriod[i])) {
        c->rc = cl_error_set(c->err, CL_ENOMEM, "out of memory");
        return 1;
    }
    return 0;
}

static int
add_pc(void *ud, const cl_store_pc_row *r)
{
    loop_ctx *c = ud;
    size_t i = 0;
    while (i < c->nsessions && c->sid[i] != r->session_id)
        i++;
    c->rc = cl_snapshot_add_process_change(
        c->s, i < c->nsessions ? c->skind[i] : NULL,
        i < c->nsessions ? c->speriod[i] : NULL,
        r->owner_id ? cl_snapshot_user(c->s, r->owner_id) : -1, r->description,
        day_of(r->checkin_due), day_of(r->checkin_on), c->err);
    return c->rc != CL_OK;
}

/* A recorded "reviewed, no change" ICP decision (engine/engine_icp.c). */
static int
add_icp_review(void *ud, const cl_audit_entry *e)
{
    loop_ctx *c = ud;
    if (e->action == NULL || strcmp(e->action, CL_ICP_NO_CHANGE) != 0 ||
        e->new_json == NULL)
        return 0;
    json_t *o = json_loads(e->new_json, 0, NULL);
    cl_day on = day_of(json_string_value(json_object_get(o, "decided_on")));
    json_decref(o);
    if (on == CL_DAY_NONE)
        return 0;
    c->rc = cl_snapshot_add_icp_review(c->s, on, c->err);
    return c->rc != CL_OK;
}

/* Adds the engine's notices, tag changes and process changes to s
   (finished: its user and churn rows are known). */
static cl_err
load_loop(cl_store *st, cl_snapshot *s, cl_error *err)
{
    loop_ctx c = {s, cl_strset_new(), CL_OK, err, NULL, NULL, NULL, 0, 0};
    cl_err rc = CL_OK;
    if (c.churns == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->nchurns && rc == CL_OK; i++) {
        uint32_t ord;
        const char *copy;
        if (s->churn_id[i] == NULL ||
            cl_strset_intern(c.churns, s->churn_id[i], strlen(s->churn_id[i]),
                             &ord, &copy) != 1 ||
            ord != i)
            rc = cl_error_set(err, CL_EINVAL, "snapshot: churn ids repeat");
    }
    if (rc == CL_OK && (rc = cl_store_outbox_each(st, NULL, NULL, add_notice,
                                                  &c, err)) == CL_OK)
        rc = c.rc;
    if (rc == CL_OK &&
        (rc = cl_store_audit_each(st, "churns", NULL, add_tag_change, &c,
                                  err)) == CL_OK)
        rc = c.rc;
    if (rc == CL_OK && (rc = cl_store_sessions_each(st, 0, NULL, add_session,
                                                    &c, err)) == CL_OK)
        rc = c.rc;
    if (rc == CL_OK &&
        (rc = cl_store_pcs_each(st, 0, 0, 0, add_pc, &c, err)) == CL_OK)
        rc = c.rc;
    if (rc == CL_OK &&
        (rc = cl_store_audit_each(st, "icp_versions", NULL, add_icp_review, &c,
                                  err)) == CL_OK)
        rc = c.rc;
    for (size_t i = 0; i < c.nsessions; i++) {
        free(c.skind[i]);
        free(c.speriod[i]);
    }
    free(c.sid);
    free(c.skind);
    free(c.speriod);
    cl_strset_free(c.churns);
    return rc;
}

static cl_err
load(cl_store *st, int records_only, cl_snapshot **out, cl_error *err)
{
    load_ctx c = {cl_snapshot_new(), CL_KIND_NONE, CL_OK, err};
    cl_err rc = CL_OK;

    *out = NULL;
    if (c.s == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    /* The causes first: a churn's tag is looked up among them. */
    if ((rc = cl_store_causes(st, add_cause, &c, err)) == CL_OK)
        rc = c.rc;
    for (int k = 0; k < CL_KIND_COUNT && rc == CL_OK; k++) {
        c.kind = (cl_kind)k;
        if (records_only &&
            (c.kind == CL_KIND_CS_HOURS || c.kind == CL_KIND_ARR_MOVEMENTS))
            continue;
        rc = cl_store_each(st, c.kind, add_row, &c, err);
        if (rc == CL_OK)
            rc = c.rc;
    }
    if (rc == CL_OK &&
        (rc = cl_store_thresholds(st, add_threshold, &c, err)) == CL_OK)
        rc = c.rc;
    if (rc == CL_OK)
        rc = cl_snapshot_finish(c.s, err);
    if (rc == CL_OK && !records_only)
        rc = load_loop(st, c.s, err);
    if (rc != CL_OK) {
        cl_snapshot_free(c.s);
        return rc;
    }
    *out = c.s;
    return CL_OK;
}

cl_err
cl_snapshot_load(cl_store *st, cl_snapshot **out, cl_error *err)
{
    return load(st, 0, out, err);
}

cl_err
cl_snapshot_load_records(cl_store *st, cl_snapshot **out, cl_error *err)
{
    return load(st, 1, out, err);
}
