/*
 * cmd_user.c - `closeloop user add|passwd`: people who sign in.
 *
 * The password comes from stdin (one line), never from the command line,
 * where other users of the machine could read it; only its argon2id hash
 * (libsodium's crypto_pwhash_str) is stored.
 */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "engine/engine_password.h"
#include "engine/engine_people.h"
#include "io/field.h"
#include "store/store_api.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_user = {
    "user", run,
    "add, invite, deactivate or reactivate a user, or set a password",
    "usage: closeloop user add --email E --name N --role R [--manager ID]\n"
    "                          [--id ID] [--team T] [--no-password]\n"
    "       closeloop user invite --email E --name N --role R [--manager ID]\n"
    "                          [--team T]\n"
    "       closeloop user passwd ID\n"
    "       closeloop user deactivate ID\n"
    "       closeloop user activate ID\n"
    "\n"
    "add: creates a user; the password is read from stdin (one line, 10\n"
    "to 1024 characters) unless --no-password.  The id defaults to the\n"
    "email's local part.  Roles: csm cs_manager ae sales_manager vp_sales\n"
    "vp_cs marketing revops admin.\n"
    "passwd: sets the password of user ID (users imported by CSV have\n"
    "none until then), read from stdin; ends the user's browser sessions\n"
    "and revokes their API tokens.\n"
    "invite: creates the user without a password (the id is derived from\n"
    "the name) and queues an e-mail with a one-time link to choose one;\n"
    "prints the id and the link.  The link expires after the\n"
    "invite_expiry_hours setting (72) and starts with public_url\n"
    "(`closeloop config`).\n"
    "deactivate: the user signs in no more; their browser sessions end and\n"
    "their API tokens are revoked at once; every record stays.\n"
    "activate: undoes deactivate (a new password or token is needed).\n"
    "\n"
    "Passwords are stored as argon2id hashes.\n"};

/* Reads one line of stdin into buf without its newline; NULL when it is
   an acceptable password, else why not (the rule of core/people.h, the
   same as the web UI's). */
static const char *
read_password(char *buf, size_t len)
{
    if (!fgets(buf, (int)len, stdin))
        return "expected a password on stdin";
    if (!strchr(buf, '\n') && strlen(buf) == len - 1)
        return "a new password may have at most 1024 characters";
    buf[strcspn(buf, "\r\n")] = '\0';
    return cl_people_password_check(buf);
}

static int
hash_password(const char *pw, char out[CL_ENGINE_PASSWORD_HASH_MAX])
{
    if (sodium_init() < 0)
        return -1;
    return cl_engine_password_hash(pw, out);
}

static int
set_password(cl_store *st, const char *id, const char *hash, cl_time now,
             int *revoked)
{
    cl_error err;
    int found = 0;
    cl_error_clear(&err);
    cl_err e = cl_store_begin(st, "user", now, &err);
    /* Whoever knew the old password may hold a browser session or have
       minted an API token: both end with it. */
    if (e == CL_OK)
        e = cl_store_password_change(st, id, hash, NULL, &found, revoked, &err);
    if (e == CL_OK && !found)
        e = cl_error_set(&err, CL_EINVAL, "no user '%s'", id);
    if (e == CL_OK)
        e = cl_store_commit(st, &err);
    if (e != CL_OK) {
        cl_store_rollback(st);
        return cli_fail_error(&err);
    }
    return CLI_OK;
}

