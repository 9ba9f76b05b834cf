#!/usr/bin/python3
"""objects.py URI: networks, storage pools and volumes, interfaces, node
devices and secrets, and their events, against libvirt's own test driver.

Runs every step twice, once on libvirt.open("test:///default") (libvirt
9.0's test driver in this process: the reference) and once on URI (a
daemon's test:///default, e.g. virtnetd's), and compares what each step
gives: values (objects by name, lists sorted, since libvirt's own order is
a hash table's), or the error's code, domain and message. The events each
connection received (callback registrations of every kind, one with a
filter) are compared at the end. Prints one line per difference and exits
1 when there is any, 0 otherwise; 2 when the script itself failed.

Run with the system python3 (python3-libvirt). The daemon's
test:///default must be fresh: no other client may use it.
"""
import re
import sys
import threading
import time

import libvirt

DAEMON_URI = sys.argv[1]
REF_URI = "test:///default"

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# UUIDs the steps choose (and the default objects'); any other UUID is a
# generated one and becomes <uuid#N> per connection, by first appearance.
U = {n: "%08d-c0c0-4c0c-8c0c-c0c0c0c0c0c0" % n for n in range(1, 30)}
KNOWN = set(U.values()) | {
    "dd8fe884-6c02-601e-7551-cca97df1c5df", "dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566",
    "11111111-2222-3333-4444-555555555555", "6695eb01-f6a4-8304-79aa-97f2502e193f"}

libvirt.registerErrorHandler(lambda ctx, err: None, None)
libvirt.virEventRegisterDefaultImpl()


def event_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


threading.Thread(target=event_loop, daemon=True).start()


class Side:
    """One connection and what the steps saw on it."""

    def __init__(self, uri):
        self.conn = libvirt.open(uri)
        self.generated = {}
        self.events = []
        self.lock = threading.Lock()

    def norm(self, value):
        if isinstance(value, libvirt.libvirtError):
            return ("error", value.get_error_code(), value.get_error_domain(),
                    self.norm(value.get_error_message()))
        if isinstance(value, str):
            return UUID_RE.sub(self.uuid, value)
        if isinstance(value, (list, tuple)):
            items = [self.norm(v) for v in value]
            return sorted(items, key=repr) if isinstance(value, list) else tuple(items)
        if isinstance(value, dict):
            return {k: self.norm(v) for k, v in sorted(value.items())}
        if isinstance(value, (libvirt.virNetwork, libvirt.virStoragePool, libvirt.virStorageVol,
                              libvirt.virInterface, libvirt.virNodeDevice)):
            return "<%s %s>" % (type(value).__name__, value.name())
        if isinstance(value, libvirt.virSecret):
            return "<virSecret %s>" % self.norm(value.UUIDString())
        return value

    def uuid(self, m):
        u = m.group(0)
        if u in KNOWN:
            return u
        return self.generated.setdefault(u, "<uuid#%d>" % (len(self.generated) + 1))

    def record(self, *event):
        with self.lock:
            self.events.append(self.norm(event))


ref = Side(REF_URI)
daemon = Side(DAEMON_URI)
differences = []
steps = [0]


def step(label, fn):
    """Run fn(conn) on both sides and compare."""
    steps[0] += 1
    results = []
    for side in (ref, daemon):
        try:
            results.append(side.norm(fn(side.conn)))
        except libvirt.libvirtError as e:
            results.append(side.norm(e))
    if results[0] != results[1]:
        differences.append("%s:\n  libvirt:  %r\n  daemon:   %r" % (label, results[0], results[1]))
    return results[1]


def register_events(side):
    c = side.conn
    c.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
                              lambda conn, net, ev, det, o: side.record("net", net.name(), ev, det),
                              None)
    c.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
                                  lambda conn, p, ev, det, o: side.record("pool", p.name(), ev, det),
                                  None)
    c.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
                                  lambda conn, p, o: side.record("refresh", p.name()), None)
    c.nodeDeviceEventRegisterAny(None, libvirt.VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
                                 lambda conn, d, ev, det, o: side.record("dev", d.name(), ev, det),
                                 None)
    # a filtered registration: only events of the pool 'default-pool'
    c.storagePoolEventRegisterAny(c.storagePoolLookupByName("default-pool"),
                                  libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
                                  lambda conn, p, o: side.record("refresh-filtered", p.name()),
                                  None)


for s in (ref, daemon):
    register_events(s)

NETNAME = lambda c, n: c.networkLookupByName(n)
POOL = lambda c, n="default-pool": c.storagePoolLookupByName(n)
IFACE = lambda c, n: c.interfaceLookupByName(n)
DEV = lambda c, n: c.nodeDeviceLookupByName(n)

