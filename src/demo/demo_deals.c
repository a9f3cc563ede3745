/*
 * demo_deals.c - the demo passes of the deals and what follows
 * them: deals, churns, recoveries, reviews, CS hours and ARR movements
 * (the demo generator: demo.c; shared types in demo_int.h).
 */
#include "demo_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/taxonomy.h"

/* ---- vocabulary --------------------------------------------------------- */

static const char *const sources[] = {"inbound", "outbound", "partner",
                                      "event"};
static const char *const use_cases[] = {
    "reporting", "automation", "collaboration", "analytics", "compliance"};

/* ---- churn text, one set per cause code (cl_cause_codes order) ---------- */

typedef struct cause_text {
    const char *code;
    const char *stated[3];
    const char *diagnosis[3];
    const char *behavior[3];
} cause_text;

static const cause_text cause_texts[] = {
    {"icp_miss",
     {"We are too small a team to get value out of a tool like this.",
      "Honestly we never had anyone whose job it was to run it.",
      "It is built for a bigger company than we are."},
     {"Account was under the ICP size and had no ops owner; nobody could "
      "configure or maintain the workflows.",
      "Outside the ICP at the time of sale: founder-led team with no "
      "operations function to own the rollout.",
      "Too small for the product's model; setup required a dedicated ops "
      "person they never had."},
     {"Buyer asked several times whether the product worked without an "
      "admin; the deal was discounted to fit a tiny budget.",
      "The demo was attended only by the founder; nobody from operations "
      "existed to invite.",
      "Sales cycle under three weeks with no technical evaluation."}},
    {"misaligned_use_case",
     {"We needed a ticketing tool, not a reporting tool.",
      "It does not do the job we bought it for.",
      "Our team kept exporting to spreadsheets to get what we wanted."},
     {"Customer wanted project tracking; the product's workflow model did "
      "not fit and discovery never tested that use case.",
      "Bought for a field-service scheduling use case the product does not "
      "support.",
      "Core use case was outside what we build; the gap was visible in the "
      "first discovery call notes."},
     {"Discovery notes list a use case marked 'roadmap' by the AE.",
      "Customer's success criteria did not match any of our standard "
      "outcomes.",
      "The evaluation skipped the hands-on trial of their main workflow."}},
    {"feature_overpromise",
     {"We were told the Salesforce two-way sync was ready. It was not.",
      "The custom approval flows we were promised never existed.",
      "A key feature from the demo is not actually in the product."},
     {"AE confirmed bidirectional sync in writing; only one-way sync "
      "exists.",
      "Promised SSO group mapping that is not built; the customer's "
      "security team blocked the rollout.",
      "Demo environment showed a prototype feature as generally available."},
     {"Customer asked for the promise in writing before signing.",
      "Security questionnaire answers contradicted the product docs.",
      "Procurement added a feature commitment clause to the order form."}},
    {"timeline_overpromise",
     {"We were supposed to be live in two weeks; it took three months.",
      "The go-live date we were sold slipped twice.",
      "We missed our board deadline because onboarding took so long."},
     {"Sold a 2-week go-live; standard onboarding for their data volume is "
      "8-10 weeks.",
      "Customer's launch depended on a date onboarding could not meet.",
      "Implementation timeline quoted in the deal ignored the data "
      "migration."},
     {"Customer tied the purchase to a hard event date.",
      "The close plan had no onboarding capacity check.",
      "Deal was pulled in to month end with a compressed kickoff."}},
    {"phantom_champion",
     {"The person who bought this has left and nobody else uses it.",
      "Our new director has other priorities.",
      "We do not really know why we bought this."},
     {"Champion left four months after close; no executive sponsor and no "
      "second user trained.",
      "The buyer had no budget authority; the real decision maker never "
      "engaged.",
      "Single-threaded account: champion was new in role and moved on."},
     {"Champion had been in the role under six months at close.",
      "Only one contact attended every call; no exec sponsor signed off.",
      "Champion could not name who else would use the product."}},
    {"failed_adoption",
     {"The team just never got into the habit of using it.",
      "We did not have time to set it up properly.",
      "Too much work to get going; we went back to spreadsheets."},
     {"Onboarding stalled after kickoff; fewer than 3 weekly active users "
      "by month 3.",
      "Admin training never completed; data import was left half done.",
      "Enablement sessions were cancelled twice and never rescheduled."},
     {"Kickoff was scheduled weeks after close with no named admin.",
      "Customer declined the onboarding package to save budget.",
      "No success criteria were agreed before signature."}},
    {"product_deficiency",
     {"Reports take minutes to load on our data volume.",
      "The mobile app keeps losing our changes.",
      "We hit too many bugs in the export."},
     {"Dashboard performance degraded beyond 2M rows; known engineering "
      "issue.",
      "Offline sync defect lost field updates; two escalations unresolved.",
      "CSV export truncates long text fields; blocker for their audit "
      "process."},
     {"Customer's data volume was at the top of our tested range.",
      "Trial ran on a small sample rather than their production data.",
      "Technical evaluation was waived by the customer."}},
    {"poor_service",
     {"Support took a week to answer urgent tickets.",
      "We had three different CSMs in six months.",
      "Nobody followed up after our escalation."},
     {"Two P1 tickets breached SLA; CSM coverage changed three times.",
      "Account had no CSM for six weeks during a reassignment.",
      "Escalation went unanswered for nine days."},
     {"Customer asked about support hours several times in the sale.",
      "Premium support was scoped out of the deal.",
      "Buyer mentioned a bad experience with a previous vendor's support."}},
    {"goals_not_met",
     {"We use it, but it has not moved our numbers.",
      "We did not see the efficiency gains we expected.",
      "Hard to justify the cost against the results."},
     {"Usage was healthy but the forecast-accuracy goal was not reached.",
      "Adoption fine; the target of halving reporting time was not met.",
      "Customer's outcome depended on process changes they did not make."},
     {"Success criteria were vague: 'better visibility'.",
      "Business case assumed an aggressive ROI figure.",
      "No baseline was measured before purchase."}},
    {"competitive_loss",
     {"We moved to a platform that covers more of our stack.",
      "Another vendor offered a tighter integration with our CRM.",
      "Our new parent company standardises on a competitor."},
     {"Lost to an all-in-one suite bundled with their CRM.",
      "Competitor's native integration won on workflow fit, not price.",
      "Relationship with the competitor's partner decided the switch."},
     {"Competitor was in the original evaluation and nearly won.",
      "Customer asked for a side-by-side comparison late in the deal.",
      "Buyer kept the incumbent tool running in parallel."}},
    {"pricing",
     {"The renewal price is more than we can justify.",
      "We found something that does enough for half the cost.",
      "The package forces us to pay for seats we do not use."},
     {"Price increase at renewal; value acknowledged but budget capped.",
      "Moved to a cheaper tool with a subset of features.",
      "Seat-based packaging did not fit their occasional users."},
     {"Deal closed at a deep first-year discount.",
      "Procurement negotiated hard on every line item.",
      "Customer asked for a usage-based plan we do not offer."}},
    {"business_change",
     {"We were acquired and the new owner has its own tools.",
      "The team that used this was reorganised away.",
      "Our strategy changed and this is no longer a priority."},
     {"Acquisition consolidated tooling onto the parent's stack.",
      "Reorg removed the operations team that owned the product.",
      "Company pivoted away from the line of business we supported."},
     {"Customer mentioned an ongoing M&A process during the sale.",
      "Buyer hinted at a reorganisation in the next fiscal year.",
      "No early signal; the change was announced after signature."}},
    {"financial_distress",
     {"We have to cut every non-essential tool.",
      "Our funding round fell through.",
      "We are winding down part of the business."},
     {"Customer lost funding; all software spend frozen.",
      "Cost-cutting programme removed 40% of their SaaS tools.",
      "Insolvency proceedings; invoices unpaid for two months."},
     {"Payment terms stretched to net 90 during the deal.",
      "Buyer asked for monthly billing and no annual prepay.",
      "Company headcount had fallen 20% in the year before purchase."}},
};

