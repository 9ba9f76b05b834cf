/*
 * vnnames.c: words for states, reasons, events and details, as virsh
 * prints them (tools/virsh-domain*.c of libvirt 9.0 uses these words).
 */
#include <glib.h>

#include "vnclient.h"

#define VN_PICK(table, i) \
    ((i) >= 0 && (size_t)(i) < G_N_ELEMENTS(table) && (table)[i] ? (table)[i] : "unknown")

const char *
vnDomainStateToString(int state)
{
    static const char *const names[] = {
        [VN_DOMAIN_NOSTATE] = "no state",
        [VN_DOMAIN_RUNNING] = "running",
        [VN_DOMAIN_BLOCKED] = "idle",
        [VN_DOMAIN_PAUSED] = "paused",
        [VN_DOMAIN_SHUTDOWN] = "in shutdown",
        [VN_DOMAIN_SHUTOFF] = "shut off",
        [VN_DOMAIN_CRASHED] = "crashed",
        [VN_DOMAIN_PMSUSPENDED] = "pmsuspended",
    };

    return VN_PICK(names, state);
}


const char *
vnDomainStateReasonToString(int state, int reason)
{
    static const char *const running[] = {
        "unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
        "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy",
        "post-copy failed",
    };
    static const char *const paused[] = {
        "unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
        "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up",
        "post-copy", "post-copy failed",
    };
    static const char *const shutdown[] = { "unknown", "user" };
    static const char *const shutoff[] = {
        "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
        "from snapshot", "daemon",
    };
    static const char *const crashed[] = { "unknown", "panicked" };
    static const char *const pmsuspended[] = { "unknown" };
    static const char *const other[] = { "unknown" };

    switch (state) {
    case VN_DOMAIN_RUNNING: return VN_PICK(running, reason);
    case VN_DOMAIN_PAUSED: return VN_PICK(paused, reason);
    case VN_DOMAIN_SHUTDOWN: return VN_PICK(shutdown, reason);
    case VN_DOMAIN_SHUTOFF: return VN_PICK(shutoff, reason);
    case VN_DOMAIN_CRASHED: return VN_PICK(crashed, reason);
    case VN_DOMAIN_PMSUSPENDED: return VN_PICK(pmsuspended, reason);
    default: return VN_PICK(other, reason);
    }
}


const char *
vnDomainEventToString(int event)
{
    static const char *const names[] = {
        [VN_DOMAIN_EVENT_DEFINED] = "Defined",
        [VN_DOMAIN_EVENT_UNDEFINED] = "Undefined",
        [VN_DOMAIN_EVENT_STARTED] = "Started",
        [VN_DOMAIN_EVENT_SUSPENDED] = "Suspended",
        [VN_DOMAIN_EVENT_RESUMED] = "Resumed",
        [VN_DOMAIN_EVENT_STOPPED] = "Stopped",
        [VN_DOMAIN_EVENT_SHUTDOWN] = "Shutdown",
        [VN_DOMAIN_EVENT_PMSUSPENDED] = "PMSuspended",
        [VN_DOMAIN_EVENT_CRASHED] = "Crashed",
    };

    return VN_PICK(names, event);
}


const char *
vnDomainEventDetailToString(int event, int detail)
{
    static const char *const defined[] = { "Added", "Updated", "Renamed", "Snapshot" };
    static const char *const undefined[] = { "Removed", "Renamed" };
    static const char *const started[] = {
        "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup",
    };
    static const char *const suspended[] = {
        "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot",
        "API error", "Post-copy", "Post-copy Error",
    };
    static const char *const resumed[] = {
        "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error",
    };
    static const char *const stopped[] = {
        "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "Snapshot",
    };
    static const char *const shutdown[] = {
        "Finished", "Finished after guest request", "Finished after host request",
    };
    static const char *const pmsuspended[] = { "Memory", "Disk" };
    static const char *const crashed[] = { "Panicked", "Crashloaded" };
    static const char *const none[] = { NULL };

    switch (event) {
    case VN_DOMAIN_EVENT_DEFINED: return VN_PICK(defined, detail);
    case VN_DOMAIN_EVENT_UNDEFINED: return VN_PICK(undefined, detail);
    case VN_DOMAIN_EVENT_STARTED: return VN_PICK(started, detail);
    case VN_DOMAIN_EVENT_SUSPENDED: return VN_PICK(suspended, detail);
    case VN_DOMAIN_EVENT_RESUMED: return VN_PICK(resumed, detail);
    case VN_DOMAIN_EVENT_STOPPED: return VN_PICK(stopped, detail);
    case VN_DOMAIN_EVENT_SHUTDOWN: return VN_PICK(shutdown, detail);
    case VN_DOMAIN_EVENT_PMSUSPENDED: return VN_PICK(pmsuspended, detail);
    case VN_DOMAIN_EVENT_CRASHED: return VN_PICK(crashed, detail);
    default: return VN_PICK(none, detail);
    }
}
