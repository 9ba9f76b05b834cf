/*
 * lxcconf.c: the LXC-specific parts of a domain definition (lxcconf.h).
 *
 * Stateless: every function works on what it is given.
 */
#include <errno.h>
#include <string.h>
#include <libxml/tree.h>

#include "lxcconf.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_LXC

#define virReportUnsupported(...) \
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED, __VA_ARGS__)

void
lxcConfigFree(lxcConfig *cfg)
{
    size_t i;

    if (!cfg)
        return;
    for (i = 0; i < cfg->nenv; i++)
        g_free(cfg->env[i]);
    g_free(cfg->env);
    g_free(cfg->initdir);
    for (i = 0; i < cfg->nfss; i++) {
        g_free(cfg->fss[i].src);
        g_free(cfg->fss[i].dst);
    }
    g_free(cfg->fss);
    g_free(cfg);
}


static bool
lxcIsElement(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && !node->ns &&
           (!name || strcmp((const char *)node->name, name) == 0);
}


static xmlNodePtr
lxcChild(xmlNodePtr parent, const char *name)
{
    xmlNodePtr cur;

    for (cur = parent ? parent->children : NULL; cur; cur = cur->next) {
        if (lxcIsElement(cur, name))
            return cur;
    }
    return NULL;
}


static char *
lxcProp(xmlNodePtr node, const char *name)
{
    xmlChar *v = node ? xmlGetNoNsProp(node, (const xmlChar *)name) : NULL;
    char *ret = v ? g_strdup((const char *)v) : NULL;

    xmlFree(v);
    return ret;
}


static char *
lxcText(xmlNodePtr node)
{
    xmlChar *v = xmlNodeGetContent(node);
    char *ret = g_strdup(v ? (const char *)v : "");

    xmlFree(v);
    return ret;
}


static int
lxcParseOS(lxcConfig *cfg, xmlNodePtr os)
{
    xmlNodePtr cur;

    for (cur = os ? os->children : NULL; cur; cur = cur->next) {
        const char *name;

        if (!lxcIsElement(cur, NULL))
            continue;
        name = (const char *)cur->name;
        if (strcmp(name, "initenv") == 0) {
            g_autofree char *var = lxcProp(cur, "name");
            g_autofree char *value = lxcText(cur);

            if (!var || !*var || strchr(var, '=')) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "<initenv> needs a name without '='");
                return -1;
            }
            cfg->env = g_renew(char *, cfg->env, cfg->nenv + 1);
            cfg->env[cfg->nenv++] = g_strdup_printf("%s=%s", var, value);
        } else if (strcmp(name, "initdir") == 0) {
            g_free(cfg->initdir);
            cfg->initdir = lxcText(cur);
            if (cfg->initdir[0] != '/') {
                virReportError(VIR_ERR_XML_ERROR,
                               "<initdir> '%s' is not an absolute path",
                               cfg->initdir);
                return -1;
            }
        } else if (strcmp(name, "inituser") == 0 || strcmp(name, "initgroup") == 0) {
            virReportUnsupported("<%s> is not supported by virtnet's LXC driver", name);
            return -1;
        }
    }
    return 0;
}


static int
lxcParseFeatures(lxcConfig *cfg, xmlNodePtr features)
{
    xmlNodePtr cur;

    for (cur = features ? features->children : NULL; cur; cur = cur->next) {
        if (!lxcIsElement(cur, NULL))
            continue;
        if (strcmp((const char *)cur->name, "privnet") == 0) {
            cfg->privnet = true;
        } else {
            virReportUnsupported("feature '%s' is not supported by virtnet's LXC driver",
                                 (const char *)cur->name);
            return -1;
        }
    }
    return 0;
}


/* libvirt's scaled-integer units for <source usage='N' units='U'/>. */
static int
lxcParseUsage(const char *value, const char *units, unsigned long long *kib)
{
    unsigned long long n, mult = 1024;
    char *end = NULL;

    if (!value)
        return 0;
    n = g_ascii_strtoull(value, &end, 10);
    if (!*value || *end) {
        virReportError(VIR_ERR_XML_ERROR, "invalid filesystem usage '%s'", value);
        return -1;
    }
    if (units && *units) {
        static const struct { const char *u; unsigned long long m; } tab[] = {
            { "b", 1 }, { "bytes", 1 }, { "k", 1024 }, { "KiB", 1024 }, { "KB", 1000 },
            { "M", 1024ULL * 1024 }, { "MiB", 1024ULL * 1024 }, { "MB", 1000ULL * 1000 },
            { "G", 1024ULL * 1024 * 1024 }, { "GiB", 1024ULL * 1024 * 1024 },
            { "GB", 1000ULL * 1000 * 1000 },
        };
        size_t i;

        mult = 0;
        for (i = 0; i < G_N_ELEMENTS(tab); i++) {
            if (strcmp(tab[i].u, units) == 0)
                mult = tab[i].m;
        }
        if (!mult) {
            virReportError(VIR_ERR_INVALID_ARG, "unknown suffix '%s'", units);
            return -1;
        }
    }
    if (n && G_MAXUINT64 / n < mult) {
        virReportError(VIR_ERR_OVERFLOW, "%s", "filesystem usage too large");
        return -1;
    }
    *kib = (n * mult + 1023) / 1024;
    return 0;
}


