#!/usr/bin/python3
"""badinput.py SOCKET [--libvirtd]: bad input does not hurt the daemon.

SOCKET is the daemon's read-write socket (DIR/libvirt-sock; the read-only
one is SOCKET-ro). Through libvirt-python: malformed domain XML gets a
clear error and changes nothing, unknown URIs get an error. Over raw
sockets (libvirt's framing: length word, header, XDR payload): unknown
procedures, programs and undecodable payloads get an error reply and the
connection goes on; write calls on read-only connections are refused by
the server; clients that go away in the middle of a call, of a message,
or while events are queued for them, and clients that send garbage (which
closes their connection), leave the daemon serving everyone else.

--libvirtd: for checking this script against libvirtd, which answers an
unknown procedure with VIR_ERR_RPC instead of VIR_ERR_NO_SUPPORT.

Run with the system python3 (python3-libvirt). Exit 0 pass, 1 fail.
"""
import socket
import struct
import sys
import time

import libvirt

SOCK = sys.argv[1]
LIBVIRTD = "--libvirtd" in sys.argv[2:]
URI = "test+unix:///default?socket=" + SOCK
REMOTE = 0x20008086
ERR_NO_SUPPORT, ERR_RPC, ERR_OPERATION_DENIED = 3, 39, 29
UNKNOWN_PROC_CODE = ERR_RPC if LIBVIRTD else ERR_NO_SUPPORT
TEST_UUID = bytes.fromhex("6695eb01f6a4830479aa97f2502e193f")
PROC = dict(OPEN=1, GET_TYPE=3, CREATE_XML=10, DEFINE_XML=11, DESTROY=12,
            LOOKUP_BY_NAME=23, AUTH_LIST=66, REGISTER_ANY=316)
failures = []


def check(name, ok, detail=""):
    print("%s: %s%s" % ("ok" if ok else "FAIL", name,
                        "" if ok or not detail else " -- %s" % detail))
    if not ok:
        failures.append(name)


def xdr_str(b):
    return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)


def open_args(flags=0):
    return struct.pack(">I", 1) + xdr_str(b"test:///default") + struct.pack(">I", flags)


def domain_arg():
    return xdr_str(b"test") + TEST_UUID + struct.pack(">i", 1)


def create_args(name):
    xml = ("<domain type='test'><name>%s</name><memory>1024</memory>"
           "<os><type>hvm</type></os></domain>" % name).encode()
    return xdr_str(xml) + struct.pack(">I", 0)


def decode_error(p):
    off = 0

    def word():
        nonlocal off
        (v,) = struct.unpack(">i", p[off:off + 4])
        off += 4
        return v

    code, domain = word(), word()
    msg = None
    if word():
        n = word()
        msg = p[off:off + n].decode(errors="replace")
    return code, domain, msg


class Raw:
    """One client connection spoken by hand."""

    def __init__(self, path=SOCK):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.s.settimeout(5)
        self.serial = 0

    def message(self, proc, payload=b"", prog=REMOTE, vers=1):
        hdr = struct.pack(">IIiiIi", prog, vers, proc, 0, self.serial, 0)
        self.serial += 1
        return struct.pack(">I", 4 + len(hdr) + len(payload)) + hdr + payload

    def send(self, proc, payload=b"", **kw):
        self.s.sendall(self.message(proc, payload, **kw))

    def recv(self):
        """('ok', proc, body) / ('error', proc, (code, domain, msg)) /
        'eof' / 'timeout'; MESSAGE type (events) are skipped."""
        while True:
            try:
                head = self._read(4)
                if head is None:
                    return "eof"
                (n,) = struct.unpack(">I", head)
                d = self._read(n - 4)
                if d is None:
                    return "eof"
            except socket.timeout:
                return "timeout"
            except ConnectionResetError:
                return "eof"
            prog, vers, proc, typ, serial, status = struct.unpack(">IIiiIi", d[:24])
            if typ == 2:        # MESSAGE (event, keepalive)
                continue
            if status == 1:
                return ("error", proc, decode_error(d[24:]))
            return ("ok", proc, d[24:])

    def _read(self, n):
        b = b""
        while len(b) < n:
            x = self.s.recv(n - len(b))
            if not x:
                return None
            b += x
        return b

    def call(self, proc, payload=b"", **kw):
        self.send(proc, payload, **kw)
        return self.recv()

    def connect(self, flags=0):
        self.call(PROC["AUTH_LIST"])
        r = self.call(PROC["OPEN"], open_args(flags))
        if r[0] != "ok":
            raise RuntimeError("CONNECT_OPEN: %r" % (r,))
        return self

    def close(self):
        self.s.close()


