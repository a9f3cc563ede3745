/* people.c - the rules of managing people (people.h). */
#include "people.h"

#include <stdio.h>
#include <string.h>

/* Ids stay short enough to read in an audit line and to take a suffix. */
#define ID_BASE_MAX 40

void
cl_people_id_base(const char *name, const char *role,
                  char out[CL_PEOPLE_ID_MAX])
{
    size_t n = 0;
    int gap = 0;
    for (const char *p = name ? name : ""; *p && n < ID_BASE_MAX; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (gap && n > 0 && n + 1 < ID_BASE_MAX)
                out[n++] = '-';
            out[n++] = c;
            gap = 0;
        } else {
            gap = 1;
        }
    }
    while (n > 0 && out[n - 1] == '-')
        n--;
    out[n] = '\0';
    if (n > 0)
        return;
    snprintf(out, CL_PEOPLE_ID_MAX, "%s", role && *role ? role : "user");
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = '-';
}

const char *
cl_people_password_check(const char *pw)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < CL_PEOPLE_PW_MIN)
        return "a new password needs at least 10 characters";
    if (n > CL_PEOPLE_PW_MAX)
        return "a new password may have at most 1024 characters";
    return NULL;
}

static const char *
manager_of(const char *id, const cl_people_link *links, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (links[i].id && strcmp(links[i].id, id) == 0)
            return links[i].manager_id && *links[i].manager_id
                       ? links[i].manager_id
                       : NULL;
    return NULL;
}

int
cl_people_manager_cycle(const char *user_id, const char *manager_id,
                        const cl_people_link *links, size_t n)
{
    const char *at = manager_id && *manager_id ? manager_id : NULL;
    /* n + 1 steps walk any chain of n users; a longer walk is a loop that
       does not pass through user_id, which is not this change's doing. */
    for (size_t step = 0; at && step <= n; step++) {
        if (strcmp(at, user_id) == 0)
            return 1;
        at = manager_of(at, links, n);
    }
    return 0;
}

cl_people_status
cl_people_status_of(int has_password, int has_link, int deactivated)
{
    if (deactivated)
        return CL_PEOPLE_DEACTIVATED;
    return !has_password && has_link ? CL_PEOPLE_INVITED : CL_PEOPLE_ACTIVE;
}

const char *
cl_people_status_name(cl_people_status s)
{
    switch (s) {
    case CL_PEOPLE_ACTIVE:
        return "active";
    case CL_PEOPLE_INVITED:
        return "invited";
    case CL_PEOPLE_DEACTIVATED:
        return "deactivated";
    }
    return "active";
}

static const struct {
    const char *code, *label;
} role_labels[] = {
    {"csm", "Customer success manager"},
    {"cs_manager", "CS team lead"},
    {"ae", "Account executive"},
    {"sales_manager", "Sales manager"},
    {"vp_sales", "VP Sales"},
    {"vp_cs", "VP Customer Success"},
    {"marketing", "Marketing"},
    {"revops", "RevOps"},
    {"admin", "Administrator"},
};

const char *
cl_people_role_label(const char *role)
{
    for (size_t i = 0; i < sizeof role_labels / sizeof role_labels[0]; i++)
        if (role && strcmp(role_labels[i].code, role) == 0)
            return role_labels[i].label;
    return role ? role : "";
}
