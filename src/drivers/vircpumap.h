/*
 * vircpumap.h: a map of host CPUs (bit i set for CPU i), parsed from and
 * formatted as libvirt's cpuset strings ("0-3,^2,6") and copied from and
 * to the byte maps of the pinning calls. A map owns its bits (g_free
 * map.bits); nothing here locks.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

typedef struct {
    guint8 *bits;
    unsigned int nbits;
} virCPUMap;

/* The most bits a map that grows while parsed may reach. */
#define VIR_CPU_MAP_MAX_BITS (1u << 20)

/* An empty map of nbits bits. */
virCPUMap virCPUMapNew(unsigned int nbits);
void virCPUMapSet(virCPUMap *map, unsigned int bit);
bool virCPUMapIsSet(const virCPUMap *map, unsigned int bit);
/* The highest bit set, -1 for none. */
int virCPUMapLast(const virCPUMap *map);
/* From a caller's map of len bytes (libvirt: virBitmapNewData). */
virCPUMap virCPUMapFromBytes(const guint8 *data, size_t len);
/* A cpuset string (libvirt's virBitmapParse: not empty, a trailing comma
 * allowed, spaces around the numbers and '-'), with nbits bits (bits past
 * them are left out), or with nbits 0 as many as the highest bit named
 * needs (at most VIR_CPU_MAP_MAX_BITS); false (out->bits NULL) when
 * malformed. */
bool virCPUMapParse(const char *str, unsigned int nbits, virCPUMap *out);
/* libvirt's virBitmapFormat: "0-3,6" ("" when empty). */
char *virCPUMapFormat(const virCPUMap *map);
/* Whether a caller's byte map of len bytes names no CPU. */
bool virCPUMapIsEmpty(const unsigned char *cpumap, int len);
/* Copy a map into a caller's maplen bytes (libvirt: virBitmapToDataBuf). */
void virCPUMapToBytes(const virCPUMap *map, unsigned char *buf, int maplen);
