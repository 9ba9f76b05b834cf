/*
 * vnimage.c: the domain image format, see vnimage.h.
 */
#include <string.h>

#include "vnimage.h"

static const char vnImageMagic[16] = "VirtnetImage\n\0\0";
static const char vnImageStampMagic[8] = { 'V', 'N', 'M', 'E', 'M', 'B', 'L', 'K' };

static void
vnPut32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void
vnPut64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t
vnGet32(const unsigned char *p)
{
    uint32_t v = 0;

    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint64_t
vnGet64(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

void
vnImageHeaderInit(vnImageHeader *hdr, uint32_t kind, uint32_t flags, size_t xmlLen,
                  uint64_t memory, const unsigned char *uuid)
{
    memset(hdr, 0, sizeof(*hdr));
    hdr->version = VN_IMAGE_VERSION;
    hdr->kind = kind;
    hdr->flags = flags;
    hdr->xmlLen = (uint32_t)xmlLen;
    hdr->memory = memory;
    hdr->memoryOffset = (VN_IMAGE_HEADER_SIZE + xmlLen + VN_IMAGE_ALIGN - 1) /
                        VN_IMAGE_ALIGN * VN_IMAGE_ALIGN;
    memcpy(hdr->uuid, uuid, 16);
}

void
vnImageHeaderEncode(const vnImageHeader *hdr, unsigned char buf[VN_IMAGE_HEADER_SIZE])
{
    memset(buf, 0, VN_IMAGE_HEADER_SIZE);
    memcpy(buf, vnImageMagic, sizeof(vnImageMagic));
    vnPut32(buf + 16, hdr->version);
    vnPut32(buf + 20, hdr->kind);
    vnPut32(buf + 24, hdr->flags);
    vnPut32(buf + 28, hdr->xmlLen);
    vnPut64(buf + 32, hdr->memory);
    vnPut64(buf + 40, hdr->memoryOffset);
    memcpy(buf + 48, hdr->uuid, 16);
}

const char *
vnImageHeaderDecode(const unsigned char buf[VN_IMAGE_HEADER_SIZE], vnImageHeader *hdr)
{
    if (memcmp(buf, vnImageMagic, sizeof(vnImageMagic)) != 0)
        return "not a virtnet domain image (bad magic)";
    hdr->version = vnGet32(buf + 16);
    hdr->kind = vnGet32(buf + 20);
    hdr->flags = vnGet32(buf + 24);
    hdr->xmlLen = vnGet32(buf + 28);
    hdr->memory = vnGet64(buf + 32);
    hdr->memoryOffset = vnGet64(buf + 40);
    memcpy(hdr->uuid, buf + 48, 16);
    if (hdr->version != VN_IMAGE_VERSION)
        return "unsupported image version";
    if (hdr->kind != VN_IMAGE_KIND_SAVE && hdr->kind != VN_IMAGE_KIND_DUMP)
        return "unknown image kind";
    if (hdr->xmlLen == 0 || hdr->xmlLen > VN_IMAGE_XML_MAX)
        return "length of the definition out of range";
    if (hdr->memoryOffset % VN_IMAGE_ALIGN ||
        hdr->memoryOffset < VN_IMAGE_HEADER_SIZE + (uint64_t)hdr->xmlLen ||
        hdr->memoryOffset > VN_IMAGE_HEADER_SIZE + (uint64_t)hdr->xmlLen + VN_IMAGE_ALIGN)
        return "memory offset out of range";
    if (hdr->memory > (UINT64_C(1) << 50))
        return "memory size out of range";
    return NULL;
}

void
vnImageStampEncode(uint64_t index, const unsigned char *uuid,
                   unsigned char buf[VN_IMAGE_STAMP_SIZE])
{
    memcpy(buf, vnImageStampMagic, 8);
    vnPut64(buf + 8, index);
    memcpy(buf + 16, uuid, 16);
}

bool
vnImageStampCheck(const unsigned char buf[VN_IMAGE_STAMP_SIZE], uint64_t index,
                  const unsigned char *uuid)
{
    unsigned char want[VN_IMAGE_STAMP_SIZE];

    vnImageStampEncode(index, uuid, want);
    return memcmp(buf, want, sizeof(want)) == 0;
}
