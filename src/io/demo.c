/*
 * demo.c - the demo data generator.
 *
 * Every account's whole life (its deals, churn, recovery, review) is derived
 * from a PRNG seeded by (seed, account index) alone, so each kind's pass can
 * re-simulate the account instead of keeping a million lives in memory: the
 * generator needs O(1) memory per account and O(accounts) time per pass.
 * Global sequence numbers (deal, churn and recovery ids) are counted again
 * in every pass, in the same account order, so they always agree.
 */
#include "demo.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/taxonomy.h"

#define NODAY INT32_MIN
#define MAXD 12 /* deals per account: new, recovery, renewals, expansions */
#define MAXM 12 /* ARR movements per account */
#define NQ 24   /* quarters tracked for the planted ICP-miss quota */
#define MAX_ACCOUNTS 50000000
/* Deals per account the simulation gives on average (1.60 at 100,000
   accounts); extra pipeline deals make up the rest of deals_per_account. */
#define BASE_DEALS_PER_ACCOUNT 1.6

/* ---- PRNG: splitmix64 seeds xoshiro256** ------------------------------ */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t
splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void
rng_seed(rng *r, uint64_t seed, uint64_t stream, uint64_t sub)
{
    uint64_t x =
        seed ^ (stream * 0xd1b54a32d192ed03ULL) ^ (sub * 0x8cb92ba72f3d8dd7ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

/* Uniform in [0, 1). */
static double
unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [lo, hi]; lo when hi < lo. */
static int
range(rng *r, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static int
chance(rng *r, double p)
{
    return unit(r) < p;
}

static double
normal(rng *r)
{
    double u = unit(r), v = unit(r);
    return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

/* An index into w[0..n-1] with probability proportional to w[i]. */
static int
pick_w(rng *r, const int *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    int x = range(r, 0, total - 1);
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

#define NELEM(a) ((int)(sizeof a / sizeof a[0]))
#define PICK(r, a) (a[range(r, 0, NELEM(a) - 1)])

/* ---- vocabulary -------------------------------------------------------- */

static const char *const industries[] = {
    "software",      "fintech",   "healthcare", "retail",
    "manufacturing", "logistics", "education",  "media"};
static const int industry_w[] = {24, 14, 12, 12, 12, 10, 8, 8};
static const char *const regions[] = {"NA", "EMEA", "APAC", "LATAM"};
static const int region_w[] = {45, 30, 15, 10};
static const char *const sources[] = {"inbound", "outbound", "partner",
                                      "event"};
static const int source_w[] = {40, 35, 15, 10};
static const char *const use_cases[] = {
    "reporting", "automation", "collaboration", "analytics", "compliance"};
static const int use_case_w[] = {30, 25, 15, 20, 10};
static const int champ_w[] = {15, 30, 30, 17, 8};
static const char *const open_stages[] = {"discovery", "demo", "proposal",
                                          "negotiation"};
static const int loss_w[] = {22, 24, 22, 10, 14, 8};

static const char *const first_names[] = {
    "Olivia", "Liam",     "Emma",    "Noah",     "Ava",    "Elijah", "Sophia",
    "James",  "Isabella", "Lucas",   "Mia",      "Mateo",  "Amelia", "Benjamin",
    "Harper", "Henry",    "Evelyn",  "Theodore", "Aisha",  "Omar",   "Priya",
    "Arjun",  "Mei",      "Hiroshi", "Yuki",     "Chen",   "Fatima", "Kwame",
    "Amara",  "Diego",    "Lucia",   "Sofia",    "Mateus", "Ingrid", "Lars",
    "Anika",  "Tobias",   "Chloe",   "Daniel",   "Grace",  "Samuel", "Nora",
    "Hannah", "David",    "Leah",    "Marcus",   "Zoe",    "Ravi",   "Elena",
    "Jonas",  "Clara",    "Felix",   "Maya",     "Owen",   "Julia",  "Adrian",
    "Rosa",   "Victor",   "Naomi",   "Isaac"};
static const char *const last_names[] = {
    "Smith",    "Johnson",   "Williams",  "Brown",    "Jones",    "Garcia",
    "Miller",   "Davis",     "Rodriguez", "Martinez", "Lopez",    "Wilson",
    "Anderson", "Thomas",    "Taylor",    "Moore",    "Jackson",  "Martin",
    "Lee",      "Thompson",  "White",     "Harris",   "Clark",    "Lewis",
    "Walker",   "Hall",      "Young",     "King",     "Wright",   "Scott",
    "Nguyen",   "Patel",     "Kim",       "Tanaka",   "Okafor",   "Mensah",
    "Schmidt",  "Fischer",   "Larsen",    "Berg",     "Rossi",    "Dubois",
    "Silva",    "Costa",     "Novak",     "Kowalski", "Haddad",   "Cohen",
    "Singh",    "Sato",      "Park",      "Ahmed",    "Ivanova",  "Moreau",
    "Jensen",   "Fernandes", "Reyes",     "Bauer",    "Nakamura", "Osei"};

static const char *const co_first[] = {
    "Blue",     "Summit",   "Granite",  "Harbor",   "North",     "Bright",
    "Cedar",    "Silver",   "Atlas",    "Vertex",   "Maple",     "Quantum",
    "Iron",     "Copper",   "Pioneer",  "Beacon",   "Crescent",  "Falcon",
    "Orchid",   "Redwood",  "Sterling", "Tidal",    "Velvet",    "Willow",
    "Apex",     "Lumen",    "Nimbus",   "Onyx",     "Prairie",   "Riverstone",
    "Sapphire", "Juniper",  "Keystone", "Meridian", "Northwind", "Oakridge",
    "Polar",    "Starling", "Trident",  "Evergreen"};
static const char *const co_second[] = {
    "Labs",     "Systems",  "Analytics", "Health",   "Logistics",
    "Foods",    "Media",    "Works",     "Partners", "Robotics",
    "Capital",  "Learning", "Supply",    "Networks", "Retail",
    "Dynamics", "Software", "Solutions", "Group",    "Industries"};
static const char *const co_suffix[] = {"Inc",  "LLC", "Ltd", "GmbH", "Co",
                                        "Corp", "",    "",    "",     ""};

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

/* ---- the simulated life of one account ---------------------------------- */

enum { D_NEW, D_EXPANSION, D_RENEWAL };
enum { ST_WON = -2, ST_LOST = -1 }; /* 0..3: an index into open_stages */

typedef struct deal {
    int type;
    int stage;
    cl_day created, demo, closed, kickoff;
    int arr;
    int loss;
    int score, level, tenure, exec, use_case, source;
} deal;

typedef struct mov {
    cl_day on;
    int kind; /* index into cl_arr_kinds */
    int amount;
} mov;

typedef struct acct {
    int64_t idx;
    int industry, region, employees, ops, small;
    int ae, csm;
    deal d[MAXD];
    int nd;
    int won;      /* index of the won new deal, or -1 */
    int rec_from; /* index of the lost deal a recovery came back from */
    int rec_to;   /* index of the recovery deal, or -1 */
    int rec_type;
    cl_day rec_logged;
    cl_day since;
    int churned;
    cl_day churn_on;
    int churn_arr;
    int reviewed, gut;
    cl_day review_on;
    mov m[MAXM];
    int nm;
    uint64_t name_bits;
} acct;

typedef struct gen {
    const cl_demo_opts *o;
    int64_t naccounts;
    cl_day today, end, start, icp2_on;
    cl_day hol[64];
    int nhol;
    cl_calendar cal;
    int nae, ncsm;
    int low_month[2]; /* y*12+m-1 of months with few reviews */
    int q_base;       /* y*4+q-1 of start's quarter */
    int q_planted;
    double quota[NQ];
    cl_demo_emit emit;
    void *ud;
    cl_error *err;
    /* the row being built */
    char buf[16384];
    size_t used;
    const char *cells[24];
    size_t n;
    int64_t ndeals, nchurns, nrecs;
} gen;

static int
qkey(cl_day d)
{
    cl_period p = cl_period_of(CL_PERIOD_QUARTER, d);
    return p.year * 4 + p.index - 1;
}

static int
mkey(cl_day d)
{
    int y, m, dd;
    cl_date_ymd(d, &y, &m, &dd);
    return y * 12 + m - 1;
}

static int
round100(double x)
{
    return (int)(llround(x / 100.0) * 100);
}

static int
clampi(int x, int lo, int hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Outside the ICP version in effect on day: v1 employees >= 20, v2
   employees >= 50 and has_ops_function = true. */
static int
outside_icp(const gen *g, const acct *a, cl_day day)
{
    if (day < g->icp2_on)
        return a->employees < 20;
    return a->employees < 50 || !a->ops;
}

static void
deal_attrs(rng *r, const acct *a, deal *d)
{
    d->source = pick_w(r, source_w, NELEM(source_w));
    d->level = pick_w(r, champ_w, NELEM(champ_w));
    d->tenure = chance(r, 0.25) ? range(r, 0, 5)
                                : 6 + (int)fmin(114, -log(1 - unit(r)) * 30);
    d->exec = chance(r, 0.6);
    d->use_case = pick_w(r, use_case_w, NELEM(use_case_w));
    double s = 50 + 12 * (log(a->employees) - 3.5) + (a->ops ? 12 : -12) +
               normal(r) * 10;
    d->score = clampi((int)lround(s), 0, 100);
    double arr = 1100 * pow(a->employees, 0.7) * exp(normal(r) * 0.35);
    d->arr = clampi(round100(arr), 1000, 250000);
    d->loss = -1;
    d->demo = d->closed = d->kickoff = NODAY;
}

/* A later deal with the same account keeps the first deal's champion, use
   case and fit score; the champion has been in the role longer by then. */
static void
follow_on(deal *d, const deal *d0, cl_day created)
{
    d->source = d0->source;
    d->level = d0->level;
    d->exec = d0->exec;
    d->use_case = d0->use_case;
    d->score = d0->score;
    d->created = created;
    d->tenure = clampi(d0->tenure + (created - d0->closed) / 30, 0, 600);
}

static deal *
add_deal(acct *a, int type)
{
    deal *d = &a->d[a->nd++];
    memset(d, 0, sizeof *d);
    d->type = type;
    d->loss = -1;
    d->demo = d->closed = d->kickoff = NODAY;
    return d;
}

/* A first demo some days after created, never after closed (or end). */
static cl_day
demo_day(rng *r, cl_day created, cl_day last)
{
    int gap = chance(r, 0.12) ? range(r, 46, 90) : range(r, 2, 30);
    if (created + gap > last)
        gap = range(r, 0, last - created);
    return created + gap;
}

static void
add_mov(acct *a, cl_day on, int kind, int amount)
{
    if (a->nm >= MAXM || amount <= 0)
        return;
    for (int i = 0; i < a->nm; i++)
        if (a->m[i].on == on && a->m[i].kind == kind)
            return;
    a->m[a->nm++] = (mov){on, kind, amount};
}

/* The customer's life after the new deal d0 was won on a->since. */
static void
sim_customer(const gen *g, rng *r, acct *a, const deal *d0)
{
    cl_day w = a->since;
    double lam = 0.085;
    if (a->small)
        lam *= 4.5;
    if (d0->tenure < 6)
        lam *= 3.0;
    if (d0->score < 40)
        lam *= 1.15;
    int days = 30 + (int)(-log(1 - unit(r)) / lam * 365.0);
    cl_day churn = days > 4000 ? w + 4000 : w + days;
    a->churned = churn <= g->end;
    a->churn_on = churn;

    /* Reviews: fewer in the two low months; worried when churn comes. */
    double prate = 0.83;
    if (mkey(w) == g->low_month[0] || mkey(w) == g->low_month[1])
        prate = 0.5;
    cl_day held = cl_cal_add_business_days(&g->cal, w, range(r, 1, 9));
    a->reviewed = chance(r, prate) && held <= g->end;
    a->review_on = held;
    static const int gw_churn[] = {20, 35, 45}, gw_ok[] = {55, 33, 12};
    a->gut = pick_w(r, churn - w < 540 ? gw_churn : gw_ok, 3);

    /* Renewals at each anniversary and up to two expansions, merged in date
       order so the running ARR is right at every step. */
    int cur = d0->arr;
    add_mov(a, w, 0, cur);
    cl_day exp_on[2];
    int nexp = chance(r, a->employees >= 200 ? 0.5 : 0.3)
                   ? (chance(r, 0.3) ? 2 : 1)
                   : 0;
    for (int i = 0; i < nexp; i++)
        exp_on[i] = w + range(r, 90, 700);
    if (nexp == 2 && exp_on[1] < exp_on[0]) {
        cl_day t = exp_on[0];
        exp_on[0] = exp_on[1];
        exp_on[1] = t;
    }
    if (nexp == 2 && exp_on[1] == exp_on[0])
        nexp = 1;
    int ei = 0;
    for (int k = 1; k <= 4; k++) {
        cl_day ann = cl_date_add_months(w, 12 * k);
        for (; ei < nexp && exp_on[ei] < ann; ei++) {
            cl_day on = exp_on[ei];
            cl_day created = on - range(r, 20, 60);
            if (created > g->end || created >= churn || a->nd >= MAXD)
                continue;
            deal *d = add_deal(a, D_EXPANSION);
            follow_on(d, d0, created);
            /* Deal sizes stay within 1,000-250,000, account ARR too. */
            d->arr = clampi(round100(cur * (0.1 + 0.4 * unit(r))), 1000,
                            250000 - cur);
            if (d->arr < 1000) {
                a->nd--;
                continue;
            }
            if (on <= g->end && on < churn) {
                d->stage = ST_WON;
                d->closed = on;
                d->demo = chance(r, 0.5) ? demo_day(r, created, on) : NODAY;
                cur += d->arr;
                add_mov(a, on, 1, d->arr);
            } else if (!a->churned && created >= g->end - 119) {
                d->stage = range(r, 1, 3);
            } else {
                a->nd--; /* would have closed before churn: drop it */
            }
        }
        if (ann >= churn || a->nd >= MAXD)
            break;
        cl_day created = ann - range(r, 30, 60);
        if (created > g->end)
            break;
        deal *d = add_deal(a, D_RENEWAL);
        follow_on(d, d0, created);
        if (ann <= g->end) {
            d->stage = ST_WON;
            d->closed = ann;
            if (chance(r, 0.12)) {
                int cut = round100(cur * (0.1 + 0.3 * unit(r)));
                if (cut > 0 && cur - cut >= 1000) {
                    cur -= cut;
                    add_mov(a, ann, 2, cut);
                }
            }
            d->arr = cur;
        } else {
            d->stage = range(r, 2, 3);
            d->arr = cur;
            break;
        }
    }
    a->churn_arr = cur;
    if (a->churned)
        add_mov(a, churn, 3, cur);
}

static void
sim(const gen *g, int64_t idx, acct *a)
{
    rng r;
    rng_seed(&r, g->o->seed, 1, (uint64_t)idx);
    memset(a, 0, sizeof *a);
    a->idx = idx;
    a->won = a->rec_from = a->rec_to = -1;
    a->since = a->churn_on = a->rec_logged = NODAY;
    a->csm = -1;
    a->name_bits = rng_next(&r);
    a->industry = pick_w(&r, industry_w, NELEM(industry_w));
    a->region = pick_w(&r, region_w, NELEM(region_w));
    double e = exp(3.6 + 1.5 * normal(&r));
    a->employees = e < 1 ? 1 : e > 20000 ? 20000 : (int)lround(e);
    double pops = 0.05 + 0.12 * (log(a->employees) - 1.0);
    a->ops = chance(&r, pops < 0.05 ? 0.05 : pops > 0.95 ? 0.95 : pops);
    a->small = a->employees < 20 && !a->ops;
    a->ae = range(&r, 0, g->nae - 1);
    int csm = range(&r, 0, g->ncsm - 1);

    double u = unit(&r);
    int span = g->end - g->start;
    deal *d = add_deal(a, D_NEW);
    deal_attrs(&r, a, d);
    if (u < 0.35) {
        /* A lost prospect, some of whom come back later. */
        cl_day closed = g->start + 15 + range(&r, 0, span - 15);
        cl_day created = closed - range(&r, 15, 120);
        if (created < g->start)
            created = g->start;
        d->stage = ST_LOST;
        d->created = created;
        d->closed = closed;
        d->demo = chance(&r, 0.75) ? demo_day(&r, created, closed) : NODAY;
        d->loss = pick_w(&r, loss_w, NELEM(loss_w));
        cl_day back = cl_date_add_months(closed, 2) + range(&r, 0, 240);
        if (chance(&r, 0.22) && back <= g->end - 1) {
            /* The recovery type follows the original loss reason. */
            static const int tw[6][4] = {{15, 60, 10, 15}, {10, 75, 5, 10},
                                         {30, 35, 20, 15}, {10, 25, 5, 60},
                                         {20, 35, 35, 10}, {55, 25, 10, 10}};
            a->rec_from = 0;
            a->rec_type = pick_w(&r, tw[d->loss], 4);
            deal *n = add_deal(a, D_NEW);
            deal_attrs(&r, a, n);
            n->created = back;
            a->rec_to = 1;
            int cycle = range(&r, 20, 100);
            if (back + cycle > g->end) {
                n->stage = range(&r, 0, 3);
                if (n->stage > 0 && g->end > back)
                    n->demo = demo_day(&r, back, g->end);
                a->rec_logged = back + range(&r, 1, g->end - back);
            } else if (chance(&r, 0.72)) {
                n->stage = ST_WON;
                n->closed = back + cycle;
                n->demo = demo_day(&r, back, n->closed);
                a->rec_logged = n->closed + range(&r, 0, 14);
            } else {
                n->stage = ST_LOST;
                n->closed = back + cycle;
                n->demo = demo_day(&r, back, n->closed);
                n->loss = pick_w(&r, loss_w, NELEM(loss_w));
                a->rec_logged = back + range(&r, 1, 30);
            }
            if (a->rec_logged > g->end)
                a->rec_logged = g->end;
            a->csm = csm;
            if (n->stage == ST_WON)
                a->won = 1;
        }
    } else if (u < 0.42) {
        /* Open pipeline: created in the last 120 days. */
        d->created = g->end - range(&r, 0, 119);
        d->stage = range(&r, 0, 3);
        if (d->stage > 0 && g->end > d->created)
            d->demo = demo_day(&r, d->created, g->end);
    } else {
        /* Won, with more wins in recent months: the company is growing. */
        cl_day w =
            g->start + 120 + (cl_day)(pow(unit(&r), 0.85) * (span - 120));
        d->stage = ST_WON;
        d->closed = w;
        d->created = w - range(&r, 20, 120);
        d->demo = demo_day(&r, d->created, w);
        a->won = 0;
        a->csm = csm;
    }
    if (a->won >= 0) {
        deal *wd = &a->d[a->won];
        cl_day k =
            cl_cal_add_business_days(&g->cal, wd->closed, range(&r, 2, 20));
        wd->kickoff = k <= g->end ? k : NODAY;
        a->since = wd->closed;
        sim_customer(g, &r, a, wd);
    }
}

/* ---- row building ------------------------------------------------------- */

static void
row_start(gen *g)
{
    g->used = 0;
    g->n = 0;
}

static void cell(gen *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
cell(gen *g, const char *fmt, ...)
{
    char *p = g->buf + g->used;
    size_t room = sizeof g->buf - g->used;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(p, room, fmt, ap);
    va_end(ap);
    if (k < 0)
        k = 0;
    if ((size_t)k >= room)
        k = (int)room - 1; /* truncated; texts here are far shorter */
    g->used += (size_t)k + 1;
    if (g->n < sizeof g->cells / sizeof g->cells[0])
        g->cells[g->n++] = p;
}

static void
cell_day(gen *g, cl_day d)
{
    char s[11] = "";
    if (d != NODAY)
        cl_date_format(d, s);
    cell(g, "%s", s);
}

static cl_err
row_emit(gen *g, cl_kind k)
{
    const cl_kind_def *def = cl_kind_get(k);
    if (g->n != def->nfields)
        return cl_error_set(g->err, CL_EINVAL,
                            "demo: %s row has %zu cells, not %zu", def->name,
                            g->n, def->nfields);
    return g->emit(g->ud, k, g->cells, g->n, g->err);
}

/* ---- the passes --------------------------------------------------------- */

static void
user_name(int64_t i, char *name, size_t nn, char *email, size_t en)
{
    int64_t nf = NELEM(first_names), nl = NELEM(last_names);
    int64_t a = i % nf, b = (i / nf + a * 7) % nl, lap = i / (nf * nl);
    const char *f = first_names[a], *l = last_names[b];
    snprintf(name, nn, "%s %s", f, l);
    char loc[64];
    if (lap > 0)
        snprintf(loc, sizeof loc, "%s.%s%lld", f, l, (long long)lap + 1);
    else
        snprintf(loc, sizeof loc, "%s.%s", f, l);
    for (char *p = loc; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    snprintf(email, en, "%s@northwind-saas.example", loc);
}

static cl_err
emit_user(gen *g, int64_t *seq, const char *id, const char *role,
          const char *mgr, const char *team)
{
    char name[96], email[160];
    user_name((*seq)++, name, sizeof name, email, sizeof email);
    row_start(g);
    cell(g, "%s", id);
    cell(g, "%s", name);
    cell(g, "%s", email);
    cell(g, "%s", role);
    cell(g, "%s", mgr);
    cell(g, "%s", team);
    return row_emit(g, CL_KIND_USERS);
}

static cl_err
pass_users(gen *g)
{
    static const char *const top[][4] = {
        {"u-admin-1", "admin", "", ""},
        {"u-revops-1", "revops", "", "RevOps"},
        {"u-vp-sales-1", "vp_sales", "", "Sales"},
        {"u-vp-cs-1", "vp_cs", "", "CS"},
        {"u-marketing-1", "marketing", "", "Marketing"},
        {"u-cs-manager-1", "cs_manager", "u-vp-cs-1", "CS"},
        {"u-sales-manager-1", "sales_manager", "u-vp-sales-1", "Sales East"},
        {"u-sales-manager-2", "sales_manager", "u-vp-sales-1", "Sales West"},
    };
    int64_t seq = 0;
    cl_err rc;
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
        if ((rc = emit_user(g, &seq, top[i][0], top[i][1], top[i][2],
                            top[i][3])))
            return rc;
    char id[32];
    for (int i = 0; i < g->nae; i++) {
        snprintf(id, sizeof id, "u-ae-%d", i + 1);
        if ((rc = emit_user(g, &seq, id, "ae",
                            i % 2 ? "u-sales-manager-2" : "u-sales-manager-1",
                            i % 2 ? "Sales West" : "Sales East")))
            return rc;
    }
    for (int i = 0; i < g->ncsm; i++) {
        snprintf(id, sizeof id, "u-csm-%d", i + 1);
        if ((rc = emit_user(g, &seq, id, "csm", "u-cs-manager-1", "CS")))
            return rc;
    }
    return CL_OK;
}

static cl_err
pass_holidays(gen *g)
{
    static const char *const names[] = {"New Year's Day",   "Memorial Day",
                                        "Independence Day", "Labor Day",
                                        "Thanksgiving",     "Christmas Day"};
    for (int i = 0; i < g->nhol; i++) {
        row_start(g);
        cell_day(g, g->hol[i]);
        cell(g, "%s", names[i % 6]);
        cl_err rc = row_emit(g, CL_KIND_HOLIDAYS);
        if (rc)
            return rc;
    }
    return CL_OK;
}

static cl_err
pass_icp(gen *g)
{
    cl_err rc;
    row_start(g);
    cell(g, "1");
    cell_day(g, g->start);
    cell(g, "employees >= 20");
    cell(g, "u-marketing-1");
    cell(g, "Launch ICP: any company with a real team; below 20 people the "
            "product is overkill.");
    if ((rc = row_emit(g, CL_KIND_ICP)))
        return rc;
    row_start(g);
    cell(g, "2");
    cell_day(g, g->icp2_on);
    cell(g, "employees >= 50 and has_ops_function = true");
    cell(g, "u-marketing-1");
    cell(g, "Churn review: accounts without an operations owner churn at "
            "several times the base rate, so ops function is now required "
            "and the size floor is 50.");
    return row_emit(g, CL_KIND_ICP);
}

static cl_err
pass_accounts(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        sim(g, i, a);
        uint64_t b = a->name_bits;
        row_start(g);
        cell(g, "a-%06lld", (long long)i + 1);
        const char *suf = co_suffix[(b >> 24) % NELEM(co_suffix)];
        cell(g, "%s %s%s%s", co_first[b % NELEM(co_first)],
             co_second[(b >> 12) % NELEM(co_second)], *suf ? " " : "", suf);
        cell(g, "%s", industries[a->industry]);
        cell(g, "%d", a->employees);
        cell(g, "%s", regions[a->region]);
        cell(g, "%s", a->ops ? "true" : "false");
        if (a->won >= 0)
            cell(g, "u-csm-%d", a->csm + 1);
        else
            cell(g, "%s", "");
        cell_day(g, a->since);
        cell(g, "%s",
             a->won < 0   ? "prospect"
             : a->churned ? "churned"
                          : "customer");
        rc = row_emit(g, CL_KIND_ACCOUNTS);
    }
    free(a);
    return rc;
}

/* One deal row (id given) of account i. */
static cl_err
emit_deal(gen *g, const char *id, int64_t i, const acct *a, const deal *d)
{
    row_start(g);
    cell(g, "%s", id);
    cell(g, "a-%06lld", (long long)i + 1);
    cell(g, "u-ae-%d", a->ae + 1);
    cell(g, "%s", cl_deal_types[d->type]);
    cell(g, "%s", sources[d->source]);
    cell(g, "%s",
         d->stage == ST_WON    ? "closed_won"
         : d->stage == ST_LOST ? "closed_lost"
                               : open_stages[d->stage]);
    cell_day(g, d->created);
    cell_day(g, d->demo);
    cell_day(g, d->closed);
    cell(g, "%d", d->arr);
    cell(g, "%s", d->loss >= 0 ? cl_loss_reasons[d->loss] : "");
    cell(g, "%d", d->score);
    cell(g, "%s", cl_champion_levels[d->level]);
    cell(g, "%d", d->tenure);
    cell(g, "%s", d->exec ? "true" : "false");
    cell(g, "%s", use_cases[d->use_case]);
    cell_day(g, d->kickoff);
    return row_emit(g, CL_KIND_DEALS);
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
    rng_seed(&r, g->o->seed, 2, (uint64_t)i);
    int n = (int)m + chance(&r, m - floor(m));
    int span = g->end - g->start;
    cl_err rc = CL_OK;
    for (int k = 0; k < n && !rc; k++) {
        deal d;
        memset(&d, 0, sizeof d);
        d.type = D_NEW;
        deal_attrs(&r, a, &d);
        if (chance(&r, 0.8)) {
            d.stage = ST_LOST;
            d.closed = g->start + 15 + range(&r, 0, span - 15);
            d.created = d.closed - range(&r, 15, 120);
            if (d.created < g->start)
                d.created = g->start;
            d.demo =
                chance(&r, 0.75) ? demo_day(&r, d.created, d.closed) : NODAY;
            d.loss = pick_w(&r, loss_w, NELEM(loss_w));
        } else {
            d.created = g->end - range(&r, 0, 119);
            d.stage = range(&r, 0, 3);
            if (d.stage > 0 && g->end > d.created)
                d.demo = demo_day(&r, d.created, g->end);
        }
        char id[32];
        snprintf(id, sizeof id, "d-x%07lld", (long long)++*xseq);
        rc = emit_deal(g, id, i, a, &d);
    }
    return rc;
}

static cl_err
pass_deals(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    int64_t seq = 0, xseq = 0;
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        sim(g, i, a);
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
    if (a->small && chance(r, 0.8)) {
        static const int w[] = {0, 2, 0, 0, 4, 55, 4, 4, 12, 2, 9, 2, 6};
        return pick_w(r, w, NELEM(w));
    }
    if (d0->tenure < 6 && chance(r, 0.7))
        return cause_index("phantom_champion");
    return pick_w(r, spread, NELEM(spread));
}

static cl_err
pass_churns(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    int64_t dseq = 0, cseq = 0;
    double acc[NQ] = {0};
    int ncause = NELEM(cause_texts);
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        sim(g, i, a);
        int64_t dbase = dseq;
        dseq += a->nd;
        if (a->won < 0 || !a->churned)
            continue;
        rng r;
        rng_seed(&r, g->o->seed, 2, (uint64_t)i);
        const deal *d0 = &a->d[a->won];
        cl_day c = a->churn_on;
        /* Recent churns are often not tagged yet. */
        int lag = range(&r, 1, 20);
        int tagged = c < g->end - 35 || chance(&r, 0.45);
        if (c + lag > g->end)
            lag = g->end - c;
        if (lag < 1)
            tagged = 0;
        int cause = -1, contrib[2], ncontrib = 0;
        if (tagged) {
            int q = qkey(c) - g->q_base;
            if (q >= 0 && q < NQ)
                acc[q] += g->quota[q];
            if (q >= 0 && q < NQ && acc[q] >= 1 &&
                outside_icp(g, a, a->since)) {
                cause = 0;
                acc[q] -= 1;
            } else {
                cause = pick_cause(&r, a, d0);
                if (cause == 0)
                    cause = 5; /* icp_miss only through the quota */
            }
            int want = pick_w(&r, (const int[]){40, 40, 20}, 3);
            for (int t = 0; t < 8 && ncontrib < want; t++) {
                int x = range(&r, 1, ncause - 1);
                if (x == cause || (ncontrib && contrib[0] == x))
                    continue;
                contrib[ncontrib++] = x;
            }
        }
        row_start(g);
        cell(g, "c-%06lld", (long long)++cseq);
        cell(g, "a-%06lld", (long long)i + 1);
        if (chance(&r, 0.85))
            cell(g, "d-%07lld", (long long)(dbase + a->won + 1));
        else
            cell(g, "%s", "");
        cell_day(g, c);
        cell(g, "%d", a->churn_arr);
        if (tagged) {
            const cause_text *t = &cause_texts[cause];
            cell(g, "%s", t->stated[range(&r, 0, 2)]);
            cell(g, "%s", t->diagnosis[range(&r, 0, 2)]);
            cell(g, "%s", t->behavior[range(&r, 0, 2)]);
            cell(g, "%s", cl_cause_codes[cause]);
            if (ncontrib == 2)
                cell(g, "%s;%s", cl_cause_codes[contrib[0]],
                     cl_cause_codes[contrib[1]]);
            else
                cell(g, "%s", ncontrib ? cl_cause_codes[contrib[0]] : "");
            cell(g, "u-csm-%d", a->csm + 1);
            cell_day(g, c + lag);
        } else {
            const char *stated =
                chance(&r, 0.5) ? cause_texts[pick_cause(&r, a, d0)].stated[0]
                                : "";
            cell(g, "%s", stated);
            for (int k = 0; k < 6; k++)
                cell(g, "%s", "");
        }
        rc = row_emit(g, CL_KIND_CHURNS);
    }
    free(a);
    return rc;
}

static cl_err
pass_recoveries(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    int64_t dseq = 0, rseq = 0;
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        sim(g, i, a);
        int64_t dbase = dseq;
        dseq += a->nd;
        if (a->rec_to < 0)
            continue;
        rng r;
        rng_seed(&r, g->o->seed, 3, (uint64_t)i);
        row_start(g);
        cell(g, "r-%04lld", (long long)++rseq);
        cell(g, "d-%07lld", (long long)(dbase + a->rec_from + 1));
        cell(g, "d-%07lld", (long long)(dbase + a->rec_to + 1));
        cell(g, "%s", cl_recovery_types[a->rec_type]);
        cell(g, "%s", rec_intervention[a->rec_type][range(&r, 0, 1)]);
        cell(g, "%s", rec_changed[a->rec_type][range(&r, 0, 1)]);
        cell(g, "u-csm-%d", a->csm + 1);
        cell_day(g, a->rec_logged);
        rc = row_emit(g, CL_KIND_RECOVERIES);
    }
    free(a);
    return rc;
}

static cl_err
pass_reviews(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    int64_t dseq = 0;
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        sim(g, i, a);
        int64_t dbase = dseq;
        dseq += a->nd;
        if (a->won < 0 || !a->reviewed)
            continue;
        rng r;
        rng_seed(&r, g->o->seed, 4, (uint64_t)i);
        const deal *d0 = &a->d[a->won];
        row_start(g);
        cell(g, "d-%07lld", (long long)(dbase + a->won + 1));
        cell_day(g, a->review_on);
        cell(g, "%s", PICK(&r, q1_text));
        cell(g, "%s", PICK(&r, q2_text));
        cell(g, "%s", PICK(&r, q3_text));
        cell(g, "%s", PICK(&r, q4_text));
        cell(g, "%s", PICK(&r, q5_text));
        if (a->small && chance(&r, 0.7))
            cell(g, "%s", PICK(&r, q6_small));
        else if ((d0->tenure < 6 || !d0->exec) && chance(&r, 0.7))
            cell(g, "%s", PICK(&r, q6_new_champ));
        else
            cell(g, "%s", PICK(&r, q6_ok));
        cell(g, "%s", q7_text[a->gut][range(&r, 0, 1)]);
        cell(g, "%s", cl_gut_reads[a->gut]);
        rc = row_emit(g, CL_KIND_REVIEWS);
    }
    free(a);
    return rc;
}

static cl_err
pass_cs_hours(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        sim(g, i, a);
        if (a->won < 0)
            continue;
        rng r;
        rng_seed(&r, g->o->seed, 5, (uint64_t)i);
        int first = mkey(a->since);
        int last = mkey(a->churned ? a->churn_on : g->end);
        int badfit = a->small || a->d[a->won].score < 40;
        for (int m = first; m <= last && !rc; m++) {
            double h = (badfit ? 14.0 : 6.0) * exp(normal(&r) * 0.4);
            if (m - first < 2)
                h *= 1.8; /* onboarding */
            long tenths = lround(h * 10);
            tenths = tenths < 10 ? 10 : tenths > 400 ? 400 : tenths;
            row_start(g);
            cell(g, "a-%06lld", (long long)i + 1);
            cell(g, "%04d-%02d", m / 12, m % 12 + 1);
            cell(g, "%ld.%ld", tenths / 10, tenths % 10);
            rc = row_emit(g, CL_KIND_CS_HOURS);
        }
    }
    free(a);
    return rc;
}

static cl_err
pass_arr(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        sim(g, i, a);
        for (int j = 0; j < a->nm && !rc; j++) {
            row_start(g);
            cell(g, "a-%06lld", (long long)i + 1);
            cell_day(g, a->m[j].on);
            cell(g, "%s", cl_arr_kinds[a->m[j].kind]);
            cell(g, "%d", a->m[j].amount);
            rc = row_emit(g, CL_KIND_ARR_MOVEMENTS);
        }
    }
    free(a);
    return rc;
}

/* ---- setup -------------------------------------------------------------- */

/* The n-th (1-based) weekday wd of month m; n = -1 means the last. */
static cl_day
nth_weekday(int y, int m, int wd, int n)
{
    if (n > 0) {
        cl_day d = cl_date_from_ymd(y, m, 1);
        while (cl_date_weekday(d) != wd)
            d++;
        return d + 7 * (n - 1);
    }
    cl_day d = cl_date_add_months(cl_date_from_ymd(y, m, 1), 1) - 1;
    while (cl_date_weekday(d) != wd)
        d--;
    return d;
}

cl_err
cl_demo_generate(const cl_demo_opts *opts, cl_demo_emit emit, void *ud,
                 cl_error *err)
{
    if (!opts || !emit)
        return cl_error_set(err, CL_EINVAL, "demo: no options or callback");
    if (opts->accounts < 0 || opts->accounts > MAX_ACCOUNTS)
        return cl_error_set(err, CL_EINVAL,
                            "demo: accounts must be 0 (600) to %d",
                            MAX_ACCOUNTS);
    int ty, tm, td;
    cl_date_ymd(opts->today, &ty, &tm, &td);
    if (ty < 1905 || ty > 2990)
        return cl_error_set(err, CL_EINVAL,
                            "demo: today must be between 1905 and 2990");
    gen *g = calloc(1, sizeof *g);
    if (!g)
        return cl_error_set(err, CL_ENOMEM, "demo: out of memory");
    g->o = opts;
    g->emit = emit;
    g->ud = ud;
    g->err = err;
    g->naccounts = opts->accounts ? opts->accounts : 600;
    g->today = opts->today;
    g->end = opts->today - 1;
    g->start = cl_date_add_months(opts->today, -36);
    g->icp2_on = cl_date_add_months(opts->today, -14);
    int64_t nae = g->naccounts / 75, ncsm = g->naccounts / 60;
    g->nae = nae < 8 ? 8 : nae > 200 ? 200 : (int)nae;
    g->ncsm = ncsm < 4 ? 4 : (int)ncsm;
    for (int y = ty - 3; y <= ty + 1; y++) {
        g->hol[g->nhol++] = cl_date_from_ymd(y, 1, 1);
        g->hol[g->nhol++] = nth_weekday(y, 5, 0, -1);
        g->hol[g->nhol++] = cl_date_from_ymd(y, 7, 4);
        g->hol[g->nhol++] = nth_weekday(y, 9, 0, 1);
        g->hol[g->nhol++] = nth_weekday(y, 11, 3, 4);
        g->hol[g->nhol++] = cl_date_from_ymd(y, 12, 25);
    }
    g->cal.holidays = g->hol;
    g->cal.nholidays = (size_t)g->nhol;
    g->low_month[0] = mkey(cl_date_add_months(g->today, -5));
    g->low_month[1] = mkey(cl_date_add_months(g->today, -11));
    g->q_base = qkey(g->start);
    cl_period now = cl_period_of(CL_PERIOD_QUARTER, g->today);
    cl_period planted = cl_period_shift(&now, -1);
    g->q_planted = qkey(planted.first) - g->q_base;
    for (int q = 0; q < NQ; q++)
        g->quota[q] = q == g->q_planted ? 0.38 : 0.12;

    cl_err (*const passes[])(gen *) = {
        pass_holidays, pass_users,      pass_icp,     pass_accounts, pass_deals,
        pass_churns,   pass_recoveries, pass_reviews, pass_cs_hours, pass_arr};
    cl_err rc = CL_OK;
    for (size_t p = 0; p < sizeof passes / sizeof passes[0] && !rc; p++)
        rc = passes[p](g);
    free(g);
    return rc;
}
