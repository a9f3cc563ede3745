/*
 * store_pg_engine_read.c - the PostgreSQL backend's engine ops: the column
 * accessors its rows are mapped through, the outbox claim (delivery with
 * several workers), and the table of the engine's calls, the others
 * written once in store_engine_read.c and store_engine_write.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_int.h"

/* ---- the cl__row accessors of a result row ------------------------------ */

static const char *
pg_col_text(const cl__row *r, int col)
{
    return cl__pg_text(r->res, r->row, col);
}

static int64_t
pg_col_int(const cl__row *r, int col, int64_t dflt)
{
    return cl__pg_int(r->res, r->row, col, dflt);
}

static double
pg_col_real(const cl__row *r, int col)
{
    return cl__pg_real(r->res, r->row, col);
}

static void
pg_col_record(const cl__row *r, const cl_kind_def *def, cl_value *row)
{
    cl__pg_read_row(r->res, r->row, def, row);
}

static const cl__row_vt pg_row_vt = {pg_col_text, pg_col_int, pg_col_real,
                                     pg_col_record};

int
cl__pg_map(void *ud, const PGresult *res, int row)
{
    const cl__pg_map_ctx *m = ud;
    cl__row r = {&pg_row_vt, res, row};
    return m->map(m->ud, &r);
}

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
claim_row(void *ud, const PGresult *r, int row)
{
    claim_ctx *c = ud;
    cl_error ignored;
    if (cl__pg_hold(c->s, cl__pg_int(r, row, 0, 0), &ignored) != CL_OK)
        c->oom = 1;
    return cl__pg_map(&(cl__pg_map_ctx){cl__row_outbox, &c->out}, r, row);
}

#define OUTBOX_KEY                                                             \
    "hashtext('closeloop.outbox.' || current_schema() || '.' || $1::text)"

static cl_err
pg_outbox_claim(cl_store *st, const char *channel, const char *now, int limit,
                cl_store_outbox_cb cb, void *ud, cl_error *err)
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
        rc = cl__pg_rows(
            s, claim_row, &c, err,
            "WITH others AS MATERIALIZED (SELECT objid::bigint AS id "
            "FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 "
            "AND pid <> pg_backend_pid() AND database = (SELECT oid FROM "
            "pg_database WHERE datname = current_database()) AND classid = "
            "((" OUTBOX_KEY "::bigint + 4294967296) % 4294967296)::oid), "
            "due AS (SELECT id FROM outbox WHERE workspace_id = $1 "
            "AND status = 'pending' AND channel = $2::text "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= $3::text) "
            "AND id NOT IN (SELECT id FROM others) "
            "ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED), "
            /* Materialized: the lock is tried on the rows of due only,
               never pushed down to a scan of the whole outbox; CASE keeps
               a held row from being locked twice. */
            "claimed AS MATERIALIZED (SELECT id FROM due WHERE CASE WHEN "
            "id = ANY($5::bigint[]) THEN true ELSE "
            "pg_try_advisory_lock(" OUTBOX_KEY ", id::integer) END) "
            "SELECT o.id, o.recipient_id, u.email, o.channel, o.kind, "
            "o.subject, o.body, o.status, o.attempts, o.next_attempt_at, "
            "o.last_error, o.idempotency_key, o.created_at, o.sent_at, "
            "o.subject_kind, o.subject_id FROM claimed c JOIN outbox o ON "
            "o.workspace_id = $1 AND o.id = c.id LEFT JOIN users u "
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

const cl_store_engine_ops cl__pg_engine_ops = {
    .outbox_claim = pg_outbox_claim,
    .q = &cl__pg_engine_q,
};
