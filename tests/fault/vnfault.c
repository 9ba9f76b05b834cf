/*
 * vnfault.c: a fault-injection shim for tests, loaded with LD_PRELOAD.
 *
 * It wraps a few libc calls and, when the environment asks for it, delays
 * them or makes them fail. With no VNFAULT_* variable set it changes
 * nothing. Read once, at the first wrapped call:
 *
 *   VNFAULT_FSYNC_DELAY_MS=N     fsync/fdatasync sleep N ms, then sync
 *   VNFAULT_FSYNC_FAIL=ERRNO     fsync/fdatasync fail (a number, e.g. 5)
 *   VNFAULT_WRITE_DELAY_MS=N     write(2) on a regular file sleeps N ms
 *   VNFAULT_WRITE_FAIL=ERRNO     write(2) on a regular file fails
 *   VNFAULT_ACCEPT_FAIL=ERRNO    accept/accept4 fail (e.g. 24, EMFILE) ...
 *   VNFAULT_ACCEPT_FAIL_FILE=P   ... only while the file P exists (a test
 *                                turns the fault on and off at run time)
 *   VNFAULT_MALLOC_FAIL_ABOVE=N  malloc/calloc/realloc of more than N
 *                                bytes return NULL (ENOMEM)
 *   VNFAULT_FILE_FAULTS_ONLY_PID=1  the file faults apply to the process
 *                                that loaded the shim first (children that
 *                                inherit LD_PRELOAD, e.g. a container's
 *                                controller, are left alone)
 *
 * The allocation wrappers forward to the next malloc/calloc/realloc/free in
 * the lookup order (dlsym RTLD_NEXT): glibc's, or AddressSanitizer's in a
 * sanitizer build, so every block is allocated and freed by the same
 * allocator (forwarding to __libc_malloc would hand ASan's free blocks it
 * never allocated). While dlsym itself runs, the few allocations it makes
 * come from a small static arena that free() recognises.
 *
 * Built without sanitizers: under an ASan daemon, set
 * ASAN_OPTIONS=verify_asan_link_order=0 (the shim comes first).
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>


static int fsyncDelayMs, fsyncFail, writeDelayMs, writeFail, acceptFail;
static const char *acceptFailFile;
static size_t mallocFailAbove;
static pid_t ownerPid;
static bool ownerOnly;
static volatile int initialised;

static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_accept)(int, struct sockaddr *, socklen_t *);
static int (*real_accept4)(int, struct sockaddr *, socklen_t *, int);


static int
vnfaultEnvInt(const char *name)
{
    const char *v = getenv(name);

    return v ? atoi(v) : 0;
}


static void
vnfaultInit(void)
{
    const char *v;

    if (initialised)
        return;
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_write = dlsym(RTLD_NEXT, "write");
    real_accept = dlsym(RTLD_NEXT, "accept");
    real_accept4 = dlsym(RTLD_NEXT, "accept4");
    fsyncDelayMs = vnfaultEnvInt("VNFAULT_FSYNC_DELAY_MS");
    fsyncFail = vnfaultEnvInt("VNFAULT_FSYNC_FAIL");
    writeDelayMs = vnfaultEnvInt("VNFAULT_WRITE_DELAY_MS");
    writeFail = vnfaultEnvInt("VNFAULT_WRITE_FAIL");
    acceptFail = vnfaultEnvInt("VNFAULT_ACCEPT_FAIL");
    acceptFailFile = getenv("VNFAULT_ACCEPT_FAIL_FILE");
    if ((v = getenv("VNFAULT_MALLOC_FAIL_ABOVE")))
        mallocFailAbove = strtoull(v, NULL, 10);
    ownerOnly = vnfaultEnvInt("VNFAULT_FILE_FAULTS_ONLY_PID") != 0;
    if (ownerOnly) {
        /* children see the variable with the owner's pid in it */
        if ((v = getenv("VNFAULT_OWNER_PID"))) {
            ownerPid = (pid_t)atoi(v);
        } else {
            static char buf[64];
            ownerPid = getpid();
            snprintf(buf, sizeof(buf), "%d", (int)ownerPid);
            setenv("VNFAULT_OWNER_PID", buf, 1);
        }
    }
    initialised = 1;
}


__attribute__((constructor)) static void
vnfaultConstructor(void)
{
    vnfaultInit();
}


static bool
vnfaultApplies(void)
{
    return !ownerOnly || getpid() == ownerPid;
}


static void
vnfaultSleepMs(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}


