/*
 * virtnetobjects.c: virtnet's commands on the objects beside domains, with
 * virsh's names, options and output: a list and an info (or XML) command
 * per kind, and a volume's upload and download through a stream. The
 * objects are looked up as virsh does (a UUID or a name; a volume by name
 * in --pool, else by key or path).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "virtnet.h"
#include "virutil.h"

/* virsh's vshPrettyCapacity */
static double
vnPrettyCapacity(unsigned long long val, const char **unit)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double limit = 1024;
    size_t i;

    for (i = 0; i + 1 < G_N_ELEMENTS(units) && val >= limit; i++)
        limit *= 1024;
    *unit = units[i];
    return val / (limit / 1024);
}

static void
vnPrintSize(const char *label, unsigned long long val, bool bytes, const char *bytesUnit)
{
    const char *unit;
    double v;

    if (bytes) {
        printf("%-15s %llu%s%s\n", label, val, bytesUnit ? " " : "", bytesUnit ? bytesUnit : "");
        return;
    }
    v = vnPrettyCapacity(val, &unit);
    printf("%-15s %2.2lf %s\n", label, v, unit);
}

static const char *
vnYesNo(int v)
{
    return v ? "yes" : "no";
}

/* The list flags of --all / --inactive (the active ones by default). */
static unsigned int
vnListFlags(vnCmdArgs *a)
{
    if (vnOptBool(a, "all"))
        return 0;
    return vnOptBool(a, "inactive") ? 1 : 2;    /* *_INACTIVE, *_ACTIVE: the same bits */
}

static bool
vnNoArgs(vnCmdArgs *a)
{
    if (a->args->len > 0) {
        vnError("unexpected data '%s'", (char *)g_ptr_array_index(a->args, 0));
        return false;
    }
    return true;
}

static bool
vnListFailed(const char *what)
{
    vnError("Failed to list %s", what);
    vnReportLibError();
    return false;
}

static GPtrArray *
vnTableNew(const char *header)
{
    GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);

    g_ptr_array_add(rows, g_strsplit(header, "|", -1));
    return rows;
}

/* Rows after the header sorted by their first cell, case-insensitively
 * (virsh's sorters). */
static gint
vnRowCompare(gconstpointer a, gconstpointer b)
{
    return g_ascii_strcasecmp((*(char **const *)a)[0], (*(char **const *)b)[0]);
}

static gint
vnNameCompare(gconstpointer a, gconstpointer b)
{
    return g_ascii_strcasecmp(*(char *const *)a, *(char *const *)b);
}

static void
vnTablePrint(GPtrArray *rows, size_t ncols)
{
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();
    guint i;

    for (i = 1; i < rows->len; i++)
        g_ptr_array_add(sorted, g_ptr_array_index(rows, i));
    g_ptr_array_sort(sorted, vnRowCompare);
    g_ptr_array_insert(sorted, 0, g_ptr_array_index(rows, 0));
    vnPrintTable(sorted, ncols);
}

static bool
vnIsUUID(const char *s, unsigned char *uuid)
{
    return strlen(s) == VIR_UUID_STRING_BUFLEN - 1 && vnUUIDParse(s, uuid) == 0;
}

static bool
vnPrintXML(char *xml)
{
    if (!xml) {
        vnReportLibError();
        return false;
    }
    printf("%s", xml);
    free(xml);
    return true;
}

/* ---- networks -------------------------------------------------------------- */

static vnNetwork *
vnLookupNetwork(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "network");
    unsigned char uuid[VIR_UUID_BUFLEN];
    vnNetwork *net = NULL;

    if (!name)
        return NULL;
    if (vnIsUUID(name, uuid))
        net = vnNetworkLookupByUUID(ctl->conn, uuid);
    if (!net)
        net = vnNetworkLookupByName(ctl->conn, name);
    if (!net) {
        vnError("failed to get network '%s'", name);
        vnReportLibError();
    }
    return net;
}

