#!/usr/bin/python3
"""storage-differential.py URI BASE: the storage and secret APIs of a
hypervisor connection (lxc:///system) served by its secondary drivers,
with a dir pool under the directory BASE. Prints a trace on stdout, one
line per step (its value, or the error's code, domain and message), then
the events received; tests/test-storage.sh runs it against libvirtd 9.0
and against virtnetd and compares the traces.

What varies between two runs is normalised: BASE becomes <base>, UUIDs
the steps do not choose become <uuid#N> by first appearance, a pool's
sizes (its file system's) become <size>, and timestamps are dropped.
Only objects the steps made are listed (names starting with "vnt").

Run with the system python3 (python3-libvirt).
"""
import os
import re
import sys
import threading
import time

import libvirt

URI, BASE = sys.argv[1], sys.argv[2]
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
U1 = "0000000a-c0c0-4c0c-8c0c-c0c0c0c0c0c0"
U2 = "0000000b-c0c0-4c0c-8c0c-c0c0c0c0c0c0"
S1 = "0000000c-c0c0-4c0c-8c0c-c0c0c0c0c0c0"
S2 = "0000000d-c0c0-4c0c-8c0c-c0c0c0c0c0c0"
KNOWN = {U1, U2, S1, S2}
MIB = 1024 * 1024

libvirt.registerErrorHandler(lambda ctx, err: None, None)
libvirt.virEventRegisterDefaultImpl()


def event_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


threading.Thread(target=event_loop, daemon=True).start()

generated = {}
events = []
lock = threading.Lock()


def uuid_name(m):
    u = m.group(0)
    return u if u in KNOWN else generated.setdefault(u, "<uuid#%d>" % (len(generated) + 1))


def norm(value):
    if isinstance(value, libvirt.libvirtError):
        return "error %s %s %s" % (value.get_error_code(), value.get_error_domain(),
                                   norm(value.get_error_message()))
    if isinstance(value, str):
        value = value.replace(BASE, "<base>")
        value = re.sub(r"\s*<timestamps>.*?</timestamps>", "", value, flags=re.S)
        value = re.sub(r"<(capacity|allocation|available) unit='bytes'>\d+<",
                       lambda m: "<%s unit='bytes'><size><" % m.group(1), value) \
            if value.startswith("<pool") else value
        return UUID_RE.sub(uuid_name, value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(sorted(norm(v) for v in value)) + "]"
    if isinstance(value, (libvirt.virStoragePool, libvirt.virStorageVol)):
        return "<%s %s>" % (type(value).__name__, value.name())
    if isinstance(value, libvirt.virSecret):
        return "<virSecret %s>" % norm(value.UUIDString())
    if isinstance(value, bytes):
        return "bytes %r" % value
    return repr(value)


conn = libvirt.open(URI)
ro = libvirt.openReadOnly(URI)


def step(label, fn, c=None):
    try:
        out = norm(fn(c or conn))
    except libvirt.libvirtError as e:
        out = norm(e)
    print("%s: %s" % (label, out.replace("\n", "\\n")), flush=True)


def record(*ev):
    with lock:
        events.append(" ".join(norm(e) for e in ev))


conn.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
                                 lambda c, p, ev, det, o: record("pool", p.name(), ev, det),
                                 None)
conn.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
                                 lambda c, p, o: record("refresh", p.name()), None)
conn.secretEventRegisterAny(None, libvirt.VIR_SECRET_EVENT_ID_LIFECYCLE,
                            lambda c, s, ev, det, o: record("secret", s.UUIDString(), ev, det),
                            None)
conn.secretEventRegisterAny(None, libvirt.VIR_SECRET_EVENT_ID_VALUE_CHANGED,
                            lambda c, s, o: record("value", s.UUIDString()), None)


def mine(objs):
    return [o for o in objs if o.name().startswith("vnt")]


def pool_xml(name, uuid, path, extra=""):
    return ("<pool type='dir'><name>%s</name>%s<target><path>%s</path>%s</target></pool>"
            % (name, "<uuid>%s</uuid>" % uuid if uuid else "", path, extra))


