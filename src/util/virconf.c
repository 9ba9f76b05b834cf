/*
 * virconf.c: parser for libvirtd.conf syntax.
 *
 * Ownership: a virConf owns every entry and string it holds; getters hand
 * out copies, so a conf may be freed right after reading it.
 * Locking: none. A virConf is built by one thread and then only read;
 * concurrent getters on the same conf are safe since nothing mutates it.
 *
 * A hand-written recursive-descent parser, because GKeyFile's syntax
 * (groups, unquoted values, ';' lists) is not this one. Errors:
 * VIR_ERR_CONF_SYNTAX for text that cannot be parsed, VIR_ERR_CONFIG_UNSUPPORTED
 * for well-formed settings the schema or a getter refuses (unknown key,
 * wrong type, out of range). Both name file and line. A key set twice keeps
 * the last value, like libvirt. Strings have no escapes, like libvirt.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "virconf.h"
#include "virerror.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_CONF

typedef struct {
    char *name;
    virConfType type;
    int line;
    char *str;           /* VIR_CONF_STRING */
    long long num;       /* VIR_CONF_INT */
    GPtrArray *list;     /* VIR_CONF_LIST: char * (owned) */
} virConfEntry;

struct _virConf {
    char *name;
    GPtrArray *entries;  /* virConfEntry *, in file order (owned) */
    GHashTable *byName;  /* name -> virConfEntry * (borrowed) */
};

typedef struct {
    const char *name;    /* file name for messages */
    const char *cur;
    const char *end;
    int line;
} virConfParser;

static void
virConfEntryFree(gpointer data)
{
    virConfEntry *e = data;

    g_free(e->name);
    g_free(e->str);
    if (e->list)
        g_ptr_array_unref(e->list);
    g_free(e);
}

void
virConfFree(virConf *conf)
{
    if (!conf)
        return;
    g_hash_table_unref(conf->byName);
    g_ptr_array_unref(conf->entries);
    g_free(conf->name);
    g_free(conf);
}

static const char *
virConfTypeDescription(virConfType type)
{
    switch (type) {
    case VIR_CONF_STRING: return "a string";
    case VIR_CONF_INT: return "an integer";
    case VIR_CONF_LIST: return "a list of strings";
    }
    return "a value";
}

/* Describe the text at the cursor for "expected X, got Y" messages. */
static char *
virConfParserFound(virConfParser *p)
{
    if (p->cur >= p->end)
        return g_strdup("end of file");
    if (*p->cur == '\n')
        return g_strdup("end of line");
    return g_strdup_printf("'%c'", *p->cur);
}

static void
virConfParserError(virConfParser *p, const char *expected)
{
    g_autofree char *found = virConfParserFound(p);

    virReportError(VIR_ERR_CONF_SYNTAX, "%s:%d: expected %s, found %s",
                   p->name, p->line, expected, found);
}

/* Spaces and tabs only. */
static void
virConfSkipBlanks(virConfParser *p)
{
    while (p->cur < p->end && (*p->cur == ' ' || *p->cur == '\t' || *p->cur == '\r'))
        p->cur++;
}

static void
virConfSkipComment(virConfParser *p)
{
    if (p->cur < p->end && *p->cur == '#') {
        while (p->cur < p->end && *p->cur != '\n')
            p->cur++;
    }
}

/* Blanks, comments and newlines (inside lists, between statements). */
static void
virConfSkipSpace(virConfParser *p)
{
    for (;;) {
        virConfSkipBlanks(p);
        virConfSkipComment(p);
        if (p->cur < p->end && *p->cur == '\n') {
            p->line++;
            p->cur++;
            continue;
        }
        return;
    }
}

static char *
virConfParseString(virConfParser *p)
{
    const char *start;
    char quote = *p->cur;
    int startLine = p->line;

    if (quote == '"' && p->end - p->cur >= 3 && strncmp(p->cur, "\"\"\"", 3) == 0) {
        p->cur += 3;
        start = p->cur;
        while (p->cur < p->end &&
               !(p->end - p->cur >= 3 && strncmp(p->cur, "\"\"\"", 3) == 0)) {
            if (*p->cur == '\n')
                p->line++;
            p->cur++;
        }
        if (p->cur >= p->end) {
            virReportError(VIR_ERR_CONF_SYNTAX,
                           "%s:%d: unterminated triple-quoted string",
                           p->name, startLine);
            return NULL;
        }
        p->cur += 3;
        return g_strndup(start, p->cur - 3 - start);
    }

    p->cur++;
    start = p->cur;
    while (p->cur < p->end && *p->cur != quote && *p->cur != '\n')
        p->cur++;
    if (p->cur >= p->end || *p->cur != quote) {
        virReportError(VIR_ERR_CONF_SYNTAX, "%s:%d: unterminated string",
                       p->name, startLine);
        return NULL;
    }
    p->cur++;
    return g_strndup(start, p->cur - 1 - start);
}

