#!/usr/bin/python3
"""domapi.py URI OUT: the domain and host API beyond the lifecycle, through
libvirt-python, as a transcript (one line per call: its result or its
error's code, domain and message, and the events it raised).

Run against test:///default (libvirt's own test driver inside this
process) and against virtnetd (test+unix:///...), the two transcripts must
be equal (domapi.sh compares them). Values that legitimately differ are
normalised here: statistics the test driver derives from the clock.

The whole sequence runs on one connection (the test driver's state lives
as long as a connection to it is open)."""

import os
import re
import sys
import threading
import time

import libvirt
import libvirt_lxc

URI, OUT = sys.argv[1], sys.argv[2]
lines = []
events = []
events_lock = threading.Lock()


def ignore(_ctx, _err):
    pass


libvirt.registerErrorHandler(ignore, None)
libvirt.virEventRegisterDefaultImpl()


def loop():
    while True:
        libvirt.virEventRunDefaultImpl()


threading.Thread(target=loop, daemon=True).start()


def clocky(value):
    """Numbers the test driver derives from the clock: shape only."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return "<n>"
    if isinstance(value, float):
        return "<f>"
    if isinstance(value, (list, tuple)):
        return [clocky(v) for v in value]
    if isinstance(value, dict):
        return dict((k, clocky(v)) for k, v in value.items())
    return value


MARKER_NS = "http://virtnet.invalid/marker/%d"
marker = {"n": 0, "dom": None}


def stats_records(records):
    """All-domain stats by name: libvirt's test driver returns them in the
    order of its hash table, which changes from process to process."""
    return sorted((d.name(), s) for d, s in records)


def flush_events():
    """The events the last call raised. A marker event (a metadata change
    on a domain of its own) follows each call; events of one connection
    arrive in order, so once the marker is there every earlier event is."""
    marker["n"] += 1
    ns = MARKER_NS % marker["n"]
    marker["dom"].setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, "<m/>", "m", ns, 0)
    deadline = time.time() + 10
    while time.time() < deadline:
        with events_lock:
            if any(e[0] == "metadata" and e[3] == ns for e in events):
                got = [e for e in events if not (e[0] == "metadata" and e[1] == "marker")]
                events.clear()
                return got
        time.sleep(0.002)
    raise RuntimeError("the marker event did not arrive")


def call(name, fn, *args, norm=None):
    try:
        res = fn(*args)
        if norm:
            res = norm(res)
        out = "ok %r" % (res,)
    except libvirt.libvirtError as e:
        out = "error code=%d domain=%d msg=%s" % (e.get_error_code(), e.get_error_domain(),
                                                   e.get_error_message())
    ev = flush_events()
    lines.append("%s: %s%s" % (name, out, (" events=%r" % ev) if ev else ""))


def on_metadata(conn, dom, mtype, nsuri, opaque):
    with events_lock:
        events.append(("metadata", dom.name(), mtype, nsuri))


def on_lifecycle(conn, dom, event, detail, opaque):
    with events_lock:
        events.append(("lifecycle", dom.name(), event, detail))


conn = libvirt.open(URI)
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, None)
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, on_metadata, None)
marker["dom"] = conn.defineXML("<domain type='test'><name>marker</name><memory>1024</memory>"
                                "<os><type>hvm</type></os></domain>")
flush_events()
dom = conn.lookupByName("test")
LIVE = libvirt.VIR_DOMAIN_AFFECT_LIVE
CONFIG = libvirt.VIR_DOMAIN_AFFECT_CONFIG

# ---- the host
call("getSysinfo", conn.getSysinfo, 0)
call("getMaxVcpus", conn.getMaxVcpus, None)
call("getCellsFreeMemory", conn.getCellsFreeMemory, 0, 2)
call("getCellsFreeMemory(1, 8)", conn.getCellsFreeMemory, 1, 8)
call("getCellsFreeMemory(5)", conn.getCellsFreeMemory, 5, 1)
call("getCPUStats", conn.getCPUStats, -1, 0)
call("getCPUStats(flags)", conn.getCPUStats, -1, 1)
call("getCPUMap", conn.getCPUMap, 0)
# getFreePages succeeds with 0 entries in-process; over the wire the table
# itself is the answer (docs/test-driver.md): only its errors compare
call("getFreePages(flags)", conn.getFreePages, [4], 0, 1, 8)

# ---- statistics
call("blockStats(vda)", dom.blockStats, "vda", norm=clocky)
call("blockStats(source)", dom.blockStats, "/guest/diskimage1", norm=clocky)
call("blockStats(nope)", dom.blockStats, "nope")
call("blockStats('')", dom.blockStats, "")
call("interfaceStats(testnet0)", dom.interfaceStats, "testnet0", norm=clocky)
call("interfaceStats(mac)", dom.interfaceStats, "aa:bb:cc:dd:ee:ff", norm=clocky)
call("interfaceStats(eth9)", dom.interfaceStats, "eth9")
call("memoryStats", dom.memoryStats)
call("blockInfo(vda)", dom.blockInfo, "vda", 0)
call("blockInfo(nope)", dom.blockInfo, "nope", 0)
call("blockInfo(flags)", dom.blockInfo, "vda", 1)
call("getAllDomainStats", conn.getAllDomainStats, 0, 0, norm=stats_records)
call("getAllDomainStats(state)", conn.getAllDomainStats, libvirt.VIR_DOMAIN_STATS_STATE,
     0, norm=stats_records)
call("getAllDomainStats(balloon)", conn.getAllDomainStats, libvirt.VIR_DOMAIN_STATS_BALLOON,
     0, norm=stats_records)
call("getAllDomainStats(enforce)", conn.getAllDomainStats, libvirt.VIR_DOMAIN_STATS_BALLOON,
     libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS)
call("getAllDomainStats(inactive)", conn.getAllDomainStats, 0,
     libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE,
     norm=stats_records)
call("getAllDomainStats(badflag)", conn.getAllDomainStats, 0, 1 << 20)
call("domainListGetStats", conn.domainListGetStats, [dom], 0, 0,
     norm=stats_records)

# ---- memory
call("maxMemory", dom.maxMemory)
call("setMemory", dom.setMemory, 1048576)
call("info", dom.info, norm=lambda i: i[:4])
call("setMemory(too high)", dom.setMemory, 99999999)
call("setMaxMemory(running)", dom.setMaxMemory, 4194304)
call("setMemoryFlags(config)", dom.setMemoryFlags, 524288, CONFIG)
call("setMemoryFlags(max,config)", dom.setMemoryFlags, 4194304,
     CONFIG | libvirt.VIR_DOMAIN_MEM_MAXIMUM)
call("setMemoryFlags(badflag)", dom.setMemoryFlags, 524288, 64)
call("setMemoryFlags(live|config)", dom.setMemoryFlags, 524288, LIVE | CONFIG)
call("XMLDesc(inactive) memory", lambda: [l.strip() for l in dom.XMLDesc(
    libvirt.VIR_DOMAIN_XML_INACTIVE).splitlines() if "emory" in l])
call("memoryParameters", dom.memoryParameters, 0)
call("setMemoryParameters", dom.setMemoryParameters, {"hard_limit": 1000000}, 0)
call("setMemoryParameters(swap<hard)", dom.setMemoryParameters,
     {"hard_limit": 100, "swap_hard_limit": 50}, 0)
call("setMemoryParameters(config)", dom.setMemoryParameters,
     {"soft_limit": 4242, "swap_hard_limit": 9999999}, CONFIG)
call("memoryParameters(live)", dom.memoryParameters, LIVE)
call("memoryParameters(config)", dom.memoryParameters, CONFIG)

# ---- block I/O tuning, the guest's filesystems
call("blkioParameters", dom.blkioParameters, 0)
call("setBlkioParameters", dom.setBlkioParameters, {"weight": 500}, 0)
call("blkioParameters after", dom.blkioParameters, 0)
call("setBlkioParameters(config)", dom.setBlkioParameters, {"weight": 300}, CONFIG)
call("blkioParameters(config)", dom.blkioParameters, CONFIG)
call("setBlkioParameters(live|config)", dom.setBlkioParameters, {"weight": 1}, LIVE | CONFIG)
call("setBlkioParameters(badflag)", dom.setBlkioParameters, {"weight": 1}, 64)
call("setBlkioParameters(empty device)", dom.setBlkioParameters, {"device_weight": ""}, 0)
call("blkiotune in XML", lambda: [l.strip() for l in dom.XMLDesc(0).splitlines()
                                  if "blkiotune" in l or "weight" in l])
call("fsFreeze(all)", dom.fsFreeze, None, 0)
call("fsFreeze(all again)", dom.fsFreeze, None, 0)
call("fsThaw(/boot)", dom.fsThaw, ["/boot"], 0)
call("fsFreeze(/, /boot)", dom.fsFreeze, ["/", "/boot"], 0)
call("fsThaw(/nope)", dom.fsThaw, ["/", "/nope"], 0)
call("fsThaw(all)", dom.fsThaw, None, 0)
call("fsFreeze(badflag)", dom.fsFreeze, None, 1)
call("fsTrim(all)", dom.fSTrim, None, 0, 0)
call("fsTrim(/boot)", dom.fSTrim, "/boot", 1024, 0)
call("fsTrim(/nope)", dom.fSTrim, "/nope", 0, 0)

# ---- NUMA memory tuning
call("numaParameters", dom.numaParameters, 0)
call("setNumaParameters(mode only)", dom.setNumaParameters, {"numa_mode": 1}, 0)
call("setNumaParameters(nodeset)", dom.setNumaParameters, {"numa_nodeset": "0-1,3, 4"}, 0)
call("numaParameters after", dom.numaParameters, 0)
call("setNumaParameters(mode, live)", dom.setNumaParameters, {"numa_mode": 2}, LIVE)
call("setNumaParameters(same mode, live)", dom.setNumaParameters, {"numa_mode": 0}, LIVE)
call("setNumaParameters(config)", dom.setNumaParameters,
     {"numa_mode": 2, "numa_nodeset": "^1,0,5-7,"}, CONFIG)
call("numaParameters(config)", dom.numaParameters, CONFIG)
call("setNumaParameters(mode, config)", dom.setNumaParameters, {"numa_mode": 3}, CONFIG)
for bad in ("^0", "x", "1-", "2000", "", "1,,2", "3-1", "-1"):
    call("setNumaParameters(%r)" % bad, dom.setNumaParameters, {"numa_nodeset": bad}, 0)
call("setNumaParameters(mode 7)", dom.setNumaParameters, {"numa_mode": 7}, CONFIG)
call("setNumaParameters(badflag)", dom.setNumaParameters, {"numa_mode": 0}, 64)
call("numaParameters(badflag)", dom.numaParameters, 64)
call("numatune in XML", lambda: [l.strip() for l in dom.XMLDesc(0).splitlines()
                                 if "numatune" in l or "<memory mode" in l])
call("numatune in XML(inactive)", lambda: [
    l.strip() for l in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE).splitlines()
    if "numatune" in l or "<memory mode" in l])

# ---- interface bandwidth
call("interfaceParameters", dom.interfaceParameters, "testnet0", 0)
call("setInterfaceParameters", dom.setInterfaceParameters, "testnet0",
     {"inbound.average": 100, "inbound.peak": 200, "inbound.burst": 50,
      "outbound.average": 300, "outbound.burst": 10}, 0)
call("interfaceParameters after", dom.interfaceParameters, "testnet0", 0)
call("bandwidth in XML", lambda: [l.strip() for l in dom.XMLDesc(0).splitlines()
                                  if "bandwidth" in l or "bound" in l])
call("setInterfaceParameters(peak only)", dom.setInterfaceParameters, "testnet0",
     {"inbound.peak": 5}, 0)
call("setInterfaceParameters(floor)", dom.setInterfaceParameters, "testnet0",
     {"inbound.floor": 7}, 0)
call("interfaceParameters after floor", dom.interfaceParameters, "testnet0", 0)
call("setInterfaceParameters(clear out)", dom.setInterfaceParameters, "testnet0",
     {"outbound.average": 0}, 0)
call("bandwidth in XML after", lambda: [l.strip() for l in dom.XMLDesc(0).splitlines()
                                        if "bandwidth" in l or "bound" in l])
call("setInterfaceParameters(config)", dom.setInterfaceParameters, "testnet0",
     {"outbound.average": 9, "outbound.peak": 10}, CONFIG)
call("interfaceParameters(config)", dom.interfaceParameters, "testnet0", CONFIG)
call("interfaceParameters(unknown)", dom.interfaceParameters, "eth9", 0)
call("setInterfaceParameters(unknown)", dom.setInterfaceParameters, "eth9",
     {"inbound.average": 1}, 0)
call("setInterfaceParameters(badflag)", dom.setInterfaceParameters, "testnet0",
     {"inbound.average": 1}, 64)

# ---- perf events, the balloon's statistics period, signals to the guest
call("perfEvents", dom.perfEvents, 0)
call("setPerfEvents", dom.setPerfEvents, {"cmt": True, "cpu_cycles": False}, 0)
call("perfEvents after", dom.perfEvents, 0)
call("setPerfEvents(again)", dom.setPerfEvents, {"mbml": True, "cmt": False}, LIVE)
call("perfEvents(config)", dom.perfEvents, CONFIG)
call("setPerfEvents(config)", dom.setPerfEvents, {"emulation_faults": True}, CONFIG)
call("perfEvents(config) after", dom.perfEvents, CONFIG)
call("setPerfEvents(badflag)", dom.setPerfEvents, {"cmt": True}, 64)
call("perfEvents(badflag)", dom.perfEvents, 64)
call("perf in XML", lambda: [l.strip() for l in dom.XMLDesc(0).splitlines()
                             if "perf" in l or "<event" in l])
call("setMemoryStatsPeriod(10)", dom.setMemoryStatsPeriod, 10, 0)
call("setMemoryStatsPeriod(5, config)", dom.setMemoryStatsPeriod, 5, CONFIG)
call("setMemoryStatsPeriod(-1)", dom.setMemoryStatsPeriod, -1, 0)
call("setMemoryStatsPeriod(badflag)", dom.setMemoryStatsPeriod, 1, 64)
call("memballoon in XML", lambda: [l.strip() for l in dom.XMLDesc(0).splitlines()
                                   if "memballoon" in l or "stats" in l])
call("memballoon in XML(inactive)", lambda: [
    l.strip() for l in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE).splitlines()
    if "memballoon" in l or "stats" in l])
call("setMemoryStatsPeriod(0)", dom.setMemoryStatsPeriod, 0, 0)
call("memballoon in XML after 0", lambda: [l.strip() for l in dom.XMLDesc(0).splitlines()
                                           if "memballoon" in l or "stats" in l])
call("sendProcessSignal(1, 15)", dom.sendProcessSignal, 1, 15, 0)
call("sendProcessSignal(2, 15)", dom.sendProcessSignal, 2, 15, 0)
call("sendProcessSignal(0, 15)", dom.sendProcessSignal, 0, 15, 0)
call("sendProcessSignal(1, 65)", dom.sendProcessSignal, 1, 65, 0)
call("sendProcessSignal(badflag)", dom.sendProcessSignal, 1, 9, 1)

# ---- vCPUs
call("maxVcpus", dom.maxVcpus)
call("vcpus", dom.vcpus, norm=lambda r: (clocky(r[0]), r[1]))
for f in (0, LIVE, CONFIG, libvirt.VIR_DOMAIN_VCPU_MAXIMUM, LIVE | CONFIG):
    call("vcpusFlags(%d)" % f, dom.vcpusFlags, f)
call("setVcpusFlags(1, live)", dom.setVcpusFlags, 1, LIVE)
call("vcpus after", dom.vcpus, norm=lambda r: (clocky(r[0]), r[1]))
call("setVcpus(64)", dom.setVcpus, 64)
call("setVcpusFlags(3, config)", dom.setVcpusFlags, 3, CONFIG)
call("setVcpusFlags(3, config|max)", dom.setVcpusFlags, 3,
     CONFIG | libvirt.VIR_DOMAIN_VCPU_MAXIMUM)
call("vcpusFlags(config|max)", dom.vcpusFlags, CONFIG | libvirt.VIR_DOMAIN_VCPU_MAXIMUM)
call("pinVcpu(0)", dom.pinVcpu, 0, (True, False, True))
call("pinVcpu(5)", dom.pinVcpu, 5, (True,))
call("vcpuPinInfo", dom.vcpuPinInfo, 0)
call("vcpuPinInfo(config)", dom.vcpuPinInfo, CONFIG)
call("emulatorPinInfo", dom.emulatorPinInfo, 0)
call("pinEmulator", dom.pinEmulator, (False, True), 0)
call("pinEmulator(empty)", dom.pinEmulator, (False, False), 0)
call("emulatorPinInfo after", dom.emulatorPinInfo, 0)
call("emulatorPinInfo(config)", dom.emulatorPinInfo, CONFIG)

# ---- the scheduler
call("schedulerType", dom.schedulerType)
call("schedulerParameters", dom.schedulerParameters)
call("schedulerParametersFlags(0)", dom.schedulerParametersFlags, 0)
call("setSchedulerParameters", dom.setSchedulerParameters, {"weight": 10})
call("setSchedulerParametersFlags(config)", dom.setSchedulerParametersFlags, {"weight": 10},
     CONFIG)

# ---- guest information
call("hostname", dom.hostname, 0)
call("getTime", dom.getTime, 0)
call("setTime", dom.setTime, {"seconds": 5000, "nseconds": 7}, 0)
call("getTime after", dom.getTime, 0)
call("controlInfo", dom.controlInfo, 0)
call("setTime(40001)", dom.setTime, {"seconds": 40001}, 0)
call("controlInfo(error)", dom.controlInfo, 0)
call("isUpdated", dom.isUpdated)
call("setUserPassword", dom.setUserPassword, "root", "secret", 0)
call("setUserPassword(encrypted)", dom.setUserPassword, "root", "$6$x", 1)
call("setUserPassword(badflag)", dom.setUserPassword, "root", "x", 2)
call("launchSecurityInfo", dom.launchSecurityInfo, 0)
call("setLifecycleAction(poweroff, preserve)", dom.setLifecycleAction,
     libvirt.VIR_DOMAIN_LIFECYCLE_POWEROFF, libvirt.VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE, 0)
call("setLifecycleAction(reboot, coredump)", dom.setLifecycleAction,
     libvirt.VIR_DOMAIN_LIFECYCLE_REBOOT, libvirt.VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY, 0)
call("setLifecycleAction(crash, coredump, config)", dom.setLifecycleAction,
     libvirt.VIR_DOMAIN_LIFECYCLE_CRASH, libvirt.VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART,
     CONFIG)
call("lifecycle in the XML", lambda: [l.strip() for l in dom.XMLDesc(0).splitlines() if "on_" in l]
     + [l.strip() for l in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE).splitlines() if "on_" in l])
call("reset", dom.reset, 0)
call("reset(flags)", dom.reset, 1)
call("metadata(title)", dom.metadata, libvirt.VIR_DOMAIN_METADATA_TITLE, None, 0)
call("setMetadata(title)", dom.setMetadata, libvirt.VIR_DOMAIN_METADATA_TITLE, "A title",
     None, None, 0)
call("metadata(title) after", dom.metadata, libvirt.VIR_DOMAIN_METADATA_TITLE, None, 0)
call("setMetadata(desc, config)", dom.setMetadata, libvirt.VIR_DOMAIN_METADATA_DESCRIPTION,
     "Some words", None, None, CONFIG)
call("metadata(desc)", dom.metadata, libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, None, 0)
call("metadata(desc, config)", dom.metadata, libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, None,
     CONFIG)
call("setMetadata(element)", dom.setMetadata, libvirt.VIR_DOMAIN_METADATA_ELEMENT,
     "<app><x a='1'>y</x></app>", "k", "http://example.org/k/", 0)
call("metadata(element)", dom.metadata, libvirt.VIR_DOMAIN_METADATA_ELEMENT,
     "http://example.org/k/", 0)
call("metadata(other ns)", dom.metadata, libvirt.VIR_DOMAIN_METADATA_ELEMENT,
     "http://example.org/other/", 0)
call("setMetadata(bad xml)", dom.setMetadata, libvirt.VIR_DOMAIN_METADATA_ELEMENT,
     "<app>", "k", "http://example.org/k/", 0)
call("setMetadata(remove element)", dom.setMetadata, libvirt.VIR_DOMAIN_METADATA_ELEMENT,
     None, None, "http://example.org/k/", 0)
call("metadata(element) removed", dom.metadata, libvirt.VIR_DOMAIN_METADATA_ELEMENT,
     "http://example.org/k/", 0)
call("setMetadata(title, clear)", dom.setMetadata, libvirt.VIR_DOMAIN_METADATA_TITLE, "",
     None, None, 0)
call("metadata(type 7)", dom.metadata, 7, None, 0)

# ---- keys to the guest, its memory, its messages, CPU models, creation
# with files
def key_sweep(codeset):
    """The codes of a codeset the driver refuses, as ranges, with the first
    refusal's message: every code up to 0x220, the 0xe0xx prefix codes and
    a few past any table."""
    bad, msg = [], None
    for k in list(range(0x220)) + list(range(0xe000, 0xe080)) + [0xffff, 0x10000, 0xffffffff]:
        try:
            dom.sendKey(codeset, 0, [k], 1, 0)
        except libvirt.libvirtError as e:
            msg = msg or e.get_error_message()
            if bad and bad[-1][1] == k - 1:
                bad[-1][1] = k
            else:
                bad.append([k, k])
    return ["%x-%x" % (a, b) if a != b else "%x" % a for a, b in bad], msg


for cs in range(10):
    call("sendKey sweep(codeset %d)" % cs, key_sweep, cs)
call("sendKey(linux A B)", dom.sendKey, libvirt.VIR_KEYCODE_SET_LINUX, 0, [30, 48], 2, 0)
call("sendKey(holdtime)", dom.sendKey, libvirt.VIR_KEYCODE_SET_LINUX, 500, [29, 46], 2, 0)
call("sendKey(one bad of 3)", dom.sendKey, libvirt.VIR_KEYCODE_SET_USB, 0, [4, 0x300, 5], 3, 0)
call("sendKey(16 keys)", dom.sendKey, 0, 0, [1] * 16, 16, 0)
call("sendKey(codeset 10)", dom.sendKey, 10, 0, [1], 1, 0)
call("sendKey(badflag)", dom.sendKey, 0, 0, [1], 1, 1)
call("sendKey(shut off)", marker["dom"].sendKey, 0, 0, [1], 1, 0)
MEM_VIRT, MEM_PHYS = libvirt.VIR_MEMORY_VIRTUAL, libvirt.VIR_MEMORY_PHYSICAL
call("memoryPeek(0, 16, virtual)", dom.memoryPeek, 0, 16, MEM_VIRT)
call("memoryPeek(250, 10, physical)", dom.memoryPeek, 250, 10, MEM_PHYS)
call("memoryPeek(2^40+7, 4)", dom.memoryPeek, (1 << 40) + 7, 4, MEM_VIRT)
call("memoryPeek(size 0)", dom.memoryPeek, 0, 0, MEM_VIRT)
call("memoryPeek(4 MiB)", dom.memoryPeek, 3, 4194304, MEM_PHYS,
     norm=lambda b: (len(b), b[:4], b[-4:], sum(b)))
call("memoryPeek(no flag)", dom.memoryPeek, 0, 16, 0)
call("memoryPeek(both flags)", dom.memoryPeek, 0, 16, MEM_VIRT | MEM_PHYS)
call("memoryPeek(badflag)", dom.memoryPeek, 0, 16, 4)
call("memoryPeek(shut off)", marker["dom"].memoryPeek, 0, 16, MEM_VIRT)
for f in (0, 1, 2, 3, 4):
    call("messages(%d)" % f, dom.messages, f)
call("messages(shut off)", marker["dom"].messages, 0)
for arch in ("x86_64", "i686", "ppc64", "ppc64le", "aarch64", "armv7l", "s390x", "mips",
             "riscv64", "none", "bogus", "", "X86_64"):
    call("getCPUModelNames(%r)" % arch, conn.getCPUModelNames, arch, 0)
call("getCPUModelNames(badflag)", conn.getCPUModelNames, "x86_64", 1)


def host_cpu(arch, model, vendor=None, feats=(), extra="", attrs=""):
    """A host CPU definition as capabilities XML gives it."""
    return "<cpu%s>%s%s%s%s%s</cpu>" % (
        attrs, "<arch>%s</arch>" % arch if arch else "",
        "<model>%s</model>" % model if model is not None else "",
        "<vendor>%s</vendor>" % vendor if vendor else "",
        "".join("<feature name='%s'/>" % f for f in feats), extra)


X86_MODELS = conn.getCPUModelNames("x86_64", 0)
BASELINES = [
    ("one", [host_cpu("x86_64", "Haswell", "Intel", ["vmx"])]),
    ("two Intel", [host_cpu("x86_64", "Haswell", "Intel", ["vmx"]),
                   host_cpu("x86_64", "Westmere", "Intel")]),
    ("same model twice", [host_cpu("x86_64", "Westmere", "Intel", ["avx"]),
                          host_cpu("x86_64", "Westmere", "Intel", ["avx", "vmx"])]),
    ("five Intel", [host_cpu("x86_64", m, "Intel") for m in
                    ("Skylake-Client", "Haswell", "IvyBridge", "SandyBridge", "Nehalem")]),
    ("no vendors", [host_cpu("x86_64", "Haswell"), host_cpu("x86_64", "EPYC")]),
    ("vendor on first only", [host_cpu("x86_64", "Haswell", "Intel"),
                              host_cpu("x86_64", "Broadwell")]),
    ("vendor on second only", [host_cpu("x86_64", "Haswell"),
                               host_cpu("x86_64", "Broadwell", "Intel")]),
    ("AMD", [host_cpu("x86_64", "Opteron_G3", "AMD"), host_cpu("x86_64", "Opteron_G4", "AMD")]),
    ("EPYC removed feature", [host_cpu("x86_64", "EPYC")]),
    ("EPYC with monitor", [host_cpu("x86_64", "EPYC", "AMD", ["monitor"])]),
    ("no guest decode", [host_cpu("x86_64", "Skylake-Client-noTSX-IBRS", "Intel")]),
    ("i686", [host_cpu("i686", "pentium3"), host_cpu("i686", "486")]),
    ("arches differ", [host_cpu("x86_64", "Haswell"), host_cpu("aarch64", "Westmere")]),
    ("policies ignored", [host_cpu("x86_64", "Haswell", "Intel", extra=
                          "<feature policy='forbid' name='vmx'/>"
                          "<feature policy='disable' name='avx2'/>")]),
    ("extra elements", [host_cpu("x86_64", "Haswell", extra=
                        "<topology sockets='1' cores='2' threads='1'/>"
                        "<signature family='6' model='60' stepping='3'/>"
                        "<microcode version='1'/><counter name='tsc' frequency='1'/>")]),
    ("vendors differ", [host_cpu("x86_64", "Haswell", "Intel"), host_cpu("x86_64", "EPYC", "AMD")]),
    ("Hygon and AMD", [host_cpu("x86_64", "Dhyana", "Hygon"), host_cpu("x86_64", "EPYC")]),
    ("model's vendor differs", [host_cpu("x86_64", "Haswell", "Intel"),
                                host_cpu("x86_64", "Haswell", "AMD")]),
    ("first model's vendor differs", [host_cpu("x86_64", "Haswell", "AMD")]),
    ("unknown vendor", [host_cpu("x86_64", "Haswell", "Foo")]),
    ("unknown vendor second", [host_cpu("x86_64", "Haswell"), host_cpu("x86_64", "qemu64", "Foo")]),
    ("unknown model", [host_cpu("x86_64", "foo")]),
    ("unknown model second", [host_cpu("x86_64", "Haswell"), host_cpu("x86_64", "foo")]),
    ("unknown feature", [host_cpu("x86_64", "Haswell", feats=["nosuch"])]),
    ("duplicate feature", [host_cpu("x86_64", "Haswell", feats=["vmx", "vmx"])]),
    ("feature without name", [host_cpu("x86_64", "Haswell", extra="<feature/>")]),
    ("missing arch", [host_cpu(None, "foo")]),
    ("empty arch", [host_cpu(None, "foo", extra="<arch></arch>")]),
    ("unknown arch", [host_cpu("foo", "Haswell")]),
    ("missing model", [host_cpu("x86_64", None)]),
    ("empty model", [host_cpu("x86_64", "")]),
    ("mode", [host_cpu("x86_64", "Haswell", attrs=" mode='custom'")]),
    ("migratable", [host_cpu("x86_64", "Haswell", attrs=" migratable='on'")]),
    ("migratable bogus", [host_cpu("x86_64", "Haswell", attrs=" migratable='x'")]),
    ("topology zero", [host_cpu("x86_64", "Haswell", extra=
                       "<topology sockets='0' cores='1' threads='1'/>")]),
    ("topology missing", [host_cpu("x86_64", "Haswell", extra="<topology sockets='1'/>")]),
    ("signature bad", [host_cpu("x86_64", "Haswell", extra="<signature family='x'/>")]),
    ("no CPUs", []),
    ("empty document", [""]),
    ("not XML", ["<cpu"]),
    ("other root", ["<cpux/>"]),
    ("second invalid", [host_cpu("x86_64", "Haswell"), "<cpu><arch>x86_64</arch></cpu>"]),
    ("aarch64", [host_cpu("aarch64", "cortex-a57", "ARM"), host_cpu("aarch64", "other")]),
    ("armv7l any model", [host_cpu("armv7l", "a&lt;b&amp;c'")]),
    ("ppc64", [host_cpu("ppc64", "POWER8", "IBM"), host_cpu("ppc64", "POWER8")]),
    ("ppc64le", [host_cpu("ppc64le", "POWER9")]),
    ("ppc64 models differ", [host_cpu("ppc64", "POWER8"), host_cpu("ppc64", "POWER9")]),
    ("ppc64 vendor differs", [host_cpu("ppc64", "POWER8", "Freescale")]),
    ("ppc64 unknown vendor", [host_cpu("ppc64", "POWER8", "Foo")]),
    ("ppc64 unknown model", [host_cpu("ppc64", "POWER99")]),
    ("s390x", [host_cpu("s390x", "z13")]),
    ("mips", [host_cpu("mips", "z13")]),
]
for name, cpus in BASELINES:
    for flags in (0, 1):
        call("baselineCPU(%s, %d)" % (name, flags), conn.baselineCPU, cpus, flags)
for flags in (2, 4, 3):
    call("baselineCPU(badflag %d)" % flags, conn.baselineCPU, BASELINES[0][1], flags)
# every x86 model alone and beside the next one, plain and expanded
for i, model in enumerate(X86_MODELS):
    pair = X86_MODELS[i:i + 2]
    for flags in (0, 1):
        call("baselineCPU(%s, %d)" % (model, flags), conn.baselineCPU,
             [host_cpu("x86_64", model)], flags)
        call("baselineCPU(%s, %d)" % ("+".join(pair), flags), conn.baselineCPU,
             [host_cpu("x86_64", m) for m in pair], flags)
with open("/dev/null") as devnull:
    FD = devnull.fileno()
    call("createXMLWithFiles", conn.createXMLWithFiles,
         "<domain type='test'><name>withfiles</name><memory>1024</memory>"
         "<os><type>hvm</type></os></domain>", [FD], 0, norm=lambda d: (d.name(), d.ID() > 0))
    call("createXMLWithFiles(no files, bad xml)", conn.createXMLWithFiles, "<domain>", [], 0)
    call("createXMLWithFiles(badflag)", conn.createXMLWithFiles,
         "<domain type='test'><name>wf2</name><memory>1024</memory>"
         "<os><type>hvm</type></os></domain>", [], 1 << 8)
    call("createWithFiles(running)", dom.createWithFiles, [FD], 0)
    call("createWithFiles(marker)", marker["dom"].createWithFiles, [FD, FD], 0)
    call("marker state, ID after createWithFiles", lambda: (marker["dom"].state(0),
                                                           marker["dom"].ID() > 0))
    call("createWithFiles(badflag)", dom.createWithFiles, [], 1 << 8)
    call("destroy marker", marker["dom"].destroy)
    call("destroy withfiles", conn.lookupByName("withfiles").destroy)
# libvirt-lxc's call (the lxc program): the test driver has none
call("lxcOpenNamespace", libvirt_lxc.lxcOpenNamespace, dom, 0)
call("lxcOpenNamespace(badflag)", libvirt_lxc.lxcOpenNamespace, dom, 1)
# a node file's domains: libvirt's test driver taints them at load
NODE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "domapi-node.xml")
nodeconn = libvirt.open(URI.replace("///default", "//" + NODE, 1))
for name in ("tainted", "scsiraw", "clean"):
    for f in (0, 1, 2):
        call("node %s messages(%d)" % (name, f), nodeconn.lookupByName(name).messages, f)
call("node tainted: after a restart", lambda: (nodeconn.lookupByName("tainted").destroy(),
                                               nodeconn.lookupByName("tainted").create(),
                                               nodeconn.lookupByName("tainted").messages(0)))
call("node: a domain defined later", lambda: nodeconn.defineXML(
    "<domain type='test'><name>late</name><memory>1024</memory>"
    "<os><type>hvm</type><dtb>/x</dtb></os></domain>").messages(0))
nodeconn.close()

# ---- the guest agent API: libvirt's test driver answers file systems and
# interface addresses from the definition (an interface on a network would
# need the network: one of another type), the rest is not supported
agentdom = conn.createXML(
    "<domain type='test'><name>agentdom</name><memory>1024</memory><os><type>hvm</type></os>"
    "<devices><disk type='file' device='cdrom'><source file='/x.iso'/><target dev='hdc'/></disk>"
    "<disk type='file' device='disk'><source file='/y.img'/><target dev='vdb'/></disk>"
    "<interface type='user'><mac address='52:54:00:AB:CD:EF'/><target dev='tap7'/></interface>"
    "<interface type='ethernet'><mac address='52:54:00:00:00:02'/><target dev='tap8'/>"
    "</interface></devices></domain>", 0)
flush_events()
AGENT_SRC = libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT
call("fsInfo", agentdom.fsInfo, 0)
call("fsInfo(flags)", agentdom.fsInfo, 1)
call("fsInfo(no disk)", marker["dom"].fsInfo, 0)
for src in (libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, AGENT_SRC,
            libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP, 9):
    call("interfaceAddresses(%d)" % src, agentdom.interfaceAddresses, src, 0)
call("interfaceAddresses(flags)", agentdom.interfaceAddresses, AGENT_SRC, 1)
call("guestInfo", agentdom.guestInfo, 0, 0)
call("authorizedSSHKeysGet", agentdom.authorizedSSHKeysGet, "root", 0)
call("authorizedSSHKeysSet", agentdom.authorizedSSHKeysSet, "root", ["ssh-rsa AAAA x"], 0)
call("guestVcpus", agentdom.guestVcpus, 0)
call("setGuestVcpus", agentdom.setGuestVcpus, "0", 1, 0)
call("agentSetResponseTimeout", agentdom.agentSetResponseTimeout, 5, 0)
call("hostname(agent)", agentdom.hostname, libvirt.VIR_DOMAIN_GET_HOSTNAME_AGENT)
call("shutdownFlags(agent)", agentdom.shutdownFlags, libvirt.VIR_DOMAIN_SHUTDOWN_GUEST_AGENT)
call("reboot(agent)", agentdom.reboot, libvirt.VIR_DOMAIN_REBOOT_GUEST_AGENT)
call("destroy agentdom", agentdom.destroy)
call("fsInfo(shut off)", marker["dom"].fsInfo, 0)
call("interfaceAddresses(shut off)", marker["dom"].interfaceAddresses, AGENT_SRC, 0)

# ---- IOThreads, a disk's I/O throttling, pins as the XML shows them
def tune_section():
    def call_any(name, fn, *args, norm=None):
        """call() that also records the binding's own refusals (a typed
        parameter of the wrong type or name is refused by libvirt-python)"""
        def wrapped():
            try:
                return fn(*args)
            except (TypeError, ValueError, LookupError) as e:
                return "python %s: %s" % (type(e).__name__, e)
        call(name, wrapped, norm=norm)

    def xml_lines(d, flags=0):
        keep = ("iothread", "cputune", "vcpupin", "emulatorpin", "iotune", "_sec", "group_name",
                "<vcpu", "<driver", "idmap>", "<uid ", "<gid ")
        return [l.strip() for l in d.XMLDesc(flags).splitlines() if any(k in l for k in keep)]

    stats = libvirt.VIR_DOMAIN_STATS_IOTHREAD
    call("ioThreadInfo(none)", dom.ioThreadInfo, 0)
    call("addIOThread(0)", dom.addIOThread, 0, 0)
    call("addIOThread(1, live)", dom.addIOThread, 1, LIVE)
    call("addIOThread(1, live again)", dom.addIOThread, 1, LIVE)
    call("addIOThread(2, config)", dom.addIOThread, 2, CONFIG)
    call("addIOThread(3, current)", dom.addIOThread, 3, 0)
    call("addIOThread(badflag)", dom.addIOThread, 4, 1 << 5)
    call("addIOThread(live|config)", dom.addIOThread, 4, LIVE | CONFIG)
    for f in (0, LIVE, CONFIG, LIVE | CONFIG):
        call("ioThreadInfo(%d)" % f, dom.ioThreadInfo, f)
    call("pinIOThread(1, live)", dom.pinIOThread, 1, (False, True, True), LIVE)
    call("pinIOThread(3, current)", dom.pinIOThread, 3, (True,), 0)
    call("pinIOThread(empty)", dom.pinIOThread, 1, (False, False), LIVE)
    call("pinIOThread(9)", dom.pinIOThread, 9, (True,), LIVE)
    call("pinIOThread(2, config)", dom.pinIOThread, 2, (False, False, False, True), CONFIG)
    call("pinIOThread(2, live)", dom.pinIOThread, 2, (True,), LIVE)
    call("pinIOThread(badflag)", dom.pinIOThread, 1, (True,), 1 << 7)
    call("ioThreadInfo after pins", dom.ioThreadInfo, 0)
    call("ioThreadInfo(config) after pins", dom.ioThreadInfo, CONFIG)
    call("setIOThreadParams(1)", dom.setIOThreadParams, 1,
         {libvirt.VIR_DOMAIN_IOTHREAD_POLL_MAX_NS: 100, libvirt.VIR_DOMAIN_IOTHREAD_POLL_GROW: 2},
         LIVE)
    call("setIOThreadParams(1, shrink)", dom.setIOThreadParams, 1,
         {libvirt.VIR_DOMAIN_IOTHREAD_POLL_SHRINK: 3}, 0)
    call("setIOThreadParams(0)", dom.setIOThreadParams, 0,
         {libvirt.VIR_DOMAIN_IOTHREAD_POLL_SHRINK: 3}, 0)
    call("setIOThreadParams(9)", dom.setIOThreadParams, 9,
         {libvirt.VIR_DOMAIN_IOTHREAD_POLL_SHRINK: 3}, 0)
    call("setIOThreadParams(2, config only)", dom.setIOThreadParams, 2,
         {libvirt.VIR_DOMAIN_IOTHREAD_POLL_SHRINK: 3}, LIVE)
    call("setIOThreadParams(config)", dom.setIOThreadParams, 1,
         {libvirt.VIR_DOMAIN_IOTHREAD_POLL_SHRINK: 3}, CONFIG)
    call_any("setIOThreadParams(bad name)", dom.setIOThreadParams, 1, {"poll_nope": 3}, 0)
    call_any("setIOThreadParams(bad type)", dom.setIOThreadParams, 1,
             {libvirt.VIR_DOMAIN_IOTHREAD_POLL_GROW: "x"}, 0)
    call("getAllDomainStats(iothread)", conn.getAllDomainStats, stats, 0, norm=stats_records)
    call("domainListGetStats(iothread)", conn.domainListGetStats, [dom], stats, 0,
         norm=stats_records)
    call("XML with IOThreads", xml_lines, dom)
    call("XML with IOThreads (inactive)", xml_lines, dom, libvirt.VIR_DOMAIN_XML_INACTIVE)
    call("delIOThread(0)", dom.delIOThread, 0, 0)
    call("delIOThread(1, live)", dom.delIOThread, 1, LIVE)
    call("delIOThread(1, live again)", dom.delIOThread, 1, LIVE)
    call("delIOThread(2, config)", dom.delIOThread, 2, CONFIG)
    call("delIOThread(badflag)", dom.delIOThread, 3, 1 << 9)
    call("getAllDomainStats(iothread) after del", conn.getAllDomainStats, stats, 0,
         norm=stats_records)
    call("XML after delIOThread", xml_lines, dom)

    # IOThreads from the XML: the count fills ids in, a disk and a controller
    # use some
    base = ("<domain type='test'><name>iot</name>"
            "<uuid>2d8e3c1a-7f1b-4a52-9a51-0c7d3b7e6f10</uuid><memory>1024</memory>"
            "<vcpu cpuset='1-2'>3</vcpu>%s<os><type>hvm</type></os><devices>"
            "<disk type='file' device='disk'><driver name='qemu' iothread='2'/>"
            "<source file='/tmp/iot.img'/><target dev='vdb' bus='virtio'/></disk>"
            "<controller type='scsi' index='0' model='virtio-scsi'><driver iothread='5'/>"
            "</controller></devices></domain>")
    for name, extra in (("dup", "<iothreadids><iothread id='2'/><iothread id='2'/></iothreadids>"),
                        ("zero", "<iothreadids><iothread id='0'/></iothreadids>"),
                        ("no id", "<iothreadids><iothread/></iothreadids>"),
                        ("bad pool", "<iothreadids><iothread id='1' thread_pool_min='-2'/>"
                                     "</iothreadids>"),
                        ("bad count", "<iothreads>many</iothreads>")):
        call("defineXML(iothreads %s)" % name, conn.defineXML, base % extra,
             norm=lambda d: d.name())
    # pins in a defined XML, checked and ordered as libvirt's parser does
    # (a vCPU past the maximum: its pin dropped)
    for name, extra in (
            ("vcpu past max", "<cputune><vcpupin vcpu='5' cpuset='0'/></cputune>"),
            ("no iothread", "<cputune><iothreadpin iothread='3' cpuset='0'/></cputune>"),
            ("iothread 0", "<iothreads>1</iothreads>"
                           "<cputune><iothreadpin iothread='0' cpuset='0'/></cputune>"),
            ("dup vcpu", "<cputune><vcpupin vcpu='1' cpuset='0'/>"
                         "<vcpupin vcpu='1' cpuset='1'/></cputune>"),
            ("dup iothread", "<iothreads>1</iothreads><cputune>"
                             "<iothreadpin iothread='1' cpuset='0'/>"
                             "<iothreadpin iothread='1' cpuset='1'/></cputune>"),
            ("bad cpuset", "<cputune><vcpupin vcpu='1' cpuset='x'/></cputune>"),
            ("empty cpuset", "<cputune><vcpupin vcpu='0' cpuset='^0'/></cputune>"),
            ("huge cpuset", "<cputune><emulatorpin cpuset='20000'/></cputune>"),
            ("no vcpu", "<cputune><vcpupin cpuset='0'/></cputune>"),
            ("vcpu -1", "<cputune><vcpupin vcpu='-1' cpuset='0'/></cputune>"),
            ("no cpuset", "<cputune><vcpupin vcpu='0'/></cputune>"),
            ("two emulatorpins", "<cputune><emulatorpin cpuset='0'/>"
                                 "<emulatorpin cpuset='1'/></cputune>"),
            ("order", "<iothreads>2</iothreads><cputune><iothreadpin iothread='2' cpuset='1'/>"
                      "<vcpupin vcpu='7' cpuset='1'/><emulatorpin cpuset='0 - 1'/>"
                      "<vcpupin vcpu='0' cpuset='1'/></cputune>")):
        call("defineXML(pins %s)" % name, conn.defineXML, base % extra,
             norm=lambda d: d.name())
        if name == "order":
            call("pins order XML", xml_lines, conn.lookupByName("iot"),
                 libvirt.VIR_DOMAIN_XML_INACTIVE)
    # a disk's <iotune> numbers as libvirt's parser reads them
    tuned = ("<domain type='test'><name>iotune</name>"
             "<uuid>5b0e7d52-3f7a-4c1e-8d3a-2f6b9c1e4a77</uuid><memory>1024</memory>"
             "<os><type>hvm</type></os><devices><disk type='file' device='disk'>"
             "<source file='/tmp/iotune.img'/><target dev='vdb' bus='virtio'/>"
             "<iotune>%s</iotune></disk></devices></domain>")
    for name, extra in (("word", "<total_bytes_sec>fast</total_bytes_sec>"),
                        ("negative", "<read_iops_sec> -5</read_iops_sec>"),
                        ("trailing", "<size_iops_sec>5k</size_iops_sec>"),
                        ("huge", "<write_bytes_sec>99999999999999999999</write_bytes_sec>"),
                        ("empty", "<total_iops_sec></total_iops_sec>"),
                        ("spaces", "<total_iops_sec> 7</total_iops_sec>"),
                        ("group word", "<group_name>g</group_name>"
                                       "<total_bytes_sec_max_length>x</total_bytes_sec_max_length>")):
        call("defineXML(iotune %s)" % name, conn.defineXML, tuned % extra,
             norm=lambda d: d.name())
    call("undefine(iotune)", lambda: conn.lookupByName("iotune").undefine())
    # <idmap> as libvirt's domain parser reads it: every <idmap>'s lines,
    # each list sorted by start; both maps, the root mapped, base-10 numbers
    idm = ("<domain type='test'><name>idm</name>"
           "<uuid>5b0c8e52-3f4e-4d8a-b1c2-7e9a0d4f6a21</uuid><memory>1024</memory>"
           "<os><type>hvm</type></os>%s</domain>")
    for name, extra in (
            ("uid only", "<idmap><uid start='0' target='1000' count='10'/></idmap>"),
            ("gid only", "<idmap><gid start='0' target='1000' count='10'/></idmap>"),
            ("root", "<idmap><uid start='1' target='1000' count='10'/>"
                     "<gid start='0' target='1000' count='10'/></idmap>"),
            ("no count", "<idmap><uid start='0' target='1000'/>"
                         "<gid start='0' target='1000' count='10'/></idmap>"),
            ("hex", "<idmap><uid start='0' target='0x10' count='10'/>"
                    "<gid start='0' target='1000' count='10'/></idmap>")):
        call("defineXML(idmap %s)" % name, conn.defineXML, idm % extra, norm=lambda d: d.name())
    call("defineXML(idmap)", conn.defineXML,
         idm % ("<idmap><gid start='5' target='300' count='2'/><foo/>"
                "<uid start='10' target=' +200' count='5'/>"
                "<gid start='0' target='100' count='5'/></idmap>"
                "<idmap><uid start='0' target='100' count='10'/></idmap>"),
         norm=lambda d: d.name())
    call("idm XML", xml_lines, conn.lookupByName("idm"))
    call("undefine(idm)", lambda: conn.lookupByName("idm").undefine())
    call("defineXML(iot)", conn.defineXML,
         base % ("<iothreads>3</iothreads><iothreadids><iothread id='5' thread_pool_max='4'/>"
                 "</iothreadids>"), norm=lambda d: d.name())
    iot = conn.lookupByName("iot")
    call("iot XML", xml_lines, iot)
    call("iot ioThreadInfo", iot.ioThreadInfo, 0)
    call("iot delIOThread(2, disk)", iot.delIOThread, 2, 0)
    call("iot delIOThread(5, controller)", iot.delIOThread, 5, 0)
    call("iot delIOThread(1)", iot.delIOThread, 1, 0)
    call("iot XML after del", xml_lines, iot)
    call("defineXML(iot autofilled)", conn.defineXML,
         base % "<iothreads>4</iothreads>", norm=lambda d: d.name())
    call("iot XML autofilled", xml_lines, iot)
    call("iot addIOThread(9)", iot.addIOThread, 9, 0)
    call("iot XML after add", xml_lines, iot)
    call("iot delIOThread(9)", iot.delIOThread, 9, 0)
    call("iot XML after del 9", xml_lines, iot)
    call("iot delIOThread(4)", iot.delIOThread, 4, 0)
    call("iot XML after del 4", xml_lines, iot)
    call("iot pinIOThread(1)", iot.pinIOThread, 1, (True, True), 0)
    call("iot XML after pin", xml_lines, iot)
    call("iot create", iot.create)
    call("iot ioThreadInfo(live)", iot.ioThreadInfo, LIVE)
    call("iot setIOThreadParams(1, defined)", iot.setIOThreadParams, 1,
         {libvirt.VIR_DOMAIN_IOTHREAD_POLL_GROW: 2}, LIVE)
    call("iot addIOThread(7, live)", iot.addIOThread, 7, LIVE)
    call("iot setIOThreadParams(7)", iot.setIOThreadParams, 7,
         {libvirt.VIR_DOMAIN_IOTHREAD_POLL_GROW: 2}, LIVE)
    call("iot stats", conn.domainListGetStats, [iot], stats, 0, norm=stats_records)
    call("iot destroy", iot.destroy)
    call("iot stats when off", conn.domainListGetStats, [iot], stats, 0, norm=stats_records)
    call("iot setIOThreadParams(7) when off", iot.setIOThreadParams, 7,
         {libvirt.VIR_DOMAIN_IOTHREAD_POLL_GROW: 5}, 0)
    call("iot setIOThreadParams(live) when off", iot.setIOThreadParams, 7,
         {libvirt.VIR_DOMAIN_IOTHREAD_POLL_GROW: 5}, LIVE)
    call("iot undefine", iot.undefine)

    # a disk's I/O throttling
    B = "total_bytes_sec"
    call("blockIoTune", dom.blockIoTune, "vda", 0)
    call("setBlockIoTune(total)", dom.setBlockIoTune, "vda", {B: 1000}, LIVE)
    call("setBlockIoTune(read with total)", dom.setBlockIoTune, "vda", {"read_bytes_sec": 10}, 0)
    call("setBlockIoTune(iops, group, length)", dom.setBlockIoTune, "vda",
         {"total_iops_sec": 50, "total_iops_sec_max": 100, "group_name": "g1",
          "total_iops_sec_max_length": 5, "size_iops_sec": 4096}, 0)
    call("setBlockIoTune(max below)", dom.setBlockIoTune, "vda",
         {"total_iops_sec_max": 10}, 0)
    call("setBlockIoTune(write iops with total)", dom.setBlockIoTune, "vda",
         {"write_iops_sec": 1}, 0)
    call("setBlockIoTune(read max with total max)", dom.setBlockIoTune, "vda",
         {"read_iops_sec_max": 1}, 0)
    call("setBlockIoTune(bytes max with total)", dom.setBlockIoTune, "vda",
         {"read_bytes_sec_max": 5}, 0)
    call("setBlockIoTune(total bytes max with read max)", dom.setBlockIoTune, "vda",
         {B: 0, "read_bytes_sec_max": 5, "total_bytes_sec_max": 9}, 0)
    call("setBlockIoTune(read above max)", dom.setBlockIoTune, "vda",
         {B: 0, "read_bytes_sec": 100, "read_bytes_sec_max": 50}, 0)
    call("setBlockIoTune(too big)", dom.setBlockIoTune, "vda", {B: 10 ** 15 + 1}, 0)
    call("setBlockIoTune(limit)", dom.setBlockIoTune, "vda", {B: 10 ** 15}, 0)
    call("setBlockIoTune(no disk)", dom.setBlockIoTune, "vdz", {B: 1}, 0)
    call("setBlockIoTune(by path)", dom.setBlockIoTune, "/guest/diskimage1", {B: 7}, 0)
    call("setBlockIoTune(config)", dom.setBlockIoTune, "vda",
         {"read_bytes_sec": 3, "write_bytes_sec": 4, "read_iops_sec_max_length": 2}, CONFIG)
    call("setBlockIoTune(badflag)", dom.setBlockIoTune, "vda", {B: 1}, 1 << 4)
    call("setBlockIoTune(live|config)", dom.setBlockIoTune, "vda", {B: 1}, LIVE | CONFIG)
    call_any("setBlockIoTune(bad name)", dom.setBlockIoTune, "vda", {"nope": 1}, 0)
    call_any("setBlockIoTune(bad type)", dom.setBlockIoTune, "vda", {B: "x"}, 0)
    for f in (0, LIVE, CONFIG):
        call("blockIoTune(%d)" % f, dom.blockIoTune, "vda", f)
    call("blockIoTune(path)", dom.blockIoTune, "/guest/diskimage1", 0)
    call("blockIoTune(no disk)", dom.blockIoTune, "vdz", 0)
    call("blockIoTune(live|config)", dom.blockIoTune, "vda", LIVE | CONFIG)
    call("XML with iotune", xml_lines, dom)
    call("XML with iotune (inactive)", xml_lines, dom, libvirt.VIR_DOMAIN_XML_INACTIVE)
    call("setBlockIoTune(clear)", dom.setBlockIoTune, "vda",
         dict((k, 0) for k in ("total_bytes_sec", "total_iops_sec", "total_iops_sec_max",
                               "total_iops_sec_max_length", "size_iops_sec")), 0)
    call("setBlockIoTune(clear group)", dom.setBlockIoTune, "vda", {"group_name": ""}, 0)
    call("XML after clearing", xml_lines, dom)

    # pins: the XML and the info calls read the same state
    call("pinVcpu(0, 0-1)", dom.pinVcpu, 0, (True, True))
    call("pinEmulator(config)", dom.pinEmulator, (False, False, True), CONFIG)
    call("XML with pins", xml_lines, dom)
    call("XML with pins (inactive)", xml_lines, dom, libvirt.VIR_DOMAIN_XML_INACTIVE)
    call("vcpuPinInfo after", dom.vcpuPinInfo, 0)
    call("emulatorPinInfo(config) after", dom.emulatorPinInfo, CONFIG)
    call("defineXML(pins)", conn.defineXML,
         "<domain type='test'><name>pins</name><memory>1024</memory><vcpu>3</vcpu>"
         "<iothreads>2</iothreads><cputune><shares>10</shares>"
         "<vcpupin vcpu='2' cpuset='1'/><emulatorpin cpuset='0-1'/>"
         "<iothreadpin iothread='2' cpuset='3'/></cputune><os><type>hvm</type></os></domain>",
         norm=lambda d: d.name())
    pins = conn.lookupByName("pins")
    call("pins XML", xml_lines, pins)
    call("pins vcpuPinInfo", pins.vcpuPinInfo, 0)
    call("pins emulatorPinInfo", pins.emulatorPinInfo, 0)
    call("pins ioThreadInfo", pins.ioThreadInfo, 0)
    call("pins delIOThread(2)", pins.delIOThread, 2, 0)
    call("pins XML after del", xml_lines, pins)
    call("pins undefine", pins.undefine)


tune_section()

# ---- calls no driver here has (libvirt's test driver lacks them too): the
# API's "not supported" error, from its error domain
for name, fn, args in (("attachDevice", dom.attachDevice, ("<disk/>",)),
                       ("attachDeviceFlags", dom.attachDeviceFlags, ("<disk/>", CONFIG)),
                       ("detachDevice", dom.detachDevice, ("<disk/>",)),
                       ("detachDeviceFlags", dom.detachDeviceFlags, ("<disk/>", LIVE)),
                       ("updateDeviceFlags", dom.updateDeviceFlags, ("<disk/>", 0)),
                       ("detachDeviceAlias", dom.detachDeviceAlias, ("ua-x", 0)),
                       ("blockJobAbort", dom.blockJobAbort, ("vda", 0)),
                       ("blockJobInfo", dom.blockJobInfo, ("vda", 0)),
                       ("blockPull", dom.blockPull, ("vda", 0, 0)),
                       ("blockResize", dom.blockResize, ("vda", 1024, 0)),
                       ("blockPeek", dom.blockPeek, ("vda", 0, 16, 0)),
                       ("migrateSetMaxDowntime", dom.migrateSetMaxDowntime, (10, 0)),
                       ("migrateGetMaxSpeed", dom.migrateGetMaxSpeed, (0,)),
                       ("securityLabelList", dom.securityLabelList, ()),
                       ("setVcpu", dom.setVcpu, ("0", 1, 0)),
                       ("setBlockThreshold", dom.setBlockThreshold, ("vda", 100, 0)),
                       ("startDirtyRateCalc", dom.startDirtyRateCalc, (1, 0)),
                       ("backupGetXMLDesc", dom.backupGetXMLDesc, (0,)),
                       ("node getMemoryStats", conn.getMemoryStats, (-1, 0)),
                       ("node getMemoryParameters", conn.getMemoryParameters, (0,)),
                       ("node setMemoryParameters", conn.setMemoryParameters,
                        ({"shm_pages_to_scan": 1}, 0)),
                       ("getDomainCapabilities", conn.getDomainCapabilities,
                        (None, None, None, None, 0)),
                       ("compareCPU", conn.compareCPU, ("<cpu/>", 0)),
                       ("listAllNWFilters", conn.listAllNWFilters, (0,)),
                       ("numOfNWFilters", conn.numOfNWFilters, ()),
                       ("nwfilterLookupByName", conn.nwfilterLookupByName, ("x",)),
                       ("listAllNWFilterBindings", conn.listAllNWFilterBindings, (0,)),
                       ("suspendForDuration", conn.suspendForDuration, (0, 60, 0)),
                       ("allocPages", conn.allocPages, ({4: 1}, 0, 1, 0)),
                       ("getSEVInfo", conn.getSEVInfo, (0,)),
                       ("domainXMLFromNative", conn.domainXMLFromNative, ("x", "y", 0)),
                       ("domainXMLToNative", conn.domainXMLToNative, ("x", "<domain/>", 0)),
                       ("setIdentity", conn.setIdentity, ({"user-name": "x"}, 0))):
    call("unsupported " + name, fn, *args)

# ---- the same calls on a shut-off domain
call("destroy", dom.destroy)
for name, fn, args in (("hostname", dom.hostname, (0,)),
                       ("getTime", dom.getTime, (0,)),
                       ("controlInfo", dom.controlInfo, (0,)),
                       ("blockStats", dom.blockStats, ("vda",)),
                       ("interfaceStats", dom.interfaceStats, ("testnet0",)),
                       ("memoryStats", dom.memoryStats, ()),
                       ("vcpus", dom.vcpus, ()),
                       ("maxVcpus", dom.maxVcpus, ()),
                       ("vcpusFlags", dom.vcpusFlags, (0,)),
                       ("pinVcpu", dom.pinVcpu, (0, (True,))),
                       ("vcpuPinInfo", dom.vcpuPinInfo, (0,)),
                       ("emulatorPinInfo", dom.emulatorPinInfo, (0,)),
                       ("memoryParameters", dom.memoryParameters, (0,)),
                       ("setMaxMemory", dom.setMaxMemory, (3145728,)),
                       ("setMemory", dom.setMemory, (1048576,)),
                       ("setMemoryFlags(current)", dom.setMemoryFlags, (1048576, 0)),
                       ("blockInfo", dom.blockInfo, ("vda", 0)),
                       ("reset", dom.reset, (0,)),
                       ("setTime", dom.setTime, ({"seconds": 1},)),
                       ("metadata(desc)", dom.metadata,
                        (libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, None, 0)),
                       ("metadata(desc, live)", dom.metadata,
                        (libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, None, LIVE)),
                       ("info", dom.info, ()),
                       ("blkioParameters", dom.blkioParameters, (0,)),
                       ("fsFreeze", dom.fsFreeze, (None, 0)),
                       ("fsTrim", dom.fSTrim, (None, 0, 0)),
                       ("perfEvents", dom.perfEvents, (0,)),
                       ("interfaceParameters", dom.interfaceParameters, ("testnet0", 0)),
                       ("numaParameters", dom.numaParameters, (0,)),
                       ("setNumaParameters", dom.setNumaParameters, ({"numa_mode": 1}, 0)),
                       ("setMemoryStatsPeriod", dom.setMemoryStatsPeriod, (3, 0)),
                       ("sendProcessSignal", dom.sendProcessSignal, (1, 0, 0)),
                       ("getAllDomainStats", conn.getAllDomainStats, (0, 0))):
    norm = None
    if name == "getAllDomainStats":
        norm = stats_records
    elif name == "info":
        norm = lambda i: i[:4]
    call("shutoff " + name, fn, *args, norm=norm)
call("create", dom.create)
call("vcpusFlags(config) after restart", dom.vcpusFlags, CONFIG)
call("vcpusFlags(live) after restart", dom.vcpusFlags, LIVE)
call("memoryParameters after restart", dom.memoryParameters, 0)
call("info after restart", dom.info, norm=lambda i: i[:4])

# ---- CPU time, disk errors, NMI, power management, managed save, rename
call("getCPUStats(total)", dom.getCPUStats, True)
call("getCPUStats(per cpu)", dom.getCPUStats, False)
call("diskErrors", dom.diskErrors, 0)
call("injectNMI", dom.injectNMI, 0)
call("blockStatsFlags", dom.blockStatsFlags, "vda", 0)
call("pMSuspendForDuration", dom.pMSuspendForDuration, 0, 0, 0)
call("pMWakeup", dom.pMWakeup, 0)
call("hasManagedSaveImage", dom.hasManagedSaveImage, 0)
call("managedSave", dom.managedSave, 0)
call("hasManagedSaveImage after", dom.hasManagedSaveImage, 0)
call("state after managedSave", dom.state, 0)
call("listAllDomains(managedsave)", lambda: sorted(d.name() for d in conn.listAllDomains(
    libvirt.VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE)))
call("undefine with managed save", dom.undefine)
call("managedSave(inactive)", dom.managedSave, 0)
call("rename(test2)", dom.rename, "test2", 0)
call("lookupByName(test2)", lambda: conn.lookupByName("test2").name())
dom = conn.lookupByName("test2")
call("rename(back)", dom.rename, "test", 0)
dom = conn.lookupByName("test")
call("create after managedSave", dom.create)
call("hasManagedSaveImage after start", dom.hasManagedSaveImage, 0)
call("rename(running)", dom.rename, "test3", 0)
call("managedSave(badflag)", dom.managedSave, 1 << 8)
call("managedSaveRemove", dom.managedSaveRemove, 0)
call("injectNMI(badflag)", dom.injectNMI, 1)

# ---- snapshots
def names(snaps):
    return sorted(x.getName() for x in snaps)


def snapxml(xml):
    # the creation time is the clock's
    return re.sub(r"<creationTime>\d+</creationTime>", "<creationTime/>", xml)


call("hasCurrentSnapshot", dom.hasCurrentSnapshot, 0)
call("snapshotCurrent(none)", dom.snapshotCurrent, 0)
call("snapshotCreateXML(s1)", dom.snapshotCreateXML,
     "<domainsnapshot><name>s1</name><description>first</description></domainsnapshot>", 0,
     norm=lambda x: x.getName())
call("snapshotCreateXML(s2)", dom.snapshotCreateXML, "<domainsnapshot><name>s2</name></domainsnapshot>",
     0, norm=lambda x: x.getName())
call("snapshotCreateXML(dup)", dom.snapshotCreateXML,
     "<domainsnapshot><name>s2</name></domainsnapshot>", 0)
call("snapshotCreateXML(disk-only)", dom.snapshotCreateXML, "<domainsnapshot/>",
     libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY)
call("snapshotCreateXML(bad xml)", dom.snapshotCreateXML, "<domainsnapshot>", 0)
call("snapshotCreateXML(manual)", dom.snapshotCreateXML,
     "<domainsnapshot><memory snapshot='manual'/></domainsnapshot>", 0)
call("snapshotNum", dom.snapshotNum, 0)
call("listAllDomains(has snapshot)", lambda: sorted(d.name() for d in conn.listAllDomains(
    libvirt.VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT)))
call("listAllDomains(no snapshot)", lambda: sorted(d.name() for d in conn.listAllDomains(
    libvirt.VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT)))
call("snapshotListNames", lambda: sorted(dom.snapshotListNames(0)))
call("listAllSnapshots", dom.listAllSnapshots, 0, norm=names)
call("listAllSnapshots(roots)", dom.listAllSnapshots, libvirt.VIR_DOMAIN_SNAPSHOT_LIST_ROOTS,
     norm=names)
call("listAllSnapshots(leaves)", dom.listAllSnapshots, libvirt.VIR_DOMAIN_SNAPSHOT_LIST_LEAVES,
     norm=names)
call("listAllSnapshots(inactive)", dom.listAllSnapshots,
     libvirt.VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE, norm=names)
call("listAllSnapshots(no metadata)", dom.listAllSnapshots,
     libvirt.VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA, norm=names)
call("listAllSnapshots(badflag)", dom.listAllSnapshots, 1 << 20)
s1 = dom.snapshotLookupByName("s1", 0)
call("snapshotLookupByName(nope)", dom.snapshotLookupByName, "nope", 0)
call("s1.getXMLDesc", s1.getXMLDesc, 0, norm=snapxml)
call("s1.numChildren", s1.numChildren, 0)
call("s1.listAllChildren", s1.listAllChildren, 0, norm=names)
call("s1.getParent", s1.getParent, 0)
call("s1.isCurrent", s1.isCurrent, 0)
call("s1.hasMetadata", s1.hasMetadata, 0)
call("snapshotCurrent", dom.snapshotCurrent, 0, norm=lambda x: x.getName())
call("snapshotCreateXML(s3, halt)", dom.snapshotCreateXML,
     "<domainsnapshot><name>s3</name></domainsnapshot>", libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_HALT,
     norm=lambda x: x.getName())
call("state after halt", dom.state, 0)
s3 = dom.snapshotLookupByName("s3", 0)
call("s3.getParent", s3.getParent, 0, norm=lambda x: x.getName())
call("s1.listAllChildren(descendants)", s1.listAllChildren,
     libvirt.VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS, norm=names)
call("s1.listChildrenNames", lambda: sorted(s1.listChildrenNames(0)))
call("snapshotCreateXML(s4 shut off)", dom.snapshotCreateXML,
     "<domainsnapshot><name>s4</name></domainsnapshot>", 0, norm=lambda x: x.getName())
s4 = dom.snapshotLookupByName("s4", 0)
call("s4.getXMLDesc", s4.getXMLDesc, 0, norm=snapxml)
call("revertToSnapshot(s1)", dom.revertToSnapshot, s1, 0)
call("state after revert s1", dom.state, 0)
call("revertToSnapshot(s4)", dom.revertToSnapshot, s4, 0)
call("state after revert s4", dom.state, 0)
call("revertToSnapshot(s1, paused)", dom.revertToSnapshot, s1,
     libvirt.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED)
call("state after revert paused", dom.state, 0)
call("revertToSnapshot(badflag)", dom.revertToSnapshot, s1, 1 << 6)
call("s2.delete(metadata only)", dom.snapshotLookupByName("s2", 0).delete,
     libvirt.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY)
call("s2.delete", dom.snapshotLookupByName("s2", 0).delete, 0)
call("s3.getParent after", s3.getParent, 0, norm=lambda x: x.getName())
call("s1.delete(children only)", s1.delete, libvirt.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)
call("listAllSnapshots after", dom.listAllSnapshots, 0, norm=names)
call("snapshotCurrent after", dom.snapshotCurrent, 0, norm=lambda x: x.getName())
call("destroy for undefine", dom.destroy)
call("undefine with snapshots", dom.undefine)
call("s1.delete(children)", s1.delete, libvirt.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN)
call("snapshotNum after", dom.snapshotNum, 0)
call("hasCurrentSnapshot after", dom.hasCurrentSnapshot, 0)


# ---- checkpoints
CK_DOM = """<domain type='test'><name>ck</name><uuid>1b5e7d3c-5f4e-4d2b-9a1e-0c2d3e4f5a6b</uuid>
<memory>1048576</memory><os><type>hvm</type></os><devices>
<disk type='file' device='disk'><source file='/guest/ck-a'/><target dev='vda' bus='virtio'/></disk>
<disk type='file' device='disk'><source file='/guest/ck-b'/><target dev='vdb' bus='virtio'/>
<readonly/></disk>
<disk type='file' device='disk'><source file='/guest/ck-d'/><target dev='vdd' bus='virtio'/></disk>
</devices></domain>"""
CK = "<domaincheckpoint><name>%s</name></domaincheckpoint>"
CK_CREATE = libvirt.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE
NO_DOMAIN = libvirt.VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN


def ckname(x):
    return x.getName()


def topological(cks):
    """Sorted names, and whether every parent came before its children
    (siblings' order is libvirt's hash table's)."""
    seen, ok = set(), True
    for c in cks:
        try:
            parent = c.getParent(0).getName()
        except libvirt.libvirtError:
            parent = None
        ok = ok and (parent is None or parent in seen or parent not in [x.getName() for x in cks])
        seen.add(c.getName())
    return (sorted(seen), ok)


call("checkpointCreateXML(inactive)", dom.checkpointCreateXML, CK % "x", 0)
ck = conn.defineXML(CK_DOM)
call("ck.create", ck.create)
call("checkpointCreateXML(c1)", ck.checkpointCreateXML,
     "<domaincheckpoint><name>c1</name><description>one &amp; only</description>"
     "</domaincheckpoint>", 0, norm=ckname)
call("c1.getXMLDesc", lambda: ck.checkpointLookupByName("c1", 0).getXMLDesc(0), norm=snapxml)
call("checkpointCreateXML(c2, quiesce)", ck.checkpointCreateXML, CK % "c2",
     libvirt.VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE, norm=ckname)
call("checkpointCreateXML(c3 disks)", ck.checkpointCreateXML,
     "<domaincheckpoint><name>c3</name><disks><disk name='/guest/ck-d' bitmap='bm'/>"
     "<disk name='vdb' checkpoint='no'/></disks></domaincheckpoint>", 0, norm=ckname)
c3 = ck.checkpointLookupByName("c3", 0)
call("c3.getXMLDesc(no domain)", c3.getXMLDesc, NO_DOMAIN, norm=snapxml)
call("c3.getXMLDesc(size, secure)", c3.getXMLDesc,
     NO_DOMAIN | libvirt.VIR_DOMAIN_CHECKPOINT_XML_SIZE | libvirt.VIR_DOMAIN_CHECKPOINT_XML_SECURE,
     norm=snapxml)
call("c3.getXMLDesc(badflag)", c3.getXMLDesc, 1 << 5)
call("checkpointCreateXML(dup)", ck.checkpointCreateXML, CK % "c2", 0)
call("checkpointCreateXML(no such disk)", ck.checkpointCreateXML,
     "<domaincheckpoint><disks><disk name='vdz'/></disks></domaincheckpoint>", 0)
call("checkpointCreateXML(disk twice)", ck.checkpointCreateXML,
     "<domaincheckpoint><disks><disk name='vda'/><disk name='/guest/ck-a'/></disks>"
     "</domaincheckpoint>", 0)
call("checkpointCreateXML(readonly disk)", ck.checkpointCreateXML,
     "<domaincheckpoint><disks><disk name='vdb'/></disks></domaincheckpoint>", 0)
call("checkpointCreateXML(too many)", ck.checkpointCreateXML,
     "<domaincheckpoint><disks>" +
     "".join("<disk name='%s'/>" % d for d in ("vda", "vdb", "vdd", "vde")) +
     "</disks></domaincheckpoint>", 0)
call("checkpointCreateXML(bad xml)", ck.checkpointCreateXML, "<domaincheckpoint>", 0)
call("checkpointCreateXML(wrong root)", ck.checkpointCreateXML, "<domainsnapshot/>", 0)
call("checkpointCreateXML(unknown element)", ck.checkpointCreateXML,
     "<domaincheckpoint><foo/></domaincheckpoint>", 0)
call("checkpointCreateXML(bad disk mode)", ck.checkpointCreateXML,
     "<domaincheckpoint><disks><disk name='vda' checkpoint='weird'/></disks></domaincheckpoint>", 0)
call("checkpointCreateXML(badflag)", ck.checkpointCreateXML, CK % "y", 1 << 6)
call("checkpointCreateXML(redefine validate)", ck.checkpointCreateXML, CK % "y",
     libvirt.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE)
call("checkpointCreateXML(redefine + validate)", ck.checkpointCreateXML,
     "<domaincheckpoint><name>y</name><creationTime>5</creationTime></domaincheckpoint>",
     CK_CREATE | libvirt.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE)
call("checkpointCreateXML(redefine + quiesce)", ck.checkpointCreateXML, CK % "y",
     CK_CREATE | libvirt.VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE)
call("redefine(no name)", ck.checkpointCreateXML,
     "<domaincheckpoint><creationTime>5</creationTime></domaincheckpoint>", CK_CREATE)
call("redefine(no time)", ck.checkpointCreateXML, CK % "r1", CK_CREATE)
call("redefine(bad time)", ck.checkpointCreateXML,
     "<domaincheckpoint><name>r1</name><creationTime>soon</creationTime></domaincheckpoint>",
     CK_CREATE)
call("redefine(own parent)", ck.checkpointCreateXML,
     "<domaincheckpoint><name>r1</name><creationTime>7</creationTime>"
     "<parent><name>r1</name></parent></domaincheckpoint>", CK_CREATE)
call("redefine(missing parent)", ck.checkpointCreateXML,
     "<domaincheckpoint><name>r1</name><creationTime>7</creationTime>"
     "<parent><name>nope</name></parent></domaincheckpoint>", CK_CREATE)
call("redefine(cycle)", ck.checkpointCreateXML,
     "<domaincheckpoint><name>c1</name><creationTime>7</creationTime>"
     "<parent><name>c3</name></parent></domaincheckpoint>", CK_CREATE)
call("redefine(other uuid)", ck.checkpointCreateXML,
     "<domaincheckpoint><name>r1</name><creationTime>7</creationTime>" +
     CK_DOM.replace("1b5e7d3c", "2b5e7d3c") + "</domaincheckpoint>", CK_CREATE)
call("redefine(r1 under c1)", ck.checkpointCreateXML,
     "<domaincheckpoint><name>r1</name><creationTime>7</creationTime>"
     "<parent><name>c1</name></parent><disks><disk name='vda'/></disks></domaincheckpoint>",
     CK_CREATE, norm=ckname)
call("r1.getXMLDesc", lambda: ck.checkpointLookupByName("r1", 0).getXMLDesc(0))
call("redefine(r2 with domain)", ck.checkpointCreateXML,
     "<domaincheckpoint><name>r2</name><creationTime>9</creationTime>"
     "<parent><name>r1</name></parent>" + CK_DOM + "</domaincheckpoint>", CK_CREATE, norm=ckname)
call("r2.getXMLDesc(no domain)", lambda: ck.checkpointLookupByName("r2", 0).getXMLDesc(NO_DOMAIN))
call("redefine(c2 again)", ck.checkpointCreateXML,
     "<domaincheckpoint><name>c2</name><creationTime>3</creationTime>"
     "<description>again</description>"
     "<parent><name>c1</name></parent></domaincheckpoint>", CK_CREATE, norm=ckname)
call("c2.getXMLDesc(again)", lambda: ck.checkpointLookupByName("c2", 0).getXMLDesc(NO_DOMAIN))
call("checkpointCreateXML(c4)", ck.checkpointCreateXML, CK % "c4", 0, norm=ckname)
call("c4.getParent", lambda: ck.checkpointLookupByName("c4", 0).getParent(0), norm=ckname)
call("listAllCheckpoints", ck.listAllCheckpoints, 0, norm=names)
call("listAllCheckpoints(roots)", ck.listAllCheckpoints,
     libvirt.VIR_DOMAIN_CHECKPOINT_LIST_ROOTS, norm=names)
call("listAllCheckpoints(leaves)", ck.listAllCheckpoints,
     libvirt.VIR_DOMAIN_CHECKPOINT_LIST_LEAVES, norm=names)
call("listAllCheckpoints(no leaves)", ck.listAllCheckpoints,
     libvirt.VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES, norm=names)
call("listAllCheckpoints(leaves, no leaves)", ck.listAllCheckpoints,
     libvirt.VIR_DOMAIN_CHECKPOINT_LIST_LEAVES | libvirt.VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES,
     norm=names)
call("listAllCheckpoints(topological)", ck.listAllCheckpoints,
     libvirt.VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL, norm=topological)
call("listAllCheckpoints(badflag)", ck.listAllCheckpoints, 1 << 4)
c1 = ck.checkpointLookupByName("c1", 0)
call("c1.listAllChildren", c1.listAllChildren, 0, norm=names)
call("c1.listAllChildren(descendants)", c1.listAllChildren,
     libvirt.VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS, norm=names)
call("c1.listAllChildren(descendants, leaves)", c1.listAllChildren,
     libvirt.VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS | libvirt.VIR_DOMAIN_CHECKPOINT_LIST_LEAVES,
     norm=names)
call("c1.listAllChildren(descendants, topological)", c1.listAllChildren,
     libvirt.VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS |
     libvirt.VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL, norm=topological)
call("c1.listAllChildren(badflag)", c1.listAllChildren, 1 << 4)
call("c1.getParent", c1.getParent, 0)
call("c1.getParent(badflag)", c1.getParent, 1)
call("checkpointLookupByName(nope)", ck.checkpointLookupByName, "nope", 0)
call("checkpointLookupByName(badflag)", ck.checkpointLookupByName, "c1", 1)
call("listAllDomains(has checkpoint)", lambda: sorted(d.name() for d in conn.listAllDomains(
    libvirt.VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT)))
call("listAllDomains(no checkpoint)", lambda: sorted(d.name() for d in conn.listAllDomains(
    libvirt.VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT)))
call("snapshotCreateXML(with checkpoints)", ck.snapshotCreateXML,
     "<domainsnapshot><name>s9</name></domainsnapshot>", 0)
call("c3.delete(badflag)", c3.delete, 1 << 3)
call("c3.delete(children and children only)", c3.delete,
     libvirt.VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN |
     libvirt.VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY)
call("c2.delete (reparent)", ck.checkpointLookupByName("c2", 0).delete, 0)
call("c3.getParent after", c3.getParent, 0, norm=ckname)
call("c1.delete(children only)", c1.delete, libvirt.VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY)
call("listAllCheckpoints after", ck.listAllCheckpoints, 0, norm=names)
call("checkpointCreateXML(c5 under c1)", ck.checkpointCreateXML, CK % "c5", 0,
     norm=lambda x: (x.getName(), x.getParent(0).getName()))
call("c5.delete(metadata only)", ck.checkpointLookupByName("c5", 0).delete,
     libvirt.VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY)
call("c3.getXMLDesc(deleted)", c3.getXMLDesc, 0)
call("ck.destroy", ck.destroy)
call("c1.getXMLDesc(size, shut off)", c1.getXMLDesc, libvirt.VIR_DOMAIN_CHECKPOINT_XML_SIZE)
call("c1.getXMLDesc(shut off)", c1.getXMLDesc, NO_DOMAIN, norm=snapxml)
call("checkpointCreateXML(shut off)", ck.checkpointCreateXML, CK % "c6", 0)
call("ck.undefine(checkpoints flag)", ck.undefineFlags,
     libvirt.VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA)
call("ck.undefine", ck.undefine)
call("c1 after undefine", ck.checkpointLookupByName, "c1", 0)
snap_dom = conn.defineXML(CK_DOM.replace("<name>ck</name>", "<name>ck2</name>")
                          .replace("1b5e7d3c", "3b5e7d3c"))
snap_dom.create()
snap_dom.snapshotCreateXML("<domainsnapshot><name>s1</name></domainsnapshot>", 0)
call("checkpointCreateXML(with snapshots)", snap_dom.checkpointCreateXML, CK % "c1", 0)
snap_dom.destroy()
snap_dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)

conn.close()
with open(OUT, "w") as f:
    f.write("\n".join(lines) + "\n")
