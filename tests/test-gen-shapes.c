/*
 * test-gen-shapes: every shape the generator maps, end to end.
 *
 * protocol/gentest_protocol.x has a procedure for each shape, both sides
 * generated: the client calls of tests/gentestclient.h go through a real
 * virNetClient and virNetServer to the generated handlers, which call the
 * fake driver below (tests/gentestapi.h). The fake driver records what it
 * was given and answers known values, so each case checks every value in
 * both directions, and the limits and errors on both sides.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "testutils.h"
#include "gentestclient.h"
#include "gentest_protocol_server.h"
#include "gentest_protocol_client.h"
#include "virnetserver.h"
#include "virnetserverstream.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

/* ---- the fake driver ------------------------------------------------------ */

struct _gtConn {
    gint held;                      /* references the handlers hold now */
    gint calls;                     /* connections handed to handlers */
};

static gtConn fakeConn;

typedef struct {
    const char *name;
    unsigned char uuid[16];
    int id;
    const char *label;              /* NULL: none */
} fakeObj;

static const fakeObj fakeObjs[] = {
    { "alpha", { 0xa1 }, 1, "first" },
    { "beta", { 0xb2 }, 2, NULL },
    { "gamma", { 0xc3 }, -1, "third" },
};

/* What the last call received. */
static struct {
    int i;
    unsigned int u;
    long long h;
    unsigned long long uh;
    unsigned int flags;
    char objName[32];
    virTypedParameter *params;
    int nparams;
    int numbers[16];
    int nnumbers;
    char *names[16];
    int nnames;
    bool listWanted;
    bool longMask;          /* records' masks one byte past the limit */
    int tooMany;                    /* return this many records (past the limit) */
} seen;

static gtObjRef *
fakeRef(const fakeObj *o)
{
    gtObjRef *ref = g_new0(gtObjRef, 1);

    ref->name = g_strdup(o->name);
    memcpy(ref->uuid, o->uuid, 16);
    ref->id = o->id;
    return ref;
}


static const fakeObj *
fakeFind(const gtObjRef *ref)
{
    for (size_t i = 0; i < G_N_ELEMENTS(fakeObjs); i++) {
        if (strcmp(fakeObjs[i].name, ref->name) == 0 &&
            memcmp(fakeObjs[i].uuid, ref->uuid, 16) == 0 && fakeObjs[i].id == ref->id)
            return &fakeObjs[i];
    }
    virReportError(VIR_ERR_NO_DOMAIN, "no object '%s'", ref->name);
    return NULL;
}


void
gtObjRefFree(gtObjRef *ref)
{
    if (!ref)
        return;
    g_free(ref->name);
    g_free(ref);
}


void
gtObjRefListFree(gtObjRef **list)
{
    for (size_t i = 0; list && list[i]; i++)
        gtObjRefFree(list[i]);
    g_free(list);
}


void
gtRecordListFree(gtRecord **list)
{
    for (size_t i = 0; list && list[i]; i++) {
        gtObjRefFree(list[i]->obj);
        virTypedParamsFree(list[i]->params, list[i]->nparams);
        g_free(list[i]->mask);
        g_free(list[i]);
    }
    g_free(list);
}


gtObjRef *
virObjLookupByName(gtConn *conn G_GNUC_UNUSED, const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(fakeObjs); i++) {
        if (strcmp(fakeObjs[i].name, name) == 0)
            return fakeRef(&fakeObjs[i]);
    }
    virReportError(VIR_ERR_NO_DOMAIN, "no object named '%s'", name);
    return NULL;
}


gtObjRef *
virObjLookupByUUID(gtConn *conn G_GNUC_UNUSED, const unsigned char *uuid)
{
    for (size_t i = 0; i < G_N_ELEMENTS(fakeObjs); i++) {
        if (memcmp(fakeObjs[i].uuid, uuid, 16) == 0)
            return fakeRef(&fakeObjs[i]);
    }
    virReportError(VIR_ERR_NO_DOMAIN, "%s", "no object with that UUID");
    return NULL;
}


int
virObjGetValue(gtConn *conn G_GNUC_UNUSED, const gtObjRef *obj, int i, unsigned int u,
               long long h, unsigned long long uh, unsigned int flags)
{
    const fakeObj *o = fakeFind(obj);

    if (!o)
        return -1;
    g_strlcpy(seen.objName, obj->name, sizeof(seen.objName));
    seen.i = i;
    seen.u = u;
    seen.h = h;
    seen.uh = uh;
    seen.flags = flags;
    return 1000 + o->id;
}


int
virObjGetCounts(gtConn *conn G_GNUC_UNUSED, const gtObjRef *obj, unsigned long long *big,
                long long *neg, int *small, unsigned char *tiny, unsigned short *half)
{
    if (!fakeFind(obj))
        return -1;
    *big = (1ULL << 63) + 5;
    *neg = -(1LL << 40);
    *small = -7;
    *tiny = 250;
    *half = 65000;
    return 0;
}


char *
virObjDescribe(gtConn *conn G_GNUC_UNUSED, const gtObjRef *obj, const char *prefix)
{
    if (!fakeFind(obj))
        return NULL;
    return g_strdup_printf("%s%s#%d", prefix ? prefix : "", obj->name, obj->id);
}


int
virObjGetLabel(gtConn *conn G_GNUC_UNUSED, const gtObjRef *obj, char **label)
{
    const fakeObj *o = fakeFind(obj);

    if (!o)
        return -1;
    *label = g_strdup(o->label);
    return 0;
}


int
virObjGetInfo(gtConn *conn G_GNUC_UNUSED, const gtObjRef *obj, gtObjInfo *info)
{
    const fakeObj *o = fakeFind(obj);

    if (!o)
        return -1;
    /* alpha fills the fixed array to its last byte */
    memcpy(info->model, o->id == 1 ? "abcdefgh" : "xyz", o->id == 1 ? 8 : 4);
    info->memory = 1ULL << 35;
    info->cpus = 4 + o->id;
    info->state = 5;
    info->kind = o->id == 1 ? 7 : 100 + o->id;
    g_strlcpy(info->label, o->label ? o->label : "", sizeof(info->label));
    return 0;
}


int
virListIds(gtConn *conn G_GNUC_UNUSED, int *ids, int maxids)
{
    int n = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(fakeObjs) && n < maxids; i++) {
        if (fakeObjs[i].id >= 0)
            ids[n++] = fakeObjs[i].id;
    }
    return n;
}


int
virListNames(gtConn *conn G_GNUC_UNUSED, char **names, int maxnames)
{
    int n = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(fakeObjs) && n < maxnames; i++)
        names[n++] = g_strdup(fakeObjs[i].name);
    return n;
}


/* One record per object: its name, id and a value of all 64 bits; flags
 * 1 fails. */
