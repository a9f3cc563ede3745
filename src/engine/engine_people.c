/*
 * engine_people.c - invitations, resets, the manager rules and
 * deactivation (engine_people.h).
 */
#include "engine_people.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../io/field.h"
#include "../store/store_api.h"
#include "../store/store_engine.h"
#include "../store/store_people.h"

/* The invite_expiry_hours setting's default (config_keys.c holds the
   range). */
#define EXPIRY_HOURS_DEFAULT 72

/* Suffixes tried to make a derived id unique: base, base-2 .. base-999. */
#define ID_TRIES 999

/* ---- the manager rules ------------------------------------------------ */

typedef struct links {
    cl_people_link *v;
    char **text; /* the strings v points into, two per user */
    size_t n, cap;
    int oom;
    /* The manager asked for, as the walk found it. */
    const char *want;
    int want_found, want_deactivated;
} links;

static char *
dup_or_null(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *oom = 1;
    return d;
}

static int
link_cb(void *ud, const cl_store_person *p)
{
    links *l = ud;
    if (l->want && strcmp(p->id, l->want) == 0) {
        l->want_found = 1;
        l->want_deactivated = p->deactivated_at != NULL;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        cl_people_link *v = realloc(l->v, cap * sizeof *v);
        if (v)
            l->v = v;
        char **t = v ? realloc(l->text, 2 * cap * sizeof *t) : NULL;
        if (!v || !t) {
            l->oom = 1;
            return 1;
        }
        l->text = t;
        l->cap = cap;
    }
    char *id = dup_or_null(p->id, &l->oom);
    char *m = dup_or_null(p->manager_id, &l->oom);
    l->text[2 * l->n] = id;
    l->text[2 * l->n + 1] = m;
    l->v[l->n++] = (cl_people_link){id, m};
    return l->oom;
}

static void
links_free(links *l)
{
    for (size_t i = 0; i < 2 * l->n; i++)
        free(l->text[i]);
    free(l->text);
    free(l->v);
}

/* The name of user id into out, or the id itself when there is none;
   1 when the user was found. */
static int
name_of(cl_store *st, const char *id, char *out, size_t len)
{
    cl_store_login u;
    int found = 0;
    cl_error err;
    cl_error_clear(&err);
    if (cl_store_login_get(st, id, 0, &u, &found, &err) != CL_OK)
        found = 0;
    snprintf(out, len, "%s", found ? u.name : id);
    return found;
}

cl_err
cl_engine_manager_check(cl_store *st, const char *user_id,
                        const char *manager_id, cl_error *err)
{
    if (!manager_id || !*manager_id)
        return CL_OK;
    links l = {0};
    l.want = manager_id;
    cl_err e = cl_store_people_each(st, NULL, link_cb, &l, err);
    if (e == CL_OK && l.oom)
        e = cl_error_set(err, CL_ENOMEM, "out of memory");
    /* People are named by name in what the UI shows. */
    char mname[256], uname[256];
    name_of(st, manager_id, mname, sizeof mname);
    name_of(st, user_id, uname, sizeof uname);
    if (e == CL_OK && !l.want_found)
        e = cl_error_set(err, CL_EINVAL, "manager_id: no user '%s'",
                         manager_id);
    else if (e == CL_OK && l.want_deactivated)
        e = cl_error_set(err, CL_EINVAL,
                         "manager_id: %s is deactivated; choose an active "
                         "manager",
                         mname);
    else if (e == CL_OK && strcmp(user_id, manager_id) == 0)
        e = cl_error_set(err, CL_EINVAL,
                         "manager_id: %s cannot be their own manager", uname);
    else if (e == CL_OK &&
             cl_people_manager_cycle(user_id, manager_id, l.v, l.n))
        e = cl_error_set(err, CL_EINVAL,
                         "manager_id: %s reports to %s already; a person "
                         "cannot manage their own manager",
                         mname, uname);
    links_free(&l);
    return e;
}

/* ---- one-time links --------------------------------------------------- */

/* The setting key as a string into buf, or dflt. */
static cl_err
setting(cl_store *st, const char *key, const char *dflt, char *buf, size_t len,
        cl_error *err)
{
    int found = 0;
    cl_err e = cl_store_config_get(st, key, buf, len, &found, err);
    if (e == CL_OK && (!found || !buf[0]))
        snprintf(buf, len, "%s", dflt);
    return e;
}

