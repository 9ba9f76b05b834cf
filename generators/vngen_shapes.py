"""vngen_shapes.py: from a procedure's wire shape and a C prototype to the
body of its dispatch handler (server) and of its client API function.

How a procedure maps (docs/protocols.md has the user's view)
------------------------------------------------------------
Every field of the procedure's `_args` and `_ret` struct has a shape
(resolve_shape): a scalar, a string (maybe absent), a handle (a struct the
.x annotates `@handle: SERVERTYPE CLIENTTYPE`), a fixed or variable array,
typed parameters (a variable array of the struct annotated `@typed-param`),
a plain struct. The C function it maps to is read from the API header
(vngen_cdecl). Its parameters after the connection (server) or after the
object the client call is made on (client) are matched to fields BY NAME
(compared without underscores and case: `max_ids` is `maxids`):

  C parameter                           field(s)
  T x               (T scalar/string)   args x
  const H *x        (H a handle type)   args x (a handle; may be absent)
  const T *x, int nx / xlen             args x (a variable array)
  T *x              (out)               ret x
  T *x, int maxx / nx / xlen            ret x (array, caller allocates maxx)
  H ***x                                ret x (list the callee allocates,
                                        NULL-terminated; args need_results
                                        says whether it is wanted)
  virTypedParameter *x, int nx          args x (typed parameters in)
  virTypedParameter *x, int *nx         ret x, args nx, ret nx (the caller
                                        allocates nx; nx 0 asks the count)
  virTypedParameter **x, int *nx        ret x (the callee allocates)
  S *x              (S a C struct)      the remaining ret fields, matched to
                                        S's members by name
  X *st             (X the stream type  no field: the stream the call opens
                    of @stream-types)   (procedures annotated @stream)
  return value                          the one ret field left over; else a
                                        status (int < 0 is an error), or the
                                        count of a returned array

Anything else is refused with the .x file:line and the reason (GenError):
the procedure must then be marked `@generate: none` and written by hand.
Nothing is guessed: an unmatched parameter or field is an error.

The emitted code is plain, readable C; each handler starts with the .x
comment of its procedure.
"""

import re

from vngen_cdecl import CType


