/*
 * virnoiolock.c: virNoIOMutex and the check of blocking helpers
 * (virnoiolock.h).
 *
 * The count of held mutexes is thread-local, so the check costs one
 * thread-local read. No locking of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "virnoiolock.h"
#include "virlog.h"

VIR_LOG_INIT("util.noiolock");

static _Thread_local int virNoIOHeldCount;


void
virNoIOMutexInit(virNoIOMutex *m)
{
    g_mutex_init(&m->lock);
}


void
virNoIOMutexClear(virNoIOMutex *m)
{
    g_mutex_clear(&m->lock);
}


void
virNoIOMutexLock(virNoIOMutex *m)
{
    g_mutex_lock(&m->lock);
    virNoIOHeldCount++;
}


void
virNoIOMutexUnlock(virNoIOMutex *m)
{
    virNoIOHeldCount--;
    g_mutex_unlock(&m->lock);
}


void
virNoIOMutexCondWait(GCond *cond, virNoIOMutex *m)
{
    g_cond_wait(cond, &m->lock);
}


bool
virNoIOMutexCondWaitUntil(GCond *cond, virNoIOMutex *m, gint64 end_time)
{
    return g_cond_wait_until(cond, &m->lock, end_time);
}


int
virNoIOHeld(void)
{
    return virNoIOHeldCount;
}


static bool
virNoIOAbortOnViolation(void)
{
#ifdef VIRTNET_NOIO_ABORT
    return true;
#else
    static int mode = -1;

    if (mode < 0) {
        const char *env = getenv("VIRTNET_NOIO_CHECK");
        mode = env && strcmp(env, "abort") == 0;
    }
    return mode == 1;
#endif
}


void
virNoIOCheck(const char *what)
{
    static GHashTable *warned;
    static GMutex warnedLock;
    bool first;

    if (G_LIKELY(virNoIOHeldCount == 0))
        return;
    if (virNoIOAbortOnViolation()) {
        VIR_ERROR("%s while holding %d no-I/O lock(s): every client of the event loop "
                  "would wait for it", what, virNoIOHeldCount);
        abort();
    }
    g_mutex_lock(&warnedLock);
    if (!warned)
        warned = g_hash_table_new(g_str_hash, g_str_equal);
    first = g_hash_table_add(warned, (gpointer)what);
    g_mutex_unlock(&warnedLock);
    if (first)
        VIR_WARN("%s while holding %d no-I/O lock(s) (reported once)", what, virNoIOHeldCount);
}
