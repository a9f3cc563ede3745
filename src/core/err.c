#include "err.h"

#include <stdarg.h>
#include <stdio.h>

const char *
cl_strerror(cl_err code)
{
    switch (code) {
    case CL_OK: return "ok";
    case CL_EINVAL: return "bad input";
    case CL_ENOTFOUND: return "not found";
    case CL_ECONFLICT: return "conflict";
    case CL_EFORBIDDEN: return "forbidden";
    case CL_ERETRY: return "temporary failure, try again";
    case CL_EIO: return "i/o error";
    case CL_EDB: return "storage error";
    case CL_ENOMEM: return "out of memory";
    case CL_EUSAGE: return "usage error";
    }
    return "unknown error";
}

cl_err
cl_error_set(cl_error *err, cl_err code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
        err->field[0] = '\0';
    }
    return code;
}

cl_err
cl_error_set_field(cl_error *err, cl_err code, const char *field,
                   const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
        snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    }
    return code;
}

void
cl_error_clear(cl_error *err)
{
    if (err) {
        err->code = CL_OK;
        err->msg[0] = '\0';
        err->field[0] = '\0';
    }
}

int
cl_err_exit_code(cl_err code)
{
    switch (code) {
    case CL_OK: return 0;
    case CL_EUSAGE: return 2;
    case CL_EDB:
    case CL_EIO:
    case CL_ENOMEM:
    case CL_ERETRY: return 3;
    default: return 1;
    }
}
