/*
 * agentguest.c: the guest's facts (host name, interfaces, file systems,
 * users, OS, time zone, clock, vCPUs) and power requests, as the agent
 * sees them from inside the guest (agentguest.h).
 *
 * Files are read under the guest's root (agentGuestOpen); everything else
 * comes from the agent's namespaces (uname, getifaddrs, the clock).
 * Locking: none but the time zone's (agentguestpriv.h); the object is
 * read-only after agentGuestNew.
 */
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>
#include <arpa/inet.h>
#include <linux/openat2.h>
#include <linux/reboot.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "agentguestpriv.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"
#include "qemu_agent_protocol_names.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("agent.guest");

/* The PID namespace every process starts in (the kernel's fixed inode):
 * an agent there is not inside a container. */
#define AGENT_INITIAL_PIDNS "pid:[4026531836]"

#define AGENT_SMALL_FILE_MAX (1024 * 1024)

agentGuest *
agentGuestNew(const char *root, unsigned int flags)
{
    agentGuest *guest;
    int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0) {
        virReportSystemError(errno, "cannot open the guest's root '%s'", root);
        return NULL;
    }
    guest = g_new0(agentGuest, 1);
    guest->root = g_strdup(root);
    guest->rootfd = fd;
    guest->flags = flags;
    g_mutex_init(&guest->accountLock);
    g_mutex_init(&guest->tzLock);
    return guest;
}


void
agentGuestFree(agentGuest *guest)
{
    if (!guest)
        return;
    VIR_FORCE_CLOSE(guest->rootfd);
    g_mutex_clear(&guest->accountLock);
    g_mutex_clear(&guest->tzLock);
    g_free(guest->root);
    g_free(guest);
}


const char *
agentGuestVersion(void)
{
    return PACKAGE_VERSION;
}


/* ------------------------------------------------------------------ */
/* Files under the root                                                */

static int
agentOpenat2(int dirfd, const char *path, int flags, mode_t mode, unsigned long long resolve)
{
    struct open_how how = {
        .flags = (unsigned long long)(flags | O_CLOEXEC),
        .mode = (flags & O_CREAT) ? mode : 0,
        .resolve = resolve,
    };

    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}


