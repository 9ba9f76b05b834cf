/*
 * virdomainobjlist.c: look-ups, checks and listings on a driver's domain
 * list (virdomainobjlist.h). The caller holds the driver lock.
 */
#include <string.h>

#include "virdomainobjlist.h"
#include "virerror.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

#define OBJ(list, i) ((virDomainObj *)g_ptr_array_index((list), (i)))


virDomainObj *
virDomainObjListFindByUUID(GPtrArray *list, const unsigned char *uuid)
{
    guint i;

    for (i = 0; i < list->len; i++) {
        if (memcmp(virDomainObjCurrentDef(OBJ(list, i))->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return OBJ(list, i);
    }
    return NULL;
}


virDomainObj *
virDomainObjListFindByName(GPtrArray *list, const char *name)
{
    guint i;

    for (i = 0; i < list->len; i++) {
        if (strcmp(virDomainObjCurrentDef(OBJ(list, i))->name, name) == 0)
            return OBJ(list, i);
    }
    return NULL;
}


virDomainObj *
virDomainObjListFindByID(GPtrArray *list, int id)
{
    guint i;

    for (i = 0; i < list->len; i++) {
        if (virDomainObjIsActive(OBJ(list, i)) && OBJ(list, i)->id == id)
            return OBJ(list, i);
    }
    return NULL;
}


virDomainObj *
virDomainObjListFromRef(GPtrArray *list, const virDomainRef *ref, int from)
{
    virDomainObj *obj = virDomainObjListFindByUUID(list, ref->uuid);

    if (!obj) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virDomainUUIDFormat(ref->uuid, uuidstr);
        virErrorReportFull(from, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__,
                           "no domain with matching uuid '%s' (%s)", uuidstr, ref->name);
    }
    return obj;
}


virDomainObj *
virDomainObjListCheckAssign(GPtrArray *list, const virDomainDef *def, bool live, bool *err)
{
    virDomainObj *obj;
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    *err = true;
    if ((obj = virDomainObjListFindByUUID(list, def->uuid))) {
        const virDomainDef *cur = virDomainObjCurrentDef(obj);

        if (strcmp(cur->name, def->name) != 0) {
            virDomainUUIDFormat(cur->uuid, uuidstr);
            virReportError(VIR_ERR_OPERATION_FAILED, "domain '%s' is already defined with uuid %s",
                           cur->name, uuidstr);
            return NULL;
        }
        if (live && (virDomainObjIsActive(obj) || obj->job)) {
            virReportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is already active", cur->name);
            return NULL;
        }
        *err = false;
        return obj;
    }
    if ((obj = virDomainObjListFindByName(list, def->name))) {
        virDomainUUIDFormat(virDomainObjCurrentDef(obj)->uuid, uuidstr);
        virReportError(VIR_ERR_OPERATION_FAILED, "domain '%s' already exists with uuid %s",
                       def->name, uuidstr);
        return NULL;
    }
    *err = false;
    return NULL;
}


int
virDomainObjListCount(GPtrArray *list, bool active)
{
    int count = 0;
    guint i;

    for (i = 0; i < list->len; i++) {
        if (virDomainObjIsActive(OBJ(list, i)) == active)
            count++;
    }
    return count;
}


int
virDomainObjListGetActiveIDs(GPtrArray *list, int *ids, int max)
{
    g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(int));
    guint i;
    int n;

    for (i = 0; i < list->len; i++) {
        if (virDomainObjIsActive(OBJ(list, i)))
            g_array_append_val(all, OBJ(list, i)->id);
    }
    g_array_sort(all, virCompareInt);
    for (n = 0; n < max && (guint)n < all->len; n++)
        ids[n] = g_array_index(all, int, n);
    return n;
}


int
virDomainObjListGetInactiveNames(GPtrArray *list, char **names, int max)
{
    g_autoptr(GPtrArray) all = g_ptr_array_new();
    guint i;
    int n;

    for (i = 0; i < list->len; i++) {
        if (!virDomainObjIsActive(OBJ(list, i)))
            g_ptr_array_add(all, virDomainObjCurrentDef(OBJ(list, i))->name);
    }
    g_ptr_array_sort(all, virCompareString);
    for (n = 0; n < max && (guint)n < all->len; n++)
        names[n] = g_strdup(g_ptr_array_index(all, n));
    return n;
}


int
virDomainObjListExport(GPtrArray *list, unsigned int flags, virDomainRef ***doms)
{
    GPtrArray *refs = g_ptr_array_new();
    guint i;

    for (i = 0; i < list->len; i++) {
        virDomainObj *obj = OBJ(list, i);

        if (virConnectListAllDomainsFilterMatches(flags, virDomainObjIsActive(obj),
                                                  obj->def != NULL, obj->state, obj->autostart,
                                                  obj->hasManagedSave, obj->nsnapshots > 0,
                                                  obj->ncheckpoints > 0))
            g_ptr_array_add(refs, virDomainObjMakeRef(obj));
    }
    return virDomainRefListFinish(refs, doms);
}
