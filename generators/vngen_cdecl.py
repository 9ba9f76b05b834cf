"""vngen_cdecl.py: the C declarations virnetgen.py checks generated code against.

The generator writes a dispatch body that calls a driver API function (for
instance virDomainGetXMLDesc in src/drivers/virconnect.h) and a client API
body that implements a declared function (vnDomainGetXMLDesc in
src/client/vnclient.h). It does not guess their signatures from the .x: it
reads them here, from the project's own headers, and maps each parameter to
a field of the procedure's args / ret struct by name (see vngen_shapes.py).

This is a reader for the subset of C our headers are written in, not a C
parser: comments and preprocessor lines go (`#include "x.h"` is followed
through the include path given), then top-level declarations are split at
`;` outside brackets. It understands
    function prototypes            RET NAME(PARAMS) [ATTRIBUTES];
    structs                        struct _X { MEMBERS };  typedef struct [_X] { ... } X;
    type aliases                   typedef struct _X X;  typedef T X;
    enums                          typedef enum { ... } X;  enum X { ... };
    function pointer types         typedef RET (*X)(PARAMS);
and skips the rest (macros, variables, inline function bodies). Standard
library only.
"""

import os
import re


class CError(Exception):
    """An error reading a header, as file:line: message."""

    def __init__(self, path, line, message):
        super().__init__("%s:%s: %s" % (path, line, message))
        self.path = path
        self.line = line
        self.message = message


class CType:
    """A C type as written in a declaration: a base type name, whether the
    base is const, the number of pointer levels and array dimensions.
    `const char *` is CType("char", True, 1); `char x[32]` is
    CType("char", False, 0, ["32"])."""
    __slots__ = ("base", "const", "ptr", "dims")

    def __init__(self, base, const=False, ptr=0, dims=None):
        self.base = base
        self.const = const
        self.ptr = ptr
        self.dims = dims or []

    def spelled(self):
        """The type as C code would write it (without array dimensions)."""
        return "%s%s%s" % ("const " if self.const else "", self.base,
                           " " + "*" * self.ptr if self.ptr else "")

    def __repr__(self):
        return "CType(%s%s)" % (self.spelled(),
                                "".join("[%s]" % d for d in self.dims))


class CDecl:
    """A named parameter or struct member."""
    __slots__ = ("name", "ctype", "line")

    def __init__(self, name, ctype, line):
        self.name = name
        self.ctype = ctype
        self.line = line

    def spelled(self):
        """`const char *name`, as a declaration writes it."""
        t = self.ctype.spelled()
        return "%s%s%s%s" % (t, "" if t.endswith("*") else " ", self.name,
                             "".join("[%s]" % d for d in self.ctype.dims))


class CFunction:
    __slots__ = ("name", "ret", "params", "path", "line", "variadic", "unsupported")

    def __init__(self, name, ret, params, path, line):
        self.name = name
        self.ret = ret
        self.params = params
        self.path = path
        self.line = line
        self.variadic = False
        self.unsupported = None    # why a parameter cannot be described


class CStruct:
    __slots__ = ("name", "members", "path", "line")

    def __init__(self, name, members, path, line):
        self.name = name
        self.members = members
        self.path = path
        self.line = line


# Words that are part of a type, never a declarator's name.
TYPE_WORDS = frozenset("""
    void char short int long float double signed unsigned _Bool bool
    const volatile struct union enum restrict
""".split())

TOKEN_RE = re.compile(r"""
    (?P<space>\s+)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>(?:0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<ellipsis>\.\.\.)
  | (?P<punct>.)
""", re.VERBOSE | re.DOTALL)


