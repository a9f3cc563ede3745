/*
 * snapshot_cache.c - the snapshot's cache file: key, write, read back.
 *
 * Why the key is complete.  The snapshot is a pure function of (a) the
 * records of the workspace's ten kinds, (b) its taxonomy rows and
 * thresholds, and (c) the code that turns rows into columns.  The key holds:
 *
 *   - the workspace id and the schema version;
 *   - the newest audit entry of the store (its id and a hash of its
 *     content; the count of entries when a backend lacks that query).
 *     Every record change (cl_store_put, and the engine's field_set) writes
 *     its audit entry in the same transaction, and the log is append-only
 *     (triggers refuse UPDATE and DELETE), so the newest id grows with every
 *     committed record change and (a) is unchanged while it is.  The
 *     engine tables the snapshot reads (the outbox's churn flags, the
 *     sessions and their process changes, the churns' audit trail) are
 *     audited the same way; the others (tasks, ...) only cost a needless
 *     rebuild.  The id
 *     is of any workspace of the store: one seek instead of a count over
 *     13.7M entries (0.5 s at 1M accounts), and a change elsewhere only
 *     costs a rebuild;
 *   - a hash of the taxonomy and thresholds as read now: they are seeded
 *     without audit entries and nothing audits an edit of them, so they
 *     are hashed rather than trusted to the log (13 + a few rows);
 *   - for SQLite, the database file's device, inode and birth time: a
 *     workspace deleted and created again (or another file copied over it)
 *     may reach the same audit id with other records; the hash of the
 *     newest entry guards the copy-over case where birth time survives;
 *   - the running binary's size and modification time and a hash of the
 *     record layout (kinds, fields) and of the snapshot's columns (names,
 *     value sizes, kinds): a rebuilt closeloop whose snapshot.c
 *     derives columns differently must not trust an old file even when
 *     CL_SNAPSHOT_CACHE_VERSION was not bumped.
 *
 * Not covered: edits of the database behind closeloop's back (sqlite3 CLI
 * UPDATEs bypass the audit log); --no-cache or CLOSELOOP_SNAPSHOT_CACHE=0
 * read the store directly.  The key is read before the records, so a
 * writer racing the load can only make the file's content newer than its
 * key, which no later reader can match (the audit id only grows).
 *
 * File layout (native byte order, guarded by the header): the header; the
 * causes; each column in the order of `cols` below, raw, padded to 8 bytes
 * (text columns as the 64-bit address their string has when the file is
 * mapped at CACHE_BASE, 0 for NULL); the string blob.  Loading is one mmap
 * at CACHE_BASE, a checksum pass, a check that every text value points
 * into the blob and range checks of every index column, so a damaged or
 * hostile file is refused rather than trusted.
 *
 * Why a fixed address.  The text columns are arrays of `const char *` that
 * every report reads directly.  Stored as offsets, each load rewrote them
 * in place, and each page so written cost a copy-on-write fault and a TLB
 * flush (22% of `report icp` at 100,000 accounts, more under a hypervisor).
 * Mapped where the writer assumed, the stored addresses are the pointers
 * and the mapping is never written.  When that range is taken (a second
 * snapshot mapped by the same process, a kernel that cannot place it), the
 * file is mapped anywhere and the values are moved by the difference, as
 * before.
 */
#define _GNU_SOURCE
#include "snapshot_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "snapshot_load.h"
#include "../core/buf.h"

/* --- the column table --------------------------------------------------- */

/* How a column is stored: text as blob offsets, doubles (NaN equal to NaN
   when compared), other values as raw bytes of their size. */
enum { T_RAW, T_STR, T_F64 };

#define NONE SIZE_MAX

typedef struct col_def {
    const char *name;
    size_t off;   /* offsetof the column pointer */
    size_t count; /* offsetof its row count */
    size_t size;  /* of one value */
    int type;
    /* Range check of index columns: lo <= v <= hi, where hi is the target
       count - 1 (hi_count != NONE) or the enum's size - 1 (values).  1: an
       index (int8_t or int32_t), 2: a date. */
    int checked;
    int lo;
    size_t hi_count;
    const char *const *values;
} col_def;

#define OFF(f) offsetof(cl_snapshot, f)

static const char *const deal_states[] = {"open", "won", "lost", NULL};
static const char *const bools[] = {"false", "true", NULL};

