/*
 * virtnet.c: the command-line tool, a small virsh on virtnet's client API
 * (src/client/vnclient.h). Output follows virsh's where the commands
 * overlap; errors go to stderr as "error: ..." lines and exit status 1.
 * docs/client.md lists the commands; `virtnet admin stats` (the daemon's
 * metrics, on the admin socket) is in docs/admin.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>

#include <glib.h>

#include "virtnet.h"
#include "vnadmin.h"

/* ---- output --------------------------------------------------------------- */

void
vnError(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fputs("error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}


void
vnReportLibError(void)
{
    vnError("%s", vnGetLastErrorMessage());
}


/* Informational lines (virsh's vshPrintExtra): not with --quiet. */
static void G_GNUC_PRINTF(2, 3)
vnPrintExtra(vnCtl *ctl, const char *fmt, ...)
{
    va_list ap;

    if (ctl->quiet)
        return;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}


/* ---- command line of one command ----------------------------------------- */

static void
vnCmdArgsClear(vnCmdArgs *a)
{
    if (a->opts)
        g_hash_table_unref(a->opts);
    if (a->args)
        g_ptr_array_unref(a->args);
}


static int
vnCmdArgsParse(const char *cmd, const vnOptDef *defs, int argc, char **argv, vnCmdArgs *a)
{
    bool onlyArgs = false;

    a->opts = g_hash_table_new(g_str_hash, g_str_equal);
    a->args = g_ptr_array_new();
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const vnOptDef *def = NULL;
        g_autofree char *name = NULL;
        const char *value = NULL;
        const char *eq;

        if (onlyArgs || strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            if (!onlyArgs && strcmp(arg, "--") == 0) {
                onlyArgs = true;
                continue;
            }
            g_ptr_array_add(a->args, (char *)arg);
            continue;
        }
        eq = strchr(arg, '=');
        name = eq ? g_strndup(arg + 2, eq - arg - 2) : g_strdup(arg + 2);
        for (size_t j = 0; defs && defs[j].name; j++) {
            if (strcmp(defs[j].name, name) == 0)
                def = &defs[j];
        }
        if (!def) {
            vnError("command '%s' doesn't support option --%s", cmd, name);
            return -1;
        }
        if (def->hasValue) {
            if (eq) {
                value = eq + 1;
            } else if (i + 1 < argc) {
                value = argv[++i];
            } else {
                vnError("expected syntax: --%s <string>", def->name);
                return -1;
            }
        } else if (eq) {
            vnError("option --%s takes no value", def->name);
            return -1;
        } else {
            value = "";
        }
        g_hash_table_insert(a->opts, (char *)def->name, (char *)value);
    }
    return 0;
}


bool
vnOptBool(vnCmdArgs *a, const char *name)
{
    return g_hash_table_contains(a->opts, name);
}


const char *
vnOptString(vnCmdArgs *a, const char *name)
{
    return g_hash_table_lookup(a->opts, name);
}


/* -1 error (reported), 0 absent, 1 present. */
static int
vnOptInt(vnCmdArgs *a, const char *name, int *value)
{
    const char *s = vnOptString(a, name);
    char *end;
    long v;

    if (!s)
        return 0;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > G_MAXINT) {
        vnError("Numeric value '%s' for <%s> option is malformed or out of range", s, name);
        return -1;
    }
    *value = (int)v;
    return 1;
}


/* -1 error (reported), 0 absent, 1 present. wrap: a negative number is
 * taken modulo 2^64, as virsh takes --length (so -1 means "all"). */
int
vnOptULongLong(vnCmdArgs *a, const char *name, unsigned long long *value, bool wrap)
{
    const char *s = vnOptString(a, name);
    const char *p = s;
    char *end;
    unsigned long long v;

    if (!s)
        return 0;
    while (g_ascii_isspace(*p))
        p++;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *end || (!wrap && *p == '-')) {
        vnError("Numeric value '%s' for <%s> option is malformed or out of range", s, name);
        return -1;
    }
    *value = v;
    return 1;
}


/* ---- domains --------------------------------------------------------------- */

/* virsh's order: an id, a UUID, a name. */
static vnDomain *
vnLookupDomain(vnCtl *ctl, const char *str)
{
    vnDomain *dom = NULL;
    char *end;
    long id;

    errno = 0;
    id = strtol(str, &end, 10);
    if (!errno && end != str && *end == '\0' && id >= 0 && id <= G_MAXINT)
        dom = vnDomainLookupByID(ctl->conn, (int)id);
    if (!dom && strlen(str) == VIR_UUID_STRING_BUFLEN - 1) {
        unsigned char uuid[VIR_UUID_BUFLEN];

        if (vnUUIDParse(str, uuid) == 0)
            dom = vnDomainLookupByUUID(ctl->conn, uuid);
    }
    if (!dom)
        dom = vnDomainLookupByName(ctl->conn, str);
    if (!dom)
        vnError("failed to get domain '%s'", str);
    return dom;
}


const char *
vnCmdArg(vnCmdArgs *a, const char *cmd, const char *what)
{
    if (a->args->len < 1) {
        vnError("command '%s' requires <%s> option", cmd, what);
        return NULL;
    }
    if (a->args->len > 1) {
        vnError("unexpected data '%s'", (char *)g_ptr_array_index(a->args, 1));
        return NULL;
    }
    return g_ptr_array_index(a->args, 0);
}


static char *
vnReadFile(const char *path)
{
    g_autoptr(GError) gerr = NULL;
    char *data = NULL;

    if (!g_file_get_contents(path, &data, NULL, &gerr)) {
        vnError("Failed to open file '%s': %s", path,
                gerr->domain == G_FILE_ERROR ? g_strerror(errno ? errno : EIO) : gerr->message);
        return NULL;
    }
    return data;
}


/* ---- commands --------------------------------------------------------------- */

/* A table as virsh prints it: " cell" padded to the column width plus two
 * spaces; a header and a line of dashes. */
void
vnPrintTable(GPtrArray *rows, size_t ncols)
{
    g_autofree size_t *width = g_new0(size_t, ncols);

    for (guint r = 0; r < rows->len; r++) {
        char **cells = g_ptr_array_index(rows, r);

        for (size_t c = 0; c < ncols; c++) {
            size_t w = g_utf8_strlen(cells[c], -1);

            if (w > width[c])
                width[c] = w;
        }
    }
    for (guint r = 0; r < rows->len; r++) {
        char **cells = g_ptr_array_index(rows, r);

        for (size_t c = 0; c < ncols; c++) {
            printf(" %s", cells[c]);
            if (c + 1 < ncols)
                printf("%*s", (int)(width[c] - g_utf8_strlen(cells[c], -1) + 2), "");
        }
        putchar('\n');
        if (r == 0) {
            for (size_t c = 0; c < ncols; c++)
                for (size_t i = 0; i < width[c] + 3; i++)
                    putchar('-');
            putchar('\n');
        }
    }
}


