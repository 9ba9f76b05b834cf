/*
 * remote.c: the hand-written part of the remote program's dispatch (see
 * remote.h): per-client state, the connection the generated handlers use,
 * and the procedures whose shape is not a driver call (@generate: none):
 * opening and closing, features, the library version, events and close
 * callbacks.
 *
 * Locking: priv->lock guards priv->conn, priv->gone, priv->sasl and
 * priv->callbackIDs; it is never held while calling a driver. References: a handler holds one
 * on the connection for its run (remoteConnGet / remoteConnRelease); an
 * event relay holds the client and the program until the driver frees the
 * registration (deregister, or the connection closing).
 */
#include <string.h>

#include "remote.h"
#include "testdriver.h"
#include "lxcdriver.h"
#include "storagedriver.h"
#include "secretdriver.h"
#include "virerror.h"
#include "virlog.h"
#include "virnettypedparams.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("daemon.remote");

/* The library version we report: we speak libvirt 9.0's protocol. */
#define REMOTE_LIB_VERSION 9000000ULL

struct _remoteEventRelay {
    virNetServerClient *client;
    virNetServerProgram *prog;
    int callbackID;             /* -1 until the registration returned */
    bool legacy;
};


void
remoteDriversRegister(void)
{
    testDriverRegister();
    lxcDriverRegister();
    storageDriverRegister();
    secretDriverRegister();
}


void
remoteDriversShutdown(void)
{
    lxcDriverShutdown();
    storageDriverShutdown();
    secretDriverShutdown();
}


/* ---- per-client state -------------------------------------------------- */

static void
remoteClientPrivateFree(void *data)
{
    remoteClientPrivate *priv = data;

    g_mutex_clear(&priv->lock);
    virNetSASLSessionUnref(priv->sasl);
    virNetServerProgramUnref(priv->prog);
    g_array_unref(priv->callbackIDs);
    g_array_unref(priv->objectCallbackIDs);
    g_free(priv);
}


/* Close the driver connection (CONNECT_CLOSE, or the client gone):
 * that purges its event registrations, which drops the relays' client
 * references. gone: no CONNECT_OPEN may set one any more. */
static void
remoteClientDropConn(remoteClientPrivate *priv, bool gone)
{
    virConnect *conn;

    g_mutex_lock(&priv->lock);
    conn = g_steal_pointer(&priv->conn);
    if (gone)
        priv->gone = true;
    g_mutex_unlock(&priv->lock);
    if (conn)
        virConnectClose(conn);
}


/* The client's connection closed. A CONNECT_OPEN still running on a
 * worker finds priv->gone and closes what it opened: nothing would close
 * it later (found by the remote-real fuzz harness). */
static void
remoteClientClosed(virNetServerClient *client G_GNUC_UNUSED, void *data)
{
    remoteClientDropConn(data, true);
}


int
remoteClientInitHook(virNetServer *srv G_GNUC_UNUSED, virNetServerClient *client, void *opaque)
{
    remoteClientPrivate *priv = g_new0(remoteClientPrivate, 1);

    g_mutex_init(&priv->lock);
    priv->prog = virNetServerProgramRef(opaque);
    priv->callbackIDs = g_array_new(FALSE, FALSE, sizeof(int));
    priv->objectCallbackIDs = g_array_new(FALSE, FALSE, sizeof(remoteObjectCallbackID));
    virNetServerClientSetPrivateData(client, priv, remoteClientPrivateFree);
    virNetServerClientSetPrivateDataCloseFunc(client, remoteClientClosed);
    return 0;
}


static remoteClientPrivate *
remotePriv(virNetServerCall *call)
{
    return virNetServerClientGetPrivateData(call->client);
}


/* A reference on the client's open connection, or NULL with libvirt's
 * error for calls made before CONNECT_OPEN. */
virConnect *
remoteConnGet(virNetServerCall *call)
{
    remoteClientPrivate *priv = remotePriv(call);
    virConnect *conn = NULL;

    g_mutex_lock(&priv->lock);
    if (priv->conn)
        conn = virConnectRef(priv->conn);
    g_mutex_unlock(&priv->lock);
    if (!conn)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "hypervisor connection not open");
    return conn;
}