/* The rest of a col_def for each kind of CL_SNAPSHOT_TABLES. */
#define KIND_TEXT T_STR, 0, 0, NONE, NULL
#define KIND_INT T_RAW, 0, 0, NONE, NULL
#define KIND_REAL T_F64, 0, 0, NONE, NULL
/* Dates: CL_DAY_NONE or a day the parsers accept (years 1900-2999). */
#define KIND_DAY T_RAW, 2, 0, NONE, NULL
#define KIND_ROW(target) T_RAW, 1, -1, OFF(target), NULL
#define KIND_ENUM(vals) T_RAW, 1, -1, NONE, vals
#define KIND_CAUSE T_RAW, 1, -1, OFF(ncauses), NULL
#define KIND_BOOL KIND_ENUM(bools)
#define KIND_STATE T_RAW, 1, 0, NONE, deal_states /* never -1 */

#define NO_COUNT(count)
#define COLUMN(type, name, count, kind)                                        \
    {#name, OFF(name), OFF(count), sizeof(type), KIND_##kind},
/* In-memory columns are rebuilt on load, not stored. */
#define IN_MEMORY(type, name, count)

/* The file's columns, in the list's order. */
static const col_def cols[] = {CL_SNAPSHOT_TABLES(NO_COUNT, COLUMN, IN_MEMORY)};

#undef COLUMN
#undef IN_MEMORY

#define NCOLS (sizeof cols / sizeof cols[0])

_Static_assert(sizeof(cl_day) == 4 && sizeof(int16_t) == 2,
               "the column types' sizes are fixed");

/* The row counts, in the header's order. */
#define COUNT(count) OFF(count),
#define NO_COLUMN(...)
static const size_t counts[] = {
    CL_SNAPSHOT_TABLES(COUNT, NO_COLUMN, NO_COLUMN)};
#undef COUNT
#undef NO_COLUMN
#undef NO_COUNT

#define NCOUNTS (sizeof counts / sizeof counts[0])

static size_t *
count_of(cl_snapshot *s, size_t off)
{
    return (size_t *)((char *)s + off);
}

static size_t
count_in(const cl_snapshot *s, size_t off)
{
    return *(const size_t *)((const char *)s + off);
}

static void **
col_ptr(cl_snapshot *s, const col_def *c)
{
    return (void **)((char *)s + c->off);
}

static const void *
col_in(const cl_snapshot *s, const col_def *c)
{
    return *(void *const *)((const char *)s + c->off);
}

/* --- hashing ------------------------------------------------------------ */

#define FNV_BASIS 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * FNV_PRIME;
    return h;
}

/* A string and its NUL, so that ("ab","c") and ("a","bc") differ. */
static uint64_t
fnv_str(uint64_t h, const char *s)
{
    return s ? fnv(h, s, strlen(s) + 1) : fnv(h, "\xff", 1);
}

/*
 * The payload checksum: four independent multiply-xor lanes over 64-bit
 * words (fast enough to run over half a gigabyte in well under a tenth of
 * a second), fed as a stream so the writer need not hold the file.
 */
typedef struct sum {
    uint64_t h[4];
    unsigned char buf[32];
    size_t nbuf;
    uint64_t total;
} sum;

#define SUM_PRIME 0x9e3779b97f4a7c15ull

static void
sum_init(sum *m)
{
    memset(m, 0, sizeof *m);
    for (int i = 0; i < 4; i++)
        m->h[i] = FNV_BASIS + (uint64_t)i * SUM_PRIME;
}

static void
sum_block(uint64_t h[4], const unsigned char *p)
{
    for (int i = 0; i < 4; i++) {
        uint64_t w;
        memcpy(&w, p + 8 * i, 8);
        h[i] = (h[i] ^ w) * SUM_PRIME;
        h[i] ^= h[i] >> 29;
    }
}

static void
sum_add(sum *m, const void *data, size_t n)
{
    const unsigned char *p = data;
    m->total += n;
    if (m->nbuf) {
        size_t k = 32 - m->nbuf < n ? 32 - m->nbuf : n;
        memcpy(m->buf + m->nbuf, p, k);
        m->nbuf += k;
        p += k;
        n -= k;
        if (m->nbuf < 32)
            return;
        sum_block(m->h, m->buf);
        m->nbuf = 0;
    }
    for (; n >= 32; p += 32, n -= 32)
        sum_block(m->h, p);
    memcpy(m->buf, p, n);
    m->nbuf = n;
}

