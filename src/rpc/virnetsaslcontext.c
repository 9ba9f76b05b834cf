/*
 * virnetsaslcontext.c: SASL contexts and sessions over cyrus-sasl.
 * See virnetsaslcontext.h.
 */
#include <string.h>
#include <sasl/sasl.h>

#include "virnetsaslcontext.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netsaslcontext");

struct _virNetSASLContext {
    gint refs;
    bool server;
    bool allowAll;           /* no allowed list configured */
    char **allowed;          /* glob patterns */
    unsigned int tcpMinSSF;
};

enum { VIR_NET_SASL_NCALLBACKS = 6 };

struct _virNetSASLSession {
    gint refs;
    GMutex lock;
    virNetSASLContext *ctxt;
    sasl_conn_t *conn;
    size_t maxbufsize;        /* before completion: ours; after: SASL_MAXOUTBUF */
    int externalSSF;

    virNetSASLCredFunc cred;
    void *credOpaque;
    sasl_callback_t callbacks[VIR_NET_SASL_NCALLBACKS];
    GPtrArray *strings;       /* credential strings lent to SASL */
    GPtrArray *secrets;       /* sasl_secret_t lent to SASL, wiped on free */
};


/* ---- library initialisation ---- */

static int
virNetSASLLog(void *context G_GNUC_UNUSED, int level, const char *message)
{
    if (!message)
        return SASL_OK;
    if (level <= SASL_LOG_ERR)
        VIR_WARN("sasl: %s", message);
    else if (level <= SASL_LOG_NOTE)
        VIR_INFO("sasl: %s", message);
    else if (level < SASL_LOG_PASS)
        VIR_DEBUG("sasl: %s", message);
    /* SASL_LOG_PASS may carry passwords: never logged. */
    return SASL_OK;
}

/* sasl_callback_t.proc is int (*)(void); go through void (*)(void), the
 * type GCC accepts as matching every function type. */
#define VIR_NET_SASL_PROC(fn) ((int (*)(void))(void (*)(void))(fn))

static const sasl_callback_t virNetSASLGlobalCallbacks[] = {
    { SASL_CB_LOG, VIR_NET_SASL_PROC(virNetSASLLog), NULL },
    { SASL_CB_LIST_END, NULL, NULL },
};

static int virNetSASLServerInitErr;
static int virNetSASLClientInitErr;

static gpointer
virNetSASLServerInitOnce(gpointer data G_GNUC_UNUSED)
{
    virNetSASLServerInitErr = sasl_server_init(virNetSASLGlobalCallbacks,
                                               VIR_NET_SASL_SERVICE);
    return NULL;
}

static gpointer
virNetSASLClientInitOnce(gpointer data G_GNUC_UNUSED)
{
    virNetSASLClientInitErr = sasl_client_init(virNetSASLGlobalCallbacks);
    return NULL;
}

static int
virNetSASLInitialize(bool server)
{
    static GOnce serverOnce = G_ONCE_INIT;
    static GOnce clientOnce = G_ONCE_INIT;
    int err;

    if (server) {
        g_once(&serverOnce, virNetSASLServerInitOnce, NULL);
        err = virNetSASLServerInitErr;
    } else {
        g_once(&clientOnce, virNetSASLClientInitOnce, NULL);
        err = virNetSASLClientInitErr;
    }
    if (err != SASL_OK) {
        virReportError(VIR_ERR_AUTH_FAILED,
                       "failed to initialize SASL library: %d (%s)",
                       err, sasl_errstring(err, NULL, NULL));
        return -1;
    }
    return 0;
}


/* ---- contexts ---- */

static virNetSASLContext *
virNetSASLContextNew(bool server)
{
    virNetSASLContext *ctxt;

    if (virNetSASLInitialize(server) < 0)
        return NULL;
    ctxt = g_new0(virNetSASLContext, 1);
    ctxt->refs = 1;
    ctxt->server = server;
    ctxt->allowAll = true;
    ctxt->tcpMinSSF = VIR_NET_SASL_TCP_MIN_SSF;
    return ctxt;
}


virNetSASLContext *
virNetSASLContextNewServer(const char *const *allowedUsernames,
                           unsigned int tcpMinSSF)
{
    virNetSASLContext *ctxt;

    if (tcpMinSSF == 0)
        tcpMinSSF = VIR_NET_SASL_TCP_MIN_SSF;
    if (tcpMinSSF < VIR_NET_SASL_TCP_MIN_SSF) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "minimum SSF %u for TCP is below the floor of %d",
                       tcpMinSSF, VIR_NET_SASL_TCP_MIN_SSF);
        return NULL;
    }
    if (!(ctxt = virNetSASLContextNew(true)))
        return NULL;
    ctxt->tcpMinSSF = tcpMinSSF;
    if (allowedUsernames) {
        ctxt->allowAll = false;
        ctxt->allowed = g_strdupv((char **)allowedUsernames);
    }
    return ctxt;
}


