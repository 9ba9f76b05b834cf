#!/usr/bin/env python3
"""test-generator.py: unit tests of generators/virnetgen.py.

The parser and the program model run on small inline .x texts: annotations
become flags and exec classes, types are found by name, and every input
error names file:line. The emitted C is checked for its key lines, and,
when rpcgen, gcc and libtirpc are available, compiled with -Werror.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

SRCDIR = os.environ.get("VIRTNET_TEST_SRCDIR") or \
    os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_generator():
    sys.path.insert(0, os.path.join(SRCDIR, "generators"))
    path = os.path.join(SRCDIR, "generators", "virnetgen.py")
    spec = importlib.util.spec_from_file_location("virnetgen", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = load_generator()

HEADER = """\
const TEST_PROGRAM = 0x54455354;
const TEST_PROTOCOL_VERSION = 1;
"""


def program(body, header=HEADER, name="test", path="test_protocol.x"):
    return gen.load_program(header + body, path, name)


def procs(prog):
    return {p.name: p for p in prog.procedures}


class ParserTest(unittest.TestCase):
    def test_definitions(self):
        xdr = gen.parse_xdr("""
%#include "other.h"
/* a comment with ; and { } inside */
const A = 10;
const B = 0x10;
const C = A;
const D = SOME_C_MACRO;
typedef string s_t<A>;
typedef opaque o_t[16];
typedef opaque v_t<>;
typedef s_t *ptr_t;
typedef unsigned hyper h_t;
struct st { int a[4]; o_t o; struct inner { int x; } nested; };
union un switch (int d) { case 1: int a; default: void; };
enum en { E1 = 1, E2 = B, E3 };
""", "defs.x")
        self.assertEqual(xdr.consts, {"A": 10, "B": 16, "C": 10, "D": None})
        for name in ("s_t", "o_t", "v_t", "ptr_t", "h_t", "st", "un", "en"):
            self.assertIn(name, xdr.types)
        self.assertEqual(xdr.types["un"][0], "union")
        members = xdr.enums["en"].members
        self.assertEqual([(m.name, m.value) for m in members],
                         [("E1", 1), ("E2", 16), ("E3", 17)])

    def test_line_numbers(self):
        xdr = gen.parse_xdr("/* one\n two */\n\nstruct s { int a; };\n", "l.x")
        self.assertEqual(xdr.types["s"], ("struct", 4))

    def test_syntax_errors(self):
        cases = [
            ("const A = 1\nconst B = 2;", "x.x:2: expected ';', got 'const'"),
            ("struct s { int a;\n", "x.x:2: missing '}'"),
            ("\n/* open", "x.x:2: unterminated comment"),
            ("foo bar;", "x.x:1: expected a definition"),
            ("enum e { A = 1 B = 2 };", "x.x:1: expected ',' or '}', got 'B'"),
            ("struct s { int a; };\nstruct s { int b; };",
             "x.x:2: type 's' defined twice (first at line 1)"),
            ("const A = 1;\n$", "x.x:2: unexpected character '$'"),
        ]
        for text, message in cases:
            with self.subTest(text=text):
                with self.assertRaises(gen.GenError) as ctx:
                    gen.parse_xdr(text, "x.x")
                self.assertTrue(str(ctx.exception).startswith(message),
                                str(ctx.exception))


class AnnotationTest(unittest.TestCase):
    def test_flags_and_exec(self):
        prog = program("""
