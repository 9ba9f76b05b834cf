/*
 * virstream.h: the stream a call opened, as a driver sees it.
 *
 * Procedures that move bulk data or a console (virDomainOpenConsole,
 * virDomainScreenshot, virStorageVolUpload and virStorageVolDownload) get
 * a virStream. Before it returns, the driver says where the stream's bytes
 * come from and go to by attaching one backend:
 *   virStreamSetFD     a pipe, pty or socket, used the ways the stream
 *                      flows (a console: both); non-blocking I/O on the
 *                      daemon's event loop;
 *   virStreamSetFile   a range of a regular file: read for a download,
 *                      written in place for an upload, holes kept with
 *                      VIR_STREAM_FILE_SPARSE; on a thread of its own,
 *                      since regular files block;
 *   virStreamSetBytes  bytes in memory, sent, then the end of data.
 * The stream owns the fd from then on. The bytes move once the call's
 * reply is out; a driver never waits for them. A call that fails leaves
 * its stream unused (an attached fd is closed).
 *
 * virStreamSetEndCallback: told once, from any thread, when the stream is
 * over however it ended (finished, aborted by either side, the client
 * gone, the call failed); a driver that allows one stream per device (a
 * console) forgets it there. virStreamAbort ends it from the driver's
 * side: the client receives the error.
 *
 * The implementation (the daemon, over its RPC stream) makes streams with
 * virStreamNew, takes the backend when the stream starts and reports the
 * end with virStreamEnded. Drivers never see RPC objects.
 *
 * Locking: st->lock guards the stream; the end callback and the
 * implementation's functions run without it. Reference counted.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#include "virerror.h"
#include "virevent.h"

typedef struct _virStream virStream;

typedef enum {
    VIR_STREAM_FILE_READ = 0,             /* the file's bytes go to the client */
    VIR_STREAM_FILE_WRITE = (1 << 0),     /* the client's bytes go into the file */
    VIR_STREAM_FILE_SPARSE = (1 << 1),    /* holes travel as holes, and are made */
} virStreamFileFlags;

/* 0, or -1 with an error (a backend is already attached, a bad argument;
 * the fd is closed either way). */
int virStreamSetFD(virStream *st, int fd);
/* length 0: to the end of the file (read), no limit (write). */
int virStreamSetFile(virStream *st, int fd, unsigned long long offset,
                     unsigned long long length, unsigned int flags);
int virStreamSetBytes(virStream *st, const void *data, size_t len);

typedef void (*virStreamEndFunc)(virStream *st, void *opaque);
void virStreamSetEndCallback(virStream *st, virStreamEndFunc cb, void *opaque,
                             virFreeCallback ff);
/* End the stream now; the client gets (VIR_FROM_STREAMS, code, message).
 * Nothing happens to a stream that is over. */
void virStreamAbort(virStream *st, int code, const char *message);
bool virStreamIsOver(virStream *st);

virStream *virStreamRef(virStream *st);
void virStreamUnref(virStream *st);

/* ---- the implementation's side ---- */

typedef enum {
    VIR_STREAM_BACKEND_NONE = 0,
    VIR_STREAM_BACKEND_FD,
    VIR_STREAM_BACKEND_FILE,
    VIR_STREAM_BACKEND_BYTES,
} virStreamBackendType;

typedef struct {
    virStreamBackendType type;
    int fd;
    unsigned long long offset;
    unsigned long long length;
    unsigned int flags;            /* virStreamFileFlags */
    GBytes *bytes;
} virStreamBackend;

typedef struct {
    /* A sparse file was attached: holes may travel both ways. */
    void (*sparse)(void *data);
    /* virStreamAbort: end the stream with err (any thread). */
    void (*abort)(void *data, const virError *err);
    /* The stream lets go of data (at its end, or when freed). */
    void (*release)(void *data);
} virStreamImpl;

virStream *virStreamNew(const virStreamImpl *impl, void *data);
/* Move the attached backend to *backend (its fd is the caller's now).
 * False when the driver attached none. */
bool virStreamTakeBackend(virStream *st, virStreamBackend *backend);
void virStreamBackendClear(virStreamBackend *backend);
/* The stream is over: the end callback runs (once), the implementation's
 * data is released. */
void virStreamEnded(virStream *st);
