/*
 * snapshot_cache.h - a persistent copy of the analytics snapshot, so that a
 * report on an unchanged workspace skips reading every record from the store.
 *
 * The cache file holds the snapshot's columns as raw arrays behind a header
 * that names the workspace state they came from (the key: see
 * snapshot_cache.c for why it is complete).  A file whose key, version,
 * layout or checksum does not match is ignored and rebuilt; nothing about
 * the cache ever fails a report.
 *
 * Where: for a SQLite workspace at PATH, PATH.snapshot beside it; for other
 * backends $XDG_CACHE_HOME/closeloop (or ~/.cache/closeloop).  The
 * environment variable CLOSELOOP_SNAPSHOT_CACHE=0 turns the cache off.
 */
#ifndef CL_SNAPSHOT_CACHE_H
#define CL_SNAPSHOT_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "../analytics/snapshot.h"
#include "../store/store.h"

/* The format this build reads and writes.  Bump it whenever snapshot.c
   derives a column differently: old files are then ignored.  The columns
   themselves come from CL_SNAPSHOT_TABLES, and their names and sizes are
   part of every file's key, so a column added, removed or retyped there
   needs no bump.  4: the columns come from that list (review_q[i] became
   review_q1..7).  5: the causes carry their code, and a workspace may
   add causes after the defaults (issue 16).  6: text values are the
   addresses of their strings in a file mapped at a fixed address, so
   mapping it writes nothing (issue 17). */
#define CL_SNAPSHOT_CACHE_VERSION 6

/* The state of a workspace that its snapshot is a pure function of (what
   it holds is in snapshot_cache.c): equal keys, equal snapshots.  The one
   staleness rule of the cache file and of a server's shared snapshot
   (snapshot_shared.h). */
#define CL_SNAPSHOT_KEY_WORDS 8
typedef struct cl_snapshot_key {
    uint64_t v[CL_SNAPSHOT_KEY_WORDS];
} cl_snapshot_key;

/* Reads the key of st (opened from url) as it is now; 0, or -1 when a read
   fails. */
int cl_snapshot_key_read(cl_store *st, const char *url, cl_snapshot_key *k);

/* 1 when a and b are the same key. */
int cl_snapshot_key_equal(const cl_snapshot_key *a, const cl_snapshot_key *b);

/* What cl_snapshot_load_cached did, for --timing and tests. */
typedef struct cl_snapshot_cache_stats {
    int hit;              /* 1: read from the cache file */
    int written;          /* 1: the cache file was (re)written */
    double write_seconds; /* time spent writing it */
} cl_snapshot_cache_stats;

/*
 * Loads st (opened from url, as given to cl_store_open) into a new, finished
 * snapshot like cl_snapshot_load, through the cache when use_cache is
 * non-zero and CLOSELOOP_SNAPSHOT_CACHE is not "0": a cache file whose key
 * matches the workspace is read; otherwise the snapshot is loaded from the
 * store and the cache file written (quietly skipped when it cannot be).
 * stats may be NULL.  Errors are the store's (cl_snapshot_load's); the
 * caller frees *out with cl_snapshot_free.
 */
cl_err cl_snapshot_load_cached(cl_store *st, const char *url, int use_cache,
                               cl_snapshot **out,
                               cl_snapshot_cache_stats *stats, cl_error *err);

/*
 * As cl_snapshot_load_cached with the cache on, for a key the caller has
 * just read (cl_snapshot_key_read, before any record).
 */
cl_err cl_snapshot_load_keyed(cl_store *st, const char *url,
                              const cl_snapshot_key *key, cl_snapshot **out,
                              cl_snapshot_cache_stats *stats, cl_error *err);

/*
 * The cache file of workspace url (opened as st) into buf (len bytes).
 * Returns 0, or -1 when it has none (an in-memory database, no cache
 * directory, a path too long).
 */
int cl_snapshot_cache_path(cl_store *st, const char *url, char *buf,
                           size_t len);

/*
 * Compares every column of a and b (strings by content, NaN equal to NaN),
 * their counts, causes and thresholds.  Returns 0 when equal, else 1 with
 * the first difference described in what (len bytes).  For tests.
 */
int cl_snapshot_cache_compare(const cl_snapshot *a, const cl_snapshot *b,
                              char *what, size_t len);

#endif
