/*
 * err.h - the one error enum of closeloop.
 *
 * Every library function returns a cl_err and writes results through
 * out-parameters.  The human-readable detail (file, line, field) travels in a
 * cl_error that the caller passes in; it is never allocated, so it can be
 * filled on the way out of a failing call without another failure.
 */
#ifndef CL_ERR_H
#define CL_ERR_H

#include <stddef.h>

typedef enum cl_err {
    CL_OK = 0,
    CL_EINVAL,    /* bad input: a value, a row, a file the user gave */
    CL_ENOTFOUND, /* the record asked for does not exist */
    CL_ECONFLICT, /* the change contradicts the current state */
    CL_EFORBIDDEN,/* the rules refuse this to this role */
    CL_ERETRY,    /* transient: the same call may succeed later */
    CL_EIO,       /* reading or writing a file failed */
    CL_EDB,       /* the storage backend failed */
    CL_ENOMEM,    /* an allocation failed */
    CL_EUSAGE     /* the command line itself is wrong */
} cl_err;

/* Detail of the last failure; msg is always NUL-terminated.  field names
   the input the failure is about when one does (a query parameter, a
   record's field: the API's error.field), else "". */
typedef struct cl_error {
    cl_err code;
    char msg[512];
    char field[48];
} cl_error;

/* Returns a static, lower-case description of code, e.g. "bad input". */
const char *cl_strerror(cl_err code);

/*
 * Records code and a printf-style message in err (err may be NULL) and
 * returns code, so a failing path can end with `return cl_error_set(...)`.
 */
cl_err cl_error_set(cl_error *err, cl_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As cl_error_set, naming the input field the failure is about. */
cl_err cl_error_set_field(cl_error *err, cl_err code, const char *field,
                          const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Clears err to CL_OK with an empty message (err may be NULL). */
void cl_error_clear(cl_error *err);

/* The process exit code for code: 0 ok, 1 bad input, 2 usage, 3 storage. */
int cl_err_exit_code(cl_err code);

#endif
