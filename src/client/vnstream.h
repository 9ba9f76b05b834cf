/*
 * vnstream.h: streams in virtnet's client API (libvirt's virStream with
 * "vn" for "vir"): the data of a console, a screenshot, a volume's upload
 * or download, carried on the connection between calls. Included by
 * vnclient.h; docs/streams.md describes the protocol, docs/client.md the
 * API.
 *
 * Make a stream with vnStreamNew, hand it to the call that opens it
 * (vnDomainOpenConsole, vnDomainScreenshot, ...), move the data, then end
 * it with vnStreamFinish (after the end of data, or to close a console)
 * or vnStreamAbort, and vnStreamFree it. A stream serves one call.
 *
 * Flags and event bits are libvirt's (virpublic.h): VIR_STREAM_NONBLOCK,
 * VIR_STREAM_RECV_STOP_AT_HOLE, VIR_STREAM_EVENT_*.
 *
 * Blocking (flags 0): Send returns once its data is written to the
 * connection, Recv waits for data. With VIR_STREAM_NONBLOCK they return -2
 * instead of waiting, and the event callback (run on the connection's
 * event thread, level-triggered) says when to try again. Send and Recv
 * move at most one message (256 KiB) per call; the *All helpers loop.
 *
 * Holes (sparse transfers, when the opening call's flags ask for them):
 * Recv reads a hole as zeroes unless VIR_STREAM_RECV_STOP_AT_HOLE is given:
 * then it returns -3 at the hole and RecvHole says how long it is;
 * SendHole sends one.
 *
 * Errors: -1 and the thread's last error; an error the server sent ends
 * the stream, and every later call reports it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "virpublic.h"

typedef struct _vnConnect vnConnect;
typedef struct _vnDomain vnDomain;
typedef struct _vnStream vnStream;

vnStream *vnStreamNew(vnConnect *conn, unsigned int flags);
vnStream *vnStreamRef(vnStream *st);
/* Drops a reference; the last one aborts a stream still open (without
 * waiting) and frees it. 0 or -1. */
int vnStreamFree(vnStream *st);

/* Bytes sent (> 0), -2 would block, -1 error. */
int vnStreamSend(vnStream *st, const char *data, size_t nbytes);
/* Bytes received (> 0), 0 at the end of data, -2 would block, -1 error. */
int vnStreamRecv(vnStream *st, char *data, size_t nbytes);
/* ... and -3 at a hole with VIR_STREAM_RECV_STOP_AT_HOLE. */
int vnStreamRecvFlags(vnStream *st, char *data, size_t nbytes, unsigned int flags);
int vnStreamSendHole(vnStream *st, long long length, unsigned int flags);
int vnStreamRecvHole(vnStream *st, long long *length, unsigned int flags);
/* The closing handshake: 0 once the server confirmed. */
int vnStreamFinish(vnStream *st);
int vnStreamAbort(vnStream *st);

typedef void (*vnStreamEventCallback)(vnStream *st, int events, void *opaque);
typedef void (*vnStreamFreeCallback)(void *opaque);
int vnStreamEventAddCallback(vnStream *st, int events, vnStreamEventCallback cb, void *opaque,
                             vnStreamFreeCallback ff);
int vnStreamEventUpdateCallback(vnStream *st, int events);
int vnStreamEventRemoveCallback(vnStream *st);

/* Whole transfers (blocking streams). A source returns bytes put in data
 * (0 at its end, -1 to fail); a sink consumes all it gets (-1 to fail);
 * holes: the source's hole function says whether the position is in
 * data and how long that data or hole lasts, its skip function moves past
 * a hole; the sink's hole function makes one. The stream is finished at
 * the end; on a failure the caller aborts it. */
typedef int (*vnStreamSourceFunc)(vnStream *st, char *data, size_t nbytes, void *opaque);
typedef int (*vnStreamSinkFunc)(vnStream *st, const char *data, size_t nbytes, void *opaque);
typedef int (*vnStreamSourceHoleFunc)(vnStream *st, int *inData, long long *length,
                                      void *opaque);
typedef int (*vnStreamSourceSkipFunc)(vnStream *st, long long length, void *opaque);
typedef int (*vnStreamSinkHoleFunc)(vnStream *st, long long length, void *opaque);
int vnStreamSendAll(vnStream *st, vnStreamSourceFunc handler, void *opaque);
int vnStreamRecvAll(vnStream *st, vnStreamSinkFunc handler, void *opaque);
int vnStreamSparseSendAll(vnStream *st, vnStreamSourceFunc handler,
                          vnStreamSourceHoleFunc holeHandler, vnStreamSourceSkipFunc skipHandler,
                          void *opaque);
int vnStreamSparseRecvAll(vnStream *st, vnStreamSinkFunc handler,
                          vnStreamSinkHoleFunc holeHandler, void *opaque);

/* ---- calls that open a stream ---- */

/* The console (dev_name NULL: the first) of a running domain, both ways.
 * One client at a time: without VIR_DOMAIN_CONSOLE_FORCE a console in use
 * is refused; with it the other client's stream ends with an error. */
int vnDomainOpenConsole(vnDomain *dom, const char *dev_name, vnStream *st, unsigned int flags);
/* A screenshot of screen: the image comes on st; returns its MIME type
 * (free() it). */
char *vnDomainScreenshot(vnDomain *dom, vnStream *st, unsigned int screen, unsigned int flags);
/* A volume's data from offset, length bytes (0: to the end on download, no
 * limit on upload), written in place on upload; with
 * VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM / ..._DOWNLOAD_... holes travel as
 * holes (vnStreamSparseSendAll / SparseRecvAll). */
typedef struct _vnStorageVol vnStorageVol;
int vnStorageVolUpload(vnStorageVol *vol, vnStream *st, unsigned long long offset,
                       unsigned long long length, unsigned int flags);
int vnStorageVolDownload(vnStorageVol *vol, vnStream *st, unsigned long long offset,
                         unsigned long long length, unsigned int flags);
