/*
 * virdomainobj.h: one domain as a driver holds it: its persistent and live
 * definitions, ID, state and autostart flag.
 *
 * A driver's own domain struct starts with a virDomainObj, so the shared
 * list code (virdomainobjlist.h) can walk the driver's list. The driver's
 * lock guards every field; nothing here locks.
 */
#pragma once

#include <stdbool.h>

#include "virdomaindef.h"
#include "virdomaintypes.h"
#include "virquestion.h"

typedef struct _virDomainObj virDomainObj;
struct _virDomainObj {
    virDomainDef *def;          /* persistent definition; NULL: transient */
    virDomainDef *live;         /* running definition; NULL: shut off */
    int id;                     /* -1 when shut off */
    int state;                  /* virDomainState */
    int reason;
    bool autostart;
    bool hasManagedSave;        /* a managed save image exists */
    unsigned int nsnapshots;    /* the driver's snapshots of it */
    unsigned int ncheckpoints;  /* the driver's checkpoints of it */
    bool job;                   /* a start or stop runs with the lock released */
    virQuestionState questions; /* a question pending on the domain (virquestion.h) */
};

/* A shut-off domain with a persistent definition (taken over). */
void virDomainObjInit(virDomainObj *obj, virDomainDef *def);
/* Frees the definitions (not obj itself, which is the driver's). */
void virDomainObjClear(virDomainObj *obj);

const virDomainDef *virDomainObjCurrentDef(const virDomainObj *obj);
bool virDomainObjIsActive(const virDomainObj *obj);
virDomainRef *virDomainObjMakeRef(const virDomainObj *obj);

/* Which definitions a call with VIR_DOMAIN_AFFECT_* flags acts on, with
 * libvirt's errors (VIR_FROM_DOMAIN): UpdateImpact resolves CURRENT in
 * *flags; GetOneDef refuses LIVE|CONFIG and returns the one definition
 * (*live says which); GetDefs sets each one asked for, NULL otherwise. */
int virDomainObjUpdateImpact(const virDomainObj *obj, unsigned int *flags);
virDomainDef *virDomainObjGetOneDef(virDomainObj *obj, unsigned int flags, bool *live);
int virDomainObjGetDefs(virDomainObj *obj, unsigned int flags, virDomainDef **live,
                        virDomainDef **config);

/* libvirt's virDomainObjGetMetadata: the metadata of type
 * (VIR_DOMAIN_METADATA_*; ELEMENT: the element of namespace uri) in the
 * definition flags select; NULL with libvirt's error (INVALID_ARG for an
 * unknown type, NO_DOMAIN_METADATA when absent). */
char *virDomainObjGetMetadata(virDomainObj *obj, int type, const char *uri, unsigned int flags);
/* Set (metadata NULL or empty: remove) one definition's metadata; -1 with
 * libvirt's error for an unknown type or an element that does not parse. */
int virDomainDefSetMetadata(virDomainDef *def, int type, const char *metadata, const char *key,
                            const char *uri);

/* The parameters of virDomainSetBlkioParameters, checked as libvirt's
 * drivers check them (virTypedParamsValidate: names and types); Validate
 * also refuses a per-device string that is not empty, CONFIG_UNSUPPORTED
 * naming who (a driver that does not model per-device tunables). */
int virDomainBlkioParamsCheckTypes(const virTypedParameter *params, int nparams);
int virDomainBlkioParamsValidate(const virTypedParameter *params, int nparams,
                                 const char *who);
