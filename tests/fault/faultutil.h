/*
 * faultutil.h: what the fault tests share: a virtnetd of their own
 * (started with a configuration, environment, fd limit and optional
 * LD_PRELOAD of the vnfault shim) and a raw, synchronous client of the
 * remote program that speaks the wire format directly (so that it can
 * also misbehave: stop reading, send half a message, ...).
 *
 * Ownership: each object belongs to its creator; nothing is shared
 * between threads except that a daemon may be read (pid) by any.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <rpc/rpc.h>

typedef struct {
    pid_t pid;
    char *dir;          /* temp dir: run/, etc/, log */
    char *sock;         /* run/libvirt-sock */
    char *log;          /* stderr of the daemon */
} faultDaemon;

typedef struct {
    const char *extraConf;      /* appended to the configuration */
    bool shim;                  /* LD_PRELOAD tests/fault/vnfault.so */
    const char *const *env;     /* more NAME=VALUE */
    int nofile;                 /* RLIMIT_NOFILE, 0: unchanged */
    const char *dir;            /* reuse this directory (restart) */
} faultDaemonOpts;

/* Start and wait for "ready". NULL with a message on stderr. */
faultDaemon *faultDaemonStart(const faultDaemonOpts *opts);
/* SIGTERM (or sig), wait up to 30 s; returns the wait status, -1 on timeout. */
int faultDaemonStop(faultDaemon *d, int sig);
void faultDaemonFree(faultDaemon *d);
/* utime+stime of the daemon in clock ticks; RSS in KiB; open fds. */
unsigned long long faultProcCPUTicks(pid_t pid);
long faultProcRSSKiB(pid_t pid);
int faultProcFDs(pid_t pid);
bool faultHaveRootAndNamespaces(void);

typedef struct {
    int fd;
    unsigned int serial;
    unsigned long long events;  /* MESSAGE type seen (events) */
} faultClient;

faultClient *faultClientConnect(const char *sock);
void faultClientFree(faultClient *c);
/* Send a call of the remote program; returns its serial or 0 on error. */
unsigned int faultClientSend(faultClient *c, int proc, xdrproc_t argsFilter, void *args);
/* Send a call of any program with payload bytes as they are. */
unsigned int faultClientSendRaw(faultClient *c, unsigned int prog, unsigned int vers, int proc,
                                const void *payload, size_t len);
/* Wait (up to timeout_ms) for the reply to serial, skipping events.
 * 0: OK reply decoded into ret, 1: error reply (message in *err when
 * non-NULL), -1: connection or timeout. */
int faultClientRecv(faultClient *c, unsigned int serial, xdrproc_t retFilter, void *ret,
                    int timeout_ms, char **err);
int faultClientCall(faultClient *c, int proc, xdrproc_t argsFilter, void *args,
                    xdrproc_t retFilter, void *ret, char **err);
/* A call of any program whose results are not needed; as faultClientRecv. */
int faultClientCallProgram(faultClient *c, unsigned int prog, unsigned int vers, int proc,
                           xdrproc_t argsFilter, void *args, char **err);
/* connectOpen(uri); 0 or -1. */
int faultClientOpen(faultClient *c, const char *uri);

/* A case of a fault test program; the name's first word selects it. */
typedef struct {
    const char *name;
    int (*fn)(const void *data);
} faultCase;

/* main() of a fault test program: SIGPIPE ignored, then the cases whose
 * name starts with argv[1] (all without one); the exit status. */
int faultRunCases(int argc, char **argv, const faultCase *cases, size_t ncases);

/* Monotonic microseconds. */
uint64_t faultNowUs(void);
/* Percentile (0..100) of n samples (sorted in place). */
double faultPercentile(double *v, size_t n, double pct);