int
virListEvents(gtConn *conn G_GNUC_UNUSED, gtEventRec *events, int maxevents,
              unsigned int flags)
{
    int n = 0;

    seen.flags = flags;
    if (flags & 1) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "events failed");
        return -1;
    }
    if (!events)
        return G_N_ELEMENTS(fakeObjs);
    for (size_t i = 0; i < G_N_ELEMENTS(fakeObjs) && n < maxevents; i++, n++) {
        events[n].what = g_strdup(fakeObjs[i].name);
        events[n].code = fakeObjs[i].id;
        events[n].when = (1ULL << 63) + i;
    }
    return n;
}


int
virListAllObjs(gtConn *conn G_GNUC_UNUSED, gtObjRef ***objs, unsigned int flags)
{
    seen.listWanted = objs != NULL;
    seen.flags = flags;
    if (objs) {
        *objs = g_new0(gtObjRef *, G_N_ELEMENTS(fakeObjs) + 1);
        for (size_t i = 0; i < G_N_ELEMENTS(fakeObjs); i++)
            (*objs)[i] = fakeRef(&fakeObjs[i]);
    }
    return G_N_ELEMENTS(fakeObjs);
}


/* The parameters every GET answers: one of each type. */
static void
fakeParams(virTypedParameter **params, int *nparams)
{
    int max = 0;

    *params = NULL;
    *nparams = 0;
    virTypedParamsAddInt(params, nparams, &max, "int", -3);
    virTypedParamsAddUInt(params, nparams, &max, "uint", 4000000000U);
    virTypedParamsAddLLong(params, nparams, &max, "llong", -(1LL << 50));
    virTypedParamsAddULLong(params, nparams, &max, "ullong", 1ULL << 60);
    virTypedParamsAddDouble(params, nparams, &max, "double", 2.5);
    virTypedParamsAddString(params, nparams, &max, "string", "text");
}


int
virObjSetParams(gtConn *conn G_GNUC_UNUSED, const gtObjRef *obj, virTypedParameter *params,
                int nparams, unsigned int flags)
{
    if (!fakeFind(obj))
        return -1;
    virTypedParamsFree(seen.params, seen.nparams);
    seen.params = g_new0(virTypedParameter, nparams > 0 ? nparams : 1);
    for (int i = 0; i < nparams; i++) {
        seen.params[i] = params[i];
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            seen.params[i].value.s = g_strdup(params[i].value.s);
    }
    seen.nparams = nparams;
    seen.flags = flags;
    return 0;
}


int
virObjGetParams(gtConn *conn G_GNUC_UNUSED, const gtObjRef *obj, virTypedParameter *params,
                int *nparams, unsigned int flags G_GNUC_UNUSED)
{
    virTypedParameter *all;
    int nall, n;

    if (!fakeFind(obj))
        return -1;
    fakeParams(&all, &nall);
    if (*nparams == 0) {            /* the count, libvirt's convention */
        *nparams = nall;
        virTypedParamsFree(all, nall);
        return 0;
    }
    n = MIN(*nparams, nall);
    memcpy(params, all, n * sizeof(*params));
    for (int i = n; i < nall; i++)
        virTypedParamsClear(all + i, 1);
    g_free(all);
    *nparams = n;
    return 0;
}


int
virObjGetStats(gtConn *conn G_GNUC_UNUSED, const gtObjRef *obj, virTypedParameter **stats,
               int *nstats, unsigned int flags G_GNUC_UNUSED)
{
    if (!fakeFind(obj))
        return -1;
    fakeParams(stats, nstats);
    return 0;
}


int
virObjSendBytes(gtConn *conn G_GNUC_UNUSED, const gtObjRef *obj, const unsigned char *data,
                int ndata, unsigned int *sum)
{
    if (!fakeFind(obj))
        return -1;
    *sum = 0;
    for (int i = 0; i < ndata; i++)
        *sum = *sum * 31 + data[i];
    return 0;
}


int
virSetNumbers(gtConn *conn G_GNUC_UNUSED, const int *numbers, int nnumbers)
{
    seen.nnumbers = nnumbers;
    for (int i = 0; i < nnumbers; i++)
        seen.numbers[i] = numbers[i];
    return 0;
}


int
virSetNames(gtConn *conn G_GNUC_UNUSED, const char **names, int nnames)
{
    for (int i = 0; i < seen.nnames; i++)
        g_free(seen.names[i]);
    for (int i = 0; i < nnames; i++)
        seen.names[i] = g_strdup(names[i]);
    seen.nnames = nnames;
    return 0;
}


int
virCountObjs(gtConn *conn G_GNUC_UNUSED, const gtObjRef *filter)
{
    if (!filter)
        return G_N_ELEMENTS(fakeObjs);
    return fakeFind(filter) ? 1 : -1;
}


static gtRecord *
fakeRecord(const fakeObj *o)
{
    gtRecord *r = g_new0(gtRecord, 1);
    int max = 0;

    r->obj = fakeRef(o);
    virTypedParamsAddInt(&r->params, &r->nparams, &max, "id", o->id);
    virTypedParamsAddString(&r->params, &r->nparams, &max, "name", o->name);
    /* bytes with their length: as many as the id says (at most 4 fit) */
    r->masklen = seen.longMask ? 5 : o->id > 0 ? o->id : 0;
    r->mask = g_new0(unsigned char, r->masklen + 1);
    for (int i = 0; i < r->masklen; i++)
        r->mask[i] = (unsigned char)(0xa0 + i);
    return r;
}


int
virGetAllStats(gtConn *conn G_GNUC_UNUSED, gtRecord ***records, unsigned int flags)
{
    int n = seen.tooMany ? seen.tooMany : (int)G_N_ELEMENTS(fakeObjs);

    seen.flags = flags;
    *records = g_new0(gtRecord *, n + 1);
    for (int i = 0; i < n; i++)
        (*records)[i] = fakeRecord(&fakeObjs[i % G_N_ELEMENTS(fakeObjs)]);
    return n;
}


int
virListGetStats(gtConn *conn G_GNUC_UNUSED, const gtObjRef *objs, int nobjs,
                gtRecord ***records, unsigned int flags)
{
    *records = g_new0(gtRecord *, nobjs + 1);
    seen.flags = flags;
    for (int i = 0; i < nobjs; i++) {
        const fakeObj *o = fakeFind(&objs[i]);

        if (!o) {
            gtRecordListFree(*records);
            *records = NULL;
            return -1;
        }
        (*records)[i] = fakeRecord(o);
    }
    return nobjs;
}

/* ---- streams: the fake driver's data over a virNetServerStream ------------- */

struct _gtStream {
    gint refs;
    virNetServerStream *rst;        /* a reference */
    GMutex lock;
    bool dump;                      /* a read stream (else: write) */
    unsigned long long length;
    unsigned long long pos;         /* bytes sent or taken */
    bool sparse;
    bool eofSent;
    bool over;
};