static uint64_t
sum_end(sum *m)
{
    uint64_t h = fnv(FNV_BASIS, m->buf, m->nbuf);
    h = fnv(h, &m->total, sizeof m->total);
    return fnv(h, m->h, sizeof m->h);
}

/* --- the key ------------------------------------------------------------ */

enum {
    K_WORKSPACE,
    K_AUDIT_ID,
    K_AUDIT_HASH,
    K_SCHEMA,
    K_TAXONOMY,
    K_FILE,
    K_BINARY,
    K_LAYOUT,
    K_COUNT
};

_Static_assert(K_COUNT == CL_SNAPSHOT_KEY_WORDS, "the key's words");
typedef cl_snapshot_key cache_key;

static int
hash_audit(void *ud, const cl_audit_entry *e)
{
    uint64_t *h = ud;
    h[0] = (uint64_t)e->id;
    uint64_t x = FNV_BASIS;
    x = fnv_str(x, e->at);
    x = fnv_str(x, e->actor);
    x = fnv_str(x, e->entity);
    x = fnv_str(x, e->entity_id);
    x = fnv_str(x, e->action);
    x = fnv_str(x, e->old_json);
    h[1] = fnv_str(x, e->new_json);
    return 1;
}

static int
hash_cause(void *ud, const cl_cause *c)
{
    uint64_t *h = ud;
    *h = fnv_str(*h, c->code);
    *h = fnv_str(*h, c->label);
    *h = fnv_str(*h, c->definition);
    *h = fnv_str(*h, c->routes_to);
    int64_t flags[2] = {c->sales_attributable, (int64_t)c->badfit};
    *h = fnv(*h, flags, sizeof flags);
    return 0;
}

static int
hash_threshold(void *ud, const char *key, double value)
{
    uint64_t *h = ud;
    *h = fnv_str(*h, key);
    *h = fnv(*h, &value, sizeof value);
    return 0;
}

/* The SQLite file of url, or NULL for another backend or no file. */
static const char *
sqlite_file(cl_store *st, const char *url)
{
    if (strcmp(cl_store_backend(st), "sqlite") != 0)
        return NULL;
    if (strncmp(url, "sqlite:", 7) == 0)
        url += 7;
    if (*url == '\0' || strcmp(url, ":memory:") == 0 ||
        strncmp(url, "file:", 5) == 0)
        return NULL;
    return url;
}

/* A hash of the file's identity: device, inode and birth time. */
static uint64_t
file_identity(const char *path)
{
    struct statx sx;
    uint64_t h = FNV_BASIS;
    if (statx(AT_FDCWD, path, 0, STATX_INO | STATX_BTIME, &sx) != 0)
        return 0;
    uint64_t v[5] = {sx.stx_dev_major, sx.stx_dev_minor, sx.stx_ino, 0, 0};
    if (sx.stx_mask & STATX_BTIME) {
        v[3] = (uint64_t)sx.stx_btime.tv_sec;
        v[4] = sx.stx_btime.tv_nsec;
    }
    return fnv(h, v, sizeof v);
}

static uint64_t
binary_identity(void)
{
    struct stat sb;
    if (stat("/proc/self/exe", &sb) != 0)
        return 0;
    uint64_t v[4] = {(uint64_t)sb.st_size, (uint64_t)sb.st_mtim.tv_sec,
                     (uint64_t)sb.st_mtim.tv_nsec, (uint64_t)sb.st_ino};
    return fnv(FNV_BASIS, v, sizeof v);
}

static uint64_t
layout_hash(void)
{
    uint64_t h = FNV_BASIS;
    for (int k = 0; k < CL_KIND_COUNT; k++) {
        const cl_kind_def *d = cl_kind_get((cl_kind)k);
        h = fnv_str(h, d->table);
        for (size_t i = 0; i < d->nfields; i++)
            h = fnv_str(h, d->fields[i].name);
    }
    for (size_t i = 0; i < NCOLS; i++) {
        uint64_t shape[3] = {cols[i].size, (uint64_t)cols[i].type,
                             (uint64_t)cols[i].checked};
        h = fnv_str(h, cols[i].name);
        h = fnv(h, shape, sizeof shape);
    }
    uint64_t sz = sizeof(cl_snapshot);
    return fnv(h, &sz, sizeof sz);
}

