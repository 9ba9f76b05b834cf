/*
 * testmoment.c: the tree of a domain's snapshots or checkpoints (see
 * testmoment.h), and the entry points' work both kinds share
 * (testMomentKind, testdriverpriv.h). Parents are found by name: lists are
 * short, and a name survives the redefinitions that replace records.
 *
 * Locking: the tree functions take none (callers hold the driver lock);
 * the shared entry-point work takes state->lock and returns with it held.
 */
#include <string.h>

#include "testdriverpriv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

void
testMomentClear(testMoment *moment)
{
    g_free(moment->name);
    g_free(moment->parent);
    virDomainDefFree(moment->dom);
}

virDomainMomentRef *
testMomentMakeRef(const virDomainObj *obj, const char *name)
{
    virDomainRef *domRef = virDomainObjMakeRef(obj);
    virDomainMomentRef *ref = virDomainMomentRefNew(name, domRef);

    virDomainRefFree(domRef);
    return ref;
}

virDomainMomentRef **
testMomentMakeRefList(const virDomainObj *obj, const GPtrArray *sel)
{
    virDomainMomentRef **refs = g_new0(virDomainMomentRef *, sel->len + 1);
    guint i;

    for (i = 0; i < sel->len; i++)
        refs[i] = testMomentMakeRef(obj, ((testMoment *)g_ptr_array_index(sel, i))->name);
    return refs;
}

void
testMomentListClear(testMomentList *list)
{
    if (list->items)
        g_ptr_array_free(list->items, TRUE);
    list->items = NULL;
    g_clear_pointer(&list->current, g_free);
}

int
testMomentListCount(const testMomentList *list)
{
    return list->items ? (int)list->items->len : 0;
}

#define MOMENT(list, i) ((testMoment *)g_ptr_array_index((list)->items, (i)))

testMoment *
testMomentListFind(const testMomentList *list, const char *name)
{
    int i;

    for (i = 0; name && i < testMomentListCount(list); i++) {
        if (strcmp(MOMENT(list, i)->name, name) == 0)
            return MOMENT(list, i);
    }
    return NULL;
}

bool
testMomentListIsCurrent(const testMomentList *list, const testMoment *moment)
{
    return list->current && strcmp(list->current, moment->name) == 0;
}

void
testMomentListSetCurrent(testMomentList *list, const char *name)
{
    char *copy = g_strdup(name);     /* name may be the current one's */

    g_free(list->current);
    list->current = copy;
}

void
testMomentListAdd(testMomentList *list, testMoment *moment, GDestroyNotify freeItem)
{
    testMoment *old;

    if (!list->items)
        list->items = g_ptr_array_new_with_free_func(freeItem);
    if ((old = testMomentListFind(list, moment->name)))
        g_ptr_array_remove(list->items, old);
    g_ptr_array_add(list->items, moment);
}

/* Is moment a child (descendants: a descendant) of parent? The walk is
 * bounded: a redefinition may have left a cycle. */
static bool
testMomentListUnder(const testMomentList *list, const testMoment *moment,
                    const testMoment *parent, bool descendants)
{
    const testMoment *cur = moment;
    int depth = 0;

    while (cur && cur->parent && depth++ <= testMomentListCount(list)) {
        if (strcmp(cur->parent, parent->name) == 0)
            return true;
        if (!descendants)
            return false;
        cur = testMomentListFind(list, cur->parent);
    }
    return false;
}

bool
testMomentListHasChildren(const testMomentList *list, const testMoment *moment)
{
    int i;

    for (i = 0; i < testMomentListCount(list); i++) {
        if (MOMENT(list, i)->parent && strcmp(MOMENT(list, i)->parent, moment->name) == 0)
            return true;
    }
    return false;
}

static bool
testMomentListSelects(const testMomentList *list, const testMoment *moment,
                      const testMoment *from, unsigned int flags, testMomentFilter filter)
{
    bool tree = flags & TEST_MOMENT_LIST_ROOTS;

    if (from ? !testMomentListUnder(list, moment, from, tree) : (tree && moment->parent))
        return false;
    /* both: nothing (snapshots drop the pair before) */
    if ((flags & TEST_MOMENT_LIST_LEAVES) && testMomentListHasChildren(list, moment))
        return false;
    if ((flags & TEST_MOMENT_LIST_NO_LEAVES) && !testMomentListHasChildren(list, moment))
        return false;
    return !filter || filter(moment, flags);
}

/* Depth first from the moments whose parent is `parent` (NULL: the roots
 * and the moments whose parent is missing); depth bounds a cycle.
 * Siblings come latest first, as libvirt links each new child in front. */