/* virsh's list order: running domains by id, then the others by name. */
static int
vnDomainSorter(const void *a, const void *b)
{
    vnDomain *da = *(vnDomain * const *)a;
    vnDomain *db = *(vnDomain * const *)b;
    unsigned int ida = vnDomainGetID(da);
    unsigned int idb = vnDomainGetID(db);

    if (ida == (unsigned int)-1 && idb == (unsigned int)-1)
        return g_ascii_strcasecmp(vnDomainGetName(da), vnDomainGetName(db));
    if (ida < idb)
        return -1;
    return ida > idb ? 1 : 0;
}


static bool
cmdList(vnCtl *ctl, const char *cmd G_GNUC_UNUSED, vnCmdArgs *a)
{
    unsigned int flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    vnDomain **doms = NULL;
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    bool names = vnOptBool(a, "name");
    bool uuids = vnOptBool(a, "uuid");
    bool ok = false;
    int n;

    if (a->args->len > 0) {
        vnError("unexpected data '%s'", (char *)g_ptr_array_index(a->args, 0));
        return false;
    }
    if (vnOptBool(a, "all"))
        flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    else if (vnOptBool(a, "inactive"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE;

    if ((n = vnConnectListAllDomains(ctl->conn, &doms, flags)) < 0) {
        vnError("Failed to list domains");
        vnReportLibError();
        return false;
    }
    qsort(doms, n, sizeof(*doms), vnDomainSorter);

    if (names || uuids) {
        for (int i = 0; i < n; i++) {
            char uuid[VIR_UUID_STRING_BUFLEN];

            vnDomainGetUUIDString(doms[i], uuid);
            if (names && uuids)
                printf("%-36s %s\n", uuid, vnDomainGetName(doms[i]));
            else
                printf("%s\n", names ? vnDomainGetName(doms[i]) : uuid);
        }
        ok = true;
        goto cleanup;
    }

    g_ptr_array_add(rows, g_strsplit("Id|Name|State", "|", -1));
    for (int i = 0; i < n; i++) {
        int state, reason;
        char **row = g_new0(char *, 4);
        unsigned int id = vnDomainGetID(doms[i]);

        if (vnDomainGetState(doms[i], &state, &reason, 0) < 0) {
            virDomainInfo info;

            if (vnGetLastErrorCode() != VIR_ERR_NO_SUPPORT ||
                vnDomainGetInfo(doms[i], &info) < 0) {
                g_strfreev(row);
                vnError("Failed to get state of domain '%s'", vnDomainGetName(doms[i]));
                vnReportLibError();
                goto cleanup;
            }
            state = info.state;
        }
        row[0] = id == (unsigned int)-1 ? g_strdup("-") : g_strdup_printf("%u", id);
        row[1] = g_strdup(vnDomainGetName(doms[i]));
        row[2] = g_strdup(vnDomainStateToString(state));
        g_ptr_array_add(rows, row);
    }
    vnPrintTable(rows, 3);
    ok = true;

 cleanup:
    for (int i = 0; i < n; i++)
        vnDomainFree(doms[i]);
    free(doms);
    return ok;
}


static bool
cmdDominfo(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "domain");
    vnDomain *dom;
    virDomainInfo info;
    virSecurityModel secmodel;
    char uuid[VIR_UUID_STRING_BUFLEN];
    unsigned int id;
    char *ostype;
    int persistent, autostart, managed;
    bool ok = false;

    if (!name || !(dom = vnLookupDomain(ctl, name)))
        return false;

    id = vnDomainGetID(dom);
    if (id == (unsigned int)-1)
        printf("%-15s %s\n", "Id:", "-");
    else
        printf("%-15s %u\n", "Id:", id);
    printf("%-15s %s\n", "Name:", vnDomainGetName(dom));
    vnDomainGetUUIDString(dom, uuid);
    printf("%-15s %s\n", "UUID:", uuid);
    if ((ostype = vnDomainGetOSType(dom))) {
        printf("%-15s %s\n", "OS Type:", ostype);
        free(ostype);
    }
    if (vnDomainGetInfo(dom, &info) < 0) {
        vnReportLibError();
        goto cleanup;
    }
    printf("%-15s %s\n", "State:", vnDomainStateToString(info.state));
    printf("%-15s %d\n", "CPU(s):", info.nrVirtCpu);
    if (info.cpuTime != 0)
        printf("%-15s %.1lfs\n", "CPU time:", info.cpuTime / 1000000000.0);
    if (info.maxMem != (unsigned long)-1 && info.maxMem != G_MAXUINT)
        printf("%-15s %lu KiB\n", "Max memory:", info.maxMem);
    else
        printf("%-15s %s\n", "Max memory:", "no limit");
    printf("%-15s %lu KiB\n", "Used memory:", info.memory);

    persistent = vnDomainIsPersistent(dom);
    printf("%-15s %s\n", "Persistent:",
           persistent < 0 ? "unknown" : persistent ? "yes" : "no");
    if (vnDomainGetAutostart(dom, &autostart) == 0)
        printf("%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");
    managed = vnDomainHasManagedSaveImage(dom, 0);
    printf("%-15s %s\n", "Managed save:",
           managed < 0 ? "unknown" : managed ? "yes" : "no");

    if (vnNodeGetSecurityModel(ctl->conn, &secmodel) < 0) {
        if (vnGetLastErrorCode() != VIR_ERR_NO_SUPPORT) {
            vnReportLibError();
            goto cleanup;
        }
    } else if (secmodel.model[0]) {
        virSecurityLabel seclabel;

        printf("%-15s %s\n", "Security model:", secmodel.model);
        printf("%-15s %s\n", "Security DOI:", secmodel.doi);
        if (vnDomainGetSecurityLabel(dom, &seclabel) < 0) {
            vnReportLibError();
            goto cleanup;
        }
        if (seclabel.label[0])
            printf("%-15s %s (%s)\n", "Security label:", seclabel.label,
                   seclabel.enforcing ? "enforcing" : "permissive");
    }
    vnResetLastError();
    ok = true;

 cleanup:
    vnDomainFree(dom);
    return ok;
}


static bool
cmdDomstate(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "domain");
    vnDomain *dom;
    int state, reason;
    bool ok = false;

    if (!name || !(dom = vnLookupDomain(ctl, name)))
        return false;
    if (vnDomainGetState(dom, &state, &reason, 0) < 0) {
        virDomainInfo info;

        if (vnGetLastErrorCode() != VIR_ERR_NO_SUPPORT || vnDomainGetInfo(dom, &info) < 0) {
            vnReportLibError();
            goto cleanup;
        }
        state = info.state;
        reason = 0;
    }
    if (vnOptBool(a, "reason"))
        printf("%s (%s)\n", vnDomainStateToString(state),
               vnDomainStateReasonToString(state, reason));
    else
        printf("%s\n", vnDomainStateToString(state));
    ok = true;
 cleanup:
    vnDomainFree(dom);
    return ok;
}


static bool
cmdDomid(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "domain");
    vnDomain *dom;
    unsigned int id;

    if (!name || !(dom = vnLookupDomain(ctl, name)))
        return false;
    id = vnDomainGetID(dom);
    if (id == (unsigned int)-1)
        printf("%s\n", "-");
    else
        printf("%u\n", id);
    vnDomainFree(dom);
    return true;
}