class ShapeError(Exception):
    """Raised while mapping; virnetgen turns it into GenError(file:line)."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line
        self.message = message


# @stream: which way the stream a procedure opens carries data
STREAM_FLOWS = {
    "read": "VIR_NET_STREAM_READ",
    "write": "VIR_NET_STREAM_WRITE",
    "readwrite": "VIR_NET_STREAM_READ | VIR_NET_STREAM_WRITE",
}


def norm(name):
    return name.replace("_", "").lower()


# ---------------------------------------------------------------------------
# Wire shapes

# XDR scalar -> the C type rpcgen gives it
XDR_SCALARS = {
    "int": "int", "unsigned int": "u_int", "hyper": "int64_t",
    "unsigned hyper": "uint64_t", "char": "char", "unsigned char": "u_char",
    "short": "short", "unsigned short": "u_short", "bool": "bool_t",
    "float": "float", "double": "double", "long": "long",
    "unsigned long": "u_long",
}

# wire C scalar -> C types a parameter may have for it
SCALAR_COMPAT = {
    "int": ("int",),
    "u_int": ("unsigned int",),
    "int64_t": ("long long", "long", "int64_t"),
    "uint64_t": ("unsigned long long", "unsigned long", "uint64_t"),
    "char": ("char",),
    "u_char": ("unsigned char",),
    "short": ("short",),
    "u_short": ("unsigned short",),
    "bool_t": ("int", "bool"),
    "float": ("float",),
    "double": ("double",),
    "long": ("long",),
    "u_long": ("unsigned long",),
}


class Handle:
    """A wire struct annotated `@handle: SERVERTYPE CLIENTTYPE`."""

    def __init__(self, struct, server, client):
        self.struct = struct
        self.wire = struct.name
        self.server = server
        self.client = client


class Shape:
    __slots__ = ("kind", "ctype", "size", "size_text", "handle", "elem",
                 "struct", "member", "desc")

    def __init__(self, kind, desc, ctype=None, size=None, size_text=None,
                 handle=None, elem=None, struct=None, member=None):
        self.kind = kind
        self.desc = desc
        self.ctype = ctype
        self.size = size
        self.size_text = size_text
        self.handle = handle
        self.elem = elem
        self.struct = struct
        self.member = member


class TypeSpace:
    """The types of a .x file and of the files it imports."""

    def __init__(self, xdr, handles, typed_param, stream_types=None):
        self.xdr = xdr
        self.handles = handles          # wire struct name -> Handle
        self.typed_param = typed_param  # wire struct name or None
        self.stream_types = stream_types  # (server type, client type) or None
        files = []

        def walk(x):
            if x in files:
                return
            files.append(x)
            for imp in x.imports:
                walk(imp)
        walk(xdr)
        self.files = files

    def lookup(self, table, name):
        for x in self.files:
            found = getattr(x, table).get(name)
            if found is not None:
                return found
        return None

    def is_enum(self, name):
        return self.lookup("enums", name) is not None

    def resolve(self, decl, via=None):
        """The Shape of a declaration (following typedefs)."""
        base, kind = decl.base, decl.kind
        size, size_text = decl.size, decl.size_text
        member = via or decl.name
        if kind == "plain":
            td = self.lookup("typedefs", base)
            if td is not None:
                return self.resolve(td, via=td.name)
        if kind == "opt":
            inner = self.resolve(type(decl)(decl.name, base, "plain", None, None,
                                            decl.line))
            if inner.kind in ("string", "handle", "struct"):
                return Shape(inner.kind + "_opt", "optional " + inner.desc,
                             ctype=inner.ctype, handle=inner.handle,
                             struct=inner.struct)
            return Shape("other", "optional " + inner.desc)
        if kind == "fixed":
            if base == "opaque":
                return Shape("bytes_fixed", "opaque[%s]" % size_text, size=size,
                             size_text=size_text)
            if base == "char":
                return Shape("chars_fixed", "char[%s]" % size_text, size=size,
                             size_text=size_text)
            elem = self.resolve(type(decl)(decl.name, base, "plain", None, None,
                                           decl.line))
            return Shape("fixed_array", "%s[%s]" % (elem.desc, size_text),
                         size=size, size_text=size_text, elem=elem)
        if kind == "var":
            if base == "string":
                return Shape("string", "string", ctype="char *", size=size,
                             size_text=size_text)
            if base == "opaque":
                return Shape("bytes_var", "opaque<%s>" % (size_text or ""),
                             size=size, size_text=size_text, member=member)
            if base == "char":
                return Shape("chars_var", "char<%s>" % (size_text or ""),
                             size=size, size_text=size_text, member=member)
            if base == self.typed_param:
                return Shape("typed_params", "typed parameters<%s>" % (size_text or ""),
                             size=size, size_text=size_text, member=member)
            elem = self.resolve(type(decl)(decl.name, base, "plain", None, None,
                                           decl.line))
            return Shape("array", "%s<%s>" % (elem.desc, size_text or ""),
                         size=size, size_text=size_text, elem=elem, member=member,
                         ctype=self.c_name(base, elem))
        # plain
        if base in XDR_SCALARS:
            return Shape("scalar", base, ctype=XDR_SCALARS[base])
        if self.is_enum(base):
            return Shape("scalar", "enum " + base, ctype=base)
        if base in self.handles:
            return Shape("handle", "handle " + base, handle=self.handles[base],
                         ctype=base)
        struct = self.lookup("structs", base)
        if struct is not None:
            return Shape("struct", "struct " + base, struct=struct, ctype=base)
        if self.lookup("unions", base) is not None:
            return Shape("union", "union " + base, ctype=base)
        return Shape("other", base)

    @staticmethod
    def c_name(base, shape):
        """The C element type of an array of base."""
        if shape.kind == "scalar":
            return shape.ctype
        if shape.kind == "string":
            return "char *"
        return base


# ---------------------------------------------------------------------------
# Mapping a C function to a procedure's fields

class Binding:
    """How one C parameter (or the return value) gets its value.

    role: in, out, inout, handle_in (a handle passed in), list (a
    callee-allocated list), carray (a caller-allocated array), struct_out,
    return, stream (the stream the call opens). field / rfield: the args /
    ret field; cap: the capacity
    parameter of a carray; count: the count parameter following an array
    or typed parameters."""

    def __init__(self, role, param, field=None, shape=None, rfield=None):
        self.role = role
        self.param = param
        self.field = field
        self.shape = shape
        self.rfield = rfield
        self.rshape = None
        self.count = None       # CDecl of the count parameter
        self.cap = None         # Binding of the capacity parameter
        self.members = []       # struct_out: (C member, ret field, shape)
        self.need_results = None  # list: the args field, when there is one


class Mapping:
    """The bindings of one procedure on one side."""

    def __init__(self, fn, first, bindings, ret_binding, need_results):
        self.fn = fn
        self.first = first              # the connection or object parameter
        self.bindings = bindings        # C parameter order (count params excluded)
        self.ret_binding = ret_binding  # None: the return value is a status
        self.need_results = need_results


class Mapper:
    """Maps one procedure for one side ("server" or "client")."""

    def __init__(self, space, headers, proc, side, args_struct, ret_struct, line):
        self.space = space
        self.headers = headers
        self.proc = proc
        self.side = side
        self.args = [(f, space.resolve(f)) for f in (args_struct.fields if args_struct else [])]
        self.ret = [(f, space.resolve(f)) for f in (ret_struct.fields if ret_struct else [])]
        self.args_name = args_struct.name if args_struct else None
        self.ret_name = ret_struct.name if ret_struct else None
        self.line = line

    def fail(self, message):
        raise ShapeError(self.line, message)

    def where(self, fn):
        return "%s (%s:%d)" % (fn.name, fn.path, fn.line)

    # -- type checks
    def handle_type(self, handle):
        return handle.server if self.side == "server" else handle.client

    def ctype(self, decl):
        return self.resolve(decl.ctype)

    def resolve(self, ctype):
        """Follow typedef aliases, but not past a handle type (on this
        side): two handles may share one C type under two names (a
        snapshot and a checkpoint), and their names tell them apart."""
        names = set(self.handle_type(h) for h in self.space.handles.values())
        seen = set()
        while ctype.base in self.headers.aliases and ctype.base not in seen and \
                ctype.base not in names:
            seen.add(ctype.base)
            target = self.headers.aliases[ctype.base]
            ctype = CType(target.base, ctype.const or target.const,
                          ctype.ptr + target.ptr, target.dims + ctype.dims)
        return ctype

    def is_handle_type(self, base):
        """The Handle whose type (on this side) base is, or None."""
        for h in self.space.handles.values():
            if self.same_base(base, self.handle_type(h)):
                return h
        return None

    def same_base(self, a, b):
        return a == b or self.resolve(CType(a)).base == self.resolve(CType(b)).base

    def scalar_ok(self, shape, ct):
        return ct.ptr == 0 and not ct.dims and ct.base in SCALAR_COMPAT.get(shape.ctype, (shape.ctype,))

    def check_in(self, param, shape, fn):
        """An args field passed in as param: compatible? (message or None)"""
        ct = self.ctype(param)
        k = shape.kind
        if k == "scalar":
            if ct.ptr == 0 and (ct.base in SCALAR_COMPAT.get(shape.ctype, ()) or
                                (self.space.is_enum(shape.ctype) and ct.base == "int") or
                                ct.base == shape.ctype):
                return None
        elif k in ("string", "string_opt"):
            if ct.base == "char" and ct.ptr == 1:
                return None
        elif k == "bytes_fixed":
            if ct.base in ("unsigned char", "char") and ct.ptr == 1:
                return None
        elif k in ("handle", "handle_opt"):
            if ct.ptr == 1 and self.same_base(ct.base, self.handle_type(shape.handle)):
                return None
        elif k == "bytes_var":
            if ct.base in ("unsigned char", "char") and ct.ptr == 1:
                return None
        elif k == "array":
            elem = shape.elem
            if elem.kind == "handle":
                # the server takes an array of handle values, the client of
                # its objects
                want = 1 if self.side == "server" else 2
                if ct.ptr == want and self.same_base(ct.base, self.handle_type(elem.handle)):
                    return None
            elif self.elem_matches(elem, ct, 1):
                return None
        elif k == "typed_params":
            if ct.ptr == 1 and self.same_base(ct.base, "virTypedParameter"):
                return None
        return "args field of shape %s cannot be passed as '%s'" % (
            shape.desc, param.spelled())

    # -- the mapping
    def map(self, fn):
        if fn.variadic or fn.unsupported:
            self.fail("%s: %s; mark the procedure @generate: none and write it "
                      "by hand" % (self.where(fn),
                                   fn.unsupported or "it takes a variable argument list"))
        params = list(fn.params)
        if not params:
            self.fail("%s takes no connection or object parameter" % self.where(fn))
        first = params.pop(0)
        args = dict((norm(f.name), (f, s)) for f, s in self.args)
        rets = dict((norm(f.name), (f, s)) for f, s in self.ret)
        used_args = set()
        used_rets = set()
        bindings = []
        first_binding = None
        if self.side == "client":
            ct = self.ctype(first)
            h = None
            for cand in self.space.handles.values():
                if self.same_base(ct.base, cand.client):
                    h = cand
            if h is not None:
                key = norm(first.name)
                if key not in args or args[key][1].kind != "handle" or \
                        args[key][1].handle is not h:
                    self.fail("%s: its object parameter '%s' has no handle field "
                              "'%s' in %s" % (self.where(fn), first.name, first.name,
                                              self.args_name or "(no args)"))
                first_binding = Binding("handle_in", first, args[key][0], args[key][1])
                used_args.add(key)
        by_name = dict((norm(p.name), p) for p in params)
        consumed = set()        # parameter names bound as a count / capacity

        def partner(name, kinds=("n%s", "%slen")):
            for pat in kinds:
                p = by_name.get(norm(pat % name))
                if p is not None:
                    return p
            return None

        struct_outs = []
        stream_type = None
        if self.space.stream_types:
            stream_type = self.space.stream_types[0 if self.side == "server" else 1]
        streams = []
        for param in params:
            key = norm(param.name)
            if key in consumed:
                continue
            ct = self.ctype(param)
            if stream_type and ct.ptr == 1 and self.same_base(ct.base, stream_type):
                if not self.proc.stream:
                    self.fail("%s: parameter '%s' is a stream but the procedure has no "
                              "@stream" % (self.where(fn), param.name))
                b = Binding("stream", param)
                streams.append(b)
                bindings.append(b)
                continue
            a = args.get(key)
            r = rets.get(key)
            if a and r:
                # in and out: a count the caller passes and gets back
                if not (a[1].kind == "scalar" and r[1].kind == "scalar" and ct.ptr == 1):
                    self.fail("%s: '%s' is in both %s and %s but is not an int *"
                              % (self.where(fn), param.name, self.args_name, self.ret_name))
                b = Binding("inout", param, a[0], a[1], r[0])
                b.rshape = r[1]
                used_args.add(key)
                used_rets.add(key)
                bindings.append(b)
                continue
            if a:
                f, shape = a
                why = self.check_in(param, shape, fn)
                if why:
                    self.fail("%s: %s" % (self.where(fn), why))
                role = "handle_in" if shape.kind in ("handle", "handle_opt") else "in"
                b = Binding(role, param, f, shape)
                if shape.kind in ("array", "bytes_var", "typed_params"):
                    cnt = partner(param.name)
                    if cnt is None or self.ctype(cnt).ptr != 0:
                        self.fail("%s: the array '%s' needs its length as the "
                                  "parameter n%s or %slen" % (self.where(fn), param.name,
                                                              param.name, param.name))
                    b.count = cnt
                    consumed.add(norm(cnt.name))
                used_args.add(key)
                bindings.append(b)
                continue
            if r:
                f, shape = r
                b = self.map_out(fn, param, ct, f, shape, partner, by_name, args,
                                 used_args, consumed)
                used_rets.add(key)
                bindings.append(b)
                continue
            # a pointer to a C struct whose members are ret fields
            st = self.headers.struct(ct.base) if ct.ptr == 1 else None
            if st is not None and not self.is_handle_type(ct.base):
                b = Binding("struct_out", param)
                b.shape = st
                struct_outs.append(b)
                bindings.append(b)
                continue
            self.fail("%s: no field for parameter '%s' in %s or %s"
                      % (self.where(fn), param.spelled(),
                         self.args_name or "(no args)", self.ret_name or "(no ret)"))

        if self.proc.stream and len(streams) != 1:
            self.fail("%s: a @stream procedure takes exactly one %s parameter (%d found)"
                      % (self.where(fn), stream_type or "stream", len(streams)))

        # capacities and counts refer to parameters bound above
        for b in bindings:
            if b.role == "carray":
                capb = next((x for x in bindings if x.param is b.cap), None)
                if capb is None or capb.role != "in" or capb.shape.kind != "scalar":
                    self.fail("%s: the capacity '%s' of '%s' must come from %s"
                              % (self.where(fn), b.cap.name, b.param.name,
                                 self.args_name or "an args field"))
                b.cap = capb

        for b in struct_outs:
            for m in b.shape.members:
                if m.name is None:
                    self.fail("%s: struct %s has a member we cannot map"
                              % (self.where(fn), b.shape.name))
                key = norm(m.name)
                if key not in rets or key in used_rets:
                    self.fail("%s: member '%s' of %s (%s:%d) has no field in %s"
                              % (self.where(fn), m.name, b.shape.name, b.shape.path,
                                 m.line, self.ret_name or "(no ret)"))
                f, shape = rets[key]
                self.check_member(fn, b.shape, m, shape)
                b.members.append((m, f, shape))
                used_rets.add(key)

        need_results = None
        lists = [b for b in bindings if b.role == "list"]
        if "needresults" in args and "needresults" not in used_args:
            if not lists:
                self.fail("%s: %s has need_results but no list parameter takes it"
                          % (self.where(fn), self.args_name))
            need_results = args["needresults"][0]
            lists[0].need_results = need_results
            used_args.add("needresults")

        left_args = [f.name for f, _ in self.args if norm(f.name) not in used_args]
        if left_args:
            self.fail("%s: field%s %s of %s match%s no parameter"
                      % (self.where(fn), "s" if len(left_args) > 1 else "",
                         ", ".join(left_args), self.args_name,
                         "" if len(left_args) > 1 else "es"))

        left = [(f, s) for f, s in self.ret if norm(f.name) not in used_rets]
        ret_binding = self.map_return(fn, left, bindings)
        return Mapping(fn, first_binding or first, bindings, ret_binding, need_results)

    def map_out(self, fn, param, ct, f, shape, partner, by_name, args, used_args, consumed):
        k = shape.kind
        b = Binding("out", param, None, None, f)
        b.rshape = shape
        if k == "scalar" and ct.ptr == 1 and not ct.dims and \
                ct.base in SCALAR_COMPAT.get(shape.ctype, (shape.ctype,)):
            return b
        if k in ("string", "string_opt") and ct.base == "char" and ct.ptr == 2:
            return b
        if k == "bytes_fixed" and ct.ptr == 1 and ct.base in ("unsigned char", "char"):
            return b
        if k == "typed_params" and self.same_base(ct.base, "virTypedParameter"):
            cnt = partner(param.name, ("n%s",))
            if cnt is None or self.ctype(cnt).ptr != 1 or self.ctype(cnt).base != "int":
                self.fail("%s: typed parameters '%s' need 'int *n%s' after them"
                          % (self.where(fn), param.name, param.name))
            b.count = cnt
            if ct.ptr == 1:
                # the caller allocates: n<x> in args (capacity) and ret (count)
                key = norm(cnt.name)
                if key not in args:
                    self.fail("%s: typed parameters '%s' the caller allocates need "
                              "a field '%s' in %s" % (self.where(fn), param.name,
                                                     cnt.name, self.args_name))
                if key not in args or key not in [norm(x.name) for x, _ in self.ret]:
                    self.fail("%s: typed parameters '%s' the caller allocates need "
                              "the field '%s' in both %s and %s" % (
                                  self.where(fn), param.name, cnt.name, self.args_name,
                                  self.ret_name))
                # n<x> itself is bound in and out by name (the loop's next turn)
                b.role = "tparams_caller"
                b.cap = args[key][0]
                return b
            if ct.ptr == 2:
                b.role = "tparams_callee"
                if norm(cnt.name) not in [norm(x.name) for x, _ in self.ret]:
                    consumed.add(norm(cnt.name))
                return b
        if k == "array":
            elem = shape.elem
            if ct.ptr == 3 and elem.kind == "handle" and \
                    self.same_base(ct.base, self.handle_type(elem.handle)):
                b.role = "list"
                return b
            st = self.headers.struct(ct.base) if ct.ptr == 3 else None
            if elem.kind == "struct" and st is not None:
                # a list of records the callee allocates (NULL-terminated)
                b.role = "rlist"
                b.members = self.record_members(fn, elem.struct, st)
                return b
            rec = self.headers.struct(ct.base) if ct.ptr == 1 and elem.kind == "struct" \
                else None
            if rec is not None:
                # records in an array the caller allocates: plain members only
                b.members = self.record_members(fn, elem.struct, rec)
                for m, mf, mshape, _ in b.members:
                    if mshape.kind not in ("scalar", "string"):
                        self.fail("%s: member '%s' of %s: an array the caller allocates "
                                  "holds plain values only" % (self.where(fn), m.name, rec.name))
            elem_ok = rec is not None or self.elem_matches(elem, ct, 1)
            if elem_ok:
                cap = partner(param.name, ("max%s", "n%s", "%slen"))
                if cap is None:
                    self.fail("%s: the array '%s' the caller allocates needs its "
                              "size as the parameter max%s" % (self.where(fn), param.name,
                                                               param.name))
                b.role = "carray"
                b.cap = cap
                return b
        self.fail("%s: ret field '%s' (%s) cannot be returned through '%s'"
                  % (self.where(fn), f.name, shape.desc, param.spelled()))

    def record_members(self, fn, wire, st):
        """[(C member, wire field, shape, count member)] of a record: every
        field of the wire struct and every member of the C struct, matched
        by name (typed parameters take their n<name> count member)."""
        fields = dict((norm(f.name), f) for f in wire.fields)
        members = dict((norm(m.name), m) for m in st.members if m.name)
        out = []
        for key, f in list(fields.items()):
            m = members.pop(key, None)
            if m is None:
                self.fail("%s: field '%s' of %s has no member in %s (%s:%d)"
                          % (self.where(fn), f.name, wire.name, st.name, st.path, st.line))
            shape = self.space.resolve(f)
            ct = self.resolve(m.ctype)
            count = None
            if shape.kind == "typed_params":
                count = members.pop("n" + key, None)
                if count is None or ct.ptr != 1:
                    self.fail("%s: member '%s' of %s needs an int n%s beside it"
                              % (self.where(fn), m.name, st.name, m.name))
            elif shape.kind == "bytes_var":
                # bytes with their length beside them (an IOThread's CPU map)
                count = members.pop(key + "len", None)
                if count is None or ct.ptr != 1 or \
                        ct.base not in ("unsigned char", "char") or \
                        self.headers.resolve(count.ctype).base not in ("int", "unsigned int"):
                    self.fail("%s: member '%s' of %s needs to be an unsigned char * with "
                              "an int %slen beside it" % (self.where(fn), m.name, st.name, m.name))
            elif shape.kind == "handle":
                if ct.ptr != 1 or not self.same_base(ct.base, self.handle_type(shape.handle)):
                    self.fail("%s: member '%s' of %s must be a %s *" % (
                        self.where(fn), m.spelled(), st.name, self.handle_type(shape.handle)))
            else:
                self.check_member(fn, st, m, shape)
            out.append((m, f, shape, count))
        if members:
            self.fail("%s: member%s %s of %s match%s no field of %s"
                      % (self.where(fn), "s" if len(members) > 1 else "",
                         ", ".join(m.name for m in members.values()), st.name,
                         "" if len(members) > 1 else "es", wire.name))
        return out

    def elem_matches(self, elem, ct, extra):
        """Does a C pointer type with `extra` levels over the element match?"""
        if elem.kind == "scalar":
            return ct.ptr == extra and ct.base in SCALAR_COMPAT.get(elem.ctype, (elem.ctype,))
        if elem.kind == "string":
            return ct.ptr == extra + 1 and ct.base == "char"
        return False

    def check_member(self, fn, struct, m, shape):
        ct = self.resolve(m.ctype)
        ok = False
        if shape.kind == "scalar":
            ok = ct.ptr == 0 and not ct.dims and (
                ct.base in SCALAR_COMPAT.get(shape.ctype, ()) or
                (shape.ctype == "int" and ct.base in ("unsigned int",)) or
                (shape.ctype in ("u_char", "u_short") and ct.base.startswith("unsigned")) or
                # an int member holds a char / short field (libvirt's info
                # structs: the pool state, the volume type)
                (shape.ctype in ("char", "u_char", "short", "u_short") and
                 ct.base in ("int", "unsigned int")) or
                (shape.ctype == "uint64_t" and ct.base in ("unsigned long", "unsigned long long")))
        elif shape.kind in ("chars_fixed", "chars_var"):
            ok = ct.base == "char" and ct.ptr == 0 and len(ct.dims) == 1
        elif shape.kind == "bytes_fixed":
            ok = ct.base in ("unsigned char", "char") and ct.ptr == 0 and len(ct.dims) == 1
        elif shape.kind == "string":
            ok = ct.base == "char" and ct.ptr == 1
        if not ok:
            self.fail("%s: member '%s' of %s cannot hold ret field of shape %s"
                      % (self.where(fn), m.spelled(), struct.name, shape.desc))

    def map_return(self, fn, left, bindings):
        rt = self.resolve(fn.ret)
        if rt.base == "void" and rt.ptr == 0:
            self.fail("%s returns void: it cannot report an error" % self.where(fn))
        if rt.ptr == 0:
            if rt.base != "int":
                self.fail("%s returns '%s': only int (negative is an error) or a "
                          "pointer (NULL is an error) can be mapped" % (self.where(fn),
                                                                       fn.ret.spelled()))
            if not left:
                return None
            if len(left) > 1:
                self.fail("%s: fields %s of %s match no parameter"
                          % (self.where(fn), ", ".join(f.name for f, _ in left),
                             self.ret_name))
            f, shape = left[0]
            if shape.kind != "scalar":
                self.fail("%s: ret field '%s' (%s) is left for the int return value"
                          % (self.where(fn), f.name, shape.desc))
            b = Binding("return", None, None, None, f)
            b.rshape = shape
            return b
        # a pointer: a handle or a string
        if len(left) != 1:
            self.fail("%s returns a pointer but %s"
                      % (self.where(fn), "no ret field is left for it" if not left else
                         "fields %s of %s are left" % (", ".join(f.name for f, _ in left),
                                                       self.ret_name)))
        f, shape = left[0]
        b = Binding("return", None, None, None, f)
        b.rshape = shape
        if shape.kind == "handle" and rt.ptr == 1 and \
                self.same_base(rt.base, self.handle_type(shape.handle)):
            return b
        if shape.kind in ("string", "string_opt") and rt.base == "char" and rt.ptr == 1:
            if self.side == "client" and fn.ret.const:
                self.fail("%s returns 'const char *': a client call cannot keep it; "
                          "write it by hand" % self.where(fn))
            return b
        self.fail("%s: its return type '%s' cannot carry ret field '%s' (%s)"
                  % (self.where(fn), fn.ret.spelled(), f.name, shape.desc))


# ---------------------------------------------------------------------------
# C code helpers

def field_len(access, shape):
    return "%s.%s_len" % (access, shape.member)


def field_val(access, shape):
    return "%s.%s_val" % (access, shape.member)


def size_expr(shape):
    return shape.size_text


class Body:
    def __init__(self):
        self.decls = []
        self.pre = []
        self.args = []
        self.post = []
        self.cleanup = []
        self.lend = []      # the API's results the reply borrows: (variable, free function)

    def decl(self, text):
        if text not in self.decls:
            self.decls.append(text)


def c_call(head, args, suffix="", width=90):
    """`head(a, b)suffix` (head carries the indentation), wrapped at width
    columns with the arguments aligned after the parenthesis."""
    first = head + "("
    pad = " " * len(first)
    lines, cur = [], first
    for i, a in enumerate(args):
        piece = a + (", " if i < len(args) - 1 else ")" + suffix)
        if cur not in (first, pad) and len(cur) + len(piece.rstrip()) > width:
            lines.append(cur.rstrip())
            cur = pad
        cur += piece
    if not args:
        cur += ")" + suffix
    lines.append(cur.rstrip())
    return "\n".join(lines)


def doc_text(docs):
    """The prose of a procedure's /** */ comments, annotations removed."""
    out = []
    for text, _ in docs:
        body = text[3:-2]
        for line in body.split("\n"):
            line = re.sub(r"^\s*\*?\s?", "", line).rstrip()
            line = re.sub(r"@[\w-]+(\s*:\s*[\w-]+)?", "", line).strip()
            if line:
                out.append(line)
    return out


