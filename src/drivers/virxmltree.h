/*
 * virxmltree.h: an XML element tree for the definitions beside domains
 * (networks, pools, volumes, interfaces, node devices, secrets), put in
 * libvirt's shape by a schema and written the way libvirt writes XML.
 *
 * libvirt parses such a document into a struct and formats the struct:
 * what it does not know is dropped, what it knows comes out in a fixed
 * order of elements and attributes. A schema says the same declaratively:
 * one entry per element path, in output order, naming the element's
 * attributes in output order, e.g.
 *
 *   "network@ipv6@trustGuestRxFilters"
 *   "network/name#"          # : the element has text content
 *   "network/metadata*"      * : the subtree is kept as written
 *   "pool/source!"           ! : written open/closed even when empty
 *   "network/metadata^"      ^ : kept as written, and written the way
 *                                libxml2 dumps a node (libvirt's
 *                                <metadata>: attributes in double quotes)
 *   "network/forward@dev@mode"
 *
 * virXMLTreeNormalize drops the elements and attributes the schema does
 * not name and orders the rest; the definition's own code then checks
 * values and fills libvirt's defaults through the accessors below, and
 * virXMLTreeFormat writes the result (two-space indent, attributes in
 * single quotes, an empty element as <x/>).
 *
 * Trees are plain data (no libxml2 pointers kept, no locking).
 */
#pragma once

#include <stdbool.h>
#include <glib.h>
#include <libxml/tree.h>

typedef struct _virXMLTree virXMLTree;
struct _virXMLTree {
    char *name;                 /* qualified element name; NULL: a text node */
    char *text;                 /* a text node's content */
    char **attrs;               /* name, value, name, value, ... */
    size_t nattrs;              /* pairs */
    virXMLTree **children;
    size_t nchildren;
    unsigned int flags;         /* VIR_XML_TREE_* the schema gave it */
};

#define VIR_XML_TREE_VERBATIM (1 << 0)  /* '*' */
#define VIR_XML_TREE_OPEN (1 << 1)      /* '!' */
#define VIR_XML_TREE_DUMP (1 << 2)      /* '^' (with VERBATIM) */

/* A whole document (libvirt's parse errors: see virDomainXMLParseString)
 * whose root is rootName, as a tree. docName names it in error messages;
 * errDomain is the error domain of those messages. */
virXMLTree *virXMLTreeParse(const char *xml, const char *docName, const char *rootName,
                            int errDomain);
virXMLTree *virXMLTreeFromNode(xmlNodePtr elem);
virXMLTree *virXMLTreeNew(const char *name);
virXMLTree *virXMLTreeCopy(const virXMLTree *tree);
void virXMLTreeFree(virXMLTree *tree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virXMLTree, virXMLTreeFree);

/* NULL when absent. */
const char *virXMLTreeAttr(const virXMLTree *tree, const char *name);
/* Replace or append; value NULL removes the attribute. */
void virXMLTreeSetAttr(virXMLTree *tree, const char *name, const char *value);
/* The n-th (from 0) element child called name (NULL: any element), or
 * NULL. */
virXMLTree *virXMLTreeChild(const virXMLTree *tree, const char *name, size_t n);
size_t virXMLTreeCountChildren(const virXMLTree *tree, const char *name);
/* Append (index -1) or insert at index among all children; returns child. */
virXMLTree *virXMLTreeAddChild(virXMLTree *tree, virXMLTree *child, ssize_t index);
/* Take child out (not freed); false when it is not a child of tree. */
bool virXMLTreeRemoveChild(virXMLTree *tree, virXMLTree *child);
/* The concatenated text of the element (NULL: none), and replacing it by
 * one text node (NULL: no text). */
const char *virXMLTreeText(const virXMLTree *tree);
void virXMLTreeSetText(virXMLTree *tree, const char *text);
/* The text of the first child called name, or NULL. */
const char *virXMLTreeChildText(const virXMLTree *tree, const char *name);
/* Set the text of the first child called name, creating it (appended). */
virXMLTree *virXMLTreeSetChildText(virXMLTree *tree, const char *name, const char *text);

/* Apply schema (NULL-terminated) to the tree rooted at its first entry's
 * element (see above). */
void virXMLTreeNormalize(virXMLTree *tree, const char *const *schema);
char *virXMLTreeFormat(const virXMLTree *tree);
/* The same at an indentation (for documents that embed trees). */
void virXMLTreeFormatBuf(GString *buf, const virXMLTree *tree, int indent);

/* libvirt's scaled sizes (virScaleInteger): value in unit ("b"/"bytes",
 * k/K/KiB, KB, M/MiB, MB, ... up to E; absent: bytes) to bytes, at most
 * max. Errors: VIR_ERR_INVALID_ARG "unknown suffix", VIR_ERR_OVERFLOW. */
int virXMLScaleBytes(unsigned long long value, const char *unit, unsigned long long max,
                     unsigned long long *bytes);
/* Digits only, blanks around allowed: 0, or -1 (nothing reported). */
int virXMLParseULL(const char *text, unsigned long long *value);
