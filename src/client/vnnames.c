/*
 * vnnames.c: words for states, reasons, events and details, as virsh
 * prints them (tools/virsh-domain*.c of libvirt 9.0 uses these words).
 */
#include <glib.h>

#include "vnclient.h"

/* A value's word and the words of its sub-values (a state and its
 * reasons, an event and its details). */
typedef struct {
    const char *name;
    const char *const *sub;
    size_t nsub;
} vnWords;

#define VN_SUB(array) array, G_N_ELEMENTS(array)

static const char *const vnNone[] = { "unknown" };
static const char *const vnRunning[] = {
    "unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
    "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy",
    "post-copy failed",
};
static const char *const vnPaused[] = {
    "unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
    "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up",
    "post-copy", "post-copy failed",
};
static const char *const vnShutdown[] = { "unknown", "user" };
static const char *const vnShutoff[] = {
    "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
    "from snapshot", "daemon",
};
static const char *const vnCrashed[] = { "unknown", "panicked" };

static const vnWords vnStates[] = {
    [VIR_DOMAIN_NOSTATE] = { "no state", VN_SUB(vnNone) },
    [VIR_DOMAIN_RUNNING] = { "running", VN_SUB(vnRunning) },
    [VIR_DOMAIN_BLOCKED] = { "idle", VN_SUB(vnNone) },
    [VIR_DOMAIN_PAUSED] = { "paused", VN_SUB(vnPaused) },
    [VIR_DOMAIN_SHUTDOWN] = { "in shutdown", VN_SUB(vnShutdown) },
    [VIR_DOMAIN_SHUTOFF] = { "shut off", VN_SUB(vnShutoff) },
    [VIR_DOMAIN_CRASHED] = { "crashed", VN_SUB(vnCrashed) },
    [VIR_DOMAIN_PMSUSPENDED] = { "pmsuspended", VN_SUB(vnNone) },
};

static const char *const vnDefined[] = { "Added", "Updated", "Renamed", "Snapshot" };
static const char *const vnUndefined[] = { "Removed", "Renamed" };
static const char *const vnStarted[] = {
    "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup",
};
static const char *const vnSuspended[] = {
    "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot", "API error",
    "Post-copy", "Post-copy Error",
};
static const char *const vnResumed[] = {
    "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error",
};
static const char *const vnStopped[] = {
    "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "Snapshot",
};
static const char *const vnShutdownDetail[] = {
    "Finished", "Finished after guest request", "Finished after host request",
};
static const char *const vnPMSuspended[] = { "Memory", "Disk" };
static const char *const vnCrashedDetail[] = { "Panicked", "Crashloaded" };

static const vnWords vnEvents[] = {
    [VIR_DOMAIN_EVENT_DEFINED] = { "Defined", VN_SUB(vnDefined) },
    [VIR_DOMAIN_EVENT_UNDEFINED] = { "Undefined", VN_SUB(vnUndefined) },
    [VIR_DOMAIN_EVENT_STARTED] = { "Started", VN_SUB(vnStarted) },
    [VIR_DOMAIN_EVENT_SUSPENDED] = { "Suspended", VN_SUB(vnSuspended) },
    [VIR_DOMAIN_EVENT_RESUMED] = { "Resumed", VN_SUB(vnResumed) },
    [VIR_DOMAIN_EVENT_STOPPED] = { "Stopped", VN_SUB(vnStopped) },
    [VIR_DOMAIN_EVENT_SHUTDOWN] = { "Shutdown", VN_SUB(vnShutdownDetail) },
    [VIR_DOMAIN_EVENT_PMSUSPENDED] = { "PMSuspended", VN_SUB(vnPMSuspended) },
    [VIR_DOMAIN_EVENT_CRASHED] = { "Crashed", VN_SUB(vnCrashedDetail) },
};


/* The entry of table for value, or NULL. */
static const vnWords *
vnWordsFind(const vnWords *table, size_t n, int value)
{
    return value >= 0 && (size_t)value < n && table[value].name ? &table[value] : NULL;
}


static const char *
vnWordsName(const vnWords *table, size_t n, int value)
{
    const vnWords *w = vnWordsFind(table, n, value);

    return w ? w->name : "unknown";
}


static const char *
vnWordsSub(const vnWords *table, size_t n, int value, int sub)
{
    const vnWords *w = vnWordsFind(table, n, value);

    if (!w || sub < 0 || (size_t)sub >= w->nsub)
        return "unknown";
    return w->sub[sub];
}


const char *
vnDomainStateToString(int state)
{
    return vnWordsName(vnStates, G_N_ELEMENTS(vnStates), state);
}


const char *
vnDomainStateReasonToString(int state, int reason)
{
    return vnWordsSub(vnStates, G_N_ELEMENTS(vnStates), state, reason);
}


const char *
vnDomainEventToString(int event)
{
    return vnWordsName(vnEvents, G_N_ELEMENTS(vnEvents), event);
}


const char *
vnDomainEventDetailToString(int event, int detail)
{
    return vnWordsSub(vnEvents, G_N_ELEMENTS(vnEvents), event, detail);
}
