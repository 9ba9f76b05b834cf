/*
 * testobjects.c: what the test driver's object kinds beside domains share
 * (testdriverpriv.h): their state's lists, their driver tables, their
 * event deregistration.
 */
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virobjectevent.h"
#include "virerror.h"

void
testObjectsInit(testState *state)
{
    state->networks = virObjectListNew("network", VIR_FROM_NETWORK, NULL);
    state->pools = virObjectListNew("pool", VIR_FROM_STORAGE, testPoolFree);
    state->ifaces = virObjectListNew("interface", VIR_FROM_INTERFACE, NULL);
    state->devices = virObjectListNew("node device", VIR_FROM_NODEDEV, NULL);
}

void
testObjectsFree(testState *state)
{
    virObjectListFree(state->networks);
    virObjectListFree(state->pools);
    virObjectListFree(state->ifaces);
    virObjectListFree(state->ifacesBackup);
    virObjectListFree(state->devices);
}

int
testConnectObjectEventDeregisterAny(virConnect *conn, int callbackID)
{
    testState *state = conn->privateData;

    return virObjectEventRegistryRemove(state->events, conn, callbackID);
}

/* libvirt's test driver has no secret driver. */
const virObjectDrivers testObjectDrivers = {
    .network = &testNetworkDriver,
    .storage = &testStorageDriver,
    .iface = &testInterfaceDriver,
    .nodeDevice = &testNodeDeviceDriver,
};