/* virConnectClose, like every API entry point, starts by clearing the
 * thread's error: keep the handler's. */
void
remoteConnRelease(virConnect *conn)
{
    virError *saved = virErrorPreserveLast();

    virConnectClose(conn);
    virErrorRestore(&saved);
}


/* ---- connection --------------------------------------------------------- */

int
remoteDispatchConnectOpen(virNetServerCall *call, remote_connect_open_args *args)
{
    remoteClientPrivate *priv = remotePriv(call);
    /* Clients also send their remote driver's own bits (virsh as a user
     * sends 0x6); like libvirtd, keep only read-only. */
    unsigned int flags = args->flags & VIR_CONNECT_RO;
    virConnect *conn;

    g_mutex_lock(&priv->lock);
    conn = priv->conn;
    g_mutex_unlock(&priv->lock);
    if (conn) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        return -1;
    }

    if (virNetServerClientGetReadonly(call->client))
        flags |= VIR_CONNECT_RO;
    if (!(conn = virConnectOpen(args->uri ? *args->uri : NULL, flags)))
        return -1;

    g_mutex_lock(&priv->lock);
    if (priv->conn || priv->gone) {     /* a concurrent open won, or the client left */
        bool gone = priv->gone;

        g_mutex_unlock(&priv->lock);
        virConnectClose(conn);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       gone ? "client closed" : "connection already open");
        return -1;
    }
    priv->conn = conn;
    g_mutex_unlock(&priv->lock);
    return 0;
}


int
remoteDispatchConnectClose(virNetServerCall *call)
{
    remoteClientDropConn(remotePriv(call), false);
    return 0;
}


int
remoteDispatchAuthList(virNetServerCall *call, remote_auth_list_ret *ret)
{
    remote_auth_type type;

    switch (virNetServerClientGetAuth(call->client)) {
    case VIR_NET_SERVER_SERVICE_AUTH_SASL:
        type = REMOTE_AUTH_SASL;
        break;
    case VIR_NET_SERVER_SERVICE_AUTH_POLKIT:
        type = REMOTE_AUTH_POLKIT;
        break;
    default:
        type = REMOTE_AUTH_NONE;
        break;
    }
    /* Once authenticated, a client sees "none": nothing more to do. */
    if (virNetServerClientIsAuthenticated(call->client))
        type = REMOTE_AUTH_NONE;
    ret->types.types_len = 1;
    ret->types.types_val = g_new0(remote_auth_type, 1);
    ret->types.types_val[0] = type;
    return 0;
}


int
remoteDispatchConnectSupportsFeature(virNetServerCall *call,
                                     remote_connect_supports_feature_args *args,
                                     remote_connect_supports_feature_ret *ret)
{
    int rv;

    switch (args->feature) {
    case VIR_DRV_FEATURE_PROGRAM_KEEPALIVE:
        /* Asked before CONNECT_OPEN by clients that can answer pings. */
        if (virNetServerClientStartKeepAlive(call->client) < 0)
            return -1;
        ret->supported = 1;
        return 0;
    case VIR_DRV_FEATURE_REMOTE_EVENT_CALLBACK:
    case VIR_DRV_FEATURE_REMOTE_CLOSE_CALLBACK:
        ret->supported = 1;
        return 0;
    default: {
        REMOTE_CONN(conn);
        if ((rv = virConnectSupportsFeature(conn, args->feature)) < 0)
            return -1;
        ret->supported = rv;
        return 0;
    }
    }
}


int
remoteDispatchConnectGetLibVersion(virNetServerCall *call,
                                   remote_connect_get_lib_version_ret *ret)
{
    REMOTE_CONN(conn);

    ret->lib_ver = REMOTE_LIB_VERSION;
    return 0;
}


void
remoteStringsToWire(char **list, int n, remote_str **val, u_int *len)
{
    *val = g_new0(remote_str, n + 1);
    *len = n;
    for (int i = 0; i < n; i++)
        (*val)[i] = g_steal_pointer(&list[i]);
}


/* Unlike the API, which returns a status, the reply carries the domain
 * with its new ID. */
