/*
 * virdomaindef.c: domain definitions, see virdomaindef.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "virdomaindef.h"
#include "vircpumap.h"
#include "virerror.h"
#include "virlog.h"
#include "virpublic.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

VIR_LOG_INIT("drivers.domaindef");

/* ------------------------------------------------------------------ */
/* Kept subtrees                                                       */

struct _virDomainXMLNode {
    char *name;                 /* qualified element name; NULL: text node */
    char *text;                 /* a text node's content */
    char **attrs;               /* name, value, name, value, ... */
    size_t nattrs;              /* pairs */
    virDomainXMLNode **children;
    size_t nchildren;
    int rank;                   /* order among siblings when formatted */
};

void
virDomainXMLNodeFree(virDomainXMLNode *node)
{
    size_t i;

    if (!node)
        return;
    g_free(node->name);
    g_free(node->text);
    for (i = 0; i < node->nattrs * 2; i++)
        g_free(node->attrs[i]);
    g_free(node->attrs);
    for (i = 0; i < node->nchildren; i++)
        virDomainXMLNodeFree(node->children[i]);
    g_free(node->children);
    g_free(node);
}

virDomainXMLNode *
virDomainXMLNodeCopy(const virDomainXMLNode *src)
{
    virDomainXMLNode *node = g_new0(virDomainXMLNode, 1);
    size_t i;

    node->name = g_strdup(src->name);
    node->text = g_strdup(src->text);
    node->rank = src->rank;
    node->nattrs = src->nattrs;
    if (src->nattrs) {
        node->attrs = g_new0(char *, src->nattrs * 2);
        for (i = 0; i < src->nattrs * 2; i++)
            node->attrs[i] = g_strdup(src->attrs[i]);
    }
    node->nchildren = src->nchildren;
    if (src->nchildren) {
        node->children = g_new0(virDomainXMLNode *, src->nchildren);
        for (i = 0; i < src->nchildren; i++)
            node->children[i] = virDomainXMLNodeCopy(src->children[i]);
    }
    return node;
}

static void
virDomainXMLNodeAddAttr(virDomainXMLNode *node, const char *name, const char *value)
{
    node->attrs = g_renew(char *, node->attrs, (node->nattrs + 1) * 2);
    node->attrs[node->nattrs * 2] = g_strdup(name);
    node->attrs[node->nattrs * 2 + 1] = g_strdup(value);
    node->nattrs++;
}

static void
virDomainXMLNodeAddChild(virDomainXMLNode *node, virDomainXMLNode *child)
{
    node->children = g_renew(virDomainXMLNode *, node->children, node->nchildren + 1);
    node->children[node->nchildren++] = child;
}

static char *
virDomainXMLQName(xmlNsPtr ns, const xmlChar *name)
{
    if (ns && ns->prefix)
        return g_strdup_printf("%s:%s", (const char *)ns->prefix, (const char *)name);
    return g_strdup((const char *)name);
}

static bool
virDomainXMLIsBlank(const char *s)
{
    for (; s && *s; s++) {
        if (!g_ascii_isspace(*s))
            return false;
    }
    return true;
}

static virDomainXMLNode *
virDomainXMLNodeFromElement(xmlNodePtr elem)
{
    virDomainXMLNode *node = g_new0(virDomainXMLNode, 1);
    xmlNsPtr ns;
    xmlAttrPtr attr;
    xmlNodePtr cur;
    bool hasElement = false;
    bool hasText = false;

    node->name = virDomainXMLQName(elem->ns, elem->name);
    for (ns = elem->nsDef; ns; ns = ns->next) {
        g_autofree char *decl = ns->prefix ? g_strdup_printf("xmlns:%s", (const char *)ns->prefix)
                                           : g_strdup("xmlns");
        virDomainXMLNodeAddAttr(node, decl, (const char *)ns->href);
    }
    for (attr = elem->properties; attr; attr = attr->next) {
        g_autofree char *name = virDomainXMLQName(attr->ns, attr->name);
        xmlChar *value = xmlNodeGetContent((xmlNodePtr)attr);
        virDomainXMLNodeAddAttr(node, name, value ? (const char *)value : "");
        xmlFree(value);
    }

    /* Blank text between child elements is layout, not content: drop it
     * unless the element has real text (mixed content is kept verbatim). */
    for (cur = elem->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE)
            hasElement = true;
        else if ((cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) &&
                 !virDomainXMLIsBlank((const char *)cur->content))
            hasText = true;
    }
    for (cur = elem->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE) {
            virDomainXMLNodeAddChild(node, virDomainXMLNodeFromElement(cur));
        } else if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) {
            virDomainXMLNode *text;
            if (hasElement && !hasText)
                continue;
            text = g_new0(virDomainXMLNode, 1);
            text->text = g_strdup(cur->content ? (const char *)cur->content : "");
            virDomainXMLNodeAddChild(node, text);
        }
        /* comments and processing instructions are dropped, as libvirt does */
    }
    return node;
}

/* Namespaces used inside the subtree but declared on an ancestor are
 * declared again on the subtree's root, so it stands alone. */
static void
virDomainXMLCollectNs(xmlNodePtr elem, GPtrArray *declared, GPtrArray *used)
{
    xmlNsPtr ns;
    xmlAttrPtr attr;
    xmlNodePtr cur;

    for (ns = elem->nsDef; ns; ns = ns->next)
        g_ptr_array_add(declared, ns);
    if (elem->ns)
        g_ptr_array_add(used, elem->ns);
    for (attr = elem->properties; attr; attr = attr->next) {
        if (attr->ns)
            g_ptr_array_add(used, attr->ns);
    }
    for (cur = elem->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE)
            virDomainXMLCollectNs(cur, declared, used);
    }
}

static bool
virDomainXMLNodeHasAttr(const virDomainXMLNode *node, const char *name)
{
    size_t i;

    for (i = 0; i < node->nattrs; i++) {
        if (strcmp(node->attrs[i * 2], name) == 0)
            return true;
    }
    return false;
}

static virDomainXMLNode *
virDomainXMLKeep(xmlNodePtr elem, int rank)
{
    virDomainXMLNode *node = virDomainXMLNodeFromElement(elem);
    g_autoptr(GPtrArray) declared = g_ptr_array_new();
    g_autoptr(GPtrArray) used = g_ptr_array_new();
    size_t i, j;

    node->rank = rank;
    virDomainXMLCollectNs(elem, declared, used);
    for (i = 0; i < used->len; i++) {
        xmlNsPtr ns = g_ptr_array_index(used, i);
        g_autofree char *decl = NULL;
        bool found = false;

        for (j = 0; j < declared->len && !found; j++)
            found = g_ptr_array_index(declared, j) == ns;
        if (found)
            continue;
        decl = ns->prefix ? g_strdup_printf("xmlns:%s", (const char *)ns->prefix)
                          : g_strdup("xmlns");
        if (!virDomainXMLNodeHasAttr(node, decl))
            virDomainXMLNodeAddAttr(node, decl, (const char *)ns->href);
    }
    return node;
}

static bool
virDomainXMLNodeFind(const virDomainXMLNode *node, const char *name, int depth)
{
    size_t i;

    if (node->name && strcmp(node->name, name) == 0)
        return true;
    if (depth == 0)
        return false;
    for (i = 0; i < node->nchildren; i++) {
        if (virDomainXMLNodeFind(node->children[i], name, depth - 1))
            return true;
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Formatting helpers                                                  */

static void
virBufEscape(GString *buf, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': g_string_append(buf, "&amp;"); break;
        case '<': g_string_append(buf, "&lt;"); break;
        case '>': g_string_append(buf, "&gt;"); break;
        case '\'': g_string_append(buf, "&apos;"); break;
        case '"': g_string_append(buf, "&quot;"); break;
        default: g_string_append_c(buf, *s); break;
        }
    }
}

static void
virBufEscapeAttr(GString *buf, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '\n': g_string_append(buf, "&#10;"); break;
        case '\r': g_string_append(buf, "&#13;"); break;
        case '\t': g_string_append(buf, "&#9;"); break;
        default: {
            char c[2] = { *s, 0 };
            virBufEscape(buf, c);
        }
        }
    }
}

static void
virBufIndent(GString *buf, int indent)
{
    int i;

    for (i = 0; i < indent; i++)
        g_string_append_c(buf, ' ');
}

/* <name>text</name> with escaping, on its own line. */
static void
virBufElement(GString *buf, int indent, const char *name, const char *text)
{
    virBufIndent(buf, indent);
    g_string_append_printf(buf, "<%s>", name);
    virBufEscape(buf, text);
    g_string_append_printf(buf, "</%s>\n", name);
}

static void
virDomainXMLNodeFormatInline(GString *buf, const virDomainXMLNode *node)
{
    size_t i;

    if (!node->name) {
        virBufEscape(buf, node->text);
        return;
    }
    g_string_append_printf(buf, "<%s", node->name);
    for (i = 0; i < node->nattrs; i++) {
        g_string_append_printf(buf, " %s='", node->attrs[i * 2]);
        virBufEscapeAttr(buf, node->attrs[i * 2 + 1]);
        g_string_append_c(buf, '\'');
    }
    if (!node->nchildren) {
        g_string_append(buf, "/>");
        return;
    }
    g_string_append_c(buf, '>');
    for (i = 0; i < node->nchildren; i++)
        virDomainXMLNodeFormatInline(buf, node->children[i]);
    g_string_append_printf(buf, "</%s>", node->name);
}

static void
virDomainXMLNodeFormat(GString *buf, const virDomainXMLNode *node, int indent,
                       bool openEmpty)
{
    size_t i;
    bool elementsOnly = true;

    for (i = 0; i < node->nchildren; i++) {
        if (!node->children[i]->name)
            elementsOnly = false;
    }
    virBufIndent(buf, indent);
    if (!elementsOnly || (!node->nchildren && !openEmpty)) {
        virDomainXMLNodeFormatInline(buf, node);
        g_string_append_c(buf, '\n');
        return;
    }
    g_string_append_printf(buf, "<%s", node->name);
    for (i = 0; i < node->nattrs; i++) {
        g_string_append_printf(buf, " %s='", node->attrs[i * 2]);
        virBufEscapeAttr(buf, node->attrs[i * 2 + 1]);
        g_string_append_c(buf, '\'');
    }
    g_string_append(buf, ">\n");
    for (i = 0; i < node->nchildren; i++)
        virDomainXMLNodeFormat(buf, node->children[i], indent + 2, false);
    virBufIndent(buf, indent);
    g_string_append_printf(buf, "</%s>\n", node->name);
}

/* ------------------------------------------------------------------ */
/* Tables                                                              */

/* libvirt's order of <domain> children; a kept element is written at its
 * name's place, unknown and namespaced ones at the end. */
static const char *const domainChildOrder[] = {
    "name", "uuid", "genid", "title", "description", "metadata", "maxMemory",
    "memory", "currentMemory", "blkiotune", "memtune", "memoryBacking",
    "vcpu", "vcpus", "iothreads", "iothreadids", "defaultiothread", "cputune",
    "numatune", "resource", "sysinfo", "bootloader", "bootloader_args",
    "os", "idmap", "features", "cpu", "clock", "on_poweroff", "on_reboot",
    "on_crash", "on_lockfailure", "pm", "perf", "devices", "seclabel",
    "keywrap", "launchSecurity",
};