/* What the streams did. */
static struct {
    GMutex lock;
    gint alive;                     /* gtStreams not freed */
    unsigned long long loaded;      /* a finished load's bytes */
    guint32 loadSum;
    int closed;                     /* streams told CLOSED */
} fakeStreams;

static char
gtPattern(unsigned long long pos)
{
    return (char)((pos * 13) ^ 0x5c);
}


static void
gtStreamUnref(void *opaque)
{
    gtStream *st = opaque;

    if (!st || !g_atomic_int_dec_and_test(&st->refs))
        return;
    virNetServerStreamUnref(st->rst);
    g_mutex_clear(&st->lock);
    g_free(st);
    g_atomic_int_add(&fakeStreams.alive, -1);
}


/* Lock held. */
static void
gtStreamRunLocked(gtStream *st)
{
    virNetServerStreamPacket pkt;

    while (st->dump && !st->over && !st->eofSent && virNetServerStreamCanSend(st->rst)) {
        char buf[65536];
        size_t n;

        if (st->pos >= st->length) {
            virNetServerStreamSendEOF(st->rst);
            st->eofSent = true;
            break;
        }
        if (st->sparse && st->pos < st->length / 2) {
            virNetServerStreamSendHole(st->rst, st->length / 2 - st->pos);
            st->pos = st->length / 2;
            continue;
        }
        n = MIN(sizeof(buf), st->length - st->pos);
        for (size_t i = 0; i < n; i++)
            buf[i] = gtPattern(st->pos + i);
        virNetServerStreamSendData(st->rst, buf, n);
        st->pos += n;
    }
    while (!st->over && virNetServerStreamRecv(st->rst, &pkt) == 1) {
        switch (pkt.type) {
        case VIR_NET_SERVER_STREAM_PACKET_DATA:
            g_mutex_lock(&fakeStreams.lock);
            for (size_t i = 0; i < pkt.len; i++)
                fakeStreams.loadSum = fakeStreams.loadSum * 31 + (guchar)pkt.data[i];
            g_mutex_unlock(&fakeStreams.lock);
            st->pos += pkt.len;
            break;
        case VIR_NET_SERVER_STREAM_PACKET_HOLE:
            st->pos += pkt.hole;
            break;
        case VIR_NET_SERVER_STREAM_PACKET_FINISH:
        case VIR_NET_SERVER_STREAM_PACKET_ABORT:
            if (!st->dump && pkt.type == VIR_NET_SERVER_STREAM_PACKET_FINISH) {
                g_mutex_lock(&fakeStreams.lock);
                fakeStreams.loaded = st->pos;
                g_mutex_unlock(&fakeStreams.lock);
            }
            virNetServerStreamConfirm(st->rst, 0);
            st->over = true;
            break;
        }
        virNetServerStreamPacketClear(&pkt);
    }
}


static void
gtStreamEvent(virNetServerStream *rst G_GNUC_UNUSED, int events, void *opaque)
{
    gtStream *st = opaque;

    g_mutex_lock(&st->lock);
    if (events & VIR_NET_SERVER_STREAM_CLOSED) {
        st->over = true;
        g_mutex_lock(&fakeStreams.lock);
        fakeStreams.closed++;
        g_mutex_unlock(&fakeStreams.lock);
    } else {
        gtStreamRunLocked(st);
    }
    g_mutex_unlock(&st->lock);
}


char *
virObjDump(gtConn *conn G_GNUC_UNUSED, const gtObjRef *obj, gtStream *st,
           unsigned long long length, unsigned int flags)
{
    if (!fakeFind(obj))
        return NULL;
    g_mutex_lock(&st->lock);
    st->dump = true;
    st->length = length;
    st->sparse = flags & GT_DUMP_SPARSE;
    g_mutex_unlock(&st->lock);
    virNetServerStreamSetAllowHoles(st->rst, st->sparse);
    return g_strdup("pattern");
}


int
virObjLoad(gtConn *conn G_GNUC_UNUSED, const gtObjRef *obj, gtStream *st G_GNUC_UNUSED,
           unsigned int flags G_GNUC_UNUSED)
{
    return fakeFind(obj) ? 0 : -1;
}

/* ---- the server's hooks ---------------------------------------------------- */

gtStream *
gentestStreamOpen(virNetServerCall *call, unsigned int flow)
{
    virNetServerStream *rst = virNetServerStreamNew(call, flow);
    gtStream *st;

    if (!rst)
        return NULL;
    st = g_new0(gtStream, 1);
    st->refs = 2;                   /* the handler's and the RPC stream's */
    st->rst = rst;
    g_mutex_init(&st->lock);
    g_atomic_int_inc(&fakeStreams.alive);
    virNetServerStreamSetHandler(rst, gtStreamEvent, st, gtStreamUnref);
    return st;
}


void
gentestStreamRelease(gtStream *st)
{
    gtStreamUnref(st);
}


gtConn *
gentestConnGet(virNetServerCall *call G_GNUC_UNUSED)
{
    g_atomic_int_inc(&fakeConn.held);
    g_atomic_int_inc(&fakeConn.calls);
    return &fakeConn;
}


void
gentestConnRelease(gtConn *conn)
{
    g_atomic_int_dec_and_test(&conn->held);
}


typedef struct {
    virNetServerProgram *prog;
    virNetServerClient *client;
    int callbackID;
} fakeRelayTarget;

int
gentestEventRelayTarget(void *opaque, virNetServerProgram **prog, virNetServerClient **client)
{
    fakeRelayTarget *t = opaque;

    *prog = t->prog;
    *client = t->client;
    return t->callbackID;
}

/* ---- the client's objects and hooks ------------------------------------------ */

struct _gtClient {
    virNetClient *client;
    virNetClientProgram *prog;
};

struct _gtObj {
    gtClient *conn;
    char *name;
    unsigned char uuid[16];
    int id;
};

gtClient *
gtClientCallConn(gtClient *conn)
{
    virResetLastError();
    if (!conn)
        virReportError(VIR_ERR_INVALID_CONN, "%s", __func__);
    return conn;
}


gtClient *
gtObjCallConn(gtObj *obj)
{
    virResetLastError();
    if (!obj) {
        virReportError(VIR_ERR_INVALID_DOMAIN, "%s", __func__);
        return NULL;
    }
    return obj->conn;
}


struct _gtClientStream {
    virNetClientStream *rst;
};

virNetClientStream *
gtClientStreamCallBegin(gtClientStream *st, gtClient *conn G_GNUC_UNUSED, unsigned int flow,
                        bool sparse)
{
    if (!st) {
        virReportError(VIR_ERR_INVALID_STREAM, "%s", __func__);
        return NULL;
    }
    virNetClientStreamUnref(st->rst);
    st->rst = virNetClientStreamNew(flow, sparse);
    return st->rst;
}


