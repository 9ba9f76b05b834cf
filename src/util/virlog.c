/*
 * virlog.c: logging with libvirt's filter and output syntax.
 *
 * Ownership: the filter and output lists are global and owned here; a
 * virLogSource belongs to the file that declares it and only caches a
 * priority computed from the globals.
 * Locking: one mutex guards the lists and serialises output writes, so lines
 * from different threads never interleave. The enabled check stays lock-free:
 * any change bumps virLogFiltersSerial, and a source whose cached serial is
 * stale recomputes its priority under the mutex. Errors are never reported
 * with the mutex held, because reporting an error logs (and would re-enter).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "virlog.h"
#include "virerror.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_LOGGING

VIR_LOG_INIT("util.log");

#define VIR_LOG_DEFAULT_PRIORITY VIR_LOG_WARN

typedef struct {
    int priority;
    bool stack;           /* "+" prefix: accepted, not acted upon */
    char *match;           /* as given */
    char *pattern;         /* *match*: the glob the name must match */
} virLogFilter;

typedef enum {
    VIR_LOG_TO_STDERR,
    VIR_LOG_TO_FILE,
    VIR_LOG_TO_SYSLOG,
    VIR_LOG_TO_JOURNALD,  /* GLib's journal writer; stderr when the journal is away */
} virLogDestination;

typedef struct {
    int priority;
    virLogDestination dest;
    char *arg;            /* file path or syslog ident */
    int fd;               /* file outputs only */
} virLogOutput;

/* Starts at 1 so that sources (serial 0) compute their priority on first use. */
unsigned int virLogFiltersSerial = 1;

static GMutex virLogLock;
static int virLogDefaultPriority = VIR_LOG_DEFAULT_PRIORITY;
static GPtrArray *virLogFilters;      /* virLogFilter * */
static GPtrArray *virLogOutputs;      /* virLogOutput * */
/* True while the outputs are the implicit default (stderr at the default
 * priority, following later changes of the default priority). */
static bool virLogOutputsDefault = true;
static char *virLogSyslogIdent;       /* openlog() keeps the pointer */
/* Set once at init: stderr is a stream to the journal (a systemd service),
 * so the default output is the journal, with priorities and fields. */
static bool virLogStderrIsJournal;

static void
virLogFilterFree(gpointer data)
{
    virLogFilter *f = data;

    g_free(f->match);
    g_free(f->pattern);
    g_free(f);
}

static void
virLogOutputFree(gpointer data)
{
    virLogOutput *o = data;

    VIR_FORCE_CLOSE(o->fd);
    g_free(o->arg);
    g_free(o);
}

static GPtrArray *
virLogOutputsNewDefault(void)
{
    GPtrArray *outputs = g_ptr_array_new_with_free_func(virLogOutputFree);
    virLogOutput *o = g_new0(virLogOutput, 1);

    o->priority = virLogDefaultPriority;
    o->dest = virLogStderrIsJournal ? VIR_LOG_TO_JOURNALD : VIR_LOG_TO_STDERR;
    o->fd = -1;
    g_ptr_array_add(outputs, o);
    return outputs;
}

static void
virLogBumpSerial(void)
{
    /* Skip 0 on wrap-around: it is the "never computed" value of sources. */
    if (g_atomic_int_add(&virLogFiltersSerial, 1) + 1 == 0)
        g_atomic_int_add(&virLogFiltersSerial, 1);
}

/* Install new lists; takes ownership. Either may be NULL to keep the
 * current one. Caller holds no lock. */
static void
virLogInstall(GPtrArray *filters, GPtrArray *outputs, bool outputsDefault,
              char *syslogIdent)
{
    GPtrArray *oldFilters = NULL;
    GPtrArray *oldOutputs = NULL;
    char *oldIdent = NULL;

    g_mutex_lock(&virLogLock);
    if (filters) {
        oldFilters = virLogFilters;
        virLogFilters = filters;
    }
    if (outputs) {
        oldOutputs = virLogOutputs;
        virLogOutputs = outputs;
        virLogOutputsDefault = outputsDefault;
        if (syslogIdent) {
            closelog();
            oldIdent = virLogSyslogIdent;
            virLogSyslogIdent = syslogIdent;
            openlog(virLogSyslogIdent, LOG_PID, LOG_DAEMON);
        } else if (virLogSyslogIdent) {
            closelog();
            oldIdent = virLogSyslogIdent;
            virLogSyslogIdent = NULL;
        }
    }
    virLogBumpSerial();
    g_mutex_unlock(&virLogLock);

    if (oldFilters)
        g_ptr_array_unref(oldFilters);
    if (oldOutputs)
        g_ptr_array_unref(oldOutputs);
    g_free(oldIdent);
}