static bool
cmdNetList(vnCtl *ctl, const char *cmd G_GNUC_UNUSED, vnCmdArgs *a)
{
    g_autoptr(GPtrArray) rows = vnTableNew("Name|State|Autostart|Persistent");
    vnNetwork **nets = NULL;
    int n, i;

    if (!vnNoArgs(a))
        return false;
    if ((n = vnConnectListAllNetworks(ctl->conn, &nets, vnListFlags(a))) < 0)
        return vnListFailed("networks");
    for (i = 0; i < n; i++) {
        int autostart;
        char **row = g_new0(char *, 5);

        row[0] = g_strdup(vnNetworkGetName(nets[i]));
        row[1] = g_strdup(vnNetworkIsActive(nets[i]) > 0 ? "active" : "inactive");
        row[2] = g_strdup(vnNetworkGetAutostart(nets[i], &autostart) < 0 ? "no autostart"
                                                                        : vnYesNo(autostart));
        row[3] = g_strdup(vnYesNo(vnNetworkIsPersistent(nets[i]) > 0));
        g_ptr_array_add(rows, row);
        vnNetworkFree(nets[i]);
    }
    free(nets);
    vnTablePrint(rows, 4);
    return true;
}

static bool
cmdNetInfo(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    vnNetwork *net = vnLookupNetwork(ctl, cmd, a);
    char uuid[VIR_UUID_STRING_BUFLEN];
    char *bridge;
    int v, autostart;

    if (!net)
        return false;
    printf("%-15s %s\n", "Name:", vnNetworkGetName(net));
    if (vnNetworkGetUUIDString(net, uuid) == 0)
        printf("%-15s %s\n", "UUID:", uuid);
    if ((v = vnNetworkIsActive(net)) >= 0)
        printf("%-15s %s\n", "Active:", vnYesNo(v));
    v = vnNetworkIsPersistent(net);
    printf("%-15s %s\n", "Persistent:", v < 0 ? "unknown" : vnYesNo(v));
    if (vnNetworkGetAutostart(net, &autostart) < 0)
        printf("%-15s %s\n", "Autostart:", "no autostart");
    else
        printf("%-15s %s\n", "Autostart:", vnYesNo(autostart));
    if ((bridge = vnNetworkGetBridgeName(net))) {
        printf("%-15s %s\n", "Bridge:", bridge);
        free(bridge);
    }
    vnNetworkFree(net);
    return true;
}

static bool
cmdNetDumpxml(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    vnNetwork *net = vnLookupNetwork(ctl, cmd, a);
    bool ok;

    if (!net)
        return false;
    ok = vnPrintXML(vnNetworkGetXMLDesc(net, vnOptBool(a, "inactive") ?
                                        VIR_NETWORK_XML_INACTIVE : 0));
    vnNetworkFree(net);
    return ok;
}

/* ---- storage pools ------------------------------------------------------------ */

static vnStoragePool *
vnLookupPoolNamed(vnCtl *ctl, const char *name)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    vnStoragePool *pool = NULL;

    if (vnIsUUID(name, uuid))
        pool = vnStoragePoolLookupByUUID(ctl->conn, uuid);
    if (!pool)
        pool = vnStoragePoolLookupByName(ctl->conn, name);
    if (!pool) {
        vnError("failed to get pool '%s'", name);
        vnReportLibError();
    }
    return pool;
}

static vnStoragePool *
vnLookupPool(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "pool");

    return name ? vnLookupPoolNamed(ctl, name) : NULL;
}

static bool
cmdPoolList(vnCtl *ctl, const char *cmd G_GNUC_UNUSED, vnCmdArgs *a)
{
    g_autoptr(GPtrArray) rows = vnTableNew("Name|State|Autostart");
    vnStoragePool **pools = NULL;
    int n, i;

    if (!vnNoArgs(a))
        return false;
    if ((n = vnConnectListAllStoragePools(ctl->conn, &pools, vnListFlags(a))) < 0)
        return vnListFailed("pools");
    for (i = 0; i < n; i++) {
        int autostart;
        char **row = g_new0(char *, 4);

        row[0] = g_strdup(vnStoragePoolGetName(pools[i]));
        row[1] = g_strdup(vnStoragePoolIsActive(pools[i]) > 0 ? "active" : "inactive");
        row[2] = g_strdup(vnStoragePoolGetAutostart(pools[i], &autostart) < 0 ?
                          "no autostart" : vnYesNo(autostart));
        g_ptr_array_add(rows, row);
        vnStoragePoolFree(pools[i]);
    }
    free(pools);
    vnTablePrint(rows, 3);
    return true;
}