static int
virConfParseInt(virConfParser *p, long long *value)
{
    const char *start = p->cur;
    g_autofree char *text = NULL;
    char *endp;

    if (*p->cur == '-' || *p->cur == '+')
        p->cur++;
    if (p->cur >= p->end || !g_ascii_isdigit(*p->cur)) {
        p->cur = start;
        virConfParserError(p, "a value");
        return -1;
    }
    while (p->cur < p->end && g_ascii_isdigit(*p->cur))
        p->cur++;

    text = g_strndup(start, p->cur - start);
    errno = 0;
    *value = strtoll(text, &endp, 10);
    if (errno == ERANGE) {
        virReportError(VIR_ERR_CONF_SYNTAX, "%s:%d: integer %s is out of range",
                       p->name, p->line, text);
        return -1;
    }
    return 0;
}

static int
virConfParseList(virConfParser *p, GPtrArray *list)
{
    p->cur++; /* '[' */
    for (;;) {
        char *item;

        virConfSkipSpace(p);
        if (p->cur < p->end && *p->cur == ']') {
            p->cur++;
            return 0;
        }
        if (p->cur >= p->end || (*p->cur != '"' && *p->cur != '\'')) {
            virConfParserError(p, "a quoted string or ']' in list");
            return -1;
        }
        if (!(item = virConfParseString(p)))
            return -1;
        g_ptr_array_add(list, item);

        virConfSkipSpace(p);
        if (p->cur < p->end && *p->cur == ',') {
            p->cur++;
            continue;
        }
        if (p->cur < p->end && *p->cur == ']') {
            p->cur++;
            return 0;
        }
        virConfParserError(p, "',' or ']' in list");
        return -1;
    }
}

static bool
virConfIsNameStart(char c)
{
    return g_ascii_isalpha(c) || c == '_';
}

static bool
virConfIsNameChar(char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '.' || c == '-';
}

static const virConfSchemaEntry *
virConfSchemaLookup(const virConfSchemaEntry *schema, const char *name)
{
    for (; schema->name; schema++) {
        if (g_str_equal(schema->name, name))
            return schema;
    }
    return NULL;
}

/* One "key = value" statement; the cursor is on the key. */
static virConfEntry *
virConfParseStatement(virConfParser *p, const virConfSchemaEntry *schema)
{
    g_autoptr(GPtrArray) list = NULL;
    const char *start = p->cur;
    virConfEntry *e;
    const virConfSchemaEntry *want = NULL;

    if (!virConfIsNameStart(*p->cur)) {
        virConfParserError(p, "a setting name");
        return NULL;
    }
    while (p->cur < p->end && virConfIsNameChar(*p->cur))
        p->cur++;

    e = g_new0(virConfEntry, 1);
    e->name = g_strndup(start, p->cur - start);
    e->line = p->line;

    if (schema && !(want = virConfSchemaLookup(schema, e->name))) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s:%d: unknown setting '%s'",
                       p->name, p->line, e->name);
        goto error;
    }

    virConfSkipBlanks(p);
    if (p->cur >= p->end || *p->cur != '=') {
        virConfParserError(p, "'=' after the setting name");
        goto error;
    }
    p->cur++;
    virConfSkipBlanks(p);

    if (p->cur >= p->end) {
        virConfParserError(p, "a value");
        goto error;
    }
    if (*p->cur == '"' || *p->cur == '\'') {
        e->type = VIR_CONF_STRING;
        if (!(e->str = virConfParseString(p)))
            goto error;
    } else if (*p->cur == '[') {
        e->type = VIR_CONF_LIST;
        e->list = g_ptr_array_new_with_free_func(g_free);
        if (virConfParseList(p, e->list) < 0)
            goto error;
    } else {
        e->type = VIR_CONF_INT;
        if (virConfParseInt(p, &e->num) < 0)
            goto error;
    }

    if (want && want->type != e->type) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s:%d: setting '%s' expects %s",
                       p->name, e->line, e->name, virConfTypeDescription(want->type));
        goto error;
    }

    /* The statement ends at a newline, a ';' or the end of the text. */
    virConfSkipBlanks(p);
    virConfSkipComment(p);
    if (p->cur < p->end && *p->cur == ';')
        p->cur++;
    else if (p->cur < p->end && *p->cur != '\n') {
        virConfParserError(p, "end of line after the value");
        goto error;
    }
    return e;

 error:
    virConfEntryFree(e);
    return NULL;
}