int
agentGuestOpen(agentGuest *guest, const char *path, int flags, mode_t mode)
{
    while (*path == '/')
        path++;
    if (!*path)
        path = ".";
    return agentOpenat2(guest->rootfd, path, flags, mode,
                        RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}


int
agentOpenBeneath(int dirfd, const char *path, int flags, mode_t mode)
{
    return agentOpenat2(dirfd, path, flags | O_NOFOLLOW, mode,
                        RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
}


char *
agentGuestReadFile(agentGuest *guest, const char *path, size_t max, size_t *len)
{
    int fd = agentGuestOpen(guest, path, O_RDONLY, 0);
    char *data;
    int err;

    if (fd < 0)
        return NULL;
    data = virFileReadFD(fd, max, len);
    err = errno;
    close(fd);
    errno = err;
    return data;
}


int
agentWriteAtomicAt(int dirfd, const char *name, const char *what, const void *data,
                   size_t len, mode_t mode, uid_t uid, gid_t gid)
{
    g_autofree char *tmp = NULL;
    const char *p = data;
    int fd = -1;
    size_t done = 0;

    for (int tries = 0; fd < 0; tries++) {
        g_free(tmp);
        tmp = g_strdup_printf(".%s.%08x", name, g_random_int());
        fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && (errno != EEXIST || tries > 8)) {
            virReportSystemError(errno, "cannot create a temporary file for %s", what);
            return -1;
        }
    }
    while (done < len) {
        ssize_t n = write(fd, p + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            virReportSystemError(errno, "cannot write %s", what);
            goto error;
        }
        done += (size_t)n;
    }
    if (fchown(fd, uid, gid) < 0 || fchmod(fd, mode) < 0) {
        virReportSystemError(errno, "cannot set the owner and mode of %s", what);
        goto error;
    }
    if (fsync(fd) < 0) {
        virReportSystemError(errno, "cannot sync %s", what);
        goto error;
    }
    VIR_FORCE_CLOSE(fd);
    if (renameat(dirfd, tmp, dirfd, name) < 0) {
        virReportSystemError(errno, "cannot replace %s", what);
        unlinkat(dirfd, tmp, 0);
        return -1;
    }
    if (fsync(dirfd) < 0)
        VIR_WARN("cannot sync the directory of %s: %s", what, g_strerror(errno));
    return 0;

 error:
    VIR_FORCE_CLOSE(fd);
    unlinkat(dirfd, tmp, 0);
    return -1;
}


/* ------------------------------------------------------------------ */
/* Info, host name, clock, OS                                          */

/* "QEMU_AGENT_PROC_GET_HOSTNAME" -> "get-hostname" */
static char *
agentCommandName(const char *procName)
{
    char *name = g_ascii_strdown(procName + strlen("QEMU_AGENT_PROC_"), -1);

    g_strdelimit(name, "_", '-');
    return name;
}


int
agentGuestInfo(agentGuest *guest, qemu_agent_info_ret *ret)
{
    GArray *cmds = g_array_new(FALSE, TRUE, sizeof(qemu_agent_command));
    int proc;

    ret->agent_version = g_strdup(agentGuestVersion());
    for (proc = 1; proc < 1000 && cmds->len < QEMU_AGENT_COMMANDS_MAX; proc++) {
        const char *pname = qemuAgentProcedureName(proc);
        qemu_agent_command cmd = { 0 };

        if (!pname || proc == QEMU_AGENT_PROC_READY)
            continue;
        cmd.name = agentCommandName(pname);
        cmd.enabled = 1;
        if (proc == QEMU_AGENT_PROC_EXEC)
            cmd.enabled = !!(guest->flags & AGENT_GUEST_ALLOW_EXEC);
        if (proc == QEMU_AGENT_PROC_SHUTDOWN)
            cmd.enabled = !!(guest->flags & AGENT_GUEST_ALLOW_POWER);
        g_array_append_val(cmds, cmd);
    }
    ret->commands.commands_len = cmds->len;
    ret->commands.commands_val = (qemu_agent_command *)g_array_free(cmds, FALSE);
    return 0;
}


int
agentGuestGetHostname(agentGuest *guest G_GNUC_UNUSED, qemu_agent_get_hostname_ret *ret)
{
    struct utsname ut;

    if (uname(&ut) < 0) {
        virReportSystemError(errno, "%s", "cannot read the host name");
        return -1;
    }
    ret->hostname = g_strndup(ut.nodename, QEMU_AGENT_HOSTNAME_MAX - 1);
    return 0;
}


int
agentGuestGetTime(agentGuest *guest G_GNUC_UNUSED, qemu_agent_get_time_ret *ret)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_REALTIME, &ts) < 0) {
        virReportSystemError(errno, "%s", "cannot read the clock");
        return -1;
    }
    ret->seconds = ts.tv_sec;
    ret->nseconds = (unsigned int)ts.tv_nsec;
    return 0;
}


static qemu_agent_str_opt
agentOptStr(const char *value)
{
    qemu_agent_str_opt opt;

    if (!value || !*value)
        return NULL;
    opt = g_new0(qemu_agent_str, 1);
    *opt = g_strndup(value, QEMU_AGENT_STRING_MAX - 1);
    return opt;
}


/* One os-release value: unquoted, backslash escapes resolved. */
static char *
agentOSReleaseValue(const char *raw)
{
    GString *out = g_string_new(NULL);
    char quote = 0;

    if (*raw == '"' || *raw == '\'')
        quote = *raw++;
    for (; *raw && *raw != quote; raw++) {
        if (*raw == '\\' && raw[1] && quote != '\'')
            raw++;
        g_string_append_c(out, *raw);
    }
    return g_string_free(out, FALSE);
}