static int
virLogParsePriority(const char *str, size_t len)
{
    if (len == 1 && str[0] >= '1' && str[0] <= '4')
        return str[0] - '0';
    return -1;
}

/* Parsers return NULL and set *errmsg on a bad entry, without touching the
 * current settings and without reporting (so they can run at init). */
static GPtrArray *
virLogParseFilters(const char *str, char **errmsg)
{
    g_autoptr(GPtrArray) filters = g_ptr_array_new_with_free_func(virLogFilterFree);
    g_auto(GStrv) tokens = g_strsplit_set(str ? str : "", " \t\n", -1);

    for (size_t i = 0; tokens[i]; i++) {
        const char *tok = tokens[i];
        const char *colon;
        bool stack = false;
        int prio;
        virLogFilter *f;

        if (!*tok)
            continue;
        if (*tok == '+') {
            stack = true;
            tok++;
        }
        colon = strchr(tok, ':');
        /* libvirt's messages (virt-admin daemon-log-filters shows them). */
        if (!colon || colon == tok) {
            *errmsg = g_strdup_printf("Malformed format for filter '%s'", tokens[i]);
            return NULL;
        }
        if ((prio = virLogParsePriority(tok, colon - tok)) < 0) {
            *errmsg = g_strdup_printf("Invalid priority '%.*s' for filter '%s'",
                                      (int)(colon - tok), tok, tokens[i]);
            return NULL;
        }
        /* libvirt's place of the stack-trace flag: LEVEL:+MATCH */
        if (colon[1] == '+') {
            stack = true;
            colon++;
        }
        if (!colon[1]) {
            *errmsg = g_strdup_printf("Invalid match string '%s'", tokens[i]);
            return NULL;
        }
        f = g_new0(virLogFilter, 1);
        f->priority = prio;
        f->stack = stack;
        f->match = g_strdup(colon + 1);
        /* libvirt's rule: MATCH is a glob matched anywhere in the name. */
        f->pattern = g_strdup_printf("*%s*", f->match);
        g_ptr_array_add(filters, f);
    }
    return g_steal_pointer(&filters);
}

