/*
 * vnclient.c: the client API (see vnclient.h and docs/client.md).
 *
 * A vnConnect owns one virNetClient, the remote program on it, and a
 * virEventThread attached to the client: that thread watches the socket
 * between calls, runs keepalive, and dispatches event messages from the
 * client's zero-second timer (DESIGN rule 5), so callbacks never run
 * inside a call. Calls are the generated remoteCall* stubs, made from the
 * caller's thread; the RPC client serialises the socket between threads.
 *
 * Locking: conn->lock guards the small mutable state (cached type string,
 * close callback). conn->evlock guards the event registrations and is
 * held across the register / deregister calls, so that an event for a new
 * registration cannot be looked up before the registration is stored and
 * none is delivered after its deregistration returned. Callbacks run with
 * no lock held. Lock order: evlock -> lock.
 *
 * References: the caller's, one per vnDomain, and one taken by the event
 * thread around each callback (only while the connection still has one:
 * vnConnectTryRef). The last reference tears down; it joins the event
 * thread, so when it drops on that thread (inside a callback), a helper
 * thread does the teardown instead.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "vnclient.h"
#include "vnclientpriv.h"
#include "virnetclient.h"
#include "virnetclientprogram.h"
#include "virnetsaslcontext.h"
#include "virnettlscontext.h"
#include "remote_protocol.h"
#include "remote_protocol_client.h"
#include "virevent.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

VIR_LOG_INIT("client.vnclient");

#define VN_DEFAULT_URI "test:///default"
#define VN_DEFAULT_TCP_PORT "16509"
#define VN_DEFAULT_TLS_PORT "16514"
#define VN_KEEPALIVE_INTERVAL 5
#define VN_KEEPALIVE_COUNT 5


/* One registration on the server: an event ID and an optional domain.
 * The server refuses a second identical one ("event callback already
 * tracked", as libvirtd), so the client shares it between its callbacks
 * with the same event ID and filter, as libvirt's client does. */
typedef struct {
    int serverID;               /* the server's callback ID */
    int eventID;
    bool hasDom;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int nlocal;                 /* live callbacks on it */
} vnServerReg;

/* One registration of the API. */
typedef struct {
    int callbackID;             /* ours, returned to the caller */
    vnServerReg *reg;
    vnLifecycleCallback cb;
    void *opaque;
    vnFreeCallback ff;
    int running;                /* calls in progress (event thread) */
    bool removed;               /* deregistered; freed once not running */
} vnEventCallback;

struct _vnConnect {
    gint refs;
    unsigned int flags;
    char *uri;                  /* as given (or the default) */
    char *openURI;              /* what CONNECT_OPEN got */
    char *address;              /* socket path or host:port */
    char *hostname;             /* the server's name ("localhost" on UNIX) */
    bool isUnix;
    vnAuthCallback authCb;      /* credentials for SASL; may be NULL */
    void *authOpaque;

    virEventThread *evthread;
    virNetClient *client;
    virNetClientProgram *prog;
    bool opened;                /* CONNECT_OPEN succeeded */
    bool featKeepalive;
    bool featEventCallback;

    GMutex lock;
    char *type;                 /* cached CONNECT_GET_TYPE */
    vnConnectCloseFunc closeCb;
    void *closeOpaque;
    vnFreeCallback closeFf;
    bool closeRegistered;       /* told the server (360) */

    GMutex evlock;
    GPtrArray *callbacks;       /* vnEventCallback *, in registration order */
    GPtrArray *serverRegs;      /* vnServerReg * */
    int nextCallbackID;
};

struct _vnDomain {
    gint refs;
    vnConnect *conn;            /* a reference */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    gint id;                    /* -1 when not running */
};


/* ---- errors -------------------------------------------------------------- */

const virError *
vnGetLastError(void)
{
    return virGetLastError();
}


const char *
vnGetLastErrorMessage(void)
{
    return virGetLastErrorMessage();
}


int
vnGetLastErrorCode(void)
{
    return virGetLastErrorCode();
}


void
vnResetLastError(void)
{
    virResetLastError();
}


/* An object argument check: a NULL object is libvirt's INVALID_CONN /
 * INVALID_DOMAIN naming the function. Calls to the server clear the
 * thread's last error first; local accessors keep it: they are used right
 * after a failure to word the report (the CLI's "Failed to start domain
 * 'x'"). */
#define VN_CHECK_OBJECT(ok, code, reset, ret) \
    do { \
        if (reset) \
            virResetLastError(); \
        if (!(ok)) { \
            virReportError(code, "%s", __func__); \
            return ret; \
        } \
    } while (0)

#define VN_CHECK_CONN(conn, ret) VN_CHECK_OBJECT(conn, VIR_ERR_INVALID_CONN, true, ret)
#define VN_CHECK_DOM(dom, ret) \
    VN_CHECK_OBJECT((dom) && (dom)->conn, VIR_ERR_INVALID_DOMAIN, true, ret)
#define VN_CHECK_CONN_LOCAL(conn, ret) VN_CHECK_OBJECT(conn, VIR_ERR_INVALID_CONN, false, ret)
#define VN_CHECK_DOM_LOCAL(dom, ret) \
    VN_CHECK_OBJECT((dom) && (dom)->conn, VIR_ERR_INVALID_DOMAIN, false, ret)

