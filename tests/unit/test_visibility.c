/* Unit tests: docs/design.md section 6 as the pure rules of
   core/visibility.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/record.h"
#include "core/visibility.h"

/* The roles in cl_roles order, each with a user id of its own. */
static cl_viewer
who(const char *role)
{
    cl_viewer v = {"u-someone", role, 0};
    return v;
}

static int
in(const char *role, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(role, *list) == 0)
            return 1;
    return 0;
}

/* Q2/Q5/Q7 and health: the CS side, RevOps, admin, and only the deal's AE. */
static void
test_private_answers(void **state)
{
    static const char *const allowed[] = {"csm",    "cs_manager", "vp_cs",
                                          "revops", "admin",      NULL};
    (void)state;
    cl_vis_rel other_ae = {"u-ae-other", NULL, NULL};
    for (const char *const *r = cl_roles; *r; r++) {
        cl_viewer v = who(*r);
        unsigned deal = cl_vis_fields(&v, CL_VK_DEAL, &other_ae);
        unsigned review = cl_vis_fields(&v, CL_VK_REVIEW, &other_ae);
        int want = in(*r, allowed);
        assert_int_equal(!!(deal & CL_VG_PRIVATE), want);
        assert_int_equal(!!(review & CL_VG_PRIVATE), want);
        /* Everyone internal reads the record itself and Q1/Q4/Q6. */
        assert_true(deal & CL_VG_BASE);
        assert_true(review & CL_VG_BASE);
        assert_true(review & CL_VG_INTERNAL);
    }
    cl_viewer ae = who("ae");
    cl_vis_rel own = {"u-someone", NULL, NULL};
    assert_true(cl_vis_fields(&ae, CL_VK_REVIEW, &own) & CL_VG_PRIVATE);
    assert_true(cl_vis_fields(&ae, CL_VK_DEAL, &own) & CL_VG_PRIVATE);
    /* A sales manager is not the deal's AE, even of its own AE's deal. */
    cl_viewer sm = who("sales_manager");
    cl_vis_rel mine = {"u-ae-1", "u-someone", NULL};
    assert_false(cl_vis_fields(&sm, CL_VK_REVIEW, &mine) & CL_VG_PRIVATE);
}

static void
test_field_groups(void **state)
{
    (void)state;
    assert_int_equal(cl_vis_field_group(CL_VK_REVIEW, "q1"), CL_VG_BASE);
    assert_int_equal(cl_vis_field_group(CL_VK_REVIEW, "q2"), CL_VG_PRIVATE);
    assert_int_equal(cl_vis_field_group(CL_VK_REVIEW, "q3"), CL_VG_INTERNAL);
    assert_int_equal(cl_vis_field_group(CL_VK_REVIEW, "q4"), CL_VG_BASE);
    assert_int_equal(cl_vis_field_group(CL_VK_REVIEW, "q5"), CL_VG_PRIVATE);
    assert_int_equal(cl_vis_field_group(CL_VK_REVIEW, "q6"), CL_VG_INTERNAL);
    assert_int_equal(cl_vis_field_group(CL_VK_REVIEW, "q7"), CL_VG_PRIVATE);
    assert_int_equal(cl_vis_field_group(CL_VK_REVIEW, "gut_read"),
                     CL_VG_PRIVATE);
    assert_int_equal(cl_vis_field_group(CL_VK_DEAL, "health_score"),
                     CL_VG_PRIVATE);
    assert_int_equal(cl_vis_field_group(CL_VK_DEAL, "ae_id"), CL_VG_AE);
    assert_int_equal(cl_vis_field_group(CL_VK_ACCOUNT, "name"), CL_VG_BASE);
}

/* Q3 and the full Q6 never reach a customer-facing export. */
static void
test_customer_facing(void **state)
{
    (void)state;
    for (const char *const *r = cl_roles; *r; r++) {
        cl_viewer v = {"u-someone", *r, 1};
        assert_false(cl_vis_fields(&v, CL_VK_REVIEW, NULL) & CL_VG_INTERNAL);
        v.customer_facing = 0;
        assert_true(cl_vis_fields(&v, CL_VK_REVIEW, NULL) & CL_VG_INTERNAL);
    }
}

