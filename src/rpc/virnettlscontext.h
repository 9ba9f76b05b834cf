/*
 * virnettlscontext.h: x509 credentials for TLS (gnutls) and the checks on
 * a peer's certificate.
 *
 * A context holds what every session of one side shares: our certificate
 * and key, the trusted CA certificates, the CRL, the cipher priority, the
 * list of client DNs the server allows, and whether a peer with a bad
 * certificate is refused (the default) or only logged. A context never
 * changes after creation, so sessions of many threads share it; it is
 * reference counted, and each session holds a reference, so replacing a
 * server's context (SIGHUP) leaves the sessions already running on the
 * old one untouched.
 *
 * Files and defaults are libvirt's (see docs/tls.md):
 *   server  /etc/pki/libvirt/servercert.pem, /etc/pki/libvirt/private/serverkey.pem,
 *           /etc/pki/CA/cacert.pem, CRL optional (skipped when missing)
 *   client  pkipath=DIR: DIR/cacert.pem, DIR/cacrl.pem (optional),
 *           DIR/clientcert.pem, DIR/clientkey.pem; otherwise
 *           ~/.pki/libvirt/... for a non-root user, file by file falling
 *           back to /etc/pki/CA/cacert.pem, /etc/pki/CA/cacrl.pem,
 *           /etc/pki/libvirt/clientcert.pem, /etc/pki/libvirt/private/clientkey.pem
 *
 * Peer checks (virNetTLSContextCheckCertificate): gnutls' chain
 * verification against the CA list and CRL (trusted, not revoked, dates),
 * then on the peer's own certificate: validity dates, a DN on the allowed
 * list (server side; fnmatch patterns on the DN as gnutls prints it, e.g.
 * "C=GB,O=Acme,CN=client1"), the host name or IP address the client
 * connected to (client side), not a CA, key usage and purpose fit for its
 * role. Our own files get the same sanity checks at load time unless
 * disabled (tls_no_sanity_certificate / no_sanity).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/gnutls.h>

typedef struct _virNetTLSContext virNetTLSContext;
typedef struct _virNetTLSSession virNetTLSSession;

#define VIR_NET_TLS_DEFAULT_PRIORITY "NORMAL"

/* Server context. cacert, cert and key must exist; cacrl may be NULL or
 * name a missing file (then no CRL is used). allowedDNs NULL: any DN
 * (of a trusted certificate). priority NULL: "NORMAL".
 * requireValidCert false (tls_no_verify_certificate) logs a bad client
 * certificate instead of refusing the client. */
virNetTLSContext *virNetTLSContextNewServer(const char *cacert, const char *cacrl,
                                            const char *cert, const char *key,
                                            const char *const *allowedDNs,
                                            const char *priority,
                                            bool sanityCheckCert,
                                            bool requireValidCert);

/* A new context read again from the files ctxt was made from, with its
 * settings (certificates renewed on disk, a new CRL); NULL with an error
 * when they no longer load. ctxt is unchanged. */
virNetTLSContext *virNetTLSContextReload(virNetTLSContext *ctxt);

/* Client context. cert and key may both be missing (no client
 * certificate is sent then); cacert must exist. */
virNetTLSContext *virNetTLSContextNewClient(const char *cacert, const char *cacrl,
                                            const char *cert, const char *key,
                                            const char *priority,
                                            bool sanityCheckCert,
                                            bool requireValidCert);

/* Find a client's files the way libvirt's clients do (pkipath URI
 * parameter, else the user's ~/.pki/libvirt when tryUserPkiPath, else
 * the system paths). Returns 0 with four allocated paths. */
int virNetTLSContextLocateClientFiles(const char *pkipath, bool tryUserPkiPath,
                                      char **cacert, char **cacrl,
                                      char **cert, char **key);
virNetTLSContext *virNetTLSContextNewClientPath(const char *pkipath,
                                                bool tryUserPkiPath,
                                                const char *priority,
                                                bool sanityCheckCert,
                                                bool requireValidCert);

virNetTLSContext *virNetTLSContextRef(virNetTLSContext *ctxt);
void virNetTLSContextUnref(virNetTLSContext *ctxt);
bool virNetTLSContextIsServer(virNetTLSContext *ctxt);

/* Give a fresh gnutls session this context's credentials and priority
 * (and, on a server, ask the client for its certificate). */
int virNetTLSContextSetupSession(virNetTLSContext *ctxt, gnutls_session_t session);

/* After a completed handshake: check the peer's certificate. 0 when it
 * passes, or when it fails on a context that does not require a valid
 * one (logged); -1 with an error (VIR_ERR_AUTH_FAILED) when refused. The
 * peer's DN is remembered in the session. */
int virNetTLSContextCheckCertificate(virNetTLSContext *ctxt, virNetTLSSession *sess);
