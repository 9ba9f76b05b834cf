/*
 * testsave.c: the test driver's long jobs and questions (docs/jobs.md):
 * save and restore, save images, managed save and the start from it,
 * core dumps, the job API (info, stats, abort, JOB_COMPLETED), and the
 * questions a definition asks for (<metadata> element in TEST_JOBS_NS).
 *
 * Every image is written and read by virtnet_iohelper (virjob.h); the
 * image holds the definition and a memory image of the domain's current
 * memory. One job per domain at a time (dom->job, reserved under the
 * lock before the helper starts); read-only calls go on during a job.
 *
 * Locking: state->lock (a virNoIOMutex) is taken to check and reserve,
 * to publish the job and to apply its result, never while the helper
 * runs nor around file I/O: the domain is found again by UUID after the
 * wait (it may have been destroyed meanwhile).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <libxml/parser.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virdomainobjlist.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_TEST

VIR_LOG_INIT("drivers.test.save");

/* <metadata><vt:jobs xmlns:vt='urn:virtnet:test-driver:1' bandwidth='MiB/s'>
 *   <vt:question task='save' text='...' default='N'><vt:answer>A</vt:answer>...
 * </vt:jobs></metadata> */
#define TEST_JOBS_NS "urn:virtnet:test-driver:1"

/* Each kind of job the test driver runs. */
typedef struct {
    const char *task;           /* as <vt:question task=...> names it */
    const char *api;            /* the call holding the job, for "held by" */
    iohelper_operation helperOp;
    int operation;              /* VIR_DOMAIN_JOB_OPERATION_* */
} testJobKind;

static const testJobKind testJobSave = {
    "save", "remoteDispatchDomainSaveFlags", IOHELPER_OP_SAVE, VIR_DOMAIN_JOB_OPERATION_SAVE };
static const testJobKind testJobManagedSave = {
    "managedsave", "remoteDispatchDomainManagedSave", IOHELPER_OP_SAVE,
    VIR_DOMAIN_JOB_OPERATION_SAVE };
static const testJobKind testJobDump = {
    "dump", "remoteDispatchDomainCoreDumpWithFormat", IOHELPER_OP_DUMP,
    VIR_DOMAIN_JOB_OPERATION_DUMP };
static const testJobKind testJobRestore = {
    "restore", "remoteDispatchDomainRestoreFlags", IOHELPER_OP_RESTORE,
    VIR_DOMAIN_JOB_OPERATION_RESTORE };
static const testJobKind testJobStart = {
    "start", "remoteDispatchDomainCreateWithFlags", IOHELPER_OP_RESTORE,
    VIR_DOMAIN_JOB_OPERATION_RESTORE };
static const testJobKind testJobHeader = {
    "image", "remoteDispatchDomainSaveImageGetXMLDesc", IOHELPER_OP_READ_HEADER,
    VIR_DOMAIN_JOB_OPERATION_UNKNOWN };
static const testJobKind testJobRewrite = {
    "image", "remoteDispatchDomainSaveImageDefineXML", IOHELPER_OP_REWRITE,
    VIR_DOMAIN_JOB_OPERATION_UNKNOWN };

/* ------------------------------------------------------------------ */
/* The definition's job settings and questions                         */

/* The jobs element of def's metadata: bandwidth (bytes/s) and the
 * question for task (NULL: none). A malformed element is ignored. */
static void
testJobsConfRead(const virDomainDef *def, const char *task, unsigned long long *bandwidth,
                 virQuestion **question)
{
    g_autofree char *xml = def ? virDomainDefGetMetadataElement(def, TEST_JOBS_NS) : NULL;
    xmlDocPtr doc;
    xmlNodePtr root, cur;
    xmlChar *attr;

    *bandwidth = 0;
    *question = NULL;
    if (!xml || !(doc = xmlReadMemory(xml, strlen(xml), "jobs", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)))
        return;
    root = xmlDocGetRootElement(doc);
    if ((attr = xmlGetProp(root, (const xmlChar *)"bandwidth"))) {
        *bandwidth = g_ascii_strtoull((const char *)attr, NULL, 10) * 1024 * 1024;
        xmlFree(attr);
    }
    for (cur = root->children; cur && task && !*question; cur = cur->next) {
        g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func(xmlFree);
        xmlChar *t, *text, *def_;
        xmlNodePtr a;

        if (cur->type != XML_ELEMENT_NODE || strcmp((const char *)cur->name, "question") != 0)
            continue;
        t = xmlGetProp(cur, (const xmlChar *)"task");
        if (!t || (strcmp((const char *)t, task) != 0 && strcmp((const char *)t, "any") != 0)) {
            xmlFree(t);
            continue;
        }
        xmlFree(t);
        for (a = cur->children; a; a = a->next) {
            if (a->type == XML_ELEMENT_NODE && strcmp((const char *)a->name, "answer") == 0)
                g_ptr_array_add(answers, xmlNodeGetContent(a));
        }
        g_ptr_array_add(answers, NULL);
        text = xmlGetProp(cur, (const xmlChar *)"text");
        def_ = xmlGetProp(cur, (const xmlChar *)"default");
        if (text && answers->len > 1) {
            g_autofree char *id = g_strdup_printf("test:%s", task);

            *question = virQuestionNew(id, (const char *)text,
                                       (const char *const *)answers->pdata,
                                       def_ ? atoi((const char *)def_) : 0);
        }
        xmlFree(text);
        xmlFree(def_);
    }
    xmlFreeDoc(doc);
}

