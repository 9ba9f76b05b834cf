/*
 * virdomaindef.h: a domain definition (the <domain> XML) as an object.
 *
 * Parsing uses libxml2 with the network and entity expansion off (a
 * document declaring entities is refused). The parser models what the
 * drivers act on (name, uuid, memory, vcpus, os, idmap, lifecycle actions) and
 * keeps every other child of <domain> and of <os> (devices, features,
 * clock, metadata, namespaced elements, ...) as an XML subtree that the
 * formatter writes back unchanged, in libvirt's element order.
 *
 * Defaults filled in at parse time, as libvirt does: a random (v4) UUID
 * when none is given, currentMemory = memory, 1 vCPU, placement 'static',
 * <boot dev='hd'/> for an hvm guest with no kernel and no boot order,
 * <clock offset='utc'/>, an empty <devices>, lifecycle actions
 * destroy/restart/destroy. The architecture is left to the driver.
 *
 * Errors are reported with libvirt's codes: XML_DETAIL for XML that is not
 * well formed, XML_ERROR / CONFIG_UNSUPPORTED / NO_NAME / INTERNAL_ERROR
 * for invalid content (the same codes as libvirt's domain parser), and a
 * failed parse returns NULL without side effects.
 *
 * Objects are plain data: no locking, no libxml2 pointers kept, safe to
 * use from any thread; parsing may run in several threads at once.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>
#include <libxml/tree.h>

#include "virdomaintypes.h"

/* Elements in this namespace (libvirt's test-driver extensions such as
 * <test:runstate>) are read by the test driver and dropped by the parser. */
#define VIR_DOMAIN_TEST_NAMESPACE_HREF "http://libvirt.org/schemas/domain/test/1.0"

/* CPUs a cpuset may name (libvirt's VIR_DOMAIN_CPUMASK_LEN). */
#define VIR_DOMAIN_CPUMASK_BITS 16384

typedef enum {
    VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY = 0,
    VIR_DOMAIN_LIFECYCLE_ACTION_RESTART,
    VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME,
    VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE,
    VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY,
    VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART,
} virDomainLifecycleAction;

/* One IOThread of <iothreadids> (libvirt's list, in its order). autofill:
 * made up to reach the <iothreads> count, so not written in <iothreadids>
 * unless another one is; poolMin / poolMax: thread_pool_min / _max, -1
 * when absent. */
typedef struct {
    unsigned int id;
    bool autofill;
    int poolMin;
    int poolMax;
} virDomainIOThreadIDDef;

/* One line of <idmap> (<uid> or <gid>): IDs start .. start+count-1 of the
 * container are target .. of the host (a user namespace's map). */
typedef struct {
    unsigned int start;
    unsigned int target;
    unsigned int count;
} virDomainIdMapEntry;

/* A kept XML subtree (opaque). */
typedef struct _virDomainXMLNode virDomainXMLNode;

typedef struct _virDomainDef virDomainDef;
struct _virDomainDef {
    char *virtType;                 /* <domain type='...'> */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    unsigned long long memory;      /* KiB */
    unsigned long long currentMemory; /* KiB */
    /* <memtune>, KiB; VIR_DOMAIN_MEMORY_PARAM_UNLIMITED when not set */
    unsigned long long hardLimit;
    unsigned long long softLimit;
    unsigned long long minGuarantee;
    unsigned long long swapHardLimit;
    unsigned int maxVcpus;          /* <vcpu>N</vcpu> */
    unsigned int vcpus;             /* current='...' (== maxVcpus when absent) */
    char *vcpuPlacement;            /* "static" or "auto" */
    char *vcpuCpuset;               /* cpuset='...' or NULL */
    virDomainIOThreadIDDef *iothreadids;    /* <iothreads>, <iothreadids> */
    size_t niothreadids;

    char *osType;                   /* hvm, xen, linux, exe, uml, xenpvh */
    char *osArch;                   /* NULL: the driver's default */
    char *osMachine;
    char **bootDevs;                /* fd, hd, cdrom, network */
    size_t nbootDevs;
    char *kernel;
    char *initrd;
    char *cmdline;
    char *init;
    char **initargs;
    size_t ninitargs;

    /* <idmap>: the <uid>s and <gid>s of every <idmap>, each list sorted by
     * start; both or neither, the lowest start 0 (libvirt's checks) */
    virDomainIdMapEntry *uidmap;
    size_t nuidmap;
    virDomainIdMapEntry *gidmap;
    size_t ngidmap;

