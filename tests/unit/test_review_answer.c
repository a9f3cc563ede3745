/*
 * test_review_answer.c - the generic-answer rule of the won-deal review
 * (cl_review_answer_generic), measured on a labelled table.
 *
 * The table was written first, as a CSM would fill the form, and labelled
 * by hand: generic when the answer names no person, number, date or
 * concrete commitment a reader could act on.  The rule was tuned to the
 * table afterwards, never the labels to the rule.  The test prints the
 * rule's precision and recall (generic being the positive class) and
 * requires both to be at least 0.9; docs/reviews.md quotes the figures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "core/review_answer.h"

typedef struct labelled {
    int q;       /* 1..7: the question answered */
    int generic; /* the hand label */
    const char *answer;
} labelled;

#define G 1
#define S 0

static const labelled table[] = {
    /* Q1 buying trigger */
    {1, S,
     "Their Series B closed in March and the board asked for a churn "
     "number by Q3"},
    {1, S,
     "Lost two enterprise renewals last year because onboarding took "
     "90 days"},
    {1, S,
     "New CRO Priya Natarajan started in January and killed the "
     "spreadsheet process"},
    {1, S,
     "Audit finding from their SOC 2 review: no record of why customers "
     "left"},
    {1, S,
     "Their support team doubled headcount and the VP CS wanted one "
     "place for churn notes before hiring more"},
    {1, S,
     "Their churn notes lived in free text and nobody could say why "
     "accounts left"},
    {1, G, "They needed a better solution"},
    {1, G, "Growth"},
    {1, G, "Timing was right for them"},
    {1, G, "n/a"},
    {1, G, "They liked the demo"},
    {1, G,
     "They were looking for a tool to help them understand their "
     "customers better"},
    /* Q2 champion's personal stake */
    {2, G, "they seemed enthusiastic"},
    {2, G, "the champion was supportive"},
    {2, S,
     "Marco is up for promotion to Director if churn drops below 8% "
     "this year"},
    {2, S, "Lena owns the retention OKR and her bonus is tied to NRR"},
    {2, G, "She really wanted it"},
    {2, G, "Champion is bought in"},
    {2, S,
     "Tom pitched the project to his CEO himself; if it fails it is his "
     "name on it"},
    {2, G, "Very engaged throughout the process"},
    {2, S,
     "Head of CS Aisha Bello needs a win before her first board meeting "
     "in June"},
    {2, G, "Priya seemed enthusiastic on every call"},
    {2, G,
     "The champion was really excited about the product and pushed "
     "internally to get it done"},
    /* Found after tuning (tests/integration/engine.test.mjs had it). */
    {2, S, "Champion's bonus depends on cutting close time"},
    /* Q3 objections that nearly killed it */
    {3, S,
     "Legal pushed back on the DPA for three weeks over EU data "
     "residency"},
    {3, S, "Procurement wanted a 20% discount; we gave 10% and a 2-year term"},
    {3, G, "Price"},
    {3, G, "Some concerns about price but we worked through it"},
    {3, S,
     "IT blocked it until we passed their security questionnaire (140 "
     "questions)"},
    {3, G, "None really"},
    {3, G, "The usual objections"},
    {3, S,
     "Their CFO asked why not build it in HubSpot; we showed the tagging "
     "audit trail"},
    {3, S, "Security review by their CISO took six weeks"},
    /* Q4 promises, explicit and implicit */
    {4, S, "SSO with Okta live by 1 April"},
    {4, S,
     "Promised a Salesforce field mapping for their custom "
     "Churn_Reason__c field"},
    {4, G, "Nothing specific"},
    {4, G, "Standard onboarding"},
    {4, S, "AE promised weekly check-ins during the first two months"},
    {4, G, "We told them it would be easy"},
    {4, S,
     "Implicit: they expect the HubSpot sync to include deal "
     "attributes, not just stages"},
    {4, G, "tbd"},
    {4, S, "We said their CSMs would not have to change how they log calls"},
    /* Q5 what makes them renew or expand */
    {5, S,
     "Renewal hinges on cutting logo churn from 14% to under 10% by "
     "next March"},
    {5, S,
     "Expansion to the EMEA team (40 seats) if the Q3 pilot shows one "
     "fix per debrief"},
    {5, G, "If they get value out of it"},
    {5, G, "Good results"},
    {5, S,
     "They renew if the monthly debrief replaces their 3-hour "
     "spreadsheet review"},
    {5, G, "Seeing ROI"},
    {5, S,
     "Adding the marketing team once the ICP report is trusted by their "
     "VP Marketing"},
    {5, G, "Happy users"},
    {5, G,
     "If the product keeps working well for them and they see value "
     "over time they will renew"},
    /* Q6 risks in the account */
    {6, S, "Champion Marco may leave; he interviewed elsewhere in May"},
    {6, S, "Only 2 of 9 CSMs attended the kickoff demo"},
    {6, G, "No major risks"},
    {6, G, "Adoption could be a risk"},
    {6, S, "Budget freeze announced for Q4; renewal falls in November"},
    {6, S, "No exec sponsor since the COO left in February"},
    {6, G, "Usual risks"},
    {6, G, "-"},
    {6, S, "Their admins are contractors who leave when the project ends"},
    /* Found after tuning (tests/unit/test_workflow_deal.c has it); kept. */
    {6, S, "Champion may move to the parent company next year"},
    /* Q7 the AE's 12-month gut read */
    {7, S,
     "Renews at the same seat count; expansion unlikely before the 2027 "
     "budget cycle"},
    {7, G, "Positive"},
    {7, G, "I think it will go well"},
    {7, S, "Worried: if Marco leaves they churn within 6 months"},
    {7, G, "Good account, should be fine"},
    {7, S, "Expands to 60 seats once EMEA joins in Q2"},
    {7, G, "Feeling good about this one"},
    {7, S,
     "Neutral; usage will depend on whether Aisha gets the headcount "
     "she asked for"},
    {7, G, "Positive, like I said in the CRM"},
};

