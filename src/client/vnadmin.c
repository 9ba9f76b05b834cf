/*
 * vnadmin.c: the admin program's client calls we need (see vnadmin.h),
 * on the generated call stubs.
 *
 * Ownership: the connection owns its client and program. Locking: none of
 * its own (virNetClient serialises calls).
 */
#include <glib.h>

#include "vnadmin.h"
#include "vnclientpriv.h"
#include "admin_protocol_client.h"
#include "virerror.h"

struct _vnAdmConnect {
    virNetClient *client;
    virNetClientProgram *prog;
};


void
vnAdmConnectClose(vnAdmConnect *conn)
{
    if (!conn)
        return;
    if (conn->client) {
        /* as virt-admin: say goodbye, then close */
        adminCallConnectClose(conn->prog, conn->client);
        virNetClientClose(conn->client);
        virNetClientUnref(conn->client);
    }
    virNetClientProgramUnref(conn->prog);
    g_free(conn);
}


vnAdmConnect *
vnAdmConnectOpen(const char *path)
{
    g_autofree char *def = path ? NULL : vnDefaultSocketPath("libvirt-admin-sock");
    vnAdmConnect *conn = g_new0(vnAdmConnect, 1);
    admin_connect_open_args args = { 0 };

    conn->prog = adminClientProgramNew(NULL);
    if (!(conn->client = virNetClientNewUNIX(path ? path : def)) ||
        virNetClientAddProgram(conn->client, conn->prog) < 0 ||
        adminCallConnectOpen(conn->prog, conn->client, &args) < 0) {
        virNetClientUnref(conn->client);
        conn->client = NULL;
        vnAdmConnectClose(conn);
        return NULL;
    }
    return conn;
}


char **
vnAdmConnectListServers(vnAdmConnect *conn)
{
    admin_connect_list_servers_args args = { .need_results = 1 };
    admin_connect_list_servers_ret ret = { 0 };
    char **names;

    if (adminCallConnectListServers(conn->prog, conn->client, &args, &ret) < 0)
        return NULL;
    names = g_new0(char *, ret.servers.servers_len + 1);
    for (u_int i = 0; i < ret.servers.servers_len; i++)
        names[i] = g_steal_pointer(&ret.servers.servers_val[i].name);
    xdr_free((xdrproc_t)xdr_admin_connect_list_servers_ret, (char *)&ret);
    return names;
}


int
vnAdmServerGetMetrics(vnAdmConnect *conn, const char *server,
                      admin_server_get_metrics_ret *metrics)
{
    admin_server_get_metrics_args args = { .srv.name = (char *)server };

    memset(metrics, 0, sizeof(*metrics));
    return adminCallServerGetMetrics(conn->prog, conn->client, &args, metrics);
}


void
vnAdmMetricsFree(admin_server_get_metrics_ret *metrics)
{
    xdr_free((xdrproc_t)xdr_admin_server_get_metrics_ret, (char *)metrics);
}