def c_comment(lines, indent=""):
    if not lines:
        return ""
    if len(lines) == 1 and len(lines[0]) < 70:
        return "%s/* %s */\n" % (indent, lines[0])
    return indent + "/*\n" + "".join("%s * %s\n" % (indent, l) for l in lines) + indent + " */\n"


# ---------------------------------------------------------------------------
# Handle conversions on the server side (generated once per handle type)

def handle_members(space, headers, handle):
    """[(C member, wire field, wire shape)] of a handle, matched by name;
    ShapeError when the two do not correspond one to one."""
    st = headers.struct(handle.server)
    if st is None:
        raise ShapeError(handle.struct.line, "@handle: server type %s is not a "
                         "struct in the API headers" % handle.server)
    fields = dict((norm(f.name), f) for f in handle.struct.fields)
    out = []
    for m in st.members:
        if m.name is None or norm(m.name) not in fields:
            raise ShapeError(handle.struct.line, "@handle: member '%s' of %s (%s:%d) "
                             "has no field in %s" % (m.name, handle.server, st.path,
                                                     m.line, handle.wire))
        f = fields.pop(norm(m.name))
        out.append((m, f, space.resolve(f)))
    if fields:
        raise ShapeError(handle.struct.line, "@handle: field%s %s of %s %s no member "
                         "of %s" % ("s" if len(fields) > 1 else "",
                                    ", ".join(f.name for f in fields.values()),
                                    handle.wire, "have" if len(fields) > 1 else "has",
                                    handle.server))
    for m, f, shape in out:
        ct = headers.resolve(m.ctype)
        ok = (shape.kind == "string" and ct.base == "char" and ct.ptr == 1) or \
             (shape.kind == "bytes_fixed" and ct.ptr == 0 and len(ct.dims) == 1) or \
             (shape.kind == "scalar" and ct.ptr == 0 and
              ct.base in SCALAR_COMPAT.get(shape.ctype, ())) or \
             (shape.kind == "handle" and ct.ptr == 0 and ct.base in (
                 shape.handle.server, headers.resolve(CType(shape.handle.server)).base))
        if not ok:
            raise ShapeError(f.line, "@handle: field '%s' (%s) of %s cannot hold member "
                             "'%s' of %s" % (f.name, shape.desc, handle.wire,
                                             m.spelled(), handle.server))
    return out


