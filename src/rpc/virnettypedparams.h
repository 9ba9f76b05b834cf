/*
 * virnettypedparams.h: typed parameters on the wire (virNetMessageTypedParam,
 * protocol/virnet_protocol.x) to and from virTypedParameter arrays. The
 * generated dispatch handlers and client calls use these for every
 * procedure with typed parameters; the checks and error texts are libvirt's.
 *
 * Ownership: Decode allocates *params (free with virTypedParamsFree);
 * Encode allocates *val and copies every string (freed with the message:
 * xdr_free); EncodeBorrowed allocates *val only and points at the
 * caller's strings: free it with g_free() once the message is encoded.
 */
#pragma once

#include "virnet_protocol.h"
#include "virtypedparams.h"

/* val[0 .. len) into a new array. More than max entries (max > 0), an
 * unknown type or a field name of 80 bytes or more: -1 with libvirt's
 * error, nothing allocated. */
int virNetTypedParamsDecode(const virNetMessageTypedParam *val, u_int len, int max,
                            virTypedParameter **params, int *nparams);
/* Into the caller's params[0 .. cap); the entries decoded are len. */
int virNetTypedParamsDecodeInto(const virNetMessageTypedParam *val, u_int len,
                                virTypedParameter *params, int cap);

/* params[0 .. nparams) for the wire. Unused slots (type 0) are skipped, and
 * STRING values unless flags has VIR_TYPED_PARAM_STRING_OKAY (the caller's
 * flags say whether it takes strings). More than max: -1. */
int virNetTypedParamsEncode(const virTypedParameter *params, int nparams, int max,
                            unsigned int flags, virNetMessageTypedParam **val, u_int *len);
int virNetTypedParamsEncodeBorrowed(const virTypedParameter *params, int nparams, int max,
                                    virNetMessageTypedParam **val, u_int *len);
/* Into out, which has room for nparams entries; *len are used. */
int virNetTypedParamsEncodeInto(const virTypedParameter *params, int nparams, int max,
                                unsigned int flags, virNetMessageTypedParam *out, u_int *len);