#define VN_CHECK_ARG(cond, ret) \
    do { \
        if (!(cond)) { \
            virReportError(VIR_ERR_INVALID_ARG, "%s: %s", __func__, "must hold: " #cond); \
            return ret; \
        } \
    } while (0)

/* Shorthands for the generated stubs. */
#define PROG(conn) (conn)->prog, (conn)->client
#define XDR_FREE(type, ptr) xdr_free((xdrproc_t)xdr_##type, (char *)(ptr))


/* ---- UUIDs ------------------------------------------------------------- */

int
vnUUIDParse(const char *str, unsigned char *uuid)
{
    size_t n = 0;
    const char *p;

    if (!str || !uuid)
        return -1;
    p = str;
    while (g_ascii_isspace(*p))
        p++;
    while (n < VIR_UUID_BUFLEN * 2) {
        int v;

        if (*p == '-') {
            p++;
            continue;
        }
        if ((v = g_ascii_xdigit_value(*p)) < 0)
            return -1;
        if (n % 2 == 0)
            uuid[n / 2] = (unsigned char)(v << 4);
        else
            uuid[n / 2] |= (unsigned char)v;
        n++;
        p++;
    }
    while (*p) {
        if (!g_ascii_isspace(*p))
            return -1;
        p++;
    }
    return 0;
}


void
vnUUIDFormat(const unsigned char *uuid, char *buf)
{
    g_snprintf(buf, VIR_UUID_STRING_BUFLEN,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7],
               uuid[8], uuid[9], uuid[10], uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
}


/* ---- URIs ---------------------------------------------------------------- */

/* Query parameters the client uses itself (libvirt's remote driver list):
 * they are not passed on to the server. */
static bool
vnURIParamIsClients(const char *name)
{
    static const char *const names[] = {
        "name", "command", "socket", "auth", "netcat", "keyfile", "no_verify",
        "no_tty", "pkipath", "known_hosts", "known_hosts_verify", "sshauth",
        "mode", "proxy", "tls_priority", NULL,
    };

    for (size_t i = 0; names[i]; i++) {
        if (g_ascii_strcasecmp(name, names[i]) == 0)
            return true;
    }
    return false;
}


/* A socket of the default run directory (docs/virtnetd.md). */
char *
vnDefaultSocketPath(const char *sock)
{
    const char *xdg;

    if (geteuid() == 0)
        return g_build_filename(VIRTNET_RUNSTATEDIR, "virtnet", sock, NULL);
    if ((xdg = g_getenv("XDG_RUNTIME_DIR")) && *xdg)
        return g_build_filename(xdg, "virtnet", sock, NULL);
    return g_strdup_printf("/tmp/virtnet-%u/%s", (unsigned int)geteuid(), sock);
}


typedef struct {
    char *transport;            /* "unix", "tcp" or "tls" */
    char *socket;               /* unix */
    char *host;                 /* tcp, tls */
    char *port;                 /* tcp, tls */
    char *openURI;
    char *auth;                 /* auth=: "sasl", "sasl.MECH", ... */
    char *pkipath;              /* tls: pkipath= */
    char *tlsPriority;          /* tls: tls_priority= */
    bool noVerify;              /* tls: no_verify=1 */
} vnURIParts;

static void
vnURIPartsClear(vnURIParts *parts)
{
    g_free(parts->transport);
    g_free(parts->socket);
    g_free(parts->host);
    g_free(parts->port);
    g_free(parts->openURI);
    g_free(parts->auth);
    g_free(parts->pkipath);
    g_free(parts->tlsPriority);
}


static int
vnURIParse(const char *uristr, bool readonly, vnURIParts *parts)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GUri) uri = NULL;
    g_autofree char *driver = NULL;
    g_autofree char *nameParam = NULL;
    g_autoptr(GString) kept = g_string_new(NULL);
    const char *scheme, *plus, *host, *query;

    memset(parts, 0, sizeof(*parts));
    if (!(uri = g_uri_parse(uristr, G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_NON_DNS, &gerr))) {
        virReportError(VIR_ERR_INVALID_ARG, "cannot parse URI '%s': %s", uristr, gerr->message);
        return -1;
    }
    scheme = g_uri_get_scheme(uri);
    if ((plus = strchr(scheme, '+'))) {
        driver = g_strndup(scheme, plus - scheme);
        parts->transport = g_ascii_strdown(plus + 1, -1);
    } else {
        driver = g_strdup(scheme);
    }
    host = g_uri_get_host(uri);
    if (host && !*host)
        host = NULL;
    if (!parts->transport)
        parts->transport = g_strdup(host ? "tls" : "unix");   /* libvirt's default */

    if ((query = g_uri_get_query(uri)) && *query) {
        g_auto(GStrv) pairs = g_strsplit(query, "&", -1);

        for (size_t i = 0; pairs[i]; i++) {
            const char *eq = strchr(pairs[i], '=');
            g_autofree char *rawname = eq ? g_strndup(pairs[i], eq - pairs[i]) : g_strdup(pairs[i]);
            g_autofree char *name = g_uri_unescape_string(rawname, NULL);
            g_autofree char *value = eq ? g_uri_unescape_string(eq + 1, NULL) : g_strdup("");

            if (!*pairs[i])
                continue;
            if (!name || !value) {
                virReportError(VIR_ERR_INVALID_ARG, "malformed query parameter '%s' in URI '%s'",
                               pairs[i], uristr);
                return -1;
            }
            if (!vnURIParamIsClients(name)) {
                g_string_append_printf(kept, "%s%s", kept->len ? "&" : "", pairs[i]);
                continue;
            }
            if (g_ascii_strcasecmp(name, "socket") == 0) {
                g_free(parts->socket);
                parts->socket = g_steal_pointer(&value);
            } else if (g_ascii_strcasecmp(name, "name") == 0) {
                g_free(nameParam);
                nameParam = g_steal_pointer(&value);
            } else if (g_ascii_strcasecmp(name, "auth") == 0) {
                g_free(parts->auth);
                parts->auth = g_steal_pointer(&value);
            } else if (g_ascii_strcasecmp(name, "pkipath") == 0) {
                g_free(parts->pkipath);
                parts->pkipath = g_steal_pointer(&value);
            } else if (g_ascii_strcasecmp(name, "tls_priority") == 0) {
                g_free(parts->tlsPriority);
                parts->tlsPriority = g_steal_pointer(&value);
            } else if (g_ascii_strcasecmp(name, "no_verify") == 0) {
                parts->noVerify = atoi(value) != 0;
            }
            /* other transport parameters: meaningless for unix, tcp and tls */
        }
    }

    if (strcmp(parts->transport, "unix") == 0) {
        if (host) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "the unix transport takes no host name, got '%s' in URI '%s'",
                           host, uristr);
            return -1;
        }
        if (!parts->socket) {
            const char *env = g_getenv("VIRTNET_SOCKET");

            parts->socket = env && *env ? g_strdup(env) : vnDefaultSocketPath(readonly ? "libvirt-sock-ro" : "libvirt-sock");
        }
    } else if (strcmp(parts->transport, "tcp") == 0 || strcmp(parts->transport, "tls") == 0) {
        bool tls = strcmp(parts->transport, "tls") == 0;

        parts->host = g_strdup(host ? host : "localhost");
        parts->port = g_uri_get_port(uri) > 0 ? g_strdup_printf("%d", g_uri_get_port(uri))
                                               : g_strdup(tls ? VN_DEFAULT_TLS_PORT
                                                              : VN_DEFAULT_TCP_PORT);
    } else {
        virReportError(VIR_ERR_NO_SUPPORT,
                       "transport '%s' in URI '%s' (virtnet speaks unix, tcp and tls)",
                       parts->transport, uristr);
        return -1;
    }

    /* As libvirt's remote driver: scheme without transport, no server,
     * the path, the parameters the client did not use; name= overrides. */
    if (nameParam) {
        parts->openURI = g_steal_pointer(&nameParam);
    } else {
        const char *fragment = g_uri_get_fragment(uri);

        parts->openURI = g_strdup_printf("%s://%s%s%s%s%s", driver, g_uri_get_path(uri),
                                         kept->len ? "?" : "", kept->str,
                                         fragment ? "#" : "", fragment ? fragment : "");
    }
    return 0;
}


