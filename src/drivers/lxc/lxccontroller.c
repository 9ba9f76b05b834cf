/*
 * lxccontroller.c: virtnet_lxc, the controller of one running container.
 *
 * The LXC driver starts one per container (fork and exec, through an
 * intermediate process that calls setsid() and exits, so the controller is
 * detached: it outlives a restart of the daemon and is nobody's child but
 * the host's init). Command line:
 *
 *   virtnet_lxc --name NAME --state-dir DIR --config-fd N --handshake-fd M
 *               [--exit-timeout SECONDS] [--agent PATH] [--passfd FD]...
 *
 * The domain XML comes on the config fd (read to EOF). stdout and stderr
 * are the container's log file, DIR/NAME.log, so the controller's own
 * warnings land next to the container's console output.
 *
 * Life cycle
 *   1. Create the container (single-threaded at this point): a pty for the
 *      console, the CPU affinity (<vcpu cpuset>, else every host CPU:
 *      inherited by the container), then clone() with new PID, mount, UTS
 *      and IPC namespaces
 *      (and a network namespace for <features><privnet/> or interfaces).
 *      The child waits on a pipe while the parent puts it in its cgroups
 *      (memory, cpu, cpuacct, blkio, freezer, devices: lxccgroup.h),
 *      applies the definition's tunables and device ACL and makes its
 *      interfaces' veth pairs, the container ends moved into its
 *      namespace (lxcnet.h; removed again when the init ends); then it
 *      makes
 *      its mounts private, mounts the filesystems (a root of its own gets a
 *      small /dev tmpfs with the device nodes of its disks and host
 *      devices, lxcChildMakeDevices) and a fresh /proc, sets
 *      the hostname to the domain name, takes the pty as its controlling
 *      terminal and stdio, changes to <initdir> and execs <init> with
 *      <initarg>s and an environment of a few fixed variables plus
 *      <initenv>s. An exec failure comes back on a close-on-exec pipe.
 *      With <idmap> the clone() adds a user namespace: the parent writes
 *      the init's uid_map and gid_map before the go, the child then
 *      becomes its root (0:0); the console pty and, with a root of its
 *      own, a /dev tmpfs the controller mounts at DIR/NAME.dev in a mount
 *      namespace of its own (device nodes cannot be made inside) belong
 *      to the mapped root (lxcCtrlMakeDev).
 *      The init gets the pty as 0, 1, 2, the --passfd descriptors (the
 *      files of a start with files) as 3, 4, ... in their order, and no
 *      other descriptor (lxcChildSetupFDs); the controller closes its
 *      copies once the container runs.
 *   2. Serve DIR/NAME.sock with a virNetServer carrying the generated
 *      lxc_monitor server program (events only), and tell the driver on the
 *      handshake fd: "ok CTRLPID INITPID" or "error MESSAGE" (preceded by
 *      "warning MESSAGE" lines, and "interface NTH HOST PEER GUEST" for
 *      each interface made). Every client that connects gets INIT with
 *      the init's PID.
 *   3. Copy the console (pty master) to the log file, and serve it on
 *      DIR/NAME.console (see Console below). Watch the init
 *      through a pidfd. When it ends: drain the console, write the reason
 *      to DIR/NAME.exit (atomically: the record that survives everything,
 *      see below), then send EXIT (SHUTDOWN; REBOOT when the init was
 *      killed by SIGHUP, which is what the kernel does to a PID namespace's
 *      init that calls reboot(2)) to every connected client and mark each
 *      for delayed close (virNetServerClientDelayedClose): the server
 *      writes the message out, then closes. When the last client is gone
 *      a zero-second timer quits the loop (docs/architecture.md rule
 *      6); the close notification only arms that timer.
 *   3a. With a guest agent channel in the XML (and --agent), run the agent
 *      inside the container, serving DIR/NAME.agent, and keep it running
 *      (lxcagentprocess.h); every start and end goes to the clients as an
 *      AGENT event, and a new client gets STARTED after INIT while it runs.
 *      The agent is stopped before EXIT goes out.
 *   4. If no client is connected when the init ends (the daemon is being
 *      restarted), the EXIT stays pending: the next client to connect gets
 *      INIT then EXIT at once. After --exit-timeout seconds (default 300)
 *      without a client the controller gives up and quits; the driver then
 *      still learns the reason from DIR/NAME.exit.
 *
 * Console. The pty keeps its default (cooked) settings: echo, line
 * editing and CR/NL mapping, as a terminal, so that a shell inside works
 * from `virsh console`; the log gets what the terminal shows. One client
 * at a time connects to DIR/NAME.console (the daemon's console stream);
 * a new connection replaces the one before (the daemon decides who may
 * take over). What the container writes goes to the log and to the
 * client; while the client's buffer is full the pty is not read, so a
 * client that does not read slows the container's console writes (as a
 * terminal does) rather than being buffered without bound. What the client
 * sends goes into the pty. When the init ends the client is disconnected.
 *
 * Threads: the event loop's thread (everything above) and the server's
 * one worker, which never runs anything (the program has no calls). The
 * client close notification may run on either; ctrl->lock guards the
 * client lists and the exit state.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/magic.h>

#ifndef CLOSE_RANGE_CLOEXEC
# define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#include <glib.h>

#include "lxcagentprocess.h"
#include "lxccgroup.h"
#include "lxcconf.h"
#include "lxcnet.h"
#include "vircpumap.h"
#include "virhostinfo.h"
#include "virpublic.h"
#include "virdomaindef.h"
#include "virerror.h"
#include "virevent.h"
#include "virlog.h"
#include "virnetserver.h"
#include "virutil.h"
#include "lxc_monitor_protocol.h"
#include "lxc_monitor_protocol_server.h"

#define VIR_FROM_THIS VIR_FROM_LXC

VIR_LOG_INIT("lxc.controller");

#define LXC_DEFAULT_EXIT_TIMEOUT 300    /* seconds */

typedef struct {
    char *name;
    char *stateDir;
    char *sockPath;
    char *exitPath;
    virDomainDef *def;
    lxcConfig *cfg;

    int logfd;
    char *consolePath;
    virNetSocket *conListen; /* DIR/NAME.console */
    int conListenWatch;
    int conFd;               /* the console client, or -1 */
    int conWatch;
    char conOut[65536];      /* container -> client, not yet written */
    size_t conOutLen;
    char conIn[4096];        /* client -> container, not yet written */
    size_t conInLen;
    int ptyMaster;
    int ptySlave;            /* kept open: the master never sees a hangup */
    pid_t initPid;
    int pidfd;
    lxcCgroup *cgroup;       /* the container's cgroups, removed at the end */
    char *agentPath;         /* --agent: virtnet-agent */
    lxcAgentProcess *agent;  /* the guest agent, with a channel in the XML */
    GPtrArray *netHosts;     /* char *: the host ends of the interfaces made at start */
    GArray *netIndexes;      /* int: their indexes */
    int netNsFd;             /* the container's network namespace, kept while it
                              * has macvlan links made at start (else -1) */
    GArray *netInside;       /* int: those links' indexes there */

    virEventLoop *loop;
    virNetServer *srv;
    virNetServerProgram *prog;
    int pidWatch;
    int ptyWatch;
    int greetTimer;
    int quitTimer;
    int pendingTimer;
    int exitTimeout;
    int *passFds;            /* --passfd: for the init (close-on-exec here) */
    size_t npassFds;
    char *devDir;            /* <idmap> and a root: DIR/NAME.dev, our /dev tmpfs */

    GMutex lock;             /* guards the fields below */
    GPtrArray *clients;      /* virNetServerClient *: greeted */
    GPtrArray *newClients;   /* virNetServerClient *: waiting for INIT (and EXIT) */
    bool exited;
    int exitStatus;          /* lxc_monitor_exit_status */
    bool exitSent;
    bool agentRunning;
} lxcCtrl;

/* The one controller of this process (close notifications find it here). */
static lxcCtrl *theCtrl;

static void
lxcCtrlMessage(int fd, const char *kind, const char *text)
{
    g_autofree char *line = NULL;
    char *nl;

    if (fd < 0)
        return;
    line = g_strdup_printf("%s %s\n", kind, text);
    /* one line per message: no newline inside */
    while ((nl = strchr(line, '\n')) && nl[1])
        *nl = ' ';
    if (write(fd, line, strlen(line)) < 0)
        VIR_DEBUG("cannot write to the handshake pipe: %s", g_strerror(errno));
}


/* ------------------------------------------------------------------ */
/* Resources: the container's cgroups                                  */

/* The <vcpu cpuset> the container is pinned to (the parser checked it);
 * NULL: none, or placement 'auto', where libvirt does not read it. */
static const char *
lxcCtrlCpuset(const virDomainDef *def)
{
    return g_strcmp0(def->vcpuPlacement, "auto") != 0 ? def->vcpuCpuset : NULL;
}


/* The controller's own CPU affinity before clone(), which the container
 * inherits (libvirt's virLXCControllerSetupCpuAffinity): the cpuset, else
 * every CPU of the host (the daemon may run on fewer). */
