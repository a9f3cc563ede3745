/*
 * engine_apply.c - applying a rule's effects to the store: each effect kind
 * with its own idempotent write (see core/workflow.h), notifications fanned
 * out to their outbox channels, and a newly opened session's pack and
 * thresholds.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/visibility.h"
#include "../store/store_notify.h"
#include "engine_int.h"

static void
day_text(cl_day d, char out[11])
{
    if (d == CL_WF_NO_DAY)
        out[0] = '\0';
    else
        cl_date_format(d, out);
}

/* The store's table of a rule's subject kind (audit entities). */
static const char *
table_of(const char *subject_kind)
{
    static const char *const map[][2] = {
        {"deal", "deals"},       {"churn", "churns"},
        {"session", "sessions"}, {"process_change", "process_changes"},
        {"task", "tasks"},       {"recovery", "recoveries"},
        {"review", "reviews"},
    };
    for (size_t i = 0; subject_kind && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], subject_kind) == 0)
            return map[i][1];
    return subject_kind ? subject_kind : "engine";
}

/* The idempotency key of a private message on the shared channel: the rule's
   key names the AE ("coaching:2026Q3:U3:..."), so the channel gets a digest
   of it, as stable across runs as the key itself. */
static void
private_key(const char *rule_key, char *out, size_t len)
{
    unsigned char h[16];
    char hex[2 * sizeof h + 1];
    crypto_generichash(h, sizeof h, (const unsigned char *)rule_key,
                       strlen(rule_key), NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(out, len, "private:%s:webhook", hex);
}

/* The idempotency key of a team channel's post: one post per channel for
   what several recipients were told alike (the note of what changed goes
   to every CSM), and no recipient in it. */
static void
channel_key(int slot, const cl_wf_effect *fx, char *out, size_t len)
{
    unsigned char h[16];
    char hex[2 * sizeof h + 1];
    crypto_generichash_state g;
    crypto_generichash_init(&g, NULL, 0, sizeof h);
    const char *parts[] = {fx->what, fx->subject_kind, fx->subject_id,
                           fx->title};
    for (size_t i = 0; i < 4; i++) {
        const char *p = parts[i] ? parts[i] : "";
        crypto_generichash_update(&g, (const unsigned char *)p, strlen(p) + 1);
    }
    crypto_generichash_final(&g, h, sizeof h);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(out, len, "channel:%d:%s", slot, hex);
}

/* The team channels' posts of a team-safe notification (issue 15). */
static cl_err
channel_posts(cl__eng *e, const cl_wf_effect *fx, cl_error *err)
{
    char key[128], who[24];
    cl_err rc = CL_OK;
    if (!cl_nroute_team_safe(fx->what))
        return CL_OK;
    for (int i = 0; i < CL_NROUTE_CHANNELS && rc == CL_OK; i++) {
        if (!cl_nroute_kinds_has(e->chat_kinds[i], fx->what))
            continue;
        int inserted = 0;
        channel_key(i + 1, fx, key, sizeof key);
        snprintf(who, sizeof who, "channel %d", i + 1);
        cl_store_outbox_new m = {
            .key = key,
            .recipient_id = who,
            .channel = "chat_channel",
            .kind = fx->what,
            .subject = fx->title,
            .body = cl_nroute_team_body(fx->what) ? fx->body : NULL,
            .subject_kind = fx->subject_kind,
            .subject_id = fx->subject_id,
            .status = "pending",
        };
        rc = cl_store_outbox_add(e->st, &m, &inserted, err);
    }
    return rc;
}

/* One NOTIFY: the inbox row at once; the person's own row by the way they
   chose (e-mail, chat or their daily digest: core/notify_route.h); the
   team channels' posts of a team-safe kind; and the webhook row.  The
   webhook is the team's shared channel: a private kind goes there as its
   notice only (core/visibility.h).  A notification already queued (its
   inbox row is there) queues nothing new for the person or the channels,
   so changing one's mode between two ticks does not send it twice. */
static cl_err
notify(cl__eng *e, const cl_wf_effect *fx, cl_error *err)
{
    const char *notice = cl_vis_shared_notice(fx->what);
    cl_store_notify_pref pref;
    cl_nroute_mode mode = CL_NROUTE_EMAIL;
    char key[512];
    int inserted = 0, found;
    snprintf(key, sizeof key, "%s:inbox", fx->key);
    cl_store_outbox_new m = {
        .key = key,
        .recipient_id = fx->recipient_id,
        .channel = "inbox",
        .kind = fx->what,
        .subject = fx->title,
        .body = fx->body,
        .subject_kind = fx->subject_kind,
        .subject_id = fx->subject_id,
        .status = "sent",
    };
    cl_err rc = cl_store_outbox_add(e->st, &m, &inserted, err);
    if (rc == CL_OK && inserted) {
        e->stats.notifications++;
        rc = cl_store_notify_pref_get(e->st, fx->recipient_id, &pref, &found,
                                      err);
        if (rc == CL_OK && cl_nroute_mode_parse(pref.mode, &mode) != 0)
            mode = CL_NROUTE_EMAIL;
        const char *ch =
            cl_nroute_personal(mode, pref.url[0] != '\0', fx->what);
        snprintf(key, sizeof key, "%s:%s", fx->key, ch);
        m.channel = ch;
        m.status = "pending";
        if (rc == CL_OK)
            rc = cl_store_outbox_add(e->st, &m, &inserted, err);
        if (rc == CL_OK)
            rc = channel_posts(e, fx, err);
    }
    if (rc == CL_OK && e->webhook) {
        if (notice)
            private_key(fx->key, key, sizeof key);
        else
            snprintf(key, sizeof key, "%s:webhook", fx->key);
        m.channel = "webhook";
        m.subject = notice ? notice : fx->title;
        m.body = notice ? NULL : fx->body;
        m.status = "pending";
        rc = cl_store_outbox_add(e->st, &m, &inserted, err);
    }
    return rc;
}

static cl_err
audit(cl__eng *e, const cl_wf_effect *fx, cl_error *err)
{
    json_t *o = json_object();
    if (fx->old_value)
        json_object_set_new(o, "value", json_string(fx->old_value));
    char *old = fx->old_value ? json_dumps(o, JSON_COMPACT) : NULL;
    json_object_clear(o);
    if (fx->new_value)
        json_object_set_new(o, "value", json_string(fx->new_value));
    if (fx->body)
        json_object_set_new(o, "reason", json_string(fx->body));
    if (fx->actor_id)
        json_object_set_new(o, "by", json_string(fx->actor_id));
    char *new = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    cl_err rc = cl_store_audit(e->st, table_of(fx->subject_kind),
                               fx->subject_id ? fx->subject_id : "", fx->what,
                               old, new, err);
    free(old);
    free(new);
    return rc;
}

/* A health score set: a reading kept in the deal's history, once per
   effect key (issue 14), whether or not the score itself changed. */
static cl_err
health_reading(cl__eng *e, const cl_wf_effect *fx, const char *day,
               cl_error *err)
{
    int added = 0;
    cl_store_health_row h = {
        .deal_id = fx->subject_id,
        .score = (int)(fx->new_value ? atof(fx->new_value) : fx->value),
        .source = fx->title ? fx->title : "review",
        .note = fx->body,
        .recorded_by = fx->actor_id,
        .recorded_on = day,
    };
    cl_err rc = cl_store_health_add(e->st, fx->key, &h, &added, err);
    if (rc == CL_OK && added)
        rc = cl__eng_crm_health(e, fx->subject_id, h.score, day, fx->key, err);
    return rc;
}

/* ---- a session's thresholds ------------------------------------------------
 */

/* Churns of one bad-fit category counted by AE. */
typedef struct by_ae {
    cl_wf_ae_count *v;
    size_t n, cap;
} by_ae;

typedef struct quarter {
    cl__eng *e;
    cl_wf_quarter_figures fig;
    by_ae over_by_ae, misaligned_by_ae, trust_by_ae;
    /* The original deals of the quarter's trust recoveries, read after
       the recoveries (a row callback may not call the store). */
    const char **trust_deals;
    size_t ntrust_deals, trust_cap;
    /* Recoveries without logged_on: they count in the quarter of their new
       deal's created_on, as in the recovery report, read after the scan
       too.  Triples: new deal, type, original deal. */
    const char **undated;
    size_t nundated, undated_cap;
    int wrong_icp, over, misaligned;
    const char *first, *last;
} quarter;

/* One more of AE ae_id (manager manager_id) in list; 1 when out of
   memory. */
static int
count_one(quarter *q, by_ae *list, const char *ae_id, const char *manager_id)
{
    if (ae_id == NULL)
        return 0;
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(list->v[i].ae_id, ae_id) == 0) {
            list->v[i].count++;
            return 0;
        }
    if (cl_grow(&list->v, &list->cap, list->n + 1, sizeof *list->v) != CL_OK) {
        q->e->oom = 1;
        return 1;
    }
    list->v[list->n++] = (cl_wf_ae_count){cl__eng_str(q->e, ae_id),
                                          cl__eng_str(q->e, manager_id), 1};
    return 0;
}

