/*
 * virnetsaslcontext.h: SASL authentication and security layer (cyrus-sasl).
 *
 * A context holds what is shared by every connection of one side: on the
 * server the list of allowed usernames and the minimum SSF on plain TCP.
 * A session is one SASL exchange (and afterwards the security layer) of one
 * connection; the RPC code carries its tokens in the remote program's
 * AUTH_SASL_INIT / START / STEP procedures, then, when the negotiated layer
 * has an SSF > 0, wraps every byte of the connection with
 * virNetSASLSessionEncode / virNetSASLSessionDecode.
 *
 * The SASL application name is "libvirt" (VIR_NET_SASL_SERVICE), so the
 * server reads /etc/sasl2/libvirt.conf, or libvirt.conf in the directories
 * of $SASL_CONF_PATH, exactly as libvirtd does.
 *
 * Errors: VIR_FROM_RPC; a failed or refused exchange reports
 * VIR_ERR_AUTH_FAILED. (The daemon glue replaces every such error with the
 * plain "authentication failed" libvirt sends on the wire.)
 *
 * Threading: a context is immutable after creation and may be shared. A
 * session has its own mutex, so the reader and the writer of a connection
 * may call Decode and Encode from different threads. Both objects are
 * reference counted; a session holds a reference to its context.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct _virNetSASLContext virNetSASLContext;
typedef struct _virNetSASLSession virNetSASLSession;

#define VIR_NET_SASL_SERVICE "libvirt"
/* libvirt's SSF floor for plain TCP (DES-equivalent, "good enough for
 * Kerberos"); libvirtd refuses a configured tcp_min_ssf below it. */
#define VIR_NET_SASL_TCP_MIN_SSF 56
/* Upper bound asked for when a layer is wanted (no real limit). */
#define VIR_NET_SASL_MAX_SSF 100000
/* Largest decoded block we accept from the peer (our secprops maxbufsize;
 * the peer's SASL_MAXOUTBUF is derived from it). */
#define VIR_NET_SASL_BUFSIZE 65536

/* Results of the Start/Step calls (failure is -1 with an error). */
enum {
    VIR_NET_SASL_COMPLETE = 0,
    VIR_NET_SASL_CONTINUE = 1,
};

/* ---- contexts ---- */

/* Server side. allowedUsernames: NULL-terminated glob patterns ("*", "?")
 * a client's SASL username must match one of; NULL allows every user (an
 * empty list allows none). Copied. tcpMinSSF: minimum SSF of the layer on
 * connections that are neither TLS nor UNIX (0 means
 * VIR_NET_SASL_TCP_MIN_SSF; values below 56 are refused). Initialises the
 * SASL server library once per process (sasl_server_init("libvirt")). */
virNetSASLContext *virNetSASLContextNewServer(const char *const *allowedUsernames,
                                              unsigned int tcpMinSSF);
/* Client side (sasl_client_init once per process). */
virNetSASLContext *virNetSASLContextNewClient(void);
virNetSASLContext *virNetSASLContextRef(virNetSASLContext *ctxt);
void virNetSASLContextUnref(virNetSASLContext *ctxt);

unsigned int virNetSASLContextGetTCPMinSSF(virNetSASLContext *ctxt);
/* 1 when identity may connect; 0 (with VIR_ERR_AUTH_FAILED reported) when
 * it is not on the allowed list. */
int virNetSASLContextCheckIdentity(virNetSASLContext *ctxt, const char *identity);

/* ---- credentials (client) ---- */

/* Credential types asked of the client application. The numbers are
 * libvirt's virConnectCredentialType, so a virConnectAuth callback can be
 * plugged in directly. */
enum {
    VIR_NET_SASL_CRED_USERNAME = 1,    /* SASL_CB_USER: authorization id */
    VIR_NET_SASL_CRED_AUTHNAME = 2,    /* SASL_CB_AUTHNAME: who logs in */
    VIR_NET_SASL_CRED_PASSPHRASE = 5,  /* SASL_CB_PASS */
    VIR_NET_SASL_CRED_REALM = 8,       /* SASL_CB_GETREALM */
};

/* Return the credential as a g_malloc'd string (the session frees and, for
 * a passphrase, wipes it), or NULL when it is not available, which makes
 * the mechanism fail (REALM: NULL picks the first realm offered; USERNAME:
 * NULL means "same as AUTHNAME"). prompt is SASL's prompt text. May be
 * called from inside ClientStart/ClientStep only. */
typedef char *(*virNetSASLCredFunc)(int type, const char *prompt, void *opaque);

/* Fixed credentials, served by virNetSASLCredentialsLookup (tests, config
 * files, a password given on a command line). */
typedef struct {
    const char *username;   /* AUTHNAME; also USERNAME when authzid is NULL */
    const char *password;
    const char *authzid;    /* NULL: none */
    const char *realm;      /* NULL: the first realm the server offers */
} virNetSASLCredentials;
char *virNetSASLCredentialsLookup(int type, const char *prompt, void *opaque);

/* ---- sessions ---- */

/* Addresses are "IP;PORT" (virNetSocketLocalAddrString on a TCP socket);
 * NULL, or anything else (a UNIX path, ""), is passed as "127.0.0.1;0" as
 * libvirt does for UNIX sockets. service is normally VIR_NET_SASL_SERVICE. */
virNetSASLSession *virNetSASLSessionNewServer(virNetSASLContext *ctxt,
                                              const char *service,
                                              const char *localAddr,
                                              const char *remoteAddr);
/* hostname: the server's name as the client knows it (goes into
 * DIGEST-MD5's digest-uri "libvirt/hostname"). cred may be NULL (then only
 * mechanisms needing no credentials can work). */
