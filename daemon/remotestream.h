/*
 * remotestream.h: the daemon's streams: the driver's virStream
 * (src/drivers/virstream.h) carried over the RPC stream of the call that
 * opened it (src/rpc/virnetserverstream.h).
 *
 * The generated handler of a procedure annotated `@stream` calls
 * remoteStreamOpen for the virStream it passes to the driver, and
 * remoteStreamRelease when it returns. Once the reply is queued the RPC
 * stream starts and the pump for the backend the driver attached begins:
 *   fd     non-blocking reads and writes on the client's event loop;
 *   file   a thread of its own (regular files block): pread / pwrite at
 *          the range, holes found with SEEK_DATA / SEEK_HOLE and punched
 *          on upload, fdatasync before an upload's finish is confirmed;
 *   bytes  sent from memory.
 * Either side may abort; the connection's end stops the pump; every end
 * reaches the driver's end callback once.
 */
#pragma once

#include "virnetserverprogram.h"
#include "virstream.h"

/* A stream for the call (flow: virNetStreamFlow bits), or NULL with an
 * error. */
virStream *remoteStreamOpen(virNetServerCall *call, unsigned int flow);
void remoteStreamRelease(virStream *st);

/* Wait until every stream's file thread has gone (their streams must be
 * ending: the clients closed). */
void remoteStreamJoinThreads(void);

/* Streams not freed yet (a test's check that none outlived its client). */
unsigned int remoteStreamCountAlive(void);
