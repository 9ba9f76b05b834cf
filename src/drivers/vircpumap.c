/*
 * vircpumap.c: maps of host CPUs and libvirt's cpuset strings
 * (vircpumap.h).
 */
#include <string.h>
#include <glib.h>

#include "vircpumap.h"


virCPUMap
virCPUMapNew(unsigned int nbits)
{
    virCPUMap map = { g_new0(guint8, (nbits + 7) / 8 + 1), nbits };
    return map;
}

void
virCPUMapSet(virCPUMap *map, unsigned int bit)
{
    if (bit < map->nbits)
        map->bits[bit / 8] |= 1u << (bit % 8);
}

bool
virCPUMapIsSet(const virCPUMap *map, unsigned int bit)
{
    return bit < map->nbits && (map->bits[bit / 8] & (1u << (bit % 8)));
}

int
virCPUMapLast(const virCPUMap *map)
{
    int i;

    for (i = (int)map->nbits - 1; i >= 0; i--) {
        if (virCPUMapIsSet(map, (unsigned int)i))
            return i;
    }
    return -1;
}

virCPUMap
virCPUMapFromBytes(const guint8 *data, size_t len)
{
    virCPUMap map = virCPUMapNew((unsigned int)len * 8);

    memcpy(map.bits, data, len);
    return map;
}

static char *
virCPUMapSkipSpaces(char *p)
{
    while (g_ascii_isspace(*p))
        p++;
    return p;
}

bool
virCPUMapParse(const char *str, unsigned int nbits, virCPUMap *out)
{
    g_auto(GStrv) parts = g_strsplit(str, ",", -1);
    size_t i;

    *out = virCPUMapNew(nbits);
    if (!parts[0])
        goto error;
    for (i = 0; parts[i]; i++) {
        char *p = g_strstrip(parts[i]);
        bool neg = *p == '^';
        char *end = NULL;
        guint64 a, b;

        if (!*p && i > 0 && !parts[i + 1])
            break;
        if (neg)
            p++;
        if (!g_ascii_isdigit(*p))
            goto error;
        a = g_ascii_strtoull(p, &end, 10);
        b = a;
        end = virCPUMapSkipSpaces(end);     /* libvirt takes "0 - 3" */
        if (*end == '-' && !neg) {
            p = virCPUMapSkipSpaces(end + 1);
            if (!g_ascii_isdigit(*p))
                goto error;
            b = g_ascii_strtoull(p, &end, 10);
            if (b < a)
                goto error;
            end = virCPUMapSkipSpaces(end);
        }
        if (*end || (nbits == 0 && b >= VIR_CPU_MAP_MAX_BITS))
            goto error;
        if (nbits == 0 && b >= out->nbits) {
            unsigned int old = (out->nbits + 7) / 8 + 1;

            out->bits = g_realloc(out->bits, (b + 1 + 7) / 8 + 1);
            memset(out->bits + old, 0, (b + 1 + 7) / 8 + 1 - old);
            out->nbits = (unsigned int)b + 1;
        }
        for (; a <= b && a < out->nbits; a++) {
            if (neg)
                out->bits[a / 8] &= ~(1u << (a % 8));
            else
                virCPUMapSet(out, (unsigned int)a);
        }
    }
    return true;

 error:
    g_clear_pointer(&out->bits, g_free);
    return false;
}

char *
virCPUMapFormat(const virCPUMap *map)
{
    GString *buf = g_string_new(NULL);
    unsigned int i = 0, start;

    while (i < map->nbits) {
        if (!virCPUMapIsSet(map, i)) {
            i++;
            continue;
        }
        start = i;
        while (i + 1 < map->nbits && virCPUMapIsSet(map, i + 1))
            i++;
        if (buf->len)
            g_string_append_c(buf, ',');
        if (i == start)
            g_string_append_printf(buf, "%u", start);
        else
            g_string_append_printf(buf, "%u-%u", start, i);
        i++;
    }
    return g_string_free(buf, FALSE);
}

bool
virCPUMapIsEmpty(const unsigned char *cpumap, int len)
{
    int i;

    for (i = 0; i < len; i++) {
        if (cpumap[i])
            return false;
    }
    return true;
}

void
virCPUMapToBytes(const virCPUMap *map, unsigned char *buf, int maplen)
{
    unsigned int i;

    memset(buf, 0, maplen);
    for (i = 0; i < map->nbits && i < (unsigned int)maplen * 8; i++) {
        if (virCPUMapIsSet(map, i))
            buf[i / 8] |= 1u << (i % 8);
    }
}
