/*
 * iohelper.c: virtnet_iohelper, the process that runs one long job for
 * the daemon (docs/jobs.md, DESIGN rule 7): it writes or reads one domain
 * image (vnimage.h), or clones or wipes one dir-pool volume (with the
 * storage backend's own code, storagedir.h), and reports over the iohelper program
 * (protocol/iohelper_protocol.x) on fd 3, a socketpair the daemon serves.
 *
 * Single-threaded, no event loop: every message is a call answered by the
 * daemon. It asks for its job (HELLO), works in blocks of 1 MiB paced to
 * the job's bandwidth, reports PROGRESS at least every 100 ms and stops
 * when the reply says so, poses the job's question (ASK) once it is due,
 * and ends with DONE. An image is written to its temporary name, fsynced,
 * renamed to its real name and the directory fsynced; on any failure the
 * temporary file is removed, so no half image ever has the real name.
 *
 * Exit status: 0 when the job succeeded, 1 when it failed or was stopped
 * (DONE said why), 2 when the daemon could not be talked to.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib.h>

#include "vnimage.h"
#include "storagedir.h"
#include "virnetclient.h"
#include "virnetsocket.h"
#include "virerror.h"
#include "virlog.h"
#include "iohelper_protocol.h"
#include "iohelper_protocol_client.h"

typedef struct {
    virNetClient *client;
    virNetClientProgram *prog;
    iohelper_hello_ret job;
    int fd;                     /* the image being written or read */
    bool created;               /* fd is the temporary file we made */
    uint64_t processed;
    uint64_t total;
    gint64 start;               /* monotonic, us */
    gint64 lastReport;
    bool asked;
    iohelper_status status;     /* when not OK: why the job ends */
    char *message;
    virError *error;            /* FAILED with an error of its own: that error */
} ioHelper;

static void G_GNUC_PRINTF(3, 4)
ioHelperFail(ioHelper *h, iohelper_status status, const char *fmt, ...)
{
    va_list ap;

    if (h->status != IOHELPER_STATUS_OK)
        return;             /* the first reason is the one reported */
    va_start(ap, fmt);
    h->message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    h->status = status;
}

static void
ioHelperLog(ioHelper *h, int priority, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void
ioHelperLog(ioHelper *h, int priority, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    iohelper_log_args args;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    args.priority = priority;
    args.message = msg;
    iohelperCallLog(h->prog, h->client, &args);
}

/* FAILED with the thread's last error, which the caller gets as it is
 * (unless the job already ended for another reason: stopped). */
static void
ioHelperFailLastError(ioHelper *h)
{
    const virError *err = virGetLastError();

    if (h->status != IOHELPER_STATUS_OK)
        return;
    ioHelperFail(h, IOHELPER_STATUS_FAILED, "%s", virGetLastErrorMessage());
    if (err) {
        h->error = g_new0(virError, 1);
        virErrorCopy(h->error, err);
    }
}

/* Report progress when due (or when forced); false when the daemon says
 * stop or cannot be reached. */
static bool
ioHelperProgress(ioHelper *h, bool force)
{
    iohelper_progress_args args = { .processed = h->processed, .total = h->total };
    iohelper_progress_ret ret = { 0 };
    gint64 now = g_get_monotonic_time();

    if (!force && now - h->lastReport < IOHELPER_PROGRESS_INTERVAL_MS * 1000LL)
        return true;
    h->lastReport = now;
    if (iohelperCallProgress(h->prog, h->client, &args, &ret) < 0) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "lost the daemon: %s",
                     virGetLastErrorMessage());
        return false;
    }
    if (ret.stop) {
        ioHelperFail(h, IOHELPER_STATUS_ABORTED, "%s", "operation aborted");
        return false;
    }
    return true;
}

/* Keep to the job's bandwidth: sleep until processed bytes are due, in
 * slices short enough to keep reporting progress. */
static bool
ioHelperPace(ioHelper *h)
{
    if (!h->job.bandwidth)
        return ioHelperProgress(h, false);
    for (;;) {
        gint64 due = h->start + (gint64)((double)h->processed * 1e6 / h->job.bandwidth);
        gint64 now = g_get_monotonic_time();

        if (!ioHelperProgress(h, false))
            return false;
        if (due <= now)
            return true;
        g_usleep(MIN(due - now, IOHELPER_PROGRESS_INTERVAL_MS * 1000LL / 2));
    }
}

