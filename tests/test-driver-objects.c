/*
 * test-driver-objects.c: the event registry shared by every object kind
 * (virobjectevent.h) through the API, on the test driver: callback IDs
 * unique across kinds, filters, a connection removing only its own
 * registrations (explicitly or by closing), events in the order of the
 * changes, free functions run once.
 */
#include <string.h>
#include <glib.h>

#include "testutils.h"
#include "virconnect.h"
#include "testdriver.h"
#include "virerror.h"

typedef struct {
    GString *log;
    int frees;
} Log;

static void
logFree(void *opaque)
{
    ((Log *)opaque)->frees++;
}

static void
netLifecycle(virConnect *conn G_GNUC_UNUSED, const virNetworkRef *net, int event,
             int detail, void *opaque)
{
    g_string_append_printf(((Log *)opaque)->log, "net:%s:%d/%d;", net->name, event, detail);
}

static void
poolRefresh(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *pool, void *opaque)
{
    g_string_append_printf(((Log *)opaque)->log, "refresh:%s;", pool->name);
}

static void
poolLifecycle(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *pool, int event,
              int detail, void *opaque)
{
    g_string_append_printf(((Log *)opaque)->log, "pool:%s:%d/%d;", pool->name, event, detail);
}

static void
domLifecycle(virConnect *conn G_GNUC_UNUSED, const virDomainRef *dom, int event,
             int detail, void *opaque)
{
    g_string_append_printf(((Log *)opaque)->log, "dom:%s:%d/%d;", dom->name, event, detail);
}

#define NET_CB(cb) ((virConnectNetworkEventGenericCallback)(void (*)(void))(cb))
#define POOL_CB(cb) ((virConnectStoragePoolEventGenericCallback)(void (*)(void))(cb))
#define NET_XML "<network><name>n1</name><bridge name='vntbr1'/></network>"

static int
testRegistry(const void *data G_GNUC_UNUSED)
{
    virConnect *c1 = virConnectOpen("test:///default", 0);
    virConnect *c2 = virConnectOpen("test:///default", 0);
    Log all = { g_string_new(NULL), 0 }, filtered = { g_string_new(NULL), 0 };
    Log pools = { g_string_new(NULL), 0 }, doms = { g_string_new(NULL), 0 };
    Log other = { g_string_new(NULL), 0 };
    virNetworkRef *def = NULL, *n1 = NULL;
    virStoragePoolRef *pool = NULL;
    int ids[5];
    int ret = -1;

    if (!c1 || !c2 || !(def = virNetworkLookupByName(c1, "default")) ||
        !(pool = virStoragePoolLookupByName(c1, "default-pool")))
        VIR_TEST_FAIL("setup: %s", virGetLastErrorMessage());

    /* IDs count across kinds, per driver */
    ids[0] = virConnectDomainEventRegisterAny(c1, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              VIR_DOMAIN_EVENT_CALLBACK(domLifecycle), &doms,
                                              logFree);
    ids[1] = virConnectNetworkEventRegisterAny(c1, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                               NET_CB(netLifecycle), &all,
                                               logFree);
    ids[2] = virConnectNetworkEventRegisterAny(c1, def, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                               NET_CB(netLifecycle),
                                               &filtered, logFree);
    ids[3] = virConnectStoragePoolEventRegisterAny(c1, pool, VIR_STORAGE_POOL_EVENT_ID_REFRESH,
                                                   POOL_CB(poolRefresh),
                                                   &pools, logFree);
    ids[4] = virConnectNetworkEventRegisterAny(c2, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                               NET_CB(netLifecycle), &other,
                                               logFree);
    for (int i = 0; i < 5; i++)
        VIR_TEST_ASSERT_INT(ids[i], i);
    /* the same (connection, callback, filter) twice is refused; another
     * event ID of the kind is fine */
    VIR_TEST_ASSERT_INT(virConnectNetworkEventRegisterAny(c1, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                                          NET_CB(netLifecycle),
                                                          &all, NULL), -1);
    VIR_TEST_ASSERT_INT(virConnectStoragePoolEventRegisterAny(c1, NULL,
                                                              VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
                                                              POOL_CB(poolLifecycle),
                                                              &pools, NULL), 5);
    /* an unknown event ID of the kind */
    VIR_TEST_ASSERT_INT(virConnectNetworkEventRegisterAny(c1, NULL, 99,
                                                          NET_CB(netLifecycle),
                                                          &all, NULL), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
    /* a connection removes only its own */
    VIR_TEST_ASSERT_INT(virConnectNetworkEventDeregisterAny(c2, ids[1]), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
    VIR_TEST_ASSERT_INT(all.frees, 0);

    if (!(n1 = virNetworkDefineXML(c2, NET_XML)) || virNetworkCreate(c2, n1) < 0 ||
        virNetworkDestroy(c1, def) < 0 || virStoragePoolRefresh(c2, pool, 0) < 0)
        VIR_TEST_FAIL("changes: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_STR(all.log->str, "net:n1:0/0;net:n1:2/0;net:default:3/0;");
    VIR_TEST_ASSERT_STR(other.log->str, all.log->str);
    VIR_TEST_ASSERT_STR(filtered.log->str, "net:default:3/0;");
    VIR_TEST_ASSERT_STR(pools.log->str, "refresh:default-pool;");
    VIR_TEST_ASSERT_STR(doms.log->str, "");

    /* closing c2 drops c2's registration alone */
    virConnectClose(c2);
    c2 = NULL;
    VIR_TEST_ASSERT_INT(other.frees, 1);
    VIR_TEST_ASSERT_INT(all.frees, 0);
    g_string_truncate(all.log, 0);
    g_string_truncate(other.log, 0);
    if (virNetworkDestroy(c1, n1) < 0)
        VIR_TEST_FAIL("destroy n1: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_STR(all.log->str, "net:n1:3/0;");
    VIR_TEST_ASSERT_STR(other.log->str, "");

    /* deregistered: freed once, no more events */
    VIR_TEST_ASSERT_INT(virConnectNetworkEventDeregisterAny(c1, ids[1]), 0);
    VIR_TEST_ASSERT_INT(virConnectNetworkEventDeregisterAny(c1, ids[1]), -1);
    VIR_TEST_ASSERT_INT(all.frees, 1);
    if (virNetworkUndefine(c1, n1) < 0)
        VIR_TEST_FAIL("undefine n1: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_STR(all.log->str, "net:n1:3/0;");
    ret = 0;

    virConnectClose(c1);
    c1 = NULL;
    VIR_TEST_ASSERT_INT(filtered.frees, 1);
    VIR_TEST_ASSERT_INT(doms.frees, 1);
    VIR_TEST_ASSERT_INT(pools.frees, 1);
    virNetworkRefFree(def);
    virNetworkRefFree(n1);
    virStoragePoolRefFree(pool);
    g_string_free(all.log, TRUE);
    g_string_free(filtered.log, TRUE);
    g_string_free(pools.log, TRUE);
    g_string_free(doms.log, TRUE);
    g_string_free(other.log, TRUE);
    return ret;
}

int
main(void)
{
    testDriverRegister();
    virTestRun("one event registry for every kind", testRegistry, NULL);
    return virTestResult();
}
