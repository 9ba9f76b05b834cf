/*
 * virtnetdconfig.h: virtnetd's configuration: libvirtd.conf's keys and
 * meanings, embedded defaults, loading from a file.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

typedef struct _virtnetdConfig virtnetdConfig;
struct _virtnetdConfig {
    /* listening */
    bool listen_tcp;
    bool listen_tls;
    char *tcp_port;
    char *tls_port;
    char *listen_addr;
    char *unix_sock_group;
    char *unix_sock_ro_perms;
    char *unix_sock_rw_perms;
    char *unix_sock_admin_perms;
    char *unix_sock_dir;
    /* authentication */
    int auth_unix_rw;     /* VIR_NET_SERVER_SERVICE_AUTH_* */
    int auth_unix_ro;
    int auth_tcp;
    int auth_tls;
    char **sasl_allowed_username_list;   /* NULL: every SASL user */
    unsigned int tcp_min_ssf;             /* SASL layer on plain TCP, >= 56 */
    char **tls_allowed_dn_list;
    char *key_file;
    char *cert_file;
    char *ca_file;
    char *crl_file;
    bool tls_no_verify_certificate;
    bool tls_no_sanity_certificate;
    char *tls_priority;
    unsigned int tls_handshake_timeout;   /* seconds, 0: no limit */
    unsigned int preauth_message_max;     /* bytes, before authentication */
    unsigned int preauth_buffer_max;
    /* limits */
    unsigned int max_clients;
    unsigned int max_queued_clients;
    unsigned int max_anonymous_clients;
    unsigned int min_workers;
    unsigned int max_workers;
    unsigned int prio_workers;
    unsigned int max_client_requests;
    int keepalive_interval;
    unsigned int keepalive_count;
    /* the admin server (libvirt-admin-sock), libvirtd's admin_* keys */
    unsigned int admin_min_workers;
    unsigned int admin_max_workers;
    unsigned int admin_max_clients;
    unsigned int admin_max_queued_clients;
    unsigned int admin_max_client_requests;
    int admin_keepalive_interval;
    unsigned int admin_keepalive_count;
    /* logging */
    unsigned int log_level;
    char *log_filters;
    char *log_outputs;
    /* where things live when no key says otherwise */
    char *pid_file;        /* from -p, else <run dir>/virtnetd.pid */
    bool privileged;       /* running as root */
};

/* Defaults: as libvirtd's, except that an unprivileged daemon puts its
 * sockets in $XDG_RUNTIME_DIR/virtnet (or /tmp/virtnet-UID), and unix
 * sockets need no authentication. */
virtnetdConfig *virtnetdConfigNew(bool privileged);
void virtnetdConfigFree(virtnetdConfig *cfg);
/* Apply the settings of a file. On error (syntax, unknown key, wrong type,
 * bad value) nothing in cfg changes and -1 is returned with an error that
 * names file, line and key. */
int virtnetdConfigLoadFile(virtnetdConfig *cfg, const char *path);
int virtnetdConfigLoadString(virtnetdConfig *cfg, const char *content, const char *name);
/* Parse "0770" style permissions. */
int virtnetdConfigParsePerms(const char *str, mode_t *mode);