static bool
cmdPoolInfo(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    vnStoragePool *pool = vnLookupPool(ctl, cmd, a);
    bool bytes = vnOptBool(a, "bytes");
    char uuid[VIR_UUID_STRING_BUFLEN];
    virStoragePoolInfo info;
    int v, autostart;

    if (!pool)
        return false;
    printf("%-15s %s\n", "Name:", vnStoragePoolGetName(pool));
    if (vnStoragePoolGetUUIDString(pool, uuid) == 0)
        printf("%-15s %s\n", "UUID:", uuid);
    if (vnStoragePoolGetInfo(pool, &info) == 0) {
        printf("%-15s %s\n", "State:", vnStoragePoolStateToString(info.state));
        v = vnStoragePoolIsPersistent(pool);
        printf("%-15s %s\n", "Persistent:", v < 0 ? "unknown" : vnYesNo(v));
        if (vnStoragePoolGetAutostart(pool, &autostart) < 0)
            printf("%-15s %s\n", "Autostart:", "no autostart");
        else
            printf("%-15s %s\n", "Autostart:", vnYesNo(autostart));
        if (info.state == VIR_STORAGE_POOL_RUNNING || info.state == VIR_STORAGE_POOL_DEGRADED) {
            vnPrintSize("Capacity:", info.capacity, bytes, NULL);
            vnPrintSize("Allocation:", info.allocation, bytes, NULL);
            vnPrintSize("Available:", info.available, bytes, NULL);
        }
    } else {
        vnReportLibError();
        vnStoragePoolFree(pool);
        return false;
    }
    vnStoragePoolFree(pool);
    return true;
}

static bool
cmdPoolDumpxml(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    vnStoragePool *pool = vnLookupPool(ctl, cmd, a);
    bool ok;

    if (!pool)
        return false;
    ok = vnPrintXML(vnStoragePoolGetXMLDesc(pool, vnOptBool(a, "inactive") ?
                                            VIR_STORAGE_XML_INACTIVE : 0));
    vnStoragePoolFree(pool);
    return ok;
}

/* ---- storage volumes ----------------------------------------------------------- */

/* virsh: by name in --pool, then by key, then by path. */
static vnStorageVol *
vnLookupVolNamed(vnCtl *ctl, const char *name, const char *poolName)
{
    vnStorageVol *vol = NULL;

    if (poolName) {
        vnStoragePool *pool = vnLookupPoolNamed(ctl, poolName);

        if (!pool)
            return NULL;
        vol = vnStorageVolLookupByName(pool, name);
        vnStoragePoolFree(pool);
    }
    if (!vol && !(vol = vnStorageVolLookupByKey(ctl->conn, name)))
        vol = vnStorageVolLookupByPath(ctl->conn, name);
    if (!vol) {
        if (poolName)
            vnError("failed to get vol '%s'", name);
        else
            vnError("failed to get vol '%s', specifying --pool might help", name);
        vnReportLibError();
    }
    return vol;
}

static vnStorageVol *
vnLookupVol(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "vol");

    return name ? vnLookupVolNamed(ctl, name, vnOptString(a, "pool")) : NULL;
}

static bool
cmdVolList(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    g_autoptr(GPtrArray) rows = vnTableNew("Name|Path");
    vnStoragePool *pool = vnLookupPool(ctl, cmd, a);
    vnStorageVol **vols = NULL;
    int n, i;

    if (!pool)
        return false;
    n = vnStoragePoolListAllVolumes(pool, &vols, 0);
    vnStoragePoolFree(pool);
    if (n < 0)
        return vnListFailed("volumes");
    for (i = 0; i < n; i++) {
        char **row = g_new0(char *, 3);
        char *path = vnStorageVolGetPath(vols[i]);

        row[0] = g_strdup(vnStorageVolGetName(vols[i]));
        row[1] = g_strdup(path ? path : "");
        free(path);
        g_ptr_array_add(rows, row);
        vnStorageVolFree(vols[i]);
    }
    free(vols);
    vnTablePrint(rows, 2);
    return true;
}