/* Pose the job's question once it is due; false when it was refused (the
 * job is then cancelled: the daemon keeps the question pending). */
static bool
ioHelperMaybeAsk(ioHelper *h)
{
    iohelper_question *q;
    iohelper_ask_args args;
    iohelper_ask_ret ret = { 0 };

    if (h->asked || h->job.question.question_len == 0)
        return true;
    q = &h->job.question.question_val[0];
    if (h->processed < q->at)
        return true;
    h->asked = true;
    args.text = q->text;
    args.answers.answers_len = q->answers.answers_len;
    args.answers.answers_val = q->answers.answers_val;
    args.default_answer = q->default_answer;
    if (iohelperCallAsk(h->prog, h->client, &args, &ret) < 0) {
        ioHelperFail(h, IOHELPER_STATUS_CANCELLED, "%s", virGetLastErrorMessage());
        return false;
    }
    if (ret.answer >= 0 && (u_int)ret.answer < q->answers.answers_len)
        ioHelperLog(h, VIR_LOG_INFO, "question '%s' answered '%s'", q->text,
                    q->answers.answers_val[ret.answer]);
    return true;
}

static bool
ioHelperWriteAll(ioHelper *h, const void *buf, size_t len, uint64_t off)
{
    const char *p = buf;

    while (len) {
        ssize_t n = pwrite(h->fd, p, len, (off_t)off);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ioHelperFail(h, IOHELPER_STATUS_FAILED, "cannot write '%s': %s",
                         h->job.temp_path ? *h->job.temp_path : h->job.path,
                         g_strerror(errno));
            return false;
        }
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return true;
}

static bool
ioHelperReadAll(ioHelper *h, int fd, const char *path, void *buf, size_t len, uint64_t off)
{
    char *p = buf;

    while (len) {
        ssize_t n = pread(fd, p, len, (off_t)off);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ioHelperFail(h, IOHELPER_STATUS_FAILED, "cannot read '%s': %s", path,
                         n < 0 ? g_strerror(errno) : "the image is truncated");
            return false;
        }
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return true;
}

/* Open the temporary file the daemon named (never an existing one). */
static bool
ioHelperCreate(ioHelper *h)
{
    const char *tmp = h->job.temp_path ? *h->job.temp_path : NULL;

    if (!tmp) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "%s", "no temporary file name in the job");
        return false;
    }
    if ((h->fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "cannot create '%s': %s", tmp,
                     g_strerror(errno));
        return false;
    }
    h->created = true;
    return true;
}

/* fsync, close, rename to the real name, fsync the directory. */
static bool
ioHelperCommit(ioHelper *h)
{
    const char *tmp = *h->job.temp_path;
    g_autofree char *dir = g_path_get_dirname(h->job.path);
    int dfd;

    if (fsync(h->fd) < 0 || close(h->fd) < 0) {
        h->fd = -1;
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "cannot write '%s': %s", tmp,
                     g_strerror(errno));
        return false;
    }
    h->fd = -1;
    if (rename(tmp, h->job.path) < 0) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "cannot rename '%s' to '%s': %s", tmp,
                     h->job.path, g_strerror(errno));
        return false;
    }
    h->created = false;
    if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return true;
}

/* Header and XML of a new image at the start of h->fd. */
static bool
ioHelperWriteHeader(ioHelper *h, uint32_t kind, const char *xml, uint64_t memory,
                    vnImageHeader *hdr)
{
    unsigned char buf[VN_IMAGE_HEADER_SIZE];
    size_t len = strlen(xml);

    if (len == 0 || len > VN_IMAGE_XML_MAX) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "%s", "definition too large for an image");
        return false;
    }
    vnImageHeaderInit(hdr, kind, h->job.image_flags, len, memory,
                      (const unsigned char *)h->job.uuid);
    vnImageHeaderEncode(hdr, buf);
    return ioHelperWriteAll(h, buf, sizeof(buf), 0) &&
           ioHelperWriteAll(h, xml, len, VN_IMAGE_HEADER_SIZE);
}

