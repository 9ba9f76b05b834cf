/*
 * virstoragedef.c: storage pool and volume definitions, see
 * virstoragedef.h.
 */
#include <string.h>
#include <glib.h>

#include "virstoragedef.h"
#include "virdomaindef.h"
#include "virobjectlist.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

const char *const virStoragePoolTypeNames[] = {
    "dir", "fs", "netfs", "logical", "disk", "iscsi", "iscsi-direct", "scsi", "mpath",
    "rbd", "sheepdog", "gluster", "zfs", "vstorage", NULL
};

enum {
    POOL_DIR, POOL_FS, POOL_NETFS, POOL_LOGICAL, POOL_DISK, POOL_ISCSI, POOL_ISCSI_DIRECT,
    POOL_SCSI, POOL_MPATH, POOL_RBD, POOL_SHEEPDOG, POOL_GLUSTER, POOL_ZFS, POOL_VSTORAGE,
};

/* The <source> parts a pool type has (libvirt's VIR_STORAGE_POOL_SOURCE_*). */
#define SRC_HOST (1 << 0)
#define SRC_DEVICE (1 << 1)
#define SRC_DIR (1 << 2)
#define SRC_ADAPTER (1 << 3)
#define SRC_NAME (1 << 4)
#define SRC_IQN (1 << 5)
#define SRC_NETWORK (1 << 6)

static const char *const fsFormats[] = {
    "auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs", "gfs2", "vfat", "hfs+",
    "xfs", "ocfs2", "vmfs", NULL
};
static const char *const netfsFormats[] = { "auto", "nfs", "glusterfs", "cifs", NULL };
static const char *const diskFormats[] = {
    "unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun", "lvm2", NULL
};
static const char *const logicalFormats[] = { "unknown", "lvm2", NULL };
/* virStorageFileFormat without "none" */
static const char *const fileFormats[] = {
    "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd", "ploop", "cow",
    "qcow", "qcow2", "qed", "vmdk", NULL
};
static const char *const diskVolFormats[] = {
    "none", "linux", "fat16", "fat32", "linux-swap", "linux-lvm", "linux-raid", "extended", NULL
};

typedef struct {
    unsigned int source;        /* SRC_* */
    const char *const *formats; /* the pool's source formats, or NULL */
    const char *defaultFormat;
    const char *const *volFormats;  /* the volumes' formats, or NULL */
    const char *defaultVolFormat;
} virStoragePoolTypeInfo;

static const virStoragePoolTypeInfo poolTypes[] = {
    [POOL_DIR] = { 0, NULL, NULL, fileFormats, "raw" },
    [POOL_FS] = { SRC_DEVICE, fsFormats, "auto", fileFormats, "raw" },
    [POOL_NETFS] = { SRC_HOST | SRC_DIR, netfsFormats, "auto", fileFormats, "raw" },
    [POOL_LOGICAL] = { SRC_NAME | SRC_DEVICE, logicalFormats, "lvm2", NULL, NULL },
    [POOL_DISK] = { SRC_DEVICE, diskFormats, "unknown", diskVolFormats, "none" },
    [POOL_ISCSI] = { SRC_HOST | SRC_DEVICE | SRC_IQN, NULL, NULL, NULL, NULL },
    [POOL_ISCSI_DIRECT] = { SRC_HOST | SRC_DEVICE | SRC_NETWORK | SRC_IQN, NULL, NULL, NULL,
                            NULL },
    [POOL_SCSI] = { SRC_ADAPTER, NULL, NULL, NULL, NULL },
    [POOL_MPATH] = { 0, NULL, NULL, NULL, NULL },
    [POOL_RBD] = { SRC_HOST | SRC_NETWORK | SRC_NAME, NULL, NULL, fileFormats, "raw" },
    [POOL_SHEEPDOG] = { SRC_HOST | SRC_NETWORK | SRC_NAME, NULL, NULL, NULL, NULL },
    [POOL_GLUSTER] = { SRC_HOST | SRC_NETWORK | SRC_NAME | SRC_DIR, NULL, NULL, fileFormats,
                       "raw" },
    [POOL_ZFS] = { SRC_NAME | SRC_DEVICE, NULL, NULL, NULL, NULL },
    [POOL_VSTORAGE] = { SRC_NAME, NULL, NULL, fileFormats, "raw" },
};

