/*
 * test-fault-daemon.c: virtnetd under the faults of a fault campaign (each
 * case starts a daemon of its own and prints its figures):
 *
 *   close-queue   a client that registered for events and never reads
 *                 holds N queued events; its close must not stall others
 *   slow-disk     every fsync of the daemon delayed 300 ms (vnfault shim):
 *                 LXC defines on one connection, p50/p99/max of inline
 *                 calls on others (p50 under 5 ms, p99 under 50 ms: a
 *                 call that waits for the disk waits 300 ms)
 *   stuck-ctrl    a container's controller stopped (SIGSTOP), then destroy:
 *                 destroy time and the stall of other clients; a killed
 *                 controller's cgroup is removed
 *   survive       running containers across kill -9 of the daemon: they
 *                 keep running, the restarted daemon finds them running,
 *                 destroy works and cleans up
 *   fd-exhaust    RLIMIT_NOFILE 128 and 200 clients: CPU and log volume
 *                 while accept fails, then recovery
 *   crash-temps   kill -9 during LXC defines (fsync slowed to widen the
 *                 window): every acknowledged definition is there after
 *                 restart, no temp file is left
 *   names         hostile container names stay in their directories and
 *                 their cgroup
 *   preauth       16 unauthenticated clients each promising a 32 MiB
 *                 message: RSS growth of the daemon
 *
 * Cases that need containers skip without root and namespaces. Figures are
 * printed as "  figure: ..." lines.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <glib.h>

#include "testutils.h"
#include "faultcalls.h"
#include "virpublic.h"

#define FIGURE(...) do { printf("  figure: "); printf(__VA_ARGS__); putchar('\n'); fflush(stdout); } while (0)

/* ---- close-queue ------------------------------------------------------ */

static int
testCloseQueue(const void *data G_GNUC_UNUSED)
{
    const char *env = g_getenv("VNFAULT_CLOSE_N");
    int n = env ? atoi(env) : 10000;
    faultDaemon *d = faultDaemonStart(NULL);
    faultClient *listener = NULL, *definer = NULL;
    faultProbe *probe = NULL;
    remote_connect_domain_event_callback_register_any_args reg = { 0, NULL };
    uint64_t t0;
    int ret = -1, i;

    if (!d)
        return -1;
    if (!(listener = faultOpen(d, "test:///default")) ||
        !(definer = faultOpen(d, "test:///default")))
        goto cleanup;
    if (faultClientCall(listener, REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
                        (xdrproc_t)xdr_remote_connect_domain_event_callback_register_any_args,
                        &reg, NULL, NULL, NULL) != 0) {
        fprintf(stderr, "cannot register for lifecycle events\n");
        goto cleanup;
    }
    t0 = faultNowUs();
    for (i = 0; i < n; i++) {
        g_autofree char *name = g_strdup_printf("cq%d", i % 16);
        g_autofree char *xml = g_strdup_printf(FAULT_TEST_DOM_XML, name);
        remote_dom dom = { 0 };

        if (faultDefine(definer, xml, &dom, NULL) != 0 ||
            faultDomCall(definer, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, &dom, NULL) != 0) {
            fprintf(stderr, "define/undefine %d failed\n", i);
            xdr_free((xdrproc_t)xdr_remote_dom, (char *)&dom);
            goto cleanup;
        }
        xdr_free((xdrproc_t)xdr_remote_dom, (char *)&dom);
    }
    FIGURE("%d define+undefine in %.1f s; %d events queued for a client that does not read",
           n, (faultNowUs() - t0) / 1e6, 2 * n);
    if (!(probe = faultProbeStart(d)))
        goto cleanup;
    g_usleep(200 * 1000);
    probe->worstUs = 0;
    t0 = faultNowUs();
    faultClientFree(g_steal_pointer(&listener));
    g_usleep(1500 * 1000);
    faultProbeFinish(probe);
    FIGURE("worst getLibVersion latency of another client around the close: %.1f ms "
           "(%llu calls)", probe->worstUs / 1e3, probe->calls);
    if (probe->failed || probe->worstUs > 500 * 1000) {
        fprintf(stderr, "the close of a client with a long queue stalled the daemon\n");
        goto cleanup;
    }
    ret = 0;
 cleanup:
    faultProbeStop(probe);
    faultClientFree(listener);
    faultClientFree(definer);
    faultDaemonFree(d);
    return ret;
}


/* ---- slow-disk -------------------------------------------------------- */

typedef struct {
    faultClient *c;
    int rounds;
    const char *prefix;
    int done;
    bool failed;
} faultDefiner;