def strip_comments_and_preprocessor(text, path):
    """Blank out comments and preprocessor lines (keeping line count).
    Returns the text and the quoted includes [(name, line)]."""
    out = []
    includes = []
    i = 0
    n = len(text)
    line = 1
    at_line_start = True
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise CError(path, line, "unterminated comment")
            chunk = text[i:end + 2]
            out.append(re.sub(r"[^\n]", " ", chunk))
            line += chunk.count("\n")
            i = end + 2
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
            continue
        if at_line_start and c == "#":
            # a directive, with its backslash continuations
            start = i
            while True:
                end = text.find("\n", i)
                if end < 0:
                    end = n
                if end > 0 and text[end - 1] == "\\" and end < n:
                    i = end + 1
                    continue
                break
            chunk = text[start:end]
            m = re.match(r'#\s*include\s*"([^"]+)"', chunk)
            if m:
                includes.append((m.group(1), line))
            out.append(re.sub(r"[^\n]", " ", chunk))
            line += chunk.count("\n")
            i = end
            continue
        if c == "\n":
            line += 1
            at_line_start = True
        elif not c.isspace():
            at_line_start = False
        out.append(c)
        i += 1
    return "".join(out), includes


class Tok:
    __slots__ = ("kind", "text", "line")

    def __init__(self, kind, text, line):
        self.kind = kind
        self.text = text
        self.line = line

    def __repr__(self):
        return "Tok(%r@%d)" % (self.text, self.line)


def tokenize(text):
    toks = []
    line = 1
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup
        value = m.group()
        if kind != "space":
            toks.append(Tok(kind, value, line))
        line += value.count("\n")
    return toks


def split_top(toks, sep):
    """Split a token list at sep outside (), [], {}."""
    parts, cur, depth = [], [], 0
    for t in toks:
        if t.text in "([{" and t.kind == "punct":
            depth += 1
        elif t.text in ")]}" and t.kind == "punct":
            depth -= 1
        if depth == 0 and t.text == sep and t.kind == "punct":
            parts.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        parts.append(cur)
    return parts


def parse_type_and_name(toks, path, allow_unnamed=False):
    """`const char *name[32]` -> (CType, name, line). Returns (None, reason)
    for shapes we do not describe (function pointers, bit fields)."""
    if not toks:
        raise CError(path, 0, "empty declaration")
    line = toks[0].line
    if any(t.text == "(" for t in toks):
        return None, "a function pointer", line
    if any(t.text == ":" for t in toks):
        return None, "a bit field", line
    dims = []
    # trailing [N][M]
    while toks and toks[-1].text == "]":
        j = len(toks) - 1
        while j >= 0 and toks[j].text != "[":
            j -= 1
        dims.insert(0, " ".join(t.text for t in toks[j + 1:len(toks) - 1]))
        toks = toks[:j]
    name = None
    if toks and toks[-1].kind == "ident" and toks[-1].text not in TYPE_WORDS:
        # a lone identifier is a type (unnamed parameter `virConnect`)
        rest = toks[:-1]
        if any(t.kind == "ident" and t.text not in ("const", "volatile", "restrict")
               for t in rest):
            name = toks[-1].text
            toks = rest
    if name is None and not allow_unnamed:
        return None, "an unnamed declaration", line
    const = False
    ptr = 0
    base_words = []
    seen_star = False
    for t in toks:
        if t.text == "*":
            ptr += 1
            seen_star = True
        elif t.text in ("const", "volatile", "restrict"):
            if not seen_star and t.text == "const":
                const = True
        elif t.text in ("struct", "union", "enum"):
            continue
        elif t.kind == "ident":
            base_words.append(t.text)
        else:
            return None, "an unexpected '%s'" % t.text, line
    if not base_words:
        return None, "no type", line
    base = normalize_base(base_words)
    return CType(base, const, ptr, dims), name, line


def normalize_base(words):
    """['unsigned'] -> 'unsigned int', ['long', 'int'] -> 'long', ..."""
    words = [w for w in words if w != "signed" or len(words) == 1]
    if words == ["signed"]:
        return "int"
    if words and words[0] == "unsigned" and len(words) == 1:
        return "unsigned int"
    if len(words) > 1 and words[-1] == "int" and words[-2] in ("long", "short"):
        words = words[:-1]
    return " ".join(words)


