/*
 * testdriverpriv.h: the test driver's state, shared by its source files
 * (testdriver.c: connections, the node and the domain lifecycle; each
 * further group of the API may live in a file of its own).
 *
 * Locking (see testdriver.h): state->lock, a virNoIOMutex, guards
 * everything in the state; every entry point takes it for its whole run
 * and never does blocking work under it. A connection's state is
 * conn->privateData.
 */
#pragma once

#include "testdriver.h"
#include "virnoiolock.h"
#include "virdomainobj.h"
#include "virdomainevent.h"

typedef struct {
    virDomainObj obj;           /* first: the list code sees a virDomainObj */
    /* Running with a persistent config to return to (libvirt's newDef):
     * persistent at start, or defined while running; an undefine does not
     * clear it. Its STOPPED event carries ID -1; without it (a domain
     * transient all along) the event carries the last ID, as libvirt. */
    bool hasNewDef;
} testDomain;

typedef struct _testState testState;
struct _testState {
    char *key;                  /* "/default" or the node file's path */
    int refs;                   /* open connections; under testStatesLock */

    virNoIOMutex lock;          /* the driver lock: all below; never across I/O (inline calls) */
    virNodeInfo nodeInfo;
    unsigned int ncells;        /* NUMA cells shown in the capabilities */
    unsigned long long freeMem;
    int nextDomID;
    GPtrArray *domains;         /* testDomain *, in creation order */
    virDomainEventRegistry *events; /* own lock, taken after ->lock */
};

/* The domain a caller's handle designates, or NULL with an error. */
testDomain *testDomainFromRef(testState *state, const virDomainRef *ref);
/* Drop dom from the state (frees it). */
void testDomainRemove(testState *state, testDomain *dom);
/* Raise a lifecycle event for dom (state->lock held). */
void testEmitLifecycle(testState *state, const testDomain *dom, int event, int detail);
/* Start dom with live as its live definition (NULL: a copy of the
 * persistent one), in state_ / reason. */
void testDomainStart(testState *state, testDomain *dom, virDomainDef *live, int state_,
                     int reason);
/* Stop dom, raise STOPPED / detail, drop it when transient. */
void testDomainStopAndNotify(testState *state, testDomain *dom, int reason, int detail);

/* teststream.c: calls that open a stream */
char *testDomainScreenshot(virConnect *conn, const virDomainRef *ref, virStream *st,
                           unsigned int screen, unsigned int flags);