enum test_procedure {
    /** @exec: inline @readonly @noauth */
    TEST_PROC_A = 1,
    /** @priority: high */
    TEST_PROC_B = 2,
    /** @priority: high @exec: inline */
    TEST_PROC_C = 3,
    /* a plain comment: no annotations */
    TEST_PROC_D = 4,
    /** @priority: low @exec: prio */
    TEST_PROC_E = 5,
    /**
     * Multi-line, with words.
     * @readonly
     * @fds
     */
    TEST_PROC_F = 6,
    /** @event */
    TEST_PROC_G = 7,
    /** @unimplemented @readonly */
    TEST_PROC_H = 8,
    /**@exec:worker*/
    TEST_PROC_I = 9
};
""")
        p = procs(prog)
        expect = {
            "TEST_PROC_A": (["VIR_NET_PROC_READONLY", "VIR_NET_PROC_NOAUTH"],
                            "VIR_NET_EXEC_INLINE"),
            "TEST_PROC_B": (["VIR_NET_PROC_PRIORITY"], "VIR_NET_EXEC_PRIO"),
            "TEST_PROC_C": (["VIR_NET_PROC_PRIORITY"], "VIR_NET_EXEC_INLINE"),
            "TEST_PROC_D": ([], "VIR_NET_EXEC_WORKER"),
            "TEST_PROC_E": ([], "VIR_NET_EXEC_PRIO"),
            "TEST_PROC_F": (["VIR_NET_PROC_READONLY"], "VIR_NET_EXEC_WORKER"),
            "TEST_PROC_G": (["VIR_NET_PROC_EVENT"], "VIR_NET_EXEC_WORKER"),
            "TEST_PROC_H": (["VIR_NET_PROC_READONLY"], "VIR_NET_EXEC_WORKER"),
            "TEST_PROC_I": ([], "VIR_NET_EXEC_WORKER"),
        }
        for name, (flags, exec_class) in expect.items():
            with self.subTest(name=name):
                self.assertEqual(p[name].flags, flags)
                self.assertEqual(p[name].exec_class, exec_class)
        self.assertTrue(p["TEST_PROC_F"].fds)
        self.assertFalse(p["TEST_PROC_A"].fds)
        self.assertFalse(p["TEST_PROC_G"].has_handler)
        self.assertFalse(p["TEST_PROC_H"].has_handler)
        self.assertTrue(p["TEST_PROC_A"].has_handler)

    def test_demo_file(self):
        path = os.path.join(SRCDIR, "protocol", "demo_protocol.x")
        with open(path, encoding="utf-8") as f:
            prog = gen.load_program(f.read(), path)
        self.assertEqual(len(prog.procedures), 12)
        p = procs(prog)
        self.assertEqual(p["DEMO_PROC_PRIO_NULL"].exec_class, "VIR_NET_EXEC_PRIO")
        self.assertEqual(p["DEMO_PROC_NULL"].flags,
                         ["VIR_NET_PROC_READONLY", "VIR_NET_PROC_NOAUTH"])
        self.assertTrue(p["DEMO_PROC_PASS_FD"].fds)
        self.assertEqual(p["DEMO_PROC_TICK"].msg, "demo_tick_msg")

    def check_error(self, body, message, header=HEADER):
        with self.assertRaises(gen.GenError) as ctx:
            program(body, header=header)
        self.assertEqual(str(ctx.exception), message)

    def test_unknown_annotation(self):
        self.check_error("""enum test_procedure {
    /** @readonly
        @inlined */
    TEST_PROC_A = 1
};""", "test_protocol.x:5: unknown annotation '@inlined' (known: @exec, "
       "@priority, @readonly, @noauth, @event, @unimplemented, @fds, @generate, @api, @relay, @eventid, "
       "@limit-error)")

    def test_bad_limit_error(self):
        self.check_error("""enum test_procedure {
    /** @limit-error: loud */
    TEST_PROC_A = 1
};""", "test_protocol.x:4: bad @limit-error value 'loud' (expected rpc | internal | too-large)")

    def test_limit_error_needs_server(self):
        self.check_error("""enum test_procedure {
    /** @limit-error: internal */
    TEST_PROC_A = 1
};""", "test_protocol.x:5: TEST_PROC_A: @limit-error is for a generated server handler")

    def test_bad_exec_value(self):
        self.check_error("""enum test_procedure {
    /** @exec: fast */
    TEST_PROC_A = 1
};""", "test_protocol.x:4: bad @exec value 'fast' (expected inline | prio | worker)")

    def test_bad_priority_value(self):
        self.check_error("""enum test_procedure {
    /** @priority: urgent */
    TEST_PROC_A = 1
};""", "test_protocol.x:4: bad @priority value 'urgent' (expected high | low)")

    def test_missing_value(self):
        self.check_error("""enum test_procedure {
    /** @exec */
    TEST_PROC_A = 1
};""", "test_protocol.x:4: annotation '@exec' needs a value: inline | prio | worker")

    def test_value_on_flag(self):
        self.check_error("""enum test_procedure {
    /** @readonly: yes */
    TEST_PROC_A = 1
};""", "test_protocol.x:4: annotation '@readonly' takes no value")

    def test_duplicate_annotation(self):
        self.check_error("""enum test_procedure {
    /** @readonly @readonly */
    TEST_PROC_A = 1
};""", "test_protocol.x:4: annotation '@readonly' given twice")

    def test_duplicate_number(self):
        self.check_error("""enum test_procedure {
    TEST_PROC_A = 1,
    TEST_PROC_B = 2,
    TEST_PROC_C = 0x1
};""", "test_protocol.x:6: duplicate procedure number 1: TEST_PROC_C and "
       "TEST_PROC_A (line 4)")

    def test_event_with_args(self):
        self.check_error("""
struct test_tick_args { int a; };
enum test_procedure {
    /** @event */
    TEST_PROC_TICK = 1
};""", "test_protocol.x:7: TEST_PROC_TICK is an @event but type test_tick_args "
       "exists (events carry only test_tick_msg)")

    def test_msg_without_event(self):
        self.check_error("""
struct test_tick_msg { int a; };
enum test_procedure {
    TEST_PROC_TICK = 1
};""", "test_protocol.x:6: type test_tick_msg exists but TEST_PROC_TICK is "
       "not an @event")

    def test_missing_program(self):
        self.check_error("""