static int
vnfaultSync(int (*real)(int), int fd)
{
    vnfaultInit();
    if (vnfaultApplies()) {
        if (fsyncDelayMs > 0)
            vnfaultSleepMs(fsyncDelayMs);
        if (fsyncFail > 0) {
            errno = fsyncFail;
            return -1;
        }
    }
    return real(fd);
}


int fsync(int fd) { return vnfaultSync(real_fsync ? real_fsync : dlsym(RTLD_NEXT, "fsync"), fd); }
int fdatasync(int fd) { return vnfaultSync(real_fdatasync ? real_fdatasync : dlsym(RTLD_NEXT, "fdatasync"), fd); }


ssize_t
write(int fd, const void *buf, size_t count)
{
    struct stat st;

    vnfaultInit();
    if ((writeDelayMs > 0 || writeFail > 0) && vnfaultApplies() &&
        fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        if (writeDelayMs > 0)
            vnfaultSleepMs(writeDelayMs);
        if (writeFail > 0) {
            errno = writeFail;
            return -1;
        }
    }
    return real_write(fd, buf, count);
}


static bool
vnfaultAcceptFails(void)
{
    vnfaultInit();
    if (acceptFail <= 0)
        return false;
    return !acceptFailFile || access(acceptFailFile, F_OK) == 0;
}


int
accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    if (vnfaultAcceptFails()) {
        errno = acceptFail;
        return -1;
    }
    return real_accept(fd, addr, len);
}


int
accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
    if (vnfaultAcceptFails()) {
        errno = acceptFail;
        return -1;
    }
    return real_accept4(fd, addr, len, flags);
}


/* ---- allocation ---------------------------------------------------------- */

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

/* What the loader and dlsym allocate before the real functions are known. */
static _Alignas(16) char bootArena[256 * 1024];
static size_t bootUsed;
static __thread int resolving;

static void *
vnfaultBootAlloc(size_t size)
{
    size_t need = (size + 15) & ~(size_t)15;
    void *p;

    if (need > sizeof(bootArena) - bootUsed)
        return NULL;
    p = bootArena + bootUsed;
    bootUsed += need;
    return p;
}


static bool
vnfaultIsBoot(const void *p)
{
    return (const char *)p >= bootArena && (const char *)p < bootArena + sizeof(bootArena);
}


/* false until the shim's constructor ran (the sanitizer's allocator, when
 * there is one, is ready by then) and while the lookup itself runs: the
 * caller uses the arena */
static bool
vnfaultResolveAlloc(void)
{
    if (real_free)
        return true;
    if (!initialised || resolving)
        return false;
    resolving = 1;
    real_malloc = dlsym(RTLD_NEXT, "malloc");
    real_calloc = dlsym(RTLD_NEXT, "calloc");
    real_realloc = dlsym(RTLD_NEXT, "realloc");
    real_free = dlsym(RTLD_NEXT, "free");
    resolving = 0;
    return real_free != NULL;
}


static bool
vnfaultAllocFails(size_t size)
{
    if (initialised && mallocFailAbove && size > mallocFailAbove) {
        errno = ENOMEM;
        return true;
    }
    return false;
}


/* No getenv here before initialisation: the loader may allocate first. */
void *
malloc(size_t size)
{
    if (!vnfaultResolveAlloc())
        return vnfaultBootAlloc(size);
    return vnfaultAllocFails(size) ? NULL : real_malloc(size);
}


void *
calloc(size_t n, size_t size)
{
    if (!vnfaultResolveAlloc())
        return n && size > SIZE_MAX / n ? NULL : vnfaultBootAlloc(n * size);  /* zeroed */
    if (initialised && mallocFailAbove && size && n > mallocFailAbove / size) {
        errno = ENOMEM;
        return NULL;
    }
    return real_calloc(n, size);
}


void *
realloc(void *ptr, size_t size)
{
    if (vnfaultIsBoot(ptr)) {
        /* a boot block moves to the real allocator (it is never freed) */
        void *p = malloc(size);

        size_t room = (size_t)(bootArena + sizeof(bootArena) - (char *)ptr);

        if (p)
            memcpy(p, ptr, size < room ? size : room);
        return p;
    }
    if (!vnfaultResolveAlloc())
        return ptr ? NULL : vnfaultBootAlloc(size);
    return vnfaultAllocFails(size) ? NULL : real_realloc(ptr, size);
}


void
free(void *ptr)
{
    if (!ptr || vnfaultIsBoot(ptr))
        return;
    if (vnfaultResolveAlloc())
        real_free(ptr);
}
