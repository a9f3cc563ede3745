/*
 * people.h - the rules of managing people (issue 16), pure: the internal
 * id a new person gets, what makes a password acceptable, why a manager
 * may not be chosen, and the status a person is in.  No I/O: the callers
 * (the HTTP server, the CLI) read the users and pass them in.
 */
#ifndef CL_PEOPLE_H
#define CL_PEOPLE_H

#include <stddef.h>

/* A new password's length bounds, in bytes: the one password rule of the
   web UI, the API and the invitation page. */
#define CL_PEOPLE_PW_MIN 10
#define CL_PEOPLE_PW_MAX 1024

/* Room for an internal id cl_people_id_base writes. */
#define CL_PEOPLE_ID_MAX 56

/*
 * The base of a new person's internal id into out (CL_PEOPLE_ID_MAX
 * bytes): the name's ASCII letters and digits, lower case, words joined
 * by '-' ("Jane O'Doe" -> "jane-o-doe"), at most 40 characters; when the
 * name has none (a name in another script), the role with '-' for '_'.
 * The caller makes it unique by trying base, base-2, base-3, ...
 */
void cl_people_id_base(const char *name, const char *role,
                       char out[CL_PEOPLE_ID_MAX]);

/*
 * NULL when pw is an acceptable new password, else why not (a static
 * sentence, for the field new_password or --password).
 */
const char *cl_people_password_check(const char *pw);

/* One user's link to its manager (manager_id NULL or "" for none). */
typedef struct cl_people_link {
    const char *id, *manager_id;
} cl_people_link;

/*
 * 1 when making manager_id the manager of user_id would close a loop of
 * managers: manager_id is user_id, or walking up from manager_id through
 * links (every user's current manager, n of them) reaches user_id.
 */
int cl_people_manager_cycle(const char *user_id, const char *manager_id,
                            const cl_people_link *links, size_t n);

/* A person's status, as the People page and the API say it. */
typedef enum cl_people_status {
    CL_PEOPLE_ACTIVE,     /* may sign in, or may be invited (imported
                             without a password, no link out) */
    CL_PEOPLE_INVITED,    /* no password yet, an invitation is out */
    CL_PEOPLE_DEACTIVATED /* signs in no more; history kept */
} cl_people_status;

/* The status of a user with or without a password, with or without an
   unused link (expired or not), deactivated or not. */
cl_people_status cl_people_status_of(int has_password, int has_link,
                                     int deactivated);

/* "active", "invited", "deactivated". */
const char *cl_people_status_name(cl_people_status s);

/* The plain-language label of a role code ("cs_manager" -> "CS manager");
   the code itself when unknown. */
const char *cl_people_role_label(const char *role);

#endif