enum test_procedure { TEST_PROC_A = 1 };""",
                         "test_protocol.x:4: enum test_procedure needs the "
                         "constant TEST_PROGRAM",
                         header="const TEST_PROTOCOL_VERSION = 1;\n\n")

    def test_missing_version(self):
        self.check_error("""enum test_procedure { TEST_PROC_A = 1 };""",
                         "test_protocol.x:2: enum test_procedure needs the "
                         "constant TEST_PROTOCOL_VERSION",
                         header="const TEST_PROGRAM = 1;\n")

    def test_missing_both(self):
        self.check_error("enum test_procedure { TEST_PROC_A = 1 };",
                         "test_protocol.x:1: enum test_procedure needs the "
                         "constants TEST_PROGRAM and TEST_PROTOCOL_VERSION",
                         header="")

    def test_unknown_number(self):
        self.check_error("""enum test_procedure {
    TEST_PROC_A = 1,
    TEST_PROC_B = SOME_C_MACRO
};""", "test_protocol.x:5: procedure 'TEST_PROC_B' needs a number (a literal "
       "or a constant of this file)")

    def test_bad_prefix(self):
        self.check_error("""enum test_procedure {
    OTHER_PROC_A = 1
};""", "test_protocol.x:4: procedure 'OTHER_PROC_A' must start with TEST_PROC_")

    def test_stray_annotation(self):
        self.check_error("""enum test_procedure {
    TEST_PROC_A = 1
    /** @readonly */
};""", "test_protocol.x:5: annotation comment is not right before a procedure name")

    def test_no_procedures(self):
        # A program of types only (virnet) still gets every output, empty,
        # so that the build treats all programs alike.
        prog = program("struct s { int a; };", header="")
        self.assertEqual(prog.procedures, [])
        for emit in (gen.emit_server_c, gen.emit_server_h, gen.emit_client_c,
                     gen.emit_client_h, gen.emit_names_c, gen.emit_names_h):
            text = emit(prog)
            self.assertIn("has no procedures: nothing here", text)
            self.assertNotIn("Procs[]", text)


class ModelTest(unittest.TestCase):
    def test_api_names(self):
        # libvirt's public API names keep acronyms in capitals.
        for words, api in [("domain_define_xml", "virDomainDefineXML"),
                           ("domain_lookup_by_uuid", "virDomainLookupByUUID"),
                           ("domain_lookup_by_id", "virDomainLookupByID"),
                           ("domain_get_os_type", "virDomainGetOSType"),
                           ("connect_get_uri", "virConnectGetURI"),
                           ("domain_destroy_flags", "virDomainDestroyFlags")]:
            self.assertEqual(gen.api_name(words.split("_")), api)

    def test_types_by_name(self):
        prog = program("""
struct test_both_args { int a; };
struct test_both_ret { int a; };
typedef int test_only_ret_ret;
union test_only_args_args switch (int d) { default: void; };
struct test_tick_msg { int a; };
struct test_unrelated_args { int a; };
enum test_procedure {
    TEST_PROC_BOTH = 1,
    TEST_PROC_ONLY_RET = 2,
    TEST_PROC_ONLY_ARGS = 3,
    TEST_PROC_NEITHER = 4,
    /** @event */ TEST_PROC_TICK = 5,
    /** @event */ TEST_PROC_EMPTY_EVENT = 6
};""")
        p = procs(prog)
        table = {name: (x.args, x.ret, x.msg) for name, x in p.items()}
        self.assertEqual(table, {
            "TEST_PROC_BOTH": ("test_both_args", "test_both_ret", None),
            "TEST_PROC_ONLY_RET": (None, "test_only_ret_ret", None),
            "TEST_PROC_ONLY_ARGS": ("test_only_args_args", None, None),
            "TEST_PROC_NEITHER": (None, None, None),
            "TEST_PROC_TICK": (None, None, "test_tick_msg"),
            "TEST_PROC_EMPTY_EVENT": (None, None, None),
        })

    def test_names(self):
        prog = program("""
