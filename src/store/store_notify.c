/*
 * store_notify.c - the notify_prefs table (store_notify.h), the same SQL
 * on both backends through the engine's query primitives.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_engine_int.h"
#include "store_notify.h"

static void
copy(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src ? src : "");
}

static int
row(void *ud, const cl__row *r)
{
    cl_store_notify_pref *p = ud;
    copy(p->mode, sizeof p->mode, r->vt->text(r, 0));
    copy(p->url, sizeof p->url, r->vt->text(r, 1));
    copy(p->format, sizeof p->format, r->vt->text(r, 2));
    copy(p->updated_at, sizeof p->updated_at, r->vt->text(r, 3));
    p->updated_at[sizeof p->updated_at - 1] = '\0';
    return 1;
}

cl_err
cl_store_notify_pref_get(cl_store *st, const char *user_id,
                         cl_store_notify_pref *out, int *found, cl_error *err)
{
    memset(out, 0, sizeof *out);
    cl_err rc = cl__q_rows(st, row, out, err,
                           "SELECT mode, chat_url, chat_format, updated_at "
                           "FROM notify_prefs WHERE workspace_id = ?1 AND "
                           "user_id = ?2",
                           "s", user_id);
    *found = out->mode[0] != '\0';
    if (!*found)
        copy(out->mode, sizeof out->mode, "email");
    return rc;
}

cl_err
cl_store_notify_pref_set(cl_store *st, const char *user_id, const char *mode,
                         const char *url, const char *format, cl_error *err)
{
    cl_store_notify_pref old;
    int found;
    cl_err rc = cl__store_need_tx(st, "cl_store_notify_pref_set", err);
    if (rc == CL_OK)
        rc = cl_store_notify_pref_get(st, user_id, &old, &found, err);
    if (rc != CL_OK)
        return rc;
    const char *u = url ? url : old.url;
    const char *f = url && !url[0] ? "" : format ? format : old.format;
    rc = cl__q_exec(
        st, NULL, err,
        "INSERT INTO notify_prefs (workspace_id, user_id, mode, "
        "chat_url, chat_format, updated_by, updated_at) VALUES "
        "(?1, ?2, ?3, NULLIF(?4::text, ''), NULLIF(?5::text, ''), ?6, ?7) "
        "ON CONFLICT (workspace_id, user_id) DO UPDATE SET "
        "mode = excluded.mode, chat_url = excluded.chat_url, "
        "chat_format = excluded.chat_format, updated_by = "
        "excluded.updated_by, updated_at = excluded.updated_at",
        "ssssss", user_id, mode, u, f, st->actor, st->at);
    if (rc != CL_OK)
        return rc;
    json_t *o = json_pack("{s:s, s:b, s:s?}", "mode", mode, "chat_set",
                          u[0] != '\0', "chat_format", f[0] ? f : NULL);
    json_t *was = found ? json_pack("{s:s, s:b}", "mode", old.mode, "chat_set",
                                    old.url[0] != '\0')
                        : NULL;
    char *js = o ? json_dumps(o, JSON_COMPACT) : NULL;
    char *wjs = was ? json_dumps(was, JSON_COMPACT) : NULL;
    json_decref(o);
    json_decref(was);
    if (!js || (found && !wjs))
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    else
        rc = cl__engw_audit(st, "notify_prefs", user_id, "notify_prefs_set",
                            wjs, js, err);
    free(js);
    free(wjs);
    return rc;
}
