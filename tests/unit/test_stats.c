/*
 * Unit tests: analytics/stats against R 4.2 (Debian 12).  Every expected
 * value was printed by the R call in the comment beside it, with
 * sprintf("%.17g", ...).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "analytics/stats.h"

/* |a - b| <= eps * |b|: for values whose scale is far from 1. */
#define assert_rel(a, b, eps) assert_near((a), (b), (eps)*fabs(b))

static void
test_normal_helpers(void **state)
{
    (void)state;
    /* qnorm(0.975) */
    assert_near(cl_stats_qnorm(0.975), 1.9599639845400536, 1e-14);
    assert_near(cl_stats_qnorm(0.975), CL_STATS_Z95, 1e-14);
    /* qnorm(1e-10) */
    assert_near(cl_stats_qnorm(1e-10), -6.3613409024040557, 1e-12);
    /* qnorm(0.3) */
    assert_near(cl_stats_qnorm(0.3), -0.52440051270804067, 1e-14);
    /* qnorm(0.999999) */
    assert_near(cl_stats_qnorm(0.999999), 4.7534243088170891, 1e-9);
    assert_near(cl_stats_qnorm(0.5), 0.0, 0.0);
    assert_true(isinf(cl_stats_qnorm(0.0)) && cl_stats_qnorm(0.0) < 0);
    assert_true(isnan(cl_stats_qnorm(1.5)));
    /* pnorm(-1.5) */
    assert_near(cl_stats_pnorm(-1.5), 0.066807201268858071, 1e-15);
    /* pnorm(8, lower.tail = FALSE) */
    assert_rel(cl_stats_pnorm_upper(8.0), 6.2209605742717849e-16, 1e-12);
}

static void
test_wilson(void **state)
{
    (void)state;
    cl_interval ci;
    cl_error err;
    /* In R:  wil <- function(k, n, z = qnorm(0.975)) { ph <- k/n;
     *   d <- 1 + z^2/n; c <- (ph + z^2/(2*n))/d;
     *   h <- z*sqrt(ph*(1-ph)/n + z^2/(4*n^2))/d; c(c - h, c + h) }   */
    /* wil(24, 41), also prop.test(24, 41, correct = FALSE)$conf.int */
    assert_int_equal(cl_stats_wilson(24, 41, CL_STATS_Z95, &ci, &err), CL_OK);
    assert_near(ci.est, 24.0 / 41.0, 1e-15);
    assert_near(ci.lo, 0.43367103134030138, 1e-12);
    assert_near(ci.hi, 0.72243450545747856, 1e-12);
    /* wil(0, 10): 2.8e-17 (rounding of 0) and 0.27753279986288915 */
    assert_int_equal(cl_stats_wilson(0, 10, CL_STATS_Z95, &ci, &err), CL_OK);
    assert_near(ci.est, 0.0, 0.0);
    assert_near(ci.lo, 0.0, 0.0);
    assert_near(ci.hi, 0.27753279986288915, 1e-12);
    /* wil(10, 10): 0.72246720013711085 and 1 */
    assert_int_equal(cl_stats_wilson(10, 10, CL_STATS_Z95, &ci, &err), CL_OK);
    assert_near(ci.lo, 0.72246720013711085, 1e-12);
    assert_near(ci.hi, 1.0, 0.0);
    /* n == 0: no estimate, the interval is everything. */
    assert_int_equal(cl_stats_wilson(0, 0, CL_STATS_Z95, &ci, &err), CL_OK);
    assert_true(isnan(ci.est));
    assert_near(ci.lo, 0.0, 0.0);
    assert_near(ci.hi, 1.0, 0.0);
    assert_int_equal(cl_stats_wilson(5, 4, CL_STATS_Z95, &ci, &err), CL_EINVAL);
    assert_int_equal(err.code, CL_EINVAL);
    assert_true(strlen(err.msg) > 0);
}

