/*
 * vnmoment.c: a domain snapshot or checkpoint as our client holds it
 * (vnDomainSnapshot, vnDomainCheckpoint: one type, vnclient.h): its name
 * and a reference on its domain. The calls on them are generated
 * (remote_protocol_clientapi.c); this file has the object and the hooks
 * those calls use (vnclientpriv.h), each kind's a thin wrapper.
 *
 * Reference counted like vnDomain; immutable, so no locking.
 */
#include <string.h>
#include <glib.h>

#include "vnclientpriv.h"

struct _vnDomainMoment {
    gint refs;
    vnDomain *dom;              /* a reference */
    char *name;
};
typedef struct _vnDomainMoment vnDomainMoment;

/* What tells the kinds apart: their errors. */
typedef struct {
    int errDomain;
    const char *invalid;
} vnMomentKind;

static const vnMomentKind vnSnapshotKind = { VIR_FROM_DOMAIN_SNAPSHOT, "invalid domain snapshot" };
static const vnMomentKind vnCheckpointKind = {
    VIR_FROM_DOMAIN_CHECKPOINT, "invalid domain checkpoint"
};

static bool
vnMomentCheck(const vnDomainMoment *m, const vnMomentKind *kind)
{
    if (m && m->dom)
        return true;
    virErrorReportFull(kind->errDomain, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__, "%s",
                       kind->invalid);
    return false;
}

static vnDomainMoment *
vnMomentNew(vnConnect *conn, const remote_dom *dom, const char *name)
{
    vnDomainMoment *m = g_new0(vnDomainMoment, 1);

    m->refs = 1;
    m->dom = vnDomainFromWire(conn, dom);
    m->name = g_strdup(name);
    return m;
}

static vnConnect *
vnMomentCallConn(vnDomainMoment *m, const vnMomentKind *kind)
{
    vnResetLastError();
    return vnMomentCheck(m, kind) ? vnDomainCallConn(m->dom) : NULL;
}

static int
vnMomentFree(vnDomainMoment *m, const vnMomentKind *kind)
{
    if (!vnMomentCheck(m, kind))
        return -1;
    if (g_atomic_int_dec_and_test(&m->refs)) {
        vnDomainFree(m->dom);
        g_free(m->name);
        g_free(m);
    }
    return 0;
}

static const char *
vnMomentGetName(vnDomainMoment *m, const vnMomentKind *kind)
{
    return vnMomentCheck(m, kind) ? m->name : NULL;
}

static vnDomain *
vnMomentGetDomain(vnDomainMoment *m, const vnMomentKind *kind)
{
    return vnMomentCheck(m, kind) ? m->dom : NULL;
}

/* ---- snapshots ---- */

vnDomainSnapshot *
vnDomainSnapshotFromWire(vnConnect *conn, const remote_snap *rsnap)
{
    return vnMomentNew(conn, &rsnap->dom, rsnap->name);
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
    return vnMomentCallConn(snap, &vnSnapshotKind);
}

int
vnDomainSnapshotFree(vnDomainSnapshot *snap)
{
    return vnMomentFree(snap, &vnSnapshotKind);
}

const char *
vnDomainSnapshotGetName(vnDomainSnapshot *snap)
{
    return vnMomentGetName(snap, &vnSnapshotKind);
}

vnDomain *
vnDomainSnapshotGetDomain(vnDomainSnapshot *snap)
{
    return vnMomentGetDomain(snap, &vnSnapshotKind);
}

/* ---- checkpoints ---- */

vnDomainCheckpoint *
vnDomainCheckpointFromWire(vnConnect *conn, const remote_domain_checkpoint *w)
{
    return vnMomentNew(conn, &w->dom, w->name);
}

void
vnDomainCheckpointToWire(vnDomainCheckpoint *checkpoint, remote_domain_checkpoint *w)
{
    w->name = checkpoint->name;
    vnDomainToWire(checkpoint->dom, &w->dom);
}

vnConnect *
vnDomainCheckpointCallConn(vnDomainCheckpoint *checkpoint)
{
    return vnMomentCallConn(checkpoint, &vnCheckpointKind);
}

int
vnDomainCheckpointFree(vnDomainCheckpoint *checkpoint)
{
    return vnMomentFree(checkpoint, &vnCheckpointKind);
}

const char *
vnDomainCheckpointGetName(vnDomainCheckpoint *checkpoint)
{
    return vnMomentGetName(checkpoint, &vnCheckpointKind);
}

vnDomain *
vnDomainCheckpointGetDomain(vnDomainCheckpoint *checkpoint)
{
    return vnMomentGetDomain(checkpoint, &vnCheckpointKind);
}