int
agentGuestGetOSInfo(agentGuest *guest, qemu_agent_get_os_info_ret *ret)
{
    static const char *const keys[] = { "ID", "NAME", "PRETTY_NAME", "VERSION", "VERSION_ID",
                                         "VARIANT", "VARIANT_ID" };
    qemu_agent_str_opt *slots[] = { &ret->id, &ret->name, &ret->pretty_name, &ret->os_version,
                                    &ret->version_id, &ret->variant, &ret->variant_id };
    g_autofree char *text = agentGuestReadFile(guest, "etc/os-release", AGENT_SMALL_FILE_MAX, NULL);
    g_auto(GStrv) lines = NULL;
    struct utsname ut;
    size_t i, k;

    G_STATIC_ASSERT(G_N_ELEMENTS(keys) == G_N_ELEMENTS(slots));
    if (!text)
        text = agentGuestReadFile(guest, "usr/lib/os-release", AGENT_SMALL_FILE_MAX, NULL);
    lines = g_strsplit(text ? text : "", "\n", -1);
    for (i = 0; lines[i]; i++) {
        char *eq = strchr(lines[i], '=');

        if (!eq || lines[i][0] == '#')
            continue;
        *eq = '\0';
        for (k = 0; k < G_N_ELEMENTS(keys); k++) {
            if (strcmp(g_strstrip(lines[i]), keys[k]) == 0 && !*slots[k]) {
                g_autofree char *v = agentOSReleaseValue(eq + 1);
                *slots[k] = agentOptStr(v);
            }
        }
    }
    if (uname(&ut) == 0) {
        ret->machine = agentOptStr(ut.machine);
        ret->kernel_release = agentOptStr(ut.release);
        ret->kernel_version = agentOptStr(ut.version);
    }
    return 0;
}


/* The zone's name: /etc/timezone, else where /etc/localtime points
 * (".../zoneinfo/Europe/Paris"). */
static char *
agentZoneName(agentGuest *guest)
{
    g_autofree char *text = agentGuestReadFile(guest, "etc/timezone", 4096, NULL);
    char target[PATH_MAX];
    const char *z;
    ssize_t n;
    int etc;

    if (text && *g_strstrip(text) && !strchr(text, '\n'))
        return g_steal_pointer(&text);
    if ((etc = agentGuestOpen(guest, "etc", O_PATH | O_DIRECTORY, 0)) < 0)
        return NULL;
    n = readlinkat(etc, "localtime", target, sizeof(target) - 1);
    close(etc);
    if (n <= 0)
        return NULL;
    target[n] = '\0';
    if (!(z = strstr(target, "zoneinfo/")))
        return NULL;
    z += strlen("zoneinfo/");
    /* "posix/Europe/Paris" and "right/..." name the same zone */
    if (g_str_has_prefix(z, "posix/") || g_str_has_prefix(z, "right/"))
        z = strchr(z, '/') + 1;
    return *z ? g_strdup(z) : NULL;
}


int
agentGuestGetTimezone(agentGuest *guest, qemu_agent_get_timezone_ret *ret)
{
    g_autofree char *zone = agentZoneName(guest);
    g_autofree char *tz = NULL;
    g_autofree char *saved = NULL;
    struct tm tm;
    time_t now = time(NULL);

    /* The offset from the guest's own zone file: glibc reads the file
     * TZ names (":PATH"). TZ is process-wide: set and restored under the
     * lock; nothing else in the agent reads the environment meanwhile. */
    tz = g_strdup_printf(":%s%setc/localtime", guest->root,
                         g_str_has_suffix(guest->root, "/") ? "" : "/");
    g_mutex_lock(&guest->tzLock);
    saved = g_strdup(g_getenv("TZ"));
    g_setenv("TZ", tz, TRUE);
    tzset();
    memset(&tm, 0, sizeof(tm));
    localtime_r(&now, &tm);
    if (saved)
        g_setenv("TZ", saved, TRUE);
    else
        g_unsetenv("TZ");
    tzset();
    g_mutex_unlock(&guest->tzLock);

    ret->zone = agentOptStr(zone);
    ret->offset = (int)tm.tm_gmtoff;
    return 0;
}


/* ------------------------------------------------------------------ */
/* Users                                                               */

