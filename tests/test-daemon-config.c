/*
 * test-daemon-config.c: virtnetd's configuration loader (daemon/virtnetdconfig.c)
 * through virtnetdConfigLoadString / virtnetdConfigLoadFile: defaults, every
 * libvirtd.conf key and its type, error messages (FILE:LINE and key), value
 * checks, and "a failed load changes nothing".
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "testutils.h"
#include "virtnetdconfig.h"
#include "virconf.h"
#include "virerror.h"
#include "virnetserverclient.h"

/* Every key libvirtd.conf documents, with a valid value and a value of the
 * wrong type. The loader must accept the first and reject the second with
 * an error naming FILE:LINE and the key. */
typedef struct {
    const char *key;
    virConfType type;
    const char *good;
    const char *bad;
} testKey;

static const testKey keys[] = {
    { "listen_tls", VIR_CONF_INT, "1", "\"1\"" },
    { "listen_tcp", VIR_CONF_INT, "1", "\"yes\"" },
    { "tls_port", VIR_CONF_STRING, "\"16514\"", "16514" },
    { "tcp_port", VIR_CONF_STRING, "\"16509\"", "16509" },
    { "listen_addr", VIR_CONF_STRING, "\"192.168.0.1\"", "[\"192.168.0.1\"]" },
    { "mdns_adv", VIR_CONF_INT, "0", "\"0\"" },
    { "mdns_name", VIR_CONF_STRING, "\"Virtualization Host\"", "1" },
    { "unix_sock_group", VIR_CONF_STRING, "\"libvirt\"", "0" },
    { "unix_sock_ro_perms", VIR_CONF_STRING, "\"0777\"", "777" },
    { "unix_sock_rw_perms", VIR_CONF_STRING, "\"0770\"", "770" },
    { "unix_sock_admin_perms", VIR_CONF_STRING, "\"0700\"", "700" },
    { "unix_sock_dir", VIR_CONF_STRING, "\"/run/libvirt\"", "1" },
    { "auth_unix_ro", VIR_CONF_STRING, "\"polkit\"", "0" },
    { "auth_unix_rw", VIR_CONF_STRING, "\"polkit\"", "0" },
    { "auth_tcp", VIR_CONF_STRING, "\"sasl\"", "[\"sasl\"]" },
    { "auth_tls", VIR_CONF_STRING, "\"none\"", "0" },
    { "tcp_min_ssf", VIR_CONF_INT, "112", "\"112\"" },
    { "access_drivers", VIR_CONF_LIST, "[ \"polkit\" ]", "\"polkit\"" },
    { "key_file", VIR_CONF_STRING, "\"/etc/pki/libvirt/private/serverkey.pem\"", "1" },
    { "cert_file", VIR_CONF_STRING, "\"/etc/pki/libvirt/servercert.pem\"", "1" },
    { "ca_file", VIR_CONF_STRING, "\"/etc/pki/CA/cacert.pem\"", "1" },
    { "crl_file", VIR_CONF_STRING, "\"/etc/pki/CA/crl.pem\"", "1" },
    { "tls_no_sanity_certificate", VIR_CONF_INT, "1", "\"1\"" },
    { "tls_no_verify_certificate", VIR_CONF_INT, "1", "\"1\"" },
    { "tls_allowed_dn_list", VIR_CONF_LIST, "[\"DN1\", \"DN2\"]", "\"DN1\"" },
    { "tls_priority", VIR_CONF_STRING, "\"NORMAL\"", "1" },
    { "sasl_allowed_username_list", VIR_CONF_LIST,
      "[\"joe@EXAMPLE.COM\", \"fred@EXAMPLE.COM\" ]", "\"joe@EXAMPLE.COM\"" },
    { "max_clients", VIR_CONF_INT, "5000", "\"5000\"" },
    { "max_queued_clients", VIR_CONF_INT, "1000", "\"1000\"" },
    { "max_anonymous_clients", VIR_CONF_INT, "20", "\"20\"" },
    { "min_workers", VIR_CONF_INT, "5", "\"5\"" },
    { "max_workers", VIR_CONF_INT, "20", "\"20\"" },
    { "prio_workers", VIR_CONF_INT, "5", "\"5\"" },
    { "max_requests", VIR_CONF_INT, "20", "\"20\"" },
    { "max_client_requests", VIR_CONF_INT, "5", "\"5\"" },
    { "admin_min_workers", VIR_CONF_INT, "1", "\"1\"" },
    { "admin_max_workers", VIR_CONF_INT, "5", "\"5\"" },
    { "admin_max_clients", VIR_CONF_INT, "5", "\"5\"" },
    { "admin_max_queued_clients", VIR_CONF_INT, "5", "\"5\"" },
    { "admin_max_client_requests", VIR_CONF_INT, "5", "\"5\"" },
    { "log_level", VIR_CONF_INT, "3", "\"3\"" },
    { "log_filters", VIR_CONF_STRING, "\"1:qemu 1:libvirt 4:object 4:json 4:event 1:util\"", "1" },
    { "log_outputs", VIR_CONF_STRING, "\"3:syslog:libvirtd\"", "3" },
    { "audit_level", VIR_CONF_INT, "2", "\"2\"" },
    { "audit_logging", VIR_CONF_INT, "1", "\"1\"" },
    { "host_uuid", VIR_CONF_STRING, "\"00000000-0000-0000-0000-000000000000\"", "0" },
    { "host_uuid_source", VIR_CONF_STRING, "\"smbios\"", "0" },
    { "keepalive_interval", VIR_CONF_INT, "5", "\"5\"" },
    { "keepalive_count", VIR_CONF_INT, "5", "\"5\"" },
    { "keepalive_required", VIR_CONF_INT, "1", "\"1\"" },
    { "admin_keepalive_required", VIR_CONF_INT, "1", "\"1\"" },
    { "admin_keepalive_interval", VIR_CONF_INT, "5", "\"5\"" },
    { "admin_keepalive_count", VIR_CONF_INT, "5", "\"5\"" },
    { "ovs_timeout", VIR_CONF_INT, "5", "\"5\"" },
};


