#!/usr/bin/python3
"""daemon.py: SASL authentication against virtnetd with libvirt's clients
and ours (run by tests/test-daemon-sasl.sh).

virtnetd listens on 127.0.0.1 with listen_tcp = 1, auth_tcp = "sasl" (and,
with certtool, listen_tls = 1, auth_tls = "sasl" with the certificates of
tests/tls/mkcerts.sh), auth_unix_ro = "sasl",
sasl_allowed_username_list = ["alice", "b*"], SASL_CONF_PATH pointing at a
libvirt.conf with mech_list: digest-md5 scram-sha-256 and a sasldb made
with saslpasswd2 -a libvirt.

- libvirt-python openAuth over TCP (DIGEST-MD5: SASL layer), TLS
  (SCRAM-SHA-256, SSF from TLS) and the read-only UNIX socket; our client
  (tests/sasl-client); virsh with a LIBVIRT_AUTH_FILE: right passwords
  work, a wrong one, carol (not on the list) and dave (unknown) get
  VIR_ERR_AUTH_FAILED; SCRAM is not offered on plain TCP;
- the layer: through a recording TCP proxy, the bytes after the exchange
  do not show a domain name that travels in them; 300 KB messages both
  ways (several SASL packets) with libvirt-python and our client;
- failed attempts are logged with the peer's address.
"""
import os
import socket
import sys
import threading

sys.dont_write_bytecode = True   # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import saslcommon as sc  # noqa: E402


class Proxy:
    """127.0.0.1:port -> 127.0.0.1:target, recording both directions."""

    def __init__(self, target):
        self.target = target
        self.lsock = socket.socket()
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(4)
        self.port = self.lsock.getsockname()[1]
        self.up = bytearray()
        self.down = bytearray()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _pump(self, src, dst, buf):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self.lock:
                    buf += data
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _accept(self):
        while True:
            try:
                c, _ = self.lsock.accept()
            except OSError:
                return
            s = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pump, args=(c, s, self.up), daemon=True).start()
            threading.Thread(target=self._pump, args=(s, c, self.down), daemon=True).start()

    def wire(self):
        with self.lock:
            return bytes(self.up), bytes(self.down)


SECRET = "sasl-secret-name-4711"


def through_proxy(conn):
    """Define, read and undefine a domain whose name must not be seen."""
    xml = ("<domain type='test'><name>%s</name><memory>1024</memory>"
           "<os><type>hvm</type></os></domain>" % SECRET)
    dom = conn.defineXML(xml)
    back = conn.lookupByName(SECRET).XMLDesc(0)
    dom.undefine()
    return {"secret_roundtrip": SECRET in back}


def big_roundtrip(conn):
    payload = "".join(chr(ord("a") + (i * 7 + i // 26) % 26) for i in range(300000))
    xml = ("<domain type='test'><name>sasl-big-py</name><memory>1024</memory>"
           "<os><type>hvm</type></os><metadata><x:big xmlns:x='urn:virtnet-sasl'>%s"
           "</x:big></metadata></domain>" % payload)
    dom = conn.defineXML(xml)
    back = dom.XMLDesc(0)
    dom.undefine()
    return {"big": payload in back}


def main():
    sc.need_basics()
    res = sc.Results()
    env = sc.SaslEnv("sasl")
    try:
        d = sc.Virtnetd(env, "vn", sc.server_conf(env, "@RUNDIR@"))
        if not env.pki:
            res.skipped("TLS cases", "certtool is not installed (gnutls-bin)")
        if not __import__("shutil").which("virsh"):
            res.skipped("virsh cases", "virsh is not installed (libvirt-clients)")

        sc.check_all(res, sc.checks(d.tcp_port, d.tls_port, env.pki, d.sock_ro, env.dir,
                                    raw=False))

        # The SASL layer on plain TCP: after the exchange nothing is clear.
        proxy = Proxy(d.tcp_port)
        r = sc.open_auth("test+tcp://127.0.0.1:%d/default" % proxy.port, "alice", "alice-pw",
                         through_proxy)
        up, down = proxy.wire()
        res.check("through the proxy: authenticated, domain defined and read back",
                  r.get("ok") and r.get("secret_roundtrip") and r.get("encrypted") == 1, r)
        res.check("the wire shows the exchange in clear (DIGEST-MD5, the capture works)",
                  b"DIGEST-MD5" in up and b"DIGEST-MD5" in down and len(up) > 1000)
        res.check("the wire does not show the domain name or the URI (SASL layer on)",
                  SECRET.encode() not in up and SECRET.encode() not in down and
                  b"test:///default" not in up and b"<domain" not in down,
                  "%d bytes up, %d down" % (len(up), len(down)))

        # Messages larger than one SASL packet (65511 bytes), both ways.
        tcp = "test+tcp://127.0.0.1:%d/default" % d.tcp_port
        r = sc.open_auth(tcp, "bob", "bob-pw", big_roundtrip)
        res.check("python tcp: 300 KB of domain XML both ways through the layer",
                  r.get("ok") and r.get("big"), r)
        r = sc.run_helper(tcp, "alice", "alice-pw", big=300000)
        res.check("our client tcp: 300 KB of domain XML both ways through the layer",
                  r.get("ok") and r.get("encrypted") == 1, r)

        log = d.log()
        res.check("failed attempts are logged with the peer's address",
                  "SASL authentication failed" in log and "(127.0.0.1;" in log and
                  "'carol' is not on the list" in log, log[-2000:])
        res.check("virtnetd is still running", d.alive(), d.log()[-2000:])
        why = d.stop()
        res.check("virtnetd exits cleanly (status 0, no sanitizer report)", not why, why,
                  d.log()[-3000:])
    finally:
        env.cleanup()
    res.finish()


if __name__ == "__main__":
    main()