static bool
cmdVolInfo(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    vnStorageVol *vol = vnLookupVol(ctl, cmd, a);
    bool bytes = vnOptBool(a, "bytes");
    bool physical = vnOptBool(a, "physical");
    virStorageVolInfo info;
    int rc;

    if (!vol)
        return false;
    printf("%-15s %s\n", "Name:", vnStorageVolGetName(vol));
    if (physical)
        rc = vnStorageVolGetInfoFlags(vol, &info, VIR_STORAGE_VOL_GET_PHYSICAL);
    else
        rc = vnStorageVolGetInfo(vol, &info);
    if (rc < 0) {
        vnReportLibError();
        vnStorageVolFree(vol);
        return false;
    }
    printf("%-15s %s\n", "Type:", vnStorageVolTypeToString(info.type));
    vnPrintSize("Capacity:", info.capacity, bytes, "bytes");
    vnPrintSize(physical ? "Physical:" : "Allocation:", info.allocation, bytes, "bytes");
    vnStorageVolFree(vol);
    return true;
}

/* ---- vol-upload / vol-download: a file through a stream ---- */

typedef struct {
    int fd;
    bool isBlock;
} vnVolFile;

static int
vnVolFileRead(vnStream *st G_GNUC_UNUSED, char *data, size_t nbytes, void *opaque)
{
    vnVolFile *f = opaque;
    ssize_t n;

    do {
        n = read(f->fd, data, nbytes);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -1 : (int)n;
}

static int
vnVolFileWrite(vnStream *st G_GNUC_UNUSED, const char *data, size_t nbytes, void *opaque)
{
    return vnWriteAll(((vnVolFile *)opaque)->fd, data, nbytes);
}

/* Upload's hole function: is the file's position in data, and for how
 * long (a block device is all data). */
static int
vnVolFileInData(vnStream *st G_GNUC_UNUSED, int *inData, long long *length, void *opaque)
{
    vnVolFile *f = opaque;
    struct stat sb;
    off_t cur, start, end;

    if (f->isBlock) {
        *inData = 1;
        *length = 1024 * 1024;   /* read() finds the real end */
        return 0;
    }
    /* (the extent's lseeks move the offset: put it back) */
    if ((cur = lseek(f->fd, 0, SEEK_CUR)) < 0 || fstat(f->fd, &sb) < 0 ||
        virFileDataExtent(f->fd, cur, MAX(sb.st_size, cur), &start, &end) < 0 ||
        lseek(f->fd, cur, SEEK_SET) < 0) {
        vnError("Unable to get current position in stream");
        return -1;
    }
    *inData = start == cur && end > cur;
    *length = *inData ? end - cur : start - cur;
    return 0;
}

static int
vnVolFileSkip(vnStream *st G_GNUC_UNUSED, long long length, void *opaque)
{
    vnVolFile *f = opaque;

    return lseek(f->fd, length, SEEK_CUR) < 0 ? -1 : 0;
}

/* Download's hole function: a hole in a file, zeroes on a block device. */
static int
vnVolFileHole(vnStream *st, long long length, void *opaque)
{
    vnVolFile *f = opaque;
    off_t cur;

    if (f->isBlock) {
        static const char zeroes[64 * 1024];

        while (length > 0) {
            size_t n = MIN((long long)sizeof(zeroes), length);

            if (vnVolFileWrite(st, zeroes, n, opaque) < 0)
                return -1;
            length -= n;
        }
        return 0;
    }
    if ((cur = lseek(f->fd, length, SEEK_CUR)) < 0 || ftruncate(f->fd, cur) < 0)
        return -1;
    return 0;
}

/* VOL FILE [--pool P] [--offset N] [--length N] [--sparse], as virsh's:
 * its messages, its order of checks, the file made by a failed download
 * removed. */
static bool
vnVolTransfer(vnCtl *ctl, const char *cmd, vnCmdArgs *a, bool upload)
{
    unsigned long long offset = 0, length = 0;
    bool sparse = vnOptBool(a, "sparse");
    const char *name, *file;
    vnStorageVol *vol = NULL;
    vnStream *st = NULL;
    vnVolFile f = { -1, false };
    struct stat sb;
    bool created = false, ok = false;
    int rc;

    if (vnOptULongLong(a, "offset", &offset, false) < 0 ||
        vnOptULongLong(a, "length", &length, true) < 0)
        return false;
    if (a->args->len < 1) {
        vnError("command '%s' requires <vol> option", cmd);
        return false;
    }
    name = g_ptr_array_index(a->args, 0);
    if (!(vol = vnLookupVolNamed(ctl, name, vnOptString(a, "pool"))))
        return false;
    if (a->args->len < 2 || a->args->len > 2) {
        if (a->args->len < 2)
            vnError("command '%s' requires <file> option", cmd);
        else
            vnError("unexpected data '%s'", (char *)g_ptr_array_index(a->args, 2));
        goto cleanup;
    }
    file = g_ptr_array_index(a->args, 1);
    if (upload) {
        if ((f.fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
            vnError("cannot read %s", file);
            goto cleanup;
        }
    } else if ((f.fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) >= 0) {
        created = true;
    } else if (errno != EEXIST || (f.fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0) {
        vnError("cannot create %s", file);
        goto cleanup;
    }
    if (fstat(f.fd, &sb) < 0) {
        vnError("unable to stat %s", file);
        goto cleanup;
    }
    f.isBlock = S_ISBLK(sb.st_mode);
    if (!(st = vnStreamNew(ctl->conn, 0))) {
        vnError("cannot create a new stream");
        vnReportLibError();
        goto cleanup;
    }
    if (upload)
        rc = vnStorageVolUpload(vol, st, offset, length,
                                sparse ? VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM : 0);
    else
        rc = vnStorageVolDownload(vol, st, offset, length,
                                  sparse ? VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM : 0);
    if (rc < 0) {
        vnError(upload ? "cannot upload to volume %s" : "cannot download from volume %s", name);
        vnReportLibError();
        goto cleanup;
    }
    /* (the *All helpers end with the stream's finish) */
    if (upload && sparse)
        rc = vnStreamSparseSendAll(st, vnVolFileRead, vnVolFileInData, vnVolFileSkip, &f);
    else if (upload)
        rc = vnStreamSendAll(st, vnVolFileRead, &f);
    else
        rc = vnStreamSparseRecvAll(st, vnVolFileWrite, vnVolFileHole, &f);
    if (rc < 0) {
        vnError(upload ? "cannot send data to volume %s" : "cannot receive data from volume %s",
                name);
        vnReportLibError();
        vnStreamAbort(st);
        goto cleanup;
    }
    rc = close(f.fd);
    f.fd = -1;
    if (rc < 0) {
        vnError("cannot close file %s", file);
        goto cleanup;
    }
    ok = true;
 cleanup:
    if (f.fd >= 0)
        close(f.fd);
    if (!ok && created)
        unlink(file);
    if (st)
        vnStreamFree(st);
    vnStorageVolFree(vol);
    return ok;
}

static bool
cmdVolUpload(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    return vnVolTransfer(ctl, cmd, a, true);
}

static bool
cmdVolDownload(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    return vnVolTransfer(ctl, cmd, a, false);
}

static bool
cmdVolDumpxml(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    vnStorageVol *vol = vnLookupVol(ctl, cmd, a);
    bool ok;

    if (!vol)
        return false;
    ok = vnPrintXML(vnStorageVolGetXMLDesc(vol, 0));
    vnStorageVolFree(vol);
    return ok;
}

/* ---- host interfaces ------------------------------------------------------------ */

static bool
cmdIfaceList(vnCtl *ctl, const char *cmd G_GNUC_UNUSED, vnCmdArgs *a)
{
    g_autoptr(GPtrArray) rows = vnTableNew("Name|State|MAC Address");
    vnInterface **ifaces = NULL;
    int n, i;

    if (!vnNoArgs(a))
        return false;
    if ((n = vnConnectListAllInterfaces(ctl->conn, &ifaces, vnListFlags(a))) < 0)
        return vnListFailed("interfaces");
    for (i = 0; i < n; i++) {
        char **row = g_new0(char *, 4);

        row[0] = g_strdup(vnInterfaceGetName(ifaces[i]));
        row[1] = g_strdup(vnInterfaceIsActive(ifaces[i]) > 0 ? "active" : "inactive");
        row[2] = g_strdup(vnInterfaceGetMACString(ifaces[i]));
        g_ptr_array_add(rows, row);
        vnInterfaceFree(ifaces[i]);
    }
    free(ifaces);
    vnTablePrint(rows, 3);
    return true;
}

static bool
cmdIfaceDumpxml(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "interface");
    vnInterface *iface;
    bool ok;

    if (!name)
        return false;
    /* virsh: a MAC address, else a name */
    if (g_regex_match_simple("^([0-9a-fA-F]{1,2}:){5}[0-9a-fA-F]{1,2}$", name, 0, 0))
        iface = vnInterfaceLookupByMACString(ctl->conn, name);
    else
        iface = vnInterfaceLookupByName(ctl->conn, name);
    if (!iface) {
        vnError("failed to get interface '%s'", name);
        vnReportLibError();
        return false;
    }
    ok = vnPrintXML(vnInterfaceGetXMLDesc(iface, vnOptBool(a, "inactive") ?
                                          VIR_INTERFACE_XML_INACTIVE : 0));
    vnInterfaceFree(iface);
    return ok;
}

/* ---- node devices ---------------------------------------------------------------- */

static bool
cmdNodedevList(vnCtl *ctl, const char *cmd G_GNUC_UNUSED, vnCmdArgs *a)
{
    const char *cap = vnOptString(a, "cap");
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    vnNodeDevice **devs = NULL;
    int n, i;

    static const char *const caps[] = {
        "system", "pci", "usb_device", "usb", "net", "scsi_host", "scsi_target", "scsi",
        "storage", "fc_host", "vports", "scsi_generic", "drm", "mdev_types", "mdev", "ccw",
        "css", "vdpa", "ap_card", "ap_queue", "ap_matrix", "vpd", NULL
    };

    if (!vnNoArgs(a))
        return false;
    if (cap && !g_strv_contains(caps, cap)) {
        vnError("%s", "Invalid capability type");
        return false;
    }
    if (cap) {
        int max = vnNodeNumOfDevices(ctl->conn, cap, 0);
        g_autofree char **list = NULL;

        if (max < 0)
            return vnListFailed("node devices");
        list = g_new0(char *, max + 1);
        if ((n = vnNodeListDevices(ctl->conn, cap, list, max, 0)) < 0)
            return vnListFailed("node devices");
        for (i = 0; i < n; i++) {
            g_ptr_array_add(names, g_strdup(list[i]));
            free(list[i]);
        }
    } else {
        if ((n = vnConnectListAllNodeDevices(ctl->conn, &devs, 0)) < 0)
            return vnListFailed("node devices");
        for (i = 0; i < n; i++) {
            g_ptr_array_add(names, g_strdup(vnNodeDeviceGetName(devs[i])));
            vnNodeDeviceFree(devs[i]);
        }
        free(devs);
    }
    g_ptr_array_sort(names, vnNameCompare);
    for (i = 0; i < (int)names->len; i++)
        printf("%s\n", (char *)g_ptr_array_index(names, i));
    return true;
}

static bool
cmdNodedevDumpxml(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "device");
    vnNodeDevice *dev;
    bool ok;

    if (!name)
        return false;
    if (!(dev = vnNodeDeviceLookupByName(ctl->conn, name))) {
        vnError("Could not find matching device '%s'", name);
        vnReportLibError();
        return false;
    }
    ok = vnPrintXML(vnNodeDeviceGetXMLDesc(dev, 0));
    vnNodeDeviceFree(dev);
    return ok;
}

/* ---- secrets ------------------------------------------------------------------- */

static bool
cmdSecretList(vnCtl *ctl, const char *cmd G_GNUC_UNUSED, vnCmdArgs *a)
{
    g_autoptr(GPtrArray) rows = vnTableNew("UUID|Usage");
    vnSecret **secrets = NULL;
    int n, i;

    if (!vnNoArgs(a))
        return false;
    if ((n = vnConnectListAllSecrets(ctl->conn, &secrets, 0)) < 0)
        return vnListFailed("secrets");
    for (i = 0; i < n; i++) {
        char **row = g_new0(char *, 3);
        char uuid[VIR_UUID_STRING_BUFLEN];
        int type = vnSecretGetUsageType(secrets[i]);

        vnSecretGetUUIDString(secrets[i], uuid);
        row[0] = g_strdup(uuid);
        row[1] = type ? g_strdup_printf("%s %s", vnSecretUsageTypeToString(type),
                                        vnSecretGetUsageID(secrets[i]))
                      : g_strdup("Unused");
        g_ptr_array_add(rows, row);
        vnSecretFree(secrets[i]);
    }
    free(secrets);
    vnTablePrint(rows, 2);
    return true;
}

static bool
cmdSecretDumpxml(vnCtl *ctl, const char *cmd, vnCmdArgs *a)
{
    const char *name = vnCmdArg(a, cmd, "secret");
    unsigned char uuid[VIR_UUID_BUFLEN];
    vnSecret *secret = NULL;
    bool ok;

    if (!name)
        return false;
    if (vnIsUUID(name, uuid))
        secret = vnSecretLookupByUUID(ctl->conn, uuid);
    if (!secret) {
        vnError("failed to get secret '%s'", name);
        return false;
    }
    ok = vnPrintXML(vnSecretGetXMLDesc(secret, 0));
    vnSecretFree(secret);
    return ok;
}

/* ---- the table ----------------------------------------------------------------- */

static const vnOptDef optsObjList[] = {
    { "all", false }, { "inactive", false }, { NULL, false },
};
static const vnOptDef optsInactive[] = { { "inactive", false }, { NULL, false } };
static const vnOptDef optsBytes[] = { { "bytes", false }, { NULL, false } };
static const vnOptDef optsVol[] = { { "pool", true }, { NULL, false } };
static const vnOptDef optsVolInfo[] = {
    { "pool", true }, { "bytes", false }, { "physical", false }, { NULL, false },
};
static const vnOptDef optsVolTransfer[] = {
    { "pool", true }, { "offset", true }, { "length", true }, { "sparse", false }, { NULL, false },
};
static const vnOptDef optsNodedevList[] = { { "cap", true }, { NULL, false } };

const vnCmdDef vnObjectCommands[] = {
    { "net-list", cmdNetList, optsObjList, "net-list [--all | --inactive]" },
    { "net-info", cmdNetInfo, NULL, "net-info NETWORK" },
    { "net-dumpxml", cmdNetDumpxml, optsInactive, "net-dumpxml NETWORK [--inactive]" },
    { "pool-list", cmdPoolList, optsObjList, "pool-list [--all | --inactive]" },
    { "pool-info", cmdPoolInfo, optsBytes, "pool-info POOL [--bytes]" },
    { "pool-dumpxml", cmdPoolDumpxml, optsInactive, "pool-dumpxml POOL [--inactive]" },
    { "vol-list", cmdVolList, NULL, "vol-list POOL" },
    { "vol-info", cmdVolInfo, optsVolInfo, "vol-info VOL [--pool POOL] [--bytes] [--physical]" },
    { "vol-dumpxml", cmdVolDumpxml, optsVol, "vol-dumpxml VOL [--pool POOL]" },
    { "vol-upload", cmdVolUpload, optsVolTransfer,
      "vol-upload VOL FILE [--pool POOL] [--offset BYTES] [--length BYTES] [--sparse]" },
    { "vol-download", cmdVolDownload, optsVolTransfer,
      "vol-download VOL FILE [--pool POOL] [--offset BYTES] [--length BYTES] [--sparse]" },
    { "iface-list", cmdIfaceList, optsObjList, "iface-list [--all | --inactive]" },
    { "iface-dumpxml", cmdIfaceDumpxml, optsInactive, "iface-dumpxml INTERFACE [--inactive]" },
    { "nodedev-list", cmdNodedevList, optsNodedevList, "nodedev-list [--cap CAPABILITY]" },
    { "nodedev-dumpxml", cmdNodedevDumpxml, NULL, "nodedev-dumpxml DEVICE" },
    { "secret-list", cmdSecretList, NULL, "secret-list" },
    { "secret-dumpxml", cmdSecretDumpxml, NULL, "secret-dumpxml SECRET" },
};
const size_t vnObjectCommandsCount = G_N_ELEMENTS(vnObjectCommands);
