/*
 * virhostinfo.h: the real host's CPU, memory, NUMA cell, huge page, KSM,
 * power management and SMBIOS data, read from /proc, /sys and dmidecode,
 * answered as libvirt 9.0's drivers that serve the real host (LXC, QEMU)
 * answer them: the same counters, the same errors and wording.
 *
 * Every function reads files (or runs a program): call it from a worker,
 * never with a virNoIOMutex held (checked, see virnoiolock.h). Errors are
 * reported from VIR_FROM_NONE (VIR_FROM_SYSINFO for sysinfo), as
 * libvirt's host utilities report them. Drivers check their flags before
 * calling.
 */
#pragma once

#include "virpublic.h"
#include "virtypedparams.h"

/* Read the files under root instead of / (tests); NULL: the real host.
 * Call before any other function, from one thread. */
void virHostInfoSetRoot(const char *root);

/* The highest NUMA node number (nodeN under /sys/devices/system/node),
 * -1 with an error when there is none. */
int virHostInfoGetMaxNode(void);

/* virNodeGetCPUStats: *nparams 0 asks the count (4). */
int virHostInfoGetCPUStats(int cpuNum, virNodeCPUStats *params, int *nparams);
/* virNodeGetMemoryStats: the host's (4 counters) or a cell's (2), KiB. */
int virHostInfoGetMemoryStats(int cellNum, virNodeMemoryStats *params, int *nparams);
/* virNodeGetCellsFreeMemory: free bytes of cells from startCell; returns
 * how many. */
int virHostInfoGetCellsFreeMemory(unsigned long long *cells, int startCell, int maxCells);
/* virNodeGetFreePages: counts[cell * npages + i]; returns how many
 * counts were filled (cells past the last one are left out). */
int virHostInfoGetFreePages(unsigned int npages, const unsigned int *pages, int startCell,
                            unsigned int cellCount, unsigned long long *counts);
/* virNodeAllocPages: sets (add false) or grows the huge page pools;
 * returns how many pools were handled. */
int virHostInfoAllocPages(unsigned int npages, const unsigned int *pageSizes,
                          const unsigned long long *pageCounts, int startCell,
                          unsigned int cellCount, bool add);
/* virNodeGetMemoryParameters / virNodeSetMemoryParameters: KSM. */
int virHostInfoGetMemoryParameters(virTypedParameter *params, int *nparams);
int virHostInfoSetMemoryParameters(const virTypedParameter *params, int nparams);
/* virNodeSuspendForDuration: libvirt's checks of the target against what
 * the host supports; see the .c for what happens past them. */
int virHostInfoSuspend(unsigned int target, unsigned long long duration);
/* virConnectGetSysinfo: <sysinfo type='smbios'> from dmidecode, kept
 * once read (libvirt reads it once at start). NULL, with no error
 * reported, when dmidecode is missing or fails: the driver words it. */
char *virHostInfoGetSysinfo(void);
/* virNodeGetCPUMap: the number of CPUs present, the map of those online. */
int virHostInfoGetCPUMap(unsigned char **cpumap, unsigned int *online);
/* The <pages unit='KiB' size='N'/> lines of the capabilities' host <cpu>:
 * the system page and each huge page size. */
char *virHostInfoFormatPages(void);
/* The <topology> element of the capabilities: NUMA cells with their
 * memory, pages and CPUs, indented for <host>; NULL when the host has no
 * NUMA cells directory. */
char *virHostInfoFormatTopology(void);
