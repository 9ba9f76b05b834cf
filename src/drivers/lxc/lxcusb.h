/*
 * lxcusb.h: the host's USB devices, found as libvirt 9.0 finds them for a
 * <hostdev mode='subsystem' type='usb'> (its virusb.c and virhostdev.c
 * rules, our code): each directory of /sys/bus/usb/devices whose name has
 * no ':' (interfaces have one) is a device; its bus is the number its name
 * starts with (after "usb" for a root hub), its device number the devnum
 * file, its ids the idVendor / idProduct files (hex). Its node is
 * /dev/bus/usb/BBB/DDD (three digits each: the path holds nothing but the
 * numbers).
 *
 * Blocking file I/O: called from a worker with no lock held. Errors are
 * libvirt's, domain VIR_FROM_NONE as its: "cannot open directory
 * '/sys/bus/usb/devices'", "Did not find USB device VVVV:PPPP",
 * "... bus:B device:D", "Multiple USB devices for V:P, use <address> to
 * specify one".
 */
#pragma once

#include <stdbool.h>

#include "lxcconf.h"

/* Find the device a USB host device names (dev->usb), libvirt's way: by
 * vendor and product at bus:device when both are given, by vendor and
 * product alone (exactly one must match), or at bus:device. mandatory
 * false (lxcUSBMandatory): not finding it is no error. Returns 1 with *bus and *device set,
 * 0 when not found (neither vendor nor bus given, or not mandatory), -1
 * with an error. */
int lxcUSBFind(const lxcDevice *dev, bool mandatory, unsigned int *bus, unsigned int *device);

/* Whether a start needs the device: no startupPolicy, or mandatory
 * (libvirt's LXC driver starts without its cold boot flag, so requisite
 * is optional there). */
bool lxcUSBMandatory(const lxcDevice *dev);

/* Where a start found each USB host device of a definition: nth among
 * its <hostdev> elements, its bus and device, or missing. */
typedef struct {
    size_t nth;
    unsigned int bus;
    unsigned int device;
    bool missing;
} lxcUSBPlace;

/* lxcUSBFind for every USB host device of cfg, libvirt's errors, and one
 * device named twice refused ("Device 001:002 is already in use"). A new
 * array of lxcUSBPlace, or NULL with an error. I/O, no lock. */
GArray *lxcUSBFindAll(const lxcConfig *cfg);
/* Record the places in the live definition they were found for
 * (lxcConfigSetUSBAddress): no I/O, under the driver's lock. */
void lxcUSBRecord(virDomainDef *live, const GArray *places);
/* The first of places another running domain's live definition has (a
 * USB host device at the same bus and device, not missing), or NULL.
 * No I/O: under the driver's lock. */
const lxcUSBPlace *lxcUSBInUse(const GArray *places, const virDomainDef *other);