def is_error(r, code=None):
    return (isinstance(r, tuple) and r[0] == "error"
            and (code is None or r[2][0] == code))


def get_type_works(r):
    x = r.call(PROC["GET_TYPE"])
    return isinstance(x, tuple) and x[0] == "ok" and x[2][4:8] == b"TEST", x


def others_served(what):
    """A new connection works, and the held connection too."""
    try:
        n = Raw().connect()
        ok, x = get_type_works(n)
        n.close()
    except (OSError, RuntimeError) as e:
        ok, x = False, e
    check("%s: a new connection is served" % what, ok, repr(x))
    try:
        held.getType()
        ok = True
    except libvirt.libvirtError as e:
        ok, x = False, e
    check("%s: the held connection is served" % what, ok, repr(x))


def state():
    return sorted((d.name(), d.state()[0], d.isPersistent())
                  for d in held.listAllDomains(0))


libvirt.registerErrorHandler(lambda ctx, e: None, None)
held = libvirt.open(URI)            # holds test:///default's state
before = state()

# --------------------------------------------------- malformed XML (python)
BAD_XML = [
    ("not well formed", "<domain type='test'><name>bad</name", 35),
    ("empty document", "", None),
    ("text only", "hello", None),
    ("root not domain", "<foo/>", 27),
    ("no name", "<domain type='test'><memory>1024</memory>"
     "<os><type>hvm</type></os></domain>", 21),
    ("no memory", "<domain type='test'><name>bad</name>"
     "<os><type>hvm</type></os></domain>", 27),
    ("no type attribute", "<domain><name>bad</name><memory>1024</memory>"
     "<os><type>hvm</type></os></domain>", 1),
    ("unknown domain type", "<domain type='bogus'><name>bad</name>"
     "<memory>1024</memory><os><type>hvm</type></os></domain>", 67),
    ("malformed uuid", "<domain type='test'><name>bad</name><uuid>xyz</uuid>"
     "<memory>1024</memory><os><type>hvm</type></os></domain>", 1),
    ("negative memory", "<domain type='test'><name>bad</name>"
     "<memory>-5</memory><os><type>hvm</type></os></domain>", 27),
    ("name with /", "<domain type='test'><name>a/b</name>"
     "<memory>1024</memory><os><type>hvm</type></os></domain>", 27),
    ("entity declaration", "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
     "<domain type='test'><name>&x;</name><memory>1024</memory>"
     "<os><type>hvm</type></os></domain>", None),
    ("truncated in a tag", "<domain type='test'><name>bad</name><memo", 35),
    ("binary", "\x01\x02\x03<domain>", None),
]
for what, xml, code in BAD_XML:
    for call in ("defineXML", "createXML"):
        try:
            d = (held.defineXML(xml) if call == "defineXML"
                 else held.createXML(xml, 0))
            check("%s %s: refused" % (call, what), False,
                  "accepted, domain %s" % d.name())
        except libvirt.libvirtError as e:
            msg = e.get_error_message() or ""
            check("%s %s: clear error (code %s)" % (call, what, e.get_error_code()),
                  (code is None or e.get_error_code() == code)
                  and len(msg) > 5 and "unknown error" not in msg,
                  "code %d, expected %s: %r" % (e.get_error_code(), code, msg))
check("malformed XML changed nothing", state() == before,
      "%r -> %r" % (before, state()))

# --------------------------------------------------------- unknown URIs
for uri, code in (("bogus+unix:///x?socket=" + SOCK, 5),
                  ("test+unix:///?socket=" + SOCK, 8),
                  ("test+unix:///nonexistent.xml?socket=" + SOCK, 27)):
    try:
        libvirt.open(uri)
        check("open %s: refused" % uri.split("?")[0], False, "opened")
    except libvirt.libvirtError as e:
        check("open %s: error code %d" % (uri.split("?")[0], code),
              e.get_error_code() == code,
              "code %d: %s" % (e.get_error_code(), e.get_error_message()))
others_served("after unknown URIs")

# ------------------------------------------------ unknown procedures (raw)
r = Raw()
x = r.call(9999)
check("proc 9999 before CONNECT_OPEN: error %d" % UNKNOWN_PROC_CODE,
      is_error(x, UNKNOWN_PROC_CODE), repr(x))