static gpointer
faultDefinerThread(gpointer data)
{
    faultDefiner *f = data;

    for (int i = 0; i < f->rounds; i++) {
        g_autofree char *name = g_strdup_printf("%s-%d", f->prefix, i);
        g_autofree char *xml = faultLXCXML(name, "sleep 1");
        g_autofree char *err = NULL;
        remote_dom dom = { 0 };

        if (faultDefine(f->c, xml, &dom, &err) != 0 ||
            faultDomCall(f->c, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, &dom, &err) != 0) {
            fprintf(stderr, "LXC define/undefine failed: %s\n", err ? err : "");
            f->failed = true;
            break;
        }
        xdr_free((xdrproc_t)xdr_remote_dom, (char *)&dom);
        f->done++;
    }
    return NULL;
}

static int
testSlowDisk(const void *data G_GNUC_UNUSED)
{
    const char *env[] = { "VNFAULT_FSYNC_DELAY_MS=300", "VNFAULT_FILE_FAULTS_ONLY_PID=1", NULL };
    faultDaemonOpts opts = { .shim = true, .env = env };
    g_autofree char *prefix = g_strdup_printf("vnfault%d-sd", (int)getpid());
    g_autofree char *fixed = g_strdup_printf("%s-fixed", prefix);
    g_autofree char *fixedXML = faultLXCXML(fixed, "sleep 1");
    faultDaemon *d;
    faultClient *defc = NULL, *testc = NULL, *lxcc = NULL;
    faultDefiner def = { 0 };
    GThread *thread = NULL;
    GArray *lat[3];
    const char *what[3] = { "getLibVersion (test:///default)", "lookupByName (lxc:///system)",
                            "listAllDomains (lxc:///system)" };
    remote_dom fixedDom = { 0 };
    uint64_t t0;
    int ret = -1, k;

    if (!faultHaveRootAndNamespaces())
        return VIR_TEST_SKIP;
    if (!(d = faultDaemonStart(&opts)))
        return -1;
    for (k = 0; k < 3; k++)
        lat[k] = g_array_new(FALSE, FALSE, sizeof(double));
    if (!(defc = faultOpen(d, "lxc:///system")) || !(testc = faultOpen(d, "test:///default")) ||
        !(lxcc = faultOpen(d, "lxc:///system")))
        goto cleanup;
    if (faultDefine(lxcc, fixedXML, &fixedDom, NULL) != 0)
        goto cleanup;
    def.c = defc;
    def.rounds = 4;
    def.prefix = prefix;
    t0 = faultNowUs();
    thread = g_thread_new("definer", faultDefinerThread, &def);
    while (def.done < def.rounds && !def.failed) {
        for (k = 0; k < 3; k++) {
            uint64_t s = faultNowUs();
            double ms;
            int rc = k == 0 ? faultLibVersion(testc) :
                     k == 1 ? faultLookup(lxcc, fixed, NULL) : faultListAll(lxcc, NULL);

            if (rc != 0) {
                fprintf(stderr, "%s failed\n", what[k]);
                goto cleanup;
            }
            ms = (faultNowUs() - s) / 1e3;
            g_array_append_val(lat[k], ms);
        }
        g_usleep(300);
    }
    g_thread_join(g_steal_pointer(&thread));
    if (def.failed)
        goto cleanup;
    FIGURE("%d LXC define+undefine with fsync delayed 300 ms: %.1f s", def.done,
           (faultNowUs() - t0) / 1e6);
    ret = 0;
    for (k = 0; k < 3; k++) {
        double *v = (double *)lat[k]->data;
        size_t n = lat[k]->len;
        double p99 = faultPercentile(v, n, 99);

        double p50 = faultPercentile(v, n, 50);

        FIGURE("%s: %zu samples, p50 %.3f ms, p99 %.3f ms, max %.3f ms", what[k], n,
               p50, p99, n ? v[n - 1] : 0.0);
        if (n < 200 || p50 > 5.0 || p99 > 50.0)
            ret = -1;
    }
    /* A call that waits for the disk waits for a whole delayed fsync
     * (300 ms); the definer is in one nearly all the time, so even a lock
     * held across one fsync in a hundred calls puts p99 at 300 ms. 50 ms
     * leaves room for a loaded 2-core machine and a sanitizer build, whose
     * p99 reaches a few ms without any waiting. */
    if (ret < 0)
        fprintf(stderr, "inline calls waited for the slow disk (p50 above 5 ms or p99 above "
                "50 ms)\n");
 cleanup:
    if (thread)
        g_thread_join(thread);
    if (lxcc && fixedDom.name)
        faultDomCall(lxcc, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, &fixedDom, NULL);
    xdr_free((xdrproc_t)xdr_remote_dom, (char *)&fixedDom);
    for (k = 0; k < 3; k++)
        g_array_free(lat[k], TRUE);
    faultClientFree(defc);
    faultClientFree(testc);
    faultClientFree(lxcc);
    faultDaemonFree(d);
    return ret;
}