/* libvirt's element and attribute order (virStoragePoolDefFormatBuf). */
static const char *const poolSchema[] = {
    "pool@type",
    "pool/name#",
    "pool/uuid#",
    "pool/features*",
    "pool/source!",
    "pool/source/host@name@port",
    "pool/source/device@path@part_separator",
    "pool/source/device/freeExtent@start@end",
    "pool/source/dir@path",
    "pool/source/adapter*",
    "pool/source/name#",
    "pool/source/initiator*",
    "pool/source/format@type",
    "pool/source/auth*",
    "pool/source/protocol@ver",
    "pool/source/vendor@name",
    "pool/source/product@name",
    "pool/target",
    "pool/target/path#",
    "pool/target/permissions",
    "pool/target/permissions/mode#",
    "pool/target/permissions/owner#",
    "pool/target/permissions/group#",
    "pool/target/permissions/label#",
    "pool/refresh*",
    NULL
};

static const char *const volSchema[] = {
    "volume@type",
    "volume/name#",
    "volume/key#",
    "volume/capacity#@unit",
    "volume/allocation#@unit",
    "volume/target",
    "volume/target/path#",
    "volume/target/format@type",
    "volume/target/permissions",
    "volume/target/permissions/mode#",
    "volume/target/permissions/owner#",
    "volume/target/permissions/group#",
    "volume/target/permissions/label#",
    "volume/target/encryption*",
    "volume/target/compat#",
    "volume/target/clusterSize#@unit",
    "volume/target/features*",
    "volume/backingStore",
    "volume/backingStore/path#",
    "volume/backingStore/format@type",
    "volume/backingStore/permissions*",
    NULL
};

static int
virStorageIndex(const char *const *list, const char *s)
{
    int i;

    for (i = 0; s && list[i]; i++) {
        if (strcmp(list[i], s) == 0)
            return i;
    }
    return -1;
}

static void
virStorageDrop(virXMLTree *parent, const char *name)
{
    virXMLTree *c;

    while ((c = virXMLTreeChild(parent, name, 0))) {
        virXMLTreeRemoveChild(parent, c);
        virXMLTreeFree(c);
    }
}

char *
virStorageSanitizePath(const char *path)
{
    GString *out = g_string_new(NULL);
    const char *cur = path;
    const char *uri = strstr(path, "://");

    if (uri && strchr(path, '/') > uri)
        return g_string_free(g_string_assign(out, path), FALSE);
    if (cur[0] == '/' && cur[1] == '/' && cur[2] != '/') {
        g_string_append(out, "//");
        cur += 2;
    }
    while (*cur) {
        if (*cur != '/') {
            g_string_append_c(out, *cur++);
            continue;
        }
        while (*++cur == '/')
            ;
        if (out->len != 0 && !*cur)
            break;
        g_string_append_c(out, '/');
    }
    return g_string_free(out, FALSE);
}

/* libvirt's virStorageDefParsePerms: mode octal, owner / group ints; the
 * element rewritten as libvirt writes it. */
static int
virStoragePermsCheck(virXMLTree *perms)
{
    const char *mode = virXMLTreeChildText(perms, "mode");
    static const char *const ids[] = { "owner", "group" };
    size_t i;

    if (!perms)
        return 0;
    if (mode) {
        g_autofree char *copy = g_strstrip(g_strdup(mode));
        char *end = NULL;
        guint64 v = g_ascii_strtoull(copy, &end, 8);
        g_autofree char *norm = NULL;

        if (!copy[0] || *end || v > 0777 * 8 + 7) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "malformed octal mode");
            return -1;
        }
        norm = g_strdup_printf("0%o", (unsigned int)v);
        virXMLTreeSetChildText(perms, "mode", norm);
    }
    for (i = 0; i < G_N_ELEMENTS(ids); i++) {
        const char *text = virXMLTreeChildText(perms, ids[i]);
        g_autofree char *copy = NULL;
        char *end = NULL;
        gint64 v;

        if (!text)
            continue;
        copy = g_strstrip(g_strdup(text));
        v = g_ascii_strtoll(copy, &end, 10);
        if (!copy[0] || *end || v < -1 || v > G_MAXINT) {
            virReportError(VIR_ERR_XML_ERROR, "malformed %s element", ids[i]);
            return -1;
        }
        if (v == -1) {
            virStorageDrop(perms, ids[i]);
        } else {
            g_autofree char *norm = g_strdup_printf("%lld", (long long)v);
            virXMLTreeSetChildText(perms, ids[i], norm);
        }
    }
    return 0;
}

