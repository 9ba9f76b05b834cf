/*
 * virsecretdef.c: secret definitions, see virsecretdef.h.
 */
#include <string.h>

#include "virsecretdef.h"
#include "virxmltree.h"
#include "virdomaindef.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_SECRET

/* By usage type: its name and the element holding its identifier. */
static const struct {
    const char *name;
    const char *element;
    const char *missing;        /* libvirt's message when it is absent */
} virSecretUsages[VIR_SECRET_USAGE_TYPE_LAST] = {
    { "none", NULL, NULL },
    { "volume", "volume", "volume usage specified, but volume path is missing" },
    { "ceph", "name", "Ceph usage specified, but name is missing" },
    { "iscsi", "target", "iSCSI usage specified, but target is missing" },
    { "tls", "name", "TLS usage specified, but name is missing" },
    { "vtpm", "name", "vTPM usage specified, but name is missing" },
};

const char *
virSecretUsageTypeName(int type)
{
    return type >= 0 && type < VIR_SECRET_USAGE_TYPE_LAST ? virSecretUsages[type].name : NULL;
}

void
virSecretDefFree(virSecretDef *def)
{
    if (!def)
        return;
    g_free(def->description);
    g_free(def->usageID);
    g_free(def);
}

/* XPath's string(): NULL for an empty value, as libvirt's virXPathString. */
static char *
virSecretText(const char *text)
{
    return text && *text ? g_strdup(text) : NULL;
}

static int
virSecretParseYesNo(const virXMLTree *tree, const char *attr, bool *value)
{
    const char *v = virXMLTreeAttr(tree, attr);

    if (!v || !*v)
        return 0;
    if (strcmp(v, "yes") == 0) {
        *value = true;
    } else if (strcmp(v, "no") == 0) {
        *value = false;
    } else {
        virReportError(VIR_ERR_XML_ERROR, "invalid value of '%s'", attr);
        return -1;
    }
    return 0;
}

static int
virSecretParseUsage(const virXMLTree *usage, virSecretDef *def)
{
    const char *type = virXMLTreeAttr(usage, "type");
    int i;

    if (!type || !*type) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "unknown secret usage type");
        return -1;
    }
    for (i = 0; i < VIR_SECRET_USAGE_TYPE_LAST; i++) {
        if (strcmp(virSecretUsages[i].name, type) == 0)
            break;
    }
    if (i == VIR_SECRET_USAGE_TYPE_LAST) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown secret usage type %s", type);
        return -1;
    }
    def->usageType = i;
    if (!virSecretUsages[i].element)
        return 0;
    if (!(def->usageID = virSecretText(virXMLTreeChildText(usage,
                                                           virSecretUsages[i].element)))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", virSecretUsages[i].missing);
        return -1;
    }
    return 0;
}

virSecretDef *
virSecretDefParseString(const char *xml)
{
    g_autoptr(virXMLTree) tree = virXMLTreeParse(xml, "(definition_of_secret)", "secret",
                                                 VIR_FROM_SECRET);
    g_autoptr(virSecretDef) def = NULL;
    g_autofree char *uuid = NULL;
    virXMLTree *usage;

    if (!tree)
        return NULL;
    def = g_new0(virSecretDef, 1);
    if (virSecretParseYesNo(tree, "ephemeral", &def->ephemeral) < 0 ||
        virSecretParseYesNo(tree, "private", &def->isPrivate) < 0)
        return NULL;
    if (!(uuid = virSecretText(virXMLTreeChildText(tree, "uuid")))) {
        virDomainUUIDGenerate(def->uuid);
    } else if (virDomainUUIDParse(uuid, def->uuid) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed uuid element");
        return NULL;
    }
    def->description = virSecretText(virXMLTreeChildText(tree, "description"));
    if ((usage = virXMLTreeChild(tree, "usage", 0)) && virSecretParseUsage(usage, def) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

char *
virSecretDefFormat(const virSecretDef *def)
{
    g_autoptr(virXMLTree) tree = virXMLTreeNew("secret");
    char uuid[VIR_UUID_STRING_BUFLEN];

    virXMLTreeSetAttr(tree, "ephemeral", def->ephemeral ? "yes" : "no");
    virXMLTreeSetAttr(tree, "private", def->isPrivate ? "yes" : "no");
    virDomainUUIDFormat(def->uuid, uuid);
    virXMLTreeSetChildText(tree, "uuid", uuid);
    if (def->description)
        virXMLTreeSetChildText(tree, "description", def->description);
    if (def->usageType != VIR_SECRET_USAGE_TYPE_NONE) {
        virXMLTree *usage = virXMLTreeAddChild(tree, virXMLTreeNew("usage"), -1);

        virXMLTreeSetAttr(usage, "type", virSecretUsages[def->usageType].name);
        virXMLTreeSetChildText(usage, virSecretUsages[def->usageType].element, def->usageID);
    }
    return virXMLTreeFormat(tree);
}