int
cl_snapshot_key_read(cl_store *st, const char *url, cl_snapshot_key *k)
{
    cl_error err;
    memset(k, 0, sizeof *k);
    cl_error_clear(&err);
    k->v[K_WORKSPACE] = (uint64_t)cl_store_workspace_id(st);
    uint64_t audit[2] = {0, 0};
    cl_err rc = cl_store_audit_last(st, hash_audit, audit, &err);
    if (rc == CL_EINVAL) {
        int64_t n;
        if (cl_store_audit_count(st, &n, &err) != CL_OK)
            return -1;
        audit[0] = (uint64_t)n;
        audit[1] = 1; /* a count, not an id */
    } else if (rc != CL_OK)
        return -1;
    k->v[K_AUDIT_ID] = audit[0];
    k->v[K_AUDIT_HASH] = audit[1];
    int version;
    if (cl_store_schema_version(st, &version, &err) != CL_OK)
        return -1;
    k->v[K_SCHEMA] = (uint64_t)version;
    uint64_t h = FNV_BASIS;
    if (cl_store_causes(st, hash_cause, &h, &err) != CL_OK)
        return -1;
    h = fnv(h, "|", 1);
    if (cl_store_thresholds(st, hash_threshold, &h, &err) != CL_OK)
        return -1;
    k->v[K_TAXONOMY] = h;
    const char *file = sqlite_file(st, url);
    k->v[K_FILE] = file ? file_identity(file) : fnv_str(FNV_BASIS, url);
    k->v[K_BINARY] = binary_identity();
    k->v[K_LAYOUT] = layout_hash();
    return 0;
}

/* --- the file header ---------------------------------------------------- */

static const char magic[8] = {'C', 'L', 'S', 'N', 'A', 'P', '\r', '\n'};

typedef struct header {
    char magic[8];
    uint32_t version;
    uint32_t byte_order; /* 0x01020304 as written */
    uint32_t sizes;      /* pointer, size_t, double, int sizes, a byte each */
    uint32_t ncols;
    cache_key key;
    uint64_t count[NCOUNTS];
    uint64_t blob_len;
    uint64_t text_base; /* the address of the blob's first byte, mapped */
    uint64_t file_len;
    uint64_t checksum;   /* of everything after the header */
    uint64_t header_sum; /* of the header up to here */
} header;

/* CL_MAX_CAUSES of them; the first with code 0 ends the causes. */
typedef struct cause_rec {
    uint64_t code, label, definition, routes_to; /* string offsets + 1 */
    int32_t sales_attributable, badfit;
} cause_rec;

static uint32_t
sizes_word(void)
{
    return (uint32_t)sizeof(void *) << 24 | (uint32_t)sizeof(size_t) << 16 |
           (uint32_t)sizeof(double) << 8 | (uint32_t)sizeof(int);
}

static size_t
pad8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* Where a cache file is mapped: far from where Linux puts the heap, the
   libraries and other mappings (and inside ASan's high application memory
   on x86-64); 2^40 bytes of room, the largest file read_cache accepts. */
#define CACHE_BASE ((uint64_t)1 << 45)

/* The offset of the blob in a file of snapshot s's counts. */
static uint64_t
blob_offset(const cl_snapshot *s)
{
    uint64_t at = sizeof(header) + sizeof(cause_rec) * CL_MAX_CAUSES;
    for (size_t i = 0; i < NCOLS; i++)
        at += pad8(count_in(s, cols[i].count) * cols[i].size);
    return at;
}

/* --- writing ------------------------------------------------------------ */

typedef struct writer {
    FILE *f;
    sum sum;
    int failed;
    char *blob; /* the strings, appended as met */
    size_t blob_len, blob_cap;
    uint64_t text_base; /* the blob's address when mapped at CACHE_BASE */
} writer;

static void
put(writer *w, const void *p, size_t n)
{
    if (w->failed || n == 0)
        return;
    sum_add(&w->sum, p, n);
    if (fwrite(p, 1, n, w->f) != n)
        w->failed = 1;
}

static void
put_pad(writer *w, size_t n)
{
    static const char zero[8];
    if (pad8(n) != n)
        put(w, zero, pad8(n) - n);
}

