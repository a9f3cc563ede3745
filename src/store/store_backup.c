/*
 * store_backup.c - online copies of a SQLite workspace (store_backup.h).
 *
 * The copy is made by sqlite3_backup_step(-1): every page in one step,
 * under one read transaction of the source.  In WAL mode a reader neither
 * waits for the writer nor stops it, so the server and a tick keep going,
 * and the copy is the workspace as of the last commit before the step.
 */
#include "store_backup.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

/* How long a copy waits for a lock (WAL recovery by another process, a
   checkpoint that truncates): 100 tries of 100 ms. */
enum { LOCK_TRIES = 100, LOCK_WAIT_MS = 100 };

static cl_err
pg_refused(cl_error *err)
{
    return cl_error_set(err, CL_EINVAL,
                        "a PostgreSQL workspace is backed up with pg_dump "
                        "(see docs/deploy.md), not closeloop backup");
}

static cl_err
sq_fail(sqlite3 *db, cl_err code, const char *path, const char *what,
        cl_error *err)
{
    return cl_error_set(err, code, "%s: %s: %s", path, what,
                        db ? sqlite3_errmsg(db) : "out of memory");
}

/* Opens path (which must exist) with flags; busy waits up to 5 s. */
static cl_err
open_existing(const char *path, int flags, sqlite3 **db, cl_error *err)
{
    struct stat sb;
    *db = NULL;
    if (stat(path, &sb) != 0)
        return cl_error_set(err, CL_ENOTFOUND, "no workspace at %s", path);
    if (sqlite3_open_v2(path, db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK)
        return sq_fail(*db, CL_EDB, path, "cannot open", err);
    sqlite3_extended_result_codes(*db, 1);
    sqlite3_busy_timeout(*db, 5000);
    return CL_OK;
}

/* The schema version of an open workspace; CL_EDB when it has none. */
static cl_err
schema_version(sqlite3 *db, const char *path, int *version, cl_error *err)
{
    sqlite3_stmt *st;
    *version = 0;
    if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_migrations", -1,
                           &st, NULL) != SQLITE_OK)
        return cl_error_set(err, CL_EDB, "%s: not a closeloop workspace (%s)",
                            path, sqlite3_errmsg(db));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return sq_fail(db, CL_EDB, path, "schema version", err);
    return CL_OK;
}

cl_err
cl_store_backup(const char *url, const char *path, cl_error *err)
{
    const char *src_path = cl__store_sqlite_path(url);
    sqlite3 *src = NULL, *dst = NULL;
    struct stat sb;
    int version, rc, tries = 0;
    cl_err e;

    if (src_path == NULL)
        return pg_refused(err);
    if (stat(path, &sb) == 0)
        return cl_error_set(err, CL_ECONFLICT, "%s exists already", path);
    if ((e = open_existing(src_path, SQLITE_OPEN_READWRITE, &src, err)) !=
            CL_OK ||
        (e = schema_version(src, src_path, &version, err)) != CL_OK)
        goto out;
    if (sqlite3_open_v2(path, &dst,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        e = sq_fail(dst, CL_EIO, path, "cannot create", err);
        goto out;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (b == NULL) {
        e = sq_fail(dst, CL_EDB, path, "backup", err);
        goto out;
    }
    /* -1: all pages in one step, so in one read transaction: a consistent
       copy.  Smaller steps would restart whenever another process
       commits, and might never finish beside a busy server. */
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
           rc == SQLITE_LOCKED) {
        if (++tries >= LOCK_TRIES)
            break;
        sqlite3_sleep(LOCK_WAIT_MS);
    }
    sqlite3_backup_finish(b);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        e = cl_error_set(err, CL_ERETRY, "%s stayed locked; try again",
                         src_path);
        goto out;
    }
    if (rc != SQLITE_DONE) {
        e = cl_error_set(err, CL_EDB, "%s: backup: %s", path,
                         sqlite3_errstr(rc));
        goto out;
    }
    /* The copy carries the source's WAL mark; a single file in rollback
       mode opens read-only anywhere, without -wal and -shm beside it. */
    if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) !=
        SQLITE_OK) {
        e = sq_fail(dst, CL_EDB, path, "journal mode", err);
        goto out;
    }
    e = CL_OK;
out:
    if (dst && sqlite3_close(dst) != SQLITE_OK && e == CL_OK)
        e = cl_error_set(err, CL_EIO, "%s: cannot close", path);
    sqlite3_close(src);
    return e;
}

/*
 * Into out (size n), the absolute name path stands for: symbolic links
 * followed, a dangling one to the name it points at (a workspace's -wal
 * is absent between connections), "." and ".." resolved through the
 * directory.  Returns 0, or -1 when the directory does not exist or a name
 * is too long.
 */
