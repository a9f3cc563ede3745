/*
 * review_answer.c - the generic-answer rule of the won-deal review.
 *
 * A specific answer is one a reader can act on: it names a person, a
 * number, a date or a concrete commitment.  Those show in the text as
 * anchors (digits, capitalised names inside a sentence, acronyms such as
 * CFO or SSO, months, number and frequency words).  A long answer without
 * anchors may still be concrete ("their admins are contractors who leave
 * when the project ends"); a long one made of vague words is not.
 */
#include "review_answer.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Answers that are nothing but one of these say nothing. */
static const char *const stock_phrases[] = {"seemed enthusiastic",
                                            "was supportive",
                                            "n/a",
                                            "na",
                                            "tbd",
                                            "none",
                                            "nothing",
                                            "same as above",
                                            "see above",
                                            "-",
                                            "?",
                                            "unknown",
                                            "not sure",
                                            "no",
                                            "idk",
                                            NULL};

/* Words that describe a mood or a hope rather than a fact. */
static const char *const vague_words[] = {
    "seemed",  "seems",     "enthusiastic", "supportive", "excited",
    "happy",   "engaged",   "positive",     "good",       "great",
    "fine",    "well",      "interested",   "keen",       "bought",
    "value",   "usual",     "standard",     "typical",    "some",
    "better",  "really",    "very",         "things",     "stuff",
    "overall", "generally", "liked",        "easy",       "results",
    NULL};

/* Acronyms that name no one and nothing in particular. */
static const char *const empty_acronyms[] = {"ROI", "KPI",  "KPIS", "TBD", "NA",
                                             "OK",  "ASAP", "FYI",  NULL};

/* Number, frequency and month words (a quantity or a date in words), and
   the nouns of a stake or a commitment. */
static const char *const anchor_words[] = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "twenty", "thirty", "fifty", "hundred",
    "thousand", "half", "double", "daily", "weekly", "biweekly", "monthly",
    "quarterly", "annual", "annually", "yearly", "january", "february", "april",
    "june", "july", "august", "september", "october", "november", "december",
    /* Stakes and commitments a reader can check: whose bonus, which
       contract, what the board asked. */
    "bonus", "promotion", "quota", "deadline", "contract", "budget", "board",
    "audit", "headcount", "sponsor", "integration", "migration", NULL};

/* "next year", "this quarter": a date relative to the review. */
static const char *const relative_words[] = {"next", "last", "this", NULL};
static const char *const period_words[] = {"week", "month", "quarter", "year",
                                           NULL};

/* Vague below this many words even with an anchor. */
#define VAGUE_WITH_ANCHOR_WORDS 8
/* Without an anchor, an answer this long and free of vague words is taken
   as a concrete description. */
#define CONCRETE_WORDS 10

static int
in_list(const char *const *list, const char *w, size_t len)
{
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == len && strncasecmp(list[i], w, len) == 0)
            return 1;
    return 0;
}

/* 1 if w (len bytes of letters and digits) carries a fact.  initial: the
   word opens a sentence, where a capital proves nothing. */
static int
is_anchor(const char *w, size_t len, int initial)
{
    size_t upper = 0, lower = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)w[i];
        if (isdigit(c))
            return 1;
        upper += isupper(c) != 0;
        lower += islower(c) != 0;
    }
    if (in_list(anchor_words, w, len))
        return 1;
    /* An acronym (CFO, SSO, CSMs), unless it is business filler. */
    if (upper >= 2 && lower <= 1)
        return !in_list(empty_acronyms, w, len);
    /* A name: capitalised inside a sentence ("I" is no name). */
    return !initial && isupper((unsigned char)w[0]) && lower > 0;
}

int
cl_review_answer_generic(const char *answer, const char **reason)
{
    const char *why = NULL;
    const char *b = answer ? answer : "";
    while (*b && isspace((unsigned char)*b))
        b++;
    size_t len = strlen(b);
    while (len > 0 && isspace((unsigned char)b[len - 1]))
        len--;
    /* A trailing full stop or exclamation mark does not make a stock
       phrase specific ("Seemed enthusiastic!"). */
    size_t cmp = len;
    while (cmp > 1 && (b[cmp - 1] == '.' || b[cmp - 1] == '!'))
        cmp--;
    int words = 0, anchors = 0, vague = 0, initial = 1, relative = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)b[i];
        if (!isalnum(c)) {
            if (c == '.' || c == '!' || c == '?')
                initial = 1;
            i++;
            continue;
        }
        size_t start = i;
        while (i < len &&
               (isalnum((unsigned char)b[i]) || b[i] == '_' || b[i] == '\''))
            i++;
        words++;
        anchors += is_anchor(b + start, i - start, initial) ||
                   (relative && in_list(period_words, b + start, i - start));
        vague += in_list(vague_words, b + start, i - start);
        relative = in_list(relative_words, b + start, i - start);
        initial = 0;
    }
    if (len == 0)
        why = "empty";
    else if (cmp <= 32 && in_list(stock_phrases, b, cmp))
        why = "stock phrase";
    else if (anchors > 0 && vague > 0 && words < VAGUE_WITH_ANCHOR_WORDS)
        why = "vague";
    else if (anchors == 0 && (vague > 0 || words < CONCRETE_WORDS))
        why = "no name, number, date or commitment";
    if (reason)
        *reason = why;
    return why != NULL;
}
