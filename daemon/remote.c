/*
 * remote.c: dispatch glue between libvirt's remote program and the
 * driver API. Each handler unpacks its arguments, calls the matching
 * virconnect.h function and packs the result; nothing else lives here.
 *
 * Per client: a remoteClientPrivate holds the driver connection and the
 * event registrations. Registrations live in the driver (DESIGN rule 1);
 * what the daemon keeps is one relay per registration that turns a driver
 * callback into an event message on this client's transmit queue.
 *
 * Locking: priv->lock guards priv->conn and priv->sasl (a SASL exchange
 * in progress). Handlers take a reference on the connection and call the
 * driver without it. References: a relay
 * holds the client and the program until the driver frees the
 * registration (deregister, or the connection closing).
 */
#include <string.h>
#include <unistd.h>

#include "remote.h"
#include "virconnect.h"
#include "testdriver.h"
#include "lxcdriver.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("daemon.remote");

/* The library version we report: we speak libvirt 9.0's protocol. */
#define REMOTE_LIB_VERSION 9000000ULL

/* Features the RPC layer answers itself (libvirt's VIR_DRV_FEATURE_*). */
#define REMOTE_FEATURE_PROGRAM_KEEPALIVE 10
#define REMOTE_FEATURE_REMOTE_EVENT_CALLBACK 14
#define REMOTE_FEATURE_REMOTE_CLOSE_CALLBACK 15

typedef struct {
    GMutex lock;
    virNetSASLSession *sasl;    /* a SASL exchange in progress */
    virConnect *conn;
    virNetServerProgram *prog;
    bool closeCallback;
    GArray *callbackIDs;        /* int: this client's callback registrations */
} remoteClientPrivate;

typedef struct {
    virNetServerClient *client;
    virNetServerProgram *prog;
    int callbackID;             /* -1 until the registration returned */
    bool legacy;
} remoteEventRelay;


void
remoteDriversRegister(void)
{
    testDriverRegister();
    lxcDriverRegister();
}


void
remoteDriversShutdown(void)
{
    lxcDriverShutdown();
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
    g_free(priv);
}


/* The client's connection closed: closing the driver connection purges
 * its event registrations, which drops the relays' client references. */
static void
remoteClientClosed(virNetServerClient *client G_GNUC_UNUSED, void *data)
{
    remoteClientPrivate *priv = data;
    virConnect *conn;

    g_mutex_lock(&priv->lock);
    conn = g_steal_pointer(&priv->conn);
    g_mutex_unlock(&priv->lock);
    if (conn)
        virConnectClose(conn);
}


/* libvirt's API refuses writes on a read-only connection from the
 * object's own error domain (virDomain* calls: VIR_FROM_DOMAIN). */
static void
remoteReadonlyDenied(const virNetServerProgramProc *proc)
{
    int domain = g_str_has_prefix(proc->api, "virDomain") ? VIR_FROM_DOMAIN : VIR_FROM_NONE;

    virErrorReportFull(domain, VIR_ERR_OPERATION_DENIED, __FILE__, __func__, __LINE__,
                       "read only access prevents %s", proc->api);
}


virNetServerProgram *
remoteProgramNew(void)
{
    virNetServerProgram *prog = remoteServerProgramNew();

    virNetServerProgramSetReadonlyDeniedFunc(prog, remoteReadonlyDenied);
    return prog;
}


int
remoteClientInitHook(virNetServer *srv G_GNUC_UNUSED, virNetServerClient *client, void *opaque)
{
    remoteClientPrivate *priv = g_new0(remoteClientPrivate, 1);

    g_mutex_init(&priv->lock);
    priv->prog = virNetServerProgramRef(opaque);
    priv->callbackIDs = g_array_new(FALSE, FALSE, sizeof(int));
    virNetServerClientSetPrivateData(client, priv, remoteClientPrivateFree);
    virNetServerClientSetPrivateDataCloseFunc(client, remoteClientClosed);
    return 0;
}


/* A reference on the client's open connection, or NULL with libvirt's
 * error for calls made before CONNECT_OPEN. */
static virConnect *
remoteGetConn(virNetServerClient *client)
{
    remoteClientPrivate *priv = virNetServerClientGetPrivateData(client);
    virConnect *conn = NULL;

    g_mutex_lock(&priv->lock);
    if (priv->conn)
        conn = virConnectRef(priv->conn);
    g_mutex_unlock(&priv->lock);
    if (!conn)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "hypervisor connection not open");
    return conn;
}

typedef virConnect remoteConnHold;

/* Drop a handler's reference. virConnectClose, like every API entry point,
 * starts by clearing the thread's error: keep the handler's. */
