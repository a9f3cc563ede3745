/*
 * sfdc_soap.c - Salesforce Outbound Messages (sfdc_soap.h).  Elements are
 * matched by local name and the namespaces Salesforce documents, so the
 * prefixes a sender chooses do not matter.
 */
#include "sfdc_soap.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapping.h"

#define NS_SOAP "http://schemas.xmlsoap.org/soap/envelope/"
#define NS_OUT "http://soap.sforce.com/2005/09/outbound"
#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"

/* The most fields one sObject may carry, and the longest value kept. */
#define MAX_FIELDS 200
#define MAX_VALUE 4000

static pthread_once_t once = PTHREAD_ONCE_INIT;

/* libxml2's global state, set up once before any thread parses. */
static void
init_xml(void)
{
    xmlInitParser();
}

static int
is(const xmlNode *n, const char *name, const char *ns)
{
    return n && n->type == XML_ELEMENT_NODE &&
           !strcmp((const char *)n->name, name) &&
           (ns == NULL ||
            (n->ns && n->ns->href && !strcmp((const char *)n->ns->href, ns)));
}

/* The first element child of n named name (in ns, or any when NULL). */
static xmlNode *
child(const xmlNode *n, const char *name, const char *ns)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is(c, name, ns))
            return c;
    return NULL;
}