struct lxc_monitor_domain_event_lifecycle_msg { int a; };
enum lxc_monitor_procedure {
    LXC_MONITOR_PROC_PASS_FD_2 = 1,
    /** @event */
    LXC_MONITOR_PROC_DOMAIN_EVENT_LIFECYCLE = 2
};""", header="const LXC_MONITOR_PROGRAM = 1;\n"
              "const LXC_MONITOR_PROTOCOL_VERSION = 1;\n",
            name="lxc_monitor", path="lxc_monitor_protocol.x")
        self.assertEqual(prog.prefix, "lxcMonitor")
        p = procs(prog)
        # handler and stub names keep the API's acronyms
        self.assertEqual(p["LXC_MONITOR_PROC_PASS_FD_2"].pascal, "PassFD2")
        ev = p["LXC_MONITOR_PROC_DOMAIN_EVENT_LIFECYCLE"]
        self.assertEqual(ev.member, "domainEventLifecycle")
        self.assertEqual(ev.msg, "lxc_monitor_domain_event_lifecycle_msg")
        self.assertEqual(gen.camel(["qemu", "agent"], False), "qemuAgent")
        self.assertEqual(gen.program_name_from_path("x/qemu_agent_protocol.x"),
                         "qemu_agent")

    def test_sorted(self):
        prog = program("""enum test_procedure {
    TEST_PROC_C = 30, TEST_PROC_A = 1, TEST_PROC_B = 0x14
};""")
        self.assertEqual([p.number for p in prog.procedures], [1, 20, 30])

    def test_many_procedures_fast(self):
        body = ["enum test_procedure {"]
        structs = []
        for i in range(1, 601):
            structs.append("struct test_p%d_args { int a; hyper b; };" % i)
            structs.append("struct test_p%d_ret { string s<>; };" % i)
            body.append("    /** @exec: worker @readonly @priority: high */")
            body.append("    TEST_PROC_P%d = %d," % (i, i))
        body.append("    TEST_PROC_LAST = 1000\n};")
        text = "\n".join(structs + body)
        start = time.monotonic()
        prog = program(text)
        for emit in (gen.emit_server_c, gen.emit_server_h, gen.emit_client_c,
                     gen.emit_client_h, gen.emit_names_c):
            emit(prog)
        self.assertEqual(len(prog.procedures), 601)
        self.assertLess(time.monotonic() - start, 5.0)


SAMPLE = HEADER + """
typedef string test_str<1024>;
struct test_echo_args { test_str text; hyper h; };
struct test_echo_ret { test_str text; unsigned hyper u; };
struct test_fd_args { int a; };
struct test_tick_msg { unsigned int seq; };
enum test_procedure {
    /** @exec: inline @readonly @noauth */
    TEST_PROC_ECHO = 1,
    /** @fds */
    TEST_PROC_FD = 2,
    /** @event */
    TEST_PROC_TICK = 3,
    /** @event */
    TEST_PROC_PING = 4,
    /** @unimplemented */
    TEST_PROC_OLD = 5,
    TEST_PROC_NOTHING = 6
};
"""


class EmitTest(unittest.TestCase):
    def setUp(self):
        self.prog = gen.load_program(SAMPLE, "test_protocol.x")

    def test_names(self):
        text = gen.emit_names_c(self.prog)
        self.assertIn('case TEST_PROC_ECHO: return "TEST_PROC_ECHO";', text)
        self.assertIn("testProcedureName(int proc)", text)
        self.assertIn("const char *testProcedureName(int proc);",
                      gen.emit_names_h(self.prog))

    def test_server(self):
        c = gen.emit_server_c(self.prog)
        h = gen.emit_server_h(self.prog)
        self.assertIn("""    { .proc = TEST_PROC_ECHO, .name = "TEST_PROC_ECHO",
      .api = "virEcho",
      .func = testDispatchEchoWrapper,
      .arg_size = sizeof(test_echo_args),
      .arg_filter = (xdrproc_t)xdr_test_echo_args,
      .ret_size = sizeof(test_echo_ret),
      .ret_filter = (xdrproc_t)xdr_test_echo_ret,
      .flags = VIR_NET_PROC_READONLY | VIR_NET_PROC_NOAUTH,
      .exec = VIR_NET_EXEC_INLINE,
    },""", c)
        self.assertIn(""".name = "TEST_PROC_OLD",
      .api = "virOld",
      .func = NULL,""", c)
        self.assertIn(""".name = "TEST_PROC_TICK",
      .api = "virTick",
      .func = NULL,""", c)
        self.assertIn("""int testDispatchEcho(virNetServerCall *call,
                     test_echo_args *args,
                     test_echo_ret *ret);""", h)
        self.assertIn("""int testDispatchNothing(virNetServerCall *call);""", h)
        self.assertNotIn("testDispatchOld", h)
        self.assertNotIn("testDispatchTick", h)
        self.assertIn("virNetServerProgramSendEvent(prog, client, TEST_PROC_TICK,\n"
                      "                                        (xdrproc_t)xdr_test_tick_msg, data);", c)
        self.assertIn("int testSendPing(virNetServerProgram *prog,\n"
                      "                 virNetServerClient *client);", h)
        self.assertIn("virNetServerProgram *testServerProgramNew(void);", h)
        self.assertIn('#include "virnetserver.h"', h)
        self.assertIn('#include "test_protocol.h"', h)

    def test_client(self):
        c = gen.emit_client_c(self.prog)
        h = gen.emit_client_h(self.prog)
        self.assertIn("""int testCallFD(virNetClientProgram *prog,
               virNetClient *client,
               size_t ninfds,
               const int *infds,
               size_t *noutfds,
               int **outfds,
               test_fd_args *args);""", h)
        self.assertIn("""    return virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                   TEST_PROC_FD,
                                   ninfds, infds, noutfds, outfds,
                                   (xdrproc_t)xdr_test_fd_args, args,
                                   VIRNETGEN_XDR_VOID, NULL);""", c)
        self.assertIn("TEST_PROC_ECHO, 0, NULL, NULL, NULL,", c)
        self.assertIn("void (*tick)(virNetClientProgram *prog, virNetClient *client,\n"
                      "                 test_tick_msg *msg, void *opaque);", h)
        self.assertIn("void (*ping)(virNetClientProgram *prog, virNetClient *client, "
                      "void *opaque);", h)
        self.assertIn("virNetClientProgram *testClientProgramNew("
                      "const testClientEventHandlers *handlers,", h)
        self.assertNotIn("testCallOld", h)
        self.assertNotIn("testCallTick", h)
        self.assertIn("if (handlers && handlers->tick)", c)
        self.assertIn("      .msg_len = sizeof(test_tick_msg),\n"
                      "      .msg_filter = (xdrproc_t)xdr_test_tick_msg,\n", c)
        self.assertIn("      .msg_len = 0, .msg_filter = VIRNETGEN_XDR_VOID,\n", c)

    def test_client_without_events(self):
        prog = program("enum test_procedure { TEST_PROC_A = 1 };")
        h = gen.emit_client_h(prog)
        c = gen.emit_client_c(prog)
        self.assertIn("virNetClientProgram *testClientProgramNew(void *opaque);", h)
        self.assertNotIn("EventHandlers", h + c)
        self.assertIn("NULL, 0,\n", c)
        self.assertIn("NULL, opaque);", c)


# ---------------------------------------------------------------------------
# Generated glue: the mapping of procedures to C prototypes, and refusals

API_HEADER = """\
#pragma once
typedef struct _tConn tConn;
typedef struct _tRef tRef;
struct _tRef {
    char *name;
    unsigned char uuid[16];
};
void tRefFree(tRef *ref);
void tRefListFree(tRef **list);
typedef struct {
    unsigned long long memory;
    int cpus;
} tInfo;
"""

API_X = HEADER + """
typedef string test_str<64>;
typedef test_str *test_str_opt;
/** @handle: tRef tObj */
struct test_ref { test_str name; opaque uuid[16]; };
"""


class GlueTest(unittest.TestCase):
    """Procedures mapped to the prototypes of a small API header."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="virnetgen-glue-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def run_gen(self, xbody, header_extra, kind="server-c"):
        with open(os.path.join(self.tmp, "tapi.h"), "w", encoding="utf-8") as f:
            f.write(API_HEADER + header_extra)
        path = os.path.join(self.tmp, "test_protocol.x")
        with open(path, "w", encoding="utf-8") as f:
            f.write(API_X + xbody)
        return gen.generate(kind, path, include_dirs=[self.tmp])

    def refused(self, xbody, header_extra, *parts):
        with self.assertRaises(gen.GenError) as ctx:
            self.run_gen(xbody, header_extra)
        text = str(ctx.exception)
        self.assertTrue(text.startswith(os.path.join(self.tmp, "test_protocol.x") + ":"), text)
        for part in parts:
            self.assertIn(part, text)
        return text

    ENUM = """
/** @server-api: tapi.h */
enum test_procedure {
    /** @generate: server */
    TEST_PROC_OBJ_GET = 1
};
"""

    def test_maps_by_name(self):
        c = self.run_gen("""
struct test_obj_get_args { test_ref obj; test_str_opt prefix; unsigned int flags; };
struct test_obj_get_ret { test_str text; };
""" + self.ENUM, "char *virObjGet(tConn *conn, const tRef *obj, const char *prefix,"
                 " unsigned int flags);\n")
        self.assertIn("tRef obj = testRefFromWire(&args->obj);", c)
        self.assertIn("if (!(result = virObjGet(conn, &obj, args->prefix ? *args->prefix : NULL,\n"
                      "                             args->flags)))", c)
        self.assertIn("ret->text = g_steal_pointer(&result);", c)
        self.assertIn("testConnRelease(conn);", c)

    def test_struct_out_and_return_value(self):
        c = self.run_gen("""
struct test_obj_get_args { test_ref obj; };
struct test_obj_get_ret { unsigned hyper memory; int cpus; int state; };
""" + self.ENUM, "int virObjGet(tConn *conn, const tRef *obj, tInfo *info);\n")
        # the members of tInfo by name; the field left over is the return value
        self.assertIn("ret->memory = info.memory;", c)
        self.assertIn("ret->cpus = info.cpus;", c)
        self.assertIn("ret->state = n;", c)

    def test_int_member_holds_narrow_field(self):
        # libvirt's virStoragePoolInfo has an int state, the wire a char
        c = self.run_gen("""
struct test_obj_get_args { test_ref obj; };
struct test_obj_get_ret { unsigned char state; char type; unsigned hyper memory; };
""" + self.ENUM, "int virObjGet(tConn *conn, const tRef *obj, tWide *info);\n"
                 "typedef struct { int state; unsigned int type; "
                 "unsigned long long memory; } tWide;\n")
        self.assertIn("ret->state = info.state;", c)
        self.assertIn("ret->type = info.type;", c)
        # a pointer member still cannot hold a scalar
        self.refused("""
struct test_obj_get_args { test_ref obj; };
struct test_obj_get_ret { char type; };
""" + self.ENUM, "int virObjGet(tConn *conn, const tRef *obj, tBad *info);\n"
                 "typedef struct { int *type; } tBad;\n",
                     "member 'int *type' of tBad cannot hold ret field of shape char")

    def test_unmatched_parameter(self):
        text = self.refused("""
struct test_obj_get_args { test_ref obj; };
""" + self.ENUM, "int virObjGet(tConn *conn, const tRef *obj, unsigned int flags);\n",
                            "TEST_PROC_OBJ_GET (@generate: server, server side)",
                            "no field for parameter 'unsigned int flags' in test_obj_get_args",
                            "mark the procedure @generate: none")
        # the line of the procedure in the .x
        self.assertIn("test_protocol.x:%d:" % (API_X.count("\n") + 7), text)

    def test_unmatched_field(self):
        self.refused("""
struct test_obj_get_args { test_ref obj; int extra; };
""" + self.ENUM, "int virObjGet(tConn *conn, const tRef *obj);\n",
                     "field extra of test_obj_get_args matches no parameter")

    def test_wrong_type(self):
        self.refused("""
struct test_obj_get_args { test_ref obj; test_str count; };
""" + self.ENUM, "int virObjGet(tConn *conn, const tRef *obj, int count);\n",
                     "args field of shape string cannot be passed as 'int count'")

    def test_pointer_return_without_field(self):
        self.refused("""
struct test_obj_get_args { test_ref obj; };
""" + self.ENUM, "char *virObjGet(tConn *conn, const tRef *obj);\n",
                     "returns a pointer but no ret field is left for it")

    def test_two_fields_left(self):
        self.refused("""
struct test_obj_get_args { test_ref obj; };
struct test_obj_get_ret { int a; int b; };
""" + self.ENUM, "int virObjGet(tConn *conn, const tRef *obj);\n",
                     "fields a, b of test_obj_get_ret match no parameter")

    def test_callback_parameter(self):
        self.refused("""
struct test_obj_get_args { test_ref obj; };
""" + self.ENUM, "typedef void (*tCb)(int x);\n"
                 "int virObjGet(tConn *conn, const tRef *obj, void (*cb)(int));\n",
                     "is a function pointer", "@generate: none")

    def test_missing_function(self):
        self.refused("""
struct test_obj_get_args { test_ref obj; };
""" + self.ENUM, "int virObjFetch(tConn *conn, const tRef *obj);\n",
                     "no function virObjGet in tapi.h", "name another with @api")

    def test_api_annotation(self):
        c = self.run_gen("""
struct test_obj_get_args { test_ref obj; };
/** @server-api: tapi.h */
enum test_procedure {
    /** @generate: server @api: virObjFetch */
    TEST_PROC_OBJ_GET = 1
};
""", "int virObjFetch(tConn *conn, const tRef *obj);\n")
        self.assertIn("virObjFetch(conn, &obj)", c)
        self.assertIn("testDispatchObjFetch(virNetServerCall *call", c)

    def test_array_needs_capacity(self):
        self.refused("""
struct test_obj_get_args { test_ref obj; };
struct test_obj_get_ret { int ids<8>; };
""" + self.ENUM, "int virObjGet(tConn *conn, const tRef *obj, int *ids);\n",
                     "the array 'ids' the caller allocates needs its size as the "
                     "parameter maxids")

    def test_array_in_needs_length(self):
        self.refused("""
struct test_obj_get_args { test_ref obj; int ids<8>; };
""" + self.ENUM, "int virObjGet(tConn *conn, const tRef *obj, const int *ids);\n",
                     "the array 'ids' needs its length as the parameter nids or idslen")

    def test_handle_members_must_match(self):
        # a handle whose C struct has a member the wire lacks
        with open(os.path.join(self.tmp, "tapi.h"), "w", encoding="utf-8") as f:
            f.write(API_HEADER.replace("    unsigned char uuid[16];\n",
                                       "    unsigned char uuid[16];\n    int id;\n")
                    + "int virObjGet(tConn *conn, const tRef *obj);\n")
        path = os.path.join(self.tmp, "test_protocol.x")
        with open(path, "w", encoding="utf-8") as f:
            f.write(API_X + "struct test_obj_get_args { test_ref obj; };\n" + self.ENUM)
        with self.assertRaises(gen.GenError) as ctx:
            gen.generate("server-c", path, include_dirs=[self.tmp])
        self.assertIn("@handle: member 'id' of tRef", str(ctx.exception))
        self.assertIn("has no field in test_ref", str(ctx.exception))

    def test_generate_needs_api(self):
        with self.assertRaises(gen.GenError) as ctx:
            program("""
enum test_procedure {
    /** @generate: server */
    TEST_PROC_A = 1
};""")
        self.assertIn("@generate: server needs @server-api", str(ctx.exception))

    def test_generate_required_with_api(self):
        with self.assertRaises(gen.GenError) as ctx:
            program("""
/** @server-api: tapi.h */
enum test_procedure {
    TEST_PROC_A = 1
};""")
        self.assertIn("TEST_PROC_A needs @generate: both | server | client | none",
                      str(ctx.exception))

    def test_relay_only_on_events(self):
        with self.assertRaises(gen.GenError) as ctx:
            program("""
/** @server-api: tapi.h */
enum test_procedure {
    /** @generate: none @relay: tCb @eventid: X */
    TEST_PROC_A = 1
};""")
        self.assertIn("@relay is for an @event", str(ctx.exception))

    def test_unknown_program_annotation(self):
        with self.assertRaises(gen.GenError) as ctx:
            program("""
/** @server-apis: tapi.h */
enum test_procedure { TEST_PROC_A = 1 };""")
        self.assertIn("unknown program annotation '@server-apis'", str(ctx.exception))

    def test_denied_domains(self):
        c = self.run_gen("""
struct test_obj_get_args { test_ref obj; };
/** @server-api: tapi.h
 * @denied-domains: virObj=VIR_FROM_DOMAIN *=VIR_FROM_NONE */
enum test_procedure {
    /** @generate: server */
    TEST_PROC_OBJ_GET = 1,
    /** @generate: none */
    TEST_PROC_OTHER = 2,
    /** @generate: none @readonly */
    TEST_PROC_READ = 3,
    /** @unimplemented @readonly */
    TEST_PROC_OBJ_GONE = 4
};
""", "int virObjGet(tConn *conn, const tRef *obj);\n")
        table = c[c.index("testProcs[] = {"):]
        get = table[table.index('"TEST_PROC_OBJ_GET"'):table.index('"TEST_PROC_OTHER"')]
        other = table[table.index('"TEST_PROC_OTHER"'):table.index('"TEST_PROC_READ"')]
        read = table[table.index('"TEST_PROC_READ"'):table.index('"TEST_PROC_OBJ_GONE"')]
        gone = table[table.index('"TEST_PROC_OBJ_GONE"'):]
        self.assertIn(".denied_domain = VIR_FROM_DOMAIN", get)
        self.assertIn(".denied_domain = VIR_FROM_NONE", other)
        self.assertNotIn(".denied_domain", read)
        # not supported: reported from the object's domain, read-only or not
        self.assertIn(".denied_domain = VIR_FROM_DOMAIN", gone)