static bool
cmdDomname(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "domain");
    vnDomain *dom;

    if (!name || !(dom = vnLookupDomain(ctl, name)))
        return false;
    printf("%s\n", vnDomainGetName(dom));
    vnDomainFree(dom);
    return true;
}


static bool
cmdDomuuid(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "domain");
    char uuid[VIR_UUID_STRING_BUFLEN];
    vnDomain *dom;

    if (!name || !(dom = vnLookupDomain(ctl, name)))
        return false;
    vnDomainGetUUIDString(dom, uuid);
    printf("%s\n", uuid);
    vnDomainFree(dom);
    return true;
}


static bool
cmdDefineOrCreate(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *file = vnCmdArg(a, cmd, "file");
    bool define = strcmp(cmd, "define") == 0;
    g_autofree char *xml = NULL;
    vnDomain *dom;

    if (!file || !(xml = vnReadFile(file)))
        return false;
    if (define) {
        dom = vnOptBool(a, "validate")
            ? vnDomainDefineXMLFlags(ctl->conn, xml, VIR_DOMAIN_DEFINE_VALIDATE)
            : vnDomainDefineXML(ctl->conn, xml);
    } else {
        dom = vnDomainCreateXML(ctl->conn, xml,
                                vnOptBool(a, "validate") ? VIR_DOMAIN_START_VALIDATE : 0);
    }
    if (!dom) {
        vnError("Failed to %s domain from %s", define ? "define" : "create", file);
        vnReportLibError();
        return false;
    }
    vnPrintExtra(ctl, "Domain '%s' %s from %s\n", vnDomainGetName(dom),
                 define ? "defined" : "created", file);
    vnDomainFree(dom);
    return true;
}


/* start, destroy, shutdown, reboot, suspend, resume, undefine */
static bool
cmdDomAction(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "domain");
    const char *done = NULL;
    vnDomain *dom;
    int r = -1;

    if (!name || !(dom = vnLookupDomain(ctl, name)))
        return false;

    if (strcmp(cmd, "start") == 0) {
        unsigned int flags = vnOptBool(a, "paused") ? VIR_DOMAIN_START_PAUSED : 0;

        r = flags ? vnDomainCreateWithFlags(dom, flags) : vnDomainCreate(dom);
        done = "started";
    } else if (strcmp(cmd, "destroy") == 0) {
        r = vnOptBool(a, "graceful") ? vnDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL)
                                     : vnDomainDestroy(dom);
        done = "destroyed";
    } else if (strcmp(cmd, "shutdown") == 0) {
        r = vnDomainShutdown(dom);
        done = "is being shutdown";
    } else if (strcmp(cmd, "reboot") == 0) {
        r = vnDomainReboot(dom, 0);
        done = "is being rebooted";
    } else if (strcmp(cmd, "suspend") == 0) {
        r = vnDomainSuspend(dom);
        done = "suspended";
    } else if (strcmp(cmd, "resume") == 0) {
        r = vnDomainResume(dom);
        done = "resumed";
    } else if (strcmp(cmd, "undefine") == 0) {
        /* As virsh: the flags variant, the plain one when it is missing. */
        if ((r = vnDomainUndefineFlags(dom, 0)) < 0 && vnGetLastErrorCode() == VIR_ERR_NO_SUPPORT)
            r = vnDomainUndefine(dom);
        done = "has been undefined";
    }

    if (r < 0) {
        vnError("Failed to %s domain '%s'", cmd, vnDomainGetName(dom));
        vnReportLibError();
    } else {
        vnPrintExtra(ctl, "Domain '%s' %s\n", vnDomainGetName(dom), done);
    }
    vnDomainFree(dom);
    return r == 0;
}


static bool
cmdDumpxml(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "domain");
    unsigned int flags = 0;
    vnDomain *dom;
    char *xml;

    if (!name || !(dom = vnLookupDomain(ctl, name)))
        return false;
    if (vnOptBool(a, "inactive"))
        flags |= VIR_DOMAIN_XML_INACTIVE;
    if (vnOptBool(a, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (!(xml = vnDomainGetXMLDesc(dom, flags))) {
        vnReportLibError();
        vnDomainFree(dom);
        return false;
    }
    printf("%s", xml);
    free(xml);
    vnDomainFree(dom);
    return true;
}


static bool
cmdAutostart(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "domain");
    bool disable = vnOptBool(a, "disable");
    vnDomain *dom;
    bool ok;

    if (!name || !(dom = vnLookupDomain(ctl, name)))
        return false;
    ok = vnDomainSetAutostart(dom, disable ? 0 : 1) == 0;
    if (!ok) {
        vnError("Failed to %smark domain '%s' as autostarted", disable ? "un" : "",
                vnDomainGetName(dom));
        vnReportLibError();
    } else {
        vnPrintExtra(ctl, "Domain '%s' %s as autostarted\n", vnDomainGetName(dom),
                     disable ? "unmarked" : "marked");
    }
    vnDomainFree(dom);
    return ok;
}


static bool
cmdNodeinfo(vnCtl *ctl, const char *cmd G_GNUC_UNUSED, vnCmdArgs *a G_GNUC_UNUSED)
{
    virNodeInfo info;

    if (vnNodeGetInfo(ctl->conn, &info) < 0) {
        vnError("failed to get node information");
        vnReportLibError();
        return false;
    }
    printf("%-20s %s\n", "CPU model:", info.model);
    printf("%-20s %u\n", "CPU(s):", info.cpus);
    if (info.mhz)
        printf("%-20s %u MHz\n", "CPU frequency:", info.mhz);
    printf("%-20s %u\n", "CPU socket(s):", info.sockets);
    printf("%-20s %u\n", "Core(s) per socket:", info.cores);
    printf("%-20s %u\n", "Thread(s) per core:", info.threads);
    printf("%-20s %u\n", "NUMA cell(s):", info.nodes);
    printf("%-20s %lu KiB\n", "Memory size:", info.memory);
    return true;
}


static void
vnPrintVersion(const char *what, const char *name, unsigned long v)
{
    printf("%s: %s%s%lu.%lu.%lu\n", what, name ? name : "", name ? " " : "",
           v / 1000000, (v / 1000) % 1000, v % 1000);
}


static bool
cmdVersion(vnCtl *ctl, const char *cmd G_GNUC_UNUSED, vnCmdArgs *a)
{
    const char *type;
    unsigned long hv, lib;

    if (!(type = vnConnectGetType(ctl->conn))) {
        vnError("failed to get hypervisor type");
        vnReportLibError();
        return false;
    }
    printf("Compiled against library: virtnet %s\n", PACKAGE_VERSION);
    printf("Using library: virtnet %s\n", PACKAGE_VERSION);
    printf("Using API: %s %s\n", type, PACKAGE_VERSION);
    if (vnConnectGetVersion(ctl->conn, &hv) < 0) {
        vnError("failed to get the hypervisor version");
        vnReportLibError();
        return false;
    }
    if (hv == 0)
        printf("Cannot extract running %s hypervisor version\n", type);
    else
        vnPrintVersion("Running hypervisor", type, hv);
    if (vnOptBool(a, "daemon")) {
        if (vnConnectGetLibVersion(ctl->conn, &lib) < 0) {
            vnError("failed to get the daemon version");
            vnReportLibError();
            return false;
        }
        vnPrintVersion("Running against daemon", NULL, lib);
    }
    return true;
}