/* ---- stuck-ctrl ------------------------------------------------------- */

/* The base of the containers' memory cgroups on this host and its limit
 * file (cgroup v2, else v1). */
static void
faultCgroupBase(const char **base, const char **limit)
{
    g_autofree char *ctrls = NULL;

    if (g_file_get_contents("/sys/fs/cgroup/cgroup.controllers", &ctrls, NULL, NULL) &&
        strstr(ctrls, "memory")) {
        *base = "/sys/fs/cgroup/virtnet-lxc";
        *limit = "memory.max";
    } else {
        *base = "/sys/fs/cgroup/memory/virtnet-lxc";
        *limit = "memory.limit_in_bytes";
    }
}


static bool
faultCgroupExists(const char *leaf)
{
    g_autofree char *v2 = g_build_filename("/sys/fs/cgroup/virtnet-lxc", leaf, NULL);
    g_autofree char *v1 = g_build_filename("/sys/fs/cgroup/memory/virtnet-lxc", leaf, NULL);

    return g_file_test(v2, G_FILE_TEST_IS_DIR) || g_file_test(v1, G_FILE_TEST_IS_DIR);
}


/* Define and start a container; its controller's pid in *ctrl. */
static int
faultStartContainer(faultClient *c, const char *name, remote_dom *dom, pid_t *ctrl)
{
    g_autofree char *xml = faultLXCXML(name, "sleep 600");
    g_autofree char *err = NULL;
    remote_dom running = { 0 };

    if (faultDefine(c, xml, dom, &err) != 0 ||
        faultDomCall(c, REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS, dom, &err) != 0 ||
        faultLookup(c, name, &running) != 0) {
        fprintf(stderr, "cannot start container %s: %s\n", name, err ? err : "");
        return -1;
    }
    *ctrl = running.id;
    xdr_free((xdrproc_t)xdr_remote_dom, (char *)&running);
    return 0;
}


static int
testStuckController(const void *data G_GNUC_UNUSED)
{
    g_autofree char *name = g_strdup_printf("vnfault%d-stuck", (int)getpid());
    g_autofree char *name2 = g_strdup_printf("vnfault%d-killed", (int)getpid());
    faultDaemon *d;
    faultClient *c = NULL;
    faultProbe *probe = NULL;
    remote_dom dom = { 0 }, dom2 = { 0 };
    pid_t ctrl = 0, ctrl2 = 0;
    uint64_t t0, took;
    bool hadCgroup;
    int ret = -1, state = 0, i;

    if (!faultHaveRootAndNamespaces())
        return VIR_TEST_SKIP;
    if (!(d = faultDaemonStart(NULL)))
        return -1;
    if (!(c = faultOpen(d, "lxc:///system")) || faultStartContainer(c, name, &dom, &ctrl) < 0)
        goto cleanup;
    hadCgroup = faultCgroupExists(name);
    if (!(probe = faultProbeStart(d)))
        goto cleanup;
    kill(ctrl, SIGSTOP);
    g_usleep(100 * 1000);
    probe->worstUs = 0;
    t0 = faultNowUs();
    if (faultDomCall(c, REMOTE_PROC_DOMAIN_DESTROY_FLAGS, &dom, NULL) != 0) {
        fprintf(stderr, "destroy failed\n");
        goto cleanup;
    }
    took = faultNowUs() - t0;
    g_usleep(100 * 1000);
    faultProbeFinish(probe);
    FIGURE("destroy with a stopped controller: %.2f s; worst getLibVersion of another "
           "client meanwhile: %.1f ms", took / 1e6, probe->worstUs / 1e3);
    FIGURE("cgroup of the container: %s during the run, %s after destroy",
           hadCgroup ? "present" : "absent (no memory controller)",
           faultCgroupExists(name) ? "PRESENT" : "gone");
    /* the freeze was 3 s with everyone waiting; 500 ms (as close-queue)
     * leaves room for a loaded machine's scheduling, which alone has
     * delayed one call by over 100 ms */
    if (took > 2 * G_USEC_PER_SEC || probe->worstUs > 500 * 1000 || probe->failed ||
        faultCgroupExists(name))
        goto cleanup;

    /* a controller killed outright: its cgroup must not stay behind */
    if (faultStartContainer(c, name2, &dom2, &ctrl2) < 0)
        goto cleanup;
    hadCgroup = faultCgroupExists(name2);
    kill(ctrl2, SIGKILL);
    for (i = 0; i < 100; i++) {
        if (faultGetState(c, &dom2, &state) == 0 && state == 5 /* SHUTOFF */)
            break;
        g_usleep(50 * 1000);
    }
    g_usleep(100 * 1000);
    FIGURE("controller killed: domain state %d after %d ms; cgroup %s -> %s", state, i * 50,
           hadCgroup ? "present" : "absent", faultCgroupExists(name2) ? "PRESENT" : "gone");
    if (state != 5 || faultCgroupExists(name2))
        goto cleanup;
    ret = 0;
 cleanup:
    faultProbeStop(probe);
    if (ctrl > 0)
        kill(ctrl, SIGKILL);
    if (c && dom.name)
        faultDomCall(c, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, &dom, NULL);
    if (c && dom2.name)
        faultDomCall(c, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, &dom2, NULL);
    xdr_free((xdrproc_t)xdr_remote_dom, (char *)&dom);
    xdr_free((xdrproc_t)xdr_remote_dom, (char *)&dom2);
    faultClientFree(c);
    faultDaemonFree(d);
    return ret;
}


