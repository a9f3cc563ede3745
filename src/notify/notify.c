/*
 * notify.c - the delivery worker: reads the due outbox rows of each
 * configured channel, sends them one by one, and records each attempt in a
 * transaction of its own after the transport answered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notify_int.h"
#include "../core/buf.h"
#include "../core/config_keys.h"
#include "../module/module.h"
#include "../core/notify_route.h"
#include "../store/store_notify.h"

typedef struct settings {
    char smtp_url[512], smtp_from[256], webhook_url[1024], format[16];
    int max_attempts, base_seconds, digest_hour, batch;
    /* The team chat channels (issue 15); "" when not set. */
    char chat_url[CL_NROUTE_CHANNELS][CL_NROUTE_URL_MAX + 1];
    char chat_format[CL_NROUTE_CHANNELS][16];
    cl__crm_cfg crm;
    const cl__net_api *net; /* the senders */
} settings;

/* Linked in the test programs; else closeloop-net.so's (module.h). */
extern const cl__net_api cl__net_module __attribute__((weak));

static cl_err
setting(cl_store *st, const char *key, char *buf, size_t len, const char *dflt,
        cl_error *err)
{
    int found = 0;
    cl_err rc = cl_store_config_get(st, key, buf, len, &found, err);
    if (rc == CL_OK && (!found || buf[0] == '\0'))
        snprintf(buf, len, "%s", dflt);
    return rc;
}

static cl_err
crm_load(cl_store *st, cl__crm_cfg *c, cl_error *err)
{
    char which[32];
    cl_err rc;
    if ((rc = setting(st, "crm_writeback", which, sizeof which, "off", err)) !=
            CL_OK ||
        (rc = setting(st, "crm_token", c->token, sizeof c->token, "", err)) !=
            CL_OK ||
        (rc = setting(st, "crm_api_version", c->version, sizeof c->version,
                      "v60.0", err)) != CL_OK ||
        (rc = setting(st, "crm_base_url", c->base_url, sizeof c->base_url, "",
                      err)) != CL_OK)
        return rc;
    if (cl_crm_parse(which, &c->crm) != 0)
        c->crm = CL_CRM_OFF;
    /* HubSpot has one API address; each Salesforce org has its own. */
    if (c->base_url[0] == '\0' && c->crm == CL_CRM_HUBSPOT)
        snprintf(c->base_url, sizeof c->base_url, "https://api.hubapi.com");
    return CL_OK;
}

/* The write-back sends when it names a CRM and has its address and token. */
static int
crm_ready(const cl__crm_cfg *c)
{
    return c->crm != CL_CRM_OFF && c->base_url[0] && c->token[0];
}

static cl_err
load(cl_store *st, settings *s, cl_error *err)
{
    char n[32], b[32];
    cl_err rc;
    if ((rc = setting(st, "smtp_url", s->smtp_url, sizeof s->smtp_url, "",
                      err)) != CL_OK ||
        (rc = setting(st, "smtp_from", s->smtp_from, sizeof s->smtp_from,
                      "closeloop@localhost", err)) != CL_OK ||
        (rc = setting(st, "webhook_url", s->webhook_url, sizeof s->webhook_url,
                      "", err)) != CL_OK ||
        (rc = setting(st, "webhook_format", s->format, sizeof s->format, "json",
                      err)) != CL_OK ||
        (rc = setting(st, "max_attempts", n, sizeof n, "5", err)) != CL_OK ||
        (rc = setting(st, "retry_base_seconds", b, sizeof b, "60", err)) !=
            CL_OK)
        return rc;
    s->max_attempts = atoi(n) > 0 ? atoi(n) : 5;
    s->base_seconds = atoi(b) > 0 ? atoi(b) : 60;
    if ((rc = setting(st, "digest_hour", n, sizeof n, "8", err)) != CL_OK)
        return rc;
    s->digest_hour =
        cl_config_check("digest_hour", n, NULL) == CL_OK ? atoi(n) : 8;
    if ((rc = setting(st, "deliver_batch", n, sizeof n, "1000", err)) != CL_OK)
        return rc;
    s->batch =
        cl_config_check("deliver_batch", n, NULL) == CL_OK ? atoi(n) : 1000;
    for (int i = 0; i < CL_NROUTE_CHANNELS; i++) {
        char key[64];
        snprintf(key, sizeof key, "chat_channel_%d_url", i + 1);
        if ((rc = setting(st, key, s->chat_url[i], sizeof s->chat_url[i], "",
                          err)) != CL_OK)
            return rc;
        snprintf(key, sizeof key, "chat_channel_%d_format", i + 1);
        if ((rc = setting(st, key, s->chat_format[i], sizeof s->chat_format[i],
                          "slack", err)) != CL_OK)
            return rc;
    }
    return crm_load(st, &s->crm, err);
}

