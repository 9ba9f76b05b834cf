/*
 * testmoment.h: the tree of a domain's "moments" (libvirt's common name for
 * snapshots and checkpoints): records named uniquely within their list, each
 * naming its parent (NULL: a root), one of them current. Snapshots
 * (testsnapshot.c) and checkpoints (testcheckpoint.c) keep their own list
 * each, with the same tree rules.
 *
 * A kind's record starts with a testMoment (so a testMoment * is the
 * record); the list owns its records and frees them with the kind's free
 * function. Records are kept in creation order (parents before children,
 * except after a redefinition).
 *
 * Locking: none here; the callers hold the driver lock (testdriverpriv.h).
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "virdomaindef.h"
#include "virdomainobj.h"
#include "virdomaintypes.h"

typedef struct {
    char *name;
    char *parent;               /* NULL: a root */
    long long creationTime;
    virDomainDef *dom;          /* the domain's definition when taken; NULL: unknown */
} testMoment;

typedef struct {
    GPtrArray *items;           /* testMoment * (the kind's records); NULL: none yet */
    char *current;              /* the current one's name, or NULL */
} testMomentList;

/* Listing flags, the values snapshots and checkpoints share. */
#define TEST_MOMENT_LIST_ROOTS (1 << 0)     /* from a moment: DESCENDANTS */
#define TEST_MOMENT_LIST_LEAVES (1 << 2)
#define TEST_MOMENT_LIST_NO_LEAVES (1 << 3)
/* Ours (each kind has its own value for it). */
#define TEST_MOMENT_LIST_TOPOLOGICAL (1u << 31)

/* A kind's own filter on top of the tree filters. */
typedef bool (*testMomentFilter)(const testMoment *moment, unsigned int flags);

/* Frees every record (with freeItem) and forgets the current one. */
void testMomentListClear(testMomentList *list);
int testMomentListCount(const testMomentList *list);
testMoment *testMomentListFind(const testMomentList *list, const char *name);
bool testMomentListIsCurrent(const testMomentList *list, const testMoment *moment);
void testMomentListSetCurrent(testMomentList *list, const char *name);
/* Takes moment over, replacing a record of the same name (freed). */
void testMomentListAdd(testMomentList *list, testMoment *moment, GDestroyNotify freeItem);
bool testMomentListHasChildren(const testMomentList *list, const testMoment *moment);
/* The moments a listing selects (a new array of borrowed records): from
 * NULL, all of them (ROOTS: the roots only); from a moment, its children
 * (ROOTS meaning DESCENDANTS: all its descendants); then LEAVES and
 * NO_LEAVES (both: none) and filter (may be NULL). In creation order, or with
 * TOPOLOGICAL parents before their children. */
GPtrArray *testMomentListSelect(const testMomentList *list, const testMoment *from,
                                unsigned int flags, testMomentFilter filter);
/* Deletes moment (children: with its descendants; childrenOnly: only
 * these), as libvirt: the children of a deleted moment move to its
 * parent, and the current one's role moves up. */
void testMomentListDelete(testMomentList *list, testMoment *moment, bool children,
                          bool childrenOnly);
/* Whether moment (not yet in the list) may join it under its parent:
 * libvirt's checks for a redefinition; -1 with the error reported. */
int testMomentListCheckParent(const testMomentList *list, const testMoment *moment);
void testMomentClear(testMoment *moment);

/* What names a moment named name of obj to a caller. */
virDomainMomentRef *testMomentMakeRef(const virDomainObj *obj, const char *name);
/* The references of a selection, NULL-terminated, for a caller's list. */
virDomainMomentRef **testMomentMakeRefList(const virDomainObj *obj, const GPtrArray *sel);

/* XML helpers for the kinds' parsers and formatters. */
void testMomentXMLEscape(GString *buf, const char *s);
xmlNodePtr testMomentXMLChild(xmlNodePtr parent, const char *name);
char *testMomentXMLChildText(xmlNodePtr parent, const char *name);
char *testMomentXMLAttr(xmlNodePtr node, const char *name);
/* The domain definition, indented two spaces, as a moment's XML embeds it. */
void testMomentFormatDomain(GString *buf, const virDomainDef *dom);
