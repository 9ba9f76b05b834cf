/*
 * virnettlscontext.c: x509 credentials and peer certificate checks
 * (see virnettlscontext.h).
 *
 * Ownership: a context owns its gnutls credentials and priority cache and
 * a copy of the allowed-DN list. It is immutable after creation; the
 * reference count is atomic, so sessions on any thread share it.
 */
#include <errno.h>
#include <fnmatch.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <gnutls/x509.h>

#include "virnettlscontext.h"
#include "virnettlssession.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.nettlscontext");

#define VIR_NET_TLS_PKI_DIR "/etc/pki"
#define VIR_NET_TLS_MAX_CA_CERTS 32

struct _virNetTLSContext {
    gint refs;
    bool isServer;
    bool requireValidCert;
    gnutls_certificate_credentials_t creds;
    gnutls_priority_t priority;
    char *priorityString;
    char **allowedDNs;          /* NULL: any DN */
    /* What it was made from, for virNetTLSContextReload. */
    char *cacert, *cacrl, *cert, *key;
    bool sanityCheckCert;
};


static void
virNetTLSGlobalInit(void)
{
    static gsize done;

    if (g_once_init_enter(&done)) {
        const char *dbg = g_getenv("VIRTNET_GNUTLS_DEBUG");

        gnutls_global_init();
        if (dbg && *dbg)
            gnutls_global_set_log_level(atoi(dbg));
        g_once_init_leave(&done, 1);
    }
}


/* ---- certificate checks ------------------------------------------------- */

static const char *
virNetTLSRole(bool isServer, bool isCA)
{
    return isCA ? "CA" : isServer ? "server" : "client";
}


static int
virNetTLSCheckTimes(gnutls_x509_crt_t cert, const char *what, bool isServer, bool isCA)
{
    time_t now = time(NULL);

    if (gnutls_x509_crt_get_expiration_time(cert) < now) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "the %s certificate %s has expired",
                       virNetTLSRole(isServer, isCA), what);
        return -1;
    }
    if (gnutls_x509_crt_get_activation_time(cert) > now) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "the %s certificate %s is not active yet",
                       virNetTLSRole(isServer, isCA), what);
        return -1;
    }
    return 0;
}


static int
virNetTLSCheckBasicConstraints(gnutls_x509_crt_t cert, const char *what,
                               bool isServer, bool isCA)
{
    int rc = gnutls_x509_crt_get_basic_constraints(cert, NULL, NULL, NULL);

    if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        rc = isCA ? -1 : 0;
    else if (rc < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "cannot read the basic constraints of %s: %s",
                       what, gnutls_strerror(rc));
        return -1;
    }
    if (isCA && rc <= 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR,
                       "the certificate %s is not marked as a CA (basic constraints)", what);
        return -1;
    }
    if (!isCA && rc > 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR,
                       "the certificate %s is a CA certificate, not a %s certificate",
                       what, virNetTLSRole(isServer, false));
        return -1;
    }
    return 0;
}


/* A usage bit that is missing refuses the certificate only when the
 * extension is critical; otherwise it is a warning. */
static int
virNetTLSCheckKeyUsage(gnutls_x509_crt_t cert, const char *what, bool isCA)
{
    unsigned int usage = 0, critical = 0;
    unsigned int need = isCA ? GNUTLS_KEY_KEY_CERT_SIGN
                             : GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT;
    int rc = gnutls_x509_crt_get_key_usage(cert, &usage, &critical);

    if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        return 0;
    if (rc < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "cannot read the key usage of %s: %s",
                       what, gnutls_strerror(rc));
        return -1;
    }
    if ((usage & need) == need)
        return 0;
    if (critical) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "the key usage of %s does not allow %s",
                       what, isCA ? "certificate signing"
                                  : "digital signature and key encipherment");
        return -1;
    }
    VIR_WARN("the key usage of %s does not allow %s (not critical: accepted)", what,
             isCA ? "certificate signing" : "digital signature and key encipherment");
    return 0;
}


