/*
 * workflow.c - the effect list, the configuration, and the small pure
 * helpers the rules share (health score, months).
 */
#include "workflow.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taxonomy.h"
#include "workflow_int.h"
#include "buf.h"

/* The arena: a chain of blocks, each at least BLOCK bytes of payload. */
#define BLOCK 4096

struct cl__wf_block {
    struct cl__wf_block *next;
    size_t used, size;
    char data[];
};

void
cl_wf_effects_init(cl_wf_effects *list)
{
    memset(list, 0, sizeof *list);
}

void
cl_wf_effects_release(cl_wf_effects *list)
{
    if (!list)
        return;
    struct cl__wf_block *b = list->arena;
    while (b) {
        struct cl__wf_block *next = b->next;
        free(b);
        b = next;
    }
    free(list->items);
    cl_wf_effects_init(list);
}

const cl_wf_effect *
cl_wf_effects_error(const cl_wf_effects *list)
{
    for (size_t i = 0; i < list->n; i++)
        if (list->items[i].kind == CL_WF_ERROR)
            return &list->items[i];
    return NULL;
}

const char *
cl_wf_kind_name(cl_wf_kind kind)
{
    switch (kind) {
    case CL_WF_CREATE_TASK:
        return "create_task";
    case CL_WF_MARK_TASK:
        return "mark_task";
    case CL_WF_NOTIFY:
        return "notify";
    case CL_WF_OPEN_SESSION:
        return "open_session";
    case CL_WF_FIRE_TRIGGER:
        return "fire_trigger";
    case CL_WF_COACHING_ITEM:
        return "coaching_item";
    case CL_WF_PROCESS_CHANGE:
        return "process_change";
    case CL_WF_SET:
        return "set";
    case CL_WF_FLAG:
        return "flag";
    case CL_WF_LINK:
        return "link";
    case CL_WF_AUDIT:
        return "audit";
    case CL_WF_ERROR:
        return "error";
    }
    return "unknown";
}

static char *
arena_alloc(cl_wf_effects *list, size_t n)
{
    struct cl__wf_block *b = list->arena;
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK ? n : BLOCK;
        b = malloc(sizeof *b + size);
        if (!b) {
            list->oom = 1;
            return NULL;
        }
        b->size = size;
        b->used = 0;
        b->next = list->arena;
        list->arena = b;
    }
    char *p = b->data + b->used;
    b->used += n;
    return p;
}

