/* hubspot_event.c - a HubSpot webhook event as canonical fields. */
#include "hubspot_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/date.h"
#include "mapping.h"

/* A HubSpot property: the canonical column it is, and its internal values
   in the export's words (FROM=TO;...), or NULL. */
typedef struct prop {
    const char *name, *column, *values;
    int ms_date; /* the value is milliseconds since 1970 */
} prop;

static const prop deal_props[] = {
    {"dealstage", "stage", "closedwon=Closed Won;closedlost=Closed Lost", 0},
    {"amount", "arr", NULL, 0},
    {"closedate", "closed_on", NULL, 1},
    {"createdate", "created_on", NULL, 1},
    {"dealtype", "type",
     "newbusiness=New Business;existingbusiness=Existing Business", 0},
    {"hubspot_owner_id", "ae_id", NULL, 0},
    {NULL, NULL, NULL, 0}};

static const prop company_props[] = {
    {"name", "name", NULL, 0},
    {"industry", "industry", NULL, 0},
    {"numberofemployees", "employees", NULL, 0},
    {"country", "region", NULL, 0},
    {"lifecyclestage", "status", NULL, 0},
    {"hs_customer_since", "customer_since", NULL, 1},
    {NULL, NULL, NULL, 0}};

cl_err
cl_hubspot_event_id(json_t *ev, char out[CL_HUBSPOT_EVENT_ID_MAX],
                    cl_error *err)
{
    json_t *v = json_object_get(ev, "eventId");
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return cl_error_set(err, CL_EINVAL,
                            "eventId: expected a positive whole number");
    if (!json_is_string(json_object_get(ev, "subscriptionType")))
        return cl_error_set(err, CL_EINVAL, "subscriptionType: expected text");
    snprintf(out, CL_HUBSPOT_EVENT_ID_MAX, "%lld",
             (long long)json_integer_value(v));
    return CL_OK;
}

/* The export's word for internal value in, by the pairs of values. */
static const char *
export_word(const char *values, const char *in, char *buf, size_t len)
{
    size_t n = strlen(in);
    for (const char *p = values; p && *p;) {
        const char *eq = strchr(p, '='), *end = strchr(p, ';');
        if (end == NULL)
            end = p + strlen(p);
        if (eq && eq < end && (size_t)(eq - p) == n && !strncmp(p, in, n)) {
            snprintf(buf, len, "%.*s", (int)(end - eq - 1), eq + 1);
            return buf;
        }
        p = *end ? end + 1 : end;
    }
    return in;
}

/* Milliseconds since 1970 (HubSpot's dates) as YYYY-MM-DD; in as it is
   when it is not such a number. */
static const char *
ms_date(const char *in, char *buf)
{
    long long v = 0;
    size_t n = strlen(in);
    if (n == 0 || n > 15)
        return in;
    for (const char *p = in; *p; p++) {
        if (*p < '0' || *p > '9')
            return in;
        v = v * 10 + (*p - '0');
    }
    cl_date_format(cl_time_day((cl_time)(v / 1000)), buf);
    return buf;
}

/* The text of a property value: HubSpot sends strings, numbers rarely. */
static const char *
value_text(json_t *v, char *buf, size_t len)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, len, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        snprintf(buf, len, "%.10g", json_real_value(v));
        return buf;
    }
    return json_is_null(v) ? "" : NULL;
}

static cl_err
set_prop(json_t *fields, cl_kind kind, const prop *p, json_t *jv,
         cl_time occurred, cl_error *err)
{
    char num[64], word[64], date[11], out[512];
    const char *v = value_text(jv, num, sizeof num);
    if (v == NULL)
        return cl_error_set(err, CL_EINVAL,
                            "propertyValue: expected text for %s", p->name);
    if (strlen(v) > 400)
        return cl_error_set(err, CL_EINVAL,
                            "propertyValue: %s is over 400 bytes", p->name);
    v = export_word(p->values, v, word, sizeof word);
    if (p->ms_date)
        v = ms_date(v, date);
    cl_mapping *m = NULL;
    cl_err rc = cl_mapping_preset("hubspot", kind, &m, err);
    if (rc == CL_OK)
        rc = cl_mapping_value(m, p->column, v, out, sizeof out, err);
    cl_mapping_free(m);
    if (rc == CL_ENOTFOUND) {
        /* The preset has no rule (the owner id): the value as it is. */
        cl_error_clear(err);
        snprintf(out, sizeof out, "%s", v);
        rc = CL_OK;
    } else if (rc == CL_EINVAL) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        return cl_error_set(err, CL_EINVAL, "%s (%s): %s", p->name, p->column,
                            msg);
    }
    if (rc != CL_OK)
        return rc;
    json_object_set_new(fields, p->column,
                        *out ? json_string(out) : json_null());
    if (strcmp(p->column, "stage") == 0 && *out) {
        int closed = !strcmp(out, "closed_won") || !strcmp(out, "closed_lost");
        if (closed && occurred > 0) {
            cl_date_format(cl_time_day(occurred), date);
            json_object_set_new(fields, "closed_on", json_string(date));
        } else if (!closed) {
            json_object_set_new(fields, "closed_on", json_null());
        }
    }
    return CL_OK;
}