static bool
strvEqual(char **a, char **b)
{
    if (!a || !b)
        return a == b;
    return g_strv_equal((const char * const *)a, (const char * const *)b);
}


/* Field by field; NULL when equal, else the first differing field. */
static const char *
configDiff(const virtnetdConfig *a, const virtnetdConfig *b)
{
#define B(f) if (a->f != b->f) return #f
#define S(f) if (g_strcmp0(a->f, b->f) != 0) return #f
#define L(f) if (!strvEqual(a->f, b->f)) return #f
    B(listen_tcp); B(listen_tls);
    S(tcp_port); S(tls_port); S(listen_addr); S(unix_sock_group);
    S(unix_sock_ro_perms); S(unix_sock_rw_perms); S(unix_sock_admin_perms); S(unix_sock_dir);
    B(auth_unix_rw); B(auth_unix_ro); B(auth_tcp); B(auth_tls);
    L(sasl_allowed_username_list); L(tls_allowed_dn_list);
    S(key_file); S(cert_file); S(ca_file); S(crl_file);
    B(tls_no_verify_certificate); B(tls_no_sanity_certificate); S(tls_priority);
    B(tls_handshake_timeout);
    B(max_clients); B(max_queued_clients); B(max_anonymous_clients);
    B(min_workers); B(max_workers); B(prio_workers); B(max_client_requests);
    B(keepalive_interval); B(keepalive_count);
    B(log_level); S(log_filters); S(log_outputs);
    S(pid_file); B(privileged);
#undef B
#undef S
#undef L
    return NULL;
}


/* Load content and expect failure with an error containing every one of
 * the NULL-terminated substrings. */
static int
expectLoadError(virtnetdConfig *cfg, const char *content, const char *name, ...)
{
    va_list ap;
    const char *want;
    const char *msg;

    virResetLastError();
    if (virtnetdConfigLoadString(cfg, content, name) == 0) {
        fprintf(stderr, "  loading succeeded, expected an error:\n%s", content);
        return -1;
    }
    msg = virGetLastErrorMessage();
    va_start(ap, name);
    while ((want = va_arg(ap, const char *))) {
        if (!strstr(msg, want)) {
            va_end(ap);
            fprintf(stderr, "  error '%s' does not contain '%s'\n", msg, want);
            return -1;
        }
    }
    va_end(ap);
    if (virTestVerbose())
        fprintf(stderr, "  (error: %s)\n", msg);
    virResetLastError();
    return 0;
}


static int
testDefaultsUnprivileged(const void *data G_GNUC_UNUSED)
{
    g_autofree char *saved = g_strdup(g_getenv("XDG_RUNTIME_DIR"));
    g_autofree char *tmpdir = g_strdup_printf("/tmp/virtnet-%u", (unsigned)getuid());
    virtnetdConfig *cfg;
    int ret = -1;

    g_setenv("XDG_RUNTIME_DIR", "/xdg/run", TRUE);
    cfg = virtnetdConfigNew(false);
    if (g_strcmp0(cfg->unix_sock_dir, "/xdg/run/virtnet") != 0) {
        fprintf(stderr, "  unix_sock_dir '%s' with XDG_RUNTIME_DIR\n", cfg->unix_sock_dir);
        goto cleanup;
    }
    virtnetdConfigFree(cfg);

    g_setenv("XDG_RUNTIME_DIR", "", TRUE);
    cfg = virtnetdConfigNew(false);
    if (g_strcmp0(cfg->unix_sock_dir, tmpdir) != 0) {
        fprintf(stderr, "  unix_sock_dir '%s' with empty XDG_RUNTIME_DIR\n", cfg->unix_sock_dir);
        goto cleanup;
    }
    virtnetdConfigFree(cfg);

    g_unsetenv("XDG_RUNTIME_DIR");
    cfg = virtnetdConfigNew(false);
    if (g_strcmp0(cfg->unix_sock_dir, tmpdir) != 0 || cfg->privileged ||
        cfg->listen_tcp || cfg->listen_tls ||
        g_strcmp0(cfg->tcp_port, "16509") != 0 || g_strcmp0(cfg->tls_port, "16514") != 0 ||
        cfg->listen_addr || cfg->unix_sock_group ||
        g_strcmp0(cfg->unix_sock_rw_perms, "0700") != 0 ||
        g_strcmp0(cfg->unix_sock_ro_perms, "0777") != 0 ||
        g_strcmp0(cfg->unix_sock_admin_perms, "0700") != 0 ||
        cfg->auth_unix_rw != VIR_NET_SERVER_SERVICE_AUTH_NONE ||
        cfg->auth_unix_ro != VIR_NET_SERVER_SERVICE_AUTH_NONE ||
        cfg->auth_tcp != VIR_NET_SERVER_SERVICE_AUTH_SASL ||
        cfg->max_clients != 5000 || cfg->max_anonymous_clients != 20 ||
        cfg->max_queued_clients != 1000 ||
        cfg->min_workers != 5 || cfg->max_workers != 20 || cfg->prio_workers != 5 ||
        cfg->max_client_requests != 5 ||
        cfg->keepalive_interval != 5 || cfg->keepalive_count != 5 ||
        cfg->tls_handshake_timeout != 60 ||
        cfg->log_level != 3 || cfg->log_filters || cfg->log_outputs ||
        cfg->sasl_allowed_username_list || cfg->tls_allowed_dn_list || cfg->pid_file) {
        fprintf(stderr, "  unprivileged defaults differ from docs/virtnetd.md\n");
        goto cleanup;
    }
    ret = 0;
 cleanup:
    virtnetdConfigFree(cfg);
    if (saved)
        g_setenv("XDG_RUNTIME_DIR", saved, TRUE);
    else
        g_unsetenv("XDG_RUNTIME_DIR");
    return ret;
}