/* ---- recovery and review text ----------------------------------------- */

static const char *const rec_intervention[4][2] = {
    {"CSM ran a reference call with a similar customer and shared the "
     "support SLA in writing.",
     "Exec-to-exec call to rebuild trust after the original evaluation "
     "went badly."},
    {"CSM kept a quarterly check-in going after the loss and re-engaged "
     "when budget opened.",
     "Followed up at the start of their fiscal year as agreed on the loss "
     "call."},
    {"CSM and AE walked through exactly what the product does today and "
     "what it does not.",
     "Offered a scoped pilot to replace the original over-reaching "
     "proposal."},
    {"CSM reached out to the new head of operations after the old "
     "champion left.",
     "Mapped the new buying committee and ran a fresh discovery with the "
     "new VP."}};
static const char *const rec_changed[4][2] = {
    {"Customer now trusts our support commitments.",
     "Concerns from the first evaluation were answered with evidence."},
    {"Budget was approved in the new fiscal year.",
     "The project they were waiting on finished."},
    {"The proposal matched what the product does; no roadmap promises.",
     "Expectations were reset and documented."},
    {"A new champion with authority and a clear mandate.",
     "The new VP owns the outcome and has an exec sponsor."}};

static const char *const q1_text[] = {
    "New head of operations wants one source of truth for pipeline "
    "reporting.",
    "Board asked for churn visibility before the next funding round.",
    "Manual spreadsheet reporting is taking two days every month-end.",
    "Previous tool is being sunset by its vendor.",
    "Rapid headcount growth broke their existing process.",
    "seemed enthusiastic"};