def vol_xml(name, capacity, allocation=None, fmt=None, extra=""):
    return ("<volume><name>%s</name><capacity unit='bytes'>%d</capacity>%s"
            "<target>%s%s</target></volume>"
            % (name, capacity,
               "" if allocation is None else "<allocation unit='bytes'>%d</allocation>" % allocation,
               "<format type='%s'/>" % fmt if fmt else "", extra))


P1 = os.path.join(BASE, "p1")
P2 = os.path.join(BASE, "p2")
P3 = os.path.join(BASE, "p3")
pool = lambda c, n="vntp1": c.storagePoolLookupByName(n)
vol = lambda c, n, p="vntp1": pool(c, p).storageVolLookupByName(n)

# ---- pools: define, build, start -------------------------------------------
step("list none", lambda c: mine(c.listAllStoragePools()))
step("define p1", lambda c: c.storagePoolDefineXML(pool_xml("vntp1", U1, P1)))
step("define p1 again", lambda c: c.storagePoolDefineXML(pool_xml("vntp1", U1, P1)))
step("define p1 other uuid", lambda c: c.storagePoolDefineXML(pool_xml("vntp1", U2, P1)))
step("define other name same uuid", lambda c: c.storagePoolDefineXML(pool_xml("vntpx", U1, P2)))
step("define same target", lambda c: c.storagePoolDefineXML(pool_xml("vntpy", None, P1)))
step("define bad xml", lambda c: c.storagePoolDefineXML("<pool type='dir'><name>x</name"))
step("define bad type", lambda c: c.storagePoolDefineXML("<pool type='nope'><name>x</name></pool>"))
step("define no target", lambda c: c.storagePoolDefineXML("<pool type='dir'><name>x</name></pool>"))
step("define slash name", lambda c: c.storagePoolDefineXML(pool_xml("a/b", None, P2)))
step("define bad flags", lambda c: c.storagePoolDefineXML(pool_xml("vntpz", None, P2), 0x80))
step("list defined", lambda c: mine(c.listAllStoragePools()))
step("list active", lambda c: mine(c.listAllStoragePools(libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE)))
step("list inactive dir", lambda c: mine(c.listAllStoragePools(
    libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE | libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_DIR)))
step("defined names", lambda c: [n for n in c.listDefinedStoragePools() if n.startswith("vnt")])
step("xml inactive", lambda c: pool(c).XMLDesc(0))
step("info inactive", lambda c: pool(c).info())
step("is active", lambda c: (pool(c).isActive(), pool(c).isPersistent()))
step("lookup uuid", lambda c: c.storagePoolLookupByUUIDString(U1))
step("lookup missing", lambda c: c.storagePoolLookupByName("vntnone"))
step("lookup missing uuid", lambda c: c.storagePoolLookupByUUIDString(U2))
step("start unbuilt", lambda c: pool(c).create(0))
step("build both flags", lambda c: pool(c).build(libvirt.VIR_STORAGE_POOL_BUILD_OVERWRITE |
                                                  libvirt.VIR_STORAGE_POOL_BUILD_NO_OVERWRITE))
step("build overwrite", lambda c: pool(c).build(libvirt.VIR_STORAGE_POOL_BUILD_OVERWRITE))
step("build bad flags", lambda c: pool(c).build(0x40))
step("build", lambda c: pool(c).build(0))
step("dir mode", lambda c: oct(os.stat(P1).st_mode & 0o7777))
step("start bad flags", lambda c: pool(c).create(0x40))
step("start", lambda c: pool(c).create(0))
step("start again", lambda c: pool(c).create(0))
step("build active", lambda c: pool(c).build(0))
step("info active", lambda c: pool(c).info()[0])
step("xml active", lambda c: pool(c).XMLDesc(0))
step("lookup target path", lambda c: c.storagePoolLookupByTargetPath(P1 + "//"))
step("lookup target path missing", lambda c: c.storagePoolLookupByTargetPath(P2))
step("lookup target path unclean", lambda c: c.storagePoolLookupByTargetPath(P2 + "//"))
step("find sources dir", lambda c: c.findStoragePoolSources("dir", None, 0))
step("find sources bogus", lambda c: c.findStoragePoolSources("bogus", None, 0))
step("autostart", lambda c: (pool(c).setAutostart(1), pool(c).autostart()))
step("autostart list", lambda c: mine(c.listAllStoragePools(libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART)))
step("autostart off", lambda c: (pool(c).setAutostart(0), pool(c).autostart()))