def handle_fn(handle, what):
    base = re.sub(r"_(\w)", lambda m: m.group(1).upper(), handle.wire)
    return base + what


def emit_handle_converters(space, headers, handle, prototypes_only):
    """<wire>FromWire (borrowing), <wire>ToWire (copying) and
    <wire>ToWireBorrowed for handle; or their prototypes."""
    members = handle_members(space, headers, handle)
    sv, wire = handle.server, handle.wire
    protos = [
        ("/* The %s a wire %s names; it borrows the wire form's strings. */\n" % (sv, wire),
         "%s %s(const %s *src)" % (sv, handle_fn(handle, "FromWire"), wire)),
        ("/* The wire form of src, with copies of its strings (freed with the\n"
         " * message: xdr_free). */\n",
         "void %s(%s *dst, const %s *src)" % (handle_fn(handle, "ToWire"), wire, sv)),
        ("/* The wire form of src, borrowing its strings: for a message that is\n"
         " * only encoded, never freed. */\n",
         "void %s(%s *dst, const %s *src)" % (handle_fn(handle, "ToWireBorrowed"), wire, sv)),
    ]
    if prototypes_only:
        return "".join("\n%s%s;\n" % (c, p) for c, p in protos)
    from_lines, to_lines, lend_lines = [], [], []
    for m, f, shape in members:
        if shape.kind == "string":
            from_lines.append("    dst.%s = src->%s;\n" % (m.name, f.name))
            to_lines.append("    dst->%s = g_strdup(src->%s);\n" % (f.name, m.name))
            lend_lines.append("    dst->%s = (char *)src->%s;\n" % (f.name, m.name))
        elif shape.kind == "bytes_fixed":
            line = ("    G_STATIC_ASSERT(sizeof(((%s *)0)->%s) == sizeof(((%s *)0)->%s));\n"
                    % (sv, m.name, wire, f.name))
            from_lines.append(line + "    memcpy(dst.%s, src->%s, sizeof(dst.%s));\n"
                              % (m.name, f.name, m.name))
            to_lines.append("    memcpy(dst->%s, src->%s, sizeof(dst->%s));\n"
                            % (f.name, m.name, f.name))
            lend_lines.append(to_lines[-1])
        elif shape.kind == "scalar":
            from_lines.append("    dst.%s = src->%s;\n" % (m.name, f.name))
            to_lines.append("    dst->%s = src->%s;\n" % (f.name, m.name))
            lend_lines.append(to_lines[-1])
        else:   # an embedded handle
            sub = shape.handle
            from_lines.append("    dst.%s = %s(&src->%s);\n" % (m.name, handle_fn(sub, "FromWire"),
                                                                f.name))
            to_lines.append("    %s(&dst->%s, &src->%s);\n" % (handle_fn(sub, "ToWire"),
                                                               f.name, m.name))
            lend_lines.append("    %s(&dst->%s, &src->%s);\n"
                              % (handle_fn(sub, "ToWireBorrowed"), f.name, m.name))
    out = []
    bodies = [
        "{\n    %s dst = { 0 };\n\n%s    return dst;\n}\n" % (sv, "".join(from_lines)),
        "{\n%s}\n" % "".join(to_lines),
        "{\n%s}\n" % "".join(lend_lines),
    ]
    for (comment, proto), body in zip(protos, bodies):
        ret, rest = proto.split(" ", 1)
        out.append("\n%s%s\n%s\n%s" % (comment, ret, rest, body))
    return "".join(out)


# ---------------------------------------------------------------------------
# Server bodies

def error_value(ctype):
    return "NULL" if ctype.ptr else "-1"


