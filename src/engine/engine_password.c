/*
 * engine_password.c - argon2id through libsodium at the cost this build
 * was configured with (engine_password.h).
 */
#include "engine_password.h"

#include <string.h>

#include "cl_build_config.h"

#ifdef CL_TEST_PASSWORD_COST
#define OPSLIMIT crypto_pwhash_OPSLIMIT_MIN
#define MEMLIMIT crypto_pwhash_MEMLIMIT_MIN
#else
#define OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE
#endif

int
cl_engine_password_hash(const char *pw, char out[CL_ENGINE_PASSWORD_HASH_MAX])
{
    return crypto_pwhash_str(out, pw, strlen(pw), OPSLIMIT, MEMLIMIT) == 0
               ? 0
               : -1;
}

int
cl_engine_password_check(const char *hash, const char *pw)
{
    if (hash[0])
        return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
    char dummy[CL_ENGINE_PASSWORD_HASH_MAX];
    (void)cl_engine_password_hash("x", dummy);
    return 0;
}

const char *
cl_engine_password_note(void)
{
#ifdef CL_TEST_PASSWORD_COST
    return "test build: passwords are hashed at the least cost "
           "(-Dtest_password_cost=true); never serve people from it";
#else
    return NULL;
#endif
}