# ---- volumes ---------------------------------------------------------------
step("vols none", lambda c: pool(c).listAllVolumes())
step("vol create", lambda c: pool(c).createXML(vol_xml("vntv1", 2 * MIB), 0))
step("vol create exists", lambda c: pool(c).createXML(vol_xml("vntv1", MIB), 0))
step("vol create slash", lambda c: pool(c).createXML(vol_xml("a/b", MIB), 0))
step("vol create qcow2", lambda c: pool(c).createXML(vol_xml("vntq", MIB, fmt="qcow2"), 0))
step("vol create prealloc", lambda c: pool(c).createXML(
    vol_xml("vntpre", MIB), libvirt.VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA))
step("vol create bad flags", lambda c: pool(c).createXML(vol_xml("vntbf", MIB), 0x80))
step("vol create bad xml", lambda c: pool(c).createXML("<volume><name>x</name>", 0))
step("vol create no name", lambda c: pool(c).createXML("<volume><capacity>1</capacity></volume>", 0))
step("vol create sparse", lambda c: pool(c).createXML(vol_xml("vntv2", 3 * MIB, 0), 0))
step("vol create dir", lambda c: pool(c).createXML(vol_xml("vntd", 0, fmt="dir"), 0))
step("vol create backing", lambda c: pool(c).createXML(vol_xml(
    "vntbk", MIB) .replace("</volume>", "<backingStore><path>/x</path></backingStore></volume>"), 0))
step("vols", lambda c: pool(c).listAllVolumes())
step("vol names", lambda c: pool(c).listVolumes())
step("vol count", lambda c: pool(c).numOfVolumes())
step("vol xml", lambda c: vol(c, "vntv1").XMLDesc(0))
step("vol info", lambda c: vol(c, "vntv1").info())
step("vol info sparse", lambda c: vol(c, "vntv2").info())
step("vol info physical", lambda c: vol(c, "vntv2").infoFlags(libvirt.VIR_STORAGE_VOL_GET_PHYSICAL))
step("vol info dir", lambda c: vol(c, "vntd").info()[0])
step("vol path key", lambda c: (vol(c, "vntv1").path(), vol(c, "vntv1").key()))
step("vol by key", lambda c: c.storageVolLookupByKey(os.path.join(P1, "vntv1")))
step("vol by path", lambda c: c.storageVolLookupByPath(P1 + "//vntv1"))
step("vol by key missing", lambda c: c.storageVolLookupByKey("/nowhere"))
step("vol by path missing", lambda c: c.storageVolLookupByPath("/nowhere//x"))
step("vol by name missing", lambda c: pool(c).storageVolLookupByName("nope"))
step("pool by vol", lambda c: vol(c, "vntv1").storagePoolLookupByVolume())
step("file size", lambda c: os.stat(os.path.join(P1, "vntv1")).st_size)
step("vol clone", lambda c: pool(c).createXMLFrom(vol_xml("vntc1", MIB), vol(c, "vntv1"), 0))
step("vol clone exists", lambda c: pool(c).createXMLFrom(vol_xml("vntc1", MIB), vol(c, "vntv1"), 0))
step("vol clone info", lambda c: vol(c, "vntc1").info())
step("vol clone bad flags", lambda c: pool(c).createXMLFrom(vol_xml("vntc2", MIB), vol(c, "vntv1"), 0x80))
step("vol wipe", lambda c: vol(c, "vntv1").wipe(0))
step("vol wipe bad alg", lambda c: vol(c, "vntv1").wipePattern(99, 0))
step("vol wipe trim", lambda c: vol(c, "vntv1").wipePattern(libvirt.VIR_STORAGE_VOL_WIPE_ALG_TRIM, 0))
step("vol wipe bad flags", lambda c: vol(c, "vntv1").wipe(1))
step("vol wipe sparse", lambda c: (vol(c, "vntv2").wipe(0), vol(c, "vntv2").info()))
step("vol resize grow", lambda c: (vol(c, "vntv2").resize(4 * MIB, 0), vol(c, "vntv2").info()))
step("vol resize shrink", lambda c: vol(c, "vntv2").resize(MIB, 0))
step("vol resize shrink flag", lambda c: (vol(c, "vntv2").resize(MIB, libvirt.VIR_STORAGE_VOL_RESIZE_SHRINK),
                                          vol(c, "vntv2").info()))