class ServerEmitter:
    """The dispatch handler of one procedure, from its Mapping. helpers
    collects the file-level functions it needs (name -> code)."""

    def __init__(self, prog, proc, mapping, headers, helpers, args_fields=()):
        self.prog = prog
        self.proc = proc
        self.m = mapping
        self.headers = headers
        self.helpers = helpers
        self.args_fields = [f.name for f in args_fields]
        self.b = Body()

    def flags(self):
        """Typed parameters the caller allocates honour the call's
        VIR_TYPED_PARAM_STRING_OKAY when it has flags; those the callee
        allocates (and records) always carry strings (libvirt's rules)."""
        return "args->flags" if "flags" in self.args_fields else "VIR_TYPED_PARAM_STRING_OKAY"

    def local(self, ctype_text, name, init=None):
        self.b.decl("%s%s%s%s;" % (ctype_text, "" if ctype_text.endswith("*") else " ",
                                    name, " = %s" % init if init is not None else ""))
        return name

    def emit(self):
        b = self.b
        fn = self.m.fn
        p = self.prog.prefix
        self.local(self.m.first.ctype.spelled(), "conn")
        for bd in self.m.bindings:
            getattr(self, "bind_" + bd.role)(bd)
        call_args = ["conn"] + b.args
        rt = self.headers.resolve(fn.ret)
        rb = self.m.ret_binding
        counted = [x for x in self.m.bindings if x.role in ("carray", "list", "rlist")]
        if b.lend:
            self.check_lending(rt, rb)
        if rt.ptr:
            self.local(fn.ret.spelled(), "result", "NULL")
            call = c_call("    if (!(result = " + fn.name, call_args, "))")
        elif b.lend:
            # the call owns the results at once, whether the API failed or not
            self.local("int", "n", "-1")
            call = (c_call("    n = " + fn.name, call_args, ";") + "\n"
                    + "".join("    virNetServerCallLend(call, (GDestroyNotify)%s, %s);\n"
                              % (free, var) for var, free in b.lend)
                    + "    if (n < 0)")
        elif rb is not None or counted:
            self.local("int", "n", "-1")
            call = c_call("    if ((n = " + fn.name, call_args, ") < 0)")
        else:
            call = c_call("    if (" + fn.name, call_args, " < 0)")
        if rb is not None:
            self.ret_return(rb, rt)
        out = [c_comment(doc_text(self.proc.docs)),
               "static int\n%sDispatch%s(virNetServerCall *call, void *argsp, void *retp)\n{\n"
               % (p, self.proc.pascal)]
        if self.proc.args:
            out.append("    %s *args = argsp;\n" % self.proc.args)
        if self.proc.ret:
            out.append("    %s *ret = retp;\n" % self.proc.ret)
        out.extend("    %s\n" % d for d in b.decls)
        out.append("    int rv = -1;\n\n")
        unused = [v for v, used in (("argsp", self.proc.args), ("retp", self.proc.ret))
                  if not used]
        if unused:
            out.extend("    (void)%s;\n" % v for v in unused)
            out.append("\n")
        out.append("    if (!(conn = %sConnGet(call)))\n        return -1;\n" % p)
        out.extend(b.pre)
        out.append(call + "\n        goto cleanup;\n")
        out.extend(b.post)
        out.append("    rv = 0;\n\n cleanup:\n")
        out.extend(b.cleanup)
        out.append("    %sConnRelease(conn);\n    return rv;\n}\n" % p)
        return "".join(out)

    def check_lending(self, rt, rb):
        """A reply that borrows is never xdr_free'd: nothing else in it
        may own memory (only scalars beside the borrowed result)."""
        own = [bd.rfield.name if bd.rfield else bd.param.name for bd in self.m.bindings
               if bd.role not in ("in", "handle_in", "stream", "list", "rlist")
               and not (bd.role == "inout" or
                        (bd.role == "out" and bd.rshape and bd.rshape.kind == "scalar"))]
        if rt.ptr or (rb is not None and rb.rshape.kind != "scalar"):
            own.append("the return value")
        if own:
            raise ShapeError(self.proc.line, "a reply that borrows (a list the callee allocates) "
                             "cannot also own %s" % ", ".join(own))

    # -- parameters
    def bind_in(self, bd):
        f, shape, b = bd.field, bd.shape, self.b
        acc = "args->%s" % f.name
        if shape.kind == "scalar":
            b.args.append(acc)
        elif shape.kind == "string":
            b.args.append(acc)
        elif shape.kind == "string_opt":
            b.args.append("%s ? *%s : NULL" % (acc, acc))
        elif shape.kind == "bytes_fixed":
            b.args.append("(%s)%s" % (bd.param.ctype.spelled(), acc))
        elif shape.kind == "array" and shape.elem.kind == "handle":
            h = shape.elem.handle
            name = self.local(h.server + " *", bd.param.name, "NULL")
            self.local("size_t", "i")
            b.pre.append("    %s = g_new0(%s, %s + 1);\n"
                         "    for (i = 0; i < %s; i++)\n        %s[i] = %s(&%s[i]);\n"
                         % (name, h.server, field_len(acc, shape), field_len(acc, shape),
                            name, handle_fn(h, "FromWire"), field_val(acc, shape)))
            b.cleanup.append("    g_free(%s);\n" % name)
            b.args.append(name)
            b.args.append(field_len(acc, shape))
        elif shape.kind == "array" and shape.elem.kind == "scalar":
            b.args.append(field_val(acc, shape))
            b.args.append(field_len(acc, shape))
        elif shape.kind in ("array", "bytes_var"):
            b.args.append("(%s)%s" % (bd.param.ctype.spelled(), field_val(acc, shape)))
            b.args.append(field_len(acc, shape))
        elif shape.kind == "typed_params":
            name = self.local("virTypedParameter *", bd.param.name, "NULL")
            cnt = self.local("int", bd.count.name, "0")
            b.pre.append(c_call("    if (virNetTypedParamsDecode",
                                [field_val(acc, shape), field_len(acc, shape), size_expr(shape),
                                 "&" + name, "&" + cnt], " < 0)") + "\n        goto cleanup;\n")
            b.cleanup.append("    virTypedParamsFree(%s, %s);\n" % (name, cnt))
            b.args.append(name)
            b.args.append(cnt)
        else:
            raise ShapeError(f.line, "cannot pass %s" % shape.desc)

    def bind_stream(self, bd):
        """The stream the call opens: made before the API runs, released by
        the handler when it returns (the RPC layer keeps what it needs)."""
        b, p = self.b, self.prog.prefix
        name = self.local(bd.param.ctype.spelled(), bd.param.name, "NULL")
        b.pre.append("    if (!(%s = %sStreamOpen(call, %s)))\n        goto cleanup;\n"
                     % (name, p, STREAM_FLOWS[self.proc.stream]))
        b.args.append(name)
        b.cleanup.append("    %sStreamRelease(%s);\n" % (p, name))

    def bind_handle_in(self, bd):
        f, shape, b = bd.field, bd.shape, self.b
        h = shape.handle
        conv = handle_fn(h, "FromWire")
        name = bd.param.name
        if shape.kind == "handle":
            self.local(h.server, name, "%s(&args->%s)" % (conv, f.name))
            b.args.append("&" + name)
        else:
            self.local(h.server, name, "{ 0 }")
            b.pre.append("    if (args->%s)\n        %s = %s(args->%s);\n"
                         % (f.name, name, conv, f.name))
            b.args.append("args->%s ? &%s : NULL" % (f.name, name))

    def bind_inout(self, bd):
        ct = self.headers.resolve(bd.param.ctype)
        name = self.local(ct.base, bd.param.name, "args->%s" % bd.field.name)
        self.b.args.append("&" + name)
        self.b.post.append("    ret->%s = %s;\n" % (bd.rfield.name, name))

    def bind_out(self, bd):
        f, shape, b = bd.rfield, bd.rshape, self.b
        ct = self.headers.resolve(bd.param.ctype)
        if shape.kind == "scalar":
            name = self.local(ct.base, bd.param.name, "0")
            b.args.append("&" + name)
            b.post.append("    ret->%s = %s;\n" % (f.name, name))
        elif shape.kind in ("string", "string_opt"):
            name = self.local("char *", bd.param.name, "NULL")
            b.args.append("&" + name)
            if shape.kind == "string":
                b.post.append("    ret->%s = %s;\n" % (f.name, name))
            else:
                b.post.append("    if (%s) {\n        ret->%s = g_new0(char *, 1);\n"
                              "        *ret->%s = %s;\n    }\n" % (name, f.name, f.name, name))
        elif shape.kind == "bytes_fixed":
            b.args.append("(%s)ret->%s" % (bd.param.ctype.spelled(), f.name))
        else:
            raise ShapeError(f.line, "cannot return %s" % shape.desc)

    def bind_carray(self, bd):
        f, shape, b = bd.rfield, bd.rshape, self.b
        cap = "args->%s" % bd.cap.field.name
        acc = "ret->%s" % f.name
        elem_t = "char *" if shape.elem.kind == "string" else shape.elem.ctype
        words = self.proc.notes.get("limit-error", "rpc")
        b.pre.append("    if (%s > %s) {\n"
                     "        virReportError(%s, \"%%s\", \"%s\");\n"
                     "        goto cleanup;\n    }\n"
                     % (cap, size_expr(shape),
                        "VIR_ERR_RPC" if words == "rpc" else "VIR_ERR_INTERNAL_ERROR",
                        "%s too large" % bd.cap.field.name if words == "too-large" else
                        "%s > %s" % (bd.cap.field.name, size_expr(shape))))
        if bd.members:
            self.bind_carray_records(bd, cap, acc)
            return
        b.pre.append("    if (%s > 0)\n        %s = g_new0(%s, %s);\n"
                     % (cap, field_val(acc, shape), elem_t, cap))
        b.args.append("(%s)%s" % (bd.param.ctype.spelled(), field_val(acc, shape)))
        b.post.append("    %s = n;\n" % field_len(acc, shape))

    def bind_carray_records(self, bd, cap, acc):
        """C records in an array the handler allocates; the reply gets
        copies, the C strings the driver put there are freed."""
        f, shape, b = bd.rfield, bd.rshape, self.b
        st_name = bd.param.ctype.base
        conv = st_name + "ToWire"
        self.helpers.setdefault(conv, record_to_wire(conv, shape.elem.struct.name, st_name,
                                                     bd.members))
        name = self.local("%s *" % st_name, bd.param.name, "NULL")
        self.local("size_t", "i")
        # a zero cap passes NULL: libvirt's "return the count" convention
        b.pre.append("    if (%s > 0)\n        %s = g_new0(%s, %s);\n" % (cap, name, st_name, cap))
        b.args.append(name)
        b.post.append("    if (%s) {\n"
                      "        %s = g_new0(%s, n + 1);\n        %s = n;\n"
                      "        for (i = 0; i < %s; i++)\n            %s(&%s[i], &%s[i]);\n"
                      "    }\n"
                      % (name, field_val(acc, shape), shape.elem.struct.name, field_len(acc, shape),
                         field_len(acc, shape), conv, field_val(acc, shape), name))
        strings = [m.name for m, _, mshape, _ in bd.members if mshape.kind == "string"]
        if strings:
            b.cleanup.append("    for (i = 0; %s && (int)i < n; i++) {\n%s    }\n"
                             % (name, "".join("        g_free(%s[i].%s);\n" % (name, m)
                                              for m in strings)))
        b.cleanup.append("    g_free(%s);\n" % name)

    def bind_list(self, bd):
        """A list the callee allocates: the reply borrows the handles'
        strings (virNetServerCallLend), no copy."""
        f, shape, b = bd.rfield, bd.rshape, self.b
        h = shape.elem.handle
        acc = "ret->%s" % f.name
        name = self.local("%s **" % h.server, bd.param.name, "NULL")
        self.local("size_t", "i")
        if bd.need_results is not None:
            b.args.append("args->%s ? &%s : NULL" % (bd.need_results.name, name))
        else:
            b.args.append("&" + name)
        self.lend(name, "%sListFree" % h.server)
        fill = reply_list(acc, f, shape, h.wire,
                          "%s(&%s[i], %s[i]);" % (handle_fn(h, "ToWireBorrowed"),
                                                 field_val(acc, shape), name))
        b.post.append("    if (%s) {\n%s    }\n"
                      % (name, "".join("    " + l + "\n" for l in fill.splitlines())))

    def bind_rlist(self, bd):
        """Records the callee allocates: the reply borrows their strings
        (virNetServerCallLend), no copy."""
        f, shape, b = bd.rfield, bd.rshape, self.b
        st_name = bd.param.ctype.base
        wire = shape.elem.struct.name
        acc = "ret->%s" % f.name
        conv = st_name + "ToWireLent"
        self.helpers.setdefault(conv, record_to_wire(conv, wire, st_name, bd.members,
                                                     lent=True))
        name = self.local("%s **" % st_name, bd.param.name, "NULL")
        self.local("size_t", "i")
        b.args.append("&" + name)
        self.lend(name, "%sListFree" % st_name)
        b.post.append(reply_list(acc, f, shape, wire,
                                 "if (%s(call, &%s[i], %s[i]) < 0)\n        goto cleanup;"
                                 % (conv, field_val(acc, shape), name)))

    def lend(self, name, free):
        """The API's result name goes to the call, which frees it with free
        once the reply, which borrows from it, is encoded."""
        if self.b.lend:
            raise ShapeError(self.proc.line, "a reply can borrow from one result only")
        self.b.lend.append((name, free))

    def bind_tparams_caller(self, bd):
        f, shape, b = bd.rfield, bd.rshape, self.b
        cap = "args->%s" % bd.cap.name
        acc = "ret->%s" % f.name
        name = self.local("virTypedParameter *", bd.param.name, "NULL")
        # libvirtd's words for typed parameters (its hand-written getters)
        b.pre.append("    if (%s > %s) {\n"
                     "        virReportError(VIR_ERR_INTERNAL_ERROR, \"%%s\", \"%s too large\");\n"
                     "        goto cleanup;\n    }\n"
                     % (cap, size_expr(shape), bd.cap.name))
        b.pre.append("    if (%s > 0)\n        %s = g_new0(virTypedParameter, %s);\n"
                     % (cap, name, cap))
        b.args.append(name)
        b.post.append("    if (%s > 0 &&\n%s\n        goto cleanup;\n"
                      % (cap, c_call("        virNetTypedParamsEncode",
                                     [name, bd.count.name, size_expr(shape), self.flags(),
                                      "&" + field_val(acc, shape), "&" + field_len(acc, shape)],
                                     " < 0)")))
        b.cleanup.append("    virTypedParamsFree(%s, %s > 0 ? %s : 0);\n"
                         % (name, cap, bd.count.name))

    def bind_tparams_callee(self, bd):
        f, shape, b = bd.rfield, bd.rshape, self.b
        acc = "ret->%s" % f.name
        name = self.local("virTypedParameter *", bd.param.name, "NULL")
        cnt = self.local("int", bd.count.name, "0")
        b.args.append("&" + name)
        b.args.append("&" + cnt)
        b.post.append("%s\n        goto cleanup;\n"
                      % c_call("    if (virNetTypedParamsEncode",
                               [name, cnt, size_expr(shape), "VIR_TYPED_PARAM_STRING_OKAY",
                                "&" + field_val(acc, shape), "&" + field_len(acc, shape)],
                               " < 0)"))
        b.cleanup.append("    virTypedParamsFree(%s, %s);\n" % (name, cnt))

    def bind_struct_out(self, bd):
        st = bd.shape
        name = self.local(st.name, bd.param.name)
        self.b.pre.append("    memset(&%s, 0, sizeof(%s));\n" % (name, name))
        self.b.args.append("&" + name)
        for m, f, shape in bd.members:
            src = "%s.%s" % (name, m.name)
            dst = "ret->%s" % f.name
            if shape.kind == "scalar":
                self.b.post.append("    %s = %s;\n" % (dst, src))
            elif shape.kind == "chars_fixed":
                self.b.post.append("    G_STATIC_ASSERT(sizeof(%s) == sizeof(%s));\n"
                                   "    memcpy(%s, %s, sizeof(%s));\n" % (dst, src, dst, src, dst))
            elif shape.kind == "bytes_fixed":
                self.b.post.append("    G_STATIC_ASSERT(sizeof(%s) == sizeof(%s));\n"
                                   "    memcpy(%s, %s, sizeof(%s));\n" % (dst, src, dst, src, dst))
            elif shape.kind == "chars_var":
                # a C string with its NUL, one word per char
                self.b.post.append("    %s = strnlen(%s, sizeof(%s) - 1) + 1;\n"
                                   "    %s = g_strndup(%s, %s - 1);\n"
                                   % (field_len(dst, shape), src, src,
                                      field_val(dst, shape), src, field_len(dst, shape)))
            elif shape.kind == "string":
                self.b.post.append("    %s = g_strdup(%s);\n" % (dst, src))

    def ret_return(self, rb, rt):
        f, shape = rb.rfield, rb.rshape
        if shape.kind == "scalar":
            self.b.post.append("    ret->%s = n;\n" % f.name)
        elif shape.kind == "handle":
            h = shape.handle
            self.b.post.append("    %s(&ret->%s, result);\n" % (handle_fn(h, "ToWire"), f.name))
            self.b.cleanup.append("    %sFree(result);\n" % h.server)
        elif shape.kind in ("string", "string_opt"):
            own = "g_strdup(result)" if self.m.fn.ret.const else "g_steal_pointer(&result)"
            if shape.kind == "string":
                self.b.post.append("    ret->%s = %s;\n" % (f.name, own))
            else:
                self.b.post.append("    ret->%s = g_new0(char *, 1);\n    *ret->%s = %s;\n"
                                   % (f.name, f.name, own))
            if not self.m.fn.ret.const:
                self.b.cleanup.append("    g_free(result);\n")