/* forServer: the certificate must be usable by a TLS server (else client). */
static int
virNetTLSCheckKeyPurpose(gnutls_x509_crt_t cert, const char *what, bool forServer)
{
    bool anyPurpose = false, allowed = false, critical = false;

    for (unsigned int i = 0;; i++) {
        char oid[256];
        size_t size = sizeof(oid);
        unsigned int crit = 0;
        int rc = gnutls_x509_crt_get_key_purpose_oid(cert, i, oid, &size, &crit);

        if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
            break;
        if (rc < 0) {
            virReportError(VIR_ERR_SYSTEM_ERROR, "cannot read the key purpose of %s: %s",
                           what, gnutls_strerror(rc));
            return -1;
        }
        anyPurpose = true;
        if (crit)
            critical = true;
        if (strcmp(oid, GNUTLS_KP_ANY) == 0 ||
            strcmp(oid, forServer ? GNUTLS_KP_TLS_WWW_SERVER : GNUTLS_KP_TLS_WWW_CLIENT) == 0)
            allowed = true;
    }
    if (!anyPurpose || allowed)
        return 0;
    if (critical) {
        virReportError(VIR_ERR_SYSTEM_ERROR,
                       "the key purpose of %s does not allow use by a TLS %s",
                       what, forServer ? "server" : "client");
        return -1;
    }
    VIR_WARN("the key purpose of %s does not mention use by a TLS %s (not critical: accepted)",
             what, forServer ? "server" : "client");
    return 0;
}


static const char *
virNetTLSVerifyReason(unsigned int status)
{
    if (status & GNUTLS_CERT_REVOKED)
        return "the certificate has been revoked";
    if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
        return "the certificate's issuer is not a trusted CA";
    if (status & GNUTLS_CERT_EXPIRED)
        return "the certificate has expired";
    if (status & GNUTLS_CERT_NOT_ACTIVATED)
        return "the certificate is not active yet";
    if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
        return "the certificate uses an insecure algorithm";
    if (status & GNUTLS_CERT_SIGNER_NOT_CA)
        return "the certificate's issuer is not a CA";
    if (status & GNUTLS_CERT_SIGNATURE_FAILURE)
        return "the certificate's signature does not verify";
    return "the certificate is not trusted";
}


/* ---- loading ------------------------------------------------------------ */

static gnutls_x509_crt_t *
virNetTLSLoadCerts(const char *file, unsigned int *ncerts)
{
    gnutls_datum_t data = { NULL, 0 };
    gnutls_x509_crt_t *certs = NULL;
    g_autofree char *buf = NULL;
    gsize len = 0;
    g_autoptr(GError) gerr = NULL;
    int rc;

    *ncerts = 0;
    if (!g_file_get_contents(file, &buf, &len, &gerr)) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "cannot read certificate file '%s': %s",
                       file, gerr->message);
        return NULL;
    }
    data.data = (unsigned char *)buf;
    data.size = len;
    rc = gnutls_x509_crt_list_import2(&certs, ncerts, &data, GNUTLS_X509_FMT_PEM, 0);
    if (rc < 0 || *ncerts == 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "no certificate could be read from '%s': %s",
                       file, rc < 0 ? gnutls_strerror(rc) : "empty");
        return NULL;
    }
    return certs;
}


static void
virNetTLSFreeCerts(gnutls_x509_crt_t *certs, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        gnutls_x509_crt_deinit(certs[i]);
    gnutls_free(certs);
}


/* Our own certificate and the CA list, before they are used: catches the
 * usual mistakes (swapped files, a cert of the wrong CA, an expired one)
 * with a clear message at start-up instead of a failed handshake later. */
