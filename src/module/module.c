/* module.c - the parts of closeloop loaded on first use (module.h). */
#include "module.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cl_build_config.h"

/* What each module is for, in the error when it cannot be loaded. */
static const struct {
    const char *name, *what;
} modules[] = {
    {"pg", "PostgreSQL"},
    {"net", "sending e-mail, chat, webhooks and CRM write-back"},
    {"serve", "the web server"},
};
#define N_MODULES (sizeof modules / sizeof modules[0])

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Never closed: a module's code may be on any thread's stack. */
static const void *loaded[N_MODULES];

/* The directory of the running executable, "" when it cannot be read. */
static void
exe_dir(char *dir, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", dir, len - 1);
    dir[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        dir[0] = '\0';
}

/* Opens dir/closeloop-NAME.so and finds its table; on failure why keeps
   the loader's reason for a file that is there (its first). */
static const void *
open_in(const char *dir, const char *name, char *why, size_t len)
{
    char path[PATH_MAX], sym[64];
    if (dir[0] == '\0')
        return NULL;
    snprintf(path, sizeof path, "%s/closeloop-%s.so", dir, name);
    if (access(path, F_OK) != 0)
        return NULL;
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    const void *api = NULL;
    if (h) {
        snprintf(sym, sizeof sym, "cl__%s_module", name);
        api = dlsym(h, sym);
    }
    if (api == NULL && why[0] == '\0') {
        /* Cut to fit the one-line error it goes in. */
        const char *e = dlerror();
        snprintf(why, len, "%.400s", e ? e : path);
    }
    return api;
}

const void *
cl_module_get(const char *name, const void *linked, cl_error *err)
{
    if (linked)
        return linked;
    size_t i = 0;
    while (i < N_MODULES && strcmp(modules[i].name, name) != 0)
        i++;
    if (i == N_MODULES) {
        cl_error_set(err, CL_EIO, "no module named %s", name);
        return NULL;
    }
    pthread_mutex_lock(&lock);
    const void *api = loaded[i];
    char here[PATH_MAX], why[512] = "";
    if (api == NULL) {
        exe_dir(here, sizeof here);
        api = open_in(here, name, why, sizeof why);
        if (api == NULL)
            api = open_in(CL_MODULE_DIR, name, why, sizeof why);
        loaded[i] = api;
    }
    pthread_mutex_unlock(&lock);
    if (api)
        return api;
    if (why[0])
        cl_error_set(err, CL_EIO, "cannot load closeloop-%s.so (%s): %s", name,
                     modules[i].what, why);
    else
        cl_error_set(err, CL_EIO,
                     "closeloop-%s.so (%s) is not installed: looked beside "
                     "the executable (%s) and in %s",
                     name, modules[i].what, here, CL_MODULE_DIR);
    return NULL;
}