static GPtrArray *
virLogParseOutputs(const char *str, char **syslogIdent, char **errmsg)
{
    g_autoptr(GPtrArray) outputs = g_ptr_array_new_with_free_func(virLogOutputFree);
    g_auto(GStrv) tokens = g_strsplit_set(str ? str : "", " \t\n", -1);
    g_autofree char *ident = NULL;
    const char *badTok = NULL;

    for (size_t i = 0; tokens[i]; i++) {
        const char *tok = badTok = tokens[i];
        const char *colon = strchr(tok, ':');
        const char *what;
        int prio;
        virLogOutput *o;

        if (!*tok)
            continue;
        if (!colon || !colon[1]) {
            *errmsg = g_strdup_printf("Malformed format for log output '%s'", tok);
            return NULL;
        }
        if ((prio = virLogParsePriority(tok, colon - tok)) < 0) {
            *errmsg = g_strdup_printf("Invalid log priority '%.*s' for log output '%s'",
                                      (int)(colon - tok), tok, tok);
            return NULL;
        }
        what = colon + 1;
        o = g_new0(virLogOutput, 1);
        o->priority = prio;
        o->fd = -1;
        g_ptr_array_add(outputs, o);

        if (g_str_equal(what, "stderr")) {
            o->dest = VIR_LOG_TO_STDERR;
        } else if (g_str_equal(what, "journald")) {
            o->dest = VIR_LOG_TO_JOURNALD;
        } else if (g_str_has_prefix(what, "file:") && what[5]) {
            o->dest = VIR_LOG_TO_FILE;
            o->arg = g_strdup(what + 5);
            o->fd = open(o->arg, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
            if (o->fd < 0) {
                *errmsg = g_strdup_printf("cannot open log file '%s' for "
                                          "output '%s': %s", o->arg, tokens[i],
                                          g_strerror(errno));
                return NULL;
            }
        } else if (g_str_has_prefix(what, "syslog:") && what[7]) {
            if (ident) {
                *errmsg = g_strdup_printf("invalid log output '%s': only one "
                                          "syslog output is allowed", tokens[i]);
                return NULL;
            }
            o->dest = VIR_LOG_TO_SYSLOG;
            o->arg = g_strdup(what + 7);
            ident = g_strdup(o->arg);
        } else {
            goto bad;
        }
    }
    *syslogIdent = g_steal_pointer(&ident);
    return g_steal_pointer(&outputs);

 bad:
    /* libvirt's messages: an unknown kind, or one with a missing or extra
     * argument */
    {
        const char *what = strchr(badTok, ':') + 1;
        size_t kindLen = strcspn(what, ":");

        if ((kindLen == 6 && strncmp(what, "stderr", 6) == 0) ||
            (kindLen == 8 && strncmp(what, "journald", 8) == 0) ||
            (kindLen == 4 && strncmp(what, "file", 4) == 0) ||
            (kindLen == 6 && strncmp(what, "syslog", 6) == 0))
            *errmsg = g_strdup_printf("Log output '%s' does not meet the format "
                                      "requirements for destination type '%.*s'",
                                      badTok, (int)kindLen, what);
        else
            *errmsg = g_strdup_printf("Invalid log destination '%.*s' for log output '%s'",
                                      (int)kindLen, what, badTok);
    }
    return NULL;
}

static void
virLogInitFromEnv(void)
{
    const char *debug = getenv("VIRTNET_DEBUG");
    const char *filters = getenv("VIRTNET_LOG_FILTERS");
    const char *outputs = getenv("VIRTNET_LOG_OUTPUTS");
    char *errmsg = NULL;

    virLogStderrIsJournal = g_log_writer_is_journald(STDERR_FILENO);
    virLogFilters = g_ptr_array_new_with_free_func(virLogFilterFree);
    if (debug && *debug) {
        int prio = virLogParsePriority(debug, strlen(debug));

        if (prio > 0)
            virLogDefaultPriority = prio;
        else
            fprintf(stderr, "virtnet: ignoring VIRTNET_DEBUG='%s': expected "
                    "a level from 1 to 4\n", debug);
    }
    virLogOutputs = virLogOutputsNewDefault();

    /* Problems here cannot be reported as errors (nobody asked); say them
     * on stderr and keep the defaults. */
    if (filters && *filters) {
        GPtrArray *parsed = virLogParseFilters(filters, &errmsg);

        if (parsed) {
            g_ptr_array_unref(virLogFilters);
            virLogFilters = parsed;
        } else {
            fprintf(stderr, "virtnet: ignoring VIRTNET_LOG_FILTERS: %s\n", errmsg);
            g_clear_pointer(&errmsg, g_free);
        }
    }
    if (outputs && *outputs) {
        char *ident = NULL;
        GPtrArray *parsed = virLogParseOutputs(outputs, &ident, &errmsg);

        if (parsed) {
            g_ptr_array_unref(virLogOutputs);
            virLogOutputs = parsed;
            virLogOutputsDefault = false;
            if (ident) {
                virLogSyslogIdent = ident;
                openlog(virLogSyslogIdent, LOG_PID, LOG_DAEMON);
            }
        } else {
            fprintf(stderr, "virtnet: ignoring VIRTNET_LOG_OUTPUTS: %s\n", errmsg);
            g_clear_pointer(&errmsg, g_free);
        }
    }
}

static void
virLogInitialize(void)
{
    static gsize initialized;

    if (g_once_init_enter(&initialized)) {
        virLogInitFromEnv();
        g_once_init_leave(&initialized, 1);
    }
}

int
virLogSourceUpdate(virLogSource *source)
{
    int prio;
    int minOutput = VIR_LOG_ERROR + 1;
    unsigned int serial;

    virLogInitialize();

    g_mutex_lock(&virLogLock);
    serial = g_atomic_int_get(&virLogFiltersSerial);
    prio = virLogDefaultPriority;
    for (guint i = 0; i < virLogFilters->len; i++) {
        virLogFilter *f = g_ptr_array_index(virLogFilters, i);

        if (g_pattern_match_simple(f->pattern, source->name)) {
            prio = f->priority;
            break;
        }
    }
    /* No output would take a message below every output's level: don't
     * even format it. */
    for (guint i = 0; i < virLogOutputs->len; i++) {
        virLogOutput *o = g_ptr_array_index(virLogOutputs, i);

        minOutput = MIN(minOutput, o->priority);
    }
    prio = MAX(prio, minOutput);
    g_atomic_int_set(&source->priority, prio);
    g_atomic_int_set(&source->serial, serial);
    g_mutex_unlock(&virLogLock);
    return prio;
}

static const char *
virLogPriorityName(int priority)
{
    switch (priority) {
    case VIR_LOG_DEBUG: return "debug";
    case VIR_LOG_INFO: return "info";
    case VIR_LOG_WARN: return "warning";
    case VIR_LOG_ERROR: return "error";
    }
    return "unknown";
}

static int
virLogSyslogPriority(int priority)
{
    switch (priority) {
    case VIR_LOG_DEBUG: return LOG_DEBUG;
    case VIR_LOG_INFO: return LOG_INFO;
    case VIR_LOG_WARN: return LOG_WARNING;
    }
    return LOG_ERR;
}

static void
virLogWriteAll(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return; /* nowhere to report a failing log write */
        }
        buf += n;
        len -= n;
    }
}