/* ---- connection life cycle ----------------------------------------------- */

static void vnRemoteEventCallbackLifecycle(virNetClientProgram *prog, virNetClient *client,
                                           remote_domain_event_callback_lifecycle_msg *msg,
                                           void *opaque);

static const remoteClientEventHandlers vnRemoteEventHandlers = {
    .domainEventCallbackLifecycle = vnRemoteEventCallbackLifecycle,
};


static void
vnEventCallbackFree(vnEventCallback *ecb)
{
    if (ecb->ff)
        ecb->ff(ecb->opaque);
    g_free(ecb);
}


static void
vnConnectDispose(vnConnect *conn)
{
    VIR_DEBUG("conn=%p", conn);

    if (conn->client) {
        virNetClientSetCloseCallback(conn->client, NULL, NULL, NULL);
        if (conn->opened && virNetClientIsOpen(conn->client)) {
            virError *saved = virErrorPreserveLast();

            if (remoteCallConnectClose(PROG(conn)) < 0)
                VIR_DEBUG("CONNECT_CLOSE failed: %s", virGetLastErrorMessage());
            virErrorRestore(&saved);
        }
        virNetClientClose(conn->client);
    }
    /* Joins the event thread: no callback runs after this. Its loop's
     * pending free callbacks drop the client's watch and timer refs. */
    virEventThreadFree(conn->evthread);
    virNetClientUnref(conn->client);
    virNetClientProgramUnref(conn->prog);

    if (conn->callbacks) {
        for (guint i = 0; i < conn->callbacks->len; i++)
            vnEventCallbackFree(g_ptr_array_index(conn->callbacks, i));
        g_ptr_array_free(conn->callbacks, TRUE);
    }
    if (conn->serverRegs)
        g_ptr_array_free(conn->serverRegs, TRUE);
    if (conn->closeFf)
        conn->closeFf(conn->closeOpaque);

    g_free(conn->type);
    g_free(conn->uri);
    g_free(conn->openURI);
    g_free(conn->address);
    g_free(conn->hostname);
    g_mutex_clear(&conn->lock);
    g_mutex_clear(&conn->evlock);
    g_free(conn);
}


static gpointer
vnConnectDisposeThread(gpointer opaque)
{
    vnConnectDispose(opaque);
    return NULL;
}


/* The last reference went. */
static void
vnConnectLastUnref(vnConnect *conn)
{
    if (conn->evthread &&
        virEventLoopIsLoopThread(virEventThreadGetLoop(conn->evthread))) {
        /* Inside one of our callbacks: the event thread cannot join itself. */
        g_thread_unref(g_thread_new("vn-conn-close", vnConnectDisposeThread, conn));
        return;
    }
    vnConnectDispose(conn);
}


static void
vnConnectUnref(vnConnect *conn)
{
    if (conn && g_atomic_int_dec_and_test(&conn->refs))
        vnConnectLastUnref(conn);
}


vnConnect *
vnConnectRef(vnConnect *conn)
{
    VN_CHECK_CONN_LOCAL(conn, NULL);
    g_atomic_int_inc(&conn->refs);
    return conn;
}


/* A reference, unless the connection is already being torn down (the
 * event thread's callbacks may race with the last vnConnectClose). */
static bool
vnConnectTryRef(vnConnect *conn)
{
    int refs;

    do {
        refs = g_atomic_int_get(&conn->refs);
        if (refs <= 0)
            return false;
    } while (!g_atomic_int_compare_and_exchange(&conn->refs, refs, refs + 1));
    return true;
}


int
vnConnectClose(vnConnect *conn)
{
    int left;

    VN_CHECK_CONN_LOCAL(conn, -1);
    left = g_atomic_int_add(&conn->refs, -1) - 1;
    if (left == 0)
        vnConnectLastUnref(conn);
    return left;
}


bool
vnConnectIsAlive(vnConnect *conn)
{
    VN_CHECK_CONN_LOCAL(conn, false);
    return virNetClientIsOpen(conn->client);
}


/* Asks one feature; -1 when the call itself failed. */
static int
vnConnectSupportsFeature(vnConnect *conn, int feature)
{
    remote_connect_supports_feature_args args = { .feature = feature };
    remote_connect_supports_feature_ret ret = { 0 };

    if (remoteCallConnectSupportsFeature(PROG(conn), &args, &ret) < 0)
        return -1;
    return ret.supported ? 1 : 0;
}


/* ---- SASL ------------------------------------------------------------------
 *
 * libvirt's client (remoteAuthSASL): INIT gives the server's mechanisms
 * (reduced to the one asked for with ?auth=sasl.MECH), cyrus picks one and
 * START / STEP carry the tokens until both sides are complete; the client
 * steps once more after the server says complete, to check the server's
 * last token (DIGEST-MD5's rspauth, SCRAM's signature). On a channel that
 * is neither TLS nor UNIX the layer must give an SSF of at least 56. Then
 * the session goes under the socket. Credentials come from the callback
 * given to vnConnectOpenAuth. */

static char *
vnSASLCredentials(int type, const char *prompt, void *opaque)
{
    vnConnect *conn = opaque;
    char *val;
    char *ret;

    if (!conn->authCb)
        return NULL;
    if (!(val = conn->authCb(type, prompt, conn->authOpaque)))
        return NULL;
    /* The session owns (and wipes) a g_malloc'd copy. */
    ret = g_strdup(val);
    memset(val, 0, strlen(val));
    free(val);
    return ret;
}


/* Is mech one of the comma separated mechs? */
static bool
vnSASLHasMech(const char *mechs, const char *mech)
{
    g_auto(GStrv) list = g_strsplit(mechs, ",", -1);

    for (size_t i = 0; list[i]; i++) {
        if (g_ascii_strcasecmp(g_strstrip(list[i]), mech) == 0)
            return true;
    }
    return false;
}


