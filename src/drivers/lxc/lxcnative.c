/*
 * lxcnative.c: lxc-tools configurations read into domain XML, see
 * lxcnative.h.
 *
 * Two steps: the text is read into (key, value) entries with the syntax
 * libvirt's configuration reader has in its LXC mode (a value runs to the
 * end of its line, blanks included, unless it is quoted), then the keys
 * libvirt maps are turned into a <domain> document, which the caller
 * parses and formats like any definition. Where a key appears twice the
 * first one counts, as in libvirt; keys it does not map are ignored.
 *
 * The input is untrusted: every loop is bounded by the text's length,
 * numbers are checked for overflow, counts that make objects (consoles)
 * are limited, and every value written into the XML is escaped.
 */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <glib.h>

#include "lxcnative.h"
#include "vircpumap.h"
#include "virdomaindef.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_LXC

VIR_LOG_INIT("drivers.lxc.native");

/* More consoles than this is surely a mistake (libvirt allocates any count). */
#define LXC_NATIVE_MAX_CONSOLES 1024
/* libvirt's VIR_DOMAIN_MEMORY_PARAM_UNLIMITED: memtune values are capped to it. */
#define LXC_NATIVE_MEMORY_UNLIMITED 9007199254740991ULL

typedef struct {
    char *key;
    char *value;
} lxcNativeEntry;

static void
lxcNativeEntryFree(gpointer p)
{
    lxcNativeEntry *e = p;

    g_free(e->key);
    g_free(e->value);
    g_free(e);
}

/* ---- the syntax ---- */

typedef struct {
    const char *cur;
    const char *end;
    int line;
} lxcNativeReader;

static bool lxcNativeIsBlank(char c) { return c == ' ' || c == '\t'; }
static bool lxcNativeIsEOL(char c) { return c == '\n' || c == '\r'; }

static void
lxcNativeSkipBlanks(lxcNativeReader *r, bool eol)
{
    while (r->cur < r->end && (lxcNativeIsBlank(*r->cur) || (eol && lxcNativeIsEOL(*r->cur)))) {
        if (*r->cur == '\n')
            r->line++;
        r->cur++;
    }
}

static void
lxcNativeSyntaxError(const lxcNativeReader *r, const char *what)
{
    /* libvirt names an in-memory configuration "memory conf" */
    virErrorReportFull(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX, __FILE__, __func__, __LINE__,
                       "memory conf:%d: %s", r->line, what);
}

/* A quoted value: '...' or "..." on one line, or """...""" over lines. */
static char *
lxcNativeReadQuoted(lxcNativeReader *r)
{
    const char *base;
    char q = *r->cur;

    if (q == '"' && r->end - r->cur > 6 && strncmp(r->cur, "\"\"\"", 3) == 0) {
        r->cur += 3;
        base = r->cur;
        while (r->end - r->cur > 2 && strncmp(r->cur, "\"\"\"", 3) != 0) {
            if (*r->cur == '\n')
                r->line++;
            r->cur++;
        }
        if (r->end - r->cur < 3 || strncmp(r->cur, "\"\"\"", 3) != 0) {
            lxcNativeSyntaxError(r, "unterminated string");
            return NULL;
        }
        r->cur += 3;
        return g_strndup(base, r->cur - 3 - base);
    }
    r->cur++;
    base = r->cur;
    while (r->cur < r->end && *r->cur != q && !lxcNativeIsEOL(*r->cur))
        r->cur++;
    if (r->cur >= r->end || *r->cur != q) {
        lxcNativeSyntaxError(r, "unterminated string");
        return NULL;
    }
    r->cur++;
    return g_strndup(base, r->cur - 1 - base);
}

/* One statement: a comment, or key = value. Adds the entry to entries. */
static int
lxcNativeReadStatement(lxcNativeReader *r, GPtrArray *entries)
{
    const char *base;
    lxcNativeEntry *e;
    g_autofree char *key = NULL;
    char *value;

    lxcNativeSkipBlanks(r, true);
    if (r->cur >= r->end)
        return 0;
    if (*r->cur == '#') {
        while (r->cur < r->end && !lxcNativeIsEOL(*r->cur))
            r->cur++;
        return 0;
    }
    base = r->cur;
    if (!g_ascii_isalpha(*r->cur)) {
        lxcNativeSyntaxError(r, "expecting a name");
        return -1;
    }
    while (r->cur < r->end && (g_ascii_isalnum(*r->cur) || *r->cur == '_' || *r->cur == '.'))
        r->cur++;
    key = g_strndup(base, r->cur - base);
    lxcNativeSkipBlanks(r, false);
    if (r->cur >= r->end || *r->cur != '=') {
        lxcNativeSyntaxError(r, "expecting an assignment");
        return -1;
    }
    r->cur++;
    lxcNativeSkipBlanks(r, false);
    if (r->cur >= r->end) {
        lxcNativeSyntaxError(r, "expecting a value");
        return -1;
    }
    if (*r->cur == '"' || *r->cur == '\'') {
        if (!(value = lxcNativeReadQuoted(r)))
            return -1;
        lxcNativeSkipBlanks(r, false);
        if (r->cur < r->end && *r->cur == '#') {
            while (r->cur < r->end && !lxcNativeIsEOL(*r->cur))
                r->cur++;
        }
    } else {
        /* the rest of the line, trailing blanks and '#' included (libvirt's) */
        base = r->cur;
        while (r->cur < r->end && !lxcNativeIsEOL(*r->cur))
            r->cur++;
        value = g_strndup(base, r->cur - base);
    }
    e = g_new0(lxcNativeEntry, 1);
    e->key = g_steal_pointer(&key);
    e->value = value;
    g_ptr_array_add(entries, e);
    return 0;
}

