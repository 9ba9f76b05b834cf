/*
 * testevents.h: a log of the domain events a test received, for the tests
 * that wait for containers (test-driver-lxc, test-lxc-agent). Callbacks
 * record from the driver's event threads; the test counts and waits.
 *
 * Locking: one mutex inside guards the log; every function takes it.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

typedef struct {
    char name[64];      /* the domain's */
    int id;             /* the domain's ID when the event came */
    int event;          /* what the test files it under (a lifecycle event, or its own) */
    int detail;         /* -1 matches any in count and wait */
} testEvent;

void testEventsInit(void);
void testEventsFree(void);
void testEventsRecord(const char *name, int id, int event, int detail);
void testEventsClear(void);
/* The matching events (name NULL: any domain; detail -1: any). */
int testEventsCount(const char *name, int event, int detail);
/* Wait until at least n match or ms passed; the count then. */
int testEventsWait(const char *name, int event, int detail, int n, int ms);
/* A copy of the log as it is now. */
GArray *testEventsCopy(void);
