/*
 * lxccgroup.h: a container's cgroups, and libvirt's mapping of the tunables
 * and statistics of its LXC driver onto their files.
 *
 * Where each controller lives is the host's business: cgroup v2 when the
 * unified hierarchy offers it (its root's cgroup.controllers), else the
 * cgroup v1 hierarchy mounted at /sys/fs/cgroup/CONTROLLER (hosts that keep
 * it there, like a hybrid layout). The container's group is
 * virtnet-lxc/NAME (lxcCgroupName) under each hierarchy's root.
 *
 *   tunable / statistic          cgroup v1                       cgroup v2
 *   memory hard limit            memory.limit_in_bytes           memory.max
 *   memory soft limit            memory.soft_limit_in_bytes      memory.high
 *   swap hard limit              memory.memsw.limit_in_bytes     memory.swap.max
 *   memory / swap usage          memory.usage_in_bytes,          memory.current,
 *                                memory.memsw.usage_in_bytes     memory.swap.current
 *   cpu_shares                   cpu.shares                      cpu.weight (the value as is)
 *   vcpu_period / vcpu_quota     cpu.cfs_period_us, _quota_us    cpu.max "QUOTA PERIOD"
 *   CPU time, user / system      cpuacct.usage, cpuacct.stat     cpu.stat usage/user/system_usec
 *   blkio weight                 blkio.bfq.weight, blkio.weight  io.bfq.weight, io.weight "default N"
 *   per-device weight, limits    blkio.weight_device,            io.weight "MAJ:MIN N", io.max
 *                                blkio.throttle.*_device         "MAJ:MIN riops=N wiops=..."
 *   I/O bytes and requests       blkio.throttle.io_service_bytes io.stat rbytes wbytes rios wios
 *                                and .io_serviced
 *   freezer                      freezer.state                   cgroup.freeze, cgroup.events
 *   CPUs, memory nodes           cpuset.cpus, cpuset.mems        cpuset.cpus, cpuset.mems
 *                                (a new group gets its parent's) (empty: the parent's)
 *   device access                devices.allow, devices.deny     (BPF programs: not done; the
 *                                                                 container runs without an ACL)
 *
 * Memory values are KiB; VIR_DOMAIN_MEMORY_PARAM_UNLIMITED stands for no
 * limit (-1 in v1, "max" in v2). Errors are libvirt's: a file that cannot
 * be read or written VIR_ERR_SYSTEM_ERROR "Unable to read from 'PATH'" /
 * "Unable to write to 'PATH'" (VIR_FROM_CGROUP), values out of range
 * VIR_ERR_INVALID_ARG with libvirt's ranges.
 *
 * Everything here reads or writes files in /sys: never call it with a
 * virNoIOMutex held (the driver calls it under a domain job, its lock
 * released). An lxcCgroup is plain data, used by one thread at a time.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>
#include <glib.h>

#include "lxcconf.h"

typedef enum {
    LXC_CGROUP_MEMORY = 0,
    LXC_CGROUP_CPU,
    LXC_CGROUP_CPUACCT,
    LXC_CGROUP_BLKIO,
    LXC_CGROUP_FREEZER,
    LXC_CGROUP_DEVICES,
    LXC_CGROUP_CPUSET,
    LXC_CGROUP_LAST
} lxcCgroupController;

typedef struct _lxcCgroup lxcCgroup;
struct _lxcCgroup {
    char *dir[LXC_CGROUP_LAST];     /* the container's directory; NULL: not on this host */
    bool v2[LXC_CGROUP_LAST];
    char *why;                      /* which controllers are missing, and why */
};

/* The container name's groups on this host (statfs and a read of the v2
 * root's cgroup.controllers; nothing is created). */
