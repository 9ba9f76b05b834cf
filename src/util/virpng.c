/*
 * virpng.c: a minimal PNG writer (see virpng.h). The image data is the
 * zlib stream of the filtered rows (filter type 0 before each row) in
 * stored blocks of at most 65535 bytes. No state, no locks.
 */
#include <string.h>

#include "virpng.h"

static guint32
virPNGCRC(const guint8 *data, size_t len, guint32 crc)
{
    static guint32 table[256];
    static gsize ready;

    if (g_once_init_enter(&ready)) {
        for (guint32 n = 0; n < 256; n++) {
            guint32 c = n;

            for (int k = 0; k < 8; k++)
                c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        g_once_init_leave(&ready, 1);
    }
    crc ^= 0xffffffffu;
    for (size_t i = 0; i < len; i++)
        crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}


static void
virPNGPut32(GByteArray *out, guint32 v)
{
    guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

    g_byte_array_append(out, b, 4);
}


/* A chunk: length, type, data, CRC of type and data. */
static void
virPNGChunk(GByteArray *out, const char *type, const guint8 *data, size_t len)
{
    guint32 crc;

    virPNGPut32(out, len);
    g_byte_array_append(out, (const guint8 *)type, 4);
    if (len)
        g_byte_array_append(out, data, len);
    crc = virPNGCRC((const guint8 *)type, 4, 0);
    crc = virPNGCRC(data, len, crc);
    virPNGPut32(out, crc);
}


GBytes *
virPNGEncodeGray(unsigned int width, unsigned int height, const guint8 *pixels)
{
    static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    size_t rawLen = (size_t)(width + 1) * height;
    g_autofree guint8 *raw = g_malloc(rawLen);
    GByteArray *out = g_byte_array_new();
    GByteArray *z = g_byte_array_new();
    guint8 ihdr[13];
    guint32 a = 1, b = 0;
    size_t off = 0;

    for (unsigned int y = 0; y < height; y++) {
        raw[y * (width + 1)] = 0;      /* filter: none */
        memcpy(raw + y * (width + 1) + 1, pixels + (size_t)y * width, width);
    }
    for (size_t i = 0; i < rawLen; i++) {
        a = (a + raw[i]) % 65521;
        b = (b + a) % 65521;
    }

    /* zlib: deflate, 32K window, no dictionary; stored blocks */
    g_byte_array_append(z, (const guint8 *)"\x78\x01", 2);
    do {
        size_t n = MIN(rawLen - off, (size_t)65535);
        guint8 hdr[5] = { off + n == rawLen ? 1 : 0, n & 0xff, n >> 8,
                          ~n & 0xff, (~n >> 8) & 0xff };

        g_byte_array_append(z, hdr, 5);
        g_byte_array_append(z, raw + off, n);
        off += n;
    } while (off < rawLen);
    virPNGPut32(z, (b << 16) | a);

    g_byte_array_append(out, signature, sizeof(signature));
    ihdr[0] = width >> 24; ihdr[1] = width >> 16; ihdr[2] = width >> 8; ihdr[3] = width;
    ihdr[4] = height >> 24; ihdr[5] = height >> 16; ihdr[6] = height >> 8; ihdr[7] = height;
    ihdr[8] = 8;        /* bit depth */
    ihdr[9] = 0;        /* grayscale */
    ihdr[10] = ihdr[11] = ihdr[12] = 0;   /* deflate, adaptive filtering, no interlace */
    virPNGChunk(out, "IHDR", ihdr, sizeof(ihdr));
    virPNGChunk(out, "IDAT", z->data, z->len);
    virPNGChunk(out, "IEND", NULL, 0);
    g_byte_array_unref(z);
    return g_byte_array_free_to_bytes(out);
}