static int
testDefaultsPrivileged(const void *data G_GNUC_UNUSED)
{
    virtnetdConfig *cfg;
    int ret = -1;

    g_setenv("XDG_RUNTIME_DIR", "/xdg/run", TRUE);  /* ignored as root */
    cfg = virtnetdConfigNew(true);
    if (!cfg->privileged || g_strcmp0(cfg->unix_sock_dir, VIRTNET_RUNSTATEDIR "/virtnet") != 0 ||
        g_strcmp0(cfg->unix_sock_rw_perms, "0700") != 0 ||
        g_strcmp0(cfg->unix_sock_ro_perms, "0777") != 0 ||
        cfg->auth_unix_rw != VIR_NET_SERVER_SERVICE_AUTH_NONE ||
        cfg->auth_unix_ro != VIR_NET_SERVER_SERVICE_AUTH_NONE ||
        cfg->auth_tcp != VIR_NET_SERVER_SERVICE_AUTH_SASL ||
        cfg->max_clients != 5000 || cfg->min_workers != 5 || cfg->max_workers != 20 ||
        cfg->log_level != 3) {
        fprintf(stderr, "  privileged defaults: dir '%s'\n", cfg->unix_sock_dir);
        goto cleanup;
    }
    ret = 0;
 cleanup:
    virtnetdConfigFree(cfg);
    return ret;
}


/* Each key alone, with a valid value: loads. An empty file loads and
 * changes nothing. */
static int
testEveryKeyGood(const void *data G_GNUC_UNUSED)
{
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        g_autofree char *content = g_strdup_printf("# comment\n%s = %s\n", keys[i].key, keys[i].good);
        virtnetdConfig *cfg = virtnetdConfigNew(false);
        int rc = virtnetdConfigLoadString(cfg, content, "good.conf");

        virtnetdConfigFree(cfg);
        if (rc < 0)
            VIR_TEST_FAIL("key '%s' = %s refused: %s", keys[i].key, keys[i].good,
                          virGetLastErrorMessage());
    }
    {
        virtnetdConfig *cfg = virtnetdConfigNew(false);
        virtnetdConfig *ref = virtnetdConfigNew(false);
        const char *diff;
        int rc = virtnetdConfigLoadString(cfg, "# nothing\n\n", "empty.conf");

        diff = configDiff(cfg, ref);
        virtnetdConfigFree(cfg);
        virtnetdConfigFree(ref);
        VIR_TEST_ASSERT_INT(rc, 0);
        if (diff)
            VIR_TEST_FAIL("empty file changed '%s'", diff);
    }
    return 0;
}


/* Each key with a value of the wrong type, on line 3: an error naming
 * FILE:3 and the key. */
static int
testEveryKeyWrongType(const void *data G_GNUC_UNUSED)
{
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        g_autofree char *content = g_strdup_printf("# comment\nmax_clients = 10\n%s = %s\n",
                                                   keys[i].key, keys[i].bad);
        g_autofree char *quoted = g_strdup_printf("'%s'", keys[i].key);
        virtnetdConfig *cfg = virtnetdConfigNew(false);
        int rc = expectLoadError(cfg, content, "types.conf", "types.conf:3", quoted, NULL);

        /* The valid line 2 must not have been applied either. */
        if (cfg->max_clients != 5000)
            rc = -1;
        virtnetdConfigFree(cfg);
        if (rc < 0)
            VIR_TEST_FAIL("key '%s' = %s", keys[i].key, keys[i].bad);
    }
    return 0;
}


