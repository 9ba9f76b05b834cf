/*
 * virdomaintypes.c: the domain handle helpers of virdomaintypes.h.
 */
#include <string.h>
#include <glib.h>

#include "virdomaintypes.h"
#include "virutil.h"

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

VIR_DEFINE_LIST_FREE(virDomainRef)


/* A record's allocation: the record, its domain, room for nroom
 * parameters, then the domain's name. */
typedef struct {
    virDomainStatsRecord rec;
    virDomainRef dom;
    virTypedParameter room[];
} virDomainStatsRecordBlock;

virDomainStatsRecord *
virDomainStatsRecordNew(const char *name, const unsigned char *uuid, int id, int nroom)
{
    size_t len = strlen(name) + 1;
    size_t roomSize = (size_t)MAX(nroom, 0) * sizeof(virTypedParameter);
    virDomainStatsRecordBlock *b = g_malloc(sizeof(*b) + roomSize + len);
    char *copy = (char *)b->room + roomSize;

    /* the parameters are written as they are added: zero the header only */
    memset(b, 0, sizeof(*b));
    memcpy(copy, name, len);
    b->dom.name = copy;
    if (uuid)
        memcpy(b->dom.uuid, uuid, VIR_UUID_BUFLEN);
    b->dom.id = id;
    b->rec.dom = &b->dom;
    if (nroom > 0)
        b->rec.params = b->room;
    return &b->rec;
}

void
virDomainStatsRecordListFree(virDomainStatsRecord **list)
{
    size_t i;

    if (!list)
        return;
    for (i = 0; list[i]; i++) {
        /* a dom a driver put there instead is its own allocation */
        virDomainStatsRecordBlock *b = (virDomainStatsRecordBlock *)list[i];

        if (list[i]->dom != &b->dom)
            virDomainRefFree(list[i]->dom);
        if (list[i]->params == b->room)
            virTypedParamsClear(list[i]->params, list[i]->nparams);
        else
            virTypedParamsFree(list[i]->params, list[i]->nparams);
        g_free(list[i]);
    }
    g_free(list);
}


static gint
virDomainRefCompareName(gconstpointer a, gconstpointer b)
{
    const virDomainRef *x = *(virDomainRef *const *)a, *y = *(virDomainRef *const *)b;

    return strcmp(x->name, y->name);
}


int
virDomainRefListFinish(GPtrArray *list, virDomainRef ***doms)
{
    int n = (int)list->len;

    g_ptr_array_sort(list, virDomainRefCompareName);
    g_ptr_array_add(list, NULL);
    *doms = (virDomainRef **)g_ptr_array_free(list, FALSE);
    return n;
}


/* Within a group of two flags (X, NO_X), a domain passes when neither is
 * set or the one matching its property is. */
static bool
virConnectListAllDomainsGroup(unsigned int flags, unsigned int yes, unsigned int no, bool value)
{
    if (!(flags & (yes | no)))
        return true;
    return value ? (flags & yes) : (flags & no);
}


bool
virConnectListAllDomainsFilterMatches(unsigned int flags, bool active, bool persistent,
                                      int state, bool autostart, bool managedSave,
                                      bool hasSnapshot, bool hasCheckpoint)
{
    const unsigned int byState = VIR_CONNECT_LIST_DOMAINS_RUNNING |
        VIR_CONNECT_LIST_DOMAINS_PAUSED | VIR_CONNECT_LIST_DOMAINS_SHUTOFF |
        VIR_CONNECT_LIST_DOMAINS_OTHER;

    if (!virConnectListAllDomainsGroup(flags, VIR_CONNECT_LIST_DOMAINS_ACTIVE,
                                       VIR_CONNECT_LIST_DOMAINS_INACTIVE, active) ||
        !virConnectListAllDomainsGroup(flags, VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
                                       VIR_CONNECT_LIST_DOMAINS_TRANSIENT, persistent) ||
        !virConnectListAllDomainsGroup(flags, VIR_CONNECT_LIST_DOMAINS_AUTOSTART,
                                       VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, autostart) ||
        !virConnectListAllDomainsGroup(flags, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
                                       VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, managedSave) ||
        !virConnectListAllDomainsGroup(flags, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
                                       VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, hasSnapshot) ||
        !virConnectListAllDomainsGroup(flags, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT,
                                       VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, hasCheckpoint))
        return false;

    if (flags & byState) {
        unsigned int want;

        switch (state) {
        case VIR_DOMAIN_RUNNING: want = VIR_CONNECT_LIST_DOMAINS_RUNNING; break;
        case VIR_DOMAIN_PAUSED: want = VIR_CONNECT_LIST_DOMAINS_PAUSED; break;
        case VIR_DOMAIN_SHUTOFF: want = VIR_CONNECT_LIST_DOMAINS_SHUTOFF; break;
        default: want = VIR_CONNECT_LIST_DOMAINS_OTHER; break;
        }
        if (!(flags & want))
            return false;
    }
    return true;
}


virDomainMomentRef *
virDomainMomentRefNew(const char *name, const virDomainRef *dom)
{
    virDomainMomentRef *ref = g_new0(virDomainMomentRef, 1);

    ref->name = g_strdup(name);
    ref->dom.name = g_strdup(dom->name);
    memcpy(ref->dom.uuid, dom->uuid, VIR_UUID_BUFLEN);
    ref->dom.id = dom->id;
    return ref;
}


void
virDomainMomentRefFree(virDomainMomentRef *ref)
{
    if (!ref)
        return;
    g_free(ref->name);
    g_free(ref->dom.name);
    g_free(ref);
}


VIR_DEFINE_LIST_FREE(virDomainMomentRef)


void
virDomainFSInfoFree(virDomainFSInfo *info)
{
    if (!info)
        return;
    g_free(info->mountpoint);
    g_free(info->name);
    g_free(info->fstype);
    for (size_t i = 0; i < info->ndevAlias; i++)
        g_free(info->devAlias[i]);
    g_free(info->devAlias);
    g_free(info);
}


VIR_DEFINE_LIST_FREE(virDomainFSInfo)

void
virDomainIOThreadInfoFree(virDomainIOThreadInfo *info)
{
    if (!info)
        return;
    g_free(info->cpumap);
    g_free(info);
}

VIR_DEFINE_LIST_FREE(virDomainIOThreadInfo)


void
virDomainInterfaceFree(virDomainInterface *iface)
{
    if (!iface)
        return;
    g_free(iface->name);
    g_free(iface->hwaddr);
    for (unsigned int i = 0; i < iface->naddrs; i++)
        g_free(iface->addrs[i].addr);
    g_free(iface->addrs);
    g_free(iface);
}


VIR_DEFINE_LIST_FREE(virDomainInterface)
