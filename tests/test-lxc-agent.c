/*
 * test-lxc-agent.c: the guest agent of real containers, through the LXC
 * driver in-process (virconnect.h): the controller runs virtnet-agent
 * inside each container that has the channel, and every agent-backed API
 * is checked against what the container really has (its host name, an
 * address added inside its network namespace, its mounts, its shadow
 * file and authorized_keys, its os-release, utmp and time zone).
 *
 * Then the bad cases: the agent killed (DISCONNECTED, AGENT_UNRESPONSIVE,
 * restarted: CONNECTED), agents that hang, answer garbage, flood or send
 * oversized messages (tests/lxc-fake-agent), with the latency of
 * unrelated calls measured meanwhile, and a daemon restart.
 *
 * Needs root and namespaces: skipped (77) otherwise. The containers with
 * accounts have a root file system of their own (a tree made here, with
 * the host's /usr read-only), so nothing of the host is changed.
 */
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib.h>

#include "testevents.h"
#include "testutils.h"
#include "virconnect.h"
#include "virerror.h"
#include "lxcconf.h"
#include "lxcdriver.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainRef, virDomainRefFree);

/* Events are filed as the lifecycle event, EV_AGENT + the agent state
 * (detail: its reason) or EV_REBOOT. */
#define EV_AGENT 100
#define EV_REBOOT 99

static virConnect *conn;
static char *dir;
static char *stateDir;
static char *initProg;
static char *good;          /* the container with the real agent */
static char *goodRoot;

/* ------------------------------------------------------------------ */
/* Events                                                              */

static void
onLifecycle(virConnect *c G_GNUC_UNUSED, const virDomainRef *dom, int event, int detail,
            void *opaque G_GNUC_UNUSED)
{
    testEventsRecord(dom->name, dom->id, event, detail);
}


static void
onAgent(virConnect *c G_GNUC_UNUSED, const virDomainRef *dom, int state, int reason,
        void *opaque G_GNUC_UNUSED)
{
    testEventsRecord(dom->name, dom->id, EV_AGENT + state, reason);
}


static void
onReboot(virConnect *c G_GNUC_UNUSED, const virDomainRef *dom, void *opaque G_GNUC_UNUSED)
{
    testEventsRecord(dom->name, dom->id, EV_REBOOT, 0);
}

#define CONNECTED (EV_AGENT + VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED)
#define DISCONNECTED (EV_AGENT + VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_DISCONNECTED)
#define R_STARTED VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_DOMAIN_STARTED
#define R_CHANNEL VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL

/* ------------------------------------------------------------------ */
/* Containers                                                          */

static virDomainRef *
lookup(const char *name)
{
    return virDomainLookupByName(conn, name);
}


static char *
readRoot(const char *root, const char *rel)
{
    g_autofree char *path = g_build_filename(root, rel, NULL);
    char *text = NULL;

    g_file_get_contents(path, &text, NULL, NULL);
    return text;
}


/* A root file system: a few directories, the host's /usr (read-only,
 * through the XML), the test init, accounts and the facts the agent
 * reads. */
static char *
makeRoot(const char *name)
{
    char *root = g_build_filename(dir, name, NULL);
    static const char *const dirs[] = { "etc", "proc", "sys", "dev", "tmp", "run", "usr", "root",
                                        "data", "home/alice", "home/bob" };
    static const char *const links[][2] = { { "bin", "usr/bin" }, { "sbin", "usr/sbin" },
                                            { "lib", "usr/lib" }, { "lib64", "usr/lib64" } };
    g_autofree char *init = NULL;
    g_autofree char *initDst = g_build_filename(root, "testinit", NULL);
    gsize len = 0;
    struct utmp ut;
    int fd;

    for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
        g_autofree char *d = g_build_filename(root, dirs[i], NULL);
        g_mkdir_with_parents(d, 0755);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(links); i++) {
        g_autofree char *l = g_build_filename(root, links[i][0], NULL);
        if (symlink(links[i][1], l) < 0)
            abort();
    }
    if (!g_file_get_contents(initProg, &init, &len, NULL) ||
        !g_file_set_contents(initDst, init, len, NULL) || chmod(initDst, 0755) < 0)
        abort();
#define PUT(rel, text, mode) do { \
        g_autofree char *p_ = g_build_filename(root, rel, NULL); \
        if (!g_file_set_contents(p_, text, -1, NULL) || chmod(p_, mode) < 0) \
            abort(); \
    } while (0)
    PUT("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
                      "alice:x:1000:1000:Alice:/home/alice:/bin/sh\n"
                      "bob:x:1001:1001:Bob:/home/bob:/bin/sh\n", 0644);
    PUT("etc/group", "root:x:0:\nalice:x:1000:\n", 0644);
    PUT("etc/shadow", "root:*:19000:0:99999:7:::\nalice:!:19000:0:99999:7:::\n", 0640);
    PUT("etc/os-release", "NAME=\"VN Agent Test\"\nID=vnagenttest\nVERSION_ID=\"42\"\n"
                          "PRETTY_NAME=\"VN Agent Test 42\"\n", 0644);