static int
testUnknownKey(const void *data G_GNUC_UNUSED)
{
    virtnetdConfig *cfg = virtnetdConfigNew(false);
    int rc = 0;

    if (expectLoadError(cfg, "max_clients = 10\n\n# x\nmax_clinets = 5000\n", "/etc/v.conf",
                        "/etc/v.conf:4", "'max_clinets'", "unknown", NULL) < 0 ||
        expectLoadError(cfg, "bogus = \"x\"\n", "a.conf", "a.conf:1", "'bogus'", NULL) < 0 ||
        /* a key only virtlogd knows */
        expectLoadError(cfg, "max_size = 2097152\n", "b.conf", "b.conf:1", "'max_size'", NULL) < 0 ||
        /* a syntax error names the line too */
        expectLoadError(cfg, "max_clients = 10\nmax_workers 20\n", "c.conf", "c.conf:2", NULL) < 0 ||
        expectLoadError(cfg, "listen_addr = \"unterminated\n", "d.conf", "d.conf:1", NULL) < 0)
        rc = -1;
    if (cfg->max_clients != 5000)
        rc = -1;
    virtnetdConfigFree(cfg);
    return rc;
}


/* Values that have the right type but make no sense. */
static int
testBadValues(const void *data G_GNUC_UNUSED)
{
    virtnetdConfig *cfg = virtnetdConfigNew(false);
    int rc = -1;

    if (expectLoadError(cfg, "\nunix_sock_rw_perms = \"0999\"\n", "p.conf",
                        "p.conf:2", "'unix_sock_rw_perms'", "0999", NULL) < 0 ||
        expectLoadError(cfg, "unix_sock_ro_perms = \"rw\"\n", "p.conf",
                        "p.conf:1", "'unix_sock_ro_perms'", NULL) < 0 ||
        expectLoadError(cfg, "unix_sock_admin_perms = \"\"\n", "p.conf",
                        "p.conf:1", "'unix_sock_admin_perms'", NULL) < 0 ||
        expectLoadError(cfg, "unix_sock_rw_perms = \"077777\"\n", "p.conf",
                        "p.conf:1", "'unix_sock_rw_perms'", NULL) < 0 ||
        expectLoadError(cfg, "min_workers = 30\nmax_workers = 10\n", "w.conf",
                        "w.conf:1", "'min_workers'", "max_workers", NULL) < 0 ||
        /* against the default max_workers (20) */
        expectLoadError(cfg, "min_workers = 21\n", "w.conf", "w.conf:1", "'min_workers'", NULL) < 0 ||
        expectLoadError(cfg, "max_workers = 0\n", "w.conf", "w.conf:1", "'max_workers'", NULL) < 0 ||
        expectLoadError(cfg, "max_clients = 0\n", "w.conf", "w.conf:1", "'max_clients'", NULL) < 0 ||
        expectLoadError(cfg, "max_clients = -1\n", "w.conf", "w.conf:1", "'max_clients'", NULL) < 0 ||
        expectLoadError(cfg, "max_clients = 4294967296\n", "w.conf", "w.conf:1", "'max_clients'", NULL) < 0 ||
        expectLoadError(cfg, "max_client_requests = 0\n", "w.conf", "w.conf:1",
                        "'max_client_requests'", NULL) < 0 ||
        expectLoadError(cfg, "log_level = 0\n", "l.conf", "l.conf:1", "'log_level'", NULL) < 0 ||
        expectLoadError(cfg, "log_level = 5\n", "l.conf", "l.conf:1", "'log_level'", NULL) < 0 ||
        expectLoadError(cfg, "listen_tcp = 2\n", "l.conf", "l.conf:1", "'listen_tcp'", NULL) < 0 ||
        expectLoadError(cfg, "keepalive_count = -1\n", "l.conf", "l.conf:1", "'keepalive_count'", NULL) < 0 ||
        expectLoadError(cfg, "tls_handshake_timeout = \"30\"\n", "l.conf", "l.conf:1",
                        "'tls_handshake_timeout'", NULL) < 0 ||
        expectLoadError(cfg, "unix_sock_dir = \"run/virtnet\"\n", "d.conf", "d.conf:1",
                        "'unix_sock_dir'", NULL) < 0 ||
        expectLoadError(cfg, "unix_sock_dir = \"\"\n", "d.conf", "d.conf:1",
                        "'unix_sock_dir'", NULL) < 0)
        goto cleanup;
    /* Edges that are fine. */
    virResetLastError();
    if (virtnetdConfigLoadString(cfg, "min_workers = 20\nmax_workers = 20\n"
                                 "keepalive_interval = -1\nlog_level = 4\n"
                                 "unix_sock_rw_perms = \"7777\"\nunix_sock_ro_perms = \"0\"\n",
                                 "ok.conf") < 0)
        VIR_TEST_FAIL("valid edge values refused: %s", virGetLastErrorMessage());
    if (cfg->min_workers != 20 || cfg->keepalive_interval != -1 || cfg->log_level != 4 ||
        g_strcmp0(cfg->unix_sock_rw_perms, "7777") != 0)
        goto cleanup;
    rc = 0;
 cleanup:
    virtnetdConfigFree(cfg);
    return rc;
}