/* Before task starts on dom (state->lock held): a pending question is
 * dealt with first, then the definition's question for task is asked now
 * (in-process tasks: helperQ NULL) or handed to the helper (*helperQ). */
int
testDomainTaskQuestions(virConnect *conn, testDomain *dom, const char *task,
                        virQuestion **helperQ)
{
    g_autoptr(virQuestion) q = NULL;
    unsigned long long bandwidth;
    virQuestionState *st = &dom->obj.questions;

    if (helperQ)
        *helperQ = NULL;
    if (virQuestionHandlePending(st, conn->autoAnswer) < 0)
        return -1;
    testJobsConfRead(virDomainObjCurrentDef(&dom->obj), task, &bandwidth, &q);
    if (!q) {
        /* an answer kept for another task's question is dropped with it */
        if (st->answered)
            virQuestionStateClear(st);
        return 0;
    }
    if (helperQ) {
        if (st->question && st->answered && strcmp(st->question->id, q->id) == 0) {
            virQuestionStateClear(st);      /* answered already: not asked again */
            return 0;
        }
        *helperQ = g_steal_pointer(&q);
        return 0;
    }
    return virQuestionAsk(st, q, conn->autoAnswer) < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Running a job                                                       */

/* dom may take a new job (state->lock held). */
static int
testJobCheckFree(testDomain *dom)
{
    if (dom->job || dom->jobBusy) {
        virReportError(VIR_ERR_OPERATION_TIMEOUT,
                       "cannot acquire state change lock (held by monitor=%s)",
                       dom->jobAPI ? dom->jobAPI : "unknown");
        return -1;
    }
    return 0;
}

static void
testJobReserve(testDomain *dom, const testJobKind *kind)
{
    dom->jobBusy = true;
    dom->jobAPI = kind->api;
}

/* Start the helper and publish the job on the domain of uuid (if still
 * there): no lock held. */
static virJob *
testJobLaunch(testState *state, const unsigned char *uuid, const virJobParams *p)
{
    virJob *job = virJobStart(p);
    testDomain *dom;

    virNoIOMutexLock(&state->lock);
    if ((dom = (testDomain *)virDomainObjListFindByUUID(state->domains, uuid))) {
        if (job)
            dom->job = job;
        else
            dom->jobBusy = false;
    }
    virNoIOMutexUnlock(&state->lock);
    return job;
}

/* After the wait (state->lock held): the domain's job is over; keep its
 * statistics, make a refused question pending, raise JOB_COMPLETED when
 * it succeeded. dom may be NULL (gone meanwhile). */
static void
testJobFinish(testState *state, testDomain *dom, virJob *job, int rc)
{
    g_autoptr(virQuestion) q = virJobStealQuestion(job);
    virTypedParameter *params = NULL;
    int nparams = 0;
    virJobInfo info;

    if (!dom)
        return;
    dom->job = NULL;
    dom->jobBusy = false;
    dom->jobAPI = NULL;
    virJobGetInfo(job, &info);
    virJobInfoClear(&dom->completed);
    dom->completed = info;
    if (q)
        virQuestionSetPending(&dom->obj.questions, q);
    if (rc == 0 && virJobInfoToParams(&info, &params, &nparams) == 0) {
        virDomainRef *ref = virDomainObjMakeRef(&dom->obj);

        virDomainEventRegistryDispatchJobCompleted(state->events, ref, params, nparams);
        virDomainRefFree(ref);
        virTypedParamsFree(params, nparams);
    }
}

/* The managed-save image of dom: <job state dir>/test-managedsave/<state>-<uuid>.save */
char *
testManagedSavePath(testState *state, const testDomain *dom)
{
    const char *dir = virJobStateDir();
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!dir) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "no state directory for managed save images");
        return NULL;
    }
    virDomainUUIDFormat(virDomainObjCurrentDef(&dom->obj)->uuid, uuid);
    return g_strdup_printf("%s/test-managedsave/%u-%s.save", dir, state->serial, uuid);
}