#undef PUT
    {
        g_autofree char *lt = g_build_filename(root, "etc", "localtime", NULL);
        g_autofree char *home = g_build_filename(root, "home", "alice", NULL);
        g_autofree char *utmp = g_build_filename(root, "run", "utmp", NULL);

        if (symlink("/usr/share/zoneinfo/Asia/Kolkata", lt) < 0 || chown(home, 1000, 1000) < 0)
            abort();
        memset(&ut, 0, sizeof(ut));
        ut.ut_type = USER_PROCESS;
        ut.ut_pid = 1;
        g_strlcpy(ut.ut_user, "alice", sizeof(ut.ut_user));
        g_strlcpy(ut.ut_line, "pts/3", sizeof(ut.ut_line));
        ut.ut_tv.tv_sec = 1700000000;
        if ((fd = open(utmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
            write(fd, &ut, sizeof(ut)) != sizeof(ut))
            abort();
        close(fd);
    }
    return root;
}


/* root NULL: the container shares the host's file system (fake agents). */
static char *
agentXML(const char *name, const char *root, bool channel)
{
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "<domain type='lxc'>\n  <name>%s</name>\n"
                           "  <memory unit='KiB'>262144</memory>\n  <vcpu>1</vcpu>\n"
                           "  <os>\n    <type>exe</type>\n    <init>%s</init>\n"
                           "    <initarg>catch-term</initarg>\n  </os>\n"
                           "  <features><privnet/></features>\n  <devices>\n"
                           "    <console type='pty'/>\n", name, root ? "/testinit" : initProg);
    if (root)
        g_string_append_printf(s, "    <filesystem type='mount'><source dir='%s'/>"
                               "<target dir='/'/></filesystem>\n"
                               "    <filesystem type='mount'><source dir='/usr'/>"
                               "<target dir='/usr'/><readonly/></filesystem>\n"
                               "    <filesystem type='ram'><source usage='8' units='MiB'/>"
                               "<target dir='/data'/></filesystem>\n", root);
    if (channel)
        g_string_append(s, "    <channel type='unix'><source mode='bind'/>"
                           "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>\n");
    g_string_append(s, "  </devices>\n</domain>\n");
    return g_string_free(s, FALSE);
}


/* Start a container whose agent runs in mode (NULL: the real one) and
 * wait for its agent (unless it has none). */
static virDomainRef *
startContainer(const char *name, const char *root, bool channel, const char *mode)
{
    g_autofree char *xml = agentXML(name, root, channel);
    virDomainRef *dom;

    g_setenv("VIRTNET_TEST_AGENT_MODE", mode ? mode : "real", TRUE);
    dom = virDomainCreateXML(conn, xml, 0);
    g_setenv("VIRTNET_TEST_AGENT_MODE", "real", TRUE);
    if (!dom) {
        fprintf(stderr, "  create %s: %s\n", name, virGetLastErrorMessage());
        return NULL;
    }
    if (channel && testEventsWait(name, CONNECTED, R_STARTED, 1, 15000) < 1) {
        fprintf(stderr, "  %s: no AGENT_LIFECYCLE connected event\n", name);
        virDomainDestroy(conn, dom);
        virDomainRefFree(dom);
        return NULL;
    }
    return dom;
}


static unsigned long long
stateAttr(const char *name, const char *attr)
{
    g_autofree char *path = g_strdup_printf("%s/%s.xml", stateDir, name);
    g_autofree char *text = NULL;
    g_autofree char *key = g_strdup_printf(" %s='", attr);
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL) || !(p = strstr(text, key)))
        return 0;
    return g_ascii_strtoull(p + strlen(key), NULL, 10);
}


/* The agent process of a container: its controller's child running
 * virtnet-agent. */
static pid_t
agentPid(const char *name)
{
    pid_t ctrl = (pid_t)stateAttr(name, "pid");
    g_autoptr(GDir) proc = g_dir_open("/proc", 0, NULL);
    const char *entry;

    while (proc && (entry = g_dir_read_name(proc))) {
        g_autofree char *statPath = g_strdup_printf("/proc/%s/stat", entry);
        g_autofree char *text = NULL;
        char *p;

        if (!g_ascii_isdigit(entry[0]) || !g_file_get_contents(statPath, &text, NULL, NULL))
            continue;
        if (!strstr(text, "(virtnet-agent)") || !(p = strrchr(text, ')')))
            continue;
        if (atoi(p + 4) == ctrl)
            return atoi(entry);
    }
    return 0;
}


static int
errorCode(void)
{
    return virGetLastErrorCode();
}

/* ------------------------------------------------------------------ */
/* The real agent                                                      */

static int
testHostname(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = lookup(good);
    g_autofree char *want = lxcHostName(good);
    g_autofree char *h1 = NULL;
    g_autofree char *h2 = NULL;
    char *h3;

    VIR_TEST_ASSERT(dom);
    h1 = virDomainGetHostname(conn, dom, 0);
    h2 = virDomainGetHostname(conn, dom, VIR_DOMAIN_GET_HOSTNAME_AGENT);
    VIR_TEST_ASSERT_STR(h1, want);
    VIR_TEST_ASSERT_STR(h2, want);
    /* the name's '_' is not in the host name: it really is the guest's */
    VIR_TEST_ASSERT(strchr(good, '_') && !strchr(want, '_'));
    h3 = virDomainGetHostname(conn, dom, VIR_DOMAIN_GET_HOSTNAME_LEASE);
    VIR_TEST_ASSERT(!h3);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_NO_HOSTNAME);
    h3 = virDomainGetHostname(conn, dom, VIR_DOMAIN_GET_HOSTNAME_LEASE |
                                         VIR_DOMAIN_GET_HOSTNAME_AGENT);
    VIR_TEST_ASSERT(!h3);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_INVALID_ARG);
    return 0;
}