static int
lxcParseFilesystem(lxcConfig *cfg, xmlNodePtr node)
{
    g_autofree char *type = lxcProp(node, "type");
    g_autofree char *accessmode = lxcProp(node, "accessmode");
    xmlNodePtr source = lxcChild(node, "source");
    xmlNodePtr target = lxcChild(node, "target");
    lxcFS fs = { 0 };
    size_t i;

    if (!type || strcmp(type, "mount") == 0) {
        fs.type = LXC_FS_MOUNT;
    } else if (strcmp(type, "ram") == 0) {
        fs.type = LXC_FS_RAM;
    } else {
        virReportUnsupported("filesystem type '%s' is not supported by virtnet's LXC driver "
                             "(only 'mount' and 'ram')", type);
        return -1;
    }
    if (accessmode && strcmp(accessmode, "passthrough") != 0) {
        virReportUnsupported("filesystem accessmode '%s' is not supported", accessmode);
        return -1;
    }
    fs.dst = lxcProp(target, "dir");
    if (!fs.dst || fs.dst[0] != '/') {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "missing or relative filesystem target dir");
        goto error;
    }
    fs.readonly = lxcChild(node, "readonly") != NULL;
    if (fs.type == LXC_FS_MOUNT) {
        fs.src = lxcProp(source, "dir");
        if (!fs.src || fs.src[0] != '/') {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "missing or relative filesystem source dir");
            goto error;
        }
    } else {
        g_autofree char *usage = lxcProp(source, "usage");
        g_autofree char *units = lxcProp(source, "units");

        if (lxcParseUsage(usage, units, &fs.usageKiB) < 0)
            goto error;
        if (strcmp(fs.dst, "/") == 0) {
            virReportUnsupported("%s", "a 'ram' filesystem cannot be the container's root");
            goto error;
        }
    }
    for (i = 0; i < cfg->nfss; i++) {
        if (strcmp(cfg->fss[i].dst, fs.dst) == 0) {
            virReportError(VIR_ERR_XML_ERROR, "filesystem target '%s' used twice",
                           fs.dst);
            goto error;
        }
    }
    cfg->fss = g_renew(lxcFS, cfg->fss, cfg->nfss + 1);
    cfg->fss[cfg->nfss++] = fs;
    return 0;

 error:
    g_free(fs.src);
    g_free(fs.dst);
    return -1;
}


/* A number in <PARENT><NAME>N</NAME>: 0 when absent. */
static int
lxcParseTune(xmlNodePtr parent, const char *name, bool isSigned, void *out)
{
    xmlNodePtr node = lxcChild(parent, name);
    g_autofree char *text = node ? lxcText(node) : NULL;
    char *end = NULL;

    if (!text)
        return 0;
    errno = 0;
    if (isSigned)
        *(long long *)out = g_ascii_strtoll(g_strstrip(text), &end, 10);
    else if (text[0] != '-')
        *(unsigned long long *)out = g_ascii_strtoull(g_strstrip(text), &end, 10);
    if (errno || !end || end == text || *end) {
        virReportError(VIR_ERR_XML_ERROR, "invalid value '%s' of <%s><%s>", text,
                       (const char *)parent->name, name);
        return -1;
    }
    return 0;
}


static int
lxcParseDevices(lxcConfig *cfg, xmlNodePtr devices)
{
    xmlNodePtr cur;

    for (cur = devices ? devices->children : NULL; cur; cur = cur->next) {
        const char *name;

        if (!lxcIsElement(cur, NULL))
            continue;
        name = (const char *)cur->name;
        if (strcmp(name, "filesystem") == 0) {
            if (lxcParseFilesystem(cfg, cur) < 0)
                return -1;
        } else if (strcmp(name, "console") == 0) {
            g_autofree char *type = lxcProp(cur, "type");

            if (type && strcmp(type, "pty") != 0) {
                virReportUnsupported("console type '%s' is not supported (only 'pty')", type);
                return -1;
            }
        } else if (strcmp(name, "emulator") == 0) {
            /* libvirt names its controller here; ours always runs */
        } else {
            virReportUnsupported("device <%s> is not supported by virtnet's LXC driver", name);
            return -1;
        }
    }
    return 0;
}