/* SAVE and DUMP: the memory of a test domain, block by block. */
static void
ioHelperSave(ioHelper *h, uint32_t kind)
{
    vnImageHeader hdr;
    uint64_t blocks, b;

    h->total = h->job.memory;
    if (!h->job.xml) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "%s", "no definition in the job");
        return;
    }
    if (!ioHelperCreate(h) || !ioHelperWriteHeader(h, kind, *h->job.xml, h->job.memory, &hdr))
        return;
    ioHelperLog(h, VIR_LOG_INFO, "writing %llu bytes of memory to '%s'",
                (unsigned long long)h->job.memory, h->job.path);
    blocks = (h->job.memory + VN_IMAGE_BLOCK - 1) / VN_IMAGE_BLOCK;
    for (b = 0; b < blocks; b++) {
        unsigned char stamp[VN_IMAGE_STAMP_SIZE];
        uint64_t len = MIN((uint64_t)VN_IMAGE_BLOCK, h->job.memory - b * VN_IMAGE_BLOCK);

        if (!ioHelperMaybeAsk(h) || !ioHelperPace(h))
            return;
        vnImageStampEncode(b, (const unsigned char *)h->job.uuid, stamp);
        if (!ioHelperWriteAll(h, stamp, MIN(len, sizeof(stamp)),
                              hdr.memoryOffset + b * VN_IMAGE_BLOCK))
            return;
        h->processed += len;
    }
    if (!ioHelperMaybeAsk(h))
        return;
    /* the zero rest of the last block is a hole */
    if (ftruncate(h->fd, (off_t)(hdr.memoryOffset + h->job.memory)) < 0) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "cannot write '%s': %s", *h->job.temp_path,
                     g_strerror(errno));
        return;
    }
    if (ioHelperProgress(h, true))
        ioHelperCommit(h);
}

/* Open an image and read its header and XML (xml: caller frees). */
static int
ioHelperOpenImage(ioHelper *h, const char *path, vnImageHeader *hdr, char **xml)
{
    unsigned char buf[VN_IMAGE_HEADER_SIZE];
    const char *bad;
    struct stat sb;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "cannot read domain image '%s': %s", path,
                     g_strerror(errno));
        return -1;
    }
    if (!ioHelperReadAll(h, fd, path, buf, sizeof(buf), 0))
        goto error;
    if ((bad = vnImageHeaderDecode(buf, hdr))) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "image '%s': %s", path, bad);
        goto error;
    }
    if (fstat(fd, &sb) < 0 || (uint64_t)sb.st_size != hdr->memoryOffset + hdr->memory) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "image '%s': its size does not match its header",
                     path);
        goto error;
    }
    *xml = g_malloc0(hdr->xmlLen + 1);
    if (!ioHelperReadAll(h, fd, path, *xml, hdr->xmlLen, VN_IMAGE_HEADER_SIZE)) {
        g_clear_pointer(xml, g_free);
        goto error;
    }
    if (strlen(*xml) != hdr->xmlLen) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "image '%s': the definition holds a NUL byte",
                     path);
        g_clear_pointer(xml, g_free);
        goto error;
    }
    return fd;
 error:
    close(fd);
    return -1;
}

static bool
ioHelperSendHeader(ioHelper *h, const vnImageHeader *hdr, char *xml)
{
    iohelper_header_args args = {
        .xml = xml, .memory = hdr->memory, .image_flags = hdr->flags, .kind = hdr->kind,
    };

    memcpy(args.uuid, hdr->uuid, sizeof(args.uuid));
    if (iohelperCallHeader(h->prog, h->client, &args) < 0) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "%s", virGetLastErrorMessage());
        return false;
    }
    return true;
}

/* RESTORE and READ_HEADER: the header goes to the daemon; a restore then
 * checks every block's stamp. */
