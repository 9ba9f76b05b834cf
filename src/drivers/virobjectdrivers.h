/*
 * virobjectdrivers.h: how a connection finds its drivers for the objects
 * beside domains (networks, storage, host interfaces, node devices,
 * secrets), as libvirt does.
 *
 * A hypervisor driver (virConnectDriver) may bring its own table for each
 * kind (->objectDrivers: the test driver serves every kind but secrets).
 * For a kind it leaves NULL, a driver with ->secondaryDrivers set gets the
 * secondary driver registered for that kind, if any (libvirt's "shared"
 * drivers: lxc:///system gets the storage and secret drivers); otherwise
 * the kind's calls answer VIR_ERR_NO_SUPPORT.
 *
 * When a connection opens, virObjectDriversAttach picks its tables and
 * calls connectOpen of each secondary one it took; virObjectDriversDetach
 * (on the connection's last reference) calls their connectClose, which
 * drops the connection's event registrations. A hypervisor driver's own
 * tables have no such hooks: its connectClose does that.
 */
#pragma once

#include "virdriver.h"
#include "virnetworkdriver.h"
#include "virstoragedriver.h"
#include "virinterfacedriver.h"
#include "virnodedevdriver.h"
#include "virsecretdriver.h"

struct _virObjectDrivers {
    const virNetworkDriver *network;
    const virStorageDriver *storage;
    const virInterfaceDriver *iface;
    const virNodeDeviceDriver *nodeDevice;
    const virSecretDriver *secret;
};

/* Register secondary drivers: each non-NULL table of drivers, unless a
 * table of that kind is registered already (the first one stays). */
int virObjectDriversRegister(const virObjectDrivers *drivers);

/* Pick conn's tables (conn->driver set); -1 with the error of a secondary
 * driver's connectOpen (the tables taken so far are let go). */
int virObjectDriversAttach(virConnect *conn);
void virObjectDriversDetach(virConnect *conn);