int
agentGuestGetUsers(agentGuest *guest, qemu_agent_get_users_ret *ret)
{
    g_autofree char *data = NULL;
    g_autoptr(GArray) users = g_array_new(FALSE, TRUE, sizeof(qemu_agent_logged_user));
    size_t len = 0, off;

    data = agentGuestReadFile(guest, "run/utmp", 64 * 1024 * 1024, &len);
    if (!data && errno == ENOENT)
        data = agentGuestReadFile(guest, "var/run/utmp", 64 * 1024 * 1024, &len);
    if (!data) {
        if (errno == ENOENT)
            len = 0;    /* no login records: nobody is logged in */
        else {
            virReportSystemError(errno, "%s", "cannot read the login records (utmp)");
            return -1;
        }
    }
    for (off = 0; off + sizeof(struct utmp) <= len; off += sizeof(struct utmp)) {
        struct utmp ut;
        g_autofree char *name = NULL;
        guint64 when;
        guint i;

        memcpy(&ut, data + off, sizeof(ut));
        if (ut.ut_type != USER_PROCESS || !ut.ut_user[0])
            continue;
        name = g_strndup(ut.ut_user, sizeof(ut.ut_user));
        when = (guint64)ut.ut_tv.tv_sec * G_USEC_PER_SEC + (guint64)ut.ut_tv.tv_usec;
        for (i = 0; i < users->len; i++) {
            qemu_agent_logged_user *u = &g_array_index(users, qemu_agent_logged_user, i);
            if (strcmp(u->name, name) == 0) {
                u->login_time_us = MIN(u->login_time_us, when);
                break;
            }
        }
        if (i == users->len && users->len < QEMU_AGENT_USERS_MAX) {
            qemu_agent_logged_user u = { g_steal_pointer(&name), when };
            g_array_append_val(users, u);
        }
    }
    ret->users.users_len = users->len;
    ret->users.users_val = (qemu_agent_logged_user *)g_array_free(g_steal_pointer(&users), FALSE);
    return 0;
}


/* ------------------------------------------------------------------ */
/* File systems                                                        */

/* Kernel interfaces, not storage. */
static const char *const agentPseudoFS[] = {
    "proc", "sysfs", "devpts", "cgroup", "cgroup2", "mqueue", "debugfs", "tracefs",
    "securityfs", "pstore", "bpf", "configfs", "fusectl", "hugetlbfs", "autofs",
    "binfmt_misc", "rpc_pipefs", "nsfs", "efivarfs", "selinuxfs", "devtmpfs", NULL,
};

/* mountinfo escapes blanks and backslashes as \ooo */
static char *
agentUnescapeMount(const char *s)
{
    GString *out = g_string_new(NULL);

    for (; *s; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
            s[3] >= '0' && s[3] <= '7') {
            g_string_append_c(out, (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0')));
            s += 3;
        } else {
            g_string_append_c(out, *s);
        }
    }
    return g_string_free(out, FALSE);
}


static void
agentFSClear(qemu_agent_fs *fs)
{
    g_free(fs->mountpoint);
    g_free(fs->name);
    g_free(fs->fstype);
}


int
agentGuestGetFSInfo(agentGuest *guest, qemu_agent_get_fsinfo_ret *ret)
{
    g_autofree char *text = agentGuestReadFile(guest, "proc/self/mountinfo",
                                               16 * 1024 * 1024, NULL);
    g_autoptr(GArray) fss = g_array_new(FALSE, TRUE, sizeof(qemu_agent_fs));
    g_auto(GStrv) lines = NULL;
    size_t i;

    g_array_set_clear_func(fss, (GDestroyNotify)agentFSClear);
    if (!text) {
        virReportSystemError(errno, "%s", "cannot read the mount table");
        return -1;
    }
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], " ", -1);
        qemu_agent_fs fs = { 0 };
        struct statvfs sv;
        size_t n = g_strv_length(f), sep, k;
        int fd;

        /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER */
        for (sep = 6; sep < n && strcmp(f[sep], "-") != 0; sep++)
            ;
        if (n < 7 || sep + 2 >= n)
            continue;
        if (g_strv_contains(agentPseudoFS, f[sep + 1]))
            continue;
        fs.mountpoint = agentUnescapeMount(f[4]);
        fs.fstype = g_strndup(f[sep + 1], QEMU_AGENT_STRING_MAX - 1);
        fs.name = agentUnescapeMount(f[sep + 2]);
        if (strlen(fs.mountpoint) >= QEMU_AGENT_STRING_MAX ||
            strlen(fs.name) >= QEMU_AGENT_STRING_MAX) {
            agentFSClear(&fs);
            continue;
        }
        /* what is mounted over an earlier mount hides it */
        for (k = 0; k < fss->len; k++) {
            if (strcmp(g_array_index(fss, qemu_agent_fs, k).mountpoint, fs.mountpoint) == 0) {
                g_array_remove_index(fss, k);
                break;
            }
        }
        if ((fd = agentGuestOpen(guest, fs.mountpoint, O_PATH | O_DIRECTORY, 0)) >= 0) {
            if (fstatvfs(fd, &sv) == 0) {
                unsigned long long used = sv.f_blocks - sv.f_bfree;

                /* as df and qemu-ga: the size an unprivileged user sees */
                fs.has_usage = 1;
                fs.used_bytes = used * sv.f_frsize;
                fs.total_bytes = (used + sv.f_bavail) * sv.f_frsize;
            }
            close(fd);
        }
        if (fss->len < QEMU_AGENT_FILESYSTEMS_MAX)
            g_array_append_val(fss, fs);
        else
            agentFSClear(&fs);
    }
    g_array_set_clear_func(fss, NULL);
    ret->fs.fs_len = fss->len;
    ret->fs.fs_val = (qemu_agent_fs *)g_array_free(g_steal_pointer(&fss), FALSE);
    return 0;
}