r.connect()
x = r.call(9999)
check("proc 9999 after CONNECT_OPEN: error %d" % UNKNOWN_PROC_CODE,
      is_error(x, UNKNOWN_PROC_CODE), repr(x))
check("proc 9999: the connection keeps working", *get_type_works(r))
x = r.call(PROC["LOOKUP_BY_NAME"], xdr_str(b"test"))
check("proc 9999: lookup works after it", isinstance(x, tuple) and x[0] == "ok",
      repr(x))
x = r.call(318)
check("an event procedure (318) called: error", is_error(x), repr(x))
x = r.call(PROC["GET_TYPE"], prog=0x12345678)
check("unknown program: error %d" % ERR_RPC, is_error(x, ERR_RPC), repr(x))
x = r.call(PROC["GET_TYPE"], vers=2)
check("unknown program version: error %d" % ERR_RPC, is_error(x, ERR_RPC), repr(x))
x = r.call(PROC["LOOKUP_BY_NAME"], struct.pack(">I", 100) + b"abc")
check("undecodable payload: error %d" % ERR_RPC, is_error(x, ERR_RPC), repr(x))
x = r.call(PROC["LOOKUP_BY_NAME"], xdr_str(b"test") + b"extra bytes!")
check("payload with trailing bytes: an answer", isinstance(x, tuple), repr(x))
x = r.call(PROC["REGISTER_ANY"], struct.pack(">ii", 99, 0))
check("event registration with event ID 99: error", is_error(x), repr(x))
check("after all that the connection keeps working", *get_type_works(r))
r.close()

# ------------------------------------------- read-only, refused by the server
ro = Raw(SOCK + "-ro").connect(0)
x = ro.call(PROC["DESTROY"], domain_arg())
check("read-only socket: DOMAIN_DESTROY refused (%d)" % ERR_OPERATION_DENIED,
      is_error(x, ERR_OPERATION_DENIED), repr(x))
x = ro.call(PROC["DEFINE_XML"], xdr_str(b"<domain type='test'><name>ro</name>"
                                         b"<memory>1024</memory><os><type>hvm"
                                         b"</type></os></domain>"))
check("read-only socket: DOMAIN_DEFINE_XML refused",
      is_error(x, ERR_OPERATION_DENIED), repr(x))
check("read-only socket: reads still work", *get_type_works(ro))
ro.close()
rf = Raw().connect(1)
x = rf.call(PROC["DESTROY"], domain_arg())
check("CONNECT_OPEN read-only flag: DOMAIN_DESTROY refused",
      is_error(x, ERR_OPERATION_DENIED), repr(x))
rf.close()
check("read-only refusals changed nothing", state() == before,
      "%r -> %r" % (before, state()))

# --------------------------------------------- clients going away mid-call
for i in range(20):
    r = Raw().connect()
    r.send(PROC["CREATE_XML"], create_args("gone%d" % i))
    r.close()
others_served("20 clients closed right after a DOMAIN_CREATE_XML call")
r = Raw().connect()
for i in range(30):         # more than max_client_requests in flight
    r.send(PROC["LOOKUP_BY_NAME"], xdr_str(b"test"))