static void
testMomentListWalk(const testMomentList *list, const char *parent, int depth, GPtrArray *out)
{
    int i;

    for (i = testMomentListCount(list) - 1; i >= 0 && depth <= testMomentListCount(list); i--) {
        testMoment *m = MOMENT(list, i);
        bool child = parent ? (m->parent && strcmp(m->parent, parent) == 0)
                            : (!m->parent || !testMomentListFind(list, m->parent));

        if (!child)
            continue;
        g_ptr_array_add(out, m);
        testMomentListWalk(list, m->name, depth + 1, out);
    }
}

GPtrArray *
testMomentListSelect(const testMomentList *list, const testMoment *from, unsigned int flags,
                     testMomentFilter filter)
{
    g_autoptr(GPtrArray) order = g_ptr_array_new();
    GPtrArray *out = g_ptr_array_new();
    guint i;

    if (flags & TEST_MOMENT_LIST_TOPOLOGICAL) {
        testMomentListWalk(list, NULL, 0, order);
    } else {
        for (i = 0; i < (guint)testMomentListCount(list); i++)
            g_ptr_array_add(order, MOMENT(list, i));
    }
    for (i = 0; i < order->len; i++) {
        testMoment *m = g_ptr_array_index(order, i);

        if (testMomentListSelects(list, m, from, flags, filter))
            g_ptr_array_add(out, m);
    }
    return out;
}

void
testMomentListDelete(testMomentList *list, testMoment *moment, bool children, bool childrenOnly)
{
    int i;

    if (children || childrenOnly) {
        /* the descendants go; the current one among them hands over to moment */
        g_autoptr(GPtrArray) gone = g_ptr_array_new();
        guint j;

        for (i = 0; i < testMomentListCount(list); i++) {
            if (testMomentListUnder(list, MOMENT(list, i), moment, true))
                g_ptr_array_add(gone, MOMENT(list, i));
        }
        for (j = 0; j < gone->len; j++) {
            testMoment *m = g_ptr_array_index(gone, j);

            if (testMomentListIsCurrent(list, m))
                testMomentListSetCurrent(list, moment->name);
            g_ptr_array_remove(list->items, m);
        }
    } else {
        /* the children move up to moment's parent */
        for (i = 0; i < testMomentListCount(list); i++) {
            testMoment *m = MOMENT(list, i);

            if (m->parent && strcmp(m->parent, moment->name) == 0) {
                g_free(m->parent);
                m->parent = g_strdup(moment->parent);
            }
        }
    }
    if (!childrenOnly) {
        if (testMomentListIsCurrent(list, moment)) {
            testMoment *parent = testMomentListFind(list, moment->parent);

            testMomentListSetCurrent(list, parent ? parent->name : NULL);
        }
        g_ptr_array_remove(list->items, moment);
    }
}

int
testMomentListCheckParent(const testMomentList *list, const testMoment *moment)
{
    const testMoment *other;
    int depth = 0;

    if (!moment->parent)
        return 0;
    if (strcmp(moment->name, moment->parent) == 0) {
        virReportError(VIR_ERR_INVALID_ARG, "cannot set moment %s as its own parent",
                       moment->name);
        return -1;
    }
    if (!(other = testMomentListFind(list, moment->parent))) {
        virReportError(VIR_ERR_INVALID_ARG, "parent %s for moment %s not found",
                       moment->parent, moment->name);
        return -1;
    }
    while (other && other->parent && depth++ <= testMomentListCount(list)) {
        if (strcmp(other->parent, moment->name) == 0) {
            virReportError(VIR_ERR_INVALID_ARG, "parent %s would create cycle to %s",
                           other->name, moment->name);
            return -1;
        }
        other = testMomentListFind(list, other->parent);
    }
    return 0;
}

/* ---- XML ---- */

void
testMomentXMLEscape(GString *buf, const char *s)
{
    g_autofree char *esc = g_markup_escape_text(s, -1);

    g_string_append(buf, esc);
}

xmlNodePtr
testMomentXMLChild(xmlNodePtr parent, const char *name)
{
    xmlNodePtr cur;

    for (cur = parent ? parent->children : NULL; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && strcmp((const char *)cur->name, name) == 0)
            return cur;
    }
    return NULL;
}

char *
testMomentXMLChildText(xmlNodePtr parent, const char *name)
{
    xmlNodePtr node = testMomentXMLChild(parent, name);
    xmlChar *text;
    char *ret;

    if (!node)
        return NULL;
    text = xmlNodeGetContent(node);
    ret = g_strdup(g_strstrip((char *)text));
    xmlFree(text);
    return ret;
}

char *
testMomentXMLAttr(xmlNodePtr node, const char *name)
{
    xmlChar *v = node ? xmlGetNoNsProp(node, (const xmlChar *)name) : NULL;
    char *ret = v ? g_strdup((const char *)v) : NULL;

    xmlFree(v);
    return ret;
}