static int
lxcCtrlSetAffinity(lxcCtrl *ctrl)
{
    const char *cpuset = lxcCtrlCpuset(ctrl->def);
    int hostcpus = virHostInfoGetCPUMap(NULL, NULL);
    virCPUMap map = { NULL, 0 };
    cpu_set_t *set;
    size_t size;
    unsigned int nbits, i;
    int rc;

    if (hostcpus < 0)
        return -1;
    if (cpuset) {
        if (!virCPUMapParse(cpuset, 0, &map)) {
            virReportError(VIR_ERR_INVALID_ARG, "Failed to parse bitmap '%s'", cpuset);
            return -1;
        }
    } else {
        map = virCPUMapNew((unsigned int)hostcpus);
        for (i = 0; i < (unsigned int)hostcpus; i++)
            virCPUMapSet(&map, i);
    }
    nbits = MAX(map.nbits, (unsigned int)CPU_SETSIZE);
    size = CPU_ALLOC_SIZE(nbits);
    set = CPU_ALLOC(nbits);
    CPU_ZERO_S(size, set);
    for (i = 0; i < map.nbits; i++) {
        if (virCPUMapIsSet(&map, i))
            CPU_SET_S(i, size, set);
    }
    g_free(map.bits);
    rc = sched_setaffinity(0, size, set);
    CPU_FREE(set);
    if (rc < 0) {
        virReportSystemError(errno, "cannot set CPU affinity on process %d", 0);
        return -1;
    }
    return 0;
}


/* Apply the definition's tunables, as libvirt's LXC driver does at start:
 * the memory limit (<memory>), <memtune>, <cputune>, <blkiotune> (weight
 * and devices), the cpuset, and the devices the container may use
 * (lxcCgroupSetupDeviceACL). */
static int
lxcCgroupApply(lxcCtrl *ctrl)
{
    const virDomainDef *def = ctrl->def;
    const lxcConfig *cfg = ctrl->cfg;
    lxcCgroup *cg = ctrl->cgroup;
    lxcBlkioDeviceParam p;
    size_t i;

    if (lxcCgroupHas(cg, LXC_CGROUP_MEMORY)) {
        if ((def->memory && lxcCgroupSetMemoryHardLimit(cg, def->memory) < 0) ||
            (def->hardLimit != (unsigned long long)VIR_DOMAIN_MEMORY_PARAM_UNLIMITED &&
             lxcCgroupSetMemoryHardLimit(cg, def->hardLimit) < 0) ||
            (def->softLimit != (unsigned long long)VIR_DOMAIN_MEMORY_PARAM_UNLIMITED &&
             lxcCgroupSetMemorySoftLimit(cg, def->softLimit) < 0) ||
            (def->swapHardLimit != (unsigned long long)VIR_DOMAIN_MEMORY_PARAM_UNLIMITED &&
             lxcCgroupSetMemSwapHardLimit(cg, def->swapHardLimit) < 0))
            return -1;
    }
    if ((cfg->cpuShares && lxcCgroupSetCpuShares(cg, cfg->cpuShares) < 0) ||
        lxcCgroupSetCpuPeriodQuota(cg, cfg->cpuPeriod, cfg->cpuQuota) < 0 ||
        (cfg->blkioWeight && lxcCgroupSetBlkioWeight(cg, cfg->blkioWeight) < 0))
        return -1;
    /* libvirt's order: each device's weight, read / write iops, bytes */
    for (i = 0; i < cfg->nblkioDevs; i++) {
        const lxcBlkioDevice *dev = &cfg->blkioDevs[i];

        for (p = 0; p < LXC_BLKIO_DEVICE_LAST; p++) {
            if (dev->value[p] && lxcCgroupSetBlkioDevice(cg, p, dev->path, dev->value[p]) < 0)
                return -1;
        }
    }
    /* the cpuset where the host has the controller (the affinity holds
     * it anyway) */
    if (lxcCtrlCpuset(def) && lxcCgroupHas(cg, LXC_CGROUP_CPUSET) &&
        lxcCgroupSetCpusetCpus(cg, lxcCtrlCpuset(def)) < 0)
        return -1;
    /* before the child makes its device nodes: they need the ACL's mknod */
    return lxcCgroupSetupDeviceACL(cg, cfg);
}


/* Put pid in the container's cgroups and apply its tunables. A controller
 * the host lacks is not fatal (a warning names it; the calls that need it
 * fail later as libvirt's do); a tunable the host refuses is. */
static int
lxcCgroupSetup(lxcCtrl *ctrl, pid_t pid, int hsfd)
{
    ctrl->cgroup = lxcCgroupNew(ctrl->name);
    if (lxcCgroupCreate(ctrl->cgroup, pid) < 0) {
        g_autofree char *msg = g_strdup_printf("no resource limits for container '%s': %s",
                                               ctrl->name, virGetLastErrorMessage());
        VIR_WARN("%s", msg);
        lxcCtrlMessage(hsfd, "warning", msg);
        return 0;
    }
    if (*ctrl->cgroup->why) {
        g_autofree char *msg = g_strdup_printf("container '%s' runs without: %s", ctrl->name,
                                               ctrl->cgroup->why);
        VIR_WARN("%s", msg);
        lxcCtrlMessage(hsfd, "warning", msg);
    }
    return lxcCgroupApply(ctrl);
}


static void
lxcCgroupCleanup(lxcCtrl *ctrl)
{
    if (ctrl->cgroup)
        lxcCgroupRemove(ctrl->cgroup);
}


/* ------------------------------------------------------------------ */
/* The container's first process (runs in the child of clone())        */

typedef struct {
    char **argv;
    char **envp;
    const char *slavePath;
    const char *hostname;    /* made before clone(): the child only calls syscalls */
    int syncfd;              /* read: the parent says go */
    int errfd;               /* write, close-on-exec: why we failed */
    int *passFds;            /* the child's copy of ctrl->passFds (moved) */
    size_t npassFds;
    bool userns;             /* in a user namespace: become its root once mapped */
    const char *devDir;      /* NULL, or the /dev the controller made (ctrl->devDir) */
    int devFd;               /* the child's: devDir in its own mount namespace, O_PATH */
} lxcChildArgs;

static G_NORETURN void
lxcChildFail(lxcChildArgs *args, const char *what, int err)
{
    char buf[1024];
    int n = snprintf(buf, sizeof(buf), "%s: %s", what, strerror(err));

    if (n > 0 && write(args->errfd, buf, (size_t)n) < 0) {
        /* nothing more to do */
    }
    _exit(127);
}


static int
lxcMkdirP(const char *path)
{
    return g_mkdir_with_parents(path, 0755);
}


static void
lxcChildMountFS(lxcChildArgs *args, const lxcFS *fs, const char *prefix)
{
    g_autofree char *dst = g_strconcat(prefix, strcmp(fs->dst, "/") == 0 ? "" : fs->dst, NULL);
    char what[PATH_MAX + 64];

    if (!*dst) {
        g_free(dst);
        dst = g_strdup("/");
    }
    if (lxcMkdirP(dst) < 0) {
        snprintf(what, sizeof(what), "cannot create mount point %s", dst);
        lxcChildFail(args, what, errno);
    }
    if (fs->type == LXC_FS_RAM) {
        char opts[64];

        if (fs->usageKiB)
            snprintf(opts, sizeof(opts), "size=%lluk", fs->usageKiB);
        else
            opts[0] = '\0';
        if (mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV, opts[0] ? opts : NULL) < 0) {
            snprintf(what, sizeof(what), "cannot mount a tmpfs on %s", dst);
            lxcChildFail(args, what, errno);
        }
    } else {
        if (mount(fs->src, dst, NULL, MS_BIND | MS_REC, NULL) < 0) {
            snprintf(what, sizeof(what), "cannot bind-mount %s on %s", fs->src, dst);
            lxcChildFail(args, what, errno);
        }
    }
    if (fs->readonly &&
        mount(NULL, dst, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0) {
        snprintf(what, sizeof(what), "cannot make %s read-only", dst);
        lxcChildFail(args, what, errno);
    }
}


/* A minimal /dev for a container with its own root: a tmpfs with the
 * harmless character devices bind-mounted from the host. */
static void
lxcChildPopulateDev(lxcChildArgs *args, const char *root)
{
    static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
    g_autofree char *dev = g_build_filename(root, "dev", NULL);
    size_t i;

    if (access(dev, F_OK) < 0)
        return;
    if (mount("devfs", dev, "tmpfs", MS_NOSUID, "mode=755") < 0)
        lxcChildFail(args, "cannot mount a tmpfs on /dev", errno);
    for (i = 0; i < G_N_ELEMENTS(nodes); i++) {
        g_autofree char *src = g_build_filename("/dev", nodes[i], NULL);
        g_autofree char *dst = g_build_filename(dev, nodes[i], NULL);
        int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);

        if (fd >= 0)
            close(fd);
        if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
            lxcChildFail(args, "cannot bind a device node into /dev", errno);
    }
}


/* In a user namespace the /dev tmpfs is the controller's (args->devDir,
 * with every node made and owned by the mapped root: a tmpfs mounted in
 * the container's namespace could hold no usable device node): bound on
 * the root's /dev, through args->devFd (the mapped root may not search
 * the state directory). */