virNetSASLContext *
virNetSASLContextNewClient(void)
{
    return virNetSASLContextNew(false);
}


virNetSASLContext *
virNetSASLContextRef(virNetSASLContext *ctxt)
{
    g_atomic_int_inc(&ctxt->refs);
    return ctxt;
}


void
virNetSASLContextUnref(virNetSASLContext *ctxt)
{
    if (!ctxt || !g_atomic_int_dec_and_test(&ctxt->refs))
        return;
    g_strfreev(ctxt->allowed);
    g_free(ctxt);
}


unsigned int
virNetSASLContextGetTCPMinSSF(virNetSASLContext *ctxt)
{
    return ctxt->tcpMinSSF;
}


int
virNetSASLContextCheckIdentity(virNetSASLContext *ctxt, const char *identity)
{
    size_t i;

    if (ctxt->allowAll)
        return 1;
    for (i = 0; ctxt->allowed && ctxt->allowed[i]; i++) {
        if (g_pattern_match_simple(ctxt->allowed[i], identity))
            return 1;
    }
    VIR_WARN("SASL client identity '%s' is not on the allowed username list",
             identity);
    virReportError(VIR_ERR_AUTH_FAILED,
                   "client's username '%s' is not on the list of allowed clients",
                   identity);
    return 0;
}


/* ---- credentials ---- */

char *
virNetSASLCredentialsLookup(int type, const char *prompt G_GNUC_UNUSED,
                            void *opaque)
{
    const virNetSASLCredentials *creds = opaque;

    switch (type) {
    case VIR_NET_SASL_CRED_AUTHNAME:
        return g_strdup(creds->username);
    case VIR_NET_SASL_CRED_USERNAME:
        return g_strdup(creds->authzid);
    case VIR_NET_SASL_CRED_PASSPHRASE:
        return g_strdup(creds->password);
    case VIR_NET_SASL_CRED_REALM:
        return g_strdup(creds->realm);
    }
    return NULL;
}


static void
virNetSASLSecretFree(gpointer data)
{
    sasl_secret_t *secret = data;

    memset(secret->data, 0, secret->len);
    g_free(secret);
}


static void
virNetSASLWipeFree(char *str)
{
    if (str) {
        memset(str, 0, strlen(str));
        g_free(str);
    }
}


/* SASL_CB_AUTHNAME, SASL_CB_USER */
static int
virNetSASLGetSimple(void *context, int id, const char **result, unsigned *len)
{
    virNetSASLSession *sess = context;
    int type = id == SASL_CB_AUTHNAME ? VIR_NET_SASL_CRED_AUTHNAME
                                      : VIR_NET_SASL_CRED_USERNAME;
    char *value = sess->cred(type, id == SASL_CB_AUTHNAME ?
                             "Authentication name" : "Authorization name",
                             sess->credOpaque);

    if (!value) {
        if (id == SASL_CB_USER) {
            /* No separate authorization id: SASL treats "" as none. */
            *result = "";
            if (len)
                *len = 0;
            return SASL_OK;
        }
        VIR_DEBUG("no credential for SASL callback %d", id);
        return SASL_FAIL;
    }
    g_ptr_array_add(sess->strings, value);
    *result = value;
    if (len)
        *len = strlen(value);
    return SASL_OK;
}


/* SASL_CB_PASS */
static int
virNetSASLGetSecret(sasl_conn_t *conn G_GNUC_UNUSED, void *context,
                    int id G_GNUC_UNUSED, sasl_secret_t **psecret)
{
    virNetSASLSession *sess = context;
    char *value = sess->cred(VIR_NET_SASL_CRED_PASSPHRASE, "Password",
                             sess->credOpaque);
    sasl_secret_t *secret;
    size_t len;

    if (!value)
        return SASL_FAIL;
    len = strlen(value);
    /* sasl_secret_t ends in data[1]: room for the bytes and a NUL. */
    secret = g_malloc0(sizeof(*secret) + len + 1);
    secret->len = len;
    memcpy(secret->data, value, len);
    virNetSASLWipeFree(value);
    g_ptr_array_add(sess->secrets, secret);
    *psecret = secret;
    return SASL_OK;
}


