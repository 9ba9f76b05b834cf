#!/usr/bin/env python3
"""pngcheck.py FILE: check that FILE is a complete PNG (signature, every
chunk's CRC, IHDR first and IEND last, image data that inflates to the
size the header says) and print "WIDTHxHEIGHT"; exit 1 with the reason
otherwise."""
import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def check(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return "not a PNG signature"
    pos, chunks = 8, []
    while pos < len(data):
        if pos + 12 > len(data):
            return "truncated chunk at %d" % pos
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc, = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(ctype + body) & 0xffffffff != crc:
            return "bad CRC in chunk %r" % ctype
        chunks.append((ctype, body))
        pos += 12 + length
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        return "IHDR first and IEND last expected"
    width, height, depth, color = struct.unpack(">IIBB", chunks[0][1][:10])
    raw = zlib.decompress(b"".join(b for t, b in chunks if t == b"IDAT"))
    row = (width * CHANNELS[color] * depth + 7) // 8 + 1
    if len(raw) != row * height:
        return "image data of %d bytes, %d expected" % (len(raw), row * height)
    print("%dx%d" % (width, height))
    return None


if __name__ == "__main__":
    why = check(sys.argv[1])
    if why:
        print("%s: %s" % (sys.argv[1], why), file=sys.stderr)
        sys.exit(1)