static bool
cmdHostname(vnCtl *ctl, const char *cmd G_GNUC_UNUSED, vnCmdArgs *a G_GNUC_UNUSED)
{
    char *hostname = vnConnectGetHostname(ctl->conn);

    if (!hostname) {
        vnError("failed to get hostname");
        vnReportLibError();
        return false;
    }
    printf("%s\n", hostname);
    free(hostname);
    return true;
}


static bool
cmdCapabilities(vnCtl *ctl, const char *cmd G_GNUC_UNUSED, vnCmdArgs *a G_GNUC_UNUSED)
{
    char *caps = vnConnectGetCapabilities(ctl->conn);

    if (!caps) {
        vnError("failed to get capabilities");
        vnReportLibError();
        return false;
    }
    printf("%s\n", caps);
    free(caps);
    return true;
}


/* ---- event ------------------------------------------------------------------ */

static volatile sig_atomic_t vnInterrupted;

static void
vnSigHandler(int sig G_GNUC_UNUSED)
{
    vnInterrupted = 1;
}


typedef struct {
    GMutex lock;
    GCond cond;
    int count;
    int want;                  /* stop after this many; 0 = never */
    bool timestamp;
    bool closed;
} vnEventWait;


static void
vnEventPrintLifecycle(vnConnect *conn G_GNUC_UNUSED, vnDomain *dom, int event, int detail,
                      void *opaque)
{
    vnEventWait *w = opaque;
    g_autofree char *stamp = NULL;

    if (w->timestamp) {
        g_autoptr(GDateTime) now = g_date_time_new_now_local();

        stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.%f%z: ");
        /* %f is microseconds; virsh shows milliseconds */
        if (stamp && strlen(stamp) > 26)
            memmove(stamp + 23, stamp + 26, strlen(stamp + 26) + 1);
    }
    printf("%sevent 'lifecycle' for domain '%s': %s %s\n", stamp ? stamp : "",
           vnDomainGetName(dom), vnDomainEventToString(event),
           vnDomainEventDetailToString(event, detail));
    fflush(stdout);

    g_mutex_lock(&w->lock);
    w->count++;
    g_cond_broadcast(&w->cond);
    g_mutex_unlock(&w->lock);
}


static void
vnEventConnClosed(vnConnect *conn G_GNUC_UNUSED, int reason G_GNUC_UNUSED, void *opaque)
{
    vnEventWait *w = opaque;

    g_mutex_lock(&w->lock);
    w->closed = true;
    g_cond_broadcast(&w->cond);
    g_mutex_unlock(&w->lock);
}


static bool
cmdEvent(vnCtl *ctl, const char *cmd G_GNUC_UNUSED, vnCmdArgs *a)
{
    vnEventWait w = { 0 };
    const char *domname = vnOptString(a, "domain");
    const char *event = vnOptString(a, "event");
    vnDomain *dom = NULL;
    int timeout = 0, id = -1;
    gint64 deadline = 0;
    bool closeCb = false;
    bool ok = false;
    enum { DONE, TIMEOUT, INTERRUPT, CLOSED } why;
    struct sigaction sa = { 0 }, oldint, oldterm;

    if (a->args->len > 0) {
        vnError("unexpected data '%s'", (char *)g_ptr_array_index(a->args, 0));
        return false;
    }
    if (event && strcmp(event, "lifecycle") != 0) {
        vnError("unknown event type %s (this tool knows 'lifecycle')", event);
        return false;
    }
    if (vnOptInt(a, "timeout", &timeout) < 0 || vnOptInt(a, "count", &w.want) < 0)
        return false;
    if (vnOptBool(a, "timeout") && timeout < 1) {
        vnError("Numeric value '%s' for <timeout> option is malformed or out of range",
                vnOptString(a, "timeout"));
        return false;
    }
    if (!vnOptBool(a, "count") && !vnOptBool(a, "loop"))
        w.want = 1;                /* virsh: one event without --loop */
    w.timestamp = vnOptBool(a, "timestamp");
    g_mutex_init(&w.lock);
    g_cond_init(&w.cond);

    if (domname && !(dom = vnLookupDomain(ctl, domname)))
        goto cleanup;
    if (vnConnectRegisterCloseCallback(ctl->conn, vnEventConnClosed, &w, NULL) == 0)
        closeCb = true;
    else
        vnResetLastError();
    if ((id = vnConnectDomainEventRegisterAny(ctl->conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              vnEventPrintLifecycle, &w, NULL)) < 0) {
        vnError("failed to register event 'lifecycle'");
        vnReportLibError();
        goto cleanup;
    }

    sa.sa_handler = vnSigHandler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &oldint);
    sigaction(SIGTERM, &sa, &oldterm);
    if (timeout > 0)
        deadline = g_get_monotonic_time() + (gint64)timeout * G_TIME_SPAN_SECOND;

    g_mutex_lock(&w.lock);
    for (;;) {
        gint64 now = g_get_monotonic_time();
        gint64 until = now + 100 * G_TIME_SPAN_MILLISECOND;

        if (w.want > 0 && w.count >= w.want) {
            why = DONE;
            break;
        }
        if (w.closed) {
            why = CLOSED;
            break;
        }
        if (vnInterrupted) {
            why = INTERRUPT;
            break;
        }
        if (deadline && now >= deadline) {
            why = TIMEOUT;
            break;
        }
        if (deadline && deadline < until)
            until = deadline;
        g_cond_wait_until(&w.cond, &w.lock, until);
    }
    g_mutex_unlock(&w.lock);
    sigaction(SIGINT, &oldint, NULL);
    sigaction(SIGTERM, &oldterm, NULL);

    switch (why) {
    case INTERRUPT: printf("event loop interrupted\n"); break;
    case TIMEOUT: printf("event loop timed out\n"); break;
    case CLOSED:
        printf("events received: %d\n", w.count);
        vnError("the connection to the server closed");
        goto cleanup;
    case DONE: break;
    }
    printf("events received: %d\n", w.count);
    ok = true;

 cleanup:
    if (id >= 0 && vnConnectIsAlive(ctl->conn) &&
        vnConnectDomainEventDeregisterAny(ctl->conn, id) < 0 && ok) {
        vnError("failed to deregister event 'lifecycle'");
        vnReportLibError();
        ok = false;
    }
    if (closeCb)
        vnConnectUnregisterCloseCallback(ctl->conn, vnEventConnClosed);
    if (dom)
        vnDomainFree(dom);
    /* no callback can run any more: w may go */
    g_mutex_clear(&w.lock);
    g_cond_clear(&w.cond);
    return ok;
}


/* ---- streams: console, screenshot ------------------------------------------------- */

#define VN_CONSOLE_ESCAPE 0x1d      /* Ctrl-] */

typedef struct {
    vnStream *st;
    int error;                  /* the stream's end: 0 EOF, -1 error */
    bool done;
    char message[512];
    GMutex lock;
    GCond cond;
} vnConsole;


