/*
 * teststream.c: the test driver's calls that open a stream: the screenshot
 * (libvirt's test driver answers it with a fixed PNG image; ours is a test
 * pattern drawn here).
 *
 * Locking: state->lock only to find the domain; the stream gets its data
 * without it.
 */
#include "testdriverpriv.h"
#include "virconnect.h"
#include "virpng.h"

#define VIR_FROM_THIS VIR_FROM_TEST

#define TEST_SCREEN_WIDTH 320
#define TEST_SCREEN_HEIGHT 240

/* A diagonal gradient under a checkerboard: easy to recognise, and any
 * cut or reordered byte shows. */
static GBytes *
testScreenshotImage(void)
{
    g_autofree guint8 *pixels = g_malloc((size_t)TEST_SCREEN_WIDTH * TEST_SCREEN_HEIGHT);

    for (unsigned int y = 0; y < TEST_SCREEN_HEIGHT; y++) {
        for (unsigned int x = 0; x < TEST_SCREEN_WIDTH; x++) {
            guint8 v = (guint8)((x + y) * 255 / (TEST_SCREEN_WIDTH + TEST_SCREEN_HEIGHT));

            if (((x / 16) + (y / 16)) % 2)
                v = 255 - v;
            pixels[(size_t)y * TEST_SCREEN_WIDTH + x] = v;
        }
    }
    return virPNGEncodeGray(TEST_SCREEN_WIDTH, TEST_SCREEN_HEIGHT, pixels);
}


char *
testDomainScreenshot(virConnect *conn, const virDomainRef *ref, virStream *st,
                     unsigned int screen G_GNUC_UNUSED, unsigned int flags)
{
    testState *state = conn->privateData;
    g_autoptr(GBytes) image = NULL;
    const void *data;
    gsize len;
    bool found;

    virDriverCheckFlags(flags, 0, NULL);
    /* Like libvirt's test driver: any screen, running or not. */
    virNoIOMutexLock(&state->lock);
    found = testDomainFromRef(state, ref) != NULL;
    virNoIOMutexUnlock(&state->lock);
    if (!found)
        return NULL;
    image = testScreenshotImage();
    data = g_bytes_get_data(image, &len);
    if (virStreamSetBytes(st, data, len) < 0)
        return NULL;
    return g_strdup("image/png");
}
