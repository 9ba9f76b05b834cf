/*
 * fuzzremote.c: the remote program's real handlers for the fuzz harness
 * (fuzzremote.h), on a fresh server per input as virtnetd builds its own.
 *
 * The only driver registered is a copy of the test driver's table
 * (testConnectDriver), confined so that what an input names is never a
 * file of this host nor a helper to run; the fuzz process runs as root in
 * CI, so the LXC, storage and secret drivers (lxc:///system, pools and
 * secrets under /etc and /var) are not registered at all. The copy
 *   - opens the default node for every test: URI: test:///PATH.xml would
 *     read the node file named by the input;
 *   - leaves out the calls that write or read an image at a path the
 *     caller names or run virtnet_iohelper (save, restore, the save
 *     image's XML, core dump, managed save): they answer "not supported",
 *     like any entry a driver lacks;
 *   - caps a volume download at FUZZ_REMOTE_DOWNLOAD_MAX bytes (a volume
 *     may hold 100 GiB of zeros, which the peer would read to the end).
 * The job directory (managed-save images, jobs' records) is a temporary
 * directory of this process, removed at exit.
 *
 * Inputs stay independent because the test driver drops a node's state
 * when the last connection to it closes (testdriver.h): each input's
 * client is the only connection, closed when fuzzPeerRun tears the server
 * down; fuzzRemoteCheck joins the streams' file threads (which let go a
 * little after the client left) and aborts when a state outlived it (by
 * more than FUZZ_REMOTE_RELEASE_MS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzzremote.h"
#include "remote.h"
#include "remotestream.h"
#include "testdriver.h"
#include "virconnect.h"
#include "virjob.h"
#include "virnetmessage.h"
#include "remote_protocol.h"

#define FUZZ_REMOTE_DOWNLOAD_MAX (64 * 1024)
#define FUZZ_REMOTE_RELEASE_MS 2000

static virConnectDriver fuzzTestDriver;
static virObjectDrivers fuzzTestObjects;
static virStorageDriver fuzzTestStorage;
static char *fuzzJobDir;


static virDrvOpenStatus
fuzzRemoteOpen(virConnect *conn, const char *uri, unsigned int flags)
{
    if (uri && g_ascii_strncasecmp(uri, "test:", 5) == 0)
        uri = "test:///default";
    return testConnectDriver.connectOpen(conn, uri, flags);
}


static int
fuzzRemoteVolDownload(virConnect *conn, const virStorageVolRef *vol, virStream *st,
                      unsigned long long offset, unsigned long long length,
                      unsigned int flags)
{
    if (length == 0 || length > FUZZ_REMOTE_DOWNLOAD_MAX)
        length = FUZZ_REMOTE_DOWNLOAD_MAX;
    return testConnectDriver.objectDrivers->storage->storageVolDownload(conn, vol, st, offset,
                                                                       length, flags);
}


static void
fuzzRemoteRemoveJobDir(void)
{
    if (fuzzJobDir && rmdir(fuzzJobDir) < 0)
        fprintf(stderr, "fuzzremote: %s left behind (not empty)\n", fuzzJobDir);
}


static gpointer
fuzzRemoteSetup(gpointer unused G_GNUC_UNUSED)
{
    g_autoptr(GError) err = NULL;

    fuzzTestDriver = testConnectDriver;
    fuzzTestDriver.connectOpen = fuzzRemoteOpen;
    fuzzTestDriver.domainManagedSave = NULL;
    fuzzTestDriver.domainManagedSaveGetXMLDesc = NULL;
    fuzzTestDriver.domainManagedSaveDefineXML = NULL;
    fuzzTestDriver.domainSaveFlags = NULL;
    fuzzTestDriver.domainRestoreFlags = NULL;
    fuzzTestDriver.domainSaveImageGetXMLDesc = NULL;
    fuzzTestDriver.domainSaveImageDefineXML = NULL;
    fuzzTestDriver.domainCoreDumpWithFormat = NULL;
    fuzzTestObjects = *testConnectDriver.objectDrivers;
    fuzzTestStorage = *fuzzTestObjects.storage;
    fuzzTestStorage.storageVolDownload = fuzzRemoteVolDownload;
    fuzzTestObjects.storage = &fuzzTestStorage;
    fuzzTestDriver.objectDrivers = &fuzzTestObjects;

    g_unsetenv("VIRTNET_JOB_STATE_DIR");
    if (!(fuzzJobDir = g_dir_make_tmp("virtnet-fuzz-remote-XXXXXX", &err))) {
        fprintf(stderr, "fuzzremote: %s\n", err->message);
        abort();
    }
    virJobSetStateDir(fuzzJobDir);
    atexit(fuzzRemoteRemoveJobDir);
    if (virConnectRegisterDriver(&fuzzTestDriver) < 0)
        abort();
    return NULL;
}


virNetServer *
fuzzRemoteServer(const virNetServerConfig *cfg, virEventLoop *loop,
                 void *opaque G_GNUC_UNUSED)
{
    static GOnce once = G_ONCE_INIT;
    virNetServer *srv;
    virNetServerProgram *prog;
    int rc;

    g_once(&once, fuzzRemoteSetup, NULL);
    if (!(srv = virNetServerNew("libvirtd", cfg, loop)))
        return NULL;
    prog = remoteServerProgramNew();
    virNetServerSetClientInitHook(srv, remoteClientInitHook, prog);
    rc = virNetServerAddProgram(srv, prog);
    virNetServerProgramUnref(prog);     /* the server holds it */
    if (rc < 0) {
        virNetServerUnref(srv);
        return NULL;
    }
    return srv;
}