static const char *const osChildOrder[] = {
    "type", "firmware", "init", "initarg", "initenv", "initdir", "inituser",
    "initgroup", "loader", "nvram", "kernel", "initrd", "cmdline", "shim",
    "dtb", "root", "acpi", "boot", "bootmenu", "smbios", "bios",
};

static int
virDomainRank(const char *const *order, size_t n, xmlNodePtr elem)
{
    size_t i;

    if (elem->ns)
        return (int)n;
    for (i = 0; i < n; i++) {
        if (strcmp(order[i], (const char *)elem->name) == 0)
            return (int)i;
    }
    return (int)n;
}

static int
virDomainRankOf(const char *const *order, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(order[i], name) == 0)
            return (int)i;
    }
    return (int)n;
}

#define DOMAIN_RANK(name) virDomainRankOf(domainChildOrder, G_N_ELEMENTS(domainChildOrder), name)
#define OS_RANK(name) virDomainRankOf(osChildOrder, G_N_ELEMENTS(osChildOrder), name)

static const char *const virtTypes[] = {
    "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test", "vmware",
    "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", "ch", "hvf", NULL
};

static const char *const osTypes[] = {
    "hvm", "xen", "linux", "exe", "uml", "xenpvh", NULL
};

static const char *const archNames[] = {
    "alpha", "armv6l", "armv7l", "armv7b", "aarch64", "cris", "i686", "ia64",
    "lm32", "loongarch64", "m68k", "microblaze", "microblazeel", "mips",
    "mipsel", "mips64", "mips64el", "openrisc", "parisc", "parisc64", "ppc",
    "ppcle", "ppc64", "ppc64le", "ppcemb", "riscv32", "riscv64", "s390",
    "s390x", "sh4", "sh4eb", "sparc", "sparc64", "unicore32", "x86_64",
    "xtensa", "xtensaeb", NULL
};

static const char *const bootDevNames[] = {
    "fd", "hd", "cdrom", "network", NULL
};

static const char *const lifecycleActions[] = {
    [VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY] = "destroy",
    [VIR_DOMAIN_LIFECYCLE_ACTION_RESTART] = "restart",
    [VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME] = "rename-restart",
    [VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE] = "preserve",
    [VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY] = "coredump-destroy",
    [VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART] = "coredump-restart",
};

const char *
virDomainLifecycleActionToString(int action)
{
    if (action < 0 || (size_t)action >= G_N_ELEMENTS(lifecycleActions))
        return NULL;
    return lifecycleActions[action];
}

static bool
virStringInList(const char *const *list, const char *s)
{
    for (; *list; list++) {
        if (strcmp(*list, s) == 0)
            return true;
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* UUIDs                                                               */

int
virDomainUUIDParse(const char *str, unsigned char *uuid)
{
    const char *cur = str;
    size_t i;

    if (!str)
        return -1;
    while (g_ascii_isspace(*cur))
        cur++;
    for (i = 0; i < VIR_UUID_BUFLEN; i++) {
        int hi, lo;

        while (*cur == '-')
            cur++;
        if ((hi = g_ascii_xdigit_value(cur[0])) < 0 ||
            (lo = g_ascii_xdigit_value(cur[1])) < 0)
            return -1;
        uuid[i] = (unsigned char)(hi << 4 | lo);
        cur += 2;
    }
    while (*cur) {
        if (!g_ascii_isspace(*cur))
            return -1;
        cur++;
    }
    return 0;
}

void
virDomainUUIDFormat(const unsigned char *uuid, char *str)
{
    g_snprintf(str, VIR_UUID_STRING_BUFLEN,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7],
               uuid[8], uuid[9], uuid[10], uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
}

void
virDomainUUIDGenerate(unsigned char *uuid)
{
    g_autofree char *str = g_uuid_string_random();

    if (virDomainUUIDParse(str, uuid) < 0)
        g_assert_not_reached();
}

/* ------------------------------------------------------------------ */
/* Documents                                                           */

static void
virDomainXMLInit(void)
{
    static gsize initialized;

    if (g_once_init_enter(&initialized)) {
        xmlInitParser();
        g_once_init_leave(&initialized, 1);
    }
}

static xmlDocPtr
virDomainXMLCheckDoc(xmlDocPtr doc, const char *rootName, int errDomain)
{
    xmlNodePtr root;

    if (doc->intSubset && (doc->intSubset->entities || doc->intSubset->pentities)) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "%s", "entity declarations are not allowed");
        xmlFreeDoc(doc);
        return NULL;
    }
    root = xmlDocGetRootElement(doc);
    if (!root) {
        virErrorReportFull(errDomain, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__, __LINE__,
                           "%s", "missing root element");
        xmlFreeDoc(doc);
        return NULL;
    }
    if (rootName && strcmp((const char *)root->name, rootName) != 0) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "expecting root element of '%s', not '%s'",
                           rootName, (const char *)root->name);
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* No network, no entity substitution, no DTD loading, no warnings; errors
 * go to virDomainXMLCatchError (not to stderr). */
#define VIR_XML_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

/* The parser context's _private while parsing: the first fatal error. */
typedef struct {
    char *message;
} virDomainXMLParseData;

/* libxml2's error callback (ctxt->sax->error, ctx is the parser context).
 * Keeps the text of the first fatal error only, as libvirt does (its
 * catchXMLError reports the first and ignores the rest, which often are
 * consequences of the first): "FILE:LINE: MESSAGE" followed by the line
 * of the document where the parser stopped and a "----^" under the
 * position; libvirt's exact layout, "(null)" for an empty line included. */
static void
virDomainXMLCatchError(void *ctx, const char *msg G_GNUC_UNUSED, ...)
{
    xmlParserCtxtPtr ctxt = ctx;
    virDomainXMLParseData *data;
    const xmlChar *cur, *base;
    g_autoptr(GString) context = NULL;
    g_autoptr(GString) pointer = NULL;
    size_t n, col;

    if (!ctxt || !(data = ctxt->_private) || data->message || !ctxt->input ||
        ctxt->lastError.level != XML_ERR_FATAL || !ctxt->lastError.message)
        return;

    cur = ctxt->input->cur;
    base = ctxt->input->base;
    /* back over end-of-lines, then to the beginning of the line */
    while (cur > base && (*cur == '\n' || *cur == '\r'))
        cur--;
    while (cur > base && *cur != '\n' && *cur != '\r')
        cur--;
    if (*cur == '\n' || *cur == '\r')
        cur++;
    col = ctxt->input->cur - cur;
    context = g_string_new(NULL);
    while (*cur && *cur != '\n' && *cur != '\r')
        g_string_append_c(context, (char)*cur++);
    pointer = g_string_new(NULL);
    for (n = 0; n < col && n < context->len; n++)
        g_string_append_c(pointer, context->str[n] == '\t' ? '\t' : '-');
    g_string_append_c(pointer, '^');

    if (ctxt->lastError.file)
        data->message = g_strdup_printf("%s:%d: %s%s\n%s", ctxt->lastError.file,
                                        ctxt->lastError.line, ctxt->lastError.message,
                                        context->len ? context->str : "(null)", pointer->str);
    else
        data->message = g_strdup_printf("at line %d: %s%s\n%s", ctxt->lastError.line,
                                        ctxt->lastError.message,
                                        context->len ? context->str : "(null)", pointer->str);
}

xmlDocPtr
virDomainXMLParseString(const char *xml, const char *docName, const char *rootName,
                        int errDomain)
{
    virDomainXMLParseData data = { NULL };
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    size_t len;

    virDomainXMLInit();
    if (!xml) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "missing XML document");
        return NULL;
    }
    len = strlen(xml);
    if (len > INT_MAX) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "document too large");
        return NULL;
    }
    if (!(ctxt = xmlNewParserCtxt()) || !ctxt->sax) {
        if (ctxt)
            xmlFreeParserCtxt(ctxt);
        virReportError(VIR_ERR_NO_MEMORY, "%s", "");
        return NULL;
    }
    ctxt->_private = &data;
    ctxt->sax->error = virDomainXMLCatchError;
    doc = xmlCtxtReadMemory(ctxt, xml, (int)len, docName, NULL, VIR_XML_PARSE_OPTIONS);
    if (!doc || !ctxt->wellFormed) {
        if (data.message)
            virErrorReportFull(errDomain, VIR_ERR_XML_DETAIL, __FILE__, __func__, __LINE__,
                               "%s", data.message);
        else
            virErrorReportFull(errDomain, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                               "failed to parse xml document '%s'",
                               docName ? docName : "[inline data]");
        g_free(data.message);
        if (doc)
            xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    g_free(data.message);
    xmlFreeParserCtxt(ctxt);
    return virDomainXMLCheckDoc(doc, rootName, errDomain);
}

xmlDocPtr
virDomainXMLParseFile(const char *path, const char *rootName, int errDomain)
{
    g_autofree char *content = NULL;

    /* libvirt: the file's path names it in messages; a file that cannot
     * be read is "failed to parse xml document 'PATH'" (no reason) */
    if (!g_file_get_contents(path, &content, NULL, NULL)) {
        virErrorReportFull(errDomain, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "failed to parse xml document '%s'", path);
        return NULL;
    }
    return virDomainXMLParseString(content, path, rootName, errDomain);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

static char *
virXMLText(xmlNodePtr node)
{
    xmlChar *content = xmlNodeGetContent(node);
    char *ret = g_strdup(content ? (const char *)content : "");

    xmlFree(content);
    return ret;
}

static char *
virXMLProp(xmlNodePtr node, const char *name)
{
    xmlChar *value = xmlGetNoNsProp(node, (const xmlChar *)name);
    char *ret = value ? g_strdup((const char *)value) : NULL;

    xmlFree(value);
    return ret;
}

/* Digits only, blanks around allowed. */
static int
virParseULL(const char *text, unsigned long long *value)
{
    g_autofree char *copy = g_strstrip(g_strdup(text));
    char *end = NULL;

    if (!copy[0] || !g_ascii_isdigit(copy[0]))
        return -1;
    errno = 0;
    *value = g_ascii_strtoull(copy, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    return 0;
}

/* Scale value (in unit, KiB when absent) to KiB, rounding up, as libvirt
 * does: "b"/"bytes", k/K/KiB = 1024, KB = 1000, and so on up to E. */
static int
virDomainParseMemory(xmlNodePtr node, const char *elemName, unsigned long long *kib)
{
    g_autofree char *text = virXMLText(node);
    g_autofree char *unit = virXMLProp(node, "unit");
    unsigned long long value, scale = 1024, bytes;
    const unsigned long long limit = (unsigned long long)LLONG_MAX;

    if (virParseULL(text, &value) < 0) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "Invalid value '%s' for element or attribute './%s[1]'",
                           text, elemName);
        return -1;
    }
    if (unit && *unit) {
        int power = 0;
        unsigned long long base;
        size_t i;

        if (g_ascii_strcasecmp(unit, "b") == 0 || g_ascii_strcasecmp(unit, "byte") == 0 ||
            g_ascii_strcasecmp(unit, "bytes") == 0) {
            scale = 1;
        } else {
            switch (g_ascii_tolower(unit[0])) {
            case 'k': power = 1; break;
            case 'm': power = 2; break;
            case 'g': power = 3; break;
            case 't': power = 4; break;
            case 'p': power = 5; break;
            case 'e': power = 6; break;
            default: power = 0; break;
            }
            if (power && (!unit[1] || g_ascii_strcasecmp(unit + 1, "iB") == 0))
                base = 1024;
            else if (power && g_ascii_tolower(unit[1]) == 'b' && !unit[2])
                base = 1000;
            else
                power = 0;
            if (!power) {
                virErrorReportFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __FILE__, __func__,
                                   __LINE__, "unknown suffix '%s'", unit);
                return -1;
            }
            scale = 1;
            for (i = 0; i < (size_t)power; i++)
                scale *= base;
        }
    }
    if (value > limit / scale) {
        virErrorReportFull(VIR_FROM_NONE, VIR_ERR_OVERFLOW, __FILE__, __func__, __LINE__,
                           "value too large: %llu%s", value, unit ? unit : "");
        return -1;
    }
    bytes = value * scale;
    *kib = bytes / 1024 + (bytes % 1024 ? 1 : 0);
    return 0;
}