/* The offset + 1 of a copy of s in the blob, or 0 for NULL. */
static uint64_t
blob_add(writer *w, const char *s)
{
    if (s == NULL || w->failed)
        return 0;
    size_t n = strlen(s) + 1;
    if (cl_grow(&w->blob, &w->blob_cap, w->blob_len + n, 1) != CL_OK) {
        w->failed = 1;
        return 0;
    }
    memcpy(w->blob + w->blob_len, s, n);
    w->blob_len += n;
    return w->blob_len - n + 1;
}

static void
put_strings(writer *w, const char *const *col, size_t n)
{
    uint64_t buf[1024];
    const char *last = NULL;
    uint64_t last_off = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        /* Interned text repeats its pointer: store it once. */
        if (col[i] != last || i == 0) {
            last = col[i];
            last_off = blob_add(w, col[i]);
            if (last_off)
                last_off += w->text_base - 1;
        }
        buf[k++] = last_off;
        if (k == sizeof buf / sizeof buf[0]) {
            put(w, buf, sizeof buf);
            k = 0;
        }
    }
    put(w, buf, k * sizeof buf[0]);
}

static void
make_header(const cl_snapshot *s, const cache_key *key, header *h)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, magic, sizeof magic);
    h->version = CL_SNAPSHOT_CACHE_VERSION;
    h->byte_order = 0x01020304u;
    h->sizes = sizes_word();
    h->ncols = (uint32_t)NCOLS;
    h->key = *key;
    for (size_t i = 0; i < NCOUNTS; i++)
        h->count[i] = count_in(s, counts[i]);
}

/* Writes s to path through a temporary file renamed over it; 0 or -1. */
static int
write_cache(const cl_snapshot *s, const cache_key *key, const char *path)
{
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >=
        (int)sizeof tmp)
        return -1;
    writer w = {0};
    w.f = fopen(tmp, "wb");
    if (w.f == NULL)
        return -1;
    header h;
    make_header(s, key, &h);
    h.text_base = w.text_base = CACHE_BASE + blob_offset(s);
    if (fwrite(&h, sizeof h, 1, w.f) != 1)
        w.failed = 1;
    sum_init(&w.sum);

    cause_rec cr[CL_MAX_CAUSES];
    memset(cr, 0, sizeof cr);
    for (size_t i = 0; i < s->ncauses; i++) {
        cr[i].code = blob_add(&w, s->causes[i].code);
        cr[i].label = blob_add(&w, s->causes[i].label);
        cr[i].definition = blob_add(&w, s->causes[i].definition);
        cr[i].routes_to = blob_add(&w, s->causes[i].routes_to);
        cr[i].sales_attributable = s->causes[i].sales_attributable;
        cr[i].badfit = (int32_t)s->causes[i].badfit;
    }
    put(&w, cr, sizeof cr);
    for (size_t i = 0; i < NCOLS; i++) {
        const col_def *c = &cols[i];
        size_t n = count_in(s, c->count);
        const void *p = col_in(s, c);
        if (c->type == T_STR)
            put_strings(&w, p, n);
        else {
            put(&w, p, n * c->size);
            put_pad(&w, n * c->size);
        }
    }
    put(&w, w.blob, w.blob_len);
    put_pad(&w, w.blob_len);
    h.blob_len = w.blob_len;
    h.file_len = sizeof h + w.sum.total;
    h.checksum = sum_end(&w.sum);
    h.header_sum = fnv(FNV_BASIS, &h, offsetof(header, header_sum));
    free(w.blob);
    if (!w.failed &&
        (fseek(w.f, 0, SEEK_SET) != 0 || fwrite(&h, sizeof h, 1, w.f) != 1))
        w.failed = 1;
    if (fclose(w.f) != 0)
        w.failed = 1;
    if (w.failed || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* --- reading ------------------------------------------------------------ */

/* The cache file mapped read-only, at CACHE_BASE when that range is free
   (placed): the page cache's pages, with no copy.  Otherwise anywhere and
   writable (copy-on-write), for the text values' fix-ups.  No
   MAP_POPULATE: faulting in on the checksum pass (the kernel maps 16
   pages per fault) took half the time of populating (0.2 s vs 0.4 s for
   650 MB). */
typedef struct mapping {
    void *addr;
    size_t len;
    int placed;
} mapping;

static void
release_block(void *block)
{
    mapping *m = block;
    munmap(m->addr, m->len);
    free(m);
}

/* Checks that the text values of a column (addresses of a file mapped at
   CACHE_BASE, blob at text_base) point into the blob, and when the file is
   mapped elsewhere (blob at blob), moves them there; -1 if one is out. */
static int
fix_strings(uint64_t *col, size_t n, uint64_t text_base, const char *blob,
            uint64_t blob_len, int placed)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        memcpy(&v, &col[i], sizeof v);
        if (v != 0 && (v < text_base || v - text_base >= blob_len))
            return -1;
        if (placed)
            continue;
        /* In place: the same width (checked in the header); memcpy keeps
           the compiler's aliasing rules. */
        const char *p = v ? blob + (v - text_base) : NULL;
        memcpy(&col[i], &p, sizeof p);
    }
    return 0;
}

