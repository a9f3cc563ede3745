/*
 * Unit tests: analytics/survival against R's survival 3.5-3 (Debian 12).
 * tests/data/lung.csv and aml.csv are R's own data sets, exported with
 * write.csv(lung, "tests/data/lung.csv", row.names = FALSE) (and aml).
 * In lung, status is 1 censored / 2 dead.  Expected values were printed by
 * the R call beside them with sprintf("%.17g", ...) or digits = 17.
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

#include "analytics/stats.h"
#include "analytics/survival.h"

#define assert_rel(a, b, eps) assert_near((a), (b), (eps)*fabs(b))

typedef struct lung {
    size_t n;
    double time[300];
    int event[300];
    size_t sex[300]; /* 0 male, 1 female (R: 1, 2) */
    int ecog[300];   /* ph.ecog, -1 for NA */
} lung;

/* Fields of one CSV line without quotes inside fields (true of lung). */
static size_t
split(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *s = line;
    while (n < max) {
        f[n++] = s;
        char *c = strchr(s, ',');
        if (!c)
            break;
        *c = '\0';
        s = c + 1;
    }
    return n;
}

static void
load_lung(lung *l)
{
    FILE *fp = fopen(CL_TEST_DATA_DIR "/lung.csv", "r");
    assert_non_null(fp);
    char line[512];
    char *f[16] = {0};
    assert_non_null(fgets(line, sizeof line, fp)); /* header */
    l->n = 0;
    while (fgets(line, sizeof line, fp) && l->n < 300) {
        size_t nf = split(line, f, 16);
        assert_int_equal(nf, 10);
        l->time[l->n] = strtod(f[1], NULL);
        l->event[l->n] = atoi(f[2]) == 2;
        l->sex[l->n] = (size_t)(atoi(f[4]) - 1);
        l->ecog[l->n] = strcmp(f[5], "NA") == 0 ? -1 : atoi(f[5]);
        l->n++;
    }
    fclose(fp);
    assert_int_equal(l->n, 228);
}

/* survfit(Surv(time, status) ~ 1, data = lung, conf.type = "log-log");
 * printed with sprintf for fit$time[i] etc. */
static void
test_km_lung_steps(void **state)
{
    (void)state;
    static lung l;
    load_lung(&l);
    cl_km km;
    cl_error err;
    assert_int_equal(cl_km_fit(l.time, l.event, l.n, CL_STATS_Z95, &km, &err),
                     CL_OK);
    /* length(fit$time) */
    assert_int_equal(km.n_steps, 186);
    struct {
        size_t i; /* R's 1-based row */
        double time, n_risk, n_event, n_censor, surv, std_err, lower, upper;
    } want[] = {
        {1, 5, 228, 1, 0, 0.99561403508771928, 0.0043956150117626372,
         0.96927703621888861, 0.9993810114387387},
        {2, 11, 227, 3, 0, 0.98245614035087714, 0.0088499040675598592,
         0.95393523020608173, 0.99337913278953949},
        {10, 54, 215, 1, 0, 0.9385964912280701, 0.016939075653086281,
         0.89851935662780025, 0.9631679152778857},
        {50, 182, 157, 1, 0, 0.70805422598693635, 0.042749126048573727,
         0.64399545484477816, 0.76273835277391822},
        {100, 288, 98, 1, 0, 0.54190018119856653, 0.063562613993816838,
         0.47197752678541738, 0.60656554445344069},
        {150, 520, 38, 1, 0, 0.27822974788020632, 0.12526956515368498,
         0.21225334396497728, 0.34787675610404534},
        {186, 1022, 1, 0, 1, 0.050345568070810462, 0.45382443364127478,
         0.017866171092852667, 0.10866217603091873},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        const cl_km_step *s = &km.steps[want[k].i - 1];
        assert_near(s->time, want[k].time, 0.0);
        assert_near(s->n_risk, want[k].n_risk, 0.0);
        assert_near(s->n_event, want[k].n_event, 0.0);
        assert_near(s->n_censor, want[k].n_censor, 0.0);
        assert_near(s->surv, want[k].surv, 1e-12);
        assert_near(s->std_err, want[k].std_err, 1e-12);
        assert_near(s->var, pow(want[k].surv * want[k].std_err, 2), 1e-12);
        assert_near(s->lower, want[k].lower, 1e-10);
        assert_near(s->upper, want[k].upper, 1e-10);
    }
    cl_km_free(&km);
    assert_null(km.steps);
    assert_int_equal(km.n_steps, 0);
}

