#!/usr/bin/env python3
"""virnetgen.py: turn a protocol/NAME_protocol.x file into C for virtnet.

Pipeline
--------
1. Lex and parse the .x file (a small hand-written parser for the subset of
   the XDR language that rpcgen accepts): constants, type names (struct,
   union, enum, typedef) and every enum with its members and the `/** ... */`
   comments written right before each member.
2. Build the program model: the enum `NAME_procedure` lists the procedures
   (`NAME_UPPER_PROC_X = n`); each one's annotations give its flags and exec
   class, and its argument / result / event types are found by name
   (`name_x_args`, `name_x_ret`, `name_x_msg`, void when absent).
3. Emit one output file per invocation:
     xdr-h, xdr-c         rpcgen -h / -c output, fixed up to compile clean
     names-h, names-c     NAME_protocol_names.{h,c}: procedure number -> name
     server-h, server-c   NAME_protocol_server.{h,c}: dispatch table, handler
                          prototypes, event send stubs
     client-h, client-c   NAME_protocol_client.{h,c}: call stubs, event table
     list                 a plain-text summary of the procedures (debugging)

Usage: virnetgen.py [--rpcgen RPCGEN] KIND INPUT.x [OUTPUT]
(OUTPUT omitted: write to stdout). Errors are reported as "file:line: ..."
and the output file is left untouched. Standard library only.
"""

import argparse
import os
import re
import subprocess
import sys

# The helper modules (vngen_*.py) live next to this script.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


class GenError(Exception):
    """An error in the input, reported as file:line: message."""

    def __init__(self, path, line, message):
        super().__init__("%s:%s: %s" % (path, line, message))
        self.path = path
        self.line = line
        self.message = message


# ---------------------------------------------------------------------------
# Lexer

TOKEN_RE = re.compile(r"""
    (?P<space>[ \t\r\f\v]+)
  | (?P<newline>\n)
  | (?P<comment>/\*.*?\*/)
  | (?P<badcomment>/\*)
  | (?P<linecomment>//[^\n]*)
  | (?P<passthrough>(?<![^\n])[%\#][^\n]*)
  | (?P<number>-?(?:0[xX][0-9a-fA-F]+|[0-9]+))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[{}()\[\]<>;,=*:])
""", re.VERBOSE | re.DOTALL)


class Token:
    """One token; docs are the /** */ comments seen since the last token."""
    __slots__ = ("kind", "text", "line", "docs")

    def __init__(self, kind, text, line, docs):
        self.kind = kind
        self.text = text
        self.line = line
        self.docs = docs

    def __repr__(self):
        return "Token(%s %r @%d)" % (self.kind, self.text, self.line)


def is_doc_comment(text):
    """A `/** ... */` comment (but not the empty `/**/`)."""
    return text.startswith("/**") and text != "/**/"


def tokenize(text, path, passthrough=None):
    """Split text into Tokens, dropping blanks, comments and % / # lines
    (collected into passthrough as (text, line) when a list is given)."""
    tokens = []
    docs = []
    line = 1
    pos = 0
    end = len(text)
    while pos < end:
        m = TOKEN_RE.match(text, pos)
        if not m:
            raise GenError(path, line, "unexpected character %r" % text[pos])
        kind = m.lastgroup
        value = m.group()
        if kind == "badcomment":
            raise GenError(path, line, "unterminated comment")
        if kind == "comment" and is_doc_comment(value):
            docs.append((value, line))
        elif kind == "passthrough" and passthrough is not None:
            passthrough.append((value, line))
        elif kind in ("number", "ident", "punct"):
            tokens.append(Token(kind, value, line, docs))
            docs = []
        line += value.count("\n")
        pos = m.end()
    tokens.append(Token("eof", "", line, docs))
    return tokens


# ---------------------------------------------------------------------------
# Parser

class EnumMember:
    __slots__ = ("name", "value", "line", "docs")

    def __init__(self, name, value, line, docs):
        self.name = name
        self.value = value
        self.line = line
        self.docs = docs


class XdrEnum:
    def __init__(self, name, line, docs=()):
        self.name = name
        self.line = line
        self.docs = list(docs)  # /** */ comments right before `enum`
        self.members = []
        self.stray_docs = []   # /** */ comments not right before a member


class XdrDecl:
    """One declaration: a struct field, a union arm or a typedef.
    base is a type name ("int", "unsigned hyper", "opaque", "string",
    "remote_dom", ...); kind is plain, fixed (`x[N]`), var (`x<N>`) or opt
    (`*x`); size is the bound's value (None: unbounded or not known here)
    and size_text its spelling (a constant's name stays a name in C)."""
    __slots__ = ("name", "base", "kind", "size", "size_text", "line", "docs")

    def __init__(self, name, base, kind, size, size_text, line, docs=()):
        self.name = name
        self.base = base
        self.kind = kind
        self.size = size
        self.size_text = size_text
        self.line = line
        self.docs = list(docs)


class XdrStruct:
    def __init__(self, name, line, docs):
        self.name = name
        self.line = line
        self.docs = list(docs)
        self.fields = []


class XdrUnion:
    def __init__(self, name, line, docs):
        self.name = name
        self.line = line
        self.docs = list(docs)
        self.discriminant = None
        self.arms = []          # (case values as text, XdrDecl)


class XdrFile:
    """What the generator needs from a .x file."""

    def __init__(self, path):
        self.path = path
        self.consts = {}     # name -> int value (None: defined outside)
        self.types = {}      # name -> (kind, line)
        self.enums = {}      # name -> XdrEnum
        self.enum_values = {}  # member name -> int value
        self.structs = {}    # name -> XdrStruct
        self.unions = {}     # name -> XdrUnion
        self.typedefs = {}   # name -> XdrDecl
        self.passthrough = []  # (text, line) of % and # lines
        self.imports = []    # XdrFile of each %#include "X_protocol.h"


def parse_int(text):
    """An XDR integer literal: decimal, 0x hex or 0 octal, maybe negative."""
    digits = text.lstrip("-")
    if len(digits) > 1 and digits[0] == "0" and digits[1] not in "xX":
        return int(text, 8)
    return int(text, 0)


SIMPLE_TYPES = frozenset("int hyper float double quadruple bool char short long "
                         "opaque string void".split())