/* Replace the <permissions> of a target: mode (octal), owner, group. */
static void
virStorageSetPerms(virXMLTree *target, unsigned int mode, long uid, long gid)
{
    virXMLTree *perms = virXMLTreeChild(target, "permissions", 0);
    g_autofree char *m = g_strdup_printf("0%o", mode);
    g_autofree char *u = g_strdup_printf("%ld", uid);
    g_autofree char *g = g_strdup_printf("%ld", gid);

    if (!perms)
        perms = virXMLTreeAddChild(target, virXMLTreeNew("permissions"), -1);
    virXMLTreeSetChildText(perms, "mode", m);
    virXMLTreeSetChildText(perms, "owner", u);
    virXMLTreeSetChildText(perms, "group", g);
}

/* ---- pools ---- */

int
virStoragePoolDefType(const virXMLTree *def)
{
    return virStorageIndex(virStoragePoolTypeNames, virXMLTreeAttr(def, "type"));
}

const char *
virStoragePoolDefName(const virXMLTree *def)
{
    return virXMLTreeChildText(def, "name");
}

void
virStoragePoolDefUUID(const virXMLTree *def, unsigned char *uuid)
{
    memset(uuid, 0, VIR_UUID_BUFLEN);
    virDomainUUIDParse(virXMLTreeChildText(def, "uuid"), uuid);
}

const char *
virStoragePoolDefTargetPath(const virXMLTree *def)
{
    return virXMLTreeChildText(virXMLTreeChild(def, "target", 0), "path");
}

/* The <source> parts of a pool type (those it lacks dropped), and its
 * format, checked and defaulted. */
static int
virStoragePoolSourceCheck(virXMLTree *src, int type)
{
    const virStoragePoolTypeInfo *info = &poolTypes[type];
    const char *format;

    if (!(info->source & SRC_HOST))
        virStorageDrop(src, "host");
    if (!(info->source & SRC_DEVICE))
        virStorageDrop(src, "device");
    if (!(info->source & SRC_DIR))
        virStorageDrop(src, "dir");
    if (!(info->source & SRC_ADAPTER))
        virStorageDrop(src, "adapter");
    if (!(info->source & SRC_NAME))
        virStorageDrop(src, "name");
    if (!(info->source & SRC_IQN))
        virStorageDrop(src, "initiator");
    if (!info->formats) {
        virStorageDrop(src, "format");
        return 0;
    }
    format = virXMLTreeAttr(virXMLTreeChild(src, "format", 0), "type");
    if (format && virStorageIndex(info->formats, format) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown pool format type %s", format);
        return -1;
    }
    if (!format) {
        virXMLTree *f = virXMLTreeChild(src, "format", 0);

        if (!f)
            f = virXMLTreeAddChild(src, virXMLTreeNew("format"), -1);
        virXMLTreeSetAttr(f, "type", info->defaultFormat);
    }
    return 0;
}

