/*
 * config_keys.h - the workspace's delivery and routing settings (`closeloop
 * config`, /api/v1/settings/config): their keys and the one check of a
 * value.  The thresholds of the loop's rules are in taxonomy.h.
 */
#ifndef CL_CONFIG_KEYS_H
#define CL_CONFIG_KEYS_H

#include "err.h"

typedef struct cl_config_key {
    const char *key;    /* e.g. "max_attempts" */
    const char *unit;   /* for whole numbers: "count", "seconds", "days";
                           NULL for text */
    long long min, max; /* the allowed whole numbers, inclusive */
    const char *help;   /* the setting in words */
    int secret;         /* write-only: never read back through the API */
} cl_config_key;

/* The settings, in display order; *n receives their count. */
const cl_config_key *cl_config_keys(size_t *n);

/* The setting with this key, or NULL. */
const cl_config_key *cl_config_key_find(const char *key);

/*
 * Checks value (NUL-terminated) for the setting key.
 * Returns CL_OK; CL_ENOTFOUND for an unknown key; CL_EINVAL with err->msg
 * one line naming the key and what it takes, e.g. "max_attempts: expected
 * a whole number from 1 to 20 (count), got 'zero'".
 */
cl_err cl_config_check(const char *key, const char *value, cl_error *err);

/* 1 when key's value is a secret (config_keys.c marks them). */
int cl_config_secret(const char *key);

#endif
