/*
 * virdomaintypes.c: the domain handle helpers of virdomaintypes.h.
 */
#include <string.h>
#include <glib.h>

#include "virdomaintypes.h"

virDomainRef *
virDomainRefNew(const char *name, const unsigned char *uuid, int id)
{
    virDomainRef *ref = g_new0(virDomainRef, 1);

    ref->name = g_strdup(name);
    if (uuid)
        memcpy(ref->uuid, uuid, VIR_UUID_BUFLEN);
    ref->id = id;
    return ref;
}

virDomainRef *
virDomainRefCopy(const virDomainRef *ref)
{
    if (!ref)
        return NULL;
    return virDomainRefNew(ref->name, ref->uuid, ref->id);
}

void
virDomainRefFree(virDomainRef *ref)
{
    if (!ref)
        return;
    g_free(ref->name);
    g_free(ref);
}

void
virDomainRefListFree(virDomainRef **list)
{
    size_t i;

    if (!list)
        return;
    for (i = 0; list[i]; i++)
        virDomainRefFree(list[i]);
    g_free(list);
}