static bool
hasAddress(virDomainInterface **ifaces, int n, const char *name, const char *addr,
           unsigned int prefix)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(ifaces[i]->name, name) != 0)
            continue;
        for (unsigned int j = 0; j < ifaces[i]->naddrs; j++) {
            if (strcmp(ifaces[i]->addrs[j].addr, addr) == 0 && ifaces[i]->addrs[j].prefix == prefix)
                return true;
        }
    }
    return false;
}


static int
testInterfaces(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = lookup(good);
    g_autofree char *cmd = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    virDomainInterface **ifaces = NULL;
    int n, status = 0;
    bool before, after, lo;

    VIR_TEST_ASSERT(dom);
    n = virDomainInterfaceAddresses(conn, dom, &ifaces, VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, 0);
    VIR_TEST_ASSERT(n >= 1);
    before = hasAddress(ifaces, n, "lo", "192.0.2.77", 24);
    virDomainInterfaceListFree(ifaces);

    /* an address added inside the container's network namespace */
    cmd = g_strdup_printf("nsenter -t %llu -n ip addr add 192.0.2.77/24 dev lo",
                          stateAttr(good, "initpid"));
    if (!g_spawn_command_line_sync(cmd, &out, &err, &status, NULL) || status != 0) {
        fprintf(stderr, "  skipping the added address: %s: %s\n", cmd, err ? err : "");
        return VIR_TEST_SKIP;
    }
    n = virDomainInterfaceAddresses(conn, dom, &ifaces, VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, 0);
    after = hasAddress(ifaces, n, "lo", "192.0.2.77", 24);
    lo = hasAddress(ifaces, n, "lo", "127.0.0.1", 8);
    virDomainInterfaceListFree(ifaces);
    VIR_TEST_ASSERT(!before && after && lo);

    /* no lease nor ARP entry for a container without interfaces */
    VIR_TEST_ASSERT_INT(virDomainInterfaceAddresses(conn, dom, &ifaces,
                                                    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, 0), 0);
    virDomainInterfaceListFree(ifaces);
    VIR_TEST_ASSERT_INT(virDomainInterfaceAddresses(conn, dom, &ifaces, 7, 0), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_ARGUMENT_UNSUPPORTED);
    return 0;
}


static int
testFSInfo(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = lookup(good);
    virDomainFSInfo **info = NULL;
    bool root = false, ram = false;
    int n;

    VIR_TEST_ASSERT(dom);
    n = virDomainGetFSInfo(conn, dom, &info, 0);
    for (int i = 0; i < n; i++) {
        if (strcmp(info[i]->mountpoint, "/") == 0)
            root = true;
        if (strcmp(info[i]->mountpoint, "/data") == 0 && strcmp(info[i]->fstype, "tmpfs") == 0)
            ram = true;
        if (info[i]->ndevAlias != 0)
            root = false;
    }
    virDomainFSInfoListFree(info);
    VIR_TEST_ASSERT(n >= 3 && root && ram);
    return 0;
}


static const virTypedParameter *
param(const virTypedParameter *params, int n, const char *name)
{
    return virTypedParamsGet(params, n, name);
}


static int
testGuestInfo(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = lookup(good);
    g_autofree char *want = lxcHostName(good);
    virTypedParameter *params = NULL;
    const virTypedParameter *p;
    char field[64];
    int n = 0, fs = -1, count;
    bool ok;

    VIR_TEST_ASSERT(dom);
    VIR_TEST_ASSERT_INT(virDomainGetGuestInfo(conn, dom, 0, &params, &n, 0), 0);
    ok = (p = param(params, n, "user.count")) && p->value.ui == 1 &&
         (p = param(params, n, "user.0.name")) && strcmp(p->value.s, "alice") == 0 &&
         (p = param(params, n, "user.0.login-time")) && p->value.ul == 1700000000000ULL &&
         (p = param(params, n, "os.id")) && strcmp(p->value.s, "vnagenttest") == 0 &&
         (p = param(params, n, "os.pretty-name")) && strcmp(p->value.s, "VN Agent Test 42") == 0 &&
         (p = param(params, n, "os.kernel-release")) &&
         (p = param(params, n, "timezone.name")) && strcmp(p->value.s, "Asia/Kolkata") == 0 &&
         (p = param(params, n, "timezone.offset")) && p->value.i == 19800 &&
         (p = param(params, n, "hostname")) && strcmp(p->value.s, want) == 0 &&
         (p = param(params, n, "if.count")) && p->value.ui >= 1 &&
         (p = param(params, n, "fs.count"));
    count = ok ? (int)param(params, n, "fs.count")->value.ui : 0;
    for (int i = 0; i < count; i++) {
        g_snprintf(field, sizeof(field), "fs.%d.mountpoint", i);
        if ((p = param(params, n, field)) && strcmp(p->value.s, "/data") == 0)
            fs = i;
    }
    if (ok && fs >= 0) {
        g_snprintf(field, sizeof(field), "fs.%d.total-bytes", fs);
        ok = (p = param(params, n, field)) && p->value.ul == 8 * 1024 * 1024;
        g_snprintf(field, sizeof(field), "fs.%d.fstype", fs);
        ok = ok && (p = param(params, n, field)) && strcmp(p->value.s, "tmpfs") == 0;
    }
    if (!ok || fs < 0) {
        for (int i = 0; i < n; i++)
            fprintf(stderr, "  %s (type %d)\n", params[i].field, params[i].type);
    }
    virTypedParamsFree(params, n);
    VIR_TEST_ASSERT(ok && fs >= 0);

    /* one group only */
    params = NULL;
    VIR_TEST_ASSERT_INT(virDomainGetGuestInfo(conn, dom, VIR_DOMAIN_GUEST_INFO_HOSTNAME,
                                              &params, &n, 0), 0);
    ok = n == 1 && strcmp(params[0].field, "hostname") == 0;
    virTypedParamsFree(params, n);
    VIR_TEST_ASSERT(ok);
    VIR_TEST_ASSERT_INT(virDomainGetGuestInfo(conn, dom, 1 << 20, &params, &n, 0), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_INVALID_ARG);
    return 0;
}


