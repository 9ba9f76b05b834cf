/*
 * admin.c: the admin program's API on the daemon's servers (see admin.h).
 *
 * Ownership: the daemon object holds a reference on each server it
 * manages; the handles it returns are the caller's (virAdm*RefFree).
 * Locking: dmn->lock guards the server list (filled at start-up, read by
 * every call); it is never held while calling a server. The servers,
 * their clients and the thread pools lock themselves (virnetserver.h).
 * Every function here runs on a worker of the admin server, never on the
 * loop thread: some read files (TLS reload) or the user database.
 */
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "virconnect.h"
#include "virerror.h"
#include "virutil.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_ADMIN

VIR_LOG_INIT("daemon.admin");

/* The library version we report: we speak libvirt 9.0's protocol. */
#define ADMIN_LIB_VERSION 9000000ULL

struct _virAdmDaemon {
    GMutex lock;
    GPtrArray *servers;                 /* virNetServer *, references held */
    const virAdmDaemonHooks *hooks;
    void *opaque;
};


void
virAdmServerRefFree(virAdmServerRef *ref)
{
    if (!ref)
        return;
    g_free(ref->name);
    g_free(ref);
}

VIR_DEFINE_LIST_FREE(virAdmServerRef)


void
virAdmClientRefFree(virAdmClientRef *ref)
{
    if (!ref)
        return;
    g_free(ref->srv.name);
    g_free(ref);
}

VIR_DEFINE_LIST_FREE(virAdmClientRef)


virAdmDaemon *
virAdmDaemonNew(const virAdmDaemonHooks *hooks, void *opaque)
{
    virAdmDaemon *dmn = g_new0(virAdmDaemon, 1);

    g_mutex_init(&dmn->lock);
    dmn->servers = g_ptr_array_new_with_free_func((GDestroyNotify)virNetServerUnref);
    dmn->hooks = hooks;
    dmn->opaque = opaque;
    return dmn;
}


void
virAdmDaemonFree(virAdmDaemon *dmn)
{
    if (!dmn)
        return;
    g_ptr_array_unref(dmn->servers);
    g_mutex_clear(&dmn->lock);
    g_free(dmn);
}


void
virAdmDaemonAddServer(virAdmDaemon *dmn, virNetServer *srv)
{
    g_mutex_lock(&dmn->lock);
    g_ptr_array_add(dmn->servers, virNetServerRef(srv));
    g_mutex_unlock(&dmn->lock);
}


virNetServer *
virAdmDaemonGetServer(virAdmDaemon *dmn, const char *name)
{
    virNetServer *found = NULL;

    g_mutex_lock(&dmn->lock);
    for (guint i = 0; i < dmn->servers->len && !found; i++) {
        virNetServer *srv = g_ptr_array_index(dmn->servers, i);
        if (g_str_equal(virNetServerGetName(srv), name))
            found = virNetServerRef(srv);
    }
    g_mutex_unlock(&dmn->lock);
    if (!found)
        virReportError(VIR_ERR_NO_SERVER, "No server named '%s'", name);
    return found;
}


typedef virNetServer adminServerHold;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(adminServerHold, virNetServerUnref)
typedef virNetServerClient adminClientHold;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(adminClientHold, virNetServerClientUnref)


static virAdmServerRef *
adminServerRefNew(virNetServer *srv)
{
    virAdmServerRef *ref = g_new0(virAdmServerRef, 1);

    ref->name = g_strdup(virNetServerGetName(srv));
    return ref;
}


static virAdmClientRef *
adminClientRefNew(virNetServer *srv, virNetServerClient *client)
{
    virAdmClientRef *ref = g_new0(virAdmClientRef, 1);

    ref->srv.name = g_strdup(virNetServerGetName(srv));
    ref->id = virNetServerClientGetID(client);
    ref->timestamp = virNetServerClientGetTimestamp(client);
    ref->transport = virNetServerClientGetTransport(client);
    return ref;
}


/* ---- servers -------------------------------------------------------------- */

