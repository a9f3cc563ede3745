/*
 * crm.c - the write-back's PATCH, sent with libcurl (closeloop-net.so): the
 * request is made from the outbox row and the settings when it is sent
 * (crm_request.c), so a token or base URL changed later is the one used.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify_int.h"

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
