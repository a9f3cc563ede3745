/*
 * routes.c - every route of the API, in one table.  The OpenAPI document
 * (openapi.c) is generated from this table, so the two cannot drift.
 *
 * body: the request body in short form for the document, "name:type" with
 * types string, integer, number, boolean, string[]; "!" marks a required
 * field.  Record routes take the record's own fields (record.h).
 */
#include "http_int.h"

#define U CL_AUTH_USER
#define NONE CL_KIND_NONE

/* The five routes of a canonical record kind. */
#define RECORD_ROUTES(path, k, tg, one)                                        \
    {.method = "GET", .pattern = "/api/v1/" path,                              \
     .handler = cl__h_record_list, .auth = U, .kind = k, .tag = tg,            \
     .summary = "List " path " (filter by any field, limit, offset)"},         \
        {.method = "POST", .pattern = "/api/v1/" path,                         \
         .handler = cl__h_record_create, .auth = U, .kind = k, .tag = tg,      \
         .summary = "Create " one, .body = "record"},                          \
        {.method = "GET", .pattern = "/api/v1/" path "/{id}",                  \
         .handler = cl__h_record_get, .auth = U, .kind = k, .tag = tg,         \
         .summary = "Read " one " (ETag)"},                                    \
        {.method = "PUT", .pattern = "/api/v1/" path "/{id}",                  \
         .handler = cl__h_record_update, .auth = U, .kind = k, .tag = tg,      \
         .summary = "Replace " one " (If-Match)", .body = "record"},           \
    {                                                                          \
        .method = "PATCH", .pattern = "/api/v1/" path "/{id}",                 \
        .handler = cl__h_record_update, .auth = U, .kind = k, .tag = tg,       \
        .summary = "Change fields of " one " (If-Match)", .body = "record"     \
    }

