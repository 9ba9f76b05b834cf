/*
 * virdomainobj.c: one domain as a driver holds it (virdomainobj.h).
 */
#include "virdomainobj.h"


void
virDomainObjInit(virDomainObj *obj, virDomainDef *def)
{
    obj->def = def;
    obj->live = NULL;
    obj->id = -1;
    obj->state = VIR_DOMAIN_SHUTOFF;
    obj->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    obj->autostart = false;
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