static int
testAuth(const void *data G_GNUC_UNUSED)
{
    static const struct { const char *val; int auth; } vals[] = {
        { "none", VIR_NET_SERVER_SERVICE_AUTH_NONE },
        { "sasl", VIR_NET_SERVER_SERVICE_AUTH_SASL },
        { "polkit", VIR_NET_SERVER_SERVICE_AUTH_POLKIT },
    };
    static const char *authKeys[] = { "auth_unix_rw", "auth_unix_ro", "auth_tcp", "auth_tls" };

    for (size_t k = 0; k < G_N_ELEMENTS(authKeys); k++) {
        for (size_t v = 0; v < G_N_ELEMENTS(vals); v++) {
            g_autofree char *content = g_strdup_printf("%s = \"%s\"\n", authKeys[k], vals[v].val);
            virtnetdConfig *cfg = virtnetdConfigNew(false);
            int got;

            if (virtnetdConfigLoadString(cfg, content, "auth.conf") < 0) {
                virtnetdConfigFree(cfg);
                VIR_TEST_FAIL("%s", content);
            }
            got = k == 0 ? cfg->auth_unix_rw : k == 1 ? cfg->auth_unix_ro :
                  k == 2 ? cfg->auth_tcp : cfg->auth_tls;
            virtnetdConfigFree(cfg);
            if (got != vals[v].auth)
                VIR_TEST_FAIL("%s gave %d, expected %d", content, got, vals[v].auth);
        }
        {
            g_autofree char *content = g_strdup_printf("# x\n%s = \"kerberos\"\n", authKeys[k]);
            g_autofree char *quoted = g_strdup_printf("'%s'", authKeys[k]);
            virtnetdConfig *cfg = virtnetdConfigNew(false);
            int rc = expectLoadError(cfg, content, "auth.conf", "auth.conf:2", quoted,
                                     "kerberos", NULL);
            virtnetdConfigFree(cfg);
            if (rc < 0)
                return -1;
        }
    }
    {
        /* Case matters, as in libvirtd. */
        virtnetdConfig *cfg = virtnetdConfigNew(false);
        int rc = expectLoadError(cfg, "auth_tcp = \"SASL\"\n", "auth.conf", "'auth_tcp'", NULL);
        virtnetdConfigFree(cfg);
        if (rc < 0)
            return -1;
    }
    return 0;
}


static int
testLists(const void *data G_GNUC_UNUSED)
{
    virtnetdConfig *cfg = virtnetdConfigNew(false);
    const char *dn[] = { "C=GB,O=Example,CN=*", "DN2", NULL };
    const char *users[] = { "joe@EXAMPLE.COM", NULL };
    int rc = -1;

    if (virtnetdConfigLoadString(cfg,
                                 "tls_allowed_dn_list = [\"C=GB,O=Example,CN=*\",\n"
                                 "     # comment inside\n"
                                 "     'DN2', ]\n"
                                 "sasl_allowed_username_list = [\"nobody\"]\n"
                                 "access_drivers = [ \"polkit\" ]\n",
                                 "lists.conf") < 0)
        VIR_TEST_FAIL("%s", virGetLastErrorMessage());
    if (!strvEqual(cfg->tls_allowed_dn_list, (char **)dn))
        goto cleanup;
    /* A second file replaces a list, it does not append. */
    if (virtnetdConfigLoadString(cfg, "sasl_allowed_username_list = [ \"joe@EXAMPLE.COM\" ]\n",
                                 "lists2.conf") < 0)
        goto cleanup;
    if (!strvEqual(cfg->sasl_allowed_username_list, (char **)users) ||
        !strvEqual(cfg->tls_allowed_dn_list, (char **)dn))
        goto cleanup;
    /* An empty list is a list. */
    if (virtnetdConfigLoadString(cfg, "tls_allowed_dn_list = []\n", "lists3.conf") < 0 ||
        !cfg->tls_allowed_dn_list || cfg->tls_allowed_dn_list[0])
        goto cleanup;
    if (expectLoadError(cfg, "sasl_allowed_username_list = [\"a\", 3]\n", "lists4.conf",
                        "lists4.conf:1", NULL) < 0 ||
        expectLoadError(cfg, "\n\ntls_allowed_dn_list = \"DN1\"\n", "lists5.conf",
                        "lists5.conf:3", "'tls_allowed_dn_list'", NULL) < 0)
        goto cleanup;
    if (!strvEqual(cfg->sasl_allowed_username_list, (char **)users))
        goto cleanup;
    rc = 0;
 cleanup:
    virtnetdConfigFree(cfg);
    return rc;
}


/* tcp_min_ssf: 56 by default; below 56 refused at load, as libvirtd
 * ("minimum SSF levels lower than 56 are not supported"). */
static int
testMinSSF(const void *data G_GNUC_UNUSED)
{
    virtnetdConfig *cfg = virtnetdConfigNew(false);
    int rc = -1;

    if (cfg->tcp_min_ssf != 56)
        goto cleanup;
    if (virtnetdConfigLoadString(cfg, "tcp_min_ssf = 112\n", "ssf.conf") < 0 ||
        cfg->tcp_min_ssf != 112)
        goto cleanup;
    if (expectLoadError(cfg, "\ntcp_min_ssf = 40\n", "ssf2.conf", "ssf2.conf:2",
                        "'tcp_min_ssf'", "lower than 56", NULL) < 0 ||
        cfg->tcp_min_ssf != 112)
        goto cleanup;
    if (virtnetdConfigLoadString(cfg, "tcp_min_ssf = 56\n", "ssf3.conf") < 0 ||
        cfg->tcp_min_ssf != 56)
        goto cleanup;
    rc = 0;
 cleanup:
    virtnetdConfigFree(cfg);
    return rc;
}


