/*
 * testxdr.c: XDR helpers the tests share (testxdr.h).
 */
#include <glib.h>

#include "testxdr.h"


bool
virTestXDRDecodes(xdrproc_t filter, size_t size, const void *buf, size_t len)
{
    g_autofree void *data = g_malloc0(size ? size : 1);
    XDR xdr;
    bool ok;

    xdrmem_create(&xdr, (char *)buf, len, XDR_DECODE);
    ok = filter(&xdr, data) && xdr_getpos(&xdr) == len;
    xdr_destroy(&xdr);
    xdr_free(filter, data);
    return ok;
}


ssize_t
virTestXDRZeroLen(xdrproc_t filter, size_t size, size_t max)
{
    g_autofree char *zeros = g_malloc0(max + 1);

    for (size_t len = 0; len <= max; len += 4) {
        if (virTestXDRDecodes(filter, size, zeros, len))
            return len;
    }
    return -1;
}
