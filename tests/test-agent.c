/*
 * test-agent.c: virtnet-agent's operations and server, without a
 * container: the guest is a directory tree made here (its /etc, /proc,
 * /sys, /run and homes), except for EXEC, which runs real commands from
 * "/". The server is driven over a socketpair with the generated client
 * stubs: greeting, calls, an unknown procedure, garbage.
 *
 * Account files are changed in the tree only, so the test runs as any
 * user; file ownership checks need root (skipped otherwise).
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <glib.h>

#include "testutils.h"
#include "agentguest.h"
#include "agentserver.h"
#include "virerror.h"
#include "virevent.h"
#include "virnetclient.h"
#include "qemu_agent_protocol.h"
#include "qemu_agent_protocol_client.h"

static char *root;          /* the guest tree */
static agentGuest *guest;
static int aliceUID, aliceGID;  /* 1000 as root, else the test's own */

#define XFREE(type, p) xdr_free((xdrproc_t)xdr_##type, (char *)(p))

static void
writeFile(const char *rel, const char *text, mode_t mode)
{
    g_autofree char *path = g_build_filename(root, rel, NULL);
    g_autofree char *dir = g_path_get_dirname(path);

    g_mkdir_with_parents(dir, 0755);
    g_file_set_contents(path, text, -1, NULL);
    chmod(path, mode);
}


static char *
readFile(const char *rel)
{
    g_autofree char *path = g_build_filename(root, rel, NULL);
    char *text = NULL;

    g_file_get_contents(path, &text, NULL, NULL);
    return text;
}


static void
addUtmp(int fd, short type, const char *user, long sec)
{
    struct utmp ut;

    memset(&ut, 0, sizeof(ut));
    ut.ut_type = type;
    ut.ut_pid = 42;
    g_strlcpy(ut.ut_user, user, sizeof(ut.ut_user));
    g_strlcpy(ut.ut_line, "pts/0", sizeof(ut.ut_line));
    ut.ut_tv.tv_sec = (int32_t)sec;
    ut.ut_tv.tv_usec = 250000;
    if (write(fd, &ut, sizeof(ut)) != sizeof(ut))
        abort();
}


