/*
 * virobjectlist.c: lists of named objects with definitions, see
 * virobjectlist.h.
 */
#include <string.h>
#include <glib.h>

#include "virobjectlist.h"
#include "virdomaindef.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

struct _virObjectList {
    char *noun;
    int errDomain;
    GPtrArray *entries;         /* virObjectListEntry *, kept sorted by name */
    GDestroyNotify privFree;
};

static void
virObjectListEntryFree(virObjectList *list, virObjectListEntry *entry)
{
    g_free(entry->name);
    virXMLTreeFree(entry->def);
    virXMLTreeFree(entry->newDef);
    if (entry->priv && list->privFree)
        list->privFree(entry->priv);
    g_free(entry);
}

virObjectList *
virObjectListNew(const char *noun, int errDomain, GDestroyNotify privFree)
{
    virObjectList *list = g_new0(virObjectList, 1);

    list->errDomain = errDomain;
    list->noun = g_strdup(noun);
    list->entries = g_ptr_array_new();
    list->privFree = privFree;
    return list;
}

void
virObjectListFree(virObjectList *list)
{
    size_t i;

    if (!list)
        return;
    for (i = 0; i < list->entries->len; i++)
        virObjectListEntryFree(list, g_ptr_array_index(list->entries, i));
    g_ptr_array_free(list->entries, TRUE);
    g_free(list->noun);
    g_free(list);
}

size_t
virObjectListSize(const virObjectList *list)
{
    return list->entries->len;
}

virObjectListEntry *
virObjectListAt(const virObjectList *list, size_t i)
{
    return i < list->entries->len ? g_ptr_array_index(list->entries, i) : NULL;
}

virObjectListEntry *
virObjectListFindByName(const virObjectList *list, const char *name)
{
    size_t i;

    for (i = 0; i < list->entries->len; i++) {
        virObjectListEntry *e = g_ptr_array_index(list->entries, i);

        if (strcmp(e->name, name) == 0)
            return e;
    }
    return NULL;
}

