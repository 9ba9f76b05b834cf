#!/usr/bin/python3
"""differential.py: the SASL checks of saslcommon.py against a private
libvirtd 9.0 and against virtnetd, configured alike; the results must be
equal (run by tests/test-daemon-sasl-diff.sh).

Both daemons get the same configuration (saslcommon.server_conf: SASL on
TCP, on TLS with the certificates of tests/tls/mkcerts.sh, and on the
read-only UNIX socket; sasl_allowed_username_list = ["alice", "b*"]) and the
same SASL_CONF_PATH (libvirt.conf: mech_list digest-md5 scram-sha-256, a
sasldb made with saslpasswd2 -a libvirt).

libvirtd runs as root in its own mount and network namespaces, as
tests/remote-trace/start-libvirtd.sh does (tmpfs over its state
directories; here also the loopback interface brought up, since it listens
on 127.0.0.1), and the clients (libvirt-python, virsh, our client, the raw
wire) run inside its network namespace with nsenter. Each result
(success, error code, domain and message, mechanism lists, ...) must be
the same from both daemons, and libvirtd's must equal the facts in
saslcommon.EXPECT, which the tests without libvirtd use.

Skips (77) without root, libvirtd, namespaces, virsh, python3-libvirt or
the SASL tools.
"""
import json
import os
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True   # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import saslcommon as sc  # noqa: E402

LV_TCP = "16509"
LV_TLS = "16514"

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


class Libvirtd:
    def __init__(self, env):
        self.dir = os.path.join(env.dir, "lv")
        os.makedirs(self.dir)
        conf = sc.server_conf(env, self.dir, tcp_port=LV_TCP, tls_port=LV_TLS)
        conf += ('unix_sock_group = "root"\nunix_sock_ro_perms = "0777"\n'
                 'unix_sock_rw_perms = "0770"\nlog_filters = "1:rpc 1:remote 1:daemon"\n'
                 'log_outputs = "1:file:%s/libvirtd.log"\n' % self.dir)
        with open(os.path.join(self.dir, "libvirtd.conf"), "w") as f:
            f.write(conf)
        self.out = os.path.join(self.dir, "libvirtd.out")
        self.proc = subprocess.Popen(
            ["unshare", "--mount", "--net", "--propagation", "private", "sh", "-c", MOUNTS,
             "sh", self.dir], env=env.env, stdout=open(self.out, "w"), stderr=subprocess.STDOUT)
        env.procs.append(self)
        self.sock_ro = os.path.join(self.dir, "libvirt-sock-ro")
        for _ in range(200):
            if os.path.exists(os.path.join(self.dir, "libvirt-sock")) or self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if not os.path.exists(os.path.join(self.dir, "libvirt-sock")):
            print("FAIL: libvirtd did not start")
            print(open(self.out).read())
            sys.exit(1)
        self.nsenter = ["nsenter", "--net=/proc/%d/ns/net" % self.proc.pid]
        # the TCP and TLS listeners come after the UNIX sockets
        ports = [LV_TCP] + ([LV_TLS] if env.pki else [])
        probe = ("import socket, sys\n"
                 "for p in sys.argv[1:]:\n"
                 "    socket.create_connection(('127.0.0.1', int(p)), timeout=1).close()\n")
        for _ in range(100):
            if subprocess.run(self.nsenter + [sc.PY, "-c", probe] + ports,
                              capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        else:
            print("FAIL: libvirtd does not listen on 127.0.0.1 ports %s" % ports)
            print(open(self.out).read())
            sys.exit(1)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def main():
    sc.need_basics()
    if not shutil.which("virsh"):
        sc.skip("virsh is not installed (package libvirt-clients)")
    if os.geteuid() != 0:
        sc.skip("not root: the private libvirtd needs its own mount and network namespaces")
    if not shutil.which("libvirtd"):
        sc.skip("libvirtd is not installed (package libvirt-daemon)")
    if not shutil.which("nsenter") or not shutil.which("ip"):
        sc.skip("nsenter (util-linux) or ip (iproute2) is not installed")
    if subprocess.run(["unshare", "--mount", "--net", "--propagation", "private", "true"],
                      capture_output=True).returncode != 0:
        sc.skip("cannot create mount and network namespaces (unshare failed)")
    version = subprocess.run(["libvirtd", "--version"], capture_output=True,
                             text=True).stdout.split()[-1]
    print("libvirtd %s" % version)

    res = sc.Results()
    env = sc.SaslEnv("sasldiff")
    try:
        if not env.pki:
            res.skipped("TLS cases", "certtool is not installed (gnutls-bin)")
        lv = Libvirtd(env)
        vn = sc.Virtnetd(env, "vn", sc.server_conf(env, "@RUNDIR@"))
        args = {"authdir": env.dir, "pki": env.pki}
        try:
            lv_res = sc.checks_subprocess(dict(args, tcp_port=int(LV_TCP),
                                               tls_port=int(LV_TLS) if env.pki else None,
                                               sock_ro=lv.sock_ro), prefix=lv.nsenter)
        except Exception as e:  # noqa: BLE001
            print("FAIL: the checks against libvirtd did not run: %s" % e)
            print(open(lv.out).read())
            sys.exit(1)
        vn_res = sc.checks_subprocess(dict(args, tcp_port=vn.tcp_port, tls_port=vn.tls_port,
                                           sock_ro=vn.sock_ro))
        lv_map = dict((n, r) for n, r in lv_res)
        print("--- virtnetd against libvirtd %s" % version)
        for name, r in vn_res:
            lr = lv_map.get(name)
            res.check(name, lr == r, "libvirtd: %s" % json.dumps(lr),
                      "virtnetd: %s" % json.dumps(r))
        res.check("the same checks ran on both", [n for n, _ in lv_res] == [n for n, _ in vn_res])
        if version.startswith("9.0."):
            print("--- libvirtd %s against the recorded facts (saslcommon.EXPECT)" % version)
            for name, r in lv_res:
                why = sc.matches(name, r)
                res.check("libvirtd: " + name, not why, why, json.dumps(r))
        else:
            print("libvirtd is not 9.0: saslcommon.EXPECT not checked")
        res.check("virtnetd is still running", vn.alive(), vn.log()[-2000:])
        why = vn.stop()
        res.check("virtnetd exits cleanly (status 0, no sanitizer report)", not why, why,
                  vn.log()[-3000:])
    finally:
        env.cleanup()
    res.finish()


if __name__ == "__main__":
    main()
