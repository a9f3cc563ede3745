/*
 * testutil.h - what cmocka 1.1.5 (Debian 12) lacks: comparing doubles.
 * Include after <cmocka.h>.
 */
#ifndef CL_TESTUTIL_H
#define CL_TESTUTIL_H

#include <math.h>

/* Fails with both values printed when |a - b| > eps (or either is NaN). */
#define assert_near(a, b, eps)                                                \
    do {                                                                      \
        double a_ = (a), b_ = (b);                                            \
        if (!(fabs(a_ - b_) <= (eps)))                                        \
            fail_msg("%s = %.12g, expected %.12g (+/- %g)", #a, a_, b_,       \
                     (double)(eps));                                          \
    } while (0)

#endif
