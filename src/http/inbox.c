/* inbox.c - inbound events received and applied (inbox.h). */
#include "inbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/engine.h"
#include "../io/field.h"
#include "../io/hubspot_event.h"
#include "../io/sfdc_soap.h"
#include "../store/store_inbox.h"
#include "http_int.h"

/* The kinds a generic event may write: what a CRM or a CS tool knows.
   Users carry roles and credentials, and settings are RevOps' own. */
static const cl_kind generic_kinds[] = {
    CL_KIND_ACCOUNTS,     CL_KIND_DEALS,   CL_KIND_CHURNS,
    CL_KIND_RECOVERIES,   CL_KIND_REVIEWS, CL_KIND_CS_HOURS,
    CL_KIND_ARR_MOVEMENTS};

static cl_kind
generic_kind(const char *name)
{
    char plural[40];
    cl_kind k = cl_kind_from_name(name);
    if (k == CL_KIND_NONE) {
        size_t n = strlen(name);
        /* The singular: deal, churn, recovery, cs_hours stays. */
        if (n > 1 && n < 30 && name[n - 1] == 'y')
            snprintf(plural, sizeof plural, "%.*sies", (int)n - 1, name);
        else
            snprintf(plural, sizeof plural, "%.30ss", name);
        k = cl_kind_from_name(plural);
    }
    for (size_t i = 0; i < sizeof generic_kinds / sizeof generic_kinds[0]; i++)
        if (generic_kinds[i] == k)
            return k;
    return CL_KIND_NONE;
}

cl_err
cl__inbox_generic_check(json_t *body, cl_kind *kind, cl_error *err)
{
    const char *key;
    json_t *v;
    *kind = CL_KIND_NONE;
    if (!json_is_object(body))
        return cl_error_set(err, CL_EINVAL, "body: expected a JSON object");
    json_object_foreach(body, key, v)
    {
        if (strcmp(key, "id") && strcmp(key, "kind") && strcmp(key, "record"))
            return cl_error_set(err, CL_EINVAL,
                                "%.60s: unknown field (expected id, kind, "
                                "record)",
                                key);
    }
    const char *id = json_string_value(json_object_get(body, "id"));
    const char *k = json_string_value(json_object_get(body, "kind"));
    if (id == NULL || !*id || strlen(id) > CL_INBOX_ID_MAX)
        return cl_error_set(err, CL_EINVAL,
                            "id: expected the event's id, 1 to %d characters",
                            CL_INBOX_ID_MAX);
    if (k == NULL || (*kind = generic_kind(k)) == CL_KIND_NONE)
        return cl_error_set(err, CL_EINVAL,
                            "kind: expected account, deal, churn, recovery, "
                            "review, cs_hours or arr_movement");
    json_t *rec = json_object_get(body, "record");
    if (!json_is_object(rec))
        return cl_error_set(err, CL_EINVAL, "record: expected an object");
    const cl_kind_def *def = cl_kind_get(*kind);
    json_object_foreach(rec, key, v)
    {
        if (cl_kind_field_index(def, key) < 0)
            return cl_error_set(err, CL_EINVAL,
                                "record.%.60s: %s have no "
                                "such field",
                                key, def->name);
    }
    if (!json_is_string(json_object_get(rec, def->fields[0].name)))
        return cl_error_set(err, CL_EINVAL, "record.%s: required",
                            def->fields[0].name);
    return CL_OK;
}

cl_err
cl__inbox_receive(cl_store *st, const char *source, size_t n,
                  const char *const *ids, const char *const *payloads,
                  cl_time now, int64_t *inbox_ids, int *added, cl_error *err)
{
    char actor[32];
    snprintf(actor, sizeof actor, "webhook:%s", source);
    *added = 0;
    cl_err rc = cl_store_begin(st, actor, now, err);
    for (size_t i = 0; rc == CL_OK && i < n; i++) {
        int one = 0;
        rc = cl_store_inbox_add(st, source, ids[i], payloads[i], &inbox_ids[i],
                                &one, err);
        *added += one;
    }
    if (rc == CL_OK)
        rc = cl_store_commit(st, err);
    if (rc != CL_OK)
        cl_store_rollback(st);
    return rc;
}

/* ---- applying ------------------------------------------------------- */

typedef struct ev_copy {
    char source[16];
    char status[16];
    char *payload;
} ev_copy;

static int
copy_cb(void *ud, const cl_inbox_event *ev)
{
    ev_copy *c = ud;
    snprintf(c->source, sizeof c->source, "%s", ev->source);
    snprintf(c->status, sizeof c->status, "%s", ev->status);
    c->payload = strdup(ev->payload ? ev->payload : "");
    return 1;
}

/*
 * The payload of source as *kind and the canonical fields it sets
 * (*fields; NULL with err->msg the note when there is nothing to apply).
 */
