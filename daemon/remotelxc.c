/*
 * remotelxc.c: the daemon's side of the lxc program (protocol/lxc_protocol.x),
 * libvirt-lxc's calls. They share the client of the remote program: its
 * per-client state (remote.h) and the connection CONNECT_OPEN opened, so a
 * handler holds that connection for its run as the remote handlers do.
 *
 * Ownership: the namespaces' descriptors the driver opened go into the
 * reply (virNetMessageAddFD duplicates them) and the handler closes its
 * own; the dispatcher closes the reply's once they are sent.
 */
#include <unistd.h>

#include "remote.h"
#include "lxc_protocol_server.h"
#include "virerror.h"
#include "virutil.h"

int
lxcDispatchDomainLxcOpenNamespace(virNetServerCall *call, lxc_domain_open_namespace_args *args)
{
    virDomainRef dom = remoteDomFromWire(&args->dom);
    g_autofree int *fds = NULL;
    int nfds;
    int rv = 0;
    REMOTE_CONN(conn);

    if ((nfds = virDomainLxcOpenNamespace(conn, &dom, &fds, args->flags)) < 0)
        return -1;
    for (int i = 0; i < nfds; i++) {
        if (rv == 0 && virNetMessageAddFD(call->msg, fds[i]) < 0)
            rv = -1;
        VIR_FORCE_CLOSE(fds[i]);
    }
    return rv;
}