/* SASL_CB_GETREALM */
static int
virNetSASLGetRealm(void *context, int id G_GNUC_UNUSED,
                   const char **availrealms, const char **result)
{
    virNetSASLSession *sess = context;
    char *value = sess->cred(VIR_NET_SASL_CRED_REALM, "Realm", sess->credOpaque);

    if (value) {
        g_ptr_array_add(sess->strings, value);
        *result = value;
        return SASL_OK;
    }
    if (availrealms && availrealms[0]) {
        *result = availrealms[0];
        return SASL_OK;
    }
    *result = "";
    return SASL_OK;
}


/* ---- sessions ---- */

/* cyrus-sasl wants "IP;PORT"; libvirt hands UNIX sockets over as
 * "127.0.0.1;0". */
static const char *
virNetSASLAddr(const char *addr)
{
    const char *semi;

    if (!addr || !(semi = strrchr(addr, ';')) || semi == addr || !semi[1] ||
        strspn(semi + 1, "0123456789") != strlen(semi + 1))
        return "127.0.0.1;0";
    return addr;
}


static virNetSASLSession *
virNetSASLSessionAlloc(virNetSASLContext *ctxt)
{
    virNetSASLSession *sess = g_new0(virNetSASLSession, 1);

    sess->refs = 1;
    g_mutex_init(&sess->lock);
    sess->ctxt = virNetSASLContextRef(ctxt);
    sess->maxbufsize = VIR_NET_SASL_BUFSIZE;
    sess->strings = g_ptr_array_new_with_free_func((GDestroyNotify)virNetSASLWipeFree);
    sess->secrets = g_ptr_array_new_with_free_func(virNetSASLSecretFree);
    return sess;
}


virNetSASLSession *
virNetSASLSessionNewServer(virNetSASLContext *ctxt,
                           const char *service,
                           const char *localAddr,
                           const char *remoteAddr)
{
    virNetSASLSession *sess;
    int err;

    if (!ctxt->server) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "SASL server session needs a server context");
        return NULL;
    }
    sess = virNetSASLSessionAlloc(ctxt);
    err = sasl_server_new(service ? service : VIR_NET_SASL_SERVICE,
                          NULL,   /* server FQDN: the host's name */
                          NULL,   /* user realm: the same */
                          virNetSASLAddr(localAddr),
                          virNetSASLAddr(remoteAddr),
                          NULL, SASL_SUCCESS_DATA, &sess->conn);
    if (err != SASL_OK) {
        virReportError(VIR_ERR_AUTH_FAILED,
                       "Failed to create SASL server context: %d (%s)",
                       err, sasl_errstring(err, NULL, NULL));
        sess->conn = NULL;
        virNetSASLSessionUnref(sess);
        return NULL;
    }
    return sess;
}


virNetSASLSession *
virNetSASLSessionNewClient(virNetSASLContext *ctxt,
                           const char *service,
                           const char *hostname,
                           const char *localAddr,
                           const char *remoteAddr,
                           virNetSASLCredFunc cred,
                           void *credOpaque)
{
    virNetSASLSession *sess;
    size_t n = 0;
    int err;

    if (ctxt->server) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "SASL client session needs a client context");
        return NULL;
    }
    sess = virNetSASLSessionAlloc(ctxt);
    sess->cred = cred;
    sess->credOpaque = credOpaque;
    if (cred) {
        sess->callbacks[n++] = (sasl_callback_t){
            SASL_CB_AUTHNAME, VIR_NET_SASL_PROC(virNetSASLGetSimple), sess };
        sess->callbacks[n++] = (sasl_callback_t){
            SASL_CB_USER, VIR_NET_SASL_PROC(virNetSASLGetSimple), sess };
        sess->callbacks[n++] = (sasl_callback_t){
            SASL_CB_PASS, VIR_NET_SASL_PROC(virNetSASLGetSecret), sess };
        sess->callbacks[n++] = (sasl_callback_t){
            SASL_CB_GETREALM, VIR_NET_SASL_PROC(virNetSASLGetRealm), sess };
    }
    sess->callbacks[n++] = (sasl_callback_t){
        SASL_CB_LOG, VIR_NET_SASL_PROC(virNetSASLLog), NULL };
    sess->callbacks[n] = (sasl_callback_t){ SASL_CB_LIST_END, NULL, NULL };

    err = sasl_client_new(service ? service : VIR_NET_SASL_SERVICE,
                          hostname,
                          virNetSASLAddr(localAddr),
                          virNetSASLAddr(remoteAddr),
                          sess->callbacks, SASL_SUCCESS_DATA, &sess->conn);
    if (err != SASL_OK) {
        virReportError(VIR_ERR_AUTH_FAILED,
                       "Failed to create SASL client context: %d (%s)",
                       err, sasl_errstring(err, NULL, NULL));
        sess->conn = NULL;
        virNetSASLSessionUnref(sess);
        return NULL;
    }
    return sess;
}


