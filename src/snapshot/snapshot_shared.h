/*
 * snapshot_shared.h - one snapshot shared by a server's threads, reloaded
 * when the workspace's key changes (cl_snapshot_key: the same staleness
 * rule as the cache file, whose copy it loads through).
 *
 * A reader takes a reference and keeps the snapshot it started with while
 * a newer one replaces it; the last reference frees it.
 */
#ifndef CL_SNAPSHOT_SHARED_H
#define CL_SNAPSHOT_SHARED_H

#include "../analytics/snapshot.h"
#include "../store/store.h"

typedef struct cl_snapshot_shared cl_snapshot_shared;
typedef struct cl_snapshot_ref cl_snapshot_ref;

/* A new, empty holder; NULL when out of memory. */
cl_snapshot_shared *cl_snapshot_shared_new(void);

/* Frees sh and its snapshot.  No reference may be held any more. */
void cl_snapshot_shared_free(cl_snapshot_shared *sh);

/*
 * A reference to the snapshot of st (opened from url) as it is now: the
 * one held when its key is st's current key, else a new one loaded
 * (through the cache file unless CLOSELOOP_SNAPSHOT_CACHE=0), which then
 * replaces it.  Errors are the store's; *ref is set only on CL_OK.
 */
cl_err cl_snapshot_shared_get(cl_snapshot_shared *sh, cl_store *st,
                              const char *url, cl_snapshot_ref **ref,
                              cl_error *err);

/* The snapshot of ref, valid until it is released. */
const cl_snapshot *cl_snapshot_ref_snapshot(const cl_snapshot_ref *ref);

/* Lets go of ref (NULL is ignored). */
void cl_snapshot_shared_release(cl_snapshot_shared *sh, cl_snapshot_ref *ref);

#endif