step("vol resize delta", lambda c: (vol(c, "vntv2").resize(MIB, libvirt.VIR_STORAGE_VOL_RESIZE_DELTA),
                                    vol(c, "vntv2").info()))
step("vol resize below alloc", lambda c: vol(c, "vntv1").resize(MIB, libvirt.VIR_STORAGE_VOL_RESIZE_SHRINK))
step("vol resize allocate", lambda c: (vol(c, "vntv2").resize(3 * MIB, libvirt.VIR_STORAGE_VOL_RESIZE_ALLOCATE),
                                       vol(c, "vntv2").info()))
step("vol resize bad flags", lambda c: vol(c, "vntv2").resize(MIB, 0x80))
step("vol resize dir", lambda c: vol(c, "vntd").resize(MIB, 0))
step("vol delete zeroed", lambda c: vol(c, "vntc1").delete(libvirt.VIR_STORAGE_VOL_DELETE_ZEROED))
step("vol delete", lambda c: vol(c, "vntc1").delete(0))
step("vol delete again", lambda c: vol(c, "vntc1"))
step("vol delete dir", lambda c: vol(c, "vntd").delete(0))
step("external file", lambda c: open(os.path.join(P1, "vntext"), "w").write("x" * 100))
step("refresh", lambda c: pool(c).refresh(0))
step("refresh bad flags", lambda c: pool(c).refresh(1))
step("vols after refresh", lambda c: pool(c).listAllVolumes())
step("external info", lambda c: vol(c, "vntext").info())

# ---- pools: redefine, stop, delete, undefine -----------------------------------
step("redefine active", lambda c: c.storagePoolDefineXML(pool_xml(
    "vntp1", U1, P1, "<permissions><mode>0750</mode></permissions>")))
step("xml inactive flag", lambda c: pool(c).XMLDesc(libvirt.VIR_STORAGE_XML_INACTIVE))
step("undefine active", lambda c: pool(c).undefine())
step("delete active", lambda c: pool(c).delete(0))
step("destroy", lambda c: pool(c).destroy())
step("destroy again", lambda c: pool(c).destroy())
step("xml after destroy", lambda c: pool(c).XMLDesc(0))
step("vols inactive", lambda c: pool(c).listAllVolumes())
step("vol count inactive", lambda c: pool(c).numOfVolumes())
step("vol lookup inactive", lambda c: pool(c).storageVolLookupByName("vntv1"))
step("refresh inactive", lambda c: pool(c).refresh(0))
step("delete not empty", lambda c: pool(c).delete(0))
step("define p2", lambda c: c.storagePoolDefineXML(pool_xml("vntp2", U2, P2)))
step("start p2 with build", lambda c: pool(c, "vntp2").create(libvirt.VIR_STORAGE_POOL_CREATE_WITH_BUILD))
step("destroy p2", lambda c: pool(c, "vntp2").destroy())
step("delete p2 bad flags", lambda c: pool(c, "vntp2").delete(1))
step("delete p2", lambda c: (pool(c, "vntp2").delete(0), os.path.exists(P2)))
step("undefine p2", lambda c: pool(c, "vntp2").undefine())
step("undefine p2 again", lambda c: pool(c, "vntp2"))
step("transient", lambda c: c.storagePoolCreateXML(pool_xml("vntt", None, P3),
                                                    libvirt.VIR_STORAGE_POOL_CREATE_WITH_BUILD))
step("transient state", lambda c: (pool(c, "vntt").isActive(), pool(c, "vntt").isPersistent()))
step("transient autostart", lambda c: pool(c, "vntt").setAutostart(1))
step("transient same name", lambda c: c.storagePoolCreateXML(pool_xml("vntt", None, P3), 0))
step("transient destroy", lambda c: pool(c, "vntt").destroy())
step("transient gone", lambda c: pool(c, "vntt"))
step("list end", lambda c: mine(c.listAllStoragePools()))

