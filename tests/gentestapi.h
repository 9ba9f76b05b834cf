/*
 * gentestapi.h: the server API of protocol/gentest_protocol.x, a fake
 * driver implemented by tests/test-gen-shapes.c. Each function is what the
 * generated handler of its procedure calls; the names and parameters follow
 * the rules docs/protocols.md describes.
 */
#pragma once

#include "virtypedparams.h"

typedef struct _gtConn gtConn;

typedef struct _gtObjRef gtObjRef;
struct _gtObjRef {
    char *name;
    unsigned char uuid[16];
    int id;
};
void gtObjRefFree(gtObjRef *ref);
void gtObjRefListFree(gtObjRef **list);

typedef struct {
    char model[8];
    unsigned long long memory;
    int cpus;
    unsigned char state;
    char label[17];
    int kind;               /* a char on the wire */
} gtObjInfo;

/* records the caller allocates; it frees what */
typedef struct {
    char *what;
    int code;
    unsigned long long when;
} gtEventRec;

typedef struct {
    gtObjRef *obj;
    virTypedParameter *params;
    int nparams;
    unsigned char *mask;
    int masklen;
} gtRecord;
void gtRecordListFree(gtRecord **list);

gtObjRef *virObjLookupByName(gtConn *conn, const char *name);
gtObjRef *virObjLookupByUUID(gtConn *conn, const unsigned char *uuid);
int virObjGetValue(gtConn *conn, const gtObjRef *obj, int i, unsigned int u, long long h,
                   unsigned long long uh, unsigned int flags);
int virObjGetCounts(gtConn *conn, const gtObjRef *obj, unsigned long long *big, long long *neg,
                    int *small, unsigned char *tiny, unsigned short *half);
char *virObjDescribe(gtConn *conn, const gtObjRef *obj, const char *prefix);
int virObjGetLabel(gtConn *conn, const gtObjRef *obj, char **label);
int virObjGetInfo(gtConn *conn, const gtObjRef *obj, gtObjInfo *info);
int virListIds(gtConn *conn, int *ids, int maxids);
int virListNames(gtConn *conn, char **names, int maxnames);
int virListEvents(gtConn *conn, gtEventRec *events, int maxevents, unsigned int flags);
int virListAllObjs(gtConn *conn, gtObjRef ***objs, unsigned int flags);
int virObjSetParams(gtConn *conn, const gtObjRef *obj, virTypedParameter *params, int nparams,
                    unsigned int flags);
int virObjGetParams(gtConn *conn, const gtObjRef *obj, virTypedParameter *params, int *nparams,
                    unsigned int flags);
int virObjGetStats(gtConn *conn, const gtObjRef *obj, virTypedParameter **stats, int *nstats,
                   unsigned int flags);
int virObjSendBytes(gtConn *conn, const gtObjRef *obj, const unsigned char *data, int ndata,
                    unsigned int *sum);
int virSetNumbers(gtConn *conn, const int *numbers, int nnumbers);
int virSetNames(gtConn *conn, const char **names, int nnames);
int virCountObjs(gtConn *conn, const gtObjRef *filter);
int virGetAllStats(gtConn *conn, gtRecord ***records, unsigned int flags);
int virListGetStats(gtConn *conn, const gtObjRef *objs, int nobjs, gtRecord ***records,
                    unsigned int flags);

/* The one event: an object changed (what), maybe with a detail. */
#define GT_OBJ_EVENT_ID_CHANGED 0
typedef void (*virObjEventChangedCallback)(gtConn *conn, const gtObjRef *obj, int what,
                                           const char *detail, void *opaque);

/* Streams: what the generated handler opens (gentestStreamOpen) and the
 * API fills in; test-gen-shapes.c carries it over a virNetServerStream. */
typedef struct _gtStream gtStream;
#define GT_DUMP_SPARSE 1
char *virObjDump(gtConn *conn, const gtObjRef *obj, gtStream *st, unsigned long long length,
                 unsigned int flags);
int virObjLoad(gtConn *conn, const gtObjRef *obj, gtStream *st, unsigned int flags);