static int
check_range(const col_def *c, const void *col, size_t n, const cl_snapshot *s)
{
    if (!c->checked)
        return 0;
    int64_t lo = c->lo, hi;
    if (c->checked == 2) {
        cl_day first, last;
        if (cl_date_parse("1900-01-01", 10, &first) != 0 ||
            cl_date_parse("2999-12-31", 10, &last) != 0)
            return -1;
        const cl_day *d = col;
        for (size_t i = 0; i < n; i++)
            if (d[i] != CL_DAY_NONE && (d[i] < first || d[i] > last))
                return -1;
        return 0;
    }
    if (c->values) {
        hi = -1;
        while (c->values[hi + 1])
            hi++;
    } else
        hi = (int64_t)count_in(s, c->hi_count) - 1;
    /* Index columns are int8_t (ENUM, BOOL, STATE) or int32_t (ROW). */
    for (size_t i = 0; i < n; i++) {
        int64_t v =
            c->size == 1 ? ((const int8_t *)col)[i] : ((const int32_t *)col)[i];
        if (v < lo || v > hi)
            return -1;
    }
    return 0;
}

/* Maps the whole file; NULL on failure. */
static mapping *
map_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat sb;
    mapping *m = NULL;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
        (uint64_t)sb.st_size >= sizeof(header) &&
        (uint64_t)sb.st_size < ((uint64_t)1 << 40) &&
        (m = malloc(sizeof *m)) != NULL) {
        m->len = (size_t)sb.st_size;
        m->addr = MAP_FAILED;
        m->placed = 0;
#ifdef MAP_FIXED_NOREPLACE
        if (sizeof(void *) == sizeof(uint64_t)) {
            void *want = (void *)(uintptr_t)CACHE_BASE;
            m->addr = mmap(want, m->len, PROT_READ,
                           MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);
            /* A kernel before 4.17 takes the flag for a hint. */
            if (m->addr != MAP_FAILED && m->addr != want) {
                munmap(m->addr, m->len);
                m->addr = MAP_FAILED;
            }
            m->placed = m->addr != MAP_FAILED;
        }
#endif
        if (m->addr == MAP_FAILED)
            m->addr =
                mmap(NULL, m->len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (m->addr == MAP_FAILED) {
            free(m);
            m = NULL;
        }
    }
    close(fd);
    return m;
}

/* A snapshot read back from path when its key is key; NULL otherwise
   (no file, another key, a damaged file, out of memory). */
