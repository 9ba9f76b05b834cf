/*
 * virnettypedparams.c: typed parameters to and from the wire (see
 * virnettypedparams.h).
 */
#include <string.h>
#include <glib.h>

#include "virnettypedparams.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

#define VALUE(v) ((v)->value.virNetMessageTypedParamValue_u)

/* The types whose value is copied as is: the type, its member in the wire
 * union and in virTypedParameter's union (strings are copied apart). */
#define VIR_NET_TYPED_PARAM_SCALARS(X) \
    X(VIR_TYPED_PARAM_INT, i) \
    X(VIR_TYPED_PARAM_UINT, ui) \
    X(VIR_TYPED_PARAM_LLONG, l) \
    X(VIR_TYPED_PARAM_ULLONG, ul) \
    X(VIR_TYPED_PARAM_DOUBLE, d) \
    X(VIR_TYPED_PARAM_BOOLEAN, b)

static int
virNetTypedParamsDecodeOne(const virNetMessageTypedParam *src, virTypedParameter *dst)
{
    if (g_strlcpy(dst->field, src->field, sizeof(dst->field)) >= sizeof(dst->field)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "parameter %s too big for destination",
                       src->field);
        return -1;
    }
    dst->type = src->value.type;
    switch (dst->type) {
#define DECODE(type, member) \
    case type: \
        dst->value.member = VALUE(src).member; \
        return 0;
    VIR_NET_TYPED_PARAM_SCALARS(DECODE)
#undef DECODE
    case VIR_TYPED_PARAM_STRING:
        dst->value.s = g_strdup(VALUE(src).s);
        return 0;
    }
    dst->type = 0;
    virReportError(VIR_ERR_RPC, "unknown parameter type: %d", src->value.type);
    return -1;
}


int
virNetTypedParamsDecodeInto(const virNetMessageTypedParam *val, u_int len,
                            virTypedParameter *params, int cap)
{
    if (len > (u_int)(cap > 0 ? cap : 0)) {
        virReportError(VIR_ERR_RPC, "too many parameters '%u' for nparams '%d'", len, cap);
        return -1;
    }
    memset(params, 0, sizeof(*params) * len);
    for (u_int i = 0; i < len; i++) {
        if (virNetTypedParamsDecodeOne(val + i, params + i) < 0) {
            virTypedParamsClear(params, (int)i);
            return -1;
        }
    }
    return 0;
}


int
virNetTypedParamsDecode(const virNetMessageTypedParam *val, u_int len, int max,
                        virTypedParameter **params, int *nparams)
{
    virTypedParameter *list;

    *params = NULL;
    *nparams = 0;
    if (max > 0 && len > (u_int)max) {
        virReportError(VIR_ERR_RPC, "too many parameters '%u' for limit '%d'", len, max);
        return -1;
    }
    list = g_new0(virTypedParameter, len ? len : 1);
    if (virNetTypedParamsDecodeInto(val, len, list, (int)len) < 0) {
        g_free(list);
        return -1;
    }
    *params = list;
    *nparams = (int)len;
    return 0;
}


/* Encode the parameters that go (see the header) into out (room for
 * nparams); copy: dup strings. The entries written are *len. */
static int
virNetTypedParamsEncodeFull(const virTypedParameter *params, int nparams, int max,
                            unsigned int flags, bool copy, virNetMessageTypedParam *out,
                            u_int *len)
{
    u_int n = 0;

    *len = 0;
    if (nparams > max) {
        virReportError(VIR_ERR_RPC, "too many parameters '%d' for limit '%d'", nparams, max);
        return -1;
    }
    for (int i = 0; i < nparams; i++) {
        const virTypedParameter *p = params + i;
        virNetMessageTypedParam *w = out + n;

        if (!p->type ||
            (p->type == VIR_TYPED_PARAM_STRING && !(flags & VIR_TYPED_PARAM_STRING_OKAY)))
            continue;
        w->value.type = p->type;
        switch (p->type) {
#define ENCODE(type, member) \
        case type: \
            VALUE(w).member = p->value.member; \
            break;
        VIR_NET_TYPED_PARAM_SCALARS(ENCODE)
#undef ENCODE
        case VIR_TYPED_PARAM_STRING:
            VALUE(w).s = copy ? g_strdup(p->value.s) : p->value.s;
            break;
        default:
            virReportError(VIR_ERR_RPC, "unknown parameter type: %d", p->type);
            if (copy)
                xdr_free((xdrproc_t)xdr_virNetMessageTypedParam, (char *)w);
            for (u_int j = 0; copy && j < n; j++)
                xdr_free((xdrproc_t)xdr_virNetMessageTypedParam, (char *)(out + j));
            return -1;
        }
        w->field = copy ? g_strdup(p->field) : (char *)p->field;
        n++;
    }
    *len = n;
    return 0;
}


/* Into a new array (*val, *len); copy: dup strings. */
static int
virNetTypedParamsEncodeNew(const virTypedParameter *params, int nparams, int max,
                           unsigned int flags, bool copy,
                           virNetMessageTypedParam **val, u_int *len)
{
    virNetMessageTypedParam *out;

    *val = NULL;
    /* too many: EncodeFull refuses them before it writes anything */
    out = g_new0(virNetMessageTypedParam, nparams > 0 && nparams <= max ? nparams : 1);
    if (virNetTypedParamsEncodeFull(params, nparams, max, flags, copy, out, len) < 0) {
        g_free(out);
        return -1;
    }
    *val = out;
    return 0;
}


int
virNetTypedParamsEncode(const virTypedParameter *params, int nparams, int max,
                        unsigned int flags, virNetMessageTypedParam **val, u_int *len)
{
    return virNetTypedParamsEncodeNew(params, nparams, max, flags, true, val, len);
}


int
virNetTypedParamsEncodeBorrowed(const virTypedParameter *params, int nparams, int max,
                                virNetMessageTypedParam **val, u_int *len)
{
    return virNetTypedParamsEncodeNew(params, nparams, max, VIR_TYPED_PARAM_STRING_OKAY,
                                      false, val, len);
}


int
virNetTypedParamsEncodeInto(const virTypedParameter *params, int nparams, int max,
                            unsigned int flags, virNetMessageTypedParam *out, u_int *len)
{
    return virNetTypedParamsEncodeFull(params, nparams, max, flags, false, out, len);
}