/* After a statement: the end, a line end or ';'. */
static int
lxcNativeReadSeparator(lxcNativeReader *r)
{
    lxcNativeSkipBlanks(r, false);
    if (r->cur >= r->end)
        return 0;
    if (*r->cur == ';')
        r->cur++;
    else if (!lxcNativeIsEOL(*r->cur)) {
        lxcNativeSyntaxError(r, "expecting a separator");
        return -1;
    }
    lxcNativeSkipBlanks(r, true);
    return 0;
}

static GPtrArray *
lxcNativeRead(const char *text)
{
    g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(lxcNativeEntryFree);
    lxcNativeReader r = { text, text + strlen(text), 1 };

    while (r.cur < r.end) {
        if (lxcNativeReadStatement(&r, entries) < 0 || lxcNativeReadSeparator(&r) < 0)
            return NULL;
    }
    return g_steal_pointer(&entries);
}

static const char *
lxcNativeGet(GPtrArray *entries, const char *key)
{
    size_t i;

    for (i = 0; i < entries->len; i++) {
        lxcNativeEntry *e = g_ptr_array_index(entries, i);
        if (strcmp(e->key, key) == 0)
            return e->value;
    }
    return NULL;
}

/* The value of key, else of its pre-3.0 name. */
static const char *
lxcNativeGet2(GPtrArray *entries, const char *key, const char *legacy)
{
    const char *v = lxcNativeGet(entries, key);

    return v ? v : lxcNativeGet(entries, legacy);
}

/* ---- numbers, as libvirt reads them ---- */

/* strtoull / strtoll base 10 with libvirt's checks: digits required, no
 * overflow, and (end NULL) nothing after them. */
static int
lxcNativeULL(const char *s, char **end, unsigned long long *v)
{
    char *e;

    errno = 0;
    *v = strtoull(s, &e, 10);
    if (errno || e == s || (!end && *e))
        return -1;
    if (end)
        *end = e;
    return 0;
}

static int
lxcNativeLL(const char *s, long long *v)
{
    char *e;

    errno = 0;
    *v = strtoll(s, &e, 10);
    return errno || e == s || *e ? -1 : 0;
}

static int
lxcNativeUI(const char *s, unsigned int *v)
{
    unsigned long long l;
    long long sl;

    /* libvirt's unsigned int reader takes -1 .. -UINT_MAX as wrapped */
    if (lxcNativeULL(s, NULL, &l) < 0)
        return -1;
    if (l > UINT_MAX) {
        if (lxcNativeLL(s, &sl) < 0 || sl >= 0 || sl < -(long long)UINT_MAX)
            return -1;
    }
    *v = (unsigned int)l;
    return 0;
}

/* A size with an optional unit (b, k, KiB, KB, M, ...), in bytes. */
static int
lxcNativeSize(const char *text, unsigned long long *bytes)
{
    static const char units[] = "kmgtpe";
    const char *p;
    char *unit;
    unsigned long long scale = 1;
    unsigned long long v;

    if (lxcNativeULL(text, &unit, &v) < 0)
        goto error;
    if (strcmp(unit, "%") == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "can't convert relative size: '%s'", text);
        return -1;
    }
    if (*unit) {
        char c = g_ascii_tolower(*unit);
        if (c == 'b') {
            if (unit[1] && g_ascii_strcasecmp(unit, "byte") != 0 &&
                g_ascii_strcasecmp(unit, "bytes") != 0)
                goto error;
        } else if ((p = strchr(units, c)) && c) {
            unsigned long long base;
            size_t n = p - units + 1;
            if (!unit[1] || g_ascii_strcasecmp(unit + 1, "iB") == 0)
                base = 1024;
            else if (g_ascii_strcasecmp(unit + 1, "B") == 0)
                base = 1000;
            else
                goto error;
            while (n--)
                scale *= base;
        } else {
            goto error;
        }
    }
    if (v > ULLONG_MAX / scale)
        goto error;
    *bytes = v * scale;
    return 0;

 error:
    virReportError(VIR_ERR_INTERNAL_ERROR, "failed to convert size: '%s'", text);
    return -1;
}

