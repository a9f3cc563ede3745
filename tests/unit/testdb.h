/*
 * testdb.h - fresh workspaces for the store contract tests, on either
 * backend.  Without CLOSELOOP_TEST_PG a workspace is a new temporary SQLite
 * file; with CLOSELOOP_TEST_PG=postgres://... it is a new schema in that
 * database (the url gains options=-csearch_path=...), dropped afterwards.
 * Header-only: included by the test files that run on both backends.
 */
#ifndef CL_TESTDB_H
#define CL_TESTDB_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

#define CL_TESTDB_URL 512

/* The PostgreSQL url the tests run against, or NULL for SQLite. */
static inline const char *
cl_testdb_pg(void)
{
    const char *u = getenv("CLOSELOOP_TEST_PG");
    return u && *u ? u : NULL;
}

/* "sqlite" or "postgres": what cl_store_backend reports. */
static inline const char *
cl_testdb_backend(void)
{
    return cl_testdb_pg() ? "postgres" : "sqlite";
}

/*
 * Runs sql outside the store on the workspace at url.  Returns 0 on
 * success, else -1 with the server's message in msg.
 */
static inline int
cl_testdb_exec(const char *url, const char *sql, char *msg, size_t len)
{
    msg[0] = '\0';
    if (strncmp(url, "postgres", 8) == 0) {
        PGconn *c = PQconnectdb(url);
        int rc = -1;
        if (PQstatus(c) == CONNECTION_OK) {
            PGresult *r = PQexec(c, sql);
            ExecStatusType st = PQresultStatus(r);
            rc = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? 0 : -1;
            if (rc)
                snprintf(msg, len, "%s", PQresultErrorMessage(r));
            PQclear(r);
        } else {
            snprintf(msg, len, "%s", PQerrorMessage(c));
        }
        PQfinish(c);
        return rc;
    }
    sqlite3 *db;
    int rc = -1;
    if (sqlite3_open(url, &db) == SQLITE_OK) {
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
        if (rc)
            snprintf(msg, len, "%s", sqlite3_errmsg(db));
    }
    sqlite3_close(db);
    return rc;
}

/* Makes a fresh, empty workspace url in url (CL_TESTDB_URL bytes); prefix
   names the temporary file, e.g. "/tmp/cl-test-store". */
static inline void
cl_testdb_make(char *url, const char *prefix)
{
    static int seq;
    const char *pg = cl_testdb_pg();
    if (pg == NULL) {
        snprintf(url, CL_TESTDB_URL, "%s-XXXXXX", prefix);
        int fd = mkstemp(url);
        if (fd >= 0)
            close(fd);
        unlink(url);
        return;
    }
    char schema[64], sql[256], msg[256];
    snprintf(schema, sizeof schema, "t_%ld_%d", (long)getpid(), seq++);
    snprintf(sql, sizeof sql,
             "DROP SCHEMA IF EXISTS %s CASCADE; "
             "CREATE SCHEMA %s",
             schema, schema);
    if (cl_testdb_exec(pg, sql, msg, sizeof msg) != 0) {
        fprintf(stderr, "testdb: %s: %s\n", pg, msg);
        abort();
    }
    snprintf(url, CL_TESTDB_URL,
             "%s%sapplication_name=%s&options=-csearch_path%%3D%s", pg,
             strchr(pg, '?') ? "&" : "?", schema, schema);
}

/*
 * Ends the server sessions of the workspace made by cl_testdb_make (as a
 * restart or an idle timeout would); 0 when it did.  PostgreSQL only.
 */
static inline int
cl_testdb_kill(const char *url)
{
    char sql[CL_TESTDB_URL + 160], msg[256];
    const char *s = strstr(url, "search_path%3D");
    if (cl_testdb_pg() == NULL || s == NULL)
        return -1;
    /* Fails unless a session was there to end. */
    snprintf(sql, sizeof sql,
             "DO $$ BEGIN IF (SELECT count(pg_terminate_backend(pid)) "
             "FROM pg_stat_activity WHERE application_name = '%s') = 0 "
             "THEN RAISE EXCEPTION 'no session'; END IF; END $$",
             s + 14);
    return cl_testdb_exec(cl_testdb_pg(), sql, msg, sizeof msg);
}

/* Removes the workspace made by cl_testdb_make. */
static inline void
cl_testdb_drop(const char *url)
{
    char p[CL_TESTDB_URL + 32], msg[256];
    const char *pg = cl_testdb_pg();
    if (pg == NULL) {
        unlink(url);
        snprintf(p, sizeof p, "%s-wal", url);
        unlink(p);
        snprintf(p, sizeof p, "%s-shm", url);
        unlink(p);
        return;
    }
    const char *s = strstr(url, "search_path%3D");
    if (s == NULL)
        return;
    snprintf(p, sizeof p, "DROP SCHEMA %s CASCADE", s + 14);
    cl_testdb_exec(pg, p, msg, sizeof msg);
}

/* A fresh workspace (cl_testdb_make into url) opened; NULL when it cannot
   be.  cl_testdb_close closes and removes it. */
static inline cl_store *
cl_testdb_open(char *url, const char *prefix)
{
    cl_store *st = NULL;
    cl_error err;
    cl_testdb_make(url, prefix);
    return cl_store_open(url, &st, &err) == CL_OK ? st : NULL;
}

static inline void
cl_testdb_close(const char *url, cl_store *st)
{
    cl_store_close(st);
    cl_testdb_drop(url);
}

#endif