static int
testTime(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = lookup(good);
    long long secs = 0;
    unsigned int nsecs = 0;

    VIR_TEST_ASSERT(dom);
    VIR_TEST_ASSERT_INT(virDomainGetTime(conn, dom, &secs, &nsecs, 0), 0);
    VIR_TEST_ASSERT(llabs(secs - (long long)time(NULL)) <= 3 && nsecs < 1000000000);
    /* libvirt's LXC driver has no way to set a container's clock */
    VIR_TEST_ASSERT_INT(virDomainSetTime(conn, dom, secs, 0, 0), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_NO_SUPPORT);
    return 0;
}


static int
testPassword(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = lookup(good);
    g_autofree char *shadow = NULL;
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_auto(GStrv) lines = NULL;
    struct crypt_data cd;
    const char *hash = NULL;

    VIR_TEST_ASSERT(dom);
    VIR_TEST_ASSERT_INT(virDomainSetUserPassword(conn, dom, "alice", "Secret-1 x", 0), 0);
    shadow = readRoot(goodRoot, "etc/shadow");
    lines = g_strsplit(shadow ? shadow : "", "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        if (g_str_has_prefix(lines[i], "alice:")) {
            char *end;
            hash = lines[i] + 6;
            if ((end = strchr(lines[i] + 6, ':')))
                *end = '\0';
        }
    }
    VIR_TEST_ASSERT(hash && g_str_has_prefix(hash, "$6$"));
    memset(&cd, 0, sizeof(cd));
    VIR_TEST_ASSERT_STR(crypt_r("Secret-1 x", hash, &cd), hash);

    /* an unknown user: the guest's refusal, nothing changed */
    before = readRoot(goodRoot, "etc/shadow");
    VIR_TEST_ASSERT_INT(virDomainSetUserPassword(conn, dom, "nobody", "x", 0), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_INTERNAL_ERROR);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "does not exist"));
    after = readRoot(goodRoot, "etc/shadow");
    VIR_TEST_ASSERT_STR(after, before);
    return 0;
}


