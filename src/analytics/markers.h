/*
 * markers.h - the profile markers a group of churns shares, in cohort
 * language.
 *
 * For each level of the account and deal attributes a RevOps lead reads
 * segments by (employees band, ops function, champion level, champion tenure
 * band, executive sponsor, ICP-fit band, industry, region, source), compares
 * its share in the group with its share among all customers.  A level is a
 * marker when at least CL_MARKER_MIN_CHURNS of the group have it and its
 * share there is at least CL_MARKER_MIN_RATIO times its share among
 * customers.  Each marker carries a sentence such as "Teams of 1-19
 * employees: 9 of 12 bad-fit churns (75%) vs 22% of customers".
 */
#ifndef CL_MARKERS_H
#define CL_MARKERS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

#define CL_MARKER_MIN_CHURNS 3
#define CL_MARKER_MIN_RATIO 1.5

/*
 * Finds the markers of a group of n churns.
 *
 *   acct, deal  each churn's account row and original deal row (-1 when
 *               unknown: its levels on that side are unknown and count for
 *               no level, but the churn still counts in n).
 *   end         customers are the accounts whose start (a won `new` deal)
 *               is on or before end; their levels come from that deal.
 *   noun        the group in the sentences, e.g. "bad-fit churns".
 *   out         receives a new JSON array of {dimension, value, churns,
 *               share, customers, customer_share, ratio, description},
 *               most churns first, then the higher ratio, then dimension
 *               and level order.  The caller releases it with json_decref.
 *   ncustomers  receives the number of customers compared against (may be
 *               NULL).
 * Returns CL_OK or CL_ENOMEM.
 */
cl_err cl_profile_markers(const cl_snapshot *s, const int32_t *acct,
                          const int32_t *deal, size_t n, cl_day end,
                          const char *noun, json_t **out, size_t *ncustomers,
                          cl_error *err);

#endif
