/*
 * strset.h - a set of strings, for "does this id exist" during import.
 *
 * Open addressing with linear probing; the set copies every string it keeps
 * into its own arena, so callers may pass short-lived buffers.
 */
#ifndef CL_STRSET_H
#define CL_STRSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct cl_strset cl_strset;

/* A new, empty set, or NULL when out of memory.  Free with cl_strset_free. */
cl_strset *cl_strset_new(void);

/* Frees the set and every copy it holds (set may be NULL). */
void cl_strset_free(cl_strset *set);

/*
 * Adds a copy of s (len bytes, NUL not needed; s may be NULL when len is 0).
 * Returns 1 if added, 0 if present, -1 out of memory (or len >= 4 GiB).
 */
int cl_strset_add(cl_strset *set, const char *s, size_t len);

/*
 * Adds s like cl_strset_add and also returns its ordinal (0 for the first
 * string added, 1 for the next, ...) and the set's NUL-terminated copy,
 * which lives as long as the set.  Returns 1 if added, 0 if present, -1
 * out of memory.
 */
int cl_strset_intern(cl_strset *set, const char *s, size_t len,
                     uint32_t *ordinal, const char **copy);

/* The ordinal of s (len bytes), or -1 when it is not in the set. */
int64_t cl_strset_find(const cl_strset *set, const char *s, size_t len);

/* 1 if s (len bytes) is in the set, else 0. */
int cl_strset_has(const cl_strset *set, const char *s, size_t len);

/* The number of distinct strings in the set. */
size_t cl_strset_count(const cl_strset *set);

/*
 * For tests only: a set that hashes with hash instead of its own function,
 * so that a test can force every string into one probe run and check that
 * strings with equal hashes are still told apart.
 */
typedef uint32_t (*cl__strset_hash_fn)(const char *s, size_t len);
cl_strset *cl__strset_new_with_hash(cl__strset_hash_fn hash);

#endif