class CHeaders:
    """Functions, structs and type aliases of a set of headers."""

    def __init__(self, include_dirs):
        self.include_dirs = list(include_dirs)
        self.functions = {}
        self.structs = {}        # struct tag or typedef name -> CStruct
        self.aliases = {}        # typedef name -> CType
        self.funcptrs = {}       # function pointer typedef name -> CFunction
        self.enums = set()
        self.loaded = set()
        self.files = []          # every header read, in order

    def find(self, name, from_dir=None):
        dirs = ([from_dir] if from_dir else []) + self.include_dirs
        for d in dirs:
            path = os.path.join(d, name)
            if os.path.isfile(path):
                return os.path.normpath(path)
        return None

    def load(self, name, from_dir=None, required=True, where=None):
        """Read header `name` (and its quoted includes found on the path)."""
        path = self.find(name, from_dir)
        if path is None:
            if required:
                wpath, wline = where or ("<command line>", 0)
                raise CError(wpath, wline, "header '%s' not found in %s"
                             % (name, ", ".join(self.include_dirs) or "no include directory"))
            return None
        if path in self.loaded:
            return path
        self.loaded.add(path)
        self.files.append(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        clean, includes = strip_comments_and_preprocessor(text, path)
        for inc, line in includes:
            # generated protocol headers and system headers are not ours
            self.load(inc, os.path.dirname(path), required=False, where=(path, line))
        self.parse(tokenize(clean), path)
        return path

    def resolve(self, ctype):
        """Follow typedef aliases: `virDomainPtr` -> virDomain *."""
        seen = set()
        while ctype.base in self.aliases and ctype.base not in seen:
            seen.add(ctype.base)
            target = self.aliases[ctype.base]
            ctype = CType(target.base, ctype.const or target.const,
                          ctype.ptr + target.ptr, target.dims + ctype.dims)
        return ctype

    def struct(self, name):
        """The struct a type name stands for (through typedefs), or None."""
        if name in self.structs:
            return self.structs[name]
        resolved = self.resolve(CType(name))
        if resolved.ptr == 0:
            return self.structs.get(resolved.base)
        return None

    # -- declarations
    def parse(self, toks, path):
        i = 0
        n = len(toks)
        cur = []
        depth = 0
        while i < n:
            t = toks[i]
            if t.kind == "punct" and t.text in "([{":
                # a function definition: `) {` at depth 0
                if t.text == "{" and depth == 0 and cur and cur[-1].text == ")":
                    i = self.skip_block(toks, i)
                    cur = []
                    continue
                depth += 1
            elif t.kind == "punct" and t.text in ")]}":
                depth -= 1
            if depth == 0 and t.text == ";":
                if cur:
                    self.declaration(cur, path)
                cur = []
            else:
                cur.append(t)
            i += 1

    @staticmethod
    def skip_block(toks, i):
        depth = 0
        while i < len(toks):
            if toks[i].text == "{":
                depth += 1
            elif toks[i].text == "}":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return i

    def declaration(self, toks, path):
        words = [t.text for t in toks]
        while words and words[0] in ("extern", "static", "inline", "G_BEGIN_DECLS",
                                     "G_END_DECLS"):
            toks = toks[1:]
            words = words[1:]
        if not toks:
            return
        if words[0] == "typedef":
            self.typedef(toks[1:], path)
            return
        if words[0] in ("struct", "union") and "{" in words:
            self.struct_body(toks, path, None)
            return
        if words[0] == "enum":
            if len(words) > 1:
                self.enums.add(words[1])
            return
        # a function prototype: NAME ( ... ) possibly followed by attributes
        try:
            open_i = next(k for k, t in enumerate(toks) if t.text == "(")
        except StopIteration:
            return      # a variable or something else
        if open_i == 0 or toks[open_i - 1].kind != "ident":
            return
        close_i = self.match(toks, open_i)
        if close_i is None:
            return
        name_tok = toks[open_i - 1]
        rtype, _, _ = parse_type_and_name(toks[:open_i - 1] + [Tok("ident", "x", 0)],
                                          path)
        if rtype is None:
            return
        func = CFunction(name_tok.text, rtype, [], path, name_tok.line)
        self.params(func, toks[open_i + 1:close_i], path)
        self.functions[func.name] = func

    @staticmethod
    def match(toks, i):
        depth = 0
        for k in range(i, len(toks)):
            if toks[k].text == "(":
                depth += 1
            elif toks[k].text == ")":
                depth -= 1
                if depth == 0:
                    return k
        return None

    def params(self, func, toks, path):
        parts = split_top(toks, ",")
        if len(parts) == 1 and [t.text for t in parts[0]] == ["void"]:
            return
        for part in parts:
            if len(part) == 1 and part[0].kind == "ellipsis":
                func.variadic = True
                continue
            ctype, name, line = parse_type_and_name(part, path)
            if ctype is None:
                func.unsupported = "parameter '%s' is %s" % (
                    " ".join(t.text for t in part), name)
                continue
            func.params.append(CDecl(name, ctype, line))

    def typedef(self, toks, path):
        words = [t.text for t in toks]
        if words and words[0] in ("struct", "union") and "{" in words:
            self.struct_body(toks, path, toks[-1].text if toks[-1].kind == "ident" else None)
            return
        if words and words[0] == "enum":
            if toks[-1].kind == "ident":
                self.enums.add(toks[-1].text)
                self.aliases[toks[-1].text] = CType("int")
            return
        if "(" in words:
            # typedef RET (*NAME)(PARAMS)
            for k, t in enumerate(toks):
                if t.text == "*" and k > 0 and toks[k - 1].text == "(" and \
                        k + 2 < len(toks) and toks[k + 1].kind == "ident" and \
                        toks[k + 2].text == ")" and k + 3 < len(toks) and \
                        toks[k + 3].text == "(":
                    rtype, _, _ = parse_type_and_name(toks[:k - 1] + [Tok("ident", "x", 0)],
                                                      path)
                    close = self.match(toks, k + 3)
                    func = CFunction(toks[k + 1].text, rtype, [], path, toks[k + 1].line)
                    if rtype is not None and close is not None:
                        self.params(func, toks[k + 4:close], path)
                    else:
                        func.unsupported = "its declaration is not understood"
                    self.funcptrs[func.name] = func
                    return
            return
        ctype, name, _ = parse_type_and_name(toks, path)
        if ctype is None or name is None:
            return
        if name != ctype.base:
            self.aliases[name] = ctype

    def struct_body(self, toks, path, typedef_name):
        open_i = next(k for k, t in enumerate(toks) if t.text == "{")
        depth = 0
        close_i = None
        for k in range(open_i, len(toks)):
            if toks[k].text == "{":
                depth += 1
            elif toks[k].text == "}":
                depth -= 1
                if depth == 0:
                    close_i = k
                    break
        tag = None
        if open_i >= 2 and toks[open_i - 1].kind == "ident" and \
                toks[open_i - 2].text in ("struct", "union"):
            tag = toks[open_i - 1].text
        members = []
        body = toks[open_i + 1:close_i]
        for decl in split_top(body, ";"):
            if not decl:
                continue
            # `T a, *b;`: the type words come before the first declarator
            pieces = split_top(decl, ",")
            first = pieces[0]
            ctype, name, line = parse_type_and_name(first, path)
            if ctype is None:
                members.append(CDecl(None, None, line))
                continue
            members.append(CDecl(name, ctype, line))
            # the type words come before the first declarator's * and name
            base_toks = []
            for t in first:
                if t.text == "*" or (t.kind == "ident" and t.text == name):
                    break
                base_toks.append(t)
            for extra in pieces[1:]:
                ct, nm, ln = parse_type_and_name(base_toks + extra, path)
                members.append(CDecl(nm, ct, ln))
        line = toks[open_i].line
        for name in (tag, typedef_name):
            if name:
                self.structs[name] = CStruct(typedef_name or tag, members, path, line)
        if tag and typedef_name and tag != typedef_name:
            self.aliases.setdefault(typedef_name, CType(tag))
