/*
 * The renderers on hand-written report documents (tests/data/render/NAME.json
 * in the shapes of the bad-fit, icp, pipeline and health reports): what a
 * person reads in Markdown, what a spreadsheet gets in CSV, and an HTML file
 * that is safe (escaped) and self-contained (no URL) with one chart per
 * chart-able array.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "io/render.h"
#include "io/render_int.h"

/* Renders fixture NAME.json as format; the caller frees the text. */
static char *
render(const char *name, const char *title, cl_format format)
{
    char path[512];
    json_error_t jerr;
    cl_error err;
    char *text = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/render/%s.json", CL_TEST_DATA_DIR, name);
    json_t *doc = json_load_file(path, JSON_PRESERVE_ORDER, &jerr);
    if (!doc)
        fail_msg("%s: %s", path, jerr.text);
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    cl_error_clear(&err);
    assert_int_equal(cl_render(name, title, doc, format, f, &err), CL_OK);
    fclose(f);
    json_decref(doc);
    return text;
}

static size_t
count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

#define assert_has(hay, needle)                                                \
    do {                                                                       \
        if (!strstr((hay), (needle)))                                          \
            fail_msg("missing \"%s\" in:\n%s", (needle), (hay));               \
    } while (0)

static void
test_format_parse(void **state)
{
    (void)state;
    assert_int_equal(cl_format_parse("json"), CL_FORMAT_JSON);
    assert_int_equal(cl_format_parse("md"), CL_FORMAT_MD);
    assert_int_equal(cl_format_parse("csv"), CL_FORMAT_CSV);
    assert_int_equal(cl_format_parse("html"), CL_FORMAT_HTML);
    assert_int_equal(cl_format_parse("pdf"), -1);
    assert_int_equal(cl_format_parse(""), -1);
}

static void
test_labels(void **state)
{
    (void)state;
    char b[64];
    cl__label("arr_lost", b, sizeof b);
    assert_string_equal(b, "ARR lost");
    cl__label("cohort_size", b, sizeof b);
    assert_string_equal(b, "Cohort size");
    cl__label("churn_12m", b, sizeof b);
    assert_string_equal(b, "12-month churn");
    cl__label("cs_hours_per_account", b, sizeof b);
    assert_string_equal(b, "CS hours per account");
    cl__label("icp_version", b, sizeof b);
    assert_string_equal(b, "ICP version");
    cl__label("csms", b, sizeof b);
    assert_string_equal(b, "CSMs");
    cl__label("ae_ids", b, sizeof b);
    assert_string_equal(b, "AE ids");
}

static void
test_md_bad_fit(void **state)
{
    (void)state;
    char *md = render("bad-fit", "Quarterly bad-fit review", CL_FORMAT_MD);
    /* Title with the period; revenue impact leads, in its own section. */
    const char *head = "# Quarterly bad-fit review \xe2\x80\x94 2026Q3\n\n"
                       "## Impact\n\n- **ARR lost:** 1,234,567.50\n";
    assert_true(strncmp(md, head, strlen(head)) == 0);
    assert_has(md, "- **Expansion ARR:** 42,000\n");
    assert_has(md, "- **NRR points:** -3.25\n");
    assert_has(md, "_Well-fit: accounts with no bad-fit tag in the cohort._");
    /* Scalars after a section are not read as part of it. */
    assert_has(md, "## Key figures\n\n- **Cohort size:** 41\n");
    assert_has(md, "- **Sales attributable share:** 50.0%\n");
    assert_has(md, "- **Days to notification:** \xe2\x80\x94\n");
    /* The categories table: interval folded into the share column,
       thresholds as percentages, numbers right-aligned. */
    assert_has(md, "| Category | Count | Share (95% CI) | Threshold | Fired |\n"
                   "| --- | ---: | ---: | ---: | --- |\n");
    assert_has(md, "| wrong_icp | 15 | 36.6% (23.6\xe2\x80\x93"
                   "51.7%) | 25.0% | yes |\n");
    assert_has(md, "| misaligned_use_case | 6 | 14.6% (6.9\xe2\x80\x93"
                   "28.4%) | 20.0% | no |\n");
    assert_null(strstr(md, "CI low"));
    /* Strings as bullets; a pipe in a table cell is escaped. */
    assert_has(md, "## Profile markers\n\n- Teams under 20 people\n"
                   "- No ops function | manual\n");
    free(md);
}

