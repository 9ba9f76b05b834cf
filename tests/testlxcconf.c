/*
 * testlxcconf.c: see testlxcconf.h. No state.
 */
#include <glib.h>

#include "testlxcconf.h"
#include "virdomaindef.h"

lxcConfig *
testLXCConfigParse(const char *xml, char **formatted)
{
    g_autoptr(virDomainDef) def = virDomainDefParseString(xml);
    lxcConfig *cfg;

    if (!def || !(cfg = lxcConfigParse(xml, def)))
        return NULL;
    lxcConfigFillMACs(def, cfg);
    if (formatted)
        *formatted = virDomainDefFormat(def, -1);
    return cfg;
}
