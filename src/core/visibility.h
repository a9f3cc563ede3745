/*
 * visibility.h - who may read and do what (docs/design.md section 6), as pure
 * functions.
 *
 * The one place the rules live: the HTTP layer asks these functions for
 * every record it hands out and every action it runs, and filters fields
 * through the groups they return.  No I/O: the caller passes the viewer
 * and what it knows of the record (its AE, that AE's manager, ...).
 */
#ifndef CL_VISIBILITY_H
#define CL_VISIBILITY_H

/* What is being read. */
typedef enum cl_vis_kind {
    CL_VK_USER,
    CL_VK_ACCOUNT,
    CL_VK_DEAL,
    CL_VK_CHURN,
    CL_VK_RECOVERY,
    CL_VK_REVIEW,
    CL_VK_TASK,
    CL_VK_SESSION,
    CL_VK_COACHING,
    CL_VK_INBOX,
    CL_VK_AUDIT,
    CL_VK_SETTINGS,
    CL_VK_HOLIDAY,
    CL_VK_COUNT
} cl_vis_kind;

/* Field groups of a record (a bit mask). */
#define CL_VG_BASE 1u     /* the record itself; Q1, Q4, Q6 risk summary */
#define CL_VG_PRIVATE 2u  /* Q2, Q5, Q7 (and gut read), health score */
#define CL_VG_INTERNAL 4u /* Q3 and the full Q6: never customer-facing */
#define CL_VG_AE 8u       /* the names of individual AEs (ae ids) */
#define CL_VG_ALL (CL_VG_BASE | CL_VG_PRIVATE | CL_VG_INTERNAL | CL_VG_AE)

/* Who is asking. */
typedef struct cl_viewer {
    const char *user_id;
    const char *role;    /* a code of cl_roles */
    int customer_facing; /* 1 for an export meant for a customer */
} cl_viewer;

/*
 * What the caller knows of the record; ids may be NULL.  For a deal, a
 * review, a churn or a recovery: the deal's AE.  For a coaching item: the
 * AE it concerns.  For a task or an inbox item: its assignee/recipient.
 * owner_manager_id is that person's manager.
 */
typedef struct cl_vis_rel {
    const char *owner_id;
    const char *owner_manager_id;
    const char *owner_role; /* for a user record: its role */
} cl_vis_rel;

/*
 * The field groups of a record of kind that viewer may read (0: none, the
 * API answers 403).  rel may be NULL when nothing is known of the record.
 */
unsigned cl_vis_fields(const cl_viewer *v, cl_vis_kind kind,
                       const cl_vis_rel *rel);

/*
 * 1 if viewer may read the audit trail of a record of kind: only those
 * who may read every field group the kind has, since the trail carries
 * the old and new values of every field.
 */
int cl_vis_audit(const cl_viewer *v, cl_vis_kind kind, const cl_vis_rel *rel);

/* 1 if viewer may read records of kind at all (lists: 403 when 0). */
int cl_vis_may_list(const cl_viewer *v, cl_vis_kind kind);

/* The field group of field `name` of a record of kind. */
unsigned cl_vis_field_group(cl_vis_kind kind, const char *name);

/*
 * What a role may not read, it may not filter, sort or count on either: a
 * list whose filter matched on a hidden field would tell the hidden value
 * by which records it returns and by its total.  How viewer may filter or
 * order a list of records of kind on field:
 */
typedef enum cl_vis_filter {
    /* It reads field on no record of kind (marketing and deals' ae_id, a
       sales manager and reviews' Q7): the API answers 403
       "forbidden_field" naming it, before reading anything. */
    CL_VF_REFUSE = 0,
    /* It reads field on every record of kind it may list. */
    CL_VF_ANY,
    /*
     * It reads field only on records of its own (an AE and the private
     * answers of its own deals' reviews).  The filter applies within
     * those: a record the viewer may not read field on never matches, so
     * neither the page, nor the total, nor a cursor's next page shows
     * that it would have.  Chosen over refusing because an AE filtering
     * its reviews by gut read expects its own worried deals back.
     */
    CL_VF_OWN
} cl_vis_filter;

/*
 * The rule for filtering or ordering records of kind on field (a field of
 * the kind; unknown names are the caller's 400).  A record kept under
 * CL_VF_OWN is one whose cl_vis_fields grants cl_vis_field_group(kind,
 * field).  Keys and names (what cursors and `q` search) are CL_VF_ANY for
 * every role that may list the kind.
 */
cl_vis_filter cl_vis_filter_on(const cl_viewer *v, cl_vis_kind kind,
                               const char *field);

/* The actions of the API: who may do them is decided here. */
typedef enum cl_vis_action {
    CL_VA_CHURN_TAG,
    CL_VA_REVIEW_RECORD,
    CL_VA_KICKOFF,
    CL_VA_RECOVERY_CLASSIFY,
    CL_VA_CHANGE_RECORD,
    CL_VA_CHANGE_CHECKIN,
    CL_VA_SESSION_CLOSE,
    CL_VA_SESSION_DECIDE,
    CL_VA_RECORD_WRITE, /* create/update imported records */
    CL_VA_SETTINGS,     /* taxonomy, thresholds, holidays, channels */
    CL_VA_USERS,        /* add and change users */
    CL_VA_TASK_DONE,    /* rel: the task's assignee */
    CL_VA_INBOX_READ,   /* rel: the message's recipient */
    CL_VA_ICP_WRITE,    /* add an ICP version, record "reviewed, no change" */
    /* open a coaching item, record its conversation, close it; rel: the AE
       and the AE's manager */
    CL_VA_COACHING_WRITE,
    CL_VA_PEOPLE,       /* invite, reset, deactivate: the administrator */
    CL_VA_REVIEW_ANSWER, /* rel: the deal's AE; its own review questions */
    CL_VA_SESSION_OPEN,  /* open a session now or schedule one (issue 16) */
    CL_VA_COUNT
} cl_vis_action;

/*
 * 1 if viewer may do action.  rel says whose record it is where that
 * matters (a check-in by the change's owner, a task by its assignee, an
 * inbox item by its recipient); NULL otherwise.
 */
int cl_vis_may(const cl_viewer *v, cl_vis_action action, const cl_vis_rel *rel);

/*
 * Reports: 1 if viewer may read report `name` at all; *private_view is 1
 * only when the viewer asked for it (want_private) and both the role
 * (revops, vp_sales) and the report (bad-fit, recovery) allow it.
 */
int cl_vis_report(const cl_viewer *v, const char *name, int want_private,
                  int *private_view);

/*
 * What a shared channel (the team's webhook: Slack, Teams) may carry of a
 * notification of kind what (a NOTIFY kind of workflow.h).  NULL when the
 * message may go as it is; for a private kind (coaching_item, docs/design.md
 * section 6) the one line that replaces its title and body: the channel hears
 * that an item was opened, never whose, about which account, or what it says.
 * The static string is not to be freed.
 */
const char *cl_vis_shared_notice(const char *what);

#endif
