/*
 * vnobjects.c: the client objects beside domains (vnobjects.h): their
 * handles, the hooks of their generated calls (vnclientpriv.h), and the
 * calls the generator does not write (node devices, named by their name
 * on the wire).
 *
 * Ownership: an object holds a reference on its connection (vnConnectRef)
 * and drops it on its last ...Free. An object's fields never change after
 * it is made: no lock.
 */
#include <string.h>
#include <glib.h>

#include "vnclient.h"
#include "vnclientpriv.h"
#include "remote_protocol_client.h"

#define VIR_FROM_THIS VIR_FROM_NONE

/* Every kind of object is one of these. */
typedef struct {
    gint refs;
    vnConnect *conn;            /* a reference */
    char *name;                 /* NULL for a secret */
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *extra;                /* interface MAC, volume key, secret usage ID */
    char *pool;                 /* a volume's pool */
    int usageType;              /* a secret's */
} vnObject;

struct _vnNetwork { vnObject o; };
struct _vnStoragePool { vnObject o; };
struct _vnStorageVol { vnObject o; };
struct _vnInterface { vnObject o; };
struct _vnNodeDevice { vnObject o; };
struct _vnSecret { vnObject o; };

static void *
vnObjectNew(size_t size, vnConnect *conn, const char *name, const unsigned char *uuid,
            const char *extra)
{
    vnObject *o = g_malloc0(size);

    o->refs = 1;
    o->conn = vnConnectRef(conn);
    o->name = g_strdup(name);
    if (uuid)
        memcpy(o->uuid, uuid, VIR_UUID_BUFLEN);
    o->extra = g_strdup(extra);
    return o;
}

static void
vnObjectUnref(vnObject *o)
{
    if (!g_atomic_int_dec_and_test(&o->refs))
        return;
    vnConnectClose(o->conn);
    g_free(o->name);
    g_free(o->extra);
    g_free(o->pool);
    g_free(o);
}

/* An object argument: NULL (or not one) is code, as libvirt's checks. */
static bool
vnObjectCheck(const void *obj, int code, bool reset, const char *func)
{
    if (reset)
        virResetLastError();
    if (obj && ((const vnObject *)obj)->conn)
        return true;
    virErrorReportFull(VIR_FROM_THIS, code, __FILE__, func, __LINE__, "%s", func);
    return false;
}

/* Ref, Free and the call hook of one kind. */
#define VN_OBJECT_FUNCS(Type, code) \
    Type * \
    Type##Ref(Type *obj) \
    { \
        if (!vnObjectCheck(obj, code, false, __func__)) \
            return NULL; \
        g_atomic_int_inc(&obj->o.refs); \
        return obj; \
    } \
    \
    int \
    Type##Free(Type *obj) \
    { \
        if (!vnObjectCheck(obj, code, false, __func__)) \
            return -1; \
        vnObjectUnref(&obj->o); \
        return 0; \
    } \
    \
    vnConnect * \
    Type##CallConn(Type *obj) \
    { \
        return vnObjectCheck(obj, code, true, __func__) ? obj->o.conn : NULL; \
    }

VN_OBJECT_FUNCS(vnNetwork, VIR_ERR_INVALID_NETWORK)
VN_OBJECT_FUNCS(vnStoragePool, VIR_ERR_INVALID_STORAGE_POOL)
VN_OBJECT_FUNCS(vnStorageVol, VIR_ERR_INVALID_STORAGE_VOL)
VN_OBJECT_FUNCS(vnInterface, VIR_ERR_INVALID_INTERFACE)
VN_OBJECT_FUNCS(vnNodeDevice, VIR_ERR_INVALID_NODE_DEVICE)
VN_OBJECT_FUNCS(vnSecret, VIR_ERR_INVALID_SECRET)

/* A local accessor: the object checked without clearing the last error. */
#define VN_LOCAL(obj, code, ret) \
    do { \
        if (!vnObjectCheck(obj, code, false, __func__)) \
            return ret; \
    } while (0)

static int
vnObjectUUIDString(const vnObject *o, char *buf)
{
    if (!buf) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "buf must not be NULL");
        return -1;
    }
    vnUUIDFormat(o->uuid, buf);
    return 0;
}

/* ---- wire forms (they borrow the object's strings) ---- */

vnNetwork *
vnNetworkFromWire(vnConnect *conn, const remote_network *w)
{
    return vnObjectNew(sizeof(vnNetwork), conn, w->name, (const unsigned char *)w->uuid, NULL);
}