virNetSASLSession *
virNetSASLSessionRef(virNetSASLSession *sess)
{
    g_atomic_int_inc(&sess->refs);
    return sess;
}


void
virNetSASLSessionUnref(virNetSASLSession *sess)
{
    if (!sess || !g_atomic_int_dec_and_test(&sess->refs))
        return;
    if (sess->conn)
        sasl_dispose(&sess->conn);
    g_ptr_array_unref(sess->strings);
    g_ptr_array_unref(sess->secrets);
    virNetSASLContextUnref(sess->ctxt);
    g_mutex_clear(&sess->lock);
    g_free(sess);
}


int
virNetSASLSessionExtKeySize(virNetSASLSession *sess, int ssf)
{
    sasl_ssf_t val = ssf > 0 ? ssf : 0;
    int err;

    g_mutex_lock(&sess->lock);
    err = sasl_setprop(sess->conn, SASL_SSF_EXTERNAL, &val);
    if (err == SASL_OK)
        sess->externalSSF = val;
    g_mutex_unlock(&sess->lock);
    if (err != SASL_OK) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "cannot set external SSF %d: %d (%s)",
                       ssf, err, sasl_errstring(err, NULL, NULL));
        return -1;
    }
    VIR_DEBUG("sess=%p external SSF %d", sess, ssf);
    return 0;
}


int
virNetSASLSessionSecProps(virNetSASLSession *sess, int minSSF, int maxSSF,
                          bool allowAnonymous)
{
    sasl_security_properties_t secprops;
    int err;

    memset(&secprops, 0, sizeof(secprops));
    g_mutex_lock(&sess->lock);
    secprops.min_ssf = minSSF;
    secprops.max_ssf = maxSSF;
    secprops.maxbufsize = sess->maxbufsize;
    secprops.security_flags = allowAnonymous ? 0 :
        SASL_SEC_NOANONYMOUS | SASL_SEC_NOPLAINTEXT;
    err = sasl_setprop(sess->conn, SASL_SEC_PROPS, &secprops);
    g_mutex_unlock(&sess->lock);
    if (err != SASL_OK) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "cannot set SASL security properties: %d (%s)",
                       err, sasl_errstring(err, NULL, NULL));
        return -1;
    }
    VIR_DEBUG("sess=%p minSSF=%d maxSSF=%d allowAnonymous=%d",
              sess, minSSF, maxSSF, allowAnonymous);
    return 0;
}


int
virNetSASLSessionSetChannel(virNetSASLSession *sess, bool secure,
                            int externalSSF, unsigned int minSSF)
{
    if (externalSSF > 0 &&
        virNetSASLSessionExtKeySize(sess, externalSSF) < 0)
        return -1;
    if (secure)
        return virNetSASLSessionSecProps(sess, 0, 0, true);
    return virNetSASLSessionSecProps(sess, minSSF, VIR_NET_SASL_MAX_SSF, false);
}


char *
virNetSASLSessionListMechanisms(virNetSASLSession *sess)
{
    const char *mechlist = NULL;
    char *ret = NULL;
    int err;

    g_mutex_lock(&sess->lock);
    err = sasl_listmech(sess->conn, NULL, "", ",", "", &mechlist, NULL, NULL);
    if (err != SASL_OK) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "cannot list SASL mechanisms: %d (%s)",
                       err, sasl_errdetail(sess->conn));
    } else if (!mechlist || !*mechlist) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "no SASL mechanisms are available");
    } else {
        ret = g_strdup(mechlist);
    }
    g_mutex_unlock(&sess->lock);
    VIR_DEBUG("sess=%p mechanisms '%s'", sess, ret ? ret : "");
    return ret;
}


/* With the lock held: map a start/step result; on completion take the
 * negotiated output buffer size. */
