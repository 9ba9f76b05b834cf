/*
 * virtnetdconfig.c: loading virtnetd.conf (libvirtd.conf syntax and keys).
 *
 * Loading works on a copy and replaces the caller's config only when the
 * whole file was valid, so a bad file changes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virtnetdconfig.h"
#include "virconf.h"
#include "virerror.h"
#include "virnetserver.h"
#include "virnetserverclient.h"

#define VIR_FROM_THIS VIR_FROM_CONF

/* Every key libvirtd.conf documents, so that a libvirtd.conf loads. Keys we
 * accept but do not act on are listed in docs/virtnetd.md. */
static const virConfSchemaEntry virtnetdConfigSchema[] = {
    { "listen_tls", VIR_CONF_INT },
    { "listen_tcp", VIR_CONF_INT },
    { "tls_port", VIR_CONF_STRING },
    { "tcp_port", VIR_CONF_STRING },
    { "listen_addr", VIR_CONF_STRING },
    { "mdns_adv", VIR_CONF_INT },
    { "mdns_name", VIR_CONF_STRING },
    { "unix_sock_group", VIR_CONF_STRING },
    { "unix_sock_ro_perms", VIR_CONF_STRING },
    { "unix_sock_rw_perms", VIR_CONF_STRING },
    { "unix_sock_admin_perms", VIR_CONF_STRING },
    { "unix_sock_dir", VIR_CONF_STRING },
    { "auth_unix_ro", VIR_CONF_STRING },
    { "auth_unix_rw", VIR_CONF_STRING },
    { "auth_tcp", VIR_CONF_STRING },
    { "auth_tls", VIR_CONF_STRING },
    { "tcp_min_ssf", VIR_CONF_INT },
    { "access_drivers", VIR_CONF_LIST },
    { "key_file", VIR_CONF_STRING },
    { "cert_file", VIR_CONF_STRING },
    { "ca_file", VIR_CONF_STRING },
    { "crl_file", VIR_CONF_STRING },
    { "tls_no_sanity_certificate", VIR_CONF_INT },
    { "tls_no_verify_certificate", VIR_CONF_INT },
    { "tls_allowed_dn_list", VIR_CONF_LIST },
    { "tls_priority", VIR_CONF_STRING },
    { "tls_handshake_timeout", VIR_CONF_INT },   /* ours, not libvirtd's */
    { "preauth_message_max", VIR_CONF_INT },     /* ours */
    { "preauth_buffer_max", VIR_CONF_INT },      /* ours */
    { "sasl_allowed_username_list", VIR_CONF_LIST },
    { "max_clients", VIR_CONF_INT },
    { "max_queued_clients", VIR_CONF_INT },
    { "max_anonymous_clients", VIR_CONF_INT },
    { "min_workers", VIR_CONF_INT },
    { "max_workers", VIR_CONF_INT },
    { "prio_workers", VIR_CONF_INT },
    { "max_requests", VIR_CONF_INT },
    { "max_client_requests", VIR_CONF_INT },
    { "admin_min_workers", VIR_CONF_INT },
    { "admin_max_workers", VIR_CONF_INT },
    { "admin_max_clients", VIR_CONF_INT },
    { "admin_max_queued_clients", VIR_CONF_INT },
    { "admin_max_client_requests", VIR_CONF_INT },
    { "admin_keepalive_interval", VIR_CONF_INT },
    { "admin_keepalive_count", VIR_CONF_INT },
    { "log_level", VIR_CONF_INT },
    { "log_filters", VIR_CONF_STRING },
    { "log_outputs", VIR_CONF_STRING },
    { "audit_level", VIR_CONF_INT },
    { "audit_logging", VIR_CONF_INT },
    { "host_uuid", VIR_CONF_STRING },
    { "host_uuid_source", VIR_CONF_STRING },
    { "keepalive_interval", VIR_CONF_INT },
    { "keepalive_count", VIR_CONF_INT },
    { "keepalive_required", VIR_CONF_INT },
    { "admin_keepalive_required", VIR_CONF_INT },
    { "ovs_timeout", VIR_CONF_INT },
    { NULL, 0 },
};