void
testMomentFormatDomain(GString *buf, const virDomainDef *dom)
{
    g_autofree char *xml = virDomainDefFormat(dom, -1);
    g_auto(GStrv) lines = g_strsplit(xml, "\n", -1);
    guint i;

    for (i = 0; lines[i]; i++) {
        if (lines[i][0])
            g_string_append_printf(buf, "  %s\n", lines[i]);
    }
}

/* ---- the entry points' shared work ---- */

testMomentList *
testMomentKindList(const testMomentKind *kind, testDomain *dom)
{
    return (testMomentList *)((char *)dom + kind->list);
}

testDomain *
testMomentLock(testState *state, const testMomentKind *kind, const virDomainRef *domRef,
               const char *name, testMoment **moment)
{
    testDomain *dom;

    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, domRef)))
        return NULL;
    if (name && !(*moment = testMomentListFind(testMomentKindList(kind, dom), name))) {
        virErrorReportFull(VIR_FROM_TEST, kind->notFound, __FILE__, __func__, __LINE__,
                           "no domain %s with matching name '%s'", kind->noun, name);
        return NULL;
    }
    return dom;
}

GPtrArray *
testMomentSelect(const testMomentKind *kind, testDomain *dom, const testMoment *from,
                 unsigned int flags)
{
    const unsigned int leaves = TEST_MOMENT_LIST_LEAVES | TEST_MOMENT_LIST_NO_LEAVES;

    G_STATIC_ASSERT(VIR_DOMAIN_SNAPSHOT_LIST_ROOTS == TEST_MOMENT_LIST_ROOTS &&
                    VIR_DOMAIN_SNAPSHOT_LIST_LEAVES == TEST_MOMENT_LIST_LEAVES &&
                    VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES == TEST_MOMENT_LIST_NO_LEAVES &&
                    VIR_DOMAIN_CHECKPOINT_LIST_ROOTS == TEST_MOMENT_LIST_ROOTS &&
                    VIR_DOMAIN_CHECKPOINT_LIST_LEAVES == TEST_MOMENT_LIST_LEAVES &&
                    VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES == TEST_MOMENT_LIST_NO_LEAVES);
    if (kind->leavesPairIsNone && (flags & leaves) == leaves)
        flags &= ~leaves;
    if (flags & kind->topological)
        flags |= TEST_MOMENT_LIST_TOPOLOGICAL;
    return testMomentListSelect(testMomentKindList(kind, dom), from, flags, kind->filter);
}

int
testMomentListRefs(testState *state, const testMomentKind *kind, const virDomainRef *domRef,
               const char *from, virDomainMomentRef ***refs, unsigned int flags)
{
    testMoment *moment = NULL;
    testDomain *dom;
    int n = -1;

    if ((dom = testMomentLock(state, kind, domRef, from, &moment))) {
        g_autoptr(GPtrArray) sel = testMomentSelect(kind, dom, from ? moment : NULL, flags);

        n = (int)sel->len;
        if (refs)
            *refs = testMomentMakeRefList(&dom->obj, sel);
    }
    virNoIOMutexUnlock(&state->lock);
    return n;
}

virDomainMomentRef *
testMomentLookup(testState *state, const testMomentKind *kind, const virDomainRef *domRef,
                 const char *name)
{
    virDomainMomentRef *ret = NULL;
    testMoment *moment = NULL;
    testDomain *dom;

    if ((dom = testMomentLock(state, kind, domRef, name, &moment)))
        ret = testMomentMakeRef(&dom->obj, moment->name);
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

virDomainMomentRef *
testMomentGetParent(testState *state, const testMomentKind *kind, const virDomainMomentRef *ref)
{
    virDomainMomentRef *ret = NULL;
    testMoment *moment = NULL;
    testDomain *dom;

    if ((dom = testMomentLock(state, kind, &ref->dom, ref->name, &moment))) {
        if (!moment->parent)
            virErrorReportFull(VIR_FROM_TEST, kind->notFound, __FILE__, __func__, __LINE__,
                               "%s '%s' does not have a parent", kind->noun, moment->name);
        else
            ret = testMomentMakeRef(&dom->obj, moment->parent);
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testMomentDelete(testState *state, const testMomentKind *kind, const virDomainMomentRef *ref,
                 bool children, bool childrenOnly)
{
    testMoment *moment = NULL;
    testDomain *dom;
    int ret = -1;

    if ((dom = testMomentLock(state, kind, &ref->dom, ref->name, &moment))) {
        testMomentListDelete(testMomentKindList(kind, dom), moment, children, childrenOnly);
        kind->changed(dom);
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}
