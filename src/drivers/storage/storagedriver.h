/*
 * storagedriver.h: the storage driver, a secondary driver
 * (virobjectdrivers.h) that answers the storage APIs on hypervisor URIs
 * without storage of their own (lxc:///system), as libvirt's storage
 * driver does for its hypervisor drivers. One backend: "dir" pools (a
 * directory; volumes are its files, see storagedir.h). See
 * docs/storage.md.
 *
 * Directories (read when the driver's state is first made, at the first
 * connection that uses it):
 *   VIRTNET_STORAGE_CONFIG_DIR  persistent pool definitions NAME.xml and
 *                               autostart/NAME.xml links to them. Default
 *                               SYSCONFDIR/virtnet/storage.
 *   VIRTNET_STORAGE_STATE_DIR   the live definition NAME.xml of each
 *                               active pool (a daemon restart starts them
 *                               again). Default RUNSTATEDIR/virtnet/storage.
 *
 * Threading: one lock (virNoIOMutex) guards the pools and volumes and is
 * never held across file work: an operation reserves what it works on
 * under the lock (a pool "starting", a volume "building" or "in use"),
 * does the file work without it, then commits under it again. Pool-level
 * operations that write files (define, undefine, autostart, build, start,
 * destroy, delete, refresh) are serialised by a second mutex that only
 * worker threads take. Events are raised under the lock, in the order of
 * the changes.
 */
#pragma once

/* Register the storage driver's table as the secondary storage driver. */
int storageDriverRegister(void);

/* Daemon exit: free the state (pools stay as they are on disk). Call with
 * no driver call in flight. */
void storageDriverShutdown(void);