r.close()
others_served("a client closed with 30 calls in flight")
r = Raw().connect()
msg = r.message(PROC["CREATE_XML"], create_args("half"))
r.s.sendall(msg[:len(msg) // 2])
r.close()
others_served("a client closed after half a message")
r = Raw().connect()
r.s.sendall(struct.pack(">I", 200) + b"\0\0")
r.close()
others_served("a client closed inside a message header")
r = Raw()
r.s.sendall(b"\0\0")
r.close()
others_served("a client closed inside a length word")
# leftovers of the calls above: running transient domains, gone with destroy
for d in held.listAllDomains(0):
    if d.name().startswith("gone") or d.name() == "half":
        d.destroy()
check("the interrupted calls left nothing but their own domains",
      state() == before, "%r -> %r" % (before, state()))

# ------------- a client registered for events that never reads, then goes
r = Raw().connect()
x = r.call(PROC["REGISTER_ANY"], struct.pack(">ii", 0, 0))
check("raw event registration", isinstance(x, tuple) and x[0] == "ok", repr(x))
xml = ("<domain type='test'><name>flood</name><uuid>%s</uuid>"
       "<memory>1024</memory><os><type>hvm</type></os></domain>"
       % "77777777-7777-4777-8777-777777777777")
t0 = time.monotonic()
slow = 0
for i in range(1500):       # 3000 events (~ 300 KB) queued for a non-reader
    t1 = time.monotonic()
    held.defineXML(xml).undefine()
    slow = max(slow, time.monotonic() - t1)
check("calls go on while a client does not read its events (%.2f s, slowest %.0f ms)"
      % (time.monotonic() - t0, slow * 1000), slow < 5, "slowest %.1f s" % slow)
r.close()
others_served("a client closed with events queued")

# ------------------------------------------------------------ garbage
GARBAGE = [
    ("an HTTP request", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("length word 0xffffffff", b"\xff\xff\xff\xff" + b"x" * 64),
    ("length word 4 (shorter than a header)", struct.pack(">I", 4) + b"abcd" * 8),
    ("zeros", b"\0" * 64),
    ("random bytes", bytes((i * 97 + 13) % 256 for i in range(512))),
]
for what, data in GARBAGE:
    for opened in (False, True):
        r = Raw()
        if opened:
            r.connect()
        try:
            r.s.sendall(data)
        except OSError:
            pass
        x = r.recv()
        where = "after CONNECT_OPEN" if opened else "first thing"
        check("garbage (%s, %s): connection closed" % (what, where), x == "eof",
              repr(x))
        r.close()
    others_served("after garbage (%s)" % what)

# ------------------------------------------- typed parameters and stats groups
def tparam(field, typ, value):
    body = {1: ">i", 2: ">I", 3: ">q", 4: ">Q", 6: ">i"}.get(typ)
    return xdr_str(field) + struct.pack(">i", typ) + \
        (struct.pack(body, value) if body else value)


def sched_args(params, flags=0):
    return domain_arg() + struct.pack(">I", len(params)) + b"".join(params) + \
        struct.pack(">I", flags)


SET_SCHED_FLAGS, ALL_STATS, GET_MEMORY_PARAMS = 219, 344, 198
r = Raw().connect()
x = r.call(SET_SCHED_FLAGS, sched_args([tparam(b"weight", 1, 5)]))
check("typed parameter of the wrong type: VIR_ERR_INVALID_ARG",
      is_error(x, 8) and "invalid type 'int' for parameter 'weight'" in (x[2][2] or ""), repr(x))
x = r.call(SET_SCHED_FLAGS, sched_args([tparam(b"bogus", 2, 5)]))
check("unknown typed parameter: VIR_ERR_ARGUMENT_UNSUPPORTED", is_error(x, 74), repr(x))
x = r.call(SET_SCHED_FLAGS, sched_args([tparam(b"weight", 2, 5)] * 2))
check("typed parameter given twice: VIR_ERR_INVALID_ARG", is_error(x, 8), repr(x))
x = r.call(SET_SCHED_FLAGS, sched_args([tparam(b"weight", 2, 5)] * 17))
check("17 typed parameters (the maximum is 16): error", is_error(x), repr(x))
x = r.call(GET_MEMORY_PARAMS, domain_arg() + struct.pack(">iI", 17, 0))
check("17 typed parameters asked (the maximum is 16): libvirtd's error",
      is_error(x, 1) and x[2][2] == "internal error: nparams too large", repr(x))
x = r.call(SET_SCHED_FLAGS, sched_args([tparam(b"weight", 99, b"")]))
check("typed parameter of type 99: error", is_error(x), repr(x))
x = r.call(SET_SCHED_FLAGS, sched_args([tparam(b"weight", 2, 5)], flags=1 << 20))
check("unknown flags: VIR_ERR_INVALID_ARG", is_error(x, 8), repr(x))
x = r.call(ALL_STATS, struct.pack(">III", 0, 1 << 20, 1 << 31))
check("unknown stats group, enforced: VIR_ERR_ARGUMENT_UNSUPPORTED", is_error(x, 74), repr(x))
x = r.call(ALL_STATS, struct.pack(">III", 0, 1 << 20, 0))
check("unknown stats group, not enforced: the known ones",
      isinstance(x, tuple) and x[0] == "ok", repr(x))
check("after bad typed parameters the connection keeps working", *get_type_works(r))
r.close()
others_served("after bad typed parameters")

check("nothing changed in the end", state() == before,
      "%r -> %r" % (before, state()))
held.close()
if failures:
    print("FAIL: %d check(s): %s" % (len(failures), "; ".join(failures)))
    sys.exit(1)
print("PASS: bad input answered, the daemon kept serving")
