/*
 * notify_route.h - where a notification goes (issue 15, chat; issue 16,
 * the daily digest): the pure rules the engine and the delivery worker
 * share.  Nothing here reads the clock or does I/O.
 *
 * Each person picks a mode: e-mail at once (the default), chat at once (a
 * direct message through their own Slack or Teams incoming webhook), or
 * one e-mail a day with everything since the last one.  Besides, a
 * workspace may post team-safe kinds to up to CL_NROUTE_CHANNELS team
 * channels: a kind is team-safe when its text never names an individual
 * AE and is nobody's private matter (docs/design.md section 6).
 */
#ifndef CL_NOTIFY_ROUTE_H
#define CL_NOTIFY_ROUTE_H

#include <stddef.h>

#include "buf.h"
#include "date.h"

/* The team channels a workspace may map kinds to (chat_channel_N_*). */
#define CL_NROUTE_CHANNELS 3

/* The longest webhook URL taken (Teams' run to about 400 characters). */
#define CL_NROUTE_URL_MAX 1000

typedef enum cl_nroute_mode {
    CL_NROUTE_EMAIL = 0,
    CL_NROUTE_CHAT,
    CL_NROUTE_DIGEST,
} cl_nroute_mode;

/* Parses "email", "chat" or "digest" into *out; 0, or -1 for anything
   else. */
int cl_nroute_mode_parse(const char *s, cl_nroute_mode *out);

/* "email", "chat" or "digest". */
const char *cl_nroute_mode_name(cl_nroute_mode mode);

/*
 * The outbox channel of a personal notification of kind for a person in
 * mode: "email", "chat" or "digest".  chat_ready is 0 when the person has
 * no chat webhook: the message goes by e-mail rather than nowhere.
 */
const char *cl_nroute_personal(cl_nroute_mode mode, int chat_ready,
                               const char *kind);

/* 1 when a notification of kind may be posted to a team channel. */
int cl_nroute_team_safe(const char *kind);

/*
 * 1 when a team channel's post of kind carries the notification's body, 0
 * when only its title: a title is built from codes, labels and dates, while
 * some bodies quote free text (a customer's words, a CS diagnosis) that may
 * name a person.
 */
int cl_nroute_team_body(const char *kind);

/* The team-safe kinds, in display order; *n receives their count. */
const char *const *cl_nroute_team_kinds(size_t *n);

/*
 * Checks a channel's kinds: team-safe kinds separated by commas (spaces
 * around them allowed; empty: none).  NULL when good, else why (static).
 */
const char *cl_nroute_kinds_check(const char *list);

/* 1 when the comma-separated list names kind. */
int cl_nroute_kinds_has(const char *list, const char *kind);

/* Checks a chat webhook URL: http(s), printable ASCII without spaces, at
   most CL_NROUTE_URL_MAX characters.  NULL when good, else why (static). */
const char *cl_nroute_url_check(const char *url);

/* Checks a chat format: "slack" or "teams".  NULL or why (static). */
const char *cl_nroute_format_check(const char *format);

/*
 * Checks a person's choice: mode, and the chat webhook url and format as
 * given (NULL: keep the stored one; url "": remove it); had_url is 1 when
 * a webhook is stored.  NULL when good; else why (static) and *field the
 * name of the field it is about.  Chat needs a webhook, given or stored.
 */
const char *cl_nroute_choice_check(const char *mode, const char *url,
                                   const char *format, int had_url,
                                   const char **field);

/*
 * The digest due at now for a workspace whose digest hour (UTC) is hour:
 * 1 with *day the day it is for once the hour has come, else 0.  One
 * digest per person and day: its idempotency key names the day.
 */
int cl_nroute_digest_due(cl_time now, int hour, cl_day *day);

/* One notification held for a digest. */
typedef struct cl_nroute_item {
    const char *subject; /* its one-line title (may be NULL) */
    const char *body;    /* may be NULL */
    const char *created_at;
} cl_nroute_item;

/* The most items a digest lists in full; the rest are counted. */
#define CL_NROUTE_DIGEST_ITEMS 100

/*
 * The digest e-mail of n items (oldest first) for day: its subject and
 * body appended to the two buffers (check their oom).
 */
void cl_nroute_digest(const cl_nroute_item *items, size_t n, cl_day day,
                      cl_buf *subject, cl_buf *body);

#endif