lxcCgroup *lxcCgroupNew(const char *name);
void lxcCgroupFree(lxcCgroup *cg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(lxcCgroup, lxcCgroupFree);

bool lxcCgroupHas(const lxcCgroup *cg, lxcCgroupController c);
const char *lxcCgroupControllerName(lxcCgroupController c);

/* Make the groups and move pid into each (the controller, at start). A
 * controller the host refuses is dropped from cg (dir NULL) and named in
 * cg->why; -1 only when none could be made. */
int lxcCgroupCreate(lxcCgroup *cg, pid_t pid);
/* Move pid into each group cg has (another process of the container:
 * the guest agent). -1 with errno when one of them refuses. */
int lxcCgroupAddTask(const lxcCgroup *cg, pid_t pid);
/* Remove the groups (retrying while the last tasks leave). */
void lxcCgroupRemove(lxcCgroup *cg);
/* The path of a controller's file, for tests and messages. */
char *lxcCgroupPath(const lxcCgroup *cg, lxcCgroupController c, const char *file);

int lxcCgroupSetMemoryHardLimit(lxcCgroup *cg, unsigned long long kib);
int lxcCgroupGetMemoryHardLimit(lxcCgroup *cg, unsigned long long *kib);
int lxcCgroupSetMemorySoftLimit(lxcCgroup *cg, unsigned long long kib);
int lxcCgroupGetMemorySoftLimit(lxcCgroup *cg, unsigned long long *kib);
int lxcCgroupSetMemSwapHardLimit(lxcCgroup *cg, unsigned long long kib);
int lxcCgroupGetMemSwapHardLimit(lxcCgroup *cg, unsigned long long *kib);
int lxcCgroupGetMemoryUsage(lxcCgroup *cg, unsigned long long *kib);
int lxcCgroupGetMemSwapUsage(lxcCgroup *cg, unsigned long long *kib);

int lxcCgroupSetCpuShares(lxcCgroup *cg, unsigned long long shares);
int lxcCgroupGetCpuShares(lxcCgroup *cg, unsigned long long *shares);
/* period 0 / quota 0: leave it; quota < 0: no quota */
int lxcCgroupSetCpuPeriodQuota(lxcCgroup *cg, unsigned long long period, long long quota);
int lxcCgroupGetCpuPeriodQuota(lxcCgroup *cg, unsigned long long *period, long long *quota);
/* ns */
int lxcCgroupGetCpuUsage(lxcCgroup *cg, unsigned long long *total, unsigned long long *user,
                         unsigned long long *sys);

int lxcCgroupSetBlkioWeight(lxcCgroup *cg, unsigned int weight);
int lxcCgroupGetBlkioWeight(lxcCgroup *cg, unsigned int *weight);
/* A per-device tunable of the block device at path (0: none; v1
 * blkio.weight_device, blkio.throttle.*_device; v2 io.weight, io.max);
 * libvirt's errors: SYSTEM_ERROR "Path '%s' is not accessible" / "must be
 * a block device", OPERATION_INVALID "blkio device weight is valid only
 * for cfq scheduler" without the weight file. Get reads the kernel's
 * value back (0 when the device has no line). */
int lxcCgroupSetBlkioDevice(lxcCgroup *cg, lxcBlkioDeviceParam p, const char *path,
                            unsigned long long value);
int lxcCgroupGetBlkioDevice(lxcCgroup *cg, lxcBlkioDeviceParam p, const char *path,
                            unsigned long long *value);
/* the sums over every device */
int lxcCgroupGetBlkioIoServiced(lxcCgroup *cg, long long *rdBytes, long long *wrBytes,
                                long long *rdReq, long long *wrReq);

/* libvirt's cpuset strings ("0-1,3") */
int lxcCgroupSetCpusetCpus(lxcCgroup *cg, const char *cpus);
int lxcCgroupSetCpusetMems(lxcCgroup *cg, const char *mems);

/* Device access (v1 devices.allow / devices.deny lines "TYPE MAJ:MIN
 * PERMS"), libvirt's permission bits. type 'b' or 'c'; a major or minor
 * < 0 is any ('*'). */
#define LXC_CGROUP_DEVICE_READ 1
#define LXC_CGROUP_DEVICE_WRITE 2
#define LXC_CGROUP_DEVICE_MKNOD 4
#define LXC_CGROUP_DEVICE_RW (LXC_CGROUP_DEVICE_READ | LXC_CGROUP_DEVICE_WRITE)
#define LXC_CGROUP_DEVICE_RWM (LXC_CGROUP_DEVICE_RW | LXC_CGROUP_DEVICE_MKNOD)

int lxcCgroupAllowDevice(lxcCgroup *cg, char type, int major, int minor, int perms);
int lxcCgroupDenyDevice(lxcCgroup *cg, char type, int major, int minor, int perms);
/* The device node at path (stat): 0 done, 1 path is no device node
 * (nothing done), -1 error ("Path '%s' is not accessible"). */
int lxcCgroupAllowDevicePath(lxcCgroup *cg, const char *path, int perms);
int lxcCgroupDenyDevicePath(lxcCgroup *cg, const char *path, int perms);

/* The access libvirt's LXC driver gives a disk or host device of the
 * definition: a disk read (<readonly/>) or read-write, and mknod; a host
 * device all three. */
int lxcCgroupDevicePerms(const lxcDevice *dev);
/* The container's ACL at start, libvirt's virLXCCgroupSetupDeviceACL in
 * its order: everything denied, then the memory devices, tty, ptmx and
 * fuse, the disks and host devices of cfg (USB ones found at start, a
 * missing one left out), and the pty slaves (major 136). Nothing without
 * the devices controller. */
int lxcCgroupSetupDeviceACL(lxcCgroup *cg, const lxcConfig *cfg);

/* Freeze: wait until the kernel says frozen (up to about a second), else
 * thaw again and fail. */
int lxcCgroupFreeze(lxcCgroup *cg);
int lxcCgroupThaw(lxcCgroup *cg);
/* 1 frozen, 0 not, -1 error */
int lxcCgroupIsFrozen(lxcCgroup *cg);
