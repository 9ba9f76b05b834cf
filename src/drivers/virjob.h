/*
 * virjob.h: long jobs run by a helper process (DESIGN rule 7,
 * docs/jobs.md): one virtnet_iohelper per job, fork+exec'd, talking to
 * the daemon over the iohelper program (protocol/iohelper_protocol.x).
 *
 * The daemon's side of every helper is one client of a virNetServer of
 * this module's own, run by an event thread of its own (virEventThread),
 * created at the first job: the helper's calls are answered inline on that
 * thread and only touch the job (its own mutex), never a driver lock. The
 * thread of the API call that started the job waits for it in virJobWait,
 * which a worker may do: it holds no driver lock (virNoIOMutex) then.
 *
 * Usage, by a driver: under its lock, check and reserve the domain; drop
 * the lock; virJobStart; publish the job on the domain (under the lock) so
 * virJobGetInfo / virJobAbort can reach it; virJobWait (no lock); under
 * the lock again, apply the result and virJobGetInfo the completed stats;
 * virJobFree.
 *
 * Locking: job->lock guards the job's progress and outcome; the functions
 * below may be called from any thread, virJobWait and virJobStart only
 * without a virNoIOMutex held (they fork, write files, wait for a child).
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "virquestion.h"
#include "virtypedparams.h"
#include "iohelper_protocol.h"

typedef struct _virJob virJob;

/* What a volume job (IOHELPER_OP_VOL_*) works with. */
typedef struct {
    const char *source;         /* clone: the volume copied */
    unsigned long long sourceCapacity;  /* clone: its bytes copied */
    unsigned long long capacity;        /* clone: the new volume's */
    unsigned long long allocation;      /* clone: to allocate; wipe: the volume's */
    unsigned int mode;          /* clone: permission bits */
    long uid, gid;              /* clone: -1: the daemon's */
    unsigned int algorithm;     /* wipe: VIR_STORAGE_VOL_WIPE_ALG_* */
} virJobVolume;

typedef struct {
    iohelper_operation helperOp;
    int operation;              /* VIR_DOMAIN_JOB_OPERATION_* (statistics) */
    const char *what;           /* "save", "restore", "clone"...: for messages */
    const char *kind;           /* "domain" (NULL) or "volume": for messages */
    const char *name;           /* the domain's or volume's name, for messages */
    const char *path;           /* the image or volume */
    bool atomic;                /* written under a temporary name, renamed */
    const char *tempPath;       /* that name (NULL: .BASE.part-XXXXXXXX beside path) */
    const virJobVolume *volume; /* a volume job's parameters */
    const char *xml;            /* the definition to write */
    const unsigned char *uuid;  /* 16 bytes */
    unsigned long long memory;  /* bytes */
    unsigned int imageFlags;
    unsigned long long bandwidth;   /* bytes per second, 0: no limit */
    const virQuestion *question;    /* posed by the helper, or NULL */
    unsigned long long questionAt;  /* after this many bytes */
    bool autoAnswer;            /* the caller's connection's auto_answer */
} virJobParams;

/* A job's statistics (libvirt's job info / stats). */
typedef struct {
    int type;                   /* VIR_DOMAIN_JOB_NONE, UNBOUNDED, COMPLETED, FAILED, CANCELLED */
    int operation;
    unsigned long long timeElapsed;     /* ms */
    unsigned long long dataTotal;
    unsigned long long dataProcessed;
    char *errmsg;               /* a failed job's error */
} virJobInfo;

/* What a helper read in an image (restore, header). */
typedef struct {
    char *xml;
    unsigned char uuid[16];
    unsigned long long memory;
    unsigned int imageFlags;
    unsigned int kind;
} virJobImage;

/* The directory of job records (in-progress jobs, cleaned at start) and
 * of the drivers' managed-save images: set by the daemon at start
 * (VIRTNET_JOB_STATE_DIR overrides it). Setting it removes what a
 * previous daemon's jobs left behind. */
void virJobSetStateDir(const char *dir);
/* The directory, or NULL when none is set (no records are kept). */
const char *virJobStateDir(void);
/* Remove the partial images recorded in dir; returns how many. */
int virJobCleanupStale(const char *dir);

/* The helper binary: VIRTNET_IOHELPER, else the installed one, else the
 * build tree's next to the running program. */
char *virJobFindHelper(void);

virJob *virJobStart(const virJobParams *params);
/* Wait for the helper's end: 0, or -1 with the job's error (aborted,
 * failed, a question refused, a helper killed by a signal). No partial
 * image is left either way. */
int virJobWait(virJob *job);
/* Ask the helper to stop (its next progress report gets the answer; a
 * helper that does not stop within a few seconds is killed). */
void virJobAbort(virJob *job);
/* Ask every running helper to stop (the daemon is shutting down: the
 * calls waiting for them fail as aborted, no partial output is left);
 * returns how many. */
int virJobAbortAll(void);
/* The statistics now (type UNBOUNDED while running, else the outcome's). */
void virJobGetInfo(virJob *job, virJobInfo *info);
/* The image a restore or header job read (borrowed; NULL before). */
const virJobImage *virJobGetImage(virJob *job);
/* The question the job posed and nobody answered, or NULL (caller frees). */
virQuestion *virJobStealQuestion(virJob *job);
void virJobFree(virJob *job);

void virJobInfoClear(virJobInfo *info);
void virJobInfoCopy(virJobInfo *dst, const virJobInfo *src);
/* libvirt's job statistics as typed parameters (VIR_DOMAIN_JOB_*). */
int virJobInfoToParams(const virJobInfo *info, virTypedParameter **params, int *nparams);
