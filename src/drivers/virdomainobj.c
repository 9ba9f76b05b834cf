/*
 * virdomainobj.c: one domain as a driver holds it (virdomainobj.h).
 */
#include <string.h>

#include "virdomainobj.h"
#include "virerror.h"
#include "virconnect.h"
#include "virpublic.h"
#include "virtypedparams.h"


void
virDomainObjInit(virDomainObj *obj, virDomainDef *def)
{
    obj->def = def;
    obj->live = NULL;
    obj->id = -1;
    obj->state = VIR_DOMAIN_SHUTOFF;
    obj->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    obj->autostart = false;
    obj->hasManagedSave = false;
    obj->nsnapshots = 0;
    obj->ncheckpoints = 0;
    obj->job = false;
    memset(&obj->questions, 0, sizeof(obj->questions));
}


void
virDomainObjClear(virDomainObj *obj)
{
    virDomainDefFree(obj->def);
    virDomainDefFree(obj->live);
    obj->def = NULL;
    obj->live = NULL;
    virQuestionStateClear(&obj->questions);
}


/* The running definition while it runs, else the persistent one. */
const virDomainDef *
virDomainObjCurrentDef(const virDomainObj *obj)
{
    return obj->live ? obj->live : obj->def;
}


/* Running (or paused): a live definition and an ID. A domain being started
 * has its live definition before its ID and is not active yet. */
bool
virDomainObjIsActive(const virDomainObj *obj)
{
    return obj->live != NULL && obj->id > 0;
}


/* NULL for NULL, so that a look-up's result can be passed straight in. */
virDomainRef *
virDomainObjMakeRef(const virDomainObj *obj)
{
    const virDomainDef *def;

    if (!obj)
        return NULL;
    def = virDomainObjCurrentDef(obj);
    return virDomainRefNew(def->name, def->uuid, obj->id);
}


/* libvirt's "modification impact": CURRENT becomes LIVE on a running
 * domain and CONFIG otherwise; LIVE needs it running, CONFIG needs a
 * persistent definition. */
int
virDomainObjUpdateImpact(const virDomainObj *obj, unsigned int *flags)
{
    bool active = virDomainObjIsActive(obj);

    if ((*flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)) == 0)
        *flags |= active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if (!active && (*flags & VIR_DOMAIN_AFFECT_LIVE)) {
        virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __FILE__, __func__,
                           __LINE__, "%s", "domain is not running");
        return -1;
    }
    if (!obj->def && (*flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __FILE__, __func__,
                           __LINE__, "%s", "transient domains do not have any persistent config");
        return -1;
    }
    return 0;
}


virDomainDef *
virDomainObjGetOneDef(virDomainObj *obj, unsigned int flags, bool *live)
{
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virDriverReportInvalidArgFull(VIR_FROM_DOMAIN, __FILE__, __func__, __LINE__, "flags",
                                      "%s", "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                                      "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        return NULL;
    }
    if (virDomainObjUpdateImpact(obj, &flags) < 0)
        return NULL;
    if (live)
        *live = flags & VIR_DOMAIN_AFFECT_LIVE;
    return (flags & VIR_DOMAIN_AFFECT_LIVE) ? obj->live : obj->def;
}


int
virDomainObjGetDefs(virDomainObj *obj, unsigned int flags, virDomainDef **live,
                    virDomainDef **config)
{
    *live = NULL;
    *config = NULL;
    if (virDomainObjUpdateImpact(obj, &flags) < 0)
        return -1;
    if (flags & VIR_DOMAIN_AFFECT_LIVE)
        *live = obj->live;
    if (flags & VIR_DOMAIN_AFFECT_CONFIG)
        *config = obj->def;
    return 0;
}


/* The elements of the text metadata types. */
static const char *const virDomainMetadataElements[] = {
    [VIR_DOMAIN_METADATA_DESCRIPTION] = "description",
    [VIR_DOMAIN_METADATA_TITLE] = "title",
};

static bool
virDomainMetadataTypeOK(int type)
{
    if (type >= 0 && type < VIR_DOMAIN_METADATA_LAST)
        return true;
    virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                       "unknown metadata type '%d'", type);
    return false;
}


char *
virDomainObjGetMetadata(virDomainObj *obj, int type, const char *uri, unsigned int flags)
{
    virDomainDef *def;
    char *ret;

    if (!virDomainMetadataTypeOK(type) || !(def = virDomainObjGetOneDef(obj, flags, NULL)))
        return NULL;
    if (type == VIR_DOMAIN_METADATA_ELEMENT)
        ret = uri ? virDomainDefGetMetadataElement(def, uri) : NULL;
    else
        ret = virDomainDefGetText(def, virDomainMetadataElements[type]);
    if (!ret)
        virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_NO_DOMAIN_METADATA, __FILE__, __func__,
                           __LINE__, "%s", "Requested metadata element is not present");
    return ret;
}


int
virDomainDefSetMetadata(virDomainDef *def, int type, const char *metadata, const char *key,
                        const char *uri)
{
    if (!virDomainMetadataTypeOK(type))
        return -1;
    if (type == VIR_DOMAIN_METADATA_ELEMENT)
        return virDomainDefSetMetadataElement(def, metadata, key, uri);
    virDomainDefSetText(def, virDomainMetadataElements[type], metadata);
    return 0;
}


int
virDomainBlkioParamsCheckTypes(const virTypedParameter *params, int nparams)
{
    static const virTypedParamsKey spec[] = {
        { VIR_DOMAIN_BLKIO_WEIGHT, VIR_TYPED_PARAM_UINT },
        { "device_weight", VIR_TYPED_PARAM_STRING },
        { "device_read_iops_sec", VIR_TYPED_PARAM_STRING },
        { "device_write_iops_sec", VIR_TYPED_PARAM_STRING },
        { "device_read_bytes_sec", VIR_TYPED_PARAM_STRING },
        { "device_write_bytes_sec", VIR_TYPED_PARAM_STRING },
    };

    return virTypedParamsValidate(params, nparams, spec, G_N_ELEMENTS(spec));
}


int
virDomainBlkioParamsValidate(const virTypedParameter *params, int nparams, const char *who)
{
    int i;

    if (virDomainBlkioParamsCheckTypes(params, nparams) < 0)
        return -1;
    for (i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING && params[i].value.s &&
            *params[i].value.s) {
            virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __FILE__, __func__,
                               __LINE__, "per-device block I/O tunable '%s' is not supported "
                               "by %s", params[i].field, who);
            return -1;
        }
    }
    return 0;
}