static int
testSSHKeys(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = lookup(good);
    const char *k12[] = { "ssh-ed25519 AAAAkey1 a@x", "ssh-rsa AAAAkey2 a@y" };
    const char *k3[] = { "ssh-ed25519 AAAAkey3 a@z" };
    g_autofree char *path = g_build_filename(goodRoot, "home", "alice", ".ssh",
                                             "authorized_keys", NULL);
    g_autofree char *file = NULL;
    char **keys = NULL;
    struct stat st;
    int n;

    VIR_TEST_ASSERT(dom);
    VIR_TEST_ASSERT_INT(virDomainAuthorizedSSHKeysSet(conn, dom, "alice", k12, 2, 0), 0);
    VIR_TEST_ASSERT(g_file_get_contents(path, &file, NULL, NULL));
    VIR_TEST_ASSERT_STR(file, "ssh-ed25519 AAAAkey1 a@x\nssh-rsa AAAAkey2 a@y\n");
    VIR_TEST_ASSERT(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600 && st.st_uid == 1000);
    VIR_TEST_ASSERT_INT(virDomainAuthorizedSSHKeysSet(conn, dom, "alice", k3, 1,
                                                      VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND), 0);
    VIR_TEST_ASSERT_INT(virDomainAuthorizedSSHKeysSet(conn, dom, "alice", k12, 1,
                                                      VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE), 0);
    n = virDomainAuthorizedSSHKeysGet(conn, dom, "alice", &keys, 0);
    VIR_TEST_ASSERT_INT(n, 2);
    VIR_TEST_ASSERT_STR(keys[0], "ssh-rsa AAAAkey2 a@y");
    VIR_TEST_ASSERT_STR(keys[1], "ssh-ed25519 AAAAkey3 a@z");
    g_strfreev(keys);
    VIR_TEST_ASSERT_INT(virDomainAuthorizedSSHKeysSet(conn, dom, "alice", k3, 1,
                                                      VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND |
                                                      VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_INVALID_ARG);
    return 0;
}


static int
testVcpus(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = lookup(good);
    virTypedParameter *params = NULL;
    unsigned int n = 0;
    const virTypedParameter *v, *on, *off;
    bool ok;

    VIR_TEST_ASSERT(dom);
    VIR_TEST_ASSERT_INT(virDomainGetGuestVcpus(conn, dom, &params, &n, 0), 0);
    v = param(params, (int)n, "vcpus");
    on = param(params, (int)n, "online");
    off = param(params, (int)n, "offlinable");
    ok = n == 3 && v && on && off && *v->value.s && *on->value.s && !*off->value.s;
    virTypedParamsFree(params, (int)n);
    VIR_TEST_ASSERT(ok);
    VIR_TEST_ASSERT_INT(virDomainSetGuestVcpus(conn, dom, "0", 0, 0), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_OPERATION_UNSUPPORTED);
    VIR_TEST_ASSERT_INT(virDomainSetGuestVcpus(conn, dom, "4095", 1, 0), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_INVALID_ARG);
    VIR_TEST_ASSERT_INT(virDomainSetGuestVcpus(conn, dom, "0-x", 1, 0), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_INVALID_ARG);
    VIR_TEST_ASSERT_INT(virDomainSetGuestVcpus(conn, dom, "0", 2, 0), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_INVALID_ARG);
    return 0;
}


/* The agent runs inside the container: its namespaces are the init's. */
static int
testConnected(const void *data G_GNUC_UNUSED)
{
    static const char *const kinds[] = { "pid", "mnt", "net", "uts", "ipc" };
    pid_t agent = agentPid(good);
    unsigned long long init = stateAttr(good, "initpid");

    VIR_TEST_ASSERT_INT(testEventsWait(good, CONNECTED, R_STARTED, 1, 0), 1);
    VIR_TEST_ASSERT(agent > 0 && init > 0);
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        g_autofree char *a = g_strdup_printf("/proc/%d/ns/%s", (int)agent, kinds[i]);
        g_autofree char *b = g_strdup_printf("/proc/%llu/ns/%s", init, kinds[i]);
        g_autofree char *la = g_file_read_link(a, NULL);
        g_autofree char *lb = g_file_read_link(b, NULL);

        if (!la || !lb || strcmp(la, lb) != 0)
            VIR_TEST_FAIL("agent %s namespace %s, init's %s", kinds[i], la, lb);
    }
    return 0;
}


static int
testTimeoutValues(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = lookup(good);

    VIR_TEST_ASSERT(dom);
    VIR_TEST_ASSERT_INT(virDomainAgentSetResponseTimeout(conn, dom, -3, 0), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_INVALID_ARG);
    VIR_TEST_ASSERT_INT(virDomainAgentSetResponseTimeout(conn, dom, 17, 0), 0);
    VIR_TEST_ASSERT_INT(stateAttr(good, "agenttimeout"), 17);
    VIR_TEST_ASSERT_INT(virDomainAgentSetResponseTimeout(conn, dom,
                                                         VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT, 0), 0);
    return 0;
}


/* Killed: DISCONNECTED, then calls fail with AGENT_UNRESPONSIVE until
 * the controller's new agent greets: CONNECTED (channel). */
static int
testAgentKilled(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = lookup(good);
    pid_t pid = agentPid(good);
    int connected = testEventsWait(good, CONNECTED, -1, 1, 0);
    long long secs;
    unsigned int ns;
    int rc, code;

    VIR_TEST_ASSERT(dom && pid > 0);
    VIR_TEST_ASSERT(kill(pid, SIGKILL) == 0);
    VIR_TEST_ASSERT_INT(testEventsWait(good, DISCONNECTED, R_CHANNEL, 1, 10000), 1);
    rc = virDomainGetTime(conn, dom, &secs, &ns, 0);
    code = errorCode();
    if (testEventsWait(good, CONNECTED, -1, connected + 1, 0) == connected) {
        VIR_TEST_ASSERT_INT(rc, -1);
        VIR_TEST_ASSERT_INT(code, VIR_ERR_AGENT_UNRESPONSIVE);
    }
    VIR_TEST_ASSERT_INT(testEventsWait(good, CONNECTED, R_CHANNEL, 1, 15000), 1);
    VIR_TEST_ASSERT(agentPid(good) != pid && agentPid(good) > 0);
    VIR_TEST_ASSERT_INT(virDomainGetTime(conn, dom, &secs, &ns, 0), 0);
    return 0;
}


