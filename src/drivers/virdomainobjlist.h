/*
 * virdomainobjlist.h: the look-ups, checks and listings every driver makes
 * on its list of domains.
 *
 * The list is the driver's GPtrArray of its own domain structs, each
 * starting with a virDomainObj, in creation order. The caller holds the
 * driver lock that guards the list for every call here.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "virdomainobj.h"

virDomainObj *virDomainObjListFindByUUID(GPtrArray *list, const unsigned char *uuid);
virDomainObj *virDomainObjListFindByName(GPtrArray *list, const char *name);
/* Active domains only. */
virDomainObj *virDomainObjListFindByID(GPtrArray *list, int id);
/* The domain a caller's handle designates (by UUID, as libvirt), or NULL
 * with VIR_ERR_NO_DOMAIN reported in error domain from (the driver's). */
virDomainObj *virDomainObjListFromRef(GPtrArray *list, const virDomainRef *ref, int from);

/* libvirt's checks before a definition is added or replaces one: returns
 * the domain of the same UUID and name, NULL for a new one, or NULL with
 * *err set and the error reported (another domain has the name or the
 * UUID; live, for createXML: the domain is active or being started). */
virDomainObj *virDomainObjListCheckAssign(GPtrArray *list, const virDomainDef *def,
                                          bool live, bool *err);

int virDomainObjListCount(GPtrArray *list, bool active);
/* At most max IDs of active domains, in ascending order; returns how many. */
int virDomainObjListGetActiveIDs(GPtrArray *list, int *ids, int max);
/* At most max names (caller frees) of inactive domains, sorted. */
int virDomainObjListGetInactiveNames(GPtrArray *list, char **names, int max);
/* virConnectListAllDomains: the domains that pass flags' filters, as refs
 * sorted by name; returns the count. */
int virDomainObjListExport(GPtrArray *list, unsigned int flags, virDomainRef ***doms);
