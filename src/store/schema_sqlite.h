/* schema_sqlite.h - the SQLite migration scripts (internal). */
#ifndef CL_SCHEMA_SQLITE_H
#define CL_SCHEMA_SQLITE_H

/* The script that takes the schema from version - 1 to version, or NULL. */
const char *cl__sqlite_migration(int version);

#endif
