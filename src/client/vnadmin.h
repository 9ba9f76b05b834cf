/*
 * vnadmin.h: a small client of virtnetd's admin program, for what stock
 * virt-admin cannot ask: the per-procedure metrics (docs/admin.md).
 * Everything else of the admin program is virt-admin's.
 *
 * Ownership: a connection is one virNetClient; the metrics are the wire
 * structs (admin_protocol.h), the caller frees them with
 * vnAdmMetricsFree. Errors are the library's last error.
 */
#pragma once

#include "admin_protocol.h"

typedef struct _vnAdmConnect vnAdmConnect;

/* path NULL: libvirt-admin-sock in the default run directory. */
vnAdmConnect *vnAdmConnectOpen(const char *path);
void vnAdmConnectClose(vnAdmConnect *conn);

/* The servers' names, NULL-terminated (g_strfreev); NULL on error. */
char **vnAdmConnectListServers(vnAdmConnect *conn);

/* The metrics of one server; 0 or -1. */
int vnAdmServerGetMetrics(vnAdmConnect *conn, const char *server,
                          admin_server_get_metrics_ret *metrics);
void vnAdmMetricsFree(admin_server_get_metrics_ret *metrics);
