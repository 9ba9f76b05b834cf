#!/usr/bin/python3
"""bench-tls-client.py: the client side of tests/bench/bench-tls-compare.sh.

  bench-tls-client.py handshake PORT PKIDIR SECONDS
      sequential TLS handshakes on 127.0.0.1:PORT with the client certificate
      of PKIDIR (clientcert.pem, clientkey.pem, cacert.pem): connect,
      handshake, read libvirt's confirmation byte (must be 1), close.
  bench-tls-client.py calls URI SECONDS [PROCS]
      PROCS processes (default 1), each with one libvirt-python connection
      to URI calling getLibVersion() in a loop.
  bench-tls-client.py opens URI SECONDS
      libvirt.open(URI) + getLibVersion() + close in a loop.

Prints one number: operations per second (summed over processes).
"""
import multiprocessing
import os
import socket
import ssl
import sys
import time


def handshake(port, pki, secs):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(os.path.join(pki, "cacert.pem"))
    ctx.load_cert_chain(os.path.join(pki, "clientcert.pem"), os.path.join(pki, "clientkey.pem"))
    ctx.check_hostname = False   # the server certificate is for 127.0.0.1 anyway
    n = 0
    end = time.monotonic() + secs
    start = time.monotonic()
    while time.monotonic() < end:
        s = socket.create_connection(("127.0.0.1", port))
        with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
            b = t.recv(1)
            if b != b"\x01":
                sys.exit("no confirmation byte (got %r)" % b)
        n += 1
    return n / (time.monotonic() - start)


def calls(uri, secs):
    import libvirt
    conn = libvirt.open(uri)
    conn.getLibVersion()
    n = 0
    start = time.monotonic()
    end = start + secs
    while True:
        for _ in range(100):
            conn.getLibVersion()
        n += 100
        now = time.monotonic()
        if now >= end:
            break
    conn.close()
    return n / (now - start)


def opens(uri, secs):
    import libvirt
    n = 0
    start = time.monotonic()
    end = start + secs
    while time.monotonic() < end:
        conn = libvirt.open(uri)
        conn.getLibVersion()
        conn.close()
        n += 1
    return n / (time.monotonic() - start)


def _calls_worker(a):
    return calls(*a)


def main():
    mode = sys.argv[1]
    if mode == "handshake":
        r = handshake(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]))
    elif mode == "calls":
        procs = int(sys.argv[4]) if len(sys.argv) > 4 else 1
        if procs == 1:
            r = calls(sys.argv[2], float(sys.argv[3]))
        else:
            with multiprocessing.get_context("spawn").Pool(procs) as p:
                r = sum(p.map(_calls_worker, [(sys.argv[2], float(sys.argv[3]))] * procs))
    elif mode == "opens":
        r = opens(sys.argv[2], float(sys.argv[3]))
    else:
        sys.exit("usage: see the file")
    print("%.0f" % r)


if __name__ == "__main__":
    main()
