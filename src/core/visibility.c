/*
 * visibility.c - docs/design.md section 6 as data and a few pure functions.
 *
 * Roles are bits so each rule reads as the list of roles the design names.
 */
#include "visibility.h"

#include <string.h>

#include "record.h"

enum {
    R_CSM = 1 << 0,
    R_CS_MANAGER = 1 << 1,
    R_AE = 1 << 2,
    R_SALES_MANAGER = 1 << 3,
    R_VP_SALES = 1 << 4,
    R_VP_CS = 1 << 5,
    R_MARKETING = 1 << 6,
    R_REVOPS = 1 << 7,
    R_ADMIN = 1 << 8,
    R_ALL = (1 << 9) - 1
};

/* The bit of role, in cl_roles order; 0 for an unknown role. */
static unsigned
role_bit(const char *role)
{
    int i = role ? cl_enum_index(cl_roles, role) : -1;
    return i < 0 ? 0u : 1u << i;
}

static int
same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Q2, Q5, Q7 and health: the CS side, RevOps, admin and the deal's AE. */
#define PRIVATE_ROLES (R_CSM | R_CS_MANAGER | R_VP_CS | R_REVOPS | R_ADMIN)

/* Coaching items: the AE concerned, its manager, vp_sales, revops. */
#define COACHING_ROLES (R_VP_SALES | R_REVOPS)

/* The tag audit report names CSMs: the CS leads, RevOps, admin. */
#define AUDIT_ROLES (R_CSM | R_CS_MANAGER | R_VP_CS | R_REVOPS | R_ADMIN)

/* Which groups a kind has at all. */
static unsigned
kind_groups(cl_vis_kind kind)
{
    switch (kind) {
    case CL_VK_DEAL:
        return CL_VG_BASE | CL_VG_PRIVATE | CL_VG_AE;
    case CL_VK_REVIEW:
        return CL_VG_BASE | CL_VG_PRIVATE | CL_VG_INTERNAL;
    case CL_VK_RECOVERY:
    case CL_VK_CHURN:
    case CL_VK_ACCOUNT:
    case CL_VK_USER:
        return CL_VG_BASE;
    default:
        return CL_VG_ALL;
    }
}

/* The groups of a shared customer record (account, deal, review, ...). */
static unsigned
record_groups(const cl_viewer *v, unsigned r, const cl_vis_rel *rel)
{
    unsigned g = CL_VG_BASE;
    if (!v->customer_facing)
        g |= CL_VG_INTERNAL;
    /* Marketing never sees individual AE data. */
    if (!(r & R_MARKETING))
        g |= CL_VG_AE;
    if ((r & PRIVATE_ROLES) ||
        ((r & R_AE) && rel && same(rel->owner_id, v->user_id)))
        g |= CL_VG_PRIVATE;
    return g;
}

unsigned
cl_vis_fields(const cl_viewer *v, cl_vis_kind kind, const cl_vis_rel *rel)
{
    unsigned r = role_bit(v->role);
    if (r == 0 || !v->user_id)
        return 0;
    int own = rel && same(rel->owner_id, v->user_id);
    int manages = rel && same(rel->owner_manager_id, v->user_id);
    switch (kind) {
    case CL_VK_USER:
        if ((r & R_MARKETING) && rel &&
            (same(rel->owner_role, "ae") ||
             same(rel->owner_role, "sales_manager")))
            return 0;
        return CL_VG_BASE;
    case CL_VK_ACCOUNT:
    case CL_VK_DEAL:
    case CL_VK_CHURN:
    case CL_VK_RECOVERY:
    case CL_VK_REVIEW:
        return record_groups(v, r, rel) & kind_groups(kind);
    case CL_VK_TASK:
        return own || manages || (r & (R_REVOPS | R_ADMIN)) ? CL_VG_ALL : 0;
    case CL_VK_COACHING:
        /* An AE's own item, its manager's AEs', and the two roles that
           own coaching; nobody else, whatever their rank. */
        return own || (manages && (r & R_SALES_MANAGER)) || (r & COACHING_ROLES)
                   ? CL_VG_ALL
                   : 0;
    case CL_VK_INBOX:
        return own ? CL_VG_ALL : 0;
    case CL_VK_SESSION:
    case CL_VK_SETTINGS:
    case CL_VK_HOLIDAY:
        return CL_VG_BASE | CL_VG_INTERNAL;
    case CL_VK_AUDIT:
        return (r & AUDIT_ROLES) ? CL_VG_ALL : 0;
    case CL_VK_COUNT:
        break;
    }
    return 0;
}

int
cl_vis_audit(const cl_viewer *v, cl_vis_kind kind, const cl_vis_rel *rel)
{
    unsigned want = kind_groups(kind);
    return cl_vis_fields(v, kind, rel) != 0 &&
           (cl_vis_fields(v, kind, rel) & want) == want;
}

int
cl_vis_may_list(const cl_viewer *v, cl_vis_kind kind)
{
    unsigned r = role_bit(v->role);
    if (r == 0 || !v->user_id)
        return 0;
    switch (kind) {
    case CL_VK_COACHING:
        return (r & (R_AE | R_SALES_MANAGER | COACHING_ROLES)) != 0;
    case CL_VK_AUDIT:
        return (r & AUDIT_ROLES) != 0;
    default:
        /* Lists are filtered row by row through cl_vis_fields. */
        return kind < CL_VK_COUNT;
    }
}

typedef struct field_group {
    cl_vis_kind kind;
    const char *name;
    unsigned group;
} field_group;

