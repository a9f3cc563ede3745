/*
 * engine_ctx.c - an event's context: the workspace's thresholds, business
 * calendar and people, the transaction around the event, and copies of the
 * store's strings for the rules.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/record.h"
#include "../core/taxonomy.h"
#include "engine_int.h"
#include "../core/config_keys.h"

const char *
cl__eng_str(cl__eng *e, const char *s)
{
    if (s == NULL)
        return NULL;
    if (cl_grow(&e->strs, &e->scap, e->nstrs + 1, sizeof *e->strs) != CL_OK) {
        e->oom = 1;
        return "";
    }
    char *c = strdup(s);
    if (c == NULL) {
        e->oom = 1;
        return "";
    }
    e->strs[e->nstrs++] = c;
    return c;
}

cl_day
cl__eng_day(const char *s)
{
    cl_day d;
    if (s == NULL || cl_date_parse(s, strlen(s), &d) != 0)
        return CL_WF_NO_DAY;
    return d;
}

/* Maps the workspace's thresholds onto the rules' configuration; a key
   the rules do not know is left out. */
static int
threshold_cb(void *ud, const char *key, double v)
{
    cl_wf_config *c = ud;
#define SET(k, type, ...)                                                      \
    if (strcmp(key, #k) == 0) {                                                \
        c->k = (type)v;                                                        \
        return 0;                                                              \
    }
    CL_THRESHOLDS(SET)
#undef SET
    return 0;
}

typedef struct holidays {
    cl_day *v;
    size_t n, cap;
    int oom;
} holidays;

static int
holiday_cb(void *ud, const cl_value *row)
{
    holidays *h = ud;
    if (row[0].type != CL_V_TEXT)
        return 0;
    cl_day d = cl__eng_day(row[0].s);
    if (d == CL_WF_NO_DAY)
        return 0;
    if (cl_grow(&h->v, &h->cap, h->n + 1, sizeof *h->v) != CL_OK) {
        h->oom = 1;
        return 1;
    }
    h->v[h->n++] = d;
    return 0;
}

cl_err
cl_engine_calendar(cl_store *st, cl_calendar *cal, cl_error *err)
{
    holidays h = {0};
    /* Holidays come back in key order, i.e. ascending dates. */
    cl_err rc = cl_store_each(st, CL_KIND_HOLIDAYS, holiday_cb, &h, err);
    if (rc == CL_OK && h.oom)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    if (rc != CL_OK) {
        free(h.v);
        return rc;
    }
    cal->holidays = h.v;
    cal->nholidays = h.n;
    /* The working weekdays (setting business_days): Monday to Friday when
       not set, or when a value stored before the check does not parse. */
    char week[64];
    int found = 0;
    cal->weekdays = CL_CAL_MON_FRI;
    rc = cl_store_config_get(st, "business_days", week, sizeof week, &found,
                             err);
    if (rc == CL_OK && found && cl_cal_weekdays_parse(week, &cal->weekdays))
        cal->weekdays = CL_CAL_MON_FRI;
    if (rc != CL_OK)
        cl_engine_calendar_free(cal);
    return rc;
}

void
cl_engine_calendar_free(cl_calendar *cal)
{
    free((void *)cal->holidays);
    cal->holidays = NULL;
    cal->nholidays = 0;
}

typedef struct first_user {
    char *out;
    size_t len;
} first_user;

static int
first_user_cb(void *ud, const cl_store_user_row *u)
{
    first_user *f = ud;
    snprintf(f->out, f->len, "%s", u->id);
    return 1;
}

/* The configured id (config key), else the first user with role, else "". */
static cl_err
person(cl__eng *e, const char *key, const char *role, char *out, size_t len,
       cl_error *err)
{
    int found = 0;
    cl_err rc = cl_store_config_get(e->st, key, out, len, &found, err);
    if (rc != CL_OK || (found && out[0]))
        return rc;
    first_user f = {out, len};
    out[0] = '\0';
    return cl_store_users_by_role(e->st, role, first_user_cb, &f, err);
}

/* A cause of the workspace's taxonomy, its strings copied. */
static int
cause_cb(void *ud, const cl_cause *c)
{
    cl__eng *e = ud;
    if (cl_grow(&e->causes, &e->ccap, e->ncauses + 1, sizeof *e->causes) !=
        CL_OK) {
        e->oom = 1;
        return 1;
    }
    cl_cause *to = &e->causes[e->ncauses++];
    *to = *c;
    to->code = cl__eng_str(e, c->code);
    to->label = cl__eng_str(e, c->label);
    to->definition = cl__eng_str(e, c->definition);
    to->routes_to = cl__eng_str(e, c->routes_to);
    return 0;
}

/*
 * The owner of each non-sales cause: the role of its route_CAUSE setting
 * (else the default), and the first user with that role by id, so an
 * event and a later tick pick the same person.
 */
static cl_err
routes(cl__eng *e, cl_error *err)
{
    char key[64], buf[32];
    int found = 0;
    size_t n = 0;
    cl_err rc = cl_store_config_get(e->st, "route_due_business_days", buf,
                                    sizeof buf, &found, err);
    if (rc == CL_OK && found &&
        !cl_wf_route_setting_check("route_due_business_days", buf, NULL))
        e->cfg.route_due_business_days = atoi(buf);
    for (size_t i = 0; i < e->ncauses && rc == CL_OK && n < CL__ENG_ROUTES;
         i++) {
        const char *code = e->causes[i].code;
        const char *role = cl_wf_route_default(code);
        if (e->causes[i].sales_attributable)
            continue;
        /* A cause RevOps added has no default: its setting is its role. */
        snprintf(key, sizeof key, "route_%s", code);
        rc = cl_store_config_get(e->st, key, buf, sizeof buf, &found, err);
        if (rc == CL_OK && found &&
            (strcmp(buf, "none") == 0 || cl_enum_index(cl_roles, buf) >= 0))
            role = buf;
        if (role == NULL)
            continue;
        snprintf(e->route_role[n], sizeof e->route_role[n], "%s", role);
        e->route_user[n][0] = '\0';
        /* Users are looked up once per role, not per cause. */
        for (size_t j = 0; j < n; j++)
            if (strcmp(e->route_role[j], role) == 0)
                memcpy(e->route_user[n], e->route_user[j],
                       sizeof e->route_user[n]);
        if (rc == CL_OK && e->route_user[n][0] == '\0' &&
            strcmp(role, "none") != 0) {
            first_user f = {e->route_user[n], sizeof e->route_user[n]};
            rc = cl_store_users_by_role(e->st, role, first_user_cb, &f, err);
        }
        e->routes[n] =
            (cl_wf_route_owner){code, e->route_role[n],
                                e->route_user[n][0] ? e->route_user[n] : NULL};
        n++;
    }
    e->cfg.route_owners = e->routes;
    e->cfg.nroute_owners = n;
    return rc;
}

static cl_err
load(cl__eng *e, cl_error *err)
{
    char buf[512];
    int found = 0;
    cl_err rc;

    /* Today is the workspace's day: a tick at 23:30 UTC is already
       tomorrow in Sydney, and a due date counts from that day. */
    cl_tz zone;
    if ((rc = cl_engine_zone(e->st, &zone, err)) != CL_OK)
        return rc;
    e->today = cl_tz_day(&zone, e->now);
    cl_wf_config_defaults(&e->cfg);
    if ((rc = cl_store_thresholds(e->st, threshold_cb, &e->cfg, err)) != CL_OK)
        return rc;
    if ((rc = cl_store_causes(e->st, cause_cb, e, err)) != CL_OK)
        return rc;
    e->cfg.causes = e->causes;
    e->cfg.ncauses = e->ncauses;
    if ((rc = cl_engine_calendar(e->st, &e->cal, err)) != CL_OK)
        return rc;
    if ((rc = person(e, "revops_id", "revops", e->revops, sizeof e->revops,
                     err)) != CL_OK ||
        (rc = person(e, "marketing_id", "marketing", e->marketing,
                     sizeof e->marketing, err)) != CL_OK ||
        (rc = person(e, "vp_sales_id", "vp_sales", e->vp_sales,
                     sizeof e->vp_sales, err)) != CL_OK)
        return rc;
    /* Without a RevOps user the loop still needs an owner: an admin, or a
       placeholder the outbox shows as undeliverable. */
    if (e->revops[0] == '\0' && (rc = person(e, "admin_id", "admin", e->revops,
                                             sizeof e->revops, err)) != CL_OK)
        return rc;
    if (e->revops[0] == '\0')
        snprintf(e->revops, sizeof e->revops, "revops");
    if ((rc = routes(e, err)) != CL_OK)
        return rc;
    e->cfg.revops_id = e->revops;
    e->cfg.marketing_id = e->marketing[0] ? e->marketing : NULL;
    e->cfg.vp_sales_id = e->vp_sales[0] ? e->vp_sales : NULL;
    if ((rc = cl_store_config_get(e->st, "webhook_url", buf, sizeof buf, &found,
                                  err)) != CL_OK)
        return rc;
    e->webhook = found && buf[0];
    /* A value that fails its check (stored before the key had one) leaves
       the write-back off. */
    if ((rc = cl_store_config_get(e->st, "crm_writeback", buf, sizeof buf,
                                  &found, err)) != CL_OK)
        return rc;
    if (!found || cl_crm_parse(buf, &e->crm) != 0)
        e->crm = CL_CRM_OFF;
    if ((rc = cl_store_config_get(e->st, "crm_writeback_health", buf,
                                  sizeof buf, &found, err)) != CL_OK)
        return rc;
    e->crm_health = found && strcmp(buf, "on") == 0;
    for (int i = 0; i < CL_NROUTE_CHANNELS; i++) {
        char key[64], url[16];
        snprintf(key, sizeof key, "chat_channel_%d_url", i + 1);
        /* Only whether it is set: the URL itself is the worker's. */
        url[0] = '\0';
        if ((rc = cl_store_config_get(e->st, key, url, sizeof url, &found,
                                      err)) != CL_OK)
            return rc;
        e->chat_kinds[i][0] = '\0';
        if (!found || !url[0])
            continue;
        snprintf(key, sizeof key, "chat_channel_%d_kinds", i + 1);
        if ((rc = cl_store_config_get(e->st, key, e->chat_kinds[i],
                                      sizeof e->chat_kinds[i], &found, err)) !=
            CL_OK)
            return rc;
        if (!found)
            e->chat_kinds[i][0] = '\0';
    }
    e->lookback_days = 30;
    if ((rc = cl_store_config_get(e->st, "engine_lookback_days", buf,
                                  sizeof buf, &found, err)) != CL_OK)
        return rc;
    if (found && atoi(buf) > 0)
        e->lookback_days = atoi(buf);
    /* The check-ins' days (issue 14); a value outside its range was
       refused when it was set, so only what passes the check is read. */
    static const char *const checkin_keys[] = {
        "checkin_first_days", "checkin_second_days", "checkin_third_days",
        "checkin_notice_days"};
    for (int i = 0; i < 4; i++) {
        if ((rc = cl_store_config_get(e->st, checkin_keys[i], buf, sizeof buf,
                                      &found, err)) != CL_OK)
            return rc;
        if (!found || cl_config_check(checkin_keys[i], buf, NULL) != CL_OK)
            continue;
        if (i < 3)
            e->cfg.checkin_days[i] = atoi(buf);
        else
            e->cfg.checkin_notice_days = atoi(buf);
    }
    return e->oom ? cl_error_set(err, CL_ENOMEM, "out of memory") : CL_OK;
}

static void
release(cl__eng *e)
{
    for (size_t i = 0; i < e->nstrs; i++)
        free(e->strs[i]);
    free(e->strs);
    cl_engine_calendar_free(&e->cal);
    free(e->causes);
    cl_snapshot_free(e->snap);
    memset(e, 0, sizeof *e);
}

cl_err
cl__eng_attach(cl__eng *e, cl_store *st, cl_time now, cl_error *err)
{
    memset(e, 0, sizeof *e);
    e->st = st;
    e->now = now;
    e->today = cl_time_day(now);
    cl_err rc = load(e, err);
    if (rc != CL_OK)
        release(e);
    return rc;
}

cl_err
cl__eng_begin(cl__eng *e, cl_store *st, const char *actor, cl_time now,
              cl_error *err)
{
    cl_err rc = cl_store_begin(st, actor, now, err);
    if (rc == CL_OK) {
        rc = cl__eng_attach(e, st, now, err);
        if (rc != CL_OK)
            cl_store_rollback(st);
    }
    return rc;
}

static void
add_stats(cl_engine_stats *to, const cl_engine_stats *s)
{
    to->tasks += s->tasks;
    to->marks += s->marks;
    to->notifications += s->notifications;
    to->sessions += s->sessions;
    to->triggers += s->triggers;
    to->coaching += s->coaching;
    to->flags += s->flags;
    to->links += s->links;
    to->sets += s->sets;
}

cl_err
cl__eng_end(cl__eng *e, cl_err rc, cl_engine_stats *stats, cl_error *err)
{
    if (rc == CL_OK && e->oom)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    if (rc == CL_OK)
        rc = cl_store_commit(e->st, err);
    if (rc != CL_OK)
        cl_store_rollback(e->st);
    else if (stats)
        add_stats(stats, &e->stats);
    release(e);
    return rc;
}

void
cl__eng_detach(cl__eng *e, cl_engine_stats *stats)
{
    if (stats)
        add_stats(stats, &e->stats);
    release(e);
}

int
cl_engine_stats_empty(const cl_engine_stats *s)
{
    return !(s->tasks || s->marks || s->notifications || s->sessions ||
             s->triggers || s->coaching || s->flags || s->links || s->sets);
}

void
cl__eng_deal(cl__eng *e, const cl_store_deal_row *r, cl_wf_deal *d)
{
    memset(d, 0, sizeof *d);
    d->id = cl__eng_str(e, r->id);
    d->account_id = cl__eng_str(e, r->account_id);
    d->ae_id = cl__eng_str(e, r->ae_id);
    d->ae_manager_id = cl__eng_str(e, r->ae_manager_id);
    d->csm_id = cl__eng_str(e, r->csm_id);
    d->cs_manager_id = cl__eng_str(e, r->cs_manager_id);
    d->type = cl__eng_str(e, r->type);
    d->stage = cl__eng_str(e, r->stage);
    d->created_on = cl__eng_day(r->created_on);
    d->closed_on = cl__eng_day(r->closed_on);
    d->first_demo_on = cl__eng_day(r->first_demo_on);
    d->kickoff_on = cl__eng_day(r->kickoff_on);
    d->arr = r->arr;
    d->icp_fit_score = r->icp_fit_score;
    d->champion_tenure_months = r->champion_tenure_months;
    d->exec_sponsor = r->exec_sponsor;
    d->account_name = cl__eng_str(e, r->account_name);
    d->ae_name = cl__eng_str(e, r->ae_name);
    /* The pipeline flags among the deal's flags (generic answers too). */
    for (const char *f = r->flags; f && *f;) {
        const char *end = strchr(f, ';');
        size_t len = end ? (size_t)(end - f) : strlen(f);
        char name[40];
        if (len < sizeof name) {
            memcpy(name, f, len);
            name[len] = '\0';
            int k = cl_wf_pf_parse(name);
            if (k >= 0)
                d->flags_raised |= 1u << k;
        }
        f = end ? end + 1 : f + len;
    }
}

void
cl__eng_task(cl__eng *e, const cl_store_task_row *r, cl_wf_task *t)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    *t = (cl_wf_task){
        .id = cl__eng_str(e, id),
        .kind = cl__eng_str(e, r->kind),
        .subject_kind = cl__eng_str(e, r->subject_kind),
        .subject_id = cl__eng_str(e, r->subject_id),
        .assignee_id = cl__eng_str(e, r->assignee_id),
        .assignee_manager_id = cl__eng_str(e, r->assignee_manager_id),
        .due_on = cl__eng_day(r->due_on),
        .done = r->status && strcmp(r->status, "done") == 0,
        .reminded = r->reminded,
        .escalated = r->escalated,
    };
}