int
remoteDispatchDomainCreateWithFlags(virNetServerCall *call,
                                    remote_domain_create_with_flags_args *args,
                                    remote_domain_create_with_flags_ret *ret)
{
    virDomainRef dom = remoteDomFromWire(&args->dom);
    virDomainRef *started;
    REMOTE_CONN(conn);

    if (virDomainCreateWithFlags(conn, &dom, args->flags) < 0 ||
        !(started = virDomainLookupByUUID(conn, dom.uuid)))
        return -1;
    remoteDomToWire(&ret->dom, started);
    virDomainRefFree(started);
    return 0;
}

/* ---- events ------------------------------------------------------------- */

void
remoteEventRelayFree(void *opaque)
{
    remoteEventRelay *relay = opaque;

    virNetServerClientUnref(relay->client);
    virNetServerProgramUnref(relay->prog);
    g_free(relay);
}


remoteEventRelay *
remoteEventRelayNew(virNetServerCall *call, bool legacy)
{
    remoteEventRelay *relay = g_new0(remoteEventRelay, 1);

    relay->client = virNetServerClientRef(call->client);
    relay->prog = virNetServerProgramRef(remotePriv(call)->prog);
    relay->callbackID = -1;
    relay->legacy = legacy;
    return relay;
}


void
remoteEventRelaySetID(remoteEventRelay *relay, int callbackID)
{
    g_atomic_int_set(&relay->callbackID, callbackID);
}


/* The generated relays' target (remote_protocol_server.h): they run in
 * the thread that changed the state, under the driver's event lock, and
 * only encode and queue a message (never block). */
int
remoteEventRelayTarget(void *opaque, virNetServerProgram **prog, virNetServerClient **client)
{
    remoteEventRelay *relay = opaque;

    *prog = relay->prog;
    *client = relay->client;
    if (relay->legacy)
        return REMOTE_EVENT_RELAY_LEGACY;
    /* -1 for an event raised before the registration returned its ID */
    return g_atomic_int_get(&relay->callbackID);
}


/* Event IDs we accept but have no message for: registered, never sent. */
static void
remoteRelayIgnored(virConnect *conn G_GNUC_UNUSED, const virDomainRef *dom G_GNUC_UNUSED,
                   void *opaque G_GNUC_UNUSED)
{
}


/* JOB_COMPLETED: the statistics as typed parameters (strings always,
 * as libvirtd sends an event's parameters). */
static void
remoteRelayDomainEventCallbackJobCompleted(virConnect *conn G_GNUC_UNUSED,
                                           const virDomainRef *dom, virTypedParameter *params,
                                           int nparams, void *opaque)
{
    remote_domain_event_callback_job_completed_msg data = { 0 };
    virNetServerProgram *prog;
    virNetServerClient *client;
    int callbackID = remoteEventRelayTarget(opaque, &prog, &client);

    if (callbackID < 0)
        return;
    if (virNetTypedParamsEncodeBorrowed(params, nparams, REMOTE_DOMAIN_JOB_STATS_MAX,
                                        &data.params.params_val, &data.params.params_len) < 0)
        return;
    remoteDomToWireBorrowed(&data.dom, dom);
    data.callback_id = callbackID;
    remoteSendDomainEventCallbackJobCompleted(prog, client, &data);
    g_free(data.params.params_val);
}


/* The relay of an event ID: generated, or written here. */
static virConnectDomainEventGenericCallback
remoteRelayFor(int eventID)
{
    remoteEventRelayFunc relayFunc = remoteDomainEventRelay(eventID);

    if (eventID == VIR_DOMAIN_EVENT_ID_JOB_COMPLETED)
        return VIR_DOMAIN_EVENT_CALLBACK(remoteRelayDomainEventCallbackJobCompleted);
    return relayFunc ? (virConnectDomainEventGenericCallback)relayFunc
                     : VIR_DOMAIN_EVENT_CALLBACK(remoteRelayIgnored);
}


/* The legacy API's callback: the lifecycle relay. */
static virConnectDomainEventCallback
remoteRelayLegacy(void)
{
    return (virConnectDomainEventCallback)remoteDomainEventRelay(VIR_DOMAIN_EVENT_ID_LIFECYCLE);
}