static cl_err
map_payload(const char *source, json_t *p, cl_kind *kind, json_t **fields,
            cl_error *err)
{
    *fields = NULL;
    if (!strcmp(source, CL_INBOX_HUBSPOT))
        return cl_hubspot_event_map(p, kind, fields, err);
    if (!strcmp(source, CL_INBOX_SALESFORCE))
        return cl_sfdc_note_map(p, kind, fields, err);
    cl_err rc = cl__inbox_generic_check(p, kind, err);
    if (rc != CL_OK)
        return rc;
    json_t *rec = json_object_get(p, "record");
    /* A tag is someone's: the engine would record the webhook as its
       author, which is no user. */
    if (*kind == CL_KIND_CHURNS &&
        json_is_string(json_object_get(rec, "primary_cause")) &&
        !json_is_string(json_object_get(rec, "tagged_by")))
        return cl_error_set(err, CL_EINVAL,
                            "tagged_by: required with primary_cause (the "
                            "user who tagged the churn)");
    *fields = json_deep_copy(rec);
    return *fields ? CL_OK : cl_error_set(err, CL_ENOMEM, "out of memory");
}

/*
 * The record the event writes: the stored record of kind (if any) with
 * fields over it, as a row in b.  CL_EINVAL with a one-line message.
 */
static cl_err
merged_row(cl_store *st, cl_kind kind, json_t *fields, cl_http_row_buf *b,
           cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(kind);
    const char *id =
        json_string_value(json_object_get(fields, def->fields[0].name));
    cl_value key, row[32];
    int found = 0;
    const char *bad = NULL;
    memset(b, 0, sizeof *b);
    if (id == NULL || cl_http_record_key(kind, id, &key) < 0)
        return cl_error_set(err, CL_EINVAL, "%s: required",
                            def->fields[0].name);
    cl_err rc = cl_store_get(st, kind, &key, row, &found, err);
    if (rc != CL_OK)
        return rc;
    json_t *rec =
        found ? cl_http_record_json(kind, row, CL_VG_ALL) : json_object();
    if (rec == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    json_object_update(rec, fields);
    const char **causes = NULL;
    if (kind == CL_KIND_CHURNS)
        rc = cl_field_cause_codes(st, &causes, err);
    if (rc == CL_OK)
        rc = cl_http_json_row(kind, rec, causes, b, &bad, err);
    free(causes);
    json_decref(rec);
    if (rc == CL_EINVAL) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        /* A field the event did not send is missing from a new record:
           say it is new, or the message reads as a bad value. */
        if (found)
            cl_error_set(err, CL_EINVAL, "%s: %s", bad ? bad : "", msg);
        else
            cl_error_set(err, CL_EINVAL, "%s '%.60s' is new: %s: %s", def->name,
                         id, bad ? bad : "", msg);
        return CL_EINVAL;
    }
    if (rc == CL_OK)
        rc = cl__http_row_refs(st, kind, b->row, &bad, err);
    return rc;
}

/* Marks event id failed (from status from) with err's message, in a
   transaction of its own. */
static cl_err
mark_failed(cl_store *st, int64_t id, const char *from, const char *actor,
            cl_time now, const cl_error *why, cl_error *err)
{
    int moved;
    cl_err rc = cl_store_begin(st, actor, now, err);
    if (rc == CL_OK)
        rc = cl_store_inbox_move(st, id, from, "failed", why->msg, &moved, err);
    if (rc == CL_OK)
        rc = cl_store_commit(st, err);
    if (rc != CL_OK)
        cl_store_rollback(st);
    return rc;
}

/* Refusals of the event itself, as opposed to the store failing. */
static int
refused(cl_err e)
{
    return e == CL_EINVAL || e == CL_ENOTFOUND || e == CL_ECONFLICT ||
           e == CL_EFORBIDDEN;
}

cl_err
cl__inbox_apply(cl_store *st, int64_t id, cl_time now, cl_inbox_outcome *out,
                cl_error *err)
{
    ev_copy c = {0};
    int found = 0, moved = 0;
    cl_kind kind = CL_KIND_NONE;
    json_t *p = NULL, *fields = NULL;
    cl_http_row_buf b;
    cl_error why;
    char actor[32];
    memset(&b, 0, sizeof b);
    *out = CL_INBOX_SKIPPED;
    cl_error_clear(&why);
    cl_err rc = cl_store_inbox_get(st, id, copy_cb, &c, &found, err);
    if (rc == CL_OK && found && c.payload == NULL)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    /* Applied, failed or discarded already: nothing to do. */
    if (rc != CL_OK || !found || strcmp(c.status, "pending") != 0) {
        free(c.payload);
        return rc;
    }
    snprintf(actor, sizeof actor, "webhook:%s", c.source);
    /* Pure work first: a payload that does not map fails without a
       write. */
    p = json_loads(c.payload, 0, NULL);
    cl_err e = p ? map_payload(c.source, p, &kind, &fields, &why)
                 : cl_error_set(&why, CL_EINVAL, "payload: not JSON");
    rc = CL_OK;
    if (e == CL_OK)
        rc = cl_store_begin(st, actor, now, err);
    /* The move is the claim: whoever moves it from pending applies it,
       once, even when two threads reach it together. */
    if (e == CL_OK && rc == CL_OK)
        rc = cl_store_inbox_move(st, id, "pending", "applied",
                                 fields ? NULL : why.msg, &moved, err);
    if (e == CL_OK && rc == CL_OK && moved && fields) {
        e = merged_row(st, kind, fields, &b, &why);
        cl_put_result res;
        if (e == CL_OK)
            e = cl_engine_put(st, kind, b.row, actor, now, &res, NULL, &why);
    }
    if (e == CL_OK && rc == CL_OK && moved)
        rc = cl_store_commit(st, err);
    if (e != CL_OK || rc != CL_OK || !moved)
        cl_store_rollback(st);
    if (e != CL_OK && refused(e)) {
        rc = mark_failed(st, id, "pending", actor, now, &why, err);
        *out = CL_INBOX_FAILED;
    } else if (e != CL_OK) {
        rc = cl_error_set(err, e, "%s", why.msg);
    } else if (rc == CL_OK && moved) {
        *out = CL_INBOX_APPLIED;
    }
    cl_http_row_buf_free(&b);
    json_decref(fields);
    json_decref(p);
    free(c.payload);
    return rc;
}

