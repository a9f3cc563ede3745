/*
 * engine_crm.c - the write-back's outbox rows (issue 15): a churn's tag,
 * a won-deal review and a health reading, queued in the transaction that
 * commits them, for the delivery worker to PATCH onto the CRM record.
 *
 * Only what every CRM user may read goes: the cause and its days, the
 * review's Q1 and Q4 (design.md section 6).  Q2, Q5, Q7 and the gut read
 * are private to CS and the deal's AE, Q3 and Q6 are internal and a CRM
 * field can reach a customer's e-mail through a template; none of them is
 * written.  The health score is private too, so it goes only when RevOps
 * turns crm_writeback_health on for a CRM field restricted to its readers.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/crm.h"
#include "../core/taxonomy.h"
#include "engine_int.h"

/* Queues one PATCH of props (a JSON object, stolen) onto the record. */
static cl_err
queue(cl__eng *e, const char *what, int deal, const char *id, const char *key,
      json_t *props, cl_error *err)
{
    char path[256], k[600], subject[200];
    if (cl_crm_path(e->crm, "v60.0", deal, id, path, sizeof path) != 0) {
        /* Not a record of the CRM (created here, or another system's). */
        json_decref(props);
        return CL_OK;
    }
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:o}", "crm", cl_crm_name(e->crm), "object",
                  deal ? "deal" : "account", "id", id, "properties", props);
    char *body = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    if (body == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    snprintf(k, sizeof k, "crm:%s:%s", cl_crm_name(e->crm), key);
    snprintf(subject, sizeof subject, "%s of %s %s to %s", what,
             deal ? "deal" : "account", id,
             e->crm == CL_CRM_HUBSPOT ? "HubSpot" : "Salesforce");
    cl_store_outbox_new m = {
        .key = k,
        .recipient_id = "crm",
        .channel = "crm",
        .kind = deal ? "crm_deal" : "crm_account",
        .subject = subject,
        .body = body,
        .subject_kind = deal ? "deal" : "account",
        .subject_id = id,
        .status = "pending",
    };
    int inserted = 0;
    cl_err rc = cl_store_outbox_add(e->st, &m, &inserted, err);
    free(body);
    return rc;
}

static void
set(json_t *o, cl__eng *e, cl_crm_field f, const char *v)
{
    json_object_set_new(o, cl_crm_property(e->crm, f),
                        v && *v ? json_string(v) : json_null());
}

static const char *
label(cl__eng *e, const char *code)
{
    const cl_cause *c = cl_taxonomy_in(e->cfg.causes, e->cfg.ncauses, code);
    return c ? c->label : code;
}

cl_err
cl__eng_crm_churn(cl__eng *e, const char *churn_id, const char *key,
                  cl_error *err)
{
    cl_wf_churn c;
    char day[11], tagged[11], when[21];
    if (e->crm == CL_CRM_OFF)
        return CL_OK;
    cl_err rc = cl__eng_get_churn(e, churn_id, &c, err);
    if (rc != CL_OK || c.tag.primary_cause == NULL)
        return rc;
    /* Labels, not codes: the CRM's users read them as they are. */
    char *list = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&list, &len);
    if (f == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    const char *p = c.tag.contributing_causes;
    while (p && *p) {
        size_t n = strcspn(p, ";");
        char code[CL_CAUSE_CODE_MAX + 1];
        snprintf(code, sizeof code, "%.*s", (int)n, p);
        if (code[0])
            fprintf(f, "%s%s", ftell(f) ? "; " : "", label(e, code));
        p += n + (p[n] == ';');
    }
    fclose(f);
    json_t *o = json_object();
    set(o, e, CL_CRMF_ROOT_CAUSE, label(e, c.tag.primary_cause));
    set(o, e, CL_CRMF_CONTRIBUTING, list);
    free(list);
    day[0] = '\0';
    if (c.churned_on != CL_WF_NO_DAY)
        cl_date_format(c.churned_on, day);
    set(o, e, CL_CRMF_CHURNED_ON, day);
    cl_date_format(e->today, tagged);
    set(o, e, CL_CRMF_TAGGED_ON, tagged);
    /* The tag's transition and the time: a cause changed back and forth
       is written each time. */
    cl_time_format(e->now, when);
    char k[512];
    snprintf(k, sizeof k, "%s:%s", key, when);
    return queue(e, "Churn root cause", 0, c.account_id, k, o, err);
}

cl_err
cl__eng_crm_review(cl__eng *e, const char *deal_id, const char *held_on,
                   const char *q1, const char *q4, cl_error *err)
{
    char k[512], when[21];
    if (e->crm == CL_CRM_OFF)
        return CL_OK;
    json_t *o = json_object();
    set(o, e, CL_CRMF_REVIEW_HELD, held_on);
    set(o, e, CL_CRMF_TRIGGER, q1);
    set(o, e, CL_CRMF_PROMISES, q4);
    cl_time_format(e->now, when);
    snprintf(k, sizeof k, "review:%s:%s", deal_id, when);
    return queue(e, "Won-deal review", 1, deal_id, k, o, err);
}

cl_err
cl__eng_crm_health(cl__eng *e, const char *deal_id, int score, const char *day,
                   const char *key, cl_error *err)
{
    if (e->crm == CL_CRM_OFF || !e->crm_health)
        return CL_OK;
    json_t *o = json_object();
    json_object_set_new(o, cl_crm_property(e->crm, CL_CRMF_HEALTH),
                        json_integer(score));
    set(o, e, CL_CRMF_HEALTH_ON, day);
    return queue(e, "Health score", 1, deal_id, key, o, err);
}