/* A CPU list (libvirt's bitmap syntax: "0-3,^2,8"),
 * formatted as libvirt writes it back. */
static char *
lxcNativeCPUList(const char *text)
{
    virCPUMap map = { NULL, 0 };
    char *out;

    if (!virCPUMapParse(text, 0, &map) || virCPUMapLast(&map) >= VIR_DOMAIN_CPUMASK_BITS) {
        g_free(map.bits);
        virErrorReportFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                           "Failed to parse bitmap '%s'", text);
        return NULL;
    }
    out = virCPUMapFormat(&map);
    g_free(map.bits);
    return out;
}

/* ---- the domain ---- */

static void
lxcNativeText(GString *out, const char *indent, const char *name, const char *text)
{
    g_autofree char *esc = g_markup_escape_text(text, -1);

    g_string_append_printf(out, "%s<%s>%s</%s>\n", indent, name, esc, name);
}

static void
lxcNativeAttr(GString *out, const char *name, const char *value)
{
    g_autofree char *esc = g_markup_escape_text(value, -1);

    g_string_append_printf(out, " %s='%s'", name, esc);
}

/* lxc.mount.entry: "SOURCE TARGET TYPE OPTIONS ..." as a <filesystem>;
 * 0 added or skipped, -1 with an error, -2 without one (libvirt's). */
static int
lxcNativeMount(GString *devs, const char *line)
{
    static const char *const basic[] = {
        "/proc", "/proc/sys", "/proc/sys/net/ipv4", "/proc/sys/net/ipv6", "/sys",
        "/sys/kernel/security", "/sys/fs/selinux", NULL,
    };
    g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) words = NULL;
    g_auto(GStrv) options = NULL;
    g_autofree char *dst = NULL;
    const char *src, *type = "mount", *fstype;
    unsigned long long usage = 0;
    bool ram = false;
    size_t i;

    words = g_strsplit_set(line, " \t", -1);
    for (i = 0; words[i]; i++) {
        if (*words[i])
            g_ptr_array_add(parts, g_strdup(words[i]));
    }
    if (parts->len < 4)
        return -2;
    src = g_ptr_array_index(parts, 0);
    fstype = g_ptr_array_index(parts, 2);
    options = g_strsplit(g_ptr_array_index(parts, 3), ",", -1);
    dst = *(char *)g_ptr_array_index(parts, 1) == '/' ?
        g_strdup(g_ptr_array_index(parts, 1)) :
        g_strdup_printf("/%s", (char *)g_ptr_array_index(parts, 1));
    if (g_strv_contains(basic, dst))
        return 0;
    if (strcmp(fstype, "tmpfs") == 0) {
        bool sized = false;
        for (i = 0; options[i]; i++) {
            if (g_str_has_prefix(options[i], "size=")) {
                if (lxcNativeSize(options[i] + 5, &usage) < 0)
                    return -1;
                sized = true;
                break;
            }
        }
        if (!sized) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "missing tmpfs size, set the size option");
            return -1;
        }
        ram = true;
        type = "ram";
    }
    if (g_str_has_prefix(src, "/dev/"))
        type = "block";
    g_string_append(devs, "    <filesystem");
    lxcNativeAttr(devs, "type", type);
    g_string_append(devs, " accessmode='passthrough'>\n      <source");
    if (ram)
        g_string_append_printf(devs, " usage='%llu' units='KiB'", usage / 1024);
    else
        lxcNativeAttr(devs, strcmp(type, "block") == 0 ? "dev" : "dir", src);
    g_string_append(devs, "/>\n      <target");
    lxcNativeAttr(devs, "dir", dst);
    g_string_append(devs, "/>\n");
    if (g_strv_contains((const char *const *)options, "ro"))
        g_string_append(devs, "      <readonly/>\n");
    g_string_append(devs, "    </filesystem>\n");
    return 0;
}

/* One network interface being read (lxc.net.N.* or the lxc.network.*
 * group started by its type). Values are borrowed from the entries. */
typedef struct {
    unsigned long long index;
    const char *type;
    const char *link;
    const char *hwaddr;
    const char *flags;
    const char *macvlanMode;
    const char *name;
    const char *gw4;
    const char *gw6;
    GString *ips;
} lxcNativeNet;