/* <memtune>'s limits (other children are not kept) */
static int
virDomainParseMemtune(virDomainDef *def, xmlNodePtr memtune)
{
    xmlNodePtr cur;

    for (cur = memtune->children; cur; cur = cur->next) {
        unsigned long long *field = NULL;

        if (cur->type != XML_ELEMENT_NODE || cur->ns)
            continue;
        if (strcmp((const char *)cur->name, "hard_limit") == 0)
            field = &def->hardLimit;
        else if (strcmp((const char *)cur->name, "soft_limit") == 0)
            field = &def->softLimit;
        else if (strcmp((const char *)cur->name, "min_guarantee") == 0)
            field = &def->minGuarantee;
        else if (strcmp((const char *)cur->name, "swap_hard_limit") == 0)
            field = &def->swapHardLimit;
        if (field && virDomainParseMemory(cur, (const char *)cur->name, field) < 0)
            return -1;
    }
    return 0;
}

static int
virDomainParseLifecycle(xmlNodePtr node, const char *elemName, bool crash, int *action)
{
    g_autofree char *text = g_strstrip(virXMLText(node));
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(lifecycleActions); i++) {
        if (strcmp(lifecycleActions[i], text) == 0)
            break;
    }
    if (i == G_N_ELEMENTS(lifecycleActions)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown %s action: %s", elemName, text);
        return -1;
    }
    if (!crash && (i == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY ||
                   i == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Lifecycle event '%s' doesn't support '%s' action", elemName, text);
        return -1;
    }
    *action = (int)i;
    return 0;
}

/* libvirt's virXMLProp*Int refusals of an attribute (from VIR_FROM_XML) */
static void
virDomainAttrInvalid(const char *elem, const char *name, const char *detail)
{
    virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                       "Invalid value for attribute '%s' in element '%s': %s", name, elem, detail);
}

static void
virDomainAttrMissing(const char *elem, const char *name)
{
    virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                       "Missing required attribute '%s' in element '%s'", name, elem);
}

/* An int attribute of an IOThread (id: required, not negative nor zero;
 * the others not negative); absent: -1. */
static int
virDomainParseIOThreadAttr(xmlNodePtr node, const char *name, bool isId, long long *value)
{
    g_autofree char *text = virXMLProp(node, name);
    g_autofree char *detail = NULL;
    char *end = NULL;

    *value = -1;
    if (!text) {
        if (!isId)
            return 0;
        virDomainAttrMissing("iothread", name);
        return -1;
    }
    errno = 0;
    *value = g_ascii_strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || *value > INT_MAX ||
        (isId && (*value < 0 || text[0] == '-'))) {
        detail = g_strdup_printf("'%s'. Expected %s", text,
                                 isId ? "non-negative integer value" : "integer value");
    } else if (*value < 0) {
        detail = g_strdup_printf("'%s'. Expected non-negative value", text);
    } else if (isId && *value == 0) {
        detail = g_strdup("Zero is not permitted");
    }
    if (detail) {
        virDomainAttrInvalid("iothread", name, detail);
        return -1;
    }
    return 0;
}

/* <iothreads>N</iothreads> (the first) and every <iothreadids><iothread>:
 * the listed ids, then autofilled ones (the lowest free) up to N. */
static int
virDomainParseIOThreads(virDomainDef *def, xmlNodePtr root)
{
    unsigned long long count = 0;
    bool haveCount = false;
    xmlNodePtr cur, child;
    unsigned int next = 1;

    for (cur = root->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE || cur->ns)
            continue;
        if (strcmp((const char *)cur->name, "iothreads") == 0 && !haveCount) {
            g_autofree char *text = virXMLText(cur);

            haveCount = true;
            if (virParseULL(text, &count) < 0 || count > UINT_MAX) {
                virReportError(VIR_ERR_XML_ERROR, "invalid iothreads count '%s'", text);
                return -1;
            }
        } else if (strcmp((const char *)cur->name, "iothreadids") == 0) {
            for (child = cur->children; child; child = child->next) {
                virDomainIOThreadIDDef thr = { 0, false, -1, -1 };
                long long v;

                if (child->type != XML_ELEMENT_NODE || child->ns ||
                    strcmp((const char *)child->name, "iothread") != 0)
                    continue;
                if (virDomainParseIOThreadAttr(child, "id", true, &v) < 0)
                    return -1;
                thr.id = (unsigned int)v;
                if (virDomainParseIOThreadAttr(child, "thread_pool_min", false, &v) < 0)
                    return -1;
                thr.poolMin = (int)v;
                if (virDomainParseIOThreadAttr(child, "thread_pool_max", false, &v) < 0)
                    return -1;
                thr.poolMax = (int)v;
                if (virDomainIOThreadIDIndex(def, thr.id) >= 0) {
                    virReportError(VIR_ERR_XML_ERROR, "duplicate iothread id '%u' found",
                                   thr.id);
                    return -1;
                }
                def->iothreadids = g_renew(virDomainIOThreadIDDef, def->iothreadids,
                                           def->niothreadids + 1);
                def->iothreadids[def->niothreadids++] = thr;
            }
        }
    }
    while (def->niothreadids < count) {
        virDomainIOThreadIDDef thr = { 0, true, -1, -1 };

        while (virDomainIOThreadIDIndex(def, next) >= 0)
            next++;
        thr.id = next;
        def->iothreadids = g_renew(virDomainIOThreadIDDef, def->iothreadids,
                                   def->niothreadids + 1);
        def->iothreadids[def->niothreadids++] = thr;
    }
    return 0;
}

int
virDomainIOThreadIDIndex(const virDomainDef *def, unsigned int id)
{
    size_t i;

    for (i = 0; i < def->niothreadids; i++) {
        if (def->iothreadids[i].id == id)
            return (int)i;
    }
    return -1;
}

void
virDomainIOThreadIDAdd(virDomainDef *def, unsigned int id)
{
    virDomainIOThreadIDDef thr = { id, false, -1, -1 };

    def->iothreadids = g_renew(virDomainIOThreadIDDef, def->iothreadids, def->niothreadids + 1);
    def->iothreadids[def->niothreadids++] = thr;
}

void
virDomainIOThreadIDDel(virDomainDef *def, unsigned int id)
{
    int idx = virDomainIOThreadIDIndex(def, id);
    size_t i;

    if (idx < 0)
        return;
    for (i = (size_t)idx + 1; i < def->niothreadids; i++)
        def->iothreadids[i].autofill = false;
    memmove(def->iothreadids + idx, def->iothreadids + idx + 1,
            (def->niothreadids - idx - 1) * sizeof(*def->iothreadids));
    def->niothreadids--;
}

/* A cpuset attribute as libvirt reads one: a bitmap of at most libvirt's
 * mask length, naming a CPU, its errors. */
static int
virDomainParseCPUSet(const char *cpuset, virCPUMap *map)
{
    if (!virCPUMapParse(cpuset, 0, map) || virCPUMapLast(map) >= VIR_DOMAIN_CPUMASK_BITS) {
        g_clear_pointer(&map->bits, g_free);
        virErrorReportFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                           "Failed to parse bitmap '%s'", cpuset);
        return -1;
    }
    if (virCPUMapLast(map) < 0) {
        g_clear_pointer(&map->bits, g_free);
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Invalid value of 'cpuset': %s", cpuset);
        return -1;
    }
    return 0;
}

static int
virDomainParseVcpu(virDomainDef *def, xmlNodePtr node)
{
    g_autofree char *text = virXMLText(node);
    g_autofree char *placement = virXMLProp(node, "placement");
    g_autofree char *current = virXMLProp(node, "current");
    unsigned long long value;

    if (virParseULL(text, &value) < 0) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "Invalid value '%s' for element or attribute './vcpu[1]'", text);
        return -1;
    }
    if (value == 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "vCPU count must be greater than 0");
        return -1;
    }
    if (value > USHRT_MAX) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "vCPU count %llu exceeds the limit of %u",
                       value, USHRT_MAX);
        return -1;
    }
    def->maxVcpus = def->vcpus = (unsigned int)value;
    if (current) {
        unsigned long long cur;

        if (virParseULL(current, &cur) < 0 || cur == 0) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "Invalid current vcpus count");
            return -1;
        }
        if (cur > value) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "maximum vCPU count must not be less than current vCPU count");
            return -1;
        }
        def->vcpus = (unsigned int)cur;
    }
    if (placement) {
        if (strcmp(placement, "static") != 0 && strcmp(placement, "auto") != 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Unsupported CPU placement mode '%s'", placement);
            return -1;
        }
        g_free(def->vcpuPlacement);
        def->vcpuPlacement = g_steal_pointer(&placement);
    }
    def->vcpuCpuset = virXMLProp(node, "cpuset");
    /* checked and kept as libvirt formats it, unless placement is auto
     * (libvirt does not read it then) */
    if (def->vcpuCpuset && g_strcmp0(def->vcpuPlacement, "auto") != 0) {
        virCPUMap map = { NULL, 0 };

        if (virDomainParseCPUSet(def->vcpuCpuset, &map) < 0)
            return -1;
        g_free(def->vcpuCpuset);
        def->vcpuCpuset = virCPUMapFormat(&map);
        g_free(map.bits);
    }
    return 0;
}

static void
virStrListAppend(char ***list, size_t *n, char *s)
{
    *list = g_renew(char *, *list, *n + 1);
    (*list)[(*n)++] = s;
}