# ---- networks --------------------------------------------------------------

step("net list", lambda c: (c.listAllNetworks(), c.listNetworks(), c.numOfNetworks(),
                            c.listDefinedNetworks(), c.numOfDefinedNetworks()))
for flag in range(0, 64, 3):
    step("net list-all flags %d" % flag, lambda c: c.listAllNetworks(flag))
step("net list-all bad flag", lambda c: c.listAllNetworks(1 << 8))
step("net default", lambda c: (NETNAME(c, "default").XMLDesc(0), NETNAME(c, "default").bridgeName(),
                               NETNAME(c, "default").isActive(), NETNAME(c, "default").isPersistent(),
                               NETNAME(c, "default").autostart(), NETNAME(c, "default").UUIDString()))
step("net by uuid", lambda c: c.networkLookupByUUIDString("dd8fe884-6c02-601e-7551-cca97df1c5df"))
step("net by unknown uuid", lambda c: c.networkLookupByUUIDString(U[1]))
step("net by unknown name", lambda c: c.networkLookupByName("nope"))
step("net dumpxml inactive flag", lambda c: NETNAME(c, "default").XMLDesc(1))
NETS = [
    "<network><name>n1</name><uuid>%s</uuid></network>" % U[1],
    "<network><name>n2</name><uuid>%s</uuid><forward dev='eth0'/><domain name='example.org' "
    "localOnly='yes'/><mac address='52:54:00:AB:cd:01'/><mtu size='9000'/>"
    "<dns enable='yes'><txt name='t1' value='v1'/><host ip='10.1.0.9'><hostname>a</hostname>"
    "<hostname>b</hostname></host><srv service='ldap' protocol='tcp' target='l.example.org' port='389' priority='1'/></dns>"
    "<ip address='10.1.0.1' netmask='255.255.255.0'><dhcp><range start='10.1.0.2' end='10.1.0.9'/>"
    "<host mac='52:54:00:00:00:02' name='h2' ip='10.1.0.3'/></dhcp></ip>"
    "<ip family='ipv6' address='2001:db8::1' prefix='64'/>"
    "<route address='192.168.9.0' prefix='24' gateway='10.1.0.254'/>"
    "<portgroup name='pg1' default='yes'/><unknown/></network>" % U[2],
    "<network><name>n3</name><uuid>%s</uuid><forward mode='bridge'/><bridge name='br3'/>"
    "</network>" % U[3],
    "<network ipv6='yes'><name>n4</name><uuid>%s</uuid><forward mode='route'/>"
    "<ip address='10.4.0.1' prefix='16'/><metadata><x:a xmlns:x='urn:x'>v</x:a></metadata>"
    "</network>" % U[4],
    "<network><name>n5</name><uuid>%s</uuid><forward mode='hostdev' managed='yes'>"
    "<interface dev='eth5'/><interface dev='eth6'/></forward></network>" % U[5],
    "<network><name>n6</name><forward mode='open'/><ip address='10.6.0.1' prefix='24'/>"
    "</network>",
]
for i, xml in enumerate(NETS):
    step("net define %d" % i, lambda c: c.networkDefineXML(xml).XMLDesc(0))
BAD_NETS = [
    "<network/>", "<network><name>a/b</name></network>", "<network", "<domain/>",
    "<network><name>x</name><uuid>zz</uuid></network>",
    "<network><name>x</name><forward mode='nat'/></network>",
    "<network><name>x</name><forward mode='zz'/></network>",
    "<network><name>x</name><forward mode='bridge'/><bridge name='b' stp='on'/></network>",
    "<network><name>x</name><forward mode='private'/><bridge name='b'/></network>",
    "<network><name>x</name><ip address='1.2.3'/></network>",
    "<network><name>x</name><ip address='1.2.3.4' netmask='255.255.255.0' prefix='24'/></network>",
    "<network><name>x</name><ip address='::1' netmask='255.0.0.0'/></network>",
    "<network><name>x</name><mac address='01:00:00:00:00:00'/></network>",
    "<network><name>x</name><mac address='zz'/></network>",
    "<network ipv6='maybe'><name>x</name></network>",
    "<network><name>default</name></network>",
    "<network><name>other</name><uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid></network>",
    "<network><name>x</name><dns><host ip='1.2.3.4'/></dns></network>",
]
for i, xml in enumerate(BAD_NETS):
    step("net define bad %d" % i, lambda c: c.networkDefineXML(xml))
step("net define bad flags", lambda c: c.networkDefineXMLFlags(NETS[0], 2))
step("net create", lambda c: c.networkCreateXML(
    "<network><name>t1</name><uuid>%s</uuid><bridge name='vbt1'/></network>" % U[6]).XMLDesc(0))