static void
makeTree(void)
{
    g_autofree char *utmp = g_build_filename(root, "run", "utmp", NULL);
    g_autofree char *etc = g_build_filename(root, "etc", NULL);
    g_autofree char *loc = g_build_filename(etc, "localtime", NULL);
    g_autofree char *bobssh = g_build_filename(root, "home", "bob", ".ssh", NULL);
    g_autofree char *data = g_build_filename(root, "data dir", NULL);
    g_autofree char *alice = g_build_filename(root, "home", "alice", NULL);
    g_autofree char *run = g_build_filename(root, "run", NULL);

    g_autofree char *passwd = NULL;
    int fd;

    /* alice is 1000 when the test may give her files; otherwise she is
     * the test's own user, so the agent's chown to her succeeds */
    aliceUID = geteuid() == 0 ? 1000 : (int)geteuid();
    aliceGID = geteuid() == 0 ? 1000 : (int)getegid();
    passwd = g_strdup_printf("root:x:0:0:root:/root:/bin/sh\n"
                             "alice:x:%d:%d:Alice:/home/alice:/bin/sh\n"
                             "bob:x:1001:1001:Bob:/home/bob:/bin/sh\n", aliceUID, aliceGID);
    writeFile("etc/passwd", passwd, 0644);
    writeFile("etc/shadow",
              "root:*:19000:0:99999:7:::\n"
              "alice:!:19000:0:99999:7:::\n", 0640);
    writeFile("etc/os-release",
              "# a comment\nPRETTY_NAME=\"Test Linux 7 (\\\"quoted\\\")\"\nNAME='Test Linux'\n"
              "ID=testlinux\nVERSION_ID=\"7\"\nVERSION=\"7 (blue)\"\nVARIANT_ID=server\n", 0644);
    if (symlink("/usr/share/zoneinfo/Asia/Kolkata", loc) < 0)
        abort();
    writeFile("sys/devices/system/cpu/present", "0-3\n", 0444);
    writeFile("sys/devices/system/cpu/online", "0-1\n", 0444);
    writeFile("proc/self/mountinfo",
              "20 1 0:20 / / rw - ext4 /dev/vda1 rw\n"
              "21 20 0:21 / /proc rw,nosuid - proc proc rw\n"
              "22 20 0:22 / /data\\040dir rw shared:1 - tmpfs my\\040ram rw,size=1024k\n"
              "23 20 0:23 / /sys ro - sysfs sysfs ro\n"
              "24 20 0:24 / /gone rw - ext4 /dev/vdb rw\n", 0444);
    g_mkdir_with_parents(data, 0755);
    g_mkdir_with_parents(bobssh, 0755);
    rmdir(bobssh);
    if (symlink("/etc", bobssh) < 0)
        abort();
    g_mkdir_with_parents(alice, 0755);
    if (chown(alice, aliceUID, aliceGID) < 0)
        abort();
    g_mkdir_with_parents(run, 0755);
    if ((fd = open(utmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
        abort();
    addUtmp(fd, LOGIN_PROCESS, "LOGIN", 1000);
    addUtmp(fd, USER_PROCESS, "alice", 1700000100);
    addUtmp(fd, USER_PROCESS, "bob", 1700000200);
    addUtmp(fd, USER_PROCESS, "alice", 1700000050);
    addUtmp(fd, DEAD_PROCESS, "carol", 1700000300);
    close(fd);
}


/* ------------------------------------------------------------------ */
/* Facts                                                               */

static int
testFacts(const void *data G_GNUC_UNUSED)
{
    qemu_agent_get_hostname_ret host = { 0 };
    qemu_agent_get_os_info_ret os = { 0 };
    qemu_agent_get_timezone_ret tz = { 0 };
    qemu_agent_get_time_ret tm = { 0 };
    qemu_agent_get_users_ret users = { 0 };
    struct utsname ut;
    int rc;

    uname(&ut);
    VIR_TEST_ASSERT_INT(agentGuestGetHostname(guest, &host), 0);
    VIR_TEST_ASSERT_STR(host.hostname, ut.nodename);
    XFREE(qemu_agent_get_hostname_ret, &host);

    VIR_TEST_ASSERT_INT(agentGuestGetOSInfo(guest, &os), 0);
    rc = os.id && os.name && os.pretty_name && os.os_version && os.version_id &&
         os.variant_id && !os.variant && os.machine && os.kernel_release;
    if (rc) {
        VIR_TEST_ASSERT_STR(*os.id, "testlinux");
        VIR_TEST_ASSERT_STR(*os.name, "Test Linux");
        VIR_TEST_ASSERT_STR(*os.pretty_name, "Test Linux 7 (\"quoted\")");
        VIR_TEST_ASSERT_STR(*os.os_version, "7 (blue)");
        VIR_TEST_ASSERT_STR(*os.version_id, "7");
        VIR_TEST_ASSERT_STR(*os.variant_id, "server");
        VIR_TEST_ASSERT_STR(*os.machine, ut.machine);
        VIR_TEST_ASSERT_STR(*os.kernel_release, ut.release);
    }
    XFREE(qemu_agent_get_os_info_ret, &os);
    VIR_TEST_ASSERT(rc);

    VIR_TEST_ASSERT_INT(agentGuestGetTimezone(guest, &tz), 0);
    VIR_TEST_ASSERT(tz.zone);
    VIR_TEST_ASSERT_STR(*tz.zone, "Asia/Kolkata");
    VIR_TEST_ASSERT_INT(tz.offset, 5 * 3600 + 1800);
    XFREE(qemu_agent_get_timezone_ret, &tz);
    /* the process's own zone is left as it was */
    VIR_TEST_ASSERT(g_getenv("TZ") == NULL);

    VIR_TEST_ASSERT_INT(agentGuestGetTime(guest, &tm), 0);
    VIR_TEST_ASSERT(llabs((long long)tm.seconds - (long long)time(NULL)) <= 5);
    VIR_TEST_ASSERT(tm.nseconds < 1000000000);

    VIR_TEST_ASSERT_INT(agentGuestGetUsers(guest, &users), 0);
    rc = users.users.users_len == 2 &&
         strcmp(users.users.users_val[0].name, "alice") == 0 &&
         users.users.users_val[0].login_time_us == 1700000050250000ULL &&
         strcmp(users.users.users_val[1].name, "bob") == 0 &&
         users.users.users_val[1].login_time_us == 1700000200250000ULL;
    XFREE(qemu_agent_get_users_ret, &users);
    VIR_TEST_ASSERT(rc);
    return 0;
}


static int
testFilesystems(const void *data G_GNUC_UNUSED)
{
    qemu_agent_get_fsinfo_ret fs = { 0 };
    int ok;

    VIR_TEST_ASSERT_INT(agentGuestGetFSInfo(guest, &fs), 0);
    /* proc and sysfs are not storage; the rest in mount order */
    ok = fs.fs.fs_len == 3 &&
         strcmp(fs.fs.fs_val[0].mountpoint, "/") == 0 &&
         strcmp(fs.fs.fs_val[0].name, "/dev/vda1") == 0 &&
         strcmp(fs.fs.fs_val[0].fstype, "ext4") == 0 &&
         fs.fs.fs_val[0].has_usage && fs.fs.fs_val[0].total_bytes > 0 &&
         strcmp(fs.fs.fs_val[1].mountpoint, "/data dir") == 0 &&
         strcmp(fs.fs.fs_val[1].name, "my ram") == 0 &&
         strcmp(fs.fs.fs_val[1].fstype, "tmpfs") == 0 && fs.fs.fs_val[1].has_usage &&
         strcmp(fs.fs.fs_val[2].mountpoint, "/gone") == 0 && !fs.fs.fs_val[2].has_usage;
    if (!ok) {
        for (u_int i = 0; i < fs.fs.fs_len; i++)
            fprintf(stderr, "  fs %s %s %s usage %d\n", fs.fs.fs_val[i].mountpoint,
                    fs.fs.fs_val[i].name, fs.fs.fs_val[i].fstype, fs.fs.fs_val[i].has_usage);
    }
    XFREE(qemu_agent_get_fsinfo_ret, &fs);
    VIR_TEST_ASSERT(ok);
    return 0;
}


static int
testInterfaces(const void *data G_GNUC_UNUSED)
{
    qemu_agent_get_interfaces_ret ifs = { 0 };
    bool lo = false;

    VIR_TEST_ASSERT_INT(agentGuestGetInterfaces(guest, &ifs), 0);
    for (u_int i = 0; i < ifs.ifaces.ifaces_len; i++) {
        qemu_agent_interface *it = &ifs.ifaces.ifaces_val[i];

        if (strcmp(it->name, "lo") != 0)
            continue;
        for (u_int j = 0; j < it->addrs.addrs_len; j++) {
            if (it->addrs.addrs_val[j].type == 0 &&
                strcmp(it->addrs.addrs_val[j].addr, "127.0.0.1") == 0 &&
                it->addrs.addrs_val[j].prefix == 8)
                lo = it->hwaddr && strcmp(*it->hwaddr, "00:00:00:00:00:00") == 0;
        }
    }
    XFREE(qemu_agent_get_interfaces_ret, &ifs);
    VIR_TEST_ASSERT(lo);
    return 0;
}


static int
testVcpus(const void *data G_GNUC_UNUSED)
{
    qemu_agent_get_vcpus_ret v = { 0 };
    qemu_agent_vcpu_state on = { 0, 1 }, off = { 0, 0 }, none = { 9, 1 };
    qemu_agent_set_vcpus_args args = { { 1, &on } };
    qemu_agent_set_vcpus_ret sret = { 0 };
    cpu_set_t mask;
    bool ok = true;

    sched_getaffinity(0, sizeof(mask), &mask);
    VIR_TEST_ASSERT_INT(agentGuestGetVcpus(guest, &v), 0);
    ok = v.vcpus.vcpus_len == 4;
    for (u_int i = 0; ok && i < 4; i++) {
        int online = i < 2 && CPU_ISSET(i, &mask);
        ok = v.vcpus.vcpus_val[i].id == i && v.vcpus.vcpus_val[i].online == online &&
             v.vcpus.vcpus_val[i].offlinable == 0;
    }
    XFREE(qemu_agent_get_vcpus_ret, &v);
    VIR_TEST_ASSERT(ok);

    if (CPU_ISSET(0, &mask)) {
        VIR_TEST_ASSERT_INT(agentGuestSetVcpus(guest, &args, &sret), 0);
        VIR_TEST_ASSERT_INT(sret.count, 1);
    }
    args.vcpus.vcpus_val = &off;
    VIR_TEST_ASSERT_INT(agentGuestSetVcpus(guest, &args, &sret), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_UNSUPPORTED);
    args.vcpus.vcpus_val = &none;
    VIR_TEST_ASSERT_INT(agentGuestSetVcpus(guest, &args, &sret), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
    virResetLastError();
    return 0;
}


/* ------------------------------------------------------------------ */
/* Accounts                                                            */

static char *
shadowField(const char *user, int field)
{
    g_autofree char *text = readFile("etc/shadow");
    g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);

    for (size_t i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], ":", -1);
        if (g_strv_length(f) > (guint)field && strcmp(f[0], user) == 0)
            return g_strdup(f[field]);
    }
    return NULL;
}


static int
testPasswords(const void *data G_GNUC_UNUSED)
{
    g_autofree char *shadow = g_build_filename(root, "etc", "shadow", NULL);
    g_autofree char *before = NULL;
    g_autofree char *hash = NULL;
    g_autofree char *rootHash = NULL;
    g_autofree char *after = NULL;
    g_autofree char *bobHash = NULL;
    struct crypt_data cd;
    struct stat st;

    VIR_TEST_ASSERT_INT(agentGuestSetUserPassword(guest, "alice", "s3cret pass", false), 0);
    hash = shadowField("alice", 1);
    VIR_TEST_ASSERT(hash && g_str_has_prefix(hash, "$6$"));
    memset(&cd, 0, sizeof(cd));
    VIR_TEST_ASSERT_STR(crypt_r("s3cret pass", hash, &cd), hash);
    rootHash = shadowField("root", 1);
    VIR_TEST_ASSERT_STR(rootHash, "*");
    VIR_TEST_ASSERT(stat(shadow, &st) == 0);
    VIR_TEST_ASSERT_INT(st.st_mode & 07777, 0640);

    /* a user with no shadow line gets one; a given hash is kept as is */
    VIR_TEST_ASSERT_INT(agentGuestSetUserPassword(guest, "bob", "$6$abc$xyz", true), 0);
    bobHash = shadowField("bob", 1);
    VIR_TEST_ASSERT_STR(bobHash, "$6$abc$xyz");

    /* bad input changes nothing */
    before = readFile("etc/shadow");
    VIR_TEST_ASSERT_INT(agentGuestSetUserPassword(guest, "nobody", "x", false), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
    VIR_TEST_ASSERT_INT(agentGuestSetUserPassword(guest, "alice", "two\nlines", false), -1);
    VIR_TEST_ASSERT_INT(agentGuestSetUserPassword(guest, "alice", "a:b", true), -1);
    VIR_TEST_ASSERT_INT(agentGuestSetUserPassword(guest, "al:ice", "x", false), -1);
    after = readFile("etc/shadow");
    VIR_TEST_ASSERT_STR(after, before);
    virResetLastError();
    return 0;
}


static char *
sshKeys(const char *user, int *rc)
{
    qemu_agent_ssh_get_authorized_keys_ret ret = { 0 };
    GString *s = g_string_new(NULL);

    *rc = agentGuestSSHGetKeys(guest, user, &ret);
    for (u_int i = 0; i < ret.keys.keys_len; i++)
        g_string_append_printf(s, "%s|", ret.keys.keys_val[i]);
    XFREE(qemu_agent_ssh_get_authorized_keys_ret, &ret);
    return g_string_free(s, FALSE);
}


static int
testSSHKeys(const void *data G_GNUC_UNUSED)
{
    char *k1[] = { (char *)"ssh-ed25519 AAAAkey1 alice@a", (char *)"ssh-rsa AAAAkey2 alice@b" };
    char *k3[] = { (char *)"ssh-ed25519 AAAAkey3 alice@c", (char *)"ssh-rsa AAAAkey2 alice@b",
                   (char *)"" };
    char *bad[] = { (char *)"ssh-rsa AAA\nssh-rsa BBB" };
    char *comment[] = { (char *)"# not a key" };
    g_autofree char *keysPath = g_build_filename(root, "home", "alice", ".ssh",
                                                 "authorized_keys", NULL);
    g_autofree char *sshDir = g_build_filename(root, "home", "alice", ".ssh", NULL);
    g_autofree char *etcKeys = g_build_filename(root, "etc", "authorized_keys", NULL);
    g_autofree char *passwd = NULL;
    g_autofree char *passwd2 = NULL;
    g_autofree char *got = NULL;
    g_autofree char *file = NULL;
    struct stat st;
    int rc;

    /* nothing yet */
    got = sshKeys("alice", &rc);
    VIR_TEST_ASSERT_INT(rc, 0);
    VIR_TEST_ASSERT_STR(got, "");
    g_clear_pointer(&got, g_free);

    VIR_TEST_ASSERT_INT(agentGuestSSHAddKeys(guest, "alice", k1, 2, false), 0);
    VIR_TEST_ASSERT(stat(sshDir, &st) == 0 && (st.st_mode & 07777) == 0700);
    VIR_TEST_ASSERT(stat(keysPath, &st) == 0 && (st.st_mode & 07777) == 0600);
    VIR_TEST_ASSERT(st.st_uid == (uid_t)aliceUID && st.st_gid == (gid_t)aliceGID);
    /* append: key2 is there already; a comment line of the user stays */
    g_file_get_contents(keysPath, &file, NULL, NULL);
    g_autofree char *withComment = g_strdup_printf("# mine\n%s", file);
    g_file_set_contents(keysPath, withComment, -1, NULL);
    VIR_TEST_ASSERT_INT(agentGuestSSHAddKeys(guest, "alice", k3, 3, false), 0);
    got = sshKeys("alice", &rc);
    VIR_TEST_ASSERT_STR(got, "ssh-ed25519 AAAAkey1 alice@a|ssh-rsa AAAAkey2 alice@b|"
                             "ssh-ed25519 AAAAkey3 alice@c|");
    g_clear_pointer(&got, g_free);
    g_clear_pointer(&file, g_free);
    g_file_get_contents(keysPath, &file, NULL, NULL);
    VIR_TEST_ASSERT(g_str_has_prefix(file, "# mine\n"));

    VIR_TEST_ASSERT_INT(agentGuestSSHRemoveKeys(guest, "alice", k1, 2), 0);
    got = sshKeys("alice", &rc);
    VIR_TEST_ASSERT_STR(got, "ssh-ed25519 AAAAkey3 alice@c|");
    g_clear_pointer(&got, g_free);

    VIR_TEST_ASSERT_INT(agentGuestSSHAddKeys(guest, "alice", k1, 1, true), 0);
    got = sshKeys("alice", &rc);
    VIR_TEST_ASSERT_STR(got, "ssh-ed25519 AAAAkey1 alice@a|");
    g_clear_pointer(&got, g_free);
    got = NULL;

    /* bad keys, unknown users and a .ssh that is a symlink change nothing */
    VIR_TEST_ASSERT_INT(agentGuestSSHAddKeys(guest, "alice", bad, 1, false), -1);
    VIR_TEST_ASSERT_INT(agentGuestSSHAddKeys(guest, "alice", comment, 1, false), -1);
    VIR_TEST_ASSERT_INT(agentGuestSSHAddKeys(guest, "mallory", k1, 1, false), -1);
    passwd = readFile("etc/passwd");
    VIR_TEST_ASSERT_INT(agentGuestSSHAddKeys(guest, "bob", k1, 1, true), -1);
    if (!strstr(virGetLastErrorMessage(), "symbolic link"))
        VIR_TEST_FAIL("bob's .ssh symlink: %s", virGetLastErrorMessage());
    g_free(sshKeys("bob", &rc));
    VIR_TEST_ASSERT_INT(rc, -1);
    passwd2 = readFile("etc/passwd");
    VIR_TEST_ASSERT_STR(passwd2, passwd);
    VIR_TEST_ASSERT(!g_file_test(etcKeys, G_FILE_TEST_EXISTS));
    got = sshKeys("alice", &rc);
    VIR_TEST_ASSERT_STR(got, "ssh-ed25519 AAAAkey1 alice@a|");
    virResetLastError();
    return 0;
}


/* ------------------------------------------------------------------ */
/* Exec and power                                                      */

static int
testExec(const void *data G_GNUC_UNUSED)
{
    agentGuest *host = agentGuestNew("/", AGENT_GUEST_ALLOW_EXEC);
    char *argv[] = { (char *)"sh", (char *)"-c",
                     (char *)"read x; echo \"out:$x:$GREETING\"; echo err >&2; exit 3" };
    char *env[] = { (char *)"GREETING=hi" };
    char *big[] = { (char *)"head", (char *)"-c", (char *)"100000", (char *)"/dev/zero" };
    char *slow[] = { (char *)"sleep", (char *)"10" };
    qemu_agent_exec_args args = { .path = (char *)"/bin/sh", .argv = { 3, argv },
                                  .env = { 1, env }, .input = { 6, (char *)"input\n" } };
    qemu_agent_exec_ret ret = { 0 };
    gint64 t0;
    int rc;

    VIR_TEST_ASSERT(host);
    rc = agentGuestExec(host, &args, &ret);
    if (rc == 0) {
        VIR_TEST_ASSERT_INT(ret.exited, 1);
        VIR_TEST_ASSERT_INT(ret.exit_code, 3);
        VIR_TEST_ASSERT_INT(ret.out.out_len, strlen("out:input:hi\n"));
        VIR_TEST_ASSERT(memcmp(ret.out.out_val, "out:input:hi\n", ret.out.out_len) == 0);
        VIR_TEST_ASSERT(ret.err.err_len == 4 && memcmp(ret.err.err_val, "err\n", 4) == 0);
    }
    XFREE(qemu_agent_exec_ret, &ret);
    VIR_TEST_ASSERT_INT(rc, 0);

    memset(&args, 0, sizeof(args));
    args.path = (char *)"/usr/bin/head";
    args.argv.argv_len = 4;
    args.argv.argv_val = big;
    memset(&ret, 0, sizeof(ret));
    VIR_TEST_ASSERT_INT(agentGuestExec(host, &args, &ret), 0);
    rc = ret.out.out_len == QEMU_AGENT_EXEC_OUTPUT_MAX && ret.out_truncated && ret.exit_code == 0;
    XFREE(qemu_agent_exec_ret, &ret);
    VIR_TEST_ASSERT(rc);

    args.path = (char *)"/bin/sleep";
    args.argv.argv_len = 2;
    args.argv.argv_val = slow;
    args.timeout_ms = 200;
    t0 = g_get_monotonic_time();
    memset(&ret, 0, sizeof(ret));
    rc = agentGuestExec(host, &args, &ret);
    XFREE(qemu_agent_exec_ret, &ret);
    VIR_TEST_ASSERT_INT(rc, -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_TIMEOUT);
    VIR_TEST_ASSERT(g_get_monotonic_time() - t0 < 2 * G_USEC_PER_SEC);

    args.path = (char *)"sleep";
    VIR_TEST_ASSERT_INT(agentGuestExec(host, &args, &ret), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
    agentGuestFree(host);

    /* the tree's guest does not run commands */
    args.path = (char *)"/bin/sleep";
    VIR_TEST_ASSERT_INT(agentGuestExec(guest, &args, &ret), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_UNSUPPORTED);
    virResetLastError();
    return 0;
}


/* Never carried out here: the check must refuse in the host's PID
 * namespace (reboot(2) there would end the machine). */
static int
testPowerRefused(const void *data G_GNUC_UNUSED)
{
    agentGuest *g = agentGuestNew(root, AGENT_GUEST_ALLOW_POWER);
    g_autofree char *ns = g_file_read_link("/proc/self/ns/pid", NULL);
    int rc;

    VIR_TEST_ASSERT(g);
    VIR_TEST_ASSERT_INT(agentGuestShutdownCheck(guest, QEMU_AGENT_SHUTDOWN_POWERDOWN), -1);
    VIR_TEST_ASSERT_INT(agentGuestShutdownCheck(g, 7), -1);
    rc = agentGuestShutdownCheck(g, QEMU_AGENT_SHUTDOWN_REBOOT);
    agentGuestFree(g);
    if (ns && strcmp(ns, "pid:[4026531836]") == 0) {
        VIR_TEST_ASSERT_INT(rc, -1);
        if (!strstr(virGetLastErrorMessage(), "not inside a container"))
            VIR_TEST_FAIL("unexpected: %s", virGetLastErrorMessage());
    }
    virResetLastError();
    return 0;
}


/* ------------------------------------------------------------------ */
/* The server over a socket                                            */

static struct {
    GMutex lock;
    GCond cond;
    int ready;
    char *version;
} greeting;

static void
onReady(virNetClientProgram *prog G_GNUC_UNUSED, virNetClient *client G_GNUC_UNUSED,
        qemu_agent_ready_msg *msg, void *opaque G_GNUC_UNUSED)
{
    g_mutex_lock(&greeting.lock);
    greeting.ready++;
    g_free(greeting.version);
    greeting.version = g_strdup(msg->agent_version);
    g_cond_broadcast(&greeting.cond);
    g_mutex_unlock(&greeting.lock);
}

static const qemuAgentClientEventHandlers handlers = { .ready = onReady };

static int
waitReady(int n)
{
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    int got;

    g_mutex_lock(&greeting.lock);
    while (greeting.ready < n && g_cond_wait_until(&greeting.cond, &greeting.lock, deadline))
        ;
    got = greeting.ready;
    g_mutex_unlock(&greeting.lock);
    return got;
}


static int
testServer(const void *data G_GNUC_UNUSED)
{
    virEventThread *srvThread = virEventThreadNew("agent-server");
    virEventThread *cliThread = virEventThreadNew("agent-client");
    agentServer *srv = agentServerNew(guest, virEventThreadGetLoop(srvThread));
    virNetSocket *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    virNetClient *client = NULL, *client2 = NULL;
    virNetClientProgram *prog = qemuAgentClientProgramNew(&handlers, NULL);
    qemu_agent_get_hostname_ret host = { 0 };
    qemu_agent_info_ret info = { 0 };
    qemu_agent_sync_args sargs = { 0x1234567890ULL };
    qemu_agent_sync_ret sret = { 0 };
    struct utsname ut;
    bool execDisabled = false, hasHostname = false;
    int rc, code;

    uname(&ut);
    VIR_TEST_ASSERT(srv && srvThread && cliThread);
    VIR_TEST_ASSERT_INT(virNetSocketNewPair(&a, &b), 0);
    VIR_TEST_ASSERT_INT(agentServerAddSocket(srv, a), 0);
    VIR_TEST_ASSERT_INT(agentServerStart(srv), 0);
    client = virNetClientNewSocket(b);
    virNetClientAddProgram(client, prog);
    virNetClientSetMessageMax(client, QEMU_AGENT_MESSAGE_MAX);
    VIR_TEST_ASSERT_INT(virNetClientAttachLoop(client, virEventThreadGetLoop(cliThread)), 0);

    VIR_TEST_ASSERT_INT(waitReady(1), 1);
    VIR_TEST_ASSERT_STR(greeting.version, agentGuestVersion());

    VIR_TEST_ASSERT_INT(qemuAgentCallSync(prog, client, &sargs, &sret), 0);
    VIR_TEST_ASSERT(sret.id == sargs.id);
    VIR_TEST_ASSERT_INT(qemuAgentCallGetHostname(prog, client, &host), 0);
    VIR_TEST_ASSERT_STR(host.hostname, ut.nodename);
    XFREE(qemu_agent_get_hostname_ret, &host);
    VIR_TEST_ASSERT_INT(qemuAgentCallInfo(prog, client, &info), 0);
    for (u_int i = 0; i < info.commands.commands_len; i++) {
        if (strcmp(info.commands.commands_val[i].name, "exec") == 0)
            execDisabled = !info.commands.commands_val[i].enabled;
        if (strcmp(info.commands.commands_val[i].name, "get-hostname") == 0)
            hasHostname = info.commands.commands_val[i].enabled;
    }
    XFREE(qemu_agent_info_ret, &info);
    VIR_TEST_ASSERT(execDisabled && hasHostname);

    /* an unknown procedure: an error reply, the connection goes on */
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client), 999, 0, NULL,
                                 NULL, NULL, (xdrproc_t)(void (*)(void))xdr_void, NULL,
                                 (xdrproc_t)(void (*)(void))xdr_void, NULL);
    code = virGetLastErrorCode();
    VIR_TEST_ASSERT_INT(rc, -1);
    VIR_TEST_ASSERT_INT(code, VIR_ERR_NO_SUPPORT);
    VIR_TEST_ASSERT_INT(qemuAgentCallPing(prog, client), 0);

    /* garbage: that connection is closed, the agent serves the next one */
    VIR_TEST_ASSERT_INT(virNetSocketNewPair(&c, &d), 0);
    VIR_TEST_ASSERT_INT(agentServerAddSocket(srv, c), 0);
    {
        static const char junk[] = "\xff\xff\xff\xff garbage that is no message";
        char buf[4096];
        ssize_t n;
        int fd = virNetSocketGetFD(d);
        struct timeval tv = { .tv_sec = 5 };

        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        VIR_TEST_ASSERT(write(fd, junk, sizeof(junk)) == sizeof(junk));
        while ((n = read(fd, buf, sizeof(buf))) > 0)
            ;
        /* closed by the agent: EOF, or a reset for the bytes it left unread */
        VIR_TEST_ASSERT(n == 0 || (n < 0 && errno == ECONNRESET));
    }
    virNetSocketFree(d);
    VIR_TEST_ASSERT_INT(qemuAgentCallPing(prog, client), 0);

    virNetClientClose(client);
    virNetClientUnref(client);
    (void)client2;
    agentServerFree(srv);
    virEventThreadFree(srvThread);
    virEventThreadFree(cliThread);
    virNetClientProgramUnref(prog);
    virResetLastError();
    return 0;
}


int
main(void)
{
    int ret;

    signal(SIGPIPE, SIG_IGN);
    g_unsetenv("TZ");
    root = g_build_filename(virTestTempDir(), "guest", NULL);
    g_mkdir_with_parents(root, 0755);
    makeTree();
    if (!(guest = agentGuestNew(root, 0))) {
        fprintf(stderr, "%s\n", virGetLastErrorMessage());
        return 1;
    }
    virTestRun("facts: host name, OS, time zone, clock, users", testFacts, NULL);
    virTestRun("file systems from the guest's mount table", testFilesystems, NULL);
    virTestRun("interfaces of the agent's network namespace", testInterfaces, NULL);
    virTestRun("vCPUs: none offlinable, nothing changes", testVcpus, NULL);
    virTestRun("passwords: SHA-512 in shadow, atomically; bad input changes nothing",
               testPasswords, NULL);
    virTestRun("SSH keys: add, append, remove, reset; symlinks refused", testSSHKeys, NULL);
    virTestRun("exec: argv, env, stdin, output, exit code, truncation, timeout", testExec, NULL);
    virTestRun("power requests refused outside a container", testPowerRefused, NULL);
    virTestRun("server: READY, calls, unknown procedure, garbage", testServer, NULL);
    agentGuestFree(guest);
    ret = virTestResult();
    g_free(root);
    return ret;
}