/* The console's output to stdout, until its end. */
static gpointer
vnConsoleReader(gpointer opaque)
{
    vnConsole *con = opaque;
    char buf[16384];
    int n;

    while ((n = vnStreamRecv(con->st, buf, sizeof(buf))) > 0) {
        for (int off = 0; off < n;) {
            ssize_t w = write(STDOUT_FILENO, buf + off, n - off);

            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            off += w;
        }
    }
    g_mutex_lock(&con->lock);
    con->error = n < 0 ? -1 : 0;
    if (n < 0)
        g_strlcpy(con->message, vnGetLastErrorMessage(), sizeof(con->message));
    con->done = true;
    g_cond_signal(&con->cond);
    g_mutex_unlock(&con->lock);
    return NULL;
}


static bool
vnConsoleDone(vnConsole *con)
{
    bool done;

    g_mutex_lock(&con->lock);
    done = con->done;
    g_mutex_unlock(&con->lock);
    return done;
}


/* The keyboard (stdin) to the console until Ctrl-], the end of stdin or
 * the end of the console. 1: the user left (finish), 0: stdin ended
 * (finish), -1: sending failed. */
static int
vnConsoleWriter(vnConsole *con)
{
    char buf[4096];

    while (!vnConsoleDone(con) && !vnInterrupted) {
        struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
        ssize_t n;
        char *esc;

        if (poll(&pfd, 1, 200) <= 0)
            continue;
        if ((n = read(STDIN_FILENO, buf, sizeof(buf))) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return 0;
        }
        if (n == 0)
            return 0;
        if ((esc = memchr(buf, VN_CONSOLE_ESCAPE, n)))
            n = esc - buf;
        for (ssize_t off = 0; off < n;) {
            int sent = vnStreamSend(con->st, buf + off, n - off);

            if (sent < 0)
                return -1;
            off += sent;
        }
        if (esc)
            return 1;
    }
    return 0;
}


static bool
cmdConsole(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "domain");
    unsigned int flags = 0;
    vnConsole con = { 0 };
    struct termios saved, raw;
    bool tty = isatty(STDIN_FILENO);
    struct sigaction sa = { .sa_handler = vnSigHandler };
    GThread *reader = NULL;
    vnDomain *dom;
    bool ok = false;
    int rc;

    if (!name || !(dom = vnLookupDomain(ctl, name)))
        return false;
    if (vnOptBool(a, "force"))
        flags |= VIR_DOMAIN_CONSOLE_FORCE;
    if (vnOptBool(a, "safe"))
        flags |= VIR_DOMAIN_CONSOLE_SAFE;
    g_mutex_init(&con.lock);
    g_cond_init(&con.cond);
    if (!(con.st = vnStreamNew(ctl->conn, 0)) ||
        vnDomainOpenConsole(dom, vnOptString(a, "devname"), con.st, flags) < 0) {
        vnReportLibError();
        goto cleanup;
    }
    vnPrintExtra(ctl, "Connected to domain '%s'\n", vnDomainGetName(dom));
    vnPrintExtra(ctl, "Escape character is ^] (Ctrl + ])\n");
    fflush(stdout);
    /* A raw terminal: every key goes to the console, Ctrl-C included. */
    if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
    } else {
        tty = false;
    }
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    reader = g_thread_new("vn-console", vnConsoleReader, &con);
    rc = vnConsoleWriter(&con);
    if (tty)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    if (rc < 0) {
        vnReportLibError();
        vnStreamAbort(con.st);
        g_thread_join(reader);
    } else if (!vnConsoleDone(&con)) {
        /* We leave: the reader sees the stream end. */
        if (vnStreamFinish(con.st) < 0) {
            vnReportLibError();
            rc = -1;
        }
        g_thread_join(reader);
    } else {
        /* The console ended: its error, or close our side. */
        g_thread_join(reader);
        if (con.error < 0) {
            vnError("%s", con.message);
            rc = -1;
        } else if (vnStreamFinish(con.st) < 0) {
            vnReportLibError();
            rc = -1;
        }
    }
    if (tty)
        fputs("\n", stdout);
    ok = rc >= 0;
 cleanup:
    if (con.st)
        vnStreamFree(con.st);
    vnDomainFree(dom);
    g_mutex_clear(&con.lock);
    g_cond_clear(&con.cond);
    return ok;
}


/* write(2) all of data, EINTR retried: 0 or -1 (errno set). */
int
vnWriteAll(int fd, const char *data, size_t nbytes)
{
    while (nbytes > 0) {
        ssize_t n = write(fd, data, nbytes);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n;
        nbytes -= n;
    }
    return 0;
}


static int
vnScreenshotSink(vnStream *st G_GNUC_UNUSED, const char *data, size_t nbytes, void *opaque)
{
    return vnWriteAll(*(int *)opaque, data, nbytes);
}