class CDeclTest(unittest.TestCase):
    """The header reader the mapping relies on."""

    def test_declarations(self):
        import vngen_cdecl as cdecl
        tmp = tempfile.mkdtemp(prefix="virnetgen-cdecl-")
        self.addCleanup(shutil.rmtree, tmp)
        with open(os.path.join(tmp, "a.h"), "w", encoding="utf-8") as f:
            f.write("""#pragma once
#include "b.h"
#include <stdio.h>
#define MACRO(x) \\
    do { x; } while (0)
/* comment with a fake prototype int nope(void); */
typedef struct _T T;
struct _T { char *name; unsigned char id[16], flag; int (*cb)(void); };
typedef struct { unsigned long long a; char m[8]; } U;
typedef enum { E1 = 1 } E;
typedef void (*Cb)(T *t, const char *s, void *opaque);
static inline int helper(int x) { return x + 1; }
int f(T *t, char **const names, const unsigned char *uuid, unsigned int flags) G_GNUC_WARN_UNUSED_RESULT;
void g(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
int h(void);
""")
        with open(os.path.join(tmp, "b.h"), "w", encoding="utf-8") as f:
            f.write("typedef struct { int b; } B;\n")
        h = cdecl.CHeaders([tmp])
        h.load("a.h")
        # inline function bodies are skipped, their prototypes not needed
        self.assertEqual(set(h.functions), {"f", "g", "h"})
        f_ = h.functions["f"]
        self.assertEqual([p.spelled() for p in f_.params],
                         ["T *t", "char **names", "const unsigned char *uuid",
                          "unsigned int flags"])
        self.assertTrue(h.functions["g"].variadic)
        self.assertEqual(h.functions["h"].params, [])
        st = h.struct("T")
        self.assertEqual([m.name for m in st.members], ["name", "id", "flag", None])
        self.assertEqual(st.members[1].ctype.dims, ["16"])
        self.assertEqual(st.members[2].ctype.spelled(), "unsigned char")
        self.assertEqual([m.spelled() for m in h.struct("U").members],
                         ["unsigned long long a", "char m[8]"])
        self.assertIn("B", h.structs)
        cb = h.funcptrs["Cb"]
        self.assertEqual([p.name for p in cb.params], ["t", "s", "opaque"])
        self.assertEqual(h.resolve(cdecl.CType("E")).base, "int")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def tool(name):
    return shutil.which(name)


