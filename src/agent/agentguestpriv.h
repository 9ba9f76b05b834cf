/*
 * agentguestpriv.h: the agentGuest object, shared by its files
 * (agentguest.c: facts, vCPUs, power; agentaccounts.c: passwords and SSH
 * keys; agentexec.c: commands). Not for use outside src/agent.
 */
#pragma once

#include <glib.h>

#include "agentguest.h"

struct _agentGuest {
    char *root;             /* as given ("/" in a container) */
    int rootfd;             /* O_PATH directory: every path is looked up under it */
    unsigned int flags;     /* agentGuestFlags */
    GMutex accountLock;     /* passwd, shadow, authorized_keys changes */
    GMutex tzLock;          /* TZ is process-wide */
};

/* Open a path below dirfd without following any symlink (RESOLVE_BENEATH
 * and RESOLVE_NO_SYMLINKS: what a user controls). -1 with errno. */
int agentOpenBeneath(int dirfd, const char *path, int flags, mode_t mode);

/* Replace name in the directory dirfd atomically: a temporary file there,
 * written, synced, given mode and owner, renamed over name, the directory
 * synced. -1 with an error reported (what names the file in messages). */
int agentWriteAtomicAt(int dirfd, const char *name, const char *what, const void *data,
                       size_t len, mode_t mode, uid_t uid, gid_t gid);