virtnetdConfig *
virtnetdConfigNew(bool privileged)
{
    virtnetdConfig *cfg = g_new0(virtnetdConfig, 1);
    const char *runtime = g_getenv("XDG_RUNTIME_DIR");

    cfg->privileged = privileged;
    cfg->tcp_port = g_strdup("16509");
    cfg->tls_port = g_strdup("16514");
    cfg->unix_sock_ro_perms = g_strdup("0777");
    cfg->unix_sock_rw_perms = g_strdup(privileged ? "0700" : "0700");
    cfg->unix_sock_admin_perms = g_strdup("0700");
    if (privileged)
        cfg->unix_sock_dir = g_strdup(VIRTNET_RUNSTATEDIR "/virtnet");
    else if (runtime && *runtime)
        cfg->unix_sock_dir = g_build_filename(runtime, "virtnet", NULL);
    else
        cfg->unix_sock_dir = g_strdup_printf("/tmp/virtnet-%u", (unsigned)getuid());
    cfg->auth_unix_rw = VIR_NET_SERVER_SERVICE_AUTH_NONE;
    cfg->auth_unix_ro = VIR_NET_SERVER_SERVICE_AUTH_NONE;
    cfg->auth_tcp = VIR_NET_SERVER_SERVICE_AUTH_SASL;
    cfg->auth_tls = VIR_NET_SERVER_SERVICE_AUTH_NONE;
    cfg->tcp_min_ssf = 56;   /* libvirtd's: good enough for Kerberos */
    cfg->key_file = g_strdup("/etc/pki/libvirt/private/serverkey.pem");
    cfg->cert_file = g_strdup("/etc/pki/libvirt/servercert.pem");
    cfg->ca_file = g_strdup("/etc/pki/CA/cacert.pem");
    cfg->crl_file = g_strdup("/etc/pki/CA/crl.pem");
    cfg->max_clients = 5000;
    cfg->max_queued_clients = 1000;
    cfg->max_anonymous_clients = 20;
    cfg->min_workers = 5;
    cfg->max_workers = 20;
    cfg->prio_workers = 5;
    cfg->max_client_requests = 5;
    cfg->keepalive_interval = 5;
    cfg->keepalive_count = 5;
    cfg->admin_min_workers = 5;
    cfg->admin_max_workers = 20;
    cfg->admin_max_clients = 5000;
    cfg->admin_max_queued_clients = 20;
    cfg->admin_max_client_requests = 5;
    cfg->admin_keepalive_interval = 5;
    cfg->admin_keepalive_count = 5;
    cfg->tls_handshake_timeout = 60;
    cfg->preauth_message_max = VIR_NET_SERVER_PREAUTH_MESSAGE_MAX;
    cfg->preauth_buffer_max = VIR_NET_SERVER_PREAUTH_BUFFER_MAX;
    cfg->log_level = 3;
    return cfg;
}


static void
virtnetdConfigClear(virtnetdConfig *cfg)
{
    g_free(cfg->tcp_port);
    g_free(cfg->tls_port);
    g_free(cfg->listen_addr);
    g_free(cfg->unix_sock_group);
    g_free(cfg->unix_sock_ro_perms);
    g_free(cfg->unix_sock_rw_perms);
    g_free(cfg->unix_sock_admin_perms);
    g_free(cfg->unix_sock_dir);
    g_strfreev(cfg->sasl_allowed_username_list);
    g_strfreev(cfg->tls_allowed_dn_list);
    g_free(cfg->key_file);
    g_free(cfg->cert_file);
    g_free(cfg->ca_file);
    g_free(cfg->crl_file);
    g_free(cfg->tls_priority);
    g_free(cfg->log_filters);
    g_free(cfg->log_outputs);
    g_free(cfg->pid_file);
}


void
virtnetdConfigFree(virtnetdConfig *cfg)
{
    if (!cfg)
        return;
    virtnetdConfigClear(cfg);
    g_free(cfg);
}