step("net create dup active", lambda c: c.networkCreateXML(
    "<network><name>t1</name><uuid>%s</uuid></network>" % U[6]))
step("net transient state", lambda c: (NETNAME(c, "t1").isPersistent(), NETNAME(c, "t1").isActive(),
                                       c.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_TRANSIENT)))
step("net lifecycle", lambda c: (NETNAME(c, "n1").create(), NETNAME(c, "n1").create(),
                                 NETNAME(c, "n1").undefine()))
step("net undefine running", lambda c: NETNAME(c, "n1").undefine())
step("net autostart", lambda c: (NETNAME(c, "n1").setAutostart(1), NETNAME(c, "n1").autostart(),
                                 c.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_AUTOSTART)))
step("net bridge name", lambda c: NETNAME(c, "n5").bridgeName())
step("net destroy", lambda c: (NETNAME(c, "n1").destroy(), NETNAME(c, "t1").destroy(),
                               NETNAME(c, "n3").destroy()))
step("net destroyed transient gone", lambda c: c.networkLookupByName("t1"))
step("net redefine", lambda c: c.networkDefineXML(
    "<network><name>n1</name><uuid>%s</uuid><bridge name='vb1'/></network>" % U[1]).XMLDesc(0))
step("net undefine", lambda c: (NETNAME(c, "n1").undefine(), c.listAllNetworks()))

UPD = libvirt.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, libvirt.VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST
CMD = {"modify": 1, "delete": 2, "last": 3, "first": 4, "none": 0, "bad": 9}
SEC = {"bridge": 1, "domain": 2, "ip": 3, "host": 4, "range": 5, "forward": 6,
       "fwdif": 7, "pf": 8, "portgroup": 9, "dnshost": 10, "txt": 11, "srv": 12, "bad": 99}
UPDATES = [
    ("last", "host", -1, "<host mac='52:54:00:00:00:03' name='h3' ip='10.1.0.4'/>", 0),
    ("first", "host", 0, "<host mac='52:54:00:00:00:04' ip='10.1.0.5'/>", 0),
    ("last", "host", -1, "<host mac='52:54:00:00:00:03' ip='10.1.0.6'/>", 0),
    ("modify", "host", -1, "<host mac='52:54:00:00:00:03' name='h3b' ip='10.1.0.7'/>", 0),
    ("modify", "host", -1, "<host mac='52:54:00:00:00:99' ip='10.1.0.99'/>", 0),
    ("delete", "host", -1, "<host name='h2'/>", 0),
    ("delete", "host", -1, "<host name='nope'/>", 0),
    ("last", "host", 5, "<host mac='52:54:00:00:00:05' ip='10.1.0.8'/>", 0),
    ("last", "host", -1, "<host ip='10.1.0.8'/>", 0),
    ("last", "host", -1, "<host mac='zz' ip='10.1.0.8'/>", 0),
    ("last", "host", -1, "<range start='1.1.1.1' end='1.1.1.2'/>", 0),
    ("last", "range", -1, "<range start='10.1.0.20' end='10.1.0.30'/>", 0),
    ("last", "range", -1, "<range start='10.1.0.20' end='10.1.0.30'/>", 0),
    ("modify", "range", -1, "<range start='10.1.0.20' end='10.1.0.30'/>", 0),
    ("delete", "range", -1, "<range start='10.1.0.2' end='10.1.0.9'/>", 0),
    ("last", "dnshost", -1, "<host ip='10.1.0.10'><hostname>c</hostname></host>", 0),
    ("last", "dnshost", -1, "<host ip='10.1.0.10'><hostname>d</hostname></host>", 0),
    ("delete", "dnshost", -1, "<host><hostname>a</hostname></host>", 0),
    ("modify", "dnshost", -1, "<host ip='10.1.0.10'><hostname>c</hostname></host>", 0),
    ("first", "txt", -1, "<txt name='t0' value='v0'/>", 0),
    ("first", "txt", -1, "<txt name='t0' value='v0'/>", 0),
    ("delete", "txt", -1, "<txt name='t1'/>", 0),
    ("last", "srv", -1, "<srv service='www' protocol='tcp' port='80'/>", 0),
    ("delete", "srv", -1, "<srv service='ldap'/>", 0),
    ("last", "fwdif", -1, "<interface dev='eth7'/>", 0),
    ("delete", "fwdif", -1, "<interface dev='eth0'/>", 0),
    ("last", "portgroup", -1, "<portgroup name='pg2'/>", 0),
    ("last", "portgroup", -1, "<portgroup name='pg3' default='yes'/>", 0),
    ("modify", "portgroup", -1, "<portgroup name='pg2' trustGuestRxFilters='yes'/>", 0),
    ("delete", "portgroup", -1, "<portgroup name='pg1'/>", 0),
    ("last", "bridge", -1, "<bridge name='x'/>", 0),
    ("last", "ip", -1, "<ip address='1.1.1.1'/>", 0),
    ("last", "pf", -1, "<pf dev='x'/>", 0),
    ("last", "forward", -1, "<forward/>", 0),
    ("last", "bad", -1, "<x/>", 0),
    ("bad", "txt", -1, "<txt name='t9' value='v'/>", 0),
    ("last", "txt", -1, "<srv/>", 0),
    ("last", "txt", -1, "<txt name='t9' value='v'/>", 1),
    ("last", "txt", -1, "<txt name='t9' value='v'/>", 2),
    ("last", "txt", -1, "<txt name='t8' value='v'/>", 3),
    ("last", "txt", -1, "<txt name='t7' value='v'/>", 4),
    ("last", "txt", -1, "not xml", 0),
]
for i, (cmd, sec, idx, xml, flags) in enumerate(UPDATES):
    step("net update %d %s %s" % (i, cmd, sec),
         lambda c: (NETNAME(c, "n2").update(CMD[cmd], SEC[sec], idx, xml, flags),
                    NETNAME(c, "n2").XMLDesc(0)))