void
fuzzRemoteCheck(void)
{
    /* A volume transfer's file thread (virStreamSetFile) holds the
     * connection until it has run out, a little after the client left:
     * join it, so that nothing it frees is still in flight when the
     * fuzzer looks for leaks. */
    remoteStreamJoinThreads();
    /* Every stream ends with its client: one left is an owner that never
     * heard of the end (found here rather than by a later input's leak
     * report, so the artifact is the input that did it). */
    if (remoteStreamCountAlive() != 0) {
        fprintf(stderr, "fuzzremote: %u stream(s) outlived the input's connection\n",
                remoteStreamCountAlive());
        abort();
    }
    for (int ms = 0; ms < FUZZ_REMOTE_RELEASE_MS && testDriverOpenStates() != 0; ms++)
        g_usleep(1000);
    if (testDriverOpenStates() != 0) {
        fprintf(stderr, "fuzzremote: the test driver kept %zu state(s) after the input's "
                "connection closed\n", testDriverOpenStates());
        abort();
    }
}


/* ---- seeds ------------------------------------------------------------- */

/* XDR by hand: the seeds name real objects, so their arguments are
 * written field by field (big-endian words, strings padded to 4). */
static void
seedU32(GByteArray *a, unsigned int v)
{
    guint8 w[4] = { v >> 24, v >> 16, v >> 8, v };

    g_byte_array_append(a, w, 4);
}


static void
seedU64(GByteArray *a, unsigned long long v)
{
    seedU32(a, v >> 32);
    seedU32(a, v & 0xffffffffu);
}


static void
seedStr(GByteArray *a, const char *s)
{
    static const guint8 pad[3] = { 0 };
    size_t n = strlen(s);

    seedU32(a, n);
    g_byte_array_append(a, (const guint8 *)s, n);
    g_byte_array_append(a, pad, (4 - n % 4) % 4);
}


/* A UUID as 16 raw bytes from its usual text form. */
static void
seedUUID(GByteArray *a, const char *text)
{
    guint8 raw[16];
    size_t k = 0;

    for (const char *p = text; *p && k < 16; p++) {
        if (*p == '-')
            continue;
        raw[k++] = (g_ascii_xdigit_value(p[0]) << 4) | g_ascii_xdigit_value(p[1]);
        p++;
    }
    g_byte_array_append(a, raw, 16);
}