static virXMLTree *
virStoragePoolDefCheck(virXMLTree *tree)
{
    g_autoptr(virXMLTree) def = tree;
    const char *typeName, *uuid;
    virXMLTree *src, *target;
    unsigned char raw[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    unsigned int flags;
    int type;

    virXMLTreeNormalize(def, poolSchema);
    if (!(typeName = virXMLTreeAttr(def, "type"))) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "Missing required attribute 'type' in element 'pool'");
        return NULL;
    }
    if ((type = virStorageIndex(virStoragePoolTypeNames, typeName)) < 0) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "Invalid value for attribute 'type' in element 'pool': '%s'.",
                           typeName);
        return NULL;
    }
    flags = poolTypes[type].source;
    if (!(src = virXMLTreeChild(def, "source", 0)))
        src = virXMLTreeAddChild(def, virXMLTreeNew("source"), -1);
    if (virStoragePoolSourceCheck(src, type) < 0)
        return NULL;
    if (!virStoragePoolDefName(def) && (flags & SRC_NAME) && virXMLTreeChildText(src, "name"))
        virXMLTreeSetChildText(def, "name", virXMLTreeChildText(src, "name"));
    if (!virStoragePoolDefName(def)) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing pool source name element");
        return NULL;
    }
    if (strchr(virStoragePoolDefName(def), '/')) {
        virReportError(VIR_ERR_XML_ERROR, "name %s cannot contain '/'",
                       virStoragePoolDefName(def));
        return NULL;
    }
    if (!(uuid = virXMLTreeChildText(def, "uuid"))) {
        virDomainUUIDGenerate(raw);
    } else if (virDomainUUIDParse(uuid, raw) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "malformed uuid element");
        return NULL;
    }
    virDomainUUIDFormat(raw, uuidstr);
    virXMLTreeSetChildText(def, "uuid", uuidstr);
    if ((flags & SRC_HOST) && !virXMLTreeChild(src, "host", 0)) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing storage pool source host name");
        return NULL;
    }
    if ((flags & SRC_DIR) && !virXMLTreeAttr(virXMLTreeChild(src, "dir", 0), "path")) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing storage pool source path");
        return NULL;
    }
    if ((flags & SRC_NAME) && !virXMLTreeChildText(src, "name"))
        virXMLTreeSetChildText(src, "name", virStoragePoolDefName(def));
    if (flags == SRC_DEVICE && !virXMLTreeChild(src, "device", 0)) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing storage pool source device name");
        return NULL;
    }
    target = virXMLTreeChild(def, "target", 0);
    if (flags & SRC_NETWORK) {
        if (target) {
            virXMLTreeRemoveChild(def, target);
            virXMLTreeFree(target);
        }
    } else {
        g_autofree char *path = NULL;

        if (type == POOL_LOGICAL)
            path = g_strdup_printf("/dev/%s", virXMLTreeChildText(src, "name"));
        else if (type == POOL_ZFS)
            path = g_strdup_printf("/dev/zvol/%s", virXMLTreeChildText(src, "name"));
        else if (virXMLTreeChildText(target, "path"))
            path = g_strdup(virXMLTreeChildText(target, "path"));
        if (!path) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "missing storage pool target path");
            return NULL;
        }
        if (!target)
            target = virXMLTreeAddChild(def, virXMLTreeNew("target"), -1);
        {
            g_autofree char *clean = virStorageSanitizePath(path);
            virXMLTreeSetChildText(target, "path", clean);
        }
        if (virStoragePermsCheck(virXMLTreeChild(target, "permissions", 0)) < 0)
            return NULL;
    }
    if (type == POOL_ISCSI_DIRECT && !virXMLTreeChild(src, "initiator", 0)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "missing initiator IQN");
        return NULL;
    }
    virXMLTreeNormalize(def, poolSchema);
    return g_steal_pointer(&def);
}

virXMLTree *
virStoragePoolDefParseString(const char *xml)
{
    virXMLTree *tree = virXMLTreeParse(xml, "(storage_pool_definition)", "pool",
                                       VIR_FROM_STORAGE);

    return tree ? virStoragePoolDefCheck(tree) : NULL;
}

virXMLTree *
virStoragePoolDefParseNode(xmlNodePtr node)
{
    return virStoragePoolDefCheck(virXMLTreeFromNode(node));
}

