/*
 * cmd_token.c - `closeloop token create|revoke`: bearer tokens for
 * integrations.  The token is printed once; the store keeps its SHA-256.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store/store_api.h"

static int run(int argc, char **argv);

const cli_command cli_cmd_token = {
    "token", run, "create or revoke an API bearer token",
    "usage: closeloop token create --user ID [--db URL]\n"
    "       closeloop token revoke TOKEN_ID [--db URL]\n"
    "\n"
    "create: prints a new token for user ID on stdout, once (send it as\n"
    "`Authorization: Bearer TOKEN`), and its id on stderr; only the\n"
    "token's hash is stored.  The token acts with the user's role.\n"
    "revoke: the token stops working at once.\n"};

static int
run(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"user", required_argument, NULL, 'u'},
        {NULL, 0, NULL, 0}};
    cli_common common;
    const char *user = NULL;
    int c, rc = CLI_USAGE;

    if (argc < 2 || (strcmp(argv[1], "create") && strcmp(argv[1], "revoke")))
        return cli_usage(&cli_cmd_token, "expected 'create' or 'revoke'");
    int create = strcmp(argv[1], "create") == 0;
    argc--;
    argv++;
    cli_common_init(&common);
    while ((c = cli_next_option(&cli_cmd_token, argc, argv, ":h", opts,
                                &common, &rc)) > 0) {
        if (c == 'u')
            user = optarg;
        else
            return cli_usage(&cli_cmd_token, "unexpected option");
    }
    if (c < 0)
        return rc;
    if (create && (!user || optind != argc))
        return cli_usage(&cli_cmd_token, "create needs --user ID");
    if (!create && optind + 1 != argc)
        return cli_usage(&cli_cmd_token, "revoke needs one TOKEN_ID");
    if (sodium_init() < 0)
        return cli_fail(CL_ENOMEM, "cannot initialise libsodium");

    cl_store *st;
    cl_error err;
    cl_err e;
    if ((rc = cli_open(&common, &st)) != 0)
        return rc;
    cl_error_clear(&err);
    if (create) {
        char token[CL_TOKEN_SECRET_LEN], id[CL_TOKEN_ID_LEN];
        cl_store_login u;
        /* The same code path as POST /api/v1/tokens. */
        e = cl_store_begin(st, "token", common.now, &err);
        if (e == CL_OK)
            e = cl_store_token_create(st, user, token, id, &u, &err);
        if (e == CL_OK)
            e = cl_store_commit(st, &err);
        if (e != CL_OK) {
            cl_store_rollback(st);
            cl_store_close(st);
            return cli_fail_error(&err);
        }
        cl_store_close(st);
        printf("%s\n", token);
        fprintf(stderr, "token %s for %s (%s); it is shown only now\n", id,
                user, u.role);
        return CLI_OK;
    }
    int changed = 0;
    e = cl_store_begin(st, "token", common.now, &err);
    if (e == CL_OK)
        e = cl_store_token_revoke(st, argv[optind], &changed, &err);
    if (e == CL_OK && !changed)
        e = cl_error_set(&err, CL_EINVAL, "no live token '%s'", argv[optind]);
    if (e == CL_OK)
        e = cl_store_commit(st, &err);
    if (e != CL_OK) {
        cl_store_rollback(st);
        cl_store_close(st);
        return cli_fail_error(&err);
    }
    cl_store_close(st);
    printf("token %s revoked\n", argv[optind]);
    return CLI_OK;
}
