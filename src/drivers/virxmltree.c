/*
 * virxmltree.c: XML element trees and their schemas, see virxmltree.h.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "virxmltree.h"
#include "virdomaindef.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

/* ---- trees ---- */

virXMLTree *
virXMLTreeNew(const char *name)
{
    virXMLTree *tree = g_new0(virXMLTree, 1);

    tree->name = g_strdup(name);
    return tree;
}

void
virXMLTreeFree(virXMLTree *tree)
{
    size_t i;

    if (!tree)
        return;
    g_free(tree->name);
    g_free(tree->text);
    for (i = 0; i < tree->nattrs * 2; i++)
        g_free(tree->attrs[i]);
    g_free(tree->attrs);
    for (i = 0; i < tree->nchildren; i++)
        virXMLTreeFree(tree->children[i]);
    g_free(tree->children);
    g_free(tree);
}

virXMLTree *
virXMLTreeCopy(const virXMLTree *src)
{
    virXMLTree *tree;
    size_t i;

    if (!src)
        return NULL;
    tree = virXMLTreeNew(src->name);
    tree->text = g_strdup(src->text);
    tree->flags = src->flags;
    tree->nattrs = src->nattrs;
    tree->attrs = g_new0(char *, src->nattrs * 2 + 1);
    for (i = 0; i < src->nattrs * 2; i++)
        tree->attrs[i] = g_strdup(src->attrs[i]);
    tree->nchildren = src->nchildren;
    tree->children = g_new0(virXMLTree *, src->nchildren + 1);
    for (i = 0; i < src->nchildren; i++)
        tree->children[i] = virXMLTreeCopy(src->children[i]);
    return tree;
}

const char *
virXMLTreeAttr(const virXMLTree *tree, const char *name)
{
    size_t i;

    for (i = 0; tree && i < tree->nattrs; i++) {
        if (strcmp(tree->attrs[i * 2], name) == 0)
            return tree->attrs[i * 2 + 1];
    }
    return NULL;
}

void
virXMLTreeSetAttr(virXMLTree *tree, const char *name, const char *value)
{
    size_t i;

    for (i = 0; i < tree->nattrs; i++) {
        if (strcmp(tree->attrs[i * 2], name) != 0)
            continue;
        if (value) {
            /* value may be the old one's own text */
            char *copy = g_strdup(value);

            g_free(tree->attrs[i * 2 + 1]);
            tree->attrs[i * 2 + 1] = copy;
            return;
        }
        g_free(tree->attrs[i * 2]);
        g_free(tree->attrs[i * 2 + 1]);
        memmove(tree->attrs + i * 2, tree->attrs + i * 2 + 2,
                (tree->nattrs - i - 1) * 2 * sizeof(char *));
        tree->nattrs--;
        return;
    }
    if (!value)
        return;
    tree->attrs = g_renew(char *, tree->attrs, (tree->nattrs + 1) * 2);
    tree->attrs[tree->nattrs * 2] = g_strdup(name);
    tree->attrs[tree->nattrs * 2 + 1] = g_strdup(value);
    tree->nattrs++;
}

virXMLTree *
virXMLTreeChild(const virXMLTree *tree, const char *name, size_t n)
{
    size_t i;

    for (i = 0; tree && i < tree->nchildren; i++) {
        virXMLTree *c = tree->children[i];

        if (c->name && (!name || strcmp(c->name, name) == 0) && n-- == 0)
            return c;
    }
    return NULL;
}

size_t
virXMLTreeCountChildren(const virXMLTree *tree, const char *name)
{
    size_t n = 0;

    while (virXMLTreeChild(tree, name, n))
        n++;
    return n;
}

virXMLTree *
virXMLTreeAddChild(virXMLTree *tree, virXMLTree *child, ssize_t index)
{
    size_t at = index < 0 || (size_t)index > tree->nchildren ? tree->nchildren : (size_t)index;

    tree->children = g_renew(virXMLTree *, tree->children, tree->nchildren + 1);
    memmove(tree->children + at + 1, tree->children + at,
            (tree->nchildren - at) * sizeof(virXMLTree *));
    tree->children[at] = child;
    tree->nchildren++;
    return child;
}

bool
virXMLTreeRemoveChild(virXMLTree *tree, virXMLTree *child)
{
    size_t i;

    for (i = 0; i < tree->nchildren; i++) {
        if (tree->children[i] != child)
            continue;
        memmove(tree->children + i, tree->children + i + 1,
                (tree->nchildren - i - 1) * sizeof(virXMLTree *));
        tree->nchildren--;
        return true;
    }
    return false;
}

const char *
virXMLTreeText(const virXMLTree *tree)
{
    size_t i;

    /* after normalisation an element has at most one text node */
    for (i = 0; tree && i < tree->nchildren; i++) {
        if (!tree->children[i]->name)
            return tree->children[i]->text;
    }
    return NULL;
}

