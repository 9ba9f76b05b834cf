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
#include "virobjectlist.h"
#include "virobjectdrivers.h"

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

    /* The other objects (testnetwork.c, teststorage.c, testinterface.c,
     * testnodedev.c); all events of every kind go to ->events. */
    virObjectList *networks;
    virObjectList *pools;       /* priv: testPool (teststorage.c) */
    virObjectList *ifaces;
    virObjectList *ifacesBackup;    /* during an interface transaction */
    virObjectList *devices;
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

/* An element of a node file, or (file='F') the root element of the
 * document F (relative to the node file's directory) put in the node
 * document in its place, as libvirt does; NULL with the error. */
xmlNodePtr testNodeFileElement(xmlNodePtr node, const char *path);

/* The state of the other objects: created with the state, filled from a
 * node document (the default one, or a node file at path; NULL for the
 * default), freed with it. Each returns -1 with libvirt's error. */
void testObjectsInit(testState *state);
void testObjectsFree(testState *state);
int testNetworksLoad(testState *state, xmlNodePtr root, const char *path);
int testInterfacesLoad(testState *state, xmlNodePtr root, const char *path);
int testPoolsLoad(testState *state, xmlNodePtr root, const char *path);
int testDevicesLoad(testState *state, xmlNodePtr root, const char *path);

/* A pool's private data (teststorage.c). */
void testPoolFree(void *data);

/* Every kind's event deregistration: the state's one registry. */
int testConnectObjectEventDeregisterAny(virConnect *conn, int callbackID);

/* The driver tables of the other kinds (testObjectDrivers: all of them). */
extern const virObjectDrivers testObjectDrivers;
extern const virNetworkDriver testNetworkDriver;
extern const virStorageDriver testStorageDriver;
extern const virInterfaceDriver testInterfaceDriver;
extern const virNodeDeviceDriver testNodeDeviceDriver;