static void
lxcChildBindDev(lxcChildArgs *args, const char *root)
{
    g_autofree char *dev = g_build_filename(root, "dev", NULL);
    char src[64];

    if (access(dev, F_OK) < 0)
        return;     /* a root without /dev: lxcCtrlMakeDev refused its device nodes */
    snprintf(src, sizeof(src), "/proc/self/fd/%d", args->devFd);
    if (mount(src, dev, NULL, MS_BIND, NULL) < 0)
        lxcChildFail(args, "cannot mount the container's /dev", errno);
}


/* The device nodes of the definition's disks and host devices below
 * devDir (the container's /dev), made while the host's devices are in
 * sight, as libvirt's controller makes them: a disk at TARGET, a host
 * device at its own path (below /dev), the host node's type and numbers,
 * mode 0700, owned by uid:gid (the mapped root of a user namespace; -1
 * leaves them root's). On error: -1, what says what failed, *err why. */
static int
lxcMakeDeviceNodes(const lxcConfig *cfg, const char *devDir, uid_t uid, gid_t gid,
                   char *what, size_t whatLen, int *err)
{
    size_t i;

    for (i = 0; i < cfg->ndevs; i++) {
        const lxcDevice *dev = cfg->devs[i];
        g_autofree char *dst = NULL;
        g_autofree char *parent = NULL;
        struct stat sb;

        if ((dev->kind != LXC_DEV_DISK && dev->kind != LXC_DEV_HOSTDEV) || dev->usbMissing)
            continue;       /* missing: an optional USB device the driver did not find */
        /* a root without /dev has no tmpfs there: nothing may be made in its tree */
        if (access(devDir, F_OK) < 0) {
            *err = errno;
            g_strlcpy(what, "the root filesystem has no /dev for the device nodes", whatLen);
            return -1;
        }
        if (!dev->source) {
            snprintf(what, whatLen, "disk %s has no source", dev->target);
            *err = ENOMEDIUM;
            return -1;
        }
        if (stat(dev->source, &sb) < 0) {
            *err = errno;
            snprintf(what, whatLen, "Unable to access %s", dev->source);
            return -1;
        }
        if (dev->chr ? !S_ISCHR(sb.st_mode) : !S_ISBLK(sb.st_mode)) {
            if (dev->usb)
                snprintf(what, whatLen, "USB source %s was not a character device",
                         dev->source);
            else
                snprintf(what, whatLen, "%s source %s must be a %s device",
                         dev->kind == LXC_DEV_DISK ? "Disk" : "Hostdev", dev->source,
                         dev->chr ? "character" : "block");
            *err = dev->chr ? ENODEV : ENOTBLK;
            return -1;
        }
        dst = g_build_filename(devDir, lxcDeviceNodeName(dev), NULL);
        parent = g_path_get_dirname(dst);
        if (lxcMkdirP(parent) < 0) {
            *err = errno;
            snprintf(what, whatLen, "Unable to create %s", parent);
            return -1;
        }
        if (mknod(dst, 0700 | (dev->chr ? S_IFCHR : S_IFBLK), sb.st_rdev) < 0 ||
            (uid != (uid_t)-1 && chown(dst, uid, gid) < 0)) {
            *err = errno;
            snprintf(what, whatLen, "Unable to create device /dev/%s",
                     lxcDeviceNodeName(dev));
            return -1;
        }
    }
    return 0;
}


static void
lxcChildMakeDevices(lxcChildArgs *args, const lxcConfig *cfg, const char *root)
{
    g_autofree char *devDir = g_build_filename(root, "dev", NULL);
    char what[PATH_MAX + 64];
    int err = 0;

    if (lxcMakeDeviceNodes(cfg, devDir, (uid_t)-1, (gid_t)-1, what, sizeof(what), &err) < 0)
        lxcChildFail(args, what, err);
}


/* With a network namespace of its own, a sysfs of it on root's /sys
 * (read-only, as libvirt's). */
static void
lxcChildMountSys(lxcChildArgs *args, const lxcConfig *cfg, const char *root)
{
    g_autofree char *sys = g_build_filename(root, "sys", NULL);

    if (lxcConfigPrivateNet(cfg) && access(sys, F_OK) == 0 &&
        mount("sysfs", sys, "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL) < 0)
        lxcChildFail(args, "cannot mount /sys", errno);
}


static void
lxcChildLoopbackUp(void)
{
    struct ifreq ifr;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return;
    memset(&ifr, 0, sizeof(ifr));
    g_strlcpy(ifr.ifr_name, "lo", sizeof(ifr.ifr_name));
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) {
            /* a container without a working loopback still runs */
        }
    }
    close(fd);
}


/* The init's descriptors above stderr: the passed ones as 3, 4, ... in
 * order, every other one close-on-exec (the error pipe must stay until
 * the exec, which then closes them all). Each is first copied above the
 * numbers they go to, so that no dup2 hits one not yet moved. */