void
virXMLTreeSetText(virXMLTree *tree, const char *text)
{
    g_autofree char *copy = g_strdup(text);     /* text may be the old one's */
    size_t i = 0;

    while (i < tree->nchildren) {
        if (!tree->children[i]->name) {
            virXMLTree *t = tree->children[i];
            virXMLTreeRemoveChild(tree, t);
            virXMLTreeFree(t);
        } else {
            i++;
        }
    }
    if (copy) {
        virXMLTree *t = virXMLTreeNew(NULL);

        t->text = g_steal_pointer(&copy);
        virXMLTreeAddChild(tree, t, -1);
    }
}

const char *
virXMLTreeChildText(const virXMLTree *tree, const char *name)
{
    return virXMLTreeText(virXMLTreeChild(tree, name, 0));
}

virXMLTree *
virXMLTreeSetChildText(virXMLTree *tree, const char *name, const char *text)
{
    virXMLTree *child = virXMLTreeChild(tree, name, 0);

    if (!child)
        child = virXMLTreeAddChild(tree, virXMLTreeNew(name), -1);
    virXMLTreeSetText(child, text);
    return child;
}

/* ---- from libxml2 ---- */

static char *
virXMLTreeQName(xmlNsPtr ns, const xmlChar *name)
{
    if (ns && ns->prefix)
        return g_strdup_printf("%s:%s", (const char *)ns->prefix, (const char *)name);
    return g_strdup((const char *)name);
}

static bool
virXMLTreeIsBlank(const char *s)
{
    for (; s && *s; s++) {
        if (!g_ascii_isspace(*s))
            return false;
    }
    return true;
}

virXMLTree *
virXMLTreeFromNode(xmlNodePtr elem)
{
    virXMLTree *tree = virXMLTreeNew(NULL);
    xmlAttrPtr attr;
    xmlNsPtr ns;
    xmlNodePtr cur;
    bool hasElement = false, hasText = false;

    tree->name = virXMLTreeQName(elem->ns, elem->name);
    for (ns = elem->nsDef; ns; ns = ns->next) {
        g_autofree char *decl = ns->prefix ? g_strdup_printf("xmlns:%s", (const char *)ns->prefix)
                                           : g_strdup("xmlns");
        virXMLTreeSetAttr(tree, decl, (const char *)ns->href);
    }
    for (attr = elem->properties; attr; attr = attr->next) {
        g_autofree char *name = virXMLTreeQName(attr->ns, attr->name);
        xmlChar *value = xmlNodeGetContent((xmlNodePtr)attr);

        virXMLTreeSetAttr(tree, name, value ? (const char *)value : "");
        xmlFree(value);
    }
    /* blank text between child elements is layout, not content */
    for (cur = elem->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE)
            hasElement = true;
        else if ((cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) &&
                 !virXMLTreeIsBlank((const char *)cur->content))
            hasText = true;
    }
    for (cur = elem->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE) {
            virXMLTreeAddChild(tree, virXMLTreeFromNode(cur), -1);
        } else if ((cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) &&
                   (!hasElement || hasText)) {
            virXMLTree *t = virXMLTreeNew(NULL);

            t->text = g_strdup(cur->content ? (const char *)cur->content : "");
            virXMLTreeAddChild(tree, t, -1);
        }
    }
    return tree;
}