virNetClientProgram *gtClientCallProgram(gtClient *conn) { return conn->prog; }
virNetClient *gtClientCallClient(gtClient *conn) { return conn->client; }


void
gtObjToWire(gtObj *obj, gentest_obj *wire)
{
    wire->name = obj->name;
    memcpy(wire->uuid, obj->uuid, 16);
    wire->id = obj->id;
}


gtObj *
gtObjFromWire(gtClient *conn, const gentest_obj *wire)
{
    gtObj *obj = g_new0(gtObj, 1);

    obj->conn = conn;
    obj->name = g_strdup(wire->name);
    memcpy(obj->uuid, wire->uuid, 16);
    obj->id = wire->id;
    return obj;
}


void
gtObjFree(gtObj *obj)
{
    if (!obj)
        return;
    g_free(obj->name);
    g_free(obj);
}


void
gtClientRecordListFree(gtClientRecord **list)
{
    for (size_t i = 0; list && list[i]; i++) {
        gtObjFree(list[i]->obj);
        virTypedParamsFree(list[i]->params, list[i]->nparams);
        g_free(list[i]->mask);
        g_free(list[i]);
    }
    g_free(list);
}

/* ---- the pair under test ------------------------------------------------------ */

static virEventThread *serverThread;
static virNetServer *server;
static virNetServerProgram *serverProg;
static virNetServerClient *mainServerClient;
static char *rwPath;
static char *roPath;

static GMutex eventLock;
static GCond eventCond;
static gentest_obj_event_changed_msg lastEvent;
static int events;

/* The server side of the first connection (the test's main one). */
static int
testClientInit(virNetServer *srv G_GNUC_UNUSED, virNetServerClient *client,
               void *opaque G_GNUC_UNUSED)
{
    if (!mainServerClient)
        mainServerClient = virNetServerClientRef(client);
    return 0;
}


static void
testOnChanged(virNetClientProgram *prog G_GNUC_UNUSED, virNetClient *client G_GNUC_UNUSED,
              gentest_obj_event_changed_msg *msg, void *opaque G_GNUC_UNUSED)
{
    g_mutex_lock(&eventLock);
    xdr_free((xdrproc_t)xdr_gentest_obj_event_changed_msg, (char *)&lastEvent);
    lastEvent.callback_id = msg->callback_id;
    lastEvent.obj.name = g_strdup(msg->obj.name);
    lastEvent.obj.id = msg->obj.id;
    lastEvent.what = msg->what;
    if (msg->detail) {
        lastEvent.detail = g_new0(char *, 1);
        *lastEvent.detail = g_strdup(*msg->detail);
    }
    events++;
    g_cond_broadcast(&eventCond);
    g_mutex_unlock(&eventLock);
}

static const gentestClientEventHandlers testHandlers = { .objEventChanged = testOnChanged };

static gtClient *
testOpen(const char *path)
{
    gtClient *c = g_new0(gtClient, 1);

    if (!(c->client = virNetClientNewUNIX(path))) {
        g_free(c);
        return NULL;
    }
    c->prog = gentestClientProgramNew(&testHandlers, NULL);
    virNetClientAddProgram(c->client, c->prog);
    return c;
}


static void
testClose(gtClient *c)
{
    if (!c)
        return;
    virNetClientClose(c->client);
    virNetClientUnref(c->client);
    virNetClientProgramUnref(c->prog);
    g_free(c);
}


static gtClient *conn;

/* The error of the last call: code, domain and a piece of its message. */
static int
testExpectError(int code, int domain, const char *part)
{
    const virError *err = virGetLastError();

    if (!err)
        VIR_TEST_FAIL("no error, expected code %d", code);
    if (err->code != code || err->domain != domain || !strstr(err->message, part))
        VIR_TEST_FAIL("error code %d domain %d '%s', expected code %d domain %d '%s'",
                      err->code, err->domain, err->message, code, domain, part);
    return 0;
}

#define EXPECT_ERROR(code, domain, part) \
    do { if (testExpectError(code, domain, part) < 0) return -1; } while (0)

/* ---- cases ------------------------------------------------------------------- */

static int
testHandles(const void *data G_GNUC_UNUSED)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)gtObjFree);
    gtObj *alpha, *byUUID;

    VIR_TEST_ASSERT((alpha = gtObjLookupByName(conn, "alpha")));
    g_ptr_array_add(keep, alpha);
    VIR_TEST_ASSERT_STR(alpha->name, "alpha");
    VIR_TEST_ASSERT_INT(alpha->id, 1);
    VIR_TEST_ASSERT_INT(alpha->uuid[0], 0xa1);
    VIR_TEST_ASSERT((byUUID = gtObjLookupByUUID(conn, fakeObjs[2].uuid)));
    g_ptr_array_add(keep, byUUID);
    VIR_TEST_ASSERT_STR(byUUID->name, "gamma");
    VIR_TEST_ASSERT_INT(byUUID->id, -1);
    /* the driver's error comes through as it reported it */
    VIR_TEST_ASSERT(!gtObjLookupByName(conn, "delta"));
    EXPECT_ERROR(VIR_ERR_NO_DOMAIN, VIR_FROM_NONE, "no object named 'delta'");
    /* a mandatory string the caller gives as NULL never leaves the client */
    VIR_TEST_ASSERT(!gtObjLookupByName(conn, NULL));
    EXPECT_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE, "name in gtObjLookupByName must not be NULL");
    VIR_TEST_ASSERT(!gtObjLookupByUUID(conn, NULL));
    EXPECT_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE, "uuid in gtObjLookupByUUID");
    VIR_TEST_ASSERT_INT(gtObjGetValue(NULL, 0, 0, 0, 0, 0), -1);
    EXPECT_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_NONE, "gtObjCallConn");
    return 0;
}


static int
testScalars(const void *data G_GNUC_UNUSED)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)gtObjFree);
    gtObj *beta = gtObjLookupByName(conn, "beta");
    unsigned long long big = 0;
    long long neg = 0;
    int small = 0;
    unsigned char tiny = 0;
    unsigned short half = 0;

    VIR_TEST_ASSERT(beta);
    g_ptr_array_add(keep, beta);
    VIR_TEST_ASSERT_INT(gtObjGetValue(beta, -123456, 4000000000U, -(1LL << 62),
                                      (1ULL << 63) | 1, 0x55), 1002);
    VIR_TEST_ASSERT_STR(seen.objName, "beta");
    VIR_TEST_ASSERT_INT(seen.i, -123456);
    VIR_TEST_ASSERT(seen.u == 4000000000U);
    VIR_TEST_ASSERT(seen.h == -(1LL << 62));
    VIR_TEST_ASSERT(seen.uh == ((1ULL << 63) | 1));
    VIR_TEST_ASSERT_INT(seen.flags, 0x55);
    VIR_TEST_ASSERT_INT(gtObjGetCounts(beta, &big, &neg, &small, &tiny, &half), 0);
    VIR_TEST_ASSERT(big == (1ULL << 63) + 5);
    VIR_TEST_ASSERT(neg == -(1LL << 40));
    VIR_TEST_ASSERT_INT(small, -7);
    VIR_TEST_ASSERT_INT(tiny, 250);
    VIR_TEST_ASSERT_INT(half, 65000);
    VIR_TEST_ASSERT_INT(gtObjGetCounts(beta, &big, &neg, NULL, &tiny, &half), -1);
    EXPECT_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE, "small in gtObjGetCounts must not be NULL");
    return 0;
}


