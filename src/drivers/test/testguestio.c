/*
 * testguestio.c: keys sent to the guest and its memory read back, as
 * libvirt 9.0's test driver answers them (docs/test-driver.md): the keys
 * are checked and dropped, the memory is a byte counter.
 *
 * Locking (testdriverpriv.h): each entry takes state->lock for its whole
 * run; nothing here blocks. The valid key codes are data
 * (keycodes.list, made a header by generators/vnlists.py).
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virerror.h"
#include "virpublic.h"
#include "testkeycodes.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* libvirt's codesets, by number: the name and the valid codes */
static const struct {
    const char *name;
    const char *const *codes;
} testKeycodeSets[VIR_KEYCODE_SET_LAST] = {
    { "linux", keycodes_linux }, { "xt", keycodes_xt }, { "atset1", keycodes_atset1 },
    { "atset2", keycodes_atset2 }, { "atset3", keycodes_atset3 }, { "os_x", keycodes_os_x },
    { "xt_kbd", keycodes_xt_kbd }, { "usb", keycodes_usb }, { "win32", keycodes_win32 },
    { "qnum", keycodes_qnum },
};

/* Whether code is in the codeset's list of codes and ranges. */
static bool
testKeycodeValid(unsigned int codeset, unsigned int code)
{
    for (const char *const *w = testKeycodeSets[codeset].codes; *w; w++) {
        char *end;
        unsigned long lo = strtoul(*w, &end, 16), hi = lo;

        if (*end == '-')
            hi = strtoul(end + 1, NULL, 16);
        if (code >= lo && code <= hi)
            return true;
    }
    return false;
}

/* The codeset is checked by the API (below VIR_KEYCODE_SET_LAST); the
 * hold time means nothing to a guest without a keyboard. */
int
testDomainSendKey(virConnect *conn, const virDomainRef *ref, unsigned int codeset,
                  unsigned int holdtime G_GNUC_UNUSED, const unsigned int *keycodes,
                  int nkeycodes, unsigned int flags)
{
    testState *state = conn->privateData;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if (!testDomainActiveFromRef(state, ref))
        goto cleanup;
    for (int i = 0; i < nkeycodes; i++) {
        if (!testKeycodeValid(codeset, keycodes[i])) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "invalid keycode %u of %s codeset",
                           keycodes[i], testKeycodeSets[codeset].name);
            goto cleanup;
        }
    }
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

/* The guest's memory at start is the byte start, then counts up (mod 256),
 * whichever address space the flags name (exactly one of them). */
int
testDomainMemoryPeek(virConnect *conn, const virDomainRef *ref, unsigned long long start,
                     size_t size, void *buffer, unsigned int flags)
{
    testState *state = conn->privateData;
    unsigned char *bytes = buffer;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_MEMORY_VIRTUAL | VIR_MEMORY_PHYSICAL, -1);
    if (flags != VIR_MEMORY_VIRTUAL && flags != VIR_MEMORY_PHYSICAL) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "flags parameter must be VIR_MEMORY_VIRTUAL or VIR_MEMORY_PHYSICAL");
        return -1;
    }
    virNoIOMutexLock(&state->lock);
    if (testDomainActiveFromRef(state, ref)) {
        for (size_t i = 0; i < size; i++)
            bytes[i] = (unsigned char)(start + i);
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}