/* Coaching: the AE concerned, that AE's manager, vp_sales, revops. */
static void
test_coaching(void **state)
{
    (void)state;
    cl_vis_rel item = {"u-ae-1", "u-sm-1", "ae"};
    for (const char *const *r = cl_roles; *r; r++) {
        cl_viewer v = who(*r);
        int want = !strcmp(*r, "vp_sales") || !strcmp(*r, "revops");
        assert_int_equal(cl_vis_fields(&v, CL_VK_COACHING, &item) != 0, want);
    }
    cl_viewer ae = {"u-ae-1", "ae", 0}, other = {"u-ae-2", "ae", 0};
    cl_viewer sm = {"u-sm-1", "sales_manager", 0};
    cl_viewer sm2 = {"u-sm-2", "sales_manager", 0};
    assert_true(cl_vis_fields(&ae, CL_VK_COACHING, &item));
    assert_false(cl_vis_fields(&other, CL_VK_COACHING, &item));
    assert_true(cl_vis_fields(&sm, CL_VK_COACHING, &item));
    assert_false(cl_vis_fields(&sm2, CL_VK_COACHING, &item));
    cl_viewer admin = who("admin"), mkt = who("marketing");
    assert_false(cl_vis_may_list(&admin, CL_VK_COACHING));
    assert_false(cl_vis_may_list(&mkt, CL_VK_COACHING));
}

/* Marketing never sees individual AE data. */
static void
test_marketing(void **state)
{
    (void)state;
    cl_viewer m = who("marketing");
    cl_vis_rel ae_user = {"u-ae-1", NULL, "ae"};
    cl_vis_rel csm_user = {"u-csm-1", NULL, "csm"};
    assert_false(cl_vis_fields(&m, CL_VK_DEAL, NULL) & CL_VG_AE);
    assert_int_equal(cl_vis_fields(&m, CL_VK_USER, &ae_user), 0);
    assert_true(cl_vis_fields(&m, CL_VK_USER, &csm_user));
    cl_viewer csm = who("csm");
    assert_true(cl_vis_fields(&csm, CL_VK_DEAL, NULL) & CL_VG_AE);
    assert_true(cl_vis_fields(&csm, CL_VK_USER, &ae_user));
    int priv;
    assert_false(cl_vis_report(&m, "pipeline", 0, &priv));
    assert_true(cl_vis_report(&m, "bad-fit", 0, &priv));
}

/* Team reports for all; a private view only for revops and vp_sales, and
   only where the report has one. */
static void
test_reports(void **state)
{
    (void)state;
    static const char *const team[] = {"monthly",  "bad-fit", "icp",
                                       "recovery", "health",  NULL};
    for (const char *const *r = cl_roles; *r; r++) {
        cl_viewer v = who(*r);
        int priv = -1;
        for (const char *const *t = team; *t; t++) {
            assert_true(cl_vis_report(&v, *t, 0, &priv));
            assert_int_equal(priv, 0);
        }
        int may = (!strcmp(*r, "revops") || !strcmp(*r, "vp_sales"));
        cl_vis_report(&v, "bad-fit", 1, &priv);
        assert_int_equal(priv, may);
        cl_vis_report(&v, "icp", 1, &priv);
        assert_int_equal(priv, 0);
        assert_int_equal(cl_vis_report(&v, "audit", 0, &priv),
                         !strcmp(*r, "csm") || !strcmp(*r, "cs_manager") ||
                             !strcmp(*r, "vp_cs") || !strcmp(*r, "revops") ||
                             !strcmp(*r, "admin"));
    }
}