typedef struct batch {
    cl__msg *v;
    size_t n, cap;
    int oom;
} batch;

static char *
dup(batch *b, const char *s)
{
    if (s == NULL)
        return NULL;
    char *c = strdup(s);
    if (c == NULL)
        b->oom = 1;
    return c;
}

static int
due_cb(void *ud, const cl_store_outbox_row *r)
{
    batch *b = ud;
    if (cl_grow(&b->v, &b->cap, b->n + 1, sizeof *b->v) != CL_OK) {
        b->oom = 1;
        return 1;
    }
    b->v[b->n++] = (cl__msg){
        .id = r->id,
        .recipient_id = dup(b, r->recipient_id),
        .email = dup(b, r->recipient_email),
        .channel = dup(b, r->channel),
        .kind = dup(b, r->kind),
        .subject = dup(b, r->subject),
        .body = dup(b, r->body),
        .key = dup(b, r->idempotency_key),
        .subject_kind = dup(b, r->subject_kind),
        .subject_id = dup(b, r->subject_id),
        .created_at = dup(b, r->created_at),
        .attempts = r->attempts,
    };
    return 0;
}

static void
batch_free(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        cl__msg *m = &b->v[i];
        free(m->recipient_id);
        free(m->email);
        free(m->channel);
        free(m->kind);
        free(m->subject);
        free(m->body);
        free(m->key);
        free(m->subject_kind);
        free(m->subject_id);
        free(m->created_at);
    }
    free(b->v);
}

/* RFC 5322 date of t (UTC). */
static void
rfc_date(cl_time t, char *out, size_t len)
{
    static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu",
                                     "Fri", "Sat", "Sun"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    cl_day d = cl_time_day(t);
    int y, m, dd;
    cl_date_ymd(d, &y, &m, &dd);
    long s = (long)(t - (cl_time)d * 86400);
    snprintf(out, len, "%s, %02d %s %04d %02ld:%02ld:%02ld +0000",
             wd[cl_date_weekday(d)], dd, mon[m - 1], y, s / 3600, s / 60 % 60,
             s % 60);
}

/* Records one attempt of m: sent, or failed (retry later, or dead). */
static cl_err
record(cl_store *st, cl_time now, const settings *s, const cl__msg *m,
       cl_err sent, const char *why, cl_notify_stats *stats, cl_error *err)
{
    int attempts = m->attempts + 1;
    const char *status = "sent";
    char next[21] = "";
    if (sent != CL_OK) {
        /* A message that can never be delivered does not wait for its
           retries; anything else is retried with doubling delays. */
        if (sent == CL_EINVAL || attempts >= s->max_attempts) {
            status = "dead";
        } else {
            status = "pending";
            /* Capped: a max_attempts stored before it had a range must
               not shift past the width of cl_time. */
            int shift = attempts - 1 < 30 ? attempts - 1 : 30;
            cl_time delay = (cl_time)s->base_seconds << shift;
            cl_time_format(now + delay, next);
        }
    }
    cl_err rc = cl_store_begin(st, "deliver", now, err);
    if (rc == CL_OK)
        rc = cl_store_outbox_mark(st, m->id, status, attempts,
                                  next[0] ? next : NULL,
                                  sent == CL_OK ? NULL : why, err);
    if (rc == CL_OK)
        rc = cl_store_commit(st, err);
    if (rc != CL_OK) {
        cl_store_rollback(st);
        return rc;
    }
    if (sent == CL_OK)
        stats->sent++;
    else if (strcmp(status, "dead") == 0)
        stats->dead++;
    else
        stats->retried++;
    return CL_OK;
}

static int
count_cb(void *ud, const cl_store_outbox_row *r)
{
    (void)r;
    (*(int *)ud)++;
    return 0;
}

/* A direct message: the recipient's own chat webhook, read as it is now
   (a person who removed theirs gets no message, and the row says why). */
static cl_err
person_chat(cl_store *st, const settings *s, const cl__msg *m, cl_error *why)
{
    cl_store_notify_pref p;
    int found;
    cl_error e;
    cl_error_clear(&e);
    if (cl_store_notify_pref_get(st, m->recipient_id, &p, &found, &e) != CL_OK)
        return cl_error_set(why, CL_ERETRY, "%s", e.msg);
    if (!p.url[0])
        return cl_error_set(why, CL_EINVAL, "recipient %s has no chat webhook",
                            m->recipient_id);
    return s->net->chat_send(p.url, p.format[0] ? p.format : "slack", m, why);
}

/* A team channel's post: recipient "channel N" is the channel of the
   settings chat_channel_N_url and _format. */
