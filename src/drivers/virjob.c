/*
 * virjob.c: long jobs in a helper process (virjob.h, docs/jobs.md).
 *
 * One virNetServer ("iohelper") with its own event thread serves every
 * helper: each helper is one virNetServerClient on the daemon's end of
 * its socketpair, its private data a reference on the job. The handlers
 * (iohelperDispatch*) run inline on that thread; they only take job->lock.
 *
 * Lifetime: the job holds a reference on its client; the client's private
 * data holds one on the job (dropped when the client is freed). virJobFree
 * closes the client and drops the caller's reference.
 *
 * Locking: jobServerLock guards the server's creation and the records'
 * directory; job->lock everything in a job that changes after virJobStart.
 * Neither is held across I/O or a wait for the child (virJobWait waits on
 * job->cond, then calls waitpid with no lock).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "virjob.h"
#include "virnetserver.h"
#include "virnetsocket.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"
#include "virpublic.h"
#include "virnoiolock.h"
#include "iohelper_protocol_server.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("drivers.job");

#ifndef VIRTNET_IOHELPER_PATH
# define VIRTNET_IOHELPER_PATH VIRTNET_LIBEXECDIR "/virtnet_iohelper"
#endif

/* A helper asked to stop gets this long before it is killed. */
#define VIR_JOB_ABORT_GRACE_MS 3000
/* A helper must ask for its job within this time. */
#define VIR_JOB_HELLO_TIMEOUT_MS 30000

struct _virJob {
    gint refs;
    GMutex lock;
    GCond cond;

    /* fixed at start */
    iohelper_operation helperOp;
    int operation;
    char *what;
    char *kind;                 /* "domain", "volume" */
    char *name;
    char *path;
    char *tempPath;
    char *record;               /* job record file, or NULL */
    char *xml;
    unsigned char uuid[16];
    unsigned long long memory;
    unsigned int imageFlags;
    unsigned long long bandwidth;
    virQuestion *question;
    unsigned long long questionAt;
    bool autoAnswer;
    bool hasVolume;
    virJobVolume volume;        /* .source owned */
    pid_t pid;
    virNetServerClient *client;
    gint64 start;               /* monotonic, us */

    /* under lock */
    gint64 end;
    unsigned long long processed;
    unsigned long long total;
    bool hello;
    bool done;
    bool closed;
    bool abortRequested;
    const char *abortReason;    /* static text, for the caller's error */
    gint64 abortDeadline;
    iohelper_status status;
    char *message;
    virError *error;            /* the helper's own error (DONE), or NULL */
    virJobImage image;
    bool hasImage;
    virQuestion *refused;
    int result;                 /* after virJobWait: type for the stats */
    char *errmsg;
};

static GMutex jobServerLock;
static virEventThread *jobThread;
static virNetServer *jobServer;
static char *jobStateDir;
static bool jobShuttingDown;    /* virJobAbortAll was called: jobs stop at once */
static unsigned long long jobNextID = 1;

/* ------------------------------------------------------------------ */
/* State directory and records                                         */

const char *
virJobStateDir(void)
{
    const char *env = g_getenv("VIRTNET_JOB_STATE_DIR");
    const char *dir;

    if (env && *env)
        return env;
    g_mutex_lock(&jobServerLock);
    dir = jobStateDir;
    g_mutex_unlock(&jobServerLock);
    return dir;
}

void
virJobSetStateDir(const char *dir)
{
    g_mutex_lock(&jobServerLock);
    g_free(jobStateDir);
    jobStateDir = g_strdup(dir);
    g_mutex_unlock(&jobServerLock);
    if (g_mkdir_with_parents(virJobStateDir(), 0700) < 0)
        VIR_WARN("cannot create the job directory '%s': %s", virJobStateDir(),
                 g_strerror(errno));
    virJobCleanupStale(virJobStateDir());
}

/* A record names the temporary file of a job in progress: a daemon that
 * dies during the job leaves it, and the next one removes that file. */