static void
remoteConnRelease(remoteConnHold *conn)
{
    virError *saved = virErrorPreserveLast();

    virConnectClose(conn);
    virErrorRestore(&saved);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(remoteConnHold, remoteConnRelease)

#define REMOTE_CONN(conn) \
    g_autoptr(remoteConnHold) conn = remoteGetConn(client); \
    if (!conn) \
        return -1

/* ---- conversions -------------------------------------------------------- */

/* The wire form of a handle, borrowing its name: for messages that are
 * only encoded (events), never freed by xdr_free. */
static void
remoteDomBorrowRef(remote_dom *dst, const virDomainRef *ref)
{
    dst->name = ref->name;
    memcpy(dst->uuid, ref->uuid, VIR_UUID_BUFLEN);
    dst->id = ref->id;
}


static void
remoteDomFromRef(remote_dom *dst, const virDomainRef *ref)
{
    remoteDomBorrowRef(dst, ref);
    dst->name = strdup(ref->name);
}


/* A borrowed view of a wire domain for the driver API. */
static virDomainRef
remoteRefFromDom(const remote_dom *dom)
{
    virDomainRef ref = { .name = dom->name, .id = dom->id };

    memcpy(ref.uuid, dom->uuid, VIR_UUID_BUFLEN);
    return ref;
}

#define REMOTE_DOM(ref, dom) virDomainRef ref = remoteRefFromDom(&(dom))

/* Most calls return a domain: pack it and free the driver's handle. */
static int
remoteReturnDom(virDomainRef *ref, remote_dom *dst)
{
    if (!ref)
        return -1;
    remoteDomFromRef(dst, ref);
    virDomainRefFree(ref);
    return 0;
}


static int
remoteReturnString(char *s, remote_str *dst)
{
    if (!s)
        return -1;
    *dst = s;   /* driver strings are malloc'ed; xdr_free frees them */
    return 0;
}

/* ---- connection --------------------------------------------------------- */

int
remoteDispatchConnectOpen(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                          virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED,
                          remote_connect_open_args *args)
{
    remoteClientPrivate *priv = virNetServerClientGetPrivateData(client);
    /* Clients also send their remote driver's own bits (virsh as a user
     * sends 0x6); like libvirtd, keep only read-only. */
    unsigned int flags = args->flags & VIR_CONNECT_RO;
    virConnect *conn;

    g_mutex_lock(&priv->lock);
    if (priv->conn) {
        g_mutex_unlock(&priv->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        return -1;
    }
    g_mutex_unlock(&priv->lock);

    if (virNetServerClientGetReadonly(client))
        flags |= VIR_CONNECT_RO;
    if (!(conn = virConnectOpen(args->uri ? *args->uri : NULL, flags)))
        return -1;

    g_mutex_lock(&priv->lock);
    if (priv->conn) {   /* a concurrent open won */
        g_mutex_unlock(&priv->lock);
        virConnectClose(conn);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        return -1;
    }
    priv->conn = conn;
    g_mutex_unlock(&priv->lock);
    return 0;
}


int
remoteDispatchConnectClose(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                           virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED)
{
    remoteClientPrivate *priv = virNetServerClientGetPrivateData(client);
    virConnect *conn;

    g_mutex_lock(&priv->lock);
    conn = g_steal_pointer(&priv->conn);
    g_mutex_unlock(&priv->lock);
    if (conn)
        virConnectClose(conn);
    return 0;
}


int
remoteDispatchAuthList(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                       virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED,
                       remote_auth_list_ret *ret)
{
    remote_auth_type type;

    switch (virNetServerClientGetAuth(client)) {
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
    if (virNetServerClientIsAuthenticated(client))
        type = REMOTE_AUTH_NONE;
    ret->types.types_len = 1;
    ret->types.types_val = malloc(sizeof(remote_auth_type));
    ret->types.types_val[0] = type;
    return 0;
}


/* ---- SASL authentication ---------------------------------------------------
 *
 * As libvirtd (remoteDispatchAuthSasl*): INIT makes the session and lists
 * the mechanisms, START and STEP carry the tokens; when SASL says complete,
 * the server's checks follow (SSF on plain TCP, username on the allowed
 * list), then the client counts as authenticated with the SASL username as
 * its identity, and its session goes under the socket once the reply is
 * written. Every failure is the same "authentication failed"
 * (VIR_ERR_AUTH_FAILED) on the wire; the detail goes to the log with the
 * peer's address. A failed START or STEP drops the session (the client
 * starts again with INIT); a refused INIT leaves an existing one alone. */

static virNetSASLContext *remoteSASLCtxt;

void
remoteSetSASLContext(virNetSASLContext *ctxt)
{
    virNetSASLContext *old = remoteSASLCtxt;

    remoteSASLCtxt = ctxt ? virNetSASLContextRef(ctxt) : NULL;
    virNetSASLContextUnref(old);
}


/* "127.0.0.1;45678", or for a UNIX socket the peer's pid and uid. */
static char *
remotePeerString(virNetServerClient *client)
{
    const char *addr = virNetServerClientRemoteAddrString(client);
    uid_t uid;
    pid_t pid;

    if (addr && *addr)
        return g_strdup(addr);
    if (virNetServerClientGetUNIXIdentity(client, &uid, NULL, &pid) == 0)
        return g_strdup_printf("local, pid %lld, uid %u", (long long)pid, (unsigned int)uid);
    virResetLastError();
    return g_strdup("local");
}


static int
remoteSASLFail(virNetServerClient *client, const char *step, const char *why)
{
    g_autofree char *peer = NULL;
    g_autofree char *detail = g_strdup(why ? why : virGetLastErrorMessage());

    peer = remotePeerString(client);
    VIR_WARN("client %llu (%s): SASL authentication failed at %s: %s",
             virNetServerClientGetID(client), peer, step, detail);
    virResetLastError();
    virReportError(VIR_ERR_AUTH_FAILED, "%s", "authentication failed");
    return -1;
}


int
remoteDispatchAuthSaslInit(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                           virNetMessage *msg G_GNUC_UNUSED,
                           virNetMessageError *rerr G_GNUC_UNUSED,
                           remote_auth_sasl_init_ret *ret)
{
    remoteClientPrivate *priv = virNetServerClientGetPrivateData(client);
    virNetSASLSession *sess = NULL;
    g_autofree char *mechlist = NULL;
    bool secure = virNetServerClientIsSecure(client);
    int extSSF = 0;

    g_mutex_lock(&priv->lock);
    if (virNetServerClientGetAuth(client) != VIR_NET_SERVER_SERVICE_AUTH_SASL ||
        virNetServerClientIsAuthenticated(client) || priv->sasl) {
        g_mutex_unlock(&priv->lock);
        return remoteSASLFail(client, "INIT", "invalid SASL init request");
    }
    if (!remoteSASLCtxt) {
        g_mutex_unlock(&priv->lock);
        return remoteSASLFail(client, "INIT", "no SASL context");
    }
    if (!(sess = virNetSASLSessionNewServer(remoteSASLCtxt, VIR_NET_SASL_SERVICE,
                                            virNetServerClientLocalAddrString(client),
                                            virNetServerClientRemoteAddrString(client))))
        goto error;
    /* On TLS the cipher's key size is the external SSF (bits). */
    if (virNetServerClientHasTLSSession(client)) {
        if ((extSSF = virNetServerClientGetTLSKeySize(client)) < 0)
            goto error;
        extSSF *= 8;
    }
    if (virNetSASLSessionSetChannel(sess, secure, extSSF,
                                    virNetSASLContextGetTCPMinSSF(remoteSASLCtxt)) < 0)
        goto error;
    if (!(mechlist = virNetSASLSessionListMechanisms(sess)))
        goto error;
    VIR_DEBUG("client %llu: SASL mechanisms '%s' (secure %d, external SSF %d)",
              virNetServerClientGetID(client), mechlist, secure, extSSF);
    ret->mechlist = strdup(mechlist);
    priv->sasl = sess;
    g_mutex_unlock(&priv->lock);
    return 0;

 error:
    g_mutex_unlock(&priv->lock);
    virNetSASLSessionUnref(sess);
    return remoteSASLFail(client, "INIT", NULL);
}


/* START / STEP after SASL's own verdict: the server's checks, then the
 * client is authenticated. priv->lock held; drops priv->sasl either way.
 * -1 with the detail reported. */
static int
remoteSASLFinish(virNetServer *server, virNetServerClient *client, remoteClientPrivate *priv)
{
    virNetSASLSession *sess = g_steal_pointer(&priv->sasl);
    const char *username;

    if (!(username = virNetSASLSessionServerFinish(sess, remoteSASLCtxt,
                                                   virNetServerClientIsSecure(client)))) {
        virNetSASLSessionUnref(sess);
        return -1;
    }
    {
        g_autofree char *peer = remotePeerString(client);

        VIR_INFO("client %llu (%s): SASL authentication as '%s' succeeded",
                 virNetServerClientGetID(client), peer, username);
    }
    virNetServerClientSetSASLSession(client, sess, username);
    virNetServerClientAuthDone(server, client);
    virNetSASLSessionUnref(sess);
    return 0;
}


/* The common part of START and STEP: err is Start/Step's result, out its
 * token. Fills complete / empty / data only on success. */
static int
remoteSASLReply(virNetServer *server, virNetServerClient *client, remoteClientPrivate *priv,
                const char *step, int err, const char *out, size_t outlen,
                int *complete, int *empty, u_int *datalen, char **data)
{
    char *copy = NULL;

    if (err < 0)
        goto error;
    if (outlen > REMOTE_SASL_DATA_MAX) {
        virReportError(VIR_ERR_AUTH_FAILED, "SASL reply data too long: %zu bytes", outlen);
        goto error;
    }
    /* The token belongs to the session: copy it before finishing. */
    if (out && outlen > 0) {
        copy = malloc(outlen);
        memcpy(copy, out, outlen);
    }
    if (err == VIR_NET_SASL_COMPLETE) {
        if (remoteSASLFinish(server, client, priv) < 0) {
            free(copy);
            goto error;
        }
        *complete = 1;
    } else {
        *complete = 0;
    }
    /* NULL and "" differ in SASL: "empty" carries the difference. */
    *empty = out ? 0 : 1;
    *datalen = outlen;
    *data = copy;
    return 0;

 error:
    g_clear_pointer(&priv->sasl, virNetSASLSessionUnref);
    return remoteSASLFail(client, step, NULL);
}


/* START and STEP need a SASL service and a session begun by INIT: lock
 * priv and return 0, or fail the exchange (dropping any session). */
static int
remoteSASLLockSession(virNetServerClient *client, remoteClientPrivate *priv,
                      const char *step, const char *why)
{
    g_mutex_lock(&priv->lock);
    if (virNetServerClientGetAuth(client) == VIR_NET_SERVER_SERVICE_AUTH_SASL && priv->sasl)
        return 0;
    g_clear_pointer(&priv->sasl, virNetSASLSessionUnref);
    g_mutex_unlock(&priv->lock);
    return remoteSASLFail(client, step, why);
}


int
remoteDispatchAuthSaslStart(virNetServer *server, virNetServerClient *client,
                            virNetMessage *msg G_GNUC_UNUSED,
                            virNetMessageError *rerr G_GNUC_UNUSED,
                            remote_auth_sasl_start_args *args,
                            remote_auth_sasl_start_ret *ret)
{
    remoteClientPrivate *priv = virNetServerClientGetPrivateData(client);
    const char *out = NULL;
    size_t outlen = 0;
    int err, rc;

    if (remoteSASLLockSession(client, priv, "START", "invalid SASL start request") < 0)
        return -1;
    VIR_DEBUG("client %llu: SASL start, mechanism %s, %u bytes, empty %d",
              virNetServerClientGetID(client), args->mech, args->data.data_len, args->empty);
    err = virNetSASLSessionServerStart(priv->sasl, args->mech,
                                       args->empty ? NULL : args->data.data_val,
                                       args->data.data_len, &out, &outlen);
    rc = remoteSASLReply(server, client, priv, "START", err, out, outlen, &ret->complete,
                         &ret->empty, &ret->data.data_len, &ret->data.data_val);
    g_mutex_unlock(&priv->lock);
    return rc;
}


int
remoteDispatchAuthSaslStep(virNetServer *server, virNetServerClient *client,
                           virNetMessage *msg G_GNUC_UNUSED,
                           virNetMessageError *rerr G_GNUC_UNUSED,
                           remote_auth_sasl_step_args *args,
                           remote_auth_sasl_step_ret *ret)
{
    remoteClientPrivate *priv = virNetServerClientGetPrivateData(client);
    const char *out = NULL;
    size_t outlen = 0;
    int err, rc;

    if (remoteSASLLockSession(client, priv, "STEP", "invalid SASL step request") < 0)
        return -1;
    VIR_DEBUG("client %llu: SASL step, %u bytes, empty %d",
              virNetServerClientGetID(client), args->data.data_len, args->empty);
    err = virNetSASLSessionServerStep(priv->sasl, args->empty ? NULL : args->data.data_val,
                                      args->data.data_len, &out, &outlen);
    rc = remoteSASLReply(server, client, priv, "STEP", err, out, outlen, &ret->complete,
                         &ret->empty, &ret->data.data_len, &ret->data.data_val);
    g_mutex_unlock(&priv->lock);
    return rc;
}


int
remoteDispatchConnectSupportsFeature(virNetServer *server G_GNUC_UNUSED,
                                     virNetServerClient *client,
                                     virNetMessage *msg G_GNUC_UNUSED,
                                     virNetMessageError *rerr G_GNUC_UNUSED,
                                     remote_connect_supports_feature_args *args,
                                     remote_connect_supports_feature_ret *ret)
{
    int rv;

    switch (args->feature) {
    case REMOTE_FEATURE_PROGRAM_KEEPALIVE:
        /* Asked before CONNECT_OPEN by clients that can answer pings. */
        if (virNetServerClientStartKeepAlive(client) < 0)
            return -1;
        ret->supported = 1;
        return 0;
    case REMOTE_FEATURE_REMOTE_EVENT_CALLBACK:
    case REMOTE_FEATURE_REMOTE_CLOSE_CALLBACK:
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
remoteDispatchConnectGetType(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                             virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED,
                             remote_connect_get_type_ret *ret)
{
    const char *type;
    REMOTE_CONN(conn);

    if (!(type = virConnectGetType(conn)))
        return -1;
    ret->type = strdup(type);
    return 0;
}


int
remoteDispatchConnectGetVersion(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                                virNetMessage *msg G_GNUC_UNUSED,
                                virNetMessageError *rerr G_GNUC_UNUSED,
                                remote_connect_get_version_ret *ret)
{
    unsigned long long v;
    REMOTE_CONN(conn);

    if (virConnectGetVersion(conn, &v) < 0)
        return -1;
    ret->hv_version = v;
    return 0;
}


int
remoteDispatchConnectGetLibVersion(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                                   virNetMessage *msg G_GNUC_UNUSED,
                                   virNetMessageError *rerr G_GNUC_UNUSED,
                                   remote_connect_get_lib_version_ret *ret)
{
    REMOTE_CONN(conn);

    ret->lib_version = REMOTE_LIB_VERSION;
    return 0;
}


int
remoteDispatchConnectGetHostname(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                                 virNetMessage *msg G_GNUC_UNUSED,
                                 virNetMessageError *rerr G_GNUC_UNUSED,
                                 remote_connect_get_hostname_ret *ret)
{
    REMOTE_CONN(conn);
    return remoteReturnString(virConnectGetHostname(conn), &ret->hostname);
}


int
remoteDispatchConnectGetUri(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                            virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED,
                            remote_connect_get_uri_ret *ret)
{
    REMOTE_CONN(conn);
    return remoteReturnString(virConnectGetURI(conn), &ret->uri);
}


int
remoteDispatchConnectGetCapabilities(virNetServer *server G_GNUC_UNUSED,
                                     virNetServerClient *client,
                                     virNetMessage *msg G_GNUC_UNUSED,
                                     virNetMessageError *rerr G_GNUC_UNUSED,
                                     remote_connect_get_capabilities_ret *ret)
{
    REMOTE_CONN(conn);
    return remoteReturnString(virConnectGetCapabilities(conn), &ret->capabilities);
}


int
remoteDispatchConnectIsSecure(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                              virNetMessage *msg G_GNUC_UNUSED,
                              virNetMessageError *rerr G_GNUC_UNUSED,
                              remote_connect_is_secure_ret *ret)
{
    int rv;
    REMOTE_CONN(conn);

    if ((rv = virConnectIsSecure(conn)) < 0)
        return -1;
    ret->secure = rv;
    return 0;
}


int
remoteDispatchConnectGetMaxVcpus(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                                 virNetMessage *msg G_GNUC_UNUSED,
                                 virNetMessageError *rerr G_GNUC_UNUSED,
                                 remote_connect_get_max_vcpus_args *args,
                                 remote_connect_get_max_vcpus_ret *ret)
{
    int rv;
    REMOTE_CONN(conn);

    if ((rv = virConnectGetMaxVcpus(conn, args->type ? *args->type : NULL)) < 0)
        return -1;
    ret->max_vcpus = rv;
    return 0;
}


int
remoteDispatchNodeGetInfo(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                          virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED,
                          remote_node_get_info_ret *ret)
{
    virNodeInfo info;
    REMOTE_CONN(conn);

    if (virNodeGetInfo(conn, &info) < 0)
        return -1;
    G_STATIC_ASSERT(sizeof(ret->model) == sizeof(info.model));
    memcpy(ret->model, info.model, sizeof(ret->model));
    ret->memory = info.memory;
    ret->cpus = info.cpus;
    ret->mhz = info.mhz;
    ret->nodes = info.nodes;
    ret->sockets = info.sockets;
    ret->cores = info.cores;
    ret->threads = info.threads;
    return 0;
}


int
remoteDispatchNodeGetFreeMemory(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                                virNetMessage *msg G_GNUC_UNUSED,
                                virNetMessageError *rerr G_GNUC_UNUSED,
                                remote_node_get_free_memory_ret *ret)
{
    unsigned long long freeMem;
    REMOTE_CONN(conn);

    if (virNodeGetFreeMemory(conn, &freeMem) < 0)
        return -1;
    ret->free_mem = freeMem;
    return 0;
}


/* char<N> on the wire counts the C string's NUL, as libvirt sends it. */
static void
remoteFillCharArray(u_int *len, char **val, const char *s)
{
    *len = strlen(s) + 1;
    *val = strdup(s);
}


int
remoteDispatchNodeGetSecurityModel(virNetServer *server G_GNUC_UNUSED,
                                   virNetServerClient *client,
                                   virNetMessage *msg G_GNUC_UNUSED,
                                   virNetMessageError *rerr G_GNUC_UNUSED,
                                   remote_node_get_security_model_ret *ret)
{
    virSecurityModel model;
    REMOTE_CONN(conn);

    if (virNodeGetSecurityModel(conn, &model) < 0)
        return -1;
    remoteFillCharArray(&ret->model.model_len, &ret->model.model_val, model.model);
    remoteFillCharArray(&ret->doi.doi_len, &ret->doi.doi_val, model.doi);
    return 0;
}

/* ---- listing and lookup ------------------------------------------------- */

int
remoteDispatchConnectNumOfDomains(virNetServer *server G_GNUC_UNUSED,
                                  virNetServerClient *client,
                                  virNetMessage *msg G_GNUC_UNUSED,
                                  virNetMessageError *rerr G_GNUC_UNUSED,
                                  remote_connect_num_of_domains_ret *ret)
{
    int n;
    REMOTE_CONN(conn);

    if ((n = virConnectNumOfDomains(conn)) < 0)
        return -1;
    ret->count = n;
    return 0;
}


int
remoteDispatchConnectNumOfDefinedDomains(virNetServer *server G_GNUC_UNUSED,
                                         virNetServerClient *client,
                                         virNetMessage *msg G_GNUC_UNUSED,
                                         virNetMessageError *rerr G_GNUC_UNUSED,
                                         remote_connect_num_of_defined_domains_ret *ret)
{
    int n;
    REMOTE_CONN(conn);

    if ((n = virConnectNumOfDefinedDomains(conn)) < 0)
        return -1;
    ret->count = n;
    return 0;
}


int
remoteDispatchConnectListDomains(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                                 virNetMessage *msg G_GNUC_UNUSED,
                                 virNetMessageError *rerr G_GNUC_UNUSED,
                                 remote_connect_list_domains_args *args,
                                 remote_connect_list_domains_ret *ret)
{
    int n;
    REMOTE_CONN(conn);

    if (args->max_ids < 0 || args->max_ids > REMOTE_DOMAINS_MAX) {
        virReportError(VIR_ERR_RPC, "max_ids %d out of range 0..%d",
                       args->max_ids, REMOTE_DOMAINS_MAX);
        return -1;
    }
    ret->ids.ids_val = calloc(args->max_ids ? args->max_ids : 1, sizeof(int));
    if ((n = virConnectListDomains(conn, ret->ids.ids_val, args->max_ids)) < 0)
        return -1;
    ret->ids.ids_len = n;
    return 0;
}


int
remoteDispatchConnectListDefinedDomains(virNetServer *server G_GNUC_UNUSED,
                                        virNetServerClient *client,
                                        virNetMessage *msg G_GNUC_UNUSED,
                                        virNetMessageError *rerr G_GNUC_UNUSED,
                                        remote_connect_list_defined_domains_args *args,
                                        remote_connect_list_defined_domains_ret *ret)
{
    int n;
    REMOTE_CONN(conn);

    if (args->max_names < 0 || args->max_names > REMOTE_DOMAINS_MAX) {
        virReportError(VIR_ERR_RPC, "max_names %d out of range 0..%d",
                       args->max_names, REMOTE_DOMAINS_MAX);
        return -1;
    }
    ret->names.names_val = calloc(args->max_names ? args->max_names : 1, sizeof(char *));
    if ((n = virConnectListDefinedDomains(conn, ret->names.names_val, args->max_names)) < 0)
        return -1;
    ret->names.names_len = n;
    return 0;
}


int
remoteDispatchConnectListAllDomains(virNetServer *server G_GNUC_UNUSED,
                                    virNetServerClient *client,
                                    virNetMessage *msg G_GNUC_UNUSED,
                                    virNetMessageError *rerr G_GNUC_UNUSED,
                                    remote_connect_list_all_domains_args *args,
                                    remote_connect_list_all_domains_ret *ret)
{
    virDomainRef **doms = NULL;
    int n;
    REMOTE_CONN(conn);

    if ((n = virConnectListAllDomains(conn, args->need_results ? &doms : NULL,
                                      args->flags)) < 0)
        return -1;
    if (n > REMOTE_DOMAINS_MAX) {
        virDomainRefListFree(doms);
        virReportError(VIR_ERR_RPC, "too many domains (%d) for one reply, at most %d",
                       n, REMOTE_DOMAINS_MAX);
        return -1;
    }
    if (doms) {
        ret->domains.domains_val = calloc(n ? n : 1, sizeof(remote_dom));
        ret->domains.domains_len = n;
        for (int i = 0; i < n; i++)
            remoteDomFromRef(&ret->domains.domains_val[i], doms[i]);
        virDomainRefListFree(doms);
    }
    ret->count = n;
    return 0;
}


int
remoteDispatchDomainLookupByName(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                                 virNetMessage *msg G_GNUC_UNUSED,
                                 virNetMessageError *rerr G_GNUC_UNUSED,
                                 remote_domain_lookup_by_name_args *args,
                                 remote_domain_lookup_by_name_ret *ret)
{
    REMOTE_CONN(conn);
    return remoteReturnDom(virDomainLookupByName(conn, args->name), &ret->dom);
}


int
remoteDispatchDomainLookupByUuid(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                                 virNetMessage *msg G_GNUC_UNUSED,
                                 virNetMessageError *rerr G_GNUC_UNUSED,
                                 remote_domain_lookup_by_uuid_args *args,
                                 remote_domain_lookup_by_uuid_ret *ret)
{
    REMOTE_CONN(conn);
    return remoteReturnDom(virDomainLookupByUUID(conn, (const unsigned char *)args->uuid),
                           &ret->dom);
}


int
remoteDispatchDomainLookupById(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                               virNetMessage *msg G_GNUC_UNUSED,
                               virNetMessageError *rerr G_GNUC_UNUSED,
                               remote_domain_lookup_by_id_args *args,
                               remote_domain_lookup_by_id_ret *ret)
{
    REMOTE_CONN(conn);
    return remoteReturnDom(virDomainLookupByID(conn, args->id), &ret->dom);
}

/* ---- lifecycle ---------------------------------------------------------- */

int
remoteDispatchDomainDefineXml(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                              virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED,
                              remote_domain_define_xml_args *args,
                              remote_domain_define_xml_ret *ret)
{
    REMOTE_CONN(conn);
    return remoteReturnDom(virDomainDefineXML(conn, args->xml), &ret->dom);
}


int
remoteDispatchDomainDefineXmlFlags(virNetServer *server G_GNUC_UNUSED,
                                   virNetServerClient *client,
                                   virNetMessage *msg G_GNUC_UNUSED,
                                   virNetMessageError *rerr G_GNUC_UNUSED,
                                   remote_domain_define_xml_flags_args *args,
                                   remote_domain_define_xml_flags_ret *ret)
{
    REMOTE_CONN(conn);
    return remoteReturnDom(virDomainDefineXMLFlags(conn, args->xml, args->flags), &ret->dom);
}


int
remoteDispatchDomainCreateXml(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                              virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED,
                              remote_domain_create_xml_args *args,
                              remote_domain_create_xml_ret *ret)
{
    REMOTE_CONN(conn);
    return remoteReturnDom(virDomainCreateXML(conn, args->xml, args->flags), &ret->dom);
}


int
remoteDispatchDomainCreate(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                           virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED,
                           remote_domain_create_args *args)
{
    REMOTE_CONN(conn);
    REMOTE_DOM(dom, args->dom);
    return virDomainCreate(conn, &dom);
}


int
remoteDispatchDomainCreateWithFlags(virNetServer *server G_GNUC_UNUSED,
                                    virNetServerClient *client,
                                    virNetMessage *msg G_GNUC_UNUSED,
                                    virNetMessageError *rerr G_GNUC_UNUSED,
                                    remote_domain_create_with_flags_args *args,
                                    remote_domain_create_with_flags_ret *ret)
{
    REMOTE_CONN(conn);
    REMOTE_DOM(dom, args->dom);

    if (virDomainCreateWithFlags(conn, &dom, args->flags) < 0)
        return -1;
    /* The reply carries the domain with its new ID. */
    return remoteReturnDom(virDomainLookupByUUID(conn, dom.uuid), &ret->dom);
}

/* Handlers that take a domain (and maybe flags) and return nothing. */
#define REMOTE_DOM_CALL(Name, argtype, call) \
    int \
    remoteDispatch##Name(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client, \
                         virNetMessage *msg G_GNUC_UNUSED, \
                         virNetMessageError *rerr G_GNUC_UNUSED, argtype *args) \
    { \
        REMOTE_CONN(conn); \
        REMOTE_DOM(dom, args->dom); \
        return call; \
    }

REMOTE_DOM_CALL(DomainDestroy, remote_domain_destroy_args, virDomainDestroy(conn, &dom))
REMOTE_DOM_CALL(DomainDestroyFlags, remote_domain_destroy_flags_args,
                virDomainDestroyFlags(conn, &dom, args->flags))
REMOTE_DOM_CALL(DomainShutdown, remote_domain_shutdown_args, virDomainShutdown(conn, &dom))
REMOTE_DOM_CALL(DomainShutdownFlags, remote_domain_shutdown_flags_args,
                virDomainShutdownFlags(conn, &dom, args->flags))
REMOTE_DOM_CALL(DomainReboot, remote_domain_reboot_args,
                virDomainReboot(conn, &dom, args->flags))
REMOTE_DOM_CALL(DomainSuspend, remote_domain_suspend_args, virDomainSuspend(conn, &dom))
REMOTE_DOM_CALL(DomainResume, remote_domain_resume_args, virDomainResume(conn, &dom))
REMOTE_DOM_CALL(DomainUndefine, remote_domain_undefine_args, virDomainUndefine(conn, &dom))
REMOTE_DOM_CALL(DomainUndefineFlags, remote_domain_undefine_flags_args,
                virDomainUndefineFlags(conn, &dom, args->flags))
REMOTE_DOM_CALL(DomainSetAutostart, remote_domain_set_autostart_args,
                virDomainSetAutostart(conn, &dom, args->autostart))

/* ---- domain getters ----------------------------------------------------- */

int
remoteDispatchDomainGetInfo(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                            virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED,
                            remote_domain_get_info_args *args, remote_domain_get_info_ret *ret)
{
    virDomainInfo info;
    REMOTE_CONN(conn);
    REMOTE_DOM(dom, args->dom);

    if (virDomainGetInfo(conn, &dom, &info) < 0)
        return -1;
    ret->state = info.state;
    ret->max_mem = info.maxMem;
    ret->memory = info.memory;
    ret->nr_virt_cpu = info.nrVirtCpu;
    ret->cpu_time = info.cpuTime;
    return 0;
}


int
remoteDispatchDomainGetState(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                             virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED,
                             remote_domain_get_state_args *args,
                             remote_domain_get_state_ret *ret)
{
    REMOTE_CONN(conn);
    REMOTE_DOM(dom, args->dom);
    return virDomainGetState(conn, &dom, &ret->state, &ret->reason, args->flags);
}


int
remoteDispatchDomainGetXmlDesc(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                               virNetMessage *msg G_GNUC_UNUSED,
                               virNetMessageError *rerr G_GNUC_UNUSED,
                               remote_domain_get_xml_desc_args *args,
                               remote_domain_get_xml_desc_ret *ret)
{
    REMOTE_CONN(conn);
    REMOTE_DOM(dom, args->dom);
    return remoteReturnString(virDomainGetXMLDesc(conn, &dom, args->flags), &ret->xml);
}


int
remoteDispatchDomainGetOsType(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                              virNetMessage *msg G_GNUC_UNUSED,
                              virNetMessageError *rerr G_GNUC_UNUSED,
                              remote_domain_get_os_type_args *args,
                              remote_domain_get_os_type_ret *ret)
{
    REMOTE_CONN(conn);
    REMOTE_DOM(dom, args->dom);
    return remoteReturnString(virDomainGetOSType(conn, &dom), &ret->type);
}


int
remoteDispatchDomainGetAutostart(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                                 virNetMessage *msg G_GNUC_UNUSED,
                                 virNetMessageError *rerr G_GNUC_UNUSED,
                                 remote_domain_get_autostart_args *args,
                                 remote_domain_get_autostart_ret *ret)
{
    REMOTE_CONN(conn);
    REMOTE_DOM(dom, args->dom);
    return virDomainGetAutostart(conn, &dom, &ret->autostart);
}


int
remoteDispatchDomainGetSecurityLabel(virNetServer *server G_GNUC_UNUSED,
                                     virNetServerClient *client,
                                     virNetMessage *msg G_GNUC_UNUSED,
                                     virNetMessageError *rerr G_GNUC_UNUSED,
                                     remote_domain_get_security_label_args *args,
                                     remote_domain_get_security_label_ret *ret)
{
    virSecurityLabel label;
    REMOTE_CONN(conn);
    REMOTE_DOM(dom, args->dom);

    if (virDomainGetSecurityLabel(conn, &dom, &label) < 0)
        return -1;
    remoteFillCharArray(&ret->label.label_len, &ret->label.label_val, label.label);
    ret->enforcing = label.enforcing;
    return 0;
}

/* Handlers that return one int from a domain call. */
#define REMOTE_DOM_INT(Name, argtype, rettype, field, call) \
    int \
    remoteDispatch##Name(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client, \
                         virNetMessage *msg G_GNUC_UNUSED, \
                         virNetMessageError *rerr G_GNUC_UNUSED, \
                         argtype *args, rettype *ret) \
    { \
        int rv; \
        REMOTE_CONN(conn); \
        REMOTE_DOM(dom, args->dom); \
        if ((rv = call) < 0) \
            return -1; \
        ret->field = rv; \
        return 0; \
    }

REMOTE_DOM_INT(DomainIsActive, remote_domain_is_active_args, remote_domain_is_active_ret,
               active, virDomainIsActive(conn, &dom))
REMOTE_DOM_INT(DomainIsPersistent, remote_domain_is_persistent_args,
               remote_domain_is_persistent_ret, persistent, virDomainIsPersistent(conn, &dom))
REMOTE_DOM_INT(DomainHasManagedSaveImage, remote_domain_has_managed_save_image_args,
               remote_domain_has_managed_save_image_ret, result,
               virDomainHasManagedSaveImage(conn, &dom, args->flags))

/* ---- events ------------------------------------------------------------- */

static void
remoteEventRelayFree(void *opaque)
{
    remoteEventRelay *relay = opaque;

    virNetServerClientUnref(relay->client);
    virNetServerProgramUnref(relay->prog);
    g_free(relay);
}


static remoteEventRelay *
remoteEventRelayNew(virNetServerClient *client, bool legacy)
{
    remoteClientPrivate *priv = virNetServerClientGetPrivateData(client);
    remoteEventRelay *relay = g_new0(remoteEventRelay, 1);

    relay->client = virNetServerClientRef(client);
    relay->prog = virNetServerProgramRef(priv->prog);
    relay->callbackID = -1;
    relay->legacy = legacy;
    return relay;
}


/* Runs in the thread that changed the state, under the driver's event
 * lock: it only encodes and queues a message (never blocks). */
static void
remoteRelayLifecycle(virConnect *conn G_GNUC_UNUSED, const virDomainRef *dom,
                     int event, int detail, void *opaque)
{
    remoteEventRelay *relay = opaque;
    remote_domain_event_lifecycle_msg data = { .event = event, .detail = detail };

    remoteDomBorrowRef(&data.dom, dom);

    if (relay->legacy) {
        remoteSendDomainEventLifecycle(relay->prog, relay->client, &data);
    } else {
        remote_domain_event_callback_lifecycle_msg cdata = {
            .callback_id = g_atomic_int_get(&relay->callbackID), .msg = data,
        };
        /* An event raised before the registration returned its ID. */
        if (cdata.callback_id < 0)
            return;
        remoteSendDomainEventCallbackLifecycle(relay->prog, relay->client, &cdata);
    }
}


static void
remoteRelayReboot(virConnect *conn G_GNUC_UNUSED, const virDomainRef *dom, void *opaque)
{
    remoteEventRelay *relay = opaque;
    remote_domain_event_reboot_msg data;

    remoteDomBorrowRef(&data.dom, dom);

    if (relay->legacy) {
        remoteSendDomainEventReboot(relay->prog, relay->client, &data);
    } else {
        remote_domain_event_callback_reboot_msg cdata = {
            .callback_id = g_atomic_int_get(&relay->callbackID), .msg = data,
        };
        if (cdata.callback_id < 0)
            return;
        remoteSendDomainEventCallbackReboot(relay->prog, relay->client, &cdata);
    }
}


/* Event IDs we accept but have no message for: registered, never sent. */
static void
remoteRelayIgnored(virConnect *conn G_GNUC_UNUSED, const virDomainRef *dom G_GNUC_UNUSED,
                   void *opaque G_GNUC_UNUSED)
{
}


int
remoteDispatchConnectDomainEventRegister(virNetServer *server G_GNUC_UNUSED,
                                         virNetServerClient *client,
                                         virNetMessage *msg G_GNUC_UNUSED,
                                         virNetMessageError *rerr G_GNUC_UNUSED,
                                         remote_connect_domain_event_register_ret *ret)
{
    remoteEventRelay *relay;
    REMOTE_CONN(conn);

    relay = remoteEventRelayNew(client, true);
    if (virConnectDomainEventRegister(conn, remoteRelayLifecycle, relay,
                                      remoteEventRelayFree) < 0) {
        remoteEventRelayFree(relay);
        return -1;
    }
    ret->unused = 0;    /* layout only: clients ignore it */
    return 0;
}


int
remoteDispatchConnectDomainEventDeregister(virNetServer *server G_GNUC_UNUSED,
                                           virNetServerClient *client,
                                           virNetMessage *msg G_GNUC_UNUSED,
                                           virNetMessageError *rerr G_GNUC_UNUSED,
                                           remote_connect_domain_event_deregister_ret *ret)
{
    REMOTE_CONN(conn);

    if (virConnectDomainEventDeregister(conn, remoteRelayLifecycle) < 0)
        return -1;
    ret->unused = 0;
    return 0;
}


int
remoteDispatchConnectDomainEventCallbackRegisterAny(
    virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
    virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED,
    remote_connect_domain_event_callback_register_any_args *args,
    remote_connect_domain_event_callback_register_any_ret *ret)
{
    remoteClientPrivate *priv = virNetServerClientGetPrivateData(client);
    virConnectDomainEventGenericCallback cb;
    remoteEventRelay *relay;
    virDomainRef filter;
    int id;
    REMOTE_CONN(conn);

    /* libvirtd's own check and wording, before the driver sees it. */
    if (args->event_id < 0 || args->event_id >= REMOTE_EVENT_ID_COUNT) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "unsupported event ID %d", args->event_id);
        return -1;
    }
    if (args->dom)
        filter = remoteRefFromDom(args->dom);
    switch (args->event_id) {
    case VIR_DOMAIN_EVENT_ID_LIFECYCLE:
        cb = VIR_DOMAIN_EVENT_CALLBACK(remoteRelayLifecycle);
        break;
    case VIR_DOMAIN_EVENT_ID_REBOOT:
        cb = VIR_DOMAIN_EVENT_CALLBACK(remoteRelayReboot);
        break;
    default:
        cb = VIR_DOMAIN_EVENT_CALLBACK(remoteRelayIgnored);
        break;
    }
    relay = remoteEventRelayNew(client, false);
    if ((id = virConnectDomainEventRegisterAny(conn, args->dom ? &filter : NULL,
                                               args->event_id, cb, relay,
                                               remoteEventRelayFree)) < 0) {
        remoteEventRelayFree(relay);
        return -1;
    }
    /* The driver owns relay now; it stays valid until deregistration,
     * which only this client's own calls or its close can do. */
    g_atomic_int_set(&relay->callbackID, id);
    g_mutex_lock(&priv->lock);
    g_array_append_val(priv->callbackIDs, id);
    g_mutex_unlock(&priv->lock);
    ret->callback_id = id;
    return 0;
}


int
remoteDispatchConnectDomainEventCallbackDeregisterAny(
    virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
    virNetMessage *msg G_GNUC_UNUSED, virNetMessageError *rerr G_GNUC_UNUSED,
    remote_connect_domain_event_callback_deregister_any_args *args)
{
    remoteClientPrivate *priv = virNetServerClientGetPrivateData(client);
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


int
remoteDispatchConnectRegisterCloseCallback(virNetServer *server G_GNUC_UNUSED,
                                           virNetServerClient *client,
                                           virNetMessage *msg G_GNUC_UNUSED,
                                           virNetMessageError *rerr G_GNUC_UNUSED)
{
    remoteClientPrivate *priv = virNetServerClientGetPrivateData(client);
    REMOTE_CONN(conn);

    /* The client learns of a close from the socket; nothing to send. */
    g_mutex_lock(&priv->lock);
    priv->closeCallback = true;
    g_mutex_unlock(&priv->lock);
    return 0;
}


int
remoteDispatchConnectUnregisterCloseCallback(virNetServer *server G_GNUC_UNUSED,
                                             virNetServerClient *client,
                                             virNetMessage *msg G_GNUC_UNUSED,
                                             virNetMessageError *rerr G_GNUC_UNUSED)
{
    remoteClientPrivate *priv = virNetServerClientGetPrivateData(client);
    REMOTE_CONN(conn);

    g_mutex_lock(&priv->lock);
    priv->closeCallback = false;
    g_mutex_unlock(&priv->lock);
    return 0;
}