/* One entry to the journal: the message and, as fields, its priority,
 * source and code location. False when the journal did not take it. */
static bool
virLogWriteJournal(virLogSource *source, int priority, const char *file,
                   int line, const char *func, const char *msg)
{
    char prio[4], lineStr[16];
    GLogField fields[] = {
        { "MESSAGE", msg, -1 },
        { "PRIORITY", prio, -1 },
        { "SYSLOG_IDENTIFIER", program_invocation_short_name, -1 },
        { "VIRTNET_SOURCE", source->name, -1 },
        { "CODE_FILE", file ? file : "?", -1 },
        { "CODE_LINE", lineStr, -1 },
        { "CODE_FUNC", func ? func : "?", -1 },
    };

    g_snprintf(prio, sizeof(prio), "%d", virLogSyslogPriority(priority));
    g_snprintf(lineStr, sizeof(lineStr), "%d", line);
    return g_log_writer_journald(G_LOG_LEVEL_MESSAGE, fields, G_N_ELEMENTS(fields),
                                 NULL) == G_LOG_WRITER_HANDLED;
}

void
virLogMessage(virLogSource *source, int priority,
              const char *file, int line, const char *func,
              const char *fmt, ...)
{
    int saved = errno;
    g_autofree char *msg = NULL;
    g_autofree char *full = NULL;
    g_autofree char *tail = NULL;
    char stamp[64];
    struct timespec ts;
    struct tm tm;
    size_t fullLen;
    va_list ap;

    if (!virLogEnabled(source, priority)) {
        errno = saved;
        return;
    }

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);

    tail = g_strdup_printf("%s : %s:%d : %s", source->name,
                           func ? func : "?", line, msg);
    full = g_strdup_printf("%s.%03d+0000: %ld: %s : %s\n", stamp,
                           (int)(ts.tv_nsec / 1000000), (long)syscall(SYS_gettid),
                           virLogPriorityName(priority), tail);
    fullLen = strlen(full);

    g_mutex_lock(&virLogLock);
    for (guint i = 0; i < virLogOutputs->len; i++) {
        virLogOutput *o = g_ptr_array_index(virLogOutputs, i);

        if (priority < o->priority)
            continue;
        switch (o->dest) {
        case VIR_LOG_TO_JOURNALD:
            if (virLogWriteJournal(source, priority, file, line, func, msg))
                break;
            G_GNUC_FALLTHROUGH;
        case VIR_LOG_TO_STDERR:
            virLogWriteAll(STDERR_FILENO, full, fullLen);
            break;
        case VIR_LOG_TO_FILE:
            virLogWriteAll(o->fd, full, fullLen);
            break;
        case VIR_LOG_TO_SYSLOG:
            syslog(virLogSyslogPriority(priority), "%s", tail);
            break;
        }
    }
    g_mutex_unlock(&virLogLock);
    errno = saved;
}

