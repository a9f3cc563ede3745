/*
 * store_sqlite_stmt.c - the SQLite connection's cache of prepared
 * statements, keyed by their SQL text.
 *
 * Preparing a statement costs more than running a primary-key lookup, and
 * the server runs the same few dozen statements on every request, so each
 * connection keeps them prepared.  A statement that is in use (a callback
 * of a read loop running the same SQL again) is never handed out twice: the
 * nested caller gets a one-off statement that is finalized when done.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_int.h"

/* A power of two; the cache stops growing at three quarters full, so SQL
   text built from varying literals cannot make it grow without bound. */
#define SQ_STMT_SLOTS 512

struct sq_stmt_slot {
    char *sql; /* NULL: free slot */
    sqlite3_stmt *st;
    int busy;
};

/* The hash of the SQL text, eight bytes a step: every statement a request
   runs is looked up here, and some are kilobytes long; a byte-at-a-time
   hash, twice per statement, was 4% of the account page's instructions
   (bench/README.md, "million.sh"). */
static uint64_t
hash_sql(const char *s)
{
    size_t n = strlen(s);
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

static sq_stmt_slot *
find_slot(sq_store *s, const char *sql)
{
    if (s->stmts == NULL)
        return NULL;
    size_t mask = SQ_STMT_SLOTS - 1;
    for (size_t i = hash_sql(sql) & mask;; i = (i + 1) & mask)
        if (s->stmts[i].sql == NULL || strcmp(s->stmts[i].sql, sql) == 0)
            return &s->stmts[i];
}

/* The slot that holds st, or NULL: st's text leads to where it would be
   cached, and the probe compares statements, not their text. */
static sq_stmt_slot *
slot_of(sq_store *s, sqlite3_stmt *st)
{
    if (s->stmts == NULL)
        return NULL;
    size_t mask = SQ_STMT_SLOTS - 1;
    for (size_t i = hash_sql(sqlite3_sql(st)) & mask;; i = (i + 1) & mask) {
        if (s->stmts[i].sql == NULL)
            return NULL;
        if (s->stmts[i].st == st)
            return &s->stmts[i];
    }
}

cl_err
cl__sq_stmt(sq_store *s, const char *sql, sqlite3_stmt **out, cl_error *err)
{
    /* Shared SQL may carry PostgreSQL's casts (store_sql.c); the cache
       holds the text SQLite runs, which sqlite3_sql() gives back. */
    if (cl__sql_needs_rewrite(sql, CL_SQL_SQLITE) &&
        (sql = cl__sql_rewrite(&s->sql, sql, CL_SQL_SQLITE)) == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    if (s->stmts == NULL)
        s->stmts = calloc(SQ_STMT_SLOTS, sizeof *s->stmts);
    sq_stmt_slot *slot = find_slot(s, sql);
    if (slot && slot->sql && !slot->busy) {
        slot->busy = 1;
        *out = slot->st;
        return CL_OK;
    }
    int cache = slot && slot->sql == NULL && s->nstmts < SQ_STMT_SLOTS * 3 / 4;
    char *copy = cache ? strdup(sql) : NULL;
    if (cache && copy == NULL)
        cache = 0;
    if (sqlite3_prepare_v3(s->db, sql, -1,
                           cache ? SQLITE_PREPARE_PERSISTENT : 0, out,
                           NULL) != SQLITE_OK) {
        free(copy);
        /* The first words of the statement say which query failed. */
        return cl_error_set(err, CL_EDB, "%s: %.40s...: %s", s->path, sql,
                            sqlite3_errmsg(s->db));
    }
    if (cache) {
        slot->sql = copy;
        slot->st = *out;
        slot->busy = 1;
        s->nstmts++;
    }
    return CL_OK;
}

void
cl__sq_stmt_done(sq_store *s, sqlite3_stmt *st)
{
    if (st == NULL)
        return;
    sq_stmt_slot *slot = slot_of(s, st);
    if (slot) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        slot->busy = 0;
        return;
    }
    sqlite3_finalize(st);
}

void
cl__sq_stmt_free(sq_store *s)
{
    cl_buf_free(&s->sql);
    if (s->stmts == NULL)
        return;
    for (size_t i = 0; i < SQ_STMT_SLOTS; i++) {
        sqlite3_finalize(s->stmts[i].st);
        free(s->stmts[i].sql);
    }
    free(s->stmts);
    s->stmts = NULL;
    s->nstmts = 0;
}