int
virJobCleanupStale(const char *dir)
{
    g_autoptr(GDir) d = NULL;
    const char *name;
    int n = 0;

    if (!dir || !(d = g_dir_open(dir, 0, NULL)))
        return 0;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = NULL;
        g_autofree char *temp = NULL;

        if (!g_str_has_suffix(name, ".job"))
            continue;
        path = g_build_filename(dir, name, NULL);
        if (g_file_get_contents(path, &temp, NULL, NULL) && temp[0] == '/' &&
            !strchr(temp, '\n')) {
            if (virFileRemove(temp) == 0 && access(temp, F_OK) < 0) {
                VIR_WARN("removed '%s', the partial image of a job a previous daemon left", temp);
                n++;
            }
        }
        virFileRemove(path);
    }
    return n;
}

char *
virJobFindHelper(void)
{
    const char *env = g_getenv("VIRTNET_IOHELPER");
    g_autofree char *self = NULL;
    g_autofree char *dir = NULL;
    static const char *const rel[] = { "../src/helpers", "src/helpers", "../../src/helpers" };

    if (env && *env)
        return g_strdup(env);
    if (access(VIRTNET_IOHELPER_PATH, X_OK) == 0)
        return g_strdup(VIRTNET_IOHELPER_PATH);
    /* from the build tree: daemon/virtnetd, tests/... */
    if ((self = g_file_read_link("/proc/self/exe", NULL))) {
        dir = g_path_get_dirname(self);
        for (size_t i = 0; i < G_N_ELEMENTS(rel); i++) {
            char *path = g_build_filename(dir, rel[i], "virtnet_iohelper", NULL);

            if (access(path, X_OK) == 0)
                return path;
            g_free(path);
        }
    }
    return g_strdup(VIRTNET_IOHELPER_PATH);
}

/* ------------------------------------------------------------------ */
/* Jobs                                                                */

static virJob *
virJobRef(virJob *job)
{
    g_atomic_int_inc(&job->refs);
    return job;
}

static void
virJobUnref(void *opaque)
{
    virJob *job = opaque;

    if (!job || !g_atomic_int_dec_and_test(&job->refs))
        return;
    g_mutex_clear(&job->lock);
    g_cond_clear(&job->cond);
    g_free(job->what);
    g_free(job->kind);
    g_free(job->name);
    g_free((char *)job->volume.source);
    virErrorFree(job->error);
    g_free(job->path);
    g_free(job->tempPath);
    g_free(job->record);
    g_free(job->xml);
    virQuestionFree(job->question);
    virQuestionFree(job->refused);
    g_free(job->message);
    g_free(job->image.xml);
    g_free(job->errmsg);
    g_free(job);
}

static virJob *
virJobFromCall(virNetServerCall *call)
{
    virJob *job = virNetServerClientGetPrivateData(call->client);

    if (!job)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no job for this helper");
    return job;
}

int
iohelperDispatchHello(virNetServerCall *call, iohelper_hello_ret *ret)
{
    virJob *job = virJobFromCall(call);

    if (!job)
        return -1;
    g_mutex_lock(&job->lock);
    if (job->hello) {
        g_mutex_unlock(&job->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "the job was already given");
        return -1;
    }
    job->hello = true;
    g_cond_broadcast(&job->cond);
    g_mutex_unlock(&job->lock);

    ret->operation = job->helperOp;
    ret->name = g_strdup(job->name);
    ret->path = g_strdup(job->path);
    if (job->tempPath) {
        ret->temp_path = g_new0(char *, 1);
        *ret->temp_path = g_strdup(job->tempPath);
    }
    if (job->xml) {
        ret->xml = g_new0(char *, 1);
        *ret->xml = g_strdup(job->xml);
    }
    memcpy(ret->uuid, job->uuid, sizeof(ret->uuid));
    ret->memory = job->memory;
    ret->image_flags = job->imageFlags;
    ret->bandwidth = job->bandwidth;
    if (job->question) {
        iohelper_question *q = g_new0(iohelper_question, 1);
        u_int n = g_strv_length(job->question->answers);

        q->text = g_strdup(job->question->text);
        q->answers.answers_len = n;
        q->answers.answers_val = g_new0(char *, n + 1);
        for (u_int i = 0; i < n; i++)
            q->answers.answers_val[i] = g_strdup(job->question->answers[i]);
        q->default_answer = job->question->defaultAnswer;
        q->at = job->questionAt;
        ret->question.question_len = 1;
        ret->question.question_val = q;
    }
    if (job->hasVolume) {
        iohelper_volume *v = g_new0(iohelper_volume, 1);

        if (job->volume.source) {
            v->source = g_new0(char *, 1);
            *v->source = g_strdup(job->volume.source);
        }
        v->source_capacity = job->volume.sourceCapacity;
        v->capacity = job->volume.capacity;
        v->allocation = job->volume.allocation;
        v->mode = job->volume.mode;
        v->uid = job->volume.uid;
        v->gid = job->volume.gid;
        v->algorithm = job->volume.algorithm;
        ret->volume.volume_len = 1;
        ret->volume.volume_val = v;
    }
    return 0;
}

