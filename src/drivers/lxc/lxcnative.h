/*
 * lxcnative.h: lxc-tools container configurations read into domain XML
 * (virConnectDomainXMLFromNative's "lxc-tools" format, as libvirt 9.0's
 * LXC driver reads them: see docs/lxc-driver.md for the keys).
 *
 * Pure functions of their input: no state, no I/O, safe in any thread.
 */
#pragma once

#define LXC_NATIVE_FORMAT "lxc-tools"

/* The domain XML for an lxc-tools configuration, or NULL. On bad input
 * the error is libvirt's (VIR_ERR_CONF_SYNTAX for a line that is not
 * "key = value", VIR_ERR_INTERNAL_ERROR / INVALID_ARG for a bad value);
 * where libvirt fails without a reason (no name, no root, a network key
 * it does not know, ...) it returns NULL with no error set, for the API
 * to report libvirt's generic error. */
char *lxcNativeToXML(const char *config);