/* ---- survive -------------------------------------------------------- */

static bool
faultProcessAlive(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *text = NULL;
    const char *p;

    /* a zombie (not reaped yet) counts as gone */
    if (!g_file_get_contents(path, &text, NULL, NULL) || !(p = strrchr(text, ')')))
        return false;
    return p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}


/* The first live child of pid (a controller's container init), or 0. */
static pid_t
faultChildOf(pid_t pid)
{
    g_autoptr(GDir) proc = g_dir_open("/proc", 0, NULL);
    const char *e;

    while (proc && (e = g_dir_read_name(proc))) {
        g_autofree char *path = g_strdup_printf("/proc/%s/stat", e);
        g_autofree char *text = NULL;
        const char *p;

        if (!g_ascii_isdigit(e[0]) || !g_file_get_contents(path, &text, NULL, NULL) ||
            !(p = strrchr(text, ')')))
            continue;
        /* ") S PPID ..." */
        if (p[2] != 'Z' && atoi(p + 4) == (int)pid)
            return (pid_t)atoi(e);
    }
    return 0;
}


/* Running containers survive a kill -9 of the daemon: the controllers
 * and their inits keep running, a new daemon finds them running with
 * the same ids, and destroying them works and cleans up. */
static int
testContainersSurvive(const void *data G_GNUC_UNUSED)
{
    enum { N = 2 };
    char *names[N] = { NULL };
    remote_dom dom[N] = { { 0 } };
    pid_t ctrl[N] = { 0 }, init[N] = { 0 };
    faultDaemonOpts opts = { 0 };
    g_autofree char *dir = NULL;
    faultDaemon *d = NULL;
    faultClient *c = NULL;
    int ret = -1, i, alive = 0, found = 0, running = 0, sameID = 0, gone = 0, left = 0;
    uint64_t t0, destroyUs = 0;

    if (!faultHaveRootAndNamespaces())
        return VIR_TEST_SKIP;
    if (!(d = faultDaemonStart(NULL)) || !(c = faultOpen(d, "lxc:///system")))
        goto cleanup;
    for (i = 0; i < N; i++) {
        names[i] = g_strdup_printf("vnfault%d-survive%d", (int)getpid(), i);
        if (faultStartContainer(c, names[i], &dom[i], &ctrl[i]) < 0)
            goto cleanup;
        for (int tries = 0; tries < 100 && !(init[i] = faultChildOf(ctrl[i])); tries++)
            g_usleep(20 * 1000);
    }
    dir = g_strdup(d->dir);
    faultClientFree(g_steal_pointer(&c));
    faultDaemonStop(d, SIGKILL);
    faultDaemonFree(g_steal_pointer(&d));
    g_usleep(300 * 1000);
    for (i = 0; i < N; i++)
        alive += faultProcessAlive(ctrl[i]) && init[i] && faultProcessAlive(init[i]);

    opts.dir = dir;
    if (!(d = faultDaemonStart(&opts)) || !(c = faultOpen(d, "lxc:///system")))
        goto cleanup;
    for (i = 0; i < N; i++) {
        remote_dom again = { 0 };
        int state = 0;

        if (faultLookup(c, names[i], &again) == 0) {
            found++;
            sameID += again.id == dom[i].id || again.id == (int)ctrl[i];
            if (faultGetState(c, &again, &state) == 0 && state == VIR_DOMAIN_RUNNING)
                running++;
        }
        xdr_free((xdrproc_t)xdr_remote_dom, (char *)&again);
    }
    g_usleep(500 * 1000);
    for (i = 0; i < N; i++)
        alive += faultProcessAlive(ctrl[i]) && faultProcessAlive(init[i]);
    FIGURE("%d containers across kill -9 of the daemon: controller and init alive %d/%d "
           "(after the kill, then 0.5 s after the restart); found %d, running %d, same ids %d",
           N, alive, 2 * N, found, running, sameID);
    t0 = faultNowUs();
    for (i = 0; i < N; i++) {
        if (faultDomCall(c, REMOTE_PROC_DOMAIN_DESTROY_FLAGS, &dom[i], NULL) != 0)
            fprintf(stderr, "destroy of %s failed after the restart\n", names[i]);
    }
    destroyUs = faultNowUs() - t0;
    for (int tries = 0; tries < 100; tries++) {
        gone = 0;
        for (i = 0; i < N; i++)
            gone += !faultProcessAlive(ctrl[i]) && !faultProcessAlive(init[i]);
        if (gone == N)
            break;
        g_usleep(20 * 1000);
    }
    for (i = 0; i < N; i++)
        left += faultCgroupExists(names[i]);
    FIGURE("destroy after the restart: %.0f ms for %d; controller and init gone %d/%d, "
           "cgroups left %d",
           destroyUs / 1e3, N, gone, N, left);
    if (alive != 2 * N || found != N || running != N || sameID != N || gone != N || left)
        goto cleanup;
    ret = 0;
 cleanup:
    for (i = 0; i < N; i++) {
        if (ctrl[i] > 0 && faultProcessAlive(ctrl[i]))
            kill(ctrl[i], SIGKILL);
        if (init[i] > 0 && faultProcessAlive(init[i]))
            kill(init[i], SIGKILL);
        if (c && dom[i].name)
            faultDomCall(c, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, &dom[i], NULL);
        xdr_free((xdrproc_t)xdr_remote_dom, (char *)&dom[i]);
        g_free(names[i]);
    }
    faultClientFree(c);
    faultDaemonFree(d);
    return ret;
}


