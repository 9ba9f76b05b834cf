/*
 * test-rpc-sasl.c: SASL contexts and sessions (src/rpc/virnetsaslcontext.c)
 * driven through whole client <-> server exchanges in one process.
 *
 * The test builds its own SASL world in a temporary directory: a user
 * database made with saslpasswd2 (users alice and bob) and a libvirt.conf
 * ("mech_list: digest-md5 scram-sha-256 plain", "sasldb_path: DB"; PLAIN
 * only to check the no-plaintext flag) found through
 * SASL_CONF_PATH, set before the SASL library is initialised. Nothing of
 * the host's /etc/sasl2 is used.
 *
 * The exchange follows libvirt's remote driver and daemon: the server lists
 * its mechanisms (AUTH_SASL_INIT), the client starts, the server starts,
 * then client and server step until both are complete (the client steps
 * once more after the server said complete, to check the server's final
 * data: mutual authentication; a client that completed at its start and
 * got no final data, as with PLAIN, stops);
 * the server then checks SSF and the allowed username list. Tokens are
 * copied between the two sides with their NULL-vs-empty distinction, as
 * the protocol's "empty" flag carries it.
 *
 * Skips (77) when saslpasswd2 or the DIGEST-MD5 / SCRAM plugins (Debian:
 * sasl2-bin, libsasl2-modules) are missing.
 *
 * The layer on a socket (virNetSocketSetSASLSession): a socket pair with
 * small kernel buffers, so that encoded packets go out in pieces (the
 * writer sees "would block" and offers the same bytes again) and reads
 * leave decoded bytes in the socket (cached data).
 *
 * LeakSanitizer: cyrus-sasl leaks inside its DIGEST-MD5 plugin; see
 * __lsan_default_suppressions below for what is suppressed and why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include <sys/socket.h>

#include "testutils.h"
#include "virnetsaslcontext.h"
#include "virnetsocket.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* Only leaks whose allocation stack passes through libsasl2 or its plugins
 * (dlopen'ed from .../sasl2/lib*.so) are suppressed; leaks in our code
 * stay fatal. What they are (cyrus-sasl 2.1.28, OpenSSL 3): the DIGEST-MD5
 * plugin fetches its cipher with EVP_CIPHER_fetch when the layer starts
 * and never frees it, a few KiB per DIGEST-MD5 session with a layer.
 * Those allocations end in libcrypto, whose frames have no frame pointers:
 * the default fast unwinder stops there and never sees the plugin frame,
 * so the test asks for the slow, exact unwinder (an ASAN_OPTIONS in the
 * environment still overrides it). Both hooks are read by the sanitizer
 * runtime; without sanitizers they are unused functions. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
    return "leak:libsasl2.so\n"
           "leak:/sasl2/lib\n";
}

const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}

#define ALICE "alice"
#define ALICE_PW "Wonder-land 42"
#define BOB "bob"
#define BOB_PW "can-we-fix-it"

static const char *const allowedUsers[] = { "al?c*", "carol", NULL };

static virNetSASLContext *serverCtxt;
static virNetSASLContext *clientCtxt;
static bool haveDigest;
static bool haveScram;
static bool havePlain;


/* ---- setup ------------------------------------------------------------- */

static char *
findSaslpasswd(void)
{
    char *path = g_find_program_in_path("saslpasswd2");

    if (!path && access("/usr/sbin/saslpasswd2", X_OK) == 0)
        path = g_strdup("/usr/sbin/saslpasswd2");
    return path;
}


static int
addUser(const char *prog, const char *db, const char *user, const char *pw)
{
    g_autofree char *qprog = g_shell_quote(prog);
    g_autofree char *qdb = g_shell_quote(db);
    g_autofree char *quser = g_shell_quote(user);
    g_autofree char *cmd = g_strdup_printf("%s -f %s -a libvirt -c -p %s",
                                           qprog, qdb, quser);
    FILE *fp = popen(cmd, "w");

    if (!fp)
        return -1;
    fputs(pw, fp);
    if (pclose(fp) != 0) {
        fprintf(stderr, "  '%s' failed\n", cmd);
        return -1;
    }
    return 0;
}