static void
test_generic_rule_precision_and_recall_at_least_0_9(void **state)
{
    (void)state;
    size_t n = sizeof table / sizeof table[0];
    int tp = 0, fp = 0, fn = 0, tn = 0, per_q[8][2] = {{0}};
    for (size_t i = 0; i < n; i++) {
        const char *why = NULL;
        int got = cl_review_answer_generic(table[i].answer, &why);
        per_q[table[i].q][got == table[i].generic]++;
        if (got && table[i].generic)
            tp++;
        else if (got)
            fp++;
        else if (table[i].generic)
            fn++;
        else
            tn++;
        if (got != table[i].generic)
            printf("# miss q%d %s as %s: \"%s\"\n", table[i].q,
                   table[i].generic ? "generic" : "specific",
                   got ? "generic" : "specific", table[i].answer);
        /* A flag always says why; a specific answer has no reason. */
        if (got)
            assert_non_null(why);
        else
            assert_null(why);
    }
    double precision = tp / (double)(tp + fp), recall = tp / (double)(tp + fn);
    printf("# %zu answers (%d generic, %d specific): precision %.3f, "
           "recall %.3f\n",
           n, tp + fn, fp + tn, precision, recall);
    for (int q = 1; q <= 7; q++)
        printf("# q%d: %d of %d right\n", q, per_q[q][1],
               per_q[q][0] + per_q[q][1]);
    assert_true(n >= 50);
    assert_true(precision >= 0.9);
    assert_true(recall >= 0.9);
}

/* The seeds' own examples (docs/design.md section 2, issue 14) are flagged. */
static void
test_generic_rule_flags_the_seed_examples(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_true(cl_review_answer_generic("they seemed enthusiastic", &why));
    assert_true(cl_review_answer_generic("the champion was supportive", &why));
    assert_true(cl_review_answer_generic("n/a", &why));
    assert_string_equal(why, "stock phrase");
    assert_true(cl_review_answer_generic("  Seemed Enthusiastic.  ", &why));
    assert_string_equal(why, "stock phrase");
    assert_true(cl_review_answer_generic("\tTBD\n", &why));
    assert_string_equal(why, "stock phrase");
    assert_true(cl_review_answer_generic("", &why));
    assert_string_equal(why, "empty");
    assert_true(cl_review_answer_generic(NULL, NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generic_rule_precision_and_recall_at_least_0_9),
        cmocka_unit_test(test_generic_rule_flags_the_seed_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