static int
virDomainParseOs(virDomainDef *def, xmlNodePtr os)
{
    xmlNodePtr cur;

    for (cur = os->children; cur; cur = cur->next) {
        const char *name = (const char *)cur->name;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (cur->ns && cur->ns->href &&
            strcmp((const char *)cur->ns->href, VIR_DOMAIN_TEST_NAMESPACE_HREF) == 0)
            continue;
        if (cur->ns) {
            /* fall through to keep */
        } else if (strcmp(name, "type") == 0) {
            if (def->osType)
                continue;
            def->osType = g_strstrip(virXMLText(cur));
            def->osArch = virXMLProp(cur, "arch");
            def->osMachine = virXMLProp(cur, "machine");
            continue;
        } else if (strcmp(name, "boot") == 0) {
            char *dev = virXMLProp(cur, "dev");

            if (!dev) {
                virReportError(VIR_ERR_XML_ERROR, "%s", "missing boot device");
                return -1;
            }
            if (!virStringInList(bootDevNames, dev)) {
                virReportError(VIR_ERR_XML_ERROR, "unknown boot device '%s'", dev);
                g_free(dev);
                return -1;
            }
            virStrListAppend(&def->bootDevs, &def->nbootDevs, dev);
            continue;
        } else if (strcmp(name, "initarg") == 0) {
            virStrListAppend(&def->initargs, &def->ninitargs, virXMLText(cur));
            continue;
        } else if (strcmp(name, "kernel") == 0 || strcmp(name, "initrd") == 0 ||
                   strcmp(name, "cmdline") == 0 || strcmp(name, "init") == 0) {
            char **field = name[0] == 'k' ? &def->kernel :
                           strcmp(name, "initrd") == 0 ? &def->initrd :
                           name[0] == 'c' ? &def->cmdline : &def->init;
            if (!*field)
                *field = virXMLText(cur);
            continue;
        }
        def->osExtra = g_renew(virDomainXMLNode *, def->osExtra, def->nosExtra + 1);
        def->osExtra[def->nosExtra++] =
            virDomainXMLKeep(cur, virDomainRank(osChildOrder, G_N_ELEMENTS(osChildOrder), cur));
    }

    if (!def->osType || !def->osType[0]) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "an os <type> must be specified");
        return -1;
    }
    if (!virStringInList(osTypes, def->osType)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown OS type '%s'", def->osType);
        return -1;
    }
    if (def->osArch && !virStringInList(archNames, def->osArch)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Unknown architecture %s", def->osArch);
        return -1;
    }
    return 0;
}

static void
virDomainDefAddExtra(virDomainDef *def, virDomainXMLNode *node)
{
    def->extra = g_renew(virDomainXMLNode *, def->extra, def->nextra + 1);
    def->extra[def->nextra++] = node;
}

static bool
virDomainDefHasExtra(const virDomainDef *def, const char *name)
{
    size_t i;

    for (i = 0; i < def->nextra; i++) {
        if (strcmp(def->extra[i]->name, name) == 0)
            return true;
    }
    return false;
}

/* ---- a disk's <iotune> numbers, checked as libvirt's parser does ---- */

const char *const virDomainIotuneParams[VIR_DOMAIN_NIOTUNE] = {
    VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC, VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC,
    VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC, VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC,
    VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC, VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC,
    VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX, VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC_MAX,
    VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC_MAX, VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC_MAX,
    VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC_MAX, VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC_MAX,
    VIR_DOMAIN_BLOCK_IOTUNE_SIZE_IOPS_SEC, VIR_DOMAIN_BLOCK_IOTUNE_GROUP_NAME,
    VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH,
    VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC_MAX_LENGTH,
    VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC_MAX_LENGTH,
    VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC_MAX_LENGTH,
    VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC_MAX_LENGTH,
    VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC_MAX_LENGTH,
};

/* The first element called name among the children of parent's children
 * called middle (XPath string(./middle/name) picks it), or NULL. */
static xmlNodePtr
virDomainFirstGrandchild(xmlNodePtr parent, const char *middle, const char *name)
{
    xmlNodePtr m, c;

    for (m = parent->children; m; m = m->next) {
        if (m->type != XML_ELEMENT_NODE || m->ns || strcmp((const char *)m->name, middle) != 0)
            continue;
        for (c = m->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE && !c->ns && strcmp((const char *)c->name, name) == 0)
                return c;
        }
    }
    return NULL;
}

/* Each disk's throttling values: empty or absent is unset, anything else
 * must read as an unsigned long long (strtoull's syntax without a minus,
 * as libvirt's). */
static int
virDomainCheckIotune(xmlNodePtr root)
{
    xmlNodePtr devices, disk;
    size_t k;

    for (devices = root->children; devices; devices = devices->next) {
        if (devices->type != XML_ELEMENT_NODE || devices->ns ||
            strcmp((const char *)devices->name, "devices") != 0)
            continue;
        for (disk = devices->children; disk; disk = disk->next) {
            if (disk->type != XML_ELEMENT_NODE || disk->ns ||
                strcmp((const char *)disk->name, "disk") != 0)
                continue;
            for (k = 0; k < VIR_DOMAIN_NIOTUNE; k++) {
                xmlNodePtr e = virDomainFirstGrandchild(disk, "iotune", virDomainIotuneParams[k]);
                g_autofree char *text = e ? virXMLText(e) : NULL;
                char *end = NULL;

                if (k == VIR_DOMAIN_IOTUNE_GROUP || !text || !*text)
                    continue;
                errno = 0;
                (void)g_ascii_strtoull(text, &end, 10);
                if (errno != 0 || end == text || *end != '\0' ||
                    *g_strchug(text) == '-') {      /* no sign (virStrToLong_ullp) */
                    virReportError(VIR_ERR_XML_ERROR, "disk iotune field '%s' must be an integer",
                                   virDomainIotuneParams[k]);
                    return -1;
                }
            }
        }
    }
    return 0;
}

/* ---- <cputune>'s pins, checked as libvirt's parser checks them ---- */


int
virDomainXMLPropUInt(xmlNodePtr node, const char *attr, int base, bool required, bool nonzero,
                     unsigned int *value)
{
    g_autofree char *text = virXMLProp(node, attr);
    g_autofree char *copy = NULL;
    unsigned long long v;
    char *end = NULL;

    *value = 0;
    if (!text) {
        if (!required)
            return 0;
        virDomainAttrMissing((const char *)node->name, attr);
        return -1;
    }
    copy = g_strstrip(g_strdup(text));
    errno = 0;
    v = g_ascii_isdigit(copy[0]) ? g_ascii_strtoull(copy, &end, base) : 0;
    if (!g_ascii_isdigit(copy[0]) || errno || *end || v > UINT_MAX) {
        g_autofree char *detail =
            g_strdup_printf("'%s'. Expected non-negative integer value", text);

        virDomainAttrInvalid((const char *)node->name, attr, detail);
        return -1;
    }
    if (nonzero && v == 0) {
        virDomainAttrInvalid((const char *)node->name, attr, "Zero is not permitted");
        return -1;
    }
    *value = (unsigned int)v;
    return 0;
}

/* A pin's id attribute (required, digits, not zero when nonzero). */
static int
virDomainParsePinID(xmlNodePtr node, const char *attr, bool nonzero, unsigned int *id)
{
    return virDomainXMLPropUInt(node, attr, 10, true, nonzero, id);
}

/* A pin's cpuset: present, valid (virDomainParseCPUSet). */
static int
virDomainCheckPinCPUSet(xmlNodePtr node)
{
    g_autofree char *cpuset = virXMLProp(node, "cpuset");
    virCPUMap map = { NULL, 0 };

    if (!cpuset) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "missing cpuset for %s", (const char *)node->name);
        return -1;
    }
    if (virDomainParseCPUSet(cpuset, &map) < 0)
        return -1;
    g_free(map.bits);
    return 0;
}

/* The <cputune> pins of the document, in libvirt's order: every
 * <vcpupin> (one for a vCPU past the maximum is dropped later, as libvirt
 * ignores it), at most one <emulatorpin>, every <iothreadpin> (of an
 * IOThread the definition has). */
static int
virDomainCheckPins(const virDomainDef *def, xmlNodePtr root)
{
    static const char *const kinds[] = { "vcpupin", "emulatorpin", "iothreadpin" };
    g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    size_t k;

    for (k = 0; k < G_N_ELEMENTS(kinds); k++) {
        int nemulator = 0;
        xmlNodePtr tune, pin;

        g_hash_table_remove_all(seen);
        for (tune = root->children; tune; tune = tune->next) {
            if (tune->type != XML_ELEMENT_NODE || tune->ns ||
                strcmp((const char *)tune->name, "cputune") != 0)
                continue;
            for (pin = tune->children; pin; pin = pin->next) {
                unsigned int id = 0;

                if (pin->type != XML_ELEMENT_NODE || pin->ns ||
                    strcmp((const char *)pin->name, kinds[k]) != 0)
                    continue;
                if (k == 0) {
                    if (virDomainParsePinID(pin, "vcpu", false, &id) < 0)
                        return -1;
                    if (id >= def->maxVcpus)
                        continue;
                } else if (k == 1) {
                    if (++nemulator > 1) {
                        virReportError(VIR_ERR_XML_ERROR, "%s", "only one emulatorpin is supported");
                        return -1;
                    }
                } else {
                    if (virDomainParsePinID(pin, "iothread", true, &id) < 0)
                        return -1;
                    if (virDomainIOThreadIDIndex(def, id) < 0) {
                        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Cannot find 'iothread' : %u", id);
                        return -1;
                    }
                }
                /* libvirt: a vCPU's duplicate before its cpuset, an IOThread's after */
                if (k == 0 && !xmlHasProp(pin, BAD_CAST "cpuset")) {
                    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing cpuset for vcpupin");
                    return -1;
                }
                if (k == 0 && !g_hash_table_add(seen, GUINT_TO_POINTER(id + 1))) {
                    virReportError(VIR_ERR_INTERNAL_ERROR, "duplicate vcpupin for vcpu '%u'", id);
                    return -1;
                }
                if (virDomainCheckPinCPUSet(pin) < 0)
                    return -1;
                if (k == 2 && !g_hash_table_add(seen, GUINT_TO_POINTER(id + 1))) {
                    virReportError(VIR_ERR_INTERNAL_ERROR,
                                   "duplicate iothreadpin for same iothread '%u'", id);
                    return -1;
                }
            }
        }
    }
    return 0;
}

static void virDomainXMLNodeRemoveIf(virDomainXMLNode *node,
                                     bool (*match)(const virDomainXMLNode *c, const void *data),
                                     const void *data);

static void virDomainXMLNodeSortChildren(virDomainXMLNode *node, const char *const *order);

static bool
virDomainPinIsPastMaxVcpus(const virDomainXMLNode *c, const void *data)
{
    const virDomainDef *def = data;
    const char *v;

    if (strcmp(c->name, "vcpupin") != 0 || !(v = virDomainXMLNodeAttr(c, NULL, "vcpu")))
        return false;
    return g_ascii_strtoull(v, NULL, 10) >= def->maxVcpus;
}

/* ---- <idmap>: a user namespace's uid and gid maps ---- */

/* A number as libvirt's virStrToLong_uip reads it: strtoul's syntax in
 * base 10 (leading blanks and '+' allowed), no minus, nothing after it,
 * at most UINT_MAX. */
static int
virDomainParseIdmapNumber(const char *text, unsigned int *value)
{
    unsigned long long v;
    char *end = NULL;

    if (!text)
        return -1;
    errno = 0;
    v = g_ascii_strtoull(text, &end, 10);
    if (errno || end == text || *end || memchr(text, '-', (size_t)(end - text)) ||
        v > UINT_MAX)
        return -1;
    *value = (unsigned int)v;
    return 0;
}