static void
lxcNativeNetFree(gpointer p)
{
    lxcNativeNet *n = p;

    g_string_free(n->ips, TRUE);
    g_free(n);
}

static lxcNativeNet *
lxcNativeNetNew(GPtrArray *nets, unsigned long long index)
{
    lxcNativeNet *n = g_new0(lxcNativeNet, 1);

    n->index = index;
    n->ips = g_string_new(NULL);
    g_ptr_array_add(nets, n);
    return n;
}

/* An address "ADDR/PREFIX" of the family the key names, as <ip>. */
static int
lxcNativeNetIP(lxcNativeNet *n, bool v6, const char *value)
{
    g_auto(GStrv) parts = g_strsplit(value, "/", 2);
    struct addrinfo hints = { .ai_family = v6 ? AF_INET6 : AF_INET, .ai_flags = AI_NUMERICHOST };
    struct addrinfo *res = NULL;
    char buf[INET6_ADDRSTRLEN];
    unsigned int prefix;
    int ok = 0;

    /* getaddrinfo, as libvirt: "1.2.3" is 1.2.0.3 */
    if (parts[0] && parts[1] && getaddrinfo(parts[0], NULL, &hints, &res) == 0 && res &&
        lxcNativeUI(parts[1], &prefix) == 0) {
        const void *addr = v6 ? (const void *)&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr :
                                (const void *)&((struct sockaddr_in *)res->ai_addr)->sin_addr;
        ok = inet_ntop(v6 ? AF_INET6 : AF_INET, addr, buf, sizeof(buf)) != NULL;
    }
    if (res)
        freeaddrinfo(res);
    if (!ok) {
        virReportError(VIR_ERR_INVALID_ARG, "Invalid CIDR address: '%s'", value);
        return -1;
    }
    g_string_append_printf(n->ips, "      <ip address='%s' family='%s' prefix='%u'/>\n", buf,
                           v6 ? "ipv6" : "ipv4", prefix);
    return 0;
}

/* One property of an interface: 0, -1 with an error, -2 without (a
 * property libvirt does not know). */
static int
lxcNativeNetSet(lxcNativeNet *n, const char *prop, const char *value)
{
    if (strcmp(prop, "type") == 0)
        n->type = value;
    else if (strcmp(prop, "link") == 0)
        n->link = value;
    else if (strcmp(prop, "hwaddr") == 0)
        n->hwaddr = value;
    else if (strcmp(prop, "flags") == 0)
        n->flags = value;
    else if (strcmp(prop, "macvlan.mode") == 0)
        n->macvlanMode = value;
    else if (strcmp(prop, "vlan.id") == 0)
        ;
    else if (strcmp(prop, "name") == 0)
        n->name = value;
    else if (strcmp(prop, "ipv4") == 0 || strcmp(prop, "ipv4.address") == 0)
        return lxcNativeNetIP(n, false, value);
    else if (strcmp(prop, "ipv6") == 0 || strcmp(prop, "ipv6.address") == 0)
        return lxcNativeNetIP(n, true, value);
    else if (strcmp(prop, "ipv4.gateway") == 0)
        n->gw4 = value;
    else if (strcmp(prop, "ipv6.gateway") == 0)
        n->gw6 = value;
    else
        return -2;
    return 0;
}

/* A MAC "xx:xx:xx:xx:xx:xx" (1 or 2 hex digits each) into out; libvirt
 * keeps all zeros for one it cannot read. */
static void
lxcNativeMAC(const char *text, char *out /* 18 */)
{
    unsigned int b[6];
    const char *p = text;
    size_t i;

    strcpy(out, "00:00:00:00:00:00");
    if (!text)
        return;
    for (i = 0; i < 6; i++) {
        char *e;
        if (!g_ascii_isxdigit(*p))
            return;
        b[i] = strtoul(p, &e, 16);
        if (e - p > 2 || (i < 5 && *e != ':') || (i == 5 && *e))
            return;
        p = e + 1;
    }
    g_snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
}

