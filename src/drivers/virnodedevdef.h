/*
 * virnodedevdef.h: a node device definition (the <device> XML), kept as a
 * virXMLTree in libvirt's shape (virxmltree.h). The capabilities libvirt's
 * test driver has (system, scsi_host with its fc_host and vport_ops
 * sub-capabilities) are checked and written as libvirt writes them; the
 * other capability types are kept as written.
 *
 * Errors are libvirt's codes and messages (VIR_FROM_NODEDEV).
 */
#pragma once

#include <stdbool.h>

#include "virxmltree.h"

/* The capability names, in virNodeDevCapType order (the list-all filter
 * bits follow it: 1 << index). */
extern const char *const virNodeDevCapTypeNames[];

/* existing: a device of a node description (name and SCSI host number
 * required); otherwise the definition of a device to create (libvirt's
 * CREATE_DEVICE: named "new device"). */
virXMLTree *virNodeDeviceDefParseString(const char *xml, bool existing);
virXMLTree *virNodeDeviceDefParseNode(xmlNodePtr node);
char *virNodeDeviceDefFormat(const virXMLTree *def);

const char *virNodeDeviceDefName(const virXMLTree *def);
void virNodeDeviceDefSetName(virXMLTree *def, const char *name);
const char *virNodeDeviceDefParent(const virXMLTree *def);
/* Has the device capability cap (index in virNodeDevCapTypeNames),
 * counting fc_host and vports through a scsi_host (libvirt's
 * virNodeDeviceObjHasCap)? */
bool virNodeDeviceDefHasCap(const virXMLTree *def, int cap);
/* The top-level capability names, in order. */
GPtrArray *virNodeDeviceDefCaps(const virXMLTree *def);
/* The scsi_host capability element, and its fc_host / vport_ops
 * sub-capability (sub: "fc_host", "vport_ops"); NULL when absent. */
virXMLTree *virNodeDeviceDefSCSIHost(const virXMLTree *def, const char *sub);