/* s <- summary(fit, times = c(0, 100, 365, 500, 1000));
 * cbind(s$time, s$n.risk, s$surv, s$std.err, s$lower, s$upper) */
static void
test_km_lung_at_times(void **state)
{
    (void)state;
    static lung l;
    load_lung(&l);
    cl_km km;
    cl_error err;
    assert_int_equal(cl_km_fit(l.time, l.event, l.n, CL_STATS_Z95, &km, &err),
                     CL_OK);
    struct {
        double t, n_risk, surv, se, lower, upper;
    } want[] = {
        {0, 228, 1, 0, 1, 1},
        {100, 196, 0.863968967645243557, 0.022710230434161833,
         0.812222319753539312, 0.90231018051504364},
        /* S(365): 0.4092 as with the log transform, but log-log bounds */
        {365, 65, 0.409241624460064402, 0.035823638172037771,
         0.338714269088323305, 0.47838076764691440},
        {500, 41, 0.293269193711568843, 0.035077818498618657,
         0.226503677118074453, 0.36302859968418305},
        {1000, 2, 0.050345568070810462, 0.022848048916083805,
         0.017866171092852667, 0.10866217603091873},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        cl_km_point pt;
        cl_km_at(&km, want[k].t, &pt);
        assert_near(pt.n_risk, want[k].n_risk, 0.0);
        assert_near(pt.surv, want[k].surv, 1e-12);
        assert_near(pt.se_surv, want[k].se, 1e-12);
        assert_near(pt.lower, want[k].lower, 1e-10);
        assert_near(pt.upper, want[k].upper, 1e-10);
    }
    /* summary(fit)$table: median 310, 0.95LCL 284, 0.95UCL 361 */
    double med, lo, hi;
    cl_km_median(&km, &med, &lo, &hi);
    assert_near(med, 310, 0.0);
    assert_near(lo, 284, 0.0);
    assert_near(hi, 361, 0.0);
    cl_km_free(&km);
}

/* fa <- survfit(Surv(time, status) ~ 1, data = aml, conf.type = "log-log") */
static void
test_km_aml(void **state)
{
    (void)state;
    /* aml, both arms, in the order of tests/data/aml.csv */
    double t[] = {9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5,
                  5, 8,  8,  12, 16, 23, 27, 30, 33, 43, 45};
    int e[] = {1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1,
               1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1};
    cl_km km;
    cl_error err;
    assert_int_equal(cl_km_fit(t, e, 23, CL_STATS_Z95, &km, &err), CL_OK);
    assert_int_equal(km.n_steps, 18);
    /* row 5: time 13, n.risk 17, 1 event and 1 censoring at the same time */
    const cl_km_step *s = &km.steps[4];
    assert_near(s->time, 13, 0.0);
    assert_near(s->n_risk, 17, 0.0);
    assert_near(s->n_event, 1, 0.0);
    assert_near(s->n_censor, 1, 0.0);
    assert_near(s->surv, 0.695652173913043459, 1e-12);
    assert_near(s->std_err, 0.137919321091842628, 1e-12);
    assert_near(s->lower, 0.4656417497620039536, 1e-10);
    assert_near(s->upper, 0.84172129139176310, 1e-10);
    /* row 17: time 48 */
    s = &km.steps[16];
    assert_near(s->surv, 0.082815734989648032, 1e-12);
    assert_near(s->std_err, 0.877391241080104245, 1e-12);
    assert_near(s->lower, 0.0069559667985364575, 1e-10);
    assert_near(s->upper, 0.28676036798091808, 1e-10);
    /* summary(fa)$table: median 27, 0.95LCL 13, 0.95UCL 34 */
    double med, lo, hi;
    cl_km_median(&km, &med, &lo, &hi);
    assert_near(med, 27, 0.0);
    assert_near(lo, 13, 0.0);
    assert_near(hi, 34, 0.0);
    cl_km_free(&km);
}

