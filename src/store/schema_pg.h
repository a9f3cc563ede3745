/*
 * schema_pg.h - the PostgreSQL migrations (schema_pg.c); not a public
 * header.
 */
#ifndef CL_SCHEMA_PG_H
#define CL_SCHEMA_PG_H

/* The script that brings a database from version - 1 to version, or NULL. */
const char *cl__pg_migration(int version);

#endif