/* ---- fd-exhaust ------------------------------------------------------- */

static off_t
faultFileSize(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? st.st_size : 0;
}


static int
testFDExhaustion(const void *data G_GNUC_UNUSED)
{
    faultDaemonOpts opts = { .nofile = 128 };
    faultDaemon *d = faultDaemonStart(&opts);
    faultClient *clients[200] = { 0 };
    faultClient *late = NULL;
    unsigned long long cpu0, cpu1;
    off_t log0, log1;
    uint64_t t0;
    double cpuPct;
    int ret = -1, i, n = 0;
    long hz = sysconf(_SC_CLK_TCK);

    if (!d)
        return -1;
    for (i = 0; i < 200; i++) {
        if ((clients[i] = faultClientConnect(d->sock)))
            n++;
    }
    g_usleep(300 * 1000);
    cpu0 = faultProcCPUTicks(d->pid);
    log0 = faultFileSize(d->log);
    t0 = faultNowUs();
    g_usleep(2 * G_USEC_PER_SEC);
    cpu1 = faultProcCPUTicks(d->pid);
    log1 = faultFileSize(d->log);
    cpuPct = 100.0 * (double)(cpu1 - cpu0) / (double)hz / ((faultNowUs() - t0) / 1e6);
    FIGURE("%d clients connected under RLIMIT_NOFILE 128 (daemon holds %d fds): "
           "daemon CPU %.1f %%, log grew %lld bytes in 2 s", n, faultProcFDs(d->pid),
           cpuPct, (long long)(log1 - log0));
    if (cpuPct > 25.0 || log1 - log0 > 64 * 1024) {
        fprintf(stderr, "accept failures spin the daemon or flood its log\n");
        goto cleanup;
    }
    for (i = 0; i < 200; i++)
        g_clear_pointer(&clients[i], faultClientFree);
    t0 = faultNowUs();
    if (!(late = faultOpen(d, "test:///default")) || faultLibVersion(late) != 0) {
        fprintf(stderr, "the daemon did not recover once descriptors were free\n");
        goto cleanup;
    }
    FIGURE("after the clients left, a new client was served in %.1f ms",
           (faultNowUs() - t0) / 1e3);
    ret = 0;
 cleanup:
    for (i = 0; i < 200; i++)
        faultClientFree(clients[i]);
    faultClientFree(late);
    faultDaemonFree(d);
    return ret;
}


/* ---- crash-temps ------------------------------------------------------ */