static bool
cmdScreenshot(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = g_ptr_array_index(a->args, 0);
    g_autofree char *file = NULL;
    g_autofree char *mime = NULL;
    vnStream *st = NULL;
    vnDomain *dom = NULL;
    bool created = false, ok = false;
    int screen = 0;
    int fd = -1;

    if (a->args->len < 1 || a->args->len > 2) {
        vnError(a->args->len < 1 ? "command '%s' requires <domain> option"
                                 : "unexpected data '%s'",
                a->args->len < 1 ? cmd : (char *)g_ptr_array_index(a->args, 2));
        return false;
    }
    if (vnOptInt(a, "screen", &screen) < 0 || !(dom = vnLookupDomain(ctl, name)))
        return false;
    if (!(st = vnStreamNew(ctl->conn, 0)) ||
        !(mime = vnDomainScreenshot(dom, st, screen, 0))) {
        vnError("could not take a screenshot of %s", name);
        vnReportLibError();
        goto cleanup;
    }
    if (a->args->len == 2) {
        file = g_strdup(g_ptr_array_index(a->args, 1));
    } else {
        /* virsh's name: DOMAIN-DATE with the type's extension */
        g_autoptr(GDateTime) now = g_date_time_new_now_local();
        g_autofree char *when = g_date_time_format(now, "%Y-%m-%d-%H:%M:%S");
        const char *ext = strcmp(mime, "image/png") == 0 ? ".png" :
                          strcmp(mime, "image/x-portable-pixmap") == 0 ? ".ppm" : "";

        file = g_strdup_printf("%s-%s%s", vnDomainGetName(dom), when, ext);
    }
    if ((fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) >= 0)
        created = true;
    else if (errno != EEXIST || (fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
        vnError("cannot create file %s", file);
        vnStreamAbort(st);
        goto cleanup;
    }
    if (vnStreamRecvAll(st, vnScreenshotSink, &fd) < 0) {
        vnError("could not receive data from domain '%s'", name);
        vnReportLibError();
        vnStreamAbort(st);
        goto cleanup;
    }
    if (close(fd) < 0) {
        fd = -1;
        vnError("cannot close file %s", file);
        goto cleanup;
    }
    fd = -1;
    vnPrintExtra(ctl, "Screenshot saved to %s, with type of %s\n", file, mime);
    ok = true;
 cleanup:
    if (fd >= 0)
        close(fd);
    if (!ok && created)
        unlink(file);
    if (st)
        vnStreamFree(st);
    if (dom)
        vnDomainFree(dom);
    return ok;
}


/* ---- the command table -------------------------------------------------------- */

static const vnOptDef optsList[] = {
    { "all", false }, { "inactive", false }, { "name", false }, { "uuid", false }, { NULL, false },
};
static const vnOptDef optsDomstate[] = { { "reason", false }, { NULL, false } };
static const vnOptDef optsDefine[] = { { "validate", false }, { NULL, false } };
static const vnOptDef optsStart[] = { { "paused", false }, { NULL, false } };
static const vnOptDef optsDestroy[] = { { "graceful", false }, { NULL, false } };
static const vnOptDef optsDumpxml[] = {
    { "inactive", false }, { "security-info", false }, { NULL, false },
};
static const vnOptDef optsAutostart[] = { { "disable", false }, { NULL, false } };
static const vnOptDef optsVersion[] = { { "daemon", false }, { NULL, false } };
static const vnOptDef optsConsole[] = {
    { "devname", true }, { "force", false }, { "safe", false }, { NULL, false },
};
static const vnOptDef optsScreenshot[] = { { "screen", true }, { NULL, false } };
static const vnOptDef optsEvent[] = {
    { "domain", true }, { "event", true }, { "loop", false }, { "timeout", true },
    { "count", true }, { "timestamp", false }, { NULL, false },
};

static const vnCmdDef vnCommands[] = {
    { "list", cmdList, optsList, "list [--all | --inactive] [--name] [--uuid]" },
    { "dominfo", cmdDominfo, NULL, "dominfo DOMAIN" },
    { "domstate", cmdDomstate, optsDomstate, "domstate DOMAIN [--reason]" },
    { "domid", cmdDomid, NULL, "domid DOMAIN" },
    { "domname", cmdDomname, NULL, "domname DOMAIN" },
    { "domuuid", cmdDomuuid, NULL, "domuuid DOMAIN" },
    { "define", cmdDefineOrCreate, optsDefine, "define FILE [--validate]" },
    { "create", cmdDefineOrCreate, optsDefine, "create FILE [--validate]" },
    { "start", cmdDomAction, optsStart, "start DOMAIN [--paused]" },
    { "destroy", cmdDomAction, optsDestroy, "destroy DOMAIN [--graceful]" },
    { "shutdown", cmdDomAction, NULL, "shutdown DOMAIN" },
    { "reboot", cmdDomAction, NULL, "reboot DOMAIN" },
    { "suspend", cmdDomAction, NULL, "suspend DOMAIN" },
    { "resume", cmdDomAction, NULL, "resume DOMAIN" },
    { "undefine", cmdDomAction, NULL, "undefine DOMAIN" },
    { "dumpxml", cmdDumpxml, optsDumpxml, "dumpxml DOMAIN [--inactive] [--security-info]" },
    { "autostart", cmdAutostart, optsAutostart, "autostart [--disable] DOMAIN" },
    { "nodeinfo", cmdNodeinfo, NULL, "nodeinfo" },
    { "version", cmdVersion, optsVersion, "version [--daemon]" },
    { "hostname", cmdHostname, NULL, "hostname" },
    { "capabilities", cmdCapabilities, NULL, "capabilities" },
    { "console", cmdConsole, optsConsole,
      "console DOMAIN [--devname NAME] [--force] [--safe]   (Ctrl-] leaves)" },
    { "screenshot", cmdScreenshot, optsScreenshot, "screenshot DOMAIN [FILE] [--screen N]" },
    { "event", cmdEvent, optsEvent,
      "event [--domain DOMAIN] [--event lifecycle] [--loop] [--timeout SECS] [--count N] [--timestamp]" },
};


/* ---- admin stats (the admin program, not the remote one) ------------------- */

typedef struct {
    char *server;
    admin_server_get_metrics_ret m;
} vnServerMetrics;

static void
vnServerMetricsClear(gpointer data)
{
    vnServerMetrics *sm = data;

    g_free(sm->server);
    vnAdmMetricsFree(&sm->m);
}


static const char *
vnTransportName(unsigned int t)
{
    static const char *const names[] = { "unix", "tcp", "tls" };

    return t < G_N_ELEMENTS(names) ? names[t] : "unknown";
}


/* Finished calls: what the buckets hold. */
static unsigned long long
vnProcFinished(const admin_proc_metrics *p)
{
    unsigned long long n = 0;

    for (u_int b = 0; b < p->buckets.buckets_len; b++)
        n += p->buckets.buckets_val[b];
    return n;
}


/* The upper bound (us) of the bucket holding quantile q, as text. */
static char *
vnProcQuantile(const admin_server_get_metrics_ret *m, const admin_proc_metrics *p, double q)
{
    unsigned long long total = vnProcFinished(p), seen = 0;

    if (total == 0)
        return g_strdup("-");
    for (u_int b = 0; b < p->buckets.buckets_len && b < m->bounds_us.bounds_us_len; b++) {
        seen += p->buckets.buckets_val[b];
        if ((double)seen >= q * total) {
            if (m->bounds_us.bounds_us_val[b] == G_MAXUINT64)
                return g_strdup("+Inf");
            return g_strdup_printf("<=%" G_GUINT64_FORMAT, m->bounds_us.bounds_us_val[b]);
        }
    }
    return g_strdup("+Inf");
}


static void
vnAdminStatsTable(GArray *servers)
{
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    g_autoptr(GPtrArray) crows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    char **row;

    row = g_new0(char *, 9);
    row[0] = g_strdup("Server"); row[1] = g_strdup("Procedure"); row[2] = g_strdup("Calls");
    row[3] = g_strdup("Errors"); row[4] = g_strdup("In flight"); row[5] = g_strdup("Mean us");
    row[6] = g_strdup("p50 us"); row[7] = g_strdup("p99 us");
    g_ptr_array_add(rows, row);
    row = g_new0(char *, 8);
    row[0] = g_strdup("Server"); row[1] = g_strdup("Client"); row[2] = g_strdup("Transport");
    row[3] = g_strdup("Calls"); row[4] = g_strdup("In flight"); row[5] = g_strdup("Bytes in");
    row[6] = g_strdup("Bytes out");
    g_ptr_array_add(crows, row);
    for (guint s = 0; s < servers->len; s++) {
        vnServerMetrics *sm = &g_array_index(servers, vnServerMetrics, s);

        for (u_int i = 0; i < sm->m.procs.procs_len; i++) {
            admin_proc_metrics *p = &sm->m.procs.procs_val[i];
            unsigned long long done = vnProcFinished(p);

            if (p->calls == 0)
                continue;
            row = g_new0(char *, 9);
            row[0] = g_strdup(sm->server);
            row[1] = g_strdup(p->name);
            row[2] = g_strdup_printf("%" G_GUINT64_FORMAT, p->calls);
            row[3] = g_strdup_printf("%" G_GUINT64_FORMAT, p->errors);
            row[4] = g_strdup_printf("%" G_GINT64_FORMAT, p->inflight);
            row[5] = done ? g_strdup_printf("%.1f", (double)p->sum_us / done) : g_strdup("-");
            row[6] = vnProcQuantile(&sm->m, p, 0.5);
            row[7] = vnProcQuantile(&sm->m, p, 0.99);
            g_ptr_array_add(rows, row);
        }
        for (u_int i = 0; i < sm->m.clients.clients_len; i++) {
            admin_client_metrics *c = &sm->m.clients.clients_val[i];

            row = g_new0(char *, 8);
            row[0] = g_strdup(sm->server);
            row[1] = g_strdup_printf("%" G_GUINT64_FORMAT, c->id);
            row[2] = g_strdup(vnTransportName(c->transport));
            row[3] = g_strdup_printf("%" G_GUINT64_FORMAT, c->calls);
            row[4] = g_strdup_printf("%" G_GUINT64_FORMAT, c->inflight);
            row[5] = g_strdup_printf("%" G_GUINT64_FORMAT, c->bytes_rx);
            row[6] = g_strdup_printf("%" G_GUINT64_FORMAT, c->bytes_tx);
            g_ptr_array_add(crows, row);
        }
    }
    vnPrintTable(rows, 8);
    putchar('\n');
    vnPrintTable(crows, 7);
    if (servers->len > 0) {
        admin_process_metrics *pm = &g_array_index(servers, vnServerMetrics, 0).m.process;

        printf("\nProcess: RSS %" G_GUINT64_FORMAT " KiB, heap in use %" G_GUINT64_FORMAT
               " KiB (%" G_GUINT64_FORMAT " KiB of it mapped), heap free %" G_GUINT64_FORMAT
               " KiB\n", pm->rss / 1024, pm->heap_in_use / 1024, pm->heap_mapped / 1024,
               pm->heap_free / 1024);
    }
}


/* Prometheus' text format: one family at a time (all servers), HELP and
 * TYPE first; label values escaped as the format asks. */
static char *
vnPromLabel(const char *value)
{
    GString *out = g_string_new(NULL);

    for (const char *c = value; *c; c++) {
        if (*c == '\\' || *c == '"')
            g_string_append_c(out, '\\');
        if (*c == '\n')
            g_string_append(out, "\\n");
        else
            g_string_append_c(out, *c);
    }
    return g_string_free(out, FALSE);
}

typedef enum { VN_PROM_CALLS, VN_PROM_ERRORS, VN_PROM_INFLIGHT, VN_PROM_DURATION } vnPromProc;

static void
vnAdminStatsPromProcs(GArray *servers, vnPromProc what)
{
    static const char *const head[] = {
        "# HELP virtnet_rpc_calls_total RPC calls started, per procedure.\n"
        "# TYPE virtnet_rpc_calls_total counter\n",
        "# HELP virtnet_rpc_errors_total RPC calls answered with an error, per procedure.\n"
        "# TYPE virtnet_rpc_errors_total counter\n",
        "# HELP virtnet_rpc_calls_in_flight RPC calls running now, per procedure.\n"
        "# TYPE virtnet_rpc_calls_in_flight gauge\n",
        "# HELP virtnet_rpc_duration_seconds Time from dispatch to the reply being "
        "queued, per procedure.\n"
        "# TYPE virtnet_rpc_duration_seconds histogram\n",
    };

    fputs(head[what], stdout);
    for (guint s = 0; s < servers->len; s++) {
        vnServerMetrics *sm = &g_array_index(servers, vnServerMetrics, s);
        g_autofree char *server = vnPromLabel(sm->server);

        for (u_int i = 0; i < sm->m.procs.procs_len; i++) {
            admin_proc_metrics *p = &sm->m.procs.procs_val[i];
            g_autofree char *name = vnPromLabel(p->name);
            g_autofree char *labels = NULL;
            unsigned long long cum = 0;

            if (p->calls == 0)
                continue;
            labels = g_strdup_printf("server=\"%s\",program=\"0x%08x\",procedure=\"%s\"",
                                     server, p->prog, name);
            switch (what) {
            case VN_PROM_CALLS:
                printf("virtnet_rpc_calls_total{%s} %" G_GUINT64_FORMAT "\n", labels, p->calls);
                break;
            case VN_PROM_ERRORS:
                printf("virtnet_rpc_errors_total{%s} %" G_GUINT64_FORMAT "\n", labels, p->errors);
                break;
            case VN_PROM_INFLIGHT:
                printf("virtnet_rpc_calls_in_flight{%s} %" G_GINT64_FORMAT "\n", labels,
                       p->inflight);
                break;
            case VN_PROM_DURATION:
                for (u_int b = 0; b < p->buckets.buckets_len &&
                                  b < sm->m.bounds_us.bounds_us_len; b++) {
                    uint64_t bound = sm->m.bounds_us.bounds_us_val[b];

                    cum += p->buckets.buckets_val[b];
                    if (bound == G_MAXUINT64)
                        printf("virtnet_rpc_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n",
                               labels, cum);
                    else
                        printf("virtnet_rpc_duration_seconds_bucket{%s,le=\"%g\"} %llu\n",
                               labels, bound / 1e6, cum);
                }
                printf("virtnet_rpc_duration_seconds_sum{%s} %.6f\n", labels, p->sum_us / 1e6);
                printf("virtnet_rpc_duration_seconds_count{%s} %llu\n", labels, cum);
                break;
            }
        }
    }
}

static void
vnAdminStatsProm(GArray *servers)
{
    static const struct { const char *name, *type, *help; } fams[] = {
        { "virtnet_client_calls_total", "counter", "RPC calls received from a client." },
        { "virtnet_client_calls_in_flight", "gauge", "A client's calls running now." },
        { "virtnet_client_received_bytes_total", "counter", "RPC bytes read from a client." },
        { "virtnet_client_sent_bytes_total", "counter", "RPC bytes written to a client." },
    };

    static const struct { const char *name, *help; } mem[] = {
        { "virtnet_process_resident_memory_bytes", "The daemon's resident set." },
        { "virtnet_heap_in_use_bytes", "Memory allocated with malloc and not freed." },
        { "virtnet_heap_free_bytes", "Memory free in the allocator's arenas." },
        { "virtnet_heap_mapped_bytes", "Of the heap in use, blocks mapped on their own." },
    };

    for (int w = VN_PROM_CALLS; w <= VN_PROM_DURATION; w++)
        vnAdminStatsPromProcs(servers, w);
    /* the process's figures come with every server's reply: printed once */
    for (size_t f = 0; servers->len > 0 && f < G_N_ELEMENTS(mem); f++) {
        admin_process_metrics *pm = &g_array_index(servers, vnServerMetrics, 0).m.process;
        uint64_t v[] = { pm->rss, pm->heap_in_use, pm->heap_free, pm->heap_mapped };

        printf("# HELP %s %s\n# TYPE %s gauge\n%s %" G_GUINT64_FORMAT "\n", mem[f].name,
               mem[f].help, mem[f].name, mem[f].name, v[f]);
    }
    for (size_t f = 0; f < G_N_ELEMENTS(fams); f++) {
        printf("# HELP %s %s\n# TYPE %s %s\n", fams[f].name, fams[f].help, fams[f].name,
               fams[f].type);
        for (guint s = 0; s < servers->len; s++) {
            vnServerMetrics *sm = &g_array_index(servers, vnServerMetrics, s);
            g_autofree char *server = vnPromLabel(sm->server);

            for (u_int i = 0; i < sm->m.clients.clients_len; i++) {
                admin_client_metrics *c = &sm->m.clients.clients_val[i];
                uint64_t v[] = { c->calls, c->inflight, c->bytes_rx, c->bytes_tx };

                printf("%s{server=\"%s\",client=\"%" G_GUINT64_FORMAT "\",transport=\"%s\"} %"
                       G_GUINT64_FORMAT "\n", fams[f].name, server, c->id,
                       vnTransportName(c->transport), v[f]);
            }
        }
    }
}


/* virtnet admin stats [--prometheus] [--server NAME] [--socket PATH] */
static int
cmdAdminStats(int argc, char **argv)
{
    static const vnOptDef opts[] = {
        { "prometheus", false }, { "server", true }, { "socket", true }, { NULL, false },
    };
    vnCmdArgs a = { 0 };
    vnAdmConnect *conn = NULL;
    g_auto(GStrv) names = NULL;
    g_autoptr(GArray) servers = g_array_new(FALSE, TRUE, sizeof(vnServerMetrics));
    int ret = 1;

    g_array_set_clear_func(servers, vnServerMetricsClear);
    if (vnCmdArgsParse("admin stats", opts, argc, argv, &a) < 0)
        goto cleanup;
    if (a.args->len > 0) {
        vnError("unexpected data '%s'", (char *)g_ptr_array_index(a.args, 0));
        goto cleanup;
    }
    if (!(conn = vnAdmConnectOpen(vnOptString(&a, "socket")))) {
        vnError("failed to connect to the admin server");
        vnReportLibError();
        goto cleanup;
    }
    if (vnOptString(&a, "server"))
        names = g_strdupv((char *[]){ (char *)vnOptString(&a, "server"), NULL });
    else if (!(names = vnAdmConnectListServers(conn))) {
        vnReportLibError();
        goto cleanup;
    }
    for (size_t i = 0; names[i]; i++) {
        vnServerMetrics sm = { .server = g_strdup(names[i]) };

        if (vnAdmServerGetMetrics(conn, names[i], &sm.m) < 0) {
            g_free(sm.server);
            vnReportLibError();
            goto cleanup;
        }
        g_array_append_val(servers, sm);
    }
    if (vnOptString(&a, "prometheus"))
        vnAdminStatsProm(servers);
    else
        vnAdminStatsTable(servers);
    ret = 0;
 cleanup:
    vnAdmConnectClose(conn);
    vnCmdArgsClear(&a);
    return ret;
}


static void
vnUsage(FILE *out)
{
    fprintf(out,
            "Usage: virtnet [-c URI] [-r] [-q] COMMAND [ARGS...]\n"
            "\n"
            "  -c, --connect URI   server URI (default: $VIRTNET_DEFAULT_URI, else test:///default\n"
            "                      on the default socket, see docs/client.md)\n"
            "  -r, --readonly      connect read-only\n"
            "  -q, --quiet         no informational messages\n"
            "  -h, --help          this text\n"
            "  -V, --version       the tool's version\n"
            "\n"
            "Commands (DOMAIN is a name, an id or a UUID):\n");
    for (size_t i = 0; i < G_N_ELEMENTS(vnCommands); i++)
        fprintf(out, "  %s\n", vnCommands[i].usage);
    fprintf(out, "\nCommands on the other objects:\n");
    for (size_t i = 0; i < vnObjectCommandsCount; i++)
        fprintf(out, "  %s\n", vnObjectCommands[i].usage);
    fprintf(out, "\nThe daemon (its admin socket, libvirt-admin-sock, see docs/admin.md):\n"
                 "  admin stats [--prometheus] [--server NAME] [--socket PATH]\n");
}


static bool
vnCmdTakesArgs(const vnCmdDef *def)
{
    return def->run != cmdNodeinfo && def->run != cmdVersion && def->run != cmdHostname &&
           def->run != cmdCapabilities;
}


int
main(int argc, char **argv)
{
    vnCtl ctl = { 0 };
    const vnCmdDef *def = NULL;
    vnCmdArgs cargs = { 0 };
    bool ok = false;
    int i;

    setvbuf(stdout, NULL, _IOLBF, 0);
    ctl.uri = g_getenv("VIRTNET_DEFAULT_URI");

    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];

        if (arg[0] != '-')
            break;
        if (strcmp(arg, "-c") == 0 || strcmp(arg, "--connect") == 0) {
            if (++i >= argc) {
                vnError("option %s requires a URI", arg);
                return 1;
            }
            ctl.uri = argv[i];
        } else if (strncmp(arg, "--connect=", 10) == 0) {
            ctl.uri = arg + 10;
        } else if (strcmp(arg, "-r") == 0 || strcmp(arg, "--readonly") == 0) {
            ctl.readonly = true;
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            ctl.quiet = true;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            vnUsage(stdout);
            return 0;
        } else if (strcmp(arg, "-V") == 0 || strcmp(arg, "--version") == 0) {
            printf("%s\n", PACKAGE_VERSION);
            return 0;
        } else {
            vnError("unsupported option '%s'. See --help.", arg);
            return 1;
        }
    }
    if (i >= argc) {
        vnUsage(stderr);
        return 1;
    }
    if (strcmp(argv[i], "help") == 0) {
        vnUsage(stdout);
        return 0;
    }
    if (strcmp(argv[i], "admin") == 0) {
        if (i + 1 >= argc || strcmp(argv[i + 1], "stats") != 0) {
            vnError("usage: virtnet admin stats [--prometheus] [--server NAME] [--socket PATH]");
            return 1;
        }
        return cmdAdminStats(argc - i - 2, argv + i + 2);
    }
    for (size_t j = 0; j < G_N_ELEMENTS(vnCommands); j++) {
        if (strcmp(vnCommands[j].name, argv[i]) == 0)
            def = &vnCommands[j];
    }
    for (size_t j = 0; j < vnObjectCommandsCount; j++) {
        if (strcmp(vnObjectCommands[j].name, argv[i]) == 0)
            def = &vnObjectCommands[j];
    }
    if (!def) {
        vnError("unknown command: '%s'", argv[i]);
        return 1;
    }
    if (vnCmdArgsParse(def->name, def->opts, argc - i - 1, argv + i + 1, &cargs) < 0)
        goto cleanup;
    if (!vnCmdTakesArgs(def) && cargs.args->len > 0) {
        vnError("unexpected data '%s'", (char *)g_ptr_array_index(cargs.args, 0));
        goto cleanup;
    }

    if (!(ctl.conn = vnConnectOpen(ctl.uri, ctl.readonly ? VIR_CONNECT_RO : 0))) {
        vnError("failed to connect to the hypervisor");
        vnReportLibError();
        goto cleanup;
    }
    ok = def->run(&ctl, def->name, &cargs);
    if (ok)
        vnPrintExtra(&ctl, "\n");   /* virsh ends each command with an empty line */

 cleanup:
    if (ctl.conn)
        vnConnectClose(ctl.conn);
    vnCmdArgsClear(&cargs);
    return ok ? 0 : 1;
}