static void
ioHelperRestore(ioHelper *h, bool memory)
{
    g_autofree char *xml = NULL;
    vnImageHeader hdr;
    uint64_t blocks, b;
    int fd;

    if ((fd = ioHelperOpenImage(h, h->job.path, &hdr, &xml)) < 0)
        return;
    if (!ioHelperSendHeader(h, &hdr, xml) || !memory)
        goto cleanup;
    if (hdr.kind != VN_IMAGE_KIND_SAVE) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "image '%s' is a core dump, not a saved domain",
                     h->job.path);
        goto cleanup;
    }
    h->total = hdr.memory;
    blocks = (hdr.memory + VN_IMAGE_BLOCK - 1) / VN_IMAGE_BLOCK;
    for (b = 0; b < blocks; b++) {
        unsigned char stamp[VN_IMAGE_STAMP_SIZE] = { 0 };
        uint64_t len = MIN((uint64_t)VN_IMAGE_BLOCK, hdr.memory - b * VN_IMAGE_BLOCK);

        if (!ioHelperMaybeAsk(h) || !ioHelperPace(h))
            goto cleanup;
        if (!ioHelperReadAll(h, fd, h->job.path, stamp, MIN(len, sizeof(stamp)),
                             hdr.memoryOffset + b * VN_IMAGE_BLOCK))
            goto cleanup;
        if (len >= sizeof(stamp) && !vnImageStampCheck(stamp, b, hdr.uuid)) {
            ioHelperFail(h, IOHELPER_STATUS_FAILED,
                         "image '%s': memory block %llu is damaged", h->job.path,
                         (unsigned long long)b);
            goto cleanup;
        }
        h->processed += len;
    }
    if (ioHelperMaybeAsk(h))
        ioHelperProgress(h, true);
 cleanup:
    close(fd);
}

/* REWRITE: a copy of the image with the job's XML, its memory copied
 * region by region (holes stay holes), committed under the same name. */
static void
ioHelperRewrite(ioHelper *h)
{
    g_autofree char *oldXML = NULL;
    g_autofree char *buf = NULL;
    vnImageHeader old, hdr;
    uint64_t off;
    int in;

    if ((in = ioHelperOpenImage(h, h->job.path, &old, &oldXML)) < 0)
        return;
    h->total = old.memory;
    h->job.image_flags = h->job.image_flags ? h->job.image_flags : old.flags;
    memcpy(h->job.uuid, old.uuid, sizeof(h->job.uuid));
    if (!h->job.xml) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "%s", "no definition in the job");
        goto cleanup;
    }
    if (!ioHelperCreate(h) || !ioHelperWriteHeader(h, old.kind, *h->job.xml, old.memory, &hdr))
        goto cleanup;
    buf = g_malloc(VN_IMAGE_BLOCK);
    for (off = 0; off < old.memory;) {
        off_t data = lseek(in, (off_t)(old.memoryOffset + off), SEEK_DATA);
        uint64_t len;

        if (data < 0 && errno == ENXIO)
            break;              /* only a hole is left */
        if (data < 0) {
            ioHelperFail(h, IOHELPER_STATUS_FAILED, "cannot read '%s': %s", h->job.path,
                         g_strerror(errno));
            goto cleanup;
        }
        off = (uint64_t)data - old.memoryOffset;
        if (off >= old.memory)
            break;
        len = MIN((uint64_t)VN_IMAGE_BLOCK, old.memory - off);
        if (!ioHelperPace(h) ||
            !ioHelperReadAll(h, in, h->job.path, buf, len, old.memoryOffset + off) ||
            !ioHelperWriteAll(h, buf, len, hdr.memoryOffset + off))
            goto cleanup;
        off += len;
        h->processed = off;
    }
    h->processed = old.memory;
    if (ftruncate(h->fd, (off_t)(hdr.memoryOffset + old.memory)) < 0) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "cannot write '%s': %s", *h->job.temp_path,
                     g_strerror(errno));
        goto cleanup;
    }
    if (ioHelperProgress(h, true))
        ioHelperCommit(h);
 cleanup:
    close(in);
}

/* storagedir.h's progress: the job's pace, and whether to go on. */
static bool
ioHelperVolProgress(unsigned long long done, unsigned long long total, void *opaque)
{
    ioHelper *h = opaque;

    h->processed = done;
    h->total = total;
    return ioHelperPace(h);
}

static iohelper_volume *
ioHelperVolume(ioHelper *h)
{
    if (h->job.volume.volume_len != 1) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "%s", "no volume in the job");
        return NULL;
    }
    return &h->job.volume.volume_val[0];
}

/* VOL_CLONE: the new volume written to the daemon's temporary name,
 * synced, renamed (storageDirVolCreate). */