void
cl__eng_churn(cl__eng *e, const cl_store_churn_row *r, cl_wf_churn *c)
{
    memset(c, 0, sizeof *c);
    c->id = cl__eng_str(e, r->id);
    c->account_id = cl__eng_str(e, r->account_id);
    c->account_name = cl__eng_str(e, r->account_name);
    c->deal_id = cl__eng_str(e, r->deal_id);
    c->ae_id = cl__eng_str(e, r->ae_id);
    c->ae_manager_id = cl__eng_str(e, r->ae_manager_id);
    c->csm_id = cl__eng_str(e, r->csm_id);
    c->churned_on = cl__eng_day(r->churned_on);
    c->recorded_on = e->today;
    c->tag.primary_cause = cl__eng_str(e, r->primary_cause);
    c->tag.contributing_causes = cl__eng_str(e, r->contributing_causes);
    c->tag.stated_reason = cl__eng_str(e, r->stated_reason);
    c->tag.diagnosis = cl__eng_str(e, r->diagnosis);
    c->tag.predictive_behavior = cl__eng_str(e, r->predictive_behavior);
    c->sales_flagged = r->sales_flagged_on != NULL;
    c->closed_on = cl__eng_day(r->closed_on);
}

typedef struct one_deal {
    cl__eng *e;
    cl_wf_deal *d;
    int found, review_done;
} one_deal;

