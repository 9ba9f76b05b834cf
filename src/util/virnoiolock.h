/*
 * virnoiolock.h: a mutex that is never held across blocking work.
 *
 * The daemon answers cheap calls (lookups, listings) inline on its event
 * loop thread, and those take driver locks. A driver lock held by another
 * thread across an fsync, a wait for a child or a sleep would freeze the
 * loop and every client with it. virNoIOMutex is the lock such calls take:
 * it records, per thread, how many of them the thread holds, and the
 * helpers that block (virFileWriteAtomic, virFileRemove, virSleepMs,
 * virProcessWaitPid in virutil.h) call virNoIOCheck, which catches a
 * caller that holds one.
 *
 * On a violation: abort() when the environment has VIRTNET_NOIO_CHECK=abort
 * (`make check` sets it) or in a sanitizer build; otherwise one warning per
 * kind of work.
 *
 * Waiting on a condition with the mutex (virNoIOMutexCondWait*) is fine:
 * the mutex is released meanwhile.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

typedef struct {
    GMutex lock;
} virNoIOMutex;

void virNoIOMutexInit(virNoIOMutex *m);
void virNoIOMutexClear(virNoIOMutex *m);
void virNoIOMutexLock(virNoIOMutex *m);
void virNoIOMutexUnlock(virNoIOMutex *m);
void virNoIOMutexCondWait(GCond *cond, virNoIOMutex *m);
/* As g_cond_wait_until: false when end_time (monotonic, us) passed. */
bool virNoIOMutexCondWaitUntil(GCond *cond, virNoIOMutex *m, gint64 end_time);

/* How many virNoIOMutex the calling thread holds. */
int virNoIOHeld(void);
/* Called before blocking work (what: "fsync", "waitpid", ...): a caller
 * holding a virNoIOMutex is a bug (see above). */
void virNoIOCheck(const char *what);
