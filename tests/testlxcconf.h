/*
 * testlxcconf.h: a domain XML read as the LXC driver's define reads it,
 * for the tests of lxcconf.h that need no container (test-lxc-conf-*).
 */
#pragma once

#include "lxcconf.h"

/* The XML parsed as a definition and as the driver's config, the
 * interfaces' MACs filled; with formatted, the definition as the driver
 * keeps it (a new string). NULL with the error reported. */
lxcConfig *testLXCConfigParse(const char *xml, char **formatted);