int
virAdmConnectGetLibVersion(virAdmDaemon *dmn G_GNUC_UNUSED, unsigned long long *libVer)
{
    *libVer = ADMIN_LIB_VERSION;
    return 0;
}


int
virAdmConnectListServers(virAdmDaemon *dmn, virAdmServerRef ***servers, unsigned int flags)
{
    int n;

    virDriverCheckFlags(flags, 0, -1);
    g_mutex_lock(&dmn->lock);
    n = dmn->servers->len;
    if (servers) {
        *servers = g_new0(virAdmServerRef *, n + 1);
        for (int i = 0; i < n; i++)
            (*servers)[i] = adminServerRefNew(g_ptr_array_index(dmn->servers, i));
    }
    g_mutex_unlock(&dmn->lock);
    return n;
}


virAdmServerRef *
virAdmConnectLookupServer(virAdmDaemon *dmn, const char *name, unsigned int flags)
{
    g_autoptr(adminServerHold) srv = NULL;

    virDriverCheckFlags(flags, 0, NULL);
    if (!(srv = virAdmDaemonGetServer(dmn, name)))
        return NULL;
    return adminServerRefNew(srv);
}


/* UINT typed parameters names[i] = values[i], in that order. */
static int
adminUIntParams(const char *const *names, const size_t *values, size_t n,
                virTypedParameter **params, int *nparams)
{
    int max = 0;

    *params = NULL;
    *nparams = 0;
    for (size_t i = 0; i < n; i++) {
        if (virTypedParamsAddUInt(params, nparams, &max, names[i], values[i]) < 0) {
            virTypedParamsFree(*params, *nparams);
            *params = NULL;
            *nparams = 0;
            return -1;
        }
    }
    return 0;
}


/* The server of a setter, once its parameters passed libvirt's checks. */
static virNetServer *
adminServerForSet(virAdmDaemon *dmn, const virAdmServerRef *ref,
                  const virTypedParameter *params, int nparams,
                  const virTypedParamsKey *keys, size_t nkeys)
{
    virNetServer *srv = virAdmDaemonGetServer(dmn, ref->name);

    if (srv && virTypedParamsValidate(params, nparams, keys, nkeys) < 0)
        g_clear_pointer(&srv, virNetServerUnref);
    return srv;
}


int
virAdmServerGetThreadpoolParameters(virAdmDaemon *dmn, const virAdmServerRef *ref,
                                    virTypedParameter **params, int *nparams,
                                    unsigned int flags)
{
    /* libvirt's names and order (libvirt-admin.h's VIR_THREADPOOL_*). */
    static const char *const names[] = {
        "minWorkers", "maxWorkers", "nWorkers", "freeWorkers", "prioWorkers", "jobQueueDepth",
    };
    g_autoptr(adminServerHold) srv = NULL;
    virNetServerThreadPoolInfo info;

    virDriverCheckFlags(flags, 0, -1);
    if (!(srv = virAdmDaemonGetServer(dmn, ref->name)))
        return -1;
    virNetServerGetThreadPoolInfo(srv, &info);
    return adminUIntParams(names, (size_t[]){ info.minWorkers, info.maxWorkers, info.nWorkers,
                                              info.freeWorkers, info.prioWorkers,
                                              info.jobQueueDepth },
                           G_N_ELEMENTS(names), params, nparams);
}


/* The value of an optional UINT parameter, or -1 when absent ("keep"). */
static long long
adminParamUInt(const virTypedParameter *params, int nparams, const char *name)
{
    const virTypedParameter *p = virTypedParamsGet(params, nparams, name);

    return p ? (long long)p->value.ui : -1;
}