/* ------------------------------------------------------------------ */
/* Network interfaces                                                  */

static unsigned int
agentPrefixLength(const unsigned char *mask, size_t len)
{
    unsigned int bits = 0;

    for (size_t i = 0; i < len; i++)
        bits += (unsigned int)__builtin_popcount(mask[i]);
    return bits;
}


static qemu_agent_interface *
agentFindInterface(GArray *ifaces, const char *name)
{
    qemu_agent_interface iface = { 0 };

    for (guint i = 0; i < ifaces->len; i++) {
        qemu_agent_interface *it = &g_array_index(ifaces, qemu_agent_interface, i);
        if (strcmp(it->name, name) == 0)
            return it;
    }
    if (ifaces->len >= QEMU_AGENT_INTERFACES_MAX)
        return NULL;
    iface.name = g_strdup(name);
    g_array_append_val(ifaces, iface);
    return &g_array_index(ifaces, qemu_agent_interface, ifaces->len - 1);
}


static void
agentAddAddress(qemu_agent_interface *iface, int type, const char *addr, unsigned int prefix)
{
    qemu_agent_ip_address *a;

    if (iface->addrs.addrs_len >= QEMU_AGENT_ADDRESSES_MAX)
        return;
    iface->addrs.addrs_val = g_renew(qemu_agent_ip_address, iface->addrs.addrs_val,
                                     iface->addrs.addrs_len + 1);
    a = &iface->addrs.addrs_val[iface->addrs.addrs_len++];
    a->type = type;
    a->addr = g_strdup(addr);
    a->prefix = prefix;
}