/* `user invite`: the engine's invitation, as the People page's. */
static int
invite(const cli_common *common, const cl_engine_person *p)
{
    cl_store *st;
    cl_engine_link link;
    cl_error err;
    int rc;
    if (sodium_init() < 0)
        return cli_fail(CL_ENOMEM, "cannot initialise libsodium");
    if ((rc = cli_open(common, &st)) != 0)
        return rc;
    cl_error_clear(&err);
    cl_err e = cl_engine_invite(st, p, "user", common->now, &link, NULL, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    printf("user %s invited (%s); the e-mail is queued\n"
           "link (works once, until %s): %s\n",
           link.user_id, p->role, link.expires_at, link.url);
    sodium_memzero(&link, sizeof link);
    return CLI_OK;
}

/* `user deactivate|activate ID`. */
static int
set_active(const cli_common *common, const char *id, int active)
{
    cl_store *st;
    cl_error err;
    int rc, revoked = 0;
    if ((rc = cli_open(common, &st)) != 0)
        return rc;
    cl_error_clear(&err);
    cl_err e = cl_engine_user_active(st, id, active, "user", common->now,
                                     &revoked, &err);
    cl_store_close(st);
    if (e != CL_OK)
        return cli_fail_error(&err);
    if (active)
        printf("user %s reactivated\n", id);
    else
        printf("user %s deactivated; sessions ended, %d API token%s "
               "revoked\n",
               id, revoked, revoked == 1 ? "" : "s");
    return CLI_OK;
}

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"email", required_argument, NULL, 'e'},
        {"name", required_argument, NULL, 'n'},
        {"role", required_argument, NULL, 'r'},
        {"manager", required_argument, NULL, 'm'},
        {"id", required_argument, NULL, 'i'},
        {"team", required_argument, NULL, 't'},
        {"no-password", no_argument, NULL, 'P'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *email = NULL, *name = NULL, *role = NULL, *manager = NULL,
               *id = NULL, *team = NULL;
    int no_password = 0, c, rc = CLI_USAGE;
    char pw[CL_PEOPLE_PW_MAX + 2], hash[CL_ENGINE_PASSWORD_HASH_MAX], idbuf[65];

    static const char *const actions[] = {"add",        "passwd",   "invite",
                                          "deactivate", "activate", NULL};
    if (argc < 2 || cl_enum_index(actions, argv[1]) < 0)
        return cli_usage(&cli_cmd_user, "expected add, invite, passwd, "
                                        "deactivate or activate");
    const char *action = argv[1];
    int add = strcmp(action, "add") == 0;
    argc--;
    argv++;
    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_user, argc, argv, ":h", opts, &common,
                                &rc)) > 0) {
        switch (c) {
        case 'e':
            email = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 'm':
            manager = optarg;
            break;
        case 'i':
            id = optarg;
            break;
        case 't':
            team = optarg;
            break;
        case 'P':
            no_password = 1;
            break;
        default:
            return cli_usage(&cli_cmd_user, "unexpected option");
        }
    }
    if (c < 0)
        return rc;
    if (strcmp(action, "invite") == 0) {
        if (optind != argc)
            return cli_usage(&cli_cmd_user, "unexpected argument '%s'",
                             argv[optind]);
        if (!email || !name || !role)
            return cli_usage(&cli_cmd_user,
                             "invite needs --email, --name and --role");
        cl_engine_person p = {name, email, role, manager, team};
        return invite(&common, &p);
    }
    if (strcmp(action, "deactivate") == 0 || strcmp(action, "activate") == 0) {
        if (optind + 1 != argc)
            return cli_usage(&cli_cmd_user, "%s needs one user ID", action);
        return set_active(&common, argv[optind],
                          strcmp(action, "activate") == 0);
    }
    if (!add) {
        if (optind + 1 != argc)
            return cli_usage(&cli_cmd_user, "passwd needs one user ID");
        id = argv[optind];
    } else {
        if (optind != argc)
            return cli_usage(&cli_cmd_user, "unexpected argument '%s'",
                             argv[optind]);
        if (!email || !name || !role)
            return cli_usage(&cli_cmd_user,
                             "add needs --email, --name and --role");
        if (!id) {
            size_t n = strcspn(email, "@");
            snprintf(idbuf, sizeof idbuf, "%.*s", (int)n, email);
            for (char *p = idbuf; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            id = idbuf;
        }
    }
    if ((add && !no_password) || !add) {
        const char *why = read_password(pw, sizeof pw);
        if (why)
            return cli_fail(CL_EINVAL, "%s (stdin)", why);
        if (hash_password(pw, hash) != 0)
            return cli_fail(CL_ENOMEM, "cannot hash the password");
        sodium_memzero(pw, sizeof pw);
    }

    cl_store *st;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    if (add) {
        /* The same field rules as an import of users.csv. */
        const cl_kind_def *def = cl_kind_get(CL_KIND_USERS);
        const char *cells[6] = {id, name, email, role, manager, team};
        char scratch[6][600];
        cl_value row[6];
        cl_error err;
        cl_put_result res;
        for (size_t i = 0; i < def->nfields; i++) {
            const char *t = cells[i] ? cells[i] : "";
            cl_error_clear(&err);
            if (strlen(t) >= sizeof scratch[i] ||
                cl_field_parse(&def->fields[i], t, strlen(t), &row[i],
                               scratch[i], &err) != CL_OK) {
                cl_store_close(st);
                return cli_fail(CL_EINVAL, "--%s: %s", def->fields[i].name,
                                err.msg);
            }
        }
        cl_value key = row[0], old[6];
        int found = 0;
        cl_err e = cl_store_get(st, CL_KIND_USERS, &key, old, &found, &err);
        if (e == CL_OK && found)
            e = cl_error_set(&err, CL_EINVAL, "user '%s' exists already", id);
        if (e == CL_OK && manager) {
            cl_value mk = {CL_V_TEXT, 0, 0, manager};
            e = cl_store_get(st, CL_KIND_USERS, &mk, old, &found, &err);
            if (e == CL_OK && !found)
                e = cl_error_set(&err, CL_EINVAL, "--manager: no user '%s'",
                                 manager);
        }
        if (e == CL_OK)
            e = cl_store_begin(st, "user", common.now, &err);
        if (e == CL_OK)
            e = cl_store_put(st, CL_KIND_USERS, row, &res, &err);
        if (e == CL_OK && !no_password)
            e = cl_store_password_set(st, id, hash, &found, &err);
        if (e == CL_OK)
            e = cl_store_commit(st, &err);
        if (e != CL_OK) {
            cl_store_rollback(st);
            cl_store_close(st);
            return cli_fail_error(&err);
        }
        cl_store_close(st);
        printf("user %s added (%s)%s\n", id, role,
               no_password ? " without a password" : "");
        return CLI_OK;
    }
    int revoked = 0;
    rc = set_password(st, id, hash, common.now, &revoked);
    cl_store_close(st);
    if (rc == CLI_OK && revoked)
        printf("password of %s set; %d API token%s revoked\n", id, revoked,
               revoked == 1 ? "" : "s");
    else if (rc == CLI_OK)
        printf("password of %s set\n", id);
    return rc;
}