static void
test_md_icp(void **state)
{
    (void)state;
    char *md = render("icp", "Quarterly ICP review", CL_FORMAT_MD);
    assert_has(md, "## 12-month churn, all customers\n\n"
                   "- **Customers:** 1,200\n- **Churned:** 180\n"
                   "- **12-month churn:** 15.0% (13.0\xe2\x80\x93"
                   "17.1%)\n\n");
    assert_has(md, "| employees_band | 1-19 | 200 | 80 | 42.7% "
                   "(38.1\xe2\x80\x93"
                   "47.4%) | 2.85x |\n");
    /* Groups become subsections with their points as a table. */
    assert_has(md, "## Retention\n\n### 2025\n\n- **Customers:** 300\n\n"
                   "#### Points\n\n| Day | At risk | Survival (95% CI) |\n");
    assert_has(md, "| 90 | 290 | 96.0% (93.0\xe2\x80\x93"
                   "97.8%) |\n");
    assert_has(md, "| 0 | 300 | 100.0% |\n");
    assert_has(md, "_Suggested, not applied._");
    free(md);
}

static void
test_csv_sections_and_quoting(void **state)
{
    (void)state;
    char *csv = render("bad-fit", "Quarterly bad-fit review", CL_FORMAT_CSV);
    /* The scalars first, dotted for nested objects, raw numbers. */
    const char *head = "# summary\nfield,value\nperiod,2026Q3\n"
                       "impact.arr_lost,1234567.5\n";
    assert_true(strncmp(csv, head, strlen(head)) == 0);
    assert_has(csv, "impact.note,Well-fit: accounts with no bad-fit tag in "
                    "the cohort.\ncohort_size,41\n");
    /* One section per table, each after a blank line. */
    assert_int_equal(count(csv, "\n\n# "), 2);
    assert_int_equal(count(csv, "# "), 3);
    free(csv);
}

static void
test_csv_tables(void **state)
{
    (void)state;
    char *csv = render("bad-fit", "Quarterly bad-fit review", CL_FORMAT_CSV);
    assert_has(csv, "days_to_notification,\n\n# categories\n"
                    "category,count,share,ci_low,ci_high,threshold,fired\n"
                    "wrong_icp,15,0.365854,0.236,0.5171,0.25,true\n");
    assert_has(csv, "<script>alert(1)</script>,4,");
    /* RFC 4180: a cell with a comma or quotes is quoted, quotes doubled. */
    assert_has(csv, "\n\n# triggers\nkind,due_on,rule,note\n"
                    "icp_review,2026-12-23,wrong_icp_share,\"Opens an ICP "
                    "review, with a, comma and \"\"quotes\"\"\"\n");
    assert_has(csv, "profile_markers,Teams under 20 people; No ops function "
                    "| manual\n");
    free(csv);

    /* Nested arrays in rows are joined; group tables are flattened. */
    csv = render("pipeline", "Open pipeline at risk", CL_FORMAT_CSV);
    assert_has(csv, "# deals\ndeal_id,account_id,arr,stage,flags,causes\n"
                    "D-1,A-1,24000,proposal,outside_icp: employees 12 < 20; "
                    "slow_to_demo: 52 days before first demo,"
                    "icp_miss: 2; pricing: 1\n");
    free(csv);
    csv = render("icp", "Quarterly ICP review", CL_FORMAT_CSV);
    assert_has(csv, "# retention\ncohort,customers,day,at_risk,survival,"
                    "ci_low,ci_high\n2025,300,0,300,1,,\n"
                    "2025,300,90,290,0.96,0.93,0.978\n");
    assert_has(csv, "2026,200,120,150,0.92,0.87,0.95\n");
    assert_has(csv, "icp_version.criteria,employees >= 20 and "
                    "has_ops_function = true\n");
    free(csv);
    csv = render("health", "Loop health", CL_FORMAT_CSV);
    assert_has(csv, "# quarters\nperiod,check,pass,value,target,note\n"
                    "2026Q3,repeating_cause,false,icp_miss,,icp_miss in the "
                    "top 3 for 4 quarters\n");
    free(csv);
}

