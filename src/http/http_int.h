/*
 * http_int.h - what the server's files share: the request, the route
 * table, replies and errors, the caller's identity.  Not a public header.
 */
#ifndef CL_HTTP_INT_H
#define CL_HTTP_INT_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/date.h"
#include "../core/record.h"
#include "../core/visibility.h"
#include "../snapshot/snapshot_shared.h"
#include "../store/store.h"
#include "http.h"

typedef struct cl_http_req cl_http_req;

/* What a route needs of the caller. */
typedef enum cl_http_auth {
    CL_AUTH_NONE, /* public: sign-in, the OpenAPI document, hello */
    CL_AUTH_USER  /* a signed-in user or a bearer token */
} cl_http_auth;

/* A handler queues exactly one reply through cl_http_reply*. */
typedef enum MHD_Result (*cl_http_handler)(cl_http_req *r);

typedef struct cl_http_route {
    const char *method;  /* GET, POST, PUT, PATCH, DELETE */
    const char *pattern; /* "/api/v1/accounts/{id}/page" */
    cl_http_handler handler;
    cl_http_auth auth;
    cl_kind kind;        /* the record kind of generic record routes */
    const char *tag;     /* OpenAPI tag: accounts, auth, reports, ... */
    const char *summary; /* one line for the OpenAPI document */
    const char *body;    /* request body schema name, or NULL */
    int upload; /* the body is a file: streamed to disk, up to 20 MiB */
    /* The action a caller's role must be allowed (core/visibility.h), as
       CL_HTTP_MAY(CL_VA_x); 0 when the handler decides (a rule that needs
       the record).  Checked before the body is read; refusal is the 403's
       message. */
    int action;
    const char *refusal;
} cl_http_route;

#define CL_HTTP_MAY(a) ((int)(a) + 1)

/* The route table (routes.c) and its length. */
extern const cl_http_route cl__http_routes[];
extern const size_t cl__http_nroutes;

#define CL_HTTP_MAX_PARAMS 4

struct cl_http_server;

struct cl_http_req {
    struct cl_http_server *srv;
    struct MHD_Connection *conn;
    const char *method, *url;
    const cl_http_route *route;
    int path_known; /* some route has this path (405 rather than 404) */
    char params[CL_HTTP_MAX_PARAMS][160];
    int nparams;
    /* The body, gathered over the upload calls: in memory (body), or for
       an upload route in an unnamed temporary file (upload_fd). */
    char *body;
    size_t body_len;
    int upload_fd;   /* -1: none */
    size_t reserved; /* bytes of the server's body budget this holds */
    int body_busy;   /* the budget is spent: 503 */
    int body_too_big;
    int query_cut;  /* the query held too many arguments (guard.c) */
    size_t dropped; /* bytes of an oversized body read and dropped */
    int replied;
    /* The caller. */
    cl_store *st;
    cl_time now;
    int authed, via_cookie;
    char user_id[72], role[32], manager_id[72], name[256], email[256];
    char csrf[72];
    cl_viewer viewer;
    /* For the access log. */
    int64_t t0_us;
    unsigned status;
    size_t bytes;
};

/* ---- replies (reply.c) ------------------------------------------------ */

/* Queues text (stolen; JSON of len bytes) with status. */
enum MHD_Result cl_http_reply_text(cl_http_req *r, unsigned status, char *text,
                                   size_t len);

/* Queues doc (stolen) as JSON with status and, when etag, an ETag. */
enum MHD_Result cl_http_reply_json(cl_http_req *r, unsigned status, json_t *doc,
                                   const char *etag);