static int
virDomainIdMapEntryCompare(const void *a, const void *b)
{
    const virDomainIdMapEntry *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

/* Every <idmap>'s <uid> and <gid> (libvirt reads them all, whatever the
 * number of <idmap>s; other children are dropped), each list sorted by
 * start, then libvirt's two checks: both maps or neither, and the root
 * of the container (start 0) mapped. Overlaps are the kernel's business
 * when the map is written at start, as in libvirt. */
static int
virDomainParseIdmap(virDomainDef *def, xmlNodePtr root)
{
    xmlNodePtr idmap, cur;

    for (idmap = root->children; idmap; idmap = idmap->next) {
        if (idmap->type != XML_ELEMENT_NODE || idmap->ns ||
            strcmp((const char *)idmap->name, "idmap") != 0)
            continue;
        for (cur = idmap->children; cur; cur = cur->next) {
            bool uid = cur->type == XML_ELEMENT_NODE && !cur->ns &&
                       strcmp((const char *)cur->name, "uid") == 0;
            bool gid = cur->type == XML_ELEMENT_NODE && !cur->ns &&
                       strcmp((const char *)cur->name, "gid") == 0;
            g_autofree char *start = NULL, *target = NULL, *count = NULL;
            virDomainIdMapEntry e;

            if (!uid && !gid)
                continue;
            start = virXMLProp(cur, "start");
            target = virXMLProp(cur, "target");
            count = virXMLProp(cur, "count");
            if (virDomainParseIdmapNumber(start, &e.start) < 0 ||
                virDomainParseIdmapNumber(target, &e.target) < 0 ||
                virDomainParseIdmapNumber(count, &e.count) < 0) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "invalid idmap start/target/count settings");
                return -1;
            }
            if (uid) {
                def->uidmap = g_renew(virDomainIdMapEntry, def->uidmap, def->nuidmap + 1);
                def->uidmap[def->nuidmap++] = e;
            } else {
                def->gidmap = g_renew(virDomainIdMapEntry, def->gidmap, def->ngidmap + 1);
                def->gidmap[def->ngidmap++] = e;
            }
        }
    }
    if (def->nuidmap)
        qsort(def->uidmap, def->nuidmap, sizeof(*def->uidmap), virDomainIdMapEntryCompare);
    if (def->ngidmap)
        qsort(def->gidmap, def->ngidmap, sizeof(*def->gidmap), virDomainIdMapEntryCompare);
    return 0;
}

/* libvirt's validation of the maps (after the whole definition parsed). */
static int
virDomainCheckIdmap(const virDomainDef *def)
{
    if (!def->nuidmap != !def->ngidmap) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "uid and gid should be mapped both");
        return -1;
    }
    if ((def->nuidmap && def->uidmap[0].start != 0) ||
        (def->ngidmap && def->gidmap[0].start != 0)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "You must map the root user of container");
        return -1;
    }
    return 0;
}

static void
virDomainFormatIdmap(GString *buf, const virDomainDef *def)
{
    size_t i;

    if (!def->nuidmap)
        return;
    g_string_append(buf, "  <idmap>\n");
    for (i = 0; i < def->nuidmap; i++)
        g_string_append_printf(buf, "    <uid start='%u' target='%u' count='%u'/>\n",
                               def->uidmap[i].start, def->uidmap[i].target,
                               def->uidmap[i].count);
    for (i = 0; i < def->ngidmap; i++)
        g_string_append_printf(buf, "    <gid start='%u' target='%u' count='%u'/>\n",
                               def->gidmap[i].start, def->gidmap[i].target,
                               def->gidmap[i].count);
    g_string_append(buf, "  </idmap>\n");
}

virDomainDef *
virDomainDefParseNode(xmlNodePtr root)
{
    return virDomainDefParseNodeFlags(root, 0);
}

virDomainDef *
virDomainDefParseNodeFlags(xmlNodePtr root, unsigned int flags)
{
    g_autoptr(virDomainDef) def = g_new0(virDomainDef, 1);
    g_autofree char *uuid = NULL;
    xmlNodePtr cur;
    bool haveMemory = false, haveCurrent = false, haveOs = false, haveVcpu = false;
    bool havePoweroff = false, haveReboot = false, haveCrash = false;
    unsigned long long current = 0;

    def->hardLimit = def->softLimit = VIR_DOMAIN_MEMORY_PARAM_UNLIMITED;
    def->minGuarantee = def->swapHardLimit = VIR_DOMAIN_MEMORY_PARAM_UNLIMITED;
    if (!root || root->type != XML_ELEMENT_NODE || strcmp((const char *)root->name, "domain") != 0) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "expecting root element of 'domain', not '%s'",
                           root && root->name ? (const char *)root->name : "");
        return NULL;
    }

    def->onPoweroff = VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY;
    def->onReboot = VIR_DOMAIN_LIFECYCLE_ACTION_RESTART;
    def->onCrash = VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY;

    if (!(def->virtType = virXMLProp(root, "type"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing domain type attribute");
        return NULL;
    }
    if (!virStringInList(virtTypes, def->virtType)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "invalid domain type %s", def->virtType);
        return NULL;
    }

    for (cur = root->children; cur; cur = cur->next) {
        const char *name = (const char *)cur->name;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (cur->ns && cur->ns->href &&
            strcmp((const char *)cur->ns->href, VIR_DOMAIN_TEST_NAMESPACE_HREF) == 0)
            continue;
        if (cur->ns) {
            virDomainDefAddExtra(def, virDomainXMLKeep(cur, G_N_ELEMENTS(domainChildOrder)));
            continue;
        }
        if (strcmp(name, "name") == 0) {
            if (!def->name)
                def->name = virXMLText(cur);
        } else if (strcmp(name, "uuid") == 0) {
            if (!uuid)
                uuid = virXMLText(cur);
        } else if (strcmp(name, "memory") == 0) {
            if (!haveMemory && virDomainParseMemory(cur, "memory", &def->memory) < 0)
                return NULL;
            haveMemory = true;
        } else if (strcmp(name, "currentMemory") == 0) {
            if (!haveCurrent && virDomainParseMemory(cur, "currentMemory", &current) < 0)
                return NULL;
            haveCurrent = true;
        } else if (strcmp(name, "memtune") == 0) {
            if (virDomainParseMemtune(def, cur) < 0)
                return NULL;
        } else if (strcmp(name, "vcpu") == 0) {
            if (!haveVcpu && virDomainParseVcpu(def, cur) < 0)
                return NULL;
            haveVcpu = true;
        } else if (strcmp(name, "iothreads") == 0 || strcmp(name, "iothreadids") == 0) {
            continue;       /* virDomainParseIOThreads */
        } else if (strcmp(name, "idmap") == 0) {
            continue;       /* virDomainParseIdmap */
        } else if (strcmp(name, "os") == 0) {
            if (!haveOs && virDomainParseOs(def, cur) < 0)
                return NULL;
            haveOs = true;
        } else if (strcmp(name, "on_poweroff") == 0) {
            if (!havePoweroff && virDomainParseLifecycle(cur, name, false, &def->onPoweroff) < 0)
                return NULL;
            havePoweroff = true;
        } else if (strcmp(name, "on_reboot") == 0) {
            if (!haveReboot && virDomainParseLifecycle(cur, name, false, &def->onReboot) < 0)
                return NULL;
            haveReboot = true;
        } else if (strcmp(name, "on_crash") == 0) {
            if (!haveCrash && virDomainParseLifecycle(cur, name, true, &def->onCrash) < 0)
                return NULL;
            haveCrash = true;
        } else {
            virDomainDefAddExtra(def, virDomainXMLKeep(cur, virDomainRank(domainChildOrder,
                                                                          G_N_ELEMENTS(domainChildOrder),
                                                                          cur)));
        }
    }

    if (virDomainParseIOThreads(def, root) < 0 || virDomainParseIdmap(def, root) < 0)
        return NULL;
    if (!haveVcpu)
        def->maxVcpus = def->vcpus = 1;
    if (virDomainCheckPins(def, root) < 0 || virDomainCheckIotune(root) < 0)
        return NULL;
    if (!def->name || !def->name[0]) {
        virReportError(VIR_ERR_NO_NAME, "%s", "");
        return NULL;
    }
    if (strchr(def->name, '\n')) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_DETAIL, __FILE__, __func__, __LINE__,
                           "%s", "invalid char in name: \n");
        return NULL;
    }
    if (strchr(def->name, '/')) {
        virReportError(VIR_ERR_XML_ERROR, "name %s cannot contain '/'", def->name);
        return NULL;
    }
    if (uuid) {
        if (virDomainUUIDParse(uuid, def->uuid) < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed uuid element");
            return NULL;
        }
    } else {
        virDomainUUIDGenerate(def->uuid);
    }
    if (!def->memory) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "Memory size must be specified via <memory> or in the <numa> configuration");
        return NULL;
    }
    def->currentMemory = (current && current <= def->memory) ? current : def->memory;
    if (!def->vcpuPlacement)
        def->vcpuPlacement = g_strdup("static");
    if (!haveOs) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "an os <type> must be specified");
        return NULL;
    }
    if (!(flags & VIR_DOMAIN_DEF_PARSE_SKIP_VALIDATE) && virDomainCheckIdmap(def) < 0)
        return NULL;

    /* libvirt's defaults */
    if (!virDomainDefHasExtra(def, "clock")) {
        virDomainXMLNode *clock = g_new0(virDomainXMLNode, 1);
        clock->name = g_strdup("clock");
        clock->rank = DOMAIN_RANK("clock");
        virDomainXMLNodeAddAttr(clock, "offset", "utc");
        virDomainDefAddExtra(def, clock);
    }
    if (!virDomainDefHasExtra(def, "devices")) {
        virDomainXMLNode *devices = g_new0(virDomainXMLNode, 1);
        devices->name = g_strdup("devices");
        devices->rank = DOMAIN_RANK("devices");
        virDomainDefAddExtra(def, devices);
    }
    if (strcmp(def->osType, "hvm") == 0 && !def->kernel && def->nbootDevs == 0) {
        bool perDeviceBoot = false;
        size_t i;

        for (i = 0; i < def->nextra && !perDeviceBoot; i++) {
            if (strcmp(def->extra[i]->name, "devices") == 0)
                perDeviceBoot = virDomainXMLNodeFind(def->extra[i], "boot", 2);
        }
        if (!perDeviceBoot)
            virStrListAppend(&def->bootDevs, &def->nbootDevs, g_strdup("hd"));
    }
    /* libvirt ignores the pin of a vCPU the domain does not have, and
     * writes <cputune>'s children in its own order */
    {
        virDomainXMLNode *cputune = virDomainDefTopElement(def, "cputune", false);

        if (cputune) {
            size_t i;

            virDomainXMLNodeRemoveIf(cputune, virDomainPinIsPastMaxVcpus, def);
            virDomainXMLNodeSortChildren(cputune, virDomainCputuneOrder);
            /* cpusets as libvirt formats its bitmaps ("0 - 1" is "0-1") */
            for (i = 0; i < cputune->nchildren; i++) {
                virDomainXMLNode *pin = cputune->children[i];
                const char *cpuset = pin->name ? virDomainXMLNodeAttr(pin, NULL, "cpuset") : NULL;
                virCPUMap map;

                if (cpuset && g_str_has_suffix(pin->name, "pin") &&
                    virCPUMapParse(cpuset, 0, &map)) {
                    g_autofree char *text = virCPUMapFormat(&map);

                    g_free(map.bits);
                    virDomainXMLNodeSetAttr(pin, "cpuset", text);
                }
            }
            virDomainDefDropEmpty(def, "cputune");
        }
    }

    return g_steal_pointer(&def);
}

