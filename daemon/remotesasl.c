/*
 * remotesasl.c: SASL authentication of the remote program's clients
 * (AUTH_SASL_INIT, _START, _STEP).
 *
 * As libvirtd (remoteDispatchAuthSasl*): INIT makes the session and lists
 * the mechanisms, START and STEP carry the tokens; when SASL says complete,
 * the server's checks follow (SSF on plain TCP, username on the allowed
 * list), then the client counts as authenticated with the SASL username as
 * its identity, and its session goes under the socket once the reply is
 * written. Every failure is the same "authentication failed"
 * (VIR_ERR_AUTH_FAILED) on the wire; the detail goes to the log with the
 * peer's address. A failed START or STEP drops the session (the client
 * starts again with INIT); a refused INIT leaves an existing one alone.
 *
 * Locking: the exchange in progress is priv->sasl, under priv->lock (see
 * remote.h), held across each step: SASL steps of one client are serial.
 */
#include <string.h>

#include "remote.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("daemon.remotesasl");

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
remoteDispatchAuthSASLInit(virNetServerCall *call, remote_auth_sasl_init_ret *ret)
{
    virNetServerClient *client = call->client;
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


/* START (with mech) and STEP: run one token through the session. */
static int
remoteSASLExchange(virNetServerCall *call, const char *step, const char *mech,
                   int empty, const char *data, u_int datalen,
                   int *complete, int *rempty, u_int *rdatalen, char **rdata)
{
    virNetServerClient *client = call->client;
    remoteClientPrivate *priv = virNetServerClientGetPrivateData(client);
    const char *in = empty ? NULL : data;
    const char *out = NULL;
    size_t outlen = 0;
    int err, rc;

    if (remoteSASLLockSession(client, priv, step,
                              mech ? "invalid SASL start request" : "invalid SASL step request") < 0)
        return -1;
    VIR_DEBUG("client %llu: SASL %s, mechanism %s, %u bytes, empty %d",
              virNetServerClientGetID(client), step, mech ? mech : "-", datalen, empty);
    if (mech)
        err = virNetSASLSessionServerStart(priv->sasl, mech, in, datalen, &out, &outlen);
    else
        err = virNetSASLSessionServerStep(priv->sasl, in, datalen, &out, &outlen);
    rc = remoteSASLReply(call->server, client, priv, step, err, out, outlen, complete,
                         rempty, rdatalen, rdata);
    g_mutex_unlock(&priv->lock);
    return rc;
}


int
remoteDispatchAuthSASLStart(virNetServerCall *call, remote_auth_sasl_start_args *args,
                            remote_auth_sasl_start_ret *ret)
{
    return remoteSASLExchange(call, "START", args->mech, args->empty, args->data.data_val,
                              args->data.data_len, &ret->complete, &ret->empty,
                              &ret->data.data_len, &ret->data.data_val);
}


int
remoteDispatchAuthSASLStep(virNetServerCall *call, remote_auth_sasl_step_args *args,
                           remote_auth_sasl_step_ret *ret)
{
    return remoteSASLExchange(call, "STEP", NULL, args->empty, args->data.data_val,
                              args->data.data_len, &ret->complete, &ret->empty,
                              &ret->data.data_len, &ret->data.data_val);
}