/* One more churn of r's AE in list; 1 when out of memory. */
static int
count_ae(quarter *q, by_ae *list, const cl_store_churn_row *r)
{
    return count_one(q, list, r->ae_id, r->ae_manager_id);
}

static int
quarter_churn(void *ud, const cl_store_churn_row *r)
{
    quarter *q = ud;
    const char *cat = r->bad_fit_category ? r->bad_fit_category : "";
    q->fig.cohort_size++;
    q->wrong_icp += strcmp(cat, "wrong_icp") == 0;
    if (strcmp(cat, "misaligned_use_case") == 0) {
        q->misaligned++;
        return count_ae(q, &q->misaligned_by_ae, r);
    }
    if (strcmp(cat, "over_promised") != 0)
        return 0;
    q->over++;
    return count_ae(q, &q->over_by_ae, r);
}

/* One CS-led recovery of the quarter of type (original deal original);
   1 when out of memory. */
static int
count_recovery(quarter *q, const char *type, const char *original)
{
    q->fig.recoveries++;
    q->fig.overpromise_recoveries += strcmp(type, "overpromise_repair") == 0;
    q->fig.timing_share += strcmp(type, "timing") == 0;
    q->fig.champion_change_recoveries += strcmp(type, "champion_change") == 0;
    if (strcmp(type, "trust") != 0)
        return 0;
    q->fig.trust_recoveries++;
    if (original == NULL)
        return 0;
    if (cl_grow(&q->trust_deals, &q->trust_cap, q->ntrust_deals + 1,
                sizeof *q->trust_deals) != CL_OK) {
        q->e->oom = 1;
        return 1;
    }
    q->trust_deals[q->ntrust_deals++] = cl__eng_str(q->e, original);
    return 0;
}

