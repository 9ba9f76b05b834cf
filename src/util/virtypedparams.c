/*
 * virtypedparams.c: typed parameter arrays (see virtypedparams.h).
 */
#include <string.h>
#include <glib.h>

#include "virtypedparams.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

void
virTypedParamsClear(virTypedParameter *params, int nparams)
{
    if (!params)
        return;
    for (int i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            g_clear_pointer(&params[i].value.s, g_free);
    }
}


void
virTypedParamsFree(virTypedParameter *params, int nparams)
{
    virTypedParamsClear(params, nparams);
    g_free(params);
}


/* A new zeroed slot at the end, named name; NULL when the name is too long. */
static virTypedParameter *
virTypedParamsAppend(virTypedParameter **params, int *nparams, int *maxparams,
                     const char *name, int type)
{
    size_t len = strlen(name);
    virTypedParameter *p;

    if (len >= VIR_TYPED_PARAM_FIELD_LENGTH) {
        virReportError(VIR_ERR_INVALID_ARG, "parameter name '%s' too long", name);
        return NULL;
    }
    if (*nparams >= *maxparams) {
        int grow = *maxparams ? *maxparams * 2 : 8;

        *params = g_renew(virTypedParameter, *params, grow);
        memset(*params + *maxparams, 0, (grow - *maxparams) * sizeof(**params));
        *maxparams = grow;
    }
    p = *params + (*nparams)++;
    memset(p, 0, sizeof(*p));
    memcpy(p->field, name, len + 1);   /* length checked above */
    p->type = type;
    return p;
}

#define VIR_TYPED_PARAMS_ADD(Suffix, ctype, typecode, member) \
    int \
    virTypedParamsAdd##Suffix(virTypedParameter **params, int *nparams, int *maxparams, \
                              const char *name, ctype value) \
    { \
        virTypedParameter *p = virTypedParamsAppend(params, nparams, maxparams, name, \
                                                     typecode); \
        if (!p) \
            return -1; \
        p->value.member = value; \
        return 0; \
    }

VIR_TYPED_PARAMS_ADD(Int, int, VIR_TYPED_PARAM_INT, i)
VIR_TYPED_PARAMS_ADD(UInt, unsigned int, VIR_TYPED_PARAM_UINT, ui)
VIR_TYPED_PARAMS_ADD(LLong, long long, VIR_TYPED_PARAM_LLONG, l)
VIR_TYPED_PARAMS_ADD(ULLong, unsigned long long, VIR_TYPED_PARAM_ULLONG, ul)
VIR_TYPED_PARAMS_ADD(Double, double, VIR_TYPED_PARAM_DOUBLE, d)
VIR_TYPED_PARAMS_ADD(Boolean, bool, VIR_TYPED_PARAM_BOOLEAN, b)


int
virTypedParamsAddString(virTypedParameter **params, int *nparams, int *maxparams,
                        const char *name, const char *value)
{
    virTypedParameter *p = virTypedParamsAppend(params, nparams, maxparams, name,
                                                VIR_TYPED_PARAM_STRING);

    if (!p)
        return -1;
    p->value.s = g_strdup(value ? value : "");
    return 0;
}


const virTypedParameter *
virTypedParamsGet(const virTypedParameter *params, int nparams, const char *name)
{
    for (int i = 0; params && i < nparams; i++) {
        if (strcmp(params[i].field, name) == 0)
            return params + i;
    }
    return NULL;
}


static const char *
virTypedParamsTypeName(int type)
{
    static const char *const names[] = {
        [VIR_TYPED_PARAM_INT] = "int", [VIR_TYPED_PARAM_UINT] = "uint",
        [VIR_TYPED_PARAM_LLONG] = "llong", [VIR_TYPED_PARAM_ULLONG] = "ullong",
        [VIR_TYPED_PARAM_DOUBLE] = "double", [VIR_TYPED_PARAM_BOOLEAN] = "boolean",
        [VIR_TYPED_PARAM_STRING] = "string",
    };

    if (type > 0 && (size_t)type < G_N_ELEMENTS(names))
        return names[type];
    return "unknown";
}


static int
virTypedParamsCompareField(const void *a, const void *b)
{
    return strcmp((*(const virTypedParameter *const *)a)->field,
                  (*(const virTypedParameter *const *)b)->field);
}

int
virTypedParamsValidate(const virTypedParameter *params, int nparams,
                       const virTypedParamsKey *keys, size_t nkeys)
{
    g_autofree const virTypedParameter **sorted = NULL;
    const char *last = NULL;

    if (nparams <= 0)
        return 0;
    /* in name order: libvirt reports the first problem by name */
    sorted = g_new0(const virTypedParameter *, nparams);
    for (int i = 0; i < nparams; i++)
        sorted[i] = &params[i];
    qsort(sorted, nparams, sizeof(*sorted), virTypedParamsCompareField);
    for (int i = 0; i < nparams; i++) {
        const virTypedParamsKey *key = NULL;

        for (size_t k = 0; k < nkeys && !key; k++) {
            if (strcmp(keys[k].name, sorted[i]->field) == 0)
                key = &keys[k];
        }
        if (!key) {
            virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "parameter '%s' not supported",
                           sorted[i]->field);
            return -1;
        }
        if (last && strcmp(last, sorted[i]->field) == 0) {
            virReportError(VIR_ERR_INVALID_ARG, "parameter '%s' occurs multiple times",
                           sorted[i]->field);
            return -1;
        }
        if (sorted[i]->type != key->type) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "invalid type '%s' for parameter '%s', expected '%s'",
                           virTypedParamsTypeName(sorted[i]->type), sorted[i]->field,
                           virTypedParamsTypeName(key->type));
            return -1;
        }
        last = sorted[i]->field;
    }
    return 0;
}