class Parser:
    """Recursive-descent parser over the token list."""

    def __init__(self, text, path):
        self.path = path
        self.xdr = XdrFile(path)
        self.tokens = tokenize(text, path, self.xdr.passthrough)
        self.pos = 0

    # -- token helpers
    def peek(self):
        return self.tokens[self.pos]

    def next(self):
        tok = self.tokens[self.pos]
        if tok.kind != "eof":
            self.pos += 1
        return tok

    def error(self, tok, message):
        raise GenError(self.path, tok.line, message)

    def expect(self, text):
        tok = self.next()
        if tok.text != text:
            self.error(tok, "expected '%s', got %s" % (text, describe(tok)))
        return tok

    def expect_ident(self, what):
        tok = self.next()
        if tok.kind != "ident":
            self.error(tok, "expected %s, got %s" % (what, describe(tok)))
        return tok

    def skip_balanced(self, open_text, close_text):
        """Skip from an opening bracket (already read) to its match."""
        depth = 1
        while depth:
            tok = self.next()
            if tok.kind == "eof":
                self.error(tok, "missing '%s'" % close_text)
            if tok.text == open_text:
                depth += 1
            elif tok.text == close_text:
                depth -= 1

    def value_tok(self):
        """A number or a constant's name: (value, spelling). The value is
        None when the name is not defined here (a C macro from a
        %#include, left to rpcgen)."""
        tok = self.next()
        if tok.kind == "number":
            return parse_int(tok.text), tok.text
        if tok.kind == "ident":
            if tok.text in self.xdr.consts:
                return self.xdr.consts[tok.text], tok.text
            return self.xdr.enum_values.get(tok.text), tok.text
        self.error(tok, "expected a value, got %s" % describe(tok))

    def value(self):
        return self.value_tok()[0]

    def define_type(self, tok, kind):
        if tok.text in self.xdr.types:
            self.error(tok, "type '%s' defined twice (first at line %d)"
                       % (tok.text, self.xdr.types[tok.text][1]))
        self.xdr.types[tok.text] = (kind, tok.line)

    # -- definitions
    def parse(self):
        handlers = {
            "const": self.parse_const,
            "typedef": self.parse_typedef,
            "struct": self.parse_struct,
            "enum": self.parse_enum,
            "union": self.parse_union,
        }
        while True:
            tok = self.next()
            if tok.kind == "eof":
                return self.xdr
            if tok.text == ";":
                continue
            handler = handlers.get(tok.text)
            if handler is None:
                self.error(tok, "expected a definition (const, typedef, "
                           "struct, enum, union), got %s" % describe(tok))
            handler(tok)

    def parse_const(self, _kw):
        name = self.expect_ident("a constant name")
        self.expect("=")
        if name.text in self.xdr.consts:
            self.error(name, "constant '%s' defined twice" % name.text)
        self.xdr.consts[name.text] = self.value()
        self.expect(";")

    def type_spec(self, closing):
        """A type specifier: its name ("unsigned int", "remote_dom")."""
        tok = self.next()
        if tok.kind == "eof":
            self.error(tok, "missing '%s'" % closing)
        if tok.text == "unsigned":
            if self.peek().text in ("int", "hyper", "char", "short", "long"):
                return "unsigned " + self.next().text
            return "unsigned int"
        if tok.text in ("struct", "enum", "union"):
            name = self.expect_ident("a %s name" % tok.text)
            if self.peek().text == "{":      # a nested definition: opaque to us
                self.next()
                self.skip_balanced("{", "}")
                return "%s %s" % (tok.text, name.text)
            if tok.text == "union" and self.peek().text == "switch":
                self.next()
                self.expect("(")
                self.skip_balanced("(", ")")
                self.expect("{")
                self.skip_balanced("{", "}")
                return "union %s" % name.text
            return name.text
        if tok.kind != "ident":
            self.error(tok, "expected a type, got %s" % describe(tok))
        return tok.text

    def declaration(self, closing, docs=()):
        """type-specifier declarator: an XdrDecl (name None for `void`)."""
        first = self.peek()
        docs = list(docs) + list(first.docs)
        base = self.type_spec(closing)
        if base == "void" and self.peek().text != "*" and self.peek().kind != "ident":
            return XdrDecl(None, "void", "plain", None, None, first.line, docs)
        kind = "plain"
        if self.peek().text == "*":
            self.next()
            kind = "opt"
        name = self.expect_ident("a name")
        size, size_text = None, None
        if self.peek().text == "[":
            self.next()
            size, size_text = self.value_tok()
            self.expect("]")
            kind = "fixed" if kind == "plain" else self.error(name, "an optional array")
        elif self.peek().text == "<":
            self.next()
            if self.peek().text != ">":
                size, size_text = self.value_tok()
            self.expect(">")
            kind = "var" if kind == "plain" else self.error(name, "an optional array")
        return XdrDecl(name.text, base, kind, size, size_text, name.line, docs)

    def parse_typedef(self, kw):
        decl = self.declaration(";", kw.docs)
        if decl.name is None:
            self.error(kw, "typedef without a name")
        self.expect(";")
        tok = Token("ident", decl.name, decl.line, [])
        self.define_type(tok, "typedef")
        self.xdr.typedefs[decl.name] = decl

    def parse_struct(self, kw):
        name = self.expect_ident("a struct name")
        self.expect("{")
        struct = XdrStruct(name.text, name.line, kw.docs)
        while self.peek().text != "}":
            if self.peek().kind == "eof":
                self.error(self.peek(), "missing '}'")
            decl = self.declaration("}")
            if decl.name is None:
                self.error(self.peek(), "a struct field cannot be void")
            struct.fields.append(decl)
            self.expect(";")
        self.next()
        self.expect(";")
        self.define_type(name, "struct")
        self.xdr.structs[name.text] = struct

    def parse_union(self, kw):
        name = self.expect_ident("a union name")
        self.expect("switch")
        self.expect("(")
        union = XdrUnion(name.text, name.line, kw.docs)
        union.discriminant = self.declaration(")")
        self.expect(")")
        self.expect("{")
        while self.peek().text != "}":
            tok = self.next()
            if tok.kind == "eof":
                self.error(tok, "missing '}'")
            cases = []
            if tok.text == "default":
                cases.append("default")
                self.expect(":")
            elif tok.text == "case":
                cases.append(self.value_tok()[1])
                self.expect(":")
                while self.peek().text == "case":
                    self.next()
                    cases.append(self.value_tok()[1])
                    self.expect(":")
            else:
                self.error(tok, "expected 'case' or 'default', got %s" % describe(tok))
            union.arms.append((cases, self.declaration("}")))
            self.expect(";")
        self.next()
        self.expect(";")
        self.define_type(name, "union")
        self.xdr.unions[name.text] = union

    def parse_enum(self, kw):
        name = self.expect_ident("an enum name")
        self.expect("{")
        enum = XdrEnum(name.text, name.line, kw.docs)
        self.define_type(name, "enum")
        self.xdr.enums[enum.name] = enum
        next_value = 0
        while True:
            tok = self.next()
            if tok.text == "}":
                enum.stray_docs += tok.docs
                break
            if tok.kind != "ident":
                self.error(tok, "expected an enum member, got %s" % describe(tok))
            if self.peek().text == "=":
                enum.stray_docs += self.next().docs
                enum.stray_docs += self.peek().docs
                next_value = self.value()
            enum.members.append(EnumMember(tok.text, next_value, tok.line,
                                           tok.docs))
            self.xdr.enum_values[tok.text] = next_value
            if next_value is not None:
                next_value += 1
            sep = self.next()
            enum.stray_docs += sep.docs
            if sep.text == "}":
                break
            if sep.text != ",":
                self.error(sep, "expected ',' or '}', got %s" % describe(sep))
        self.expect(";")


def describe(tok):
    return "end of file" if tok.kind == "eof" else "'%s'" % tok.text


def check_stray_docs(path, enum):
    """An annotation comment must sit right before a procedure's name."""
    for text, line in enum.stray_docs:
        if "@" in text:
            raise GenError(path, line, "annotation comment is not right "
                           "before a procedure name")


def parse_xdr(text, path):
    return Parser(text, path).parse()


# ---------------------------------------------------------------------------
# Program model

EXEC_CLASSES = {
    "inline": "VIR_NET_EXEC_INLINE",
    "prio": "VIR_NET_EXEC_PRIO",
    "worker": "VIR_NET_EXEC_WORKER",
}

# annotation -> allowed values (None: takes no value; IDENT: any identifier)
IDENT = "IDENT"
ANNOTATIONS = {
    "exec": ("inline", "prio", "worker"),
    "priority": ("high", "low"),
    "readonly": None,
    "noauth": None,
    "event": None,
    "unimplemented": None,
    "fds": None,
    "generate": ("both", "server", "client", "none"),
    "api": IDENT,
    "relay": IDENT,
    "eventid": IDENT,
    # the server's words for a size over the protocol's limit in an array
    # the caller allocates: gendispatch's (VIR_ERR_RPC "maxX > LIMIT", the
    # default), or those of libvirtd's hand-written handlers
    # (VIR_ERR_INTERNAL_ERROR, "maxX > LIMIT" or "maxX too large")
    "limit-error": ("rpc", "internal", "too-large"),
}

# Annotations of a program (the /** */ comment right before `enum
# NAME_procedure`) and of a type (right before `struct`): a value is the
# rest of its line.
PROGRAM_ANNOTATIONS = ("server-api", "client-api", "denied-domains")
TYPE_ANNOTATIONS = {"handle": 2, "typed-param": 0}

ANNOTATION_RE = re.compile(r"@([\w-]*)(?:[ \t]*(:)[ \t]*([\w-]*))?")
LINE_ANNOTATION_RE = re.compile(r"@([\w-]+)[ \t]*(?::[ \t]*([^\n]*?))?[ \t]*(?:\*/)?$",
                                re.MULTILINE)