static cl_snapshot *
read_cache(const char *path, const cache_key *key)
{
    mapping *map = map_file(path);
    if (map == NULL)
        return NULL;
    size_t len = map->len;
    char *block = map->addr;
    header h;
    memcpy(&h, block, sizeof h);
    if (memcmp(h.magic, magic, sizeof magic) != 0 ||
        h.version != CL_SNAPSHOT_CACHE_VERSION || h.byte_order != 0x01020304u ||
        h.sizes != sizes_word() || h.ncols != NCOLS ||
        h.header_sum != fnv(FNV_BASIS, &h, offsetof(header, header_sum)) ||
        memcmp(&h.key, key, sizeof *key) != 0 || h.file_len != len)
        goto bad;
    /* The layout the counts imply must be the file's length exactly. */
    for (size_t i = 0; i < NCOUNTS; i++)
        if (h.count[i] > INT32_MAX)
            goto bad;
    cl_snapshot probe;
    memset(&probe, 0, sizeof probe);
    for (size_t i = 0; i < NCOUNTS; i++)
        *count_of(&probe, counts[i]) = (size_t)h.count[i];
    uint64_t need = blob_offset(&probe);
    if (h.blob_len > len || need + pad8(h.blob_len) != len)
        goto bad;
    sum m;
    sum_init(&m);
    sum_add(&m, block + sizeof h, len - sizeof h);
    if (sum_end(&m) != h.checksum)
        goto bad;
    const char *blob = block + need;
    if (h.blob_len > 0 && blob[h.blob_len - 1] != '\0')
        goto bad;
    /* Where the writer mapped the blob; a file of this layout always has
       the same. */
    if (h.text_base != CACHE_BASE + need)
        goto bad;

    cl_snapshot *s = cl_snapshot_new_over(map, release_block);
    if (s == NULL)
        goto bad;
    for (size_t i = 0; i < NCOUNTS; i++)
        *count_of(s, counts[i]) = (size_t)h.count[i];
    size_t at = sizeof h;
    cause_rec cr[CL_MAX_CAUSES];
    memcpy(cr, block + at, sizeof cr);
    at += sizeof cr;
    int ok = 1;
    s->ncauses = 0;
    for (int i = 0; i < CL_MAX_CAUSES && cr[i].code; i++) {
        uint64_t o[4] = {cr[i].code, cr[i].label, cr[i].definition,
                         cr[i].routes_to};
        for (int j = 0; j < 4; j++)
            if (o[j] == 0 || o[j] > h.blob_len)
                ok = 0;
        if (!ok || cr[i].badfit < CL_BADFIT_NONE ||
            cr[i].badfit > CL_BADFIT_OVER_PROMISED)
            break;
        s->ncauses = (size_t)i + 1;
        s->causes[i].code = blob + o[0] - 1;
        s->causes[i].label = blob + o[1] - 1;
        s->causes[i].definition = blob + o[2] - 1;
        s->causes[i].routes_to = blob + o[3] - 1;
        s->causes[i].sales_attributable = cr[i].sales_attributable;
        s->causes[i].badfit = (cl_badfit)cr[i].badfit;
    }
    for (size_t i = 0; ok && i < NCOLS; i++) {
        const col_def *c = &cols[i];
        size_t n = count_in(s, c->count);
        void *col = block + at;
        *col_ptr(s, c) = col;
        at += pad8(n * c->size);
        if (c->type == T_STR)
            ok = fix_strings(col, n, h.text_base, blob, h.blob_len,
                             map->placed) == 0;
    }
    /* After every count is known: row references may point forward. */
    for (size_t i = 0; ok && i < NCOLS; i++)
        ok = check_range(&cols[i], col_in(s, &cols[i]),
                         count_in(s, cols[i].count), s) == 0;
    if (ok && s->nicp > 0) {
        ok = (s->icp_expr = calloc(s->nicp, sizeof *s->icp_expr)) != NULL;
        for (size_t i = 0; ok && i < s->nicp; i++)
            if (s->icp_criteria[i])
                cl_icp_expr_parse(s->icp_criteria[i], &s->icp_expr[i], NULL);
    }
    if (!ok) {
        cl_snapshot_free(s); /* releases block */
        return NULL;
    }
    s->calendar.holidays = s->holidays;
    s->calendar.nholidays = s->nholidays;
    return s;
bad:
    release_block(map);
    return NULL;
}

/* --- the public calls --------------------------------------------------- */