int
virLogSetFilters(const char *filters)
{
    g_autofree char *errmsg = NULL;
    GPtrArray *parsed;

    virLogInitialize();
    if (!(parsed = virLogParseFilters(filters, &errmsg))) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", errmsg);
        return -1;
    }
    virLogInstall(parsed, NULL, false, NULL);
    return 0;
}

int
virLogSetOutputs(const char *outputs)
{
    g_autofree char *errmsg = NULL;
    char *ident = NULL;
    GPtrArray *parsed;
    bool useDefault = !outputs || !*outputs || !outputs[strspn(outputs, " \t\n")];

    virLogInitialize();
    if (useDefault) {
        g_mutex_lock(&virLogLock);
        parsed = virLogOutputsNewDefault();
        g_mutex_unlock(&virLogLock);
    } else if (!(parsed = virLogParseOutputs(outputs, &ident, &errmsg))) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", errmsg);
        return -1;
    }
    virLogInstall(NULL, parsed, useDefault, ident);
    return 0;
}

int
virLogSetDefaultPriority(int priority)
{
    virLogInitialize();
    if (priority < VIR_LOG_DEBUG || priority > VIR_LOG_ERROR) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "invalid log priority %d: expected 1 to 4", priority);
        return -1;
    }
    g_mutex_lock(&virLogLock);
    virLogDefaultPriority = priority;
    if (virLogOutputsDefault) {
        for (guint i = 0; i < virLogOutputs->len; i++)
            ((virLogOutput *)g_ptr_array_index(virLogOutputs, i))->priority = priority;
    }
    virLogBumpSerial();
    g_mutex_unlock(&virLogLock);
    return 0;
}

int
virLogGetDefaultPriority(void)
{
    int prio;

    virLogInitialize();
    g_mutex_lock(&virLogLock);
    prio = virLogDefaultPriority;
    g_mutex_unlock(&virLogLock);
    return prio;
}

char *
virLogGetFilters(void)
{
    GString *str = g_string_new(NULL);

    virLogInitialize();
    g_mutex_lock(&virLogLock);
    for (guint i = 0; i < virLogFilters->len; i++) {
        virLogFilter *f = g_ptr_array_index(virLogFilters, i);

        g_string_append_printf(str, "%s%s%d:%s", i ? " " : "",
                               f->stack ? "+" : "", f->priority, f->match);
    }
    g_mutex_unlock(&virLogLock);
    return g_string_free(str, FALSE);
}

char *
virLogGetOutputs(void)
{
    GString *str = g_string_new(NULL);

    virLogInitialize();
    g_mutex_lock(&virLogLock);
    for (guint i = 0; i < virLogOutputs->len; i++) {
        virLogOutput *o = g_ptr_array_index(virLogOutputs, i);

        if (i)
            g_string_append_c(str, ' ');
        g_string_append_printf(str, "%d:", o->priority);
        switch (o->dest) {
        case VIR_LOG_TO_STDERR:
            g_string_append(str, "stderr");
            break;
        case VIR_LOG_TO_JOURNALD:
            g_string_append(str, "journald");
            break;
        case VIR_LOG_TO_FILE:
            g_string_append_printf(str, "file:%s", o->arg);
            break;
        case VIR_LOG_TO_SYSLOG:
            g_string_append_printf(str, "syslog:%s", o->arg);
            break;
        }
    }
    g_mutex_unlock(&virLogLock);
    return g_string_free(str, FALSE);
}

void
virLogReset(void)
{
    GPtrArray *outputs;

    virLogInitialize();
    g_mutex_lock(&virLogLock);
    virLogDefaultPriority = VIR_LOG_DEFAULT_PRIORITY;
    outputs = virLogOutputsNewDefault();
    g_mutex_unlock(&virLogLock);
    virLogInstall(g_ptr_array_new_with_free_func(virLogFilterFree), outputs,
                  true, NULL);
}