virXMLTree *
virXMLTreeParse(const char *xml, const char *docName, const char *rootName, int errDomain)
{
    xmlDocPtr doc = virDomainXMLParseString(xml, docName, rootName, errDomain);
    virXMLTree *tree;

    if (!doc)
        return NULL;
    tree = virXMLTreeFromNode(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return tree;
}

/* ---- schemas ---- */

/* One schema entry, split: the path ("network/forward"), its flags and
 * its attributes (borrowed from the entry until freed with the struct). */
typedef struct {
    char *path;
    unsigned int flags;
    bool text;
    char **attrs;
} virXMLSchemaEntry;

static void
virXMLSchemaEntryParse(const char *spec, virXMLSchemaEntry *e)
{
    g_auto(GStrv) parts = g_strsplit(spec, "@", -1);
    char *path = parts[0];
    size_t len = strlen(path);

    e->flags = 0;
    e->text = false;
    while (len > 0 && strchr("#*!^", path[len - 1])) {
        switch (path[--len]) {
        case '#': e->text = true; break;
        case '*': e->flags |= VIR_XML_TREE_VERBATIM; break;
        case '!': e->flags |= VIR_XML_TREE_OPEN; break;
        case '^': e->flags |= VIR_XML_TREE_VERBATIM | VIR_XML_TREE_DUMP; break;
        }
    }
    e->path = g_strndup(path, len);
    e->attrs = g_strdupv(parts + 1);
}

static void
virXMLSchemaEntryClear(virXMLSchemaEntry *e)
{
    g_free(e->path);
    g_strfreev(e->attrs);
}

/* The entries whose parent path is parent, in schema order. */
static void
virXMLTreeNormalizeAt(virXMLTree *tree, const char *path, const virXMLSchemaEntry *entries,
                      size_t n)
{
    const virXMLSchemaEntry *self = NULL;
    g_autoptr(GPtrArray) kept = g_ptr_array_new();
    g_autofree char **attrs = NULL;
    size_t nattrs = 0;
    size_t i, j, plen = strlen(path);

    /* a subtree kept as written stays so */
    if (tree->flags & VIR_XML_TREE_VERBATIM)
        return;
    for (i = 0; i < n && !self; i++) {
        if (strcmp(entries[i].path, path) == 0)
            self = &entries[i];
    }
    if (!self)
        return;
    tree->flags = self->flags;
    if (self->flags & VIR_XML_TREE_VERBATIM)
        return;

    /* attributes: the schema's, in its order */
    attrs = g_new0(char *, (g_strv_length(self->attrs) + 1) * 2);
    for (i = 0; self->attrs[i]; i++) {
        const char *value = virXMLTreeAttr(tree, self->attrs[i]);

        if (value) {
            attrs[nattrs * 2] = g_strdup(self->attrs[i]);
            attrs[nattrs * 2 + 1] = g_strdup(value);
            nattrs++;
        }
    }
    for (i = 0; i < tree->nattrs * 2; i++)
        g_free(tree->attrs[i]);
    g_free(tree->attrs);
    tree->attrs = g_steal_pointer(&attrs);
    tree->nattrs = nattrs;

    /* children: the text when the schema has it, then the elements the
     * schema names below this path, grouped in schema order */
    for (i = 0; i < tree->nchildren; i++) {
        if (!tree->children[i]->name && self->text)
            g_ptr_array_add(kept, tree->children[i]);
    }
    for (j = 0; j < n; j++) {
        const char *sub = entries[j].path;

        if (strncmp(sub, path, plen) != 0 || sub[plen] != '/' || strchr(sub + plen + 1, '/'))
            continue;
        for (i = 0; i < tree->nchildren; i++) {
            virXMLTree *c = tree->children[i];

            if (c->name && strcmp(c->name, sub + plen + 1) == 0) {
                virXMLTreeNormalizeAt(c, sub, entries, n);
                g_ptr_array_add(kept, c);
            }
        }
    }
    for (i = 0; i < tree->nchildren; i++) {
        if (!g_ptr_array_find(kept, tree->children[i], NULL))
            virXMLTreeFree(tree->children[i]);
    }
    g_free(tree->children);
    tree->nchildren = kept->len;
    g_ptr_array_add(kept, NULL);
    tree->children = (virXMLTree **)g_ptr_array_free(g_steal_pointer(&kept), FALSE);
}

void
virXMLTreeNormalize(virXMLTree *tree, const char *const *schema)
{
    size_t n = g_strv_length((char **)schema), i;
    g_autofree virXMLSchemaEntry *entries = g_new0(virXMLSchemaEntry, n);

    for (i = 0; i < n; i++)
        virXMLSchemaEntryParse(schema[i], &entries[i]);
    virXMLTreeNormalizeAt(tree, entries[0].path, entries, n);
    for (i = 0; i < n; i++)
        virXMLSchemaEntryClear(&entries[i]);
}

/* ---- formatting ---- */

static void
virXMLTreeEscape(GString *buf, const char *s, bool attr)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': g_string_append(buf, "&amp;"); break;
        case '<': g_string_append(buf, "&lt;"); break;
        case '>': g_string_append(buf, "&gt;"); break;
        case '\'': g_string_append(buf, "&apos;"); break;
        case '"': g_string_append(buf, "&quot;"); break;
        case '\n': g_string_append(buf, attr ? "&#10;" : "\n"); break;
        case '\r': g_string_append(buf, attr ? "&#13;" : "\r"); break;
        case '\t': g_string_append(buf, attr ? "&#9;" : "\t"); break;
        default: g_string_append_c(buf, *s); break;
        }
    }
}

/* libxml2's escaping (xmlNodeDump): attributes in double quotes, ' kept */
static void
virXMLTreeEscapeDump(GString *buf, const char *s, bool attr)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': g_string_append(buf, "&amp;"); break;
        case '<': g_string_append(buf, "&lt;"); break;
        case '>': g_string_append(buf, "&gt;"); break;
        case '"': g_string_append(buf, attr ? "&quot;" : "\""); break;
        case '\r': g_string_append(buf, "&#13;"); break;
        case '\n': g_string_append(buf, attr ? "&#10;" : "\n"); break;
        case '\t': g_string_append(buf, attr ? "&#9;" : "\t"); break;
        default: g_string_append_c(buf, *s); break;
        }
    }
}

