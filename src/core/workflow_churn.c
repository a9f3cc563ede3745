/*
 * workflow_churn.c - the churn rules (rule 2): the tagging task, the tag and
 * its audit, the real-time flag to Sales and the AE+CSM debrief.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "taxonomy.h"
#include "workflow.h"
#include "workflow_int.h"

cl_err
cl_wf_churn_recorded(const cl_wf_config *cfg, const cl_calendar *cal,
                     const cl_wf_churn *churn, cl_wf_effects *out,
                     cl_error *err)
{
    if (!cl__wf_empty(churn->tag.primary_cause))
        return CL_OK;
    const char *assignee = cl__wf_or(churn->csm_id, cfg->revops_id);
    if (cl__wf_empty(assignee))
        return cl__wf_refuse(out, err, CL_EINVAL, "churn", churn->id,
                             "%s: the account has no CSM and no RevOps "
                             "user is configured",
                             cl__wf_churn_ref(out, churn, 1));
    cl_day due = cl_cal_add_business_days(cal, churn->recorded_on,
                                          cfg->churn_tagging_due_business_days);
    cl__wf_task(out, "churn_tagging", "churn", churn->id, assignee, due, 0,
                cl__wf_fmt(out, "Tag the root cause of %s",
                           cl__wf_churn_words(out, churn)));
    return cl__wf_finish(out, err);
}

static int
same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static int
tag_equal(const cl_wf_tag *a, const cl_wf_tag *b)
{
    return same(a->primary_cause, b->primary_cause) &&
           same(a->contributing_causes, b->contributing_causes) &&
           same(a->stated_reason, b->stated_reason) &&
           same(a->diagnosis, b->diagnosis) &&
           same(a->predictive_behavior, b->predictive_behavior);
}

/* 1 when code is an item of the ';'-separated list. */
static int
listed(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = list ? list : ""; *p;) {
        size_t len = strcspn(p, ";");
        if (len == n && strncmp(p, code, n) == 0)
            return 1;
        p += len + (p[len] == ';');
    }
    return 0;
}

static int
had_cause(const cl_wf_tag *before, const char *code)
{
    return before && (same(before->primary_cause, code) ||
                      listed(before->contributing_causes, code));
}

cl_err
cl_wf_tag_retired_check(const cl_wf_config *cfg, const cl_wf_tag *before,
                        const cl_wf_tag *tag, cl_error *err)
{
    for (size_t i = 0; cfg->causes && i < cfg->ncauses; i++) {
        const cl_cause *c = &cfg->causes[i];
        if (!c->retired || had_cause(before, c->code))
            continue;
        const char *field = same(tag->primary_cause, c->code)
                                ? "primary_cause"
                                : "contributing_causes";
        if (*field == 'p' || listed(tag->contributing_causes, c->code))
            return cl_error_set_field(
                err, CL_EINVAL, field,
                "%s: '%s' is retired and no longer taken for new tags; "
                "choose another cause",
                field, c->label);
    }
    return CL_OK;
}

/* The first contributing cause that is not a taxonomy code, into bad. */
static int
contributing_valid(const cl_wf_config *cfg, const char *list, char *bad,
                   size_t badsize)
{
    const char *p = list ? list : "";
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        char code[64];
        if (len == 0 || len >= sizeof code) {
            snprintf(bad, badsize, "%.*s", (int)(len < 40 ? len : 40), p);
            return 0;
        }
        memcpy(code, p, len);
        code[len] = '\0';
        if (!cl_taxonomy_in(cfg->causes, cfg->ncauses, code)) {
            snprintf(bad, badsize, "%s", code);
            return 0;
        }
        p += len + (semi ? 1 : 0);
    }
    return 1;
}

static const char *
tag_text(cl_wf_effects *out, const cl_wf_tag *t)
{
    if (cl__wf_empty(t->primary_cause))
        return NULL;
    return cl__wf_fmt(out, "primary=%s;contributing=%s", t->primary_cause,
                      cl__wf_or(t->contributing_causes, ""));
}

/* The ';'-separated contributing cause codes as their labels, "none"
   when there are none: the flag is read by people (issue 16). */