static int
testStrings(const void *data G_GNUC_UNUSED)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)gtObjFree);
    gtObj *alpha = gtObjLookupByName(conn, "alpha");
    gtObj *beta = gtObjLookupByName(conn, "beta");
    g_autofree char *plain = NULL;
    g_autofree char *prefixed = NULL;
    g_autofree char *label = NULL;
    char *none = (char *)"untouched";
    gtObjInfo info;

    VIR_TEST_ASSERT(alpha && beta);
    g_ptr_array_add(keep, alpha);
    g_ptr_array_add(keep, beta);
    VIR_TEST_ASSERT((plain = gtObjDescribe(alpha, NULL)));
    VIR_TEST_ASSERT_STR(plain, "alpha#1");
    VIR_TEST_ASSERT((prefixed = gtObjDescribe(alpha, "obj:")));
    VIR_TEST_ASSERT_STR(prefixed, "obj:alpha#1");
    VIR_TEST_ASSERT_INT(gtObjGetLabel(alpha, &label), 0);
    VIR_TEST_ASSERT_STR(label, "first");
    VIR_TEST_ASSERT_INT(gtObjGetLabel(beta, &none), 0);
    VIR_TEST_ASSERT(none == NULL);
    /* a C struct out: a fixed char array full to its end keeps a NUL */
    VIR_TEST_ASSERT_INT(gtObjGetInfo(alpha, &info), 0);
    VIR_TEST_ASSERT_STR(info.model, "abcdefg");
    VIR_TEST_ASSERT(info.memory == 1ULL << 35);
    VIR_TEST_ASSERT_INT(info.cpus, 5);
    VIR_TEST_ASSERT_INT(info.state, 5);
    VIR_TEST_ASSERT_STR(info.label, "first");
    VIR_TEST_ASSERT_INT(info.kind, 7);       /* an int member through a char field */
    VIR_TEST_ASSERT_INT(gtObjGetInfo(beta, &info), 0);
    VIR_TEST_ASSERT_STR(info.model, "xyz");
    VIR_TEST_ASSERT_STR(info.label, "");
    VIR_TEST_ASSERT_INT(info.kind, 102);
    return 0;
}


static int
testCallerLists(const void *data G_GNUC_UNUSED)
{
    int ids[8] = { 0 };
    char *names[8] = { NULL };

    VIR_TEST_ASSERT_INT(gtListIds(conn, ids, 8), 2);
    VIR_TEST_ASSERT_INT(ids[0], 1);
    VIR_TEST_ASSERT_INT(ids[1], 2);
    VIR_TEST_ASSERT_INT(gtListIds(conn, ids, 1), 1);
    VIR_TEST_ASSERT_INT(gtListIds(conn, NULL, 0), 0);
    VIR_TEST_ASSERT_INT(gtListIds(conn, ids, -1), -1);
    EXPECT_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE, "maxids in gtListIds must be zero or greater");
    VIR_TEST_ASSERT_INT(gtListIds(conn, ids, GENTEST_LIST_MAX + 1), -1);
    EXPECT_ERROR(VIR_ERR_RPC, VIR_FROM_REMOTE, "too many maxids requested: 9 > 8");
    VIR_TEST_ASSERT_INT(gtListIds(conn, NULL, 2), -1);
    EXPECT_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE, "ids in gtListIds must not be NULL");
    VIR_TEST_ASSERT_INT(gtListNames(conn, names, 2), 2);
    VIR_TEST_ASSERT_STR(names[0], "alpha");
    VIR_TEST_ASSERT_STR(names[1], "beta");
    VIR_TEST_ASSERT(names[2] == NULL);
    g_free(names[0]);
    g_free(names[1]);
    return 0;
}


static int
testCallerRecords(const void *data G_GNUC_UNUSED)
{
    gtEventRec recs[8] = { 0 };
    int n;

    VIR_TEST_ASSERT_INT((n = gtListEvents(conn, recs, 8, 4)), 3);
    VIR_TEST_ASSERT_INT(seen.flags, 4);
    for (int i = 0; i < n; i++) {
        VIR_TEST_ASSERT_STR(recs[i].what, fakeObjs[i].name);
        VIR_TEST_ASSERT_INT(recs[i].code, fakeObjs[i].id);
        VIR_TEST_ASSERT(recs[i].when == (1ULL << 63) + i);
        g_clear_pointer(&recs[i].what, g_free);
    }
    VIR_TEST_ASSERT(recs[3].what == NULL);
    VIR_TEST_ASSERT_INT(gtListEvents(conn, recs, 2, 0), 2);
    VIR_TEST_ASSERT(recs[2].what == NULL);
    g_clear_pointer(&recs[0].what, g_free);
    g_clear_pointer(&recs[1].what, g_free);
    /* no array: the count alone */
    VIR_TEST_ASSERT_INT(gtListEvents(conn, NULL, 0, 0), 3);
    /* the driver's failure: its error, nothing filled */
    VIR_TEST_ASSERT_INT(gtListEvents(conn, recs, 8, 1), -1);
    EXPECT_ERROR(VIR_ERR_OPERATION_FAILED, VIR_FROM_NONE, "events failed");
    VIR_TEST_ASSERT(recs[0].what == NULL);
    VIR_TEST_ASSERT_INT(gtListEvents(conn, recs, GENTEST_LIST_MAX + 1, 0), -1);
    EXPECT_ERROR(VIR_ERR_RPC, VIR_FROM_REMOTE, "too many maxevents requested: 9 > 8");
    VIR_TEST_ASSERT_INT(gtListEvents(conn, NULL, 1, 0), -1);
    EXPECT_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE, "events in gtListEvents must not be NULL");
    return 0;
}


