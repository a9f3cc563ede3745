/*
 * crm.c - the write-back's requests (issue 15): an outbox row of channel
 * "crm" holds the CRM, the object, the record id and the properties; the
 * request is made from them and the settings when it is sent, so a token
 * or base URL changed later is the one used.
 */
#include <curl/curl.h>
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

typedef struct reply {
    char text[161];
    size_t n;
} reply;

static size_t
keep(char *p, size_t size, size_t n, void *ud)
{
    reply *r = ud;
    size_t len = size * n, room = sizeof r->text - 1 - r->n;
    size_t take = len < room ? len : room;
    for (size_t i = 0; i < take; i++)
        r->text[r->n++] = p[i] == '\n' || p[i] == '\r' ? ' ' : p[i];
    r->text[r->n] = '\0';
    return len;
}

cl_err
cl__crm_send(const cl__crm_cfg *c, const cl__msg *m, cl_error *err)
{
    char url[1024], hdr[2200];
    char *body = NULL;
    cl_err rc = cl__crm_request(c, m->body, url, sizeof url, &body, err);
    if (rc != CL_OK)
        return rc;
    struct curl_slist *h = NULL;
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Accept: application/json");
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", c->token);
    h = curl_slist_append(h, hdr);
    snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", m->key);
    h = curl_slist_append(h, hdr);
    reply r = {{0}, 0};
    CURL *k = curl_easy_init();
    if (k == NULL) {
        rc = cl_error_set(err, CL_ERETRY, "curl_easy_init failed");
        goto out;
    }
    curl_easy_setopt(k, CURLOPT_URL, url);
    curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, "PATCH");
    curl_easy_setopt(k, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(k, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(k, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(k, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(k, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
    CURLcode cc = curl_easy_perform(k);
    long status = 0;
    curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &status);
    if (cc != CURLE_OK)
        rc = cl_error_set(err, CL_ERETRY, "crm: %s", curl_easy_strerror(cc));
    else if (status >= 200 && status <= 299)
        rc = CL_OK;
    else if (status == 401 || status == 403 || status == 408 || status == 429 ||
             status >= 500)
        /* A rate limit, an outage or a token RevOps can still fix. */
        rc = cl_error_set(err, CL_ERETRY, "crm: HTTP %ld %s", status, r.text);
    else
        /* The CRM refused the record or a property: sending the same
           request again would not help. */
        rc = cl_error_set(err, CL_EINVAL, "crm: HTTP %ld %s", status, r.text);
    curl_easy_cleanup(k);
out:
    curl_slist_free_all(h);
    free(body);
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
