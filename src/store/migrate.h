/*
 * migrate.h - copying a workspace from one backend to another
 * (`closeloop migrate --from sqlite:PATH --to postgres://...`).
 */
#ifndef CL_MIGRATE_H
#define CL_MIGRATE_H

#include <stdint.h>

#include "../core/err.h"

/* Called once per table copied, in copy order: its row count and the
   checksum both sides agreed on. */
typedef void (*cl_migrate_cb)(void *ud, const char *table, int64_t rows,
                              uint64_t checksum);

/*
 * Copies the workspace at from (a SQLite file: PATH or sqlite:PATH) into the
 * PostgreSQL database at to (postgres://..., postgresql://... or
 * "postgres:" for the PG* variables): every table of the workspace, parents
 * before children, in one transaction on the target, which is migrated to
 * this build's schema first.  The target's seeded taxonomy and thresholds
 * are replaced by the source's; audit ids are kept.  Before committing, the
 * row count and an order-independent checksum of every table (the sum of a
 * 64-bit FNV-1a hash of a canonical rendering of each row, computed the
 * same way from what was read on the source and what the target holds) must
 * agree, or nothing is written.  A transaction the server aborts with a
 * serialization failure or deadlock is run again, up to 5 times.
 *   CL_EINVAL    from is not SQLite or to is not PostgreSQL
 *   CL_ECONFLICT the target workspace already holds records, engine rows or
 *                audit entries
 *   CL_EDB       either database failed, or a count or checksum differs
 */
cl_err cl_store_migrate(const char *from, const char *to, cl_migrate_cb cb,
                        void *ud, cl_error *err);

#endif