C_KEYWORDS = frozenset("""
    auto break case char const continue default do double else enum extern
    float for goto if inline int long register restrict return short signed
    sizeof static struct switch typedef union unsigned void volatile while
    bool true false
""".split())


def parse_annotations(docs, path):
    """Map annotation name -> value (True for flags) from /** */ comments."""
    found = {}
    for text, first_line in docs:
        for m in ANNOTATION_RE.finditer(text):
            line = first_line + text.count("\n", 0, m.start())
            name, colon, value = m.group(1), m.group(2), m.group(3)
            if name not in ANNOTATIONS:
                raise GenError(path, line, "unknown annotation '@%s' (known: %s)"
                               % (name, ", ".join("@" + a for a in ANNOTATIONS)))
            if name in found:
                raise GenError(path, line, "annotation '@%s' given twice" % name)
            allowed = ANNOTATIONS[name]
            if allowed is None:
                if colon:
                    raise GenError(path, line, "annotation '@%s' takes no value"
                                   % name)
                found[name] = True
            elif not colon or not value:
                raise GenError(path, line, "annotation '@%s' needs a value: %s"
                               % (name, "a name" if allowed == IDENT else " | ".join(allowed)))
            elif allowed == IDENT:
                if not re.match(r"^[A-Za-z_]\w*$", value):
                    raise GenError(path, line, "bad @%s value '%s' (expected a C name)"
                                   % (name, value))
                found[name] = value
            elif value not in allowed:
                raise GenError(path, line, "bad @%s value '%s' (expected %s)"
                               % (name, value, " | ".join(allowed)))
            else:
                found[name] = value
    return found


def parse_line_annotations(docs, path, known, what):
    """{name: (value words, line)} of `@name: words` lines in docs."""
    found = {}
    for text, first_line in docs:
        for m in LINE_ANNOTATION_RE.finditer(text):
            line = first_line + text.count("\n", 0, m.start())
            name, value = m.group(1), (m.group(2) or "").strip()
            if name not in known:
                raise GenError(path, line, "unknown %s annotation '@%s' (known: %s)"
                               % (what, name, ", ".join("@" + a for a in known)))
            if name in found:
                raise GenError(path, line, "annotation '@%s' given twice" % name)
            found[name] = (value.split(), line)
    return found


# Words libvirt's API names write in capitals (virDomainDefineXML,
# virDomainLookupByUUID, virDomainGetOSType, ...) or in their own case.
API_ACRONYMS = {"XML", "UUID", "ID", "URI", "OS", "CPU", "SASL", "TLS", "NUMA",
                "PCI", "MAC", "IP", "FD", "FDS", "SCSI", "WWN", "DHCP", "NMI",
                "PM", "SEV", "SSH", "TCP", "UNIX"}
API_WORDS = {"IOTHREAD": "IOThread", "NWFILTER": "NWFilter", "FSTRIM": "FSTrim",
             "FSFREEZE": "FSFreeze", "FSTHAW": "FSThaw", "FSINFO": "FSInfo"}


def api_word(word):
    upper = word.upper()
    if upper in API_WORDS:
        return API_WORDS[upper]
    return upper if upper in API_ACRONYMS else word.lower().capitalize()


def api_name(words):
    """['domain', 'define', 'xml'] -> virDomainDefineXML: the public API a
    procedure stands for, used in messages such as access refusals."""
    return "vir" + "".join(api_word(w) for w in words if w)


def camel(words, upper_first):
    """['domain', 'event'] -> domainEvent / DomainEvent."""
    out = []
    for i, word in enumerate(w for w in words if w):
        word = word.lower()
        out.append(word.capitalize() if (i or upper_first) else word)
    return "".join(out)


class Procedure:
    """One entry of the procedure enum, with everything derived from it."""

    def __init__(self, program, member, path):
        self.name = member.name
        self.number = member.value
        self.line = member.line
        self.docs = member.docs
        self.suffix = member.name[len(program.proc_prefix):]
        words = self.suffix.split("_")
        self.member = camel(words, False)
        notes = parse_annotations(member.docs, path)
        self.notes = notes
        self.api = notes.get("api") or api_name(words)
        # Handler, stub and API names keep the API's acronyms:
        # remoteDispatchDomainLookupByUUID calls virDomainLookupByUUID.
        self.pascal = self.api[3:] if self.api.startswith("vir") else self.api
        self.event = "event" in notes
        self.unimplemented = "unimplemented" in notes
        self.fds = "fds" in notes
        self.readonly = "readonly" in notes
        self.noauth = "noauth" in notes
        self.priority = notes.get("priority") == "high"
        self.exec_name = notes.get("exec") or ("prio" if self.priority else "worker")
        self.generate = notes.get("generate")
        base = "%s_%s" % (program.name, self.suffix.lower())
        self.args = base + "_args" if base + "_args" in program.types else None
        self.ret = base + "_ret" if base + "_ret" in program.types else None
        self.msg = base + "_msg" if base + "_msg" in program.types else None
        self.check(path, base, program)

    def check(self, path, base, program):
        if not re.match(r"^[A-Z0-9]+(_[A-Z0-9]+)*$", self.suffix):
            raise GenError(path, self.line, "procedure name '%s' must be "
                           "UPPER_CASE words" % self.name)
        if self.event:
            for kind in ("args", "ret"):
                if getattr(self, kind):
                    raise GenError(path, self.line, "%s is an @event but type "
                                   "%s_%s exists (events carry only %s_msg)"
                                   % (self.name, base, kind, base))
        elif self.msg:
            raise GenError(path, self.line, "type %s_msg exists but %s is not "
                           "an @event" % (base, self.name))
        if self.event and not self.unimplemented and self.member in C_KEYWORDS:
            raise GenError(path, self.line, "event member name '%s' is a C "
                           "keyword" % self.member)
        if ("relay" in self.notes) != ("eventid" in self.notes):
            raise GenError(path, self.line, "%s: @relay and @eventid go together"
                           % self.name)
        if "relay" in self.notes:
            if not self.event:
                raise GenError(path, self.line, "%s: @relay is for an @event" % self.name)
            if not program.server_api:
                raise GenError(path, self.line, "%s: @relay needs @server-api on the "
                               "procedure enum" % self.name)
        if self.generate and not self.has_handler:
            raise GenError(path, self.line, "%s is %s: @generate does not apply"
                           % (self.name, "an @event" if self.event else "@unimplemented"))
        if self.has_handler and (program.server_api or program.client_api):
            if not self.generate:
                raise GenError(path, self.line, "%s needs @generate: both | server | "
                               "client | none (the %s program has an API)"
                               % (self.name, program.name))
        if self.generate in ("server", "both") and not program.server_api:
            raise GenError(path, self.line, "@generate: %s needs @server-api on the "
                           "procedure enum" % self.generate)
        if self.generate in ("client", "both") and not program.client_api:
            raise GenError(path, self.line, "@generate: %s needs @client-api on the "
                           "procedure enum" % self.generate)
        if "limit-error" in self.notes and self.generate not in ("server", "both"):
            raise GenError(path, self.line, "%s: @limit-error is for a generated server "
                           "handler" % self.name)
        if not self.generate:
            self.generate = "none"

    @property
    def flags(self):
        names = []
        if self.readonly:
            names.append("VIR_NET_PROC_READONLY")
        if self.noauth:
            names.append("VIR_NET_PROC_NOAUTH")
        if self.priority:
            names.append("VIR_NET_PROC_PRIORITY")
        if self.event:
            names.append("VIR_NET_PROC_EVENT")
        return names

    @property
    def exec_class(self):
        return EXEC_CLASSES[self.exec_name]

    @property
    def has_handler(self):
        """A call we answer: a server handler and a client call stub."""
        return not self.event and not self.unimplemented

    @property
    def relay(self):
        return self.notes.get("relay")

    @property
    def event_kind(self):
        """Domain for DOMAIN_EVENT_..., StoragePool for STORAGE_POOL_EVENT_..."""
        words = self.suffix.split("_")
        if "EVENT" not in words:
            return None
        return "".join(api_word(w) for w in words[:words.index("EVENT")])

    @property
    def server_generated(self):
        return self.has_handler and self.generate in ("server", "both")

    @property
    def client_generated(self):
        return self.has_handler and self.generate in ("client", "both")

    def annotation_text(self):
        parts = []
        for name in ANNOTATIONS:
            value = self.notes.get(name)
            if value is True:
                parts.append("@" + name)
            elif value:
                parts.append("@%s: %s" % (name, value))
        return " ".join(parts)


