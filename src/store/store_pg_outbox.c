/*
 * store_pg_outbox.c - the PostgreSQL backend's outbox claim: delivery with
 * several workers, each sending only the messages it holds a claim on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_int.h"

/* ---- the outbox claim (PostgreSQL only) -------------------------------- */

/*
 * The claim.  Rows another connection holds a claim on are left out first
 * (so two workers with more due messages than their limit both make
 * progress); the rest are locked FOR UPDATE SKIP LOCKED: a row another
 * worker is claiming this instant is skipped, not waited for, and a row
 * another worker marked sent meanwhile is re-read and dropped.  Each row
 * returned is claimed with a session advisory lock (on the workspace's
 * outbox key and the row id), taken once per connection: a row this
 * connection already holds is handed out again without a second lock.
 * cl_store_outbox_mark gives the claim up when its transaction ends, and a
 * worker that dies gives up all of its claims with its connection, so a
 * message it did not mark is sent again by the next run, as on SQLite.
 */
typedef struct claim_ctx {
    cl__row_sink out;
    pg_store *s;
    int oom;
} claim_ctx;

static int
claim_row(void *ud, const cl__row *r)
{
    claim_ctx *c = ud;
    cl_error ignored;
    if (cl__pg_hold(c->s, r->vt->integer(r, 0, 0), &ignored) != CL_OK)
        c->oom = 1;
    return cl__row_outbox(&c->out, r);
}

#define OUTBOX_KEY                                                             \
    "hashtext('closeloop.outbox.' || current_schema() || '.' || ?1::text)"

cl_err
cl__pg_outbox_claim(cl_store *st, const char *channel, const char *now,
                    int limit, cl_store_outbox_cb cb, void *ud, cl_error *err)
{
    pg_store *s = PG(st);
    claim_ctx c = {{.cb.outbox = cb, .ud = ud}, s, 0};
    cl_err rc = CL_OK;
    /* The claims this connection holds, as an array literal. */
    size_t len = 3 + s->nheld * 21;
    char *held = malloc(len);
    if (held == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    size_t w = (size_t)snprintf(held, len, "{");
    for (size_t i = 0; i < s->nheld; i++)
        w += (size_t)snprintf(held + w, len - w, "%s%lld", i ? "," : "",
                              (long long)s->held[i]);
    snprintf(held + w, len - w, "}");
    for (int attempt = 0; attempt < 5; attempt++) {
        rc = cl__q_rows(
            st, claim_row, &c, err,
            "WITH others AS MATERIALIZED (SELECT objid::bigint AS id "
            "FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 "
            "AND pid <> pg_backend_pid() AND database = (SELECT oid FROM "
            "pg_database WHERE datname = current_database()) AND classid = "
            "((" OUTBOX_KEY "::bigint + 4294967296) % 4294967296)::oid), "
            "due AS (SELECT id FROM outbox WHERE workspace_id = ?1 "
            "AND status = 'pending' AND channel = ?2::text "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?3::text) "
            "AND id NOT IN (SELECT id FROM others) "
            "ORDER BY id LIMIT ?4 FOR UPDATE SKIP LOCKED), "
            /* Materialized: the lock is tried on the rows of due only,
               never pushed down to a scan of the whole outbox; CASE keeps
               a held row from being locked twice. */
            "claimed AS MATERIALIZED (SELECT id FROM due WHERE CASE WHEN "
            "id = ANY(?5::bigint[]) THEN true ELSE "
            "pg_try_advisory_lock(" OUTBOX_KEY ", id::integer) END) "
            "SELECT o.id, o.recipient_id, u.email, o.channel, o.kind, "
            "o.subject, o.body, o.status, o.attempts, o.next_attempt_at, "
            "o.last_error, o.idempotency_key, o.created_at, o.sent_at, "
            "o.subject_kind, o.subject_id FROM claimed c JOIN outbox o ON "
            "o.workspace_id = ?1 AND o.id = c.id LEFT JOIN users u "
            "ON u.workspace_id = o.workspace_id AND u.id = o.recipient_id "
            "ORDER BY o.id",
            "ssis", channel, now, (int64_t)limit, held);
        if (rc != CL_ERETRY || st->in_tx)
            break;
    }
    free(held);
    if (rc == CL_OK && c.oom)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    return rc;
}

/* The claim (if this worker holds one) ends with the transaction: a
   worker that claims after the commit sees the new status. */
cl_err
cl__pg_outbox_marked(cl_store *st, int64_t id, cl_error *err)
{
    return cl__pg_release_later(PG(st), id, err);
}
