/*
 * lxcconf.h: what the LXC driver and its controller read from a container's
 * domain XML, beyond the common virDomainDef.
 *
 * The common parser (virdomaindef.h) models name, uuid, memory, vcpus,
 * <os><type>/<init>/<initarg> and keeps every other element as an opaque
 * subtree. This module reads the LXC-specific parts of the same document,
 * the way libvirt's LXC driver reads them:
 *
 *   <os><initenv name='X'>value</initenv>   environment of the init
 *   <os><initdir>/path</initdir>            its working directory
 *   <features><privnet/></features>         a private network namespace
 *   <devices><filesystem type='mount'>      a host directory bind-mounted
 *       <source dir='/host'/><target dir='/in/container'/><readonly/>
 *     (target '/' makes it the container's root)
 *   <devices><filesystem type='ram'>        a tmpfs, <source usage='N' units='KiB'/>
 *   <devices><console type='pty'/>           the console (always a pty here)
 *   <devices><emulator>                      accepted, ignored (our controller runs)
 *   <cputune><shares>/<period>/<quota>       the cgroup's CPU tunables at start
 *   <blkiotune><weight>                      its block I/O weight
 *
 * Anything the driver cannot honour is refused with a clear error
 * (VIR_ERR_CONFIG_UNSUPPORTED), never silently ignored: other devices
 * (interfaces, disks, hostdevs, ...), other features, other filesystem
 * types, <inituser>/<initgroup>, <idmap>.
 *
 * Objects are plain data, no locking.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "virdomaindef.h"

typedef enum {
    LXC_FS_MOUNT = 0,   /* bind mount of a host directory */
    LXC_FS_RAM,         /* tmpfs */
} lxcFSType;

typedef struct {
    lxcFSType type;
    char *src;                  /* host directory (MOUNT) */
    char *dst;                  /* absolute path in the container */
    bool readonly;
    unsigned long long usageKiB; /* RAM: size, 0 = tmpfs default */
} lxcFS;

typedef struct {
    char **env;                 /* "NAME=value", from <initenv> */
    size_t nenv;
    char *initdir;              /* NULL: "/" */
    lxcFS *fss;
    size_t nfss;
    bool privnet;               /* <features><privnet/> */
    /* <cputune><shares|period|quota>, <blkiotune><weight>: 0 when absent */
    unsigned long long cpuShares;
    unsigned long long cpuPeriod;
    long long cpuQuota;
    unsigned int blkioWeight;
} lxcConfig;

/* Read the LXC parts of a domain document (already accepted by the common
 * parser) and check the whole definition is one this driver runs: domain
 * type 'lxc', OS type 'exe'. NULL with an error reported otherwise. */
lxcConfig *lxcConfigParse(const char *xml, const virDomainDef *def);
void lxcConfigFree(lxcConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(lxcConfig, lxcConfigFree);

/* The root filesystem (target '/'), or NULL when the container shares the
 * host's root. */
const lxcFS *lxcConfigRootFS(const lxcConfig *cfg);

/* Names derived from a domain name (which the common parser already
 * checked: not empty, no '/' or newline), shared by the driver and the
 * controller so that both build the same paths. */

/* The container's host name, as libvirt makes it: only [A-Za-z0-9.-],
 * no leading '-', at most 64 bytes. */
char *lxcHostName(const char *name);
/* The cgroup directory name under virtnet-lxc/: the domain name, with a
 * '_' in front when it could be mistaken for something else there ('.',
 * '..', a name starting with '.' or '_', or one looking like a cgroup
 * control file such as "memory.max" or "cgroup.procs"). */
char *lxcCgroupName(const char *name);
