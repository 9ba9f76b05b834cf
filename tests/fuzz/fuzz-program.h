/*
 * fuzz-program.h: the generic program harness (fuzz-program.c) as the
 * corpus replay test (test-fuzz-corpus.c) drives it without libFuzzer.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Once per process. */
void fuzzProgramInit(void);
/* Programs in the registry: their names. */
size_t fuzzProgramCount(void);
const char *fuzzProgramName(size_t i);
/* Whether program i has the mode ("decode", "dispatch", "real"). */
bool fuzzProgramHasMode(size_t i, const char *mode);
/* Choose the harness: a program and a mode; -1 unknown. */
int fuzzProgramSelect(const char *name, const char *mode);
/* One input; aborts when a checked property does not hold. */
void fuzzProgramRun(const uint8_t *data, size_t size);
/* Write generated seeds of the selected program: DIR/NAME/ (a call and a
 * reply with all-zero payloads per procedure, an event per event, an error
 * reply), DIR/NAME-dispatch/ (each call alone, then all in one stream) and,
 * for a program with real handlers, DIR/NAME-real/ (its own seeds, or the
 * same as dispatch). */
int fuzzProgramWriteSeeds(const char *dir);
