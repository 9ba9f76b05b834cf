#!/usr/bin/python3
"""trace-python.py URI LOG: the libvirt-python actions of the trace.

Run with the system python3 (python3-libvirt). URI is the traced URI
(through trace-proxy.py); LOG is the proxy's log, to which a "### action"
line is appended before each action. Each action prints what it got.
"""
import sys
import threading
import time

import libvirt

uri, logpath = sys.argv[1], sys.argv[2]
XML = """<domain type='test'>
  <name>%s</name>
  <uuid>%s</uuid>
  <memory>65536</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>"""
UUID1 = "33333333-2222-3333-4444-555555555555"
UUID2 = "44444444-2222-3333-4444-555555555555"


def mark(text):
    with open(logpath, "a") as f:
        f.write("### python: %s\n" % text)
    time.sleep(0.2)


def show(text, value):
    with open(logpath, "a") as f:
        f.write("### | %s -> %r\n" % (text, value))


def act(text, fn):
    mark(text)
    try:
        value = fn()
    except libvirt.libvirtError as e:
        value = "libvirtError(code=%d): %s" % (e.get_error_code(), e)
    show(text, value)
    time.sleep(0.2)
    return value


libvirt.registerErrorHandler(lambda ctx, err: None, None)

# plain API, no event loop
mark("libvirt.open")
c = libvirt.open(uri)
act("listAllDomains(0)", lambda: [d.name() for d in c.listAllDomains(0)])
d = act("lookupByName('test')", lambda: c.lookupByName("test"))
act("lookupByUUIDString", lambda: c.lookupByUUIDString(d.UUIDString()).name())
act("lookupByUUID", lambda: c.lookupByUUID(d.UUID()).name())
act("lookupByID(1)", lambda: c.lookupByID(1).name())
act("info()", lambda: d.info())
act("state()", lambda: d.state())
act("XMLDesc(0)", lambda: len(d.XMLDesc(0)))
act("isActive()", lambda: d.isActive())
act("isPersistent()", lambda: d.isPersistent())
act("hasManagedSaveImage(0)", lambda: d.hasManagedSaveImage(0))
act("autostart()", lambda: d.autostart())
act("name() ID() UUIDString() (local)",
    lambda: (d.name(), d.ID(), d.UUIDString()))
d1 = act("defineXML(py1)", lambda: c.defineXML(XML % ("py1", UUID1)))
act("setAutostart(1)", lambda: d1.setAutostart(1))
act("autostart()", lambda: d1.autostart())
act("setAutostart(0)", lambda: d1.setAutostart(0))
act("create()", lambda: d1.create())
act("ID() after create (local)", lambda: d1.ID())
act("info()", lambda: d1.info())
act("destroy()", lambda: d1.destroy())
d2 = act("createXML(py2, 0)", lambda: c.createXML(XML % ("py2", UUID2), 0))
act("destroy() transient", lambda: d2.destroy())
act("lookupByName('py2') after destroy", lambda: c.lookupByName("py2"))
act("undefine()", lambda: d1.undefine())
act("lookupByName('nosuch')", lambda: c.lookupByName("nosuch"))
act("getType getVersion getLibVersion getHostname getURI",
    lambda: (c.getType(), c.getVersion(), c.getLibVersion(),
             c.getHostname(), c.getURI()))
act("getMaxVcpus(None)", lambda: c.getMaxVcpus(None))
act("isSecure isAlive isEncrypted",
    lambda: (c.isSecure(), c.isAlive(), c.isEncrypted()))
act("numOfDomains listDomainsID numOfDefinedDomains listDefinedDomains",
    lambda: (c.numOfDomains(), c.listDomainsID(), c.numOfDefinedDomains(),
             c.listDefinedDomains()))
act("getInfo (node)", lambda: c.getInfo())
act("getCapabilities", lambda: len(c.getCapabilities()))
act("getSysinfo(0)", lambda: c.getSysinfo(0))
mark("close()")
c.close()

mark("libvirt.openReadOnly")
r = libvirt.openReadOnly(uri)
act("ro listAllDomains(0)", lambda: [d.name() for d in r.listAllDomains(0)])
act("ro defineXML (expect denied)",
    lambda: r.defineXML(XML % ("py1", UUID1)))
act("ro lookupByName('test').info()", lambda: r.lookupByName("test").info())
mark("ro close()")
r.close()

# events, with the default event loop
libvirt.virEventRegisterDefaultImpl()
stop = False


def loop():
    while not stop:
        libvirt.virEventRunDefaultImpl()


threading.Thread(target=loop, daemon=True).start()
got = []
mark("open with event loop registered")
e = libvirt.open(uri)
legacy_cb = lambda conn, dom, ev, detail, opaque: got.append(
    ("legacy", dom.name(), ev, detail))
any_cb = lambda conn, dom, ev, detail, opaque: got.append(
    ("any", dom.name(), ev, detail))
dom_cb = lambda conn, dom, ev, detail, opaque: got.append(
    ("any-py1", dom.name(), ev, detail))
act("domainEventRegister(cb) (legacy)",
    lambda: e.domainEventRegister(legacy_cb, None))
cbid = act("domainEventRegisterAny(None, LIFECYCLE)",
           lambda: e.domainEventRegisterAny(
               None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, any_cb, None))
o = libvirt.open(uri)
mark("(other connection) defineXML py1")
d1 = o.defineXML(XML % ("py1", UUID1))
cbid2 = act("domainEventRegisterAny(py1, LIFECYCLE)",
            lambda: e.domainEventRegisterAny(
                e.lookupByName("py1"), libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                dom_cb, None))
mark("(other connection) create, suspend, resume, destroy py1")
d1.create()
d1.suspend()
d1.resume()
d1.destroy()
time.sleep(1)
show("events received", got)
del got[:]
act("domainEventDeregisterAny(first)", lambda: e.domainEventDeregisterAny(cbid))
mark("(other connection) create + destroy py1")
d1.create()
d1.destroy()
time.sleep(1)
show("events received", got)
del got[:]
act("domainEventDeregister(cb) (legacy)",
    lambda: e.domainEventDeregister(legacy_cb))
act("domainEventDeregisterAny(py1)", lambda: e.domainEventDeregisterAny(cbid2))
mark("(other connection) undefine py1, close")
d1.undefine()
o.close()
mark("idle 12 s with the event loop running")
time.sleep(12)
mark("close()")
e.close()
stop = True
