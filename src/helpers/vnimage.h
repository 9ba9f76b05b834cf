/*
 * vnimage.h: the domain image format (save images, managed save images,
 * core dumps) that virtnet_iohelper writes and reads. docs/jobs.md has
 * the layout; everything is little-endian.
 *
 *   0   magic "VirtnetImage\n\0\0\0" (16 bytes)
 *   16  u32 version (1)        20  u32 kind (1 save, 2 core dump)
 *   24  u32 image flags        28  u32 XML length (<= VN_IMAGE_XML_MAX)
 *   32  u64 memory bytes       40  u64 memory offset (4096-aligned)
 *   48  u8[16] domain UUID     64  the XML, then zeros to the memory
 *
 * The memory of a test domain is zero but for a stamp at the start of
 * each MiB (magic "VNMEMBLK", the block's index, the UUID): the image is
 * sparse (holes where the memory is zero) and a restore checks every
 * stamp, so a truncated or foreign image is refused.
 *
 * No state, no locking: plain functions on caller-owned buffers.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define VN_IMAGE_HEADER_SIZE 64
#define VN_IMAGE_VERSION 1
#define VN_IMAGE_XML_MAX (4 * 1024 * 1024)
#define VN_IMAGE_ALIGN 4096
#define VN_IMAGE_BLOCK (1024 * 1024)
#define VN_IMAGE_STAMP_SIZE 32

enum {
    VN_IMAGE_KIND_SAVE = 1,
    VN_IMAGE_KIND_DUMP = 2,
};

typedef struct {
    uint32_t version;
    uint32_t kind;
    uint32_t flags;
    uint32_t xmlLen;
    uint64_t memory;
    uint64_t memoryOffset;
    unsigned char uuid[16];
} vnImageHeader;

/* Fill hdr for an image of this kind; memoryOffset follows the XML. */
void vnImageHeaderInit(vnImageHeader *hdr, uint32_t kind, uint32_t flags, size_t xmlLen,
                       uint64_t memory, const unsigned char *uuid);
void vnImageHeaderEncode(const vnImageHeader *hdr, unsigned char buf[VN_IMAGE_HEADER_SIZE]);
/* NULL when buf holds a valid header, else what is wrong (static text). */
const char *vnImageHeaderDecode(const unsigned char buf[VN_IMAGE_HEADER_SIZE],
                                vnImageHeader *hdr);

/* The stamp at the start of memory block index. */
void vnImageStampEncode(uint64_t index, const unsigned char *uuid,
                        unsigned char buf[VN_IMAGE_STAMP_SIZE]);
bool vnImageStampCheck(const unsigned char buf[VN_IMAGE_STAMP_SIZE], uint64_t index,
                       const unsigned char *uuid);