static const char *
contributing_words(cl_wf_effects *out, const cl_wf_config *cfg,
                   const char *codes)
{
    char buf[512];
    size_t len = 0;
    buf[0] = '\0';
    for (const char *p = codes; p && *p;) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char code[64];
        if (n > 0 && n < sizeof code) {
            memcpy(code, p, n);
            code[n] = '\0';
            const cl_cause *c = cl_taxonomy_in(cfg->causes, cfg->ncauses, code);
            int w = snprintf(buf + len, sizeof buf - len, "%s%s",
                             len ? ", " : "", c ? c->label : code);
            if (w > 0 && (size_t)w < sizeof buf - len)
                len += (size_t)w;
        }
        p = end ? end + 1 : p + n;
    }
    return len ? cl__wf_str(out, buf) : "none";
}

cl_err
cl_wf_churn_tagged(const cl_wf_config *cfg, const cl_calendar *cal,
                   const cl_wf_churn *churn, const cl_wf_tag *tag,
                   const char *actor_id, cl_day today, cl_wf_effects *out,
                   cl_error *err)
{
    if (cl__wf_empty(tag->primary_cause))
        return cl__wf_refuse(out, err, CL_EINVAL, "churn", churn->id,
                             "primary_cause: a tag of %s needs a primary "
                             "cause",
                             cl__wf_churn_ref(out, churn, 0));
    const cl_cause *cause =
        cl_taxonomy_in(cfg->causes, cfg->ncauses, tag->primary_cause);
    if (!cause)
        return cl__wf_refuse(out, err, CL_EINVAL, "churn", churn->id,
                             "primary_cause: '%s' is not a cause of the "
                             "taxonomy",
                             tag->primary_cause);
    char bad[64];
    if (!contributing_valid(cfg, tag->contributing_causes, bad, sizeof bad))
        return cl__wf_refuse(out, err, CL_EINVAL, "churn", churn->id,
                             "contributing_causes: '%s' is not a cause of "
                             "the taxonomy",
                             bad);
    if (tag_equal(&churn->tag, tag))
        return CL_OK;
    cl_error locked;
    if (cl_wf_churn_tag_check(churn, tag, &locked) != CL_OK)
        return cl__wf_refuse(out, err, CL_ECONFLICT, "churn", churn->id, "%s",
                             locked.msg);

    int first = cl__wf_empty(churn->tag.primary_cause);
    const char *old = tag_text(out, &churn->tag);
    const char *new = tag_text(out, tag);
    cl_wf_effect *e =
        cl__wf_push(out, CL_WF_AUDIT,
                    cl__wf_fmt(out, "churn_tag:%s:%s>%s", churn->id,
                               old ? old : "untagged", new ? new : "untagged"));
    if (e) {
        e->what = first ? "churn_tagged" : "churn_tag_changed";
        e->subject_kind = "churn";
        e->subject_id = cl__wf_str(out, churn->id);
        e->actor_id = cl__wf_str(out, actor_id);
        e->old_value = old;
        e->new_value = new;
    }
    e = cl__wf_push(out, CL_WF_MARK_TASK,
                    cl__wf_fmt(out, "done:churn_tagging:%s", churn->id));
    if (e) {
        e->what = "churn_tagging";
        e->subject_kind = "churn";
        e->subject_id = cl__wf_str(out, churn->id);
        e->new_value = "done";
    }

    /* A changed cause takes the follow-up from the old cause's owner. */
    if (!first && !same(churn->tag.primary_cause, tag->primary_cause))
        cl__wf_route_superseded(cfg, churn, tag, actor_id, out);

    /* A non-sales cause goes to its owner, again only when the cause
       changes: a new wording of the diagnosis is not a new signal. */
    if (!cause->sales_attributable) {
        if (same(churn->tag.primary_cause, tag->primary_cause))
            return cl__wf_finish(out, err);
        cl_wf_churn after = *churn;
        after.tag = *tag;
        return cl_wf_churn_routed(cfg, cal, &after, today, out, err);
    }
    /* The flag to Sales goes out once per churn, whatever the later tags:
       the state says whether it went, and the keys do not name the cause,
       so even a shell that lost the state could not send it twice. */
    if (churn->sales_flagged)
        return cl__wf_finish(out, err);

    /* The account by name where it has one: the ids are for the shell. */
    int named = !cl__wf_empty(churn->account_name);
    const char *title =
        named ? cl__wf_fmt(out,
                           "%s churned: tagged %s, a deal-attributable "
                           "cause",
                           churn->account_name, cause->label)
              : cl__wf_fmt(out, "Churn %s tagged %s, a deal-attributable cause",
                           churn->id, cause->label);
    const char *opening =
        named ? cl__wf_fmt(out,
                           "%s churned; the flag is about the deal that "
                           "first won them.",
                           churn->account_name)
              : cl__wf_fmt(out, "Account %s churned; original deal %s.",
                           cl__wf_or(churn->account_id, "?"),
                           cl__wf_or(churn->deal_id, "?"));
    const char *body = cl__wf_fmt(
        out,
        "%s Primary cause: %s. "
        "Contributing: %s. Customer's words: %s. CS diagnosis: %s. "
        "Pre-sale behaviour: %s. A 20-minute AE+CSM debrief is due.",
        opening, cause->label,
        contributing_words(out, cfg, tag->contributing_causes),
        cl__wf_or(tag->stated_reason, "-"), cl__wf_or(tag->diagnosis, "-"),
        cl__wf_or(tag->predictive_behavior, "-"));
    const char *who[2] = {churn->ae_id, churn->ae_manager_id};
    int sent = 0;
    for (int i = 0; i < 2; i++) {
        if (cl__wf_empty(who[i]) || (i == 1 && same(who[0], who[1])))
            continue;
        cl__wf_notify(out,
                      cl__wf_fmt(out, "churn_flag:%s:%s", churn->id, who[i]),
                      "churn_flag", who[i], "churn", churn->id, title, body);
        sent++;
    }
    /* Without a known AE the signal must still reach someone who can
       route it. */
    if (!sent && !cl__wf_empty(cfg->revops_id))
        cl__wf_notify(
            out, cl__wf_fmt(out, "churn_flag:%s:%s", churn->id, cfg->revops_id),
            "churn_flag", cfg->revops_id, "churn", churn->id, title, body);

    cl_day due =
        cl_cal_add_business_days(cal, today, cfg->debrief_due_business_days);
    const char *dtitle = cl__wf_fmt(out, "AE+CSM debrief (20 minutes) on %s",
                                    cl__wf_churn_words(out, churn));
    const char *pair[2] = {churn->ae_id, churn->csm_id};
    const char *attendees = NULL;
    if (!cl__wf_empty(pair[0]) && !cl__wf_empty(pair[1]))
        attendees = cl__wf_fmt(out, "%s;%s", pair[0], pair[1]);
    for (int i = 0; i < 2; i++) {
        if (cl__wf_empty(pair[i]) || (i == 1 && same(pair[0], pair[1])))
            continue;
        e = cl__wf_task(out, "debrief", "churn", churn->id, pair[i], due, 1,
                        dtitle);
        if (e)
            e->attendees = attendees;
    }
    e = cl__wf_push(out, CL_WF_SET,
                    cl__wf_fmt(out, "sales_flagged:%s", churn->id));
    if (e) {
        e->what = "sales_flagged";
        e->subject_kind = "churn";
        e->subject_id = cl__wf_str(out, churn->id);
        e->new_value = "1";
        e->value = 1;
    }
    return cl__wf_finish(out, err);
}