static int
testNoChannel(const void *data G_GNUC_UNUSED)
{
    g_autofree char *name = g_strdup_printf("vnagt%dnone", (int)getpid());
    g_autoptr(virDomainRef) dom = startContainer(name, NULL, false, NULL);
    long long secs;
    unsigned int ns;

    VIR_TEST_ASSERT(dom);
    VIR_TEST_ASSERT_INT(virDomainGetTime(conn, dom, &secs, &ns, 0), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_ARGUMENT_UNSUPPORTED);
    /* no source named and no agent: the leases, as libvirt's LXC driver */
    VIR_TEST_ASSERT(!virDomainGetHostname(conn, dom, 0));
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_NO_HOSTNAME);
    VIR_TEST_ASSERT(!virDomainGetHostname(conn, dom, VIR_DOMAIN_GET_HOSTNAME_AGENT));
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_ARGUMENT_UNSUPPORTED);
    VIR_TEST_ASSERT_INT(virDomainShutdownFlags(conn, dom, VIR_DOMAIN_SHUTDOWN_GUEST_AGENT), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_ARGUMENT_UNSUPPORTED);
    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, dom), 0);
    VIR_TEST_ASSERT_INT(virDomainGetTime(conn, dom, &secs, &ns, 0), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_NO_DOMAIN);
    return 0;
}


/* ------------------------------------------------------------------ */
/* Agents that misbehave, and the latency of everything else           */

typedef struct {
    const char *name;
    int timeout;
    int rc;
    int code;
    gint64 ms;
} timedCall;

static gpointer
timedGetTime(gpointer opaque)
{
    timedCall *c = opaque;
    g_autoptr(virDomainRef) dom = lookup(c->name);
    gint64 t0 = g_get_monotonic_time();
    long long secs;
    unsigned int ns;

    c->rc = dom ? virDomainGetTime(conn, dom, &secs, &ns, 0) : -2;
    c->code = virGetLastErrorCode();
    c->ms = (g_get_monotonic_time() - t0) / 1000;
    return NULL;
}


static int
compareMs(const void *a, const void *b)
{
    gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

    return (x > y) - (x < y);
}


/* Unrelated calls for ms: the good agent's clock, a state, a listing.
 * Their latencies (us), sorted. */
static GArray *
measureOthers(int ms)
{
    g_autoptr(virDomainRef) dom = lookup(good);
    GArray *lat = g_array_new(FALSE, FALSE, sizeof(gint64));
    gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;

    while (dom && g_get_monotonic_time() < end) {
        virDomainRef **all = NULL;
        long long secs;
        unsigned int ns;
        int s, r;
        gint64 t0 = g_get_monotonic_time(), d;

        if (virDomainGetTime(conn, dom, &secs, &ns, 0) < 0 ||
            virDomainGetState(conn, dom, &s, &r, 0) < 0 ||
            virConnectListAllDomains(conn, &all, 0) < 0) {
            fprintf(stderr, "  an unrelated call failed: %s\n", virGetLastErrorMessage());
            d = G_MAXINT64;
        } else {
            d = g_get_monotonic_time() - t0;
        }
        virDomainRefListFree(all);
        g_array_append_val(lat, d);
        g_usleep(5000);
    }
    g_array_sort(lat, compareMs);
    return lat;
}


static void
printLatency(const char *what, GArray *lat)
{
    printf("     %s: %u rounds of 3 unrelated calls, median %.2f ms, max %.2f ms\n", what,
           lat->len, g_array_index(lat, gint64, lat->len / 2) / 1000.0,
           g_array_index(lat, gint64, lat->len - 1) / 1000.0);
}


static int
testHungAgent(const void *data G_GNUC_UNUSED)
{
    g_autofree char *name = g_strdup_printf("vnagt%dhang", (int)getpid());
    g_autoptr(virDomainRef) dom = startContainer(name, NULL, true, "hang");
    timedCall a = { name }, b = { name }, c = { name };
    g_autoptr(GArray) lat = NULL;
    GThread *ta, *tb;
    gint64 max;

    VIR_TEST_ASSERT(dom);
    VIR_TEST_ASSERT_INT(virDomainAgentSetResponseTimeout(conn, dom, 2, 0), 0);
    /* two calls on the hung agent: the second waits for the first */
    ta = g_thread_new("hung-a", timedGetTime, &a);
    g_usleep(100 * 1000);
    tb = g_thread_new("hung-b", timedGetTime, &b);
    lat = measureOthers(3500);
    g_thread_join(ta);
    g_thread_join(tb);
    printf("     hung agent, timeout 2 s: first call failed after %lld ms, the one "
           "queued behind it after %lld ms\n", (long long)a.ms, (long long)b.ms);
    printLatency("meanwhile", lat);
    VIR_TEST_ASSERT(a.rc == -1 && a.code == VIR_ERR_AGENT_UNRESPONSIVE);
    VIR_TEST_ASSERT(b.rc == -1 && b.code == VIR_ERR_AGENT_UNRESPONSIVE);
    VIR_TEST_ASSERT(a.ms >= 1900 && a.ms < 3500);
    VIR_TEST_ASSERT(b.ms >= 3700 && b.ms < 6500);
    max = g_array_index(lat, gint64, lat->len - 1);
    VIR_TEST_ASSERT(lat->len > 10 && max < 1000 * 1000);

    /* the default timeout: 5 s */
    VIR_TEST_ASSERT_INT(virDomainAgentSetResponseTimeout(conn, dom,
                                                         VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT, 0), 0);
    timedGetTime(&c);
    printf("     hung agent, default timeout: failed after %lld ms\n", (long long)c.ms);
    VIR_TEST_ASSERT(c.rc == -1 && c.code == VIR_ERR_AGENT_UNRESPONSIVE);
    VIR_TEST_ASSERT(c.ms >= 4900 && c.ms < 7000);
    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, dom), 0);
    return 0;
}