/* Queues {"error": {"code", "message", "field"}}; field may be NULL. */
enum MHD_Result cl_http_error(cl_http_req *r, unsigned status, const char *code,
                              const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The one mapping of cl_err to an HTTP status and error code. */
enum MHD_Result cl_http_fail(cl_http_req *r, cl_err e, const cl_error *err);

/* Queues 503 "busy" with Retry-After: seconds. */
enum MHD_Result cl__http_reply_busy(cl_http_req *r, unsigned seconds);

/* Queues a prepared response (its headers set) with status; adds the
   security headers of an API reply unless the UI's are set. */
enum MHD_Result cl_http_queue(cl_http_req *r, unsigned status,
                              struct MHD_Response *resp, size_t bytes);

/* ---- bodies and queries (body.c) -------------------------------------- */

/* A field a JSON body may carry. */
typedef enum cl_jtype {
    CL_J_STRING,
    CL_J_INT,
    CL_J_NUMBER,
    CL_J_BOOL,
    CL_J_STRINGS /* an array of strings */
} cl_jtype;

typedef struct cl_jfield {
    const char *name;
    cl_jtype type;
    int required;
} cl_jfield;

/*
 * Parses the body as a JSON object whose keys are all in fields[] with
 * their types (null allowed for optional fields).  On failure queues the
 * 400 and returns NULL with *done set to the MHD result.
 */
json_t *cl_http_body(cl_http_req *r, const cl_jfield *fields, size_t n,
                     enum MHD_Result *done);

/* The string of key in obj, or NULL when absent or null. */
const char *cl_http_jstr(json_t *obj, const char *key);

/* The query argument name, or NULL. */
const char *cl_http_query(cl_http_req *r, const char *name);

/*
 * Reads limit and offset (default 50, 0; limit at most 1000); on a bad
 * value queues the 400 and returns -1 with *done set.
 */
int cl_http_page(cl_http_req *r, int64_t *limit, int64_t *offset,
                 enum MHD_Result *done);

/* A page document: {"items": items, "total", "limit", "offset"}. */
json_t *cl_http_page_doc(json_t *items, int64_t total, int64_t limit,
                         int64_t offset);

/* ---- a record route's body as a row (record_body.c) ----------------- */

/* The body fields of kind (required as the record says, or none when
   all_optional: a PATCH) into out (room for every field); their count. */
size_t cl_http_body_fields(cl_kind kind, cl_jfield *out, int all_optional);

#define CL_HTTP_ROW_MAX 32

/* A row converted from JSON, with the text its values point into. */
typedef struct cl_http_row_buf {
    cl_value row[CL_HTTP_ROW_MAX];
    char *text[CL_HTTP_ROW_MAX], *scratch[CL_HTTP_ROW_MAX];
} cl_http_row_buf;

/*
 * Fills b->row from the JSON object rec (every field of kind; a missing or
 * null one is empty) through the importer's field rules (io/field.h).
 * References are not checked: that needs the store.  causes: the
 * workspace's cause codes (cl_field_cause_codes) a churn's cause fields
 * take, NULL for the defaults.  Free b with cl_http_row_buf_free whatever
 * this returns.
 *   CL_EINVAL  a value breaks its field's rule: *field names the field,
 *              err->msg says what is wrong
 *   CL_ENOMEM
 */
cl_err cl_http_json_row(cl_kind kind, json_t *rec, const char *const *causes,
                        cl_http_row_buf *b, const char **field, cl_error *err);

void cl_http_row_buf_free(cl_http_row_buf *b);

/* ---- records as JSON (records.c) ------------------------------------- */

/* The visibility kind of a record kind. */
cl_vis_kind cl_http_vis_kind(cl_kind kind);

/* A record as a JSON object, keeping the fields of groups `mask`. */
/* The key of record id of kind as the store reads it (ICP versions are
   numbers): 0, or -1 when id cannot name a record of kind. */
int cl_http_record_key(cl_kind kind, const char *id, cl_value *key);

json_t *cl_http_record_json(cl_kind kind, const cl_value *row, unsigned mask);

/* Every reference of row (of kind) names a stored record: CL_OK, or
   CL_EINVAL with *field the first that does not and err->msg "FIELD: no
   KIND 'ID'" (or the store's error). */
cl_err cl__http_row_refs(cl_store *st, cl_kind kind, const cl_value *row,
                         const char **field, cl_error *err);

/* The same record written as JSON text into w (the account page). */
struct cl_jw;
void cl_http_record_write(struct cl_jw *w, cl_kind kind, const cl_value *row,
                          unsigned mask);

/* A copy of the record object full keeping the fields of groups mask. */
json_t *cl_http_filter_json(cl_kind kind, json_t *full, unsigned mask);

/* A strong ETag (quoted hex) of a JSON document. */
void cl_http_etag(json_t *doc, char out[24]);

/*
 * What the viewer may see of one record of kind: fills rel from what the
 * store knows (the deal's AE and manager, ...) and returns the field mask.
 */
unsigned cl_http_record_mask(cl_http_req *r, cl_kind kind, const cl_value *row);

/* 1 if the viewer may read the audit trail of the record row of kind. */
int cl_http_record_audit(cl_http_req *r, cl_kind kind, const cl_value *row);

/* Adds user id's name to the object names (id -> name), read by key unless
   names has it already; nothing for an id that is no user. */
cl_err cl_http_user_name(cl_http_req *r, json_t *names, const char *id,
                         cl_error *err);

/* Sets name_key to the user's name in each object of items whose id_key
   names a user; a user is read at most once. */
cl_err cl_http_name_items(cl_http_req *r, json_t *items, const char *id_key,
                          const char *name_key, cl_error *err);

/* Sets account_id and account_name in each object of items (tasks,
   messages) whose subject_kind/subject_id is an account or one of its
   deals, churns or recoveries: people know accounts by name. */
cl_err cl_http_name_accounts(cl_http_req *r, json_t *items, cl_error *err);

/* ---- the caller (auth.c) ---------------------------------------------- */

/*
 * Identifies the caller from the session cookie or a bearer token; queues
 * 401 (none), or 403 (a cookie write without its CSRF token) and returns
 * 0 with *done set; 1 when the request may go on.
 */
int cl_http_authenticate(cl_http_req *r, enum MHD_Result *done);

/* 1 when the request came over TLS or a trusted proxy says so. */
int cl_http_secure(cl_http_req *r);

/* Rate limiting of sign-in failures (auth.c, policy in ratelimit.h):
   seconds addr must wait to try email, or 0; a failure; a success. */
int cl__http_login_blocked(const char *email, const char *addr, cl_time now);
void cl__http_login_failed(const char *email, const char *addr, cl_time now);
void cl__http_login_ok(const char *email, const char *addr);

/* The client address sign-ins are counted against (64 bytes): the peer,
   or behind --trust-proxy the client X-Forwarded-For names (ratelimit.h). */
void cl__http_client_addr(cl_http_req *r, char out[64]);

/* ---- the request's guard (guard.c) ------------------------------------ */

/*
 * Checks what the route must not see, on the request's first call: a
 * target that is not a path, a path or query that is not UTF-8, both
 * Content-Length and Transfer-Encoding, differing Content-Lengths, an
 * HTTP/1.1 request without Host.  Queues the 400 and returns 0 with *done
 * set; 1 when the request may go on.
 */
int cl__http_guard(cl_http_req *r, const char *version, enum MHD_Result *done);

/* The most query arguments a request target may carry; beyond, 414. */
#define CL_HTTP_MAX_QUERY_ARGS 128

/* libmicrohttpd's URI callback (MHD_OPTION_URI_LOG_CALLBACK), called with
   the request target before its query is split into argument records in
   the connection's small memory pool: a target with more arguments than
   CL_HTTP_MAX_QUERY_ARGS would exhaust that pool, and libmicrohttpd would
   then close the connection unanswered.  Such a query is cut before it is
   split, and CL__HTTP_QUERY_CUT returned as the request's state, for the
   guard to answer 414. */
void *cl__http_guard_uri(void *cls, const char *uri,
                         struct MHD_Connection *conn);
extern char cl__http_query_cut;
#define CL__HTTP_QUERY_CUT ((void *)&cl__http_query_cut)

/* 1 when the request says a body follows. */
int cl__http_announces_body(cl_http_req *r);

/* Adds Content-Security-Policy, X-Frame-Options, Referrer-Policy and
   X-Content-Type-Options to resp: the UI's (ui) or an API reply's; nothing
   when resp has a policy already. */
void cl__http_guard_headers(struct MHD_Response *resp, int ui);

/* Takes n bytes of the server's body budget (opts.body_memory); 0 when
   that would pass it.  cl__http_budget_give returns them. */
int cl__http_budget_take(struct cl_http_server *srv, size_t n);
void cl__http_budget_give(struct cl_http_server *srv, size_t n);

/* An unnamed temporary file under $TMPDIR (or /tmp) for an upload: its
   descriptor, or -1 with errno.  The caller closes it. */
int cl__http_upload_open(void);

/* Writes all of data to fd; -1 with errno on failure. */
int cl__http_upload_write(int fd, const char *data, size_t len);

/* ---- the server (server.c) -------------------------------------------- */

struct cl_http_server {
    struct MHD_Daemon *d;
    cl_http_opts opts;
    char *db;
    char *web_dir;
    uint16_t port;
    pthread_key_t store_key;
    pthread_mutex_t stores_lock;
    cl_store **stores; /* every connection opened, closed at stop */
    size_t nstores, cap;
    struct cl_sched *sched;        /* the tick and delivery, or NULL */
    int64_t clock_offset;          /* added to the system clock (--now) */
    _Atomic size_t body_bytes;     /* held by request bodies in memory */
    cl_snapshot_shared *snapshots; /* the reports' snapshot (h_reports.c) */
};

/* The server's clock, read once per request and once per scheduler round
   (the server is the shell): the system clock, moved by --now. */
cl_time cl__http_now(const struct cl_http_server *srv);

/* The OpenAPI document built from the route table (openapi.c). */
json_t *cl__http_openapi(void);

/* The handlers, one file per endpoint group. */

enum MHD_Result cl__h_hello(cl_http_req *r);
enum MHD_Result cl__h_openapi(cl_http_req *r);
enum MHD_Result cl__h_login(cl_http_req *r);
enum MHD_Result cl__h_logout(cl_http_req *r);
enum MHD_Result cl__h_me(cl_http_req *r);
enum MHD_Result cl__h_record_list(cl_http_req *r);
/* The accounts and deals lists, with their columns, ranges and sorts
   (h_lists.c); cl__h_record_list hands them over. */
enum MHD_Result cl__h_lists(cl_http_req *r);
enum MHD_Result cl__h_record_get(cl_http_req *r);
enum MHD_Result cl__h_record_create(cl_http_req *r);
enum MHD_Result cl__h_record_update(cl_http_req *r);
enum MHD_Result cl__h_account_page(cl_http_req *r);
enum MHD_Result cl__h_audit(cl_http_req *r);
enum MHD_Result cl__h_tasks(cl_http_req *r);
enum MHD_Result cl__h_task_get(cl_http_req *r);
enum MHD_Result cl__h_task_done(cl_http_req *r);
enum MHD_Result cl__h_task_debrief(cl_http_req *r);
enum MHD_Result cl__h_inbox(cl_http_req *r);
enum MHD_Result cl__h_inbox_read(cl_http_req *r);
enum MHD_Result cl__h_inbox_read_all(cl_http_req *r);
enum MHD_Result cl__h_sessions(cl_http_req *r);
enum MHD_Result cl__h_session_get(cl_http_req *r);
enum MHD_Result cl__h_session_decide(cl_http_req *r);
enum MHD_Result cl__h_session_close(cl_http_req *r);
enum MHD_Result cl__h_session_open(cl_http_req *r);
enum MHD_Result cl__h_session_schedule(cl_http_req *r);
enum MHD_Result cl__h_sessions_next(cl_http_req *r);
enum MHD_Result cl__h_change_record(cl_http_req *r);
enum MHD_Result cl__h_change_checkin(cl_http_req *r);
enum MHD_Result cl__h_changes(cl_http_req *r);
enum MHD_Result cl__h_coaching(cl_http_req *r);
enum MHD_Result cl__h_coaching_get(cl_http_req *r);
enum MHD_Result cl__h_coaching_open(cl_http_req *r);
enum MHD_Result cl__h_coaching_notes(cl_http_req *r);
enum MHD_Result cl__h_coaching_close(cl_http_req *r);
enum MHD_Result cl__h_churn_tag(cl_http_req *r);
enum MHD_Result cl__h_churn_close(cl_http_req *r);
enum MHD_Result cl__h_churn_reopen(cl_http_req *r);

/* A churn's closed_on ("YYYY-MM-DD") into out, "" while it is open (or
   there is no such churn): the engine's state, beside the record. */
cl_err cl__http_churn_closed_on(cl_http_req *r, const char *id, char out[16],
                                cl_error *err);
enum MHD_Result cl__h_review_record(cl_http_req *r);
/* Inbound events (h_webhooks.c). */
enum MHD_Result cl__h_webhook_generic(cl_http_req *r);
enum MHD_Result cl__h_webhook_hubspot(cl_http_req *r);
enum MHD_Result cl__h_webhook_salesforce(cl_http_req *r);
enum MHD_Result cl__h_events(cl_http_req *r);
enum MHD_Result cl__h_event_get(cl_http_req *r);
enum MHD_Result cl__h_event_retry(cl_http_req *r);
enum MHD_Result cl__h_event_discard(cl_http_req *r);
enum MHD_Result cl__h_review_answers_get(cl_http_req *r);
enum MHD_Result cl__h_review_answers_put(cl_http_req *r);
enum MHD_Result cl__h_task_checkin(cl_http_req *r);
enum MHD_Result cl__h_review_check(cl_http_req *r);
enum MHD_Result cl__h_kickoff(cl_http_req *r);
enum MHD_Result cl__h_recovery_classify(cl_http_req *r);
enum MHD_Result cl__h_reports(cl_http_req *r);
enum MHD_Result cl__h_report(cl_http_req *r);
enum MHD_Result cl__h_report_trend(cl_http_req *r);
enum MHD_Result cl__h_taxonomy(cl_http_req *r);
enum MHD_Result cl__h_taxonomy_set(cl_http_req *r);
enum MHD_Result cl__h_taxonomy_add(cl_http_req *r);
enum MHD_Result cl__h_config_keys(cl_http_req *r);
enum MHD_Result cl__h_crm_writeback(cl_http_req *r);
enum MHD_Result cl__h_thresholds(cl_http_req *r);
enum MHD_Result cl__h_threshold_set(cl_http_req *r);
enum MHD_Result cl__h_config(cl_http_req *r);
enum MHD_Result cl__h_config_set(cl_http_req *r);
/* Accounts, credentials and holiday deletes (h_admin.c). */
enum MHD_Result cl__h_password_me(cl_http_req *r);
enum MHD_Result cl__h_notify_me(cl_http_req *r);
enum MHD_Result cl__h_notify_me_set(cl_http_req *r);
enum MHD_Result cl__h_notify_user(cl_http_req *r);
enum MHD_Result cl__h_notify_user_set(cl_http_req *r);
enum MHD_Result cl__h_password_user(cl_http_req *r);
enum MHD_Result cl__h_tokens(cl_http_req *r);
enum MHD_Result cl__h_token_create(cl_http_req *r);
enum MHD_Result cl__h_token_revoke(cl_http_req *r);
enum MHD_Result cl__h_holiday_delete(cl_http_req *r);
enum MHD_Result cl__h_import(cl_http_req *r);
/* People (h_people.c): the admin's list, invitations, resets,
   deactivation; a one-time link's check and acceptance (public). */
enum MHD_Result cl__h_people(cl_http_req *r);
enum MHD_Result cl__h_people_invite(cl_http_req *r);
enum MHD_Result cl__h_people_link(cl_http_req *r);
enum MHD_Result cl__h_people_active(cl_http_req *r);
enum MHD_Result cl__h_link_check(cl_http_req *r);
enum MHD_Result cl__h_link_accept(cl_http_req *r);

/* Signs user u in (h_auth.c): a new browser session, its cookie and the
   reply {user, csrf_token} of a sign-in. */
struct cl_store_login;
enum MHD_Result cl__http_session_start(cl_http_req *r,
                                       const struct cl_store_login *u);

/* Adds "active" (false for a deactivated user) to each user object of
   items (h_people.c): pickers leave deactivated people out. */
cl_err cl__http_people_active(cl_http_req *r, json_t *items, cl_error *err);

/* The ICP definition: no change of a version, "reviewed, no change". */
enum MHD_Result cl__h_icp_immutable(cl_http_req *r);
enum MHD_Result cl__h_icp_no_change(cl_http_req *r);

/* ---- cursors of paged lists (h_records.c) ----------------------------- */

/* A sorted list's cursor carries the last row's sort value (an account's
   name, say) beside its key (h_lists.c). */
#define CL_HTTP_CURSOR_MAX 1100 /* a cursor's decoded text, with its tag */
#define CL_HTTP_KEY_MAX 256     /* a record key a cursor carries */

/* The cursor of tag (the list's name) continuing after text into out (len
   bytes; 2 * CL_HTTP_CURSOR_MAX is always enough). */
void cl__http_cursor_encode(const char *tag, const char *text, char *out,
                            size_t len);

/* The text of cursor into out (len bytes); -1 when cursor is not one of
   tag or does not fit. */
int cl__http_cursor_decode(const char *tag, const char *cursor, char *out,
                           size_t len);

/*
 * Reads limit (default 50, 1..500) and cursor (a positive id given out
 * with tag; 0 when absent) of a list paged by id; on a bad value queues
 * the 400 naming the field and returns -1 with *done set.
 */
int cl__http_cursor_page(cl_http_req *r, const char *tag, int64_t *limit,
                         int64_t *after, enum MHD_Result *done);

#endif
