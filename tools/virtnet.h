/*
 * virtnet.h: what the command-line tool's files share (tools/virtnet.c:
 * the program and the domain commands; tools/virtnetobjects.c: the
 * commands on networks, pools, volumes, interfaces, node devices and
 * secrets): the tool's state, a command's parsed line and the helpers
 * that print the way virsh does.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <glib.h>

#include "vnclient.h"

typedef struct {
    const char *uri;
    bool readonly;
    bool quiet;
    vnConnect *conn;
} vnCtl;

typedef struct {
    const char *name;          /* "--name" without dashes */
    bool hasValue;
} vnOptDef;

typedef struct {
    GHashTable *opts;          /* name -> value ("" for booleans) */
    GPtrArray *args;           /* positional */
} vnCmdArgs;

typedef struct {
    const char *name;
    bool (*run)(vnCtl *ctl, const char *cmd, vnCmdArgs *a);
    const vnOptDef *opts;
    const char *usage;
} vnCmdDef;

/* "error: ..." on stderr */
void vnError(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* The library's last error, as virsh's final "error: ..." line. */
void vnReportLibError(void);
bool vnOptBool(vnCmdArgs *a, const char *name);
const char *vnOptString(vnCmdArgs *a, const char *name);
/* A number option: -1 error (reported), 0 absent, 1 present; wrap: a
 * negative number is taken modulo 2^64 (virsh's --length). */
int vnOptULongLong(vnCmdArgs *a, const char *name, unsigned long long *value, bool wrap);
/* write(2) all of data, EINTR retried: 0 or -1 (errno set). */
int vnWriteAll(int fd, const char *data, size_t nbytes);
/* The single positional argument of a command, or an error. */
const char *vnCmdArg(vnCmdArgs *a, const char *cmd, const char *what);
/* A table as virsh prints it: rows of ncols strings, the first the header. */
void vnPrintTable(GPtrArray *rows, size_t ncols);

/* tools/virtnetobjects.c */
extern const vnCmdDef vnObjectCommands[];
extern const size_t vnObjectCommandsCount;
