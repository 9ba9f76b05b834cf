#!/usr/bin/env python3
"""bytecompat.py [--verbose] [--build DIR] LOG...: check protocol/remote_protocol.x
against bytes captured from libvirt 9.0 (trace-proxy.py logs, see trace-all.sh).

The layouts are read from our .x file by a small XDR interpreter (const,
typedef, enum, struct; the declarations our file uses). Two checks:

1. Every captured remote-program message whose procedure the .x names is
   decoded with its type (a CALL with NAME_args, an OK REPLY with NAME_ret,
   a MESSAGE with NAME_msg; none of them: an empty payload), must use up its
   payload exactly, and must encode back to the same bytes.
2. A few payloads are also built from values we know (what the client asked
   for, what libvirt-python returned) and must equal the captured bytes:
   connect_open_args, the domain in a lookup reply, domain_get_info_ret,
   connect_list_all_domains args and ret, node_get_info_ret, and the
   lifecycle events (callback and legacy).
3. With --build DIR (a configured build tree where `make
   libvirtnet_remote_proto.a` has run): the same captured payloads go
   through the C filters rpcgen made from the .x (xdr_<type>), which must
   decode each one exactly and encode it back to the same bytes.
Prints one line per check and "N passed, N failed"; exits 1 on a failure.
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
XFILE = os.path.join(HERE, "..", "..", "protocol", "remote_protocol.x")
REMOTE = 0x20008086

BASIC = {
    "int": ">i", "unsigned int": ">I", "hyper": ">q", "unsigned hyper": ">Q",
    "char": ">i", "unsigned char": ">I", "short": ">i", "unsigned short": ">I",
    "bool": ">i", "unsigned": ">I",
}


class Decl:
    """One declaration: base type, name and shape."""

    def __init__(self, base, name, kind="plain", bound=None):
        self.base, self.name, self.kind, self.bound = base, name, kind, bound


class Xdr:
    """The constants, types and procedures of a .x file."""

    def __init__(self, text):
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
        text = "\n".join(l for l in text.split("\n")
                         if not l.lstrip().startswith("%"))
        self.toks = re.findall(r"[A-Za-z_]\w*|0x[0-9a-fA-F]+|-?\d+|[{}\[\]<>;=,*:()]",
                               text)
        self.pos = 0
        self.consts, self.types, self.enums = {}, {}, {}
        while self.pos < len(self.toks):
            kw = self.next()
            getattr(self, "parse_" + kw)()

    def next(self):
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def peek(self):
        return self.toks[self.pos]

    def expect(self, tok):
        got = self.next()
        if got != tok:
            raise SyntaxError("expected %r, got %r" % (tok, got))

    def value(self, tok):
        if re.match(r"^-?(0x[0-9a-fA-F]+|\d+)$", tok):
            return int(tok, 0)
        return self.consts[tok]

    def parse_const(self):
        name = self.next()
        self.expect("=")
        self.consts[name] = self.value(self.next())
        self.expect(";")

    def parse_enum(self):
        name = self.next()
        self.expect("{")
        members = {}
        while True:
            member = self.next()
            self.expect("=")
            members[member] = self.value(self.next())
            self.consts[member] = members[member]
            if self.next() == "}":
                break
        self.expect(";")
        self.enums[name] = members
        self.types[name] = Decl("int", name)

    def parse_decl(self):
        base = self.next()
        if base == "unsigned" and self.peek() in ("int", "hyper", "char", "short"):
            base += " " + self.next()
        kind, bound = "plain", None
        if self.peek() == "*":
            self.next()
            kind = "optional"
        name = self.next()
        if self.peek() == "[":
            self.next()
            kind, bound = "fixed", self.value(self.next())
            self.expect("]")
        elif self.peek() == "<":
            self.next()
            bound = None if self.peek() == ">" else self.value(self.next())
            self.expect(">")
            kind = "variable"
        return Decl(base, name, kind, bound)

    def parse_typedef(self):
        decl = self.parse_decl()
        self.expect(";")
        self.types[decl.name] = decl

    def parse_struct(self):
        name = self.next()
        self.expect("{")
        fields = []
        while self.peek() != "}":
            fields.append(self.parse_decl())
            self.expect(";")
        self.expect("}")
        self.expect(";")
        self.types[name] = fields

    # -- encoding and decoding values --

    def encode(self, decl, v):
        if decl.kind == "optional":
            if v is None:
                return struct.pack(">I", 0)
            return struct.pack(">I", 1) + self.encode(Decl(decl.base, ""), v)
        if decl.base == "string":
            b = v.encode()
            return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)
        if decl.base == "opaque":
            pad = b"\0" * (-len(v) % 4)
            if decl.kind == "fixed":
                assert len(v) == decl.bound
                return v + pad
            return struct.pack(">I", len(v)) + v + pad
        if decl.kind == "fixed":
            assert len(v) == decl.bound
            return b"".join(self.encode(Decl(decl.base, ""), x) for x in v)
        if decl.kind == "variable":
            return struct.pack(">I", len(v)) + b"".join(
                self.encode(Decl(decl.base, ""), x) for x in v)
        return self.encode_type(decl.base, v)

    def encode_type(self, name, v):
        if name in BASIC:
            return struct.pack(BASIC[name], v)
        t = self.types[name]
        if isinstance(t, list):
            return b"".join(self.encode(f, v[f.name]) for f in t)
        return self.encode(Decl(t.base, "", t.kind, t.bound), v)

    def decode(self, decl, data, off):
        def word(fmt=">I"):
            return struct.unpack(fmt, data[off:off + 4])[0]
        if decl.kind == "optional":
            present = word()
            off += 4
            if not present:
                return None, off
            return self.decode(Decl(decl.base, ""), data, off)
        if decl.base in ("string", "opaque"):
            if decl.kind == "fixed":
                n = decl.bound
            else:
                n = word()
                off += 4
                if decl.bound is not None and n > decl.bound:
                    raise ValueError("%d bytes over the bound %d" % (n, decl.bound))
            raw = data[off:off + n]
            if len(raw) != n:
                raise ValueError("payload too short")
            off += n + (-n % 4)
            return (raw.decode() if decl.base == "string" else raw), off
        if decl.kind in ("fixed", "variable"):
            if decl.kind == "fixed":
                n = decl.bound
            else:
                n = word()
                off += 4
                if decl.bound is not None and n > decl.bound:
                    raise ValueError("%d items over the bound %d" % (n, decl.bound))
            out = []
            for _ in range(n):
                x, off = self.decode(Decl(decl.base, ""), data, off)
                out.append(x)
            return out, off
        return self.decode_type(decl.base, data, off)

    def decode_type(self, name, data, off):
        if name in BASIC:
            size = struct.calcsize(BASIC[name])
            if off + size > len(data):
                raise ValueError("payload too short")
            return struct.unpack(BASIC[name], data[off:off + size])[0], off + size
        t = self.types[name]
        if isinstance(t, list):
            out = {}
            for f in t:
                out[f.name], off = self.decode(f, data, off)
            return out, off
        return self.decode(Decl(t.base, "", t.kind, t.bound), data, off)

    def procedures(self):
        return {v: k[len("REMOTE_PROC_"):] for k, v in
                self.enums["remote_procedure"].items()}


def payload_type(xdr, suffix, rec):
    base = "remote_" + suffix.lower()
    if rec["type"] == 0:
        kind = "_args"
    elif rec["type"] == 1:
        kind = "_ret"
    else:
        kind = "_msg"
    return base + kind if base + kind in xdr.types else None


def words(text):
    """A C string as a char array on the wire: one int per char, NUL included."""
    return [ord(c) for c in text] + [0]


C_CHECK = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "remote_protocol.h"

struct entry { const char *name; xdrproc_t filter; size_t size; };
static const struct entry types[] = {
%s
};

/* stdin: lines "TYPE HEX"; stdout: one line "ok"/"FAIL" per input line */
int main(void)
{
    char line[1 << 20];
    while (fgets(line, sizeof(line), stdin)) {
        char *name = strtok(line, " \n"), *hex = strtok(NULL, " \n");
        size_t n = hex ? strlen(hex) / 2 : 0, i;
        unsigned char *in = calloc(n + 1, 1), *out = calloc(n + 64, 1);
        const struct entry *e = NULL;
        void *obj;
        XDR x;
        int ok = 0;
        for (i = 0; i < n; i++)
            sscanf(hex + 2 * i, "%%2hhx", &in[i]);
        for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (strcmp(types[i].name, name) == 0)
                e = &types[i];
        obj = calloc(1, e->size);
        xdrmem_create(&x, (char *)in, n, XDR_DECODE);
        if (e->filter(&x, obj, 0) && xdr_getpos(&x) == n) {
            XDR y;
            xdrmem_create(&y, (char *)out, n + 64, XDR_ENCODE);
            ok = e->filter(&y, obj, 0) && xdr_getpos(&y) == n &&
                 memcmp(in, out, n) == 0;
            xdr_destroy(&y);
        }
        xdr_destroy(&x);
        xdr_free(e->filter, obj);
        printf("%%s %%s\n", ok ? "ok" : "FAIL", name);
        free(obj); free(in); free(out);
    }
    return 0;
}
"""


