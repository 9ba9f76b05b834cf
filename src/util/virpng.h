/*
 * virpng.h: a minimal PNG writer: 8-bit grayscale, uncompressed (stored
 * deflate blocks), for the test driver's screenshots. No library needed:
 * the format's checksums (CRC-32 of each chunk, Adler-32 of the zlib
 * stream) are computed here.
 */
#pragma once

#include <glib.h>

/* A PNG of width x height gray pixels (row by row, one byte each). */
GBytes *virPNGEncodeGray(unsigned int width, unsigned int height, const guint8 *pixels);