static int
virNetSASLSessionResult(virNetSASLSession *sess, int err, const char *what)
{
    const void *val = NULL;

    switch (err) {
    case SASL_OK:
        if (sasl_getprop(sess->conn, SASL_MAXOUTBUF, &val) != SASL_OK || !val) {
            virReportError(VIR_ERR_AUTH_FAILED, "%s",
                           "cannot get the negotiated SASL buffer size");
            return -1;
        }
        VIR_DEBUG("sess=%p %s complete, maxoutbuf %u (asked %zu)",
                  sess, what, *(const unsigned *)val, sess->maxbufsize);
        sess->maxbufsize = *(const unsigned *)val;
        return VIR_NET_SASL_COMPLETE;
    case SASL_CONTINUE:
        return VIR_NET_SASL_CONTINUE;
    case SASL_INTERACT:
        virReportError(VIR_ERR_AUTH_FAILED,
                       "Failed to %s SASL negotiation: a credential is missing",
                       what);
        return -1;
    default:
        virReportError(VIR_ERR_AUTH_FAILED,
                       "Failed to %s SASL negotiation: %d (%s)",
                       what, err, sasl_errdetail(sess->conn));
        return -1;
    }
}


int
virNetSASLSessionServerStart(virNetSASLSession *sess, const char *mech,
                             const char *clientin, size_t clientinlen,
                             const char **serverout, size_t *serveroutlen)
{
    unsigned outlen = 0;
    int err, ret;

    *serverout = NULL;
    *serveroutlen = 0;
    if (clientinlen > VIR_NET_SASL_BUFSIZE || !mech) {
        virReportError(VIR_ERR_AUTH_FAILED, "%s",
                       "bad SASL start request");
        return -1;
    }
    g_mutex_lock(&sess->lock);
    err = sasl_server_start(sess->conn, mech, clientin, clientinlen,
                            serverout, &outlen);
    *serveroutlen = outlen;
    ret = virNetSASLSessionResult(sess, err, "start");
    g_mutex_unlock(&sess->lock);
    return ret;
}


int
virNetSASLSessionServerStep(virNetSASLSession *sess,
                            const char *clientin, size_t clientinlen,
                            const char **serverout, size_t *serveroutlen)
{
    unsigned outlen = 0;
    int err, ret;

    *serverout = NULL;
    *serveroutlen = 0;
    if (clientinlen > VIR_NET_SASL_BUFSIZE) {
        virReportError(VIR_ERR_AUTH_FAILED, "%s",
                       "SASL step data too long");
        return -1;
    }
    g_mutex_lock(&sess->lock);
    err = sasl_server_step(sess->conn, clientin, clientinlen,
                           serverout, &outlen);
    *serveroutlen = outlen;
    ret = virNetSASLSessionResult(sess, err, "step");
    g_mutex_unlock(&sess->lock);
    return ret;
}


int
virNetSASLSessionClientStart(virNetSASLSession *sess, const char *mechlist,
                             const char **clientout, size_t *clientoutlen,
                             const char **mech)
{
    sasl_interact_t *interact = NULL;
    unsigned outlen = 0;
    int err, ret;

    *clientout = NULL;
    *clientoutlen = 0;
    *mech = NULL;
    g_mutex_lock(&sess->lock);
    err = sasl_client_start(sess->conn, mechlist, &interact,
                            clientout, &outlen, mech);
    *clientoutlen = outlen;
    ret = virNetSASLSessionResult(sess, err, "start");
    g_mutex_unlock(&sess->lock);
    VIR_DEBUG("sess=%p mechlist='%s' chose '%s' ret=%d",
              sess, mechlist, *mech ? *mech : "", ret);
    return ret;
}


int
virNetSASLSessionClientStep(virNetSASLSession *sess,
                            const char *serverin, size_t serverinlen,
                            const char **clientout, size_t *clientoutlen)
{
    sasl_interact_t *interact = NULL;
    unsigned outlen = 0;
    int err, ret;

    *clientout = NULL;
    *clientoutlen = 0;
    if (serverinlen > VIR_NET_SASL_BUFSIZE) {
        virReportError(VIR_ERR_AUTH_FAILED, "%s",
                       "SASL step data too long");
        return -1;
    }
    g_mutex_lock(&sess->lock);
    err = sasl_client_step(sess->conn, serverin, serverinlen, &interact,
                           clientout, &outlen);
    *clientoutlen = outlen;
    ret = virNetSASLSessionResult(sess, err, "step");
    g_mutex_unlock(&sess->lock);
    return ret;
}