static void
lxcChildSetupFDs(lxcChildArgs *args)
{
    int top = STDERR_FILENO + 1 + (int)args->npassFds;
    size_t i;
    int fd;

    if (args->errfd < top) {
        if ((fd = fcntl(args->errfd, F_DUPFD_CLOEXEC, top)) < 0)
            lxcChildFail(args, "cannot move the error pipe", errno);
        args->errfd = fd;
    }
    for (i = 0; i < args->npassFds; i++) {
        if ((fd = fcntl(args->passFds[i], F_DUPFD_CLOEXEC, top)) < 0)
            lxcChildFail(args, "cannot move a passed file", errno);
        args->passFds[i] = fd;
    }
    for (i = 0; i < args->npassFds; i++) {
        if (dup2(args->passFds[i], STDERR_FILENO + 1 + (int)i) < 0)
            lxcChildFail(args, "cannot pass a file to the init", errno);
    }
    if (syscall(SYS_close_range, (unsigned int)top, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
        /* before Linux 5.11: one by one, up to the limit */
        long max = sysconf(_SC_OPEN_MAX);

        for (fd = top; fd < (max > 0 ? max : 65536); fd++)
            fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
}


static G_NORETURN void
lxcChild(lxcCtrl *ctrl, lxcChildArgs *args)
{
    const lxcFS *root = lxcConfigRootFS(ctrl->cfg);
    const char *prefix = root ? root->src : "";
    sigset_t all;
    char go;
    ssize_t n;
    size_t i;
    int fd;

    /* Wait until the parent has put us in our cgroup. */
    do {
        n = read(args->syncfd, &go, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1)
        _exit(126);     /* the parent failed: it reports why */
    close(args->syncfd);

    /* Our copy of the controller's /dev, while we are still the host's root
     * to the file system (the mount of a descriptor opened before clone()
     * is in the controller's namespace: not ours to bind). */
    if (args->devDir &&
        (args->devFd = open(args->devDir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        lxcChildFail(args, "cannot open the container's /dev", errno);
    /* The maps are written: become the namespace's root (the kernel keeps
     * our capabilities in it), no supplementary groups, as libvirt's init. */
    if (args->userns &&
        (syscall(SYS_setresgid, 0, 0, 0) < 0 || syscall(SYS_setgroups, 0, NULL) < 0 ||
         syscall(SYS_setresuid, 0, 0, 0) < 0))
        lxcChildFail(args, "setuid or setgid failed", errno);

    /* Die with the controller, whatever happens to it. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
        lxcChildFail(args, "cannot set the parent death signal", errno);
    /* The console, while the host's /dev/pts is still in sight (a root
     * file system of the container's own hides it). */
    if ((fd = open(args->slavePath, O_RDWR | O_NOCTTY)) < 0)
        lxcChildFail(args, "cannot open the console", errno);

    /* Mounts: nothing we do here may reach the host. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        lxcChildFail(args, "cannot make the mounts private", errno);
    if (root) {
        if (mount(root->src, root->src, NULL, MS_BIND | MS_REC, NULL) < 0)
            lxcChildFail(args, "cannot bind-mount the root filesystem", errno);
    }
    for (i = 0; i < ctrl->cfg->nfss; i++) {
        if (&ctrl->cfg->fss[i] == root)
            continue;
        lxcChildMountFS(args, &ctrl->cfg->fss[i], prefix);
    }
    if (root) {
        g_autofree char *proc = g_build_filename(root->src, "proc", NULL);

        if (args->devDir) {
            lxcChildBindDev(args, root->src);
        } else {
            lxcChildPopulateDev(args, root->src);
            lxcChildMakeDevices(args, ctrl->cfg, root->src);
        }
        if (access(proc, F_OK) == 0 &&
            mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
            lxcChildFail(args, "cannot mount /proc", errno);
        /* before the host's sysfs goes out of sight: in a user namespace
         * the kernel allows a new one only while another is visible */
        lxcChildMountSys(args, ctrl->cfg, root->src);
        if (chdir(root->src) < 0)
            lxcChildFail(args, "cannot enter the root filesystem", errno);
        if (syscall(SYS_pivot_root, ".", ".") < 0)
            lxcChildFail(args, "cannot pivot to the root filesystem", errno);
        if (umount2(".", MNT_DETACH) < 0)
            lxcChildFail(args, "cannot detach the host's root", errno);
        if (chdir("/") < 0)
            lxcChildFail(args, "cannot change to /", errno);
        if (root->readonly && mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
            lxcChildFail(args, "cannot make the root read-only", errno);
    } else {
        if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
            lxcChildFail(args, "cannot mount /proc", errno);
        lxcChildMountSys(args, ctrl->cfg, "/");
    }

    if (sethostname(args->hostname, strlen(args->hostname)) < 0)
        lxcChildFail(args, "cannot set the host name", errno);
    if (lxcConfigPrivateNet(ctrl->cfg))
        lxcChildLoopbackUp();

    /* The console: a session of our own with the pty as its terminal. */
    if (setsid() < 0)
        lxcChildFail(args, "cannot start a session", errno);
    if (ioctl(fd, TIOCSCTTY, 0) < 0)
        lxcChildFail(args, "cannot make the pty the controlling terminal", errno);
    if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
        lxcChildFail(args, "cannot set up stdio", errno);
    if (fd > 2)
        close(fd);

    if (chdir(ctrl->cfg->initdir ? ctrl->cfg->initdir : "/") < 0)
        lxcChildFail(args, "cannot change to the init directory", errno);
    lxcChildSetupFDs(args);

    for (i = 1; i < NSIG; i++)
        signal((int)i, SIG_DFL);
    sigfillset(&all);
    sigprocmask(SIG_UNBLOCK, &all, NULL);

    execve(args->argv[0], args->argv, args->envp);
    lxcChildFail(args, "cannot execute the init", errno);
}


static char **
lxcBuildEnv(lxcCtrl *ctrl)
{
    GPtrArray *env = g_ptr_array_new();
    char uuid[VIR_UUID_STRING_BUFLEN];
    size_t i;

    virDomainUUIDFormat(ctrl->def->uuid, uuid);
    /* the variables libvirt's containers get, so their inits behave the same */
    g_ptr_array_add(env, g_strdup("PATH=/bin:/sbin:/usr/bin:/usr/sbin"));
    g_ptr_array_add(env, g_strdup("TERM=linux"));
    g_ptr_array_add(env, g_strdup("container=lxc-libvirt"));
    g_ptr_array_add(env, g_strdup("HOME=/"));
    g_ptr_array_add(env, g_strdup_printf("container_uuid=%s", uuid));
    g_ptr_array_add(env, g_strdup_printf("LIBVIRT_LXC_UUID=%s", uuid));
    g_ptr_array_add(env, g_strdup_printf("LIBVIRT_LXC_NAME=%s", ctrl->name));
    for (i = 0; i < ctrl->cfg->nenv; i++)
        g_ptr_array_add(env, g_strdup(ctrl->cfg->env[i]));
    g_ptr_array_add(env, NULL);
    return (char **)g_ptr_array_free(env, FALSE);
}


/* The veth pairs and macvlan links of the definition's interfaces, the
 * container ends in the new network namespace of the init (still waiting
 * to be released). Each goes to the driver as "interface NTH HOST PEER
 * GUEST" (NTH: its index among the <interface>s; HOST "-": none) for the
 * live XML; a failure as "neterror CODE DOMAIN MESSAGE" (MESSAGE
 * C-escaped), raised as it is
 * (libvirt makes them in the daemon, its errors are not wrapped). The container ends are
 * named eth0, eth1, ... unless <guest dev> names them, as libvirt's. */
static int
lxcCtrlSetupInterfaces(lxcCtrl *ctrl, int hsfd)
{
    size_t i, n = 0;
    int nsFd = -1, rc = -1;

    for (i = 0; i < ctrl->cfg->ndevs; i++) {
        const lxcDevice *dev = ctrl->cfg->devs[i];
        g_autofree char *guest = NULL;
        g_autofree char *line = NULL;
        g_autofree char *peer = NULL;
        char *host = NULL;
        int index = 0, inside = 0;

        if (dev->kind != LXC_DEV_NET)
            continue;
        if (nsFd < 0 && (nsFd = lxcNetOpenNamespace(ctrl->initPid)) < 0)
            goto cleanup;
        guest = dev->netGuest ? g_strdup(dev->netGuest) : g_strdup_printf("eth%zu", n++);
        /* a macvlan made before a failure goes with the failed start's namespace */
        if (lxcNetSetup(dev, nsFd, guest, &host, &peer, &index, &inside) < 0)
            goto cleanup;
        if (host) {
            g_ptr_array_add(ctrl->netHosts, host);
            g_array_append_val(ctrl->netIndexes, index);
        }
        if (inside > 0)
            g_array_append_val(ctrl->netInside, inside);
        /* "-": no host end (a macvlan: libvirt shows its <target dev> only when given) */
        line = g_strdup_printf("%zu %s %s %s", dev->nth, host ? host : dev->netHost ? dev->netHost
                               : "-", peer, guest);
        lxcCtrlMessage(hsfd, "interface", line);
    }
    rc = 0;
 cleanup:
    if (rc < 0) {
        /* libvirt makes them in the daemon: its error, as it is, for the driver */
        virError *err = virGetLastError();
        /* escaped: a tool's stderr has newlines, the handshake is lines */
        g_autofree char *msg = g_strescape(virGetLastErrorMessage(), NULL);
        g_autofree char *text = g_strdup_printf("%d %d %s", err ? err->code : VIR_ERR_INTERNAL_ERROR,
                                                err ? err->domain : VIR_FROM_LXC, msg);

        lxcCtrlMessage(hsfd, "neterror", text);
    }
    if (rc == 0 && ctrl->netInside->len > 0)
        ctrl->netNsFd = nsFd;
    else
        VIR_FORCE_CLOSE(nsFd);
    return rc;
}


/* Remove the pairs and macvlan links made at start: the end of the
 * container's namespace would, but later (the kernel cleans namespaces up
 * asynchronously; a passthrough's host link takes no other meanwhile). */
static void
lxcCtrlTeardownInterfaces(lxcCtrl *ctrl)
{
    guint i;

    for (i = 0; i < ctrl->netHosts->len; i++)
        lxcNetTeardown(g_ptr_array_index(ctrl->netHosts, i),
                       g_array_index(ctrl->netIndexes, int, i), false);
    g_ptr_array_set_size(ctrl->netHosts, 0);
    g_array_set_size(ctrl->netIndexes, 0);
    lxcNetDeleteInside(ctrl->netNsFd, ctrl->netInside);
    g_array_set_size(ctrl->netInside, 0);
    VIR_FORCE_CLOSE(ctrl->netNsFd);
}


/* ------------------------------------------------------------------ */
/* User namespaces (<idmap>)                                           */

/* The host IDs the container's root is (the maps start at 0). */
static uid_t
lxcCtrlRootUid(const lxcCtrl *ctrl)
{
    return ctrl->def->nuidmap ? ctrl->def->uidmap[0].target : (uid_t)-1;
}

static gid_t
lxcCtrlRootGid(const lxcCtrl *ctrl)
{
    return ctrl->def->ngidmap ? ctrl->def->gidmap[0].target : (gid_t)-1;
}


/* The /dev of a container in a user namespace with a root of its own, as
 * libvirt's controller makes it: a small tmpfs at DIR/NAME.dev (NAME: the
 * parsed domain name, which has no '/'), mounted in a mount namespace of
 * the controller's own that the container's is copied from (the host
 * never sees it), the usual character devices and the definition's
 * device nodes made there, all of it owned by the mapped root. */
static int
lxcCtrlMakeDev(lxcCtrl *ctrl, const char *root)
{
    static const struct {
        const char *name;
        unsigned int major, minor;
    } nodes[] = {
        { "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 }, { "random", 1, 8 },
        { "urandom", 1, 9 }, { "tty", 5, 0 },
    };
    g_autofree char *rootDev = g_build_filename(root, "dev", NULL);
    uid_t uid = lxcCtrlRootUid(ctrl);
    gid_t gid = lxcCtrlRootGid(ctrl);
    char what[PATH_MAX + 64];
    int err = 0;
    size_t i;

    if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0) {
        virReportSystemError(errno, "%s", "cannot make a mount namespace for the container's /dev");
        return -1;
    }
    ctrl->devDir = g_strdup_printf("%s/%s.dev", ctrl->stateDir, ctrl->def->name);
    if ((mkdir(ctrl->devDir, 0755) < 0 && errno != EEXIST) ||
        mount("devfs", ctrl->devDir, "tmpfs", MS_NOSUID, "mode=755,size=65536") < 0 ||
        chown(ctrl->devDir, uid, gid) < 0) {
        virReportSystemError(errno, "cannot mount a tmpfs on %s", ctrl->devDir);
        return -1;
    }
    for (i = 0; i < G_N_ELEMENTS(nodes); i++) {
        g_autofree char *path = g_build_filename(ctrl->devDir, nodes[i].name, NULL);

        if (mknod(path, S_IFCHR, makedev(nodes[i].major, nodes[i].minor)) < 0 ||
            chmod(path, 0666) < 0 || chown(path, uid, gid) < 0) {
            virReportSystemError(errno, "Failed to make device %s", path);
            return -1;
        }
    }
    /* a root without /dev gets none: its device nodes are refused, as without <idmap> */
    if (lxcMakeDeviceNodes(ctrl->cfg, access(rootDev, F_OK) == 0 ? ctrl->devDir : rootDev,
                           uid, gid, what, sizeof(what), &err) < 0) {
        virReportError(VIR_ERR_OPERATION_FAILED, "container '%s' failed to start: %s: %s",
                       ctrl->name, what, g_strerror(err));
        return -1;
    }
    return 0;
}


/* /proc/PID/FILE (uid_map, gid_map) from the definition, in one write as
 * the kernel wants; it refuses overlapping or empty ranges (EINVAL), as
 * it does libvirt's. */
static int
lxcCtrlWriteIdMap(pid_t pid, const char *file, const virDomainIdMapEntry *map, size_t n)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/%s", (int)pid, file);
    g_autoptr(GString) text = g_string_new(NULL);
    size_t i;
    int fd;

    /* the kernel's limit of lines, checked with libvirt's words */
    if (n > 340) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Too many id mappings defined.");
        return -1;
    }
    for (i = 0; i < n; i++)
        g_string_append_printf(text, "%u %u %u\n", map[i].start, map[i].target, map[i].count);
    if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0 ||
        write(fd, text->str, text->len) != (ssize_t)text->len) {
        virReportSystemError(errno, "unable write to %s", path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (close(fd) < 0) {
        virReportSystemError(errno, "unable write to %s", path);
        return -1;
    }
    return 0;
}


/* Remove the /dev tmpfs's mount point (the mount itself ends with our
 * namespace). */
static void
lxcCtrlRemoveDev(lxcCtrl *ctrl)
{
    if (!ctrl->devDir)
        return;
    if (umount2(ctrl->devDir, MNT_DETACH) < 0)
        VIR_DEBUG("cannot unmount %s: %s", ctrl->devDir, g_strerror(errno));
    if (rmdir(ctrl->devDir) < 0)
        VIR_DEBUG("cannot remove %s: %s", ctrl->devDir, g_strerror(errno));
}


/* Create the container; on error report, and the caller tells the driver. */
static int
lxcCtrlStartContainer(lxcCtrl *ctrl, int hsfd)
{
    g_auto(GStrv) argv = NULL;
    g_auto(GStrv) envp = NULL;
    lxcChildArgs args = { .devFd = -1 };
    g_autofree char *hostname = lxcHostName(ctrl->name);
    int syncfds[2] = { -1, -1 }, errfds[2] = { -1, -1 };
    unsigned long flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC;
    const char *slave;
    struct termios tio;
    char errbuf[1024];
    ssize_t n;
    size_t i;
    long pid;

    if ((ctrl->ptyMaster = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 ||
        grantpt(ctrl->ptyMaster) < 0 || unlockpt(ctrl->ptyMaster) < 0 ||
        !(slave = ptsname(ctrl->ptyMaster))) {
        virReportSystemError(errno, "%s", "cannot allocate a pty for the console");
        return -1;
    }
    args.slavePath = slave;
    args.hostname = hostname;
    if ((ctrl->ptySlave = open(slave, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "cannot open %s", slave);
        return -1;
    }
    /* A terminal's usual settings, as a console has (see the top). */
    if (tcgetattr(ctrl->ptySlave, &tio) == 0) {
        tio.c_iflag |= ICRNL;
        tio.c_oflag |= OPOST | ONLCR;
        tio.c_lflag |= ICANON | ECHO | ECHOE | ISIG;
        tcsetattr(ctrl->ptySlave, TCSANOW, &tio);
    }
    virSetNonBlock(ctrl->ptyMaster);

    argv = g_new0(char *, ctrl->def->ninitargs + 2);
    argv[0] = g_strdup(ctrl->def->init ? ctrl->def->init : "/sbin/init");
    for (i = 0; i < ctrl->def->ninitargs; i++)
        argv[i + 1] = g_strdup(ctrl->def->initargs[i]);
    envp = lxcBuildEnv(ctrl);
    args.argv = argv;
    args.envp = envp;
    args.passFds = ctrl->passFds;
    args.npassFds = ctrl->npassFds;

    if (pipe2(syncfds, O_CLOEXEC) < 0 || pipe2(errfds, O_CLOEXEC) < 0) {
        virReportSystemError(errno, "%s", "cannot create pipes");
        goto error;
    }
    args.syncfd = syncfds[0];
    args.errfd = errfds[1];
    if (lxcCtrlSetAffinity(ctrl) < 0)
        goto error;
    if (lxcConfigPrivateNet(ctrl->cfg))
        flags |= CLONE_NEWNET;
    if (ctrl->def->nuidmap) {
        const lxcFS *root = lxcConfigRootFS(ctrl->cfg);

        /* The container's root is ours to map: its console its own, its
         * /dev (with a root of its own) made here (lxcCtrlMakeDev). */
        flags |= CLONE_NEWUSER;
        args.userns = true;
        if (fchown(ctrl->ptySlave, lxcCtrlRootUid(ctrl), lxcCtrlRootGid(ctrl)) < 0) {
            virReportSystemError(errno, "Failed to change owner of %s to %u:%u", slave,
                                 (unsigned int)lxcCtrlRootUid(ctrl),
                                 (unsigned int)lxcCtrlRootGid(ctrl));
            goto error;
        }
        if (root && lxcCtrlMakeDev(ctrl, root->src) < 0)
            goto error;
        args.devDir = ctrl->devDir;
    }

    /* Like fork(), in new namespaces: the child runs on a copy of our
     * stack. We have no other thread yet. */
    pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid < 0) {
        virReportSystemError(errno, "%s",
                             "cannot create the container's namespaces (clone)");
        goto error;
    }
    if (pid == 0) {
        close(syncfds[1]);
        close(errfds[0]);
        close(hsfd);
        lxcChild(ctrl, &args);
    }
    ctrl->initPid = (pid_t)pid;
    VIR_FORCE_CLOSE(syncfds[0]);
    VIR_FORCE_CLOSE(errfds[1]);

    /* the maps before the interfaces, as libvirt's controller: the init
     * waits for both */
    if (lxcCgroupSetup(ctrl, ctrl->initPid, hsfd) < 0 ||
        (ctrl->def->nuidmap &&
         (lxcCtrlWriteIdMap(ctrl->initPid, "uid_map", ctrl->def->uidmap, ctrl->def->nuidmap) < 0 ||
          lxcCtrlWriteIdMap(ctrl->initPid, "gid_map", ctrl->def->gidmap, ctrl->def->ngidmap) < 0)) ||
        lxcCtrlSetupInterfaces(ctrl, hsfd) < 0)
        goto error_kill;

    if (write(syncfds[1], "g", 1) != 1) {
        virReportSystemError(errno, "%s", "cannot release the container's init");
        goto error_kill;
    }
    VIR_FORCE_CLOSE(syncfds[1]);

    /* EOF: the exec happened. Text: why it did not. */
    do {
        n = read(errfds[0], errbuf, sizeof(errbuf) - 1);
    } while (n < 0 && errno == EINTR);
    VIR_FORCE_CLOSE(errfds[0]);
    if (n > 0) {
        errbuf[n] = '\0';
        virReportError(VIR_ERR_OPERATION_FAILED, "container '%s' failed to start: %s",
                       ctrl->name, errbuf);
        waitpid(ctrl->initPid, NULL, 0);
        ctrl->initPid = 0;
        return -1;
    }

    if ((ctrl->pidfd = (int)syscall(SYS_pidfd_open, ctrl->initPid, 0)) < 0) {
        virReportSystemError(errno, "%s", "cannot watch the container's init (pidfd_open)");
        goto error_kill;
    }
    virSetCloseExec(ctrl->pidfd);
    return 0;

 error_kill:
    kill(ctrl->initPid, SIGKILL);
    waitpid(ctrl->initPid, NULL, 0);
    ctrl->initPid = 0;
 error:
    VIR_FORCE_CLOSE(syncfds[0]);
    VIR_FORCE_CLOSE(syncfds[1]);
    VIR_FORCE_CLOSE(errfds[0]);
    VIR_FORCE_CLOSE(errfds[1]);
    return -1;
}


/* ------------------------------------------------------------------ */
/* Console                                                             */

static void lxcCtrlConsoleUpdate(lxcCtrl *ctrl);

static void
lxcCtrlConsoleDisconnect(lxcCtrl *ctrl)
{
    if (ctrl->conWatch > 0)
        virEventLoopRemoveHandle(ctrl->loop, ctrl->conWatch);
    ctrl->conWatch = -1;
    VIR_FORCE_CLOSE(ctrl->conFd);
    ctrl->conOutLen = ctrl->conInLen = 0;
}


/* Write what waits for the client; a client that is gone is dropped. */
static void
lxcCtrlConsoleFlushOut(lxcCtrl *ctrl)
{
    while (ctrl->conFd >= 0 && ctrl->conOutLen > 0) {
        ssize_t n = write(ctrl->conFd, ctrl->conOut, ctrl->conOutLen);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n < 0) {
            VIR_DEBUG("console client gone: %s", g_strerror(errno));
            lxcCtrlConsoleDisconnect(ctrl);
            return;
        }
        memmove(ctrl->conOut, ctrl->conOut + n, ctrl->conOutLen - n);
        ctrl->conOutLen -= n;
    }
}


/* Write what the client typed into the pty. */
static void
lxcCtrlConsoleFlushIn(lxcCtrl *ctrl)
{
    while (ctrl->conInLen > 0) {
        ssize_t n = write(ctrl->ptyMaster, ctrl->conIn, ctrl->conInLen);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            if (errno != EAGAIN)
                ctrl->conInLen = 0;     /* nobody reads the console any more */
            return;
        }
        memmove(ctrl->conIn, ctrl->conIn + n, ctrl->conInLen - n);
        ctrl->conInLen -= n;
    }
}


/* Read the pty: to the log, and to the client's buffer (only as much as
 * it has room for). all: everything there is (the init ended; what does
 * not fit the client's buffer only goes to the log). */
static void
lxcCtrlCopyConsole(lxcCtrl *ctrl, bool all)
{
    char buf[16384];

    for (;;) {
        size_t room = ctrl->conFd >= 0 ? sizeof(ctrl->conOut) - ctrl->conOutLen : sizeof(buf);
        ssize_t n;

        if (!all && room == 0)
            return;
        n = read(ctrl->ptyMaster, buf, all ? sizeof(buf) : MIN(room, sizeof(buf)));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        if (write(ctrl->logfd, buf, (size_t)n) < 0) {
            /* the log is best effort; the client still gets it */
        }
        if (ctrl->conFd >= 0) {
            size_t keep = MIN((size_t)n, room);

            memcpy(ctrl->conOut + ctrl->conOutLen, buf, keep);
            ctrl->conOutLen += keep;
            lxcCtrlConsoleFlushOut(ctrl);
        }
    }
}


static void
lxcCtrlConsoleReadable(int watch G_GNUC_UNUSED, int fd G_GNUC_UNUSED, int events,
                       void *opaque)
{
    lxcCtrl *ctrl = opaque;

    if (events & VIR_EVENT_HANDLE_WRITABLE)
        lxcCtrlConsoleFlushIn(ctrl);
    if (events & (VIR_EVENT_HANDLE_READABLE | VIR_EVENT_HANDLE_HANGUP | VIR_EVENT_HANDLE_ERROR))
        lxcCtrlCopyConsole(ctrl, false);
    if (events & (VIR_EVENT_HANDLE_HANGUP | VIR_EVENT_HANDLE_ERROR)) {
        virEventLoopRemoveHandle(ctrl->loop, ctrl->ptyWatch);
        ctrl->ptyWatch = -1;
    }
    lxcCtrlConsoleUpdate(ctrl);
}


static void
lxcCtrlConsoleClientEvent(int watch G_GNUC_UNUSED, int fd G_GNUC_UNUSED, int events,
                          void *opaque)
{
    lxcCtrl *ctrl = opaque;

    if (events & VIR_EVENT_HANDLE_WRITABLE)
        lxcCtrlConsoleFlushOut(ctrl);
    if (ctrl->conFd >= 0 &&
        (events & (VIR_EVENT_HANDLE_READABLE | VIR_EVENT_HANDLE_HANGUP | VIR_EVENT_HANDLE_ERROR))) {
        ssize_t n = read(ctrl->conFd, ctrl->conIn + ctrl->conInLen,
                         sizeof(ctrl->conIn) - ctrl->conInLen);

        if (n > 0) {
            ctrl->conInLen += n;
            lxcCtrlConsoleFlushIn(ctrl);
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            VIR_DEBUG("console client disconnected");
            lxcCtrlConsoleDisconnect(ctrl);
        }
    }
    /* Room again: the pty may be read. */
    if (ctrl->ptyWatch > 0)
        lxcCtrlCopyConsole(ctrl, false);
    lxcCtrlConsoleUpdate(ctrl);
}


/* The watches follow the buffers. */
static void
lxcCtrlConsoleUpdate(lxcCtrl *ctrl)
{
    if (ctrl->ptyWatch > 0) {
        int events = 0;

        if (ctrl->conFd < 0 || ctrl->conOutLen < sizeof(ctrl->conOut))
            events |= VIR_EVENT_HANDLE_READABLE;
        if (ctrl->conInLen > 0)
            events |= VIR_EVENT_HANDLE_WRITABLE;
        virEventLoopUpdateHandle(ctrl->loop, ctrl->ptyWatch, events);
    }
    if (ctrl->conWatch > 0) {
        int events = 0;

        if (ctrl->conInLen < sizeof(ctrl->conIn))
            events |= VIR_EVENT_HANDLE_READABLE;
        if (ctrl->conOutLen > 0)
            events |= VIR_EVENT_HANDLE_WRITABLE;
        virEventLoopUpdateHandle(ctrl->loop, ctrl->conWatch, events);
    }
}


/* A console client connects: it replaces the one before. */
static void
lxcCtrlConsoleAccept(int watch G_GNUC_UNUSED, int fd, int events G_GNUC_UNUSED, void *opaque)
{
    lxcCtrl *ctrl = opaque;
    int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

    if (cfd < 0) {
        if (errno != EAGAIN && errno != EINTR)
            VIR_WARN("cannot accept a console client: %s", g_strerror(errno));
        return;
    }
    if (ctrl->pidWatch < 0) {
        close(cfd);     /* the init ended: no console any more */
        return;
    }
    if (ctrl->conFd >= 0)
        VIR_DEBUG("a new console client replaces the one before");
    lxcCtrlConsoleDisconnect(ctrl);
    ctrl->conFd = cfd;
    if ((ctrl->conWatch = virEventLoopAddHandle(ctrl->loop, cfd, VIR_EVENT_HANDLE_READABLE,
                                                lxcCtrlConsoleClientEvent, ctrl, NULL)) < 0) {
        VIR_WARN("cannot watch the console client: %s", virGetLastErrorMessage());
        lxcCtrlConsoleDisconnect(ctrl);
    }
    lxcCtrlConsoleUpdate(ctrl);
}


/* The init ended: the console's last output, then the client goes. */
static void
lxcCtrlConsoleEnd(lxcCtrl *ctrl)
{
    lxcCtrlCopyConsole(ctrl, true);
    if (ctrl->ptyWatch > 0) {
        virEventLoopRemoveHandle(ctrl->loop, ctrl->ptyWatch);
        ctrl->ptyWatch = -1;
    }
    if (ctrl->conFd >= 0) {
        /* What fits the socket now; the daemon then sees the end. */
        lxcCtrlConsoleFlushOut(ctrl);
        lxcCtrlConsoleDisconnect(ctrl);
    }
    if (ctrl->conListenWatch > 0)
        virEventLoopRemoveHandle(ctrl->loop, ctrl->conListenWatch);
    ctrl->conListenWatch = -1;
}


/* ------------------------------------------------------------------ */
/* The monitor: clients, INIT, EXIT                                    */

static void
lxcCtrlSendExitLocked(lxcCtrl *ctrl, virNetServerClient *client)
{
    lxc_monitor_exit_event_msg msg = { .status = ctrl->exitStatus };

    VIR_DEBUG("sending EXIT (status %d) to client %llu", ctrl->exitStatus,
              virNetServerClientGetID(client));
    if (lxcMonitorSendExitEvent(ctrl->prog, client, &msg) == 0)
        ctrl->exitSent = true;
    virNetServerClientDelayedClose(client);
}


static void
lxcCtrlCheckQuitLocked(lxcCtrl *ctrl)
{
    if (ctrl->exited && ctrl->exitSent && ctrl->clients->len == 0 &&
        ctrl->newClients->len == 0) {
        VIR_DEBUG("EXIT delivered and every client gone: quitting from a timer");
        virEventLoopUpdateTimeout(ctrl->loop, ctrl->quitTimer, 0);
    }
}


/* New clients get INIT, and EXIT when the init already ended. From a
 * timer, so that the client's I/O has been set up. */
static void
lxcCtrlGreet(int timer G_GNUC_UNUSED, void *opaque)
{
    lxcCtrl *ctrl = opaque;

    g_mutex_lock(&ctrl->lock);
    virEventLoopUpdateTimeout(ctrl->loop, ctrl->greetTimer, -1);
    while (ctrl->newClients->len > 0) {
        virNetServerClient *client = g_ptr_array_steal_index(ctrl->newClients, 0);
        lxc_monitor_init_event_msg init = { .initpid = (uint64_t)ctrl->initPid };

        g_ptr_array_add(ctrl->clients, client);
        if (ctrl->initPid > 0 && lxcMonitorSendInitEvent(ctrl->prog, client, &init) < 0)
            VIR_DEBUG("client %llu gone before INIT", virNetServerClientGetID(client));
        if (ctrl->agentRunning && !ctrl->exited) {
            lxc_monitor_agent_event_msg agent = { .state = LXC_MONITOR_AGENT_STARTED };

            if (lxcMonitorSendAgentEvent(ctrl->prog, client, &agent) < 0)
                VIR_DEBUG("client %llu gone before AGENT", virNetServerClientGetID(client));
        }
        if (ctrl->exited)
            lxcCtrlSendExitLocked(ctrl, client);
    }
    if (ctrl->exitSent && ctrl->pendingTimer > 0)
        virEventLoopUpdateTimeout(ctrl->loop, ctrl->pendingTimer, -1);
    g_mutex_unlock(&ctrl->lock);
}


/* A client's connection closed (any thread, without the client lock). */
static void
lxcCtrlClientClosed(virNetServerClient *client, void *data G_GNUC_UNUSED)
{
    lxcCtrl *ctrl = theCtrl;

    g_mutex_lock(&ctrl->lock);
    if (g_ptr_array_remove(ctrl->clients, client) ||
        g_ptr_array_remove(ctrl->newClients, client))
        virNetServerClientUnref(client);
    lxcCtrlCheckQuitLocked(ctrl);
    g_mutex_unlock(&ctrl->lock);
}


static int
lxcCtrlClientInit(virNetServer *srv G_GNUC_UNUSED, virNetServerClient *client, void *opaque)
{
    lxcCtrl *ctrl = opaque;

    VIR_DEBUG("monitor client %llu connected", virNetServerClientGetID(client));
    virNetServerClientSetPrivateData(client, ctrl, NULL);
    virNetServerClientSetPrivateDataCloseFunc(client, lxcCtrlClientClosed);
    g_mutex_lock(&ctrl->lock);
    g_ptr_array_add(ctrl->newClients, virNetServerClientRef(client));
    virEventLoopUpdateTimeout(ctrl->loop, ctrl->greetTimer, 0);
    g_mutex_unlock(&ctrl->lock);
    return 0;
}


/* The record that outlives us: the driver reads it when it finds this
 * controller gone without having received EXIT. */
static void
lxcCtrlWriteExitRecord(lxcCtrl *ctrl)
{
    static const char *const names[] = { "error\n", "shutdown\n", "reboot\n" };
    const char *text = names[ctrl->exitStatus];

    if (virFileWriteAtomic(ctrl->exitPath, text, strlen(text), 0600) < 0) {
        VIR_WARN("cannot record the exit of '%s': %s", ctrl->name, virGetLastErrorMessage());
        virResetLastError();
    }
}


static void lxcCtrlPendingExpired(int timer, void *opaque);

static void
lxcCtrlInitExited(int watch G_GNUC_UNUSED, int fd G_GNUC_UNUSED, int events G_GNUC_UNUSED,
                  void *opaque)
{
    lxcCtrl *ctrl = opaque;
    siginfo_t si;
    guint i;

    memset(&si, 0, sizeof(si));
    if (waitid(P_PID, (id_t)ctrl->initPid, &si, WEXITED | WNOHANG) < 0) {
        if (errno == EINTR)
            return;
        VIR_WARN("cannot reap the init of '%s': %s", ctrl->name, g_strerror(errno));
        si.si_code = CLD_EXITED;
    } else if (si.si_pid == 0) {
        return;     /* not yet */
    }
    if (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED)
        VIR_INFO("init of '%s' killed by signal %d", ctrl->name, si.si_status);
    else
        VIR_INFO("init of '%s' exited with status %d", ctrl->name, si.si_status);

    virEventLoopRemoveHandle(ctrl->loop, ctrl->pidWatch);
    ctrl->pidWatch = -1;
    lxcAgentProcessStop(ctrl->agent);
    VIR_FORCE_CLOSE(ctrl->pidfd);
    lxcCtrlTeardownInterfaces(ctrl);
    /* whatever the container wrote last goes to the log before EXIT */
    lxcCtrlConsoleEnd(ctrl);

    g_mutex_lock(&ctrl->lock);
    ctrl->exited = true;
    ctrl->exitStatus = (si.si_code == CLD_KILLED && si.si_status == SIGHUP) ?
                       LXC_MONITOR_EXIT_STATUS_REBOOT : LXC_MONITOR_EXIT_STATUS_SHUTDOWN;
    lxcCtrlWriteExitRecord(ctrl);
    for (i = 0; i < ctrl->clients->len; i++)
        lxcCtrlSendExitLocked(ctrl, g_ptr_array_index(ctrl->clients, i));
    if (!ctrl->exitSent && ctrl->newClients->len == 0) {
        VIR_DEBUG("no client connected: EXIT pending for at most %d s", ctrl->exitTimeout);
        ctrl->pendingTimer = virEventLoopAddTimeout(ctrl->loop, ctrl->exitTimeout * 1000,
                                                    lxcCtrlPendingExpired, ctrl, NULL);
    }
    lxcCtrlCheckQuitLocked(ctrl);
    g_mutex_unlock(&ctrl->lock);
}


static void
lxcCtrlQuit(int timer G_GNUC_UNUSED, void *opaque)
{
    lxcCtrl *ctrl = opaque;

    virEventLoopUpdateTimeout(ctrl->loop, ctrl->quitTimer, -1);
    virEventLoopQuit(ctrl->loop);
}


static void
lxcCtrlPendingExpired(int timer G_GNUC_UNUSED, void *opaque)
{
    lxcCtrl *ctrl = opaque;

    g_mutex_lock(&ctrl->lock);
    if (!ctrl->exitSent && (ctrl->clients->len > 0 || ctrl->newClients->len > 0)) {
        /* A client came just now and is being greeted: EXIT goes to it.
         * The timer stays armed in case that client leaves first. */
        g_mutex_unlock(&ctrl->lock);
        return;
    }
    if (!ctrl->exitSent) {
        VIR_WARN("no monitor client came within %d s to take the EXIT of '%s'; quitting "
                 "(the reason stays in %s)", ctrl->exitTimeout, ctrl->name, ctrl->exitPath);
        virEventLoopQuit(ctrl->loop);
    }
    virEventLoopUpdateTimeout(ctrl->loop, ctrl->pendingTimer, -1);
    g_mutex_unlock(&ctrl->lock);
}


/* The agent started or ended: every greeted client hears of it. */
static void
lxcCtrlAgentChanged(lxcAgentProcess *ap G_GNUC_UNUSED, bool started, void *opaque)
{
    lxcCtrl *ctrl = opaque;
    lxc_monitor_agent_event_msg msg = {
        .state = started ? LXC_MONITOR_AGENT_STARTED : LXC_MONITOR_AGENT_EXITED,
    };
    guint i;

    g_mutex_lock(&ctrl->lock);
    ctrl->agentRunning = started;
    for (i = 0; !ctrl->exited && i < ctrl->clients->len; i++) {
        if (lxcMonitorSendAgentEvent(ctrl->prog, g_ptr_array_index(ctrl->clients, i), &msg) < 0)
            VIR_DEBUG("a monitor client is gone");
    }
    g_mutex_unlock(&ctrl->lock);
}


/* The guest agent, when the XML has its channel. */
static int
lxcCtrlStartAgent(lxcCtrl *ctrl)
{
    g_autofree char *sock = NULL;

    if (!ctrl->cfg->agent)
        return 0;
    if (!ctrl->agentPath) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "the guest agent channel needs the agent binary (--agent)");
        return -1;
    }
    sock = g_strdup_printf("%s/%s.agent", ctrl->stateDir, ctrl->name);
    if (!(ctrl->agent = lxcAgentProcessNew(ctrl->loop, sock, ctrl->agentPath, ctrl->pidfd,
                                           ctrl->cgroup, lxcCtrlAgentChanged, ctrl)))
        return -1;
    return lxcAgentProcessStart(ctrl->agent);
}


static int
lxcCtrlServe(lxcCtrl *ctrl)
{
    virNetServerConfig cfg;
    virNetServerService *svc;

    virNetServerConfigDefaults(&cfg);
    cfg.min_workers = 1;
    cfg.max_workers = 1;
    cfg.prio_workers = 0;
    cfg.max_clients = 16;
    cfg.max_anonymous_clients = 16;
    cfg.keepalive_interval = -1;

    if (!(ctrl->loop = virEventLoopNew()) ||
        !(ctrl->srv = virNetServerNew("virtnet_lxc", &cfg, ctrl->loop)))
        return -1;
    if (!(svc = virNetServerServiceNewUNIX(ctrl->sockPath, 0600, (gid_t)-1,
                                           VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 16)))
        return -1;
    if (virNetServerAddService(ctrl->srv, svc) < 0) {
        virNetServerServiceFree(svc);
        return -1;
    }
    ctrl->prog = lxcMonitorServerProgramNew();
    if (virNetServerAddProgram(ctrl->srv, ctrl->prog) < 0)
        return -1;
    virNetServerSetClientInitHook(ctrl->srv, lxcCtrlClientInit, ctrl);

    if (!(ctrl->conListen = virNetSocketNewListenUNIX(ctrl->consolePath, 0600, (uid_t)-1,
                                                      (gid_t)-1)) ||
        virNetSocketListen(ctrl->conListen, 4) < 0 ||
        (ctrl->conListenWatch = virEventLoopAddHandle(ctrl->loop,
                                                      virNetSocketGetFD(ctrl->conListen),
                                                      VIR_EVENT_HANDLE_READABLE,
                                                      lxcCtrlConsoleAccept, ctrl, NULL)) < 0)
        return -1;
    if ((ctrl->pidWatch = virEventLoopAddHandle(ctrl->loop, ctrl->pidfd, VIR_EVENT_HANDLE_READABLE,
                                                lxcCtrlInitExited, ctrl, NULL)) < 0 ||
        (ctrl->ptyWatch = virEventLoopAddHandle(ctrl->loop, ctrl->ptyMaster,
                                                VIR_EVENT_HANDLE_READABLE,
                                                lxcCtrlConsoleReadable, ctrl, NULL)) < 0 ||
        (ctrl->greetTimer = virEventLoopAddTimeout(ctrl->loop, -1, lxcCtrlGreet, ctrl, NULL)) < 0 ||
        (ctrl->quitTimer = virEventLoopAddTimeout(ctrl->loop, -1, lxcCtrlQuit, ctrl, NULL)) < 0)
        return -1;
    if (lxcCtrlStartAgent(ctrl) < 0)
        return -1;
    return virNetServerStart(ctrl->srv);
}


/* ------------------------------------------------------------------ */

/* The init has its copies of the passed files (or failed): ours go, so
 * that the init holds the only ones (a pipe's reader sees its EOF). */
static void
lxcCtrlClosePassFds(lxcCtrl *ctrl)
{
    size_t i;

    for (i = 0; i < ctrl->npassFds; i++)
        VIR_FORCE_CLOSE(ctrl->passFds[i]);
}


/* --passfd N: an open descriptor above stderr, made close-on-exec here
 * (only the init gets it). */
static int
lxcCtrlAddPassFd(lxcCtrl *ctrl, const char *arg)
{
    char *end;
    long fd;

    errno = 0;
    fd = strtol(arg, &end, 10);
    if (errno || end == arg || *end || fd <= STDERR_FILENO || fd > INT_MAX ||
        fcntl((int)fd, F_GETFD) < 0) {
        fprintf(stderr, "virtnet_lxc: --passfd %s: not an open descriptor above 2\n", arg);
        return -1;
    }
    virSetCloseExec((int)fd);
    ctrl->passFds = g_renew(int, ctrl->passFds, ctrl->npassFds + 1);
    ctrl->passFds[ctrl->npassFds++] = (int)fd;
    return 0;
}


static void
lxcCtrlFree(lxcCtrl *ctrl)
{
    lxcAgentProcessFree(ctrl->agent);
    if (ctrl->srv) {
        virNetServerShutdown(ctrl->srv, 1000);
        virNetServerUnref(ctrl->srv);
    }
    if (ctrl->prog)
        virNetServerProgramUnref(ctrl->prog);
    if (ctrl->loop)
        virEventLoopFree(ctrl->loop);
    if (ctrl->clients) {
        g_ptr_array_foreach(ctrl->clients, (GFunc)(void (*)(void))virNetServerClientUnref, NULL);
        g_ptr_array_free(ctrl->clients, TRUE);
    }
    if (ctrl->newClients) {
        g_ptr_array_foreach(ctrl->newClients, (GFunc)(void (*)(void))virNetServerClientUnref,
                            NULL);
        g_ptr_array_free(ctrl->newClients, TRUE);
    }
    if (ctrl->netHosts)
        g_ptr_array_free(ctrl->netHosts, TRUE);
    if (ctrl->netIndexes)
        g_array_free(ctrl->netIndexes, TRUE);
    if (ctrl->netInside)
        g_array_free(ctrl->netInside, TRUE);
    VIR_FORCE_CLOSE(ctrl->netNsFd);
    VIR_FORCE_CLOSE(ctrl->pidfd);
    VIR_FORCE_CLOSE(ctrl->conFd);
    if (ctrl->conListen) {
        unlink(ctrl->consolePath);
        virNetSocketFree(ctrl->conListen);
    }
    g_free(ctrl->consolePath);
    VIR_FORCE_CLOSE(ctrl->ptyMaster);
    VIR_FORCE_CLOSE(ctrl->ptySlave);
    virDomainDefFree(ctrl->def);
    lxcConfigFree(ctrl->cfg);
    lxcCgroupFree(ctrl->cgroup);
    g_free(ctrl->agentPath);
    lxcCtrlClosePassFds(ctrl);
    g_free(ctrl->passFds);
    g_free(ctrl->name);
    g_free(ctrl->stateDir);
    g_free(ctrl->sockPath);
    g_free(ctrl->exitPath);
    g_free(ctrl->devDir);
    g_mutex_clear(&ctrl->lock);
}


int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "name", required_argument, NULL, 'n' },
        { "state-dir", required_argument, NULL, 's' },
        { "config-fd", required_argument, NULL, 'c' },
        { "handshake-fd", required_argument, NULL, 'h' },
        { "exit-timeout", required_argument, NULL, 't' },
        { "agent", required_argument, NULL, 'a' },
        { "passfd", required_argument, NULL, 'p' },
        { NULL, 0, NULL, 0 },
    };
    lxcCtrl ctrl = { .logfd = STDERR_FILENO, .ptyMaster = -1, .ptySlave = -1, .pidfd = -1,
                     .netNsFd = -1,
                     .conFd = -1, .conWatch = -1, .conListenWatch = -1,
                     .pidWatch = -1, .ptyWatch = -1, .greetTimer = -1, .quitTimer = -1,
                     .pendingTimer = -1, .exitTimeout = LXC_DEFAULT_EXIT_TIMEOUT };
    g_autofree char *xml = NULL;
    int configfd = -1, hsfd = -1;
    sigset_t all;
    int c, rc, ret = 1;

    /* Whatever the daemon's thread had blocked or ignored is not ours. */
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    g_mutex_init(&ctrl.lock);
    theCtrl = &ctrl;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'n': ctrl.name = g_strdup(optarg); break;
        case 's': ctrl.stateDir = g_strdup(optarg); break;
        case 'c': configfd = atoi(optarg); break;
        case 'h': hsfd = atoi(optarg); break;
        case 't': ctrl.exitTimeout = atoi(optarg); break;
        case 'a': ctrl.agentPath = g_strdup(optarg); break;
        case 'p':
            if (lxcCtrlAddPassFd(&ctrl, optarg) < 0)
                return 2;
            break;
        default:
            fprintf(stderr, "usage: %s --name NAME --state-dir DIR --config-fd N "
                    "--handshake-fd N [--exit-timeout SECONDS] [--agent PATH] "
                    "[--passfd FD]...\n", argv[0]);
            return 2;
        }
    }
    if (!ctrl.name || !ctrl.stateDir || configfd < 0 || hsfd < 0 || ctrl.exitTimeout <= 0) {
        fprintf(stderr, "%s: --name, --state-dir, --config-fd and --handshake-fd are required\n",
                argv[0]);
        return 2;
    }
    virSetCloseExec(configfd);
    virSetCloseExec(hsfd);
    ctrl.sockPath = g_strdup_printf("%s/%s.sock", ctrl.stateDir, ctrl.name);
    ctrl.exitPath = g_strdup_printf("%s/%s.exit", ctrl.stateDir, ctrl.name);
    ctrl.consolePath = g_strdup_printf("%s/%s.console", ctrl.stateDir, ctrl.name);
    ctrl.clients = g_ptr_array_new();
    ctrl.newClients = g_ptr_array_new();
    ctrl.netHosts = g_ptr_array_new_with_free_func(g_free);
    ctrl.netIndexes = g_array_new(FALSE, FALSE, sizeof(int));
    ctrl.netInside = g_array_new(FALSE, FALSE, sizeof(int));

    if (!(xml = virFileReadFD(configfd, SIZE_MAX, NULL))) {
        virReportSystemError(errno, "%s", "cannot read the domain XML");
        goto fail;
    }
    VIR_FORCE_CLOSE(configfd);
    if (!(ctrl.def = virDomainDefParseString(xml)) ||
        !(ctrl.cfg = lxcConfigParse(xml, ctrl.def)))
        goto fail;
    unlink(ctrl.exitPath);

    rc = lxcCtrlStartContainer(&ctrl, hsfd);
    lxcCtrlClosePassFds(&ctrl);
    if (rc < 0 || lxcCtrlServe(&ctrl) < 0)
        goto fail;

    {
        g_autofree char *ok = g_strdup_printf("%d %d", (int)getpid(), (int)ctrl.initPid);
        lxcCtrlMessage(hsfd, "ok", ok);
        VIR_FORCE_CLOSE(hsfd);
    }
    fprintf(stderr, "virtnet_lxc: container '%s' started, init pid %d\n",
            ctrl.name, (int)ctrl.initPid);

    if (virEventLoopRun(ctrl.loop) < 0)
        VIR_ERROR("event loop failed: %s", virGetLastErrorMessage());
    ret = 0;
    goto cleanup;

 fail:
    lxcCtrlMessage(hsfd, "error", virGetLastErrorMessage());
    fprintf(stderr, "virtnet_lxc: %s\n", virGetLastErrorMessage());
    if (ctrl.initPid > 0) {
        kill(ctrl.initPid, SIGKILL);
        waitpid(ctrl.initPid, NULL, 0);
    }
    lxcCtrlTeardownInterfaces(&ctrl);
 cleanup:
    VIR_FORCE_CLOSE(configfd);
    VIR_FORCE_CLOSE(hsfd);
    lxcCgroupCleanup(&ctrl);
    lxcCtrlRemoveDev(&ctrl);
    lxcCtrlFree(&ctrl);
    return ret;
}
