/*
 * crm_request.c - the write-back's requests (issue 15): an outbox row of
 * channel "crm" holds the CRM, the object, the record id and the
 * properties; its URL and body are made from them and the settings.  No
 * network here: `closeloop crm` previews them without loading libcurl.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify_int.h"

cl_err
cl__crm_request(const cl__crm_cfg *c, const char *row_body, char *url,
                size_t url_len, char **json, cl_error *err)
{
    char path[300];
    cl_crm crm;
    json_error_t je;
    *json = NULL;
    json_t *o = json_loads(row_body ? row_body : "", 0, &je);
    const char *name = json_string_value(json_object_get(o, "crm"));
    const char *object = json_string_value(json_object_get(o, "object"));
    const char *id = json_string_value(json_object_get(o, "id"));
    json_t *props = json_object_get(o, "properties");
    cl_err rc = CL_OK;
    if (!name || !object || !id || !json_is_object(props) ||
        cl_crm_parse(name, &crm) != 0 || crm == CL_CRM_OFF)
        rc = cl_error_set(err, CL_EINVAL, "crm: not a write-back row");
    else if (crm != c->crm)
        rc = cl_error_set(err, CL_EINVAL,
                          "crm: queued for %s, but crm_writeback is now %s",
                          name, cl_crm_name(c->crm));
    else if (cl_crm_path(crm, c->version, strcmp(object, "deal") == 0, id, path,
                         sizeof path) != 0)
        rc = cl_error_set(err, CL_EINVAL, "crm: '%s' is not a %s record id", id,
                          name);
    if (rc == CL_OK) {
        /* The base URL's trailing slash is not doubled. */
        size_t n = strlen(c->base_url);
        while (n && c->base_url[n - 1] == '/')
            n--;
        int w = snprintf(url, url_len, "%.*s%s", (int)n, c->base_url, path);
        if (w < 0 || (size_t)w >= url_len)
            rc = cl_error_set(err, CL_EINVAL, "crm: the URL is too long");
    }
    if (rc == CL_OK) {
        /* HubSpot takes {"properties": {...}}, Salesforce the fields. */
        json_t *b = crm == CL_CRM_HUBSPOT
                        ? json_pack("{s:O}", "properties", props)
                        : json_incref(props);
        *json = b ? json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(b);
        if (*json == NULL)
            rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    json_decref(o);
    return rc;
}

json_t *
cl_notify_crm_item_json(const cl_notify_crm_item *it)
{
    json_t *body = it->body ? json_loads(it->body, 0, NULL) : NULL;
    return json_pack("{s:I, s:s, s:s?, s:o?, s:s?, s:s?, s:s?, s:i, s:s?, "
                     "s:s?, s:s?}",
                     "id", (json_int_t)it->id, "method", it->method, "url",
                     it->url, "body", body, "subject", it->subject, "object",
                     it->object, "record_id", it->record_id, "attempts",
                     it->attempts, "next_attempt_at", it->next_attempt_at,
                     "last_error", it->last_error, "problem", it->problem);
}