static const char *fullConf =
    "listen_tls = 1\n"
    "listen_tcp = 1\n"
    "tls_port = \"26514\"\n"
    "tcp_port = \"26509\"\n"
    "listen_addr = \"127.0.0.1\"\n"
    "unix_sock_group = \"libvirt\"\n"
    "unix_sock_ro_perms = \"0775\"\n"
    "unix_sock_rw_perms = \"0770\"\n"
    "unix_sock_admin_perms = \"0600\"\n"
    "unix_sock_dir = \"/var/run/x\"\n"
    "auth_unix_ro = \"polkit\"\n"
    "auth_unix_rw = \"sasl\"\n"
    "auth_tcp = \"none\"\n"
    "auth_tls = \"sasl\"\n"
    "key_file = \"/k\"\n"
    "cert_file = \"/c\"\n"
    "ca_file = \"/ca\"\n"
    "crl_file = \"/crl\"\n"
    "tls_no_sanity_certificate = 1\n"
    "tls_no_verify_certificate = 1\n"
    "tls_allowed_dn_list = [\"DN1\"]\n"
    "tls_priority = \"NORMAL\"\n"
    "tls_handshake_timeout = 7\n"
    "sasl_allowed_username_list = [\"joe\", \"fred\"]\n"
    "max_clients = 10\n"
    "max_queued_clients = 11\n"
    "max_anonymous_clients = 12\n"
    "min_workers = 2\n"
    "max_workers = 3\n"
    "prio_workers = 4\n"
    "max_client_requests = 6\n"
    "keepalive_interval = -1\n"
    "keepalive_count = 0\n"
    "log_level = 1\n"
    "log_filters = \"1:rpc\"\n"
    "log_outputs = \"1:stderr\"\n";


static void
checkFull(const virtnetdConfig *cfg, const char **bad)
{
    const char *dn[] = { "DN1", NULL };
    const char *users[] = { "joe", "fred", NULL };

#define C(cond) if (!(cond)) { *bad = #cond; return; }
    C(cfg->listen_tls && cfg->listen_tcp);
    C(g_str_equal(cfg->tls_port, "26514") && g_str_equal(cfg->tcp_port, "26509"));
    C(g_str_equal(cfg->listen_addr, "127.0.0.1"));
    C(g_str_equal(cfg->unix_sock_group, "libvirt"));
    C(g_str_equal(cfg->unix_sock_ro_perms, "0775"));
    C(g_str_equal(cfg->unix_sock_rw_perms, "0770"));
    C(g_str_equal(cfg->unix_sock_admin_perms, "0600"));
    C(g_str_equal(cfg->unix_sock_dir, "/var/run/x"));
    C(cfg->auth_unix_ro == VIR_NET_SERVER_SERVICE_AUTH_POLKIT);
    C(cfg->auth_unix_rw == VIR_NET_SERVER_SERVICE_AUTH_SASL);
    C(cfg->auth_tcp == VIR_NET_SERVER_SERVICE_AUTH_NONE);
    C(cfg->auth_tls == VIR_NET_SERVER_SERVICE_AUTH_SASL);
    C(g_str_equal(cfg->key_file, "/k") && g_str_equal(cfg->cert_file, "/c"));
    C(g_str_equal(cfg->ca_file, "/ca") && g_str_equal(cfg->crl_file, "/crl"));
    C(cfg->tls_no_sanity_certificate && cfg->tls_no_verify_certificate);
    C(strvEqual(cfg->tls_allowed_dn_list, (char **)dn));
    C(g_str_equal(cfg->tls_priority, "NORMAL"));
    C(cfg->tls_handshake_timeout == 7);
    C(strvEqual(cfg->sasl_allowed_username_list, (char **)users));
    C(cfg->max_clients == 10 && cfg->max_queued_clients == 11 && cfg->max_anonymous_clients == 12);
    C(cfg->min_workers == 2 && cfg->max_workers == 3 && cfg->prio_workers == 4);
    C(cfg->max_client_requests == 6);
    C(cfg->keepalive_interval == -1 && cfg->keepalive_count == 0);
    C(cfg->log_level == 1);
    C(g_str_equal(cfg->log_filters, "1:rpc") && g_str_equal(cfg->log_outputs, "1:stderr"));
#undef C
    *bad = NULL;
}


/* Every acted-on key lands in its field. */
static int
testAllFields(const void *data G_GNUC_UNUSED)
{
    virtnetdConfig *cfg = virtnetdConfigNew(false);
    const char *bad = "load";

    if (virtnetdConfigLoadString(cfg, fullConf, "full.conf") == 0)
        checkFull(cfg, &bad);
    else
        fprintf(stderr, "  %s\n", virGetLastErrorMessage());
    virtnetdConfigFree(cfg);
    if (bad)
        VIR_TEST_FAIL("full.conf: %s", bad);
    return 0;
}


