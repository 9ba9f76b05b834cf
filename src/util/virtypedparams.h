/*
 * virtypedparams.h: typed parameters, libvirt's virTypedParameter: a named
 * value of one of seven types, in arrays that the calls for statistics and
 * tuning (scheduler, memory, block I/O, job stats...) take and return.
 * The type numbers and the 80-byte field are libvirt's public API facts.
 *
 * Ownership: an array made by these helpers is the caller's; free it (and
 * the strings in it) with virTypedParamsFree.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define VIR_TYPED_PARAM_FIELD_LENGTH 80

typedef enum {
    VIR_TYPED_PARAM_INT = 1,
    VIR_TYPED_PARAM_UINT = 2,
    VIR_TYPED_PARAM_LLONG = 3,
    VIR_TYPED_PARAM_ULLONG = 4,
    VIR_TYPED_PARAM_DOUBLE = 5,
    VIR_TYPED_PARAM_BOOLEAN = 6,
    VIR_TYPED_PARAM_STRING = 7,
} virTypedParameterType;

/* In the flags of calls that return typed parameters: the caller can take
 * STRING values (libvirt's VIR_TYPED_PARAM_STRING_OKAY). */
#define VIR_TYPED_PARAM_STRING_OKAY (1 << 2)

typedef struct _virTypedParameter virTypedParameter;
struct _virTypedParameter {
    char field[VIR_TYPED_PARAM_FIELD_LENGTH];
    int type;                   /* virTypedParameterType; 0: an unused slot */
    union {
        int i;
        unsigned int ui;
        long long l;
        unsigned long long ul;
        double d;
        char b;
        char *s;
    } value;
};

/* Free the strings of params[0 .. nparams) and the array. NULL is fine. */
void virTypedParamsFree(virTypedParameter *params, int nparams);
/* Free the strings only (the array stays). */
void virTypedParamsClear(virTypedParameter *params, int nparams);

/* Append a parameter to *params (of *nparams, room for *maxparams),
 * growing the array. -1 with VIR_ERR_INVALID_ARG when the name does not
 * fit the field. */
int virTypedParamsAddInt(virTypedParameter **params, int *nparams, int *maxparams,
                         const char *name, int value);
int virTypedParamsAddUInt(virTypedParameter **params, int *nparams, int *maxparams,
                          const char *name, unsigned int value);
int virTypedParamsAddLLong(virTypedParameter **params, int *nparams, int *maxparams,
                           const char *name, long long value);
int virTypedParamsAddULLong(virTypedParameter **params, int *nparams, int *maxparams,
                            const char *name, unsigned long long value);
int virTypedParamsAddDouble(virTypedParameter **params, int *nparams, int *maxparams,
                            const char *name, double value);
int virTypedParamsAddBoolean(virTypedParameter **params, int *nparams, int *maxparams,
                             const char *name, bool value);
int virTypedParamsAddString(virTypedParameter **params, int *nparams, int *maxparams,
                            const char *name, const char *value);

/* The parameter called name, or NULL. */
const virTypedParameter *virTypedParamsGet(const virTypedParameter *params, int nparams,
                                           const char *name);

/* libvirt's virTypedParamsValidate: every parameter is one of keys (by
 * name, of its type), none twice. Else -1 with libvirt's error: an
 * unknown name VIR_ERR_ARGUMENT_UNSUPPORTED, a wrong type or a repeated
 * name VIR_ERR_INVALID_ARG. */
typedef struct {
    const char *name;
    int type;                   /* virTypedParameterType */
} virTypedParamsKey;
int virTypedParamsValidate(const virTypedParameter *params, int nparams,
                           const virTypedParamsKey *keys, size_t nkeys);
