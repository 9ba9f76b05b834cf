/*
 * faultcalls.h: typed calls of the remote program over the fault tests'
 * raw client (faultutil.h), and a latency probe. Each call returns what
 * faultClientCall does: 0 OK (results filled), 1 error reply (message in
 * *err when err is non-NULL, caller frees), -1 connection or timeout.
 *
 * Ownership: a remote_dom filled here belongs to the caller (xdr_free with
 * xdr_remote_dom). A probe owns its client and thread.
 */
#pragma once

#include <glib.h>

#include "faultutil.h"
#include "remote_protocol.h"

/* A test-driver domain named %s. */
#define FAULT_TEST_DOM_XML "<domain type='test'><name>%s</name><memory>1024</memory>" \
                           "<os><type>hvm</type></os></domain>"

/* A container named name running /bin/sh -c cmd (caller frees). */
char *faultLXCXML(const char *name, const char *cmd);

/* Connect to the daemon's read-write socket and open uri; NULL on error. */
faultClient *faultOpen(faultDaemon *d, const char *uri);

/* domainDefineXMLFlags: *dom gets the domain when dom is non-NULL. */
int faultDefine(faultClient *c, const char *xml, remote_dom *dom, char **err);
/* A {dom, flags = 0} call without results: undefine, destroy, create. */
int faultDomCall(faultClient *c, int proc, remote_dom *dom, char **err);
int faultLookup(faultClient *c, const char *name, remote_dom *dom);
int faultListAll(faultClient *c, unsigned int *count);
int faultLibVersion(faultClient *c);
int faultGetState(faultClient *c, remote_dom *dom, int *state);

/* A probe: getLibVersion in a loop on its own thread, keeping the worst
 * latency seen since the last reset (worstUs = 0). */
typedef struct {
    faultClient *c;
    volatile bool stop;
    volatile uint64_t worstUs;
    volatile unsigned long long calls;
    volatile bool failed;
    GThread *thread;
} faultProbe;

faultProbe *faultProbeStart(faultDaemon *d);
/* Stop the probe and wait for its call in flight, which may be the one
 * stalled: worstUs is final after this. */
void faultProbeFinish(faultProbe *p);
void faultProbeStop(faultProbe *p);