const cl_http_route cl__http_routes[] = {
    {.method = "GET", .pattern = "/api/v1/hello", .handler = cl__h_hello,
     .auth = CL_AUTH_NONE, .kind = NONE, .tag = "meta",
     .summary = "A static reply (health check, benchmark baseline)"},
    {.method = "GET", .pattern = "/api/v1/openapi.json",
     .handler = cl__h_openapi, .auth = CL_AUTH_NONE, .kind = NONE,
     .tag = "meta", .summary = "This document"},

    {.method = "POST", .pattern = "/api/v1/auth/login",
     .handler = cl__h_login, .auth = CL_AUTH_NONE, .kind = NONE,
     .tag = "auth",
     .summary = "Sign in: sets the session cookie, returns the CSRF token",
     .body = "email:string!,password:string!"},
    {.method = "POST", .pattern = "/api/v1/auth/logout",
     .handler = cl__h_logout, .auth = U, .kind = NONE, .tag = "auth",
     .summary = "Sign out"},
    {.method = "GET", .pattern = "/api/v1/me", .handler = cl__h_me, .auth = U,
     .kind = NONE, .tag = "auth", .summary = "The signed-in user"},

    RECORD_ROUTES("users", CL_KIND_USERS, "users", "a user"),
    RECORD_ROUTES("accounts", CL_KIND_ACCOUNTS, "accounts", "an account"),
    RECORD_ROUTES("deals", CL_KIND_DEALS, "deals", "a deal"),
    RECORD_ROUTES("churns", CL_KIND_CHURNS, "churns", "a churn"),
    RECORD_ROUTES("recoveries", CL_KIND_RECOVERIES, "recoveries",
                  "a recovery"),
    RECORD_ROUTES("reviews", CL_KIND_REVIEWS, "reviews",
                  "a won-deal review (by deal id)"),
    RECORD_ROUTES("holidays", CL_KIND_HOLIDAYS, "settings",
                  "a holiday (by date)"),

    /* ICP versions (issue 14): added, never changed or deleted. */
    {.method = "GET",
     .pattern = "/api/v1/icp",
     .handler = cl__h_record_list,
     .auth = U,
     .kind = CL_KIND_ICP,
     .tag = "icp",
     .summary = "List ICP versions"},
    {.method = "POST",
     .pattern = "/api/v1/icp",
     .handler = cl__h_record_create,
     .auth = U,
     .kind = CL_KIND_ICP,
     .tag = "icp",
     .summary = "Add an ICP version (marketing, revops): owner and rationale "
                "required",
     .body = "record"},
    {.method = "POST",
     .pattern = "/api/v1/icp/no-change",
     .handler = cl__h_icp_no_change,
     .auth = U,
     .kind = NONE,
     .tag = "icp",
     .summary = "Record that the ICP review kept the definition (audited)",
     .body = "rationale:string!,owner_id:string",
     .action = CL_HTTP_MAY(CL_VA_ICP_WRITE),
     .refusal = "Marketing (the ICP owner) or RevOps records the ICP "
                "review's decisions"},
    {.method = "GET",
     .pattern = "/api/v1/icp/{id}",
     .handler = cl__h_record_get,
     .auth = U,
     .kind = CL_KIND_ICP,
     .tag = "icp",
     .summary = "Read an ICP version"},
    {.method = "PUT",
     .pattern = "/api/v1/icp/{id}",
     .handler = cl__h_icp_immutable,
     .auth = U,
     .kind = NONE,
     .tag = "icp",
     .summary = "Refused (405): ICP versions are immutable"},
    {.method = "PATCH",
     .pattern = "/api/v1/icp/{id}",
     .handler = cl__h_icp_immutable,
     .auth = U,
     .kind = NONE,
     .tag = "icp",
     .summary = "Refused (405): ICP versions are immutable"},
    {.method = "DELETE",
     .pattern = "/api/v1/icp/{id}",
     .handler = cl__h_icp_immutable,
     .auth = U,
     .kind = NONE,
     .tag = "icp",
     .summary = "Refused (405): ICP versions are immutable"},

    /* Accounts and credentials (h_admin.c). */
    {.method = "POST", .pattern = "/api/v1/me/password",
     .handler = cl__h_password_me, .auth = U, .kind = NONE, .tag = "auth",
     .summary = "Change your own password (ends your other sessions)",
     .body = "current_password:string!,new_password:string!"},
    {.method = "POST", .pattern = "/api/v1/users/{id}/password",
     .handler = cl__h_password_user, .auth = U, .kind = NONE,
     .tag = "users",
     .summary = "Set a user's password (ends their sessions)",
     .body = "new_password:string!",
     .action = CL_HTTP_MAY(CL_VA_USERS),
     .refusal = "your role may not set other users' passwords"},
    {.method = "GET", .pattern = "/api/v1/tokens", .handler = cl__h_tokens,
     .auth = U, .kind = NONE, .tag = "auth",
     .summary = "API tokens: your own (user admins: all, user_id=ID)"},
    {.method = "POST", .pattern = "/api/v1/tokens",
     .handler = cl__h_token_create, .auth = U, .kind = NONE, .tag = "auth",
     .summary = "Create an API token; its secret is in this reply only",
     .body = "user_id:string"},
    {.method = "POST", .pattern = "/api/v1/tokens/{id}/revoke",
     .handler = cl__h_token_revoke, .auth = U, .kind = NONE, .tag = "auth",
     .summary = "Revoke an API token"},
    {.method = "DELETE", .pattern = "/api/v1/holidays/{id}",
     .handler = cl__h_holiday_delete, .auth = U, .kind = NONE,
     .tag = "settings", .summary = "Delete a holiday (by date)",
     .action = CL_HTTP_MAY(CL_VA_SETTINGS),
     .refusal = "your role may not change holidays"},

    {.method = "GET", .pattern = "/api/v1/accounts/{id}/page",
     .handler = cl__h_account_page, .auth = U, .kind = CL_KIND_ACCOUNTS,
     .tag = "accounts",
     .summary = "The account page: account, deals, won-deal review, health, "
                "churn and its tag, recoveries, audit trail"},
    {.method = "GET", .pattern = "/api/v1/audit/{entity}/{id}",
     .handler = cl__h_audit, .auth = U, .kind = NONE, .tag = "audit",
     .summary = "The audit trail of one record"},

    {.method = "POST", .pattern = "/api/v1/churns/{id}/tag",
     .handler = cl__h_churn_tag, .auth = U, .kind = CL_KIND_CHURNS,
     .tag = "churns", .summary = "Tag a churn's root cause",
     .body = "primary_cause:string!,contributing_causes:string[],"
             "stated_reason:string,diagnosis:string,"
             "predictive_behavior:string",
     .action = CL_HTTP_MAY(CL_VA_CHURN_TAG)},
    {.method = "POST", .pattern = "/api/v1/churns/{id}/close",
     .handler = cl__h_churn_close, .auth = U, .kind = CL_KIND_CHURNS,
     .tag = "churns",
     .summary = "Close a tagged churn (all three signals needed; 'not known: "
                "REASON' counts)",
     .action = CL_HTTP_MAY(CL_VA_CHURN_TAG)},
    {.method = "POST", .pattern = "/api/v1/churns/{id}/reopen",
     .handler = cl__h_churn_reopen, .auth = U, .kind = CL_KIND_CHURNS,
     .tag = "churns",
     .summary = "Reopen a closed churn so its tag can change (audited)",
     .body = "reason:string!",
     .action = CL_HTTP_MAY(CL_VA_CHURN_TAG)},
    {.method = "POST", .pattern = "/api/v1/deals/{id}/review",
     .handler = cl__h_review_record, .auth = U, .kind = CL_KIND_REVIEWS,
     .tag = "deals", .summary = "Record the won-deal review",
     .body = "q1:string,q2:string,q3:string,q4:string,q5:string!,"
             "q6:string!,q7:string,gut_read:string,held_on:string,"
             "implementation_risk:boolean,capacity_risk:boolean,"
             "context_gaps:boolean,csm_note:string",
     .action = CL_HTTP_MAY(CL_VA_REVIEW_RECORD)},
    /* Issue 14: the AE's questions, answered before or after the meeting;
       only the deal's own AE writes them (the engine checks whose). */
    {.method = "GET", .pattern = "/api/v1/deals/{id}/review/answers",
     .handler = cl__h_review_answers_get, .auth = U, .kind = NONE,
     .tag = "deals",
     .summary = "The AE's answers to its review questions (Q1-Q4, Q7), as "
                "far as the viewer may read them"},
    {.method = "PUT", .pattern = "/api/v1/deals/{id}/review/answers",
     .handler = cl__h_review_answers_put, .auth = U, .kind = NONE,
     .tag = "deals",
     .summary = "The deal's AE saves answers to its review questions "
                "before the review is held (audited)",
     .body = "q1:string,q2:string,q3:string,q4:string,q7:string"},
    {.method = "POST", .pattern = "/api/v1/deals/{id}/review/answers",
     .handler = cl__h_review_answers_put, .auth = U, .kind = NONE,
     .tag = "deals", .summary = "As PUT",
     .body = "q1:string,q2:string,q3:string,q4:string,q7:string"},
    {.method = "POST", .pattern = "/api/v1/reviews/check",
     .handler = cl__h_review_check, .auth = U, .kind = NONE, .tag = "deals",
     .summary = "Flag generic won-deal review answers (nothing is stored)",
     .body = "q1:string,q2:string,q3:string,q4:string,q5:string,"
             "q6:string,q7:string"},
    {.method = "POST", .pattern = "/api/v1/deals/{id}/kickoff",
     .handler = cl__h_kickoff, .auth = U, .kind = CL_KIND_DEALS,
     .tag = "deals", .summary = "Record the kickoff as held",
     .body = "held_on:string,override_reason:string",
     .action = CL_HTTP_MAY(CL_VA_KICKOFF)},
    {.method = "POST", .pattern = "/api/v1/recoveries/{id}/classify",
     .handler = cl__h_recovery_classify, .auth = U,
     .kind = CL_KIND_RECOVERIES, .tag = "recoveries",
     .summary = "Classify a recovery (a recovery id or the new deal's id)",
     .body = "recovery_type:string!,cs_intervention:string,"
             "what_changed:string,cs_led:boolean",
     .action = CL_HTTP_MAY(CL_VA_RECOVERY_CLASSIFY)},

    {.method = "GET", .pattern = "/api/v1/tasks", .handler = cl__h_tasks,
     .auth = U, .kind = NONE, .tag = "tasks",
     .summary = "Open work (assignee=ID or *, status, kind), by due day"},
    {.method = "GET", .pattern = "/api/v1/tasks/{id}",
     .handler = cl__h_task_get, .auth = U, .kind = NONE, .tag = "tasks",
     .summary = "One task"},
    {.method = "POST", .pattern = "/api/v1/tasks/{id}/done",
     .handler = cl__h_task_done, .auth = U, .kind = NONE, .tag = "tasks",
     .summary = "Mark a task done"},
    {.method = "POST", .pattern = "/api/v1/tasks/{id}/checkin",
     .handler = cl__h_task_checkin, .auth = U, .kind = NONE, .tag = "tasks",
     .summary = "Record a won-deal check-in: a health reading (0-100) and "
                "a note; the account's health score becomes it",
     .body = "score:integer!,note:string!"},
    {.method = "GET", .pattern = "/api/v1/inbox", .handler = cl__h_inbox,
     .auth = U, .kind = NONE, .tag = "inbox",
     .summary = "The caller's notifications, newest first"},
    {.method = "POST", .pattern = "/api/v1/inbox/{id}/read",
     .handler = cl__h_inbox_read, .auth = U, .kind = NONE, .tag = "inbox",
     .summary = "Mark a notification read"},
    {.method = "POST", .pattern = "/api/v1/inbox/read",
     .handler = cl__h_inbox_read_all, .auth = U, .kind = NONE, .tag = "inbox",
     .summary = "Mark all the caller's notifications read"},

    {.method = "GET", .pattern = "/api/v1/sessions", .handler = cl__h_sessions,
     .auth = U, .kind = NONE, .tag = "sessions",
     .summary = "Debriefs and reviews (status=open|closed)"},
    {.method = "GET", .pattern = "/api/v1/sessions/{id}",
     .handler = cl__h_session_get, .auth = U, .kind = NONE,
     .tag = "sessions", .summary = "A session with its pack"},
    {.method = "POST", .pattern = "/api/v1/sessions/{id}/decisions",
     .handler = cl__h_session_decide, .auth = U, .kind = NONE,
     .tag = "sessions", .summary = "Record a decision",
     .body = "text:string!",
     .action = CL_HTTP_MAY(CL_VA_SESSION_DECIDE),
     .refusal = "RevOps records a session's decisions"},
    {.method = "POST", .pattern = "/api/v1/sessions/{id}/change",
     .handler = cl__h_change_record, .auth = U, .kind = NONE,
     .tag = "sessions",
     .summary = "Record the debrief's one process change (30-day check-in)",
     .body = "owner_id:string!,description:string!",
     .action = CL_HTTP_MAY(CL_VA_CHANGE_RECORD),
     .refusal = "RevOps records the debrief's process change"},
    {.method = "POST", .pattern = "/api/v1/sessions/{id}/close",
     .handler = cl__h_session_close, .auth = U, .kind = NONE,
     .tag = "sessions", .summary = "Close a session",
     .action = CL_HTTP_MAY(CL_VA_SESSION_CLOSE),
     .refusal = "RevOps closes sessions"},
    {.method = "GET", .pattern = "/api/v1/changes", .handler = cl__h_changes,
     .auth = U, .kind = NONE, .tag = "sessions",
     .summary = "Process changes (pending=1: without check-in)"},
    {.method = "POST", .pattern = "/api/v1/changes/{id}/checkin",
     .handler = cl__h_change_checkin, .auth = U, .kind = NONE,
     .tag = "sessions", .summary = "Record a change's check-in",
     .body = "note:string!"},
    {.method = "GET", .pattern = "/api/v1/coaching", .handler = cl__h_coaching,
     .auth = U, .kind = NONE, .tag = "coaching",
     .summary = "Coaching items the caller may see"},
    {.method = "GET", .pattern = "/api/v1/coaching/{id}",
     .handler = cl__h_coaching_get, .auth = U, .kind = NONE,
     .tag = "coaching", .summary = "One coaching item"},

    {.method = "GET", .pattern = "/api/v1/reports", .handler = cl__h_reports,
     .auth = U, .kind = NONE, .tag = "reports",
     .summary = "The reports the caller may read"},
    {.method = "GET", .pattern = "/api/v1/reports/{name}",
     .handler = cl__h_report, .auth = U, .kind = NONE, .tag = "reports",
     .summary = "A report's JSON, as the CLI's (period=P, private=1); the "
                "pipeline report pages, sorts and filters its deals"},

    {.method = "POST", .pattern = "/api/v1/imports/{kind}",
     .handler = cl__h_import, .auth = U, .kind = NONE, .tag = "imports",
     .summary = "Import a canonical CSV file of KIND, all or nothing, as "
                "`closeloop import` (skip_bad=true, mapping=canonical)",
     .body = "csv", .upload = 1,
     .action = CL_HTTP_MAY(CL_VA_RECORD_WRITE),
     .refusal = "RevOps and admins import records"},

    {.method = "GET", .pattern = "/api/v1/settings/taxonomy",
     .handler = cl__h_taxonomy, .auth = U, .kind = NONE, .tag = "settings",
     .summary = "The churn taxonomy: labels and definitions"},
    {.method = "PATCH", .pattern = "/api/v1/settings/taxonomy/{code}",
     .handler = cl__h_taxonomy_set, .auth = U, .kind = NONE,
     .tag = "settings", .summary = "Change a cause's label or definition",
     .body = "label:string,definition:string",
     .action = CL_HTTP_MAY(CL_VA_SETTINGS),
     .refusal = "RevOps and admins change settings"},
    {.method = "GET", .pattern = "/api/v1/settings/thresholds",
     .handler = cl__h_thresholds, .auth = U, .kind = NONE, .tag = "settings",
     .summary = "The thresholds"},
    {.method = "PATCH", .pattern = "/api/v1/settings/thresholds/{key}",
     .handler = cl__h_threshold_set, .auth = U, .kind = NONE,
     .tag = "settings", .summary = "Change a threshold",
     .body = "value:number!",
     .action = CL_HTTP_MAY(CL_VA_SETTINGS),
     .refusal = "RevOps and admins change settings"},
    {.method = "GET", .pattern = "/api/v1/settings/config",
     .handler = cl__h_config, .auth = U, .kind = NONE, .tag = "settings",
     .summary = "Notification channels and routing",
     .action = CL_HTTP_MAY(CL_VA_SETTINGS),
     .refusal = "RevOps and admins read delivery settings"},
    {.method = "PATCH", .pattern = "/api/v1/settings/config",
     .handler = cl__h_config_set, .auth = U, .kind = NONE, .tag = "settings",
     .summary = "Change notification channels and routing",
     .body = "smtp_url:string,smtp_from:string,webhook_url:string,"
             "webhook_format:string,max_attempts:string,"
             "retry_base_seconds:string,engine_lookback_days:string,"
             "revops_id:string,marketing_id:string,vp_sales_id:string",
     .action = CL_HTTP_MAY(CL_VA_SETTINGS),
     .refusal = "RevOps and admins change delivery settings"},
};

const size_t cl__http_nroutes =
    sizeof cl__http_routes / sizeof cl__http_routes[0];