static int
one_deal_cb(void *ud, const cl_store_deal_row *r)
{
    one_deal *o = ud;
    cl__eng_deal(o->e, r, o->d);
    o->review_done = r->review_done;
    o->found = 1;
    return 1;
}

cl_err
cl__eng_get_deal(cl__eng *e, const char *id, cl_wf_deal *d, int *review_done,
                 cl_error *err)
{
    one_deal o = {e, d, 0, 0};
    cl_err rc = cl_store_deals_sel(e->st, CL_SD_ONE, id, one_deal_cb, &o, err);
    if (rc == CL_OK && !o.found)
        rc = cl_error_set(err, CL_ENOTFOUND, "no deal '%s'", id);
    if (review_done)
        *review_done = o.review_done;
    return rc;
}

typedef struct one_churn {
    cl__eng *e;
    cl_wf_churn *c;
    int found;
} one_churn;

static int
one_churn_cb(void *ud, const cl_store_churn_row *r)
{
    one_churn *o = ud;
    cl__eng_churn(o->e, r, o->c);
    o->found = 1;
    return 1;
}

cl_err
cl__eng_get_churn(cl__eng *e, const char *id, cl_wf_churn *c, cl_error *err)
{
    one_churn o = {e, c, 0};
    cl_err rc =
        cl_store_churns_sel(e->st, CL_SC_ONE, id, NULL, one_churn_cb, &o, err);
    if (rc == CL_OK && !o.found)
        rc = cl_error_set(err, CL_ENOTFOUND, "no churn '%s'", id);
    return rc;
}

