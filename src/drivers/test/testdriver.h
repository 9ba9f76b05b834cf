/*
 * testdriver.h: the test driver, an in-memory hypervisor with libvirt's
 * test-driver behaviour (docs/test-driver.md).
 *
 * URIs: test:///default (a fixed node with one running domain, "test"),
 * test:///ABSOLUTE/PATH.xml (a <node> description in libvirt's format).
 * Connections opened on the same URI share one state (domains, event
 * registrations); it is dropped when the last of them closes, so the
 * next open starts afresh.
 *
 * Threading: one lock per state (the driver lock) guards its domains and
 * node data; every entry point takes it for its whole duration. Events
 * are dispatched while it is held, so they arrive in the order of the
 * state changes. Lock order: states table lock -> driver lock -> event
 * registry lock -> the callbacks' own locks (see virdomainevent.h).
 */
#pragma once

#include "virdriver.h"

/* Register the test driver with virConnectRegisterDriver (idempotent). */
int testDriverRegister(void);

/* How many states are open (held by connections): 0 once every
 * connection is closed, as every test that starts afresh expects. */
size_t testDriverOpenStates(void);

/* The driver table (for code that wants to look at it). */
extern const virConnectDriver testConnectDriver;
