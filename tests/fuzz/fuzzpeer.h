/*
 * fuzzpeer.h: one fuzz input as a client's byte stream against a real
 * server (the dispatch mode of tests/fuzz/fuzz-program.c; fuzzpeer.c
 * describes the stream, the peer and the properties checked).
 *
 * The harness gives the server (a new one per input, on the loop given)
 * and a fixup for the well-framed messages of the stream. Everything is
 * created and torn down inside fuzzPeerRun; a violated property aborts
 * with the peer's state.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virnetserver.h"

/* A new server on loop with the harness's program(s); NULL on error. */
typedef virNetServer *(*fuzzPeerNewServerFunc)(const virNetServerConfig *cfg,
                                               virEventLoop *loop, void *opaque);

/* Adjust one well-framed message in place (m[0..len), its arguments at
 * m + argsOff) before it is sent. Returns false when the call may make the
 * server close the connection or leave later calls unanswered (the
 * one-reply-per-call check is then off for this input). NULL: none. */
typedef bool (*fuzzPeerFixupFunc)(unsigned char *m, size_t len, size_t argsOff);

/* Once per process: reads FUZZ_DEADLINE_MS and FUZZ_VERBOSE. */
void fuzzPeerInit(void);

/* inOrder: inputs of even size that keep the one-reply-per-call property
 * send each call after the replies to those before it (fuzzpeer.c). */
void fuzzPeerRun(const uint8_t *data, size_t size, fuzzPeerNewServerFunc newServer,
                 void *opaque, fuzzPeerFixupFunc fixup, bool inOrder);

/* Big-endian words of a message. */
unsigned int fuzzPeerGetU32(const unsigned char *p);
void fuzzPeerPutU32(unsigned char *p, unsigned int v);