static const char *const q2_text[] = {
    "Champion's bonus is tied to cutting reporting time in half.",
    "Champion sponsored the project to the CFO personally.",
    "Champion wants a visible win in their first year.", "seemed enthusiastic",
    "n/a"};
static const char *const q3_text[] = {
    "Worried about CRM sync latency.",
    "Security review took three weeks; SSO was a must.",
    "Price versus the incumbent tool.",
    "Concern about the effort to migrate historic data.", "n/a"};
static const char *const q4_text[] = {
    "Standard onboarding plan, nothing extra.",
    "Promised a dedicated onboarding specialist for the first month.",
    "Said the custom field mapping would be ready by kickoff.",
    "Committed to a go-live within four weeks.", "n/a"};
static const char *const q5_text[] = {
    "Weekly forecast built in under an hour by end of quarter.",
    "Churn reasons tagged for every loss within 30 days.",
    "Ten active users by day 60.",
    "Month-end close reporting cut from two days to half a day.",
    "better visibility"};
static const char *const q6_ok[] = {
    "Low risk: exec sponsor engaged and a clear owner.",
    "Some risk around data migration; plan agreed.",
    "Moderate: budget approved only for year one."};
static const char *const q6_new_champ[] = {
    "Champion joined a few months ago; no second contact yet.",
    "Champion is new in role and the exec sponsor is unclear."};
static const char *const q6_small[] = {
    "Very small team with no ops person to own the setup.",
    "No dedicated admin; the founder will run it part-time."};
static const char *const q7_text[3][2] = {
    {"Solid fit, expect an expansion within a year.",
     "Strong team and a clear use case."},
    {"Fine, but watch adoption in the first 90 days.",
     "Hard to say yet; depends on onboarding."},
    {"Worried they bought for a use case we only half support.",
     "Not sure anyone there will own it after kickoff."}};

/* ---- the passes of deals ---------------------------------------------- */

/* Builds the deals row of d. */
static void
build_deal(gen *g, const char *id, int64_t i, const acct *a, const deal *d)
{
    cl__demo_row_start(g);
    cl__demo_cell(g, "%s", id);
    cl__demo_cell(g, "a-%06lld", (long long)i + 1);
    cl__demo_cell(g, "u-ae-%d", a->ae + 1);
    cl__demo_cell(g, "%s", cl_deal_types[d->type]);
    cl__demo_cell(g, "%s", sources[d->source]);
    cl__demo_cell(g, "%s",
                  d->stage == ST_WON    ? "closed_won"
                  : d->stage == ST_LOST ? "closed_lost"
                                        : cl__demo_open_stages[d->stage]);
    cl__demo_cell_day(g, d->created);
    cl__demo_cell_day(g, d->demo);
    cl__demo_cell_day(g, d->closed);
    cl__demo_cell(g, "%d", d->arr);
    cl__demo_cell(g, "%s", d->loss >= 0 ? cl_loss_reasons[d->loss] : "");
    cl__demo_cell(g, "%d", d->score);
    cl__demo_cell(g, "%s", cl_champion_levels[d->level]);
    cl__demo_cell(g, "%d", d->tenure);
    cl__demo_cell(g, "%s", d->exec ? "true" : "false");
    cl__demo_cell(g, "%s", use_cases[d->use_case]);
    cl__demo_cell_day(g, d->kickoff);
}