static int
vnConnectAuthSASL(vnConnect *conn, const char *wantmech)
{
    virNetSASLContext *ctxt = NULL;
    virNetSASLSession *sess = NULL;
    remote_auth_sasl_init_ret iret = { 0 };
    remote_auth_sasl_start_args sargs = { 0 };
    remote_auth_sasl_start_ret sret = { 0 };
    remote_auth_sasl_step_args targs = { 0 };
    remote_auth_sasl_step_ret tret = { 0 };
    g_autofree char *want = wantmech ? g_ascii_strup(wantmech, -1) : NULL;
    const char *mechlist;
    const char *mech = NULL;
    const char *out = NULL;
    size_t outlen = 0;
    const char *in;
    size_t inlen;
    bool secure;
    bool complete;
    int keySize, err, ret = -1;

    if (!(ctxt = virNetSASLContextNewClient()))
        goto cleanup;
    if (!(sess = virNetSASLSessionNewClient(ctxt, VIR_NET_SASL_SERVICE, conn->hostname,
                                            virNetClientLocalAddrString(conn->client),
                                            virNetClientRemoteAddrString(conn->client),
                                            vnSASLCredentials, conn)))
        goto cleanup;
    if ((keySize = virNetClientGetTLSKeySize(conn->client)) < 0)
        goto cleanup;
    secure = keySize > 0 || virNetClientIsLocal(conn->client);
    if (virNetSASLSessionSetChannel(sess, secure, keySize * 8, VIR_NET_SASL_TCP_MIN_SSF) < 0)
        goto cleanup;

    if (remoteCallAuthSASLInit(PROG(conn), &iret) < 0)
        goto cleanup;
    mechlist = iret.mechlist;
    VIR_DEBUG("conn=%p: server offers SASL mechanisms '%s'", conn, mechlist);
    if (want) {
        if (!vnSASLHasMech(mechlist, want)) {
            virReportError(VIR_ERR_AUTH_FAILED, "SASL mechanism %s not supported by server",
                           want);
            goto cleanup;
        }
        mechlist = want;
    }

    if ((err = virNetSASLSessionClientStart(sess, mechlist, &out, &outlen, &mech)) < 0)
        goto cleanup;
    if (outlen > REMOTE_SASL_DATA_MAX) {
        virReportError(VIR_ERR_AUTH_FAILED, "SASL negotiation data too long: %zu bytes", outlen);
        goto cleanup;
    }
    sargs.mech = (char *)mech;
    sargs.empty = out ? 0 : 1;
    sargs.data.data_val = (char *)out;
    sargs.data.data_len = outlen;
    VIR_DEBUG("conn=%p: SASL start with %s, %zu bytes", conn, mech, outlen);
    if (remoteCallAuthSASLStart(PROG(conn), &sargs, &sret) < 0)
        goto cleanup;
    complete = sret.complete;
    in = sret.empty ? NULL : sret.data.data_val;
    inlen = sret.data.data_len;

    /* A mechanism done in one message (PLAIN) with nothing back: cyrus
     * refuses a step after the end, and there is nothing to verify. */
    if (!(complete && err == VIR_NET_SASL_COMPLETE && !in)) {
        for (;;) {
            if ((err = virNetSASLSessionClientStep(sess, in, inlen, &out, &outlen)) < 0)
                goto cleanup;
            /* The server was complete and so are we now. */
            if (complete && err == VIR_NET_SASL_COMPLETE)
                break;
            if (complete) {
                virReportError(VIR_ERR_AUTH_FAILED, "%s",
                               "the server completed SASL authentication, the client did not");
                goto cleanup;
            }
            if (outlen > REMOTE_SASL_DATA_MAX) {
                virReportError(VIR_ERR_AUTH_FAILED,
                               "SASL negotiation data too long: %zu bytes", outlen);
                goto cleanup;
            }
            XDR_FREE(remote_auth_sasl_step_ret, &tret);
            memset(&tret, 0, sizeof(tret));
            targs.empty = out ? 0 : 1;
            targs.data.data_val = (char *)out;
            targs.data.data_len = outlen;
            if (remoteCallAuthSASLStep(PROG(conn), &targs, &tret) < 0)
                goto cleanup;
            complete = tret.complete;
            in = tret.empty ? NULL : tret.data.data_val;
            inlen = tret.data.data_len;
            /* Our last step was complete and the server agrees: done. */
            if (complete && err == VIR_NET_SASL_COMPLETE)
                break;
        }
    }

    if (!secure && virNetSASLSessionCheckSSF(sess, VIR_NET_SASL_TCP_MIN_SSF) < 0)
        goto cleanup;
    if (virNetClientSetSASLSession(conn->client, sess) < 0)
        goto cleanup;
    VIR_DEBUG("conn=%p: SASL authentication with %s done, SSF %d", conn, mech,
              virNetSASLSessionGetSSF(sess));
    ret = 0;

 cleanup:
    XDR_FREE(remote_auth_sasl_init_ret, &iret);
    XDR_FREE(remote_auth_sasl_start_ret, &sret);
    XDR_FREE(remote_auth_sasl_step_ret, &tret);
    virNetSASLSessionUnref(sess);
    virNetSASLContextUnref(ctxt);
    return ret;
}


/* AUTH_LIST's answer: the first type offered, or the one ?auth= asks for
 * (libvirt's remoteAuthenticate). */
static int
vnConnectAuthenticate(vnConnect *conn, const char *authtype)
{
    remote_auth_list_ret auth = { 0 };
    g_autofree char *mech = NULL;
    int type = -1;
    int ret = -1;

    if (remoteCallAuthList(PROG(conn), &auth) < 0)
        return -1;
    if (auth.types.types_len == 0) {
        XDR_FREE(remote_auth_list_ret, &auth);
        return 0;
    }
    if (authtype) {
        for (u_int i = 0; i < auth.types.types_len && type < 0; i++) {
            int t = auth.types.types_val[i];

            if ((t == REMOTE_AUTH_SASL &&
                 (g_ascii_strcasecmp(authtype, "sasl") == 0 ||
                  g_ascii_strncasecmp(authtype, "sasl.", 5) == 0)) ||
                (t == REMOTE_AUTH_POLKIT && g_ascii_strcasecmp(authtype, "polkit") == 0) ||
                (t == REMOTE_AUTH_NONE && g_ascii_strcasecmp(authtype, "none") == 0))
                type = t;
        }
        if (type < 0) {
            virReportError(VIR_ERR_AUTH_FAILED, "requested authentication type %s rejected",
                           authtype);
            goto cleanup;
        }
        if (g_ascii_strncasecmp(authtype, "sasl.", 5) == 0 && authtype[5])
            mech = g_strdup(authtype + 5);
    } else {
        type = auth.types.types_val[0];
    }

    switch (type) {
    case REMOTE_AUTH_NONE:
        ret = 0;
        break;
    case REMOTE_AUTH_SASL:
        ret = vnConnectAuthSASL(conn, mech);
        break;
    default:
        virReportError(VIR_ERR_AUTH_UNAVAILABLE,
                       "the server requires %s authentication, which this client does not support",
                       type == REMOTE_AUTH_POLKIT ? "polkit" : "an unknown");
        break;
    }
 cleanup:
    XDR_FREE(remote_auth_list_ret, &auth);
    return ret;
}


