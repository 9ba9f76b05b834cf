/*
 * dbusuri.c: an LD_PRELOAD shim for the libvirt-dbus peer test. libvirt-dbus
 * opens the fixed URI "test:///default", which libvirt's client library
 * serves itself, in-process; with VIRTNET_DBUS_TEST_URI set, this shim
 * hands the library that URI instead (a daemon's socket), so the bridge
 * talks to virtnetd or libvirtd. Nothing else changes. Test code only.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

typedef void *(*openAuthFn)(const char *name, void *auth, unsigned int flags);

void *virConnectOpenAuth(const char *name, void *auth, unsigned int flags);

void *
virConnectOpenAuth(const char *name, void *auth, unsigned int flags)
{
    static openAuthFn real;
    const char *uri = getenv("VIRTNET_DBUS_TEST_URI");

    if (!real)
        real = (openAuthFn)dlsym(RTLD_NEXT, "virConnectOpenAuth");
    if (uri && name && strcmp(name, "test:///default") == 0)
        name = uri;
    return real(name, auth, flags);
}
