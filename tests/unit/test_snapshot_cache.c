/*
 * The snapshot cache (snapshot/snapshot_cache.h): a demo workspace loaded from its
 * cache file equals the one loaded from the store, column by column and in
 * every report's JSON; a change to the workspace is seen on the next run; a
 * truncated, corrupted or foreign-version file is ignored and rebuilt; the
 * cache can be switched off and never fails a load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "opsfixture.h"

#include "analytics/patterns.h"
#include "engine/engine.h"
#include "snapshot/snapshot_cache.h"
#include "store/store_engine.h"

#define TODAY "2026-03-15"

typedef struct fx {
    char dir[64];
    char db[96];
    char cache[128];
    cl_store *st;
} fx;

static int
setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    cl_error err;
    cl_day d;
    assert_non_null(f);
    strcpy(f->dir, "/tmp/cl-test-cache-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof f->db, "%s/w.db", f->dir);
    snprintf(f->cache, sizeof f->cache, "%s.snapshot", f->db);
    assert_int_equal(cl_date_parse(TODAY, 10, &d), 0);
    cl_demo_opts o = {300, 7, d, 0};
    ops_sink k = {0};
    assert_int_equal(cl_store_open(f->db, &k.st, &err), CL_OK);
    if (cl_demo_generate(&o, ops_emit, &k, &err) != CL_OK ||
        ops_sink_end(&k, &err) != CL_OK)
        fail_msg("demo: %s", err.msg);
    f->st = k.st;
    unsetenv("CLOSELOOP_SNAPSHOT_CACHE");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fx *f = *state;
    char cmd[160];
    cl_store_close(f->st);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* Loads through the cache; asserts success and returns the stats. */
static cl_snapshot *
load(fx *f, int use_cache, cl_snapshot_cache_stats *stats)
{
    cl_snapshot *s;
    cl_error err;
    cl_error_clear(&err);
    if (cl_snapshot_load_cached(f->st, f->db, use_cache, &s, stats, &err) !=
        CL_OK)
        fail_msg("load: %s", err.msg);
    return s;
}

static cl_snapshot *
load_store(fx *f)
{
    cl_snapshot *s;
    cl_error err;
    assert_int_equal(cl_snapshot_load(f->st, &s, &err), CL_OK);
    return s;
}

static void
assert_same(const cl_snapshot *a, const cl_snapshot *b)
{
    char what[128] = "";
    if (cl_snapshot_cache_compare(a, b, what, sizeof what) != 0)
        fail_msg("snapshots differ at %s", what);
}

/* One report's JSON text; the caller frees it. */
static char *
report_json(const cl_snapshot *s, const cl_report_def *def)
{
    cl_report_opts o = {0};
    json_t *doc = NULL;
    cl_error err;
    assert_int_equal(cl_date_parse(TODAY, 10, &o.today), 0);
    o.period = def->period == CL_REPORT_NOW
                   ? cl_period_of(CL_PERIOD_QUARTER, o.today)
                   : cl_report_default_period(def->period, o.today);
    o.private_view = 1;
    if (def->build(s, &o, &doc, &err) != CL_OK)
        fail_msg("%s: %s", def->name, err.msg);
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    assert_non_null(text);
    return text;
}

static char *
patterns_json(const cl_snapshot *s)
{
    cl_pattern_opts po = {.target = CL_TARGET_CHURN};
    cl_pattern_result r;
    cl_error err;
    assert_int_equal(cl_date_parse(TODAY, 10, &po.today), 0);
    assert_int_equal(cl_patterns_find(s, &po, &r, &err), CL_OK);
    json_t *doc = cl_patterns_json(&r);
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    cl_patterns_free(&r);
    return text;
}

static void
assert_same_reports(const cl_snapshot *a, const cl_snapshot *b)
{
    size_t n;
    const cl_report_def *defs = cl_reports(&n);
    assert_true(n >= 7);
    for (size_t i = 0; i < n; i++) {
        char *x = report_json(a, &defs[i]), *y = report_json(b, &defs[i]);
        if (strcmp(x, y) != 0)
            fail_msg("report %s differs", defs[i].name);
        free(x);
        free(y);
    }
    char *x = patterns_json(a), *y = patterns_json(b);
    assert_string_equal(x, y);
    free(x);
    free(y);
}

