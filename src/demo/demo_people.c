/*
 * demo_people.c - the demo passes of people and accounts: users,
 * holidays, ICP versions and accounts
 * (the demo generator: demo.c; shared types in demo_int.h).
 */
#include "demo_int.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- vocabulary --------------------------------------------------------- */

static const char *const industries[] = {
    "software",      "fintech",   "healthcare", "retail",
    "manufacturing", "logistics", "education",  "media"};
static const char *const regions[] = {"NA", "EMEA", "APAC", "LATAM"};
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
    cl__demo_row_start(g);
    cl__demo_cell(g, "%s", id);
    cl__demo_cell(g, "%s", name);
    cl__demo_cell(g, "%s", email);
    cl__demo_cell(g, "%s", role);
    cl__demo_cell(g, "%s", mgr);
    cl__demo_cell(g, "%s", team);
    return cl__demo_row_emit(g, CL_KIND_USERS);
}

cl_err
cl__demo_pass_users(gen *g)
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

cl_err
cl__demo_pass_holidays(gen *g)
{
    static const char *const names[] = {"New Year's Day",   "Memorial Day",
                                        "Independence Day", "Labor Day",
                                        "Thanksgiving",     "Christmas Day"};
    for (int i = 0; i < g->nhol; i++) {
        cl__demo_row_start(g);
        cl__demo_cell_day(g, g->hol[i]);
        cl__demo_cell(g, "%s", names[i % 6]);
        cl_err rc = cl__demo_row_emit(g, CL_KIND_HOLIDAYS);
        if (rc)
            return rc;
    }
    return CL_OK;
}

cl_err
cl__demo_pass_icp(gen *g)
{
    cl_err rc;
    cl__demo_row_start(g);
    cl__demo_cell(g, "1");
    cl__demo_cell_day(g, g->start);
    cl__demo_cell(g, "employees >= 20");
    cl__demo_cell(g, "u-marketing-1");
    cl__demo_cell(
        g, "Launch ICP: any company with a real team; below 20 people the "
           "product is overkill.");
    if ((rc = cl__demo_row_emit(g, CL_KIND_ICP)))
        return rc;
    cl__demo_row_start(g);
    cl__demo_cell(g, "2");
    cl__demo_cell_day(g, g->icp2_on);
    cl__demo_cell(g, "employees >= 50 and has_ops_function = true");
    cl__demo_cell(g, "u-marketing-1");
    cl__demo_cell(
        g, "Churn review: accounts without an operations owner churn at "
           "several times the base rate, so ops function is now required "
           "and the size floor is 50.");
    return cl__demo_row_emit(g, CL_KIND_ICP);
}

cl_err
cl__demo_pass_accounts(gen *g)
{
    acct *a = malloc(sizeof *a);
    if (!a)
        return cl_error_set(g->err, CL_ENOMEM, "demo: out of memory");
    cl_err rc = CL_OK;
    for (int64_t i = 0; i < g->naccounts && !rc; i++) {
        cl__demo_sim(g, i, a);
        uint64_t b = a->name_bits;
        cl__demo_row_start(g);
        cl__demo_cell(g, "a-%06lld", (long long)i + 1);
        const char *suf = co_suffix[(b >> 24) % NELEM(co_suffix)];
        cl__demo_cell(g, "%s %s%s%s", co_first[b % NELEM(co_first)],
                      co_second[(b >> 12) % NELEM(co_second)], *suf ? " " : "",
                      suf);
        cl__demo_cell(g, "%s", industries[a->industry]);
        cl__demo_cell(g, "%d", a->employees);
        cl__demo_cell(g, "%s", regions[a->region]);
        cl__demo_cell(g, "%s", a->ops ? "true" : "false");
        if (a->won >= 0)
            cl__demo_cell(g, "u-csm-%d", a->csm + 1);
        else
            cl__demo_cell(g, "%s", "");
        cl__demo_cell_day(g, a->since);
        cl__demo_cell(g, "%s",
                      a->won < 0   ? "prospect"
                      : a->churned ? "churned"
                                   : "customer");
        rc = cl__demo_row_emit(g, CL_KIND_ACCOUNTS);
    }
    free(a);
    return rc;
}

/* One deal row (id given) of account i. */
