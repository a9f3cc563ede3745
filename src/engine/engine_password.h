/*
 * engine_password.h - passwords as argon2id hashes (libsodium), one place
 * for the CLI and the HTTP API to hash, check and pay for a missing one.
 *
 * A build configured with -Dtest_password_cost=true hashes at libsodium's
 * least cost: the test suite signs in a thousand times, and each hash at
 * the interactive cost touches 64 MiB (a fifth of a second under the
 * sanitizers).  Such a binary says so on --version and when it serves; a
 * hash it wrote names its own cost, so a normal build still checks it.
 * Needs libsodium initialised (sodium_init).
 */
#ifndef CL_ENGINE_PASSWORD_H
#define CL_ENGINE_PASSWORD_H

#include <sodium.h>

#define CL_ENGINE_PASSWORD_HASH_MAX crypto_pwhash_STRBYTES

/* out = the hash of pw; -1 when out of memory. */
int cl_engine_password_hash(const char *pw,
                            char out[CL_ENGINE_PASSWORD_HASH_MAX]);

/* 1 when pw matches hash; 0 when not, or when hash is "" (no password).
   Costs one hash either way, so an answer does not tell a missing
   password from a wrong one. */
int cl_engine_password_check(const char *hash, const char *pw);

/* What --version and `serve` print about a test build's password cost,
   or NULL for a normal build. */
const char *cl_engine_password_note(void);

#endif