/* A failed load, wherever it fails (syntax, unknown key, wrong type while
 * applying, value checks after applying), leaves the config as it was. */
static int
testFailedLoadUnchanged(const void *data G_GNUC_UNUSED)
{
    static const char *tails[] = {
        "max_clinets = 1\n",                 /* schema: unknown key */
        "max_workers = \"3\"\n",             /* schema: wrong type */
        "listen_tcp = \n",                   /* syntax */
        "keepalive_count = -5\n",            /* range, while applying */
        "auth_tls = \"kerberos\"\n",         /* auth value, while applying */
        "unix_sock_rw_perms = \"0999\"\n",   /* perms, after applying */
        "min_workers = 50\n",                /* min > max, after applying */
        "log_level = 7\n",                   /* after applying */
    };
    virtnetdConfig *cfg = virtnetdConfigNew(false);
    virtnetdConfig *ref = virtnetdConfigNew(false);
    int rc = 0;

    /* Start from a non-default config, so "unchanged" is not "defaults". */
    if (virtnetdConfigLoadString(cfg, fullConf, "full.conf") < 0 ||
        virtnetdConfigLoadString(ref, fullConf, "full.conf") < 0) {
        rc = -1;
        goto cleanup;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(tails); i++) {
        /* Valid settings of every kind, then the bad line. */
        g_autofree char *content = g_strdup_printf(
            "listen_tcp = 0\ntcp_port = \"1\"\nunix_sock_dir = \"/elsewhere\"\n"
            "auth_tcp = \"polkit\"\nsasl_allowed_username_list = [\"other\"]\n"
            "max_clients = 99\nmax_workers = 40\nlog_filters = \"4:x\"\n%s", tails[i]);
        const char *diff;

        virResetLastError();
        if (virtnetdConfigLoadString(cfg, content, "bad.conf") == 0) {
            fprintf(stderr, "  '%s' loaded\n", tails[i]);
            rc = -1;
            continue;
        }
        if (!strstr(virGetLastErrorMessage(), "bad.conf:")) {
            fprintf(stderr, "  '%s': error '%s' names no bad.conf:LINE\n", tails[i],
                    virGetLastErrorMessage());
            rc = -1;
        }
        if ((diff = configDiff(cfg, ref))) {
            fprintf(stderr, "  '%s' changed '%s'\n", tails[i], diff);
            rc = -1;
        }
    }
    /* And through LoadFile: a missing file. */
    virResetLastError();
    if (virtnetdConfigLoadFile(cfg, "/nonexistent/virtnetd.conf") == 0 ||
        !strstr(virGetLastErrorMessage(), "/nonexistent/virtnetd.conf") ||
        configDiff(cfg, ref)) {
        fprintf(stderr, "  missing file: '%s'\n", virGetLastErrorMessage());
        rc = -1;
    }
    virResetLastError();
 cleanup:
    virtnetdConfigFree(cfg);
    virtnetdConfigFree(ref);
    return rc;
}


/* Two loads accumulate: the second file changes only what it sets. */
static int
testLayered(const void *data G_GNUC_UNUSED)
{
    virtnetdConfig *cfg = virtnetdConfigNew(false);
    int rc = -1;

    if (virtnetdConfigLoadString(cfg, "max_clients = 7\nlog_level = 2\n", "1.conf") < 0 ||
        virtnetdConfigLoadString(cfg, "max_clients = 8\nmax_clients = 9\n", "2.conf") < 0)
        goto cleanup;
    if (cfg->max_clients != 9 || cfg->log_level != 2 || cfg->max_workers != 20)
        goto cleanup;
    rc = 0;
 cleanup:
    virtnetdConfigFree(cfg);
    return rc;
}


static int
testSystemLibvirtdConf(const void *data G_GNUC_UNUSED)
{
    const char *path = "/etc/libvirt/libvirtd.conf";
    virtnetdConfig *cfg;
    int rc;

    if (access(path, R_OK) < 0)
        return VIR_TEST_SKIP;
    cfg = virtnetdConfigNew(true);
    rc = virtnetdConfigLoadFile(cfg, path);
    virtnetdConfigFree(cfg);
    if (rc < 0)
        VIR_TEST_FAIL("%s: %s", path, virGetLastErrorMessage());
    return 0;
}


/* The installed libvirtd.conf with every "#key = value" example line
 * uncommented: every key libvirt documents, with libvirt's sample values. */