/* 0 ready, VIR_TEST_SKIP with a reason printed, -1 broken. */
static int
setup(void)
{
    g_autofree char *prog = findSaslpasswd();
    const char *dir = virTestTempDir();
    g_autofree char *db = g_build_filename(dir, "passwd.db", NULL);
    g_autofree char *conf = g_build_filename(dir, "libvirt.conf", NULL);
    g_autofree char *confText = NULL;
    g_autofree char *mechs = NULL;
    virNetSASLSession *sess;

    if (!prog) {
        printf("skip: saslpasswd2 not found (Debian package sasl2-bin)\n");
        return VIR_TEST_SKIP;
    }
    if (addUser(prog, db, ALICE, ALICE_PW) < 0 ||
        addUser(prog, db, BOB, BOB_PW) < 0)
        return -1;
    confText = g_strdup_printf("mech_list: digest-md5 scram-sha-256 plain\n"
                               "sasldb_path: %s\n", db);
    if (!g_file_set_contents(conf, confText, -1, NULL))
        return -1;
    g_setenv("SASL_CONF_PATH", dir, TRUE);

    if (!(serverCtxt = virNetSASLContextNewServer(allowedUsers, 0)) ||
        !(clientCtxt = virNetSASLContextNewClient())) {
        fprintf(stderr, "  %s\n", virGetLastErrorMessage());
        return -1;
    }

    /* What the plugins installed here offer, with no restriction at all. */
    if (!(sess = virNetSASLSessionNewServer(serverCtxt, VIR_NET_SASL_SERVICE,
                                            NULL, NULL)))
        return -1;
    if (virNetSASLSessionSecProps(sess, 0, VIR_NET_SASL_MAX_SSF, true) == 0)
        mechs = virNetSASLSessionListMechanisms(sess);
    virNetSASLSessionUnref(sess);
    if (!mechs) {
        printf("skip: no SASL mechanism available (%s)\n",
               virGetLastErrorMessage());
        return VIR_TEST_SKIP;
    }
    if (virTestVerbose())
        printf("mechanisms: %s\n", mechs);
    haveDigest = strstr(mechs, "DIGEST-MD5") != NULL;
    haveScram = strstr(mechs, "SCRAM-SHA-256") != NULL;
    havePlain = strstr(mechs, "PLAIN") != NULL;
    if (!haveDigest)
        printf("DIGEST-MD5 plugin missing (libsasl2-modules): its cases skip\n");
    if (!haveScram)
        printf("SCRAM-SHA-256 plugin missing (libsasl2-modules): its cases skip\n");
    if (!haveDigest && !haveScram)
        return VIR_TEST_SKIP;
    return 0;
}


/* ---- the exchange ------------------------------------------------------ */

typedef struct {
    const char *user;
    const char *password;
    bool secure;            /* TLS or UNIX */
    int externalSSF;        /* TLS key bits */
    const char *wantMech;   /* client insists on this one; NULL: any offered */
} testChannel;

typedef struct {
    virNetSASLSession *server;
    virNetSASLSession *client;
    char *mechlist;
    const char *mech;
    const char *identity;
    bool serverFailed;       /* the failure was the server's answer */
    int errCode;
    int errDomain;
    char *errMessage;
    int rounds;
} testResult;


static void
testResultClear(testResult *r)
{
    virNetSASLSessionUnref(r->server);
    virNetSASLSessionUnref(r->client);
    g_free(r->mechlist);
    g_free(r->errMessage);
    memset(r, 0, sizeof(*r));
}


/* A token as it comes out of XDR on the other side: NULL stays NULL,
 * anything else is a fresh copy (possibly of zero bytes). */
static char *
wireCopy(const char *data, size_t len)
{
    char *copy;

    if (!data)
        return NULL;
    copy = g_malloc(len + 1);
    memcpy(copy, data, len);
    copy[len] = '\0';
    return copy;
}


static int
testFail(testResult *r, bool server)
{
    virError *err = virGetLastError();

    r->serverFailed = server;
    r->errCode = err ? err->code : 0;
    r->errDomain = err ? err->domain : 0;
    r->errMessage = g_strdup(err && err->message ? err->message : "");
    if (virTestVerbose())
        printf("  %s failed: %s\n", server ? "server" : "client", r->errMessage);
    return -1;
}


/* Run one exchange. 0 when both sides completed and the server accepted
 * the user; -1 with r->err* set otherwise. */
static int
runExchange(const testChannel *ch, testResult *r)
{
    virNetSASLCredentials creds = { ch->user, ch->password, NULL, NULL };
    unsigned int minSSF = virNetSASLContextGetTCPMinSSF(serverCtxt);
    const char *out = NULL;
    size_t outlen = 0;
    g_autofree char *tok = NULL;
    size_t toklen = 0;
    int srv, cli;

    memset(r, 0, sizeof(*r));
    virResetLastError();

    /* AUTH_SASL_INIT on the server */
    if (!(r->server = virNetSASLSessionNewServer(serverCtxt, VIR_NET_SASL_SERVICE,
                                                 "127.0.0.1;16509",
                                                 "127.0.0.1;40000")) ||
        virNetSASLSessionSetChannel(r->server, ch->secure, ch->externalSSF,
                                    minSSF) < 0 ||
        !(r->mechlist = virNetSASLSessionListMechanisms(r->server)))
        return testFail(r, true);

    /* client side */
    if (!(r->client = virNetSASLSessionNewClient(clientCtxt, VIR_NET_SASL_SERVICE,
                                                 "localhost",
                                                 "127.0.0.1;40000",
                                                 "127.0.0.1;16509",
                                                 virNetSASLCredentialsLookup,
                                                 &creds)) ||
        virNetSASLSessionSetChannel(r->client, ch->secure, ch->externalSSF,
                                    VIR_NET_SASL_TCP_MIN_SSF) < 0)
        return testFail(r, false);
    if ((cli = virNetSASLSessionClientStart(r->client,
                                            ch->wantMech ? ch->wantMech : r->mechlist,
                                            &out, &outlen, &r->mech)) < 0)
        return testFail(r, false);
    tok = wireCopy(out, outlen);
    toklen = outlen;

    /* AUTH_SASL_START */
    srv = virNetSASLSessionServerStart(r->server, r->mech, tok, toklen,
                                       &out, &outlen);
    if (srv < 0)
        return testFail(r, true);
    if (srv == VIR_NET_SASL_COMPLETE &&
        !(r->identity = virNetSASLSessionServerFinish(r->server, serverCtxt,
                                                      ch->secure)))
        return testFail(r, true);

    for (;;) {
        /* A client complete since its start (PLAIN) with nothing sent back
         * is done: cyrus-sasl refuses a step after the mechanism finished. */
        if (srv == VIR_NET_SASL_COMPLETE && cli == VIR_NET_SASL_COMPLETE && !out)
            break;
        g_free(tok);
        tok = wireCopy(out, outlen);
        toklen = outlen;
        r->rounds++;
        if (r->rounds > 10) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "exchange does not end");
            return testFail(r, false);
        }

        if ((cli = virNetSASLSessionClientStep(r->client, tok, toklen,
                                               &out, &outlen)) < 0)
            return testFail(r, false);
        if (srv == VIR_NET_SASL_COMPLETE && cli == VIR_NET_SASL_COMPLETE)
            break;

        g_free(tok);
        tok = wireCopy(out, outlen);
        toklen = outlen;

        /* AUTH_SASL_STEP */
        if ((srv = virNetSASLSessionServerStep(r->server, tok, toklen,
                                               &out, &outlen)) < 0)
            return testFail(r, true);
        if (srv == VIR_NET_SASL_COMPLETE &&
            !(r->identity = virNetSASLSessionServerFinish(r->server, serverCtxt,
                                                          ch->secure)))
            return testFail(r, true);
        if (srv == VIR_NET_SASL_COMPLETE && cli == VIR_NET_SASL_COMPLETE)
            break;
    }

    /* The client's own check (libvirt's remote driver) */
    if (!ch->secure &&
        virNetSASLSessionCheckSSF(r->client, VIR_NET_SASL_TCP_MIN_SSF) < 0)
        return testFail(r, false);
    return 0;
}