/* The interfaces; *privnet says whether none was given at all. */
static int
lxcNativeNets(GString *devs, GPtrArray *entries, bool *privnet)
{
    g_autoptr(GPtrArray) nets = g_ptr_array_new_with_free_func(lxcNativeNetFree);
    size_t i;
    int rc;

    for (i = 0; i < entries->len; i++) {
        lxcNativeEntry *e = g_ptr_array_index(entries, i);
        lxcNativeNet *n = NULL;
        const char *prop;
        size_t j;

        if ((prop = g_str_has_prefix(e->key, "lxc.network.") ? e->key + 12 : NULL)) {
            /* the legacy group: a type starts an interface */
            if (strcmp(prop, "type") == 0)
                n = lxcNativeNetNew(nets, nets->len + 1);
            else if (nets->len)
                n = g_ptr_array_index(nets, nets->len - 1);
            else
                return -2;
        } else if (g_str_has_prefix(e->key, "lxc.net.")) {
            unsigned long long index;
            char *end;
            if (lxcNativeULL(e->key + 8, &end, &index) < 0 || *end != '.')
                return -2;
            prop = end + 1;
            for (j = 0; j < nets->len && !n; j++) {
                if (((lxcNativeNet *)g_ptr_array_index(nets, j))->index == index)
                    n = g_ptr_array_index(nets, j);
            }
            if (!n)
                n = lxcNativeNetNew(nets, index);
        } else {
            continue;
        }
        if ((rc = lxcNativeNetSet(n, prop, e->value)) < 0)
            return rc;
    }

    *privnet = nets->len == 0;
    for (i = 0; i < nets->len; i++) {
        lxcNativeNet *n = g_ptr_array_index(nets, i);
        char mac[18];
        const char *mode = "vepa";

        if (!n->type || !*n->type || strcmp(n->type, "empty") == 0 ||
            strcmp(n->type, "none") == 0)
            continue;
        if (strcmp(n->type, "phys") == 0 || strcmp(n->type, "vlan") == 0) {
            if (!n->link) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Missing 'link' attribute for NIC");
                return -1;
            }
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "network type '%s' (a host device) is not supported", n->type);
            return -1;
        }
        lxcNativeMAC(n->hwaddr, mac);
        g_string_append(devs, "    <interface");
        if (strcmp(n->type, "veth") == 0) {
            lxcNativeAttr(devs, "type", n->link ? "bridge" : "ethernet");
        } else if (strcmp(n->type, "macvlan") == 0) {
            if (!n->link)
                return -2;
            g_string_append(devs, " type='direct'");
            if (!n->macvlanMode || strcmp(n->macvlanMode, "private") == 0)
                mode = "private";
            else if (strcmp(n->macvlanMode, "bridge") == 0)
                mode = "bridge";
        } else {
            /* libvirt leaves the type at its first value */
            g_string_append(devs, " type='user'");
        }
        g_string_append_printf(devs, ">\n      <mac address='%s'/>\n", mac);
        if (strcmp(n->type, "veth") == 0 && n->link) {
            g_string_append(devs, "      <source");
            lxcNativeAttr(devs, "bridge", n->link);
            g_string_append(devs, "/>\n");
        } else if (strcmp(n->type, "macvlan") == 0) {
            g_string_append(devs, "      <source");
            lxcNativeAttr(devs, "dev", n->link);
            lxcNativeAttr(devs, "mode", mode);
            g_string_append(devs, "/>\n");
        }
        g_string_append(devs, n->ips->str);
        if (n->gw4) {
            g_string_append(devs, "      <route family='ipv4' address='0.0.0.0'");
            lxcNativeAttr(devs, "gateway", n->gw4);
            g_string_append(devs, "/>\n");
        }
        if (n->gw6) {
            g_string_append(devs, "      <route family='ipv6' address='::'");
            lxcNativeAttr(devs, "gateway", n->gw6);
            g_string_append(devs, "/>\n");
        }
        if (n->name) {
            g_string_append(devs, "      <guest");
            lxcNativeAttr(devs, "dev", n->name);
            g_string_append(devs, "/>\n");
        }
        g_string_append_printf(devs, "      <link state='%s'/>\n    </interface>\n",
                               n->flags && strcmp(n->flags, "up") == 0 ? "up" : "down");
    }
    return 0;
}

/* lxc.idmap / lxc.id_map lines "u|g CONTAINER HOST COUNT" as <uid>/<gid>. */
static int
lxcNativeIdmap(GString *out, GPtrArray *entries)
{
    g_autoptr(GString) uids = g_string_new(NULL);
    g_autoptr(GString) gids = g_string_new(NULL);
    size_t i;

    for (i = 0; i < entries->len; i++) {
        lxcNativeEntry *e = g_ptr_array_index(entries, i);
        unsigned long v[3];
        const char *p;
        size_t k;

        if (strcmp(e->key, "lxc.idmap") != 0 && strcmp(e->key, "lxc.id_map") != 0)
            continue;
        /* sscanf("%c %lu %lu %lu"), as libvirt */
        p = e->value + (*e->value ? 1 : 0);
        for (k = 0; k < 3; k++) {
            char *end;
            while (g_ascii_isspace(*p))
                p++;
            if (!g_ascii_isdigit(*p) && *p != '-' && *p != '+')
                break;
            errno = 0;
            v[k] = strtoul(p, &end, 10);
            if (end == p)
                break;
            p = end;
        }
        if (!*e->value || k < 3) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "invalid %s: '%s'", e->key, e->value);
            return -1;
        }
        if (*e->value != 'u' && *e->value != 'g')
            return -2;
        g_string_append_printf(*e->value == 'u' ? uids : gids,
                               "    <%cid start='%lu' target='%lu' count='%lu'/>\n",
                               *e->value, v[1], v[0], v[2]);
    }
    if (uids->len || gids->len)
        g_string_append_printf(out, "  <idmap>\n%s%s  </idmap>\n", uids->str, gids->str);
    return 0;
}