static virtnetdConfig *
virtnetdConfigCopy(const virtnetdConfig *src)
{
    virtnetdConfig *dst = g_new0(virtnetdConfig, 1);

    *dst = *src;
    dst->tcp_port = g_strdup(src->tcp_port);
    dst->tls_port = g_strdup(src->tls_port);
    dst->listen_addr = g_strdup(src->listen_addr);
    dst->unix_sock_group = g_strdup(src->unix_sock_group);
    dst->unix_sock_ro_perms = g_strdup(src->unix_sock_ro_perms);
    dst->unix_sock_rw_perms = g_strdup(src->unix_sock_rw_perms);
    dst->unix_sock_admin_perms = g_strdup(src->unix_sock_admin_perms);
    dst->unix_sock_dir = g_strdup(src->unix_sock_dir);
    dst->sasl_allowed_username_list = g_strdupv(src->sasl_allowed_username_list);
    dst->tls_allowed_dn_list = g_strdupv(src->tls_allowed_dn_list);
    dst->key_file = g_strdup(src->key_file);
    dst->cert_file = g_strdup(src->cert_file);
    dst->ca_file = g_strdup(src->ca_file);
    dst->crl_file = g_strdup(src->crl_file);
    dst->tls_priority = g_strdup(src->tls_priority);
    dst->log_filters = g_strdup(src->log_filters);
    dst->log_outputs = g_strdup(src->log_outputs);
    dst->pid_file = g_strdup(src->pid_file);
    return dst;
}


int
virtnetdConfigParsePerms(const char *str, mode_t *mode)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(str, &end, 8);
    if (!*str || *end || errno || v > 07777) {
        virReportError(VIR_ERR_CONF_SYNTAX, "invalid permissions '%s': expected octal like \"0770\"",
                       str);
        return -1;
    }
    *mode = v;
    return 0;
}


/* An auth key: "none" or "sasl" (libvirt also knows "polkit"). */
static int
virtnetdConfigGetAuth(virConf *conf, const char *key, int *auth)
{
    g_autofree char *val = NULL;
    int rc = virConfGetString(conf, key, &val);

    if (rc <= 0)
        return rc;
    if (g_str_equal(val, "none")) {
        *auth = VIR_NET_SERVER_SERVICE_AUTH_NONE;
    } else if (g_str_equal(val, "sasl")) {
        *auth = VIR_NET_SERVER_SERVICE_AUTH_SASL;
    } else if (g_str_equal(val, "polkit")) {
        *auth = VIR_NET_SERVER_SERVICE_AUTH_POLKIT;
    } else {
        virReportError(VIR_ERR_CONF_SYNTAX, "%s:%d: setting '%s': unknown auth type '%s' "
                       "(expected \"none\", \"sasl\" or \"polkit\")",
                       virConfGetName(conf), virConfGetLine(conf, key), key, val);
        return -1;
    }
    return 1;
}


static int
virtnetdConfigGetFlag(virConf *conf, const char *key, bool *value)
{
    return virConfGetBool(conf, key, value);
}


/* Replace *field (freeing the default) when the key is set. */
static int
virtnetdConfigGetStr(virConf *conf, const char *key, char **field)
{
    char *val = NULL;
    int rc = virConfGetString(conf, key, &val);

    if (rc == 1) {
        g_free(*field);
        *field = val;
    }
    return rc;
}


static int
virtnetdConfigGetList(virConf *conf, const char *key, char ***field)
{
    char **val = NULL;
    int rc = virConfGetStringList(conf, key, &val);

    if (rc == 1) {
        g_strfreev(*field);
        *field = val;
    }
    return rc;
}


/* A value that parses but makes no sense: same message shape as virconf's. */
static int
virtnetdConfigBad(virConf *conf, const char *key, const char *why)
{
    virReportError(VIR_ERR_CONF_SYNTAX, "%s:%d: setting '%s' %s",
                   virConfGetName(conf), virConfGetLine(conf, key), key, why);
    return -1;
}


/* One server's pool and client limits: PREFIX "" (libvirtd) or "admin_". */
static int
virtnetdConfigCheckServer(virConf *conf, const char *prefix, unsigned int minWorkers,
                          unsigned int maxWorkers, unsigned int maxClientRequests,
                          unsigned int maxClients)
{
    g_autofree char *maxW = g_strconcat(prefix, "max_workers", NULL);
    g_autofree char *minW = g_strconcat(prefix, "min_workers", NULL);
    g_autofree char *tooLarge = g_strconcat("is larger than ", maxW, NULL);
    g_autofree char *requests = g_strconcat(prefix, "max_client_requests", NULL);
    g_autofree char *clients = g_strconcat(prefix, "max_clients", NULL);

    if (maxWorkers == 0)
        return virtnetdConfigBad(conf, maxW, "must be at least 1");
    if (minWorkers > maxWorkers)
        return virtnetdConfigBad(conf, minW, tooLarge);
    if (maxClientRequests == 0)
        return virtnetdConfigBad(conf, requests, "must be at least 1");
    if (maxClients == 0)
        return virtnetdConfigBad(conf, clients, "must be at least 1");
    return 0;
}