/* Save, managed save, core dump: an image of a running domain. */
static int
testDomainWriteImage(virConnect *conn, const virDomainRef *ref, const char *to,
                     const testJobKind *kind, unsigned int dumpFlags)
{
    testState *state = conn->privateData;
    g_autoptr(virQuestion) q = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *path = NULL;
    g_autofree char *name = NULL;
    unsigned char uuid[VIR_UUID_BUFLEN];
    virJobParams p = { 0 };
    unsigned long long bandwidth;
    virQuestion *unused = NULL;
    virJob *job;
    testDomain *dom;
    int rc;

    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto error;
    if (!virDomainObjIsActive(&dom->obj)) {
        virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        goto error;
    }
    if (kind == &testJobManagedSave && !dom->obj.def) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot do managed save for transient domain");
        goto error;
    }
    if (testJobCheckFree(dom) < 0 || testDomainTaskQuestions(conn, dom, kind->task, &q) < 0)
        goto error;
    if (kind == &testJobManagedSave) {
        if (!(path = testManagedSavePath(state, dom)))
            goto error;
    } else {
        path = g_strdup(to);
    }
    xml = virDomainDefFormat(dom->obj.live, -1);
    name = g_strdup(dom->obj.live->name);
    memcpy(uuid, dom->obj.live->uuid, sizeof(uuid));
    p.memory = dom->obj.live->currentMemory * 1024;
    testJobsConfRead(dom->obj.live, NULL, &bandwidth, &unused);
    testJobReserve(dom, kind);
    virNoIOMutexUnlock(&state->lock);

    if (kind == &testJobManagedSave) {
        g_autofree char *dir = g_path_get_dirname(path);

        if (g_mkdir_with_parents(dir, 0700) < 0) {
            virReportSystemError(errno, "cannot create directory '%s'", dir);
            virNoIOMutexLock(&state->lock);
            if ((dom = (testDomain *)virDomainObjListFindByUUID(state->domains, uuid)))
                dom->jobBusy = false;
            virNoIOMutexUnlock(&state->lock);
            return -1;
        }
    }
    p.helperOp = kind->helperOp;
    p.operation = kind->operation;
    p.what = kind->task;
    p.name = name;
    p.path = path;
    p.atomic = true;
    p.xml = xml;
    p.uuid = uuid;
    p.bandwidth = bandwidth;
    p.question = q;
    p.questionAt = p.memory / 2;
    p.autoAnswer = conn->autoAnswer;
    if (!(job = testJobLaunch(state, uuid, &p)))
        return -1;
    rc = virJobWait(job);

    virNoIOMutexLock(&state->lock);
    dom = (testDomain *)virDomainObjListFindByUUID(state->domains, uuid);
    testJobFinish(state, dom, job, rc);
    if (rc == 0 && dom && virDomainObjIsActive(&dom->obj)) {
        if (kind == &testJobDump) {
            if (dumpFlags & VIR_DUMP_CRASH)
                testDomainStopAndNotify(state, dom, VIR_DOMAIN_SHUTOFF_CRASHED,
                                        VIR_DOMAIN_EVENT_STOPPED_CRASHED);
        } else {
            bool managed = kind == &testJobManagedSave;

            testDomainStopAndNotify(state, dom, VIR_DOMAIN_SHUTOFF_SAVED,
                                    VIR_DOMAIN_EVENT_STOPPED_SAVED);
            if (managed && (dom = (testDomain *)virDomainObjListFindByUUID(state->domains, uuid)))
                dom->obj.hasManagedSave = true;
        }
    }
    virNoIOMutexUnlock(&state->lock);
    virJobFree(job);
    return rc;

 error:
    virNoIOMutexUnlock(&state->lock);
    return -1;
}