step("net update running network live+config", lambda c: (
    NETNAME(c, "n2").create(),
    NETNAME(c, "n2").update(3, 11, -1, "<txt name='live' value='x'/>", 1),
    NETNAME(c, "n2").update(3, 11, -1, "<txt name='conf' value='x'/>", 2),
    NETNAME(c, "n2").XMLDesc(0), NETNAME(c, "n2").destroy(), NETNAME(c, "n2").XMLDesc(0)))
step("net update transient config", lambda c: (
    c.networkCreateXML("<network><name>t2</name><uuid>%s</uuid></network>" % U[7]).update(
        3, 12, -1, "<srv service='a' protocol='udp'/>", 2)))

# ---- storage pools and volumes -------------------------------------------------

step("pool list", lambda c: (c.listAllStoragePools(), c.listStoragePools(), c.numOfStoragePools(),
                             c.listDefinedStoragePools(), c.numOfDefinedStoragePools()))
for flag in list(range(0, 64, 5)) + [1 << 6, 1 << 7, 1 << 8, (1 << 9) | (1 << 6), 1 << 19]:
    step("pool list-all flags %d" % flag, lambda c: c.listAllStoragePools(flag))
step("pool list-all bad flag", lambda c: c.listAllStoragePools(1 << 25))
step("pool default", lambda c: (POOL(c).XMLDesc(0), POOL(c).info(), POOL(c).isActive(),
                                POOL(c).isPersistent(), POOL(c).autostart(), POOL(c).UUIDString(),
                                POOL(c).listVolumes(), POOL(c).numOfVolumes(),
                                POOL(c).listAllVolumes()))
step("pool by uuid", lambda c: c.storagePoolLookupByUUIDString("dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566"))
step("pool unknown", lambda c: (c.storagePoolLookupByName("nope")))
step("pool unknown uuid", lambda c: (c.storagePoolLookupByUUIDString(U[1])))
VOLS = [
    "<volume><name>v1</name><capacity unit='M'>10</capacity><allocation>0</allocation></volume>",
    "<volume type='file'><name>v2</name><key>ignored</key><capacity unit='G'>1</capacity>"
    "<target><path>/elsewhere</path><format type='qcow2'/><permissions><mode>644</mode>"
    "<owner>107</owner><group>-1</group><label>lbl</label></permissions>"
    "<compat>1.1</compat></target></volume>",
    "<volume><name>v3</name><capacity unit='KiB'>4</capacity><allocation unit='KB'>2</allocation>"
    "<target><format type='raw'/></target><backingStore><path>/x</path></backingStore></volume>",
]
for i, xml in enumerate(VOLS):
    step("vol create %d" % i, lambda c: (lambda v: (v.XMLDesc(0), v.info(), v.path(), v.key(),
                                                    v.name()))(POOL(c).createXML(xml, 0)))
BAD_VOLS = [
    "<volume><name>v1</name><capacity>1</capacity></volume>",
    "<volume><capacity>1</capacity></volume>",
    "<volume><name>x</name></volume>",
    "<volume><name>x</name><capacity>nope</capacity></volume>",
    "<volume><name>x</name><capacity unit='Q'>1</capacity></volume>",
    "<volume><name>x</name><capacity unit='E'>100</capacity></volume>",
    "<volume type='zz'><name>x</name><capacity>1</capacity></volume>",
    "<volume><name>x</name><capacity>1</capacity><target><format type='zz'/></target></volume>",
    "<volume><name>x</name><capacity>1</capacity><target><permissions><mode>9</mode>"
    "</permissions></target></volume>",
    "<volume><name>huge</name><capacity unit='T'>1</capacity></volume>",
    "<volume", "<pool/>",
]
for i, xml in enumerate(BAD_VOLS):
    step("vol create bad %d" % i, lambda c: POOL(c).createXML(xml, 0))