def tirpc_cflags():
    if not tool("pkg-config"):
        return None
    res = subprocess.run(["pkg-config", "--cflags", "libtirpc"],
                         capture_output=True, text=True, check=False)
    return res.stdout.split() if res.returncode == 0 else None


class CompileTest(unittest.TestCase):
    """rpcgen + fix-ups + stubs compile with -Wall -Wextra -Werror."""

    KINDS = {"xdr-h": "%s_protocol.h", "xdr-c": "%s_protocol.c",
             "names-h": "%s_protocol_names.h", "names-c": "%s_protocol_names.c",
             "server-h": "%s_protocol_server.h", "server-c": "%s_protocol_server.c",
             "client-h": "%s_protocol_client.h", "client-c": "%s_protocol_client.c"}

    def setUp(self):
        self.rpcgen = os.environ.get("RPCGEN") or tool("rpcgen")
        self.cc = os.environ.get("CC") or tool("gcc") or tool("cc")
        self.cflags = tirpc_cflags()
        if not (self.rpcgen and self.cc and self.cflags is not None):
            self.skipTest("needs rpcgen, a C compiler and libtirpc")
        self.tmp = tempfile.mkdtemp(prefix="virnetgen-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def generate_all(self, name, text, kinds):
        src = os.path.join(self.tmp, "%s_protocol.x" % name)
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        outputs = []
        for kind in kinds:
            out = os.path.join(self.tmp, self.KINDS[kind] % name)
            rc = gen.main(["--rpcgen", self.rpcgen, kind, src, out])
            self.assertEqual(rc, 0, kind)
            outputs.append(out)
        return outputs

    def compile(self, path):
        args = [self.cc, "-std=gnu11", "-fsyntax-only", "-Wall", "-Wextra",
                "-Wshadow", "-Wformat=2", "-Werror", "-I", self.tmp,
                "-I", os.path.join(SRCDIR, "src", "util"),
                "-I", os.path.join(SRCDIR, "src", "rpc")] + self.cflags + [path]
        glib = subprocess.run(["pkg-config", "--cflags", "glib-2.0"],
                              capture_output=True, text=True, check=False)
        args[1:1] = glib.stdout.split()
        res = subprocess.run(args, capture_output=True, text=True, check=False)
        self.assertEqual(res.returncode, 0, "%s:\n%s" % (path, res.stderr))

    def test_sample(self):
        text = SAMPLE.replace("test_str", "test_str_t") + """
struct test_inline { int a; int b; int c; int d; unsigned int e[4]; hyper f; };
union test_u switch (int d) { case 1: unsigned hyper x; default: void; };
typedef opaque test_uuid[16];
typedef test_inline *test_ptr;
"""
        self.generate_virnet_header()
        outputs = self.generate_all("test", text, self.KINDS)
        header = read(outputs[0])
        code = read(outputs[1])
        self.assertIn("Generated by generators/virnetgen.py from protocol/test_protocol.x", header)
        self.assertIn("#ifndef TEST_PROTOCOL_H", header)
        self.assertIn("#include <stdint.h>", header)
        self.assertNotIn("quad_t", header + code)
        self.assertIn("int64_t h;", header)
        self.assertIn("uint64_t u;", header)
        self.assertIn("xdr_uint64_t(xdrs, &objp->u)", code)
        self.assertNotIn("K&R", header)
        self.assertIn('#include "test_protocol.h"', code)
        # buf stays only where rpcgen's inline code uses it
        self.assertEqual(code.count("int32_t *buf;"), 1)
        for out in outputs:
            if out.endswith(".c"):
                self.compile(out)

    def generate_virnet_header(self):
        """The stubs include virnetserver.h, which includes virnet_protocol.h."""
        path = os.path.join(SRCDIR, "protocol", "virnet_protocol.x")
        with open(path, encoding="utf-8") as f:
            self.generate_all("virnet", f.read(), ["xdr-h"])

    def test_typed_params_glue(self):
        """Typed parameters both ways, through an API with a function
        prefix (@server-api HEADER PREFIX): the handlers call the prefixed
        functions and encode with the flags argument virnettypedparams.h
        takes (the compile catches a wrong arity)."""
        self.generate_virnet_header()
        with open(os.path.join(self.tmp, "tpapi.h"), "w", encoding="utf-8") as f:
            f.write("#pragma once\n#include \"virtypedparams.h\"\n"
                    "typedef struct _tpConn tpConn;\n"
                    "int tpxGetParams(tpConn *conn, virTypedParameter **params, int *nparams,\n"
                    "                 unsigned int flags);\n"
                    "int tpxGetFlagged(tpConn *conn, virTypedParameter *params, int *nparams,\n"
                    "                  unsigned int flags);\n"
                    "int tpxSetParams(tpConn *conn, virTypedParameter *params, int nparams,\n"
                    "                 unsigned int flags);\n")
        text = """%#include "virnet_protocol.h"
const TP_PROGRAM = 0x54500001;
const TP_PROTOCOL_VERSION = 1;
const TP_MAX = 16;
struct tp_get_params_args { unsigned int flags; };
struct tp_get_params_ret { virNetMessageTypedParam params<TP_MAX>; };
struct tp_get_flagged_args { int nparams; unsigned int flags; };
struct tp_get_flagged_ret { virNetMessageTypedParam params<TP_MAX>; int nparams; };
struct tp_set_params_args { virNetMessageTypedParam params<TP_MAX>; unsigned int flags; };
/** @server-api: tpapi.h tpx */
enum tp_procedure {
    /** @generate: server */
    TP_PROC_GET_PARAMS = 1,
    /** @generate: server */
    TP_PROC_GET_FLAGGED = 2,
    /** @generate: server */
    TP_PROC_SET_PARAMS = 3
};
"""
        src = os.path.join(self.tmp, "tp_protocol.x")
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        outputs = []
        for kind in ("xdr-h", "server-h", "server-c"):
            out = os.path.join(self.tmp, self.KINDS[kind] % "tp")
            rc = gen.main(["--rpcgen", self.rpcgen, "-I", self.tmp,
                           "-I", os.path.join(SRCDIR, "src", "util"), kind, src, out])
            self.assertEqual(rc, 0, kind)
            outputs.append(out)
        code = read(outputs[2])
        self.assertIn("tpxGetParams(conn, &params, &nparams", code)
        self.assertIn("tpxSetParams(conn, params, nparams", code)
        # callee-allocated: everything goes back; caller-allocated: as the
        # caller's flags say
        self.assertIn("VIR_TYPED_PARAM_STRING_OKAY,", code)
        self.assertIn("TP_MAX, args->flags,", code)
        self.compile(outputs[2])

    def test_project_protocols(self):
        self.generate_virnet_header()
        for name in ("virnet", "keepalive", "demo"):
            path = os.path.join(SRCDIR, "protocol", "%s_protocol.x" % name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            kinds = list(self.KINDS) if name != "virnet" else ["xdr-h", "xdr-c"]
            for out in self.generate_all(name, text, kinds):
                if out.endswith(".c"):
                    self.compile(out)


class CommandLineTest(unittest.TestCase):
    def test_error_leaves_no_output(self):
        tmp = tempfile.mkdtemp(prefix="virnetgen-")
        self.addCleanup(shutil.rmtree, tmp)
        src = os.path.join(tmp, "bad_protocol.x")
        with open(src, "w", encoding="utf-8") as f:
            f.write("const BAD_PROGRAM = 1;\nconst BAD_PROTOCOL_VERSION = 1;\n"
                    "enum bad_procedure {\n  /** @exec: never */\n"
                    "  BAD_PROC_X = 1\n};\n")
        out = os.path.join(tmp, "bad_protocol_server.c")
        res = subprocess.run([sys.executable, os.path.join(SRCDIR, "generators",
                                                           "virnetgen.py"),
                              "server-c", src, out],
                             capture_output=True, text=True, check=False)
        self.assertEqual(res.returncode, 1)
        self.assertEqual(res.stderr.strip(), "%s:4: bad @exec value 'never' "
                         "(expected inline | prio | worker)" % src)
        self.assertFalse(os.path.exists(out))
        self.assertFalse(os.path.exists(out + ".tmp"))

    def test_bad_file_name(self):
        with self.assertRaises(gen.GenError) as ctx:
            gen.program_name_from_path("protocol/demo.x")
        self.assertIn("NAME_protocol.x", str(ctx.exception))


if __name__ == "__main__":
    unittest.main(verbosity=2)
