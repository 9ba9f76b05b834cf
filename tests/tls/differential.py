#!/usr/bin/python3
"""differential.py: the TLS checks of tests/test-daemon-tls.sh against a
private libvirtd 9.0 and against virtnetd, configured alike; the two
transcripts must be equal (run by tests/test-daemon-tls-diff.sh).

Both daemons listen for TLS on 127.0.0.1 with the certificates of
tests/tls/mkcerts.sh, auth_tls = "none" and
tls_allowed_dn_list = ["C=GB,O=Acme,CN=client*"] (libvirtd -l, virtnetd -l).
libvirtd runs as root in its own mount and network namespaces (tmpfs over
its state directories, loopback brought up), as
tests/remote-trace/start-libvirtd.sh and tests/sasl/differential.py do; its
clients run in its network namespace with nsenter.

For each client certificate set (good, untrusted CA, expired, DN not
allowed, revoked, no client certificate) and URI variant (plain,
no_sanity=1, no_verify=1, server by name) the transcript records, for
virsh list and for libvirt-python's libvirt.open + listAllDomains, success
(and the domain names) or failure with libvirt's error code, domain and
message (the port and the temporary directory normalized).

Usage: differential.py            (the test; exit 0 pass, 1 fail, 77 skip)
       differential.py client JSON (the client side, prints a JSON transcript)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

PY = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("VIRTNET_TEST_SRCDIR") or os.path.dirname(os.path.dirname(HERE))
BUILDDIR = os.environ.get("VIRTNET_TEST_BUILDDIR") or os.getcwd()
VIRTNETD = os.environ.get("VIRTNETD") or os.path.join(BUILDDIR, "daemon", "virtnetd")
LV_TLS = 16514
ALLOWED_DN = "C=GB,O=Acme,CN=client*"

# (case name, pkipath directory, host, extra URI parameters)
CASES = []
for who in ("good", "untrusted", "expired", "baddn", "revoked", "nocert"):
    CASES.append((who, who, "127.0.0.1", ""))
for who in ("good", "untrusted", "expired", "baddn", "revoked"):
    CASES.append((who + "+no_sanity", who, "127.0.0.1", "&no_sanity=1"))
for who in ("good", "baddn"):
    CASES.append((who + "+no_verify", who, "127.0.0.1", "&no_verify=1"))
CASES.append(("good+localhost", "good", "localhost", ""))

MOUNTS = """
ip link set lo up || exit 1
if [ -d /run/libvirt ]; then
    mount -t tmpfs tmpfs /run/libvirt
else
    mount -t tmpfs tmpfs /run && mkdir /run/libvirt
