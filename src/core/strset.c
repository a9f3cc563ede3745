/*
 * strset.c - a set of strings: open addressing, linear probing.
 *
 * Sized for a million ids during a big import, so every byte per entry
 * counts.  A slot is 8 bytes: 32 bits of the hash (so most probes that miss
 * never touch the string) and a 32-bit reference to the string's copy.  The
 * copies live in 64 KiB arena blocks, each one a 4-byte length, a 4-byte
 * ordinal (the order of insertion) and the bytes with a NUL, padded to 4; a
 * reference is (block << 14) | (offset / 4).  A string too big to share a block
 * gets a block of its own at offset 0. With the table kept at most 0.7 full, a
 * million 12-byte ids take about 16 MiB of slots and 16 MiB of arena.
 */
#include "strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define BLOCK_SIZE ((size_t)1 << 16)
#define OFFSET_BITS 14 /* BLOCK_SIZE / 4 positions */
#define MAX_BLOCKS (((size_t)1 << (32 - OFFSET_BITS)) - 1)
#define BIG_ENTRY (BLOCK_SIZE / 4) /* larger entries get their own block */
#define EMPTY_REF UINT32_MAX       /* never made: block < MAX_BLOCKS */
#define INITIAL_SLOTS 64

typedef struct slot {
    uint32_t hash;
    uint32_t ref;
} slot;

struct cl_strset {
    cl__strset_hash_fn hash; /* hash_bytes, except in tests */
    slot *slots;
    size_t mask; /* number of slots - 1; a power of two minus one */
    size_t count;
    char **blocks;
    size_t nblocks, blocks_cap;
    size_t cur;      /* the shared block being filled */
    size_t cur_used; /* bytes used in it; BLOCK_SIZE before the first */
};

/* FNV-1a over the bytes, then a 64-bit finaliser (MurmurHash3's fmix64):
 * FNV's low bits mix poorly for ids that differ only in their last
 * characters, and the low bits choose the slot. */
static uint32_t
hash_bytes(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return (uint32_t)(h ^ (h >> 32));
}

#define HEADER (2 * sizeof(uint32_t))

static const char *
entry_at(const cl_strset *set, uint32_t ref, uint32_t *len)
{
    const char *p = set->blocks[ref >> OFFSET_BITS] +
                    ((size_t)(ref & ((1u << OFFSET_BITS) - 1)) << 2);
    memcpy(len, p, sizeof *len);
    return p + HEADER;
}

static uint32_t
ordinal_at(const cl_strset *set, uint32_t ref)
{
    uint32_t len, ord;
    const char *e = entry_at(set, ref, &len);
    memcpy(&ord, e - sizeof ord, sizeof ord);
    return ord;
}

/* The slot holding s, or the empty slot where it would go. */
static slot *
find_slot(const cl_strset *set, const char *s, size_t len, uint32_t h)
{
    size_t i = h & set->mask;
    for (;;) {
        slot *sl = &set->slots[i];
        if (sl->ref == EMPTY_REF)
            return sl;
        if (sl->hash == h) {
            uint32_t elen;
            const char *e = entry_at(set, sl->ref, &elen);
            if (elen == len && (len == 0 || memcmp(e, s, len) == 0))
                return sl;
        }
        i = (i + 1) & set->mask;
    }
}

static slot *
new_slots(size_t n)
{
    slot *s = malloc(n * sizeof *s);
    if (s)
        memset(s, 0xff, n * sizeof *s); /* every ref EMPTY_REF */
    return s;
}

/* Doubles the table; the stored hashes mean no string is read. */
static int
grow(cl_strset *set)
{
    size_t n = (set->mask + 1) * 2;
    if (n > SIZE_MAX / sizeof(slot) || (uint64_t)(n - 1) > UINT32_MAX)
        return -1;
    slot *ns = new_slots(n);
    if (ns == NULL)
        return -1;
    for (size_t i = 0; i <= set->mask; i++) {
        slot *o = &set->slots[i];
        if (o->ref == EMPTY_REF)
            continue;
        size_t j = o->hash & (n - 1);
        while (ns[j].ref != EMPTY_REF)
            j = (j + 1) & (n - 1);
        ns[j] = *o;
    }
    free(set->slots);
    set->slots = ns;
    set->mask = n - 1;
    return 0;
}