/* The connect sequence of libvirt's remote driver: AUTH_LIST (and the
 * authentication it asks for), feature 10 (then keepalive), CONNECT_OPEN,
 * feature 14. */
static int
vnConnectHandshake(vnConnect *conn, const char *authtype)
{
    remote_connect_open_args open = { 0 };
    char *openURI = conn->openURI;
    bool featuresWork = true;
    int r;

    if (vnConnectAuthenticate(conn, authtype) < 0)
        return -1;

    if ((r = vnConnectSupportsFeature(conn, VIR_DRV_FEATURE_PROGRAM_KEEPALIVE)) < 0) {
        /* libvirt's client: a failing SUPPORTS_FEATURE means no features. */
        VIR_DEBUG("SUPPORTS_FEATURE failed (%s): no features", virGetLastErrorMessage());
        virResetLastError();
        featuresWork = false;
    } else if (r == 1) {
        conn->featKeepalive = true;
        if (virNetClientKeepAliveStart(conn->client, VN_KEEPALIVE_INTERVAL,
                                       VN_KEEPALIVE_COUNT) < 0)
            return -1;
    }

    open.uri = &openURI;
    open.flags = conn->flags & VIR_CONNECT_RO;
    if (remoteCallConnectOpen(PROG(conn), &open) < 0)
        return -1;
    conn->opened = true;

    if (featuresWork) {
        if ((r = vnConnectSupportsFeature(conn, VIR_DRV_FEATURE_REMOTE_EVENT_CALLBACK)) < 0) {
            VIR_DEBUG("SUPPORTS_FEATURE(14) failed: %s", virGetLastErrorMessage());
            virResetLastError();
        }
        conn->featEventCallback = r == 1;
    }
    return 0;
}


static void vnConnectClientClosed(virNetClient *client, int reason, void *opaque);

vnConnect *
vnConnectOpen(const char *uri, unsigned int flags)
{
    return vnConnectOpenAuth(uri, flags, NULL, NULL);
}


vnConnect *
vnConnectOpenAuth(const char *uri, unsigned int flags, vnAuthCallback cb, void *opaque)
{
    vnURIParts parts;
    vnConnect *conn;

    virResetLastError();
    if (flags & ~(unsigned int)VIR_CONNECT_RO) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in function %s",
                       flags & ~(unsigned int)VIR_CONNECT_RO, __func__);
        return NULL;
    }
    if (!uri)
        uri = VN_DEFAULT_URI;
    if (vnURIParse(uri, flags & VIR_CONNECT_RO, &parts) < 0) {
        vnURIPartsClear(&parts);
        return NULL;
    }

    conn = g_new0(vnConnect, 1);
    conn->refs = 1;
    conn->flags = flags;
    g_mutex_init(&conn->lock);
    g_mutex_init(&conn->evlock);
    conn->callbacks = g_ptr_array_new();
    conn->serverRegs = g_ptr_array_new_with_free_func(g_free);
    conn->uri = g_strdup(uri);
    conn->openURI = g_steal_pointer(&parts.openURI);
    conn->isUnix = strcmp(parts.transport, "unix") == 0;
    conn->authCb = cb;
    conn->authOpaque = opaque;
    if (conn->isUnix) {
        conn->address = g_strdup(parts.socket);
        conn->hostname = g_strdup("localhost");
        conn->client = virNetClientNewUNIX(parts.socket);
    } else if (strcmp(parts.transport, "tls") == 0) {
        /* As libvirt's remote driver: pkipath=DIR, else ~/.pki/libvirt
         * for a user, else the system files. */
        virNetTLSContext *tls = virNetTLSContextNewClientPath(parts.pkipath, geteuid() != 0,
                                                              parts.tlsPriority, true,
                                                              !parts.noVerify);

        conn->address = g_strdup_printf("%s:%s", parts.host, parts.port);
        conn->hostname = g_strdup(parts.host);
        if (tls) {
            conn->client = virNetClientNewTLS(parts.host, parts.port, tls);
            virNetTLSContextUnref(tls);
        }
    } else {
        conn->address = g_strdup_printf("%s:%s", parts.host, parts.port);
        conn->hostname = g_strdup(parts.host);
        conn->client = virNetClientNewTCP(parts.host, parts.port);
    }
    VIR_DEBUG("conn=%p uri=%s address=%s open=%s", conn, uri, conn->address, conn->openURI);

    if (!conn->client)
        goto error;
    if (!(conn->evthread = virEventThreadNew("vn-events")))
        goto error;
    if (virNetClientAttachLoop(conn->client, virEventThreadGetLoop(conn->evthread)) < 0)
        goto error;
    conn->prog = remoteClientProgramNew(&vnRemoteEventHandlers, conn);
    if (virNetClientAddProgram(conn->client, conn->prog) < 0)
        goto error;
    virNetClientSetCloseCallback(conn->client, vnConnectClientClosed, conn, NULL);

    if (vnConnectHandshake(conn, parts.auth) < 0)
        goto error;
    vnURIPartsClear(&parts);
    return conn;

 error: {
        virError *saved = virErrorPreserveLast();

        vnConnectDispose(conn);
        vnURIPartsClear(&parts);
        virErrorRestore(&saved);
    }
    return NULL;
}


/* ---- close callback -------------------------------------------------------- */

typedef struct {
    vnConnect *conn;            /* a reference */
    int reason;
} vnCloseNotice;


static void
vnCloseNoticeFire(int timer, void *opaque)
{
    vnCloseNotice *notice = opaque;
    vnConnect *conn = notice->conn;
    vnConnectCloseFunc cb;
    void *cbopaque;

    virEventLoopRemoveTimeout(virEventThreadGetLoop(conn->evthread), timer);
    g_mutex_lock(&conn->lock);
    cb = conn->closeCb;
    cbopaque = conn->closeOpaque;
    g_mutex_unlock(&conn->lock);
    if (cb)
        cb(conn, notice->reason, cbopaque);
}


static void
vnCloseNoticeFree(void *opaque)
{
    vnCloseNotice *notice = opaque;

    vnConnectUnref(notice->conn);
    g_free(notice);
}