fi
mount -t tmpfs tmpfs /var/lib/libvirt
mount -t tmpfs tmpfs /var/cache/libvirt
exec libvirtd -l -f "$1/libvirtd.conf" -p "$1/libvirtd.pid"
"""


def skip(msg):
    print("SKIP: " + msg)
    sys.exit(77)


def server_conf(pki, rundir, port):
    s = os.path.join(pki, "server")
    return "\n".join([
        'unix_sock_dir = "%s"' % rundir,
        'listen_tcp = 0',
        'listen_tls = 1',
        'tls_port = "%s"' % port,
        'listen_addr = "127.0.0.1"',
        'auth_tls = "none"',
        'key_file = "%s/serverkey.pem"' % s,
        'cert_file = "%s/servercert.pem"' % s,
        'ca_file = "%s/cacert.pem"' % s,
        'crl_file = "%s/crl.pem"' % s,
        'tls_allowed_dn_list = ["%s"]' % ALLOWED_DN,
    ]) + "\n"


# ---- client side -------------------------------------------------------------

def normalize(text, port, base):
    text = text.replace(base, "TMP")
    text = re.sub(r"(?<![0-9])%d(?![0-9])" % port, "PORT", text)
    return text.strip()


def python_open(uri):
    import libvirt
    libvirt.registerErrorHandler(lambda *a: None, None)
    try:
        conn = libvirt.open(uri)
    except libvirt.libvirtError as e:
        return {"ok": False, "code": e.get_error_code(), "domain": e.get_error_domain(),
                "message": e.get_error_message()}
    try:
        names = sorted(d.name() for d in conn.listAllDomains())
        return {"ok": True, "domains": names}
    except libvirt.libvirtError as e:
        return {"ok": False, "after_open": True, "code": e.get_error_code(),
                "domain": e.get_error_domain(), "message": e.get_error_message()}
    finally:
        conn.close()


def client(args):
    port, pki, base = args["port"], args["pki"], args["base"]
    out = []
    for name, who, host, extra in CASES:
        uri = "test+tls://%s:%d/default?pkipath=%s/%s%s" % (host, port, pki, who, extra)
        try:
            r = subprocess.run(["virsh", "-q", "-c", uri, "list", "--name"],
                               capture_output=True, text=True, timeout=30)
            v = {"rc": r.returncode}
            if r.returncode == 0:
                v["domains"] = sorted(x for x in r.stdout.split() if x)
            else:
                v["stderr"] = normalize(r.stderr, port, base)
        except subprocess.TimeoutExpired:
            v = {"rc": "timeout"}
        out.append(["virsh " + name, v])
        p = python_open(uri)
        if "message" in p:
            p["message"] = normalize(p["message"] or "", port, base)
        out.append(["python " + name, p])
    print(json.dumps(out))


def run_client(port, pki, base, prefix=()):
    cmd = list(prefix) + [PY, os.path.abspath(__file__), "client",
                          json.dumps({"port": port, "pki": pki, "base": base})]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError("client failed (%d): %s%s" % (r.returncode, r.stdout, r.stderr))
    return json.loads(r.stdout)


# ---- daemons -------------------------------------------------------------------

def wait_port(prefix, port, proc):
    probe = ("import socket, sys\n"
             "socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=1).close()\n")
    for _ in range(100):
        if proc.poll() is not None:
            return False
        if subprocess.run(list(prefix) + [PY, "-c", probe, str(port)],
                          capture_output=True).returncode == 0:
            return True
        time.sleep(0.1)
    return False


def start_libvirtd(base, pki):
    d = os.path.join(base, "lv")
    os.makedirs(d)
    conf = server_conf(pki, d, LV_TLS) + (
        'unix_sock_group = "root"\nunix_sock_ro_perms = "0777"\nunix_sock_rw_perms = "0770"\n'
        'log_filters = "1:rpc 1:remote 1:daemon"\nlog_outputs = "1:file:%s/libvirtd.log"\n' % d)
    with open(os.path.join(d, "libvirtd.conf"), "w") as f:
        f.write(conf)
    out = os.path.join(d, "libvirtd.out")
    proc = subprocess.Popen(["unshare", "--mount", "--net", "--propagation", "private",
                             "sh", "-c", MOUNTS, "sh", d],
                            stdout=open(out, "w"), stderr=subprocess.STDOUT)
    prefix = ["nsenter", "--net=/proc/%d/ns/net" % proc.pid]
    time.sleep(0.2)
    if not wait_port(prefix, LV_TLS, proc):
        print("FAIL: libvirtd does not listen on 127.0.0.1:%d" % LV_TLS)
        print(open(out).read())
        return proc, None
    return proc, prefix


def start_virtnetd(base, pki):
    d = os.path.join(base, "vn")
    run = os.path.join(d, "run")
    os.makedirs(run)
    conf = os.path.join(d, "virtnetd.conf")
    with open(conf, "w") as f:
        f.write(server_conf(pki, run, 0))
    out, err = os.path.join(d, "out"), os.path.join(d, "err")
    proc = subprocess.Popen([VIRTNETD, "-f", conf, "-l"],
                            stdout=open(out, "w"), stderr=open(err, "w"))
    for _ in range(200):
        text = open(out).read()
        if "virtnetd: ready" in text or proc.poll() is not None:
            break
        time.sleep(0.05)
    m = re.search(r"^virtnetd: listening on tls .* port ([0-9]+)", open(out).read(), re.M)
    if "virtnetd: ready" not in open(out).read() or not m:
        print("FAIL: virtnetd did not start (or no TLS port)")
        print(open(out).read() + open(err).read())
        return proc, None, err
    return proc, int(m.group(1)), err


def stop(proc):
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    if os.geteuid() != 0:
        skip("not root: the private libvirtd needs its own mount and network namespaces")
    for tool, pkg in (("libvirtd", "libvirt-daemon"), ("virsh", "libvirt-clients"),
                      ("certtool", "gnutls-bin"), ("unshare", "util-linux"),
                      ("nsenter", "util-linux"), ("ip", "iproute2")):
        if not shutil.which(tool):
            skip("%s is not installed (package %s)" % (tool, pkg))
    try:
        import libvirt  # noqa: F401
    except ImportError:
        skip("python3-libvirt is not installed (%s cannot import libvirt)" % PY)
    if not os.access(VIRTNETD, os.X_OK):
        print("FAIL: no %s: build daemon/virtnetd first" % VIRTNETD)
        sys.exit(1)
    if subprocess.run(["unshare", "--mount", "--net", "--propagation", "private", "true"],
                      capture_output=True).returncode != 0:
        skip("cannot create mount and network namespaces (unshare failed)")
    version = subprocess.run(["libvirtd", "--version"], capture_output=True,
                             text=True).stdout.split()[-1]
    print("libvirtd %s" % version)

    base = tempfile.mkdtemp(prefix="virtnet-tlsdiff-", dir="/tmp")
    pki = os.path.join(base, "pki")
    lv = vn = None
    fails = passes = 0
    try:
        r = subprocess.run(["sh", os.path.join(SRCDIR, "tests", "tls", "mkcerts.sh"), pki],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print("FAIL: mkcerts.sh: %s" % r.stderr)
            sys.exit(1)
        # a pkipath with the CA only: no client certificate
        os.makedirs(os.path.join(pki, "nocert"))
        shutil.copy(os.path.join(pki, "good", "cacert.pem"), os.path.join(pki, "nocert"))

        lv, prefix = start_libvirtd(base, pki)
        if prefix is None:
            sys.exit(1)
        vn, vport, verr = start_virtnetd(base, pki)
        if vport is None:
            sys.exit(1)
        lv_res = run_client(LV_TLS, pki, base, prefix)
        vn_res = run_client(vport, pki, base)
        lv_map = dict((n, v) for n, v in lv_res)
        for name, v in vn_res:
            lr = lv_map.get(name)
            if lr == v:
                print("ok   %s: %s" % (name, json.dumps(v)))
                passes += 1
            else:
                print("FAIL %s" % name)
                print("     libvirtd: %s" % json.dumps(lr))
                print("     virtnetd: %s" % json.dumps(v))
                fails += 1
        if [n for n, _ in lv_res] != [n for n, _ in vn_res]:
            print("FAIL the same checks ran on both")
            fails += 1
        # sanity: the good client got in, the bad ones did not (on libvirtd)
        expect_ok = {"good", "good+no_sanity", "good+no_verify", "good+localhost"}
        for name, v in lv_res:
            case = name.split(" ", 1)[1]
            got = v.get("rc") == 0 if name.startswith("virsh") else v.get("ok")
            if got != (case in expect_ok):
                print("FAIL libvirtd %s: expected %s" % (name, "success" if case in expect_ok
                                                         else "failure"))
                fails += 1
        if vn.poll() is None:
            print("ok   virtnetd still running")
            passes += 1
        else:
            print("FAIL virtnetd died: %s" % open(verr).read()[-2000:])
            fails += 1
    finally:
        stop(vn)
        stop(lv)
        if os.environ.get("VIRTNET_TEST_KEEP"):
            print("kept %s" % base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    print("%d passed, %d failed" % (passes, fails))
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    if len(sys.argv) == 3 and sys.argv[1] == "client":
        client(json.loads(sys.argv[2]))
        sys.exit(0)
    main()