static int
virNetTLSSanityCheck(bool isServer, const char *cacertFile, const char *certFile)
{
    gnutls_x509_crt_t *cacerts = NULL, *certs = NULL;
    unsigned int ncacerts = 0, ncerts = 0, status = 0;
    int ret = -1;

    if (!(cacerts = virNetTLSLoadCerts(cacertFile, &ncacerts)))
        goto cleanup;
    for (unsigned int i = 0; i < ncacerts; i++) {
        if (virNetTLSCheckTimes(cacerts[i], cacertFile, isServer, true) < 0 ||
            virNetTLSCheckBasicConstraints(cacerts[i], cacertFile, isServer, true) < 0 ||
            virNetTLSCheckKeyUsage(cacerts[i], cacertFile, true) < 0)
            goto cleanup;
    }
    if (certFile) {
        if (!(certs = virNetTLSLoadCerts(certFile, &ncerts)))
            goto cleanup;
        if (virNetTLSCheckTimes(certs[0], certFile, isServer, false) < 0 ||
            virNetTLSCheckBasicConstraints(certs[0], certFile, isServer, false) < 0 ||
            virNetTLSCheckKeyUsage(certs[0], certFile, false) < 0 ||
            virNetTLSCheckKeyPurpose(certs[0], certFile, isServer) < 0)
            goto cleanup;
        if (gnutls_x509_crt_list_verify(certs, ncerts, cacerts, ncacerts,
                                        NULL, 0, 0, &status) < 0 || status != 0) {
            virReportError(VIR_ERR_SYSTEM_ERROR,
                           "our certificate %s does not verify against the CA %s: %s",
                           certFile, cacertFile, virNetTLSVerifyReason(status));
            goto cleanup;
        }
    }
    ret = 0;
 cleanup:
    virNetTLSFreeCerts(cacerts, ncacerts);
    virNetTLSFreeCerts(certs, ncerts);
    return ret;
}


static virNetTLSContext *
virNetTLSContextNew(bool isServer, const char *cacert, const char *cacrl,
                    const char *cert, const char *key, const char *const *allowedDNs,
                    const char *priority, bool sanityCheckCert, bool requireValidCert)
{
    virNetTLSContext *ctxt;
    const char *errpos = NULL;
    bool haveCert, haveKey;
    int rc;

    virNetTLSGlobalInit();
    VIR_DEBUG("server=%d cacert=%s cacrl=%s cert=%s key=%s sanity=%d verify=%d",
              isServer, cacert, cacrl ? cacrl : "-", cert ? cert : "-", key ? key : "-",
              sanityCheckCert, requireValidCert);

    if (!cacert || access(cacert, R_OK) < 0) {
        virReportSystemError(cacert ? errno : ENOENT, "cannot read CA certificate '%s'",
                             cacert ? cacert : "(none)");
        return NULL;
    }
    haveCert = cert && *cert && access(cert, R_OK) == 0;
    haveKey = key && *key && access(key, R_OK) == 0;
    if (isServer || haveCert || haveKey) {
        if (!haveCert) {
            virReportSystemError(cert && *cert ? errno : ENOENT,
                                 "cannot read %s certificate '%s'",
                                 isServer ? "server" : "client", cert ? cert : "(none)");
            return NULL;
        }
        if (!haveKey) {
            virReportSystemError(key && *key ? errno : ENOENT,
                                 "cannot read %s private key '%s'",
                                 isServer ? "server" : "client", key ? key : "(none)");
            return NULL;
        }
    }

    if (sanityCheckCert &&
        virNetTLSSanityCheck(isServer, cacert, haveCert ? cert : NULL) < 0)
        return NULL;

    ctxt = g_new0(virNetTLSContext, 1);
    ctxt->refs = 1;
    ctxt->isServer = isServer;
    ctxt->requireValidCert = requireValidCert;
    ctxt->priorityString = g_strdup(priority && *priority ? priority
                                                          : VIR_NET_TLS_DEFAULT_PRIORITY);
    if (allowedDNs)
        ctxt->allowedDNs = g_strdupv((char **)allowedDNs);
    ctxt->cacert = g_strdup(cacert);
    ctxt->cacrl = g_strdup(cacrl);
    ctxt->cert = g_strdup(cert);
    ctxt->key = g_strdup(key);
    ctxt->sanityCheckCert = sanityCheckCert;

    if ((rc = gnutls_certificate_allocate_credentials(&ctxt->creds)) < 0) {
        virReportError(VIR_ERR_GNUTLS_ERROR, "cannot allocate x509 credentials: %s",
                       gnutls_strerror(rc));
        goto error;
    }
    if ((rc = gnutls_certificate_set_x509_trust_file(ctxt->creds, cacert,
                                                     GNUTLS_X509_FMT_PEM)) <= 0) {
        virReportError(VIR_ERR_GNUTLS_ERROR, "cannot load CA certificate '%s': %s",
                       cacert, rc < 0 ? gnutls_strerror(rc) : "no certificate in it");
        goto error;
    }
    if (cacrl && *cacrl) {
        if (access(cacrl, R_OK) == 0) {
            if ((rc = gnutls_certificate_set_x509_crl_file(ctxt->creds, cacrl,
                                                           GNUTLS_X509_FMT_PEM)) < 0) {
                virReportError(VIR_ERR_GNUTLS_ERROR,
                               "cannot load certificate revocation list '%s': %s",
                               cacrl, gnutls_strerror(rc));
                goto error;
            }
            VIR_DEBUG("CRL %s: %d entries", cacrl, rc);
        } else {
            VIR_DEBUG("no CRL at %s", cacrl);
        }
    }
    if (haveCert &&
        (rc = gnutls_certificate_set_x509_key_file(ctxt->creds, cert, key,
                                                   GNUTLS_X509_FMT_PEM)) < 0) {
        virReportError(VIR_ERR_GNUTLS_ERROR, "cannot load certificate '%s' with key '%s': %s",
                       cert, key, gnutls_strerror(rc));
        goto error;
    }
    if (isServer &&
        (rc = gnutls_certificate_set_known_dh_params(ctxt->creds, GNUTLS_SEC_PARAM_MEDIUM)) < 0) {
        virReportError(VIR_ERR_GNUTLS_ERROR, "cannot set Diffie-Hellman parameters: %s",
                       gnutls_strerror(rc));
        goto error;
    }
    if ((rc = gnutls_priority_init(&ctxt->priority, ctxt->priorityString, &errpos)) < 0) {
        virReportError(VIR_ERR_GNUTLS_ERROR, "invalid TLS priority string '%s' (at '%s'): %s",
                       ctxt->priorityString, errpos ? errpos : "", gnutls_strerror(rc));
        goto error;
    }
    return ctxt;

 error:
    virNetTLSContextUnref(ctxt);
    return NULL;
}


