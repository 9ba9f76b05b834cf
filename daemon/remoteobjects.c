/*
 * remoteobjects.c: the hand-written glue of the objects beside domains
 * (remote.h): one mechanism for the event (de)registrations of networks,
 * storage pools, node devices and secrets, and reading a secret's value.
 *
 * Each kind is a row of remoteObjectKinds: the libvirtd wording of its
 * errors, its event ID range, its relays (generated) and an adapter that
 * turns the wire filter into the kind's handle and calls the kind's
 * register API. A client's registrations are kept per kind in
 * priv->objectCallbackIDs (under priv->lock), so a client deregisters only
 * its own, of that kind, as libvirtd checks.
 */
#include <string.h>

#include "remote.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("daemon.remoteobjects");

/* Register relay (the kind's callback for eventID) with opaque for the
 * object the wire filter names (NULL: all). */
typedef int (*remoteObjectRegisterFunc)(virConnect *conn, const void *filter, int eventID,
                                        remoteEventRelayFunc relay, void *opaque);

typedef struct {
    const char *what;           /* "network": libvirtd's messages */
    const char *deregWhat;      /* libvirtd's deregistration message (its own words) */
    int last;                   /* event IDs are [0, last) */
    remoteEventRelayFunc (*relay)(int eventID);
    remoteObjectRegisterFunc reg;
    int (*dereg)(virConnect *conn, int callbackID);
} remoteObjectKind;

/* The generated relays have the kind's callback types; the register APIs
 * take the generic one of the kind (cast as libvirt does). */
#define RELAY_AS(type, relay) ((type)(void (*)(void))(relay))

/* remoteRegister<Kind>: the kind's remoteObjectRegisterFunc. */
#define REMOTE_OBJECT_REGISTER(Kind, RefType) \
    static int \
    remoteRegister##Kind(virConnect *conn, const void *filter, int eventID, \
                         remoteEventRelayFunc relay, void *opaque) \
    { \
        RefType ref = { 0 }; \
        if (filter) \
            ref = remote##Kind##FromWire(filter); \
        return virConnect##Kind##EventRegisterAny( \
            conn, filter ? &ref : NULL, eventID, \
            RELAY_AS(virConnect##Kind##EventGenericCallback, relay), opaque, \
            remoteEventRelayFree); \
    }

REMOTE_OBJECT_REGISTER(Network, virNetworkRef)
REMOTE_OBJECT_REGISTER(StoragePool, virStoragePoolRef)
REMOTE_OBJECT_REGISTER(NodeDevice, virNodeDeviceRef)
REMOTE_OBJECT_REGISTER(Secret, virSecretRef)

enum {
    REMOTE_OBJECT_NETWORK,
    REMOTE_OBJECT_STORAGE_POOL,
    REMOTE_OBJECT_NODE_DEVICE,
    REMOTE_OBJECT_SECRET,
};

static const remoteObjectKind remoteObjectKinds[] = {
    [REMOTE_OBJECT_NETWORK] = {
        "network", "network", VIR_NETWORK_EVENT_ID_LAST, remoteNetworkEventRelay,
        remoteRegisterNetwork, virConnectNetworkEventDeregisterAny },
    [REMOTE_OBJECT_STORAGE_POOL] = {
        "storage pool", "storage pool", VIR_STORAGE_POOL_EVENT_ID_LAST,
        remoteStoragePoolEventRelay, remoteRegisterStoragePool,
        virConnectStoragePoolEventDeregisterAny },
    [REMOTE_OBJECT_NODE_DEVICE] = {
        "node device", "node device", VIR_NODE_DEVICE_EVENT_ID_LAST,
        remoteNodeDeviceEventRelay, remoteRegisterNodeDevice,
        virConnectNodeDeviceEventDeregisterAny },
    /* libvirtd's secret deregistration says "node device" */
    [REMOTE_OBJECT_SECRET] = {
        "secret", "node device", VIR_SECRET_EVENT_ID_LAST, remoteSecretEventRelay,
        remoteRegisterSecret, virConnectSecretEventDeregisterAny },
};

static remoteClientPrivate *
remotePriv(virNetServerCall *call)
{
    return virNetServerClientGetPrivateData(call->client);
}