static void
test_actions_and_own_records(void **state)
{
    (void)state;
    cl_viewer csm = {"u-csm-1", "csm", 0}, ae = {"u-ae-1", "ae", 0};
    cl_viewer revops = who("revops"), vps = who("vp_sales");
    assert_true(cl_vis_may(&csm, CL_VA_CHURN_TAG, NULL));
    assert_false(cl_vis_may(&ae, CL_VA_CHURN_TAG, NULL));
    assert_false(cl_vis_may(&vps, CL_VA_SETTINGS, NULL));
    assert_true(cl_vis_may(&revops, CL_VA_SETTINGS, NULL));
    assert_true(cl_vis_may(&revops, CL_VA_SESSION_CLOSE, NULL));
    assert_false(cl_vis_may(&csm, CL_VA_SESSION_CLOSE, NULL));
    cl_vis_rel mine = {"u-ae-1", NULL, NULL}, theirs = {"u-csm-1", NULL, NULL};
    assert_true(cl_vis_may(&ae, CL_VA_INBOX_READ, &mine));
    assert_false(cl_vis_may(&ae, CL_VA_INBOX_READ, &theirs));
    assert_false(cl_vis_may(&revops, CL_VA_INBOX_READ, &theirs));
    assert_true(cl_vis_may(&ae, CL_VA_CHANGE_CHECKIN, &mine));
    assert_false(cl_vis_may(&csm, CL_VA_CHANGE_CHECKIN, &mine));
    /* Issue 14: only the deal's own AE answers its review questions; the
       CSM (not the AE) records the review. */
    cl_viewer ae2 = {"u-ae-2", "ae", 0};
    assert_true(cl_vis_may(&ae, CL_VA_REVIEW_ANSWER, &mine));
    assert_false(cl_vis_may(&ae2, CL_VA_REVIEW_ANSWER, &mine));
    assert_false(cl_vis_may(&csm, CL_VA_REVIEW_ANSWER, &mine));
    assert_false(cl_vis_may(&revops, CL_VA_REVIEW_ANSWER, &mine));
    assert_false(cl_vis_may(&ae, CL_VA_REVIEW_ANSWER, NULL));
    assert_true(cl_vis_may(&csm, CL_VA_REVIEW_RECORD, NULL));
    assert_false(cl_vis_may(&ae, CL_VA_REVIEW_RECORD, NULL));
    /* The CSM's flags are internal, like the full Q6. */
    assert_int_equal(cl_vis_field_group(CL_VK_REVIEW, "implementation_risk"),
                     CL_VG_INTERNAL);
    assert_int_equal(cl_vis_field_group(CL_VK_REVIEW, "csm_note"),
                     CL_VG_INTERNAL);
    /* Tasks: the assignee, the assignee's manager, RevOps and admin. */
    cl_vis_rel task = {"u-ae-1", "u-sm-1", NULL};
    cl_viewer sm = {"u-sm-1", "sales_manager", 0};
    assert_true(cl_vis_fields(&ae, CL_VK_TASK, &task));
    assert_true(cl_vis_fields(&sm, CL_VK_TASK, &task));
    assert_false(cl_vis_fields(&csm, CL_VK_TASK, &task));
    /* An unknown role or no user sees nothing. */
    cl_viewer bad = {"u-x", "boss", 0}, anon = {NULL, "revops", 0};
    assert_int_equal(cl_vis_fields(&bad, CL_VK_ACCOUNT, NULL), 0);
    assert_int_equal(cl_vis_fields(&anon, CL_VK_ACCOUNT, NULL), 0);
    /* The audit trail needs every field group of the record. */
    cl_vis_rel deal = {"u-ae-1", NULL, NULL};
    assert_true(cl_vis_audit(&ae, CL_VK_DEAL, &deal));
    assert_false(cl_vis_audit(&vps, CL_VK_DEAL, &deal));
    assert_true(cl_vis_audit(&csm, CL_VK_DEAL, &deal));
}

/* ---- filters and sort orders ------------------------------------------ */

/* The record kinds the API lists, as the visibility rules name them. */
static const struct {
    cl_kind kind;
    cl_vis_kind vk;
} listed[] = {
    {CL_KIND_USERS, CL_VK_USER},          {CL_KIND_ACCOUNTS, CL_VK_ACCOUNT},
    {CL_KIND_DEALS, CL_VK_DEAL},          {CL_KIND_CHURNS, CL_VK_CHURN},
    {CL_KIND_RECOVERIES, CL_VK_RECOVERY}, {CL_KIND_REVIEWS, CL_VK_REVIEW},
    {CL_KIND_HOLIDAYS, CL_VK_HOLIDAY},
};

#define PRIV "csm cs_manager vp_cs revops admin"

/*
 * docs/design.md section 6 read as filters: each field not every role reads,
 * with the roles that may filter on it across all records (any) and those that
 * may only within their own (own); every other role is refused.  A field not
 * listed here filters for every role on every record: keys (what a cursor
 * continues after) and names (what `q` searches) among them.
 */
static const struct {
    cl_kind kind;
    const char *field, *any, *own;
} hidden[] = {
    {CL_KIND_DEALS, "ae_id",
     "csm cs_manager ae sales_manager vp_sales vp_cs revops admin", ""},
    {CL_KIND_REVIEWS, "q2", PRIV, "ae"},
    {CL_KIND_REVIEWS, "q5", PRIV, "ae"},
    {CL_KIND_REVIEWS, "q7", PRIV, "ae"},
    {CL_KIND_REVIEWS, "gut_read", PRIV, "ae"},
};

/* 1 if word is one of the space-separated words of list. */
static int
word_in(const char *word, const char *list)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