#define NEED(flag, name) \
    do { if (!(flag)) { printf("  (%s plugin missing)\n", name); return VIR_TEST_SKIP; } } while (0)

#define ASSERT_AUTH_FAILED(r) \
    do { VIR_TEST_ASSERT_INT((r)->errCode, VIR_ERR_AUTH_FAILED); \
         VIR_TEST_ASSERT_INT((r)->errDomain, VIR_FROM_RPC); \
         VIR_TEST_ASSERT(g_str_has_prefix((r)->errMessage, "authentication failed")); } while (0)


/* ---- cases ------------------------------------------------------------- */

static int
testContext(const void *data G_GNUC_UNUSED)
{
    const char *const none[] = { NULL };
    virNetSASLContext *all, *nobody;

    VIR_TEST_ASSERT_INT(virNetSASLContextGetTCPMinSSF(serverCtxt), 56);
    VIR_TEST_ASSERT_INT(virNetSASLContextCheckIdentity(serverCtxt, "alice"), 1);
    VIR_TEST_ASSERT_INT(virNetSASLContextCheckIdentity(serverCtxt, "alicia"), 1);
    VIR_TEST_ASSERT_INT(virNetSASLContextCheckIdentity(serverCtxt, "carol"), 1);
    VIR_TEST_ASSERT_INT(virNetSASLContextCheckIdentity(serverCtxt, "bob"), 0);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_AUTH_FAILED);
    VIR_TEST_ASSERT_INT(virNetSASLContextCheckIdentity(serverCtxt, "xalice"), 0);

    if (!(all = virNetSASLContextNewServer(NULL, 112)))
        VIR_TEST_FAIL("%s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(virNetSASLContextGetTCPMinSSF(all), 112);
    VIR_TEST_ASSERT_INT(virNetSASLContextCheckIdentity(all, "anyone"), 1);
    virNetSASLContextUnref(all);

    if (!(nobody = virNetSASLContextNewServer(none, 0)))
        VIR_TEST_FAIL("%s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(virNetSASLContextCheckIdentity(nobody, "alice"), 0);
    virNetSASLContextUnref(nobody);

    /* libvirt's floor: below 56 on plain TCP is refused */
    VIR_TEST_ASSERT(virNetSASLContextNewServer(NULL, 40) == NULL);

    /* a session of the wrong side */
    VIR_TEST_ASSERT(virNetSASLSessionNewClient(serverCtxt, NULL, "localhost",
                                               NULL, NULL, NULL, NULL) == NULL);
    VIR_TEST_ASSERT(virNetSASLSessionNewServer(clientCtxt, NULL, NULL, NULL) == NULL);
    return 0;
}


/* DIGEST-MD5 on plain TCP: a layer of SSF >= 56 is negotiated. */
static int
testDigestOK(const void *data G_GNUC_UNUSED)
{
    testChannel ch = { ALICE, ALICE_PW, false, 0, NULL };
    testResult r;
    int ret = -1;

    NEED(haveDigest, "DIGEST-MD5");
    if (runExchange(&ch, &r) < 0) {
        fprintf(stderr, "  exchange failed: %s\n", r.errMessage);
        goto cleanup;
    }
    if (strcmp(r.mech, "DIGEST-MD5") != 0) {
        fprintf(stderr, "  mechanism %s chosen from '%s'\n", r.mech, r.mechlist);
        goto cleanup;
    }
    if (strcmp(r.identity, ALICE) != 0 ||
        strcmp(virNetSASLSessionGetIdentity(r.server), ALICE) != 0) {
        fprintf(stderr, "  identity '%s'\n", r.identity);
        goto cleanup;
    }
    if (virNetSASLSessionGetSSF(r.server) < 56 ||
        virNetSASLSessionGetSSF(r.client) < 56 ||
        virNetSASLSessionGetSSF(r.server) != virNetSASLSessionGetSSF(r.client)) {
        fprintf(stderr, "  SSF server %d client %d\n",
                virNetSASLSessionGetSSF(r.server), virNetSASLSessionGetSSF(r.client));
        goto cleanup;
    }
    if (virNetSASLSessionGetExternalSSF(r.server) != 0) {
        fprintf(stderr, "  unexpected external SSF\n");
        goto cleanup;
    }
    /* SASL_MAXOUTBUF: the peer's 64 KiB less the layer's framing */
    if (virNetSASLSessionGetMaxBufSize(r.client) < VIR_NET_SASL_BUFSIZE / 2 ||
        virNetSASLSessionGetMaxBufSize(r.client) >= VIR_NET_SASL_BUFSIZE ||
        virNetSASLSessionGetMaxBufSize(r.server) < VIR_NET_SASL_BUFSIZE / 2 ||
        virNetSASLSessionGetMaxBufSize(r.server) >= VIR_NET_SASL_BUFSIZE) {
        fprintf(stderr, "  maxbufsize client %zu server %zu\n",
                virNetSASLSessionGetMaxBufSize(r.client),
                virNetSASLSessionGetMaxBufSize(r.server));
        goto cleanup;
    }
    if (virTestVerbose())
        printf("  mechlist %s, SSF %d, maxbuf %zu/%zu, %d rounds\n", r.mechlist,
               virNetSASLSessionGetSSF(r.server),
               virNetSASLSessionGetMaxBufSize(r.client),
               virNetSASLSessionGetMaxBufSize(r.server), r.rounds);
    ret = 0;
 cleanup:
    testResultClear(&r);
    return ret;
}


#define MARKER "virtnet-plaintext-marker/"

/* Encode len bytes on from in chunks of its maximum, decode on to in
 * irregular wire chunks, compare. */
static int
roundTrip(const char *what, virNetSASLSession *from, virNetSASLSession *to,
          const char *plain, size_t len, bool expectLayer)
{
    static const size_t wireChunks[] = { 1, 3, 1000, 4096, 65536, 17, 30000 };
    size_t max = virNetSASLSessionGetMaxBufSize(from);
    g_autoptr(GByteArray) wire = g_byte_array_new();
    g_autoptr(GByteArray) back = g_byte_array_new();
    size_t off, i = 0;
    int ret;

    for (off = 0; off < len;) {
        size_t n = MIN(max, len - off);
        const char *enc;
        size_t enclen;

        if (virNetSASLSessionEncode(from, plain + off, n, &enc, &enclen) < 0)
            VIR_TEST_FAIL("%s: encode at %zu: %s", what, off, virGetLastErrorMessage());
        g_byte_array_append(wire, (const guint8 *)enc, enclen);
        off += n;
    }

    if (expectLayer) {
        if (wire->len <= len)
            VIR_TEST_FAIL("%s: %u wire bytes for %zu plain: no framing", what, wire->len, len);
        if (memmem(wire->data, wire->len, MARKER, strlen(MARKER)))
            VIR_TEST_FAIL("%s: plaintext visible on the wire", what);
    } else {
        if (virTestCompareBytes(what, wire->data, wire->len, plain, len) < 0)
            VIR_TEST_FAIL("%s: without a layer the bytes must pass unchanged", what);
    }

    for (off = 0; off < wire->len; i++) {
        size_t n = MIN(wireChunks[i % G_N_ELEMENTS(wireChunks)], wire->len - off);
        const char *dec;
        size_t declen;

        if (virNetSASLSessionDecode(to, (const char *)wire->data + off, n,
                                    &dec, &declen) < 0)
            VIR_TEST_FAIL("%s: decode at %zu: %s", what, off, virGetLastErrorMessage());
        g_byte_array_append(back, (const guint8 *)dec, declen);
        off += n;
    }
    ret = virTestCompareBytes(what, back->data, back->len, plain, len);
    if (ret == 0 && virTestVerbose())
        printf("  %s: %zu bytes, max %zu per encode, %u on the wire\n",
               what, len, max, wire->len);
    return ret;
}


static char *
makePlain(size_t len)
{
    char *buf = g_malloc(len);
    GRand *rnd = g_rand_new_with_seed(4242);
    size_t i;

    for (i = 0; i < len; i++)
        buf[i] = g_rand_int(rnd) & 0xff;
    /* recognisable text every 4 KiB */
    for (i = 0; i + strlen(MARKER) < len; i += 4096)
        memcpy(buf + i, MARKER, strlen(MARKER));
    g_rand_free(rnd);
    return buf;
}


/* 1 MiB each way through the DIGEST-MD5 layer. */
static int
testDigestLayer(const void *data G_GNUC_UNUSED)
{
    testChannel ch = { ALICE, ALICE_PW, false, 0, NULL };
    size_t len = 1024 * 1024;
    g_autofree char *plain = makePlain(len);
    const char *enc, *dec;
    size_t enclen, declen;
    g_autofree char *bad = NULL;
    testResult r;
    int ret = -1;

    NEED(haveDigest, "DIGEST-MD5");
    if (runExchange(&ch, &r) < 0) {
        fprintf(stderr, "  exchange failed: %s\n", r.errMessage);
        goto cleanup;
    }
    if (roundTrip("client->server", r.client, r.server, plain, len, true) < 0 ||
        roundTrip("server->client", r.server, r.client, plain, len, true) < 0)
        goto cleanup;

    /* more than the negotiated maximum in one Encode is refused */
    if (virNetSASLSessionEncode(r.client, plain,
                                virNetSASLSessionGetMaxBufSize(r.client) + 1,
                                &enc, &enclen) == 0) {
        fprintf(stderr, "  oversized encode accepted\n");
        goto cleanup;
    }

    /* a flipped bit in a packet fails the integrity check */
    if (virNetSASLSessionEncode(r.client, "hello", 5, &enc, &enclen) < 0)
        goto cleanup;
    bad = g_memdup2(enc, enclen);
    bad[enclen / 2] ^= 0x01;
    if (virNetSASLSessionDecode(r.server, bad, enclen, &dec, &declen) == 0 &&
        declen == 5 && memcmp(dec, "hello", 5) == 0) {
        fprintf(stderr, "  tampered packet decoded\n");
        goto cleanup;
    }
    ret = 0;
 cleanup:
    testResultClear(&r);
    return ret;
}


static int
testDigestWrongPassword(const void *data G_GNUC_UNUSED)
{
    testChannel ch = { ALICE, BOB_PW, false, 0, NULL };
    testResult r;
    int ret = -1;

    NEED(haveDigest, "DIGEST-MD5");
    if (runExchange(&ch, &r) == 0) {
        fprintf(stderr, "  wrong password accepted\n");
        goto cleanup;
    }
    if (!r.serverFailed) {
        fprintf(stderr, "  failure came from the client: %s\n", r.errMessage);
        goto cleanup;
    }
    ASSERT_AUTH_FAILED(&r);
    ret = 0;
 cleanup:
    testResultClear(&r);
    return ret;
}


static int
testDigestUnknownUser(const void *data G_GNUC_UNUSED)
{
    testChannel ch = { "mallory", ALICE_PW, false, 0, NULL };
    testResult r;
    int ret = -1;

    NEED(haveDigest, "DIGEST-MD5");
    if (runExchange(&ch, &r) == 0) {
        fprintf(stderr, "  unknown user accepted\n");
        goto cleanup;
    }
    VIR_TEST_ASSERT(r.serverFailed);
    ASSERT_AUTH_FAILED(&r);
    ret = 0;
 cleanup:
    testResultClear(&r);
    return ret;
}


/* bob's password is right, but bob is not on the allowed list. */
static int
testDigestNotAllowed(const void *data G_GNUC_UNUSED)
{
    testChannel ch = { BOB, BOB_PW, false, 0, NULL };
    testResult r;
    int ret = -1;

    NEED(haveDigest, "DIGEST-MD5");
    if (runExchange(&ch, &r) == 0) {
        fprintf(stderr, "  user outside the allowed list accepted\n");
        goto cleanup;
    }
    if (!r.serverFailed || !strstr(r.errMessage, "not on the list")) {
        fprintf(stderr, "  wrong failure: %s\n", r.errMessage);
        goto cleanup;
    }
    ASSERT_AUTH_FAILED(&r);
    /* SASL itself authenticated bob: only the list refused him */
    if (!virNetSASLSessionGetIdentity(r.server) ||
        strcmp(virNetSASLSessionGetIdentity(r.server), BOB) != 0) {
        fprintf(stderr, "  identity not bob\n");
        goto cleanup;
    }
    ret = 0;
 cleanup:
    testResultClear(&r);
    return ret;
}


/* UNIX socket: secure, no external SSF, no layer wanted. DIGEST-MD5 then
 * negotiates authentication only (SSF 0) and bytes pass unchanged. */
static int
testDigestUnix(const void *data G_GNUC_UNUSED)
{
    testChannel ch = { ALICE, ALICE_PW, true, 0, "DIGEST-MD5" };
    g_autofree char *plain = makePlain(200000);
    testResult r;
    int ret = -1;

    NEED(haveDigest, "DIGEST-MD5");
    if (runExchange(&ch, &r) < 0) {
        fprintf(stderr, "  exchange failed: %s\n", r.errMessage);
        goto cleanup;
    }
    if (virNetSASLSessionGetSSF(r.server) != 0 || virNetSASLSessionGetSSF(r.client) != 0) {
        fprintf(stderr, "  SSF %d on a secure channel\n", virNetSASLSessionGetSSF(r.server));
        goto cleanup;
    }
    if (strcmp(r.identity, ALICE) != 0)
        goto cleanup;
    if (roundTrip("unix client->server", r.client, r.server, plain, 200000, false) < 0)
        goto cleanup;
    /* the same session judged as plain TCP: no layer, refused */
    if (virNetSASLSessionServerFinish(r.server, serverCtxt, false) != NULL ||
        virGetLastErrorCode() != VIR_ERR_AUTH_FAILED ||
        !strstr(virGetLastErrorMessage(), "not strong enough")) {
        fprintf(stderr, "  SSF 0 accepted on a channel that is not secure\n");
        goto cleanup;
    }
    ret = 0;
 cleanup:
    testResultClear(&r);
    return ret;
}


/* As over TLS with a 256-bit key: SCRAM-SHA-256 (no layer of its own) is
 * offered and completes; the channel's SSF is the external one. */
static int
testScramExternal(const void *data G_GNUC_UNUSED)
{
    testChannel ch = { ALICE, ALICE_PW, true, 256, "SCRAM-SHA-256" };
    testResult r;
    int ret = -1;

    NEED(haveScram, "SCRAM-SHA-256");
    if (runExchange(&ch, &r) < 0) {
        fprintf(stderr, "  exchange failed: %s\n", r.errMessage);
        goto cleanup;
    }
    if (!strstr(r.mechlist, "SCRAM-SHA-256") || strcmp(r.mech, "SCRAM-SHA-256") != 0) {
        fprintf(stderr, "  mechlist '%s', chose %s\n", r.mechlist, r.mech);
        goto cleanup;
    }
    if (strcmp(r.identity, ALICE) != 0) {
        fprintf(stderr, "  identity %s\n", r.identity);
        goto cleanup;
    }
    if (virNetSASLSessionGetSSF(r.server) != 0 ||
        virNetSASLSessionGetExternalSSF(r.server) != 256 ||
        virNetSASLSessionGetExternalSSF(r.client) != 256) {
        fprintf(stderr, "  layer SSF %d, external %d\n",
                virNetSASLSessionGetSSF(r.server),
                virNetSASLSessionGetExternalSSF(r.server));
        goto cleanup;
    }
    ret = 0;
 cleanup:
    testResultClear(&r);
    return ret;
}


static int
testScramWrongPassword(const void *data G_GNUC_UNUSED)
{
    testChannel ch = { ALICE, "not-it", true, 256, "SCRAM-SHA-256" };
    testResult r;
    int ret = -1;

    NEED(haveScram, "SCRAM-SHA-256");
    if (runExchange(&ch, &r) == 0) {
        fprintf(stderr, "  wrong password accepted\n");
        goto cleanup;
    }
    VIR_TEST_ASSERT(r.serverFailed);
    ASSERT_AUTH_FAILED(&r);
    ret = 0;
 cleanup:
    testResultClear(&r);
    return ret;
}


/* Minimum SSF 56 with an external SSF of 256: cyrus-sasl counts the
 * external SSF, so SCRAM (no layer) meets the minimum and is offered. */
static int
testScramExternalMeetsMin(const void *data G_GNUC_UNUSED)
{
    virNetSASLSession *sess;
    g_autofree char *mechs = NULL;

    NEED(haveScram, "SCRAM-SHA-256");
    if (!(sess = virNetSASLSessionNewServer(serverCtxt, NULL, NULL, NULL)))
        return -1;
    if (virNetSASLSessionExtKeySize(sess, 256) < 0 ||
        virNetSASLSessionSecProps(sess, 56, VIR_NET_SASL_MAX_SSF, false) < 0 ||
        !(mechs = virNetSASLSessionListMechanisms(sess))) {
        virNetSASLSessionUnref(sess);
        return -1;
    }
    virNetSASLSessionUnref(sess);
    if (!strstr(mechs, "SCRAM-SHA-256"))
        VIR_TEST_FAIL("SCRAM-SHA-256 not offered with external SSF: '%s'", mechs);
    return 0;
}


/* Plain TCP (minimum SSF 56, no external SSF): SCRAM has no layer, so it
 * is neither offered nor accepted, on either side. */
static int
testScramRefusedWithoutLayer(const void *data G_GNUC_UNUSED)
{
    virNetSASLCredentials creds = { ALICE, ALICE_PW, NULL, NULL };
    virNetSASLSession *sess;
    const char *out, *mech;
    size_t outlen;
    g_autofree char *mechs = NULL;
    int rc;

    NEED(haveScram, "SCRAM-SHA-256");

    /* the server neither lists it ... */
    if (!(sess = virNetSASLSessionNewServer(serverCtxt, NULL, NULL, NULL)))
        return -1;
    if (virNetSASLSessionSetChannel(sess, false, 0, 56) < 0) {
        virNetSASLSessionUnref(sess);
        return -1;
    }
    mechs = virNetSASLSessionListMechanisms(sess);
    /* ... nor starts it when a client asks anyway */
    rc = virNetSASLSessionServerStart(sess, "SCRAM-SHA-256", NULL, 0, &out, &outlen);
    virNetSASLSessionUnref(sess);
    if (mechs && strstr(mechs, "SCRAM"))
        VIR_TEST_FAIL("SCRAM offered on plain TCP: '%s'", mechs);
    if (rc >= 0)
        VIR_TEST_FAIL("server started SCRAM-SHA-256 without a layer");
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_AUTH_FAILED);

    /* and a client with the same policy refuses to start it */
    if (!(sess = virNetSASLSessionNewClient(clientCtxt, NULL, "localhost",
                                            NULL, NULL,
                                            virNetSASLCredentialsLookup, &creds)))
        return -1;
    rc = -1;
    if (virNetSASLSessionSetChannel(sess, false, 0, 56) == 0)
        rc = virNetSASLSessionClientStart(sess, "SCRAM-SHA-256", &out, &outlen, &mech);
    virNetSASLSessionUnref(sess);
    if (rc >= 0)
        VIR_TEST_FAIL("client started SCRAM-SHA-256 without a layer");
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_AUTH_FAILED);
    return 0;
}


