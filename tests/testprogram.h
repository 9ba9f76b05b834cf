/*
 * testprogram.h: an RPC program as the tests that cover every program see
 * it (the fault suite's malformed calls, the fuzz harnesses): its number,
 * version and generated tables, the server's procedures (<prefix>Procs[],
 * protocol/NAME_protocol_server.c) and the client's events
 * (<prefix>ClientEvents[], NAME_protocol_client.c).
 */
#pragma once

#include "virnetserverprogram.h"
#include "virnetclientprogram.h"

typedef struct {
    const char *name;
    unsigned int prog;
    unsigned int vers;
    const virNetServerProgramProc *procs;
    const size_t *nprocs;
    const virNetClientProgramEvent *events;     /* NULL: no events */
    const size_t *nevents;
} virTestProgram;

/* The initializer of a program's virTestProgram: its name, its generated
 * prefix and the .x's upper-case prefix: VIR_TEST_PROGRAM(remote, remote,
 * REMOTE). */
#define VIR_TEST_PROGRAM(NAME, prefix, UPPER) \
    { .name = #NAME, .prog = UPPER##_PROGRAM, .vers = UPPER##_PROTOCOL_VERSION, \
      .procs = prefix##Procs, .nprocs = &prefix##NProcs, \
      .events = prefix##ClientEvents, .nevents = &prefix##ClientNEvents }
/* The same for a program without @event procedures (no event table). */
#define VIR_TEST_PROGRAM_NO_EVENTS(NAME, prefix, UPPER) \
    { .name = #NAME, .prog = UPPER##_PROGRAM, .vers = UPPER##_PROTOCOL_VERSION, \
      .procs = prefix##Procs, .nprocs = &prefix##NProcs }