int
iohelperDispatchHeader(virNetServerCall *call, iohelper_header_args *args)
{
    virJob *job = virJobFromCall(call);

    if (!job)
        return -1;
    g_mutex_lock(&job->lock);
    g_free(job->image.xml);
    job->image.xml = g_strdup(args->xml);
    memcpy(job->image.uuid, args->uuid, sizeof(job->image.uuid));
    job->image.memory = args->memory;
    job->image.imageFlags = args->image_flags;
    job->image.kind = args->kind;
    job->hasImage = true;
    g_mutex_unlock(&job->lock);
    return 0;
}

int
iohelperDispatchProgress(virNetServerCall *call, iohelper_progress_args *args,
                         iohelper_progress_ret *ret)
{
    virJob *job = virJobFromCall(call);

    if (!job)
        return -1;
    g_mutex_lock(&job->lock);
    job->processed = args->processed;
    job->total = args->total;
    ret->stop = job->abortRequested;
    g_mutex_unlock(&job->lock);
    VIR_DEBUG("%s of %s '%s': %llu of %llu bytes", job->what, job->kind, job->name,
              (unsigned long long)args->processed, (unsigned long long)args->total);
    return 0;
}

int
iohelperDispatchLog(virNetServerCall *call, iohelper_log_args *args)
{
    virJob *job = virJobFromCall(call);
    int prio = args->priority;

    if (!job)
        return -1;
    if (prio < VIR_LOG_DEBUG || prio > VIR_LOG_ERROR)
        prio = VIR_LOG_INFO;
    virLogMessage(&virLogSelf, prio, __FILE__, __LINE__, __func__,
                  "%s of %s '%s' (helper %d): %s", job->what, job->kind, job->name,
                  (int)job->pid, args->message);
    return 0;
}

/* The helper cannot go on without a decision: the connection's
 * auto_answer decides (virquestion.h). */
int
iohelperDispatchAsk(virNetServerCall *call, iohelper_ask_args *args, iohelper_ask_ret *ret)
{
    virJob *job = virJobFromCall(call);
    g_autoptr(virQuestion) q = NULL;
    virQuestionState st = { 0 };
    g_autofree char **answers = NULL;
    int answer;

    if (!job)
        return -1;
    answers = g_new0(char *, args->answers.answers_len + 1);
    for (u_int i = 0; i < args->answers.answers_len; i++)
        answers[i] = args->answers.answers_val[i];
    q = virQuestionNew(job->question ? job->question->id : "iohelper", args->text,
                       (const char *const *)answers, args->default_answer);
    if ((answer = virQuestionAsk(&st, q, job->autoAnswer)) < 0) {
        g_mutex_lock(&job->lock);
        virQuestionFree(job->refused);
        job->refused = g_steal_pointer(&st.question);
        g_mutex_unlock(&job->lock);
        return -1;
    }
    ret->answer = answer;
    return 0;
}

int
iohelperDispatchDone(virNetServerCall *call, iohelper_done_args *args)
{
    virJob *job = virJobFromCall(call);

    if (!job)
        return -1;
    g_mutex_lock(&job->lock);
    job->done = true;
    job->status = args->status;
    g_free(job->message);
    job->message = g_strdup(args->message ? *args->message : NULL);
    virErrorFree(job->error);
    job->error = NULL;
    if (args->error.error_len == 1 && args->error.error_val[0].code > 0) {   /* not VIR_ERR_OK */
        const iohelper_error *e = &args->error.error_val[0];

        job->error = g_new0(virError, 1);
        job->error->code = e->code;
        job->error->domain = e->domain;
        job->error->level = VIR_ERR_ERROR;
        job->error->message = g_strdup(e->message);
    }
    job->processed = args->processed;
    job->total = args->total;
    job->end = g_get_monotonic_time();
    g_cond_broadcast(&job->cond);
    g_mutex_unlock(&job->lock);
    return 0;
}

