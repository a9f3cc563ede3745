/*
 * engine_coaching.c - coaching items a sales lead opens and follows up
 * (issue 16): the AE's manager (or VP Sales, or RevOps) opens one from a
 * finding, records the conversation privately on it and closes it.  The
 * items the bad-fit and recovery reviews open come from the workflow
 * (engine_apply.c); these are the same records, opened by a person.
 */
#include <stdio.h>
#include <string.h>

#include "../core/record.h"
#include "../core/taxonomy.h"
#include "engine_int.h"

/* Longest conversation note kept on an item. */
#define NOTE_MAX 4000

/* The user id's role and manager (copies in e's arena); *found 0 when
   there is no such user. */
static cl_err
user_of(cl__eng *e, const char *id, const char **role, const char **manager,
        int *found, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(CL_KIND_USERS);
    cl_value key = {.type = CL_V_TEXT, .s = id}, row[8];
    int ri = cl_kind_field_index(def, "role");
    int mi = cl_kind_field_index(def, "manager_id");
    *role = *manager = NULL;
    cl_err rc = cl_store_get(e->st, CL_KIND_USERS, &key, row, found, err);
    if (rc == CL_OK && *found) {
        if (row[ri].type == CL_V_TEXT)
            *role = cl__eng_str(e, row[ri].s);
        if (row[mi].type == CL_V_TEXT)
            *manager = cl__eng_str(e, row[mi].s);
    }
    return rc;
}

static int
note_ok(const char *note, cl_error *err)
{
    if (note && strlen(note) > NOTE_MAX) {
        cl_error_set_field(err, CL_EINVAL, "note",
                           "note: at most %d characters", NOTE_MAX);
        return 0;
    }
    return 1;
}

/* The coaching causes: the taxonomy's sales-attributable codes and the
   recovery review's trust breakdown. */
static int
coaching_cause(const cl__eng *e, const char *cause)
{
    if (cause && strcmp(cause, "trust_breakdown") == 0)
        return 1;
    const cl_cause *c = cl_taxonomy_in(e->cfg.causes, e->cfg.ncauses, cause);
    return c && c->sales_attributable;
}

/* A coaching cause as people read it: its taxonomy label, "Trust
   breakdown", or the code when neither is known. */
static const char *
cause_words(const cl__eng *e, const char *cause)
{
    if (cause && strcmp(cause, "trust_breakdown") == 0)
        return "Trust breakdown";
    const cl_cause *c = cl_taxonomy_in(e->cfg.causes, e->cfg.ncauses, cause);
    return c && c->label && *c->label ? c->label : cause;
}

/* An item by its unique key (AE, period, cause). */
typedef struct key {
    const char *ae_id, *period, *cause;
    int64_t id;
} key;

static int
key_cb(void *ud, const cl_store_coaching_row *r)
{
    key *k = ud;
    if (strcmp(r->ae_id, k->ae_id) == 0 && strcmp(r->period, k->period) == 0 &&
        strcmp(r->cause, k->cause) == 0)
        k->id = r->id;
    return 0;
}

cl_err
cl_engine_coaching_open(cl_store *st, const char *ae_id, const char *cause,
                        const char *period, const char *note, const char *actor,
                        cl_time now, int64_t *id, cl_error *err)
{
    cl__eng e;
    cl_period p;
    const char *role = NULL, *manager = NULL;
    int found = 0, inserted = 0;
    *id = 0;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    if (ae_id == NULL || *ae_id == '\0')
        rc = cl_error_set_field(err, CL_EINVAL, "ae_id", "ae_id: required");
    if (rc == CL_OK)
        rc = user_of(&e, ae_id, &role, &manager, &found, err);
    if (rc == CL_OK && (!found || !role || strcmp(role, "ae") != 0))
        rc = cl_error_set_field(err, CL_EINVAL, "ae_id", "ae_id: no AE '%.64s'",
                                ae_id);
    if (rc == CL_OK && !coaching_cause(&e, cause))
        rc = cl_error_set_field(
            err, CL_EINVAL, "cause",
            "cause: expected a sales-attributable cause of the "
            "taxonomy or trust_breakdown, got '%.64s'",
            cause ? cause : "");
    if (rc == CL_OK && (period == NULL || cl_period_parse(period, &p) != 0 ||
                        p.kind != CL_PERIOD_QUARTER))
        rc =
            cl_error_set_field(err, CL_EINVAL, "period",
                               "period: expected a quarter YYYYQn, got '%.32s'",
                               period ? period : "");
    if (rc == CL_OK && !note_ok(note, err))
        rc = CL_EINVAL;
    cl_vis_rel rel = {ae_id, manager, "ae"};
    if (rc == CL_OK)
        rc =
            cl__eng_check_may(&e, actor, "by", CL_VA_COACHING_WRITE, &rel, err);
    if (rc == CL_OK)
        rc = cl_store_coaching_add(st, ae_id, 0, period, cause, note, "private",
                                   &inserted, err);
    const char *name =
        rc == CL_OK && !inserted ? cl__eng_user_name(&e, ae_id) : NULL;
    if (rc == CL_OK && !inserted)
        rc = cl_error_set(
            err, CL_ECONFLICT, "%s already has a coaching item on %s for %s",
            name ? name : "This AE", cause_words(&e, cause), period);
    key k = {.ae_id = ae_id, .period = period, .cause = cause};
    if (rc == CL_OK)
        rc = cl_store_coaching_each(st, key_cb, &k, err);
    if (rc == CL_OK)
        *id = k.id;
    return cl__eng_end(&e, rc, NULL, err);
}

typedef struct one_item {
    int64_t id;
    const char *ae_id; /* in the engine's arena */
    cl__eng *e;
} one_item;

static int
item_cb(void *ud, const cl_store_coaching_row *r)
{
    one_item *o = ud;
    if (r->id == o->id)
        o->ae_id = cl__eng_str(o->e, r->ae_id);
    return 0;
}

cl_err
cl_engine_coaching_follow(cl_store *st, int64_t id, const char *note, int close,
                          const char *actor, cl_time now, cl_error *err)
{
    cl__eng e;
    one_item o = {id, NULL, &e};
    const char *role, *manager = NULL;
    int found = 0, changed = 0;
    cl_err rc = cl__eng_begin(&e, st, actor, now, err);
    if (rc != CL_OK)
        return rc;
    if (!close && (note == NULL || cl_text_blank(note)))
        rc = cl_error_set_field(err, CL_EINVAL, "note",
                                "note: required: what was said and agreed");
    if (rc == CL_OK && !note_ok(note, err))
        rc = CL_EINVAL;
    if (rc == CL_OK)
        rc = cl_store_coaching_each(st, item_cb, &o, err);
    if (rc == CL_OK && o.ae_id == NULL)
        rc = cl_error_set(err, CL_ENOTFOUND, "no coaching item %lld",
                          (long long)id);
    if (rc == CL_OK)
        rc = user_of(&e, o.ae_id, &role, &manager, &found, err);
    cl_vis_rel rel = {o.ae_id, manager, "ae"};
    if (rc == CL_OK)
        rc =
            cl__eng_check_may(&e, actor, "by", CL_VA_COACHING_WRITE, &rel, err);
    if (rc == CL_OK)
        rc = cl_store_coaching_update(st, id, note, close, &changed, err);
    if (rc == CL_OK && !changed)
        rc = cl_error_set(err, CL_ECONFLICT, "This coaching item is closed");
    return cl__eng_end(&e, rc, NULL, err);
}