step("vol create bad flags", lambda c: POOL(c).createXML(VOLS[0], 1))
step("vol clone", lambda c: (lambda v: (v.XMLDesc(0), v.info()))(POOL(c).createXMLFrom(
    "<volume><name>v4</name><capacity>1000</capacity></volume>",
    POOL(c).storageVolLookupByName("v2"), 0)))
step("vol clone missing", lambda c: POOL(c).createXMLFrom(
    "<volume><name>v5</name><capacity>1</capacity></volume>",
    POOL(c).storageVolLookupByName("v9"), 0))
step("pool after vols", lambda c: (POOL(c).info(), POOL(c).listVolumes(), POOL(c).numOfVolumes(),
                                   POOL(c).listAllVolumes(), POOL(c).XMLDesc(0)))
step("vol lookups", lambda c: (c.storageVolLookupByPath("/default-pool/v1"),
                               c.storageVolLookupByKey("/default-pool/v2"),
                               c.storageVolLookupByPath("/nope"), ))
step("vol lookup errors", lambda c: c.storageVolLookupByKey("nope"))
step("vol lookup errors 2", lambda c: POOL(c).storageVolLookupByName("nope"))
step("pool by volume", lambda c: POOL(c).storageVolLookupByName("v1").storagePoolLookupByVolume())
step("vol not supported", lambda c: POOL(c).storageVolLookupByName("v1").wipe(0))
step("vol not supported 2", lambda c: POOL(c).storageVolLookupByName("v1").resize(1 << 20, 0))
step("vol not supported 3", lambda c: POOL(c).storageVolLookupByName("v1").infoFlags(0))
step("vol not supported 4", lambda c: POOL(c).storageVolLookupByName("v1").wipePattern(1, 0))
step("vol delete", lambda c: (POOL(c).storageVolLookupByName("v2").delete(0), POOL(c).info(),
                              POOL(c).listVolumes()))
step("vol delete bad flags", lambda c: POOL(c).storageVolLookupByName("v1").delete(1))
POOLS = [
    "<pool type='dir'><name>p1</name><uuid>%s</uuid><target><path>/p1//sub/</path>"
    "<permissions><mode>0711</mode><owner>0</owner><group>0</group></permissions></target>"
    "</pool>" % U[10],
    "<pool type='netfs'><name>p2</name><uuid>%s</uuid><source><host name='nfs' port='2049'/>"
    "<dir path='/export'/><format type='nfs'/></source><target><path>/mnt</path></target>"
    "</pool>" % U[11],
    "<pool type='logical'><name>p3</name><uuid>%s</uuid><source><device path='/dev/sdz'/>"
    "<name>vg3</name></source></pool>" % U[12],
    "<pool type='fs'><name>p4</name><uuid>%s</uuid><source><device path='/dev/sdy'/>"
    "<format type='ext4'/></source><target><path>/fs</path></target></pool>" % U[13],
    "<pool type='disk'><name>p5</name><uuid>%s</uuid><source><device path='/dev/sdx'/></source>"
    "<target><path>/dev</path></target></pool>" % U[14],
    "<pool type='rbd'><name>p6</name><uuid>%s</uuid><source><host name='ceph'/><name>rbd</name>"
    "</source></pool>" % U[15],
    "<pool type='zfs'><name>p7</name><source><name>tank</name><device path='/dev/sdw'/></source>"
    "</pool>",
]
for i, xml in enumerate(POOLS):
    step("pool define %d" % i, lambda c: c.storagePoolDefineXML(xml, 0).XMLDesc(0))
BAD_POOLS = [
    "<pool><name>x</name></pool>", "<pool type='zz'><name>x</name></pool>",
    "<pool type='dir'><target><path>/x</path></target></pool>",
    "<pool type='dir'><name>a/b</name><target><path>/x</path></target></pool>",
    "<pool type='dir'><name>x</name></pool>",
    "<pool type='dir'><name>x</name><uuid>zz</uuid><target><path>/x</path></target></pool>",
    "<pool type='dir'><name>x</name><target><path>/default-pool</path></target></pool>",
    "<pool type='netfs'><name>x</name><target><path>/x</path></target></pool>",
    "<pool type='netfs'><name>x</name><source><host name='h'/></source><target><path>/x</path>"
    "</target></pool>",
    "<pool type='fs'><name>x</name><target><path>/x</path></target></pool>",
    "<pool type='fs'><name>x</name><source><device path='/d'/><format type='zz'/></source>"
    "<target><path>/x</path></target></pool>",
    "<pool type='dir'><name>x</name><target><path>/x</path><permissions><mode>z</mode>"
    "</permissions></target></pool>",
    "<pool type='dir'><name>default-pool</name><target><path>/y</path></target></pool>",
    "<pool type='dir'><name>y</name><uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>"
    "<target><path>/y</path></target></pool>",
]
for i, xml in enumerate(BAD_POOLS):
    step("pool define bad %d" % i, lambda c: c.storagePoolDefineXML(xml, 0))