/* A permissions key: octal, checked here so the error names file, line and key. */
static int
virtnetdConfigCheckPerms(virConf *conf, const char *key, const char *value)
{
    g_autofree char *why = NULL;
    mode_t mode;

    if (virtnetdConfigParsePerms(value, &mode) == 0)
        return 0;
    virResetLastError();
    why = g_strdup_printf("has invalid permissions '%s': expected octal like \"0770\"", value);
    return virtnetdConfigBad(conf, key, why);
}


#define GET(expr) do { if ((expr) < 0) goto error; } while (0)

static int
virtnetdConfigApply(virtnetdConfig *cfg, virConf *conf)
{
    int maxRequests = -1;
    int rc;

    GET(virtnetdConfigGetFlag(conf, "listen_tcp", &cfg->listen_tcp));
    GET(virtnetdConfigGetFlag(conf, "listen_tls", &cfg->listen_tls));
    GET(virtnetdConfigGetStr(conf, "tcp_port", &cfg->tcp_port));
    GET(virtnetdConfigGetStr(conf, "tls_port", &cfg->tls_port));
    GET(virtnetdConfigGetStr(conf, "listen_addr", &cfg->listen_addr));
    GET(virtnetdConfigGetStr(conf, "unix_sock_group", &cfg->unix_sock_group));
    GET(virtnetdConfigGetStr(conf, "unix_sock_ro_perms", &cfg->unix_sock_ro_perms));
    GET(virtnetdConfigGetStr(conf, "unix_sock_rw_perms", &cfg->unix_sock_rw_perms));
    GET(virtnetdConfigGetStr(conf, "unix_sock_admin_perms", &cfg->unix_sock_admin_perms));
    GET(virtnetdConfigGetStr(conf, "unix_sock_dir", &cfg->unix_sock_dir));
    GET(virtnetdConfigGetAuth(conf, "auth_unix_rw", &cfg->auth_unix_rw));
    GET(virtnetdConfigGetAuth(conf, "auth_unix_ro", &cfg->auth_unix_ro));
    GET(virtnetdConfigGetAuth(conf, "auth_tcp", &cfg->auth_tcp));
    GET(virtnetdConfigGetAuth(conf, "auth_tls", &cfg->auth_tls));
    GET(virtnetdConfigGetList(conf, "sasl_allowed_username_list", &cfg->sasl_allowed_username_list));
    GET(rc = virConfGetUInt(conf, "tcp_min_ssf", &cfg->tcp_min_ssf));
    /* As libvirtd: a weaker SASL layer on plain TCP is refused. */
    if (rc > 0 && cfg->tcp_min_ssf < 56)
        return virtnetdConfigBad(conf, "tcp_min_ssf",
                                 "is lower than 56: minimum SSF levels lower than 56 "
                                 "are not supported");
    GET(virtnetdConfigGetList(conf, "tls_allowed_dn_list", &cfg->tls_allowed_dn_list));
    GET(virtnetdConfigGetStr(conf, "key_file", &cfg->key_file));
    GET(virtnetdConfigGetStr(conf, "cert_file", &cfg->cert_file));
    GET(virtnetdConfigGetStr(conf, "ca_file", &cfg->ca_file));
    GET(virtnetdConfigGetStr(conf, "crl_file", &cfg->crl_file));
    GET(virtnetdConfigGetFlag(conf, "tls_no_verify_certificate", &cfg->tls_no_verify_certificate));
    GET(virtnetdConfigGetFlag(conf, "tls_no_sanity_certificate", &cfg->tls_no_sanity_certificate));
    GET(virtnetdConfigGetStr(conf, "tls_priority", &cfg->tls_priority));
    GET(virConfGetUInt(conf, "tls_handshake_timeout", &cfg->tls_handshake_timeout));
    GET(virConfGetUInt(conf, "preauth_message_max", &cfg->preauth_message_max));
    GET(virConfGetUInt(conf, "preauth_buffer_max", &cfg->preauth_buffer_max));
    GET(virConfGetUInt(conf, "max_clients", &cfg->max_clients));
    GET(virConfGetUInt(conf, "max_queued_clients", &cfg->max_queued_clients));
    GET(virConfGetUInt(conf, "max_anonymous_clients", &cfg->max_anonymous_clients));
    GET(virConfGetUInt(conf, "min_workers", &cfg->min_workers));
    GET(virConfGetUInt(conf, "max_workers", &cfg->max_workers));
    GET(virConfGetUInt(conf, "prio_workers", &cfg->prio_workers));
    GET(virConfGetInt(conf, "max_requests", &maxRequests));   /* obsolete, ignored */
    GET(virConfGetUInt(conf, "max_client_requests", &cfg->max_client_requests));
    GET(virConfGetInt(conf, "keepalive_interval", &cfg->keepalive_interval));
    GET(virConfGetUInt(conf, "keepalive_count", &cfg->keepalive_count));
    GET(virConfGetUInt(conf, "admin_min_workers", &cfg->admin_min_workers));
    GET(virConfGetUInt(conf, "admin_max_workers", &cfg->admin_max_workers));
    GET(virConfGetUInt(conf, "admin_max_clients", &cfg->admin_max_clients));
    GET(virConfGetUInt(conf, "admin_max_queued_clients", &cfg->admin_max_queued_clients));
    GET(virConfGetUInt(conf, "admin_max_client_requests", &cfg->admin_max_client_requests));
    GET(virConfGetInt(conf, "admin_keepalive_interval", &cfg->admin_keepalive_interval));
    GET(virConfGetUInt(conf, "admin_keepalive_count", &cfg->admin_keepalive_count));
    GET(virConfGetUInt(conf, "log_level", &cfg->log_level));
    GET(virtnetdConfigGetStr(conf, "log_filters", &cfg->log_filters));
    GET(virtnetdConfigGetStr(conf, "log_outputs", &cfg->log_outputs));

    if (virtnetdConfigCheckPerms(conf, "unix_sock_rw_perms", cfg->unix_sock_rw_perms) < 0 ||
        virtnetdConfigCheckPerms(conf, "unix_sock_ro_perms", cfg->unix_sock_ro_perms) < 0 ||
        virtnetdConfigCheckPerms(conf, "unix_sock_admin_perms", cfg->unix_sock_admin_perms) < 0)
        goto error;
    if (virtnetdConfigCheckServer(conf, "", cfg->min_workers, cfg->max_workers,
                                  cfg->max_client_requests, cfg->max_clients) < 0 ||
        virtnetdConfigCheckServer(conf, "admin_", cfg->admin_min_workers,
                                  cfg->admin_max_workers, cfg->admin_max_client_requests,
                                  cfg->admin_max_clients) < 0)
        return -1;
    if (cfg->log_level < 1 || cfg->log_level > 4)
        return virtnetdConfigBad(conf, "log_level", "must be between 1 and 4");
    if (!cfg->unix_sock_dir || cfg->unix_sock_dir[0] != '/')
        return virtnetdConfigBad(conf, "unix_sock_dir", "must be an absolute path");
    return 0;
 error:
    return -1;
}
#undef GET


static int
virtnetdConfigLoad(virtnetdConfig *cfg, virConf *conf)
{
    virtnetdConfig *tmp;

    if (!conf)
        return -1;
    tmp = virtnetdConfigCopy(cfg);
    if (virtnetdConfigApply(tmp, conf) < 0) {
        virtnetdConfigFree(tmp);
        virConfFree(conf);
        return -1;
    }
    virConfFree(conf);
    virtnetdConfigClear(cfg);
    *cfg = *tmp;
    g_free(tmp);
    return 0;
}


int
virtnetdConfigLoadFile(virtnetdConfig *cfg, const char *path)
{
    return virtnetdConfigLoad(cfg, virConfReadFile(path, virtnetdConfigSchema));
}


int
virtnetdConfigLoadString(virtnetdConfig *cfg, const char *content, const char *name)
{
    return virtnetdConfigLoad(cfg, virConfReadString(content, name, virtnetdConfigSchema));
}