int
virAdmServerSetThreadpoolParameters(virAdmDaemon *dmn, const virAdmServerRef *ref,
                                    virTypedParameter *params, int nparams,
                                    unsigned int flags)
{
    static const virTypedParamsKey keys[] = {
        { "minWorkers", VIR_TYPED_PARAM_UINT },
        { "maxWorkers", VIR_TYPED_PARAM_UINT },
        { "prioWorkers", VIR_TYPED_PARAM_UINT },
    };
    g_autoptr(adminServerHold) srv = NULL;

    virDriverCheckFlags(flags, 0, -1);
    if (!(srv = adminServerForSet(dmn, ref, params, nparams, keys, G_N_ELEMENTS(keys))))
        return -1;
    return virNetServerSetThreadPoolParameters(srv,
                                               adminParamUInt(params, nparams, "minWorkers"),
                                               adminParamUInt(params, nparams, "maxWorkers"),
                                               adminParamUInt(params, nparams, "prioWorkers"));
}


/* ---- clients -------------------------------------------------------------- */

static gint
adminClientCompareID(gconstpointer a, gconstpointer b)
{
    unsigned long long x = virNetServerClientGetID(*(virNetServerClient *const *)a);
    unsigned long long y = virNetServerClientGetID(*(virNetServerClient *const *)b);

    return x < y ? -1 : x > y;
}


int
virAdmServerListClients(virAdmDaemon *dmn, const virAdmServerRef *ref,
                        virAdmClientRef ***clients, unsigned int flags)
{
    g_autoptr(adminServerHold) srv = NULL;
    g_autoptr(GPtrArray) list = NULL;

    virDriverCheckFlags(flags, 0, -1);
    if (!(srv = virAdmDaemonGetServer(dmn, ref->name)))
        return -1;
    list = virNetServerGetClients(srv);
    /* In the order they connected, as libvirtd lists them. */
    g_ptr_array_sort(list, adminClientCompareID);
    if (clients) {
        *clients = g_new0(virAdmClientRef *, list->len + 1);
        for (guint i = 0; i < list->len; i++)
            (*clients)[i] = adminClientRefNew(srv, g_ptr_array_index(list, i));
    }
    return list->len;
}


/* The server and the client a handle names, with references. */
static int
adminLookupClient(virAdmDaemon *dmn, const virAdmClientRef *ref,
                  virNetServer **srv, virNetServerClient **client)
{
    if (!(*srv = virAdmDaemonGetServer(dmn, ref->srv.name)))
        return -1;
    if (!(*client = virNetServerLookupClient(*srv, ref->id))) {
        g_clear_pointer(srv, virNetServerUnref);
        return -1;
    }
    return 0;
}


virAdmClientRef *
virAdmServerLookupClient(virAdmDaemon *dmn, const virAdmServerRef *ref,
                         unsigned long long id, unsigned int flags)
{
    g_autoptr(adminServerHold) srv = NULL;
    g_autoptr(adminClientHold) client = NULL;

    virDriverCheckFlags(flags, 0, NULL);
    if (!(srv = virAdmDaemonGetServer(dmn, ref->name)) ||
        !(client = virNetServerLookupClient(srv, id)))
        return NULL;
    return adminClientRefNew(srv, client);
}


/* libvirt's sock_addr: "ADDR:PORT", an IPv6 address in brackets. Ours is
 * "ADDR;PORT". */
static char *
adminSocketAddrURI(const char *addr)
{
    const char *semi = strrchr(addr, ';');

    if (!semi)
        return g_strdup(addr);
    if (memchr(addr, ':', semi - addr))
        return g_strdup_printf("[%.*s]:%s", (int)(semi - addr), addr, semi + 1);
    return g_strdup_printf("%.*s:%s", (int)(semi - addr), addr, semi + 1);
}


/* The name of a user (group false) or group ID, NULL when unknown. */
static char *
adminIdentityName(unsigned int id, bool group)
{
    char buf[4096];

    if (group) {
        struct group grbuf, *gr = NULL;

        if (getgrgid_r(id, &grbuf, buf, sizeof(buf), &gr) == 0 && gr)
            return g_strdup(gr->gr_name);
    } else {
        struct passwd pwbuf, *pw = NULL;

        if (getpwuid_r(id, &pwbuf, buf, sizeof(buf), &pw) == 0 && pw)
            return g_strdup(pw->pw_name);
    }
    return NULL;
}


