/*
 * vnsnapshot.c: a domain snapshot as our client holds it (vnDomainSnapshot,
 * vnclient.h): its name and a reference on its domain. The calls on it are
 * generated (remote_protocol_clientapi.c); this file has the object and the
 * hooks those calls use (vnclientpriv.h).
 *
 * Reference counted like vnDomain; immutable, so no locking.
 */
#include <string.h>
#include <glib.h>

#include "vnclientpriv.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN_SNAPSHOT

struct _vnDomainSnapshot {
    gint refs;
    vnDomain *dom;              /* a reference */
    char *name;
};

#define VN_CHECK_SNAPSHOT(snap, ret) \
    do { \
        if (!(snap) || !(snap)->dom) { \
            virReportError(VIR_ERR_INVALID_ARG, "%s", "invalid domain snapshot"); \
            return ret; \
        } \
    } while (0)

vnDomainSnapshot *
vnDomainSnapshotFromWire(vnConnect *conn, const remote_snap *rsnap)
{
    vnDomainSnapshot *snap = g_new0(vnDomainSnapshot, 1);

    snap->refs = 1;
    snap->dom = vnDomainFromWire(conn, &rsnap->dom);
    snap->name = g_strdup(rsnap->name);
    return snap;
}

void
vnDomainSnapshotToWire(vnDomainSnapshot *snap, remote_snap *rsnap)
{
    rsnap->name = snap->name;
    vnDomainToWire(snap->dom, &rsnap->dom);
}

vnConnect *
vnDomainSnapshotCallConn(vnDomainSnapshot *snap)
{
    vnResetLastError();
    VN_CHECK_SNAPSHOT(snap, NULL);
    return vnDomainCallConn(snap->dom);
}

int
vnDomainSnapshotFree(vnDomainSnapshot *snap)
{
    VN_CHECK_SNAPSHOT(snap, -1);
    if (g_atomic_int_dec_and_test(&snap->refs)) {
        vnDomainFree(snap->dom);
        g_free(snap->name);
        g_free(snap);
    }
    return 0;
}

const char *
vnDomainSnapshotGetName(vnDomainSnapshot *snap)
{
    VN_CHECK_SNAPSHOT(snap, NULL);
    return snap->name;
}

vnDomain *
vnDomainSnapshotGetDomain(vnDomainSnapshot *snap)
{
    VN_CHECK_SNAPSHOT(snap, NULL);
    return snap->dom;
}