static const char *const lxcNativeCaps[] = {
    "audit_control", "audit_write", "block_suspend", "chown", "dac_override",
    "dac_read_search", "fowner", "fsetid", "ipc_lock", "ipc_owner", "kill", "lease",
    "linux_immutable", "mac_admin", "mac_override", "mknod", "net_admin",
    "net_bind_service", "net_broadcast", "net_raw", "setgid", "setfcap", "setpcap",
    "setuid", "sys_admin", "sys_boot", "sys_chroot", "sys_module", "sys_nice",
    "sys_pacct", "sys_ptrace", "sys_rawio", "sys_resource", "sys_time",
    "sys_tty_config", "syslog", "wake_alarm", NULL,
};

/* lxc.cgroup.blkio.* but the weight: "MAJ:MIN VALUE" per device. */
typedef struct {
    char *path;
    unsigned long long v[5];   /* weight, read/write iops, read/write bytes */
} lxcNativeBlkDev;

static int
lxcNativeBlkio(GString *out, GPtrArray *entries)
{
    static const char *const keys[] = {
        "device_weight", "throttle.read_iops_device", "throttle.write_iops_device",
        "throttle.read_bps_device", "throttle.write_bps_device",
    };
    static const char *const what[] = {
        "device weight", "read_iops_device", "write_iops_device", "read_bps_device",
        "write_bps_device",
    };
    static const char *const tags[] = {
        "weight", "read_iops_sec", "write_iops_sec", "read_bytes_sec", "write_bytes_sec",
    };
    g_autoptr(GArray) devs = g_array_new(FALSE, TRUE, sizeof(lxcNativeBlkDev));
    const char *weight = lxcNativeGet(entries, "lxc.cgroup.blkio.weight");
    unsigned int w = 0;
    size_t i, j;
    int rc = -1;

    if (weight && lxcNativeUI(weight, &w) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "failed to parse integer: '%s'", weight);
        return -1;
    }
    for (i = 0; i < entries->len; i++) {
        lxcNativeEntry *e = g_ptr_array_index(entries, i);
        g_auto(GStrv) words = NULL;
        const char *parts[2] = { NULL, NULL };
        g_autofree char *path = NULL;
        lxcNativeBlkDev *dev = NULL;
        size_t n = 0;

        if (!g_str_has_prefix(e->key, "lxc.cgroup.blkio.") ||
            strcmp(e->key, "lxc.cgroup.blkio.weight") == 0)
            continue;
        words = g_strsplit_set(e->value, " \t", -1);
        for (j = 0; words[j] && n < 2; j++) {
            if (*words[j])
                parts[n++] = words[j];
        }
        if (n < 2) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "invalid %s value: '%s'", e->key, e->value);
            goto cleanup;
        }
        path = g_strdup_printf("/dev/block/%s", parts[0]);
        for (j = 0; j < devs->len && !dev; j++) {
            if (strcmp(g_array_index(devs, lxcNativeBlkDev, j).path, path) == 0)
                dev = &g_array_index(devs, lxcNativeBlkDev, j);
        }
        if (!dev) {
            lxcNativeBlkDev nd = { g_steal_pointer(&path), { 0 } };
            g_array_append_val(devs, nd);
            dev = &g_array_index(devs, lxcNativeBlkDev, devs->len - 1);
        }
        for (j = 0; j < G_N_ELEMENTS(keys); j++) {
            if (strcmp(e->key + 17, keys[j]) == 0) {
                unsigned int ui;
                /* the bytes per second are 64 bits, the rest 32 */
                int bad = j >= 3 ? lxcNativeULL(parts[1], NULL, &dev->v[j]) :
                    lxcNativeUI(parts[1], &ui);
                if (bad < 0) {
                    virReportError(VIR_ERR_INTERNAL_ERROR, "failed to parse %s: '%s'", what[j],
                                   parts[1]);
                    goto cleanup;
                }
                if (j < 3)
                    dev->v[j] = ui;
            }
        }
    }
    if (w || devs->len) {
        GString *body = g_string_new(NULL);
        if (w)
            g_string_append_printf(body, "    <weight>%u</weight>\n", w);
        for (i = 0; i < devs->len; i++) {
            lxcNativeBlkDev *d = &g_array_index(devs, lxcNativeBlkDev, i);
            g_autofree char *esc = g_markup_escape_text(d->path, -1);
            if (!d->v[0] && !d->v[1] && !d->v[2] && !d->v[3] && !d->v[4])
                continue;
            g_string_append_printf(body, "    <device>\n      <path>%s</path>\n", esc);
            for (j = 0; j < G_N_ELEMENTS(tags); j++) {
                if (d->v[j])
                    g_string_append_printf(body, "      <%s>%llu</%s>\n", tags[j], d->v[j],
                                           tags[j]);
            }
            g_string_append(body, "    </device>\n");
        }
        if (body->len)
            g_string_append_printf(out, "  <blkiotune>\n%s  </blkiotune>\n", body->str);
        g_string_free(body, TRUE);
    }
    rc = 0;

 cleanup:
    for (i = 0; i < devs->len; i++)
        g_free(g_array_index(devs, lxcNativeBlkDev, i).path);
    return rc;
}