virNetTLSContext *
virNetTLSContextNewServer(const char *cacert, const char *cacrl, const char *cert,
                          const char *key, const char *const *allowedDNs,
                          const char *priority, bool sanityCheckCert, bool requireValidCert)
{
    return virNetTLSContextNew(true, cacert, cacrl, cert, key, allowedDNs, priority,
                               sanityCheckCert, requireValidCert);
}


virNetTLSContext *
virNetTLSContextReload(virNetTLSContext *ctxt)
{
    return virNetTLSContextNew(ctxt->isServer, ctxt->cacert, ctxt->cacrl, ctxt->cert,
                               ctxt->key, (const char *const *)ctxt->allowedDNs,
                               ctxt->priorityString, ctxt->sanityCheckCert,
                               ctxt->requireValidCert);
}


virNetTLSContext *
virNetTLSContextNewClient(const char *cacert, const char *cacrl, const char *cert,
                          const char *key, const char *priority, bool sanityCheckCert,
                          bool requireValidCert)
{
    return virNetTLSContextNew(false, cacert, cacrl, cert, key, NULL, priority,
                               sanityCheckCert, requireValidCert);
}


int
virNetTLSContextLocateClientFiles(const char *pkipath, bool tryUserPkiPath,
                                  char **cacert, char **cacrl, char **cert, char **key)
{
    *cacert = *cacrl = *cert = *key = NULL;

    if (pkipath) {
        /* An explicit directory is used whether the files exist or not. */
        *cacert = g_build_filename(pkipath, "cacert.pem", NULL);
        *cacrl = g_build_filename(pkipath, "cacrl.pem", NULL);
        *cert = g_build_filename(pkipath, "clientcert.pem", NULL);
        *key = g_build_filename(pkipath, "clientkey.pem", NULL);
        return 0;
    }
    if (tryUserPkiPath) {
        g_autofree char *dir = g_build_filename(g_get_home_dir(), ".pki", "libvirt", NULL);

        *cacert = g_build_filename(dir, "cacert.pem", NULL);
        *cacrl = g_build_filename(dir, "cacrl.pem", NULL);
        *cert = g_build_filename(dir, "clientcert.pem", NULL);
        *key = g_build_filename(dir, "clientkey.pem", NULL);
        /* Each missing piece falls back to the system one; cert and key
         * only as a pair. */
        if (access(*cacert, F_OK) < 0)
            g_clear_pointer(cacert, g_free);
        if (access(*cacrl, F_OK) < 0)
            g_clear_pointer(cacrl, g_free);
        if (access(*cert, F_OK) < 0 || access(*key, F_OK) < 0) {
            g_clear_pointer(cert, g_free);
            g_clear_pointer(key, g_free);
        }
    }
    if (!*cacert)
        *cacert = g_strdup(VIR_NET_TLS_PKI_DIR "/CA/cacert.pem");
    if (!*cacrl)
        *cacrl = g_strdup(VIR_NET_TLS_PKI_DIR "/CA/cacrl.pem");
    if (!*cert) {
        *cert = g_strdup(VIR_NET_TLS_PKI_DIR "/libvirt/clientcert.pem");
        *key = g_strdup(VIR_NET_TLS_PKI_DIR "/libvirt/private/clientkey.pem");
    }
    return 0;
}