step("pool define bad flags", lambda c: c.storagePoolDefineXML(POOLS[0], 2))
P1 = lambda c: POOL(c, "p1")
step("pool inactive", lambda c: (P1(c).info(), P1(c).isActive(), P1(c).isPersistent(),
                                 P1(c).autostart()))
for name, fn in [("listVolumes", lambda c: P1(c).listVolumes()),
                 ("numOfVolumes", lambda c: P1(c).numOfVolumes()),
                 ("listAllVolumes", lambda c: P1(c).listAllVolumes()),
                 ("volLookup", lambda c: P1(c).storageVolLookupByName("x")),
                 ("createVol", lambda c: P1(c).createXML(VOLS[0], 0)),
                 ("destroy", lambda c: P1(c).destroy()),
                 ("refresh", lambda c: P1(c).refresh(0)),
                 ("build bad flags", lambda c: P1(c).build(1)),
                 ("build", lambda c: P1(c).build(0)),
                 ("delete", lambda c: P1(c).delete(0)),
                 ("create bad flags", lambda c: P1(c).create(1)),
                 ("autostart", lambda c: (P1(c).setAutostart(1), P1(c).autostart())),
                 ("create", lambda c: P1(c).create(0)),
                 ("create again", lambda c: P1(c).create(0)),
                 ("build active", lambda c: P1(c).build(0)),
                 ("delete active", lambda c: P1(c).delete(0)),
                 ("undefine active", lambda c: P1(c).undefine()),
                 ("refresh active", lambda c: P1(c).refresh(0)),
                 ("refresh default", lambda c: POOL(c).refresh(0)),
                 ("redefine active", lambda c: (c.storagePoolDefineXML(POOLS[0].replace(
                     "/p1//sub/", "/p1new"), 0).XMLDesc(0), P1(c).XMLDesc(0))),
                 ("destroy active", lambda c: P1(c).destroy()),
                 ("after destroy", lambda c: (P1(c).XMLDesc(0), P1(c).info())),
                 ("undefine", lambda c: (P1(c).undefine(), c.listAllStoragePools()))]:
    step("pool p1 " + name, fn)
step("pool create transient", lambda c: (lambda p: (p.XMLDesc(0), p.isPersistent(), p.info(),
                                                    p.setAutostart(1)))(
    c.storagePoolCreateXML("<pool type='dir'><name>t1</name><uuid>%s</uuid><target><path>/t1"
                           "</path></target></pool>" % U[16], 0)))
step("pool transient autostart", lambda c: (POOL(c, "t1").autostart(),
                                            c.listAllStoragePools(8)))
step("pool create bad flags", lambda c: c.storagePoolCreateXML(POOLS[0], 1))
step("pool create dup", lambda c: c.storagePoolCreateXML(
    "<pool type='dir'><name>t1</name><uuid>%s</uuid><target><path>/t1</path></target>"
    "</pool>" % U[16], 0))
step("pool transient destroy", lambda c: (POOL(c, "t1").destroy(), c.storagePoolLookupByName("t1")))
step("pool create over defined", lambda c: (
    c.storagePoolCreateXML(POOLS[1], 0).isPersistent(), POOL(c, "p2").destroy(),
    c.storagePoolLookupByName("p2")))
step("find sources", lambda c: (c.findStoragePoolSources("logical", None, 0)))
step("find sources netfs", lambda c: (c.findStoragePoolSources(
    "netfs", "<source><host name='nfs1'/></source>", 0)))
step("find sources netfs nohost", lambda c: c.findStoragePoolSources("netfs", None, 0))
step("find sources dir", lambda c: c.findStoragePoolSources("dir", None, 0))
step("find sources disk", lambda c: c.findStoragePoolSources("disk", None, 0))
step("find sources zz", lambda c: c.findStoragePoolSources("zz", None, 0))
step("find sources bad spec", lambda c: c.findStoragePoolSources("netfs", "<source", 0))
step("find sources bad flags", lambda c: c.findStoragePoolSources("logical", None, 1))
step("pool by target path", lambda c: c.storagePoolLookupByTargetPath("/default-pool"))
step("pool capabilities", lambda c: c.getStoragePoolCapabilities(0))