/*
 * tt <- c(1,2,2,2,3,4,4,5,6,6); ss <- c(0,1,1,0,1,0,1,1,0,0)
 * f <- survfit(Surv(tt, ss) ~ 1, conf.type = "log-log")
 * Events and censorings tie at 2 and at 4: the censored subject is still at
 * risk for the events, so S(2) = 1 - 2/9, not 1 - 2/8.
 */
static void
test_km_ties(void **state)
{
    (void)state;
    double t[] = {6, 2, 1, 4, 2, 3, 2, 5, 4, 6}; /* deliberately unsorted */
    int e[] = {0, 1, 0, 1, 0, 1, 1, 1, 0, 0};
    cl_km km;
    cl_error err;
    assert_int_equal(cl_km_fit(t, e, 10, CL_STATS_Z95, &km, &err), CL_OK);
    assert_int_equal(km.n_steps, 6);
    /* cbind(f$time, f$n.risk, f$n.event, f$n.censor, f$surv, f$std.err,
     *       f$lower, f$upper) */
    struct {
        double time, n_risk, n_event, n_censor, surv, std_err, lower, upper;
    } want[] = {
        {1, 10, 0, 1, 1, 0, NAN, NAN},
        {2, 9, 2, 1, 0.77777777777777779, 0.17817416127494959,
         0.364751231165473810, 0.93929644248660182},
        {3, 6, 1, 0, 0.64814814814814814, 0.25510657592340708,
         0.253174594385995766, 0.87206762779799019},
        {4, 5, 1, 1, 0.51851851851851849, 0.33923349639940492,
         0.164066650345816606, 0.78768893349845381},
        {5, 3, 1, 0, 0.34567901234567899, 0.53079754308590366,
         0.059098019209992657, 0.67104547907516854},
        {6, 2, 0, 2, 0.34567901234567899, 0.53079754308590366,
         0.059098019209992657, 0.67104547907516854},
    };
    for (size_t k = 0; k < 6; k++) {
        const cl_km_step *s = &km.steps[k];
        assert_near(s->time, want[k].time, 0.0);
        assert_near(s->n_risk, want[k].n_risk, 0.0);
        assert_near(s->n_event, want[k].n_event, 0.0);
        assert_near(s->n_censor, want[k].n_censor, 0.0);
        assert_near(s->surv, want[k].surv, 1e-14);
        assert_near(s->std_err, want[k].std_err, 1e-14);
        if (isnan(want[k].lower)) {
            /* R: NA where S = 1 */
            assert_true(isnan(s->lower) && isnan(s->upper));
        } else {
            assert_near(s->lower, want[k].lower, 1e-12);
            assert_near(s->upper, want[k].upper, 1e-12);
        }
    }
    /* s <- summary(f, times = c(0.5, 2.5, 7), extend = TRUE) */
    cl_km_point pt;
    cl_km_at(&km, 0.5, &pt);
    assert_near(pt.surv, 1, 0.0);
    assert_near(pt.n_risk, 10, 0.0);
    assert_near(pt.lower, 1, 0.0);
    assert_near(pt.upper, 1, 0.0);
    cl_km_at(&km, 2.5, &pt);
    assert_near(pt.n_risk, 6, 0.0);
    assert_near(pt.surv, 0.77777777777777779, 1e-14);
    assert_near(pt.se_surv, 0.13857990321384969, 1e-14);
    assert_near(pt.lower, 0.364751231165473810, 1e-12);
    cl_km_at(&km, 7, &pt);
    assert_near(pt.n_risk, 0, 0.0);
    assert_near(pt.surv, 0.34567901234567899, 1e-14);
    assert_near(pt.se_surv, 0.18348557044944816, 1e-14);
    assert_near(pt.upper, 0.67104547907516854, 1e-12);
    /* summary(f)$table: median 5, 0.95LCL 2, 0.95UCL NA */
    double med, lo, hi;
    cl_km_median(&km, &med, &lo, &hi);
    assert_near(med, 5, 0.0);
    assert_near(lo, 2, 0.0);
    assert_true(isnan(hi));
    cl_km_free(&km);
}