/* The text of element n as a new string (NULL when out of memory). */
static char *
text_of(const xmlNode *n)
{
    xmlChar *t = xmlNodeGetContent(n);
    char *s = strdup(t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

static int
nil(const xmlNode *n)
{
    xmlChar *v =
        xmlGetNsProp(n, (const xmlChar *)"nil", (const xmlChar *)NS_XSI);
    int yes = v && !strcmp((const char *)v, "true");
    xmlFree(v);
    return yes;
}

/* One Notification as its object; NULL with err set. */
static json_t *
note_of(const xmlNode *n, const char *org, size_t index, cl_error *err)
{
    xmlNode *idn = child(n, "Id", NS_OUT), *so = child(n, "sObject", NS_OUT);
    if (idn == NULL || so == NULL) {
        cl_error_set(err, CL_EINVAL,
                     "Notification %zu: expected an Id and an sObject",
                     index + 1);
        return NULL;
    }
    char *id = text_of(idn);
    xmlChar *type =
        xmlGetNsProp(so, (const xmlChar *)"type", (const xmlChar *)NS_XSI);
    const char *t = type ? (const char *)type : "";
    const char *colon = strchr(t, ':');
    json_t *o = json_object(), *fields = json_object();
    size_t nf = 0;
    if (!id || !o || !fields) {
        cl_error_set(err, CL_ENOMEM, "out of memory");
        goto fail;
    }
    if (!*id || strlen(id) > 40) {
        cl_error_set(err, CL_EINVAL,
                     "Notification %zu: Id: expected 1 to 40 characters",
                     index + 1);
        goto fail;
    }
    for (xmlNode *c = so->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (++nf > MAX_FIELDS) {
            cl_error_set(err, CL_EINVAL,
                         "Notification %s: sObject: over %d fields", id,
                         MAX_FIELDS);
            goto fail;
        }
        char *v = nil(c) ? NULL : text_of(c);
        if (v && strlen(v) > MAX_VALUE) {
            cl_error_set(err, CL_EINVAL,
                         "Notification %s: %.60s: over %d bytes", id,
                         (const char *)c->name, MAX_VALUE);
            free(v);
            goto fail;
        }
        json_object_set_new(fields, (const char *)c->name,
                            v ? json_string(v) : json_null());
        free(v);
    }
    json_object_set_new(o, "notification_id", json_string(id));
    json_object_set_new(o, "organization_id", json_string(org));
    json_object_set_new(o, "type", json_string(colon ? colon + 1 : t));
    json_object_set_new(o, "fields", fields);
    free(id);
    xmlFree(type);
    return o;
fail:
    free(id);
    xmlFree(type);
    json_decref(o);
    json_decref(fields);
    return NULL;
}

cl_err
cl_sfdc_soap_parse(const char *xml, size_t len, char **org, json_t **notes,
                   cl_error *err)
{
    *org = NULL;
    *notes = NULL;
    pthread_once(&once, init_xml);
    if (len > (size_t)1 << 30)
        return cl_error_set(err, CL_EINVAL, "body: too large");
    /* No network, no entity substitution, no DTD loading: the envelope
       needs none of them, and each is a door for a hostile sender. */
    xmlDoc *doc = xmlReadMemory(xml, (int)len, "notifications.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING);
    if (doc == NULL) {
        const xmlError *e = xmlGetLastError();
        cl_error_set(err, CL_EINVAL, "body: not XML%s%.*s",
                     e && e->message ? ": " : "",
                     e && e->message ? (int)strcspn(e->message, "\n") : 0,
                     e && e->message ? e->message : "");
        xmlResetLastError();
        return CL_EINVAL;
    }
    cl_err rc = CL_OK;
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *body = child(root, "Body", NS_SOAP);
    xmlNode *ns = child(body, "notifications", NS_OUT);
    if (doc->intSubset || doc->extSubset)
        rc = cl_error_set(err, CL_EINVAL, "body: a DTD is not allowed");
    else if (!is(root, "Envelope", NS_SOAP) || ns == NULL)
        rc = cl_error_set(err, CL_EINVAL,
                          "body: expected a SOAP Envelope with a "
                          "notifications element (" NS_OUT ")");
    xmlNode *orgn = rc == CL_OK ? child(ns, "OrganizationId", NS_OUT) : NULL;
    if (rc == CL_OK && orgn == NULL)
        rc = cl_error_set(err, CL_EINVAL,
                          "OrganizationId: missing from notifications");
    if (rc == CL_OK && (*org = text_of(orgn)) == NULL)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    if (rc == CL_OK && (!**org || strlen(*org) > 18))
        rc = cl_error_set(err, CL_EINVAL,
                          "OrganizationId: expected 15 or 18 characters");
    if (rc == CL_OK && (*notes = json_array()) == NULL)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    size_t n = 0;
    for (xmlNode *c = rc == CL_OK ? ns->children : NULL; c && rc == CL_OK;
         c = c->next) {
        if (!is(c, "Notification", NS_OUT))
            continue;
        if (n == CL_SFDC_MAX_NOTES) {
            rc = cl_error_set(err, CL_EINVAL,
                              "notifications: over %d Notification elements",
                              CL_SFDC_MAX_NOTES);
            break;
        }
        json_t *o = note_of(c, *org, n++, err);
        if (o == NULL)
            rc = err->code;
        else
            json_array_append_new(*notes, o);
    }
    if (rc == CL_OK && n == 0)
        rc = cl_error_set(err, CL_EINVAL,
                          "notifications: no Notification element");
    xmlFreeDoc(doc);
    if (rc != CL_OK) {
        free(*org);
        *org = NULL;
        json_decref(*notes);
        *notes = NULL;
    }
    return rc;
}

const char *
cl_sfdc_soap_ack(void)
{
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<soapenv:Envelope xmlns:soapenv=\"" NS_SOAP "\">"
           "<soapenv:Body><notificationsResponse xmlns=\"" NS_OUT "\">"
           "<Ack>true</Ack></notificationsResponse></soapenv:Body>"
           "</soapenv:Envelope>\n";
}

/* An API field name and the canonical column it is. */
typedef struct api_field {
    const char *api, *column;
} api_field;

static const api_field opportunity[] = {{"Id", "id"},
                                        {"AccountId", "account_id"},
                                        {"OwnerId", "ae_id"},
                                        {"Type", "type"},
                                        {"LeadSource", "source"},
                                        {"StageName", "stage"},
                                        {"CreatedDate", "created_on"},
                                        {"CloseDate", "closed_on"},
                                        {"Amount", "arr"},
                                        {NULL, NULL}};

static const api_field account[] = {{"Id", "id"},
                                    {"Name", "name"},
                                    {"Industry", "industry"},
                                    {"NumberOfEmployees", "employees"},
                                    {"BillingCountry", "region"},
                                    {"Type", "status"},
                                    {NULL, NULL}};

cl_err
cl_sfdc_note_map(json_t *note, cl_kind *kind, json_t **fields, cl_error *err)
{
    const char *type = json_string_value(json_object_get(note, "type"));
    json_t *in = json_object_get(note, "fields");
    const api_field *map;
    *fields = NULL;
    *kind = CL_KIND_NONE;
    if (type == NULL || !json_is_object(in))
        return cl_error_set(err, CL_EINVAL,
                            "notification: expected type and fields");
    if (!strcmp(type, "Opportunity")) {
        *kind = CL_KIND_DEALS;
        map = opportunity;
    } else if (!strcmp(type, "Account")) {
        *kind = CL_KIND_ACCOUNTS;
        map = account;
    } else {
        cl_error_set(err, CL_OK, "sObject %.60s: not kept by closeloop", type);
        return CL_OK;
    }
    if (!json_is_string(json_object_get(in, "Id")))
        return cl_error_set(err, CL_EINVAL, "Id: missing from the sObject");
    cl_mapping *m = NULL;
    cl_err rc = cl_mapping_preset("salesforce", *kind, &m, err);
    json_t *out = rc == CL_OK ? json_object() : NULL;
    if (rc == CL_OK && out == NULL)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    for (size_t i = 0; rc == CL_OK && map[i].api; i++) {
        json_t *v = json_object_get(in, map[i].api);
        char buf[MAX_VALUE + 64];
        if (v == NULL)
            continue;
        if (json_is_null(v)) {
            json_object_set_new(out, map[i].column, json_null());
            continue;
        }
        rc = cl_mapping_value(m, map[i].column, json_string_value(v), buf,
                              sizeof buf, err);
        if (rc == CL_EINVAL) {
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", err->msg);
            rc = cl_error_set(err, CL_EINVAL, "%s (%s): %s", map[i].api,
                              map[i].column, msg);
        }
        if (rc == CL_OK)
            json_object_set_new(out, map[i].column,
                                *buf ? json_string(buf) : json_null());
    }
    /* Salesforce keeps an expected close date on open opportunities;
       canonically an open deal has none. */
    const char *stage = json_string_value(json_object_get(out, "stage"));
    if (rc == CL_OK && stage && strcmp(stage, "closed_won") &&
        strcmp(stage, "closed_lost"))
        json_object_set_new(out, "closed_on", json_null());
    cl_mapping_free(m);
    if (rc != CL_OK) {
        json_decref(out);
        return rc;
    }
    *fields = out;
    return CL_OK;
}
