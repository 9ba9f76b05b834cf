/*
 * testevents.c: the test's log of domain events (testevents.h).
 */
#include <string.h>

#include "testevents.h"

static GMutex testEventsLock;
static GCond testEventsCond;
static GArray *testEventsLog;


void
testEventsInit(void)
{
    testEventsLog = g_array_new(FALSE, FALSE, sizeof(testEvent));
}


void
testEventsFree(void)
{
    g_mutex_lock(&testEventsLock);
    g_clear_pointer(&testEventsLog, g_array_unref);
    g_mutex_unlock(&testEventsLock);
}


void
testEventsRecord(const char *name, int id, int event, int detail)
{
    testEvent ev = { .id = id, .event = event, .detail = detail };

    g_strlcpy(ev.name, name, sizeof(ev.name));
    g_mutex_lock(&testEventsLock);
    if (testEventsLog)
        g_array_append_val(testEventsLog, ev);
    g_cond_broadcast(&testEventsCond);
    g_mutex_unlock(&testEventsLock);
}


void
testEventsClear(void)
{
    g_mutex_lock(&testEventsLock);
    g_array_set_size(testEventsLog, 0);
    g_mutex_unlock(&testEventsLock);
}


static int
testEventsCountLocked(const char *name, int event, int detail)
{
    int n = 0;

    for (guint i = 0; i < testEventsLog->len; i++) {
        testEvent *ev = &g_array_index(testEventsLog, testEvent, i);

        if ((!name || strcmp(ev->name, name) == 0) && ev->event == event &&
            (detail < 0 || ev->detail == detail))
            n++;
    }
    return n;
}


int
testEventsCount(const char *name, int event, int detail)
{
    int n;

    g_mutex_lock(&testEventsLock);
    n = testEventsCountLocked(name, event, detail);
    g_mutex_unlock(&testEventsLock);
    return n;
}


int
testEventsWait(const char *name, int event, int detail, int n, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
    int got;

    g_mutex_lock(&testEventsLock);
    while ((got = testEventsCountLocked(name, event, detail)) < n &&
           g_cond_wait_until(&testEventsCond, &testEventsLock, deadline))
        ;
    got = testEventsCountLocked(name, event, detail);
    g_mutex_unlock(&testEventsLock);
    return got;
}


GArray *
testEventsCopy(void)
{
    GArray *copy = g_array_new(FALSE, FALSE, sizeof(testEvent));

    g_mutex_lock(&testEventsLock);
    g_array_append_vals(copy, testEventsLog->data, testEventsLog->len);
    g_mutex_unlock(&testEventsLock);
    return copy;
}