int
agentGuestGetInterfaces(agentGuest *guest G_GNUC_UNUSED, qemu_agent_get_interfaces_ret *ret)
{
    struct ifaddrs *all = NULL, *ifa;
    GArray *ifaces;

    if (getifaddrs(&all) < 0) {
        virReportSystemError(errno, "%s", "cannot list the network interfaces");
        return -1;
    }
    ifaces = g_array_new(FALSE, TRUE, sizeof(qemu_agent_interface));
    for (ifa = all; ifa; ifa = ifa->ifa_next) {
        qemu_agent_interface *iface;
        char text[INET6_ADDRSTRLEN];
        int family = ifa->ifa_addr ? ifa->ifa_addr->sa_family : AF_UNSPEC;

        if (!ifa->ifa_name || !(iface = agentFindInterface(ifaces, ifa->ifa_name)))
            continue;
        if (family == AF_PACKET) {
            const struct sockaddr_ll *ll = (const struct sockaddr_ll *)ifa->ifa_addr;
            GString *mac = g_string_new(NULL);

            for (int i = 0; i < ll->sll_halen && i < 8; i++)
                g_string_append_printf(mac, "%s%02x", i ? ":" : "", ll->sll_addr[i]);
            if (!iface->hwaddr && mac->len) {
                iface->hwaddr = g_new0(qemu_agent_str, 1);
                *iface->hwaddr = g_string_free(mac, FALSE);
            } else {
                g_string_free(mac, TRUE);
            }
        } else if (family == AF_INET) {
            const struct sockaddr_in *in = (const struct sockaddr_in *)ifa->ifa_addr;
            const struct sockaddr_in *mask = (const struct sockaddr_in *)ifa->ifa_netmask;

            inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
            agentAddAddress(iface, 0, text,
                            mask ? agentPrefixLength((const unsigned char *)&mask->sin_addr, 4)
                                 : 32);
        } else if (family == AF_INET6) {
            const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ifa->ifa_addr;
            const struct sockaddr_in6 *mask = (const struct sockaddr_in6 *)ifa->ifa_netmask;

            inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
            agentAddAddress(iface, 1, text,
                            mask ? agentPrefixLength(mask->sin6_addr.s6_addr, 16) : 128);
        }
    }
    freeifaddrs(all);
    ret->ifaces.ifaces_len = ifaces->len;
    ret->ifaces.ifaces_val = (qemu_agent_interface *)g_array_free(ifaces, FALSE);
    return 0;
}


/* ------------------------------------------------------------------ */
/* vCPUs                                                               */

/* A kernel CPU list ("0-3,8,10-11") as a bit set of QEMU_AGENT_VCPUS_MAX. */
static bool
agentParseCPUList(const char *text, unsigned char *set)
{
    g_auto(GStrv) parts = g_strsplit(text, ",", -1);

    memset(set, 0, QEMU_AGENT_VCPUS_MAX / 8);
    for (size_t i = 0; parts[i]; i++) {
        char *s = g_strstrip(parts[i]), *end;
        unsigned long lo, hi;

        if (!*s)
            continue;
        lo = hi = strtoul(s, &end, 10);
        if (*end == '-')
            hi = strtoul(end + 1, &end, 10);
        if (*end || hi < lo || hi >= QEMU_AGENT_VCPUS_MAX)
            return false;
        for (unsigned long c = lo; c <= hi; c++)
            set[c / 8] |= (unsigned char)(1 << (c % 8));
    }
    return true;
}


#define AGENT_CPU_IN(set, c) (((set)[(c) / 8] >> ((c) % 8)) & 1)

/* present: the guest's CPUs; online: those it can run on (online in the
 * kernel and in its affinity). */
static int
agentReadCPUs(agentGuest *guest, unsigned char *present, unsigned char *online)
{
    g_autofree char *p = agentGuestReadFile(guest, "sys/devices/system/cpu/present", 65536, NULL);
    g_autofree char *o = agentGuestReadFile(guest, "sys/devices/system/cpu/online", 65536, NULL);
    cpu_set_t mask;

    if (!p || !o) {
        virReportSystemError(errno, "%s", "cannot read the CPU lists in /sys/devices/system/cpu");
        return -1;
    }
    if (!agentParseCPUList(p, present) || !agentParseCPUList(o, online)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed CPU list in /sys/devices/system/cpu");
        return -1;
    }
    if (sched_getaffinity(0, sizeof(mask), &mask) == 0) {
        for (unsigned int c = 0; c < QEMU_AGENT_VCPUS_MAX; c++) {
            if (c >= CPU_SETSIZE || !CPU_ISSET(c, &mask))
                online[c / 8] &= (unsigned char)~(1 << (c % 8));
        }
    }
    return 0;
}