class Program:
    """A protocol file: its name, constants, types and sorted procedures."""

    def __init__(self, xdr, name):
        self.path = xdr.path
        self.xdr = xdr
        self.name = name
        self.upper = name.upper()
        self.prefix = camel(name.split("_"), False)
        self.proc_prefix = self.upper + "_PROC_"
        self.program_const = self.upper + "_PROGRAM"
        self.version_const = self.upper + "_PROTOCOL_VERSION"
        self.types = dict(xdr.types)
        self.server_api = None      # (header, line, function prefix or None)
        self.client_api = None      # (header, prefix, line)
        self.denied_domains = []    # [(API name prefix, VIR_FROM_X)], longest first
        self.handles = {}
        self.typed_param = None
        self.procedures = []
        self.load_types(xdr)
        enum = xdr.enums.get(name + "_procedure")
        if enum is not None:
            self.load_program_annotations(enum)
            self.load_procedures(xdr, enum)

    def load_types(self, xdr):
        """Handles and typed parameters, here and in imported files."""
        from vngen_shapes import Handle
        seen = []

        def walk(x):
            if x in seen:
                return
            seen.append(x)
            for imp in x.imports:
                walk(imp)
            for struct in x.structs.values():
                notes = parse_line_annotations(struct.docs, x.path, TYPE_ANNOTATIONS, "type")
                for note, (words, line) in notes.items():
                    if len(words) != TYPE_ANNOTATIONS[note]:
                        raise GenError(x.path, line, "@%s takes %s" % (
                            note, "SERVERTYPE CLIENTTYPE" if note == "handle" else "no value"))
                    if note == "handle":
                        self.handles[struct.name] = Handle(struct, words[0], words[1])
                    else:
                        if self.typed_param and self.typed_param != struct.name:
                            raise GenError(x.path, line, "a second @typed-param type")
                        self.typed_param = struct.name
        walk(xdr)

    def load_program_annotations(self, enum):
        notes = parse_line_annotations(enum.docs, self.path, PROGRAM_ANNOTATIONS, "program")
        if "server-api" in notes:
            words, line = notes["server-api"]
            if len(words) not in (1, 2):
                raise GenError(self.path, line, "@server-api takes HEADER [PREFIX]")
            self.server_api = (words[0], line, words[1] if len(words) == 2 else None)
        if "client-api" in notes:
            words, line = notes["client-api"]
            if len(words) != 2:
                raise GenError(self.path, line, "@client-api takes HEADER PREFIX")
            self.client_api = (words[0], words[1], line)
        if "denied-domains" in notes:
            words, line = notes["denied-domains"]
            for w in words:
                m = re.match(r"^(\*|vir\w+)=(VIR_FROM_\w+)$", w)
                if not m:
                    raise GenError(self.path, line, "@denied-domains: '%s' is not "
                                   "virPrefix=VIR_FROM_X or *=VIR_FROM_X" % w)
                self.denied_domains.append((m.group(1), m.group(2)))
            self.denied_domains.sort(key=lambda d: -len(d[0]) if d[0] != "*" else 0)

    def server_function(self, proc):
        """The server API function a procedure calls: its API name, with the
        @server-api PREFIX for a leading "vir" when one is given (the admin
        program's virAdm... functions)."""
        prefix = self.server_api[2] if self.server_api else None
        if prefix and proc.api.startswith("vir"):
            return prefix + proc.api[3:]
        return proc.api

    def denied_domain(self, proc):
        """The error domain of a read-only refusal of proc, and of the "not
        supported" answer of an @unimplemented one (libvirt's API reports
        both from the object's domain)."""
        for prefix, domain in self.denied_domains:
            if prefix == "*" or proc.api.startswith(prefix):
                return domain
        return "VIR_FROM_RPC"

    def load_procedures(self, xdr, enum):
        check_stray_docs(self.path, enum)
        missing = [c for c in (self.program_const, self.version_const)
                   if c not in xdr.consts]
        if missing:
            raise GenError(self.path, enum.line, "enum %s needs the constant%s %s"
                           % (enum.name, "s" if len(missing) > 1 else "",
                              " and ".join(missing)))
        by_number = {}
        for member in enum.members:
            if member.value is None:
                raise GenError(self.path, member.line, "procedure '%s' needs a "
                               "number (a literal or a constant of this file)"
                               % member.name)
            if not member.name.startswith(self.proc_prefix):
                raise GenError(self.path, member.line, "procedure '%s' must "
                               "start with %s" % (member.name, self.proc_prefix))
            proc = Procedure(self, member, self.path)
            if proc.number in by_number:
                raise GenError(self.path, proc.line, "duplicate procedure number "
                               "%d: %s and %s (line %d)"
                               % (proc.number, proc.name, by_number[proc.number].name,
                                  by_number[proc.number].line))
            by_number[proc.number] = proc
        self.procedures = sorted(by_number.values(), key=lambda p: p.number)

    @property
    def events(self):
        return [p for p in self.procedures if p.event and not p.unimplemented]

    @property
    def source_name(self):
        return "protocol/%s_protocol.x" % self.name


def program_name_from_path(path):
    base = os.path.basename(path)
    if not base.endswith("_protocol.x"):
        raise GenError(path, 1, "input file must be named NAME_protocol.x")
    return base[:-len("_protocol.x")]


def load_imports(xdr, path, loaded=None):
    """Parse the .x files this one includes (`%#include "X_protocol.h"`,
    X_protocol.x next to it), so that their types are known."""
    loaded = {} if loaded is None else loaded
    for text, line in xdr.passthrough:
        m = re.match(r'%#include\s+"(\w+)_protocol\.h"', text)
        if not m:
            continue
        other = os.path.join(os.path.dirname(path), "%s_protocol.x" % m.group(1))
        if other not in loaded:
            try:
                with open(other, encoding="utf-8") as f:
                    sub = parse_xdr(f.read(), other)
            except OSError as err:
                raise GenError(path, line, "cannot read %s: %s" % (other, err))
            loaded[other] = sub
            load_imports(sub, other, loaded)
        xdr.imports.append(loaded[other])


def load_program(text, path, name=None):
    """Parse .x text and build its Program (name defaults from the path)."""
    if name is None:
        name = program_name_from_path(path)
    xdr = parse_xdr(text, path)
    load_imports(xdr, path)
    return Program(xdr, name)


# ---------------------------------------------------------------------------
# C formatting helpers

def banner(prog, filename, what):
    return ("/*\n"
            " * %s: %s\n"
            " *\n"
            " * Generated by generators/virnetgen.py from %s.\n"
            " * Do not edit: change the .x file (or the generator) instead.\n"
            " */\n" % (filename, what, prog.source_name))


def guard_name(filename):
    return re.sub(r"[^A-Za-z0-9]", "_", filename).upper()


def wrap_call(head, args, tail, indent="", width=80):
    """`head(a, b, c)tail`, wrapping arguments aligned after the paren."""
    from vngen_shapes import c_call
    return c_call(indent + head, args, tail, width) + "\n"


def one_per_line(head, params, tail, indent=""):
    """`head(p1,\\n      p2)tail` with one parameter per line."""
    first = indent + head + "("
    pad = " " * len(first)
    if not params:
        params = ["void"]
    lines = [first + params[0]]
    lines += [pad + p for p in params[1:]]
    return ",\n".join(lines) + ")" + tail + "\n"


def grouped_call(head, groups, tail, indent=""):
    """`head(g1,\n     g2)tail`: one group of arguments per line."""
    first = indent + head + "("
    pad = " " * len(first)
    lines = [", ".join(group) for group in groups]
    return (first + (",\n" + pad).join(lines) + ")" + tail + "\n")