/* The default node's objects (testdriver.c's testDefaultNodeXML). */
static void
seedDom(GByteArray *a)
{
    seedStr(a, "test");
    seedUUID(a, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    seedU32(a, 1);
}


static void
seedNet(GByteArray *a)
{
    seedStr(a, "default");
    seedUUID(a, "dd8fe884-6c02-601e-7551-cca97df1c5df");
}


static void
seedPool(GByteArray *a)
{
    seedStr(a, "default-pool");
    seedUUID(a, "dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566");
}


static void
seedVol(GByteArray *a)
{
    seedStr(a, "default-pool");
    seedStr(a, "seed.img");
    seedStr(a, "/default-pool/seed.img");
}


/* Append one message (its arguments in args, emptied) to the stream. */
static void
seedMessage(GByteArray *stream, int proc, int type, unsigned int serial, int status,
            GByteArray *args)
{
    seedU32(stream, 28 + args->len);
    seedU32(stream, REMOTE_PROGRAM);
    seedU32(stream, REMOTE_PROTOCOL_VERSION);
    seedU32(stream, proc);
    seedU32(stream, type);
    seedU32(stream, serial);
    seedU32(stream, status);
    g_byte_array_append(stream, args->data, args->len);
    g_byte_array_set_size(args, 0);
}


typedef struct {
    GByteArray *stream;
    GByteArray *args;
    unsigned int serial;
} seedBuilder;


static void
seedCall(seedBuilder *b, int proc)
{
    seedMessage(b->stream, proc, VIR_NET_CALL, ++b->serial, VIR_NET_OK, b->args);
}


static void
seedOpen(seedBuilder *b)
{
    seedU32(b->args, 1);
    seedStr(b->args, "test:///default");
    seedU32(b->args, 0);
    seedCall(b, REMOTE_PROC_CONNECT_OPEN);
}


/* fuzzpeer.c makes the client read-write only for an input whose size
 * is a multiple of 3 (read-only or unauthenticated otherwise), and sends
 * its calls in lockstep only when the size is even: calls without
 * arguments (28 bytes) pad the stream, to be followed by rest bytes (a
 * multiple of 4), to a multiple of 6. */
static void
seedPadReadWrite(seedBuilder *b, size_t rest)
{
    while ((b->stream->len + rest) % 6 != 0)
        seedCall(b, REMOTE_PROC_CONNECT_GET_HOSTNAME);
}


/* A new stream that starts with CONNECT_OPEN test:///default. */
static void
seedBegin(seedBuilder *b)
{
    b->serial = 0;
    g_byte_array_set_size(b->stream, 0);
    seedOpen(b);
}


static int
seedWrite(seedBuilder *b, const char *dir, const char *name)
{
    g_autofree char *path = g_strdup_printf("%s/real-%s", dir, name);

    seedPadReadWrite(b, 0);
    if (!g_file_set_contents(path, (const char *)b->stream->data, b->stream->len, NULL)) {
        fprintf(stderr, "fuzzremote: cannot write %s\n", path);
        return -1;
    }
    return 0;
}


/* A call whose arguments are the domain "test" and then flags. */
static void
seedDomCall(seedBuilder *b, int proc, bool flags)
{
    seedDom(b->args);
    if (flags)
        seedU32(b->args, 0);
    seedCall(b, proc);
}


void
fuzzRemotePrologue(GByteArray *stream, size_t rest)
{
    seedBuilder b = { stream, g_byte_array_new(), 0x7ffffff0 };

    seedOpen(&b);
    seedPadReadWrite(&b, rest);
    g_byte_array_free(b.args, TRUE);
}


int
fuzzRemoteWriteSeeds(const char *dir)
{
    seedBuilder b = { g_byte_array_new(), g_byte_array_new(), 0 };
    int ret = -1;

    if (g_mkdir_with_parents(dir, 0755) < 0)
        goto cleanup;

    seedBegin(&b);
    if (seedWrite(&b, dir, "open") < 0)
        goto cleanup;

    /* the node and the domain "test": queries, then its life cycle */
    seedBegin(&b);
    seedCall(&b, REMOTE_PROC_NODE_GET_INFO);
    seedCall(&b, REMOTE_PROC_CONNECT_GET_CAPABILITIES);
    seedU32(b.args, 1);
    seedU32(b.args, 0);
    seedCall(&b, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS);
    seedStr(b.args, "test");
    seedCall(&b, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME);
    seedDomCall(&b, REMOTE_PROC_DOMAIN_GET_XML_DESC, true);
    seedDomCall(&b, REMOTE_PROC_DOMAIN_GET_INFO, false);
    seedDomCall(&b, REMOTE_PROC_DOMAIN_GET_STATE, true);
    seedDomCall(&b, REMOTE_PROC_DOMAIN_GET_JOB_STATS, true);
    seedDom(b.args);
    seedU64(b.args, 1048576);
    seedU32(b.args, 0);
    seedCall(&b, REMOTE_PROC_DOMAIN_SET_MEMORY_FLAGS);
    if (seedWrite(&b, dir, "domain-queries") < 0)
        goto cleanup;

    seedBegin(&b);
    seedU32(b.args, 0);     /* VIR_DOMAIN_EVENT_ID_LIFECYCLE, any domain */
    seedU32(b.args, 0);
    seedCall(&b, REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY);
    seedDomCall(&b, REMOTE_PROC_DOMAIN_SUSPEND, false);
    seedDomCall(&b, REMOTE_PROC_DOMAIN_RESUME, false);
    seedDomCall(&b, REMOTE_PROC_DOMAIN_SHUTDOWN, false);
    seedDomCall(&b, REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS, true);
    seedDomCall(&b, REMOTE_PROC_DOMAIN_DESTROY, false);
    seedDomCall(&b, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, true);
    if (seedWrite(&b, dir, "domain-lifecycle") < 0)
        goto cleanup;

    /* a domain of its own, a snapshot, a screenshot (a stream) */
    seedBegin(&b);
    seedStr(b.args, "<domain type='test'><name>seed</name><memory>65536</memory>"
                    "<vcpu>1</vcpu><os><type>hvm</type></os></domain>");
    seedU32(b.args, 0);
    seedCall(&b, REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS);
    seedDom(b.args);
    seedStr(b.args, "<domainsnapshot><name>s1</name></domainsnapshot>");
    seedU32(b.args, 0);
    seedCall(&b, REMOTE_PROC_DOMAIN_SNAPSHOT_CREATE_XML);
    seedDom(b.args);
    seedU32(b.args, 0);
    seedU32(b.args, 0);
    seedCall(&b, REMOTE_PROC_DOMAIN_SCREENSHOT);
    if (seedWrite(&b, dir, "domain-define") < 0)
        goto cleanup;

    /* the network "default" */
    seedBegin(&b);
    seedStr(b.args, "default");
    seedCall(&b, REMOTE_PROC_NETWORK_LOOKUP_BY_NAME);
    seedNet(b.args);
    seedU32(b.args, 0);
    seedCall(&b, REMOTE_PROC_NETWORK_GET_XML_DESC);
    seedNet(b.args);
    seedCall(&b, REMOTE_PROC_NETWORK_DESTROY);
    seedNet(b.args);
    seedCall(&b, REMOTE_PROC_NETWORK_CREATE);
    if (seedWrite(&b, dir, "network") < 0)
        goto cleanup;

    /* the pool "default-pool": a volume made, uploaded to, downloaded */
    seedBegin(&b);
    seedStr(b.args, "default-pool");
    seedCall(&b, REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_NAME);
    seedPool(b.args);
    seedU32(b.args, 0);
    seedCall(&b, REMOTE_PROC_STORAGE_POOL_GET_XML_DESC);
    seedPool(b.args);
    seedStr(b.args, "<volume><name>seed.img</name><capacity>4096</capacity></volume>");
    seedU32(b.args, 0);
    seedCall(&b, REMOTE_PROC_STORAGE_VOL_CREATE_XML);
    seedPool(b.args);
    seedU32(b.args, 1);
    seedU32(b.args, 0);
    seedCall(&b, REMOTE_PROC_STORAGE_POOL_LIST_ALL_VOLUMES);
    seedVol(b.args);
    seedCall(&b, REMOTE_PROC_STORAGE_VOL_GET_INFO);
    seedVol(b.args);
    seedU64(b.args, 0);
    seedU64(b.args, 8);
    seedU32(b.args, 0);
    seedCall(&b, REMOTE_PROC_STORAGE_VOL_UPLOAD);
    /* the upload's data, then its end */
    g_byte_array_append(b.args, (const guint8 *)"seeddata", 8);
    seedMessage(b.stream, REMOTE_PROC_STORAGE_VOL_UPLOAD, VIR_NET_STREAM, b.serial,
                VIR_NET_CONTINUE, b.args);
    seedMessage(b.stream, REMOTE_PROC_STORAGE_VOL_UPLOAD, VIR_NET_STREAM, b.serial,
                VIR_NET_OK, b.args);
    seedVol(b.args);
    seedU64(b.args, 0);
    seedU64(b.args, 0);
    seedU32(b.args, 0);
    seedCall(&b, REMOTE_PROC_STORAGE_VOL_DOWNLOAD);
    if (seedWrite(&b, dir, "storage") < 0)
        goto cleanup;

    /* a call the confined driver refuses, then the connection closed */
    seedBegin(&b);
    seedDomCall(&b, REMOTE_PROC_DOMAIN_MANAGED_SAVE, true);
    seedCall(&b, REMOTE_PROC_CONNECT_CLOSE);
    seedCall(&b, REMOTE_PROC_NODE_GET_INFO);
    if (seedWrite(&b, dir, "close") < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    g_byte_array_free(b.stream, TRUE);
    g_byte_array_free(b.args, TRUE);
    return ret;
}