static void
virXMLTreeFormatOpen(GString *buf, const virXMLTree *tree, bool dump)
{
    size_t i;

    g_string_append_printf(buf, "<%s", tree->name);
    for (i = 0; i < tree->nattrs; i++) {
        g_string_append_printf(buf, " %s=%c", tree->attrs[i * 2], dump ? '"' : '\'');
        if (dump)
            virXMLTreeEscapeDump(buf, tree->attrs[i * 2 + 1], true);
        else
            virXMLTreeEscape(buf, tree->attrs[i * 2 + 1], true);
        g_string_append_c(buf, dump ? '"' : '\'');
    }
}

static void
virXMLTreeFormatInline(GString *buf, const virXMLTree *tree, bool dump)
{
    size_t i;

    if (!tree->name) {
        if (dump)
            virXMLTreeEscapeDump(buf, tree->text, false);
        else
            virXMLTreeEscape(buf, tree->text, false);
        return;
    }
    virXMLTreeFormatOpen(buf, tree, dump);
    if (!tree->nchildren) {
        g_string_append(buf, "/>");
        return;
    }
    g_string_append_c(buf, '>');
    for (i = 0; i < tree->nchildren; i++)
        virXMLTreeFormatInline(buf, tree->children[i], dump);
    g_string_append_printf(buf, "</%s>", tree->name);
}

/* dump: inside a VIR_XML_TREE_DUMP subtree */
static void
virXMLTreeFormatAt(GString *buf, const virXMLTree *tree, int indent, bool dump)
{
    bool elementsOnly = true;
    size_t i;

    dump = dump || (tree->flags & VIR_XML_TREE_DUMP);
    for (i = 0; i < tree->nchildren; i++) {
        if (!tree->children[i]->name)
            elementsOnly = false;
    }
    g_string_append_printf(buf, "%*s", indent, "");
    if (!elementsOnly || (!tree->nchildren && !(tree->flags & VIR_XML_TREE_OPEN))) {
        virXMLTreeFormatInline(buf, tree, dump);
        g_string_append_c(buf, '\n');
        return;
    }
    virXMLTreeFormatOpen(buf, tree, dump);
    g_string_append(buf, ">\n");
    for (i = 0; i < tree->nchildren; i++)
        virXMLTreeFormatAt(buf, tree->children[i], indent + 2, dump);
    g_string_append_printf(buf, "%*s</%s>\n", indent, "", tree->name);
}

void
virXMLTreeFormatBuf(GString *buf, const virXMLTree *tree, int indent)
{
    virXMLTreeFormatAt(buf, tree, indent, false);
}

char *
virXMLTreeFormat(const virXMLTree *tree)
{
    GString *buf = g_string_new(NULL);

    virXMLTreeFormatBuf(buf, tree, 0);
    return g_string_free(buf, FALSE);
}

/* ---- values ---- */

int
virXMLParseULL(const char *text, unsigned long long *value)
{
    g_autofree char *copy = NULL;
    char *end = NULL;

    if (!text)
        return -1;
    copy = g_strstrip(g_strdup(text));
    if (!copy[0] || !g_ascii_isdigit(copy[0]))
        return -1;
    errno = 0;
    *value = g_ascii_strtoull(copy, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    return 0;
}

int
virXMLScaleBytes(unsigned long long value, const char *unit, unsigned long long max,
                 unsigned long long *bytes)
{
    unsigned long long scale = 1;
    int power = 0;
    int i;

    if (unit && *unit && g_ascii_strcasecmp(unit, "b") != 0 &&
        g_ascii_strcasecmp(unit, "byte") != 0 && g_ascii_strcasecmp(unit, "bytes") != 0) {
        unsigned long long base = 0;
        const char *p = strchr("kmgtpe", g_ascii_tolower(unit[0]));

        power = p && *p ? (int)(p - "kmgtpe") + 1 : 0;
        if (power && (!unit[1] || g_ascii_strcasecmp(unit + 1, "iB") == 0))
            base = 1024;
        else if (power && g_ascii_tolower(unit[1]) == 'b' && !unit[2])
            base = 1000;
        if (!base) {
            virReportError(VIR_ERR_INVALID_ARG, "unknown suffix '%s'", unit);
            return -1;
        }
        for (i = 0; i < power; i++)
            scale *= base;
    }
    if (value > max / scale) {
        virReportError(VIR_ERR_OVERFLOW, "value too large: %llu%s", value, unit ? unit : "");
        return -1;
    }
    *bytes = value * scale;
    return 0;
}