const char *
cl__wf_str(cl_wf_effects *list, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(list, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static const char *vfmt(cl_wf_effects *list, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static const char *
vfmt(cl_wf_effects *list, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        list->oom = 1;
        return NULL;
    }
    char *p = arena_alloc(list, (size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

const char *
cl__wf_fmt(cl_wf_effects *list, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = vfmt(list, fmt, ap);
    va_end(ap);
    return s;
}

cl_wf_effect *
cl__wf_push(cl_wf_effects *list, cl_wf_kind kind, const char *key)
{
    if (list->oom || !key)
        return NULL;
    if (cl_grow(&list->items, &list->cap, list->n + 1, sizeof *list->items) !=
        CL_OK) {
        list->oom = 1;
        return NULL;
    }
    cl_wf_effect *e = &list->items[list->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->key = key;
    e->due_on = CL_WF_NO_DAY;
    return e;
}

cl_err
cl__wf_refuse(cl_wf_effects *list, cl_error *err, cl_err code,
              const char *subject_kind, const char *subject_id, const char *fmt,
              ...)
{
    cl_error local; /* err may be NULL; the message is needed anyway */
    char *msg = local.msg;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof local.msg, fmt, ap);
    va_end(ap);
    cl_error_set(err, code, "%s", msg);
    cl_wf_effect *e = cl__wf_push(list, CL_WF_ERROR,
                                  cl__wf_fmt(list, "error:%s:%s",
                                             cl__wf_or(subject_kind, "none"),
                                             cl__wf_or(subject_id, "none")));
    if (e) {
        e->code = code;
        e->subject_kind = cl__wf_str(list, subject_kind);
        e->subject_id = cl__wf_str(list, subject_id);
        e->body = cl__wf_str(list, msg);
    }
    if (list->oom)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    return code;
}

cl_err
cl__wf_finish(cl_wf_effects *list, cl_error *err)
{
    if (list->oom)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    return CL_OK;
}

int
cl__wf_empty(const char *s)
{
    return !s || !*s;
}

int
cl__wf_blank(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

const char *
cl__wf_or(const char *s, const char *fallback)
{
    return cl__wf_empty(s) ? fallback : s;
}

cl_wf_effect *
cl__wf_task(cl_wf_effects *list, const char *kind, const char *subject_kind,
            const char *subject_id, const char *assignee, cl_day due,
            int per_assignee, const char *title)
{
    const char *key =
        per_assignee ? cl__wf_fmt(list, "%s:%s:%s", kind, subject_id, assignee)
                     : cl__wf_fmt(list, "%s:%s", kind, subject_id);
    cl_wf_effect *e = cl__wf_push(list, CL_WF_CREATE_TASK, key);
    if (!e)
        return NULL;
    e->what = cl__wf_str(list, kind);
    e->subject_kind = cl__wf_str(list, subject_kind);
    e->subject_id = cl__wf_str(list, subject_id);
    e->recipient_id = cl__wf_str(list, assignee);
    e->due_on = due;
    e->title = cl__wf_str(list, title);
    return e;
}

cl_wf_effect *
cl__wf_notify(cl_wf_effects *list, const char *key, const char *kind,
              const char *recipient, const char *subject_kind,
              const char *subject_id, const char *title, const char *body)
{
    cl_wf_effect *e = cl__wf_push(list, CL_WF_NOTIFY, key);
    if (!e)
        return NULL;
    e->what = cl__wf_str(list, kind);
    e->recipient_id = cl__wf_str(list, recipient);
    e->subject_kind = cl__wf_str(list, subject_kind);
    e->subject_id = cl__wf_str(list, subject_id);
    e->title = cl__wf_str(list, title);
    e->body = cl__wf_str(list, body);
    return e;
}

cl_wf_effect *
cl__wf_mark_done(cl_wf_effects *list, const char *key, const char *kind,
                 const char *subject_id, const char *recipient)
{
    cl_wf_effect *e = cl__wf_push(
        list, CL_WF_MARK_TASK,
        key ? key : cl__wf_fmt(list, "done:%s:%s", kind, subject_id));
    if (e == NULL)
        return NULL;
    e->what = cl__wf_str(list, kind);
    e->subject_kind = "deal";
    e->subject_id = cl__wf_str(list, subject_id);
    e->recipient_id = cl__wf_str(list, recipient);
    e->new_value = "done";
    return e;
}

cl_wf_effect *
cl__wf_audit(cl_wf_effects *list, const char *what, const char *subject_kind,
             const char *subject_id, const char *actor, const char *new_value,
             const char *body)
{
    cl_wf_effect *e = cl__wf_push(
        list, CL_WF_AUDIT, cl__wf_fmt(list, "audit:%s:%s", what, subject_id));
    if (e == NULL)
        return NULL;
    e->what = cl__wf_str(list, what);
    e->subject_kind = cl__wf_str(list, subject_kind);
    e->subject_id = cl__wf_str(list, subject_id);
    e->actor_id = cl__wf_str(list, actor);
    e->new_value = cl__wf_str(list, new_value);
    e->body = cl__wf_str(list, body);
    return e;
}

/* ---- configuration ------------------------------------------------------ */

void
cl_wf_config_defaults(cl_wf_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
#define DEFAULT(key, type, def, ...) cfg->key = (type)def;
    CL_THRESHOLDS(DEFAULT)
#undef DEFAULT
    cfg->churn_tagging_due_business_days = 5;
    cfg->checkin_escalation_business_days = 5;
    cfg->overdue_escalation_business_days = 2;
    cfg->review_task_due_days = 30;
    cfg->route_due_business_days = 5;
    cfg->checkin_days[0] = 30;
    cfg->checkin_days[1] = 60;
    cfg->checkin_days[2] = 90;
    cfg->checkin_notice_days = 7;
    cfg->route_owners = NULL;
    cfg->nroute_owners = 0;
}

/* ---- helpers ------------------------------------------------------------ */

int
cl_wf_deal_closed(const cl_wf_deal *deal)
{
    return deal->stage && (strcmp(deal->stage, "closed_won") == 0 ||
                           strcmp(deal->stage, "closed_lost") == 0);
}

int
cl_wf_health_score(int q2_generic, int q5_generic, int q7_generic,
                   const char *gut_read, int icp_fit)
{
    int s = 50;
    if (gut_read && strcmp(gut_read, "positive") == 0)
        s += 20;
    else if (gut_read && strcmp(gut_read, "worried") == 0)
        s -= 25;
    s += q2_generic ? -10 : 5;
    s += q5_generic ? -10 : 5;
    s += q7_generic ? -10 : 5;
    if (icp_fit >= 70)
        s += 10;
    else if (icp_fit >= 0 && icp_fit < 40)
        s -= 15;
    return s < 0 ? 0 : s > 100 ? 100 : s;
}

int
cl_wf_whole_months(cl_day from, cl_day to)
{
    if (to < from)
        return 0;
    int y1, m1, y2, m2;
    cl_date_ymd(from, &y1, &m1, NULL);
    cl_date_ymd(to, &y2, &m2, NULL);
    int months = (y2 - y1) * 12 + (m2 - m1);
    /* cl_date_add_months clamps to the month's end, so Jan 31 + 1 month is
       Feb 28 and counts as a whole month. */
    while (months > 0 && cl_date_add_months(from, months) > to)
        months--;
    return months;
}

const char *
cl__wf_kind_words(const char *kind)
{
    static const char *const words[][2] = {
        {"won_deal_review", "Won-deal review"},
        {"review_answers", "AE's won-deal review answers"},
        {"review_checkin_1", "Won-deal check-in"},
        {"review_checkin_2", "Won-deal check-in"},
        {"review_checkin_3", "Won-deal check-in"},
        {"review_completion_investigation", "Review completion investigation"},
        {"churn_tagging", "Churn tagging"},
        {"recovery_classification", "Recovery classification"},
        {"debrief", "AE+CSM debrief"},
        {"cause_followup", "Churn cause follow-up"},
        {"process_change_checkin", "Process-change check-in"},
        {"monthly_debrief", "Monthly debrief"},
        {"bad_fit_review", "Bad-fit review"},
        {"icp_review", "ICP review"},
        {"recovery_review", "Recovery review"},
        {"discovery_review", "Discovery review"},
        {"enablement_review", "Enablement review"},
        {"qualification_review", "Qualification review"},
        {"deal_brief_template", "Deal-brief template review"},
        {"handoff_sla_review", "Handoff SLA review"},
    };
    if (!kind)
        return "Task";
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(kind, words[i][0]) == 0)
            return words[i][1];
    return kind;
}

const char *
cl__wf_churn_words(cl_wf_effects *list, const cl_wf_churn *c)
{
    if (!cl__wf_empty(c->account_name))
        return cl__wf_fmt(list, "the churn of %s", c->account_name);
    return cl__wf_fmt(list, "churn %s", cl__wf_or(c->id, "?"));
}

const char *
cl__wf_deal_words(cl_wf_effects *list, const cl_wf_deal *d)
{
    if (!cl__wf_empty(d->account_name))
        return cl__wf_fmt(list, "the deal with %s", d->account_name);
    return cl__wf_fmt(list, "deal %s", cl__wf_or(d->id, "?"));
}

/* Capitalises buf's first letter when cap, and returns buf. */
static const char *
ref_cap(char *buf, int cap)
{
    if (cap && buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
    return buf;
}

const char *
cl_wf_churn_ref(const cl_wf_churn *c, int cap, char *buf, size_t len)
{
    if (cl__wf_empty(c->account_name))
        snprintf(buf, len, "this churn");
    else
        snprintf(buf, len, "the churn of %s", c->account_name);
    return ref_cap(buf, cap);
}

const char *
cl_wf_deal_ref(const cl_wf_deal *d, int cap, char *buf, size_t len)
{
    if (cl__wf_empty(d->account_name))
        snprintf(buf, len, "this deal");
    else
        snprintf(buf, len, "the deal with %s", d->account_name);
    return ref_cap(buf, cap);
}

const char *
cl_wf_session_ref(const cl_wf_session *s, int cap, char *buf, size_t len)
{
    if (cl__wf_empty(s->kind) || cl__wf_empty(s->period)) {
        snprintf(buf, len, "this session");
        return ref_cap(buf, cap);
    }
    /* "Monthly debrief" reads "the monthly debrief of 2026-07"; an
       initialism such as "ICP review" or "AE+CSM debrief" keeps its case. */
    const char *kind = cl__wf_kind_words(s->kind);
    int lower =
        isupper((unsigned char)kind[0]) && !isupper((unsigned char)kind[1]);
    snprintf(buf, len, "the %c%s of %s",
             lower ? tolower((unsigned char)kind[0]) : kind[0], kind + 1,
             s->period);
    return ref_cap(buf, cap);
}

const char *
cl__wf_churn_ref(cl_wf_effects *list, const cl_wf_churn *c, int cap)
{
    char buf[CL_WF_REF_MAX];
    return cl__wf_str(list, cl_wf_churn_ref(c, cap, buf, sizeof buf));
}

const char *
cl__wf_deal_ref(cl_wf_effects *list, const cl_wf_deal *d, int cap)
{
    char buf[CL_WF_REF_MAX];
    return cl__wf_str(list, cl_wf_deal_ref(d, cap, buf, sizeof buf));
}

const char *
cl__wf_session_ref(cl_wf_effects *list, const cl_wf_session *s, int cap)
{
    char buf[CL_WF_REF_MAX];
    return cl__wf_str(list, cl_wf_session_ref(s, cap, buf, sizeof buf));
}