/* Garbage and oversized messages end the connection (DISCONNECTED); the
 * calls fail; nobody else notices. */
static int
testBadAgent(const void *data)
{
    const char *mode = data;
    g_autofree char *name = g_strdup_printf("vnagt%d%s", (int)getpid(), mode);
    g_autoptr(virDomainRef) dom = startContainer(name, NULL, true, mode);
    timedCall c = { name };
    g_autoptr(GArray) lat = NULL;

    VIR_TEST_ASSERT(dom);
    if (strcmp(mode, "garbage") == 0) {
        timedGetTime(&c);
        VIR_TEST_ASSERT(c.rc == -1 && c.code == VIR_ERR_AGENT_UNRESPONSIVE);
    }
    VIR_TEST_ASSERT_INT(testEventsWait(name, DISCONNECTED, R_CHANNEL, 1, 10000), 1);
    timedGetTime(&c);
    VIR_TEST_ASSERT(c.rc == -1 && c.code == VIR_ERR_AGENT_UNRESPONSIVE && c.ms < 1000);
    lat = measureOthers(300);
    VIR_TEST_ASSERT(lat->len > 0 && g_array_index(lat, gint64, lat->len - 1) < 1000 * 1000);
    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, dom), 0);
    return 0;
}


/* An agent that floods its connection with events it must not send: the
 * connection ends at the first; the other agents and calls go on. */
static int
testFloodingAgent(const void *data G_GNUC_UNUSED)
{
    g_autofree char *name = g_strdup_printf("vnagt%dflood", (int)getpid());
    g_autoptr(virDomainRef) dom = startContainer(name, NULL, true, "flood");
    timedCall c = { name };
    g_autoptr(GArray) lat = NULL;

    VIR_TEST_ASSERT(dom);
    VIR_TEST_ASSERT_INT(virDomainAgentSetResponseTimeout(conn, dom, 1, 0), 0);
    /* its first unknown event ends the connection */
    VIR_TEST_ASSERT_INT(testEventsWait(name, DISCONNECTED, R_CHANNEL, 1, 10000), 1);
    lat = measureOthers(1000);
    printLatency("flooding agent", lat);
    timedGetTime(&c);
    printf("     flooding agent's own call: rc %d after %lld ms\n", c.rc, (long long)c.ms);
    VIR_TEST_ASSERT(c.rc == -1 && c.ms < 3000);
    VIR_TEST_ASSERT(lat->len > 10 && g_array_index(lat, gint64, lat->len - 1) < 1000 * 1000);
    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, dom), 0);
    return 0;
}


/* ------------------------------------------------------------------ */
/* Power, restart                                                      */

static int
testDaemonRestart(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = NULL;
    int before = testEventsWait(good, CONNECTED, -1, 1, 0);
    long long secs;
    unsigned int ns;

    VIR_TEST_ASSERT_INT(lxcDriverReload(), 0);
    VIR_TEST_ASSERT_INT(testEventsWait(good, CONNECTED, -1, before + 1, 15000), before + 1);
    dom = lookup(good);
    VIR_TEST_ASSERT(dom);
    VIR_TEST_ASSERT_INT(virDomainGetTime(conn, dom, &secs, &ns, 0), 0);
    return 0;
}


static int
testRebootAgent(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = lookup(good);
    g_autoptr(virDomainRef) cur = NULL;
    int started = testEventsWait(good, CONNECTED, R_STARTED, 1, 0);
    g_autofree char *h = NULL;

    VIR_TEST_ASSERT(dom);
    VIR_TEST_ASSERT_INT(virDomainReboot(conn, dom, VIR_DOMAIN_REBOOT_GUEST_AGENT), 0);
    VIR_TEST_ASSERT_INT(testEventsWait(good, EV_REBOOT, -1, 1, 15000), 1);
    VIR_TEST_ASSERT_INT(testEventsWait(good, CONNECTED, R_STARTED, started + 1, 15000),
                        started + 1);
    cur = lookup(good);
    VIR_TEST_ASSERT(cur && cur->id != dom->id);
    h = virDomainGetHostname(conn, cur, 0);
    VIR_TEST_ASSERT(h);
    return 0;
}


static int
testShutdownAgent(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainRef) dom = lookup(good);
    long long secs;
    unsigned int ns;

    VIR_TEST_ASSERT(dom);
    VIR_TEST_ASSERT_INT(virDomainShutdownFlags(conn, dom, VIR_DOMAIN_SHUTDOWN_GUEST_AGENT), 0);
    VIR_TEST_ASSERT_INT(testEventsWait(good, VIR_DOMAIN_EVENT_STOPPED,
                                       VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN, 1, 15000), 1);
    VIR_TEST_ASSERT_INT(virDomainGetTime(conn, dom, &secs, &ns, 0), -1);
    VIR_TEST_ASSERT_INT(errorCode(), VIR_ERR_NO_DOMAIN);
    return 0;
}