def c_check(build, samples):
    """Run (type, payload) samples through rpcgen's C filters."""
    names = sorted({t for t, _ in samples})
    table = "\n".join('    { "%s", (xdrproc_t)xdr_%s, sizeof(%s) },' % (n, n, n)
                      for n in names)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "check.c")
        exe = os.path.join(tmp, "check")
        with open(src, "w") as f:
            f.write(C_CHECK % table)
        subprocess.run(["cc", "-Wall", "-o", exe, src, "-I/usr/include/tirpc",
                        "-I" + os.path.join(build, "protocol"),
                        os.path.join(build, "libvirtnet_remote_proto.a"),
                        "-ltirpc"], check=True)
        out = subprocess.run([exe], check=True, capture_output=True, text=True,
                             input="".join("%s %s\n" % (t, p.hex())
                                           for t, p in samples)).stdout
    return out.split("\n")[:len(samples)]


def main():
    argv = sys.argv[1:]
    build = None
    if "--build" in argv:
        i = argv.index("--build")
        build = argv[i + 1]
        del argv[i:i + 2]
    args = [a for a in argv if a != "--verbose"]
    verbose = "--verbose" in argv
    xdr = Xdr(open(XFILE).read())
    procs = xdr.procedures()
    passed = failed = 0
    seen = {}
    samples = {}
    records = []
    for path in args:
        for line in open(path):
            if line.startswith("{"):
                rec = json.loads(line)
                if "prog" in rec:
                    records.append(rec)

    def result(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
        print("%s  %s" % ("ok  " if ok else "FAIL", what))

    # 1. every captured message decodes exactly and encodes back
    for rec in records:
        if rec["prog"] != REMOTE or rec["proc"] not in procs:
            continue
        if rec["type"] == 1 and rec["status"] != 0:
            continue                      # error replies: virnet_protocol.x
        suffix = procs[rec["proc"]]
        tname = payload_type(xdr, suffix, rec)
        data = bytes.fromhex(rec["payload"])
        key = (rec["proc"], rec["type"])
        label = "%s %s (%s)" % ({0: "CALL", 1: "REPLY", 2: "MESSAGE"}[rec["type"]],
                                suffix, tname or "void")
        try:
            if tname is None:
                ok = data == b""
            else:
                samples.setdefault((tname, data), None)
                value, end = xdr.decode_type(tname, data, 0)
                ok = end == len(data) and xdr.encode_type(tname, value) == data
        except (ValueError, struct.error) as e:
            ok, value = False, str(e)
        seen.setdefault(key, [0, 0, label])
        seen[key][0 if ok else 1] += 1
        if verbose or not ok:
            print("    %s %s: %s" % ("ok" if ok else "FAIL", label,
                                     value if tname else "(empty)"))
    for key in sorted(seen):
        good, bad, label = seen[key]
        result(bad == 0, "%-75s %d captured, %d decoded exactly" %
               (label, good + bad, good))

    # 2. payloads built from known values
    def find(proc, mtype, pred=lambda d: True):
        for rec in records:
            if (rec["prog"] == REMOTE and rec["proc"] == proc
                    and rec["type"] == mtype and rec["status"] == 0):
                data = bytes.fromhex(rec["payload"])
                if pred(data):
                    return data
        return None

    def check(what, tname, value, data):
        if data is None:
            result(False, "%s: nothing captured" % what)
            return
        mine = xdr.encode_type(tname, value)
        result(mine == data, "%s: %d bytes built from known values %s the capture"
               % (what, len(mine), "equal" if mine == data else "DIFFER from"))
        if mine != data:
            print("      ours:    " + mine.hex())
            print("      libvirt: " + data.hex())

    test_uuid = bytes.fromhex("6695eb01f6a4830479aa97f2502e193f")
    test_dom = {"name": "test", "uuid": test_uuid, "id": 1}
    py1 = {"name": "py1",
           "uuid": bytes.fromhex("33333333222233334444555555555555"), "id": -1}

    check("connect_open_args (read-write)", "remote_connect_open_args",
          {"uri": "test:///default", "flags": 0},
          find(1, 0, lambda d: d.endswith(b"\0\0\0\0")))
    check("connect_open_args (read-only)", "remote_connect_open_args",
          {"uri": "test:///default", "flags": 1},
          find(1, 0, lambda d: d.endswith(b"\0\0\0\1")))
    check("domain_lookup_by_name_ret ('test')", "remote_domain_lookup_by_name_ret",
          {"dom": test_dom}, find(23, 1, lambda d: d[4:8] == b"test"))
    check("domain_lookup_by_id_args (1)", "remote_domain_lookup_by_id_args",
          {"id": 1}, find(22, 0))
    check("domain_lookup_by_uuid_args", "remote_domain_lookup_by_uuid_args",
          {"uuid": test_uuid}, find(24, 0, lambda d: d == test_uuid))
    # libvirt-python's info() of 'test' said [1, 8388608, 2097152, 2, cpu_time];
    # the cpu time is the host's clock, so take it from the capture
    info = find(16, 1, lambda d: d[4:20] == struct.pack(">QQ", 8388608, 2097152))
    cpu_time = struct.unpack(">Q", info[-8:])[0] if info else 0
    check("domain_get_info_ret ('test')", "remote_domain_get_info_ret",
          {"state": 1, "max_mem": 8388608, "memory": 2097152, "nr_virt_cpu": 2,
           "cpu_time": cpu_time}, info)
    check("connect_list_all_domains_args (virsh list --all)",
          "remote_connect_list_all_domains_args",
          {"need_results": 1, "flags": 3},
          find(273, 0, lambda d: d == struct.pack(">iI", 1, 3)))
    check("connect_list_all_domains_ret ([test])",
          "remote_connect_list_all_domains_ret",
          {"domains": [test_dom], "count": 1},
          find(273, 1, lambda d: d[:4] == b"\0\0\0\1" and d[8:12] == b"test"))
    # virsh nodeinfo said: i686, 16 CPUs, 1400 MHz, 2 NUMA cells, 2 sockets,
    # 2 cores, 2 threads, 3145728 KiB
    check("node_get_info_ret", "remote_node_get_info_ret",
          {"model": words("i686") + [0] * 27, "memory": 3145728, "cpus": 16,
           "mhz": 1400, "nodes": 2, "sockets": 2, "cores": 2, "threads": 2},
          find(6, 1))
    check("node_get_security_model_ret", "remote_node_get_security_model_ret",
          {"model": words("testSecurity"), "doi": words("")}, find(122, 1))
    check("domain_get_security_label_ret", "remote_domain_get_security_label_ret",
          {"label": words("libvirt-test"), "enforcing": 1}, find(121, 1))
    check("auth_list_ret ([none])", "remote_auth_list_ret", {"types": [0]},
          find(66, 1))
    check("connect_domain_event_callback_register_any_args (lifecycle, py1)",
          "remote_connect_domain_event_callback_register_any_args",
          {"event_id": 0, "dom": py1},
          find(316, 0, lambda d: len(d) > 8))
    # python: callback 0 was the first registration (lifecycle, all domains),
    # define of py1 gave (0 = defined, 0 = added)
    check("domain_event_callback_lifecycle_msg (py1 defined/added)",
          "remote_domain_event_callback_lifecycle_msg",
          {"callback_id": 0, "msg": {"dom": py1, "event": 0, "detail": 0}},
          find(318, 2, lambda d: d[4:12] == b"\0\0\0\3py1\0"))
    check("domain_event_lifecycle_msg (legacy; py1 defined/added)",
          "remote_domain_event_lifecycle_msg",
          {"dom": py1, "event": 0, "detail": 0},
          find(107, 2, lambda d: d[:8] == b"\0\0\0\3py1\0"))
    # 3. the same payloads through rpcgen's C filters
    if build:
        counts = {}
        for (tname, _), line in zip(samples, c_check(build, list(samples))):
            counts.setdefault(tname, [0, 0])[0 if line.startswith("ok") else 1] += 1
        for tname in sorted(counts):
            good, bad = counts[tname]
            result(bad == 0, "C xdr_%-60s %d distinct payloads, %d decoded and "
                   "encoded back exactly" % (tname, good + bad, good))

    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
