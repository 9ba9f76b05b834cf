/*
 * lxc-fake-agent.c: what the controller runs as the guest agent in
 * test-lxc-agent (VIRTNET_LXC_AGENT points here).
 *
 * With VIRTNET_TEST_AGENT_MODE unset or "real" it execs the real agent
 * (VIRTNET_TEST_REAL_AGENT) with the same arguments. Otherwise it serves
 * the listening socket (--listen-fd) itself, badly, greeting each client
 * with READY and then:
 *
 *   hang     reading every call and answering none
 *   garbage  answering the first call with bytes that are no message
 *   flood    sending well-framed unknown events as fast as it can
 *   bigmsg   announcing a message larger than the program allows
 *
 * The mode is read from the environment the controller inherited when
 * it was started, so each container keeps the mode it was created with.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#define AGENT_PROG 0x51474131
#define PROC_READY 19

static size_t
putU32(unsigned char *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
    return 4;
}


/* A MESSAGE of the agent program: proc, then a string payload of len bytes. */
static size_t
makeEvent(unsigned char *buf, uint32_t proc, const char *text, size_t len)
{
    size_t n = 4, pad = (4 - len % 4) % 4;

    n += putU32(buf + n, AGENT_PROG);
    n += putU32(buf + n, 1);
    n += putU32(buf + n, proc);
    n += putU32(buf + n, 2);        /* MESSAGE */
    n += putU32(buf + n, 0);
    n += putU32(buf + n, 0);
    n += putU32(buf + n, (uint32_t)len);
    memcpy(buf + n, text, len);
    memset(buf + n + len, 0, pad);
    n += len + pad;
    putU32(buf, (uint32_t)n);
    return n;
}


static int
writeAll(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= n;
    }
    return 0;
}


static void
serve(int fd, const char *mode)
{
    static unsigned char buf[65536];
    size_t n = makeEvent(buf, PROC_READY, mode, strlen(mode));
    ssize_t r;

    if (writeAll(fd, buf, n) < 0)
        return;
    if (strcmp(mode, "flood") == 0) {
        static const char filler[4000];

        n = makeEvent(buf, 99, filler, sizeof(filler));
        while (writeAll(fd, buf, n) == 0)
            ;
        return;
    }
    if (strcmp(mode, "bigmsg") == 0) {
        putU32(buf, 5 * 1024 * 1024);
        writeAll(fd, buf, 28);
        while (read(fd, buf, sizeof(buf)) > 0)
            ;
        return;
    }
    while ((r = read(fd, buf, sizeof(buf))) > 0) {
        if (strcmp(mode, "garbage") == 0) {
            memset(buf, 0xff, 64);
            writeAll(fd, buf, 64);
        }
        /* hang: nothing, ever */
    }
}


int
main(int argc, char **argv)
{
    const char *mode = getenv("VIRTNET_TEST_AGENT_MODE");
    const char *real = getenv("VIRTNET_TEST_REAL_AGENT");
    int listenfd = 3;

    if (!mode || !*mode || strcmp(mode, "real") == 0) {
        if (!real)
            return 3;
        argv[0] = (char *)real;
        execv(real, argv);
        return 127;
    }
    (void)argc;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, SIG_IGN);
    fprintf(stderr, "lxc-fake-agent: mode %s\n", mode);
    for (;;) {
        int fd = accept(listenfd, NULL, NULL);

        if (fd < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        if (fork() == 0) {
            serve(fd, mode);
            _exit(0);
        }
        close(fd);
    }
}