/* The RPC client closed (any thread): tell the user from the event thread. */
static void
vnConnectClientClosed(virNetClient *client G_GNUC_UNUSED, int reason, void *opaque)
{
    vnConnect *conn = opaque;
    vnCloseNotice *notice;
    int publicReason;

    switch ((virNetClientCloseReason)reason) {
    case VIR_NET_CLIENT_CLOSE_EOF: publicReason = VIR_CONNECT_CLOSE_REASON_EOF; break;
    case VIR_NET_CLIENT_CLOSE_KEEPALIVE: publicReason = VIR_CONNECT_CLOSE_REASON_KEEPALIVE; break;
    case VIR_NET_CLIENT_CLOSE_CLIENT: publicReason = VIR_CONNECT_CLOSE_REASON_CLIENT; break;
    case VIR_NET_CLIENT_CLOSE_ERROR:
    default: publicReason = VIR_CONNECT_CLOSE_REASON_ERROR; break;
    }
    VIR_DEBUG("conn=%p closed, reason %d", conn, publicReason);

    if (!vnConnectTryRef(conn))
        return;
    notice = g_new0(vnCloseNotice, 1);
    notice->conn = conn;
    notice->reason = publicReason;
    if (virEventLoopAddTimeout(virEventThreadGetLoop(conn->evthread), 0, vnCloseNoticeFire,
                               notice, vnCloseNoticeFree) < 0)
        vnCloseNoticeFree(notice);
}


int
vnConnectRegisterCloseCallback(vnConnect *conn, vnConnectCloseFunc cb,
                               void *opaque, vnFreeCallback ff)
{
    int r;

    VN_CHECK_CONN(conn, -1);
    VN_CHECK_ARG(cb != NULL, -1);

    g_mutex_lock(&conn->evlock);   /* serialises (un)registration calls */
    g_mutex_lock(&conn->lock);
    if (conn->closeCb) {
        g_mutex_unlock(&conn->lock);
        g_mutex_unlock(&conn->evlock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "a close callback is already registered");
        return -1;
    }
    g_mutex_unlock(&conn->lock);

    /* As virsh: tell the server only when it announces the feature. */
    if ((r = vnConnectSupportsFeature(conn, VIR_DRV_FEATURE_REMOTE_CLOSE_CALLBACK)) < 0) {
        virResetLastError();
        r = 0;
    }
    if (r == 1 && remoteCallConnectRegisterCloseCallback(PROG(conn)) < 0) {
        g_mutex_unlock(&conn->evlock);
        return -1;
    }

    g_mutex_lock(&conn->lock);
    conn->closeCb = cb;
    conn->closeOpaque = opaque;
    conn->closeFf = ff;
    conn->closeRegistered = r == 1;
    g_mutex_unlock(&conn->lock);
    g_mutex_unlock(&conn->evlock);
    return 0;
}


int
vnConnectUnregisterCloseCallback(vnConnect *conn, vnConnectCloseFunc cb)
{
    vnFreeCallback ff;
    void *opaque;
    bool registered;

    VN_CHECK_CONN(conn, -1);
    VN_CHECK_ARG(cb != NULL, -1);

    g_mutex_lock(&conn->evlock);
    g_mutex_lock(&conn->lock);
    if (conn->closeCb != cb) {
        g_mutex_unlock(&conn->lock);
        g_mutex_unlock(&conn->evlock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "this close callback is not registered");
        return -1;
    }
    registered = conn->closeRegistered;
    g_mutex_unlock(&conn->lock);

    if (registered && virNetClientIsOpen(conn->client) &&
        remoteCallConnectUnregisterCloseCallback(PROG(conn)) < 0) {
        g_mutex_unlock(&conn->evlock);
        return -1;
    }

    g_mutex_lock(&conn->lock);
    ff = conn->closeFf;
    opaque = conn->closeOpaque;
    conn->closeCb = NULL;
    conn->closeOpaque = NULL;
    conn->closeFf = NULL;
    conn->closeRegistered = false;
    g_mutex_unlock(&conn->lock);
    g_mutex_unlock(&conn->evlock);
    if (ff)
        ff(opaque);
    return 0;
}


/* ---- internals for tests ----------------------------------------------------- */

virNetClient *
vnConnectGetNetClient(vnConnect *conn)
{
    return conn->client;
}


virNetClientProgram *
vnConnectGetRemoteProgram(vnConnect *conn)
{
    return conn->prog;
}


const char *
vnConnectGetOpenURI(vnConnect *conn)
{
    return conn->openURI;
}


const char *
vnConnectGetAddress(vnConnect *conn)
{
    return conn->address;
}


bool
vnConnectHasFeature(vnConnect *conn, int feature)
{
    switch (feature) {
    case VIR_DRV_FEATURE_PROGRAM_KEEPALIVE: return conn->featKeepalive;
    case VIR_DRV_FEATURE_REMOTE_EVENT_CALLBACK: return conn->featEventCallback;
    default: return false;
    }
}


/* ---- hooks of the generated calls (vnclientpriv.h) ----------------------- */

vnConnect *
vnConnectCallConn(vnConnect *conn)
{
    VN_CHECK_CONN(conn, NULL);
    return conn;
}


vnConnect *
vnDomainCallConn(vnDomain *dom)
{
    VN_CHECK_DOM(dom, NULL);
    return dom->conn;
}


virNetClientProgram *
vnConnectCallProgram(vnConnect *conn)
{
    return conn->prog;
}


virNetClient *
vnConnectCallClient(vnConnect *conn)
{
    return conn->client;
}


/* ---- connection getters ---------------------------------------------------- */

const char *
vnConnectGetType(vnConnect *conn)
{
    remote_connect_get_type_ret ret = { 0 };
    const char *type;

    VN_CHECK_CONN(conn, NULL);
    g_mutex_lock(&conn->lock);
    type = conn->type;
    g_mutex_unlock(&conn->lock);
    if (type)
        return type;

    if (remoteCallConnectGetType(PROG(conn), &ret) < 0)
        return NULL;
    g_mutex_lock(&conn->lock);
    if (!conn->type)
        conn->type = g_strdup(ret.type);
    type = conn->type;
    g_mutex_unlock(&conn->lock);
    XDR_FREE(remote_connect_get_type_ret, &ret);
    return type;
}


int
vnConnectIsSecure(vnConnect *conn)
{
    remote_connect_is_secure_ret ret = { 0 };

    VN_CHECK_CONN(conn, -1);
    if (remoteCallConnectIsSecure(PROG(conn), &ret) < 0)
        return -1;
    /* As libvirt's client: a UNIX socket is secure whatever the driver says. */
    return ret.secure || conn->isUnix ? 1 : 0;
}


/* ---- domains ---------------------------------------------------------------- */

static vnDomain *
vnDomainNew(vnConnect *conn, const char *name, const unsigned char *uuid, int id)
{
    vnDomain *dom = g_new0(vnDomain, 1);

    dom->refs = 1;
    g_atomic_int_inc(&conn->refs);
    dom->conn = conn;
    dom->name = g_strdup(name);
    memcpy(dom->uuid, uuid, VIR_UUID_BUFLEN);
    dom->id = id;
    return dom;
}


