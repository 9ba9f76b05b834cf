/*
 * virconf.h: parser for libvirtd.conf syntax.
 *
 *   # comment
 *   key = "string"          (double or single quotes; """triple""" too)
 *   key = 42                (integers, optionally negative)
 *   key = [ "a", "b",       (lists of strings, may span lines,
 *           "c" ]            trailing comma allowed)
 *
 * A schema (array ending with a NULL name) names the allowed keys and types.
 * Reading with a schema fails on an unknown key or a value of the wrong type
 * with an error naming file, line and key:
 *   "/etc/virtnet/virtnetd.conf:12: unknown setting 'max_clinets'"
 *   "/etc/virtnet/virtnetd.conf:3: setting 'max_clients' expects an integer"
 * A syntax error names file, line and what was expected.
 */
#pragma once

#include <stdbool.h>

typedef enum {
    VIR_CONF_STRING = 1,
    VIR_CONF_INT,        /* signed 64-bit */
    VIR_CONF_LIST,       /* list of strings */
} virConfType;

typedef struct {
    const char *name;
    virConfType type;
} virConfSchemaEntry;

typedef struct _virConf virConf;

/* schema may be NULL to accept any key. NULL with an error on failure. */
virConf *virConfReadFile(const char *path, const virConfSchemaEntry *schema);
virConf *virConfReadString(const char *content, const char *name,
                           const virConfSchemaEntry *schema);
void virConfFree(virConf *conf);

/* Getters return 1 when the key is present (and *value set), 0 when absent
 * (value untouched), -1 with an error when the value has another type or is
 * out of range for the C type. Strings and lists are newly allocated. */
int virConfGetString(virConf *conf, const char *key, char **value);
int virConfGetInt(virConf *conf, const char *key, int *value);
int virConfGetUInt(virConf *conf, const char *key, unsigned int *value);
int virConfGetLLong(virConf *conf, const char *key, long long *value);
int virConfGetBool(virConf *conf, const char *key, bool *value); /* 0 or 1 */
int virConfGetStringList(virConf *conf, const char *key, char ***values); /* g_strfreev */
/* Line where the key was set (0 when absent), for further error messages. */
int virConfGetLine(virConf *conf, const char *key);
const char *virConfGetName(virConf *conf);
