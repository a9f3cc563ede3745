/*
 * snapshot_load.h - reading a workspace into an analytics snapshot.
 *
 * The one place where the store feeds analytics: every record kind, the
 * workspace's taxonomy labels and its thresholds, read once per run.
 */
#ifndef CL_SNAPSHOT_LOAD_H
#define CL_SNAPSHOT_LOAD_H

#include "../analytics/snapshot.h"
#include "../store/store.h"

/* Loads st into a new, finished snapshot; the caller frees *out with
   cl_snapshot_free. */
cl_err cl_snapshot_load(cl_store *st, cl_snapshot **out, cl_error *err);

/* As cl_snapshot_load, less what the churn patterns and the open
   pipeline's flags never read: CS hours, ARR movements and the loop's own
   history (notices, tag changes, sessions, process changes, ICP reviews),
   which grows with every day the loop runs.  For the engine's daily tick;
   a report needs the whole snapshot. */
cl_err cl_snapshot_load_records(cl_store *st, cl_snapshot **out,
                                cl_error *err);

#endif