def pair_line(indent, first, second, width=80):
    """`first, second,` on one line, or on two when too long."""
    line = "%s%s, %s," % (indent, first, second)
    if len(line) <= width:
        return line + "\n"
    return "%s%s,\n%s%s,\n" % (indent, first, indent, second)


XDR_VOID = "VIRNETGEN_XDR_VOID"

# xdr_void() takes no arguments: a direct cast to xdrproc_t trips
# -Wcast-function-type, a cast through void (*)(void) does not.
XDR_VOID_DEFINE = ("\n/* xdr_void as an xdrproc_t (via void (*)(void): no "
                   "-Wcast-function-type). */\n"
                   "#define %s ((xdrproc_t)(void (*)(void))xdr_void)\n" % XDR_VOID)


def filter_of(typename):
    return "(xdrproc_t)xdr_%s" % typename if typename else XDR_VOID


def size_of(typename):
    return "sizeof(%s)" % typename if typename else "0"


def proc_comment(proc):
    notes = proc.annotation_text()
    return "/* %s = %d%s */" % (proc.name, proc.number,
                                 ": " + notes if notes else "")


# ---------------------------------------------------------------------------
# rpcgen output fix-ups

XDR_TYPE_MAP = [
    (re.compile(r"\bxdr_u_quad_t\b"), "xdr_uint64_t"),
    (re.compile(r"\bxdr_quad_t\b"), "xdr_int64_t"),
    (re.compile(r"\bu_quad_t\b"), "uint64_t"),
    (re.compile(r"\bquad_t\b"), "int64_t"),
]


def run_rpcgen(rpcgen, flag, path):
    try:
        result = subprocess.run([rpcgen, flag, path], capture_output=True,
                                text=True, check=False)
    except OSError as err:
        raise GenError(path, 1, "cannot run rpcgen '%s': %s" % (rpcgen, err))
    if result.returncode != 0:
        raise GenError(path, 1, "rpcgen %s failed:\n%s" % (flag, result.stderr))
    return result.stdout


def common_fixups(text):
    """Fixes shared by the header and the code: types, layout."""
    for regex, repl in XDR_TYPE_MAP:
        text = regex.sub(repl, text)
    text = strip_rpcgen_banner(text)
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"^(\t*) (?=\S)", r"\1", line)       # "\t if" -> "\tif"
        tabs = len(line) - len(line.lstrip("\t"))
        line = "    " * tabs + line[tabs:]
        line = re.sub(r"\b(xdr_\w+|XDR_INLINE) \(", r"\1(", line)
        lines.append(line.rstrip())
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"


def strip_rpcgen_banner(text):
    return re.sub(r"\A/\*.*?rpcgen.*?\*/\n*", "", text, flags=re.DOTALL)


def fix_prototype(match):
    args = [re.sub(r"(\w)\*$", r"\1 *", a.strip()) for a in match.group(2).split(",")]
    return "extern bool_t %s(%s);" % (match.group(1), ", ".join(args))


def drop_kr_prototypes(text):
    """Keep the ANSI prototypes, drop the K&R branch around them."""
    m = re.search(r"^#if defined\(__STDC__\) \|\| defined\(__cplusplus\)\n(.*?)"
                  r"^#else /\* K&R C \*/\n.*?^#endif /\* K&R C \*/\n",
                  text, flags=re.DOTALL | re.MULTILINE)
    if not m:
        return text
    body = re.sub(r"^extern\s+bool_t\s+(\w+)\s*\((.*)\);$", fix_prototype,
                  m.group(1), flags=re.MULTILINE)
    return text[:m.start()] + body + text[m.end():]


def fix_header(prog, raw):
    text = drop_kr_prototypes(raw)
    text = re.sub(r"^#ifndef _\w+_RPCGEN\n#define _\w+_RPCGEN\n", "", text,
                  flags=re.MULTILINE)
    text = re.sub(r"^#endif /\* !_\w+_RPCGEN \*/\n?", "", text, flags=re.MULTILINE)
    text = common_fixups(text)
    includes = []
    if re.search(r"\bu?int64_t\b", text):
        includes.append("#include <stdint.h>")
    if "#include <rpc/rpc.h>" in text:
        text = text.replace("#include <rpc/rpc.h>\n", "", 1)
    includes.append("#include <rpc/rpc.h>")
    filename = "%s_protocol.h" % prog.name
    guard = guard_name(filename)
    return (banner(prog, filename, "XDR types and filters (rpcgen -h).")
            + "\n#ifndef %s\n#define %s\n\n" % (guard, guard)
            + "\n".join(includes) + "\n\n"
            + text.strip("\n") + "\n\n#endif /* %s */\n" % guard)


def drop_unused_buf(text):
    """Remove `register int32_t *buf;` from functions that never use buf."""
    out = []
    for chunk in re.split(r"(?<=\n)(?=\})", text):
        lines = chunk.split("\n")
        decl = [i for i, l in enumerate(lines)
                if l.strip() == "register int32_t *buf;"]
        if decl and not any(re.search(r"\bbuf\b", l) for i, l in enumerate(lines)
                            if i not in decl):
            for i in reversed(decl):
                del lines[i]
                if i < len(lines) and lines[i].strip() == "":
                    del lines[i]
        out.append("\n".join(lines))
    return "".join(out)


def fix_code(prog, raw):
    text = drop_unused_buf(raw)
    text = re.sub(r'^#include ".*"\n', '#include "%s_protocol.h"\n' % prog.name,
                  text, count=1, flags=re.MULTILINE)
    text = common_fixups(text)
    filename = "%s_protocol.c" % prog.name
    return banner(prog, filename, "XDR filters (rpcgen -c).") + "\n" + text


# ---------------------------------------------------------------------------
# Emitters: names

def need_procedures(prog):
    if not prog.procedures:
        raise GenError(prog.path, 1, "no procedures: enum %s_procedure is "
                       "missing or empty" % prog.name)


def no_procedures_file(prog, filename, what):
    """A program without procedures (virnet: types only) still gets every
    output, empty, so that the build treats all programs alike."""
    return (banner(prog, filename, what)
            + "\n/* The %s program has no procedures: nothing here. */\n" % prog.name)


def emit_names_h(prog):
    filename = "%s_protocol_names.h" % prog.name
    if not prog.procedures:
        return no_procedures_file(prog, filename, "procedure number -> name.")
    guard = guard_name(filename)
    return (banner(prog, filename, "procedure number -> name.")
            + "\n#ifndef %s\n#define %s\n\n" % (guard, guard)
            + "/* \"%sPROC_...\" for a procedure number, NULL when unknown. */\n"
            % prog.proc_prefix[:-len("PROC_")]
            + "const char *%sProcedureName(int proc);\n" % prog.prefix
            + "\n#endif /* %s */\n" % guard)


def emit_names_c(prog):
    filename = "%s_protocol_names.c" % prog.name
    if not prog.procedures:
        return no_procedures_file(prog, filename, "procedure number -> name.")
    out = [banner(prog, filename, "procedure number -> name."), "\n",
           '#include "%s_protocol.h"\n' % prog.name,
           '#include "%s_protocol_names.h"\n\n' % prog.name,
           "const char *\n%sProcedureName(int proc)\n{\n" % prog.prefix,
           "    switch (proc) {\n"]
    for proc in prog.procedures:
        out.append("    case %s: return \"%s\";\n" % (proc.name, proc.name))
    out.append("    }\n    return NULL;\n}\n")
    return "".join(out)


# ---------------------------------------------------------------------------
# The API headers and the mapping of each generated procedure

