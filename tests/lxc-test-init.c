/*
 * lxc-test-init.c: an init for the LXC driver's test containers.
 *
 *   lxc-test-init report FILE [ARGS...]  write what the container looks like
 *                                        from inside to FILE, say hello on the
 *                                        console, exit 0
 *   lxc-test-init wait FILE              run until FILE exists, then exit 0
 *   lxc-test-init ignore-term            ignore SIGTERM, run forever
 *   lxc-test-init catch-term             exit 0 on SIGTERM
 *   lxc-test-init reboot-once FILE       first run: create FILE and call
 *                                        reboot(2); later runs: run forever
 *   lxc-test-init fail                   exit 3 at once
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/reboot.h>

extern char **environ;

static volatile sig_atomic_t gotTerm;

static void
onTerm(int sig)
{
    (void)sig;
    gotTerm = 1;
}

static int
report(int argc, char **argv)
{
    char host[256] = "", cwd[4096] = "";
    FILE *fp = fopen(argv[2], "w");
    char **e;
    int i;

    if (!fp)
        return 2;
    gethostname(host, sizeof(host) - 1);
    if (!getcwd(cwd, sizeof(cwd)))
        strcpy(cwd, "?");
    fprintf(fp, "pid=%d\nhostname=%s\ncwd=%s\n", (int)getpid(), host, cwd);
    for (i = 3; i < argc; i++)
        fprintf(fp, "arg=%s\n", argv[i]);
    for (e = environ; *e; e++)
        fprintf(fp, "env=%s\n", *e);
    fprintf(fp, "tty=%s\n", isatty(1) ? "yes" : "no");
    fprintf(fp, "end\n");
    fclose(fp);
    printf("hello from the console of %s\n", host);
    fflush(stdout);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    if (strcmp(argv[1], "report") == 0 && argc >= 3)
        return report(argc, argv);
    if (strcmp(argv[1], "wait") == 0 && argc >= 3) {
        while (access(argv[2], F_OK) < 0)
            usleep(10000);
        return 0;
    }
    if (strcmp(argv[1], "ignore-term") == 0) {
        signal(SIGTERM, SIG_IGN);
        for (;;)
            pause();
    }
    if (strcmp(argv[1], "catch-term") == 0) {
        signal(SIGTERM, onTerm);
        while (!gotTerm)
            pause();
        return 0;
    }
    if (strcmp(argv[1], "reboot-once") == 0 && argc >= 3) {
        if (access(argv[2], F_OK) < 0) {
            FILE *fp = fopen(argv[2], "w");

            if (fp)
                fclose(fp);
            sync();
            reboot(RB_AUTOBOOT);
            fprintf(stderr, "reboot: %s\n", strerror(errno));
            return 4;
        }
        for (;;)
            pause();
    }
    if (strcmp(argv[1], "fail") == 0)
        return 3;
    return 2;
}