/* Without allowAnonymous, SASL_SEC_NOPLAINTEXT keeps PLAIN out even when
 * no SSF is asked for; on a secure channel (libvirt: TLS or UNIX) it is
 * allowed and works. */
static int
testPlaintextFlag(const void *data G_GNUC_UNUSED)
{
    testChannel ch = { ALICE, ALICE_PW, true, 256, "PLAIN" };
    virNetSASLSession *sess;
    g_autofree char *mechs = NULL;
    testResult r;
    int rc;

    NEED(havePlain, "PLAIN");
    if (!(sess = virNetSASLSessionNewServer(serverCtxt, NULL, NULL, NULL)))
        return -1;
    if (virNetSASLSessionSecProps(sess, 0, VIR_NET_SASL_MAX_SSF, false) < 0 ||
        !(mechs = virNetSASLSessionListMechanisms(sess))) {
        virNetSASLSessionUnref(sess);
        return -1;
    }
    virNetSASLSessionUnref(sess);
    if (strstr(mechs, "PLAIN"))
        VIR_TEST_FAIL("PLAIN offered despite SASL_SEC_NOPLAINTEXT: '%s'", mechs);

    rc = runExchange(&ch, &r);
    if (rc < 0)
        fprintf(stderr, "  PLAIN over TLS failed: %s\n", r.errMessage);
    else if (strcmp(r.identity, ALICE) != 0)
        rc = -1;
    testResultClear(&r);
    return rc;
}


