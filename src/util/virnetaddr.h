/*
 * virnetaddr.h: IP and MAC addresses as libvirt reads and writes them in
 * definitions (virSocketAddr / virMacAddr): IPv4 (inet_aton's forms, as
 * getaddrinfo reads them) and IPv6 text forms in, inet_ntop's form out; MAC addresses as six hex octets separated by ':'
 * (one or two digits each), written lower case with two digits.
 */
#pragma once

#include <stdbool.h>

typedef struct {
    int family;                 /* AF_INET or AF_INET6 */
    unsigned char bytes[16];
} virNetAddr;

/* 0, or -1 (nothing reported) when text is not an address. */
int virNetAddrParse(const char *text, virNetAddr *addr);
char *virNetAddrFormat(const virNetAddr *addr);
bool virNetAddrEqual(const virNetAddr *a, const virNetAddr *b);

int virNetMACParse(const char *text, unsigned char *mac /* 6 bytes */);
char *virNetMACFormat(const unsigned char *mac);
