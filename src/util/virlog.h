/*
 * virlog.h: logging with libvirt's filter and output syntax.
 *
 * Priorities: 1 debug, 2 info, 3 warning, 4 error.
 * Filters ("log_filters"): space-separated "LEVEL:[+]MATCH" (or "+LEVEL:MATCH"); a message from a
 *   source whose name matches the glob *MATCH* (libvirt's rule: a plain MATCH
 *   is a substring) is logged when at least LEVEL, the first
 *   matching filter wins, "+" adds a stack trace (accepted, ignored here).
 * Outputs ("log_outputs"): space-separated "LEVEL:stderr", "LEVEL:file:PATH",
 *   "LEVEL:syslog:IDENT", "LEVEL:journald" (the systemd journal, with the
 *   priority, source and code location as fields; stderr when the journal
 *   cannot be reached).
 * Default: priority 3 (warnings and errors) to stderr, or to the journal
 * when stderr is connected to it (run as a systemd service); the environment
 * variables VIRTNET_LOG_FILTERS / VIRTNET_LOG_OUTPUTS / VIRTNET_DEBUG (a
 * level) override the defaults at first use.
 *
 * Each .c file declares its source once: VIR_LOG_INIT("rpc.netserver");
 * A disabled message costs one integer comparison: a source caches its
 * effective priority together with the filter generation it was computed for.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

typedef enum {
    VIR_LOG_DEBUG = 1,
    VIR_LOG_INFO = 2,
    VIR_LOG_WARN = 3,
    VIR_LOG_ERROR = 4,
} virLogPriority;

typedef struct _virLogSource virLogSource;
struct _virLogSource {
    const char *name;
    int priority;          /* cached effective priority */
    unsigned int serial;   /* filter generation the cache belongs to */
};

#define VIR_LOG_INIT(n) \
    static virLogSource virLogSelf G_GNUC_UNUSED = { .name = (n), .priority = 0, .serial = 0 }

extern unsigned int virLogFiltersSerial;
int virLogSourceUpdate(virLogSource *source);

static inline bool
virLogEnabled(virLogSource *source, int priority)
{
    if (source->serial != (unsigned int)g_atomic_int_get(&virLogFiltersSerial))
        virLogSourceUpdate(source);
    return priority >= source->priority;
}

void virLogMessage(virLogSource *source, int priority,
                   const char *file, int line, const char *func,
                   const char *fmt, ...) G_GNUC_PRINTF(6, 7);

#define VIR_LOG_AT(prio, ...) \
    do { \
        if (virLogEnabled(&virLogSelf, prio)) \
            virLogMessage(&virLogSelf, prio, __FILE__, __LINE__, __func__, __VA_ARGS__); \
    } while (0)
#define VIR_DEBUG(...) VIR_LOG_AT(VIR_LOG_DEBUG, __VA_ARGS__)
#define VIR_INFO(...) VIR_LOG_AT(VIR_LOG_INFO, __VA_ARGS__)
#define VIR_WARN(...) VIR_LOG_AT(VIR_LOG_WARN, __VA_ARGS__)
#define VIR_ERROR(...) VIR_LOG_AT(VIR_LOG_ERROR, __VA_ARGS__)

/* Parse and install; on a syntax error nothing changes, -1 with an error
 * reported that quotes the bad entry. */
int virLogSetFilters(const char *filters);
int virLogSetOutputs(const char *outputs);
int virLogSetDefaultPriority(int priority);
int virLogGetDefaultPriority(void);
/* Current settings, in the same syntax (caller frees). */
char *virLogGetFilters(void);
char *virLogGetOutputs(void);
/* Back to the defaults (used by tests). */
void virLogReset(void);