class ApiContext:
    """The C headers of a program's APIs, and each procedure's mapping."""

    def __init__(self, prog, include_dirs):
        from vngen_cdecl import CHeaders, CError
        self.prog = prog
        self.server = None
        self.client = None
        try:
            if prog.server_api:
                self.server = CHeaders(include_dirs)
                self.server.load(prog.server_api[0], where=(prog.path, prog.server_api[1]))
                self.server.load("virtypedparams.h", required=False)
            if prog.client_api:
                self.client = CHeaders(include_dirs)
                self.client.load(prog.client_api[0], where=(prog.path, prog.client_api[2]))
                self.client.load("virtypedparams.h", required=False)
        except CError as err:
            raise GenError(err.path, err.line, err.message)
        from vngen_shapes import TypeSpace
        self.space = TypeSpace(prog.xdr, prog.handles, prog.typed_param)

    def struct_of(self, name):
        if name is None:
            return None
        return self.space.lookup("structs", name)

    def function(self, headers, name, proc, side):
        fn = headers.functions.get(name)
        if fn is None:
            raise GenError(self.prog.path, proc.line, "%s (@generate: %s): no function "
                           "%s in %s or the headers it includes; declare it, name "
                           "another with @api, or mark the procedure @generate: none"
                           % (proc.name, proc.generate, name,
                              (self.prog.server_api if side == "server"
                               else self.prog.client_api)[0]))
        return fn

    def mapping(self, proc, side):
        from vngen_shapes import Mapper, ShapeError
        headers = self.server if side == "server" else self.client
        if side == "server":
            fname = self.prog.server_function(proc)
        else:
            fname = self.prog.client_api[1] + proc.api[3:]
        fn = self.function(headers, fname, proc, side)
        mapper = Mapper(self.space, headers, proc, side, self.struct_of(proc.args),
                        self.struct_of(proc.ret), proc.line)
        try:
            return mapper.map(fn)
        except ShapeError as err:
            raise GenError(self.prog.path, err.line,
                           "%s (@generate: %s, %s side): %s; mark the procedure "
                           "@generate: none (or %s) and write it by hand"
                           % (proc.name, proc.generate, side, err.message,
                              "client" if side == "server" else "server"))

    def conn_type(self):
        """The connection type of the server API (first parameter)."""
        for proc in self.prog.procedures:
            if proc.server_generated:
                fn = self.function(self.server, self.prog.server_function(proc), proc,
                                   "server")
                if fn.params:
                    return fn.params[0].ctype.base
        return None

    def used_handles(self):
        return sorted(self.prog.handles.values(), key=lambda h: h.struct.line)


# ---------------------------------------------------------------------------
# Emitters: server

def handler_params(proc):
    params = ["virNetServerCall *call"]
    if proc.args:
        params.append("%s *args" % proc.args)
    if proc.ret:
        params.append("%s *ret" % proc.ret)
    return params


def send_params(proc):
    params = ["virNetServerProgram *prog", "virNetServerClient *client"]
    if proc.msg:
        params.append("%s *data" % proc.msg)
    return params


def emit_server_h(prog, api=None):
    filename = "%s_protocol_server.h" % prog.name
    if not prog.procedures:
        return no_procedures_file(prog, filename, "server side of the %s program." % prog.name)
    guard = guard_name(filename)
    p = prog.prefix
    out = [banner(prog, filename, "server side of the %s program." % prog.name),
           "\n#ifndef %s\n#define %s\n\n" % (guard, guard),
           '#include "virnetserver.h"\n#include "%s_protocol.h"\n' % prog.name]
    if prog.server_api:
        out.append('#include "%s"\n' % prog.server_api[0])
    out.append("\n/* The dispatch table, sorted by procedure number. */\n"
               "extern const virNetServerProgramProc %sProcs[];\n"
               "extern const size_t %sNProcs;\n\n" % (p, p))
    out.append("/* A new server program for %s / %s with that table. */\n"
               % (prog.program_const, prog.version_const))
    out.append("virNetServerProgram *%sServerProgramNew(void);\n" % p)
    if prog.server_api and api is not None:
        conn = api.conn_type()
        if conn:
            out.append("\n/* Written by hand for the generated handlers: the connection "
                       "of a call's\n * client with a reference (NULL with an error "
                       "reported), and its release,\n * which keeps the thread's last "
                       "error. */\n")
            out.append("%s *%sConnGet(virNetServerCall *call);\n" % (conn, p))
            out.append("void %sConnRelease(%s *conn);\n" % (p, conn))
        from vngen_shapes import emit_handle_converters, ShapeError
        for h in api.used_handles():
            try:
                out.append(emit_handle_converters(api.space, api.server, h, True))
            except ShapeError as err:
                raise GenError(prog.path, err.line, err.message)
    relays = [x for x in prog.procedures if x.relay]
    if relays:
        up = prog.upper
        out.append("\n/* Event relays: the generated driver callbacks that send events. "
                   "They find\n * their target with a hand-written hook: the program "
                   "and client of the\n * registration (opaque) and its callback ID; "
                   "-1: send nothing (yet),\n * %s_EVENT_RELAY_LEGACY: a legacy "
                   "registration. */\n" % up)
        out.append("#define %s_EVENT_RELAY_LEGACY (-2)\n" % up)
        out.append("typedef void (*%sEventRelayFunc)(void);\n" % p)
        out.append("int %sEventRelayTarget(void *opaque, virNetServerProgram **prog,\n"
                   "%s virNetServerClient **client);\n" % (p, " " * (len(p) + 21)))
        for kind in sorted(set(x.event_kind for x in relays)):
            out.append("/* The relay of a %s event ID (cast it to the ID's callback "
                       "type), or NULL. */\n" % kind)
            out.append("%sEventRelayFunc %s%sEventRelay(int eventID);\n" % (p, p, kind))
    handlers = [x for x in prog.procedures if x.has_handler and not x.server_generated]
    if handlers:
        out.append("\n/* Handlers written by hand: 0 and *ret filled, or -1 with an "
                   "error. */\n")
    for proc in handlers:
        out.append("\n" + proc_comment(proc) + "\n")
        out.append(one_per_line("int %sDispatch%s" % (p, proc.pascal),
                                handler_params(proc), ";"))
    if prog.events:
        out.append("\n/* Event senders: queue a MESSAGE on client; 0 or -1. */\n")
    for proc in prog.events:
        out.append("\n" + proc_comment(proc) + "\n")
        out.append(one_per_line("int %sSend%s" % (p, proc.pascal),
                                send_params(proc), ";"))
    out.append("\n#endif /* %s */\n" % guard)
    return "".join(out)


def emit_server_wrapper(prog, proc):
    name = "%sDispatch%sWrapper" % (prog.prefix, proc.pascal)
    generic = ["virNetServerCall *call", "void *args", "void *ret"]
    call = ["call"]
    unused = []
    for kind in ("args", "ret"):
        if getattr(proc, kind):
            call.append(kind)
        else:
            unused.append(kind)
    body = "".join("    (void)%s;\n" % u for u in unused)
    body += wrap_call("return %sDispatch%s" % (prog.prefix, proc.pascal),
                      call, ";", indent="    ")
    return ("\nstatic int\n" + one_per_line(name, generic, "")
            + "{\n" + body + "}\n")


def emit_table_entry(prog, proc):
    if not proc.has_handler:
        func = "NULL"
    elif proc.server_generated:
        func = "%sDispatch%s" % (prog.prefix, proc.pascal)
    else:
        func = "%sDispatch%sWrapper" % (prog.prefix, proc.pascal)
    return ("    %s\n" % proc_comment(proc)
            + "    { .proc = %s, .name = \"%s\",\n" % (proc.name, proc.name)
            + "      .api = \"%s\",\n" % proc.api
            + "      .func = %s,\n" % func
            + pair_line("      ", ".arg_size = " + size_of(proc.args),
                        ".arg_filter = " + filter_of(proc.args))
            + pair_line("      ", ".ret_size = " + size_of(proc.ret),
                        ".ret_filter = " + filter_of(proc.ret))
            + "      .flags = %s,\n" % (" | ".join(proc.flags) or "0")
            + "      .exec = %s,\n" % proc.exec_class
            + ("      .denied_domain = %s,\n" % prog.denied_domain(proc)
               if (not proc.readonly and proc.has_handler) or
               (proc.unimplemented and not proc.event) else "")
            + "    },\n")