/* CS-led recoveries of the quarter, by the day they count in: logged_on,
   else the new deal's created_on (src/analytics/report_recovery.c). */
static int
quarter_recovery(void *ud, const cl_value *row)
{
    quarter *q = ud;
    const cl_kind_def *def = cl_kind_get(CL_KIND_RECOVERIES);
    int ti = cl_kind_field_index(def, "recovery_type");
    int li = cl_kind_field_index(def, "logged_on");
    int ci = cl_kind_field_index(def, "cs_led");
    int oi = cl_kind_field_index(def, "original_deal_id");
    int ni = cl_kind_field_index(def, "new_deal_id");
    /* Marked not CS-led: on record, left out of the review (issue 14). */
    if (row[ci].type == CL_V_INT && row[ci].i == 0)
        return 0;
    const char *type = row[ti].type == CL_V_TEXT ? row[ti].s : "";
    const char *original = row[oi].type == CL_V_TEXT ? row[oi].s : NULL;
    const char *on = row[li].type == CL_V_TEXT ? row[li].s : NULL;
    if (on == NULL) {
        if (row[ni].type != CL_V_TEXT)
            return 0;
        if (cl_grow(&q->undated, &q->undated_cap, q->nundated + 3,
                    sizeof *q->undated) != CL_OK) {
            q->e->oom = 1;
            return 1;
        }
        q->undated[q->nundated++] = cl__eng_str(q->e, row[ni].s);
        q->undated[q->nundated++] = cl__eng_str(q->e, type);
        q->undated[q->nundated++] = original ? cl__eng_str(q->e, original)
                                             : NULL;
        return 0;
    }
    if (strcmp(on, q->first) < 0 || strcmp(on, q->last) > 0)
        return 0;
    return count_recovery(q, type, original);
}

