/*
 * testxdr.h: XDR helpers the tests share (the fault suite's malformed
 * calls, the fuzz harnesses' seeds): whether bytes decode as a type, and
 * the shortest all-zero encoding of one.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <rpc/rpc.h>

/* Do the len bytes at buf decode as exactly one value of the type (filter,
 * size of its struct)? What was decoded is freed. */
bool virTestXDRDecodes(xdrproc_t filter, size_t size, const void *buf, size_t len);

/* The length of the shortest all-zero encoding of the type (XDR's zero:
 * empty strings and arrays, absent optional values, the first enum and
 * union arms), or -1 when there is none up to max bytes. */
ssize_t virTestXDRZeroLen(xdrproc_t filter, size_t size, size_t max);
