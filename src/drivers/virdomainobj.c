/*
 * virdomainobj.c: one domain as a driver holds it (virdomainobj.h).
 */
#include "virdomainobj.h"
#include "virerror.h"
#include "virconnect.h"


void
virDomainObjInit(virDomainObj *obj, virDomainDef *def)
{
    obj->def = def;
    obj->live = NULL;
    obj->id = -1;
    obj->state = VIR_DOMAIN_SHUTOFF;
    obj->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    obj->autostart = false;
    obj->hasManagedSave = false;
    obj->nsnapshots = 0;
    obj->job = false;
}


void
virDomainObjClear(virDomainObj *obj)
{
    virDomainDefFree(obj->def);
    virDomainDefFree(obj->live);
    obj->def = NULL;
    obj->live = NULL;
}


/* The running definition while it runs, else the persistent one. */
const virDomainDef *
virDomainObjCurrentDef(const virDomainObj *obj)
{
    return obj->live ? obj->live : obj->def;
}


/* Running (or paused): a live definition and an ID. A domain being started
 * has its live definition before its ID and is not active yet. */
bool
virDomainObjIsActive(const virDomainObj *obj)
{
    return obj->live != NULL && obj->id > 0;
}


/* NULL for NULL, so that a look-up's result can be passed straight in. */
virDomainRef *
virDomainObjMakeRef(const virDomainObj *obj)
{
    const virDomainDef *def;

    if (!obj)
        return NULL;
    def = virDomainObjCurrentDef(obj);
    return virDomainRefNew(def->name, def->uuid, obj->id);
}


/* libvirt's "modification impact": CURRENT becomes LIVE on a running
 * domain and CONFIG otherwise; LIVE needs it running, CONFIG needs a
 * persistent definition. */
int
virDomainObjUpdateImpact(const virDomainObj *obj, unsigned int *flags)
{
    bool active = virDomainObjIsActive(obj);

    if ((*flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)) == 0)
        *flags |= active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if (!active && (*flags & VIR_DOMAIN_AFFECT_LIVE)) {
        virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __FILE__, __func__,
                           __LINE__, "%s", "domain is not running");
        return -1;
    }
    if (!obj->def && (*flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __FILE__, __func__,
                           __LINE__, "%s", "transient domains do not have any persistent config");
        return -1;
    }
    return 0;
}


virDomainDef *
virDomainObjGetOneDef(virDomainObj *obj, unsigned int flags, bool *live)
{
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virDriverReportInvalidArgFull(VIR_FROM_DOMAIN, __FILE__, __func__, __LINE__, "flags",
                                      "%s", "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                                      "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        return NULL;
    }
    if (virDomainObjUpdateImpact(obj, &flags) < 0)
        return NULL;
    if (live)
        *live = flags & VIR_DOMAIN_AFFECT_LIVE;
    return (flags & VIR_DOMAIN_AFFECT_LIVE) ? obj->live : obj->def;
}


int
virDomainObjGetDefs(virDomainObj *obj, unsigned int flags, virDomainDef **live,
                    virDomainDef **config)
{
    *live = NULL;
    *config = NULL;
    if (virDomainObjUpdateImpact(obj, &flags) < 0)
        return -1;
    if (flags & VIR_DOMAIN_AFFECT_LIVE)
        *live = obj->live;
    if (flags & VIR_DOMAIN_AFFECT_CONFIG)
        *config = obj->def;
    return 0;
}