/* The recoveries without logged_on whose new deal was created in the
   quarter. */
static cl_err
undated_recoveries(quarter *q, cl_error *err)
{
    const cl_kind_def *deals = cl_kind_get(CL_KIND_DEALS);
    int ci = cl_kind_field_index(deals, "created_on");
    cl_value row[32];
    cl_err rc = CL_OK;
    for (size_t i = 0; i + 2 < q->nundated && rc == CL_OK; i += 3) {
        cl_value key = {.type = CL_V_TEXT, .s = q->undated[i]};
        int found = 0;
        rc = cl_store_get(q->e->st, CL_KIND_DEALS, &key, row, &found, err);
        if (rc != CL_OK || !found || row[ci].type != CL_V_TEXT ||
            strcmp(row[ci].s, q->first) < 0 || strcmp(row[ci].s, q->last) > 0)
            continue;
        if (count_recovery(q, q->undated[i + 1], q->undated[i + 2]))
            rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    return rc;
}

/* The trust recoveries by the AE of their original deal, and that AE's
   manager. */
static cl_err
trust_by_ae(quarter *q, cl_error *err)
{
    const cl_kind_def *deals = cl_kind_get(CL_KIND_DEALS);
    const cl_kind_def *users = cl_kind_get(CL_KIND_USERS);
    int ai = cl_kind_field_index(deals, "ae_id");
    int mi = cl_kind_field_index(users, "manager_id");
    cl_value row[32];
    cl_err rc = CL_OK;
    for (size_t i = 0; i < q->ntrust_deals && rc == CL_OK; i++) {
        cl_value key = {.type = CL_V_TEXT, .s = q->trust_deals[i]};
        int found = 0;
        rc = cl_store_get(q->e->st, CL_KIND_DEALS, &key, row, &found, err);
        if (rc != CL_OK || !found || row[ai].type != CL_V_TEXT)
            continue;
        const char *ae = cl__eng_str(q->e, row[ai].s);
        key.s = ae;
        rc = cl_store_get(q->e->st, CL_KIND_USERS, &key, row, &found, err);
        const char *manager = rc == CL_OK && found && row[mi].type == CL_V_TEXT
                                  ? row[mi].s
                                  : NULL;
        if (rc == CL_OK && count_one(q, &q->trust_by_ae, ae, manager))
            rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    return rc;
}

/* A monthly_debrief opened: the month's won-deal review completion, read
   from its pack (the monthly report), against its target. */
static cl_err
completion_check(cl__eng *e, const char *month, const char *pack, cl_error *err)
{
    json_t *doc = pack ? json_loads(pack, 0, NULL) : NULL;
    json_t *rc_doc = json_object_get(doc, "review_completion");
    json_int_t won = json_integer_value(json_object_get(rc_doc, "closed_won"));
    json_int_t pending = json_integer_value(json_object_get(rc_doc, "pending"));
    json_int_t on_time = json_integer_value(json_object_get(rc_doc, "on_time"));
    json_decref(doc);
    cl_wf_effects more;
    cl_wf_effects_init(&more);
    cl_err rc = cl_wf_review_completion(&e->cfg, month, (int)(won - pending),
                                        (int)on_time, e->today, &more, err);
    if (rc == CL_OK)
        rc = cl__eng_apply(e, &more, err);
    cl_wf_effects_release(&more);
    return rc;
}

static cl_err
session_opened(cl__eng *e, const cl_wf_effect *fx, int64_t id, cl_error *err)
{
    cl_err rc = CL_OK;

    /* The pack: the JSON of the session's report for its period. */
    char *pack = NULL;
    if (fx->report &&
        (rc = cl__eng_pack(e, fx->report, fx->period, &pack, err)) != CL_OK)
        return rc;
    if (pack)
        rc = cl_store_session_set_pack(e->st, id, pack, err);
    if (rc == CL_OK && strcmp(fx->what, "monthly_debrief") == 0)
        rc = completion_check(e, fx->period, pack, err);
    free(pack);
    if (rc == CL_OK)
        rc = cl__eng_thresholds(e, fx->what, fx->period, id, err);
    return rc;
}

cl_err
cl__eng_thresholds(cl__eng *e, const char *kind, const char *period, int64_t id,
                   cl_error *err)
{
    cl_period p;
    char first[11], last[11], sid[32];
    quarter q = {.e = e, .first = first, .last = last};
    cl_err rc = CL_OK;
    if (cl_period_parse(period, &p) != 0 || p.kind != CL_PERIOD_QUARTER)
        return rc;

    cl_date_format(p.first, first);
    cl_date_format(p.last, last);
    if (strcmp(kind, "bad_fit_review") == 0)
        rc = cl_store_churns_sel(e->st, CL_SC_TAGGED_BETWEEN, first, last,
                                 quarter_churn, &q, err);
    else if (strcmp(kind, "recovery_review") == 0) {
        rc =
            cl_store_each(e->st, CL_KIND_RECOVERIES, quarter_recovery, &q, err);
        if (rc == CL_OK && e->oom)
            rc = cl_error_set(err, CL_ENOMEM, "out of memory");
        if (rc == CL_OK)
            rc = undated_recoveries(&q, err);
        if (rc == CL_OK)
            rc = trust_by_ae(&q, err);
    } else
        return CL_OK;
    if (rc == CL_OK) {
        int n = q.fig.cohort_size;
        q.fig.wrong_icp_share = n ? (double)q.wrong_icp / n : 0;
        q.fig.over_promise_share = n ? (double)q.over / n : 0;
        q.fig.misaligned_share = n ? (double)q.misaligned / n : 0;
        q.fig.overpromise_by_ae = q.over_by_ae.v;
        q.fig.n_overpromise_by_ae = q.over_by_ae.n;
        q.fig.misaligned_by_ae = q.misaligned_by_ae.v;
        q.fig.n_misaligned_by_ae = q.misaligned_by_ae.n;
        q.fig.timing_share =
            q.fig.recoveries ? q.fig.timing_share / q.fig.recoveries : 0;
        q.fig.trust_by_ae = q.trust_by_ae.v;
        q.fig.n_trust_by_ae = q.trust_by_ae.n;
        snprintf(sid, sizeof sid, "%lld", (long long)id);
        cl_wf_session s = {sid, kind, period, 0};
        cl_wf_effects more;
        cl_wf_effects_init(&more);
        rc = cl_wf_session_opened(&e->cfg, &s, &q.fig, e->today, &more, err);
        if (rc == CL_OK)
            rc = cl__eng_apply(e, &more, err);
        cl_wf_effects_release(&more);
    }
    free(q.over_by_ae.v);
    free(q.misaligned_by_ae.v);
    free(q.trust_by_ae.v);
    free(q.trust_deals);
    free(q.undated);
    return rc;
}

/* ---- one effect ------------------------------------------------------------
 */

static cl_err
apply_one(cl__eng *e, const cl_wf_effect *fx, cl_error *err)
{
    char day[11];
    int done = 0;
    int64_t id = 0;
    cl_err rc = CL_OK;

    switch (fx->kind) {
    case CL_WF_CREATE_TASK: {
        day_text(fx->due_on, day);
        cl_store_task_new t = {fx->what,           fx->subject_kind,
                               fx->subject_id,     fx->recipient_id,
                               fx->attendees,      fx->title,
                               day[0] ? day : NULL};
        rc = cl_store_task_add(e->st, &t, &done, &id, err);
        e->stats.tasks += done;
        break;
    }
    case CL_WF_MARK_TASK:
        rc = cl_store_task_mark(e->st, fx->what, fx->subject_kind,
                                fx->subject_id, fx->recipient_id, fx->new_value,
                                &done, err);
        e->stats.marks += done;
        break;
    case CL_WF_NOTIFY:
        rc = notify(e, fx, err);
        break;
    case CL_WF_OPEN_SESSION:
        rc = cl_store_session_open(e->st, fx->what, fx->period,
                                   fx->recipient_id, &done, &id, err);
        e->stats.sessions += done;
        if (rc == CL_OK && done)
            rc = session_opened(e, fx, id, err);
        break;
    case CL_WF_FIRE_TRIGGER:
        rc = cl_store_trigger_add(e->st, atoll(fx->subject_id), fx->what,
                                  fx->period, fx->value, fx->threshold,
                                  fx->fired, &done, err);
        e->stats.triggers += done;
        break;
    case CL_WF_COACHING_ITEM:
        rc = cl_store_coaching_add(e->st, fx->recipient_id,
                                   atoll(fx->subject_id), fx->period, fx->what,
                                   fx->body, fx->audience, &done, err);
        e->stats.coaching += done;
        break;
    case CL_WF_PROCESS_CHANGE:
        day_text(fx->due_on, day);
        rc = cl_store_pc_add(e->st, atoll(fx->subject_id), fx->recipient_id,
                             fx->body, day, &done, &id, err);
        break;
    case CL_WF_SET:
        /* Flags set once carry the day they were set. */
        cl_date_format(e->today, day);
        rc = cl_store_field_set(
            e->st, fx->subject_kind, fx->subject_id, fx->what, day,
            fx->new_value ? atof(fx->new_value) : fx->value, &done, err);
        e->stats.sets += done;
        if (rc == CL_OK && strcmp(fx->what, "health_score") == 0)
            rc = health_reading(e, fx, day, err);
        break;
    case CL_WF_FLAG:
        rc = cl_store_flag_add(e->st, fx->key, fx->subject_kind, fx->subject_id,
                               fx->what, fx->new_value, fx->body, &done, err);
        e->stats.flags += done;
        break;
    case CL_WF_LINK:
        rc = cl_store_link_add(e->st, fx->subject_id, fx->target_id,
                               (int)fx->value, &done, err);
        e->stats.links += done;
        break;
    case CL_WF_AUDIT:
        rc = audit(e, fx, err);
        if (rc == CL_OK && (strcmp(fx->what, "churn_tagged") == 0 ||
                            strcmp(fx->what, "churn_tag_changed") == 0))
            rc = cl__eng_crm_churn(e, fx->subject_id, fx->key, err);
        break;
    case CL_WF_ERROR:
        rc = cl_error_set(err, fx->code ? fx->code : CL_ECONFLICT, "%s",
                          fx->body ? fx->body : "refused");
        break;
    }
    return rc;
}

cl_err
cl__eng_apply(cl__eng *e, const cl_wf_effects *fx, cl_error *err)
{
    cl_err rc = CL_OK;
    for (size_t i = 0; i < fx->n && rc == CL_OK; i++)
        rc = apply_one(e, &fx->items[i], err);
    return rc;
}