virDomainDef *
virDomainDefParseString(const char *xml)
{
    return virDomainDefParseStringFlags(xml, 0);
}

virDomainDef *
virDomainDefParseStringFlags(const char *xml, unsigned int flags)
{
    xmlDocPtr doc;
    virDomainDef *def;

    if (!(doc = virDomainXMLParseString(xml, "(domain_definition)", "domain", VIR_FROM_DOMAIN)))
        return NULL;
    def = virDomainDefParseNodeFlags(xmlDocGetRootElement(doc), flags);
    xmlFreeDoc(doc);
    return def;
}

/* ------------------------------------------------------------------ */
/* Formatting                                                          */

/* Kept nodes sorted by rank, keeping document order within a rank. */
static const virDomainXMLNode **
virDomainSortKept(virDomainXMLNode *const *nodes, size_t n)
{
    const virDomainXMLNode **sorted = g_new0(const virDomainXMLNode *, n + 1);
    size_t i, j;

    for (i = 0; i < n; i++) {
        for (j = i; j > 0 && sorted[j - 1]->rank > nodes[i]->rank; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = nodes[i];
    }
    return sorted;
}

static void
virDomainFormatKeptBelow(GString *buf, const virDomainXMLNode **sorted, size_t n,
                         size_t *next, int rank, int indent, bool topLevel)
{
    while (*next < n && sorted[*next]->rank < rank) {
        const virDomainXMLNode *node = sorted[*next];
        /* an empty <devices> is written open, as libvirt does */
        bool openEmpty = topLevel && strcmp(node->name, "devices") == 0;
        virDomainXMLNodeFormat(buf, node, indent, openEmpty);
        (*next)++;
    }
}

static void
virDomainFormatOs(GString *buf, const virDomainDef *def)
{
    g_autofree const virDomainXMLNode **sorted = virDomainSortKept(def->osExtra, def->nosExtra);
    size_t next = 0, i;

    g_string_append(buf, "  <os>\n");
    virDomainFormatKeptBelow(buf, sorted, def->nosExtra, &next, OS_RANK("type"), 4, false);
    g_string_append(buf, "    <type");
    if (def->osArch) {
        g_string_append(buf, " arch='");
        virBufEscape(buf, def->osArch);
        g_string_append_c(buf, '\'');
    }
    if (def->osMachine) {
        g_string_append(buf, " machine='");
        virBufEscape(buf, def->osMachine);
        g_string_append_c(buf, '\'');
    }
    g_string_append_c(buf, '>');
    virBufEscape(buf, def->osType);
    g_string_append(buf, "</type>\n");

    virDomainFormatKeptBelow(buf, sorted, def->nosExtra, &next, OS_RANK("init"), 4, false);
    if (def->init)
        virBufElement(buf, 4, "init", def->init);
    virDomainFormatKeptBelow(buf, sorted, def->nosExtra, &next, OS_RANK("initarg"), 4, false);
    for (i = 0; i < def->ninitargs; i++)
        virBufElement(buf, 4, "initarg", def->initargs[i]);
    virDomainFormatKeptBelow(buf, sorted, def->nosExtra, &next, OS_RANK("kernel"), 4, false);
    if (def->kernel)
        virBufElement(buf, 4, "kernel", def->kernel);
    virDomainFormatKeptBelow(buf, sorted, def->nosExtra, &next, OS_RANK("initrd"), 4, false);
    if (def->initrd)
        virBufElement(buf, 4, "initrd", def->initrd);
    virDomainFormatKeptBelow(buf, sorted, def->nosExtra, &next, OS_RANK("cmdline"), 4, false);
    if (def->cmdline)
        virBufElement(buf, 4, "cmdline", def->cmdline);
    virDomainFormatKeptBelow(buf, sorted, def->nosExtra, &next, OS_RANK("boot"), 4, false);
    for (i = 0; i < def->nbootDevs; i++)
        g_string_append_printf(buf, "    <boot dev='%s'/>\n", def->bootDevs[i]);
    virDomainFormatKeptBelow(buf, sorted, def->nosExtra, &next, INT_MAX, 4, false);
    g_string_append(buf, "  </os>\n");
}

/* <memtune>: the limits that are set, in libvirt's order */
static void
virDomainFormatMemtune(GString *buf, const virDomainDef *def)
{
    const struct {
        const char *name;
        unsigned long long value;
    } limits[] = {
        { "hard_limit", def->hardLimit },
        { "soft_limit", def->softLimit },
        { "min_guarantee", def->minGuarantee },
        { "swap_hard_limit", def->swapHardLimit },
    };
    bool any = false;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(limits); i++) {
        if (limits[i].value >= VIR_DOMAIN_MEMORY_PARAM_UNLIMITED)
            continue;
        if (!any)
            g_string_append(buf, "  <memtune>\n");
        any = true;
        g_string_append_printf(buf, "    <%s unit='KiB'>%llu</%s>\n", limits[i].name,
                               limits[i].value, limits[i].name);
    }
    if (any)
        g_string_append(buf, "  </memtune>\n");
}

/* <iothreads> and, when an IOThread is not autofilled or has a pool size,
 * <iothreadids> with all of them (libvirt's rule) */
static void
virDomainFormatIOThreads(GString *buf, const virDomainDef *def)
{
    bool ids = false;
    size_t i;

    if (def->niothreadids == 0)
        return;
    g_string_append_printf(buf, "  <iothreads>%zu</iothreads>\n", def->niothreadids);
    for (i = 0; i < def->niothreadids; i++) {
        const virDomainIOThreadIDDef *t = &def->iothreadids[i];

        if (!t->autofill || t->poolMin >= 0 || t->poolMax >= 0)
            ids = true;
    }
    if (!ids)
        return;
    g_string_append(buf, "  <iothreadids>\n");
    for (i = 0; i < def->niothreadids; i++) {
        const virDomainIOThreadIDDef *t = &def->iothreadids[i];

        g_string_append_printf(buf, "    <iothread id='%u'", t->id);
        if (t->poolMin >= 0)
            g_string_append_printf(buf, " thread_pool_min='%d'", t->poolMin);
        if (t->poolMax >= 0)
            g_string_append_printf(buf, " thread_pool_max='%d'", t->poolMax);
        g_string_append(buf, "/>\n");
    }
    g_string_append(buf, "  </iothreadids>\n");
}