/*
 * Emits deal d, or, when it is created or closed in the replay window,
 * hands it to the replay as it happened: a deal that closes in the window
 * is open until its close day (its open version arrives on its creation
 * day, or at once when created before the window) and arrives closed on
 * that day; an open deal created in the window arrives on its creation.
 */
static cl_err
emit_deal(gen *g, const char *id, int64_t i, const acct *a, const deal *d)
{
    int closes_later = d->closed != NODAY && d->closed >= g->from;
    cl_err rc = CL_OK;
    if (closes_later) {
        deal open = *d;
        int later = d->created >= g->from;
        cl_day seen = later ? d->created : g->from - 1;
        if (open.demo != NODAY && open.demo > seen)
            open.demo = NODAY;
        open.stage = open.demo != NODAY ? CL__DEMO_NSTAGES - 1 : 0;
        open.closed = open.kickoff = NODAY;
        open.loss = -1;
        build_deal(g, id, i, a, &open);
        rc = later ? cl__demo_row_later(g, CL_DEMO_ARRIVE, d->created,
                                        CL_KIND_DEALS, NULL)
                   : cl__demo_row_emit(g, CL_KIND_DEALS);
        if (rc)
            return rc;
    }
    build_deal(g, id, i, a, d);
    if (closes_later)
        return cl__demo_row_later(g, CL_DEMO_ARRIVE, d->closed, CL_KIND_DEALS,
                                  NULL);
    if (d->created >= g->from)
        return cl__demo_row_later(g, CL_DEMO_ARRIVE, d->created, CL_KIND_DEALS,
                                  NULL);
    return cl__demo_row_emit(g, CL_KIND_DEALS);
}

/* The extra pipeline deals of account i (cl_demo_opts.deals_per_account):
   four in five lost `new` deals over the three years, the rest open ones
   created in the last 120 days.  A stream of their own (2) keeps every
   other row of the data as it is without them. */
static cl_err
emit_extra_deals(gen *g, int64_t i, const acct *a, int64_t *xseq)
{
    double m = g->o->deals_per_account - BASE_DEALS_PER_ACCOUNT;
    if (!(m > 0))
        return CL_OK;
    rng r;
    cl__demo_rng_seed(&r, g->o->seed, 2, (uint64_t)i);
    int n = (int)m + cl__demo_chance(&r, m - floor(m));
    int span = g->end - g->start;
    cl_err rc = CL_OK;
    for (int k = 0; k < n && !rc; k++) {
        deal d;
        memset(&d, 0, sizeof d);
        d.type = D_NEW;
        cl__demo_deal_attrs(&r, a, &d);
        if (cl__demo_chance(&r, 0.8)) {
            d.stage = ST_LOST;
            d.closed = g->start + 15 + cl__demo_range(&r, 0, span - 15);
            d.created = d.closed - cl__demo_range(&r, 15, 120);
            if (d.created < g->start)
                d.created = g->start;
            d.demo = cl__demo_chance(&r, 0.75)
                         ? cl__demo_demo_day(&r, d.created, d.closed)
                         : NODAY;
            d.loss =
                cl__demo_pick_w(&r, cl__demo_loss_w, NELEM(cl__demo_loss_w));
        } else {
            d.created = g->end - cl__demo_range(&r, 0, 119);
            d.stage = cl__demo_range(&r, 0, 3);
            if (d.stage > 0 && g->end > d.created)
                d.demo = cl__demo_demo_day(&r, d.created, g->end);
        }
        char id[32];
        snprintf(id, sizeof id, "d-x%07lld", (long long)++*xseq);
        rc = emit_deal(g, id, i, a, &d);
    }
    return rc;
}

