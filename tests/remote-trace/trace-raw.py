#!/usr/bin/env python3
"""trace-raw.py SOCKET [sasl]: what libvirtd answers to calls no real client
makes: an unknown procedure number, calls before CONNECT_OPEN, a payload
that does not decode, and (with "sasl", against a daemon started with
auth_unix_rw="sasl") calls before authentication. Prints each reply's
header and its error fields."""
import socket
import struct
import sys

REMOTE = 0x20008086


def xdr_str(b):
    return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)


def decode_error(p):
    """code, domain, message, level, ..., int1, int2 of an error reply."""
    off = 0

    def word():
        nonlocal off
        (v,) = struct.unpack(">i", p[off:off + 4])
        off += 4
        return v

    def opt_str():
        nonlocal off
        if word() == 0:
            return None
        n = word()
        s = p[off:off + n].decode()
        off += n + (-n % 4)
        return s

    code, domain = word(), word()
    message = opt_str()
    level = word()
    dom = word()
    str1, str2, str3 = opt_str(), opt_str(), opt_str()
    int1, int2 = word(), word()
    net = word()
    return dict(code=code, domain=domain, message=message, level=level,
                dom=dom, str1=str1, str2=str2, str3=str3, int1=int1,
                int2=int2, net=net)


def main():
    path = sys.argv[1]
    sasl = len(sys.argv) > 2 and sys.argv[2] == "sasl"
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    serial = 0

    def call(what, proc, payload=b""):
        nonlocal serial
        hdr = struct.pack(">IIiiIi", REMOTE, 1, proc, 0, serial, 0)
        s.sendall(struct.pack(">I", 4 + len(hdr) + len(payload)) + hdr + payload)
        serial += 1
        (n,) = struct.unpack(">I", s.recv(4))
        d = b""
        while len(d) < n - 4:
            d += s.recv(n - 4 - len(d))
        h = struct.unpack(">IIiiIi", d[:24])
        body = d[24:]
        if h[5] == 1:
            print("%-40s proc=%d -> ERROR %s" % (what, proc, decode_error(body)))
        else:
            print("%-40s proc=%d -> OK %s" % (what, proc, body.hex()))

    open_args = struct.pack(">I", 1) + xdr_str(b"test:///default") + struct.pack(">I", 0)
    if sasl:
        call("SUPPORTS_FEATURE(10) before auth", 60, struct.pack(">i", 10))
        call("AUTH_LIST before auth", 66)
        call("CONNECT_OPEN before auth", 1, open_args)
        call("CONNECT_GET_TYPE before auth", 3)
        return
    call("unknown procedure 9999", 9999)
    call("AUTH_LIST", 66)
    call("CONNECT_GET_TYPE before CONNECT_OPEN", 3)
    call("SUPPORTS_FEATURE(14) before CONNECT_OPEN", 60, struct.pack(">i", 14))
    call("SUPPORTS_FEATURE(10) before CONNECT_OPEN", 60, struct.pack(">i", 10))
    call("CONNECT_OPEN", 1, open_args)
    call("DOMAIN_GET_VCPUS with no payload", 20)
    call("DOMAIN_LOOKUP_BY_NAME('nosuch')", 23, xdr_str(b"nosuch"))
    call("CONNECT_OPEN again", 1, open_args)
    call("CONNECT_GET_TYPE after that", 3)
    call("CONNECT_CLOSE", 2)


if __name__ == "__main__":
    main()
