#!/usr/bin/python3
"""hold-domains.py SOCKET N: define and start N domains in a daemon's
test:///default and keep the connection open until killed (libvirt's test
driver drops its state when the last connection closes). Prints "ready"
once they are all running. For the stats workload of run-bench.sh."""

import signal
import sys

import libvirt

sock, n = sys.argv[1], int(sys.argv[2])
conn = libvirt.open("test+unix:///default?socket=%s" % sock)
for i in range(n):
    dom = conn.defineXML(
        "<domain type='test'><name>vb-stats-%03d</name><memory>65536</memory>"
        "<vcpu>2</vcpu><os><type>hvm</type></os><devices>"
        "<disk type='file' device='disk'><source file='/guest/d%d'/>"
        "<target dev='vda'/></disk></devices></domain>" % (i, i))
    dom.create()
print("ready", len(conn.listAllDomains(0)), flush=True)
signal.pause()
