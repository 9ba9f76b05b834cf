#!/usr/bin/python3
# lxc-agent-python.py URI NAME HOST ROOT: the guest agent API of a running
# container with an agent, through stock libvirt-python against virtnetd
# (run by tests/test-lxc-agent-virsh.sh). Prints "ok ..." per check and
# exits 1 on the first failure.
#
# Checks: hostname(AGENT), interfaceAddresses(AGENT), fsInfo, guestInfo,
# getTime, setUserPassword (in ROOT/etc/shadow), authorizedSSHKeysSet/Get,
# guestVcpus, agentSetResponseTimeout; then the agent is killed inside the
# container: an AGENT_LIFECYCLE disconnected event (reason channel), a call
# failing with VIR_ERR_AGENT_UNRESPONSIVE unless the agent is back
# already, and a connected event (reason channel) when the controller
# restarted it.
import os
import warnings
import signal
import sys
import threading
import time

import libvirt

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import crypt

uri, name, host, root = sys.argv[1:5]
events = []
cond = threading.Condition()


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def check(what, cond_):
    if not cond_:
        fail(what)
    print("ok   " + what)


def loop():
    while True:
        libvirt.virEventRunDefaultImpl()


def on_agent(conn, dom, state, reason, opaque):
    with cond:
        events.append((dom.name(), state, reason))
        cond.notify_all()


def wait_event(state, reason, count, timeout=15):
    end = time.time() + timeout
    with cond:
        while True:
            n = sum(1 for e in events if e == (name, state, reason))
            if n >= count or time.time() >= end:
                return n
            cond.wait(max(0.05, end - time.time()))


libvirt.virEventRegisterDefaultImpl()
threading.Thread(target=loop, daemon=True).start()
conn = libvirt.open(uri)
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE, on_agent, None)
dom = conn.lookupByName(name)

check("hostname(AGENT)", dom.hostname(libvirt.VIR_DOMAIN_GET_HOSTNAME_AGENT) == host)

ifaces = dom.interfaceAddresses(libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT)
check("interfaceAddresses(AGENT): lo 127.0.0.1/8",
      any(a["addr"] == "127.0.0.1" and a["prefix"] == 8 and a["type"] == libvirt.VIR_IP_ADDR_TYPE_IPV4
          for a in ifaces.get("lo", {}).get("addrs") or []))

fs = dom.fsInfo()
check("fsInfo: /data tmpfs", any(f[0] == "/data" and f[2] == "tmpfs" for f in fs))

info = dom.guestInfo()
check("guestInfo: user, os, timezone, hostname",
      info.get("user.0.name") == "alice" and info.get("os.id") == "vnagenttest" and
      info.get("timezone.offset") == 19800 and info.get("hostname") == host)
check("guestInfo(FILESYSTEM) only", all(k.startswith("fs.") for k in
      dom.guestInfo(libvirt.VIR_DOMAIN_GUEST_INFO_FILESYSTEM)))

t = dom.getTime()
check("getTime", abs(t["seconds"] - time.time()) < 5)

dom.setUserPassword("alice", "py-pass", 0)
line = [l for l in open(os.path.join(root, "etc/shadow")) if l.startswith("alice:")][0]
h = line.split(":")[1]
check("setUserPassword: the hash in the guest's shadow", crypt.crypt("py-pass", h) == h)

dom.authorizedSSHKeysSet("alice", ["ssh-ed25519 AAAApy1 p@1", "ssh-ed25519 AAAApy2 p@2"], 0)
check("authorizedSSHKeysGet", dom.authorizedSSHKeysGet("alice") ==
      ["ssh-ed25519 AAAApy1 p@1", "ssh-ed25519 AAAApy2 p@2"])

v = dom.guestVcpus()
check("guestVcpus", set(v) == {"vcpus", "online", "offlinable"} and v["offlinable"] == "")

check("agentSetResponseTimeout", dom.agentSetResponseTimeout(7) == 0)

# the agent killed inside the container
DISC = libvirt.VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_DISCONNECTED
CONN = libvirt.VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED
CHAN = libvirt.VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL
ctrl = dom.ID()
agent = None
for pid in os.listdir("/proc"):
    try:
        stat = open("/proc/%s/stat" % pid).read()
    except (OSError, ValueError):
        continue
    if "(virtnet-agent)" in stat and int(stat.rsplit(")", 1)[1].split()[1]) == ctrl:
        agent = int(pid)
check("the agent runs as a child of the controller", agent is not None)
back = wait_event(CONN, CHAN, 1, 0)
os.kill(agent, signal.SIGKILL)
check("AGENT_LIFECYCLE disconnected (channel)", wait_event(DISC, CHAN, 1) >= 1)
try:
    dom.getTime()
    unresponsive = False
except libvirt.libvirtError as e:
    unresponsive = e.get_error_code() == libvirt.VIR_ERR_AGENT_UNRESPONSIVE
check("a call meanwhile: VIR_ERR_AGENT_UNRESPONSIVE",
      unresponsive or wait_event(CONN, CHAN, back + 1, 0) > back)
check("AGENT_LIFECYCLE connected again (channel)", wait_event(CONN, CHAN, back + 1) > back)
check("calls work again", abs(dom.getTime()["seconds"] - time.time()) < 5)
conn.close()