typedef struct {
    faultClient *c;
    const char *prefix;
    GPtrArray *acked;       /* names whose define was acknowledged */
    GMutex lock;
} faultCrashDefiner;

static gpointer
faultCrashDefinerThread(gpointer data)
{
    faultCrashDefiner *f = data;

    for (int i = 0;; i++) {
        g_autofree char *name = g_strdup_printf("%s-%d", f->prefix, i);
        g_autofree char *xml = faultLXCXML(name, "sleep 1");

        if (faultDefine(f->c, xml, NULL, NULL) != 0)
            break;
        g_mutex_lock(&f->lock);
        g_ptr_array_add(f->acked, g_steal_pointer(&name));
        g_mutex_unlock(&f->lock);
    }
    return NULL;
}


static int
faultCountTemps(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *e;
    int n = 0;

    while (d && (e = g_dir_read_name(d)))
        n += e[0] == '.';
    return n;
}


static int
testCrashTemps(const void *data G_GNUC_UNUSED)
{
    const char *env[] = { "VNFAULT_FSYNC_DELAY_MS=15", "VNFAULT_FILE_FAULTS_ONLY_PID=1", NULL };
    faultDaemonOpts opts = { .shim = true, .env = env };
    g_autofree char *dir = NULL, *etc = NULL, *planted = NULL;
    faultDaemon *d = NULL;
    faultClient *c = NULL;
    int ret = -1, round, leftBefore = 0, missing = 0, corrupt = 0;
    unsigned int total = 0, count = 0;
    GPtrArray *acked = g_ptr_array_new_with_free_func(g_free);

    if (!faultHaveRootAndNamespaces())
        return VIR_TEST_SKIP;
    for (round = 0; round < 8; round++) {
        g_autofree char *prefix = g_strdup_printf("vnfault%d-r%d", (int)getpid(), round);
        faultCrashDefiner f = { .prefix = prefix, .acked = acked };
        GThread *t;

        opts.dir = dir;
        if (!(d = faultDaemonStart(&opts)))
            goto cleanup;
        if (!dir) {
            dir = g_strdup(d->dir);
            etc = g_build_filename(dir, "etc", "lxc", NULL);
        }
        if (!(c = faultOpen(d, "lxc:///system")))
            goto cleanup;
        g_mutex_init(&f.lock);
        f.c = c;
        t = g_thread_new("crash-definer", faultCrashDefinerThread, &f);
        g_usleep((150 + g_random_int_range(0, 300)) * 1000);
        faultDaemonStop(d, SIGKILL);
        g_thread_join(t);
        g_mutex_clear(&f.lock);
        faultClientFree(g_steal_pointer(&c));
        leftBefore += faultCountTemps(etc);
        faultDaemonFree(g_steal_pointer(&d));
    }
    /* one more, planted by hand: a complete temp newer than its target */
    planted = g_build_filename(etc, ".planted.xml.Ab12Cd", NULL);
    g_file_set_contents(planted, "<domain type='lxc'><name>planted</name></domain>", -1, NULL);
    opts.dir = dir;
    if (!(d = faultDaemonStart(&opts)) || !(c = faultOpen(d, "lxc:///system")))
        goto cleanup;
    for (guint i = 0; i < acked->len; i++) {
        const char *name = g_ptr_array_index(acked, i);
        g_autofree char *path = g_strdup_printf("%s/%s.xml", etc, name);
        g_autofree char *text = NULL;

        if (faultLookup(c, name, NULL) != 0)
            missing++;
        if (!g_file_get_contents(path, &text, NULL, NULL) || !strstr(text, "</domain>"))
            corrupt++;
    }
    faultListAll(c, &total);
    FIGURE("8 kill -9 during LXC defines: %u acknowledged, %d missing, %d corrupt; "
           "%d temp files left by the kills (+1 planted), %d after restart; %u domains listed",
           acked->len, missing, corrupt, leftBefore, faultCountTemps(etc), total);
    count = faultCountTemps(etc);
    if (missing || corrupt || count != 0 || acked->len == 0)
        goto cleanup;
    ret = 0;
 cleanup:
    faultClientFree(c);
    faultDaemonFree(d);
    g_ptr_array_free(acked, TRUE);
    return ret;
}


/* ---- names ------------------------------------------------------------ */

/* Every entry of dir is a plain child named NAME.EXT for a known name, or
 * a directory we expect (autostart). */
static int
faultCheckDirEntries(const char *dir, const char *const *allowedPrefixes)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *e;
    int bad = 0;

    while (d && (e = g_dir_read_name(d))) {
        bool ok = strcmp(e, "autostart") == 0;

        for (size_t i = 0; !ok && allowedPrefixes[i]; i++)
            ok = g_str_has_prefix(e, allowedPrefixes[i]);
        if (!ok) {
            fprintf(stderr, "unexpected entry '%s' in %s\n", e, dir);
            bad++;
        }
    }
    return bad;
}