    int onPoweroff;                 /* virDomainLifecycleAction */
    int onReboot;
    int onCrash;

    virDomainXMLNode **extra;       /* kept children of <domain> */
    size_t nextra;
    virDomainXMLNode **osExtra;     /* kept children of <os> */
    size_t nosExtra;
};

/* xml: a whole document whose root is <domain>. */
virDomainDef *virDomainDefParseString(const char *xml);
/* root: a <domain> element of a document parsed by the caller. */
virDomainDef *virDomainDefParseNode(xmlNodePtr root);
/* The same with flags: VIR_DOMAIN_DEF_PARSE_SKIP_VALIDATE leaves out
 * libvirt's validation of the whole definition (its checks done after
 * parsing: today the <idmap> rules), as libvirt does for XML it wrote
 * itself, such as domxml-from-native's. */
#define VIR_DOMAIN_DEF_PARSE_SKIP_VALIDATE (1U << 0)
virDomainDef *virDomainDefParseStringFlags(const char *xml, unsigned int flags);
virDomainDef *virDomainDefParseNodeFlags(xmlNodePtr root, unsigned int flags);
/* id >= 0 adds id='N' to <domain> (a running domain's live XML). */
char *virDomainDefFormat(const virDomainDef *def, int id);
virDomainDef *virDomainDefCopy(const virDomainDef *def);
void virDomainDefFree(virDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainDef, virDomainDefFree);

/* Parse a document (network access and entities off) and check its root
 * element's name. docName names it in error messages, as libvirt's
 * "(domain_definition):3: MESSAGE\nLINE\n---^" (libxml2's first fatal
 * error, VIR_ERR_XML_DETAIL); errDomain is the error domain of those
 * messages and of "failed to parse xml document 'NAME'" (libvirt: the
 * caller's, e.g. VIR_FROM_DOMAIN for domain XML, VIR_FROM_TEST for node
 * files). The caller frees with xmlFreeDoc. */
xmlDocPtr virDomainXMLParseString(const char *xml, const char *docName, const char *rootName,
                                  int errDomain);
xmlDocPtr virDomainXMLParseFile(const char *path, const char *rootName, int errDomain);

const char *virDomainLifecycleActionToString(int action);

/* IOThreads: the index of id in def->iothreadids or -1; add one at the
 * end (not autofilled); delete one (those after it stop being autofilled,
 * as libvirt keeps their ids written once the sequence has a hole). */
int virDomainIOThreadIDIndex(const virDomainDef *def, unsigned int id);
void virDomainIOThreadIDAdd(virDomainDef *def, unsigned int id);
void virDomainIOThreadIDDel(virDomainDef *def, unsigned int id);

/* Kept elements, read and edited:
 * - the children of <devices> called name ("disk", "interface"), in
 *   document order: a new array of borrowed nodes;
 * - an attribute of a node, or of its first child element called child;
 * - the text of a top-level element (<title>, <description>), or NULL
 *   when absent; setting NULL or "" removes the element;
 * - the element of <metadata> in namespace uri, formatted, or NULL; set
 *   replaces it (xml NULL: removes it), its elements renamed to prefix key
 *   (VIR_ERR_XML_ERROR when xml is not well formed). */
/* - the text of <parent><child> (a kept element such as <cputune><shares>),
 *   or NULL; set replaces it (text NULL: removes it, and the parent once
 *   it has no element left), a new child going where order (libvirt's
 *   order of parent's children, NULL ended) puts it. */
/* An unsigned attribute as libvirt's virXMLPropUInt reads it (base:
 * strtoul's, 0 for any; no sign; at most UINT_MAX), with its errors
 * (VIR_FROM_XML): missing when required ("Missing required attribute
 * ..."), invalid, zero when nonzero. Absent and not required: 0, *value 0. */
int virDomainXMLPropUInt(xmlNodePtr node, const char *attr, int base, bool required,
                         bool nonzero, unsigned int *value);
char *virDomainDefGetChildText(const virDomainDef *def, const char *parent, const char *child);
void virDomainDefSetChildText(virDomainDef *def, const char *parent, const char *child,
                              const char *text, const char *const *order);
GPtrArray *virDomainDefDevices(const virDomainDef *def, const char *name);
const char *virDomainXMLNodeAttr(const virDomainXMLNode *node, const char *child,
                                 const char *attr);
