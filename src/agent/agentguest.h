/*
 * agentguest.h: the guest as virtnet-agent sees it and changes it: the
 * operations behind the guest agent program (protocol/qemu_agent_protocol.x,
 * docs/agent.md).
 *
 * An agentGuest works under a root directory: "/" inside a container (the
 * agent has entered the container's namespaces first), or a test tree.
 * Every file is looked up under that root (openat2 RESOLVE_IN_ROOT: a
 * symlink in the guest never leads out of it), /proc and /sys included;
 * below a user's home nothing is followed (no symlinks, so a user cannot
 * point the agent at another file). Host name, network interfaces, the
 * clock and the kernel come from the agent's own namespaces.
 *
 * Each operation fills its reply struct of the program (the caller frees
 * it with xdr_free, whether the operation succeeded or not) or reports an
 * error and returns -1; bad input changes nothing.
 *
 * Threading: operations may run on several threads at once. Changes of
 * the account files (passwd, shadow, authorized_keys) are serialized by
 * the guest's account lock (and by the guest's /etc/.pwd.lock, as the
 * guest's own tools take it); the time zone is computed under a lock of
 * its own (it sets TZ, which is process-wide).
 */
#pragma once

#include <stdbool.h>

#include "qemu_agent_protocol.h"

typedef struct _agentGuest agentGuest;

typedef enum {
    AGENT_GUEST_ALLOW_EXEC = 1 << 0,    /* EXEC runs commands */
    AGENT_GUEST_ALLOW_POWER = 1 << 1,   /* SHUTDOWN ends the guest */
} agentGuestFlags;

/* root: the directory the guest's files are under ("/" in a container).
 * NULL with an error when it cannot be opened. */
agentGuest *agentGuestNew(const char *root, unsigned int flags);
void agentGuestFree(agentGuest *guest);

/* The agent's version, as INFO and READY report it. */
const char *agentGuestVersion(void);

int agentGuestInfo(agentGuest *guest, qemu_agent_info_ret *ret);
int agentGuestGetHostname(agentGuest *guest, qemu_agent_get_hostname_ret *ret);
int agentGuestGetInterfaces(agentGuest *guest, qemu_agent_get_interfaces_ret *ret);
int agentGuestGetFSInfo(agentGuest *guest, qemu_agent_get_fsinfo_ret *ret);
int agentGuestGetUsers(agentGuest *guest, qemu_agent_get_users_ret *ret);
int agentGuestGetOSInfo(agentGuest *guest, qemu_agent_get_os_info_ret *ret);
int agentGuestGetTimezone(agentGuest *guest, qemu_agent_get_timezone_ret *ret);
int agentGuestGetTime(agentGuest *guest, qemu_agent_get_time_ret *ret);
int agentGuestGetVcpus(agentGuest *guest, qemu_agent_get_vcpus_ret *ret);
int agentGuestSetVcpus(agentGuest *guest, const qemu_agent_set_vcpus_args *args,
                       qemu_agent_set_vcpus_ret *ret);

/* agentaccounts.c */
int agentGuestSetUserPassword(agentGuest *guest, const char *user, const char *password,
                              bool crypted);
int agentGuestSSHGetKeys(agentGuest *guest, const char *user,
                         qemu_agent_ssh_get_authorized_keys_ret *ret);
int agentGuestSSHAddKeys(agentGuest *guest, const char *user, char **keys, unsigned int nkeys,
                         bool reset);
int agentGuestSSHRemoveKeys(agentGuest *guest, const char *user, char **keys,
                            unsigned int nkeys);

/* agentexec.c: run a command inside the guest, wait for it (bounded). */
int agentGuestExec(agentGuest *guest, const qemu_agent_exec_args *args,
                   qemu_agent_exec_ret *ret);

/* Power: Check says whether the request can be carried out (allowed, and
 * the agent really is inside a container: a PID namespace of its own);
 * Now carries it out: the kernel ends the container's init as a reboot(2)
 * from inside does (SIGHUP for REBOOT, SIGINT otherwise), which the
 * controller reports as a reboot or a shutdown. */
int agentGuestShutdownCheck(agentGuest *guest, int mode);
int agentGuestShutdownNow(agentGuest *guest, int mode);

/* Shared by the agent's files: open path (relative to the guest's root,
 * a leading '/' allowed) under the root; flags of openat(2). -1 with
 * errno. */
int agentGuestOpen(agentGuest *guest, const char *path, int flags, mode_t mode);
/* Read a whole (small) file under the root: NULL with errno; at most max
 * bytes (EFBIG beyond). */
char *agentGuestReadFile(agentGuest *guest, const char *path, size_t max, size_t *len);