static int
testCalleeLists(const void *data G_GNUC_UNUSED)
{
    gtObj **objs = NULL;
    int n;

    VIR_TEST_ASSERT_INT(gtListAllObjs(conn, NULL, 7), 3);
    VIR_TEST_ASSERT(!seen.listWanted);      /* need_results 0: count only */
    VIR_TEST_ASSERT_INT(seen.flags, 7);
    VIR_TEST_ASSERT_INT((n = gtListAllObjs(conn, &objs, 0)), 3);
    VIR_TEST_ASSERT(seen.listWanted);
    VIR_TEST_ASSERT(objs && objs[3] == NULL);
    for (int i = 0; i < n; i++) {
        VIR_TEST_ASSERT_STR(objs[i]->name, fakeObjs[i].name);
        VIR_TEST_ASSERT_INT(objs[i]->id, fakeObjs[i].id);
        VIR_TEST_ASSERT(objs[i]->conn == conn);
        gtObjFree(objs[i]);
    }
    g_free(objs);
    return 0;
}


static int
testTypedParams(const void *data G_GNUC_UNUSED)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)gtObjFree);
    gtObj *alpha = gtObjLookupByName(conn, "alpha");
    virTypedParameter *in = NULL, *stats = NULL;
    virTypedParameter out[8];
    int nin = 0, max = 0, nout, nstats = 0;
    int rc = -1;

    VIR_TEST_ASSERT(alpha);
    g_ptr_array_add(keep, alpha);
    fakeParams(&in, &nin);
    max = nin;
    virTypedParamsAddBoolean(&in, &nin, &max, "bool", true);
    /* in: every type arrives as sent */
    if (gtObjSetParams(alpha, in, nin > GENTEST_PARAMS_MAX ? GENTEST_PARAMS_MAX : nin, 9) < 0)
        goto cleanup;
    if (seen.nparams != GENTEST_PARAMS_MAX || seen.flags != 9 ||
        seen.params[0].value.i != -3 || seen.params[1].value.ui != 4000000000U ||
        seen.params[2].value.l != -(1LL << 50) || seen.params[3].value.ul != 1ULL << 60 ||
        seen.params[4].value.d != 2.5 || strcmp(seen.params[5].value.s, "text") != 0 ||
        strcmp(seen.params[5].field, "string") != 0) {
        fprintf(stderr, "  SetParams arrived wrong (%d params)\n", seen.nparams);
        goto cleanup;
    }
    /* more than the limit: refused by the client */
    if (gtObjSetParams(alpha, in, nin, 0) != -1 ||
        testExpectError(VIR_ERR_RPC, VIR_FROM_RPC, "too many parameters '7' for limit '6'") < 0)
        goto cleanup;
    /* out, caller-allocated: 0 asks the count */
    nout = 0;
    if (gtObjGetParams(alpha, NULL, &nout, 0) < 0 || nout != 6) {
        fprintf(stderr, "  count %d\n", nout);
        goto cleanup;
    }
    /* without STRING_OKAY the string goes (libvirt's rule) */
    nout = 6;
    memset(out, 0, sizeof(out));
    if (gtObjGetParams(alpha, out, &nout, 0) < 0 || nout != 6 ||
        out[0].value.i != -3 || out[4].value.d != 2.5 || out[5].type != 0) {
        fprintf(stderr, "  GetParams without strings: n %d, last type %d\n", nout, out[5].type);
        goto cleanup;
    }
    virTypedParamsClear(out, 6);
    nout = 6;
    memset(out, 0, sizeof(out));
    if (gtObjGetParams(alpha, out, &nout, VIR_TYPED_PARAM_STRING_OKAY) < 0 ||
        out[5].type != VIR_TYPED_PARAM_STRING || strcmp(out[5].value.s, "text") != 0) {
        fprintf(stderr, "  GetParams with strings failed\n");
        goto cleanup;
    }
    virTypedParamsClear(out, 6);
    /* fewer than there are: the first ones */
    nout = 2;
    memset(out, 0, sizeof(out));
    if (gtObjGetParams(alpha, out, &nout, 0) < 0 || nout != 2 ||
        out[1].value.ui != 4000000000U) {
        fprintf(stderr, "  GetParams of 2 gave %d\n", nout);
        goto cleanup;
    }
    /* out, callee-allocated: strings always (libvirt's rule) */
    if (gtObjGetStats(alpha, &stats, &nstats, 0) < 0 || nstats != 6 ||
        stats[3].value.ul != 1ULL << 60 || strcmp(stats[5].value.s, "text") != 0) {
        fprintf(stderr, "  GetStats gave %d\n", nstats);
        goto cleanup;
    }
    rc = 0;
 cleanup:
    virTypedParamsFree(in, nin);
    virTypedParamsFree(stats, nstats);
    return rc;
}


static int
testArraysIn(const void *data G_GNUC_UNUSED)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)gtObjFree);
    gtObj *beta = gtObjLookupByName(conn, "beta");
    unsigned char bytes[GENTEST_BYTES_MAX + 1];
    unsigned int sum = 0, expect = 0;
    int numbers[] = { 5, -6, 7 };
    const char *names[] = { "one", "two" };

    VIR_TEST_ASSERT(beta);
    g_ptr_array_add(keep, beta);
    for (int i = 0; i < GENTEST_BYTES_MAX; i++) {
        bytes[i] = (unsigned char)(i * 7 + 1);
        expect = expect * 31 + bytes[i];
    }
    VIR_TEST_ASSERT_INT(gtObjSendBytes(beta, bytes, GENTEST_BYTES_MAX, &sum), 0);
    VIR_TEST_ASSERT(sum == expect);
    VIR_TEST_ASSERT_INT(gtObjSendBytes(beta, bytes, GENTEST_BYTES_MAX + 1, &sum), -1);
    EXPECT_ERROR(VIR_ERR_RPC, VIR_FROM_REMOTE, "too many ndata requested");
    VIR_TEST_ASSERT_INT(gtSetNumbers(conn, numbers, 3), 0);
    VIR_TEST_ASSERT_INT(seen.nnumbers, 3);
    VIR_TEST_ASSERT_INT(seen.numbers[1], -6);
    VIR_TEST_ASSERT_INT(gtSetNumbers(conn, NULL, 0), 0);
    VIR_TEST_ASSERT_INT(seen.nnumbers, 0);
    VIR_TEST_ASSERT_INT(gtSetNames(conn, names, 2), 0);
    VIR_TEST_ASSERT_INT(seen.nnames, 2);
    VIR_TEST_ASSERT_STR(seen.names[1], "two");
    return 0;
}


static int
testOptionalHandle(const void *data G_GNUC_UNUSED)
{
    gtObj *gamma = gtObjLookupByName(conn, "gamma");
    int rc = 0;

    VIR_TEST_ASSERT(gamma);
    if (gtCountObjs(conn, NULL) != 3 || gtCountObjs(conn, gamma) != 1)
        rc = -1;
    gtObjFree(gamma);
    return rc;
}


