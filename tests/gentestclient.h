/*
 * gentestclient.h: the client API of protocol/gentest_protocol.x, whose
 * bodies the generator writes (protocol/gentest_protocol_clientapi.c), and
 * the hooks they use, written by tests/test-gen-shapes.c.
 */
#pragma once

#include "virnetclient.h"
#include "virnetclientprogram.h"
#include "virnetclientstream.h"
#include "virtypedparams.h"
#include "gentest_protocol.h"
#include "gentestapi.h"

typedef struct _gtClient gtClient;
typedef struct _gtObj gtObj;

/* hooks */
gtClient *gtClientCallConn(gtClient *conn);
gtClient *gtObjCallConn(gtObj *obj);
virNetClientProgram *gtClientCallProgram(gtClient *conn);
virNetClient *gtClientCallClient(gtClient *conn);
void gtObjToWire(gtObj *obj, gentest_obj *wire);
gtObj *gtObjFromWire(gtClient *conn, const gentest_obj *wire);
void gtObjFree(gtObj *obj);
/* a stream of the client: the RPC stream the call opens */
typedef struct _gtClientStream gtClientStream;
virNetClientStream *gtClientStreamCallBegin(gtClientStream *st, gtClient *conn,
                                            unsigned int flow, bool sparse);

typedef struct {
    gtObj *obj;
    virTypedParameter *params;
    int nparams;
    unsigned char *mask;
    int masklen;
} gtClientRecord;
void gtClientRecordListFree(gtClientRecord **list);

gtObj *gtObjLookupByName(gtClient *conn, const char *name);
gtObj *gtObjLookupByUUID(gtClient *conn, const unsigned char *uuid);
int gtObjGetValue(gtObj *obj, int i, unsigned int u, long long h, unsigned long long uh,
                  unsigned int flags);
int gtObjGetCounts(gtObj *obj, unsigned long long *big, long long *neg, int *small,
                   unsigned char *tiny, unsigned short *half);
char *gtObjDescribe(gtObj *obj, const char *prefix);
int gtObjGetLabel(gtObj *obj, char **label);
int gtObjGetInfo(gtObj *obj, gtObjInfo *info);
int gtListIds(gtClient *conn, int *ids, int maxids);
int gtListNames(gtClient *conn, char **names, int maxnames);
int gtListEvents(gtClient *conn, gtEventRec *events, int maxevents, unsigned int flags);
int gtListAllObjs(gtClient *conn, gtObj ***objs, unsigned int flags);
int gtObjSetParams(gtObj *obj, virTypedParameter *params, int nparams, unsigned int flags);
int gtObjGetParams(gtObj *obj, virTypedParameter *params, int *nparams, unsigned int flags);
int gtObjGetStats(gtObj *obj, virTypedParameter **stats, int *nstats, unsigned int flags);
int gtObjSendBytes(gtObj *obj, const unsigned char *data, int ndata, unsigned int *sum);
int gtSetNumbers(gtClient *conn, const int *numbers, int nnumbers);
int gtSetNames(gtClient *conn, const char **names, int nnames);
int gtCountObjs(gtClient *conn, gtObj *filter);
int gtGetAllStats(gtClient *conn, gtClientRecord ***records, unsigned int flags);
int gtListGetStats(gtClient *conn, gtObj **objs, int nobjs, gtClientRecord ***records,
                   unsigned int flags);
char *gtObjDump(gtObj *obj, gtClientStream *st, unsigned long long length, unsigned int flags);
int gtObjLoad(gtObj *obj, gtClientStream *st, unsigned int flags);
