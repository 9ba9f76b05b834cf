/*
 * test-fuzz-corpus.c: every harness of tests/fuzz/fuzz-program.c over its
 * seed corpus (tests/fuzz/corpus/NAME/ for decode, NAME-dispatch/ and
 * NAME-real/ for the other modes), without libFuzzer: the corpora are regression inputs of
 * `make check`, run with the suite's compiler and sanitizers. A harness
 * whose corpus is missing or empty fails; so does any input that makes
 * the harness abort. FUZZ_CORPUS_MAX=N replays at most N inputs of each.
 *
 * test-fuzz-corpus --write-seeds DIR writes the generated seeds of every
 * harness into DIR/HARNESS/ (how the seed corpus in the tree was made).
 */
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>

#include "testutils.h"
#include "fuzz-program.h"

typedef struct {
    const char *program;
    const char *mode;
} fuzzHarness;


static int
testReplay(const void *data)
{
    const fuzzHarness *h = data;
    const char *src = g_getenv("VIRTNET_TEST_SRCDIR");
    g_autofree char *leaf = g_str_equal(h->mode, "decode") ? g_strdup(h->program)
                                                           : g_strdup_printf("%s-%s", h->program,
                                                                             h->mode);
    g_autofree char *dir = g_build_filename(src ? src : ".", "tests", "fuzz", "corpus", leaf,
                                            NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *max = g_getenv("FUZZ_CORPUS_MAX");
    guint limit = max ? (guint)atoi(max) : G_MAXUINT;
    const char *e;
    size_t bytes = 0;

    if (!d) {
        fprintf(stderr, "no corpus at %s\n", dir);
        return -1;
    }
    while ((e = g_dir_read_name(d)))
        g_ptr_array_add(names, g_strdup(e));
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    if (names->len == 0 || fuzzProgramSelect(h->program, h->mode) < 0)
        return -1;
    for (guint i = 0; i < names->len && i < limit; i++) {
        g_autofree char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
        g_autofree char *text = NULL;
        gsize len;

        if (!g_file_get_contents(path, &text, &len, NULL))
            return -1;
        if (virTestVerbose())
            fprintf(stderr, "  %s\n", path);
        fuzzProgramRun((const uint8_t *)text, len);
        bytes += len;
    }
    printf("  %s: %u inputs, %zu bytes\n", leaf, MIN(names->len, limit), bytes);
    return 0;
}


int
main(int argc, char **argv)
{
    static const char *const modes[] = { "decode", "dispatch", "real" };

    fuzzProgramInit();
    if (argc == 3 && g_str_equal(argv[1], "--write-seeds")) {
        for (size_t i = 0; i < fuzzProgramCount(); i++) {
            if (fuzzProgramSelect(fuzzProgramName(i), "decode") < 0 ||
                fuzzProgramWriteSeeds(argv[2]) < 0)
                return 1;
        }
        return 0;
    }
    for (size_t i = 0; i < fuzzProgramCount(); i++) {
        for (size_t m = 0; m < G_N_ELEMENTS(modes); m++) {
            fuzzHarness *h;
            g_autofree char *name = NULL;

            if (!fuzzProgramHasMode(i, modes[m]))
                continue;
            h = g_new0(fuzzHarness, 1);
            name = g_strdup_printf("%s, %s", fuzzProgramName(i), modes[m]);

            h->program = fuzzProgramName(i);
            h->mode = modes[m];
            virTestRun(name, testReplay, h);
            g_free(h);
        }
    }
    return virTestResult();
}