static void
test_risk_ratio(void **state)
{
    (void)state;
    cl_interval ci;
    cl_error err;
    int corr = -1;
    /* rr <- function(a, n1, c, n2, z = qnorm(0.975)) { r <- (a/n1)/(c/n2);
     *   se <- sqrt(1/a - 1/n1 + 1/c - 1/n2);
     *   c(r, exp(log(r) - z*se), exp(log(r) + z*se)) }
     * rr(24, 41, 30, 120) */
    assert_int_equal(
        cl_stats_risk_ratio(24, 41, 30, 120, CL_STATS_Z95, &ci, &corr, &err),
        CL_OK);
    assert_int_equal(corr, 0);
    assert_near(ci.est, 2.3414634146341462, 1e-12);
    assert_near(ci.lo, 1.5648397128695599, 1e-12);
    assert_near(ci.hi, 3.5035223588597635, 1e-12);
    /* A zero count: 0.5 added to each cell, so rr(0.5, 21, 5.5, 31). */
    assert_int_equal(
        cl_stats_risk_ratio(0, 20, 5, 30, CL_STATS_Z95, &ci, &corr, &err),
        CL_OK);
    assert_int_equal(corr, 1);
    assert_near(ci.est, 0.13419913419913418, 1e-12);
    assert_near(ci.lo, 0.0078283735907933496, 1e-12);
    assert_near(ci.hi, 2.3005299135158035, 1e-12);
    /* No subjects on one side: nothing to compare. */
    assert_int_equal(
        cl_stats_risk_ratio(0, 0, 5, 30, CL_STATS_Z95, &ci, NULL, &err), CL_OK);
    assert_true(isnan(ci.est) && isnan(ci.lo) && isnan(ci.hi));
    assert_int_equal(
        cl_stats_risk_ratio(6, 5, 5, 30, CL_STATS_Z95, &ci, NULL, &err),
        CL_EINVAL);
}

static void
test_rate_ratio(void **state)
{
    (void)state;
    cl_interval ci;
    cl_error err;
    int corr = -1;
    /* irr <- function(a, t1, c, t2, z = qnorm(0.975)) {
     *   r <- (a/t1)/(c/t2); se <- sqrt(1/a + 1/c);
     *   c(r, exp(log(r) - z*se), exp(log(r) + z*se)) }
     * irr(12, 340.5, 30, 1200) */
    assert_int_equal(cl_stats_rate_ratio(12, 340.5, 30, 1200.0, CL_STATS_Z95,
                                         &ci, &corr, &err),
                     CL_OK);
    assert_int_equal(corr, 0);
    assert_near(ci.est, 1.4096916299559472, 1e-12);
    assert_near(ci.lo, 0.72174443556731849, 1e-12);
    assert_near(ci.hi, 2.7533714063286361, 1e-12);
    assert_int_equal(
        cl_stats_rate_ratio(0, 100.0, 4, 100.0, CL_STATS_Z95, &ci, &corr, &err),
        CL_OK);
    assert_int_equal(corr, 1);
    assert_near(ci.est, 0.5 / 4.5, 1e-15);
    assert_int_equal(
        cl_stats_rate_ratio(1, 0.0, 4, 100.0, CL_STATS_Z95, &ci, NULL, &err),
        CL_EINVAL);
}

static double
fisher(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    double p = -1.0;
    cl_error err;
    assert_int_equal(cl_stats_fisher_2x2(a, b, c, d, &p, &err), CL_OK);
    return p;
}

static void
test_fisher_small(void **state)
{
    (void)state;
    /* f <- function(a, b, c, d) fisher.test(matrix(c(a, c, b, d), 2))$p.value
     * f(3, 1, 1, 3): symmetric, the mirror table ties the observed one. */
    assert_near(fisher(3, 1, 1, 3), 0.48571428571428582, 1e-12);
    /* f(10, 2, 3, 15) */
    assert_rel(fisher(10, 2, 3, 15), 0.00053672411914343593, 1e-9);
    /* f(1, 9, 11, 3) */
    assert_rel(fisher(1, 9, 11, 3), 0.0027594561852200836, 1e-9);
    /* f(5, 0, 0, 5) */
    assert_rel(fisher(5, 0, 0, 5), 0.0079365079365079395, 1e-9);
    /* f(0, 5, 0, 7): a zero column, one possible table. */
    assert_near(fisher(0, 5, 0, 7), 1.0, 0.0);
    assert_near(fisher(0, 0, 0, 0), 1.0, 0.0);
}

static void
test_fisher_large(void **state)
{
    (void)state;
    /* f(60, 4040, 2500, 47500): far in the tail */
    assert_rel(fisher(60, 4040, 2500, 47500), 6.9177900133844478e-32, 1e-6);
    /* f(1050, 3950, 200000, 800000): a million subjects */
    assert_rel(fisher(1050, 3950, 200000, 800000), 0.0793651011047488, 1e-6);
    /* f(1000, 4000, 200100, 799900): at the mode */
    assert_near(fisher(1000, 4000, 200100, 799900), 0.99999999999999989, 1e-6);
    /* f(150000, 50000, 148000, 52000) */
    assert_rel(fisher(150000, 50000, 148000, 52000), 4.1130329686155959e-13,
               1e-6);
    /* f(2400, 1700, 9000, 41000): 2400/4100 vs 9000/50000, so extreme that
     * R's p underflows to 0; ours must too, not overflow into NaN. */
    assert_near(fisher(2400, 1700, 9000, 41000), 0.0, 1e-300);
    /* The p-value is the same whichever way the table is transposed. */
    assert_near(fisher(1050, 200000, 3950, 800000), 0.0793651011047488,
                1e-6 * 0.0793651011047488);
}

