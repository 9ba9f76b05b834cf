#!/usr/bin/python3
"""saslcommon.py: shared by the SASL daemon tests (tests/sasl/*.py).

- the environment: a SASL user database made with saslpasswd2 (-a libvirt),
  a libvirt.conf for SASL_CONF_PATH (mech_list: digest-md5 scram-sha-256,
  sasldb_path: the database), TLS certificates from tests/tls/mkcerts.sh;
- virtnetd started with a configuration and SASL_CONF_PATH in its
  environment, its TCP / TLS ports read from its start-up lines;
- the checks that run against virtnetd and libvirtd alike: libvirt-python's
  openAuth with right and wrong credentials, users on and off the allowed
  list, mechanisms asked for with ?auth=sasl.MECH, the read-only UNIX
  socket, our own client (tests/sasl-client) and the raw wire before
  authentication. "python3 saslcommon.py checks ARGS" runs them and prints
  the results as JSON, so that the differential test can run them inside
  libvirtd's network namespace.

Users: alice and bob (allowed: sasl_allowed_username_list = ["alice", "b*"])
and carol (not allowed); dave does not exist.
"""
import glob
import json
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time

PY = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("VIRTNET_TEST_SRCDIR") or os.path.dirname(os.path.dirname(HERE))
BUILDDIR = os.environ.get("VIRTNET_TEST_BUILDDIR") or os.getcwd()
VIRTNETD = os.environ.get("VIRTNETD") or os.path.join(BUILDDIR, "daemon", "virtnetd")
HELPER = os.path.join(BUILDDIR, "tests", "sasl-client")

USERS = {"alice": "alice-pw", "bob": "bob-pw", "carol": "carol-pw"}
ALLOWED = ["alice", "b*"]
MECHS = "digest-md5 scram-sha-256"

REMOTE_PROGRAM = 0x20008086
PROC_CONNECT_OPEN = 1
PROC_CONNECT_GET_TYPE = 3
PROC_CONNECT_SUPPORTS_FEATURE = 60
PROC_AUTH_LIST = 66
PROC_AUTH_SASL_INIT = 67
PROC_AUTH_SASL_START = 68
PROC_AUTH_SASL_STEP = 69


def asan_options():
    """For our programs in a --enable-sanitizers build: the exact unwinder,
    so that their LeakSanitizer suppressions (leaks inside libsasl2 and its
    plugins, whose stacks end in libcrypto) match. Ignored otherwise."""
    opts = os.environ.get("ASAN_OPTIONS", "")
    return (opts + ":" if opts else "") + "fast_unwind_on_malloc=0"


SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                   "runtime error:")


def sanitizer_report(text):
    """The first line of a sanitizer report in text, or ''."""
    for line in text.splitlines():
        if any(m in line for m in SANITIZER_MARKS):
            return line
    return ""


def skip(msg):
    print("SKIP: " + msg)
    sys.exit(77)


class Results:
    """ok / fail lines and a final verdict (exit status)."""

    def __init__(self):
        self.passes = 0
        self.fails = 0

    def check(self, name, cond, *detail):
        if cond:
            print("ok   " + name)
            self.passes += 1
        else:
            print("FAIL " + name)
            for d in detail:
                for line in str(d).splitlines():
                    print("     " + line)
            self.fails += 1
        sys.stdout.flush()
        return cond

    def skipped(self, name, why):
        print("skip %s: %s" % (name, why))

    def finish(self):
        print("%d passed, %d failed" % (self.passes, self.fails))
        sys.exit(1 if self.fails else 0)


def saslpasswd2():
    return shutil.which("saslpasswd2") or shutil.which("saslpasswd2", path="/usr/sbin:/sbin")


def find_plugin(name):
    pats = ["/usr/lib/*/sasl2/lib%s.so*", "/usr/lib/sasl2/lib%s.so*",
            "/usr/lib64/sasl2/lib%s.so*", "/usr/local/lib/sasl2/lib%s.so*"]
    for p in pats:
        if glob.glob(p % name):
            return True
    return False