/* Insert the sizes (bytes) after the UUID, as libvirt writes them. */
char *
virStoragePoolDefFormat(const virXMLTree *def, unsigned long long capacity,
                        unsigned long long allocation, unsigned long long available)
{
    g_autoptr(virXMLTree) out = virXMLTreeCopy(def);
    const struct {
        const char *name;
        unsigned long long value;
    } sizes[] = { { "capacity", capacity }, { "allocation", allocation },
                  { "available", available } };
    size_t i, at;

    for (at = 0; at < out->nchildren && g_strcmp0(out->children[at]->name, "uuid") != 0; at++)
        ;
    for (i = 0; i < G_N_ELEMENTS(sizes); i++) {
        virXMLTree *e = virXMLTreeNew(sizes[i].name);
        g_autofree char *text = g_strdup_printf("%llu", sizes[i].value);

        virXMLTreeSetAttr(e, "unit", "bytes");
        virXMLTreeSetText(e, text);
        virXMLTreeAddChild(out, e, (ssize_t)(at + 1 + i));
    }
    return virXMLTreeFormat(out);
}

void
virStoragePoolDefSetPerms(virXMLTree *def, unsigned int mode, long uid, long gid)
{
    virXMLTree *target = virXMLTreeChild(def, "target", 0);

    if (target)
        virStorageSetPerms(target, mode, uid, gid);
    virXMLTreeNormalize(def, poolSchema);
}

int
virStoragePoolCheckSourceConflict(const virObjectList *pools, const virXMLTree *def)
{
    size_t i;

    for (i = 0; i < virObjectListSize(pools); i++) {
        virObjectListEntry *e = virObjectListAt(pools, i);

        if (strcmp(e->name, virStoragePoolDefName(def)) != 0 &&
            virStoragePoolDefType(e->def) == POOL_DIR && virStoragePoolDefType(def) == POOL_DIR &&
            g_strcmp0(virStoragePoolDefTargetPath(e->def),
                      virStoragePoolDefTargetPath(def)) == 0) {
            virReportError(VIR_ERR_OPERATION_FAILED, "Storage source conflict with pool: '%s'",
                           e->name);
            return -1;
        }
    }
    return 0;
}

int
virStoragePoolSourceParseHost(const char *xml, char **host)
{
    g_autoptr(virXMLTree) src = virXMLTreeParse(xml, "(storage_source_specification)",
                                                "source", VIR_FROM_STORAGE);

    *host = NULL;
    if (!src)
        return -1;
    *host = g_strdup(virXMLTreeAttr(virXMLTreeChild(src, "host", 0), "name"));
    return 0;
}

/* ---- volumes ---- */

const char *
virStorageVolDefName(const virXMLTree *def)
{
    return virXMLTreeChildText(def, "name");
}

const char *
virStorageVolDefKey(const virXMLTree *def)
{
    return virXMLTreeChildText(def, "key");
}

const char *
virStorageVolDefPath(const virXMLTree *def)
{
    return virXMLTreeChildText(virXMLTreeChild(def, "target", 0), "path");
}

static unsigned long long
virStorageVolDefSize(const virXMLTree *def, const char *element)
{
    unsigned long long v = 0;

    virXMLParseULL(virXMLTreeChildText(def, element), &v);
    return v;
}

unsigned long long
virStorageVolDefCapacity(const virXMLTree *def)
{
    return virStorageVolDefSize(def, "capacity");
}

unsigned long long
virStorageVolDefAllocation(const virXMLTree *def)
{
    return virStorageVolDefSize(def, "allocation");
}

void
virStorageVolDefSetSize(virXMLTree *def, const char *element, unsigned long long bytes)
{
    g_autofree char *text = g_strdup_printf("%llu", bytes);
    virXMLTree *e = virXMLTreeSetChildText(def, element, text);

    virXMLTreeSetAttr(e, "unit", "bytes");
}

void
virStorageVolDefSetKey(virXMLTree *def, const char *key)
{
    virXMLTreeSetChildText(def, "key", key);
    virXMLTreeNormalize(def, volSchema);
}

