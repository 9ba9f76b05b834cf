/*
 * virobjecttypes.c: the handles of virobjecttypes.h.
 */
#include <string.h>
#include <glib.h>

#include "virobjecttypes.h"
#include "virutil.h"


virNetworkRef *
virNetworkRefNew(const char *name, const unsigned char *uuid)
{
    virNetworkRef *ref = g_new0(virNetworkRef, 1);

    ref->name = g_strdup(name);
    memcpy(ref->uuid, uuid, VIR_UUID_BUFLEN);
    return ref;
}

void
virNetworkRefFree(virNetworkRef *ref)
{
    if (!ref)
        return;
    g_free(ref->name);
    g_free(ref);
}
VIR_DEFINE_LIST_FREE(virNetworkRef)

virStoragePoolRef *
virStoragePoolRefNew(const char *name, const unsigned char *uuid)
{
    /* the same layout as a network's handle */
    G_STATIC_ASSERT(sizeof(virStoragePoolRef) == sizeof(virNetworkRef));
    return (virStoragePoolRef *)virNetworkRefNew(name, uuid);
}

void
virStoragePoolRefFree(virStoragePoolRef *ref)
{
    virNetworkRefFree((virNetworkRef *)ref);
}
VIR_DEFINE_LIST_FREE(virStoragePoolRef)

virStorageVolRef *
virStorageVolRefNew(const char *pool, const char *name, const char *key)
{
    virStorageVolRef *ref = g_new0(virStorageVolRef, 1);

    ref->pool = g_strdup(pool);
    ref->name = g_strdup(name);
    ref->key = g_strdup(key);
    return ref;
}

void
virStorageVolRefFree(virStorageVolRef *ref)
{
    if (!ref)
        return;
    g_free(ref->pool);
    g_free(ref->name);
    g_free(ref->key);
    g_free(ref);
}
VIR_DEFINE_LIST_FREE(virStorageVolRef)

virInterfaceRef *
virInterfaceRefNew(const char *name, const char *mac)
{
    virInterfaceRef *ref = g_new0(virInterfaceRef, 1);

    ref->name = g_strdup(name);
    ref->mac = g_strdup(mac ? mac : "");
    return ref;
}

void
virInterfaceRefFree(virInterfaceRef *ref)
{
    if (!ref)
        return;
    g_free(ref->name);
    g_free(ref->mac);
    g_free(ref);
}
VIR_DEFINE_LIST_FREE(virInterfaceRef)

virNodeDeviceRef *
virNodeDeviceRefNew(const char *name)
{
    virNodeDeviceRef *ref = g_new0(virNodeDeviceRef, 1);

    ref->name = g_strdup(name);
    return ref;
}

void
virNodeDeviceRefFree(virNodeDeviceRef *ref)
{
    if (!ref)
        return;
    g_free(ref->name);
    g_free(ref);
}
VIR_DEFINE_LIST_FREE(virNodeDeviceRef)

virSecretRef *
virSecretRefNew(const unsigned char *uuid, int usageType, const char *usageID)
{
    virSecretRef *ref = g_new0(virSecretRef, 1);

    memcpy(ref->uuid, uuid, VIR_UUID_BUFLEN);
    ref->usageType = usageType;
    ref->usageID = g_strdup(usageID ? usageID : "");
    return ref;
}

void
virSecretRefFree(virSecretRef *ref)
{
    if (!ref)
        return;
    g_free(ref->usageID);
    g_free(ref);
}
VIR_DEFINE_LIST_FREE(virSecretRef)

gint
virObjectRefCompareName(gconstpointer a, gconstpointer b)
{
    const char *const *x = *(const char *const *const *)a;
    const char *const *y = *(const char *const *const *)b;

    return strcmp(*x, *y);
}

gint
virStorageVolRefCompare(gconstpointer a, gconstpointer b)
{
    const virStorageVolRef *x = *(virStorageVolRef *const *)a;
    const virStorageVolRef *y = *(virStorageVolRef *const *)b;

    return strcmp(x->name, y->name);
}

gint
virSecretRefCompare(gconstpointer a, gconstpointer b)
{
    const virSecretRef *x = *(virSecretRef *const *)a;
    const virSecretRef *y = *(virSecretRef *const *)b;

    return memcmp(x->uuid, y->uuid, VIR_UUID_BUFLEN);
}

int
virObjectRefListFinish(GPtrArray *list, GCompareFunc cmp, void ***out)
{
    int n = (int)list->len;

    g_ptr_array_set_free_func(list, NULL);
    g_ptr_array_sort(list, cmp);
    g_ptr_array_add(list, NULL);
    *out = g_ptr_array_free(list, FALSE);
    return n;
}