virObjectListEntry *
virObjectListFindByUUID(const virObjectList *list, const unsigned char *uuid)
{
    size_t i;

    for (i = 0; i < list->entries->len; i++) {
        virObjectListEntry *e = g_ptr_array_index(list->entries, i);

        if (memcmp(e->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return e;
    }
    return NULL;
}

virObjectListEntry *
virObjectListGetByName(const virObjectList *list, const char *name, int errDomain, int code,
                       const char *what)
{
    virObjectListEntry *e = virObjectListFindByName(list, name);

    if (!e)
        virErrorReportFull(errDomain, code, __FILE__, __func__, __LINE__,
                           "no %s with matching name '%s'", what, name);
    return e;
}

virObjectListEntry *
virObjectListGetByUUID(const virObjectList *list, const unsigned char *uuid, int errDomain,
                       int code, const char *what)
{
    virObjectListEntry *e = virObjectListFindByUUID(list, uuid);
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    if (!e) {
        virDomainUUIDFormat(uuid, uuidstr);
        virErrorReportFull(errDomain, code, __FILE__, __func__, __LINE__,
                           "no %s with matching uuid '%s'", what, uuidstr);
    }
    return e;
}

static gint
virObjectListCompare(gconstpointer a, gconstpointer b)
{
    const virObjectListEntry *x = *(virObjectListEntry *const *)a;
    const virObjectListEntry *y = *(virObjectListEntry *const *)b;

    return strcmp(x->name, y->name);
}

/* libvirt's virNetworkObjUpdateAssignDef. */
static void
virObjectListEntryAssign(virObjectListEntry *e, virXMLTree *def, bool live)
{
    if (live) {
        if (e->persistent && !e->newDef)
            e->newDef = e->def;
        else
            virXMLTreeFree(e->def);
        e->def = def;
        return;
    }
    virXMLTreeFree(e->newDef);
    e->newDef = NULL;
    if (e->active) {
        e->newDef = def;
    } else {
        virXMLTreeFree(e->def);
        e->def = def;
    }
    e->persistent = true;
}

int
virObjectListCheckDef(const virObjectList *list, const char *name, const unsigned char *uuid,
                      bool checkLive)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    virObjectListEntry *e;

    if ((e = virObjectListFindByUUID(list, uuid))) {
        if (strcmp(e->name, name) != 0) {
            virDomainUUIDFormat(e->uuid, uuidstr);
            virErrorReportFull(list->errDomain, VIR_ERR_OPERATION_FAILED, __FILE__, __func__,
                               __LINE__, "%s '%s' is already defined with uuid %s",
                               list->noun, e->name, uuidstr);
            return -1;
        }
        if (checkLive && e->active) {
            virErrorReportFull(list->errDomain, VIR_ERR_OPERATION_INVALID, __FILE__, __func__,
                               __LINE__, "%s is already active as '%s'", list->noun, e->name);
            return -1;
        }
        return 0;
    }
    if ((e = virObjectListFindByName(list, name))) {
        virDomainUUIDFormat(e->uuid, uuidstr);
        virErrorReportFull(list->errDomain, VIR_ERR_OPERATION_FAILED, __FILE__, __func__,
                           __LINE__, "%s '%s' already exists with uuid %s", list->noun, name,
                           uuidstr);
        return -1;
    }
    return 0;
}

virObjectListEntry *
virObjectListAssignDef(virObjectList *list, const char *name, const unsigned char *uuid,
                       virXMLTree *def, bool live, bool checkLive)
{
    virObjectListEntry *e;

    if (virObjectListCheckDef(list, name, uuid, checkLive) < 0)
        return NULL;
    if ((e = virObjectListFindByUUID(list, uuid))) {
        virObjectListEntryAssign(e, def, live);
        return e;
    }
    e = g_new0(virObjectListEntry, 1);
    e->name = g_strdup(name);
    memcpy(e->uuid, uuid, VIR_UUID_BUFLEN);
    e->def = def;
    e->persistent = !live;
    g_ptr_array_add(list->entries, e);
    g_ptr_array_sort(list->entries, virObjectListCompare);
    return e;
}

virObjectListEntry *
virObjectListAssignDefByName(virObjectList *list, const char *name, virXMLTree *def)
{
    virObjectListEntry *e = virObjectListFindByName(list, name);

    if (e) {
        virXMLTreeFree(e->def);
        e->def = def;
        return e;
    }
    e = g_new0(virObjectListEntry, 1);
    e->name = g_strdup(name);
    e->def = def;
    e->persistent = true;
    g_ptr_array_add(list->entries, e);
    g_ptr_array_sort(list->entries, virObjectListCompare);
    return e;
}

virXMLTree *
virObjectListEntryPersistentDef(const virObjectListEntry *entry)
{
    return entry->newDef ? entry->newDef : entry->def;
}

void
virObjectListRemove(virObjectList *list, virObjectListEntry *entry)
{
    if (g_ptr_array_remove(list->entries, entry))
        virObjectListEntryFree(list, entry);
}

bool
virObjectListEntryDeactivate(virObjectList *list, virObjectListEntry *entry)
{
    entry->active = false;
    if (!entry->persistent) {
        virObjectListRemove(list, entry);
        return true;
    }
    if (entry->newDef) {
        virXMLTreeFree(entry->def);
        entry->def = g_steal_pointer(&entry->newDef);
    }
    return false;
}

int
virObjectListCount(const virObjectList *list, bool active)
{
    int n = 0;
    size_t i;

    for (i = 0; i < list->entries->len; i++) {
        const virObjectListEntry *e = g_ptr_array_index(list->entries, i);

        if (e->active == active)
            n++;
    }
    return n;
}

int
virObjectListGetNames(const virObjectList *list, bool active, char **names, int maxnames)
{
    int n = 0;
    size_t i;

    for (i = 0; i < list->entries->len && n < maxnames; i++) {
        const virObjectListEntry *e = g_ptr_array_index(list->entries, i);

        if (e->active == active)
            names[n++] = g_strdup(e->name);
    }
    return n;
}

bool
virObjectListFilterGroup(unsigned int flags, unsigned int yes, unsigned int no, bool value)
{
    if (!(flags & (yes | no)))
        return true;
    return value ? (flags & yes) != 0 : (flags & no) != 0;
}

bool
virObjectListEntryMatches(const virObjectListEntry *entry, unsigned int flags)
{
    return virObjectListFilterGroup(flags, 1 << 1, 1 << 0, entry->active) &&
           virObjectListFilterGroup(flags, 1 << 2, 1 << 3, entry->persistent) &&
           virObjectListFilterGroup(flags, 1 << 4, 1 << 5, entry->autostart);
}
