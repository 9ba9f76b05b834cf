#!/usr/bin/env python3
"""trace-proxy.py [options] LISTEN UPSTREAM LOG: a logging relay for libvirt RPC.

Listens on the UNIX socket LISTEN and relays every client connection to the
UNIX socket UPSTREAM (libvirtd's libvirt-sock), message by message. Every
message in either direction is appended to LOG as one JSON line:

  {"t": seconds, "conn": 1, "dir": "C>S" | "S>C" | "P>C", "len": N,
   "prog": P, "vers": V,
   "proc": N, "type": T, "serial": S, "status": S, "payload": "hex"}

`len` is the length word (it counts itself); `payload` is everything after
the 24-byte header. "P>C" is a reply made up by the proxy (see --refuse).
{"conn": N, "event": "open"|"close"} lines mark connections.

Fault injection, to see what a client does when a server lacks something:
  --refuse N[,N...]      answer calls of these remote procedures with an
                         error instead of forwarding them
  --refuse-style S       rpc: the error libvirtd 9.0 sends for a procedure
                         number it does not know (VIR_ERR_RPC, VIR_FROM_RPC,
                         "unknown procedure: N"); nosupport: VIR_ERR_NO_SUPPORT
                         (default rpc)
  --feature F=V          answer CONNECT_SUPPORTS_FEATURE(F) with V (0 or 1)
File descriptor passing is not relayed. Runs until killed.
"""
import argparse
import json
import os
import socket
import struct
import threading
import time

REMOTE_PROGRAM = 0x20008086
PROC_SUPPORTS_FEATURE = 60
VIR_ERR_NO_SUPPORT = 3
VIR_ERR_RPC = 39
VIR_FROM_RPC = 7
VIR_ERR_ERROR = 2

log_lock = threading.Lock()
T0 = time.monotonic()


def now():
    return round(time.monotonic() - T0, 3)


def xdr_string(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)


def error_payload(code, domain, message):
    """An error reply body (libvirt's error struct), as libvirtd fills it
    for a procedure it does not know: str1 "%s", str2 the message."""
    p = struct.pack(">ii", code, domain)
    p += struct.pack(">I", 1) + xdr_string(message)
    p += struct.pack(">i", VIR_ERR_ERROR)
    p += struct.pack(">I", 0)                                # dom
    p += struct.pack(">I", 1) + xdr_string("%s")             # str1
    p += struct.pack(">I", 1) + xdr_string(message)          # str2
    p += struct.pack(">I", 0)                                # str3
    p += struct.pack(">ii", -1, -1)                          # int1, int2
    p += struct.pack(">I", 0)                                # net
    return p


def pack(prog, vers, proc, mtype, serial, status, payload):
    hdr = struct.pack(">IIiiIi", prog, vers, proc, mtype, serial, status)
    return struct.pack(">I", 4 + len(hdr) + len(payload)) + hdr + payload


class Conn:
    def __init__(self, n, cli, up, opts, out):
        self.n, self.cli, self.up, self.opts, self.out = n, cli, up, opts, out
        self.cli_lock = threading.Lock()
        self.pending_features = {}
        self.closed = False
        self.close_lock = threading.Lock()

    def log(self, direction, msg):
        prog, vers, proc, mtype, serial, status = struct.unpack(
            ">IIiiIi", msg[4:28])
        rec = {"t": now(), "conn": self.n, "dir": direction, "len": len(msg),
               "prog": prog, "vers": vers, "proc": proc, "type": mtype,
               "serial": serial, "status": status, "payload": msg[28:].hex()}
        with log_lock:
            self.out.write(json.dumps(rec) + "\n")
            self.out.flush()

    def event(self, what):
        with log_lock:
            self.out.write(json.dumps({"t": now(), "conn": self.n, "event": what}) + "\n")
            self.out.flush()

    def to_client(self, msg):
        with self.cli_lock:
            self.cli.sendall(msg)

    def from_client(self, msg):
        prog, vers, proc, mtype, serial, _ = struct.unpack(">IIiiIi", msg[4:28])
        self.log("C>S", msg)
        if prog == REMOTE_PROGRAM and mtype == 0:
            if proc in self.opts.refuse:
                if self.opts.refuse_style == "rpc":
                    body = error_payload(VIR_ERR_RPC, VIR_FROM_RPC,
                                         "unknown procedure: %d" % proc)
                else:
                    body = error_payload(VIR_ERR_NO_SUPPORT, VIR_FROM_RPC,
                                         "this function is not supported: "
                                         "procedure %d" % proc)
                reply = pack(prog, vers, proc, 1, serial, 1, body)
                self.log("P>C", reply)
                self.to_client(reply)
                return
            if proc == PROC_SUPPORTS_FEATURE and len(msg) >= 32:
                (feature,) = struct.unpack(">i", msg[28:32])
                self.pending_features[serial] = feature
        self.up.sendall(msg)

    def from_server(self, msg):
        prog, vers, proc, mtype, serial, status = struct.unpack(
            ">IIiiIi", msg[4:28])
        if (prog == REMOTE_PROGRAM and proc == PROC_SUPPORTS_FEATURE
                and mtype == 1 and status == 0):
            feature = self.pending_features.pop(serial, None)
            if feature in self.opts.feature:
                msg = pack(prog, vers, proc, mtype, serial, status,
                           struct.pack(">i", self.opts.feature[feature]))
        self.log("S>C", msg)
        self.to_client(msg)

    def pump(self, src, handle):
        buf = b""
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                buf += data
                while len(buf) >= 4:
                    (length,) = struct.unpack(">I", buf[:4])
                    if len(buf) < length:
                        break
                    msg, buf = buf[:length], buf[length:]
                    handle(msg)
        except OSError:
            pass
        finally:
            for s in (self.cli, self.up):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            with self.close_lock:
                if not self.closed:
                    self.closed = True
                    self.event("close")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--refuse", default="")
    ap.add_argument("--refuse-style", choices=("rpc", "nosupport"),
                    default="rpc")
    ap.add_argument("--feature", action="append", default=[])
    ap.add_argument("listen")
    ap.add_argument("upstream")
    ap.add_argument("log")
    opts = ap.parse_args()
    opts.refuse = {int(x) for x in opts.refuse.split(",") if x}
    opts.feature = {int(k): int(v) for k, v in
                    (f.split("=") for f in opts.feature)}
    out = open(opts.log, "a")
    if os.path.exists(opts.listen):
        os.unlink(opts.listen)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(opts.listen)
    srv.listen(16)
    n = 0
    while True:
        cli, _ = srv.accept()
        n += 1
        up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        up.connect(opts.upstream)
        c = Conn(n, cli, up, opts, out)
        c.event("open")
        threading.Thread(target=c.pump, args=(cli, c.from_client),
                         daemon=True).start()
        threading.Thread(target=c.pump, args=(up, c.from_server),
                         daemon=True).start()


if __name__ == "__main__":
    main()
