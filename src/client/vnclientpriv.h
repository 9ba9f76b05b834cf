/*
 * vnclientpriv.h: what the client library shows its own tests, and the
 * hooks of the generated client calls (protocol/remote_protocol_clientapi.c,
 * from the @generate: client / both procedures of remote_protocol.x).
 */
#pragma once

#include "vnclient.h"
#include "virnetclient.h"
#include "virnetclientprogram.h"
#include "virnetclientstream.h"
#include "remote_protocol.h"

/* No new references: valid while conn is. */
virNetClient *vnConnectGetNetClient(vnConnect *conn);
virNetClientProgram *vnConnectGetRemoteProgram(vnConnect *conn);
/* What CONNECT_OPEN was given, and the socket path or host:port used. */
const char *vnConnectGetOpenURI(vnConnect *conn);
const char *vnConnectGetAddress(vnConnect *conn);
/* Features the server announced at open (10 keepalive, 14 event callback). */
bool vnConnectHasFeature(vnConnect *conn, int feature);
/* The server's callback ID behind an API registration, or -1. */
int vnConnectGetServerCallbackID(vnConnect *conn, int callbackID);

/* ---- hooks of the generated calls ----
 * A call begins with ...CallConn: it clears the thread's last error and
 * checks its object (VIR_ERR_INVALID_CONN / _DOMAIN), returning the
 * connection to call on (no new reference) or NULL. */
vnConnect *vnConnectCallConn(vnConnect *conn);
vnConnect *vnDomainCallConn(vnDomain *dom);
/* A @stream call: checks st (on conn, not used yet) and gives the RPC
 * stream the call opens (vnstream.c). */
virNetClientStream *vnStreamCallBegin(vnStream *st, vnConnect *conn, unsigned int flow,
                                      bool sparse);
virNetClientProgram *vnConnectCallProgram(vnConnect *conn);
virNetClient *vnConnectCallClient(vnConnect *conn);
/* A domain's wire form, borrowing its name (do not xdr_free it), and a
 * new domain object (a reference on conn) from a wire form. */
void vnDomainToWire(vnDomain *dom, remote_dom *rdom);
vnDomain *vnDomainFromWire(vnConnect *conn, const remote_dom *rdom);

/* The same hooks for the other objects (vnobjects.c). */
vnConnect *vnNetworkCallConn(vnNetwork *net);
void vnNetworkToWire(vnNetwork *net, remote_network *w);
vnNetwork *vnNetworkFromWire(vnConnect *conn, const remote_network *w);
vnConnect *vnStoragePoolCallConn(vnStoragePool *pool);
void vnStoragePoolToWire(vnStoragePool *pool, remote_storage_pool *w);
vnStoragePool *vnStoragePoolFromWire(vnConnect *conn, const remote_storage_pool *w);
vnConnect *vnStorageVolCallConn(vnStorageVol *vol);
void vnStorageVolToWire(vnStorageVol *vol, remote_storage_vol *w);
vnStorageVol *vnStorageVolFromWire(vnConnect *conn, const remote_storage_vol *w);
vnConnect *vnInterfaceCallConn(vnInterface *iface);
void vnInterfaceToWire(vnInterface *iface, remote_interface *w);
vnInterface *vnInterfaceFromWire(vnConnect *conn, const remote_interface *w);
vnConnect *vnNodeDeviceCallConn(vnNodeDevice *dev);
void vnNodeDeviceToWire(vnNodeDevice *dev, remote_node_device *w);
vnNodeDevice *vnNodeDeviceFromWire(vnConnect *conn, const remote_node_device *w);
vnConnect *vnSecretCallConn(vnSecret *secret);
void vnSecretToWire(vnSecret *secret, remote_secret *w);
vnSecret *vnSecretFromWire(vnConnect *conn, const remote_secret *w);

/* SOCK ("libvirt-sock", "libvirt-admin-sock") in the default run
 * directory: /run/virtnet as root, else $XDG_RUNTIME_DIR/virtnet, else
 * /tmp/virtnet-UID. */
char *vnDefaultSocketPath(const char *sock);

/* The same for a snapshot and a checkpoint (vnmoment.c). */
vnConnect *vnDomainSnapshotCallConn(vnDomainSnapshot *snap);
void vnDomainSnapshotToWire(vnDomainSnapshot *snap, remote_snap *rsnap);
vnDomainSnapshot *vnDomainSnapshotFromWire(vnConnect *conn, const remote_snap *rsnap);
vnConnect *vnDomainCheckpointCallConn(vnDomainCheckpoint *checkpoint);
void vnDomainCheckpointToWire(vnDomainCheckpoint *checkpoint, remote_domain_checkpoint *w);
vnDomainCheckpoint *vnDomainCheckpointFromWire(vnConnect *conn,
                                               const remote_domain_checkpoint *w);
