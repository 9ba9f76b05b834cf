/*
 * virnetaddr.c: IP and MAC address text forms, see virnetaddr.h.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <glib.h>

#include "virnetaddr.h"

int
virNetAddrParse(const char *text, virNetAddr *addr)
{
    memset(addr, 0, sizeof(*addr));
    if (!text)
        return -1;
    /* getaddrinfo's numeric forms, as libvirt parses them: inet_aton's
     * for IPv4 ("10.1" is 10.0.0.1) */
    if (inet_aton(text, (struct in_addr *)(void *)addr->bytes)) {
        addr->family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, text, addr->bytes) == 1) {
        addr->family = AF_INET6;
        return 0;
    }
    return -1;
}

char *
virNetAddrFormat(const virNetAddr *addr)
{
    char buf[INET6_ADDRSTRLEN];

    if (!inet_ntop(addr->family, addr->bytes, buf, sizeof(buf)))
        return NULL;
    return g_strdup(buf);
}

bool
virNetAddrEqual(const virNetAddr *a, const virNetAddr *b)
{
    return a->family == b->family &&
           memcmp(a->bytes, b->bytes, a->family == AF_INET ? 4 : 16) == 0;
}

int
virNetMACParse(const char *text, unsigned char *mac)
{
    size_t i;

    for (i = 0; i < 6; i++) {
        size_t n = 0;
        unsigned int v = 0;

        while (n < 2 && g_ascii_isxdigit(text[n])) {
            v = v * 16 + (unsigned int)g_ascii_xdigit_value(text[n]);
            n++;
        }
        if (n == 0)
            return -1;
        mac[i] = (unsigned char)v;
        text += n;
        if (i < 5) {
            if (*text != ':')
                return -1;
            text++;
        }
    }
    /* libvirt stops at the first blank or control character */
    return (unsigned char)*text <= ' ' ? 0 : -1;
}

char *
virNetMACFormat(const unsigned char *mac)
{
    return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x",
                           mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}