const char *virDomainXMLNodeName(const virDomainXMLNode *node);
char *virDomainDefGetText(const virDomainDef *def, const char *name);
void virDomainDefSetText(virDomainDef *def, const char *name, const char *text);
char *virDomainDefGetMetadataElement(const virDomainDef *def, const char *uri);
int virDomainDefSetMetadataElement(virDomainDef *def, const char *xml, const char *key,
                                   const char *uri);

/* Editing kept elements (libvirt's tunables that live in the XML):
 * - TopElement: the child of <domain> called name, created at its place
 *   when create (else NULL when absent); DropEmpty removes it once it has
 *   no element and no attribute left;
 * - GetChild: the first child element called name, or NULL; Children: a
 *   new array of the borrowed child elements called name (NULL: all);
 * - AddChildOrdered: a new empty child element, put where order (libvirt's
 *   order of the parent's children, NULL ended; names not in it go last)
 *   puts it; EnsureChild: GetChild, else AddChildOrdered;
 * - RemoveChildren: every child element called name; RemoveChild: that
 *   one (freed);
 * - SetAttr: replace or append (value NULL: remove); Text: the element's
 *   text, stripped (a new string); SetText: the text as its only child. */
virDomainXMLNode *virDomainDefTopElement(virDomainDef *def, const char *name, bool create);
void virDomainDefDropEmpty(virDomainDef *def, const char *name);
virDomainXMLNode *virDomainXMLNodeGetChild(const virDomainXMLNode *node, const char *name);
GPtrArray *virDomainXMLNodeChildren(const virDomainXMLNode *node, const char *name);
bool virDomainXMLNodeHasElements(const virDomainXMLNode *node);
/* A disk's <iotune> children in libvirt's order (that of
 * GET_BLOCK_IO_TUNE's answer): unsigned long long numbers, but for the
 * group name at VIR_DOMAIN_IOTUNE_GROUP. */
#define VIR_DOMAIN_NIOTUNE 20
#define VIR_DOMAIN_IOTUNE_GROUP 13
extern const char *const virDomainIotuneParams[VIR_DOMAIN_NIOTUNE];
/* libvirt's order of <cputune>'s children (a kept <cputune> is in it). */
extern const char *const virDomainCputuneOrder[];
virDomainXMLNode *virDomainXMLNodeAddChildOrdered(virDomainXMLNode *node, const char *name,
                                                  const char *const *order);
virDomainXMLNode *virDomainXMLNodeEnsureChild(virDomainXMLNode *node, const char *name,
                                              const char *const *order);
void virDomainXMLNodeRemoveChildren(virDomainXMLNode *node, const char *name);
void virDomainXMLNodeRemoveChild(virDomainXMLNode *node, virDomainXMLNode *child);
void virDomainXMLNodeSetAttr(virDomainXMLNode *node, const char *name, const char *value);
char *virDomainXMLNodeText(const virDomainXMLNode *node);
void virDomainXMLNodeSetText(virDomainXMLNode *node, const char *text);

/* Kept nodes as objects: a copy of an element of a document the caller
 * parsed (a device's XML), a deep copy, freeing one that is not (or no
 * longer) in a definition. */
virDomainXMLNode *virDomainXMLNodeFromXML(xmlNodePtr elem);
virDomainXMLNode *virDomainXMLNodeCopy(const virDomainXMLNode *src);
void virDomainXMLNodeFree(virDomainXMLNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainXMLNode, virDomainXMLNodeFree);

/* Devices (children of <devices>), as libvirt's device calls edit them:
 * - AddDevice takes dev over and puts it in front of before (a device of
 *   the definition) or, before NULL, after every device of its kind and of
 *   the kinds libvirt writes earlier (its formatter's order);
 * - RemoveDevice removes and frees one (a node of virDomainDefDevices);
 * - ReplaceDevice puts dev (taken over) in old's place, freeing old. */
void virDomainDefAddDevice(virDomainDef *def, virDomainXMLNode *dev,
                           const virDomainXMLNode *before);
void virDomainDefRemoveDevice(virDomainDef *def, const virDomainXMLNode *dev);
void virDomainDefReplaceDevice(virDomainDef *def, const virDomainXMLNode *old,
                               virDomainXMLNode *dev);

/* UUIDs: 32 hex digits, dashes anywhere, surrounding blanks allowed.
 * Parse returns 0 or -1 (no error reported). */
int virDomainUUIDParse(const char *str, unsigned char *uuid);
void virDomainUUIDFormat(const unsigned char *uuid, char *str /* VIR_UUID_STRING_BUFLEN */);
void virDomainUUIDGenerate(unsigned char *uuid);