# ---- interfaces ----------------------------------------------------------------

step("iface list", lambda c: (c.listAllInterfaces(0), c.listInterfaces(), c.numOfInterfaces(),
                              c.listDefinedInterfaces(), c.numOfDefinedInterfaces(),
                              c.listAllInterfaces(1), c.listAllInterfaces(2)))
step("iface list bad flag", lambda c: c.listAllInterfaces(4))
step("iface eth1", lambda c: (IFACE(c, "eth1").XMLDesc(0), IFACE(c, "eth1").MACString(),
                              IFACE(c, "eth1").isActive()))
step("iface by mac", lambda c: (c.interfaceLookupByMACString("AA:bb:CC:dd:ee:ff").name(),
                                c.interfaceLookupByMACString("aa:bb:cc:dd:ee:ff").MACString()))
step("iface by mac unknown", lambda c: c.interfaceLookupByMACString("00:00:00:00:00:01"))
step("iface unknown", lambda c: c.interfaceLookupByName("nope"))
step("iface dumpxml inactive flag", lambda c: IFACE(c, "eth1").XMLDesc(1))
IFACES = [
    "<interface type='bridge' name='br0'><start mode='onboot'/><mtu size='1500'/>"
    "<protocol family='ipv4'><dhcp peerdns='no'/></protocol><protocol family='ipv6'><autoconf/>"
    "</protocol><bridge stp='off' delay='0.01'><interface type='ethernet' name='eth0'>"
    "<mac address='ab:cd:ef:12:34:56'/></interface><interface type='vlan' name='eth0.5'>"
    "<vlan tag='5'><interface name='eth0'/></vlan></interface></bridge></interface>",
    "<interface type='ethernet' name='eth9'><mac address='00:11:22:33:44:55'/>"
    "<link state='up' speed='1000'/><start mode='hotplug'/></interface>",
    "<interface type='bond' name='bond0'><bond mode='active-backup'><miimon freq='100' "
    "updelay='10' carrier='ioctl'/><interface type='ethernet' name='eth2'/>"
    "<interface type='ethernet' name='eth3'/></bond></interface>",
    "<interface type='ethernet' name='eth10'><mac address='aa:bb:cc:dd:ee:ff'/></interface>",
]
for i, xml in enumerate(IFACES):
    step("iface define %d" % i, lambda c: c.interfaceDefineXML(xml, 0).XMLDesc(0))
BAD_IFACES = [
    "<interface name='x'/>", "<interface type='zz' name='x'/>", "<interface type='ethernet'/>",
    "<interface type='bridge' name='b'/>", "<interface type='bond' name='b'/>",
    "<interface type='vlan' name='v'/>",
    "<interface type='ethernet' name='e'><start mode='zz'/></interface>",
    "<interface type='ethernet' name='e'><mtu size='200000'/></interface>",
    "<interface type='bond' name='b'><bond><interface type='bridge' name='x'/></bond></interface>",
    "<interface", "<network/>",
]
for i, xml in enumerate(BAD_IFACES):
    step("iface define bad %d" % i, lambda c: c.interfaceDefineXML(xml, 0))
step("iface define bad flags", lambda c: c.interfaceDefineXML(IFACES[1], 2))
step("iface by shared mac", lambda c: c.interfaceLookupByMACString("aa:bb:cc:dd:ee:ff"))
step("iface lifecycle", lambda c: (IFACE(c, "br0").isActive(), IFACE(c, "br0").destroy(0)))
step("iface create", lambda c: (IFACE(c, "br0").create(0), IFACE(c, "br0").isActive()))
step("iface create again", lambda c: IFACE(c, "br0").create(0))
step("iface create bad flags", lambda c: IFACE(c, "eth9").create(1))
step("iface lists", lambda c: (c.listAllInterfaces(1), c.listAllInterfaces(2), c.listInterfaces(),
                               c.listDefinedInterfaces()))
step("iface destroy", lambda c: (IFACE(c, "br0").destroy(0), IFACE(c, "br0").isActive()))
step("iface commit none", lambda c: c.changeCommit(0))
step("iface rollback none", lambda c: c.changeRollback(0))
step("iface begin", lambda c: (c.changeBegin(0), IFACE(c, "eth9").undefine(),
                               IFACE(c, "eth1").destroy(0), c.listAllInterfaces(0)))
step("iface begin again", lambda c: c.changeBegin(0))
step("iface rollback", lambda c: (c.changeRollback(0), c.listAllInterfaces(0),
                                  IFACE(c, "eth1").isActive()))