void
virStorageVolDefSetPath(virXMLTree *def, const char *path)
{
    virXMLTree *target = virXMLTreeChild(def, "target", 0);

    if (!target)
        target = virXMLTreeAddChild(def, virXMLTreeNew("target"), -1);
    virXMLTreeSetChildText(target, "path", path);
    virXMLTreeNormalize(def, volSchema);
}

const char *
virStorageVolDefFormatType(const virXMLTree *def)
{
    return virXMLTreeAttr(virXMLTreeChild(virXMLTreeChild(def, "target", 0), "format", 0),
                          "type");
}

int
virStorageVolTypeForPool(int poolType)
{
    switch (poolType) {
    case POOL_DIR:
    case POOL_FS:
    case POOL_NETFS:
    case POOL_VSTORAGE:
        return VIR_STORAGE_VOL_FILE;
    case POOL_SHEEPDOG:
    case POOL_ISCSI_DIRECT:
    case POOL_GLUSTER:
    case POOL_RBD:
        return VIR_STORAGE_VOL_NETWORK;
    default:
        return VIR_STORAGE_VOL_BLOCK;
    }
}

/* A size element (capacity, allocation) scaled to bytes. */
static int
virStorageVolSizeCheck(virXMLTree *def, const char *element)
{
    virXMLTree *e = virXMLTreeChild(def, element, 0);
    unsigned long long v, bytes;

    if (virXMLParseULL(virXMLTreeText(e), &v) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "malformed capacity element");
        return -1;
    }
    if (virXMLScaleBytes(v, virXMLTreeAttr(e, "unit"), G_MAXINT64, &bytes) < 0)
        return -1;
    virStorageVolDefSetSize(def, element, bytes);
    return 0;
}

/* A format element of a volume or its backing store: checked, defaulted. */
static int
virStorageVolFormatCheck(virXMLTree *target, const virStoragePoolTypeInfo *info)
{
    virXMLTree *f = virXMLTreeChild(target, "format", 0);
    const char *type = virXMLTreeAttr(f, "type");

    if (!info->volFormats) {
        virStorageDrop(target, "format");
        return 0;
    }
    if (type && virStorageIndex(info->volFormats, type) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume format type %s", type);
        return -1;
    }
    if (!f)
        f = virXMLTreeAddChild(target, virXMLTreeNew("format"), -1);
    if (!type)
        virXMLTreeSetAttr(f, "type", info->defaultVolFormat);
    return 0;
}

static virXMLTree *
virStorageVolDefCheck(int poolType, virXMLTree *tree)
{
    static const char *const volTypes[] = {
        "file", "block", "dir", "network", "netdir", "ploop", NULL
    };
    const virStoragePoolTypeInfo *info = &poolTypes[poolType];
    g_autoptr(virXMLTree) def = tree;
    virXMLTree *target, *backing;
    const char *type;

    virXMLTreeNormalize(def, volSchema);
    if (!virStorageVolDefName(def)) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing volume name element");
        return NULL;
    }
    if ((type = virXMLTreeAttr(def, "type")) && virStorageIndex(volTypes, type) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume type '%s'", type);
        return NULL;
    }
    if (!type)
        virXMLTreeSetAttr(def, "type", "file");
    backing = virXMLTreeChild(def, "backingStore", 0);
    if (backing && !virXMLTreeChildText(backing, "path")) {
        virXMLTreeRemoveChild(def, backing);
        virXMLTreeFree(backing);
        backing = NULL;
    }
    if (backing && virStorageVolFormatCheck(backing, info) < 0)
        return NULL;
    if (!virXMLTreeChild(def, "capacity", 0)) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing capacity element");
        return NULL;
    }
    if (virStorageVolSizeCheck(def, "capacity") < 0)
        return NULL;
    if (virXMLTreeChild(def, "allocation", 0)) {
        if (virStorageVolSizeCheck(def, "allocation") < 0)
            return NULL;
    } else {
        virStorageVolDefSetSize(def, "allocation", virStorageVolDefCapacity(def));
    }
    if (!(target = virXMLTreeChild(def, "target", 0)))
        target = virXMLTreeAddChild(def, virXMLTreeNew("target"), -1);
    if (virStorageVolFormatCheck(target, info) < 0 ||
        virStoragePermsCheck(virXMLTreeChild(target, "permissions", 0)) < 0)
        return NULL;
    virXMLTreeNormalize(def, volSchema);
    return g_steal_pointer(&def);
}

