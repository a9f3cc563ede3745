/*
 * snapshot_shared.c - the server's shared snapshot, reference counted.
 *
 * The holder keeps one reference to its current entry, each reader one
 * more.  Loading happens outside the lock: two threads that find the
 * snapshot stale may both load it; the later one replaces the earlier,
 * which its reader still frees when done.
 */
#include "snapshot_shared.h"

#include <pthread.h>
#include <stdlib.h>

#include "snapshot_cache.h"
#include "snapshot_load.h"

struct cl_snapshot_ref {
    cl_snapshot_key key;
    cl_snapshot *snap;
    int refs; /* under the holder's lock */
};

struct cl_snapshot_shared {
    pthread_mutex_t lock;
    cl_snapshot_ref *current;
};

cl_snapshot_shared *
cl_snapshot_shared_new(void)
{
    cl_snapshot_shared *sh = calloc(1, sizeof *sh);
    if (sh && pthread_mutex_init(&sh->lock, NULL) != 0) {
        free(sh);
        return NULL;
    }
    return sh;
}

static void
drop(cl_snapshot_ref *e)
{
    cl_snapshot_free(e->snap);
    free(e);
}

/* One reference less to e under the lock; 1 when it was the last. */
static int
unref(cl_snapshot_shared *sh, cl_snapshot_ref *e)
{
    pthread_mutex_lock(&sh->lock);
    int last = --e->refs == 0;
    pthread_mutex_unlock(&sh->lock);
    return last;
}

void
cl_snapshot_shared_free(cl_snapshot_shared *sh)
{
    if (sh == NULL)
        return;
    if (sh->current && unref(sh, sh->current))
        drop(sh->current);
    pthread_mutex_destroy(&sh->lock);
    free(sh);
}

cl_err
cl_snapshot_shared_get(cl_snapshot_shared *sh, cl_store *st, const char *url,
                       cl_snapshot_ref **ref, cl_error *err)
{
    cl_snapshot_key key;
    cl_snapshot *snap;
    cl_err rc;
    if (cl_snapshot_key_read(st, url, &key) != 0) {
        /* A key that cannot be read cannot say the held snapshot is
           current: a private one, never shared. */
        cl_snapshot_ref *own = calloc(1, sizeof *own);
        if (own == NULL)
            return cl_error_set(err, CL_ENOMEM, "out of memory");
        if ((rc = cl_snapshot_load(st, &own->snap, err)) != CL_OK) {
            free(own);
            return rc;
        }
        own->refs = 1;
        *ref = own;
        return CL_OK;
    }
    pthread_mutex_lock(&sh->lock);
    cl_snapshot_ref *e = sh->current;
    if (e && cl_snapshot_key_equal(&e->key, &key)) {
        e->refs++;
        pthread_mutex_unlock(&sh->lock);
        *ref = e;
        return CL_OK;
    }
    pthread_mutex_unlock(&sh->lock);

    if ((rc = cl_snapshot_load_keyed(st, url, &key, &snap, NULL, err)) != CL_OK)
        return rc;
    cl_snapshot_ref *n = calloc(1, sizeof *n);
    if (n == NULL) {
        cl_snapshot_free(snap);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    n->key = key;
    n->snap = snap;
    n->refs = 2; /* the holder's and the caller's */
    pthread_mutex_lock(&sh->lock);
    cl_snapshot_ref *old = sh->current;
    sh->current = n;
    int last = old && --old->refs == 0;
    pthread_mutex_unlock(&sh->lock);
    if (last)
        drop(old);
    *ref = n;
    return CL_OK;
}

const cl_snapshot *
cl_snapshot_ref_snapshot(const cl_snapshot_ref *ref)
{
    return ref->snap;
}

void
cl_snapshot_shared_release(cl_snapshot_shared *sh, cl_snapshot_ref *ref)
{
    if (ref && unref(sh, ref))
        drop(ref);
}