def reply_list(acc, f, shape, wire, convert):
    """The server's code that packs n entries into the ret array acc, one
    `convert` (using i) each, refusing more than the protocol's limit. The
    array is the call's (virNetServerCallAlloc): the reply borrows."""
    return ("    if (n > %(max)s) {\n"
            "        virReportError(VIR_ERR_RPC, \"too many %(what)s (%%d) for one reply, "
            "at most %%d\",\n"
            "                       n, %(max)s);\n"
            "        goto cleanup;\n"
            "    }\n"
            "    %(val)s = virNetServerCallAlloc(call, n > 0 ? n : 1, sizeof(%(wire)s));\n"
            "    %(len)s = n;\n"
            "    for (i = 0; i < (size_t)n; i++) {\n"
            "        %(convert)s\n"
            "    }\n" % dict(max=size_expr(shape), what=f.name, wire=wire,
                           val=field_val(acc, shape), len=field_len(acc, shape),
                           convert=convert))


def record_to_wire(name, wire, st_name, members, lent=False):
    """A server-side converter: a C record to its wire struct, with copies;
    or, lent, for a reply that borrows (virNetServerCallLend): pointing at
    the record's strings, its arrays from the call (virNetServerCallAlloc)."""
    lines = []
    for m, f, shape, count in members:
        if shape.kind == "handle":
            lines.append("    %s(&dst->%s, src->%s);\n"
                         % (handle_fn(shape.handle, "ToWireBorrowed" if lent else "ToWire"),
                            f.name, m.name))
        elif shape.kind == "typed_params" and lent:
            val, cnt = field_val("dst->" + f.name, shape), field_len("dst->" + f.name, shape)
            # too many: EncodeInto refuses them before it writes anything
            lines.append("    %s = virNetServerCallAlloc(call,\n"
                         "        src->%s > 0 && src->%s <= %s ? src->%s : 1, sizeof(*%s));\n"
                         "    if (virNetTypedParamsEncodeInto(src->%s, src->%s, %s,\n"
                         "                                    VIR_TYPED_PARAM_STRING_OKAY,\n"
                         "                                    %s, &%s) < 0)\n"
                         "        return -1;\n"
                         % (val, count.name, count.name, size_expr(shape), count.name, val,
                            m.name, count.name, size_expr(shape), val, cnt))
        elif shape.kind == "typed_params":
            lines.append("    if (virNetTypedParamsEncode(src->%s, src->%s, %s,\n"
                         "                                VIR_TYPED_PARAM_STRING_OKAY,\n"
                         "                                &%s, &%s) < 0)\n        return -1;\n"
                         % (m.name, count.name, size_expr(shape),
                            field_val("dst->" + f.name, shape), field_len("dst->" + f.name, shape)))
        elif shape.kind == "string":
            lines.append("    dst->%s = %s(src->%s);\n"
                         % (f.name, "(char *)" if lent else "g_strdup", m.name))
        elif shape.kind == "bytes_var":
            # lent: the bytes stay the record's, like its strings
            lines.append("    if ((unsigned int)src->%(n)s > %(max)s) {\n"
                         "        virReportError(VIR_ERR_RPC, \"%(m)s too long: %%d > %%d\",\n"
                         "                       (int)src->%(n)s, %(max)s);\n"
                         "        return -1;\n    }\n"
                         "    %(len)s = src->%(n)s;\n"
                         "    %(val)s = %(copy)s;\n"
                         % dict(n=count.name, m=m.name, max=size_expr(shape),
                                len=field_len("dst->" + f.name, shape),
                                val=field_val("dst->" + f.name, shape),
                                copy=("(char *)src->%s" % m.name) if lent else
                                     ("g_memdup2(src->%s, src->%s)" % (m.name, count.name))))
        else:
            lines.append("    dst->%s = src->%s;\n" % (f.name, m.name))
    if lent:
        return ("\n/* The wire form of a %s, borrowing its strings (a reply that\n"
                " * borrows: virNetServerCallLend). */\n"
                "static int\n%s(virNetServerCall *call, %s *dst, const %s *src)\n{\n"
                "%s    return 0;\n}\n" % (st_name, name, wire, st_name, "".join(lines)))
    return ("\n/* The wire form of a %s (copies). */\n"
            "static int\n%s(%s *dst, const %s *src)\n{\n"
            "%s    return 0;\n}\n" % (st_name, name, wire, st_name, "".join(lines)))


def record_from_wire(name, conn_type, wire, st_name, members):
    """A client-side converter: a wire record into a C record."""
    lines = []
    for m, f, shape, count in members:
        src = "src->" + f.name
        if shape.kind == "handle":
            lines.append("    dst->%s = %s(conn, &%s);\n" % (m.name, handle_fn_client(shape.handle,
                                                                                  "FromWire"), src))
        elif shape.kind == "typed_params":
            lines.append("    if (virNetTypedParamsDecode(%s, %s, %s, &dst->%s, &dst->%s) < 0)\n"
                         "        return -1;\n" % (field_val(src, shape), field_len(src, shape),
                                                  size_expr(shape), m.name, count.name))
        elif shape.kind == "string":
            lines.append("    dst->%s = g_strdup(%s);\n" % (m.name, src))
        elif shape.kind == "bytes_var":
            lines.append("    dst->%s = g_memdup2(%s, %s);\n    dst->%s = %s;\n"
                         % (m.name, field_val(src, shape), field_len(src, shape),
                            count.name, field_len(src, shape)))
        else:
            lines.append("    dst->%s = %s;\n" % (m.name, src))
    return ("\n/* A %s from its wire form (copies). */\n"
            "static int\n%s(%s *conn, %s *dst, const %s *src)\n{\n%s    return 0;\n}\n"
            % (st_name, name, conn_type, st_name, wire, "".join(lines)))


# ---------------------------------------------------------------------------
# Client bodies

