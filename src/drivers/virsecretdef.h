/*
 * virsecretdef.h: secret definitions (the <secret> XML), as libvirt parses
 * and writes them: ephemeral and private flags, UUID (generated when
 * absent), description, usage (type and its one identifying value). The
 * value is not part of a definition.
 *
 * Errors are libvirt's codes and messages (VIR_FROM_SECRET).
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "virpublic.h"

typedef struct _virSecretDef virSecretDef;
struct _virSecretDef {
    unsigned char uuid[VIR_UUID_BUFLEN];
    bool ephemeral;
    bool isPrivate;
    char *description;          /* or NULL */
    int usageType;              /* virSecretUsageType */
    char *usageID;              /* NULL for VIR_SECRET_USAGE_TYPE_NONE */
};

virSecretDef *virSecretDefParseString(const char *xml);
char *virSecretDefFormat(const virSecretDef *def);
void virSecretDefFree(virSecretDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virSecretDef, virSecretDefFree);

/* "none", "volume", "ceph", "iscsi", "tls", "vtpm" */
const char *virSecretUsageTypeName(int type);