def legacy_event(prog, api, proc):
    """The legacy form of a callback event: the event whose message is the
    callback message's `msg` field, or None."""
    msg = api.space.lookup("structs", proc.msg) if proc.msg else None
    if msg is None or len(msg.fields) != 2 or msg.fields[1].name != "msg":
        return None
    inner = msg.fields[1].base
    return next((x for x in prog.events if x.msg == inner), None)


def emit_relays(prog, api):
    """The relays of @relay events and, per object kind, their lookup."""
    from vngen_shapes import RelayEmitter, ShapeError
    relays = [x for x in prog.procedures if x.relay]
    if not relays:
        return ""
    out = []
    by_kind = {}
    for proc in relays:
        try:
            name, text = RelayEmitter(prog, proc, api.space, api.server,
                                      legacy_event(prog, api, proc)).emit()
        except ShapeError as err:
            raise GenError(prog.path, err.line, err.message)
        out.append(text)
        by_kind.setdefault(proc.event_kind, []).append((proc.notes["eventid"], name))
    p = prog.prefix
    for kind, entries in sorted(by_kind.items()):
        out.append("\n%sEventRelayFunc\n%s%sEventRelay(int eventID)\n{\n"
                   "    switch (eventID) {\n" % (p, p, kind))
        for eventid, name in entries:
            out.append("    case %s:\n        return (%sEventRelayFunc)%s;\n" % (eventid, p, name))
        out.append("    }\n    return NULL;\n}\n")
    return "".join(out)


def emit_send_stub(prog, proc):
    args = ["prog", "client", proc.name, filter_of(proc.msg),
            "data" if proc.msg else "NULL"]
    return ("\nint\n" + one_per_line("%sSend%s" % (prog.prefix, proc.pascal),
                                     send_params(proc), "")
            + "{\n"
            + wrap_call("return virNetServerProgramSendEvent", args, ";",
                        indent="    ")
            + "}\n")


def emit_server_c(prog, api=None):
    filename = "%s_protocol_server.c" % prog.name
    if not prog.procedures:
        return no_procedures_file(prog, filename, "server side of the %s program." % prog.name)
    p = prog.prefix
    out = [banner(prog, filename, "server side of the %s program." % prog.name)]
    generated = [x for x in prog.procedures if x.server_generated]
    if generated or (prog.server_api and prog.handles):
        out.append("\n#include <string.h>\n")
    out.append("\n#include \"%s_protocol_server.h\"\n" % prog.name)
    out.append('#include "virerror.h"\n')
    if generated:
        out.append('#include "virnettypedparams.h"\n')
        out.append("\n#define VIR_FROM_THIS VIR_FROM_RPC\n")
    out.append(XDR_VOID_DEFINE)
    if prog.server_api and api is not None:
        from vngen_shapes import emit_handle_converters, ServerEmitter, ShapeError
        for h in api.used_handles():
            try:
                out.append(emit_handle_converters(api.space, api.server, h, False))
            except ShapeError as err:
                raise GenError(prog.path, err.line, err.message)
        helpers = {}
        bodies = []
        for proc in generated:
            mapping = api.mapping(proc, "server")
            args = api.struct_of(proc.args)
            try:
                bodies.append("\n" + ServerEmitter(prog, proc, mapping, api.server, helpers,
                                                   args.fields if args else ()).emit())
            except ShapeError as err:
                raise GenError(prog.path, err.line, "%s: %s" % (proc.name, err.message))
        out.extend(helpers[name] for name in sorted(helpers))
        out.extend(bodies)
        out.append(emit_relays(prog, api))
    for proc in prog.procedures:
        if proc.has_handler and not proc.server_generated:
            out.append(emit_server_wrapper(prog, proc))
    out.append("\nconst virNetServerProgramProc %sProcs[] = {\n" % p)
    out.extend(emit_table_entry(prog, proc) for proc in prog.procedures)
    out.append("};\n\nconst size_t %sNProcs = sizeof(%sProcs) / sizeof(%sProcs[0]);\n"
               % (p, p, p))
    out.append("\nvirNetServerProgram *\n%sServerProgramNew(void)\n{\n" % p)
    out.append(wrap_call("return virNetServerProgramNew",
                         [prog.program_const, prog.version_const,
                          "%sProcs" % p, "%sNProcs" % p], ";", indent="    "))
    out.append("}\n")
    for proc in prog.events:
        out.append(emit_send_stub(prog, proc))
    return "".join(out)


# ---------------------------------------------------------------------------
# Emitters: client

def call_params(proc):
    params = ["virNetClientProgram *prog", "virNetClient *client"]
    if proc.fds:
        params += ["size_t ninfds", "const int *infds",
                   "size_t *noutfds", "int **outfds"]
    if proc.args:
        params.append("%s *args" % proc.args)
    if proc.ret:
        params.append("%s *ret" % proc.ret)
    return params


def event_params(proc):
    params = ["virNetClientProgram *prog", "virNetClient *client"]
    if proc.msg:
        params.append("%s *msg" % proc.msg)
    return params + ["void *opaque"]


def client_new_params(prog):
    if prog.events:
        return ["const %sClientEventHandlers *handlers" % prog.prefix,
                "void *opaque"]
    return ["void *opaque"]


def emit_client_h(prog, api=None):
    filename = "%s_protocol_client.h" % prog.name
    if not prog.procedures:
        return no_procedures_file(prog, filename, "client side of the %s program." % prog.name)
    guard = guard_name(filename)
    p = prog.prefix
    out = [banner(prog, filename, "client side of the %s program." % prog.name),
           "\n#ifndef %s\n#define %s\n\n" % (guard, guard),
           '#include "virnetclient.h"\n#include "%s_protocol.h"\n' % prog.name]
    if prog.events:
        out.append("\n/* Event callbacks; a NULL member ignores that event. "
                   "They run from the\n * client's event loop. */\n")
        out.append("typedef struct _%sClientEventHandlers %sClientEventHandlers;\n"
                   % (p, p))
        out.append("struct _%sClientEventHandlers {\n" % p)
        for proc in prog.events:
            out.append("    %s\n" % proc_comment(proc))
            out.append(wrap_call("void (*%s)" % proc.member, event_params(proc),
                                 ";", indent="    "))
        out.append("};\n\n")
        out.append("/* The event table, sorted by procedure number. */\n"
                   "extern const virNetClientProgramEvent %sClientEvents[];\n"
                   "extern const size_t %sClientNEvents;\n" % (p, p))
        out.append("\n/* handlers must outlive the program; opaque goes to "
                   "each callback. */\n")
    else:
        out.append("\n/* The %s program has no events. */\n" % prog.name)
    out.append(wrap_call("virNetClientProgram *%sClientProgramNew" % p,
                         client_new_params(prog), ";"))
    calls = [x for x in prog.procedures if x.has_handler]
    if calls:
        out.append("\n/* Calls: 0 and *ret filled (free it with xdr_free), or "
                   "-1 with an error. */\n")
    for proc in calls:
        out.append("\n" + proc_comment(proc) + "\n")
        out.append(one_per_line("int %sCall%s" % (p, proc.pascal),
                                call_params(proc), ";"))
    out.append("\n#endif /* %s */\n" % guard)
    return "".join(out)


def emit_call_stub(prog, proc):
    fds = ["ninfds", "infds", "noutfds", "outfds"] if proc.fds else \
          ["0", "NULL", "NULL", "NULL"]
    if proc.fds:
        head = [[proc.name], fds]
    else:
        head = [[proc.name] + fds]
    groups = ([["prog", "client", "virNetClientNewSerial(client)"]] + head
              + [[filter_of(proc.args), "args" if proc.args else "NULL"],
                 [filter_of(proc.ret), "ret" if proc.ret else "NULL"]])
    return ("\nint\n" + one_per_line("%sCall%s" % (prog.prefix, proc.pascal),
                                     call_params(proc), "")
            + "{\n"
            + grouped_call("return virNetClientProgramCall", groups, ";",
                           indent="    ")
            + "}\n")


