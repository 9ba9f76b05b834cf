/*
 * vircommand.h: run a program to its end, with a time limit, as
 * libvirt's virCommandRun does for the host tools it drives (tc,
 * dmidecode): stdin /dev/null, stdout /dev/null or returned, stderr kept
 * for the error.
 *
 * Blocking (it waits for the child): for workers and processes of their
 * own, never an event loop; it checks that the caller holds no
 * virNoIOMutex. No shared state.
 */
#pragma once

/* Run the program at path with argv (NULL-ended; argv[0] its name, as
 * errors show it: libvirt's show the name it was given, "tc") for at most
 * timeoutMs.
 * With exitStatus, its exit status is returned there and any status is
 * success (libvirt's callers that ignore a failure); without, a status
 * other than 0 is an error in libvirt's words: "Child process (ARGV)
 * unexpected exit status N: STDERR". A program that cannot be started,
 * is killed by a signal or outlives the limit (then killed) is an error.
 * 0 or -1 with an error reported. */
int virCommandRunArgv(const char *path, const char *const *argv, int timeoutMs,
                      int *exitStatus);

/* The same, with the child's stdout returned in *out (a new string) when
 * it succeeds; more than outMax bytes of it is an error. */
int virCommandRunArgvOutput(const char *path, const char *const *argv, int timeoutMs,
                            int *exitStatus, size_t outMax, char **out);

/* argv as one line, as libvirt prints a command (an argument with a
 * character a shell would take is single-quoted). A new string. */
char *virCommandArgvString(const char *const *argv);