cl_err
cl__eng_check_user(cl__eng *e, const char *id, const char *what, cl_error *err)
{
    return cl__eng_check_may(e, id, what, CL_VA_COUNT, NULL, err);
}

/* What a refused action is, in words, for the message. */
static const char *
action_words(cl_vis_action a)
{
    switch (a) {
    case CL_VA_CHURN_TAG:
        return "tag, close or reopen a churn";
    case CL_VA_REVIEW_RECORD:
        return "record a won-deal review";
    case CL_VA_REVIEW_ANSWER:
        return "answer this deal's review questions (only its AE does)";
    case CL_VA_TASK_DONE:
        return "record this task (its assignee or RevOps does)";
    case CL_VA_KICKOFF:
        return "record a kickoff";
    case CL_VA_RECOVERY_CLASSIFY:
        return "classify a recovery";
    case CL_VA_CHANGE_RECORD:
        return "record a debrief's process change";
    case CL_VA_CHANGE_CHECKIN:
        return "check in on this process change";
    case CL_VA_SESSION_CLOSE:
        return "close a session";
    case CL_VA_SESSION_DECIDE:
        return "record a session's decision";
    case CL_VA_SESSION_OPEN:
        return "open or schedule a session";
    case CL_VA_COACHING_WRITE:
        return "open or follow up this AE's coaching item";
    default:
        return "do this";
    }
}

cl_err
cl__eng_check_may(cl__eng *e, const char *id, const char *what,
                  cl_vis_action action, const cl_vis_rel *rel, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(CL_KIND_USERS);
    cl_value key = {.type = CL_V_TEXT, .s = id};
    cl_value row[8];
    int found = 0;
    if (id == NULL || *id == '\0')
        return cl_error_set(err, CL_EINVAL, "%s: a user id is required", what);
    cl_err rc = cl_store_get(e->st, CL_KIND_USERS, &key, row, &found, err);
    if (rc == CL_OK && !found)
        rc = cl_error_set(err, CL_EINVAL, "%s: no user '%s'", what, id);
    if (rc != CL_OK || action == CL_VA_COUNT)
        return rc;
    int ri = cl_kind_field_index(def, "role");
    cl_viewer v = {.user_id = id,
                   .role =
                       ri >= 0 && row[ri].type == CL_V_TEXT ? row[ri].s : NULL};
    if (!cl_vis_may(&v, action, rel))
        rc =
            cl_error_set(err, CL_EFORBIDDEN, "%s: %s (%s) may not %s", what, id,
                         v.role ? v.role : "no role", action_words(action));
    return rc;
}