cl_err
cl__demo_pass_deals(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    int64_t seq = 0, xseq = 0;
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        cl__demo_sim(g, i, a);
        for (int j = 0; j < a->nd && !rc; j++) {
            char id[32];
            snprintf(id, sizeof id, "d-%07lld", (long long)++seq);
            rc = emit_deal(g, id, i, a, &a->d[j]);
        }
        if (!rc)
            rc = emit_extra_deals(g, i, a, &xseq);
    }
    free(a);
    return rc;
}

static int
cause_index(const char *code)
{
    return cl_enum_index(cl_cause_codes, code);
}

/* A cause for a churn that is not the quarter's ICP-miss quota. */
static int
pick_cause(rng *r, const acct *a, const deal *d0)
{
    static const int spread[] = {0, 10, 8, 6, 5, 10, 12, 8, 10, 12, 10, 9, 5};
    if (a->small && cl__demo_chance(r, 0.8)) {
        static const int w[] = {0, 2, 0, 0, 4, 55, 4, 4, 12, 2, 9, 2, 6};
        return cl__demo_pick_w(r, w, NELEM(w));
    }
    if (d0->tenure < 6 && cl__demo_chance(r, 0.7))
        return cause_index("phantom_champion");
    return cl__demo_pick_w(r, spread, NELEM(spread));
}

/*
 * Emits the churns row just built (churned on c, tagged on tagged_on or
 * NODAY), or hands it to the replay: a churn of the window arrives
 * untagged on its day, and a tag of the window is the CSM's act then.
 */
static cl_err
route_churn(gen *g, const acct *a, cl_day c, cl_day tagged_on)
{
    static const char *const tag_fields[] = {
        "stated_reason",       "diagnosis",
        "predictive_behavior", "primary_cause",
        "contributing_causes", "tagged_by",
        "tagged_on",           NULL};
    int tag_later = tagged_on != NODAY && tagged_on >= g->from;
    cl_err rc = CL_OK;
    if (tag_later) {
        char csm[32];
        snprintf(csm, sizeof csm, "u-csm-%d", a->csm + 1);
        rc = cl__demo_row_later(g, CL_DEMO_TAG, tagged_on, CL_KIND_CHURNS, csm);
        cl__demo_row_blank(g, CL_KIND_CHURNS, tag_fields);
    }
    if (rc)
        return rc;
    if (c >= g->from)
        return cl__demo_row_later(g, CL_DEMO_ARRIVE, c, CL_KIND_CHURNS, NULL);
    return cl__demo_row_emit(g, CL_KIND_CHURNS);
}