/* lxc.cgroup.memory.*: memory and <memtune>, in KiB. */
static int
lxcNativeMemory(GPtrArray *entries, unsigned long long *memory, GString *memtune)
{
    static const char *const keys[] = {
        "lxc.cgroup.memory.limit_in_bytes", "lxc.cgroup.memory.soft_limit_in_bytes",
        "lxc.cgroup.memory.memsw.limit_in_bytes",
    };
    static const char *const tags[] = { "hard_limit", "soft_limit", "swap_hard_limit" };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(keys); i++) {
        const char *v = lxcNativeGet(entries, keys[i]);
        unsigned long long bytes;
        if (!v)
            continue;
        if (lxcNativeSize(v, &bytes) < 0)
            return -1;
        if (i == 0)
            *memory = bytes / 1024;
        g_string_append_printf(memtune, "    <%s unit='KiB'>%llu</%s>\n", tags[i],
                               MIN(bytes / 1024, LXC_NATIVE_MEMORY_UNLIMITED), tags[i]);
    }
    return 0;
}

/* lxc.cgroup.cpu.*: <cputune> (shares, period, quota: libvirt's order). */
static int
lxcNativeCputune(GPtrArray *entries, GString *out)
{
    const char *shares = lxcNativeGet(entries, "lxc.cgroup.cpu.shares");
    const char *quota = lxcNativeGet(entries, "lxc.cgroup.cpu.cfs_quota_us");
    const char *period = lxcNativeGet(entries, "lxc.cgroup.cpu.cfs_period_us");
    unsigned long long s = 0, p = 0;
    long long q = 0;

    if (shares && lxcNativeULL(shares, NULL, &s) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "failed to parse integer: '%s'", shares);
        return -1;
    }
    if (quota && lxcNativeLL(quota, &q) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "failed to parse integer: '%s'", quota);
        return -1;
    }
    if (period && lxcNativeULL(period, NULL, &p) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "failed to parse integer: '%s'", period);
        return -1;
    }
    if (!shares && !p && !q)
        return 0;
    g_string_append(out, "  <cputune>\n");
    if (shares)
        g_string_append_printf(out, "    <shares>%llu</shares>\n", s);
    if (p)
        g_string_append_printf(out, "    <period>%llu</period>\n", p);
    if (q)
        g_string_append_printf(out, "    <quota>%lld</quota>\n", q);
    g_string_append(out, "  </cputune>\n");
    return 0;
}

/* lxc.arch: the names libvirt knows, and lxc's x86 / amd64. */
static const char *
lxcNativeArch(const char *value)
{
    static const char *const known[] = {
        "i686", "x86_64", "aarch64", "armv6l", "armv7l", "armv7b", "ppc", "ppc64",
        "ppc64le", "s390", "s390x", "mips", "mipsel", "mips64", "mips64el",
        "riscv32", "riscv64", "sparc", "sparc64", "alpha", "loongarch64", NULL,
    };

    if (strcmp(value, "x86") == 0)
        return "i686";
    if (strcmp(value, "amd64") == 0)
        return "x86_64";
    return g_strv_contains(known, value) ? value : NULL;
}