static int
canonical_name(const char *path, char *out, size_t n)
{
    char cur[PATH_MAX], link[PATH_MAX], dir[PATH_MAX];
    struct stat sb;
    if (strlen(path) >= sizeof cur)
        return -1;
    strcpy(cur, path);
    /* 40 links, as the kernel's own limit: a loop is not followed for
       ever. */
    for (int hops = 0; hops < 40 && lstat(cur, &sb) == 0 && S_ISLNK(sb.st_mode);
         hops++) {
        ssize_t k = readlink(cur, link, sizeof link - 1);
        if (k < 0)
            return -1;
        link[k] = '\0';
        if (link[0] == '/') {
            strcpy(cur, link);
            continue;
        }
        char *slash = strrchr(cur, '/');
        size_t keep = slash ? (size_t)(slash - cur) + 1 : 0;
        if (keep + (size_t)k >= sizeof cur)
            return -1;
        memcpy(cur + keep, link, (size_t)k + 1);
    }
    char *slash = strrchr(cur, '/');
    const char *base = slash ? slash + 1 : cur;
    if (slash == cur)
        strcpy(dir, "/");
    else if (slash) {
        *slash = '\0';
        if (realpath(cur, dir) == NULL)
            return -1;
    } else if (realpath(".", dir) == NULL) {
        return -1;
    }
    if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || !*base)
        return -1; /* a directory: never the workspace's file */
    int w = snprintf(out, n, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", base);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

int
cl_store_backup_is_source(const char *url, const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    const char *src_path = cl__store_sqlite_path(url);
    char ws[PATH_MAX], name[PATH_MAX + 16], target[PATH_MAX];
    struct stat a, b;
    if (src_path == NULL)
        return 0;
    int have_target = canonical_name(path, target, sizeof target) == 0;
    int have_b = stat(path, &b) == 0;
    /* The workspace by the name given and by the name its links lead to:
       SQLite names the -wal after the file it opened. */
    char spelled[PATH_MAX];
    int nws = 0;
    const char *bases[2];
    if (canonical_name(src_path, ws, sizeof ws) == 0)
        bases[nws++] = ws;
    if (realpath(src_path, spelled) != NULL && strcmp(spelled, ws) != 0)
        bases[nws++] = spelled;
    for (int i = 0; i < nws; i++) {
        for (size_t j = 0; j < sizeof suffix / sizeof suffix[0]; j++) {
            snprintf(name, sizeof name, "%s%s", bases[i], suffix[j]);
            if (have_target && strcmp(name, target) == 0)
                return 1;
            /* Another name of the same file: a hard link. */
            if (have_b && stat(name, &a) == 0 && a.st_dev == b.st_dev &&
                a.st_ino == b.st_ino)
                return 1;
        }
    }
    return 0;
}

/* Calls cb with the row count of every table of db, by name. */
static cl_err
table_counts(sqlite3 *db, const char *path, cl_store_table_cb cb, void *ud,
             cl_error *err)
{
    sqlite3_stmt *names, *count;
    cl_err e = CL_OK;
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_schema WHERE type = "
                           "'table' AND name NOT LIKE 'sqlite_%' ORDER BY "
                           "name",
                           -1, &names, NULL) != SQLITE_OK)
        return sq_fail(db, CL_EDB, path, "tables", err);
    while (e == CL_OK && sqlite3_step(names) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(names, 0);
        /* A table name is an identifier of our schema, but quote it as
           one all the same. */
        char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", name);
        if (sql == NULL) {
            e = cl_error_set(err, CL_ENOMEM, "out of memory");
            break;
        }
        if (sqlite3_prepare_v2(db, sql, -1, &count, NULL) != SQLITE_OK ||
            sqlite3_step(count) != SQLITE_ROW) {
            e = sq_fail(db, CL_EDB, path, name, err);
        } else if (cb(ud, name, sqlite3_column_int64(count, 0)) != 0) {
            sqlite3_finalize(count);
            sqlite3_free(sql);
            break;
        }
        sqlite3_finalize(count);
        sqlite3_free(sql);
    }
    sqlite3_finalize(names);
    return e;
}

cl_err
cl_store_backup_check(const char *path, int integrity, cl_store_table_cb cb,
                      void *ud, cl_store_check *out, cl_error *err)
{
    const char *file = cl__store_sqlite_path(path);
    sqlite3 *db = NULL;
    cl_err e;

    memset(out, 0, sizeof *out);
    if (file == NULL)
        return pg_refused(err);
    if ((e = open_existing(file, SQLITE_OPEN_READONLY, &db, err)) != CL_OK ||
        (e = schema_version(db, file, &out->schema_version, err)) != CL_OK)
        goto out;
    if (integrity) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &st,
                               NULL) != SQLITE_OK) {
            e = sq_fail(db, CL_EDB, file, "integrity check", err);
            goto out;
        }
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const char *msg = (const char *)sqlite3_column_text(st, 0);
            snprintf(out->integrity, sizeof out->integrity, "%s",
                     msg ? msg : "");
            out->integrity_ok = msg && strcmp(msg, "ok") == 0;
        }
        sqlite3_finalize(st);
        /* A damaged file may fail the check itself: that is its answer. */
        if (rc != SQLITE_ROW)
            snprintf(out->integrity, sizeof out->integrity, "%s",
                     sqlite3_errmsg(db));
    }
    if (cb)
        e = table_counts(db, file, cb, ud, err);
out:
    sqlite3_close(db);
    return e;
}
