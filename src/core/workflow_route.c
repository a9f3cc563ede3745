/*
 * workflow_route.c - where a non-sales churn cause goes (docs/design.md
 * section 5, "goes to"): an owner role per cause, a task for a user of
 * that role and a notice, so every tagged pattern reaches someone who can
 * act on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "people.h"
#include "record.h"
#include "taxonomy.h"
#include "workflow.h"
#include "workflow_int.h"

/* The roles that own each non-sales cause's fix by default.  No role of
   docs/design.md section 1 owns product, engineering or pricing, so those go to
   RevOps, the loop owner, who routes them onward. */
static const struct {
    const char *cause, *role;
} defaults[] = {
    {"failed_adoption", "vp_cs"},      {"product_deficiency", "revops"},
    {"poor_service", "vp_cs"},         {"goals_not_met", "vp_cs"},
    {"competitive_loss", "marketing"}, {"pricing", "revops"},
    {"business_change", "none"},       {"financial_distress", "vp_sales"},
};

const char *
cl_wf_route_default(const char *cause)
{
    for (size_t i = 0; cause && i < sizeof defaults / sizeof defaults[0]; i++)
        if (strcmp(defaults[i].cause, cause) == 0)
            return defaults[i].role;
    return NULL;
}

const char *
cl_wf_route_setting_check(const char *key, const char *value, int *known)
{
    if (known)
        *known = 1;
    if (strcmp(key, "route_due_business_days") == 0) {
        char *end;
        long n = strtol(value, &end, 10);
        if (*value == '\0' || *end || n < 1 || n > 60)
            return "expected a whole number of business days, 1-60";
        return NULL;
    }
    if (strncmp(key, "route_", 6) == 0 && cl_wf_route_default(key + 6)) {
        if (strcmp(value, "none") == 0 || cl_enum_index(cl_roles, value) >= 0)
            return NULL;
        return "expected a role (csm, cs_manager, ae, sales_manager, "
               "vp_sales, vp_cs, marketing, revops, admin) or none";
    }
    if (known)
        *known = 0;
    return "unknown key";
}

/* The owner of cause: the configured entry, else the default role. */
static void
owner_of(const cl_wf_config *cfg, const char *cause, const char **role,
         const char **user)
{
    *role = cl_wf_route_default(cause);
    *user = NULL;
    for (size_t i = 0; i < cfg->nroute_owners; i++)
        if (strcmp(cfg->route_owners[i].cause, cause) == 0) {
            if (!cl__wf_empty(cfg->route_owners[i].role))
                *role = cfg->route_owners[i].role;
            *user = cfg->route_owners[i].user_id;
        }
}

/*
 * The user a cause's follow-up goes to, its role into *role: NULL for a
 * sales-attributable or unknown cause, one routed to "none", or no user
 * and no RevOps.
 */
static const char *
route_user(const cl_wf_config *cfg, const char *code, const char **role,
           const cl_cause **cause)
{
    const char *user;
    *cause = cl__wf_empty(code)
                 ? NULL
                 : cl_taxonomy_in(cfg->causes, cfg->ncauses, code);
    if (*cause == NULL || (*cause)->sales_attributable)
        return NULL;
    owner_of(cfg, code, role, &user);
    if (*role == NULL || strcmp(*role, "none") == 0)
        return NULL;
    /* A role nobody holds yet: the loop owner gets it rather than nobody. */
    user = cl__wf_or(user, cfg->revops_id);
    return cl__wf_empty(user) ? NULL : user;
}

void
cl__wf_route_superseded(const cl_wf_config *cfg, const cl_wf_churn *churn,
                        const cl_wf_tag *tag, const char *actor_id,
                        cl_wf_effects *out)
{
    const char *role, *was, *now;
    const cl_cause *cause;
    was = route_user(cfg, churn->tag.primary_cause, &role, &cause);
    now = route_user(cfg, tag->primary_cause, &role, &cause);
    /* The same owner keeps the one task (one per churn and owner) and is
       told of the new cause by cl_wf_churn_routed's notice. */
    if (was == NULL || (now && strcmp(was, now) == 0))
        return;
    cl_wf_effect *e = cl__wf_push(
        out, CL_WF_MARK_TASK,
        cl__wf_fmt(out, "done:cause_followup:%s:%s", churn->id, was));
    if (e) {
        e->what = "cause_followup";
        e->subject_kind = "churn";
        e->subject_id = cl__wf_str(out, churn->id);
        e->recipient_id = cl__wf_str(out, was);
        e->new_value = "done";
    }
    e = cl__wf_push(out, CL_WF_AUDIT,
                    cl__wf_fmt(out, "cause_followup_superseded:%s:%s>%s",
                               churn->id, churn->tag.primary_cause,
                               tag->primary_cause));
    if (e) {
        e->what = "cause_followup_superseded";
        e->subject_kind = "churn";
        e->subject_id = cl__wf_str(out, churn->id);
        e->actor_id = cl__wf_str(out, actor_id);
        e->old_value = cl__wf_fmt(out, "%s:%s", churn->tag.primary_cause, was);
        e->new_value = now ? cl__wf_fmt(out, "%s:%s", tag->primary_cause, now)
                           : cl__wf_str(out, tag->primary_cause);
        e->body = "the churn was re-tagged; its follow-up goes to the owner "
                  "of the new cause";
    }
}

cl_err
cl_wf_churn_routed(const cl_wf_config *cfg, const cl_calendar *cal,
                   const cl_wf_churn *churn, cl_day today, cl_wf_effects *out,
                   cl_error *err)
{
    const char *role = NULL;
    const cl_cause *cause;
    const char *user = route_user(cfg, churn->tag.primary_cause, &role, &cause);
    if (user == NULL)
        return cl__wf_finish(out, err);
    cl_day due =
        cl_cal_add_business_days(cal, today, cfg->route_due_business_days);
    const char *title =
        !cl__wf_empty(churn->account_name)
            ? cl__wf_fmt(out, "%s churned: tagged %s, for %s",
                         churn->account_name, cause->label, cause->routes_to)
            : cl__wf_fmt(out, "Churn %s tagged %s: for %s", churn->id,
                         cause->label, cause->routes_to);
    cl__wf_task(out, "cause_followup", "churn", churn->id, user, due, 1, title);
    const char *body = cl__wf_fmt(
        out,
        "%s churned. Primary cause: %s (routes to %s, owned by the %s). "
        "Customer's words: %s. CS diagnosis: %s. A follow-up task is "
        "yours.",
        !cl__wf_empty(churn->account_name)
            ? churn->account_name
            : cl__wf_fmt(out, "Account %s", cl__wf_or(churn->account_id, "?")),
        cause->label, cause->routes_to, cl_people_role_label(role),
        cl__wf_or(churn->tag.stated_reason, "-"),
        cl__wf_or(churn->tag.diagnosis, "-"));
    /* The key names the cause: an owner whose churn is re-tagged to
       another of their causes hears of it. */
    cl__wf_notify(
        out,
        cl__wf_fmt(out, "cause_route:%s:%s:%s", churn->id, cause->code, user),
        "cause_route", user, "churn", churn->id, title, body);
    return cl__wf_finish(out, err);
}
