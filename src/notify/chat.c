/*
 * chat.c - one notification posted to a Slack or a Microsoft Teams
 * incoming webhook (issue 15), with the outbox row's idempotency key in
 * the Idempotency-Key header.  Neither service dedupes by it, so a post
 * is sent again only when a crash fell between the post and its mark
 * (notify.h); the header lets a proxy in front of them dedupe.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "notify_int.h"

/* Slack's mrkdwn reads &, < and > as markup: they are escaped so a
   customer's words cannot ping a channel or forge a link. */
static void
slack_escape(cl_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '&')
            cl_buf_str(b, "&amp;");
        else if (*s == '<')
            cl_buf_str(b, "&lt;");
        else if (*s == '>')
            cl_buf_str(b, "&gt;");
        else
            cl_buf_add(b, s, 1);
    }
}

static json_t *
slack_payload(const cl__msg *m, const char *title)
{
    cl_buf t = CL_BUF_INIT, md = CL_BUF_INIT;
    slack_escape(&t, title);
    if (m->body && m->body[0]) {
        cl_buf_str(&t, "\n");
        slack_escape(&t, m->body);
    }
    cl_buf_str(&md, "*");
    slack_escape(&md, title);
    cl_buf_str(&md, "*");
    if (m->body && m->body[0]) {
        cl_buf_str(&md, "\n");
        slack_escape(&md, m->body);
    }
    json_t *o = NULL;
    /* A section's text stops at 3,000 characters: a longer message keeps
       its text only, which Slack shows whole. */
    if (!t.oom && !md.oom && md.len <= 3000)
        o = json_pack("{s:s, s:[{s:s, s:{s:s, s:s}}]}", "text", t.p, "blocks",
                      "type", "section", "text", "type", "mrkdwn", "text",
                      md.p);
    else if (!t.oom)
        o = json_pack("{s:s}", "text", t.p);
    cl_buf_free(&t);
    cl_buf_free(&md);
    return o;
}

/* A Teams connector's MessageCard: the title, and the body as its text
   with line breaks kept (Teams reads the text as markdown). */
static json_t *
teams_payload(const cl__msg *m, const char *title)
{
    cl_buf t = CL_BUF_INIT;
    for (const char *p = m->body; p && *p; p++) {
        if (*p == '\n')
            cl_buf_str(&t, "  \n");
        else
            cl_buf_add(&t, p, 1);
    }
    json_t *o = t.oom ? NULL
                      : json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "@type",
                                  "MessageCard", "@context",
                                  "https://schema.org/extensions", "summary",
                                  title, "themeColor", "0B6E4F", "title", title,
                                  "text", t.p ? t.p : title);
    cl_buf_free(&t);
    return o;
}

cl_err
cl__chat_send(const char *url, const char *format, const cl__msg *m,
              cl_error *err)
{
    const char *title = m->subject ? m->subject : m->kind;
    int teams = format && strcmp(format, "teams") == 0;
    json_t *o = teams ? teams_payload(m, title) : slack_payload(m, title);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (body == NULL)
        return cl_error_set(err, CL_ERETRY, "out of memory");

    long status = 0;
    const char *why = NULL;
    cl_err rc = cl__post_json(url, body, m->key, 1, &status, &why, err);
    free(body);
    if (rc != CL_OK)
        return rc;
    const char *svc = teams ? "teams" : "slack";
    /* A webhook that was removed or is malformed answers 400, 403, 404 or
       410 and never will take the post: dead at once.  A rate limit (429)
       and the service's own failures are retried. */
    if (why)
        rc = cl_error_set(err, CL_ERETRY, "%s: %s", svc, why);
    else if (status == 400 || status == 403 || status == 404 || status == 410)
        rc = cl_error_set(err, CL_EINVAL,
                          "%s: HTTP %ld (the webhook refused "
                          "the post; check its URL)",
                          svc, status);
    else if (status < 200 || status > 299)
        rc = cl_error_set(err, CL_ERETRY, "%s: HTTP %ld", svc, status);
    return rc;
}