char *
lxcNativeToXML(const char *config)
{
    g_autoptr(GPtrArray) entries = NULL;
    g_autoptr(GString) head = g_string_new(NULL);
    g_autoptr(GString) devs = g_string_new(NULL);
    g_autoptr(GString) memtune = g_string_new(NULL);
    g_autoptr(GString) tail = g_string_new(NULL);
    g_autoptr(GString) out = g_string_new(NULL);
    const char *name, *root, *arch = NULL, *v;
    g_autofree char *cpus = NULL;
    unsigned long long memory = 65536;
    bool privnet = false;
    size_t i;

    if (!(entries = lxcNativeRead(config)))
        return NULL;
    if ((v = lxcNativeGet(entries, "lxc.arch")))
        arch = lxcNativeArch(v);
    /* libvirt fails without saying why when there is no name or root */
    if (!(name = lxcNativeGet2(entries, "lxc.uts.name", "lxc.utsname")))
        return NULL;
    if (!(root = lxcNativeGet2(entries, "lxc.rootfs.path", "lxc.rootfs")))
        return NULL;
    g_string_append(devs, "    <emulator>/usr/lib/libvirt/libvirt_lxc</emulator>\n");
    g_string_append_printf(devs, "    <filesystem type='%s' accessmode='passthrough'>\n      <source",
                           g_str_has_prefix(root, "/dev/") ? "block" : "mount");
    lxcNativeAttr(devs, g_str_has_prefix(root, "/dev/") ? "dev" : "dir", root);
    g_string_append(devs, "/>\n      <target dir='/'/>\n    </filesystem>\n");

    if (lxcNativeGet(entries, "lxc.mount.fstab") || lxcNativeGet(entries, "lxc.mount")) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                       "lxc.mount.fstab or lxc.mount found, use lxc.mount.entry lines instead");
        return NULL;
    }
    for (i = 0; i < entries->len; i++) {
        lxcNativeEntry *e = g_ptr_array_index(entries, i);
        if (strcmp(e->key, "lxc.mount.entry") == 0 && lxcNativeMount(devs, e->value) < 0)
            return NULL;
    }
    if (lxcNativeNets(devs, entries, &privnet) < 0)
        return NULL;

    if ((v = lxcNativeGet2(entries, "lxc.tty.max", "lxc.tty"))) {
        long long n;
        if (lxcNativeLL(v, &n) < 0 || n < INT_MIN || n > INT_MAX) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "failed to parse int: '%s'", v);
            return NULL;
        }
        if (n > LXC_NATIVE_MAX_CONSOLES) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "too many consoles: %lld (at most %d)",
                           n, LXC_NATIVE_MAX_CONSOLES);
            return NULL;
        }
        for (i = 0; (long long)i < n; i++)
            g_string_append_printf(devs, "    <console type='pty'>\n"
                                   "      <target type='lxc' port='%zu'/>\n    </console>\n", i);
    }

    if (lxcNativeIdmap(tail, entries) < 0)
        return NULL;
    if (lxcNativeMemory(entries, &memory, memtune) < 0)
        return NULL;

    g_string_append(out, "<domain type='lxc'>\n");
    lxcNativeText(out, "  ", "name", name);
    g_string_append_printf(out, "  <memory unit='KiB'>%llu</memory>\n", memory);
    if (lxcNativeCputune(entries, head) < 0)
        return NULL;
    if ((v = lxcNativeGet(entries, "lxc.cgroup.cpuset.cpus")) && !(cpus = lxcNativeCPUList(v)))
        return NULL;
    if (lxcNativeBlkio(out, entries) < 0)
        return NULL;
    if (memtune->len)
        g_string_append_printf(out, "  <memtune>\n%s  </memtune>\n", memtune->str);
    g_string_append(out, "  <vcpu placement='static'");
    if (cpus)
        lxcNativeAttr(out, "cpuset", cpus);
    g_string_append(out, ">1</vcpu>\n");
    g_string_append(out, head->str);
    g_string_append(out, "  <os>\n    <type");
    if (arch)
        lxcNativeAttr(out, "arch", arch);
    g_string_append(out, ">exe</type>\n    <init>/sbin/init</init>\n  </os>\n");
    g_string_append(out, tail->str);

    g_string_append(out, "  <features>\n");
    if (privnet)
        g_string_append(out, "    <privnet/>\n");
    g_string_append(out, "    <capabilities policy='allow'");
    if ((v = lxcNativeGet(entries, "lxc.cap.drop"))) {
        g_auto(GStrv) drop = g_strsplit(v, " ", -1);
        bool any = false;
        for (i = 0; lxcNativeCaps[i]; i++) {
            if (g_strv_contains((const char *const *)drop, lxcNativeCaps[i])) {
                g_string_append_printf(out, "%s      <%s state='off'/>\n", any ? "" : ">\n",
                                       lxcNativeCaps[i]);
                any = true;
            }
        }
        g_string_append(out, any ? "    </capabilities>\n" : "/>\n");
    } else {
        g_string_append(out, "/>\n");
    }
    g_string_append(out, "  </features>\n");
    g_string_append(out, "  <clock offset='utc'/>\n  <on_poweroff>destroy</on_poweroff>\n"
                    "  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>\n");
    g_string_append_printf(out, "  <devices>\n%s  </devices>\n</domain>\n", devs->str);
    return g_string_free(g_steal_pointer(&out), FALSE);
}