/* What libvirtd tells of a client, in its order: readonly, the SASL
 * identity, then for a TCP / TLS peer its address and certificate DN, for
 * a UNIX one its credentials and their names. */
static int
adminClientInfo(virNetServerClient *client, virTypedParameter **params, int *nparams)
{
    int max = 0;
    const char *sasl = virNetServerClientGetSASLUsername(client);

    if (virTypedParamsAddBoolean(params, nparams, &max, "readonly",
                                 virNetServerClientGetReadonly(client)) < 0)
        return -1;
    if (sasl && virTypedParamsAddString(params, nparams, &max, "sasl_user_name", sasl) < 0)
        return -1;
    if (!virNetServerClientIsLocal(client)) {
        g_autofree char *addr =
            adminSocketAddrURI(virNetServerClientRemoteAddrString(client));
        const char *dn = virNetServerClientGetTLSPeerDN(client);

        if (virTypedParamsAddString(params, nparams, &max, "sock_addr", addr) < 0 ||
            (dn && virTypedParamsAddString(params, nparams, &max, "tls_x509_dname", dn) < 0))
            return -1;
    } else {
        uid_t uid;
        gid_t gid;
        pid_t pid;

        if (virNetServerClientGetUNIXIdentity(client, &uid, &gid, &pid) == 0) {
            g_autofree char *user = adminIdentityName(uid, false);
            g_autofree char *group = adminIdentityName(gid, true);

            if (virTypedParamsAddInt(params, nparams, &max, "unix_user_id", uid) < 0 ||
                (user && virTypedParamsAddString(params, nparams, &max,
                                                 "unix_user_name", user) < 0) ||
                virTypedParamsAddInt(params, nparams, &max, "unix_group_id", gid) < 0 ||
                (group && virTypedParamsAddString(params, nparams, &max,
                                                  "unix_group_name", group) < 0) ||
                virTypedParamsAddInt(params, nparams, &max, "unix_process_id", pid) < 0)
                return -1;
        }
    }
    return 0;
}


int
virAdmClientGetInfo(virAdmDaemon *dmn, const virAdmClientRef *ref,
                    virTypedParameter **params, int *nparams, unsigned int flags)
{
    g_autoptr(adminServerHold) srv = NULL;
    g_autoptr(adminClientHold) client = NULL;

    virDriverCheckFlags(flags, 0, -1);
    if (adminLookupClient(dmn, ref, &srv, &client) < 0)
        return -1;
    *params = NULL;
    *nparams = 0;
    if (adminClientInfo(client, params, nparams) < 0) {
        virTypedParamsFree(*params, *nparams);
        *params = NULL;
        *nparams = 0;
        return -1;
    }
    return 0;
}


int
virAdmClientClose(virAdmDaemon *dmn, const virAdmClientRef *ref, unsigned int flags)
{
    g_autoptr(adminServerHold) srv = NULL;
    g_autoptr(adminClientHold) client = NULL;

    virDriverCheckFlags(flags, 0, -1);
    if (adminLookupClient(dmn, ref, &srv, &client) < 0)
        return -1;
    VIR_INFO("%s: closing client %llu on request", virNetServerGetName(srv), ref->id);
    virNetServerClientClose(client);
    return 0;
}


int
virAdmServerGetClientLimits(virAdmDaemon *dmn, const virAdmServerRef *ref,
                            virTypedParameter **params, int *nparams, unsigned int flags)
{
    static const char *const names[] = {
        "nclients_max", "nclients", "nclients_unauth_max", "nclients_unauth",
    };
    g_autoptr(adminServerHold) srv = NULL;
    virNetServerClientLimits lim;

    virDriverCheckFlags(flags, 0, -1);
    if (!(srv = virAdmDaemonGetServer(dmn, ref->name)))
        return -1;
    virNetServerGetClientLimits(srv, &lim);
    return adminUIntParams(names, (size_t[]){ lim.maxClients, lim.nClients,
                                              lim.maxUnauthClients, lim.nUnauthClients },
                           G_N_ELEMENTS(names), params, nparams);
}