lxcConfig *
lxcConfigParse(const char *xml, const virDomainDef *def)
{
    g_autoptr(lxcConfig) cfg = g_new0(lxcConfig, 1);
    xmlDocPtr doc;
    xmlNodePtr root, cur;
    int rc = 0;

    if (strcmp(def->virtType, "lxc") != 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "domain type '%s' is not supported by the LXC driver (expected 'lxc')",
                       def->virtType);
        return NULL;
    }
    if (strcmp(def->osType, "exe") != 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "OS type '%s' is not supported by the LXC driver (expected 'exe')",
                       def->osType);
        return NULL;
    }
    if (!(doc = virDomainXMLParseString(xml, "(domain_definition)", "domain", VIR_FROM_DOMAIN)))
        return NULL;
    root = xmlDocGetRootElement(doc);
    for (cur = root->children; cur && rc == 0; cur = cur->next) {
        const char *name;

        if (!lxcIsElement(cur, NULL))
            continue;
        name = (const char *)cur->name;
        if (strcmp(name, "os") == 0)
            rc = lxcParseOS(cfg, cur);
        else if (strcmp(name, "features") == 0)
            rc = lxcParseFeatures(cfg, cur);
        else if (strcmp(name, "devices") == 0)
            rc = lxcParseDevices(cfg, cur);
        else if (strcmp(name, "cputune") == 0) {
            if ((rc = lxcParseTune(cur, "shares", false, &cfg->cpuShares)) == 0 &&
                (rc = lxcParseTune(cur, "period", false, &cfg->cpuPeriod)) == 0)
                rc = lxcParseTune(cur, "quota", true, &cfg->cpuQuota);
        } else if (strcmp(name, "blkiotune") == 0) {
            unsigned long long weight = 0;

            if ((rc = lxcParseTune(cur, "weight", false, &weight)) == 0 && weight > G_MAXUINT) {
                virReportError(VIR_ERR_XML_ERROR, "%s", "invalid value of <blkiotune><weight>");
                rc = -1;
            }
            cfg->blkioWeight = (unsigned int)weight;
        }
        else if (strcmp(name, "idmap") == 0) {
            virReportUnsupported("%s", "<idmap> (user namespaces) is not supported by "
                                 "virtnet's LXC driver");
            rc = -1;
        }
    }
    xmlFreeDoc(doc);
    if (rc < 0)
        return NULL;
    return g_steal_pointer(&cfg);
}


const lxcFS *
lxcConfigRootFS(const lxcConfig *cfg)
{
    size_t i;

    for (i = 0; i < cfg->nfss; i++) {
        if (cfg->fss[i].type == LXC_FS_MOUNT && strcmp(cfg->fss[i].dst, "/") == 0)
            return &cfg->fss[i];
    }
    return NULL;
}


/* ------------------------------------------------------------------ */
/* Names derived from a domain name                                    */

char *
lxcHostName(const char *name)
{
    GString *host = g_string_new(NULL);
    const char *p;

    for (p = name; *p && host->len < 64; p++) {
        if (g_ascii_isalnum(*p) || *p == '.' || (*p == '-' && host->len > 0))
            g_string_append_c(host, *p);
    }
    return g_string_free(host, FALSE);
}


char *
lxcCgroupName(const char *name)
{
    /* cgroup v1 and v2 control files are CONTROLLER.KEY (and "tasks" and
     * a few others in v1) */
    static const char *const reserved[] = {
        "cgroup", "memory", "cpu", "cpuacct", "cpuset", "io", "blkio", "pids", "rdma",
        "hugetlb", "misc", "devices", "freezer", "net_cls", "net_prio", "perf_event",
    };
    static const char *const files[] = { "tasks", "notify_on_release", "release_agent" };
    const char *dot = strchr(name, '.');
    size_t i;
    bool escape = name[0] == '.' || name[0] == '_';

    for (i = 0; !escape && dot && i < G_N_ELEMENTS(reserved); i++) {
        if ((size_t)(dot - name) == strlen(reserved[i]) &&
            strncmp(name, reserved[i], dot - name) == 0)
            escape = true;
    }
    for (i = 0; !escape && i < G_N_ELEMENTS(files); i++)
        escape = strcmp(name, files[i]) == 0;
    return escape ? g_strdup_printf("_%s", name) : g_strdup(name);
}