vnDomain *
vnDomainFromWire(vnConnect *conn, const remote_dom *rdom)
{
    return vnDomainNew(conn, rdom->name, (const unsigned char *)rdom->uuid, rdom->id);
}


void
vnDomainToWire(vnDomain *dom, remote_dom *rdom)
{
    rdom->name = dom->name;
    memcpy(rdom->uuid, dom->uuid, VIR_UUID_BUFLEN);
    rdom->id = g_atomic_int_get(&dom->id);
}


vnDomain *
vnDomainRef(vnDomain *dom)
{
    VN_CHECK_DOM_LOCAL(dom, NULL);
    g_atomic_int_inc(&dom->refs);
    return dom;
}


int
vnDomainFree(vnDomain *dom)
{
    VN_CHECK_DOM_LOCAL(dom, -1);
    if (g_atomic_int_dec_and_test(&dom->refs)) {
        vnConnect *conn = dom->conn;

        g_free(dom->name);
        g_free(dom);
        vnConnectUnref(conn);
    }
    return 0;
}


vnConnect *
vnDomainGetConnect(vnDomain *dom)
{
    VN_CHECK_DOM_LOCAL(dom, NULL);
    return dom->conn;
}


const char *
vnDomainGetName(vnDomain *dom)
{
    VN_CHECK_DOM_LOCAL(dom, NULL);
    return dom->name;
}


int
vnDomainGetUUID(vnDomain *dom, unsigned char *uuid)
{
    VN_CHECK_DOM_LOCAL(dom, -1);
    VN_CHECK_ARG(uuid != NULL, -1);
    memcpy(uuid, dom->uuid, VIR_UUID_BUFLEN);
    return 0;
}


int
vnDomainGetUUIDString(vnDomain *dom, char *buf)
{
    VN_CHECK_DOM_LOCAL(dom, -1);
    VN_CHECK_ARG(buf != NULL, -1);
    vnUUIDFormat(dom->uuid, buf);
    return 0;
}


unsigned int
vnDomainGetID(vnDomain *dom)
{
    VN_CHECK_DOM_LOCAL(dom, (unsigned int)-1);
    return (unsigned int)g_atomic_int_get(&dom->id);
}


/* ---- listing ---------------------------------------------------------------- */


/* ---- lookups ----------------------------------------------------------------- */


vnDomain *
vnDomainLookupByUUIDString(vnConnect *conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    VN_CHECK_CONN(conn, NULL);
    VN_CHECK_ARG(uuidstr != NULL, NULL);
    if (vnUUIDParse(uuidstr, uuid) < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "malformed UUID '%s'", uuidstr);
        return NULL;
    }
    return vnDomainLookupByUUID(conn, uuid);
}


/* ---- life cycle ------------------------------------------------------------- */


/* Start (CREATE_WITH_FLAGS: the reply carries the domain with its new id)
 * or stop (DESTROY_FLAGS: then it has none) dom, keeping its id as
 * libvirt's client does. dom is checked. */
static int
vnDomainStartStop(vnDomain *dom, unsigned int flags, bool start)
{
    remote_domain_create_with_flags_args cargs = { .flags = flags };
    remote_domain_create_with_flags_ret cret = { 0 };
    remote_domain_destroy_flags_args dargs = { .flags = flags };
    int id = -1;

    if (start) {
        vnDomainToWire(dom, &cargs.dom);
        if (remoteCallDomainCreateWithFlags(PROG(dom->conn), &cargs, &cret) < 0)
            return -1;
        id = cret.dom.id;
        XDR_FREE(remote_domain_create_with_flags_ret, &cret);
    } else {
        vnDomainToWire(dom, &dargs.dom);
        if (remoteCallDomainDestroyFlags(PROG(dom->conn), &dargs) < 0)
            return -1;
    }
    g_atomic_int_set(&dom->id, id);
    return 0;
}


int
vnDomainCreate(vnDomain *dom)
{
    return vnDomainCreateWithFlags(dom, 0);
}


int
vnDomainCreateWithFlags(vnDomain *dom, unsigned int flags)
{
    VN_CHECK_DOM(dom, -1);
    return vnDomainStartStop(dom, flags, true);
}


int
vnDomainDestroy(vnDomain *dom)
{
    return vnDomainDestroyFlags(dom, 0);
}


int
vnDomainDestroyFlags(vnDomain *dom, unsigned int flags)
{
    VN_CHECK_DOM(dom, -1);
    return vnDomainStartStop(dom, flags, false);
}


/* ---- asking about a domain ------------------------------------------------- */


int
vnDomainGetState(vnDomain *dom, int *state, int *reason, unsigned int flags)
{
    remote_domain_get_state_args args = { 0 };
    remote_domain_get_state_ret ret = { 0 };

    VN_CHECK_DOM(dom, -1);
    VN_CHECK_ARG(state != NULL, -1);
    vnDomainToWire(dom, &args.dom);
    args.flags = flags;
    if (remoteCallDomainGetState(PROG(dom->conn), &args, &ret) < 0)
        return -1;
    *state = ret.state;
    if (reason)
        *reason = ret.reason;
    return 0;
}


/* ---- events ------------------------------------------------------------------ */

/* The live API registration with this ID, or NULL. evlock held. */
static vnEventCallback *
vnEventCallbackFind(vnConnect *conn, int callbackID)
{
    for (guint i = 0; i < conn->callbacks->len; i++) {
        vnEventCallback *ecb = g_ptr_array_index(conn->callbacks, i);

        if (!ecb->removed && ecb->callbackID == callbackID)
            return ecb;
    }
    return NULL;
}


/* The server registration for (eventID, dom), or NULL. evlock held. */
static vnServerReg *
vnServerRegFind(vnConnect *conn, int eventID, vnDomain *dom)
{
    for (guint i = 0; i < conn->serverRegs->len; i++) {
        vnServerReg *reg = g_ptr_array_index(conn->serverRegs, i);

        if (reg->eventID == eventID && reg->hasDom == (dom != NULL) &&
            (!dom || memcmp(reg->uuid, dom->uuid, VIR_UUID_BUFLEN) == 0))
            return reg;
    }
    return NULL;
}


/* From the client's event timer on the event thread: every API callback
 * sharing the server registration, in registration order. */