static void
virJobClientClosed(virNetServerClient *client G_GNUC_UNUSED, void *data)
{
    virJob *job = data;

    g_mutex_lock(&job->lock);
    job->closed = true;
    if (!job->end)
        job->end = g_get_monotonic_time();
    g_cond_broadcast(&job->cond);
    g_mutex_unlock(&job->lock);
}

static virNetServer *
virJobServerGet(void)
{
    virNetServer *srv = NULL;

    g_mutex_lock(&jobServerLock);
    if (!jobServer) {
        virNetServerConfig cfg;
        virNetServerProgram *prog;

        virNetServerConfigDefaults(&cfg);
        cfg.min_workers = 1;
        cfg.max_workers = 1;
        cfg.prio_workers = 0;
        cfg.keepalive_interval = -1;
        cfg.max_client_requests = 1;
        if (!(jobThread = virEventThreadNew("virtnet-jobs")))
            goto cleanup;
        if (!(jobServer = virNetServerNew("iohelper", &cfg, virEventThreadGetLoop(jobThread))))
            goto cleanup;
        prog = iohelperServerProgramNew();
        if (virNetServerAddProgram(jobServer, prog) < 0 || virNetServerStart(jobServer) < 0) {
            virNetServerProgramUnref(prog);
            virNetServerUnref(jobServer);
            jobServer = NULL;
            goto cleanup;
        }
        virNetServerProgramUnref(prog);
    }
    srv = jobServer;
 cleanup:
    g_mutex_unlock(&jobServerLock);
    return srv;
}

/* fork and exec the helper with its end of the socketpair as fd 3. */
static pid_t
virJobSpawn(const char *helper, int fd)
{
    const char *argv[] = { helper, "--fd", "3", NULL };
    int nullfd, moved;
    pid_t pid;

    if ((nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "%s", "cannot open /dev/null");
        return -1;
    }
    /* above 3, so that no dup2 below clobbers it */
    if ((moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)) < 0) {
        virReportSystemError(errno, "%s", "cannot duplicate descriptors");
        close(nullfd);
        return -1;
    }
    if ((pid = fork()) < 0) {
        virReportSystemError(errno, "%s", "cannot fork the I/O helper");
        close(nullfd);
        close(moved);
        return -1;
    }
    if (pid == 0) {
        sigset_t none;

        /* only async-signal-safe calls from here to exec; the daemon's
         * blocked signals are not the helper's */
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (dup2(nullfd, 0) < 0 || dup2(moved, 3) < 0)
            _exit(126);
        syscall(SYS_close_range, 4U, ~0U, 0U);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(nullfd);
    close(moved);
    return pid;
}

/* VIRTNET_JOB_BANDWIDTH (MiB/s) paces the jobs that set no bandwidth of
 * their own: the tests make volume jobs last long enough to watch. */
static unsigned long long
virJobDefaultBandwidth(void)
{
    const char *env = g_getenv("VIRTNET_JOB_BANDWIDTH");

    return env ? g_ascii_strtoull(env, NULL, 10) * 1024 * 1024 : 0;
}

/* DIR/.BASE.part-XXXXXX next to the image: the rename stays in one
 * file system. */
static char *
virJobTempPath(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);

    return g_strdup_printf("%s/.%s.part-%08x", dir, base, g_random_int());
}

/* Ask the helper to stop; why: static text for the caller's error. */
static void
virJobAbortWhy(virJob *job, const char *why)
{
    g_mutex_lock(&job->lock);
    if (!job->abortRequested) {
        job->abortRequested = true;
        job->abortReason = why;
        job->abortDeadline = g_get_monotonic_time() + VIR_JOB_ABORT_GRACE_MS * 1000LL;
    }
    g_cond_broadcast(&job->cond);
    g_mutex_unlock(&job->lock);
}