/*
 * The median where S sits exactly at 0.5.
 * survfit(Surv(c(1,2,3,4,5,6), c(1,1,1,0,1,0)) ~ 1): S = 0.5 from 3 until
 * the drop at 5; print() gives median 4, the midpoint of 3 and 5.
 * survfit(Surv(c(1,2,3,4), c(1,1,0,0)) ~ 1): S = 0.5 from 2 to the end;
 * print() gives 2 (quantile() would give 3; we follow print()).
 */
static void
test_km_median_flat_half(void **state)
{
    (void)state;
    cl_km km;
    cl_error err;
    double t1[] = {1, 2, 3, 4, 5, 6};
    int e1[] = {1, 1, 1, 0, 1, 0};
    assert_int_equal(cl_km_fit(t1, e1, 6, CL_STATS_Z95, &km, &err), CL_OK);
    double med, lo, hi;
    cl_km_median(&km, &med, &lo, &hi);
    assert_near(med, 4, 0.0);
    assert_near(lo, 1, 0.0); /* 0.95LCL 1, 0.95UCL NA */
    assert_true(isnan(hi));
    cl_km_free(&km);

    double t2[] = {1, 2, 3, 4};
    int e2[] = {1, 1, 0, 0};
    assert_int_equal(cl_km_fit(t2, e2, 4, CL_STATS_Z95, &km, &err), CL_OK);
    cl_km_median(&km, &med, NULL, NULL);
    assert_near(med, 2, 0.0);
    cl_km_free(&km);
}

/* survfit(Surv(c(1,2,2,3,3), c(1,1,0,1,1)) ~ 1): the curve reaches 0; R's
 * std.err is Inf and the bounds NA there; median 3. */
static void
test_km_to_zero_and_errors(void **state)
{
    (void)state;
    cl_km km;
    cl_error err;
    double t[] = {1, 2, 2, 3, 3};
    int e[] = {1, 1, 0, 1, 1};
    assert_int_equal(cl_km_fit(t, e, 5, CL_STATS_Z95, &km, &err), CL_OK);
    assert_int_equal(km.n_steps, 3);
    assert_near(km.steps[1].surv, 0.6, 1e-15);
    assert_near(km.steps[1].std_err, 0.3651484, 1e-7);
    assert_near(km.steps[2].surv, 0.0, 0.0);
    assert_true(isinf(km.steps[2].std_err));
    assert_true(isnan(km.steps[2].lower) && isnan(km.steps[2].upper));
    double med;
    cl_km_median(&km, &med, NULL, NULL);
    assert_near(med, 3, 0.0);
    cl_km_free(&km);

    int bad[] = {1, 2, 0, 1, 1};
    assert_int_equal(cl_km_fit(t, bad, 5, CL_STATS_Z95, &km, &err), CL_EINVAL);
    assert_null(km.steps);
    double neg[] = {1, -2, 2, 3, 3};
    assert_int_equal(cl_km_fit(neg, e, 5, CL_STATS_Z95, &km, &err), CL_EINVAL);
    assert_int_equal(cl_km_fit(t, e, 0, CL_STATS_Z95, &km, &err), CL_EINVAL);
    cl_km_free(&km);
}

/* sd <- survdiff(Surv(time, status) ~ sex, data = lung);
 * sd$chisq, pchisq(sd$chisq, 1, lower.tail = FALSE), sd$obs, sd$exp */
