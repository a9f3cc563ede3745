/*
 * engine_names.c - the names people read in the texts the rules write
 * (issue 16): a user's display name, the account a churn or deal is of,
 * a session's period.  The rules are pure and hold only ids; the engine
 * looks the names up and hands them in, and a text falls back to the id
 * only when no name exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/record.h"
#include "engine_int.h"

/* Field `field` of the kind's record whose key is id, copied into e; NULL
   when there is no such record or the field is empty. */
static const char *
field_of(cl__eng *e, cl_kind kind, const char *id, const char *field)
{
    if (!id || !*id)
        return NULL;
    const cl_kind_def *def = cl_kind_get(kind);
    int fi = cl_kind_field_index(def, field);
    cl_value key = {.type = CL_V_TEXT, .s = id}, row[32];
    int found = 0;
    cl_error err;
    cl_error_clear(&err);
    if (fi < 0 || def->nfields > sizeof row / sizeof row[0] ||
        cl_store_get(e->st, kind, &key, row, &found, &err) != CL_OK || !found)
        return NULL;
    if (row[fi].type != CL_V_TEXT || !row[fi].s || !*row[fi].s)
        return NULL;
    return cl__eng_str(e, row[fi].s);
}

const char *
cl__eng_user_name(cl__eng *e, const char *user_id)
{
    return field_of(e, CL_KIND_USERS, user_id, "name");
}

typedef struct period {
    cl__eng *e;
    const char *period;
} period;

static int
period_cb(void *ud, const cl_store_session_row *r)
{
    period *p = ud;
    p->period = cl__eng_str(p->e, r->period);
    return 1;
}

const char *
cl__eng_subject_name(cl__eng *e, const char *kind, const char *id)
{
    if (!kind || !id)
        return NULL;
    if (strcmp(kind, "account") == 0)
        return field_of(e, CL_KIND_ACCOUNTS, id, "name");
    if (strcmp(kind, "churn") == 0 || strcmp(kind, "deal") == 0) {
        cl_kind k = kind[0] == 'c' ? CL_KIND_CHURNS : CL_KIND_DEALS;
        return field_of(e, CL_KIND_ACCOUNTS, field_of(e, k, id, "account_id"),
                        "name");
    }
    if (strcmp(kind, "session") == 0) {
        period p = {e, NULL};
        cl_error err;
        cl_error_clear(&err);
        if (cl_store_sessions_each(e->st, atoll(id), NULL, period_cb, &p,
                                   &err) != CL_OK)
            return NULL;
        return p.period;
    }
    return NULL;
}