virJob *
virJobStart(const virJobParams *p)
{
    g_autofree char *helper = virJobFindHelper();
    virNetServer *srv;
    virNetSocket *sock = NULL;
    virJob *job;
    int sv[2] = { -1, -1 };
    const char *dir;
    unsigned long long id;
    bool shuttingDown;

    virNoIOCheck("fork");
    if (!g_path_is_absolute(p->path)) {
        virReportError(VIR_ERR_INVALID_ARG, "the path '%s' is not absolute", p->path);
        return NULL;
    }
    if (access(helper, X_OK) < 0) {
        virReportSystemError(errno, "cannot run the I/O helper '%s'", helper);
        return NULL;
    }
    if (!(srv = virJobServerGet()))
        return NULL;

    job = g_new0(virJob, 1);
    job->refs = 1;
    g_mutex_init(&job->lock);
    g_cond_init(&job->cond);
    job->helperOp = p->helperOp;
    job->operation = p->operation;
    job->what = g_strdup(p->what);
    job->kind = g_strdup(p->kind ? p->kind : "domain");
    job->name = g_strdup(p->name);
    job->path = g_strdup(p->path);
    job->xml = g_strdup(p->xml);
    if (p->uuid)
        memcpy(job->uuid, p->uuid, sizeof(job->uuid));
    job->memory = p->memory;
    job->imageFlags = p->imageFlags;
    job->bandwidth = p->bandwidth ? p->bandwidth : virJobDefaultBandwidth();
    job->question = virQuestionCopy(p->question);
    job->questionAt = p->questionAt;
    job->autoAnswer = p->autoAnswer;
    if (p->volume) {
        job->hasVolume = true;
        job->volume = *p->volume;
        job->volume.source = g_strdup(p->volume->source);
    }
    job->pid = -1;
    job->start = g_get_monotonic_time();

    g_mutex_lock(&jobServerLock);
    id = jobNextID++;
    g_mutex_unlock(&jobServerLock);
    if (p->atomic) {
        job->tempPath = p->tempPath ? g_strdup(p->tempPath) : virJobTempPath(p->path);
        if ((dir = virJobStateDir())) {
            job->record = g_strdup_printf("%s/%d-%llu.job", dir, (int)getpid(), id);
            if (virFileWriteAtomic(job->record, job->tempPath, strlen(job->tempPath), 0600) < 0)
                goto error;
        }
    }

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        virReportSystemError(errno, "%s", "cannot create a socket pair for the I/O helper");
        goto error;
    }
    if (!(sock = virNetSocketNewFD(sv[0])))
        goto error;
    sv[0] = -1;
    job->client = virNetServerClientNew(id, sock, VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 1);
    if (!job->client)
        goto error;
    virNetServerClientSetPrivateData(job->client, virJobRef(job), virJobUnref);
    virNetServerClientSetPrivateDataCloseFunc(job->client, virJobClientClosed);
    if ((job->pid = virJobSpawn(helper, sv[1])) < 0)
        goto error;
    VIR_FORCE_CLOSE(sv[1]);
    if (virNetServerAddClient(srv, job->client) < 0)
        goto error;
    /* a job added after virJobAbortAll listed the clients stops too */
    g_mutex_lock(&jobServerLock);
    shuttingDown = jobShuttingDown;
    g_mutex_unlock(&jobServerLock);
    if (shuttingDown)
        virJobAbortWhy(job, "the daemon is shutting down");
    VIR_DEBUG("%s of %s '%s': helper %d for '%s'", job->what, job->kind, job->name, (int)job->pid,
              job->path);
    return job;

 error:
    VIR_FORCE_CLOSE(sv[0]);
    VIR_FORCE_CLOSE(sv[1]);
    if (!job->client && sock)
        virNetSocketFree(sock);
    if (job->pid > 0) {
        kill(job->pid, SIGKILL);
        virProcessWaitPid(job->pid, NULL, 0);
    }
    if (job->record)
        virFileRemove(job->record);
    if (job->client) {
        virNetServerClientClose(job->client);
        virNetServerClientUnref(job->client);
        job->client = NULL;
    }
    virJobUnref(job);
    return NULL;
}

