/*
 * virevent.h: the event loop: file-descriptor watches and timers.
 *
 * Built on epoll, not GLib's main context: GMainContext prepares, polls and
 * checks every source on each iteration, which is O(clients) per wake-up;
 * with thousands of idle connections that cost lands on every call. epoll
 * (level-triggered) reports only the ready descriptors. Timers are few
 * (keepalive, zero-second "run from a safe context" timers), kept in an array.
 *
 * Threading: any function may be called from any thread. Callbacks run in
 * the thread inside virEventLoopRun()/RunOnce(), with no loop lock held, so
 * they may add, update or remove watches and timers (their own included).
 * A removed watch/timer never fires again once the removal returns, even if
 * it was already reported ready in the current iteration; its free callback
 * runs later from the loop thread (or from virEventLoopFree).
 */
#pragma once

#include <stdbool.h>

typedef enum {
    VIR_EVENT_HANDLE_READABLE = (1 << 0),
    VIR_EVENT_HANDLE_WRITABLE = (1 << 1),
    VIR_EVENT_HANDLE_ERROR = (1 << 2),
    VIR_EVENT_HANDLE_HANGUP = (1 << 3),
} virEventHandleType;

typedef struct _virEventLoop virEventLoop;

typedef void (*virEventHandleCallback)(int watch, int fd, int events, void *opaque);
typedef void (*virEventTimeoutCallback)(int timer, void *opaque);
typedef void (*virFreeCallback)(void *opaque);

virEventLoop *virEventLoopNew(void);
/* Runs pending free callbacks. Must not be called while the loop runs. */
void virEventLoopFree(virEventLoop *loop);

/* Returns a watch id > 0, or -1 with an error reported. */
int virEventLoopAddHandle(virEventLoop *loop, int fd, int events,
                          virEventHandleCallback cb, void *opaque,
                          virFreeCallback ff);
int virEventLoopUpdateHandle(virEventLoop *loop, int watch, int events);
int virEventLoopRemoveHandle(virEventLoop *loop, int watch);

/* ms < 0: disabled; ms == 0: fires on every iteration until changed;
 * ms > 0: fires every ms milliseconds. Returns a timer id > 0, or -1. */
int virEventLoopAddTimeout(virEventLoop *loop, int ms,
                           virEventTimeoutCallback cb, void *opaque,
                           virFreeCallback ff);
int virEventLoopUpdateTimeout(virEventLoop *loop, int timer, int ms);
int virEventLoopRemoveTimeout(virEventLoop *loop, int timer);

/* One iteration: wait for the first ready watch or due timer, dispatch all
 * that are ready. Returns 0, or -1 on a fatal error. */
int virEventLoopRunOnce(virEventLoop *loop);
/* Iterate until virEventLoopQuit(). */
int virEventLoopRun(virEventLoop *loop);
/* Thread-safe: make virEventLoopRun() return after the current iteration. */
void virEventLoopQuit(virEventLoop *loop);
/* Thread-safe: interrupt a blocking wait. */
void virEventLoopWakeup(virEventLoop *loop);
/* True when called from inside this loop's dispatch. */
bool virEventLoopIsLoopThread(virEventLoop *loop);

/* A loop run by a thread of its own, for programs (clients, tests) that
 * have no loop of their own. */
typedef struct _virEventThread virEventThread;
virEventThread *virEventThreadNew(const char *name);
virEventLoop *virEventThreadGetLoop(virEventThread *thread);
/* Quits the loop, joins the thread and frees the loop. */
void virEventThreadFree(virEventThread *thread);