/* A mechanism the server does not offer (CRAM-MD5's plugin is installed
 * but not in mech_list). */
static int
testUnknownMechanism(const void *data G_GNUC_UNUSED)
{
    virNetSASLSession *sess;
    const char *out;
    size_t outlen;
    int rc;

    if (!(sess = virNetSASLSessionNewServer(serverCtxt, NULL, "/run/x.sock", "")))
        return -1;
    if (virNetSASLSessionSetChannel(sess, true, 0, 0) < 0) {
        virNetSASLSessionUnref(sess);
        return -1;
    }
    rc = virNetSASLSessionServerStart(sess, "CRAM-MD5", NULL, 0, &out, &outlen);
    virNetSASLSessionUnref(sess);
    if (rc >= 0)
        VIR_TEST_FAIL("CRAM-MD5 started although not in mech_list");
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_AUTH_FAILED);
    return 0;
}


/* ---- the layer on a socket ------------------------------------------- */

static void
testSmallBuffers(virNetSocket *sock)
{
    int size = 4096;

    setsockopt(virNetSocketGetFD(sock), SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    setsockopt(virNetSocketGetFD(sock), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}


/* 1 MiB from one socket to the other through the installed sessions,
 * written as many small iovecs and as big pieces, read in odd sizes. */
static int
testSocketLayer(const void *data G_GNUC_UNUSED)
{
    testChannel ch = { ALICE, ALICE_PW, false, 0, NULL };
    size_t len = 1024 * 1024;
    g_autofree char *plain = makePlain(len);
    g_autoptr(GByteArray) back = g_byte_array_new();
    virNetSocket *a = NULL, *b = NULL;
    size_t written = 0, wouldBlock = 0, cachedSeen = 0, maxWrite = 0;
    size_t max, rounds = 0;
    char buf[777];
    testResult r;
    int ret = -1;

    NEED(haveDigest, "DIGEST-MD5");
    if (runExchange(&ch, &r) < 0) {
        fprintf(stderr, "  exchange failed: %s\n", r.errMessage);
        goto cleanup;
    }
    max = virNetSASLSessionGetMaxBufSize(r.client);
    if (virNetSocketNewPair(&a, &b) < 0)
        goto cleanup;
    testSmallBuffers(a);
    testSmallBuffers(b);
    if (!virNetSocketHasPassFD(a))
        goto cleanup;
    virNetSocketSetSASLSession(a, r.client);
    virNetSocketSetSASLSession(b, r.server);
    if (!virNetSocketHasSASLLayer(a) || !virNetSocketHasSASLLayer(b)) {
        fprintf(stderr, "  no layer with SSF %d\n", virNetSASLSessionGetSSF(r.client));
        goto cleanup;
    }
    if (virNetSocketHasPassFD(a)) {
        fprintf(stderr, "  fd passing still on under a layer\n");
        goto cleanup;
    }

    while (back->len < len) {
        ssize_t n;

        if (++rounds > 1000000) {
            fprintf(stderr, "  no progress: %zu written, %u read\n", written, back->len);
            goto cleanup;
        }
        if (written < len) {
            /* first half: 64-byte iovecs (gathered into packets);
             * second half: one big buffer (cut into packets) */
            struct iovec iov[16];
            int niov = 0;

            if (written < len / 2) {
                for (size_t off = written; off < len / 2 && niov < 16; off += 64) {
                    iov[niov].iov_base = plain + off;
                    iov[niov].iov_len = MIN(64, len / 2 - off);
                    niov++;
                }
            } else {
                iov[0].iov_base = plain + written;
                iov[0].iov_len = len - written;
                niov = 1;
            }
            if ((n = virNetSocketWritev(a, iov, niov)) < 0) {
                fprintf(stderr, "  write: %s\n", virGetLastErrorMessage());
                goto cleanup;
            }
            if (n == 0)
                wouldBlock++;
            written += n;
            maxWrite = MAX(maxWrite, (size_t)n);
        }
        do {
            bool eof;

            if ((n = virNetSocketRead(b, buf, sizeof(buf), &eof)) < 0) {
                fprintf(stderr, "  read: %s\n", virGetLastErrorMessage());
                goto cleanup;
            }
            g_byte_array_append(back, (const guint8 *)buf, n);
            if (virNetSocketHasCachedData(b))
                cachedSeen++;
        } while (n > 0 && virNetSocketHasCachedData(b));
    }
    if (virTestCompareBytes("through the sockets", back->data, back->len, plain, len) < 0)
        goto cleanup;
    if (virTestVerbose())
        printf("  %zu would-block writes, %zu reads with cached data, largest write %zu "
               "(max %zu)\n", wouldBlock, cachedSeen, maxWrite, max);
    VIR_TEST_ASSERT(wouldBlock > 0);        /* a packet went out in pieces */
    VIR_TEST_ASSERT(cachedSeen > 0);        /* decoded bytes waited in the socket */
    VIR_TEST_ASSERT(maxWrite <= max);       /* one packet per write at most */
    VIR_TEST_ASSERT(maxWrite > 64);         /* small iovecs were gathered */
    VIR_TEST_ASSERT(!virNetSocketHasCachedData(b));
    ret = 0;
 cleanup:
    virNetSocketFree(a);
    virNetSocketFree(b);
    testResultClear(&r);
    return ret;
}


/* What the peer's fd sees: packets, no plaintext. Without a layer (UNIX:
 * SSF 0), the plain bytes, and fd passing stays on. */
static int
testSocketWire(const void *data G_GNUC_UNUSED)
{
    testChannel tcp = { ALICE, ALICE_PW, false, 0, NULL };
    testChannel unix_ = { ALICE, ALICE_PW, true, 0, NULL };
    g_autofree char *plain = makePlain(100000);
    char wire[300000];
    size_t got;
    virNetSocket *a = NULL, *b = NULL;
    testResult r = { 0 }, u = { 0 };
    int ret = -1;

    NEED(haveDigest, "DIGEST-MD5");
    if (runExchange(&tcp, &r) < 0 || runExchange(&unix_, &u) < 0)
        goto cleanup;
    for (int pass = 0; pass < 2; pass++) {
        size_t off = 0;
        ssize_t n;

        if (virNetSocketNewPair(&a, &b) < 0)
            goto cleanup;
        virNetSocketSetSASLSession(a, pass == 0 ? r.client : u.client);
        got = 0;
        while (off < 100000) {
            if ((n = virNetSocketWrite(a, plain + off, 100000 - off)) < 0)
                goto cleanup;
            off += n;
            /* the raw bytes, as they arrive (the fd is non-blocking) */
            while ((n = read(virNetSocketGetFD(b), wire + got, sizeof(wire) - got)) > 0)
                got += n;
        }
        virNetSocketClose(a);
        while ((n = read(virNetSocketGetFD(b), wire + got, sizeof(wire) - got)) > 0)
            got += n;
        if (pass == 0) {
            VIR_TEST_ASSERT(virNetSocketHasSASLLayer(a));
            VIR_TEST_ASSERT(got > 100000);
            VIR_TEST_ASSERT(!memmem(wire, got, MARKER, strlen(MARKER)));
        } else {
            VIR_TEST_ASSERT(!virNetSocketHasSASLLayer(a));
            VIR_TEST_ASSERT(virNetSocketHasPassFD(a));
            if (virTestCompareBytes("no layer", wire, got, plain, 100000) < 0)
                goto cleanup;
        }
        virNetSocketFree(a);
        virNetSocketFree(b);
        a = b = NULL;
    }
    ret = 0;
 cleanup:
    virNetSocketFree(a);
    virNetSocketFree(b);
    testResultClear(&r);
    testResultClear(&u);
    return ret;
}


int
main(void)
{
    int rc = setup();

    if (rc == VIR_TEST_SKIP)
        return VIR_TEST_SKIP;
    if (rc < 0) {
        fprintf(stderr, "setup failed\n");
        return 1;
    }

    virTestRun("context: allowed list and SSF floor", testContext, NULL);
    virTestRun("DIGEST-MD5 on TCP: complete, SSF >= 56, username", testDigestOK, NULL);
    virTestRun("DIGEST-MD5 layer: 1 MiB each way, limits, integrity", testDigestLayer, NULL);
    virTestRun("DIGEST-MD5 wrong password: AUTH_FAILED", testDigestWrongPassword, NULL);
    virTestRun("DIGEST-MD5 unknown user: AUTH_FAILED", testDigestUnknownUser, NULL);
    virTestRun("DIGEST-MD5 user not on allowed list: AUTH_FAILED", testDigestNotAllowed, NULL);
    virTestRun("DIGEST-MD5 on UNIX: no layer, bytes unchanged", testDigestUnix, NULL);
    virTestRun("SCRAM-SHA-256 with external SSF (TLS): complete", testScramExternal, NULL);
    virTestRun("SCRAM-SHA-256 wrong password: AUTH_FAILED", testScramWrongPassword, NULL);
    virTestRun("SCRAM-SHA-256 offered at min SSF 56 with external SSF",
               testScramExternalMeetsMin, NULL);
    virTestRun("SCRAM-SHA-256 refused at min SSF 56 without external SSF",
               testScramRefusedWithoutLayer, NULL);
    virTestRun("no-plaintext flag: PLAIN only on a secure channel", testPlaintextFlag, NULL);
    virTestRun("mechanism outside mech_list refused", testUnknownMechanism, NULL);
    virTestRun("socket layer: 1 MiB, partial packets, cached data", testSocketLayer, NULL);
    virTestRun("socket layer: the wire, and SSF 0 passes bytes", testSocketWire, NULL);

    virNetSASLContextUnref(serverCtxt);
    virNetSASLContextUnref(clientCtxt);
    return virTestResult();
}