typedef struct who {
    char name[256], email[256], role[32];
    int found, has_password, deactivated;
} who;

static int
who_cb(void *ud, const cl_store_person *p)
{
    who *w = ud;
    snprintf(w->name, sizeof w->name, "%s", p->name ? p->name : "");
    snprintf(w->email, sizeof w->email, "%s", p->email ? p->email : "");
    snprintf(w->role, sizeof w->role, "%s", p->role ? p->role : "");
    w->has_password = p->has_password;
    w->deactivated = p->deactivated_at != NULL;
    w->found = 1;
    return 1;
}

/*
 * Inside the caller's transaction: a new secret for user_id's link of
 * kind, its hash stored, the e-mail queued; out gets the URL and expiry.
 */
static cl_err
issue(cl_store *st, const char *user_id, const char *kind, const who *to,
      const char *actor, cl_time now, cl_engine_link *out, cl_error *err)
{
    char hours[16], base[CL_ENGINE_URL_MAX - CL_ENGINE_SECRET_MAX];
    char dflt[16];
    snprintf(dflt, sizeof dflt, "%d", EXPIRY_HOURS_DEFAULT);
    cl_err e =
        setting(st, "invite_expiry_hours", dflt, hours, sizeof hours, err);
    if (e == CL_OK)
        e = setting(st, "public_url", CL_ENGINE_DEFAULT_URL, base, sizeof base,
                    err);
    if (e != CL_OK)
        return e;
    long h = strtol(hours, NULL, 10);
    if (h <= 0)
        h = EXPIRY_HOURS_DEFAULT;
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/')
        base[--bl] = '\0';

    /* 256 random bits: a plain SHA-256 keeps the stored form useless, as
       for API tokens.  The secret rides in the URL's fragment, which
       browsers send to no server and no Referer carries. */
    unsigned char raw[32], digest[crypto_hash_sha256_BYTES];
    char secret[65], hash[65];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(secret, sizeof secret, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    crypto_hash_sha256(digest, (const unsigned char *)secret, strlen(secret));
    sodium_bin2hex(hash, sizeof hash, digest, sizeof digest);
    cl_time_format(now + (cl_time)h * 3600, out->expires_at);
    snprintf(out->url, sizeof out->url, "%s/invite#%s", base, secret);
    sodium_memzero(secret, sizeof secret);
    snprintf(out->user_id, sizeof out->user_id, "%s", user_id);

    e = cl_store_onetime_add(st, user_id, kind, hash, out->expires_at, err);
    if (e != CL_OK)
        return e;

    int reset = strcmp(kind, "reset") == 0;
    char subject[200], key[96], until[24];
    /* "2026-11-21T10:00:00Z" as people read it: "2026-11-21 10:00 UTC". */
    snprintf(until, sizeof until, "%.10s %.5s UTC", out->expires_at,
             out->expires_at + 11);
    char *body = NULL;
    size_t blen = 0;
    FILE *f = open_memstream(&body, &blen);
    if (!f)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    if (reset) {
        snprintf(subject, sizeof subject, "Choose a new closeloop password");
        fprintf(f,
                "Hello %s,\n\n%s asked for a new closeloop password for "
                "you.  Choose it here:\n\n%s\n\nThe link works once, until "
                "%s.  Your old password works until you choose the "
                "new one.\n",
                to->name, actor, out->url, until);
    } else {
        snprintf(subject, sizeof subject, "You are invited to closeloop");
        fprintf(f,
                "Hello %s,\n\n%s invited you to closeloop as %s.  Choose "
                "your password here and you are signed in:\n\n%s\n\nThe "
                "link works once, until %s.  Your sign-in is this "
                "e-mail address, %s.\n",
                to->name, actor, cl_people_role_label(to->role), out->url,
                until, to->email);
    }
    if (fclose(f) != 0 || !body) {
        free(body);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    /* The idempotency key names the link by its hash's first half: unique
       per link, and no use to a reader of the outbox. */
    snprintf(key, sizeof key, "link:%.32s:email", hash);
    cl_store_outbox_new m = {
        .key = key,
        .recipient_id = user_id,
        .channel = "email",
        .kind = reset ? "password_reset" : "invite",
        .subject = subject,
        .body = body,
        .subject_kind = "user",
        .subject_id = user_id,
        .status = "pending",
    };
    int inserted = 0;
    e = cl_store_outbox_add(st, &m, &inserted, err);
    sodium_memzero(body, blen);
    free(body);
    return e;
}

/* Ends the transaction of an invitation or a reset: when e is CL_OK so
   far, issues the link and commits; else (or when that fails) rolls back
   and clears out. */
static cl_err
issue_commit(cl_store *st, cl_err e, const char *user_id, const char *kind,
             const who *to, const char *actor, cl_time now, cl_engine_link *out,
             cl_error *err)
{
    if (e == CL_OK)
        e = issue(st, user_id, kind, to, actor, now, out, err);
    if (e == CL_OK)
        e = cl_store_commit(st, err);
    if (e != CL_OK) {
        cl_store_rollback(st);
        memset(out, 0, sizeof *out);
    }
    return e;
}

/* The actor's name for the e-mail ("An administrator" when unknown). */
static void
actor_name(cl_store *st, const char *actor, char *out, size_t len)
{
    if (!actor || !name_of(st, actor, out, len))
        snprintf(out, len, "An administrator");
}

cl_err
cl_engine_link_send(cl_store *st, const char *user_id, const char *kind,
                    const char *actor, cl_time now, cl_engine_link *out,
                    cl_error *err)
{
    who w = {0};
    char by[256];
    memset(out, 0, sizeof *out);
    if (strcmp(kind, "invite") != 0 && strcmp(kind, "reset") != 0)
        return cl_error_set(err, CL_EINVAL, "kind: expected invite or reset");
    actor_name(st, actor, by, sizeof by);
    cl_err e = cl_store_begin(st, actor, now, err);
    if (e == CL_OK)
        e = cl_store_people_each(st, user_id, who_cb, &w, err);
    if (e == CL_OK && !w.found)
        e = cl_error_set(err, CL_ENOTFOUND, "no user '%s'", user_id);
    else if (e == CL_OK && w.deactivated)
        e = cl_error_set(err, CL_ECONFLICT,
                         "%s is deactivated; reactivate them first", w.name);
    else if (e == CL_OK && w.has_password && strcmp(kind, "invite") == 0)
        e = cl_error_set(err, CL_ECONFLICT,
                         "%s has accepted the invitation already; send a "
                         "password reset instead",
                         w.name);
    return issue_commit(st, e, user_id, kind, &w, by, now, out, err);
}

/* ---- invitations ------------------------------------------------------ */

/* Parses the person's cells into row with the users import's rules. */
static cl_err
person_row(const char *id, const cl_engine_person *p, cl_value row[6],
           char scratch[6][600], const char **field, cl_error *err)
{
    const cl_kind_def *def = cl_kind_get(CL_KIND_USERS);
    const char *cells[6] = {id,      p->name,       p->email,
                            p->role, p->manager_id, p->team};
    for (size_t i = 0; i < def->nfields && i < 6; i++) {
        const char *t = cells[i] ? cells[i] : "";
        cl_error e2;
        char why[sizeof e2.msg];
        cl_error_clear(&e2);
        if (strlen(t) >= sizeof scratch[i]) {
            *field = def->fields[i].name;
            return cl_error_set(err, CL_EINVAL, "%s: at most %zu characters",
                                def->fields[i].name, sizeof scratch[i] - 1);
        }
        if (cl_field_parse(&def->fields[i], t, strlen(t), &row[i], scratch[i],
                           &e2) != CL_OK) {
            snprintf(why, sizeof why, "%s", e2.msg);
            *field = def->fields[i].name;
            return cl_error_set(err, CL_EINVAL, "%s: %s", def->fields[i].name,
                                why);
        }
    }
    return CL_OK;
}

/* A unique id from the name's base into id; inside the transaction. */
static cl_err
unique_id(cl_store *st, const cl_engine_person *p, char id[CL_PEOPLE_ID_MAX],
          cl_error *err)
{
    char base[CL_PEOPLE_ID_MAX];
    cl_people_id_base(p->name, p->role, base);
    /* Room for "-999" after the base (at most 40 characters). */
    base[CL_PEOPLE_ID_MAX - 5] = '\0';
    for (int i = 1; i <= ID_TRIES; i++) {
        if (i == 1)
            snprintf(id, CL_PEOPLE_ID_MAX, "%s", base);
        else
            snprintf(id, CL_PEOPLE_ID_MAX, "%.50s-%d", base, i % 1000);
        cl_store_login u;
        int found = 0;
        cl_err e = cl_store_login_get(st, id, 0, &u, &found, err);
        if (e != CL_OK || !found)
            return e;
    }
    return cl_error_set(err, CL_ECONFLICT, "name: too many people named '%s'",
                        p->name);
}

cl_err
cl_engine_invite(cl_store *st, const cl_engine_person *p, const char *actor,
                 cl_time now, cl_engine_link *out, const char **field,
                 cl_error *err)
{
    const char *dummy;
    cl_value row[6];
    char scratch[6][600], id[CL_PEOPLE_ID_MAX], by[256];
    if (!field)
        field = &dummy;
    *field = NULL;
    memset(out, 0, sizeof *out);
    /* The cells first, with a placeholder id: the id is derived below. */
    cl_err e = person_row("x", p, row, scratch, field, err);
    if (e != CL_OK)
        return e;
    actor_name(st, actor, by, sizeof by);
    e = cl_store_begin(st, actor, now, err);
    if (e == CL_OK &&
        (e = cl_engine_email_check(st, NULL, p->email, err)) == CL_EINVAL)
        *field = "email";
    if (e == CL_OK)
        e = unique_id(st, p, id, err);
    if (e == CL_OK) {
        e = cl_engine_manager_check(st, id, p->manager_id, err);
        if (e == CL_EINVAL)
            *field = "manager_id";
    }
    if (e == CL_OK)
        e = person_row(id, p, row, scratch, field, err);
    cl_put_result res;
    if (e == CL_OK)
        e = cl_store_put(st, CL_KIND_USERS, row, &res, err);
    who w = {0};
    snprintf(w.name, sizeof w.name, "%s", p->name);
    snprintf(w.email, sizeof w.email, "%s", p->email);
    snprintf(w.role, sizeof w.role, "%s", p->role);
    return issue_commit(st, e, id, "invite", &w, by, now, out, err);
}

cl_err
cl_engine_email_check(cl_store *st, const char *user_id, const char *email,
                      cl_error *err)
{
    cl_store_login u;
    int found = 0;
    cl_err e = cl_store_login_get(st, email, 1, &u, &found, err);
    if (e == CL_OK && found && (!user_id || strcmp(u.id, user_id) != 0))
        e = cl_error_set(err, CL_EINVAL,
                         "email: %s is the sign-in of %s already", email,
                         u.name);
    return e;
}

/* ---- deactivation ----------------------------------------------------- */

cl_err
cl_engine_user_active(cl_store *st, const char *user_id, int active,
                      const char *actor, cl_time now, int *revoked,
                      cl_error *err)
{
    who w = {0};
    int changed = 0;
    if (revoked)
        *revoked = 0;
    if (!active && actor && strcmp(actor, user_id) == 0)
        return cl_error_set(err, CL_ECONFLICT,
                            "you cannot deactivate yourself; ask another "
                            "administrator");
    cl_err e = cl_store_begin(st, actor, now, err);
    if (e == CL_OK)
        e = cl_store_people_each(st, user_id, who_cb, &w, err);
    if (e == CL_OK && !w.found)
        e = cl_error_set(err, CL_ENOTFOUND, "no user '%s'", user_id);
    if (e == CL_OK)
        e = cl_store_user_active_set(st, user_id, active, &changed, revoked,
                                     err);
    if (e == CL_OK && !changed)
        e = cl_error_set(err, CL_ECONFLICT, "%s is %s already", w.name,
                         active ? "active" : "deactivated");
    if (e == CL_OK)
        e = cl_store_commit(st, err);
    if (e != CL_OK)
        cl_store_rollback(st);
    return e;
}