static int
testSystemLibvirtdConfUncommented(const void *data G_GNUC_UNUSED)
{
    const char *path = "/etc/libvirt/libvirtd.conf";
    g_autofree char *content = NULL;
    g_autofree char *out = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GRegex) re = NULL;
    g_autoptr(GString) buf = g_string_new(NULL);
    virtnetdConfig *cfg;
    int n = 0, rc;

    if (!g_file_get_contents(path, &content, NULL, NULL))
        return VIR_TEST_SKIP;
    re = g_regex_new("^#[a-z_]+ *=", 0, 0, NULL);
    lines = g_strsplit(content, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        if (g_regex_match(re, lines[i], 0, NULL)) {
            g_string_append(buf, lines[i] + 1);
            n++;
        } else {
            g_string_append(buf, lines[i]);
        }
        g_string_append_c(buf, '\n');
    }
    out = g_build_filename(virTestTempDir(), "libvirtd-uncommented.conf", NULL);
    if (!g_file_set_contents(out, buf->str, -1, NULL))
        return -1;
    if (n < 20)
        VIR_TEST_FAIL("only %d example settings in %s", n, path);
    cfg = virtnetdConfigNew(true);
    rc = virtnetdConfigLoadFile(cfg, out);
    if (rc == 0 && (cfg->auth_unix_rw != VIR_NET_SERVER_SERVICE_AUTH_POLKIT ||
                    !cfg->listen_tcp || g_strcmp0(cfg->unix_sock_dir, "/run/libvirt") != 0))
        rc = -2;
    virtnetdConfigFree(cfg);
    if (rc == -2)
        VIR_TEST_FAIL("%d settings loaded but not applied", n);
    if (rc < 0)
        VIR_TEST_FAIL("%d settings from %s: %s", n, path, virGetLastErrorMessage());
    return 0;
}


/* A libvirtd.conf as an admin writes it, independent of what is installed:
 * every key set, comments, blank lines, quoting styles, multi-line lists. */
static int
testLibvirtdStyleFile(const void *data G_GNUC_UNUSED)
{
    g_autoptr(GString) buf = g_string_new(
        "# Master libvirt daemon configuration file\n"
        "#\n"
        "#################################################################\n"
        "#\n"
        "# Network connectivity controls\n"
        "#\n\n");
    g_autofree char *path = g_build_filename(virTestTempDir(), "libvirtd.conf", NULL);
    virtnetdConfig *cfg;
    int rc;

    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        g_string_append_printf(buf, "# The %s setting\n#%s = %s\n", keys[i].key,
                               keys[i].key, keys[i].good);
        if (g_str_equal(keys[i].key, "sasl_allowed_username_list"))
            g_string_append(buf, "sasl_allowed_username_list = [\n"
                                 "  \"joe@EXAMPLE.COM\",   # joe\n"
                                 "  'fred@EXAMPLE.COM',\n"
                                 "]\n\n");
        else
            g_string_append_printf(buf, "%s=%s   # set\n\n", keys[i].key, keys[i].good);
    }
    if (!g_file_set_contents(path, buf->str, -1, NULL))
        return -1;
    cfg = virtnetdConfigNew(true);
    rc = virtnetdConfigLoadFile(cfg, path);
    if (rc == 0 && (cfg->auth_unix_rw != VIR_NET_SERVER_SERVICE_AUTH_POLKIT ||
                    !cfg->listen_tcp || !cfg->sasl_allowed_username_list ||
                    g_strv_length(cfg->sasl_allowed_username_list) != 2 ||
                    g_strcmp0(cfg->unix_sock_dir, "/run/libvirt") != 0))
        rc = -2;
    virtnetdConfigFree(cfg);
    if (rc == -2)
        VIR_TEST_FAIL("loaded but not applied");
    if (rc < 0)
        VIR_TEST_FAIL("%s: %s", path, virGetLastErrorMessage());
    return 0;
}


static int
testParsePerms(const void *data G_GNUC_UNUSED)
{
    static const struct { const char *s; int mode; } cases[] = {
        { "0700", 0700 }, { "0777", 0777 }, { "770", 0770 }, { "0", 0 },
        { "07777", 07777 }, { "0999", -1 }, { "", -1 }, { "0x1ff", -1 },
        { "-1", -1 }, { "010000", -1 }, { "0700 ", -1 }, { "rwx", -1 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mode_t mode = 0;
        int rc = virtnetdConfigParsePerms(cases[i].s, &mode);

        virResetLastError();
        if (cases[i].mode < 0 ? rc == 0 : (rc < 0 || mode != (mode_t)cases[i].mode))
            VIR_TEST_FAIL("perms '%s': rc %d mode %o", cases[i].s, rc, (unsigned)mode);
    }
    return 0;
}


int
main(void)
{
    virTestRun("defaults, unprivileged", testDefaultsUnprivileged, NULL);
    virTestRun("defaults, privileged", testDefaultsPrivileged, NULL);
    virTestRun("every key, valid value", testEveryKeyGood, NULL);
    virTestRun("every key, wrong type", testEveryKeyWrongType, NULL);
    virTestRun("unknown key and syntax errors", testUnknownKey, NULL);
    virTestRun("bad values", testBadValues, NULL);
    virTestRun("auth values", testAuth, NULL);
    virTestRun("lists", testLists, NULL);
    virTestRun("tcp_min_ssf", testMinSSF, NULL);
    virTestRun("every field applied", testAllFields, NULL);
    virTestRun("failed load changes nothing", testFailedLoadUnchanged, NULL);
    virTestRun("loads layer", testLayered, NULL);
    virTestRun("installed libvirtd.conf", testSystemLibvirtdConf, NULL);
    virTestRun("installed libvirtd.conf, examples uncommented",
               testSystemLibvirtdConfUncommented, NULL);
    virTestRun("libvirtd.conf-style file, every key", testLibvirtdStyleFile, NULL);
    virTestRun("perms parsing", testParsePerms, NULL);
    return virTestResult();
}