virNetTLSContext *
virNetTLSContextNewClientPath(const char *pkipath, bool tryUserPkiPath, const char *priority,
                              bool sanityCheckCert, bool requireValidCert)
{
    g_autofree char *cacert = NULL, *cacrl = NULL, *cert = NULL, *key = NULL;

    if (virNetTLSContextLocateClientFiles(pkipath, tryUserPkiPath,
                                          &cacert, &cacrl, &cert, &key) < 0)
        return NULL;
    return virNetTLSContextNewClient(cacert, cacrl, cert, key, priority,
                                     sanityCheckCert, requireValidCert);
}


virNetTLSContext *
virNetTLSContextRef(virNetTLSContext *ctxt)
{
    if (ctxt)
        g_atomic_int_inc(&ctxt->refs);
    return ctxt;
}


void
virNetTLSContextUnref(virNetTLSContext *ctxt)
{
    if (!ctxt || !g_atomic_int_dec_and_test(&ctxt->refs))
        return;
    if (ctxt->priority)
        gnutls_priority_deinit(ctxt->priority);
    if (ctxt->creds)
        gnutls_certificate_free_credentials(ctxt->creds);
    g_strfreev(ctxt->allowedDNs);
    g_free(ctxt->priorityString);
    g_free(ctxt->cacert);
    g_free(ctxt->cacrl);
    g_free(ctxt->cert);
    g_free(ctxt->key);
    g_free(ctxt);
}


bool
virNetTLSContextIsServer(virNetTLSContext *ctxt)
{
    return ctxt->isServer;
}


int
virNetTLSContextSetupSession(virNetTLSContext *ctxt, gnutls_session_t session)
{
    int rc;

    if ((rc = gnutls_priority_set(session, ctxt->priority)) < 0 ||
        (rc = gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, ctxt->creds)) < 0) {
        virReportError(VIR_ERR_GNUTLS_ERROR, "cannot set up the TLS session: %s",
                       gnutls_strerror(rc));
        return -1;
    }
    /* Ask for the client's certificate; whether a missing or bad one is
     * fatal is decided after the handshake (tls_no_verify_certificate). */
    if (ctxt->isServer)
        gnutls_certificate_server_set_request(session, GNUTLS_CERT_REQUEST);
    return 0;
}


/* ---- the peer's certificate --------------------------------------------- */

static char *
virNetTLSGetDN(gnutls_x509_crt_t cert)
{
    size_t size = 0;
    char *dn;
    int rc = gnutls_x509_crt_get_dn(cert, NULL, &size);

    if (rc != GNUTLS_E_SHORT_MEMORY_BUFFER) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "cannot read the certificate's DN: %s",
                       gnutls_strerror(rc));
        return NULL;
    }
    dn = g_malloc0(size + 1);
    if ((rc = gnutls_x509_crt_get_dn(cert, dn, &size)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "cannot read the certificate's DN: %s",
                       gnutls_strerror(rc));
        g_free(dn);
        return NULL;
    }
    return dn;
}


