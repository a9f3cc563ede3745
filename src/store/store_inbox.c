/*
 * store_inbox.c - the event inbox (store_inbox.h), one SQL text for both
 * backends through the query primitives of store_sql.c.
 */
#include "store_inbox.h"

#include <stdio.h>
#include <string.h>

#include "store_engine_int.h"

#define TEXT(r, col) ((r)->vt->text((r), (col)))

#define COLUMNS                                                                \
    "SELECT id, source, event_id, received_at, payload, status, error, "       \
    "attempts, applied_at FROM inbox WHERE workspace_id = ?1 "

typedef struct row_ud {
    cl_inbox_cb cb;
    void *ud;
    int n;
} row_ud;

static int
event_row(void *ud, const cl__row *r)
{
    row_ud *u = ud;
    cl_inbox_event ev = {
        .id = r->vt->integer(r, 0, 0),
        .source = TEXT(r, 1),
        .event_id = TEXT(r, 2),
        .received_at = TEXT(r, 3),
        .payload = TEXT(r, 4),
        .status = TEXT(r, 5),
        .error = TEXT(r, 6),
        .attempts = (int)r->vt->integer(r, 7, 0),
        .applied_at = TEXT(r, 8),
    };
    u->n++;
    return u->cb ? u->cb(u->ud, &ev) : 0;
}

cl_err
cl_store_inbox_add(cl_store *st, const char *source, const char *event_id,
                   const char *payload, int64_t *id, int *added, cl_error *err)
{
    int n = 0;
    *id = 0;
    *added = 0;
    cl_err rc = cl__store_need_tx(st, "cl_store_inbox_add", err);
    /* Concurrent receivers of the same event: the unique key keeps one,
       and the other finds it below. */
    if (rc == CL_OK)
        rc = cl__q_exec(st, &n, err,
                        "INSERT INTO inbox (workspace_id, source, event_id, "
                        "received_at, payload, status) VALUES (?1, ?2, ?3, "
                        "?4, ?5, 'pending') ON CONFLICT DO NOTHING",
                        "ssss", source, event_id, st->at, payload);
    if (rc == CL_OK)
        rc = cl__q_rows(st, cl__row_id_first, id, err,
                        "SELECT id FROM inbox WHERE workspace_id = ?1 AND "
                        "source = ?2 AND event_id = ?3",
                        "ss", source, event_id);
    *added = n > 0;
    return rc;
}

cl_err
cl_store_inbox_get(cl_store *st, int64_t id, cl_inbox_cb cb, void *ud,
                   int *found, cl_error *err)
{
    row_ud u = {cb, ud, 0};
    cl_err rc =
        cl__q_rows(st, event_row, &u, err, COLUMNS "AND id = ?2", "i", id);
    *found = u.n > 0;
    return rc;
}

cl_err
cl_store_inbox_list(cl_store *st, const char *status, int64_t after,
                    int64_t limit, cl_inbox_cb cb, void *ud, cl_error *err)
{
    row_ud u = {cb, ud, 0};
    return cl__q_rows(st, event_row, &u, err,
                      COLUMNS "AND (?2::text IS NULL OR status = ?2) AND "
                              "id > ?3 ORDER BY id LIMIT ?4",
                      "sii", status, after, limit);
}

cl_err
cl_store_inbox_move(cl_store *st, int64_t id, const char *from, const char *to,
                    const char *error, int *moved, cl_error *err)
{
    int n = 0;
    *moved = 0;
    cl_err rc = cl__store_need_tx(st, "cl_store_inbox_move", err);
    if (rc == CL_OK)
        rc = cl__q_exec(
            st, &n, err,
            "UPDATE inbox SET status = ?3, error = ?4, attempts = attempts + "
            "CASE WHEN ?3 IN ('applied', 'failed') THEN 1 ELSE 0 END, "
            "applied_at = CASE WHEN ?3 = 'applied' THEN ?5 END "
            "WHERE workspace_id = ?1 AND id = ?2::bigint AND status = ?6",
            "issss", (int64_t)id, to, error, st->at, from);
    *moved = n > 0;
    /* Who gave up on an event, or sent it round again, is RevOps' call:
       on the record.  The system's own moves are the inbox's history. */
    if (rc == CL_OK && n && !strcmp(from, "failed")) {
        int discard = !strcmp(to, "discarded");
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)id);
        rc = cl__engw_audit(
            st, "inbox", key, discard ? "inbox_discard" : "inbox_retry",
            "{\"status\":\"failed\"}",
            discard ? "{\"status\":\"discarded\"}" : "{\"status\":\"pending\"}",
            err);
    }
    return rc;
}