static int
testRecords(const void *data G_GNUC_UNUSED)
{
    gtClientRecord **records = NULL;
    gtObj *objs[2] = { NULL, NULL };
    int n, rc = -1;

    if ((n = gtGetAllStats(conn, &records, 0)) != 3)
        goto cleanup;
    for (int i = 0; i < n; i++) {
        const virTypedParameter *name = virTypedParamsGet(records[i]->params,
                                                          records[i]->nparams, "name");

        if (strcmp(records[i]->obj->name, fakeObjs[i].name) != 0 ||
            records[i]->obj->conn != conn || records[i]->nparams != 2 ||
            records[i]->params[0].value.i != fakeObjs[i].id ||
            !name || strcmp(name->value.s, fakeObjs[i].name) != 0) {
            fprintf(stderr, "  record %d wrong\n", i);
            goto cleanup;
        }
        /* bytes and their length member */
        if (records[i]->masklen != (fakeObjs[i].id > 0 ? fakeObjs[i].id : 0) ||
            (records[i]->masklen > 0 &&
             (records[i]->mask[0] != 0xa0 || records[i]->mask[records[i]->masklen - 1] !=
              0xa0 + records[i]->masklen - 1))) {
            fprintf(stderr, "  record %d's mask wrong\n", i);
            goto cleanup;
        }
    }
    g_clear_pointer(&records, gtClientRecordListFree);
    /* a list of handles in, in its order */
    objs[0] = gtObjLookupByName(conn, "gamma");
    objs[1] = gtObjLookupByName(conn, "alpha");
    if (gtListGetStats(conn, objs, 2, &records, 0) != 2 ||
        strcmp(records[0]->obj->name, "gamma") != 0 ||
        strcmp(records[1]->obj->name, "alpha") != 0 || records[1]->nparams != 2) {
        fprintf(stderr, "  ListGetStats wrong\n");
        goto cleanup;
    }
    g_clear_pointer(&records, gtClientRecordListFree);
    /* a record's bytes past their limit: refused by the server */
    seen.longMask = true;
    if (gtGetAllStats(conn, &records, 0) != -1 ||
        testExpectError(VIR_ERR_RPC, VIR_FROM_RPC, "mask too long: 5 > 4") < 0)
        goto cleanup;
    seen.longMask = false;
    /* the server refuses to send more than the protocol's limit */
    seen.tooMany = GENTEST_LIST_MAX + 1;
    if (gtGetAllStats(conn, &records, 0) != -1 ||
        testExpectError(VIR_ERR_RPC, VIR_FROM_RPC,
                        "too many records (9) for one reply, at most 8") < 0)
        goto cleanup;
    rc = 0;
 cleanup:
    seen.tooMany = 0;
    seen.longMask = false;
    gtClientRecordListFree(records);
    gtObjFree(objs[0]);
    gtObjFree(objs[1]);
    return rc;
}


/* A read-only connection is refused what is not @readonly, from the
 * error domain @denied-domains gives the procedure's API. */
static int
testReadonly(const void *data G_GNUC_UNUSED)
{
    gtClient *ro = testOpen(roPath);
    gtObj *alpha;
    int numbers[] = { 1 };
    int rc = -1;

    VIR_TEST_ASSERT(ro);
    if (!(alpha = gtObjLookupByName(ro, "alpha")))
        goto cleanup;
    if (gtObjSetParams(alpha, NULL, 0, 0) != -1 ||
        testExpectError(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                        "read only access prevents virObjSetParams") < 0)
        goto cleanup;
    if (gtSetNumbers(ro, numbers, 1) != -1 ||
        testExpectError(VIR_ERR_OPERATION_DENIED, VIR_FROM_NONE,
                        "read only access prevents virSetNumbers") < 0)
        goto cleanup;
    rc = 0;
 cleanup:
    gtObjFree(alpha);
    testClose(ro);
    return rc;
}


/* The generated relay sends the callback form with every field. */
static int
testEventRelay(const void *data G_GNUC_UNUSED)
{
    virObjEventChangedCallback relay =
        (virObjEventChangedCallback)gentestObjEventRelay(GT_OBJ_EVENT_ID_CHANGED);
    gtObjRef ref = { .name = (char *)"beta", .id = 2 };
    fakeRelayTarget target = { serverProg, mainServerClient, 41 };
    gint64 deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
    int rc = 0;

    VIR_TEST_ASSERT(relay);
    VIR_TEST_ASSERT(gentestObjEventRelay(GT_OBJ_EVENT_ID_CHANGED + 1) == NULL);
    target.callbackID = -1;             /* not registered yet: nothing sent */
    relay(&fakeConn, &ref, 3, "late", &target);
    target.callbackID = 41;
    relay(&fakeConn, &ref, 7, "resized", &target);
    relay(&fakeConn, &ref, 8, NULL, &target);
    g_mutex_lock(&eventLock);
    while (events < 2 && g_cond_wait_until(&eventCond, &eventLock, deadline))
        ;
    if (events != 2 || lastEvent.callback_id != 41 || lastEvent.what != 8 ||
        strcmp(lastEvent.obj.name, "beta") != 0 || lastEvent.obj.id != 2 ||
        lastEvent.detail != NULL) {
        fprintf(stderr, "  %d events, last what %d\n", events, lastEvent.what);
        rc = -1;
    }
    g_mutex_unlock(&eventLock);
    return rc;
}


/* A procedure that opens a stream: the handler opens it, the API fills it,
 * the client call binds the application's; then data both ways. */