static char *
virJobDescribeExit(int status)
{
    if (WIFSIGNALED(status)) {
        const char *abbrev = sigabbrev_np(WTERMSIG(status));

        return abbrev ? g_strdup_printf("was killed by signal SIG%s", abbrev)
                      : g_strdup_printf("was killed by signal %d", WTERMSIG(status));
    }
    if (WIFEXITED(status))
        return g_strdup_printf("exited with status %d", WEXITSTATUS(status));
    return g_strdup_printf("ended with wait status 0x%x", status);
}

int
virJobWait(virJob *job)
{
    g_autofree char *exitText = NULL;
    virError *saved = NULL;
    int status = 0;
    int ret = -1;

    virNoIOCheck("waitpid");
    g_mutex_lock(&job->lock);
    while (!job->closed) {
        gint64 now = g_get_monotonic_time();

        if (job->abortRequested && now >= job->abortDeadline) {
            VIR_WARN("%s of %s '%s': helper %d did not stop, killing it", job->what,
                     job->kind, job->name, (int)job->pid);
            kill(job->pid, SIGKILL);
            job->abortDeadline = G_MAXINT64;
        } else if (!job->hello && now - job->start > VIR_JOB_HELLO_TIMEOUT_MS * 1000LL) {
            kill(job->pid, SIGKILL);
        }
        g_cond_wait_until(&job->cond, &job->lock, now + 100 * 1000);
    }
    g_mutex_unlock(&job->lock);

    if (virProcessWaitPid(job->pid, &status, 0) < 0)
        status = -1;
    exitText = status == -1 ? g_strdup("could not be waited for") : virJobDescribeExit(status);

    g_mutex_lock(&job->lock);
    if (job->done && job->status == IOHELPER_STATUS_OK && status == 0) {
        job->result = VIR_DOMAIN_JOB_COMPLETED;
        ret = 0;
    } else if (job->done && job->status == IOHELPER_STATUS_ABORTED) {
        job->result = VIR_DOMAIN_JOB_CANCELLED;
        virReportError(VIR_ERR_OPERATION_ABORTED, "%s job: %s", job->what, job->abortReason);
    } else if (job->done && job->status == IOHELPER_STATUS_CANCELLED && job->refused) {
        job->result = VIR_DOMAIN_JOB_CANCELLED;
        virQuestionReport(job->refused);
    } else if (job->done && job->status != IOHELPER_STATUS_OK && job->error) {
        job->result = VIR_DOMAIN_JOB_FAILED;
        virErrorSetLast(job->error);
    } else if (job->done && job->status != IOHELPER_STATUS_OK) {
        job->result = VIR_DOMAIN_JOB_FAILED;
        virReportError(VIR_ERR_OPERATION_FAILED, "%s of %s '%s' failed: %s", job->what,
                       job->kind, job->name, job->message ? job->message : "unknown error");
    } else {
        job->result = VIR_DOMAIN_JOB_FAILED;
        virReportError(VIR_ERR_OPERATION_FAILED,
                       "%s of %s '%s' failed: the I/O helper (pid %d) %s", job->what,
                       job->kind, job->name, (int)job->pid, exitText);
    }
    if (ret < 0)
        job->errmsg = g_strdup(virGetLastErrorMessage());
    g_mutex_unlock(&job->lock);

    /* a helper that died cannot have removed its file */
    saved = virErrorPreserveLast();
    if (ret < 0 && job->tempPath)
        virFileRemove(job->tempPath);
    if (job->record)
        virFileRemove(job->record);
    virErrorRestore(&saved);
    VIR_DEBUG("%s of %s '%s': helper %d %s", job->what, job->kind, job->name, (int)job->pid,
              exitText);
    return ret;
}

void
virJobAbort(virJob *job)
{
    virJobAbortWhy(job, "canceled by client");
}

/* Every helper is a client of jobServer whose private data is its job
 * (alive as long as the client, which the list holds a reference on). */
int
virJobAbortAll(void)
{
    g_autoptr(GPtrArray) clients = NULL;
    virNetServer *srv;
    int n = 0;

    g_mutex_lock(&jobServerLock);
    jobShuttingDown = true;
    srv = jobServer;
    if (srv)
        clients = virNetServerGetClients(srv);
    g_mutex_unlock(&jobServerLock);
    for (guint i = 0; clients && i < clients->len; i++) {
        virJob *job = virNetServerClientGetPrivateData(g_ptr_array_index(clients, i));

        if (job) {
            virJobAbortWhy(job, "the daemon is shutting down");
            n++;
        }
    }
    return n;
}