step("iface begin commit", lambda c: (c.changeBegin(0), IFACE(c, "eth9").undefine(),
                                      c.changeCommit(0), c.listAllInterfaces(0)))
step("iface begin bad flags", lambda c: c.changeBegin(1))
step("iface undefine unknown", lambda c: IFACE(c, "eth9").undefine())

# ---- node devices ---------------------------------------------------------------

step("dev list", lambda c: (c.listAllDevices(0), c.listDevices(None, 0), c.numOfDevices(None, 0)))
for cap in ["system", "scsi_host", "fc_host", "vports", "pci", "zz"]:
    step("dev list cap " + cap, lambda c: (c.listDevices(cap, 0), c.numOfDevices(cap, 0)))
for bit in range(0, 22):
    step("dev list-all cap bit %d" % bit, lambda c: c.listAllDevices(1 << bit))
step("dev list-all active", lambda c: c.listAllDevices(libvirt.VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE))
step("dev list bad flags", lambda c: c.listDevices(None, 1))
for name in ["computer", "scsi_host1", "scsi_host2", "scsi_host11"]:
    step("dev " + name, lambda c: (DEV(c, name).XMLDesc(0), DEV(c, name).parent(),
                                   DEV(c, name).listCaps(), DEV(c, name).numOfCaps()))
step("dev unknown", lambda c: c.nodeDeviceLookupByName("nope"))
step("dev dumpxml bad flags", lambda c: DEV(c, "computer").XMLDesc(1))
VHBA = ("<device><parent>scsi_host1</parent><capability type='scsi_host'>"
        "<capability type='fc_host'><wwnn>2000000012345678</wwnn><wwpn>1000000012345678</wwpn>"
        "</capability></capability></device>")
step("dev create", lambda c: (c.nodeDeviceCreateXML(VHBA, 0), DEV(c, "scsi_host12").XMLDesc(0),
                              c.listAllDevices(0)))
BAD_DEVS = [
    "<device><parent>computer</parent><capability type='scsi_host'><capability type='fc_host'>"
    "<wwnn>1</wwnn><wwpn>2</wwpn></capability></capability></device>",
    "<device><parent>nope</parent><capability type='scsi_host'><capability type='fc_host'>"
    "<wwnn>1</wwnn><wwpn>2</wwpn></capability></capability></device>",
    "<device><capability type='system'/></device>",
    "<device><capability type='system'><hardware><uuid>zz</uuid></hardware></capability></device>",
    "<device/>", "<device><capability type='zz'/></device>",
    "<device><capability type='scsi_host'><capability type='zz'/></capability></device>",
    "<device><capability type='net'><interface>eth0</interface></capability></device>",
    "<device><parent wwnn='1'/><capability type='scsi_host'/></device>",
    "<device", "<network/>",
]
for i, xml in enumerate(BAD_DEVS):
    step("dev create bad %d" % i, lambda c: c.nodeDeviceCreateXML(xml, 0))
step("dev create bad flags", lambda c: c.nodeDeviceCreateXML(VHBA, 2))
step("dev destroy", lambda c: (DEV(c, "scsi_host12").destroy(), c.listAllDevices(0)))
step("dev destroy not fc", lambda c: (DEV(c, "computer").destroy(), c.listAllDevices(0)))
step("dev not supported", lambda c: c.nodeDeviceLookupSCSIHostByWWN("1", "2", 0))
step("dev not supported 2", lambda c: c.nodeDeviceDefineXML(VHBA, 0))
step("dev not supported 3", lambda c: DEV(c, "computer").isActive())
step("dev not supported 4", lambda c: DEV(c, "computer").dettach())

# ---- secrets: not in libvirt's test driver ------------------------------------

step("secret list", lambda c: c.listAllSecrets(0))
step("secret define", lambda c: c.secretDefineXML("<secret ephemeral='no' private='no'/>", 0))
step("secret events", lambda c: c.secretEventRegisterAny(None, 0, lambda *a: None, None))
step("network dhcp leases", lambda c: NETNAME(c, "default").DHCPLeases())
step("network ports", lambda c: NETNAME(c, "default").listAllPorts(0))

# ---- events ----------------------------------------------------------------------

time.sleep(1.0)
for side in (ref, daemon):
    with side.lock:
        side.got = list(side.events)
if ref.got != daemon.got:
    differences.append("events:\n  libvirt:  %r\n  daemon:   %r" % (ref.got, daemon.got))
elif len(ref.got) < 20:
    differences.append("events: only %d received: %r" % (len(ref.got), ref.got))

for d in differences:
    print("DIFFERENCE", d)
print("%d steps and %d events compared, %d differences" % (steps[0], len(ref.got),
                                                           len(differences)))
sys.exit(1 if differences else 0)