static virConf *
virConfParse(const char *content, size_t len, const char *name,
             const virConfSchemaEntry *schema)
{
    virConf *conf = g_new0(virConf, 1);
    virConfParser p = {
        .name = name ? name : "(string)",
        .cur = content,
        .end = content + len,
        .line = 1,
    };

    conf->name = g_strdup(p.name);
    conf->entries = g_ptr_array_new_with_free_func(virConfEntryFree);
    conf->byName = g_hash_table_new(g_str_hash, g_str_equal);

    if (memchr(content, '\0', len)) {
        virReportError(VIR_ERR_CONF_SYNTAX, "%s: contains a NUL byte", p.name);
        goto error;
    }

    for (;;) {
        virConfEntry *e;
        virConfEntry *old;

        virConfSkipSpace(&p);
        if (p.cur < p.end && *p.cur == ';') {
            p.cur++;
            continue;
        }
        if (p.cur >= p.end)
            break;
        if (!(e = virConfParseStatement(&p, schema)))
            goto error;
        /* Last one wins; drop the earlier entry. */
        if ((old = g_hash_table_lookup(conf->byName, e->name))) {
            g_hash_table_remove(conf->byName, e->name);
            g_ptr_array_remove(conf->entries, old);
        }
        g_ptr_array_add(conf->entries, e);
        g_hash_table_insert(conf->byName, e->name, e);
    }
    return conf;

 error:
    virConfFree(conf);
    return NULL;
}

virConf *
virConfReadString(const char *content, const char *name,
                  const virConfSchemaEntry *schema)
{
    if (!content) {
        virReportError(VIR_ERR_INVALID_ARG, "no configuration text");
        return NULL;
    }
    return virConfParse(content, strlen(content), name, schema);
}

virConf *
virConfReadFile(const char *path, const virConfSchemaEntry *schema)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    char chunk[8192];
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "cannot open configuration file '%s'", path);
        return NULL;
    }
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));

        if (n < 0) {
            if (errno == EINTR)
                continue;
            virReportSystemError(errno, "cannot read configuration file '%s'", path);
            VIR_FORCE_CLOSE(fd);
            return NULL;
        }
        if (n == 0)
            break;
        g_string_append_len(buf, chunk, n);
    }
    VIR_FORCE_CLOSE(fd);
    return virConfParse(buf->str, buf->len, path, schema);
}

static virConfEntry *
virConfLookup(virConf *conf, const char *key, virConfType type)
{
    virConfEntry *e = g_hash_table_lookup(conf->byName, key);

    if (e && e->type != type) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s:%d: setting '%s' expects %s",
                       conf->name, e->line, key, virConfTypeDescription(type));
        return NULL;
    }
    return e;
}

#define VIR_CONF_LOOKUP(conf, key, type, e) \
    do { \
        if (!((e) = g_hash_table_lookup((conf)->byName, (key)))) \
            return 0; \
        if (!virConfLookup((conf), (key), (type))) \
            return -1; \
    } while (0)

static int
virConfRangeCheck(virConf *conf, virConfEntry *e, long long min,
                  long long max, const char *what)
{
    if (e->num < min || e->num > max) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "%s:%d: setting '%s' value %lld is out of range for %s",
                       conf->name, e->line, e->name, e->num, what);
        return -1;
    }
    return 0;
}

int
virConfGetString(virConf *conf, const char *key, char **value)
{
    virConfEntry *e;

    VIR_CONF_LOOKUP(conf, key, VIR_CONF_STRING, e);
    *value = g_strdup(e->str);
    return 1;
}

int
virConfGetInt(virConf *conf, const char *key, int *value)
{
    virConfEntry *e;

    VIR_CONF_LOOKUP(conf, key, VIR_CONF_INT, e);
    if (virConfRangeCheck(conf, e, INT_MIN, INT_MAX, "an int") < 0)
        return -1;
    *value = (int)e->num;
    return 1;
}

int
virConfGetUInt(virConf *conf, const char *key, unsigned int *value)
{
    virConfEntry *e;

    VIR_CONF_LOOKUP(conf, key, VIR_CONF_INT, e);
    if (virConfRangeCheck(conf, e, 0, UINT_MAX, "an unsigned int") < 0)
        return -1;
    *value = (unsigned int)e->num;
    return 1;
}

int
virConfGetLLong(virConf *conf, const char *key, long long *value)
{
    virConfEntry *e;

    VIR_CONF_LOOKUP(conf, key, VIR_CONF_INT, e);
    *value = e->num;
    return 1;
}

int
virConfGetBool(virConf *conf, const char *key, bool *value)
{
    virConfEntry *e;

    VIR_CONF_LOOKUP(conf, key, VIR_CONF_INT, e);
    if (e->num != 0 && e->num != 1) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "%s:%d: setting '%s' expects 0 or 1, not %lld",
                       conf->name, e->line, key, e->num);
        return -1;
    }
    *value = e->num == 1;
    return 1;
}

int
virConfGetStringList(virConf *conf, const char *key, char ***values)
{
    virConfEntry *e;
    char **ret;

    VIR_CONF_LOOKUP(conf, key, VIR_CONF_LIST, e);
    ret = g_new0(char *, e->list->len + 1);
    for (guint i = 0; i < e->list->len; i++)
        ret[i] = g_strdup(g_ptr_array_index(e->list, i));
    *values = ret;
    return 1;
}

int
virConfGetLine(virConf *conf, const char *key)
{
    virConfEntry *e = g_hash_table_lookup(conf->byName, key);

    return e ? e->line : 0;
}

const char *
virConfGetName(virConf *conf)
{
    return conf->name;
}