static int
testHostileNames(const void *data G_GNUC_UNUSED)
{
    g_autofree char *longName = g_strnfill(300, 'n');
    g_autofree char *memMaxBefore = NULL, *memMaxAfter = NULL;
    struct {
        const char *name;
        bool accepted;
        bool start;
    } cases[] = {
        { "/", false, false },
        { "a/b", false, false },
        { "..", true, true },
        { ".", true, true },
        { "%2e%2e%2f", true, false },
        { "memory.max", true, true },
        { "tab\there", true, false },
        { "del\x7f", true, false },
        { longName, false, false },
    };
    faultDaemon *d;
    faultClient *c = NULL;
    g_autofree char *etc = NULL, *run = NULL, *limitPath = NULL;
    g_autoptr(GPtrArray) prefixes = g_ptr_array_new_with_free_func(g_free);
    const char *base, *limit;
    int ret = -1, bad = 0;

    if (!faultHaveRootAndNamespaces())
        return VIR_TEST_SKIP;
    if (!(d = faultDaemonStart(NULL)))
        return -1;
    faultCgroupBase(&base, &limit);
    limitPath = g_build_filename(base, limit, NULL);
    etc = g_build_filename(d->dir, "etc", "lxc", NULL);
    run = g_build_filename(d->dir, "run", "lxc", NULL);
    g_file_get_contents(limitPath, &memMaxBefore, NULL, NULL);
    if (!(c = faultOpen(d, "lxc:///system")))
        goto cleanup;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = faultLXCXML(cases[i].name, "sleep 600");
        g_autofree char *err = NULL;
        g_autofree char *shown = g_strescape(cases[i].name, NULL);
        remote_dom dom = { 0 };
        int rc = faultDefine(c, xml, &dom, &err);

        if (strlen(shown) > 40)
            strcpy(shown + 30, "...");
        FIGURE("name '%s': define %s%s%s", shown, rc == 0 ? "accepted" : "refused",
               err ? ": " : "", err ? err : "");
        if ((rc == 0) != cases[i].accepted) {
            bad++;
            continue;
        }
        if (rc != 0)
            continue;
        /* the entries of this name and of earlier ones (logs stay) */
        if (prefixes->len)
            g_ptr_array_remove_index(prefixes, prefixes->len - 1);
        g_ptr_array_add(prefixes, g_strdup_printf("%s.", cases[i].name));
        g_ptr_array_add(prefixes, NULL);
        bad += faultCheckDirEntries(etc, (const char *const *)prefixes->pdata);
        if (cases[i].start) {
            g_autofree char *leaf = g_strdup_printf("%s%s", cases[i].name[0] == '.' ||
                                                    strchr(cases[i].name, '.') ? "_" : "",
                                                    cases[i].name);
            g_autofree char *cg = g_build_filename(base, leaf, NULL);
            g_autofree char *procs = g_build_filename(cg, "cgroup.procs", NULL);

            if (faultDomCall(c, REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS, &dom, &err) != 0) {
                fprintf(stderr, "cannot start '%s': %s\n", shown, err ? err : "");
                bad++;
            } else {
                bool own = g_file_test(procs, G_FILE_TEST_EXISTS);
                g_autofree char *cur = NULL;

                g_file_get_contents(limitPath, &cur, NULL, NULL);
                FIGURE("  running: its own cgroup %s: %s; virtnet-lxc/%s %s",
                       cg, own ? "yes" : "NO", limit,
                       g_strcmp0(cur, memMaxBefore) == 0 ? "unchanged" : "CHANGED");
                if (g_file_test(base, G_FILE_TEST_IS_DIR) &&
                    (!own || g_strcmp0(cur, memMaxBefore) != 0))
                    bad++;
                bad += faultCheckDirEntries(run, (const char *const *)prefixes->pdata);
                faultDomCall(c, REMOTE_PROC_DOMAIN_DESTROY_FLAGS, &dom, NULL);
                if (g_file_test(cg, G_FILE_TEST_IS_DIR)) {
                    fprintf(stderr, "cgroup %s left after destroy\n", cg);
                    bad++;
                }
            }
        }
        faultDomCall(c, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, &dom, NULL);
        xdr_free((xdrproc_t)xdr_remote_dom, (char *)&dom);
    }
    g_file_get_contents(limitPath, &memMaxAfter, NULL, NULL);
    if (g_strcmp0(memMaxBefore, memMaxAfter) != 0) {
        fprintf(stderr, "%s changed\n", limitPath);
        bad++;
    }
    ret = bad ? -1 : 0;
 cleanup:
    faultClientFree(c);
    faultDaemonFree(d);
    return ret;
}