int
testDomainSaveFlags(virConnect *conn, const virDomainRef *ref, const char *to, const char *dxml,
                    unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    if (dxml) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s", "xml modification unsupported");
        return -1;
    }
    return testDomainWriteImage(conn, ref, to, &testJobSave, 0);
}

int
testDomainManagedSave(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING |
                        VIR_DOMAIN_SAVE_PAUSED, -1);
    return testDomainWriteImage(conn, ref, NULL, &testJobManagedSave, 0);
}

int
testDomainCoreDumpWithFormat(virConnect *conn, const virDomainRef *ref, const char *to,
                             unsigned int dumpformat, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_DUMP_CRASH, -1);
    if (dumpformat != VIR_DOMAIN_CORE_DUMP_FORMAT_RAW) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "kdump-compressed format is not supported here");
        return -1;
    }
    return testDomainWriteImage(conn, ref, to, &testJobDump, flags);
}

/* Run a job that reads an image (header, restore, rewrite) for dom (the
 * job is published on it; NULL: no domain yet): the image's contents, or
 * NULL with an error. */
static virJob *
testDomainReadImage(virConnect *conn, const unsigned char *uuid, const char *name,
                    const char *path, const testJobKind *kind, const char *newXML,
                    virQuestion *q)
{
    testState *state = conn->privateData;
    virJobParams p = {
        .helperOp = kind->helperOp, .operation = kind->operation, .what = kind->task,
        .name = name ? name : path, .path = path, .atomic = kind->helperOp == IOHELPER_OP_REWRITE,
        .xml = newXML, .uuid = uuid, .question = q, .autoAnswer = conn->autoAnswer,
    };
    testDomain *dom = NULL;
    virJob *job;
    int rc;

    if (uuid) {
        if (!(job = testJobLaunch(state, uuid, &p)))
            return NULL;
    } else if (!(job = virJobStart(&p))) {
        return NULL;
    }
    rc = virJobWait(job);
    if (uuid) {
        virNoIOMutexLock(&state->lock);
        dom = (testDomain *)virDomainObjListFindByUUID(state->domains, uuid);
        testJobFinish(state, dom, job, rc);
        virNoIOMutexUnlock(&state->lock);
    }
    if (rc < 0 || (kind->helperOp != IOHELPER_OP_REWRITE && !virJobGetImage(job))) {
        if (rc == 0)
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "the helper read no image");
        virJobFree(job);
        return NULL;
    }
    return job;
}

static virDomainDef *
testImageDef(virJob *job)
{
    virDomainDef *def = virDomainDefParseString(virJobGetImage(job)->xml);

    if (def && !def->osArch)
        def->osArch = g_strdup("i686");
    return def;
}

int
testDomainRestoreFlags(virConnect *conn, const char *from, const char *dxml, unsigned int flags)
{
    testState *state = conn->privateData;
    g_autoptr(virDomainDef) def = NULL;
    testDomain *dom;
    virJob *job;
    bool err;

    virDriverCheckFlags(flags, 0, -1);
    if (dxml) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s", "xml modification unsupported");
        return -1;
    }
    if (!(job = testDomainReadImage(conn, NULL, NULL, from, &testJobRestore, NULL, NULL)))
        return -1;
    def = testImageDef(job);
    virJobFree(job);
    if (!def)
        return -1;

    virNoIOMutexLock(&state->lock);
    dom = (testDomain *)virDomainObjListCheckAssign(state->domains, def, true, &err);
    if (err || (dom && (testJobCheckFree(dom) < 0 ||
                        testDomainTaskQuestions(conn, dom, "restore", NULL) < 0))) {
        virNoIOMutexUnlock(&state->lock);
        return -1;
    }
    if (!dom) {
        dom = testDomainNew(NULL);
        testDomainAdd(state, dom);
    }
    testDomainStart(state, dom, g_steal_pointer(&def), VIR_DOMAIN_RUNNING,
                    VIR_DOMAIN_RUNNING_RESTORED);
    testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED);
    virNoIOMutexUnlock(&state->lock);
    return 0;
}

char *
testDomainSaveImageGetXMLDesc(virConnect *conn, const char *file, unsigned int flags)
{
    g_autoptr(virDomainDef) def = NULL;
    virJob *job;

    virDriverCheckFlags(flags, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE, NULL);
    if (!(job = testDomainReadImage(conn, NULL, NULL, file, &testJobHeader, NULL, NULL)))
        return NULL;
    def = testImageDef(job);
    virJobFree(job);
    return def ? virDomainDefFormat(def, -1) : NULL;
}

