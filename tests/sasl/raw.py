#!/usr/bin/python3
"""raw.py: the wire of a SASL service before authentication, spoken by
hand (run by tests/test-daemon-sasl-raw.sh).

- On virtnetd's SASL TCP service (and TLS with certtool): any call but the
  AUTH_* ones gets an error reply "authentication required" (VIR_ERR_RPC,
  VIR_FROM_RPC) and the connection stays open; AUTH_LIST says SASL; START
  before INIT, a second INIT, a failed STEP and the STEP after it are
  "authentication failed" (VIR_ERR_AUTH_FAILED); the second INIT keeps the
  session, the failed STEP drops it; SCRAM is refused on plain TCP. These
  are libvirtd 9.0's answers (tests/test-daemon-sasl-diff.sh compares).
- max_anonymous_clients = 2: with two unauthenticated connections, a third
  one connects (kernel backlog) but gets no answer within 1 s: the service
  stopped accepting, as libvirtd does. Once one of the two authenticates,
  the third is served.
"""
import os
import socket
import struct
import sys
import threading
import time

sys.dont_write_bytecode = True   # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import saslcommon as sc  # noqa: E402


def auth_list_answered(c, timeout):
    """Send AUTH_LIST, wait up to timeout for the reply; None if none."""
    c.send(sc.PROC_AUTH_LIST)
    try:
        status, r = c.recv(timeout)
    except socket.timeout:
        return None
    return [r.int() for _ in range(r.int())] if status == 0 else "error"


def max_anonymous(res, env):
    conf = ("unix_sock_dir = \"@RUNDIR@\"\nlisten_tcp = 1\nlisten_addr = \"127.0.0.1\"\n"
            "tcp_port = \"0\"\nauth_tcp = \"sasl\"\nmax_anonymous_clients = 2\n")
    d = sc.Virtnetd(env, "anon", conf)
    tcp = "test+tcp://127.0.0.1:%d/default" % d.tcp_port

    # Connection 1: libvirt-python, held inside its credential callback,
    # i.e. after INIT / START, before authentication.
    entered = threading.Event()
    release = threading.Event()
    result = {}

    def slow_client():
        import libvirt
        libvirt.registerErrorHandler(lambda *a: None, None)

        def cb(creds, data):
            entered.set()
            release.wait(30)
            for c in creds:
                if c[0] == libvirt.VIR_CRED_AUTHNAME:
                    c[4] = "alice"
                elif c[0] == libvirt.VIR_CRED_PASSPHRASE:
                    c[4] = "alice-pw"
            return 0
        try:
            conn = libvirt.openAuth(tcp, [[libvirt.VIR_CRED_AUTHNAME,
                                           libvirt.VIR_CRED_PASSPHRASE], cb, None], 0)
            result["domains"] = [x.name() for x in conn.listAllDomains()]
            result["conn"] = conn
        except libvirt.libvirtError as e:
            result["error"] = e.get_error_message()

    t = threading.Thread(target=slow_client, daemon=True)
    t.start()
    if not res.check("anonymous 1: a libvirt-python client waits in its credential callback",
                     entered.wait(10)):
        release.set()
        return
    # Connection 2: raw, served, unauthenticated.
    c2 = sc.RawConn(d.tcp_port)
    res.check("anonymous 2: served", auth_list_answered(c2, 5) == [1])
    # Connection 3: accepted by the kernel only.
    c3 = sc.RawConn(d.tcp_port)
    res.check("anonymous 3: connected, but no answer within 1 s (accept suspended)",
              auth_list_answered(c3, 1.0) is None)
    release.set()
    t.join(20)
    res.check("anonymous 1 authenticates", result.get("domains") == ["test"], result)
    got = None
    try:
        status, r = c3.recv(5)
        got = [r.int() for _ in range(r.int())] if status == 0 else "error"
    except socket.timeout:
        pass
    res.check("anonymous 3: served once the first one authenticated", got == [1], got)
    # Again, the other way: the two raw ones fill the slots, one leaves.
    c4 = sc.RawConn(d.tcp_port)
    res.check("anonymous 4: no answer while 2 and 3 are unauthenticated",
              auth_list_answered(c4, 1.0) is None)
    c2.close()
    got = None
    try:
        status, r = c4.recv(5)
        got = [r.int() for _ in range(r.int())] if status == 0 else "error"
    except socket.timeout:
        pass
    res.check("anonymous 4: served once 2 went away", got == [1], got)
    if "conn" in result:
        result["conn"].close()
    c3.close()
    c4.close()
    res.check("virtnetd is still running", d.alive(), d.log()[-2000:])
    why = d.stop()
    res.check("virtnetd exits cleanly (status 0, no sanitizer report)", not why, why,
              d.log()[-3000:])


def main():
    sc.need_basics()
    res = sc.Results()
    env = sc.SaslEnv("saslraw")
    try:
        d = sc.Virtnetd(env, "vn", sc.server_conf(env, "@RUNDIR@"))
        if not env.pki:
            res.skipped("raw tls cases", "certtool is not installed (gnutls-bin)")
        sc.check_all(res, sc.raw_checks(d.tcp_port, d.tls_port, env.pki))
        # libvirt's facts for the UNIX socket too (auth_unix_ro = "sasl").
        c = sc.RawConn(None, unix=d.sock_ro)
        r = c.call(sc.PROC_CONNECT_OPEN, struct.pack(">i", 0) + struct.pack(">i", 1))
        res.check("raw unix ro: CONNECT_OPEN before auth", not sc.matches(
            "raw tcp: CONNECT_OPEN before auth", sc._err(r)), r)
        r = c.call(sc.PROC_AUTH_SASL_INIT)
        res.check("raw unix ro: SASL INIT offers SCRAM (a UNIX socket needs no SSF)",
                  r["ok"] and "SCRAM-SHA-256" in r["r"].string().split(","))
        c.close()
        res.check("virtnetd is still running", d.alive(), d.log()[-2000:])
        why = d.stop()
        res.check("virtnetd exits cleanly (status 0, no sanitizer report)", not why, why,
                  d.log()[-3000:])
        max_anonymous(res, env)
    finally:
        env.cleanup()
    res.finish()


if __name__ == "__main__":
    main()