/* ---- preauth ---------------------------------------------------------- */

/* The daemon runs with every allocation above 2 MiB failing (the shim):
 * allocating what an unauthenticated client's length word promises (32 MiB)
 * kills it, whatever the allocator does with RSS (glibc maps such a block
 * and unmaps it on free, so RSS alone would not show a transient one; ASan
 * keeps freed blocks in its quarantine, so RSS grows even when nothing is
 * kept). The pre-auth limits are 256 KiB per message and 1 MiB per client. */
static int
testPreauthMemory(const void *data G_GNUC_UNUSED)
{
    const char *env[] = { "VNFAULT_MALLOC_FAIL_ABOVE=2097152", NULL };
    faultDaemonOpts opts = { .extraConf = "auth_unix_rw = \"sasl\"\n", .shim = true,
                             .env = env };
    faultDaemon *d = faultDaemonStart(&opts);
    faultClient *clients[16] = { 0 };
    faultClient *ro = NULL;
    g_autofree char *roSock = NULL;
    g_autofree char *chunk = g_malloc0(1024 * 1024);
    long rss0, rss1;
    int ret = -1, closed = 0, i, j;
    bool alive;

    if (!d)
        return -1;
    g_usleep(200 * 1000);
    rss0 = faultProcRSSKiB(d->pid);
    for (i = 0; i < 16; i++) {
        unsigned char len[4] = { 0x02, 0x00, 0x00, 0x00 };   /* 32 MiB */

        if (!(clients[i] = faultClientConnect(d->sock)))
            break;      /* the daemon is gone: reported below */
        if (send(clients[i]->fd, len, 4, MSG_NOSIGNAL) != 4)
            continue;
        for (j = 0; j < 8; j++) {    /* 8 MiB of it, then stop */
            struct pollfd pfd = { clients[i]->fd, POLLOUT, 0 };

            if (poll(&pfd, 1, 2000) <= 0 || (pfd.revents & (POLLERR | POLLHUP)) ||
                send(clients[i]->fd, chunk, 1024 * 1024, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
                break;
        }
    }
    g_usleep(500 * 1000);
    rss1 = faultProcRSSKiB(d->pid);
    for (i = 0; i < 16 && clients[i]; i++) {
        char b;
        struct pollfd pfd = { clients[i]->fd, POLLIN, 0 };

        if (poll(&pfd, 1, 1000) > 0 && recv(clients[i]->fd, &b, 1, MSG_DONTWAIT) <= 0)
            closed++;
    }
    /* still serving (the read-only socket needs no authentication) */
    roSock = g_strconcat(d->sock, "-ro", NULL);
    alive = (ro = faultClientConnect(roSock)) && faultClientOpen(ro, "test:///default") == 0 &&
            faultLibVersion(ro) == 0;
    FIGURE("16 unauthenticated clients each promising 32 MiB and sending up to 8 MiB: "
           "daemon RSS %ld -> %ld KiB (+%ld MiB); %d of 16 connections closed; "
           "no allocation above 2 MiB: %s",
           rss0, rss1, (rss1 - rss0) / 1024, closed, alive ? "yes" : "NO (the daemon died)");
    if (rss1 - rss0 > 8 * 1024 || closed != 16 || !alive)
        goto cleanup;
    ret = 0;
 cleanup:
    for (i = 0; i < 16; i++)
        faultClientFree(clients[i]);
    faultClientFree(ro);
    faultDaemonFree(d);
    return ret;
}


int
main(int argc, char **argv)
{
    static const faultCase cases[] = {
        { "close-queue: closing a client with a long queue does not stall others", testCloseQueue },
        { "slow-disk: inline calls during LXC defines with fsync delayed 300 ms", testSlowDisk },
        { "stuck-ctrl: destroy with a stopped controller; killed controller's cgroup", testStuckController },
        { "survive: running containers survive kill -9 of the daemon; destroy works after", testContainersSurvive },
        { "fd-exhaust: accept backs off under EMFILE and recovers", testFDExhaustion },
        { "crash-temps: kill -9 during defines loses nothing; temp files cleaned", testCrashTemps },
        { "names: hostile container names stay in their directories and cgroup", testHostileNames },
        { "preauth: unauthenticated clients cannot make the daemon buffer much", testPreauthMemory },
    };

    return faultRunCases(argc, argv, cases, G_N_ELEMENTS(cases));
}