virXMLTree *
virStorageVolDefParseString(int poolType, const char *xml)
{
    virXMLTree *tree = virXMLTreeParse(xml, "(storage_volume_definition)", "volume",
                                       VIR_FROM_STORAGE);

    return tree ? virStorageVolDefCheck(poolType, tree) : NULL;
}

virXMLTree *
virStorageVolDefParseNode(int poolType, xmlNodePtr node)
{
    return virStorageVolDefCheck(poolType, virXMLTreeFromNode(node));
}

char *
virStorageVolDefFormat(const virXMLTree *def)
{
    return virXMLTreeFormat(def);
}

virXMLTree *
virStorageVolDefNew(const char *name, const char *path)
{
    virXMLTree *def = virXMLTreeNew("volume");

    virXMLTreeSetAttr(def, "type", "file");
    virXMLTreeSetChildText(def, "name", name);
    virXMLTreeSetChildText(def, "key", path);
    virStorageVolDefSetSize(def, "capacity", 0);
    virStorageVolDefSetSize(def, "allocation", 0);
    virStorageVolDefSetPath(def, path);
    return def;
}

void
virStorageVolDefSetFacts(virXMLTree *def, const char *type, const char *format,
                         unsigned long long capacity, unsigned long long allocation,
                         unsigned int mode, long uid, long gid)
{
    virXMLTree *target = virXMLTreeChild(def, "target", 0);
    virXMLTree *f;

    virXMLTreeSetAttr(def, "type", type);
    virStorageVolDefSetSize(def, "capacity", capacity);
    virStorageVolDefSetSize(def, "allocation", allocation);
    if (!target)
        target = virXMLTreeAddChild(def, virXMLTreeNew("target"), -1);
    if (!(f = virXMLTreeChild(target, "format", 0)))
        f = virXMLTreeAddChild(target, virXMLTreeNew("format"), -1);
    virXMLTreeSetAttr(f, "type", format);
    virStorageSetPerms(target, mode, uid, gid);
    virXMLTreeNormalize(def, volSchema);
}

char *
virStorageVolDefFormatLive(const virXMLTree *def, unsigned long long physical,
                           const struct timespec *times)
{
    g_autoptr(virXMLTree) out = virXMLTreeCopy(def);
    static const char *const names[] = { "atime", "mtime", "ctime" };
    virXMLTree *target = virXMLTreeChild(out, "target", 0);
    size_t at, i;

    if (physical) {
        virXMLTree *e = virXMLTreeNew("physical");
        g_autofree char *text = g_strdup_printf("%llu", physical);

        for (at = 0; at < out->nchildren &&
             g_strcmp0(out->children[at]->name, "allocation") != 0; at++)
            ;
        virXMLTreeSetAttr(e, "unit", "bytes");
        virXMLTreeSetText(e, text);
        virXMLTreeAddChild(out, e, (ssize_t)(at + 1));
    }
    if (target && times) {
        virXMLTree *ts = virXMLTreeNew("timestamps");

        for (at = 0; at < target->nchildren &&
             g_strcmp0(target->children[at]->name, "permissions") != 0; at++)
            ;
        for (i = 0; i < G_N_ELEMENTS(names); i++) {
            g_autofree char *text = NULL;

            if (times[i].tv_nsec)
                text = g_strdup_printf("%llu.%09ld", (unsigned long long)times[i].tv_sec,
                                       times[i].tv_nsec);
            else
                text = g_strdup_printf("%llu", (unsigned long long)times[i].tv_sec);
            virXMLTreeSetChildText(ts, names[i], text);
        }
        virXMLTreeAddChild(target, ts, at < target->nchildren ? (ssize_t)(at + 1) : -1);
    }
    return virXMLTreeFormat(out);
}