/* A new object {"id": the whole number v as text}, or NULL. */
static json_t *
id_object(json_t *v)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(v));
    return json_pack("{s:s}", "id", id);
}

/*
 * deal.associationChange: a deal associated with a company is the deal's
 * account.  A removed association changes nothing (a deal keeps an
 * account), nor do associations with anything but a company.
 */
static cl_err
deal_company(json_t *ev, cl_kind *kind, json_t **fields, cl_error *err)
{
    const char *at = json_string_value(json_object_get(ev, "associationType"));
    json_t *from = json_object_get(ev, "fromObjectId");
    json_t *to = json_object_get(ev, "toObjectId");
    if (at == NULL || strcmp(at, "DEAL_TO_COMPANY") != 0) {
        cl_error_set(err, CL_OK, "deal.associationChange: %.60s is not kept",
                     at ? at : "an association");
        return CL_OK;
    }
    if (json_is_true(json_object_get(ev, "associationRemoved"))) {
        cl_error_set(err, CL_OK,
                     "deal.associationChange: a removed company is not "
                     "applied (a deal keeps its account)");
        return CL_OK;
    }
    if (!json_is_integer(from) || json_integer_value(from) <= 0 ||
        !json_is_integer(to) || json_integer_value(to) <= 0)
        return cl_error_set(err, CL_EINVAL,
                            "fromObjectId, toObjectId: expected positive "
                            "whole numbers");
    json_t *f = id_object(from), *acct = id_object(to);
    if (f == NULL || acct == NULL) {
        json_decref(f);
        json_decref(acct);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    json_object_set(f, "account_id", json_object_get(acct, "id"));
    json_decref(acct);
    *kind = CL_KIND_DEALS;
    *fields = f;
    return CL_OK;
}

cl_err
cl_hubspot_event_map(json_t *ev, cl_kind *kind, json_t **fields, cl_error *err)
{
    *fields = NULL;
    *kind = CL_KIND_NONE;
    if (!json_is_object(ev))
        return cl_error_set(err, CL_EINVAL, "event: expected an object");
    const char *type =
        json_string_value(json_object_get(ev, "subscriptionType"));
    if (type == NULL)
        return cl_error_set(err, CL_EINVAL, "subscriptionType: expected text");
    if (!strcmp(type, "deal.associationChange"))
        return deal_company(ev, kind, fields, err);
    json_t *obj = json_object_get(ev, "objectId");
    const prop *props;
    const char *what;
    if (!strncmp(type, "deal.", 5)) {
        *kind = CL_KIND_DEALS;
        props = deal_props;
        what = type + 5;
    } else if (!strncmp(type, "company.", 8)) {
        *kind = CL_KIND_ACCOUNTS;
        props = company_props;
        what = type + 8;
    } else {
        cl_error_set(err, CL_OK, "%.60s: not kept by closeloop", type);
        return CL_OK;
    }
    json_t *occ = json_object_get(ev, "occurredAt");
    cl_time occurred =
        json_is_integer(occ) ? (cl_time)(json_integer_value(occ) / 1000) : 0;
    const prop *p = NULL;
    if (!strcmp(what, "propertyChange")) {
        const char *name =
            json_string_value(json_object_get(ev, "propertyName"));
        if (name == NULL)
            return cl_error_set(err, CL_EINVAL, "propertyName: expected text");
        for (size_t i = 0; props[i].name && !p; i++)
            if (!strcmp(props[i].name, name))
                p = &props[i];
        if (p == NULL) {
            cl_error_set(err, CL_OK, "%.60s: property %.60s is not mapped",
                         type, name);
            return CL_OK;
        }
    } else if (strcmp(what, "creation") != 0) {
        cl_error_set(err, CL_OK, "%.60s: not kept by closeloop", type);
        return CL_OK;
    }
    if (!json_is_integer(obj) || json_integer_value(obj) <= 0)
        return cl_error_set(err, CL_EINVAL,
                            "objectId: expected a positive whole number");
    json_t *f = id_object(obj);
    if (f == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    cl_err rc = p ? set_prop(f, *kind, p, json_object_get(ev, "propertyValue"),
                             occurred, err)
                  : CL_OK;
    if (rc != CL_OK) {
        json_decref(f);
        return rc;
    }
    *fields = f;
    return CL_OK;
}