int
virAdmServerSetClientLimits(virAdmDaemon *dmn, const virAdmServerRef *ref,
                            virTypedParameter *params, int nparams, unsigned int flags)
{
    static const virTypedParamsKey keys[] = {
        { "nclients_max", VIR_TYPED_PARAM_UINT },
        { "nclients_unauth_max", VIR_TYPED_PARAM_UINT },
    };
    g_autoptr(adminServerHold) srv = NULL;

    virDriverCheckFlags(flags, 0, -1);
    if (!(srv = adminServerForSet(dmn, ref, params, nparams, keys, G_N_ELEMENTS(keys))))
        return -1;
    return virNetServerSetClientLimits(srv, adminParamUInt(params, nparams, "nclients_max"),
                                       adminParamUInt(params, nparams,
                                                      "nclients_unauth_max"));
}


int
virAdmServerUpdateTLSFiles(virAdmDaemon *dmn, const virAdmServerRef *ref, unsigned int flags)
{
    g_autoptr(adminServerHold) srv = NULL;

    virDriverCheckFlags(flags, 0, -1);
    if (!(srv = virAdmDaemonGetServer(dmn, ref->name)))
        return -1;
    return virNetServerUpdateTLSFiles(srv);
}


/* ---- logging and the daemon ---------------------------------------------- */

static int
adminCountWords(const char *str)
{
    g_auto(GStrv) words = g_strsplit_set(str ? str : "", " \t\n", -1);
    int n = 0;

    for (size_t i = 0; words[i]; i++)
        n += words[i][0] != '\0';
    return n;
}


int
virAdmConnectGetLoggingOutputs(virAdmDaemon *dmn G_GNUC_UNUSED, char **outputs,
                               unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    *outputs = virLogGetOutputs();
    return adminCountWords(*outputs);
}


int
virAdmConnectGetLoggingFilters(virAdmDaemon *dmn G_GNUC_UNUSED, char **filters,
                               unsigned int flags)
{
    g_autofree char *ours = NULL;
    g_auto(GStrv) words = NULL;
    GString *out;
    int n = 0;

    virDriverCheckFlags(flags, 0, -1);
    ours = virLogGetFilters();
    words = g_strsplit_set(ours, " \t\n", -1);
    out = g_string_new(NULL);
    /* libvirtd prints the glob each filter matches with ("*MATCH*"), each
     * followed by a space, without the "+" flag. */
    for (size_t i = 0; words[i]; i++) {
        const char *w = words[i];
        const char *colon;

        if (!*w)
            continue;
        if (*w == '+')
            w++;
        colon = strchr(w, ':');
        g_string_append_printf(out, "%.*s:*%s* ", (int)(colon - w), w, colon + 1);
        n++;
    }
    *filters = n ? g_string_free(out, FALSE) : NULL;
    if (!n)
        g_string_free(out, TRUE);
    return n;
}


/* Replace a logging setting live (all or nothing), and say so. */
static int
virAdmSetLogging(int (*set)(const char *), const char *what, const char *value)
{
    if (set(value) < 0)
        return -1;
    VIR_INFO("log %s set to '%s'", what, value ? value : "");
    return 0;
}


int
virAdmConnectSetLoggingOutputs(virAdmDaemon *dmn G_GNUC_UNUSED, const char *outputs,
                               unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    return virAdmSetLogging(virLogSetOutputs, "outputs", outputs);
}


int
virAdmConnectSetLoggingFilters(virAdmDaemon *dmn G_GNUC_UNUSED, const char *filters,
                               unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    return virAdmSetLogging(virLogSetFilters, "filters", filters);
}


int
virAdmConnectSetDaemonTimeout(virAdmDaemon *dmn, unsigned int timeout, unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    if (!dmn->hooks || !dmn->hooks->setTimeout) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "this daemon has no idle timeout");
        return -1;
    }
    return dmn->hooks->setTimeout(timeout, dmn->opaque);
}
