/*
 * fuzz_csv_import.c - libFuzzer target: the CSV importer (io/import.h) with
 * every way in: canonical files of each kind, the salesforce and hubspot
 * presets, the mapping file of tests/data/crm, a mapping file given in the
 * input itself, and single mapping transforms.
 *
 * Each input is imported, as a dry run (checked, written, rolled back), into
 * one in-memory workspace seeded once with tests/data/canonical and the CRM
 * users and accounts, so references resolve and the rules that look at
 * other records run; the roll-back keeps every run independent of the ones
 * before it.  The input reaches the importer the way a user's file does,
 * by path (a memfd).
 *
 * The first byte picks the mode (below) and the options; the rest is the
 * file.  In MODE_OWN_MAP the rest is a mapping file, a line "===", then the
 * CRM export; in MODE_TRANSFORM it is a transform, a newline, a value.
 * Beyond "does not crash": an import either applies or reports why, in one
 * line, and a dry run applies nothing.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "io/import.h"
#include "io/mapping.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

enum {
    MODE_CANONICAL = 0,      /* + kind: 0 .. CL_KIND_COUNT-1 */
    MODE_SF = CL_KIND_COUNT, /* + 0 users, 1 accounts, 2 deals */
    MODE_HS = MODE_SF + 3,
    MODE_MAPFILE = MODE_HS + 3,      /* sf_opportunities.map.csv, deals */
    MODE_OWN_MAP = MODE_MAPFILE + 1, /* + 0 users, 1 accounts, 2 deals */
    MODE_TRANSFORM = MODE_OWN_MAP + 3,
    NMODES
};

static cl_store *st;
static char input_path[64], map_path[64];
static int input_fd = -1, map_fd = -1;
static const cl_kind crm_kinds[] = {CL_KIND_USERS, CL_KIND_ACCOUNTS,
                                    CL_KIND_DEALS};

static void die(const char *what, const char *detail)
    __attribute__((noreturn));

static void
die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_csv_import: %s: %s\n", what, detail);
    exit(1);
}

static void
seed(cl_kind kind, const char *file, const char *preset)
{
    char path[512];
    cl_mapping *m = NULL;
    cl_error err;
    cl_import_opts o = {.now = 1780000000};
    cl_import_report rep;
    snprintf(path, sizeof path, "%s/%s", CL_FUZZ_DATA_DIR, file);
    cl_error_clear(&err);
    if (preset && cl_mapping_preset(preset, kind, &m, &err) != CL_OK)
        die(preset, err.msg);
    o.mapping = m;
    if (cl_import_file(st, kind, path, &o, &rep, &err) != CL_OK)
        die(path, err.msg);
    cl_mapping_free(m);
}

static int
memfd(const char *name, char *path, size_t len)
{
    int fd = memfd_create(name, 0);
    if (fd < 0)
        die("memfd_create", name);
    snprintf(path, len, "/proc/self/fd/%d", fd);
    return fd;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cl_error err;
    cl_error_clear(&err);
    if (cl_store_open("sqlite::memory:", &st, &err) != CL_OK)
        die("sqlite::memory:", err.msg);
    static const char *const canonical[] = {
        "users",   "accounts", "deals",         "churns", "recoveries",
        "reviews", "cs_hours", "arr_movements", "icp",    "holidays"};
    for (size_t i = 0; i < sizeof canonical / sizeof canonical[0]; i++) {
        char file[64];
        snprintf(file, sizeof file, "canonical/%s.csv", canonical[i]);
        seed(cl_kind_from_name(canonical[i]), file, NULL);
    }
    seed(CL_KIND_USERS, "crm/sf_users.csv", "salesforce");
    seed(CL_KIND_ACCOUNTS, "crm/sf_accounts.csv", "salesforce");
    seed(CL_KIND_ACCOUNTS, "crm/hs_companies.csv", "hubspot");
    input_fd = memfd("input.csv", input_path, sizeof input_path);
    map_fd = memfd("map.csv", map_path, sizeof map_path);
    return 0;
}

static void
put(int fd, const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        die("write", "memfd");
}

static void
count_bad(void *ud, const char *msg)
{
    /* One line each, naming where. */
    if (strchr(msg, '\n') || !strchr(msg, ':'))
        abort();
    ++*(int *)ud;
}

static void
transform(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), out[256];
    if (!text)
        return;
    memcpy(text, data, size);
    text[size] = '\0';
    char *nl = strchr(text, '\n');
    const char *value = "";
    if (nl) {
        *nl = '\0';
        value = nl + 1;
    }
    cl_error err;
    cl_error_clear(&err);
    if (cl_mapping_transform(text, value, out, sizeof out, &err) == CL_OK &&
        strlen(out) >= sizeof out)
        abort();
    free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 256 * 1024)
        return 0;
    int mode = data[0] % NMODES, flags = data[0] / NMODES;
    data++;
    size--;
    if (mode == MODE_TRANSFORM) {
        transform(data, size);
        return 0;
    }

    cl_kind kind;
    cl_mapping *m = NULL;
    cl_error err;
    cl_error_clear(&err);
    if (mode < MODE_SF) {
        kind = (cl_kind)mode;
    } else if (mode < MODE_MAPFILE) {
        kind = crm_kinds[(mode - MODE_SF) % 3];
        if (cl_mapping_preset(mode < MODE_HS ? "salesforce" : "hubspot", kind,
                              &m, &err) != CL_OK)
            die("preset", err.msg);
    } else if (mode == MODE_MAPFILE) {
        kind = CL_KIND_DEALS;
        if (cl_import_mapping_load(CL_FUZZ_DATA_DIR
                                   "/crm/sf_opportunities.map.csv",
                                   kind, &m, &err) != CL_OK)
            die("mapping", err.msg);
    } else {
        kind = crm_kinds[mode - MODE_OWN_MAP];
        const uint8_t *sep = memmem(data, size, "\n===\n", 5);
        if (!sep)
            return 0;
        put(map_fd, data, (size_t)(sep - data));
        size -= (size_t)(sep - data) + 5;
        data = sep + 5;
        if (cl_import_mapping_load(map_path, kind, &m, &err) != CL_OK) {
            if (m || !err.msg[0] || strchr(err.msg, '\n'))
                abort();
            return 0;
        }
    }
    put(input_fd, data, size);

    int nbad = 0;
    cl_import_opts o = {.dry_run = 1,
                        .skip_bad = flags & 1,
                        .ignore_extra = (flags >> 1) & 1,
                        .now = 1780000000,
                        .source = "fuzz.csv",
                        .mapping = m,
                        .on_bad = count_bad,
                        .ud = &nbad};
    cl_import_report rep;
    cl_error_clear(&err);
    cl_err rc = cl_import_file(st, kind, input_path, &o, &rep, &err);
    if (rc != CL_OK && (!err.msg[0] || strchr(err.msg, '\n')))
        abort();
    if (rep.bad != nbad)
        abort();
    /* A dry run applies nothing; bad rows fail it unless skipped. */
    if (rep.applied || (rc == CL_OK && rep.bad > 0 && !o.skip_bad))
        abort();
    cl_mapping_free(m);
    return 0;
}