char *
virDomainDefFormat(const virDomainDef *def, int id)
{
    GString *buf = g_string_new(NULL);
    g_autofree const virDomainXMLNode **sorted = virDomainSortKept(def->extra, def->nextra);
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    size_t next = 0;
    size_t n = def->nextra;

    g_string_append(buf, "<domain type='");
    virBufEscape(buf, def->virtType);
    g_string_append_c(buf, '\'');
    if (id >= 0)
        g_string_append_printf(buf, " id='%d'", id);
    g_string_append(buf, ">\n");

    virDomainFormatKeptBelow(buf, sorted, n, &next, DOMAIN_RANK("name"), 2, true);
    virBufElement(buf, 2, "name", def->name);
    virDomainFormatKeptBelow(buf, sorted, n, &next, DOMAIN_RANK("uuid"), 2, true);
    virDomainUUIDFormat(def->uuid, uuidstr);
    virBufElement(buf, 2, "uuid", uuidstr);
    virDomainFormatKeptBelow(buf, sorted, n, &next, DOMAIN_RANK("memory"), 2, true);
    g_string_append_printf(buf, "  <memory unit='KiB'>%llu</memory>\n", def->memory);
    g_string_append_printf(buf, "  <currentMemory unit='KiB'>%llu</currentMemory>\n",
                           def->currentMemory);
    virDomainFormatKeptBelow(buf, sorted, n, &next, DOMAIN_RANK("memtune"), 2, true);
    virDomainFormatMemtune(buf, def);
    virDomainFormatKeptBelow(buf, sorted, n, &next, DOMAIN_RANK("vcpu"), 2, true);
    g_string_append(buf, "  <vcpu placement='");
    virBufEscape(buf, def->vcpuPlacement);
    g_string_append_c(buf, '\'');
    if (def->vcpuCpuset) {
        g_string_append(buf, " cpuset='");
        virBufEscape(buf, def->vcpuCpuset);
        g_string_append_c(buf, '\'');
    }
    if (def->vcpus != def->maxVcpus)
        g_string_append_printf(buf, " current='%u'", def->vcpus);
    g_string_append_printf(buf, ">%u</vcpu>\n", def->maxVcpus);
    virDomainFormatKeptBelow(buf, sorted, n, &next, DOMAIN_RANK("iothreads"), 2, true);
    virDomainFormatIOThreads(buf, def);
    virDomainFormatKeptBelow(buf, sorted, n, &next, DOMAIN_RANK("os"), 2, true);
    virDomainFormatOs(buf, def);
    virDomainFormatKeptBelow(buf, sorted, n, &next, DOMAIN_RANK("idmap"), 2, true);
    virDomainFormatIdmap(buf, def);
    virDomainFormatKeptBelow(buf, sorted, n, &next, DOMAIN_RANK("on_poweroff"), 2, true);
    virBufElement(buf, 2, "on_poweroff", virDomainLifecycleActionToString(def->onPoweroff));
    virBufElement(buf, 2, "on_reboot", virDomainLifecycleActionToString(def->onReboot));
    virBufElement(buf, 2, "on_crash", virDomainLifecycleActionToString(def->onCrash));
    virDomainFormatKeptBelow(buf, sorted, n, &next, INT_MAX, 2, true);
    g_string_append(buf, "</domain>\n");

    return g_string_free(buf, FALSE);
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */

static char **
virStrListCopy(char *const *list, size_t n)
{
    char **copy;
    size_t i;

    if (!n)
        return NULL;
    copy = g_new0(char *, n);
    for (i = 0; i < n; i++)
        copy[i] = g_strdup(list[i]);
    return copy;
}

static virDomainXMLNode **
virDomainXMLNodeListCopy(virDomainXMLNode *const *list, size_t n)
{
    virDomainXMLNode **copy;
    size_t i;

    if (!n)
        return NULL;
    copy = g_new0(virDomainXMLNode *, n);
    for (i = 0; i < n; i++)
        copy[i] = virDomainXMLNodeCopy(list[i]);
    return copy;
}

virDomainDef *
virDomainDefCopy(const virDomainDef *src)
{
    virDomainDef *def;

    if (!src)
        return NULL;
    def = g_new0(virDomainDef, 1);
    def->virtType = g_strdup(src->virtType);
    def->name = g_strdup(src->name);
    memcpy(def->uuid, src->uuid, VIR_UUID_BUFLEN);
    def->memory = src->memory;
    def->currentMemory = src->currentMemory;
    def->hardLimit = src->hardLimit;
    def->softLimit = src->softLimit;
    def->minGuarantee = src->minGuarantee;
    def->swapHardLimit = src->swapHardLimit;
    def->maxVcpus = src->maxVcpus;
    def->vcpus = src->vcpus;
    def->vcpuPlacement = g_strdup(src->vcpuPlacement);
    def->vcpuCpuset = g_strdup(src->vcpuCpuset);
    def->iothreadids = g_memdup2(src->iothreadids,
                                 src->niothreadids * sizeof(*src->iothreadids));
    def->niothreadids = src->niothreadids;
    def->osType = g_strdup(src->osType);
    def->osArch = g_strdup(src->osArch);
    def->osMachine = g_strdup(src->osMachine);
    def->bootDevs = virStrListCopy(src->bootDevs, src->nbootDevs);
    def->nbootDevs = src->nbootDevs;
    def->kernel = g_strdup(src->kernel);
    def->initrd = g_strdup(src->initrd);
    def->cmdline = g_strdup(src->cmdline);
    def->init = g_strdup(src->init);
    def->initargs = virStrListCopy(src->initargs, src->ninitargs);
    def->ninitargs = src->ninitargs;
    def->uidmap = g_memdup2(src->uidmap, src->nuidmap * sizeof(*src->uidmap));
    def->nuidmap = src->nuidmap;
    def->gidmap = g_memdup2(src->gidmap, src->ngidmap * sizeof(*src->gidmap));
    def->ngidmap = src->ngidmap;
    def->onPoweroff = src->onPoweroff;
    def->onReboot = src->onReboot;
    def->onCrash = src->onCrash;
    def->extra = virDomainXMLNodeListCopy(src->extra, src->nextra);
    def->nextra = src->nextra;
    def->osExtra = virDomainXMLNodeListCopy(src->osExtra, src->nosExtra);
    def->nosExtra = src->nosExtra;
    return def;
}

void
virDomainDefFree(virDomainDef *def)
{
    size_t i;

    if (!def)
        return;
    g_free(def->virtType);
    g_free(def->name);
    g_free(def->vcpuPlacement);
    g_free(def->vcpuCpuset);
    g_free(def->iothreadids);
    g_free(def->osType);
    g_free(def->osArch);
    g_free(def->osMachine);
    for (i = 0; i < def->nbootDevs; i++)
        g_free(def->bootDevs[i]);
    g_free(def->bootDevs);
    g_free(def->kernel);
    g_free(def->initrd);
    g_free(def->cmdline);
    g_free(def->init);
    for (i = 0; i < def->ninitargs; i++)
        g_free(def->initargs[i]);
    g_free(def->initargs);
    g_free(def->uidmap);
    g_free(def->gidmap);
    for (i = 0; i < def->nextra; i++)
        virDomainXMLNodeFree(def->extra[i]);
    g_free(def->extra);
    for (i = 0; i < def->nosExtra; i++)
        virDomainXMLNodeFree(def->osExtra[i]);
    g_free(def->osExtra);
    g_free(def);
}

/* ------------------------------------------------------------------ */
/* Reading and editing kept elements                                   */

static virDomainXMLNode *
virDomainDefFindExtra(const virDomainDef *def, const char *name, size_t *idx)
{
    size_t i;

    for (i = 0; i < def->nextra; i++) {
        if (strcmp(def->extra[i]->name, name) == 0) {
            if (idx)
                *idx = i;
            return def->extra[i];
        }
    }
    return NULL;
}

static void
virDomainDefRemoveExtra(virDomainDef *def, size_t idx)
{
    virDomainXMLNodeFree(def->extra[idx]);
    memmove(def->extra + idx, def->extra + idx + 1, (def->nextra - idx - 1) * sizeof(def->extra[0]));
    def->nextra--;
}

GPtrArray *
virDomainDefDevices(const virDomainDef *def, const char *name)
{
    GPtrArray *list = g_ptr_array_new();
    virDomainXMLNode *devices = virDomainDefFindExtra(def, "devices", NULL);
    size_t i;

    for (i = 0; devices && i < devices->nchildren; i++) {
        if (devices->children[i]->name && strcmp(devices->children[i]->name, name) == 0)
            g_ptr_array_add(list, devices->children[i]);
    }
    return list;
}

const char *
virDomainXMLNodeAttr(const virDomainXMLNode *node, const char *child, const char *attr)
{
    size_t i;

    if (child && !(node = virDomainXMLNodeGetChild(node, child)))
        return NULL;
    for (i = 0; i < node->nattrs; i++) {
        if (strcmp(node->attrs[i * 2], attr) == 0)
            return node->attrs[i * 2 + 1];
    }
    return NULL;
}

const char *
virDomainXMLNodeName(const virDomainXMLNode *node)
{
    return node->name;
}

char *
virDomainDefGetText(const virDomainDef *def, const char *name)
{
    virDomainXMLNode *node = virDomainDefFindExtra(def, name, NULL);
    GString *buf;
    size_t i;

    if (!node)
        return NULL;
    buf = g_string_new(NULL);
    for (i = 0; i < node->nchildren; i++) {
        if (!node->children[i]->name && node->children[i]->text)
            g_string_append(buf, node->children[i]->text);
    }
    return g_string_free(buf, FALSE);
}

void
virDomainDefSetText(virDomainDef *def, const char *name, const char *text)
{
    virDomainXMLNode *node;
    size_t idx;

    if (virDomainDefFindExtra(def, name, &idx))
        virDomainDefRemoveExtra(def, idx);
    if (!text || !*text)
        return;
    node = g_new0(virDomainXMLNode, 1);
    node->name = g_strdup(name);
    node->rank = DOMAIN_RANK(name);
    if (*text) {
        virDomainXMLNode *t = g_new0(virDomainXMLNode, 1);
        t->text = g_strdup(text);
        virDomainXMLNodeAddChild(node, t);
    }
    virDomainDefAddExtra(def, node);
}

char *
virDomainDefGetChildText(const virDomainDef *def, const char *parent, const char *child)
{
    virDomainXMLNode *c = virDomainXMLNodeGetChild(virDomainDefFindExtra(def, parent, NULL),
                                                   child);

    return c ? virDomainXMLNodeText(c) : NULL;
}

void
virDomainDefSetChildText(virDomainDef *def, const char *parent, const char *child,
                         const char *text, const char *const *order)
{
    virDomainXMLNode *node = virDomainDefTopElement(def, parent, text != NULL);

    if (!node)
        return;
    virDomainXMLNodeRemoveChildren(node, child);
    if (text)
        virDomainXMLNodeSetText(virDomainXMLNodeAddChildOrdered(node, child, order), text);
    else
        virDomainDefDropEmpty(def, parent);
}

/* ------------------------------------------------------------------ */
/* Editing kept elements                                               */

virDomainXMLNode *
virDomainDefTopElement(virDomainDef *def, const char *name, bool create)
{
    virDomainXMLNode *node = virDomainDefFindExtra(def, name, NULL);

    if (!node && create) {
        node = g_new0(virDomainXMLNode, 1);
        node->name = g_strdup(name);
        node->rank = DOMAIN_RANK(name);
        virDomainDefAddExtra(def, node);
    }
    return node;
}

void
virDomainDefDropEmpty(virDomainDef *def, const char *name)
{
    size_t idx;
    virDomainXMLNode *node = virDomainDefFindExtra(def, name, &idx);

    if (node && !virDomainXMLNodeHasElements(node) && node->nattrs == 0)
        virDomainDefRemoveExtra(def, idx);
}

virDomainXMLNode *
virDomainXMLNodeGetChild(const virDomainXMLNode *node, const char *name)
{
    size_t i;

    for (i = 0; node && i < node->nchildren; i++) {
        if (node->children[i]->name && strcmp(node->children[i]->name, name) == 0)
            return node->children[i];
    }
    return NULL;
}

GPtrArray *
virDomainXMLNodeChildren(const virDomainXMLNode *node, const char *name)
{
    GPtrArray *list = g_ptr_array_new();
    size_t i;

    for (i = 0; node && i < node->nchildren; i++) {
        if (node->children[i]->name && (!name || strcmp(node->children[i]->name, name) == 0))
            g_ptr_array_add(list, node->children[i]);
    }
    return list;
}

bool
virDomainXMLNodeHasElements(const virDomainXMLNode *node)
{
    size_t i;

    for (i = 0; i < node->nchildren; i++) {
        if (node->children[i]->name)
            return true;
    }
    return false;
}

/* An element's rank in order (its count when not listed). */
static size_t
virDomainOrderRank(const char *const *order, const char *name)
{
    size_t r = 0;

    while (order && order[r] && strcmp(order[r], name) != 0)
        r++;
    return r;
}

const char *const virDomainCputuneOrder[] = {
    "shares", "period", "quota", "global_period", "global_quota", "emulator_period",
    "emulator_quota", "iothread_period", "iothread_quota", "vcpupin", "emulatorpin",
    "iothreadpin", "emulatorsched", "vcpusched", "iothreadsched", "cachetune", "memorytune",
    NULL
};

/* Children (elements; text and comments have no name) sorted in libvirt's
 * order, keeping the document's order within a name: an insertion sort,
 * the lists are short. */
static void
virDomainXMLNodeSortChildren(virDomainXMLNode *node, const char *const *order)
{
    size_t i, j;

    for (i = 1; i < node->nchildren; i++) {
        virDomainXMLNode *c = node->children[i];
        size_t rank;

        if (!c->name)
            continue;
        rank = virDomainOrderRank(order, c->name);
        for (j = i; j > 0; j--) {
            virDomainXMLNode *prev = node->children[j - 1];

            if (prev->name && virDomainOrderRank(order, prev->name) <= rank)
                break;
            if (!prev->name)
                break;
            node->children[j] = prev;
        }
        node->children[j] = c;
    }
}

virDomainXMLNode *
virDomainXMLNodeAddChildOrdered(virDomainXMLNode *node, const char *name,
                                const char *const *order)
{
    virDomainXMLNode *c = g_new0(virDomainXMLNode, 1);
    size_t rank = virDomainOrderRank(order, name);
    size_t pos;

    c->name = g_strdup(name);
    /* before the first element that comes after it in libvirt's order */
    for (pos = 0; pos < node->nchildren; pos++) {
        const char *other = node->children[pos]->name;

        if (other && order && order[virDomainOrderRank(order, other)] &&
            virDomainOrderRank(order, other) > rank)
            break;
    }
    virDomainXMLNodeAddChild(node, c);
    memmove(node->children + pos + 1, node->children + pos,
            (node->nchildren - 1 - pos) * sizeof(node->children[0]));
    node->children[pos] = c;
    return c;
}

virDomainXMLNode *
virDomainXMLNodeEnsureChild(virDomainXMLNode *node, const char *name, const char *const *order)
{
    virDomainXMLNode *c = virDomainXMLNodeGetChild(node, name);

    return c ? c : virDomainXMLNodeAddChildOrdered(node, name, order);
}

/* Remove (and free) the children for which match(child, data) holds. */
static void
virDomainXMLNodeRemoveIf(virDomainXMLNode *node,
                         bool (*match)(const virDomainXMLNode *c, const void *data),
                         const void *data)
{
    size_t i;

    for (i = 0; i < node->nchildren; i++) {
        virDomainXMLNode *c = node->children[i];

        if (match(c, data)) {
            virDomainXMLNodeFree(c);
            memmove(node->children + i, node->children + i + 1,
                    (node->nchildren - i - 1) * sizeof(node->children[0]));
            node->nchildren--;
            i--;
        }
    }
}

static bool
virDomainXMLNodeIsNamed(const virDomainXMLNode *c, const void *name)
{
    return c->name && strcmp(c->name, name) == 0;
}

static bool
virDomainXMLNodeIs(const virDomainXMLNode *c, const void *which)
{
    return c == which;
}

void
virDomainXMLNodeRemoveChildren(virDomainXMLNode *node, const char *name)
{
    virDomainXMLNodeRemoveIf(node, virDomainXMLNodeIsNamed, name);
}

void
virDomainXMLNodeRemoveChild(virDomainXMLNode *node, virDomainXMLNode *child)
{
    virDomainXMLNodeRemoveIf(node, virDomainXMLNodeIs, child);
}

void
virDomainXMLNodeSetAttr(virDomainXMLNode *node, const char *name, const char *value)
{
    size_t i;

    for (i = 0; i < node->nattrs; i++) {
        if (strcmp(node->attrs[i * 2], name) != 0)
            continue;
        if (value) {
            /* value may be the old one's own text */
            char *copy = g_strdup(value);

            g_free(node->attrs[i * 2 + 1]);
            node->attrs[i * 2 + 1] = copy;
        } else {
            g_free(node->attrs[i * 2]);
            g_free(node->attrs[i * 2 + 1]);
            memmove(node->attrs + i * 2, node->attrs + i * 2 + 2,
                    (node->nattrs - i - 1) * 2 * sizeof(char *));
            node->nattrs--;
        }
        return;
    }
    if (value)
        virDomainXMLNodeAddAttr(node, name, value);
}

char *
virDomainXMLNodeText(const virDomainXMLNode *node)
{
    GString *buf = g_string_new(NULL);
    size_t i;

    for (i = 0; i < node->nchildren; i++) {
        if (!node->children[i]->name && node->children[i]->text)
            g_string_append(buf, node->children[i]->text);
    }
    return g_strstrip(g_string_free(buf, FALSE));
}

void
virDomainXMLNodeSetText(virDomainXMLNode *node, const char *text)
{
    virDomainXMLNode *t = g_new0(virDomainXMLNode, 1);
    size_t i;

    for (i = 0; i < node->nchildren; i++)
        virDomainXMLNodeFree(node->children[i]);
    node->nchildren = 0;
    t->text = g_strdup(text);
    virDomainXMLNodeAddChild(node, t);
}

/* The xmlns value of an element of <metadata>, whatever its prefix. */
static const char *
virDomainMetadataNodeURI(const virDomainXMLNode *node)
{
    const char *colon = strchr(node->name, ':');
    g_autofree char *decl = colon ? g_strdup_printf("xmlns:%.*s", (int)(colon - node->name),
                                                    node->name)
                                  : g_strdup("xmlns");

    return virDomainXMLNodeAttr(node, NULL, decl);
}

/* An element of <metadata> as libvirt hands it out: without its
 * namespace (no prefixes, no declarations), attributes in double quotes,
 * children indented by two. */
static void
virDomainMetadataFormatPlain(GString *buf, const virDomainXMLNode *node, int indent)
{
    const char *colon = strchr(node->name, ':');
    const char *name = colon ? colon + 1 : node->name;
    bool elementsOnly = node->nchildren > 0;
    size_t i;

    for (i = 0; i < node->nchildren; i++) {
        if (!node->children[i]->name)
            elementsOnly = false;
    }
    g_string_append_printf(buf, "<%s", name);
    for (i = 0; i < node->nattrs; i++) {
        const char *aname = node->attrs[i * 2];
        const char *acolon = strchr(aname, ':');

        if (g_str_has_prefix(aname, "xmlns"))
            continue;
        g_string_append_printf(buf, " %s=\"", acolon ? acolon + 1 : aname);
        virBufEscapeAttr(buf, node->attrs[i * 2 + 1]);
        g_string_append_c(buf, '"');
    }
    if (!node->nchildren) {
        g_string_append(buf, "/>");
        return;
    }
    g_string_append_c(buf, '>');
    for (i = 0; i < node->nchildren; i++) {
        const virDomainXMLNode *c = node->children[i];

        if (elementsOnly) {
            g_string_append_c(buf, '\n');
            virBufIndent(buf, indent + 2);
        }
        if (c->name)
            virDomainMetadataFormatPlain(buf, c, indent + 2);
        else
            virBufEscape(buf, c->text);
    }
    if (elementsOnly) {
        g_string_append_c(buf, '\n');
        virBufIndent(buf, indent);
    }
    g_string_append_printf(buf, "</%s>", name);
}

char *
virDomainDefGetMetadataElement(const virDomainDef *def, const char *uri)
{
    virDomainXMLNode *meta = virDomainDefFindExtra(def, "metadata", NULL);
    size_t i;

    for (i = 0; meta && i < meta->nchildren; i++) {
        const char *nsuri;
        GString *buf;

        if (!meta->children[i]->name)
            continue;
        nsuri = virDomainMetadataNodeURI(meta->children[i]);
        if (!nsuri || strcmp(nsuri, uri) != 0)
            continue;
        buf = g_string_new(NULL);
        virDomainMetadataFormatPlain(buf, meta->children[i], 0);
        return g_string_free(buf, FALSE);
    }
    return NULL;
}

/* Rename an element and its descendants in no namespace or in uri's to
 * prefix key, dropping their own declarations of uri. */
static void
virDomainMetadataRekey(virDomainXMLNode *node, const char *key)
{
    const char *colon;
    size_t i;

    if (!node->name)
        return;
    colon = strchr(node->name, ':');
    {
        g_autofree char *old = node->name;
        node->name = g_strdup_printf("%s:%s", key, colon ? colon + 1 : old);
    }
    for (i = 0; i < node->nattrs; i++) {
        if (g_str_has_prefix(node->attrs[i * 2], "xmlns")) {
            g_free(node->attrs[i * 2]);
            g_free(node->attrs[i * 2 + 1]);
            memmove(node->attrs + i * 2, node->attrs + i * 2 + 2,
                    (node->nattrs - i - 1) * 2 * sizeof(char *));
            node->nattrs--;
            i--;
        }
    }
    for (i = 0; i < node->nchildren; i++)
        virDomainMetadataRekey(node->children[i], key);
}

int
virDomainDefSetMetadataElement(virDomainDef *def, const char *xml, const char *key,
                               const char *uri)
{
    virDomainXMLNode *meta = virDomainDefFindExtra(def, "metadata", NULL);
    virDomainXMLNode *node = NULL;
    size_t i;

    if (xml) {
        xmlDocPtr doc = virDomainXMLParseString(xml, "(metadata_xml)", NULL, VIR_FROM_DOMAIN);
        xmlNodePtr root;

        if (!doc)
            return -1;
        root = xmlDocGetRootElement(doc);
        node = virDomainXMLNodeFromElement(root);
        xmlFreeDoc(doc);
        virDomainMetadataRekey(node, key);
        {
            g_autofree char *decl = g_strdup_printf("xmlns:%s", key);
            /* the declaration first, as libvirt writes it */
            node->attrs = g_renew(char *, node->attrs, (node->nattrs + 1) * 2);
            memmove(node->attrs + 2, node->attrs, node->nattrs * 2 * sizeof(char *));
            node->attrs[0] = g_strdup(decl);
            node->attrs[1] = g_strdup(uri);
            node->nattrs++;
        }
    }
    /* drop the element of that namespace, if any */
    for (i = 0; meta && i < meta->nchildren; i++) {
        const char *nsuri;

        if (!meta->children[i]->name)
            continue;
        nsuri = virDomainMetadataNodeURI(meta->children[i]);
        if (nsuri && strcmp(nsuri, uri) == 0) {
            virDomainXMLNodeFree(meta->children[i]);
            memmove(meta->children + i, meta->children + i + 1,
                    (meta->nchildren - i - 1) * sizeof(meta->children[0]));
            meta->nchildren--;
            break;
        }
    }
    if (node) {
        if (!meta) {
            meta = g_new0(virDomainXMLNode, 1);
            meta->name = g_strdup("metadata");
            meta->rank = DOMAIN_RANK("metadata");
            virDomainDefAddExtra(def, meta);
        }
        virDomainXMLNodeAddChild(meta, node);
    } else if (meta && meta->nchildren == 0) {
        size_t idx = 0;
        virDomainDefFindExtra(def, "metadata", &idx);
        virDomainDefRemoveExtra(def, idx);
    }
    return 0;
}


/* ------------------------------------------------------------------ */
/* Devices                                                             */

/* libvirt's order of <devices>' children (its formatter's). */
static const char *const devicesChildOrder[] = {
    "emulator", "disk", "controller", "lease", "filesystem", "interface", "smartcard",
    "serial", "parallel", "console", "channel", "input", "tpm", "graphics", "sound", "audio",
    "video", "hostdev", "redirdev", "redirfilter", "hub", "watchdog", "memballoon", "rng",
    "panic", "shmem", "memory", "iommu", "vsock", "crypto", NULL
};

virDomainXMLNode *
virDomainXMLNodeFromXML(xmlNodePtr elem)
{
    return virDomainXMLKeep(elem, 0);
}

static virDomainXMLNode *
virDomainDefDevicesNode(virDomainDef *def)
{
    return virDomainDefTopElement(def, "devices", true);
}

void
virDomainDefAddDevice(virDomainDef *def, virDomainXMLNode *dev, const virDomainXMLNode *before)
{
    virDomainXMLNode *devices = virDomainDefDevicesNode(def);
    size_t rank = virDomainOrderRank(devicesChildOrder, dev->name);
    size_t pos;

    /* after every device of its kind or of a kind libvirt writes earlier */
    for (pos = 0; pos < devices->nchildren; pos++) {
        const virDomainXMLNode *c = devices->children[pos];

        if (c == before ||
            (!before && c->name && virDomainOrderRank(devicesChildOrder, c->name) > rank))
            break;
    }
    virDomainXMLNodeAddChild(devices, dev);
    memmove(devices->children + pos + 1, devices->children + pos,
            (devices->nchildren - 1 - pos) * sizeof(devices->children[0]));
    devices->children[pos] = dev;
}

void
virDomainDefRemoveDevice(virDomainDef *def, const virDomainXMLNode *dev)
{
    virDomainXMLNodeRemoveChild(virDomainDefDevicesNode(def), (virDomainXMLNode *)dev);
}

void
virDomainDefReplaceDevice(virDomainDef *def, const virDomainXMLNode *old, virDomainXMLNode *dev)
{
    virDomainXMLNode *devices = virDomainDefDevicesNode(def);
    size_t i;

    for (i = 0; i < devices->nchildren; i++) {
        if (devices->children[i] == old) {
            virDomainXMLNodeFree(devices->children[i]);
            devices->children[i] = dev;
            return;
        }
    }
    virDomainDefAddDevice(def, dev, NULL);
}