static cl_err
channel_chat(const settings *s, const cl__msg *m, cl_error *why)
{
    int n = 0;
    if (sscanf(m->recipient_id, "channel %d", &n) != 1 || n < 1 ||
        n > CL_NROUTE_CHANNELS)
        return cl_error_set(why, CL_EINVAL, "no team channel %s",
                            m->recipient_id);
    if (!s->chat_url[n - 1][0])
        return cl_error_set(why, CL_EINVAL,
                            "team channel %d has no webhook (setting "
                            "chat_channel_%d_url)",
                            n, n);
    return s->net->chat_send(s->chat_url[n - 1], s->chat_format[n - 1], m, why);
}

/* ---- the daily digest (issue 16) -----------------------------------------
 */

/* The most held messages one round batches; the rest wait for the next. */
#define DIGEST_ROWS 5000

/* Batches one recipient's held messages b->v[from, to) into their digest
   e-mail for day, in one transaction: the e-mail row is queued and the
   held rows are marked sent together, so a crash leaves both or neither.
   The e-mail's key names the person and the day: a second round that day
   queues nothing, and leaves what came since for tomorrow's digest. */
static cl_err
digest_one(cl_store *st, cl_time now, const batch *b, size_t from, size_t to,
           cl_day day, cl_notify_stats *stats, cl_error *err)
{
    size_t n = to - from;
    cl_nroute_item *items = calloc(n, sizeof *items);
    cl_buf subject = CL_BUF_INIT, body = CL_BUF_INIT;
    char key[256], d[11];
    if (items == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        items[i] = (cl_nroute_item){b->v[from + i].subject, b->v[from + i].body,
                                    b->v[from + i].created_at};
    cl_nroute_digest(items, n, day, &subject, &body);
    free(items);
    cl_date_format(day, d);
    snprintf(key, sizeof key, "digest:%s:%s:email", b->v[from].recipient_id, d);
    cl_err rc = subject.oom || body.oom
                    ? cl_error_set(err, CL_ENOMEM, "out of memory")
                    : cl_store_begin(st, "digest", now, err);
    int inserted = 0;
    if (rc == CL_OK) {
        cl_store_outbox_new m = {
            .key = key,
            .recipient_id = b->v[from].recipient_id,
            .channel = "email",
            .kind = "digest",
            .subject = subject.p,
            .body = body.p,
            .status = "pending",
        };
        rc = cl_store_outbox_add(st, &m, &inserted, err);
        for (size_t i = from; i < to && rc == CL_OK && inserted; i++)
            rc = cl_store_outbox_mark(st, b->v[i].id, "sent",
                                      b->v[i].attempts + 1, NULL, NULL, err);
        if (rc == CL_OK)
            rc = cl_store_commit(st, err);
        if (rc != CL_OK)
            cl_store_rollback(st);
    }
    if (rc == CL_OK && inserted)
        stats->digests++;
    cl_buf_free(&subject);
    cl_buf_free(&body);
    return rc;
}

static int
by_recipient(const void *a, const void *b)
{
    const cl__msg *x = a, *y = b;
    int c = strcmp(x->recipient_id, y->recipient_id);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* Once the digest hour has come, each person's held messages become one
   e-mail of the day (queued on the e-mail channel, sent with it). */
static cl_err
digests(cl_store *st, cl_time now, int utc_offset, const settings *s,
        cl_notify_stats *stats, cl_error *err)
{
    cl_day day;
    char at[21];
    batch b = {0};
    /* The hour and the day of the digest are the workspace's. */
    if (!cl_nroute_digest_due(now + utc_offset, s->digest_hour, &day))
        return CL_OK;
    cl_time_format(now, at);
    cl_err rc =
        cl_store_outbox_due(st, "digest", at, DIGEST_ROWS, due_cb, &b, err);
    if (rc == CL_OK && b.oom)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    if (rc == CL_OK && b.n > 1)
        qsort(b.v, b.n, sizeof *b.v, by_recipient);
    for (size_t i = 0, j; i < b.n && rc == CL_OK; i = j) {
        for (j = i + 1;
             j < b.n && strcmp(b.v[j].recipient_id, b.v[i].recipient_id) == 0;
             j++)
            ;
        rc = digest_one(st, now, &b, i, j, day, stats, err);
    }
    batch_free(&b);
    return rc;
}

static cl_err
channel(cl_store *st, cl_time now, const settings *s, const char *name,
        const cl_notify_opts *o, cl_notify_stats *stats, cl_error *err)
{
    char at[21], date[64];
    batch b = {0};
    /* Chat is configured per person and per team channel: a row whose
       webhook is missing is dead with the reason, not waiting. */
    int configured = strcmp(name, "email") == 0     ? s->smtp_url[0] != '\0'
                     : strcmp(name, "webhook") == 0 ? s->webhook_url[0] != '\0'
                     : strcmp(name, "crm") == 0     ? crm_ready(&s->crm)
                                                    : 1;
    int limit = o && o->limit > 0 ? o->limit : s->batch;
    cl_time_format(now, at);
    if (!configured)
        return cl_store_outbox_due(st, name, at, limit, count_cb,
                                   &stats->waiting, err);
    /* Claimed: a second worker on the same database skips these rows. */
    cl_err rc = cl_store_outbox_claim(st, name, at, limit, due_cb, &b, err);
    if (rc == CL_OK && b.oom)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    rfc_date(now, date, sizeof date);
    for (size_t i = 0; i < b.n && rc == CL_OK; i++) {
        cl_error why;
        cl_error_clear(&why);
        const cl__msg *m = &b.v[i];
        cl_err sent;
        if (strcmp(name, "email") == 0)
            sent = s->net->smtp_send(s->smtp_url, s->smtp_from, date, m, &why);
        else if (strcmp(name, "webhook") == 0)
            sent = s->net->webhook_send(
                s->webhook_url, strcmp(s->format, "slack") == 0, m, &why);
        else if (strcmp(name, "chat") == 0)
            sent = person_chat(st, s, m, &why);
        else if (strcmp(name, "crm") == 0)
            sent = s->net->crm_send(&s->crm, m, &why);
        else
            sent = channel_chat(s, m, &why);
        if (sent == CL_OK && o && o->after_send)
            o->after_send(o->ud, m->id);
        rc = record(st, now, s, m, sent, why.msg, stats, err);
    }
    batch_free(&b);
    return rc;
}

cl_err
cl_notify_run(cl_store *st, cl_time now, const cl_notify_opts *opts,
              cl_notify_stats *stats, cl_error *err)
{
    settings s;
    memset(stats, 0, sizeof *stats);
    /* Loaded before the settings are read: a run that cannot send says
       so at once, whatever is due. */
    const cl__net_api *net = cl_module_get("net", &cl__net_module, err);
    if (net == NULL)
        return CL_EIO;
    cl_err rc = net->start(err);
    if (rc != CL_OK)
        return rc;
    static const char *const names[] = {"email", "webhook", "chat",
                                        "chat_channel", "crm"};
    const char *only = opts ? opts->only : NULL;
    rc = load(st, &s, err);
    s.net = net;
    /* The digests are e-mails of the round: queued before it, unless the
       round is for one other channel. */
    if (rc == CL_OK && (only == NULL || strcmp(only, "email") == 0))
        rc = digests(st, now, opts ? opts->utc_offset : 0, &s, stats, err);
    for (size_t i = 0; i < 5 && rc == CL_OK; i++)
        if (only == NULL || strcmp(only, names[i]) == 0)
            rc = channel(st, now, &s, names[i], opts, stats, err);
    return rc;
}

typedef struct preview {
    const cl__crm_cfg *crm;
    cl_notify_crm_cb cb;
    void *ud;
    int stop, oom;
} preview;

static int
preview_cb(void *ud, const cl_store_outbox_row *r)
{
    preview *p = ud;
    char url[1024] = "";
    char *json = NULL;
    cl_error why;
    cl_error_clear(&why);
    if (strcmp(r->status, "pending") != 0)
        return 0;
    cl_err rc = cl__crm_request(p->crm, r->body, url, sizeof url, &json, &why);
    if (rc == CL_ENOMEM) {
        p->oom = 1;
        return 1;
    }
    cl_notify_crm_item it = {
        .id = r->id,
        .method = "PATCH",
        .url = rc == CL_OK ? url : NULL,
        .body = json,
        .subject = r->subject,
        .object = r->subject_kind,
        .record_id = r->subject_id,
        .attempts = r->attempts,
        .next_attempt_at = r->next_attempt_at,
        .last_error = r->last_error,
        .problem = rc == CL_OK ? NULL : why.msg,
    };
    p->stop = p->cb(p->ud, &it);
    free(json);
    return p->stop;
}

cl_err
cl_notify_crm_pending(cl_store *st, cl_notify_crm_cb cb, void *ud,
                      cl_error *err)
{
    cl__crm_cfg c;
    memset(&c, 0, sizeof c);
    cl_err rc = crm_load(st, &c, err);
    preview p = {&c, cb, ud, 0, 0};
    if (rc == CL_OK)
        rc = cl_store_outbox_each(st, NULL, "crm", preview_cb, &p, err);
    if (rc == CL_OK && p.oom)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    return rc;
}
