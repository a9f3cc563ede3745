/*
 * module.h - the parts of closeloop that load their libraries on first use.
 *
 * Three parts need big libraries that most commands never use: the
 * PostgreSQL store (libpq), the senders of e-mail, chat, webhooks and CRM
 * write-back (libcurl), and the web server (libmicrohttpd, libxml2).
 * Loaded at every start with their own dependencies they are some forty
 * shared objects, which cost a command more time than its work (35 of 38 ms
 * of `closeloop --version`).  So the executable is built without them, and
 * each is a module of its own, closeloop-NAME.so, opened by the first
 * command that needs it.  A module exports one table of entry points,
 * cl__NAME_module; it calls the rest of closeloop in the executable, which
 * exports its symbols for it.
 *
 * The test programs link every part in: there the table is the linked
 * one, and nothing is opened.
 */
#ifndef CL_MODULE_H
#define CL_MODULE_H

#include "../core/err.h"

/*
 * Returns the entry points of module name ("pg", "net", "serve"): linked
 * when the caller's weak reference to them is not NULL, else those of
 * closeloop-NAME.so, looked for beside the executable (a build directory)
 * and then in the install's module directory, and opened once per
 * process.  NULL with err set (CL_EIO) naming what the module is for and
 * where it was looked for, or the loader's reason when it is there but
 * cannot be opened (a library of its own missing).  Thread-safe.
 */
const void *cl_module_get(const char *name, const void *linked, cl_error *err);

#endif