void
vnNetworkToWire(vnNetwork *net, remote_network *w)
{
    w->name = net->o.name;
    memcpy(w->uuid, net->o.uuid, VIR_UUID_BUFLEN);
}

vnStoragePool *
vnStoragePoolFromWire(vnConnect *conn, const remote_storage_pool *w)
{
    return vnObjectNew(sizeof(vnStoragePool), conn, w->name, (const unsigned char *)w->uuid,
                       NULL);
}

void
vnStoragePoolToWire(vnStoragePool *pool, remote_storage_pool *w)
{
    w->name = pool->o.name;
    memcpy(w->uuid, pool->o.uuid, VIR_UUID_BUFLEN);
}

vnStorageVol *
vnStorageVolFromWire(vnConnect *conn, const remote_storage_vol *w)
{
    vnStorageVol *vol = vnObjectNew(sizeof(vnStorageVol), conn, w->name, NULL, w->key);

    vol->o.pool = g_strdup(w->pool);
    return vol;
}

void
vnStorageVolToWire(vnStorageVol *vol, remote_storage_vol *w)
{
    w->pool = vol->o.pool;
    w->name = vol->o.name;
    w->key = vol->o.extra;
}

vnInterface *
vnInterfaceFromWire(vnConnect *conn, const remote_interface *w)
{
    return vnObjectNew(sizeof(vnInterface), conn, w->name, NULL, w->mac);
}

void
vnInterfaceToWire(vnInterface *iface, remote_interface *w)
{
    w->name = iface->o.name;
    w->mac = iface->o.extra;
}

vnNodeDevice *
vnNodeDeviceFromWire(vnConnect *conn, const remote_node_device *w)
{
    return vnObjectNew(sizeof(vnNodeDevice), conn, w->name, NULL, NULL);
}

void
vnNodeDeviceToWire(vnNodeDevice *dev, remote_node_device *w)
{
    w->name = dev->o.name;
}

vnSecret *
vnSecretFromWire(vnConnect *conn, const remote_secret *w)
{
    vnSecret *secret = vnObjectNew(sizeof(vnSecret), conn, NULL,
                                   (const unsigned char *)w->uuid, w->usage_id);

    secret->o.usageType = w->usage_type;
    return secret;
}

void
vnSecretToWire(vnSecret *secret, remote_secret *w)
{
    memcpy(w->uuid, secret->o.uuid, VIR_UUID_BUFLEN);
    w->usage_type = secret->o.usageType;
    w->usage_id = secret->o.extra;
}

/* ---- local accessors ---- */

/* Answered from the object itself, no call: a member, or the UUID as text. */
#define VN_GETTER(Type, What, rtype, code, fail, member) \
    rtype \
    vn##Type##Get##What(vn##Type *obj) \
    { \
        VN_LOCAL(obj, code, fail); \
        return obj->o.member; \
    }
#define VN_GET_UUID_STRING(Type, code) \
    int \
    vn##Type##GetUUIDString(vn##Type *obj, char *buf) \
    { \
        VN_LOCAL(obj, code, -1); \
        return vnObjectUUIDString(&obj->o, buf); \
    }

VN_GETTER(Network, Name, const char *, VIR_ERR_INVALID_NETWORK, NULL, name)
VN_GET_UUID_STRING(Network, VIR_ERR_INVALID_NETWORK)
VN_GETTER(StoragePool, Name, const char *, VIR_ERR_INVALID_STORAGE_POOL, NULL, name)
VN_GET_UUID_STRING(StoragePool, VIR_ERR_INVALID_STORAGE_POOL)
VN_GETTER(StorageVol, Name, const char *, VIR_ERR_INVALID_STORAGE_VOL, NULL, name)
VN_GETTER(StorageVol, Key, const char *, VIR_ERR_INVALID_STORAGE_VOL, NULL, extra)
VN_GETTER(Interface, Name, const char *, VIR_ERR_INVALID_INTERFACE, NULL, name)
VN_GETTER(Interface, MACString, const char *, VIR_ERR_INVALID_INTERFACE, NULL, extra)
VN_GETTER(NodeDevice, Name, const char *, VIR_ERR_INVALID_NODE_DEVICE, NULL, name)
VN_GET_UUID_STRING(Secret, VIR_ERR_INVALID_SECRET)
VN_GETTER(Secret, UsageType, int, VIR_ERR_INVALID_SECRET, -1, usageType)
VN_GETTER(Secret, UsageID, const char *, VIR_ERR_INVALID_SECRET, NULL, extra)