class ClientEmitter:
    """The body of one client API function, from its Mapping."""

    def __init__(self, prog, proc, mapping, headers, conn_type, first_handle):
        self.prog = prog
        self.proc = proc
        self.m = mapping
        self.headers = headers
        self.conn_type = conn_type          # "vnConnect"
        self.first_handle = first_handle    # Handle or None
        self.b = Body()
        self.fn = mapping.fn
        self.err = error_value(headers.resolve(self.fn.ret))
        self.helpers = {}       # name -> code of the file-level helpers it needs
        self.checked = set()    # parameters already checked for NULL

    def local(self, ctype_text, name, init=None):
        self.b.decl("%s%s%s%s;" % (ctype_text, "" if ctype_text.endswith("*") else " ",
                                    name, " = %s" % init if init is not None else ""))
        return name

    def check(self, cond, code, *args):
        """Fail the call with virReportError(code, args...) when cond holds."""
        self.b.pre.append("    if (%s) {\n%s\n        goto cleanup;\n    }\n"
                          % (cond, c_call("        virReportError", [code] + list(args), ";")))

    def emit(self):
        fn, b = self.fn, self.b
        first = self.m.first
        first_param = first.param if hasattr(first, "param") else first
        if self.first_handle is not None:
            conn = self.local(self.conn_type + " *", "conn")
            get = "%sCallConn(%s)" % (self.first_handle.client, first_param.name)
            bd = first
            b.pre.append("    %s(%s, &args.%s);\n" % (handle_fn_client(self.first_handle, "ToWire"),
                                                    first_param.name, bd.field.name))
        else:
            conn = first_param.name
            get = "%sCallConn(%s)" % (self.conn_type, conn)
        self.conn = conn
        for bd in self.m.bindings:
            getattr(self, "bind_" + bd.role)(bd)
        rb = self.m.ret_binding
        counted = [x for x in self.m.bindings if x.role in ("carray", "list", "rlist")]
        rt = self.headers.resolve(fn.ret)
        self.local(fn.ret.spelled(), "rv", self.err)
        if rb is not None:
            value = self.ret_value(rb)
        elif counted and counted[0].role in ("carray", "rlist"):
            value = "(int)%s" % field_len("ret." + counted[0].rfield.name, counted[0].rshape)
        elif rt.ptr:
            raise ShapeError(self.proc.line, "%s returns a pointer but no ret field is left"
                             % fn.name)
        else:
            value = "0"
        call_args = ["%sCallProgram(%s)" % (self.conn_type, conn),
                     "%sCallClient(%s)" % (self.conn_type, conn)]
        if self.proc.stream:
            call_args.append(self.stream_local)
        if self.proc.args:
            call_args.append("&args")
        if self.proc.ret:
            call_args.append("&ret")
        out = [c_comment(doc_text(self.proc.docs))]
        out.append("%s\n" % fn.ret.spelled())
        params = ["%s%s" % (p.ctype.spelled() + ("" if p.ctype.spelled().endswith("*") else " "),
                            p.name) for p in fn.params]
        out.append(c_call(fn.name, params, "") + "\n{\n")
        if self.proc.args:
            out.append("    %s args = { 0 };\n" % self.proc.args)
        if self.proc.ret:
            out.append("    %s ret = { 0 };\n" % self.proc.ret)
        out.extend("    %s\n" % d for d in b.decls)
        out.append("\n    if (!(%s = %s))\n        return %s;\n" % (conn, get, self.err)
                   if self.first_handle is not None else
                   "\n    if (!%s)\n        return %s;\n" % (get, self.err))
        out.extend(b.pre)
        out.append(c_call("    if (%sCall%s" % (self.prog.prefix, self.proc.pascal),
                          call_args, " < 0)") + "\n        goto cleanup;\n")
        out.extend(b.post)
        out.append("    rv = %s;\n\n cleanup:\n" % value)
        out.extend(b.cleanup)
        if self.proc.ret:
            out.append("    xdr_free((xdrproc_t)xdr_%s, (char *)&ret);\n" % self.proc.ret)
        out.append("    return rv;\n}\n")
        return "".join(out)

    # -- parameters
    def bind_in(self, bd):
        f, shape, b, p = bd.field, bd.shape, self.b, bd.param.name
        acc = "args.%s" % f.name
        if shape.kind == "scalar":
            b.pre.append("    %s = %s;\n" % (acc, p))
        elif shape.kind == "string":
            self.nonnull(p)
            b.pre.append("    %s = (char *)%s;\n" % (acc, p))
        elif shape.kind == "string_opt":
            w = self.local("char *", p + "Wire", "(char *)" + p)
            b.pre.append("    %s = %s ? &%s : NULL;\n" % (acc, p, w))
        elif shape.kind == "bytes_fixed":
            self.nonnull(p)
            b.pre.append("    memcpy(%s, %s, sizeof(%s));\n" % (acc, p, acc))
        elif shape.kind in ("array", "bytes_var"):
            cnt = bd.count.name
            self.range_check(cnt, cnt, size_expr(shape), bd.count)
            self.check("%s > 0 && !%s" % (cnt, p), "VIR_ERR_INVALID_ARG",
                       '"%s in %s must not be NULL"', '"%s"' % p, "__func__")
            if shape.kind == "array" and shape.elem.kind == "handle":
                h = shape.elem.handle
                w = self.local(h.wire + " *", p + "Wire", "NULL")
                self.local("size_t", "i")
                b.pre.append("    %s = g_new0(%s, %s > 0 ? %s : 1);\n"
                             "    for (i = 0; i < (size_t)%s; i++) {\n"
                             "        if (!%s[i]) {\n"
                             "            virReportError(VIR_ERR_INVALID_ARG, \"%%s[%%zu] in %%s must not be NULL\",\n"
                             "                           \"%s\", i, __func__);\n"
                             "            goto cleanup;\n        }\n"
                             "        %s(%s[i], &%s[i]);\n    }\n"
                             "    %s = %s;\n    %s = %s;\n"
                             % (w, h.wire, cnt, cnt, cnt, p, p, handle_fn_client(h, "ToWire"),
                                p, w, field_val(acc, shape), w, field_len(acc, shape), cnt))
                b.cleanup.append("    g_free(%s);\n" % w)
                return
            if shape.kind == "bytes_var":
                elem_t = "char *"
            elif shape.elem.kind == "string":
                elem_t = "char **"
            else:
                elem_t = shape.ctype + " *"
            b.pre.append("    %s = (%s)%s;\n    %s = %s;\n"
                         % (field_val(acc, shape), elem_t, p, field_len(acc, shape), cnt))
        elif shape.kind == "typed_params":
            cnt = bd.count.name
            b.pre.append(c_call("    if (virNetTypedParamsEncodeBorrowed",
                                [p, cnt, size_expr(shape), "&" + field_val(acc, shape),
                                 "&" + field_len(acc, shape)], " < 0)") + "\n        goto cleanup;\n")
            b.cleanup.append("    g_free(%s);\n" % field_val(acc, shape))
        else:
            raise ShapeError(f.line, "cannot pass %s" % shape.desc)

    def bind_stream(self, bd):
        """The application's stream object: the hook checks it and gives the
        RPC stream the call opens (sparse when the call's flags say so)."""
        p = bd.param.name
        stype = self.prog.stream_types[1]
        self.stream_local = self.local("virNetClientStream *", p + "Stream", "NULL")
        sparse = "(flags & %s) != 0" % self.proc.sparse_flag if self.proc.sparse_flag \
            else "false"
        self.b.pre.append(c_call("    if (!(%s = %sCallBegin" % (self.stream_local, stype),
                                 [p, self.conn, STREAM_FLOWS[self.proc.stream], sparse],
                                 "))")
                          + "\n        goto cleanup;\n")

    def bind_handle_in(self, bd):
        if bd is self.m.first:
            return
        f, shape, b, p = bd.field, bd.shape, self.b, bd.param.name
        h = shape.handle
        if shape.kind == "handle":
            self.nonnull(p)
            b.pre.append("    %s(%s, &args.%s);\n" % (handle_fn_client(h, "ToWire"), p, f.name))
        else:
            w = self.local(h.wire, p + "Wire")
            b.pre.append("    if (%s) {\n        %s(%s, &%s);\n        args.%s = &%s;\n    }\n"
                         % (p, handle_fn_client(h, "ToWire"), p, w, f.name, w))

    def bind_inout(self, bd):
        p = bd.param.name
        self.nonnull(p)
        self.b.pre.append("    args.%s = *%s;\n" % (bd.field.name, p))
        self.b.post.append("    *%s = ret.%s;\n" % (p, bd.rfield.name))

    def bind_out(self, bd):
        f, shape, b, p = bd.rfield, bd.rshape, self.b, bd.param.name
        self.nonnull(p)
        if shape.kind == "scalar":
            b.post.append("    *%s = ret.%s;\n" % (p, f.name))
        elif shape.kind == "string":
            b.post.append("    *%s = g_steal_pointer(&ret.%s);\n" % (p, f.name))
        elif shape.kind == "string_opt":
            b.post.append("    *%s = ret.%s ? g_steal_pointer(ret.%s) : NULL;\n"
                          % (p, f.name, f.name))
        elif shape.kind == "bytes_fixed":
            b.post.append("    memcpy(%s, ret.%s, sizeof(ret.%s));\n" % (p, f.name, f.name))
        else:
            raise ShapeError(f.line, "cannot return %s" % shape.desc)

    def bind_carray(self, bd):
        f, shape, b, p = bd.rfield, bd.rshape, self.b, bd.param.name
        cap = bd.cap.param.name
        acc = "ret.%s" % f.name
        self.range_check(cap, cap, size_expr(shape))
        self.check("%s > 0 && !%s" % (cap, p), "VIR_ERR_INVALID_ARG",
                   '"%s in %s must not be NULL"', '"%s"' % p, "__func__")
        self.local("size_t", "i")
        b.post.append("    if (%s > (u_int)%s) {\n"
                      "        virReportError(VIR_ERR_RPC, \"too many %s in the reply: %%u > %%d\",\n"
                      "                       %s, %s);\n"
                      "        goto cleanup;\n    }\n"
                      % (field_len(acc, shape), cap, f.name, field_len(acc, shape), cap))
        if bd.members:
            st_name = bd.param.ctype.base
            conv = st_name + "FromWire"
            self.helpers.setdefault(conv, record_from_wire(conv, self.conn_type,
                                                           shape.elem.struct.name, st_name,
                                                           bd.members))
            b.post.append("    for (i = 0; i < %s; i++)\n"
                          "        if (%s(%s, &%s[i], &%s[i]) < 0)\n            goto cleanup;\n"
                          % (field_len(acc, shape), conv, self.conn, p, field_val(acc, shape)))
        elif shape.elem.kind == "string":
            b.post.append("    for (i = 0; i < %s; i++)\n        %s[i] = g_steal_pointer(&%s[i]);\n"
                          % (field_len(acc, shape), p, field_val(acc, shape)))
        else:
            b.post.append("    for (i = 0; i < %s; i++)\n        %s[i] = %s[i];\n"
                          % (field_len(acc, shape), p, field_val(acc, shape)))

    def bind_list(self, bd):
        f, shape, b, p = bd.rfield, bd.rshape, self.b, bd.param.name
        h = shape.elem.handle
        acc = "ret.%s" % f.name
        self.local("size_t", "i")
        if bd.need_results is not None:
            b.pre.append("    if (%s)\n        *%s = NULL;\n    args.%s = %s != NULL;\n"
                         % (p, p, bd.need_results.name, p))
        else:
            self.nonnull(p)
        b.post.append("    if (%(p)s) {\n"
                      "        %(t)s **list = g_new0(%(t)s *, %(len)s + 1);\n\n"
                      "        for (i = 0; i < %(len)s; i++)\n"
                      "            list[i] = %(conv)s(%(conn)s, &%(val)s[i]);\n"
                      "        *%(p)s = list;\n    }\n"
                      % dict(p=p, t=h.client, len=field_len(acc, shape),
                             conv=handle_fn_client(h, "FromWire"), conn=self.conn,
                             val=field_val(acc, shape)))

    def bind_rlist(self, bd):
        f, shape, b, p = bd.rfield, bd.rshape, self.b, bd.param.name
        st_name = bd.param.ctype.base
        acc = "ret.%s" % f.name
        conv = st_name + "FromWire"
        self.helpers.setdefault(conv, record_from_wire(conv, self.conn_type,
                                                       shape.elem.struct.name, st_name,
                                                       bd.members))
        self.nonnull(p)
        self.local("size_t", "i")
        list_name = self.local("%s **" % st_name, p + "List", "NULL")
        b.post.append("    %(l)s = g_new0(%(t)s *, %(len)s + 1);\n"
                      "    for (i = 0; i < %(len)s; i++) {\n"
                      "        %(l)s[i] = g_new0(%(t)s, 1);\n"
                      "        if (%(conv)s(%(conn)s, %(l)s[i], &%(val)s[i]) < 0)\n"
                      "            goto cleanup;\n"
                      "    }\n"
                      "    *%(p)s = g_steal_pointer(&%(l)s);\n"
                      % dict(l=list_name, t=st_name, len=field_len(acc, shape), conv=conv,
                             conn=self.conn, val=field_val(acc, shape), p=p))
        b.cleanup.append("    %sListFree(%s);\n" % (st_name, list_name))

    def bind_tparams_caller(self, bd):
        f, shape, b, p = bd.rfield, bd.rshape, self.b, bd.param.name
        acc = "ret.%s" % f.name
        cnt = bd.count.name
        self.nonnull(cnt)
        self.range_check(cnt, "*" + cnt, size_expr(shape))
        self.check("*%s > 0 && !%s" % (cnt, p), "VIR_ERR_INVALID_ARG",
                   '"%s in %s must not be NULL"', '"%s"' % p, "__func__")
        b.post.append("    if (args.%s > 0 &&\n%s\n        goto cleanup;\n"
                      % (bd.cap.name, c_call("        virNetTypedParamsDecodeInto",
                                             [field_val(acc, shape), field_len(acc, shape), p,
                                              "args." + bd.cap.name], " < 0)")))

    def bind_tparams_callee(self, bd):
        f, shape, b, p = bd.rfield, bd.rshape, self.b, bd.param.name
        acc = "ret.%s" % f.name
        self.nonnull(p)
        self.nonnull(bd.count.name)
        b.post.append(c_call("    if (virNetTypedParamsDecode",
                             [field_val(acc, shape), field_len(acc, shape), size_expr(shape),
                              p, bd.count.name], " < 0)") + "\n        goto cleanup;\n")

    def bind_struct_out(self, bd):
        p = bd.param.name
        self.nonnull(p)
        self.b.pre.append("    memset(%s, 0, sizeof(*%s));\n" % (p, p))
        for m, f, shape in bd.members:
            dst = "%s->%s" % (p, m.name)
            src = "ret.%s" % f.name
            if shape.kind == "scalar":
                self.b.post.append("    %s = %s;\n" % (dst, src))
            elif shape.kind in ("chars_fixed", "bytes_fixed"):
                self.b.post.append("    G_STATIC_ASSERT(sizeof(%s) == sizeof(%s));\n"
                                   "    memcpy(%s, %s, sizeof(%s));\n" % (dst, src, dst, src, dst))
                if shape.kind == "chars_fixed":
                    self.b.post.append("    %s[sizeof(%s) - 1] = '\\0';\n" % (dst, dst))
            elif shape.kind == "chars_var":
                self.helpers["vngenCopyChars"] = CLIENT_HELPERS["copy_chars"]
                self.b.post.append("    vngenCopyChars(%s, sizeof(%s), %s, %s);\n"
                                   % (dst, dst, field_val(src, shape), field_len(src, shape)))
            elif shape.kind == "string":
                self.b.post.append("    %s = g_steal_pointer(&%s);\n" % (dst, src))

    def ret_value(self, rb):
        f, shape = rb.rfield, rb.rshape
        if shape.kind == "scalar":
            return "ret.%s" % f.name
        if shape.kind == "handle":
            return "%s(%s, &ret.%s)" % (handle_fn_client(shape.handle, "FromWire"),
                                        self.conn, f.name)
        if shape.kind == "string":
            return "g_steal_pointer(&ret.%s)" % f.name
        if shape.kind == "string_opt":
            return "ret.%s ? g_steal_pointer(ret.%s) : NULL" % (f.name, f.name)
        raise ShapeError(f.line, "cannot return %s" % shape.desc)

    def range_check(self, name, expr, limit, decl=None):
        """libvirt's checks of a count: not negative (its API's wording;
        an unsigned count, decl's type, cannot be), within the protocol's
        limit (its remote driver's)."""
        if not (decl and is_unsigned(decl.ctype)):
            self.check("%s < 0" % expr, "VIR_ERR_INVALID_ARG",
                       '"%s in %s must be zero or greater"', '"%s"' % name, "__func__")
        self.check("%s > %s" % (expr, limit), "VIR_ERR_RPC",
                   '"too many %s requested: %%d > %%d"' % name, expr, limit)

    def nonnull(self, p):
        if p in self.checked:
            return
        self.checked.add(p)
        self.check("!%s" % p, "VIR_ERR_INVALID_ARG",
                   '"%s in %s must not be NULL"', '"%s"' % p, "__func__")


