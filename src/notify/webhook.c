/*
 * webhook.c - one notification POSTed as JSON with libcurl, with the
 * outbox row's idempotency key in the Idempotency-Key header (and the
 * body), so a receiver dedupes a message sent twice.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "notify_int.h"

static size_t
discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

cl_err
cl__webhook_send(const char *url, int slack, const cl__msg *m, cl_error *err)
{
    json_t *o;
    if (slack) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (f == NULL)
            return cl_error_set(err, CL_ERETRY, "out of memory");
        fprintf(f, "*%s*\n%s\n_to %s · %s_", m->subject ? m->subject : m->kind,
                m->body ? m->body : "", m->recipient_id, m->kind);
        fclose(f);
        o = json_pack("{s:s, s:s}", "text", text, "idempotency_key", m->key);
        free(text);
    } else {
        o = json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s?, s:s?, s:s?, s:s?, "
                      "s:s?}",
                      "id", (json_int_t)m->id, "idempotency_key", m->key,
                      "recipient_id", m->recipient_id, "recipient_email",
                      m->email, "kind", m->kind, "subject", m->subject, "body",
                      m->body, "subject_kind", m->subject_kind, "subject_id",
                      m->subject_id, "created_at", m->created_at);
    }
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (body == NULL)
        return cl_error_set(err, CL_ERETRY, "out of memory");

    long status = 0;
    const char *why = NULL;
    cl_err rc = cl__post_json(url, body, m->key, 0, &status, &why, err);
    free(body);
    if (rc != CL_OK)
        return rc;
    if (why)
        return cl_error_set(err, CL_ERETRY, "webhook: %s", why);
    if (status < 200 || status > 299)
        return cl_error_set(err, CL_ERETRY, "webhook: HTTP %ld", status);
    return CL_OK;
}

cl_err
cl__post_json(const char *url, const char *body, const char *key, int web_only,
              long *status, const char **why, cl_error *err)
{
    char hdr[400];
    struct curl_slist *h = NULL;
    h = curl_slist_append(h, "Content-Type: application/json");
    snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", key);
    h = curl_slist_append(h, hdr);
    *status = 0;
    *why = NULL;
    CURL *c = curl_easy_init();
    cl_err rc = CL_OK;
    if (c == NULL) {
        rc = cl_error_set(err, CL_ERETRY, "curl_easy_init failed");
        goto out;
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    if (web_only)
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode cc = curl_easy_perform(c);
    if (cc != CURLE_OK)
        *why = curl_easy_strerror(cc);
    else
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(c);
out:
    curl_slist_free_all(h);
    return rc;
}
