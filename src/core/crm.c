/* crm.c - the write-back's mapping onto CRM records (crm.h). */
#include "crm.h"

#include <stdio.h>
#include <string.h>

/* HubSpot property names are lower-case internal names; Salesforce custom
   fields end in __c.  Both are created once by the CRM's administrator
   (docs/integrations.md). */
static const char *const props[CL_CRMF_COUNT][2] = {
    [CL_CRMF_ROOT_CAUSE] = {"closeloop_churn_root_cause",
                            "Closeloop_Churn_Root_Cause__c"},
    [CL_CRMF_CONTRIBUTING] = {"closeloop_churn_contributing_causes",
                              "Closeloop_Churn_Contributing_Causes__c"},
    [CL_CRMF_CHURNED_ON] = {"closeloop_churned_on", "Closeloop_Churned_On__c"},
    [CL_CRMF_TAGGED_ON] = {"closeloop_churn_tagged_on",
                           "Closeloop_Churn_Tagged_On__c"},
    [CL_CRMF_REVIEW_HELD] = {"closeloop_review_held_on",
                             "Closeloop_Review_Held_On__c"},
    [CL_CRMF_TRIGGER] = {"closeloop_buying_trigger",
                         "Closeloop_Buying_Trigger__c"},
    [CL_CRMF_PROMISES] = {"closeloop_promises", "Closeloop_Promises__c"},
    [CL_CRMF_HEALTH] = {"closeloop_health_score", "Closeloop_Health_Score__c"},
    [CL_CRMF_HEALTH_ON] = {"closeloop_health_scored_on",
                           "Closeloop_Health_Scored_On__c"},
};

int
cl_crm_parse(const char *s, cl_crm *out)
{
    if (s == NULL || *s == '\0' || strcmp(s, "off") == 0)
        *out = CL_CRM_OFF;
    else if (strcmp(s, "hubspot") == 0)
        *out = CL_CRM_HUBSPOT;
    else if (strcmp(s, "salesforce") == 0)
        *out = CL_CRM_SALESFORCE;
    else
        return -1;
    return 0;
}

const char *
cl_crm_name(cl_crm crm)
{
    return crm == CL_CRM_HUBSPOT      ? "hubspot"
           : crm == CL_CRM_SALESFORCE ? "salesforce"
                                      : "off";
}

static int
alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

int
cl_crm_id_ok(cl_crm crm, const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (crm == CL_CRM_HUBSPOT) {
        if (n < 1 || n > 20)
            return 0;
        for (size_t i = 0; i < n; i++)
            if (id[i] < '0' || id[i] > '9')
                return 0;
        return 1;
    }
    if (crm == CL_CRM_SALESFORCE) {
        if (n != 15 && n != 18)
            return 0;
        for (size_t i = 0; i < n; i++)
            if (!alnum(id[i]))
                return 0;
        return 1;
    }
    return 0;
}

const char *
cl_crm_property(cl_crm crm, cl_crm_field f)
{
    if (crm == CL_CRM_OFF || (unsigned)f >= CL_CRMF_COUNT)
        return NULL;
    return props[f][crm == CL_CRM_SALESFORCE];
}

int
cl_crm_version_ok(const char *v)
{
    /* "v" two digits "." one digit: what Salesforce's REST paths take. */
    return v && strlen(v) == 5 && v[0] == 'v' && v[1] >= '2' && v[1] <= '9' &&
           v[2] >= '0' && v[2] <= '9' && v[3] == '.' && v[4] >= '0' &&
           v[4] <= '9';
}

int
cl_crm_path(cl_crm crm, const char *version, int deal, const char *id,
            char *out, size_t len)
{
    int n;
    if (!cl_crm_id_ok(crm, id))
        return -1;
    if (crm == CL_CRM_HUBSPOT)
        n = snprintf(out, len, "/crm/v3/objects/%s/%s",
                     deal ? "deals" : "companies", id);
    else if (cl_crm_version_ok(version))
        n = snprintf(out, len, "/services/data/%s/sobjects/%s/%s", version,
                     deal ? "Opportunity" : "Account", id);
    else
        return -1;
    return n < 0 || (size_t)n >= len ? -1 : 0;
}
