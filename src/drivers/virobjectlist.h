/*
 * virobjectlist.h: a list of named objects with UUIDs and a definition
 * (virXMLTree), the state libvirt keeps for networks, storage pools,
 * interfaces and node devices: active, persistent, autostart, and the
 * definition in force (def) beside the persistent one to go back to
 * (newDef, while active).
 *
 * The rules are libvirt's virNetworkObjAssignDef / virStoragePoolObjListAdd
 * (the same for both kinds, with their nouns in the messages): an object
 * is found by UUID, then by name; a UUID with another name, or a name with
 * another UUID, is refused ("NOUN 'x' is already defined with uuid U",
 * "NOUN 'x' already exists with uuid U"); a live definition of an active
 * object may be refused ("NOUN is already active as 'x'").
 *
 * Locking: none; the owner (a driver) locks around every use. Entries
 * stay valid until removed or the list is freed. Lists and names come out
 * sorted by name.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "virpublic.h"
#include "virxmltree.h"

typedef struct _virObjectListEntry virObjectListEntry;
struct _virObjectListEntry {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    bool active;
    bool persistent;
    bool autostart;
    virXMLTree *def;            /* in force (the live one while active) */
    virXMLTree *newDef;         /* the persistent one to take back, or NULL */
    void *priv;                 /* the kind's own data (freed with privFree) */
};

typedef struct _virObjectList virObjectList;

/* noun: "network", "pool" (libvirt's messages, reported from errDomain:
 * VIR_FROM_NETWORK, VIR_FROM_STORAGE, ...) */
virObjectList *virObjectListNew(const char *noun, int errDomain, GDestroyNotify privFree);
void virObjectListFree(virObjectList *list);

size_t virObjectListSize(const virObjectList *list);
virObjectListEntry *virObjectListAt(const virObjectList *list, size_t i);
virObjectListEntry *virObjectListFindByName(const virObjectList *list, const char *name);
virObjectListEntry *virObjectListFindByUUID(const virObjectList *list, const unsigned char *uuid);

/* Add def (consumed on success) for name / uuid, or give an existing
 * object a new definition: live (the running one), or persistent (its
 * config: newDef while active, else def; the object becomes persistent).
 * checkLive refuses a live definition for an active object. A new object
 * is inactive, persistent unless live. NULL with the error. */
virObjectListEntry *virObjectListAssignDef(virObjectList *list, const char *name,
                                           const unsigned char *uuid, virXMLTree *def,
                                           bool live, bool checkLive);
/* The checks of virObjectListAssignDef alone: 0, or -1 with the error. */
int virObjectListCheckDef(const virObjectList *list, const char *name,
                          const unsigned char *uuid, bool checkLive);
/* For objects known by name only (interfaces, node devices): replace the
 * definition of the object called name, or add it (inactive, persistent);
 * def is consumed. */
virObjectListEntry *virObjectListAssignDefByName(virObjectList *list, const char *name,
                                                 virXMLTree *def);
/* The persistent definition: newDef, else def. */
virXMLTree *virObjectListEntryPersistentDef(const virObjectListEntry *entry);
void virObjectListRemove(virObjectList *list, virObjectListEntry *entry);
/* The object stopped (libvirt's virStoragePoolUpdateInactive): inactive,
 * its persistent definition in force again, or removed when transient.
 * Returns true when it was removed (entry is gone). */
bool virObjectListEntryDeactivate(virObjectList *list, virObjectListEntry *entry);

/* The same, or NULL with libvirt's not-found error: code (e.g.
 * VIR_ERR_NO_NETWORK) from errDomain, "no NOUN with matching name 'x'" /
 * "... uuid 'u'" (what: "network", "storage pool", ...). */
virObjectListEntry *virObjectListGetByName(const virObjectList *list, const char *name,
                                           int errDomain, int code, const char *what);
virObjectListEntry *virObjectListGetByUUID(const virObjectList *list, const unsigned char *uuid,
                                           int errDomain, int code, const char *what);

int virObjectListCount(const virObjectList *list, bool active);
/* At most maxnames names (copies), sorted: the count stored. */
int virObjectListGetNames(const virObjectList *list, bool active, char **names, int maxnames);

/* libvirt's list-all filter groups, the same bits for networks, pools and
 * interfaces: INACTIVE 1 / ACTIVE 2, PERSISTENT 4 / TRANSIENT 8,
 * AUTOSTART 16 / NO_AUTOSTART 32; within a group, no bit means no filter. */
bool virObjectListEntryMatches(const virObjectListEntry *entry, unsigned int flags);
/* One group: true when neither bit is set or the one for value is. */
bool virObjectListFilterGroup(unsigned int flags, unsigned int yes, unsigned int no, bool value);