typedef struct pending_ud {
    int64_t ids[64];
    int n;
} pending_ud;

static int
pending_cb(void *ud, const cl_inbox_event *ev)
{
    pending_ud *u = ud;
    u->ids[u->n++] = ev->id;
    return u->n == 64;
}

cl_err
cl__inbox_apply_pending(cl_store *st, cl_time now, int *applied, int *failed,
                        cl_error *err)
{
    int64_t after = 0;
    int a = 0, f = 0;
    cl_err rc = CL_OK;
    for (;;) {
        pending_ud u = {.n = 0};
        rc = cl_store_inbox_list(st, "pending", after, 64, pending_cb, &u, err);
        cl_store_end_read(st);
        for (int i = 0; rc == CL_OK && i < u.n; i++) {
            cl_inbox_outcome o;
            rc = cl__inbox_apply(st, u.ids[i], now, &o, err);
            a += o == CL_INBOX_APPLIED;
            f += o == CL_INBOX_FAILED;
            after = u.ids[i];
        }
        if (rc != CL_OK || u.n < 64)
            break;
    }
    if (applied)
        *applied = a;
    if (failed)
        *failed = f;
    return rc;
}

/* ---- summaries ---------------------------------------------------------- */

/* "key=value" of the first field of obj other than skip, or "". */
static void
first_field(json_t *obj, const char *skip, char *out, size_t len)
{
    const char *key;
    json_t *v;
    out[0] = '\0';
    json_object_foreach(obj, key, v)
    {
        if (skip && !strcmp(key, skip))
            continue;
        snprintf(out, len, " %.40s=%.40s", key,
                 json_is_string(v) ? json_string_value(v) : "");
        return;
    }
}

void
cl__inbox_summary(const char *source, const char *payload, char *out,
                  size_t len)
{
    json_t *p = json_loads(payload, 0, NULL);
    char rest[96];
    if (p == NULL) {
        snprintf(out, len, "(not JSON)");
        return;
    }
    if (!strcmp(source, CL_INBOX_HUBSPOT)) {
        const char *name =
            json_string_value(json_object_get(p, "propertyName"));
        json_t *v = json_object_get(p, "propertyValue");
        snprintf(out, len, "%.40s %lld%s%.40s%s%.40s",
                 json_string_value(json_object_get(p, "subscriptionType"))
                     ? json_string_value(json_object_get(p, "subscriptionType"))
                     : "?",
                 (long long)json_integer_value(json_object_get(p, "objectId")),
                 name ? " " : "", name ? name : "", name ? "=" : "",
                 json_is_string(v) ? json_string_value(v) : "");
    } else if (!strcmp(source, CL_INBOX_SALESFORCE)) {
        json_t *f = json_object_get(p, "fields");
        first_field(f, "Id", rest, sizeof rest);
        snprintf(out, len, "%.40s %.40s%s",
                 json_string_value(json_object_get(p, "type"))
                     ? json_string_value(json_object_get(p, "type"))
                     : "?",
                 json_string_value(json_object_get(f, "Id"))
                     ? json_string_value(json_object_get(f, "Id"))
                     : "?",
                 rest);
    } else {
        json_t *rec = json_object_get(p, "record");
        const char *k = json_string_value(json_object_get(p, "kind"));
        cl_kind kind = k ? generic_kind(k) : CL_KIND_NONE;
        const char *keyname =
            kind == CL_KIND_NONE ? "id" : cl_kind_get(kind)->fields[0].name;
        first_field(rec, keyname, rest, sizeof rest);
        snprintf(out, len, "%.40s %.60s%s", k ? k : "?",
                 json_string_value(json_object_get(rec, keyname))
                     ? json_string_value(json_object_get(rec, keyname))
                     : "?",
                 rest);
    }
    json_decref(p);
}
