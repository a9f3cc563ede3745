/* notify_route.c - where a notification goes (notify_route.h). */
#include "notify_route.h"

#include <string.h>

static const char *const modes[] = {"email", "chat", "digest"};

int
cl_nroute_mode_parse(const char *s, cl_nroute_mode *out)
{
    for (int i = 0; s && i < 3; i++)
        if (strcmp(s, modes[i]) == 0) {
            *out = (cl_nroute_mode)i;
            return 0;
        }
    return -1;
}

const char *
cl_nroute_mode_name(cl_nroute_mode mode)
{
    return (unsigned)mode < 3 ? modes[mode] : "email";
}

const char *
cl_nroute_personal(cl_nroute_mode mode, int chat_ready, const char *kind)
{
    (void)kind; /* every kind of the loop follows the person's choice */
    if (mode == CL_NROUTE_CHAT && chat_ready)
        return "chat";
    if (mode == CL_NROUTE_DIGEST)
        return "digest";
    return "email";
}

/*
 * Why each is team-safe: the note of what a session changed is written for
 * the whole CS team; a cause's route names the account and the owner role,
 * not a person; a process change's reminder is the team's own check-in.
 * Left out: AE flags and debrief outcomes (they name the AE), coaching
 * (private), tasks and their escalations, the pipeline digest (by AE), and
 * the check-in escalation (it names the owner who is late).
 */
static const char *const team_kinds[] = {
    "what_changed",
    "cause_route",
    "checkin_reminder",
};
#define NTEAM (sizeof team_kinds / sizeof team_kinds[0])

int
cl_nroute_team_safe(const char *kind)
{
    for (size_t i = 0; kind && i < NTEAM; i++)
        if (strcmp(kind, team_kinds[i]) == 0)
            return 1;
    return 0;
}

int
cl_nroute_team_body(const char *kind)
{
    /* The note of what changed and a process change's description are
       written for the team; a routed cause's body quotes the customer and
       the CS diagnosis. */
    return kind && (strcmp(kind, "what_changed") == 0 ||
                    strcmp(kind, "checkin_reminder") == 0);
}

const char *const *
cl_nroute_team_kinds(size_t *n)
{
    *n = NTEAM;
    return team_kinds;
}

/* Calls fn on each trimmed item of a comma-separated list; stops at the
   first nonzero answer and returns it. */
static int
each_item(const char *list, int (*fn)(const char *s, size_t n, void *ud),
          void *ud)
{
    const char *p = list;
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *s = p;
        while (len && *s == ' ')
            s++, len--;
        while (len && s[len - 1] == ' ')
            len--;
        int r = fn(s, len, ud);
        if (r)
            return r;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static int
unknown_kind(const char *s, size_t n, void *ud)
{
    (void)ud;
    for (size_t i = 0; i < NTEAM; i++)
        if (strlen(team_kinds[i]) == n && memcmp(team_kinds[i], s, n) == 0)
            return 0;
    return 1;
}

const char *
cl_nroute_kinds_check(const char *list)
{
    if (strlen(list) > 200)
        return "expected at most 200 characters";
    if (list[0] && each_item(list, unknown_kind, NULL))
        return "expected team-safe kinds separated by commas: what_changed, "
               "cause_route, checkin_reminder";
    return NULL;
}

static int
same_kind(const char *s, size_t n, void *ud)
{
    const char *kind = ud;
    return strlen(kind) == n && memcmp(kind, s, n) == 0;
}

int
cl_nroute_kinds_has(const char *list, const char *kind)
{
    return list && kind && each_item(list, same_kind, (void *)kind);
}

const char *
cl_nroute_url_check(const char *url)
{
    size_t n = strlen(url);
    if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        return "expected an http:// or https:// URL";
    if (n > CL_NROUTE_URL_MAX)
        return "expected at most 1000 characters";
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
            return "expected printable ASCII without spaces";
    return NULL;
}

const char *
cl_nroute_format_check(const char *format)
{
    if (strcmp(format, "slack") == 0 || strcmp(format, "teams") == 0)
        return NULL;
    return "expected slack or teams";
}

const char *
cl_nroute_choice_check(const char *mode, const char *url, const char *format,
                       int had_url, const char **field)
{
    cl_nroute_mode m;
    const char *why = NULL;
    *field = "mode";
    if (cl_nroute_mode_parse(mode, &m) != 0)
        return "expected email, chat or digest";
    *field = "chat_url";
    if (url && url[0] && (why = cl_nroute_url_check(url)) != NULL)
        return why;
    if (m == CL_NROUTE_CHAT && !(url ? url[0] != '\0' : had_url))
        return "chat needs a Slack or Teams incoming webhook URL";
    *field = "chat_format";
    if (format && (why = cl_nroute_format_check(format)) != NULL)
        return why;
    *field = NULL;
    return NULL;
}

int
cl_nroute_digest_due(cl_time now, int hour, cl_day *day)
{
    cl_day d = cl_time_day(now);
    if ((now - (cl_time)d * 86400) / 3600 < hour)
        return 0;
    *day = d;
    return 1;
}

void
cl_nroute_digest(const cl_nroute_item *items, size_t n, cl_day day,
                 cl_buf *subject, cl_buf *body)
{
    char d[CL_DATE_WORDS_MAX];
    cl_date_words(day, d);
    cl_buf_printf(subject, "Your closeloop digest for %s: %zu notification%s",
                  d, n, n == 1 ? "" : "s");
    cl_buf_printf(body, "Everything closeloop told you since your last digest, "
                        "oldest first.\n");
    for (size_t i = 0; i < n && i < CL_NROUTE_DIGEST_ITEMS; i++) {
        const cl_nroute_item *it = &items[i];
        cl_buf_printf(body, "\n%zu. %s", i + 1,
                      it->subject ? it->subject : "Notification");
        if (it->created_at && strlen(it->created_at) >= 10)
            cl_buf_printf(body, " (%.10s)", it->created_at);
        cl_buf_str(body, "\n");
        /* The body indented under its title, line by line. */
        for (const char *p = it->body; p && *p;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            cl_buf_str(body, "   ");
            cl_buf_add(body, p, len);
            cl_buf_str(body, "\n");
            p = nl ? nl + 1 : NULL;
        }
    }
    if (n > CL_NROUTE_DIGEST_ITEMS)
        cl_buf_printf(body,
                      "\n... and %zu more: your inbox in closeloop has them "
                      "all.\n",
                      n - CL_NROUTE_DIGEST_ITEMS);
}
