/*
 * smtp.c - one e-mail over SMTP with libcurl.  The Message-ID is derived
 * from the outbox row's idempotency key, so a message sent twice (a crash
 * between send and mark) is recognisably the same message.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify_int.h"

void
cl_notify_message_id(const char *key, char *out, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    char safe[200];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h = (h ^ *p) * 1099511628211ull;
        if (n + 1 < sizeof safe) {
            int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || *p == '-' || *p == '_';
            safe[n++] = ok ? (char)*p : '.';
        }
    }
    safe[n] = '\0';
    snprintf(out, len, "<%s.%016llx@closeloop>", safe, (unsigned long long)h);
}

typedef struct payload {
    char *p;
    size_t len, off;
} payload;

static size_t
read_cb(char *buf, size_t size, size_t nitems, void *ud)
{
    payload *pl = ud;
    size_t room = size * nitems, left = pl->len - pl->off;
    size_t n = left < room ? left : room;
    memcpy(buf, pl->p + pl->off, n);
    pl->off += n;
    return n;
}

/* Appends s to the payload with bare LF turned into CRLF. */
static void
put_crlf(FILE *f, const char *s)
{
    char prev = '\0';
    for (; s && *s; prev = *s++) {
        if (*s == '\n' && prev != '\r')
            fputc('\r', f);
        fputc(*s, f);
    }
}

/* A header value on one line. */
static void
put_line(FILE *f, const char *s)
{
    for (; s && *s; s++)
        fputc(*s == '\r' || *s == '\n' ? ' ' : *s, f);
}

cl_err
cl__smtp_send(const char *smtp_url, const char *from, const char *date,
              const cl__msg *m, cl_error *err)
{
    char mid[300], addr[300];
    payload pl = {0};
    size_t size = 0;
    cl_err rc = CL_OK;

    if (m->email == NULL || strchr(m->email, '@') == NULL)
        return cl_error_set(err, CL_EINVAL,
                            "recipient %s has no e-mail address",
                            m->recipient_id);
    cl_notify_message_id(m->key, mid, sizeof mid);
    FILE *f = open_memstream(&pl.p, &size);
    if (f == NULL)
        return cl_error_set(err, CL_ERETRY, "out of memory");
    fprintf(f, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nSubject: ", date, from,
            m->email);
    put_line(f, m->subject ? m->subject : m->kind);
    fprintf(f,
            "\r\nMessage-ID: %s\r\nX-Closeloop-Idempotency-Key: %s\r\n"
            "X-Closeloop-Kind: %s\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n",
            mid, m->key, m->kind);
    put_crlf(f, m->body ? m->body : "");
    fputs("\r\n", f);
    fclose(f);
    pl.len = size;

    CURL *c = curl_easy_init();
    if (c == NULL) {
        free(pl.p);
        return cl_error_set(err, CL_ERETRY, "curl_easy_init failed");
    }
    struct curl_slist *rcpt = NULL;
    snprintf(addr, sizeof addr, "<%s>", m->email);
    rcpt = curl_slist_append(rcpt, addr);
    char fromaddr[300];
    snprintf(fromaddr, sizeof fromaddr, "<%s>", from);
    curl_easy_setopt(c, CURLOPT_URL, smtp_url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, fromaddr);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &pl);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode cc = curl_easy_perform(c);
    if (cc != CURLE_OK)
        rc = cl_error_set(err, CL_ERETRY, "smtp: %s", curl_easy_strerror(cc));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    free(pl.p);
    return rc;
}