cl_err
cl__demo_pass_churns(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    int64_t dseq = 0, cseq = 0;
    double acc[NQ] = {0};
    int ncause = NELEM(cause_texts);
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        cl__demo_sim(g, i, a);
        int64_t dbase = dseq;
        dseq += a->nd;
        if (a->won < 0 || !a->churned)
            continue;
        rng r;
        cl__demo_rng_seed(&r, g->o->seed, 2, (uint64_t)i);
        const deal *d0 = &a->d[a->won];
        cl_day c = a->churn_on;
        /* Recent churns are often not tagged yet. */
        int lag = cl__demo_range(&r, 1, 20);
        int tagged = c < g->end - 35 || cl__demo_chance(&r, 0.45);
        if (c + lag > g->end)
            lag = g->end - c;
        if (lag < 1)
            tagged = 0;
        int cause = -1, contrib[2], ncontrib = 0;
        if (tagged) {
            int q = cl__demo_qkey(c) - g->q_base;
            if (q >= 0 && q < NQ)
                acc[q] += g->quota[q];
            if (q >= 0 && q < NQ && acc[q] >= 1 &&
                cl__demo_outside_icp(g, a, a->since)) {
                cause = 0;
                acc[q] -= 1;
            } else {
                cause = pick_cause(&r, a, d0);
                if (cause == 0)
                    cause = 5; /* icp_miss only through the quota */
            }
            int want = cl__demo_pick_w(&r, (const int[]){40, 40, 20}, 3);
            for (int t = 0; t < 8 && ncontrib < want; t++) {
                int x = cl__demo_range(&r, 1, ncause - 1);
                if (x == cause || (ncontrib && contrib[0] == x))
                    continue;
                contrib[ncontrib++] = x;
            }
        }
        cl__demo_row_start(g);
        cl__demo_cell(g, "c-%06lld", (long long)++cseq);
        cl__demo_cell(g, "a-%06lld", (long long)i + 1);
        if (cl__demo_chance(&r, 0.85))
            cl__demo_cell(g, "d-%07lld", (long long)(dbase + a->won + 1));
        else
            cl__demo_cell(g, "%s", "");
        cl__demo_cell_day(g, c);
        cl__demo_cell(g, "%d", a->churn_arr);
        if (tagged) {
            const cause_text *t = &cause_texts[cause];
            cl__demo_cell(g, "%s", t->stated[cl__demo_range(&r, 0, 2)]);
            cl__demo_cell(g, "%s", t->diagnosis[cl__demo_range(&r, 0, 2)]);
            cl__demo_cell(g, "%s", t->behavior[cl__demo_range(&r, 0, 2)]);
            cl__demo_cell(g, "%s", cl_cause_codes[cause]);
            if (ncontrib == 2)
                cl__demo_cell(g, "%s;%s", cl_cause_codes[contrib[0]],
                              cl_cause_codes[contrib[1]]);
            else
                cl__demo_cell(g, "%s",
                              ncontrib ? cl_cause_codes[contrib[0]] : "");
            cl__demo_cell(g, "u-csm-%d", a->csm + 1);
            cl__demo_cell_day(g, c + lag);
        } else {
            const char *stated =
                cl__demo_chance(&r, 0.5)
                    ? cause_texts[pick_cause(&r, a, d0)].stated[0]
                    : "";
            cl__demo_cell(g, "%s", stated);
            for (int k = 0; k < 6; k++)
                cl__demo_cell(g, "%s", "");
        }
        rc = route_churn(g, a, c, tagged ? c + lag : NODAY);
    }
    free(a);
    return rc;
}

cl_err
cl__demo_pass_recoveries(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    int64_t dseq = 0, rseq = 0;
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        cl__demo_sim(g, i, a);
        int64_t dbase = dseq;
        dseq += a->nd;
        if (a->rec_to < 0)
            continue;
        rng r;
        cl__demo_rng_seed(&r, g->o->seed, 3, (uint64_t)i);
        cl__demo_row_start(g);
        cl__demo_cell(g, "r-%04lld", (long long)++rseq);
        cl__demo_cell(g, "d-%07lld", (long long)(dbase + a->rec_from + 1));
        cl__demo_cell(g, "d-%07lld", (long long)(dbase + a->rec_to + 1));
        cl__demo_cell(g, "%s", cl_recovery_types[a->rec_type]);
        cl__demo_cell(g, "%s",
                      rec_intervention[a->rec_type][cl__demo_range(&r, 0, 1)]);
        cl__demo_cell(g, "%s",
                      rec_changed[a->rec_type][cl__demo_range(&r, 0, 1)]);
        cl__demo_cell(g, "u-csm-%d", a->csm + 1);
        cl__demo_cell_day(g, a->rec_logged);
        cl__demo_cell(g, "%s", ""); /* cs_led: empty, read as CS-led */
        /* A deal that comes back in the window is linked by the engine when
           it arrives; the CSM classifies it on the day it was logged. */
        if (a->d[a->rec_to].created >= g->from)
            rc = cl__demo_row_later(g, CL_DEMO_CLASSIFY, a->rec_logged,
                                    CL_KIND_RECOVERIES, g->cells[6]);
        else
            rc = cl__demo_row_emit(g, CL_KIND_RECOVERIES);
    }
    free(a);
    return rc;
}

