/*
 * crm.h - writing closeloop's decisions back onto the CRM's records
 * (issue 15): which CRM, which object and record, and the property each
 * field is written to.  Pure: the engine queues what these functions name,
 * the delivery worker (src/notify) sends it.  The mapping is the one
 * documented in docs/integrations.md ("Write-back").
 */
#ifndef CL_CRM_H
#define CL_CRM_H

#include <stddef.h>

typedef enum cl_crm {
    CL_CRM_OFF = 0,
    CL_CRM_HUBSPOT,
    CL_CRM_SALESFORCE,
} cl_crm;

/* The fields written back; each has one property per CRM. */
typedef enum cl_crm_field {
    CL_CRMF_ROOT_CAUSE,   /* account: the churn's primary cause (label) */
    CL_CRMF_CONTRIBUTING, /* account: contributing causes (labels, "; ") */
    CL_CRMF_CHURNED_ON,   /* account: the day the churn happened */
    CL_CRMF_TAGGED_ON,    /* account: the day the cause was tagged */
    CL_CRMF_REVIEW_HELD,  /* deal: the won-deal review's day */
    CL_CRMF_TRIGGER,      /* deal: Q1, the buying trigger */
    CL_CRMF_PROMISES,     /* deal: Q4, promises explicit and implicit */
    CL_CRMF_HEALTH,       /* deal: the health score, 0 to 100 */
    CL_CRMF_HEALTH_ON,    /* deal: the day of that reading */
    CL_CRMF_COUNT
} cl_crm_field;

/*
 * The setting crm_writeback's value: "off" (or empty), "hubspot",
 * "salesforce".  Returns 0 and sets *out, or -1 for anything else.
 */
int cl_crm_parse(const char *s, cl_crm *out);

/* "hubspot", "salesforce", or "off". */
const char *cl_crm_name(cl_crm crm);

/*
 * 1 when id can name a record of crm: HubSpot's record ids are digits (1
 * to 20), Salesforce's are 15 or 18 letters and digits.  A record that was
 * created in closeloop (or came from another system) has no CRM record,
 * and nothing is written back for it.
 */
int cl_crm_id_ok(cl_crm crm, const char *id);

/* The property field f is written to in crm (NULL for CL_CRM_OFF). */
const char *cl_crm_property(cl_crm crm, cl_crm_field f);

/*
 * The path, after the base URL, of the record id of an account (deal 0)
 * or a deal (deal 1): HubSpot "/crm/v3/objects/companies/ID" or
 * ".../deals/ID"; Salesforce "/services/data/VERSION/sobjects/Account/ID"
 * or ".../Opportunity/ID".  version is Salesforce's API version ("v60.0").
 * Returns 0, or -1 when out is too small or the arguments are not valid.
 */
int cl_crm_path(cl_crm crm, const char *version, int deal, const char *id,
                char *out, size_t len);

/* 1 when v is a Salesforce API version "vNN.N" (v20.0 to v99.9). */
int cl_crm_version_ok(const char *v);

#endif
