/*
 * h_crm.c - the CRM write-back's pending requests, for RevOps (issue 15):
 * the dry run of `closeloop crm writeback --dry-run` in the API, so what
 * would be written can be checked in the UI before it goes.
 *
 *   GET /api/v1/crm/writeback   {"crm": ..., "items": [{method, url, body,
 *                               ...}]}, oldest first, never the token
 */
#include <stdio.h>
#include <string.h>

#include "../core/crm.h"
#include "../notify/notify.h"
#include "http_int.h"

/* A list RevOps reads at a glance; the CLI lists them all. */
#define CRM_PENDING_MAX 200

typedef struct pending {
    json_t *items;
    int more;
} pending;

static int
item_cb(void *ud, const cl_notify_crm_item *it)
{
    pending *p = ud;
    if (json_array_size(p->items) >= CRM_PENDING_MAX) {
        p->more = 1;
        return 1;
    }
    json_array_append_new(p->items, cl_notify_crm_item_json(it));
    return 0;
}

enum MHD_Result
cl__h_crm_writeback(cl_http_req *r)
{
    char which[32];
    int found = 0;
    cl_error err;
    cl_error_clear(&err);
    cl_crm crm = CL_CRM_OFF;
    cl_err e = cl_store_config_get(r->st, "crm_writeback", which, sizeof which,
                                   &found, &err);
    if (e == CL_OK && found && cl_crm_parse(which, &crm) != 0)
        crm = CL_CRM_OFF;
    pending p = {json_array(), 0};
    if (e == CL_OK)
        e = cl_notify_crm_pending(r->st, item_cb, &p, &err);
    if (e != CL_OK) {
        json_decref(p.items);
        return cl_http_fail(r, e, &err);
    }
    return cl_http_reply_json(r, 200,
                              json_pack("{s:s, s:o, s:b}", "crm",
                                        cl_crm_name(crm), "items", p.items,
                                        "more", p.more),
                              NULL);
}
