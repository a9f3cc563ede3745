/*
 * review_answer.h - is a won-deal review answer generic?
 *
 * The review's seven answers are routed to Sales, CS and the shared record;
 * an answer that names nothing ("they seemed enthusiastic", "n/a") routes
 * nothing, so it is flagged and weighs down the health score.  Pure: no
 * I/O, no state.  docs/reviews.md states the rule and its measured
 * precision and recall (tests/unit/test_review_answer.c).
 */
#ifndef CL_REVIEW_ANSWER_H
#define CL_REVIEW_ANSWER_H

/*
 * 1 if answer is generic, with *reason (static text) saying why:
 *
 *   "empty"        nothing but white space (or NULL);
 *   "stock phrase" the whole answer is a stock phrase ("n/a", "tbd",
 *                  "seemed enthusiastic", ...; case, surrounding space and
 *                  a final '.' or '!' ignored);
 *   "vague"        under 8 words with a vague word ("seemed", "supportive",
 *                  "good", ...) even if it names someone ("Priya seemed
 *                  enthusiastic");
 *   "no name, number, date or commitment"
 *                  no anchor (a digit, a name or acronym inside a sentence,
 *                  a month, a number or frequency word, "next year", a stake or
 *                  commitment noun such as "bonus", "contract", "board") and
 * either a vague word or under 10 words.
 *
 * 0 for a specific answer (*reason = NULL).  reason may be NULL.
 */
int cl_review_answer_generic(const char *answer, const char **reason);

#endif