cl_err
cl_wf_churn_tag_check(const cl_wf_churn *churn, const cl_wf_tag *tag,
                      cl_error *err)
{
    if (churn->closed_on == CL_WF_NO_DAY || tag_equal(&churn->tag, tag))
        return CL_OK;
    char ref[CL_WF_REF_MAX];
    return cl_error_set(err, CL_ECONFLICT,
                        "%s is closed; reopen it, with a reason, to change "
                        "its tag",
                        cl_wf_churn_ref(churn, 1, ref, sizeof ref));
}

/* An AUDIT effect what on churn by actor_id, keyed "WHAT:CHURN". */
static cl_wf_effect *
churn_audit(cl_wf_effects *out, const cl_wf_churn *churn, const char *what,
            const char *actor_id)
{
    cl_wf_effect *e = cl__wf_push(out, CL_WF_AUDIT,
                                  cl__wf_fmt(out, "%s:%s", what, churn->id));
    if (e) {
        e->what = what;
        e->subject_kind = "churn";
        e->subject_id = cl__wf_str(out, churn->id);
        e->actor_id = cl__wf_str(out, actor_id);
    }
    return e;
}

cl_wf_signal
cl_wf_signal_check(const char *text)
{
    if (text == NULL)
        return CL_WF_SIGNAL_MISSING;
    while (isspace((unsigned char)*text))
        text++;
    size_t skip = 0;
    if (strncasecmp(text, "not known", 9) == 0)
        skip = 9;
    else if (strncasecmp(text, "unknown", 7) == 0)
        skip = 7;
    if (!skip)
        return *text ? CL_WF_SIGNAL_KNOWN : CL_WF_SIGNAL_MISSING;
    const char *p = text + skip;
    if (isalnum((unsigned char)*p))
        return CL_WF_SIGNAL_KNOWN; /* "unknowns ...", "not knowingly" */
    while (isspace((unsigned char)*p))
        p++;
    if (*p != ':' && *p != '-' && *p != '(')
        return *p ? CL_WF_SIGNAL_KNOWN : CL_WF_SIGNAL_MISSING;
    int letters = 0;
    for (p++; *p; p++)
        letters += isalpha((unsigned char)*p) != 0;
    return letters >= 3 ? CL_WF_SIGNAL_NOT_KNOWN : CL_WF_SIGNAL_MISSING;
}