/* ------------------------------------------------------------------ */

static char *
buildPath(const char *builddir, const char *rel)
{
    g_autofree char *p = g_build_filename(builddir, rel, NULL);
    g_autofree char *cwd = NULL;

    if (g_path_is_absolute(p))
        return g_steal_pointer(&p);
    cwd = g_get_current_dir();
    return g_build_filename(cwd, p, NULL);
}


int
main(void)
{
    const char *builddir = g_getenv("VIRTNET_TEST_BUILDDIR");
    g_autofree char *why = NULL;
    g_autofree char *ctrl = NULL;
    g_autofree char *agent = NULL;
    g_autofree char *fake = NULL;
    g_autofree char *cfgdir = NULL;
    g_autoptr(virDomainRef) dom = NULL;
    int ret;

    if (!virTestCanUnshare(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
                           CLONE_NEWNET, "PID/mount/UTS/IPC/network", &why)) {
        printf("skip: the guest agent tests need root and namespaces: %s\n", why);
        return VIR_TEST_SKIP;
    }
    if (access("/usr/share/zoneinfo/Asia/Kolkata", R_OK) < 0) {
        printf("skip: the guest agent tests need time zone data (tzdata)\n");
        return VIR_TEST_SKIP;
    }
    signal(SIGPIPE, SIG_IGN);
    if (!builddir)
        builddir = ".";
    ctrl = buildPath(builddir, "src/drivers/lxc/virtnet_lxc");
    agent = buildPath(builddir, "src/agent/virtnet-agent");
    fake = buildPath(builddir, "tests/lxc-fake-agent");
    initProg = buildPath(builddir, "tests/lxc-test-init");
    dir = g_strdup(virTestTempDir());
    stateDir = g_build_filename(dir, "state", NULL);
    cfgdir = g_build_filename(dir, "config", NULL);
    g_setenv("VIRTNET_LXC_STATE_DIR", stateDir, TRUE);
    g_setenv("VIRTNET_LXC_CONFIG_DIR", cfgdir, TRUE);
    g_setenv("VIRTNET_LXC_CONTROLLER", ctrl, TRUE);
    g_setenv("VIRTNET_LXC_AGENT", fake, TRUE);
    g_setenv("VIRTNET_TEST_REAL_AGENT", agent, TRUE);
    g_setenv("VIRTNET_TEST_AGENT_MODE", "real", TRUE);
    g_setenv("VIRTNET_LXC_EXIT_TIMEOUT", "3", TRUE);

    testEventsInit();
    if (lxcDriverRegister() < 0 || !(conn = virConnectOpen("lxc:///system", 0))) {
        fprintf(stderr, "cannot open lxc:///system: %s\n", virGetLastErrorMessage());
        return 1;
    }
    if (virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(onLifecycle), NULL, NULL) < 0 ||
        virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(onAgent), NULL, NULL) < 0 ||
        virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                         VIR_DOMAIN_EVENT_CALLBACK(onReboot), NULL, NULL) < 0) {
        fprintf(stderr, "cannot register events: %s\n", virGetLastErrorMessage());
        return 1;
    }

    /* the guest's host name is its domain name without the '_' */
    good = g_strdup_printf("vnagent-%d_g", (int)getpid());
    goodRoot = makeRoot(good);
    dom = startContainer(good, goodRoot, true, NULL);
    if (!dom) {
        fprintf(stderr, "cannot start the container with an agent\n");
        virTestFailures++;
    } else {
        virTestRun("agent connected at start, inside the container's namespaces",
                   testConnected, NULL);
        virTestRun("response timeout: values, kept in the state file", testTimeoutValues, NULL);
        virTestRun("host name from the guest; lease source: none", testHostname, NULL);
        virTestRun("addresses of the guest's network namespace", testInterfaces, NULL);
        virTestRun("file systems of the guest", testFSInfo, NULL);
        virTestRun("guest info: users, OS, time zone, host name, file systems, interfaces",
                   testGuestInfo, NULL);
        virTestRun("clock read; set refused as libvirt's LXC driver", testTime, NULL);
        virTestRun("user password: SHA-512 in the guest's shadow", testPassword, NULL);
        virTestRun("SSH keys: set, append, remove, get", testSSHKeys, NULL);
        virTestRun("guest vCPUs: none offlinable", testVcpus, NULL);
        virTestRun("agent killed: disconnected, unresponsive, restarted", testAgentKilled, NULL);
        virTestRun("no channel: agent not configured", testNoChannel, NULL);
        virTestRun("hung agent: calls time out, others go on", testHungAgent, NULL);
        virTestRun("agent answering garbage is disconnected", testBadAgent, "garbage");
        virTestRun("agent sending an oversized message is disconnected", testBadAgent, "bigmsg");
        virTestRun("flooding agent is disconnected, others go on", testFloodingAgent, NULL);
        virTestRun("daemon restart: the agent is found again", testDaemonRestart, NULL);
        virTestRun("reboot through the agent", testRebootAgent, NULL);
        virTestRun("shutdown through the agent", testShutdownAgent, NULL);
    }
    virConnectClose(conn);
    lxcDriverShutdown();
    ret = virTestResult();
    testEventsFree();
    return ret;
}