static int
file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void
test_cached_equals_store(void **state)
{
    fx *f = *state;
    cl_snapshot_cache_stats cold, warm;
    cl_snapshot *fresh = load_store(f);
    assert_true(fresh->ndeals > 300 && fresh->nchurns > 0 &&
                fresh->nreviews > 0 && fresh->nicp > 0);

    cl_snapshot *a = load(f, 1, &cold);
    assert_int_equal(cold.hit, 0);
    assert_int_equal(cold.written, 1);
    assert_true(file_exists(f->cache));
    cl_snapshot *b = load(f, 1, &warm);
    assert_int_equal(warm.hit, 1);
    assert_int_equal(warm.written, 0);

    assert_same(fresh, a);
    assert_same(fresh, b);
    assert_same_reports(fresh, b);
    /* A second file mapped while b holds the address the cache asks for
       is mapped elsewhere and its text moved there (snapshot_cache.c). */
    cl_snapshot *c = load(f, 1, &warm);
    assert_int_equal(warm.hit, 1);
    assert_same(fresh, c);
    assert_same_reports(fresh, c);
    cl_snapshot_free(c);
    /* The id maps are rebuilt on first lookup. */
    for (size_t d = 0; d < b->ndeals; d += 37)
        assert_int_equal(cl_snapshot_deal(b, fresh->deal_id[d]), (int32_t)d);
    assert_int_equal(cl_snapshot_account(b, fresh->account_id[3]), 3);
    assert_int_equal(cl_snapshot_user(b, fresh->user_id[1]), 1);
    assert_int_equal(cl_snapshot_deal(b, "no-such-deal"), -1);
    /* ICP expressions were parsed again from their criteria. */
    for (size_t i = 0; i < b->nicp; i++)
        assert_int_equal(b->icp_expr[i] != NULL, fresh->icp_expr[i] != NULL);
    assert_int_equal(cl_snapshot_in_icp(b, 0, 0),
                     cl_snapshot_in_icp(fresh, 0, 0));
    cl_snapshot_free(fresh);
    cl_snapshot_free(a);
    cl_snapshot_free(b);
}

/* An open deal's ARR changed through the store, as an import would. */
static void
change_open_deal(fx *f, const cl_snapshot *s)
{
    const cl_kind_def *def = cl_kind_get(CL_KIND_DEALS);
    size_t d = 0;
    while (d < s->ndeals &&
           (s->deal_state[d] != CL_DEAL_OPEN || isnan(s->deal_arr[d])))
        d++;
    assert_true(d < s->ndeals);
    cl_value key = {.type = CL_V_TEXT, .s = s->deal_id[d]}, row[32];
    int found;
    cl_error err;
    cl_put_result res;
    assert_int_equal(cl_store_begin(f->st, "test", 0, &err), CL_OK);
    assert_int_equal(
        cl_store_get(f->st, CL_KIND_DEALS, &key, row, &found, &err), CL_OK);
    assert_int_equal(found, 1);
    /* The row's strings belong to the store until the next call. */
    char copy[32][256];
    for (size_t i = 0; i < def->nfields; i++)
        if (row[i].type == CL_V_TEXT) {
            snprintf(copy[i], sizeof copy[i], "%s", row[i].s);
            row[i].s = copy[i];
        }
    int arr = cl_kind_field_index(def, "arr");
    row[arr].type = CL_V_REAL;
    row[arr].r = s->deal_arr[d] + 123456.0;
    assert_int_equal(cl_store_put(f->st, CL_KIND_DEALS, row, &res, &err),
                     CL_OK);
    assert_int_equal(res, CL_PUT_UPDATED);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);
}

static void
test_change_is_seen(void **state)
{
    fx *f = *state;
    cl_snapshot_cache_stats st;
    cl_snapshot *before = load(f, 1, &st);
    cl_snapshot_free(load(f, 1, &st));
    assert_int_equal(st.hit, 1);
    const cl_report_def *pipeline = cl_report_find("pipeline");
    char *was = report_json(before, pipeline);

    change_open_deal(f, before);
    cl_snapshot *after = load(f, 1, &st);
    assert_int_equal(st.hit, 0); /* the key changed */
    assert_int_equal(st.written, 1);
    char *now = report_json(after, pipeline);
    assert_true(strcmp(was, now) != 0); /* the figures moved */
    cl_snapshot *fresh = load_store(f);
    assert_same(fresh, after);
    cl_snapshot *again = load(f, 1, &st);
    assert_int_equal(st.hit, 1);
    assert_same(fresh, again);
    free(was);
    free(now);
    cl_snapshot_free(before);
    cl_snapshot_free(after);
    cl_snapshot_free(fresh);
    cl_snapshot_free(again);
}

static void
write_bytes(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static char *
read_bytes(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    *n = (size_t)ftell(fp);
    rewind(fp);
    char *b = malloc(*n);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, *n, fp), *n);
    fclose(fp);
    return b;
}

/* The damaged file is ignored (a fresh, equal snapshot), then rewritten. */
static void
assert_rebuilt(fx *f, const cl_snapshot *fresh)
{
    cl_snapshot_cache_stats st;
    cl_snapshot *s = load(f, 1, &st);
    assert_int_equal(st.hit, 0);
    assert_int_equal(st.written, 1);
    assert_same(fresh, s);
    cl_snapshot_free(s);
    s = load(f, 1, &st);
    assert_int_equal(st.hit, 1);
    cl_snapshot_free(s);
}