/* Appends a block of size bytes, its index in *index; returns 0 or -1. */
static int
add_block(cl_strset *set, size_t size, size_t *index)
{
    if (set->nblocks >= MAX_BLOCKS)
        return -1;
    if (cl_grow(&set->blocks, &set->blocks_cap, set->nblocks + 1,
                sizeof *set->blocks) != CL_OK)
        return -1;
    char *b = malloc(size);
    if (b == NULL)
        return -1;
    set->blocks[set->nblocks] = b;
    *index = set->nblocks++;
    return 0;
}

/* Copies s into the arena and returns its reference in *ref. */
static int
store(cl_strset *set, const char *s, size_t len, uint32_t *ref)
{
    size_t need = (HEADER + len + 1 + 3) & ~(size_t)3;
    size_t block, off;
    if (need > BIG_ENTRY) {
        if (add_block(set, need, &block) != 0)
            return -1;
        off = 0;
    } else {
        if (set->cur_used + need > BLOCK_SIZE) {
            if (add_block(set, BLOCK_SIZE, &set->cur) != 0)
                return -1;
            set->cur_used = 0;
        }
        block = set->cur;
        off = set->cur_used;
        set->cur_used += need;
    }
    char *p = set->blocks[block] + off;
    uint32_t l32 = (uint32_t)len, ord = (uint32_t)set->count;
    memcpy(p, &l32, sizeof l32);
    memcpy(p + sizeof l32, &ord, sizeof ord);
    if (len > 0)
        memcpy(p + HEADER, s, len);
    p[HEADER + len] = '\0';
    *ref = (uint32_t)((block << OFFSET_BITS) | (off >> 2));
    return 0;
}

cl_strset *
cl_strset_new(void)
{
    return cl__strset_new_with_hash(hash_bytes);
}

cl_strset *
cl__strset_new_with_hash(cl__strset_hash_fn hash)
{
    cl_strset *set = calloc(1, sizeof *set);
    if (set == NULL)
        return NULL;
    set->hash = hash;
    set->slots = new_slots(INITIAL_SLOTS);
    if (set->slots == NULL) {
        free(set);
        return NULL;
    }
    set->mask = INITIAL_SLOTS - 1;
    set->cur_used = BLOCK_SIZE; /* no block yet: the first add makes one */
    return set;
}

void
cl_strset_free(cl_strset *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->nblocks; i++)
        free(set->blocks[i]);
    free(set->blocks);
    free(set->slots);
    free(set);
}

int
cl_strset_add(cl_strset *set, const char *s, size_t len)
{
    uint32_t ord;
    const char *copy;
    return cl_strset_intern(set, s, len, &ord, &copy);
}

int
cl_strset_intern(cl_strset *set, const char *s, size_t len, uint32_t *ordinal,
                 const char **copy)
{
    if (set == NULL || (s == NULL && len > 0) ||
        (uint64_t)len > UINT32_MAX - 16 || set->count >= UINT32_MAX)
        return -1;
    uint32_t h = set->hash(s, len);
    slot *sl = find_slot(set, s, len, h);
    if (sl->ref != EMPTY_REF) {
        uint32_t elen;
        *copy = entry_at(set, sl->ref, &elen);
        *ordinal = ordinal_at(set, sl->ref);
        return 0;
    }
    /* Keep the load at or under 0.7 so that probe runs stay short. */
    if ((set->count + 1) * 10 > (set->mask + 1) * 7) {
        if (grow(set) != 0)
            return -1;
        sl = find_slot(set, s, len, h);
    }
    uint32_t ref;
    if (store(set, s, len, &ref) != 0)
        return -1;
    sl->hash = h;
    sl->ref = ref;
    *ordinal = (uint32_t)set->count;
    *copy = entry_at(set, ref, &ref);
    set->count++;
    return 1;
}

int64_t
cl_strset_find(const cl_strset *set, const char *s, size_t len)
{
    if (set == NULL || (s == NULL && len > 0))
        return -1;
    slot *sl = find_slot(set, s, len, set->hash(s, len));
    return sl->ref == EMPTY_REF ? -1 : (int64_t)ordinal_at(set, sl->ref);
}

int
cl_strset_has(const cl_strset *set, const char *s, size_t len)
{
    if (set == NULL || (s == NULL && len > 0))
        return 0;
    return find_slot(set, s, len, set->hash(s, len))->ref != EMPTY_REF;
}

size_t
cl_strset_count(const cl_strset *set)
{
    return set ? set->count : 0;
}