static int
virNetTLSCheckDNAllowed(char *const *patterns, const char *dn)
{
    for (; *patterns; patterns++) {
        int rc = fnmatch(*patterns, dn, 0);

        if (rc == 0)
            return 0;
        if (rc != FNM_NOMATCH) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "malformed pattern '%s' in tls_allowed_dn_list",
                           *patterns);
            return -1;
        }
    }
    virReportError(VIR_ERR_SYSTEM_ERROR,
                   "the client's DN '%s' is not on the allowed list (tls_allowed_dn_list)", dn);
    return -1;
}


/* Every check; -1 with the reason as the error. */
static int
virNetTLSValidatePeer(virNetTLSContext *ctxt, virNetTLSSession *sess)
{
    gnutls_session_t s = virNetTLSSessionGetGnutls(sess);
    const gnutls_datum_t *certs;
    unsigned int status = 0, ncerts = 0;
    bool peerIsServer = !ctxt->isServer;
    const char *hostname = virNetTLSSessionGetHostname(sess);
    g_autofree char *dn = NULL;
    int rc;

    if (gnutls_certificate_type_get(s) != GNUTLS_CRT_X509) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "%s", "the peer did not use an x509 certificate");
        return -1;
    }
    if (!(certs = gnutls_certificate_get_peers(s, &ncerts)) || ncerts == 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "%s", "the peer sent no certificate");
        return -1;
    }
    if ((rc = gnutls_certificate_verify_peers2(s, &status)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "cannot verify the peer's certificate: %s",
                       gnutls_strerror(rc));
        return -1;
    }
    if (status != 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "%s", virNetTLSVerifyReason(status));
        return -1;
    }

    for (unsigned int i = 0; i < ncerts; i++) {
        gnutls_x509_crt_t cert;

        if (gnutls_x509_crt_init(&cert) < 0)
            return -1;
        if ((rc = gnutls_x509_crt_import(cert, &certs[i], GNUTLS_X509_FMT_DER)) < 0) {
            virReportError(VIR_ERR_SYSTEM_ERROR, "cannot decode the peer's certificate: %s",
                           gnutls_strerror(rc));
            gnutls_x509_crt_deinit(cert);
            return -1;
        }
        if (virNetTLSCheckTimes(cert, "[peer]", peerIsServer, i > 0) < 0)
            goto next_fail;
        if (i == 0) {
            if (!(dn = virNetTLSGetDN(cert)))
                goto next_fail;
            VIR_DEBUG("peer DN '%s'", dn);
            virNetTLSSessionSetPeerDN(sess, dn);
            if (ctxt->isServer && ctxt->allowedDNs &&
                virNetTLSCheckDNAllowed(ctxt->allowedDNs, dn) < 0)
                goto next_fail;
            if (!ctxt->isServer && hostname && !gnutls_x509_crt_check_hostname(cert, hostname)) {
                virReportError(VIR_ERR_SYSTEM_ERROR,
                               "the server's certificate (%s) does not match the host name '%s'",
                               dn, hostname);
                goto next_fail;
            }
            if (virNetTLSCheckBasicConstraints(cert, "[peer]", peerIsServer, false) < 0 ||
                virNetTLSCheckKeyUsage(cert, "[peer]", false) < 0 ||
                virNetTLSCheckKeyPurpose(cert, "[peer]", peerIsServer) < 0)
                goto next_fail;
        }
        gnutls_x509_crt_deinit(cert);
        continue;
 next_fail:
        gnutls_x509_crt_deinit(cert);
        return -1;
    }
    return 0;
}


int
virNetTLSContextCheckCertificate(virNetTLSContext *ctxt, virNetTLSSession *sess)
{
    g_autofree char *reason = NULL;

    if (virNetTLSValidatePeer(ctxt, sess) == 0)
        return 0;
    reason = g_strdup(virGetLastErrorMessage());
    if (!ctxt->requireValidCert) {
        VIR_WARN("ignoring a bad %s certificate (certificate verification is disabled): %s",
                 ctxt->isServer ? "client" : "server", reason);
        virResetLastError();
        return 0;
    }
    virReportError(VIR_ERR_AUTH_FAILED, "%s certificate refused: %s",
                   ctxt->isServer ? "client" : "server", reason);
    return -1;
}
