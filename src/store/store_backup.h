/*
 * store_backup.h - online copies of a SQLite workspace, and their check.
 *
 * A SQLite workspace is copied with SQLite's online backup API while other
 * processes (the server, a tick, an import) keep reading and writing it:
 * the copy is every page of one read transaction, so it is the workspace
 * as one commit left it.  A PostgreSQL workspace is copied with pg_dump
 * instead (docs/deploy.md); these calls refuse it without connecting.
 */
#ifndef CL_STORE_BACKUP_H
#define CL_STORE_BACKUP_H

#include <stdint.h>

#include "../core/err.h"

/*
 * Copies the workspace at url (a path or sqlite:PATH) into a new SQLite
 * file at path.  The workspace's content is not changed and no
 * migration runs (as any last reader, the copy's connection may checkpoint
 * the WAL when it closes).
 * path must not exist; on failure path may be left half-written and the
 * caller removes it (the tool writes to FILE.tmp and renames).
 *
 * Returns CL_OK; CL_EINVAL for a postgres url (the message names pg_dump);
 * CL_ENOTFOUND when there is no workspace at url; CL_EDB when SQLite fails
 * (CL_ERETRY when the workspace stayed locked); CL_EIO when path cannot be
 * written.
 */
cl_err cl_store_backup(const char *url, const char *path, cl_error *err);

/*
 * 1 when path is the file of the SQLite workspace at url or one of its
 * -wal, -shm and -journal files, so a copy must not replace it: by name
 * (after ".", ".." and symbolic links, also a link to a -wal that is
 * absent just now) or by device and inode (a hard link).  0 otherwise,
 * also for a PostgreSQL url.
 */
int cl_store_backup_is_source(const char *url, const char *path);

/* What cl_store_backup_check found of a copy. */
typedef struct cl_store_check {
    int schema_version;  /* max(version) of schema_migrations */
    int integrity_ok;    /* 1 when PRAGMA integrity_check said "ok" */
    char integrity[256]; /* its first line: "ok", or the first problem */
} cl_store_check;

/* Called once per table of the copy, by name, with its row count. */
typedef int (*cl_store_table_cb)(void *ud, const char *table, int64_t rows);

/*
 * Opens the SQLite file at path read-only and fills *out; with integrity
 * set it runs PRAGMA integrity_check (which reads every page).  cb (may be
 * NULL) gets each table's row count, by name; a non-zero return stops.
 *
 * Returns CL_OK (also when the integrity check found problems: see
 * out->integrity_ok); CL_EINVAL for a postgres url; CL_ENOTFOUND when path
 * does not exist; CL_EDB when it is not a closeloop workspace or SQLite
 * fails.
 */
cl_err cl_store_backup_check(const char *path, int integrity,
                             cl_store_table_cb cb, void *ud,
                             cl_store_check *out, cl_error *err);

#endif