def is_unsigned(ctype):
    """Whether a C scalar type cannot hold a negative value."""
    return ctype.ptr == 0 and (ctype.base.startswith("unsigned") or ctype.base == "size_t")


def handle_fn_client(handle, what):
    return handle.client + what


CLIENT_HELPERS = {
    "copy_chars": """
/* A char<N> of the wire (a C string, its NUL counted or not) into a C
 * buffer of dstlen bytes, always terminated. */
static void
vngenCopyChars(char *dst, size_t dstlen, const char *src, u_int srclen)
{
    size_t n = srclen < dstlen - 1 ? srclen : dstlen - 1;

    if (n > 0)
        memcpy(dst, src, n);
    dst[n] = '\\0';
}
""",
}


# ---------------------------------------------------------------------------
# Event relays (server side): a driver's event callback that sends the
# event to the client of a registration

class RelayEmitter:
    """The relay of one @relay event procedure: a C function with the
    signature of the driver's callback typedef that fills the event message
    (parameters matched to message fields by name) and sends it in the
    callback form, or in the legacy form (the message's `msg` field) for a
    legacy registration."""

    def __init__(self, prog, proc, space, headers, legacy):
        self.prog = prog
        self.proc = proc
        self.space = space
        self.headers = headers
        self.legacy = legacy      # the legacy event Procedure, or None

    def fail(self, message):
        raise ShapeError(self.proc.line, "%s (@relay): %s" % (self.proc.name, message))

    def emit(self):
        prog, proc = self.prog, self.proc
        fn = self.headers.funcptrs.get(proc.notes["relay"])
        if fn is None:
            self.fail("no callback type %s in the API headers" % proc.notes["relay"])
        if fn.unsupported:
            self.fail("%s: %s" % (fn.name, fn.unsupported))
        params = list(fn.params)
        if len(params) < 2 or params[-1].ctype.base != "void" or params[-1].ctype.ptr != 1:
            self.fail("%s must take the connection first and `void *opaque` last" % fn.name)
        conn, opaque, params = params[0], params[-1], params[1:-1]
        msg = self.space.lookup("structs", proc.msg) if proc.msg else None
        if msg is None or not msg.fields or msg.fields[0].name != "callback_id":
            self.fail("its message %s must start with `int callback_id`" % proc.msg)
        target = "data"
        fields = msg.fields[1:]
        if self.legacy is not None:
            target = "data.msg"
            fields = self.space.lookup("structs", self.legacy.msg).fields
        by_name = dict((norm(f.name), f) for f in fields)
        decls, fill, cleanup = [], [], []
        for p in params:
            f = by_name.pop(norm(p.name), None)
            if f is None:
                self.fail("%s's parameter '%s' has no field in %s"
                          % (fn.name, p.spelled(), self.legacy.msg if self.legacy else proc.msg))
            shape = self.space.resolve(f)
            ct = self.headers.resolve(p.ctype)
            dst = "%s.%s" % (target, f.name)
            if shape.kind == "handle":
                fill.append("    %s(&%s, %s);\n" % (handle_fn(shape.handle, "ToWireBorrowed"),
                                                   dst, p.name))
            elif shape.kind == "scalar":
                fill.append("    %s = %s;\n" % (dst, p.name))
            elif shape.kind == "string":
                fill.append("    %s = (char *)%s;\n" % (dst, p.name))
            elif shape.kind == "string_opt":
                decls.append("    char *%sWire = (char *)%s;\n" % (p.name, p.name))
                fill.append("    %s = %s ? &%sWire : NULL;\n" % (dst, p.name, p.name))
            elif shape.kind == "typed_params" and ct.ptr == 1:
                cnt = next((x for x in params if norm(x.name) == "n" + norm(p.name)), None)
                if cnt is None:
                    self.fail("typed parameters '%s' need n%s after them" % (p.name, p.name))
                fill.append("    if (virNetTypedParamsEncodeBorrowed(%s, %s, %s, &%s, &%s) < 0)\n"
                            "        return;\n" % (p.name, cnt.name, size_expr(shape),
                                                   field_val(dst, shape), field_len(dst, shape)))
                cleanup.append("    g_free(%s);\n" % field_val(dst, shape))
                by_name.pop(norm(cnt.name), None)
            else:
                self.fail("field '%s' (%s) cannot take '%s'" % (f.name, shape.desc, p.spelled()))
        # counts consumed by typed parameters are not fields of their own
        left = [f.name for f in by_name.values()]
        if left:
            self.fail("field%s %s of the message match%s no parameter of %s"
                      % ("s" if len(left) > 1 else "", ", ".join(left),
                         "" if len(left) > 1 else "es", fn.name))
        p = prog.prefix
        name = "%sRelay%s" % (p, proc.pascal)
        sig = c_call("%s" % name, [x.spelled() for x in fn.params], "")
        out = ["\n/* %s: the drivers' %s, sent to the client of the registration\n"
               " * (opaque)%s. */\nstatic void\n" % (
                   proc.notes["eventid"], fn.name,
                   ", or in its legacy form %s" % self.legacy.name if self.legacy else ""),
               sig, "\n{\n",
               "    %s data = { 0 };\n" % proc.msg,
               "    virNetServerProgram *prog;\n    virNetServerClient *client;\n",
               "    int callbackID = %sEventRelayTarget(%s, &prog, &client);\n"
               % (p, opaque.name)]
        out.extend(decls)
        out.append("\n    (void)%s;\n    if (callbackID == -1)\n        return;\n" % conn.name)
        out.extend(fill)
        if self.legacy:
            out.append("    if (callbackID == %s_EVENT_RELAY_LEGACY)\n"
                       "        %sSend%s(prog, client, &data.msg);\n    else {\n"
                       "        data.callback_id = callbackID;\n"
                       "        %sSend%s(prog, client, &data);\n    }\n"
                       % (prog.upper, p, self.legacy.pascal, p, proc.pascal))
        else:
            out.append("    if (callbackID != %s_EVENT_RELAY_LEGACY) {\n"
                       "        data.callback_id = callbackID;\n"
                       "        %sSend%s(prog, client, &data);\n    }\n"
                       % (prog.upper, p, proc.pascal))
        out.extend(cleanup)
        out.append("}\n")
        return name, "".join(out)