/* What role should get filtering field of kind, by the table above. */
static cl_vis_filter
expected_filter(cl_kind kind, const char *field, const char *role)
{
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
        if (hidden[i].kind != kind || strcmp(hidden[i].field, field) != 0)
            continue;
        if (word_in(role, hidden[i].any))
            return CL_VF_ANY;
        return word_in(role, hidden[i].own) ? CL_VF_OWN : CL_VF_REFUSE;
    }
    return CL_VF_ANY;
}

/* Every role against every field of every listed kind. */
static void
test_filter_every_role_and_field(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t k = 0; k < sizeof listed / sizeof listed[0]; k++) {
        const cl_kind_def *def = cl_kind_get(listed[k].kind);
        for (size_t f = 0; f < def->nfields; f++) {
            const char *field = def->fields[f].name;
            for (const char *const *r = cl_roles; *r; r++) {
                cl_viewer v = who(*r);
                cl_vis_filter want = expected_filter(listed[k].kind, field, *r);
                cl_vis_filter got = cl_vis_filter_on(&v, listed[k].vk, field);
                if (got != want)
                    fail_msg("%s filtering %s.%s: got %d, want %d", *r,
                             def->name, field, (int)got, (int)want);
                checked++;
            }
        }
    }
    /* Each hidden field is a real field: a renamed one fails here. */
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        assert_true(cl_kind_field_index(cl_kind_get(hidden[i].kind),
                                        hidden[i].field) >= 0);
    assert_true(checked > 9 * 40);
}

/* A customer-facing view filters on no internal field; nobody known
   filters on anything. */
static void
test_filter_outsiders(void **state)
{
    (void)state;
    for (const char *const *r = cl_roles; *r; r++) {
        cl_viewer v = {"u-someone", *r, 1};
        assert_int_equal(cl_vis_filter_on(&v, CL_VK_REVIEW, "q3"),
                         CL_VF_REFUSE);
        assert_int_equal(cl_vis_filter_on(&v, CL_VK_REVIEW, "q6"),
                         CL_VF_REFUSE);
        assert_int_equal(cl_vis_filter_on(&v, CL_VK_REVIEW, "q1"), CL_VF_ANY);
    }
    cl_viewer nobody = {"u-someone", "intern", 0}, anon = {NULL, "revops", 0};
    for (size_t k = 0; k < sizeof listed / sizeof listed[0]; k++) {
        const cl_kind_def *def = cl_kind_get(listed[k].kind);
        for (size_t f = 0; f < def->nfields; f++) {
            const char *field = def->fields[f].name;
            assert_int_equal(cl_vis_filter_on(&nobody, listed[k].vk, field),
                             CL_VF_REFUSE);
            assert_int_equal(cl_vis_filter_on(&anon, listed[k].vk, field),
                             CL_VF_REFUSE);
        }
    }
}

/* CL_VF_OWN keeps exactly the records cl_vis_fields shows the field on. */
static void
test_filter_own_matches_reads(void **state)
{
    (void)state;
    cl_viewer ae = {"u-ae-1", "ae", 0};
    cl_vis_rel mine = {"u-ae-1", "u-sm-1", NULL};
    cl_vis_rel theirs = {"u-ae-2", "u-sm-1", NULL};
    unsigned g = cl_vis_field_group(CL_VK_REVIEW, "gut_read");
    assert_int_equal(cl_vis_filter_on(&ae, CL_VK_REVIEW, "gut_read"),
                     CL_VF_OWN);
    assert_true(cl_vis_fields(&ae, CL_VK_REVIEW, &mine) & g);
    assert_false(cl_vis_fields(&ae, CL_VK_REVIEW, &theirs) & g);
    /* A sales manager's AEs' reviews are not its own. */
    cl_viewer sm = {"u-sm-1", "sales_manager", 0};
    assert_int_equal(cl_vis_filter_on(&sm, CL_VK_REVIEW, "gut_read"),
                     CL_VF_REFUSE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_private_answers),
        cmocka_unit_test(test_field_groups),
        cmocka_unit_test(test_customer_facing),
        cmocka_unit_test(test_coaching),
        cmocka_unit_test(test_marketing),
        cmocka_unit_test(test_reports),
        cmocka_unit_test(test_actions_and_own_records),
        cmocka_unit_test(test_filter_every_role_and_field),
        cmocka_unit_test(test_filter_outsiders),
        cmocka_unit_test(test_filter_own_matches_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