def emit_event_wrapper(prog, proc):
    name = "%sClientEvent%s" % (prog.prefix, proc.pascal)
    params = ["virNetClientProgram *prog", "virNetClient *client",
              "void *msg", "void *opaque"]
    call = ["prog", "client"] + (["msg"] if proc.msg else []) + ["opaque"]
    decl = "    const %sClientEventHandlers *handlers =" % prog.prefix
    call_get = "virNetClientProgramGetHandlers(prog);"
    if len(decl) + 1 + len(call_get) <= 80:
        body = decl + " " + call_get + "\n\n"
    else:
        body = decl + "\n        " + call_get + "\n\n"
    if not proc.msg:
        body += "    (void)msg;\n"
    body += "    if (handlers && handlers->%s)\n" % proc.member
    body += wrap_call("handlers->%s" % proc.member, call, ";", indent="        ")
    return "\nstatic void\n" + one_per_line(name, params, "") + "{\n" + body + "}\n"


def emit_client_event_entry(prog, proc):
    return ("    %s\n" % proc_comment(proc)
            + "    { .proc = %s, .name = \"%s\",\n" % (proc.name, proc.name)
            + "      .func = %sClientEvent%s,\n" % (prog.prefix, proc.pascal)
            + pair_line("      ", ".msg_len = " + size_of(proc.msg),
                        ".msg_filter = " + filter_of(proc.msg))
            + "    },\n")


def emit_client_c(prog, api=None):
    filename = "%s_protocol_client.c" % prog.name
    if not prog.procedures:
        return no_procedures_file(prog, filename, "client side of the %s program." % prog.name)
    p = prog.prefix
    out = [banner(prog, filename, "client side of the %s program." % prog.name),
           "\n#include \"%s_protocol_client.h\"\n" % prog.name,
           XDR_VOID_DEFINE]
    for proc in prog.procedures:
        if proc.has_handler:
            out.append(emit_call_stub(prog, proc))
    if prog.events:
        for proc in prog.events:
            out.append(emit_event_wrapper(prog, proc))
        out.append("\nconst virNetClientProgramEvent %sClientEvents[] = {\n" % p)
        out.extend(emit_client_event_entry(prog, proc) for proc in prog.events)
        out.append("};\n\nconst size_t %sClientNEvents =\n"
                   "    sizeof(%sClientEvents) / sizeof(%sClientEvents[0]);\n"
                   % (p, p, p))
        new_args = [[prog.program_const, prog.version_const],
                    ["%sClientEvents" % p, "%sClientNEvents" % p],
                    ["handlers", "opaque"]]
    else:
        new_args = [[prog.program_const, prog.version_const],
                    ["NULL", "0"], ["NULL", "opaque"]]
    out.append("\nvirNetClientProgram *\n")
    out.append(one_per_line("%sClientProgramNew" % p, client_new_params(prog), ""))
    out.append("{\n")
    out.append(grouped_call("return virNetClientProgramNew", new_args, ";",
                            indent="    "))
    out.append("}\n")
    return "".join(out)


def emit_clientapi_c(prog, api=None):
    """The generated bodies of the client API (@client-api), or a file
    that says there are none."""
    filename = "%s_protocol_clientapi.c" % prog.name
    what = "client API functions of the %s program." % prog.name
    generated = [x for x in prog.procedures if x.client_generated]
    if not prog.client_api or api is None:
        return (banner(prog, filename, what)
                + "\n/* The %s program declares no client API (@client-api). */\n"
                % prog.name)
    from vngen_shapes import ClientEmitter, ShapeError
    header, cprefix, line = prog.client_api
    headers = api.client
    out_bodies = []
    helpers = {}
    for proc in generated:
        mapping = api.mapping(proc, "client")
        first = mapping.first
        fparam = first.param if hasattr(first, "param") else first
        first_handle = first.shape.handle if hasattr(first, "shape") and first.shape else None
        conn_type = fparam.ctype.base if first_handle is None else None
        if first_handle is not None:
            hook = headers.functions.get(first_handle.client + "CallConn")
            if hook is None:
                raise GenError(prog.path, proc.line, "%s: the client needs %sCallConn(%s *) "
                               "declared in %s" % (proc.name, first_handle.client,
                                                   first_handle.client, header))
            conn_type = hook.ret.base
        for hook in ("CallConn", "CallProgram", "CallClient"):
            if conn_type + hook not in headers.functions:
                raise GenError(prog.path, proc.line, "%s: the client needs %s%s() declared "
                               "in %s" % (proc.name, conn_type, hook, header))
        for h in prog.handles.values():
            for hook in ("ToWire", "FromWire"):
                if h.client + hook not in headers.functions:
                    raise GenError(prog.path, h.struct.line, "@handle %s: the client "
                                   "needs %s%s() declared in %s"
                                   % (h.wire, h.client, hook, header))
        emitter = ClientEmitter(prog, proc, mapping, headers, conn_type, first_handle)
        try:
            out_bodies.append("\n" + emitter.emit())
        except ShapeError as err:
            raise GenError(prog.path, err.line, "%s: %s" % (proc.name, err.message))
        helpers.update(emitter.helpers)
    out = [banner(prog, filename, what),
           "\n#include <string.h>\n\n"
           '#include "%s"\n'
           '#include "%s_protocol_client.h"\n'
           '#include "virnettypedparams.h"\n'
           '#include "virerror.h"\n\n'
           "#define VIR_FROM_THIS VIR_FROM_REMOTE\n" % (header, prog.name)]
    for name in sorted(helpers):
        out.append(helpers[name])
    out.extend(out_bodies)
    return "".join(out)


# ---------------------------------------------------------------------------
# Listing (debugging aid)

def emit_list(prog):
    lines = []
    for proc in prog.procedures:
        lines.append("%5d %-40s %-6s %-30s %s -> %s%s" % (
            proc.number, proc.name, proc.exec_name,
            "|".join(f.replace("VIR_NET_PROC_", "") for f in proc.flags) or "-",
            proc.args or "void", proc.ret or proc.msg or "void",
            " (no handler)" if not proc.has_handler else ""))
    return "\n".join(lines) + ("\n" if lines else "")


# ---------------------------------------------------------------------------
# Command line

EMITTERS = {
    "names-h": emit_names_h,
    "names-c": emit_names_c,
    "server-h": emit_server_h,
    "server-c": emit_server_c,
    "client-h": emit_client_h,
    "client-c": emit_client_c,
    "clientapi-c": emit_clientapi_c,
    "list": emit_list,
}

RPCGEN_KINDS = {
    "xdr-h": ("-h", fix_header),
    "xdr-c": ("-c", fix_code),
}


API_KINDS = ("server-h", "server-c", "client-h", "client-c", "clientapi-c")


def generate(kind, path, rpcgen="rpcgen", include_dirs=()):
    """The text of output KIND for the .x file at path."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    prog = load_program(text, path)
    if kind in RPCGEN_KINDS:
        flag, fixup = RPCGEN_KINDS[kind]
        return fixup(prog, run_rpcgen(rpcgen, flag, path))
    if kind in API_KINDS:
        api = ApiContext(prog, include_dirs) if (prog.server_api or prog.client_api) else None
        return EMITTERS[kind](prog, api)
    return EMITTERS[kind](prog)


def write_atomically(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Generate C from a virtnet protocol .x file.")
    parser.add_argument("--rpcgen", default="rpcgen",
                        help="the rpcgen program (for xdr-h / xdr-c)")
    parser.add_argument("-I", dest="include_dirs", action="append", default=[],
                        help="a directory of the API headers (@server-api, @client-api)")
    parser.add_argument("kind", choices=sorted(list(EMITTERS) + list(RPCGEN_KINDS)))
    parser.add_argument("input", help="protocol/NAME_protocol.x")
    parser.add_argument("output", nargs="?", help="output file (default: stdout)")
    opts = parser.parse_args(argv)
    try:
        text = generate(opts.kind, opts.input, opts.rpcgen, opts.include_dirs)
    except GenError as err:
        print(str(err), file=sys.stderr)
        return 1
    except OSError as err:
        print("%s: %s" % (opts.input, err), file=sys.stderr)
        return 1
    if opts.output:
        write_atomically(opts.output, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