static const field_group groups[] = {
    {CL_VK_DEAL, "ae_id", CL_VG_AE},
    {CL_VK_DEAL, "health_score", CL_VG_PRIVATE},
    {CL_VK_REVIEW, "q2", CL_VG_PRIVATE},
    {CL_VK_REVIEW, "q3", CL_VG_INTERNAL},
    {CL_VK_REVIEW, "q5", CL_VG_PRIVATE},
    {CL_VK_REVIEW, "q6", CL_VG_INTERNAL},
    {CL_VK_REVIEW, "q7", CL_VG_PRIVATE},
    {CL_VK_REVIEW, "gut_read", CL_VG_PRIVATE},
    /* The CSM's flags: internal, as the full Q6 context (issue 14). */
    {CL_VK_REVIEW, "implementation_risk", CL_VG_INTERNAL},
    {CL_VK_REVIEW, "capacity_risk", CL_VG_INTERNAL},
    {CL_VK_REVIEW, "context_gaps", CL_VG_INTERNAL},
    {CL_VK_REVIEW, "csm_note", CL_VG_INTERNAL},
    {CL_VK_REVIEW, "health_score", CL_VG_PRIVATE},
};

unsigned
cl_vis_field_group(cl_vis_kind kind, const char *name)
{
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (groups[i].kind == kind && strcmp(groups[i].name, name) == 0)
            return groups[i].group;
    return CL_VG_BASE;
}

cl_vis_filter
cl_vis_filter_on(const cl_viewer *v, cl_vis_kind kind, const char *field)
{
    unsigned g = cl_vis_field_group(kind, field);
    /* Somebody else's record, then the viewer's own and its reports'. */
    cl_vis_rel other = {NULL, NULL, NULL};
    cl_vis_rel own = {v->user_id, NULL, NULL};
    cl_vis_rel managed = {NULL, v->user_id, NULL};
    if (cl_vis_fields(v, kind, &other) & g)
        return CL_VF_ANY;
    if ((cl_vis_fields(v, kind, &own) | cl_vis_fields(v, kind, &managed)) & g)
        return CL_VF_OWN;
    return CL_VF_REFUSE;
}

int
cl_vis_may(const cl_viewer *v, cl_vis_action action, const cl_vis_rel *rel)
{
    unsigned r = role_bit(v->role);
    int own = rel && same(rel->owner_id, v->user_id);
    if (r == 0 || !v->user_id)
        return 0;
    switch (action) {
    case CL_VA_CHURN_TAG:
    case CL_VA_REVIEW_RECORD:
    case CL_VA_KICKOFF:
    case CL_VA_RECOVERY_CLASSIFY:
        return (r & (R_CSM | R_CS_MANAGER | R_REVOPS)) != 0;
    case CL_VA_CHANGE_RECORD:
    case CL_VA_SESSION_CLOSE:
    case CL_VA_SESSION_DECIDE:
    case CL_VA_SESSION_OPEN:
        /* RevOps runs the sessions and records their decisions. */
        return (r & R_REVOPS) != 0;
    case CL_VA_CHANGE_CHECKIN:
        return own || (r & R_REVOPS);
    case CL_VA_RECORD_WRITE:
    case CL_VA_SETTINGS:
    case CL_VA_USERS:
        return (r & (R_REVOPS | R_ADMIN)) != 0;
    case CL_VA_TASK_DONE:
        return own || (r & R_REVOPS);
    case CL_VA_INBOX_READ:
        return own;
    case CL_VA_ICP_WRITE:
        /* Marketing owns the ICP definition; RevOps owns the loop and
           records the review's outcome when Marketing is not at hand. */
        return (r & (R_MARKETING | R_REVOPS)) != 0;
    case CL_VA_COACHING_WRITE:
        /* The AE's own manager holds the conversation; VP Sales and RevOps
           may for any AE.  Never the AE: it is the one being coached. */
        return (r & (R_VP_SALES | R_REVOPS)) != 0 ||
               (rel && rel->owner_manager_id && !own &&
                same(rel->owner_manager_id, v->user_id));
    case CL_VA_PEOPLE:
        /* Who works here and who may sign in is the operator's
           (docs/design.md section 1: admin owns users). */
        return (r & R_ADMIN) != 0;
    case CL_VA_REVIEW_ANSWER:
        /* Issue 14: the deal's own AE answers its questions; the CSM owns
           the review and records it (CL_VA_REVIEW_RECORD). */
        return own && (r & R_AE);
    case CL_VA_COUNT:
        break;
    }
    return 0;
}

int
cl_vis_report(const cl_viewer *v, const char *name, int want_private,
              int *private_view)
{
    unsigned r = role_bit(v->role);
    *private_view = 0;
    if (r == 0 || !v->user_id || !name)
        return 0;
    if (strcmp(name, "audit") == 0 && !(r & AUDIT_ROLES))
        return 0;
    /* The pipeline report lists open deals by AE. */
    if (strcmp(name, "pipeline") == 0 && (r & R_MARKETING))
        return 0;
    if (want_private && (r & (R_REVOPS | R_VP_SALES)) &&
        (strcmp(name, "bad-fit") == 0 || strcmp(name, "recovery") == 0))
        *private_view = 1;
    return 1;
}

const char *
cl_vis_shared_notice(const char *what)
{
    if (what && strcmp(what, "coaching_item") == 0)
        return "A private coaching item was opened for a manager";
    return NULL;
}