static void
test_bh(void **state)
{
    (void)state;
    cl_error err;
    double p[] = {0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.5, 0.9};
    double q[8];
    /* p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.5, 0.9), "BH") */
    double want[] = {0.04,
                     0.064,
                     0.064,
                     0.04,
                     0.266666666666666666,
                     0.064,
                     0.5714285714285714,
                     0.9};
    assert_int_equal(cl_stats_bh(p, 8, q, &err), CL_OK);
    for (size_t i = 0; i < 8; i++)
        assert_near(q[i], want[i], 1e-15);
    /* In place, with an NA: p.adjust(c(0.02, NA, 0.01, 0.03), "BH") gives
     * 0.03 NA 0.03 0.03 (NA not counted in n). */
    double p2[] = {0.02, NAN, 0.01, 0.03};
    assert_int_equal(cl_stats_bh(p2, 4, p2, &err), CL_OK);
    assert_near(p2[0], 0.03, 1e-15);
    assert_true(isnan(p2[1]));
    assert_near(p2[2], 0.03, 1e-15);
    assert_near(p2[3], 0.03, 1e-15);
    double bad[] = {0.5, 1.5};
    assert_int_equal(cl_stats_bh(bad, 2, q, &err), CL_EINVAL);
    assert_int_equal(cl_stats_bh(p, 0, q, &err), CL_OK);
}

static void
test_chisq(void **state)
{
    (void)state;
    cl_error err;
    cl_chisq r;
    /* m <- matrix(c(12,5,7,9, 8,15,6,3, 4,9,18,10), nrow = 3, byrow = TRUE)
     * chisq.test(m, correct = FALSE): statistic, parameter, p.value */
    double m[] = {12, 5, 7, 9, 8, 15, 6, 3, 4, 9, 18, 10};
    assert_int_equal(cl_stats_chisq(m, 3, 4, &r, &err), CL_OK);
    assert_near(r.statistic, 20.398797216826658, 1e-10);
    assert_near(r.df, 6.0, 0.0);
    assert_rel(r.p, 0.0023510706791158727, 1e-9);
    /* m2 <- matrix(c(120,90,40,30, 80,110,60,20, 20,35,70,95), nrow = 3,
     *              byrow = TRUE); chisq.test(m2, correct = FALSE) */
    double m2[] = {120, 90, 40, 30, 80, 110, 60, 20, 20, 35, 70, 95};
    assert_int_equal(cl_stats_chisq(m2, 3, 4, &r, &err), CL_OK);
    assert_near(r.statistic, 189.13637911199518, 1e-9);
    assert_rel(r.p, 3.8833039307617336e-38, 1e-8);
    /* An empty column: R's expected counts would be 0 and its answer NaN. */
    double m3[] = {1, 0, 2, 3, 0, 4};
    assert_int_equal(cl_stats_chisq(m3, 2, 3, &r, &err), CL_EINVAL);
    assert_non_null(strstr(err.msg, "column 2"));
}

static void
test_incomplete_gamma(void **state)
{
    (void)state;
    /* pgamma(0.5, 3): the series branch */
    assert_rel(cl_stats_gamma_p(3, 0.5), 0.014387677966970687, 1e-12);
    /* pgamma(10, 3, lower.tail = FALSE): the continued fraction */
    assert_rel(cl_stats_gamma_q(3, 10), 0.0027693957155115767, 1e-12);
    /* pgamma(7.3, 7.5): near the branch point */
    assert_rel(cl_stats_gamma_p(7.5, 7.3), 0.51940522823945301, 1e-12);
    assert_near(cl_stats_gamma_p(7.5, 7.3) + cl_stats_gamma_q(7.5, 7.3), 1.0,
                1e-15);
    /* pgamma(150, 100, lower.tail = FALSE) */
    assert_rel(cl_stats_gamma_q(100, 150), 5.9245403354839159e-06, 1e-10);
    /* pchisq(3.84, 1, lower.tail = FALSE) */
    assert_rel(cl_stats_pchisq_upper(3.84, 1), 0.050043521248705224, 1e-12);
    /* pchisq(200, 6, lower.tail = FALSE) */
    assert_rel(cl_stats_pchisq_upper(200, 6), 1.8976107553682281e-40, 1e-10);
    assert_true(isnan(cl_stats_gamma_p(-1, 2)));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normal_helpers),
        cmocka_unit_test(test_wilson),
        cmocka_unit_test(test_risk_ratio),
        cmocka_unit_test(test_rate_ratio),
        cmocka_unit_test(test_fisher_small),
        cmocka_unit_test(test_fisher_large),
        cmocka_unit_test(test_bh),
        cmocka_unit_test(test_chisq),
        cmocka_unit_test(test_incomplete_gamma),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