/* An image's definition replaced: the new one must be the same domain. */
static int
testImageRewrite(virConnect *conn, const unsigned char *uuid, const char *name,
                 const char *path, const char *dxml)
{
    g_autoptr(virDomainDef) newdef = NULL;
    g_autoptr(virDomainDef) old = NULL;
    g_autofree char *xml = NULL;
    virJob *job;

    if (!(newdef = virDomainDefParseString(dxml)))
        return -1;
    if (!(job = testDomainReadImage(conn, NULL, name, path, &testJobHeader, NULL, NULL)))
        return -1;
    old = testImageDef(job);
    virJobFree(job);
    if (!old)
        return -1;
    if (memcmp(old->uuid, newdef->uuid, VIR_UUID_BUFLEN) != 0 ||
        strcmp(old->name, newdef->name) != 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "the new definition is not the saved domain's (name or UUID differ)");
        return -1;
    }
    if (!newdef->osArch)
        newdef->osArch = g_strdup("i686");
    xml = virDomainDefFormat(newdef, -1);
    if (!(job = testDomainReadImage(conn, uuid, name, path, &testJobRewrite, xml, NULL)))
        return -1;
    virJobFree(job);
    return 0;
}

int
testDomainSaveImageDefineXML(virConnect *conn, const char *file, const char *dxml,
                             unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED, -1);
    return testImageRewrite(conn, NULL, NULL, file, dxml);
}

/* The managed-save image of a domain that has one (lock not held). */
static char *
testManagedSaveImageOf(virConnect *conn, const virDomainRef *ref, unsigned char *uuid,
                       char **name)
{
    testState *state = conn->privateData;
    testDomain *dom;
    char *path = NULL;

    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainFromRef(state, ref))) {
        if (!dom->obj.hasManagedSave) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "domain does not have managed save image");
        } else if ((path = testManagedSavePath(state, dom))) {
            memcpy(uuid, virDomainObjCurrentDef(&dom->obj)->uuid, VIR_UUID_BUFLEN);
            *name = g_strdup(virDomainObjCurrentDef(&dom->obj)->name);
        }
    }
    virNoIOMutexUnlock(&state->lock);
    return path;
}

char *
testDomainManagedSaveGetXMLDesc(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    g_autoptr(virDomainDef) def = NULL;
    g_autofree char *path = NULL;
    g_autofree char *name = NULL;
    unsigned char uuid[VIR_UUID_BUFLEN];
    virJob *job;

    virDriverCheckFlags(flags, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE, NULL);
    if (!(path = testManagedSaveImageOf(conn, ref, uuid, &name)))
        return NULL;
    if (!(job = testDomainReadImage(conn, NULL, name, path, &testJobHeader, NULL, NULL)))
        return NULL;
    def = testImageDef(job);
    virJobFree(job);
    return def ? virDomainDefFormat(def, -1) : NULL;
}

int
testDomainManagedSaveDefineXML(virConnect *conn, const virDomainRef *ref, const char *dxml,
                               unsigned int flags)
{
    g_autofree char *path = NULL;
    g_autofree char *name = NULL;
    unsigned char uuid[VIR_UUID_BUFLEN];

    virDriverCheckFlags(flags, VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED, -1);
    if (!dxml) {
        virDriverReportInvalidArg(dxml, "%s", "dxml in virDomainManagedSaveDefineXML must not be NULL");
        return -1;
    }
    if (!(path = testManagedSaveImageOf(conn, ref, uuid, &name)))
        return -1;
    return testImageRewrite(conn, uuid, name, path, dxml);
}

/* Start dom from its managed-save image (called by create without the
 * lock): the helper reads and checks the image, the domain runs with the
 * image's definition (RESTORED), the image is removed. */