cl_err
cl__demo_pass_reviews(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    int64_t dseq = 0;
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        cl__demo_sim(g, i, a);
        int64_t dbase = dseq;
        dseq += a->nd;
        if (a->won < 0 || !a->reviewed)
            continue;
        rng r;
        cl__demo_rng_seed(&r, g->o->seed, 4, (uint64_t)i);
        const deal *d0 = &a->d[a->won];
        cl__demo_row_start(g);
        cl__demo_cell(g, "d-%07lld", (long long)(dbase + a->won + 1));
        cl__demo_cell_day(g, a->review_on);
        cl__demo_cell(g, "%s", PICK(&r, q1_text));
        cl__demo_cell(g, "%s", PICK(&r, q2_text));
        cl__demo_cell(g, "%s", PICK(&r, q3_text));
        cl__demo_cell(g, "%s", PICK(&r, q4_text));
        cl__demo_cell(g, "%s", PICK(&r, q5_text));
        if (a->small && cl__demo_chance(&r, 0.7))
            cl__demo_cell(g, "%s", PICK(&r, q6_small));
        else if ((d0->tenure < 6 || !d0->exec) && cl__demo_chance(&r, 0.7))
            cl__demo_cell(g, "%s", PICK(&r, q6_new_champ));
        else
            cl__demo_cell(g, "%s", PICK(&r, q6_ok));
        cl__demo_cell(g, "%s", q7_text[a->gut][cl__demo_range(&r, 0, 1)]);
        cl__demo_cell(g, "%s", cl_gut_reads[a->gut]);
        /* The CSM's own flags (issue 14): small teams are implementation
           risks, new champions context gaps, some CSMs are stretched. */
        int impl = a->small && cl__demo_chance(&r, 0.6);
        int cap = cl__demo_chance(&r, 0.15);
        int gaps = (d0->tenure < 6 || !d0->exec) && cl__demo_chance(&r, 0.5);
        cl__demo_cell(g, "%s", impl ? "true" : "false");
        cl__demo_cell(g, "%s", cap ? "true" : "false");
        cl__demo_cell(g, "%s", gaps ? "true" : "false");
        cl__demo_cell(g, "%s",
                      impl   ? "One part-time admin; onboarding will lean on us"
                      : gaps ? "Champion new in role; sponsor not yet met"
                      : cap  ? "Book is full this quarter; kickoff in week 3"
                             : "");
        if (a->review_on >= g->from) {
            char csm[32];
            snprintf(csm, sizeof csm, "u-csm-%d", a->csm + 1);
            rc = cl__demo_row_later(g, CL_DEMO_REVIEW, a->review_on,
                                    CL_KIND_REVIEWS, csm);
        } else {
            rc = cl__demo_row_emit(g, CL_KIND_REVIEWS);
        }
    }
    free(a);
    return rc;
}

cl_err
cl__demo_pass_cs_hours(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        cl__demo_sim(g, i, a);
        if (a->won < 0)
            continue;
        rng r;
        cl__demo_rng_seed(&r, g->o->seed, 5, (uint64_t)i);
        int first = cl__demo_mkey(a->since);
        int last = cl__demo_mkey(a->churned ? a->churn_on : g->end);
        int badfit = a->small || a->d[a->won].score < 40;
        for (int m = first; m <= last && !rc; m++) {
            double h = (badfit ? 14.0 : 6.0) * exp(cl__demo_normal(&r) * 0.4);
            if (m - first < 2)
                h *= 1.8; /* onboarding */
            long tenths = lround(h * 10);
            tenths = tenths < 10 ? 10 : tenths > 400 ? 400 : tenths;
            cl__demo_row_start(g);
            cl__demo_cell(g, "a-%06lld", (long long)i + 1);
            cl__demo_cell(g, "%04d-%02d", m / 12, m % 12 + 1);
            cl__demo_cell(g, "%ld.%ld", tenths / 10, tenths % 10);
            rc = cl__demo_row_emit(g, CL_KIND_CS_HOURS);
        }
    }
    free(a);
    return rc;
}

cl_err
cl__demo_pass_arr(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        cl__demo_sim(g, i, a);
        for (int j = 0; j < a->nm && !rc; j++) {
            cl__demo_row_start(g);
            cl__demo_cell(g, "a-%06lld", (long long)i + 1);
            cl__demo_cell_day(g, a->m[j].on);
            cl__demo_cell(g, "%s", cl_arr_kinds[a->m[j].kind]);
            cl__demo_cell(g, "%d", a->m[j].amount);
            rc = cl__demo_row_emit(g, CL_KIND_ARR_MOVEMENTS);
        }
    }
    free(a);
    return rc;
}
