/*
 * secretdriver.h: the secret driver, a secondary driver
 * (virobjectdrivers.h) that answers the secret APIs on hypervisor URIs
 * (lxc:///system), as libvirt's secret driver. See docs/secrets.md.
 *
 * Files (VIRTNET_SECRET_CONFIG_DIR, default SYSCONFDIR/virtnet/secrets; the
 * directory mode 0700): UUID.xml, the definition of each persistent
 * secret, and UUID.base64, its value; both mode 0600 and written
 * atomically. Ephemeral secrets live in memory only. Values are never
 * logged, never part of any XML, wiped from memory when dropped, and
 * refused to read-only connections (the API layer) and, for private
 * secrets, to every client (libvirt gives them only to its own daemons).
 *
 * Threading: one lock (virNoIOMutex) guards the secrets and is never held
 * across file work; changes (define, undefine, set value) are serialised
 * by a second mutex that only worker threads take, check under the lock,
 * write files without it and commit under it. Events are raised under
 * the lock.
 */
#pragma once

/* Register the secret driver's table as the secondary secret driver. */
int secretDriverRegister(void);

/* Daemon exit: free the state (values wiped). Call with no driver call in
 * flight. */
void secretDriverShutdown(void);