/* ---- node devices: calls by name ---- */

char *
vnNodeDeviceGetXMLDesc(vnNodeDevice *dev, unsigned int flags)
{
    remote_node_device_get_xml_desc_args args = { 0 };
    remote_node_device_get_xml_desc_ret ret = { 0 };
    vnConnect *conn = vnNodeDeviceCallConn(dev);

    if (!conn)
        return NULL;
    args.name = dev->o.name;
    args.flags = flags;
    if (remoteCallNodeDeviceGetXMLDesc(vnConnectCallProgram(conn), vnConnectCallClient(conn),
                                       &args, &ret) < 0)
        return NULL;
    return ret.xml;     /* the reply's only allocation */
}

char *
vnNodeDeviceGetParent(vnNodeDevice *dev)
{
    remote_node_device_get_parent_args args = { 0 };
    remote_node_device_get_parent_ret ret = { 0 };
    vnConnect *conn = vnNodeDeviceCallConn(dev);
    char *parent = NULL;

    if (!conn)
        return NULL;
    args.name = dev->o.name;
    if (remoteCallNodeDeviceGetParent(vnConnectCallProgram(conn), vnConnectCallClient(conn),
                                      &args, &ret) < 0)
        return NULL;
    if (ret.parent_name) {
        parent = *ret.parent_name;
        g_free(ret.parent_name);
    }
    return parent;
}

int
vnNodeDeviceNumOfCaps(vnNodeDevice *dev)
{
    remote_node_device_num_of_caps_args args = { 0 };
    remote_node_device_num_of_caps_ret ret = { 0 };
    vnConnect *conn = vnNodeDeviceCallConn(dev);

    if (!conn)
        return -1;
    args.name = dev->o.name;
    if (remoteCallNodeDeviceNumOfCaps(vnConnectCallProgram(conn), vnConnectCallClient(conn),
                                      &args, &ret) < 0)
        return -1;
    return ret.num;
}

int
vnNodeDeviceListCaps(vnNodeDevice *dev, char **names, int maxnames)
{
    remote_node_device_list_caps_args args = { 0 };
    remote_node_device_list_caps_ret ret = { 0 };
    vnConnect *conn = vnNodeDeviceCallConn(dev);
    u_int i;

    if (!conn)
        return -1;
    if (maxnames < 0 || (maxnames > 0 && !names) || maxnames > REMOTE_NODE_DEVICE_CAPS_LIST_MAX) {
        virReportError(VIR_ERR_INVALID_ARG, "maxnames %d out of range", maxnames);
        return -1;
    }
    args.name = dev->o.name;
    args.maxnames = maxnames;
    if (remoteCallNodeDeviceListCaps(vnConnectCallProgram(conn), vnConnectCallClient(conn),
                                     &args, &ret) < 0)
        return -1;
    if (ret.names.names_len > (u_int)maxnames) {
        xdr_free((xdrproc_t)xdr_remote_node_device_list_caps_ret, (char *)&ret);
        virReportError(VIR_ERR_RPC, "too many names in the reply: %u > %d",
                       ret.names.names_len, maxnames);
        return -1;
    }
    for (i = 0; i < ret.names.names_len; i++)
        names[i] = ret.names.names_val[i];
    g_free(ret.names.names_val);
    return (int)i;
}

/* ---- names ---- */

static const char *
vnNameOf(const char *const *names, size_t n, int value)
{
    if (value < 0 || (size_t)value >= n)
        return "unknown";
    return names[value];
}

const char *
vnStoragePoolStateToString(int state)
{
    static const char *const names[] = {
        "inactive", "building", "running", "degraded", "inaccessible",
    };

    return vnNameOf(names, G_N_ELEMENTS(names), state);
}

const char *
vnStorageVolTypeToString(int type)
{
    static const char *const names[] = {
        "file", "block", "dir", "network", "netdir", "ploop",
    };

    return vnNameOf(names, G_N_ELEMENTS(names), type);
}

const char *
vnSecretUsageTypeToString(int usageType)
{
    static const char *const names[] = {
        "none", "volume", "ceph", "iscsi", "tls", "vtpm",
    };

    return vnNameOf(names, G_N_ELEMENTS(names), usageType);
}