static int
remoteObjectEventRegister(virNetServerCall *call, int kindIndex, int eventID,
                          const void *filter, int *callbackID)
{
    const remoteObjectKind *kind = &remoteObjectKinds[kindIndex];
    remoteClientPrivate *priv = remotePriv(call);
    remoteObjectCallbackID rec = { kindIndex, -1 };
    remoteEventRelay *relay;
    virConnect *conn;
    int id;

    if (!(conn = remoteConnGet(call)))
        return -1;
    if (eventID < 0 || eventID >= kind->last) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "unsupported %s event ID %d", kind->what,
                       eventID);
        remoteConnRelease(conn);
        return -1;
    }
    relay = remoteEventRelayNew(call, false);
    if ((id = kind->reg(conn, filter, eventID, kind->relay(eventID), relay)) < 0) {
        remoteEventRelayFree(relay);
        remoteConnRelease(conn);
        return -1;
    }
    /* the driver owns relay now, until this client deregisters or closes */
    remoteEventRelaySetID(relay, id);
    rec.callbackID = id;
    g_mutex_lock(&priv->lock);
    g_array_append_val(priv->objectCallbackIDs, rec);
    g_mutex_unlock(&priv->lock);
    remoteConnRelease(conn);
    *callbackID = id;
    return 0;
}

static int
remoteObjectEventDeregister(virNetServerCall *call, int kindIndex, int callbackID)
{
    const remoteObjectKind *kind = &remoteObjectKinds[kindIndex];
    remoteClientPrivate *priv = remotePriv(call);
    bool found = false;
    virConnect *conn;
    guint i;
    int rc;

    if (!(conn = remoteConnGet(call)))
        return -1;
    g_mutex_lock(&priv->lock);
    for (i = 0; i < priv->objectCallbackIDs->len && !found; i++) {
        remoteObjectCallbackID *rec = &g_array_index(priv->objectCallbackIDs,
                                                     remoteObjectCallbackID, i);
        if (rec->kind == kindIndex && rec->callbackID == callbackID) {
            g_array_remove_index_fast(priv->objectCallbackIDs, i);
            found = true;
        }
    }
    g_mutex_unlock(&priv->lock);
    if (!found) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s event callback %d not registered",
                       kind->deregWhat, callbackID);
        remoteConnRelease(conn);
        return -1;
    }
    rc = kind->dereg(conn, callbackID);
    remoteConnRelease(conn);
    return rc;
}

/* The dispatch handlers of a kind: remoteDispatchConnect<Kind>EventRegisterAny
 * and remoteDispatchConnect<Kind>EventDeregisterAny (remote_protocol.x). */
#define REMOTE_OBJECT_DISPATCH(Kind, snake, INDEX, filterField) \
    int \
    remoteDispatchConnect##Kind##EventRegisterAny( \
        virNetServerCall *call, remote_connect_##snake##_event_register_any_args *args, \
        remote_connect_##snake##_event_register_any_ret *ret) \
    { \
        return remoteObjectEventRegister(call, INDEX, args->event_id, args->filterField, \
                                         &ret->callback_id); \
    } \
    int \
    remoteDispatchConnect##Kind##EventDeregisterAny( \
        virNetServerCall *call, remote_connect_##snake##_event_deregister_any_args *args) \
    { \
        return remoteObjectEventDeregister(call, INDEX, args->callback_id); \
    }

REMOTE_OBJECT_DISPATCH(Network, network, REMOTE_OBJECT_NETWORK, net)
REMOTE_OBJECT_DISPATCH(StoragePool, storage_pool, REMOTE_OBJECT_STORAGE_POOL, pool)
REMOTE_OBJECT_DISPATCH(NodeDevice, node_device, REMOTE_OBJECT_NODE_DEVICE, dev)
REMOTE_OBJECT_DISPATCH(Secret, secret, REMOTE_OBJECT_SECRET, secret)

/* ---- secret values ---- */

/* The API hands the value over; the reply frees it once it is sent. */
int
remoteDispatchSecretGetValue(virNetServerCall *call, remote_secret_get_value_args *args,
                             remote_secret_get_value_ret *ret)
{
    virSecretRef secret = remoteSecretFromWire(&args->secret);
    unsigned char *value = NULL;
    size_t len = 0;
    virConnect *conn;
    int rc;

    if (!(conn = remoteConnGet(call)))
        return -1;
    rc = virSecretGetValue(conn, &secret, &value, &len, args->flags);
    remoteConnRelease(conn);
    if (rc < 0)
        return -1;
    if (len > REMOTE_SECRET_VALUE_MAX) {
        memset(value, 0, len);
        g_free(value);
        virReportError(VIR_ERR_RPC, "secret value too large: %zu bytes", len);
        return -1;
    }
    ret->value.value_val = (char *)value;
    ret->value.value_len = (u_int)len;
    return 0;
}