void
virJobGetInfo(virJob *job, virJobInfo *info)
{
    gint64 end;

    memset(info, 0, sizeof(*info));
    g_mutex_lock(&job->lock);
    info->type = job->result ? job->result : VIR_DOMAIN_JOB_UNBOUNDED;
    info->operation = job->operation;
    end = job->end && job->result ? job->end : g_get_monotonic_time();
    info->timeElapsed = (unsigned long long)(end - job->start) / 1000;
    info->dataTotal = job->total ? job->total : job->memory;
    info->dataProcessed = job->processed;
    info->errmsg = g_strdup(job->errmsg);
    g_mutex_unlock(&job->lock);
}

const virJobImage *
virJobGetImage(virJob *job)
{
    const virJobImage *img;

    g_mutex_lock(&job->lock);
    img = job->hasImage ? &job->image : NULL;
    g_mutex_unlock(&job->lock);
    return img;
}

virQuestion *
virJobStealQuestion(virJob *job)
{
    virQuestion *q;

    g_mutex_lock(&job->lock);
    q = g_steal_pointer(&job->refused);
    g_mutex_unlock(&job->lock);
    return q;
}

void
virJobFree(virJob *job)
{
    if (!job)
        return;
    if (job->client) {
        virNetServerClientClose(job->client);
        virNetServerClientUnref(job->client);
        job->client = NULL;
    }
    virJobUnref(job);
}

void
virJobInfoClear(virJobInfo *info)
{
    g_clear_pointer(&info->errmsg, g_free);
    memset(info, 0, sizeof(*info));
}

void
virJobInfoCopy(virJobInfo *dst, const virJobInfo *src)
{
    virJobInfoClear(dst);
    *dst = *src;
    dst->errmsg = g_strdup(src->errmsg);
}

int
virJobInfoToParams(const virJobInfo *info, virTypedParameter **params, int *nparams)
{
    int max = 0;
    unsigned long long remaining = info->dataTotal > info->dataProcessed ?
                                   info->dataTotal - info->dataProcessed : 0;

    *params = NULL;
    *nparams = 0;
    if (info->type == VIR_DOMAIN_JOB_NONE)
        return 0;
    if (virTypedParamsAddInt(params, nparams, &max, VIR_DOMAIN_JOB_OPERATION,
                             info->operation) < 0 ||
        virTypedParamsAddULLong(params, nparams, &max, VIR_DOMAIN_JOB_TIME_ELAPSED,
                                info->timeElapsed) < 0 ||
        virTypedParamsAddULLong(params, nparams, &max, VIR_DOMAIN_JOB_DATA_TOTAL,
                                info->dataTotal) < 0 ||
        virTypedParamsAddULLong(params, nparams, &max, VIR_DOMAIN_JOB_DATA_PROCESSED,
                                info->dataProcessed) < 0 ||
        virTypedParamsAddULLong(params, nparams, &max, VIR_DOMAIN_JOB_DATA_REMAINING,
                                remaining) < 0 ||
        virTypedParamsAddULLong(params, nparams, &max, VIR_DOMAIN_JOB_MEMORY_TOTAL,
                                info->dataTotal) < 0 ||
        virTypedParamsAddULLong(params, nparams, &max, VIR_DOMAIN_JOB_MEMORY_PROCESSED,
                                info->dataProcessed) < 0 ||
        virTypedParamsAddULLong(params, nparams, &max, VIR_DOMAIN_JOB_MEMORY_REMAINING,
                                remaining) < 0)
        goto error;
    if (info->type != VIR_DOMAIN_JOB_UNBOUNDED &&
        virTypedParamsAddBoolean(params, nparams, &max, VIR_DOMAIN_JOB_SUCCESS,
                                 info->type == VIR_DOMAIN_JOB_COMPLETED) < 0)
        goto error;
    if (info->errmsg &&
        virTypedParamsAddString(params, nparams, &max, VIR_DOMAIN_JOB_ERRMSG, info->errmsg) < 0)
        goto error;
    return 0;
 error:
    virTypedParamsFree(*params, *nparams);
    *params = NULL;
    *nparams = 0;
    return -1;
}