static void
ioHelperVolClone(ioHelper *h)
{
    iohelper_volume *v = ioHelperVolume(h);
    g_autofree char *dir = g_path_get_dirname(h->job.path);
    g_autofree char *name = g_path_get_basename(h->job.path);
    storageDirVolSpec spec = { 0 };

    if (!v)
        return;
    if (!v->source || !h->job.temp_path) {
        ioHelperFail(h, IOHELPER_STATUS_FAILED, "%s", "no source or temporary file in the job");
        return;
    }
    spec.capacity = v->capacity;
    spec.allocation = v->allocation;
    spec.mode = (mode_t)v->mode;
    spec.uid = (long)v->uid;
    spec.gid = (long)v->gid;
    spec.cloneFrom = *v->source;
    spec.cloneCapacity = v->source_capacity;
    spec.tempPath = *h->job.temp_path;
    spec.progress = ioHelperVolProgress;
    spec.opaque = h;
    h->total = v->source_capacity;
    if (storageDirVolCreate(dir, name, &spec) < 0)
        ioHelperFailLastError(h);
}

/* VOL_WIPE: in place, pass by pass (storageDirVolWipe). */
static void
ioHelperVolWipe(ioHelper *h)
{
    iohelper_volume *v = ioHelperVolume(h);

    if (v && storageDirVolWipe(h->job.path, v->algorithm, v->allocation,
                               ioHelperVolProgress, h) < 0)
        ioHelperFailLastError(h);
}

int
main(int argc, char **argv)
{
    ioHelper h = { .fd = -1, .status = IOHELPER_STATUS_OK };
    iohelper_done_args done = { 0 };
    iohelper_error err = { 0 };
    virNetSocket *sock;
    int fdnum = 3, c;
    static const struct option opts[] = {
        { "fd", required_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };

    while ((c = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
        if (c != 'f' || (fdnum = atoi(optarg)) < 0) {
            fprintf(stderr, "usage: %s [--fd N]\n"
                    "Runs one job of virtnetd over the socket N (default 3); "
                    "not meant to be run by hand.\n", argv[0]);
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    if (!(sock = virNetSocketNewFD(fdnum)) || !(h.client = virNetClientNewSocket(sock))) {
        fprintf(stderr, "virtnet_iohelper: no daemon on fd %d: %s\n", fdnum,
                virGetLastErrorMessage());
        return 2;
    }
    h.prog = iohelperClientProgramNew(&h);
    if (virNetClientAddProgram(h.client, h.prog) < 0 ||
        iohelperCallHello(h.prog, h.client, &h.job) < 0) {
        fprintf(stderr, "virtnet_iohelper: the daemon gave no job: %s\n",
                virGetLastErrorMessage());
        return 2;
    }
    h.start = h.lastReport = g_get_monotonic_time();

    switch (h.job.operation) {
    case IOHELPER_OP_SAVE:
        ioHelperSave(&h, VN_IMAGE_KIND_SAVE);
        break;
    case IOHELPER_OP_DUMP:
        ioHelperSave(&h, VN_IMAGE_KIND_DUMP);
        break;
    case IOHELPER_OP_RESTORE:
        ioHelperRestore(&h, true);
        break;
    case IOHELPER_OP_READ_HEADER:
        ioHelperRestore(&h, false);
        break;
    case IOHELPER_OP_REWRITE:
        ioHelperRewrite(&h);
        break;
    case IOHELPER_OP_VOL_CLONE:
        ioHelperVolClone(&h);
        break;
    case IOHELPER_OP_VOL_WIPE:
        ioHelperVolWipe(&h);
        break;
    default:
        ioHelperFail(&h, IOHELPER_STATUS_FAILED, "unknown operation %d", h.job.operation);
        break;
    }

    if (h.fd >= 0)
        close(h.fd);
    if (h.created)
        unlink(*h.job.temp_path);   /* never a partial image */
    done.status = h.status;
    done.message = h.message ? &h.message : NULL;
    done.processed = h.processed;
    done.total = h.total;
    if (h.status == IOHELPER_STATUS_FAILED && h.error) {
        err.code = h.error->code;
        err.domain = h.error->domain;
        err.message = h.error->message;
        done.error.error_len = 1;
        done.error.error_val = &err;
    }
    if (iohelperCallDone(h.prog, h.client, &done) < 0)
        return 2;
    xdr_free((xdrproc_t)xdr_iohelper_hello_ret, (char *)&h.job);
    g_free(h.message);
    virErrorFree(h.error);
    virNetClientClose(h.client);
    virNetClientUnref(h.client);
    virNetClientProgramUnref(h.prog);
    return h.status == IOHELPER_STATUS_OK ? 0 : 1;
}