def need_basics():
    """Skip (77) with the reason when something the tests need is missing."""
    if not saslpasswd2():
        skip("saslpasswd2 is not installed (package sasl2-bin)")
    for plugin, pkg in (("digestmd5", "DIGEST-MD5"), ("scram", "SCRAM"),
                        ("sasldb", "sasldb")):
        if not find_plugin(plugin):
            skip("the SASL %s plugin is not installed (package libsasl2-modules)" % pkg)
    try:
        import libvirt  # noqa: F401
    except ImportError:
        skip("python3-libvirt is not installed (%s cannot import libvirt)" % PY)
    if not os.access(VIRTNETD, os.X_OK):
        print("FAIL: no %s: build daemon/virtnetd first" % VIRTNETD)
        sys.exit(1)
    if not os.access(HELPER, os.X_OK):
        print("FAIL: no %s: build it first (make tests/sasl-client)" % HELPER)
        sys.exit(1)


class SaslEnv:
    """A temporary directory with the user database, libvirt.conf and
    (when certtool exists) TLS certificates."""

    def __init__(self, tag):
        # under /tmp: UNIX socket paths must be short
        self.dir = tempfile.mkdtemp(prefix="virtnet-%s-" % tag, dir="/tmp")
        self.db = os.path.join(self.dir, "passwd.db")
        self.confdir = os.path.join(self.dir, "sasl")
        os.makedirs(self.confdir)
        for user, pw in USERS.items():
            r = subprocess.run([saslpasswd2(), "-f", self.db, "-a", "libvirt", "-c", "-p", user],
                               input=pw + "\n", capture_output=True, text=True)
            if r.returncode != 0:
                print("FAIL: saslpasswd2 %s: %s" % (user, r.stderr))
                sys.exit(1)
        with open(os.path.join(self.confdir, "libvirt.conf"), "w") as f:
            f.write("mech_list: %s\nsasldb_path: %s\n" % (MECHS, self.db))
        self.pki = None
        if shutil.which("certtool"):
            pki = os.path.join(self.dir, "pki")
            r = subprocess.run(["sh", os.path.join(SRCDIR, "tests", "tls", "mkcerts.sh"), pki],
                               capture_output=True, text=True)
            if r.returncode == 0:
                self.pki = pki
            else:
                print("mkcerts.sh failed: %s" % r.stderr)
        self.env = dict(os.environ, SASL_CONF_PATH=self.confdir)
        self.env["ASAN_OPTIONS"] = asan_options()
        self.procs = []

    def auth_file(self, user, pw, host="127.0.0.1"):
        """libvirt's auth.conf (docs/auth.rst) for virsh: credentials for
        the service libvirt on host."""
        path = os.path.join(self.dir, "auth-%s-%s.conf" % (user, pw))
        with open(path, "w") as f:
            f.write("[credentials-t]\nauthname=%s\npassword=%s\n\n"
                    "[auth-libvirt-%s]\ncredentials=t\n" % (user, pw, host))
        return path

    def cleanup(self):
        for p in self.procs:
            p.stop()
        if os.environ.get("VIRTNET_TEST_KEEP"):
            print("kept %s" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def server_conf(env, rundir, extra="", tcp_port="0", tls_port="0"):
    """virtnetd.conf / libvirtd.conf text shared by both daemons (port "0":
    virtnetd picks a free one and prints it)."""
    lines = [
        'unix_sock_dir = "%s"' % rundir,
        'auth_unix_ro = "sasl"',
        'listen_tcp = 1',
        'tcp_port = "%s"' % tcp_port,
        'listen_addr = "127.0.0.1"',
        'auth_tcp = "sasl"',
        'sasl_allowed_username_list = [%s]' % ", ".join('"%s"' % u for u in ALLOWED),
    ]
    if env.pki:
        s = os.path.join(env.pki, "server")
        lines += [
            'listen_tls = 1',
            'tls_port = "%s"' % tls_port,
            'auth_tls = "sasl"',
            'key_file = "%s/serverkey.pem"' % s,
            'cert_file = "%s/servercert.pem"' % s,
            'ca_file = "%s/cacert.pem"' % s,
            'crl_file = "%s/crl.pem"' % s,
        ]
    return "\n".join(lines) + "\n" + extra


class Virtnetd:
    """virtnetd -f CONF -l with SASL_CONF_PATH; ports from its output."""

    def __init__(self, env, name, conf):
        self.dir = os.path.join(env.dir, name)
        self.rundir = os.path.join(self.dir, "run")
        os.makedirs(self.rundir)
        self.conf = os.path.join(self.dir, "virtnetd.conf")
        with open(self.conf, "w") as f:
            f.write(conf.replace("@RUNDIR@", self.rundir))
        self.out = os.path.join(self.dir, "out")
        self.err = os.path.join(self.dir, "err")
        self.proc = subprocess.Popen([VIRTNETD, "-f", self.conf, "-l"], env=env.env,
                                     stdout=open(self.out, "w"), stderr=open(self.err, "w"))
        env.procs.append(self)
        self.tcp_port = self.tls_port = None
        for _ in range(200):
            text = open(self.out).read()
            if "virtnetd: ready" in text:
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        text = open(self.out).read()
        if "virtnetd: ready" not in text:
            print("FAIL: virtnetd did not start")
            print(text + open(self.err).read())
            sys.exit(1)
        for line in text.splitlines():
            w = line.split()
            if line.startswith("virtnetd: listening on tcp "):
                self.tcp_port = int(w[w.index("port") + 1])
            elif line.startswith("virtnetd: listening on tls "):
                self.tls_port = int(w[w.index("port") + 1])
        self.sock_ro = os.path.join(self.rundir, "libvirt-sock-ro")

    def alive(self):
        return self.proc.poll() is None

    def log(self):
        return open(self.err).read()

    def stop(self):
        """Stop it (SIGTERM: a clean shutdown); '' when it exited with
        status 0 and no sanitizer report, else what went wrong."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return "virtnetd did not exit on SIGTERM"
        rep = sanitizer_report(self.log())
        if rep:
            return "sanitizer: " + rep
        if self.proc.returncode != 0:
            return "virtnetd exited with status %d" % self.proc.returncode
        return ""


# ---- libvirt-python ---------------------------------------------------------

def open_auth(uri, user, pw, action=None):
    """libvirt.openAuth with [AUTHNAME, PASSPHRASE]; returns a result dict.
    action(conn) may add fields."""
    import libvirt
    libvirt.registerErrorHandler(lambda *a: None, None)
    asked = []

    def cb(creds, data):
        for c in creds:
            asked.append(c[0])
            if c[0] == libvirt.VIR_CRED_AUTHNAME:
                c[4] = user
            elif c[0] == libvirt.VIR_CRED_PASSPHRASE:
                c[4] = pw
        return 0

    try:
        conn = libvirt.openAuth(uri, [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE],
                                      cb, None], 0)
    except libvirt.libvirtError as e:
        return {"ok": False, "code": e.get_error_code(), "domain": e.get_error_domain(),
                "message": e.get_error_message()}
    try:
        res = {"ok": True, "domains": sorted(d.name() for d in conn.listAllDomains()),
               "encrypted": conn.isEncrypted()}
        if action:
            res.update(action(conn))
        return res
    except libvirt.libvirtError as e:
        return {"ok": False, "after_open": True, "code": e.get_error_code(),
                "domain": e.get_error_domain(), "message": e.get_error_message()}
    finally:
        conn.close()


def define_denied(conn):
    """A write on a read-only connection: its error."""
    import libvirt
    try:
        conn.defineXML("<domain type='test'><name>ro-denied</name><memory>1024</memory>"
                       "<os><type>hvm</type></os></domain>")
        return {"define": "succeeded"}
    except libvirt.libvirtError as e:
        return {"define": [e.get_error_code(), e.get_error_domain()]}


def run_helper(uri, user, pw, big=0):
    args = [HELPER, uri, user, pw] + (["--big", str(big)] if big else [])
    env = dict(os.environ, ASAN_OPTIONS=asan_options())
    try:
        r = subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        return {"ok": False, "message": "timeout"}
    rep = sanitizer_report(r.stderr)
    if rep or r.returncode not in (0, 1):
        return {"ok": False, "message": "exit status %d: %s" % (r.returncode, rep or r.stderr)}
    line = (r.stdout.strip().splitlines() or [""])[-1]
    if line.startswith("OK "):
        kv = dict(x.split("=", 1) for x in line[3:].split())
        return {"ok": True, "domains": sorted(filter(None, kv["domains"].split(","))),
                "encrypted": int(kv["encrypted"])}
    w = line.split(" ", 3)
    if len(w) >= 3 and w[0] == "ERR":
        return {"ok": False, "code": int(w[1]), "domain": int(w[2]),
                "message": w[3] if len(w) > 3 else ""}
    return {"ok": False, "message": "unexpected output: %r %r" % (r.stdout, r.stderr)}


def run_virsh(uri, authfile):
    env = dict(os.environ, LIBVIRT_AUTH_FILE=authfile)
    try:
        r = subprocess.run(["virsh", "-q", "-c", uri, "list", "--all", "--name"], env=env,
                           stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=60)
    except subprocess.TimeoutExpired:
        return {"ok": False, "message": "timeout"}
    if r.returncode == 0:
        return {"ok": True, "domains": sorted(filter(None, r.stdout.split()))}
    errs = [l for l in r.stderr.splitlines() if l.startswith("error:")]
    return {"ok": False, "message": errs[-1] if errs else r.stderr.strip()}


# ---- the raw wire -------------------------------------------------------------

def xdr_str(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)


def xdr_chars(b):
    """char data<N>: libvirt's SASL tokens are an XDR array of char, one
    4-byte word per byte (not opaque)."""
    return struct.pack(">I", len(b)) + b"".join(struct.pack(">i", x) for x in b)


class XdrReader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def int(self):
        v = struct.unpack_from(">i", self.data, self.pos)[0]
        self.pos += 4
        return v

    def opaque(self):
        n = struct.unpack_from(">I", self.data, self.pos)[0]
        self.pos += 4
        v = self.data[self.pos:self.pos + n]
        self.pos += n + (4 - n % 4) % 4
        return v

    def chars(self):
        n = struct.unpack_from(">I", self.data, self.pos)[0]
        self.pos += 4
        v = bytes(x & 0xff for x in struct.unpack_from(">%di" % n, self.data, self.pos))
        self.pos += 4 * n
        return v

    def string(self):
        return self.opaque().decode()

    def opt_string(self):
        return self.string() if self.int() else None


class RawConn:
    """One connection speaking the remote program by hand."""

    def __init__(self, port, host="127.0.0.1", pki=None, unix=None, timeout=10):
        if unix:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(timeout)
            s.connect(unix)
        else:
            s = socket.create_connection((host, port), timeout=timeout)
        if pki:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.load_verify_locations(os.path.join(pki, "cacert.pem"))
            ctx.load_cert_chain(os.path.join(pki, "clientcert.pem"),
                                os.path.join(pki, "clientkey.pem"))
            s = ctx.wrap_socket(s, server_hostname=host)
            if s.recv(1) != b"\1":
                raise RuntimeError("no TLS confirmation byte")
        self.sock = s
        self.serial = 0

    def send(self, proc, payload=b""):
        body = struct.pack(">IIiiIi", REMOTE_PROGRAM, 1, proc, 0, self.serial, 0) + payload
        self.serial += 1
        self.sock.sendall(struct.pack(">I", len(body) + 4) + body)

    def _recvn(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("connection closed")
            buf += chunk
        return buf

    def recv(self, timeout=None):
        """(status, reader) of the next reply; status 0 ok, 1 error."""
        if timeout is not None:
            self.sock.settimeout(timeout)
        n = struct.unpack(">I", self._recvn(4))[0]
        body = self._recvn(n - 4)
        prog, vers, proc, typ, serial, status = struct.unpack_from(">IIiiIi", body)
        return status, XdrReader(body[24:])

    def call(self, proc, payload=b""):
        """ok: {"ok": True, "r": reader}; error: code, domain, message."""
        self.send(proc, payload)
        status, r = self.recv()
        if status == 0:
            return {"ok": True, "r": r}
        code, domain = r.int(), r.int()
        return {"ok": False, "code": code, "domain": domain, "message": r.opt_string()}

    def close(self):
        self.sock.close()


def _err(res):
    return {k: res[k] for k in ("ok", "code", "domain", "message") if k in res}


def raw_checks(tcp_port, tls_port=None, pki=None):
    out = []
    c = RawConn(tcp_port)
    out.append(["raw tcp: CONNECT_OPEN before auth",
                _err(c.call(PROC_CONNECT_OPEN, struct.pack(">i", 1) + xdr_str("test:///default")
                            + struct.pack(">i", 0)))])
    out.append(["raw tcp: SUPPORTS_FEATURE(10) before auth",
                _err(c.call(PROC_CONNECT_SUPPORTS_FEATURE, struct.pack(">i", 10)))])
    r = c.call(PROC_AUTH_LIST)
    types = []
    if r["ok"]:
        types = [r["r"].int() for _ in range(r["r"].int())]
    out.append(["raw tcp: AUTH_LIST", {"ok": r["ok"], "types": types}])
    out.append(["raw tcp: SASL START before INIT",
                _err(c.call(PROC_AUTH_SASL_START, xdr_str("DIGEST-MD5") + struct.pack(">i", 1)
                            + xdr_chars(b"")))])
    r = c.call(PROC_AUTH_SASL_INIT)
    out.append(["raw tcp: SASL INIT", {"ok": r["ok"],
                                       "mechlist": r["r"].string() if r["ok"] else None}])
    out.append(["raw tcp: a second SASL INIT", _err(c.call(PROC_AUTH_SASL_INIT))])
    r = c.call(PROC_AUTH_SASL_START, xdr_str("DIGEST-MD5") + struct.pack(">i", 1) + xdr_chars(b""))
    res = {"ok": r["ok"]}
    if r["ok"]:
        res["complete"] = r["r"].int()
        res["nil"] = r["r"].int()
        res["challenge"] = b"nonce=" in r["r"].chars()
    else:
        res = _err(r)
    out.append(["raw tcp: SASL START after the second INIT (session kept)", res])
    out.append(["raw tcp: SASL STEP with garbage",
                _err(c.call(PROC_AUTH_SASL_STEP, struct.pack(">i", 0)
                            + xdr_chars(b"garbage, not a digest response")))])
    out.append(["raw tcp: SASL STEP after the failure (session dropped)",
                _err(c.call(PROC_AUTH_SASL_STEP, struct.pack(">i", 1) + xdr_chars(b"")))])
    out.append(["raw tcp: CONNECT_GET_TYPE still refused", _err(c.call(PROC_CONNECT_GET_TYPE))])
    r = c.call(PROC_AUTH_SASL_INIT)
    out.append(["raw tcp: SASL INIT again", {"ok": r["ok"]}])
    r = c.call(PROC_AUTH_SASL_START, xdr_str("BOGUS-MECH") + struct.pack(">i", 1) + xdr_chars(b""))
    out.append(["raw tcp: SASL START with an unknown mechanism", _err(r)])
    r = c.call(PROC_AUTH_LIST)
    out.append(["raw tcp: the connection goes on", {"ok": r["ok"]}])
    c.close()

    c = RawConn(tcp_port)
    c.call(PROC_AUTH_SASL_INIT)
    out.append(["raw tcp: SCRAM-SHA-256 on plain TCP (no SSF)",
                _err(c.call(PROC_AUTH_SASL_START, xdr_str("SCRAM-SHA-256") + struct.pack(">i", 1)
                            + xdr_chars(b"")))])
    c.close()

    if tls_port and pki:
        c = RawConn(tls_port, pki=os.path.join(pki, "good"))
        r = c.call(PROC_AUTH_LIST)
        out.append(["raw tls: AUTH_LIST",
                    {"ok": r["ok"], "types": [r["r"].int() for _ in range(r["r"].int())]
                     if r["ok"] else []}])
        r = c.call(PROC_AUTH_SASL_INIT)
        out.append(["raw tls: SASL INIT", {"ok": r["ok"],
                                           "mechlist": r["r"].string() if r["ok"] else None}])
        r = c.call(PROC_AUTH_SASL_START, xdr_str("SCRAM-SHA-256") + struct.pack(">i", 1)
                   + xdr_chars(b""))
        out.append(["raw tls: SASL START SCRAM-SHA-256 without data",
                    {"ok": r["ok"], "complete": r["r"].int() if r["ok"] else None}
                    if r["ok"] else _err(r)])
        c.close()
    return out


# ---- the checks both daemons get --------------------------------------------------

def checks(tcp_port, tls_port, pki, sock_ro, authdir, virsh=True, raw=True):
    """Ordered [name, result] pairs."""
    tcp = "test+tcp://127.0.0.1:%d/default" % tcp_port
    out = []
    for name, user, pw, q in (
            ("alice, right password", "alice", "alice-pw", ""),
            ("alice, wrong password", "alice", "wrong", ""),
            ("carol, not on the allowed list", "carol", "carol-pw", ""),
            ("bob, allowed by the wildcard b*", "bob", "bob-pw", ""),
            ("dave, unknown user", "dave", "dave-pw", ""),
            ("alice, auth=sasl.DIGEST-MD5", "alice", "alice-pw", "?auth=sasl.DIGEST-MD5"),
            ("alice, auth=sasl.SCRAM-SHA-256 (not offered on TCP)", "alice", "alice-pw",
             "?auth=sasl.SCRAM-SHA-256")):
        out.append(["python tcp: " + name, open_auth(tcp + q, user, pw)])
    for name, user, pw in (("alice", "alice", "alice-pw"), ("alice, wrong password", "alice", "x"),
                           ("carol, not on the list", "carol", "carol-pw")):
        out.append(["our client tcp: " + name, run_helper(tcp, user, pw)])
    if tls_port and pki:
        tls = "test+tls://127.0.0.1:%d/default?pkipath=%s" % (tls_port, os.path.join(pki, "good"))
        for name, user, pw, q in (
                ("alice, SCRAM-SHA-256", "alice", "alice-pw", "&auth=sasl.SCRAM-SHA-256"),
                ("alice, SCRAM-SHA-256, wrong password", "alice", "x", "&auth=sasl.SCRAM-SHA-256"),
                ("carol, SCRAM-SHA-256, not on the list", "carol", "carol-pw",
                 "&auth=sasl.SCRAM-SHA-256"),
                ("bob, DIGEST-MD5 over TLS", "bob", "bob-pw", "&auth=sasl.DIGEST-MD5")):
            out.append(["python tls: " + name, open_auth(tls + q, user, pw)])
        out.append(["our client tls: alice, SCRAM-SHA-256",
                    run_helper(tls + "&auth=sasl.SCRAM-SHA-256", "alice", "alice-pw")])
        out.append(["our client tls: alice, SCRAM-SHA-256, wrong password",
                    run_helper(tls + "&auth=sasl.SCRAM-SHA-256", "alice", "x")])
    if sock_ro:
        ro = "test+unix:///default?socket=%s" % sock_ro
        out.append(["python unix ro: alice", open_auth(ro, "alice", "alice-pw", define_denied)])
        out.append(["python unix ro: alice, SCRAM-SHA-256",
                    open_auth(ro + "&auth=sasl.SCRAM-SHA-256", "alice", "alice-pw")])
        out.append(["python unix ro: carol", open_auth(ro, "carol", "carol-pw")])
        out.append(["our client unix ro: bob", run_helper(ro, "bob", "bob-pw")])
    if virsh and shutil.which("virsh"):
        for name, user, pw in (("alice", "alice", "alice-pw"), ("alice, wrong password", "alice", "x"),
                               ("carol, not on the list", "carol", "carol-pw")):
            path = os.path.join(authdir, "auth-%s-%s.conf" % (user, pw))
            with open(path, "w") as f:
                f.write("[credentials-t]\nauthname=%s\npassword=%s\n\n"
                        "[auth-libvirt-127.0.0.1]\ncredentials=t\n" % (user, pw))
            out.append(["virsh tcp (auth file): " + name, run_virsh(tcp, path)])
    if raw:
        out += raw_checks(tcp_port, tls_port, pki)
    return out


AUTH_FAILED = {"ok": False, "code": 45, "domain": 7,
               "message": "authentication failed: authentication failed"}
AUTH_REQUIRED = {"ok": False, "code": 39, "domain": 7, "message": "authentication required"}
OK_TEST = {"ok": True, "domains": ["test"]}

# What libvirtd 9.0 answers (the differential test checks that virtnetd's
# answers equal libvirtd's; these are the facts it found, for the tests
# that run without libvirtd). A value that is a function is a predicate.
EXPECT = {
    "python tcp: alice, right password": dict(OK_TEST, encrypted=1),
    "python tcp: alice, wrong password": AUTH_FAILED,
    "python tcp: carol, not on the allowed list": AUTH_FAILED,
    "python tcp: bob, allowed by the wildcard b*": dict(OK_TEST, encrypted=1),
    "python tcp: dave, unknown user": AUTH_FAILED,
    "python tcp: alice, auth=sasl.DIGEST-MD5": dict(OK_TEST, encrypted=1),
    # refused by the client: the server offers only DIGEST-MD5 on plain TCP
    "python tcp: alice, auth=sasl.SCRAM-SHA-256 (not offered on TCP)":
        {"ok": False, "code": 45,
         "message": "authentication failed: SASL mechanism SCRAM-SHA-256 not supported by server"},
    "our client tcp: alice": dict(OK_TEST, encrypted=1),
    "our client tcp: alice, wrong password": AUTH_FAILED,
    "our client tcp: carol, not on the list": AUTH_FAILED,
    "python tls: alice, SCRAM-SHA-256": dict(OK_TEST, encrypted=1),
    "python tls: alice, SCRAM-SHA-256, wrong password": AUTH_FAILED,
    "python tls: carol, SCRAM-SHA-256, not on the list": AUTH_FAILED,
    "python tls: bob, DIGEST-MD5 over TLS": dict(OK_TEST, encrypted=1),
    "our client tls: alice, SCRAM-SHA-256": dict(OK_TEST, encrypted=1),
    "our client tls: alice, SCRAM-SHA-256, wrong password": AUTH_FAILED,
    "python unix ro: alice": dict(OK_TEST, define=lambda v: v != "succeeded"),
    "python unix ro: alice, SCRAM-SHA-256": OK_TEST,
    "python unix ro: carol": AUTH_FAILED,
    "our client unix ro: bob": dict(OK_TEST, encrypted=0),
    "virsh tcp (auth file): alice": OK_TEST,
    "virsh tcp (auth file): alice, wrong password":
        {"ok": False, "message": lambda m: "authentication failed" in m},
    "virsh tcp (auth file): carol, not on the list":
        {"ok": False, "message": lambda m: "authentication failed" in m},
    "raw tcp: CONNECT_OPEN before auth": AUTH_REQUIRED,
    "raw tcp: SUPPORTS_FEATURE(10) before auth": AUTH_REQUIRED,
    "raw tcp: AUTH_LIST": {"ok": True, "types": [1]},
    "raw tcp: SASL START before INIT": AUTH_FAILED,
    "raw tcp: SASL INIT": {"ok": True, "mechlist": "DIGEST-MD5"},
    "raw tcp: a second SASL INIT": AUTH_FAILED,
    "raw tcp: SASL START after the second INIT (session kept)":
        {"ok": True, "complete": 0, "nil": 0, "challenge": True},
    "raw tcp: SASL STEP with garbage": AUTH_FAILED,
    "raw tcp: SASL STEP after the failure (session dropped)": AUTH_FAILED,
    "raw tcp: CONNECT_GET_TYPE still refused": AUTH_REQUIRED,
    "raw tcp: SASL INIT again": {"ok": True},
    "raw tcp: SASL START with an unknown mechanism": AUTH_FAILED,
    "raw tcp: the connection goes on": {"ok": True},
    "raw tcp: SCRAM-SHA-256 on plain TCP (no SSF)": AUTH_FAILED,
    "raw tls: AUTH_LIST": {"ok": True, "types": [1]},
    "raw tls: SASL INIT": {"ok": True, "mechlist": lambda m: sorted(m.split(",")) ==
                           ["DIGEST-MD5", "SCRAM-SHA-256"]},
    "raw tls: SASL START SCRAM-SHA-256 without data": {"ok": True, "complete": 0},
}


def matches(name, result):
    """'' when result has every field EXPECT[name] names, else why not."""
    exp = EXPECT.get(name)
    if exp is None:
        return "no expectation for %r" % name
    for k, v in exp.items():
        if k not in result:
            return "%s missing" % k
        if callable(v):
            if not v(result[k]):
                return "%s = %r" % (k, result[k])
        elif result[k] != v:
            return "%s = %r, expected %r" % (k, result[k], v)
    return ""


def check_all(res, results):
    for name, result in results:
        why = matches(name, result)
        res.check(name, not why, why, json.dumps(result))


def checks_subprocess(args, prefix=()):
    """Run 'saslcommon.py checks' (optionally under nsenter) and return
    its results."""
    cmd = list(prefix) + [PY, os.path.abspath(__file__), "checks", json.dumps(args)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError("checks failed (%d): %s%s" % (r.returncode, r.stdout, r.stderr))
    return json.loads(r.stdout)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "checks":
        a = json.loads(sys.argv[2])
        print(json.dumps(checks(a["tcp_port"], a.get("tls_port"), a.get("pki"),
                                a.get("sock_ro"), a["authdir"], a.get("virsh", True),
                                a.get("raw", True))))
        sys.exit(0)
    print("usage: saslcommon.py checks JSON", file=sys.stderr)
    sys.exit(2)