int
virNetSASLSessionGetSSF(virNetSASLSession *sess)
{
    const void *val = NULL;
    int err, ssf = -1;

    g_mutex_lock(&sess->lock);
    err = sasl_getprop(sess->conn, SASL_SSF, &val);
    if (err == SASL_OK && val)
        ssf = *(const sasl_ssf_t *)val;
    g_mutex_unlock(&sess->lock);
    if (ssf < 0)
        virReportError(VIR_ERR_AUTH_FAILED,
                       "cannot query SASL ssf on connection: %d (%s)",
                       err, sasl_errstring(err, NULL, NULL));
    return ssf;
}


int
virNetSASLSessionGetExternalSSF(virNetSASLSession *sess)
{
    int ssf;

    g_mutex_lock(&sess->lock);
    ssf = sess->externalSSF;
    g_mutex_unlock(&sess->lock);
    return ssf;
}


size_t
virNetSASLSessionGetMaxBufSize(virNetSASLSession *sess)
{
    size_t ret;

    g_mutex_lock(&sess->lock);
    ret = sess->maxbufsize;
    g_mutex_unlock(&sess->lock);
    return ret;
}


const char *
virNetSASLSessionGetIdentity(virNetSASLSession *sess)
{
    const void *val = NULL;
    int err;

    g_mutex_lock(&sess->lock);
    err = sasl_getprop(sess->conn, SASL_USERNAME, &val);
    g_mutex_unlock(&sess->lock);
    if (err != SASL_OK) {
        virReportError(VIR_ERR_AUTH_FAILED,
                       "cannot query SASL username on connection: %d (%s)",
                       err, sasl_errstring(err, NULL, NULL));
        return NULL;
    }
    if (!val || !*(const char *)val) {
        virReportError(VIR_ERR_AUTH_FAILED, "%s",
                       "no client username was found");
        return NULL;
    }
    return val;
}


int
virNetSASLSessionCheckSSF(virNetSASLSession *sess, unsigned int minSSF)
{
    int ssf = virNetSASLSessionGetSSF(sess);

    if (ssf < 0)
        return -1;
    if ((unsigned int)ssf < minSSF) {
        virReportError(VIR_ERR_AUTH_FAILED,
                       "negotiated SSF %d was not strong enough (need %u)",
                       ssf, minSSF);
        return -1;
    }
    return 0;
}


const char *
virNetSASLSessionServerFinish(virNetSASLSession *sess,
                              virNetSASLContext *ctxt,
                              bool secure)
{
    const char *identity;

    if (!secure &&
        virNetSASLSessionCheckSSF(sess, virNetSASLContextGetTCPMinSSF(ctxt)) < 0)
        return NULL;
    if (!(identity = virNetSASLSessionGetIdentity(sess)))
        return NULL;
    if (virNetSASLContextCheckIdentity(ctxt, identity) != 1)
        return NULL;
    VIR_DEBUG("sess=%p authenticated '%s'", sess, identity);
    return identity;
}


int
virNetSASLSessionEncode(virNetSASLSession *sess, const char *in, size_t inlen,
                        const char **out, size_t *outlen)
{
    unsigned olen = 0;
    int err;

    *out = NULL;
    *outlen = 0;
    g_mutex_lock(&sess->lock);
    if (inlen > sess->maxbufsize) {
        size_t max = sess->maxbufsize;
        g_mutex_unlock(&sess->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "SASL data length %zu too long, max %zu", inlen, max);
        return -1;
    }
    err = sasl_encode(sess->conn, in, inlen, out, &olen);
    *outlen = olen;
    g_mutex_unlock(&sess->lock);
    if (err != SASL_OK) {
        *out = NULL;
        *outlen = 0;
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "failed to encode SASL data: %d (%s)",
                       err, sasl_errstring(err, NULL, NULL));
        return -1;
    }
    return 0;
}


int
virNetSASLSessionDecode(virNetSASLSession *sess, const char *in, size_t inlen,
                        const char **out, size_t *outlen)
{
    unsigned olen = 0;
    int err;

    *out = NULL;
    *outlen = 0;
    if (inlen > VIR_NET_SASL_BUFSIZE) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "SASL data length %zu too long, max %d",
                       inlen, VIR_NET_SASL_BUFSIZE);
        return -1;
    }
    g_mutex_lock(&sess->lock);
    err = sasl_decode(sess->conn, in, inlen, out, &olen);
    *outlen = olen;
    g_mutex_unlock(&sess->lock);
    if (err != SASL_OK) {
        *out = NULL;
        *outlen = 0;
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "failed to decode SASL data: %d (%s)",
                       err, sasl_errstring(err, NULL, NULL));
        return -1;
    }
    return 0;
}