# ---- secrets ---------------------------------------------------------------
SEC1 = ("<secret ephemeral='no' private='no'><uuid>%s</uuid><description>one</description>"
        "<usage type='volume'><volume>/vnt/vol1</volume></usage></secret>" % S1)
SEC2 = ("<secret ephemeral='no' private='yes'><uuid>%s</uuid>"
        "<usage type='ceph'><name>vntceph</name></usage></secret>" % S2)
sec = lambda c, u=S1: c.secretLookupByUUIDString(u)
my_secrets = lambda c: [s for s in c.listAllSecrets() if s.UUIDString() in KNOWN]
step("secrets none", my_secrets)
step("secret define", lambda c: c.secretDefineXML(SEC1))
step("secret define private", lambda c: c.secretDefineXML(SEC2))
step("secret define same usage", lambda c: c.secretDefineXML(SEC1.replace(S1, S2)))
step("secret define other usage", lambda c: c.secretDefineXML(SEC1.replace("vol1", "vol2")))
step("secret unprivate", lambda c: c.secretDefineXML(SEC2.replace("'yes'", "'no'")))
step("secret bad xml", lambda c: c.secretDefineXML("<secret>"))
step("secret bad usage", lambda c: c.secretDefineXML("<secret><usage type='x'/></secret>"))
step("secret no usage id", lambda c: c.secretDefineXML("<secret><usage type='ceph'/></secret>"))
step("secret bad ephemeral", lambda c: c.secretDefineXML("<secret ephemeral='maybe'/>"))
step("secret bad uuid", lambda c: c.secretDefineXML("<secret><uuid>zz</uuid></secret>"))
step("secret bad flags", lambda c: c.secretDefineXML(SEC1, 0x80))
step("secrets", my_secrets)
step("secrets private", lambda c: [s for s in c.listAllSecrets(libvirt.VIR_CONNECT_LIST_SECRETS_PRIVATE)
                                   if s.UUIDString() in KNOWN])
step("secrets no private", lambda c: [s for s in c.listAllSecrets(libvirt.VIR_CONNECT_LIST_SECRETS_NO_PRIVATE)
                                      if s.UUIDString() in KNOWN])
step("secret xml", lambda c: sec(c).XMLDesc(0))
step("secret usage", lambda c: (sec(c).usageType(), sec(c).usageID()))
step("secret by usage", lambda c: c.secretLookupByUsage(libvirt.VIR_SECRET_USAGE_TYPE_VOLUME, "/vnt/vol1"))
step("secret by usage missing", lambda c: c.secretLookupByUsage(libvirt.VIR_SECRET_USAGE_TYPE_CEPH, "nope"))
step("secret missing", lambda c: sec(c, "0000000e-c0c0-4c0c-8c0c-c0c0c0c0c0c0"))
step("secret no value", lambda c: sec(c).value())
step("secret set", lambda c: sec(c).setValue(b"s3cr\x00t"))
step("secret get", lambda c: sec(c).value())
step("secret get ro", lambda c: sec(c).value(), ro)
step("secret set ro", lambda c: sec(c).setValue(b"x"), ro)
step("secret set private", lambda c: sec(c, S2).setValue(b"p"))
step("secret get private", lambda c: sec(c, S2).value())
step("secret set bad flags", lambda c: sec(c).setValue(b"x", 1))
step("secret ephemeral", lambda c: c.secretDefineXML(SEC1.replace("'no' private", "'yes' private")))
step("secret get ephemeral", lambda c: sec(c).value())
step("secrets ephemeral", lambda c: [s for s in c.listAllSecrets(libvirt.VIR_CONNECT_LIST_SECRETS_EPHEMERAL)
                                     if s.UUIDString() in KNOWN])
step("secret undefine", lambda c: sec(c).undefine())
step("secret undefine private", lambda c: sec(c, S2).undefine())
step("secret gone", lambda c: sec(c))
step("secrets end", my_secrets)

time.sleep(1)
with lock:
    for e in events:
        print("event " + e)
conn.close()
ro.close()