int
remoteDispatchConnectDomainEventRegister(virNetServerCall *call,
                                         remote_connect_domain_event_register_ret *ret)
{
    remoteEventRelay *relay;
    REMOTE_CONN(conn);

    relay = remoteEventRelayNew(call, true);
    if (virConnectDomainEventRegister(conn, remoteRelayLegacy(), relay,
                                      remoteEventRelayFree) < 0) {
        remoteEventRelayFree(relay);
        return -1;
    }
    ret->unused = 0;    /* layout only: clients ignore it */
    return 0;
}


int
remoteDispatchConnectDomainEventDeregister(virNetServerCall *call,
                                           remote_connect_domain_event_deregister_ret *ret)
{
    REMOTE_CONN(conn);

    if (virConnectDomainEventDeregister(conn, remoteRelayLegacy()) < 0)
        return -1;
    ret->unused = 0;
    return 0;
}


int
remoteDispatchConnectDomainEventCallbackRegisterAny(
    virNetServerCall *call,
    remote_connect_domain_event_callback_register_any_args *args,
    remote_connect_domain_event_callback_register_any_ret *ret)
{
    remoteClientPrivate *priv = remotePriv(call);
    virConnectDomainEventGenericCallback cb = remoteRelayFor(args->event_id);
    remoteEventRelay *relay;
    virDomainRef filter = { 0 };
    int id;
    REMOTE_CONN(conn);

    /* libvirtd's own check and wording, before the driver sees it. */
    if (args->event_id < 0 || args->event_id >= VIR_DOMAIN_EVENT_ID_LAST) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "unsupported event ID %d", args->event_id);
        return -1;
    }
    if (args->dom)
        filter = remoteDomFromWire(args->dom);
    relay = remoteEventRelayNew(call, false);
    if ((id = virConnectDomainEventRegisterAny(conn, args->dom ? &filter : NULL,
                                               args->event_id, cb, relay,
                                               remoteEventRelayFree)) < 0) {
        remoteEventRelayFree(relay);
        return -1;
    }
    /* The driver owns relay now; it stays valid until deregistration,
     * which only this client's own calls or its close can do. */
    remoteEventRelaySetID(relay, id);
    g_mutex_lock(&priv->lock);
    g_array_append_val(priv->callbackIDs, id);
    g_mutex_unlock(&priv->lock);
    ret->callback_id = id;
    return 0;
}


int
remoteDispatchConnectDomainEventCallbackDeregisterAny(
    virNetServerCall *call,
    remote_connect_domain_event_callback_deregister_any_args *args)
{
    remoteClientPrivate *priv = remotePriv(call);
    bool found = false;
    guint i;
    REMOTE_CONN(conn);

    /* Only this client's own registrations, as libvirtd checks. */
    g_mutex_lock(&priv->lock);
    for (i = 0; i < priv->callbackIDs->len; i++) {
        if (g_array_index(priv->callbackIDs, int, i) == args->callback_id) {
            g_array_remove_index_fast(priv->callbackIDs, i);
            found = true;
            break;
        }
    }
    g_mutex_unlock(&priv->lock);
    if (!found) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "domain event callback %d not registered",
                       args->callback_id);
        return -1;
    }
    return virConnectDomainEventDeregisterAny(conn, args->callback_id);
}


/* The client learns of a close from its socket: there is nothing to send,
 * only to remember (both need an open connection, as in libvirtd). */
static int
remoteSetCloseCallback(virNetServerCall *call, bool on)
{
    remoteClientPrivate *priv = remotePriv(call);
    REMOTE_CONN(conn);

    g_mutex_lock(&priv->lock);
    priv->closeCallback = on;
    g_mutex_unlock(&priv->lock);
    return 0;
}


int
remoteDispatchConnectRegisterCloseCallback(virNetServerCall *call)
{
    return remoteSetCloseCallback(call, true);
}


int
remoteDispatchConnectUnregisterCloseCallback(virNetServerCall *call)
{
    return remoteSetCloseCallback(call, false);
}