static void
vnRemoteEventCallbackLifecycle(virNetClientProgram *prog G_GNUC_UNUSED,
                               virNetClient *client G_GNUC_UNUSED,
                               remote_domain_event_callback_lifecycle_msg *msg,
                               void *opaque)
{
    vnConnect *conn = opaque;
    g_autoptr(GPtrArray) todo = g_ptr_array_new();
    g_autoptr(GPtrArray) dead = g_ptr_array_new();
    vnDomain *dom;

    if (!vnConnectTryRef(conn))
        return;     /* being closed */

    g_mutex_lock(&conn->evlock);
    for (guint i = 0; i < conn->callbacks->len; i++) {
        vnEventCallback *ecb = g_ptr_array_index(conn->callbacks, i);

        if (!ecb->removed && ecb->reg->serverID == msg->callback_id &&
            ecb->reg->eventID == VIR_DOMAIN_EVENT_ID_LIFECYCLE) {
            ecb->running++;
            g_ptr_array_add(todo, ecb);
        }
    }
    g_mutex_unlock(&conn->evlock);

    if (todo->len == 0)
        VIR_DEBUG("conn=%p: lifecycle event for unknown callback %d dropped",
                  conn, msg->callback_id);

    dom = vnDomainFromWire(conn, &msg->msg.dom);
    for (guint i = 0; i < todo->len; i++) {
        vnEventCallback *ecb = g_ptr_array_index(todo, i);
        bool removed;

        g_mutex_lock(&conn->evlock);
        removed = ecb->removed;     /* by an earlier callback of this event */
        g_mutex_unlock(&conn->evlock);
        if (!removed)
            ecb->cb(conn, dom, msg->msg.event, msg->msg.detail, ecb->opaque);
    }
    vnDomainFree(dom);

    g_mutex_lock(&conn->evlock);
    for (guint i = 0; i < todo->len; i++) {
        vnEventCallback *ecb = g_ptr_array_index(todo, i);

        if (--ecb->running == 0 && ecb->removed) {
            g_ptr_array_remove(conn->callbacks, ecb);
            g_ptr_array_add(dead, ecb);
        }
    }
    g_mutex_unlock(&conn->evlock);
    /* deregistered while they ran: their free callbacks run now */
    g_ptr_array_foreach(dead, (GFunc)(void (*)(void))vnEventCallbackFree, NULL);
    vnConnectUnref(conn);
}


int
vnConnectGetServerCallbackID(vnConnect *conn, int callbackID)
{
    vnEventCallback *ecb;
    int id = -1;

    g_mutex_lock(&conn->evlock);
    if ((ecb = vnEventCallbackFind(conn, callbackID)))
        id = ecb->reg->serverID;
    g_mutex_unlock(&conn->evlock);
    return id;
}


int
vnConnectDomainEventRegisterAny(vnConnect *conn, vnDomain *dom, int eventID,
                                vnLifecycleCallback cb, void *opaque, vnFreeCallback ff)
{
    vnEventCallback *ecb;
    vnServerReg *reg;
    int id;

    VN_CHECK_CONN(conn, -1);
    VN_CHECK_ARG(cb != NULL, -1);
    if (dom && dom->conn != conn) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "the domain belongs to another connection");
        return -1;
    }
    if (eventID != VIR_DOMAIN_EVENT_ID_LIFECYCLE) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported event ID %d (this client knows %d)",
                       eventID, VIR_DOMAIN_EVENT_ID_LIFECYCLE);
        return -1;
    }
    if (!conn->featEventCallback) {
        virReportError(VIR_ERR_NO_SUPPORT, "%s",
                       "the server does not offer event callbacks (feature 14)");
        return -1;
    }

    /* evlock across the call: an event for this registration that the
     * event thread reads meanwhile waits until it is stored. */
    g_mutex_lock(&conn->evlock);
    if (!(reg = vnServerRegFind(conn, eventID, dom))) {
        remote_connect_domain_event_callback_register_any_args args = { 0 };
        remote_connect_domain_event_callback_register_any_ret ret = { 0 };
        remote_dom rdom;

        args.event_id = eventID;
        if (dom) {
            vnDomainToWire(dom, &rdom);
            args.dom = &rdom;
        }
        if (remoteCallConnectDomainEventCallbackRegisterAny(PROG(conn), &args, &ret) < 0) {
            g_mutex_unlock(&conn->evlock);
            return -1;
        }
        for (guint i = 0; i < conn->serverRegs->len; i++) {
            if (((vnServerReg *)g_ptr_array_index(conn->serverRegs, i))->serverID ==
                ret.callback_id) {
                g_mutex_unlock(&conn->evlock);
                virReportError(VIR_ERR_RPC, "the server returned callback ID %d twice",
                               ret.callback_id);
                return -1;
            }
        }
        reg = g_new0(vnServerReg, 1);
        reg->serverID = ret.callback_id;
        reg->eventID = eventID;
        reg->hasDom = dom != NULL;
        if (dom)
            memcpy(reg->uuid, dom->uuid, VIR_UUID_BUFLEN);
        g_ptr_array_add(conn->serverRegs, reg);
    }
    reg->nlocal++;
    ecb = g_new0(vnEventCallback, 1);
    ecb->callbackID = id = conn->nextCallbackID++;
    ecb->reg = reg;
    ecb->cb = cb;
    ecb->opaque = opaque;
    ecb->ff = ff;
    g_ptr_array_add(conn->callbacks, ecb);
    g_mutex_unlock(&conn->evlock);
    return id;
}


int
vnConnectDomainEventDeregisterAny(vnConnect *conn, int callbackID)
{
    vnEventCallback *ecb;
    vnServerReg *reg;

    VN_CHECK_CONN(conn, -1);

    g_mutex_lock(&conn->evlock);
    if (!(ecb = vnEventCallbackFind(conn, callbackID))) {
        g_mutex_unlock(&conn->evlock);
        virReportError(VIR_ERR_INVALID_ARG,
                       "could not find event callback %d for deletion", callbackID);
        return -1;
    }
    reg = ecb->reg;
    /* The last API callback of a server registration removes it there;
     * on a dead connection there is nothing to tell. */
    if (reg->nlocal == 1 && virNetClientIsOpen(conn->client)) {
        remote_connect_domain_event_callback_deregister_any_args args = {
            .callback_id = reg->serverID,
        };

        if (remoteCallConnectDomainEventCallbackDeregisterAny(PROG(conn), &args) < 0) {
            g_mutex_unlock(&conn->evlock);
            return -1;
        }
    }
    if (--reg->nlocal == 0)
        g_ptr_array_remove(conn->serverRegs, reg);   /* frees it */
    ecb->reg = NULL;
    ecb->removed = true;
    if (ecb->running == 0)
        g_ptr_array_remove(conn->callbacks, ecb);
    else
        ecb = NULL;                 /* the dispatcher frees it when it returns */
    g_mutex_unlock(&conn->evlock);
    if (ecb)
        vnEventCallbackFree(ecb);
    return 0;
}