int
testDomainStartManagedSave(virConnect *conn, const virDomainRef *ref)
{
    testState *state = conn->privateData;
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virQuestion) q = NULL;
    g_autofree char *path = NULL;
    g_autofree char *name = NULL;
    unsigned char uuid[VIR_UUID_BUFLEN];
    testDomain *dom;
    virJob *job;
    int ret = -1;

    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto unlock;
    if (dom->obj.state != VIR_DOMAIN_SHUTOFF) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Domain '%s' is already running",
                       virDomainObjCurrentDef(&dom->obj)->name);
        goto unlock;
    }
    if (testJobCheckFree(dom) < 0 || testDomainTaskQuestions(conn, dom, "start", &q) < 0 ||
        !(path = testManagedSavePath(state, dom)))
        goto unlock;
    memcpy(uuid, dom->obj.def->uuid, sizeof(uuid));
    name = g_strdup(dom->obj.def->name);
    testJobReserve(dom, &testJobStart);
    virNoIOMutexUnlock(&state->lock);

    if (!(job = testDomainReadImage(conn, uuid, name, path, &testJobStart, NULL, q)))
        return -1;
    def = testImageDef(job);
    virJobFree(job);
    if (!def)
        return -1;

    virNoIOMutexLock(&state->lock);
    if (!(dom = (testDomain *)virDomainObjListFindByUUID(state->domains, uuid)) ||
        dom->obj.state != VIR_DOMAIN_SHUTOFF || testJobCheckFree(dom) < 0) {
        if (!dom)
            virReportError(VIR_ERR_NO_DOMAIN, "%s", "Domain not found");
        else if (!virGetLastError())
            virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain changed during its start");
        goto unlock;
    }
    /* libvirt's test driver announces this start as BOOTED (its QEMU
     * driver: RESTORED); the conformance test compares with the former */
    testDomainStart(state, dom, g_steal_pointer(&def), VIR_DOMAIN_RUNNING,
                    VIR_DOMAIN_RUNNING_BOOTED);
    testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    virNoIOMutexUnlock(&state->lock);
    virFileRemove(path);
    return 0;

 unlock:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

/* ------------------------------------------------------------------ */
/* The job API                                                         */

int
testDomainGetJobInfo(virConnect *conn, const virDomainRef *ref, virDomainJobInfo *info)
{
    testState *state = conn->privateData;
    testDomain *dom;
    virJobInfo ji = { 0 };

    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref))) {
        virNoIOMutexUnlock(&state->lock);
        return -1;
    }
    if (dom->job)
        virJobGetInfo(dom->job, &ji);
    virNoIOMutexUnlock(&state->lock);

    memset(info, 0, sizeof(*info));
    info->type = ji.type;
    info->timeElapsed = ji.timeElapsed;
    info->dataTotal = info->memTotal = ji.dataTotal;
    info->dataProcessed = info->memProcessed = ji.dataProcessed;
    info->dataRemaining = info->memRemaining =
        ji.dataTotal > ji.dataProcessed ? ji.dataTotal - ji.dataProcessed : 0;
    virJobInfoClear(&ji);
    return 0;
}

int
testDomainGetJobStats(virConnect *conn, const virDomainRef *ref, int *type,
                      virTypedParameter **params, int *nparams, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    virJobInfo ji = { 0 };
    int ret;

    virDriverCheckFlags(flags, VIR_DOMAIN_JOB_STATS_COMPLETED |
                        VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED, -1);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref))) {
        virNoIOMutexUnlock(&state->lock);
        return -1;
    }
    if (flags & VIR_DOMAIN_JOB_STATS_COMPLETED) {
        virJobInfoCopy(&ji, &dom->completed);
        if (!(flags & VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED))
            virJobInfoClear(&dom->completed);
    } else if (dom->job) {
        virJobGetInfo(dom->job, &ji);
    }
    virNoIOMutexUnlock(&state->lock);

    *type = ji.type;
    ret = virJobInfoToParams(&ji, params, nparams);
    virJobInfoClear(&ji);
    return ret;
}

int
testDomainAbortJobFlags(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_ABORT_JOB_POSTCOPY, -1);
    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainFromRef(state, ref))) {
        if (flags & VIR_DOMAIN_ABORT_JOB_POSTCOPY) {
            /* no migration here: libvirt's words for any other job */
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "current job is not outgoing migration in post-copy mode");
        } else if (!dom->job) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s", "no job is active on the domain");
        } else {
            virJobAbort(dom->job);
            ret = 0;
        }
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

/* Remove the managed-save images of a state that is going away (no lock
 * held: the state is no longer reachable). */
void
testStateRemoveManagedSaves(testState *state)
{
    const char *dir = virJobStateDir();
    g_autofree char *sub = dir ? g_build_filename(dir, "test-managedsave", NULL) : NULL;
    g_autofree char *prefix = g_strdup_printf("%u-", state->serial);
    g_autoptr(GDir) d = sub ? g_dir_open(sub, 0, NULL) : NULL;
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        if (g_str_has_prefix(name, prefix)) {
            g_autofree char *path = g_build_filename(sub, name, NULL);

            virFileRemove(path);
        }
    }
}