static void
test_logrank_lung_sex(void **state)
{
    (void)state;
    static lung l;
    load_lung(&l);
    cl_logrank r;
    cl_error err;
    double obs[2], expd[2];
    assert_int_equal(
        cl_logrank_test(l.time, l.event, l.sex, l.n, 2, &r, obs, expd, &err),
        CL_OK);
    assert_near(r.statistic, 10.326741954885632, 1e-9);
    assert_near(r.df, 1, 0.0);
    assert_rel(r.p, 0.0013111645203554882, 1e-8);
    assert_near(obs[0], 112, 0.0);
    assert_near(obs[1], 53, 0.0);
    assert_near(expd[0], 91.581739029572802, 1e-9);
    assert_near(expd[1], 73.418260970427212, 1e-9);
}

/* survdiff(Surv(time, status) ~ ph.ecog, data = lung): four groups (one of
 * a single patient), the one NA row dropped as R drops it. */
static void
test_logrank_lung_ecog(void **state)
{
    (void)state;
    static lung l;
    load_lung(&l);
    static double t[300];
    static int e[300];
    static size_t g[300];
    size_t n = 0;
    for (size_t i = 0; i < l.n; i++)
        if (l.ecog[i] >= 0) {
            t[n] = l.time[i];
            e[n] = l.event[i];
            g[n] = (size_t)l.ecog[i];
            n++;
        }
    assert_int_equal(n, 227);
    cl_logrank r;
    cl_error err;
    double expd[4];
    assert_int_equal(cl_logrank_test(t, e, g, n, 4, &r, NULL, expd, &err),
                     CL_OK);
    /* sd$chisq, length(sd$n) - 1, pchisq(sd$chisq, 3, lower.tail = FALSE) */
    assert_near(r.statistic, 21.962131682476006, 1e-9);
    assert_near(r.df, 3, 0.0);
    assert_rel(r.p, 6.6425353558001711e-05, 1e-8);
    /* sd$exp */
    assert_near(expd[0], 54.152697018922929, 1e-9);
    assert_near(expd[3], 0.1723853406649615, 1e-9);
    /* A group number out of range is refused. */
    g[0] = 4;
    assert_int_equal(cl_logrank_test(t, e, g, n, 4, &r, NULL, NULL, &err),
                     CL_EINVAL);
}

/* survdiff(Surv(time, status) ~ x, data = aml): chisq 3.3963886989776011,
 * p 0.065339322040505132.  Plus a group with no subjects: R leaves it out
 * of the statistic and the df. */
static void
test_logrank_aml(void **state)
{
    (void)state;
    double t[] = {9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5,
                  5, 8,  8,  12, 16, 23, 27, 30, 33, 43, 45};
    int e[] = {1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1,
               1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1};
    size_t g[23];
    for (size_t i = 0; i < 23; i++)
        g[i] = i < 11 ? 0 : 1; /* Maintained, Nonmaintained */
    cl_logrank r;
    cl_error err;
    assert_int_equal(cl_logrank_test(t, e, g, 23, 2, &r, NULL, NULL, &err),
                     CL_OK);
    assert_near(r.statistic, 3.3963886989776011, 1e-10);
    assert_rel(r.p, 0.065339322040505132, 1e-9);
    /* Same data, numbered 0 and 2 of 3 groups: group 1 is empty. */
    for (size_t i = 0; i < 23; i++)
        g[i] = i < 11 ? 0 : 2;
    assert_int_equal(cl_logrank_test(t, e, g, 23, 3, &r, NULL, NULL, &err),
                     CL_OK);
    assert_near(r.statistic, 3.3963886989776011, 1e-10);
    assert_near(r.df, 1, 0.0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_km_lung_steps),
        cmocka_unit_test(test_km_lung_at_times),
        cmocka_unit_test(test_km_aml),
        cmocka_unit_test(test_km_ties),
        cmocka_unit_test(test_km_median_flat_half),
        cmocka_unit_test(test_km_to_zero_and_errors),
        cmocka_unit_test(test_logrank_lung_sex),
        cmocka_unit_test(test_logrank_lung_ecog),
        cmocka_unit_test(test_logrank_aml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