static int
testStreams(const void *data G_GNUC_UNUSED)
{
    gtObj *alpha = gtObjLookupByName(conn, "alpha");
    gtObj bogus = { .conn = conn, .name = (char *)"nothing", .id = 7 };
    gtClientStream st = { 0 }, st2 = { 0 }, st3 = { 0 };
    g_autofree char *kind = NULL;
    g_autofree char *buf = g_malloc(300000);
    unsigned long long got = 0;
    long long hole = 0;
    guint32 sum = 0;
    int n;

    if (!alpha)
        VIR_TEST_FAIL("lookup: %s", virGetLastErrorMessage());
    /* a sparse read: a hole, then the data */
    if (!(kind = gtObjDump(alpha, &st, 1000000, GT_DUMP_SPARSE)))
        VIR_TEST_FAIL("dump: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_STR(kind, "pattern");
    VIR_TEST_ASSERT_INT(virNetClientStreamRecv(st.rst, buf, 100, false, true), -3);
    VIR_TEST_ASSERT_INT(virNetClientStreamRecvHole(st.rst, &hole), 0);
    VIR_TEST_ASSERT_INT(hole, 500000);
    got = hole;
    while ((n = virNetClientStreamRecv(st.rst, buf, 300000, false, true)) > 0) {
        for (int i = 0; i < n; i++) {
            if (buf[i] != gtPattern(got + i))
                VIR_TEST_FAIL("byte %llu differs", got + i);
        }
        got += n;
    }
    VIR_TEST_ASSERT_INT(n, 0);
    VIR_TEST_ASSERT_INT(got, 1000000);
    VIR_TEST_ASSERT_INT(virNetClientStreamFinish(st.rst), 0);

    /* without the flag the stream is not sparse: all data */
    g_clear_pointer(&kind, g_free);
    if (!(kind = gtObjDump(alpha, &st2, 300000, 0)))
        VIR_TEST_FAIL("dump: %s", virGetLastErrorMessage());
    got = 0;
    while ((n = virNetClientStreamRecv(st2.rst, buf + got, 300000 - got, false, true)) > 0)
        got += n;
    VIR_TEST_ASSERT_INT(n, 0);
    VIR_TEST_ASSERT_INT(got, 300000);
    VIR_TEST_ASSERT(buf[0] == gtPattern(0) && buf[299999] == gtPattern(299999));
    VIR_TEST_ASSERT_INT(virNetClientStreamFinish(st2.rst), 0);

    /* a write stream */
    if (gtObjLoad(alpha, &st3, 0) < 0)
        VIR_TEST_FAIL("load: %s", virGetLastErrorMessage());
    for (int i = 0; i < 300000; i++) {
        buf[i] = (char)(i * 7);
        sum = sum * 31 + (guchar)buf[i];
    }
    g_mutex_lock(&fakeStreams.lock);
    fakeStreams.loadSum = 0;
    g_mutex_unlock(&fakeStreams.lock);
    for (got = 0; got < 300000;) {
        if ((n = virNetClientStreamSend(st3.rst, buf + got, 300000 - got, false)) <= 0)
            VIR_TEST_FAIL("send: %s", virGetLastErrorMessage());
        got += n;
    }
    VIR_TEST_ASSERT_INT(virNetClientStreamFinish(st3.rst), 0);
    g_mutex_lock(&fakeStreams.lock);
    got = fakeStreams.loaded;
    n = fakeStreams.loadSum == sum;
    g_mutex_unlock(&fakeStreams.lock);
    VIR_TEST_ASSERT_INT(got, 300000);
    VIR_TEST_ASSERT(n);

    /* the API fails: no stream stays behind, the application's may serve
     * another call */
    virNetClientStreamUnref(st.rst);
    st.rst = NULL;
    VIR_TEST_ASSERT(gtObjDump(&bogus, &st, 10, 0) == NULL);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_NO_DOMAIN);
    VIR_TEST_ASSERT(!virNetClientStreamIsBound(st.rst));
    VIR_TEST_ASSERT(gtObjDump(alpha, NULL, 10, 0) == NULL);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_INVALID_STREAM);

    virNetClientStreamUnref(st.rst);
    virNetClientStreamUnref(st2.rst);
    virNetClientStreamUnref(st3.rst);
    gtObjFree(alpha);
    for (int i = 0; i < 100 && g_atomic_int_get(&fakeStreams.alive) > 0; i++)
        g_usleep(10000);
    VIR_TEST_ASSERT_INT(g_atomic_int_get(&fakeStreams.alive), 0);
    g_mutex_lock(&fakeStreams.lock);
    n = fakeStreams.closed;
    g_mutex_unlock(&fakeStreams.lock);
    VIR_TEST_ASSERT_INT(n, 1);      /* the failed call's stream was cancelled */
    return 0;
}


static int
testConnBalance(const void *data G_GNUC_UNUSED)
{
    /* every handler released the connection it got */
    VIR_TEST_ASSERT(g_atomic_int_get(&fakeConn.calls) > 20);
    VIR_TEST_ASSERT_INT(g_atomic_int_get(&fakeConn.held), 0);
    return 0;
}


int
main(void)
{
    virNetServerConfig cfg;
    virNetServerService *svc;
    virEventThread *clientThread = virEventThreadNew("test-gen-client");
    int ret;

    virNetServerConfigDefaults(&cfg);
    rwPath = g_build_filename(virTestTempDir(), "rw", NULL);
    roPath = g_build_filename(virTestTempDir(), "ro", NULL);
    serverThread = virEventThreadNew("test-gen-server");
    server = virNetServerNew("gentest", &cfg, virEventThreadGetLoop(serverThread));
    serverProg = gentestServerProgramNew();
    if (!server || virNetServerAddProgram(server, serverProg) < 0)
        return 1;
    virNetServerSetClientInitHook(server, testClientInit, NULL);
    if (!(svc = virNetServerServiceNewUNIX(rwPath, 0700, (gid_t)-1,
                                           VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 16)) ||
        virNetServerAddService(server, svc) < 0 ||
        !(svc = virNetServerServiceNewUNIX(roPath, 0700, (gid_t)-1,
                                           VIR_NET_SERVER_SERVICE_AUTH_NONE, true, 16)) ||
        virNetServerAddService(server, svc) < 0 ||
        virNetServerStart(server) < 0)
        return 1;
    g_mutex_init(&eventLock);
    g_cond_init(&eventCond);
    if (!(conn = testOpen(rwPath)) ||
        virNetClientAttachLoop(conn->client, virEventThreadGetLoop(clientThread)) < 0)
        return 1;

    virTestRun("handles in and out, NULL arguments, driver errors", testHandles, NULL);
    virTestRun("scalars in, out and as the return value", testScalars, NULL);
    virTestRun("strings, optional strings, a C struct out", testStrings, NULL);
    virTestRun("lists the caller allocates, with their limits", testCallerLists, NULL);
    virTestRun("records the caller allocates", testCallerRecords, NULL);
    virTestRun("a list the callee allocates, and its count alone", testCalleeLists, NULL);
    virTestRun("typed parameters in, out and callee-allocated", testTypedParams, NULL);
    virTestRun("variable arrays in: bytes, ints, strings", testArraysIn, NULL);
    virTestRun("an optional handle in", testOptionalHandle, NULL);
    virTestRun("records with handles and typed parameters", testRecords, NULL);
    virTestRun("read-only refusals from the table's error domain", testReadonly, NULL);
    virTestRun("a generated event relay", testEventRelay, NULL);
    virTestRun("procedures that open a stream, both ways", testStreams, NULL);
    virTestRun("every handler releases its connection", testConnBalance, NULL);

    ret = virTestResult();
    testClose(conn);
    virEventThreadFree(clientThread);
    virNetServerShutdown(server, 2000);
    virNetServerClientUnref(mainServerClient);
    virNetServerUnref(server);
    virNetServerProgramUnref(serverProg);
    virEventThreadFree(serverThread);
    virTypedParamsFree(seen.params, seen.nparams);
    for (int i = 0; i < seen.nnames; i++)
        g_free(seen.names[i]);
    xdr_free((xdrproc_t)xdr_gentest_obj_event_changed_msg, (char *)&lastEvent);
    g_mutex_clear(&eventLock);
    g_cond_clear(&eventCond);
    g_free(rwPath);
    g_free(roPath);
    return ret;
}