static void
test_html_escaped_and_offline(void **state)
{
    (void)state;
    char *html = render("bad-fit", "Quarterly bad-fit review", CL_FORMAT_HTML);
    assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    assert_has(html, "<h1>Quarterly bad-fit review &mdash; 2026Q3</h1>");
    assert_null(strstr(html, "<script"));
    assert_has(html, "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_has(html, "&quot;quotes&quot;");
    assert_null(strstr(html, "http://"));
    assert_null(strstr(html, "https://"));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "<img"));
    /* One chart: the categories; accessible, with the table beside it. */
    assert_int_equal(count(html, "<svg"), 1);
    assert_int_equal(count(html, "</svg>"), 1);
    assert_has(html, "aria-label=\"Categories: Share with 95% intervals\"");
    assert_has(html, "<title id=\"chart1-t\">Categories: Share");
    assert_has(html, "<td class=\"num\">36.6% (23.6\xe2\x80\x93"
                     "51.7%)</td>");
    assert_int_equal(count(html, "class=\"thr\""), 3);
    free(html);
}

static void
test_html_charts(void **state)
{
    (void)state;
    char *html = render("icp", "Quarterly ICP review", CL_FORMAT_HTML);
    /* Segments: one chart per dimension; retention: one KM chart. */
    assert_int_equal(count(html, "<svg"), 3);
    assert_int_equal(count(html, "<title id=\"chart"), 3);
    assert_has(html, "aria-label=\"Segments by Employees band: 12-month "
                     "churn with 95% intervals\"");
    assert_has(html, "aria-label=\"Retention: Kaplan-Meier survival");
    assert_has(html, "Days since start</text>");
    assert_has(html, "fill-opacity=\"0.15\"");
    assert_null(strstr(html, "http"));
    free(html);
    html = render("pipeline", "Open pipeline at risk", CL_FORMAT_HTML);
    assert_int_equal(count(html, "<svg"), 0);
    assert_has(html, "<td>outside_icp: employees 12 &lt; 20; slow_to_demo: "
                     "52 days before first demo</td>");
    assert_has(html, "<td class=\"num\">1,500,000</td>");
    /* A dictionary in a row reads as its pairs. */
    assert_has(html, "<td>icp_miss: 2; pricing: 1</td>");
    free(html);
}

static void
test_json_roundtrip(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/render/icp.json", CL_TEST_DATA_DIR);
    json_t *want = json_load_file(path, 0, NULL);
    char *text = render("icp", "Quarterly ICP review", CL_FORMAT_JSON);
    json_t *got = json_loads(text, 0, NULL);
    assert_non_null(got);
    assert_true(json_equal(got, want));
    /* Indented, in the builder's order. */
    assert_true(strncmp(text, "{\n  \"period\": \"2026Q3\",\n", 24) == 0);
    json_decref(got);
    json_decref(want);
    free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parse),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_md_bad_fit),
        cmocka_unit_test(test_md_icp),
        cmocka_unit_test(test_csv_sections_and_quoting),
        cmocka_unit_test(test_csv_tables),
        cmocka_unit_test(test_html_escaped_and_offline),
        cmocka_unit_test(test_html_charts),
        cmocka_unit_test(test_json_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