cl_err
cl_wf_churn_close(const cl_wf_churn *churn, const char *actor_id,
                  cl_wf_effects *out, cl_error *err)
{
    if (cl__wf_empty(churn->tag.primary_cause))
        return cl__wf_refuse(out, err, CL_ECONFLICT, "churn", churn->id,
                             "%s cannot be closed untagged; tag its "
                             "primary cause first",
                             cl__wf_churn_ref(out, churn, 1));
    if (churn->closed_on != CL_WF_NO_DAY)
        return cl__wf_refuse(out, err, CL_ECONFLICT, "churn", churn->id,
                             "%s is already closed",
                             cl__wf_churn_ref(out, churn, 1));
    static const struct {
        const char *field, *words;
    } levels[3] = {
        {"stated_reason", "the customer's stated reason"},
        {"diagnosis", "the CS diagnosis"},
        {"predictive_behavior", "the pre-sale behaviour that predicted it"},
    };
    const char *text[3] = {churn->tag.stated_reason, churn->tag.diagnosis,
                           churn->tag.predictive_behavior};
    char unknown[80] = "";
    for (int i = 0; i < 3; i++) {
        cl_wf_signal sig = cl_wf_signal_check(text[i]);
        if (sig == CL_WF_SIGNAL_MISSING)
            return cl__wf_refuse(
                out, err, CL_EINVAL, "churn", churn->id,
                "%s: %s cannot be closed without %s; if nobody knows it, "
                "write 'not known: ' and why",
                levels[i].field, cl__wf_churn_ref(out, churn, 0),
                levels[i].words);
        if (sig == CL_WF_SIGNAL_NOT_KNOWN) {
            size_t len = strlen(unknown);
            snprintf(unknown + len, sizeof unknown - len, "%s%s",
                     len ? ";" : "", levels[i].field);
        }
    }
    cl_wf_effect *e = churn_audit(out, churn, "churn_closed", actor_id);
    if (e)
        e->new_value = *unknown ? cl__wf_fmt(out, "not_known=%s", unknown)
                                : "signals=known";
    return cl__wf_finish(out, err);
}

cl_err
cl_wf_churn_reopen(const cl_wf_churn *churn, const char *reason,
                   const char *actor_id, cl_wf_effects *out, cl_error *err)
{
    if (churn->closed_on == CL_WF_NO_DAY)
        return cl__wf_refuse(out, err, CL_ECONFLICT, "churn", churn->id,
                             "%s is open; only a closed churn is "
                             "reopened",
                             cl__wf_churn_ref(out, churn, 1));
    if (cl__wf_blank(reason))
        return cl__wf_refuse(out, err, CL_EINVAL, "churn", churn->id,
                             "reason: reopening %s needs a reason, kept in "
                             "the audit trail",
                             cl__wf_churn_ref(out, churn, 0));
    cl_wf_effect *e = churn_audit(out, churn, "churn_reopened", actor_id);
    if (e) {
        e->old_value = "closed";
        e->new_value = "open";
        e->body = cl__wf_str(out, reason);
    }
    return cl__wf_finish(out, err);
}