static void
test_damaged_files(void **state)
{
    fx *f = *state;
    cl_snapshot_cache_stats st;
    cl_snapshot *fresh = load_store(f);
    cl_snapshot_free(load(f, 1, &st));
    size_t n;
    char *good = read_bytes(f->cache, &n);
    assert_true(n > 4096);

    /* Truncated: half, just the header's start, empty. */
    size_t cuts[] = {n / 2, n - 1, 100, 0};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        write_bytes(f->cache, good, cuts[i]);
        assert_rebuilt(f, fresh);
    }
    /* Corrupted: one flipped bit in a column, in the string blob, in the
       key, in the counts. */
    size_t spots[] = {n / 2, n - 20, 30, 120};
    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
        char *bad = malloc(n);
        memcpy(bad, good, n);
        bad[spots[i]] ^= 0x10;
        write_bytes(f->cache, bad, n);
        assert_rebuilt(f, fresh);
        free(bad);
    }
    /* Another format version (bytes 8..11 of the header). */
    char *old = malloc(n);
    memcpy(old, good, n);
    uint32_t v = CL_SNAPSHOT_CACHE_VERSION + 1;
    memcpy(old + 8, &v, sizeof v);
    write_bytes(f->cache, old, n);
    assert_rebuilt(f, fresh);
    /* Garbage of the right length. */
    for (size_t i = 0; i < n; i++)
        old[i] = (char)(i * 7919u >> 3);
    write_bytes(f->cache, old, n);
    assert_rebuilt(f, fresh);
    free(old);
    free(good);
    cl_snapshot_free(fresh);
}

static void
test_off_and_unwritable(void **state)
{
    fx *f = *state;
    cl_snapshot_cache_stats st;
    cl_snapshot *fresh = load_store(f);

    cl_snapshot *s = load(f, 0, &st);
    assert_int_equal(st.hit + st.written, 0);
    assert_false(file_exists(f->cache));
    cl_snapshot_free(s);

    setenv("CLOSELOOP_SNAPSHOT_CACHE", "0", 1);
    s = load(f, 1, &st);
    assert_int_equal(st.hit + st.written, 0);
    assert_false(file_exists(f->cache));
    assert_same(fresh, s);
    cl_snapshot_free(s);
    unsetenv("CLOSELOOP_SNAPSHOT_CACHE");

    /* A directory where the cache file would go: it can be neither read
       nor replaced, and the load still succeeds from the store. */
    assert_int_equal(mkdir(f->cache, 0700), 0);
    s = load(f, 1, &st);
    assert_int_equal(st.hit, 0);
    assert_int_equal(st.written, 0);
    assert_same(fresh, s);
    cl_snapshot_free(s);
    assert_int_equal(rmdir(f->cache), 0);
    cl_snapshot_free(fresh);
}

static void
test_path(void **state)
{
    fx *f = *state;
    char buf[256], url[128];
    assert_int_equal(cl_snapshot_cache_path(f->st, f->db, buf, sizeof buf), 0);
    assert_string_equal(buf, f->cache);
    snprintf(url, sizeof url, "sqlite:%s", f->db);
    assert_int_equal(cl_snapshot_cache_path(f->st, url, buf, sizeof buf), 0);
    assert_string_equal(buf, f->cache);
    assert_int_equal(cl_snapshot_cache_path(f->st, f->db, buf, 8), -1);
}

/* The engine's records (churn flags, sessions, the churns' audit trail)
   are columns too: a tick changes the snapshot, and the cache gives back
   what the store does, reports included. */
static void
test_engine_records(void **state)
{
    fx *f = *state;
    cl_snapshot_cache_stats st1, st2;
    cl_error err;
    cl_time now;
    cl_snapshot *before = load(f, 1, &st1);
    assert_int_equal(before->nnotices, 0);
    /* The demo's tagged churns were inserted tagged: first tags. */
    assert_true(before->ntag_changes > 0);
    assert_int_equal(cl_time_parse(TODAY "T08:00", &now), 0);
    /* A year of lookback: the tick flags the demo's deal-attributable
       churns tagged on import. */
    assert_int_equal(cl_store_begin(f->st, "test", now, &err), CL_OK);
    assert_int_equal(
        cl_store_config_set(f->st, "engine_lookback_days", "365", &err), CL_OK);
    assert_int_equal(cl_store_commit(f->st, &err), CL_OK);
    assert_int_equal(cl_engine_tick(f->st, now, NULL, &err), CL_OK);

    cl_snapshot *fresh = load_store(f);
    assert_true(fresh->nnotices > 0);
    for (size_t i = 0; i < fresh->nnotices; i++) {
        assert_true(fresh->notice_churn[i] >= 0);
        assert_int_equal(fresh->notice_queued_at[i], now);
    }
    cl_snapshot *a = load(f, 1, &st1);
    assert_int_equal(st1.hit, 0); /* the tick's audit entries */
    cl_snapshot *b = load(f, 1, &st2);
    assert_int_equal(st2.hit, 1);
    assert_int_equal(b->nnotices, fresh->nnotices);
    assert_int_equal(b->ntag_changes, fresh->ntag_changes);
    assert_same(fresh, a);
    assert_same(fresh, b);
    assert_same_reports(fresh, b);
    cl_snapshot_free(before);
    cl_snapshot_free(fresh);
    cl_snapshot_free(a);
    cl_snapshot_free(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cached_equals_store, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_change_is_seen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_off_and_unwritable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_engine_records, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