virNetSASLSession *virNetSASLSessionNewClient(virNetSASLContext *ctxt,
                                              const char *service,
                                              const char *hostname,
                                              const char *localAddr,
                                              const char *remoteAddr,
                                              virNetSASLCredFunc cred,
                                              void *credOpaque);
virNetSASLSession *virNetSASLSessionRef(virNetSASLSession *sess);
void virNetSASLSessionUnref(virNetSASLSession *sess);

/* Security properties; call before ListMechanisms / ClientStart.
 * ssf: SSF of the channel below SASL in bits (TLS: cipher key size * 8),
 * sets SASL_SSF_EXTERNAL. */
int virNetSASLSessionExtKeySize(virNetSASLSession *sess, int ssf);
/* SASL_SEC_PROPS: min/max SSF of the layer, maxbufsize
 * VIR_NET_SASL_BUFSIZE, and unless allowAnonymous the flags
 * SASL_SEC_NOANONYMOUS | SASL_SEC_NOPLAINTEXT. cyrus-sasl counts the
 * external SSF towards minSSF. */
int virNetSASLSessionSecProps(virNetSASLSession *sess, int minSSF, int maxSSF,
                              bool allowAnonymous);
/* libvirt's policy in one call, identical on both sides:
 * externalSSF > 0 (TLS) -> ExtKeySize(externalSSF);
 * secure (TLS or UNIX)  -> SecProps(0, 0, true): no layer, any mechanism;
 * otherwise (plain TCP) -> SecProps(minSSF, VIR_NET_SASL_MAX_SSF, false). */
int virNetSASLSessionSetChannel(virNetSASLSession *sess, bool secure,
                                int externalSSF, unsigned int minSSF);

/* Server: the mechanisms the client may choose, comma separated
 * ("DIGEST-MD5,SCRAM-SHA-256"), as AUTH_SASL_INIT returns in mechlist.
 * g_malloc'd. Error when none is usable. */
char *virNetSASLSessionListMechanisms(virNetSASLSession *sess);

/* The exchange. Tokens are binary; NULL and "" (length 0) are different
 * things in SASL and must travel as such (the protocol's "nil"/"empty"
 * flag). Output tokens belong to the session and stay valid until the
 * next call on it. Each returns VIR_NET_SASL_COMPLETE,
 * VIR_NET_SASL_CONTINUE or -1 (VIR_ERR_AUTH_FAILED). */
int virNetSASLSessionServerStart(virNetSASLSession *sess, const char *mech,
                                 const char *clientin, size_t clientinlen,
                                 const char **serverout, size_t *serveroutlen);
int virNetSASLSessionServerStep(virNetSASLSession *sess,
                                const char *clientin, size_t clientinlen,
                                const char **serverout, size_t *serveroutlen);
/* mechlist: the server's list (or the one mechanism the user insists on);
 * *mech is set to the chosen one (static string). */
int virNetSASLSessionClientStart(virNetSASLSession *sess, const char *mechlist,
                                 const char **clientout, size_t *clientoutlen,
                                 const char **mech);
int virNetSASLSessionClientStep(virNetSASLSession *sess,
                                const char *serverin, size_t serverinlen,
                                const char **clientout, size_t *clientoutlen);

/* After completion. */
/* SSF of the SASL layer itself (SASL_SSF): > 0 means every later byte
 * must go through Encode/Decode. -1 on error. */
int virNetSASLSessionGetSSF(virNetSASLSession *sess);
/* The SSF set with ExtKeySize (0 when none). */
int virNetSASLSessionGetExternalSSF(virNetSASLSession *sess);
/* Largest plaintext one Encode call accepts (SASL_MAXOUTBUF as negotiated;
 * VIR_NET_SASL_BUFSIZE before completion). */
size_t virNetSASLSessionGetMaxBufSize(virNetSASLSession *sess);
/* Authenticated username (SASL_USERNAME); owned by the session. NULL with
 * VIR_ERR_AUTH_FAILED when unknown. */
const char *virNetSASLSessionGetIdentity(virNetSASLSession *sess);
/* -1 with VIR_ERR_AUTH_FAILED unless GetSSF() >= minSSF. */
int virNetSASLSessionCheckSSF(virNetSASLSession *sess, unsigned int minSSF);
/* Server, once Start/Step said COMPLETE (libvirt's checks, in order): on
 * a channel that is not secure the layer's SSF must reach the context's
 * tcpMinSSF; the username must exist and be on the allowed list. Returns
 * the username, or NULL with VIR_ERR_AUTH_FAILED. */
const char *virNetSASLSessionServerFinish(virNetSASLSession *sess,
                                          virNetSASLContext *ctxt,
                                          bool secure);

/* The security layer. Encode: inlen must be <= GetMaxBufSize (split larger
 * writes). Decode: at most VIR_NET_SASL_BUFSIZE wire bytes per call (read
 * the socket in chunks of that size); the output holds every packet
 * completed so far and may be empty (outlen 0) when only part of a packet
 * arrived (the rest is kept inside the session). An Encode output stays
 * valid until the next Encode, a Decode output until the next Decode (and,
 * without a layer, may point into in). Without a layer (SSF 0) the bytes
 * pass unchanged, so installing a session with SSF 0 on a socket changes
 * nothing on the wire. */
int virNetSASLSessionEncode(virNetSASLSession *sess, const char *in, size_t inlen,
                            const char **out, size_t *outlen);
int virNetSASLSessionDecode(virNetSASLSession *sess, const char *in, size_t inlen,
                            const char **out, size_t *outlen);