int
cl_snapshot_cache_path(cl_store *st, const char *url, char *buf, size_t len)
{
    const char *file = sqlite_file(st, url);
    int n;
    if (file)
        n = snprintf(buf, len, "%s.snapshot", file);
    else if (strcmp(cl_store_backend(st), "sqlite") == 0)
        return -1;
    else {
        const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        char dir[4096];
        if (xdg && *xdg == '/')
            n = snprintf(dir, sizeof dir, "%s/closeloop", xdg);
        else if (home && *home == '/')
            n = snprintf(dir, sizeof dir, "%s/.cache/closeloop", home);
        else
            return -1;
        if (n < 0 || (size_t)n >= sizeof dir)
            return -1;
        /* The url may carry a password: only its hash names the file. */
        if (xdg && *xdg == '/')
            (void)mkdir(xdg, 0700);
        else {
            char parent[4096];
            snprintf(parent, sizeof parent, "%s/.cache", home);
            (void)mkdir(parent, 0700);
        }
        (void)mkdir(dir, 0700);
        n = snprintf(buf, len, "%s/%s-%016llx.snapshot", dir,
                     cl_store_backend(st),
                     (unsigned long long)fnv_str(FNV_BASIS, url));
    }
    return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
cl_snapshot_key_equal(const cl_snapshot_key *a, const cl_snapshot_key *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

/* CLOSELOOP_SNAPSHOT_CACHE=0 turns the cache file off. */
static int
cache_off(void)
{
    const char *env = getenv("CLOSELOOP_SNAPSHOT_CACHE");
    return env && strcmp(env, "0") == 0;
}

cl_err
cl_snapshot_load_keyed(cl_store *st, const char *url,
                       const cl_snapshot_key *key, cl_snapshot **out,
                       cl_snapshot_cache_stats *stats, cl_error *err)
{
    cl_snapshot_cache_stats dummy;
    if (stats == NULL)
        stats = &dummy;
    memset(stats, 0, sizeof *stats);
    char path[4096];
    if (cache_off() || url == NULL ||
        cl_snapshot_cache_path(st, url, path, sizeof path) != 0)
        return cl_snapshot_load(st, out, err);
    if ((*out = read_cache(path, key)) != NULL) {
        stats->hit = 1;
        return CL_OK;
    }
    cl_err rc = cl_snapshot_load(st, out, err);
    if (rc != CL_OK)
        return rc;
    double t0 = now_seconds();
    stats->written = write_cache(*out, key, path) == 0;
    stats->write_seconds = now_seconds() - t0;
    return CL_OK;
}

cl_err
cl_snapshot_load_cached(cl_store *st, const char *url, int use_cache,
                        cl_snapshot **out, cl_snapshot_cache_stats *stats,
                        cl_error *err)
{
    cl_snapshot_key key;
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!use_cache || cache_off() || url == NULL ||
        cl_snapshot_key_read(st, url, &key) != 0)
        return cl_snapshot_load(st, out, err);
    return cl_snapshot_load_keyed(st, url, &key, out, stats, err);
}

/* --- comparing ---------------------------------------------------------- */

static int
same_str(const char *a, const char *b)
{
    return (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
}

int
cl_snapshot_cache_compare(const cl_snapshot *a, const cl_snapshot *b,
                          char *what, size_t len)
{
    for (size_t i = 0; i < NCOUNTS; i++)
        if (count_in(a, counts[i]) != count_in(b, counts[i])) {
            snprintf(what, len, "count %zu: %zu vs %zu", i,
                     count_in(a, counts[i]), count_in(b, counts[i]));
            return 1;
        }
    if (a->ncauses != b->ncauses) {
        snprintf(what, len, "causes: %zu vs %zu", a->ncauses, b->ncauses);
        return 1;
    }
    for (size_t i = 0; i < a->ncauses; i++) {
        const cl_cause *x = &a->causes[i], *y = &b->causes[i];
        if (!same_str(x->code, y->code) || !same_str(x->label, y->label) ||
            !same_str(x->definition, y->definition) ||
            !same_str(x->routes_to, y->routes_to) ||
            x->sales_attributable != y->sales_attributable ||
            x->badfit != y->badfit) {
            snprintf(what, len, "cause %zu", i);
            return 1;
        }
    }
    for (size_t i = 0; i < NCOLS; i++) {
        const col_def *c = &cols[i];
        size_t n = count_in(a, c->count), sz = c->size;
        const char *p = col_in(a, c), *q = col_in(b, c);
        for (size_t r = 0; r < n; r++) {
            int eq;
            if (c->type == T_STR)
                eq = same_str(((const char *const *)(const void *)p)[r],
                              ((const char *const *)(const void *)q)[r]);
            else if (c->type == T_F64) {
                double x = ((const double *)(const void *)p)[r];
                double y = ((const double *)(const void *)q)[r];
                eq = (isnan(x) && isnan(y)) || memcmp(&x, &y, sizeof x) == 0;
            } else
                eq = memcmp(p + r * sz, q + r * sz, sz) == 0;
            if (!eq) {
                snprintf(what, len, "%s[%zu]", c->name, r);
                return 1;
            }
        }
    }
    for (size_t i = 0; i < a->nicp; i++)
        if ((a->icp_expr[i] == NULL) != (b->icp_expr[i] == NULL)) {
            snprintf(what, len, "icp_expr[%zu]", i);
            return 1;
        }
    if (a->calendar.nholidays != b->calendar.nholidays) {
        snprintf(what, len, "calendar");
        return 1;
    }
    return 0;
}