int
agentGuestGetVcpus(agentGuest *guest, qemu_agent_get_vcpus_ret *ret)
{
    unsigned char present[QEMU_AGENT_VCPUS_MAX / 8], online[QEMU_AGENT_VCPUS_MAX / 8];
    GArray *vcpus;

    if (agentReadCPUs(guest, present, online) < 0)
        return -1;
    vcpus = g_array_new(FALSE, TRUE, sizeof(qemu_agent_vcpu));
    for (unsigned int c = 0; c < QEMU_AGENT_VCPUS_MAX; c++) {
        /* a container cannot take a CPU offline: none is offlinable */
        qemu_agent_vcpu v = { c, AGENT_CPU_IN(online, c), 0 };

        if (AGENT_CPU_IN(present, c))
            g_array_append_val(vcpus, v);
    }
    ret->vcpus.vcpus_len = vcpus->len;
    ret->vcpus.vcpus_val = (qemu_agent_vcpu *)g_array_free(vcpus, FALSE);
    return 0;
}


/* Nothing can change from inside a container: a CPU already in the
 * requested state counts as done, anything else is refused (and nothing
 * is applied). */
int
agentGuestSetVcpus(agentGuest *guest, const qemu_agent_set_vcpus_args *args,
                   qemu_agent_set_vcpus_ret *ret)
{
    unsigned char present[QEMU_AGENT_VCPUS_MAX / 8], online[QEMU_AGENT_VCPUS_MAX / 8];

    if (agentReadCPUs(guest, present, online) < 0)
        return -1;
    for (u_int i = 0; i < args->vcpus.vcpus_len; i++) {
        const qemu_agent_vcpu_state *v = &args->vcpus.vcpus_val[i];

        if (v->id >= QEMU_AGENT_VCPUS_MAX || !AGENT_CPU_IN(present, v->id)) {
            virReportError(VIR_ERR_INVALID_ARG, "the guest has no vCPU %u", v->id);
            return -1;
        }
        if (!!v->online == !!AGENT_CPU_IN(online, v->id))
            continue;
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       v->online ? "vCPU %u cannot be brought online from inside a container"
                                 : "vCPU %u cannot be taken offline from inside a container",
                       v->id);
        return -1;
    }
    ret->count = (int)args->vcpus.vcpus_len;
    return 0;
}


/* ------------------------------------------------------------------ */
/* Power                                                               */

int
agentGuestShutdownCheck(agentGuest *guest, int mode)
{
    char link[64];
    ssize_t n;

    if (mode < QEMU_AGENT_SHUTDOWN_POWERDOWN || mode > QEMU_AGENT_SHUTDOWN_HALT) {
        virReportError(VIR_ERR_INVALID_ARG, "unknown shutdown mode %d", mode);
        return -1;
    }
    if (!(guest->flags & AGENT_GUEST_ALLOW_POWER)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "this agent does not carry out power requests");
        return -1;
    }
    /* reboot(2) in the host's PID namespace would end the host */
    if ((n = readlink("/proc/self/ns/pid", link, sizeof(link) - 1)) <= 0) {
        virReportSystemError(errno, "%s", "cannot tell which PID namespace the agent is in");
        return -1;
    }
    link[n] = '\0';
    if (strcmp(link, AGENT_INITIAL_PIDNS) == 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "refusing a power request: the agent is not inside a container "
                       "(it runs in the host's PID namespace)");
        return -1;
    }
    return 0;
}


int
agentGuestShutdownNow(agentGuest *guest, int mode)
{
    int cmd = mode == QEMU_AGENT_SHUTDOWN_REBOOT ? RB_AUTOBOOT :
              mode == QEMU_AGENT_SHUTDOWN_HALT ? RB_HALT_SYSTEM : RB_POWER_OFF;
    int status = 0;
    pid_t pid;

    if (agentGuestShutdownCheck(guest, mode) < 0)
        return -1;
    VIR_INFO("power request %d: ending the container", mode);
    /* The kernel ends the caller of a namespace's reboot(2) too: a child
     * makes the call. */
    if ((pid = fork()) < 0) {
        virReportSystemError(errno, "%s", "cannot fork for the power request");
        return -1;
    }
    if (pid == 0) {
        reboot(cmd);
        _exit(errno == EPERM ? 2 : 1);
    }
    if (virProcessWaitPid(pid, &status, 0) == pid && WIFEXITED(status)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "the power request failed (%s)",
                       WEXITSTATUS(status) == 2 ? "not permitted" : "refused by the kernel");
        return -1;
    }
    return 0;
}
