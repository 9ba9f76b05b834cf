#!/usr/bin/python3
"""scenario.py URI [OUT]: the conformance scenario.

A fixed sequence of calls through libvirt-python and virsh against the
daemon at URI (test+unix:///default?socket=DIR/libvirt-sock; the read-only
socket is DIR/libvirt-sock-ro). Writes a normalized transcript (one JSON
object per line) to OUT (default stdout), so that two daemons that behave
alike give the same text: values that legitimately differ between runs or
daemons (versions, host name, CPU time, generated UUIDs, callback ID
numbers) are replaced by placeholders, every error is written as its code,
domain and (normalized) message. See docs/conformance.md.

Run with the system python3 (python3-libvirt). Exit status: 0 when the
scenario ran to its end, 1 when something the scenario needs to go on
failed (a missing event, an unexpected exception); the transcript is what
the callers compare. The daemon must have no client but this one: the
test driver's state (test:///default) starts from the default node.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

import libvirt

URI = sys.argv[1]
OUT = open(sys.argv[2], "w") if len(sys.argv) > 2 else sys.stdout
VIRSH = os.environ.get("VIRSH", "virsh")
m = re.search(r"socket=([^&]*)", URI)
RO_URI = URI.replace(m.group(1), m.group(1) + "-ro") if m else None
SOCKET_Q = URI[URI.index("?"):] if "?" in URI else ""
TMPDIR = tempfile.mkdtemp(prefix="virtnet-scenario-")

# UUIDs the scenario chooses; every other UUID in the transcript is a
# generated one and becomes <uuid#N> (N by first appearance).
DEFAULT_UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"
U = {n: "%08d-c0c0-4c0c-8c0c-c0c0c0c0c0c0" % n for n in range(1, 20)}
KNOWN_UUIDS = {DEFAULT_UUID, *U.values()}
UUID_RE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
generated = {}
cb_names = {}
failures = []


def norm_uuid(u):
    if u in KNOWN_UUIDS:
        return u
    if u not in generated:
        generated[u] = "<uuid#%d>" % (len(generated) + 1)
    return generated[u]


def norm_text(s):
    """Text normalization for messages and virsh output."""
    s = UUID_RE.sub(lambda mo: norm_uuid(mo.group(0)), s)
    return s


def norm_msg(msg):
    """An error message, normalized. Each rule is explained in
    docs/conformance.md ("Normalizations")."""
    if msg is None:
        return None
    msg = norm_text(msg)
    # libxml2's parser messages: libvirt quotes the offending line and a
    # caret under it; the position report is libxml2's, the quoting is the
    # daemon's choice. Keep the first line only.
    msg = msg.split("\n")[0]
    # the address of a legacy callback function
    msg = re.sub(r"0x[0-9a-f]+ not registered", "<fn> not registered", msg)
    # callback IDs are per-daemon numbers
    msg = re.sub(r"event callback -?\d+ for deletion",
                 "event callback <id> for deletion", msg)
    msg = re.sub(r"event callback id -?\d+ not registered",
                 "event callback id <id> not registered", msg)
    return msg


def err(e):
    return {"code": e.get_error_code(), "domain": e.get_error_domain(),
            "msg": norm_msg(e.get_error_message())}


def emit(obj):
    OUT.write(json.dumps(obj, sort_keys=True) + "\n")
    OUT.flush()


def step(name, fn, *args):
    """Run fn(*args), write the normalized result or error; returns the
    raw value (None on error)."""
    libvirt.virResetLastError()     # a client-side failure may set none
    try:
        v = fn(*args)
    except libvirt.libvirtError as e:
        emit({"step": name, "error": err(e)})
        return None
    except KeyError:  # python's legacy deregister of an unknown callback
        emit({"step": name, "exception": "KeyError"})
        return None
    emit({"step": name, "ok": norm_value(v)})
    return v


def norm_value(v):
    if isinstance(v, libvirt.virDomain):
        return {"domain": v.name(), "uuid": norm_uuid(v.UUIDString()),
                "id": v.ID()}
    if isinstance(v, libvirt.virConnect):
        return "<connection>"
    if isinstance(v, str):
        return norm_text(v)
    if isinstance(v, (list, tuple)):
        return [norm_value(x) for x in v]
    if isinstance(v, dict):
        return {k: norm_value(x) for k, x in v.items()}
    return v


def step_quiet(fn, *args):
    try:
        return norm_value(fn(*args))
    except libvirt.libvirtError as e:
        return err(e)


def note(name, value):
    emit({"step": name, "ok": norm_value(value)})


def check(cond, what):
    """Things the scenario itself relies on (both daemons must do them)."""
    if not cond:
        failures.append(what)
        emit({"step": "CHECK FAILED", "what": what})


def dom_xml(name, uuid=None, memory=65536, extra=""):
    return ("<domain type='test'>\n"
            "  <name>%s</name>\n%s"
            "  <memory unit='KiB'>%d</memory>\n"
            "  <currentMemory unit='KiB'>%d</currentMemory>\n"
            "  <vcpu>2</vcpu>\n"
            "  <os><type arch='i686'>hvm</type></os>\n"
            "  <on_poweroff>destroy</on_poweroff>\n"
            "  <on_reboot>restart</on_reboot>\n"
            "  <on_crash>destroy</on_crash>\n%s"
            "</domain>\n") % (name, "  <uuid>%s</uuid>\n" % uuid if uuid else "",
                              memory, memory // 2, extra)


def xml_summary(text):
    """The key fields of a domain XML document."""
    root = ET.fromstring(text)
    ost = root.find("os/type")

    def t(path):
        el = root.find(path)
        return None if el is None else (el.text or "").strip()

    def unit(path):
        el = root.find(path)
        return None if el is None else el.get("unit")
    return {"type": root.get("type"), "id": root.get("id"),
            "name": t("name"), "uuid": norm_uuid(t("uuid") or ""),
            "memory": t("memory"), "memory_unit": unit("memory"),
            "currentMemory": t("currentMemory"),
            "vcpu": t("vcpu"), "vcpu_placement": root.find("vcpu").get("placement"),
            "os_type": ost.text, "os_arch": ost.get("arch"),
            "on_poweroff": t("on_poweroff"), "on_reboot": t("on_reboot"),
            "on_crash": t("on_crash")}


def caps_summary(text):
    root = ET.fromstring(text)
    guests = []
    for g in root.findall("guest"):
        arch = g.find("arch")
        guests.append({"os_type": g.find("os_type").text,
                       "arch": arch.get("name"),
                       "domain_types": sorted(d.get("type")
                                              for d in arch.findall("domain"))})
    cells = root.find("host/topology/cells")
    return {"host_arch": root.find("host/cpu/arch").text,
            "cells": cells.get("num") if cells is not None else None,
            "secmodel": [s.find("model").text
                         for s in root.findall("host/secmodel")],
            "guests": sorted(guests, key=lambda g: (g["os_type"], g["arch"]))}


def info_norm(v):
    """dom.info(): [state, maxMem, memory, nrVirtCpu, cpuTime]."""
    return list(v[:4]) + ["<cputime>"]


# --- virsh ------------------------------------------------------------------
VIRSH_NORMS = [
    (re.compile(r"^(CPU time:\s+).*$", re.M), r"\1<cputime>"),
    (re.compile(r"^(Compiled against library|Using library|Using API|"
                r"Running hypervisor): .*$", re.M), r"\1: <version>"),
]


def virsh_stderr(text):
    """virsh's error lines. libvirt follows an XML parse error with the
    offending line and a caret under the position: dropped (see
    norm_msg)."""
    lines, xml_context = [], False
    for line in text.splitlines():
        if xml_context and not line.startswith("error: "):
            continue
        xml_context = bool(re.match(r"error: \(domain_definition\):\d+:", line))
        lines.append(norm_msg(line))
    return lines


def virsh(*args, uri=None, hostname=False, tmpdir=None):
    """Run one virsh command; record exit status, stdout, stderr."""
    p = subprocess.run([VIRSH, "-q", "-c", uri or URI] + list(args),
                       capture_output=True, text=True, timeout=60)
    outs = p.stdout
    for rx, rep in VIRSH_NORMS:
        outs = rx.sub(rep, outs)
    if hostname:
        outs = "<hostname>\n" if outs.strip() else "<empty>\n"
    rec = {"step": "virsh " + " ".join(args), "rc": p.returncode,
           "stdout": norm_text(outs).splitlines(),
           "stderr": virsh_stderr(p.stderr)}
    if uri:
        rec["uri"] = "read-only socket" if uri == RO_URI else uri.split("?")[0]
    emit(json.loads(json.dumps(rec).replace(TMPDIR, "<tmp>")))
    return p


# --- events -------------------------------------------------------------
class Recorder:
    """Collects the events of every callback, and waits for the marker
    domain's events to be sure that every earlier event has been delivered
    (events reach a registration in order). Every registration for all
    domains' lifecycle events sees the marker too: wait sets the tags to
    wait for."""

    def __init__(self):
        self.cond = threading.Condition()
        self.got = []          # (tag, name, id, event, detail)
        self.marks = {}
        self.wait = {"sync"}

    def lifecycle(self, tag):
        def cb(conn, dom, event, detail, opaque):
            with self.cond:
                if dom.name() == "zz-sync":
                    if event == libvirt.VIR_DOMAIN_EVENT_STOPPED:
                        self.marks[tag] = self.marks.get(tag, 0) + 1
                        self.cond.notify_all()
                    return
                self.got.append([tag, dom.name(), dom.ID(), event, detail])
        return cb

    def reboot(self, tag):
        def cb(conn, dom, opaque):
            with self.cond:
                if dom.name() != "zz-sync":
                    self.got.append([tag, dom.name(), dom.ID(), "reboot"])
        return cb

    def take(self, name, sync_dom):
        """Start and destroy the marker domain, wait for its STOPPED event
        on every registration that sees it, write what came before."""
        with self.cond:
            want = {t: self.marks.get(t, 0) + 1 for t in self.wait}
        sync_dom.create()
        sync_dom.destroy()
        with self.cond:
            end = time.time() + 5

            def missing():
                return sorted(t for t, n in want.items()
                              if self.marks.get(t, 0) < n)
            while missing() and time.time() < end:
                self.cond.wait(end - time.time())
            late = missing()
            got, self.got = self.got, []
        # the order across registrations of one connection is fixed (its
        # messages come in order); across connections it is not
        got.sort(key=lambda g: g[0].startswith("conn2"))
        check(not late, "%s: marker event not received in 5 s by %s"
              % (name, late))
        emit({"step": "events " + name, "events": got})


def run_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


def main():
    libvirt.registerErrorHandler(lambda ctx, e: None, None)
    libvirt.virEventRegisterDefaultImpl()
    threading.Thread(target=run_loop, daemon=True).start()

    # ---------------------------------------------------------------- connect
    c = step("open", libvirt.open, URI)
    if c is None:
        return 1
    step("getType", c.getType)
    v = c.getVersion()
    note("getVersion", "<version>" if isinstance(v, int) and v >= 0 else v)
    v = c.getLibVersion()
    note("getLibVersion", "<version>" if isinstance(v, int) and v > 0 else v)
    h = c.getHostname()
    note("getHostname", "<hostname>" if isinstance(h, str) and h else h)
    step("getMaxVcpus(None)", c.getMaxVcpus, None)
    step("getMaxVcpus('test')", c.getMaxVcpus, "test")
    step("isSecure", c.isSecure)
    step("isEncrypted", c.isEncrypted)
    step("isAlive", c.isAlive)
    step("getInfo", c.getInfo)
    note("getCapabilities", caps_summary(c.getCapabilities()))

    def names(flags):
        return sorted(d.name() for d in c.listAllDomains(flags))
    A = libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE
    I = libvirt.VIR_CONNECT_LIST_DOMAINS_INACTIVE
    P = libvirt.VIR_CONNECT_LIST_DOMAINS_PERSISTENT
    T = libvirt.VIR_CONNECT_LIST_DOMAINS_TRANSIENT

    def lists(tag):
        step("%s listAllDomains(0)" % tag, names, 0)
        step("%s listAllDomains(ACTIVE)" % tag, names, A)
        step("%s listAllDomains(INACTIVE)" % tag, names, I)
        step("%s listAllDomains(PERSISTENT)" % tag, names, P)
        step("%s listAllDomains(TRANSIENT)" % tag, names, T)
        step("%s numOfDomains" % tag, c.numOfDomains)
        step("%s numOfDefinedDomains" % tag, c.numOfDefinedDomains)
        step("%s listDomainsID" % tag, lambda: sorted(c.listDomainsID()))
        step("%s listDefinedDomains" % tag, lambda: sorted(c.listDefinedDomains()))

    lists("initial")

    # read-only connection
    r = step("openReadOnly", libvirt.openReadOnly, URI)
    step("ro listAllDomains(0)",
         lambda: sorted(d.name() for d in r.listAllDomains(0)))
    step("ro lookupByName('test').info()",
         lambda: info_norm(r.lookupByName("test").info()))
    step("ro defineXML", r.defineXML, dom_xml("ro1", U[9]))
    step("ro lookupByName('test').destroy()",
         lambda: r.lookupByName("test").destroy())
    step("ro lookupByName('test').suspend()",
         lambda: r.lookupByName("test").suspend())
    step("ro createXML", r.createXML, dom_xml("ro1", U[9]), 0)
    step("ro XMLDesc(SECURE)",
         lambda: xml_summary(r.lookupByName("test").XMLDesc(
             libvirt.VIR_DOMAIN_XML_SECURE)))
    r.close()
    # a read-write open on the read-only socket: the client believes it may
    # write, so only the server can refuse
    if RO_URI:
        w = step("open(rw) on the ro socket", libvirt.open, RO_URI)
        if w is not None:
            step("ro-socket defineXML", w.defineXML, dom_xml("ro1", U[9]))
            step("ro-socket lookupByName('test').destroy()",
                 lambda: w.lookupByName("test").destroy())
            step("ro-socket lookupByName('test').setAutostart(1)",
                 lambda: w.lookupByName("test").setAutostart(1))
            step("ro-socket createXML", w.createXML, dom_xml("ro1", U[9]), 0)
            step("ro-socket listAllDomains(0)",
                 lambda: sorted(d.name() for d in w.listAllDomains(0)))
            w.close()
    lists("after read-only")

    # unknown URIs
    step("open bogus+unix", libvirt.open, "bogus+unix:///x" + SOCKET_Q)
    step("open test+unix:///", libvirt.open, "test+unix:///" + SOCKET_Q)
    step("open test+unix:///nonexistent/node.xml", libvirt.open,
         "test+unix:///nonexistent/node.xml" + SOCKET_Q)

    # ---------------------------------------------------------------- lookups
    t = step("lookupByName('test')", c.lookupByName, "test")
    step("lookupByUUIDString(default)", c.lookupByUUIDString, DEFAULT_UUID)
    step("lookupByUUID(default)", c.lookupByUUID, t.UUID())
    step("lookupByID(1)", c.lookupByID, 1)
    step("test info", lambda: info_norm(t.info()))
    step("test state", t.state)
    step("test isActive", t.isActive)
    step("test isPersistent", t.isPersistent)
    step("test autostart", t.autostart)
    step("test hasManagedSaveImage", t.hasManagedSaveImage, 0)
    step("test OSType", t.OSType)
    step("test securityLabel", t.securityLabel)
    step("test XMLDesc", lambda: xml_summary(t.XMLDesc(0)))
    step("lookupByName('nosuch')", c.lookupByName, "nosuch")
    step("lookupByUUIDString(unknown)", c.lookupByUUIDString, U[19])
    step("lookupByID(9999)", c.lookupByID, 9999)
    step("lookupByID(-1)", c.lookupByID, -1)

    # ------------------------------------------------- define / create / start
    d1 = step("defineXML(conf1)", c.defineXML, dom_xml("conf1", U[1]))
    step("conf1 state", d1.state)
    step("conf1 info", lambda: info_norm(d1.info()))
    step("conf1 isActive", d1.isActive)
    step("conf1 isPersistent", d1.isPersistent)
    step("conf1 ID", d1.ID)
    step("conf1 XMLDesc", lambda: xml_summary(d1.XMLDesc(0)))
    step("conf1 autostart", d1.autostart)
    step("conf1 securityLabel (shut off)", d1.securityLabel)
    step("conf1 setAutostart(1)", d1.setAutostart, 1)
    step("conf1 autostart after set", d1.autostart)
    step("conf1 setAutostart(0)", d1.setAutostart, 0)
    step("conf1 autostart after clear", d1.autostart)
    step("conf1 destroy while shut off", d1.destroy)
    step("conf1 shutdown while shut off", d1.shutdown)
    step("conf1 reboot while shut off", d1.reboot, 0)
    step("conf1 suspend while shut off", d1.suspend)
    step("conf1 resume while shut off", d1.resume)
    step("conf1 create", d1.create)
    step("conf1 ID after create", d1.ID)
    step("conf1 state after create", d1.state)
    step("conf1 XMLDesc running", lambda: xml_summary(d1.XMLDesc(0)))
    step("conf1 XMLDesc(INACTIVE)",
         lambda: xml_summary(d1.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)))
    step("conf1 create while running", d1.create)
    step("conf1 createWithFlags(0) while running", d1.createWithFlags, 0)
    step("conf1 resume while running", d1.resume)
    step("conf1 suspend", d1.suspend)
    step("conf1 state after suspend", d1.state)
    step("conf1 suspend while paused", d1.suspend)
    step("conf1 resume", d1.resume)
    step("conf1 state after resume", d1.state)
    step("conf1 reboot(0)", d1.reboot, 0)
    step("conf1 state after reboot", d1.state)
    step("conf1 ID after reboot", d1.ID)
    step("conf1 shutdown", d1.shutdown)
    step("conf1 state after shutdown", d1.state)
    step("conf1 createWithFlags(0)", d1.createWithFlags, 0)
    step("conf1 state after createWithFlags", d1.state)
    step("conf1 shutdownFlags(0)", d1.shutdownFlags, 0)
    step("conf1 createWithFlags(START_PAUSED)", d1.createWithFlags,
         libvirt.VIR_DOMAIN_START_PAUSED)
    step("conf1 state after createWithFlags(START_PAUSED)", d1.state)
    step("conf1 create again", d1.create)
    step("conf1 shutdownFlags(ACPI)", d1.shutdownFlags,
         libvirt.VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN)
    step("conf1 destroyFlags(0x40)", d1.destroyFlags, 0x40)
    step("conf1 destroyFlags(GRACEFUL)", d1.destroyFlags,
         libvirt.VIR_DOMAIN_DESTROY_GRACEFUL)
    step("conf1 state after destroyFlags", d1.state)
    step("conf1 create (3)", d1.create)
    step("conf1 suspend (paused destroy)", d1.suspend)
    step("conf1 destroy while paused", d1.destroy)
    step("conf1 state after destroy", d1.state)
    step("conf1 ID after destroy", d1.ID)
    step("conf1 lookupByUUIDString", c.lookupByUUIDString, U[1])

    # redefine: same name and UUID (an update)
    step("defineXML(conf1) again, memory changed", c.defineXML,
         dom_xml("conf1", U[1], memory=131072))
    step("conf1 XMLDesc after update", lambda: xml_summary(d1.XMLDesc(0)))
    # duplicates and bad XML
    step("defineXML same name, other uuid", c.defineXML, dom_xml("conf1", U[2]))
    step("defineXML same uuid, other name", c.defineXML, dom_xml("conf1b", U[1]))
    step("createXML same name, other uuid", c.createXML,
         dom_xml("conf1", U[2]), 0)
    step("defineXML not well formed", c.defineXML,
         "<domain type='test'><name>bad</name")
    step("defineXML root not domain", c.defineXML, "<foo/>")
    step("defineXML no name", c.defineXML,
         "<domain type='test'><memory>1024</memory><os><type>hvm</type></os></domain>")
    step("defineXML no memory", c.defineXML,
         "<domain type='test'><name>bad</name><os><type>hvm</type></os></domain>")
    step("defineXML bad domain type", c.defineXML,
         dom_xml("bad", U[3]).replace("type='test'", "type='bogus'"))
    step("defineXML bad uuid", c.defineXML, dom_xml("bad", "not-a-uuid"))
    step("defineXML bad os type", c.defineXML,
         dom_xml("bad", U[3]).replace(">hvm<", ">bogus<"))
    step("defineXML empty string", c.defineXML, "")
    lists("after bad defines")

    # generated UUID
    d4 = step("defineXML(conf4) without uuid", c.defineXML, dom_xml("conf4"))
    step("conf4 UUIDString well formed",
         lambda: bool(UUID_RE.fullmatch(d4.UUIDString())))
    step("conf4 lookupByUUIDString", c.lookupByUUIDString, d4.UUIDString())
    step("conf4 XMLDesc", lambda: xml_summary(d4.XMLDesc(0)))
    step("conf4 undefine", d4.undefine)

    # transient domain
    d2 = step("createXML(conf2) transient", c.createXML, dom_xml("conf2", U[2]), 0)
    step("conf2 state", d2.state)
    step("conf2 isActive", d2.isActive)
    step("conf2 isPersistent", d2.isPersistent)
    step("conf2 autostart", d2.autostart)
    step("conf2 hasManagedSaveImage", d2.hasManagedSaveImage, 0)
    step("conf2 XMLDesc", lambda: xml_summary(d2.XMLDesc(0)))
    step("createXML(conf2) again while active", c.createXML,
         dom_xml("conf2", U[2]), 0)
    step("createXML(conf1) over the shut-off persistent conf1", c.createXML,
         dom_xml("conf1", U[1]), 0)
    step("conf1 state after createXML", d1.state)
    step("conf1 isPersistent after createXML", d1.isPersistent)
    step("conf1 destroy (back to persistent config)", d1.destroy)
    step("conf1 XMLDesc after createXML + destroy",
         lambda: xml_summary(d1.XMLDesc(0)))
    lists("with transient")
    step("conf2 suspend", d2.suspend)
    step("conf2 resume", d2.resume)
    step("conf2 destroy", d2.destroy)
    step("lookupByName('conf2') after destroy", c.lookupByName, "conf2")
    step("conf2 state after destroy (stale handle)", d2.state)
    step("conf2 destroy again (stale handle)", d2.destroy)
    d3 = step("createXML(conf3) transient", c.createXML, dom_xml("conf3", U[3]), 0)
    step("conf3 shutdown", d3.shutdown)
    step("lookupByName('conf3') after shutdown", c.lookupByName, "conf3")
    # defining a running transient domain makes it persistent
    d5 = step("createXML(conf5) transient", c.createXML, dom_xml("conf5", U[5]), 0)
    step("defineXML(conf5) while running transient", c.defineXML,
         dom_xml("conf5", U[5]))
    step("conf5 isPersistent", d5.isPersistent)
    # undefine a running persistent domain: it keeps running, transient
    step("conf5 undefine while running", d5.undefine)
    step("conf5 isPersistent after undefine", d5.isPersistent)
    step("conf5 state after undefine", d5.state)
    step("conf5 destroy", d5.destroy)
    step("lookupByName('conf5') after destroy", c.lookupByName, "conf5")

    # undefine flags
    d6 = step("defineXML(conf6)", c.defineXML, dom_xml("conf6", U[6]))
    step("conf6 undefineFlags(0x4000)", d6.undefineFlags, 0x4000)
    step("conf6 undefineFlags(MANAGED_SAVE)", d6.undefineFlags,
         libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
    step("conf6 undefine again (stale handle)", d6.undefine)
    d7 = step("defineXML(conf7)", c.defineXML, dom_xml("conf7", U[7]))
    step("conf7 undefineFlags(0)", d7.undefineFlags, 0)
    step("conf1 undefine", d1.undefine)
    lists("after undefines")

    # a running transient domain: setAutostart and undefine succeed (libvirt's
    # test driver accepts both; the domain keeps running, transient)
    d8 = step("createXML(conf8) transient", c.createXML, dom_xml("conf8", U[8]), 0)
    emit({"step": "setAutostart on a transient domain"})
    step("conf8 setAutostart(1)", d8.setAutostart, 1)
    step("conf8 autostart", d8.autostart)
    emit({"step": "undefine of a transient domain"})
    step("conf8 undefine", d8.undefine)
    step("conf8 state", d8.state)
    step("conf8 destroy", d8.destroy)
    step("lookupByName('conf8') after destroy", c.lookupByName, "conf8")
    lists("after deviations")

    # ------------------------------------------------------------------ events
    e = step("open (events)", libvirt.open, URI)
    rec = Recorder()
    sync = c.defineXML(dom_xml("zz-sync", U[18]))
    LC = libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE
    RB = libvirt.VIR_DOMAIN_EVENT_ID_REBOOT

    def cbid(tag, fn, *args):
        """A registration: its ID is written as <cb#N>, N counting the
        connection's registrations (IDs are the client's own numbers)."""
        libvirt.virResetLastError()
        try:
            v = fn(*args)
        except libvirt.libvirtError as x:
            emit({"step": tag, "error": err(x)})
            return None
        emit({"step": tag, "ok": "<id>" if isinstance(v, int) else v})
        if isinstance(v, int):
            conn = fn.__self__
            ids = cb_names.setdefault(id(conn), [])
            ids.append(v)
            emit({"step": tag + " id", "ok": "<cb#%d>" % len(ids),
                  "nonnegative": v >= 0, "distinct": ids.count(v) == 1})
        return v

    id_sync = cbid("registerAny(zz-sync, LIFECYCLE) [marker]",
                   e.domainEventRegisterAny, e.lookupByName("zz-sync"), LC,
                   rec.lifecycle("sync"), None)
    check(id_sync is not None, "marker registration")
    if id_sync is None:
        return 1
    rec.take("before any registration", sync)
    step("domainEventRegister (legacy)", e.domainEventRegister,
         rec.lifecycle("legacy"), None)
    rec.wait.add("legacy")
    legacy_cb = rec.lifecycle("legacy2")
    step("domainEventRegister (legacy, second callback)",
         e.domainEventRegister, legacy_cb, None)
    rec.wait.add("legacy2")
    id_all = cbid("registerAny(None, LIFECYCLE)", e.domainEventRegisterAny,
                  None, LC, rec.lifecycle("all"), None)
    rec.wait.add("all")
    id_rb = cbid("registerAny(None, REBOOT)", e.domainEventRegisterAny,
                 None, RB, rec.reboot("reboot"), None)
    ev1 = step("defineXML(ev1)", c.defineXML, dom_xml("ev1", U[11]))
    ev2 = step("defineXML(ev2)", c.defineXML, dom_xml("ev2", U[12]))
    id_d1 = cbid("registerAny(ev1, LIFECYCLE)", e.domainEventRegisterAny,
                 e.lookupByName("ev1"), LC, rec.lifecycle("ev1"), None)
    id_d2 = cbid("registerAny(ev2, LIFECYCLE)", e.domainEventRegisterAny,
                 e.lookupByName("ev2"), LC, rec.lifecycle("ev2"), None)
    id_d2b = cbid("registerAny(ev2, REBOOT)", e.domainEventRegisterAny,
                  e.lookupByName("ev2"), RB, rec.reboot("ev2-reboot"), None)
    rec.take("after defines", sync)

    def cycle(tag):
        step(tag + " ev1 create", ev1.create)
        step(tag + " ev1 suspend", ev1.suspend)
        step(tag + " ev1 resume", ev1.resume)
        step(tag + " ev1 shutdown", ev1.shutdown)
        step(tag + " ev2 createWithFlags(0)", ev2.createWithFlags, 0)
        step(tag + " ev2 destroy", ev2.destroy)
        step(tag + " ev2 resume while shut off (fails, no event)", ev2.resume)
        rec.take(tag, sync)

    cycle("all registered:")
    step("ev1 create (for reboot)", ev1.create)
    step("ev2 create (for reboot)", ev2.create)
    rec.take("starts before reboot", sync)
    emit({"step": "reboot raises no event in the test driver"})
    step("ev1 reboot", ev1.reboot, 0)
    step("ev2 reboot", ev2.reboot, 0)
    rec.take("reboot", sync)
    step("ev1 destroy", ev1.destroy)
    step("ev2 destroyFlags(GRACEFUL)", ev2.destroyFlags,
         libvirt.VIR_DOMAIN_DESTROY_GRACEFUL)
    step("defineXML(ev1) update", c.defineXML, dom_xml("ev1", U[11], 131072))
    rec.take("destroy + update", sync)

    # deregistrations: each one leaves the others working
    step("deregisterAny(ev1)", e.domainEventDeregisterAny, id_d1)
    cycle("ev1 filter deregistered:")
    step("domainEventDeregister (legacy, second callback)",
         e.domainEventDeregister, legacy_cb)
    rec.wait.discard("legacy2")
    cycle("legacy2 deregistered:")
    step("deregisterAny(None, LIFECYCLE)", e.domainEventDeregisterAny, id_all)
    rec.wait.discard("all")
    cycle("all-domains deregistered:")
    step("deregisterAny(ev1) again", e.domainEventDeregisterAny, id_d1)
    step("deregisterAny(9999)", e.domainEventDeregisterAny, 9999)
    step("domainEventDeregister (legacy, not registered)",
         e.domainEventDeregister, legacy_cb)
    step("registerAny(None, 99)", e.domainEventRegisterAny, None, 99,
         rec.lifecycle("bad"), None)
    step("registerAny(None, -1)", e.domainEventRegisterAny, None, -1,
         rec.lifecycle("bad"), None)
    # every event ID below 27 is accepted (virsh event --all needs it); the
    # client shares the server registrations of IDs 0 and 1 made above, and
    # refuses a second python LIFECYCLE callback for all domains itself
    res = []
    for i in range(27):
        try:
            res.append(e.domainEventRegisterAny(None, i, lambda *a: None, None))
        except libvirt.libvirtError as x:
            res.append(err(x))
    note("registerAny(None, 0..26)",
         ["ok" if isinstance(x, int) else x for x in res])
    note("deregisterAny of those",
         [step_quiet(e.domainEventDeregisterAny, x) for x in res
          if isinstance(x, int)])
    # a second connection's callback sees the same events; the client does
    # not let it remove another connection's registration
    e2 = libvirt.open(URI)
    id_e2 = cbid("conn2 registerAny(None, LIFECYCLE)", e2.domainEventRegisterAny,
                 None, LC, rec.lifecycle("conn2"), None)
    rec.wait.add("conn2")
    step("conn2 deregisterAny(id of conn1's ev2 registration)",
         e2.domainEventDeregisterAny, id_d2)
    t3 = step("createXML(ev3) transient", c.createXML, dom_xml("ev3", U[13]), 0)
    step("ev3 destroy", t3.destroy)
    rec.take("two connections", sync)
    e2.domainEventDeregisterAny(id_e2)
    rec.wait.discard("conn2")
    e2.close()
    step("deregisterAny(ev2)", e.domainEventDeregisterAny, id_d2)
    step("deregisterAny(ev2, REBOOT)", e.domainEventDeregisterAny, id_d2b)
    step("deregisterAny(None, REBOOT)", e.domainEventDeregisterAny, id_rb)
    step("ev1 undefine", ev1.undefine)
    step("ev2 undefine", ev2.undefine)
    rec.take("legacy only", sync)

    # virsh, with this connection keeping the state
    emit({"step": "virsh"})
    vs1, vs2, bad = (os.path.join(TMPDIR, n)
                     for n in ("vs1.xml", "vs2.xml", "bad.xml"))
    with open(vs1, "w") as f:
        f.write(dom_xml("vs1", U[14]))
    with open(vs2, "w") as f:
        f.write(dom_xml("vs2", U[15]))
    with open(bad, "w") as f:
        f.write("<domain type='test'><name>bad</name")
    try:
        virsh("list", "--all")
        virsh("list")
        virsh("list", "--inactive")
        virsh("dominfo", "test")
        virsh("dominfo", "1")
        virsh("dominfo", DEFAULT_UUID)
        virsh("domstate", "test")
        virsh("domstate", "--reason", "test")
        virsh("define", vs1)
        virsh("define", bad)
        virsh("dominfo", "vs1")
        virsh("domstate", "--reason", "vs1")
        virsh("start", "vs1")
        virsh("start", "vs1")
        virsh("domid", "vs1")
        virsh("domuuid", "vs1")
        virsh("domname", "1")
        virsh("suspend", "vs1")
        virsh("domstate", "--reason", "vs1")
        virsh("resume", "vs1")
        virsh("resume", "vs1")
        virsh("reboot", "vs1")
        virsh("domstate", "--reason", "vs1")
        virsh("shutdown", "vs1")
        virsh("domstate", "--reason", "vs1")
        virsh("shutdown", "vs1")
        virsh("start", "--paused", "vs1")
        virsh("start", "vs1")
        virsh("destroy", "--graceful", "vs1")
        virsh("destroy", "vs1")
        virsh("autostart", "vs1")
        virsh("dominfo", "vs1")
        virsh("autostart", "--disable", "vs1")
        virsh("create", vs2)
        virsh("list", "--all")
        virsh("list", "--transient")
        virsh("destroy", "vs2")
        virsh("dumpxml", "vs1")
        virsh("undefine", "vs1")
        virsh("undefine", "vs1")
        virsh("dominfo", "nosuch")
        virsh("domstate", "nosuch")
        virsh("domid", "nosuch")
        virsh("domname", "9999")
        virsh("nodeinfo")
        virsh("version")
        virsh("hostname", hostname=True)
        virsh("list", "--all", uri=RO_URI)
        virsh("define", vs1, uri=RO_URI)
        virsh("destroy", "test", uri=RO_URI)
        virsh("list", uri="bogus+unix:///x" + SOCKET_Q)
    finally:
        for f in (vs1, vs2, bad):
            os.unlink(f)
        os.rmdir(TMPDIR)

    lists("final")
    step("zz-sync undefine", sync.undefine)
    e.domainEventDeregisterAny(id_sync)
    e.close()
    c.close()
    emit({"step": "end", "generated_uuids": len(generated),
          "check_failures": failures})
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        rc = main()
    except Exception as x:  # the transcript shows where it stopped
        import traceback
        traceback.print_exc()
        emit({"step": "EXCEPTION", "what": "%s: %s" % (type(x).__name__, x)})
        rc = 1
    OUT.flush()
    os._exit(rc)
